/*
 * The master data that changed since a version (mread.h). A page is read
 * in one snapshot with the version it is answered under: producers first,
 * then products, each in (version, code) order. The cursor "next" names
 * the last row given (producers:VERSION:CODE or products:VERSION:CODE), so
 * rows sharing one version (an import) are paged too.
 */
#define _GNU_SOURCE	/* strptime, timegm */
#include "mread.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "jread.h"
#include "jsonmem.h"
#include "master.h"
#include "plink.h"
#include "xalloc.h"

/* Where a page starts: after this row of this kind. */
struct mread_cursor {
	bool	 products;	/* false: producers */
	int64_t	 version;
	char	 code[LEDGER_MAX_CODE + 1];
};

void
mread_argument(struct mread_query *q, const char *key, const char *value)
{
	const char **slot = NULL;

	if (strcmp(key, "since") == 0)
		slot = &q->since;
	else if (strcmp(key, "limit") == 0)
		slot = &q->limit;
	else if (strcmp(key, "after") == 0)
		slot = &q->after;
	else if (strcmp(key, "owed") == 0)
		slot = &q->owed;
	else if (strcmp(key, "owed_since") == 0)
		slot = &q->owed_since;
	else if (q->unknown == NULL)
		q->unknown = key;
	if (slot == NULL)
		return;
	if (*slot != NULL && q->twice == NULL)
		q->twice = key;
	*slot = value != NULL ? value : "";
}

/* Seconds since the epoch of a UTC time YYYY-MM-DDTHH:MM:SSZ; -1: not one. */
static time_t
mread_time(const char *text)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	if (strlen(text) != 20 || (end = strptime(text, "%Y-%m-%dT%H:%M:%SZ",
	    &tm)) == NULL || *end != '\0')
		return -1;
	return timegm(&tm);
}

/* KIND:VERSION:CODE into *c; false when it is not one. */
static bool
mread_parse_after(const char *text, struct mread_cursor *c)
{
	const char *colon, *code;
	char num[24];
	size_t n;

	if (strncmp(text, "producers:", 10) == 0) {
		c->products = false;
		text += 10;
	} else if (strncmp(text, "products:", 9) == 0) {
		c->products = true;
		text += 9;
	} else
		return false;
	if ((colon = strchr(text, ':')) == NULL ||
	    (n = (size_t)(colon - text)) == 0 || n >= sizeof num)
		return false;
	memcpy(num, text, n);
	num[n] = '\0';
	code = colon + 1;
	if (!jread_number(num, 0, INT64_MAX, &c->version) ||
	    !master_code_valid(code))
		return false;
	snprintf(c->code, sizeof c->code, "%s", code);
	return true;
}

static void
mread_error(unsigned status, struct ingest_answer *out, char *msg)
{
	ingest_error(status, msg, out);
	free(msg);
}

/* The query's values, or a 400 in *out. */
static bool
mread_check(const struct mread_query *q, int64_t *since, int64_t *limit,
    struct mread_cursor *c, struct ingest_answer *out)
{
	*since = 0;
	*limit = MREAD_LIMIT;
	if (q->unknown != NULL) {
		ingest_error(400, "an argument that GET /v1/master does not "
		    "take: it takes since, limit, after, owed and owed_since",
		    out);
		return false;
	}
	if (q->twice != NULL) {
		mread_error(400, out, xasprintf("%s: given twice", q->twice));
		return false;
	}
	if (q->since != NULL && !jread_number(q->since, 0, INT64_MAX, since)) {
		ingest_error(400, "since: must be a master-data version, 0 or "
		    "more", out);
		return false;
	}
	if (q->limit != NULL && !jread_number(q->limit, 1, MREAD_MAX_LIMIT,
	    limit)) {
		mread_error(400, out, xasprintf("limit: must be 1..%d",
		    MREAD_MAX_LIMIT));
		return false;
	}
	if (q->owed != NULL && strcmp(q->owed, "0") != 0 &&
	    strcmp(q->owed, "1") != 0) {
		ingest_error(400, "owed: must be 0 or 1", out);
		return false;
	}
	if (q->owed_since != NULL && mread_time(q->owed_since) < 0) {
		ingest_error(400, "owed_since: must be a UTC time as "
		    "YYYY-MM-DDTHH:MM:SSZ (an owed_as_of given before)", out);
		return false;
	}
	c->products = false;
	c->version = *since;
	c->code[0] = '\0';
	if (q->after != NULL && (!mread_parse_after(q->after, c) ||
	    c->version < *since)) {
		ingest_error(400, "after: must be the \"next\" of the page "
		    "before (producers:VERSION:CODE or products:VERSION:CODE, "
		    "VERSION not below since)", out);
		return false;
	}
	return true;
}

