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
#include <sys/stat.h>

#include <jansson.h>
#ifdef POS_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "account.h"
#include "cause.h"
#include "central_conf.h"
#include "clog.h"
#include "cmdline.h"
#include "cmigrate.h"
#include "cnames.h"
#include "cdays.h"
#include "creport.h"
#include "cstore.h"
#include "jsonmem.h"
#include "ledger.h"
#include "master.h"
#include "plink.h"
#include "money.h"
#include "rjson.h"
#include "server.h"
#include "token.h"
#include "xalloc.h"

#define CENTRAL_MAX_NAME	MASTER_MAX_NAME

struct central_args {
	struct cmdline_args	 args;
	char		       **pos;		/* args.pos */
	bool			 json;
	const char		*db;		/* --db, else the configuration's */
	struct central_conf	 conf;
};

/* Commands that need no store (central_cmds' flags). */
#define CENTRAL_NO_DB	0x1

typedef int	(*central_fn)(struct central_args *, char **cause);

/* Options every command takes. */
#define CENTRAL_COMMON_OPTS	"db=,json,config="

static int	central_init(struct central_args *, char **);
static int	central_branch_add(struct central_args *, char **);
static int	central_branch_list(struct central_args *, char **);
static int	central_branch_revoke(struct central_args *, char **);
static int	central_serve(struct central_args *, char **);
static int	central_report_producers(struct central_args *, char **);
static int	central_report_days(struct central_args *, char **);
static int	central_report_missing(struct central_args *, char **);
static int	central_verify(struct central_args *, char **);
static int	central_config_check(struct central_args *, char **);
static int	central_config_keys(struct central_args *, char **);
static int	central_help(struct central_args *, char **);
static int	central_migrate(struct central_args *, char **);
static int	central_producer_add(struct central_args *, char **);
static int	central_producer_set(struct central_args *, char **);
static int	central_producer_list(struct central_args *, char **);
static int	central_producer_merge(struct central_args *, char **);
static int	central_producer_unmerge(struct central_args *, char **);
static int	central_producer_link(struct central_args *, char **);
static int	central_product_add(struct central_args *, char **);
static int	central_product_set(struct central_args *, char **);
static int	central_product_list(struct central_args *, char **);
static int	central_import(struct central_args *, char **);
static int	central_report_conflicts(struct central_args *, char **);
static int	central_user_add(struct central_args *, char **);
static int	central_user_list(struct central_args *, char **);
static int	central_user_disable(struct central_args *, char **);
static int	central_token_add(struct central_args *, char **);
static int	central_token_list(struct central_args *, char **);
static int	central_token_revoke(struct central_args *, char **);

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
	      "--tls-key F] [--tls-priorities S] [--threads N] [--db-pool N] "
	      "[--max-body BYTES] [--max-entries N] [--timeout S] "
	      "[--max-connections N] [--max-per-address N] "
	      "[--max-per-branch N] [--rate-address N] [--rate-branch N] "
	      "[--progress-timeout S] [--date-tolerance-days N]",
	  .opts = "listen=,tls-cert=,tls-key=,tls-priorities=,threads=,db-pool=,"
	      "max-body=,max-entries=,timeout=,max-connections=,"
	      "max-per-address=,max-per-branch=,rate-address=,rate-branch=,"
	      "progress-timeout=,date-tolerance-days=",
	  .handler = CMDLINE_FN(central_serve),
	  .help = "serve the sync API; port 0 picks one; prints the address" },
	{ .name = "report", .sub = "producers",
	  .usage = "--db FILE [--date D] [--from D] [--to D] [--producer CODE]"
	      " [--json]",
	  .opts = "date=,from=,to=,producer=",
	  .handler = CMDLINE_FN(central_report_producers),
	  .help = "every producer's earnings across all windows" },
	{ .name = "report", .sub = "days",
	  .usage = "--db FILE [--date D] [--from D] [--to D] [--json]",
	  .opts = "date=,from=,to=",
	  .handler = CMDLINE_FN(central_report_days),
	  .help = "every branch and terminal: days in money, sync, missing" },
	{ .name = "report", .sub = "missing",
	  .usage = "--db FILE [--hours N] [--json]",
	  .opts = "hours=",
	  .handler = CMDLINE_FN(central_report_missing),
	  .help = "terminals not heard from, days not closed, cash "
	      "differences, rejected entries" },
	{ .name = "report", .sub = "conflicts",
	  .usage = "--db FILE [--json]",
	  .handler = CMDLINE_FN(central_report_conflicts),
	  .help = "codes whose name differs between the register and a "
	      "window, or between windows" },
	{ .name = "verify",
	  .usage = "--db FILE [--json]",
	  .handler = CMDLINE_FN(central_verify),
	  .help = "re-check every chain from the stored rows" },
	{ .name = "config", .sub = "check",
	  .usage = "[--config FILE]",
	  .flags = CENTRAL_NO_DB,
	  .handler = CMDLINE_FN(central_config_check),
	  .help = "validate and print the effective configuration" },
	{ .name = "config", .sub = "keys",
	  .usage = "[--man]",
	  .opts = "man",
	  .flags = CENTRAL_NO_DB,
	  .handler = CMDLINE_FN(central_config_keys),
	  .help = "list every key of central.conf; --man: as central.conf(5) "
	      "lists them" },
	{ .name = "help",
	  .usage = "[--man]",
	  .opts = "man",
	  .flags = CENTRAL_NO_DB,
	  .handler = CMDLINE_FN(central_help),
	  .help = "this list; --man: as pos-central(8) lists it" },
	{ .name = "migrate",
	  .usage = "--from FILE --db URI [--json]",
	  .opts = "from=",
	  .handler = CMDLINE_FN(central_migrate),
	  .help = "copy a SQLite central store into PostgreSQL (re-runnable)" },
	{ .name = "producer", .sub = "add",
	  .usage = "CODE NAME [--phone P] --db FILE",
	  .opts = "phone=",
	  .minargs = 2, .maxargs = 2,
	  .handler = CMDLINE_FN(central_producer_add),
	  .help = "register a producer (code unique across the organisation)" },
	{ .name = "producer", .sub = "set",
	  .usage = "CODE [--name N] [--phone P] [--active yes|no] --db FILE",
	  .opts = "name=,phone=,active=",
	  .minargs = 1, .maxargs = 1,
	  .handler = CMDLINE_FN(central_producer_set),
	  .help = "change a registered producer" },
	{ .name = "producer", .sub = "list",
	  .usage = "--db FILE [--json]",
	  .handler = CMDLINE_FN(central_producer_list),
	  .help = "registered producers, the merges, and producers local to "
	      "a window" },
	{ .name = "producer", .sub = "merge",
	  .usage = "FROM INTO --db FILE",
	  .minargs = 2, .maxargs = 2,
	  .handler = CMDLINE_FN(central_producer_merge),
	  .help = "count FROM as INTO in every report (journals unchanged)" },
	{ .name = "producer", .sub = "unmerge",
	  .usage = "FROM --db FILE",
	  .minargs = 1, .maxargs = 1,
	  .handler = CMDLINE_FN(central_producer_unmerge),
	  .help = "undo FROM's merge" },
	{ .name = "producer", .sub = "link",
	  .usage = "CODE [--rotate] --db FILE",
	  .opts = "rotate",
	  .minargs = 1, .maxargs = 1,
	  .handler = CMDLINE_FN(central_producer_link),
	  .help = "print the producer's secret page link; --rotate: a new "
	      "one, the old one stops working" },
	{ .name = "product", .sub = "add",
	  .usage = "CODE NAME PRICE --producer CODE [--unit piece|kg] "
	      "[--barcode B] --db FILE",
	  .opts = "producer=,unit=,barcode=",
	  .minargs = 3, .maxargs = 3,
	  .handler = CMDLINE_FN(central_product_add),
	  .help = "add a product to the catalogue" },
	{ .name = "product", .sub = "set",
	  .usage = "CODE [--price P] [--name N] [--barcode B] "
	      "[--active yes|no] --db FILE",
	  .opts = "price=,name=,barcode=,active=",
	  .minargs = 1, .maxargs = 1,
	  .handler = CMDLINE_FN(central_product_set),
	  .help = "change a product of the catalogue" },
	{ .name = "product", .sub = "list",
	  .usage = "--db FILE [--json]",
	  .handler = CMDLINE_FN(central_product_list),
	  .help = "the catalogue with the windows' prices, and products "
	      "local to a window" },
	{ .name = "import",
	  .usage = "producers|products FILE.csv --db FILE",
	  .minargs = 2, .maxargs = 2,
	  .handler = CMDLINE_FN(central_import),
	  .help = "add rows from CSV (the window's columns); all or nothing" },
	{ .name = "user", .sub = "add",
	  .usage = "NAME --role office|admin --db FILE  (password on stdin)",
	  .opts = "role=",
	  .minargs = 1, .maxargs = 1,
	  .handler = CMDLINE_FN(central_user_add),
	  .help = "add a user of the office's pages; the password is read "
	      "from standard input" },
	{ .name = "user", .sub = "list",
	  .usage = "--db FILE [--json]",
	  .handler = CMDLINE_FN(central_user_list),
	  .help = "the office's users" },
	{ .name = "user", .sub = "disable",
	  .usage = "NAME --db FILE",
	  .minargs = 1, .maxargs = 1,
	  .handler = CMDLINE_FN(central_user_disable),
	  .help = "stop a user logging in; ends their sessions" },
	{ .name = "token", .sub = "add",
	  .usage = "NAME --db FILE",
	  .minargs = 1, .maxargs = 1,
	  .handler = CMDLINE_FN(central_token_add),
	  .help = "an API token for scripts reading /v1/reports; prints it, "
	      "only this once" },
	{ .name = "token", .sub = "list",
	  .usage = "--db FILE [--json]",
	  .handler = CMDLINE_FN(central_token_list),
	  .help = "the API tokens: names, when added and revoked (never the "
	      "tokens)" },
	{ .name = "token", .sub = "revoke",
	  .usage = "NAME --db FILE",
	  .minargs = 1, .maxargs = 1,
	  .handler = CMDLINE_FN(central_token_revoke),
	  .help = "stop an API token working; the name stays listed" },
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

