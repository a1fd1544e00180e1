/*
 * HTML and CSV writing (html.h).
 */
#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void
html_esc(struct buf *b, const char *s)
{
	if (s == NULL)
		return;
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		default:
			buf_addc(b, *s);
		}
	}
}

void
html_put(struct buf *b, const char *fmt, ...)
{
	char num[32];
	va_list ap;

	va_start(ap, fmt);
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			buf_addc(b, *p);
			continue;
		}
		switch (*++p) {
		case 's':
			html_esc(b, va_arg(ap, const char *));
			break;
		case 'd':
			snprintf(num, sizeof num, "%d", va_arg(ap, int));
			buf_adds(b, num);
			break;
		case 'D':
			snprintf(num, sizeof num, "%lld",
			    (long long)va_arg(ap, int64_t));
			buf_adds(b, num);
			break;
		case '%':
			buf_addc(b, '%');
			break;
		default:	/* not a directive of ours: a bug, shown as is */
			buf_addc(b, '%');
			if (*p == '\0')
				p--;
			else
				buf_addc(b, *p);
		}
	}
	va_end(ap);
}

/* A plain number (a minus, digits, at most one point). */
static int
html_number(const char *s)
{
	int digits = 0, points = 0;

	if (*s == '-')
		s++;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '.' && points++ == 0)
			continue;
		else
			return 0;
	}
	return digits > 0;
}

void
html_csv(struct buf *b, const char *field, int last)
{
	const char *s = field != NULL ? field : "";

	if (strpbrk(s, ",\"\r\n") != NULL || (strchr("=+-@", *s) != NULL &&
	    *s != '\0' && !html_number(s))) {
		buf_addc(b, '"');
		if (strchr("=+-@", *s) != NULL && *s != '\0' &&
		    !html_number(s))
			buf_addc(b, '\'');
		for (; *s != '\0'; s++) {
			if (*s == '"')
				buf_addc(b, '"');
			buf_addc(b, *s);
		}
		buf_addc(b, '"');
	} else
		buf_adds(b, s);
	buf_adds(b, last ? "\r\n" : ",");
}

const char *
html_when(const char *utc, char *out, size_t len)
{
	struct tm tm;
	const char *end;
	time_t t;

	memset(&tm, 0, sizeof tm);
	if (utc == NULL || (end = strptime(utc, "%Y-%m-%dT%H:%M:%SZ",
	    &tm)) == NULL || *end != '\0') {
		snprintf(out, len, "%s", utc != NULL ? utc : "");
		return out;
	}
	t = timegm(&tm);
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, len, "%s", utc);
	return out;
}

void
html_time(struct buf *b, const char *utc)
{
	char local[64];

	if (utc == NULL || *utc == '\0')
		return;
	html_put(b, "<time dir=\"ltr\" datetime=\"%s\">%s</time>", utc,
	    html_when(utc, local, sizeof local));
}
