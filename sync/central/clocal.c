/*
 * A window's own producers and products (clocal.h). The body is a small
 * JSON document read whole with jansson (it is bounded by the server's
 * body limit); every key is checked, unknown keys refused, and codes,
 * names and prices follow the register's rules (master.h), so what shows
 * at the centre as local to a window could be registered as it is.
 */
#include "clocal.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ingest_int.h"
#include "jsonmem.h"
#include "master.h"
#include "money.h"
#include "xalloc.h"

#define CLOCAL_MAX_REASONS	INGEST_MAX_REASONS

/* What a request says, checked; strings point into the JSON tree. */
struct clocal_page {
	const char		*branch;
	int64_t			 terminal;
	const char		*currency;
	int64_t			 decimals;
	const char		*round;
	bool			 last;
	struct cstore_lproducer	*producers;
	size_t			 nproducers;
	struct cstore_lproduct	*products;
	size_t			 nproducts;
};

static void
clocal_reason(json_t *reasons, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
clocal_reason(json_t *reasons, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (json_array_size(reasons) >= CLOCAL_MAX_REASONS)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	json_array_append_new(reasons, ingest_text(s));
	free(s);
}

/* Only the keys in allowed (NULL-terminated); others are reasons. */
static void
clocal_keys(json_t *obj, const char *const *allowed, const char *where,
    json_t *reasons)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		size_t i;

		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			clocal_reason(reasons, "%s%s: unknown key", where, key);
	}
}

/* A required code (the register's rule); NULL when it is not one. */
static const char *
clocal_code(json_t *obj, const char *key, const char *where, json_t *reasons)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		clocal_reason(reasons, "%s%s: missing", where, key);
		return NULL;
	}
	if (!json_is_string(v) || !master_code_valid(json_string_value(v))) {
		clocal_reason(reasons, "%s%s: must be 1-32 letters, digits, "
		    "'-', '_' or '.'", where, key);
		return NULL;
	}
	return json_string_value(v);
}

/* A required name: 1-120 characters of UTF-8, no control characters. */
static const char *
clocal_name(json_t *obj, const char *where, json_t *reasons)
{
	json_t *v = json_object_get(obj, "name");

	if (v == NULL) {
		clocal_reason(reasons, "%sname: missing", where);
		return NULL;
	}
	if (!json_is_string(v) || !master_name_valid(json_string_value(v))) {
		clocal_reason(reasons, "%sname: must be 1-%d characters of "
		    "UTF-8 without control characters", where,
		    MASTER_MAX_NAME);
		return NULL;
	}
	return json_string_value(v);
}

static void
clocal_producer(json_t *o, const char *where, struct cstore_lproducer *p,
    json_t *reasons)
{
	static const char *const keys[] = { "code", "name", "phone", NULL };
	json_t *ph;

	if (!json_is_object(o)) {
		clocal_reason(reasons, "%s must be an object", where);
		return;
	}
	clocal_keys(o, keys, where, reasons);
	p->code = (char *)clocal_code(o, "code", where, reasons);
	p->name = (char *)clocal_name(o, where, reasons);
	ph = json_object_get(o, "phone");
	if (ph == NULL || json_is_null(ph))
		return;
	if (!json_is_string(ph) || !master_name_valid(json_string_value(ph)) ||
	    strlen(json_string_value(ph)) > MASTER_MAX_PHONE)
		clocal_reason(reasons, "%sphone: must be null or at most %d "
		    "bytes without control characters", where,
		    MASTER_MAX_PHONE);
	else
		p->phone = (char *)json_string_value(ph);
}

static void
clocal_product(json_t *o, const char *where, struct cstore_lproduct *p,
    json_t *reasons)
{
	static const char *const keys[] = { "code", "name", "price", "unit",
	    "barcode", "producer", "active", NULL };
	json_t *v;

	if (!json_is_object(o)) {
		clocal_reason(reasons, "%s must be an object", where);
		return;
	}
	clocal_keys(o, keys, where, reasons);
	p->code = (char *)clocal_code(o, "code", where, reasons);
	p->name = (char *)clocal_name(o, where, reasons);
	p->producer = (char *)clocal_code(o, "producer", where, reasons);
	v = json_object_get(o, "price");
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > MONEY_LIMIT)
		clocal_reason(reasons, "%sprice: must be an integer of minor "
		    "units, 0 to %lld", where, (long long)MONEY_LIMIT);
	else
		p->price = json_integer_value(v);
	v = json_object_get(o, "unit");
	if (!json_is_string(v) || (strcmp(json_string_value(v), "piece") != 0 &&
	    strcmp(json_string_value(v), "kg") != 0))
		clocal_reason(reasons, "%sunit: must be \"piece\" or \"kg\"",
		    where);
	else
		p->unit = (char *)json_string_value(v);
	v = json_object_get(o, "active");
	if (!json_is_boolean(v))
		clocal_reason(reasons, "%sactive: must be true or false",
		    where);
	else
		p->active = json_is_true(v);
	v = json_object_get(o, "barcode");
	if (v != NULL && !json_is_null(v))
		p->barcode = (char *)clocal_code(o, "barcode", where, reasons);
}

