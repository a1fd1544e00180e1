/*
 * The producers screen: the producers, filtered as one types; the
 * highlighted one's figures for the day and for a period; a payout
 * (till_payout, after a supervisor's PIN) and the period's statement,
 * queued for the printer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "ledger.h"
#include "mdata.h"
#include "money.h"
#include "printq.h"
#include "report.h"
#include "searchtext.h"
#include "text.h"
#include "till.h"
#include "tui_int.h"
#include "xalloc.h"

/* The producers screen's state: the list, its filter and one's figures. */
struct tui_producers {
	struct tui_edit		 pfind;
	struct producer		*producers;	/* owned */
	char		       **pnorm;		/* search form of code + name */
	size_t			 nproducers;
	size_t			*pmatch, npmatch, psel;
	char			 from[11], to[11];
	char			 fig_code[LEDGER_MAX_CODE + 1];
	bool			 have_figures;
	struct report_producer	 fig_day, fig_period;
	struct report_product	*products;	/* the period's, owned */
	size_t			 nproducts;
	bool			 pulled;	/* master data ever pulled */
	bool			 have_all;	/* owed at all windows known */
	int64_t			 owed_all;
	char			*all_as_of;	/* UTC, owned */
	int64_t			 stmt_job;	/* a statement queued, until it is out */
	char			 stmt_name[TUI_EDIT_MAX];
};

static bool
tui_valid_date(const char *s)
{
	struct tm tm;
	char back[11];
	const char *end;

	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%d", &tm);
	return end != NULL && *end == '\0' && strftime(back, sizeof back,
	    "%Y-%m-%d", &tm) == 10 && strcmp(back, s) == 0;
}

/* The day the figures are for: the open or last day, else today. */
static void
tui_report_date(struct tui *t, char date[11])
{
	char utc[21], *cause = NULL;

	if (t->day[0] != '\0') {
		memcpy(date, t->day, 11);
		return;
	}
	if (store_now(&t->cfg, utc, date, &cause) != POS_OK) {
		free(cause);
		date[0] = '\0';
	}
}

static void
tui_producers_unload(struct tui_producers *ps)
{
	for (size_t i = 0; i < ps->nproducers; i++)
		free(ps->pnorm[i]);
	free(ps->pnorm);
	catalog_producers_free(ps->producers, ps->nproducers);
	free(ps->pmatch);
	ps->pnorm = NULL;
	ps->producers = NULL;
	ps->pmatch = NULL;
	ps->nproducers = ps->npmatch = 0;
}

static void *
tui_producers_init(struct tui *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct tui_producers));
}

static void
tui_producers_products_free(struct tui_producers *ps)
{
	report_products_free(ps->products, ps->nproducts);
	ps->products = NULL;
	ps->nproducts = 0;
}

static void
tui_producers_done(void *data)
{
	struct tui_producers *ps = data;

	free(ps->all_as_of);
	tui_producers_products_free(data);
	tui_producers_unload(data);
	free(data);
}

static void
tui_producers_filter(struct tui_producers *ps)
{
	char *want = searchtext_normalize(ps->pfind.s);

	ps->npmatch = 0;
	for (size_t i = 0; i < ps->nproducers; i++)
		if (want == NULL || *want == '\0' || (ps->pnorm[i] != NULL &&
		    strstr(ps->pnorm[i], want) != NULL))
			ps->pmatch[ps->npmatch++] = i;
	free(want);
	if (ps->psel >= ps->npmatch)
		ps->psel = ps->npmatch > 0 ? ps->npmatch - 1 : 0;
}

/* One producer's figures over [from, to] into *out (numbers only). */
static bool
tui_producer_figures(struct tui *t, const char *code, const char *from,
    const char *to, struct report_producer *out)
{
	struct report_producer *p;
	char *cause = NULL;
	size_t n;

	if (report_producers(t->st, from, to, code, &p, &n, &cause) != POS_OK) {
		tui_cause(t, _("Producer figures"), cause);
		return false;
	}
	memset(out, 0, sizeof *out);
	if (n > 0) {
		*out = p[0];
		out->code = out->name = NULL;
	}
	report_producers_free(p, n);
	return true;
}

static const struct producer *
tui_producers_current(const struct tui_producers *ps)
{
	return ps->npmatch > 0 ? &ps->producers[ps->pmatch[ps->psel]] : NULL;
}

