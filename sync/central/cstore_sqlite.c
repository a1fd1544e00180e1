/*
 * The central store on SQLite. Entries, lines and payments are append-only
 * (triggers refuse UPDATE and DELETE); a chain's head row is the only
 * thing an ingest updates, and `pos-central verify` rebuilds every hash
 * from the rows, so a changed head or row is found.
 *
 * It is all the SQLite SQL of the central store (schema, migrations and
 * every query); cstore_pg.c is the same for PostgreSQL.
 */
#include "cstore_impl.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "cstore_sum.h"
#include "ledger_sql.h"
#include "sqldb.h"
#include "xalloc.h"

struct sqstore {
	struct cstore	 base;
	struct sqldb	*db;
};
#define SQ(st)	((struct sqstore *)(void *)(st))

static const char *cstore_migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE branches ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT,"
	"  token_hash BLOB NOT NULL CHECK (length(token_hash) = 32),"
	"  created_at TEXT NOT NULL,"
	"  revoked_at TEXT) STRICT;"
	"CREATE TABLE chains ("
	"  branch TEXT NOT NULL REFERENCES branches(code),"
	"  terminal INTEGER NOT NULL CHECK (terminal BETWEEN 1 AND 999),"
	"  last_seq INTEGER NOT NULL,"
	"  head TEXT NOT NULL,"
	"  first_received TEXT NOT NULL,"
	"  last_received TEXT NOT NULL,"
	"  PRIMARY KEY (branch, terminal)) STRICT;"
	"CREATE TABLE entries ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  branch TEXT NOT NULL,"
	"  terminal INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL CHECK (seq >= 1),"
	"  kind TEXT NOT NULL CHECK (kind IN ('day_open', 'sale', 'void',"
	"    'refund', 'payout', 'cash_in', 'cash_out', 'day_close')),"
	"  receipt TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  business_date TEXT NOT NULL,"
	"  user TEXT NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  decimals INTEGER NOT NULL,"
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
	"  hash TEXT NOT NULL,"
	"  received_at TEXT NOT NULL,"
	"  UNIQUE (branch, terminal, seq),"
	"  FOREIGN KEY (branch, terminal) REFERENCES chains(branch, terminal)"
	") STRICT;"
	"CREATE INDEX entries_date ON entries(business_date, kind);"
	"CREATE INDEX entries_ref ON entries(ref_uuid) WHERE ref_uuid IS NOT NULL;"
	"CREATE INDEX entries_producer ON entries(producer_code)"
	"  WHERE producer_code IS NOT NULL;"
	"CREATE TABLE lines ("
	"  entry_id INTEGER NOT NULL REFERENCES entries(id),"
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
	"  PRIMARY KEY (entry_id, line_no)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX lines_producer ON lines(producer_code);"
	"CREATE TABLE payments ("
	"  entry_id INTEGER NOT NULL REFERENCES entries(id),"
	"  pay_no INTEGER NOT NULL,"
	"  method TEXT NOT NULL,"
	"  tendered INTEGER NOT NULL,"
	"  amount INTEGER NOT NULL,"
	"  PRIMARY KEY (entry_id, pay_no)) STRICT, WITHOUT ROWID;"
	"CREATE TABLE idempotency ("
	"  branch TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  body_hash BLOB NOT NULL,"
	"  response TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  PRIMARY KEY (branch, key)) STRICT;"
	"CREATE INDEX idempotency_created ON idempotency(created_at);"
	"CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN"
	"  SELECT RAISE(ABORT, 'entries are append-only'); END;"
	"CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN"
	"  SELECT RAISE(ABORT, 'entries are append-only'); END;"
	"CREATE TRIGGER lines_no_update BEFORE UPDATE ON lines BEGIN"
	"  SELECT RAISE(ABORT, 'entries are append-only'); END;"
	"CREATE TRIGGER lines_no_delete BEFORE DELETE ON lines BEGIN"
	"  SELECT RAISE(ABORT, 'entries are append-only'); END;"
	"CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments BEGIN"
	"  SELECT RAISE(ABORT, 'entries are append-only'); END;"
	"CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments BEGIN"
	"  SELECT RAISE(ABORT, 'entries are append-only'); END;",
	/* 2: a token is looked up by its digest, whatever the branches */
	"CREATE INDEX branches_token ON branches(token_hash);",
	/* 3: entries the centre rejected, for `report missing` */
	"CREATE TABLE rejections ("
	"  branch TEXT NOT NULL,"
	"  terminal INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  uuid TEXT NOT NULL,"
	"  receipt TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  first_at TEXT NOT NULL,"
	"  last_at TEXT NOT NULL,"
	"  times INTEGER NOT NULL,"
	"  PRIMARY KEY (branch, terminal, seq, uuid)) STRICT;",
	/* 4: master data (producers, products, merges) and its version */
	"CREATE TABLE master_version ("
	"  one INTEGER PRIMARY KEY CHECK (one = 1),"
	"  version INTEGER NOT NULL) STRICT;"
	"INSERT INTO master_version (one, version) VALUES (1, 0);"
	"CREATE TABLE producers ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  phone TEXT,"
	"  active INTEGER NOT NULL CHECK (active IN (0, 1)),"
	"  version INTEGER NOT NULL,"
	"  updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX producers_version ON producers(version);"
	"CREATE TABLE products ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  price INTEGER NOT NULL CHECK (price >= 0),"
	"  unit TEXT NOT NULL CHECK (unit IN ('piece', 'kg')),"
	"  barcode TEXT UNIQUE,"
	"  producer TEXT NOT NULL REFERENCES producers(code),"
	"  active INTEGER NOT NULL CHECK (active IN (0, 1)),"
	"  version INTEGER NOT NULL,"
	"  updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX products_version ON products(version);"
	"CREATE TABLE producer_merges ("
	"  from_code TEXT PRIMARY KEY,"
	"  into_code TEXT NOT NULL,"
	"  merged_at TEXT NOT NULL,"
	"  undone_at TEXT,"
	"  version INTEGER NOT NULL) STRICT;"
	"CREATE INDEX producer_merges_version ON producer_merges(version);",
	/*
	 * 5: producers and products windows defined themselves, as each
	 * last sent them (POST /v1/master/local)
	 */
	"CREATE TABLE local_producers ("
	"  branch TEXT NOT NULL,"
	"  terminal INTEGER NOT NULL CHECK (terminal BETWEEN 1 AND 999),"
	"  code TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  phone TEXT,"
	"  round TEXT NOT NULL,"
	"  sent_at TEXT NOT NULL,"
	"  PRIMARY KEY (branch, terminal, code)) STRICT;"
	"CREATE INDEX local_producers_code ON local_producers(code);"
	"CREATE TABLE local_products ("
	"  branch TEXT NOT NULL,"
	"  terminal INTEGER NOT NULL CHECK (terminal BETWEEN 1 AND 999),"
	"  code TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  price INTEGER NOT NULL CHECK (price >= 0),"
	"  currency TEXT NOT NULL,"
	"  decimals INTEGER NOT NULL,"
	"  unit TEXT NOT NULL CHECK (unit IN ('piece', 'kg')),"
	"  barcode TEXT,"
	"  producer TEXT NOT NULL,"
	"  active INTEGER NOT NULL CHECK (active IN (0, 1)),"
	"  round TEXT NOT NULL,"
	"  sent_at TEXT NOT NULL,"
	"  PRIMARY KEY (branch, terminal, code)) STRICT;"
	"CREATE INDEX local_products_code ON local_products(code);"
	/*
	 * The latest name (and price) of each code per chain, kept up
	 * with the journals by cstore_seen_refresh; at is seq * 1024 plus
	 * the line (1023 for a payout), seen_marks how far each chain is read.
	 */
	"CREATE TABLE seen_producers ("
	"  branch TEXT NOT NULL,"
	"  terminal INTEGER NOT NULL,"
	"  code TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  decimals INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (branch, terminal, code)) STRICT;"
	"CREATE TABLE seen_products ("
	"  branch TEXT NOT NULL,"
	"  terminal INTEGER NOT NULL,"
	"  code TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  price INTEGER NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  decimals INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (branch, terminal, code)) STRICT;"
	"CREATE TABLE seen_marks ("
	"  branch TEXT NOT NULL,"
	"  terminal INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  PRIMARY KEY (branch, terminal)) STRICT;",
	/* 6: the office's users, API tokens, login sessions, failed logins */
	"CREATE TABLE users ("
	"  name TEXT PRIMARY KEY,"
	"  role TEXT NOT NULL CHECK (role IN ('office', 'admin')),"
	"  password TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  disabled_at TEXT) STRICT;"
	"CREATE TABLE api_tokens ("
	"  name TEXT PRIMARY KEY,"
	"  token_hash BLOB NOT NULL UNIQUE,"
	"  created_at TEXT NOT NULL,"
	"  revoked_at TEXT) STRICT;"
	"CREATE TABLE web_sessions ("
	"  token_hash BLOB PRIMARY KEY,"
	"  username TEXT NOT NULL REFERENCES users(name),"
	"  csrf TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  expires_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX web_sessions_expires ON web_sessions(expires_at);"
	"CREATE TABLE login_failures ("
	"  key TEXT NOT NULL,"
	"  at TEXT NOT NULL) STRICT;"
	"CREATE INDEX login_failures_key ON login_failures(key, at);"
	"CREATE INDEX login_failures_at ON login_failures(at);",
	/* 7: what changed since a version, paged by (version, code) */
	"CREATE INDEX producers_version_code ON producers(version, code);"
	"DROP INDEX producers_version;"
	"CREATE INDEX products_version_code ON products(version, code);"
	"DROP INDEX products_version;",
	/*
	 * 8: the summary tables the reports read (cstore_sum.h), filled from
	 * the entries already stored, then kept by triggers: made from its
	 * parts by sq_sum_make
	 */
	NULL,
	/* 9: producers' access links: the rotation and the token's hash */
	"CREATE TABLE producer_links ("
	"  code TEXT PRIMARY KEY,"
	"  rotation INTEGER NOT NULL,"
	"  token_hash BLOB NOT NULL UNIQUE) STRICT;",
	/*
	 * 10: one producer's summary rows by code, and their lines with
	 * what the page's products need (the producer's page)
	 */
	SUM_CODE_INDEXES
	"CREATE INDEX IF NOT EXISTS lines_producer_products ON lines(producer_code,"
	"  entry_id, product_code, qty, net, product_name);"
	"DROP INDEX IF EXISTS lines_producer;",
};

static const char sq_sum_tables[] =
	"CREATE TABLE sum_days ("
	"  branch TEXT NOT NULL, terminal INTEGER NOT NULL,"
	"  business_date TEXT NOT NULL, currency TEXT NOT NULL,"
	"  decimals INTEGER NOT NULL, entries INTEGER NOT NULL,"
	"  first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,"
	"  sessions INTEGER NOT NULL, closes INTEGER NOT NULL,"
	"  open_min INTEGER NOT NULL, open_max INTEGER NOT NULL,"
	"  close_max INTEGER NOT NULL, sales_count INTEGER NOT NULL,"
	"  gross INTEGER NOT NULL, discounts INTEGER NOT NULL,"
	"  refunds INTEGER NOT NULL, refunds_count INTEGER NOT NULL,"
	"  voids INTEGER NOT NULL, voids_total INTEGER NOT NULL,"
	"  cash INTEGER NOT NULL, card INTEGER NOT NULL, other INTEGER NOT NULL,"
	"  payouts INTEGER NOT NULL, cash_in INTEGER NOT NULL,"
	"  cash_out INTEGER NOT NULL, float_amount INTEGER NOT NULL,"
	"  counted_cash INTEGER NOT NULL,"
	"  PRIMARY KEY (branch, terminal, business_date)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX sum_days_date ON sum_days(business_date);"
	"CREATE TABLE sum_producer_days ("
	"  business_date TEXT NOT NULL, branch TEXT NOT NULL,"
	"  terminal INTEGER NOT NULL, producer_code TEXT NOT NULL,"
	"  currency TEXT NOT NULL, decimals INTEGER NOT NULL,"
	"  sold INTEGER NOT NULL, refunded INTEGER NOT NULL,"
	"  paid_out INTEGER NOT NULL, n INTEGER NOT NULL,"
	"  PRIMARY KEY (" SUM_PDAYS_KEY ")) STRICT, WITHOUT ROWID;"
	"CREATE TABLE sum_producer_months ("
	"  month TEXT NOT NULL, branch TEXT NOT NULL,"
	"  terminal INTEGER NOT NULL, producer_code TEXT NOT NULL,"
	"  currency TEXT NOT NULL, decimals INTEGER NOT NULL,"
	"  sold INTEGER NOT NULL, refunded INTEGER NOT NULL,"
	"  paid_out INTEGER NOT NULL, n INTEGER NOT NULL,"
	"  PRIMARY KEY (" SUM_PMONTHS_KEY ")) STRICT, WITHOUT ROWID;"
	"CREATE TABLE sum_producer_all ("
	"  branch TEXT NOT NULL, terminal INTEGER NOT NULL,"
	"  producer_code TEXT NOT NULL, currency TEXT NOT NULL,"
	"  decimals INTEGER NOT NULL, sold INTEGER NOT NULL,"
	"  refunded INTEGER NOT NULL, paid_out INTEGER NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (" SUM_PALL_KEY ")) STRICT, WITHOUT ROWID;"
	"CREATE TABLE sum_producer_names ("
	"  branch TEXT NOT NULL, terminal INTEGER NOT NULL,"
	"  producer_code TEXT NOT NULL, name TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  PRIMARY KEY (" SUM_NAMES_KEY ")) STRICT, WITHOUT ROWID;";

