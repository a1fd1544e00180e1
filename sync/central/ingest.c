/*
 * Batch ingest. The batch is parsed and every entry checked for form before
 * the store is touched (a 400 stores nothing); then, in one write
 * transaction, entries are taken in order: a UUID already stored with the
 * same hash is a duplicate, anything else must chain on the stored head and
 * carry its own correct hash. Once an entry is rejected nothing after it in
 * the batch can chain, so later new entries are rejected as blocked by it.
 */
#include "ingest.h"

#include <nettle/sha2.h>
#include <yajl/yajl_parse.h>

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
 * A JSON string of text that may not be valid UTF-8 (jansson's own error
 * messages quote the input, and may cut a character in half): each byte
 * that does not start a sequence of the right shape becomes '?'; if a
 * sequence of the right shape is not a character (overlong, a surrogate,
 * past U+10FFFF), every byte outside ASCII does. Never NULL.
 */
static json_t *
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
static void
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

struct batch {
	char			 branch[LEDGER_MAX_CODE + 1];
	int64_t			 terminal;
	size_t			 n;
	struct ledger_entry	*e;
};

static void
batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		ledger_entry_free(&b->e[i]);
	free(b->e);
}

static void
add_reason(json_t *reasons, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_reason(json_t *reasons, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (json_array_size(reasons) >= INGEST_MAX_REASONS)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	json_array_append_new(reasons, ingest_text(s));
	free(s);
}

/*
 * The batch read with yajl, a streaming parser: entries are built as their
 * events come (ledger_reader), with no tree of the body in between (a
 * jansson tree of 500 entries took ten times as long to build as the whole
 * parse does now). The envelope's rules and messages are those of
 * sync/PROTOCOL.md; reasons come in the same order whatever the order of
 * the keys: unknown keys, then format, branch, terminal and entries, then
 * each entry in turn.
 */
enum { ENV_FORMAT, ENV_BRANCH, ENV_TERMINAL, ENV_ENTRIES, ENV_N,
    ENV_UNKNOWN = -1 };
static const char *const env_keys[ENV_N] = { "format", "branch", "terminal",
    "entries" };

enum decode_state { D_TOP, D_ENV, D_ENTRIES, D_ENTRY, D_SKIP, D_END };

struct decode {
	enum decode_state	 state, after_skip;
	int			 skip;
	int			 key;		/* envelope key awaiting value */
	unsigned		 given;		/* envelope keys seen */
	bool			 format_ok, branch_ok, terminal_ok, is_array;
	char			 branch[LEDGER_MAX_CODE + 1];
	int64_t			 terminal;
	size_t			 count;		/* elements of entries */
	size_t			 max;
	struct ledger_entry	*e;
	char			**why;		/* per entry: NULL if it reads */
	size_t			 n, cap;
	struct ledger_reader	*rd;
	json_t			*unknown;	/* reasons, in key order */
	char			*fatal;		/* the body cannot be read */
};

static int
decode_event(void *arg, enum ledger_event ev, int64_t i, const char *s,
    size_t len)
{
	struct decode *d = arg;
	char *cause;
	int k, rc;

	switch (d->state) {
	case D_TOP:
		if (ev != LEDGER_EV_START_MAP) {
			d->fatal = xstrdup("batch: must be an object");
			return 0;
		}
		d->state = D_ENV;
		return 1;
	case D_SKIP:
		if (ev == LEDGER_EV_START_MAP || ev == LEDGER_EV_START_ARRAY)
			d->skip++;
		else if ((ev == LEDGER_EV_END_MAP ||
		    ev == LEDGER_EV_END_ARRAY) && --d->skip == 0)
			d->state = d->after_skip;
		return 1;
	case D_ENTRY:
		rc = ledger_reader_event(d->rd, ev, i, s, len, &cause);
		break;
	case D_ENTRIES:
		if (ev == LEDGER_EV_END_ARRAY) {
			d->state = D_ENV;
			return 1;
		}
		if (++d->count > d->max) {
			/* Counted for the message, not read. */
			if (ev == LEDGER_EV_START_MAP ||
			    ev == LEDGER_EV_START_ARRAY) {
				d->state = D_SKIP;
				d->after_skip = D_ENTRIES;
				d->skip = 1;
			}
			return 1;
		}
		if (d->n == d->cap) {
			d->cap = d->cap == 0 ? 64 : d->cap * 2;
			d->e = xreallocarray(d->e, d->cap, sizeof *d->e);
			d->why = xreallocarray(d->why, d->cap, sizeof *d->why);
		}
		d->why[d->n] = NULL;
		ledger_reader_begin(d->rd, &d->e[d->n++]);
		d->state = D_ENTRY;
		rc = ledger_reader_event(d->rd, ev, i, s, len, &cause);
		break;
	case D_ENV:
		if (ev == LEDGER_EV_END_MAP) {
			d->state = D_END;
			return 1;
		}
		if (ev == LEDGER_EV_KEY) {
			for (k = 0; k < ENV_N; k++)
				if (strlen(env_keys[k]) == len &&
				    memcmp(env_keys[k], s, len) == 0)
					break;
			if (k == ENV_N) {
				char *msg = len <= 40 ? xasprintf("%.*s: "
				    "unknown key", (int)len, s) :
				    xstrdup("(a long key): unknown key");

				if (json_array_size(d->unknown) <
				    INGEST_MAX_REASONS)
					json_array_append_new(d->unknown,
					    ingest_text(msg));
				free(msg);
				d->key = ENV_UNKNOWN;
			} else if (d->given & 1u << k) {
				d->fatal = xasprintf("body: not valid JSON: "
				    "duplicate object key \"%s\"", env_keys[k]);
				return 0;
			} else {
				d->given |= 1u << k;
				d->key = k;
			}
			return 1;
		}
		switch (d->key) {
		case ENV_FORMAT:
			d->format_ok = ev == LEDGER_EV_INT &&
			    i == INGEST_FORMAT;
			break;
		case ENV_BRANCH:
			d->branch_ok = ev == LEDGER_EV_STRING && len > 0 &&
			    len <= LEDGER_MAX_CODE && memchr(s, '\0', len) ==
			    NULL;
			if (d->branch_ok) {
				memcpy(d->branch, s, len);
				d->branch[len] = '\0';
			}
			break;
		case ENV_TERMINAL:
			d->terminal_ok = ev == LEDGER_EV_INT && i >= 1 &&
			    i <= 999;
			d->terminal = i;
			break;
		case ENV_ENTRIES:
			if (ev == LEDGER_EV_START_ARRAY) {
				d->is_array = true;
				d->state = D_ENTRIES;
				return 1;
			}
			break;
		}
		if (ev == LEDGER_EV_START_MAP || ev == LEDGER_EV_START_ARRAY) {
			d->state = D_SKIP;
			d->after_skip = D_ENV;
			d->skip = 1;
		}
		return 1;
	case D_END:
	default:
		return 1;	/* yajl refuses anything after the value */
	}

	/* An entry's event was read. */
	switch (rc) {
	case LEDGER_READ_MORE:
		return 1;
	case LEDGER_READ_DUP:
		d->n--;
		d->fatal = xasprintf("body: not valid JSON: %s", cause);
		free(cause);
		return 0;
	case LEDGER_READ_BAD:
		d->why[d->n - 1] = cause;
		/* FALLTHROUGH */
	default:
		d->state = D_ENTRIES;
		return 1;
	}
}

/*
 * yajl's callbacks, one set for both readers: each hands the event to the
 * reader's own function (ctx is a struct events).
 */
struct events {
	int	(*event)(void *, enum ledger_event, int64_t, const char *,
		    size_t);
	void	*arg;
};

static int
y_event(void *ctx, enum ledger_event ev, int64_t i, const char *s, size_t len)
{
	struct events *x = ctx;

	return x->event(x->arg, ev, i, s, len);
}

static int
y_null(void *ctx)
{
	return y_event(ctx, LEDGER_EV_NULL, 0, NULL, 0);
}

static int
y_boolean(void *ctx, int b)
{
	(void)b;
	return y_event(ctx, LEDGER_EV_BOOL, 0, NULL, 0);
}

static int
y_integer(void *ctx, long long v)
{
	return y_event(ctx, LEDGER_EV_INT, (int64_t)v, NULL, 0);
}

static int
y_double(void *ctx, double v)
{
	(void)v;
	return y_event(ctx, LEDGER_EV_DOUBLE, 0, NULL, 0);
}

static int
y_string(void *ctx, const unsigned char *s, size_t len)
{
	return y_event(ctx, LEDGER_EV_STRING, 0, (const char *)s, len);
}

static int
y_key(void *ctx, const unsigned char *s, size_t len)
{
	return y_event(ctx, LEDGER_EV_KEY, 0, (const char *)s, len);
}

static int
y_start_map(void *ctx)
{
	return y_event(ctx, LEDGER_EV_START_MAP, 0, NULL, 0);
}

static int
y_end_map(void *ctx)
{
	return y_event(ctx, LEDGER_EV_END_MAP, 0, NULL, 0);
}

static int
y_start_array(void *ctx)
{
	return y_event(ctx, LEDGER_EV_START_ARRAY, 0, NULL, 0);
}

static int
y_end_array(void *ctx)
{
	return y_event(ctx, LEDGER_EV_END_ARRAY, 0, NULL, 0);
}

static const yajl_callbacks y_callbacks = {
	y_null, y_boolean, y_integer, y_double, NULL, y_string,
	y_start_map, y_key, y_end_map, y_start_array, y_end_array
};

/* One entry as a whole document (ingest_read_entry). */
struct one {
	struct ledger_reader	*rd;
	int			 rc;
	char			*cause;
};

static int
one_event(void *arg, enum ledger_event ev, int64_t i, const char *s,
    size_t len)
{
	struct one *o = arg;

	if (o->rc != LEDGER_READ_MORE)
		return 1;	/* yajl refuses anything after the value */
	o->rc = ledger_reader_event(o->rd, ev, i, s, len, &o->cause);
	return o->rc != LEDGER_READ_DUP;
}


int
ingest_read_entry(const char *json, size_t len, struct ledger_entry *e,
    char **cause)
{
	struct one o = { ledger_reader_new(), LEDGER_READ_MORE, NULL };
	struct events x = { one_event, &o };
	yajl_handle h;
	yajl_status st;
	int rc = -1;

	*cause = NULL;
	ledger_reader_begin(o.rd, e);
	if ((h = yajl_alloc(&y_callbacks, NULL, &x)) == NULL)
		xalloc_fatal("yajl_alloc");
	st = yajl_parse(h, (const unsigned char *)json, len);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	if (o.rc == LEDGER_READ_DONE && st == yajl_status_ok)
		rc = 0;
	else if (o.rc == LEDGER_READ_DONE) {
		ledger_entry_free(e);
		*cause = xstrdup("not valid JSON");
	} else if (o.rc == LEDGER_READ_MORE) {
		ledger_entry_free(e);	/* what was read of it */
		*cause = xstrdup("not valid JSON");
	} else
		*cause = o.cause;
	yajl_free(h);
	ledger_reader_free(o.rd);
	return rc;
}

static void
decode_free(struct decode *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->why[i]);
	free(d->why);
	ledger_reader_free(d->rd);
	json_decref(d->unknown);
	free(d->fatal);
}

