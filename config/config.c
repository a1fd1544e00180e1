/*
 * Loading the configuration: the layers that fill struct config, in order
 * (see config.h), and the file reader around inih. What a key is and
 * which values it takes is in config_keys.c.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "config.h"
#include "config_int.h"
#include "xalloc.h"

#define CONFIG_SYSTEM_FILE	"/etc/pos/pos.conf"

/* State while one file is parsed; the reader and the handler share it. */
struct config_parse {
	const struct config_table *t;
	void		*base;		/* the struct the rows point into */
	char		**where;	/* of each row */
	const char	*file;		/* as the caller named it */
	FILE		*f;
	int		 lineno;	/* of the line last read */
	char		*quoted;	/* its value inside quotes, or NULL */
	char		*cause;		/* first error, caller frees */
};

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
char *
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
			if (!config_table_section_known(p->t, name)) {
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
	if (config_table_find(p->t, section, key, &idx) != 0) {
		if (config_table_section_known(p->t, section)) {
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
	if (config_table_set(p->t, p->base, p->where, idx, value,
	    xasprintf("from %s:%d", p->file, p->lineno), &why) != 0) {
		p->cause = xasprintf("%s:%d: [%s] %s: %s", p->file, p->lineno,
		    section, key, why);
		goto out;
	}
	ok = 1;
out:
	free(why);
	return ok;
}

int
config_table_file(const struct config_table *t, void *base, char **where,
    const char *file, int required, char **cause)
{
	struct config_parse	 p;
	int			 rv, rc = POS_FAIL;

	memset(&p, 0, sizeof p);
	p.t = t;
	p.base = base;
	p.where = where;
	p.file = file;
	if ((p.f = fopen(file, "r")) == NULL) {
		if (!required && (errno == ENOENT || errno == ENOTDIR))
			rc = POS_OK;
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
	rc = POS_OK;
out:
	if (p.f != NULL)
		fclose(p.f);
	free(p.quoted);
	return rc;
}

void
config_table_env_name(const struct config_table *t,
    const struct config_entry *ce, char *buf, size_t len)
{
	char	*s;

	snprintf(buf, len, "%s_%s_%s", t->env_prefix, ce->section, ce->key);
	for (s = buf; *s != '\0'; s++) {
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
	}
}

int
config_table_environ(const struct config_table *t, void *base, char **where,
    char **cause)
{
	const struct config_entry	*ce;
	const char			*value;
	char				 name[64], *why;
	size_t				 i;

	for (i = 0; i < t->nrows; i++) {
		ce = &t->rows[i];
		config_table_env_name(t, ce, name, sizeof name);
		if ((value = getenv(name)) == NULL)
			continue;
		if (config_table_set(t, base, where, i, value,
		    xasprintf("env %s", name), &why) != 0) {
			*cause = xasprintf("%s: [%s] %s: %s", name,
			    ce->section, ce->key, why);
			free(why);
			return POS_FAIL;
		}
	}
	return POS_OK;
}

int
config_load(struct config *cfg, const char *file, char **cause)
{
	struct config	 tmp;
	const char	*system;
	char		*user = NULL, *error = NULL;
	int		 rc = POS_FAIL;

	config_defaults(&tmp);

	system = getenv("POS_SYSTEM_CONFIG");
	if (system == NULL)
		system = CONFIG_SYSTEM_FILE;
	if (*system != '\0' && config_table_file(&config_window, &tmp,
	    config_sources_where(&tmp), system, 0, &error) != 0)
		goto out;

	user = config_xdg_path("XDG_CONFIG_HOME", ".config", "pos/pos.conf");
	if (user != NULL && config_table_file(&config_window, &tmp,
	    config_sources_where(&tmp), user, 0, &error) != 0)
		goto out;

	if (file != NULL && config_table_file(&config_window, &tmp,
	    config_sources_where(&tmp), file, 1, &error) != 0)
		goto out;

	if (config_table_environ(&config_window, &tmp, config_sources_where(&tmp),
	    &error) != 0)
		goto out;

	*cfg = tmp;
	rc = POS_OK;
out:
	free(user);
	if (rc != POS_OK) {
		config_free(&tmp);
		memset(cfg, 0, sizeof *cfg);
		if (cause != NULL)
			*cause = error;
		else
			free(error);
	}
	return rc;
}
