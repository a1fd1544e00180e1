/*
 * The configuration keys: one row per key (section, key, type, bounds,
 * default, help), and what follows from a row alone: checking a value,
 * setting it, the defaults, and `pos config check` and the help text.
 * Reading files and the environment is in config.c.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config_int.h"
#include "utf8.h"
#include "xalloc.h"

#define nitems(a) (sizeof (a) / sizeof (a)[0])

#define CONFIG_ZONEINFO		"/usr/share/zoneinfo"
#define CONFIG_STRING_MAX	200		/* bytes of a string value */
#define CONFIG_PATH_MAX		(PATH_MAX - 1)	/* bytes of a path value */
#define CONFIG_QUOTE_MAX	64		/* bytes of a bad value shown */

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

static const struct config_entry config_rows[] = {
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
	{ .section = "window", .key = "receipt_url", .type = CONFIG_URL,
	  .default_str = "",
	  .help = "http(s) address receipts are served at: the QR code holds "
	      "URL/r/UUID; empty: the receipt number and UUID",
	  .offset = offsetof(struct config, window.receipt_url) },

	{ .section = "store", .key = "path", .type = CONFIG_PATH,
	  .default_fn = config_default_store,
	  .default_text = "$XDG_DATA_HOME/pos/window.db",
	  .help = "SQLite database of this window",
	  .offset = offsetof(struct config, store.path) },
	{ .section = "store", .key = "backup_dir", .type = CONFIG_PATH,
	  .default_str = "",
	  .help = "directory the close of day backs the store up to (a USB "
	      "stick's mount point); empty for none",
	  .offset = offsetof(struct config, store.backup_dir) },
	{ .section = "store", .key = "backup_keep", .type = CONFIG_INT,
	  .min = 1, .max = 1000, .default_num = 7,
	  .help = "backups of this store kept in backup_dir, newest first",
	  .offset = offsetof(struct config, store.backup_keep) },

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

#define CONFIG_NENTRIES nitems(config_rows)

const struct config_table config_window = {
	.rows = config_rows, .nrows = CONFIG_NENTRIES, .env_prefix = "POS",
};

/* Where each value came from: "from FILE:LINE", "env NAME"; NULL = default. */
struct config_sources {
	char	*where[CONFIG_NENTRIES];
};

_Static_assert(sizeof (enum config_digits) == sizeof (int),
    "CONFIG_ENUM values are stored as int");

static int
config_is_text(const struct config_entry *ce)
{
	return (ce->type != CONFIG_INT && ce->type != CONFIG_ENUM);
}

static char **
config_text_ptr(void *base, const struct config_entry *ce)
{
	return (char **)(void *)((char *)base + ce->offset);
}

static int *
config_int_ptr(void *base, const struct config_entry *ce)
{
	return (int *)(void *)((char *)base + ce->offset);
}

static const char *
config_text_get(const void *base, const struct config_entry *ce)
{
	return *(char *const *)(const void *)((const char *)base + ce->offset);
}

static int
config_int_get(const void *base, const struct config_entry *ce)
{
	return *(const int *)(const void *)((const char *)base + ce->offset);
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
		return POS_FAIL;
	errno = 0;
	n = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno == ERANGE)
		return POS_FAIL;
	*out = n;
	return POS_OK;
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

/* Why s is not an http(s) URL with a host, or NULL if it is one. */
static const char *
config_url_why(const char *s)
{
	const char	*rest;

	if (strncmp(s, "http://", 7) == 0)
		rest = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		rest = s + 8;
	else
		return "must start with http:// or https://";
	if (*rest == '\0' || *rest == '/')
		return "must name a host after http:// or https://";
	if (strchr(rest, ' ') != NULL)
		return "must not contain spaces";
	return NULL;
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
		if (config_url_why(value) != NULL)
			return config_why(config_url_why(value), value);
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

int
config_table_set(const struct config_table *t, void *base, char **where,
    size_t idx, const char *value, char *from, char **why)
{
	const struct config_entry	*ce = &t->rows[idx];
	char				**text;
	long				  num;

	if ((*why = config_check(ce, value, &num)) != NULL) {
		free(from);
		return POS_FAIL;
	}
	if (config_is_text(ce)) {
		text = config_text_ptr(base, ce);
		free(*text);
		*text = xstrdup(value);
	} else
		*config_int_ptr(base, ce) = (int)num;
	free(where[idx]);
	where[idx] = from;
	return POS_OK;
}

int
config_table_section_known(const struct config_table *t, const char *section)
{
	size_t	i;

	for (i = 0; i < t->nrows; i++) {
		if (strcmp(t->rows[i].section, section) == 0)
			return 1;
	}
	return 0;
}

int
config_table_find(const struct config_table *t, const char *section,
    const char *key, size_t *idx)
{
	size_t	i;

	for (i = 0; i < t->nrows; i++) {
		if (strcmp(t->rows[i].section, section) == 0 &&
		    strcmp(t->rows[i].key, key) == 0) {
			*idx = i;
			return POS_OK;
		}
	}
	return POS_FAIL;
}

void
config_table_defaults(const struct config_table *t, void *base)
{
	const struct config_entry	*ce;
	size_t				 i;

	for (i = 0; i < t->nrows; i++) {
		ce = &t->rows[i];
		switch (ce->type) {
		case CONFIG_INT:
			*config_int_ptr(base, ce) = (int)ce->default_num;
			break;
		case CONFIG_ENUM:
			*config_int_ptr(base, ce) = config_choice(ce,
			    ce->default_str);
			break;
		default:
			if (ce->default_fn != NULL)
				*config_text_ptr(base, ce) = ce->default_fn();
			else
				*config_text_ptr(base, ce) =
				    xstrdup(ce->default_str);
			break;
		}
	}
}

void
config_table_free(const struct config_table *t, void *base, char **where)
{
	const struct config_entry	*ce;
	size_t				 i;

	for (i = 0; i < t->nrows; i++) {
		ce = &t->rows[i];
		if (config_is_text(ce)) {
			free(*config_text_ptr(base, ce));
			*config_text_ptr(base, ce) = NULL;
		}
		if (where != NULL) {
			free(where[i]);
			where[i] = NULL;
		}
	}
}

char **
config_sources_where(struct config *cfg)
{
	return cfg->sources->where;
}

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->sources = xcalloc(1, sizeof *cfg->sources);
	config_table_defaults(&config_window, cfg);
}

void
config_free(struct config *cfg)
{
	config_table_free(&config_window, cfg, cfg->sources != NULL ?
	    cfg->sources->where : NULL);
	free(cfg->sources);
	memset(cfg, 0, sizeof *cfg);
}

void
config_table_print(const struct config_table *t, const void *base,
    char *const *where, FILE *out)
{
	const struct config_entry	*ce;
	const char			*text, *from;
	char				 buf[32], *q;
	size_t				 i, j;
	int				 n;

	for (i = 0; i < t->nrows; i++) {
		ce = &t->rows[i];
		switch (ce->type) {
		case CONFIG_INT:
			snprintf(buf, sizeof buf, "%d",
			    config_int_get(base, ce));
			text = buf;
			break;
		case CONFIG_ENUM:
			n = config_int_get(base, ce);
			text = "";
			for (j = 0; ce->choices[j] != NULL; j++) {
				if ((int)j == n)
					text = ce->choices[j];
			}
			break;
		default:
			if ((text = config_text_get(base, ce)) == NULL)
				text = "";
			break;
		}
		from = where != NULL ? where[i] : NULL;
		q = config_quote(text, 0);
		fprintf(out, "[%s] %s = %s   # %s\n", ce->section, ce->key, q,
		    from != NULL ? from : "default");
		free(q);
	}
}

void
config_print(const struct config *cfg, FILE *out)
{
	config_table_print(&config_window, cfg, cfg->sources != NULL ?
	    cfg->sources->where : NULL, out);
}

void
config_help(FILE *out)
{
	config_table_help(&config_window, out);
}

void
config_man(FILE *out)
{
	config_table_man(&config_window, out);
}

/* The type of a row as help shows it ("int 1..64"). Caller frees. */
static char *
config_type_text(const struct config_entry *ce)
{
	char	*type, *list = NULL;

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
			type = xasprintf("int %ld..%ld", ce->min, ce->max);
		break;
	default:
		list = config_choices_text(ce->choices, "|");
		type = xasprintf("enum %s", list);
		break;
	}
	free(list);
	return type;
}

