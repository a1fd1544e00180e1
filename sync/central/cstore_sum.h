/*
 * The central store's summary tables: their SQL shared by both backends
 * (only for cstore_sqlite.c and cstore_pg.c). Every text here is plain SQL
 * that SQLite 3.40 and PostgreSQL 15 both read.
 *
 * sum_days                one row per chain and business date: the
 *                         window's Z report in money (`report days`,
 *                         cstore_days_chains, cstore_day_money)
 * sum_producer_days       per business date, chain, producer, currency:
 *                         sold, refunded, paid out, and n, the lines and
 *                         payouts counted in it
 * sum_producer_months     the same per month ("YYYY-MM")
 * sum_producer_all        the same over all time (what is owed)
 * sum_producer_names      per chain and producer code, the name on the
 *                         most recently created entry naming it there
 *                         (per chain, so that two servers storing two
 *                         chains never wait on one row)
 *
 * They change in the transaction that stores an entry: on PostgreSQL by
 * statement triggers on entries, lines and payments (cstore_pg.c), on
 * SQLite in the store's insert path, added up in C per batch
 * (cstore_sqlite.c). A sale adds, a void takes its sale away again (once,
 * however many voids name it; a sale stored after a void naming it never
 * counts), a refund subtracts on its own date. The raw_ views compute the
 * same rows from the entries, lines and payments: the migration fills the
 * tables from them, and `verify` compares the two.
 */
#ifndef POS_CSTORE_SUM_H
#define POS_CSTORE_SUM_H

#define SUM_NOT_VOIDED(j) "NOT EXISTS (SELECT 1 FROM entries v" \
	" WHERE v.kind = 'void' AND v.ref_uuid = " j ".uuid)"

/*
 * One producer (cstore_report_producer): the codes that count as code
 * (parameter N; P the backend's placeholder, "?" or "$"): code itself
 * unless it is merged into another, and every code merged into it.
 */
#define SUM_ONE_CODES(P, N) \
	"WITH m AS (SELECT from_code, into_code FROM producer_merges" \
	"  WHERE undone_at IS NULL)," \
	" c AS (SELECT CAST(" P N " AS TEXT) AS code WHERE NOT EXISTS" \
	"  (SELECT 1 FROM m WHERE from_code = CAST(" P N " AS TEXT))" \
	"  UNION ALL SELECT from_code FROM m" \
	"  WHERE into_code = CAST(" P N " AS TEXT))"
/*
 * One producer's products over a period ($1 code, $2 from, $3 to), as
 * the producers report counts its sales and refunds, merges applied, each
 * named as sum_producer_products names it: SQLite's, from the producer's
 * lines, by the index that holds what is summed (a CROSS JOIN keeps that
 * order).
 */
#define SUM_PRODUCER_PRODUCTS SUM_ONE_CODES("$", "1") \
	" SELECT l.product_code, max(l.product_name), j.currency, j.decimals," \
	" CAST(sum(CASE WHEN j.live THEN l.qty ELSE 0 END) AS BIGINT)," \
	" CAST(sum(CASE WHEN j.live THEN l.net ELSE 0 END) AS BIGINT)," \
	" CAST(sum(CASE WHEN j.kind = 'refund' THEN l.net ELSE 0 END)" \
	"  AS BIGINT)" \
	" FROM lines l CROSS JOIN (SELECT e.id, e.kind, e.business_date," \
	"  e.currency, e.decimals, (e.kind = 'sale' AND " SUM_NOT_VOIDED("e") \
	"  ) AS live FROM entries e) AS j" \
	" WHERE j.id = l.entry_id AND l.producer_code IN (SELECT code FROM c)" \
	" AND j.business_date >= $2 AND j.business_date <= $3" \
	" AND j.kind IN ('sale', 'refund')" \
	" GROUP BY l.product_code, j.currency, j.decimals" \
	" HAVING sum(CASE WHEN j.live OR j.kind = 'refund' THEN 1 ELSE 0 END)" \
	"  > 0 ORDER BY l.product_code, j.currency"

#define SUM_ONE_ROWS(t, p, where) " SELECT currency, decimals, branch," \
	" terminal, sold, refunded, paid_out, n, " p " AS p FROM " t \
	" WHERE producer_code IN (SELECT code FROM c)" where
