/*
 * The table of configuration keys and the layers that fill struct config.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "config.h"
#include "utf8.h"
#include "xalloc.h"

#define nitems(a) (sizeof (a) / sizeof (a)[0])

#define CONFIG_SYSTEM_FILE	"/etc/pos/pos.conf"
#define CONFIG_ZONEINFO		"/usr/share/zoneinfo"
#define CONFIG_STRING_MAX	200		/* bytes of a string value */
#define CONFIG_PATH_MAX		(PATH_MAX - 1)	/* bytes of a path value */
#define CONFIG_QUOTE_MAX	64		/* bytes of a bad value shown */

enum config_type {
	CONFIG_STRING,
	CONFIG_PATH,
	CONFIG_TIMEZONE,	/* IANA name under CONFIG_ZONEINFO */
	CONFIG_URL,		/* "" or http:// or https:// */
	CONFIG_CODE,		/* three uppercase ASCII letters */
	CONFIG_INT,		/* min..max, or one of choices if set */
	CONFIG_ENUM,		/* one of choices, stored as its index */
	CONFIG_KEYWORD,		/* one of choices, stored as a copy */
};

/*
 * One row per key. Text types store a char * (owned by struct config); INT
 * and ENUM store an int. A text key may be empty only if its default is "".
 */
struct config_entry {
	const char		*section;
	const char		*key;
	enum config_type	 type;
	long			 min;
	long			 max;
	const char *const	*choices;	/* NULL-terminated */
	const char		*default_str;	/* all types but INT */
	long			 default_num;	/* INT */
	char			*(*default_fn)(void);	/* caller frees */
	const char		*default_text;	/* how help shows default_fn */
	const char		*help;
	size_t			 offset;
};

static char	*config_default_store(void);

static const char *const config_digits_list[] = {
	"western", "arabic-indic", NULL
};
static const char *const config_format_list[] = {
	"escpos", "escpos-raster", "pdf", "text", NULL
};
static const char *const config_paper_list[] = { "58", "80", NULL };
static const char *const config_language_list[] = { "", "en", "ar", NULL };
static const char *const config_bidi_list[] = { "terminal", "fribidi", NULL };

