/*
 * Inside the ingest module, which is split over two files: ingest.c decides
 * what is stored and answers (jansson trees, in the request's jsonmem
 * arena); ingest_read.c reads request bodies with yajl, a streaming parser,
 * straight into ledger entries.
 */
#ifndef POS_INGEST_INT_H
#define POS_INGEST_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ingest.h"
#include "ledger.h"

/* A batch read and checked for form, not yet stored. */
struct batch {
	char			 branch[LEDGER_MAX_CODE + 1];
	int64_t			 terminal;
	size_t			 n;
	struct ledger_entry	*e;
};

/*
 * The batch in body, read and checked for form (nothing is stored yet).
 * Returns 0 with *b filled (free with ingest_batch_free), or the HTTP
 * status with *out filled.
 */
unsigned ingest_batch_read(const char *body, size_t len,
	    const char *auth_branch, size_t max_entries, struct batch *b,
	    struct ingest_answer *out);
void	 ingest_batch_free(struct batch *b);

/*
 * A JSON string of text that may not be valid UTF-8, with what is not
 * replaced by '?' (new reference, never NULL).
 */
json_t	*ingest_text(const char *text);

/* The 400 answer with this list of reasons (taken). */
void	 ingest_invalid(json_t *reasons, struct ingest_answer *out);

#endif
