"""Real slips from `pos`, read back by tools nobody here wrote.

- A sale of 5 Arabic-named products takes at most 120 mm of 80 mm paper
  (959 dots at 203 dpi, measured on the PNG render); the 58 mm figure is
  printed. zbarimg decodes the QR code at both widths.
- A total of 999,999,999,999 (0 and 2 decimals, Arabic and English slips)
  is read whole by tesseract (-l eng --psm 6, which reads digit runs
  reliably) at 58 and 80 mm: every long number it reads has the amount's
  digits and groups (it may misread one digit, never drop one).
- With [currency] digits = arabic-indic every figure on the slip is in
  Arabic-Indic digits and only identifiers (receipt number, QR payload)
  keep Western ones; checked on the text render, which is the layout's own
  line list (OCR cannot read Arabic-Indic digits).
- Quantity lines are one unit: "FSI qty NBSP unit PDI NBSP × NBSP FSI
  price NBSP symbol PDI", no double spaces.
- The producer statement lists products in natural code order (P2 before
  P10) with kg quantities in kg, and no line holds a lone word.
- The built-in footer is Arabic on an Arabic slip.
- The payout, void, refund and Z report slips, with large amounts (a
  payout of 999,999,999 and a Z of 1,999,999,998 sold), at 58 and 80 mm,
  0 and 2 decimals, Western and Arabic-Indic digits: every amount is
  whole on one line of the text render (the layout's own line list: not
  cut, not wrapped) and no line ends in a hyphen; with Western digits
  tesseract reads the amounts of the payout, void and refund PNGs whole;
  with Arabic-Indic digits the text render has no Western digit outside
  the receipt number and the QR payload.
- A negative amount (the Z's cash difference) reads "-500" to tesseract
  on the PNG (`pos report z --render png`), at 58 and 80 mm, Arabic and
  English: the minus before its figure.

usage: python3 test_receipts_paper.py /path/to/pos
"""
import os
import re
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.path.insert(0, os.path.join(HERE, ".."))
import posharness  # noqa: E402
from posharness import PosTestCase  # noqa: E402
from testtime import scaled  # noqa: E402

FSI, PDI, NBSP = "\u2068", "\u2069", "\u00a0"
DOTS_PER_MM = 203 / 25.4
GOAL_80MM_DOTS = 959            # 120 mm

PRODUCTS = [
    ("P1", "مربى المشمش البيتي", "1500", "F1", "piece"),
    ("P2", "زيت زيتون بلدي", "12500", "F2", "piece"),
    ("P10", "صابون غار حلبي", "800", "F1", "piece"),
    ("P3", "مكدوس باذنجان", "4250", "F2", "piece"),
    ("P4", "زعتر حلبي", "2000", "F1", "kg"),
]


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