static const struct config_entry config_table[] = {
	{ .section = "window", .key = "name", .type = CONFIG_STRING,
	  .default_str = "Sales window",
	  .help = "name of the sales window, printed on receipts",
	  .offset = offsetof(struct config, window.name) },
	{ .section = "window", .key = "address", .type = CONFIG_STRING,
	  .default_str = "",
	  .help = "address printed on receipts",
	  .offset = offsetof(struct config, window.address) },
	{ .section = "window", .key = "phone", .type = CONFIG_STRING,
	  .default_str = "",
	  .help = "phone number printed on receipts",
	  .offset = offsetof(struct config, window.phone) },
	{ .section = "window", .key = "footer", .type = CONFIG_STRING,
	  .default_str = "Thank you",
	  .help = "last line of every receipt",
	  .offset = offsetof(struct config, window.footer) },
	{ .section = "window", .key = "timezone", .type = CONFIG_TIMEZONE,
	  .default_str = "Asia/Damascus",
	  .help = "IANA time zone that decides the business date",
	  .offset = offsetof(struct config, window.timezone) },

	{ .section = "store", .key = "path", .type = CONFIG_PATH,
	  .default_fn = config_default_store,
	  .default_text = "$XDG_DATA_HOME/pos/window.db",
	  .help = "SQLite database of this window",
	  .offset = offsetof(struct config, store.path) },

	{ .section = "currency", .key = "code", .type = CONFIG_CODE,
	  .default_str = "SYP",
	  .help = "ISO 4217 code of the currency, three uppercase letters",
	  .offset = offsetof(struct config, currency.code) },
	{ .section = "currency", .key = "symbol", .type = CONFIG_STRING,
	  .default_str = "ل.س",
	  .help = "symbol shown next to amounts",
	  .offset = offsetof(struct config, currency.symbol) },
	{ .section = "currency", .key = "decimals", .type = CONFIG_INT,
	  .min = 0, .max = 3, .default_num = 0,
	  .help = "minor-unit digits of the currency",
	  .offset = offsetof(struct config, currency.decimals) },
	{ .section = "currency", .key = "digits", .type = CONFIG_ENUM,
	  .choices = config_digits_list, .default_str = "western",
	  .help = "digits amounts are shown with",
	  .offset = offsetof(struct config, currency.digits) },

	{ .section = "printer", .key = "name", .type = CONFIG_STRING,
	  .default_str = "",
	  .help = "CUPS destination; empty for the CUPS default",
	  .offset = offsetof(struct config, printer.name) },
	{ .section = "printer", .key = "format", .type = CONFIG_KEYWORD,
	  .choices = config_format_list, .default_str = "escpos-raster",
	  .help = "what is sent to the printer",
	  .offset = offsetof(struct config, printer.format) },
	{ .section = "printer", .key = "paper", .type = CONFIG_INT,
	  .choices = config_paper_list, .default_num = 80,
	  .help = "paper width in millimetres",
	  .offset = offsetof(struct config, printer.paper) },
	{ .section = "printer", .key = "copies", .type = CONFIG_INT,
	  .min = 1, .max = 5, .default_num = 1,
	  .help = "copies printed of each receipt",
	  .offset = offsetof(struct config, printer.copies) },

	{ .section = "sync", .key = "url", .type = CONFIG_URL,
	  .default_str = "",
	  .help = "central server; empty for none",
	  .offset = offsetof(struct config, sync.url) },
	{ .section = "sync", .key = "token_file", .type = CONFIG_PATH,
	  .default_str = "",
	  .help = "file holding the bearer token for the server",
	  .offset = offsetof(struct config, sync.token_file) },
	{ .section = "sync", .key = "ca_file", .type = CONFIG_PATH,
	  .default_str = "",
	  .help = "CA certificates to trust; empty for the system's",
	  .offset = offsetof(struct config, sync.ca_file) },
	{ .section = "sync", .key = "interval", .type = CONFIG_INT,
	  .min = 5, .max = 86400, .default_num = 60,
	  .help = "seconds between sync attempts",
	  .offset = offsetof(struct config, sync.interval) },
	{ .section = "sync", .key = "batch", .type = CONFIG_INT,
	  .min = 1, .max = 1000, .default_num = 200,
	  .help = "ledger entries sent per request",
	  .offset = offsetof(struct config, sync.batch) },

	{ .section = "ui", .key = "language", .type = CONFIG_KEYWORD,
	  .choices = config_language_list, .default_str = "",
	  .help = "interface language; empty to follow the locale",
	  .offset = offsetof(struct config, ui.language) },
	{ .section = "ui", .key = "bidi", .type = CONFIG_KEYWORD,
	  .choices = config_bidi_list, .default_str = "terminal",
	  .help = "who orders right-to-left text: the terminal or fribidi",
	  .offset = offsetof(struct config, ui.bidi) },
};

#define CONFIG_NENTRIES nitems(config_table)

/* Where each value came from: "from FILE:LINE", "env NAME"; NULL = default. */
struct config_sources {
	char	*where[CONFIG_NENTRIES];
};

/* State while one file is parsed; the reader and the handler share it. */
struct config_parse {
	struct config	*cfg;
	const char	*file;		/* as the caller named it */
	FILE		*f;
	int		 lineno;	/* of the line last read */
	char		*quoted;	/* its value inside quotes, or NULL */
	char		*cause;		/* first error, caller frees */
};

_Static_assert(sizeof (enum config_digits) == sizeof (int),
    "CONFIG_ENUM values are stored as int");

static int
config_is_text(const struct config_entry *ce)
{
	return (ce->type != CONFIG_INT && ce->type != CONFIG_ENUM);
}

static char **
config_text_ptr(struct config *cfg, const struct config_entry *ce)
{
	return (char **)(void *)((char *)cfg + ce->offset);
}

static int *
config_int_ptr(struct config *cfg, const struct config_entry *ce)
{
	return (int *)(void *)((char *)cfg + ce->offset);
}

static const char *
config_text_get(const struct config *cfg, const struct config_entry *ce)
{
	return *(char *const *)(const void *)((const char *)cfg + ce->offset);
}

static int
config_int_get(const struct config *cfg, const struct config_entry *ce)
{
	return *(const int *)(const void *)((const char *)cfg + ce->offset);
}

/* Home directory: $HOME, else the password database; NULL if neither. */
static const char *
config_home(void)
{
	const char	*home;
	struct passwd	*pw;

	home = getenv("HOME");
	if (home != NULL && *home != '\0')
		return home;
	pw = getpwuid(getuid());
	if (pw != NULL && pw->pw_dir != NULL && *pw->pw_dir != '\0')
		return pw->pw_dir;
	return NULL;
}

