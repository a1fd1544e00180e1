/*
 * The `pos` command line. Global options come before the command; each
 * command's options are declared as a spec string ("user=,pay=*,no-print":
 * '=' takes a value, '*' may repeat) and parsed by cmdline_parse as
 * getopt_long would.
 * Handlers call the domain functions and print: text for people, or JSON
 * with --json (amounts as decimal strings in currency units).
 */
#include "cli.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "catalog.h"
#include "cmdline.h"
#include "config.h"
#include "csvio.h"
#include "journal.h"
#include "ledger.h"
#include "money.h"
#include "outbox.h"
#include "printq.h"
#include "report.h"
#include "sale.h"
#include "cause.h"
#include "store.h"
#include "text.h"
#include "till.h"
#include "user.h"
#include "utf8.h"
#include "xalloc.h"

#define CLI_PIN_MAX	64

struct cli {
	struct config	 cfg;
	bool		 cfg_loaded;
	struct store	*st;
	const char	*config_file;
	const char	*db;
	bool		 json;
	bool		 pin_stdin;
	char		*cause;
};

enum {
	CLI_STORE = 1 << 0,		/* opens the store */
	CLI_SUPERVISOR = 1 << 1		/* needs a supervisor's PIN */
};

typedef int	(*cli_fn)(struct cli *, struct cmdline_args *);

#define CLI_SUPERVISOR_NOTE	" (supervisor PIN: --pin-stdin or POS_PIN)"

/* ---- option parsing ---- */

/* Parse the words after the command's own `used` words into a. */
static int
cli_parse(struct cli *c, const struct cmdline_cmd *cmd, int argc, char **argv,
    int used, struct cmdline_args *a)
{
	struct cmdline_error err;

	if (cmdline_parse(cmd, NULL, CMDLINE_GETOPT, argc, argv, used, a,
	    &err) == 0)
		return POS_OK;
	switch (err.fault) {
	case CMDLINE_TWICE:
		return cause_set(&c->cause, POS_INPUT, "--%s given twice",
		    err.name);
	case CMDLINE_SURPLUS:
	case CMDLINE_MISSING:
		return cause_set(&c->cause, POS_INPUT, "usage: pos %s%s%s %s",
		    cmd->name, cmd->sub != NULL ? " " : "",
		    cmd->sub != NULL ? cmd->sub : "", cmd->usage);
	default:
		return cause_set(&c->cause, POS_INPUT,
		    "%s%s%s: %s \"%s\"\nusage: pos %s%s%s %s", cmd->name,
		    cmd->sub != NULL ? " " : "", cmd->sub != NULL ? cmd->sub : "",
		    err.fault == CMDLINE_SHORT ||
		    err.fault == CMDLINE_NEEDS_VALUE ?
		    "option needs a value or is unknown:" : "unknown option",
		    err.word, cmd->name, cmd->sub != NULL ? " " : "",
		    cmd->sub != NULL ? cmd->sub : "", cmd->usage);
	}
}

/* ---- values ---- */

static int
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

static int
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
static char *
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

static json_t *
cli_jqty(int64_t qty)
{
	char buf[32];

	qty_format(qty, buf, sizeof buf);
	return json_string(buf);
}

static json_t *
cli_jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* An amount for people: grouped, in the configured digits, with the symbol. */
static const char *
cli_money(struct cli *c, int64_t amount, char *buf, size_t len)
{
	char num[96];

	money_display(amount, c->cfg.currency.decimals, c->cfg.currency.digits,
	    num, sizeof num);
	snprintf(buf, len, "%s %s", num, c->cfg.currency.symbol);
	return buf;
}

/* s padded with spaces to width columns, on the left when right is set. */
static const char *
cli_pad(const char *s, size_t width, bool right, char *buf, size_t len)
{
	size_t cols = utf8_term_width(s), pad = cols < width ? width - cols : 0;

	snprintf(buf, len, "%*s%s%*s", right ? (int)pad : 0, "", s,
	    right ? 0 : (int)pad, "");
	return buf;
}

static bool cli_json_printed;

static void
cli_print_json(json_t *j)
{
	cli_json_printed = true;
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
	json_decref(j);
}

static json_t *
cli_entry_json(struct cli *c, const struct ledger_entry *e)
{
	int dec = c->cfg.currency.decimals;
	json_t *j = json_object(), *lines = json_array(), *pays = json_array();
	size_t i;

	json_object_set_new(j, "receipt", json_string(e->receipt));
	json_object_set_new(j, "uuid", json_string(e->uuid));
	json_object_set_new(j, "seq", json_integer(e->seq));
	json_object_set_new(j, "kind", json_string(e->kind));
	json_object_set_new(j, "date", json_string(e->business_date));
	json_object_set_new(j, "created_at", json_string(e->created_at));
	json_object_set_new(j, "user", json_string(e->user));
	json_object_set_new(j, "total", money_json(e->total, dec));
	json_object_set_new(j, "discount", money_json(e->discount, dec));
	json_object_set_new(j, "paid", money_json(e->paid, dec));
	json_object_set_new(j, "change", money_json(e->change, dec));
	json_object_set_new(j, "amount", money_json(e->amount, dec));
	json_object_set_new(j, "ref_receipt", cli_jstr(e->ref_receipt));
	json_object_set_new(j, "ref_uuid", cli_jstr(e->ref_uuid));
	json_object_set_new(j, "producer_code", cli_jstr(e->producer_code));
	json_object_set_new(j, "producer_name", cli_jstr(e->producer_name));
	json_object_set_new(j, "reason", cli_jstr(e->reason));
	for (i = 0; i < e->nlines; i++) {
		const struct ledger_line *l = &e->lines[i];
		json_t *o = json_object();

		json_object_set_new(o, "product_code", json_string(l->product_code));
		json_object_set_new(o, "product_name", json_string(l->product_name));
		json_object_set_new(o, "producer_code",
		    json_string(l->producer_code));
		json_object_set_new(o, "producer_name",
		    json_string(l->producer_name));
		json_object_set_new(o, "unit", json_string(l->unit));
		json_object_set_new(o, "qty", cli_jqty(l->qty));
		json_object_set_new(o, "unit_price", money_json(l->unit_price, dec));
		json_object_set_new(o, "total", money_json(l->total, dec));
		json_object_set_new(o, "discount", money_json(l->discount, dec));
		json_object_set_new(o, "net", money_json(l->net, dec));
		json_array_append_new(lines, o);
	}
	for (i = 0; i < e->npayments; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "method", json_string(e->payments[i].method));
		json_object_set_new(o, "tendered",
		    money_json(e->payments[i].tendered, dec));
		json_object_set_new(o, "amount",
		    money_json(e->payments[i].amount, dec));
		json_array_append_new(pays, o);
	}
	json_object_set_new(j, "lines", lines);
	json_object_set_new(j, "payments", pays);
	json_object_set_new(j, "prev_hash", json_string(e->prev_hash));
	json_object_set_new(j, "hash", json_string(e->hash));
	return j;
}

