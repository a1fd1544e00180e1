/*
 * Inside the outbox: what outbox.c (the push) uses of outbox_state.c
 * (the sync state in the store). Every function here runs inside the
 * caller's transaction unless it says otherwise, and leaves errors in an
 * optional *cause.
 */
#ifndef POS_OUTBOX_INT_H
#define POS_OUTBOX_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ledger.h"
#include "store.h"

/*
 * Text from the server made safe to store and print: control characters
 * become '?', and it is cut to OUTBOX_MAX_REASON bytes on a UTF-8 boundary
 * (caller frees).
 */
char	*outbox_clean(const char *s);

/* The hash of entry seq (genesis for 0); POS_INPUT if there is none. */
int	 outbox_hash_at(struct store *, int64_t seq,
	    char hash[LEDGER_HASH_HEX] /* OUT */, char **cause);

/*
 * One sync_state update with up to two text bindings (?1, ?2), in a
 * write transaction of its own.
 */
int	 outbox_note(struct store *, const char *sql, const char *t1,
	    const char *t2, char **cause);

/*
 * Set the checkpoint inside a write transaction: exactly (a 409 or the
 * empty probe: the server says what it has) or never backwards (a 200).
 */
int	 outbox_checkpoint(struct store *, int64_t acked, const char *head,
	    bool exact, char **cause);

/* Record (or refresh) a rejected entry, or clear it when reason is NULL. */
int	 outbox_reject(struct store *, int64_t seq, const char *uuid,
	    const char *reason, const char *now, char **cause);

/* Milliseconds of the monotonic clock. */
int64_t	 outbox_ms(void);

struct pushmod;
struct outbox_local_result;

/* How to reach the centre, for one request after the push's journal. */
struct outbox_link {
	const struct pushmod	*mod;
	const char		*url;		/* the endpoint */
	const char		*token;
	int64_t			 deadline;	/* outbox_ms() to be done by */
	const atomic_bool	*cancel;	/* or NULL */
};

/*
 * Send the window's own producers and products if they changed since
 * the centre last took them (outside any transaction). Fills *out (free
 * out->error); returns out->rc.
 */
int	 outbox_local(struct store *, const struct outbox_link *,
	    struct outbox_local_result *out);

#endif
