/*
 * The central store on PostgreSQL (libpq), for an office that outgrows
 * one SQLite file or runs several pos-central servers on one database.
 * The tables and their meaning are the SQLite backend's (cstore_sqlite.c);
 * what differs is how several writers in several processes keep each
 * chain whole:
 *
 * - cstore_head in a write transaction takes a transaction-scoped advisory
 *   lock on (branch, terminal) and then the chain's row FOR UPDATE, so two
 *   servers storing batches of one terminal run one after the other, the
 *   second seeing the first's head (READ COMMITTED takes a new snapshot per
 *   statement). The advisory lock covers a chain that has no row yet.
 * - PRIMARY KEY (branch, terminal, seq) and UNIQUE (uuid) back that up:
 *   whatever happens, no fork and no entry twice.
 * - An entry is inserted with ON CONFLICT (uuid) DO NOTHING, so a UUID found
 *   taken does not abort the transaction; its lines and payments go in
 *   one multi-row INSERT each (unnest of arrays).
 * - Statements are prepared once per connection. A connection found
 *   broken is reset at the next transaction or ping; a transaction it
 *   broke is lost whole (PostgreSQL rolls it back), and the caller gets
 *   CSTORE_BUSY, which a server answers with 503.
 *
 * The schema version is the row of cstore_schema; migrations only add.
 */
#include "cstore_impl.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"
#include "cstore_sum.h"
#include "xalloc.h"

struct pgstore {
	struct cstore	 base;
	PGconn		*conn;
	bool		 write;		/* in a write transaction */
	bool		 in_tx;		/* in a transaction (cstore_begin) */
	uint64_t	 prepared;	/* bit per statement, this connection */
};
#define PG(st)	((struct pgstore *)(void *)(st))

static const char *pg_migrations[] = {
	/* 1: the first schema, the SQLite store's at its version 2 */
	"CREATE TABLE branches ("
	"  code text PRIMARY KEY,"
	"  name text,"
	"  token_hash bytea NOT NULL CHECK (length(token_hash) = 32),"
	"  created_at text NOT NULL,"
	"  revoked_at text);"
	"CREATE INDEX branches_token ON branches(token_hash);"
	"CREATE TABLE chains ("
	"  branch text NOT NULL REFERENCES branches(code),"
	"  terminal bigint NOT NULL CHECK (terminal BETWEEN 1 AND 999),"
	"  last_seq bigint NOT NULL,"
	"  head text NOT NULL,"
	"  first_received text NOT NULL,"
	"  last_received text NOT NULL,"
	"  PRIMARY KEY (branch, terminal));"
	"CREATE TABLE entries ("
	"  id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,"
	"  uuid text NOT NULL UNIQUE,"
	"  branch text NOT NULL,"
	"  terminal bigint NOT NULL,"
	"  seq bigint NOT NULL CHECK (seq >= 1),"
	"  kind text NOT NULL CHECK (kind IN ('day_open', 'sale', 'void',"
	"    'refund', 'payout', 'cash_in', 'cash_out', 'day_close')),"
	"  receipt text NOT NULL,"
	"  created_at text NOT NULL,"
	"  business_date text NOT NULL,"
	"  \"user\" text NOT NULL,"
	"  currency text NOT NULL,"
	"  decimals bigint NOT NULL,"
	"  ref_uuid text,"
	"  ref_receipt text,"
	"  producer_code text,"
	"  producer_name text,"
	"  amount bigint NOT NULL,"
	"  reason text,"
	"  total bigint NOT NULL,"
	"  discount bigint NOT NULL,"
	"  paid bigint NOT NULL,"
	"  change bigint NOT NULL,"
	"  prev_hash text NOT NULL,"
	"  hash text NOT NULL,"
	"  received_at text NOT NULL,"
	"  PRIMARY KEY (branch, terminal, seq),"
	"  FOREIGN KEY (branch, terminal) REFERENCES chains(branch, terminal));"
	"CREATE INDEX entries_date ON entries(business_date, kind);"
	"CREATE INDEX entries_ref ON entries(ref_uuid) WHERE ref_uuid IS NOT NULL;"
	"CREATE INDEX entries_producer ON entries(producer_code)"
	"  WHERE producer_code IS NOT NULL;"
	"CREATE TABLE lines ("
	"  entry_id bigint NOT NULL REFERENCES entries(id),"
	"  line_no bigint NOT NULL,"
	"  product_code text NOT NULL,"
	"  product_name text NOT NULL,"
	"  producer_code text NOT NULL,"
	"  producer_name text NOT NULL,"
	"  unit text NOT NULL,"
	"  qty bigint NOT NULL,"
	"  unit_price bigint NOT NULL,"
	"  total bigint NOT NULL,"
	"  discount bigint NOT NULL,"
	"  net bigint NOT NULL,"
	"  PRIMARY KEY (entry_id, line_no));"
	"CREATE INDEX lines_producer ON lines(producer_code);"
	"CREATE TABLE payments ("
	"  entry_id bigint NOT NULL REFERENCES entries(id),"
	"  pay_no bigint NOT NULL,"
	"  method text NOT NULL,"
	"  tendered bigint NOT NULL,"
	"  amount bigint NOT NULL,"
	"  PRIMARY KEY (entry_id, pay_no));"
	"CREATE TABLE idempotency ("
	"  branch text NOT NULL,"
	"  key text NOT NULL,"
	"  body_hash bytea NOT NULL,"
	"  response text NOT NULL,"
	"  created_at text NOT NULL,"
	"  PRIMARY KEY (branch, key));"
	"CREATE INDEX idempotency_created ON idempotency(created_at);"
	"CREATE FUNCTION cstore_append_only() RETURNS trigger"
	"  LANGUAGE plpgsql AS $$ BEGIN"
	"  RAISE EXCEPTION 'entries are append-only'; END $$;"
	"CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries"
	"  FOR EACH ROW EXECUTE FUNCTION cstore_append_only();"
	"CREATE TRIGGER lines_append_only BEFORE UPDATE OR DELETE ON lines"
	"  FOR EACH ROW EXECUTE FUNCTION cstore_append_only();"
	"CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments"
	"  FOR EACH ROW EXECUTE FUNCTION cstore_append_only();",
	/* 2: entries the centre rejected (SQLite's version 3) */
	"CREATE TABLE rejections ("
	"  branch text NOT NULL,"
	"  terminal bigint NOT NULL,"
	"  seq bigint NOT NULL,"
	"  uuid text NOT NULL,"
	"  receipt text NOT NULL,"
	"  reason text NOT NULL,"
	"  first_at text NOT NULL,"
	"  last_at text NOT NULL,"
	"  times bigint NOT NULL,"
	"  PRIMARY KEY (branch, terminal, seq, uuid))",
	/* 3: master data, as the SQLite store's version 4 */
	"CREATE TABLE master_version ("
	"  one integer PRIMARY KEY CHECK (one = 1),"
	"  version bigint NOT NULL);"
	"INSERT INTO master_version (one, version) VALUES (1, 0);"
	"CREATE TABLE producers ("
	"  code text PRIMARY KEY,"
	"  name text NOT NULL,"
	"  phone text,"
	"  active boolean NOT NULL,"
	"  version bigint NOT NULL,"
	"  updated_at text NOT NULL);"
	"CREATE INDEX producers_version ON producers(version);"
	"CREATE TABLE products ("
	"  code text PRIMARY KEY,"
	"  name text NOT NULL,"
	"  price bigint NOT NULL CHECK (price >= 0),"
	"  unit text NOT NULL CHECK (unit IN ('piece', 'kg')),"
	"  barcode text UNIQUE,"
	"  producer text NOT NULL REFERENCES producers(code),"
	"  active boolean NOT NULL,"
	"  version bigint NOT NULL,"
	"  updated_at text NOT NULL);"
	"CREATE INDEX products_version ON products(version);"
	"CREATE TABLE producer_merges ("
	"  from_code text PRIMARY KEY,"
	"  into_code text NOT NULL,"
	"  merged_at text NOT NULL,"
	"  undone_at text,"
	"  version bigint NOT NULL);"
	"CREATE INDEX producer_merges_version ON producer_merges(version);",
	/* 4: what windows defined themselves, as the SQLite store's 5 */
	"CREATE TABLE local_producers ("
	"  branch text NOT NULL,"
	"  terminal bigint NOT NULL CHECK (terminal BETWEEN 1 AND 999),"
	"  code text NOT NULL,"
	"  name text NOT NULL,"
	"  phone text,"
	"  round text NOT NULL,"
	"  sent_at text NOT NULL,"
	"  PRIMARY KEY (branch, terminal, code));"
	"CREATE INDEX local_producers_code ON local_producers(code);"
	"CREATE TABLE local_products ("
	"  branch text NOT NULL,"
	"  terminal bigint NOT NULL CHECK (terminal BETWEEN 1 AND 999),"
	"  code text NOT NULL,"
	"  name text NOT NULL,"
	"  price bigint NOT NULL CHECK (price >= 0),"
	"  currency text NOT NULL,"
	"  decimals bigint NOT NULL,"
	"  unit text NOT NULL CHECK (unit IN ('piece', 'kg')),"
	"  barcode text,"
	"  producer text NOT NULL,"
	"  active boolean NOT NULL,"
	"  round text NOT NULL,"
	"  sent_at text NOT NULL,"
	"  PRIMARY KEY (branch, terminal, code));"
	"CREATE INDEX local_products_code ON local_products(code);"
	"CREATE TABLE seen_producers ("
	"  branch text NOT NULL,"
	"  terminal bigint NOT NULL,"
	"  code text NOT NULL,"
	"  name text NOT NULL,"
	"  currency text NOT NULL,"
	"  decimals bigint NOT NULL,"
	"  at bigint NOT NULL,"
	"  PRIMARY KEY (branch, terminal, code));"
	"CREATE TABLE seen_products ("
	"  branch text NOT NULL,"
	"  terminal bigint NOT NULL,"
	"  code text NOT NULL,"
	"  name text NOT NULL,"
	"  price bigint NOT NULL,"
	"  currency text NOT NULL,"
	"  decimals bigint NOT NULL,"
	"  at bigint NOT NULL,"
	"  PRIMARY KEY (branch, terminal, code));"
	"CREATE TABLE seen_marks ("
	"  branch text NOT NULL,"
	"  terminal bigint NOT NULL,"
	"  seq bigint NOT NULL,"
	"  PRIMARY KEY (branch, terminal));",
	/* 5: the office's accounts, as the SQLite store's version 6 */
	"CREATE TABLE users ("
	"  name text PRIMARY KEY,"
	"  role text NOT NULL CHECK (role IN ('office', 'admin')),"
	"  password text NOT NULL,"
	"  created_at text NOT NULL,"
	"  disabled_at text);"
	"CREATE TABLE api_tokens ("
	"  name text PRIMARY KEY,"
	"  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
	"  created_at text NOT NULL,"
	"  revoked_at text);"
	"CREATE TABLE web_sessions ("
	"  token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),"
	"  username text NOT NULL REFERENCES users(name),"
	"  csrf text NOT NULL,"
	"  created_at text NOT NULL,"
	"  expires_at text NOT NULL);"
	"CREATE INDEX web_sessions_expires ON web_sessions(expires_at);"
	"CREATE TABLE login_failures ("
	"  key text NOT NULL,"
	"  at text NOT NULL);"
	"CREATE INDEX login_failures_key ON login_failures(key, at);"
	"CREATE INDEX login_failures_at ON login_failures(at);",
	/* 6: what changed since a version, as the SQLite store's version 7 */
	"CREATE INDEX producers_version_code ON producers(version,"
	"  code COLLATE \"C\");"
	"DROP INDEX producers_version;"
	"CREATE INDEX products_version_code ON products(version,"
	"  code COLLATE \"C\");"
	"DROP INDEX products_version;",
	/*
	 * 7: the summary tables the reports read (cstore_sum.h), as the
	 * SQLite store's version 8: made from its parts by pg_sql_make
	 */
	NULL,
	/* 8: producers' access links, as the SQLite store's version 9 */
	"CREATE TABLE producer_links ("
	"  code text PRIMARY KEY,"
	"  rotation bigint NOT NULL,"
	"  token_hash bytea NOT NULL UNIQUE);",
	/* 9: one producer's rows by code, as SQLite's version 10 */
	SUM_CODE_INDEXES
	"CREATE INDEX IF NOT EXISTS lines_producer_products ON lines (producer_code,"
	"  entry_id) INCLUDE (product_code, qty, net, product_name);"
	"DROP INDEX IF EXISTS lines_producer;",
	/*
	 * 10: one producer's products per window-day, and the triggers that
	 * keep them: made from its parts by pg_sql_make (pg_pprod_parts)
	 */
	NULL,
};

static const char pg_sum_tables[] =
	"CREATE TABLE sum_days ("
	"  branch text NOT NULL, terminal bigint NOT NULL,"
	"  business_date text NOT NULL, currency text NOT NULL,"
	"  decimals bigint NOT NULL, entries bigint NOT NULL,"
	"  first_seq bigint NOT NULL, last_seq bigint NOT NULL,"
	"  sessions bigint NOT NULL, closes bigint NOT NULL,"
	"  open_min bigint NOT NULL, open_max bigint NOT NULL,"
	"  close_max bigint NOT NULL, sales_count bigint NOT NULL,"
	"  gross bigint NOT NULL, discounts bigint NOT NULL,"
	"  refunds bigint NOT NULL, refunds_count bigint NOT NULL,"
	"  voids bigint NOT NULL, voids_total bigint NOT NULL,"
	"  cash bigint NOT NULL, card bigint NOT NULL, other bigint NOT NULL,"
	"  payouts bigint NOT NULL, cash_in bigint NOT NULL,"
	"  cash_out bigint NOT NULL, float_amount bigint NOT NULL,"
	"  counted_cash bigint NOT NULL,"
	"  PRIMARY KEY (branch, terminal, business_date));"
	"CREATE INDEX sum_days_date ON sum_days(business_date);"
	"CREATE TABLE sum_producer_days ("
	"  business_date text NOT NULL, branch text NOT NULL,"
	"  terminal bigint NOT NULL, producer_code text NOT NULL,"
	"  currency text NOT NULL, decimals bigint NOT NULL,"
	"  sold bigint NOT NULL, refunded bigint NOT NULL,"
	"  paid_out bigint NOT NULL, n bigint NOT NULL,"
	"  PRIMARY KEY (" SUM_PDAYS_KEY "));"
	"CREATE TABLE sum_producer_months ("
	"  month text NOT NULL, branch text NOT NULL,"
	"  terminal bigint NOT NULL, producer_code text NOT NULL,"
	"  currency text NOT NULL, decimals bigint NOT NULL,"
	"  sold bigint NOT NULL, refunded bigint NOT NULL,"
	"  paid_out bigint NOT NULL, n bigint NOT NULL,"
	"  PRIMARY KEY (" SUM_PMONTHS_KEY "));"
	"CREATE TABLE sum_producer_all ("
	"  branch text NOT NULL, terminal bigint NOT NULL,"
	"  producer_code text NOT NULL, currency text NOT NULL,"
	"  decimals bigint NOT NULL, sold bigint NOT NULL,"
	"  refunded bigint NOT NULL, paid_out bigint NOT NULL,"
	"  n bigint NOT NULL,"
	"  PRIMARY KEY (" SUM_PALL_KEY "));"
	"CREATE TABLE sum_producer_names ("
	"  branch text NOT NULL, terminal bigint NOT NULL,"
	"  producer_code text NOT NULL, name text NOT NULL,"
	"  created_at text NOT NULL,"
	"  PRIMARY KEY (" SUM_NAMES_KEY "));";

/*
 * On PostgreSQL the summaries are kept by statement-level triggers that see
 * the statement's rows as a transition table, so that a batch stored in one
 * statement moves each summary row once (a row updated once per entry
 * would leave a chain of dead versions to walk on every update). Every
 * row of the statement is visible to each trigger, whatever their order:
 * a sale and a void naming it in one statement never count; a void takes
 * away only a sale stored before its statement, and only if no void stored
 * before its statement named it.
 */