static json_t *
mread_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
mread_producer(const struct cstore_mproducer *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "phone", mread_str(p->phone));
	json_object_set_new(o, "active", json_boolean(p->active));
	json_object_set_new(o, "version", json_integer(p->version));
	return o;
}

static json_t *
mread_product(const struct cstore_mproduct *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "price", json_integer(p->price));
	json_object_set_new(o, "unit", json_string(p->unit));
	json_object_set_new(o, "barcode", mread_str(p->barcode));
	json_object_set_new(o, "producer", json_string(p->producer));
	json_object_set_new(o, "active", json_boolean(p->active));
	json_object_set_new(o, "version", json_integer(p->version));
	return o;
}

/* One page being made. */
struct mread_page {
	const struct mread_query *q;
	bool	 owed;		/* add what each producer is owed */
	bool	 owed_same;	/* ... which has not changed since
				   q->owed_since */
	char	 as_of[21];
	json_t	*owed_rows;
	int64_t	 since;
	int64_t	 left;		/* rows still to give */
	bool	 more;
	char	*next;		/* the cursor of the last row given */
	json_t	*producers;
	json_t	*products;
};

static void
mread_next(struct mread_page *pg, const char *kind, int64_t version,
    const char *code)
{
	free(pg->next);
	pg->next = xasprintf("%s:%lld:%s", kind, (long long)version, code);
}

/* The producer's page link, when one was issued, as "link" in o. */
static int
mread_link(struct cstore *st, const struct mread_query *q, const char *code,
    json_t *o, char **cause)
{
	char token[TOKEN_HEX], *url;
	int64_t rotation;
	bool issued;
	int rc;

	if ((rc = cstore_plink_get(st, code, &rotation, NULL, &issued,
	    cause)) !=
	    POS_OK || !issued)
		return rc;
	plink_token(q->link_key, code, rotation, token);
	url = plink_url(q->public_url, token);
	json_object_set_new(o, "link", json_string(url));
	memset(token, 0, sizeof token);
	free(url);
	return POS_OK;
}

static int
mread_producers(struct cstore *st, const struct mread_cursor *c,
    struct mread_page *pg, char **cause)
{
	struct cstore_mproducer *p;
	size_t n, i;
	int rc;

	if ((rc = cstore_mproducers_changed(st, pg->since, c->version,
	    c->code, pg->left + 1, &p, &n, cause)) != POS_OK)
		return rc;
	for (i = 0; i < n && pg->left > 0; i++, pg->left--) {
		json_t *o = mread_producer(&p[i]);

		json_array_append_new(pg->producers, o);
		mread_next(pg, "producers", p[i].version, p[i].code);
		if (pg->q->public_url != NULL && pg->q->link_key != NULL &&
		    (rc = mread_link(st, pg->q, p[i].code, o, cause)) !=
		    POS_OK)
			break;
	}
	pg->more = i < n;
	cstore_mproducers_free(p, n);
	return rc;
}

static int
mread_products(struct cstore *st, const struct mread_cursor *c,
    struct mread_page *pg, char **cause)
{
	struct cstore_mproduct *p;
	size_t n, i;
	int rc;

	if ((rc = cstore_mproducts_changed(st, pg->since, c->version, c->code,
	    pg->left + 1, &p, &n, cause)) != POS_OK)
		return rc;
	for (i = 0; i < n && pg->left > 0; i++, pg->left--) {
		json_array_append_new(pg->products, mread_product(&p[i]));
		mread_next(pg, "products", p[i].version, p[i].code);
	}
	pg->more = i < n;
	cstore_mproducts_free(p, n);
	return POS_OK;
}

/*
 * What each producer is owed over all windows (merges applied), in the
 * page's snapshot: [{code, currency, owed}], by code and currency.
 */
/*
 * Has nothing that moves what producers are owed arrived since the
 * window's figures (as_of)? The register has not changed (the caller
 * checks: a merge is a change), and no chain received an entry after
 * MREAD_OWED_SLACK seconds before as_of: an entry stamped just before the
 * figures were made may have been committed just after them.
 */
