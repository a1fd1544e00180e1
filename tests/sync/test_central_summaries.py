"""The central reports read summary tables kept at ingest; they must equal,
unit for unit, what the raw entries, lines and payments give on the same
store: sales, refunds, voids, payouts, discounts, a split payment, two
sessions on one date, dates in two months, a producer merge.

The raw figures are computed here with SQL over entries, lines and
payments (the reports' rules before the summaries existed); `verify`
makes the same comparison inside the store, finds a summary changed
behind its back, and an older store gets its summaries filled from the
entries it holds when it is next opened."""

import json
import os

import centralharness as h

KEYS = ("sold", "refunded", "net", "paid_out", "balance", "owed")
DAY2_NOW = "2026-04-01T09:00:00Z"
DAY2 = "2026-04-01"

# (from, to) of every period checked: one date, whole months, days around
# whole months, no month at all, everything.
PERIODS = [(h.DAY1, h.DAY1), ("2026-03-01", "2026-03-31"),
           ("2026-02-15", "2026-04-30"), ("2026-03-02", "2026-04-01"),
           ("2026-02-01", "2026-03-01"), (DAY2, DAY2),
           ("2026-01-01", "2026-12-31"), ("2026-03-02", "2026-03-30"),
           (None, None)]

NOT_VOIDED = ("NOT EXISTS (SELECT 1 FROM entries v WHERE v.kind = 'void'"
              " AND v.ref_uuid = j.uuid)")

# Per producer (merges applied) and currency: the period's sold, refunded,
# paid out and branches, and the all-time owed, from the raw rows.
RAW_PRODUCERS = """
WITH l0 AS (
  SELECT l.producer_code AS code, j.currency AS cur, j.decimals AS dec,
   j.business_date AS d, j.branch AS b,
   CASE WHEN j.kind = 'sale' THEN l.net ELSE 0 END AS sold,
   CASE WHEN j.kind = 'refund' THEN l.net ELSE 0 END AS refunded,
   0 AS paid
  FROM entries j JOIN lines l ON l.entry_id = j.id
  WHERE j.kind = 'refund' OR (j.kind = 'sale' AND %s)
  UNION ALL
  SELECT producer_code, currency, decimals, business_date, branch, 0, 0,
   amount FROM entries WHERE kind = 'payout' AND producer_code IS NOT NULL),
 l AS (SELECT coalesce(m.into_code, l0.code) AS code, cur, dec, d, b,
  sold, refunded, paid FROM l0 LEFT JOIN producer_merges m
  ON m.from_code = l0.code AND m.undone_at IS NULL)
SELECT code, cur,
 sum(CASE WHEN d BETWEEN '{f}' AND '{t}' THEN sold ELSE 0 END),
 sum(CASE WHEN d BETWEEN '{f}' AND '{t}' THEN refunded ELSE 0 END),
 sum(CASE WHEN d BETWEEN '{f}' AND '{t}' THEN paid ELSE 0 END),
 sum(sold - refunded - paid),
 count(DISTINCT CASE WHEN d BETWEEN '{f}' AND '{t}' THEN b END)
FROM l GROUP BY code, cur, dec ORDER BY code, cur
""" % NOT_VOIDED

