/*
 * The window store: its schema and migrations, how its file is opened
 * (config/sqldb.c does the SQLite work), and its identity and clock.
 *
 * The journal tables are append-only: triggers refuse UPDATE and DELETE, so
 * a bug cannot rewrite history; `pos verify` catches anyone who drops them.
 * Which day is open is not stored as state: it is the last day_open or
 * day_close entry of the journal, and so are a date's sessions (the
 * day_sessions view).
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

static const char *store_migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"
	"CREATE TABLE producers ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  phone TEXT,"
	"  created_at TEXT NOT NULL) STRICT;"
	"CREATE TABLE products ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  barcode TEXT UNIQUE,"
	"  name TEXT NOT NULL,"
	"  search TEXT NOT NULL,"
	"  price INTEGER NOT NULL CHECK (price >= 0),"
	"  unit TEXT NOT NULL CHECK (unit IN ('piece', 'kg')),"
	"  producer_id INTEGER NOT NULL REFERENCES producers(id),"
	"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))) STRICT;"
	"CREATE INDEX products_producer ON products(producer_id);"
	"CREATE VIRTUAL TABLE products_fts USING fts5(search,"
	"  content='products', content_rowid='id', tokenize='trigram');"
	"CREATE TRIGGER products_ai AFTER INSERT ON products BEGIN"
	"  INSERT INTO products_fts(rowid, search) VALUES (new.id, new.search);"
	"END;"
	"CREATE TRIGGER products_au AFTER UPDATE OF search ON products BEGIN"
	"  INSERT INTO products_fts(products_fts, rowid, search)"
	"    VALUES ('delete', old.id, old.search);"
	"  INSERT INTO products_fts(rowid, search) VALUES (new.id, new.search);"
	"END;"
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('attendant', 'supervisor')),"
	"  salt BLOB NOT NULL,"
	"  pin_hash BLOB NOT NULL,"
	"  iterations INTEGER NOT NULL,"
	"  created_at TEXT NOT NULL) STRICT;"
	"CREATE TABLE journal ("
	"  seq INTEGER PRIMARY KEY CHECK (seq >= 1),"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('day_open', 'sale', 'void',"
	"    'refund', 'payout', 'cash_in', 'cash_out', 'day_close')),"
	"  receipt TEXT NOT NULL UNIQUE,"
	"  created_at TEXT NOT NULL,"
	"  business_date TEXT NOT NULL,"
	"  user TEXT NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  decimals INTEGER NOT NULL,"
	"  ref_seq INTEGER REFERENCES journal(seq),"
	"  ref_uuid TEXT,"
	"  ref_receipt TEXT,"
	"  producer_code TEXT,"
	"  producer_name TEXT,"
	"  amount INTEGER NOT NULL,"
	"  reason TEXT,"
	"  total INTEGER NOT NULL,"
	"  discount INTEGER NOT NULL,"
	"  paid INTEGER NOT NULL,"
	"  change INTEGER NOT NULL,"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL) STRICT;"
	"CREATE INDEX journal_date ON journal(business_date, kind);"
	"CREATE INDEX journal_kind ON journal(kind, seq);"
	"CREATE INDEX journal_ref ON journal(ref_seq);"
	"CREATE INDEX journal_producer ON journal(producer_code)"
	"  WHERE producer_code IS NOT NULL;"
	"CREATE TABLE journal_lines ("
	"  seq INTEGER NOT NULL REFERENCES journal(seq),"
	"  line_no INTEGER NOT NULL,"
	"  product_code TEXT NOT NULL,"
	"  product_name TEXT NOT NULL,"
	"  producer_code TEXT NOT NULL,"
	"  producer_name TEXT NOT NULL,"
	"  unit TEXT NOT NULL,"
	"  qty INTEGER NOT NULL,"
	"  unit_price INTEGER NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  discount INTEGER NOT NULL,"
	"  net INTEGER NOT NULL,"
	"  PRIMARY KEY (seq, line_no)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX lines_producer ON journal_lines(producer_code);"
	"CREATE TABLE journal_payments ("
	"  seq INTEGER NOT NULL REFERENCES journal(seq),"
	"  pay_no INTEGER NOT NULL,"
	"  method TEXT NOT NULL,"
	"  tendered INTEGER NOT NULL,"
	"  amount INTEGER NOT NULL,"
	"  PRIMARY KEY (seq, pay_no)) STRICT, WITHOUT ROWID;"
	"CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN"
	"  SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN"
	"  SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"CREATE TRIGGER lines_no_update BEFORE UPDATE ON journal_lines BEGIN"
	"  SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"CREATE TRIGGER lines_no_delete BEFORE DELETE ON journal_lines BEGIN"
	"  SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"CREATE TRIGGER payments_no_update BEFORE UPDATE ON journal_payments BEGIN"
	"  SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"CREATE TRIGGER payments_no_delete BEFORE DELETE ON journal_payments BEGIN"
	"  SELECT RAISE(ABORT, 'the journal is append-only'); END;",

	/* 2: the print queue (state, not history: rows change as jobs go) */
	"CREATE TABLE print_jobs ("
	"  id INTEGER PRIMARY KEY,"
	"  seq INTEGER REFERENCES journal(seq),"
	"  what TEXT NOT NULL CHECK (what IN ('receipt', 'copy', 'report_x',"
	"    'report_z', 'statement')),"
	"  arg TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending',"
	"    'sent', 'done', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_try TEXT,"
	"  last_error TEXT,"
	"  dest TEXT,"
	"  cups_job INTEGER,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX print_jobs_state ON print_jobs(state, id);"
	"CREATE INDEX print_jobs_seq ON print_jobs(seq);",

	/*
	 * 3: sync state (pos/queue/outbox.c): how far the central server has
	 * acknowledged the journal, and the entries it rejected, with why.
	 */
	"CREATE TABLE sync_state ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  acked_through INTEGER NOT NULL DEFAULT 0 CHECK (acked_through >= 0),"
	"  server_head TEXT,"
	"  last_attempt TEXT,"
	"  last_success TEXT,"
	"  last_error TEXT) STRICT;"
	"INSERT INTO sync_state (id) VALUES (1);"
	"CREATE TABLE sync_rejects ("
	"  seq INTEGER PRIMARY KEY REFERENCES journal(seq),"
	"  uuid TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  first_seen TEXT NOT NULL,"
	"  last_seen TEXT NOT NULL) STRICT;",

	/* 4: code-prefix search as an index range, in any letter case */
	"CREATE INDEX products_code_nocase ON products(code COLLATE NOCASE);",

	/*
	 * 5: a generation of the searchable names, moved by every change to
	 * them, so a process keeping them in memory (pos/domain/catalog.c) knows
	 * when its copy is old, whoever changed them.
	 */
	"CREATE TABLE catalog_gen ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  gen INTEGER NOT NULL) STRICT;"
	"INSERT INTO catalog_gen VALUES (1, 0);"
	"CREATE TRIGGER products_gen_ai AFTER INSERT ON products BEGIN"
	"  UPDATE catalog_gen SET gen = gen + 1; END;"
	"CREATE TRIGGER products_gen_au AFTER UPDATE OF search ON products BEGIN"
	"  UPDATE catalog_gen SET gen = gen + 1; END;"
	"CREATE TRIGGER products_gen_ad AFTER DELETE ON products BEGIN"
	"  UPDATE catalog_gen SET gen = gen + 1; END;",

	/*
	 * 6: who a sent print job is in CUPS beyond its number, which a
	 * restarted cupsd may give again (job-uuid, time-at-creation), and
	 * what the scheduler last said of it (job-state name,
	 * job-state-reasons, job-printer-state-message, and when).
	 */
	"ALTER TABLE print_jobs ADD COLUMN cups_uuid TEXT;"
	"ALTER TABLE print_jobs ADD COLUMN cups_created INTEGER;"
	"ALTER TABLE print_jobs ADD COLUMN cups_state TEXT;"
	"ALTER TABLE print_jobs ADD COLUMN cups_reasons TEXT;"
	"ALTER TABLE print_jobs ADD COLUMN cups_message TEXT;"
	"ALTER TABLE print_jobs ADD COLUMN cups_seen TEXT;",

	/*
	 * 7: parked sales: carts put aside to be recalled, kept across log-outs
	 * and restarts. Not in the journal: nothing is sold until recalled and
	 * paid (pos/domain/parked.c).
	 */
	"CREATE TABLE parked_sales ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  user TEXT NOT NULL,"
	"  parked_at TEXT NOT NULL,"
	"  discount INTEGER NOT NULL DEFAULT 0) STRICT;"
	"CREATE TABLE parked_lines ("
	"  parked_id INTEGER NOT NULL REFERENCES parked_sales(id)"
	"    ON DELETE CASCADE,"
	"  line INTEGER NOT NULL,"
	"  product_code TEXT NOT NULL,"
	"  product_name TEXT NOT NULL,"
	"  qty INTEGER NOT NULL CHECK (qty > 0),"
	"  PRIMARY KEY (parked_id, line)) STRICT;",

	/*
	 * 8: the sessions (shifts) of a business date. A date holds as many
	 * sessions as it has day_open entries, numbered from 1 in journal
	 * order; a session runs from its day_open to the next day_close (NULL
	 * while open). Derived from the journal, never stored beside it, so
	 * it cannot disagree with the chain.
	 */
	"CREATE VIEW day_sessions AS SELECT o.business_date AS business_date,"
	"  row_number() OVER (PARTITION BY o.business_date ORDER BY o.seq)"
	"    AS session,"
	"  o.seq AS open_seq,"
	"  (SELECT min(c.seq) FROM journal c WHERE c.kind = 'day_close'"
	"    AND c.seq > o.seq) AS close_seq"
	"  FROM journal o WHERE o.kind = 'day_open';",

	/*
	 * 9: the store's currency code and decimals (meta 'currency',
	 * 'decimals'), which pos init records. A store that has sold keeps
	 * what its first entry was written in; one with an empty journal
	 * takes the configuration's at its next open (store_currency).
	 */
	"INSERT OR IGNORE INTO meta (key, value)"
	"  SELECT 'currency', currency FROM journal ORDER BY seq LIMIT 1;"
	"INSERT OR IGNORE INTO meta (key, value)"
	"  SELECT 'decimals', CAST(decimals AS TEXT) FROM journal"
	"  ORDER BY seq LIMIT 1;",

	/*
	 * 10: master data held from the centre (pos/domain/mdata.c). A row
	 * with a central_version came from the centre's register (that
	 * version of it), a row without is local to this window; conflict
	 * says why a local row was kept beside a central one of its code.
	 * central_price is the centre's price last applied, so that a price
	 * set at this window stays until the centre sets a new one.
	 * master_state holds the version pulled and when.
	 */
	"ALTER TABLE producers ADD COLUMN central_version INTEGER;"
	"ALTER TABLE producers ADD COLUMN conflict TEXT;"
	"ALTER TABLE producers ADD COLUMN owed_all_windows INTEGER;"
	"ALTER TABLE products ADD COLUMN central_version INTEGER;"
	"ALTER TABLE products ADD COLUMN central_price INTEGER;"
	"ALTER TABLE products ADD COLUMN conflict TEXT;"
	"CREATE INDEX producers_conflict ON producers(id)"
	"  WHERE conflict IS NOT NULL;"
	"CREATE INDEX products_conflict ON products(id)"
	"  WHERE conflict IS NOT NULL;"
	"CREATE TABLE master_state ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),"
	"  pulled_at TEXT,"
	"  owed_as_of TEXT,"
	"  bulk INTEGER NOT NULL DEFAULT 0 CHECK (bulk IN (0, 1))) STRICT;"
	"INSERT INTO master_state (id) VALUES (1);"
	/*
	 * A pull of many products sets bulk inside its transaction and
	 * rebuilds the search index and moves the generation of the names
	 * once at its end (ten times faster than row by row); nothing
	 * outside that transaction ever sees bulk set.
	 */
	"DROP TRIGGER products_ai;"
	"CREATE TRIGGER products_ai AFTER INSERT ON products"
	"  WHEN (SELECT bulk FROM master_state) = 0 BEGIN"
	"  INSERT INTO products_fts(rowid, search) VALUES (new.id, new.search);"
	"END;"
	"DROP TRIGGER products_au;"
	"CREATE TRIGGER products_au AFTER UPDATE OF search ON products"
	"  WHEN (SELECT bulk FROM master_state) = 0 BEGIN"
	"  INSERT INTO products_fts(products_fts, rowid, search)"
	"    VALUES ('delete', old.id, old.search);"
	"  INSERT INTO products_fts(rowid, search) VALUES (new.id, new.search);"
	"END;"
	"DROP TRIGGER products_gen_ai;"
	"CREATE TRIGGER products_gen_ai AFTER INSERT ON products"
	"  WHEN (SELECT bulk FROM master_state) = 0 BEGIN"
	"  UPDATE catalog_gen SET gen = gen + 1; END;"
	"DROP TRIGGER products_gen_au;"
	"CREATE TRIGGER products_gen_au AFTER UPDATE OF search ON products"
	"  WHEN (SELECT bulk FROM master_state) = 0 BEGIN"
	"  UPDATE catalog_gen SET gen = gen + 1; END;",

	/*
	 * 11: a producer's page link at the centre (<public_url>/p/<token>),
	 * as the centre last sent it, for the QR code on their statement and
	 * payout slips; NULL when the centre sent none.
	 */
	"ALTER TABLE producers ADD COLUMN page_link TEXT;",
};

