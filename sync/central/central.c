/*
 * pos-central: the central server and its office commands. One row per
 * command in central_cmds (words, usage, options, handler); usage text and
 * option checking come from those rows (cmdline.h). Exit codes are the window's:
 * 0 ok, 1 failure, 2 bad input or usage, 3 not allowed.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cause.h"
#include "cmdline.h"
#include "cstore.h"
#include "jsonmem.h"
#include "ledger.h"
#include "money.h"
#include "server.h"
#include "token.h"
#include "xalloc.h"

#define CENTRAL_MAX_NAME	120	/* characters, as the window's names */

struct central_args {
	struct cmdline_args	 args;
	char		       **pos;		/* args.pos */
	bool			 json;
	const char		*db;
};

typedef int	(*central_fn)(struct central_args *, char **cause);

/* Options every command takes. */
#define CENTRAL_COMMON_OPTS	"db=,json"

static int	central_init(struct central_args *, char **);
static int	central_branch_add(struct central_args *, char **);
static int	central_branch_list(struct central_args *, char **);
static int	central_branch_revoke(struct central_args *, char **);
static int	central_serve(struct central_args *, char **);
static int	central_report_producers(struct central_args *, char **);
static int	central_report_days(struct central_args *, char **);
static int	central_verify(struct central_args *, char **);

static const struct cmdline_cmd central_cmds[] = {
	{ .name = "init",
	  .usage = "--db FILE",
	  .handler = CMDLINE_FN(central_init),
	  .help = "create the central store (or upgrade it)" },
	{ .name = "branch", .sub = "add",
	  .usage = "CODE [--name NAME] --db FILE",
	  .opts = "name=",
	  .minargs = 1, .maxargs = 1,
	  .handler = CMDLINE_FN(central_branch_add),
	  .help = "add a branch; prints its token, only this once" },
	{ .name = "branch", .sub = "list",
	  .usage = "--db FILE [--json]",
	  .handler = CMDLINE_FN(central_branch_list),
	  .help = "list branches" },
	{ .name = "branch", .sub = "revoke",
	  .usage = "CODE --db FILE",
	  .minargs = 1, .maxargs = 1,
	  .handler = CMDLINE_FN(central_branch_revoke),
	  .help = "revoke a branch's token for good" },
	{ .name = "serve",
	  .usage = "--db FILE --listen ADDR:PORT [--tls-cert F "
	      "--tls-key F] [--threads N] [--max-body BYTES] [--max-entries N] "
	      "[--timeout S] [--max-connections N]",
	  .opts = "listen=,tls-cert=,tls-key=,threads=,max-body=,max-entries=,"
	      "timeout=,max-connections=",
	  .handler = CMDLINE_FN(central_serve),
	  .help = "serve the sync API; port 0 picks one; prints the address" },
	{ .name = "report", .sub = "producers",
	  .usage = "--db FILE [--date D] [--from D] [--to D] [--json]",
	  .opts = "date=,from=,to=",
	  .handler = CMDLINE_FN(central_report_producers),
	  .help = "every producer's earnings across all windows" },
	{ .name = "report", .sub = "days",
	  .usage = "--db FILE [--date D] [--json]",
	  .opts = "date=",
	  .handler = CMDLINE_FN(central_report_days),
	  .help = "every branch and terminal: days, sync, missing" },
	{ .name = "verify",
	  .usage = "--db FILE [--json]",
	  .handler = CMDLINE_FN(central_verify),
	  .help = "re-check every chain from the stored rows" },
};
#define CENTRAL_NCMDS (sizeof central_cmds / sizeof central_cmds[0])

static const char *
central_opt(const struct central_args *a, const char *name)
{
	return cmdline_opt(&a->args, name);
}

static void
central_print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s == NULL)
		xalloc_fatal("json_dumps");
	puts(s);
	free(s);
	json_decref(j);
}

