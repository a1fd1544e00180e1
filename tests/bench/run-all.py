#!/usr/bin/env python3
"""Every benchmark of the project, one after the other, and one table.

usage: run-all.py BUILD_DIR [--short] [--only P1,P5,...]

Runs, from a build tree:
  bench_window        P1 durable sale (API vs raw SQLite), P2 `pos sell`
                      process (vs sqlite3), P4 close of day, 10,000 sales
  bench_tui_search    P3 product search, 100,000 products, per keystroke
  receipt-render      P6 30-line Arabic receipt to ESC/POS raster, 576 dots
  bench_ingest        P5 central ingest, 20 branches (vs raw SQLite), and
                      P7 pos-central peak RSS under that load
  bench_ingest_pg.py  the same with the central store on PostgreSQL (a
                      private cluster), vs COPY of the same rows
  bench_tui_startup   P7 peak RSS of the TUI with 100,000 products (tmux)
  bench_central_reports.py  P11 the central reports on a year of data
                      (2,000,000 entries; --short 100,000), SQLite and PostgreSQL
  bench_office_pages.py P13 the office's today page and a producer's page
                      on P11's data set (median server time and KB without
                      fonts), and 200 concurrent producer-page requests
                      during P5's ingest (pos-central's RSS, the ingest
                      rate), SQLite and PostgreSQL
  bench_master_pull.py P12 a window's first master-data pull (100,000
                      products, 2,000 producers) and an incremental one,
                      from pos-central on SQLite and PostgreSQL
  bench_paper.py      P8 a sale committed in the terminal UI to the last
                      byte at a printer through cupsd (vs lp), P8b the
                      same from the start of a `pos sell` process, P9 length in mm of the demo's receipts
  bench_printer_app.py P10 `lp` of the demo receipt as PDF through
                      pos-printer-app to the last byte (vs a raw queue)

Each program measures its figures side by side with their baselines in
the same run and prints them as rows "Pn  figure  value  baseline  ratio
goal  met|MISSED" and notes "Pn: ..."; this collects the rows into one
table, with the machine's core count, the notes under it, and each
program's whole output in BUILD_DIR/bench-logs/. --short runs the short
versions (the ones CI runs). Exits 1 if a program broke (not when a goal
is missed: that is a figure, reported as MISSED).
"""

import os
import re
import subprocess
import sys
import time

# A row without a goal (a figure to watch) has "-" for baseline, ratio,
# goal and verdict.
ROW = re.compile(r"^(P\d+[a-z]?)\s+(.+?)\s+(-?[\d.]+)\s+(-?[\d.]+|-)\s+"
                 r"(-?[\d.]+x|-)\s+(\S+)\s+(met|MISSED|-)\s*$")
NOTE = re.compile(r"^(P\d+[a-z]?): (.*)$")


