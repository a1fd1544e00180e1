#!/usr/bin/env python3
"""Time to paper, and how much paper: rows P8 and P9 of the benchmark table.

usage: bench_paper.py POS SRCDIR [--short]

P8: a sale rung up with `pos sell` on the command line (it prints by
itself after the commit) through a private cupsd: a raw queue to a
socket:// listener of ours on port 0, `escpos-raster`, 80 mm. The figure
runs from the start of the `pos sell` process (so it includes starting
the program and the durable commit, P2's 9 ms or so) to the last byte of
the receipt at the listener; the baseline is `lp -o raw` sending the same
bytes through the same queue, from its start to the last byte. Median.

P9: the demo store's sale receipts (.ci/demo: the same catalogue, window
settings and sales) rendered to PNG by `pos receipt render`, at 80 and
58 mm: height in dots / 203 dpi, in mm. No goal: a figure to watch.

The cupsd recipe is tests/cupsharness.py's (shared/TESTING.md).
"""
import json
import os
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
        else:
            sell, lp, bare, size = b.paper(runs)
            m, base = median(sell), median(lp)
            print("P8   ms sale to last byte at printer, pos sell %9.1f "
                  "%12.1f %7.2fx  %-8s %s" % (
                      m, base, m / base, "<=150ms",
                      "met" if m <= GOAL_MS else "MISSED"))
            print("P8: `pos sell` (CLI, prints by itself after the commit; "
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
