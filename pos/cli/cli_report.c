/*
 * Reports: the day (X and Z), producers' days and one producer's
 * statement.
 */
#include "cli_int.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "catalog.h"
#include "cause.h"
#include "cmdline.h"
#include "mdata.h"
#include "journal.h"
#include "money.h"
#include "printq.h"
#include "report.h"
#include "store.h"
#include "xalloc.h"

static json_t *
cli_day_json(struct cli *c, const struct report_day *r)
{
	int dec = c->cfg.currency.decimals;
	json_t *j = json_object(), *m = json_object();

	json_object_set_new(j, "date", json_string(r->date));
	json_object_set_new(j, "session", r->session > 0 ?
	    json_integer(r->session) : json_null());
	json_object_set_new(j, "sessions", json_integer(r->sessions));
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
	json_object_set_new(j, "first_sale", r->first_sale[0] != '\0' ?
	    json_string(r->first_sale) : json_null());
	json_object_set_new(j, "last_sale", r->last_sale[0] != '\0' ?
	    json_string(r->last_sale) : json_null());
	return j;
}

/* "Z 2026-03-01 #2": a session is known by its date and number. */
static void
cli_day_title(const struct report_day *r, char *buf, size_t len)
{
	if (r->session > 0)
		snprintf(buf, len, "%s %s #%lld  (%s)", r->closed ? "Z" : "X",
		    r->date, (long long)r->session, r->closed ? "closed" :
		    "open");
	else
		snprintf(buf, len, "%s %s  (%s, %lld session%s)",
		    r->closed ? "Z" : "X", r->date, r->closed ? "closed" :
		    "open", (long long)r->sessions, r->sessions == 1 ? "" :
		    "s");
}

static void
cli_day_text(struct cli *c, const struct report_day *r)
{
	char m[128], pad[160], title[96], t1[32], t2[32];

#define ROW(label, v) printf("  %-16s %s\n", label, \
	cli_pad(cli_money(c, v, m, sizeof m), 20, true, pad, sizeof pad))
	cli_day_title(r, title, sizeof title);
	printf("%s\n", title);
	printf("  %-16s %20lld\n", "sales", (long long)r->sales_count);
	if (r->first_sale[0] != '\0') {
		store_local_time(&c->cfg, r->first_sale, STORE_TIME_DATE_HM, t1,
		    sizeof t1);
		store_local_time(&c->cfg, r->last_sale, STORE_TIME_DATE_HM, t2,
		    sizeof t2);
		printf("  %-16s %20s\n", "first sale", t1);
		printf("  %-16s %20s\n", "last sale", t2);
	}
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

/*
 * The report of session n of date (0: the whole date); print_seq or
 * print_id name a print job to run first.
 */
