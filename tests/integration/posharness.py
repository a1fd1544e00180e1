"""Shared helpers for the integration tests that drive the `pos` binary.

Every test gets its own temporary directory with HOME and XDG_* inside it,
POS_SYSTEM_CONFIG pointing at a file that does not exist, a fixed clock
(POS_NOW) and the window time zone (POS_WINDOW_TIMEZONE), so nothing from
the machine or the user's configuration leaks in. Stores are real SQLite
files on disk in that directory.

Usage: python3 test_x.py /path/to/pos   (ctest passes $<TARGET_FILE:pos>)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testtime import scaled  # noqa: E402,F401 (for the tests too)

POS = None          # path of the pos binary, set by main()

DAY1_NOW = "2026-03-01T09:00:00Z"
TZ = "Asia/Damascus"
BRANCH = "DMS01"
TERMINAL = 1
SUPERVISOR_PIN = "4711"
ATTENDANT_PIN = "1234"


def receipt(seq, branch=BRANCH, terminal=TERMINAL):
    return "%s-%d-%06d" % (branch, terminal, seq)


# ---- money arithmetic done independently of the implementation ----

def parse_qty(text):
    """'0.5' -> 500 thousandths."""
    return int(Fraction(text) * 1000)


def qty_text(q):
    """2000 -> '2', 500 -> '0.5', 250 -> '0.25' (JSON quantity form)."""
    if q % 1000 == 0:
        return str(q // 1000)
    return ("%d.%03d" % (q // 1000, q % 1000)).rstrip("0")


def line_total(price, qty_thousandths):
    """price x qty / 1000, rounded half up (all values >= 0)."""
    return int(Fraction(price * qty_thousandths, 1000) + Fraction(1, 2))


def round_half_up(fr):
    return int(Fraction(fr) + Fraction(1, 2))


def largest_remainder(amount, weights):
    """Share amount over weights in proportion, by largest remainder."""
    total = sum(weights)
    if total == 0:
        return [amount] + [0] * (len(weights) - 1)
    exact = [Fraction(amount * w, total) for w in weights]
    shares = [int(e) for e in exact]
    left = amount - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def money(v, decimals=0):
    """Minor units -> the JSON decimal string form."""
    if decimals == 0:
        return str(v)
    sign = "-" if v < 0 else ""
    v = abs(v)
    return "%s%d.%0*d" % (sign, v // 10 ** decimals, decimals, v % 10 ** decimals)


class PosTestCase(unittest.TestCase):
    """A test with its own directory, environment and store path."""

    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pos-it-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.env = self.base_env(self.tmp)
        self.db = os.path.join(self.tmp, "window.db")

    @staticmethod
    def base_env(tmp):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "HOME": os.path.join(tmp, "home"),
            "XDG_CONFIG_HOME": os.path.join(tmp, "xdg-config"),
            "XDG_DATA_HOME": os.path.join(tmp, "xdg-data"),
            "XDG_CACHE_HOME": os.path.join(tmp, "xdg-cache"),
            "XDG_STATE_HOME": os.path.join(tmp, "xdg-state"),
            "XDG_RUNTIME_DIR": os.path.join(tmp, "xdg-runtime"),
            "POS_SYSTEM_CONFIG": os.path.join(tmp, "no-such-dir", "pos.conf"),
            "POS_NOW": DAY1_NOW,
            "POS_WINDOW_TIMEZONE": TZ,
            # No CUPS of the machine's: a socket that is not there, so
            # slips go to files unless a test starts its own cupsd.
            "CUPS_SERVER": os.path.join(tmp, "no-cupsd.sock"),
        }
        # Sanitizer builds: keep their options, nothing else from outside.
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]
        return env

    def note(self, msg):
        print("    checked: " + msg, flush=True)

    # ---- running pos ----

    def run_pos(self, args, stdin=None, env=None, db=None, use_db=True,
                json_out=False, timeout=60):
        """Run pos; returns (rc, stdout, stderr) as text (bytes args allowed).
        timeout is for a plain build (scaled here)."""
        argv = [POS]
        if use_db:
            argv += ["--db", db if db is not None else self.db]
        if json_out:
            argv.append("--json")
        argv += list(args)
        e = dict(self.env)
        if env:
            for k, v in env.items():
                if v is None:
                    e.pop(k, None)
                else:
                    e[k] = v
        if isinstance(stdin, str):
            stdin = stdin.encode()
        p = subprocess.run(argv, input=stdin if stdin is not None else b"",
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=e, timeout=scaled(timeout), cwd=self.tmp)
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))

    # (not "run": unittest.TestCase.run is the test runner itself)
    pos = run_pos

    def ok(self, args, **kw):
        """Run pos, expect exit 0, return stdout."""
        rc, out, err = self.run_pos(args, **kw)
        self.assertEqual(rc, 0, "pos %s: exit %d\nstdout: %s\nstderr: %s"
                         % (" ".join(map(str, args)), rc, out, err))
        return out

    def j(self, args, **kw):
        """Run pos --json, expect exit 0, return the parsed JSON."""
        out = self.ok(args, json_out=True, **kw)
        try:
            return json.loads(out)
        except ValueError as exc:
            self.fail("pos --json %s: not JSON (%s): %r" % (args, exc, out))

    def fails(self, args, rc_want, pattern=None, **kw):
        """Run pos, expect exit rc_want and a message on stderr."""
        rc, out, err = self.run_pos(args, **kw)
        self.assertEqual(rc, rc_want, "pos %r: want exit %d, got %d\nstdout: %s\n"
                         "stderr: %s" % (args, rc_want, rc, out, err))
        self.assertTrue(err.strip(), "pos %r: exit %d with no message on stderr"
                        % (args, rc))
        if pattern is not None:
            self.assertRegex(err, pattern, "pos %r: stderr" % (args,))
        return err

    def sup(self, pin=SUPERVISOR_PIN):
        """Environment for a supervisor command (PIN in POS_PIN)."""
        return {"POS_PIN": pin}

    # ---- a store ----

    def init_store(self, db=None, name="نافذة دمشق"):
        self.ok(["init", "--branch", BRANCH, "--terminal", str(TERMINAL),
                 "--name", name], db=db)

    def add_users(self, db=None):
        self.ok(["user", "add", "ali", "--role", "attendant"],
                stdin=ATTENDANT_PIN + "\n", db=db)
        self.ok(["user", "add", "sam", "--role", "supervisor"],
                stdin=SUPERVISOR_PIN + "\n", db=db)

    def sqlite(self, sql, db=None, check=True):
        p = subprocess.run(["sqlite3", db or self.db, sql],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if check:
            self.assertEqual(p.returncode, 0, "sqlite3 %s: %s" % (sql, p.stderr))
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def snapshot(self, db=None, exports=False):
        """Everything a failed command must leave unchanged: the chain as
        `pos verify` sees it and every row of every table (sqlite3 .dump);
        with exports, also what `pos export` prints."""
        path = db or self.db
        snap = {"verify": self.run_pos(["verify"], db=db, json_out=True)[:2]}
        if exports:
            for what in ("sales", "products", "producers"):
                snap["export " + what] = self.run_pos(["export", what], db=db)[:2]
        if os.path.exists(path):
            snap["dump"] = self.sqlite(".dump", db=path)[1]
        return snap

    def copy_store(self, src, dst):
        """Copy a store file that no process has open (WAL included)."""
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(src + suffix):
                shutil.copy2(src + suffix, dst + suffix)


def main():
    global POS
    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        POS = os.path.abspath(argv.pop(1))
    else:
        POS = os.environ.get("POS_BIN")
    if not POS or not os.access(POS, os.X_OK):
        sys.stderr.write("usage: %s /path/to/pos [unittest options]\n" % argv[0])
        sys.exit(2)
    prog = unittest.main(argv=argv, verbosity=2, exit=False,
                         module="__main__")
    sys.exit(0 if prog.result.wasSuccessful() else 1)
