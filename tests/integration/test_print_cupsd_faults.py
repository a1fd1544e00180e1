"""Printing faults of the platform's own cupsd, against a private cupsd.

Debian 12's cupsd (2.4.2) dies on a Send-Document whose document-name
holds a space, and a statement's title did: every slip kind is sent here
and the scheduler must still be running after each, with every job name
CUPS holds made of A-Z a-z 0-9 . _ - only (read back with ipptool).

A cupsd restarted without its job files numbers jobs from 1 again. A slip
whose CUPS job id is then unknown, or names another document, must never
be 'done': it is 'failed', tried again, and reaches the printer. The test
makes cupsd forget for certain (SIGKILL, then its job control files and
job cache are removed) and checks that the id really was given again.
"""
import glob
import os
import re
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import posharness  # noqa: E402
from posharness import PosTestCase, SUPERVISOR_PIN  # noqa: E402
import cupsharness  # noqa: E402
from testtime import scaled, wait_until  # noqa: E402

SAFE = re.compile(r"^[A-Za-z0-9._-]+$")

GET_JOBS = """{
  NAME "Get-Jobs"
  OPERATION Get-Jobs
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR name requesting-user-name $user
  ATTR keyword which-jobs all
  ATTR keyword requested-attributes job-id,job-name,document-name-supplied
  STATUS successful-ok
}
"""


