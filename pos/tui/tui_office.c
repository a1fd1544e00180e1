/*
 * The screens away from the till: void and refund of an earlier receipt,
 * the producers (their figures and payouts), and the day's reports with
 * opening and closing the day. Each action asks for what it needs, then a
 * supervisor's PIN where the CLI asks for one, then calls the domain
 * function (sale_void, sale_refund, till_payout, till_day_close,
 * till_day_open) and shows its answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal.h"
#include "money.h"
#include "printq.h"
#include "text.h"
#include "till.h"
#include "tui_int.h"
#include "tui_text.h"
#include "xalloc.h"

#define TUI_SALES_MAX	500

/* The void/refund screen's state: the day's sales and the receipt opened. */
struct tui_void {
	struct tui_edit		 rcpt;
	struct sale_summary	*sales;		/* owned */
	size_t			 nsales, sales_sel;
	bool			 have_detail, detail_focus;
	struct ledger_entry	 detail;	/* owned while have_detail */
	size_t			 detail_sel;
};

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
};

/* The reports screen's state: the day's report shown. */
struct tui_reports {
	bool			 have_rep;
	struct report_day	 rep;
};

/* "2026-03-01T09:15:02Z" as the window's local "HH:MM". */
static void
tui_local_time(const char *utc, char *buf, size_t len)
{
	struct tm tm;
	time_t when;

	memset(&tm, 0, sizeof tm);
	if (strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL) {
		snprintf(buf, len, "?");
		return;
	}
	when = timegm(&tm);
	localtime_r(&when, &tm);
	strftime(buf, len, "%H:%M", &tm);
}

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

/* The day the screens report on: the open or last day, else today. */
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

/* ---- void / refund ---- */

static void
tui_void_close_detail(struct tui_void *v)
{
	if (v->have_detail)
		ledger_entry_free(&v->detail);
	v->have_detail = false;
	v->detail_focus = false;
	v->detail_sel = 0;
}

static void *
tui_void_init(struct tui *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct tui_void));
}

static void
tui_void_done(void *data)
{
	struct tui_void *v = data;

	free(v->sales);
	tui_void_close_detail(v);
	free(v);
}

static void
tui_void_load(struct tui *t, struct tui_void *v)
{
	char *cause = NULL;

	free(v->sales);
	v->sales = NULL;
	v->nsales = 0;
	tui_day_refresh(t);
	if (t->day[0] != '\0' && sale_list(t->st, t->day,
	    TUI_SALES_MAX, &v->sales, &v->nsales, &cause) != POS_OK)
		tui_cause(t, _("Today's sales"), cause);
	if (v->sales_sel >= v->nsales)
		v->sales_sel = v->nsales > 0 ? v->nsales - 1 : 0;
}

static void
tui_void_enter(struct tui *t, void *data)
{
	struct tui_void *v = data;

	tui_edit_clear(&v->rcpt);
	tui_void_close_detail(v);
	v->sales_sel = 0;
	tui_void_load(t, v);
}

/* Open a receipt: the one typed, else the highlighted one. */
static bool
tui_void_show(struct tui *t, struct tui_void *v, const char *receipt)
{
	char *cause = NULL;
	int64_t seq;

	tui_void_close_detail(v);
	if (journal_find(t->st, receipt, &seq, &cause) != POS_OK ||
	    journal_load(t->st, seq, &v->detail, &cause) != POS_OK) {
		tui_cause(t, _("Receipt"), cause);
		return false;
	}
	v->have_detail = true;
	return true;
}

static void
tui_void_open(struct tui *t, void *data)
{
	struct tui_void *v = data;

	if (v->rcpt.len > 0)
		tui_void_show(t, v, v->rcpt.s);
	else if (v->nsales > 0)
		tui_void_show(t, v, v->sales[v->sales_sel].receipt);
	else
		tui_msg(t, true, "%s", _("Type a receipt number."));
	if (v->have_detail && v->detail.nlines > 0)
		v->detail_focus = true;
}

static void
tui_void_focus(struct tui *t, void *data)
{
	struct tui_void *v = data;

	(void)t;
	v->detail_focus = v->have_detail && !v->detail_focus;
}

