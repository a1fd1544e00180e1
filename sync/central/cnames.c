/*
 * Codes and their names at the register and at each window (cnames.h).
 * The store gives every list sorted by code (then branch and terminal) in
 * byte order, so a code's rows are found by binary search.
 */
#include "cnames.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "xalloc.h"

int
cnames_read(struct cstore *st, unsigned seen, struct cnames *out,
    char **cause)
{
	int rc;

	memset(out, 0, sizeof *out);
	if (seen != 0) {
		if ((rc = cstore_begin(st, true, cause)) == POS_OK &&
		    (rc = cstore_seen_refresh(st, cause)) == POS_OK)
			rc = cstore_commit(st, cause);
		cstore_rollback(st);
		if (rc != POS_OK)
			return rc;
	}
	if ((rc = cstore_begin(st, false, cause)) == POS_OK &&
	    (rc = cstore_mproducers(st, NULL, &out->producers,
	    &out->nproducers, cause)) == POS_OK &&
	    (rc = cstore_mproducts(st, NULL, &out->products, &out->nproducts,
	    cause)) == POS_OK &&
	    (rc = cstore_merges(st, &out->merges, &out->nmerges, cause)) ==
	    POS_OK &&
	    (rc = cstore_lproducers(st, &out->lproducers, &out->nlproducers,
	    cause)) == POS_OK &&
	    (rc = cstore_lproducts(st, &out->lproducts, &out->nlproducts,
	    cause)) == POS_OK &&
	    ((seen & CNAMES_SEEN_PRODUCERS) == 0 ||
	    (rc = cstore_seen_producers(st, &out->sproducers,
	    &out->nsproducers, cause)) == POS_OK) &&
	    (seen & CNAMES_SEEN_PRODUCTS) != 0)
		rc = cstore_seen_products(st, &out->sproducts, &out->nsproducts,
		    cause);
	cstore_rollback(st);
	if (rc != POS_OK)
		cnames_free(out);
	return rc;
}

void
cnames_free(struct cnames *c)
{
	cstore_mproducers_free(c->producers, c->nproducers);
	cstore_mproducts_free(c->products, c->nproducts);
	cstore_merges_free(c->merges, c->nmerges);
	cstore_lproducers_free(c->lproducers, c->nlproducers);
	cstore_lproducts_free(c->lproducts, c->nlproducts);
	cstore_seen_free(c->sproducers, c->nsproducers);
	cstore_seen_free(c->sproducts, c->nsproducts);
	memset(c, 0, sizeof *c);
}

/* ---- lookups ---- */

static int
cnames_cmp_mproducer(const void *key, const void *row)
{
	return strcmp(key, ((const struct cstore_mproducer *)row)->code);
}

static int
cnames_cmp_mproduct(const void *key, const void *row)
{
	return strcmp(key, ((const struct cstore_mproduct *)row)->code);
}

static bool
cnames_registered_producer(const struct cnames *c, const char *code)
{
	return c->nproducers > 0 && bsearch(code, c->producers, c->nproducers,
	    sizeof *c->producers, cnames_cmp_mproducer) != NULL;
}

static const struct cstore_mproduct *
cnames_registered_product(const struct cnames *c, const char *code)
{
	if (c->nproducts == 0)
		return NULL;
	return bsearch(code, c->products, c->nproducts, sizeof *c->products,
	    cnames_cmp_mproduct);
}

/* FROM of a merge in force. */
static bool
cnames_merged(const struct cnames *c, const char *code)
{
	for (size_t i = 0; i < c->nmerges; i++)
		if (c->merges[i].undone_at == NULL &&
		    strcmp(c->merges[i].from, code) == 0)
			return true;
	return false;
}

/* A window's place in the sort order: code, then branch, then terminal. */
struct cnames_key {
	const char	*code;
	const char	*branch;
	int64_t		 terminal;
};

static int
cnames_keycmp(const struct cnames_key *k, const char *code,
    const char *branch, int64_t terminal)
{
	int d;

	if ((d = strcmp(k->code, code)) != 0 ||
	    (d = strcmp(k->branch, branch)) != 0)
		return d;
	return k->terminal < terminal ? -1 : k->terminal > terminal;
}

