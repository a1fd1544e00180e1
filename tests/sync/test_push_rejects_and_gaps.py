"""What the server says no to, and checkpoints that disagree with it:
a 409 (the window's checkpoint is ahead of a server that lost or never had
the entries) resends from the expected seq; a stale checkpoint behind the
server resends duplicates that change nothing; an entry tampered in the
window store is rejected by the server's hash check and recorded with its
seq and reason (`pos sync --status`, exit 1, every time, not a silent
stall); a malformed entry (400) is recorded the same way; another
branch's token (403), an unknown token (401), a missing token file and a
missing URL are clear errors."""

import os

import pushharness as h


class PushRejectsAndGaps(h.PushTestCase):

    def setUp(self):
        super().setUp()
        self.tokens = self.init_central(("DMS01", "HMS01"))
        self.tf = {b: self.token_file(t, "token-" + b)
                   for b, t in self.tokens.items()}

    def sqlite_w(self, db, sql):
        import sqlite3
        con = sqlite3.connect(db)
        try:
            con.executescript(sql)
            con.commit()
        finally:
            con.close()

    def test_409_and_stale_checkpoints_resend_from_the_server(self):
        win = self.make_window("w1", "DMS01", 1)
        srv = self.serve()
        self.sync_ok(win, self.url(srv), self.tf["DMS01"])
        n = self.window_head(win)["entries"]

        # Behind the server: resends duplicates, stores nothing new.
        self.sqlite_w(win, "UPDATE sync_state SET acked_through = 2;")
        before = self.counts()
        j = self.sync_ok(win, self.url(srv), self.tf["DMS01"])
        self.assertEqual(j["sent"], n - 2)
        self.assertEqual(self.counts(), before)
        self.note("stale checkpoint (2 of %d): %d resent as duplicates, "
                  "nothing stored twice" % (n, j["sent"]))

        # Ahead of the server: a new central store that has nothing.
        self.pos(win, ["day", "open", "--user", "ali", "--float", "0"],
                 env={"POS_NOW": "2026-03-02T08:00:00Z"})
        self.sell(win, env={"POS_NOW": "2026-03-02T08:01:00Z"})
        self.cdb = self.fresh_cdb("central-b.db")
        tok_b = self.init_central(("DMS01",))["DMS01"]
        srv_b = self.serve()
        j = self.sync_ok(win, self.url(srv_b), self.token_file(tok_b, "tb"))
        self.assertEqual(j["sent"], n + 2, j)   # the 409'd batch, then all
        with open(srv_b.errlog) as f:
            self.assertIn(" 409 ", f.read())
        self.assert_central_equals_window(win, "DMS01", 1)
        self.note("409 (server has nothing, window thought %d): resent "
                  "from seq 1; central == window" % (n + 2))

        # Ahead with nothing unsynced: the empty probe finds out.
        self.cdb = self.fresh_cdb("central-c.db")
        tok_c = self.init_central(("DMS01",))["DMS01"]
        srv_c = self.serve()
        j = self.sync_ok(win, self.url(srv_c), self.token_file(tok_c, "tc"))
        self.assertEqual(j["sent"], n + 2)
        self.assert_central_equals_window(win, "DMS01", 1)
        self.note("nothing unsynced but the server is empty: the probe "
                  "sees it and everything is resent")

    def test_a_tampered_entry_is_rejected_recorded_and_shown(self):
        win = self.make_window("w2", "DMS01", 2)
        n = self.window_head(win)["entries"]
        self.sqlite_w(win, "DROP TRIGGER journal_no_update;"
                      "UPDATE journal SET total = total + 1 WHERE seq = 3;")
        srv = self.serve()
        for attempt in (1, 2):
            rc, j, err, _ = self.sync(win, self.url(srv), self.tf["DMS01"])
            self.assertEqual(rc, 1, err)
            self.assertRegex(err, r"rejected seq 3 \(DMS01-2-000003\): hash "
                             r"does not match")
            self.assertFalse(j["ok"])
            self.assertEqual(j["acked_through"], 2)
            self.assertEqual(j["unsynced"], n - 2)
            self.assertEqual([(r["seq"], r["receipt"]) for r in j["rejected"]],
                             [(3, "DMS01-2-000003")])
            st = self.status(win)
            self.assertEqual(st["acked_through"], 2)
            self.assertEqual(len(st["rejected"]), 1)
            self.assertIn("hash does not match", st["rejected"][0]["reason"])
            self.assertIn("seq 3", st["last_error"])
            self.assertEqual(self.central_chain("DMS01", 2)[0], 2)
        out = self.pos(win, ["sync", "--status"])
        self.assertRegex(out, r"rejected +seq 3 \(DMS01-2-000003\): hash "
                         r"does not match")
        self.note("tampered seq 3: rejected on every push with its reason; "
                  "seq 1..2 stored, the rest wait; --status names it")

    def test_a_malformed_entry_is_a_400_naming_its_seq(self):
        win = self.make_window("w3", "DMS01", 3)
        self.sqlite_w(win, "DROP TRIGGER lines_no_update;"
                      "UPDATE journal_lines SET unit = 'litre' WHERE seq = 2;")
        srv = self.serve()
        rc, j, err, _ = self.sync(win, self.url(srv), self.tf["DMS01"])
        self.assertEqual(rc, 1, err)
        self.assertIn("HTTP 400", err)
        self.assertIn("entries[1].lines[0].unit", err)
        self.assertEqual([r["seq"] for r in j["rejected"]], [2])
        self.assertEqual(self.central_chain("DMS01", 3)[0], 0)
        self.note("malformed line in seq 2: 400, recorded as seq 2: %s"
                  % j["rejected"][0]["reason"])

    def test_tokens_and_configuration(self):
        win = self.make_window("w4", "DMS01", 4, close=False)
        srv = self.serve()
        url = self.url(srv)
        rc, j, err, _ = self.sync(win, url, self.tf["HMS01"])
        self.assertEqual(rc, 1, err)
        self.assertRegex(err, r"HTTP 403: this token is for branch HMS01, "
                         r"not DMS01")
        st = self.status(win)
        self.assertIn("403", st["last_error"])
        self.assertEqual(st["acked_through"], 0)
        rc, j, err, _ = self.sync(win, url, self.token_file("ab" * 32, "bad"))
        self.assertEqual(rc, 1, err)
        self.assertIn("HTTP 401: unknown token", err)
        self.assertEqual(self.counts()[0], 0)
        rc, j, err, _ = self.sync(win, url, os.path.join(self.tmp, "none"))
        self.assertEqual(rc, 1, err)
        self.assertIn("token_file", err)
        rc, j, err, _ = self.sync(win, url, "")
        self.assertEqual(rc, 2, err)
        rc, j, err, _ = self.sync(win, "", self.tf["DMS01"])
        self.assertEqual(rc, 2, err)
        self.assertIn("no central server configured", err)
        self.note("403 / 401 / missing token file / no token_file / no url: "
                  "exit 1, 1, 1, 2, 2 with the reason")


if __name__ == "__main__":
    h.main()