/* Print an entry for people, as a slip would show it. */
static void
cli_entry_text(struct cli *c, const struct ledger_entry *e)
{
	char a[128], q[32], b[128];
	size_t i;

	printf("%s  %s  %s  %s\n", e->receipt, e->kind, e->created_at, e->user);
	if (e->ref_receipt != NULL)
		printf("  for %s\n", e->ref_receipt);
	if (e->producer_code != NULL)
		printf("  producer %s %s\n", e->producer_code, e->producer_name);
	for (i = 0; i < e->nlines; i++) {
		const struct ledger_line *l = &e->lines[i];

		qty_format(l->qty, q, sizeof q);
		printf("  %-12s %s (%s)\n", l->product_code, l->product_name,
		    l->producer_name);
		printf("      %s %s x %s = %s", q, strcmp(l->unit, "kg") == 0 ?
		    "kg" : "pc", cli_money(c, l->unit_price, a, sizeof a),
		    cli_money(c, l->total, b, sizeof b));
		if (l->discount != 0)
			printf("  discount -%s", cli_money(c, l->discount, a,
			    sizeof a));
		putchar('\n');
	}
	if (strcmp(e->kind, "sale") == 0 || strcmp(e->kind, "refund") == 0 ||
	    strcmp(e->kind, "void") == 0) {
		if (e->discount != 0)
			printf("  discount  %s\n", cli_money(c, e->discount, a,
			    sizeof a));
		printf("  total     %s\n", cli_money(c, e->total, a, sizeof a));
	} else
		printf("  amount    %s\n", cli_money(c, e->amount, a, sizeof a));
	for (i = 0; i < e->npayments; i++)
		printf("  %-9s %s\n", e->payments[i].method,
		    cli_money(c, e->payments[i].tendered, a, sizeof a));
	if (e->change != 0)
		printf("  change    %s\n", cli_money(c, e->change, a, sizeof a));
	if (e->reason != NULL)
		printf("  reason    %s\n", e->reason);
}

/*
 * Print the job queued for entry seq (or the newest job when seq is 0 and
 * id given) and describe how it went: a JSON object, or a line for people.
 * A printer fault is reported, never returned: the entry is committed.
 */
static json_t *
cli_print_job(struct cli *c, int64_t seq, int64_t id)
{
	struct printq_job job;
	char *cause = NULL;
	json_t *j = json_object();
	int rc;

	rc = printq_run(c->st, false, &cause);
	if (rc == POS_OK)
		rc = id > 0 ? printq_get(c->st, id, &job, &cause) :
		    printq_for_seq(c->st, seq, &job, &cause);
	if (rc != POS_OK) {
		json_object_set_new(j, "state", json_string("unknown"));
		json_object_set_new(j, "error", cli_jstr(cause));
		if (!c->json)
			printf("print: %s\n", cause);
		free(cause);
		return j;
	}
	json_object_set_new(j, "job", json_integer(job.id));
	json_object_set_new(j, "state", json_string(job.state));
	json_object_set_new(j, "dest", cli_jstr(job.dest));
	json_object_set_new(j, "error", cli_jstr(job.last_error));
	if (!c->json) {
		if (strcmp(job.state, "pending") == 0)
			printf("print: not printed yet (%s); it will be tried "
			    "again ('pos print-queue')\n", job.last_error != NULL ?
			    job.last_error : "waiting");
		else if (strcmp(job.state, "failed") == 0)
			printf("print: failed: %s\n", job.last_error);
		else
			printf("print: %s %s\n", strcmp(job.state, "done") == 0 &&
			    job.cups_job == 0 ? "written to" : "sent to",
			    job.dest != NULL ? job.dest : "");
	}
	printq_job_clear(&job);
	return j;
}

static int
cli_entry_out(struct cli *c, struct ledger_entry *e)
{
	json_t *j = c->json ? cli_entry_json(c, e) : NULL, *p;

	if (!c->json)
		cli_entry_text(c, e);
	if (c->st != NULL && c->st->autoprint) {
		p = cli_print_job(c, e->seq, 0);
		if (j != NULL)
			json_object_set_new(j, "print", p);
		else
			json_decref(p);
	}
	if (j != NULL)
		cli_print_json(j);
	ledger_entry_free(e);
	return POS_OK;
}

static int
cli_done(struct cli *c, int rc, char *cause)
{
	if (rc != POS_OK) {
		free(c->cause);
		c->cause = cause;
	} else
		free(cause);
	return rc;
}

/* ---- commands ---- */

static int
cmd_init(struct cli *c, struct cmdline_args *a)
{
	const char *branch = cmdline_opt(a, "branch");
	const char *term = cmdline_opt(a, "terminal");
	const char *name = cmdline_opt(a, "name");
	char *end, *cause = NULL;
	long long t;
	int rc;

	if (branch == NULL || term == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "usage: pos init --branch CODE "
		    "--terminal N [--name NAME]");
	if (!text_valid_code(branch) || strlen(branch) > 16)
		return cause_set(&c->cause, POS_INPUT,
		    "--branch: must be 1-16 letters, "
		    "digits, '-', '_' or '.', got \"%s\"", branch);
	errno = 0;
	t = strtoll(term, &end, 10);
	if (errno != 0 || end == term || *end != '\0' || t < 1 || t > 999)
		return cause_set(&c->cause, POS_INPUT,
		    "--terminal: must be 1..999, got "
		    "\"%s\"", term);
	if (name != NULL && !text_valid_name(name))
		return cause_set(&c->cause, POS_INPUT,
		    "--name: must be 1-120 characters "
		    "without control characters");
	/* Only now, with the arguments good, may the store file be created. */
	rc = store_open(c->db != NULL ? c->db : c->cfg.store.path, true, &c->cfg,
	    &c->st, &cause);
	if (rc == POS_OK)
		rc = store_init_identity(c->st, branch, t, name, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "store", json_string(c->st->db->path));
		json_object_set_new(j, "branch", json_string(branch));
		json_object_set_new(j, "terminal", json_integer(t));
		cli_print_json(j);
	} else
		printf("store %s is branch %s terminal %lld\n", c->st->db->path,
		    branch, t);
	return POS_OK;
}

static int
cmd_config_check(struct cli *c, struct cmdline_args *a)
{
	(void)a;
	config_print(&c->cfg, stdout);
	return POS_OK;
}

static int
cmd_config_keys(struct cli *c, struct cmdline_args *a)
{
	(void)c;
	(void)a;
	config_help(stdout);
	return POS_OK;
}

static int
cmd_producer_add(struct cli *c, struct cmdline_args *a)
{
	char *cause = NULL;
	int rc;

	rc = catalog_producer_add(c->st, a->pos[0], a->pos[1],
	    cmdline_opt(a, "phone"), &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "code", json_string(a->pos[0]));
		json_object_set_new(j, "name", json_string(a->pos[1]));
		cli_print_json(j);
	} else
		printf("producer %s added\n", a->pos[0]);
	return POS_OK;
}

static int
cmd_producer_list(struct cli *c, struct cmdline_args *a)
{
	struct producer *p;
	char *cause = NULL;
	size_t n, i;
	int rc;

	(void)a;
	if ((rc = catalog_producer_list(c->st, &p, &n, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object(), *arr = json_array();

		for (i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "code", json_string(p[i].code));
			json_object_set_new(o, "name", json_string(p[i].name));
			json_object_set_new(o, "phone", cli_jstr(p[i].phone));
			json_array_append_new(arr, o);
		}
		json_object_set_new(j, "producers", arr);
		cli_print_json(j);
	} else
		for (i = 0; i < n; i++)
			printf("%-12s %s%s%s\n", p[i].code, p[i].name,
			    p[i].phone != NULL ? "  " : "",
			    p[i].phone != NULL ? p[i].phone : "");
	catalog_producers_free(p, n);
	return POS_OK;
}

static int
cli_unit(struct cli *c, const char *unit)
{
	if (unit != NULL && strcmp(unit, "piece") != 0 && strcmp(unit, "kg") != 0)
		return cause_set(&c->cause, POS_INPUT,
		    "--unit: must be piece or kg, got "
		    "\"%s\"", unit);
	return POS_OK;
}

static int
cmd_product_add(struct cli *c, struct cmdline_args *a)
{
	int dec = c->cfg.currency.decimals;
	const char *unit = cmdline_opt(a, "unit");
	const char *producer = cmdline_opt(a, "producer");
	char *cause = NULL;
	int64_t price;
	int rc;

	if (producer == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "--producer CODE is needed");
	if ((rc = cli_unit(c, unit)) != POS_OK ||
	    (rc = cli_amount(c, "price", a->pos[2], &price)) != POS_OK)
		return rc;
	rc = catalog_product_add(c->st, a->pos[0], a->pos[1], price,
	    unit != NULL ? unit : "piece", producer, cmdline_opt(a, "barcode"),
	    true, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "code", json_string(a->pos[0]));
		json_object_set_new(j, "price", money_json(price, dec));
		cli_print_json(j);
	} else
		printf("product %s added\n", a->pos[0]);
	return POS_OK;
}