static void
tui_producers_refresh(struct tui *t, struct tui_producers *ps, bool force)
{
	const struct producer *p = tui_producers_current(ps);
	char day[11], *cause = NULL;

	if (p == NULL) {
		ps->have_figures = false;
		return;
	}
	if (!force && ps->have_figures && strcmp(ps->fig_code, p->code) == 0)
		return;
	tui_report_date(t, day);
	snprintf(ps->fig_code, sizeof ps->fig_code, "%s", p->code);
	ps->have_figures = tui_producer_figures(t, p->code, day, day,
	    &ps->fig_day) && tui_producer_figures(t, p->code, ps->from, ps->to,
	    &ps->fig_period);
	free(ps->all_as_of);
	if (mdata_owed_all(t->st, p->code, &ps->have_all, &ps->owed_all,
	    &ps->all_as_of, &cause) != POS_OK) {
		tui_cause(t, _("Owed at all windows"), cause);
		cause = NULL;
		ps->have_all = false;
	}
	tui_producers_products_free(ps);
	if (ps->have_figures && report_producer_products(t->st, p->code,
	    ps->from, ps->to, &ps->products, &ps->nproducts, &cause) != POS_OK)
		tui_cause(t, _("Products sold"), cause);
}

static void
tui_producers_enter(struct tui *t, void *data)
{
	struct tui_producers *ps = data;
	char *cause = NULL, *both, day[11];

	tui_producers_unload(ps);
	tui_edit_clear(&ps->pfind);
	ps->psel = 0;
	ps->have_figures = false;
	tui_day_refresh(t);
	ps->pulled = tui_master_pulled(t);
	if (catalog_producer_list(t->st, &ps->producers, &ps->nproducers,
	    &cause) != POS_OK) {
		tui_cause(t, _("Producers"), cause);
		ps->producers = NULL;
		ps->nproducers = 0;
	}
	ps->pnorm = xcalloc(ps->nproducers, sizeof *ps->pnorm);
	ps->pmatch = xcalloc(ps->nproducers, sizeof *ps->pmatch);
	for (size_t i = 0; i < ps->nproducers; i++) {
		both = xasprintf("%s %s", ps->producers[i].code,
		    ps->producers[i].name);
		ps->pnorm[i] = searchtext_normalize(both);
		free(both);
	}
	tui_report_date(t, day);
	if (ps->from[0] == '\0' && day[0] != '\0') {
		snprintf(ps->from, sizeof ps->from, "%.8s01", day);
		snprintf(ps->to, sizeof ps->to, "%s", day);
	}
	tui_producers_filter(ps);
	tui_producers_refresh(t, ps, true);
}

static void
tui_producers_period(struct tui *t, void *data)
{
	struct tui_producers *ps = data;
	struct tui_edit from, to;

	tui_edit_set(&from, ps->from);
	tui_edit_set(&to, ps->to);
	if (!tui_ask(t, _("Period from (YYYY-MM-DD):"), &from, false) ||
	    !tui_ask(t, _("Period to (YYYY-MM-DD):"), &to, false))
		return;
	if (!tui_valid_date(from.s) || !tui_valid_date(to.s) ||
	    strcmp(from.s, to.s) > 0) {
		tui_msg(t, true, _("A period is two dates YYYY-MM-DD, the first "
		    "not after the second."));
		return;
	}
	snprintf(ps->from, sizeof ps->from, "%.10s", from.s);
	snprintf(ps->to, sizeof ps->to, "%.10s", to.s);
	tui_producers_refresh(t, ps, true);
}

/*
 * Whether v may be paid to p now: at most what they are owed and what the
 * drawer should hold (till_payout checks the same again in its
 * transaction). Said with the name and the amounts as shown.
 */
static bool
tui_producers_can_pay(struct tui *t, const struct producer *p, int64_t v,
    int64_t owed)
{
	struct report_day r;
	char m1[96], m2[96], *cause = NULL;

	if (v <= 0) {
		tui_msg(t, true, "%s", _("A payout must be more than 0."));
		return false;
	}
	if (v > owed) {
		tui_msg(t, true, _("Cannot pay %s %s: they are owed %s."),
		    p->name, tui_money(t, v, m1, sizeof m1), tui_money(t, owed,
		    m2, sizeof m2));
		return false;
	}
	/* The drawer is the open session's. */
	if (!t->day_open || report_session(t->st, t->day, 0, &r, &cause) !=
	    POS_OK) {
		free(cause);
		tui_msg(t, true, "%s", _("No day is open: nothing can be paid "
		    "out."));
		return false;
	}
	if (v > r.expected_cash) {
		tui_msg(t, true, _("Cannot pay %s out: the drawer should hold "
		    "only %s."), tui_money(t, v, m1, sizeof m1), tui_money(t,
		    r.expected_cash, m2, sizeof m2));
		return false;
	}
	return true;
}

