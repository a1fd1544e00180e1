/*
 * What windows sent of their own producers and products, and the names
 * their journals use (cstore.h), dispatched to the backend as the rest
 * of the store is.
 */
#include "cstore_impl.h"

#include <stdlib.h>

int
cstore_lproducer_put(struct cstore *st, const struct cstore_lproducer *p,
    const char *round, char **cause)
{
	return st->ops->lproducer_put(st, p, round, cause);
}

int
cstore_lproduct_put(struct cstore *st, const struct cstore_lproduct *p,
    const char *round, char **cause)
{
	return st->ops->lproduct_put(st, p, round, cause);
}

int
cstore_local_prune(struct cstore *st, const char *branch, int64_t terminal,
    const char *round, char **cause)
{
	return st->ops->local_prune(st, branch, terminal, round, cause);
}

int
cstore_lproducers(struct cstore *st, struct cstore_lproducer **out,
    size_t *n, char **cause)
{
	return st->ops->lproducers(st, out, n, cause);
}

void
cstore_lproducers_free(struct cstore_lproducer *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].branch);
		free(p[i].code);
		free(p[i].name);
		free(p[i].phone);
		free(p[i].sent_at);
	}
	free(p);
}

int
cstore_lproducts(struct cstore *st, struct cstore_lproduct **out,
    size_t *n, char **cause)
{
	return st->ops->lproducts(st, out, n, cause);
}

void
cstore_lproducts_free(struct cstore_lproduct *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].branch);
		free(p[i].code);
		free(p[i].name);
		free(p[i].currency);
		free(p[i].unit);
		free(p[i].barcode);
		free(p[i].producer);
		free(p[i].sent_at);
	}
	free(p);
}

int
cstore_seen_refresh(struct cstore *st, char **cause)
{
	return st->ops->seen_refresh(st, cause);
}

int
cstore_seen_producers(struct cstore *st, struct cstore_seen **out,
    size_t *n, char **cause)
{
	return st->ops->seen_producers(st, out, n, cause);
}

int
cstore_seen_products(struct cstore *st, struct cstore_seen **out,
    size_t *n, char **cause)
{
	return st->ops->seen_products(st, out, n, cause);
}

void
cstore_seen_free(struct cstore_seen *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].branch);
		free(s[i].code);
		free(s[i].name);
		free(s[i].currency);
	}
	free(s);
}
