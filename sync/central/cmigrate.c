/*
 * The copy behind `pos-central migrate`. Branches first (the chains refer
 * to them), the master data and what windows sent of their own, then
 * each chain in batches of CMIGRATE_BATCH
 * entries, one destination transaction each, the chain's head moved with
 * them: an interrupted run leaves whole batches, and the next one
 * continues from the destination's head.
 */
#include "cmigrate.h"

#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "xalloc.h"

#define CMIGRATE_BATCH	1000

struct chain_copy {
	struct cstore			*dst;
	const struct cstore_chain	*c;
	struct cmigrate_result		*res;
	int64_t		 dst_seq;	/* the destination's head when we began */
	char		 dst_head[LEDGER_HASH_HEX];
	int64_t		 seq;		/* last entry read and checked */
	char		 head[LEDGER_HASH_HEX];
	int64_t		 in_batch;
	bool		 open;		/* a destination transaction */
	char		*cause;
};

/* Close the batch: move the chain's head to the last entry stored. */
static int
chain_flush(struct chain_copy *cc, const char *received_at)
{
	int rc;

	if (!cc->open)
		return POS_OK;
	cc->open = false;
	cc->in_batch = 0;
	if ((rc = cstore_put_head(cc->dst, cc->c->branch, cc->c->terminal,
	    cc->seq, cc->head, received_at, &cc->cause)) != POS_OK ||
	    (rc = cstore_commit(cc->dst, &cc->cause)) != POS_OK) {
		cstore_rollback(cc->dst);
		return rc;
	}
	return POS_OK;
}

static int
chain_entry(void *arg, const struct ledger_entry *e, const char *received_at)
{
	struct chain_copy *cc = arg;
	char *why = NULL;
	int64_t seq;
	char head[LEDGER_HASH_HEX];
	int rc;

	if (e->seq != cc->seq + 1)
		return cause_set(&cc->cause, POS_FAIL, "%s/%lld: seq %lld where "
		    "%lld was expected", cc->c->branch,
		    (long long)cc->c->terminal, (long long)e->seq,
		    (long long)cc->seq + 1);
	if (strcmp(e->prev_hash, cc->head) != 0)
		return cause_set(&cc->cause, POS_FAIL, "%s/%lld: seq %lld: "
		    "prev_hash does not match the previous hash",
		    cc->c->branch, (long long)cc->c->terminal,
		    (long long)e->seq);
	if (ledger_validate(e, &why) != 0 || !ledger_check(e)) {
		rc = cause_set(&cc->cause, POS_FAIL, "%s/%lld: seq %lld: %s",
		    cc->c->branch, (long long)cc->c->terminal,
		    (long long)e->seq, why != NULL ? why :
		    "hash does not match the stored entry");
		free(why);
		return rc;
	}
	cc->seq = e->seq;
	memcpy(cc->head, e->hash, LEDGER_HASH_HEX);
	if (e->seq <= cc->dst_seq) {
		/* Copied by an earlier run: it must be the same chain. */
		if (e->seq == cc->dst_seq && strcmp(e->hash, cc->dst_head) != 0)
			return cause_set(&cc->cause, POS_FAIL, "%s/%lld: the "
			    "destination's chain differs from the source's "
			    "at seq %lld", cc->c->branch,
			    (long long)cc->c->terminal, (long long)e->seq);
		cc->res->skipped++;
		return 0;
	}
	if (!cc->open) {
		if ((rc = cstore_begin(cc->dst, true, &cc->cause)) != POS_OK)
			return rc;
		cc->open = true;
		/* Nobody else writes it meanwhile: the head is locked. */
		if ((rc = cstore_head(cc->dst, cc->c->branch, cc->c->terminal,
		    &seq, head, &cc->cause)) != POS_OK)
			return rc;
		if (seq != e->seq - 1 || strcmp(head, e->prev_hash) != 0)
			return cause_set(&cc->cause, POS_FAIL, "%s/%lld: the "
			    "destination's chain moved while copying",
			    cc->c->branch, (long long)cc->c->terminal);
		/* The chain's row first: entries refer to it. */
		if (seq == 0 && (rc = cstore_put_head(cc->dst, cc->c->branch,
		    cc->c->terminal, e->seq, e->hash, cc->c->first_received,
		    &cc->cause)) != POS_OK)
			return rc;
	}
	rc = cstore_insert(cc->dst, e, received_at, &cc->cause);
	if (rc == CSTORE_EXISTS)
		return cause_set(&cc->cause, POS_FAIL, "%s/%lld: seq %lld: "
		    "its UUID %s is stored in another chain", cc->c->branch,
		    (long long)cc->c->terminal, (long long)e->seq, e->uuid);
	if (rc != POS_OK)
		return rc;
	cc->res->copied++;
	if (++cc->in_batch >= CMIGRATE_BATCH)
		return chain_flush(cc, received_at);
	return 0;
}

