/*
 * What the central server does with a request once HTTP is out of the way:
 * check a journal batch and store what chains, answer per entry, and the
 * branch's status. The rules are in sync/PROTOCOL.md; this module knows
 * nothing of sockets, so it is tested directly.
 */
#ifndef POS_INGEST_H
#define POS_INGEST_H

#include <stddef.h>

#include "cstore.h"
#include "ledger.h"

#define INGEST_FORMAT		1
#define INGEST_MAX_ENTRIES	1000	/* default entries per batch */
#define INGEST_MAX_KEY		128	/* bytes of an Idempotency-Key */
#define INGEST_MAX_REASONS	20	/* reasons listed in a 400 */
#define INGEST_KEEP_DAYS	30	/* how long an Idempotency-Key is kept */
/* An entry's dates against the server's date (serve --date-tolerance-days). */
#define INGEST_DATE_AHEAD_DAYS	7	/* days after it, at most */
#define INGEST_DATE_BACK_DAYS	3650	/* days before it, at most */

struct ingest_limits {
	size_t	 max_entries;
	int	 keep_days;
	int	 date_ahead_days;	/* 0: INGEST_DATE_AHEAD_DAYS */
	int	 date_back_days;	/* 0: INGEST_DATE_BACK_DAYS */
};

/* An HTTP answer: the status and a JSON body (caller frees). */
struct ingest_answer {
	unsigned	 status;
	char		*body;
	int64_t		 terminal;	/* of the batch; 0: not read */
	size_t		 entries;	/* in the batch, for the log */
};

/*
 * POST /v1/journal for the authenticated branch: body is the request body
 * (len bytes, not NUL-terminated), key the Idempotency-Key or NULL.
 */
void	 ingest_journal(struct cstore *, const char *branch, const char *key,
	    const char *body, size_t len, const struct ingest_limits *,
	    struct ingest_answer *out);

/*
 * One entry's wire form as a whole JSON document, read as the server reads
 * the entries of a batch (with yajl, through ledger_reader): POS_OK and *e,
 * or POS_FAIL and *cause (caller frees). For tests: it must agree with
 * ledger_from_json.
 */
int	 ingest_read_entry(const char *json, size_t len,
	    struct ledger_entry *e, char **cause);

/* GET /v1/status for the authenticated branch. */
void	 ingest_status(struct cstore *, const char *branch,
	    struct ingest_answer *out);

/* An error answer {"error": message} with this status. */
void	 ingest_error(unsigned status, const char *message,
	    struct ingest_answer *out);

#endif
