/*
 * The till: opening and closing the day, cash in and out, payouts.
 */
#include "cli_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "cause.h"
#include "cmdline.h"
#include "journal.h"
#include "ledger.h"
#include "store.h"
#include "till.h"

int
cmd_day_open(struct cli *c, struct cmdline_args *a)
{
	struct ledger_entry e;
	struct journal_session s;
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
	if (!c->json && journal_session(c->st, &s, &cause) == POS_OK)
		printf("day %s session %lld open\n", s.date,
		    (long long)s.session);
	free(cause);
	return cli_entry_out(c, &e);
}

int
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

int
cmd_cash_in(struct cli *c, struct cmdline_args *a)
{
	return cli_cash(c, a, "cash_in");
}

int
cmd_cash_out(struct cli *c, struct cmdline_args *a)
{
	return cli_cash(c, a, "cash_out");
}

int
cmd_day_close(struct cli *c, struct cmdline_args *a)
{
	struct ledger_entry e;
	struct journal_session s;
	char *cause = NULL;
	int64_t counted;
	int rc;

	if ((rc = cli_amount(c, "--counted", cmdline_opt(a, "counted"), &counted)) !=
	    POS_OK)
		return rc;
	rc = till_day_close(c->st, cmdline_opt(a, "user"), counted, &e, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	/* The session just closed is the last of its date. */
	if ((rc = journal_session_of(c->st, e.business_date, 0, &s,
	    &cause)) != POS_OK) {
		ledger_entry_free(&e);
		return cli_done(c, rc, cause);
	}
	if (!c->json)
		printf("day %s session %lld closed (%s)\n", e.business_date,
		    (long long)s.session, e.receipt);
	cli_backup_after_close(c);
	rc = cli_day_out(c, e.business_date, s.session, c->st->autoprint ?
	    e.seq : 0, 0);
	ledger_entry_free(&e);
	cli_sync_after_close(c);
	return rc;
}
