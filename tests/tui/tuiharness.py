"""Helpers for the terminal UI tests: a store prepared with the `pos` CLI in
a temporary directory (HOME and XDG dirs inside it, POS_SYSTEM_CONFIG that
does not exist, a fixed clock), and the UI run inside tmux on a private
socket, driven with send-keys and read with capture-pane. Every wait polls
with a deadline (for a plain build, scaled by tests/testtime.py); only the
tmux server this test started is killed.

Usage: python3 test_x.py /path/to/pos /path/to/localedir
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testtime import scaled, wait_until  # noqa: E402,F401

POS = None
LOCALEDIR = None

NOW = "2026-03-01T09:00:00Z"
TZ = "Asia/Damascus"
ATTENDANT, ATTENDANT_PIN = "rima", "1234"
SUPERVISOR, SUPERVISOR_PIN = "samir", "4321"

PRODUCERS = [
    ("FAM-HALABI", "أسرة الحلبي"),
    ("CRAFT-ZAKI", "Zaki Mosaic Workshop"),
]
# code, name, price, producer, unit, barcode
PRODUCTS = [
    ("JAM-APR", "مربى المشمش", "15000", "FAM-HALABI", "piece", "6291001000010"),
    ("OLIVE-OIL", "زيت زيتون بكر", "60000", "FAM-HALABI", "kg", None),
    ("MOSAIC-BOX", "Mosaic box", "45000", "CRAFT-ZAKI", "piece", None),
    ("COASTER", "Mosaic coaster", "7500", "CRAFT-ZAKI", "piece", None),
]


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
        "POS_NOW": NOW,
        "POS_WINDOW_TIMEZONE": TZ,
        "POS_LOCALEDIR": LOCALEDIR,
        "CUPS_SERVER": os.path.join(tmp, "no-cupsd.sock"),
        "TERM": "screen",
    }
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    return env


class Tmux:
    """One private tmux server (its own socket name) running the UI."""

    def __init__(self, tmp, env):
        self.sock = "pos-tui-%d-%d" % (os.getpid(), int(time.time() * 1e6) % 10**9)
        self.tmp = tmp
        self.env = env
        self.started = False
        self.sent = 0       # keys sent: one per key name, one per character typed

    def tmux(self, *args, check=True):
        p = subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null"] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=self.env, timeout=scaled(30))
        if check and p.returncode != 0:
            raise AssertionError("tmux %s: %s" % (" ".join(args), p.stderr.decode()))
        return p.stdout.decode("utf-8", "replace")

    def start(self, command, width=80, height=24):
        self.tmux("new-session", "-d", "-x", str(width), "-y", str(height),
                  command)
        self.started = True
        # Keep the pane (and its last screen) if the program exits.
        self.tmux("set-option", "-g", "remain-on-exit", "on")

    def pane_pid(self):
        return int(self.tmux("display-message", "-p", "#{pane_pid}").strip())

    def dead(self):
        return self.tmux("display-message", "-p", "#{pane_dead}").strip() == "1"

    def keys(self, *keys):
        self.sent += len(keys)
        self.tmux("send-keys", *keys)

    def type(self, text):
        self.sent += len(text)
        self.tmux("send-keys", "-l", text)

    def screen(self):
        return self.tmux("capture-pane", "-p")

    def wait(self, pred, what, timeout=10.0):
        """Poll the screen until pred(screen) holds; fail at the deadline."""
        deadline = time.monotonic() + scaled(timeout)
        while True:
            s = self.screen()
            if pred(s):
                # A screen caught mid-redraw can already match: return
                # it only once two captures in a row agree.
                time.sleep(0.03)
                again = self.screen()
                if again == s:
                    return s
                continue
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for %s; screen:\n%s"
                                     % (what, s))
            time.sleep(0.02)

    def wait_text(self, text, timeout=10.0):
        return self.wait(lambda s: text in s, repr(text), timeout)

    def wait_gone(self, text, timeout=10.0):
        return self.wait(lambda s: text not in s, "no " + repr(text), timeout)

    def resize(self, width, height):
        self.tmux("resize-window", "-x", str(width), "-y", str(height))

    def size(self):
        out = self.tmux("display-message", "-p", "#{pane_width}x#{pane_height}")
        return out.strip()

    def kill(self):
        if self.started:
            self.tmux("kill-server", check=False)
            self.started = False


class TuiTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pos-tui-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.env = base_env(self.tmp)
        self.db = os.path.join(self.tmp, "window.db")
        self.t = Tmux(self.tmp, self.env)
        self.addCleanup(self.t.kill)

    def note(self, msg):
        print("    checked: " + msg, flush=True)

    def pos(self, args, stdin="", env=None, json_out=False):
        argv = [POS, "--db", self.db] + (["--json"] if json_out else []) + list(args)
        e = dict(self.env)
        e.update(env or {})
        p = subprocess.run(argv, input=stdin.encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=e, timeout=scaled(60),
                           cwd=self.tmp)
        self.assertEqual(p.returncode, 0, "pos %s: %s%s" % (
            " ".join(args), p.stdout.decode(), p.stderr.decode()))
        out = p.stdout.decode()
        return json.loads(out) if json_out else out

    def make_store(self, open_day=True):
        self.pos(["init", "--branch", "DMS01", "--terminal", "1",
                  "--name", "نافذة دمشق"])
        for code, name in PRODUCERS:
            self.pos(["producer", "add", code, name])
        for code, name, price, producer, unit, barcode in PRODUCTS:
            args = ["product", "add", code, name, price, "--producer", producer,
                    "--unit", unit]
            if barcode:
                args += ["--barcode", barcode]
            self.pos(args)
        self.pos(["user", "add", ATTENDANT, "--role", "attendant"],
                 stdin=ATTENDANT_PIN + "\n")
        self.pos(["user", "add", SUPERVISOR, "--role", "supervisor"],
                 stdin=SUPERVISOR_PIN + "\n")
        if open_day:
            self.pos(["day", "open", "--user", ATTENDANT, "--float", "100000"])

    def ui_command(self, extra_env=None):
        env = dict(extra_env or {})
        parts = ["env"] + ["%s=%s" % (k, v) for k, v in env.items()]
        return " ".join(parts + [POS, "--db", self.db])

    def start_ui(self, width=80, height=24, extra_env=None):
        self.t.start(self.ui_command(extra_env), width, height)
        return self.t.wait_text("F10/^X", timeout=15)

    def login(self, user=ATTENDANT, pin=ATTENDANT_PIN, extra_env=None):
        self.start_ui(extra_env=extra_env)
        self.t.sent = 0
        self.t.type(user)
        self.t.keys("Enter")
        self.t.type(pin)
        self.t.keys("Enter")
        return self.t.wait_text("Find:")

    def supervisor_pin(self, pin=SUPERVISOR_PIN):
        """Answer the supervisor prompt with the PIN alone."""
        self.t.wait_text("Supervisor PIN")
        self.t.type(pin)
        s = self.t.wait_text("*" * len(pin))
        self.assertNotIn(pin, s, "the PIN is masked")
        self.t.keys("Enter")


def main():
    global POS, LOCALEDIR
    if len(sys.argv) < 3:
        print("usage: %s /path/to/pos /path/to/localedir" % sys.argv[0])
        sys.exit(2)
    POS = os.path.abspath(sys.argv[1])
    LOCALEDIR = os.path.abspath(sys.argv[2])
    if shutil.which("tmux") is None:
        print("tmux is not installed (apt-get install tmux)")
        sys.exit(1)
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