/*
 * $VAR/rest, or $HOME/fallback/rest when VAR is unset or not absolute (as the
 * XDG base directory spec says). NULL if there is no home. Caller frees.
 */
static char *
config_xdg_path(const char *var, const char *fallback, const char *rest)
{
	const char	*dir, *home;

	dir = getenv(var);
	if (dir != NULL && *dir == '/')
		return xasprintf("%s/%s", dir, rest);
	if ((home = config_home()) == NULL)
		return NULL;
	return xasprintf("%s/%s/%s", home, fallback, rest);
}

static char *
config_default_store(void)
{
	char	*path;

	path = config_xdg_path("XDG_DATA_HOME", ".local/share",
	    "pos/window.db");
	if (path == NULL)
		path = xstrdup("pos/window.db");	/* no home at all */
	return path;
}

/*
 * s in double quotes with '"', '\\', control characters and invalid bytes
 * escaped, so it is safe to show. With limit > 0, at most about limit bytes
 * of s are shown, then "...". Caller frees.
 */
static char *
config_quote(const char *s, size_t limit)
{
	size_t		 len, i, j, n, o;
	uint32_t	 cp;
	char		*out;

	len = strlen(s);
	out = xmalloc(len * 4 + 8);
	o = 0;
	out[o++] = '"';
	for (i = 0; i < len; i += n) {
		if (limit != 0 && i >= limit) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0 || utf8_is_control(cp)) {
			if (n == 0)
				n = 1;
			for (j = 0; j < n; j++) {
				snprintf(out + o, 5, "\\x%02x",
				    (unsigned char)s[i + j]);
				o += 4;
			}
		} else if (cp == '"' || cp == '\\') {
			out[o++] = '\\';
			out[o++] = s[i];
		} else {
			memcpy(out + o, s + i, n);
			o += n;
		}
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

/* "WHAT, got VALUE" with VALUE quoted. Caller frees. */
static char *
config_why(const char *what, const char *value)
{
	char	*q, *why;

	q = config_quote(value, CONFIG_QUOTE_MAX);
	why = xasprintf("%s, got %s", what, q);
	free(q);
	return why;
}

/* The choices as "a, b or c" (sep NULL) or "a|b|c"; "" shown as "". */
static char *
config_choices_text(const char *const *choices, const char *sep)
{
	char		*out, *next;
	const char	*item, *join;
	size_t		 i;

	out = xstrdup("");
	for (i = 0; choices[i] != NULL; i++) {
		item = (*choices[i] == '\0') ? "\"\"" : choices[i];
		if (i == 0)
			join = "";
		else if (sep != NULL)
			join = sep;
		else if (choices[i + 1] == NULL)
			join = " or ";
		else
			join = ", ";
		next = xasprintf("%s%s%s", out, join, item);
		free(out);
		out = next;
	}
	return out;
}

/* Index of text among the choices of ce, or -1. */
static int
config_choice(const struct config_entry *ce, const char *text)
{
	int	i;

	for (i = 0; ce->choices[i] != NULL; i++) {
		if (strcmp(ce->choices[i], text) == 0)
			return i;
	}
	return -1;
}

/* "must be a, b or c, got VALUE". Caller frees. */
static char *
config_why_choices(const struct config_entry *ce, const char *value)
{
	char	*list, *what, *why;

	list = config_choices_text(ce->choices, NULL);
	what = xasprintf("must be %s", list);
	why = config_why(what, value);
	free(what);
	free(list);
	return why;
}

/* Parse a whole decimal integer: no blanks, no trailing text, no overflow. */
static int
config_parse_long(const char *s, long *out)
{
	char	*end;
	long	 n;

	if (*s != '-' && (*s < '0' || *s > '9'))
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno == ERANGE)
		return -1;
	*out = n;
	return 0;
}

/* Whether name is an IANA zone: a TZif file under CONFIG_ZONEINFO. */
static int
config_zone_exists(const char *name)
{
	struct stat	 sb;
	char		*path, magic[4];
	int		 fd, found = 0;

	if (*name == '\0' || *name == '/' || strstr(name, "..") != NULL)
		return 0;
	path = xasprintf("%s/%s", CONFIG_ZONEINFO, name);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		goto out;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode))
		goto out;
	if (read(fd, magic, sizeof magic) != (ssize_t)sizeof magic)
		goto out;
	found = (memcmp(magic, "TZif", sizeof magic) == 0);
