"""Shared helpers for the pos-central integration tests.

Every test gets its own temporary directory and environment. Window stores
are made with the real `pos` binary; their journals are turned into sync
batches by `dump-batch` (ledger_to_json, exactly what a window sends). The
real `pos-central serve` is started on 127.0.0.1 port 0, its printed port is
read back, and it is stopped by its PID at the end.

With POS_TEST_CENTRAL_DB=postgresql in the environment the same tests run
against the PostgreSQL backend: a private cluster (pgcluster.py) for the
process, a database of its own for each test, self.cdb its URI.

Usage: python3 test_x.py POS_CENTRAL POS DUMP_BATCH [unittest options]
"""

import copy
import http.client
import json
import os
import select
import shutil
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testtime import scaled  # noqa: E402
import pgcluster  # noqa: E402

CENTRAL = POS = DUMP = None

# The backend the central store of every test is on.
PG = os.environ.get("POS_TEST_CENTRAL_DB", "") == "postgresql"

DAY1_NOW = "2026-03-01T09:00:00Z"
DAY1 = "2026-03-01"
TZ = "Asia/Damascus"
ATTENDANT_PIN = "1234"
SUPERVISOR_PIN = "4711"


class Server:
    """A running pos-central serve: its process, address and port."""

    def __init__(self, proc, addr, errlog):
        self.proc = proc
        self.addr = addr
        self.host, port = addr.rsplit(":", 1)
        self.port = int(port)
        self.errlog = errlog

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(scaled(10))
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(scaled(10))
        self.proc.stdout.close()
        return self.proc.returncode


class CentralTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pos-central-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "HOME": os.path.join(self.tmp, "home"),
            "XDG_CONFIG_HOME": os.path.join(self.tmp, "xdg-config"),
            "XDG_DATA_HOME": os.path.join(self.tmp, "xdg-data"),
            "POS_SYSTEM_CONFIG": os.path.join(self.tmp, "none", "pos.conf"),
            "POS_CENTRAL_SYSTEM_CONFIG": os.path.join(self.tmp, "none",
                                                      "central.conf"),
            "POS_NOW": DAY1_NOW,
            "POS_WINDOW_TIMEZONE": TZ,
            "CUPS_SERVER": os.path.join(self.tmp, "no-cupsd.sock"),
        }
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                self.env[k] = os.environ[k]
        self.pg = PG
        self.cdb = self.fresh_cdb("central.db")

    def fresh_cdb(self, name, template=None):
        """A new, empty central store: a file name in self.tmp, or on
        PostgreSQL a new database (a copy of template if given)."""
        if not self.pg:
            return os.path.join(self.tmp, name)
        self.pgdb = pgcluster.cluster().new_database(template)
        return pgcluster.cluster().uri(self.pgdb)

    def sql(self, sqlite_sql, pg_sql=None, params=()):
        """Rows of a query on the central store, read directly (on
        PostgreSQL pg_sql if given, params then not supported)."""
        if self.pg:
            assert not params
            return [tuple(r) for r in pgcluster.cluster().psql(
                self.pgdb, pg_sql or sqlite_sql)]
        con = sqlite3.connect(self.cdb, timeout=scaled(10))
        try:
            with con:
                if params:
                    return con.execute(sqlite_sql, params).fetchall()
                cur = con.cursor()
                rows = []
                for stmt in sqlite_sql.split(";"):
                    if stmt.strip():
                        rows = cur.execute(stmt).fetchall()
                return rows
        finally:
            con.close()

    def note(self, msg):
        print("    checked: " + msg, flush=True)

    # ---- programs ----

    def run_prog(self, argv, stdin=b"", env=None, timeout=60):
        e = dict(self.env)
        e.update(env or {})
        p = subprocess.run([str(a) for a in argv], input=stdin,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=e, timeout=scaled(timeout), cwd=self.tmp)
        return p.returncode, p.stdout.decode("utf-8", "replace"), \
            p.stderr.decode("utf-8", "replace")

    def central(self, args, rc_want=0, json_out=False):
        argv = [CENTRAL] + list(args) + ["--db", self.cdb]
        if json_out:
            argv.append("--json")
        rc, out, err = self.run_prog(argv)
        self.assertEqual(rc, rc_want, "pos-central %s: exit %d\n%s\n%s"
                         % (" ".join(args), rc, out, err))
        return json.loads(out) if json_out and rc == 0 else (out, err)

    def pos(self, db, args, stdin=b"", env=None, json_out=False):
        argv = [POS, "--db", db] + (["--json"] if json_out else []) + list(args)
        rc, out, err = self.run_prog(argv, stdin=stdin, env=env)
        self.assertEqual(rc, 0, "pos %s: exit %d\n%s\n%s"
                         % (" ".join(args), rc, out, err))
        return json.loads(out) if json_out else out

    def init_central(self, branches=("DMS01",)):
        self.central(["init"])
        tokens = {}
        for b in branches:
            tokens[b] = self.central(["branch", "add", b, "--name",
                                      "فرع " + b], json_out=True)["token"]
        return tokens

    def serve(self, extra=(), db=None):
        argv = [CENTRAL, "serve", "--db", db or self.cdb, "--listen",
                "127.0.0.1:0"] + list(extra)
        errlog = open(os.path.join(self.tmp, "serve-%d.err" % time.time_ns()),
                      "wb")
        e = dict(self.env)
        proc = subprocess.Popen([str(a) for a in argv], stdout=subprocess.PIPE,
                                stderr=errlog, env=e, cwd=self.tmp)
        ready, _, _ = select.select([proc.stdout], [], [], scaled(30))
        line = proc.stdout.readline().decode() if ready else ""
        errlog.close()
        if not line.startswith("listening on "):
            proc.kill()
            proc.wait()
            with open(errlog.name) as f:
                self.fail("pos-central serve did not start: %r %s"
                          % (line, f.read()))
        srv = Server(proc, line.split()[-1], errlog.name)
        self.addCleanup(self.stop_server, srv)
        return srv

    def stop_server(self, srv):
        """Stop it by its PID; it must exit 0 (sanitizer reports fail it)
        unless the test killed it (srv.killed)."""
        rc = srv.stop()
        if getattr(srv, "killed", False):
            return
        with open(srv.errlog, errors="replace") as f:
            err = f.read()
        self.assertEqual(rc, 0, "pos-central serve exited %s:\n%s"
                         % (rc, err[-4000:]))
        self.assertNotIn("Sanitizer", err)

    # ---- windows ----

    def make_window(self, name, branch, terminal, day=True, close=True,
                    variant=0):
        """A window store with one business day of varied entries:
        sales (Arabic names, a kg line, a discount, a split payment), a
        void, a refund, a payout and a cash-in; closed unless close=False."""
        db = os.path.join(self.tmp, name + ".db")
        sup = {"POS_PIN": SUPERVISOR_PIN}
        self.pos(db, ["init", "--branch", branch, "--terminal", str(terminal)])
        self.pos(db, ["producer", "add", "F07", "مخبز حماة"])
        self.pos(db, ["producer", "add", "F11", "Idlib Co-op"])
        self.pos(db, ["product", "add", "P1", "خبز", "1500", "--producer", "F07"])
        self.pos(db, ["product", "add", "P2", "زيتون أسود", "9600",
                      "--producer", "F11", "--unit", "kg"])
        self.pos(db, ["user", "add", "ali", "--role", "attendant"],
                 stdin=(ATTENDANT_PIN + "\n").encode())
        self.pos(db, ["user", "add", "sam", "--role", "supervisor"],
                 stdin=(SUPERVISOR_PIN + "\n").encode())
        if not day:
            return db
        self.pos(db, ["day", "open", "--user", "ali", "--float", "10000"])
        s1 = self.pos(db, ["sell", "--user", "ali", "--no-print", "P1",
                           "P2*0.250"], json_out=True)
        s2 = self.pos(db, ["sell", "--user", "ali", "--no-print",
                           "P1*%d" % (2 + variant), "--discount", "100",
                           "--pay", "card:1000",
                           "--pay", "cash:%d" % (1500 * (2 + variant))],
                      json_out=True)
        s3 = self.pos(db, ["sell", "--user", "ali", "--no-print", "P2*1.5"],
                      json_out=True)
        self.pos(db, ["void", s3["receipt"], "--user", "sam", "--reason",
                      "خطأ", "--no-print"], env=sup)
        self.pos(db, ["refund", s2["receipt"], "P1*1", "--user", "sam",
                      "--no-print"], env=sup)
        self.pos(db, ["payout", "F07", "1000", "--user", "sam", "--no-print"],
                 env=sup)
        self.pos(db, ["cash", "in", "500", "--user", "ali", "--reason", "فكة"])
        del s1
        if close:
            self.pos(db, ["day", "close", "--user", "sam", "--counted",
                          "12000", "--no-print"], env=sup)
        return db

    @staticmethod
    def copy_store(src, dst):
        """Copy a SQLite store that no process has open (WAL included)."""
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(src + suffix):
                shutil.copy2(src + suffix, dst + suffix)

    def made_once(self, make, files):
        """See made_once_files; on PostgreSQL "central.db" among files is the
        test's database, kept as a template and copied from it."""
        if not self.pg or "central.db" not in files:
            return self.made_once_files(make, files)
        files = tuple(f for f in files if f != "central.db")
        cls = type(self)
        kept_db = cls.__dict__.get("_made_once_db")
        if kept_db is None:
            value = self.made_once_files(make, files)
            c = pgcluster.cluster()
            kept_db = "k" + self.pgdb
            c.psql("postgres", "SELECT pg_terminate_backend(pid) FROM"
                   " pg_stat_activity WHERE datname = '%s'" % self.pgdb)
            c.psql("postgres", "CREATE DATABASE %s TEMPLATE %s"
                   % (kept_db, self.pgdb))
            cls._made_once_db = kept_db
            return value
        self.cdb = self.fresh_cdb("central.db", template=kept_db)
        return self.made_once_files(make, files)

    def made_once_files(self, make, files):
        """Stores every test of a class starts from, made once: the first
        test runs make() in its directory and a copy of `files` (names in
        self.tmp) is kept; every other test gets fresh copies of them.
        Returns (a copy of) what make() returned. Making stores takes
        dozens of runs of pos and pos-central, which is slow under a
        sanitizer; a copy is not."""
        cls = type(self)
        made = cls.__dict__.get("_made_once")
        if made is None:
            value = make()
            kept = tempfile.mkdtemp(prefix="pos-central-kept-")
            cls.addClassCleanup(shutil.rmtree, kept, True)
            for f in files:
                self.copy_store(os.path.join(self.tmp, f),
                                os.path.join(kept, f))
            cls._made_once = made = (kept, value)
        else:
            for f in files:
                self.copy_store(os.path.join(made[0], f),
                                os.path.join(self.tmp, f))
        return copy.deepcopy(made[1])

    def dump(self, db, first=1, count=0):
        rc, out, err = self.run_prog([DUMP, db, first, count])
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def window_head(self, db):
        return self.pos(db, ["verify"], json_out=True)

    # ---- HTTP ----

    def post(self, srv, token, body, key=None, headers=None, tls=None,
             path="/v1/journal", method="POST", chunked=False):
        """Send a request; returns (status, parsed JSON or text)."""
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode()
        h = {"Content-Type": "application/json"}
        if token is not None:
            h["Authorization"] = "Bearer " + token
        if key is not None:
            h["Idempotency-Key"] = key
        h.update(headers or {})
        if tls is not None:
            conn = http.client.HTTPSConnection(srv.host, srv.port,
                                               timeout=scaled(30), context=tls)
        else:
            conn = http.client.HTTPConnection(srv.host, srv.port,
                                              timeout=scaled(30))
        try:
            if chunked:
                def gen(b=body, step=65536):
                    for i in range(0, len(b), step):
                        yield b[i:i + step]
                conn.request(method, path, body=gen(), headers=h,
                             encode_chunked=True)
            else:
                conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        try:
            return resp.status, json.loads(data)
        except ValueError:
            return resp.status, data.decode("utf-8", "replace")

    # ---- the central store, read directly ----

    def counts(self):
        q = ("SELECT (SELECT count(*) FROM entries),"
             " (SELECT count(*) FROM lines),"
             " (SELECT count(*) FROM payments),"
             " (SELECT count(DISTINCT uuid) FROM entries)")
        return tuple(int(v) for v in self.sql(q)[0])

def main():
    global CENTRAL, POS, DUMP
    argv = list(sys.argv)
    if len(argv) < 4:
        sys.stderr.write("usage: %s POS_CENTRAL POS DUMP_BATCH\n" % argv[0])
        sys.exit(2)
    CENTRAL, POS, DUMP = (os.path.abspath(p) for p in argv[1:4])
    del argv[1:4]
    prog = unittest.main(argv=argv, verbosity=2, exit=False, module="__main__")
    sys.exit(0 if prog.result.wasSuccessful() else 1)


__all__ = ["CentralTestCase", "main", "DAY1", "ssl", "PG"]
