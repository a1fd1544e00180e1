/*
 * The central store: every branch's journal as the central server received
 * it, the branches and their token digests, and the reports over them.
 *
 * This header is the whole interface, with two backends behind it
 * (cstore.c dispatches through a table of operations, cstore_impl.h):
 * cstore_sqlite.c on one SQLite file (WAL, synchronous=FULL, foreign keys,
 * busy timeout, writes in BEGIN IMMEDIATE, schema versioned with PRAGMA
 * user_version), the default; cstore_pg.c on a PostgreSQL database named
 * by a libpq URI (postgresql:// or postgres://), schema versioned in its
 * cstore_schema table. Nothing outside those files sees SQL.
 *
 * A handle is one connection: use it from one thread at a time. The store
 * never prints: every function returns a status and, on failure, a message
 * in *cause (caller frees; cause may be NULL).
 */
#ifndef POS_CSTORE_H
#define POS_CSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cause.h"
#include "ledger.h"
#include "token.h"

/*
 * Status codes: POS_OK, POS_FAIL, POS_INPUT and POS_DENIED (cause.h), which
 * are also pos-central's exit codes, and these two.
 */
enum {
	CSTORE_BUSY = 4,	/* the lock was not had within the timeout */
	CSTORE_EXISTS = 5	/* cstore_insert: the UUID is already stored */
};

struct cstore;

/* A PostgreSQL URI (postgresql://... or postgres://...), not a file path. */
bool	 cstore_is_uri(const char *where);

/* where as it may be shown: a URI's password, if any, as "***". */
char	*cstore_shown(const char *where);

/*
 * Open the store at where: a SQLite file path or a PostgreSQL URI (the
 * password comes from libpq's PGPASSFILE, ~/.pgpass or PGPASSWORD, never
 * the URI on a command line). create: make the file (mode 0600) if
 * missing, or the schema in an empty database. Applies pending
 * migrations; refuses a schema newer than this program.
 */
int	 cstore_open(const char *where, bool create, struct cstore **out,
	    char **cause);
void	 cstore_close(struct cstore *);

/* "sqlite" or "postgresql". */
const char *cstore_kind(const struct cstore *);

/*
 * True when the backend takes one writer at a time (SQLite): callers then
 * queue their write transactions in the process rather than have them
 * wait in the store. PostgreSQL locks per chain (cstore_head).
 */
bool	 cstore_serial(const struct cstore *);

/*
 * Is the store reachable? Reconnects a lost connection first. CSTORE_BUSY
 * when it is not (a server then answers 503).
 */
int	 cstore_ping(struct cstore *, char **cause);

/* BEGIN IMMEDIATE (write) or BEGIN (read snapshot); COMMIT; ROLLBACK. */
int	 cstore_begin(struct cstore *, bool write, char **cause);
int	 cstore_commit(struct cstore *, char **cause);
void	 cstore_rollback(struct cstore *);

struct cstore_branch {
	char	*code;
	char	*name;		/* NULL if none */
	char	*created_at;
	char	*revoked_at;	/* NULL while the token is valid */
	uint8_t	 token_hash[TOKEN_DIGEST];
};

/* POS_INPUT when the code exists (revoked or not). */
int	 cstore_branch_add(struct cstore *, const char *code, const char *name,
	    const uint8_t hash[TOKEN_DIGEST], const char *now, char **cause);
/* POS_INPUT when unknown or already revoked. */
int	 cstore_branch_revoke(struct cstore *, const char *code,
	    const char *now, char **cause);
/* Every branch, by code. Free with cstore_branches_free. */
int	 cstore_branches(struct cstore *, struct cstore_branch **out,
	    size_t *n, char **cause);
void	 cstore_branches_free(struct cstore_branch *, size_t n);

/*
 * The branch whose token has this digest, found through an index on the
 * stored digests (the same cost with one branch or thousands) and
 * compared in constant time. POS_DENIED when none has it; *code (caller
 * frees) and *revoked are set when one does.
 */
int	 cstore_authenticate(struct cstore *, const uint8_t digest[TOKEN_DIGEST],
	    char **code, bool *revoked, char **cause);

