#!/usr/bin/env python3
"""pos-printer-app behind a private cupsd, its "printer" a TCP listener.

Each test starts its own cupsd (tests/cupsharness.py), its own
pos-printer-app (PAPPL picks a free port, which the app prints; its
control socket and spool sit in the test's directory), a listener on port
0 as the ESC/POS printer, and a CUPS queue made the driverless way:
`lpadmin -m everywhere` on ipp://localhost:PORT/ipp/print/receipt.

What arrives is decoded (ESC @, GS ( K, ESC p, GS v 0 bands, GS V) and
compared with the POS's own render of the same receipt:
- a PNG from `pos receipt render --format png` (the POS's raster of the
  whole receipt): the same dots exactly, read from the PNG by ImageMagick;
- a PDF from `pos receipt render --format pdf` (the sale, and a 40-line
  sale longer than any page): Poppler draws the PDF's outlines again at
  203 dpi, so antialiased edges may fall on the other side of the
  threshold: one strip with no blank paper first, the same number of
  rows (within 2),
  no stray dot (ink with no ink of the other image within one dot; at
  most STRAY_TOLERANCE per thousand), and after the best shift of at most
  2 dots at most EDGE_TOLERANCE per thousand of the dots differ;
- a plain-text job (CUPS's texttopdf draws it in its own font, so no dot
  can match): one strip on the 576 dots, cut once, and tesseract reads
  the receipt's number and total from it.

usage: test_printer_app.py /path/to/pos   (POS_PRINTER_APP: the app)
"""
import os
import pwd
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.path.insert(0, os.path.join(HERE, ".."))
import posharness  # noqa: E402
from posharness import PosTestCase  # noqa: E402
from cupsharness import Listener, PrivateCups, find  # noqa: E402
from testtime import scaled, wait_until  # noqa: E402

APP = os.environ.get("POS_PRINTER_APP")
# Per thousand dots. Poppler draws the PDF's glyph outlines again, and
# CUPS's pdftopdf centres the page on the 2 m roll at a fraction of a dot,
# so antialiased edges may fall on the other side of the threshold (1 dot
# of the sale receipt, about 1 per thousand of a 40-line one); this is the
# tolerance test_receipts_arabic.c allows against its reference. A stray
# dot, ink with no ink of the other image within one dot, is a stroke
# missing or moved.
EDGE_TOLERANCE = 5
STRAY_TOLERANCE = 1

# The one test of ipp-everywhere.test that does not apply, and the only
# attributes it may miss: identify-actions (ESC/POS has no common display,
# light or sound command), printer-supply (the socket:// device reports no
# paper level), overrides-supported (PAPPL 1.3 has no page overrides).
NOT_APPLICABLE = "PWG 5100.14 section 5.1/5.2 - Required Operations and " \
    "Attributes"
NOT_APPLICABLE_ATTRS = {"identify-actions-default",
                        "identify-actions-supported", "overrides-supported",
                        "printer-supply", "printer-supply-description"}
DOTS = 576


def decode(data):
    """ESC/POS bytes -> dict: rows (ints, bit 575 the left dot), cuts,
    drawer kicks, density commands; anything else is an error."""
    rows, cuts, drawer, density, widths = [], [], 0, [], set()
    i, n = 0, len(data)
    while i < n:
        if data[i:i + 2] == b"\x1b\x40":
            i += 2
        elif data[i:i + 3] == b"\x1d\x28\x4b":
            ln = data[i + 3] | data[i + 4] << 8
            density.append(data[i + 5:i + 5 + ln])
            i += 5 + ln
        elif data[i:i + 2] == b"\x1b\x70":
            drawer += 1
            i += 5
        elif data[i:i + 4] == b"\x1d\x76\x30\x00":
            xb = data[i + 4] | data[i + 5] << 8
            h = data[i + 6] | data[i + 7] << 8
            i += 8
            for _ in range(h):
                rows.append(int.from_bytes(data[i:i + xb], "big"))
                i += xb
            widths.add(xb * 8)
        elif data[i:i + 2] == b"\x1d\x56":
            m = data[i + 2]
            cuts.append(m)
            i += 4 if m in (0x41, 0x42) else 3
        else:
            raise ValueError("unknown ESC/POS at %d: %r" %
                             (i, data[i:i + 8]))
    return {"rows": rows, "cuts": cuts, "drawer": drawer,
            "density": density, "widths": widths}