class Paper(PosTestCase):

    def store(self, decimals=0, digits="western", language="ar"):
        """A fresh store with the 5 products and an open day."""
        self.db = os.path.join(self.tmp, "w-%d-%s-%s.db" % (
            decimals, digits, language))
        self.env.update({
            "POS_CURRENCY_DECIMALS": str(decimals),
            "POS_CURRENCY_DIGITS": digits,
            "POS_UI_LANGUAGE": language,
        })
        self.init_store()
        self.add_users()
        self.ok(["producer", "add", "F1", "أسرة الحلبي"])
        self.ok(["producer", "add", "F2", "جمعية سيدات دمشق"])
        for code, name, price, producer, unit in PRODUCTS:
            self.ok(["product", "add", code, name, price, "--producer",
                     producer, "--unit", unit])
        self.ok(["day", "open", "--user", "ali", "--float", "0"])

    def five_sale(self):
        return self.j(["sell", "--no-print", "--user", "ali", "P1", "P2*2",
                       "P10*3", "P3", "P4*0.75", "--pay", "cash:100000"])

    def render(self, receipt, fmt, paper):
        p = subprocess.run(
            [posharness.POS, "--db", self.db, "receipt", "render", receipt,
             "--format", fmt],
            env=dict(self.env, POS_PRINTER_PAPER=str(paper)),
            capture_output=True, timeout=scaled(60))
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return p.stdout

    def png_file(self, receipt, paper):
        data = self.render(receipt, "png", paper)
        path = os.path.join(self.tmp, "%s-%d.png" % (receipt, paper))
        with open(path, "wb") as f:
            f.write(data)
        return path, png_size(data)

    def tool(self, name, package):
        path = shutil.which(name)
        if path is None:
            self.skipTest("%s is not installed (Debian: %s)" % (name, package))
        return path

    def test_five_product_sale_fits_120mm_at_80mm(self):
        self.store()
        s = self.five_sale()
        heights = {}
        for paper in (80, 58):
            path, (w, h) = self.png_file(s["receipt"], paper)
            self.assertEqual(w, 576 if paper == 80 else 384)
            heights[paper] = h
        self.assertLessEqual(heights[80], GOAL_80MM_DOTS,
                             "5-product sale: %d dots (%.1f mm) at 80 mm" %
                             (heights[80], heights[80] / DOTS_PER_MM))
        self.note("5-product Arabic sale: %.1f mm at 80 mm (goal <= 120), "
                  "%.1f mm at 58 mm" % (heights[80] / DOTS_PER_MM,
                                        heights[58] / DOTS_PER_MM))

    def test_qr_decodes_at_both_widths(self):
        zbarimg = self.tool("zbarimg", "zbar-tools")
        self.store()
        s = self.five_sale()
        for paper in (80, 58):
            path, _ = self.png_file(s["receipt"], paper)
            p = subprocess.run([zbarimg, "-q", "--raw", path],
                               capture_output=True, text=True,
                               timeout=scaled(60))
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn(s["receipt"], p.stdout)
        self.note("zbarimg reads the QR code at 80 and 58 mm")

    def test_big_total_is_read_whole(self):
        tesseract = self.tool("tesseract", "tesseract-ocr")
        for decimals in (0, 2):
            for language in ("ar", "en"):
                self.store(decimals, "western", language)
                self.ok(["product", "add", "BIG", "Big", "999999999999",
                         "--producer", "F1"])
                s = self.j(["sell", "--no-print", "--user", "ali", "BIG",
                            "--pay", "cash:999999999999"])
                want = "999,999,999,999" + (".00" if decimals else "")
                for paper in (58, 80):
                    path, _ = self.png_file(s["receipt"], paper)
                    p = subprocess.run(
                        [tesseract, path, "-", "-l", "eng", "--psm", "6"],
                        capture_output=True, text=True, timeout=scaled(120))
                    self.assertEqual(p.returncode, 0, p.stderr)
                    runs = re.findall(r"\d[\d,.]{6,}\d", p.stdout)
                    self.assertGreaterEqual(
                        len(runs), 3, "%d mm %s: %r" % (paper, language,
                                                        p.stdout))
                    # OCR may misread a digit of the bold total (9 as 5),
                    # never the shape: a cut or wrapped amount has fewer
                    # digits or groups.
                    shape = re.sub(r"\d", "9", want)
                    why = "%d mm, %d decimals, %s: OCR read %r" % (
                        paper, decimals, language, p.stdout)
                    for r in runs:
                        self.assertEqual(re.sub(r"\d", "9", r), shape, why)
                    self.assertGreaterEqual(runs.count(want), 2, why)
        self.note("tesseract reads 999,999,999,999 whole in every amount at "
                  "58 and 80 mm, 0 and 2 decimals, Arabic and English")

    def test_arabic_indic_digits_on_every_figure(self):
        self.store(2, "arabic-indic", "ar")
        s = self.five_sale()
        payload = s["receipt"] + " " + s["uuid"]
        for paper in (58, 80):
            text = self.render(s["receipt"], "text", paper).decode()
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            for ln in lines:
                if ln in payload:        # the QR code's text
                    continue
                rest = ln.replace(s["receipt"], "")
                self.assertIsNone(re.search(r"[0-9]", rest),
                                  "Western digit in %r" % ln)
            self.assertTrue(any("٢٠٢٦/٠٣/٠١" in ln for ln in lines), text)
            qty = (FSI + "٠٫٧٥" + NBSP + "كغ" + PDI + NBSP + "×" + NBSP +
                   FSI + "٢٬٠٠٠٫٠٠" + NBSP + "ل.س" + PDI)
            self.assertTrue(any(qty in ln for ln in lines), text)
            for ln in lines:
                if FSI in ln:
                    label = ln[:ln.rindex(PDI)]
                    self.assertNotIn("  ", label, ln)
            self.assertIn("شكراً لزيارتكم", text)
            self.assertNotIn("Thank you", text)
        self.note("arabic-indic: dates, quantities, prices and amounts in "
                  "Arabic-Indic digits; receipt number and QR stay Western")

    def test_english_slip_keeps_english_footer(self):
        self.store(0, "western", "en")
        s = self.five_sale()
        text = self.render(s["receipt"], "text", 80).decode()
        self.assertIn("Thank you", text)
        self.assertIn(FSI + "0.75" + NBSP + "kg" + PDI + NBSP + "×", text)

    def test_statement_natural_order_and_units(self):
        self.store(0, "western", "ar")
        self.five_sale()
        d = os.path.join(self.tmp, "receipts")
        for paper in (58, 80):
            before = set(os.listdir(d)) if os.path.isdir(d) else set()
            self.ok(["report", "producer", "F1", "--print"],
                    env={"POS_PRINTER_PAPER": str(paper)})
            new = sorted(set(os.listdir(d)) - before)
            self.assertEqual(len(new), 1, new)
            with open(os.path.join(d, new[0]), encoding="utf-8") as f:
                text = f.read()
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            order = [c for ln in lines for c in ("P1", "P4", "P10")
                     if re.search(r"(^|\s)%s($|\s)" % c, ln)]
            self.assertEqual(order, ["P1", "P4", "P10"], text)
            self.assertTrue(any("0.75" + NBSP + "كغ" in ln for ln in lines),
                            text)
            for ln in lines:
                if not ln.strip("-"):
                    continue
                self.assertIn(" ", ln.replace(NBSP, " ").strip(),
                              "a lone word on a line: %r\n%s" % (ln, text))
        self.note("statement at 58 and 80 mm: P1, P4, P10 in natural order, "
                  "0.75 كغ, no lone word")

    # ---- payout, void, refund and Z slips ----

    BIG = 999999999
    WESTERN = "0123456789"
    INDIC = "٠١٢٣٤٥٦٧٨٩"

    def amount(self, v, decimals, digits):
        """v (whole units) as the slip shows it, without the symbol."""
        t = "{:,}".format(v) + ("." + "0" * decimals if decimals else "")
        if digits == "arabic-indic":
            t = t.translate(str.maketrans(self.WESTERN + ",.", self.INDIC + "٬٫"))
        return t

    def corrections(self, decimals, digits):
        """A store with a void, a refund, a payout and a closed day; the
        receipts of the void, refund and payout slips."""
        self.store(decimals, digits, "ar")
        self.ok(["product", "add", "BIG", "Big", str(self.BIG),
                 "--producer", "F1"])
        a = self.j(["sell", "--no-print", "--user", "ali", "BIG*2",
                    "--pay", "cash:%d" % (2 * self.BIG)])
        b = self.j(["sell", "--no-print", "--user", "ali", "BIG*3",
                    "--pay", "cash:%d" % (3 * self.BIG)])
        v = self.j(["void", a["receipt"], "--user", "sam", "--reason",
                    "خطأ", "--no-print"], env=self.sup())
        r = self.j(["refund", b["receipt"], "BIG*1", "--user", "sam",
                    "--no-print"], env=self.sup())
        p = self.j(["payout", "F1", str(self.BIG), "--user", "sam",
                    "--no-print"], env=self.sup())
        self.ok(["day", "close", "--user", "sam", "--counted", "0",
                 "--no-print"], env=self.sup())
        return {"void": v["receipt"], "refund": r["receipt"],
                "payout": p["receipt"]}

    def z_text(self, paper):
        """The Z report slip as the file printer wrote it (text render)."""
        out = self.ok(["report", "z", "--print"],
                      env={"POS_PRINTER_PAPER": str(paper)})
        m = re.search(r"written to (.+\.txt)$", out, re.M)
        self.assertIsNotNone(m, out)
        with open(m.group(1), encoding="utf-8") as f:
            return f.read()

    def check_fits(self, name, text, want, receipt, digits):
        """Every amount in want is whole on one line, no line ends in a
        hyphen, and Arabic-Indic slips have no Western digit in figures
        (identifiers, receipt numbers and the producer code, keep them)."""
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        self.assertTrue(lines, name)
        for w in want:
            self.assertTrue(any(w in ln for ln in lines),
                            "%s: %r not whole on a line\n%s" % (name, w, text))
        for ln in lines:
            self.assertFalse(ln.endswith(("-", "\u2010", "\u00ad")) and
                             ln.strip("-"),
                             "%s: hyphenated line %r\n%s" % (name, ln, text))
            self.assertNotIn("\u00ad", ln, name)
        if digits == "arabic-indic":
            for ln in lines:
                if receipt and re.fullmatch(
                        re.escape(receipt) + r"( [0-9a-f-]+)?", ln):
                    continue                  # the QR code's text
                # identifiers keep Western digits: receipt numbers (this
                # slip's and the sale it corrects) and the producer's code
                rest = re.sub(r"[A-Z]+\d*-\d+-\d+", " ", ln)
                rest = re.sub(r"(^|\s)F1($|\s)", " ", rest)
                self.assertIsNone(re.search(r"[0-9]", rest),
                                  "%s: Western digit in %r\n%s" %
                                  (name, ln, text))

    def ocr_reads(self, tesseract, name, path, want):
        p = subprocess.run([tesseract, path, "-", "-l", "eng", "--psm", "6"],
                           capture_output=True, text=True,
                           timeout=scaled(120))
        self.assertEqual(p.returncode, 0, p.stderr)
        runs = re.findall(r"\d[\d,.]{4,}\d", p.stdout)
        def shape(t):
            return re.sub(r"[.,]", ",", re.sub(r"\d", "9", t))
        why = "%s: OCR read %r, want %r" % (name, p.stdout, want)
        self.assertTrue(runs, why)
        # A cut or wrapped amount has fewer digits or groups; OCR may
        # misread a digit or a bold decimal point as a comma, never the
        # count of digits and groups.
        for r in runs:
            if len(r) >= len(want) - 4:
                self.assertEqual(shape(r), shape(want), why)
        self.assertIn(want, runs, why)

    def test_minus_sign_before_its_figure(self):
        """A negative amount (the Z's cash difference, counted 500 short)
        reads "-500" on the PNG at 58 and 80 mm, Arabic and English slips:
        the minus before the digits, not set after them as the bidi
        algorithm does with a sign beside the Arabic currency symbol."""
        tesseract = self.tool("tesseract", "tesseract-ocr")
        read = []
        for language in ("ar", "en"):
            self.store(language=language)
            self.ok(["sell", "--no-print", "--user", "ali", "P2",
                     "--pay", "cash:12500"])
            self.ok(["day", "close", "--user", "sam", "--counted", "12000",
                     "--no-print"], env=self.sup())
            for paper in (58, 80):
                p = subprocess.run(
                    [posharness.POS, "--db", self.db, "report", "z",
                     "--render", "png"],
                    env=dict(self.env, POS_PRINTER_PAPER=str(paper)),
                    capture_output=True, timeout=scaled(60))
                self.assertEqual(p.returncode, 0, p.stderr.decode())
                self.assertEqual(png_size(p.stdout)[0],
                                 576 if paper == 80 else 384)
                path = os.path.join(self.tmp, "z-%s-%d.png" % (language,
                                                              paper))
                with open(path, "wb") as f:
                    f.write(p.stdout)
                o = subprocess.run([tesseract, path, "-", "-l", "eng",
                                    "--psm", "6"], capture_output=True,
                                   text=True, timeout=scaled(120))
                self.assertEqual(o.returncode, 0, o.stderr)
                why = "%s %d mm: OCR read %r" % (language, paper, o.stdout)
                self.assertRegex(o.stdout, r"-\s?500\b", why)
                self.assertNotRegex(o.stdout, r"\b500\s?-", why)
                read.append("%s %d mm" % (language, paper))
        self.note("tesseract reads the Z's difference as -500 on %s"
                  % ", ".join(read))

    def test_correction_and_z_slips_fit(self):
        tesseract = shutil.which("tesseract")
        for decimals in (0, 2):
            for digits in ("western", "arabic-indic"):
                rs = self.corrections(decimals, digits)
                big = self.amount(self.BIG, decimals, digits)
                two = self.amount(2 * self.BIG, decimals, digits)
                for paper in (58, 80):
                    for kind, rec in sorted(rs.items()):
                        name = "%s %d mm %d decimals %s" % (
                            kind, paper, decimals, digits)
                        text = self.render(rec, "text", paper).decode()
                        self.check_fits(name, text,
                                        [two if kind == "void" else big],
                                        rec, digits)
                        path, (w, h) = self.png_file(rec, paper)
                        self.assertEqual(w, 576 if paper == 80 else 384)
                        if digits == "western" and tesseract:
                            self.ocr_reads(tesseract, name, path,
                                           two if kind == "void" else big)
                    name = "Z %d mm %d decimals %s" % (paper, decimals,
                                                       digits)
                    text = self.z_text(paper)
                    self.check_fits(name, text, [big, two], None, digits)
        if tesseract is None:
            self.skipTest("tesseract is not installed (Debian: "
                          "tesseract-ocr); text checks passed")
        self.note("payout, void, refund and Z at 58 and 80 mm, 0 and 2 "
                  "decimals, Western and Arabic-Indic digits: amounts whole "
                  "on a line, no hyphen; tesseract reads the amounts whole")

if __name__ == "__main__":
    posharness.main()