/* Codes and names follow the window's rules (master.h). */
static bool
central_code_valid(const char *s)
{
	return master_code_valid(s);
}

static bool
central_name_valid(const char *s)
{
	return master_name_valid(s);
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
	char *shown;
	int rc;

	if ((rc = central_open(a, true, &st, cause)) != POS_OK)
		return rc;
	/* Never echo a password someone put in the URI. */
	shown = cstore_shown(a->db);
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, "db", json_string(shown));
		json_object_set_new(j, "backend", json_string(cstore_kind(st)));
		central_print_json(j);
	} else
		printf("central store ready (%s): %s\n", cstore_kind(st), shown);
	free(shown);
	cstore_close(st);
	return POS_OK;
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
		return cause_set(cause, POS_INPUT,
		    "branch code \"%s\": must be 1-32 "
		    "letters, digits, '-', '_' or '.'", code);
	if (name != NULL && !central_name_valid(name))
		return cause_set(cause, POS_INPUT,
		    "--name: must be 1-%d characters "
		    "of UTF-8 without control characters", CENTRAL_MAX_NAME);
	if (token_generate(token) != 0)
		return cause_set(cause, POS_FAIL, "no randomness for a token");
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
		if (*a->conf.central.public_url != '\0')
			fprintf(stderr, "pos-central: and [sync] url = %s\n",
			    a->conf.central.public_url);
	}
	fflush(stdout);
	memset(token, 0, sizeof token);
	return POS_OK;
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
		return POS_FAIL;
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
	return POS_OK;
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
	return POS_OK;
}

/* An unsigned option in [min, max], or the default when absent. */
static int
central_uint(struct central_args *a, const char *name, unsigned long long min,
    unsigned long long max, unsigned long long *out, char **cause)
{
	const char *v = central_opt(a, name);
	char *end;

	if (v == NULL)
		return POS_OK;
	errno = 0;
	*out = strtoull(v, &end, 10);
	if (*v == '\0' || *v == '-' || *end != '\0' || errno != 0 ||
	    *out < min || *out > max)
		return cause_set(cause, POS_INPUT,
		    "--%s: must be a number %llu..%llu, "
		    "got \"%s\"", name, min, max, v);
	return POS_OK;
}

/* An unsigned option into *out (left as it is when absent). */
static int
central_unsigned(struct central_args *a, const char *name,
    unsigned long long min, unsigned long long max, unsigned *out,
    char **cause)
{
	unsigned long long v = *out;
	int rc;

	if ((rc = central_uint(a, name, min, max, &v, cause)) == POS_OK)
		*out = (unsigned)v;
	return rc;
}

/* serve's limits: each option over its default in cfg. */
static int
central_serve_limits(struct central_args *a, struct server_config *cfg,
    char **cause)
{
	unsigned long long v;
	int rc;

	v = cfg->max_body;
	if ((rc = central_uint(a, "max-body", 1024, 1u << 30, &v, cause)) != 0)
		return rc;
	cfg->max_body = (size_t)v;
	v = cfg->max_entries;
	if ((rc = central_uint(a, "max-entries", 1, 100000, &v, cause)) != 0)
		return rc;
	cfg->max_entries = (size_t)v;
	if ((rc = central_unsigned(a, "threads", 1, 64, &cfg->threads,
	    cause)) != 0 ||
	    (rc = central_unsigned(a, "db-pool", 1, 1000, &cfg->db_pool,
	    cause)) != 0 ||
	    (rc = central_unsigned(a, "timeout", 1, 3600, &cfg->timeout,
	    cause)) != 0 ||
	    (rc = central_unsigned(a, "max-connections", 1, 10000,
	    &cfg->max_connections, cause)) != 0 ||
	    (rc = central_unsigned(a, "max-per-address", 1, 10000,
	    &cfg->max_per_address, cause)) != 0 ||
	    (rc = central_unsigned(a, "max-per-branch", 1, 10000,
	    &cfg->max_per_branch, cause)) != 0 ||
	    (rc = central_unsigned(a, "rate-address", 0, 1000000,
	    &cfg->rate_address, cause)) != 0 ||
	    (rc = central_unsigned(a, "rate-branch", 0, 1000000,
	    &cfg->rate_branch, cause)) != 0 ||
	    (rc = central_unsigned(a, "progress-timeout", 1, 3600,
	    &cfg->progress, cause)) != 0 ||
	    (rc = central_unsigned(a, "date-tolerance-days", 1, 3650,
	    &cfg->date_ahead_days, cause)) != 0)
		return rc;
	return POS_OK;
}