def inked(rows):
    """Rows from the first to the last with ink."""
    idx = [k for k, r in enumerate(rows) if r]
    return rows[idx[0]:idx[-1] + 1] if idx else []


def differ(a, b):
    """Fewest differing dots of a and b over shifts of up to 2 dots."""
    best = None
    mask = (1 << DOTS) - 1
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            d = 0
            for y in range(max(len(a), len(b) + dy)):
                ra = a[y] if 0 <= y < len(a) else 0
                yb = y - dy
                rb = b[yb] if 0 <= yb < len(b) else 0
                rb = (rb << dx if dx >= 0 else rb >> -dx) & mask
                d += (ra ^ rb).bit_count()
            best = d if best is None else min(best, d)
    return best


def stray(a, b):
    """Ink dots of either image with no ink of the other within one dot:
    what antialiasing cannot explain (a missing or moved stroke can)."""
    mask = (1 << DOTS) - 1
    n = max(len(a), len(b))
    a, b = a + [0] * (n - len(a)), b + [0] * (n - len(b))

    def grow(rows):
        out = []
        for y in range(n):
            r = 0
            for v in rows[max(0, y - 1):y + 2]:
                r |= v | v << 1 | v >> 1
            out.append(r & mask)
        return out
    ga, gb = grow(a), grow(b)
    return sum((x & ~gy).bit_count() + (y & ~gx).bit_count()
               for x, y, gx, gy in zip(a, b, ga, gb))


def pgm_rows(data):
    """1-bit rows of a binary PGM (P5, 8-bit), thresholded as the POS's
    raster: ink (255 - grey) from 112 up."""
    parts = data.split(maxsplit=4)
    if parts[0] != b"P5" or parts[3] != b"255":
        raise ValueError("not an 8-bit binary PGM")
    w, h, px = int(parts[1]), int(parts[2]), parts[4]
    rows = []
    for y in range(h):
        r = 0
        for g in px[y * w:(y + 1) * w]:
            r = r << 1 | (255 - g >= 112)
        rows.append(r)
    return rows


