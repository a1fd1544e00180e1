/*
 * Reading request bodies: a journal batch, or one entry for the tests and
 * fuzzers, with yajl, a streaming parser. Entries are built as the parser's
 * events come (ledger_reader, sync/ledger), with no tree of the body in
 * between, and every entry is checked for form before ingest.c touches the
 * store.
 */
#include "ingest_int.h"

#include <yajl/yajl_parse.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void
ingest_batch_free(struct batch *b)
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
 * jansson tree of 500 entries takes about ten times as long to build as
 * this whole parse). The envelope's rules and messages are those of
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

/*
 * One parser event in the body's state machine (enum decode_state): kept
 * whole, one case per state, so every transition reads in one place.
 */
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

static int
hex4(const char *s, size_t left)
{
	int v = 0;

	if (left < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * A \u escape that is not a character: a surrogate not in a high-low pair.
 * jansson, the window's parser, refuses the document; yajl would read '?'
 * or another character, so the body is checked before yajl reads it.
 * Every backslash of a JSON text is inside a string and starts an escape,
 * so escapes are found by stepping over them (what is not JSON at all is
 * yajl's to refuse). Returns a message "invalid Unicode ... (at byte N)"
 * (caller frees), or NULL.
 */
static char *
bad_surrogate(const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	int hi, lo;

	while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		if (p + 1 >= end)
			break;
		if (p[1] != 'u') {
			p += 2;
			continue;
		}
		if ((hi = hex4(p + 2, (size_t)(end - p - 2))) < 0) {
			p += 2;
			continue;
		}
		if (hi < 0xd800 || hi > 0xdfff) {
			p += 6;
			continue;
		}
		lo = end - p >= 12 && p[6] == '\\' && p[7] == 'u' ?
		    hex4(p + 8, (size_t)(end - p - 8)) : -1;
		if (hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
			p += 12;
			continue;
		}
		if (hi <= 0xdbff && lo >= 0)
			return xasprintf("invalid Unicode '\\u%04X\\u%04X' (at "
			    "byte %zu)", (unsigned)hi, (unsigned)lo,
			    (size_t)(p - s));
		return xasprintf("invalid Unicode '\\u%04X' (at byte %zu)",
		    (unsigned)hi, (size_t)(p - s));
	}
	return NULL;
}

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
	char *bad;
	int rc = POS_FAIL;

	*cause = NULL;
	if ((bad = bad_surrogate(json, len)) != NULL) {
		free(bad);
		ledger_reader_free(o.rd);
		memset(e, 0, sizeof *e);
		*cause = xstrdup("not valid JSON");
		return POS_FAIL;
	}
	ledger_reader_begin(o.rd, e);
	if ((h = yajl_alloc(&y_callbacks, NULL, &x)) == NULL)
		xalloc_fatal("yajl_alloc");
	st = yajl_parse(h, (const unsigned char *)json, len);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	if (o.rc == LEDGER_READ_DONE && st == yajl_status_ok)
		rc = POS_OK;
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

unsigned
ingest_batch_read(const char *body, size_t len, const char *auth_branch,
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
	reasons = json_array();
	if ((text = bad_surrogate(body, len)) != NULL) {
		msg = xasprintf("body: not valid JSON: %s", text);
		json_array_append_new(reasons, ingest_text(msg));
		free(text);
		free(msg);
		yajl_free(h);
		goto invalid;
	}
	st = yajl_parse(h, (const unsigned char *)body, len);
	at = yajl_get_bytes_consumed(h);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(h);
		at = len;	/* what is missing is at the end */
	}
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
		ingest_batch_free(b);
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
	ingest_batch_free(b);
	memset(b, 0, sizeof *b);
	decode_free(&d);
	return 400;
}