/* A (branch, terminal) chain as stored. */
struct cstore_chain {
	char	*branch;
	int64_t	 terminal;
	int64_t	 last_seq;
	char	 head[LEDGER_HASH_HEX];
	char	*first_received;
	char	*last_received;
};

/*
 * The head of one chain: last_seq 0 and the genesis hash when empty. In
 * a write transaction it also locks the chain until commit or rollback,
 * so that several servers on one database never fork or gap it.
 */
int	 cstore_head(struct cstore *, const char *branch, int64_t terminal,
	    int64_t *last_seq, char head[LEDGER_HASH_HEX], char **cause);
/* Every chain (branch NULL) or one branch's, by branch and terminal. */
int	 cstore_chains(struct cstore *, const char *branch,
	    struct cstore_chain **out, size_t *n, char **cause);
void	 cstore_chains_free(struct cstore_chain *, size_t n);

/* Where an entry UUID is stored, if it is. */
struct cstore_stored {
	bool	 found;
	char	 branch[LEDGER_MAX_CODE + 1];
	int64_t	 terminal;
	int64_t	 seq;
	char	 hash[LEDGER_HASH_HEX];
};
int	 cstore_find_uuid(struct cstore *, const char *uuid,
	    struct cstore_stored *out, char **cause);

/*
 * Inside a write transaction: store e with its lines and payments. The
 * caller has checked that it chains on the head (seq = last_seq + 1,
 * prev_hash = head) and that its hash is right, and has made its chain's
 * row (cstore_put_head). CSTORE_EXISTS, with nothing stored, when an entry
 * with its UUID is stored already: the store checks that as it inserts.
 */
int	 cstore_insert(struct cstore *, const struct ledger_entry *e,
	    const char *received_at, char **cause);

/*
 * Inside a write transaction: store the n entries at e (each chaining on
 * the one before, none a void), all or none: CSTORE_EXISTS, with nothing
 * stored, when a UUID among them is stored already. PostgreSQL stores them
 * with their lines and payments in one multi-row statement.
 */
int	 cstore_insert_many(struct cstore *, const struct ledger_entry *e,
	    size_t n, const char *received_at, char **cause);

/* Inside a write transaction: the chain's row, made or moved to this head. */
int	 cstore_put_head(struct cstore *, const char *branch, int64_t terminal,
	    int64_t last_seq, const char head[LEDGER_HASH_HEX],
	    const char *received_at, char **cause);

/*
 * Inside a write transaction: a savepoint, and the way out of it (undo:
 * roll back to it first; either way it is released).
 */
int	 cstore_savepoint(struct cstore *, char **cause);
int	 cstore_savepoint_end(struct cstore *, bool undo, char **cause);

/*
 * Load every entry of one chain in seq order, rebuilt from the stored rows,
 * and call fn on each (fn may keep nothing; the entry is freed after).
 * fn returns 0 to go on, anything else to stop (returned as is).
 */
int	 cstore_each_entry(struct cstore *, const char *branch,
	    int64_t terminal, int (*fn)(void *arg, const struct ledger_entry *),
	    void *arg, char **cause);

/* The same, with the time each entry was received. */
int	 cstore_each_received(struct cstore *, const char *branch,
	    int64_t terminal, int (*fn)(void *arg, const struct ledger_entry *,
	    const char *received_at), void *arg, char **cause);

/*
 * A page of one chain for GET /v1/journal: the entries after seq after, in
 * seq order, at most limit of them (limit < 0: all), rebuilt from the
 * stored rows as cstore_each_entry does.
 */
int	 cstore_entries_after(struct cstore *, const char *branch,
	    int64_t terminal, int64_t after, int64_t limit,
	    int (*fn)(void *arg, const struct ledger_entry *), void *arg,
	    char **cause);

/*
 * Idempotency keys: the answer given to (branch, key), with the digest of
 * the body it answered. *response is NULL when the key is unknown.
 */
int	 cstore_idem_get(struct cstore *, const char *branch, const char *key,
	    uint8_t body_hash[TOKEN_DIGEST], char **response, char **cause);