static const char *const sq_sum_parts[] = {
	sq_sum_tables, SUM_RAW_DAYS_VIEW, SUM_RAW_PDAYS_VIEW, SUM_FILL, NULL
};
/* A void's statements, NEW.x as the parameter :x (sq_sum_void). */
static const char *const sq_void_parts[] = { SUM_ON_VOID_DAY,
    SUM_ON_VOID_PRODUCERS, NULL };
static char *sq_void_sql;
/* sum_producer_products is not kept here (cstore_sum.h): -1. */
static const char *const sq_sum_check_parts[] = { SUM_CHECK_PARTS, ", -1",
    NULL };
static char *sq_sum_check_sql;
static pthread_once_t sq_sum_once = PTHREAD_ONCE_INIT;

static void
sq_sum_make(void)
{
	for (size_t i = 0; i < sizeof cstore_migrations /
	    sizeof cstore_migrations[0]; i++)
		if (cstore_migrations[i] == NULL)
			cstore_migrations[i] = cstore_join(sq_sum_parts);
	sq_sum_check_sql = cstore_join(sq_sum_check_parts);
	sq_void_sql = cstore_join(sq_void_parts);
	for (char *p = sq_void_sql; (p = strstr(p, "NEW.")) != NULL;)
		memmove(p, p + 3, strlen(p + 3) + 1), *p = ':';
}

#define CSTORE_NMIGRATIONS \
	(sizeof cstore_migrations / sizeof cstore_migrations[0])

static const struct sqldb_opts cstore_sqldb = {
	.what = "central store",
	.program = "pos-central",
	.busy_timeout = 10000,
	.busy_rc = CSTORE_BUSY,
	.busy_note = "",
};

/*
 * Transactions stay in this header's terms: its callers see no SQL, so
 * another backend can implement them (cstore.h).
 */
static int
sq_begin(struct cstore *st, bool write, char **cause)
{
	return sqldb_begin(SQ(st)->db, write, cause);
}

static int
sq_commit(struct cstore *st, char **cause)
{
	return sqldb_commit(SQ(st)->db, cause);
}

static void
sq_rollback(struct cstore *st)
{
	sqldb_rollback(SQ(st)->db);
}

static const struct cstore_ops sq_ops;
static void sq_close(struct cstore *);

int
cstore_sqlite_open(const char *path, bool create, struct cstore **out,
    char **cause)
{
	struct sqldb_opts o = cstore_sqldb;
	struct cstore *st;
	char *missing;
	int rc;

	*out = NULL;
	st = xcalloc(1, sizeof(struct sqstore));
	st->ops = &sq_ops;
	o.missing = missing = xasprintf("run 'pos-central init --db %s' first",
	    path);
	rc = sqldb_open(path, create, &o, &SQ(st)->db, cause);
	free(missing);
	if (rc != POS_OK)
		goto fail;
	pthread_once(&sq_sum_once, sq_sum_make);
	if ((rc = sqldb_migrate(SQ(st)->db, cstore_migrations, CSTORE_NMIGRATIONS,
	    cause)) != POS_OK)
		goto fail;
	*out = st;
	return POS_OK;
fail:
	sq_close(st);
	return rc == POS_OK ? POS_FAIL : rc;
}

static void
sq_close(struct cstore *st)
{
	if (st == NULL)
		return;
	sqldb_close(SQ(st)->db);
	free(st);
}

/* A file is there or it is not: cstore_open said which. */
static int
sq_ping(struct cstore *st, char **cause)
{
	(void)st;
	(void)cause;
	return POS_OK;
}

static const char branch_add_sql[] = "INSERT INTO branches"
    " (code, name, token_hash, created_at) VALUES (?, ?, ?, ?)";

static int
sq_branch_add(struct cstore *st, const char *code, const char *name,
    const uint8_t hash[TOKEN_DIGEST], const char *now, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = sqldb_cached(SQ(st)->db, branch_add_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	sqldb_bind_text(stmt, 2, name);
	sqlite3_bind_blob(stmt, 3, hash, TOKEN_DIGEST, SQLITE_TRANSIENT);
	sqldb_bind_text(stmt, 4, now);
	rc = sqlite3_step(stmt);
	sqldb_release(stmt);
	if (rc == SQLITE_DONE)
		return POS_OK;
	if ((sqlite3_extended_errcode(SQ(st)->db->conn) & 0xff) ==
	    SQLITE_CONSTRAINT)
		return cause_set(cause, POS_INPUT,
		    "branch %s already exists", code);
	return sqldb_sqlerr(SQ(st)->db, "cannot add the branch", cause);
}

static const char branch_revoke_sql[] = "UPDATE branches SET revoked_at = ?"
    " WHERE code = ? AND revoked_at IS NULL";

static int
sq_branch_revoke(struct cstore *st, const char *code, const char *now,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = sqldb_cached(SQ(st)->db, branch_revoke_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, now);
	sqldb_bind_text(stmt, 2, code);
	if ((rc = sqldb_done(SQ(st)->db, stmt, "cannot revoke", cause)) != POS_OK)
		return rc;
	if (sqlite3_changes(SQ(st)->db->conn) == 0)
		return cause_set(cause, POS_INPUT,
		    "no branch %s with a valid token", code);
	return POS_OK;
}

static const char branches_sql[] = "SELECT code, name, created_at,"
    " revoked_at, token_hash FROM branches ORDER BY code";

static int
sq_branches(struct cstore *st, struct cstore_branch **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *stmt;
	struct cstore_branch *b;
	size_t cap = 0;
	int r, rc = POS_OK;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, branches_sql, cause)) == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		b = &(*out)[(*n)++];
		memset(b, 0, sizeof *b);
		b->code = sqldb_column_dup(stmt, 0);
		b->name = sqldb_column_dup(stmt, 1);
		b->created_at = sqldb_column_dup(stmt, 2);
		b->revoked_at = sqldb_column_dup(stmt, 3);
		if (sqlite3_column_bytes(stmt, 4) == TOKEN_DIGEST)
			memcpy(b->token_hash, sqlite3_column_blob(stmt, 4),
			    TOKEN_DIGEST);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the branches", cause);
		cstore_branches_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}


static const char authenticate_sql[] = "SELECT code, revoked_at, token_hash"
    " FROM branches WHERE token_hash = ?";

/*
 * The branch is found through the index on the digests, so a request costs
 * the same whatever the number of branches. The search compares SHA-256
 * digests of what was sent, never the token: how far a guess's digest
 * matched a stored one says nothing of a token that would match further.
 * The row found is compared again in constant time.
 */
