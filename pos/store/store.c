/*
 * The window store: opening, pragmas, migrations, transactions, identity.
 *
 * The journal tables are append-only: triggers refuse UPDATE and DELETE, so
 * a bug cannot rewrite history; `pos verify` catches anyone who drops them.
 * Which day is open is not stored as state: it is the last day_open or
 * day_close entry of the journal.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
	"  UPDATE catalog_gen SET gen = gen + 1; END;"
};

int
store_fail(char **cause, int rc, const char *fmt, ...)
{
	va_list ap;

	if (cause != NULL) {
		free(*cause);
		va_start(ap, fmt);
		*cause = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return rc;
}

int
store_sqlerr(struct store *st, const char *what, char **cause)
{
	int code = sqlite3_extended_errcode(st->db);

	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return store_fail(cause, POS_FAIL,
		    "%s: the store is busy (another program holds it): %s",
		    what, sqlite3_errmsg(st->db));
	return store_fail(cause, POS_FAIL, "%s: %s", what,
	    sqlite3_errmsg(st->db));
}

sqlite3_stmt *
store_prepare(struct store *st, const char *sql, char **cause)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_sqlerr(st, "prepare", cause);
		return NULL;
	}
	return stmt;
}

sqlite3_stmt *
store_cached(struct store *st, const char *sql, char **cause)
{
	struct store_cached *c;
	size_t i;

	for (i = 0; i < st->ncache; i++)
		if (st->cache[i].sql == sql)
			return st->cache[i].stmt;
	if (st->ncache == STORE_CACHE_SIZE) {
		store_fail(cause, POS_FAIL, "statement cache full (raise "
		    "STORE_CACHE_SIZE)");
		return NULL;
	}
	c = &st->cache[st->ncache];
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &c->stmt, NULL) != SQLITE_OK) {
		store_sqlerr(st, "prepare", cause);
		return NULL;
	}
	c->sql = sql;
	st->ncache++;
	return c->stmt;
}

void
store_release(sqlite3_stmt *stmt)
{
	if (stmt != NULL) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
	}
}

int
store_bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(stmt, idx);
	return sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT);
}

char *
store_column_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	if (s == NULL)
		return NULL;
	return xstrdup((const char *)s);
}

static int
store_exec(struct store *st, const char *sql, const char *what, char **cause)
{
	char *msg = NULL;
	int rc;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return POS_OK;
	rc = store_fail(cause, POS_FAIL, "%s: %s", what,
	    msg != NULL ? msg : sqlite3_errmsg(st->db));
	sqlite3_free(msg);
	return rc;
}

static const char store_begin_write[] = "BEGIN IMMEDIATE";
static const char store_begin_read[] = "BEGIN";
static const char store_commit_sql[] = "COMMIT";

/* Step a cached statement that returns no rows. */
static int
store_run(struct store *st, const char *sql, const char *what, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	if ((stmt = store_cached(st, sql, cause)) == NULL)
		return POS_FAIL;
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = store_sqlerr(st, what, cause);
	store_release(stmt);
	return rc;
}

int
store_begin(struct store *st, bool write, char **cause)
{
	return store_run(st, write ? store_begin_write : store_begin_read,
	    "cannot start a transaction", cause);
}

int
store_commit(struct store *st, char **cause)
{
	int rc = store_run(st, store_commit_sql, "cannot commit", cause);

	if (rc != POS_OK) {
		store_rollback(st);
		/*
		 * If the commit's frames reached the WAL before its fsync
		 * failed, a crash could bring the refused transaction back.
		 * Truncating the WAL (best effort) drops them.
		 */
		sqlite3_exec(st->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL,
		    NULL, NULL);
	}
	return rc;
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* mkdir -p for the parent directories of path, mode 0700. */
static int
store_make_parents(const char *path, char **cause)
{
	char *dir = xstrdup(path), *p;
	int rc = POS_OK;

	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			rc = store_fail(cause, POS_FAIL, "cannot create %s: %s",
			    dir, strerror(errno));
			goto out;
		}
		*p = '/';
	}
out:
	free(dir);
	return rc;
}

static int
store_migrate(struct store *st, char **cause)
{
	sqlite3_stmt *stmt;
	int version, rc;
	size_t n = sizeof store_migrations / sizeof store_migrations[0];
	char *sql;

	if ((stmt = store_prepare(st, "PRAGMA user_version", cause)) == NULL)
		return POS_FAIL;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return store_sqlerr(st, "cannot read the schema version", cause);
	}
	version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (version == (int)n)
		return POS_OK;
	if (version > (int)n)
		return store_fail(cause, POS_FAIL,
		    "%s: the store has schema version %d, newer than this "
		    "program (%zu): upgrade pos", st->path, version, n);

	if ((rc = store_begin(st, true, cause)) != POS_OK)
		return rc;
	/* Another process may have migrated while we waited for the lock. */
	if ((stmt = store_prepare(st, "PRAGMA user_version", cause)) == NULL)
		goto fail;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	for (; version < (int)n; version++) {
		if ((rc = store_exec(st, store_migrations[version],
		    "cannot upgrade the store", cause)) != POS_OK)
			goto fail;
		sql = xasprintf("PRAGMA user_version = %d", version + 1);
		rc = store_exec(st, sql, "cannot upgrade the store", cause);
		free(sql);
		if (rc != POS_OK)
			goto fail;
	}
	return store_commit(st, cause);
