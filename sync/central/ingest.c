/*
 * Batch ingest. The batch is read and every entry checked for form before
 * the store is touched (a 400 stores nothing; ingest_read.c, with yajl);
 * then, in one write transaction, entries are taken in order: a UUID
 * already stored whose entry hashes to the stored hash is a duplicate,
 * anything else must chain on the stored head, carry its own correct hash
 * and keep the ledger's rules (sums, receipt number, dates against the
 * server's clock: ledger_rules.c). Once an entry is
 * rejected nothing after it in the batch can chain, so later new entries
 * are rejected as blocked by it. Answers are built as jansson trees in the
 * request's jsonmem arena and dumped to text on the heap.
 */
#include "ingest_int.h"

#include <nettle/sha2.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonmem.h"
#include "token.h"
#include "utf8.h"
#include "xalloc.h"

/* Writers of this process take turns here (see ingest_journal). */
static pthread_mutex_t ingest_writer = PTHREAD_MUTEX_INITIALIZER;

/* The answer as text, on the heap: it outlives the request's arena. */
static char *
ingest_dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER), *copy;

	if (s == NULL)
		xalloc_fatal("json_dumps");
	json_decref(j);
	copy = xstrdup(s);
	jsonmem_free(s);
	return copy;
}

/*
 * A JSON string of text that may not be valid UTF-8 (a reason may quote
 * the request's bytes, and may cut a character in half): each byte
 * that does not start a sequence of the right shape becomes '?'; if a
 * sequence of the right shape is not a character (overlong, a surrogate,
 * past U+10FFFF), every byte outside ASCII does. Never NULL.
 */
json_t *
ingest_text(const char *text)
{
	char *s = xstrdup(text);
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;
	bool uncharacter = false;
	json_t *j;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0 &&
		    (n = utf8_shaped(s + i, len - i)) != 0)
			uncharacter = true;
		if (n == 0) {
			s[i++] = '?';
			continue;
		}
		i += n;
	}
	if (uncharacter)
		for (i = 0; i < len; i++)
			if ((unsigned char)s[i] >= 0x80)
				s[i] = '?';
	j = json_string(s);
	free(s);
	return j;
}

void
ingest_error(unsigned status, const char *message, struct ingest_answer *out)
{
	json_t *j = json_object();

	json_object_set_new(j, "error", ingest_text(message));
	out->status = status;
	out->body = ingest_dump(j);
}

/* 400 with the list of reasons (taken). */
void
ingest_invalid(json_t *reasons, struct ingest_answer *out)
{
	json_t *j = json_object();

	json_object_set_new(j, "error", json_string("invalid batch"));
	json_object_set_new(j, "reasons", reasons);
	out->status = 400;
	out->body = ingest_dump(j);
}

static void
ingest_store_failed(int rc, const char *cause, struct ingest_answer *out)
{
	char *msg;

	if (rc == CSTORE_BUSY) {
		ingest_error(503, "the central store is busy: try again", out);
		return;
	}
	msg = xasprintf("the central store failed: %s",
	    cause != NULL ? cause : "unknown error");
	ingest_error(500, msg, out);
	free(msg);
}

static int
key_valid(const char *key)
{
	size_t n = strlen(key);

	if (n == 0 || n > INGEST_MAX_KEY)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			return 0;
	return 1;
}

static json_t *
result_new(const struct ledger_entry *e, const char *status)
{
	json_t *r = json_object();

	json_object_set_new(r, "uuid", json_string(e->uuid));
	json_object_set_new(r, "seq", json_integer(e->seq));
	json_object_set_new(r, "status", json_string(status));
	return r;
}