static void
tui_void_back(struct tui *t, void *data)
{
	struct tui_void *v = data;

	if (v->have_detail) {
		tui_void_close_detail(v);
		return;
	}
	tui_go(t, TUI_SALE);
}

/* The receipt an action applies to; NULL (with a message) when none. */
static const char *
tui_void_target(struct tui *t, struct tui_void *v)
{
	if (v->have_detail)
		return v->detail.receipt;
	if (v->rcpt.len > 0)
		return v->rcpt.s;
	if (v->nsales > 0)
		return v->sales[v->sales_sel].receipt;
	tui_msg(t, true, "%s", _("Type a receipt number or pick one."));
	return NULL;
}

static void
tui_void_refresh(struct tui *t, struct tui_void *v, const char *receipt)
{
	char keep[LEDGER_MAX_RECEIPT];

	snprintf(keep, sizeof keep, "%s", receipt);
	tui_void_load(t, v);
	if (v->have_detail) {
		tui_void_show(t, v, keep);
		v->detail_focus = v->have_detail && v->detail.nlines > 0;
	}
}

static void
tui_void_void(struct tui *t, void *data)
{
	struct tui_void *v = data;
	struct ledger_entry e;
	struct tui_edit reason;
	char receipt[LEDGER_MAX_RECEIPT], who[TUI_EDIT_MAX], label[160], *cause = NULL;
	const char *target;

	if ((target = tui_void_target(t, v)) == NULL)
		return;
	snprintf(receipt, sizeof receipt, "%.63s", target);
	tui_edit_clear(&reason);
	snprintf(label, sizeof label, _("Void %s, reason:"), receipt);
	if (!tui_ask(t, label, &reason, false))
		return;
	if (reason.len == 0) {
		tui_msg(t, true, "%s", _("A void needs a reason."));
		return;
	}
	if (!tui_supervisor(t, who, sizeof who))
		return;
	if (sale_void(t->st, receipt, who, reason.s, &e, &cause) != POS_OK) {
		tui_cause(t, _("Not voided"), cause);
		return;
	}
	tui_msg(t, false, _("Sale %s voided (%s)."), receipt, e.receipt);
	ledger_entry_free(&e);
	tui_void_refresh(t, v, receipt);
}

static void
tui_void_refund(struct tui *t, void *data)
{
	struct tui_void *v = data;
	struct ledger_entry e;
	struct tui_edit qty, reason;
	struct sale_item item;
	const struct ledger_line *l;
	char receipt[LEDGER_MAX_RECEIPT], who[TUI_EDIT_MAX], label[600], err[96], m[128];
	char *cause = NULL;

	if (!v->have_detail || v->detail.nlines == 0) {
		tui_msg(t, true, "%s", _("Open the receipt (Enter) and pick the "
		    "line to refund."));
		return;
	}
	snprintf(receipt, sizeof receipt, "%s", v->detail.receipt);
	l = &v->detail.lines[v->detail_sel];
	item.item = l->product_code;
	item.qty = 0;
	tui_edit_clear(&qty);
	snprintf(label, sizeof label, _("Refund how much of %s (empty: all "
	    "that remains)?"), l->product_name);
	if (!tui_ask(t, label, &qty, false))
		return;
	if (qty.len > 0 && qty_parse(qty.s, &item.qty, err, sizeof err) != 0) {
		tui_msg(t, true, _("Quantity \"%s\": %s"), qty.s, err);
		return;
	}
	tui_edit_clear(&reason);
	if (!tui_ask(t, _("Reason (may be empty):"), &reason, false))
		return;
	if (!tui_supervisor(t, who, sizeof who))
		return;
	if (sale_refund(t->st, receipt, &item, 1, who, reason.len > 0 ?
	    reason.s : NULL, NULL, &e, &cause) != POS_OK) {
		tui_cause(t, _("Not refunded"), cause);
		return;
	}
	tui_msg(t, false, _("Refund %s: %s back in cash."), e.receipt,
	    tui_money(t, e.total, m, sizeof m));
	ledger_entry_free(&e);
	tui_void_refresh(t, v, receipt);
}

