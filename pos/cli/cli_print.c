/*
 * Receipts and the print queue: reprint, render, `pos print-queue`.
 */
#include "cli_int.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cause.h"
#include "cmdline.h"
#include "journal.h"
#include "printq.h"
#include "store.h"
#include "xalloc.h"

int
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

int
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

/* What CUPS last said of a job, for people: " [CUPS job 13 completed
 * (job-completed-successfully) "msg" at T]", or "" if nothing yet. */
static char *
cli_print_word(const struct printq_job *j)
{
	if (j->cups_state == NULL)
		return xstrdup("");
	return xasprintf("  [CUPS job %lld %s%s%s%s%s%s%s at %s]",
	    (long long)j->cups_job, j->cups_state,
	    j->cups_reasons != NULL ? " (" : "",
	    j->cups_reasons != NULL ? j->cups_reasons : "",
	    j->cups_reasons != NULL ? ")" : "",
	    j->cups_message != NULL ? " \"" : "",
	    j->cups_message != NULL ? j->cups_message : "",
	    j->cups_message != NULL ? "\"" : "",
	    j->cups_seen != NULL ? j->cups_seen : "?");
}

static json_t *
cli_print_queue_json(const struct printq_job *jobs, size_t n)
{
	json_t *j = json_object(), *arr = json_array();

	for (size_t i = 0; i < n; i++) {
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
		json_object_set_new(o, "cups_uuid", cli_jstr(jobs[i].cups_uuid));
		json_object_set_new(o, "cups_state",
		    cli_jstr(jobs[i].cups_state));
		json_object_set_new(o, "cups_reasons",
		    cli_jstr(jobs[i].cups_reasons));
		json_object_set_new(o, "cups_message",
		    cli_jstr(jobs[i].cups_message));
		json_object_set_new(o, "cups_seen", cli_jstr(jobs[i].cups_seen));
		json_array_append_new(arr, o);
	}
	json_object_set_new(j, "jobs", arr);
	return j;
}

int
cmd_print_queue(struct cli *c, struct cmdline_args *a)
{
	struct printq_job *jobs;
	char *cause = NULL, *word;
	size_t n, i;
	int rc;

	if ((rc = printq_run(c->st, cmdline_flag(a, "retry"), &cause)) != POS_OK ||
	    (rc = printq_list(c->st, cmdline_flag(a, "all"), &jobs, &n, &cause)) !=
	    POS_OK)
		return cli_done(c, rc, cause);
	if (c->json)
		cli_print_json(cli_print_queue_json(jobs, n));
	else if (n == 0)
		printf("nothing waiting to print\n");
	else
		for (i = 0; i < n; i++) {
			word = cli_print_word(&jobs[i]);
			printf("%6lld  %-8s %-9s %-16s tries %lld  %s%s%s%s\n",
			    (long long)jobs[i].id, jobs[i].state, jobs[i].what,
			    jobs[i].receipt != NULL ? jobs[i].receipt : "-",
			    (long long)jobs[i].attempts,
			    jobs[i].dest != NULL ? jobs[i].dest : "",
			    jobs[i].last_error != NULL ? "  " : "",
			    jobs[i].last_error != NULL ? jobs[i].last_error : "",
			    word);
			free(word);
		}
	printq_jobs_free(jobs, n);
	return POS_OK;
}