static int
sq_authenticate(struct cstore *st, const uint8_t digest[TOKEN_DIGEST],
    char **code, bool *revoked, char **cause)
{
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	*code = NULL;
	*revoked = false;
	if ((stmt = sqldb_cached(SQ(st)->db, authenticate_sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_blob(stmt, 1, digest, TOKEN_DIGEST, SQLITE_STATIC);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW && sqlite3_column_bytes(stmt, 2) == TOKEN_DIGEST &&
	    token_equal(sqlite3_column_blob(stmt, 2), digest)) {
		*code = sqldb_column_dup(stmt, 0);
		*revoked = sqlite3_column_type(stmt, 1) != SQLITE_NULL;
	} else if (r == SQLITE_ROW || r == SQLITE_DONE)
		rc = cause_set(cause, POS_DENIED, "unknown token");
	else
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the branches", cause);
	sqldb_release(stmt);
	return rc;
}

static const char head_sql[] = "SELECT last_seq, head FROM chains"
    " WHERE branch = ? AND terminal = ?";

static int
sq_head(struct cstore *st, const char *branch, int64_t terminal,
    int64_t *last_seq, char head[LEDGER_HASH_HEX], char **cause)
{
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	if ((stmt = sqldb_cached(SQ(st)->db, head_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, branch);
	sqlite3_bind_int64(stmt, 2, terminal);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		*last_seq = sqlite3_column_int64(stmt, 0);
		sqldb_column_copy(stmt, 1, head, LEDGER_HASH_HEX);
	} else if (r == SQLITE_DONE) {
		*last_seq = 0;
		memcpy(head, ledger_genesis, LEDGER_HASH_HEX);
	} else
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the chain head", cause);
	sqldb_release(stmt);
	return rc;
}

static const char chains_sql[] = "SELECT branch, terminal, last_seq, head,"
    " first_received, last_received FROM chains"
    " WHERE ?1 IS NULL OR branch = ?1 ORDER BY branch, terminal";

static int
sq_chains(struct cstore *st, const char *branch,
    struct cstore_chain **out, size_t *n, char **cause)
{
	sqlite3_stmt *stmt;
	struct cstore_chain *c;
	size_t cap = 0;
	int r, rc = POS_OK;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, chains_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, branch);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		c = &(*out)[(*n)++];
		c->branch = sqldb_column_dup(stmt, 0);
		c->terminal = sqlite3_column_int64(stmt, 1);
		c->last_seq = sqlite3_column_int64(stmt, 2);
		sqldb_column_copy(stmt, 3, c->head, sizeof c->head);
		c->first_received = sqldb_column_dup(stmt, 4);
		c->last_received = sqldb_column_dup(stmt, 5);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the chains", cause);
		cstore_chains_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}


static const char find_uuid_sql[] = "SELECT branch, terminal, seq, hash"
    " FROM entries WHERE uuid = ?";

static int
sq_find_uuid(struct cstore *st, const char *uuid,
    struct cstore_stored *out, char **cause)
{
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	memset(out, 0, sizeof *out);
	if ((stmt = sqldb_cached(SQ(st)->db, find_uuid_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, uuid);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		out->found = true;
		sqldb_column_copy(stmt, 0, out->branch, sizeof out->branch);
		out->terminal = sqlite3_column_int64(stmt, 1);
		out->seq = sqlite3_column_int64(stmt, 2);
		sqldb_column_copy(stmt, 3, out->hash, sizeof out->hash);
	} else if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(SQ(st)->db, "cannot look up the entry", cause);
	sqldb_release(stmt);
	return rc;
}

/*
 * The statements on entries, lines and payments, made once from the ledger's
 * field table (every field has its column here). Each text keeps its
 * address for the life of the process: the statement cache is keyed on it.
 */
static struct {
	const char	*insert_entry, *insert_line, *insert_payment;
	const char	*each_entry, *each_line, *each_payment;
} csql;
static pthread_once_t csql_once = PTHREAD_ONCE_INIT;

static void
cstore_sql_make(void)
{
	char *e, *eq, *l, *lq, *p, *pq;

	ledger_sql_columns(&ledger_entry_table, 0, &e, &eq);
	ledger_sql_columns(&ledger_line_table, 0, &l, &lq);
	ledger_sql_columns(&ledger_payment_table, 0, &p, &pq);
	csql.insert_entry = xasprintf("INSERT INTO entries (%s, received_at)"
	    " VALUES (%s, ?)", e, eq);
	csql.insert_line = xasprintf("INSERT INTO lines (entry_id, line_no,"
	    " %s) VALUES (?, ?, %s)", l, lq);
	csql.insert_payment = xasprintf("INSERT INTO payments (entry_id,"
	    " pay_no, %s) VALUES (?, ?, %s)", p, pq);
	csql.each_entry = xasprintf("SELECT id, received_at, %s FROM entries"
	    " WHERE branch = ? AND terminal = ? AND seq > ? ORDER BY seq LIMIT ?",
	    e);
	csql.each_line = xasprintf("SELECT %s FROM lines WHERE entry_id = ?"
	    " ORDER BY line_no", l);
	csql.each_payment = xasprintf("SELECT %s FROM payments"
	    " WHERE entry_id = ? ORDER BY pay_no", p);
	free(e);
	free(eq);
	free(l);
	free(lq);
	free(p);
	free(pq);
}

static void
cstore_sql(void)
{
	pthread_once(&csql_once, cstore_sql_make);
}
static const char upsert_chain_sql[] = "INSERT INTO chains (branch,"
    " terminal, last_seq, head, first_received, last_received)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (branch, terminal)"
    " DO UPDATE SET last_seq = excluded.last_seq, head = excluded.head,"
    " last_received = excluded.last_received";

/*
 * The summaries (cstore_sum.h), kept here on SQLite rather than by row
 * triggers: the entries just stored are added up in C and each summary row
 * they touch is written once. The rules are the triggers' (and the raw_
 * views'): a sale counts unless a void names it, a void takes its sale
 * away on the sale's date, a refund subtracts on its own date.
 */
struct sq_day {
	const struct ledger_entry *e;	/* the first of the day: its key */
	const char	*currency;
	int64_t		 v[25];		/* SUM_DAYS_COLS after the key */
};
enum { D_DEC, D_ENTRIES, D_FIRST, D_LAST, D_SESSIONS, D_CLOSES, D_OPEN_MIN,
    D_OPEN_MAX, D_CLOSE_MAX, D_SALES, D_GROSS, D_DISC, D_REFUNDS, D_NREF,
    D_VOIDS, D_VTOTAL, D_CASH, D_CARD, D_OTHER, D_PAYOUTS, D_CASH_IN,
    D_CASH_OUT, D_FLOAT, D_COUNTED };

struct sq_prod {
	const char	*date, *code, *currency;
	int64_t		 decimals, sold, refunded, paid, n;
	const char	*name, *at;	/* the latest name seen, and when */
};

static const char sq_day_sql[] = "INSERT INTO sum_days (" SUM_DAYS_COLS ")"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)"
    " ON CONFLICT (" SUM_DAYS_KEY ") DO UPDATE SET"
    " currency = max(currency, excluded.currency),"
    " decimals = max(decimals, excluded.decimals),"
    " entries = entries + excluded.entries,"
    " first_seq = min(first_seq, excluded.first_seq),"
    " last_seq = max(last_seq, excluded.last_seq),"
    " sessions = sessions + excluded.sessions,"
    " closes = closes + excluded.closes,"
    " open_min = CASE WHEN open_min = 0 OR (excluded.open_min <> 0"
    "  AND excluded.open_min < open_min) THEN excluded.open_min"
    "  ELSE open_min END,"
    " open_max = max(open_max, excluded.open_max),"
    " close_max = max(close_max, excluded.close_max),"
    " sales_count = sales_count + excluded.sales_count,"
    " gross = gross + excluded.gross,"
    " discounts = discounts + excluded.discounts,"
    " refunds = refunds + excluded.refunds,"
    " refunds_count = refunds_count + excluded.refunds_count,"
    " voids = voids + excluded.voids,"
    " voids_total = voids_total + excluded.voids_total,"
    " cash = cash + excluded.cash, card = card + excluded.card,"
    " other = other + excluded.other,"
    " payouts = payouts + excluded.payouts,"
    " cash_in = cash_in + excluded.cash_in,"
    " cash_out = cash_out + excluded.cash_out,"
    " float_amount = float_amount + excluded.float_amount,"
    " counted_cash = counted_cash + excluded.counted_cash";
#define SQ_PSET " DO UPDATE SET sold = sold + excluded.sold," \
	" refunded = refunded + excluded.refunded," \
	" paid_out = paid_out + excluded.paid_out, n = n + excluded.n"
static const char sq_pday_sql[] = "INSERT INTO sum_producer_days ("
    SUM_PDAYS_KEY ", " SUM_PVALS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
    " ?9, ?10) ON CONFLICT (" SUM_PDAYS_KEY ")" SQ_PSET;
static const char sq_pmonth_sql[] = "INSERT INTO sum_producer_months ("
    SUM_PMONTHS_KEY ", " SUM_PVALS ") VALUES (substr(?1, 1, 7), ?2, ?3, ?4,"
    " ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (" SUM_PMONTHS_KEY ")" SQ_PSET;
static const char sq_pall_sql[] = "INSERT INTO sum_producer_all ("
    SUM_PALL_KEY ", " SUM_PVALS ") SELECT ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
    " ?10 WHERE ?1 IS NOT NULL ON CONFLICT (" SUM_PALL_KEY ")" SQ_PSET;
static const char sq_name_sql[] = "INSERT INTO sum_producer_names ("
    SUM_NAMES_COLS ") VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (" SUM_NAMES_KEY ") DO UPDATE SET name = excluded.name,"
    " created_at = excluded.created_at"
    " WHERE excluded.created_at > sum_producer_names.created_at";
static const char sq_voided_sql[] = "SELECT 1 FROM entries"
    " WHERE kind = 'void' AND ref_uuid = ?";

/* Does a stored void name the sale e? */
static int
sq_sum_voided(struct cstore *st, const struct ledger_entry *e, bool *voided,
    char **cause)
{
	sqlite3_stmt *stmt;
	int r;

	if ((stmt = sqldb_cached(SQ(st)->db, sq_voided_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, e->uuid);
	r = sqlite3_step(stmt);
	sqldb_release(stmt);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return sqldb_sqlerr(SQ(st)->db, "cannot read the voids", cause);
	*voided = r == SQLITE_ROW;
	return POS_OK;
}

/* A void just stored (row id): its sale no longer counts. */
static int
sq_sum_void(struct cstore *st, const struct ledger_entry *e, int64_t id,
    char **cause)
{
	const char *sql = sq_void_sql, *tail;
	sqlite3_stmt *stmt;
	int rc = POS_OK, k;

	while (rc == POS_OK && *sql != '\0') {
		if (sqlite3_prepare_v2(SQ(st)->db->conn, sql, -1, &stmt,
		    &tail) != SQLITE_OK)
			return sqldb_sqlerr(SQ(st)->db, "prepare", cause);
		sql = tail;
		if (stmt == NULL)
			break;
		if ((k = sqlite3_bind_parameter_index(stmt, ":kind")) > 0)
			sqldb_bind_text(stmt, k, e->kind);
		if ((k = sqlite3_bind_parameter_index(stmt, ":ref_uuid")) > 0)
			sqldb_bind_text(stmt, k, e->ref_uuid);
		if ((k = sqlite3_bind_parameter_index(stmt, ":id")) > 0)
			sqlite3_bind_int64(stmt, k, id);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = sqldb_sqlerr(SQ(st)->db, "cannot take the void "
			    "into the summaries", cause);
		sqlite3_finalize(stmt);
	}
	return rc;
}

static struct sq_day *
sq_sum_day(struct sq_day **days, size_t *n, const struct ledger_entry *e)
{
	struct sq_day *d;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*days)[i].e->business_date, e->business_date) == 0 &&
		    strcmp((*days)[i].e->branch, e->branch) == 0 &&
		    (*days)[i].e->terminal == e->terminal)
			return &(*days)[i];
	*days = xreallocarray(*days, *n + 1, sizeof **days);
	d = &(*days)[(*n)++];
	memset(d, 0, sizeof *d);
	d->e = e;
	d->currency = e->currency;
	d->v[D_FIRST] = e->seq;
	return d;
}

static void
sq_sum_prod(struct sq_prod **ps, size_t *n, const struct ledger_entry *e,
    const char *code, const char *name, int64_t sold, int64_t refunded,
    int64_t paid, int64_t count)
{
	struct sq_prod *p = NULL;

	for (size_t i = 0; i < *n && p == NULL; i++)
		if (strcmp((*ps)[i].date, e->business_date) == 0 &&
		    strcmp((*ps)[i].code, code) == 0 &&
		    strcmp((*ps)[i].currency, e->currency) == 0 &&
		    (*ps)[i].decimals == e->decimals)
			p = &(*ps)[i];
	if (p == NULL) {
		*ps = xreallocarray(*ps, *n + 1, sizeof **ps);
		p = &(*ps)[(*n)++];
		memset(p, 0, sizeof *p);
		p->date = e->business_date;
		p->code = code;
		p->currency = e->currency;
		p->decimals = e->decimals;
	}
	p->sold += sold;
	p->refunded += refunded;
	p->paid += paid;
	p->n += count;
	/* The first stored of the latest: what the names table keeps. */
	if (name != NULL && (p->at == NULL || strcmp(e->created_at, p->at) > 0)) {
		p->name = name;
		p->at = e->created_at;
	}
}

/* Add the n entries at e (one chain, just stored; ids their rows). */
static int
sq_sum_add(struct cstore *st, const struct ledger_entry *e, size_t n,
    const int64_t *ids, char **cause)
{
	struct sq_day *days = NULL, *d;
	struct sq_prod *ps = NULL;
	size_t nd = 0, np = 0;
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	for (size_t i = 0; rc == POS_OK && i < n; i++) {
		const struct ledger_entry *x = &e[i];
		const char *k = x->kind;
		bool live = false, counts;

		d = sq_sum_day(&days, &nd, x);
		if (strcmp(x->currency, d->currency) > 0)
			d->currency = x->currency;
		if (x->decimals > d->v[D_DEC])
			d->v[D_DEC] = x->decimals;
		d->v[D_ENTRIES]++;
		if (x->seq < d->v[D_FIRST])
			d->v[D_FIRST] = x->seq;
		if (x->seq > d->v[D_LAST])
			d->v[D_LAST] = x->seq;
		if (strcmp(k, "day_open") == 0) {
			d->v[D_SESSIONS]++;
			if (d->v[D_OPEN_MIN] == 0 || x->seq < d->v[D_OPEN_MIN])
				d->v[D_OPEN_MIN] = x->seq;
			if (x->seq > d->v[D_OPEN_MAX])
				d->v[D_OPEN_MAX] = x->seq;
			d->v[D_FLOAT] += x->amount;
		} else if (strcmp(k, "day_close") == 0) {
			d->v[D_CLOSES]++;
			if (x->seq > d->v[D_CLOSE_MAX])
				d->v[D_CLOSE_MAX] = x->seq;
			d->v[D_COUNTED] += x->amount;
		} else if (strcmp(k, "sale") == 0) {
			bool voided = false;

			if ((rc = sq_sum_voided(st, x, &voided, cause)) != POS_OK)
				break;
			live = !voided;
			if (live) {
				d->v[D_SALES]++;
				d->v[D_GROSS] += x->total + x->discount;
				d->v[D_DISC] += x->discount;
			}
		} else if (strcmp(k, "refund") == 0) {
			d->v[D_REFUNDS] += x->total;
			d->v[D_NREF]++;
		} else if (strcmp(k, "void") == 0) {
			d->v[D_VOIDS]++;
			d->v[D_VTOTAL] += x->total;
			rc = sq_sum_void(st, x, ids[i], cause);
		} else if (strcmp(k, "payout") == 0) {
			d->v[D_PAYOUTS] += x->amount;
			if (x->producer_code != NULL)
				sq_sum_prod(&ps, &np, x, x->producer_code,
				    x->producer_name, 0, 0, x->amount, 1);
		} else if (strcmp(k, "cash_in") == 0)
			d->v[D_CASH_IN] += x->amount;
		else if (strcmp(k, "cash_out") == 0)
			d->v[D_CASH_OUT] += x->amount;
		counts = live || strcmp(k, "refund") == 0;
		for (size_t l = 0; l < x->nlines; l++) {
			const struct ledger_line *ln = &x->lines[l];

			/* Every sale's and refund's line names; counted ones add. */
			if (strcmp(k, "sale") == 0 || strcmp(k, "refund") == 0)
				sq_sum_prod(&ps, &np, x, ln->producer_code,
				    ln->producer_name, counts && live ? ln->net : 0,
				    counts && !live ? ln->net : 0, 0, counts);
		}
		for (size_t q = 0; counts && q < x->npayments; q++) {
			const struct ledger_payment *pm = &x->payments[q];
			int64_t delta = live ? pm->amount : -pm->amount;

			if (strcmp(pm->method, "cash") == 0)
				d->v[D_CASH] += delta;
			else if (strcmp(pm->method, "card") == 0)
				d->v[D_CARD] += delta;
			else
				d->v[D_OTHER] += delta;
		}
	}
	for (size_t i = 0; rc == POS_OK && i < nd; i++) {
		d = &days[i];
		if ((stmt = sqldb_cached(SQ(st)->db, sq_day_sql, cause)) == NULL) {
			rc = POS_FAIL;
			break;
		}
		sqldb_bind_text(stmt, 1, d->e->branch);
		sqlite3_bind_int64(stmt, 2, d->e->terminal);
		sqldb_bind_text(stmt, 3, d->e->business_date);
		sqldb_bind_text(stmt, 4, d->currency);
		for (int c = 0; c < 24; c++)
			sqlite3_bind_int64(stmt, 5 + c, d->v[c]);
		rc = sqldb_done(SQ(st)->db, stmt, "cannot store the summaries",
		    cause);
	}
	for (size_t i = 0; rc == POS_OK && i < np; i++) {
		static const char *const sqls[] = { sq_pday_sql, sq_pmonth_sql,
		    sq_pall_sql };
		const struct sq_prod *p = &ps[i];

		for (int t = 0; rc == POS_OK && t < 3; t++) {
			if (p->n == 0 && p->sold == 0 && p->refunded == 0 &&
			    p->paid == 0)
				break;
			if ((stmt = sqldb_cached(SQ(st)->db, sqls[t], cause)) ==
			    NULL) {
				rc = POS_FAIL;
				break;
			}
			sqldb_bind_text(stmt, 1, p->date);
			sqldb_bind_text(stmt, 2, e->branch);
			sqlite3_bind_int64(stmt, 3, e->terminal);
			sqldb_bind_text(stmt, 4, p->code);
			sqldb_bind_text(stmt, 5, p->currency);
			sqlite3_bind_int64(stmt, 6, p->decimals);
			sqlite3_bind_int64(stmt, 7, p->sold);
			sqlite3_bind_int64(stmt, 8, p->refunded);
			sqlite3_bind_int64(stmt, 9, p->paid);
			sqlite3_bind_int64(stmt, 10, p->n);
			rc = sqldb_done(SQ(st)->db, stmt,
			    "cannot store the summaries", cause);
		}
		if (rc != POS_OK || p->name == NULL)
			continue;
		if ((stmt = sqldb_cached(SQ(st)->db, sq_name_sql, cause)) ==
		    NULL) {
			rc = POS_FAIL;
			break;
		}
		sqldb_bind_text(stmt, 1, e->branch);
		sqlite3_bind_int64(stmt, 2, e->terminal);
		sqldb_bind_text(stmt, 3, p->code);
		sqldb_bind_text(stmt, 4, p->name);
		sqldb_bind_text(stmt, 5, p->at);
		rc = sqldb_done(SQ(st)->db, stmt, "cannot store the summaries",
		    cause);
	}
	free(days);
	free(ps);
	return rc;
}

/* The rows of e (not its summaries); *id its entry's row id. */
static int
sq_insert_rows(struct cstore *st, const struct ledger_entry *e,
    const char *received_at, int64_t *rowid, char **cause)
{
	sqlite3_stmt *stmt;
	sqlite3_int64 id;
	int rc, step, k;

	cstore_sql();
	if ((stmt = sqldb_cached(SQ(st)->db, csql.insert_entry, cause)) == NULL)
		return POS_FAIL;
	k = ledger_sql_bind(stmt, 1, &ledger_entry_table, 0, e);
	sqldb_bind_text(stmt, k, received_at);
	if ((step = sqlite3_step(stmt)) != SQLITE_DONE) {
		/*
		 * Only the UUID can be taken: the caller checked that seq
		 * follows the head. The failed statement changed nothing.
		 */
		if (sqlite3_extended_errcode(SQ(st)->db->conn) ==
		    SQLITE_CONSTRAINT_UNIQUE)
			rc = CSTORE_EXISTS;
		else
			rc = sqldb_sqlerr(SQ(st)->db, "cannot store the entry",
			    cause);
		sqldb_release(stmt);
		return rc;
	}
	sqldb_release(stmt);
	id = sqlite3_last_insert_rowid(SQ(st)->db->conn);
	*rowid = id;

	for (size_t i = 0; i < e->nlines; i++) {
		if ((stmt = sqldb_cached(SQ(st)->db, csql.insert_line,
		    cause)) == NULL)
			return POS_FAIL;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)i);
		ledger_sql_bind(stmt, 3, &ledger_line_table, 0, &e->lines[i]);
		if ((rc = sqldb_done(SQ(st)->db, stmt, "cannot store a line",
		    cause)) != POS_OK)
			return rc;
	}
	for (size_t i = 0; i < e->npayments; i++) {
		if ((stmt = sqldb_cached(SQ(st)->db, csql.insert_payment,
		    cause)) == NULL)
			return POS_FAIL;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)i);
		ledger_sql_bind(stmt, 3, &ledger_payment_table, 0,
		    &e->payments[i]);
		if ((rc = sqldb_done(SQ(st)->db, stmt, "cannot store a payment",
		    cause)) != POS_OK)
			return rc;
	}
	return POS_OK;
}

