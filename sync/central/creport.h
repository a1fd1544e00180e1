/*
 * The office's reports over the central store, as data: producers'
 * earnings across windows, every chain's days and which window has not
 * synced, and the re-check of every stored chain. The command line prints
 * them as text or JSON and the HTTP side can serve the same structures;
 * nothing here prints or formats money.
 *
 * Each function reads in one read transaction of its own on the handle it
 * is given and ends it before returning. On failure it returns a status
 * (cstore.h) with a message in *cause (caller frees; cause may be NULL) and
 * leaves nothing to free.
 */
#ifndef POS_CREPORT_H
#define POS_CREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cstore.h"
#include "ledger.h"

/* A business date "YYYY-MM-DD" that exists in the calendar. */
bool	 creport_date_valid(const char *s);

/* Sums over the producers of one currency. */
struct creport_total {
	const char	*currency;	/* points into the producers' rows */
	int64_t		 decimals;
	int64_t		 sold;
	int64_t		 refunded;
	int64_t		 net;
	int64_t		 paid_out;
};

struct creport_producers {
	char			 from[11];	/* the period as queried */
	char			 to[11];
	struct cstore_producer	*producers;	/* by code and currency */
	size_t			 n;
	struct creport_total	*totals;	/* one per currency, in order of
						   first appearance */
	size_t			 ntotals;
};

/*
 * Every producer's earnings over business dates [from, to] (NULL: from the
 * first day, or to the last) with the totals per currency; from and to are
 * valid dates, from not after to. Free with creport_producers_free.
 */
int	 creport_producers(struct cstore *, const char *from, const char *to,
	    struct creport_producers *out, char **cause);
/* The same for producer code alone (cstore_report_producer). */
int	 creport_producer(struct cstore *, const char *code, const char *from,
	    const char *to, struct creport_producers *out, char **cause);
void	 creport_producers_free(struct creport_producers *);

/* Why a branch or chain is listed as missing (creport_missing.why). */
enum {
	CREPORT_NEVER_SYNCED = 1 << 0,	/* a valid token, no chain at all */
	CREPORT_BEHIND = 1 << 1,	/* nothing for the date or later */
	CREPORT_NOT_CLOSED = 1 << 2	/* its latest day is not closed */
};

/* One chain with its days. */
struct creport_chain {
	const struct cstore_chain *chain;	/* in creport_days.chains_raw */
	struct cstore_day	*days;		/* oldest first */
	size_t			 ndays;
	const struct cstore_day	*latest;	/* last of days; NULL if none */
	bool			 date_closed;	/* the report's date is closed */
	bool			 revoked;	/* its branch's token is revoked */
};

/* A branch (terminal 0: never synced) or chain the office must chase. */
struct creport_missing {
	const char	*branch;	/* points into the report */
	int64_t		 terminal;	/* 0 when the branch never synced */
	unsigned	 why;		/* CREPORT_* bits */
	char		*reasons[3];	/* the same, as sentences, in this order:
					   never synced, behind, not closed */
	size_t		 nreasons;
	char		 latest_day[11];	/* behind, not closed: the
						   chain's last day */
	const char	*last_received;	/* behind: when it was received */
};

struct creport_days {
	char			 date[11];	/* "" when no chain has a day */
	struct cstore_branch	*branches;
	size_t			 nbranches;
	struct cstore_chain	*chains_raw;
	struct creport_chain	*chains;	/* as chains_raw, by branch and
						   terminal */
	size_t			 nchains;
	struct creport_missing	*missing;	/* branches first, then chains */
	size_t			 nmissing;
};

/*
 * Every chain with its days, and what is missing for date (NULL: the latest
 * business date any chain has reached, not counting days more than one day
 * after the server's date): a branch with a valid token that
 * never synced; a chain with nothing for the date or later (it has not
 * synced since its last day); a chain whose latest day is not closed.
 * Branches whose token is revoked are never missing. Free with
 * creport_days_free.
 */
int	 creport_days(struct cstore *, const char *date,
	    struct creport_days *out, char **cause);
/*
 * The same with the chains' days of [from, to] only (from NULL: none)
 * besides each chain's last ones, which is all the rest needs.
 */
int	 creport_days_of(struct cstore *, const char *date, const char *from,
	    const char *to, struct creport_days *out, char **cause);
void	 creport_days_free(struct creport_days *);

/* One chain re-checked from its stored rows. */
struct creport_check {
	const char	*branch;	/* points into creport_verify.chains_raw */
	int64_t		 terminal;
	int64_t		 entries;	/* read up to the first bad one */
	char		 head[LEDGER_HASH_HEX];	/* hash of the last good one */
	int64_t		 bad_seq;	/* 0 when the chain is sound */
	char		*error;		/* NULL when the chain is sound */
};

struct creport_verify {
	bool			 ok;		/* every chain is sound, and
						   the summaries are right */
	bool			 sums_ok;	/* the summary tables equal
						   what the rows give */
	int64_t			 sums_bad[CSTORE_SUMS];	/* rows that differ */
	struct cstore_chain	*chains_raw;
	struct creport_check	*checks;	/* one per chain, in its order */
	size_t			 n;
};

/*
 * Every chain re-checked from the stored rows: gapless seq from 1, each
 * prev_hash the hash before it, each entry valid with the right hash, and
 * the stored head matching the last entry; and the summary tables the
 * reports read equal to what the stored rows give. A broken chain or a
 * wrong summary is a result (ok false), not a failure. Free with creport_verify_free.
 */
int	 creport_verify(struct cstore *, struct creport_verify *out,
	    char **cause);
void	 creport_verify_free(struct creport_verify *);

#endif
