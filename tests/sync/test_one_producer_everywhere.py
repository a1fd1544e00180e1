"""One producer everywhere, end to end: three windows (two branches) sell
offline over three days and sync at random moments (seeded), with the real
`pos sync` against the real pos-central (SQLite, or PostgreSQL as the _pg
twin). The centre's producers reach every window; one window adds a
producer offline that the office later merges into the register's; another
window calls a registered code by another name (a conflict). Then every
figure of `pos-central report producers` (with its `windows` array) and of
`report days` equals the sum of the windows' own reports, unit for unit,
and after a final sync `owed_all_windows` at each window equals the
centre's owed for that producer."""

import random

import pushharness as h

SUP = {"POS_PIN": h.h.SUPERVISOR_PIN}
DAYS = ("2026-03-01", "2026-03-02", "2026-03-03")
SEED = 1515
KEYS = ("sold", "refunded", "net", "paid_out", "balance", "owed")
WKEYS = ("net", "paid_out", "owed")
Z_KEYS = ("date", "sessions", "closed", "sales_count", "gross", "discounts",
          "refunds", "refunds_count", "voids", "voids_total", "net",
          "by_method", "payouts", "cash_in", "cash_out", "float",
          "expected_cash", "counted_cash", "difference", "first_seq",
          "last_seq")
# What the office sees the merged code as.
MERGE = {"UMMAHMAD": "UMM-AHMAD"}