# Per chain and date, the Z report figures, from the raw rows.
RAW_DAYS = """
WITH d AS (SELECT j.id, j.branch, j.terminal, j.business_date AS bd,
  j.kind, j.amount, j.total, j.discount, j.seq,
  (j.kind = 'sale' AND %s) AS live
  FROM entries j WHERE j.business_date BETWEEN '{f}' AND '{t}'),
 pay AS (SELECT d.branch, d.terminal, d.bd,
  sum(CASE WHEN p.method = 'cash' THEN CASE WHEN d.kind = 'sale'
   THEN p.amount ELSE -p.amount END ELSE 0 END) AS cash,
  sum(CASE WHEN p.method = 'card' THEN CASE WHEN d.kind = 'sale'
   THEN p.amount ELSE -p.amount END ELSE 0 END) AS card,
  sum(CASE WHEN p.method NOT IN ('cash', 'card') THEN
   CASE WHEN d.kind = 'sale' THEN p.amount ELSE -p.amount END
   ELSE 0 END) AS other
  FROM d JOIN payments p ON p.entry_id = d.id
  WHERE d.live OR d.kind = 'refund' GROUP BY d.branch, d.terminal, d.bd)
SELECT d.branch, d.terminal, d.bd,
 count(*) FILTER (WHERE d.kind = 'day_open'),
 count(*) FILTER (WHERE d.live),
 coalesce(sum(d.total + d.discount) FILTER (WHERE d.live), 0),
 coalesce(sum(d.discount) FILTER (WHERE d.live), 0),
 coalesce(sum(d.total) FILTER (WHERE d.kind = 'refund'), 0),
 count(*) FILTER (WHERE d.kind = 'void'),
 coalesce(sum(d.total) FILTER (WHERE d.kind = 'void'), 0),
 coalesce(sum(d.amount) FILTER (WHERE d.kind = 'payout'), 0),
 coalesce(sum(d.amount) FILTER (WHERE d.kind = 'cash_in'), 0),
 coalesce(sum(d.amount) FILTER (WHERE d.kind = 'day_open'), 0),
 count(*), min(d.seq), max(d.seq),
 coalesce(max(pay.cash), 0), coalesce(max(pay.card), 0),
 coalesce(max(pay.other), 0)
FROM d LEFT JOIN pay ON pay.branch = d.branch
 AND pay.terminal = d.terminal AND pay.bd = d.bd
GROUP BY d.branch, d.terminal, d.bd ORDER BY d.branch, d.terminal, d.bd
""" % NOT_VOIDED

DAY_KEYS = ("sessions", "sales_count", "gross", "discounts", "refunds",
            "voids", "voids_total", "payouts", "cash_in", "float",
            "entries", "first_seq", "last_seq")