/* Codes: 1-32 of letters, digits, '-', '_', '.' (the window's rule). */
static bool
central_code_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > LEDGER_MAX_CODE)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

/* Names: 1-120 characters of valid UTF-8 without control characters. */
static bool
central_name_valid(const char *s)
{
	json_t *j;
	size_t chars = 0;

	if (*s == '\0' || (j = json_string(s)) == NULL)
		return false;
	json_decref(j);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	return chars <= CENTRAL_MAX_NAME;
}

static bool
central_date_valid(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0))
		return false;
	return true;
}

static int
central_open(struct central_args *a, bool create, struct cstore **st,
    char **cause)
{
	return cstore_open(a->db, create, st, cause);
}

static int
central_init(struct central_args *a, char **cause)
{
	struct cstore *st;
	int rc;

	if ((rc = central_open(a, true, &st, cause)) != POS_OK)
		return rc;
	cstore_close(st);
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, "db", json_string(a->db));
		central_print_json(j);
	} else
		printf("central store ready: %s\n", a->db);
	return 0;
}

static int
central_branch_add(struct central_args *a, char **cause)
{
	const char *code = a->pos[0], *name = central_opt(a, "name");
	struct cstore *st;
	uint8_t digest[TOKEN_DIGEST];
	char token[TOKEN_HEX], now[21];
	int rc;

	if (!central_code_valid(code))
		return cause_set(cause, 2, "branch code \"%s\": must be 1-32 "
		    "letters, digits, '-', '_' or '.'", code);
	if (name != NULL && !central_name_valid(name))
		return cause_set(cause, 2, "--name: must be 1-%d characters "
		    "of UTF-8 without control characters", CENTRAL_MAX_NAME);
	if (token_generate(token) != 0)
		return cause_set(cause, 1, "no randomness for a token");
	token_digest(token, strlen(token), digest);
	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	cstore_now(now);
	rc = cstore_branch_add(st, code, name, digest, now, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return rc == CSTORE_BUSY ? 1 : rc;
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, "branch", json_string(code));
		json_object_set_new(j, "token", json_string(token));
		central_print_json(j);
	} else {
		puts(token);
		fprintf(stderr, "pos-central: branch %s added; the line above is "
		    "its token, shown only now: put it in the window's "
		    "[sync] token_file\n", code);
	}
	fflush(stdout);
	memset(token, 0, sizeof token);
	return 0;
}

static int
central_branch_list(struct central_args *a, char **cause)
{
	struct cstore *st;
	struct cstore_branch *b;
	size_t n;
	int rc;

	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	rc = cstore_branches(st, &b, &n, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return 1;
	if (a->json) {
		json_t *j = json_object(), *arr = json_array();

		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "code", json_string(b[i].code));
			json_object_set_new(o, "name", b[i].name != NULL ?
			    json_string(b[i].name) : json_null());
			json_object_set_new(o, "created_at",
			    json_string(b[i].created_at));
			json_object_set_new(o, "revoked", json_boolean(
			    b[i].revoked_at != NULL));
			json_object_set_new(o, "revoked_at", b[i].revoked_at !=
			    NULL ? json_string(b[i].revoked_at) : json_null());
			json_array_append_new(arr, o);
		}
		json_object_set_new(j, "branches", arr);
		central_print_json(j);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%-12s %-8s %s%s%s\n", b[i].code,
			    b[i].revoked_at != NULL ? "revoked" : "active",
			    b[i].created_at, b[i].name != NULL ? "  " : "",
			    b[i].name != NULL ? b[i].name : "");
	}
	cstore_branches_free(b, n);
	return 0;
}

static int
central_branch_revoke(struct central_args *a, char **cause)
{
	struct cstore *st;
	char now[21];
	int rc;

	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	cstore_now(now);
	rc = cstore_branch_revoke(st, a->pos[0], now, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return rc == CSTORE_BUSY ? 1 : rc;
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, "branch", json_string(a->pos[0]));
		json_object_set_new(j, "revoked_at", json_string(now));
		central_print_json(j);
	} else
		printf("branch %s: token revoked\n", a->pos[0]);
	return 0;
}

