"""Receipts read back by tools nobody here wrote.

- zbarimg decodes the QR code of a sale receipt rendered to PNG at 80 and
  58 mm: the receipt number and UUID, or `[window] receipt_url`/r/UUID
  when that key is set.
- pdftotext (poppler: plain and -layout) and mutool (MuPDF) read the PDF
  receipt's text layer in logical order at both widths: Arabic words whole
  (the lam-alef ligature, letters with marks), Latin and Arabic words of
  one line with their spaces. MuPDF orders a line's words by position, so
  for mutool only whole words are checked.

Usage: python3 test_receipt_readers.py /path/to/pos
"""
import os
import re
import unicodedata
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
import posharness  # noqa: E402
from posharness import PosTestCase, receipt  # noqa: E402
from testtime import scaled  # noqa: E402

PAPERS = ("80", "58")
URL = "https://central.example:8443/pos"


def tool(name):
    return shutil.which(name)


class ReceiptTestCase(PosTestCase):

    def setUp(self):
        super().setUp()
        self.env["POS_WINDOW_NAME"] = "نافذة الأسر المنتجة"
        self.env["POS_UI_LANGUAGE"] = "ar"      # TOTAL is الإجمالي
        self.env["POS_WINDOW_FOOTER"] = "شكراً لدعمكم"  # alef + fathatan
        self.init_store()
        self.add_users()
        self.ok(["producer", "add", "F1", "أسرة الحلبي"])
        # Totals of five digits: at 58 mm the double-size TOTAL row then
        # puts its amount under the label (a shorter one leaves the label
        # too narrow a box and Pango breaks the word inside it).
        self.ok(["product", "add", "JAM", "مربى المشمش", "15000",
                 "--producer", "F1"])
        self.ok(["product", "add", "SOAP", "Soap صابون 3x", "8000",
                 "--producer", "F1"])
        self.ok(["product", "add", "EMB", "مخدة مطرّزة", "35000",  # shadda
                 "--producer", "F1"])
        self.ok(["day", "open", "--user", "ali", "--float", "0"])
        self.sale = self.j(["sell", "--no-print", "--user", "ali", "JAM",
                            "SOAP*3", "EMB"])

    def render(self, fmt, paper, env=None):
        e = {"POS_PRINTER_PAPER": paper}
        e.update(env or {})
        self.renders = getattr(self, "renders", 0) + 1
        path = os.path.join(self.tmp, "r%d-%s.%s" % (self.renders, paper,
                                                     fmt))
        argv = [posharness.POS, "--db", self.db, "receipt", "render",
                self.sale["receipt"], "--format", fmt]
        with open(path, "wb") as f:
            p = subprocess.run(argv, stdout=f, stderr=subprocess.PIPE,
                               env=dict(self.env, **e),
                               timeout=scaled(60), cwd=self.tmp)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return path

    def read(self, argv):
        p = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=scaled(60))
        self.assertEqual(p.returncode, 0, "%s: %s" % (argv, p.stderr))
        return p.stdout.decode("utf-8")


class QrCode(ReceiptTestCase):

    def decode(self, png):
        out = self.read([tool("zbarimg"), "-q", "--raw", png])
        return out.strip().splitlines()

    def test_qr_holds_receipt_and_uuid_at_both_widths(self):
        if tool("zbarimg") is None:
            self.skipTest("zbarimg is not installed (zbar-tools)")
        want = "%s %s" % (receipt(1 + 1), self.sale["uuid"])
        self.assertEqual(self.sale["receipt"], receipt(2))
        for paper in PAPERS:
            self.assertEqual(self.decode(self.render("png", paper)), [want])
            self.note("zbarimg reads %r at %s mm" % (want, paper))

    def test_qr_is_a_link_when_receipt_url_is_set(self):
        if tool("zbarimg") is None:
            self.skipTest("zbarimg is not installed (zbar-tools)")
        want = "%s/r/%s" % (URL, self.sale["uuid"])
        for paper in PAPERS:
            for url in (URL, URL + "/"):
                png = self.render("png", paper,
                                  {"POS_WINDOW_RECEIPT_URL": url})
                self.assertEqual(self.decode(png), [want])
            self.note("zbarimg reads %r at %s mm" % (want, paper))

    def test_bad_receipt_url_names_file_and_line(self):
        conf = os.path.join(self.tmp, "pos.conf")
        for bad, why in (("ftp://central.example/pos", "must start with "
                          "http:// or https://"),
                         ("https://central.example/my receipts",
                          "must not contain spaces")):
            with open(conf, "w") as f:
                f.write("[window]\nname = W\nreceipt_url = %s\n" % bad)
            self.fails(["--config", conf, "receipt", "render",
                        self.sale["receipt"], "--format", "text"], 2,
                       re.escape('pos.conf:3: [window] receipt_url: %s, '
                                 'got "%s"' % (why, bad)))


