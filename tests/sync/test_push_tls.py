"""TLS: pos-central serves HTTPS with a self-signed certificate made here
(openssl CLI). `pos sync` verifies the peer always: without [sync] ca_file
it refuses the certificate (exit 1, a certificate error, at once); with
POS_SYNC_CA_FILE=cert it pushes; a CA file for another certificate is
refused too."""

import os
import subprocess

import pushharness as h


class PushTls(h.PushTestCase):

    def make_cert(self, name):
        cert = os.path.join(self.tmp, name + ".pem")
        key = os.path.join(self.tmp, name + ".key")
        p = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                            "-nodes", "-subj", "/CN=localhost", "-addext",
                            "subjectAltName=IP:127.0.0.1", "-days", "2",
                            "-keyout", key, "-out", cert],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(p.returncode, 0, p.stderr)
        return cert, key

    def test_self_signed_needs_the_ca_file(self):
        tf = self.token_file(self.init_central()["DMS01"])
        cert, key = self.make_cert("server")
        other, _ = self.make_cert("other")
        srv = self.serve(["--tls-cert", cert, "--tls-key", key])
        url = "https://%s" % srv.addr
        win = self.make_window("w1", "DMS01", 1)

        rc, j, err, dt = self.sync(win, url, tf)
        self.assertEqual(rc, 1, err)
        self.assertRegex(err, r"(?i)certificate")
        self.assertLess(dt, h.scaled(3.0))   # refused, not retried
        self.assertEqual(self.counts()[0], 0)
        self.note("no ca_file: refused in %.2fs: %s" % (dt, err.strip()[:100]))

        rc, j, err, _ = self.sync(win, url, tf,
                                  env={"POS_SYNC_CA_FILE": other})
        self.assertEqual(rc, 1, err)
        self.assertRegex(err, r"(?i)certificate")
        self.assertEqual(self.counts()[0], 0)

        j = self.sync_ok(win, url, tf, env={"POS_SYNC_CA_FILE": cert})
        self.assert_central_equals_window(win, "DMS01", 1)
        self.assertEqual(j["server_head"], self.window_head(win)["head"])
        self.note("POS_SYNC_CA_FILE=cert: pushed over HTTPS, central == window")

        # http:// to the HTTPS port is not an answer either.
        rc, j, err, _ = self.sync(win, "http://%s" % srv.addr, tf,
                                  env={"POS_SYNC_DEADLINE": "2"})
        self.assertEqual(rc, 1, err)


if __name__ == "__main__":
    h.main()
