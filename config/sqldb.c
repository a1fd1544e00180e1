#include "sqldb.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

int
sqldb_sqlerr(struct sqldb *db, const char *what, char **cause)
{
	int code = sqlite3_extended_errcode(db->conn) & 0xff;

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return cause_set(cause, db->opts.busy_rc,
		    "%s: the store is busy%s: %s", what, db->opts.busy_note,
		    sqlite3_errmsg(db->conn));
	return cause_set(cause, POS_FAIL, "%s: %s", what,
	    sqlite3_errmsg(db->conn));
}

sqlite3_stmt *
sqldb_prepare(struct sqldb *db, const char *sql, char **cause)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(db->conn, sql, -1, &stmt, NULL) != SQLITE_OK) {
		sqldb_sqlerr(db, "prepare", cause);
		return NULL;
	}
	return stmt;
}

sqlite3_stmt *
sqldb_cached(struct sqldb *db, const char *sql, char **cause)
{
	struct sqldb_cached *c;

	for (size_t i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql)
			return db->cache[i].stmt;
	if (db->ncache == SQLDB_CACHE_SIZE) {
		cause_set(cause, POS_FAIL, "statement cache full (raise "
		    "SQLDB_CACHE_SIZE)");
		return NULL;
	}
	c = &db->cache[db->ncache];
	if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &c->stmt, NULL) != SQLITE_OK) {
		sqldb_sqlerr(db, "prepare", cause);
		return NULL;
	}
	c->sql = sql;
	db->ncache++;
	return c->stmt;
}

void
sqldb_release(sqlite3_stmt *stmt)
{
	if (stmt != NULL) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
	}
}

int
sqldb_bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(stmt, idx);
	return sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT);
}

char *
sqldb_column_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s == NULL ? NULL : xstrdup((const char *)s);
}

void
sqldb_column_copy(sqlite3_stmt *stmt, int col, char *buf, size_t len)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	snprintf(buf, len, "%s", s != NULL ? (const char *)s : "");
}

/* Run SQL text without rows; on failure "what: message". */
static int
sqldb_exec(struct sqldb *db, const char *sql, const char *what, char **cause)
{
	char *msg = NULL;
	int rc;

	if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) == SQLITE_OK)
		return POS_OK;
	rc = cause_set(cause, POS_FAIL, "%s: %s", what,
	    msg != NULL ? msg : sqlite3_errmsg(db->conn));
	sqlite3_free(msg);
	return rc;
}

int
sqldb_done(struct sqldb *db, sqlite3_stmt *stmt, const char *what,
    char **cause)
{
	int rc = POS_OK;

	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = sqldb_sqlerr(db, what, cause);
	sqldb_release(stmt);
	return rc;
}

static const char sqldb_begin_write[] = "BEGIN IMMEDIATE";
static const char sqldb_begin_read[] = "BEGIN";
static const char sqldb_commit_sql[] = "COMMIT";

/* Step a cached statement that returns no rows. */
static int
sqldb_run(struct sqldb *db, const char *sql, const char *what, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(db, sql, cause)) == NULL)
		return POS_FAIL;
	return sqldb_done(db, stmt, what, cause);
}

int
sqldb_begin(struct sqldb *db, bool write, char **cause)
{
	return sqldb_run(db, write ? sqldb_begin_write : sqldb_begin_read,
	    "cannot start a transaction", cause);
}

int
sqldb_commit(struct sqldb *db, char **cause)
{
	int rc = sqldb_run(db, sqldb_commit_sql, "cannot commit", cause);

	if (rc != POS_OK) {
		sqldb_rollback(db);
		if (db->opts.truncate_failed_commit)
			sqlite3_exec(db->conn, "PRAGMA wal_checkpoint(TRUNCATE)",
			    NULL, NULL, NULL);
	}
	return rc;
}