def png_grey(width, rows):
    """An 8-bit grey PNG of rows (bytes, one per pixel)."""
    def chunk(kind, body):
        c = struct.pack(">I", len(body)) + kind + body
        return c + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
    raw = b"".join(b"\x00" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, len(rows), 8, 0,
                                       0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


class DroppingPrinter:
    """A printer that reads `after` bytes of the first job, then resets
    the connection and stops listening (its port stays known)."""

    def __init__(self, after):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.got = 0
        self.dropped = threading.Event()
        threading.Thread(target=self._run, args=(after,),
                         daemon=True).start()

    def _run(self, after):
        conn, _ = self.sock.accept()
        conn.settimeout(scaled(30))
        try:
            while self.got < after:
                chunk = conn.recv(min(4096, after - self.got))
                if not chunk:
                    break
                self.got += len(chunk)
        except OSError:
            pass
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
        conn.close()
        self.sock.close()
        self.dropped.set()


class PrinterApp(PosTestCase):

    def setUp(self):
        super().setUp()
        if APP is None or not os.access(APP, os.X_OK):
            self.skipTest("POS_PRINTER_APP is not set")
        for tool in ("cupsd", "lpadmin", "ipptool"):
            if find(tool) is None:
                self.skipTest("%s is not installed" % tool)
        self.cups = PrivateCups()
        self.addCleanup(self.cups.cleanup)
        self.cups.start()
        self.app_dir = tempfile.mkdtemp(prefix="pos-papp-")
        self.addCleanup(shutil.rmtree, self.app_dir, True)
        os.makedirs(os.path.join(self.app_dir, "spool"))
        # As root, PAPPL puts the app's control socket in /run for all to
        # share; as another user it goes to TMPDIR, this test's own.
        self.uid, self.gid = os.getuid(), os.getgid()
        if self.uid == 0:
            pw = pwd.getpwnam("nobody")
            self.uid, self.gid = pw.pw_uid, pw.pw_gid
            for d in (self.app_dir, os.path.join(self.app_dir, "spool")):
                os.chown(d, self.uid, self.gid)
        self.app_env = dict(os.environ, TMPDIR=self.app_dir,
                            HOME=self.app_dir)
        self.start_app()
        self.store()

    # ---- the printer application ----

    def start_app(self):
        err = open(os.path.join(self.app_dir, "stderr"), "w+")
        self.addCleanup(err.close)
        d = self.app_dir
        self.app = subprocess.Popen(
            [APP, "server", "-o", "server-port=0",
             "-o", f"state-file={d}/state", "-o", f"spool-directory={d}/spool",
             "-o", f"log-file={d}/log", "-o", "log-level=debug"],
            env=self.app_env, stdout=subprocess.DEVNULL, stderr=err,
            preexec_fn=self.drop)
        self.addCleanup(self.stop_app)
        port = []

        def listening():
            err.seek(0)
            m = re.search(r"listening on port (\d+)", err.read())
            if m:
                port.append(int(m.group(1)))
            return bool(m) or self.app.poll() is not None
        self.assertTrue(wait_until(listening, 20), "app did not start")
        self.assertIsNone(self.app.poll(), "app exited")
        self.port = port[0]
        sock = os.path.join(d, "pos-printer-app%d.sock" % self.uid)
        self.assertTrue(wait_until(lambda: os.path.exists(sock), 20),
                        "app control socket")

    def drop(self):
        if os.getuid() != self.uid:
            os.setgid(self.gid)
            os.setuid(self.uid)

    def stop_app(self):
        keep = os.environ.get("POS_TEST_KEEP_IMAGES")
        if keep:
            shutil.copy(os.path.join(self.app_dir, "log"),
                        os.path.join(keep, self.id() + ".log"))
        if self.app.poll() is None:
            self.app.send_signal(signal.SIGTERM)
            try:
                self.app.wait(scaled(20))
            except subprocess.TimeoutExpired:
                self.app.kill()
                self.app.wait()

    def app_tool(self, *args):
        r = subprocess.run([APP, *args], env=self.app_env,
                           capture_output=True, timeout=scaled(30),
                           preexec_fn=self.drop)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return r.stdout.decode()

    def printer(self, name, port, paper="80mm"):
        """A printer in the app at socket://127.0.0.1:port and its CUPS
        queue, made the driverless way."""
        self.app_tool("add", "-d", name, "-m", "escpos_" + paper,
                      "-v", f"socket://127.0.0.1:{port}")
        self.cups.tool("lpadmin", "-p", name, "-E", "-v",
                       f"ipp://localhost:{self.port}/ipp/print/{name}",
                       "-m", "everywhere")

    def lp(self, queue, path, *opts):
        r = self.cups.tool("lp", "-d", queue, *opts, path)
        return r.stdout.decode()

    # ---- the POS's receipts ----

    def store(self):
        self.init_store()
        self.add_users()
        self.ok(["producer", "add", "F1", "أسرة الحلبي"])
        self.ok(["product", "add", "P1", "مربى المشمش البيتي", "1500",
                 "--producer", "F1"])
        self.ok(["product", "add", "P2", "زيت زيتون بلدي", "12500",
                 "--producer", "F1"])
        self.ok(["day", "open", "--user", "ali", "--float", "0"])
        sale = self.j(["sell", "--no-print", "--user", "ali", "P1*2", "P2",
                       "--pay", "cash:20000"])
        self.receipt = sale["receipt"]

    def render(self, fmt, paper="80"):
        p = subprocess.run(
            [posharness.POS, "--db", self.db, "receipt", "render",
             self.receipt, "--format", fmt],
            env=dict(self.env, POS_PRINTER_PAPER=paper),
            capture_output=True, timeout=scaled(60))
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        path = os.path.join(self.tmp, "receipt." + fmt.replace("-", "."))
        with open(path, "wb") as f:
            f.write(p.stdout)
        os.chmod(self.tmp, 0o755)
        os.chmod(path, 0o644)
        return path, p.stdout

    def pos_rows(self):
        return inked(decode(self.render("escpos-raster")[1])["rows"])

    def dump(self, name, rows):
        """rows as a PNG beside the test's files (POS_TEST_KEEP_IMAGES)."""
        keep = os.environ.get("POS_TEST_KEEP_IMAGES")
        if keep:
            with open(os.path.join(keep, name + ".png"), "wb") as f:
                f.write(png_grey(DOTS, [bytes(
                    0 if (r >> (DOTS - 1 - x)) & 1 else 255
                    for x in range(DOTS)) for r in rows]))

    def one_job(self, listener, count=1):
        self.assertTrue(listener.wait(count, 60),
                        "the printer got %d jobs" % len(listener.jobs))
        self.assertTrue(self.cups.wait_idle(30), "CUPS job not completed")
        return decode(listener.jobs[count - 1])

    def ipp_print(self, path, fmt, cut=None, drawer=None):
        """Print-Job straight to the app with ipptool."""
        test = os.path.join(self.tmp, "print.test")
        attrs = "".join("  ATTR keyword %s %s\n" % kv for kv in
                        (("cut-type", cut), ("cash-drawer", drawer)) if kv[1])
        with open(test, "w") as f:
            f.write("{\n  OPERATION Print-Job\n"
                    "  GROUP operation-attributes-tag\n"
                    "  ATTR charset attributes-charset utf-8\n"
                    "  ATTR language attributes-natural-language en\n"
                    "  ATTR uri printer-uri $uri\n"
                    "  ATTR name requesting-user-name pos\n"
                    "  ATTR mimeMediaType document-format %s\n"
                    "  GROUP job-attributes-tag\n%s"
                    "  FILE $filename\n"
                    "  STATUS successful-ok\n}\n" % (fmt, attrs))
        return subprocess.run(
            [find("ipptool"), "-t", "-f", path,
             f"ipp://localhost:{self.port}/ipp/print/receipt", test],
            capture_output=True, timeout=scaled(60))

    def app_jobs(self):
        r = subprocess.run(
            [find("ipptool"), "-tv",
             f"ipp://localhost:{self.port}/ipp/print/receipt",
             "/usr/share/cups/ipptool/get-completed-jobs.test"],
            capture_output=True, timeout=scaled(30))
        return r.stdout.decode(errors="replace")

    # ---- the tests ----

    def test_bad_pdf_and_png_are_aborted_and_the_app_goes_on(self):
        lis = Listener()
        self.addCleanup(lis.close)
        self.printer("receipt", lis.port)
        junk = os.path.join(self.tmp, "junk.bin")
        with open(junk, "wb") as f:
            f.write(b"%PDF-1.4\n" + os.urandom(2000))
        for fmt in ("application/pdf", "image/png"):
            self.assertEqual(self.ipp_print(junk, fmt).returncode, 0)
        self.assertTrue(wait_until(
            lambda: self.app_jobs().count("job-state (enum) = aborted") == 2,
            30), self.app_jobs())
        self.assertIn("document-format-error", self.app_jobs())
        # PAPPL connects before a document is read: empty connections.
        self.assertEqual(b"".join(lis.jobs), b"", "no byte for bad documents")
        path, _ = self.render("png")
        self.assertEqual(self.ipp_print(path, "image/png").returncode, 0)
        self.assertTrue(wait_until(lambda: any(
            j.startswith(b"\x1b@") for j in lis.jobs), 60),
            "a good job after bad ones")
        self.assertIsNone(self.app.poll(), "the app still runs")
        self.note("a corrupt PDF and PNG: both jobs aborted with "
                  "document-format-error, nothing sent to the printer; the "
                  "next job prints")

    def test_png_receipt_arrives_dot_for_dot(self):
        lis = Listener()
        self.addCleanup(lis.close)
        self.printer("receipt", lis.port)
        path, _ = self.render("png")
        self.lp("receipt", path)
        job = self.one_job(lis)
        pgm = subprocess.run([find("convert"), path, "-depth", "8",
                              "pgm:-"], capture_output=True, check=True,
                             timeout=scaled(60)).stdout
        got, want = inked(job["rows"]), inked(pgm_rows(pgm))
        self.assertEqual(job["widths"], {DOTS})
        self.assertEqual(len(got), len(want), "rows")
        self.assertEqual(differ(got, want), 0, "dots differ")
        self.assertTrue(got == want, "PNG job shifted from the POS raster")
        self.assertEqual(job["cuts"], [0x42])
        self.assertEqual(job["drawer"], 0)
        self.note("PNG through CUPS and the app: %d rows, the POS's raster "
                  "dot for dot; one partial cut" % len(want))

    def pdf_as_pos_raster(self, what):
        """The receipt's PDF through CUPS and the app against the POS's
        own escpos-raster of it."""
        lis = Listener()
        self.addCleanup(lis.close)
        self.printer("receipt", lis.port)
        path, _ = self.render("pdf")
        self.lp("receipt", path)
        job = self.one_job(lis)
        got, want = inked(job["rows"]), self.pos_rows()
        self.dump("pdf-job", got)
        self.dump("pdf-pos", want)
        self.assertEqual(job["rows"][0] != 0, True, "no blank paper first")
        self.assertLessEqual(abs(len(got) - len(want)), 2,
                             "PDF strip %d rows, POS raster %d" %
                             (len(got), len(want)))
        total = DOTS * len(want)
        s = stray(got, want)
        self.assertLessEqual(s * 1000, total * STRAY_TOLERANCE,
                             "%d of %d dots stray" % (s, total))
        d = differ(got, want)
        self.assertLessEqual(d * 1000, total * EDGE_TOLERANCE,
                             "%d of %d dots differ" % (d, total))
        self.assertEqual(job["cuts"], [0x42])
        self.note("%s PDF through CUPS and the app: %d rows as the POS's "
                  "%d; %d of %d dots differ (%.1f per thousand, all on "
                  "edges), %d stray" % (what, len(got), len(want), d, total,
                                        d * 1000.0 / total, s))

    def test_58mm_png_arrives_dot_for_dot(self):
        lis = Listener()
        self.addCleanup(lis.close)
        self.printer("receipt", lis.port, paper="58mm")
        path, _ = self.render("png", paper="58")
        self.lp("receipt", path)
        job = self.one_job(lis)
        pgm = subprocess.run([find("convert"), path, "-depth", "8",
                              "pgm:-"], capture_output=True, check=True,
                             timeout=scaled(60)).stdout
        self.assertEqual(job["widths"], {384}, "bands 384 dots wide")
        self.assertTrue(inked(job["rows"]) == inked(pgm_rows(pgm)),
                        "58 mm PNG job differs from the POS raster")
        self.note("58 mm: %d rows of 384 dots, the POS's raster dot for "
                  "dot" % len(inked(job["rows"])))

    def test_pdf_receipt_arrives_as_the_pos_raster(self):
        self.pdf_as_pos_raster("sale receipt")

    def test_long_pdf_receipt_is_one_strip(self):
        # 40 lines: about 360 mm of paper, longer than a page would be.
        for i in range(40):
            self.ok(["product", "add", "L%d" % i, "Line product %d" % i,
                     "100", "--producer", "F1"])
        sale = self.j(["sell", "--no-print", "--user", "ali"] +
                      ["L%d" % i for i in range(40)] +
                      ["--pay", "cash:4000"])
        self.receipt = sale["receipt"]
        self.assertGreater(len(self.pos_rows()), 2500)
        self.pdf_as_pos_raster("40-line")

    def test_pos_sale_prints_through_the_driverless_queue(self):
        lis = Listener()
        self.addCleanup(lis.close)
        self.printer("receipt", lis.port)
        self.env.update({"CUPS_SERVER": self.cups.sock,
                         "POS_PRINTER_NAME": "receipt",
                         "POS_PRINTER_FORMAT": "pdf",
                         "POS_PRINTER_PAPER": "80"})
        sale = self.j(["sell", "--user", "ali", "P1", "P2*2",
                       "--pay", "cash:30000"])
        self.assertEqual(sale["print"]["state"], "sent", sale["print"])
        self.receipt = sale["receipt"]
        job = self.one_job(lis)
        got, want = inked(job["rows"]), self.pos_rows()
        total = DOTS * len(want)
        self.assertLessEqual(abs(len(got) - len(want)), 2)
        self.assertLessEqual(stray(got, want) * 1000,
                             total * STRAY_TOLERANCE)
        jobs = []

        def done():
            jobs[:] = self.j(["print-queue", "--all"])["jobs"]
            return jobs and jobs[0]["state"] == "done"
        self.assertTrue(wait_until(done, 30), jobs)
        self.note("pos sell with [printer] format = pdf on the driverless "
                  "queue: %d rows as the POS's raster; the slip is done "
                  "once CUPS completed it" % len(got))

    def test_text_job_is_one_readable_strip(self):
        lis = Listener()
        self.addCleanup(lis.close)
        self.printer("receipt", lis.port)
        path, text = self.render("text")
        self.lp("receipt", path)
        job = self.one_job(lis)
        rows = inked(job["rows"])
        self.assertGreater(len(rows), 100, "text job has ink")
        self.assertEqual(job["cuts"], [0x42], "one cut: one strip")
        tesseract = shutil.which("tesseract")
        if tesseract is None:
            self.skipTest("tesseract is not installed; strip checked")
        png = os.path.join(self.tmp, "text-job.png")
        with open(png, "wb") as f:
            f.write(png_grey(DOTS, [bytes(
                0 if (r >> (DOTS - 1 - x)) & 1 else 255 for x in range(DOTS))
                for r in rows]))
        r = subprocess.run([tesseract, png, "-", "-l", "eng", "--psm", "6"],
                           capture_output=True, timeout=scaled(60))
        # tesseract reads the digit 0 in "DMS01" as the letter O now and then.
        seen = r.stdout.decode(errors="replace").replace("O", "0")
        number = re.search(rb"[A-Z]{3}\d{2}-\d+-\d+", text)
        self.assertIsNotNone(number, "receipt number in the text render")
        self.assertIn(number.group().decode().replace("O", "0"),
                      seen.replace(" ", ""))
        self.assertIn("15500", seen.replace(",", "").replace(" ", ""))
        self.note("text job: one strip of %d rows, cut once; tesseract "
                  "reads %s and the total" % (len(rows),
                                              number.group().decode()))

    def test_cut_drawer_and_darkness_produce_their_bytes(self):
        lis = Listener()
        self.addCleanup(lis.close)
        self.printer("receipt", lis.port)
        path, _ = self.render("png")
        # The printer's defaults, set in the app, apply to jobs from CUPS
        # (CUPS's ipp backend sends only the options its PPD knows).
        self.app_tool("modify", "-d", "receipt", "-o", "cut-type=full",
                      "-o", "cash-drawer=open")
        self.lp("receipt", path)
        job = self.one_job(lis)
        self.assertEqual(job["cuts"], [0x41], "GS V A 0: full cut")
        self.assertEqual(job["drawer"], 1, "ESC p: drawer kick")
        self.assertIn(b"\x1b\x70\x00\x19\xfa", lis.jobs[0])
        # A job's own attributes, sent to the app over IPP.
        r = self.ipp_print(path, "image/png", cut="none", drawer="none")
        self.assertEqual(r.returncode, 0, r.stdout.decode())
        self.assertTrue(lis.wait(2, 60), "second job")
        job = decode(lis.jobs[1])
        self.assertEqual(job["cuts"], [], "cut-type=none: no GS V")
        self.assertEqual(job["drawer"], 0, "cash-drawer=none: no ESC p")
        self.assertEqual(job["density"], [], "the printer's own density")
        # Darkness: the printer's configured 100 (of 0..100) is +6.
        self.app_tool("modify", "-d", "receipt",
                      "-o", "printer-darkness-configured=100")
        self.assertEqual(self.ipp_print(path, "image/png").returncode, 0)
        self.assertTrue(lis.wait(3, 60), "third job")
        self.assertEqual(decode(lis.jobs[2])["density"], [b"\x31\x06"],
                         "GS ( K fn 49, density +6")
        self.note("defaults cut-type=full, cash-drawer=open -> GS V A 0 and "
                  "ESC p 0 25 250 through CUPS; a job's cut-type=none, "
                  "cash-drawer=none -> neither; darkness 100 -> GS ( K 49 6")

    def test_ipp_everywhere_test_passes(self):
        suite = "/usr/share/cups/ipptool"
        if not os.path.exists(os.path.join(suite, "ipp-everywhere.test")):
            self.skipTest("ipp-everywhere.test is not installed "
                          "(Debian: cups-ipp-utils)")
        lis = Listener()
        self.addCleanup(lis.close)
        self.printer("receipt", lis.port)
        uri = f"ipp://localhost:{self.port}/ipp/print/receipt"
        up = os.path.join(self.tmp, "up.test")
        with open(up, "w") as f:
            f.write("{\n OPERATION Get-Printer-Attributes\n"
                    " GROUP operation-attributes-tag\n"
                    " ATTR charset attributes-charset utf-8\n"
                    " ATTR language attributes-natural-language en\n"
                    " ATTR uri printer-uri $uri\n"
                    " STATUS successful-ok\n"
                    " EXPECT printer-up-time WITH-VALUE >0\n}\n")
        # RFC 8011 wants printer-up-time > 0: a second after the start.
        self.assertTrue(wait_until(lambda: subprocess.run(
            [find("ipptool"), "-q", uri, up],
            timeout=scaled(30)).returncode == 0, 10), "printer-up-time")
        path, _ = self.render("pdf")
        r = subprocess.run(
            [find("ipptool"), "-I", "-t", "-T", "30", "-f", path, uri,
             "ipp-everywhere.test"], cwd=suite, capture_output=True,
            timeout=scaled(600))
        out = r.stdout.decode(errors="replace")
        results = re.findall(r"^\s+(.*?)\s+\[(PASS|FAIL|SKIP)\]$", out,
                             re.M)
        failed = [n for n, res in results if res == "FAIL"]
        self.assertEqual(failed, [NOT_APPLICABLE], out)
        missing = set(re.findall(r"EXPECTED: ([a-z0-9-]+)", out))
        self.assertLessEqual(missing, NOT_APPLICABLE_ATTRS, out)
        passed = sum(1 for _, res in results if res == "PASS")
        self.assertGreaterEqual(passed, 30, out)
        self.note("ipp-everywhere.test: %d PASS, %d SKIP, and '%s' "
                  "fails only on %s" % (
                      passed, sum(1 for _, res in results if res == "SKIP"),
                      NOT_APPLICABLE, ", ".join(sorted(missing))))

    def test_printer_gone_mid_job_then_prints_once(self):
        drop = DroppingPrinter(after=20000)
        self.printer("receipt", drop.port)
        # 20000 rows of stripes: about 1.4 MB, more than sockets buffer.
        rows = [bytes([0 if (y // 8) % 2 else 255]) * DOTS
                for y in range(20000)]
        path = os.path.join(self.tmp, "long.png")
        with open(path, "wb") as f:
            f.write(png_grey(DOTS, rows))
        os.chmod(self.tmp, 0o755)
        os.chmod(path, 0o644)
        self.lp("receipt", path)
        self.assertTrue(drop.dropped.wait(scaled(60)), "printer reached")
        log = os.path.join(self.app_dir, "log")

        def retrying():
            with open(log, errors="replace") as f:
                return "did not take the job; retrying" in f.read()
        self.assertTrue(wait_until(retrying, 30), "app saw the failure")
        self.assertTrue(self.cups.jobs(), "CUPS job still open")
        r = subprocess.run(
            [find("ipptool"), "-tv",
             f"ipp://localhost:{self.port}/ipp/print/receipt",
             "/usr/share/cups/ipptool/get-jobs.test"],
            capture_output=True, timeout=scaled(30))
        jobs = r.stdout.decode(errors="replace")
        self.assertIn("job-state (enum) = processing", jobs)
        self.assertRegex(jobs, r"job-state-reasons \(.*\) = .*printer-stopped")
        lis = Listener(port=drop.port)
        self.addCleanup(lis.close)
        job = self.one_job(lis)
        self.assertEqual(len(inked(job["rows"])), 20000 - 8)
        self.assertEqual(job["cuts"], [0x42])
        self.assertEqual(len(lis.jobs), 1, "printed once after return")
        self.note("connection reset after %d bytes: job not completed, "
                  "printed whole once the printer was back" % drop.got)

    def test_unreachable_printer_shows_in_print_queue_then_prints(self):
        # A port nothing listens on: the printer is off from the start.
        off = Listener()
        port = off.port
        off.close()
        self.printer("receipt", port)
        self.env.update({"CUPS_SERVER": self.cups.sock,
                         "POS_PRINTER_NAME": "receipt",
                         "POS_PRINTER_FORMAT": "pdf",
                         "POS_PRINTER_PAPER": "80"})
        sale = self.j(["sell", "--user", "ali", "P1", "--pay", "cash:1500"])
        self.assertEqual(sale["print"]["state"], "sent", sale["print"])
        seen = {}

        def waiting():
            jobs = self.j(["print-queue", "--all"])["jobs"]
            seen["jobs"] = jobs
            j = jobs[0] if jobs else {}
            said = " ".join(str(j.get(k) or "") for k in
                            ("cups_reasons", "cups_message"))
            # PAPPL opens the device itself and says only that the
            # printer stopped: CUPS relays "Stopped.".
            return (j.get("state") == "sent" and
                    j.get("cups_state") in ("processing", "pending") and
                    said.strip() != "")
        self.assertTrue(wait_until(waiting, 60), seen)
        job = seen["jobs"][0]
        text = self.ok(["print-queue", "--all"])
        self.assertIn(sale["receipt"], text)
        lis = Listener(port=port)
        self.addCleanup(lis.close)
        self.one_job(lis)

        def done():
            seen["jobs"] = self.j(["print-queue", "--all"])["jobs"]
            return seen["jobs"][0]["state"] == "done"
        self.assertTrue(wait_until(done, 60), seen)
        self.note("printer unreachable: pos print-queue shows the job sent, "
                  "CUPS %s (%s) \"%s\"; printed and done once it answered"
                  % (job.get("cups_state"), job.get("cups_reasons"),
                     job.get("cups_message")))


if __name__ == "__main__":
    posharness.main()