out:
	if (fd != -1)
		close(fd);
	free(path);
	return found;
}

static int
config_url_ok(const char *s)
{
	const char	*rest;

	if (strncmp(s, "http://", 7) == 0)
		rest = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		rest = s + 8;
	else
		return 0;
	if (*rest == '\0' || *rest == '/')
		return 0;
	return (strpbrk(rest, " ") == NULL);
}

static int
config_code_ok(const char *s)
{
	size_t	i;

	for (i = 0; i < 3; i++) {
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	}
	return (s[3] == '\0');
}

/* Rules every text value follows. Returns why not (caller frees) or NULL. */
static char *
config_check_text(const char *value, size_t max)
{
	size_t		 len, i, n;
	uint32_t	 cp;

	len = strlen(value);
	if (len > max)
		return xasprintf("must be at most %zu bytes, got %zu", max,
		    len);
	for (i = 0; i < len; i += n) {
		if ((n = utf8_decode(value + i, len - i, &cp)) == 0)
			return config_why("must be valid UTF-8", value);
		if (utf8_is_control(cp))
			return config_why("must not contain control characters",
			    value);
	}
	return NULL;
}

/*
 * Check value for ce; for INT and ENUM put the number in *num. Returns why
 * it is not valid (caller frees) or NULL.
 */
static char *
config_check(const struct config_entry *ce, const char *value, long *num)
{
	char	*why, buf[32];
	long	 n;
	size_t	 i;

	*num = 0;
	switch (ce->type) {
	case CONFIG_INT:
		if (ce->choices != NULL) {
			if (config_parse_long(value, &n) == 0) {
				snprintf(buf, sizeof buf, "%ld", n);
				for (i = 0; ce->choices[i] != NULL; i++) {
					if (strcmp(buf, ce->choices[i]) == 0) {
						*num = n;
						return NULL;
					}
				}
			}
			return config_why_choices(ce, value);
		}
		if (config_parse_long(value, &n) != 0 ||
		    n < ce->min || n > ce->max) {
			snprintf(buf, sizeof buf, "must be %ld..%ld", ce->min,
			    ce->max);
			return config_why(buf, value);
		}
		*num = n;
		return NULL;
	case CONFIG_ENUM:
	case CONFIG_KEYWORD:
		if ((*num = config_choice(ce, value)) == -1)
			return config_why_choices(ce, value);
		return NULL;
	default:
		break;
	}

	why = config_check_text(value, ce->type == CONFIG_PATH ?
	    CONFIG_PATH_MAX : CONFIG_STRING_MAX);
	if (why != NULL)
		return why;
	if (*value == '\0') {
		if (ce->default_str != NULL && *ce->default_str == '\0')
			return NULL;
		return xstrdup("must not be empty");
	}
	switch (ce->type) {
	case CONFIG_TIMEZONE:
		if (!config_zone_exists(value))
			return config_why("must be an IANA time zone such as "
			    "Asia/Damascus", value);
		break;
	case CONFIG_URL:
		if (!config_url_ok(value))
			return config_why("must start with http:// or https://",
			    value);
		break;
	case CONFIG_CODE:
		if (!config_code_ok(value))
			return config_why("must be three letters A-Z", value);
		break;
	default:
		break;
	}
	return NULL;
}

/*
 * Set key idx of cfg to value, remembering where (consumed, even on error).
 * Returns 0, or -1 with *why (caller frees) and cfg unchanged.
 */
static int
config_set(struct config *cfg, size_t idx, const char *value, char *where,
    char **why)
{
	const struct config_entry	*ce = &config_table[idx];
	char				**text;
	long				  num;

	if ((*why = config_check(ce, value, &num)) != NULL) {
		free(where);
		return -1;
	}
	if (config_is_text(ce)) {
		text = config_text_ptr(cfg, ce);
		free(*text);
		*text = xstrdup(value);
	} else
		*config_int_ptr(cfg, ce) = (int)num;
	free(cfg->sources->where[idx]);
	cfg->sources->where[idx] = where;
	return 0;
}

static int
config_section_known(const char *section)
{
	size_t	i;

	for (i = 0; i < CONFIG_NENTRIES; i++) {
		if (strcmp(config_table[i].section, section) == 0)
			return 1;
	}
	return 0;
}

