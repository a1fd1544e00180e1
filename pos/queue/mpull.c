/*
 * Master data from the central server (mpull.h). The version held after a
 * pull is the centre's version when its first page was read: every row at
 * or below it has come by the last page (a row changed meanwhile has a
 * higher version, and comes again next time, applied only if newer).
 */
#include "mpull.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "outbox.h"
#include "outbox_int.h"
#include "pushmod.h"
#include "xalloc.h"

/* The pages read so far, kept until applied (rows point into them). */
struct mpull_run {
	struct store		*st;
	const atomic_bool	*cancel;
	int			 attempts;
	json_t			**pages;
	size_t			 npages;
	struct mdata_producer	*producers;
	size_t			 nproducers, capproducers;
	struct mdata_product	*products;
	size_t			 nproducts, capproducts;
	const char		*owed_as_of;
	bool			 owed_same;	/* the centre: no change
						   since owed_since */
	char			*owed_since;	/* the owed_as_of held */
	struct mdata_owed	*owed;
	size_t			 nowed;
};

int
mpull_page_default(void)
{
	const char *v = getenv("POS_MASTER_PAGE");
	char *end;
	long n;

	if (v == NULL)
		return MPULL_PAGE;
	n = strtol(v, &end, 10);
	return end != v && *end == '\0' && n >= 1 && n <= MPULL_MAX_PAGE ?
	    (int)n : MPULL_PAGE;
}

/* The error of a refusal: the server's "error", or "no reason given". */
static char *
mpull_refusal(const struct push_answer *ans)
{
	json_t *j = json_loadb(ans->body != NULL ? ans->body : "", ans->len,
	    0, NULL);
	const char *e = json_string_value(json_object_get(j, "error"));
	char *msg = outbox_clean(e != NULL ? e : "no reason given");

	json_decref(j);
	return msg;
}

/* One page from the centre, parsed: POS_OK and *page, or a refusal. */
static int
mpull_get(struct mpull_run *r, int64_t since, int limit, const char *after,
    json_t **page, char **cause)
{
	struct push_answer ans;
	json_error_t jerr;
	char *query, *msg;
	int rc;

	*page = NULL;
	/*
	 * The first page brings what producers are owed at all windows, or
	 * says it has not changed since the figures this window holds.
	 */
	query = after != NULL ? xasprintf("since=%lld&limit=%d&after=%s",
	    (long long)since, limit, after) : r->owed_since != NULL ?
	    xasprintf("since=%lld&limit=%d&owed=1&owed_since=%s",
	    (long long)since, limit, r->owed_since) :
	    xasprintf("since=%lld&limit=%d&owed=1", (long long)since, limit);
	rc = outbox_get(r->st->cfg, "master", query, r->attempts, r->cancel,
	    &ans, cause);
	free(query);
	if (rc != POS_OK)
		goto out;
	if (ans.status != 200) {
		msg = mpull_refusal(&ans);
		rc = ans.status == 401 || ans.status == 403 ? POS_DENIED :
		    POS_FAIL;
		cause_set(cause, rc, "the central server answered %ld: %s",
		    ans.status, msg);
		free(msg);
		goto out;
	}
	if ((*page = json_loadb(ans.body, ans.len, 0, &jerr)) == NULL ||
	    !json_is_object(*page)) {
		json_decref(*page);
		*page = NULL;
		rc = cause_set(cause, POS_FAIL, "the central server's master "
		    "data is not a JSON object: %s", jerr.text);
	}
out:
	free(ans.body);
	free(ans.error);
	return rc;
}

static const char *
mpull_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t
mpull_int(const json_t *o, const char *key, bool *ok)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v)) {
		*ok = false;
		return -1;
	}
	return (int64_t)json_integer_value(v);
}