/* An unsigned option in [min, max], or the default when absent. */
static int
central_uint(struct central_args *a, const char *name, unsigned long long min,
    unsigned long long max, unsigned long long *out, char **cause)
{
	const char *v = central_opt(a, name);
	char *end;

	if (v == NULL)
		return 0;
	errno = 0;
	*out = strtoull(v, &end, 10);
	if (*v == '\0' || *v == '-' || *end != '\0' || errno != 0 ||
	    *out < min || *out > max)
		return cause_set(cause, 2, "--%s: must be a number %llu..%llu, "
		    "got \"%s\"", name, min, max, v);
	return 0;
}

static int
central_serve(struct central_args *a, char **cause)
{
	struct server_config cfg;
	struct server *s;
	unsigned long long v;
	sigset_t set;
	int rc, sig;

	server_defaults(&cfg);
	cfg.db_path = a->db;
	if ((cfg.listen = central_opt(a, "listen")) == NULL)
		return cause_set(cause, 2, "serve: --listen ADDR:PORT is "
		    "required");
	cfg.tls_cert = central_opt(a, "tls-cert");
	cfg.tls_key = central_opt(a, "tls-key");
	v = cfg.threads;
	if ((rc = central_uint(a, "threads", 1, 64, &v, cause)) != 0)
		return rc;
	cfg.threads = (unsigned)v;
	v = cfg.max_body;
	if ((rc = central_uint(a, "max-body", 1024, 1u << 30, &v, cause)) != 0)
		return rc;
	cfg.max_body = (size_t)v;
	v = cfg.max_entries;
	if ((rc = central_uint(a, "max-entries", 1, 100000, &v, cause)) != 0)
		return rc;
	cfg.max_entries = (size_t)v;
	v = cfg.timeout;
	if ((rc = central_uint(a, "timeout", 1, 3600, &v, cause)) != 0)
		return rc;
	cfg.timeout = (unsigned)v;
	v = cfg.max_connections;
	if ((rc = central_uint(a, "max-connections", 1, 10000, &v, cause)) != 0)
		return rc;
	cfg.max_connections = (unsigned)v;

	/* Workers inherit the mask; the main thread takes the signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((rc = server_start(&cfg, &s, cause)) != 0)
		return rc;
	printf("listening on %s\n", server_address(s));
	fflush(stdout);
	while (sigwait(&set, &sig) == 0 && sig == SIGHUP)
		;
	server_stop(s);
	return 0;
}

static int
central_report_producers(struct central_args *a, char **cause)
{
	const char *date = central_opt(a, "date"), *from = central_opt(a, "from"),
	    *to = central_opt(a, "to");
	struct cstore *st;
	struct cstore_producer *p;
	size_t n, ntot = 0;
	int rc;
	struct total {
		const char *cur;
		int64_t dec, sold, refunded, net, paid_out;
	} *tot;

	if (date != NULL && (from != NULL || to != NULL))
		return cause_set(cause, 2, "--date or --from/--to, not both");
	if (date != NULL)
		from = to = date;
	if (from == NULL)
		from = "0000-01-01";
	if (to == NULL)
		to = "9999-12-31";
	if ((date != NULL && !central_date_valid(date)) ||
	    (central_opt(a, "from") != NULL && !central_date_valid(from)) ||
	    (central_opt(a, "to") != NULL && !central_date_valid(to)))
		return cause_set(cause, 2, "dates must be YYYY-MM-DD");
	if (strcmp(from, to) > 0)
		return cause_set(cause, 2, "--from %s is after --to %s", from,
		    to);
	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	if ((rc = cstore_begin(st, false, cause)) == POS_OK)
		rc = cstore_report_producers(st, from, to, &p, &n, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return 1;

	tot = xcalloc(n + 1, sizeof *tot);
	for (size_t i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < ntot; k++)
			if (strcmp(tot[k].cur, p[i].currency) == 0 &&
			    tot[k].dec == p[i].decimals)
				break;
		if (k == ntot) {
			tot[ntot].cur = p[i].currency;
			tot[ntot++].dec = p[i].decimals;
		}
		tot[k].sold += p[i].sold;
		tot[k].refunded += p[i].refunded;
		tot[k].net += p[i].net;
		tot[k].paid_out += p[i].paid_out;
	}
	if (a->json) {
		json_t *j = json_object(), *arr = json_array(), *tarr;

		json_object_set_new(j, "from", date != NULL ||
		    central_opt(a, "from") != NULL ? json_string(from) :
		    json_null());
		json_object_set_new(j, "to", date != NULL ||
		    central_opt(a, "to") != NULL ? json_string(to) : json_null());
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "code", json_string(p[i].code));
			json_object_set_new(o, "name", json_string(p[i].name));
			json_object_set_new(o, "currency",
			    json_string(p[i].currency));
			json_object_set_new(o, "decimals",
			    json_integer(p[i].decimals));
			json_object_set_new(o, "sold",
			    money_json(p[i].sold, p[i].decimals));
			json_object_set_new(o, "refunded",
			    money_json(p[i].refunded, p[i].decimals));
			json_object_set_new(o, "net",
			    money_json(p[i].net, p[i].decimals));
			json_object_set_new(o, "paid_out",
			    money_json(p[i].paid_out, p[i].decimals));
			json_object_set_new(o, "balance",
			    money_json(p[i].balance, p[i].decimals));
			json_object_set_new(o, "owed",
			    money_json(p[i].owed, p[i].decimals));
			json_object_set_new(o, "branches",
			    json_integer(p[i].branches));
			json_array_append_new(arr, o);
		}
		json_object_set_new(j, "producers", arr);
		tarr = json_array();
		for (size_t k = 0; k < ntot; k++) {
			json_t *o = json_object();

			json_object_set_new(o, "currency", json_string(tot[k].cur));
			json_object_set_new(o, "decimals", json_integer(tot[k].dec));
			json_object_set_new(o, "sold",
			    money_json(tot[k].sold, tot[k].dec));
			json_object_set_new(o, "refunded",
			    money_json(tot[k].refunded, tot[k].dec));
			json_object_set_new(o, "net",
			    money_json(tot[k].net, tot[k].dec));
			json_object_set_new(o, "paid_out",
			    money_json(tot[k].paid_out, tot[k].dec));
			json_array_append_new(tarr, o);
		}
		json_object_set_new(j, "totals", tarr);
		json_object_set_new(j, "net", ntot == 1 ?
		    money_json(tot[0].net, tot[0].dec) : json_null());
		central_print_json(j);
	} else {
		char s1[32], s2[32], s3[32], s4[32], s5[32], s6[32];

		printf("producers %s .. %s\n", from, to);
		printf("%-12s %-4s %12s %12s %12s %12s %12s %12s  %s\n", "code",
		    "cur", "sold", "refunded", "net", "paid out", "balance",
		    "owed", "name");
		for (size_t i = 0; i < n; i++) {
			int d = (int)p[i].decimals;

			money_format(p[i].sold, d, s1, sizeof s1);
			money_format(p[i].refunded, d, s2, sizeof s2);
			money_format(p[i].net, d, s3, sizeof s3);
			money_format(p[i].paid_out, d, s4, sizeof s4);
			money_format(p[i].balance, d, s5, sizeof s5);
			money_format(p[i].owed, d, s6, sizeof s6);
			printf("%-12s %-4s %12s %12s %12s %12s %12s %12s  %s\n",
			    p[i].code, p[i].currency, s1, s2, s3, s4, s5, s6,
			    p[i].name);
		}
		for (size_t k = 0; k < ntot; k++) {
			money_format(tot[k].net, (int)tot[k].dec, s1, sizeof s1);
			printf("net %s %s\n", tot[k].cur, s1);
		}
	}
	free(tot);
	cstore_producers_free(p, n);
	return 0;
}

/*
 * Every chain with its days, and what is missing for date D (default: the
 * latest business date any chain has reached): a branch with a valid token
 * that never synced; a chain with nothing for D or later (it has not synced
 * since its last day); a chain whose latest day is not closed.
 */
static int
central_report_days(struct central_args *a, char **cause)
{
	const char *date = central_opt(a, "date");
	struct cstore *st;
	struct cstore_branch *b = NULL;
	struct cstore_chain *c = NULL;
	struct cstore_day **days = NULL;
	size_t nb = 0, nc = 0, *nd = NULL;
	char latest[11] = "";
	json_t *j, *chains, *missing;
	int rc;

	if (date != NULL && !central_date_valid(date))
		return cause_set(cause, 2, "--date: must be YYYY-MM-DD, got "
		    "\"%s\"", date);
	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	if ((rc = cstore_begin(st, false, cause)) == POS_OK)
		rc = cstore_branches(st, &b, &nb, cause);
	if (rc == POS_OK)
		rc = cstore_chains(st, NULL, &c, &nc, cause);
	if (rc == POS_OK) {
		days = xcalloc(nc + 1, sizeof *days);
		nd = xcalloc(nc + 1, sizeof *nd);
		for (size_t i = 0; i < nc && rc == POS_OK; i++)
			rc = cstore_days(st, c[i].branch, c[i].terminal,
			    &days[i], &nd[i], cause);
	}
	cstore_close(st);
	if (rc != POS_OK) {
		rc = 1;
		goto out;
	}
	for (size_t i = 0; i < nc; i++)
		if (nd[i] > 0 && strcmp(days[i][nd[i] - 1].date, latest) > 0)
			snprintf(latest, sizeof latest, "%s",
			    days[i][nd[i] - 1].date);
	if (date == NULL && latest[0] != '\0')
		date = latest;

	j = json_object();
	json_object_set_new(j, "date", date != NULL ? json_string(date) :
	    json_null());
	chains = json_array();
	missing = json_array();
	for (size_t i = 0; i < nb; i++) {
		bool any = false;

		for (size_t k = 0; k < nc; k++)
			any |= strcmp(c[k].branch, b[i].code) == 0;
		if (!any && b[i].revoked_at == NULL) {
			json_t *m = json_object(), *r = json_array();

			json_object_set_new(m, "branch", json_string(b[i].code));
			json_object_set_new(m, "terminal", json_null());
			json_array_append_new(r, json_string("never synced"));
			json_object_set_new(m, "reasons", r);
			json_array_append_new(missing, m);
		}
	}
	for (size_t i = 0; i < nc; i++) {
		json_t *o = json_object(), *darr = json_array(), *r;
		const struct cstore_day *last = nd[i] > 0 ?
		    &days[i][nd[i] - 1] : NULL;
		const struct cstore_day *on = NULL;
		bool revoked = false;

		for (size_t k = 0; k < nb; k++)
			if (strcmp(b[k].code, c[i].branch) == 0)
				revoked = b[k].revoked_at != NULL;
		for (size_t k = 0; k < nd[i]; k++) {
			json_t *d = json_object();

			json_object_set_new(d, "date",
			    json_string(days[i][k].date));
			json_object_set_new(d, "opened",
			    json_boolean(days[i][k].open_seq > 0));
			json_object_set_new(d, "closed",
			    json_boolean(days[i][k].close_seq > 0));
			json_object_set_new(d, "entries",
			    json_integer(days[i][k].entries));
			json_array_append_new(darr, d);
			if (date != NULL && strcmp(days[i][k].date, date) == 0)
				on = &days[i][k];
		}
		json_object_set_new(o, "branch", json_string(c[i].branch));
		json_object_set_new(o, "terminal", json_integer(c[i].terminal));
		json_object_set_new(o, "last_seq", json_integer(c[i].last_seq));
		json_object_set_new(o, "head", json_string(c[i].head));
		json_object_set_new(o, "first_received",
		    json_string(c[i].first_received));
		json_object_set_new(o, "last_received",
		    json_string(c[i].last_received));
		json_object_set_new(o, "days", darr);
		json_object_set_new(o, "latest_day", last != NULL ?
		    json_string(last->date) : json_null());
		json_object_set_new(o, "latest_closed",
		    json_boolean(last != NULL && last->close_seq > 0));
		json_object_set_new(o, "date_closed",
		    json_boolean(on != NULL && on->close_seq > 0));
		json_array_append_new(chains, o);

		r = json_array();
		if (last != NULL && date != NULL && strcmp(last->date, date) < 0) {
			char *msg = xasprintf("nothing for %s: last synced day "
			    "%s (received %s)", date, last->date,
			    c[i].last_received);

			json_array_append_new(r, json_string(msg));
			free(msg);
		}
		if (last != NULL && last->close_seq == 0) {
			char *msg = xasprintf("day %s not closed", last->date);

			json_array_append_new(r, json_string(msg));
			free(msg);
		}
		if (json_array_size(r) > 0 && !revoked) {
			json_t *m = json_object();

			json_object_set_new(m, "branch", json_string(c[i].branch));
			json_object_set_new(m, "terminal",
			    json_integer(c[i].terminal));
			json_object_set_new(m, "reasons", r);
			json_array_append_new(missing, m);
		} else
			json_decref(r);
	}
	json_object_set_new(j, "chains", chains);
	json_object_set_new(j, "missing", missing);
	if (a->json)
		central_print_json(j);
	else {
		size_t k;
		json_t *o, *m, *r;

		printf("days up to %s\n", date != NULL ? date : "(no entries)");
		json_array_foreach(chains, k, o) {
			printf("%s/%lld  last seq %lld  received %s  latest day "
			    "%s %s\n",
			    json_string_value(json_object_get(o, "branch")),
			    (long long)json_integer_value(json_object_get(o,
			    "terminal")),
			    (long long)json_integer_value(json_object_get(o,
			    "last_seq")),
			    json_string_value(json_object_get(o,
			    "last_received")),
			    json_is_string(json_object_get(o, "latest_day")) ?
			    json_string_value(json_object_get(o, "latest_day")) :
			    "-", json_is_true(json_object_get(o,
			    "latest_closed")) ? "closed" : "open");
		}
		json_array_foreach(missing, k, m) {
			size_t q;

			printf("missing: %s/",
			    json_string_value(json_object_get(m, "branch")));
			if (json_is_integer(json_object_get(m, "terminal")))
				printf("%lld", (long long)json_integer_value(
				    json_object_get(m, "terminal")));
			else
				printf("-");
			json_array_foreach(json_object_get(m, "reasons"), q, r)
				printf("%s %s", q == 0 ? ":" : ";",
				    json_string_value(r));
			printf("\n");
		}
		json_decref(j);
	}
	rc = 0;
out:
	for (size_t i = 0; days != NULL && i < nc; i++)
		free(days[i]);
	free(days);
	free(nd);
	cstore_chains_free(c, nc);
	cstore_branches_free(b, nb);
	return rc;
}

struct verify_state {
	const struct cstore_chain *chain;
	int64_t	 entries;
	int64_t	 bad_seq;
	char	 head[LEDGER_HASH_HEX];
	char	*error;
};

static int
central_verify_one(void *arg, const struct ledger_entry *e)
{
	struct verify_state *v = arg;
	char *why = NULL;

	if (v->bad_seq != 0)
		return 0;
	v->entries++;
	if (e->seq != v->entries)
		v->error = xasprintf("seq %lld where %lld was expected",
		    (long long)e->seq, (long long)v->entries);
	else if (strcmp(e->prev_hash, v->head) != 0)
		v->error = xstrdup("prev_hash does not match the previous hash");
	else if (ledger_validate(e, &why) != 0) {
		v->error = xasprintf("invalid stored entry: %s", why);
		free(why);
	} else if (!ledger_check(e))
		v->error = xstrdup("hash does not match the stored entry");
	if (v->error != NULL) {
		v->bad_seq = e->seq;
		return 0;
	}
	memcpy(v->head, e->hash, sizeof v->head);
	return 0;
}

static int
central_verify(struct central_args *a, char **cause)
{
	struct cstore *st;
	struct cstore_chain *c;
	size_t n;
	json_t *j, *arr;
	bool all_ok = true;
	int rc;

	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	if ((rc = cstore_begin(st, false, cause)) != POS_OK ||
	    (rc = cstore_chains(st, NULL, &c, &n, cause)) != POS_OK) {
		cstore_close(st);
		return 1;
	}
	j = json_object();
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct verify_state v;
		json_t *o = json_object();

		memset(&v, 0, sizeof v);
		v.chain = &c[i];
		memcpy(v.head, ledger_genesis, sizeof v.head);
		rc = cstore_each_entry(st, c[i].branch, c[i].terminal,
		    central_verify_one, &v, cause);
		if (rc != POS_OK) {
			json_decref(o);
			json_decref(arr);
			json_decref(j);
			cstore_chains_free(c, n);
			cstore_close(st);
			return 1;
		}
		if (v.bad_seq == 0 && (v.entries != c[i].last_seq ||
		    strcmp(v.head, c[i].head) != 0)) {
			v.bad_seq = c[i].last_seq;
			v.error = xasprintf("the stored head (seq %lld) does not "
			    "match the entries (%lld entries)",
			    (long long)c[i].last_seq, (long long)v.entries);
		}
		all_ok &= v.bad_seq == 0;
		json_object_set_new(o, "branch", json_string(c[i].branch));
		json_object_set_new(o, "terminal", json_integer(c[i].terminal));
		json_object_set_new(o, "entries", json_integer(v.entries));
		json_object_set_new(o, "head", json_string(v.head));
		json_object_set_new(o, "ok", json_boolean(v.bad_seq == 0));
		json_object_set_new(o, "bad_seq", v.bad_seq != 0 ?
		    json_integer(v.bad_seq) : json_null());
		json_object_set_new(o, "error", v.error != NULL ?
		    json_string(v.error) : json_null());
		if (!a->json) {
			if (v.bad_seq == 0)
				printf("ok   %s/%lld: %lld entries, head %s\n",
				    c[i].branch, (long long)c[i].terminal,
				    (long long)v.entries, v.head);
			else
				printf("BAD  %s/%lld: seq %lld: %s\n",
				    c[i].branch, (long long)c[i].terminal,
				    (long long)v.bad_seq, v.error);
		}
		free(v.error);
		json_array_append_new(arr, o);
	}
	cstore_chains_free(c, n);
	cstore_close(st);
	json_object_set_new(j, "ok", json_boolean(all_ok));
	json_object_set_new(j, "chains", arr);
	if (a->json)
		central_print_json(j);
	else {
		printf("%s\n", all_ok ? "ok" : "FAILED");
		json_decref(j);
	}
	if (!all_ok)
		fprintf(stderr, "pos-central: verify: a chain is broken\n");
	return all_ok ? 0 : 1;
}