/* Inside a write transaction; forgets keys older than keep_days too. */
int	 cstore_idem_put(struct cstore *, const char *branch, const char *key,
	    const uint8_t body_hash[TOKEN_DIGEST], const char *response,
	    const char *now, int keep_days, char **cause);

/* A producer's share at one window (branch and terminal). */
struct cstore_pwindow {
	char	*branch;
	int64_t	 terminal;
	int64_t	 net;		/* sold - refunded in the period */
	int64_t	 paid_out;	/* payouts in the period */
	int64_t	 owed;		/* all-time net - all-time payouts here */
	bool	 in_period;	/* sold or paid out here in the period */
};

/* Earnings of one producer in one currency (sync/PROTOCOL.md, reports). */
struct cstore_producer {
	char	*code;
	char	*name;		/* the registered name, else as on the most
				   recent entry naming them */
	char	*currency;
	int64_t	 decimals;
	int64_t	 sold;		/* net of sale lines in the period, not voided */
	int64_t	 refunded;	/* net of refund lines in the period */
	int64_t	 net;		/* sold - refunded */
	int64_t	 paid_out;	/* payouts in the period */
	int64_t	 balance;	/* net - paid_out */
	int64_t	 owed;		/* all-time net - all-time payouts */
	int64_t	 branches;	/* branches that sold or paid out in the period */
	/*
	 * Every window that ever sold for or paid the producer, by branch and
	 * terminal: their nets, payouts and owed add up to the producer's.
	 */
	struct cstore_pwindow *windows;
	size_t	 nwindows;
};

/*
 * Every producer over business dates [from, to], by code and currency,
 * with the merges in force applied: a merged code's rows count as its
 * INTO's.
 */
int	 cstore_report_producers(struct cstore *, const char *from,
	    const char *to, struct cstore_producer **out, size_t *n,
	    char **cause);
void	 cstore_producers_free(struct cstore_producer *, size_t n);
/*
 * The same rows for one producer: code's own (unless code is merged into
 * another) and those of every code merged into it, by currency (the
 * producer's page; served by the summaries' producer_code indexes).
 */
int	 cstore_report_producer(struct cstore *, const char *code,
	    const char *from, const char *to, struct cstore_producer **out,
	    size_t *n, char **cause);

/* One producer's figures on one business date in one currency. */
struct cstore_pday {
	char	 date[11];
	char	*currency;
	int64_t	 decimals;
	int64_t	 sold;		/* as cstore_producer's, that date */
	int64_t	 refunded;
	int64_t	 paid_out;
};

/*
 * The dates of [from, to] on which producer code (as in
 * cstore_report_producer) sold, refunded or was paid, every window
 * summed, by date then currency. Free with cstore_pdays_free.
 */
int	 cstore_producer_days(struct cstore *, const char *code,
	    const char *from, const char *to, struct cstore_pday **out,
	    size_t *n, char **cause);
void	 cstore_pdays_free(struct cstore_pday *, size_t n);

/*
 * Master data: the centre's register of producers and its catalogue, and
 * the producer merges. Every change is made under a new master-data
 * version (cstore_master_bump, in the same write transaction) stored on
 * each row it touches, so that what changed since version V can be read.
 */
struct cstore_mproducer {
	char	*code;
	char	*name;
	char	*phone;		/* NULL if none */
	bool	 active;
	int64_t	 version;	/* of its last change */
	char	*updated_at;
};

struct cstore_mproduct {
	char	*code;
	char	*name;
	int64_t	 price;		/* minor units */
	char	*unit;		/* "piece" or "kg" */
	char	*barcode;	/* NULL if none */
	char	*producer;	/* a registered producer's code */
	bool	 active;
	int64_t	 version;
	char	*updated_at;
};

/* FROM counts as INTO in every report while undone_at is NULL. */
struct cstore_merge {
	char	*from;
	char	*into;
	char	*merged_at;
	char	*undone_at;	/* NULL while in force */
	int64_t	 version;
};

