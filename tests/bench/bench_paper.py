#!/usr/bin/env python3
"""Time to paper, and how much paper: rows P8, P8b and P9 of the benchmark
table.

usage: bench_paper.py POS SRCDIR [--short]

All paper figures go through a private cupsd: a raw queue to a socket://
listener of ours on port 0, `escpos-raster`, 80 mm; the last byte is
stamped (time.monotonic()) as the listener receives it. The baseline is
`lp -o raw` sending the same bytes through the same queue, from its start
to the last byte. Medians.

P8 (goal <= 150 ms): the terminal UI (`pos`, run in tmux as in
tests/tui/tuiharness.py) logged in and left running; a sale of JAM-APR,
SOAP-LAUREL and BASKET rung up and paid exactly (F5, Enter), which commits
it and queues its receipt; the UI's background print worker prints it.
The figure runs from the commit to the last byte at the listener. The
commit moment is when the new sale row becomes visible in the store's
journal to a separate read-only SQLite connection polled about every
millisecond from the moment Enter is sent (so it is the commit as seen
after COMMIT returned, stamped up to ~1 ms late). One warm-up sale in the
same UI session is not counted (its figure is printed apart: it is the
session's first print); then 3 sales (--short) or 21.

P8b (no goal, a figure to watch): a sale rung up with `pos sell` on the
command line (it prints by itself after the commit), from the start of the
`pos sell` process (so it includes starting the program, loading
cairo/pango/CUPS and fontconfig, and the durable commit) to the last byte
of the receipt at the listener.

P9: the demo store's sale receipts (.ci/demo: the same catalogue, window
settings and sales) rendered to PNG by `pos receipt render`, at 80 and
58 mm: height in dots / 203 dpi, in mm. No goal: a figure to watch.

The cupsd recipe is tests/cupsharness.py's (shared/TESTING.md).
"""
import json
import os
import sqlite3
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import cupsharness  # noqa: E402
from testtime import scaled  # noqa: E402

GOAL_MS = 150.0