static json_t *
result_rejected(const struct ledger_entry *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static json_t *
result_rejected(const struct ledger_entry *e, const char *fmt, ...)
{
	json_t *r = result_new(e, "rejected");
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	json_object_set_new(r, "reason", ingest_text(s));
	free(s);
	return r;
}

/*
 * The verdict on an entry that is not stored: why it is not. A stored UUID
 * is a duplicate only when the entry sent has the stored hash and its
 * content gives that hash: a hash is never taken on trust.
 */
static json_t *
result_refused(const struct cstore_stored *found, const struct ledger_entry *e,
    int64_t blocked_by, int64_t last_seq, const char *head, bool hash_ok,
    const char *why)
{
	json_t *r;

	if (found->found) {
		if (hash_ok && strcmp(found->hash, e->hash) == 0)
			return result_new(e, "duplicate");
		return result_rejected(e, "uuid already stored (%s terminal %lld "
		    "seq %lld) with different content", found->branch,
		    (long long)found->terminal, (long long)found->seq);
	}
	if (blocked_by != 0) {
		r = result_rejected(e, "follows rejected entry seq %lld: not "
		    "checked", (long long)blocked_by);
		json_object_set_new(r, "blocked_by", json_integer(blocked_by));
		return r;
	}
	if (e->seq <= last_seq)
		return result_rejected(e, "seq %lld is already stored with "
		    "another entry", (long long)e->seq);
	if (strcmp(e->prev_hash, head) != 0)
		return result_rejected(e, "prev_hash does not match the stored "
		    "hash of seq %lld", (long long)last_seq);
	if (!hash_ok)
		return result_rejected(e, "hash does not match the entry "
		    "(altered or forged)");
	if (why != NULL)
		return result_rejected(e, "%s", why);
	/* Its UUID was taken as it was inserted, yet is not found. */
	return result_rejected(e, "uuid already stored");
}

/*
 * Store e if it chains: the first entry stored in the batch makes the
 * chain's row (in a savepoint, so that a UUID found taken leaves no row
 * behind). *stored tells whether it was; false with POS_OK when the
 * UUID is taken.
 */
static int
store_entry(struct cstore *st, const struct ledger_entry *e, const char *now,
    bool first, bool *stored, char **cause)
{
	int rc, end;

	*stored = false;
	if (first) {
		if ((rc = cstore_savepoint(st, cause)) != POS_OK)
			return rc;
		rc = cstore_put_head(st, e->branch, e->terminal, e->seq,
		    e->hash, now, cause);
		if (rc == POS_OK)
			rc = cstore_insert(st, e, now, cause);
		end = cstore_savepoint_end(st, rc != POS_OK, cause);
		if (rc == POS_OK && end != POS_OK)
			return end;
	} else
		rc = cstore_insert(st, e, now, cause);
	if (rc == CSTORE_EXISTS)
		return POS_OK;
	*stored = rc == POS_OK;
	return rc;
}

/*
 * How many entries from i on can go into the store in one statement: each
 * chains on the one before, is valid, and is no void (a void changes what
 * its sale counts for, so the summaries take it in a statement of its
 * own: cstore_sum.h).
 */
static size_t
batch_run(const struct batch *b, size_t i, const bool *hash_ok,
    char *const *why)
{
	size_t k = i;

	while (k < b->n && hash_ok[k] && why[k] == NULL &&
	    strcmp(b->e[k].kind, "void") != 0 && (k == i ||
	    (b->e[k].seq == b->e[k - 1].seq + 1 &&
	    strcmp(b->e[k].prev_hash, b->e[k - 1].hash) == 0)))
		k++;
	return k - i;
}

/*
 * Store the run of n entries at e in one statement if none is stored yet:
 * the first stored in the batch makes the chain's row, as store_entry.
 * *stored false with POS_OK: a UUID was taken, nothing is stored, and the
 * entries go one by one.
 */
static int
store_run(struct cstore *st, const struct ledger_entry *e, size_t n,
    const char *now, bool first, bool *stored, char **cause)
{
	int rc, end;

	*stored = false;
	if ((rc = cstore_savepoint(st, cause)) != POS_OK)
		return rc;
	rc = first ? cstore_put_head(st, e->branch, e->terminal, e[n - 1].seq,
	    e[n - 1].hash, now, cause) : POS_OK;
	if (rc == POS_OK)
		rc = cstore_insert_many(st, e, n, now, cause);
	end = cstore_savepoint_end(st, rc != POS_OK, cause);
	if (rc == CSTORE_EXISTS)
		return POS_OK;
	if (rc == POS_OK && end != POS_OK)
		return end;
	*stored = rc == POS_OK;
	return rc;
}

/*
 * Inside the write transaction: the per-entry verdicts, storing what is
 * accepted. An entry that chains is inserted straight away (the UUID index
 * says, as it inserts, whether the entry is there already); any other is
 * looked up first, for a duplicate is not an error. The chain's head is
 * written once at the end. Returns a CSTORE status; *results gets the
 * array.
 */
static int
batch_apply(struct cstore *st, const struct batch *b, const bool *hash_ok,
    char *const *why, const char *now, int64_t *last_seq,
    char head[LEDGER_HASH_HEX], json_t *results, char **cause)
{
	struct cstore_stored found;
	int64_t blocked_by = 0, accepted = 0;
	json_t *r;
	bool stored;
	int rc;

	for (size_t i = 0; i < b->n; i++) {
		const struct ledger_entry *e = &b->e[i];
		size_t run;

		stored = false;
		/* What chains goes in by runs, one statement each. */
		if (blocked_by == 0 && e->seq == *last_seq + 1 &&
		    strcmp(e->prev_hash, head) == 0 &&
		    (run = batch_run(b, i, hash_ok, why)) > 1) {
			if ((rc = store_run(st, e, run, now, accepted == 0,
			    &stored, cause)) != POS_OK)
				return rc;
			if (stored) {
				for (size_t k = 0; k < run; k++)
					json_array_append_new(results,
					    result_new(&b->e[i + k], "accepted"));
				*last_seq = b->e[i + run - 1].seq;
				memcpy(head, b->e[i + run - 1].hash,
				    LEDGER_HASH_HEX);
				accepted += (int64_t)run;
				i += run - 1;
				continue;
			}
		}
		if (blocked_by == 0 && e->seq > *last_seq &&
		    strcmp(e->prev_hash, head) == 0 && hash_ok[i] &&
		    why[i] == NULL) {
			if ((rc = store_entry(st, e, now, accepted == 0,
			    &stored, cause)) != POS_OK)
				return rc;
		}
		if (stored) {
			*last_seq = e->seq;
			memcpy(head, e->hash, LEDGER_HASH_HEX);
			accepted++;
			r = result_new(e, "accepted");
		} else {
			if ((rc = cstore_find_uuid(st, e->uuid, &found,
			    cause)) != POS_OK)
				return rc;
			r = result_refused(&found, e, blocked_by, *last_seq,
			    head, hash_ok[i], why[i]);
			if (blocked_by == 0 && strcmp(json_string_value(
			    json_object_get(r, "status")), "rejected") == 0) {
				blocked_by = e->seq;
				/* Kept for `pos-central report missing`. */
				if ((rc = cstore_reject_put(st, e,
				    json_string_value(json_object_get(r,
				    "reason")), now, cause)) != POS_OK) {
					json_decref(r);
					return rc;
				}
			}
		}
		json_array_append_new(results, r);
	}
	if (accepted > 1)
		return cstore_put_head(st, b->branch, b->terminal, *last_seq,
		    head, now, cause);
	return POS_OK;
}

/*
 * Why the centre refuses to store e whatever it chains on (NULL: it does
 * not): the ledger's rules on what it says and its dates against the
 * server's clock now. Caller frees.
 */
static char *
ingest_rules(const struct ledger_entry *e, const char *now,
    const struct ingest_limits *lim)
{
	int ahead = lim->date_ahead_days > 0 ? lim->date_ahead_days :
	    INGEST_DATE_AHEAD_DAYS;
	int back = lim->date_back_days > 0 ? lim->date_back_days :
	    INGEST_DATE_BACK_DAYS;
	char *why = NULL;

	if (ledger_rules(e, &why) != POS_OK ||
	    ledger_rules_dates(e, now, ahead, back, &why) != POS_OK)
		return why;
	return NULL;
}

/*
 * Whether key was used before (inside the write transaction): then *out
 * holds the answer, the stored one for the same body (digest) or a 422,
 * or the store's failure.
 */
static bool
ingest_replayed(struct cstore *st, const char *branch, const char *key,
    const uint8_t digest[TOKEN_DIGEST], struct ingest_answer *out,
    char **cause)
{
	uint8_t stored[TOKEN_DIGEST];
	char *prior;
	int rc;

	rc = cstore_idem_get(st, branch, key, stored, &prior, cause);
	if (rc != POS_OK) {
		ingest_store_failed(rc, *cause, out);
		return true;
	}
	if (prior == NULL)
		return false;
	if (memcmp(stored, digest, TOKEN_DIGEST) == 0) {
		out->status = 200;
		out->body = prior;
	} else {
		free(prior);
		ingest_error(422, "Idempotency-Key was already used for a "
		    "different batch", out);
	}
	return true;
}

/*
 * Whether the batch starts past the stored head (last_seq, head): then
 * *out holds the 409 that asks for the entries in between.
 */
static bool
ingest_gap(const struct batch *b, int64_t last_seq, const char *head,
    struct ingest_answer *out)
{
	json_t *answer;
	char *msg;

	if (b->n == 0 || b->e[0].seq <= last_seq + 1)
		return false;
	answer = json_object();
	msg = xasprintf("gap: the batch starts at seq %lld but the server has "
	    "%s terminal %lld up to seq %lld", (long long)b->e[0].seq,
	    b->branch, (long long)b->terminal, (long long)last_seq);
	json_object_set_new(answer, "error", json_string(msg));
	free(msg);
	json_object_set_new(answer, "expected_seq", json_integer(last_seq + 1));
	json_object_set_new(answer, "acked_through", json_integer(last_seq));
	json_object_set_new(answer, "head", json_string(head));
	out->status = 409;
	out->body = ingest_dump(answer);
	return true;
}

/*
 * Take the entries on the stored head (last_seq, head) and answer 200
 * with their results; false with the store's failure in *out.
 */
static bool
ingest_apply(struct cstore *st, const struct batch *b, const bool *hash_ok,
    char *const *why, const char *now, int64_t last_seq,
    char head[LEDGER_HASH_HEX], struct ingest_answer *out, char **cause)
{
	json_t *results, *answer;
	int rc;

	results = json_array();
	rc = batch_apply(st, b, hash_ok, why, now, &last_seq, head, results,
	    cause);
	if (rc != POS_OK) {
		json_decref(results);
		ingest_store_failed(rc, *cause, out);
		return false;
	}
	answer = json_object();
	json_object_set_new(answer, "results", results);
	json_object_set_new(answer, "acked_through", json_integer(last_seq));
	json_object_set_new(answer, "head", json_string(head));
	out->body = ingest_dump(answer);
	out->status = 200;
	return true;
}

/*
 * Keep the answer in *out for key (if any) and commit; on failure *out
 * becomes the store's failure.
 */
static void
ingest_commit(struct cstore *st, const char *branch, const char *key,
    const uint8_t digest[TOKEN_DIGEST], const char *now, int keep_days,
    struct ingest_answer *out, char **cause)
{
	int rc;

	if (key != NULL && (rc = cstore_idem_put(st, branch, key, digest,
	    out->body, now, keep_days, cause)) != POS_OK) {
		free(out->body);
		ingest_store_failed(rc, *cause, out);
		return;
	}
	if ((rc = cstore_commit(st, cause)) != POS_OK) {
		free(out->body);
		ingest_store_failed(rc, *cause, out);
	}
}

void
ingest_journal(struct cstore *st, const char *branch, const char *key,
    const char *body, size_t len, const struct ingest_limits *lim,
    struct ingest_answer *out)
{
	struct sha256_ctx ctx;
	struct batch b;
	uint8_t digest[TOKEN_DIGEST];
	char head[LEDGER_HASH_HEX], now[21], *cause = NULL;
	bool *hash_ok = NULL, locked = false;
	char **why = NULL;
	int64_t last_seq;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&b, 0, sizeof b);
	if (key != NULL && !key_valid(key)) {
		ingest_error(400, "Idempotency-Key: must be 1..128 printable "
		    "ASCII characters", out);
		return;
	}
	jsonmem_begin();
	if (ingest_batch_read(body, len, branch, lim->max_entries, &b, out) != 0)
		goto out;

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)body);
	sha256_digest(&ctx, sizeof digest, digest);
	cstore_now(now);
	/*
	 * Hashes and the rules need no store: check them before taking the
	 * write lock, so the threads of the pool do this part side by side.
	 */
	hash_ok = xcalloc(b.n > 0 ? b.n : 1, sizeof *hash_ok);
	why = xcalloc(b.n > 0 ? b.n : 1, sizeof *why);
	for (size_t i = 0; i < b.n; i++) {
		hash_ok[i] = ledger_check(&b.e[i]) != 0;
		why[i] = ingest_rules(&b.e[i], now, lim);
	}

	/*
	 * On SQLite, one writer at a time, queued here: its busy handler
	 * would put the others to sleep for many milliseconds at a time.
	 * PostgreSQL locks the one chain instead (cstore_head).
	 */
	if (cstore_serial(st)) {
		pthread_mutex_lock(&ingest_writer);
		locked = true;
	}
	if ((rc = cstore_begin(st, true, &cause)) != POS_OK) {
		ingest_store_failed(rc, cause, out);
		goto out;
	}
	/*
	 * The head first: on PostgreSQL it locks the chain, so a batch sent
	 * again to another server while the first still stores it waits and
	 * then finds the first's answer under its key, as on SQLite.
	 */
	if ((rc = cstore_head(st, b.branch, b.terminal, &last_seq, head,
	    &cause)) != POS_OK) {
		ingest_store_failed(rc, cause, out);
		goto out;
	}
	if (key != NULL && ingest_replayed(st, branch, key, digest, out,
	    &cause))
		goto out;
	if (ingest_gap(&b, last_seq, head, out) ||
	    !ingest_apply(st, &b, hash_ok, why, now, last_seq, head, out,
	    &cause))
		goto out;
	ingest_commit(st, branch, key, digest, now, lim->keep_days, out,
	    &cause);