static int
copy_chain(struct cstore *src, struct cstore *dst,
    const struct cstore_chain *c, struct cmigrate_result *res, char **cause)
{
	struct chain_copy cc;
	int rc;

	memset(&cc, 0, sizeof cc);
	cc.dst = dst;
	cc.c = c;
	cc.res = res;
	memcpy(cc.head, ledger_genesis, LEDGER_HASH_HEX);
	if ((rc = cstore_head(dst, c->branch, c->terminal, &cc.dst_seq,
	    cc.dst_head, cause)) != POS_OK)
		return rc;
	if (cc.dst_seq > c->last_seq)
		return cause_set(cause, POS_FAIL, "%s/%lld: the destination "
		    "has %lld entries, the source only %lld", c->branch,
		    (long long)c->terminal, (long long)cc.dst_seq,
		    (long long)c->last_seq);
	rc = cstore_each_received(src, c->branch, c->terminal, chain_entry,
	    &cc, cause);
	if (rc == POS_OK && cc.seq != c->last_seq)
		rc = cause_set(&cc.cause, POS_FAIL, "%s/%lld: the source's "
		    "head says seq %lld, its entries end at %lld", c->branch,
		    (long long)c->terminal, (long long)c->last_seq,
		    (long long)cc.seq);
	if (rc == POS_OK)
		rc = chain_flush(&cc, c->last_received);
	if (cc.open)
		cstore_rollback(dst);
	if (rc != POS_OK && cc.cause != NULL) {
		free(*cause);
		*cause = cc.cause;
		cc.cause = NULL;
	}
	free(cc.cause);
	return rc == POS_OK ? POS_OK : (rc == CSTORE_BUSY ? rc : POS_FAIL);
}

static int
copy_branches(struct cstore *src, struct cstore *dst,
    struct cmigrate_result *res, char **cause)
{
	struct cstore_branch *sb = NULL, *db = NULL;
	size_t ns = 0, nd = 0;
	int rc;

	if ((rc = cstore_branches(src, &sb, &ns, cause)) != POS_OK)
		return rc;
	if ((rc = cstore_begin(dst, true, cause)) != POS_OK)
		goto out;
	if ((rc = cstore_branches(dst, &db, &nd, cause)) != POS_OK)
		goto out;
	for (size_t i = 0; i < ns && rc == POS_OK; i++) {
		const struct cstore_branch *b = &sb[i], *have = NULL;

		for (size_t k = 0; k < nd && have == NULL; k++)
			if (strcmp(db[k].code, b->code) == 0)
				have = &db[k];
		if (have != NULL && memcmp(have->token_hash, b->token_hash,
		    TOKEN_DIGEST) != 0) {
			rc = cause_set(cause, POS_FAIL, "branch %s: the "
			    "destination has another token for it", b->code);
			break;
		}
		if (have == NULL) {
			rc = cstore_branch_add(dst, b->code, b->name,
			    b->token_hash, b->created_at, cause);
			res->branches++;
		}
		if (rc == POS_OK && b->revoked_at != NULL &&
		    (have == NULL || have->revoked_at == NULL))
			rc = cstore_branch_revoke(dst, b->code, b->revoked_at,
			    cause);
	}
	if (rc == POS_OK)
		rc = cstore_commit(dst, cause);
out:
	cstore_rollback(dst);
	cstore_branches_free(sb, ns);
	cstore_branches_free(db, nd);
	return rc;
}

