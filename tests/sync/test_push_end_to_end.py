"""End to end: two branches x two terminals sell offline, then `pos sync`
each (the real libcurl client against the real pos-central); the central
producers' report equals the sum of the windows' exactly, every chain
verifies, `pos sync --status` shows nothing unsynced with the server's
head equal to the window's, and a second sync sends nothing new."""

import pushharness as h


class PushEndToEnd(h.PushTestCase):

    def test_four_windows_sync_and_reports_match(self):
        tokens = self.init_central(("DMS01", "HMS01"))
        wins = {
            ("DMS01", 1): self.make_window("d1", "DMS01", 1, variant=0),
            ("DMS01", 2): self.make_window("d2", "DMS01", 2, variant=1),
            ("HMS01", 1): self.make_window("h1", "HMS01", 1, variant=2),
            ("HMS01", 2): self.make_window("h2", "HMS01", 2, variant=3),
        }
        tf = {b: self.token_file(t, "token-" + b) for b, t in tokens.items()}

        # Offline first: nothing reaches anyone, the status says why.
        for (b, _), w in wins.items():
            st = self.status(w)
            self.assertEqual(st["acked_through"], 0)
            self.assertEqual(st["unsynced"], st["head_seq"])
            self.assertIsNone(st["last_success"])

        srv = self.serve()
        url = self.url(srv)
        for (b, t), w in wins.items():
            # Small batches so each window takes several requests.
            j = self.sync_ok(w, url, tf[b], env={"POS_SYNC_BATCH": "3"})
            v = self.window_head(w)
            self.assertEqual(j["sent"], v["entries"])
            self.assertEqual(j["acked_through"], v["entries"])
            self.assertEqual(j["server_head"], v["head"])
            self.assertEqual(j["head"], v["head"])
            self.assertEqual(j["rejected"], [])
            self.assert_central_equals_window(w, b, t)
        self.note("4 windows pushed in batches of 3; every chain verifies")

        want = self.window_producers(wins.values(), h.h.DAY1)
        for args in (["--date", h.h.DAY1], []):
            self.assertEqual(self.central_producers(args), want, args)
        self.note("central producers == sum of the 4 windows: %s" % want)

        for (b, t), w in wins.items():
            st = self.status(w)
            v = self.window_head(w)
            self.assertEqual(st["unsynced"], 0, st)
            self.assertEqual(st["server_head"], v["head"])
            self.assertEqual(st["acked_through"], v["entries"])
            self.assertIsNotNone(st["last_success"])
            self.assertIsNone(st["last_error"])
            self.assertEqual(st["rejected"], [])
        before = self.counts()
        for (b, _), w in wins.items():
            j = self.sync_ok(w, url, tf[b])
            self.assertEqual(j["sent"], 0, j)
        self.assertEqual(self.counts(), before)
        self.note("--status: 0 unsynced, server_head == verify head; "
                  "a second sync sends nothing")

        # A new sale is the only thing the next sync sends; text output too.
        d1 = wins[("DMS01", 1)]
        self.pos(d1, ["day", "open", "--user", "ali", "--float", "0"],
                 env={"POS_NOW": "2026-03-02T08:00:00Z"})
        self.sell(d1, env={"POS_NOW": "2026-03-02T08:05:00Z"})
        rc, out, err = self.run_prog([h.h.POS, "--db", d1, "sync"],
                                     env={"POS_SYNC_URL": url,
                                          "POS_SYNC_TOKEN_FILE": tf["DMS01"]})
        self.assertEqual(rc, 0, err)
        self.assertIn("2 entries sent", out)
        self.assert_central_equals_window(d1, "DMS01", 1)
        out = self.pos(d1, ["sync", "--status"])
        self.assertIn("unsynced       0", out)


if __name__ == "__main__":
    h.main()
