/*
 * The journal: append-only, hash-chained entries (see sync/ledger/ledger.h for the
 * entry and its canonical bytes). Entries are appended inside the caller's
 * write transaction so a sale and its lines and payments commit together.
 */
#ifndef POS_JOURNAL_H
#define POS_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ledger.h"
#include "store.h"

/* Set the fields every entry has: kind, user, the time now, business date. */
int	 journal_stamp(struct store *, struct ledger_entry *e, const char *kind,
	    const char *user, const char *date, char **cause);

/*
 * Append e inside an open write transaction. The caller fills kind, user,
 * created_at, business_date, the amounts, lines and payments (and ref_* for
 * corrections); this fills uuid, seq, receipt, branch, terminal, currency,
 * decimals, prev_hash and hash. ref_seq is the corrected entry or 0.
 */
int	 journal_append(struct store *, struct ledger_entry *e, int64_t ref_seq,
	    char **cause);

/*
 * Append e as it was sealed elsewhere (a journal pulled back from the
 * central server), inside an open write transaction: its uuid, seq,
 * receipt and hashes are kept. It must be of the store's branch and
 * terminal, follow the head (seq and prev_hash) and hash right; POS_INPUT
 * otherwise, nothing written. No print job is queued for it.
 */
int	 journal_adopt(struct store *, const struct ledger_entry *e,
	    char **cause);

/* Load entry seq with its lines and payments into *e (free with ledger_entry_free). */
int	 journal_load(struct store *, int64_t seq, struct ledger_entry *e,
	    char **cause);

/*
 * Call fn on entries from..to (to < 0: to the last) in seq order, each with
 * its lines and payments, read in one pass over the three tables instead
 * of a lookup per entry (a day's push and verify read thousands). The
 * entry is freed when fn returns: fn keeps nothing of it. fn returns
 * POS_OK to go on, JOURNAL_STOP to stop (journal_each then returns POS_OK),
 * anything else to stop with that code. In a read transaction when the
 * caller wants one snapshot.
 */
#define JOURNAL_STOP	-1
int	 journal_each(struct store *, int64_t from, int64_t to,
	    int (*fn)(void *arg, const struct ledger_entry *), void *arg,
	    char **cause);

/* The seq of a receipt number; POS_INPUT if there is none. */
int	 journal_find(struct store *, const char *receipt, int64_t *seq,
	    char **cause);

/*
 * The day state: the business date of the last day_open or day_close entry
 * (date[0] == '\0' when no day was ever opened) and whether it is open.
 */
int	 journal_day(struct store *, char date[11], bool *open, char **cause);

/*
 * The last session (shift) of the journal: its business date ("" when no
 * day was ever opened), its number within that date (from 1), whether it
 * is open, and the seqs of its day_open and day_close (0 while open).
 */
struct journal_session {
	char	 date[11];
	int64_t	 session;
	bool	 open;
	int64_t	 open_seq;
	int64_t	 close_seq;
};
int	 journal_session(struct store *, struct journal_session *out,
	    char **cause);

/*
 * Session n of date from the day_sessions view; POS_INPUT if the date has
 * no such session. n 0 is the last session of the date.
 */
int	 journal_session_of(struct store *, const char *date, int64_t n,
	    struct journal_session *out, char **cause);

/* The newest sale entry's seq, 0 if nothing was ever sold. */
int	 journal_last_sale(struct store *, int64_t *seq, char **cause);

/* POS_DENIED unless a day is open; fills date with the open day. */
int	 journal_need_open_day(struct store *, char date[11], char **cause);

struct journal_check {
	bool	 ok;
	int64_t	 entries;
	char	 head[LEDGER_HASH_HEX];	/* hash of the last entry, or genesis */
	int64_t	 bad_seq;		/* first bad entry, 0 if ok */
	char	*error;			/* what is wrong with it; caller frees */
};

/* Recompute every hash from the stored rows and check the chain. */
int	 journal_verify(struct store *, struct journal_check *out, char **cause);

#endif
