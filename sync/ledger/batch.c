/*
 * Batch encoding and answer decoding for the push client.
 *
 * Each entry is encoded once, straight into the batch's buffer
 * (ledger_wire_append: compact, in the wire's key order), and the batch is
 * the envelope around those bytes, so the byte cap is exact without
 * re-encoding the whole batch per entry.
 */
#include "batch.h"

#include <nettle/sha2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xalloc.h"

struct batch_writer {
	char	*head;		/* {"format":1,"branch":..,"terminal":N,"entries":[ */
	char	*branch;
	int64_t	 terminal;
	char	*buf;		/* entries so far, comma separated */
	size_t	 len;
	size_t	 cap;
	size_t	 n;
	size_t	 max_entries;
	size_t	 max_bytes;
	int64_t	 first;
	int64_t	 last;
};

struct batch_writer *
batch_writer_new(const char *branch, int64_t terminal, size_t max_entries,
    size_t max_bytes)
{
	struct batch_writer *w = xcalloc(1, sizeof *w);
	json_t *b = json_string(branch);
	char *bs;

	if (b == NULL || (bs = json_dumps(b, JSON_ENCODE_ANY)) == NULL)
		xalloc_fatal("json_dumps");
	json_decref(b);
	w->head = xasprintf("{\"format\":%d,\"branch\":%s,\"terminal\":%lld,"
	    "\"entries\":[", LEDGER_FORMAT, bs, (long long)terminal);
	free(bs);
	w->branch = xstrdup(branch);
	w->terminal = terminal;
	w->max_entries = max_entries > 0 ? max_entries : 1;
	w->max_bytes = max_bytes;
	return w;
}

void
batch_writer_free(struct batch_writer *w)
{
	if (w == NULL)
		return;
	free(w->head);
	free(w->branch);
	free(w->buf);
	free(w);
}

int
batch_writer_add(struct batch_writer *w, const struct ledger_entry *e,
    char **cause)
{
	size_t n, total, start;

	if (w->n >= w->max_entries)
		return BATCH_FULL;
	if (w->n > 0 && e->seq != w->last + 1) {
		*cause = xasprintf("seq %lld does not follow %lld",
		    (long long)e->seq, (long long)w->last);
		return POS_FAIL;
	}
	/* Straight into the buffer, after the comma; taken back if too big. */
	start = w->len;
	if (w->n > 0) {
		if (w->len + 2 > w->cap) {
			w->cap = w->cap == 0 ? 4096 : w->cap * 2;
			w->buf = xrealloc(w->buf, w->cap);
		}
		w->buf[w->len++] = ',';
	}
	if ((n = ledger_wire_append(e, &w->buf, &w->len, &w->cap)) == 0) {
		w->len = start;
		*cause = xasprintf("entry seq %lld cannot be encoded (a field "
		    "is missing or not valid UTF-8)", (long long)e->seq);
		return POS_FAIL;
	}
	/* head + entries + "]}" */
	total = strlen(w->head) + w->len + 2;
	if (w->n > 0 && total > w->max_bytes) {
		w->len = start;
		w->buf[start] = '\0';
		return BATCH_FULL;
	}
	if (w->n == 0)
		w->first = e->seq;
	w->last = e->seq;
	w->n++;
	return POS_OK;
}

size_t
batch_writer_count(const struct batch_writer *w)
{
	return w->n;
}

int64_t
batch_writer_first(const struct batch_writer *w)
{
	return w->first;
}

int64_t
batch_writer_last(const struct batch_writer *w)
{
	return w->last;
}