static void
tui_void_input(struct tui *t, void *data, bool fkey, wint_t ch)
{
	struct tui_void *v = data;

	(void)t;
	if (tui_key_is(ch, fkey, KEY_UP) || tui_key_is(ch, fkey, KEY_DOWN)) {
		bool up = ch == KEY_UP;
		size_t *sel = v->detail_focus ? &v->detail_sel : &v->sales_sel;
		size_t n = v->detail_focus ? v->detail.nlines : v->nsales;

		if (up && *sel > 0)
			(*sel)--;
		else if (!up && *sel + 1 < n)
			(*sel)++;
		return;
	}
	if (!v->detail_focus)
		tui_edit_key(&v->rcpt, fkey, ch);
}

static void
tui_void_draw_detail(struct tui *t, const struct tui_void *v, int y, int x,
    int w, int rows)
{
	const struct ledger_entry *e = &v->detail;
	char q[48], m[96], when[8];
	int qw = 7, mw = 10, nw = w - qw - mw - 2;

	tui_local_time(e->created_at, when, sizeof when);
	tui_putf(t, y, x, w, tui_attr(t, TUI_A_HEAD) | A_BOLD, TUI_LEFT,
	    "%s  %s  %s", e->receipt, when, e->user);
	tui_putf(t, y + 1, x, w, A_NORMAL, TUI_LEFT, "%s: %s", _("Kind"),
	    e->kind);
	for (size_t i = 0; i < e->nlines && (int)i < rows - 5; i++) {
		const struct ledger_line *l = &e->lines[i];
		int a = v->detail_focus && i == v->detail_sel ?
		    tui_attr(t, TUI_A_SELECT) : (int)A_NORMAL;
		int yy = y + 2 + (int)i;

		qty_format(l->qty, q, sizeof q);
		tui_put(t, yy, x, w, "", a, TUI_LEFT);
		tui_put(t, yy, x, nw, l->product_name, a, TUI_LEFT);
		tui_put(t, yy, x + nw + 1, qw, q, a, TUI_RIGHT);
		tui_put(t, yy, x + nw + qw + 2, mw, tui_amount(t, l->net, m,
		    sizeof m), a, TUI_RIGHT);
	}
	y += 3 + (int)(e->nlines < (size_t)(rows - 5) ? e->nlines :
	    (size_t)(rows - 5));
	tui_putf(t, y, x, w, A_BOLD, TUI_RIGHT, "%s %s", _("Total:"),
	    tui_money(t, e->total, m, sizeof m));
}

static void
tui_void_draw(struct tui *t, void *data)
{
	struct tui_void *v = data;
	int top = tui_content_top(), bottom = tui_content_bottom();
	int lw = 40, rows = bottom - top - 1, h = tui_attr(t, TUI_A_HEAD);
	size_t first = 0;
	char m[96], when[8];

	tui_put(t, top + 1, 0, 14, _("Receipt"), h, TUI_LEFT);
	tui_put(t, top + 1, 15, 5, _("Time"), h, TUI_LEFT);
	tui_put(t, top + 1, 21, 10, _("Total"), h, TUI_RIGHT);
	tui_put(t, top + 1, 32, lw - 32, _("State"), h, TUI_LEFT);
	if (v->nsales == 0)
		tui_put(t, top + 2, 0, lw, _("(no sales today)"),
		    tui_attr(t, TUI_A_DIM), TUI_LEFT);
	if (v->sales_sel >= (size_t)rows)
		first = v->sales_sel - (size_t)rows + 1;
	for (int r = 0; r < rows && first + (size_t)r < v->nsales; r++) {
		const struct sale_summary *s = &v->sales[first + (size_t)r];
		int a = first + (size_t)r == v->sales_sel ? (v->detail_focus ?
		    (int)A_BOLD : tui_attr(t, TUI_A_SELECT)) : (int)A_NORMAL;
		int yy = top + 2 + r;

		tui_local_time(s->time, when, sizeof when);
		tui_put(t, yy, 0, lw, "", a, TUI_LEFT);
		tui_put(t, yy, 0, 14, s->receipt, a, TUI_LEFT);
		tui_put(t, yy, 15, 5, when, a, TUI_LEFT);
		tui_put(t, yy, 21, 10, tui_amount(t, s->total, m, sizeof m), a,
		    TUI_RIGHT);
		tui_put(t, yy, 32, lw - 32, s->voided ? _("voided") :
		    s->refunded ? _("refunded") : "", a, TUI_LEFT);
	}
	if (v->have_detail)
		tui_void_draw_detail(t, v, top + 1, lw + 2, COLS - lw - 3,
		    bottom - top);
	else
		tui_put(t, top + 2, lw + 2, COLS - lw - 3, _("Enter opens the "
		    "receipt typed or highlighted."), tui_attr(t, TUI_A_DIM),
		    TUI_LEFT);
	tui_field(t, top, 0, lw, _("Receipt:"), &v->rcpt, false,
	    !v->detail_focus);
}