class OneProducerEverywhere(h.PushTestCase):

    def register(self):
        for args in (["producer", "add", "UMM-AHMAD", "أم أحمد"],
                     ["producer", "add", "FAM-KHOURY", "بيت الخوري"],
                     ["producer", "add", "F07", "مخبز حماة"],
                     ["product", "add", "MAKDOUS", "مكدوس", "12000",
                      "--producer", "UMM-AHMAD", "--unit", "kg"],
                     ["product", "add", "P1", "خبز", "1500", "--producer",
                      "F07"],
                     ["product", "add", "SOAP", "صابون", "3000",
                      "--producer", "FAM-KHOURY"]):
            self.central(args)

    def window(self, name, branch, terminal):
        db = self.tmp + "/" + name + ".db"
        self.pos(db, ["init", "--branch", branch, "--terminal",
                      str(terminal)])
        self.pos(db, ["user", "add", "ali", "--role", "attendant"],
                 stdin=(h.h.ATTENDANT_PIN + "\n").encode())
        self.pos(db, ["user", "add", "sam", "--role", "supervisor"],
                 stdin=(h.h.SUPERVISOR_PIN + "\n").encode())
        return db

    def at(self, day, hhmm):
        return {"POS_NOW": "%sT%s:00Z" % (day, hhmm)}

    def maybe_sync(self, db, branch):
        if self.rng.random() < 0.35:
            self.sync_ok(db, self.url_, self.tf[branch])
            self.synced += 1

    def sell_day(self, db, branch, day, items):
        """A day at one window: open, random sales, a refund, a payout,
        close; a sync may come after any of them."""
        env = self.at(day, "06:00")
        self.pos(db, ["day", "open", "--user", "ali", "--float", "50000"],
                 env=env)
        sales = []
        for k in range(self.rng.randint(3, 5)):
            env = self.at(day, "%02d:%02d" % (7 + k, self.rng.randint(0, 59)))
            picked = self.rng.sample(items, self.rng.randint(1, 2))
            lines = ["%s*%d" % (c, self.rng.randint(1, 3)) for c in picked]
            sales.append((self.sell(db, lines, env=env), picked[0]))
            self.maybe_sync(db, branch)
        env = self.at(day, "12:30")
        s, code = sales[self.rng.randrange(len(sales))]
        self.pos(db, ["refund", s["receipt"], code + "*1", "--user", "sam",
                      "--no-print"], env=dict(env, **SUP))
        self.maybe_sync(db, branch)
        owed = self.pos(db, ["report", "producers"], env=env,
                        json_out=True)["producers"]
        payable = [p for p in owed if int(p["owed"]) >= 1000]
        if payable:
            p = self.rng.choice(payable)
            self.pos(db, ["payout", p["code"], "1000", "--user", "sam",
                          "--no-print"], env=dict(env, **SUP))
        z = self.pos(db, ["report", "x"], env=env, json_out=True)
        self.pos(db, ["day", "close", "--user", "sam", "--counted",
                      str(int(z["expected_cash"]) - self.rng.choice((0, 0,
                          500))), "--no-print"], env=dict(env, **SUP))
        self.maybe_sync(db, branch)

    def test_every_figure_at_the_centre_is_the_windows_sum(self):
        self.rng = random.Random(SEED)
        self.synced = 0
        tokens = self.init_central(("DMS01", "ALP02"))
        self.tf = {b: self.token_file(t) for b, t in tokens.items()}
        self.register()
        wins = [("w1", "DMS01", 1), ("w2", "DMS01", 2), ("w3", "ALP02", 1)]
        dbs = {n: self.window(n, b, t) for n, b, t in wins}
        # A conflict: w2 knew FAM-KHOURY by another name before any pull.
        self.pos(dbs["w2"], ["producer", "add", "FAM-KHOURY",
                             "Khoury family"])
        self.pos(dbs["w2"], ["product", "add", "KH-OIL", "Olive oil soap",
                             "2500", "--producer", "FAM-KHOURY"])
        # The server's clock at the end of the last day: entries of every
        # day are in the past for it.
        self.env["POS_NOW"] = "%sT20:00:00Z" % DAYS[-1]
        srv = self.serve()
        self.url_ = self.url(srv)
        for n, b, _ in wins:
            self.sync_ok(dbs[n], self.url_, self.tf[b])
        for n in dbs:
            prs = {p["code"]: p for p in self.pos(
                dbs[n], ["producer", "list"], json_out=True)["producers"]}
            self.assertTrue(prs["UMM-AHMAD"]["central"], n)
            self.assertTrue(prs["F07"]["central"], n)
        self.assertIsNotNone({p["code"]: p for p in self.pos(
            dbs["w2"], ["producer", "list"], json_out=True)["producers"]}
            ["FAM-KHOURY"]["conflict"])
        self.note("the register's producers reached all three windows; w2's "
                  "FAM-KHOURY 'Khoury family' is kept and flagged")
        # w3 adds Umm Ahmad offline under another code.
        self.pos(dbs["w3"], ["producer", "add", "UMMAHMAD", "أم أحمد"])
        self.pos(dbs["w3"], ["product", "add", "MAK2", "مكدوس بيتي", "10000",
                             "--producer", "UMMAHMAD"])
        items = {"w1": ["MAKDOUS", "P1", "SOAP"],
                 "w2": ["MAKDOUS", "P1", "KH-OIL"],
                 "w3": ["MAKDOUS", "P1", "SOAP", "MAK2"]}
        for i, day in enumerate(DAYS):
            for n, b, _ in wins:
                self.sell_day(dbs[n], b, day, items[n])
            if i == 1:
                # Once w3 has synced, its own producer shows at the centre
                # as local to it.
                self.sync_ok(dbs["w3"], self.url_, self.tf["ALP02"])
                pl = self.central(["producer", "list"], json_out=True)
                self.assertIn(("UMMAHMAD", "ALP02", 1),
                              [(p["code"], p["branch"], p["terminal"])
                               for p in pl["local"]])
                self.assertNotIn("UMMAHMAD",
                                 [p["code"] for p in pl["producers"]])
                self.central(["producer", "merge", "UMMAHMAD", "UMM-AHMAD"])
                self.note("UMMAHMAD, added offline at ALP02/1, shows at the "
                          "centre as local to it; merged into UMM-AHMAD")
        conf = self.central(["report", "conflicts"], json_out=True)
        self.assertIn("FAM-KHOURY", [c["code"] for c in conf["producers"]])
        # Two rounds: the second pull brings owed figures with every push.
        for _ in (1, 2):
            for n, b, _t in wins:
                self.sync_ok(dbs[n], self.url_, self.tf[b])
        self.note("%d syncs at random moments (seed %d) over %d days, then "
                  "two final rounds" % (self.synced, SEED, len(DAYS)))

        period = ["--from", DAYS[0], "--to", DAYS[-1]]
        cr = self.central(["report", "producers"] + period, json_out=True)
        centre = {p["code"]: p for p in cr["producers"]}
        self.assertNotIn("UMMAHMAD", centre, "merged into UMM-AHMAD")
        want, wwin = {}, {}
        for n, b, t in wins:
            codes = [p["code"] for p in self.pos(
                dbs[n], ["producer", "list"], json_out=True)["producers"]]
            for c in codes:
                p = self.pos(dbs[n], ["report", "producer", c] + period,
                             json_out=True)
                code = MERGE.get(c, c)
                acc = want.setdefault(code, dict.fromkeys(KEYS, 0))
                wacc = wwin.setdefault(code, {}).setdefault(
                    (b, t), dict.fromkeys(WKEYS, 0))
                for k in KEYS:
                    acc[k] += int(p[k])
                for k in WKEYS:
                    wacc[k] += int(p[k])
        # A producer with nothing anywhere in the period is no row.
        want = {c: v for c, v in want.items() if any(v.values())}
        wwin = {c: {w: v for w, v in ws.items() if any(v.values())}
                for c, ws in wwin.items()}
        got = {c: {k: int(p[k]) for k in KEYS} for c, p in centre.items()}
        self.assertEqual(got, want)
        for code, p in centre.items():
            gw = {(w["branch"], w["terminal"]): {k: int(w[k]) for k in WKEYS}
                  for w in p["windows"]}
            self.assertEqual(gw, wwin[code], code)
        self.assertEqual(sum(v["net"] for v in want.values()),
                         sum(int(p["net"]) for p in centre.values()))
        self.note("report producers: %d producers, every figure and every "
                  "windows[] row equals the windows' own (UMMAHMAD counted "
                  "as UMM-AHMAD), net %s in all"
                  % (len(got), sum(v["net"] for v in want.values())))

        d = self.central(["report", "days"] + period, json_out=True)
        rows = {(r["branch"], r["terminal"], r["date"]): r for r in d["days"]}
        self.assertEqual(len(rows), len(wins) * len(DAYS))
        nets = 0
        for n, b, t in wins:
            for day in DAYS:
                z = self.pos(dbs[n], ["report", "z", "--date", day],
                             json_out=True)
                row = rows[(b, t, day)]
                self.assertEqual({k: row[k] for k in Z_KEYS},
                                 {k: z[k] for k in Z_KEYS}, (n, day))
                nets += int(z["net"])
        self.assertEqual(nets, sum(v["net"] for v in want.values()))
        self.note("report days: 9 window-days, every figure equals the "
                  "window's Z; the days' nets sum to the producers' nets")

        for n in dbs:
            for code in ("UMM-AHMAD", "F07", "FAM-KHOURY"):
                j = self.pos(dbs[n], ["report", "producer", code],
                             json_out=True)
                self.assertEqual(int(j["owed_all_windows"]),
                                 max(int(centre[code]["owed"]), 0),
                                 (n, code))
        self.note("after the final sync, owed_all_windows at each window "
                  "equals the centre's owed (UMM-AHMAD %s, F07 %s, "
                  "FAM-KHOURY %s)" % tuple(centre[c]["owed"] for c in
                                           ("UMM-AHMAD", "F07",
                                            "FAM-KHOURY")))
        self.stop_server(srv)


if __name__ == "__main__":
    h.main()
