"""The centre's rules as the window sees them: a window whose clock says
2099 seals a day that pos-central (whose clock says 1 March 2026) refuses
by the date rule; the real `pos sync` records the rejection with its seq
and reason, shows it in `pos sync --status` on every push, and nothing of
the window is stored at the centre, so `report days` is not moved."""

import pushharness as h

FAST = "2099-12-31T09:00:00Z"


class PushChecks(h.PushTestCase):

    def test_an_entry_from_a_wrong_clock_is_rejected_and_shown(self):
        tokens = self.init_central(("DMS01", "HMS01"))
        tf = self.token_file(tokens["DMS01"])
        good = self.make_window("good", "HMS01", 1, close=False)
        self.env["POS_NOW"] = FAST
        win = self.make_window("fast", "DMS01", 1, close=False)
        self.env["POS_NOW"] = h.h.DAY1_NOW
        n = self.window_head(win)["entries"]
        srv = self.serve()
        self.sync_ok(good, self.url(srv),
                     self.token_file(tokens["HMS01"], "token-HMS01"))
        for attempt in (1, 2):
            rc, j, err, _ = self.sync(win, self.url(srv), tf)
            self.assertEqual(rc, 1, err)
            self.assertRegex(err, r"rejected seq 1 \(DMS01-1-000001\): "
                             r"created_at: 2099-12-31T.* is more than 7 "
                             r"days after the server's date")
            self.assertEqual(j["acked_through"], 0)
            self.assertEqual(j["unsynced"], n)
            st = self.status(win)
            self.assertEqual(len(st["rejected"]), 1)
            self.assertIn("more than 7 days after", st["rejected"][0]["reason"])
        out = self.pos(win, ["sync", "--status"])
        self.assertRegex(out, r"rejected +seq 1 \(DMS01-1-000001\): "
                         r"created_at: 2099-12-31")
        self.assertEqual(self.counts()[0], self.window_head(good)["entries"])
        rep = self.central(["report", "days"], json_out=True)
        self.assertEqual(rep["date"], h.h.DAY1)
        self.central(["verify"])
        self.note("a 2099 day_open: rejected on every push with its reason, "
                  "shown by --status; report days stays on " + h.h.DAY1)


if __name__ == "__main__":
    h.main()
