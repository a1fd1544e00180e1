/*
 * POST /v1/master/local: a window's own producers and products (those it
 * defined itself, offline or not) reaching the centre, where they show as
 * local to that window (sync/PROTOCOL.md). The body is read and checked
 * whole before the store is touched: any fault is a 400 listing the
 * reasons, and nothing is stored. A good page is stored per (branch,
 * terminal) in one write transaction; the page marked last forgets the
 * window's rows that did not come in its round.
 */
#ifndef POS_CLOCAL_H
#define POS_CLOCAL_H

#include <stddef.h>

#include "cstore.h"
#include "ingest.h"

#define CLOCAL_FORMAT		1
/* Producers and products together, in one request. */
#define CLOCAL_MAX_ROWS		1000

/* The answer to body (len bytes) from the authenticated branch. */
void	 clocal_post(struct cstore *, const char *branch, const char *body,
	    size_t len, struct ingest_answer *out);

#endif