static int
sq_insert(struct cstore *st, const struct ledger_entry *e,
    const char *received_at, char **cause)
{
	int64_t id;
	int rc;

	if ((rc = sq_insert_rows(st, e, received_at, &id, cause)) != POS_OK)
		return rc;
	return sq_sum_add(st, e, 1, &id, cause);
}

/*
 * One statement per row is cheap in process (no round trips); the
 * summaries are added up for the whole run and written once.
 */
static int
sq_insert_many(struct cstore *st, const struct ledger_entry *e, size_t n,
    const char *received_at, char **cause)
{
	int64_t *ids = xcalloc(n + 1, sizeof *ids);
	int rc = POS_OK;

	for (size_t i = 0; rc == POS_OK && i < n; i++)
		rc = sq_insert_rows(st, &e[i], received_at, &ids[i], cause);
	if (rc == POS_OK)
		rc = sq_sum_add(st, e, n, ids, cause);
	free(ids);
	return rc;
}

static int
sq_put_head(struct cstore *st, const char *branch, int64_t terminal,
    int64_t last_seq, const char head[LEDGER_HASH_HEX],
    const char *received_at, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(SQ(st)->db, upsert_chain_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, branch);
	sqlite3_bind_int64(stmt, 2, terminal);
	sqlite3_bind_int64(stmt, 3, last_seq);
	sqlite3_bind_text(stmt, 4, head, LEDGER_HASH_HEX - 1, SQLITE_STATIC);
	sqldb_bind_text(stmt, 5, received_at);
	return sqldb_done(SQ(st)->db, stmt, "cannot store the chain head", cause);
}

static const char savepoint_sql[] = "SAVEPOINT cstore";
static const char savepoint_undo_sql[] = "ROLLBACK TO cstore";
static const char savepoint_release_sql[] = "RELEASE cstore";

static int
sq_savepoint(struct cstore *st, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(SQ(st)->db, savepoint_sql, cause)) == NULL)
		return POS_FAIL;
	return sqldb_done(SQ(st)->db, stmt, "cannot make a savepoint", cause);
}

static int
sq_savepoint_end(struct cstore *st, bool undo, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (undo) {
		if ((stmt = sqldb_cached(SQ(st)->db, savepoint_undo_sql,
		    cause)) == NULL)
			return POS_FAIL;
		if ((rc = sqldb_done(SQ(st)->db, stmt,
		    "cannot undo to the savepoint", cause)) != POS_OK)
			return rc;
	}
	if ((stmt = sqldb_cached(SQ(st)->db, savepoint_release_sql, cause)) == NULL)
		return POS_FAIL;
	return sqldb_done(SQ(st)->db, stmt, "cannot release the savepoint", cause);
}

/* The lines and payments of entry id into e. */
static int
cstore_load_parts(struct cstore *st, sqlite3_int64 id, struct ledger_entry *e,
    char **cause)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int r;

	if ((stmt = sqldb_cached(SQ(st)->db, csql.each_line, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, id);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (e->nlines == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			e->lines = xreallocarray(e->lines, cap,
			    sizeof *e->lines);
		}
		ledger_sql_read(stmt, 0, &ledger_line_table, 0,
		    &e->lines[e->nlines++]);
	}
	sqldb_release(stmt);
	if (r != SQLITE_DONE)
		return sqldb_sqlerr(SQ(st)->db, "cannot read lines", cause);

	if ((stmt = sqldb_cached(SQ(st)->db, csql.each_payment, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, id);
	cap = 0;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (e->npayments == cap) {
			cap = cap == 0 ? 2 : cap * 2;
			e->payments = xreallocarray(e->payments, cap,
			    sizeof *e->payments);
		}
		ledger_sql_read(stmt, 0, &ledger_payment_table, 0,
		    &e->payments[e->npayments++]);
	}
	sqldb_release(stmt);
	if (r != SQLITE_DONE)
		return sqldb_sqlerr(SQ(st)->db, "cannot read payments", cause);
	return POS_OK;
}

/* The entries after seq after, at most limit (SQLite: -1 is no limit). */
static int
sq_entries_after(struct cstore *st, const char *branch, int64_t terminal,
    int64_t after, int64_t limit, cstore_entry_fn fn, void *arg, char **cause)
{
	sqlite3_stmt *stmt = NULL;
	struct ledger_entry e;
	int r, rc = POS_OK;

	/* Not cached: the line and payment statements run while it steps. */
	cstore_sql();
	if (sqlite3_prepare_v2(SQ(st)->db->conn, csql.each_entry, -1, &stmt, NULL) !=
	    SQLITE_OK)
		return sqldb_sqlerr(SQ(st)->db, "prepare", cause);
	sqldb_bind_text(stmt, 1, branch);
	sqlite3_bind_int64(stmt, 2, terminal);
	sqlite3_bind_int64(stmt, 3, after);
	sqlite3_bind_int64(stmt, 4, limit < 0 ? -1 : limit);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&e, 0, sizeof e);
		ledger_sql_read(stmt, 2, &ledger_entry_table, 0, &e);
		rc = cstore_load_parts(st, sqlite3_column_int64(stmt, 0), &e,
		    cause);
		if (rc == POS_OK)
			rc = fn(arg, &e,
			    (const char *)sqlite3_column_text(stmt, 1));
		ledger_entry_free(&e);
		if (rc != POS_OK)
			goto out;
	}
	if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the entries", cause);
out:
	sqlite3_finalize(stmt);
	return rc;
}

static int
sq_each_entry(struct cstore *st, const char *branch, int64_t terminal,
    cstore_entry_fn fn, void *arg, char **cause)
{
	return sq_entries_after(st, branch, terminal, 0, -1, fn, arg, cause);
}

static const char idem_get_sql[] = "SELECT body_hash, response FROM"
    " idempotency WHERE branch = ? AND key = ?";
static const char idem_put_sql[] = "INSERT INTO idempotency (branch, key,"
    " body_hash, response, created_at) VALUES (?, ?, ?, ?, ?)";
static const char idem_prune_sql[] = "DELETE FROM idempotency"
    " WHERE created_at < strftime('%Y-%m-%dT%H:%M:%SZ', ?, ?)";

static int
sq_idem_get(struct cstore *st, const char *branch, const char *key,
    uint8_t body_hash[TOKEN_DIGEST], char **response, char **cause)
{
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	*response = NULL;
	if ((stmt = sqldb_cached(SQ(st)->db, idem_get_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, branch);
	sqldb_bind_text(stmt, 2, key);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		memset(body_hash, 0, TOKEN_DIGEST);
		if (sqlite3_column_bytes(stmt, 0) == TOKEN_DIGEST)
			memcpy(body_hash, sqlite3_column_blob(stmt, 0),
			    TOKEN_DIGEST);
		*response = sqldb_column_dup(stmt, 1);
	} else if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the idempotency key",
		    cause);
	sqldb_release(stmt);
	return rc;
}

static int
sq_idem_put(struct cstore *st, const char *branch, const char *key,
    const uint8_t body_hash[TOKEN_DIGEST], const char *response,
    const char *now, int keep_days, char **cause)
{
	sqlite3_stmt *stmt;
	char ago[32];
	int rc;

	if ((stmt = sqldb_cached(SQ(st)->db, idem_prune_sql, cause)) == NULL)
		return POS_FAIL;
	snprintf(ago, sizeof ago, "-%d days", keep_days);
	sqldb_bind_text(stmt, 1, now);
	sqldb_bind_text(stmt, 2, ago);
	if ((rc = sqldb_done(SQ(st)->db, stmt, "cannot forget old keys", cause)) !=
	    POS_OK)
		return rc;
	if ((stmt = sqldb_cached(SQ(st)->db, idem_put_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, branch);
	sqldb_bind_text(stmt, 2, key);
	sqlite3_bind_blob(stmt, 3, body_hash, TOKEN_DIGEST, SQLITE_TRANSIENT);
	sqldb_bind_text(stmt, 4, response);
	sqldb_bind_text(stmt, 5, now);
	return sqldb_done(SQ(st)->db, stmt, "cannot store the idempotency key",
	    cause);
}

/*
 * The window's `pos report producers`, over every branch, from the summary
 * tables (cstore_sum.h): the period's whole months from
 * sum_producer_months, the days around them from sum_producer_days, what
 * is owed from sum_producer_all, each read by its primary key; a merged
 * code counts as the code it is merged into. cstore_pacc_done adds the
 * rows up per producer, currency and window. The name is the registered
 * one, else the one on the most recently created entry naming the code
 * (SQLite takes bare columns from the row that gave max()).
 */
#define SQ_PRODUCER_ROWS(t, where) " UNION ALL SELECT producer_code," \
	" currency, decimals, branch, terminal, sold, refunded, paid_out, n, 1" \
	" FROM " t " WHERE " where
static const char report_producers_sql[] =
    "WITH m AS (SELECT from_code, into_code FROM producer_merges"
    "  WHERE undone_at IS NULL)"
    " SELECT coalesce(m.into_code, x.code), x.currency, x.decimals,"
    "  x.branch, x.terminal, x.sold, x.refunded, x.paid_out, x.n, x.p"
    " FROM (SELECT producer_code AS code, currency, decimals, branch,"
    "  terminal, sold, refunded, paid_out, n, 0 AS p FROM sum_producer_all"
    SQ_PRODUCER_ROWS("sum_producer_months", "month BETWEEN ?3 AND ?4")
    SQ_PRODUCER_ROWS("sum_producer_days", "business_date BETWEEN ?1 AND ?2")
    SQ_PRODUCER_ROWS("sum_producer_days", "business_date BETWEEN ?5 AND ?6")
    " ) AS x LEFT JOIN m ON m.from_code = x.code";
static const char report_names_sql[] =
    "WITH m AS (SELECT from_code, into_code FROM producer_merges"
    "  WHERE undone_at IS NULL),"
    " n AS (SELECT coalesce(m.into_code, s.producer_code) AS code,"
    "  s.name AS name, max(s.created_at) FROM sum_producer_names s"
    "  LEFT JOIN m ON m.from_code = s.producer_code GROUP BY 1)"
    " SELECT n.code, coalesce(r.name, n.name) FROM n"
    " LEFT JOIN producers r ON r.code = n.code ORDER BY n.code";

static const char report_one_sql[] = SUM_ONE_PRODUCER("?");
static const char report_one_name_sql[] = SUM_ONE_NAME("?");

static int
sq_report_producers(struct cstore *st, const char *code, const char *from,
    const char *to, struct cstore_producer **out, size_t *n, char **cause)
{
	sqlite3_stmt *stmt;
	struct cstore_pacc acc;
	struct cstore_prow row;
	struct cstore_span sp;
	int r, rc = POS_OK;

	*out = NULL;
	*n = 0;
	memset(&acc, 0, sizeof acc);
	cstore_span(from, to, &sp);
	if ((stmt = sqldb_cached(SQ(st)->db, code != NULL ? report_one_sql :
	    report_producers_sql, cause)) == NULL)
		return POS_FAIL;
	if (code != NULL)
		sqldb_bind_text(stmt, 7, code);
	sqldb_bind_text(stmt, 1, sp.d1_from);
	sqldb_bind_text(stmt, 2, sp.d1_to);
	sqldb_bind_text(stmt, 3, sp.m_from);
	sqldb_bind_text(stmt, 4, sp.m_to);
	sqldb_bind_text(stmt, 5, sp.d2_from);
	sqldb_bind_text(stmt, 6, sp.d2_to);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		row.code = (const char *)sqlite3_column_text(stmt, 0);
		row.currency = (const char *)sqlite3_column_text(stmt, 1);
		row.decimals = sqlite3_column_int64(stmt, 2);
		row.branch = (const char *)sqlite3_column_text(stmt, 3);
		row.terminal = sqlite3_column_int64(stmt, 4);
		row.sold = sqlite3_column_int64(stmt, 5);
		row.refunded = sqlite3_column_int64(stmt, 6);
		row.paid_out = sqlite3_column_int64(stmt, 7);
		row.n = sqlite3_column_int64(stmt, 8);
		row.period = sqlite3_column_int64(stmt, 9) != 0;
		cstore_pacc_add(&acc, &row);
	}
	sqldb_release(stmt);
	if (r != SQLITE_DONE)
		goto fail;
	if ((stmt = sqldb_cached(SQ(st)->db, code != NULL ?
	    report_one_name_sql : report_names_sql, cause)) == NULL) {
		cstore_pacc_free(&acc);
		return POS_FAIL;
	}
	if (code != NULL)
		sqldb_bind_text(stmt, 1, code);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(stmt,
		    code != NULL ? 0 : 1);

		if (name != NULL)
			cstore_pacc_name(&acc, code != NULL ? code :
			    (const char *)sqlite3_column_text(stmt, 0), name);
	}
	sqldb_release(stmt);
	if (r != SQLITE_DONE)
		goto fail;
	cstore_pacc_done(&acc, out, n);
	cstore_pacc_free(&acc);
	return POS_OK;
fail:
	rc = sqldb_sqlerr(SQ(st)->db, "cannot read the summaries", cause);
	cstore_pacc_free(&acc);
	return rc;
}

