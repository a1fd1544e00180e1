"""P11 (issue "The central store on PostgreSQL", P8): the central office's
reports on a year of data, on both backends.

A year of journals: ENTRIES sales with 3 lines each over 40 branches x 2
terminals, 365 business days and 500 producers, loaded straight into the
tables by SQL (the reports read rows, not hashes), once as a SQLite file and
once in a private PostgreSQL cluster (tests/sync/pgcluster.py). The
summary tables the reports read are built the way production builds them
for a store that holds entries already: the store is made by `pos-central
init`, taken back to the schema before the summaries (their tables,
views and triggers dropped, the version lowered by one), the raw rows are
loaded, and the next `pos-central` run migrates it, filling the summaries
from the entries (the backfill, timed). Then the real `pos-central report
producers --from D1 --to D2` (one month) and `report days --date D`, each
run 5 times; the median wall time of the process is the figure.
Goal: <= 100 ms each.

usage: bench_central_reports.py POS_CENTRAL [--short]
                                [--only sqlite|postgresql]
(--short: 100,000 entries instead of 2,000,000)
"""

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "sync"))
import pgcluster  # noqa: E402

CHAINS = 80             # 40 branches x 2 terminals
PRODUCERS = 500
GOAL_MS = 100.0
FROM, TO, DAY = "2025-06-01", "2025-06-30", "2025-06-15"

# One generator for both: row x of entries is chain x % 80, seq x / 80 + 1,
# its business day spread evenly over 2025.
SQLITE_LOAD = """
WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x + 1 < {n})
INSERT INTO entries (id, uuid, branch, terminal, seq, kind, receipt,
  created_at, business_date, user, currency, decimals, amount, total,
  discount, paid, change, prev_hash, hash, received_at)
SELECT x + 1, printf('%08x-0000-4000-8000-%012x', x % 80, x), printf('B%02d', x % 80 / 2),
  x % 80 % 2 + 1, x / 80 + 1, 'sale', 'r' || x,
  date('2025-01-01', '+' || ((x / 80) * 365 / ({n} / 80)) || ' days') || 'T10:00:00Z',
  date('2025-01-01', '+' || ((x / 80) * 365 / ({n} / 80)) || ' days'),
  'u', 'SYP', 0, 0, 3000, 0, 3000, 0, '', '', '2026-01-01T00:00:00Z'
FROM c;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 2)
INSERT INTO lines (entry_id, line_no, product_code, product_name,
  producer_code, producer_name, unit, qty, unit_price, total, discount, net)
SELECT id, i, 'P1', 'p', printf('F%03d', (id * 3 + i) % 500), 'f', 'piece',
  1000, 1000, 1000, 0, 1000 FROM entries, k;
INSERT INTO chains SELECT branch, terminal, max(seq), '', min(received_at),
  max(received_at) FROM entries GROUP BY branch, terminal;
"""

PG_LOAD = """
INSERT INTO chains SELECT 'B' || lpad((c / 2)::text, 2, '0'), c % 2 + 1,
  {n} / 80, '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
  FROM generate_series(0, 79) c;
INSERT INTO entries (uuid, branch, terminal, seq, kind, receipt,
  created_at, business_date, "user", currency, decimals, amount, total,
  discount, paid, change, prev_hash, hash, received_at)
SELECT lpad(to_hex(x % 80), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(x), 12, '0'),
  'B' || lpad((x % 80 / 2)::text, 2, '0'), x % 80 % 2 + 1, x / 80 + 1,
  'sale', 'r' || x,
  to_char(date '2025-01-01' + ((x / 80) * 365 / ({n} / 80))::int, 'YYYY-MM-DD') || 'T10:00:00Z',
  to_char(date '2025-01-01' + ((x / 80) * 365 / ({n} / 80))::int, 'YYYY-MM-DD'),
  'u', 'SYP', 0, 0, 3000, 0, 3000, 0, '', '', '2026-01-01T00:00:00Z'
FROM generate_series(0, {n} - 1) x;
INSERT INTO lines (entry_id, line_no, product_code, product_name,
  producer_code, producer_name, unit, qty, unit_price, total, discount, net)
SELECT id, i, 'P1', 'p', 'F' || lpad(((id * 3 + i) % 500)::text, 3, '0'), 'f',
  'piece', 1000, 1000, 1000, 0, 1000 FROM entries, generate_series(0, 2) i;
ANALYZE;
"""