/* The codes of one array, each once. */
static void
clocal_unique(const char *what, const char *const *codes, size_t n,
    json_t *reasons)
{
	for (size_t i = 1; i < n; i++)
		for (size_t k = 0; k < i && codes[i] != NULL; k++) {
			if (codes[k] == NULL || strcmp(codes[i], codes[k]) != 0)
				continue;
			clocal_reason(reasons, "%s[%zu].code: %s is also "
			    "%s[%zu]", what, i, codes[i], what, k);
			break;
		}
}

static void
clocal_rows(json_t *doc, struct clocal_page *pg, json_t *reasons)
{
	json_t *pa = json_object_get(doc, "producers"),
	    *qa = json_object_get(doc, "products");
	const char **codes;
	char where[48];

	if (!json_is_array(pa))
		clocal_reason(reasons, "producers: %s", pa == NULL ? "missing" :
		    "must be an array");
	if (!json_is_array(qa))
		clocal_reason(reasons, "products: %s", qa == NULL ? "missing" :
		    "must be an array");
	if (!json_is_array(pa) || !json_is_array(qa))
		return;
	if (json_array_size(pa) + json_array_size(qa) > CLOCAL_MAX_ROWS) {
		clocal_reason(reasons, "producers and products: %zu rows, more "
		    "than the limit of %d a request", json_array_size(pa) +
		    json_array_size(qa), CLOCAL_MAX_ROWS);
		return;
	}
	pg->nproducers = json_array_size(pa);
	pg->nproducts = json_array_size(qa);
	pg->producers = xcalloc(pg->nproducers + 1, sizeof *pg->producers);
	pg->products = xcalloc(pg->nproducts + 1, sizeof *pg->products);
	codes = xcalloc(pg->nproducers + pg->nproducts + 1, sizeof *codes);
	for (size_t i = 0; i < pg->nproducers; i++) {
		snprintf(where, sizeof where, "producers[%zu].", i);
		clocal_producer(json_array_get(pa, i), where, &pg->producers[i],
		    reasons);
		codes[i] = pg->producers[i].code;
	}
	clocal_unique("producers", codes, pg->nproducers, reasons);
	for (size_t i = 0; i < pg->nproducts; i++) {
		snprintf(where, sizeof where, "products[%zu].", i);
		clocal_product(json_array_get(qa, i), where, &pg->products[i],
		    reasons);
		codes[i] = pg->products[i].code;
	}
	clocal_unique("products", codes, pg->nproducts, reasons);
	free(codes);
}

/* The envelope: format, branch, terminal, currency, round, last. */
static void
clocal_envelope(json_t *doc, struct clocal_page *pg, json_t *reasons)
{
	static const char *const keys[] = { "format", "branch", "terminal",
	    "currency", "decimals", "round", "last", "producers", "products",
	    NULL };
	json_t *v;
	const char *r;

	clocal_keys(doc, keys, "", reasons);
	v = json_object_get(doc, "format");
	if (!json_is_integer(v) || json_integer_value(v) != CLOCAL_FORMAT)
		clocal_reason(reasons, "format: %s", v == NULL ? "missing" :
		    "unsupported; this server accepts format 1");
	pg->branch = clocal_code(doc, "branch", "", reasons);
	v = json_object_get(doc, "terminal");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 999)
		clocal_reason(reasons, "terminal: must be an integer 1..999");
	else
		pg->terminal = json_integer_value(v);
	v = json_object_get(doc, "currency");
	r = json_is_string(v) ? json_string_value(v) : "";
	if (strlen(r) != 3 || strspn(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		clocal_reason(reasons, "currency: must be a code of 3 capital "
		    "letters");
	else
		pg->currency = r;
	v = json_object_get(doc, "decimals");
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 4)
		clocal_reason(reasons, "decimals: must be an integer 0..4");
	else
		pg->decimals = json_integer_value(v);
	v = json_object_get(doc, "round");
	r = json_is_string(v) ? json_string_value(v) : "";
	if (strlen(r) != 64 || strspn(r, "0123456789abcdef") != 64)
		clocal_reason(reasons, "round: must be 64 lowercase hex "
		    "digits");
	else
		pg->round = r;
	v = json_object_get(doc, "last");
	if (!json_is_boolean(v))
		clocal_reason(reasons, "last: must be true or false");
	else
		pg->last = json_is_true(v);
}