static const char producer_days_sql[] = SUM_ONE_DAYS("?");

static int
sq_producer_days(struct cstore *st, const char *code, const char *from,
    const char *to, struct cstore_pday **out, size_t *n, char **cause)
{
	struct cstore_pday *d;
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int r, rc = POS_OK;

	if ((stmt = sqldb_cached(SQ(st)->db, producer_days_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	sqldb_bind_text(stmt, 2, from);
	sqldb_bind_text(stmt, 3, to);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		d = &(*out)[(*n)++];
		snprintf(d->date, sizeof d->date, "%s",
		    (const char *)sqlite3_column_text(stmt, 0));
		d->currency = sqldb_column_dup(stmt, 1);
		d->decimals = sqlite3_column_int64(stmt, 2);
		d->sold = sqlite3_column_int64(stmt, 3);
		d->refunded = sqlite3_column_int64(stmt, 4);
		d->paid_out = sqlite3_column_int64(stmt, 5);
	}
	if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the summaries",
		    cause);
	sqldb_release(stmt);
	return rc;
}

/*
 * Every chain's days at once, read straight through the primary key (or,
 * for a span, its dates by sum_days_date and each chain's last ones): the
 * rows come chain by chain, each to the chain of its branch and terminal
 * (none: a chain not asked for, left out). A date holds one session per
 * day_open (a window may close and open the same date again); it is
 * closed when its last session is: a day_close after the last day_open.
 */
static const char days_chains_sql[] = "SELECT branch, terminal,"
    " business_date, open_min,"
    " CASE WHEN close_max > open_max THEN close_max ELSE 0 END,"
    " entries, sessions FROM sum_days"
    " ORDER BY branch, terminal, business_date";
static const char days_span_sql[] = SUM_DAYS_SPAN("?")
    " ORDER BY branch, terminal, business_date";

static int
sq_days_chains(struct cstore *st, const struct cstore_chain *chains,
    size_t nchains, const struct cstore_dspan *span, struct cstore_day **out,
    size_t *n, char **cause)
{
	struct cstore_dplace place;
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	cstore_dplace_start(&place, chains, nchains, out, n);
	if ((stmt = sqldb_cached(SQ(st)->db, span != NULL ? days_span_sql :
	    days_chains_sql, cause)) == NULL) {
		cstore_dplace_end(&place, true);
		return POS_FAIL;
	}
	if (span != NULL) {
		sqldb_bind_text(stmt, 1, span->from != NULL ? span->from : "9");
		sqldb_bind_text(stmt, 2, span->to != NULL ? span->to : "0");
		sqldb_bind_text(stmt, 3, span->until);
	}
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct cstore_day *d = cstore_dplace(&place,
		    (const char *)sqlite3_column_text(stmt, 0),
		    sqlite3_column_int64(stmt, 1));

		if (d == NULL)
			continue;
		sqldb_column_copy(stmt, 2, d->date, sizeof d->date);
		d->open_seq = sqlite3_column_int64(stmt, 3);
		d->close_seq = sqlite3_column_int64(stmt, 4);
		d->entries = sqlite3_column_int64(stmt, 5);
		d->sessions = sqlite3_column_int64(stmt, 6);
	}
	if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the days", cause);
	sqldb_release(stmt);
	cstore_dplace_end(&place, rc != POS_OK);
	return rc;
}

/*
 * The window's Z report (pos/domain/report.c) per chain and business date,
 * as sum_days keeps it (cstore_sum.h): a sale counts unless a void
 * references it, refunds and payments of refunds count against the day
 * they were made, and the date's sessions add up. Read through the index
 * on business_date.
 */
#define DAY_MONEY_COLS "branch, terminal, business_date, currency, decimals," \
	" sessions, closes, sales_count, gross, discounts, refunds," \
	" refunds_count, voids, voids_total, payouts, cash_in, cash_out," \
	" float_amount, counted_cash, entries, first_seq, last_seq, cash, card," \
	" other"
#define DAY_MONEY_SQL(date) "SELECT " DAY_MONEY_COLS \
    " FROM sum_days WHERE " date " BETWEEN ?1 AND ?2" \
    " AND (NOT ?3 OR closes <> sessions OR counted_cash <>" \
    " float_amount + cash - payouts + cash_in - cash_out)" \
    " ORDER BY branch, terminal, business_date"
static const char day_money_sql[] = DAY_MONEY_SQL("business_date");
/*
 * Every date (what the office must chase): the date index would look up
 * each row of the table and sort them again; the primary key's own order
 * is the one asked, so the table is read straight through.
 */
static const char day_money_all_sql[] = DAY_MONEY_SQL("+business_date");

static int
sq_day_money(struct cstore *st, const char *from, const char *to,
    bool flagged, struct cstore_day_money **out, size_t *n, char **cause)
{
	sqlite3_stmt *stmt;
	struct cstore_day_money *d;
	size_t cap = 0;
	int r, rc = POS_OK, c;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, strcmp(from, "0000-01-01") <= 0 &&
	    strcmp(to, "9999-12-31") >= 0 ? day_money_all_sql : day_money_sql,
	    cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, from);
	sqldb_bind_text(stmt, 2, to);
	sqlite3_bind_int(stmt, 3, flagged);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		d = &(*out)[(*n)++];
		memset(d, 0, sizeof *d);
		d->branch = sqldb_column_dup(stmt, 0);
		d->terminal = sqlite3_column_int64(stmt, 1);
		sqldb_column_copy(stmt, 2, d->date, sizeof d->date);
		d->currency = sqldb_column_dup(stmt, 3);
		c = 4;
		d->decimals = sqlite3_column_int64(stmt, c++);
		d->sessions = sqlite3_column_int64(stmt, c++);
		d->closes = sqlite3_column_int64(stmt, c++);
		d->sales_count = sqlite3_column_int64(stmt, c++);
		d->gross = sqlite3_column_int64(stmt, c++);
		d->discounts = sqlite3_column_int64(stmt, c++);
		d->refunds = sqlite3_column_int64(stmt, c++);
		d->refunds_count = sqlite3_column_int64(stmt, c++);
		d->voids = sqlite3_column_int64(stmt, c++);
		d->voids_total = sqlite3_column_int64(stmt, c++);
		d->payouts = sqlite3_column_int64(stmt, c++);
		d->cash_in = sqlite3_column_int64(stmt, c++);
		d->cash_out = sqlite3_column_int64(stmt, c++);
		d->float_amount = sqlite3_column_int64(stmt, c++);
		d->counted_cash = sqlite3_column_int64(stmt, c++);
		d->entries = sqlite3_column_int64(stmt, c++);
		d->first_seq = sqlite3_column_int64(stmt, c++);
		d->last_seq = sqlite3_column_int64(stmt, c++);
		for (int m = 0; m < CSTORE_METHODS; m++)
			d->by_method[m] = sqlite3_column_int64(stmt, c++);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the days", cause);
		cstore_day_money_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}

/* The summary tables against the raw rows (cstore_sum.h). */
static int
sq_summaries_check(struct cstore *st, int64_t *bad, char **cause)
{
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	if ((stmt = sqldb_cached(SQ(st)->db, sq_sum_check_sql, cause)) == NULL)
		return POS_FAIL;
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW)
		for (int i = 0; i < CSTORE_SUMS; i++)
			bad[i] = sqlite3_column_int64(stmt, i);
	else
		rc = sqldb_sqlerr(SQ(st)->db, "cannot check the summaries",
		    cause);
	sqldb_release(stmt);
	return rc;
}


/* A window sends a rejected entry again at every sync: count it. */
static const char reject_put_sql[] = "INSERT INTO rejections (branch,"
    " terminal, seq, uuid, receipt, reason, first_at, last_at, times)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1)"
    " ON CONFLICT (branch, terminal, seq, uuid) DO UPDATE SET"
    " reason = excluded.reason, last_at = excluded.last_at,"
    " times = times + 1";

static int
sq_reject_put(struct cstore *st, const struct ledger_entry *e,
    const char *reason, const char *now, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(SQ(st)->db, reject_put_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, e->branch);
	sqlite3_bind_int64(stmt, 2, e->terminal);
	sqlite3_bind_int64(stmt, 3, e->seq);
	sqldb_bind_text(stmt, 4, e->uuid);
	sqldb_bind_text(stmt, 5, e->receipt != NULL ? e->receipt : "");
	sqldb_bind_text(stmt, 6, reason);
	sqldb_bind_text(stmt, 7, now);
	return sqldb_done(SQ(st)->db, stmt, "cannot record the rejection",
	    cause);
}

static const char reject_copy_sql[] = "INSERT INTO rejections (branch,"
    " terminal, seq, uuid, receipt, reason, first_at, last_at, times)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT (branch, terminal, seq, uuid) DO UPDATE SET"
    " receipt = excluded.receipt, reason = excluded.reason,"
    " first_at = excluded.first_at, last_at = excluded.last_at,"
    " times = excluded.times WHERE excluded.last_at > last_at";

static int
sq_rejection_copy(struct cstore *st, const struct cstore_rejection *r,
    char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(SQ(st)->db, reject_copy_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, r->branch);
	sqlite3_bind_int64(stmt, 2, r->terminal);
	sqlite3_bind_int64(stmt, 3, r->seq);
	sqldb_bind_text(stmt, 4, r->uuid);
	sqldb_bind_text(stmt, 5, r->receipt);
	sqldb_bind_text(stmt, 6, r->reason);
	sqldb_bind_text(stmt, 7, r->first_at);
	sqldb_bind_text(stmt, 8, r->last_at);
	sqlite3_bind_int64(stmt, 9, r->times);
	return sqldb_done(SQ(st)->db, stmt, "cannot copy the rejection",
	    cause);
}

/* Resolved once the chain holds an entry at that seq. */
static const char rejections_sql[] = "SELECT r.branch, r.terminal, r.seq,"
    " r.uuid, r.receipt, r.reason, r.first_at, r.last_at, r.times,"
    " coalesce(c.last_seq >= r.seq, 0)"
    " FROM rejections r LEFT JOIN chains c ON c.branch = r.branch"
    "  AND c.terminal = r.terminal"
    " ORDER BY r.branch, r.terminal, r.seq, r.uuid";

static int
sq_rejections(struct cstore *st, struct cstore_rejection **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *stmt;
	struct cstore_rejection *r;
	size_t cap = 0;
	int s, rc = POS_OK;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, rejections_sql, cause)) == NULL)
		return POS_FAIL;
	while ((s = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		r = &(*out)[(*n)++];
		r->branch = sqldb_column_dup(stmt, 0);
		r->terminal = sqlite3_column_int64(stmt, 1);
		r->seq = sqlite3_column_int64(stmt, 2);
		r->uuid = sqldb_column_dup(stmt, 3);
		r->receipt = sqldb_column_dup(stmt, 4);
		r->reason = sqldb_column_dup(stmt, 5);
		r->first_at = sqldb_column_dup(stmt, 6);
		r->last_at = sqldb_column_dup(stmt, 7);
		r->times = sqlite3_column_int64(stmt, 8);
		r->resolved = sqlite3_column_int64(stmt, 9) != 0;
	}
	if (s != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the rejections",
		    cause);
		cstore_rejections_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}