static int
cnames_cmp_lproducer(const void *key, const void *row)
{
	const struct cstore_lproducer *p = row;

	return cnames_keycmp(key, p->code, p->branch, p->terminal);
}

static int
cnames_cmp_lproduct(const void *key, const void *row)
{
	const struct cstore_lproduct *p = row;

	return cnames_keycmp(key, p->code, p->branch, p->terminal);
}

static const struct cstore_lproducer *
cnames_lproducer(const struct cnames *c, const struct cstore_seen *s)
{
	struct cnames_key k = { s->code, s->branch, s->terminal };

	if (c->nlproducers == 0)
		return NULL;
	return bsearch(&k, c->lproducers, c->nlproducers,
	    sizeof *c->lproducers, cnames_cmp_lproducer);
}

static const struct cstore_lproduct *
cnames_lproduct(const struct cnames *c, const struct cstore_seen *s)
{
	struct cnames_key k = { s->code, s->branch, s->terminal };

	if (c->nlproducts == 0)
		return NULL;
	return bsearch(&k, c->lproducts, c->nlproducts, sizeof *c->lproducts,
	    cnames_cmp_lproduct);
}

/* ---- local rows and window prices ---- */

json_t *
cnames_local_producers(const struct cnames *c)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < c->nlproducers; i++) {
		const struct cstore_lproducer *p = &c->lproducers[i];
		json_t *o;

		if (cnames_registered_producer(c, p->code) ||
		    cnames_merged(c, p->code))
			continue;
		o = json_object();
		json_object_set_new(o, "code", json_string(p->code));
		json_object_set_new(o, "name", json_string(p->name));
		json_object_set_new(o, "phone", p->phone != NULL ?
		    json_string(p->phone) : json_null());
		json_object_set_new(o, "branch", json_string(p->branch));
		json_object_set_new(o, "terminal", json_integer(p->terminal));
		json_object_set_new(o, "sent_at", json_string(p->sent_at));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *
cnames_local_products(const struct cnames *c)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < c->nlproducts; i++) {
		const struct cstore_lproduct *p = &c->lproducts[i];
		json_t *o;

		if (cnames_registered_product(c, p->code) != NULL)
			continue;
		o = json_object();
		json_object_set_new(o, "code", json_string(p->code));
		json_object_set_new(o, "name", json_string(p->name));
		json_object_set_new(o, "price", money_json(p->price,
		    (int)p->decimals));
		json_object_set_new(o, "currency", json_string(p->currency));
		json_object_set_new(o, "decimals", json_integer(p->decimals));
		json_object_set_new(o, "unit", json_string(p->unit));
		json_object_set_new(o, "barcode", p->barcode != NULL ?
		    json_string(p->barcode) : json_null());
		json_object_set_new(o, "producer", json_string(p->producer));
		json_object_set_new(o, "active", json_boolean(p->active));
		json_object_set_new(o, "branch", json_string(p->branch));
		json_object_set_new(o, "terminal", json_integer(p->terminal));
		json_object_set_new(o, "sent_at", json_string(p->sent_at));
		json_array_append_new(arr, o);
	}
	return arr;
}

static void
cnames_price_add(json_t *arr, const char *branch, int64_t terminal,
    int64_t price, const char *currency, int64_t decimals,
    const char *source)
{
	json_t *o = json_object();

	json_object_set_new(o, "branch", json_string(branch));
	json_object_set_new(o, "terminal", json_integer(terminal));
	json_object_set_new(o, "price", money_json(price, (int)decimals));
	json_object_set_new(o, "currency", json_string(currency));
	json_object_set_new(o, "decimals", json_integer(decimals));
	json_object_set_new(o, "source", json_string(source));
	json_array_append_new(arr, o);
}