static const struct sqldb_opts store_sqldb = {
	.what = "store",
	.missing = "run 'pos init' first",
	.program = "pos",
	.make_parents = true,
	.busy_timeout = 5000,
	.busy_rc = POS_FAIL,
	.busy_note = " (another program holds it)",
	.truncate_failed_commit = true,
};

static int
store_load_identity(struct store *st, char **cause)
{
	sqlite3_stmt *stmt;
	const char *key;
	int rc = POS_OK, r;

	stmt = sqldb_prepare(st->db, "SELECT key, value FROM meta "
	    "WHERE key IN ('branch', 'terminal', 'currency', 'decimals')",
	    cause);
	if (stmt == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		key = (const char *)sqlite3_column_text(stmt, 0);
		if (strcmp(key, "branch") == 0) {
			free(st->branch);
			st->branch = sqldb_column_dup(stmt, 1);
		} else if (strcmp(key, "currency") == 0) {
			free(st->currency);
			st->currency = sqldb_column_dup(stmt, 1);
		} else if (strcmp(key, "decimals") == 0)
			st->decimals = (int)sqlite3_column_int64(stmt, 1);
		else
			st->terminal = sqlite3_column_int64(stmt, 1);
	}
	if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the store identity",
		    cause);
	sqlite3_finalize(stmt);
	return rc;
}