/*
 * As the every-producer report's rows (code 7, the period's spans 1 to 6),
 * for the one producer, by the summaries' producer_code indexes.
 */
#define SUM_ONE_PRODUCER(P) SUM_ONE_CODES(P, "7") \
	" SELECT CAST(" P "7 AS TEXT), currency, decimals, branch, terminal," \
	" sold, refunded, paid_out, n, p FROM (" \
	SUM_ONE_ROWS("sum_producer_all", "0", "") " UNION ALL" \
	SUM_ONE_ROWS("sum_producer_months", "1", \
	    " AND month BETWEEN " P "3 AND " P "4") " UNION ALL" \
	SUM_ONE_ROWS("sum_producer_days", "1", \
	    " AND business_date BETWEEN " P "1 AND " P "2") " UNION ALL" \
	SUM_ONE_ROWS("sum_producer_days", "1", \
	    " AND business_date BETWEEN " P "5 AND " P "6") ") AS x"
/* Its name, as the report's: registered, else on the latest entry. */
#define SUM_ONE_NAME(P) SUM_ONE_CODES(P, "1") \
	" SELECT coalesce(r.name, s.name) FROM (SELECT name" \
	"  FROM sum_producer_names WHERE producer_code IN (SELECT code FROM c)" \
	"  ORDER BY created_at DESC LIMIT 1) AS s" \
	" LEFT JOIN producers r ON r.code = CAST(" P "1 AS TEXT)"
/* Its figures per date of [2, 3] (cstore_producer_days). */
#define SUM_ONE_DAYS(P) SUM_ONE_CODES(P, "1") \
	" SELECT business_date, currency, decimals," \
	" CAST(sum(sold) AS BIGINT), CAST(sum(refunded) AS BIGINT)," \
	" CAST(sum(paid_out) AS BIGINT) FROM sum_producer_days" \
	" WHERE producer_code IN (SELECT code FROM c)" \
	" AND business_date BETWEEN " P "2 AND " P "3" \
	" GROUP BY business_date, currency, decimals"
/* The indexes that serve them (a migration on both backends). */
#define SUM_CODE_INDEXES \
	"CREATE INDEX sum_producer_days_code" \
	" ON sum_producer_days (producer_code, business_date);" \
	"CREATE INDEX sum_producer_months_code" \
	" ON sum_producer_months (producer_code, month);" \
	"CREATE INDEX sum_producer_all_code ON sum_producer_all (producer_code);" \
	"CREATE INDEX sum_producer_names_code" \
	" ON sum_producer_names (producer_code, created_at);"

/*
 * Chains' days in a span (cstore_days_chains): the dates of [1, 2], each
 * chain's last date and its last up to 3 (P the placeholder, "?" or "$");
 * the backend orders them chain by chain.
 */
#define SUM_DAYS_LAST(cond) " UNION SELECT d.branch, d.terminal," \
	" d.business_date, d.open_min, CASE WHEN d.close_max > d.open_max" \
	" THEN d.close_max ELSE 0 END, d.entries, d.sessions FROM chains c" \
	" JOIN sum_days d ON d.branch = c.branch AND d.terminal = c.terminal" \
	" AND d.business_date = (SELECT max(x.business_date) FROM sum_days x" \
	" WHERE x.branch = c.branch AND x.terminal = c.terminal" cond ")"
#define SUM_DAYS_SPAN(P) "SELECT * FROM (SELECT branch, terminal," \
	" business_date, open_min, CASE WHEN close_max > open_max" \
	" THEN close_max ELSE 0 END AS close_seq, entries, sessions" \
	" FROM sum_days WHERE business_date BETWEEN " P "1 AND " P "2" \
	SUM_DAYS_LAST("") SUM_DAYS_LAST(" AND x.business_date <= " P "3") \
	") AS u"

#define SUM_DAYS_KEY	"branch, terminal, business_date"
#define SUM_DAYS_COLS	SUM_DAYS_KEY ", currency, decimals, entries," \
	" first_seq, last_seq, sessions, closes, open_min, open_max," \
	" close_max, sales_count, gross, discounts, refunds, refunds_count," \
	" voids, voids_total, cash, card, other, payouts, cash_in, cash_out," \
	" float_amount, counted_cash"

