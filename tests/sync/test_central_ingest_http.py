"""The happy path over HTTP: a real window's journal reaches pos-central,
is stored once, chains to the same head, and the central producer report
equals the window's."""

import centralharness as h


class IngestHttp(h.CentralTestCase):

    def test_window_day_accepted_once_then_duplicate(self):
        tok = self.init_central()["DMS01"]
        win = self.make_window("w1", "DMS01", 1)
        batch = self.dump(win)
        n = len(batch["entries"])
        wv = self.window_head(win)
        self.assertEqual(wv["entries"], n)
        srv = self.serve()

        st, ans = self.post(srv, tok, batch, key="batch-1")
        self.assertEqual(st, 200, ans)
        self.assertEqual([r["status"] for r in ans["results"]],
                         ["accepted"] * n)
        self.assertEqual([r["seq"] for r in ans["results"]],
                         list(range(1, n + 1)))
        self.assertEqual(ans["acked_through"], n)
        self.assertEqual(ans["head"], wv["head"])
        self.note("%d entries accepted, head equals the window's" % n)

        st, again = self.post(srv, tok, batch)
        self.assertEqual(st, 200, again)
        self.assertEqual([r["status"] for r in again["results"]],
                         ["duplicate"] * n)
        self.assertEqual(again["acked_through"], n)
        self.assertEqual(again["head"], wv["head"])
        self.note("the same batch again: all duplicate")

        st, replay = self.post(srv, tok, batch, key="batch-1")
        self.assertEqual((st, replay), (200, ans))
        self.note("same Idempotency-Key and body: the first answer again")
        st, other = self.post(srv, tok, self.dump(win, 1, 2), key="batch-1")
        self.assertEqual(st, 422, other)

        entries, lines, pays, uuids = self.counts()
        self.assertEqual((entries, uuids), (n, n))
        wl = sum(len(e["lines"]) for e in batch["entries"])
        wp = sum(len(e["payments"]) for e in batch["entries"])
        self.assertEqual((lines, pays), (wl, wp))

        v = self.central(["verify"], json_out=True)
        self.assertTrue(v["ok"], v)
        self.assertEqual(v["chains"], [{
            "branch": "DMS01", "terminal": 1, "entries": n,
            "head": wv["head"], "ok": True, "bad_seq": None, "error": None}])

        st, status = self.post(srv, tok, b"", method="GET", path="/v1/status")
        self.assertEqual(st, 200)
        self.assertEqual(status["branch"], "DMS01")
        self.assertEqual([(t["terminal"], t["acked_through"], t["head"])
                          for t in status["terminals"]],
                         [(1, n, wv["head"])])
        st, body = self.post(srv, None, b"", method="GET", path="/healthz")
        self.assertEqual((st, body), (200, "ok\n"))

        # Producer earnings: the window's own report for the day.
        wr = self.pos(win, ["report", "producers", "--date", h.DAY1],
                      json_out=True)
        cr = self.central(["report", "producers", "--date", h.DAY1],
                          json_out=True)
        keys = ("sold", "refunded", "net", "paid_out", "balance", "owed")
        want = {p["code"]: {k: p[k] for k in keys + ("name",)}
                for p in wr["producers"]}
        got = {p["code"]: {k: p[k] for k in keys + ("name",)}
               for p in cr["producers"]}
        self.assertEqual(got, want)
        self.assertEqual(cr["net"], wr["net"])
        self.note("central report producers == window report producers")

        days = self.central(["report", "days"], json_out=True)
        self.assertEqual(days["date"], h.DAY1)
        self.assertEqual(days["missing"], [])
        (c,) = days["chains"]
        self.assertEqual((c["last_seq"], c["latest_day"], c["latest_closed"]),
                         (n, h.DAY1, True))

    def test_batches_in_pieces_then_gap_is_409(self):
        tok = self.init_central()["DMS01"]
        win = self.make_window("w1", "DMS01", 1)
        n = len(self.dump(win)["entries"])
        srv = self.serve()

        st, ans = self.post(srv, tok, self.dump(win, 4, 2))
        self.assertEqual(st, 409, ans)
        self.assertEqual((ans["expected_seq"], ans["acked_through"]), (1, 0))
        self.assertEqual(self.counts()[0], 0)
        self.note("a batch starting at seq 4 on an empty chain: 409, seq 1")

        st, ans = self.post(srv, tok, self.dump(win, 1, 3))
        self.assertEqual((st, ans["acked_through"]), (200, 3))
        # Overlap: 2..5 gives duplicates 2, 3 and accepts 4, 5.
        st, ans = self.post(srv, tok, self.dump(win, 2, 4))
        self.assertEqual(st, 200, ans)
        self.assertEqual([(r["seq"], r["status"]) for r in ans["results"]],
                         [(2, "duplicate"), (3, "duplicate"),
                          (4, "accepted"), (5, "accepted")])
        st, ans = self.post(srv, tok, self.dump(win, 7, 0))
        self.assertEqual(st, 409, ans)
        self.assertEqual(ans["expected_seq"], 6)
        st, ans = self.post(srv, tok, self.dump(win, 6, 0))
        self.assertEqual((st, ans["acked_through"]), (200, n))
        self.assertEqual(ans["head"], self.window_head(win)["head"])
        self.assertEqual(self.counts()[0], n)

    def test_empty_batch_reports_the_head(self):
        tok = self.init_central()["DMS01"]
        srv = self.serve()
        st, ans = self.post(srv, tok, {"format": 1, "branch": "DMS01",
                                       "terminal": 2, "entries": []})
        self.assertEqual(st, 200, ans)
        self.assertEqual((ans["results"], ans["acked_through"], ans["head"]),
                         ([], 0, "0" * 64))


if __name__ == "__main__":
    h.main()
