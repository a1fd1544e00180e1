"""P13 (issue "Web pages for producers and the office", Performance): the
office's today page and a producer's page on a year of data, on both
backends, and pos-central under 200 concurrent producer-page requests.

The data set is P11's (bench_central_reports.py, the same generator and
loader): ENTRIES sales over 80 chains, 365 days, 500 producers. A real
`pos-central serve` on 127.0.0.1:0, a user logged in through the real
login form, then GET /today?date=D 21 times over loopback; the figure is
the median time from sending the request to the last byte of the answer
(the server's time: the client is on the same machine), and the bytes
sent for the page (asked with Accept-Encoding: gzip, as browsers do) and
its style sheet (the font excluded, as the issue says).
Goals: <= 50 ms and <= 100 KB.

The producer page the same way: producer PRODUCER (one of the data set's,
registered with `pos-central producer add`, its link from `pos-central
producer link`), GET /p/<token>?from=&to= for a month of the data set
(the page's own default is the server's today, week and month, past the
data set's year: mostly zeros) and GET /p/<token> as the link is; the
bytes are the page's and the style sheets it links.

With --ingest BENCH_INGEST (tests/sync/bench_ingest), then, on the same
store: P5's central ingest (20 branches over loopback, vs raw SQLite /
COPY) once alone and once while PAGE_CLIENTS connections keep asking for
the producer page (a libcurl multi handle in bench_ingest, every request
in flight the whole time). Figures: pos-central's peak RSS under that
load (VmHWM, and the most VmRSS read every 20 ms), goal <= 64 MB; the
ingest rate under the load against its baseline, P5's goal >= 0.5x; and
the rate beside the one without the load. Under the load the branches
get at most 20 s (--short) or 60 s, then the rate is of what was accepted
(bench_ingest --page-seconds); a page the server does not answer is
counted and printed, not a break.

usage: bench_office_pages.py POS_CENTRAL [--short] [--ingest BENCH_INGEST]
                             [--only sqlite|postgresql]
(--short: 100,000 entries instead of 2,000,000, and an ingest of 50,000
entries instead of 100,000)
"""

import gzip
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
PRODUCER = "F007"       # one of the data set's 500 (F000..F499)
PAGE_CLIENTS = 200
GOAL_RSS_MB = 64.0
GOAL_INGEST = 0.5       # P5: central ingest >= 0.5x its baseline


def row(figure, value, goal, unit):
    print("%-4s %-40s %10.1f %10.1f %7.2fx  %-8s %s" % (
        "P13", figure, value, goal, value / goal, "<=%d%s" % (goal, unit),
        "met" if value <= goal else "MISSED"), flush=True)


def row_at_least(figure, value, base, ratio, goal):
    """A rate beside its baseline; met when ratio >= goal (or no goal)."""
    print("%-4s %-40s %10.1f %10.1f %7.2fx  %-8s %s" % (
        "P13", figure, value, base, ratio,
        ">=%gx" % goal if goal is not None else "-",
        "-" if goal is None else "met" if ratio >= goal else "MISSED"),
        flush=True)


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


def run(cmd, stdin=None):
    p = subprocess.run(cmd, input=stdin, text=True, capture_output=True)
    if p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), p.stderr))
    return p.stdout


def timed_gets(srv, path, headers):
    """RUNS GETs of path: (median ms, the last answer's headers, body)."""
    ms = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        st, hd, body = srv.request("GET", path, headers=headers)
        ms.append((time.perf_counter() - t0) * 1000)
        if st != 200:
            raise RuntimeError("%s: %d %r" % (path, st, body[:200]))
    return statistics.median(ms), hd, body


