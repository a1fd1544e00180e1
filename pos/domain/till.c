/*
 * The till. Day state comes from the journal (pos/store/journal.c). A
 * business date holds sessions (shifts): `day open` after a close on the
 * same date starts the next session with its own float. A closed session
 * is never opened again, so its Z report never changes. The drawer is the
 * open session's: each close counts it, and the next session starts from
 * its float.
 */
#include "till.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "journal.h"
#include "money.h"
#include "report.h"
#include "text.h"
#include "user.h"
#include "xalloc.h"

/* Fill the fields every entry has and append it; commit on success. */
static int
till_append(struct store *st, struct ledger_entry *e, const char *kind,
    const char *user, const char *date, char **cause)
{
	int rc;

	if ((rc = journal_stamp(st, e, kind, user, date, cause)) != POS_OK ||
	    (rc = journal_append(st, e, 0, cause)) != POS_OK)
		return rc;
	return sqldb_commit(st->db, cause);
}

static int
till_check_amount(const char *what, int64_t amount, bool zero_ok,
    char **cause)
{
	if (amount < 0 || (!zero_ok && amount == 0) || amount > MONEY_LIMIT)
		return cause_set(cause, POS_INPUT, "%s must be %s", what,
		    zero_ok ? "zero or more" : "positive");
	return POS_OK;
}

/* The cash the drawer should hold now: the open session's. */
static int
till_drawer(struct store *st, const char *date, int64_t *cash, char **cause)
{
	struct report_day r;
	int rc;

	if ((rc = report_session(st, date, 0, &r, cause)) != POS_OK)
		return rc;
	*cash = r.expected_cash;
	return POS_OK;
}

static int
till_finish(struct store *st, int rc, struct ledger_entry *e,
    struct ledger_entry *out)
{
	if (rc == POS_OK) {
		*out = *e;
		return POS_OK;
	}
	sqldb_rollback(st->db);
	ledger_entry_free(e);
	return rc;
}

int
till_day_open(struct store *st, const char *user, int64_t float_amount,
    struct ledger_entry *out, char **cause)
{
	struct ledger_entry e;
	struct journal_session last;
	enum user_role role;
	char utc[21], today[11];
	int rc;

	memset(&e, 0, sizeof e);
	memset(out, 0, sizeof *out);
	if ((rc = till_check_amount("the float", float_amount, true, cause)) !=
	    POS_OK)
		return rc;
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((rc = store_need_identity(st, cause)) != POS_OK ||
	    (rc = user_get(st, user, &role, cause)) != POS_OK ||
	    (rc = store_now(st->cfg, utc, today, cause)) != POS_OK ||
	    (rc = journal_session(st, &last, cause)) != POS_OK)
		goto out;
	/*
	 * One session open at a time; a date closed earlier today opens its
	 * next session (the day_sessions view numbers it); the clock may not
	 * go back before the last date.
	 */
	if (last.open)
		rc = cause_set(cause, POS_DENIED, "day %s is already open: "
		    "close it first", last.date);
	else if (last.date[0] != '\0' && strcmp(today, last.date) < 0)
		rc = cause_set(cause, POS_DENIED, "today (%s) is before the "
		    "last closed day (%s): check the clock", today, last.date);
	if (rc != POS_OK)
		goto out;
	e.amount = float_amount;
	rc = till_append(st, &e, "day_open", user, today, cause);
out:
	return till_finish(st, rc, &e, out);
}

int
till_day_close(struct store *st, const char *user, int64_t counted,
    struct ledger_entry *out, char **cause)
{
	struct ledger_entry e;
	char date[11];
	int rc;

	memset(&e, 0, sizeof e);
	memset(out, 0, sizeof *out);
	if ((rc = till_check_amount("the counted cash", counted, true,
	    cause)) != POS_OK)
		return rc;
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((rc = user_need_supervisor(st, user, cause)) != POS_OK ||
	    (rc = journal_need_open_day(st, date, cause)) != POS_OK ||
	    (rc = till_drawer(st, date, &e.total, cause)) != POS_OK)
		goto out;
	e.amount = counted;
	rc = till_append(st, &e, "day_close", user, date, cause);
out:
	return till_finish(st, rc, &e, out);
}