/*
 * The store file and its WAL files are the server's alone: mode 0600,
 * whatever they were made with.
 */
static int
central_private(const char *db, char **cause)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char *path;
	int rc = POS_OK;

	for (size_t i = 0; i < 3 && rc == POS_OK; i++) {
		path = xasprintf("%s%s", db, suffix[i]);
		/* A missing store is cstore_open's to report. */
		if (chmod(path, 0600) != 0 && errno != ENOENT)
			rc = cause_set(cause, POS_FAIL, "%s: cannot make it "
			    "private (mode 0600): %s", path, strerror(errno));
		free(path);
	}
	return rc;
}

/* Tell systemd (Type=notify) how the server is; nothing without it. */
static void
central_notify(struct server *s, const char *state)
{
#ifdef POS_HAVE_SYSTEMD
	sd_notifyf(0, "%s\nSTATUS=%s on %s", state, strcmp(state,
	    "READY=1") == 0 ? "listening" : "stopping", server_address(s));
#else
	(void)s;
	(void)state;
#endif
}

/* What central.conf says of serving, under the flags. */
static void
central_serve_conf(struct central_args *a, struct server_config *cfg)
{
	const struct central_conf *cc = &a->conf;

	cfg->tls_cert = *cc->server.tls_cert != '\0' ? cc->server.tls_cert :
	    NULL;
	cfg->tls_key = *cc->server.tls_key != '\0' ? cc->server.tls_key : NULL;
	cfg->threads = (unsigned)cc->server.threads;
	cfg->max_body = (size_t)cc->server.max_body;
	cfg->digits = cc->currency.digits;
	cfg->decimals = cc->currency.decimals;
	cfg->public_url = cc->central.public_url;
	cfg->link_key = cc->central.link_key;
}

static int
central_serve(struct central_args *a, char **cause)
{
	struct server_config cfg;
	struct server *s;
	sigset_t set;
	int rc, sig;

	server_defaults(&cfg);
	cfg.db_path = a->db;
	central_serve_conf(a, &cfg);
	if ((cfg.listen = central_opt(a, "listen")) == NULL &&
	    *(cfg.listen = a->conf.server.listen) == '\0')
		return cause_set(cause, POS_INPUT,
		    "serve: --listen ADDR:PORT is "
		    "required");
	if (central_opt(a, "tls-cert") != NULL ||
	    central_opt(a, "tls-key") != NULL) {
		cfg.tls_cert = central_opt(a, "tls-cert");
		cfg.tls_key = central_opt(a, "tls-key");
	}
	if (central_opt(a, "tls-priorities") != NULL)
		cfg.tls_priorities = central_opt(a, "tls-priorities");
	if ((rc = central_serve_limits(a, &cfg, cause)) != POS_OK ||
	    (!cstore_is_uri(a->db) &&
	    (rc = central_private(a->db, cause)) != POS_OK))
		return rc;

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
	clog_msg(CLOG_INFO, "listening on %s, store %s, %u threads%s",
	    server_address(s), a->db, cfg.threads, cfg.tls_cert != NULL ?
	    ", HTTPS" : "");
	central_notify(s, "READY=1");
	while (sigwait(&set, &sig) == 0 && sig == SIGHUP)
		;
	clog_msg(CLOG_INFO, "signal %d: stopping; requests in progress finish",
	    sig);
	central_notify(s, "STOPPING=1");
	server_stop(s);
	clog_msg(CLOG_INFO, "stopped");
	return POS_OK;
}

static void
central_producers_text(const struct creport_producers *r)
{
	char s1[32], s2[32], s3[32], s4[32], s5[32], s6[32];

	printf("producers %s .. %s\n", r->from, r->to);
	printf("%-12s %-4s %12s %12s %12s %12s %12s %12s  %s\n", "code",
	    "cur", "sold", "refunded", "net", "paid out", "balance",
	    "owed", "name");
	for (size_t i = 0; i < r->n; i++) {
		const struct cstore_producer *p = &r->producers[i];
		int d = (int)p->decimals;

		money_format(p->sold, d, s1, sizeof s1);
		money_format(p->refunded, d, s2, sizeof s2);
		money_format(p->net, d, s3, sizeof s3);
		money_format(p->paid_out, d, s4, sizeof s4);
		/* Paid beyond the period's net: said, never a minus. */
		if (p->balance >= 0)
			money_format(p->balance, d, s5, sizeof s5);
		else {
			char over[26];

			money_format(-p->balance, d, over, sizeof over);
			snprintf(s5, sizeof s5, "over %s", over);
		}
		if (p->owed >= 0)
			money_format(p->owed, d, s6, sizeof s6);
		else {
			char debt[26];

			money_format(-p->owed, d, debt, sizeof debt);
			snprintf(s6, sizeof s6, "owes %s", debt);
		}
		printf("%-12s %-4s %12s %12s %12s %12s %12s %12s  %s\n",
		    p->code, p->currency, s1, s2, s3, s4, s5, s6, p->name);
	}
	for (size_t k = 0; k < r->ntotals; k++) {
		money_format(r->totals[k].net, (int)r->totals[k].decimals, s1,
		    sizeof s1);
		printf("net %s %s\n", r->totals[k].currency, s1);
	}
}

static void
central_days_text(const struct creport_days *r, const struct cdays *money)
{
	printf("days up to %s\n", r->date[0] != '\0' ? r->date :
	    "(no entries)");
	for (size_t i = 0; i < r->nchains; i++) {
		const struct creport_chain *ch = &r->chains[i];

		printf("%s/%lld  last seq %lld  received %s  latest day %s %s"
		    "  sessions %lld\n",
		    ch->chain->branch, (long long)ch->chain->terminal,
		    (long long)ch->chain->last_seq, ch->chain->last_received,
		    ch->latest != NULL ? ch->latest->date : "-",
		    ch->latest != NULL && ch->latest->close_seq > 0 ?
		    "closed" : "open", ch->latest != NULL ?
		    (long long)ch->latest->sessions : 0LL);
	}
	for (size_t i = 0; i < r->nmissing; i++) {
		const struct creport_missing *m = &r->missing[i];

		printf("missing: %s/", m->branch);
		if (m->terminal != 0)
			printf("%lld", (long long)m->terminal);
		else
			printf("-");
		for (size_t q = 0; q < m->nreasons; q++)
			printf("%s %s", q == 0 ? ":" : ";", m->reasons[q]);
		printf("\n");
	}
	cdays_text(money);
}

/* The report options as rjson's query. */
static void
central_query(struct central_args *a, struct rjson_query *q)
{
	q->date = central_opt(a, "date");
	q->from = central_opt(a, "from");
	q->to = central_opt(a, "to");
	q->hours = central_opt(a, "hours");
	q->producer = central_opt(a, "producer");
	q->prefix = "--";
}

