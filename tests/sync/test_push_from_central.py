"""A replaced PC: `pos init --from-central` against the real pos-central.
A window sells over two days and syncs; its store is deleted (the PC
died); a new store is made from the centre's copy of its journal
(GET /v1/journal, paged); it sells and syncs again: central `verify` ok,
receipt numbers gapless, `pos verify` ok. Refusals: an existing store, a
wrong token, a terminal the centre does not know, bad query arguments."""

import os

import pushharness as h

SUP = {"POS_PIN": h.h.SUPERVISOR_PIN}
DAY2 = {"POS_NOW": "2026-03-02T09:00:00Z"}
DAY3 = {"POS_NOW": "2026-03-03T09:00:00Z"}


class FromCentral(h.PushTestCase):

    def window_two_days(self):
        """Window DMS01/1 with two closed days, all synced."""
        tokens = self.init_central(("DMS01",))
        tf = self.token_file(tokens["DMS01"])
        w = self.make_window("w", "DMS01", 1)
        srv = self.serve()
        url = self.url(srv)
        self.sync_ok(w, url, tf)
        self.pos(w, ["day", "open", "--user", "ali", "--float", "5000"],
                 env=DAY2)
        self.sell(w, ("P1*3",), env=DAY2)
        self.sell(w, ("P2*0.500", "P1"), env=DAY2)
        self.pos(w, ["payout", "F11", "2000", "--user", "sam", "--no-print"],
                 env=dict(DAY2, **SUP))
        self.pos(w, ["day", "close", "--user", "sam", "--counted", "9000",
                     "--no-print"], env=dict(DAY2, **SUP))
        self.sync_ok(w, url, tf)
        return tokens, tf, w, srv, url

    def init_from_central(self, db, url, tf, terminal=1, branch="DMS01",
                          page=None):
        """pos --json init --from-central: (rc, stdout, stderr)."""
        env = {"POS_SYNC_URL": url, "POS_SYNC_TOKEN_FILE": tf}
        if page is not None:
            env["POS_SYNC_PAGE"] = str(page)
        return self.run_prog(
            [h.h.POS, "--db", db, "--json", "init", "--branch", branch,
             "--terminal", str(terminal), "--from-central"], env=env)

    @staticmethod
    def remove_store(db):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)

    def receipts(self, db):
        return [e["receipt"] for e in self.dump(db)["entries"]]

    def test_replaced_pc_continues_the_series_and_the_centre_takes_it(self):
        _, tf, w, srv, url = self.window_two_days()
        old = self.window_head(w)
        old_receipts = self.receipts(w)
        old_products = self.pos(w, ["product", "list"],
                                json_out=True)["products"]
        self.assertTrue(old["ok"], old)
        self.remove_store(w)            # the PC died

        # Pages of 3 entries: the journal comes in several.
        rc, out, err = self.init_from_central(w, url, tf, page=3)
        self.assertEqual(rc, 0, "%s\n%s" % (out, err))
        j = h.json.loads(out)
        self.assertEqual((j["entries"], j["head"]), (old["entries"],
                                                     old["head"]))
        self.assertEqual(j["pages"], (old["entries"] + 2) // 3)
        self.assertEqual(j["next_receipt"],
                         "DMS01-1-%06d" % (old["entries"] + 1))
        v = self.window_head(w)
        self.assertEqual((v["ok"], v["entries"], v["head"]),
                         (True, old["entries"], old["head"]))
        self.assertEqual(self.receipts(w), old_receipts)
        st = self.status(w)
        self.assertEqual((st["unsynced"], st["acked_through"]),
                         (0, old["entries"]))
        # Producers and products come back from the journal's lines.
        prods = self.pos(w, ["product", "list"], json_out=True)["products"]

        def key(p):
            return (p["code"], p["name"], p["price"], p["unit"],
                    p["producer"], p["producer_name"])
        self.assertEqual(sorted(map(key, prods)),
                         sorted(map(key, old_products)))
        self.note("restored %d entries in %d pages (head %s…), %d "
                  "producers, %d products; pos verify ok; nothing unsynced"
                  % (j["entries"], j["pages"], j["head"][:12],
                     j["producers"], j["products"]))

        # PINs never leave the window: the users are made again.
        self.pos(w, ["user", "add", "ali", "--role", "attendant"],
                 stdin=(h.h.ATTENDANT_PIN + "\n").encode())
        self.pos(w, ["user", "add", "sam", "--role", "supervisor"],
                 stdin=(h.h.SUPERVISOR_PIN + "\n").encode())
        o = self.pos(w, ["day", "open", "--user", "ali", "--float", "5000"],
                     env=DAY3, json_out=True)
        s = self.sell(w, ("P1*2",), env=DAY3)
        self.assertEqual(o["receipt"], "DMS01-1-%06d" % (old["entries"] + 1))
        self.assertEqual(s["receipt"], "DMS01-1-%06d" % (old["entries"] + 2))
        sync = self.sync_ok(w, url, tf)
        self.assertEqual((sync["sent"], sync["rejected"]), (2, []))
        got = self.receipts(w)
        self.assertEqual(got, ["DMS01-1-%06d" % i
                               for i in range(1, len(got) + 1)])
        self.assert_central_equals_window(w, "DMS01", 1)
        cv = self.central(["verify"], json_out=True)
        self.assertTrue(cv["ok"], cv)
        self.assertTrue(self.window_head(w)["ok"])
        self.note("after the restore: %s and %s accepted by the centre; "
                  "receipts 1..%d gapless; central verify ok"
                  % (o["receipt"], s["receipt"], len(got)))

    def test_get_journal_pages_the_entries_as_pushed(self):
        tokens, _, w, srv, _ = self.window_two_days()
        tok = tokens["DMS01"]
        want = self.dump(w)["entries"]
        got, after, pages = [], 0, 0
        while after is not None:
            st, j = self.post(srv, tok, b"", method="GET",
                              path="/v1/journal?terminal=1&after=%d&limit=4"
                              % after)
            self.assertEqual(st, 200, j)
            self.assertLessEqual(len(j["entries"]), 4)
            self.assertEqual(j["acked_through"], len(want))
            got += j["entries"]
            after = j["next"]
            pages += 1
        self.assertEqual(got, want)
        self.assertEqual(pages, (len(want) + 3) // 4)
        st, j = self.post(srv, tok, b"", method="GET",
                          path="/v1/journal?terminal=1&after=%d" % len(want))
        self.assertEqual((st, j["entries"], j["next"]), (200, [], None))
        for q, why in (("", "terminal: needed"),
                       ("?terminal=abc", "terminal: must be"),
                       ("?terminal=1&after=-1", "after: must be"),
                       ("?terminal=1&limit=0", "limit: must be 1..1000"),
                       ("?terminal=1&limit=1001", "limit: must be 1..1000"),
                       ("?terminal=1&terminal=1", "given twice"),
                       ("?terminal=1&seq=3", "does not take")):
            st, j = self.post(srv, tok, b"", method="GET",
                              path="/v1/journal" + q)
            self.assertEqual(st, 400, (q, j))
            self.assertIn(why, j["error"], q)
        st, j = self.post(srv, tok, b"", method="GET",
                          path="/v1/journal?terminal=7")
        self.assertEqual(st, 404, j)
        st, j = self.post(srv, "0" * 64, b"", method="GET",
                          path="/v1/journal?terminal=1")
        self.assertEqual(st, 401, j)
        self.note("%d entries in %d pages of 4, equal to the window's wire "
                  "form; 400 for 7 bad queries, 404 unknown terminal, 401 "
                  "unknown token" % (len(want), pages))

    def test_refusals_leave_no_store(self):
        _, tf, w, srv, url = self.window_two_days()
        # An existing store is never replaced.
        before = self.window_head(w)
        rc, out, err = self.init_from_central(w, url, tf)
        self.assertEqual(rc, 2, "%s\n%s" % (out, err))
        self.assertIn("already exists", err)
        self.assertEqual(self.window_head(w), before)

        fresh = os.path.join(self.tmp, "new.db")
        bad = self.token_file("f" * 64, "bad-token")
        rc, out, err = self.init_from_central(fresh, url, bad)
        self.assertEqual(rc, 3, "%s\n%s" % (out, err))
        self.assertIn("unknown token", err)
        rc, out, err = self.init_from_central(fresh, url, tf, terminal=7)
        self.assertEqual(rc, 2, "%s\n%s" % (out, err))
        self.assertIn("no journal of branch DMS01 terminal 7", err)
        rc, out, err = self.init_from_central(fresh, self.dead_url(), tf)
        self.assertEqual(rc, 1, "%s\n%s" % (out, err))
        left = [f for f in os.listdir(self.tmp) if f.startswith("new.db")]
        self.assertEqual(left, [])
        self.note("existing store: exit 2, unchanged; wrong token: exit 3; "
                  "unknown terminal: exit 2; no server: exit 1; no file "
                  "left behind")

    def test_a_centre_chain_that_does_not_verify_is_refused(self):
        _, tf, w, srv, url = self.window_two_days()
        # Someone with write access to the central store changes a payout.
        self.sql("DROP TRIGGER entries_no_update;"
                 " UPDATE entries SET amount = amount + 1"
                 " WHERE kind = 'payout' AND seq = ("
                 "  SELECT max(seq) FROM entries WHERE kind = 'payout')",
                 "ALTER TABLE entries DISABLE TRIGGER entries_append_only;"
                 " UPDATE entries SET amount = amount + 1"
                 " WHERE kind = 'payout' AND seq = ("
                 "  SELECT max(seq) FROM entries WHERE kind = 'payout')")
        bad = self.sql("SELECT max(seq) FROM entries WHERE kind = 'payout'")
        self.remove_store(w)
        rc, out, err = self.init_from_central(w, url, tf)
        self.assertEqual(rc, 2, "%s\n%s" % (out, err))
        self.assertIn("does not verify: seq %d: hash does not match"
                      % int(bad[0][0]), err)
        self.assertFalse(os.path.exists(w))
        self.assertEqual([f for f in os.listdir(self.tmp)
                          if f.startswith("w.db")], [])
        self.note("payout seq %s altered in the central store: exit 2 (%s), "
                  "no store made" % (bad[0][0], err.strip()[:90]))


if __name__ == "__main__":
    h.main()