/* A producer's page link as stored: its rotation and token hash. */
struct copy_link {
	int64_t	 rotation;
	uint8_t	 hash[TOKEN_DIGEST];
	bool	 issued;
};

/*
 * The master data in one destination transaction, rows as they are (their
 * versions and times kept, producers' page links too), the version
 * counter at least the source's: a second run writes the same rows again.
 */
static int
copy_master(struct cstore *src, struct cstore *dst,
    struct cmigrate_result *res, char **cause)
{
	struct cstore_mproducer *r = NULL;
	struct cstore_mproduct *p = NULL;
	struct cstore_merge *m = NULL;
	struct copy_link *links = NULL;
	size_t nr = 0, np = 0, nm = 0;
	int64_t version = 0;
	int rc;

	if ((rc = cstore_begin(src, false, cause)) == POS_OK &&
	    (rc = cstore_master_version(src, &version, cause)) == POS_OK &&
	    (rc = cstore_mproducers(src, NULL, &r, &nr, cause)) == POS_OK &&
	    (rc = cstore_mproducts(src, NULL, &p, &np, cause)) == POS_OK &&
	    (rc = cstore_merges(src, &m, &nm, cause)) == POS_OK) {
		links = xcalloc(nr > 0 ? nr : 1, sizeof *links);
		for (size_t i = 0; i < nr && rc == POS_OK; i++)
			rc = cstore_plink_get(src, r[i].code,
			    &links[i].rotation, links[i].hash,
			    &links[i].issued, cause);
	}
	cstore_rollback(src);
	if (rc != POS_OK)
		goto out;
	if ((rc = cstore_begin(dst, true, cause)) != POS_OK)
		goto out;
	/* Producers first: products refer to them. */
	for (size_t i = 0; i < nr && rc == POS_OK; i++)
		rc = cstore_mproducer_put(dst, &r[i], cause);
	for (size_t i = 0; i < np && rc == POS_OK; i++)
		rc = cstore_mproduct_put(dst, &p[i], cause);
	for (size_t i = 0; i < nm && rc == POS_OK; i++)
		rc = cstore_merge_put(dst, &m[i], cause);
	for (size_t i = 0; i < nr && rc == POS_OK; i++)
		if (links[i].issued)
			rc = cstore_plink_put(dst, r[i].code,
			    links[i].rotation, links[i].hash, cause);
	if (rc == POS_OK)
		rc = cstore_master_raise(dst, version, cause);
	if (rc == POS_OK)
		rc = cstore_commit(dst, cause);
	cstore_rollback(dst);
	if (rc == POS_OK)
		res->master = (int64_t)(nr + np + nm);
out:
	cstore_mproducers_free(r, nr);
	cstore_mproducts_free(p, np);
	cstore_merges_free(m, nm);
	free(links);
	return rc;
}

/*
 * What windows sent of their own, in one destination transaction, under
 * a round no window sends (64 zeros): the window's next changed set
 * replaces them, as it would have at the source.
 */
static int
copy_local(struct cstore *src, struct cstore *dst, char **cause)
{
	static const char round[] = "00000000000000000000000000000000"
	    "00000000000000000000000000000000";
	struct cstore_lproducer *r = NULL;
	struct cstore_lproduct *p = NULL;
	size_t nr = 0, np = 0;
	int rc;

	if ((rc = cstore_begin(src, false, cause)) == POS_OK &&
	    (rc = cstore_lproducers(src, &r, &nr, cause)) == POS_OK)
		rc = cstore_lproducts(src, &p, &np, cause);
	cstore_rollback(src);
	if (rc != POS_OK || (rc = cstore_begin(dst, true, cause)) != POS_OK)
		goto out;
	for (size_t i = 0; i < nr && rc == POS_OK; i++)
		rc = cstore_lproducer_put(dst, &r[i], round, cause);
	for (size_t i = 0; i < np && rc == POS_OK; i++)
		rc = cstore_lproduct_put(dst, &p[i], round, cause);
	if (rc == POS_OK)
		rc = cstore_commit(dst, cause);
	cstore_rollback(dst);
out:
	cstore_lproducers_free(r, nr);
	cstore_lproducts_free(p, np);
	return rc;
}