/* A report as JSON (rjson.c, shared with GET /v1/reports/...), printed. */
static int
central_report_json(struct central_args *a, int (*fn)(struct cstore *,
    const struct rjson_query *, json_t **, char **), char **cause)
{
	struct rjson_query q;
	struct cstore *st;
	json_t *j;
	int rc;

	central_query(a, &q);
	if (fn != rjson_missing) {
		const char *from, *to;

		/* A bad query is refused before the store is opened. */
		if ((rc = rjson_period(&q, &from, &to, cause)) != POS_OK)
			return rc;
	}
	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	rc = fn(st, &q, &j, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return rc;
	central_print_json(j);
	return POS_OK;
}

static int
central_report_producers(struct central_args *a, char **cause)
{
	struct rjson_query q;
	struct creport_producers r;
	const char *from, *to;
	struct cstore *st;
	int rc;

	if (a->json)
		return central_report_json(a, rjson_producers, cause);
	central_query(a, &q);
	if ((rc = rjson_period(&q, &from, &to, cause)) != POS_OK)
		return rc;
	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	rc = creport_producer(st, q.producer, from, to, &r, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return POS_FAIL;
	central_producers_text(&r);
	creport_producers_free(&r);
	return POS_OK;
}

static int
central_report_days(struct central_args *a, char **cause)
{
	struct rjson_query q;
	const char *from, *to;
	struct cstore *st;
	struct creport_days r;
	struct cdays money;
	int rc;

	if (a->json)
		return central_report_json(a, rjson_days, cause);
	central_query(a, &q);
	if ((rc = rjson_period(&q, &from, &to, cause)) != POS_OK)
		return rc;
	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	rc = creport_days(st, q.date, &r, cause);
	/* No period asked: the report's date, as rjson_days does. */
	if (rc == POS_OK && from == NULL && to == NULL && r.date[0] != '\0')
		from = to = r.date;
	if (rc == POS_OK && (rc = cdays_read(st, from, to, &money,
	    cause)) != POS_OK)
		creport_days_free(&r);
	cstore_close(st);
	if (rc != POS_OK)
		return POS_FAIL;
	central_days_text(&r, &money);
	creport_days_free(&r);
	cdays_free(&money);
	return POS_OK;
}

static int
central_report_missing(struct central_args *a, char **cause)
{
	struct rjson_query q;
	struct cstore *st;
	json_t *j;
	int rc;

	if (a->json)
		return central_report_json(a, rjson_missing, cause);
	central_query(a, &q);
	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	rc = rjson_missing(st, &q, &j, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return rc;
	cdays_missing_text(j);
	json_decref(j);
	return POS_OK;
}

static void
central_verify_json(const struct creport_verify *r)
{
	json_t *j = json_object(), *arr = json_array(), *sums;

	for (size_t i = 0; i < r->n; i++) {
		const struct creport_check *v = &r->checks[i];
		json_t *o = json_object();

		json_object_set_new(o, "branch", json_string(v->branch));
		json_object_set_new(o, "terminal", json_integer(v->terminal));
		json_object_set_new(o, "entries", json_integer(v->entries));
		json_object_set_new(o, "head", json_string(v->head));
		json_object_set_new(o, "ok", json_boolean(v->bad_seq == 0));
		json_object_set_new(o, "bad_seq", v->bad_seq != 0 ?
		    json_integer(v->bad_seq) : json_null());
		json_object_set_new(o, "error", v->error != NULL ?
		    json_string(v->error) : json_null());
		json_array_append_new(arr, o);
	}
	json_object_set_new(j, "ok", json_boolean(r->ok));
	json_object_set_new(j, "chains", arr);
	sums = json_object();
	json_object_set_new(sums, "ok", json_boolean(r->sums_ok));
	for (int k = 0; k < CSTORE_SUMS; k++)
		if (r->sums_bad[k] >= 0)	/* -1: not kept here */
			json_object_set_new(sums, cstore_summary_name(k),
			    json_integer(r->sums_bad[k]));
	json_object_set_new(j, "summaries", sums);
	central_print_json(j);
}

static void
central_verify_text(const struct creport_verify *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct creport_check *v = &r->checks[i];

		if (v->bad_seq == 0)
			printf("ok   %s/%lld: %lld entries, head %s\n",
			    v->branch, (long long)v->terminal,
			    (long long)v->entries, v->head);
		else
			printf("BAD  %s/%lld: seq %lld: %s\n", v->branch,
			    (long long)v->terminal, (long long)v->bad_seq,
			    v->error);
	}
	if (r->sums_ok)
		printf("ok   summaries: equal to the stored rows\n");
	for (int k = 0; k < CSTORE_SUMS; k++)
		if (r->sums_bad[k] > 0)
			printf("BAD  summaries: %s: %lld rows differ from the "
			    "stored rows\n", cstore_summary_name(k),
			    (long long)r->sums_bad[k]);
	printf("%s\n", r->ok ? "ok" : "FAILED");
}

static int
central_verify(struct central_args *a, char **cause)
{
	struct cstore *st;
	struct creport_verify r;
	bool ok, sums_ok;
	int rc;

	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	rc = creport_verify(st, &r, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return POS_FAIL;
	if (a->json)
		central_verify_json(&r);
	else
		central_verify_text(&r);
	ok = r.ok;
	sums_ok = r.sums_ok;
	creport_verify_free(&r);
	if (!ok)
		fprintf(stderr, "pos-central: verify: %s\n", sums_ok ?
		    "a chain is broken" : "a summary table is wrong");
	return ok ? 0 : 1;
}

static int
central_config_check(struct central_args *a, char **cause)
{
	(void)cause;
	central_conf_print(&a->conf, stdout);
	if (a->conf.file == NULL)
		fprintf(stderr, "pos-central: no configuration file: "
		    "defaults and environment only\n");
	return POS_OK;
}

static int
central_config_keys(struct central_args *a, char **cause)
{
	(void)cause;
	if (central_opt(a, "man") != NULL)
		central_conf_man(stdout);
	else
		central_conf_keys(stdout);
	return POS_OK;
}

/*
 * Copy a SQLite store into the store at --db (a PostgreSQL database, made
 * if need be), then verify the destination as `verify` does.
 */
static int
central_migrate(struct central_args *a, char **cause)
{
	const char *from = central_opt(a, "from");
	struct cstore *src = NULL, *dst = NULL;
	struct cmigrate_result res;
	struct creport_verify v;
	int rc;

	if (from == NULL || *from == '\0')
		return cause_set(cause, POS_INPUT, "migrate: --from FILE is "
		    "required");
	if (cstore_is_uri(from))
		return cause_set(cause, POS_INPUT, "migrate: --from takes a "
		    "SQLite file, not a URI");
	if (strcmp(from, a->db) == 0)
		return cause_set(cause, POS_INPUT, "migrate: --from and --db "
		    "are the same store");
	if ((rc = cstore_open(from, false, &src, cause)) != POS_OK)
		return rc;
	if ((rc = central_open(a, true, &dst, cause)) != POS_OK)
		goto out;
	if ((rc = cmigrate_copy(src, dst, &res, cause)) != POS_OK)
		goto out;
	if ((rc = creport_verify(dst, &v, cause)) != POS_OK)
		goto out;
	if (!v.ok) {
		creport_verify_free(&v);
		rc = cause_set(cause, POS_FAIL, "migrate: the copy does not "
		    "verify (run pos-central verify --db on it)");
		goto out;
	}
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, "branches", json_integer(res.branches));
		json_object_set_new(j, "chains", json_integer(res.chains));
		json_object_set_new(j, "copied", json_integer(res.copied));
		json_object_set_new(j, "skipped", json_integer(res.skipped));
		json_object_set_new(j, "accounts", json_integer(res.accounts));
		json_object_set_new(j, "rejections",
		    json_integer(res.rejections));
		json_object_set_new(j, "verified", json_integer((json_int_t)v.n));
		central_print_json(j);
	} else
		printf("migrated: %lld branches added, %lld chains, %lld "
		    "entries copied, %lld already there, %lld rejected "
		    "entries to chase; verify ok\n",
		    (long long)res.branches, (long long)res.chains,
		    (long long)res.copied, (long long)res.skipped,
		    (long long)res.rejections);
	creport_verify_free(&v);
out:
	cstore_close(src);
	cstore_close(dst);
	return rc;
}

/* ---- master data: producers, products, merges ---- */

/* --active yes|no into *out (left as it is when absent). */
static int
central_active(struct central_args *a, int *out, char **cause)
{
	const char *v = central_opt(a, "active");

	if (v == NULL)
		return POS_OK;
	if (strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0)
		*out = 0;
	else
		return cause_set(cause, POS_INPUT, "--active: must be yes or "
		    "no, got \"%s\"", v);
	return POS_OK;
}

/* A price with the catalogue's decimals ([currency] decimals). */
static int
central_price(struct central_args *a, const char *what, const char *text,
    int64_t *out, char **cause)
{
	char err[128];

	if (money_parse(text, a->conf.currency.decimals, false, out, err,
	    sizeof err) != 0)
		return cause_set(cause, POS_INPUT, "%s: %s, got \"%s\"", what,
		    err, text);
	return POS_OK;
}

/* The outcome of a change: the code and the version it was made under. */
static void
central_changed(struct central_args *a, const char *what, const char *code,
    const char *done, int64_t version)
{
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, what, json_string(code));
		json_object_set_new(j, "version", json_integer(version));
		central_print_json(j);
	} else
		printf("%s %s: %s (master-data version %lld)\n", what, code,
		    done, (long long)version);
}