/* Store a checked page in one write transaction. */
static int
clocal_store(struct cstore *st, struct clocal_page *pg, char **cause)
{
	char now[21];
	int rc;

	cstore_now(now);
	if ((rc = cstore_begin(st, true, cause)) != POS_OK)
		return rc;
	for (size_t i = 0; rc == POS_OK && i < pg->nproducers; i++) {
		struct cstore_lproducer *p = &pg->producers[i];

		p->branch = (char *)pg->branch;
		p->terminal = pg->terminal;
		p->sent_at = now;
		rc = cstore_lproducer_put(st, p, pg->round, cause);
	}
	for (size_t i = 0; rc == POS_OK && i < pg->nproducts; i++) {
		struct cstore_lproduct *p = &pg->products[i];

		p->branch = (char *)pg->branch;
		p->terminal = pg->terminal;
		p->currency = (char *)pg->currency;
		p->decimals = pg->decimals;
		p->sent_at = now;
		rc = cstore_lproduct_put(st, p, pg->round, cause);
	}
	if (rc == POS_OK && pg->last)
		rc = cstore_local_prune(st, pg->branch, pg->terminal, pg->round,
		    cause);
	if (rc == POS_OK)
		rc = cstore_commit(st, cause);
	cstore_rollback(st);
	return rc;
}

static void
clocal_answer(const struct clocal_page *pg, struct ingest_answer *out)
{
	json_t *j = json_object();
	char *s;

	json_object_set_new(j, "ok", json_true());
	json_object_set_new(j, "branch", json_string(pg->branch));
	json_object_set_new(j, "terminal", json_integer(pg->terminal));
	json_object_set_new(j, "round", json_string(pg->round));
	json_object_set_new(j, "last", json_boolean(pg->last));
	json_object_set_new(j, "producers",
	    json_integer((json_int_t)pg->nproducers));
	json_object_set_new(j, "products",
	    json_integer((json_int_t)pg->nproducts));
	if ((s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		xalloc_fatal("json_dumps");
	json_decref(j);
	out->status = 200;
	out->body = xstrdup(s);
	jsonmem_free(s);
}

void
clocal_post(struct cstore *st, const char *branch, const char *body,
    size_t len, struct ingest_answer *out)
{
	struct clocal_page pg;
	json_error_t jerr;
	json_t *doc, *reasons = json_array();
	char *cause = NULL, *msg;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&pg, 0, sizeof pg);
	doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL)
		clocal_reason(reasons, "body: not valid JSON: %s (at byte %d)",
		    jerr.text, jerr.position);
	else if (!json_is_object(doc))
		clocal_reason(reasons, "body: must be a JSON object");
	else {
		clocal_envelope(doc, &pg, reasons);
		/* Authority before content, as for a batch. */
		if (pg.branch != NULL && strcmp(pg.branch, branch) != 0) {
			msg = xasprintf("this token is for branch %s, not %s",
			    branch, pg.branch);
			ingest_error(403, msg, out);
			free(msg);
			goto out;
		}
		clocal_rows(doc, &pg, reasons);
	}
	if (json_array_size(reasons) > 0) {
		json_t *j = json_object();
		char *s;

		json_object_set_new(j, "error", json_string("invalid master "
		    "data"));
		json_object_set(j, "reasons", reasons);
		if ((s = json_dumps(j, JSON_COMPACT)) == NULL)
			xalloc_fatal("json_dumps");
		json_decref(j);
		out->status = 400;
		out->body = xstrdup(s);
		jsonmem_free(s);
		goto out;
	}
	if ((rc = clocal_store(st, &pg, &cause)) != POS_OK) {
		msg = xasprintf("the central store failed: %s", cause != NULL ?
		    cause : "unknown error");
		ingest_error(rc == CSTORE_BUSY ? 503 : 500, rc == CSTORE_BUSY ?
		    "the central store is busy: try again" : msg, out);
		free(msg);
		goto out;
	}
	clocal_answer(&pg, out);
out:
	free(pg.producers);
	free(pg.products);
	json_decref(reasons);
	json_decref(doc);
	free(cause);
}