static const char counts_sql[] = "SELECT (SELECT count(*) FROM entries),"
    " (SELECT count(*) FROM lines), (SELECT count(*) FROM payments)";

static int
sq_counts(struct cstore *st, int64_t *entries, int64_t *lines,
    int64_t *payments, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	if ((stmt = sqldb_cached(SQ(st)->db, counts_sql, cause)) == NULL)
		return POS_FAIL;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*entries = sqlite3_column_int64(stmt, 0);
		*lines = sqlite3_column_int64(stmt, 1);
		*payments = sqlite3_column_int64(stmt, 2);
	} else
		rc = sqldb_sqlerr(SQ(st)->db, "cannot count", cause);
	sqldb_release(stmt);
	return rc;
}

/* ---- master data ---- */

static const char master_bump_sql[] = "UPDATE master_version"
    " SET version = version + 1 RETURNING version";
static const char master_version_sql[] = "SELECT version FROM master_version";

static int
sq_master_one(struct cstore *st, const char *sql, int64_t *version,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	if ((stmt = sqldb_cached(SQ(st)->db, sql, cause)) == NULL)
		return POS_FAIL;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*version = sqlite3_column_int64(stmt, 0);
	else
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the master-data "
		    "version", cause);
	sqldb_release(stmt);
	return rc;
}

static int
sq_master_bump(struct cstore *st, int64_t *version, char **cause)
{
	return sq_master_one(st, master_bump_sql, version, cause);
}

static int
sq_master_version(struct cstore *st, int64_t *version, char **cause)
{
	return sq_master_one(st, master_version_sql, version, cause);
}

static const char master_raise_sql[] = "UPDATE master_version"
    " SET version = max(version, ?)";

static int
sq_master_raise(struct cstore *st, int64_t version, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(SQ(st)->db, master_raise_sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, version);
	return sqldb_done(SQ(st)->db, stmt, "cannot move the master-data "
	    "version", cause);
}

static const char mproducer_put_sql[] = "INSERT INTO producers (code, name,"
    " phone, active, version, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
    " phone = excluded.phone, active = excluded.active,"
    " version = excluded.version, updated_at = excluded.updated_at";

static int
sq_mproducer_put(struct cstore *st, const struct cstore_mproducer *p,
    char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(SQ(st)->db, mproducer_put_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, p->code);
	sqldb_bind_text(stmt, 2, p->name);
	sqldb_bind_text(stmt, 3, p->phone);
	sqlite3_bind_int(stmt, 4, p->active);
	sqlite3_bind_int64(stmt, 5, p->version);
	sqldb_bind_text(stmt, 6, p->updated_at);
	return sqldb_done(SQ(st)->db, stmt, "cannot store the producer",
	    cause);
}

static const char mproducers_sql[] = "SELECT code, name, phone, active,"
    " version, updated_at FROM producers WHERE ?1 IS NULL OR code = ?1"
    " ORDER BY code";
/*
 * The first page by version alone, the next ones after the cursor as a
 * row value, so that each is one range of the (version, code) index.
 */
static const char mproducers_first_sql[] = "SELECT code, name, phone,"
    " active, version, updated_at FROM producers WHERE version > ?1"
    " ORDER BY version, code LIMIT ?4";
static const char mproducers_next_sql[] = "SELECT code, name, phone,"
    " active, version, updated_at FROM producers WHERE"
    " (version, code) > (?2, ?3) ORDER BY version, code LIMIT ?4";

/* The producers stmt (bound) gives, into *out; it is released. */
static int
sq_mproducer_rows(struct cstore *st, sqlite3_stmt *stmt,
    struct cstore_mproducer **out, size_t *n, char **cause)
{
	struct cstore_mproducer *p;
	size_t cap = 0;
	int r, rc = POS_OK;

	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		p = &(*out)[(*n)++];
		p->code = sqldb_column_dup(stmt, 0);
		p->name = sqldb_column_dup(stmt, 1);
		p->phone = sqldb_column_dup(stmt, 2);
		p->active = sqlite3_column_int(stmt, 3) != 0;
		p->version = sqlite3_column_int64(stmt, 4);
		p->updated_at = sqldb_column_dup(stmt, 5);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the producers", cause);
		cstore_mproducers_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}

static int
sq_mproducers(struct cstore *st, const char *code,
    struct cstore_mproducer **out, size_t *n, char **cause)
{
	sqlite3_stmt *stmt;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, mproducers_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	return sq_mproducer_rows(st, stmt, out, n, cause);
}

static int
sq_mproducers_changed(struct cstore *st, int64_t since, int64_t after_version,
    const char *after_code, int64_t limit, struct cstore_mproducer **out,
    size_t *n, char **cause)
{
	sqlite3_stmt *stmt;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, *after_code == '\0' ?
	    mproducers_first_sql : mproducers_next_sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, since);
	sqlite3_bind_int64(stmt, 2, after_version);
	sqldb_bind_text(stmt, 3, after_code);
	sqlite3_bind_int64(stmt, 4, limit);
	return sq_mproducer_rows(st, stmt, out, n, cause);
}

static const char mproduct_put_sql[] = "INSERT INTO products (code, name,"
    " price, unit, barcode, producer, active, version, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
    " price = excluded.price, unit = excluded.unit,"
    " barcode = excluded.barcode, producer = excluded.producer,"
    " active = excluded.active, version = excluded.version,"
    " updated_at = excluded.updated_at";

static int
sq_mproduct_put(struct cstore *st, const struct cstore_mproduct *p,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = sqldb_cached(SQ(st)->db, mproduct_put_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, p->code);
	sqldb_bind_text(stmt, 2, p->name);
	sqlite3_bind_int64(stmt, 3, p->price);
	sqldb_bind_text(stmt, 4, p->unit);
	sqldb_bind_text(stmt, 5, p->barcode);
	sqldb_bind_text(stmt, 6, p->producer);
	sqlite3_bind_int(stmt, 7, p->active);
	sqlite3_bind_int64(stmt, 8, p->version);
	sqldb_bind_text(stmt, 9, p->updated_at);
	rc = sqlite3_step(stmt);
	sqldb_release(stmt);
	if (rc == SQLITE_DONE)
		return POS_OK;
	if (sqlite3_extended_errcode(SQ(st)->db->conn) ==
	    SQLITE_CONSTRAINT_UNIQUE)
		return cause_set(cause, POS_INPUT, "product %s: barcode %s is "
		    "another product's", p->code, p->barcode);
	return sqldb_sqlerr(SQ(st)->db, "cannot store the product", cause);
}

static const char mproducts_sql[] = "SELECT code, name, price, unit,"
    " barcode, producer, active, version, updated_at FROM products"
    " WHERE ?1 IS NULL OR code = ?1 ORDER BY code";
static const char mproducts_first_sql[] = "SELECT code, name, price, unit,"
    " barcode, producer, active, version, updated_at FROM products"
    " WHERE version > ?1"
    " ORDER BY version, code LIMIT ?4";
static const char mproducts_next_sql[] = "SELECT code, name, price, unit,"
    " barcode, producer, active, version, updated_at FROM products"
    " WHERE (version, code) > (?2, ?3)"
    " ORDER BY version, code LIMIT ?4";

/* The products stmt (bound) gives, into *out; it is released. */
static int
sq_mproduct_rows(struct cstore *st, sqlite3_stmt *stmt,
    struct cstore_mproduct **out, size_t *n, char **cause)
{
	struct cstore_mproduct *p;
	size_t cap = 0;
	int r, rc = POS_OK;

	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		p = &(*out)[(*n)++];
		p->code = sqldb_column_dup(stmt, 0);
		p->name = sqldb_column_dup(stmt, 1);
		p->price = sqlite3_column_int64(stmt, 2);
		p->unit = sqldb_column_dup(stmt, 3);
		p->barcode = sqldb_column_dup(stmt, 4);
		p->producer = sqldb_column_dup(stmt, 5);
		p->active = sqlite3_column_int(stmt, 6) != 0;
		p->version = sqlite3_column_int64(stmt, 7);
		p->updated_at = sqldb_column_dup(stmt, 8);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the products", cause);
		cstore_mproducts_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}

static int
sq_mproducts(struct cstore *st, const char *code,
    struct cstore_mproduct **out, size_t *n, char **cause)
{
	sqlite3_stmt *stmt;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, mproducts_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	return sq_mproduct_rows(st, stmt, out, n, cause);
}

static int
sq_mproducts_changed(struct cstore *st, int64_t since, int64_t after_version,
    const char *after_code, int64_t limit, struct cstore_mproduct **out,
    size_t *n, char **cause)
{
	sqlite3_stmt *stmt;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, *after_code == '\0' ?
	    mproducts_first_sql : mproducts_next_sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, since);
	sqlite3_bind_int64(stmt, 2, after_version);
	sqldb_bind_text(stmt, 3, after_code);
	sqlite3_bind_int64(stmt, 4, limit);
	return sq_mproduct_rows(st, stmt, out, n, cause);
}

static const char merge_put_sql[] = "INSERT INTO producer_merges (from_code,"
    " into_code, merged_at, undone_at, version) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (from_code) DO UPDATE SET into_code = excluded.into_code,"
    " merged_at = excluded.merged_at, undone_at = excluded.undone_at,"
    " version = excluded.version";

static int
sq_merge_put(struct cstore *st, const struct cstore_merge *m, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(SQ(st)->db, merge_put_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, m->from);
	sqldb_bind_text(stmt, 2, m->into);
	sqldb_bind_text(stmt, 3, m->merged_at);
	sqldb_bind_text(stmt, 4, m->undone_at);
	sqlite3_bind_int64(stmt, 5, m->version);
	return sqldb_done(SQ(st)->db, stmt, "cannot store the merge", cause);
}

static const char merges_sql[] = "SELECT from_code, into_code, merged_at,"
    " undone_at, version FROM producer_merges ORDER BY from_code";

static int
sq_merges(struct cstore *st, struct cstore_merge **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *stmt;
	struct cstore_merge *m;
	size_t cap = 0;
	int r, rc = POS_OK;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, merges_sql, cause)) == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		m = &(*out)[(*n)++];
		m->from = sqldb_column_dup(stmt, 0);
		m->into = sqldb_column_dup(stmt, 1);
		m->merged_at = sqldb_column_dup(stmt, 2);
		m->undone_at = sqldb_column_dup(stmt, 3);
		m->version = sqlite3_column_int64(stmt, 4);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the merges", cause);
		cstore_merges_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}

/* ---- what windows sent of their own ---- */

static const char lproducer_put_sql[] = "INSERT INTO local_producers"
    " (branch, terminal, code, name, phone, round, sent_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (branch, terminal, code) DO UPDATE SET"
    " name = excluded.name, phone = excluded.phone,"
    " round = excluded.round, sent_at = excluded.sent_at";

static int
sq_lproducer_put(struct cstore *st, const struct cstore_lproducer *p,
    const char *round, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(SQ(st)->db, lproducer_put_sql, cause)) ==
	    NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, p->branch);
	sqlite3_bind_int64(stmt, 2, p->terminal);
	sqldb_bind_text(stmt, 3, p->code);
	sqldb_bind_text(stmt, 4, p->name);
	sqldb_bind_text(stmt, 5, p->phone);
	sqldb_bind_text(stmt, 6, round);
	sqldb_bind_text(stmt, 7, p->sent_at);
	return sqldb_done(SQ(st)->db, stmt, "cannot store a window's producer",
	    cause);
}

static const char lproduct_put_sql[] = "INSERT INTO local_products"
    " (branch, terminal, code, name, price, currency, decimals, unit,"
    " barcode, producer, active, round, sent_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (branch, terminal, code) DO UPDATE SET"
    " name = excluded.name, price = excluded.price,"
    " currency = excluded.currency, decimals = excluded.decimals,"
    " unit = excluded.unit, barcode = excluded.barcode,"
    " producer = excluded.producer, active = excluded.active,"
    " round = excluded.round, sent_at = excluded.sent_at";

static int
sq_lproduct_put(struct cstore *st, const struct cstore_lproduct *p,
    const char *round, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(SQ(st)->db, lproduct_put_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, p->branch);
	sqlite3_bind_int64(stmt, 2, p->terminal);
	sqldb_bind_text(stmt, 3, p->code);
	sqldb_bind_text(stmt, 4, p->name);
	sqlite3_bind_int64(stmt, 5, p->price);
	sqldb_bind_text(stmt, 6, p->currency);
	sqlite3_bind_int64(stmt, 7, p->decimals);
	sqldb_bind_text(stmt, 8, p->unit);
	sqldb_bind_text(stmt, 9, p->barcode);
	sqldb_bind_text(stmt, 10, p->producer);
	sqlite3_bind_int(stmt, 11, p->active);
	sqldb_bind_text(stmt, 12, round);
	sqldb_bind_text(stmt, 13, p->sent_at);
	return sqldb_done(SQ(st)->db, stmt, "cannot store a window's product",
	    cause);
}

static int
sq_local_prune(struct cstore *st, const char *branch, int64_t terminal,
    const char *round, char **cause)
{
	static const char *const sql[] = {
		"DELETE FROM local_producers WHERE branch = ? AND terminal = ?"
		" AND round <> ?",
		"DELETE FROM local_products WHERE branch = ? AND terminal = ?"
		" AND round <> ?",
	};
	sqlite3_stmt *stmt;
	int rc;

	for (size_t i = 0; i < 2; i++) {
		if ((stmt = sqldb_cached(SQ(st)->db, sql[i], cause)) == NULL)
			return POS_FAIL;
		sqldb_bind_text(stmt, 1, branch);
		sqlite3_bind_int64(stmt, 2, terminal);
		sqldb_bind_text(stmt, 3, round);
		if ((rc = sqldb_done(SQ(st)->db, stmt, "cannot forget a "
		    "window's old rows", cause)) != POS_OK)
			return rc;
	}
	return POS_OK;
}