/* Open the store, run a change, close it. */
#define CENTRAL_CHANGE(a, st, rc, cause, call)				\
	do {								\
		if (((rc) = central_open((a), false, &(st), (cause))) ==	\
		    POS_OK) {						\
			(rc) = (call);					\
			cstore_close(st);				\
		}							\
	} while (0)

static int
central_producer_add(struct central_args *a, char **cause)
{
	struct cstore *st;
	int64_t version;
	int rc;

	CENTRAL_CHANGE(a, st, rc, cause, master_producer_add(st, a->pos[0],
	    a->pos[1], central_opt(a, "phone"), &version, cause));
	if (rc == POS_OK)
		central_changed(a, "producer", a->pos[0], "added", version);
	return rc;
}

static int
central_producer_set(struct central_args *a, char **cause)
{
	struct master_change ch = MASTER_CHANGE_NONE;
	struct cstore *st;
	int64_t version;
	int rc;

	ch.name = central_opt(a, "name");
	ch.phone = central_opt(a, "phone");
	if ((rc = central_active(a, &ch.active, cause)) != POS_OK)
		return rc;
	if (ch.name == NULL && ch.phone == NULL && ch.active < 0)
		return cause_set(cause, POS_INPUT, "producer set: nothing to "
		    "change (--name, --phone or --active)");
	CENTRAL_CHANGE(a, st, rc, cause, master_producer_set(st, a->pos[0],
	    &ch, &version, cause));
	if (rc == POS_OK)
		central_changed(a, "producer", a->pos[0], "changed", version);
	return rc;
}

static int
central_producer_merge(struct central_args *a, char **cause)
{
	struct cstore *st;
	int64_t version;
	int rc;

	CENTRAL_CHANGE(a, st, rc, cause, master_merge(st, a->pos[0],
	    a->pos[1], &version, cause));
	if (rc != POS_OK)
		return rc;
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, "from", json_string(a->pos[0]));
		json_object_set_new(j, "into", json_string(a->pos[1]));
		json_object_set_new(j, "version", json_integer(version));
		central_print_json(j);
	} else
		printf("producer %s: merged into %s (master-data version "
		    "%lld)\n", a->pos[0], a->pos[1], (long long)version);
	return POS_OK;
}

static int
central_producer_unmerge(struct central_args *a, char **cause)
{
	struct cstore *st;
	int64_t version;
	int rc;

	CENTRAL_CHANGE(a, st, rc, cause, master_unmerge(st, a->pos[0],
	    &version, cause));
	if (rc == POS_OK)
		central_changed(a, "producer", a->pos[0], "merge undone",
		    version);
	return rc;
}

static int
central_producer_link(struct central_args *a, char **cause)
{
	const char *url = a->conf.central.public_url;
	bool rotate = central_opt(a, "rotate") != NULL;
	uint8_t key[PLINK_KEY];
	char token[TOKEN_HEX], *link;
	struct cstore *st;
	int64_t version = 0;
	int rc;

	if (*url == '\0')
		return cause_set(cause, POS_INPUT, "producer link: set "
		    "[central] public_url, the address producers reach this "
		    "server at");
	if ((rc = plink_key_load(a->conf.central.link_key, true, key,
	    cause)) != POS_OK)
		return rc;
	CENTRAL_CHANGE(a, st, rc, cause, master_producer_link(st, a->pos[0],
	    key, rotate, token, &version, cause));
	memset(key, 0, sizeof key);
	if (rc != POS_OK)
		return rc;
	link = plink_url(url, token);
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, "producer", json_string(a->pos[0]));
		json_object_set_new(j, "link", json_string(link));
		json_object_set_new(j, "version", version != 0 ?
		    json_integer(version) : json_null());
		central_print_json(j);
	} else
		puts(link);
	memset(token, 0, sizeof token);
	free(link);
	return POS_OK;
}

static json_t *
central_merge_json(const struct cstore_merge *m)
{
	json_t *o = json_object();

	json_object_set_new(o, "from", json_string(m->from));
	json_object_set_new(o, "into", json_string(m->into));
	json_object_set_new(o, "merged_at", json_string(m->merged_at));
	json_object_set_new(o, "undone_at", m->undone_at != NULL ?
	    json_string(m->undone_at) : json_null());
	json_object_set_new(o, "version", json_integer(m->version));
	return o;
}

static const char *
central_merged_into(const struct cstore_merge *m, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].undone_at == NULL && strcmp(m[i].from, code) == 0)
			return m[i].into;
	return NULL;
}

