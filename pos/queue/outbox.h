/*
 * The outbox: the window's side of sync. The journal itself is the queue;
 * the store keeps only how far the central server has acknowledged it
 * (sync_state: acked_through and the server's head hash, the last attempt,
 * success and error) and the entries the server rejected, with the reason
 * (sync_rejects).
 *
 * A push sends every entry after acked_through in seq order, in batches of
 * [sync] batch entries and at most OUTBOX_MAX_BODY bytes, each with a
 * deterministic Idempotency-Key, and moves the checkpoint only from the
 * server's answers: acked_through of a 200 (never backwards), or
 * expected_seq of a 409 (the server has less than we thought: resend from
 * there). Network faults and 5xx are retried with exponential backoff and
 * jitter, a few times, inside a deadline; 4xx answers are not retried.
 * An entry the server rejects stops the push with its seq and reason,
 * which stay in sync_rejects until the entry is acknowledged.
 *
 * libcurl is in the network module (sync/client/pushmod.h), loaded only here.
 * outbox_push may run on a worker thread with its own store connection:
 * it keeps no state outside the store and the once-loaded module, and it
 * does not read the environment (outbox_opts_default does, on the
 * caller's thread).
 */
#ifndef POS_OUTBOX_H
#define POS_OUTBOX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "ledger.h"
#include "mpull.h"
#include "store.h"

#define OUTBOX_ATTEMPTS		3		/* tries of one request */
#define OUTBOX_DEADLINE_MS	10000		/* without progress, per push */
#define OUTBOX_CLOSE_DEADLINE_MS 5000		/* the push after a day close */
#define OUTBOX_CONNECT_MS	3000
#define OUTBOX_MAX_BODY		(1u << 20)	/* bytes of a batch */
#define OUTBOX_MAX_ANSWER	(1u << 20)	/* bytes of an answer kept */
#define OUTBOX_BACKOFF_MS	400		/* first wait; doubles */
#define OUTBOX_BACKOFF_MAX_MS	3000
#define OUTBOX_MAX_REASON	400		/* bytes of a stored reason */
#define OUTBOX_FETCH_MS		30000		/* one GET, in all */
#define OUTBOX_MAX_FETCH	(16u << 20)	/* bytes of a GET's answer kept */

struct outbox_opts {
	int		 attempts;	/* tries per request, >= 1 */
	long		 deadline_ms;	/* a push gives up after this long
					   without an acknowledged batch */
	const atomic_bool *cancel;	/* stop soon when set; or NULL */
	int		 master_page;	/* rows per page of the master-data
					   pull; 0: MPULL_PAGE */
};

/*
 * The defaults, with POS_SYNC_DEADLINE (seconds, 1..600) and
 * POS_MASTER_PAGE (rows, 1..MPULL_MAX_PAGE) read from the environment:
 * tests use them to keep fault runs short and to make a master-data pull
 * come in several pages.
 */
void	 outbox_opts_default(struct outbox_opts *);

struct outbox_reject {
	int64_t	 seq;
	char	*uuid;
	char	*receipt;
	char	*reason;
	char	*first_seen;
	char	*last_seen;
};

struct outbox_state {
	int64_t	 head_seq;			/* the window's last entry */
	char	 head[LEDGER_HASH_HEX];		/* and its hash */
	int64_t	 acked_through;			/* the server has 1..this */
	char	 server_head[LEDGER_HASH_HEX];	/* as it said; "" if never */
	int64_t	 unsynced;			/* head_seq - acked_through */
	char	*last_attempt;			/* UTC; NULL if never */
	char	*last_success;
	char	*last_error;			/* NULL after a success */
	struct outbox_reject *rejected;		/* root causes, by seq */
	size_t	 nrejected;
	int64_t	 master_version;		/* master data held; 0: none */
	char	*master_pulled_at;		/* UTC; NULL if never */
	int64_t	 master_conflicts;		/* rows flagged (mdata.h) */
};

/*
 * The window's own producers and products sent after the journal
 * (outbox_local.c): tried only when the push reached the server; a
 * failure here never changes the push's rc.
 */
struct outbox_local_result {
	bool	 tried;
	bool	 unchanged;	/* the centre has this set already */
	bool	 sent;
	int	 rc;
	int64_t	 producers;	/* rows sent */
	int64_t	 products;
	char	*error;		/* rc != POS_OK */
};

struct outbox_result {
	int	 rc;		/* POS_OK: everything acked; POS_FAIL; POS_INPUT:
				   not configured (no url, no token file) */
	int64_t	 sent;		/* entries in batches the server answered */
	int64_t	 batches;	/* requests answered */
	char	*error;		/* why it is not POS_OK; NULL when it is */
	bool	 have_state;
	struct outbox_state state;	/* after the push, when have_state */
	struct outbox_local_result local;
	bool	 pulled;	/* master data pulled (after a push that
				   succeeded), in master */
	struct mpull_result master;
};

/* True when [sync] url is set. */
bool	 outbox_configured(const struct config *);

/*
 * One bounded push: send what is unsynced now, until it is all
 * acknowledged or the push fails; then, when it succeeded, pull the
 * master data that changed at the centre (mpull.h), whose failure fails
 * the sync too. Fills *out (free with
 * outbox_result_free) and returns out->rc. The caller holds no
 * transaction; a store failure is out->rc POS_FAIL too.
 */
int	 outbox_push(struct store *, const struct outbox_opts *,
	    struct outbox_result *out);
void	 outbox_result_free(struct outbox_result *);

/* The sync state now, without the network (free with outbox_state_free). */
int	 outbox_status(struct store *, struct outbox_state *out, char **cause);
void	 outbox_state_free(struct outbox_state *);

/*
 * JSON of the state: unsynced, last_success, last_attempt, last_error,
 * acked_through, server_head, rejected [{seq, receipt, uuid, reason,
 * first_seen, last_seen}], head_seq, head, master_version,
 * master_pulled_at, master_conflicts (new reference).
 */
json_t	*outbox_state_json(const struct outbox_state *);

/*
 * JSON of a push: ok, sent, acked_through, unsynced, head, server_head,
 * rejected, error, local {sent, unchanged, producers, products, error}
 * (null when not tried), master (the pull's, mpull_result_json, or null
 * when there was none) (new reference).
 */
json_t	*outbox_result_json(const struct outbox_result *);

struct push_answer;

/*
 * One GET of the journal endpoint under [sync] url with the branch token,
 * query the text after '?': POS_OK with *ans when an HTTP answer came back
 * (any status; free ans->body and ans->error), else a status and *cause.
 */
int	 outbox_fetch(const struct config *, const char *query,
	    struct push_answer *ans, char **cause);

/*
 * The same for GET /v1/WHAT (what: "journal", "master"), up to attempts
 * tries of a transient failure (no answer, 5xx, 429) with backoff,
 * stopped soon when *cancel is set (cancel may be NULL).
 */
int	 outbox_get(const struct config *, const char *what,
	    const char *query, int attempts, const atomic_bool *cancel,
	    struct push_answer *ans, char **cause);

#endif