static int
cmd_product_set(struct cli *c, struct cmdline_args *a)
{
	struct product_change ch = { NULL, NULL, -1, -1 };
	const char *price = cmdline_opt(a, "price");
	const char *active = cmdline_opt(a, "active");
	char *cause = NULL;
	int rc;

	ch.name = cmdline_opt(a, "name");
	ch.barcode = cmdline_opt(a, "barcode");
	if (price != NULL &&
	    (rc = cli_amount(c, "--price", price, &ch.price)) != POS_OK)
		return rc;
	if (active != NULL) {
		if (strcmp(active, "yes") == 0)
			ch.active = 1;
		else if (strcmp(active, "no") == 0)
			ch.active = 0;
		else
			return cause_set(&c->cause, POS_INPUT,
			    "--active: must be yes or "
			    "no, got \"%s\"", active);
	}
	if (ch.name == NULL && ch.barcode == NULL && price == NULL &&
	    active == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "usage: pos product set CODE "
		    "[--price P] [--name N] [--barcode B] [--active yes|no]");
	if ((rc = catalog_product_set(c->st, a->pos[0], &ch, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "code", json_string(a->pos[0]));
		cli_print_json(j);
	} else
		printf("product %s changed\n", a->pos[0]);
	return POS_OK;
}

static json_t *
cli_product_json(struct cli *c, const struct product *p)
{
	int dec = c->cfg.currency.decimals;
	json_t *o = json_object();

	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "price", money_json(p->price, dec));
	json_object_set_new(o, "unit", json_string(p->unit));
	json_object_set_new(o, "barcode", cli_jstr(p->barcode));
	json_object_set_new(o, "producer", json_string(p->producer_code));
	json_object_set_new(o, "producer_name", json_string(p->producer_name));
	json_object_set_new(o, "active", json_boolean(p->active));
	return o;
}

static int
cmd_product_list(struct cli *c, struct cmdline_args *a)
{
	struct product *p;
	char *cause = NULL, m[128], pad[512];
	size_t n, i;
	int rc;

	rc = catalog_product_search(c->st, cmdline_opt(a, "search"), 0, &p, &n,
	    &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object(), *arr = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(arr, cli_product_json(c, &p[i]));
		json_object_set_new(j, "products", arr);
		cli_print_json(j);
	} else
		for (i = 0; i < n; i++)
			printf("%-12s %s %s/%s  %s%s\n", p[i].code,
			    cli_pad(p[i].name, 30, false, pad, sizeof pad),
			    cli_money(c, p[i].price, m, sizeof m),
			    strcmp(p[i].unit, "kg") == 0 ? "kg" : "pc",
			    p[i].producer_code, p[i].active ? "" :
			    "  (inactive)");
	catalog_products_free(p, n);
	return POS_OK;
}

static int
cmd_import(struct cli *c, struct cmdline_args *a)
{
	char *cause = NULL;
	size_t n;
	int rc;

	if ((rc = csvio_import(c->st, a->pos[0], a->pos[1], &n, &cause)) !=
	    POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "imported", json_integer((json_int_t)n));
		cli_print_json(j);
	} else
		printf("%zu %s imported\n", n, a->pos[0]);
	return POS_OK;
}

static int
cmd_export(struct cli *c, struct cmdline_args *a)
{
	const char *from = cmdline_opt(a, "from"), *to = cmdline_opt(a, "to");
	char *cause = NULL;
	int rc;

	if ((from != NULL && (rc = cli_date(c, "--from", from)) != POS_OK) ||
	    (to != NULL && (rc = cli_date(c, "--to", to)) != POS_OK))
		return rc;
	rc = csvio_export(c->st, a->pos[0], from, to, stdout, &cause);
	return cli_done(c, rc, cause);
}

static int
cmd_user_add(struct cli *c, struct cmdline_args *a)
{
	const char *role = cmdline_opt(a, "role");
	char *pin, *cause = NULL;
	int rc;

	if (role == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "--role attendant|supervisor is "
		    "needed");
	if ((pin = cli_read_pin(true)) == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "the new user's PIN (4-12 digits) "
		    "is read from standard input");
	rc = user_add(c->st, a->pos[0], role, pin, &cause);
	free(pin);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "name", json_string(a->pos[0]));
		json_object_set_new(j, "role", json_string(role));
		cli_print_json(j);
	} else
		printf("user %s added as %s\n", a->pos[0], role);
	return POS_OK;
}

static const char *
cli_user(struct cli *c, struct cmdline_args *a)
{
	const char *u = cmdline_opt(a, "user");

	if (u == NULL)
		cause_set(&c->cause, POS_INPUT, "--user NAME is needed");
	return u;
}