/* A payout: the amount (what is owed, to start with), checked, then the PIN. */
static void
tui_producers_payout(struct tui *t, void *data)
{
	struct tui_producers *ps = data;
	const struct producer *p = tui_producers_current(ps);
	struct ledger_entry e;
	struct tui_edit amount;
	char who[TUI_EDIT_MAX], label[600], m[128], *cause = NULL;
	int64_t v, owed;

	if (p == NULL) {
		tui_msg(t, true, "%s", _("Pick a producer first."));
		return;
	}
	tui_day_refresh(t);
	if (report_owed(t->st, p->code, &owed, &cause) != POS_OK) {
		tui_cause(t, _("Not paid"), cause);
		return;
	}
	if (owed < 0) {
		tui_msg(t, true, _("%s owes the window %s."), p->name,
		    tui_money(t, -owed, m, sizeof m));
		return;
	}
	if (owed == 0) {
		tui_msg(t, true, _("%s is owed nothing."), p->name);
		return;
	}
	tui_edit_set(&amount, tui_amount(t, owed, m, sizeof m));
	snprintf(label, sizeof label, _("Pay %s (owed %s):"), p->name, m);
	if (!tui_ask(t, label, &amount, false) ||
	    !tui_parse_amount(t, amount.s, &v) ||
	    !tui_producers_can_pay(t, p, v, owed) ||
	    !tui_supervisor(t, who, sizeof who))
		return;
	if (till_payout(t->st, p->code, who, v, &e, &cause) != POS_OK) {
		tui_cause(t, _("Not paid"), cause);
		return;
	}
	tui_msg(t, false, _("Paid %s to %s (%s)."), tui_money(t, v, m, sizeof m),
	    p->name, e.receipt);
	ledger_entry_free(&e);
	worker_kick(t->worker);
	tui_producers_refresh(t, ps, true);
}

/* Queue the producer's statement for the period; the worker prints it. */
static void
tui_producers_print(struct tui *t, void *data)
{
	struct tui_producers *ps = data;
	const struct producer *p = tui_producers_current(ps);
	char *arg, *cause = NULL;

	if (p == NULL) {
		tui_msg(t, true, "%s", _("Pick a producer first."));
		return;
	}
	arg = xasprintf("%s %s %s", p->code, ps->from, ps->to);
	if (printq_enqueue(t->st, "statement", 0, arg, &ps->stmt_job,
	    &cause) != POS_OK)
		tui_cause(t, _("Not printed"), cause);
	else {
		worker_kick(t->worker);
		snprintf(ps->stmt_name, sizeof ps->stmt_name, "%s", p->name);
		tui_msg(t, false, _("Statement for %s queued."), p->name);
	}
	free(arg);
}

/*
 * Once the worker has taken the statement, say where it went: a printer,
 * a text file, or why it waits. Read on each draw until then.
 */
static void
tui_producers_stmt_where(struct tui *t, struct tui_producers *ps)
{
	struct printq_job j;
	char *cause = NULL;

	if (ps->stmt_job == 0)
		return;
	if (printq_get(t->st, ps->stmt_job, &j, &cause) != POS_OK) {
		free(cause);
		ps->stmt_job = 0;
		return;
	}
	if (strcmp(j.state, "sent") == 0 && j.cups_job == 0) {
		/* Claimed, still on its way: say nothing yet. */
		printq_job_clear(&j);
		return;
	}
	if (strcmp(j.state, "done") == 0 && j.dest != NULL &&
	    j.dest[0] == '/')
		tui_msg(t, false, _("Statement for %s written to the file %s "
		    "(no printer)."), ps->stmt_name, j.dest);
	else if (strcmp(j.state, "sent") == 0 || strcmp(j.state, "done") == 0)
		tui_msg(t, false, _("Statement for %s sent to the printer %s."),
		    ps->stmt_name, j.dest != NULL ? j.dest : "");
	else if (j.last_error != NULL)
		tui_msg(t, true, _("Statement for %s not printed yet: %s"),
		    ps->stmt_name, j.last_error);
	else {
		printq_job_clear(&j);
		return;
	}
	ps->stmt_job = 0;
	printq_job_clear(&j);
}

static void
tui_producers_back(struct tui *t, void *data)
{
	(void)data;
	tui_go(t, TUI_SALE);
}