char *
batch_writer_finish(struct batch_writer *w, size_t *len,
    char key[BATCH_KEY_MAX + 1])
{
	static const char hex[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	uint8_t md[SHA256_DIGEST_SIZE];
	char digest[17], *body;
	size_t hl = strlen(w->head);

	body = xmalloc(hl + w->len + 3);
	memcpy(body, w->head, hl);
	if (w->len > 0)
		memcpy(body + hl, w->buf, w->len);
	memcpy(body + hl + w->len, "]}", 3);
	*len = hl + w->len + 2;

	sha256_init(&ctx);
	sha256_update(&ctx, *len, (const uint8_t *)body);
	sha256_digest(&ctx, sizeof md, md);
	for (size_t i = 0; i < 8; i++) {
		digest[2 * i] = hex[md[i] >> 4];
		digest[2 * i + 1] = hex[md[i] & 0xf];
	}
	digest[16] = '\0';

	snprintf(key, BATCH_KEY_MAX + 1, "%.32s-%lld-%lld-%lld-%s", w->branch,
	    (long long)w->terminal, (long long)w->first, (long long)w->last,
	    digest);
	/* A code is printable ASCII; anything else must not reach a header. */
	for (char *p = key; *p != '\0'; p++)
		if (*p < 0x21 || *p > 0x7e)
			*p = '_';
	return body;
}

/* ---- answers ---- */

static int
answer_int(json_t *o, const char *k, int64_t min, int64_t *out)
{
	json_t *v = json_object_get(o, k);

	if (!json_is_integer(v) || json_integer_value(v) < min)
		return POS_FAIL;
	*out = json_integer_value(v);
	return POS_OK;
}

static int
answer_head(json_t *o, char head[LEDGER_HASH_HEX])
{
	const char *s = json_string_value(json_object_get(o, "head"));

	if (s == NULL || strlen(s) != LEDGER_HASH_HEX - 1)
		return POS_FAIL;
	for (size_t i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return POS_FAIL;
	memcpy(head, s, LEDGER_HASH_HEX);
	return POS_OK;
}

static int
answer_results(json_t *arr, struct batch_answer *out, char **cause)
{
	size_t i;
	json_t *r;
	const char *st, *uuid, *reason;

	if (!json_is_array(arr)) {
		*cause = xstrdup("results: missing or not an array");
		return POS_FAIL;
	}
	out->results = xcalloc(json_array_size(arr) + 1, sizeof *out->results);
	json_array_foreach(arr, i, r) {
		struct batch_result *br = &out->results[i];

		out->nresults = i + 1;
		st = json_string_value(json_object_get(r, "status"));
		uuid = json_string_value(json_object_get(r, "uuid"));
		if (answer_int(r, "seq", 1, &br->seq) != 0 || st == NULL ||
		    uuid == NULL || strlen(uuid) >= LEDGER_UUID_LEN) {
			*cause = xasprintf("results[%zu]: needs seq, uuid and "
			    "status", i);
			return POS_FAIL;
		}
		memcpy(br->uuid, uuid, strlen(uuid) + 1);
		if (strcmp(st, "accepted") == 0)
			br->status = BATCH_ACCEPTED;
		else if (strcmp(st, "duplicate") == 0)
			br->status = BATCH_DUPLICATE;
		else if (strcmp(st, "rejected") == 0)
			br->status = BATCH_REJECTED;
		else {
			*cause = xasprintf("results[%zu].status: unknown", i);
			return POS_FAIL;
		}
		if (br->status == BATCH_REJECTED) {
			reason = json_string_value(json_object_get(r, "reason"));
			br->reason = xstrdup(reason != NULL ? reason :
			    "no reason given");
			if (json_object_get(r, "blocked_by") != NULL &&
			    answer_int(r, "blocked_by", 1, &br->blocked_by) != 0) {
				*cause = xasprintf("results[%zu].blocked_by: "
				    "not a seq", i);
				return POS_FAIL;
			}
		}
	}
	return POS_OK;
}

int
batch_answer_parse(long status, const char *body, size_t len,
    struct batch_answer *out, char **cause)
{
	json_error_t jerr;
	json_t *root, *v;
	const char *s;
	size_t i;
	int rc = POS_FAIL;

	memset(out, 0, sizeof *out);
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(root)) {
		*cause = xasprintf("the answer (HTTP %ld) is not a JSON object%s%s",
		    status, root == NULL ? ": " : "", root == NULL ? jerr.text : "");
		goto out;
	}
	if ((s = json_string_value(json_object_get(root, "error"))) != NULL)
		out->error = xstrdup(s);
	v = json_object_get(root, "reasons");
	if (json_is_array(v) && json_array_size(v) > 0) {
		out->reasons = xcalloc(json_array_size(v), sizeof *out->reasons);
		for (i = 0; i < json_array_size(v); i++) {
			s = json_string_value(json_array_get(v, i));
			out->reasons[out->nreasons++] = xstrdup(s != NULL ? s :
			    "?");
		}
	}
	if (status == 200 || status == 409) {
		if (answer_int(root, "acked_through", 0, &out->acked_through) !=
		    0 || answer_head(root, out->head) != 0) {
			*cause = xasprintf("the answer (HTTP %ld) has no valid "
			    "acked_through and head", status);
			goto out;
		}
		out->has_head = true;
	}
	if (status == 200 && answer_results(json_object_get(root, "results"),
	    out, cause) != 0)
		goto out;
	if (status == 409 && (answer_int(root, "expected_seq", 1,
	    &out->expected_seq) != 0 ||
	    out->expected_seq != out->acked_through + 1)) {
		*cause = xstrdup("the 409 answer has no valid expected_seq");
		goto out;
	}
	if (status != 200 && out->error == NULL) {
		*cause = xasprintf("the answer (HTTP %ld) has no \"error\"",
		    status);
		goto out;
	}
	rc = POS_OK;
out:
	json_decref(root);
	if (rc != POS_OK)
		batch_answer_free(out);
	return rc;
}

void
batch_answer_free(struct batch_answer *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->nresults; i++)
		free(a->results[i].reason);
	free(a->results);
	for (size_t i = 0; i < a->nreasons; i++)
		free(a->reasons[i]);
	free(a->reasons);
	free(a->error);
	memset(a, 0, sizeof *a);
}