#define SUM_PDAYS_KEY	"business_date, branch, terminal, producer_code," \
	" currency, decimals"
#define SUM_PMONTHS_KEY	"month, branch, terminal, producer_code," \
	" currency, decimals"
#define SUM_PALL_KEY	"branch, terminal, producer_code, currency, decimals"
#define SUM_PVALS	"sold, refunded, paid_out, n"
#define SUM_NAMES_KEY	"branch, terminal, producer_code"
#define SUM_NAMES_COLS	SUM_NAMES_KEY ", name, created_at"
/*
 * One producer's products per window-day (kept on PostgreSQL only, where
 * reading them from the lines would fetch every line's entry; SQLite reads
 * its lines by a covering index): sale lines of sales no void names and
 * refund lines add, n counts them; name is the greatest on any sale's or
 * refund's line of the row (a void does not take it back).
 */
#define SUM_PPROD_KEY	"producer_code, business_date, branch, terminal," \
	" product_code, currency, decimals"
#define SUM_PPROD_VALS	"qty_sold, sold, refunded, n, name"
#define SUM_RAW_PPROD_VIEW \
	"CREATE VIEW raw_sum_producer_products (" SUM_PPROD_KEY ", " \
	SUM_PPROD_VALS ") AS SELECT l.producer_code, j.business_date," \
	" j.branch, j.terminal, l.product_code, j.currency, j.decimals," \
	" CAST(sum(CASE WHEN j.live THEN l.qty ELSE 0 END) AS BIGINT)," \
	" CAST(sum(CASE WHEN j.live THEN l.net ELSE 0 END) AS BIGINT)," \
	" CAST(sum(CASE WHEN j.kind = 'refund' THEN l.net ELSE 0 END)" \
	"  AS BIGINT)," \
	" CAST(sum(CASE WHEN j.live OR j.kind = 'refund' THEN 1 ELSE 0 END)" \
	"  AS BIGINT), max(l.product_name)" \
	" FROM (SELECT e.id, e.business_date, e.branch, e.terminal," \
	"  e.currency, e.decimals, e.kind, (e.kind = 'sale' AND " \
	SUM_NOT_VOIDED("e") ") AS live FROM entries e" \
	"  WHERE e.kind IN ('sale', 'refund')) AS j" \
	" JOIN lines l ON l.entry_id = j.id GROUP BY 1, 2, 3, 4, 5, 6, 7;"
#define SUM_FILL_PPROD \
	"INSERT INTO sum_producer_products (" SUM_PPROD_KEY ", " \
	SUM_PPROD_VALS ") SELECT " SUM_PPROD_KEY ", " SUM_PPROD_VALS \
	" FROM raw_sum_producer_products;"

