"""Two sessions (shifts) of one business date reach the centre: the real
`pos sync` against the real pos-central. The second day_open of a date is
accepted as its session 2 (no rejection), `report days` shows the date's
sessions and calls it closed only once its last session is, the central
producers' report sums both sessions, and `verify` is ok."""

import pushharness as h

SUP = {"POS_PIN": h.h.SUPERVISOR_PIN}


class PushSessions(h.PushTestCase):

    def days(self):
        d = self.central(["report", "days", "--date", h.h.DAY1],
                         json_out=True)
        ch = [c for c in d["chains"] if c["branch"] == "DMS01"]
        self.assertEqual(len(ch), 1, d)
        return ch[0], d

    def test_second_session_of_a_date_is_accepted_and_shown(self):
        tokens = self.init_central(("DMS01",))
        tf = self.token_file(tokens["DMS01"])
        w = self.make_window("w", "DMS01", 1)   # session 1, closed
        srv = self.serve()
        url = self.url(srv)
        self.sync_ok(w, url, tf)
        ch, _ = self.days()
        self.assertEqual([(x["date"], x["sessions"], x["closed"])
                          for x in ch["days"]], [(h.h.DAY1, 1, True)])

        # 17:05 local: the same date opens again, as session 2.
        late = {"POS_NOW": "2026-03-01T14:05:00Z"}
        o = self.pos(w, ["day", "open", "--user", "ali", "--float", "500"],
                     env=late, json_out=True)
        self.assertEqual(o["date"], h.h.DAY1)
        s = self.sell(w, ("P1*2",), env=late)
        j = self.sync_ok(w, url, tf)
        self.assertEqual(j["rejected"], [])
        self.assertEqual(j["sent"], 2)
        ch, d = self.days()
        self.assertEqual([(x["date"], x["sessions"], x["closed"])
                          for x in ch["days"]], [(h.h.DAY1, 2, False)])
        self.assertFalse(ch["latest_closed"])
        self.assertIn("day %s not closed" % h.h.DAY1,
                      [r for m in d["missing"] for r in m["reasons"]])
        self.note("second day_open of %s accepted (%s); report days: 2 "
                  "sessions, not closed" % (h.h.DAY1, o["receipt"]))

        self.pos(w, ["day", "close", "--user", "sam", "--counted", "3500",
                     "--no-print"], env=dict(late, **SUP))
        self.sync_ok(w, url, tf)
        ch, d = self.days()
        self.assertEqual([(x["date"], x["sessions"], x["closed"])
                          for x in ch["days"]], [(h.h.DAY1, 2, True)])
        self.assertTrue(ch["latest_closed"])
        self.assertTrue(ch["date_closed"])
        self.assertEqual(d["missing"], [])
        text = self.central(["report", "days", "--date", h.h.DAY1])[0]
        self.assertIn("latest day %s closed  sessions 2" % h.h.DAY1, text)

        # The centre sums both sessions of the date, as the window does.
        want = self.window_producers([w], h.h.DAY1)
        self.assertEqual(self.central_producers(["--date", h.h.DAY1]), want)
        wz = self.pos(w, ["report", "z", "--date", h.h.DAY1], json_out=True)
        self.assertEqual((wz["sessions"], wz["session"], wz["closed"]),
                         (2, None, True))
        self.assert_central_equals_window(w, "DMS01", 1)
        v = self.central(["verify"], json_out=True)
        self.assertTrue(v["ok"], v)
        self.note("after the close of session 2: closed, 2 sessions, nothing "
                  "missing; central producers == window (%s); verify ok"
                  % s["receipt"])


if __name__ == "__main__":
    h.main()
