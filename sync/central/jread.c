/*
 * A page of one terminal's journal (jread.h). The chain's head and the
 * page are read in one snapshot, so "next" and the entries agree.
 */
#include "jread.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonmem.h"
#include "xalloc.h"

void
jread_argument(struct jread_query *q, const char *key, const char *value)
{
	const char **slot = NULL;

	if (strcmp(key, "terminal") == 0)
		slot = &q->terminal;
	else if (strcmp(key, "after") == 0)
		slot = &q->after;
	else if (strcmp(key, "limit") == 0)
		slot = &q->limit;
	else if (q->unknown == NULL)
		q->unknown = key;
	if (slot == NULL)
		return;
	if (*slot != NULL && q->twice == NULL)
		q->twice = key;
	*slot = value != NULL ? value : "";
}

bool
jread_number(const char *text, long long min, long long max, int64_t *out)
{
	char *end;
	long long v;

	if (text == NULL || *text < '0' || *text > '9')
		return false;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* An error answer with msg, which it takes. */
static void
jread_error(unsigned status, struct ingest_answer *out, char *msg)
{
	ingest_error(status, msg, out);
	free(msg);
}

/* The query's numbers, or a 400 in *out. */
static bool
jread_check(const struct jread_query *q, int64_t *terminal, int64_t *after,
    int64_t *limit, struct ingest_answer *out)
{
	*after = 0;
	*limit = JREAD_LIMIT;
	if (q->unknown != NULL) {
		ingest_error(400, "an argument that GET /v1/journal does not "
		    "take: it takes terminal, after and limit", out);
		return false;
	}
	if (q->twice != NULL) {
		jread_error(400, out, xasprintf("%s: given twice", q->twice));
		return false;
	}
	if (q->terminal == NULL) {
		ingest_error(400, "terminal: needed (?terminal=N)", out);
		return false;
	}
	if (!jread_number(q->terminal, 1, 999, terminal)) {
		ingest_error(400, "terminal: must be 1..999", out);
		return false;
	}
	if (q->after != NULL && !jread_number(q->after, 0, INT64_MAX, after)) {
		ingest_error(400, "after: must be a seq, 0 or more", out);
		return false;
	}
	if (q->limit != NULL && !jread_number(q->limit, 1, JREAD_MAX_LIMIT,
	    limit)) {
		jread_error(400, out, xasprintf("limit: must be 1..%d",
		    JREAD_MAX_LIMIT));
		return false;
	}
	return true;
}

static int
jread_add(void *arg, const struct ledger_entry *e)
{
	json_array_append_new(arg, ledger_to_json(e));
	return POS_OK;
}

static void
jread_store_failed(int rc, const char *cause, struct ingest_answer *out)
{
	if (rc == CSTORE_BUSY)
		ingest_error(503, "the central store is busy: try again", out);
	else
		jread_error(500, out, xasprintf("the central store failed: "
		    "%s", cause != NULL ? cause : "unknown error"));
}

void
jread_answer(struct cstore *st, const char *branch,
    const struct jread_query *q, struct ingest_answer *out)
{
	int64_t terminal, after, limit, last = 0, upto;
	char head[LEDGER_HASH_HEX], *cause = NULL, *s;
	json_t *j, *entries = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	if (!jread_check(q, &terminal, &after, &limit, out))
		return;
	out->terminal = terminal;
	if ((rc = cstore_begin(st, false, &cause)) != POS_OK)
		goto fail;
	if ((rc = cstore_head(st, branch, terminal, &last, head, &cause)) !=
	    POS_OK)
		goto fail;
	if (last == 0) {
		cstore_rollback(st);
		jread_error(404, out, xasprintf("no journal of branch %s "
		    "terminal %lld on this server", branch,
		    (long long)terminal));
		return;
	}
	entries = json_array();
	if (after < last && (rc = cstore_entries_after(st, branch, terminal,
	    after, limit, jread_add, entries, &cause)) != POS_OK)
		goto fail;
	if ((rc = cstore_commit(st, &cause)) != POS_OK)
		goto fail;
	upto = after + (int64_t)json_array_size(entries);
	j = json_object();
	json_object_set_new(j, "branch", json_string(branch));
	json_object_set_new(j, "terminal", json_integer(terminal));
	json_object_set_new(j, "after", json_integer(after));
	json_object_set_new(j, "acked_through", json_integer(last));
	json_object_set_new(j, "head", json_string(head));
	json_object_set_new(j, "entries", entries);
	json_object_set_new(j, "next", upto < last ? json_integer(upto) :
	    json_null());
	out->entries = json_array_size(entries);
	if ((s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		xalloc_fatal("json_dumps");
	json_decref(j);
	out->status = 200;
	out->body = xstrdup(s);
	jsonmem_free(s);
	return;
fail:
	cstore_rollback(st);
	json_decref(entries);
	jread_store_failed(rc, cause, out);
	free(cause);
}