static void
central_producer_list_json(int64_t version, const struct cstore_mproducer *p,
    size_t n, const struct cstore_merge *m, size_t nm, json_t *local)
{
	json_t *j = json_object(), *arr = json_array(), *marr = json_array();

	json_object_set_new(j, "version", json_integer(version));
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		const char *into = central_merged_into(m, nm, p[i].code);

		json_object_set_new(o, "code", json_string(p[i].code));
		json_object_set_new(o, "name", json_string(p[i].name));
		json_object_set_new(o, "phone", p[i].phone != NULL ?
		    json_string(p[i].phone) : json_null());
		json_object_set_new(o, "active", json_boolean(p[i].active));
		json_object_set_new(o, "merged_into", into != NULL ?
		    json_string(into) : json_null());
		json_object_set_new(o, "version", json_integer(p[i].version));
		json_object_set_new(o, "updated_at",
		    json_string(p[i].updated_at));
		json_array_append_new(arr, o);
	}
	json_object_set_new(j, "producers", arr);
	for (size_t i = 0; i < nm; i++)
		json_array_append_new(marr, central_merge_json(&m[i]));
	json_object_set_new(j, "merges", marr);
	json_object_set(j, "local", local);
	central_print_json(j);
}

/* A window's row, "local to BRANCH/TERMINAL". */
static void
central_local_text(json_t *o, const char *more)
{
	printf("%-12s local to %s/%lld  %s%s\n",
	    json_string_value(json_object_get(o, "code")),
	    json_string_value(json_object_get(o, "branch")),
	    (long long)json_integer_value(json_object_get(o, "terminal")),
	    json_string_value(json_object_get(o, "name")), more);
}

static void
central_producer_list_text(int64_t version, const struct cstore_mproducer *p,
    size_t n, const struct cstore_merge *m, size_t nm, json_t *local)
{
	size_t k;
	json_t *o;

	printf("master-data version %lld\n", (long long)version);
	for (size_t i = 0; i < n; i++) {
		const char *into = central_merged_into(m, nm, p[i].code);

		printf("%-12s %-8s %s%s%s%s%s\n", p[i].code, p[i].active ?
		    "active" : "inactive", p[i].name, p[i].phone != NULL ?
		    "  " : "", p[i].phone != NULL ? p[i].phone : "",
		    into != NULL ? "  merged into " : "",
		    into != NULL ? into : "");
	}
	for (size_t i = 0; i < nm; i++)
		printf("merge %s -> %s since %s%s%s\n", m[i].from, m[i].into,
		    m[i].merged_at, m[i].undone_at != NULL ? ", undone " : "",
		    m[i].undone_at != NULL ? m[i].undone_at : "");
	json_array_foreach(local, k, o)
		central_local_text(o, "");
}

static int
central_producer_list(struct central_args *a, char **cause)
{
	struct cstore *st;
	struct cnames names;
	int64_t version = 0;
	json_t *local;
	int rc;

	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	if ((rc = cstore_master_version(st, &version, cause)) == POS_OK)
		rc = cnames_read(st, 0, &names, cause);
	cstore_close(st);
	if (rc == POS_OK) {
		local = cnames_local_producers(&names);
		if (a->json)
			central_producer_list_json(version, names.producers,
			    names.nproducers, names.merges, names.nmerges,
			    local);
		else
			central_producer_list_text(version, names.producers,
			    names.nproducers, names.merges, names.nmerges,
			    local);
		json_decref(local);
		cnames_free(&names);
	}
	return rc == POS_OK ? POS_OK : POS_FAIL;
}

static int
central_product_add(struct central_args *a, char **cause)
{
	const char *producer = central_opt(a, "producer"),
	    *unit = central_opt(a, "unit");
	struct cstore *st;
	int64_t price, version;
	int rc;

	if (producer == NULL)
		return cause_set(cause, POS_INPUT, "product add: --producer "
		    "CODE is required");
	if ((rc = central_price(a, "price", a->pos[2], &price, cause)) !=
	    POS_OK)
		return rc;
	CENTRAL_CHANGE(a, st, rc, cause, master_product_add(st, a->pos[0],
	    a->pos[1], price, unit != NULL ? unit : "piece", producer,
	    central_opt(a, "barcode"), true, &version, cause));
	if (rc == POS_OK)
		central_changed(a, "product", a->pos[0], "added", version);
	return rc;
}

static int
central_product_set(struct central_args *a, char **cause)
{
	struct master_change ch = MASTER_CHANGE_NONE;
	const char *price = central_opt(a, "price");
	struct cstore *st;
	int64_t version;
	int rc;

	ch.name = central_opt(a, "name");
	ch.barcode = central_opt(a, "barcode");
	if ((rc = central_active(a, &ch.active, cause)) != POS_OK ||
	    (price != NULL && (rc = central_price(a, "--price", price,
	    &ch.price, cause)) != POS_OK))
		return rc;
	if (ch.name == NULL && ch.barcode == NULL && price == NULL &&
	    ch.active < 0)
		return cause_set(cause, POS_INPUT, "product set: nothing to "
		    "change (--price, --name, --barcode or --active)");
	CENTRAL_CHANGE(a, st, rc, cause, master_product_set(st, a->pos[0],
	    &ch, &version, cause));
	if (rc == POS_OK)
		central_changed(a, "product", a->pos[0], "changed", version);
	return rc;
}

static int
central_product_list(struct central_args *a, char **cause)
{
	int d = a->conf.currency.decimals;
	struct cstore *st;
	struct cstore_mproduct *p;
	struct cnames names;
	size_t n, k;
	int64_t version = 0;
	json_t *local, *prices, *w;
	char price[32];
	int rc;

	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	if ((rc = cstore_master_version(st, &version, cause)) == POS_OK)
		rc = cnames_read(st, CNAMES_SEEN_PRODUCTS, &names, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return POS_FAIL;
	p = names.products;
	n = names.nproducts;
	local = cnames_local_products(&names);
	if (a->json) {
		json_t *j = json_object(), *arr = json_array();

		json_object_set_new(j, "version", json_integer(version));
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "code", json_string(p[i].code));
			json_object_set_new(o, "name", json_string(p[i].name));
			json_object_set_new(o, "price", money_json(p[i].price,
			    d));
			json_object_set_new(o, "unit", json_string(p[i].unit));
			json_object_set_new(o, "barcode", p[i].barcode !=
			    NULL ? json_string(p[i].barcode) : json_null());
			json_object_set_new(o, "producer",
			    json_string(p[i].producer));
			json_object_set_new(o, "active",
			    json_boolean(p[i].active));
			json_object_set_new(o, "version",
			    json_integer(p[i].version));
			json_object_set_new(o, "updated_at",
			    json_string(p[i].updated_at));
			json_object_set_new(o, "window_prices",
			    cnames_window_prices(&names, &p[i], d));
			json_array_append_new(arr, o);
		}
		json_object_set_new(j, "products", arr);
		json_object_set(j, "local", local);
		central_print_json(j);
	} else {
		printf("master-data version %lld\n", (long long)version);
		for (size_t i = 0; i < n; i++) {
			money_format(p[i].price, d, price, sizeof price);
			printf("%-12s %12s %-5s %-12s %-8s %s%s%s\n", p[i].code,
			    price, p[i].unit, p[i].producer, p[i].active ?
			    "active" : "inactive", p[i].name,
			    p[i].barcode != NULL ? "  barcode " : "",
			    p[i].barcode != NULL ? p[i].barcode : "");
			prices = cnames_window_prices(&names, &p[i], d);
			json_array_foreach(prices, k, w)
				printf("%-12s %12s at %s/%lld (%s)\n", "",
				    json_string_value(json_object_get(w,
				    "price")), json_string_value(
				    json_object_get(w, "branch")),
				    (long long)json_integer_value(
				    json_object_get(w, "terminal")),
				    json_string_value(json_object_get(w,
				    "source")));
			json_decref(prices);
		}
		json_array_foreach(local, k, w) {
			char more[64];

			snprintf(more, sizeof more, "  price %s",
			    json_string_value(json_object_get(w, "price")));
			central_local_text(w, more);
		}
	}
	json_decref(local);
	cnames_free(&names);
	return POS_OK;
}