/* Record the configuration's currency as the store's (in a transaction). */
static int
store_record_currency(struct store *st, char **cause)
{
	sqlite3_stmt *stmt;
	char dec[8];
	int rc = POS_OK;

	stmt = sqldb_prepare(st->db, "INSERT OR IGNORE INTO meta (key, value) "
	    "VALUES ('currency', ?1), ('decimals', ?2)", cause);
	if (stmt == NULL)
		return POS_FAIL;
	snprintf(dec, sizeof dec, "%d", st->cfg->currency.decimals);
	sqldb_bind_text(stmt, 1, st->cfg->currency.code);
	sqldb_bind_text(stmt, 2, dec);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot record the store's currency",
		    cause);
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * The store's currency against the configuration's: a set-up store that
 * has none recorded (made before it was kept) takes the configuration's;
 * one that has is refused a configuration that disagrees, since every
 * amount in it is in the recorded decimals.
 */
static int
store_currency(struct store *st, char **cause)
{
	const struct config *cfg = st->cfg;
	int rc;

	if (cfg == NULL || st->branch == NULL)
		return POS_OK;
	if (st->currency == NULL) {
		if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
			return rc;
		if ((rc = store_record_currency(st, cause)) != POS_OK ||
		    (rc = sqldb_commit(st->db, cause)) != POS_OK) {
			sqldb_rollback(st->db);
			return rc;
		}
		return store_load_identity(st, cause);
	}
	if (strcmp(st->currency, cfg->currency.code) != 0 ||
	    st->decimals != cfg->currency.decimals)
		return cause_set(cause, POS_INPUT, "%s keeps its money in %s "
		    "with %d decimals, but the configuration says %s with %d: "
		    "set [currency] code = %s and decimals = %d (a store's "
		    "currency is fixed by pos init)", st->db->path,
		    st->currency, st->decimals, cfg->currency.code,
		    cfg->currency.decimals, st->currency, st->decimals);
	return POS_OK;
}