static int
mread_owed_same(struct cstore *st, const char *as_of, bool *same,
    char **cause)
{
	struct cstore_chain *c;
	time_t since = mread_time(as_of), t;
	size_t n;
	int rc;

	*same = false;
	if ((rc = cstore_chains(st, NULL, &c, &n, cause)) != POS_OK)
		return rc;
	*same = since >= 0;
	for (size_t i = 0; i < n && *same; i++) {
		t = mread_time(c[i].last_received);
		if (t < 0 || t > since - MREAD_OWED_SLACK)
			*same = false;
	}
	cstore_chains_free(c, n);
	return POS_OK;
}

static int
mread_owed(struct cstore *st, struct mread_page *pg, int64_t version,
    char **cause)
{
	struct cstore_producer *p;
	size_t n;
	int rc;

	cstore_now(pg->as_of);
	if (pg->q->owed_since != NULL && version == pg->since &&
	    (rc = mread_owed_same(st, pg->q->owed_since, &pg->owed_same,
	    cause)) != POS_OK)
		return rc;
	if (pg->owed_same)
		return POS_OK;
	if ((rc = cstore_report_producers(st, "0000-01-01", "9999-12-31", &p,
	    &n, cause)) != POS_OK)
		return rc;
	pg->owed_rows = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "code", json_string(p[i].code));
		json_object_set_new(o, "currency", json_string(p[i].currency));
		json_object_set_new(o, "owed", json_integer(p[i].owed));
		json_array_append_new(pg->owed_rows, o);
	}
	cstore_producers_free(p, n);
	return POS_OK;
}

/* The rows of the page after c, in one snapshot with *version. */
static int
mread_read(struct cstore *st, const struct mread_cursor *c,
    struct mread_page *pg, int64_t *version, char **cause)
{
	struct mread_cursor start = { .products = true, .version = pg->since };
	int rc;

	if ((rc = cstore_begin(st, false, cause)) != POS_OK)
		return rc;
	if ((rc = cstore_master_version(st, version, cause)) != POS_OK)
		goto out;
	if (pg->owed && (rc = mread_owed(st, pg, *version, cause)) != POS_OK)
		goto out;
	if (!c->products) {
		if ((rc = mread_producers(st, c, pg, cause)) != POS_OK ||
		    pg->more)
			goto out;
		c = &start;
	}
	rc = mread_products(st, c, pg, cause);
out:
	if (rc == POS_OK)
		rc = cstore_commit(st, cause);
	cstore_rollback(st);
	return rc;
}

void
mread_answer(struct cstore *st, const struct mread_query *q,
    struct ingest_answer *out)
{
	struct mread_cursor c;
	struct mread_page pg;
	int64_t version = 0;
	char *cause = NULL, *s;
	json_t *j;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&pg, 0, sizeof pg);
	if (!mread_check(q, &pg.since, &pg.left, &c, out))
		return;
	pg.owed = q->owed != NULL && strcmp(q->owed, "1") == 0;
	pg.q = q;
	pg.producers = json_array();
	pg.products = json_array();
	if ((rc = mread_read(st, &c, &pg, &version, &cause)) != POS_OK) {
		if (rc == CSTORE_BUSY)
			ingest_error(503, "the central store is busy: try "
			    "again", out);
		else
			mread_error(500, out, xasprintf("the central store "
			    "failed: %s", cause != NULL ? cause :
			    "unknown error"));
		goto out;
	}
	j = json_object();
	json_object_set_new(j, "version", json_integer(version));
	json_object_set_new(j, "since", json_integer(pg.since));
	json_object_set_new(j, "producers", json_incref(pg.producers));
	json_object_set_new(j, "products", json_incref(pg.products));
	json_object_set_new(j, "more", json_boolean(pg.more));
	json_object_set_new(j, "next", pg.more ? json_string(pg.next) :
	    json_null());
	if (pg.owed) {
		json_object_set_new(j, "owed_as_of", json_string(pg.as_of));
		if (pg.owed_same)
			json_object_set_new(j, "owed_unchanged", json_true());
		else
			json_object_set_new(j, "owed",
			    json_incref(pg.owed_rows));
	}
	out->entries = json_array_size(pg.producers) +
	    json_array_size(pg.products);
	if ((s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		xalloc_fatal("json_dumps");
	json_decref(j);
	out->status = 200;
	out->body = xstrdup(s);
	jsonmem_free(s);
out:
	json_decref(pg.owed_rows);
	json_decref(pg.producers);
	json_decref(pg.products);
	free(pg.next);
	free(cause);
}