def producer_page(srv, token, backend, query, what):
    """The producer page at /p/<token><query>: its rows and a note."""
    path = "/p/" + token + query
    med, hd, body = timed_gets(srv, path, {"Accept-Encoding": "gzip"})
    gz = hd["Content-Encoding"] == "gzip"
    html = gzip.decompress(body) if gz else body
    if PRODUCER.encode() not in html:
        raise RuntimeError("%s: the page does not name %s" % (path,
                                                              PRODUCER))
    sheets = re.findall(rb'<link rel="stylesheet" href="(/[^"]+)"', html)
    if not sheets:
        raise RuntimeError("%s: no style sheet linked" % path)
    css = 0
    for href in sheets:
        st, _, b = srv.request("GET", href.decode())
        if st != 200:
            raise RuntimeError("%s: %d" % (href, st))
        css += len(b)
    kb = (len(body) + css) / 1024
    row("producer page %s ms, %s" % (what, backend), med, GOAL_MS, "ms")
    row("producer page %s KB (no fonts), %s" % (what, backend), kb,
        GOAL_KB, "KB")
    print("P13: %s: the producer page %s is %d bytes, sent as %d%s; its "
          "style sheet%s %d" % (
              backend, "/p/<token>" + query, len(html), len(body),
              " (gzip)" if gz else "", "s" if len(sheets) > 1 else "",
              css), flush=True)


INGEST_ROW = re.compile(r"^P5\s+entries/s \(.*?\)\s+([\d.]+)\s+([\d.]+)\s+"
                        r"([\d.]+)x")
PAGES_LINE = re.compile(r"^pages: (.*)$")


def ingest(bench, central, db, raw, args, first_branch, pages=None,
           page_seconds=None):
    """One bench_ingest run on db: (entries/s, baseline entries/s, ratio,
    the pages: line's figures or None)."""
    cmd = [bench, central, "--db", db, "--keep-store", "--first-branch",
           str(first_branch)] + args
    if raw is not None:
        cmd += ["--raw-db", raw]
    if pages is not None:
        cmd += ["--pages", pages, "--page-clients", str(PAGE_CLIENTS),
                "--page-seconds", str(page_seconds)]
    t0 = time.monotonic()
    p = subprocess.run(cmd, text=True, capture_output=True)
    sys.stderr.write("bench_office_pages: bench_ingest%s: %.1f s\n" % (
        " with the page load" if pages else "", time.monotonic() - t0))
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d\n%s%s" % (" ".join(cmd), p.returncode,
                                                p.stdout, p.stderr))
    rate = fig = None
    for line in p.stdout.splitlines():
        m = INGEST_ROW.match(line)
        if m:
            rate = tuple(float(x) for x in m.groups())
        m = PAGES_LINE.match(line)
        if m:
            fig = dict(kv.split("=", 1) for kv in m.group(1).split())
    if rate is None or (pages is not None and fig is None):
        raise RuntimeError("bench_ingest said:\n" + p.stdout)
    return rate + (fig,)


def under_load(bench, central, db, raws, args, page, backend, seconds):
    """Ingest alone, then under PAGE_CLIENTS producer-page requests (the
    ingest given up to seconds, then its rate is what got in)."""
    e0, b0, r0, _ = ingest(bench, central, db, raws[0], args, 0)
    e1, b1, r1, f = ingest(bench, central, db, raws[1], args, 20, page,
                           seconds)
    hwm = int(f["hwm_kb"]) / 1024
    row("%d producer pages: RSS MB, %s" % (PAGE_CLIENTS, backend),
        max(hwm, int(f["rss_max_kb"]) / 1024), GOAL_RSS_MB, "MB")
    row_at_least("ingest e/s alone (vs base), %s" % backend, e0, b0, r0,
                 GOAL_INGEST)
    row_at_least("ingest e/s, %d pages (vs base), %s" % (
        PAGE_CLIENTS, backend), e1, b1, r1, GOAL_INGEST)
    row_at_least("ingest e/s, %d pages (vs alone), %s" % (
        PAGE_CLIENTS, backend), e1, e0, e1 / e0 if e0 > 0 else 0, None)
    print("P13: %s: %s connections asking for the producer page (most %s "
          "in flight at once) while 20 branches pushed (bench_ingest%s): "
          "%s pages answered during the ingest, median %s ms (p95 %s) "
          "each, %s bytes; pos-central's VmHWM %.1f MB, its VmRSS at most "
          "%.1f MB in %s readings; ingest %.0f entries/s under the load, "
          "%.0f alone, baseline %s %.0f and %.0f" % (
              backend, f["clients"], f["most_in_flight"],
              "".join(" " + a for a in args),
              f["during_ingest"], f["median_ms"], f["p95_ms"],
              f["bytes_each"], hwm, int(f["rss_max_kb"]) / 1024,
              f["rss_samples"], e1, e0,
              "COPY" if raws[0] else "raw SQLite", b0, b1), flush=True)
    print("P13: %s: under the page load %s of %s entries accepted%s; %s "
          "dropped connections (or 429s) the branches tried again; %s page "
          "requests not answered 200" % (
              backend, f["ingest_accepted"], f["ingest_sent"],
              "" if f["ingest_late"] == "0" else
              " (%s branches stopped at the %d s limit, %s batches given "
              "up on in flight)" % (f["ingest_late"], seconds,
                                    f["ingest_aborted"]),
              f["ingest_dropped"], f["not_ok"]), flush=True)
    print("P13: %s: pos-central %s %s s after SIGTERM, the page load "
          "stopped" % (backend, "was killed, not stopped," if
                       f["killed"] == "1" else "stopped", f["stop_s"]),
          flush=True)


