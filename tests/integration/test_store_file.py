"""The store file: created 0600 (whatever the umask), its directories
0700, WAL journal mode; the default path is under $XDG_DATA_HOME."""

import os
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import posharness as H                                    # noqa: E402


class StoreFile(H.PosTestCase):

    def init_with_umask(self, umask, db=None, use_db=True):
        argv = [H.POS] + (["--db", db] if use_db else []) + [
            "init", "--branch", H.BRANCH, "--terminal", "1"]
        p = subprocess.run(argv, env=self.env, cwd=self.tmp,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=lambda: os.umask(umask))
        self.assertEqual(p.returncode, 0, p.stderr)

    def mode(self, path):
        return stat.S_IMODE(os.stat(path).st_mode)

    def test_mode_0600_with_open_umask(self):
        self.init_with_umask(0o000, db=self.db)
        self.assertEqual(self.mode(self.db), 0o600)
        self.add_users()
        self.ok(["producer", "add", "P1", "x"])
        self.assertEqual(self.mode(self.db), 0o600)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(self.db + suffix):
                self.assertEqual(self.mode(self.db + suffix) & 0o077, 0,
                                 suffix + " readable by others")
        self.note("umask 000: store created 0600 (and stays 0600)")

    def test_default_path_and_dirs(self):
        self.init_with_umask(0o022, use_db=False)
        path = os.path.join(self.env["XDG_DATA_HOME"], "pos", "window.db")
        self.assertTrue(os.path.isfile(path), path)
        self.assertEqual(self.mode(path), 0o600)
        self.assertEqual(self.mode(os.path.dirname(path)), 0o700)
        v = self.j(["verify"], use_db=False)
        self.assertEqual((v["ok"], v["entries"]), (True, 0))
        self.note("no --db: $XDG_DATA_HOME/pos/window.db, file 0600, dir 0700")

    def test_nested_db_dirs(self):
        db = os.path.join(self.tmp, "a", "b", "w.db")
        self.init_with_umask(0o000, db=db)
        self.assertEqual(self.mode(db), 0o600)
        self.assertEqual(self.mode(os.path.dirname(db)), 0o700)
        self.note("--db in new directories: created 0700, file 0600")

    def test_wal_mode(self):
        self.init_store()
        rc, out, err = self.sqlite("PRAGMA journal_mode;")
        self.assertEqual(out.strip(), "wal")
        rc, out, err = self.sqlite("PRAGMA user_version;")
        self.assertGreaterEqual(int(out.strip()), 1)
        self.note("journal_mode is wal; schema user_version >= 1")


if __name__ == "__main__":
    H.main()
