"""P13 (issue "Web pages for producers and the office", Performance): the
office's today page on a year of data, on both backends.

The data set is P11's (bench_central_reports.py, the same generator and
loader): ENTRIES sales over 80 chains, 365 days, 500 producers. A real
`pos-central serve` on 127.0.0.1:0, a user logged in through the real
login form, then GET /today?date=D 21 times over loopback; the figure is
the median time from sending the request to the last byte of the answer
(the server's time: the client is on the same machine), and the bytes
sent for the page (asked with Accept-Encoding: gzip, as browsers do) and
its style sheet (the font excluded, as the issue says).
Goals: <= 50 ms and <= 100 KB.

usage: bench_office_pages.py POS_CENTRAL [--short]
                             [--only sqlite|postgresql]
(--short: 100,000 entries instead of 2,000,000)
"""

import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "sync"))
import bench_central_reports as p11  # noqa: E402
import pgcluster  # noqa: E402

GOAL_MS = 50.0
GOAL_KB = 100.0
RUNS = 21
PASSWORD = "correct horse battery"


def row(figure, value, goal, unit):
    print("%-4s %-40s %10.1f %10.1f %7.2fx  %-8s %s" % (
        "P13", figure, value, goal, value / goal, "<=%d%s" % (goal, unit),
        "met" if value <= goal else "MISSED"), flush=True)


class Server:
    """pos-central serve on 127.0.0.1:0, stopped by its PID."""

    def __init__(self, central, db, tmp):
        self.err = open(os.path.join(tmp, "serve.err"), "w+")
        self.proc = subprocess.Popen(
            [central, "serve", "--db", db, "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=self.err, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"127\.0\.0\.1:(\d+)", line)
        if not m:
            self.stop()
            raise RuntimeError("pos-central serve said %r" % line)
        self.port = int(m.group(1))

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.headers, r.read()
        finally:
            conn.close()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.err.close()


def login(srv):
    st, hd, body = srv.request("GET", "/login")
    cookie = hd["Set-Cookie"].split(";")[0]
    csrf = re.search(rb'name="csrf" value="([0-9a-f]{64})"', body).group(1)
    st, hd, _ = srv.request("POST", "/login", urllib.parse.urlencode({
        "csrf": csrf.decode(), "user": "office", "password": PASSWORD}),
        {"Cookie": cookie,
         "Content-Type": "application/x-www-form-urlencoded"})
    if st != 303:
        raise RuntimeError("login: %d" % st)
    return hd["Set-Cookie"].split(";")[0]


def measure(central, db, tmp, backend):
    p = subprocess.run([central, "user", "add", "office", "--role", "office",
                        "--db", db], input=PASSWORD + "\n", text=True,
                       capture_output=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    srv = Server(central, db, tmp)
    try:
        cookie = login(srv)
        path = "/today?date=" + p11.DAY
        ms, size = [], 0
        for _ in range(RUNS):
            t0 = time.perf_counter()
            st, hd, body = srv.request("GET", path, headers={
                "Cookie": cookie, "Accept-Encoding": "gzip"})
            ms.append((time.perf_counter() - t0) * 1000)
            if st != 200:
                raise RuntimeError("%s: %d" % (path, st))
            size = len(body)
        gz = hd["Content-Encoding"] == "gzip"
        plain = len(srv.request("GET", path, headers={"Cookie": cookie})[2])
        _, _, css = srv.request("GET", "/static/office.css")
    finally:
        srv.stop()
    med = statistics.median(ms)
    kb = (size + len(css)) / 1024
    row("today page ms, %s" % backend, med, GOAL_MS, "ms")
    row("today page KB sent without fonts, %s" % backend, kb, GOAL_KB, "KB")
    print("P13: %s: /today?date=%s is %d bytes (%d chains, %d producers "
          "that day), sent as %d%s; the style sheet %d" % (
              backend, p11.DAY, plain, p11.CHAINS, p11.PRODUCERS, size,
              " (gzip)" if gz else "", len(css)), flush=True)


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    central = os.path.abspath(sys.argv[1])
    n = 100000 if "--short" in sys.argv[2:] else 2000000
    n -= n % p11.CHAINS
    only = (sys.argv[sys.argv.index("--only") + 1]
            if "--only" in sys.argv[2:-1] else None)
    tmp = tempfile.mkdtemp(prefix="pos-bench-office-")
    cl = None
    try:
        if only != "postgresql":
            path = os.path.join(tmp, "central.db")
            p11.load_sqlite(central, path, n, "P13")
            measure(central, path, tmp, "SQLite")
        if only != "sqlite":
            cl = pgcluster.Cluster(durable=True)
            uri, _, _ = p11.load_pg(central, cl, n, "P13")
            measure(central, uri, tmp, "PostgreSQL")
    finally:
        if cl is not None:
            cl.destroy()
        shutil.rmtree(tmp, True)
    print("P13: %d entries (P11's data set), %d producers; median of %d "
          "GETs of the today page over loopback, from the request sent to "
          "the last byte (ratio = median / goal)" % (n, p11.PRODUCERS, RUNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
