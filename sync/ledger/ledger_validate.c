/*
 * The rules of a ledger entry's fields: the shapes of identifiers, times
 * and hashes, string lengths and amounts' bounds, and the messages that
 * name the field in error. ledger_validate (ledger.c) applies them to an
 * entry through the field tables; the streaming reader and
 * ledger_oracle.c use the same checks and messages.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "ledger_int.h"
#include "utf8.h"
#include "xalloc.h"

/*
 * Set *cause to "where.name: message" (either part may be NULL). cause may
 * be NULL when the caller only wants the verdict. Always returns -1.
 */
int
ledger_complain(char **cause, const char *where, const char *name,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (cause == NULL)
		return POS_FAIL;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (where != NULL && name != NULL)
		*cause = xasprintf("%s.%s: %s", where, name, msg);
	else if (where != NULL || name != NULL)
		*cause = xasprintf("%s: %s", where != NULL ? where : name, msg);
	else
		*cause = xasprintf("%s", msg);
	free(msg);
	return POS_FAIL;
}

/* A key from the network, made safe to put in a message. */
void
ledger_safe_key(const char *key, char *out, size_t outsz)
{
	size_t	 i;

	for (i = 0; key[i] != '\0' && i + 4 < outsz; i++) {
		if (key[i] > ' ' && key[i] < 0x7f)
			out[i] = key[i];
		else
			out[i] = '?';
	}
	if (key[i] != '\0') {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_lower_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

/* s matches shape, where 'd' is any ASCII digit and the rest is literal. */
static int
match_shape(const char *s, const char *shape)
{
	for (; *shape != '\0'; s++, shape++) {
		if (*shape == 'd' ? !is_digit(*s) : *s != *shape)
			return 0;
	}
	return *s == '\0';
}

/* n ASCII digits (already checked) as a number. */
static int
digits(const char *s, size_t n)
{
	int	 v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

static int
date_valid(const char *s)
{
	static const int mdays[] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int	 y, m, d, leap, last;

	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	last = mdays[m - 1] + (m == 2 && leap);
	return d <= last;
}

const char *
ledger_check_uuid(const char *s)
{
	size_t	 i;

	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				break;
		} else if (!is_lower_hex(s[i]))
			break;
	}
	if (i != 36 || s[36] != '\0')
		return "not a lowercase UUID";
	return NULL;
}

const char *
ledger_check_kind(const char *s)
{
	const char	*w = LEDGER_KINDS;
	size_t		 n, len = strlen(s);

	while (*w != '\0') {
		n = strcspn(w, " ");
		if (n == len && strncmp(w, s, n) == 0)
			return NULL;
		w += n;
		w += strspn(w, " ");
	}
	return "not one of " LEDGER_KINDS;
}

const char *
ledger_check_timestamp(const char *s)
{
	if (!match_shape(s, "dddd-dd-ddTdd:dd:ddZ") || !date_valid(s) ||
	    digits(s + 11, 2) > 23 || digits(s + 14, 2) > 59 ||
	    digits(s + 17, 2) > 59)
		return "not YYYY-MM-DDTHH:MM:SSZ";
	return NULL;
}

const char *
ledger_check_date(const char *s)
{
	if (!match_shape(s, "dddd-dd-dd") || !date_valid(s))
		return "not YYYY-MM-DD";
	return NULL;
}

const char *
ledger_check_unit(const char *s)
{
	if (strcmp(s, "piece") != 0 && strcmp(s, "kg") != 0)
		return "must be piece or kg";
	return NULL;
}

const char *
ledger_check_method(const char *s)
{
	if (strcmp(s, "cash") != 0 && strcmp(s, "card") != 0 &&
	    strcmp(s, "other") != 0)
		return "must be cash, card or other";
	return NULL;
}

const char *
ledger_check_hash(const char *s)
{
	size_t	 i;

	for (i = 0; i < 64; i++) {
		if (!is_lower_hex(s[i]))
			return "not 64 lowercase hex digits";
	}
	if (s[64] != '\0')
		return "not 64 lowercase hex digits";
	return NULL;
}

/* The rules on one string value of len bytes with no NUL inside. */
int
ledger_check_string(const struct ledger_field *f, const char *s, size_t len,
    const char *where, char **cause)
{
	const char	*problem;

	if (!utf8_valid(s, len))
		return ledger_complain(cause, where, f->name, "not valid UTF-8");
	if (f->check != NULL) {
		if ((problem = f->check(s)) != NULL)
			return ledger_complain(cause, where, f->name, "%s", problem);
		return POS_OK;
	}
	if ((int64_t)len < f->min)
		return ledger_complain(cause, where, f->name, "must not be empty");
	if ((int64_t)len > f->max)
		return ledger_complain(cause, where, f->name,
		    "longer than %lld bytes", (long long)f->max);
	return POS_OK;
}

int
ledger_validate_object(const struct ledger_table *t, const void *base,
    const char *where, int sealed, char **cause)
{
	const struct ledger_field	*f;
	const char		*s;
	const char		*elems;
	char			 sub[128];
	size_t			 i, j, n;
	int64_t			 v;
	int			 rc;

	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		if ((f->flags & LEDGER_FIELD_SEALED) && !sealed)
			continue;
		switch (f->type) {
		case LEDGER_FT_FORMAT:
			break;
		case LEDGER_FT_BUF:
			s = field_cbuf(base, f);
			n = strnlen(s, (size_t)f->max + 1);
			if (n > (size_t)f->max)
				return ledger_complain(cause, where, f->name,
				    "not NUL-terminated");
			if (ledger_check_string(f, s, n, where, cause) != 0)
				return POS_FAIL;
			break;
		case LEDGER_FT_STR:
		case LEDGER_FT_OPTSTR:
			if ((s = field_cstr(base, f)) == NULL) {
				if (f->type == LEDGER_FT_OPTSTR)
					break;
				return ledger_complain(cause, where, f->name,
				    "missing");
			}
			if (ledger_check_string(f, s, strlen(s), where, cause) != 0)
				return POS_FAIL;
			break;
		case LEDGER_FT_INT:
			v = field_cint(base, f);
			if (v < f->min || v > f->max)
				return ledger_complain(cause, where, f->name,
				    "must be between %lld and %lld",
				    (long long)f->min, (long long)f->max);
			break;
		case LEDGER_FT_ARRAY:
			n = field_ccount(base, f);
			elems = field_carray(base, f);
			if (n > (size_t)f->max)
				return ledger_complain(cause, where, f->name,
				    "more than %lld entries", (long long)f->max);
			if (n > 0 && elems == NULL)
				return ledger_complain(cause, where, f->name,
				    "missing");
			for (j = 0; j < n; j++) {
				rc = ledger_validate_object(f->sub,
				    elems + j * f->sub->size, ledger_element_path(sub,
				    sizeof sub, where, f->name, j), sealed,
				    cause);
				if (rc != POS_OK)
					return POS_FAIL;
			}
			break;
		}
	}
	return POS_OK;
}

/* where + "." + name + "[k]" into buf, without printf: one per line. */
const char *
ledger_element_path(char *buf, size_t bufsz, const char *where,
    const char *name, size_t k)
{
	char	 num[24];
	size_t	 n = 0, wl = where != NULL ? strlen(where) : 0;
	size_t	 nl = strlen(name), d = sizeof num;

	do
		num[--d] = (char)('0' + k % 10);
	while ((k /= 10) > 0 && d > 0);
	if (wl + 1 + nl + 2 + (sizeof num - d) + 1 > bufsz)
		return name;	/* cannot happen with the tables above */
	if (wl > 0) {
		memcpy(buf, where, wl);
		buf[wl] = '.';
		n = wl + 1;
	}
	memcpy(buf + n, name, nl);
	n += nl;
	buf[n++] = '[';
	memcpy(buf + n, num + d, sizeof num - d);
	n += sizeof num - d;
	buf[n++] = ']';
	buf[n] = '\0';
	return buf;
}