/*
 * The batch in body, read and checked for form (nothing is stored yet).
 * Returns 0 with *b filled (free with batch_free), or the HTTP status with
 * *out filled.
 */
static unsigned
batch_read(const char *body, size_t len, const char *auth_branch,
    size_t max_entries, struct batch *b, struct ingest_answer *out)
{
	struct decode d;
	struct events x = { decode_event, &d };
	yajl_handle h;
	yajl_status st;
	json_t *reasons;
	char *msg, *text;
	unsigned char *err;
	size_t at;

	memset(b, 0, sizeof *b);
	memset(&d, 0, sizeof d);
	d.max = max_entries;
	d.rd = ledger_reader_new();
	d.unknown = json_array();
	if ((h = yajl_alloc(&y_callbacks, NULL, &x)) == NULL)
		xalloc_fatal("yajl_alloc");
	st = yajl_parse(h, (const unsigned char *)body, len);
	at = yajl_get_bytes_consumed(h);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(h);
		at = len;	/* what is missing is at the end */
	}
	reasons = json_array();
	if (d.fatal != NULL)
		json_array_append_new(reasons, ingest_text(d.fatal));
	else if (st != yajl_status_ok) {
		err = yajl_get_error(h, 0, NULL, 0);
		text = xstrdup(err != NULL ? (const char *)err : "?");
		yajl_free_error(h, err);
		/* yajl ends its messages with a full stop and a newline. */
		for (size_t n = strlen(text); n > 0 && (text[n - 1] == '\n' ||
		    text[n - 1] == ' ' || text[n - 1] == '.'); n--)
			text[n - 1] = '\0';
		msg = xasprintf("body: not valid JSON: %s (at byte %zu)", text,
		    at);
		json_array_append_new(reasons, ingest_text(msg));
		free(text);
		free(msg);
	}
	yajl_free(h);
	/* What reads, belongs to b from here on. */
	b->e = d.e;
	b->n = d.n;
	if (json_array_size(reasons) > 0)
		goto invalid;

	json_array_extend(reasons, d.unknown);
	if (!(d.given & 1u << ENV_FORMAT))
		add_reason(reasons, "format: missing");
	else if (!d.format_ok)
		add_reason(reasons, "format: unsupported; this server accepts "
		    "format %d", INGEST_FORMAT);
	if (!(d.given & 1u << ENV_BRANCH))
		add_reason(reasons, "branch: missing");
	else if (!d.branch_ok)
		add_reason(reasons, "branch: must be a branch code");
	if (!(d.given & 1u << ENV_TERMINAL))
		add_reason(reasons, "terminal: missing");
	else if (!d.terminal_ok)
		add_reason(reasons, "terminal: must be an integer 1..999");
	if (!(d.given & 1u << ENV_ENTRIES))
		add_reason(reasons, "entries: missing");
	else if (!d.is_array)
		add_reason(reasons, "entries: must be an array");
	else if (d.count > max_entries)
		add_reason(reasons, "entries: %zu entries, more than the limit "
		    "of %zu per batch", d.count, max_entries);
	if (json_array_size(reasons) > 0)
		goto invalid;

	/* Authority before content: a stranger learns nothing from a 400. */
	if (strcmp(d.branch, auth_branch) != 0) {
		json_decref(reasons);
		msg = xasprintf("this token is for branch %s, not %s",
		    auth_branch, d.branch);
		ingest_error(403, msg, out);
		free(msg);
		batch_free(b);
		memset(b, 0, sizeof *b);
		decode_free(&d);
		return 403;
	}
	b->terminal = d.terminal;
	for (size_t i = 0; i < b->n; i++) {
		const struct ledger_entry *e = &b->e[i];

		if (d.why[i] != NULL) {
			add_reason(reasons, "entries[%zu].%s", i, d.why[i]);
			continue;
		}
		if (strcmp(e->branch, d.branch) != 0)
			add_reason(reasons, "entries[%zu].branch: %s is not the "
			    "batch's branch %s", i, e->branch, d.branch);
		if (e->terminal != b->terminal)
			add_reason(reasons, "entries[%zu].terminal: %lld is not "
			    "the batch's terminal %lld", i,
			    (long long)e->terminal, (long long)b->terminal);
		if (i > 0 && b->e[i - 1].seq > 0 &&
		    e->seq != b->e[i - 1].seq + 1)
			add_reason(reasons, "entries[%zu].seq: %lld does not "
			    "follow %lld: entries must be consecutive, in seq "
			    "order", i, (long long)e->seq,
			    (long long)b->e[i - 1].seq);
	}
	if (json_array_size(reasons) > 0)
		goto invalid;
	json_decref(reasons);
	snprintf(b->branch, sizeof b->branch, "%s", d.branch);
	decode_free(&d);
	return 0;