/* Inside a write transaction: the next master-data version, in *version. */
int	 cstore_master_bump(struct cstore *, int64_t *version, char **cause);
/*
 * Inside a write transaction: the version counter moved up to at least
 * version (a copy of another store's master data keeps its versions).
 */
int	 cstore_master_raise(struct cstore *, int64_t version, char **cause);
/* The master-data version last given (0: none yet). */
int	 cstore_master_version(struct cstore *, int64_t *version,
	    char **cause);

/* Inside a write transaction: the producer's row, made or replaced. */
int	 cstore_mproducer_put(struct cstore *, const struct cstore_mproducer *,
	    char **cause);
/*
 * Every registered producer by code (code NULL) or the one with this code
 * (*n 0 when none). Free with cstore_mproducers_free.
 */
int	 cstore_mproducers(struct cstore *, const char *code,
	    struct cstore_mproducer **out, size_t *n, char **cause);
void	 cstore_mproducers_free(struct cstore_mproducer *, size_t n);

/*
 * A page of what changed since version since, for GET /v1/master: the
 * rows whose version is above since and that come after (after_version,
 * after_code) in (version, code) order (codes compared byte by byte),
 * at most limit of them, in that order. Start with after_version =
 * since and after_code "". Free with cstore_mproducers_free.
 */
int	 cstore_mproducers_changed(struct cstore *, int64_t since,
	    int64_t after_version, const char *after_code, int64_t limit,
	    struct cstore_mproducer **out, size_t *n, char **cause);

/*
 * Inside a write transaction: the product's row, made or replaced.
 * POS_INPUT when its barcode is another product's.
 */
int	 cstore_mproduct_put(struct cstore *, const struct cstore_mproduct *,
	    char **cause);
/* As cstore_mproducers. Free with cstore_mproducts_free. */
int	 cstore_mproducts(struct cstore *, const char *code,
	    struct cstore_mproduct **out, size_t *n, char **cause);
void	 cstore_mproducts_free(struct cstore_mproduct *, size_t n);
/* As cstore_mproducers_changed. Free with cstore_mproducts_free. */
int	 cstore_mproducts_changed(struct cstore *, int64_t since,
	    int64_t after_version, const char *after_code, int64_t limit,
	    struct cstore_mproduct **out, size_t *n, char **cause);

/* One product of a producer over a period (the producer's page). */
struct cstore_pproduct {
	char	*code;
	char	*name;		/* as on its most recent line */
	char	*currency;
	int64_t	 decimals;
	int64_t	 qty_sold;	/* thousandths for kg, as on the lines */
	int64_t	 sold;		/* net of sale lines, not voided */
	int64_t	 refunded;	/* net of refund lines */
};

/*
 * The products sold or refunded for producer code over business dates
 * [from, to], every window, with the merges in force applied (a code
 * merged into code counts as it), by code and currency. Free with
 * cstore_pproducts_free.
 */
int	 cstore_producer_products(struct cstore *, const char *code,
	    const char *from, const char *to, struct cstore_pproduct **out,
	    size_t *n, char **cause);
void	 cstore_pproducts_free(struct cstore_pproduct *, size_t n);

/*
 * Producers' access links (plink.h): the rotation counter of code's link,
 * the hash of its token (hash may be NULL) and whether one was issued
 * (*issued false: never, *rotation 0).
 */
int	 cstore_plink_get(struct cstore *, const char *code, int64_t *rotation,
	    uint8_t hash[32], bool *issued, char **cause);
/*
 * Inside a write transaction: code's link is now the one at rotation,
 * whose token has SHA-256 hash (the token itself is never stored).
 */
int	 cstore_plink_put(struct cstore *, const char *code, int64_t rotation,
	    const uint8_t hash[32], char **cause);
/* The producer whose current token has digest, into *code (caller
 * frees); POS_DENIED when none. */
int	 cstore_plink_find(struct cstore *, const uint8_t digest[32],
	    char **code, char **cause);

/* Inside a write transaction: the merge of m->from, made or replaced. */
int	 cstore_merge_put(struct cstore *, const struct cstore_merge *,
	    char **cause);