/* Every window-day from the raw rows, in SUM_DAYS_COLS order. */
#define SUM_RAW_DAYS_VIEW \
	"CREATE VIEW raw_sum_days (" SUM_DAYS_COLS ") AS" \
	" WITH d AS (SELECT j.id, j.branch, j.terminal, j.business_date AS bd," \
	"  j.kind, j.amount, j.total, j.discount, j.seq, j.currency," \
	"  j.decimals, (j.kind = 'sale' AND " SUM_NOT_VOIDED("j") ") AS live" \
	"  FROM entries j)," \
	" pay AS (SELECT d.branch, d.terminal, d.bd," \
	"  sum(CASE WHEN p.method = 'cash' THEN CASE WHEN d.kind = 'sale'" \
	"   THEN p.amount ELSE -p.amount END ELSE 0 END) AS cash," \
	"  sum(CASE WHEN p.method = 'card' THEN CASE WHEN d.kind = 'sale'" \
	"   THEN p.amount ELSE -p.amount END ELSE 0 END) AS card," \
	"  sum(CASE WHEN p.method NOT IN ('cash', 'card') THEN" \
	"   CASE WHEN d.kind = 'sale' THEN p.amount ELSE -p.amount END" \
	"   ELSE 0 END) AS other" \
	"  FROM d JOIN payments p ON p.entry_id = d.id" \
	"  WHERE d.live OR d.kind = 'refund' GROUP BY d.branch, d.terminal, d.bd)" \
	" SELECT d.branch, d.terminal, d.bd, max(d.currency), max(d.decimals)," \
	"  count(*), min(d.seq), max(d.seq)," \
	"  count(*) FILTER (WHERE d.kind = 'day_open')," \
	"  count(*) FILTER (WHERE d.kind = 'day_close')," \
	"  coalesce(min(d.seq) FILTER (WHERE d.kind = 'day_open'), 0)," \
	"  coalesce(max(d.seq) FILTER (WHERE d.kind = 'day_open'), 0)," \
	"  coalesce(max(d.seq) FILTER (WHERE d.kind = 'day_close'), 0)," \
	"  count(*) FILTER (WHERE d.live)," \
	"  CAST(coalesce(sum(d.total + d.discount) FILTER (WHERE d.live), 0)" \
	"   AS BIGINT)," \
	"  CAST(coalesce(sum(d.discount) FILTER (WHERE d.live), 0) AS BIGINT)," \
	"  CAST(coalesce(sum(d.total) FILTER (WHERE d.kind = 'refund'), 0)" \
	"   AS BIGINT)," \
	"  count(*) FILTER (WHERE d.kind = 'refund')," \
	"  count(*) FILTER (WHERE d.kind = 'void')," \
	"  CAST(coalesce(sum(d.total) FILTER (WHERE d.kind = 'void'), 0)" \
	"   AS BIGINT)," \
	"  CAST(coalesce(max(pay.cash), 0) AS BIGINT)," \
	"  CAST(coalesce(max(pay.card), 0) AS BIGINT)," \
	"  CAST(coalesce(max(pay.other), 0) AS BIGINT)," \
	"  CAST(coalesce(sum(d.amount) FILTER (WHERE d.kind = 'payout'), 0)" \
	"   AS BIGINT)," \
	"  CAST(coalesce(sum(d.amount) FILTER (WHERE d.kind = 'cash_in'), 0)" \
	"   AS BIGINT)," \
	"  CAST(coalesce(sum(d.amount) FILTER (WHERE d.kind = 'cash_out'), 0)" \
	"   AS BIGINT)," \
	"  CAST(coalesce(sum(d.amount) FILTER (WHERE d.kind = 'day_open'), 0)" \
	"   AS BIGINT)," \
	"  CAST(coalesce(sum(d.amount) FILTER (WHERE d.kind = 'day_close'), 0)" \
	"   AS BIGINT)" \
	" FROM d LEFT JOIN pay ON pay.branch = d.branch" \
	"  AND pay.terminal = d.terminal AND pay.bd = d.bd" \
	" GROUP BY d.branch, d.terminal, d.bd;"

/*
 * Every producer-day from the raw rows: sale lines of sales no void
 * names, refund lines, payouts naming a producer.
 */
#define SUM_RAW_PDAYS_VIEW \
	"CREATE VIEW raw_sum_producer_days (" SUM_PDAYS_KEY ", " SUM_PVALS \
	") AS WITH l0 AS (" \
	"  SELECT j.business_date AS d, j.branch AS b, j.terminal AS t," \
	"   l.producer_code AS code, j.currency AS cur, j.decimals AS dec," \
	"   CASE WHEN j.kind = 'sale' THEN l.net ELSE 0 END AS sold," \
	"   CASE WHEN j.kind = 'refund' THEN l.net ELSE 0 END AS refunded," \
	"   0 AS paid" \
	"  FROM entries j JOIN lines l ON l.entry_id = j.id" \
	"  WHERE j.kind = 'refund' OR (j.kind = 'sale' AND " \
	SUM_NOT_VOIDED("j") ")" \
	"  UNION ALL" \
	"  SELECT business_date, branch, terminal, producer_code, currency," \
	"   decimals, 0, 0, amount FROM entries" \
	"  WHERE kind = 'payout' AND producer_code IS NOT NULL)" \
	" SELECT d, b, t, code, cur, dec, CAST(sum(sold) AS BIGINT)," \
	"  CAST(sum(refunded) AS BIGINT), CAST(sum(paid) AS BIGINT), count(*)" \
	" FROM l0 GROUP BY d, b, t, code, cur, dec;"

/*
 * The names: per code, the one on the most recently created entry naming
 * it (a sale's or refund's line, a payout), the first stored of equals.
 */
