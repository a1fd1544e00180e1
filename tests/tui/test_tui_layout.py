"""The terminal UI's layout in tmux: the Arabic interface mirrored (labels
on the right, columns from right to left, the cursor where the next letter
goes, the status line from the right) with figures that still read right,
quantities in the configured digits, prompts longer than the screen, and a
sweep of screens and messages at 80x24 in both languages in which no word
is cut. Each test prepares its own store with the `pos` CLI.

The Arabic runs use [ui] bidi = fribidi, so what tmux holds is what the
screen shows: right-to-left text in visual order, shaped into presentation
forms. logical() turns a stretch of such text back into the words of the
translation to compare with.

usage: python3 test_tui_layout.py /path/to/pos /path/to/localedir
"""

import itertools
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import cupsharness  # noqa: E402

import tuiharness as h
from test_terminals import big_rows
from tuiharness import ATTENDANT, ATTENDANT_PIN

AR = {"POS_UI_LANGUAGE": "ar", "POS_UI_BIDI": "fribidi"}
PO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                  "pos", "tui", "po", "ar.po")
LONG_NAME = ("Hand-painted ceramic serving plate with olive branch pattern "
             "and gold rim")


def is_rtl(c):
    return unicodedata.bidirectional(c) in ("R", "AL")


def plain(s):
    """Letters only as they are compared: no harakat, no tatweel."""
    return "".join(c for c in unicodedata.normalize("NFKC", s)
                   if not unicodedata.combining(c) and c != "\u0640")


def logical(visual):
    """Right-to-left text as the screen shows it back in reading order."""
    return plain(visual[::-1])


def col(line, i):
    """Display column of character i of a captured line."""
    return sum(0 if unicodedata.combining(c) else 1 for c in line[:i])


def find_col(screen, text):
    """(row, first column, last column) of text's first appearance."""
    for y, line in enumerate(screen.splitlines()):
        i = line.find(text)
        if i >= 0:
            return y, col(line, i), col(line, i + len(text)) - 1
    raise AssertionError("%r not on screen:\n%s" % (text, screen))


def find_ar(screen, words):
    """find_col for Arabic words as the screen shows them (visual order)."""
    want = plain(words)[::-1]
    for y, line in enumerate(screen.splitlines()):
        p = plain(line)
        i = p.find(want)
        if i >= 0:
            # plain() drops marks, which take no column: count on p.
            return y, i, i + len(want) - 1
    raise AssertionError("%r not on screen:\n%s" % (words, screen))


def words_of(line, visual=True):
    """The words of a captured line, right-to-left ones in reading order
    (visual: the UI ordered the line, so they stand reversed)."""
    bare = "".join(c for c in line if not unicodedata.combining(c) and
                   c != "\u0640")
    words = []
    for word in re.findall(r"[^\W\d_]+", bare):
        # "و" may stick to a Latin word; each script is a word of its own.
        for rtl, run in itertools.groupby(word, is_rtl):
            run = "".join(run)
            # Reverse before NFKC: a lam-alef ligature is one glyph.
            words.append(plain(run[::-1] if visual and rtl else run))
    return words


def po_words():
    """Every word of the English messages and their Arabic translations."""
    words = set()
    with open(PO, encoding="utf-8") as f:
        for line in f:
            m = re.search(r'"(.*)"', line)
            if m and not line.startswith("#"):
                words.update(re.findall(r"[^\W\d_]+", plain(
                    m.group(1).replace("\\n", " "))))
    return words


