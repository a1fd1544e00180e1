/*
 * The window's side of the wire (sync/PROTOCOL.md): a journal batch
 * encoded for POST /v1/journal, with its Idempotency-Key, and the
 * server's answer decoded. No network here: the push client (pos/queue/outbox.c)
 * sends what this builds through the network module (sync/client/pushmod.h).
 *
 * A batch is built entry by entry so that it stays under both caps: at
 * most max_entries entries and max_bytes bytes of body (the first entry
 * is always taken, so one big entry still goes out alone).
 */
#ifndef POS_SYNC_BATCH_H
#define POS_SYNC_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cause.h"
#include "ledger.h"

#define BATCH_KEY_MAX	128	/* bytes of an Idempotency-Key, NUL excluded */

struct batch_writer;

/* A new, empty batch for this branch and terminal (free with batch_writer_free). */
struct batch_writer *batch_writer_new(const char *branch, int64_t terminal,
	    size_t max_entries, size_t max_bytes);
void	 batch_writer_free(struct batch_writer *);

/* What batch_writer_add gives for a full batch: not a status. */
#define BATCH_FULL	-1

/*
 * Add the next entry (its seq must follow the previous one). Returns POS_OK
 * when taken, BATCH_FULL when the batch is full (the entry is not taken:
 * send this batch and start the next with it), or POS_FAIL with *cause
 * (caller frees) when the entry cannot be encoded.
 */
int	 batch_writer_add(struct batch_writer *, const struct ledger_entry *e,
	    char **cause);

/* Entries taken so far, and their first and last seq (0 when empty). */
size_t	 batch_writer_count(const struct batch_writer *);
int64_t	 batch_writer_first(const struct batch_writer *);
int64_t	 batch_writer_last(const struct batch_writer *);

/*
 * The body (compact JSON, NUL-terminated, caller frees) and its length.
 * key gets a deterministic Idempotency-Key, BRANCH-T-FIRST-LAST-DIGEST
 * where DIGEST is the first 16 hex digits of SHA-256 of the body: the same
 * batch resent replays the server's first answer, and a different body
 * never reuses a key.
 */
char	*batch_writer_finish(struct batch_writer *, size_t *len,
	    char key[BATCH_KEY_MAX + 1]);

enum batch_status { BATCH_ACCEPTED, BATCH_DUPLICATE, BATCH_REJECTED };

struct batch_result {
	int64_t		 seq;
	char		 uuid[LEDGER_UUID_LEN];
	enum batch_status status;
	char		*reason;	/* rejected: why; else NULL */
	int64_t		 blocked_by;	/* rejected behind this seq; else 0 */
};

/* An answer of pos-central, decoded (free with batch_answer_free). */
struct batch_answer {
	struct batch_result *results;	/* 200 */
	size_t		 nresults;
	bool		 has_head;	/* 200 and 409: acked_through and head */
	int64_t		 acked_through;
	char		 head[LEDGER_HASH_HEX];
	int64_t		 expected_seq;	/* 409; else 0 */
	char		*error;		/* an error answer's "error"; else NULL */
	char	       **reasons;	/* a 400's "reasons" */
	size_t		 nreasons;
};

/*
 * Decode the answer of status to a batch (body of len bytes). POS_OK, or
 * POS_FAIL with *cause when it is not what the protocol says (a 200 must have
 * results, acked_through and head; a 409 expected_seq; errors "error").
 */
int	 batch_answer_parse(long status, const char *body, size_t len,
	    struct batch_answer *out, char **cause);
void	 batch_answer_free(struct batch_answer *);

#endif