int
cli_day_out(struct cli *c, const char *date, int64_t session,
    int64_t print_seq, int64_t print_id)
{
	struct report_day r;
	char *cause = NULL;
	json_t *j = NULL, *p = NULL;
	int rc;

	rc = session > 0 ? report_session(c->st, date, session, &r, &cause) :
	    report_day(c->st, date, &r, &cause);
	if (rc != POS_OK)
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
		if (c->day_backup != NULL) {
			json_object_set_new(j, "backup", c->day_backup);
			c->day_backup = NULL;
		}
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

/* The report X is the open session so far. */
int
cmd_report_x(struct cli *c, struct cmdline_args *a)
{
	struct journal_session s;
	char date[11], arg[32], *cause = NULL;
	int64_t id;
	int rc;

	if ((rc = journal_need_open_day(c->st, date, &cause)) != POS_OK ||
	    (rc = journal_session(c->st, &s, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	snprintf(arg, sizeof arg, "%s#%lld", s.date, (long long)s.session);
	if ((rc = cli_queue_report(c, a, "report_x", arg, &id)) != POS_OK)
		return rc;
	return cli_day_out(c, s.date, s.session, 0, id);
}

/* --session N: a positive number. */
static int
cli_session(struct cli *c, const char *text, int64_t *n)
{
	char *end;
	long long v;

	*n = 0;
	if (text == NULL)
		return POS_OK;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < 1 ||
	    v > 1000000)
		return cause_set(&c->cause, POS_INPUT, "--session: must be a "
		    "session number from 1, got \"%s\"", text);
	*n = v;
	return POS_OK;
}

/*
 * A slip (what: "statement", "report_z") as the printer would get it, or
 * a PNG, on stdout; nothing is queued.
 */
static int
cli_slip_render(struct cli *c, const char *what, const char *arg,
    const char *format)
{
	char *cause = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	if (strcmp(format, "text") != 0 && strcmp(format, "escpos") != 0 &&
	    strcmp(format, "escpos-raster") != 0 && strcmp(format, "pdf") != 0 &&
	    strcmp(format, "png") != 0)
		return cause_set(&c->cause, POS_INPUT, "--render: must be "
		    "escpos, escpos-raster, pdf, text or png, got \"%s\"",
		    format);
	rc = printq_render(c->st, what, 0, arg, format, &data, &len, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (fwrite(data, 1, len, stdout) != len)
		rc = cause_set(&c->cause, POS_FAIL,
		    "cannot write the slip: %s", strerror(errno));
	free(data);
	return rc;
}

/*
 * A Z report: --date D the whole date, with --session N one session of it;
 * by default the last closed session (--session alone: of its date).
 */
int
cmd_report_z(struct cli *c, struct cmdline_args *a)
{
	struct report_day r;
	const char *want = cmdline_opt(a, "date");
	char date[11], arg[32], *cause = NULL;
	int64_t id, n, last;
	int rc;

	if ((rc = cli_session(c, cmdline_opt(a, "session"), &n)) != POS_OK)
		return rc;
	if (want != NULL) {
		if ((rc = cli_date(c, "--date", want)) != POS_OK)
			return rc;
		snprintf(date, sizeof date, "%s", want);
	} else if ((rc = report_last_closed(c->st, date, &last, &cause)) !=
	    POS_OK)
		return cli_done(c, rc, cause);
	else if (n == 0)
		n = last;
	rc = n > 0 ? report_session(c->st, date, n, &r, &cause) :
	    report_day(c->st, date, &r, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (!r.closed && n > 0)
		return cause_set(&c->cause, POS_DENIED, "session %lld of day "
		    "%s is still open: see 'pos report x'", (long long)n,
		    date);
	if (!r.closed)
		return cause_set(&c->cause, POS_DENIED,
		    "day %s is still open: see "
		    "'pos report x'", date);
	if (n > 0)
		snprintf(arg, sizeof arg, "%s#%lld", date, (long long)n);
	else
		snprintf(arg, sizeof arg, "%s", date);
	if (cmdline_opt(a, "render") != NULL)
		return cli_slip_render(c, "report_z", arg,
		    cmdline_opt(a, "render"));
	if ((rc = cli_queue_report(c, a, "report_z", arg, &id)) != POS_OK)
		return rc;
	return cli_day_out(c, date, n, 0, id);
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
	/* A debt to the window is its own figure, never a negative owed. */
	json_object_set_new(o, "owed", money_json(p->owed > 0 ? p->owed : 0,
	    dec));
	json_object_set_new(o, "owes_window", money_json(p->owed < 0 ?
	    -p->owed : 0, dec));
	return o;
}

int
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
			    p[i].owed > 0 ? p[i].owed : 0 };
			for (int k = 0; k < 4; k++) {
				char m3[140];

				/* Paid beyond the day's net: not a debt. */
				if (v[k] < 0)
					snprintf(m3, sizeof m3, "over %s",
					    cli_money(c, -v[k], m1, sizeof m1));
				else
					cli_money(c, v[k], m3, sizeof m3);
				printf(" %s", cli_pad(m3, 16, true, m2,
				    sizeof m2));
			}
			printf("  %s\n", p[i].name);
			if (p[i].owed < 0)
				printf("  %-12s owes the window %s\n", "",
				    cli_money(c, -p[i].owed, m1, sizeof m1));
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

/*
 * The period of a statement: --from and --to, either one alone for both
 * ends, else the default date.
 */
static int
cli_producer_period(struct cli *c, struct cmdline_args *a, char from[11],
    char to[11])
{
	const char *f = cmdline_opt(a, "from"), *t = cmdline_opt(a, "to");
	char def[11];
	int rc;

	if ((f != NULL && (rc = cli_date(c, "--from", f)) != POS_OK) ||
	    (t != NULL && (rc = cli_date(c, "--to", t)) != POS_OK))
		return rc;
	if ((f == NULL || t == NULL) && (rc = cli_default_date(c, def)) != POS_OK)
		return rc;
	snprintf(from, 11, "%s", f != NULL ? f : (t != NULL ? t : def));
	snprintf(to, 11, "%s", t != NULL ? t : (f != NULL &&
	    strcmp(f, def) > 0 ? f : def));
	if (strcmp(from, to) > 0)
		return cause_set(&c->cause, POS_INPUT,
		    "--from %s is after --to %s", from, to);
	return POS_OK;
}

/* The product lines of a statement as a JSON array. */
static json_t *
cli_producer_products_json(struct cli *c, const struct report_product *pr,
    size_t np)
{
	int dec = c->cfg.currency.decimals;
	json_t *arr = json_array();

	for (size_t i = 0; i < np; i++) {
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
	return arr;
}

/* A statement as text: the product lines, then the totals. */
static void
cli_producer_text(struct cli *c, const struct report_producer *p,
    const struct report_product *pr, size_t np, const char *from,
    const char *to)
{
	char m[128], q[32], pad[160];

	printf("producer %s  %s  %s .. %s\n", p->code, p->name, from, to);
	for (size_t i = 0; i < np; i++) {
		qty_format(pr[i].qty_sold - pr[i].qty_refunded, q, sizeof q);
		printf("  %-12s %8s  %s  %s\n", pr[i].code, q,
		    cli_pad(cli_money(c, pr[i].sold - pr[i].refunded, m,
		    sizeof m), 16, true, pad, sizeof pad), pr[i].name);
	}
	printf("  sold      %s\n", cli_money(c, p->sold, m, sizeof m));
	printf("  refunded  %s\n", cli_money(c, p->refunded, m, sizeof m));
	printf("  net       %s\n", cli_money(c, p->net, m, sizeof m));
	printf("  paid out  %s\n", cli_money(c, p->paid_out, m, sizeof m));
	if (p->balance < 0)
		printf("  paid beyond net  %s\n", cli_money(c, -p->balance, m,
		    sizeof m));
	else
		printf("  balance   %s\n", cli_money(c, p->balance, m,
		    sizeof m));
	if (p->owed < 0)
		printf("  owes the window %s\n", cli_money(c, -p->owed, m,
		    sizeof m));
	else
		printf("  owed now  %s\n", cli_money(c, p->owed, m, sizeof m));
}

/* What the centre said the producer is owed at all windows, and when. */
struct cli_all_windows {
	bool	 known;
	int64_t	 owed;
	char	*as_of;		/* caller frees */
};

static void
cli_producer_all_windows(struct cli *c, const char *code,
    struct cli_all_windows *out)
{
	memset(out, 0, sizeof *out);
	if (mdata_owed_all(c->st, code, &out->known, &out->owed, &out->as_of,
	    NULL) != POS_OK)
		memset(out, 0, sizeof *out);
}

int
cmd_report_producer(struct cli *c, struct cmdline_args *a)
{
	struct cli_all_windows all;
	struct report_producer *p;
	struct report_product *pr = NULL;
	char from[11], to[11], *cause = NULL, m[128];
	size_t n, np = 0;
	int rc;

	if ((rc = cli_producer_period(c, a, from, to)) != POS_OK)
		return rc;
	if (cmdline_opt(a, "render") != NULL) {
		char *arg = xasprintf("%s %s %s", a->pos[0], from, to);

		rc = cli_slip_render(c, "statement", arg,
		    cmdline_opt(a, "render"));
		free(arg);
		return rc;
	}
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
	cli_producer_all_windows(c, a->pos[0], &all);
	if (c->json) {
		json_t *j = cli_producer_json(c, &p[0]);

		json_object_set_new(j, "owed_all_windows", all.known ?
		    money_json(all.owed, c->cfg.currency.decimals) :
		    json_null());
		json_object_set_new(j, "owed_as_of", cli_jstr(all.as_of));
		json_object_set_new(j, "from", json_string(from));
		json_object_set_new(j, "to", json_string(to));
		json_object_set_new(j, "products",
		    cli_producer_products_json(c, pr, np));
		if (cmdline_flag(a, "print"))
			json_object_set_new(j, "print",
			    cli_statement_print(c, a->pos[0], from, to));
		cli_print_json(j);
	} else {
		cli_producer_text(c, &p[0], pr, np, from, to);
		if (all.known) {
			char when[64];

			store_local_time(&c->cfg, all.as_of,
			    STORE_TIME_DATE_HM, when, sizeof when);
			printf("  owed at all windows %s (as of %s, the last "
			    "sync)\n", cli_money(c, all.owed, m, sizeof m),
			    when);
		}
	}
	free(all.as_of);
	if (!c->json && cmdline_flag(a, "print"))
		json_decref(cli_statement_print(c, a->pos[0], from, to));
	report_products_free(pr, np);
	report_producers_free(p, n);
	return POS_OK;
}