static void
central_usage(FILE *out)
{
	fprintf(out, "usage: pos-central COMMAND ... --db FILE [--json]\n\n");
	cmdline_help(out, "pos-central", central_cmds, CENTRAL_NCMDS, 0, "");
}

static int
central_parse(int argc, char **argv, const struct cmdline_cmd **cmd,
    struct central_args *a, char **cause)
{
	const char *words[2] = { NULL, NULL };
	struct cmdline_error err;
	size_t nwords = 0;
	int i, used;

	memset(a, 0, sizeof *a);
	/* The command words are the first non-option arguments. */
	for (i = 1; i < argc && nwords < 2; i++) {
		if (strncmp(argv[i], "--", 2) == 0) {
			if (strchr(argv[i], '=') == NULL && i + 1 < argc &&
			    strcmp(argv[i], "--json") != 0)
				i++;
			continue;
		}
		words[nwords++] = argv[i];
	}
	if (nwords == 0)
		return cause_set(cause, 2, "no command (try pos-central help)");
	*cmd = cmdline_find(central_cmds, CENTRAL_NCMDS, words[0], words[1],
	    &used);
	if (*cmd == NULL)
		return cause_set(cause, 2, "unknown command \"%s%s%s\" (try "
		    "pos-central help)", words[0], words[1] != NULL ? " " : "",
		    words[1] != NULL ? words[1] : "");
	if (cmdline_parse(*cmd, CENTRAL_COMMON_OPTS, CMDLINE_PLAIN, argc - 1,
	    argv + 1, used, &a->args, &err) != 0) {
		const char *w = (*cmd)->name, *sp = (*cmd)->sub ? " " : "",
		    *sub = (*cmd)->sub ? (*cmd)->sub : "", *u = (*cmd)->usage;

		switch (err.fault) {
		case CMDLINE_SURPLUS:
			return cause_set(cause, 2, "unexpected argument "
			    "\"%s\"; usage: pos-central %s%s%s %s", err.word,
			    w, sp, sub, u);
		case CMDLINE_TWICE:
			return cause_set(cause, 2, "--%s given twice",
			    err.name);
		case CMDLINE_NEEDS_VALUE:
			return cause_set(cause, 2, "--%s needs a value",
			    err.name);
		case CMDLINE_NO_VALUE:
			return cause_set(cause, 2, "--%s takes no value",
			    err.name);
		case CMDLINE_MISSING:
			return cause_set(cause, 2, "missing argument; usage: "
			    "pos-central %s%s%s %s", w, sp, sub, u);
		default:
			return cause_set(cause, 2, "unknown option --%s; "
			    "usage: pos-central %s%s%s %s", err.name, w, sp,
			    sub, u);
		}
	}
	a->pos = a->args.pos;
	a->json = central_opt(a, "json") != NULL;
	if ((a->db = central_opt(a, "db")) == NULL || *a->db == '\0')
		return cause_set(cause, 2, "--db FILE is required");
	return 0;
}

int
main(int argc, char **argv)
{
	const struct cmdline_cmd *cmd = NULL;
	struct central_args a;
	char *cause = NULL;
	int rc;

	jsonmem_install();
	if (argc == 2 && (strcmp(argv[1], "help") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		central_usage(stdout);
		return 0;
	}
	rc = central_parse(argc, argv, &cmd, &a, &cause);
	if (rc == 0)
		rc = ((central_fn)cmd->handler)(&a, &cause);
	if (rc != 0 && cause != NULL) {
		bool json = false;

		for (int i = 1; i < argc; i++)
			json |= strcmp(argv[i], "--json") == 0;
		if (rc == CSTORE_BUSY)
			rc = 1;
		fprintf(stderr, "pos-central: %s\n", cause);
		if (json) {
			json_t *j = json_object();

			json_object_set_new(j, "error", json_string(cause));
			json_object_set_new(j, "exit", json_integer(rc));
			central_print_json(j);
		}
	}
	if (rc == CSTORE_BUSY)
		rc = 1;
	cmdline_args_free(&a.args);
	free(cause);
	return rc;
}
