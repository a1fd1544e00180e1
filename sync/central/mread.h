/*
 * GET /v1/master: the centre's master data (its register of producers and
 * its catalogue, master.h) that changed since a version a window holds,
 * page by page, so every sync brings only what is new. The rules are in
 * sync/PROTOCOL.md.
 */
#ifndef POS_MREAD_H
#define POS_MREAD_H

#include <stdint.h>

#include "cstore.h"
#include "ingest.h"

#define MREAD_LIMIT		5000	/* rows per page unless asked */
/*
 * What is owed is sent again unless every chain's last entry arrived this
 * many seconds before the window's figures (owed_since): longer than any
 * batch takes from its arrival stamp to its commit.
 */
#define MREAD_OWED_SLACK	120
#define MREAD_MAX_LIMIT		20000	/* rows per page, at most */

/* The request's query arguments (not owned); NULL when not given. */
struct mread_query {
	const char	*since;
	const char	*limit;
	const char	*after;
	const char	*owed;		/* "1": add what is owed (first page) */
	const char	*owed_since;	/* the owed_as_of the window holds */
	const char	*unknown;	/* the first argument not known, or NULL */
	const char	*twice;		/* the first argument given twice */
	/*
	 * Set by the server, not the client: producers' page links are
	 * added to their rows (plink.h) when both are given.
	 */
	const char	*public_url;
	const uint8_t	*link_key;	/* PLINK_KEY bytes */
};

/* Take one query argument (key=value) into q. */
void	 mread_argument(struct mread_query *q, const char *key,
	    const char *value);

/* Answer the query into *out (any authenticated branch may ask). */
void	 mread_answer(struct cstore *, const struct mread_query *,
	    struct ingest_answer *out);

#endif