/* The index of the first row of code in a list sorted by code. */
#define CNAMES_FIRST(arr, n, key, lo)					\
	do {								\
		size_t hi_ = (n);					\
		(lo) = 0;						\
		while ((lo) < hi_) {					\
			size_t mid_ = (lo) + (hi_ - (lo)) / 2;		\
			if (strcmp((arr)[mid_].code, (key)) < 0)	\
				(lo) = mid_ + 1;			\
			else						\
				hi_ = mid_;				\
		}							\
	} while (0)

json_t *
cnames_window_prices(const struct cnames *c, const struct cstore_mproduct *p,
    int decimals)
{
	json_t *arr = json_array();
	size_t i;

	CNAMES_FIRST(c->lproducts, c->nlproducts, p->code, i);
	for (; i < c->nlproducts && strcmp(c->lproducts[i].code, p->code) ==
	    0; i++) {
		const struct cstore_lproduct *l = &c->lproducts[i];

		if (l->price != p->price || l->decimals != decimals)
			cnames_price_add(arr, l->branch, l->terminal, l->price,
			    l->currency, l->decimals, "local");
	}
	CNAMES_FIRST(c->sproducts, c->nsproducts, p->code, i);
	for (; i < c->nsproducts && strcmp(c->sproducts[i].code, p->code) ==
	    0; i++) {
		const struct cstore_seen *s = &c->sproducts[i];

		if (cnames_lproduct(c, s) != NULL)
			continue;	/* the window's own row says more */
		if (s->price != p->price || s->decimals != decimals)
			cnames_price_add(arr, s->branch, s->terminal, s->price,
			    s->currency, s->decimals, "journal");
	}
	return arr;
}

/* ---- conflicts ---- */

/* One place a code has a name. */
struct cnames_sight {
	const char	*code;
	const char	*name;
	const char	*source;	/* "register", "local", "journal" */
	const char	*branch;	/* NULL for the register */
	int64_t		 terminal;
};

struct cnames_sights {
	struct cnames_sight	*v;
	size_t			 n, cap;
};

static void
cnames_sight(struct cnames_sights *s, const char *code, const char *name,
    const char *source, const char *branch, int64_t terminal)
{
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 64 : s->cap * 2;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->v[s->n++] = (struct cnames_sight){ code, name, source, branch,
	    terminal };
}

/* By code; the register first, then windows by branch and terminal. */
static int
cnames_sight_cmp(const void *a, const void *b)
{
	const struct cnames_sight *x = a, *y = b;
	int d;

	if ((d = strcmp(x->code, y->code)) != 0)
		return d;
	if ((x->branch == NULL) != (y->branch == NULL))
		return x->branch == NULL ? -1 : 1;
	if (x->branch == NULL)
		return 0;
	if ((d = strcmp(x->branch, y->branch)) != 0)
		return d;
	return x->terminal < y->terminal ? -1 : x->terminal > y->terminal;
}

static json_t *
cnames_source_json(const struct cnames_sight *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "source", json_string(s->source));
	json_object_set_new(o, "branch", s->branch != NULL ?
	    json_string(s->branch) : json_null());
	json_object_set_new(o, "terminal", s->branch != NULL ?
	    json_integer(s->terminal) : json_null());
	return o;
}

/* The entry of name in names, made (its sources empty) if new. */
static json_t *
cnames_entry(json_t *names, const char *name)
{
	json_t *o;
	size_t i;

	json_array_foreach(names, i, o)
		if (strcmp(json_string_value(json_object_get(o, "name")),
		    name) == 0)
			return o;
	o = json_object();
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "sources", json_array());
	json_array_append_new(names, o);
	return o;
}

/* The code of v[0..n) when it has more than one name, else NULL. */
static json_t *
cnames_group(const struct cnames_sight *v, size_t n)
{
	json_t *names = json_array(), *o;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(json_object_get(cnames_entry(names,
		    v[i].name), "sources"), cnames_source_json(&v[i]));
	if (json_array_size(names) < 2) {
		json_decref(names);
		return NULL;
	}
	o = json_object();
	json_object_set_new(o, "code", json_string(v[0].code));
	json_object_set_new(o, "names", names);
	return o;
}

