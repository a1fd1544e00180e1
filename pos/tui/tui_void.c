/*
 * The void/refund screen: the business day's sales, one receipt opened
 * with its lines, and voiding a sale or refunding one line of it. Each
 * action asks for what it needs, then a supervisor's PIN, then calls
 * sale_void or sale_refund and shows its answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal.h"
#include "ledger.h"
#include "money.h"
#include "sale.h"
#include "tui_int.h"
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

/* "2 × Mosaic coaster, 0.5 × Oil": what an entry's lines are, cut to fit. */
static void
tui_void_lines(const struct tui *t, const struct ledger_entry *e, char *buf,
    size_t len)
{
	char q[64];
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < e->nlines && at < len; i++) {
		int n;

		tui_qty(t, e->lines[i].qty < 0 ? -e->lines[i].qty :
		    e->lines[i].qty, q, sizeof q);
		n = snprintf(buf + at, len - at, "%s%s × %s", i > 0 ? ", " : "",
		    q, e->lines[i].product_name);
		if (n < 0 || (size_t)n >= len - at) {
			buf[at] = '\0';
			break;
		}
		at += (size_t)n;
	}
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
	char lines[256], *cause = NULL;

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
	tui_void_lines(t, &e, lines, sizeof lines);
	if (e.npayments > 0 && strcmp(e.payments[0].method, "card") == 0)
		tui_msg(t, false, _("Refund %s of %s: %s; %s back to the card."),
		    e.receipt, receipt, lines, tui_money(t, e.total, m,
		    sizeof m));
	else if (e.npayments > 0 && strcmp(e.payments[0].method, "other") == 0)
		tui_msg(t, false, _("Refund %s of %s: %s; %s back as it was "
		    "paid (other)."), e.receipt, receipt, lines,
		    tui_money(t, e.total, m, sizeof m));
	else
		tui_msg(t, false, _("Refund %s of %s: %s; %s back in cash."),
		    e.receipt, receipt, lines, tui_money(t, e.total, m,
		    sizeof m));
	ledger_entry_free(&e);
	tui_void_refresh(t, v, receipt);
}

static void
tui_void_input(struct tui *t, void *data, bool fkey, wint_t ch)
{
	struct tui_void *v = data;

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
		tui_edit_type(t, &v->rcpt, fkey, ch);
}

static void
tui_void_draw_detail(struct tui *t, const struct tui_void *v, int y, int x,
    int w, int rows)
{
	const struct ledger_entry *e = &v->detail;
	char q[64], m[96], when[8];
	int qw = 7, mw = 10, nw = w - qw - mw - 2;

	store_local_time(&t->cfg, e->created_at, STORE_TIME_HM, when, sizeof when);
	tui_putf(t, y, x, w, tui_attr(t, TUI_A_HEAD) | A_BOLD, TUI_LEFT,
	    "%s  %s  %s", e->receipt, when, e->user);
	tui_putf(t, y + 1, x, w, A_NORMAL, TUI_LEFT, "%s: %s", _("Kind"),
	    e->kind);
	for (size_t i = 0; i < e->nlines && (int)i < rows - 5; i++) {
		const struct ledger_line *l = &e->lines[i];
		int a = v->detail_focus && i == v->detail_sel ?
		    tui_attr(t, TUI_A_SELECT) : (int)A_NORMAL;
		int yy = y + 2 + (int)i;

		tui_qty(t, l->qty, q, sizeof q);
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

		store_local_time(&t->cfg, s->time, STORE_TIME_HM, when,
		    sizeof when);
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
		tui_put_wrap(t, top + 2, lw + 2, COLS - lw - 3, _("Enter opens "
		    "the receipt typed or highlighted."), tui_attr(t, TUI_A_DIM));
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