def programs(build, src, short):
    pos = os.path.join(build, "pos", "pos")
    central = os.path.join(build, "sync", "central", "pos-central")
    rb = os.path.join(build, "tests", "receipts", "receipt-render")
    spec = os.path.join(src, "tests", "receipts", "arabic30.spec")
    search = os.path.join(build, "tests", "tui", "bench_tui_search")
    quick = ["--short"] if short else []
    return [
        ("window", {"P1", "P2", "P4"},
         [os.path.join(build, "tests", "bench", "bench_window"), pos] + quick,
         None),
        ("search", {"P3"}, [search], None),
        ("receipt", {"P6"},
         [rb, "--bench", "50" if short else "200", "escpos-raster", "576"],
         spec),
        ("ingest", {"P5", "P7"},
         [os.path.join(build, "tests", "sync", "bench_ingest"), central] +
         quick, None),
        ("ingest-pg", {"P5", "P7"},
         [sys.executable, os.path.join(src, "tests", "sync",
                                       "bench_ingest_pg.py"),
          os.path.join(build, "tests", "sync", "bench_ingest"), central] +
         quick, None),
        ("reports", {"P11"},
         [sys.executable, os.path.join(src, "tests", "bench",
                                       "bench_central_reports.py"),
          central] + quick, None),
        ("office-pages", {"P13"},
         [sys.executable, os.path.join(src, "tests", "bench",
                                       "bench_office_pages.py"),
          central, "--ingest",
          os.path.join(build, "tests", "sync", "bench_ingest")] + quick,
         None),
        ("master-pull", {"P12"},
         [sys.executable, os.path.join(src, "tests", "bench",
                                       "bench_master_pull.py"), central,
          pos] + quick, None),
        ("paper", {"P8", "P9"},
         [sys.executable, os.path.join(src, "tests", "bench",
                                       "bench_paper.py"), pos, src] + quick,
         None),
        ("printer-app", {"P10"},
         [sys.executable, os.path.join(src, "tests", "bench",
                                       "bench_printer_app.py"), pos,
          os.path.join(build, "receipts", "pos-printer-app"), src] + quick,
         None),
        ("tui", {"P7"},
         [sys.executable,
          os.path.join(src, "tests", "tui", "bench_tui_startup.py"), pos,
          os.path.join(build, "locale"), search, "BenchTui.test_large_store"],
         None),
    ]


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        sys.stderr.write(__doc__)
        return 2
    build = os.path.abspath(argv[1])
    src = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    short = "--short" in argv[2:]
    only = None
    if "--only" in argv[2:]:
        i = argv.index("--only")
        if i + 1 >= len(argv):
            sys.stderr.write("run-all: --only needs a list, e.g. P1,P5\n")
            return 2
        only = set(argv[i + 1].split(","))
    logs = os.path.join(build, "bench-logs")
    os.makedirs(logs, exist_ok=True)
    env = dict(os.environ, LC_ALL="C.UTF-8")

    rows, notes, broken = [], [], []
    for name, ids, cmd, stdin in programs(build, src, short):
        if only is not None and not ids & only:
            continue
        t0 = time.monotonic()
        sys.stderr.write("run-all: %s ...\n" % name)
        with open(stdin) if stdin else open(os.devnull) as inp:
            p = subprocess.run(cmd, stdin=inp, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env,
                               cwd=build, text=True)
        out = p.stdout
        with open(os.path.join(logs, name + ".log"), "w") as f:
            f.write("$ %s\n%s\n--- stderr\n%s" % (" ".join(cmd), out,
                                                     p.stderr))
        found = 0
        for line in out.splitlines():
            m = ROW.match(line)
            if m and (only is None or m.group(1).rstrip("ab") in only):
                rows.append(m.groups())
                found += 1
                continue
            m = NOTE.match(line)
            if m and (only is None or m.group(1).rstrip("ab") in only):
                notes.append(line)
        sys.stderr.write("run-all: %s: %d rows in %.0f s\n"
                         % (name, found, time.monotonic() - t0))
        if p.returncode != 0 or found == 0:
            broken.append("%s (exit %d; see %s)" % (
                name, p.returncode, os.path.join(logs, name + ".log")))

    rows.sort(key=lambda r: (int(re.match(r"P(\d+)", r[0]).group(1)), r[0]))
    print("benchmarks%s on %d cores, %s" % (
        " (short)" if short else "", os.cpu_count() or 0,
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    head = ("", "figure", "value", "baseline", "ratio", "goal", "")
    fmt = "%-3s %-46s %10s %10s %8s  %-7s %s"
    print(fmt % head)
    for r in rows:
        print(fmt % r)
    print()
    for n in sorted(set(notes), key=notes.index):
        print(n)
    missed = [r for r in rows if r[6] == "MISSED"]
    met = [r for r in rows if r[6] == "met"]
    print("\n%d figures, %d met, %d missed, %d without a goal%s" % (
        len(rows), len(met), len(missed),
        len(rows) - len(met) - len(missed),
        "" if not broken else "; broken: " + ", ".join(broken)))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