/* Every merge, in force or undone, by FROM. Free with cstore_merges_free. */
int	 cstore_merges(struct cstore *, struct cstore_merge **out, size_t *n,
	    char **cause);
void	 cstore_merges_free(struct cstore_merge *, size_t n);

/*
 * What windows defined themselves and sent (POST /v1/master/local): each
 * window's own producers and products as it last sent them, per branch
 * and terminal, marked with the round (the window's digest of the whole
 * set) they came in. They are the window's word, never the register's:
 * nothing here changes a registered row.
 */
struct cstore_lproducer {
	char	*branch;
	int64_t	 terminal;
	char	*code;
	char	*name;
	char	*phone;		/* NULL if none */
	char	*sent_at;	/* UTC, when last sent */
};

struct cstore_lproduct {
	char	*branch;
	int64_t	 terminal;
	char	*code;
	char	*name;
	int64_t	 price;		/* minor units of currency */
	char	*currency;
	int64_t	 decimals;
	char	*unit;		/* "piece" or "kg" */
	char	*barcode;	/* NULL if none */
	char	*producer;	/* the window's producer code */
	bool	 active;
	char	*sent_at;
};

/* Inside a write transaction: the window's row, made or replaced. */
int	 cstore_lproducer_put(struct cstore *,
	    const struct cstore_lproducer *, const char *round, char **cause);
int	 cstore_lproduct_put(struct cstore *, const struct cstore_lproduct *,
	    const char *round, char **cause);
/*
 * Inside a write transaction: forget the rows of (branch, terminal) that
 * did not come in round (the window no longer has them as its own).
 */
int	 cstore_local_prune(struct cstore *, const char *branch,
	    int64_t terminal, const char *round, char **cause);
/* Every window's rows by code, branch and terminal. */
int	 cstore_lproducers(struct cstore *, struct cstore_lproducer **out,
	    size_t *n, char **cause);
void	 cstore_lproducers_free(struct cstore_lproducer *, size_t n);
int	 cstore_lproducts(struct cstore *, struct cstore_lproduct **out,
	    size_t *n, char **cause);
void	 cstore_lproducts_free(struct cstore_lproduct *, size_t n);

/*
 * A code as a window's journal names it: for each branch, terminal and
 * code, the name (and, for a product, the unit price, currency and
 * decimals) on the latest entry naming it (highest seq, then line).
 * Producers are named by sale and refund lines and by payouts.
 */
struct cstore_seen {
	char	*branch;
	int64_t	 terminal;
	char	*code;
	char	*name;
	int64_t	 price;		/* products; 0 for producers */
	char	*currency;
	int64_t	 decimals;
};

/*
 * Inside a write transaction: bring the names up to every chain's head.
 * They are kept in the store, and only entries received since the last
 * refresh are read (a whole journal once).
 */
int	 cstore_seen_refresh(struct cstore *, char **cause);
/* As of the last refresh. */
int	 cstore_seen_producers(struct cstore *, struct cstore_seen **out,
	    size_t *n, char **cause);
int	 cstore_seen_products(struct cstore *, struct cstore_seen **out,
	    size_t *n, char **cause);
void	 cstore_seen_free(struct cstore_seen *, size_t n);

/* One business day of one chain. */
struct cstore_day {
	char	 date[11];
	int64_t	 open_seq;	/* 0 if no day_open was received for it */
	int64_t	 close_seq;	/* 0 while its last session is open */
	int64_t	 entries;
	int64_t	 sessions;	/* day_open entries received for it */
};

/*
 * Do the summary tables the reports read equal what the stored entries,
 * lines and payments give? bad[] counts the rows that differ in each (0
 * everywhere: they do; -1: a table this backend does not keep).
 */
enum { CSTORE_SUM_DAYS, CSTORE_SUM_PDAYS, CSTORE_SUM_PMONTHS,
    CSTORE_SUM_PALL, CSTORE_SUM_PPRODUCTS, CSTORE_SUMS };
int	 cstore_summaries_check(struct cstore *, int64_t bad[CSTORE_SUMS],
	    char **cause);