# Bidi controls: LRM, RLM, LRE, RLE, PDF, LRO, RLO. pdftotext wraps
# every right-to-left line in them; the text layer adds RLM around spaces
# in right-to-left runs (receipts/pdf.c).
BIDI = re.compile("[\u200e\u200f\u202a-\u202e]")


class PdfText(ReceiptTestCase):

    def lines(self, argv):
        return [BIDI.sub("", line).strip()
                for line in self.read(argv).splitlines() if line.strip()]

    def test_pdftotext_reads_logical_order_with_spaces(self):
        if tool("pdftotext") is None:
            self.skipTest("pdftotext is not installed (poppler-utils)")
        for paper in PAPERS:
            pdf = self.render("pdf", paper)
            for opts in ([], ["-layout"]):
                got = self.lines([tool("pdftotext"), *opts, pdf, "-"])
                words = " ".join(got).split()
                what = "pdftotext %s at %s mm: %s" % (
                    " ".join(opts), paper, "\n".join(got))
                # The lam-alef ligature in its place, not swapped.
                self.assertIn("الإجمالي", words, what)
                self.assertNotIn("اإلجمالي", words, what)
                # A product name of Latin and Arabic words, spaced.
                self.assertTrue(any(re.search("(^| )Soap صابون 3x( |$)", l)
                                    for l in got), what)
                # The quantity line: quantity, then the unit price with
                # its currency, each whole (no-break spaces read as
                # spaces).
                self.assertTrue(any(re.search(
                    "(^| )3 × 8,000 ل\\.س( |$)", l.replace("\u00a0", " "))
                    for l in got), what)
                self.assertNotIn("8,000 × 3", " ".join(got), what)
                # A letter with its marks, in their order.
                self.assertIn("شكراً", words, what)
                self.assertIn("مطرّزة", words, what)
                self.assertIn("المنتجة", words, what)
                self.assertIn("مربى", words, what)
            self.note("pdftotext (plain, -layout) at %s mm: %r" % (
                paper, [l for l in got if "Soap" in l or "الإجمالي" in l or
                        "8,000" in l]))

    def test_mutool_reads_arabic_words_whole(self):
        if tool("mutool") is None:
            self.skipTest("mutool is not installed (mupdf-tools)")
        for paper in PAPERS:
            pdf = self.render("pdf", paper)
            got = self.read([tool("mutool"), "draw", "-q", "-F", "txt",
                             pdf])
            # MuPDF gives the ligature as its presentation form (U+FEF9);
            # it orders the words of a line by position, so only whole
            # words are checked.
            text = unicodedata.normalize("NFKC", BIDI.sub("", got))
            self.assertNotIn("اإلجمالي", text)
            for w in ("الإجمالي", "صابون", "Soap", "مربى", "المشمش",
                      "شكراً", "مطرّزة"):
                self.assertIn(w, text, "mutool at %s mm: %s" % (paper, got))
            self.note("mutool at %s mm reads %s" % (paper, ", ".join(
                l for l in text.splitlines() if "الإجمالي" in l)))


if __name__ == "__main__":
    posharness.main()