static int
config_find(const char *section, const char *key, size_t *idx)
{
	size_t	i;

	for (i = 0; i < CONFIG_NENTRIES; i++) {
		if (strcmp(config_table[i].section, section) == 0 &&
		    strcmp(config_table[i].key, key) == 0) {
			*idx = i;
			return 0;
		}
	}
	return -1;
}

static int
config_is_blank(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f');
}

/*
 * The text between the quotes of a key = "value" line. inih cannot give it,
 * as it ends a value at " ;" even inside quotes. The closing quote is the
 * first '"' followed only by blanks, or by blanks and a ';' comment. NULL if
 * the line has no such value. Caller frees.
 */
static char *
config_quoted_value(const char *line)
{
	const char	*s, *open, *q, *t;
	int		 was_blank = 0;

	/* The '=' or ':' inih splits at, unless a comment comes first. */
	for (s = line; *s != '\0' && *s != '=' && *s != ':'; s++) {
		if (was_blank && *s == ';')
			return NULL;
		was_blank = config_is_blank(*s);
	}
	if (*s == '\0')
		return NULL;
	for (s++; config_is_blank(*s); s++)
		/* nothing */;
	if (*s != '"')
		return NULL;
	open = s;
	for (q = strchr(open + 1, '"'); q != NULL; q = strchr(q + 1, '"')) {
		for (t = q + 1; config_is_blank(*t); t++)
			/* nothing */;
		if (*t == '\0' || (*t == ';' && t > q + 1))
			return xstrndup(open + 1, (size_t)(q - open - 1));
	}
	return NULL;
}

/* End of input for the reader: the end of the file, or a read error. */
static char *
config_read_failed(struct config_parse *p)
{
	if (ferror(p->f)) {
		p->cause = xasprintf("%s: read error: %s", p->file,
		    strerror(errno));
	}
	return NULL;
}

/*
 * The reader inih calls for each line: reads one line of at most size - 1
 * bytes into buf and counts it, so the handler knows its line number. It
 * drops leading blanks (so there are no continuation lines), rejects NUL
 * bytes and over-long lines instead of splitting them, checks section names,
 * which inih does not pass to the handler, and keeps a quoted value whole.
 * Returns NULL at the end or after the first error.
 */
