/*
 * The window store: one SQLite file (WAL, synchronous=FULL, foreign keys,
 * busy timeout, writes in BEGIN IMMEDIATE), schema versioned with
 * PRAGMA user_version. The store never prints: every function returns a
 * status and, on failure, a message in *cause (caller frees). Statements,
 * transactions and SQLite errors go through config/sqldb.h on st->db.
 */
#ifndef POS_STORE_H
#define POS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cause.h"
#include "config.h"
#include "sqldb.h"

struct ledger_entry;

struct store {
	struct sqldb		*db;		/* the file; db->path */
	char			*branch;	/* NULL until pos init */
	int64_t			 terminal;
	/*
	 * The store's money: ISO code and minor-unit digits, fixed by pos
	 * init. NULL until then. store_open refuses a config that disagrees,
	 * so cfg->currency and these are the same wherever both are set.
	 */
	char			*currency;
	int			 decimals;
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
 * directories 0700) if it is missing. Applies pending migrations. A set-up
 * store whose currency is not yet recorded takes cfg's; one whose recorded
 * currency or decimals differ from cfg's is refused (POS_INPUT).
 * Returns POS_OK and *out (free with store_close), or a status and *cause.
 */
int	 store_open(const char *path, bool create, const struct config *cfg,
	    struct store **out, char **cause);
void	 store_close(struct store *);
/* The schema version (PRAGMA user_version) this program's stores have. */
int	 store_schema_version(void);

/*
 * Set the branch and terminal once, and the currency code and decimals
 * from the configuration. POS_INPUT if already set.
 */
int	 store_init_identity(struct store *, const char *branch,
	    int64_t terminal, const char *name, char **cause);
/* POS_INPUT with a message when pos init has not been run. */
int	 store_need_identity(struct store *, char **cause);

/*
 * The clock: UTC now as "YYYY-MM-DDTHH:MM:SSZ" and the business date in the
 * configured zone as "YYYY-MM-DD". POS_NOW (same UTC form) fixes the clock,
 * for tests and for replaying a day.
 */
int	 store_now(const struct config *, char utc[21], char date[11], char **cause);

/* How store_local_time shows a time. */
enum store_time_form {
	STORE_TIME_DATE_HM,	/* "2026-03-01 12:15" */
	STORE_TIME_SLASH_HM,	/* "2026/03/01 12:15": '/' keeps its order in RTL */
	STORE_TIME_HM		/* "12:15" */
};

/*
 * A stored "YYYY-MM-DDTHH:MM:SSZ" as local time in the configured zone (no
 * zone name), in the form asked; the text as given when it is not a time.
 */
void	 store_local_time(const struct config *, const char *utc,
	    enum store_time_form, char *buf, size_t len);

#endif