static int
mpull_take_producers(struct mpull_run *r, const json_t *arr, char **cause)
{
	struct mdata_producer *p;
	const json_t *o;
	size_t i;
	bool ok = true;

	json_array_foreach(arr, i, o) {
		if (r->nproducers == r->capproducers) {
			r->capproducers = r->capproducers == 0 ? 256 :
			    r->capproducers * 2;
			r->producers = xreallocarray(r->producers,
			    r->capproducers, sizeof *r->producers);
		}
		p = &r->producers[r->nproducers++];
		memset(p, 0, sizeof *p);
		p->code = mpull_str(o, "code");
		p->name = mpull_str(o, "name");
		p->phone = mpull_str(o, "phone");
		p->link = mpull_str(o, "link");
		p->version = mpull_int(o, "version", &ok);
		if (!json_is_object(o) || !ok)
			return cause_set(cause, POS_FAIL, "the centre's "
			    "producer %s is not one", p->code != NULL ?
			    p->code : "?");
	}
	return POS_OK;
}

static int
mpull_take_products(struct mpull_run *r, const json_t *arr, char **cause)
{
	struct mdata_product *p;
	const json_t *o;
	size_t i;
	bool ok = true;

	json_array_foreach(arr, i, o) {
		if (r->nproducts == r->capproducts) {
			r->capproducts = r->capproducts == 0 ? 1024 :
			    r->capproducts * 2;
			r->products = xreallocarray(r->products,
			    r->capproducts, sizeof *r->products);
		}
		p = &r->products[r->nproducts++];
		p->code = mpull_str(o, "code");
		p->name = mpull_str(o, "name");
		p->price = mpull_int(o, "price", &ok);
		p->unit = mpull_str(o, "unit");
		p->barcode = mpull_str(o, "barcode");
		p->producer = mpull_str(o, "producer");
		p->active = json_is_true(json_object_get(o, "active"));
		p->version = mpull_int(o, "version", &ok);
		if (!json_is_object(o) || !ok ||
		    !json_is_boolean(json_object_get(o, "active")))
			return cause_set(cause, POS_FAIL, "the centre's "
			    "product %s is not one", p->code != NULL ?
			    p->code : "?");
	}
	return POS_OK;
}

/* What each producer is owed at all windows, in this store's currency. */
static int
mpull_take_owed(struct mpull_run *r, const json_t *page, char **cause)
{
	const json_t *arr = json_object_get(page, "owed"), *o;
	const char *cur = r->st->currency != NULL ? r->st->currency :
	    r->st->cfg->currency.code;
	bool ok = true;
	size_t i;

	if (!json_is_array(arr))
		return cause_set(cause, POS_FAIL, "the central server's owed "
		    "is not a list");
	free(r->owed);
	r->owed = xreallocarray(NULL, json_array_size(arr) + 1,
	    sizeof *r->owed);
	r->nowed = 0;
	json_array_foreach(arr, i, o) {
		const char *c = mpull_str(o, "currency");

		if (c == NULL || cur == NULL || strcmp(c, cur) != 0)
			continue;
		r->owed[r->nowed].code = mpull_str(o, "code");
		r->owed[r->nowed].owed = mpull_int(o, "owed", &ok);
		if (r->owed[r->nowed].code == NULL || !ok)
			return cause_set(cause, POS_FAIL, "the central "
			    "server's owed has a row that is not one");
		r->nowed++;
	}
	return POS_OK;
}

/* Take a page's rows; *next is its cursor (NULL: the last page). */
static int
mpull_take(struct mpull_run *r, json_t *page, const char **next,
    char **cause)
{
	const json_t *pr = json_object_get(page, "producers");
	const json_t *pd = json_object_get(page, "products");
	const json_t *more = json_object_get(page, "more");
	const char *as_of;
	int rc;

	*next = json_string_value(json_object_get(page, "next"));
	if (!json_is_array(pr) || !json_is_array(pd) ||
	    !json_is_boolean(more) || (json_is_true(more) && *next == NULL))
		return cause_set(cause, POS_FAIL, "the central server's "
		    "answer is not a page of master data");
	if (!json_is_true(more))
		*next = NULL;
	else if (json_array_size(pr) + json_array_size(pd) == 0)
		return cause_set(cause, POS_FAIL, "the central server's page "
		    "of master data is empty but says more follows");
	if ((as_of = mpull_str(page, "owed_as_of")) != NULL &&
	    json_is_true(json_object_get(page, "owed_unchanged")))
		r->owed_same = true;
	else if (as_of != NULL &&
	    (rc = mpull_take_owed(r, page, cause)) != POS_OK)
		return rc;
	if (as_of != NULL)
		r->owed_as_of = as_of;
	if ((rc = mpull_take_producers(r, pr, cause)) != POS_OK)
		return rc;
	return mpull_take_products(r, pd, cause);
}

