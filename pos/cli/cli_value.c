/*
 * The command line's shared helpers: reading amounts, dates and PINs,
 * JSON and text values, the supervisor check.
 */
#include "cli_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cause.h"
#include "cmdline.h"
#include "money.h"
#include "store.h"
#include "user.h"
#include "utf8.h"
#include "xalloc.h"

#define CLI_PIN_MAX	64

int
cli_amount(struct cli *c, const char *what, const char *text, int64_t *out)
{
	char err[96];

	if (text == NULL)
		return cause_set(&c->cause, POS_INPUT, "%s is needed", what);
	if (money_parse(text, c->cfg.currency.decimals, false, out, err,
	    sizeof err) != 0)
		return cause_set(&c->cause, POS_INPUT, "%s: %s, got \"%s\"",
		    what, err, text);
	return POS_OK;
}

int
cli_date(struct cli *c, const char *what, const char *text)
{
	struct tm tm;
	char back[11];
	const char *end;

	memset(&tm, 0, sizeof tm);
	end = text != NULL ? strptime(text, "%Y-%m-%d", &tm) : NULL;
	if (end != NULL && *end == '\0') {
		/* Normalise (2026-02-30 becomes 2026-03-02) and compare. */
		time_t t = timegm(&tm);

		if (gmtime_r(&t, &tm) == NULL)
			end = NULL;
	}
	if (end == NULL || *end != '\0' ||
	    strftime(back, sizeof back, "%Y-%m-%d", &tm) != 10 ||
	    strcmp(back, text) != 0)
		return cause_set(&c->cause, POS_INPUT,
		    "%s: must be a date YYYY-MM-DD, "
		    "got \"%s\"", what, text != NULL ? text : "");
	return POS_OK;
}

/* Read a PIN: one line of standard input, else POS_PIN. Caller frees. */
char *
cli_read_pin(bool from_stdin)
{
	char buf[CLI_PIN_MAX + 2];
	const char *env;
	size_t len;

	if (from_stdin) {
		if (fgets(buf, sizeof buf, stdin) == NULL)
			return NULL;
		len = strcspn(buf, "\r\n");
		buf[len] = '\0';
		return xstrdup(buf);
	}
	if ((env = getenv("POS_PIN")) != NULL)
		return xstrdup(env);
	return NULL;
}

json_t *
cli_jqty(int64_t qty)
{
	char buf[32];

	qty_format(qty, buf, sizeof buf);
	return json_string(buf);
}

json_t *
cli_jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* An amount for people: grouped, in the configured digits, with the symbol. */
const char *
cli_money(struct cli *c, int64_t amount, char *buf, size_t len)
{
	char num[96];

	money_display(amount, c->cfg.currency.decimals, c->cfg.currency.digits,
	    num, sizeof num);
	snprintf(buf, len, "%s %s", num, c->cfg.currency.symbol);
	return buf;
}

/* s padded with spaces to width columns, on the left when right is set. */
const char *
cli_pad(const char *s, size_t width, bool right, char *buf, size_t len)
{
	size_t cols = utf8_term_width(s), pad = cols < width ? width - cols : 0;

	snprintf(buf, len, "%*s%s%*s", right ? (int)pad : 0, "", s,
	    right ? 0 : (int)pad, "");
	return buf;
}

int
cli_done(struct cli *c, int rc, char *cause)
{
	if (rc != POS_OK) {
		free(c->cause);
		c->cause = cause;
	} else
		free(cause);
	return rc;
}

/* Authenticate the --user of a supervisor command. */
int
cli_supervisor(struct cli *c, struct cmdline_args *a)
{
	const char *user;
	char *pin, *cause = NULL;
	int rc;

	if ((user = cli_user(c, a)) == NULL)
		return POS_INPUT;
	pin = cli_read_pin(c->pin_stdin || cmdline_flag(a, "pin-stdin"));
	rc = user_authenticate(c->st, user, pin, USER_SUPERVISOR, &cause);
	if (pin != NULL) {
		memset(pin, 0, strlen(pin));
		free(pin);
	}
	return cli_done(c, rc, cause);
}

const char *
cli_user(struct cli *c, struct cmdline_args *a)
{
	const char *u = cmdline_opt(a, "user");

	if (u == NULL)
		cause_set(&c->cause, POS_INPUT, "--user NAME is needed");
	return u;
}
