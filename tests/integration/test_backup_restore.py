"""Backups and restores on real store files: `pos backup` makes a verified
copy while sales go on, the close of day backs up to [store] backup_dir
(keeping backup_keep) and never fails for want of a target, and `pos
restore` refuses a backup that does not verify, one of another branch or
terminal, and, without --force, a store newer than the backup."""

import os
import stat
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import posharness as H                                    # noqa: E402


class Base(H.PosTestCase):

    def setup_day(self, db=None, branch=H.BRANCH, terminal=H.TERMINAL):
        self.ok(["init", "--branch", branch, "--terminal", str(terminal)],
                db=db)
        self.add_users(db=db)
        self.ok(["producer", "add", "P1", "بيت الصابون"], db=db)
        self.ok(["product", "add", "SOAP", "صابون", "100",
                 "--producer", "P1"], db=db)
        self.ok(["day", "open", "--user", "ali", "--float", "0"], db=db)

    def sell(self, db=None):
        return self.j(["sell", "--user", "ali", "SOAP", "--no-print"], db=db)

    def entries(self, db=None):
        v = self.j(["verify"], db=db)
        self.assertTrue(v["ok"], v)
        return v["entries"]


class Backup(Base):

    def test_backup_to_file_and_dir_verifies(self):
        self.setup_day()
        self.sell()
        out = os.path.join(self.tmp, "copy.db")
        b = self.j(["backup", out])
        self.assertEqual((b["path"], b["entries"], b["verified"]),
                         (out, 2, True))
        self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), 0o600)
        # One self-contained file: no -wal beside it, readable on its own.
        self.assertFalse(os.path.exists(out + "-wal"))
        self.assertEqual(self.sqlite("PRAGMA journal_mode", db=out)[1].strip(),
                         "delete")
        self.assertEqual(self.entries(db=out), 2)
        self.assertEqual(self.j(["verify"], db=out)["head"], b["head"])
        d = os.path.join(self.tmp, "stick")
        os.mkdir(d)
        b = self.j(["backup", d])
        self.assertEqual(os.path.dirname(b["path"]), d)
        self.assertRegex(os.path.basename(b["path"]),
                         r"^DMS01-1-20260301T090000Z\.db$")
        self.assertEqual(os.listdir(d), [os.path.basename(b["path"])])
        self.note("backup to a file and to a directory: 0600, one file, "
                  "opens and verifies with the store's head")

    def test_missing_target_refused(self):
        self.setup_day()
        self.fails(["backup", os.path.join(self.tmp, "no", "x.db")], 2,
                   r"no is missing")
        self.fails(["backup"], 2, r"set \[store\] backup_dir")
        self.note("backup to a missing directory, or with none: exit 2")

    def test_backup_while_sales_go_on(self):
        self.setup_day()
        stop = threading.Event()
        sold = []
        errors = []

        def sell_loop():
            while not stop.is_set():
                rc, out, err = self.run_pos(["sell", "--user", "ali", "SOAP",
                                             "--no-print"])
                if rc != 0:
                    errors.append(err)
                    return
                sold.append(1)

        t = threading.Thread(target=sell_loop)
        t.start()
        copies = []
        try:
            deadline = time.monotonic() + H.scaled(60)
            while len(copies) < 5 and time.monotonic() < deadline:
                out = os.path.join(self.tmp, "c%d.db" % len(copies))
                copies.append(self.j(["backup", out]))
        finally:
            stop.set()
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(copies), 5)
        counts = [c["entries"] for c in copies]
        self.assertEqual(counts, sorted(counts))
        self.assertGreater(counts[-1], counts[0], "sales went on meanwhile")
        for c in copies:
            v = self.j(["verify"], db=c["path"])
            self.assertEqual((v["ok"], v["entries"], v["head"]),
                             (True, c["entries"], c["head"]))
        self.assertEqual(self.entries(), 1 + len(sold))
        self.note("5 backups during a loop of %d sales: each verifies (%s "
                  "entries)" % (len(sold), counts))


class CloseBackup(Base):

    def close(self, now, **kw):
        return self.j(["day", "close", "--user", "sam", "--counted", "0",
                       "--no-print"], env=dict(self.sup(), POS_NOW=now), **kw)

    def open(self, now):
        self.ok(["day", "open", "--user", "ali", "--float", "0"],
                env={"POS_NOW": now})

    def test_close_backs_up_and_keeps_backup_keep(self):
        d = os.path.join(self.tmp, "usb")
        os.mkdir(d)
        self.env["POS_STORE_BACKUP_DIR"] = d
        self.env["POS_STORE_BACKUP_KEEP"] = "2"
        self.setup_day()
        with open(os.path.join(d, "notes.txt"), "w") as f:
            f.write("not a backup")
        made = []
        for day in (1, 2, 3):
            now = "2026-03-%02dT15:00:00Z" % day
            if day > 1:
                self.open(now)
            z = self.close(now)
            self.assertTrue(os.path.exists(z["backup"]["path"]), z)
            made.append(os.path.basename(z["backup"]["path"]))
            self.assertEqual(self.entries(db=z["backup"]["path"]),
                             z["backup"]["entries"])
        self.assertEqual(sorted(os.listdir(d)),
                         sorted(made[1:] + ["notes.txt"]))
        self.note("three closes with backup_keep 2: the newest two backups "
                  "are kept, other files left alone")

    def test_missing_target_never_fails_the_close(self):
        self.env["POS_STORE_BACKUP_DIR"] = os.path.join(self.tmp, "unplugged")
        self.setup_day()
        self.sell()
        rc, out, err = self.run_pos(["day", "close", "--user", "sam",
                                     "--counted", "100", "--no-print"],
                                    env=self.sup())
        self.assertEqual(rc, 0, err)
        self.assertIn("day 2026-03-01 session 1 closed", out)
        self.assertRegex(err, r"the day is closed, but its backup failed: "
                         r".*unplugged")
        z = self.j(["report", "z"])
        self.assertTrue(z["closed"])
        self.note("backup_dir missing: the close succeeds and says the "
                  "backup failed")

    def test_full_target_never_fails_the_close(self):
        d = os.path.join(self.tmp, "full")
        os.mkdir(d)
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k",
                            "tmpfs", d], stderr=subprocess.PIPE)
        if p.returncode != 0:
            self.skipTest("cannot mount a small tmpfs here: %s" % p.stderr)
        self.addCleanup(subprocess.run, ["umount", d])
        self.env["POS_STORE_BACKUP_DIR"] = d
        self.setup_day()
        rc, out, err = self.run_pos(["day", "close", "--user", "sam",
                                     "--counted", "0", "--no-print"],
                                    env=self.sup())
        self.assertEqual(rc, 0, err)
        self.assertRegex(err, r"backup failed: .*(full|space|I/O)")
        self.note(err.strip())
        self.assertEqual(os.listdir(d), [], "nothing half-written is left")
        self.assertTrue(self.j(["report", "z"])["closed"])
        self.note("a full backup target: the close succeeds, the failure "
                  "is said, no partial file left")


