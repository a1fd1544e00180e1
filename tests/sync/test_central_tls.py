"""TLS: pos-central serves HTTPS with a certificate made here; a client
with the CA file gets through, one without it refuses the certificate."""

import os
import re
import ssl
import subprocess

import centralharness as h


class Tls(h.CentralTestCase):

    def make_cert(self):
        cert = os.path.join(self.tmp, "cert.pem")
        key = os.path.join(self.tmp, "key.pem")
        p = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                            "-nodes", "-subj", "/CN=localhost", "-addext",
                            "subjectAltName=IP:127.0.0.1", "-days", "2",
                            "-keyout", key, "-out", cert],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(p.returncode, 0, p.stderr)
        return cert, key

    def handshake(self, srv, *args):
        """openssl s_client ARGS: the negotiated (protocol, cipher), or
        None when the server refused the handshake."""
        p = subprocess.run(["openssl", "s_client", "-connect", srv.addr,
                            "-servername", "localhost"] + list(args),
                           input=b"", stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=h.scaled(30))
        m = re.search(rb"New, (\S+), Cipher is (\S+)", p.stdout)
        if p.returncode != 0 or m is None or m.group(2) == b"(NONE)":
            return None
        return m.group(1).decode(), m.group(2).decode()

    def test_tls_12_and_up_with_forward_secret_aead_only(self):
        self.init_central()
        cert, key = self.make_cert()
        srv = self.serve(["--tls-cert", cert, "--tls-key", key])
        old = "DEFAULT@SECLEVEL=0"
        for version in ("-tls1", "-tls1_1"):
            self.assertIsNone(self.handshake(srv, version, "-cipher", old),
                              version)
            self.note("openssl s_client %s -cipher %s: refused"
                      % (version, old))
        got = self.handshake(srv, "-tls1_2")
        self.assertIsNotNone(got)
        self.assertEqual(got[0], "TLSv1.2")
        self.assertRegex(got[1], r"^ECDHE-.*(GCM|CHACHA20-POLY1305)")
        self.note("-tls1_2: %s %s" % got)
        got = self.handshake(srv, "-tls1_3")
        self.assertEqual(got[0] if got else None, "TLSv1.3")
        self.note("-tls1_3: %s %s" % got)
        # No key exchange without forward secrecy, no CBC with SHA-1.
        for suite in ("AES128-GCM-SHA256", "AES256-SHA",
                      "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384"):
            self.assertIsNone(self.handshake(
                srv, "-tls1_2", "-cipher", suite + "@SECLEVEL=0"), suite)
        self.note("-tls1_2 with AES128-GCM-SHA256, AES256-SHA, "
                  "ECDHE-RSA-AES128-SHA, ECDHE-RSA-AES256-SHA384: refused")

    def test_tls_priorities_option(self):
        self.init_central()
        cert, key = self.make_cert()
        srv = self.serve(["--tls-cert", cert, "--tls-key", key,
                          "--tls-priorities", "NORMAL:-VERS-ALL:+VERS-TLS1.3"])
        self.assertIsNone(self.handshake(srv, "-tls1_2"))
        self.assertEqual(self.handshake(srv, "-tls1_3")[0], "TLSv1.3")
        self.note("--tls-priorities NORMAL:-VERS-ALL:+VERS-TLS1.3: TLS 1.2 "
                  "refused, 1.3 taken")
        rc, _, err = self.run_prog([h.CENTRAL, "serve", "--db", self.cdb,
                                    "--listen", "127.0.0.1:0", "--tls-cert",
                                    cert, "--tls-key", key,
                                    "--tls-priorities", "NO-SUCH-THING"])
        self.assertEqual(rc, 1, err)
        self.assertIn("--tls-priorities", err)

    def test_https_with_and_without_the_ca(self):
        tok = self.init_central()["DMS01"]
        cert, key = self.make_cert()
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
