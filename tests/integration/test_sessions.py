"""Business dates and their sessions (shifts), on real store files.

A date closed at 17:00 opens again as its session 2 at 17:05 (Damascus,
UTC+3); each close gives its own Z (`Z 2026-03-01 #2`), `report z --date`
sums the date and `--session N` gives one; `report x` is the open session;
a session left open past midnight still takes sales, says so on every one,
and its Z shows its first and last sale times; a closed session's sales are
not voided (its Z never changes); `pos show --last` prints the last sale;
the Z slip names the session and its sale times. The clock is POS_NOW.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import posharness  # noqa: E402
from posharness import PosTestCase, SUPERVISOR_PIN  # noqa: E402

D1 = "2026-03-01"


def at(utc):
    return {"POS_NOW": utc}


def sup(utc):
    return {"POS_NOW": utc, "POS_PIN": SUPERVISOR_PIN}


class Sessions(PosTestCase):

    def setUp(self):
        super().setUp()
        self.init_store()
        self.add_users()
        self.ok(["producer", "add", "F1", "أسرة الحلبي"])
        self.ok(["product", "add", "A", "مربى", "1500", "--producer", "F1"])
        self.ok(["product", "add", "B", "Bowl", "25000", "--producer", "F1"])

    def sell(self, items, utc, pay=None):
        args = ["sell", "--no-print", "--user", "ali"] + list(items)
        if pay:
            args += ["--pay", pay]
        rc, out, err = self.run_pos(args, json_out=True, env=at(utc))
        self.assertEqual(rc, 0, err)
        return json.loads(out), err

    def test_two_sessions_in_a_date_each_with_its_z(self):
        # Session 1: 09:00-17:00 local, float 1000, one sale of 1500.
        self.ok(["day", "open", "--user", "ali", "--float", "1000"],
                env=at("2026-03-01T06:00:00Z"))
        s1, _ = self.sell(["A"], "2026-03-01T07:15:00Z")
        z1 = self.j(["day", "close", "--user", "sam", "--counted", "2500",
                     "--no-print"], env=sup("2026-03-01T14:00:00Z"))
        self.assertEqual((z1["date"], z1["session"], z1["sessions"],
                          z1["closed"], z1["expected_cash"], z1["difference"]),
                         (D1, 1, 1, True, "2500", "0"))
        self.fails(["sell", "--no-print", "--user", "ali", "A"], 3, "no day",
                   env=at("2026-03-01T14:01:00Z"))

        # 17:05: the customer is served in session 2 of the same date.
        out = self.ok(["day", "open", "--user", "ali", "--float", "300"],
                      env=at("2026-03-01T14:05:00Z"))
        self.assertIn("day %s session 2 open" % D1, out)
        s2, err = self.sell(["B", "A*2"], "2026-03-01T14:06:00Z",
                            "cash:28000")
        self.assertEqual(s2["date"], D1)
        self.assertNotIn("still open", err)
        x = self.j(["report", "x"], env=at("2026-03-01T14:07:00Z"))
        self.assertEqual((x["session"], x["sessions"], x["closed"],
                          x["sales_count"], x["float"], x["expected_cash"]),
                         (2, 1, False, 1, "300", "28300"))
        self.assertIsNone(x["counted_cash"])
        # A sale of the closed session is refunded, never voided.
        self.fails(["void", s1["receipt"], "--user", "sam", "--reason", "x"],
                   2, "closed session", env=sup("2026-03-01T14:08:00Z"))
        # The whole date cannot have a Z while a session is open.
        self.fails(["report", "z", "--date", D1], 3, "still open")
        # The drawer is the session's: cash out above it is refused.
        self.fails(["cash", "out", "28301", "--user", "ali", "--reason", "x"],
                   2, "hold only 28300", env=at("2026-03-01T14:09:00Z"))
        out = self.ok(["day", "close", "--user", "sam", "--counted", "28300",
                       "--no-print"], env=sup("2026-03-01T16:00:00Z"))
        self.assertIn("Z %s #2  (closed)" % D1, out)
        self.note("session 1 closed at 17:00, session 2 opened at 17:05 with "
                  "its own float and drawer; void of a session-1 sale refused")

        # Z per session and per date: the date is the sum of its sessions.
        zs = [self.j(["report", "z", "--date", D1, "--session", str(n)])
              for n in (1, 2)]
        zd = self.j(["report", "z", "--date", D1])
        self.assertEqual(zs[0], z1, "a closed session's Z never changes")
        self.assertEqual(self.j(["report", "z"]), zs[1],
                         "report z defaults to the last closed session")
        self.assertEqual((zd["session"], zd["sessions"], zd["closed"]),
                         (None, 2, True))
        for k in ("sales_count", "gross", "net", "float", "expected_cash",
                  "counted_cash", "difference"):
            self.assertEqual(int(zd[k]), int(zs[0][k]) + int(zs[1][k]), k)
        for k in ("cash", "card", "other"):
            self.assertEqual(int(zd["by_method"][k]),
                             int(zs[0]["by_method"][k]) +
                             int(zs[1]["by_method"][k]), k)
        self.assertEqual((zd["first_seq"], zd["last_seq"]),
                         (zs[0]["first_seq"], zs[1]["last_seq"]))
        self.assertEqual((zs[1]["first_sale"], zs[1]["last_sale"]),
                         ("2026-03-01T14:06:00Z", "2026-03-01T14:06:00Z"))
        text = self.ok(["report", "z", "--date", D1])
        self.assertIn("Z %s  (closed, 2 sessions)" % D1, text)
        self.fails(["report", "z", "--date", D1, "--session", "3"], 2,
                   "no session 3")
        self.fails(["report", "z", "--session", "0"], 2, "session")
        self.fails(["report", "z", "--session", "x"], 2, "session")
        v = self.j(["verify"])
        self.assertTrue(v["ok"], v)
        self.note("Z #1 + Z #2 == Z of the date (%s net, %s counted); "
                  "JSON session/sessions/first_sale/last_sale; verify ok"
                  % (zd["net"], zd["counted_cash"]))

    def test_session_across_midnight_warns_on_every_sale(self):
        self.ok(["day", "open", "--user", "ali", "--float", "0"],
                env=at("2026-03-01T15:00:00Z"))           # 18:00 local
        s1, err = self.sell(["A"], "2026-03-01T20:30:00Z")   # 23:30
        self.assertNotIn("still open", err)
        self.assertNotIn("warning", s1)
        # 00:30 and 12:00 of the next date: the open session takes them.
        warn = "day %s is still open: close it" % D1
        for utc in ("2026-03-01T21:30:00Z", "2026-03-02T09:00:00Z"):
            s, err = self.sell(["A"], utc)
            self.assertEqual(s["date"], D1)
            self.assertEqual(s["warning"], warn)
            self.assertIn(warn, err)
        rc, out, err = self.run_pos(["sell", "--no-print", "--user", "ali",
                                     "A"], env=at("2026-03-02T09:01:00Z"))
        self.assertEqual(rc, 0, err)
        self.assertIn(warn, err)
        self.note("sales after midnight go to %s and each says '%s'"
                  % (D1, warn))
        z = self.j(["day", "close", "--user", "sam", "--counted", "6000",
                    "--no-print"], env=sup("2026-03-02T09:05:00Z"))
        self.assertEqual((z["date"], z["session"], z["sales_count"]),
                         (D1, 1, 4))
        self.assertEqual((z["first_sale"], z["last_sale"]),
                         ("2026-03-01T20:30:00Z", "2026-03-02T09:01:00Z"))
        text = self.ok(["report", "z"])
        self.assertIn("first sale           2026-03-01 23:30", text)
        self.assertIn("last sale            2026-03-02 12:01", text)
        # The next open is the new date's first session; no warning then.
        out = self.ok(["day", "open", "--user", "ali", "--float", "0"],
                      env=at("2026-03-02T09:10:00Z"))
        self.assertIn("day 2026-03-02 session 1 open", out)
        s, err = self.sell(["A"], "2026-03-02T09:11:00Z")
        self.assertNotIn("warning", s)
        self.note("Z of the session across midnight: first sale 23:30, last "
                  "12:01 local; the next date starts at session 1")

    def test_show_last_prints_the_last_committed_sale(self):
        self.fails(["show", "--last"], 2, "nothing has been sold")
        self.ok(["day", "open", "--user", "ali", "--float", "0"])
        self.sell(["A"], "2026-03-01T09:01:00Z")
        s2, _ = self.sell(["B", "A*2"], "2026-03-01T09:02:00Z")
        # Entries after it that are not sales do not move it.
        self.ok(["cash", "in", "100", "--user", "ali", "--reason", "coins"])
        last = self.j(["show", "--last"])
        self.assertEqual((last["receipt"], last["uuid"], last["total"]),
                         (s2["receipt"], s2["uuid"], "28000"))
        text = self.ok(["show", "--last"])
        self.assertTrue(text.startswith("%s  sale  2026-03-01T09:02:00Z"
                                        % s2["receipt"]), text)
        self.assertIn("total     28,000", text)
        self.fails(["show", "--last", s2["receipt"]], 2, "usage")
        self.fails(["show"], 2, "usage")
        self.note("pos show --last: %s, total 28000" % s2["receipt"])

    def test_z_slip_names_the_session_and_its_sale_times(self):
        env = {"POS_PRINTER_NAME": ""}
        self.ok(["day", "open", "--user", "ali", "--float", "0"])
        self.ok(["day", "close", "--user", "sam", "--counted", "0",
                 "--no-print"], env=sup("2026-03-01T10:00:00Z"))
        self.ok(["day", "open", "--user", "ali", "--float", "0"],
                env=at("2026-03-01T10:05:00Z"))
        self.sell(["A"], "2026-03-01T10:06:00Z")
        self.sell(["A"], "2026-03-01T21:10:00Z")
        z = self.j(["day", "close", "--user", "sam", "--counted", "3000"],
                   env=dict(sup("2026-03-01T21:15:00Z"), **env))
        self.assertEqual(z["print"]["state"], "done", z["print"])
        with open(z["print"]["dest"], encoding="utf-8") as f:
            slip = f.read()
        self.assertIn("Z REPORT", slip)
        for want in ("Session", "First sale", "2026/03/01 13:06",
                     "Last sale", "2026/03/02 00:10"):
            self.assertIn(want, slip)
        self.assertRegex(slip, r"Session\s+2\b")
        self.note("Z slip: session 2, first sale 2026/03/01 13:06, last sale "
                  "2026/03/02 00:10 (local)")


if __name__ == "__main__":
    posharness.main()