class Restore(Base):

    def backup(self, name="b.db", db=None):
        path = os.path.join(self.tmp, name)
        self.ok(["backup", path], db=db)
        return path

    def test_restore_to_a_new_pc(self):
        self.setup_day()
        self.sell()
        b = self.backup()
        head = self.j(["verify"])["head"]
        fresh = os.path.join(self.tmp, "newpc", "window.db")
        r = self.j(["restore", b], db=fresh)
        self.assertEqual((r["entries"], r["head"]), (2, head))
        self.assertEqual(self.entries(db=fresh), 2)
        e = self.sell(db=fresh)
        self.assertEqual(e["receipt"], H.receipt(3))
        self.note("restore onto a PC with no store: same chain, the next "
                  "sale is receipt 3")

    def test_restore_refuses_a_backup_that_does_not_verify(self):
        self.setup_day()
        self.sell()
        b = self.backup()
        self.sqlite("DROP TRIGGER journal_no_update;"
                    "UPDATE journal SET total = 1 WHERE seq = 2;", db=b)
        self.sell()
        before = self.snapshot()
        self.fails(["restore", b, "--force"], 2,
                   r"fails verification at seq 2")
        self.assertEqual(self.snapshot(), before)
        with open(os.path.join(self.tmp, "junk.db"), "wb") as f:
            f.write(b"not a database at all" * 100)
        self.fails(["restore", os.path.join(self.tmp, "junk.db")], 2)
        self.assertEqual(self.snapshot(), before)
        self.note("a tampered backup and a junk file: exit 2, the store "
                  "unchanged (even with --force)")

    def test_restore_refuses_another_branch_or_terminal(self):
        self.setup_day()
        other = os.path.join(self.tmp, "other.db")
        self.setup_day(db=other, terminal=2)
        b = self.backup("t2.db", db=other)
        before = self.snapshot()
        self.fails(["restore", b, "--force"], 2,
                   r"backup is of branch DMS01 terminal 2, the store is "
                   r"branch DMS01 terminal 1")
        self.assertEqual(self.snapshot(), before)
        self.note("a backup of terminal 2 into terminal 1's store: exit 2")

    def test_restore_never_overwrites_a_newer_store_without_force(self):
        self.setup_day()
        self.sell()
        b = self.backup()
        self.sell()
        before = self.snapshot()
        self.fails(["restore", b], 2, r"store is newer than the backup: it "
                   r"has 3 entries, the backup 2 \(--force")
        self.assertEqual(self.snapshot(), before)
        r = self.j(["restore", b, "--force"])
        self.assertEqual(r["entries"], 2)
        self.assertEqual(self.entries(), 2)
        self.note("store with 3 entries, backup with 2: refused; --force "
                  "restores the 2")

    def test_restore_refuses_a_store_gone_another_way(self):
        self.setup_day()
        b = self.backup()
        self.sell()
        b2 = self.backup("b2.db")
        # The store goes on from b with another sale than b2 holds.
        self.ok(["restore", b, "--force"])
        self.ok(["cash", "in", "5", "--user", "ali", "--reason", "x"])
        before = self.snapshot()
        self.fails(["restore", b2], 2, r"differ at seq 2")
        self.assertEqual(self.snapshot(), before)
        self.note("a store whose seq 2 is not the backup's: refused")

    def test_restore_with_a_program_holding_the_store(self):
        self.setup_day()
        self.sell()
        b = self.backup()
        # A reader keeps the store open, as the terminal UI would.
        holder = subprocess.Popen(
            ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]);"
             "c.execute('select count(*) from journal').fetchall();"
             "sys.stdout.write('ready\\n'); sys.stdout.flush(); sys.stdin.read()",
             self.db], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.addCleanup(holder.wait)
        self.addCleanup(holder.stdout.close)
        self.addCleanup(holder.stdin.close)
        self.assertEqual(holder.stdout.readline(), b"ready\n")
        self.sell()
        self.ok(["restore", b, "--force"])
        self.assertEqual(self.entries(), 2)
        self.note("restore while another connection has the store open")


if __name__ == "__main__":
    H.main()