int
till_cash(struct store *st, const char *kind, const char *user,
    int64_t amount, const char *reason, struct ledger_entry *out,
    char **cause)
{
	struct ledger_entry e;
	enum user_role role;
	char date[11], a[32], b[32];
	int64_t drawer;
	int rc;

	memset(&e, 0, sizeof e);
	memset(out, 0, sizeof *out);
	if (strcmp(kind, "cash_in") != 0 && strcmp(kind, "cash_out") != 0)
		return cause_set(cause, POS_INPUT, "cash in or cash out?");
	if ((rc = till_check_amount("the amount", amount, false, cause)) !=
	    POS_OK)
		return rc;
	if (reason == NULL || !text_valid_name(reason))
		return cause_set(cause, POS_INPUT, "a reason of 1-120 "
		    "characters is needed");
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((rc = user_get(st, user, &role, cause)) != POS_OK ||
	    (rc = journal_need_open_day(st, date, cause)) != POS_OK ||
	    (rc = till_drawer(st, date, &drawer, cause)) != POS_OK)
		goto out;
	if (strcmp(kind, "cash_out") == 0 && amount > drawer) {
		money_format(amount, st->cfg->currency.decimals, a, sizeof a);
		money_format(drawer, st->cfg->currency.decimals, b, sizeof b);
		rc = cause_set(cause, POS_INPUT, "cannot take %s out: the "
		    "drawer should hold only %s", a, b);
		goto out;
	}
	e.amount = amount;
	e.reason = xstrdup(reason);
	rc = till_append(st, &e, kind, user, date, cause);
out:
	return till_finish(st, rc, &e, out);
}

int
till_payout(struct store *st, const char *code, const char *user,
    int64_t amount, struct ledger_entry *out, char **cause)
{
	struct ledger_entry e;
	struct producer p;
	char date[11], a[32], b[32];
	int64_t owed, drawer;
	int dec = st->cfg->currency.decimals, rc;

	memset(&e, 0, sizeof e);
	memset(&p, 0, sizeof p);
	memset(out, 0, sizeof *out);
	if ((rc = till_check_amount("the payout", amount, false, cause)) !=
	    POS_OK)
		return rc;
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((rc = user_need_supervisor(st, user, cause)) != POS_OK ||
	    (rc = journal_need_open_day(st, date, cause)) != POS_OK ||
	    (rc = catalog_producer_get(st, code, &p, cause)) != POS_OK ||
	    (rc = report_owed(st, code, &owed, cause)) != POS_OK ||
	    (rc = till_drawer(st, date, &drawer, cause)) != POS_OK)
		goto out;
	money_format(amount, dec, a, sizeof a);
	if (amount > owed && owed < 0) {
		money_format(-owed, dec, b, sizeof b);
		rc = cause_set(cause, POS_INPUT, "cannot pay %s %s: they owe "
		    "the window %s", code, a, b);
		goto out;
	}
	if (amount > owed) {
		money_format(owed, dec, b, sizeof b);
		rc = cause_set(cause, POS_INPUT, "cannot pay %s %s: they are "
		    "owed %s", code, a, b);
		goto out;
	}
	if (amount > drawer) {
		money_format(drawer, dec, b, sizeof b);
		rc = cause_set(cause, POS_INPUT, "cannot pay %s out: the "
		    "drawer should hold only %s", a, b);
		goto out;
	}
	e.producer_code = xstrdup(p.code);
	e.producer_name = xstrdup(p.name);
	e.amount = amount;
	rc = till_append(st, &e, "payout", user, date, cause);
out:
	catalog_producer_clear(&p);
	return till_finish(st, rc, &e, out);
}

int
till_day_late(struct store *st, char date[11], bool *late, char **cause)
{
	struct journal_session s;
	char utc[21], today[11];
	int rc;

	*late = false;
	date[0] = '\0';
	if ((rc = journal_session(st, &s, cause)) != POS_OK ||
	    (rc = store_now(st->cfg, utc, today, cause)) != POS_OK)
		return rc;
	if (s.open && strcmp(s.date, today) < 0) {
		*late = true;
		snprintf(date, 11, "%s", s.date);
	}
	return POS_OK;
}
