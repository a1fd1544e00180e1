/* The test spec format (see spec.h). */
#include "spec.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define SPEC_MAX	(1024 * 1024)

static const struct {
	const char	*name;
	int		 set;
	int		 mask;
} spec_flags[] = {
	{ "start", DOC_START, DOC_ALIGN_MASK },
	{ "left", DOC_LEFT, DOC_ALIGN_MASK },
	{ "center", DOC_CENTER, DOC_ALIGN_MASK },
	{ "right", DOC_RIGHT, DOC_ALIGN_MASK },
	{ "bold", DOC_BOLD, 0 },
	{ "double", DOC_DOUBLE, 0 },
	{ "ltr", DOC_LTR, 0 },
	{ "rtl", DOC_RTL, 0 },
};

static int
spec_flag_word(const char *w, size_t n, int *flags)
{
	size_t	i;

	for (i = 0; i < sizeof spec_flags / sizeof spec_flags[0]; i++) {
		if (strlen(spec_flags[i].name) == n &&
		    strncmp(spec_flags[i].name, w, n) == 0) {
			*flags = (*flags & ~spec_flags[i].mask) |
			    spec_flags[i].set;
			return 0;
		}
	}
	return -1;
}

/* Parse "FLAGS rest" at s; *rest points past the flags word. */
static int
spec_flags_parse(const char *s, int *flags, const char **rest)
{
	const char	*end = strchr(s, ' '), *p, *q;

	if (end == NULL)
		end = s + strlen(s);
	*flags = 0;
	*rest = *end == ' ' ? end + 1 : end;
	if (end - s == 1 && *s == '-')
		return 0;
	for (p = s; p < end; p = q + 1) {
		q = memchr(p, ',', (size_t)(end - p));
		if (q == NULL)
			q = end;
		if (spec_flag_word(p, (size_t)(q - p), flags) != 0)
			return -1;
	}
	return 0;
}

struct doc *
spec_parse(const char *text, char **cause)
{
	struct doc	*d = doc_new();
	char		*copy = xstrdup(text), *line, *next, *bar, *end;
	const char	*rest;
	int		 flags, lineno = 0;
	long		 n;

	for (line = copy; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (*line == '\0' || *line == '#')
			continue;
		if (strncmp(line, "text ", 5) == 0) {
			if (spec_flags_parse(line + 5, &flags, &rest) != 0)
				goto bad;
			doc_text(d, flags, rest);
		} else if (strncmp(line, "row ", 4) == 0) {
			if (spec_flags_parse(line + 4, &flags, &rest) != 0)
				goto bad;
			bar = strstr(rest, " | ");
			if (bar == NULL)
				goto bad;
			*bar = '\0';
			doc_row(d, flags, rest, bar + 3);
		} else if (strcmp(line, "sep") == 0)
			doc_separator(d);
		else if (strncmp(line, "qr ", 3) == 0)
			doc_qr(d, line + 3);
		else if (strncmp(line, "feed ", 5) == 0) {
			n = strtol(line + 5, &end, 10);
			if (end == line + 5 || *end != '\0' || n < 0 || n > 255)
				goto bad;
			doc_feed(d, (int)n);
		} else if (strcmp(line, "cut") == 0)
			doc_cut(d);
		else
			goto bad;
	}
	free(copy);
	return d;
bad:
	if (cause != NULL)
		*cause = xasprintf("spec line %d: cannot parse", lineno);
	free(copy);
	doc_free(d);
	return NULL;
}

char *
spec_read(FILE *f)
{
	char	*s = xmalloc(SPEC_MAX + 1);
	size_t	 n = fread(s, 1, SPEC_MAX, f);

	s[n] = '\0';
	return s;
}