static int
cmd_day_open(struct cli *c, struct cmdline_args *a)
{
	struct ledger_entry e;
	const char *user;
	char *cause = NULL;
	int64_t fl;
	int rc;

	if ((user = cli_user(c, a)) == NULL)
		return POS_INPUT;
	if ((rc = cli_amount(c, "--float", cmdline_opt(a, "float"), &fl)) != POS_OK)
		return rc;
	if ((rc = till_day_open(c->st, user, fl, &e, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	return cli_entry_out(c, &e);
}

/* Split CODE*QTY; QTY defaults to 1. */
static int
cli_item(struct cli *c, char *arg, struct sale_item *it, bool zero_is_all)
{
	char *star = strrchr(arg, '*'), err[96];

	it->item = arg;
	it->qty = zero_is_all ? 0 : 1000;
	if (star == NULL)
		return POS_OK;
	*star = '\0';
	if (qty_parse(star + 1, &it->qty, err, sizeof err) != 0)
		return cause_set(&c->cause, POS_INPUT,
		    "%s: quantity %s, got \"%s\"", arg, err, star + 1);
	if (*arg == '\0')
		return cause_set(&c->cause, POS_INPUT,
		    "an item needs a code before '*'");
	return POS_OK;
}

static json_t *cli_day_json(struct cli *, const struct report_day *);
static void cli_day_text(struct cli *, const struct report_day *);

static int
cmd_sell(struct cli *c, struct cmdline_args *a)
{
	struct sale_request req;
	struct sale_item *items;
	struct sale_pay *pays = NULL;
	struct ledger_entry e;
	const char *disc = cmdline_opt(a, "discount");
	char *cause = NULL, *colon;
	int pi = cmdline_index(a, "pay"), rc = POS_OK;
	size_t i, npays = a->nvalues[pi];

	memset(&req, 0, sizeof req);
	if ((req.user = cli_user(c, a)) == NULL)
		return POS_INPUT;
	items = xcalloc((size_t)a->npos, sizeof *items);
	for (i = 0; i < (size_t)a->npos && rc == POS_OK; i++)
		rc = cli_item(c, a->pos[i], &items[i], false);
	if (rc == POS_OK && disc != NULL)
		rc = cli_amount(c, "--discount", disc, &req.discount);
	pays = xcalloc(npays, sizeof *pays);
	for (i = 0; i < npays && rc == POS_OK; i++) {
		char *p = a->values[pi][i];

		if ((colon = strchr(p, ':')) == NULL) {
			rc = cause_set(&c->cause, POS_INPUT,
			    "--pay: must be METHOD:AMOUNT, "
			    "got \"%s\"", p);
			break;
		}
		*colon = '\0';
		pays[i].method = p;
		if (!sale_valid_method(p))
			rc = cause_set(&c->cause, POS_INPUT,
			    "--pay: method must be cash, "
			    "card or other, got \"%s\"", p);
		else
			rc = cli_amount(c, "--pay", colon + 1, &pays[i].amount);
	}
	if (rc != POS_OK)
		goto out;
	req.items = items;
	req.nitems = (size_t)a->npos;
	req.pays = pays;
	req.npays = npays;
	if ((rc = sale_sell(c->st, &req, &e, &cause)) != POS_OK) {
		rc = cli_done(c, rc, cause);
		goto out;
	}
	rc = cli_entry_out(c, &e);
out:
	free(items);
	free(pays);
	return rc;
}

/* Authenticate the --user of a supervisor command. */
static int
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

static int
cmd_void(struct cli *c, struct cmdline_args *a)
{
	struct ledger_entry e;
	char *cause = NULL;
	int rc;

	if (cmdline_opt(a, "reason") == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "--reason TEXT is needed");
	rc = sale_void(c->st, a->pos[0], cmdline_opt(a, "user"),
	    cmdline_opt(a, "reason"), &e, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	return cli_entry_out(c, &e);
}

static int
cmd_refund(struct cli *c, struct cmdline_args *a)
{
	struct sale_item *items;
	struct ledger_entry e;
	char *cause = NULL;
	size_t n = (size_t)a->npos - 1, i;
	int rc = POS_OK;

	items = xcalloc(n, sizeof *items);
	for (i = 0; i < n && rc == POS_OK; i++)
		rc = cli_item(c, a->pos[i + 1], &items[i], true);
	if (rc == POS_OK) {
		rc = sale_refund(c->st, a->pos[0], items, n, cmdline_opt(a, "user"),
		    cmdline_opt(a, "reason"), cmdline_opt(a, "to"), &e, &cause);
		if (rc == POS_OK)
			rc = cli_entry_out(c, &e);
		else
			rc = cli_done(c, rc, cause);
	}
	free(items);
	return rc;
}

static int
cmd_payout(struct cli *c, struct cmdline_args *a)
{
	struct ledger_entry e;
	char *cause = NULL;
	int64_t amount;
	int rc;

	if ((rc = cli_amount(c, "amount", a->pos[1], &amount)) != POS_OK)
		return rc;
	rc = till_payout(c->st, a->pos[0], cmdline_opt(a, "user"), amount, &e,
	    &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	return cli_entry_out(c, &e);
}

static int
cli_cash(struct cli *c, struct cmdline_args *a, const char *kind)
{
	struct ledger_entry e;
	const char *user;
	char *cause = NULL;
	int64_t amount;
	int rc;

	if ((user = cli_user(c, a)) == NULL)
		return POS_INPUT;
	if (cmdline_opt(a, "reason") == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "--reason TEXT is needed");
	if ((rc = cli_amount(c, "amount", a->pos[0], &amount)) != POS_OK)
		return rc;
	rc = till_cash(c->st, kind, user, amount, cmdline_opt(a, "reason"), &e,
	    &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	return cli_entry_out(c, &e);
}

static int
cmd_cash_in(struct cli *c, struct cmdline_args *a)
{
	return cli_cash(c, a, "cash_in");
}

static int
cmd_cash_out(struct cli *c, struct cmdline_args *a)
{
	return cli_cash(c, a, "cash_out");
}

static json_t *
cli_day_json(struct cli *c, const struct report_day *r)
{
	int dec = c->cfg.currency.decimals;
	json_t *j = json_object(), *m = json_object();

	json_object_set_new(j, "date", json_string(r->date));
	json_object_set_new(j, "closed", json_boolean(r->closed));
	json_object_set_new(j, "sales_count", json_integer(r->sales_count));
	json_object_set_new(j, "gross", money_json(r->gross, dec));
	json_object_set_new(j, "discounts", money_json(r->discounts, dec));
	json_object_set_new(j, "refunds", money_json(r->refunds, dec));
	json_object_set_new(j, "refunds_count", json_integer(r->refunds_count));
	json_object_set_new(j, "voids", json_integer(r->voids));
	json_object_set_new(j, "voids_total", money_json(r->voids_total, dec));
	json_object_set_new(j, "net", money_json(r->net, dec));
	for (int i = 0; i < REPORT_METHODS; i++)
		json_object_set_new(m, report_methods[i],
		    money_json(r->by_method[i], dec));
	json_object_set_new(j, "by_method", m);
	json_object_set_new(j, "payouts", money_json(r->payouts, dec));
	json_object_set_new(j, "cash_in", money_json(r->cash_in, dec));
	json_object_set_new(j, "cash_out", money_json(r->cash_out, dec));
	json_object_set_new(j, "float", money_json(r->float_amount, dec));
	json_object_set_new(j, "expected_cash", money_json(r->expected_cash, dec));
	json_object_set_new(j, "counted_cash", r->counted ?
	    money_json(r->counted_cash, dec) : json_null());
	json_object_set_new(j, "difference", r->counted ?
	    money_json(r->difference, dec) : json_null());
	json_object_set_new(j, "first_seq", json_integer(r->first_seq));
	json_object_set_new(j, "last_seq", json_integer(r->last_seq));
	return j;
}

static void
cli_day_text(struct cli *c, const struct report_day *r)
{
	char m[128], pad[160];


#define ROW(label, v) printf("  %-16s %s\n", label, \
	cli_pad(cli_money(c, v, m, sizeof m), 20, true, pad, sizeof pad))
	printf("%s report  %s%s\n", r->closed ? "Z" : "X", r->date,
	    r->closed ? "  (closed)" : "  (open)");
	printf("  %-16s %20lld\n", "sales", (long long)r->sales_count);
	ROW("gross", r->gross);
	ROW("discounts", r->discounts);
	printf("  %-16s %20lld\n", "refunds (count)", (long long)r->refunds_count);
	ROW("refunds", r->refunds);
	printf("  %-16s %20lld\n", "voids (count)", (long long)r->voids);
	ROW("voided", r->voids_total);
	ROW("net", r->net);
	for (int i = 0; i < REPORT_METHODS; i++)
		ROW(report_methods[i], r->by_method[i]);
	ROW("float", r->float_amount);
	ROW("payouts", r->payouts);
	ROW("cash in", r->cash_in);
	ROW("cash out", r->cash_out);
	ROW("expected cash", r->expected_cash);
	if (r->counted) {
		ROW("counted cash", r->counted_cash);
		ROW("difference", r->difference);
	}
#undef ROW
}

/* The day report; print_seq or print_id name a print job to run first. */
static int
cli_day_out(struct cli *c, const char *date, int64_t print_seq,
    int64_t print_id)
{
	struct report_day r;
	char *cause = NULL;
	json_t *j = NULL, *p = NULL;
	int rc;

	if ((rc = report_day(c->st, date, &r, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json)
		j = cli_day_json(c, &r);
	else
		cli_day_text(c, &r);
	if (print_seq > 0 || print_id > 0)
		p = cli_print_job(c, print_seq, print_id);
	if (j != NULL) {
		if (p != NULL)
			json_object_set_new(j, "print", p);
		cli_print_json(j);
	} else
		json_decref(p);
	return POS_OK;
}

/* Queue a report slip when --print was given; its job id, or 0. */
static int
cli_queue_report(struct cli *c, struct cmdline_args *a, const char *what,
    const char *arg, int64_t *id)
{
	char *cause = NULL;

	*id = 0;
	if (!cmdline_flag(a, "print"))
		return POS_OK;
	return cli_done(c, printq_enqueue(c->st, what, 0, arg, id, &cause),
	    cause);
}

/*
 * After the close: one push of the journal, reported and never failing
 * the close (the rest stays queued). With --json the report goes to
 * stderr, so stdout keeps its one JSON document.
 */
static void
cli_sync_after_close(struct cli *c)
{
	struct outbox_opts o;
	struct outbox_result r;
	FILE *out = c->json ? stderr : stdout;

	if (!outbox_configured(&c->cfg))
		return;
	fflush(stdout);
	outbox_opts_default(&o);
	/* The attendant waits for this: shorter than a `pos sync`. */
	o.attempts = 2;
	if (o.deadline_ms > OUTBOX_CLOSE_DEADLINE_MS)
		o.deadline_ms = OUTBOX_CLOSE_DEADLINE_MS;
	if (outbox_push(c->st, &o, &r) == POS_OK)
		fprintf(out, "sync: pushed to the central server (%lld sent, "
		    "acked through seq %lld)\n", (long long)r.sent,
		    (long long)r.state.acked_through);
	else
		fprintf(out, "sync: push failed, %lld entries stay queued "
		    "('pos sync' to try again): %s\n", r.have_state ?
		    (long long)r.state.unsynced : -1LL, r.error);
	outbox_result_free(&r);
}

static int
cmd_day_close(struct cli *c, struct cmdline_args *a)
{
	struct ledger_entry e;
	char *cause = NULL;
	int64_t counted;
	int rc;

	if ((rc = cli_amount(c, "--counted", cmdline_opt(a, "counted"), &counted)) !=
	    POS_OK)
		return rc;
	rc = till_day_close(c->st, cmdline_opt(a, "user"), counted, &e, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (!c->json)
		printf("day %s closed (%s)\n", e.business_date, e.receipt);
	rc = cli_day_out(c, e.business_date, c->st->autoprint ? e.seq : 0, 0);
	ledger_entry_free(&e);
	cli_sync_after_close(c);
	return rc;
}

static int
cmd_report_x(struct cli *c, struct cmdline_args *a)
{
	char date[11], *cause = NULL;
	int rc;

	int64_t id;

	if ((rc = journal_need_open_day(c->st, date, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if ((rc = cli_queue_report(c, a, "report_x", date, &id)) != POS_OK)
		return rc;
	return cli_day_out(c, date, 0, id);
}

static int
cmd_report_z(struct cli *c, struct cmdline_args *a)
{
	struct report_day r;
	const char *want = cmdline_opt(a, "date");
	char date[11], *cause = NULL;
	int64_t id;
	int rc;

	if (want != NULL) {
		if ((rc = cli_date(c, "--date", want)) != POS_OK)
			return rc;
		snprintf(date, sizeof date, "%s", want);
	} else if ((rc = report_last_closed(c->st, date, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if ((rc = report_day(c->st, date, &r, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if (!r.closed)
		return cause_set(&c->cause, POS_DENIED,
		    "day %s is still open: see "
		    "'pos report x'", date);
	if ((rc = cli_queue_report(c, a, "report_z", date, &id)) != POS_OK)
		return rc;
	return cli_day_out(c, date, 0, id);
}

/* The date reports use by default: the open day, else the last day, else today. */
static int
cli_default_date(struct cli *c, char date[11])
{
	char utc[21], *cause = NULL;
	bool open;
	int rc;

	if ((rc = journal_day(c->st, date, &open, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if (date[0] != '\0')
		return POS_OK;
	return cli_done(c, store_now(&c->cfg, utc, date, &cause), cause);
}

static json_t *
cli_producer_json(struct cli *c, const struct report_producer *p)
{
	int dec = c->cfg.currency.decimals;
	json_t *o = json_object();

	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "sold", money_json(p->sold, dec));
	json_object_set_new(o, "refunded", money_json(p->refunded, dec));
	json_object_set_new(o, "net", money_json(p->net, dec));
	json_object_set_new(o, "paid_out", money_json(p->paid_out, dec));
	json_object_set_new(o, "balance", money_json(p->balance, dec));
	json_object_set_new(o, "owed", money_json(p->owed, dec));
	return o;
}

static int
cmd_report_producers(struct cli *c, struct cmdline_args *a)
{
	int dec = c->cfg.currency.decimals;
	struct report_producer *p;
	const char *want = cmdline_opt(a, "date");
	char date[11], *cause = NULL, m1[128], m2[160];
	int64_t net = 0;
	size_t n, i;
	int rc;

	if (want != NULL) {
		if ((rc = cli_date(c, "--date", want)) != POS_OK)
			return rc;
		snprintf(date, sizeof date, "%s", want);
	} else if ((rc = cli_default_date(c, date)) != POS_OK)
		return rc;
	rc = report_producers(c->st, date, date, NULL, &p, &n, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	for (i = 0; i < n; i++)
		net += p[i].net;
	if (c->json) {
		json_t *j = json_object(), *arr = json_array();

		json_object_set_new(j, "date", json_string(date));
		for (i = 0; i < n; i++)
			json_array_append_new(arr, cli_producer_json(c, &p[i]));
		json_object_set_new(j, "producers", arr);
		json_object_set_new(j, "net", money_json(net, dec));
		cli_print_json(j);
	} else {
		printf("producers  %s\n", date);
		printf("  %-12s %16s %16s %16s %16s  %s\n", "code", "net",
		    "paid out", "balance", "owed", "name");
		for (i = 0; i < n; i++) {
			printf("  %-12s", p[i].code);
			int64_t v[4] = { p[i].net, p[i].paid_out, p[i].balance,
			    p[i].owed };
			for (int k = 0; k < 4; k++)
				printf(" %s", cli_pad(cli_money(c, v[k], m1,
				    sizeof m1), 16, true, m2, sizeof m2));
			printf("  %s\n", p[i].name);
		}
		printf("  %-12s %s\n", "total", cli_pad(cli_money(c, net, m1,
		    sizeof m1), 16, true, m2, sizeof m2));
	}
	report_producers_free(p, n);
	return POS_OK;
}

/* Queue and print a producer statement. */
static json_t *
cli_statement_print(struct cli *c, const char *code, const char *from,
    const char *to)
{
	char *arg = xasprintf("%s %s %s", code, from, to), *cause = NULL;
	int64_t id;
	json_t *j;

	if (printq_enqueue(c->st, "statement", 0, arg, &id, &cause) != POS_OK) {
		j = json_object();
		json_object_set_new(j, "state", json_string("unknown"));
		json_object_set_new(j, "error", cli_jstr(cause));
		if (!c->json)
			printf("print: %s\n", cause);
	} else
		j = cli_print_job(c, 0, id);
	free(arg);
	free(cause);
	return j;
}

static int
cmd_report_producer(struct cli *c, struct cmdline_args *a)
{
	int dec = c->cfg.currency.decimals;
	struct report_producer *p;
	struct report_product *pr = NULL;
	const char *f = cmdline_opt(a, "from"), *t = cmdline_opt(a, "to");
	char from[11], to[11], def[11], *cause = NULL, m[128], q[32], pad[160];
	size_t n, np = 0, i;
	int rc;

	if ((f != NULL && (rc = cli_date(c, "--from", f)) != POS_OK) ||
	    (t != NULL && (rc = cli_date(c, "--to", t)) != POS_OK))
		return rc;
	if ((f == NULL || t == NULL) && (rc = cli_default_date(c, def)) != POS_OK)
		return rc;
	snprintf(from, sizeof from, "%s", f != NULL ? f : (t != NULL ? t : def));
	snprintf(to, sizeof to, "%s", t != NULL ? t : (f != NULL &&
	    strcmp(f, def) > 0 ? f : def));
	if (strcmp(from, to) > 0)
		return cause_set(&c->cause, POS_INPUT,
		    "--from %s is after --to %s", from, to);
	/* The totals and the product lines come from one snapshot. */
	if ((rc = sqldb_begin(c->st->db, false, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	rc = report_producers(c->st, from, to, a->pos[0], &p, &n, &cause);
	if (rc == POS_OK)
		rc = report_producer_products(c->st, a->pos[0], from, to, &pr,
		    &np, &cause);
	sqldb_rollback(c->st->db);
	if (rc != POS_OK) {
		if (n > 0)
			report_producers_free(p, n);
		return cli_done(c, rc, cause);
	}
	if (c->json) {
		json_t *j = cli_producer_json(c, &p[0]), *arr = json_array();

		json_object_set_new(j, "from", json_string(from));
		json_object_set_new(j, "to", json_string(to));
		for (i = 0; i < np; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "code", json_string(pr[i].code));
			json_object_set_new(o, "name", json_string(pr[i].name));
			json_object_set_new(o, "qty_sold", cli_jqty(pr[i].qty_sold));
			json_object_set_new(o, "sold", money_json(pr[i].sold, dec));
			json_object_set_new(o, "qty_refunded",
			    cli_jqty(pr[i].qty_refunded));
			json_object_set_new(o, "refunded",
			    money_json(pr[i].refunded, dec));
			json_array_append_new(arr, o);
		}
		json_object_set_new(j, "products", arr);
		if (cmdline_flag(a, "print"))
			json_object_set_new(j, "print",
			    cli_statement_print(c, a->pos[0], from, to));
		cli_print_json(j);
	} else {
		printf("producer %s  %s  %s .. %s\n", p[0].code, p[0].name, from,
		    to);
		for (i = 0; i < np; i++) {
			qty_format(pr[i].qty_sold - pr[i].qty_refunded, q,
			    sizeof q);
			printf("  %-12s %8s  %s  %s\n", pr[i].code, q,
			    cli_pad(cli_money(c, pr[i].sold - pr[i].refunded, m,
			    sizeof m), 16, true, pad, sizeof pad), pr[i].name);
		}
		printf("  sold      %s\n", cli_money(c, p[0].sold, m, sizeof m));
		printf("  refunded  %s\n", cli_money(c, p[0].refunded, m,
		    sizeof m));
		printf("  net       %s\n", cli_money(c, p[0].net, m, sizeof m));
		printf("  paid out  %s\n", cli_money(c, p[0].paid_out, m,
		    sizeof m));
		printf("  balance   %s\n", cli_money(c, p[0].balance, m,
		    sizeof m));
		printf("  owed now  %s\n", cli_money(c, p[0].owed, m, sizeof m));
	}
	if (!c->json && cmdline_flag(a, "print"))
		json_decref(cli_statement_print(c, a->pos[0], from, to));
	report_products_free(pr, np);
	report_producers_free(p, n);
	return POS_OK;
}

static int
cmd_show(struct cli *c, struct cmdline_args *a)
{
	struct ledger_entry e;
	char *cause = NULL;
	int64_t seq;
	int rc;

	if ((rc = journal_find(c->st, a->pos[0], &seq, &cause)) != POS_OK ||
	    (rc = journal_load(c->st, seq, &e, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	return cli_entry_out(c, &e);
}

static int
cmd_verify(struct cli *c, struct cmdline_args *a)
{
	struct journal_check chk;
	char *cause = NULL;
	int rc;

	(void)a;
	if ((rc = journal_verify(c->st, &chk, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "ok", json_boolean(chk.ok));
		json_object_set_new(j, "entries", json_integer(chk.entries));
		json_object_set_new(j, "head", json_string(chk.head));
		json_object_set_new(j, "bad_seq", chk.ok ? json_null() :
		    json_integer(chk.bad_seq));
		json_object_set_new(j, "error", cli_jstr(chk.error));
		cli_print_json(j);
	} else if (chk.ok)
		printf("ok: %lld entries, head %s\n", (long long)chk.entries,
		    chk.head);
	else
		printf("BAD: entry seq %lld: %s\n", (long long)chk.bad_seq,
		    chk.error);
	if (!chk.ok)
		rc = cause_set(&c->cause, POS_FAIL,
		    "the journal fails verification at "
		    "seq %lld: %s", (long long)chk.bad_seq, chk.error);
	free(chk.error);
	return rc;
}

static int
cmd_receipt_print(struct cli *c, struct cmdline_args *a)
{
	char *cause = NULL;
	int64_t seq, id;
	bool printed;
	json_t *p;
	int rc;

	if ((rc = journal_find(c->st, a->pos[0], &seq, &cause)) != POS_OK ||
	    (rc = printq_printed(c->st, seq, &printed, &cause)) != POS_OK ||
	    (rc = printq_enqueue(c->st, printed ? "copy" : "receipt", seq, NULL,
	    &id, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	p = cli_print_job(c, 0, id);
	if (c->json) {
		json_object_set_new(p, "receipt", json_string(a->pos[0]));
		json_object_set_new(p, "copy", json_boolean(printed));
		cli_print_json(p);
	} else
		json_decref(p);
	return POS_OK;
}

static int
cmd_receipt_render(struct cli *c, struct cmdline_args *a)
{
	const char *format = cmdline_opt(a, "format");
	unsigned char *data = NULL;
	char *cause = NULL;
	size_t len = 0;
	int64_t seq;
	int rc;

	if (format == NULL)
		format = c->cfg.printer.format;
	if (strcmp(format, "text") != 0 && strcmp(format, "escpos") != 0 &&
	    strcmp(format, "escpos-raster") != 0 && strcmp(format, "pdf") != 0 &&
	    strcmp(format, "png") != 0)
		return cause_set(&c->cause, POS_INPUT,
		    "--format: must be escpos, "
		    "escpos-raster, pdf, text or png, got \"%s\"", format);
	if ((rc = journal_find(c->st, a->pos[0], &seq, &cause)) != POS_OK ||
	    (rc = printq_render(c->st, cmdline_flag(a, "copy") ? "copy" : "receipt",
	    seq, NULL, format, &data, &len, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if (fwrite(data, 1, len, stdout) != len)
		rc = cause_set(&c->cause, POS_FAIL,
		    "cannot write the receipt: %s", strerror(errno));
	free(data);
	return rc;
}

static int
cmd_print_queue(struct cli *c, struct cmdline_args *a)
{
	struct printq_job *jobs;
	char *cause = NULL;
	size_t n, i;
	int rc;

	if ((rc = printq_run(c->st, cmdline_flag(a, "retry"), &cause)) != POS_OK ||
	    (rc = printq_list(c->st, cmdline_flag(a, "all"), &jobs, &n, &cause)) !=
	    POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object(), *arr = json_array();

		for (i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "job", json_integer(jobs[i].id));
			json_object_set_new(o, "what", json_string(jobs[i].what));
			json_object_set_new(o, "receipt", cli_jstr(jobs[i].receipt));
			json_object_set_new(o, "state", json_string(jobs[i].state));
			json_object_set_new(o, "attempts",
			    json_integer(jobs[i].attempts));
			json_object_set_new(o, "dest", cli_jstr(jobs[i].dest));
			json_object_set_new(o, "cups_job", jobs[i].cups_job > 0 ?
			    json_integer(jobs[i].cups_job) : json_null());
			json_object_set_new(o, "error", cli_jstr(jobs[i].last_error));
			json_object_set_new(o, "next_try", cli_jstr(jobs[i].next_try));
			json_array_append_new(arr, o);
		}
		json_object_set_new(j, "jobs", arr);
		cli_print_json(j);
	} else if (n == 0)
		printf("nothing waiting to print\n");
	else
		for (i = 0; i < n; i++)
			printf("%6lld  %-8s %-9s %-16s tries %lld  %s%s%s\n",
			    (long long)jobs[i].id, jobs[i].state, jobs[i].what,
			    jobs[i].receipt != NULL ? jobs[i].receipt : "-",
			    (long long)jobs[i].attempts,
			    jobs[i].dest != NULL ? jobs[i].dest : "",
			    jobs[i].last_error != NULL ? "  " : "",
			    jobs[i].last_error != NULL ? jobs[i].last_error : "");
	printq_jobs_free(jobs, n);
	return POS_OK;
}

static void
cli_sync_text(const struct outbox_state *s)
{
	printf("unsynced       %lld", (long long)s->unsynced);
	if (s->unsynced > 0)
		printf(" (seq %lld..%lld)", (long long)s->acked_through + 1,
		    (long long)s->head_seq);
	printf("\nacked through  seq %lld\n", (long long)s->acked_through);
	printf("server head    %s\n", s->server_head[0] != '\0' ?
	    s->server_head : "(never synced)");
	printf("window head    seq %lld %s\n", (long long)s->head_seq, s->head);
	printf("last attempt   %s\n", s->last_attempt != NULL ?
	    s->last_attempt : "never");
	printf("last success   %s\n", s->last_success != NULL ?
	    s->last_success : "never");
	printf("last error     %s\n", s->last_error != NULL ? s->last_error :
	    "none");
	for (size_t i = 0; i < s->nrejected; i++)
		printf("rejected       seq %lld (%s): %s\n",
		    (long long)s->rejected[i].seq, s->rejected[i].receipt != NULL ?
		    s->rejected[i].receipt : "?", s->rejected[i].reason);
}

static int
cmd_sync(struct cli *c, struct cmdline_args *a)
{
	struct outbox_opts o;
	struct outbox_result r;
	struct outbox_state s;
	char *cause = NULL;
	int rc;

	if (cmdline_flag(a, "status")) {
		if ((rc = outbox_status(c->st, &s, &cause)) != POS_OK)
			return cli_done(c, rc, cause);
		if (c->json)
			cli_print_json(outbox_state_json(&s));
		else
			cli_sync_text(&s);
		outbox_state_free(&s);
		return POS_OK;
	}
	if (!outbox_configured(&c->cfg))
		return cause_set(&c->cause, POS_INPUT,
		    "no central server configured "
		    "([sync] url)");
	outbox_opts_default(&o);
	rc = outbox_push(c->st, &o, &r);
	if (c->json)
		cli_print_json(outbox_result_json(&r));
	else if (rc == POS_OK)
		printf("sync: %lld entries sent; the server has seq 1..%lld, "
		    "head %s; nothing unsynced\n", (long long)r.sent,
		    (long long)r.state.acked_through, r.state.server_head);
	else if (r.have_state)
		printf("sync: %lld entries sent; %lld unsynced (the server has "
		    "seq 1..%lld)\n", (long long)r.sent,
		    (long long)r.state.unsynced,
		    (long long)r.state.acked_through);
	if (rc != POS_OK)
		cause_set(&c->cause, rc, "sync: %s", r.error);
	outbox_result_free(&r);
	return rc;
}

static int cmd_help(struct cli *, struct cmdline_args *);

static const struct cmdline_cmd cli_cmds[] = {
	{ .name = "init",
	  .usage = "--branch CODE --terminal N [--name NAME]",
	  .opts = "branch=,terminal=,name=",
	  .handler = CMDLINE_FN(cmd_init),
	  .help = "create the store and set its branch and terminal, once" },
	{ .name = "config", .sub = "check",
	  .usage = "",
	  .handler = CMDLINE_FN(cmd_config_check),
	  .help = "validate and print the effective configuration" },
	{ .name = "config", .sub = "keys",
	  .usage = "",
	  .handler = CMDLINE_FN(cmd_config_keys),
	  .help = "list every configuration key" },
	{ .name = "producer", .sub = "add",
	  .usage = "CODE NAME [--phone PHONE]",
	  .opts = "phone=",
	  .minargs = 2, .maxargs = 2, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_producer_add),
	  .help = "add a producer" },
	{ .name = "producer", .sub = "list",
	  .usage = "",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_producer_list),
	  .help = "list producers" },
	{ .name = "product", .sub = "add",
	  .usage = "CODE NAME PRICE --producer CODE [--barcode B] "
	      "[--unit piece|kg]",
	  .opts = "producer=,barcode=,unit=",
	  .minargs = 3, .maxargs = 3, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_product_add),
	  .help = "add a product" },
	{ .name = "product", .sub = "set",
	  .usage = "CODE [--price P] [--name N] [--barcode B] "
	      "[--active yes|no]",
	  .opts = "price=,name=,barcode=,active=",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_product_set),
	  .help = "change a product" },
	{ .name = "product", .sub = "list",
	  .usage = "[--search TEXT]",
	  .opts = "search=",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_product_list),
	  .help = "list or search products" },
	{ .name = "import",
	  .usage = "producers|products FILE.csv",
	  .minargs = 2, .maxargs = 2, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_import),
	  .help = "import a CSV file, all or nothing" },
	{ .name = "export",
	  .usage = "sales|producers|products [--from DATE] [--to DATE]",
	  .opts = "from=,to=",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_export),
	  .help = "CSV to stdout" },
	{ .name = "user", .sub = "add",
	  .usage = "NAME --role attendant|supervisor  (PIN on stdin)",
	  .opts = "role=",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_user_add),
	  .help = "add a user" },
	{ .name = "day", .sub = "open",
	  .usage = "--user NAME --float AMOUNT",
	  .opts = "user=,float=",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_day_open),
	  .help = "open the business day" },
	{ .name = "day", .sub = "close",
	  .usage = "--user SUPERVISOR --counted AMOUNT [--no-print]",
	  .opts = "user=,counted=,pin-stdin,no-print",
	  .flags = CLI_STORE | CLI_SUPERVISOR,
	  .handler = CMDLINE_FN(cmd_day_close),
	  .help = "count the drawer, print the Z report, seal the day" },
	{ .name = "sell",
	  .usage = "--user NAME ITEM... [--pay METHOD:AMOUNT]... "
	      "[--discount AMOUNT] [--no-print]",
	  .opts = "user=,pay=*,discount=,no-print",
	  .minargs = 1, .maxargs = -1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_sell),
	  .help = "ring up a sale; ITEM is CODE, BARCODE or CODE*QTY" },
	{ .name = "void",
	  .usage = "RECEIPT --user SUPERVISOR --reason TEXT [--no-print]",
	  .opts = "user=,reason=,pin-stdin,no-print",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE | CLI_SUPERVISOR,
	  .handler = CMDLINE_FN(cmd_void),
	  .help = "void a sale of the open day" },
	{ .name = "refund",
	  .usage = "RECEIPT ITEM... --user SUPERVISOR [--reason TEXT] "
	      "[--to cash|card|other] [--no-print]",
	  .opts = "user=,reason=,to=,pin-stdin,no-print",
	  .minargs = 2, .maxargs = -1, .flags = CLI_STORE | CLI_SUPERVISOR,
	  .handler = CMDLINE_FN(cmd_refund),
	  .help = "refund items of a sale" },
	{ .name = "payout",
	  .usage = "PRODUCER AMOUNT --user SUPERVISOR [--no-print]",
	  .opts = "user=,pin-stdin,no-print",
	  .minargs = 2, .maxargs = 2, .flags = CLI_STORE | CLI_SUPERVISOR,
	  .handler = CMDLINE_FN(cmd_payout),
	  .help = "pay a producer cash from the drawer" },
	{ .name = "cash", .sub = "in",
	  .usage = "AMOUNT --user NAME --reason TEXT",
	  .opts = "user=,reason=",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_cash_in),
	  .help = "put cash into the drawer" },
	{ .name = "cash", .sub = "out",
	  .usage = "AMOUNT --user NAME --reason TEXT",
	  .opts = "user=,reason=",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_cash_out),
	  .help = "take cash out of the drawer" },
	{ .name = "report", .sub = "x",
	  .usage = "[--print]",
	  .opts = "print",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_report_x),
	  .help = "the open day so far" },
	{ .name = "report", .sub = "z",
	  .usage = "[--date DATE] [--print]",
	  .opts = "date=,print",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_report_z),
	  .help = "a closed day (default: the last one)" },
	{ .name = "report", .sub = "producers",
	  .usage = "[--date DATE]",
	  .opts = "date=",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_report_producers),
	  .help = "every producer's day" },
	{ .name = "report", .sub = "producer",
	  .usage = "CODE [--from DATE] [--to DATE] [--print]",
	  .opts = "from=,to=,print",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_report_producer),
	  .help = "one producer's statement over a period" },
	{ .name = "receipt", .sub = "print",
	  .usage = "RECEIPT",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_receipt_print),
	  .help = "print a receipt again (marked COPY)" },
	{ .name = "receipt", .sub = "render",
	  .usage = "RECEIPT [--format escpos|escpos-raster|pdf|"
	      "text|png] [--copy] > FILE",
	  .opts = "format=,copy",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_receipt_render),
	  .help = "a receipt's printer bytes, or a PNG to look at" },
	{ .name = "print-queue",
	  .usage = "[--retry] [--all]",
	  .opts = "retry,all",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_print_queue),
	  .help = "what is waiting to print; --retry tries everything now" },
	{ .name = "show",
	  .usage = "RECEIPT",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_show),
	  .help = "one journal entry with its lines" },
	{ .name = "sync",
	  .usage = "[--status]",
	  .opts = "status",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_sync),
	  .help = "push the journal to the central server now; --status: how far "
	      "it is" },
	{ .name = "verify",
	  .usage = "",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_verify),
	  .help = "check the whole hash chain" },
	{ .name = "help",
	  .usage = "",
	  .handler = CMDLINE_FN(cmd_help),
	  .help = "this list" },};
#define CLI_NCMDS (sizeof cli_cmds / sizeof cli_cmds[0])

static void
cli_usage(FILE *out)
{
	fprintf(out, "usage: pos [--config FILE] [--db FILE] [--json] "
	    "[--pin-stdin] COMMAND ...\n\n");
	cmdline_help(out, "pos", cli_cmds, CLI_NCMDS, CLI_SUPERVISOR,
	    CLI_SUPERVISOR_NOTE);
	fprintf(out, "\nExit status: 0 ok, 1 failure, 2 bad input or usage, "
	    "3 not allowed (PIN, role, day state).\n");
}

static int
cmd_help(struct cli *c, struct cmdline_args *a)
{
	(void)c;
	(void)a;
	cli_usage(stdout);
	return POS_OK;
}

static int
cli_run(struct cli *c, int argc, char **argv)
{
	const struct cmdline_cmd *cmd;
	struct cmdline_args a;
	char *cause = NULL;
	const char *path;
	int used, rc;

	if (argc == 0) {
		cli_usage(stderr);
		return POS_INPUT;
	}
	if ((cmd = cmdline_find(cli_cmds, CLI_NCMDS, argv[0], argc > 1 ?
	    argv[1] : NULL, &used)) == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    used == -1 ? "%s: unknown "
		    "subcommand (see 'pos help')" : "unknown command \"%s\" "
		    "(see 'pos help')", argv[0]);
	if ((rc = cli_parse(c, cmd, argc, argv, used, &a)) != POS_OK) {
		cmdline_args_free(&a);
		return rc;
	}
	if (config_load(&c->cfg, c->config_file, &cause) != 0) {
		rc = cli_done(c, POS_INPUT, cause);
		goto out;
	}
	c->cfg_loaded = true;
	if ((cmd->flags & CLI_STORE) != 0) {
		path = c->db != NULL ? c->db : c->cfg.store.path;
		rc = store_open(path, false, &c->cfg, &c->st, &cause);
		if (rc != POS_OK) {
			rc = cli_done(c, rc, cause);
			goto out;
		}
		if ((rc = store_need_identity(c->st, &cause)) != POS_OK) {
			rc = cli_done(c, rc, cause);
			goto out;
		}
	}
	if ((cmd->flags & CLI_SUPERVISOR) != 0 &&
	    (rc = cli_supervisor(c, &a)) != POS_OK)
		goto out;
	/* Commands that print a slip queue it with the entry, unless --no-print. */
	if (c->st != NULL && cmdline_index(&a, "no-print") >= 0)
		printq_autoprint(c->st, !cmdline_flag(&a, "no-print"));
	rc = ((cli_fn)cmd->handler)(c, &a);
out:
	cmdline_args_free(&a);
	return rc;
}

int
cli_main(int argc, char **argv, cli_interactive_fn interactive)
{
	struct cli c;
	int i, rc;

	memset(&c, 0, sizeof c);
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *opt = argv[i] + 2;

		if (strcmp(opt, "json") == 0)
			c.json = true;
		else if (strcmp(opt, "pin-stdin") == 0)
			c.pin_stdin = true;
		else if (strcmp(opt, "help") == 0) {
			cli_usage(stdout);
			return POS_OK;
		} else if ((strcmp(opt, "config") == 0 || strcmp(opt, "db") == 0)
		    && i + 1 < argc) {
			if (opt[0] == 'c')
				c.config_file = argv[++i];
			else
				c.db = argv[++i];
		} else if (strncmp(opt, "config=", 7) == 0)
			c.config_file = opt + 7;
		else if (strncmp(opt, "db=", 3) == 0)
			c.db = opt + 3;
		else {
			fprintf(stderr, "pos: unknown or incomplete global option "
			    "%s\n", argv[i]);
			cli_usage(stderr);
			return POS_INPUT;
		}
	}
	/* No command on a terminal: the terminal UI. */
	if (argc - i == 0 && interactive != NULL && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO))
		return interactive(c.config_file, c.db);
	rc = cli_run(&c, argc - i, argv + i);
	if (fflush(stdout) != 0 && rc == POS_OK)
		rc = cause_set(&c.cause, POS_FAIL,
		    "cannot write the output: %s", strerror(errno));
	if (rc != POS_OK && c.cause != NULL) {
		fprintf(stderr, "pos: %s\n", c.cause);
		/* One JSON document on stdout: a result, or else the error. */
		if (c.json && !cli_json_printed) {
			json_t *j = json_object();

			json_object_set_new(j, "error", json_string(c.cause));
			json_object_set_new(j, "exit", json_integer(rc));
			cli_print_json(j);
		}
	}
	free(c.cause);
	store_close(c.st);
	if (c.cfg_loaded)
		config_free(&c.cfg);
	return rc;
}