/* Without JIT: compiling costs more than these statements take. */
#define PG_SUM_FN(how, f) how " FUNCTION " f "() RETURNS trigger" \
	" LANGUAGE plpgsql SET jit = off AS $$ BEGIN "
#define PG_SUM_END	" RETURN NULL; END $$;"
/*
 * Each child's entry, and whether a void names it, looked up by index per
 * row (OFFSET 0 keeps the planner from making them joins that read every
 * entry: it cannot know how few rows a transition table holds).
 */
#define PG_ENTRY_OF(x) " CROSS JOIN LATERAL (SELECT * FROM entries j0" \
	" WHERE j0.id = " x ".entry_id OFFSET 0) AS j" PG_VOIDED_BY("j")
#define PG_VOIDED_BY(x) " LEFT JOIN LATERAL (SELECT true AS voided" \
	" FROM entries v WHERE v.kind = 'void' AND v.ref_uuid = " x ".uuid" \
	" LIMIT 1) AS vv ON true"
#define PG_COUNTS "(j.kind = 'refund' OR (j.kind = 'sale'" \
	" AND vv.voided IS NULL))"
#define PG_PSET(t) " DO UPDATE SET sold = " t ".sold + excluded.sold," \
	" refunded = " t ".refunded + excluded.refunded," \
	" paid_out = " t ".paid_out + excluded.paid_out, n = " t ".n + excluded.n;"
/* SEL selects (date, branch, terminal, code, currency, decimals, 4 sums). */
#define PG_P3(PRE, SEL, FROM) \
	PRE "INSERT INTO sum_producer_days (" SUM_PDAYS_KEY ", " SUM_PVALS ")" \
	" SELECT * FROM (SELECT " SEL " " FROM " GROUP BY 1, 2, 3, 4, 5, 6) AS q" \
	" ON CONFLICT (" SUM_PDAYS_KEY ")" PG_PSET("sum_producer_days") \
	PRE "INSERT INTO sum_producer_months (" SUM_PMONTHS_KEY ", " SUM_PVALS ")" \
	" SELECT substr(d, 1, 7), b, t, c, cur, dec, sum(s1), sum(s2), sum(s3)," \
	" sum(s4) FROM (SELECT " SEL " " FROM " GROUP BY 1, 2, 3, 4, 5, 6)" \
	" AS q (d, b, t, c, cur, dec, s1, s2, s3, s4) GROUP BY 1, 2, 3, 4, 5, 6" \
	" ON CONFLICT (" SUM_PMONTHS_KEY ")" PG_PSET("sum_producer_months") \
	PRE "INSERT INTO sum_producer_all (" SUM_PALL_KEY ", " SUM_PVALS ")" \
	" SELECT b, t, c, cur, dec, sum(s1), sum(s2), sum(s3), sum(s4)" \
	" FROM (SELECT " SEL " " FROM " GROUP BY 1, 2, 3, 4, 5, 6)" \
	" AS q (d, b, t, c, cur, dec, s1, s2, s3, s4) GROUP BY 1, 2, 3, 4, 5" \
	" ON CONFLICT (" SUM_PALL_KEY ")" PG_PSET("sum_producer_all")
#define PG_NAMES(SEL, FROM, ORDER) \
	"INSERT INTO sum_producer_names (" SUM_NAMES_COLS ")" \
	" SELECT DISTINCT ON (1, 2, 3) " SEL " " FROM " ORDER BY 1, 2, 3, " \
	ORDER " ON CONFLICT (" SUM_NAMES_KEY ") DO UPDATE SET" \
	" name = excluded.name, created_at = excluded.created_at" \
	" WHERE excluded.created_at > sum_producer_names.created_at;"
#define PG_DSET(c)	c " = sum_days." c " + excluded." c

/* The entries: the day's counts and sums, sales no void names. */
#define PG_ON_ENTRIES \
	"INSERT INTO sum_days (" SUM_DAYS_COLS ") SELECT branch, terminal," \
	" business_date, max(currency), max(decimals), count(*), min(seq)," \
	" max(seq), count(*) FILTER (WHERE kind = 'day_open')," \
	" count(*) FILTER (WHERE kind = 'day_close')," \
	" coalesce(min(seq) FILTER (WHERE kind = 'day_open'), 0)," \
	" coalesce(max(seq) FILTER (WHERE kind = 'day_open'), 0)," \
	" coalesce(max(seq) FILTER (WHERE kind = 'day_close'), 0)," \
	" count(*) FILTER (WHERE live)," \
	" coalesce(sum(total + discount) FILTER (WHERE live), 0)," \
	" coalesce(sum(discount) FILTER (WHERE live), 0)," \
	" coalesce(sum(total) FILTER (WHERE kind = 'refund'), 0)," \
	" count(*) FILTER (WHERE kind = 'refund')," \
	" count(*) FILTER (WHERE kind = 'void')," \
	" coalesce(sum(total) FILTER (WHERE kind = 'void'), 0), 0, 0, 0," \
	" coalesce(sum(amount) FILTER (WHERE kind = 'payout'), 0)," \
	" coalesce(sum(amount) FILTER (WHERE kind = 'cash_in'), 0)," \
	" coalesce(sum(amount) FILTER (WHERE kind = 'cash_out'), 0)," \
	" coalesce(sum(amount) FILTER (WHERE kind = 'day_open'), 0)," \
	" coalesce(sum(amount) FILTER (WHERE kind = 'day_close'), 0)" \
	" FROM (SELECT ne.*, (ne.kind = 'sale' AND vv.voided IS NULL) AS live" \
	" FROM ne" PG_VOIDED_BY("ne") ") AS x GROUP BY 1, 2, 3" \
	" ON CONFLICT (" SUM_DAYS_KEY ") DO UPDATE SET" \
	" currency = GREATEST(sum_days.currency, excluded.currency)," \
	" decimals = GREATEST(sum_days.decimals, excluded.decimals)," \
	" " PG_DSET("entries") "," \
	" first_seq = LEAST(sum_days.first_seq, excluded.first_seq)," \
	" last_seq = GREATEST(sum_days.last_seq, excluded.last_seq)," \
	" " PG_DSET("sessions") ", " PG_DSET("closes") "," \
	" open_min = CASE WHEN sum_days.open_min = 0 OR (excluded.open_min <> 0" \
	"  AND excluded.open_min < sum_days.open_min) THEN excluded.open_min" \
	"  ELSE sum_days.open_min END," \
	" open_max = GREATEST(sum_days.open_max, excluded.open_max)," \
	" close_max = GREATEST(sum_days.close_max, excluded.close_max)," \
	" " PG_DSET("sales_count") ", " PG_DSET("gross") "," \
	" " PG_DSET("discounts") ", " PG_DSET("refunds") "," \
	" " PG_DSET("refunds_count") ", " PG_DSET("voids") "," \
	" " PG_DSET("voids_total") ", " PG_DSET("payouts") "," \
	" " PG_DSET("cash_in") ", " PG_DSET("cash_out") "," \
	" " PG_DSET("float_amount") ", " PG_DSET("counted_cash") ";"

/* The sales the statement's voids take away (see above). */
#define PG_VOIDED "WITH s AS (SELECT DISTINCT s.id, s.branch, s.terminal," \
	" s.business_date, s.currency, s.decimals, s.total, s.discount" \
	" FROM ne v CROSS JOIN LATERAL (SELECT * FROM entries s0" \
	" WHERE s0.uuid = v.ref_uuid OFFSET 0) AS s" \
	" WHERE v.kind = 'void' AND s.kind = 'sale'" \
	" AND s.id NOT IN (SELECT id FROM ne)" \
	" AND NOT EXISTS (SELECT 1 FROM entries w WHERE w.kind = 'void'" \
	" AND w.ref_uuid = s.uuid AND w.id NOT IN (SELECT id FROM ne))) "
#define PG_PAY(m) "coalesce((SELECT sum(p.amount) FROM payments p" \
	" WHERE p.entry_id = s.id AND " m "), 0)"
#define PG_ON_VOIDS \
	"IF EXISTS (SELECT 1 FROM ne WHERE kind = 'void') THEN " \
	PG_VOIDED "UPDATE sum_days SET sales_count = sales_count - x.n," \
	" gross = gross - x.g, discounts = discounts - x.dsc," \
	" cash = cash - x.pc, card = card - x.pk, other = other - x.po" \
	" FROM (SELECT s.branch AS xb, s.terminal AS xt, s.business_date AS xd," \
	"  count(*) AS n, sum(s.total + s.discount) AS g," \
	"  sum(s.discount) AS dsc, sum(" PG_PAY("p.method = 'cash'") ") AS pc," \
	"  sum(" PG_PAY("p.method = 'card'") ") AS pk," \
	"  sum(" PG_PAY("p.method NOT IN ('cash', 'card')") ") AS po" \
	"  FROM s GROUP BY 1, 2, 3) AS x WHERE branch = x.xb" \
	" AND terminal = x.xt AND business_date = x.xd;"
#define PG_ON_VOIDS_P \
	PG_P3(PG_VOIDED, "s.business_date, s.branch, s.terminal, l.producer_code," \
	    " s.currency, s.decimals, -sum(l.net), 0, 0, -count(*)", \
	    "FROM s CROSS JOIN LATERAL (SELECT * FROM lines l0" \
	    " WHERE l0.entry_id = s.id OFFSET 0) AS l")
#define PG_ON_PAYOUTS \
	PG_P3("", "business_date, branch, terminal, producer_code, currency," \
	    " decimals, 0, 0, sum(amount), count(*)", \
	    "FROM ne WHERE kind = 'payout' AND producer_code IS NOT NULL") \
	PG_NAMES("branch, terminal, producer_code, producer_name, created_at", \
	    "FROM ne WHERE kind = 'payout' AND producer_code IS NOT NULL", \
	    "created_at DESC, id")

#define PG_PPSET(t) " DO UPDATE SET qty_sold = " t ".qty_sold +" \
	" excluded.qty_sold, sold = " t ".sold + excluded.sold," \
	" refunded = " t ".refunded + excluded.refunded," \
	" n = " t ".n + excluded.n, name = GREATEST(" t ".name, excluded.name);"
/* SEL selects the key, then qty_sold, sold, refunded, n, name. */
#define PG_PPROD(PRE, SEL, FROM) \
	PRE "INSERT INTO sum_producer_products (" SUM_PPROD_KEY ", " \
	SUM_PPROD_VALS ") SELECT * FROM (SELECT " SEL " " FROM \
	" GROUP BY 1, 2, 3, 4, 5, 6, 7) AS q ON CONFLICT (" SUM_PPROD_KEY ")" \
	PG_PPSET("sum_producer_products")
/* Every sale's and refund's line names its product; counted ones add. */
#define PG_ON_LINES_PPROD \
	PG_PPROD("", "l.producer_code, j.business_date, j.branch, j.terminal," \
	    " l.product_code, j.currency, j.decimals," \
	    " coalesce(sum(l.qty) FILTER (WHERE j.kind = 'sale' AND " \
	    PG_COUNTS "), 0)," \
	    " coalesce(sum(l.net) FILTER (WHERE j.kind = 'sale' AND " \
	    PG_COUNTS "), 0)," \
	    " coalesce(sum(l.net) FILTER (WHERE j.kind = 'refund'), 0)," \
	    " count(*) FILTER (WHERE " PG_COUNTS "), max(l.product_name)", \
	    "FROM nl l" PG_ENTRY_OF("l") " WHERE j.kind IN ('sale', 'refund')")
/* A void's sale no longer counts for its products (its names stay). */
#define PG_ON_VOIDS_PPROD \
	PG_PPROD(PG_VOIDED, "l.producer_code, s.business_date, s.branch," \
	    " s.terminal, l.product_code, s.currency, s.decimals," \
	    " -sum(l.qty), -sum(l.net), 0, -count(*), max(l.product_name)", \
	    "FROM s CROSS JOIN LATERAL (SELECT * FROM lines l0" \
	    " WHERE l0.entry_id = s.id OFFSET 0) AS l")

/* The lines of refunds and of sales no void names. */
#define PG_ON_LINES \
	PG_P3("", "j.business_date, j.branch, j.terminal, l.producer_code," \
	    " j.currency, j.decimals," \
	    " sum(CASE WHEN j.kind = 'sale' THEN l.net ELSE 0 END)," \
	    " sum(CASE WHEN j.kind = 'refund' THEN l.net ELSE 0 END), 0," \
	    " count(*)", \
	    "FROM nl l" PG_ENTRY_OF("l") " WHERE " PG_COUNTS) \
	PG_NAMES("j.branch, j.terminal, l.producer_code, l.producer_name," \
	    " j.created_at", "FROM nl l" PG_ENTRY_OF("l") \
	    " WHERE j.kind IN ('sale', 'refund')", \
	    "j.created_at DESC, j.id, l.line_no")

/*
 * What sales took and refunds gave, by method. The day's row may not be
 * made yet (the entries' trigger may run after this one): made here with
 * neutral values the entries' trigger then moves (first_seq the largest).
 */
#define PG_ON_PAYMENTS \
	"INSERT INTO sum_days (" SUM_DAYS_COLS ") SELECT j.branch, j.terminal," \
	" j.business_date, '', 0, 0, 9223372036854775807, 0, 0, 0, 0, 0, 0," \
	" 0, 0, 0, 0, 0, 0, 0," \
	" sum(CASE WHEN p.method = 'cash' THEN d.delta ELSE 0 END)," \
	" sum(CASE WHEN p.method = 'card' THEN d.delta ELSE 0 END)," \
	" sum(CASE WHEN p.method NOT IN ('cash', 'card') THEN d.delta" \
	"  ELSE 0 END), 0, 0, 0, 0, 0" \
	" FROM np p" PG_ENTRY_OF("p") "," \
	" LATERAL (SELECT CASE WHEN j.kind = 'sale' THEN p.amount" \
	"  ELSE -p.amount END AS delta) AS d" \
	" WHERE " PG_COUNTS " GROUP BY 1, 2, 3" \
	" ON CONFLICT (" SUM_DAYS_KEY ") DO UPDATE SET" \
	" " PG_DSET("cash") ", " PG_DSET("card") ", " PG_DSET("other") ";"

#define PG_SUM_ENTRY_FN(how) \
	PG_SUM_FN(how, "sum_entry"), PG_ON_ENTRIES, PG_ON_VOIDS, PG_ON_VOIDS_P, \
	PG_ON_VOIDS_PPROD " END IF;", PG_ON_PAYOUTS, PG_SUM_END
#define PG_SUM_LINE_FN(how) \
	PG_SUM_FN(how, "sum_line"), PG_ON_LINES, PG_ON_LINES_PPROD, PG_SUM_END
static const char *const pg_sum_parts[] = {
	pg_sum_tables, SUM_RAW_DAYS_VIEW, SUM_RAW_PDAYS_VIEW, SUM_FILL,
	"ANALYZE sum_days, sum_producer_days, sum_producer_months,"
	" sum_producer_all, sum_producer_names;",
	PG_SUM_ENTRY_FN("CREATE"), PG_SUM_LINE_FN("CREATE"),
	PG_SUM_FN("CREATE", "sum_payment"), PG_ON_PAYMENTS, PG_SUM_END,
	"CREATE TRIGGER sum_entry AFTER INSERT ON entries"
	" REFERENCING NEW TABLE AS ne FOR EACH STATEMENT"
	" EXECUTE FUNCTION sum_entry();"
	"CREATE TRIGGER sum_line AFTER INSERT ON lines"
	" REFERENCING NEW TABLE AS nl FOR EACH STATEMENT"
	" EXECUTE FUNCTION sum_line();"
	"CREATE TRIGGER sum_payment AFTER INSERT ON payments"
	" REFERENCING NEW TABLE AS np FOR EACH STATEMENT"
	" EXECUTE FUNCTION sum_payment()",
	NULL
};
/*
 * The products' summary (cstore_sum.h) made and filled, and the triggers'
 * functions that keep it (written in migration 7 too, for a new store).
 */
