/*
 * A journal entry as the command line shows it (JSON or text), with its
 * slip's print job; `pos show`.
 */
#include "cli_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cause.h"
#include "cmdline.h"
#include "journal.h"
#include "ledger.h"
#include "money.h"
#include "printq.h"
#include "store.h"

/* Money in the entry's JSON, as the configured currency shows it. */
static json_t *
cli_entry_money(void *arg, int64_t amount)
{
	const struct cli *c = arg;

	return money_json(amount, c->cfg.currency.decimals);
}

/* The entry's JSON: the ledger's field table says the keys and their order. */
static json_t *
cli_entry_json(struct cli *c, const struct ledger_entry *e)
{
	return ledger_show_json(e, cli_entry_money, c);
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
json_t *
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

int
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
	if (c->warning[0] != '\0') {
		fprintf(stderr, "pos: %s\n", c->warning);
		if (j != NULL)
			json_object_set_new(j, "warning",
			    json_string(c->warning));
	}
	if (j != NULL)
		cli_print_json(j);
	ledger_entry_free(e);
	return POS_OK;
}

int
cmd_show(struct cli *c, struct cmdline_args *a)
{
	struct ledger_entry e;
	char *cause = NULL;
	int64_t seq;
	int rc;

	if ((a->npos == 1) == cmdline_flag(a, "last"))
		return cause_set(&c->cause, POS_INPUT, "show: a RECEIPT or "
		    "--last, one of them\nusage: pos show RECEIPT | --last");
	/* The last sale committed: what a crash may have left unconfirmed. */
	if (a->npos == 0) {
		if ((rc = journal_last_sale(c->st, &seq, &cause)) != POS_OK)
			return cli_done(c, rc, cause);
		if (seq == 0)
			return cause_set(&c->cause, POS_INPUT,
			    "nothing has been sold yet");
	} else if ((rc = journal_find(c->st, a->pos[0], &seq, &cause)) !=
	    POS_OK)
		return cli_done(c, rc, cause);
	if ((rc = journal_load(c->st, seq, &e, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	return cli_entry_out(c, &e);
}
