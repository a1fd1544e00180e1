/*
 * `pos-central migrate`: one central store copied into another (a SQLite
 * file into PostgreSQL), through cstore.h only.
 */
#ifndef POS_CMIGRATE_H
#define POS_CMIGRATE_H

#include <stdint.h>

#include "cstore.h"

struct cmigrate_result {
	int64_t	 branches;	/* added to the destination */
	int64_t	 chains;	/* chains read */
	int64_t	 copied;	/* entries stored in the destination */
	int64_t	 skipped;	/* entries the destination had already */
	int64_t	 master;	/* producers, products and merges copied */
	int64_t	 accounts;	/* office users and API tokens added */
	int64_t	 rejections;	/* entries the source rejected, copied */
};

/*
 * Copy every branch (with its token's digest and revocation), the master
 * data (producers, products, merges, with their versions), the office's
 * users and API tokens (those the destination has by name are left; login
 * sessions are not copied), the entries the source rejected (for the
 * office to chase; idempotency keys are not copied), every
 * chain and its entries, lines and payments from src into dst. Each
 * entry is checked as it arrives (seq, prev_hash, its hash, validity);
 * a chain the destination has already is continued from its head, so a
 * second run skips what the first copied. POS_FAIL with *cause at the
 * first broken chain or a destination that disagrees with the source.
 */
int	 cmigrate_copy(struct cstore *src, struct cstore *dst,
	    struct cmigrate_result *out, char **cause);

#endif
