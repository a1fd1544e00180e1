"""TLS: pos-central serves HTTPS with a certificate made here; a client
with the CA file gets through, one without it refuses the certificate."""

import os
import ssl
import subprocess

import centralharness as h


class Tls(h.CentralTestCase):

    def test_https_with_and_without_the_ca(self):
        tok = self.init_central()["DMS01"]
        cert = os.path.join(self.tmp, "cert.pem")
        key = os.path.join(self.tmp, "key.pem")
        p = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                            "-nodes", "-subj", "/CN=localhost", "-addext",
                            "subjectAltName=IP:127.0.0.1", "-days", "2",
                            "-keyout", key, "-out", cert],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(p.returncode, 0, p.stderr)
        srv = self.serve(["--tls-cert", cert, "--tls-key", key])
        url = "https://%s" % srv.addr

        rc, out, err = self.run_prog(["curl", "-sS", "--max-time", "10",
                                      "--cacert", cert, url + "/healthz"])
        self.assertEqual((rc, out), (0, "ok\n"), err)
        self.note("curl --cacert: 200 ok")
        rc, out, err = self.run_prog(["curl", "-sS", "--max-time", "10",
                                      url + "/healthz"])
        self.assertEqual(rc, 60, "curl without the CA: %d %s" % (rc, err))
        self.note("curl without the CA: certificate refused (exit 60)")
        rc, out, err = self.run_prog(["curl", "-sS", "--max-time", "5",
                                      "http://%s/healthz" % srv.addr])
        self.assertNotEqual((rc, out), (0, "ok\n"))

        win = self.make_window("w1", "DMS01", 1)
        batch = self.dump(win)
        ctx = ssl.create_default_context(cafile=cert)
        st, ans = self.post(srv, tok, batch, tls=ctx)
        self.assertEqual(st, 200, ans)
        self.assertEqual(ans["acked_through"], len(batch["entries"]))
        self.assertEqual(ans["head"], self.window_head(win)["head"])
        with self.assertRaises(ssl.SSLCertVerificationError):
            self.post(srv, tok, batch, tls=ssl.create_default_context())
        self.assertEqual(self.counts()[0], len(batch["entries"]))

    def test_bad_tls_options_are_refused(self):
        self.init_central()
        rc, _, err = self.run_prog([h.CENTRAL, "serve", "--db", self.cdb,
                                    "--listen", "127.0.0.1:0", "--tls-cert",
                                    os.path.join(self.tmp, "none.pem")])
        self.assertEqual(rc, 2, err)
        self.assertIn("--tls-key", err)
        rc, _, err = self.run_prog([h.CENTRAL, "serve", "--db", self.cdb,
                                    "--listen", "127.0.0.1:0", "--tls-cert",
                                    "/nonexistent.pem", "--tls-key",
                                    "/nonexistent.pem"])
        self.assertEqual(rc, 2, err)
        self.assertIn("/nonexistent.pem", err)


if __name__ == "__main__":
    h.main()