fail:
	store_rollback(st);
	return POS_FAIL;
}

static int
store_load_identity(struct store *st, char **cause)
{
	sqlite3_stmt *stmt;
	const char *key;
	int rc = POS_OK, r;

	stmt = store_prepare(st, "SELECT key, value FROM meta "
	    "WHERE key IN ('branch', 'terminal')", cause);
	if (stmt == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		key = (const char *)sqlite3_column_text(stmt, 0);
		if (strcmp(key, "branch") == 0) {
			free(st->branch);
			st->branch = store_column_dup(stmt, 1);
		} else
			st->terminal = sqlite3_column_int64(stmt, 1);
	}
	if (r != SQLITE_DONE)
		rc = store_sqlerr(st, "cannot read the store identity", cause);
	sqlite3_finalize(stmt);
	return rc;
}

int
store_open(const char *path, bool create, const struct config *cfg,
    struct store **out, char **cause)
{
	struct store *st;
	struct stat sb;
	int rc, fd;

	*out = NULL;
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT || !create)
			return store_fail(cause, POS_INPUT,
			    "no store at %s (%s): run 'pos init' first", path,
			    strerror(errno));
		if ((rc = store_make_parents(path, cause)) != POS_OK)
			return rc;
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd == -1 && errno != EEXIST)
			return store_fail(cause, POS_FAIL, "cannot create %s: %s",
			    path, strerror(errno));
		if (fd != -1)
			close(fd);
	} else if (!S_ISREG(sb.st_mode))
		return store_fail(cause, POS_INPUT, "%s is not a file", path);

	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	st->cfg = cfg;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = store_fail(cause, POS_FAIL, "cannot open %s: %s", path,
		    st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	rc = store_exec(st, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;", "cannot set up the store", cause);
	if (rc != POS_OK) {
		store_fail(cause, POS_FAIL, "%s: not a usable store: %s", path,
		    sqlite3_errmsg(st->db));
		goto fail;
	}
	if ((rc = store_migrate(st, cause)) != POS_OK)
		goto fail;
	if ((rc = store_load_identity(st, cause)) != POS_OK)
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
	for (size_t i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	if (st->names_free != NULL)
		st->names_free(st->names);
	if (st->db != NULL)
		sqlite3_close(st->db);
	free(st->path);
	free(st->branch);
	free(st);
}

int
store_need_identity(struct store *st, char **cause)
{
	if (st->branch == NULL)
		return store_fail(cause, POS_INPUT,
		    "%s is not set up: run 'pos init --branch CODE "
		    "--terminal N' first", st->path);
	return POS_OK;
}

int
store_init_identity(struct store *st, const char *branch, int64_t terminal,
    const char *name, char **cause)
{
	sqlite3_stmt *stmt = NULL;
	char term[24];
	int rc;

	if ((rc = store_begin(st, true, cause)) != POS_OK)
		return rc;
	if ((rc = store_load_identity(st, cause)) != POS_OK)
		goto out;
	if (st->branch != NULL) {
		rc = store_fail(cause, POS_INPUT,
		    "%s is already set up as branch %s terminal %lld; the "
		    "receipt series cannot change", st->path, st->branch,
		    (long long)st->terminal);
		goto out;
	}
	stmt = store_prepare(st, "INSERT INTO meta (key, value) VALUES (?, ?)",
	    cause);
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
		store_bind_text(stmt, 1, rows[i][0]);
		store_bind_text(stmt, 2, rows[i][1]);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			rc = store_sqlerr(st, "cannot set up the store", cause);
			goto out;
		}
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if ((rc = store_commit(st, cause)) != POS_OK)
		goto out;
	rc = store_load_identity(st, cause);
out:
	sqlite3_finalize(stmt);
	store_rollback(st);
	return rc;
}

int
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
			return store_fail(cause, POS_INPUT,
			    "POS_NOW: must be YYYY-MM-DDTHH:MM:SSZ, got \"%s\"",
			    fixed);
		now = timegm(&tm);
	} else
		now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL)
		return store_fail(cause, POS_FAIL, "the clock is unusable");
	strftime(utc, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (store_zone(cfg) != 0)
		return store_fail(cause, POS_FAIL, "cannot set TZ");
	if (localtime_r(&now, &tm) == NULL)
		return store_fail(cause, POS_FAIL, "the clock is unusable");
	strftime(date, 11, "%Y-%m-%d", &tm);
	return POS_OK;
}