/*
 * The office's users (their stored password, role and state) and API
 * tokens (their digests); one the destination has already is kept as it is.
 */
static int
copy_accounts(struct cstore *src, struct cstore *dst,
    struct cmigrate_result *res, char **cause)
{
	struct cstore_user *u = NULL;
	struct cstore_apitoken *t = NULL;
	size_t nu = 0, nt = 0;
	int rc;

	if ((rc = cstore_users(src, NULL, &u, &nu, cause)) != POS_OK ||
	    (rc = cstore_apitokens(src, &t, &nt, cause)) != POS_OK)
		goto out;
	for (size_t i = 0; i < nu && rc == POS_OK; i++) {
		rc = cstore_user_add(dst, &u[i], NULL);
		if (rc == POS_OK)
			res->accounts++;
		else if (rc == POS_INPUT)
			rc = POS_OK;
		else
			rc = cause_set(cause, rc, "cannot copy user %s",
			    u[i].name);
	}
	for (size_t i = 0; i < nt && rc == POS_OK; i++) {
		if (t[i].revoked_at != NULL)
			continue;
		rc = cstore_apitoken_add(dst, t[i].name, t[i].token_hash,
		    t[i].created_at, NULL);
		if (rc == POS_OK)
			res->accounts++;
		else if (rc == POS_INPUT)
			rc = POS_OK;
		else
			rc = cause_set(cause, rc, "cannot copy token %s",
			    t[i].name);
	}
out:
	cstore_users_free(u, nu);
	cstore_apitokens_free(t, nt);
	return rc;
}

/*
 * The entries the source rejected, with their reasons, times and counts,
 * in one destination transaction: `report missing` goes on listing them.
 */
static int
copy_rejections(struct cstore *src, struct cstore *dst,
    struct cmigrate_result *res, char **cause)
{
	struct cstore_rejection *r = NULL;
	size_t n = 0;
	int rc;

	if ((rc = cstore_rejections(src, &r, &n, cause)) != POS_OK ||
	    (rc = cstore_begin(dst, true, cause)) != POS_OK)
		goto out;
	for (size_t i = 0; i < n && rc == POS_OK; i++)
		rc = cstore_rejection_copy(dst, &r[i], cause);
	if (rc == POS_OK)
		rc = cstore_commit(dst, cause);
	cstore_rollback(dst);
	if (rc == POS_OK)
		res->rejections = (int64_t)n;
out:
	cstore_rejections_free(r, n);
	return rc;
}

int
cmigrate_copy(struct cstore *src, struct cstore *dst,
    struct cmigrate_result *out, char **cause)
{
	struct cstore_chain *c = NULL;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = copy_branches(src, dst, out, cause)) != POS_OK ||
	    (rc = copy_master(src, dst, out, cause)) != POS_OK ||
	    (rc = copy_local(src, dst, cause)) != POS_OK ||
	    (rc = copy_accounts(src, dst, out, cause)) != POS_OK ||
	    (rc = copy_rejections(src, dst, out, cause)) != POS_OK)
		return rc;
	/* One read snapshot of the source for the whole copy. */
	if ((rc = cstore_begin(src, false, cause)) != POS_OK)
		return rc;
	if ((rc = cstore_chains(src, NULL, &c, &n, cause)) != POS_OK)
		goto out;
	for (size_t i = 0; i < n && rc == POS_OK; i++) {
		out->chains++;
		rc = copy_chain(src, dst, &c[i], out, cause);
	}
out:
	cstore_rollback(src);
	cstore_chains_free(c, n);
	return rc;
}