class Printer:
    """A raw-socket printer on 127.0.0.1:0 that notes when each job's last
    byte arrived (time.monotonic())."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.jobs = []          # (bytes, time of the last byte)
        self.cond = threading.Condition()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            data, last = bytearray(), None
            conn.settimeout(scaled(30))
            try:
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    last = time.monotonic()
                    data += chunk
            except OSError:
                pass
            conn.close()
            with self.cond:
                self.jobs.append((bytes(data), last))
                self.cond.notify_all()

    def wait(self, count, timeout=30):
        deadline = time.monotonic() + scaled(timeout)
        with self.cond:
            while len(self.jobs) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError("the printer got %d jobs of %d"
                                       % (len(self.jobs), count))
                self.cond.wait(left)
            return self.jobs[count - 1]

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def median(xs):
    s = sorted(xs)
    return s[len(s) // 2]


class Bench:

    def __init__(self, pos, src):
        self.pos_bin = pos
        self.src = src
        self.tmp = tempfile.mkdtemp(prefix="pos-bench-paper-")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "HOME": self.tmp, "XDG_CONFIG_HOME": self.tmp + "/config",
            "XDG_DATA_HOME": self.tmp + "/data",
            "POS_SYSTEM_CONFIG": self.tmp + "/none/pos.conf",
            "POS_WINDOW_TIMEZONE": "Asia/Damascus",
            "CUPS_SERVER": self.tmp + "/no-cupsd.sock",
        }

    def pos(self, db, args, stdin="", env=None):
        e = dict(self.env, **(env or {}))
        p = subprocess.run([self.pos_bin, "--db", db] + args,
                           input=stdin.encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=e,
                           timeout=scaled(60), cwd=self.tmp)
        if p.returncode != 0:
            raise RuntimeError("pos %s: exit %d: %s" % (
                " ".join(args), p.returncode, p.stderr.decode()))
        return p.stdout

    def demo_store(self, db, env=None):
        """The demo day of .ci/demo, up to its last sale."""
        demo = os.path.join(self.src, "config", "demo")
        self.pos(db, ["init", "--branch", "DMS01", "--terminal", "1",
                      "--name", "نافذة دمشق"], env=env)
        self.pos(db, ["import", "producers", demo + "/producers.csv"],
                 env=env)
        self.pos(db, ["import", "products", demo + "/products.csv"],
                 env=env)
        self.pos(db, ["user", "add", "rima", "--role", "attendant"],
                 "1234\n", env=env)
        self.pos(db, ["day", "open", "--user", "rima", "--float", "100000"],
                 env=env)
        sales = []
        for args in (["JAM-APR", "OLIVE-OIL*0.750", "SOAP-LAUREL",
                      "SOAP-LAUREL"],
                     ["6291001000027", "BASKET", "--pay", "card:20000",
                      "--pay", "cash:20000"],
                     ["ZAATAR*0.5", "EMB-CUSHION", "--discount", "2500",
                      "--pay", "cash:100000"],
                     ["MOSAIC-BOX"]):
            out = self.pos(db, ["--json", "sell", "--no-print", "--user",
                                "rima"] + args, env=env)
            sales.append(json.loads(out)["receipt"])
        return sales

    def lengths(self):
        env = {"POS_WINDOW_NAME": "نافذة بيع الأسر المنتجة",
               "POS_WINDOW_ADDRESS": "دمشق — Damascus",
               "POS_WINDOW_FOOTER": "شكراً لدعمكم الأسر المنتجة — Thank you"}
        db = os.path.join(self.tmp, "demo.db")
        rows = []
        for r in self.demo_store(db, env):
            for paper in ("80", "58"):
                png = self.pos(db, ["receipt", "render", r, "--format",
                                    "png"], env=dict(env,
                                                     POS_PRINTER_PAPER=paper))
                if png[:8] != b"\x89PNG\r\n\x1a\n":
                    raise RuntimeError("receipt render: not a PNG")
                w, h = struct.unpack(">II", png[16:24])
                rows.append((r, paper, w, h, h / 203.0 * 25.4))
        return rows

    def paper(self, runs):
        cups = cupsharness.PrivateCups()
        printer = Printer()
        try:
            cups.start()
            cups.raw_queue("receipt", printer.port)
            env = {"CUPS_SERVER": cups.sock, "POS_PRINTER_NAME": "receipt",
                   "POS_PRINTER_FORMAT": "escpos-raster",
                   "POS_PRINTER_PAPER": "80"}
            db = os.path.join(self.tmp, "paper.db")
            self.demo_store(db)
            sell, lp, bare = [], [], []
            argv = [self.pos_bin, "--db", db, "--json", "sell", "--user",
                    "rima", "JAM-APR", "SOAP-LAUREL", "BASKET"]
            blob = os.path.join(self.tmp, "receipt.bin")
            for i in range(runs):
                t0 = time.monotonic()
                p = subprocess.run(argv, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE,
                                   env=dict(self.env, **env),
                                   timeout=scaled(60), cwd=self.tmp)
                if p.returncode != 0:
                    raise RuntimeError("pos sell: %s" % p.stderr.decode())
                data, last = printer.wait(2 * i + 1)
                t1 = time.monotonic()
                subprocess.run(argv + ["--no-print"], env=dict(self.env,
                                                               **env),
                               stdout=subprocess.DEVNULL, check=True,
                               timeout=scaled(60), cwd=self.tmp)
                bare.append((time.monotonic() - t1) * 1000)
                sell.append((last - t0) * 1000)
                with open(blob, "wb") as f:
                    f.write(data)
                t0 = time.monotonic()
                subprocess.run([cupsharness.find("lp"), "-d", "receipt",
                                "-o", "raw", blob], env=cups.env,
                               stdout=subprocess.DEVNULL, check=True,
                               timeout=scaled(60))
                again, last = printer.wait(2 * i + 2)
                if again != data:
                    raise RuntimeError("lp: the printer got other bytes")
                lp.append((last - t0) * 1000)
            return sell, lp, bare, len(data)
        finally:
            printer.close()
            cups.cleanup()

    def tui(self, runs):
        """P8: sales in one running terminal UI; ms from the commit (the
        sale row visible to a reader) to the last byte at the printer."""
        cups = cupsharness.PrivateCups()
        printer = Printer()
        sock = "pos-bench-paper-%d" % os.getpid()
        tmux = ["tmux", "-L", sock, "-f", "/dev/null"]
        started = False

        def t(*args):
            subprocess.run(tmux + list(args), check=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=scaled(30))

        def screen():
            return subprocess.run(tmux + ["capture-pane", "-p"], check=True,
                                  stdout=subprocess.PIPE, timeout=scaled(30)
                                  ).stdout.decode("utf-8", "replace")

        def wait_text(text, timeout=15):
            deadline = time.monotonic() + scaled(timeout)
            while True:
                s = screen()
                if text in s:
                    return s
                if time.monotonic() > deadline:
                    raise RuntimeError("the UI never showed %r; screen:\n%s"
                                       % (text, s))
                time.sleep(0.01)

        try:
            cups.start()
            cups.raw_queue("receipt", printer.port)
            env = dict(self.env, CUPS_SERVER=cups.sock,
                       POS_PRINTER_NAME="receipt",
                       POS_PRINTER_FORMAT="escpos-raster",
                       POS_PRINTER_PAPER="80", TERM="screen")
            db = os.path.join(self.tmp, "tui.db")
            self.demo_store(db)
            cmd = " ".join(["env"] + ["%s='%s'" % kv for kv in env.items()]
                           + [self.pos_bin, "--db", db])
            t("new-session", "-d", "-x", "80", "-y", "24", cmd)
            started = True
            wait_text("F10/^X")
            t("send-keys", "-l", "rima")
            t("send-keys", "Enter")
            t("send-keys", "-l", "1234")
            t("send-keys", "Enter")
            wait_text("Find:")
            ro = sqlite3.connect("file:%s?mode=ro" % db, uri=True,
                                 isolation_level=None)
            q = "SELECT max(seq) FROM journal WHERE kind = 'sale'"
            times, data = [], None
            for i in range(runs + 1):
                before = ro.execute(q).fetchone()[0]
                for code, total in (("JAM-APR", "15,000"),
                                    ("SOAP-LAUREL", "23,000"),
                                    ("BASKET", "45,000")):
                    t("send-keys", "-l", code)
                    t("send-keys", "Enter")
                    wait_text("Total: " + total)
                t("send-keys", "F5")
                wait_text("Tendered:")
                t("send-keys", "Enter")
                deadline = time.monotonic() + scaled(15)
                while ro.execute(q).fetchone()[0] == before:
                    if time.monotonic() > deadline:
                        raise RuntimeError("the sale was never committed")
                    time.sleep(0.001)
                committed = time.monotonic()
                data, last = printer.wait(i + 1)
                if not data or last is None:
                    raise RuntimeError("the printer got an empty job")
                times.append((last - committed) * 1000)
                wait_text("saved")
            ro.close()
            blob = os.path.join(self.tmp, "tui-receipt.bin")
            with open(blob, "wb") as f:
                f.write(data)
            lp = []
            for i in range(runs):
                t0 = time.monotonic()
                subprocess.run([cupsharness.find("lp"), "-d", "receipt",
                                "-o", "raw", blob], env=cups.env,
                               stdout=subprocess.DEVNULL, check=True,
                               timeout=scaled(60))
                again, last = printer.wait(runs + 2 + i)
                if again != data:
                    raise RuntimeError("lp: the printer got other bytes")
                lp.append((last - t0) * 1000)
            return times[0], times[1:], lp, len(data)
        finally:
            if started:
                subprocess.run(tmux + ["kill-server"], timeout=scaled(30),
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            printer.close()
            cups.cleanup()

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    short = "--short" in argv[3:]
    runs = 3 if short else 21
    b = Bench(os.path.abspath(argv[1]), os.path.abspath(argv[2]))
    try:
        if cupsharness.find("cupsd") is None:
            print("P8: skipped: cupsd is not installed (Debian package cups)")
        elif shutil.which("tmux") is None:
            print("P8: skipped: tmux is not installed (Debian package tmux)")
        else:
            first, ui, lp, size = b.tui(runs)
            m, base = median(ui), median(lp)
            print("P8   ms UI sale commit to last byte at printer %7.1f "
                  "%12.1f %7.2fx  %-8s %s" % (
                      m, base, m / base, "<=150ms",
                      "met" if m <= GOAL_MS else "MISSED"))
            print("P8: the terminal UI in tmux, a sale paid exactly (F5, "
                  "Enter); from the commit (the sale row visible to a "
                  "read-only reader of the journal polled every ~1 ms) to "
                  "the last byte at a socket:// listener through a private "
                  "cupsd, raw queue, escpos-raster 80 mm, printed by the "
                  "UI's print worker; %d bytes; median of %d sales in one "
                  "UI session after a warm-up sale (%.0f ms, not counted); "
                  "baseline: `lp -o raw` of the same bytes, same queue; all "
                  "runs ms: %s; lp: %s" % (
                      size, runs, first, " ".join("%.0f" % x for x in ui),
                      " ".join("%.0f" % x for x in lp)))
        if cupsharness.find("cupsd") is not None:
            sell, lp, bare, size = b.paper(runs)
            m, base = median(sell), median(lp)
            print("P8b  ms CLI pos sell from process start to paper "
                  "%5.1f %12.1f %7.2fx  %-8s %s" % (
                      m, base, m / base, "-", "-"))
            print("P8b: `pos sell` (CLI, prints by itself after the commit; "
                  "from process start, so program start and the commit are "
                  "in) to the last byte at a socket:// listener through a "
                  "private cupsd, raw queue, escpos-raster 80 mm, %d bytes; "
                  "median of %d; baseline: `lp -o raw` of the same bytes, "
                  "same queue; all runs ms: %s; lp: %s; the same sale "
                  "with --no-print (start, commit, exit) takes %.1f ms, so "
                  "from the commit it is about %.0f ms" % (
                      size, runs, " ".join("%.0f" % x for x in sell),
                      " ".join("%.0f" % x for x in lp), median(bare),
                      m - median(bare)))
        for r, paper, w, h, mm in b.lengths():
            print("P9   mm receipt %s, %s mm %14.1f %10s %8s  %-8s %s" % (
                r, paper, mm, "-", "-", "-", "-"))
        print("P9: the demo store's sale receipts (.ci/demo) as `pos "
              "receipt render --format png` at 203 dpi: height / 203 x 25.4 "
              "mm, without the printer's feed and cut margins")
    finally:
        b.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