/* The table's name, for messages. */
const char *cstore_summary_name(int which);

/*
 * Which days cstore_days_chains reads: NULL, every one; else those of
 * [from, to] (from NULL: none) and each chain's last day and its last day
 * up to until.
 */
struct cstore_dspan {
	const char	*from, *to;
	const char	*until;
};

/*
 * The days of each of the chains given, oldest first: out[i] and n[i] for
 * chains[i] (out[i] set even when empty), in one read; on failure nothing
 * is left to free.
 */
int	 cstore_days_chains(struct cstore *, const struct cstore_chain *chains,
	    size_t nchains, const struct cstore_dspan *span,
	    struct cstore_day **out, size_t *n, char **cause);

/*
 * One business date of one chain in money, by the window's Z report rules
 * (pos/domain/report.c): sales count unless a void references them, refunds
 * on the day they were made, the date's sessions summed.
 */
enum { CSTORE_CASH, CSTORE_CARD, CSTORE_OTHER, CSTORE_METHODS };

struct cstore_day_money {
	char	*branch;
	int64_t	 terminal;
	char	 date[11];
	char	*currency;	/* the date's (a window has one) */
	int64_t	 decimals;
	int64_t	 sessions;	/* day_open entries */
	int64_t	 closes;	/* day_close entries */
	int64_t	 sales_count;	/* not voided */
	int64_t	 gross;		/* line totals before discounts, not voided */
	int64_t	 discounts;
	int64_t	 refunds;
	int64_t	 refunds_count;
	int64_t	 voids;
	int64_t	 voids_total;
	int64_t	 by_method[CSTORE_METHODS];	/* sales less refunds */
	int64_t	 payouts;
	int64_t	 cash_in;
	int64_t	 cash_out;
	int64_t	 float_amount;	/* day_open amounts */
	int64_t	 counted_cash;	/* day_close amounts */
	int64_t	 entries;
	int64_t	 first_seq;
	int64_t	 last_seq;
};

/*
 * Every chain's business dates in [from, to] in money, by branch,
 * terminal and date; flagged: only those the office must chase (sessions
 * not all closed, or counted cash other than expected: cdays.c's rules).
 * Free with cstore_day_money_free.
 */
int	 cstore_day_money(struct cstore *, const char *from, const char *to,
	    bool flagged, struct cstore_day_money **out, size_t *n,
	    char **cause);
void	 cstore_day_money_free(struct cstore_day_money *, size_t n);

/*
 * An entry the centre rejected, kept so the office can chase it: one row
 * per chain, seq and UUID, however often the window sends it again.
 */
struct cstore_rejection {
	char	*branch;
	int64_t	 terminal;
	int64_t	 seq;
	char	*uuid;
	char	*receipt;
	char	*reason;	/* the latest answer's */
	char	*first_at;	/* UTC, first and latest time rejected */
	char	*last_at;
	int64_t	 times;
	bool	 resolved;	/* the chain has an entry stored at seq since */
};

/* Inside a write transaction: record (or count again) a rejection. */
int	 cstore_reject_put(struct cstore *, const struct ledger_entry *e,
	    const char *reason, const char *now, char **cause);
/*
 * Inside a write transaction: a rejection as another store has it (its
 * times and count), for `migrate`; one already here is replaced when the
 * copy was rejected later, else left.
 */
int	 cstore_rejection_copy(struct cstore *, const struct cstore_rejection *,
	    char **cause);
/* Every rejection, by branch, terminal and seq. */
int	 cstore_rejections(struct cstore *, struct cstore_rejection **out,
	    size_t *n, char **cause);
void	 cstore_rejections_free(struct cstore_rejection *, size_t n);

/*
 * The office's accounts (account.h): users who log in to the pages, API
 * tokens for scripts, login sessions and failed logins. Only digests of
 * tokens and cookies are stored, and passwords only as a slow KDF's
 * encoded result. Stored here, so that several servers on one PostgreSQL
 * database share them.
 */
