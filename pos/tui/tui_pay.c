/*
 * The payment screen: the tendered amounts, split over cash, card and
 * other, for the sale screen's cart; Enter with the sale covered commits
 * it through sale_sell, and the receipt, total and change shown after it
 * are the committed entry's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "sale.h"
#include "till.h"
#include "tui_int.h"
#include "tui_text.h"
#include "xalloc.h"

static const char *const tui_pay_methods[] = { "cash", "card", "other" };
static const char *const tui_pay_labels[] = {
	N_("Cash"), N_("Card"), N_("Other")
};
#define TUI_NMETHODS 3

/* The payment screen's state: what is being typed and the method chosen. */
struct tui_pay {
	struct tui_cart		*cart;		/* the sale screen's; not owned */
	struct tui_edit		 amount;
	int			 method;	/* index into tui_pay_methods */
};

/*
 * Called once a sale is committed. Its receipt was queued in the same
 * transaction (autoprint); the worker prints it, so this never waits on
 * the printer and never undoes or blocks the sale.
 */
static void
tui_after_sale(struct tui *t, const struct ledger_entry *e)
{
	(void)e;
	worker_kick(t->worker);
}

static void *
tui_pay_init(struct tui *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct tui_pay));
}

static void
tui_pay_enter(struct tui *t, void *data)
{
	struct tui_pay *pay = data;

	pay->cart = tui_sale_cart(t);
	pay->cart->npays = 0;
	pay->method = 0;
	tui_edit_clear(&pay->amount);
}

static void
tui_pay_method(struct tui_pay *pay, int m)
{
	pay->method = m;
}

static void
tui_pay_cash(struct tui *t, void *data)
{
	(void)t;
	tui_pay_method(data, 0);
}

static void
tui_pay_card(struct tui *t, void *data)
{
	(void)t;
	tui_pay_method(data, 1);
}

static void
tui_pay_other(struct tui *t, void *data)
{
	(void)t;
	tui_pay_method(data, 2);
}

/* Commit the sale through sale_sell; nothing is "done" before it returns. */
static void
tui_pay_commit(struct tui *t, struct tui_pay *pay)
{
	struct sale_request req;
	struct sale_item *items;
	struct ledger_entry e;
	char receipt[LEDGER_MAX_RECEIPT], late[11], *cause = NULL;
	bool is_late;
	int rc;

	items = xcalloc(pay->cart->n, sizeof *items);
	for (size_t i = 0; i < pay->cart->n; i++) {
		items[i].item = pay->cart->lines[i].p.code;
		items[i].qty = pay->cart->lines[i].qty;
	}
	memset(&req, 0, sizeof req);
	req.user = t->user;
	req.items = items;
	req.nitems = pay->cart->n;
	req.pays = pay->cart->pays;
	req.npays = pay->cart->npays;
	req.discount = pay->cart->discount;
	rc = sale_sell(t->st, &req, &e, &cause);
	free(items);
	if (rc != POS_OK) {
		tui_cause(t, _("The sale was not saved"), cause);
		return;
	}
	snprintf(receipt, sizeof receipt, "%s", e.receipt);
	tui_sale_committed(t, &e);
	tui_after_sale(t, &e);
	ledger_entry_free(&e);
	tui_go(t, TUI_SALE);
	/* A session left open past its date is said on every sale. */
	if (till_day_late(t->st, late, &is_late, &cause) == POS_OK && is_late)
		tui_msg(t, true, _("Sale %s saved. Day %s is still open: close "
		    "it."), receipt, late);
	else
		tui_msg(t, false, _("Sale %s saved."), receipt);
	free(cause);
}

/*
 * Card and other payments are never more than what is still due, so the
 * screen never shows change that would not be given: refused here, as
 * sale_sell would refuse the sale.
 */
static bool
tui_pay_may_take(struct tui *t, const struct tui_pay *pay, int64_t amount)
{
	int64_t left = tui_cart_due(pay->cart) - tui_cart_paid(pay->cart);
	char m[128];

	if (pay->method == 0 || amount <= left)
		return true;
	if (left <= 0)
		tui_msg(t, true, "%s", _("The sale is paid: press Enter to "
		    "confirm it."));
	else
		tui_msg(t, true, _("A card or other payment cannot be more than "
		    "what is still due (%s)."), tui_money(t, left, m, sizeof m));
	return false;
}

/*
 * Enter: take the amount typed (or what is still due). A payment that
 * covers the sale commits it; Enter again confirms only a change as large
 * as the sale.
 */
static void
tui_pay_enter_key(struct tui *t, void *data)
{
	struct tui_pay *pay = data;
	int64_t due = tui_cart_due(pay->cart), paid = tui_cart_paid(pay->cart);
	int64_t amount;

	if (pay->amount.len == 0) {
		if (paid >= due && pay->cart->npays > 0) {
			tui_pay_commit(t, pay);
			return;
		}
		amount = due - paid;
		if (amount <= 0) {
			tui_pay_commit(t, pay);
			return;
		}
	} else if (!tui_parse_amount(t, pay->amount.s, &amount))
		return;
	if (amount <= 0) {
		tui_msg(t, true, "%s", _("A payment must be more than 0."));
		return;
	}
	if (!tui_pay_may_take(t, pay, amount))
		return;
	if (pay->cart->npays == TUI_MAX_PAYS) {
		tui_msg(t, true, "%s", _("No more payments can be added."));
		return;
	}
	pay->cart->pays[pay->cart->npays].method = tui_pay_methods[pay->method];
	pay->cart->pays[pay->cart->npays].amount = amount;
	pay->cart->npays++;
	tui_edit_clear(&pay->amount);
	/* Covered: commit now, unless the change is as large as the sale (a typo?). */
	if (paid + amount >= due && paid + amount - due < due)
		tui_pay_commit(t, pay);
}

