/*
 * The streaming reader of one ledger entry (ledger.h: struct ledger_reader):
 * it fills an entry from parser events as they come, walking the same field
 * tables as the encoder, and gives the same complaint as ledger_from_json
 * whatever order the keys come in. It is on the hot path of the central
 * ingest, so its helpers stay static here.
 */
#include "ledger.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"
#include "xalloc.h"

#define READER_DEPTH	2	/* the entry, and a line or payment in it */

struct reader_frame {
	const struct ledger_table	*t;
	char			*base;
	char			 where[128];	/* "" for the entry itself */
	uint32_t		 seen;		/* fields given, by index */
	int			 field;		/* awaiting its value: -1 none,
						   -2 an unknown key's */
	bool			 in_array;	/* elements of field coming */
	size_t			 k, cap;	/* elements so far, allocated */
	size_t			 errf;		/* earliest field in error */
	char			*err;		/* its complaint */
	char			*unknown;	/* the first unknown key's */
};

struct ledger_reader {
	struct reader_frame	 f[READER_DEPTH];
	int			 depth;		/* frames in use */
	int			 skip;		/* nesting of a value skipped */
	bool			 started;
	char			*bad;		/* the entry is not an object */
	struct ledger_entry	*e;
};

struct ledger_reader *
ledger_reader_new(void)
{
	return xcalloc(1, sizeof(struct ledger_reader));
}

static void
reader_reset(struct ledger_reader *r)
{
	for (int i = 0; i < READER_DEPTH; i++) {
		free(r->f[i].err);
		free(r->f[i].unknown);
		r->f[i].err = r->f[i].unknown = NULL;
	}
	free(r->bad);
	r->bad = NULL;
	r->depth = 0;
	r->skip = 0;
	r->started = false;
}

void
ledger_reader_free(struct ledger_reader *r)
{
	if (r == NULL)
		return;
	reader_reset(r);
	free(r);
}

void
ledger_reader_begin(struct ledger_reader *r, struct ledger_entry *e)
{
	reader_reset(r);
	memset(e, 0, sizeof *e);
	r->e = e;
}

static const char *
frame_where(const struct reader_frame *fr)
{
	return fr->where[0] != '\0' ? fr->where : NULL;
}

static void
frame_push(struct ledger_reader *r, const struct ledger_table *t, void *base,
    const char *where)
{
	struct reader_frame *fr = &r->f[r->depth++];

	assert(r->depth <= READER_DEPTH && t->nfields <= LEDGER_MAX_TABLE_FIELDS);
	fr->t = t;
	fr->base = base;
	snprintf(fr->where, sizeof fr->where, "%s", where);
	fr->seen = 0;
	fr->field = -1;
	fr->in_array = false;
	fr->k = fr->cap = 0;
	fr->errf = t->nfields;
	fr->err = fr->unknown = NULL;
}

/*
 * What is wrong with field i, kept if it comes before the field in error
 * so far in table order (ledger_from_json stops at the first): the same
 * complaint whatever order the keys come in. over: replace the field's own.
 */
static void
frame_error(struct reader_frame *fr, size_t i, char *msg, bool over)
{
	if (i < fr->errf || (over && i == fr->errf)) {
		free(fr->err);
		fr->err = msg;
		fr->errf = i;
	} else
		free(msg);
}

/* The object has ended: its complaint (caller frees) or NULL. */
static char *
frame_verdict(struct reader_frame *fr)
{
	char *msg = NULL;
	size_t m;

	if (fr->unknown != NULL) {
		msg = fr->unknown;
		fr->unknown = NULL;
	} else {
		for (m = 0; m < fr->t->nfields && (fr->seen & 1u << m); m++)
			;
		if (m < fr->errf && m < fr->t->nfields)
			ledger_complain(&msg, frame_where(fr), fr->t->fields[m].name,
			    "missing");
		else {
			msg = fr->err;
			fr->err = NULL;
		}
	}
	free(fr->err);
	fr->err = NULL;
	return msg;
}

