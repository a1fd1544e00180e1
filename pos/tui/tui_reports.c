/*
 * The reports screen: the last session's X report (Z once closed),
 * opening the day with a float, closing it with the counted cash after a
 * supervisor's PIN (till_day_open, till_day_close), and printing the
 * report shown.
 */
#include <stdio.h>
#include <stdlib.h>

#include "backup.h"
#include "ledger.h"
#include "printq.h"
#include "report.h"
#include "till.h"
#include "tui_int.h"
#include "xalloc.h"

/* The reports screen's state: the day's report shown. */
struct tui_reports {
	bool			 have_rep;
	struct report_day	 rep;
};

static void *
tui_reports_init(struct tui *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct tui_reports));
}

static void
tui_reports_enter(struct tui *t, void *data)
{
	struct tui_reports *rs = data;
	char *cause = NULL;

	tui_day_refresh(t);
	rs->have_rep = false;
	if (t->day[0] == '\0')
		return;
	if (report_session(t->st, t->day, 0, &rs->rep, &cause) != POS_OK)
		tui_cause(t, _("Report"), cause);
	else
		rs->have_rep = true;
}

static void
tui_reports_close(struct tui *t, void *data)
{
	struct tui_reports *rs = data;
	struct ledger_entry e;
	struct tui_edit counted, go;
	char who[TUI_EDIT_MAX], label[600], m1[96], m2[96], m3[96], *cause = NULL;
	int64_t v;

	tui_reports_enter(t, rs);
	if (!rs->have_rep || rs->rep.closed) {
		tui_msg(t, true, "%s", _("No day is open."));
		return;
	}
	tui_edit_clear(&counted);
	if (!tui_ask(t, _("Cash counted in the drawer:"), &counted, false) ||
	    !tui_parse_amount(t, counted.s, &v))
		return;
	tui_edit_clear(&go);
	snprintf(label, sizeof label, _("Close the day? Expected %s, counted "
	    "%s, difference %s."), tui_amount(t,
	    rs->rep.expected_cash, m1, sizeof m1), tui_amount(t, v, m2,
	    sizeof m2), tui_amount(t, v - rs->rep.expected_cash, m3, sizeof m3));
	if (tui_sale_parked(t) > 0)
		snprintf(label, sizeof label, _("%zu parked sales are not in the "
		    "day. Close it? Difference %s."), tui_sale_parked(t),
		    tui_amount(t, v - rs->rep.expected_cash, m3, sizeof m3));
	if (!tui_ask(t, label, &go, false) || !tui_supervisor(t, who,
	    sizeof who))
		return;
	if (till_day_close(t->st, who, v, &e, &cause) != POS_OK) {
		tui_cause(t, _("The day was not closed"), cause);
		return;
	}
	tui_msg(t, false, _("Day %s closed (%s)."), e.business_date, e.receipt);
	/* The close backs the store up; a failed backup never undoes it. */
	if (t->cfg.store.backup_dir != NULL && *t->cfg.store.backup_dir != '\0') {
		struct backup_info b;

		if (backup_make(t->st, NULL, &b, &cause) == POS_OK)
			tui_msg(t, false, _("Day %s closed (%s); backed up to %s."),
			    e.business_date, e.receipt, b.path);
		else {
			tui_msg(t, true, _("Day %s closed (%s), but the backup "
			    "failed: %s"), e.business_date, e.receipt, cause);
			free(cause);
		}
		backup_info_clear(&b);
	}
	ledger_entry_free(&e);
	/* The Z report prints by itself; the close is pushed at once. */
	worker_sync_now(t->worker);
	tui_reports_enter(t, rs);
}

void
tui_reports_close_now(struct tui *t)
{
	tui_go(t, TUI_REPORTS);
	tui_reports_close(t, t->data[TUI_REPORTS]);
}

bool
tui_reports_open_day(struct tui *t)
{
	struct ledger_entry e;
	struct tui_edit fl;
	char *cause = NULL;
	int64_t v;

	tui_day_refresh(t);
	if (t->day_open) {
		tui_msg(t, true, _("Day %s is open already."), t->day);
		return false;
	}
	tui_edit_clear(&fl);
	if (!tui_ask(t, _("Open the day with a float of:"), &fl, false) ||
	    !tui_parse_amount(t, fl.s, &v))
		return false;
	if (till_day_open(t->st, t->user, v, &e, &cause) != POS_OK) {
		tui_cause(t, _("The day was not opened"), cause);
		return false;
	}
	tui_msg(t, false, _("Day %s open (%s)."), e.business_date, e.receipt);
	ledger_entry_free(&e);
	tui_day_refresh(t);
	return true;
}

static void
tui_reports_open(struct tui *t, void *data)
{
	if (tui_reports_open_day(t))
		tui_reports_enter(t, data);
}