/* Room for one more row in a growing array of size bytes a row. */
static void *
sq_grow(void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	*cap = *cap == 0 ? 16 : *cap * 2;
	return xreallocarray(arr, *cap, size);
}

static const char lproducers_sql[] = "SELECT branch, terminal, code, name,"
    " phone, sent_at FROM local_producers ORDER BY code, branch, terminal";

static int
sq_lproducers(struct cstore *st, struct cstore_lproducer **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *stmt;
	struct cstore_lproducer *p;
	size_t cap = 0;
	int r, rc = POS_OK;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, lproducers_sql, cause)) == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		*out = sq_grow(*out, *n, &cap, sizeof **out);
		p = &(*out)[(*n)++];
		p->branch = sqldb_column_dup(stmt, 0);
		p->terminal = sqlite3_column_int64(stmt, 1);
		p->code = sqldb_column_dup(stmt, 2);
		p->name = sqldb_column_dup(stmt, 3);
		p->phone = sqldb_column_dup(stmt, 4);
		p->sent_at = sqldb_column_dup(stmt, 5);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the windows' "
		    "producers", cause);
		cstore_lproducers_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}

static const char lproducts_sql[] = "SELECT branch, terminal, code, name,"
    " price, currency, decimals, unit, barcode, producer, active, sent_at"
    " FROM local_products ORDER BY code, branch, terminal";

static int
sq_lproducts(struct cstore *st, struct cstore_lproduct **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *stmt;
	struct cstore_lproduct *p;
	size_t cap = 0;
	int r, rc = POS_OK;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, lproducts_sql, cause)) == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		*out = sq_grow(*out, *n, &cap, sizeof **out);
		p = &(*out)[(*n)++];
		p->branch = sqldb_column_dup(stmt, 0);
		p->terminal = sqlite3_column_int64(stmt, 1);
		p->code = sqldb_column_dup(stmt, 2);
		p->name = sqldb_column_dup(stmt, 3);
		p->price = sqlite3_column_int64(stmt, 4);
		p->currency = sqldb_column_dup(stmt, 5);
		p->decimals = sqlite3_column_int64(stmt, 6);
		p->unit = sqldb_column_dup(stmt, 7);
		p->barcode = sqldb_column_dup(stmt, 8);
		p->producer = sqldb_column_dup(stmt, 9);
		p->active = sqlite3_column_int(stmt, 10) != 0;
		p->sent_at = sqldb_column_dup(stmt, 11);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the windows' "
		    "products", cause);
		cstore_lproducts_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}

/* The chains whose journal names are not read up to their head. */
static const char seen_behind_sql[] = "SELECT c.branch, c.terminal,"
    " c.last_seq, coalesce(m.seq, 0) FROM chains c LEFT JOIN seen_marks m"
    " ON m.branch = c.branch AND m.terminal = c.terminal"
    " WHERE c.last_seq > coalesce(m.seq, 0)";

/*
 * The entries (?3, ?4] of chain (?1, ?2): the latest line of each code
 * (SQLite takes the bare columns from the row of the max()), kept when
 * later than the row stored.
 */
static const char seen_products_put_sql[] = "INSERT INTO seen_products"
    " (branch, terminal, code, name, price, currency, decimals, at)"
    " SELECT e.branch, e.terminal, l.product_code, l.product_name,"
    " l.unit_price, e.currency, e.decimals, max(e.seq * 1024 + l.line_no)"
    " FROM entries e JOIN lines l ON l.entry_id = e.id"
    " WHERE e.branch = ?1 AND e.terminal = ?2 AND e.seq > ?3"
    " AND e.seq <= ?4 GROUP BY l.product_code"
    " ON CONFLICT (branch, terminal, code) DO UPDATE SET"
    " name = excluded.name, price = excluded.price,"
    " currency = excluded.currency, decimals = excluded.decimals,"
    " at = excluded.at WHERE excluded.at > seen_products.at";

static const char seen_producers_put_sql[] = "INSERT INTO seen_producers"
    " (branch, terminal, code, name, currency, decimals, at)"
    " SELECT branch, terminal, code, name, currency, decimals, max(at)"
    " FROM (SELECT e.branch, e.terminal, l.producer_code AS code,"
    " l.producer_name AS name, e.currency, e.decimals,"
    " e.seq * 1024 + l.line_no AS at"
    " FROM entries e JOIN lines l ON l.entry_id = e.id"
    " WHERE e.branch = ?1 AND e.terminal = ?2 AND e.seq > ?3"
    " AND e.seq <= ?4"
    " UNION ALL SELECT branch, terminal, producer_code, producer_name,"
    " currency, decimals, seq * 1024 + 1023 FROM entries"
    " WHERE branch = ?1 AND terminal = ?2 AND seq > ?3 AND seq <= ?4"
    " AND producer_code IS NOT NULL) WHERE true GROUP BY code"
    " ON CONFLICT (branch, terminal, code) DO UPDATE SET"
    " name = excluded.name, currency = excluded.currency,"
    " decimals = excluded.decimals, at = excluded.at"
    " WHERE excluded.at > seen_producers.at";

static const char seen_mark_sql[] = "INSERT INTO seen_marks (branch,"
    " terminal, seq) VALUES (?1, ?2, ?4) ON CONFLICT (branch, terminal)"
    " DO UPDATE SET seq = excluded.seq";

/* Read one chain's entries (from, to] into the tables of names. */
static int
sq_seen_chain(struct cstore *st, const char *branch, int64_t terminal,
    int64_t from, int64_t to, char **cause)
{
	static const char *const sql[] = { seen_products_put_sql,
	    seen_producers_put_sql, seen_mark_sql };
	sqlite3_stmt *stmt;
	int rc;

	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		if ((stmt = sqldb_cached(SQ(st)->db, sql[i], cause)) == NULL)
			return POS_FAIL;
		sqldb_bind_text(stmt, 1, branch);
		sqlite3_bind_int64(stmt, 2, terminal);
		sqlite3_bind_int64(stmt, 3, from);
		sqlite3_bind_int64(stmt, 4, to);
		if ((rc = sqldb_done(SQ(st)->db, stmt, "cannot read the "
		    "journals' names", cause)) != POS_OK)
			return rc;
	}
	return POS_OK;
}

struct sq_behind {
	char	*branch;
	int64_t	 terminal, to, from;
};

static int
sq_seen_refresh(struct cstore *st, char **cause)
{
	sqlite3_stmt *stmt;
	struct sq_behind *b = NULL;
	size_t n = 0, cap = 0;
	int r, rc = POS_OK;

	if ((stmt = sqldb_cached(SQ(st)->db, seen_behind_sql, cause)) == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		b = sq_grow(b, n, &cap, sizeof *b);
		b[n].branch = sqldb_column_dup(stmt, 0);
		b[n].terminal = sqlite3_column_int64(stmt, 1);
		b[n].to = sqlite3_column_int64(stmt, 2);
		b[n].from = sqlite3_column_int64(stmt, 3);
		n++;
	}
	if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the chains", cause);
	sqldb_release(stmt);
	for (size_t i = 0; i < n; i++) {
		if (rc == POS_OK)
			rc = sq_seen_chain(st, b[i].branch, b[i].terminal,
			    b[i].from, b[i].to, cause);
		free(b[i].branch);
	}
	free(b);
	return rc;
}

static const char seen_producers_sql[] = "SELECT branch, terminal, code,"
    " name, 0, currency, decimals FROM seen_producers"
    " ORDER BY code, branch, terminal";

static const char seen_products_sql[] = "SELECT branch, terminal, code,"
    " name, price, currency, decimals FROM seen_products"
    " ORDER BY code, branch, terminal";

static int
sq_seen(struct cstore *st, const char *sql, struct cstore_seen **out,
    size_t *n, char **cause)
{
	sqlite3_stmt *stmt;
	struct cstore_seen *s;
	size_t cap = 0;
	int r, rc = POS_OK;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, sql, cause)) == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		*out = sq_grow(*out, *n, &cap, sizeof **out);
		s = &(*out)[(*n)++];
		s->branch = sqldb_column_dup(stmt, 0);
		s->terminal = sqlite3_column_int64(stmt, 1);
		s->code = sqldb_column_dup(stmt, 2);
		s->name = sqldb_column_dup(stmt, 3);
		s->price = sqlite3_column_int64(stmt, 4);
		s->currency = sqldb_column_dup(stmt, 5);
		s->decimals = sqlite3_column_int64(stmt, 6);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the journals' names",
		    cause);
		cstore_seen_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}

static int
sq_seen_producers(struct cstore *st, struct cstore_seen **out, size_t *n,
    char **cause)
{
	return sq_seen(st, seen_producers_sql, out, n, cause);
}

static int
sq_seen_products(struct cstore *st, struct cstore_seen **out, size_t *n,
    char **cause)
{
	return sq_seen(st, seen_products_sql, out, n, cause);
}

/* ---- office accounts ---- */

static const char user_add_sql[] = "INSERT INTO users (name, role,"
    " password, created_at, disabled_at) VALUES (?, ?, ?, ?, ?)";

static int
sq_user_add(struct cstore *st, const struct cstore_user *u, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = sqldb_cached(SQ(st)->db, user_add_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, u->name);
	sqldb_bind_text(stmt, 2, u->role);
	sqldb_bind_text(stmt, 3, u->password);
	sqldb_bind_text(stmt, 4, u->created_at);
	sqldb_bind_text(stmt, 5, u->disabled_at);
	rc = sqlite3_step(stmt);
	sqldb_release(stmt);
	if (rc == SQLITE_DONE)
		return POS_OK;
	if ((sqlite3_extended_errcode(SQ(st)->db->conn) & 0xff) ==
	    SQLITE_CONSTRAINT)
		return cause_set(cause, POS_INPUT, "user %s already exists",
		    u->name);
	return sqldb_sqlerr(SQ(st)->db, "cannot add the user", cause);
}

static const char users_sql[] = "SELECT name, role, password, created_at,"
    " disabled_at FROM users WHERE ?1 IS NULL OR name = ?1 ORDER BY name";

static int
sq_users(struct cstore *st, const char *name, struct cstore_user **out,
    size_t *n, char **cause)
{
	sqlite3_stmt *stmt;
	struct cstore_user *u;
	size_t cap = 0;
	int r, rc = POS_OK;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, users_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, name);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		u = &(*out)[(*n)++];
		u->name = sqldb_column_dup(stmt, 0);
		u->role = sqldb_column_dup(stmt, 1);
		u->password = sqldb_column_dup(stmt, 2);
		u->created_at = sqldb_column_dup(stmt, 3);
		u->disabled_at = sqldb_column_dup(stmt, 4);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the users", cause);
		cstore_users_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}

static const char user_disable_sql[] = "UPDATE users SET disabled_at = ?"
    " WHERE name = ? AND disabled_at IS NULL";
static const char user_sessions_sql[] = "DELETE FROM web_sessions"
    " WHERE username = ?";