#define SUM_FILL_NAMES \
	"INSERT INTO sum_producer_names (" SUM_NAMES_COLS ")" \
	" SELECT b, t, code, name, ts FROM (SELECT b, t, code, name, ts," \
	"  row_number() OVER (PARTITION BY b, t, code ORDER BY ts DESC, o1, o2)" \
	"  AS r FROM (SELECT j.branch AS b, j.terminal AS t," \
	"   l.producer_code AS code, l.producer_name AS name," \
	"   j.created_at AS ts, j.id AS o1, l.line_no AS o2" \
	"   FROM entries j JOIN lines l ON l.entry_id = j.id" \
	"   WHERE j.kind IN ('sale', 'refund')" \
	"  UNION ALL SELECT branch, terminal, producer_code, producer_name," \
	"   created_at, id, -1" \
	"   FROM entries WHERE kind = 'payout' AND producer_code IS NOT NULL)" \
	"  AS u) AS x WHERE r = 1;"

/* The backfill, and `verify`'s comparison, of the tables from the views. */
#define SUM_FILL \
	"INSERT INTO sum_days (" SUM_DAYS_COLS ")" \
	" SELECT " SUM_DAYS_COLS " FROM raw_sum_days;" \
	"INSERT INTO sum_producer_days (" SUM_PDAYS_KEY ", " SUM_PVALS ")" \
	" SELECT " SUM_PDAYS_KEY ", " SUM_PVALS " FROM raw_sum_producer_days;" \
	"INSERT INTO sum_producer_months (" SUM_PMONTHS_KEY ", " SUM_PVALS ")" \
	" SELECT " SUM_MONTH_AGG " FROM sum_producer_days" \
	" GROUP BY 1, 2, 3, 4, 5, 6;" \
	"INSERT INTO sum_producer_all (" SUM_PALL_KEY ", " SUM_PVALS ")" \
	" SELECT " SUM_ALL_AGG " FROM sum_producer_days" \
	" GROUP BY 1, 2, 3, 4, 5;" SUM_FILL_NAMES

#define SUM_MONTH_AGG "substr(business_date, 1, 7), branch, terminal," \
	" producer_code, currency, decimals, CAST(sum(sold) AS BIGINT)," \
	" CAST(sum(refunded) AS BIGINT), CAST(sum(paid_out) AS BIGINT)," \
	" CAST(sum(n) AS BIGINT)"
#define SUM_ALL_AGG "branch, terminal, producer_code, currency, decimals," \
	" CAST(sum(sold) AS BIGINT), CAST(sum(refunded) AS BIGINT)," \
	" CAST(sum(paid_out) AS BIGINT), CAST(sum(n) AS BIGINT)"

/* A producer row that counts: any line or payout left in it. */
#define SUM_LIVE	" WHERE n <> 0 OR sold <> 0 OR refunded <> 0" \
	" OR paid_out <> 0"

/* Rows in one and not the other, both ways: 0 when equal. */
#define SUM_DIFF(a, b) "(SELECT count(*) FROM (" a " EXCEPT " b ") AS x)" \
	" + (SELECT count(*) FROM (" b " EXCEPT " a ") AS y)"

#define SUM_CHECK_DAYS \
	SUM_DIFF("SELECT " SUM_DAYS_COLS " FROM raw_sum_days", \
	    "SELECT " SUM_DAYS_COLS " FROM sum_days") ", " \
	SUM_DIFF("SELECT " SUM_PDAYS_KEY ", " SUM_PVALS \
	    " FROM raw_sum_producer_days", "SELECT " SUM_PDAYS_KEY ", " \
	    SUM_PVALS " FROM sum_producer_days" SUM_LIVE)
#define SUM_CHECK_REST \
	SUM_DIFF("SELECT " SUM_MONTH_AGG " FROM raw_sum_producer_days" \
	    " GROUP BY 1, 2, 3, 4, 5, 6", "SELECT " SUM_PMONTHS_KEY ", " \
	    SUM_PVALS " FROM sum_producer_months" SUM_LIVE) ", " \
	SUM_DIFF("SELECT " SUM_ALL_AGG " FROM raw_sum_producer_days" \
	    " GROUP BY 1, 2, 3, 4, 5", "SELECT " SUM_PALL_KEY ", " \
	    SUM_PVALS " FROM sum_producer_all" SUM_LIVE)