/* The value of field fr->field. */
static void
frame_value(struct ledger_reader *r, struct reader_frame *fr,
    enum ledger_event ev, int64_t i, const char *s, size_t len)
{
	const struct ledger_field *f;
	const char *where = frame_where(fr);
	char *msg = NULL, *copy;
	int fi = fr->field;

	fr->field = -1;
	if (fi == -2)
		goto skip;
	f = &fr->t->fields[fi];
	switch (f->type) {
	case LEDGER_FT_FORMAT:
		if (ev != LEDGER_EV_INT)
			ledger_complain(&msg, where, f->name, "must be an integer");
		else if (i != LEDGER_FORMAT)
			ledger_complain(&msg, where, f->name, "must be %d",
			    LEDGER_FORMAT);
		break;
	case LEDGER_FT_INT:
		if (ev != LEDGER_EV_INT)
			ledger_complain(&msg, where, f->name, "must be an integer");
		else
			*field_int(fr->base, f) = i;
		break;
	case LEDGER_FT_BUF:
		if (ev != LEDGER_EV_STRING)
			ledger_complain(&msg, where, f->name, "must be a string");
		else if (memchr(s, '\0', len) != NULL)
			ledger_complain(&msg, where, f->name, "contains NUL");
		else if (len > (size_t)f->max) {
			copy = xstrndup(s, len);
			if (ledger_check_string(f, copy, len, where, &msg) == 0)
				ledger_complain(&msg, where, f->name,
				    "longer than %lld bytes", (long long)f->max);
			free(copy);
		} else {
			memcpy(field_buf(fr->base, f), s, len);
			field_buf(fr->base, f)[len] = '\0';
		}
		break;
	case LEDGER_FT_STR:
	case LEDGER_FT_OPTSTR:
		if (ev == LEDGER_EV_NULL && f->type == LEDGER_FT_OPTSTR)
			break;
		if (ev != LEDGER_EV_STRING)
			ledger_complain(&msg, where, f->name, "must be a string%s",
			    f->type == LEDGER_FT_OPTSTR ? " or null" : "");
		else if (memchr(s, '\0', len) != NULL)
			ledger_complain(&msg, where, f->name, "contains NUL");
		else
			*field_str(fr->base, f) = xstrndup(s, len);
		break;
	case LEDGER_FT_ARRAY:
		if (ev == LEDGER_EV_START_ARRAY) {
			fr->in_array = true;
			fr->field = fi;
			fr->k = fr->cap = 0;
			return;
		}
		ledger_complain(&msg, where, f->name, "must be an array");
		break;
	}
	if (msg != NULL)
		frame_error(fr, (size_t)fi, msg, false);
skip:
	if (ev == LEDGER_EV_START_MAP || ev == LEDGER_EV_START_ARRAY)
		r->skip = 1;
}

/* The next element of the array field fr->field. */
static void
frame_element(struct ledger_reader *r, struct reader_frame *fr,
    enum ledger_event ev)
{
	const struct ledger_field *f = &fr->t->fields[fr->field];
	const struct ledger_table *sub = f->sub;
	char path[128], *msg = NULL, *elems;
	void **arr = field_array(fr->base, f);

	if (fr->k >= (size_t)f->max) {
		if (fr->k == (size_t)f->max) {
			ledger_complain(&msg, frame_where(fr), f->name,
			    "more than %lld entries", (long long)f->max);
			frame_error(fr, (size_t)fr->field, msg, true);
		}
		fr->k++;
		if (ev == LEDGER_EV_START_MAP || ev == LEDGER_EV_START_ARRAY)
			r->skip = 1;
		return;
	}
	if (fr->k == fr->cap) {
		fr->cap = fr->cap == 0 ? 4 : fr->cap * 2;
		*arr = xreallocarray(*arr, fr->cap, sub->size);
		memset((char *)*arr + fr->k * sub->size, 0,
		    (fr->cap - fr->k) * sub->size);
	}
	elems = *arr;
	*field_count(fr->base, f) = fr->k + 1;
	ledger_element_path(path, sizeof path, frame_where(fr), f->name, fr->k);
	fr->k++;
	if (ev == LEDGER_EV_START_MAP) {
		frame_push(r, sub, elems + (fr->k - 1) * sub->size, path);
		return;
	}
	ledger_complain(&msg, path, NULL, "must be an object");
	frame_error(fr, (size_t)fr->field, msg, false);
	if (ev == LEDGER_EV_START_ARRAY)
		r->skip = 1;
}

