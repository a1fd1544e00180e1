"""The store missing, read-only, locked or damaged: every command says what
is wrong in words (exit 1 or 2, never a signal), and a command that fails
leaves the file's bytes exactly as they were.

Tests run as root, where chmod 0400 does not stop writes: the read-only
cases make the file (or its directory) immutable with `chattr +i`, and are
skipped with the reason when the filesystem cannot do that.

Usage: python3 test_store_damage.py /path/to/pos
"""
import hashlib
import os
import random
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
import posharness as H                                    # noqa: E402

SELL = ["sell", "--no-print", "--user", "ali", "P001*2", "P002"]
COMMANDS = [SELL, ["report", "x"], ["verify"], ["show", H.receipt(2)],
            ["product", "list"], ["init", "--branch", "X", "--terminal", "9"]]


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class StoreDamage(H.PosTestCase):

    def make_store(self):
        """A store of several dozen pages: 400 products, a day of sales."""
        self.init_store()
        self.add_users()
        self.ok(["producer", "add", "F1", "أسرة الحلبي"])
        rows = ["code,name,price,producer"] + [
            "P%03d,منتج رقم %d,%d,F1" % (i, i, 100 + i) for i in range(400)]
        csv = os.path.join(self.tmp, "p.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")
        self.ok(["import", "products", csv])
        self.ok(["day", "open", "--user", "ali", "--float", "0"])
        for i in range(20):
            self.ok(SELL)
        # The last pos to close checkpoints the WAL into the file.
        self.assertFalse(os.path.exists(self.db + "-wal"))

    def sales(self):
        c = sqlite3.connect(self.db)
        try:
            return c.execute("SELECT count(*) FROM journal WHERE kind = "
                             "'sale'").fetchone()[0]
        finally:
            c.close()

    def write_store(self, data):
        for suffix in ("-wal", "-shm"):
            if os.path.exists(self.db + suffix):
                os.unlink(self.db + suffix)
        with open(self.db, "wb") as f:
            f.write(data)

    def pristine(self):
        with open(self.db, "rb") as f:
            return f.read()

    def check_commands(self, data, pattern, all_fail=True, commands=COMMANDS):
        """Run each command on a fresh copy of data: no signal, a message
        on failure matching pattern, the bytes unchanged after a failure."""
        failed = 0
        for cmd in commands:
            self.write_store(data)
            before = digest(self.db)
            rc, out, err = self.run_pos(cmd)
            what = "pos %s" % " ".join(cmd[:2])
            self.assertGreaterEqual(rc, 0, "%s died of signal %d: %s"
                                    % (what, -rc, err))
            self.assertIn(rc, (0, 1, 2), "%s: exit %d: %s" % (what, rc, err))
            self.assertNotIn("Sanitizer", err)
            if all_fail:
                self.assertNotEqual(rc, 0, "%s succeeded on a damaged store"
                                    % what)
            if rc != 0:
                failed += 1
                self.assertRegex(err, pattern, what)
                self.assertEqual(digest(self.db), before,
                                 "%s changed the damaged file" % what)
                wal = self.db + "-wal"
                self.assertFalse(os.path.exists(wal) and
                                 os.path.getsize(wal) > 0,
                                 "%s left a WAL with frames" % what)
        return failed

    # ---- missing ----

    def test_missing_store_says_run_pos_init_and_creates_nothing(self):
        db = os.path.join(self.tmp, "nowhere", "window.db")
        for cmd in (SELL, ["report", "x"], ["verify"], ["product", "list"]):
            self.fails(cmd, 2, r"no store at .*window\.db.*run 'pos init'",
                       db=db)
        self.assertFalse(os.path.exists(os.path.dirname(db)))
        self.note("sell, report x, verify, product list: exit 2, "
                  "\"run 'pos init' first\", nothing created")

    def test_zero_length_store_says_run_pos_init(self):
        self.write_store(b"")
        for cmd in (SELL, ["report", "x"], ["verify"]):
            self.fails(cmd, 2, r"not set up: run 'pos init")
        # What is true today: SQLite takes an empty file for a new database,
        # so the first command writes the schema into it (nothing is lost:
        # there was nothing).
        self.note("0-byte file: exit 2 \"not set up: run 'pos init'\"")

    # ---- read-only (as root: immutable) ----

    def immutable(self, path):
        p = subprocess.run(["chattr", "+i", path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        if p.returncode != 0:
            self.skipTest("chattr +i %s: %s (root ignores chmod; no other "
                          "way to make the store read-only)"
                          % (path, p.stderr.decode().strip()))
        self.addCleanup(subprocess.run, ["chattr", "-i", path])

    def test_immutable_store_file_refuses_sale_reports_still_work(self):
        self.make_store()
        before_sales = self.sales()
        self.immutable(self.db)
        before = digest(self.db)
        self.fails(SELL, 1, r"readonly database")
        self.assertEqual(digest(self.db), before)
        self.ok(["report", "x"])
        self.assertIn('"ok": true', self.ok(["--json", "verify"]))
        subprocess.run(["chattr", "-i", self.db], check=True)
        self.assertEqual(self.sales(), before_sales)
        self.ok(SELL)
        self.note("file immutable: sell exit 1 'readonly database', file "
                  "unchanged; report x and verify work; sale works after")

    def test_immutable_store_directory_refuses_every_command(self):
        self.make_store()
        os.unlink(os.path.join(self.tmp, "p.csv"))
        self.immutable(self.tmp)
        before = digest(self.db)
        # WAL needs -wal and -shm next to the store: with the directory
        # read-only even a report cannot open it (SQLite's rule).
        for cmd in (SELL, ["report", "x"], ["verify"]):
            self.fails(cmd, 1, r"window\.db: not a usable store")
        self.assertEqual(digest(self.db), before)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["window.db"])
        self.note("directory immutable: sell, report x, verify exit 1 "
                  "naming the store; nothing written")

    # ---- locked ----

    def test_locked_store_sale_waits_then_fails_busy_reports_work(self):
        self.make_store()
        before_sales = self.sales()
        lock = sqlite3.connect(self.db, isolation_level=None)
        try:
            lock.execute("BEGIN EXCLUSIVE")
            t0 = time.monotonic()
            self.fails(SELL, 1, r"busy")
            waited = time.monotonic() - t0
            self.assertGreaterEqual(waited, 4.5, "gave up before the 5 s "
                                    "busy timeout")
            self.assertLess(waited, H.scaled(30))
            # WAL: a writer's lock does not stop readers: neither waits
            # for the 5 s busy timeout.
            t1 = time.monotonic()
            self.ok(["report", "x"])
            t2 = time.monotonic()
            self.assertIn('"ok": true', self.ok(["--json", "verify"]))
            self.assertLess(t2 - t1, 4.5)
            self.assertLess(time.monotonic() - t2, 4.5)
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        self.assertEqual(self.sales(), before_sales)
        self.ok(SELL)
        self.assertEqual(self.sales(), before_sales + 1)
        self.note("BEGIN EXCLUSIVE held: sell waited %.1f s, exit 1 'busy', "
                  "nothing written; report x and verify work meanwhile"
                  % waited)

    # ---- damaged ----

    def test_header_overwritten_with_random_bytes(self):
        self.make_store()
        data = bytearray(self.pristine())
        rng = random.Random(20261201)
        data[0:100] = bytes(rng.randrange(256) for _ in range(100))
        self.check_commands(bytes(data), r"not a usable store: file is not "
                            r"a database")
        self.note("random header: every command exit 1 'file is not a "
                  "database', bytes unchanged")

    def test_truncated_file(self):
        self.make_store()
        data = self.pristine()
        self.check_commands(data[:len(data) // 2 + 100],
                            r"window\.db.*malformed|malformed")
        self.note("truncated to half: every command exit 1 'malformed', "
                  "bytes unchanged")

    def root_pages(self):
        c = sqlite3.connect(self.db)
        try:
            size = c.execute("PRAGMA page_size").fetchone()[0]
            roots = dict(c.execute("SELECT name, rootpage FROM sqlite_master"))
        finally:
            c.close()
        return size, roots

    def garbage(self, data, size, pages, seed):
        rng = random.Random(seed)
        data = bytearray(data)
        for pg in pages:
            data[(pg - 1) * size:pg * size] = bytes(
                rng.randrange(256) for _ in range(size))
        return bytes(data)

    def test_garbage_journal_pages(self):
        self.make_store()
        size, roots = self.root_pages()
        data = self.garbage(self.pristine(), size,
                            [roots["journal"], roots["journal_lines"]], 1)
        self.check_commands(data, r"malformed",
                            commands=[SELL, ["report", "x"], ["verify"],
                                      ["show", H.receipt(2)]])
        self.note("journal pages garbage: sell, report x, verify, show exit "
                  "1 'malformed', bytes unchanged")

    def test_garbage_index_and_catalog_pages(self):
        self.make_store()
        size, roots = self.root_pages()
        pages = [roots["journal_kind"], roots["print_jobs_seq"],
                 roots["products"] + 1, roots["products_fts_data"]]
        data = self.garbage(self.pristine(), size, pages, 2)
        # Commands that do not read a damaged page may succeed; none may
        # crash, and none that fails may change the file.
        failed = self.check_commands(data, r"\S", all_fail=False)
        self.assertGreater(failed, 0)
        self.note("index/catalog pages garbage: %d of %d commands refused "
                  "with a message, none crashed, bytes unchanged"
                  % (failed, len(COMMANDS)))


if __name__ == "__main__":
    H.main()