static const char *const pg_pprod_parts[] = {
	"CREATE TABLE sum_producer_products ("
	"  producer_code text NOT NULL, business_date text NOT NULL,"
	"  branch text NOT NULL, terminal bigint NOT NULL,"
	"  product_code text NOT NULL, currency text NOT NULL,"
	"  decimals bigint NOT NULL, qty_sold bigint NOT NULL,"
	"  sold bigint NOT NULL, refunded bigint NOT NULL, n bigint NOT NULL,"
	"  name text NOT NULL, PRIMARY KEY (" SUM_PPROD_KEY "));",
	SUM_RAW_PPROD_VIEW, SUM_FILL_PPROD, "ANALYZE sum_producer_products;",
	PG_SUM_ENTRY_FN("CREATE OR REPLACE"), PG_SUM_LINE_FN("CREATE OR REPLACE"),
	NULL
};
/* The migrations made from parts, in order (NULL in pg_migrations). */
static const char *const *const pg_made[] = { pg_sum_parts, pg_pprod_parts };
static const char *const pg_sum_check_parts[] = { SUM_CHECK_PARTS, ", ",
    SUM_CHECK_PPROD, NULL };
#define PG_NMIGRATIONS	(int)(sizeof pg_migrations / sizeof pg_migrations[0])

/* Any number, the same in every pos-central: init's lock on the schema. */
#define PG_SCHEMA_LOCK	"7461505"

/* ---- statements ---- */

enum pg_stmt {
	S_BRANCH_ADD, S_BRANCH_REVOKE, S_BRANCHES, S_AUTH, S_LOCK_CHAIN,
	S_HEAD, S_HEAD_FOR_UPDATE, S_CHAINS, S_FIND_UUID, S_PUT_HEAD,
	S_INSERT_ENTRY, S_INSERT_MANY, S_EACH_ENTRY,
	S_EACH_LINE, S_EACH_PAYMENT, S_IDEM_GET, S_IDEM_PRUNE, S_IDEM_PUT,
	S_PRODUCERS, S_COUNTS, S_DAY_MONEY, S_REJECT_PUT, S_REJECTIONS,
	S_REJECT_COPY,
	S_SUM_CHECK, S_PRODUCER_NAMES, S_DAYS_ALL, S_DAYS_SPAN, S_NSTMTS
};

#define PG_PRODUCER_ROWS(t, where) " UNION ALL SELECT producer_code," \
	" currency, decimals, branch, terminal, sold, refunded, paid_out, n, 1" \
	" FROM " t " WHERE " where
static const char *pg_sql[S_NSTMTS] = {
	[S_BRANCH_ADD] = "INSERT INTO branches (code, name, token_hash,"
	    " created_at) VALUES ($1, $2, decode($3, 'hex'), $4)"
	    " ON CONFLICT (code) DO NOTHING",
	[S_BRANCH_REVOKE] = "UPDATE branches SET revoked_at = $1"
	    " WHERE code = $2 AND revoked_at IS NULL",
	[S_BRANCHES] = "SELECT code, name, created_at, revoked_at,"
	    " encode(token_hash, 'hex') FROM branches ORDER BY code COLLATE \"C\"",
	[S_AUTH] = "SELECT code, revoked_at, encode(token_hash, 'hex')"
	    " FROM branches WHERE token_hash = decode($1, 'hex')",
	[S_LOCK_CHAIN] = "SELECT pg_advisory_xact_lock(hashtext($1),"
	    " $2::int)",
	[S_HEAD] = "SELECT last_seq, head FROM chains"
	    " WHERE branch = $1 AND terminal = $2",
	[S_HEAD_FOR_UPDATE] = "SELECT last_seq, head FROM chains"
	    " WHERE branch = $1 AND terminal = $2 FOR UPDATE",
	[S_CHAINS] = "SELECT branch, terminal, last_seq, head,"
	    " first_received, last_received FROM chains"
	    " WHERE $1::text IS NULL OR branch = $1"
	    " ORDER BY branch COLLATE \"C\", terminal",
	[S_FIND_UUID] = "SELECT branch, terminal, seq, hash FROM entries"
	    " WHERE uuid = $1",
	[S_PUT_HEAD] = "INSERT INTO chains (branch, terminal, last_seq, head,"
	    " first_received, last_received) VALUES ($1, $2, $3, $4, $5, $5)"
	    " ON CONFLICT (branch, terminal) DO UPDATE SET"
	    " last_seq = excluded.last_seq, head = excluded.head,"
	    " last_received = excluded.last_received",
	/* Made from the field table: pg_sql_make. */
	[S_INSERT_ENTRY] = NULL, [S_INSERT_MANY] = NULL, [S_EACH_ENTRY] = NULL,
	[S_EACH_LINE] = NULL, [S_EACH_PAYMENT] = NULL,
	[S_IDEM_GET] = "SELECT encode(body_hash, 'hex'), response"
	    " FROM idempotency WHERE branch = $1 AND key = $2",
	[S_IDEM_PRUNE] = "DELETE FROM idempotency WHERE created_at <"
	    " to_char(($1::timestamptz - make_interval(days => $2::int))"
	    " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
	/* Two servers may store one key's answer at once: the first stays. */
	[S_IDEM_PUT] = "INSERT INTO idempotency (branch, key, body_hash,"
	    " response, created_at) VALUES ($1, $2, decode($3, 'hex'), $4, $5)"
	    " ON CONFLICT (branch, key) DO NOTHING",
	/*
	 * As on SQLite (sq_report_producers), from the summary tables; the
	 * name is the one on the most recently created entry naming the
	 * producer (DISTINCT ON keeps the first row by the order given, where
	 * SQLite takes bare columns from the max() row).
	 */
	[S_PRODUCERS] =
	    "WITH m AS (SELECT from_code, into_code FROM producer_merges"
	    "  WHERE undone_at IS NULL)"
	    " SELECT coalesce(m.into_code, x.code), x.currency, x.decimals,"
	    "  x.branch, x.terminal, x.sold, x.refunded, x.paid_out, x.n, x.p"
	    " FROM (SELECT producer_code AS code, currency, decimals, branch,"
	    "  terminal, sold, refunded, paid_out, n, 0 AS p FROM sum_producer_all"
	    PG_PRODUCER_ROWS("sum_producer_months", "month BETWEEN $3 AND $4")
	    PG_PRODUCER_ROWS("sum_producer_days",
		"business_date BETWEEN $1 AND $2")
	    PG_PRODUCER_ROWS("sum_producer_days",
		"business_date BETWEEN $5 AND $6")
	    " ) AS x LEFT JOIN m ON m.from_code = x.code",
	[S_PRODUCER_NAMES] =
	    "WITH m AS (SELECT from_code, into_code FROM producer_merges"
	    "  WHERE undone_at IS NULL),"
	    " n AS (SELECT DISTINCT ON (1) coalesce(m.into_code,"
	    "  s.producer_code) AS code, s.name FROM sum_producer_names s"
	    "  LEFT JOIN m ON m.from_code = s.producer_code"
	    "  ORDER BY 1, s.created_at DESC)"
	    " SELECT n.code, coalesce(r.name, n.name) FROM n"
	    " LEFT JOIN producers r ON r.code = n.code"
	    " ORDER BY n.code COLLATE \"C\"",
	[S_COUNTS] = "SELECT (SELECT count(*) FROM entries),"
	    " (SELECT count(*) FROM lines), (SELECT count(*) FROM payments)",
	/*
	 * As sq_days_chains: every chain's days, chain by chain; or a span's
	 * (closed when a day_close follows the date's last day_open).
	 */
	[S_DAYS_ALL] = "SELECT branch, terminal, business_date, open_min,"
	    " CASE WHEN close_max > open_max THEN close_max ELSE 0 END,"
	    " entries, sessions FROM sum_days ORDER BY branch COLLATE \"C\","
	    " terminal, business_date COLLATE \"C\"",
	[S_DAYS_SPAN] = SUM_DAYS_SPAN("$") " ORDER BY branch COLLATE \"C\","
	    " terminal, business_date COLLATE \"C\"",
	/* As on SQLite (sq_day_money): the window's Z report per date. */
	[S_DAY_MONEY] = "SELECT branch, terminal, business_date, currency,"
	    " decimals, sessions, closes, sales_count, gross, discounts, refunds,"
	    " refunds_count, voids, voids_total, payouts, cash_in, cash_out,"
	    " float_amount, counted_cash, entries, first_seq, last_seq, cash,"
	    " card, other FROM sum_days WHERE business_date BETWEEN $1 AND $2"
	    " AND ($3 = '0' OR closes <> sessions OR counted_cash <>"
	    " float_amount + cash - payouts + cash_in - cash_out)"
	    " ORDER BY branch COLLATE \"C\", terminal,"
	    " business_date COLLATE \"C\"",
	/* As on SQLite: counted again when sent again. */
	[S_REJECT_PUT] = "INSERT INTO rejections (branch, terminal, seq, uuid,"
	    " receipt, reason, first_at, last_at, times)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)"
	    " ON CONFLICT (branch, terminal, seq, uuid) DO UPDATE SET"
	    " reason = excluded.reason, last_at = excluded.last_at,"
	    " times = rejections.times + 1",
	[S_REJECT_COPY] = "INSERT INTO rejections (branch, terminal, seq,"
	    " uuid, receipt, reason, first_at, last_at, times)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
	    " ON CONFLICT (branch, terminal, seq, uuid) DO UPDATE SET"
	    " receipt = excluded.receipt, reason = excluded.reason,"
	    " first_at = excluded.first_at, last_at = excluded.last_at,"
	    " times = excluded.times"
	    " WHERE excluded.last_at COLLATE \"C\" >"
	    "  rejections.last_at COLLATE \"C\"",
	[S_REJECTIONS] = "SELECT r.branch, r.terminal, r.seq, r.uuid,"
	    " r.receipt, r.reason, r.first_at, r.last_at, r.times,"
	    " coalesce(c.last_seq >= r.seq, false)"
	    " FROM rejections r LEFT JOIN chains c ON c.branch = r.branch"
	    "  AND c.terminal = r.terminal"
	    " ORDER BY r.branch COLLATE \"C\", r.terminal, r.seq,"
	    "  r.uuid COLLATE \"C\"",
};
static pthread_once_t pg_sql_once = PTHREAD_ONCE_INIT;

static int
pg_stored(const struct ledger_field *f)
{
	return f->type != LEDGER_FT_FORMAT && f->type != LEDGER_FT_ARRAY;
}

/* "a", "b", ... of t's stored columns, quoted ("user" is a keyword). */
static char *
pg_columns(const struct ledger_table *t, const char *prefix)
{
	struct buf b = { NULL, 0, 0 };
	const char *col;
	int n = 0;

	for (size_t i = 0; i < t->nfields; i++) {
		const struct ledger_field *f = &t->fields[i];

		if (!pg_stored(f))
			continue;
		col = f->column != NULL ? f->column : f->name;
		if (n++ > 0)
			buf_add(&b, ", ", 2);
		buf_add(&b, prefix, strlen(prefix));
		buf_addc(&b, '"');
		buf_add(&b, col, strlen(col));
		buf_addc(&b, '"');
	}
	return buf_str(&b);
}

/* "$k::text[], $k+1::bigint[], ..." for an unnest of t's columns. */
static char *
pg_arrays(const struct ledger_table *t, int first, int *ncols)
{
	struct buf b = { NULL, 0, 0 };
	char one[32];
	int n = 0;

	for (size_t i = 0; i < t->nfields; i++) {
		const struct ledger_field *f = &t->fields[i];

		if (!pg_stored(f))
			continue;
		snprintf(one, sizeof one, "%s$%d::%s[]", n > 0 ? ", " : "",
		    first + n, f->type == LEDGER_FT_INT ? "bigint" : "text");
		buf_add(&b, one, strlen(one));
		n++;
	}
	*ncols = n;
	return buf_str(&b);
}

/*
 * Several entries with their lines and payments in one statement: every
 * column an array, unnested with its ordinal; lines and payments carry
 * their entry's ordinal ($ after the entries' columns and received_at:
 * the lines' ordinals and numbers, their columns, then the payments').
 * Returns as many rows as entries stored.
 */
static char *
pg_many_make(const char *e, const char *l, const char *pay)
{
	char *ea, *la, *pa, *ue, *xl, *yp, *sql;
	int ne, nl, np;

	ea = pg_arrays(&ledger_entry_table, 1, &ne);
	la = pg_arrays(&ledger_line_table, ne + 4, &nl);
	pa = pg_arrays(&ledger_payment_table, ne + 6 + nl, &np);
	ue = pg_columns(&ledger_entry_table, "u.");
	xl = pg_columns(&ledger_line_table, "x.");
	yp = pg_columns(&ledger_payment_table, "y.");
	sql = xasprintf("WITH u AS (SELECT * FROM unnest(%s) WITH ORDINALITY"
	    "  AS u(%s, o)),"
	    " e AS (INSERT INTO entries (%s, received_at) SELECT %s, $%d"
	    "  FROM u ORDER BY u.o ON CONFLICT (uuid) DO NOTHING"
	    "  RETURNING id, uuid),"
	    " ei AS (SELECT e.id, u.o FROM e JOIN u ON u.\"uuid\" = e.uuid),"
	    " l AS (INSERT INTO lines (entry_id, line_no, %s)"
	    "  SELECT ei.id, x.line_no, %s FROM unnest($%d::bigint[],"
	    "  $%d::bigint[], %s) AS x(eo, line_no, %s)"
	    "  JOIN ei ON ei.o = x.eo),"
	    " p AS (INSERT INTO payments (entry_id, pay_no, %s)"
	    "  SELECT ei.id, y.pay_no, %s FROM unnest($%d::bigint[],"
	    "  $%d::bigint[], %s) AS y(eo, pay_no, %s)"
	    "  JOIN ei ON ei.o = y.eo)"
	    " SELECT id FROM e",
	    ea, e, e, ue, ne + 1,
	    l, xl, ne + 2, ne + 3, la, l,
	    pay, yp, ne + 4 + nl, ne + 5 + nl, pa, pay);
	free(ea);
	free(la);
	free(pa);
	free(ue);
	free(xl);
	free(yp);
	return sql;
}