static void
tui_pay_undo(struct tui *t, void *data)
{
	struct tui_pay *pay = data;

	(void)t;
	if (pay->cart->npays > 0)
		pay->cart->npays--;
}

static void
tui_pay_back(struct tui *t, void *data)
{
	struct tui_pay *pay = data;

	pay->cart->npays = 0;
	tui_go(t, TUI_SALE);
}

static void
tui_pay_input(struct tui *t, void *data, bool fkey, wint_t ch)
{
	struct tui_pay *pay = data;

	if (tui_key_is(ch, fkey, KEY_LEFT))
		pay->method = (pay->method + TUI_NMETHODS - 1) % TUI_NMETHODS;
	else if (tui_key_is(ch, fkey, KEY_RIGHT))
		pay->method = (pay->method + 1) % TUI_NMETHODS;
	else
		tui_edit_type(t, &pay->amount, fkey, ch);
}

static void
tui_pay_draw(struct tui *t, void *data)
{
	struct tui_pay *pay = data;
	int top = tui_content_top(), half = COLS / 2, y, x;
	int64_t due = tui_cart_due(pay->cart), paid = tui_cart_paid(pay->cart);
	bool covered = paid >= due && pay->cart->npays > 0;
	int64_t right = covered ? paid - due : due - paid;
	char m[128], big[96];
	int head = tui_attr(t, TUI_A_HEAD) | A_BOLD;

	tui_put(t, top, 1, half - 4, _("DUE"), head, TUI_LEFT);
	tui_amount(t, due, big, sizeof big);
	tui_big(t, top + 1, 1, half - 4, big, tui_attr(t, TUI_A_BIG));
	tui_putf(t, top + 4, 1, half - 4, A_BOLD, TUI_RIGHT, "%s %s",
	    _("Due:"), tui_money(t, due, m, sizeof m));

	tui_put(t, top, half + 1, half - 2, covered ? _("CHANGE") :
	    _("STILL TO PAY"), head, TUI_LEFT);
	tui_amount(t, right, big, sizeof big);
	/* The same high-contrast attribute as DUE: the change is read too. */
	tui_big(t, top + 1, half + 1, half - 2, big, tui_attr(t, TUI_A_BIG));
	tui_putf(t, top + 4, half + 1, half - 2, A_BOLD, TUI_RIGHT, "%s %s",
	    covered ? _("Change:") : _("Still to pay:"), tui_money(t, right, m,
	    sizeof m));

	y = top + 6;
	tui_putf(t, y, 1, COLS - 2, tui_attr(t, TUI_A_HEAD), TUI_LEFT, "%s",
	    _("Payments"));
	for (size_t i = 0; i < pay->cart->npays; i++) {
		int k = strcmp(pay->cart->pays[i].method, "card") == 0 ? 1 :
		    strcmp(pay->cart->pays[i].method, "other") == 0 ? 2 : 0;

		tui_putf(t, y + 1 + (int)i, 3, 40, A_NORMAL, TUI_LEFT, "%zu. %s",
		    i + 1, _(tui_pay_labels[k]));
		tui_put(t, y + 1 + (int)i, 20, 24, tui_money(t,
		    pay->cart->pays[i].amount, m, sizeof m), A_NORMAL, TUI_RIGHT);
	}
	if (pay->cart->npays == 0)
		tui_put(t, y + 1, 3, 40, _("(none yet)"), tui_attr(t, TUI_A_DIM),
		    TUI_LEFT);
	y = top + 8 + (pay->cart->npays > 0 ? (int)pay->cart->npays : 1);
	x = 1;
	tui_put(t, y, x, 10, _("Method:"), A_BOLD, TUI_LEFT);
	x += 11;
	for (int k = 0; k < TUI_NMETHODS; k++) {
		const char *label = _(tui_pay_labels[k]);
		int lw = tui_text_columns(label) + 2;

		tui_putf(t, y, x, lw, k == pay->method ?
		    tui_attr(t, TUI_A_SELECT) : (int)A_NORMAL, TUI_CENTER, "%s",
		    label);
		x += lw + 1;
	}
	if (covered)
		tui_put(t, y + 4, 1, COLS - 2, _("Press Enter to confirm the sale."),
		    tui_attr(t, TUI_A_OK), TUI_LEFT);
	else
		tui_put(t, y + 4, 1, COLS - 2, _("Type the amount handed over and "
		    "press Enter (empty: exactly what is due)."), A_NORMAL,
		    TUI_LEFT);
	tui_field(t, y + 2, 1, COLS / 2, _("Tendered:"), &pay->amount, false,
	    true);
}

static const struct tui_key tui_pay_keys[] = {
	{ 0, 0, '\r', N_("take / confirm"), tui_pay_enter_key },
	{ KEY_F(2), 'A', 0, N_("cash"), tui_pay_cash },
	{ KEY_F(3), 'B', 0, N_("card"), tui_pay_card },
	{ KEY_F(4), 'T', 0, N_("other"), tui_pay_other },
	{ KEY_F(8), 'R', 0, N_("undo payment"), tui_pay_undo },
	{ 0, 0, 27, N_("back to sale"), tui_pay_back },
};

const struct tui_screen tui_pay_screen = {
	.title = N_("Payment"),
	.keys = tui_pay_keys,
	.nkeys = sizeof tui_pay_keys / sizeof tui_pay_keys[0],
	.init = tui_pay_init,
	.done = free,
	.enter = tui_pay_enter,
	.draw = tui_pay_draw,
	.input = tui_pay_input,
};