invalid:
	ingest_invalid(reasons, out);
	batch_free(b);
	memset(b, 0, sizeof *b);
	decode_free(&d);
	return 400;
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

/* The verdict on an entry that is not stored: why it is not. */
static json_t *
result_refused(const struct cstore_stored *found, const struct ledger_entry *e,
    int64_t blocked_by, int64_t last_seq, const char *head, bool hash_ok)
{
	json_t *r;

	if (found->found) {
		if (strcmp(found->hash, e->hash) == 0)
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
 * Inside the write transaction: the per-entry verdicts, storing what is
 * accepted. An entry that chains is inserted straight away (the UUID index
 * says, as it inserts, whether the entry is there already); any other is
 * looked up first, for a duplicate is not an error. The chain's head is
 * written once at the end. Returns a CSTORE status; *results gets the
 * array.
 */
static int
batch_apply(struct cstore *st, const struct batch *b, const bool *hash_ok,
    const char *now, int64_t *last_seq, char head[LEDGER_HASH_HEX],
    json_t *results, char **cause)
{
	struct cstore_stored found;
	int64_t blocked_by = 0, accepted = 0;
	json_t *r;
	bool stored;
	int rc;

	for (size_t i = 0; i < b->n; i++) {
		const struct ledger_entry *e = &b->e[i];

		stored = false;
		if (blocked_by == 0 && e->seq > *last_seq &&
		    strcmp(e->prev_hash, head) == 0 && hash_ok[i]) {
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
			    head, hash_ok[i]);
			if (blocked_by == 0 && strcmp(json_string_value(
			    json_object_get(r, "status")), "rejected") == 0)
				blocked_by = e->seq;
		}
		json_array_append_new(results, r);
	}
	if (accepted > 1)
		return cstore_put_head(st, b->branch, b->terminal, *last_seq,
		    head, now, cause);
	return POS_OK;
}

void
ingest_journal(struct cstore *st, const char *branch, const char *key,
    const char *body, size_t len, const struct ingest_limits *lim,
    struct ingest_answer *out)
{
	struct sha256_ctx ctx;
	struct batch b;
	json_t *results, *answer;
	uint8_t digest[TOKEN_DIGEST], stored[TOKEN_DIGEST];
	char head[LEDGER_HASH_HEX], now[21], *cause = NULL, *msg, *prior;
	bool *hash_ok = NULL, locked = false;
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
	if (batch_read(body, len, branch, lim->max_entries, &b, out) != 0)
		goto out;

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)body);
	sha256_digest(&ctx, sizeof digest, digest);
	cstore_now(now);
	/*
	 * Hashes need no store: check them before taking the write lock, so
	 * the threads of the pool do this part side by side.
	 */
	hash_ok = xcalloc(b.n > 0 ? b.n : 1, sizeof *hash_ok);
	for (size_t i = 0; i < b.n; i++)
		hash_ok[i] = ledger_check(&b.e[i]) != 0;

	/*
	 * One writer at a time, queued here: SQLite's busy handler would put
	 * the others to sleep for many milliseconds at a time.
	 */
	pthread_mutex_lock(&ingest_writer);
	locked = true;
	if ((rc = cstore_begin(st, true, &cause)) != POS_OK) {
		ingest_store_failed(rc, cause, out);
		goto out;
	}
	if (key != NULL) {
		rc = cstore_idem_get(st, branch, key, stored, &prior, &cause);
		if (rc != POS_OK) {
			ingest_store_failed(rc, cause, out);
			goto out;
		}
		if (prior != NULL) {
			if (memcmp(stored, digest, sizeof digest) == 0) {
				out->status = 200;
				out->body = prior;
			} else {
				free(prior);
				ingest_error(422, "Idempotency-Key was already "
				    "used for a different batch", out);
			}
			goto out;
		}
	}
	if ((rc = cstore_head(st, b.branch, b.terminal, &last_seq, head,
	    &cause)) != POS_OK) {
		ingest_store_failed(rc, cause, out);
		goto out;
	}
	if (b.n > 0 && b.e[0].seq > last_seq + 1) {
		answer = json_object();
		msg = xasprintf("gap: the batch starts at seq %lld but the "
		    "server has %s terminal %lld up to seq %lld",
		    (long long)b.e[0].seq, b.branch, (long long)b.terminal,
		    (long long)last_seq);
		json_object_set_new(answer, "error", json_string(msg));
		free(msg);
		json_object_set_new(answer, "expected_seq",
		    json_integer(last_seq + 1));
		json_object_set_new(answer, "acked_through",
		    json_integer(last_seq));
		json_object_set_new(answer, "head", json_string(head));
		out->status = 409;
		out->body = ingest_dump(answer);
		goto out;
	}

	results = json_array();
	rc = batch_apply(st, &b, hash_ok, now, &last_seq, head, results,
	    &cause);
	if (rc != POS_OK) {
		json_decref(results);
		ingest_store_failed(rc, cause, out);
		goto out;
	}
	answer = json_object();
	json_object_set_new(answer, "results", results);
	json_object_set_new(answer, "acked_through", json_integer(last_seq));
	json_object_set_new(answer, "head", json_string(head));
	out->body = ingest_dump(answer);
	out->status = 200;
	if (key != NULL && (rc = cstore_idem_put(st, branch, key, digest,
	    out->body, now, lim->keep_days, &cause)) != POS_OK) {
		free(out->body);
		ingest_store_failed(rc, cause, out);
		goto out;
	}
	if ((rc = cstore_commit(st, &cause)) != POS_OK) {
		free(out->body);
		ingest_store_failed(rc, cause, out);
	}
out:
	cstore_rollback(st);
	if (locked)
		pthread_mutex_unlock(&ingest_writer);
	free(hash_ok);
	batch_free(&b);
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