/* Every page after since; *version is the first page's. */
static int
mpull_pages(struct mpull_run *r, int64_t since, int limit,
    int64_t *version, char **cause)
{
	const char *next = NULL;
	json_t *page;
	bool ok = true;
	int rc;

	do {
		if ((rc = mpull_get(r, since, limit, next, &page, cause)) !=
		    POS_OK)
			return rc;
		r->pages = xreallocarray(r->pages, r->npages + 1,
		    sizeof *r->pages);
		r->pages[r->npages++] = page;
		if (r->npages == 1) {
			*version = mpull_int(page, "version", &ok);
			if (!ok || *version < 0)
				return cause_set(cause, POS_FAIL, "the central "
				    "server's master data has no version");
		}
		if ((rc = mpull_take(r, page, &next, cause)) != POS_OK)
			return rc;
	} while (next != NULL);
	return POS_OK;
}

static void
mpull_run_free(struct mpull_run *r)
{
	for (size_t i = 0; i < r->npages; i++)
		json_decref(r->pages[i]);
	free(r->pages);
	free(r->producers);
	free(r->products);
	free(r->owed);
	free(r->owed_since);
	memset(r, 0, sizeof *r);
}

int
mpull_run(struct store *st, const struct outbox_opts *o,
    struct mpull_result *out, char **cause)
{
	int page = o->master_page;
	struct mdata_held held;
	struct mpull_run r;
	struct mdata_pull pull;
	int64_t version = 0;
	bool reset = false;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	r.st = st;
	r.cancel = o->cancel;
	r.attempts = o->attempts;
	if ((rc = mdata_held(st, &held, cause)) != POS_OK)
		return rc;
	out->since = held.version;
	if (held.owed_as_of != NULL && held.version > 0)
		r.owed_since = xstrdup(held.owed_as_of);
	mdata_held_clear(&held);
	if (page < 1 || page > MPULL_MAX_PAGE)
		page = MPULL_PAGE;
	rc = mpull_pages(&r, out->since, page, &version, cause);
	if (rc == POS_OK && version < out->since) {
		/* The centre's register is older than ours: all again. */
		mpull_run_free(&r);
		r.st = st;
		r.owed_since = NULL;
		r.cancel = o->cancel;
		r.attempts = o->attempts;
		out->since = 0;
		reset = true;
		rc = mpull_pages(&r, 0, page, &version, cause);
	}
	if (rc != POS_OK)
		goto out;
	memset(&pull, 0, sizeof pull);
	pull.version = version;
	pull.reset = reset;
	pull.owed_as_of = r.owed_as_of;
	pull.owed_same = r.owed_same;
	pull.owed = r.owed;
	pull.nowed = r.nowed;
	pull.producers = r.producers;
	pull.nproducers = r.nproducers;
	pull.products = r.products;
	pull.nproducts = r.nproducts;
	if ((rc = mdata_apply(st, &pull, &out->applied, cause)) == POS_OK)
		out->version = out->applied.repull ? 0 : version;
out:
	out->pages = (int64_t)r.npages;
	out->rows = (int64_t)(r.nproducers + r.nproducts);
	mpull_run_free(&r);
	return rc;
}

json_t *
mpull_result_json(const struct mpull_result *m)
{
	json_t *j = json_object();

	json_object_set_new(j, "since", json_integer(m->since));
	json_object_set_new(j, "version", json_integer(m->version));
	json_object_set_new(j, "pages", json_integer(m->pages));
	json_object_set_new(j, "rows", json_integer(m->rows));
	json_object_set_new(j, "added", json_integer(m->applied.added));
	json_object_set_new(j, "changed", json_integer(m->applied.changed));
	json_object_set_new(j, "conflicts", json_integer(m->applied.conflicts));
	json_object_set_new(j, "held_back", json_integer(m->applied.held_back));
	return j;
}