static void
pg_sql_make(void)
{
	struct buf p = { NULL, 0, 0 };
	char *e, *l, *pay, *la, *pa, *ul, *up, *ll, *pp, one[16];
	int n = 0, nl, np;	/* entry columns, line and payment arrays */

	e = pg_columns(&ledger_entry_table, "");
	l = pg_columns(&ledger_line_table, "");
	pay = pg_columns(&ledger_payment_table, "");
	for (size_t i = 0; i < ledger_entry_table.nfields; i++)
		if (pg_stored(&ledger_entry_table.fields[i]))
			n++;
	la = pg_arrays(&ledger_line_table, n + 2, &nl);
	pa = pg_arrays(&ledger_payment_table, n + 2 + nl, &np);
	if (n + 5 + nl + np > 64)
		abort();	/* PG_MAX_PARAMS: a field table grew past it */
	ul = pg_columns(&ledger_line_table, "u.");
	up = pg_columns(&ledger_payment_table, "u.");
	/*
	 * An entry with its lines and payments in one statement (one round
	 * trip): the lines and payments as arrays, one per column, unnested
	 * into multi-row inserts that take the entry's new id. A UUID found
	 * taken inserts nothing and returns no row.
	 */
	for (int k = 1; k <= n + 1; k++) {
		snprintf(one, sizeof one, "%s$%d", k > 1 ? ", " : "", k);
		buf_add(&p, one, strlen(one));
	}
	for (int i = 0, k = 0; i < PG_NMIGRATIONS; i++)
		if (pg_migrations[i] == NULL)
			pg_migrations[i] = cstore_join(pg_made[k++]);
	pg_sql[S_SUM_CHECK] = cstore_join(pg_sum_check_parts);
	pg_sql[S_INSERT_ENTRY] = xasprintf("WITH e AS (INSERT INTO entries"
	    " (%s, received_at) VALUES (%s) ON CONFLICT (uuid) DO NOTHING"
	    " RETURNING id),"
	    " l AS (INSERT INTO lines (entry_id, line_no, %s)"
	    "  SELECT e.id, u.o - 1, %s FROM e, unnest(%s)"
	    "  WITH ORDINALITY AS u(%s, o)),"
	    " p AS (INSERT INTO payments (entry_id, pay_no, %s)"
	    "  SELECT e.id, u.o - 1, %s FROM e, unnest(%s)"
	    "  WITH ORDINALITY AS u(%s, o))"
	    " SELECT id FROM e", e, buf_str(&p), l, ul, la, l, pay, up, pa,
	    pay);
	free(p.data);
	pg_sql[S_INSERT_MANY] = pg_many_make(e, l, pay);
	/*
	 * A page of a chain: seq in (after, after + limit], limit NULL for
	 * the rest. A range, not LIMIT, so that the three queries select
	 * the same entries (a chain's seqs have no gaps).
	 */
	pg_sql[S_EACH_ENTRY] = xasprintf("SELECT id, received_at, %s"
	    " FROM entries WHERE branch = $1 AND terminal = $2"
	    " AND seq > $3::bigint AND ($4::bigint IS NULL"
	    " OR seq <= $3::bigint + $4::bigint) ORDER BY seq", e);
	/* A chain's lines and payments at once, in its entries' order. */
	ll = pg_columns(&ledger_line_table, "l.");
	pp = pg_columns(&ledger_payment_table, "p.");
	pg_sql[S_EACH_LINE] = xasprintf("SELECT l.entry_id, %s FROM lines l"
	    " JOIN entries j ON j.id = l.entry_id WHERE j.branch = $1"
	    " AND j.terminal = $2 AND j.seq > $3::bigint AND ($4::bigint IS NULL"
	    " OR j.seq <= $3::bigint + $4::bigint) ORDER BY j.seq, l.line_no",
	    ll);
	pg_sql[S_EACH_PAYMENT] = xasprintf("SELECT p.entry_id, %s"
	    " FROM payments p JOIN entries j ON j.id = p.entry_id"
	    " WHERE j.branch = $1 AND j.terminal = $2 AND j.seq > $3::bigint"
	    " AND ($4::bigint IS NULL OR j.seq <= $3::bigint + $4::bigint)"
	    " ORDER BY j.seq, p.pay_no", pp);
	free(ll);
	free(pp);
	free(e);
	free(l);
	free(pay);
	free(la);
	free(pa);
	free(ul);
	free(up);
}

/* ---- connection and errors ---- */

/* libpq's message without its trailing newline. */
static char *
pg_message(PGconn *conn, const PGresult *res)
{
	const char *m = res != NULL ? PQresultErrorMessage(res) : "";
	char *s;
	size_t n;

	if (*m == '\0')
		m = PQerrorMessage(conn);
	s = xstrdup(*m != '\0' ? m : "unknown error");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	return s;
}

/*
 * A failure as a status: the database gone (or a transaction PostgreSQL
 * chose to abort, a deadlock or a serialization failure) is CSTORE_BUSY,
 * to be tried again; anything else POS_FAIL.
 */
static int
pg_fail(struct pgstore *ps, PGresult *res, const char *what, char **cause)
{
	const char *state = res != NULL ?
	    PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	char *m = pg_message(ps->conn, res);
	int rc = POS_FAIL;

	if (PQstatus(ps->conn) != CONNECTION_OK || state == NULL ||
	    strncmp(state, "08", 2) == 0 || strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0 || strncmp(state, "57P", 3) == 0)
		rc = CSTORE_BUSY;
	if (rc == CSTORE_BUSY)
		cause_set(cause, rc, "the central store is unreachable or busy:"
		    " %s: %s", what, m);
	else
		cause_set(cause, rc, "%s: %s", what, m);
	free(m);
	PQclear(res);
	return rc;
}

/*
 * The session's settings: no JIT, whose compiling takes longer (tens of
 * ms) than any of this store's statements, which read by index.
 */
static void
pg_session(struct pgstore *ps)
{
	PQclear(PQexec(ps->conn, "SET jit = off"));
}

/* A lost connection back, statements to be prepared again. */
static bool
pg_alive(struct pgstore *ps)
{
	if (PQstatus(ps->conn) == CONNECTION_OK)
		return true;
	PQreset(ps->conn);
	ps->prepared = 0;
	if (PQstatus(ps->conn) != CONNECTION_OK)
		return false;
	pg_session(ps);
	return true;
}