static json_t *
cnames_groups(struct cnames_sights *s)
{
	json_t *arr = json_array(), *g;
	size_t i = 0, k;

	if (s->n > 0)
		qsort(s->v, s->n, sizeof *s->v, cnames_sight_cmp);
	while (i < s->n) {
		for (k = i + 1; k < s->n &&
		    strcmp(s->v[k].code, s->v[i].code) == 0; k++)
			;
		if ((g = cnames_group(s->v + i, k - i)) != NULL)
			json_array_append_new(arr, g);
		i = k;
	}
	free(s->v);
	return arr;
}

static json_t *
cnames_producer_conflicts(const struct cnames *c)
{
	struct cnames_sights s = { 0 };

	for (size_t i = 0; i < c->nproducers; i++)
		if (!cnames_merged(c, c->producers[i].code))
			cnames_sight(&s, c->producers[i].code,
			    c->producers[i].name, "register", NULL, 0);
	for (size_t i = 0; i < c->nlproducers; i++) {
		const struct cstore_lproducer *p = &c->lproducers[i];

		if (!cnames_merged(c, p->code))
			cnames_sight(&s, p->code, p->name, "local", p->branch,
			    p->terminal);
	}
	for (size_t i = 0; i < c->nsproducers; i++) {
		const struct cstore_seen *p = &c->sproducers[i];

		if (!cnames_merged(c, p->code) &&
		    cnames_lproducer(c, p) == NULL)
			cnames_sight(&s, p->code, p->name, "journal", p->branch,
			    p->terminal);
	}
	return cnames_groups(&s);
}

static json_t *
cnames_product_conflicts(const struct cnames *c)
{
	struct cnames_sights s = { 0 };

	for (size_t i = 0; i < c->nproducts; i++)
		cnames_sight(&s, c->products[i].code, c->products[i].name,
		    "register", NULL, 0);
	for (size_t i = 0; i < c->nlproducts; i++)
		cnames_sight(&s, c->lproducts[i].code, c->lproducts[i].name,
		    "local", c->lproducts[i].branch, c->lproducts[i].terminal);
	for (size_t i = 0; i < c->nsproducts; i++) {
		const struct cstore_seen *p = &c->sproducts[i];

		if (cnames_lproduct(c, p) == NULL)
			cnames_sight(&s, p->code, p->name, "journal", p->branch,
			    p->terminal);
	}
	return cnames_groups(&s);
}

json_t *
cnames_conflicts(const struct cnames *c)
{
	json_t *j = json_object(), *p = cnames_producer_conflicts(c),
	    *q = cnames_product_conflicts(c);

	json_object_set_new(j, "conflicts", json_integer((json_int_t)
	    (json_array_size(p) + json_array_size(q))));
	json_object_set_new(j, "producers", p);
	json_object_set_new(j, "products", q);
	return j;
}

static void
cnames_text_kind(const char *what, const json_t *arr, FILE *out)
{
	size_t i, k, m;
	json_t *g, *n, *src;

	json_array_foreach(arr, i, g) {
		fprintf(out, "%s %s\n", what,
		    json_string_value(json_object_get(g, "code")));
		json_array_foreach(json_object_get(g, "names"), k, n) {
			fprintf(out, "  \"%s\":",
			    json_string_value(json_object_get(n, "name")));
			json_array_foreach(json_object_get(n, "sources"), m,
			    src) {
				const char *s = json_string_value(
				    json_object_get(src, "source"));

				if (strcmp(s, "register") == 0)
					fprintf(out, "%s register", m > 0 ?
					    ";" : "");
				else
					fprintf(out, "%s %s/%lld (%s)", m > 0 ?
					    ";" : "", json_string_value(
					    json_object_get(src, "branch")),
					    (long long)json_integer_value(
					    json_object_get(src, "terminal")),
					    s);
			}
			fputc('\n', out);
		}
	}
}

void
cnames_conflicts_text(const json_t *j, FILE *out)
{
	cnames_text_kind("producer", json_object_get(j, "producers"), out);
	cnames_text_kind("product", json_object_get(j, "products"), out);
	fprintf(out, "%lld conflicts\n", (long long)json_integer_value(
	    json_object_get(j, "conflicts")));
}