static int
sq_user_disable(struct cstore *st, const char *name, const char *now,
    char **cause)
{
	struct sqldb *db = SQ(st)->db;
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = sqldb_begin(db, true, cause)) != POS_OK)
		return rc;
	if ((stmt = sqldb_cached(db, user_disable_sql, cause)) == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	sqldb_bind_text(stmt, 1, now);
	sqldb_bind_text(stmt, 2, name);
	if ((rc = sqldb_done(db, stmt, "cannot disable the user", cause)) !=
	    POS_OK)
		goto out;
	if (sqlite3_changes(db->conn) == 0) {
		rc = cause_set(cause, POS_INPUT, "no user %s that may log in",
		    name);
		goto out;
	}
	if ((stmt = sqldb_cached(db, user_sessions_sql, cause)) == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	sqldb_bind_text(stmt, 1, name);
	if ((rc = sqldb_done(db, stmt, "cannot end the user's sessions",
	    cause)) != POS_OK)
		goto out;
	rc = sqldb_commit(db, cause);
out:
	if (rc != POS_OK)
		sqldb_rollback(db);
	return rc;
}

static const char apitoken_add_sql[] = "INSERT INTO api_tokens (name,"
    " token_hash, created_at) VALUES (?, ?, ?)";

static int
sq_apitoken_add(struct cstore *st, const char *name, const uint8_t *hash,
    const char *now, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = sqldb_cached(SQ(st)->db, apitoken_add_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, name);
	sqlite3_bind_blob(stmt, 2, hash, TOKEN_DIGEST, SQLITE_TRANSIENT);
	sqldb_bind_text(stmt, 3, now);
	rc = sqlite3_step(stmt);
	sqldb_release(stmt);
	if (rc == SQLITE_DONE)
		return POS_OK;
	if ((sqlite3_extended_errcode(SQ(st)->db->conn) & 0xff) ==
	    SQLITE_CONSTRAINT)
		return cause_set(cause, POS_INPUT, "token %s already exists",
		    name);
	return sqldb_sqlerr(SQ(st)->db, "cannot add the token", cause);
}

static const char apitoken_revoke_sql[] = "UPDATE api_tokens"
    " SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL";

static int
sq_apitoken_revoke(struct cstore *st, const char *name, const char *now,
    char **cause)
{
	struct sqldb *db = SQ(st)->db;
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = sqldb_cached(db, apitoken_revoke_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, now);
	sqldb_bind_text(stmt, 2, name);
	if ((rc = sqldb_done(db, stmt, "cannot revoke the token", cause)) !=
	    POS_OK)
		return rc;
	if (sqlite3_changes(db->conn) == 0)
		return cause_set(cause, POS_INPUT, "no valid token named %s",
		    name);
	return POS_OK;
}

static const char apitoken_find_sql[] = "SELECT name, token_hash"
    " FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL";

/*
 * The name of the row whose token_hash is digest (sql: SELECT name,
 * token_hash ... WHERE token_hash = ?): as sq_authenticate, by the
 * digests' index, then in constant time; POS_DENIED with unknown when none.
 */
static int
sq_digest_find(struct cstore *st, const char *sql, const uint8_t *digest,
    char **out, const char *unknown, const char *what, char **cause)
{
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	*out = NULL;
	if ((stmt = sqldb_cached(SQ(st)->db, sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_blob(stmt, 1, digest, TOKEN_DIGEST, SQLITE_STATIC);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW && sqlite3_column_bytes(stmt, 1) == TOKEN_DIGEST &&
	    token_equal(sqlite3_column_blob(stmt, 1), digest))
		*out = sqldb_column_dup(stmt, 0);
	else if (r == SQLITE_ROW || r == SQLITE_DONE)
		rc = cause_set(cause, POS_DENIED, "%s", unknown);
	else
		rc = sqldb_sqlerr(SQ(st)->db, what, cause);
	sqldb_release(stmt);
	return rc;
}

static int
sq_apitoken_find(struct cstore *st, const uint8_t *digest, char **name,
    char **cause)
{
	return sq_digest_find(st, apitoken_find_sql, digest, name,
	    "unknown token", "cannot read the tokens", cause);
}

static const char apitokens_sql[] = "SELECT name, token_hash, created_at,"
    " revoked_at FROM api_tokens ORDER BY name";

static int
sq_apitokens(struct cstore *st, struct cstore_apitoken **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *stmt;
	struct cstore_apitoken *t;
	size_t cap = 0;
	int r, rc = POS_OK;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, apitokens_sql, cause)) == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		t = &(*out)[(*n)++];
		memset(t, 0, sizeof *t);
		t->name = sqldb_column_dup(stmt, 0);
		if (sqlite3_column_bytes(stmt, 1) == TOKEN_DIGEST)
			memcpy(t->token_hash, sqlite3_column_blob(stmt, 1),
			    TOKEN_DIGEST);
		t->created_at = sqldb_column_dup(stmt, 2);
		t->revoked_at = sqldb_column_dup(stmt, 3);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the tokens", cause);
		cstore_apitokens_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}

static const char producer_products_sql[] = SUM_PRODUCER_PRODUCTS;

static int
sq_producer_products(struct cstore *st, const char *code, const char *from,
    const char *to, struct cstore_pproduct **out, size_t *n, char **cause)
{
	struct cstore_pproduct *p;
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int r, rc = POS_OK;

	if ((stmt = sqldb_cached(SQ(st)->db, producer_products_sql,
	    cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	sqldb_bind_text(stmt, 2, from);
	sqldb_bind_text(stmt, 3, to);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		p = &(*out)[(*n)++];
		p->code = sqldb_column_dup(stmt, 0);
		p->name = sqldb_column_dup(stmt, 1);
		p->currency = sqldb_column_dup(stmt, 2);
		p->decimals = sqlite3_column_int64(stmt, 3);
		p->qty_sold = sqlite3_column_int64(stmt, 4);
		p->sold = sqlite3_column_int64(stmt, 5);
		p->refunded = sqlite3_column_int64(stmt, 6);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the products",
		    cause);
		cstore_pproducts_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}

static const char plink_get_sql[] = "SELECT rotation, token_hash FROM"
    " producer_links WHERE code = ?";

static int
sq_plink_get(struct cstore *st, const char *code, int64_t *rotation,
    uint8_t *hash, bool *issued, char **cause)
{
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	if ((stmt = sqldb_cached(SQ(st)->db, plink_get_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		*rotation = sqlite3_column_int64(stmt, 0);
		*issued = true;
		if (hash != NULL &&
		    sqlite3_column_bytes(stmt, 1) == TOKEN_DIGEST)
			memcpy(hash, sqlite3_column_blob(stmt, 1),
			    TOKEN_DIGEST);
	} else if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the links", cause);
	sqldb_release(stmt);
	return rc;
}

static const char plink_put_sql[] = "INSERT INTO producer_links (code,"
    " rotation, token_hash) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE"
    " SET rotation = excluded.rotation, token_hash = excluded.token_hash";

static int
sq_plink_put(struct cstore *st, const char *code, int64_t rotation,
    const uint8_t *hash, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(SQ(st)->db, plink_put_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	sqlite3_bind_int64(stmt, 2, rotation);
	sqlite3_bind_blob(stmt, 3, hash, TOKEN_DIGEST, SQLITE_TRANSIENT);
	return sqldb_done(SQ(st)->db, stmt, "cannot store the link", cause);
}

static const char plink_find_sql[] = "SELECT code, token_hash FROM"
    " producer_links WHERE token_hash = ?";

static int
sq_plink_find(struct cstore *st, const uint8_t *digest, char **code,
    char **cause)
{
	return sq_digest_find(st, plink_find_sql, digest, code,
	    "no such link", "cannot read the links", cause);
}

static const char wsession_prune_sql[] = "DELETE FROM web_sessions"
    " WHERE expires_at < ?";
static const char wsession_put_sql[] = "INSERT INTO web_sessions"
    " (token_hash, username, csrf, created_at, expires_at)"
    " VALUES (?, ?, ?, ?, ?)";

static int
sq_wsession_put(struct cstore *st, const uint8_t *hash, const char *user,
    const char *csrf, const char *created_at, const char *expires_at,
    char **cause)
{
	struct sqldb *db = SQ(st)->db;
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = sqldb_begin(db, true, cause)) != POS_OK)
		return rc;
	if ((stmt = sqldb_cached(db, wsession_prune_sql, cause)) == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	sqldb_bind_text(stmt, 1, created_at);
	if ((rc = sqldb_done(db, stmt, "cannot forget old sessions",
	    cause)) != POS_OK)
		goto out;
	if ((stmt = sqldb_cached(db, wsession_put_sql, cause)) == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	sqlite3_bind_blob(stmt, 1, hash, TOKEN_DIGEST, SQLITE_TRANSIENT);
	sqldb_bind_text(stmt, 2, user);
	sqldb_bind_text(stmt, 3, csrf);
	sqldb_bind_text(stmt, 4, created_at);
	sqldb_bind_text(stmt, 5, expires_at);
	if ((rc = sqldb_done(db, stmt, "cannot store the session", cause)) !=
	    POS_OK)
		goto out;
	rc = sqldb_commit(db, cause);
out:
	if (rc != POS_OK)
		sqldb_rollback(db);
	return rc;
}

static const char wsession_get_sql[] = "SELECT s.username, u.role, s.csrf,"
    " s.expires_at, s.token_hash FROM web_sessions s"
    " JOIN users u ON u.name = s.username"
    " WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL";

static int
sq_wsession_get(struct cstore *st, const uint8_t *digest, const char *now,
    struct cstore_wsession *out, char **cause)
{
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	if ((stmt = sqldb_cached(SQ(st)->db, wsession_get_sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_blob(stmt, 1, digest, TOKEN_DIGEST, SQLITE_STATIC);
	sqldb_bind_text(stmt, 2, now);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW && sqlite3_column_bytes(stmt, 4) == TOKEN_DIGEST &&
	    token_equal(sqlite3_column_blob(stmt, 4), digest)) {
		out->user = sqldb_column_dup(stmt, 0);
		out->role = sqldb_column_dup(stmt, 1);
		out->csrf = sqldb_column_dup(stmt, 2);
		out->expires_at = sqldb_column_dup(stmt, 3);
	} else if (r == SQLITE_ROW || r == SQLITE_DONE)
		rc = cause_set(cause, POS_DENIED, "no such session");
	else
		rc = sqldb_sqlerr(SQ(st)->db, "cannot read the sessions", cause);
	sqldb_release(stmt);
	return rc;
}

static const char wsession_drop_sql[] = "DELETE FROM web_sessions"
    " WHERE token_hash = ?";

static int
sq_wsession_drop(struct cstore *st, const uint8_t *digest, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(SQ(st)->db, wsession_drop_sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_blob(stmt, 1, digest, TOKEN_DIGEST, SQLITE_STATIC);
	return sqldb_done(SQ(st)->db, stmt, "cannot end the session", cause);
}

static const char login_prune_sql[] = "DELETE FROM login_failures"
    " WHERE at < ?";
static const char login_failed_sql[] = "INSERT INTO login_failures"
    " (key, at) VALUES (?, ?)";

static int
sq_login_failed(struct cstore *st, const char *key, const char *now,
    const char *forget, char **cause)
{
	struct sqldb *db = SQ(st)->db;
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = sqldb_begin(db, true, cause)) != POS_OK)
		return rc;
	if ((stmt = sqldb_cached(db, login_prune_sql, cause)) == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	sqldb_bind_text(stmt, 1, forget);
	if ((rc = sqldb_done(db, stmt, "cannot forget old failed logins",
	    cause)) != POS_OK)
		goto out;
	if ((stmt = sqldb_cached(db, login_failed_sql, cause)) == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	sqldb_bind_text(stmt, 1, key);
	sqldb_bind_text(stmt, 2, now);
	if ((rc = sqldb_done(db, stmt, "cannot count the failed login",
	    cause)) != POS_OK)
		goto out;
	rc = sqldb_commit(db, cause);
out:
	if (rc != POS_OK)
		sqldb_rollback(db);
	return rc;
}

static const char login_failures_sql[] = "SELECT count(*)"
    " FROM login_failures WHERE key = ? AND at >= ?";

static int
sq_login_failures(struct cstore *st, const char *key, const char *since,
    int64_t *n, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	*n = 0;
	if ((stmt = sqldb_cached(SQ(st)->db, login_failures_sql, cause)) ==
	    NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, key);
	sqldb_bind_text(stmt, 2, since);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*n = sqlite3_column_int64(stmt, 0);
	else
		rc = sqldb_sqlerr(SQ(st)->db, "cannot count failed logins",
		    cause);
	sqldb_release(stmt);
	return rc;
}


static const struct cstore_ops sq_ops = {
	.kind = "sqlite",
	.serial = true,
	.close = sq_close,
	.ping = sq_ping,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.branch_add = sq_branch_add,
	.branch_revoke = sq_branch_revoke,
	.branches = sq_branches,
	.authenticate = sq_authenticate,
	.head = sq_head,
	.chains = sq_chains,
	.find_uuid = sq_find_uuid,
	.insert = sq_insert,
	.put_head = sq_put_head,
	.savepoint = sq_savepoint,
	.savepoint_end = sq_savepoint_end,
	.each_entry = sq_each_entry,
	.entries_after = sq_entries_after,
	.idem_get = sq_idem_get,
	.idem_put = sq_idem_put,
	.report_producers = sq_report_producers,
	.producer_days = sq_producer_days,
	.days_chains = sq_days_chains,
	.counts = sq_counts,
	.day_money = sq_day_money,
	.reject_put = sq_reject_put,
	.rejections = sq_rejections,
	.rejection_copy = sq_rejection_copy,
	.summaries_check = sq_summaries_check,
	.insert_many = sq_insert_many,
	.master_bump = sq_master_bump,
	.master_version = sq_master_version,
	.master_raise = sq_master_raise,
	.mproducer_put = sq_mproducer_put,
	.mproducers = sq_mproducers,
	.mproduct_put = sq_mproduct_put,
	.mproducts = sq_mproducts,
	.merge_put = sq_merge_put,
	.merges = sq_merges,
	.lproducer_put = sq_lproducer_put,
	.lproduct_put = sq_lproduct_put,
	.local_prune = sq_local_prune,
	.lproducers = sq_lproducers,
	.lproducts = sq_lproducts,
	.seen_refresh = sq_seen_refresh,
	.seen_producers = sq_seen_producers,
	.seen_products = sq_seen_products,
	.user_add = sq_user_add,
	.users = sq_users,
	.user_disable = sq_user_disable,
	.apitoken_revoke = sq_apitoken_revoke,
	.apitoken_add = sq_apitoken_add,
	.apitoken_find = sq_apitoken_find,
	.apitokens = sq_apitokens,
	.producer_products = sq_producer_products,
	.plink_get = sq_plink_get,
	.plink_put = sq_plink_put,
	.plink_find = sq_plink_find,
	.wsession_put = sq_wsession_put,
	.wsession_get = sq_wsession_get,
	.wsession_drop = sq_wsession_drop,
	.login_failed = sq_login_failed,
	.login_failures = sq_login_failures,
	.mproducers_changed = sq_mproducers_changed,
	.mproducts_changed = sq_mproducts_changed,
};

int
cstore_schema_version(void)
{
	return (int)CSTORE_NMIGRATIONS;
}