static void
tui_producers_input(struct tui *t, void *data, bool fkey, wint_t ch)
{
	struct tui_producers *ps = data;

	if (tui_key_is(ch, fkey, KEY_UP) && ps->psel > 0)
		ps->psel--;
	else if (tui_key_is(ch, fkey, KEY_DOWN) && ps->psel + 1 < ps->npmatch)
		ps->psel++;
	else if (tui_edit_type(t, &ps->pfind, fkey, ch))
		tui_producers_filter(ps);
	tui_producers_refresh(t, ps, false);
}

/* The period's products sold, as on the printed statement. */
static void
tui_producers_draw_products(struct tui *t, const struct tui_producers *ps,
    int y, int x, int w, int rows)
{
	int qw = 8, mw = 12, nw = w - qw - mw - 2, h = tui_attr(t, TUI_A_HEAD);
	char q[64], m[96];

	if (rows < 2)
		return;
	tui_put(t, y, x, nw, _("Product"), h, TUI_LEFT);
	tui_put(t, y, x + nw + 1, qw, _("Qty"), h, TUI_RIGHT);
	tui_put(t, y, x + nw + qw + 2, mw, _("Sold"), h, TUI_RIGHT);
	if (ps->nproducts == 0)
		tui_put(t, y + 1, x, w, _("(nothing sold in the period)"),
		    tui_attr(t, TUI_A_DIM), TUI_LEFT);
	for (size_t i = 0; i < ps->nproducts && (int)i < rows - 1; i++) {
		const struct report_product *r = &ps->products[i];
		int yy = y + 1 + (int)i;

		if ((int)i == rows - 2 && ps->nproducts > i + 1) {
			tui_putf(t, yy, x, w, tui_attr(t, TUI_A_DIM), TUI_LEFT,
			    _("... and %zu more (F3 prints them all)"),
			    ps->nproducts - i);
			break;
		}
		tui_qty(t, r->qty_sold - r->qty_refunded, q, sizeof q);
		tui_put(t, yy, x, nw, r->name, A_NORMAL, TUI_LEFT);
		tui_put(t, yy, x + nw + 1, qw, q, A_NORMAL, TUI_RIGHT);
		tui_put(t, yy, x + nw + qw + 2, mw, tui_amount(t, r->sold -
		    r->refunded, m, sizeof m), A_NORMAL, TUI_RIGHT);
	}
}

/* Whether the highlighted producer is the centre's or this window's own. */
static void
tui_producers_draw_origin(struct tui *t, const struct tui_producers *ps,
    const struct producer *p, int y, int x, int w)
{
	if (p->conflict != NULL)
		tui_put(t, y, x, w, _("Conflict with the centre's register"),
		    tui_attr(t, TUI_A_ERROR), TUI_LEFT);
	else if (p->central)
		tui_put(t, y, x, w, _("Central (the centre's register)"),
		    tui_attr(t, TUI_A_DIM), TUI_LEFT);
	else if (ps->pulled)
		tui_put(t, y, x, w, _("Local to this window"),
		    tui_attr(t, TUI_A_DIM), TUI_LEFT);
}

/*
 * What the centre said is owed at all windows, and as of when (the last
 * sync that brought it, in local time), on two lines.
 */
static void
tui_producers_draw_all(struct tui *t, const struct tui_producers *ps, int y,
    int x, int w)
{
	char m[96], when[64];

	tui_putf(t, y, x, w, A_BOLD, TUI_LEFT, "%s %s",
	    _("At all windows:"), tui_money(t, ps->owed_all, m, sizeof m));
	store_local_time(&t->cfg, ps->all_as_of, STORE_TIME_DATE_HM, when,
	    sizeof when);
	tui_putf(t, y + 1, x, w, tui_attr(t, TUI_A_DIM), TUI_LEFT,
	    _("as of the last sync, %s"), tui_digits(t, when, m, sizeof m));
}

