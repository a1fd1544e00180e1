/*
 * The one SQLite helper layer, under the window store (pos/store.c) and the
 * central store (sync/cstore.c): a file opened with WAL, synchronous=FULL
 * and foreign keys; a cache of prepared statements; transactions (writes in
 * BEGIN IMMEDIATE); the schema version in PRAGMA user_version and the
 * migrations that move it. What differs between the two stores is a row
 * of struct sqldb_opts. Nothing here prints: a function returns a status
 * (cause.h) and, on failure, a message in *cause (caller frees; cause may
 * be NULL).
 */
#ifndef POS_SQLDB_H
#define POS_SQLDB_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "cause.h"

#define SQLDB_CACHE_SIZE 64

/* How one kind of store is opened and how its errors read. */
struct sqldb_opts {
	const char	*what;		/* "store": "not a usable store" */
	/* After "no <what> at PATH (why): "; read only by sqldb_open. */
	const char	*missing;
	const char	*program;	/* "upgrade <program>" when too new */
	bool		 make_parents;	/* create: mkdir -p the parents, 0700 */
	int		 busy_timeout;	/* milliseconds */
	int		 busy_rc;	/* status when the lock was not had */
	const char	*busy_note;	/* after "the store is busy"; "" if none */
	/*
	 * After a refused COMMIT, truncate the WAL (best effort) so frames
	 * that reached it before a failed fsync cannot come back in a crash.
	 */
	bool		 truncate_failed_commit;
};

struct sqldb_cached {
	const char	*sql;		/* static storage: the key is the pointer */
	sqlite3_stmt	*stmt;
};

/* One connection: use it from one thread at a time. */
struct sqldb {
	sqlite3			*conn;
	char			*path;
	struct sqldb_opts	 opts;	/* missing is not kept */
	struct sqldb_cached	 cache[SQLDB_CACHE_SIZE];
	size_t			 ncache;
};

/*
 * Open the SQLite file at path. create: make it (mode 0600) if it is
 * missing, else POS_INPUT. Sets WAL, synchronous=FULL, foreign keys and the
 * busy timeout. Returns POS_OK and *out (free with sqldb_close), or a
 * status and *cause.
 */
int	 sqldb_open(const char *path, bool create, const struct sqldb_opts *,
	    struct sqldb **out, char **cause);
void	 sqldb_close(struct sqldb *);

/*
 * Bring the schema to version n by running sql[version] .. sql[n - 1] in
 * one write transaction. A file newer than n is refused.
 */
int	 sqldb_migrate(struct sqldb *, const char *const *sql, size_t n,
	    char **cause);

/* BEGIN IMMEDIATE (write) or BEGIN (read snapshot); COMMIT; ROLLBACK. */
int	 sqldb_begin(struct sqldb *, bool write, char **cause);
int	 sqldb_commit(struct sqldb *, char **cause);
void	 sqldb_rollback(struct sqldb *);

/*
 * A prepared statement kept for the life of the connection, for the paths
 * that run often. sql must have static storage (it is the cache key).
 * Give it back with sqldb_release (reset and unbind), never finalize it.
 */
sqlite3_stmt *sqldb_cached(struct sqldb *, const char *sql, char **cause);
void	 sqldb_release(sqlite3_stmt *);

/* Prepare a statement (caller finalizes); on failure set *cause, NULL. */
sqlite3_stmt *sqldb_prepare(struct sqldb *, const char *sql, char **cause);

/* Step a statement that returns no row, then release it. */
int	 sqldb_done(struct sqldb *, sqlite3_stmt *, const char *what,
	    char **cause);

/*
 * Fill *cause from the connection's last error, "what: sqlite message",
 * and return POS_FAIL, or opts.busy_rc when the lock was not had.
 */
int	 sqldb_sqlerr(struct sqldb *, const char *what, char **cause);

/* Bind text that may be NULL. */
int	 sqldb_bind_text(sqlite3_stmt *, int idx, const char *);

/* Column text as a new string (NULL for SQL NULL). Caller frees. */
char	*sqldb_column_dup(sqlite3_stmt *, int col);

/* Column text into a fixed buffer (truncating; "" for NULL). */
void	 sqldb_column_copy(sqlite3_stmt *, int col, char *buf, size_t len);

#endif