/*
 * The statements are longer than C guarantees for one literal: each
 * backend joins these parts once (cstore_join).
 */
#define SUM_CHECK_PARTS	"SELECT ", SUM_CHECK_DAYS, ", ", SUM_CHECK_REST
#define SUM_CHECK_PPROD \
	SUM_DIFF("SELECT " SUM_PPROD_KEY ", " SUM_PPROD_VALS \
	    " FROM raw_sum_producer_products", "SELECT " SUM_PPROD_KEY ", " \
	    SUM_PPROD_VALS " FROM sum_producer_products")

/*
 * ---- a void's statements, SQLite's (NEW is the void stored; cstore_sqlite.c
 * binds NEW.x as :x). PostgreSQL's statement triggers are in cstore_pg.c.
 */

/* A producer delta into the three tables: D the date, REST the rest. */
#define SUM_PSET(t) " DO UPDATE SET sold = " t ".sold + excluded.sold," \
	" refunded = " t ".refunded + excluded.refunded," \
	" paid_out = " t ".paid_out + excluded.paid_out, n = " t ".n + excluded.n;"
#define SUM_P3(D, REST) \
	"INSERT INTO sum_producer_days (" SUM_PDAYS_KEY ", " SUM_PVALS ")" \
	" SELECT " D ", " REST " ON CONFLICT (" SUM_PDAYS_KEY ")" \
	SUM_PSET("sum_producer_days") \
	"INSERT INTO sum_producer_months (" SUM_PMONTHS_KEY ", " SUM_PVALS ")" \
	" SELECT substr(" D ", 1, 7), " REST " ON CONFLICT (" SUM_PMONTHS_KEY ")" \
	SUM_PSET("sum_producer_months") \
	"INSERT INTO sum_producer_all (" SUM_PALL_KEY ", " SUM_PVALS ")" \
	" SELECT " REST " ON CONFLICT (" SUM_PALL_KEY ")" \
	SUM_PSET("sum_producer_all")

/* The sale a void names, while no other void names it. */
#define SUM_VOIDED_SALE " s.uuid = NEW.ref_uuid AND s.kind = 'sale'" \
	" AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.kind = 'void'" \
	" AND v.ref_uuid = s.uuid AND v.id <> NEW.id)"

#define SUM_PAY_SUM(m) "coalesce((SELECT sum(p.amount) FROM payments p" \
	" WHERE p.entry_id = s.id AND " m "), 0)"

/* A void: its sale no longer counts, on the sale's date. */
#define SUM_ON_VOID_DAY \
	"UPDATE sum_days SET sales_count = sales_count - 1," \
	" gross = gross - s.s_gross, discounts = discounts - s.s_discount," \
	" cash = cash - s.s_cash, card = card - s.s_card," \
	" other = other - s.s_other" \
	" FROM (SELECT s.branch AS s_branch, s.terminal AS s_terminal," \
	"  s.business_date AS s_date, s.total + s.discount AS s_gross," \
	"  s.discount AS s_discount, " SUM_PAY_SUM("p.method = 'cash'") \
	"  AS s_cash, " SUM_PAY_SUM("p.method = 'card'") " AS s_card, " \
	SUM_PAY_SUM("p.method NOT IN ('cash', 'card')") " AS s_other" \
	"  FROM entries s WHERE NEW.kind = 'void' AND " SUM_VOIDED_SALE \
	" ) AS s WHERE branch = s.s_branch AND terminal = s.s_terminal" \
	" AND business_date = s.s_date;"
#define SUM_ON_VOID_PRODUCERS \
	SUM_P3("s.business_date", "s.branch, s.terminal, l.producer_code," \
	    " s.currency, s.decimals, -sum(l.net), 0, 0, -count(*)" \
	    " FROM entries s JOIN lines l ON l.entry_id = s.id" \
	    " WHERE NEW.kind = 'void' AND " SUM_VOIDED_SALE \
	    " GROUP BY s.business_date, s.branch, s.terminal, l.producer_code," \
	    " s.currency, s.decimals")

#endif