static int
central_import(struct central_args *a, char **cause)
{
	struct cstore *st;
	size_t count;
	int64_t version;
	int rc;

	if (strcmp(a->pos[0], "producers") != 0 &&
	    strcmp(a->pos[0], "products") != 0)
		return cause_set(cause, POS_INPUT, "import producers or "
		    "products, not \"%s\"", a->pos[0]);
	CENTRAL_CHANGE(a, st, rc, cause, master_import(st, a->pos[0],
	    a->pos[1], a->conf.currency.decimals, &count, &version, cause));
	if (rc != POS_OK)
		return rc;
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, "imported", json_integer(
		    (json_int_t)count));
		json_object_set_new(j, "what", json_string(a->pos[0]));
		json_object_set_new(j, "version", json_integer(version));
		central_print_json(j);
	} else
		printf("imported %zu %s (master-data version %lld)\n", count,
		    a->pos[0], (long long)version);
	return POS_OK;
}

static int
central_report_conflicts(struct central_args *a, char **cause)
{
	struct cstore *st;
	struct cnames names;
	json_t *j;
	int rc;

	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	rc = cnames_read(st, CNAMES_SEEN_PRODUCERS |
	    CNAMES_SEEN_PRODUCTS, &names, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return POS_FAIL;
	j = cnames_conflicts(&names);
	cnames_free(&names);
	if (a->json)
		central_print_json(j);
	else {
		cnames_conflicts_text(j, stdout);
		json_decref(j);
	}
	return POS_OK;
}

/*
 * The password from standard input: its first line, without the line end;
 * 8 to 1024 bytes. Into buf (size ACCOUNT_MAX_PASSWORD + 2).
 */
static int
central_password(char *buf, size_t size, size_t *len, char **cause)
{
	size_t n;

	if (fgets(buf, (int)size, stdin) == NULL)
		return cause_set(cause, POS_INPUT,
		    "no password on standard input");
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (!feof(stdin))
		return cause_set(cause, POS_INPUT, "the password is longer "
		    "than %d bytes", ACCOUNT_MAX_PASSWORD);
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (n < ACCOUNT_MIN_PASSWORD || n > ACCOUNT_MAX_PASSWORD)
		return cause_set(cause, POS_INPUT, "the password must be %d to "
		    "%d bytes", ACCOUNT_MIN_PASSWORD, ACCOUNT_MAX_PASSWORD);
	*len = n;
	return POS_OK;
}

static int
central_user_add(struct central_args *a, char **cause)
{
	const char *name = a->pos[0], *role = central_opt(a, "role");
	char pw[ACCOUNT_MAX_PASSWORD + 2], now[21];
	struct cstore_user u;
	struct cstore *st;
	size_t len = 0;
	int rc;

	if (!account_name_valid(name))
		return cause_set(cause, POS_INPUT, "user name \"%s\": must be "
		    "1-%d letters, digits, '.', '_', '-' or '@'", name,
		    ACCOUNT_MAX_NAME);
	if (role == NULL || !account_role_valid(role))
		return cause_set(cause, POS_INPUT,
		    "--role: must be office or admin");
	if ((rc = central_password(pw, sizeof pw, &len, cause)) != POS_OK)
		goto out;
	memset(&u, 0, sizeof u);
	u.name = (char *)(uintptr_t)name;
	u.role = (char *)(uintptr_t)role;
	cstore_now(now);
	u.created_at = now;
	if ((u.password = account_hash(pw, len)) == NULL) {
		rc = cause_set(cause, POS_FAIL, "no randomness for a salt");
		goto out;
	}
	if ((rc = central_open(a, false, &st, cause)) == POS_OK) {
		rc = cstore_user_add(st, &u, cause);
		cstore_close(st);
	}
	free(u.password);
	if (rc != POS_OK) {
		rc = rc == CSTORE_BUSY ? POS_FAIL : rc;
		goto out;
	}
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, "user", json_string(name));
		json_object_set_new(j, "role", json_string(role));
		central_print_json(j);
	} else
		printf("user %s added (%s)\n", name, role);
out:
	memset(pw, 0, sizeof pw);
	return rc;
}

static int
central_user_list(struct central_args *a, char **cause)
{
	struct cstore_user *u;
	struct cstore *st;
	size_t n;
	int rc;

	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	rc = cstore_users(st, NULL, &u, &n, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return POS_FAIL;
	if (a->json) {
		json_t *j = json_object(), *arr = json_array();

		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "name", json_string(u[i].name));
			json_object_set_new(o, "role", json_string(u[i].role));
			json_object_set_new(o, "created_at",
			    json_string(u[i].created_at));
			json_object_set_new(o, "disabled",
			    json_boolean(u[i].disabled_at != NULL));
			json_object_set_new(o, "disabled_at",
			    u[i].disabled_at != NULL ?
			    json_string(u[i].disabled_at) : json_null());
			json_array_append_new(arr, o);
		}
		json_object_set_new(j, "users", arr);
		central_print_json(j);
	} else
		for (size_t i = 0; i < n; i++)
			printf("%-20s %-7s %-9s %s\n", u[i].name, u[i].role,
			    u[i].disabled_at != NULL ? "disabled" : "active",
			    u[i].created_at);
	cstore_users_free(u, n);
	return POS_OK;
}

/*
 * Mark the account or token named pos[0] with the time now through fn
 * (user disable, token revoke) and say so: {what: name, stamp: now}.
 */
static int
central_stamp(struct central_args *a, int (*fn)(struct cstore *,
    const char *, const char *, char **), const char *what,
    const char *stamp, const char *done, char **cause)
{
	struct cstore *st;
	char now[21];
	int rc;

	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	cstore_now(now);
	rc = fn(st, a->pos[0], now, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return rc == CSTORE_BUSY ? POS_FAIL : rc;
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, what, json_string(a->pos[0]));
		json_object_set_new(j, stamp, json_string(now));
		central_print_json(j);
	} else
		printf("%s %s %s\n", what, a->pos[0], done);
	return POS_OK;
}

static int
central_user_disable(struct central_args *a, char **cause)
{
	return central_stamp(a, cstore_user_disable, "user", "disabled_at",
	    "disabled", cause);
}

