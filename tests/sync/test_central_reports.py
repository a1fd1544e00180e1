"""Central reports over two branches x two terminals equal the sum of the
windows' own reports; `report days` names what is missing; `verify` finds
a row changed behind the server's back.

The central store and the four windows are made once, by the first test
(centralharness made_once); every test works on fresh copies."""

import os

import centralharness as h

KEYS = ("sold", "refunded", "net", "paid_out", "balance", "owed")


class Reports(h.CentralTestCase):

    WINDOWS = {("DMS01", 1): "d1", ("DMS01", 2): "d2",
               ("HMS01", 1): "h1", ("HMS01", 2): "h2"}

    def make_stores(self):
        tokens = self.init_central(("DMS01", "HMS01", "ALP01"))
        for i, ((b, t), name) in enumerate(self.WINDOWS.items()):
            self.make_window(name, b, t, variant=i, close=(name != "h2"))
        srv = self.serve()
        for (b, _), name in self.WINDOWS.items():
            w = os.path.join(self.tmp, name + ".db")
            st, ans = self.post(srv, tokens[b], self.dump(w))
            self.assertEqual(st, 200, ans)
        self.stop_server(srv)
        return tokens

    def setUp(self):
        super().setUp()
        self.tokens = self.made_once(
            self.make_stores,
            ["central.db"] + [n + ".db" for n in self.WINDOWS.values()])
        self.wins = {k: os.path.join(self.tmp, n + ".db")
                     for k, n in self.WINDOWS.items()}

    def test_producers_equal_the_sum_of_the_windows(self):
        want = {}
        for w in self.wins.values():
            r = self.pos(w, ["report", "producers", "--date", h.DAY1],
                         json_out=True)
            for p in r["producers"]:
                acc = want.setdefault(p["code"], dict.fromkeys(KEYS, 0))
                for k in KEYS:
                    acc[k] += int(p[k])
        for args in (["--date", h.DAY1], ["--from", h.DAY1, "--to", h.DAY1],
                     []):
            cr = self.central(["report", "producers"] + args, json_out=True)
            got = {p["code"]: {k: int(p[k]) for k in KEYS}
                   for p in cr["producers"]}
            self.assertEqual(got, want, args)
            self.assertEqual(int(cr["net"]),
                             sum(p["net"] for p in want.values()))
            self.assertEqual([p["branches"] for p in cr["producers"]], [2, 2])
        cr = self.central(["report", "producers", "--date", "2026-03-02"],
                          json_out=True)
        self.assertEqual({p["code"]: (p["net"], p["owed"])
                          for p in cr["producers"]},
                         {c: ("0", str(v["owed"])) for c, v in want.items()})
        self.note("central producers == sum of 4 windows: %s" % want)
        out, _ = self.central(["report", "producers"])
        self.assertIn("مخبز حماة", out)

    def test_days_names_what_is_missing(self):
        d = self.central(["report", "days"], json_out=True)
        self.assertEqual(d["date"], h.DAY1)
        self.assertEqual([(c["branch"], c["terminal"], c["latest_closed"])
                          for c in d["chains"]],
                         [("DMS01", 1, True), ("DMS01", 2, True),
                          ("HMS01", 1, True), ("HMS01", 2, False)])
        self.assertEqual([(m["branch"], m["terminal"], m["reasons"])
                          for m in d["missing"]],
                         [("ALP01", None, ["never synced"]),
                          ("HMS01", 2, ["day %s not closed" % h.DAY1])])
        d = self.central(["report", "days", "--date", "2026-03-02"],
                         json_out=True)
        self.assertEqual(len(d["missing"]), 5)
        self.assertRegex(d["missing"][1]["reasons"][0],
                         "nothing for 2026-03-02: last synced day 2026-03-01")
        self.central(["report", "days", "--date", "2026-02-30"], rc_want=2)
        self.central(["report", "producers", "--date", "x"], rc_want=2)
        self.central(["report", "producers", "--date", h.DAY1, "--from",
                      h.DAY1], rc_want=2)

    def test_verify_finds_a_changed_row(self):
        v = self.central(["verify"], json_out=True)
        self.assertTrue(v["ok"])
        self.assertEqual(len(v["chains"]), 4)
        for c in v["chains"]:
            self.assertEqual(
                c["head"], self.window_head(self.wins[(c["branch"],
                                                       c["terminal"])])["head"])
        change = ("UPDATE lines SET net = net + 1 WHERE entry_id = (SELECT"
                  " id FROM entries WHERE branch = 'HMS01' AND terminal = 1"
                  " AND seq = 3)")
        self.sql("DROP TRIGGER lines_no_update;" + change,
                 "ALTER TABLE lines DISABLE TRIGGER lines_append_only;"
                 + change)
        rc, out, err = self.run_prog([h.CENTRAL, "verify", "--db", self.cdb,
                                      "--json"])
        self.assertEqual(rc, 1, err)
        import json
        v = json.loads(out)
        self.assertFalse(v["ok"])
        bad = [(c["branch"], c["terminal"], c["bad_seq"]) for c in v["chains"]
               if not c["ok"]]
        self.assertEqual(bad, [("HMS01", 1, 3)])
        self.note("a changed line net: verify exit 1, HMS01/1 seq 3 named")

    def test_cli_errors(self):
        self.central(["branch", "add", "DMS01"], rc_want=2)
        self.central(["branch", "add", "bad code"], rc_want=2)
        self.central(["branch", "revoke", "NOPE"], rc_want=2)
        self.central(["branch", "list", "--bogus"], rc_want=2)
        self.central(["serve"], rc_want=2)
        self.central(["serve", "--listen", "127.0.0.1"], rc_want=2)
        self.central(["frobnicate"], rc_want=2)
        if self.pg:
            none = self.fresh_cdb("none")
        else:
            none = self.cdb + ".none"
        rc, _, err = self.run_prog([h.CENTRAL, "verify", "--db", none])
        self.assertEqual(rc, 2, err)
        self.assertIn("init", err)
        lst = self.central(["branch", "list"], json_out=True)
        self.assertEqual([b["code"] for b in lst["branches"]],
                         ["ALP01", "DMS01", "HMS01"])


if __name__ == "__main__":
    h.main()
