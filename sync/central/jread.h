/*
 * GET /v1/journal: a page of one terminal's journal as the centre stored
 * it, for a window that lost its store (pos init --from-central). The
 * entries are given in their wire form (sync/ledger/CANONICAL.md §4),
 * rebuilt from the stored rows, so the window can check every hash and
 * link of the chain itself. The rules are in sync/PROTOCOL.md.
 */
#ifndef POS_JREAD_H
#define POS_JREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "cstore.h"
#include "ingest.h"

#define JREAD_LIMIT		200	/* entries per page unless asked */
#define JREAD_MAX_LIMIT		1000	/* entries per page, at most */

/* The request's query arguments (not owned); NULL when not given. */
struct jread_query {
	const char	*terminal;
	const char	*after;
	const char	*limit;
	const char	*unknown;	/* the first argument not known, or NULL */
	const char	*twice;		/* the first argument given twice */
};

/* Answer the query of the authenticated branch into *out. */
void	 jread_answer(struct cstore *, const char *branch,
	    const struct jread_query *, struct ingest_answer *out);

/* A decimal integer in [min, max], all of text; false otherwise. */
bool	 jread_number(const char *text, long long min, long long max,
	    int64_t *out);

/* Take one query argument (key=value) into q. */
void	 jread_argument(struct jread_query *q, const char *key,
	    const char *value);

#endif