# The summaries' objects, and those of the one migration after them (the
# producers' links), dropped to make a store of the schema before them.
# Migrations after the tables the data is loaded into (on PostgreSQL one
# more: the products' summary).
LATER_MIGRATIONS = 3
PG_LATER_MIGRATIONS = 4
SQLITE_STRIP = """
DROP TABLE producer_links;
DROP INDEX lines_producer_products;
CREATE INDEX lines_producer ON lines(producer_code);
DROP VIEW raw_sum_days; DROP VIEW raw_sum_producer_days;
DROP TABLE sum_days; DROP TABLE sum_producer_days;
DROP TABLE sum_producer_months; DROP TABLE sum_producer_all;
DROP TABLE sum_producer_names;
"""
PG_STRIP = """
DROP VIEW raw_sum_producer_products; DROP TABLE sum_producer_products;
DROP TABLE producer_links;
DROP INDEX lines_producer_products;
CREATE INDEX lines_producer ON lines(producer_code);
DROP TRIGGER sum_entry ON entries; DROP TRIGGER sum_line ON lines;
DROP TRIGGER sum_payment ON payments;
DROP FUNCTION sum_entry(); DROP FUNCTION sum_line();
DROP FUNCTION sum_payment();
DROP VIEW raw_sum_days; DROP VIEW raw_sum_producer_days;
DROP TABLE sum_days, sum_producer_days, sum_producer_months,
  sum_producer_all, sum_producer_names;
DELETE FROM cstore_schema
  WHERE version > (SELECT max(version) FROM cstore_schema) - %d;
""" % PG_LATER_MIGRATIONS

SERVED_BY = {
    "producers": "sum_producer_months (whole months; sum_producer_days for "
                 "the days around them) + sum_producer_all (owed), by "
                 "their primary keys",
    "days": "sum_days: primary key (branch, terminal, business_date) for "
            "each chain's days, index sum_days_date for the date's money",
}


class Skip(Exception):
    """The backend not asked for (--only)."""


def branches_sql(ph):
    return ("INSERT INTO branches (code, name, token_hash, created_at)"
            " VALUES (%s, NULL, %s, '2025-01-01T00:00:00Z')" % (ph, ph))


