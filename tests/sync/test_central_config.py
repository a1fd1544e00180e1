"""pos-central's configuration file (central.conf(5)): read by the
window's loader, so a bad line is an error naming file:line and key (exit
2) that changes nothing; POS_CENTRAL_<SECTION>_<KEY> wins over the file and
the flags over both; the packaged default store applies only once a
configuration exists; `serve` takes its address, store and log level from
the file and logs one line per request.
"""

import http.client
import os
import select
import subprocess

import centralharness as h
from testtime import scaled


class CentralConfig(h.CentralTestCase):

    def conf(self, text, name="central.conf"):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def cmd(self, args, env=None):
        return self.run_prog([h.CENTRAL] + list(args), env=env)

    def test_bad_line_names_file_and_line_and_changes_nothing(self):
        db = os.path.join(self.tmp, "c.db")
        path = self.conf("[server]\ndb = %s\nthreads = x\n" % db)
        for args in (["config", "check"], ["init"]):
            rc, out, err = self.cmd(args + ["--config", path])
            self.assertEqual(rc, 2, err)
            self.assertIn('central.conf:3: [server] threads: must be 1..64, '
                          'got "x"', err)
        self.assertFalse(os.path.exists(db), "init made a store anyway")
        for text, want in (("[server]\nport = 1\n",
                            "central.conf:2: [server] port: unknown key"),
                           ("[servers]\n", "central.conf:1: [servers]: "
                            "unknown section"),
                           ("[log]\nlevel = loud\n",
                            'central.conf:2: [log] level: must be error, '
                            'warning, info or debug, got "loud"')):
            rc, _, err = self.cmd(["config", "check", "--config",
                                   self.conf(text)])
            self.assertEqual(rc, 2, err)
            self.assertIn(want, err)
        rc, _, err = self.cmd(["config", "check", "--config",
                               os.path.join(self.tmp, "missing.conf")])
        self.assertEqual(rc, 2, err)
        self.assertIn("missing.conf: No such file or directory", err)
        self.note("file:line errors, exit 2, no store made")

    def test_environment_over_file_and_flags_over_both(self):
        db = os.path.join(self.tmp, "c.db")
        path = self.conf("[server]\ndb = %s\nthreads = 2\n" % db)
        rc, out, err = self.cmd(["config", "check", "--config", path],
                                env={"POS_CENTRAL_SERVER_THREADS": "7"})
        self.assertEqual(rc, 0, err)
        self.assertIn('[server] threads = "7"   # env '
                      'POS_CENTRAL_SERVER_THREADS', out)
        self.assertIn('[server] db = "%s"   # from %s:2' % (db, path), out)
        self.assertIn('[log] level = "info"   # default', out)
        rc, _, err = self.cmd(["config", "check", "--config", path],
                              env={"POS_CENTRAL_SERVER_THREADS": "0"})
        self.assertEqual(rc, 2, err)
        self.assertIn('POS_CENTRAL_SERVER_THREADS: [server] threads: must be '
                      '1..64, got "0"', err)
        # --db wins over the file's store.
        other = os.path.join(self.tmp, "other.db")
        rc, out, err = self.cmd(["init", "--config", path, "--db", other])
        self.assertEqual(rc, 0, err)
        self.assertTrue(os.path.exists(other))
        self.assertFalse(os.path.exists(db))
        rc, out, err = self.cmd(["config", "keys"])
        self.assertEqual(rc, 0, err)
        for key in ("[server] listen", "[server] db", "[server] tls_cert",
                    "[server] tls_key", "[server] threads",
                    "[server] max_body", "[central] public_url",
                    "[log] level", "[currency] decimals",
                    "[currency] digits"):
            self.assertIn(key + "  ", out)
        self.note("env over file, --db over both; config keys lists 10 keys")

    def test_default_store_only_once_a_configuration_exists(self):
        rc, _, err = self.run_prog([h.CENTRAL, "branch", "list"])
        self.assertEqual(rc, 2, err)
        self.assertIn("--db FILE or --db URI is required", err)
        # A system file without a db key: the packaged default store.
        system = self.conf("[log]\nlevel = info\n", "system.conf")
        rc, _, err = self.run_prog([h.CENTRAL, "branch", "list"],
                                   env={"POS_CENTRAL_SYSTEM_CONFIG": system})
        self.assertEqual(rc, 2, err)
        self.assertIn("/var/lib/pos-central/central.db", err)
        # With the store in the system file, no option is needed at all.
        db = os.path.join(self.tmp, "c.db")
        system = self.conf("[server]\ndb = %s\n" % db, "system.conf")
        env = {"POS_CENTRAL_SYSTEM_CONFIG": system}
        for args in (["init"], ["branch", "add", "DMS01"]):
            rc, out, err = self.run_prog([h.CENTRAL] + args, env=env)
            self.assertEqual(rc, 0, err)
        rc, out, err = self.run_prog([h.CENTRAL, "branch", "list"], env=env)
        self.assertEqual(rc, 0, err)
        self.assertIn("DMS01", out)
        self.note("no configuration: --db required; with one: its store")

    def serve(self, conf, extra=()):
        err = open(os.path.join(self.tmp, "serve.err"), "wb")
        proc = subprocess.Popen([h.CENTRAL, "serve", "--config", conf]
                                + list(extra), stdout=subprocess.PIPE,
                                stderr=err, env=self.env, cwd=self.tmp)
        self.addCleanup(self.stop, proc, err)
        ready, _, _ = select.select([proc.stdout], [], [], scaled(30))
        line = proc.stdout.readline().decode() if ready else ""
        self.assertTrue(line.startswith("listening on 127.0.0.1:"), line)
        return proc, line.split()[-1]

    def stop(self, proc, err):
        if proc.poll() is None:
            proc.terminate()
            proc.wait(scaled(30))
        proc.stdout.close()
        err.close()
        return proc.returncode

    def log(self):
        with open(os.path.join(self.tmp, "serve.err"),
                  errors="replace") as f:
            return f.read()

    def get(self, addr, path):
        host, port = addr.rsplit(":", 1)
        c = http.client.HTTPConnection(host, int(port), timeout=scaled(10))
        c.request("GET", path)
        st = c.getresponse().status
        c.close()
        return st

    def test_serve_from_the_file_logs_each_request(self):
        db = self.cdb
        self.central(["init"])
        conf = self.conf("[server]\nlisten = 127.0.0.1:0\ndb = %s\n"
                         "threads = 2\n" % db)
        proc, addr = self.serve(conf)
        self.assertEqual(self.get(addr, "/healthz"), 200)
        self.assertEqual(self.get(addr, "/nothing"), 404)
        self.assertEqual(self.stop(proc, open(os.devnull, "wb")), 0)
        log = self.log()
        self.assertIn("info: listening on %s, store %s, 2 threads"
                      % (addr, db), log)
        self.assertRegex(log, r"info: 127\.0\.0\.1 GET /healthz 200 ms=\d+")
        self.assertRegex(log, r"info: 127\.0\.0\.1 GET /nothing 404 ms=\d+")
        # [log] level = error keeps the info lines out.
        quiet = self.conf("[server]\nlisten = 127.0.0.1:0\ndb = %s\n"
                          "[log]\nlevel = error\n" % db, "quiet.conf")
        proc, addr = self.serve(quiet)
        self.assertEqual(self.get(addr, "/healthz"), 200)
        self.assertEqual(self.stop(proc, open(os.devnull, "wb")), 0)
        self.assertNotIn("GET /healthz", self.log())
        self.note("listen, db, threads and [log] level from the file")


if __name__ == "__main__":
    h.main()
