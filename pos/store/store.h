/*
 * The window store: one SQLite file (WAL, synchronous=FULL, foreign keys,
 * busy timeout, writes in BEGIN IMMEDIATE), schema versioned with
 * PRAGMA user_version. The store never prints: every function returns a
 * status and, on failure, a message in *cause (caller frees).
 */
#ifndef POS_STORE_H
#define POS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "config.h"

/* Status codes; they are also the `pos` exit codes. */
enum {
	POS_OK = 0,
	POS_FAIL = 1,		/* the store or the system failed */
	POS_INPUT = 2,		/* bad input, usage, or a rule conflict */
	POS_DENIED = 3		/* authority or day state */
};


struct ledger_entry;

#define STORE_CACHE_SIZE 64

struct store_cached {
	const char	*sql;		/* static storage: the key is the pointer */
	sqlite3_stmt	*stmt;
};

struct store {
	sqlite3			*db;
	struct store_cached	 cache[STORE_CACHE_SIZE];
	size_t			 ncache;
	char			*path;
	char			*branch;	/* NULL until pos init */
	int64_t			 terminal;
	const struct config	*cfg;		/* not owned */
	/*
	 * When set, journal_append calls after_append in the same
	 * transaction; the print queue (printq_autoprint) queues the entry's
	 * slip there, so a committed sale always has its receipt waiting even
	 * if the program dies before printing it.
	 */
	bool			 autoprint;
	int			(*after_append)(struct store *,
				    const struct ledger_entry *, char **cause);
	/* The names in memory for short searches (pos/domain/catalog.c). */
	void			*names;
	void			(*names_free)(void *);
};

/*
 * Open the store at path. create: make the file (mode 0600, parent
 * directories 0700) if it is missing. Applies pending migrations.
 * Returns POS_OK and *out (free with store_close), or a status and *cause.
 */
int	 store_open(const char *path, bool create, const struct config *cfg,
	    struct store **out, char **cause);
void	 store_close(struct store *);

/* BEGIN IMMEDIATE (write) or BEGIN (read snapshot); COMMIT; ROLLBACK. */
int	 store_begin(struct store *, bool write, char **cause);
int	 store_commit(struct store *, char **cause);
void	 store_rollback(struct store *);

/* Set the branch and terminal once. POS_INPUT if already set. */
int	 store_init_identity(struct store *, const char *branch,
	    int64_t terminal, const char *name, char **cause);
/* POS_INPUT with a message when pos init has not been run. */
int	 store_need_identity(struct store *, char **cause);

/*
 * A prepared statement kept for the life of the store, for the paths that
 * run on every sale. sql must have static storage (it is the cache key).
 * Give it back with store_release (reset and unbind), never finalize it.
 */
sqlite3_stmt *store_cached(struct store *, const char *sql, char **cause);
void	 store_release(sqlite3_stmt *);

/* Prepare a statement; on failure set *cause and return NULL. */
sqlite3_stmt *store_prepare(struct store *, const char *sql, char **cause);

/* Fill *cause from the connection's last error: "what: sqlite message". */
int	 store_sqlerr(struct store *, const char *what, char **cause);

/* Set *cause to a formatted message and return rc. */
int	 store_fail(char **cause, int rc, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Bind text that may be NULL. */
int	 store_bind_text(sqlite3_stmt *, int idx, const char *);

/* Column text as a new string (NULL for SQL NULL). Caller frees. */
char	*store_column_dup(sqlite3_stmt *, int col);

/*
 * The clock: UTC now as "YYYY-MM-DDTHH:MM:SSZ" and the business date in the
 * configured zone as "YYYY-MM-DD". POS_NOW (same UTC form) fixes the clock,
 * for tests and for replaying a day.
 */
int	 store_now(const struct config *, char utc[21], char date[11], char **cause);

/* Make local time the configured zone's ([window] timezone). 0 or -1. */
int	 store_zone(const struct config *);

#endif