int
store_open(const char *path, bool create, const struct config *cfg,
    struct store **out, char **cause)
{
	struct store *st;
	int rc;

	*out = NULL;
	st = xcalloc(1, sizeof *st);
	st->cfg = cfg;
	if ((rc = sqldb_open(path, create, &store_sqldb, &st->db, cause)) !=
	    POS_OK)
		goto fail;
	if ((rc = sqldb_migrate(st->db, store_migrations, sizeof
	    store_migrations / sizeof store_migrations[0], cause)) != POS_OK)
		goto fail;
	if ((rc = store_load_identity(st, cause)) != POS_OK ||
	    (rc = store_currency(st, cause)) != POS_OK)
		goto fail;
	*out = st;
	return POS_OK;
fail:
	store_close(st);
	return rc == POS_OK ? POS_FAIL : rc;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->names_free != NULL)
		st->names_free(st->names);
	sqldb_close(st->db);
	free(st->branch);
	free(st->currency);
	free(st);
}

int
store_need_identity(struct store *st, char **cause)
{
	if (st->branch == NULL)
		return cause_set(cause, POS_INPUT,
		    "%s is not set up: run 'pos init --branch CODE "
		    "--terminal N' first", st->db->path);
	return POS_OK;
}

int
store_init_identity(struct store *st, const char *branch, int64_t terminal,
    const char *name, char **cause)
{
	sqlite3_stmt *stmt = NULL;
	char term[24];
	int rc;

	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((rc = store_load_identity(st, cause)) != POS_OK)
		goto out;
	if (st->branch != NULL) {
		rc = cause_set(cause, POS_INPUT,
		    "%s is already set up as branch %s terminal %lld; the "
		    "receipt series cannot change", st->db->path, st->branch,
		    (long long)st->terminal);
		goto out;
	}
	stmt = sqldb_prepare(st->db,
	    "INSERT INTO meta (key, value) VALUES (?, ?)", cause);
	if (stmt == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	snprintf(term, sizeof term, "%lld", (long long)terminal);
	const char *rows[][2] = {
		{ "branch", branch }, { "terminal", term }, { "name", name }
	};
	for (size_t i = 0; i < 3; i++) {
		if (rows[i][1] == NULL)
			continue;
		sqlite3_reset(stmt);
		sqldb_bind_text(stmt, 1, rows[i][0]);
		sqldb_bind_text(stmt, 2, rows[i][1]);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			rc = sqldb_sqlerr(st->db, "cannot set up the store",
			    cause);
			goto out;
		}
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (st->cfg != NULL && st->currency == NULL &&
	    (rc = store_record_currency(st, cause)) != POS_OK)
		goto out;
	if ((rc = sqldb_commit(st->db, cause)) != POS_OK)
		goto out;
	rc = store_load_identity(st, cause);
out:
	sqlite3_finalize(stmt);
	sqldb_rollback(st->db);
	return rc;
}

/* Make local time the configured zone's ([window] timezone). 0 or -1. */
static int
store_zone(const struct config *cfg)
{
	const char *tz;

	/* tzset() rereads the zone file: only when the zone changes. */
	if (cfg != NULL && cfg->window.timezone != NULL &&
	    ((tz = getenv("TZ")) == NULL ||
	    strcmp(tz, cfg->window.timezone) != 0)) {
		if (setenv("TZ", cfg->window.timezone, 1) != 0)
			return -1;
		tzset();
	}
	return 0;
}

int
store_now(const struct config *cfg, char utc[21], char date[11], char **cause)
{
	const char *fixed = getenv("POS_NOW");
	struct tm tm;
	time_t now;
	char *end;

	if (fixed != NULL && *fixed != '\0') {
		memset(&tm, 0, sizeof tm);
		end = strptime(fixed, "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (end == NULL || *end != '\0')
			return cause_set(cause, POS_INPUT,
			    "POS_NOW: must be YYYY-MM-DDTHH:MM:SSZ, got \"%s\"",
			    fixed);
		now = timegm(&tm);
	} else
		now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL)
		return cause_set(cause, POS_FAIL, "the clock is unusable");
	strftime(utc, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (store_zone(cfg) != 0)
		return cause_set(cause, POS_FAIL, "cannot set TZ");
	if (localtime_r(&now, &tm) == NULL)
		return cause_set(cause, POS_FAIL, "the clock is unusable");
	strftime(date, 11, "%Y-%m-%d", &tm);
	return POS_OK;
}

int
store_schema_version(void)
{
	return (int)(sizeof store_migrations / sizeof store_migrations[0]);
}

void
store_local_time(const struct config *cfg, const char *utc,
    enum store_time_form form, char *buf, size_t len)
{
	struct tm tm;
	time_t t;
	char *end;

	memset(&tm, 0, sizeof tm);
	end = utc != NULL ? strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	if (end == NULL || *end != '\0' || store_zone(cfg) != 0) {
		snprintf(buf, len, "%s", utc != NULL ? utc : "");
		return;
	}
	t = timegm(&tm);
	if (localtime_r(&t, &tm) == NULL || strftime(buf, len,
	    form == STORE_TIME_HM ? "%H:%M" : form == STORE_TIME_SLASH_HM ?
	    "%Y/%m/%d %H:%M" : "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(buf, len, "%s", utc);
}