class Summaries(h.CentralTestCase):

    def make_stores(self):
        sup = {"POS_PIN": h.SUPERVISOR_PIN}
        tokens = self.init_central(("DMS01", "HMS01"))
        d1 = self.make_window("d1", "DMS01", 1, variant=0)
        # A second session on the same date: a sale, voided, and one kept.
        self.pos(d1, ["day", "open", "--user", "ali", "--float", "2000"])
        s = self.pos(d1, ["sell", "--user", "ali", "--no-print", "P2*2"],
                     json_out=True)
        self.pos(d1, ["void", s["receipt"], "--user", "sam", "--reason",
                      "x", "--no-print"], env=sup)
        self.pos(d1, ["sell", "--user", "ali", "--no-print", "P1*3",
                      "--discount", "200"])
        self.pos(d1, ["day", "close", "--user", "sam", "--counted", "6300",
                      "--no-print"], env=sup)
        d2 = self.make_window("d2", "DMS01", 2, variant=1)
        # A date in the next month: a sale, a refund, a payout.
        later = dict(sup, POS_NOW=DAY2_NOW)
        self.pos(d2, ["day", "open", "--user", "ali", "--float", "0"],
                 env=later)
        s = self.pos(d2, ["sell", "--user", "ali", "--no-print", "P1*4",
                          "P2*0.5", "--pay", "card:2000",
                          "--pay", "cash:8800"], env=later,
                     json_out=True)
        self.pos(d2, ["refund", s["receipt"], "P1*1", "--user", "sam",
                      "--no-print"], env=later)
        self.pos(d2, ["payout", "F11", "700", "--user", "sam",
                      "--no-print"], env=later)
        h1 = self.make_window("h1", "HMS01", 1, variant=2, close=False)
        # The centre's clock on the later date, so none is ahead of it.
        self.env["POS_NOW"] = DAY2_NOW
        srv = self.serve()
        for b, w in (("DMS01", d1), ("DMS01", d2), ("HMS01", h1)):
            st, ans = self.post(srv, tokens[b], self.dump(w))
            self.assertEqual(st, 200, ans)
            self.assertFalse(ans.get("rejected"), ans)
        self.stop_server(srv)
        self.env["POS_NOW"] = h.DAY1_NOW
        return tokens

    def setUp(self):
        super().setUp()
        self.tokens = self.made_once(
            self.make_stores, ["central.db", "d1.db", "d2.db", "h1.db"])

    def raw_producers(self, f, t):
        rows = self.sql(RAW_PRODUCERS.format(f=f or "0000-01-01",
                                             t=t or "9999-12-31"))
        out = {}
        for code, _cur, sold, ref, paid, owed, branches in rows:
            sold, ref, paid, owed = (int(x) for x in (sold, ref, paid, owed))
            out[code] = {"sold": sold, "refunded": ref, "net": sold - ref,
                         "paid_out": paid, "balance": sold - ref - paid,
                         "owed": max(owed, 0), "owes_window": max(-owed, 0),
                         "branches": int(branches)}
        return out

    def check_producers(self, f, t):
        args = [] if f is None else ["--from", f, "--to", t]
        r = self.central(["report", "producers"] + args, json_out=True)
        got = {}
        for p in r["producers"]:
            got[p["code"]] = {k: int(p[k]) for k in KEYS + ("owes_window",)}
            got[p["code"]]["branches"] = p["branches"]
            w = p["windows"]
            # The windows add up to the producer, unit for unit.
            self.assertEqual(sum(int(x["net"]) for x in w), int(p["net"]))
            self.assertEqual(sum(int(x["paid_out"]) for x in w),
                             int(p["paid_out"]))
            self.assertEqual(sum(int(x["owed"]) - int(x["owes_window"])
                                 for x in w),
                             int(p["owed"]) - int(p["owes_window"]))
            self.assertEqual([(x["branch"], x["terminal"]) for x in w],
                             sorted((x["branch"], x["terminal"]) for x in w))
        self.assertEqual(got, self.raw_producers(f, t), (f, t))
        # One producer alone (the producer's page reads it so): its rows
        # of the whole report exactly, and none for a code merged away.
        codes = {c for (c,) in self.sql("SELECT DISTINCT producer_code"
                                        " FROM lines")} | set(got)
        for code in sorted(codes):
            one = self.central(["report", "producers", "--producer", code]
                               + args, json_out=True)
            self.assertEqual(one["producers"],
                             [p for p in r["producers"] if p["code"] == code],
                             (code, f, t))
        return r

    def check_days(self, f, t):
        r = self.central(["report", "days", "--from", f, "--to", t],
                         json_out=True)
        got = [(d["branch"], d["terminal"], d["date"])
               + tuple(int(d[k]) for k in DAY_KEYS)
               + tuple(int(d["by_method"][m]) for m in
                       ("cash", "card", "other"))
               for d in r["days"]]
        raw = [(b, int(t_), d) + tuple(int(x) for x in rest)
               for b, t_, d, *rest in self.sql(RAW_DAYS.format(f=f, t=t))]
        self.assertEqual(got, raw, (f, t))
        self.assertTrue(got, (f, t))
        return r

    def check_all(self):
        for f, t in PERIODS:
            self.check_producers(f, t)
        for f, t in ((h.DAY1, h.DAY1), ("2026-01-01", "2026-12-31"),
                     (DAY2, DAY2)):
            self.check_days(f, t)
        v = self.central(["verify"], json_out=True)
        self.assertTrue(v["ok"], v)
        want = {"ok": True, "sum_days": 0, "sum_producer_days": 0,
                "sum_producer_months": 0, "sum_producer_all": 0}
        if self.pg:
            # The products per window-day are kept on PostgreSQL only.
            want["sum_producer_products"] = 0
        self.assertEqual(v["summaries"], want)

    def test_reports_equal_the_raw_rows(self):
        self.check_all()
        r = self.check_producers(None, None)
        self.assertEqual(len(r["producers"]), 2)
        self.assertTrue(any(len(p["windows"]) == 3 for p in r["producers"]))
        days = self.check_days("2026-01-01", "2026-12-31")["days"]
        self.assertEqual([d["sessions"] for d in days
                          if d["branch"] == "DMS01" and d["terminal"] == 1],
                         [2])
        # A chain's days: those of the period asked, else all of them.
        one = self.central(["report", "days", "--date", h.DAY1],
                           json_out=True)
        every = self.central(["report", "days"], json_out=True)
        d1 = [c for c in every["chains"]
              if (c["branch"], c["terminal"]) == ("DMS01", 2)][0]
        self.assertEqual([d["date"] for d in d1["days"]], [h.DAY1, DAY2])
        for c in one["chains"]:
            self.assertEqual([d["date"] for d in c["days"]], [h.DAY1])
        self.note("report producers over %d periods and report days equal "
                  "the raw rows; windows add up; verify ok" % len(PERIODS))

    def test_merge_applies_to_the_summaries(self):
        self.central(["producer", "add", "F07", "Hama Bakery"])
        self.central(["producer", "merge", "F11", "F07"])
        r = self.check_producers(None, None)
        self.assertEqual([p["code"] for p in r["producers"]], ["F07"])
        self.assertEqual(r["producers"][0]["name"], "Hama Bakery")
        self.check_all()
        self.central(["producer", "unmerge", "F11"])
        self.assertEqual(len(self.check_producers(None, None)["producers"]),
                         2)
        self.note("merge and unmerge: summaries counted as INTO, equal to "
                  "the raw rows")

    def test_later_batches_keep_them_exact(self):
        """Entries stored after the first batch (a void of an earlier
        sale, a refund, a payout, a new session) move the summaries of
        the dates they touch."""
        sup = {"POS_PIN": h.SUPERVISOR_PIN}
        h1 = os.path.join(self.tmp, "h1.db")
        head = self.window_head(h1)["entries"]
        s = self.pos(h1, ["sell", "--user", "ali", "--no-print", "P1*7",
                          "--pay", "card:3000", "--pay", "cash:7500"],
                     json_out=True)
        self.pos(h1, ["refund", s["receipt"], "P1*2", "--user", "sam",
                      "--no-print"], env=sup)
        # A sale of the first batch, voided in this one.
        first = self.sql("SELECT receipt FROM entries WHERE branch = 'HMS01'"
                         " AND kind = 'sale' AND NOT EXISTS (SELECT 1 FROM"
                         " entries v WHERE v.ref_uuid = entries.uuid)"
                         " ORDER BY seq")[0][0]
        self.pos(h1, ["void", first, "--user", "sam", "--reason",
                      "x", "--no-print"], env=sup)
        self.pos(h1, ["payout", "F07", "100", "--user", "sam",
                      "--no-print"], env=sup)
        self.pos(h1, ["day", "close", "--user", "sam", "--counted", "1",
                      "--no-print"], env=sup)
        before = self.check_producers(None, None)
        srv = self.serve()
        st, ans = self.post(srv, self.tokens["HMS01"],
                            self.dump(h1, first=head + 1))
        self.assertEqual(st, 200, ans)
        self.stop_server(srv)
        after = self.check_producers(None, None)
        self.assertNotEqual(before, after)
        self.check_all()
        self.note("a later batch with a refund, a void, a payout and a "
                  "close: summaries still equal the raw rows")

    def test_verify_finds_a_wrong_summary(self):
        self.sql("UPDATE sum_producer_days SET sold = sold + 1"
                 " WHERE business_date = '%s' AND producer_code = 'F07'"
                 " AND branch = 'HMS01'" % h.DAY1)
        self.sql("UPDATE sum_days SET gross = gross - 1"
                 " WHERE business_date = '%s' AND branch = 'DMS01'"
                 " AND terminal = 2" % h.DAY1)
        if self.pg:
            self.sql(None, "UPDATE sum_producer_products SET qty_sold ="
                     " qty_sold + 1 WHERE business_date = '%s' AND"
                     " producer_code = 'F07' AND branch = 'HMS01'" % h.DAY1)
        out, err = self.central(["verify"], rc_want=1)
        # A changed row is one missing and one wrong: two differences.
        self.assertIn("sum_producer_days: 2 rows differ", out)
        if self.pg:
            self.assertIn("sum_producer_products: 2 rows differ", out)
        self.assertIn("sum_days: 2 rows differ", out)
        self.assertNotIn("sum_producer_months:", out)
        self.assertIn("summary", err)
        out, _ = self.central(["verify", "--json"], rc_want=1)
        v = json.loads(out)
        self.assertFalse(v["ok"])
        self.assertEqual(v["summaries"]["sum_producer_days"], 2)
        self.assertTrue(all(c["ok"] for c in v["chains"]))
        self.note("verify: a changed summary row found (exit 1)")

    def test_all_rows_in_one_statement(self):
        """PostgreSQL keeps the summaries by statement triggers: the store's
        rows copied into a new store with one INSERT per table (every entry
        at once: sales with the voids that name them, then every line, then
        every payment) give the same summaries, whatever order the
        triggers fire in. (SQLite keeps them in the store's own insert
        path: rows put in by hand are not summarised, and verify says so.)"""
        src = self.cdb
        periods = [(None, None), (h.DAY1, h.DAY1), (DAY2, DAY2)]
        want = [self.central(["report", "producers"] + (
                    ["--from", f, "--to", t] if f else []), json_out=True)
                for f, t in periods]
        want_days = self.central(["report", "days", "--from", "2026-01-01",
                                  "--to", "2026-12-31"], json_out=True)["days"]
        self.assertIn(("void",), self.sql("SELECT kind FROM entries"))
        src_db = getattr(self, "pgdb", None)
        self.cdb = self.fresh_cdb("copy.db")
        self.central(["init"])
        tables = ("branches", "chains", "entries", "lines", "payments")
        if self.pg:
            c = h.pgcluster.cluster()
            for t in tables:
                rows = "|".join(c.psql(
                    src_db, "SELECT coalesce(jsonb_agg(x), '[]')"
                    " FROM %s x" % t)[0])
                over = " OVERRIDING SYSTEM VALUE" if t == "entries" else ""
                self.sql(None, "INSERT INTO %s%s SELECT * FROM"
                         " jsonb_populate_recordset(NULL::%s, $j$%s$j$)"
                         % (t, over, t, rows))
        else:
            self.sql("ATTACH DATABASE '%s' AS src; " % src + "; ".join(
                "INSERT INTO main.%s SELECT * FROM src.%s" % (t, t)
                for t in tables))
            out, _ = self.central(["verify"], rc_want=1)
            self.assertIn("sum_days:", out)
            self.note("SQLite: rows inserted by hand are not summarised; "
                      "verify finds it")
            return
        got = [self.central(["report", "producers"] + (
                   ["--from", f, "--to", t] if f else []), json_out=True)
               for f, t in periods]
        self.assertEqual(got, want)
        self.assertEqual(self.central(["report", "days", "--from",
                                       "2026-01-01", "--to", "2026-12-31"],
                                      json_out=True)["days"], want_days)
        self.check_all()
        self.note("every row in one statement per table: the same reports, "
                  "summaries equal to the raw rows")

    def test_an_older_store_gets_its_summaries(self):
        want = {(f, t): self.check_producers(f, t) for f, t in PERIODS}
        if self.pg:
            latest = self.sql(None, "SELECT max(version) FROM cstore_schema")
            self.sql(None, "DROP TRIGGER sum_entry ON entries;"
                     " DROP TRIGGER sum_line ON lines;"
                     " DROP TRIGGER sum_payment ON payments;"
                     " DROP FUNCTION sum_entry(); DROP FUNCTION sum_line();"
                     " DROP FUNCTION sum_payment();"
                     " DROP VIEW raw_sum_days;"
                     " DROP VIEW raw_sum_producer_days;"
                     " DROP TABLE sum_days, sum_producer_days,"
                     " sum_producer_months, sum_producer_all,"
                     " sum_producer_names;"
                     " DROP TABLE producer_links;"
                     " DROP INDEX lines_producer_products;"
                     " CREATE INDEX lines_producer ON lines(producer_code);"
                     " DROP VIEW raw_sum_producer_products;"
                     " DROP TABLE sum_producer_products;"
                     # The summaries' migration, the links', the indexes',
                     # the products' summary's.
                     " DELETE FROM cstore_schema WHERE version >= (SELECT"
                     " max(version) - 3 FROM cstore_schema)")
        else:
            latest = self.sql("PRAGMA user_version")
            self.sql("DROP VIEW raw_sum_days; DROP VIEW raw_sum_producer_days;"
                     " DROP TABLE sum_days; DROP TABLE sum_producer_days;"
                     " DROP TABLE sum_producer_months;"
                     " DROP TABLE sum_producer_all;"
                     " DROP TABLE sum_producer_names;"
                     " DROP TABLE producer_links;"
                     " DROP INDEX lines_producer_products;"
                     " CREATE INDEX lines_producer ON lines(producer_code);"
                     # Before the summaries' migration, the links', the
                     # indexes'.
                     " PRAGMA user_version = %d" % (latest[0][0] - 3))
        # The next open (any command) upgrades the store and fills them.
        self.central(["branch", "list"])
        got = {(f, t): self.check_producers(f, t) for f, t in PERIODS}
        self.assertEqual(got, want)
        self.check_all()
        if self.pg:
            self.assertEqual(self.sql(None, "SELECT max(version) FROM"
                                      " cstore_schema"), latest)
        else:
            self.assertEqual(self.sql("PRAGMA user_version"), latest)
        self.note("an older store: summaries filled from its entries on "
                  "open; reports unchanged; verify ok")


if __name__ == "__main__":
    h.main()