static int
reader_fail(struct ledger_reader *r, int rc, char *msg, char **cause)
{
	if (cause != NULL)
		*cause = msg;
	else
		free(msg);
	ledger_entry_free(r->e);
	reader_reset(r);
	return rc;
}

/*
 * The entry reader's state machine (skipping a bad value, the top level,
 * inside an array, inside an object): kept whole, so every transition
 * reads in one place.
 */
int
ledger_reader_event(struct ledger_reader *r, enum ledger_event ev,
    int64_t i, const char *s, size_t len, char **cause)
{
	struct reader_frame *fr;
	const struct ledger_field *f;
	char key[64], safe[52], *msg = NULL;
	size_t n, k;

	if (cause != NULL)
		*cause = NULL;
	if (r->skip > 0) {
		if (ev == LEDGER_EV_START_MAP || ev == LEDGER_EV_START_ARRAY)
			r->skip++;
		else if (ev == LEDGER_EV_END_MAP || ev == LEDGER_EV_END_ARRAY)
			r->skip--;
		if (r->skip == 0 && r->bad != NULL) {
			msg = r->bad;
			r->bad = NULL;
			return reader_fail(r, LEDGER_READ_BAD, msg, cause);
		}
		return LEDGER_READ_MORE;
	}
	if (r->depth == 0) {
		r->started = true;
		if (ev == LEDGER_EV_START_MAP) {
			frame_push(r, &ledger_entry_table, r->e, "");
			return LEDGER_READ_MORE;
		}
		ledger_complain(&msg, "entry", NULL, "must be an object");
		if (ev == LEDGER_EV_START_ARRAY) {
			r->skip = 1;
			r->bad = msg;
			return LEDGER_READ_MORE;
		}
		return reader_fail(r, LEDGER_READ_BAD, msg, cause);
	}
	fr = &r->f[r->depth - 1];
	if (fr->in_array) {
		if (ev == LEDGER_EV_END_ARRAY) {
			fr->in_array = false;
			fr->field = -1;
		} else
			frame_element(r, fr, ev);
		return LEDGER_READ_MORE;
	}
	switch (ev) {
	case LEDGER_EV_KEY:
		for (k = 0; k < fr->t->nfields; k++) {
			f = &fr->t->fields[k];
			if (strlen(f->name) == len && memcmp(f->name, s, len) == 0)
				break;
		}
		/* A key up to its first NUL, as ledger_from_json shows it. */
		n = strnlen(s, len < sizeof key - 1 ? len : sizeof key - 1);
		memcpy(key, s, n);
		key[n] = '\0';
		ledger_safe_key(key, safe, sizeof safe);
		if (k == fr->t->nfields) {
			if (fr->unknown == NULL)
				ledger_complain(&fr->unknown, frame_where(fr), safe,
				    "unknown key");
			fr->field = -2;
			return LEDGER_READ_MORE;
		}
		if (fr->seen & 1u << k)
			return reader_fail(r, LEDGER_READ_DUP, xasprintf(
			    "duplicate object key \"%s\"", safe), cause);
		fr->seen |= 1u << k;
		fr->field = (int)k;
		return LEDGER_READ_MORE;
	case LEDGER_EV_END_MAP:
		msg = frame_verdict(fr);
		r->depth--;
		if (r->depth > 0) {
			fr = &r->f[r->depth - 1];
			if (msg != NULL)
				frame_error(fr, (size_t)fr->field, msg, false);
			return LEDGER_READ_MORE;
		}
		if (msg != NULL)
			return reader_fail(r, LEDGER_READ_BAD, msg, cause);
		if (ledger_validate_object(&ledger_entry_table, r->e, NULL, 1, &msg) != 0)
			return reader_fail(r, LEDGER_READ_BAD, msg, cause);
		reader_reset(r);
		return LEDGER_READ_DONE;
	default:
		frame_value(r, fr, ev, i, s, len);
		return LEDGER_READ_MORE;
	}
}