static const struct tui_key tui_void_keys[] = {
	{ 0, 0, '\r', N_("open"), tui_void_open },
	{ 0, 0, '\t', N_("list/lines"), tui_void_focus },
	{ KEY_F(2), 'W', 0, N_("void sale"), tui_void_void },
	{ KEY_F(3), 'F', 0, N_("refund line"), tui_void_refund },
	{ 0, 0, 27, N_("back"), tui_void_back },
};

const struct tui_screen tui_void_screen = {
	.title = N_("Void / refund"),
	.keys = tui_void_keys,
	.nkeys = sizeof tui_void_keys / sizeof tui_void_keys[0],
	.global = true,
	.init = tui_void_init,
	.done = tui_void_done,
	.enter = tui_void_enter,
	.draw = tui_void_draw,
	.input = tui_void_input,
};

/* ---- producers ---- */

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
tui_producers_done(void *data)
{
	tui_producers_unload(data);
	free(data);
}

static void
tui_producers_filter(struct tui_producers *ps)
{
	char *want = text_normalize(ps->pfind.s);

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
	char day[11];

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
}

static void
tui_producers_enter(struct tui *t, void *data)
{
	struct tui_producers *ps = data;
	char *cause = NULL, *both, day[11];

	tui_producers_unload(ps);
	tui_day_refresh(t);
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
		ps->pnorm[i] = text_normalize(both);
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

static void
tui_producers_payout(struct tui *t, void *data)
{
	struct tui_producers *ps = data;
	const struct producer *p = tui_producers_current(ps);
	struct ledger_entry e;
	struct tui_edit amount;
	char who[TUI_EDIT_MAX], label[600], m[128], *cause = NULL;
	int64_t v;

	if (p == NULL) {
		tui_msg(t, true, "%s", _("Pick a producer first."));
		return;
	}
	tui_edit_clear(&amount);
	snprintf(label, sizeof label, _("Pay %s (amount):"), p->name);
	if (!tui_ask(t, label, &amount, false) ||
	    !tui_parse_amount(t, amount.s, &v) ||
	    !tui_supervisor(t, who, sizeof who))
		return;
	if (till_payout(t->st, p->code, who, v, &e, &cause) != POS_OK) {
		tui_cause(t, _("Not paid"), cause);
		return;
	}
	tui_msg(t, false, _("Paid %s to %s (%s)."), tui_money(t, v, m, sizeof m),
	    p->name, e.receipt);
	ledger_entry_free(&e);
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
	if (printq_enqueue(t->st, "statement", 0, arg, NULL, &cause) != POS_OK)
		tui_cause(t, _("Not printed"), cause);
	else {
		worker_kick(t->worker);
		tui_msg(t, false, _("Statement for %s sent to the printer."),
		    p->name);
	}
	free(arg);
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
	else if (tui_edit_key(&ps->pfind, fkey, ch))
		tui_producers_filter(ps);
	tui_producers_refresh(t, ps, false);
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

	if (ps->psel >= (size_t)rows)
		first = ps->psel - (size_t)rows + 1;
	for (int r = 0; r < rows && first + (size_t)r < ps->npmatch; r++) {
		const struct producer *p = &ps->producers[ps->pmatch[first +
		    (size_t)r]];
		int a = first + (size_t)r == ps->psel ? tui_attr(t, TUI_A_SELECT) :
		    (int)A_NORMAL;

		tui_put(t, top + 1 + r, 0, lw, "", a, TUI_LEFT);
		tui_put(t, top + 1 + r, 0, 12, p->code, a, TUI_LEFT);
		tui_put(t, top + 1 + r, 13, lw - 13, p->name, a, TUI_LEFT);
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
		y += 3;
		tui_put(t, y, x + 14, cw, day, tui_attr(t, TUI_A_HEAD), TUI_RIGHT);
		snprintf(head, sizeof head, "%s..%s", ps->from, ps->to);
		tui_put(t, y, x + 14 + cw, cw, strcmp(ps->from, ps->to) == 0 ?
		    ps->from : head, tui_attr(t, TUI_A_HEAD), TUI_RIGHT);
		for (int i = 0; i < 5; i++) {
			tui_put(t, y + 1 + i, x, 14, _(labels[i]), A_NORMAL,
			    TUI_LEFT);
			for (int k = 0; k < 2; k++) {
				int64_t v[5] = { f[k]->sold, f[k]->refunded,
				    f[k]->net, f[k]->paid_out, f[k]->balance };

				tui_put(t, y + 1 + i, x + 14 + k * cw, cw,
				    tui_amount(t, v[i], m, sizeof m), i == 4 ?
				    A_BOLD : A_NORMAL, TUI_RIGHT);
			}
		}
		tui_putf(t, y + 7, x, w, A_BOLD, TUI_LEFT, "%s %s",
		    _("Owed now:"), tui_money(t, ps->fig_day.owed, m, sizeof m));
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

/* ---- reports ---- */

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
	if (report_day(t->st, t->day, &rs->rep, &cause) != POS_OK)
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
	snprintf(label, sizeof label, _("Expected %s, counted %s, difference "
	    "%s. Enter closes the day, Esc cancels."), tui_amount(t,
	    rs->rep.expected_cash, m1, sizeof m1), tui_amount(t, v, m2,
	    sizeof m2), tui_amount(t, v - rs->rep.expected_cash, m3, sizeof m3));
	if (!tui_ask(t, label, &go, false) || !tui_supervisor(t, who,
	    sizeof who))
		return;
	if (till_day_close(t->st, who, v, &e, &cause) != POS_OK) {
		tui_cause(t, _("The day was not closed"), cause);
		return;
	}
	tui_msg(t, false, _("Day %s closed (%s)."), e.business_date, e.receipt);
	ledger_entry_free(&e);
	/* The Z report prints by itself; the close is pushed at once. */
	worker_sync_now(t->worker);
	tui_reports_enter(t, rs);
}

static void
tui_reports_open(struct tui *t, void *data)
{
	struct tui_reports *rs = data;
	struct ledger_entry e;
	struct tui_edit fl;
	char *cause = NULL;
	int64_t v;

	tui_edit_clear(&fl);
	if (!tui_ask(t, _("Open the day with a float of:"), &fl, false) ||
	    !tui_parse_amount(t, fl.s, &v))
		return;
	if (till_day_open(t->st, t->user, v, &e, &cause) != POS_OK) {
		tui_cause(t, _("The day was not opened"), cause);
		return;
	}
	tui_msg(t, false, _("Day %s open (%s)."), e.business_date, e.receipt);
	ledger_entry_free(&e);
	tui_reports_enter(t, rs);
}

/* Queue the X (or Z) report shown; the worker prints it. */
static void
tui_reports_print(struct tui *t, void *data)
{
	struct tui_reports *rs = data;
	char *cause = NULL;

	tui_reports_enter(t, rs);
	if (!rs->have_rep)
		return;
	if (printq_enqueue(t->st, rs->rep.closed ? "report_z" : "report_x", 0,
	    rs->rep.date, NULL, &cause) != POS_OK)
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
		snprintf(m, sizeof m, "%lld", (long long)v);
	tui_put(t, y, x + w - 16, 16, m, attr, TUI_RIGHT);
}

static void
tui_reports_draw(struct tui *t, void *data)
{
	struct tui_reports *rs = data;
	const struct report_day *r = &rs->rep;
	int top = tui_content_top(), w = (COLS - 4) / 2, x2 = w + 3, y;

	if (!rs->have_rep) {
		tui_put(t, top + 1, 1, COLS - 2, _("No day has been opened yet: "
		    "F6 opens one."), A_BOLD, TUI_LEFT);
		return;
	}
	tui_putf(t, top, 1, COLS - 2, tui_attr(t, TUI_A_HEAD) | A_BOLD,
	    TUI_LEFT, r->closed ? _("Z report %s (closed)") :
	    _("X report %s (open)"), r->date);
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
