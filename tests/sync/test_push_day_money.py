"""The office's view of every window-day in money: real windows (a
discount, a card and cash split, a void, a refund, a payout, cash in and
out, two sessions in one date) pushed with the real `pos sync` to the real
pos-central. Every figure of `report days --json` equals the window's own
`pos --json report z --date D`; `report missing` lists a day not closed, a
cash difference, a terminal not heard from and an entry the centre
rejected (recorded once, counted at every resend)."""

import sqlite3

import pushharness as h

SUP = {"POS_PIN": h.h.SUPERVISOR_PIN}
LATE = "2026-03-01T14:05:00Z"     # 17:05 at the window: session 2
LATER = "2026-03-01T15:00:00Z"    # when the office looks

# Every key of a day row that the window's Z report has too.
Z_KEYS = ("date", "sessions", "closed", "sales_count", "gross", "discounts",
          "refunds", "refunds_count", "voids", "voids_total", "net",
          "by_method", "payouts", "cash_in", "cash_out", "float",
          "expected_cash", "counted_cash", "difference", "first_seq",
          "last_seq")


class PushDayMoney(h.PushTestCase):

    def windows(self):
        """DMS01/1 with two sessions on DAY1, both closed, the drawer
        short; DMS01/2 with its day open, last heard from at 09:00."""
        tokens = self.init_central(("DMS01",))
        tf = self.token_file(tokens["DMS01"])
        w1 = self.make_window("w1", "DMS01", 1)
        w2 = self.make_window("w2", "DMS01", 2, close=False, variant=1)
        srv = self.serve()
        self.sync_ok(w1, self.url(srv), tf)
        self.sync_ok(w2, self.url(srv), tf)
        self.stop_server(srv)

        # Session 2 of the same date, and a server whose clock says so.
        late = {"POS_NOW": LATE}
        self.pos(w1, ["day", "open", "--user", "ali", "--float", "500"],
                 env=late)
        self.sell(w1, ("P1*3",), env=late)
        s = self.pos(w1, ["sell", "--user", "ali", "--no-print", "P1*2",
                          "--pay", "card:3000"], env=late, json_out=True)
        self.pos(w1, ["refund", s["receipt"], "P1*1", "--user", "sam",
                      "--no-print"], env=dict(late, **SUP))
        self.pos(w1, ["cash", "out", "700", "--user", "ali", "--reason",
                      "bank"], env=late)
        self.pos(w1, ["day", "close", "--user", "sam", "--counted", "4000",
                      "--no-print"], env=dict(late, **SUP))
        self.env["POS_NOW"] = LATE
        srv = self.serve()
        self.sync_ok(w1, self.url(srv), tf)

        # DMS01/3: its seq 3 changed in the store file, rejected twice.
        w3 = self.make_window("w3", "DMS01", 3)
        con = sqlite3.connect(w3)
        con.executescript("DROP TRIGGER journal_no_update;"
                          "UPDATE journal SET total = total + 1"
                          " WHERE seq = 3;")
        con.close()
        for _ in (1, 2):
            rc, j, err, _ = self.sync(w3, self.url(srv), tf)
            self.assertEqual(rc, 1, (j, err))
        self.env["POS_NOW"] = h.h.DAY1_NOW
        self.w3, self.srv, self.tf = w3, srv, tf
        return w1, w2

    def report(self, args=(), now=LATER):
        rc, out, err = self.run_prog([h.h.CENTRAL] + list(args) +
                                     ["--db", self.cdb, "--json"],
                                     env={"POS_NOW": now})
        self.assertEqual(rc, 0, "pos-central %s: %s %s" % (args, out, err))
        return h.json.loads(out)

    def row(self, d, terminal):
        rows = [r for r in d["days"] if r["branch"] == "DMS01" and
                r["terminal"] == terminal and r["date"] == h.h.DAY1]
        self.assertEqual(len(rows), 1, d["days"])
        return rows[0]

    def test_days_equal_the_windows_z_and_missing_names_what_to_chase(self):
        w1, w2 = self.windows()

        d = self.report(["report", "days", "--date", h.h.DAY1])
        # The keys the report had before are all still there.
        for c in d["chains"]:
            for k in ("branch", "terminal", "last_seq", "head",
                      "last_received", "days", "latest_day", "last_sync"):
                self.assertIn(k, c)
            for day in c["days"]:
                self.assertIn("sessions", day)
        # The open day's own figures are its X report (one session).
        for w, t, rep in ((w1, 1, ["z", "--date", h.h.DAY1]),
                          (w2, 2, ["x"])):
            wz = self.pos(w, ["report"] + rep, json_out=True)
            row = self.row(d, t)
            self.assertEqual({k: row[k] for k in Z_KEYS},
                             {k: wz[k] for k in Z_KEYS}, "terminal %d" % t)
            self.assertEqual(row["entries"], wz["last_seq"])
            self.note("DMS01/%d %s: %s" % (t, h.h.DAY1, ", ".join(
                "%s %s" % (k, row[k]) for k in Z_KEYS[1:])))
        r1, r2 = self.row(d, 1), self.row(d, 2)
        # What the two windows were made to show.
        self.assertEqual((r1["sessions"], r1["closed"]), (2, True))
        self.assertNotEqual(r1["difference"], "0")
        self.assertNotEqual(r1["discounts"], "0")
        self.assertNotEqual(r1["voids_total"], "0")
        self.assertNotEqual(r1["refunds"], "0")
        self.assertNotEqual(r1["by_method"]["card"], "0")
        self.assertNotEqual(r1["cash_out"], "0")
        self.assertEqual((r2["closed"], r2["counted_cash"],
                          r2["difference"]), (False, None, None))
        self.assertEqual(r1["last_sync"], LATE)
        self.assertEqual(r2["last_sync"], h.h.DAY1_NOW)

        # No period: the report's date, the latest; --from/--to; a date
        # with nothing.
        self.assertEqual(self.report(["report", "days"])["days"], d["days"])
        self.assertEqual(self.report(["report", "days", "--from", h.h.DAY1,
                                      "--to", h.h.DAY1])["days"], d["days"])
        self.assertEqual(self.report(["report", "days", "--date",
                                      "2026-03-02"])["days"], [])
        rc, _, err = self.run_prog([h.h.CENTRAL, "report", "days", "--from",
                                    "2026-03-02", "--to", h.h.DAY1, "--db",
                                    self.cdb])
        self.assertEqual(rc, 2, err)
        self.assertIn("after", err)

        # The office at 15:00, chasing what is more than 3 hours old.
        m = self.report(["report", "missing", "--hours", "3"])
        self.assertEqual([(s["branch"], s["terminal"], s["last_sync"])
                          for s in m["stale"]],
                         [("DMS01", 2, h.h.DAY1_NOW)])
        self.assertEqual([(s["terminal"], s["date"], s["sessions"],
                           s["closed_sessions"]) for s in m["not_closed"]],
                         [(2, h.h.DAY1, 1, 0), (3, h.h.DAY1, 1, 0)])
        self.assertEqual([(s["terminal"], s["seq"], s["receipt"],
                           s["times"], s["last_at"]) for s in m["rejected"]],
                         [(3, 3, "DMS01-3-000003", 2, LATE)])
        self.assertIn("hash", m["rejected"][0]["reason"])
        self.assertEqual([(s["terminal"], s["date"], s["difference"])
                          for s in m["differences"]],
                         [(1, h.h.DAY1, r1["difference"])])
        # The default is 24 hours: nobody is stale yet.
        self.assertEqual(self.report(["report", "missing"])["stale"], [])
        rc, out, _ = self.run_prog([h.h.CENTRAL, "report", "missing",
                                    "--hours", "3", "--db", self.cdb],
                                   env={"POS_NOW": LATER})
        self.assertEqual(rc, 0)
        self.assertIn("DMS01/2: not heard from for 6 hours", out)
        self.assertIn("DMS01/2: day %s not closed" % h.h.DAY1, out)
        self.assertIn("DMS01/1: day %s cash difference %s"
                      % (h.h.DAY1, r1["difference"]), out)
        self.assertIn("DMS01/3: seq 3 (DMS01-3-000003) rejected 2 times", out)
        rc, _, err = self.run_prog([h.h.CENTRAL, "report", "missing",
                                    "--hours", "x", "--db", self.cdb])
        self.assertEqual(rc, 2, err)

        # The window gets past it: no longer listed.
        con = sqlite3.connect(self.w3)
        con.executescript("UPDATE journal SET total = total - 1"
                          " WHERE seq = 3;")
        con.close()
        self.sync_ok(self.w3, self.url(self.srv), self.tf)
        again = self.report(["report", "missing", "--hours", "3"])
        self.assertEqual(again["rejected"], [])
        self.assertEqual([s["terminal"] for s in again["not_closed"]], [2])
        self.note("report missing --hours 3 at %s: stale DMS01/2, not "
                  "closed DMS01/2 and /3, difference DMS01/1 %s, rejected "
                  "DMS01/3 seq 3 (%s)" % (LATER, r1["difference"],
                                          m["rejected"][0]["reason"]))



    def test_a_producer_paid_then_voided_owes_the_window_at_the_centre(self):
        tokens = self.init_central(("DMS01",))
        tf = self.token_file(tokens["DMS01"])
        w = self.make_window("debt", "DMS01", 1, day=False)
        self.pos(w, ["day", "open", "--user", "ali", "--float", "10000"])
        s = self.sell(w, ("P1*4",))
        self.pos(w, ["payout", "F07", "6000", "--user", "sam",
                     "--no-print"], env=SUP)
        self.pos(w, ["void", s["receipt"], "--user", "sam", "--reason",
                     "x", "--no-print"], env=SUP)
        srv = self.serve()
        self.sync_ok(w, self.url(srv), tf)
        self.stop_server(srv)
        mine = [p for p in self.pos(w, ["report", "producers"],
                                    json_out=True)["producers"]
                if p["code"] == "F07"][0]
        central = [p for p in self.report(["report", "producers"])
                   ["producers"] if p["code"] == "F07"][0]
        self.assertEqual((mine["owed"], mine["owes_window"]), ("0", "6000"))
        self.assertEqual((central["owed"], central["owes_window"]),
                         (mine["owed"], mine["owes_window"]), central)
        rc, out, err = self.run_prog([h.h.CENTRAL, "report", "producers",
                                      "--db", self.cdb])
        self.assertEqual(rc, 0, err)
        line = [ln for ln in out.splitlines() if ln.startswith("F07")][0]
        self.assertIn("owes 6000", line)
        self.assertIn("over 6000", line)
        self.assertNotIn("-6", line)
        self.note("paid 6,000 then voided: the centre says owed 0, owes the "
                  "window 6,000, as the window does; text: %s" % line)

if __name__ == "__main__":
    h.main()
