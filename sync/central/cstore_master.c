/*
 * The master-data part of the central store's interface (cstore.h),
 * dispatched to its backend as the rest is in cstore.c.
 */
#include "cstore_impl.h"

#include <stdlib.h>

int
cstore_master_bump(struct cstore *st, int64_t *version, char **cause)
{
	return st->ops->master_bump(st, version, cause);
}

int
cstore_master_version(struct cstore *st, int64_t *version, char **cause)
{
	return st->ops->master_version(st, version, cause);
}

int
cstore_master_raise(struct cstore *st, int64_t version, char **cause)
{
	return st->ops->master_raise(st, version, cause);
}

int
cstore_mproducer_put(struct cstore *st, const struct cstore_mproducer *p,
    char **cause)
{
	return st->ops->mproducer_put(st, p, cause);
}

int
cstore_mproducers(struct cstore *st, const char *code,
    struct cstore_mproducer **out, size_t *n, char **cause)
{
	return st->ops->mproducers(st, code, out, n, cause);
}

void
cstore_mproducers_free(struct cstore_mproducer *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].code);
		free(p[i].name);
		free(p[i].phone);
		free(p[i].updated_at);
	}
	free(p);
}

int
cstore_mproduct_put(struct cstore *st, const struct cstore_mproduct *p,
    char **cause)
{
	return st->ops->mproduct_put(st, p, cause);
}

int
cstore_mproducts(struct cstore *st, const char *code,
    struct cstore_mproduct **out, size_t *n, char **cause)
{
	return st->ops->mproducts(st, code, out, n, cause);
}

void
cstore_mproducts_free(struct cstore_mproduct *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].code);
		free(p[i].name);
		free(p[i].unit);
		free(p[i].barcode);
		free(p[i].producer);
		free(p[i].updated_at);
	}
	free(p);
}

int
cstore_mproducers_changed(struct cstore *st, int64_t since,
    int64_t after_version, const char *after_code, int64_t limit,
    struct cstore_mproducer **out, size_t *n, char **cause)
{
	return st->ops->mproducers_changed(st, since, after_version,
	    after_code, limit, out, n, cause);
}

int
cstore_mproducts_changed(struct cstore *st, int64_t since,
    int64_t after_version, const char *after_code, int64_t limit,
    struct cstore_mproduct **out, size_t *n, char **cause)
{
	return st->ops->mproducts_changed(st, since, after_version,
	    after_code, limit, out, n, cause);
}

int
cstore_merge_put(struct cstore *st, const struct cstore_merge *m,
    char **cause)
{
	return st->ops->merge_put(st, m, cause);
}

int
cstore_merges(struct cstore *st, struct cstore_merge **out, size_t *n,
    char **cause)
{
	return st->ops->merges(st, out, n, cause);
}

void
cstore_merges_free(struct cstore_merge *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].from);
		free(m[i].into);
		free(m[i].merged_at);
		free(m[i].undone_at);
	}
	free(m);
}

int
cstore_producer_products(struct cstore *st, const char *code,
    const char *from, const char *to, struct cstore_pproduct **out,
    size_t *n, char **cause)
{
	*out = NULL;
	*n = 0;
	return st->ops->producer_products(st, code, from, to, out, n, cause);
}

void
cstore_pproducts_free(struct cstore_pproduct *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].code);
		free(p[i].name);
		free(p[i].currency);
	}
	free(p);
}

int
cstore_plink_get(struct cstore *st, const char *code, int64_t *rotation,
    uint8_t hash[32], bool *issued, char **cause)
{
	*rotation = 0;
	*issued = false;
	return st->ops->plink_get(st, code, rotation, hash, issued, cause);
}

int
cstore_plink_put(struct cstore *st, const char *code, int64_t rotation,
    const uint8_t hash[32], char **cause)
{
	return st->ops->plink_put(st, code, rotation, hash, cause);
}

int
cstore_plink_find(struct cstore *st, const uint8_t digest[32], char **code,
    char **cause)
{
	*code = NULL;
	return st->ops->plink_find(st, digest, code, cause);
}