/* Queue the X (or Z) report shown; the worker prints it. */
static void
tui_reports_print(struct tui *t, void *data)
{
	struct tui_reports *rs = data;
	char arg[32], *cause = NULL;

	tui_reports_enter(t, rs);
	if (!rs->have_rep)
		return;
	snprintf(arg, sizeof arg, "%s#%lld", rs->rep.date,
	    (long long)rs->rep.session);
	if (printq_enqueue(t->st, rs->rep.closed ? "report_z" : "report_x", 0,
	    arg, NULL, &cause) != POS_OK)
		tui_cause(t, _("Not printed"), cause);
	else {
		worker_kick(t->worker);
		tui_msg(t, false, "%s", _("Report sent to the printer."));
	}
}

static void
tui_reports_back(struct tui *t, void *data)
{
	(void)data;
	tui_go(t, TUI_SALE);
}

static void
tui_reports_row(struct tui *t, int y, int x, int w, const char *label,
    int64_t v, bool money, int attr)
{
	char m[96];

	tui_put(t, y, x, w - 16, label, attr, TUI_LEFT);
	if (money)
		tui_amount(t, v, m, sizeof m);
	else
		tui_count(t, (size_t)v, m, sizeof m);
	tui_put(t, y, x + w - 16, 16, m, attr, TUI_RIGHT);
}

static void
tui_reports_draw(struct tui *t, void *data)
{
	struct tui_reports *rs = data;
	const struct report_day *r = &rs->rep;
	int top = tui_content_top(), w = (COLS - 4) / 2, x2 = w + 3, y;
	char which[32];

	if (!rs->have_rep) {
		tui_put(t, top + 1, 1, COLS - 2, _("No day has been opened yet: "
		    "F6 opens one."), A_BOLD, TUI_LEFT);
		return;
	}
	/* A session is its date and number: "2026-03-01 #2". */
	snprintf(which, sizeof which, "%s #%lld", r->date,
	    (long long)r->session);
	tui_putf(t, top, 1, COLS - 2, tui_attr(t, TUI_A_HEAD) | A_BOLD,
	    TUI_LEFT, r->closed ? _("Z report %s (closed)") :
	    _("X report %s (open)"), which);
	y = top + 2;
	tui_reports_row(t, y++, 1, w, _("Sales"), r->sales_count, false, 0);
	tui_reports_row(t, y++, 1, w, _("Gross"), r->gross, true, 0);
	tui_reports_row(t, y++, 1, w, _("Discounts"), r->discounts, true, 0);
	tui_reports_row(t, y++, 1, w, _("Refunds (count)"), r->refunds_count,
	    false, 0);
	tui_reports_row(t, y++, 1, w, _("Refunds"), r->refunds, true, 0);
	tui_reports_row(t, y++, 1, w, _("Voids (count)"), r->voids, false, 0);
	tui_reports_row(t, y++, 1, w, _("Voided"), r->voids_total, true, 0);
	tui_reports_row(t, y++, 1, w, _("Net"), r->net, true, A_BOLD);
	y = top + 2;
	tui_reports_row(t, y++, x2, w, _("Cash"), r->by_method[REPORT_CASH],
	    true, 0);
	tui_reports_row(t, y++, x2, w, _("Card"), r->by_method[REPORT_CARD],
	    true, 0);
	tui_reports_row(t, y++, x2, w, _("Other"), r->by_method[REPORT_OTHER],
	    true, 0);
	tui_reports_row(t, y++, x2, w, _("Float"), r->float_amount, true, 0);
	tui_reports_row(t, y++, x2, w, _("Payouts"), r->payouts, true, 0);
	tui_reports_row(t, y++, x2, w, _("Cash in"), r->cash_in, true, 0);
	tui_reports_row(t, y++, x2, w, _("Cash out"), r->cash_out, true, 0);
	tui_reports_row(t, y++, x2, w, _("Expected cash"), r->expected_cash,
	    true, A_BOLD);
	if (r->counted) {
		tui_reports_row(t, y++, x2, w, _("Counted cash"), r->counted_cash,
		    true, 0);
		tui_reports_row(t, y++, x2, w, _("Difference"), r->difference,
		    true, A_BOLD);
	}
	tui_putf(t, top + 12, 1, COLS - 2, tui_attr(t, TUI_A_DIM), TUI_LEFT,
	    "%s %s (%s)", _("Currency:"), t->cfg.currency.code,
	    t->cfg.currency.symbol);
}

static const struct tui_key tui_reports_keys[] = {
	{ KEY_F(2), 'R', 0, N_("refresh"), tui_reports_enter },
	{ KEY_F(5), 'Z', 0, N_("close day"), tui_reports_close },
	{ KEY_F(6), 'A', 0, N_("open day"), tui_reports_open },
	{ KEY_F(3), 'B', 0, N_("print"), tui_reports_print },
	{ 0, 0, 27, N_("back"), tui_reports_back },
};

const struct tui_screen tui_reports_screen = {
	.title = N_("Reports"),
	.keys = tui_reports_keys,
	.nkeys = sizeof tui_reports_keys / sizeof tui_reports_keys[0],
	.global = true,
	.init = tui_reports_init,
	.done = free,
	.enter = tui_reports_enter,
	.draw = tui_reports_draw,
};
