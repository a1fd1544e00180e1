"""The terminal UI in tmux: log in, ring up sales, pay, park, void, resize,
Arabic labels and FriBidi shaping. Each test prepares its own store with
the `pos` CLI and drives the UI with send-keys; `pos --json report x`
checks what the UI committed.

usage: python3 test_tui.py /path/to/pos /path/to/localedir
"""

import json
import os
import sys
import time
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
        self.assertIn("Wait", s)
        self.note("a wrong PIN is refused and counted")
        # Locked for a second: Enter now is refused without trying.
        t.type(ATTENDANT_PIN)
        s = t.wait_text("****")
        self.assertNotIn(ATTENDANT_PIN, s)
        t.keys("Enter")
        s = t.wait(lambda s: "Find:" in s or "Too many wrong PINs" in s,
                   "lock-out or login")
        if "Find:" not in s:
            self.note("a second try within the lock-out is refused")
            t.wait_gone("before the next try", timeout=5)
            t.keys("C-u")
            t.type(ATTENDANT_PIN)
            t.keys("Enter")
            s = t.wait_text("Find:")
        self.assertIn("rima", s.splitlines()[0], "the status line names her")
        self.assertIn("sync: not configured", s)
        self.assertIn("DMS01-1", s)
        self.note("the right PIN logs in; status line shows branch, "
                  "attendant, sync state")

    def test_sale_three_products_cash_with_change(self):
        self.make_store()
        t = self.t
        self.login()
        self.ring_up_three()
        t.keys("F5")
        t.wait_text("Tendered:")
        t.type("100000")
        t.keys("Enter")
        s = t.wait_text("Change: 10,000")
        self.assertIn("Press Enter to confirm", s)
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
        s = t.wait_text("Sale parked")
        self.assertIn("Parked: 1", s)
        self.assertIn("Total: 0", s)
        # A second sale while the first waits, with the Ctrl fallback keys.
        t.type("2*JAM-APR")
        t.keys("Enter")
        t.wait_text("Total: 30,000")
        t.keys("C-k")
        t.wait_text("Parked: 2")
        t.keys("F7")
        t.wait_text("Recall which parked sale (1-2)?")
        s = t.screen()
        self.assertIn("1) parked", s)
        self.assertIn("2) parked", s)
        t.type("1")
        t.keys("Enter")
        s = t.wait_text("Total: 7,500")
        self.assertIn("Mosaic coaster", s)
        self.assertIn("Parked: 1", s)
        self.note("two sales parked, the first recalled by number")
        t.keys("F5")
        t.wait_text("Tendered:")
        t.keys("Enter")
        t.wait_text("Press Enter to confirm")
        t.keys("Enter")
        t.wait_text("saved")
        t.keys("C-w")
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
        s = t.wait_text("Press Enter to confirm")
        self.assertIn("Change: 0", s)
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
        t.wait_text("Supervisor:")
        t.type(SUPERVISOR)
        t.keys("Enter")
        t.wait_text("Supervisor PIN:")
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
        t.wait_text("Supervisor:")
        t.type(SUPERVISOR)
        t.keys("Enter")
        t.wait_text("Supervisor PIN:")
        t.type(SUPERVISOR_PIN)
        s = t.wait_text("****")
        self.assertNotIn(SUPERVISOR_PIN, s)
        t.keys("Enter")
        s = t.wait_text("voided (")
        self.assertIn("voided", s)
        x = self.pos(["report", "x"], json_out=True)
        self.assertEqual((x["voids"], x["sales_count"], x["net"]), (1, 0, "0"))
        self.note("void with the supervisor's PIN: report x counts it")

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
        t.wait_text("Press Enter to confirm")
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
        t.wait_text("Press Enter to confirm")
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
        t.wait_text("Press Enter to confirm")
        t.keys("Enter")
        t.wait_text("Sale DMS01-1-000002 saved")
        self.note("the network is cut: the sale still completes")
        t.wait_text("sync: offline, 1 unsent", timeout=30)
        x = self.pos(["report", "x"], json_out=True)
        self.assertEqual(x["sales_count"], 1)
        self.note("status line: sync offline, 1 unsent")


if __name__ == "__main__":
    h.main()
