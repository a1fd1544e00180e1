"""The terminal UI and the business day: a session left open past its date
and the last sale committed, as the login screen shows them (tmux).

The day is opened on 2026-03-01; the UI starts on 2026-03-02 (POS_NOW).
The login screen shows the last committed sale (receipt, time, total) and
says the day is still open; the login offers its close (Esc sells on); a
sale in the UI is saved to the open session and says the day is still
open; after kill -9 of the UI, the restarted login screen shows that sale;
accepting the offer closes the session with a supervisor's PIN.
"""
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuiharness as h  # noqa: E402
from tuiharness import ATTENDANT, SUPERVISOR, SUPERVISOR_PIN  # noqa: E402

NEXT_DAY = {"POS_NOW": "2026-03-02T09:00:00Z"}
LATE = "Day 2026-03-01 is still open: close it."


class TuiDays(h.TuiTestCase):

    def test_login_shows_last_sale_and_offers_the_close_of_a_late_day(self):
        self.make_store()
        self.pos(["sell", "--user", ATTENDANT, "--no-print", "COASTER"])
        t = self.t
        s = self.start_ui(extra_env=NEXT_DAY)
        s = t.wait_text("Last sale:")
        self.assertIn("Last sale: DMS01-1-000002 at 2026-03-01 12:00, total "
                      "7,500", s)
        self.assertIn(LATE, s)
        self.note("login screen: last sale DMS01-1-000002 12:00 7,500 and "
                  "'%s'" % LATE)

        # Log in: the close is offered; Esc sells on in the open session.
        t.type(ATTENDANT)
        t.keys("Enter")
        t.type(h.ATTENDANT_PIN)
        t.keys("Enter")
        t.wait_text("close it now?")
        t.keys("Escape")
        t.wait_text(LATE)
        t.type("JAM-APR")
        t.keys("Enter")
        t.wait_text("Total: 15,000")
        t.keys("F5")
        t.wait_text("Tendered:")
        t.type("15000")
        t.keys("Enter")
        s = t.wait_text("Sale DMS01-1-000003 saved.")
        self.assertIn("Day 2026-03-01 is still open: close it.", s)
        sale = self.pos(["show", "--last"], json_out=True)
        self.assertEqual((sale["receipt"], sale["date"]),
                         ("DMS01-1-000003", "2026-03-01"))
        self.note("Esc at the offer: the sale went to 2026-03-01 and said "
                  "the day is still open")

        # kill -9, then a restart: the login screen shows that sale.
        os.kill(t.pane_pid(), signal.SIGKILL)
        self.assertTrue(h.wait_until(t.dead, 10), "the UI did not die")
        t.kill()
        self.t = t = h.Tmux(self.tmp, self.env)
        self.addCleanup(t.kill)
        self.start_ui(extra_env=NEXT_DAY)
        s = t.wait_text("Last sale:")
        self.assertIn("Last sale: DMS01-1-000003 at 2026-03-02 12:00, total "
                      "15,000", s)
        self.note("after kill -9 and a restart the login screen shows "
                  "DMS01-1-000003, the last committed sale")

        # The offer accepted: count, confirm, supervisor PIN, closed.
        t.type(SUPERVISOR)
        t.keys("Enter")
        t.type(SUPERVISOR_PIN)
        t.keys("Enter")
        t.wait_text("close it now?")
        t.keys("Enter")
        t.wait_text("Cash counted")
        t.type("122500")
        t.keys("Enter")
        t.wait_text("Close the day?")
        t.keys("Enter")
        self.supervisor_pin()
        s = t.wait_text("Day 2026-03-01 closed")
        self.assertIn("Z report 2026-03-01 #1 (closed)", s)
        z = self.pos(["report", "z"], json_out=True)
        self.assertEqual((z["date"], z["session"], z["sales_count"],
                          z["difference"]), ("2026-03-01", 1, 2, "0"))
        self.note("offer accepted: session 1 of 2026-03-01 closed from the "
                  "login, Z shown, difference 0")


if __name__ == "__main__":
    h.main()