static int
pg_plain(struct pgstore *ps, const char *sql, const char *what, char **cause)
{
	PGresult *res = PQexec(ps->conn, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		return pg_fail(ps, res, what, cause);
	PQclear(res);
	return POS_OK;
}

static int pg_exec(struct pgstore *, const char *, int, const char *const *,
    PGresult **, const char *, char **);

/*
 * Run statement s with text parameters; *out gets the result (rows or
 * not). Prepared on its first use on this connection.
 */
static int
pg_run_once(struct pgstore *ps, enum pg_stmt s, int n, const char *const *v,
    PGresult **out, const char *what, char **cause)
{
	char name[16];
	PGresult *res;
	ExecStatusType t;

	*out = NULL;
	pthread_once(&pg_sql_once, pg_sql_make);
	snprintf(name, sizeof name, "cs%d", (int)s);
	if ((ps->prepared & (UINT64_C(1) << s)) == 0) {
		res = PQprepare(ps->conn, name, pg_sql[s], 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			return pg_fail(ps, res, what, cause);
		PQclear(res);
		ps->prepared |= UINT64_C(1) << s;
	}
	res = PQexecPrepared(ps->conn, name, n, v, NULL, NULL, 0);
	t = PQresultStatus(res);
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK)
		return pg_fail(ps, res, what, cause);
	*out = res;
	return POS_OK;
}

/*
 * Outside a transaction (authentication, a server's status) a connection
 * found dead is reset and the statement tried once more: a PostgreSQL
 * restart then costs nothing. Inside one, the transaction is lost: the
 * caller rolls back and the client tries again.
 */
static int
pg_run(struct pgstore *ps, enum pg_stmt s, int n, const char *const *v,
    PGresult **out, const char *what, char **cause)
{
	int rc;

	if (!ps->in_tx)
		pg_alive(ps);
	rc = pg_run_once(ps, s, n, v, out, what, cause);
	if (rc == CSTORE_BUSY && !ps->in_tx &&
	    PQstatus(ps->conn) != CONNECTION_OK && pg_alive(ps))
		rc = pg_run_once(ps, s, n, v, out, what, cause);
	return rc;
}

static char *
pg_dup(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL :
	    xstrdup(PQgetvalue(res, row, col));
}

static void
pg_copy(const PGresult *res, int row, int col, char *dst, size_t size)
{
	snprintf(dst, size, "%s", PQgetvalue(res, row, col));
}

static int64_t
pg_int(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static void
pg_hex(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static bool
pg_unhex(const char *s, uint8_t *b, size_t n)
{
	unsigned v;

	if (strlen(s) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return false;
		b[i] = (uint8_t)v;
	}
	return true;
}

/* ---- schema ---- */

static int
pg_version(struct pgstore *ps, int *version, char **cause)
{
	PGresult *res;

	res = PQexec(ps->conn, "SELECT to_regclass('cstore_schema') IS NULL");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return pg_fail(ps, res, "cannot read the schema version", cause);
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		PQclear(res);
		*version = -1;
		return POS_OK;
	}
	PQclear(res);
	res = PQexec(ps->conn, "SELECT coalesce(max(version), 0)"
	    " FROM cstore_schema");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return pg_fail(ps, res, "cannot read the schema version", cause);
	*version = (int)pg_int(res, 0, 0);
	PQclear(res);
	return POS_OK;
}

/*
 * Bring the schema to this program's version. Under a session lock, so
 * two inits (or servers) at once do it once; each migration and its
 * version row commit together.
 */
static int
pg_migrate(struct pgstore *ps, bool create, char **cause)
{
	int version, rc;
	char *sql;

	if ((rc = pg_version(ps, &version, cause)) != POS_OK)
		return rc;
	if (version == PG_NMIGRATIONS)
		return POS_OK;
	if (version > PG_NMIGRATIONS)
		return cause_set(cause, POS_FAIL, "the central store has schema "
		    "version %d, newer than this program (%d): upgrade "
		    "pos-central", version, PG_NMIGRATIONS);
	if (version < 0 && !create)
		return cause_set(cause, POS_INPUT, "the database has no central "
		    "store: run 'pos-central init --db URI' first");
	if ((rc = pg_plain(ps, "SELECT pg_advisory_lock(" PG_SCHEMA_LOCK ")",
	    "cannot lock the schema", cause)) != POS_OK)
		return rc;
	if ((rc = pg_version(ps, &version, cause)) != POS_OK)
		goto out;
	if (version < 0 && (rc = pg_plain(ps, "SET client_min_messages = "
	    "warning; CREATE TABLE IF NOT EXISTS cstore_schema (version "
	    "integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT "
	    "now()); RESET client_min_messages",
	    "cannot make the schema table", cause)) != POS_OK)
		goto out;
	for (version = version < 0 ? 0 : version; version < PG_NMIGRATIONS;
	    version++) {
		sql = xasprintf("BEGIN; %s; INSERT INTO cstore_schema (version)"
		    " VALUES (%d); COMMIT", pg_migrations[version], version + 1);
		rc = pg_plain(ps, sql, "cannot upgrade the central store",
		    cause);
		free(sql);
		if (rc != POS_OK) {
			pg_plain(ps, "ROLLBACK", "rollback", NULL);
			goto out;
		}
	}
out:
	pg_plain(ps, "SELECT pg_advisory_unlock(" PG_SCHEMA_LOCK ")",
	    "unlock", NULL);
	return rc;
}

/* ---- the operations ---- */

static const struct cstore_ops pg_ops;

static void
pg_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void
pg_close(struct cstore *st)
{
	if (st == NULL)
		return;
	PQfinish(PG(st)->conn);
	free(st);
}

int
cstore_pg_open(const char *uri, bool create, struct cstore **out,
    char **cause)
{
	struct pgstore *ps;
	char *m;
	int rc;

	*out = NULL;
	ps = xcalloc(1, sizeof *ps);
	ps->base.ops = &pg_ops;
	ps->conn = PQconnectdb(uri);
	if (PQstatus(ps->conn) != CONNECTION_OK) {
		m = pg_message(ps->conn, NULL);
		rc = cause_set(cause, CSTORE_BUSY, "cannot connect to the "
		    "central store: %s", m);
		free(m);
		pg_close(&ps->base);
		return rc;
	}
	PQsetNoticeProcessor(ps->conn, pg_notice, NULL);
	pg_session(ps);
	pthread_once(&pg_sql_once, pg_sql_make);	/* the migrations too */
	if ((rc = pg_migrate(ps, create, cause)) != POS_OK) {
		pg_close(&ps->base);
		return rc;
	}
	*out = &ps->base;
	return POS_OK;
}

static int
pg_ping(struct cstore *st, char **cause)
{
	struct pgstore *ps = PG(st);

	for (int tries = 0; tries < 2; tries++) {
		if (!pg_alive(ps))
			continue;
		if (pg_plain(ps, "SELECT 1", "ping", NULL) == POS_OK)
			return POS_OK;
		/* A dead server is seen at the first query after it. */
	}
	return cause_set(cause, CSTORE_BUSY, "the central store is "
	    "unreachable");
}

static int
pg_begin(struct cstore *st, bool write, char **cause)
{
	struct pgstore *ps = PG(st);
	const char *sql = write ? "BEGIN ISOLATION LEVEL READ COMMITTED" :
	    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
	int rc = CSTORE_BUSY;

	/*
	 * A connection PostgreSQL closed (a restart) shows as broken only at
	 * its next use: BEGIN is that use, so try once more after a reset.
	 */
	for (int tries = 0; tries < 2; tries++) {
		if (!pg_alive(ps)) {
			rc = cause_set(cause, CSTORE_BUSY, "the central store "
			    "is unreachable");
			continue;
		}
		if ((rc = pg_plain(ps, sql, "cannot begin", cause)) == POS_OK)
			break;
	}
	ps->write = write && rc == POS_OK;
	ps->in_tx = rc == POS_OK;
	return rc;
}

static int
pg_commit(struct cstore *st, char **cause)
{
	struct pgstore *ps = PG(st);
	PGresult *res = PQexec(ps->conn, "COMMIT");

	ps->write = ps->in_tx = false;
	/* COMMIT of a failed transaction "succeeds" as a ROLLBACK. */
	if (PQresultStatus(res) != PGRES_COMMAND_OK ||
	    strcmp(PQcmdStatus(res), "COMMIT") != 0)
		return pg_fail(ps, res, "cannot commit", cause);
	PQclear(res);
	return POS_OK;
}

static void
pg_rollback(struct cstore *st)
{
	struct pgstore *ps = PG(st);

	ps->write = ps->in_tx = false;
	if (PQstatus(ps->conn) == CONNECTION_OK &&
	    PQtransactionStatus(ps->conn) != PQTRANS_IDLE)
		PQclear(PQexec(ps->conn, "ROLLBACK"));
}

static int
pg_branch_add(struct cstore *st, const char *code, const char *name,
    const uint8_t *hash, const char *now, char **cause)
{
	char hex[2 * TOKEN_DIGEST + 1];
	const char *v[4] = { code, name, hex, now };
	PGresult *res;
	int rc;

	pg_hex(hash, TOKEN_DIGEST, hex);
	if ((rc = pg_run(PG(st), S_BRANCH_ADD, 4, v, &res,
	    "cannot add the branch", cause)) != POS_OK)
		return rc;
	rc = strcmp(PQcmdTuples(res), "1") == 0 ? POS_OK :
	    cause_set(cause, POS_INPUT, "branch %s already exists", code);
	PQclear(res);
	return rc;
}

static int
pg_branch_revoke(struct cstore *st, const char *code, const char *now,
    char **cause)
{
	const char *v[2] = { now, code };
	PGresult *res;
	int rc;

	if ((rc = pg_run(PG(st), S_BRANCH_REVOKE, 2, v, &res, "cannot revoke",
	    cause)) != POS_OK)
		return rc;
	rc = strcmp(PQcmdTuples(res), "0") != 0 ? POS_OK :
	    cause_set(cause, POS_INPUT, "no branch %s with a valid token",
	    code);
	PQclear(res);
	return rc;
}

static int
pg_branches(struct cstore *st, struct cstore_branch **out, size_t *n,
    char **cause)
{
	PGresult *res;
	int rc, rows;

	*out = NULL;
	*n = 0;
	if ((rc = pg_run(PG(st), S_BRANCHES, 0, NULL, &res,
	    "cannot read the branches", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_branch *b = &(*out)[i];

		b->code = pg_dup(res, i, 0);
		b->name = pg_dup(res, i, 1);
		b->created_at = pg_dup(res, i, 2);
		b->revoked_at = pg_dup(res, i, 3);
		pg_unhex(PQgetvalue(res, i, 4), b->token_hash, TOKEN_DIGEST);
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

/* As on SQLite: found by the digest's index, compared in constant time. */
static int
pg_authenticate(struct cstore *st, const uint8_t *digest, char **code,
    bool *revoked, char **cause)
{
	char hex[2 * TOKEN_DIGEST + 1];
	const char *v[1] = { hex };
	uint8_t stored[TOKEN_DIGEST];
	PGresult *res;
	int rc;

	*code = NULL;
	*revoked = false;
	pg_hex(digest, TOKEN_DIGEST, hex);
	if ((rc = pg_run(PG(st), S_AUTH, 1, v, &res,
	    "cannot read the branches", cause)) != POS_OK)
		return rc;
	if (PQntuples(res) > 0 &&
	    pg_unhex(PQgetvalue(res, 0, 2), stored, TOKEN_DIGEST) &&
	    token_equal(stored, digest)) {
		*code = pg_dup(res, 0, 0);
		*revoked = !PQgetisnull(res, 0, 1);
	} else
		rc = cause_set(cause, POS_DENIED, "unknown token");
	PQclear(res);
	return rc;
}

static int
pg_head(struct cstore *st, const char *branch, int64_t terminal,
    int64_t *last_seq, char *head, char **cause)
{
	struct pgstore *ps = PG(st);
	char term[24];
	const char *v[2] = { branch, term };
	PGresult *res;
	int rc;

	snprintf(term, sizeof term, "%lld", (long long)terminal);
	if (ps->write) {
		if ((rc = pg_run(ps, S_LOCK_CHAIN, 2, v, &res,
		    "cannot lock the chain", cause)) != POS_OK)
			return rc;
		PQclear(res);
	}
	if ((rc = pg_run(ps, ps->write ? S_HEAD_FOR_UPDATE : S_HEAD, 2, v,
	    &res, "cannot read the chain head", cause)) != POS_OK)
		return rc;
	if (PQntuples(res) > 0) {
		*last_seq = pg_int(res, 0, 0);
		pg_copy(res, 0, 1, head, LEDGER_HASH_HEX);
	} else {
		*last_seq = 0;
		memcpy(head, ledger_genesis, LEDGER_HASH_HEX);
	}
	PQclear(res);
	return POS_OK;
}

static int
pg_chains(struct cstore *st, const char *branch, struct cstore_chain **out,
    size_t *n, char **cause)
{
	const char *v[1] = { branch };
	PGresult *res;
	int rc, rows;

	*out = NULL;
	*n = 0;
	if ((rc = pg_run(PG(st), S_CHAINS, 1, v, &res,
	    "cannot read the chains", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_chain *c = &(*out)[i];

		c->branch = pg_dup(res, i, 0);
		c->terminal = pg_int(res, i, 1);
		c->last_seq = pg_int(res, i, 2);
		pg_copy(res, i, 3, c->head, sizeof c->head);
		c->first_received = pg_dup(res, i, 4);
		c->last_received = pg_dup(res, i, 5);
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

static int
pg_find_uuid(struct cstore *st, const char *uuid, struct cstore_stored *out,
    char **cause)
{
	const char *v[1] = { uuid };
	PGresult *res;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = pg_run(PG(st), S_FIND_UUID, 1, v, &res,
	    "cannot look up the entry", cause)) != POS_OK)
		return rc;
	if (PQntuples(res) > 0) {
		out->found = true;
		pg_copy(res, 0, 0, out->branch, sizeof out->branch);
		out->terminal = pg_int(res, 0, 1);
		out->seq = pg_int(res, 0, 2);
		pg_copy(res, 0, 3, out->hash, sizeof out->hash);
	}
	PQclear(res);
	return POS_OK;
}

/*
 * The stored fields of the object at base as text parameters into v
 * (numbers printed into *store, which the caller frees after the call).
 */
static int
pg_params(const struct ledger_table *t, const void *base, const char **v,
    struct buf *nums, size_t *offs)
{
	const char *at;
	char one[24];
	int k = 0;

	for (size_t i = 0; i < t->nfields; i++) {
		const struct ledger_field *f = &t->fields[i];

		if (!pg_stored(f))
			continue;
		at = (const char *)base + f->off;
		switch (f->type) {
		case LEDGER_FT_BUF:
			v[k] = at;
			break;
		case LEDGER_FT_STR:
		case LEDGER_FT_OPTSTR:
			v[k] = *(char *const *)(const void *)at;
			break;
		default:
			snprintf(one, sizeof one, "%lld", (long long)
			    *(const int64_t *)(const void *)at);
			offs[k] = nums->len + 1;	/* 0: not a number */
			buf_add(nums, one, strlen(one) + 1);
			v[k] = NULL;
			break;
		}
		k++;
	}
	return k;
}

/* Point the number parameters into nums, now that it has stopped growing. */
static void
pg_params_fix(const char **v, int n, const struct buf *nums,
    const size_t *offs)
{
	for (int k = 0; k < n; k++)
		if (offs[k] != 0)
			v[k] = (const char *)nums->data + offs[k] - 1;
}

/* One array literal element: "..." with \ and " escaped, or NULL. */
static void
pg_array_add(struct buf *b, const char *s, bool first)
{
	if (!first)
		buf_addc(b, ',');
	if (s == NULL) {
		buf_add(b, "NULL", 4);
		return;
	}
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/*
 * The n objects at base (of size t->size) as one array literal per
 * stored column, into cols[0...]; returns the number of columns.
 */
static int
pg_array_cols(const struct ledger_table *t, const void *base, size_t n,
    struct buf *cols)
{
	char one[24];
	int k = 0;

	for (size_t i = 0; i < t->nfields; i++) {
		const struct ledger_field *f = &t->fields[i];

		if (!pg_stored(f))
			continue;
		buf_addc(&cols[k], '{');
		for (size_t r = 0; r < n; r++) {
			const char *at = (const char *)base + r * t->size +
			    f->off;

			switch (f->type) {
			case LEDGER_FT_BUF:
				pg_array_add(&cols[k], at, r == 0);
				break;
			case LEDGER_FT_STR:
			case LEDGER_FT_OPTSTR:
				pg_array_add(&cols[k],
				    *(char *const *)(const void *)at, r == 0);
				break;
			default:
				snprintf(one, sizeof one, "%s%lld",
				    r == 0 ? "" : ",", (long long)
				    *(const int64_t *)(const void *)at);
				buf_add(&cols[k], one, strlen(one));
				break;
			}
		}
		buf_addc(&cols[k], '}');
		buf_addc(&cols[k], '\0');
		k++;
	}
	return k;
}

#define PG_MAX_PARAMS	64

static int
pg_insert(struct cstore *st, const struct ledger_entry *e,
    const char *received_at, char **cause)
{
	struct pgstore *ps = PG(st);
	struct buf nums = { NULL, 0, 0 }, cols[PG_MAX_PARAMS];
	const char *v[PG_MAX_PARAMS];
	size_t offs[PG_MAX_PARAMS];
	PGresult *res;
	int n, nc, rc;

	memset(offs, 0, sizeof offs);
	memset(cols, 0, sizeof cols);
	n = pg_params(&ledger_entry_table, e, v, &nums, offs);
	pg_params_fix(v, n, &nums, offs);
	v[n++] = received_at;
	nc = pg_array_cols(&ledger_line_table, e->lines, e->nlines, cols);
	nc += pg_array_cols(&ledger_payment_table, e->payments,
	    e->npayments, cols + nc);
	for (int i = 0; i < nc; i++)
		v[n++] = (const char *)cols[i].data;
	rc = pg_run(ps, S_INSERT_ENTRY, n, v, &res, "cannot store the entry",
	    cause);
	free(nums.data);
	for (int i = 0; i < nc; i++)
		free(cols[i].data);
	if (rc != POS_OK)
		return rc;
	rc = PQntuples(res) == 0 ? CSTORE_EXISTS : POS_OK;
	PQclear(res);
	return rc;
}

/* The ordinals (from 1) and numbers (from 0) of n children, as arrays. */
static void
pg_ordinals(struct buf *eo, struct buf *no, size_t entry, size_t n,
    bool *first)
{
	char one[48];

	for (size_t i = 0; i < n; i++) {
		snprintf(one, sizeof one, "%s%zu", *first ? "" : ",", entry + 1);
		buf_add(eo, one, strlen(one));
		snprintf(one, sizeof one, "%s%zu", *first ? "" : ",", i);
		buf_add(no, one, strlen(one));
		*first = false;
	}
}

static int
pg_insert_many(struct cstore *st, const struct ledger_entry *e, size_t n,
    const char *received_at, char **cause)
{
	struct buf cols[PG_MAX_PARAMS], ord[4];
	struct ledger_line *lines = NULL;
	struct ledger_payment *pays = NULL;
	const char *v[PG_MAX_PARAMS];
	size_t nl = 0, np = 0, kl = 0, kp = 0;
	bool firstl = true, firstp = true;
	PGresult *res;
	int k = 0, nc, rc;

	memset(cols, 0, sizeof cols);
	memset(ord, 0, sizeof ord);
	for (size_t i = 0; i < n; i++) {
		nl += e[i].nlines;
		np += e[i].npayments;
	}
	lines = xcalloc(nl + 1, sizeof *lines);
	pays = xcalloc(np + 1, sizeof *pays);
	for (int i = 0; i < 4; i++)
		buf_addc(&ord[i], '{');
	for (size_t i = 0; i < n; i++) {
		/* Shallow copies: the arrays only read them. */
		if (e[i].nlines > 0)
			memcpy(&lines[kl], e[i].lines, e[i].nlines *
			    sizeof *lines);
		kl += e[i].nlines;
		if (e[i].npayments > 0)
			memcpy(&pays[kp], e[i].payments, e[i].npayments *
			    sizeof *pays);
		kp += e[i].npayments;
		pg_ordinals(&ord[0], &ord[1], i, e[i].nlines, &firstl);
		pg_ordinals(&ord[2], &ord[3], i, e[i].npayments, &firstp);
	}
	for (int i = 0; i < 4; i++) {
		buf_addc(&ord[i], '}');
		buf_addc(&ord[i], '\0');
	}
	nc = pg_array_cols(&ledger_entry_table, e, n, cols);
	for (int i = 0; i < nc; i++)
		v[k++] = (const char *)cols[i].data;
	v[k++] = received_at;
	v[k++] = (const char *)ord[0].data;
	v[k++] = (const char *)ord[1].data;
	rc = nc;
	nc += pg_array_cols(&ledger_line_table, lines, nl, cols + nc);
	for (int i = rc; i < nc; i++)
		v[k++] = (const char *)cols[i].data;
	v[k++] = (const char *)ord[2].data;
	v[k++] = (const char *)ord[3].data;
	rc = nc;
	nc += pg_array_cols(&ledger_payment_table, pays, np, cols + nc);
	for (int i = rc; i < nc; i++)
		v[k++] = (const char *)cols[i].data;
	rc = pg_run(PG(st), S_INSERT_MANY, k, v, &res,
	    "cannot store the entries", cause);
	for (int i = 0; i < nc; i++)
		free(cols[i].data);
	for (int i = 0; i < 4; i++)
		free(ord[i].data);
	free(lines);
	free(pays);
	if (rc != POS_OK)
		return rc;
	rc = (size_t)PQntuples(res) == n ? POS_OK : CSTORE_EXISTS;
	PQclear(res);
	return rc;
}

static int
pg_put_head(struct cstore *st, const char *branch, int64_t terminal,
    int64_t last_seq, const char *head, const char *received_at,
    char **cause)
{
	char term[24], seq[24];
	const char *v[5] = { branch, term, seq, head, received_at };
	PGresult *res;
	int rc;

	snprintf(term, sizeof term, "%lld", (long long)terminal);
	snprintf(seq, sizeof seq, "%lld", (long long)last_seq);
	rc = pg_run(PG(st), S_PUT_HEAD, 5, v, &res,
	    "cannot store the chain head", cause);
	PQclear(res);
	return rc;
}

static int
pg_savepoint(struct cstore *st, char **cause)
{
	return pg_plain(PG(st), "SAVEPOINT cstore", "cannot make a savepoint",
	    cause);
}

static int
pg_savepoint_end(struct cstore *st, bool undo, char **cause)
{
	int rc;

	if (undo && (rc = pg_plain(PG(st), "ROLLBACK TO SAVEPOINT cstore",
	    "cannot undo to the savepoint", cause)) != POS_OK)
		return rc;
	return pg_plain(PG(st), "RELEASE SAVEPOINT cstore",
	    "cannot release the savepoint", cause);
}

/* Fill the stored fields of the object at base from row, columns first... */
static void
pg_read(const PGresult *res, int row, int first, const struct ledger_table *t,
    void *base)
{
	int k = first;

	for (size_t i = 0; i < t->nfields; i++) {
		const struct ledger_field *f = &t->fields[i];
		char *at;

		if (!pg_stored(f))
			continue;
		at = (char *)base + f->off;
		switch (f->type) {
		case LEDGER_FT_BUF:
			pg_copy(res, row, k, at, (size_t)f->max + 1);
			break;
		case LEDGER_FT_STR:
		case LEDGER_FT_OPTSTR:
			*(char **)(void *)at = pg_dup(res, row, k);
			break;
		default:
			*(int64_t *)(void *)at = pg_int(res, row, k);
			break;
		}
		k++;
	}
}

/*
 * A chain's entries, lines and payments in three queries (each in seq
 * order), merged here: one round trip per table, not per entry.
 */
static int
pg_entries_after(struct cstore *st, const char *branch, int64_t terminal,
    int64_t after, int64_t limit, cstore_entry_fn fn, void *arg, char **cause)
{
	struct pgstore *ps = PG(st);
	PGresult *er = NULL, *lr = NULL, *pr = NULL;
	struct ledger_entry e;
	char term[24], from[24], lim[24];
	const char *v[4] = { branch, term, from, limit < 0 ? NULL : lim };
	int rc, li = 0, pi = 0, nl, np;

	snprintf(term, sizeof term, "%lld", (long long)terminal);
	snprintf(from, sizeof from, "%lld", (long long)after);
	snprintf(lim, sizeof lim, "%lld", (long long)limit);
	if ((rc = pg_run(ps, S_EACH_ENTRY, 4, v, &er,
	    "cannot read the entries", cause)) != POS_OK ||
	    (rc = pg_run(ps, S_EACH_LINE, 4, v, &lr, "cannot read lines",
	    cause)) != POS_OK ||
	    (rc = pg_run(ps, S_EACH_PAYMENT, 4, v, &pr,
	    "cannot read payments", cause)) != POS_OK)
		goto out;
	nl = PQntuples(lr);
	np = PQntuples(pr);
	for (int i = 0; i < PQntuples(er) && rc == POS_OK; i++) {
		const char *id = PQgetvalue(er, i, 0);
		size_t cap;

		memset(&e, 0, sizeof e);
		pg_read(er, i, 2, &ledger_entry_table, &e);
		for (cap = 0; li < nl && strcmp(PQgetvalue(lr, li, 0), id) == 0;
		    li++) {
			if (e.nlines == cap) {
				cap = cap == 0 ? 4 : cap * 2;
				e.lines = xreallocarray(e.lines, cap,
				    sizeof *e.lines);
			}
			pg_read(lr, li, 1, &ledger_line_table,
			    &e.lines[e.nlines++]);
		}
		for (cap = 0; pi < np && strcmp(PQgetvalue(pr, pi, 0), id) == 0;
		    pi++) {
			if (e.npayments == cap) {
				cap = cap == 0 ? 2 : cap * 2;
				e.payments = xreallocarray(e.payments, cap,
				    sizeof *e.payments);
			}
			pg_read(pr, pi, 1, &ledger_payment_table,
			    &e.payments[e.npayments++]);
		}
		rc = fn(arg, &e, PQgetvalue(er, i, 1));
		ledger_entry_free(&e);
	}
out:
	PQclear(er);
	PQclear(lr);
	PQclear(pr);
	return rc;
}

static int
pg_each_entry(struct cstore *st, const char *branch, int64_t terminal,
    cstore_entry_fn fn, void *arg, char **cause)
{
	return pg_entries_after(st, branch, terminal, 0, -1, fn, arg, cause);
}

static int
pg_idem_get(struct cstore *st, const char *branch, const char *key,
    uint8_t *body_hash, char **response, char **cause)
{
	const char *v[2] = { branch, key };
	PGresult *res;
	int rc;

	*response = NULL;
	if ((rc = pg_run(PG(st), S_IDEM_GET, 2, v, &res,
	    "cannot read the idempotency key", cause)) != POS_OK)
		return rc;
	if (PQntuples(res) > 0) {
		memset(body_hash, 0, TOKEN_DIGEST);
		pg_unhex(PQgetvalue(res, 0, 0), body_hash, TOKEN_DIGEST);
		*response = pg_dup(res, 0, 1);
	}
	PQclear(res);
	return POS_OK;
}

static int
pg_idem_put(struct cstore *st, const char *branch, const char *key,
    const uint8_t *body_hash, const char *response, const char *now,
    int keep_days, char **cause)
{
	char hex[2 * TOKEN_DIGEST + 1], days[16];
	const char *pv[2] = { now, days };
	const char *v[5] = { branch, key, hex, response, now };
	PGresult *res;
	int rc;

	snprintf(days, sizeof days, "%d", keep_days);
	if ((rc = pg_run(PG(st), S_IDEM_PRUNE, 2, pv, &res,
	    "cannot forget old keys", cause)) != POS_OK)
		return rc;
	PQclear(res);
	pg_hex(body_hash, TOKEN_DIGEST, hex);
	rc = pg_run(PG(st), S_IDEM_PUT, 5, v, &res,
	    "cannot store the idempotency key", cause);
	PQclear(res);
	return rc;
}

static int
pg_report_producers(struct cstore *st, const char *code, const char *from,
    const char *to, struct cstore_producer **out, size_t *n, char **cause)
{
	struct cstore_span sp;
	const char *v[7];
	struct cstore_pacc acc;
	struct cstore_prow row;
	PGresult *res;
	int rc, rows;

	*out = NULL;
	*n = 0;
	memset(&acc, 0, sizeof acc);
	cstore_span(from, to, &sp);
	v[0] = sp.d1_from;
	v[1] = sp.d1_to;
	v[2] = sp.m_from;
	v[3] = sp.m_to;
	v[4] = sp.d2_from;
	v[5] = sp.d2_to;
	v[6] = code;
	if (code != NULL)
		rc = pg_exec(PG(st), SUM_ONE_PRODUCER("$"), 7, v, &res,
		    "cannot read the summaries", cause);
	else
		rc = pg_run(PG(st), S_PRODUCERS, 6, v, &res,
		    "cannot read the summaries", cause);
	if (rc != POS_OK)
		return rc;
	rows = PQntuples(res);
	for (int i = 0; i < rows; i++) {
		row.code = PQgetvalue(res, i, 0);
		row.currency = PQgetvalue(res, i, 1);
		row.decimals = pg_int(res, i, 2);
		row.branch = PQgetvalue(res, i, 3);
		row.terminal = pg_int(res, i, 4);
		row.sold = pg_int(res, i, 5);
		row.refunded = pg_int(res, i, 6);
		row.paid_out = pg_int(res, i, 7);
		row.n = pg_int(res, i, 8);
		row.period = pg_int(res, i, 9) != 0;
		cstore_pacc_add(&acc, &row);
	}
	PQclear(res);
	if (code != NULL)
		rc = pg_exec(PG(st), SUM_ONE_NAME("$"), 1, &v[6], &res,
		    "cannot read the summaries", cause);
	else
		rc = pg_run(PG(st), S_PRODUCER_NAMES, 0, NULL, &res,
		    "cannot read the summaries", cause);
	if (rc != POS_OK) {
		cstore_pacc_free(&acc);
		return rc;
	}
	rows = PQntuples(res);
	for (int i = 0; i < rows; i++) {
		if (code == NULL)
			cstore_pacc_name(&acc, PQgetvalue(res, i, 0),
			    PQgetvalue(res, i, 1));
		else if (!PQgetisnull(res, i, 0))
			cstore_pacc_name(&acc, code, PQgetvalue(res, i, 0));
	}
	PQclear(res);
	cstore_pacc_done(&acc, out, n);
	cstore_pacc_free(&acc);
	return POS_OK;
}

static int
pg_producer_days(struct cstore *st, const char *code, const char *from,
    const char *to, struct cstore_pday **out, size_t *n, char **cause)
{
	const char *v[3] = { code, from, to };
	PGresult *res;
	int rc, rows;

	if ((rc = pg_exec(PG(st), SUM_ONE_DAYS("$"), 3, v, &res,
	    "cannot read the summaries", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_pday *d = &(*out)[i];

		pg_copy(res, i, 0, d->date, sizeof d->date);
		d->currency = pg_dup(res, i, 1);
		d->decimals = pg_int(res, i, 2);
		d->sold = pg_int(res, i, 3);
		d->refunded = pg_int(res, i, 4);
		d->paid_out = pg_int(res, i, 5);
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

/* The summary tables against the raw rows (cstore_sum.h). */
static int
pg_summaries_check(struct cstore *st, int64_t *bad, char **cause)
{
	PGresult *res;
	int rc;

	if ((rc = pg_run(PG(st), S_SUM_CHECK, 0, NULL, &res,
	    "cannot check the summaries", cause)) != POS_OK)
		return rc;
	for (int i = 0; i < CSTORE_SUMS; i++)
		bad[i] = pg_int(res, 0, i);
	PQclear(res);
	return POS_OK;
}

static int
pg_days_chains(struct cstore *st, const struct cstore_chain *chains,
    size_t nchains, const struct cstore_dspan *span, struct cstore_day **out,
    size_t *n, char **cause)
{
	struct cstore_dplace place;
	const char *v[3];
	PGresult *res;
	int rc, rows;

	cstore_dplace_start(&place, chains, nchains, out, n);
	if (span != NULL) {
		v[0] = span->from != NULL ? span->from : "9";
		v[1] = span->to != NULL ? span->to : "0";
		v[2] = span->until;
		rc = pg_run(PG(st), S_DAYS_SPAN, 3, v, &res,
		    "cannot read the days", cause);
	} else
		rc = pg_run(PG(st), S_DAYS_ALL, 0, NULL, &res,
		    "cannot read the days", cause);
	if (rc != POS_OK) {
		cstore_dplace_end(&place, true);
		return rc;
	}
	rows = PQntuples(res);
	for (int i = 0; i < rows; i++) {
		struct cstore_day *d = cstore_dplace(&place,
		    PQgetvalue(res, i, 0), pg_int(res, i, 1));

		if (d == NULL)
			continue;
		pg_copy(res, i, 2, d->date, sizeof d->date);
		d->open_seq = pg_int(res, i, 3);
		d->close_seq = pg_int(res, i, 4);
		d->entries = pg_int(res, i, 5);
		d->sessions = pg_int(res, i, 6);
	}
	PQclear(res);
	cstore_dplace_end(&place, false);
	return POS_OK;
}

static int
pg_counts(struct cstore *st, int64_t *entries, int64_t *lines,
    int64_t *payments, char **cause)
{
	PGresult *res;
	int rc;

	if ((rc = pg_run(PG(st), S_COUNTS, 0, NULL, &res, "cannot count",
	    cause)) != POS_OK)
		return rc;
	*entries = pg_int(res, 0, 0);
	*lines = pg_int(res, 0, 1);
	*payments = pg_int(res, 0, 2);
	PQclear(res);
	return POS_OK;
}

static int
pg_day_money(struct cstore *st, const char *from, const char *to,
    bool flagged, struct cstore_day_money **out, size_t *n, char **cause)
{
	const char *v[3] = { from, to, flagged ? "1" : "0" };
	PGresult *res;
	int rc, rows, c;

	*out = NULL;
	*n = 0;
	if ((rc = pg_run(PG(st), S_DAY_MONEY, 3, v, &res, "cannot read the days",
	    cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_day_money *d = &(*out)[i];

		d->branch = pg_dup(res, i, 0);
		d->terminal = pg_int(res, i, 1);
		pg_copy(res, i, 2, d->date, sizeof d->date);
		d->currency = pg_dup(res, i, 3);
		c = 4;
		d->decimals = pg_int(res, i, c++);
		d->sessions = pg_int(res, i, c++);
		d->closes = pg_int(res, i, c++);
		d->sales_count = pg_int(res, i, c++);
		d->gross = pg_int(res, i, c++);
		d->discounts = pg_int(res, i, c++);
		d->refunds = pg_int(res, i, c++);
		d->refunds_count = pg_int(res, i, c++);
		d->voids = pg_int(res, i, c++);
		d->voids_total = pg_int(res, i, c++);
		d->payouts = pg_int(res, i, c++);
		d->cash_in = pg_int(res, i, c++);
		d->cash_out = pg_int(res, i, c++);
		d->float_amount = pg_int(res, i, c++);
		d->counted_cash = pg_int(res, i, c++);
		d->entries = pg_int(res, i, c++);
		d->first_seq = pg_int(res, i, c++);
		d->last_seq = pg_int(res, i, c++);
		for (int m = 0; m < CSTORE_METHODS; m++)
			d->by_method[m] = pg_int(res, i, c++);
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

static int
pg_reject_put(struct cstore *st, const struct ledger_entry *e,
    const char *reason, const char *now, char **cause)
{
	char term[24], seq[24];
	const char *v[7] = { e->branch, term, seq, e->uuid,
	    e->receipt != NULL ? e->receipt : "", reason, now };
	PGresult *res;
	int rc;

	snprintf(term, sizeof term, "%lld", (long long)e->terminal);
	snprintf(seq, sizeof seq, "%lld", (long long)e->seq);
	rc = pg_run(PG(st), S_REJECT_PUT, 7, v, &res,
	    "cannot record the rejection", cause);
	PQclear(res);
	return rc;
}

static int
pg_rejection_copy(struct cstore *st, const struct cstore_rejection *r,
    char **cause)
{
	char term[24], seq[24], times[24];
	const char *v[9] = { r->branch, term, seq, r->uuid, r->receipt,
	    r->reason, r->first_at, r->last_at, times };
	PGresult *res;
	int rc;

	snprintf(term, sizeof term, "%lld", (long long)r->terminal);
	snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
	snprintf(times, sizeof times, "%lld", (long long)r->times);
	rc = pg_run(PG(st), S_REJECT_COPY, 9, v, &res,
	    "cannot copy the rejection", cause);
	PQclear(res);
	return rc;
}

static int
pg_rejections(struct cstore *st, struct cstore_rejection **out, size_t *n,
    char **cause)
{
	PGresult *res;
	int rc, rows;

	*out = NULL;
	*n = 0;
	if ((rc = pg_run(PG(st), S_REJECTIONS, 0, NULL, &res,
	    "cannot read the rejections", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_rejection *r = &(*out)[i];

		r->branch = pg_dup(res, i, 0);
		r->terminal = pg_int(res, i, 1);
		r->seq = pg_int(res, i, 2);
		r->uuid = pg_dup(res, i, 3);
		r->receipt = pg_dup(res, i, 4);
		r->reason = pg_dup(res, i, 5);
		r->first_at = pg_dup(res, i, 6);
		r->last_at = pg_dup(res, i, 7);
		r->times = pg_int(res, i, 8);
		r->resolved = strcmp(PQgetvalue(res, i, 9), "t") == 0;
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

/* ---- master data ---- */

/*
 * Master-data statements run unprepared: they serve office commands, not
 * the ingest path. As pg_run, a dead connection outside a transaction is
 * reset first.
 */
static int
pg_exec(struct pgstore *ps, const char *sql, int n, const char *const *v,
    PGresult **out, const char *what, char **cause)
{
	PGresult *res;
	ExecStatusType t;

	*out = NULL;
	if (!ps->in_tx)
		pg_alive(ps);
	res = PQexecParams(ps->conn, sql, n, NULL, v, NULL, NULL, 0);
	t = PQresultStatus(res);
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK)
		return pg_fail(ps, res, what, cause);
	*out = res;
	return POS_OK;
}

static int
pg_master_one(struct cstore *st, const char *sql, int64_t *version,
    char **cause)
{
	PGresult *res;
	int rc;

	if ((rc = pg_exec(PG(st), sql, 0, NULL, &res, "cannot read the "
	    "master-data version", cause)) != POS_OK)
		return rc;
	*version = PQntuples(res) == 1 ? pg_int(res, 0, 0) : 0;
	PQclear(res);
	return POS_OK;
}

/* The row lock orders concurrent changes: versions never repeat. */
static int
pg_master_bump(struct cstore *st, int64_t *version, char **cause)
{
	return pg_master_one(st, "UPDATE master_version SET version ="
	    " version + 1 RETURNING version", version, cause);
}

static int
pg_master_version(struct cstore *st, int64_t *version, char **cause)
{
	return pg_master_one(st, "SELECT version FROM master_version", version,
	    cause);
}

static int
pg_master_raise(struct cstore *st, int64_t version, char **cause)
{
	char ver[24];
	const char *v[1] = { ver };
	PGresult *res;
	int rc;

	snprintf(ver, sizeof ver, "%lld", (long long)version);
	rc = pg_exec(PG(st), "UPDATE master_version SET version ="
	    " greatest(version, $1::bigint)", 1, v, &res,
	    "cannot move the master-data version", cause);
	PQclear(res);
	return rc;
}

static int
pg_mproducer_put(struct cstore *st, const struct cstore_mproducer *p,
    char **cause)
{
	char ver[24];
	const char *v[6] = { p->code, p->name, p->phone,
	    p->active ? "t" : "f", ver, p->updated_at };
	PGresult *res;
	int rc;

	snprintf(ver, sizeof ver, "%lld", (long long)p->version);
	rc = pg_exec(PG(st), "INSERT INTO producers (code, name, phone, active,"
	    " version, updated_at) VALUES ($1, $2, $3, $4, $5, $6)"
	    " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
	    " phone = excluded.phone, active = excluded.active,"
	    " version = excluded.version, updated_at = excluded.updated_at",
	    6, v, &res, "cannot store the producer", cause);
	PQclear(res);
	return rc;
}

/* The producers res holds, into *out; res is cleared. */
static void
pg_mproducer_rows(PGresult *res, struct cstore_mproducer **out, size_t *n)
{
	int rows = PQntuples(res);

	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_mproducer *p = &(*out)[i];

		p->code = pg_dup(res, i, 0);
		p->name = pg_dup(res, i, 1);
		p->phone = pg_dup(res, i, 2);
		p->active = strcmp(PQgetvalue(res, i, 3), "t") == 0;
		p->version = pg_int(res, i, 4);
		p->updated_at = pg_dup(res, i, 5);
	}
	*n = (size_t)rows;
	PQclear(res);
}

static int
pg_mproducers(struct cstore *st, const char *code,
    struct cstore_mproducer **out, size_t *n, char **cause)
{
	const char *v[1] = { code };
	PGresult *res;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = pg_exec(PG(st), "SELECT code, name, phone, active, version,"
	    " updated_at FROM producers WHERE $1::text IS NULL OR code = $1"
	    " ORDER BY code COLLATE \"C\"", 1, v, &res,
	    "cannot read the producers", cause)) != POS_OK)
		return rc;
	pg_mproducer_rows(res, out, n);
	return POS_OK;
}

static int
pg_mproducers_changed(struct cstore *st, int64_t since, int64_t after_version,
    const char *after_code, int64_t limit, struct cstore_mproducer **out,
    size_t *n, char **cause)
{
	char a[24], b[24], c[24];
	const char *v[4] = { a, b, after_code, c };
	PGresult *res;
	int rc;

	*out = NULL;
	*n = 0;
	snprintf(a, sizeof a, "%lld", (long long)since);
	snprintf(b, sizeof b, "%lld", (long long)after_version);
	snprintf(c, sizeof c, "%lld", (long long)limit);
	if ((rc = pg_exec(PG(st), "SELECT code, name, phone, active, version,"
	    " updated_at FROM producers WHERE version > $1::bigint"
	    " AND (version, code COLLATE \"C\") > ($2::bigint, $3::text)"
	    " ORDER BY version, code COLLATE \"C\" LIMIT $4::bigint", 4, v,
	    &res, "cannot read the producers", cause)) != POS_OK)
		return rc;
	pg_mproducer_rows(res, out, n);
	return POS_OK;
}

static int
pg_mproduct_put(struct cstore *st, const struct cstore_mproduct *p,
    char **cause)
{
	char price[24], ver[24];
	const char *v[9] = { p->code, p->name, price, p->unit, p->barcode,
	    p->producer, p->active ? "t" : "f", ver, p->updated_at };
	PGresult *res;
	const char *state;
	int rc;

	snprintf(price, sizeof price, "%lld", (long long)p->price);
	snprintf(ver, sizeof ver, "%lld", (long long)p->version);
	/* A savepoint: a taken barcode must not lose the transaction. */
	if ((rc = pg_plain(PG(st), "SAVEPOINT mproduct", "cannot store the "
	    "product", cause)) != POS_OK)
		return rc;
	res = PQexecParams(PG(st)->conn, "INSERT INTO products (code, name,"
	    " price, unit, barcode, producer, active, version, updated_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
	    " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
	    " price = excluded.price, unit = excluded.unit,"
	    " barcode = excluded.barcode, producer = excluded.producer,"
	    " active = excluded.active, version = excluded.version,"
	    " updated_at = excluded.updated_at", 9, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		PQclear(res);
		return pg_plain(PG(st), "RELEASE SAVEPOINT mproduct",
		    "cannot store the product", cause);
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state != NULL && strcmp(state, "23505") == 0) {
		PQclear(res);
		if ((rc = pg_plain(PG(st), "ROLLBACK TO SAVEPOINT mproduct",
		    "cannot store the product", cause)) != POS_OK)
			return rc;
		return cause_set(cause, POS_INPUT, "product %s: barcode %s is "
		    "another product's", p->code, p->barcode);
	}
	return pg_fail(PG(st), res, "cannot store the product", cause);
}

/* The products res holds, into *out; res is cleared. */
static void
pg_mproduct_rows(PGresult *res, struct cstore_mproduct **out, size_t *n)
{
	int rows = PQntuples(res);

	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_mproduct *p = &(*out)[i];

		p->code = pg_dup(res, i, 0);
		p->name = pg_dup(res, i, 1);
		p->price = pg_int(res, i, 2);
		p->unit = pg_dup(res, i, 3);
		p->barcode = pg_dup(res, i, 4);
		p->producer = pg_dup(res, i, 5);
		p->active = strcmp(PQgetvalue(res, i, 6), "t") == 0;
		p->version = pg_int(res, i, 7);
		p->updated_at = pg_dup(res, i, 8);
	}
	*n = (size_t)rows;
	PQclear(res);
}

static int
pg_mproducts(struct cstore *st, const char *code,
    struct cstore_mproduct **out, size_t *n, char **cause)
{
	const char *v[1] = { code };
	PGresult *res;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = pg_exec(PG(st), "SELECT code, name, price, unit, barcode,"
	    " producer, active, version, updated_at FROM products"
	    " WHERE $1::text IS NULL OR code = $1 ORDER BY code COLLATE \"C\"",
	    1, v, &res, "cannot read the products", cause)) != POS_OK)
		return rc;
	pg_mproduct_rows(res, out, n);
	return POS_OK;
}

static int
pg_mproducts_changed(struct cstore *st, int64_t since, int64_t after_version,
    const char *after_code, int64_t limit, struct cstore_mproduct **out,
    size_t *n, char **cause)
{
	char a[24], b[24], c[24];
	const char *v[4] = { a, b, after_code, c };
	PGresult *res;
	int rc;

	*out = NULL;
	*n = 0;
	snprintf(a, sizeof a, "%lld", (long long)since);
	snprintf(b, sizeof b, "%lld", (long long)after_version);
	snprintf(c, sizeof c, "%lld", (long long)limit);
	if ((rc = pg_exec(PG(st), "SELECT code, name, price, unit, barcode,"
	    " producer, active, version, updated_at FROM products"
	    " WHERE version > $1::bigint"
	    " AND (version, code COLLATE \"C\") > ($2::bigint, $3::text)"
	    " ORDER BY version, code COLLATE \"C\" LIMIT $4::bigint", 4, v,
	    &res, "cannot read the products", cause)) != POS_OK)
		return rc;
	pg_mproduct_rows(res, out, n);
	return POS_OK;
}

static int
pg_merge_put(struct cstore *st, const struct cstore_merge *m, char **cause)
{
	char ver[24];
	const char *v[5] = { m->from, m->into, m->merged_at, m->undone_at,
	    ver };
	PGresult *res;
	int rc;

	snprintf(ver, sizeof ver, "%lld", (long long)m->version);
	rc = pg_exec(PG(st), "INSERT INTO producer_merges (from_code,"
	    " into_code, merged_at, undone_at, version)"
	    " VALUES ($1, $2, $3, $4, $5)"
	    " ON CONFLICT (from_code) DO UPDATE SET"
	    " into_code = excluded.into_code, merged_at = excluded.merged_at,"
	    " undone_at = excluded.undone_at, version = excluded.version",
	    5, v, &res, "cannot store the merge", cause);
	PQclear(res);
	return rc;
}

static int
pg_merges(struct cstore *st, struct cstore_merge **out, size_t *n,
    char **cause)
{
	PGresult *res;
	int rc, rows;

	*out = NULL;
	*n = 0;
	if ((rc = pg_exec(PG(st), "SELECT from_code, into_code, merged_at,"
	    " undone_at, version FROM producer_merges"
	    " ORDER BY from_code COLLATE \"C\"", 0, NULL, &res,
	    "cannot read the merges", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_merge *m = &(*out)[i];

		m->from = pg_dup(res, i, 0);
		m->into = pg_dup(res, i, 1);
		m->merged_at = pg_dup(res, i, 2);
		m->undone_at = pg_dup(res, i, 3);
		m->version = pg_int(res, i, 4);
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

/* ---- what windows sent of their own ---- */

static int
pg_lproducer_put(struct cstore *st, const struct cstore_lproducer *p,
    const char *round, char **cause)
{
	char term[24];
	const char *v[7] = { p->branch, term, p->code, p->name, p->phone,
	    round, p->sent_at };
	PGresult *res;
	int rc;

	snprintf(term, sizeof term, "%lld", (long long)p->terminal);
	rc = pg_exec(PG(st), "INSERT INTO local_producers (branch, terminal,"
	    " code, name, phone, round, sent_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7)"
	    " ON CONFLICT (branch, terminal, code) DO UPDATE SET"
	    " name = excluded.name, phone = excluded.phone,"
	    " round = excluded.round, sent_at = excluded.sent_at",
	    7, v, &res, "cannot store a window's producer", cause);
	PQclear(res);
	return rc;
}

static int
pg_lproduct_put(struct cstore *st, const struct cstore_lproduct *p,
    const char *round, char **cause)
{
	char term[24], price[24], dec[24];
	const char *v[13] = { p->branch, term, p->code, p->name, price,
	    p->currency, dec, p->unit, p->barcode, p->producer,
	    p->active ? "t" : "f", round, p->sent_at };
	PGresult *res;
	int rc;

	snprintf(term, sizeof term, "%lld", (long long)p->terminal);
	snprintf(price, sizeof price, "%lld", (long long)p->price);
	snprintf(dec, sizeof dec, "%lld", (long long)p->decimals);
	rc = pg_exec(PG(st), "INSERT INTO local_products (branch, terminal,"
	    " code, name, price, currency, decimals, unit, barcode, producer,"
	    " active, round, sent_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
	    " ON CONFLICT (branch, terminal, code) DO UPDATE SET"
	    " name = excluded.name, price = excluded.price,"
	    " currency = excluded.currency, decimals = excluded.decimals,"
	    " unit = excluded.unit, barcode = excluded.barcode,"
	    " producer = excluded.producer, active = excluded.active,"
	    " round = excluded.round, sent_at = excluded.sent_at",
	    13, v, &res, "cannot store a window's product", cause);
	PQclear(res);
	return rc;
}

static int
pg_local_prune(struct cstore *st, const char *branch, int64_t terminal,
    const char *round, char **cause)
{
	static const char *const sql[] = {
		"DELETE FROM local_producers WHERE branch = $1 AND"
		" terminal = $2 AND round <> $3",
		"DELETE FROM local_products WHERE branch = $1 AND"
		" terminal = $2 AND round <> $3",
	};
	char term[24];
	const char *v[3] = { branch, term, round };
	PGresult *res;
	int rc;

	snprintf(term, sizeof term, "%lld", (long long)terminal);
	for (size_t i = 0; i < 2; i++) {
		rc = pg_exec(PG(st), sql[i], 3, v, &res, "cannot forget a "
		    "window's old rows", cause);
		PQclear(res);
		if (rc != POS_OK)
			return rc;
	}
	return POS_OK;
}

static int
pg_lproducers(struct cstore *st, struct cstore_lproducer **out, size_t *n,
    char **cause)
{
	PGresult *res;
	int rc, rows;

	*out = NULL;
	*n = 0;
	if ((rc = pg_exec(PG(st), "SELECT branch, terminal, code, name, phone,"
	    " sent_at FROM local_producers ORDER BY code COLLATE \"C\","
	    " branch COLLATE \"C\", terminal", 0, NULL, &res,
	    "cannot read the windows' producers", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_lproducer *p = &(*out)[i];

		p->branch = pg_dup(res, i, 0);
		p->terminal = pg_int(res, i, 1);
		p->code = pg_dup(res, i, 2);
		p->name = pg_dup(res, i, 3);
		p->phone = pg_dup(res, i, 4);
		p->sent_at = pg_dup(res, i, 5);
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

static int
pg_lproducts(struct cstore *st, struct cstore_lproduct **out, size_t *n,
    char **cause)
{
	PGresult *res;
	int rc, rows;

	*out = NULL;
	*n = 0;
	if ((rc = pg_exec(PG(st), "SELECT branch, terminal, code, name, price,"
	    " currency, decimals, unit, barcode, producer, active, sent_at"
	    " FROM local_products ORDER BY code COLLATE \"C\","
	    " branch COLLATE \"C\", terminal", 0, NULL, &res,
	    "cannot read the windows' products", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_lproduct *p = &(*out)[i];

		p->branch = pg_dup(res, i, 0);
		p->terminal = pg_int(res, i, 1);
		p->code = pg_dup(res, i, 2);
		p->name = pg_dup(res, i, 3);
		p->price = pg_int(res, i, 4);
		p->currency = pg_dup(res, i, 5);
		p->decimals = pg_int(res, i, 6);
		p->unit = pg_dup(res, i, 7);
		p->barcode = pg_dup(res, i, 8);
		p->producer = pg_dup(res, i, 9);
		p->active = strcmp(PQgetvalue(res, i, 10), "t") == 0;
		p->sent_at = pg_dup(res, i, 11);
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

static int
pg_seen(struct cstore *st, const char *sql, struct cstore_seen **out,
    size_t *n, char **cause)
{
	PGresult *res;
	int rc, rows;

	*out = NULL;
	*n = 0;
	if ((rc = pg_exec(PG(st), sql, 0, NULL, &res, "cannot read the "
	    "journals' names", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_seen *s = &(*out)[i];

		s->branch = pg_dup(res, i, 0);
		s->terminal = pg_int(res, i, 1);
		s->code = pg_dup(res, i, 2);
		s->name = pg_dup(res, i, 3);
		s->price = pg_int(res, i, 4);
		s->currency = pg_dup(res, i, 5);
		s->decimals = pg_int(res, i, 6);
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

/*
 * As the SQLite store's: one chain's entries ($3, $4], the latest line
 * of each code (DISTINCT ON: one row a code, as ON CONFLICT needs).
 */
static const char *const pg_seen_sql[] = {
	"INSERT INTO seen_products (branch, terminal, code, name, price,"
	" currency, decimals, at)"
	" SELECT DISTINCT ON (l.product_code) e.branch, e.terminal,"
	" l.product_code, l.product_name, l.unit_price, e.currency,"
	" e.decimals, e.seq * 1024 + l.line_no"
	" FROM entries e JOIN lines l ON l.entry_id = e.id"
	" WHERE e.branch = $1 AND e.terminal = $2::bigint"
	" AND e.seq > $3::bigint AND e.seq <= $4::bigint"
	" ORDER BY l.product_code, e.seq DESC, l.line_no DESC"
	" ON CONFLICT (branch, terminal, code) DO UPDATE SET"
	" name = excluded.name, price = excluded.price,"
	" currency = excluded.currency, decimals = excluded.decimals,"
	" at = excluded.at WHERE excluded.at > seen_products.at",
	"INSERT INTO seen_producers (branch, terminal, code, name, currency,"
	" decimals, at)"
	" SELECT DISTINCT ON (code) branch, terminal, code, name, currency,"
	" decimals, at FROM (SELECT e.branch, e.terminal,"
	" l.producer_code AS code, l.producer_name AS name, e.currency,"
	" e.decimals, e.seq * 1024 + l.line_no AS at"
	" FROM entries e JOIN lines l ON l.entry_id = e.id"
	" WHERE e.branch = $1 AND e.terminal = $2::bigint"
	" AND e.seq > $3::bigint AND e.seq <= $4::bigint"
	" UNION ALL SELECT branch, terminal, producer_code, producer_name,"
	" currency, decimals, seq * 1024 + 1023 FROM entries"
	" WHERE branch = $1 AND terminal = $2::bigint AND seq > $3::bigint"
	" AND seq <= $4::bigint AND producer_code IS NOT NULL) u"
	" ORDER BY code, at DESC"
	" ON CONFLICT (branch, terminal, code) DO UPDATE SET"
	" name = excluded.name, currency = excluded.currency,"
	" decimals = excluded.decimals, at = excluded.at"
	" WHERE excluded.at > seen_producers.at",
};

static int
pg_seen_refresh(struct cstore *st, char **cause)
{
	PGresult *res, *r2;
	int rc, rows;

	if ((rc = pg_exec(PG(st), "SELECT c.branch, c.terminal, c.last_seq,"
	    " coalesce(m.seq, 0) FROM chains c LEFT JOIN seen_marks m"
	    " ON m.branch = c.branch AND m.terminal = c.terminal"
	    " WHERE c.last_seq > coalesce(m.seq, 0)", 0, NULL, &res,
	    "cannot read the chains", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	for (int i = 0; i < rows && rc == POS_OK; i++) {
		const char *v[4] = { PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 3),
		    PQgetvalue(res, i, 2) };

		const char *mark[3] = { v[0], v[1], v[3] };

		for (size_t k = 0; k < sizeof pg_seen_sql /
		    sizeof pg_seen_sql[0] && rc == POS_OK; k++) {
			rc = pg_exec(PG(st), pg_seen_sql[k], 4, v, &r2,
			    "cannot read the journals' names", cause);
			PQclear(r2);
		}
		if (rc != POS_OK)
			break;
		rc = pg_exec(PG(st), "INSERT INTO seen_marks (branch, terminal,"
		    " seq) VALUES ($1, $2::bigint, $3::bigint)"
		    " ON CONFLICT (branch, terminal) DO UPDATE SET"
		    " seq = excluded.seq", 3, mark, &r2, "cannot read the "
		    "journals' names", cause);
		PQclear(r2);
	}
	PQclear(res);
	return rc;
}

static int
pg_seen_producers(struct cstore *st, struct cstore_seen **out, size_t *n,
    char **cause)
{
	return pg_seen(st, "SELECT branch, terminal, code, name, 0, currency,"
	    " decimals FROM seen_producers ORDER BY code COLLATE \"C\","
	    " branch COLLATE \"C\", terminal", out, n, cause);
}

static int
pg_seen_products(struct cstore *st, struct cstore_seen **out, size_t *n,
    char **cause)
{
	return pg_seen(st, "SELECT branch, terminal, code, name, price,"
	    " currency, decimals FROM seen_products"
	    " ORDER BY code COLLATE \"C\", branch COLLATE \"C\", terminal",
	    out, n, cause);
}

/* ---- office accounts (unprepared, as master data; one statement each) ---- */

static int
pg_user_add(struct cstore *st, const struct cstore_user *u, char **cause)
{
	const char *v[5] = { u->name, u->role, u->password, u->created_at,
	    u->disabled_at };
	PGresult *res;
	int rc;

	if ((rc = pg_exec(PG(st), "INSERT INTO users (name, role, password,"
	    " created_at, disabled_at) VALUES ($1, $2, $3, $4, $5)"
	    " ON CONFLICT (name) DO NOTHING", 5, v, &res,
	    "cannot add the user", cause)) != POS_OK)
		return rc;
	rc = strcmp(PQcmdTuples(res), "1") == 0 ? POS_OK :
	    cause_set(cause, POS_INPUT, "user %s already exists", u->name);
	PQclear(res);
	return rc;
}

static int
pg_users(struct cstore *st, const char *name, struct cstore_user **out,
    size_t *n, char **cause)
{
	const char *v[1] = { name };
	PGresult *res;
	int rc, rows;

	*out = NULL;
	*n = 0;
	if ((rc = pg_exec(PG(st), "SELECT name, role, password, created_at,"
	    " disabled_at FROM users WHERE $1::text IS NULL OR name = $1"
	    " ORDER BY name COLLATE \"C\"", 1, v, &res,
	    "cannot read the users", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_user *u = &(*out)[i];

		u->name = pg_dup(res, i, 0);
		u->role = pg_dup(res, i, 1);
		u->password = pg_dup(res, i, 2);
		u->created_at = pg_dup(res, i, 3);
		u->disabled_at = pg_dup(res, i, 4);
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

static int
pg_user_disable(struct cstore *st, const char *name, const char *now,
    char **cause)
{
	const char *v[2] = { now, name };
	PGresult *res;
	int rc;

	if ((rc = pg_exec(PG(st), "WITH u AS (UPDATE users SET disabled_at = $1"
	    " WHERE name = $2 AND disabled_at IS NULL RETURNING name),"
	    " s AS (DELETE FROM web_sessions WHERE username IN"
	    " (SELECT name FROM u)) SELECT count(*) FROM u", 2, v, &res,
	    "cannot disable the user", cause)) != POS_OK)
		return rc;
	rc = pg_int(res, 0, 0) == 1 ? POS_OK : cause_set(cause, POS_INPUT,
	    "no user %s that may log in", name);
	PQclear(res);
	return rc;
}

static int
pg_apitoken_add(struct cstore *st, const char *name, const uint8_t *hash,
    const char *now, char **cause)
{
	char hex[2 * TOKEN_DIGEST + 1];
	const char *v[3] = { name, hex, now };
	PGresult *res;
	int rc;

	pg_hex(hash, TOKEN_DIGEST, hex);
	if ((rc = pg_exec(PG(st), "INSERT INTO api_tokens (name, token_hash,"
	    " created_at) VALUES ($1, decode($2, 'hex'), $3)"
	    " ON CONFLICT DO NOTHING", 3, v, &res, "cannot add the token",
	    cause)) != POS_OK)
		return rc;
	rc = strcmp(PQcmdTuples(res), "1") == 0 ? POS_OK :
	    cause_set(cause, POS_INPUT, "token %s already exists", name);
	PQclear(res);
	return rc;
}

static int
pg_apitoken_revoke(struct cstore *st, const char *name, const char *now,
    char **cause)
{
	const char *v[2] = { now, name };
	PGresult *res;
	int rc;

	if ((rc = pg_exec(PG(st), "UPDATE api_tokens SET revoked_at = $1"
	    " WHERE name = $2 AND revoked_at IS NULL", 2, v, &res,
	    "cannot revoke the token", cause)) != POS_OK)
		return rc;
	rc = strcmp(PQcmdTuples(res), "1") == 0 ? POS_OK :
	    cause_set(cause, POS_INPUT, "no valid token named %s", name);
	PQclear(res);
	return rc;
}

/*
 * The name of the row whose token_hash is digest (sql: SELECT name,
 * encode(token_hash, 'hex') ... WHERE token_hash = decode($1, 'hex')): as
 * pg_authenticate, by the digests' index, then in constant time; POS_DENIED
 * with unknown when none.
 */
static int
pg_digest_find(struct cstore *st, const char *sql, const uint8_t *digest,
    char **out, const char *unknown, const char *what, char **cause)
{
	char hex[2 * TOKEN_DIGEST + 1];
	const char *v[1] = { hex };
	uint8_t stored[TOKEN_DIGEST];
	PGresult *res;
	int rc;

	*out = NULL;
	pg_hex(digest, TOKEN_DIGEST, hex);
	if ((rc = pg_exec(PG(st), sql, 1, v, &res, what, cause)) != POS_OK)
		return rc;
	if (PQntuples(res) > 0 &&
	    pg_unhex(PQgetvalue(res, 0, 1), stored, TOKEN_DIGEST) &&
	    token_equal(stored, digest))
		*out = pg_dup(res, 0, 0);
	else
		rc = cause_set(cause, POS_DENIED, "%s", unknown);
	PQclear(res);
	return rc;
}

static int
pg_apitoken_find(struct cstore *st, const uint8_t *digest, char **name,
    char **cause)
{
	return pg_digest_find(st, "SELECT name, encode(token_hash, 'hex')"
	    " FROM api_tokens WHERE token_hash = decode($1, 'hex')"
	    " AND revoked_at IS NULL", digest, name, "unknown token",
	    "cannot read the tokens", cause);
}

static int
pg_apitokens(struct cstore *st, struct cstore_apitoken **out, size_t *n,
    char **cause)
{
	PGresult *res;
	int rc, rows;

	*out = NULL;
	*n = 0;
	if ((rc = pg_exec(PG(st), "SELECT name, encode(token_hash, 'hex'),"
	    " created_at, revoked_at FROM api_tokens ORDER BY name COLLATE \"C\"",
	    0, NULL, &res, "cannot read the tokens", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_apitoken *t = &(*out)[i];

		t->name = pg_dup(res, i, 0);
		pg_unhex(PQgetvalue(res, i, 1), t->token_hash, TOKEN_DIGEST);
		t->created_at = pg_dup(res, i, 2);
		t->revoked_at = pg_dup(res, i, 3);
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

/*
 * As SUM_PRODUCER_PRODUCTS (SQLite's), from sum_producer_products: a
 * product counts when any of its lines in the period does.
 */
#define PG_PRODUCER_PRODUCTS SUM_ONE_CODES("$", "1") \
	" SELECT product_code, max(name), currency, decimals," \
	" CAST(sum(qty_sold) AS BIGINT), CAST(sum(sold) AS BIGINT)," \
	" CAST(sum(refunded) AS BIGINT) FROM sum_producer_products" \
	" WHERE producer_code IN (SELECT code FROM c)" \
	" AND business_date BETWEEN $2 AND $3" \
	" GROUP BY product_code, currency, decimals HAVING sum(n) > 0" \
	" ORDER BY product_code, currency"

static int
pg_producer_products(struct cstore *st, const char *code, const char *from,
    const char *to, struct cstore_pproduct **out, size_t *n, char **cause)
{
	const char *v[3] = { code, from, to };
	PGresult *res;
	int rc, rows;

	if ((rc = pg_exec(PG(st), PG_PRODUCER_PRODUCTS, 3, v, &res,
	    "cannot read the products", cause)) != POS_OK)
		return rc;
	rows = PQntuples(res);
	*out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct cstore_pproduct *p = &(*out)[i];

		p->code = pg_dup(res, i, 0);
		p->name = pg_dup(res, i, 1);
		p->currency = pg_dup(res, i, 2);
		p->decimals = strtoll(PQgetvalue(res, i, 3), NULL, 10);
		p->qty_sold = strtoll(PQgetvalue(res, i, 4), NULL, 10);
		p->sold = strtoll(PQgetvalue(res, i, 5), NULL, 10);
		p->refunded = strtoll(PQgetvalue(res, i, 6), NULL, 10);
	}
	*n = (size_t)rows;
	PQclear(res);
	return POS_OK;
}

static int
pg_plink_get(struct cstore *st, const char *code, int64_t *rotation,
    uint8_t *hash, bool *issued, char **cause)
{
	const char *v[1] = { code };
	PGresult *res;
	int rc;

	if ((rc = pg_exec(PG(st), "SELECT rotation, encode(token_hash, 'hex')"
	    " FROM producer_links WHERE code = $1", 1, v, &res,
	    "cannot read the links",
	    cause)) != POS_OK)
		return rc;
	if (PQntuples(res) > 0) {
		*rotation = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		*issued = true;
		if (hash != NULL)
			pg_unhex(PQgetvalue(res, 0, 1), hash, TOKEN_DIGEST);
	}
	PQclear(res);
	return POS_OK;
}

static int
pg_plink_put(struct cstore *st, const char *code, int64_t rotation,
    const uint8_t *hash, char **cause)
{
	char hex[2 * TOKEN_DIGEST + 1], rot[24];
	const char *v[3] = { code, rot, hex };
	PGresult *res;
	int rc;

	pg_hex(hash, TOKEN_DIGEST, hex);
	snprintf(rot, sizeof rot, "%lld", (long long)rotation);
	rc = pg_exec(PG(st), "INSERT INTO producer_links (code, rotation,"
	    " token_hash) VALUES ($1, $2, decode($3, 'hex'))"
	    " ON CONFLICT (code) DO UPDATE SET rotation = excluded.rotation,"
	    " token_hash = excluded.token_hash", 3, v, &res,
	    "cannot store the link", cause);
	PQclear(res);
	return rc;
}

static int
pg_plink_find(struct cstore *st, const uint8_t *digest, char **code,
    char **cause)
{
	return pg_digest_find(st, "SELECT code, encode(token_hash, 'hex')"
	    " FROM producer_links WHERE token_hash = decode($1, 'hex')", digest,
	    code, "no such link", "cannot read the links", cause);
}

static int
pg_wsession_put(struct cstore *st, const uint8_t *hash, const char *user,
    const char *csrf, const char *created_at, const char *expires_at,
    char **cause)
{
	char hex[2 * TOKEN_DIGEST + 1];
	const char *v[5] = { hex, user, csrf, created_at, expires_at };
	PGresult *res;
	int rc;

	pg_hex(hash, TOKEN_DIGEST, hex);
	rc = pg_exec(PG(st), "WITH old AS (DELETE FROM web_sessions"
	    " WHERE expires_at < $4) INSERT INTO web_sessions (token_hash,"
	    " username, csrf, created_at, expires_at)"
	    " VALUES (decode($1, 'hex'), $2, $3, $4, $5)", 5, v, &res,
	    "cannot store the session", cause);
	PQclear(res);
	return rc;
}

static int
pg_wsession_get(struct cstore *st, const uint8_t *digest, const char *now,
    struct cstore_wsession *out, char **cause)
{
	char hex[2 * TOKEN_DIGEST + 1];
	const char *v[2] = { hex, now };
	uint8_t stored[TOKEN_DIGEST];
	PGresult *res;
	int rc;

	pg_hex(digest, TOKEN_DIGEST, hex);
	if ((rc = pg_exec(PG(st), "SELECT s.username, u.role, s.csrf,"
	    " s.expires_at, encode(s.token_hash, 'hex') FROM web_sessions s"
	    " JOIN users u ON u.name = s.username"
	    " WHERE s.token_hash = decode($1, 'hex') AND s.expires_at > $2"
	    " AND u.disabled_at IS NULL", 2, v, &res,
	    "cannot read the sessions", cause)) != POS_OK)
		return rc;
	if (PQntuples(res) > 0 &&
	    pg_unhex(PQgetvalue(res, 0, 4), stored, TOKEN_DIGEST) &&
	    token_equal(stored, digest)) {
		out->user = pg_dup(res, 0, 0);
		out->role = pg_dup(res, 0, 1);
		out->csrf = pg_dup(res, 0, 2);
		out->expires_at = pg_dup(res, 0, 3);
	} else
		rc = cause_set(cause, POS_DENIED, "no such session");
	PQclear(res);
	return rc;
}

static int
pg_wsession_drop(struct cstore *st, const uint8_t *digest, char **cause)
{
	char hex[2 * TOKEN_DIGEST + 1];
	const char *v[1] = { hex };
	PGresult *res;
	int rc;

	pg_hex(digest, TOKEN_DIGEST, hex);
	rc = pg_exec(PG(st), "DELETE FROM web_sessions"
	    " WHERE token_hash = decode($1, 'hex')", 1, v, &res,
	    "cannot end the session", cause);
	PQclear(res);
	return rc;
}

static int
pg_login_failed(struct cstore *st, const char *key, const char *now,
    const char *forget, char **cause)
{
	const char *v[3] = { key, now, forget };
	PGresult *res;
	int rc;

	rc = pg_exec(PG(st), "WITH old AS (DELETE FROM login_failures"
	    " WHERE at < $3) INSERT INTO login_failures (key, at)"
	    " VALUES ($1, $2)", 3, v, &res, "cannot count the failed login",
	    cause);
	PQclear(res);
	return rc;
}

static int
pg_login_failures(struct cstore *st, const char *key, const char *since,
    int64_t *n, char **cause)
{
	const char *v[2] = { key, since };
	PGresult *res;
	int rc;

	*n = 0;
	if ((rc = pg_exec(PG(st), "SELECT count(*) FROM login_failures"
	    " WHERE key = $1 AND at >= $2", 2, v, &res,
	    "cannot count failed logins", cause)) != POS_OK)
		return rc;
	*n = pg_int(res, 0, 0);
	PQclear(res);
	return POS_OK;
}


static const struct cstore_ops pg_ops = {
	.kind = "postgresql",
	.serial = false,
	.close = pg_close,
	.ping = pg_ping,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.branch_add = pg_branch_add,
	.branch_revoke = pg_branch_revoke,
	.branches = pg_branches,
	.authenticate = pg_authenticate,
	.head = pg_head,
	.chains = pg_chains,
	.find_uuid = pg_find_uuid,
	.insert = pg_insert,
	.put_head = pg_put_head,
	.savepoint = pg_savepoint,
	.savepoint_end = pg_savepoint_end,
	.each_entry = pg_each_entry,
	.entries_after = pg_entries_after,
	.idem_get = pg_idem_get,
	.idem_put = pg_idem_put,
	.report_producers = pg_report_producers,
	.producer_days = pg_producer_days,
	.days_chains = pg_days_chains,
	.counts = pg_counts,
	.day_money = pg_day_money,
	.reject_put = pg_reject_put,
	.rejections = pg_rejections,
	.rejection_copy = pg_rejection_copy,
	.summaries_check = pg_summaries_check,
	.insert_many = pg_insert_many,
	.master_bump = pg_master_bump,
	.master_version = pg_master_version,
	.master_raise = pg_master_raise,
	.mproducer_put = pg_mproducer_put,
	.mproducers = pg_mproducers,
	.mproduct_put = pg_mproduct_put,
	.mproducts = pg_mproducts,
	.mproducers_changed = pg_mproducers_changed,
	.mproducts_changed = pg_mproducts_changed,
	.merge_put = pg_merge_put,
	.merges = pg_merges,
	.lproducer_put = pg_lproducer_put,
	.lproduct_put = pg_lproduct_put,
	.local_prune = pg_local_prune,
	.lproducers = pg_lproducers,
	.lproducts = pg_lproducts,
	.seen_refresh = pg_seen_refresh,
	.seen_producers = pg_seen_producers,
	.seen_products = pg_seen_products,
	.user_add = pg_user_add,
	.users = pg_users,
	.user_disable = pg_user_disable,
	.apitoken_revoke = pg_apitoken_revoke,
	.apitoken_add = pg_apitoken_add,
	.apitoken_find = pg_apitoken_find,
	.apitokens = pg_apitokens,
	.producer_products = pg_producer_products,
	.plink_get = pg_plink_get,
	.plink_put = pg_plink_put,
	.plink_find = pg_plink_find,
	.wsession_put = pg_wsession_put,
	.wsession_get = pg_wsession_get,
	.wsession_drop = pg_wsession_drop,
	.login_failed = pg_login_failed,
	.login_failures = pg_login_failures,
};

int
cstore_schema_version_pg(void)
{
	return PG_NMIGRATIONS;
}