/* The default of a row as help shows it. Caller frees. */
static char *
config_default_text(const struct config_entry *ce)
{
	if (ce->type == CONFIG_INT)
		return xasprintf("%ld", ce->default_num);
	if (ce->type == CONFIG_ENUM || ce->type == CONFIG_KEYWORD)
		return xstrdup(*ce->default_str == '\0' ? "\"\"" :
		    ce->default_str);
	return config_quote(ce->default_fn != NULL ? ce->default_text :
	    ce->default_str, 0);
}

void
config_table_help(const struct config_table *t, FILE *out)
{
	const struct config_entry	*ce;
	char				*type, *def;
	size_t				 i;

	for (i = 0; i < t->nrows; i++) {
		ce = &t->rows[i];
		type = config_type_text(ce);
		def = config_default_text(ce);
		fprintf(out, "[%s] %s  %s  default %s  — %s\n", ce->section,
		    ce->key, type, def, ce->help);
		free(def);
		free(type);
	}
}

void
config_man_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

void
config_table_man(const struct config_table *t, FILE *out)
{
	const struct config_entry	*ce;
	const char			*section = "";
	char				*type, *def, env[64];
	size_t				 i;

	for (i = 0; i < t->nrows; i++) {
		ce = &t->rows[i];
		if (strcmp(ce->section, section) != 0) {
			section = ce->section;
			fprintf(out, ".SS [%s]\n", section);
		}
		type = config_type_text(ce);
		def = config_default_text(ce);
		fprintf(out, ".TP\n.B %s\n", ce->key);
		config_man_text(out, type);
		fputs(", default ", out);
		config_man_text(out, def);
		fputs(".\n", out);
		config_man_text(out, ce->help);
		config_table_env_name(t, ce, env, sizeof env);
		fputs(".\nEnvironment: ", out);
		config_man_text(out, env);
		fputs(".\n", out);
		free(def);
		free(type);
	}
}