void
sqldb_rollback(struct sqldb *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

/* The schema version (PRAGMA user_version). */
static int
sqldb_version(struct sqldb *db, int *version, char **cause)
{
	sqlite3_stmt *stmt = NULL;
	int rc = POS_OK;

	if (sqlite3_prepare_v2(db->conn, "PRAGMA user_version", -1, &stmt,
	    NULL) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_ROW)
		rc = sqldb_sqlerr(db, "cannot read the schema version", cause);
	else
		*version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return rc;
}

int
sqldb_migrate(struct sqldb *db, const char *const *migrations, size_t count,
    char **cause)
{
	int version = 0, rc;
	const int n = (int)count;
	char *sql;

	if ((rc = sqldb_version(db, &version, cause)) != POS_OK)
		return rc;
	if (version == n)
		return POS_OK;
	if (version > n)
		return cause_set(cause, POS_FAIL, "%s: the store has schema "
		    "version %d, newer than this program (%d): upgrade %s",
		    db->path, version, n, db->opts.program);
	if ((rc = sqldb_begin(db, true, cause)) != POS_OK)
		return rc;
	/* Another process may have migrated while we waited for the lock. */
	if ((rc = sqldb_version(db, &version, cause)) != POS_OK)
		goto fail;
	for (; version < n; version++) {
		if ((rc = sqldb_exec(db, migrations[version],
		    "cannot upgrade the store", cause)) != POS_OK)
			goto fail;
		sql = xasprintf("PRAGMA user_version = %d", version + 1);
		rc = sqldb_exec(db, sql, "cannot upgrade the store", cause);
		free(sql);
		if (rc != POS_OK)
			goto fail;
	}
	return sqldb_commit(db, cause);
fail:
	sqldb_rollback(db);
	return rc;
}

/* mkdir -p for the parent directories of path, mode 0700. */
static int
sqldb_make_parents(const char *path, char **cause)
{
	char *dir = xstrdup(path), *p;
	int rc = POS_OK;

	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			rc = cause_set(cause, POS_FAIL, "cannot create %s: %s",
			    dir, strerror(errno));
			goto out;
		}
		*p = '/';
	}
out:
	free(dir);
	return rc;
}

/* The file at path, made (mode 0600) when create says so. */
static int
sqldb_file(const char *path, bool create, const struct sqldb_opts *o,
    char **cause)
{
	struct stat sb;
	int rc, fd;

	if (stat(path, &sb) == 0)
		return S_ISREG(sb.st_mode) ? POS_OK : cause_set(cause,
		    POS_INPUT, "%s is not a file", path);
	if (errno != ENOENT || !create)
		return cause_set(cause, POS_INPUT, "no %s at %s (%s): %s",
		    o->what, path, strerror(errno), o->missing);
	if (o->make_parents && (rc = sqldb_make_parents(path, cause)) != POS_OK)
		return rc;
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1 && errno != EEXIST)
		return cause_set(cause, POS_FAIL, "cannot create %s: %s", path,
		    strerror(errno));
	if (fd != -1)
		close(fd);
	return POS_OK;
}

/*
 * Once per process, before SQLite starts: no allocation statistics (which
 * nothing here reads), so that SQLite's allocations take no global mutex.
 * A bulk apply of master data makes millions of them.
 */
static void
sqldb_process_init(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int
sqldb_open(const char *path, bool create, const struct sqldb_opts *o,
    struct sqldb **out, char **cause)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct sqldb *db;
	int rc;

	(void)pthread_once(&once, sqldb_process_init);
	*out = NULL;
	if ((rc = sqldb_file(path, create, o, cause)) != POS_OK)
		return rc;
	db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	db->opts = *o;
	db->opts.missing = NULL;
	if (sqlite3_open_v2(path, &db->conn, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = cause_set(cause, POS_FAIL, "cannot open %s: %s", path,
		    db->conn != NULL ? sqlite3_errmsg(db->conn) :
		    "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(db->conn, 1);
	sqlite3_busy_timeout(db->conn, o->busy_timeout);
	rc = sqldb_exec(db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;", "cannot set up the store", cause);
	if (rc != POS_OK) {
		cause_set(cause, POS_FAIL, "%s: not a usable %s: %s", path,
		    o->what, sqlite3_errmsg(db->conn));
		goto fail;
	}
	*out = db;
	return POS_OK;
fail:
	sqldb_close(db);
	return rc;
}

void
sqldb_close(struct sqldb *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].stmt);
	if (db->conn != NULL)
		sqlite3_close(db->conn);
	free(db->path);
	free(db);
}