out:
	cstore_rollback(st);
	if (locked)
		pthread_mutex_unlock(&ingest_writer);
	out->terminal = b.terminal;
	out->entries = b.n;
	free(hash_ok);
	for (size_t i = 0; why != NULL && i < b.n; i++)
		free(why[i]);
	free(why);
	ingest_batch_free(&b);
	jsonmem_end();
	free(cause);
}

void
ingest_status(struct cstore *st, const char *branch,
    struct ingest_answer *out)
{
	struct cstore_chain *c;
	json_t *j, *terms, *t;
	char *cause = NULL;
	size_t n;
	int rc;

	if ((rc = cstore_chains(st, branch, &c, &n, &cause)) != POS_OK) {
		ingest_store_failed(rc, cause, out);
		free(cause);
		return;
	}
	j = json_object();
	json_object_set_new(j, "branch", json_string(branch));
	terms = json_array();
	for (size_t i = 0; i < n; i++) {
		t = json_object();
		json_object_set_new(t, "terminal", json_integer(c[i].terminal));
		json_object_set_new(t, "acked_through",
		    json_integer(c[i].last_seq));
		json_object_set_new(t, "head", json_string(c[i].head));
		json_object_set_new(t, "last_received",
		    json_string(c[i].last_received));
		json_array_append_new(terms, t);
	}
	json_object_set_new(j, "terminals", terms);
	cstore_chains_free(c, n);
	out->status = 200;
	out->body = ingest_dump(j);
}