static int
central_token_list(struct central_args *a, char **cause)
{
	struct cstore_apitoken *t;
	struct cstore *st;
	size_t n;
	int rc;

	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	rc = cstore_apitokens(st, &t, &n, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return POS_FAIL;
	if (a->json) {
		json_t *j = json_object(), *arr = json_array();

		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "name", json_string(t[i].name));
			json_object_set_new(o, "created_at",
			    json_string(t[i].created_at));
			json_object_set_new(o, "revoked_at",
			    t[i].revoked_at != NULL ?
			    json_string(t[i].revoked_at) : json_null());
			json_array_append_new(arr, o);
		}
		json_object_set_new(j, "tokens", arr);
		central_print_json(j);
	} else
		for (size_t i = 0; i < n; i++)
			printf("%-20s %-7s %s%s%s\n", t[i].name,
			    t[i].revoked_at != NULL ? "revoked" : "valid",
			    t[i].created_at, t[i].revoked_at != NULL ? " " :
			    "", t[i].revoked_at != NULL ? t[i].revoked_at : "");
	cstore_apitokens_free(t, n);
	return POS_OK;
}

static int
central_token_revoke(struct central_args *a, char **cause)
{
	return central_stamp(a, cstore_apitoken_revoke, "token", "revoked_at",
	    "revoked", cause);
}

static int
central_token_add(struct central_args *a, char **cause)
{
	const char *name = a->pos[0];
	uint8_t digest[TOKEN_DIGEST];
	char token[TOKEN_HEX], now[21];
	struct cstore *st;
	int rc;

	if (!account_name_valid(name))
		return cause_set(cause, POS_INPUT, "token name \"%s\": must be "
		    "1-%d letters, digits, '.', '_', '-' or '@'", name,
		    ACCOUNT_MAX_NAME);
	if (token_generate(token) != 0)
		return cause_set(cause, POS_FAIL, "no randomness for a token");
	token_digest(token, strlen(token), digest);
	if ((rc = central_open(a, false, &st, cause)) != POS_OK)
		return rc;
	cstore_now(now);
	rc = cstore_apitoken_add(st, name, digest, now, cause);
	cstore_close(st);
	if (rc != POS_OK)
		return rc == CSTORE_BUSY ? POS_FAIL : rc;
	if (a->json) {
		json_t *j = json_object();

		json_object_set_new(j, "name", json_string(name));
		json_object_set_new(j, "token", json_string(token));
		central_print_json(j);
	} else {
		puts(token);
		fprintf(stderr, "pos-central: token %s added; the line above "
		    "is shown only now: send it as Authorization: Bearer to "
		    "/v1/reports/...\n", name);
	}
	fflush(stdout);
	memset(token, 0, sizeof token);
	return POS_OK;
}

static void
central_usage(FILE *out)
{
	fprintf(out, "usage: pos-central COMMAND ... [--config FILE] "
	    "[--db FILE|URI] [--json]\n       pos-central --help | --version\n"
	    "FILE: a SQLite file; URI: postgresql://... (a libpq URI; the "
	    "password from\n~/.pgpass, PGPASSFILE or PGPASSWORD); "
	    "POS_CENTRAL_DB when --db is absent\n\n");
	cmdline_help(out, "pos-central", central_cmds, CENTRAL_NCMDS, 0, "");
}

static int
central_help(struct central_args *a, char **cause)
{
	(void)cause;
	if (central_opt(a, "man") != NULL)
		cmdline_man(stdout, "pos-central", central_cmds, CENTRAL_NCMDS,
		    0, "");
	else
		central_usage(stdout);
	return POS_OK;
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
		return cause_set(cause, POS_INPUT,
		    "no command (try pos-central help)");
	*cmd = cmdline_find(central_cmds, CENTRAL_NCMDS, words[0], words[1],
	    &used);
	if (*cmd == NULL)
		return cause_set(cause, POS_INPUT,
		    "unknown command \"%s%s%s\" (try "
		    "pos-central help)", words[0], words[1] != NULL ? " " : "",
		    words[1] != NULL ? words[1] : "");
	if (cmdline_parse(*cmd, CENTRAL_COMMON_OPTS, CMDLINE_PLAIN, argc - 1,
	    argv + 1, used, &a->args, &err) != 0) {
		const char *w = (*cmd)->name, *sp = (*cmd)->sub ? " " : "",
		    *sub = (*cmd)->sub ? (*cmd)->sub : "", *u = (*cmd)->usage;

		switch (err.fault) {
		case CMDLINE_SURPLUS:
			return cause_set(cause, POS_INPUT,
			    "unexpected argument "
			    "\"%s\"; usage: pos-central %s%s%s %s", err.word,
			    w, sp, sub, u);
		case CMDLINE_TWICE:
			return cause_set(cause, POS_INPUT, "--%s given twice",
			    err.name);
		case CMDLINE_NEEDS_VALUE:
			return cause_set(cause, POS_INPUT, "--%s needs a value",
			    err.name);
		case CMDLINE_NO_VALUE:
			return cause_set(cause, POS_INPUT,
			    "--%s takes no value",
			    err.name);
		case CMDLINE_MISSING:
			return cause_set(cause, POS_INPUT,
			    "missing argument; usage: "
			    "pos-central %s%s%s %s", w, sp, sub, u);
		default:
			return cause_set(cause, POS_INPUT,
			    "unknown option --%s; "
			    "usage: pos-central %s%s%s %s", err.name, w, sp,
			    sub, u);
		}
	}
	a->pos = a->args.pos;
	a->json = central_opt(a, "json") != NULL;
	if (central_conf_load(&a->conf, central_opt(a, "config"), cause) !=
	    POS_OK)
		return POS_INPUT;
	/*
	 * The store: --db, else POS_CENTRAL_DB (a file path or a URI), else
	 * the configuration's: the packaged default applies once a
	 * configuration exists.
	 */
	if ((a->db = central_opt(a, "db")) == NULL &&
	    (a->db = getenv("POS_CENTRAL_DB")) != NULL && *a->db == '\0')
		a->db = NULL;
	if (a->db == NULL && central_conf_db_given(&a->conf))
		a->db = a->conf.server.db;
	if (((*cmd)->flags & CENTRAL_NO_DB) == 0 &&
	    (a->db == NULL || *a->db == '\0'))
		return cause_set(cause, POS_INPUT, "--db FILE or --db URI is "
		    "required (or POS_CENTRAL_DB in the environment, or [server] "
		    "db in the configuration)");
	return POS_OK;
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
		return POS_OK;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("pos-central %s\ncentral store schema %d\n"
		    "central store schema on PostgreSQL %d\n", POS_VERSION,
		    cstore_schema_version(), cstore_schema_version_pg());
		return POS_OK;
	}
	rc = central_parse(argc, argv, &cmd, &a, &cause);
	/* The table allows only the names clog knows. */
	if (rc == 0 && clog_set_level(a.conf.log.level) != 0)
		rc = cause_set(&cause, POS_INPUT, "[log] level: unknown");
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
	central_conf_free(&a.conf);
	free(cause);
	return rc;
}