static char *
config_reader(char *buf, int size, void *arg)
{
	struct config_parse	*p = arg;
	size_t			 len = 0, max, skip, i;
	int			 c, nul = 0;
	char			*end, *name;

	free(p->quoted);
	p->quoted = NULL;
	if (p->cause != NULL || size < 2)
		return NULL;
	max = (size_t)size - 1;

	if ((c = getc(p->f)) == EOF)
		return config_read_failed(p);
	p->lineno++;
	for (; c != EOF && c != '\n'; c = getc(p->f)) {
		if (c == '\0')
			nul = 1;
		if (len == max) {
			p->cause = xasprintf("%s:%d: line too long (more "
			    "than %zu bytes)", p->file, p->lineno, max);
			return NULL;
		}
		buf[len++] = (char)c;
	}
	if (c == EOF && ferror(p->f))
		return config_read_failed(p);
	buf[len] = '\0';
	if (nul) {
		p->cause = xasprintf("%s:%d: NUL byte in line", p->file,
		    p->lineno);
		return NULL;
	}

	skip = 0;
	if (p->lineno == 1 && strncmp(buf, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	while (config_is_blank(buf[skip]))
		skip++;
	memmove(buf, buf + skip, len - skip + 1);

	/* A section line as inih sees it: '[' up to ']' before a comment. */
	if (buf[0] == '[') {
		for (i = 1; buf[i] != '\0' && buf[i] != ']'; i++) {
			if (buf[i] == ';' && config_is_blank(buf[i - 1]))
				break;
		}
		if (buf[i] == ']') {
			end = buf + i;
			name = xstrndup(buf + 1, (size_t)(end - buf - 1));
			if (!config_section_known(name)) {
				p->cause = xasprintf("%s:%d: [%s]: unknown "
				    "section", p->file, p->lineno, name);
			}
			free(name);
			if (p->cause != NULL)
				return NULL;
		}
	} else if (buf[0] != ';' && buf[0] != '#')
		p->quoted = config_quoted_value(buf);
	return buf;
}

/* inih's handler for one key = value line. Returns 1, or 0 on error. */
static int
config_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	struct config_parse		*p = arg;
	char				*why = NULL;
	size_t				 idx;
	int				 ok = 0;

	if (p->cause != NULL)
		goto out;
	if (*section == '\0') {
		p->cause = xasprintf("%s:%d: %s: key outside any [section]",
		    p->file, p->lineno, key);
		goto out;
	}
	if (config_find(section, key, &idx) != 0) {
		if (config_section_known(section)) {
			p->cause = xasprintf("%s:%d: [%s] %s: unknown key",
			    p->file, p->lineno, section, key);
		} else {
			p->cause = xasprintf("%s:%d: [%s]: unknown section",
			    p->file, p->lineno, section);
		}
		goto out;
	}

	if (value[0] == '"') {
		if (p->quoted == NULL) {
			p->cause = xasprintf("%s:%d: [%s] %s: missing closing "
			    "quote", p->file, p->lineno, section, key);
			goto out;
		}
		value = p->quoted;
	}
	if (config_set(p->cfg, idx, value, xasprintf("from %s:%d", p->file,
	    p->lineno), &why) != 0) {
		p->cause = xasprintf("%s:%d: [%s] %s: %s", p->file, p->lineno,
		    section, key, why);
		goto out;
	}
	ok = 1;
out:
	free(why);
	return ok;
}

/*
 * Apply one file. A missing optional file is skipped. Returns 0, or -1 with
 * *cause (caller frees).
 */
static int
config_file(struct config *cfg, const char *file, int required, char **cause)
{
	struct config_parse	 p;
	int			 rv, rc = -1;

	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	p.file = file;
	if ((p.f = fopen(file, "r")) == NULL) {
		if (!required && (errno == ENOENT || errno == ENOTDIR))
			rc = 0;
		else
			*cause = xasprintf("%s: %s", file, strerror(errno));
		goto out;
	}

	rv = ini_parse_stream(config_reader, &p, config_handler, &p);
	/*
	 * inih returns the first line it found wrong, counting our handler's
	 * refusals; the reader stops at our first error, so an earlier line
	 * from inih is a syntax error that came first.
	 */
	if (rv > 0 && (p.cause == NULL || rv < p.lineno)) {
		free(p.cause);
		p.cause = xasprintf("%s:%d: syntax error", file, rv);
	} else if (rv < 0 && p.cause == NULL)
		p.cause = xasprintf("%s: cannot parse", file);
	if (p.cause != NULL) {
		*cause = p.cause;
		goto out;
	}
	rc = 0;
out:
	if (p.f != NULL)
		fclose(p.f);
	free(p.quoted);
	return rc;
}

/* POS_<SECTION>_<KEY>, upper case. */
static void
config_env_name(const struct config_entry *ce, char *buf, size_t len)
{
	char	*s;

	snprintf(buf, len, "POS_%s_%s", ce->section, ce->key);
	for (s = buf; *s != '\0'; s++) {
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
	}
}

/* Apply every POS_<SECTION>_<KEY> that is set. */
static int
config_environ(struct config *cfg, char **cause)
{
	const struct config_entry	*ce;
	const char			*value;
	char				 name[64], *why;
	size_t				 i;

	for (i = 0; i < CONFIG_NENTRIES; i++) {
		ce = &config_table[i];
		config_env_name(ce, name, sizeof name);
		if ((value = getenv(name)) == NULL)
			continue;
		if (config_set(cfg, i, value, xasprintf("env %s", name),
		    &why) != 0) {
			*cause = xasprintf("%s: [%s] %s: %s", name,
			    ce->section, ce->key, why);
			free(why);
			return -1;
		}
	}
	return 0;
}

void
config_defaults(struct config *cfg)
{
	const struct config_entry	*ce;
	size_t				 i;

	memset(cfg, 0, sizeof *cfg);
	cfg->sources = xcalloc(1, sizeof *cfg->sources);
	for (i = 0; i < CONFIG_NENTRIES; i++) {
		ce = &config_table[i];
		switch (ce->type) {
		case CONFIG_INT:
			*config_int_ptr(cfg, ce) = (int)ce->default_num;
			break;
		case CONFIG_ENUM:
			*config_int_ptr(cfg, ce) = config_choice(ce,
			    ce->default_str);
			break;
		default:
			if (ce->default_fn != NULL)
				*config_text_ptr(cfg, ce) = ce->default_fn();
			else
				*config_text_ptr(cfg, ce) =
				    xstrdup(ce->default_str);
			break;
		}
	}
}

void
config_free(struct config *cfg)
{
	const struct config_entry	*ce;
	size_t				 i;

	for (i = 0; i < CONFIG_NENTRIES; i++) {
		ce = &config_table[i];
		if (config_is_text(ce))
			free(*config_text_ptr(cfg, ce));
		if (cfg->sources != NULL)
			free(cfg->sources->where[i]);
	}
	free(cfg->sources);
	memset(cfg, 0, sizeof *cfg);
}

int
config_load(struct config *cfg, const char *file, char **cause)
{
	struct config	 tmp;
	const char	*system;
	char		*user = NULL, *error = NULL;
	int		 rc = -1;

	config_defaults(&tmp);

	system = getenv("POS_SYSTEM_CONFIG");
	if (system == NULL)
		system = CONFIG_SYSTEM_FILE;
	if (*system != '\0' && config_file(&tmp, system, 0, &error) != 0)
		goto out;

	user = config_xdg_path("XDG_CONFIG_HOME", ".config", "pos/pos.conf");
	if (user != NULL && config_file(&tmp, user, 0, &error) != 0)
		goto out;

	if (file != NULL && config_file(&tmp, file, 1, &error) != 0)
		goto out;

	if (config_environ(&tmp, &error) != 0)
		goto out;

	*cfg = tmp;
	rc = 0;
out:
	free(user);
	if (rc != 0) {
		config_free(&tmp);
		memset(cfg, 0, sizeof *cfg);
		if (cause != NULL)
			*cause = error;
		else
			free(error);
	}
	return rc;
}

void
config_print(const struct config *cfg, FILE *out)
{
	const struct config_entry	*ce;
	const char			*text, *where;
	char				 buf[32], *q;
	size_t				 i, j;
	int				 n;

	for (i = 0; i < CONFIG_NENTRIES; i++) {
		ce = &config_table[i];
		switch (ce->type) {
		case CONFIG_INT:
			snprintf(buf, sizeof buf, "%d",
			    config_int_get(cfg, ce));
			text = buf;
			break;
		case CONFIG_ENUM:
			n = config_int_get(cfg, ce);
			text = "";
			for (j = 0; ce->choices[j] != NULL; j++) {
				if ((int)j == n)
					text = ce->choices[j];
			}
			break;
		default:
			if ((text = config_text_get(cfg, ce)) == NULL)
				text = "";
			break;
		}
		where = NULL;
		if (cfg->sources != NULL)
			where = cfg->sources->where[i];
		q = config_quote(text, 0);
		fprintf(out, "[%s] %s = %s   # %s\n", ce->section, ce->key, q,
		    where != NULL ? where : "default");
		free(q);
	}
}

void
config_help(FILE *out)
{
	const struct config_entry	*ce;
	char				*type, *list, *def;
	size_t				 i;

	for (i = 0; i < CONFIG_NENTRIES; i++) {
		ce = &config_table[i];
		list = NULL;
		switch (ce->type) {
		case CONFIG_STRING:
			type = xstrdup("string");
			break;
		case CONFIG_PATH:
			type = xstrdup("path");
			break;
		case CONFIG_TIMEZONE:
			type = xstrdup("timezone");
			break;
		case CONFIG_URL:
			type = xstrdup("url");
			break;
		case CONFIG_CODE:
			type = xstrdup("code A-Z{3}");
			break;
		case CONFIG_INT:
			if (ce->choices != NULL) {
				list = config_choices_text(ce->choices, "|");
				type = xasprintf("int %s", list);
			} else
				type = xasprintf("int %ld..%ld", ce->min,
				    ce->max);
			break;
		default:
			list = config_choices_text(ce->choices, "|");
			type = xasprintf("enum %s", list);
			break;
		}
		if (ce->type == CONFIG_INT)
			def = xasprintf("%ld", ce->default_num);
		else if (ce->type == CONFIG_ENUM || ce->type == CONFIG_KEYWORD)
			def = xstrdup(*ce->default_str == '\0' ? "\"\"" :
			    ce->default_str);
		else
			def = config_quote(ce->default_fn != NULL ?
			    ce->default_text : ce->default_str, 0);
		fprintf(out, "[%s] %s  %s  default %s  — %s\n", ce->section,
		    ce->key, type, def, ce->help);
		free(def);
		free(type);
		free(list);
	}
}