def measure(central, db, tmp, backend, bench=None, raws=(None, None),
            args=(), seconds=60):
    run([central, "user", "add", "office", "--role", "office", "--db", db],
        PASSWORD + "\n")
    run([central, "producer", "add", PRODUCER, "Bench farm", "--db", db])
    link = run([central, "producer", "link", PRODUCER, "--db", db]).strip()
    m = re.search(r"/p/([0-9a-f]{64})$", link)
    if not m:
        raise RuntimeError("producer link said %r" % link)
    token = m.group(1)
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
        med = statistics.median(ms)
        kb = (size + len(css)) / 1024
        row("today page ms, %s" % backend, med, GOAL_MS, "ms")
        row("today page KB sent without fonts, %s" % backend, kb, GOAL_KB,
            "KB")
        print("P13: %s: /today?date=%s is %d bytes (%d chains, %d producers "
              "that day), sent as %d%s; the style sheet %d" % (
                  backend, p11.DAY, plain, p11.CHAINS, p11.PRODUCERS, size,
                  " (gzip)" if gz else "", len(css)), flush=True)
        month = "?from=%s&to=%s" % (p11.FROM, p11.TO)
        producer_page(srv, token, backend, month, "month")
        producer_page(srv, token, backend, "", "link")
    finally:
        srv.stop()
    if bench is not None:
        under_load(bench, central, db, raws, list(args),
                   "/p/" + token + month, backend, seconds)


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    central = os.path.abspath(sys.argv[1])
    n = 100000 if "--short" in sys.argv[2:] else 2000000
    n -= n % p11.CHAINS
    only = (sys.argv[sys.argv.index("--only") + 1]
            if "--only" in sys.argv[2:-1] else None)
    bench = (os.path.abspath(sys.argv[sys.argv.index("--ingest") + 1])
             if "--ingest" in sys.argv[2:-1] else None)
    # P5's ingest (--short: 50,000 entries, else 100,000); the one under
    # the page load given at most seconds.
    short = "--short" in sys.argv[2:]
    args = ["--batches", "5"] if short else []
    seconds = 20 if short else 60
    tmp = tempfile.mkdtemp(prefix="pos-bench-office-")
    # No system configuration; the producers' links from this one.
    os.environ.update({
        "POS_CENTRAL_SYSTEM_CONFIG": "",
        "POS_CENTRAL_CENTRAL_PUBLIC_URL": "http://pos-central.example/",
        "POS_CENTRAL_CENTRAL_LINK_KEY": os.path.join(tmp, "link.key")})
    cl = None
    try:
        if only != "postgresql":
            path = os.path.join(tmp, "central.db")
            p11.load_sqlite(central, path, n, "P13")
            measure(central, path, tmp, "SQLite", bench, args=args,
                    seconds=seconds)
        if only != "sqlite":
            cl = pgcluster.Cluster(durable=True)
            uri, _, _ = p11.load_pg(central, cl, n, "P13")
            raws = None
            if bench is not None:
                raws = (cl.uri(cl.new_database()), cl.uri(cl.new_database()))
            measure(central, uri, tmp, "PostgreSQL", bench, raws, args,
                    seconds)
    finally:
        if cl is not None:
            cl.destroy()
        shutil.rmtree(tmp, True)
    print("P13: %d entries (P11's data set), %d producers; median of %d "
          "GETs of each page over loopback, from the request sent to "
          "the last byte (ratio = median / goal); producer %s's page"
          % (n, p11.PRODUCERS, RUNS, PRODUCER))
    return 0


if __name__ == "__main__":
    sys.exit(main())