def load_sqlite(central, path, n, tag="P11"):
    """A year of n entries in a new SQLite store at path, its summaries
    filled by the migration; (load seconds, fill seconds). Also used by
    bench_office_pages.py."""
    subprocess.run([central, "init", "--db", path], check=True,
                   stdout=subprocess.DEVNULL)
    con = sqlite3.connect(path)
    version = con.execute("PRAGMA user_version").fetchone()[0]
    con.executescript(SQLITE_STRIP + "PRAGMA user_version = %d;"
                      % (version - LATER_MIGRATIONS))
    t0 = time.perf_counter()
    con.executemany(branches_sql("?"), [
        ("B%02d" % b, os.urandom(32)) for b in range(CHAINS // 2)])
    con.executescript("BEGIN;" + SQLITE_LOAD.format(n=n) + "COMMIT;"
                      "ANALYZE;")
    con.close()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([central, "branch", "list", "--db", path], check=True,
                   stdout=subprocess.DEVNULL)
    fill_s = time.perf_counter() - t0
    print("%s: SQLite: %d entries, %d lines loaded in %.1f s; the "
          "migration filled the summaries in %.1f s"
          % (tag, n, 3 * n, load_s, fill_s), flush=True)
    return load_s, fill_s


def load_pg(central, cl, n, tag="P11"):
    """The same in a new database of the cluster cl; (its URI, load
    seconds, fill seconds)."""
    dbname = cl.new_database()
    uri = cl.uri(dbname)
    subprocess.run([central, "init", "--db", uri], check=True,
                   stdout=subprocess.DEVNULL)
    cl.psql(dbname, PG_STRIP)
    t0 = time.perf_counter()
    cl.psql(dbname,
            "INSERT INTO branches (code, name, token_hash, created_at)"
            " SELECT 'B' || lpad(b::text, 2, '0'), NULL,"
            " decode(md5(b::text) || md5(b::text), 'hex'),"
            " '2025-01-01T00:00:00Z' FROM generate_series(0, %d) b;"
            % (CHAINS // 2 - 1) + PG_LOAD.format(n=n), timeout=7200)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([central, "branch", "list", "--db", uri], check=True,
                   stdout=subprocess.DEVNULL)
    fill_s = time.perf_counter() - t0
    cl.psql(dbname, "ANALYZE", timeout=600)
    print("%s: PostgreSQL: %d entries, %d lines loaded in %.1f s; the "
          "migration filled the summaries in %.1f s"
          % (tag, n, 3 * n, load_s, fill_s), flush=True)
    return uri, load_s, fill_s


def time_report(central, db, args, runs=5):
    ms = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run([central] + args + ["--db", db, "--json"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        ms.append((time.perf_counter() - t0) * 1000)
        if p.returncode != 0:
            raise RuntimeError("%s: %s" % (args, p.stderr.decode()))
    return statistics.median(ms), p.stdout


def row(name, figure, value):
    print("%-4s %-40s %10.1f %10.1f %7.2fx  %-8s %s" % (
        name, figure, value, GOAL_MS, value / GOAL_MS, "<=100ms",
        "met" if value <= GOAL_MS else "MISSED"), flush=True)


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    central = os.path.abspath(sys.argv[1])
    n = 100000 if "--short" in sys.argv[2:] else 2000000
    n -= n % CHAINS
    tmp = tempfile.mkdtemp(prefix="pos-bench-reports-")
    results, outputs, loads = [], {}, []
    cl = None
    reports = (("producers", ["report", "producers", "--from", FROM,
                              "--to", TO]),
               ("days", ["report", "days", "--date", DAY]))
    only = (sys.argv[sys.argv.index("--only") + 1]
            if "--only" in sys.argv[2:-1] else None)
    try:
        # SQLite
        path = os.path.join(tmp, "central.db")
        if only == "postgresql":
            subprocess.run([central, "init", "--db", path], check=True,
                           stdout=subprocess.DEVNULL)
            raise Skip()
        load_s, fill_s = load_sqlite(central, path, n)
        loads.append(("SQLite", load_s, fill_s))
        for what, args in reports:
            ms, out = time_report(central, path, args)
            results.append(("SQLite", what, ms))
            outputs[("SQLite", what)] = out
            row("P11", "report %s ms, SQLite" % what, ms)
    except Skip:
        pass
    try:
        if only == "sqlite":
            raise Skip()
        # PostgreSQL
        cl = pgcluster.Cluster(durable=True)
        uri, load_s, fill_s = load_pg(central, cl, n)
        loads.append(("PostgreSQL", load_s, fill_s))
        for what, args in reports:
            ms, out = time_report(central, uri, args)
            results.append(("PostgreSQL", what, ms))
            outputs[("PostgreSQL", what)] = out
            row("P11", "report %s ms, PostgreSQL" % what, ms)
    except Skip:
        pass
    finally:
        if cl is not None:
            cl.destroy()
        shutil.rmtree(tmp, True)

    same = only is not None or all(
        outputs[("SQLite", w)] == outputs[("PostgreSQL", w)]
        for w, _ in reports)
    print("cores: %d" % os.cpu_count())
    for backend, what, ms in results:
        row("P11", "report %s ms, %s" % (
            "producers 1 month" if what == "producers" else "days",
            backend), ms)
    for what, _ in reports:
        print("P11: report %s reads %s" % (what, SERVED_BY[what]))
    print("P11: %d entries (3 lines each), %d chains, 365 days, %d "
          "producers; median of 5 runs of the pos-central process "
          "(ratio = median / goal); the two backends' JSON %s; summaries "
          "filled by the migration of an older store: %s"
          % (n, CHAINS, PRODUCERS, "not compared (--only)" if only else
             "identical" if same else "DIFFER",
             ", ".join("%s %.1f s" % (b, f) for b, _, f in loads)))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