struct cstore_user {
	char	*name;
	char	*role;		/* "office" or "admin" */
	char	*password;	/* the KDF's encoded string (account.h) */
	char	*created_at;
	char	*disabled_at;	/* NULL while the user may log in */
};

/*
 * POS_INPUT when a user of that name exists (disabled or not). The user is
 * stored disabled when disabled_at is set (a copy of another store's).
 */
int	 cstore_user_add(struct cstore *, const struct cstore_user *,
	    char **cause);
/* Every user by name (name NULL) or the one named (*n 0 when none). */
int	 cstore_users(struct cstore *, const char *name,
	    struct cstore_user **out, size_t *n, char **cause);
void	 cstore_users_free(struct cstore_user *, size_t n);
/* Disable a user and end their login sessions; POS_INPUT when unknown
   or already disabled. */
int	 cstore_user_disable(struct cstore *, const char *name,
	    const char *now, char **cause);

/* An API token (its digest) under a name; POS_INPUT when the name exists. */
int	 cstore_apitoken_add(struct cstore *, const char *name,
	    const uint8_t hash[TOKEN_DIGEST], const char *now, char **cause);
/*
 * The name (caller frees) of the valid API token with this digest, found
 * by index and compared in constant time; POS_DENIED when there is none.
 */
int	 cstore_apitoken_find(struct cstore *,
	    const uint8_t digest[TOKEN_DIGEST], char **name, char **cause);

/* An API token as stored. */
struct cstore_apitoken {
	char	*name;
	uint8_t	 token_hash[TOKEN_DIGEST];
	char	*created_at;
	char	*revoked_at;	/* NULL while valid */
};

/* Every API token, by name. Free with cstore_apitokens_free. */
int	 cstore_apitokens(struct cstore *, struct cstore_apitoken **out,
	    size_t *n, char **cause);
void	 cstore_apitokens_free(struct cstore_apitoken *, size_t n);
/* Revoke the valid token of that name; POS_INPUT when there is none. */
int	 cstore_apitoken_revoke(struct cstore *, const char *name,
	    const char *now, char **cause);

/* A login session as found by its cookie's digest. */
struct cstore_wsession {
	char	*user;
	char	*role;
	char	*csrf;		/* the token its forms carry */
	char	*expires_at;
};

/* Store a session; sessions expired before created_at are forgotten. */
int	 cstore_wsession_put(struct cstore *, const uint8_t hash[TOKEN_DIGEST],
	    const char *user, const char *csrf, const char *created_at,
	    const char *expires_at, char **cause);
/*
 * The session with this digest, expiring after now, of a user who is not
 * disabled; POS_DENIED when there is none. Clear with
 * cstore_wsession_clear.
 */
int	 cstore_wsession_get(struct cstore *,
	    const uint8_t digest[TOKEN_DIGEST], const char *now,
	    struct cstore_wsession *out, char **cause);
void	 cstore_wsession_clear(struct cstore_wsession *);
/* End a session (none with that digest is not an error). */
int	 cstore_wsession_drop(struct cstore *,
	    const uint8_t digest[TOKEN_DIGEST], char **cause);

/*
 * A failed login counted under key ("address 192.0.2.1", "user name");
 * failures older than forget are dropped.
 */
int	 cstore_login_failed(struct cstore *, const char *key, const char *now,
	    const char *forget, char **cause);
/* How many failed logins key has at or after since. */
int	 cstore_login_failures(struct cstore *, const char *key,
	    const char *since, int64_t *n, char **cause);

/*
 * UTC now as "YYYY-MM-DDTHH:MM:SSZ"; POS_NOW (same form) fixes the clock for
 * tests, as it does for the window.
 */
void	 cstore_now(char utc[21]);

/* How many entries, lines and payments are stored (for tests and logs). */
int	 cstore_counts(struct cstore *, int64_t *entries, int64_t *lines,
	    int64_t *payments, char **cause);

/* The schema version (PRAGMA user_version) this program's stores have. */
int	 cstore_schema_version(void);
/* The schema version of this program's PostgreSQL stores. */
int	 cstore_schema_version_pg(void);

#endif
