/*
 * Sales and their corrections: `pos sell`, `pos void`, `pos refund`.
 */
#include "cli_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "cmdline.h"
#include "ledger.h"
#include "money.h"
#include "sale.h"
#include "store.h"
#include "till.h"
#include "xalloc.h"

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

/*
 * A session left open past its date still takes the sale (a shift that
 * runs past midnight is real), and says so on every one.
 */
static void
cli_late_warning(struct cli *c)
{
	char date[11], *cause = NULL;
	bool late;

	if (till_day_late(c->st, date, &late, &cause) != POS_OK)
		snprintf(c->warning, sizeof c->warning, "%s", cause);
	else if (late)
		snprintf(c->warning, sizeof c->warning, TILL_LATE_FMT, date);
	free(cause);
}

int
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
	cli_late_warning(c);
	rc = cli_entry_out(c, &e);
out:
	free(items);
	free(pays);
	return rc;
}

int
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

int
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