class CupsdFaults(PosTestCase):

    def setUp(self):
        super().setUp()
        cupsharness.raw_printer(self)
        self.init_store()
        self.add_users()
        # A Latin name: text-mode ESC/POS carries it as bytes to look for.
        self.ok(["producer", "add", "UMA", "Um Ali family"])
        self.ok(["product", "add", "JAM", "Apricot jam", "1500",
                 "--producer", "UMA"])
        self.ok(["day", "open", "--user", "ali", "--float", "0"])

    # ---- helpers ----

    def queue(self):
        return self.j(["print-queue", "--all"])["jobs"]

    def job(self, jid):
        return next(j for j in self.queue() if j["job"] == jid)

    def scheduler_running(self):
        r = self.cups.tool("lpstat", "-r", check=False)
        return self.cups.proc.poll() is None and \
            b"scheduler is running" in r.stdout

    def assert_scheduler_up(self, after):
        self.assertTrue(self.scheduler_running(),
                        "cupsd died after %s; its log:\n%s"
                        % (after, self.cups_log()))

    def cups_log(self):
        try:
            with open(os.path.join(self.cups.base, "log", "error_log"),
                      errors="replace") as f:
                return f.read()[-3000:]
        except OSError:
            return "(no error_log)"

    def cups_job_names(self):
        """job-name and document-name-supplied of every job CUPS holds."""
        test = os.path.join(self.tmp, "get-jobs.test")
        with open(test, "w") as f:
            f.write(GET_JOBS)
        uri = "ipp://%s/printers/receipt" % urllib.parse.quote(
            self.cups.sock, safe="")
        r = subprocess.run([cupsharness.find("ipptool"), "-tv", uri, test],
                           env=self.cups.env, capture_output=True,
                           timeout=scaled(30))
        out = r.stdout.decode(errors="replace")
        self.assertEqual(r.returncode, 0, out + r.stderr.decode())
        return re.findall(r"^\s*(?:job-name|document-name-supplied) "
                          r"\(name\w*\) = (.*)$", out, re.M)

    def forget_jobs_and_restart(self, enable=True):
        """cupsd killed, its job files and job cache removed, started
        again: it no longer knows any job and numbers them from 1. The
        queue stays disabled unless enable."""
        self.cups.kill()
        base = self.cups.base
        for p in glob.glob(os.path.join(base, "spool", "[cd]0*")) + \
                glob.glob(os.path.join(base, "cache", "job.cache*")):
            os.unlink(p)
        self.cups.start()
        self.assertEqual(self.cups.jobs("all"), [], "cupsd kept its jobs")
        self.assertIn(b"disabled", self.cups.tool("lpstat", "-p",
                                                  "receipt").stdout)
        if enable:
            self.cups.tool("cupsenable", "receipt")

    def held_statement(self):
        """A statement handed to CUPS on a disabled queue: 'sent', held
        there, not printed."""
        self.cups.tool("cupsdisable", "receipt")
        r = self.j(["report", "producer", "UMA", "--print"])
        jid = r["print"]["job"]
        st = self.job(jid)
        self.assertEqual(st["state"], "sent", st)
        self.assertIsNotNone(st["cups_job"], st)
        self.assertRegex(st["cups_uuid"] or "", r"^urn:uuid:[0-9a-f-]{36}$")
        self.assertIn(st["cups_state"], ("pending", "held", "stopped"), st)
        self.assertIsNotNone(st["cups_seen"], st)
        self.assertEqual(self.printer.jobs, [])
        return jid, st

    def wait_printed(self, jid, want, kind):
        """Poll the queue until job jid is done; on every look, 'done'
        only once the printer has the slip. Returns the last job row."""
        seen = []

        def look():
            j = self.job(jid)
            seen.append(j["state"])
            got = any(want in p for p in self.printer.jobs)
            self.assertFalse(j["state"] == "done" and not got,
                             "%s is done, the printer never got it: %r"
                             % (kind, j))
            return j if j["state"] == "done" else None
        j = wait_until(look, 60, interval=0.3)
        self.assertTrue(j, "%s never done: %r, states %r"
                        % (kind, self.job(jid), seen))
        return j

    # ---- tests ----

    def test_every_slip_kind_leaves_the_scheduler_running(self):
        s = self.j(["sell", "--user", "ali", "JAM"])
        self.assert_scheduler_up("a receipt")
        self.j(["receipt", "print", s["receipt"]])
        self.assert_scheduler_up("a copy")
        self.j(["report", "x", "--print"])
        self.assert_scheduler_up("an X report")
        st = self.j(["report", "producer", "UMA", "--print"])
        self.assert_scheduler_up("a statement")
        self.j(["report", "producer", "UMA", "--from", "2026-03-01",
                "--to", "2026-03-31", "--print"])
        self.assert_scheduler_up("a month's statement")
        self.j(["day", "close", "--user", "sam", "--counted", "1500"],
               env=self.sup())
        self.assert_scheduler_up("a Z report")
        self.note("cupsd still running after a receipt, a copy, an X "
                  "report, two statements and a Z report")
        rows = {}

        def all_done():
            rows.clear()
            for j in self.queue():
                rows.setdefault(j["what"], []).append(j)
            return all(j["state"] == "done"
                       for js in rows.values() for j in js)
        self.assertTrue(wait_until(all_done, 60, interval=0.3), rows)
        self.assertEqual(sorted(rows), ["copy", "receipt", "report_x",
                                        "report_z", "statement"])
        self.assertEqual(len(rows["statement"]), 2)
        self.assertTrue(self.printer.wait(6, 30), len(self.printer.jobs))
        got = b"".join(self.printer.jobs)
        for text in (b"COPY", b"X REPORT", b"Z REPORT",
                     b"PRODUCER STATEMENT", b"Um Ali family"):
            self.assertIn(text, got)
        for j in rows["statement"]:
            self.assertEqual(j["cups_state"], "completed", j)
            self.assertRegex(j["cups_uuid"], r"^urn:uuid:")
        self.note("all six slips printed and done; CUPS said completed")
        names = self.cups_job_names()
        self.assertEqual(len(names), 12, names)   # a job and a document each
        bad = [n for n in names if not SAFE.match(n)]
        self.assertEqual(bad, [], "unsafe job or document names in CUPS")
        self.assertTrue(any(n.startswith("statement-UMA_2026-03-01_")
                            for n in names), names)
        self.note("CUPS holds only safe job and document names, e.g. %s"
                  % next(n for n in names if n.startswith("statement")))
        self.assert_scheduler_up("all of it")
        # The text form shows what CUPS said, after the old columns.
        line = next(ln for ln in self.ok(["print-queue", "--all"])
                    .splitlines() if ln.split()[0] == str(st["print"]["job"]))
        self.assertRegex(line, r"done\s+statement .*tries 1  receipt  "
                         r"\[CUPS job \d+ completed .* at 2\d{3}-")

    def test_job_cupsd_lost_is_failed_then_printed_never_done(self):
        jid, before = self.held_statement()
        self.forget_jobs_and_restart(enable=False)
        # One run of the queue looks at the statement's job: unknown now.
        # (A run reads and lists in one process, so the backoff keeps the
        # retry out of this look.)
        st = self.job(jid)
        self.assertEqual(st["state"], "failed", st)
        self.assertEqual(st["cups_state"], "not-found", st)
        self.assertRegex(st["error"], "lost job %d" % before["cups_job"])
        self.assertIsNotNone(st["next_try"], "a lost job is tried again")
        self.note("the lost statement is failed (%s), not done"
                  % st["error"])
        # The next slips are given the old job id again; the queue is
        # still disabled, so nothing can complete yet.
        x = self.j(["report", "x", "--print"])
        st = self.wait_printed_or_held(jid)
        # (The failed statement still shows its lost job until retried.)
        reused = [j for j in self.queue()
                  if j["cups_job"] == before["cups_job"] and
                  j["cups_uuid"] != before["cups_uuid"]]
        self.assertEqual(len(reused), 1, "the restarted cupsd did not "
                         "give job %d again" % before["cups_job"])
        self.note("restarted cupsd gave job %d again, to the %s"
                  % (before["cups_job"], reused[0]["what"]))
        self.cups.tool("cupsenable", "receipt")
        st = self.wait_printed(jid, b"PRODUCER STATEMENT", "the statement")
        self.assertNotEqual(st["cups_uuid"], before["cups_uuid"])
        self.assertEqual(st["cups_state"], "completed", st)
        self.assertEqual(st["attempts"], 2, st)
        self.wait_printed(x["print"]["job"], b"X REPORT", "the X report")
        self.assertTrue(self.cups.wait_idle())
        self.assertEqual(len(self.printer.jobs), 2, "printed twice")
        self.note("retried, the statement reached the printer, once")

    def wait_printed_or_held(self, jid):
        """While the queue is disabled: the statement is failed, or sent
        again and held; never done."""
        st = self.job(jid)
        self.assertIn(st["state"], ("failed", "sent"), st)
        return st

    def test_job_id_of_another_document_is_not_done(self):
        jid, before = self.held_statement()
        self.forget_jobs_and_restart()
        # Another program's job takes the id and completes.
        other = os.path.join(self.tmp, "other.txt")
        with open(other, "w") as f:
            f.write("another program's page\n")
        r = self.cups.tool("lp", "-d", "receipt", other)
        self.assertIn("receipt-%d " % before["cups_job"], r.stdout.decode(),
                      "the restarted cupsd did not reuse the job id")
        self.assertTrue(self.printer.wait(1, 30))
        self.assertTrue(self.cups.wait_idle())
        self.note("restarted cupsd gave job %d to another document, which "
                  "completed" % before["cups_job"])
        # One run: the look at the statement's job, then the listing.
        st = self.job(jid)
        self.assertEqual(st["state"], "failed", st)
        self.assertEqual(st["cups_state"], "other-job", st)
        self.assertRegex(st["error"], "another document")
        self.note("the statement is failed, not done: %s (%s)"
                  % (st["error"], st["cups_message"]))
        st = self.wait_printed(jid, b"PRODUCER STATEMENT", "the statement")
        self.assertEqual(st["cups_state"], "completed", st)
        self.assertTrue(self.cups.wait_idle())
        self.assertEqual(len(self.printer.jobs), 2, self.printer.jobs)
        self.assertIn(b"PRODUCER STATEMENT", self.printer.jobs[1])
        self.note("tried again, the statement reached the printer")

    def test_job_without_its_identity_waits_for_retry(self):
        jid, before = self.held_statement()
        # Its time-at-creation alone still tells the job from later ones.
        self.sqlite("UPDATE print_jobs SET cups_uuid = NULL WHERE id = %d"
                    % jid)
        self.j(["print-queue"])
        st = self.job(jid)
        self.assertEqual(st["state"], "sent", st)
        self.assertIn(st["cups_state"], ("pending", "held", "stopped"), st)
        # Nothing to tell it by (a job sent before the store kept these):
        # failed, and not printed again unless asked.
        self.sqlite("UPDATE print_jobs SET cups_created = NULL WHERE id = %d"
                    % jid)
        self.j(["print-queue"])
        st = self.job(jid)
        self.assertEqual(st["state"], "failed", st)
        self.assertIsNone(st["next_try"], st)
        self.assertRegex(st["error"], "cannot tell CUPS job %d"
                         % before["cups_job"])
        self.cups.tool("cupsenable", "receipt")
        self.assertTrue(self.printer.wait(1, 30))
        self.assertTrue(self.cups.wait_idle())
        self.j(["print-queue"])
        self.assertEqual(self.job(jid)["state"], "failed")
        self.assertEqual(len(self.printer.jobs), 1, "printed again unasked")
        self.note("no identity recorded: failed (%s), not sent again"
                  % st["error"])
        self.j(["print-queue", "--retry"])
        self.wait_printed(jid, b"PRODUCER STATEMENT", "the statement")
        self.assertEqual(len(self.printer.jobs), 2)
        self.note("--retry printed it again")


if __name__ == "__main__":
    posharness.main()