class TestLayout(h.TuiTestCase):

    def login_as(self, env, wait):
        self.start_ui(extra_env=env)
        t = self.t
        t.type(ATTENDANT)
        t.keys("Enter")
        t.type(ATTENDANT_PIN)
        t.keys("Enter")
        return t.wait(wait, "the sale screen")

    def login_ar(self, extra=None):
        env = dict(AR)
        env.update(extra or {})
        return self.login_as(env, lambda s: "F10" in s and
                             find_ar_ok(s, "بحث:"))

    def cursor(self):
        x, y = self.t.tmux("display-message", "-p",
                           "#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def test_arabic_sale_screen_is_mirrored(self):
        self.make_store()
        t = self.t
        s = self.login_ar({"POS_CURRENCY_DIGITS": "arabic-indic"})
        status = s.splitlines()[0].rstrip()
        self.assertTrue(status.endswith("DMS01-1"), status)
        self.assertLess(find_col(s, "rima")[1], find_col(s, "DMS01-1")[1])
        self.assertLess(find_col(s, "2026-03-01")[1], find_col(s, "rima")[1])
        self.assertLess(find_ar(s, "المزامنة")[1], find_col(s, "2026-03-01")[1])
        self.note("status line read from the right: window, user, day, "
                  "printer, sync")
        y, x0, x1 = find_ar(s, "بحث:")
        self.assertEqual(x1, 79, "the search label ends at the right edge")
        cx, cy = self.cursor()
        self.assertEqual((cx, cy), (x0 - 2, y), "cursor just left of the label")
        t.type("COASTER")
        t.keys("Enter")
        t.type("2*")
        t.type("مربى")
        t.keys("Enter")
        s = t.wait(lambda s: "٣٧٬٥٠٠" in s, "the total of two lines")
        coaster = [l for l in s.splitlines() if "Mosaic coaster" in l and
                   "Zaki" in l][0]
        self.assertTrue(coaster.rstrip().endswith("Mosaic coaster ١"), coaster)
        self.assertTrue(coaster.startswith("٧٬٥٠٠"), coaster)
        jam = [l for l in s.splitlines() if l.rstrip().endswith(" ٢") and
               "٣٠٬٠٠٠" in l][0]
        self.assertTrue(jam.startswith("٣٠٬٠٠٠"), jam)
        # Total, price, quantity, producer, product, number: right to left.
        self.assertEqual(jam.split()[:3], ["٣٠٬٠٠٠", "١٥٬٠٠٠", "٢"], jam)
        self.assertNotRegex(jam, "[0-9]")
        self.note("cart columns right to left: '%s'" % " ".join(jam.split()))
        head = [l for l in s.splitlines() if l.rstrip().endswith("#")]
        self.assertTrue(head, "the cart header's # on the right")
        rows = big_rows("٣٧٬٥٠٠")
        y, x0, _ = find_col(s, rows[0])
        self.assertLess(x0, 10, "the big total on the left")
        self.assertIn(rows[1], s.splitlines()[y + 1])
        self.note("the big TOTAL ٣٧٬٥٠٠ drawn on the left, digits in order")
        # Arabic typed in the search line grows to the left of the label,
        # and the cursor stays where the next letter goes.
        t.type("زيت")
        s = t.wait(lambda s: find_ar_ok(s, "زيت"), "the search text")
        y, x0, x1 = find_ar(s, "زيت")
        lab = find_ar(s, "بحث:")
        self.assertEqual((y, x1), (lab[0], lab[1] - 2), s)
        self.assertEqual(self.cursor(), (x0 - 1, y))
        t.type("ون")
        s = t.wait(lambda s: find_ar_ok(s, "زيتون"), "more letters")
        y, x0, _ = find_ar(s, "زيتون")
        self.assertEqual(self.cursor(), (x0 - 1, y))
        self.note("cursor of an Arabic search line left of the text, where "
                  "the next letter goes")

    def test_arabic_payment_screen_is_mirrored(self):
        self.make_store()
        t = self.t
        self.login_ar()
        t.type("MOSAIC-BOX")
        t.keys("Enter")
        t.keys("F5")
        s = t.wait(lambda s: find_ar_ok(s, "الطريقة:"), "the payment screen")
        y, x0, x1 = find_ar(s, "الطريقة:")
        self.assertEqual(x1, 78, s)
        card = find_ar(s, "بطاقة")
        self.assertEqual(card[0], y)
        self.assertLess(card[2], x0, "the methods left of their label")
        self.note("'الطريقة:' on the right, its choices to its left")
        due = find_ar(s, "المستحق")
        left = find_ar(s, "المتبقي للدفع")
        self.assertGreater(due[1], 40)
        self.assertLess(left[2], 40)
        rows = big_rows("45,000")
        for r in range(3):
            line = s.splitlines()[due[0] + 1 + r]
            self.assertEqual(line.count(rows[r]), 2, line)
            self.assertGreater(line.rfind(rows[r]), 40)
        self.note("DUE on the right half, STILL TO PAY on the left, both "
                  "big 45,000 with digits in order")
        y, x0, x1 = find_ar(s, "المدفوع:")
        self.assertEqual(self.cursor(), (x0 - 2, y))
        t.type("100,000")
        s = t.wait_text("100,000")
        fy, fx0, fx1 = find_col(s, "100,000")
        self.assertEqual((fy, fx1), (y, x0 - 3))
        self.assertEqual(self.cursor(), (x0 - 2, y))
        self.note("figures typed grow toward the label; the cursor between "
                  "them and the label")
        t.keys("Enter")
        s = t.wait(lambda s: find_ar_ok(s, "الباقي"), "the change")
        ch = find_ar(s, "الباقي")
        self.assertLess(ch[2], 40)
        rows = big_rows("55,000")
        self.assertIn(rows[0], s.splitlines()[ch[0] + 1][:40])
        self.assertRegex(s, r"ﺱ\.ﻝ 55,000 :")
        self.note("CHANGE 55,000 on the left, read right to left as "
                  "'الباقي: 55,000 ل.س'")
        t.keys("Enter")
        t.wait_text("DMS01-1-000002")
        x = self.pos(["report", "x"], json_out=True)
        self.assertEqual(x["sales_count"], 1)

    def test_english_layout_is_not_mirrored(self):
        self.make_store()
        t = self.t
        s = self.login_as({}, lambda s: "Find:" in s)
        self.assertTrue(s.splitlines()[0].startswith(" DMS01-1"))
        self.assertEqual(find_col(s, "Find:")[1], 0)
        self.assertEqual(self.cursor(), (6, find_col(s, "Find:")[0]))
        t.type("2*COASTER")
        t.keys("Enter")
        s = t.wait_text("Total: 15,000")
        line = [l for l in s.splitlines() if "Mosaic coaster" in l][-1]
        self.assertTrue(line.startswith("  1 Mosaic coaster"), line)
        self.assertTrue(line.rstrip().endswith("15,000"), line)
        self.note("English: labels and the cart from the left as before")

    def test_quantities_in_configured_digits(self):
        self.make_store()
        t = self.t
        self.login_as({"POS_CURRENCY_DIGITS": "arabic-indic"},
                      lambda s: "Find:" in s)
        t.type("0.25*OLIVE-OIL")
        t.keys("Enter")
        s = t.wait_text("Total: ١٥٬٠٠٠")
        line = [l for l in s.splitlines() if "Olive" in l or "زيت" in l][-1]
        self.assertIn("٠٫٢٥ kg", line)
        self.assertNotIn("0.25", line)
        self.note("cart quantity '٠٫٢٥ kg' in Arabic-Indic digits")
        t.keys("F2")
        s = t.wait_text("Quantity of")
        self.assertIn("٠٫٢٥", [l for l in s.splitlines() if "Quantity of"
                               in l][0])
        t.type("0.5")
        t.keys("Enter")
        s = t.wait_text("Total: ٣٠٬٠٠٠")
        self.note("the quantity prompt shows ٠٫٢٥ and takes 0.5")

    def test_long_prompt_label_wraps(self):
        self.make_store()
        self.pos(["product", "add", "PLATE", LONG_NAME, "90000", "--producer",
                  "CRAFT-ZAKI"])
        t = self.t
        self.login_as({}, lambda s: "Find:" in s)
        t.type("PLATE")
        t.keys("Enter")
        t.wait_text("Total: 90,000")
        t.keys("F2")
        s = t.wait_text("Quantity of")
        lines = s.splitlines()
        y = find_col(s, "Quantity of")[0]
        label = " ".join(l.strip() for l in lines[y:y + 2])
        self.assertIn("Quantity of %s:" % LONG_NAME, label, s)
        self.assertTrue(all(len(l) <= 80 for l in lines))
        cx, cy = self.cursor()
        self.assertEqual(cy, y + 2, "the field under the wrapped label")
        t.type("3")
        s = t.wait(lambda s: s.splitlines()[y + 2].strip() == "3", "3 typed")
        self.assertEqual(self.cursor(), (2, y + 2))
        t.keys("Enter")
        t.wait_text("Total: 270,000")
        self.note("a prompt label longer than the line wraps whole above "
                  "its field; 3 typed there sets the quantity")

    def sweep(self, env, mirrored):
        """Walk the screens and their messages; every word whole."""
        self.make_store()
        self.pos(["product", "add", "PLATE", LONG_NAME, "90000", "--producer",
                  "CRAFT-ZAKI"])
        self.pos(["sell", "--user", ATTENDANT, "COASTER"])
        t = self.t
        known = po_words()
        # Names may be cut where their column ends; messages may not.
        for row in h.PRODUCTS + h.PRODUCERS + [("PLATE", LONG_NAME)]:
            for field in row:
                for w in re.findall(r"[^\W\d_]+", plain(field or "")):
                    known.update(w[:i] for i in range(1, len(w) + 1))
        known.update(["ل", "س"])     # the currency label ل.س
        # Key names (^L), the branch, users, units, a statement's path.
        known.update(chr(c) for c in range(ord("A"), ord("Z") + 1))
        known.update(["DMS", "rima", "samir", "kg", "txt", "zaki", "SYP"])
        seen = []

        def check(what):
            # A screen caught while it is redrawn mixes two frames.
            s = t.wait(lambda s: True, what)
            seen.append(what)
            lines = s.splitlines()
            self.assertLessEqual(len(lines), 24)
            for line in lines:
                self.assertLessEqual(col(line, len(line)), 80, line)
                # A file's path is shown whole, on a row of its own.
                words = words_of(re.sub(r"/\S+", "", line), mirrored)
                cut = [w for w in words if w not in known]
                self.assertFalse(cut, "%s: words cut or unknown %s in:\n%s"
                                 % (what, cut, s))
            return s

        self.start_ui(extra_env=env)
        check("login")
        t.type(ATTENDANT)
        t.keys("Enter")
        t.type("9999")
        t.keys("Enter")
        t.wait(lambda s: "(1" in s or "١" in s or "1)" in s, "wrong PIN")
        check("wrong PIN message")
        t.wait(lambda s: "before the next try" not in s and
               "قبل المحاولة التالية" not in s and not
               find_ar_ok(s, "قبل المحاولة التالية"), "wait over",
               timeout=10)
        t.keys("C-u")
        t.type(ATTENDANT_PIN)
        t.keys("Enter")
        t.wait(lambda s: "F10" in s, "sale screen")
        check("sale screen")
        t.keys("F5")
        check("the empty cart refused")
        t.type("PLATE")
        t.keys("Enter")
        t.wait(lambda s: "90,000" in s, "the plate")
        check("cart with a long name")
        t.keys("F2")
        t.wait(lambda s: LONG_NAME[:20] in s, "the long prompt")
        check("quantity prompt with a long label")
        t.keys("Escape")
        t.keys("F5")
        t.wait(lambda s: "F8/^R" in s, "payment")
        check("payment screen")
        t.type("0")
        t.keys("Enter")
        check("cash 0 refused")
        t.keys("Escape")
        t.keys("F9")
        t.wait(lambda s: "DMS01-1-000002" in s, "void screen")
        check("void screen")
        t.keys("Escape")
        t.keys("F10")
        t.wait(lambda s: "CRAFT-ZAKI" in s, "producers")
        check("producers screen")
        t.type("zaki")
        t.wait(lambda s: "FAM-HALABI" not in s, "one producer")
        t.keys("F3")
        t.wait(lambda s: ".txt" in s, "where the statement went", timeout=20)
        check("statement written to a file")
        t.keys("Escape")
        t.keys("F11")
        t.wait(lambda s: "F5/^Z" in s, "reports")
        s = check("reports screen")
        head = [l for l in s.splitlines() if "X" in l][0]
        self.assertIn("2026-03-01", head, "the day's date reads in order")
        self.note("%d screens and messages, every word whole at 80x24: %s"
                  % (len(seen), ", ".join(seen)))

    def test_sweep_english_80x24_nothing_cut(self):
        self.sweep({}, False)

    def test_sweep_arabic_80x24_nothing_cut(self):
        self.sweep(AR, True)

    def test_sweep_arabic_logical_order_80x24_nothing_cut(self):
        """bidi = terminal in tmux: Arabic in logical order, not mirrored."""
        self.sweep({"POS_UI_LANGUAGE": "ar"}, False)

    def test_statement_to_cups_printer_says_so(self):
        if cupsharness.find("cupsd") is None:
            self.skipTest("cupsd is not installed")
        cups = cupsharness.PrivateCups()
        self.addCleanup(cups.cleanup)
        cups.start()
        printer = cupsharness.Listener()
        self.addCleanup(printer.close)
        cups.raw_queue("receipt", printer.port)
        self.make_store()
        self.pos(["sell", "--user", ATTENDANT, "COASTER"])
        env = {"CUPS_SERVER": cups.sock, "POS_PRINTER_NAME": "receipt",
               "POS_PRINTER_FORMAT": "escpos"}
        t = self.t
        self.login_as(env, lambda s: "Find:" in s)
        t.keys("F10")
        t.wait_text("CRAFT-ZAKI")
        t.type("zaki")
        t.wait(lambda s: "FAM-HALABI" not in s, "the list filtered")
        t.keys("F3")
        s = t.wait(lambda s: "sent to the printer" in s, "the statement sent",
                   timeout=30)
        joined = " ".join(l.strip() for l in s.splitlines())
        self.assertIn("Statement for Zaki Mosaic Workshop sent to the printer "
                      "receipt.", joined)
        self.assertNotIn("written to the file", joined)
        self.assertTrue(printer.wait(1, 30), "the printer got nothing")
        self.assertIn(b"Mosaic coaster", b"".join(printer.jobs))
        self.note("the statement went through a private cupsd to the queue "
                  "'receipt' and the screen says so")


def find_ar_ok(screen, words):
    try:
        find_ar(screen, words)
        return True
    except AssertionError:
        return False


if __name__ == "__main__":
    h.main()
