"""Receipts through a real private cupsd, and printer faults.

A raw queue points at a TCP listener this test owns (port 0), so the bytes
a thermal printer would get are compared with `pos receipt render`. Faults:
cupsd killed, the queue disabled, the printer gone; in each the sale is
committed and its job waits, then prints once after recovery and never
twice unless reprinted. With no printer and no CUPS default, receipts are
written as files next to the store.

"Printed once" is checked against CUPS itself: once CUPS has no job left
to do, the jobs it has are all the printer will ever get, so the test
polls for that instead of sleeping and hoping nothing more arrives.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import posharness  # noqa: E402
from posharness import PosTestCase, SUPERVISOR_PIN  # noqa: E402
import cupsharness  # noqa: E402
from testtime import scaled, wait_until  # noqa: E402


class Printing(PosTestCase):

    def setUp(self):
        super().setUp()
        cupsharness.raw_printer(self)
        self.init_store()
        self.add_users()
        self.ok(["producer", "add", "F1", "أسرة الحلبي"])
        self.ok(["product", "add", "JAM", "مربى المشمش", "1500",
                 "--producer", "F1"])
        self.ok(["product", "add", "SOAP", "Laurel soap", "800",
                 "--producer", "F1"])
        self.ok(["day", "open", "--user", "ali", "--float", "0"])

    def render(self, receipt, fmt="escpos", copy=False):
        args = ["receipt", "render", receipt, "--format", fmt]
        if copy:
            args.append("--copy")
        p = self.run_bytes(args)
        return p

    def run_bytes(self, args):
        import subprocess
        e = dict(self.env)
        p = subprocess.run([posharness.POS, "--db", self.db, *args],
                           env=e, capture_output=True, timeout=scaled(60))
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return p.stdout

    def queue(self, *extra):
        return self.j(["print-queue", "--all", *extra])["jobs"]

    def wait_jobs(self, pred, timeout=30):
        jobs = []

        def check():
            jobs[:] = self.queue()
            return pred(jobs)
        wait_until(check, timeout, interval=0.2)
        return jobs

    def assert_printed_once_each(self, n):
        """CUPS has finished every job, it has n in all, and the printer
        got exactly n."""
        self.assertTrue(self.cups.wait_idle(), self.cups.jobs())
        self.assertEqual(len(self.cups.jobs("all")), n, self.cups.jobs("all"))
        self.assertTrue(self.printer.wait(n, 30))
        self.assertEqual(len(self.printer.jobs), n, "printed twice")

    def test_sale_receipt_arrives_byte_for_byte(self):
        s = self.j(["sell", "--user", "ali", "JAM", "SOAP*2",
                    "--pay", "cash:5000"])
        self.assertEqual(s["print"]["state"], "sent", s["print"])
        self.assertEqual(s["print"]["dest"], "receipt")
        self.assertTrue(self.printer.wait(1, 30), "printer got nothing")
        want = self.render(s["receipt"])
        self.assertEqual(self.printer.jobs[0], want)
        self.assertTrue(want.startswith(b"\x1b@"))
        self.assertIn(b"Laurel soap", want)
        self.assertIn(s["receipt"].encode(), want)
        self.note("the printer got exactly the %d ESC/POS bytes of %s"
                  % (len(want), s["receipt"]))
        jobs = self.wait_jobs(lambda js: js[0]["state"] == "done")
        self.assertEqual(jobs[0]["state"], "done", jobs)
        self.note("the job is done once CUPS completed it")
        # A reprint is marked COPY, and only a reprint prints again.
        r = self.j(["receipt", "print", s["receipt"]])
        self.assertTrue(r["copy"])
        self.assertTrue(self.printer.wait(2, 30))
        self.assertIn(b"COPY", self.printer.jobs[1])
        self.assertNotIn(b"COPY", self.printer.jobs[0])
        self.assertEqual(self.printer.jobs[1], self.render(s["receipt"],
                                                           copy=True))
        self.note("pos receipt print sends a copy marked COPY")

    def test_dead_cupsd_keeps_the_sale_and_prints_after_recovery(self):
        self.cups.kill()
        t0 = time.monotonic()
        s = self.j(["sell", "--user", "ali", "JAM"])
        took = time.monotonic() - t0
        self.assertEqual(s["print"]["state"], "pending", s["print"])
        self.assertRegex(s["print"]["error"] or "", "CUPS")
        # PRINT_TIMEOUT_MS (2 s) at most, and the sale itself.
        self.assertLess(took, 2.0 + scaled(3.0),
                        "a dead cupsd held the sale %.1f s" % took)
        x = self.j(["report", "x"])
        self.assertEqual(x["sales_count"], 1)
        self.assertEqual(x["net"], "1500")
        self.note("cupsd dead: sale committed in %.2f s, job pending (%s)"
                  % (took, s["print"]["error"]))
        # A second sale while it is down waits too; nothing arrives.
        s2 = self.j(["sell", "--user", "ali", "SOAP"])
        self.assertEqual(s2["print"]["state"], "pending")
        self.assertEqual(self.printer.jobs, [])
        self.cups.start()
        self.j(["print-queue", "--retry"])
        self.assertTrue(self.printer.wait(2, 30), "not printed after recovery")
        self.assertEqual(self.printer.jobs[0], self.render(s["receipt"]))
        self.assertEqual(self.printer.jobs[1], self.render(s2["receipt"]))
        # More runs of the queue print nothing again.
        jobs = self.wait_jobs(lambda js: all(j["state"] == "done" for j in js))
        self.j(["print-queue", "--retry"])
        self.assert_printed_once_each(2)
        self.assertTrue(all(j["state"] == "done" for j in jobs), jobs)
        self.note("after cupsd came back both receipts printed, once each")

    def test_disabled_queue_holds_then_prints_once(self):
        self.cups.tool("cupsdisable", "receipt")
        s = self.j(["sell", "--user", "ali", "JAM"])
        self.assertEqual(s["print"]["state"], "sent", s["print"])
        # CUPS holds the job: it is queued and stays unprinted.
        self.assertTrue(wait_until(self.cups.jobs, 30), "no job in CUPS")
        self.assertEqual(self.printer.jobs, [], "printed while disabled")
        self.j(["print-queue"])
        self.cups.tool("cupsenable", "receipt")
        self.assertTrue(self.printer.wait(1, 30))
        self.assertEqual(self.printer.jobs[0], self.render(s["receipt"]))
        self.wait_jobs(lambda js: js[0]["state"] == "done")
        self.j(["print-queue", "--retry"])
        self.assert_printed_once_each(1)
        self.note("a disabled queue held the job; enabled, it printed once")

    def test_rejecting_queue_leaves_the_job_pending(self):
        self.cups.tool("cupsreject", "receipt")
        s = self.j(["sell", "--user", "ali", "SOAP"])
        self.assertEqual(s["print"]["state"], "pending")
        self.assertRegex(s["print"]["error"], "(?i)not accepting")
        self.cups.tool("cupsaccept", "receipt")
        self.j(["print-queue", "--retry"])
        self.assertTrue(self.printer.wait(1, 30))
        self.assertEqual(self.printer.jobs[0], self.render(s["receipt"]))
        self.note("a rejecting queue: pending with the reason, then printed")

    def test_printer_gone_then_back(self):
        port = self.printer.port
        self.printer.close()
        s = self.j(["sell", "--user", "ali", "JAM"])
        self.assertEqual(s["print"]["state"], "sent")
        # CUPS is trying to send it while the printer is gone.
        self.assertTrue(wait_until(
            lambda: "now printing" in self.cups.tool(
                "lpstat", "-p", "receipt").stdout.decode(), 30),
            self.cups.tool("lpstat", "-l", "-p", "receipt").stdout)
        # The printer comes back on the same port; CUPS retries the job.
        self.printer = cupsharness.Listener(port)
        self.addCleanup(self.printer.close)
        self.assertTrue(self.printer.wait(1, 90), "not printed when back")
        self.assertEqual(self.printer.jobs[0], self.render(s["receipt"]))
        self.note("printer unplugged: CUPS kept the job and printed it once "
                  "the printer was back")

    def test_no_printer_writes_files_beside_the_store(self):
        env = {"POS_PRINTER_NAME": "", "CUPS_SERVER":
               os.path.join(self.tmp, "nothing-here.sock")}
        s = self.j(["sell", "--user", "ali", "JAM"], env=env)
        self.assertEqual(s["print"]["state"], "done")
        path = s["print"]["dest"]
        self.assertEqual(os.path.dirname(path),
                         os.path.join(self.tmp, "receipts"))
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn(s["receipt"], text)
        self.assertIn("مربى المشمش", text)
        self.assertIn("Sales window 7", text)
        self.note("no printer: %s written" % path)
        # Every slip kind has its text.
        v = self.j(["void", s["receipt"], "--user", "sam", "--reason",
                    "wrong"], env=dict(env, POS_PIN=SUPERVISOR_PIN))
        with open(v["print"]["dest"], encoding="utf-8") as f:
            self.assertIn("VOID", f.read())
        z = self.j(["day", "close", "--user", "sam", "--counted", "0"],
                   env=dict(env, POS_PIN=SUPERVISOR_PIN))
        with open(z["print"]["dest"], encoding="utf-8") as f:
            self.assertIn("Z REPORT", f.read())
        self.note("void slip and Z report written too")

    def test_no_printer_loads_no_raster_stack(self):
        # The dynamic loader says what it loads (LD_DEBUG=files).
        env = {"POS_PRINTER_NAME": "", "CUPS_SERVER":
               os.path.join(self.tmp, "nothing-here.sock"),
               "LD_DEBUG": "files"}
        rc, out, err = self.run_pos(["--json", "sell", "--user", "ali",
                                     "JAM"], env=env)
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["print"]["state"], "done")
        self.assertIn("file=libc.so.6", err, "LD_DEBUG said nothing")
        for lib in ("libposprint", "libpango", "libcairo", "libcups"):
            self.assertNotIn("file=" + lib, err)
        self.note("no printer, no CUPS: the text slip is written without "
                  "loading the print module, Pango, cairo or libcups")

    def test_no_print_queues_nothing(self):
        self.j(["sell", "--no-print", "--user", "ali", "JAM"])
        self.assertEqual(self.queue(), [])
        # Nothing ever reached CUPS, so nothing can reach the printer.
        self.assertEqual(self.cups.jobs("all"), [])
        self.assertEqual(self.printer.jobs, [])
        self.note("--no-print: no job, nothing printed")

    def test_png_render_has_ink(self):
        s = self.j(["sell", "--no-print", "--user", "ali", "JAM"])
        png = self.run_bytes(["receipt", "render", s["receipt"], "--format",
                              "png"])
        self.assertTrue(png.startswith(b"\x89PNG\r\n\x1a\n"))
        pdf = self.run_bytes(["receipt", "render", s["receipt"], "--format",
                              "pdf"])
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.note("png and pdf renders of a receipt")


if __name__ == "__main__":
    posharness.main()