static void
tui_producers_draw(struct tui *t, void *data)
{
	struct tui_producers *ps = data;
	int top = tui_content_top(), bottom = tui_content_bottom();
	int lw = 38, rows = bottom - top, x = lw + 2, w = COLS - x - 1;
	int cw = (w - 14) / 2;
	const struct producer *cur = tui_producers_current(ps);
	size_t first = 0;
	char day[11], m[96], head[64];

	tui_producers_stmt_where(t, ps);
	if (ps->psel >= (size_t)rows)
		first = ps->psel - (size_t)rows + 1;
	for (int r = 0; r < rows && first + (size_t)r < ps->npmatch; r++) {
		const struct producer *p = &ps->producers[ps->pmatch[first +
		    (size_t)r]];
		int a = first + (size_t)r == ps->psel ? tui_attr(t, TUI_A_SELECT) :
		    (int)A_NORMAL;

		tui_put(t, top + 1 + r, 0, lw, "", a, TUI_LEFT);
		tui_put(t, top + 1 + r, 0, 12, p->code, a, TUI_LEFT);
		tui_put(t, top + 1 + r, 13, lw - 15, p->name, a, TUI_LEFT);
		tui_put(t, top + 1 + r, lw - 1, 1, tui_origin_mark(ps->pulled,
		    p->central, p->conflict), a, TUI_LEFT);
	}
	if (ps->npmatch == 0)
		tui_put(t, top + 1, 0, lw, _("(no producer matches)"),
		    tui_attr(t, TUI_A_DIM), TUI_LEFT);
	if (cur != NULL && ps->have_figures) {
		static const char *const labels[] = {
			N_("Sold"), N_("Refunded"), N_("Net"), N_("Paid out"),
			N_("Balance")
		};
		const struct report_producer *f[2] = { &ps->fig_day,
		    &ps->fig_period };
		int y = top;

		tui_report_date(t, day);
		tui_putf(t, y, x, w, tui_attr(t, TUI_A_HEAD) | A_BOLD, TUI_LEFT,
		    "%s  %s", cur->code, cur->name);
		if (cur->phone != NULL)
			tui_put(t, y + 1, x, w, cur->phone, A_NORMAL, TUI_LEFT);
		tui_producers_draw_origin(t, ps, cur, y + 2, x, w);
		y += 3;
		tui_put(t, y, x + 14, cw, day, tui_attr(t, TUI_A_HEAD), TUI_RIGHT);
		/* "02-01..03-01" in one year: the column is 12 wide at 80. */
		if (strncmp(ps->from, ps->to, 5) == 0)
			snprintf(head, sizeof head, "%s..%s", ps->from + 5,
			    ps->to + 5);
		else
			snprintf(head, sizeof head, "%s..%s", ps->from, ps->to);
		tui_put(t, y, x + 14 + cw, cw, strcmp(ps->from, ps->to) == 0 ?
		    ps->from : head, tui_attr(t, TUI_A_HEAD), TUI_RIGHT);
		for (int i = 0; i < 5; i++) {
			tui_put(t, y + 1 + i, x, 14, _(labels[i]), A_NORMAL,
			    TUI_LEFT);
			for (int k = 0; k < 2; k++) {
				int64_t v[5] = { f[k]->sold, f[k]->refunded,
				    f[k]->net, f[k]->paid_out, f[k]->balance };

				char over[160];

				/* Paid beyond the period's net: not a debt. */
				if (v[i] < 0)
					snprintf(over, sizeof over, _("over %s"),
					    tui_amount(t, -v[i], m, sizeof m));
				else
					tui_amount(t, v[i], over, sizeof over);
				tui_put(t, y + 1 + i, x + 14 + k * cw, cw, over,
				    i == 4 ? A_BOLD : A_NORMAL, TUI_RIGHT);
			}
		}
		if (ps->fig_day.owed < 0)
			tui_putf(t, y + 7, x, w, A_BOLD, TUI_LEFT, "%s %s",
			    _("Owes the window:"), tui_money(t,
			    -ps->fig_day.owed, m, sizeof m));
		else
			tui_putf(t, y + 7, x, w, A_BOLD, TUI_LEFT, "%s %s",
			    ps->have_all ? _("Owed at this window:") :
			    _("Owed now:"), tui_money(t, ps->fig_day.owed, m,
			    sizeof m));
		if (ps->have_all) {
			tui_producers_draw_all(t, ps, y + 8, x, w);
			y++;
		}
		tui_producers_draw_products(t, ps, y + 9, x, w, bottom - y - 8);
	}
	tui_field(t, top, 0, lw, _("Find:"), &ps->pfind, false, true);
}

static const struct tui_key tui_producers_keys[] = {
	{ KEY_F(2), 'T', 0, N_("period"), tui_producers_period },
	{ KEY_F(5), 'U', 0, N_("pay out"), tui_producers_payout },
	{ KEY_F(3), 'B', 0, N_("print statement"), tui_producers_print },
	{ 0, 0, 27, N_("back"), tui_producers_back },
};

const struct tui_screen tui_producers_screen = {
	.title = N_("Producers"),
	.keys = tui_producers_keys,
	.nkeys = sizeof tui_producers_keys / sizeof tui_producers_keys[0],
	.global = true,
	.init = tui_producers_init,
	.done = tui_producers_done,
	.enter = tui_producers_enter,
	.draw = tui_producers_draw,
	.input = tui_producers_input,
};
