"""The terminal UI in tmux: log in, ring up sales, pay, park, void, resize,
Arabic labels and FriBidi shaping. Each test prepares its own store with
the `pos` CLI and drives the UI with send-keys; `pos --json report x`
checks what the UI committed.

usage: python3 test_tui.py /path/to/pos /path/to/localedir
"""

import json
import os
import subprocess
import sys
import threading
import time
import unicodedata
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import cupsharness  # noqa: E402

import tuiharness as h
from test_terminals import big_rows
from tuiharness import ATTENDANT, ATTENDANT_PIN, SUPERVISOR, SUPERVISOR_PIN


class TestTui(h.TuiTestCase):

    def ring_up_three(self):
        """Jam (Arabic name), 0.5 kg of olive oil, a mosaic box: 90,000."""
        t = self.t
        t.type("مربى")
        t.wait_text("JAM-APR")
        t.keys("Enter")
        t.wait(lambda s: "مربى المشمش" in s and "Lines: 1" in s, "jam in the cart")
        t.type("0.5*OLIVE")
        t.wait_text("qty × 0.5")
        t.keys("Enter")
        t.wait_text("0.5 kg")
        t.type("MOSAIC-BOX")
        t.keys("Enter")
        return t.wait_text("Total: 90,000")

    def test_login_good_and_bad_pin(self):
        self.make_store()
        t = self.t
        self.start_ui()
        t.type(ATTENDANT)
        t.keys("Enter")
        t.type("9999")
        t.keys("Enter")
        s = t.wait_text("Wrong user or PIN (1 failed)")
        self.assertNotIn("9999", s, "the PIN is masked")
        self.note("a wrong PIN is refused and counted")
        t.wait_gone("before the next try", timeout=5)
        t.type(ATTENDANT_PIN)
        s = t.wait_text("****")
        self.assertNotIn(ATTENDANT_PIN, s)
        t.keys("Enter")
        s = t.wait_text("Find:")
        self.assertIn("rima", s.splitlines()[0], "the status line names her")
        self.assertIn("sync: not configured", s)
        self.assertIn("DMS01-1", s)
        self.note("the right PIN logs in; status line shows branch, "
                  "attendant, sync state")

    def test_login_wait_drops_what_is_typed(self):
        self.make_store()
        t = self.t
        s = self.start_ui()
        self.assertIn("2026-03-01", s.splitlines()[0])
        self.assertNotIn("no day open", s)
        self.note("the login screen's status line shows the open day")
        t.type(ATTENDANT)
        t.keys("Enter")
        for n in (1, 2):
            t.wait_gone("before the next try", timeout=10)
            t.type("9999")
            t.keys("Enter")
            t.wait_text("Wrong user or PIN (%d failed)" % n)
        # Locked for 2 s now: the right PIN typed during the wait is dropped.
        t.wait_text("before the next try")
        t.type(ATTENDANT_PIN)
        s = t.wait_text("keys typed now are dropped")
        pin_line = [l for l in s.splitlines() if "PIN:" in l][0]
        self.assertNotIn("*", pin_line, "the field is cleared, visibly")
        t.wait_gone("before the next try", timeout=10)
        t.type(ATTENDANT_PIN)
        t.wait_text("****")
        t.keys("Enter")
        s = t.wait_text("Find:")
        self.assertIn("rima", s.splitlines()[0])
        self.note("keys typed during the wait are dropped and the field "
                  "cleared; after it the right PIN alone logs in")

    def test_sale_three_products_cash_with_change(self):
        self.make_store()
        t = self.t
        self.login()
        self.ring_up_three()
        t.keys("F5")
        t.wait_text("Tendered:")
        t.type("100000")
        t.keys("Enter")
        s = t.wait_text("Sale DMS01-1-000002 saved")
        self.assertIn("CHANGE", s)
        self.assertIn("Change: 10,000", s)
        self.note("the sale is committed and the change shown large")
        x = self.pos(["report", "x"], json_out=True)
        self.assertEqual(x["sales_count"], 1)
        self.assertEqual(x["net"], "90000")
        self.assertEqual(x["gross"], "90000")
        self.assertEqual(x["by_method"]["cash"], "90000")
        self.assertEqual(x["expected_cash"], "190000")
        sale = self.pos(["show", "DMS01-1-000002"], json_out=True)
        self.assertEqual(sale["paid"], "100000")
        self.assertEqual(sale["change"], "10000")
        qty = {l["product_code"]: l["qty"] for l in sale["lines"]}
        self.assertEqual(qty, {"JAM-APR": "1", "OLIVE-OIL": "0.5",
                               "MOSAIC-BOX": "1"})
        self.note("pos report x: sales_count 1, net 90000; the lines as rung up")

    def test_park_and_recall(self):
        self.make_store()
        t = self.t
        self.login()
        t.type("COASTER")
        t.keys("Enter")
        t.wait_text("Total: 7,500")
        t.keys("F6")
        t.wait_text("Park as")
        t.type("Umm Ali")
        t.keys("Enter")
        s = t.wait_text('Sale parked as "Umm Ali"')
        self.assertIn("Parked: 1", s)
        self.assertIn("Total: 0", s)
        # A second sale while the first waits, with the Ctrl fallback keys.
        t.type("2*JAM-APR")
        t.keys("Enter")
        t.wait_text("Total: 30,000")
        t.keys("C-k")
        t.wait_text("Park as")
        t.keys("Enter")
        t.wait_text("Parked: 2")
        t.keys("F7")
        s = t.wait_text("Recall which parked sale (1-2)?")
        self.assertRegex(s, r"1\) Umm Ali \d\d:\d\d: 1 × Mosaic coaster")
        self.assertRegex(s, r"2\) \d\d:\d\d \d\d:\d\d: 2 × مربى المشمش")
        self.note("the recall list names each parked sale and shows its lines")
        t.type("1")
        t.keys("Enter")
        s = t.wait_text("Total: 7,500")
        self.assertIn("Mosaic coaster", s)
        self.assertIn("Parked: 1", s)
        self.note("two sales parked, the first recalled by number")
        t.keys("F5")
        t.wait_text("Tendered:")
        t.keys("Enter")
        t.wait_text("saved")
        t.keys("C-w")
        t.wait_text("Recall which parked sale (1-1)?")
        t.keys("Enter")
        s = t.wait_text("Total: 30,000")
        self.assertIn("مربى المشمش", s)
        x = self.pos(["report", "x"], json_out=True)
        self.assertEqual((x["sales_count"], x["net"]), (1, "7500"))
        self.note("the recalled sale paid exactly; the other recalled with ^W")

    def test_card_overpay_refused_at_entry(self):
        self.make_store()
        t = self.t
        self.login()
        t.type("COASTER")
        t.keys("Enter")
        t.wait_text("Total: 7,500")
        t.keys("F5")
        t.wait_text("Tendered:")
        t.keys("F3")
        t.type("50000")
        t.keys("Enter")
        s = t.wait_text("cannot be more than what is still due (7,500")
        self.assertNotIn("CHANGE", s)
        self.assertNotIn("Change:", s)
        self.assertNotIn("42,500", s)
        self.assertIn("STILL TO PAY", s)
        self.assertIn("(none yet)", s)
        self.note("card 50,000 for 7,500 due is refused when typed; no "
                  "change is shown")
        t.keys("C-u")
        t.keys("Enter")
        t.wait_text("saved")
        x = self.pos(["report", "x"], json_out=True)
        self.assertEqual(x["by_method"]["card"], "7500")
        self.note("then exactly what is due by card is taken and saved")

    def test_big_digits_arabic_indic(self):
        """[currency] digits = arabic-indic: TOTAL, DUE and CHANGE are drawn
        large in Arabic-Indic digits, not left blank."""
        self.make_store()
        t = self.t
        env = {"POS_CURRENCY_DIGITS": "arabic-indic"}
        self.start_ui(extra_env=env)
        t.type(ATTENDANT)
        t.keys("Enter")
        t.type(ATTENDANT_PIN)
        t.keys("Enter")
        t.wait_text("Find:")
        t.type("MOSAIC-BOX")
        t.keys("Enter")
        s = t.wait_text("Total: ٤٥٬٠٠٠")
        self.assert_big_on(s, "٤٥٬٠٠٠")
        self.note("TOTAL ٤٥٬٠٠٠ drawn in big Arabic-Indic digits")
        t.keys("F5")
        t.wait_text("Tendered:")
        t.type("١٠٠٠٠٠")
        t.keys("Enter")
        s = t.wait_text("Press Enter to confirm")
        self.assert_big_on(s, "٤٥٬٠٠٠")
        self.assert_big_on(s, "٥٥٬٠٠٠")
        self.note("DUE ٤٥٬٠٠٠ and CHANGE ٥٥٬٠٠٠ drawn large")

    def assert_big_on(self, screen, text):
        """The three rows of text's big form, one under another."""
        want = big_rows(text)
        lines = screen.splitlines()
        for i in range(len(lines) - 2):
            if all(want[r] in lines[i + r] for r in range(3)):
                return
        self.fail("%s not drawn large:\n%s\nwanted:\n%s"
                  % (text, screen, "\n".join(want)))

    def test_ctrl_l_repaints(self):
        self.make_store()
        t = self.t
        s = self.login()
        t.type("COASTER")
        t.keys("Enter")
        before = t.wait_text("Total: 7,500")
        # Bytes written behind the program's back, as a terminal that
        # drew a cell wrong would show them: curses does not know.
        tty = t.tmux("display-message", "-p", "#{pane_tty}").strip()
        with open(tty, "w") as f:
            f.write("\033[5;50HSTALE 1280,000\033[12;3HJUNK")
        s = t.wait_text("1280,000")
        self.assertIn("JUNK", s)
        t.keys("C-l")
        s = t.wait_gone("1280,000")
        self.assertNotIn("JUNK", s)
        self.assertNotIn("STALE", s)
        self.assertEqual(s, before)
        self.note("Ctrl-L repaints every cell: the stray figure is gone and "
                  "the screen is as drawn")
        # On the payment screen and in a prompt too.
        t.keys("F5")
        t.wait_text("Tendered:")
        with open(tty, "w") as f:
            f.write("\033[4;10H99,999")
        t.wait_text("99,999")
        t.keys("C-l")
        s = t.wait_gone("99,999")
        self.assertIn("Due: 7,500", s)
        self.assertIn("^L redraw", s)
        self.note("and on the payment screen, whose hint bar shows ^L")

    def test_parked_sales_survive_log_out_and_quit(self):
        self.make_store()
        t = self.t
        self.login()
        t.type("COASTER")
        t.keys("Enter")
        t.wait_text("Total: 7,500")
        t.keys("F6")
        t.wait_text("Park as")
        t.type("table 4")
        t.keys("Enter")
        t.wait_text("Parked: 1")
        t.keys("F12")
        t.wait_text("F10/^X")
        t.keys("F10")
        self.assertTrue(h.wait_until(t.dead, 10), "still running")
        self.t.kill()
        self.note("parked, logged out, quit")
        self.t = h.Tmux(self.tmp, self.env)
        self.addCleanup(self.t.kill)
        t = self.t
        s = self.login()
        self.assertIn("Parked: 1", s)
        t.keys("F7")
        s = t.wait_text("Recall which parked sale (1-1)?")
        self.assertIn("1) table 4", s)
        self.assertIn("1 × Mosaic coaster", s)
        t.keys("Enter")
        s = t.wait_text("Total: 7,500")
        self.assertIn('Sale "table 4" recalled', s)
        t.keys("F12")
        t.wait_text("Finish or park the sale")
        self.note("after a restart the parked sale is still there, "
                  "with its name and lines")

    def test_void_with_supervisor_pin(self):
        self.make_store()
        r = self.pos(["sell", "--user", ATTENDANT, "COASTER"], json_out=True)
        receipt = r["receipt"]
        t = self.t
        self.login()
        t.keys("F9")
        s = t.wait_text(receipt)
        self.assertIn("7,500", s)
        t.keys("Enter")
        t.wait_text("Mosaic coaster")
        t.keys("F2")
        t.wait_text("reason:")
        t.type("customer changed mind")
        t.keys("Enter")
        t.wait_text("Supervisor PIN")
        t.type("0000")
        t.keys("Enter")
        t.wait_text("Not a supervisor or wrong PIN")
        self.assertEqual(self.pos(["report", "x"], json_out=True)["voids"], 0)
        self.note("a wrong supervisor PIN voids nothing")
        t.wait_gone("Wait", timeout=5)
        t.keys("F2")
        t.wait_text("reason:")
        t.type("customer changed mind")
        t.keys("Enter")
        self.supervisor_pin()
        s = t.wait_text("voided (")
        self.assertIn("voided", s)
        x = self.pos(["report", "x"], json_out=True)
        self.assertEqual((x["voids"], x["sales_count"], x["net"]), (1, 0, "0"))
        self.note("void with the supervisor's PIN: report x counts it")

    # ---- fields and prompts ----

    def test_prefilled_prompt_is_replaced_by_the_first_key(self):
        self.make_store()
        t = self.t
        self.login()
        t.type("JAM-APR")
        t.keys("Enter")
        t.wait_text("Total: 15,000")
        t.keys("F2")
        s = t.wait_text("Quantity of")
        hints = "\n".join(s.splitlines()[-3:])
        for k in ("Enter confirm", "Esc cancel", "^U clear the field"):
            self.assertIn(k, hints)
        self.assertNotIn("F9/^V", hints)
        self.note("while a prompt is open the hint bar shows its keys")
        t.type("3")
        t.keys("Enter")
        s = t.wait_text("Total: 45,000")
        self.assertNotIn("Total: 195,000", s)
        self.note("F2 on a line of 1, type 3, Enter: 3 pieces, not 13")
        t.keys("F2")
        t.wait_text("Quantity of")
        t.type("9")
        t.keys("Escape")
        t.wait_gone("Quantity of")
        self.assertIn("Total: 45,000", t.screen())
        self.note("Esc cancels: the quantity stays")
        t.type("0.25*OLIVE-OIL")
        t.keys("Enter")
        t.wait_text("Total: 60,000")
        t.keys("F2")
        s = t.wait_text("Quantity of زيت زيتون بكر: 0.25")
        t.type("10.25")
        t.keys("Enter")
        s = t.wait_text("10.25 kg")
        self.assertIn("Total: 660,000", s)
        self.note("a kg line of 0.25, typed 10.25: 10.25 kg, not 0.2510.25")
        t.keys("F10")
        t.wait_text("Producers")
        t.keys("F2")
        t.wait_text("Period from")
        t.type("2026-02-01")
        t.keys("Enter")
        t.wait_text("Period to")
        t.keys("Enter")
        s = t.wait_text("02-01..03-01")
        self.note("the producers' date prompt: the typed date replaced the "
                  "prefilled one, Enter kept the other")

    def test_amounts_as_shown_and_fields_that_overflow(self):
        self.make_store()
        t = self.t
        self.login()
        t.type("MOSAIC-BOX")
        t.keys("Enter")
        t.wait_text("Total: 45,000")
        t.keys("F5")
        t.wait_text("Tendered:")
        t.type("0")
        t.keys("Enter")
        t.wait_text("A payment must be more than 0.")
        self.note("a cash payment of 0 is refused")
        t.type("50,000")
        t.keys("Enter")
        s = t.wait_text("saved")
        self.assertIn("Change: 5,000", s)
        t.type("COASTER")
        t.keys("Enter")
        t.wait_text("Total: 7,500")
        t.keys("F5")
        t.wait_text("Tendered:")
        t.type("١٠٬٠٠٠")
        t.keys("Enter")
        s = t.wait_text("Change: 2,500")
        sale = self.pos(["show", "DMS01-1-000003"], json_out=True)
        self.assertEqual(sale["paid"], "10000")
        self.note("tendered 50,000 and ١٠٬٠٠٠ (grouped as shown) are taken")
        t.type("x" * 300)
        s = t.wait_text("Too long for this field")
        find = [l for l in s.splitlines() if "Find:" in l][0]
        self.assertNotIn("xxxx", find)
        self.note("a 300-character paste is refused with a message, "
                  "not cut")

    def test_backup_during_a_sale_loop_verifies(self):
        self.make_store()
        t = self.t
        self.login()
        stop = threading.Event()
        copies, errors = [], []

        def backups():
            while not stop.is_set() and not errors:
                out = os.path.join(self.tmp, "copy%d.db" % len(copies))
                p = subprocess.run([h.POS, "--db", self.db, "--json",
                                    "backup", out], env=self.env,
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE,
                                   timeout=h.scaled(60))
                if p.returncode != 0:
                    errors.append(p.stderr.decode())
                else:
                    copies.append(json.loads(p.stdout))

        th = threading.Thread(target=backups)
        th.start()
        try:
            for n in range(2, 12):
                t.type("COASTER")
                t.keys("Enter")
                t.wait_text("Total: 7,500")
                t.keys("F5")
                t.wait_text("Tendered:")
                t.keys("Enter")
                t.wait_text("Sale DMS01-1-%06d saved" % n)
        finally:
            stop.set()
            th.join()
        self.assertEqual(errors, [])
        self.assertGreater(len(copies), 1)
        for c in copies:
            p = subprocess.run([h.POS, "--db", c["path"], "--json", "verify"],
                               env=self.env, stdout=subprocess.PIPE,
                               timeout=h.scaled(60))
            v = json.loads(p.stdout)
            self.assertEqual((v["ok"], v["entries"], v["head"]),
                             (True, c["entries"], c["head"]))
        counts = [c["entries"] for c in copies]
        self.assertEqual(counts, sorted(counts))
        self.assertGreater(counts[-1], counts[0], "sales went on meanwhile")
        self.note("%d backups while the terminal UI rang up 10 sales: each "
                  "verifies (%d to %d entries)" % (len(copies), counts[0],
                                                   counts[-1]))

    def test_producer_paid_then_voided_owes_the_window(self):
        self.make_store()
        sup = {"POS_PIN": SUPERVISOR_PIN}
        s = self.pos(["sell", "--user", ATTENDANT, "JAM-APR*2", "--pay",
                      "card:30000", "--no-print"], json_out=True)
        self.pos(["payout", "FAM-HALABI", "30000", "--user", SUPERVISOR,
                  "--no-print"], env=sup)
        self.pos(["void", s["receipt"], "--user", SUPERVISOR, "--reason",
                  "returned", "--no-print"], env=sup)
        t = self.t
        self.login()
        t.keys("F10")
        t.wait_text("FAM-HALABI")
        t.keys("Down")
        s = t.wait_text("Owes the window: 30,000")
        self.assertNotIn("-30,000", s)
        self.assertNotIn("Owed now", s)
        t.keys("F5")
        t.wait_text("owes the window 30,000 ل.س.")
        self.note("paid 30,000 then voided: the producer screen says "
                  "'Owes the window: 30,000' and a payout is refused")

    def test_screens_start_clean_and_pins_stay_masked(self):
        self.make_store()
        self.pos(["sell", "--user", ATTENDANT, "JAM-APR*2"])
        t = self.t
        self.login()
        t.keys("F10")
        t.wait_text("Producers")
        t.type("zaki")
        t.wait(lambda s: "FAM-HALABI" not in s, "the list filtered")
        t.keys("Escape")
        t.wait_text("Find:")
        t.keys("F10")
        s = t.wait_text("FAM-HALABI")
        find = [l for l in s.splitlines() if "Find:" in l][0]
        self.assertNotIn("zaki", find)
        self.note("the producer search starts empty on each visit")
        # A bad amount closes the prompt; the PIN typed ahead goes nowhere.
        t.keys("Down")
        t.wait_text("Owed now: 30,000")
        self.assertNotIn("At all windows", t.screen())
        t.keys("F5")
        t.wait_text("Pay ")
        t.keys("C-u")
        t.type("abc")
        t.keys("Enter", *SUPERVISOR_PIN, "Enter")
        t.wait_text("not a number")
        # A key typed now shows that every key before it was handled.
        t.type("q")
        s = t.wait(lambda s: "(no producer matches)" in s, "the search 'q'")
        self.assertNotIn(SUPERVISOR_PIN, s)
        find = [l for l in s.splitlines() if "Find:" in l][0]
        self.assertEqual(find[:38].split("Find:")[1].strip(), "q",
                         "the search line holds only what was typed "
                         "after:\n" + s)
        self.note("after an error the PIN typed ahead lands nowhere")

    def test_long_messages_wrap_at_80_columns(self):
        self.make_store()
        self.pos(["sell", "--user", ATTENDANT, "COASTER"])
        t = self.t
        self.login()
        t.keys("F10")
        t.wait_text("CRAFT-ZAKI")
        t.type("zaki")
        t.wait(lambda s: "FAM-HALABI" not in s, "the list filtered")
        t.keys("F3")
        s = t.wait(lambda s: "(no printer)" in s.replace("\n", ""),
                   "where the statement went", timeout=20)
        joined = "".join(l.rstrip() + (" " if len(l) < 80 else "")
                         for l in s.splitlines())
        self.assertRegex(joined, r"written to the file /.+\.txt")
        path = joined.split("written to the file ")[1].split(" (no printer)")[0]
        self.assertTrue(os.path.exists(path), path)
        self.note("the statement says where it went: %s" % path)
        self.assertIn("Mosaic coaster", s)
        self.note("the producer's products are listed on screen")


    def test_status_and_messages_fit_in_arabic(self):
        self.make_store(open_day=False)
        t = self.t
        s = self.start_ui(extra_env={"POS_UI_LANGUAGE": "ar"})
        t.type(ATTENDANT)
        t.keys("Enter")
        t.type(ATTENDANT_PIN)
        t.keys("Enter")
        s = t.wait_text("F8")
        for line in s.splitlines():
            cols = sum(0 if unicodedata.combining(c) else 1 for c in line)
            self.assertLessEqual(cols, 80, line)
        self.assertIn("لا يوم مفتوح: لا يمكن البيع. F8 يفتح اليوم.", s)
        self.note("Arabic: the no-day message is whole at 80 columns")

    # ---- flow ----

    def test_supervisor_by_pin_alone_and_unique_pins(self):
        self.make_store()
        argv = [h.POS, "--db", self.db, "user", "add", "nour", "--role",
                "supervisor"]
        import subprocess
        p = subprocess.run(argv, input=(SUPERVISOR_PIN + "\n").encode(),
                           env=self.env, capture_output=True)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b"another user has this PIN", p.stderr)
        self.note("user add refuses a PIN another user has (exit 2)")
        r = self.pos(["sell", "--user", ATTENDANT, "COASTER"], json_out=True)
        t = self.t
        self.login()
        t.keys("F9")
        t.wait_text(r["receipt"])
        t.keys("Enter")
        t.wait_text("Mosaic coaster")
        t.keys("F2")
        t.wait_text("reason:")
        t.type("wrong item")
        t.keys("Enter")
        t.wait_text("Supervisor PIN")
        t.type(ATTENDANT_PIN)
        t.keys("Enter")
        t.wait_text("Not a supervisor or wrong PIN")
        self.note("an attendant's PIN is not a supervisor's")
        t.wait_gone("Wait", timeout=5)
        # Enter alone: by name and PIN, the fallback.
        t.keys("F2")
        t.wait_text("reason:")
        t.type("wrong item")
        t.keys("Enter")
        t.wait_text("Supervisor PIN")
        t.keys("Enter")
        t.wait_text("Supervisor:")
        t.type(SUPERVISOR)
        t.keys("Enter")
        self.supervisor_pin()
        t.wait_text("voided (")
        v = self.pos(["show", "DMS01-1-000003"], json_out=True)
        self.assertEqual(v["user"], SUPERVISOR)
        self.note("name + PIN still works; the void is samir's")
        r = self.pos(["sell", "--user", ATTENDANT, "JAM-APR"], json_out=True)
        t.keys("F9")
        t.wait_text(r["receipt"])
        t.keys("C-u")
        t.type(r["receipt"])
        t.keys("Enter")
        t.wait_text("مربى المشمش")
        t.keys("F2")
        t.wait_text("reason:")
        t.type("again")
        t.keys("Enter")
        self.supervisor_pin()
        t.wait_text("Sale %s voided" % r["receipt"])
        self.note("the PIN alone names the supervisor: no name typed")

    def test_no_day_open_said_at_once(self):
        self.make_store(open_day=False)
        t = self.t
        s = self.login()
        self.assertIn("No day is open", s)
        t.type("COASTER")
        t.keys("Enter")
        t.wait_text("nothing can be sold")
        self.assertIn("Total: 0", t.screen())
        self.note("no day: the sale screen says so before anything is rung up")
        t.keys("F8")
        t.wait_text("float of:")
        t.type("50,000")
        t.keys("Enter")
        s = t.wait_text("Day 2026-03-01 open")
        self.assertIn("2026-03-01", s.splitlines()[0])
        t.type("COASTER")
        t.keys("Enter")
        t.wait_text("Total: 7,500")
        t.keys("F5")
        t.wait_text("Tendered:")
        t.keys("Enter")
        t.wait_text("saved")
        x = self.pos(["report", "x"], json_out=True)
        self.assertEqual((x["sales_count"], x["float"]), (1, "50000"))
        self.note("F8 opened the day from the sale screen; the sale is saved")
        self.pos(["day", "close", "--user", SUPERVISOR, "--counted", "57500"],
                 env={"POS_PIN": SUPERVISOR_PIN})
        t.keys("F11")
        t.wait_text("Z report")
        t.keys("Escape")
        s = t.wait_text("nothing can be sold")
        t.type("COASTER")
        t.keys("Enter")
        t.wait_text("nothing can be sold")
        self.assertNotRegex(t.screen(), r"\n +1 Mosaic coaster")
        self.note("after the close: the sale screen refuses at once")

    def test_close_in_the_ui_then_the_sale_screen_refuses(self):
        self.make_store()
        self.pos(["sell", "--user", ATTENDANT, "COASTER"])
        t = self.t
        self.login(user=SUPERVISOR, pin=SUPERVISOR_PIN)
        t.type("JAM-APR")
        t.keys("Enter")
        t.wait_text("Total: 15,000")
        t.keys("F6")
        t.wait_text("Park as")
        t.keys("Enter")
        t.wait_text("Parked: 1")
        t.keys("F11")
        t.wait_text("X report")
        t.keys("F5")
        t.wait_text("Cash counted")
        t.type("107,500")
        t.keys("Enter")
        s = t.wait_text("parked sales are not in the day")
        self.assertIn("1 parked sales are not in the day. Close it? "
                      "Difference 0.", s)
        self.note("the close warns about the parked sale, whole at 80 "
                  "columns")
        t.keys("Enter")
        self.supervisor_pin()
        s = t.wait_text("Day 2026-03-01 closed")
        status = s.splitlines()[0]
        self.assertIn("printer: ok", status)
        self.assertIn("sync: not configured", status)
        self.note("status line whole: " + status.strip())
        t.keys("Escape")
        s = t.wait_text("nothing can be sold")
        t.keys("F7")
        t.wait_text("Recall which")
        t.keys("Enter")
        t.wait_text("Total: 15,000")
        t.keys("F5")
        t.wait_text("nothing can be sold")
        self.assertNotIn("Tendered:", t.screen())
        self.note("after the close the recalled sale cannot be paid: said "
                  "before any payment is taken")

    def test_payout_prefilled_and_checked_before_the_pin(self):
        self.make_store()
        self.pos(["sell", "--user", ATTENDANT, "JAM-APR*2"])
        t = self.t
        self.login()
        t.keys("F10")
        t.wait_text("FAM-HALABI")
        t.type("FAM")
        s = t.wait_text("مربى المشمش")
        self.note("the producer's products are on screen")
        t.keys("F5")
        s = t.wait_text("Pay أسرة الحلبي (owed 30,000")
        self.assertRegex(s, r"owed 30,000[^\n]*:\s*30,000")
        t.type("200000")
        t.keys("Enter")
        s = t.wait_text("Cannot pay أسرة الحلبي 200,000")
        self.assertIn("they are owed 30,000", s)
        self.assertNotIn("Supervisor PIN", s)
        self.note("200,000 refused with the name and amounts, before the PIN")
        t.keys("F5")
        t.wait_text("Pay أسرة الحلبي")
        t.keys("Enter")
        self.supervisor_pin()
        t.wait_text("Paid 30,000")
        x = self.pos(["report", "x"], json_out=True)
        self.assertEqual(x["payouts"], "30000")
        self.note("Enter pays what is owed (30,000)")

    def test_refund_says_what_went_back(self):
        self.make_store()
        r = self.pos(["sell", "--user", ATTENDANT, "COASTER*2", "JAM-APR"],
                     json_out=True)
        t = self.t
        self.login()
        t.keys("F9")
        t.wait_text(r["receipt"])
        t.keys("Enter")
        t.wait_text("Mosaic coaster")
        t.keys("Down")
        t.keys("F3")
        t.wait_text("Refund how much")
        t.keys("Enter")
        t.wait_text("Reason")
        t.keys("Enter")
        self.supervisor_pin()
        s = t.wait(lambda s: "back in cash" in " ".join(
            l.strip() for l in s.splitlines()), "the refund message")
        joined = " ".join(l.strip() for l in s.splitlines())
        self.assertRegex(joined, r"Refund DMS01-1-000003 of DMS01-1-000002: "
                         r"(2 × Mosaic coaster|1 × مربى المشمش); "
                         r"(15,000|15,000) ")
        self.note("the refund message names the lines and the money back")

    def test_three_item_cash_sale_from_login_within_30_keys(self):
        self.make_store()
        t = self.t
        self.start_ui()
        t.sent = 0
        t.type(ATTENDANT)
        t.keys("Enter")
        t.type(ATTENDANT_PIN)
        t.keys("Enter")
        t.wait_text("Find:")
        for prefix, total in (("JAM", "15,000"), ("COA", "22,500"),
                              ("OLI", "82,500")):
            t.type(prefix)
            t.wait(lambda s, p=prefix: "Find: " + p in s, prefix)
            t.keys("Enter")
            t.wait_text("Total: " + total)
        t.keys("F5")
        t.wait_text("Tendered:")
        t.type("90000")
        t.keys("Enter")
        s = t.wait_text("Sale DMS01-1-000002 saved")
        self.assertIn("Change: 7,500", s)
        self.assertLessEqual(t.sent, 30)
        self.note("login, 3 items, cash with change: %d keys" % t.sent)
        t.keys("Enter")
        t.wait_text("Type a code, a barcode or a name")
        self.assertIn("Change: 7,500", t.screen(), "the cart stays empty")
        self.note("an Enter too many after the sale adds nothing")


    def test_resize_and_back(self):
        self.make_store()
        t = self.t
        self.login()
        t.type("COASTER")
        t.keys("Enter")
        t.wait_text("Total: 7,500")
        t.type("mosaic")
        t.wait_text("MOSAIC-BOX")
        t.resize(100, 30)
        s = t.wait(lambda s: len(s.splitlines()) >= 30 and
                   max(len(l) for l in s.splitlines()) > 80, "a 100x30 screen")
        self.assertEqual(t.size(), "100x30")
        lines = s.splitlines()
        self.assertIn("Total: 7,500", s)
        self.assertIn("Find: mosaic", s)
        self.assertIn("Mosaic coaster", s)
        self.assertTrue(any("F12/^G" in l for l in lines[-2:]), "hints at the bottom")
        self.assertIn("TOTAL", lines[2][60:])
        self.note("at 100x30 the screen is laid out again, nothing lost")
        t.resize(80, 24)
        s = t.wait(lambda s: len(s.splitlines()) <= 24 and "Total: 7,500" in s,
                   "back at 80x24")
        self.assertEqual(t.size(), "80x24")
        self.assertIn("Find: mosaic", s)
        self.assertTrue(any("F11/^Y" in l for l in s.splitlines()[-2:]))
        self.note("and again at 80x24")

    def test_arabic_ui(self):
        self.make_store()
        t = self.t
        s = self.start_ui(extra_env={"POS_UI_LANGUAGE": "ar"})
        self.assertIn("المستخدم", s)
        self.assertIn("سجّل الدخول", s)
        t.type(ATTENDANT)
        t.keys("Enter")
        t.type(ATTENDANT_PIN)
        t.keys("Enter")
        s = t.wait_text("بحث:")
        self.assertIn("المجموع", s)
        self.assertIn("دفع", s)
        self.assertIn("المزامنة: غير مضبوطة", s)
        self.assertNotIn("Find:", s)
        self.note("[ui] language = ar: the labels are Arabic")

    def test_fribidi_shapes(self):
        self.make_store()
        t = self.t
        self.start_ui(extra_env={"POS_UI_BIDI": "fribidi"})
        t.type(ATTENDANT)
        t.keys("Enter")
        t.type(ATTENDANT_PIN)
        t.keys("Enter")
        s = t.wait_text("Find:")
        forms = [c for c in s if 0xFE70 <= ord(c) <= 0xFEFC]
        self.assertTrue(forms, "presentation forms in:\n" + s)
        self.assertNotIn("مربى المشمش", s, "not in logical order")
        self.note("bidi = fribidi: %d shaped presentation-form characters"
                  % len(forms))
        # The terminal mode writes logical order, unshaped.
        t.keys("F12")
        t.wait_text("F10/^X")

    def test_receipt_reaches_the_printer(self):
        if cupsharness.find("cupsd") is None:
            self.skipTest("cupsd is not installed")
        cups = cupsharness.PrivateCups()
        self.addCleanup(cups.cleanup)
        cups.start()
        printer = cupsharness.Listener()
        self.addCleanup(printer.close)
        cups.raw_queue("receipt", printer.port)
        self.make_store()
        env = {"CUPS_SERVER": cups.sock, "POS_PRINTER_NAME": "receipt",
               "POS_PRINTER_FORMAT": "escpos"}
        t = self.t
        self.login(extra_env=env)
        t.type("COASTER")
        t.keys("Enter")
        t.wait_text("Total: 7,500")
        t.keys("F5")
        t.wait_text("Tendered:")
        t.keys("Enter")
        t.wait_text("Sale DMS01-1-000002 saved")
        self.assertTrue(printer.wait(1, 30), "the printer got nothing")
        self.assertIn(b"DMS01-1-000002", printer.jobs[0])
        self.assertIn(b"Mosaic coaster", printer.jobs[0])
        t.wait_text("printer: ok", timeout=15)
        self.note("the sale's receipt reached the printer through cupsd; "
                  "status line: printer ok")
        # With cupsd gone the next sale still completes; the slip waits.
        cups.kill()
        t.type("COASTER")
        t.keys("Enter")
        t.keys("F5")
        t.wait_text("Tendered:")
        t.keys("Enter")
        t.wait_text("Sale DMS01-1-000003 saved")
        t.wait_text("printer: 1 waiting", timeout=15)
        x = self.pos(["report", "x"], json_out=True)
        self.assertEqual(x["sales_count"], 2)
        self.note("cupsd killed: the sale completed, the status line says "
                  "the receipt is waiting")

    def central(self):
        """A real pos-central on 127.0.0.1:0 with this window's branch."""
        import subprocess
        central = os.path.join(os.path.dirname(os.path.dirname(h.POS)),
                               "sync", "central", "pos-central")
        cdb = os.path.join(self.tmp, "central.db")
        env = h.base_env(self.tmp)
        subprocess.run([central, "init", "--db", cdb], env=env, check=True,
                       capture_output=True)
        out = subprocess.run([central, "branch", "add", "DMS01", "--db", cdb,
                              "--json"], env=env, check=True,
                             capture_output=True).stdout
        token = os.path.join(self.tmp, "token")
        with open(token, "w") as f:
            f.write(json.loads(out)["token"] + "\n")
        proc = subprocess.Popen([central, "serve", "--db", cdb, "--listen",
                                 "127.0.0.1:0"], env=env,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        line = proc.stdout.readline().decode()
        self.assertTrue(line.startswith("listening on "), line)

        def stop():
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdout.close()
        self.addCleanup(stop)
        return proc, "http://" + line.split()[-1], token

    def test_producer_screen_owed_here_and_at_all_windows(self):
        """After a sync the producer screen shows what is owed at this
        window and at all windows as of the last sync (local time),
        whether each producer is the centre's, local or in conflict; in
        English, then in Arabic with Arabic-Indic digits."""
        import subprocess
        proc, url, token = self.central()
        central = os.path.join(os.path.dirname(os.path.dirname(h.POS)),
                               "sync", "central", "pos-central")
        cdb = os.path.join(self.tmp, "central.db")
        for args in (["producer", "add", "FAM-HALABI", "أسرة الحلبي"],
                     ["producer", "add", "CRAFT-ZAKI", "Zaki Mosaics"],
                     ["product", "add", "NEW-ZAATAR", "زعتر حلبي", "4000",
                      "--producer", "FAM-HALABI"]):
            subprocess.run([central] + args + ["--db", cdb],
                           env=h.base_env(self.tmp), check=True,
                           capture_output=True)
        self.make_store()
        sync = {"POS_SYNC_URL": url, "POS_SYNC_TOKEN_FILE": token}
        # A second window of the branch sells 15,000 of FAM-HALABI's.
        other = os.path.join(self.tmp, "other.db")
        saved, self.db = self.db, other
        self.pos(["init", "--branch", "DMS01", "--terminal", "2"])
        self.pos(["producer", "add", "FAM-HALABI", "أسرة الحلبي"])
        self.pos(["product", "add", "JAM-APR", "مربى المشمش", "15000",
                  "--producer", "FAM-HALABI"])
        self.pos(["user", "add", ATTENDANT, "--role", "attendant"],
                 stdin=ATTENDANT_PIN + "\n")
        self.pos(["day", "open", "--user", ATTENDANT, "--float", "0"])
        self.pos(["sell", "--user", ATTENDANT, "JAM-APR", "--no-print"])
        self.pos(["sync"], env=sync)
        self.db = saved
        self.pos(["sell", "--user", ATTENDANT, "JAM-APR*2", "--no-print"])
        self.pos(["producer", "add", "FAM-NEW", "بيت جديد"])
        self.pos(["product", "add", "NEW-BREAD", "خبز بيتي", "2000",
                  "--producer", "FAM-NEW"])
        self.pos(["sync"], env=sync)
        t = self.t
        s = self.login()
        # The sale screen's results: the window's own product carries "L",
        # the centre's none.
        t.type("NEW-")
        s = t.wait(lambda s: "NEW-BREAD" in s and "NEW-ZAATAR" in s,
                   "both NEW- products")
        rows = {l.split()[0]: l for l in s.splitlines()
                if l.startswith("NEW-")}
        self.assertRegex(rows["NEW-BREAD"], r"^NEW-BREAD +خبز بيتي +L +2,000/pc")
        self.assertRegex(rows["NEW-ZAATAR"], r"^NEW-ZAATAR +زعتر حلبي +4,000/pc")
        self.note("the sale screen's search marks a local product 'L', the "
                  "centre's none: " + rows["NEW-BREAD"][:50].rstrip())
        t.keys("C-u")
        t.keys("F10")
        t.wait_text("FAM-HALABI")
        s = t.screen()
        rows = {l.split()[0]: l[:38] for l in s.splitlines()[2:6]
                if l.split() and l.split()[0] in
                ("CRAFT-ZAKI", "FAM-HALABI", "FAM-NEW")}
        self.assertEqual(rows["CRAFT-ZAKI"][37], "!", s)
        self.assertEqual(rows["FAM-NEW"][37], "L", s)
        self.assertEqual(rows["FAM-HALABI"][37], " ", s)
        self.assertIn("Conflict with the centre's register", s)
        self.note("the list marks a conflict '!' and a local producer "
                  "'L'; the centre's own carry no mark")
        t.keys("Down")
        s = t.wait_text("Owed at this window: 30,000")
        self.assertIn("At all windows: 45,000", s)
        # NOW is 09:00 UTC in the harness; Damascus is UTC+3.
        self.assertIn("as of the last sync, 2026-03-01 12:", s)
        self.assertIn("Central (the centre's register)", s)
        self.note("FAM-HALABI: 'Owed at this window: 30,000', 'At all "
                  "windows: 45,000', as of the last sync in local time")
        t.keys("F5")
        t.wait_text("Pay ")
        s = t.screen()
        self.assertIn("owed 30,000", s)
        self.assertNotIn("owed 45,000", s)
        t.keys("Escape")
        self.note("a payout offers only this window's 30,000")
        t.kill()
        ar = {"POS_UI_LANGUAGE": "ar", "POS_CURRENCY_DIGITS": "arabic-indic"}
        self.t = h.Tmux(self.tmp, self.env)
        self.addCleanup(self.t.kill)
        self.start_ui(extra_env=ar)
        self.t.type(ATTENDANT)
        self.t.keys("Enter")
        self.t.type(ATTENDANT_PIN)
        self.t.keys("Enter")
        self.t.wait_text("بحث:")
        self.t.keys("F10")
        self.t.wait_text("FAM-HALABI")
        self.t.keys("Down")
        s = self.t.wait_text("في كل النوافذ")
        self.assertIn("٤٥٬٠٠٠", s)
        self.assertIn("٣٠٬٠٠٠", s)
        self.assertIn("٢٠٢٦-٠٣-٠١", s)
        self.note("in Arabic: both figures and the date in Arabic-Indic "
                  "digits")

    def test_sync_online_then_network_cut(self):
        proc, url, token = self.central()
        self.make_store()
        env = {"POS_SYNC_URL": url, "POS_SYNC_TOKEN_FILE": token,
               "POS_SYNC_INTERVAL": "5"}
        t = self.t
        self.login(extra_env=env)
        t.wait_text("sync: online, 0 unsent", timeout=20)
        self.note("status line: sync online, nothing unsent")
        proc.kill()
        proc.wait()
        t.type("COASTER")
        t.keys("Enter")
        t.wait_text("Total: 7,500")
        t.keys("F5")
        t.wait_text("Tendered:")
        t.keys("Enter")
        t.wait_text("Sale DMS01-1-000002 saved")
        self.note("the network is cut: the sale still completes")
        t.wait_text("sync: offline, 1 unsent", timeout=30)
        x = self.pos(["report", "x"], json_out=True)
        self.assertEqual(x["sales_count"], 1)
        self.note("status line: sync offline, 1 unsent")


if __name__ == "__main__":
    h.main()
