/*
 * The sale and payment screens. The cart is what the attendant has rung
 * up so far; it is shown with line totals from money_mul_qty, the same
 * rounding sale_sell uses, but sale_sell alone decides what the sale comes
 * to: the receipt, total and change shown after payment are the committed
 * entry's. Parked sales live in this process only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "money.h"
#include "tui_int.h"
#include "tui_text.h"
#include "xalloc.h"

static const char *const tui_pay_methods[] = { "cash", "card", "other" };
static const char *const tui_pay_labels[] = {
	N_("Cash"), N_("Card"), N_("Other")
};
#define TUI_NMETHODS 3

/* Right panel width on the sale screen. */
#define TUI_PANEL_W 28

/* ---- the cart ---- */

static void
tui_product_copy(struct product *dst, const struct product *src)
{
	memset(dst, 0, sizeof *dst);
	dst->id = src->id;
	dst->code = xstrdup(src->code);
	dst->barcode = src->barcode != NULL ? xstrdup(src->barcode) : NULL;
	dst->name = xstrdup(src->name);
	dst->price = src->price;
	dst->unit = xstrdup(src->unit);
	dst->active = src->active;
	dst->producer_code = xstrdup(src->producer_code);
	dst->producer_name = xstrdup(src->producer_name);
}

void
tui_cart_clear(struct tui_cart *c)
{
	for (size_t i = 0; i < c->n; i++)
		catalog_product_clear(&c->lines[i].p);
	free(c->lines);
	memset(c, 0, sizeof *c);
}

static int64_t
tui_line_total(const struct tui_cart_line *l)
{
	int64_t v;

	return money_mul_qty(l->p.price, l->qty, &v) == 0 ? v : 0;
}

int64_t
tui_cart_gross(const struct tui_cart *c)
{
	int64_t sum = 0;

	for (size_t i = 0; i < c->n; i++)
		sum += tui_line_total(&c->lines[i]);
	return sum;
}

static int64_t
tui_cart_due(const struct tui_cart *c)
{
	return tui_cart_gross(c) - c->discount;
}

static int64_t
tui_cart_paid(const struct tui_cart *c)
{
	int64_t sum = 0;

	for (size_t i = 0; i < c->npays; i++)
		sum += c->pays[i].amount;
	return sum;
}

/* The same product twice is one line, as in sale_sell. */
static size_t
tui_cart_add(struct tui_cart *c, const struct product *p, int64_t qty)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->lines[i].p.code, p->code) == 0) {
			c->lines[i].qty += qty;
			return i;
		}
	c->lines = xreallocarray(c->lines, c->n + 1, sizeof *c->lines);
	tui_product_copy(&c->lines[c->n].p, p);
	c->lines[c->n].qty = qty;
	return c->n++;
}

static void
tui_cart_remove(struct tui_cart *c, size_t i)
{
	catalog_product_clear(&c->lines[i].p);
	memmove(&c->lines[i], &c->lines[i + 1], (c->n - i - 1) *
	    sizeof *c->lines);
	c->n--;
}

/*
 * Called once a sale is committed. Its receipt was queued in the same
 * transaction (autoprint); the worker prints it, so this never waits on
 * the printer and never undoes or blocks the sale.
 */
void
tui_after_sale(struct tui *t, const struct ledger_entry *e)
{
	(void)e;
	worker_kick(t->worker);
}

/* ---- the sale screen ---- */

static void
tui_sale_search(struct tui *t)
{
	char *cause = NULL;

	if (tui_search_update(&t->search, t->find.s, &cause) != POS_OK)
		tui_cause(t, _("Search"), cause);
}

static void
tui_sale_enter(struct tui *t)
{
	t->show_parked = false;
	tui_sale_search(t);
}

/* Enter: add the product typed (code or barcode) or the highlighted one. */
static void
tui_sale_add(struct tui *t)
{
	struct product found, *p = NULL;
	const char *text;
	char *qty_text, err[96], *cause = NULL;
	int64_t qty = 1000;
	bool have_found = false;

	text = tui_search_split(t->find.s, &qty_text);
	if (qty_text != NULL) {
		if (qty_parse(qty_text, &qty, err, sizeof err) != 0) {
			tui_msg(t, true, _("Quantity \"%s\": %s"), qty_text, err);
			free(qty_text);
			return;
		}
		free(qty_text);
	}
	while (*text == ' ')
		text++;
	/* A scanned barcode or a typed code is exact; the list may lag it. */
	if (*text != '\0' && catalog_product_find(t->st, text, &found,
	    &cause) == POS_OK) {
		have_found = true;
		p = &found;
	} else {
		free(cause);
		tui_sale_search(t);
		p = (struct product *)tui_search_current(&t->search);
	}
	if (p == NULL) {
		tui_msg(t, true, _("No product matches \"%s\"."), text);
		return;
	}
	if (!p->active)
		tui_msg(t, true, _("%s is not for sale (inactive)."), p->code);
	else {
		t->cart_sel = tui_cart_add(&t->cart, p, qty);
		t->have_last = false;
		tui_edit_clear(&t->find);
		tui_sale_search(t);
	}
	if (have_found)
		catalog_product_clear(&found);
}

static void
tui_sale_focus(struct tui *t)
{
	t->cart_focus = !t->cart_focus && t->cart.n > 0;
}

static void
tui_sale_qty(struct tui *t)
{
	struct tui_cart_line *l;
	struct tui_edit e;
	char q[32], label[256], err[96];
	int64_t qty;

	if (t->cart.n == 0) {
		tui_msg(t, true, "%s", _("The cart is empty."));
		return;
	}
	l = &t->cart.lines[t->cart_sel];
	qty_format(l->qty, q, sizeof q);
	tui_edit_set(&e, q);
	snprintf(label, sizeof label, _("Quantity of %s:"), l->p.name);
	if (!tui_ask(t, label, &e, false))
		return;
	if (qty_parse(e.s, &qty, err, sizeof err) != 0) {
		tui_msg(t, true, _("Quantity \"%s\": %s"), e.s, err);
		return;
	}
	l->qty = qty;
}

static void
tui_sale_remove(struct tui *t)
{
	if (t->cart.n == 0) {
		tui_msg(t, true, "%s", _("The cart is empty."));
		return;
	}
	tui_msg(t, false, _("Removed %s."), t->cart.lines[t->cart_sel].p.name);
	tui_cart_remove(&t->cart, t->cart_sel);
	if (t->cart_sel > 0 && t->cart_sel >= t->cart.n)
		t->cart_sel--;
	if (t->cart.n == 0)
		t->cart_focus = false;
}

static void
tui_sale_discount(struct tui *t)
{
	struct tui_edit e;
	char who[TUI_EDIT_MAX], m[128];
	int64_t d;

	if (t->cart.n == 0) {
		tui_msg(t, true, "%s", _("The cart is empty."));
		return;
	}
	tui_edit_clear(&e);
	if (!tui_ask(t, _("Discount on the sale (amount):"), &e, false))
		return;
	if (!tui_parse_amount(t, e.s, &d))
		return;
	if (t->role != USER_SUPERVISOR && !tui_supervisor(t, who, sizeof who))
		return;
	t->cart.discount = d;
	tui_msg(t, false, _("Discount %s."), tui_money(t, d, m, sizeof m));
}

static void
tui_sale_pay(struct tui *t)
{
	if (t->cart.n == 0) {
		tui_msg(t, true, "%s", _("The cart is empty."));
		return;
	}
	tui_go(t, TUI_PAY);
}

static void
tui_sale_park(struct tui *t)
{
	struct tm tm;
	time_t now = time(NULL);

	if (t->cart.n == 0) {
		tui_msg(t, true, "%s", _("The cart is empty."));
		return;
	}
	if (t->nparked == TUI_MAX_PARKED) {
		tui_msg(t, true, _("%d sales are parked already: recall one "
		    "first."), TUI_MAX_PARKED);
		return;
	}
	localtime_r(&now, &tm);
	strftime(t->cart.parked_at, sizeof t->cart.parked_at, "%H:%M", &tm);
	t->cart.npays = 0;
	t->parked[t->nparked++] = t->cart;
	memset(&t->cart, 0, sizeof t->cart);
	t->cart_sel = 0;
	t->cart_focus = false;
	tui_msg(t, false, _("Sale parked. Parked: %zu."), t->nparked);
}

static void
tui_sale_take(struct tui *t, size_t i)
{
	t->cart = t->parked[i];
	memmove(&t->parked[i], &t->parked[i + 1], (t->nparked - i - 1) *
	    sizeof t->parked[0]);
	t->nparked--;
	t->cart_sel = t->cart.n > 0 ? t->cart.n - 1 : 0;
	t->have_last = false;
	tui_msg(t, false, _("Sale recalled. Lines: %zu."), t->cart.n);
}

static void
tui_sale_recall(struct tui *t)
{
	struct tui_edit e;
	char label[128], *end;
	long k;

	if (t->nparked == 0) {
		tui_msg(t, true, "%s", _("No sale is parked."));
		return;
	}
	if (t->cart.n > 0) {
		tui_msg(t, true, "%s", _("Finish or park this sale first."));
		return;
	}
	if (t->nparked == 1) {
		tui_sale_take(t, 0);
		return;
	}
	t->show_parked = true;
	tui_edit_clear(&e);
	snprintf(label, sizeof label, _("Recall which parked sale (1-%zu)?"),
	    t->nparked);
	if (tui_ask(t, label, &e, false)) {
		k = strtol(e.s, &end, 10);
		if (end == e.s || *end != '\0' || k < 1 || (size_t)k > t->nparked)
			tui_msg(t, true, _("No parked sale %s."), e.s);
		else
			tui_sale_take(t, (size_t)k - 1);
	}
	t->show_parked = false;
}

static void
tui_sale_input(struct tui *t, bool fkey, wint_t ch)
{
	if (tui_key_is(ch, fkey, KEY_UP) || tui_key_is(ch, fkey, KEY_DOWN)) {
		bool up = ch == KEY_UP;
		size_t *sel = t->cart_focus ? &t->cart_sel : &t->search.sel;
		size_t n = t->cart_focus ? t->cart.n : t->search.nrows;

		if (up && *sel > 0)
			(*sel)--;
		else if (!up && *sel + 1 < n)
			(*sel)++;
		return;
	}
	if (!fkey && ch == 27) {
		if (t->find.len > 0) {
			tui_edit_clear(&t->find);
			tui_sale_search(t);
		}
		t->cart_focus = false;
		return;
	}
	if (tui_edit_key(&t->find, fkey, ch)) {
		t->cart_focus = false;
		tui_sale_search(t);
	}
}

/* The total (or, after a sale, the change) large, in the right panel. */
static void
tui_sale_panel(struct tui *t, int y, int x, int w)
{
	char m[128], big[96];
	bool after = t->cart.n == 0 && t->have_last;
	int64_t v = after ? t->last_change : tui_cart_due(&t->cart);
	int big_attr = tui_attr(t, TUI_A_BIG);

	tui_put(t, y, x, w, after ? _("CHANGE") : _("TOTAL"),
	    tui_attr(t, TUI_A_HEAD) | A_BOLD, TUI_RIGHT);
	money_display(v, t->cfg.currency.decimals, CONFIG_DIGITS_WESTERN, big,
	    sizeof big);
	if (t->cfg.currency.digits == CONFIG_DIGITS_WESTERN)
		tui_big(t, y + 1, x, w, big, big_attr);
	tui_putf(t, y + 4, x, w, A_BOLD, TUI_RIGHT, "%s %s", after ?
	    _("Change:") : _("Total:"), tui_money(t, v, m, sizeof m));
	if (after)
		tui_putf(t, y + 5, x, w, A_NORMAL, TUI_RIGHT, _("Sale %s saved"),
		    t->last_receipt);
	else if (t->cart.discount != 0)
		tui_putf(t, y + 5, x, w, A_NORMAL, TUI_RIGHT, "%s -%s",
		    _("Discount:"), tui_money(t, t->cart.discount, m, sizeof m));
	else
		tui_putf(t, y + 5, x, w, A_NORMAL, TUI_RIGHT, _("Lines: %zu"),
		    t->cart.n);
	if (t->nparked > 0)
		tui_putf(t, y + 6, x, w, A_NORMAL, TUI_RIGHT, _("Parked: %zu"),
		    t->nparked);
}

static void
tui_sale_results(struct tui *t, int y, int x, int w, int rows)
{
	char m[128], price[160];
	size_t first = 0;
	int cw = 12, pw = 16, nw = w - cw - pw - 2;

	if (t->show_parked) {
		for (size_t i = 0; i < t->nparked && (int)i < rows; i++) {
			const struct tui_cart *c = &t->parked[i];

			tui_putf(t, y + (int)i, x, w, A_NORMAL, TUI_LEFT,
			    _("%zu) parked %s, lines: %zu, %s"), i + 1,
			    c->parked_at, c->n, tui_money(t, tui_cart_due(c), m,
			    sizeof m));
		}
		return;
	}
	if (t->search.nrows == 0) {
		tui_put(t, y, x, w, _("(no product matches)"),
		    tui_attr(t, TUI_A_DIM), TUI_LEFT);
		return;
	}
	if (t->search.sel >= (size_t)rows)
		first = t->search.sel - (size_t)rows + 1;
	for (int r = 0; r < rows && first + (size_t)r < t->search.nrows; r++) {
		size_t i = first + (size_t)r;
		const struct product *p = &t->search.rows[i];
		int a = i == t->search.sel ? (t->cart_focus ? (int)A_UNDERLINE :
		    tui_attr(t, TUI_A_SELECT)) : (p->active ? (int)A_NORMAL :
		    tui_attr(t, TUI_A_DIM));

		snprintf(price, sizeof price, "%s/%s", tui_amount(t, p->price, m,
		    sizeof m), strcmp(p->unit, "kg") == 0 ? _("kg") : _("pc"));
		tui_put(t, y + r, x, w, "", a, TUI_LEFT);
		tui_put(t, y + r, x, cw, p->code, a, TUI_LEFT);
		tui_put(t, y + r, x + cw + 1, nw, p->name, a, TUI_LEFT);
		tui_put(t, y + r, x + cw + nw + 2, pw, price, a, TUI_RIGHT);
	}
}

static void
tui_sale_cart(struct tui *t, int y, int w, int rows)
{
	char q[32], m1[96], m2[96];
	int qw = 9, mw = 12, pw = w >= 100 ? 20 : 15;
	int nw = w - 4 - pw - qw - 2 * mw - 4, x;
	size_t first = 0;

	x = 0;
	tui_put(t, y, x, 3, "#", tui_attr(t, TUI_A_HEAD), TUI_RIGHT);
	tui_put(t, y, x + 4, nw, _("Product"), tui_attr(t, TUI_A_HEAD), TUI_LEFT);
	tui_put(t, y, x + 5 + nw, pw, _("Producer"), tui_attr(t, TUI_A_HEAD),
	    TUI_LEFT);
	tui_put(t, y, x + 6 + nw + pw, qw, _("Qty"), tui_attr(t, TUI_A_HEAD),
	    TUI_RIGHT);
	tui_put(t, y, x + 7 + nw + pw + qw, mw, _("Price"),
	    tui_attr(t, TUI_A_HEAD), TUI_RIGHT);
	tui_put(t, y, x + 8 + nw + pw + qw + mw, mw, _("Line total"),
	    tui_attr(t, TUI_A_HEAD), TUI_RIGHT);
	if (t->cart.n == 0) {
		tui_put(t, y + 1, 4, w - 4, _("Type a code, a barcode or a name; "
		    "Enter adds it. 2*CODE sells 2, 0.5*CODE half a kg."),
		    tui_attr(t, TUI_A_DIM), TUI_LEFT);
		return;
	}
	if (t->cart_sel >= (size_t)rows)
		first = t->cart_sel - (size_t)rows + 1;
	for (int r = 0; r < rows && first + (size_t)r < t->cart.n; r++) {
		size_t i = first + (size_t)r;
		const struct tui_cart_line *l = &t->cart.lines[i];
		int a = i == t->cart_sel ? (t->cart_focus ?
		    tui_attr(t, TUI_A_SELECT) : (int)A_BOLD) : (int)A_NORMAL;
		int yy = y + 1 + r;

		qty_format(l->qty, q, sizeof q);
		if (strcmp(l->p.unit, "kg") == 0)
			snprintf(q + strlen(q), sizeof q - strlen(q), " %s",
			    _("kg"));
		tui_put(t, yy, 0, w, "", a, TUI_LEFT);
		tui_putf(t, yy, 0, 3, a, TUI_RIGHT, "%zu", i + 1);
		tui_put(t, yy, 4, nw, l->p.name, a, TUI_LEFT);
		tui_put(t, yy, 5 + nw, pw, l->p.producer_name, a, TUI_LEFT);
		tui_put(t, yy, 6 + nw + pw, qw, q, a, TUI_RIGHT);
		tui_put(t, yy, 7 + nw + pw + qw, mw, tui_amount(t, l->p.price, m1,
		    sizeof m1), a, TUI_RIGHT);
		tui_put(t, yy, 8 + nw + pw + qw + mw, mw, tui_amount(t,
		    tui_line_total(l), m2, sizeof m2), a, TUI_RIGHT);
	}
}

static void
tui_sale_draw(struct tui *t)
{
	int top = tui_content_top(), bottom = tui_content_bottom();
	int rows = bottom - top + 1, nres = rows / 3, lw;
	char *qty_text;
	bool hasq;

	if (nres < 6)
		nres = 6;
	lw = COLS - TUI_PANEL_W - 1;
	tui_sale_panel(t, top, lw + 1, TUI_PANEL_W - 1);
	tui_sale_results(t, top + 1, 0, lw, nres);
	tui_sale_cart(t, top + 1 + nres, COLS, bottom - (top + 1 + nres));
	tui_search_split(t->find.s, &qty_text);
	hasq = qty_text != NULL;
	if (hasq)
		tui_putf(t, top, lw - 14, 14, A_BOLD, TUI_RIGHT, "%s × %s",
		    _("qty"), qty_text);
	free(qty_text);
	tui_field(t, top, 0, hasq ? lw - 15 : lw, _("Find:"),
	    &t->find, false, !t->cart_focus);
}

static const struct tui_key tui_sale_keys[] = {
	{ 0, 0, '\r', N_("add"), tui_sale_add },
	{ 0, 0, '\t', N_("cart/find"), tui_sale_focus },
	{ KEY_F(2), 'E', 0, N_("qty"), tui_sale_qty },
	{ KEY_F(3), 'R', 0, N_("remove"), tui_sale_remove },
	{ KEY_F(4), 'D', 0, N_("discount"), tui_sale_discount },
	{ KEY_F(5), 'P', 0, N_("pay"), tui_sale_pay },
	{ KEY_F(6), 'K', 0, N_("park"), tui_sale_park },
	{ KEY_F(7), 'L', 0, N_("recall"), tui_sale_recall },
};

const struct tui_screen tui_sale_screen = {
	N_("Sale"), tui_sale_keys, sizeof tui_sale_keys / sizeof tui_sale_keys[0],
	true, tui_sale_enter, tui_sale_draw, tui_sale_input
};

/* ---- the payment screen ---- */

static void
tui_pay_enter(struct tui *t)
{
	t->cart.npays = 0;
	t->pay_method = 0;
	tui_edit_clear(&t->pay_amount);
}

static void
tui_pay_method(struct tui *t, int m)
{
	t->pay_method = m;
}

static void
tui_pay_cash(struct tui *t)
{
	tui_pay_method(t, 0);
}

static void
tui_pay_card(struct tui *t)
{
	tui_pay_method(t, 1);
}

static void
tui_pay_other(struct tui *t)
{
	tui_pay_method(t, 2);
}

/* Commit the sale through sale_sell; nothing is "done" before it returns. */
static void
tui_pay_commit(struct tui *t)
{
	struct sale_request req;
	struct sale_item *items;
	struct ledger_entry e;
	char *cause = NULL;
	int rc;

	items = xcalloc(t->cart.n, sizeof *items);
	for (size_t i = 0; i < t->cart.n; i++) {
		items[i].item = t->cart.lines[i].p.code;
		items[i].qty = t->cart.lines[i].qty;
	}
	memset(&req, 0, sizeof req);
	req.user = t->user;
	req.items = items;
	req.nitems = t->cart.n;
	req.pays = t->cart.pays;
	req.npays = t->cart.npays;
	req.discount = t->cart.discount;
	rc = sale_sell(t->st, &req, &e, &cause);
	free(items);
	if (rc != POS_OK) {
		tui_cause(t, _("The sale was not saved"), cause);
		return;
	}
	t->have_last = true;
	snprintf(t->last_receipt, sizeof t->last_receipt, "%s", e.receipt);
	t->last_total = e.total;
	t->last_change = e.change;
	tui_after_sale(t, &e);
	ledger_entry_free(&e);
	tui_cart_clear(&t->cart);
	t->cart_sel = 0;
	t->cart_focus = false;
	tui_edit_clear(&t->find);
	tui_go(t, TUI_SALE);
	tui_msg(t, false, _("Sale %s saved."), t->last_receipt);
}

/* Enter: take the amount typed (or what is still due); Enter again confirms. */
static void
tui_pay_enter_key(struct tui *t)
{
	int64_t due = tui_cart_due(&t->cart), paid = tui_cart_paid(&t->cart);
	int64_t amount;

	if (t->pay_amount.len == 0) {
		if (paid >= due && t->cart.npays > 0) {
			tui_pay_commit(t);
			return;
		}
		amount = due - paid;
		if (amount <= 0) {
			tui_pay_commit(t);
			return;
		}
	} else if (!tui_parse_amount(t, t->pay_amount.s, &amount))
		return;
	if (t->cart.npays == TUI_MAX_PAYS) {
		tui_msg(t, true, "%s", _("No more payments can be added."));
		return;
	}
	t->cart.pays[t->cart.npays].method = tui_pay_methods[t->pay_method];
	t->cart.pays[t->cart.npays].amount = amount;
	t->cart.npays++;
	tui_edit_clear(&t->pay_amount);
}

static void
tui_pay_undo(struct tui *t)
{
	if (t->cart.npays > 0)
		t->cart.npays--;
}

static void
tui_pay_back(struct tui *t)
{
	t->cart.npays = 0;
	tui_go(t, TUI_SALE);
}

static void
tui_pay_input(struct tui *t, bool fkey, wint_t ch)
{
	if (tui_key_is(ch, fkey, KEY_LEFT))
		t->pay_method = (t->pay_method + TUI_NMETHODS - 1) % TUI_NMETHODS;
	else if (tui_key_is(ch, fkey, KEY_RIGHT))
		t->pay_method = (t->pay_method + 1) % TUI_NMETHODS;
	else
		tui_edit_key(&t->pay_amount, fkey, ch);
}

static void
tui_pay_draw(struct tui *t)
{
	int top = tui_content_top(), half = COLS / 2, y, x;
	int64_t due = tui_cart_due(&t->cart), paid = tui_cart_paid(&t->cart);
	bool covered = paid >= due && t->cart.npays > 0;
	int64_t right = covered ? paid - due : due - paid;
	char m[128], big[96];
	int head = tui_attr(t, TUI_A_HEAD) | A_BOLD;
	bool western = t->cfg.currency.digits == CONFIG_DIGITS_WESTERN;

	tui_put(t, top, 1, half - 4, _("DUE"), head, TUI_LEFT);
	money_display(due, t->cfg.currency.decimals, CONFIG_DIGITS_WESTERN, big,
	    sizeof big);
	if (western)
		tui_big(t, top + 1, 1, half - 4, big, tui_attr(t, TUI_A_BIG));
	tui_putf(t, top + 4, 1, half - 4, A_BOLD, TUI_RIGHT, "%s %s",
	    _("Due:"), tui_money(t, due, m, sizeof m));

	tui_put(t, top, half + 1, half - 2, covered ? _("CHANGE") :
	    _("STILL TO PAY"), head, TUI_LEFT);
	money_display(right, t->cfg.currency.decimals, CONFIG_DIGITS_WESTERN,
	    big, sizeof big);
	if (western)
		tui_big(t, top + 1, half + 1, half - 2, big, covered ?
		    tui_attr(t, TUI_A_OK) : tui_attr(t, TUI_A_BIG));
	tui_putf(t, top + 4, half + 1, half - 2, A_BOLD, TUI_RIGHT, "%s %s",
	    covered ? _("Change:") : _("Still to pay:"), tui_money(t, right, m,
	    sizeof m));

	y = top + 6;
	tui_putf(t, y, 1, COLS - 2, tui_attr(t, TUI_A_HEAD), TUI_LEFT, "%s",
	    _("Payments"));
	for (size_t i = 0; i < t->cart.npays; i++) {
		int k = strcmp(t->cart.pays[i].method, "card") == 0 ? 1 :
		    strcmp(t->cart.pays[i].method, "other") == 0 ? 2 : 0;

		tui_putf(t, y + 1 + (int)i, 3, 40, A_NORMAL, TUI_LEFT, "%zu. %s",
		    i + 1, _(tui_pay_labels[k]));
		tui_put(t, y + 1 + (int)i, 20, 24, tui_money(t,
		    t->cart.pays[i].amount, m, sizeof m), A_NORMAL, TUI_RIGHT);
	}
	if (t->cart.npays == 0)
		tui_put(t, y + 1, 3, 40, _("(none yet)"), tui_attr(t, TUI_A_DIM),
		    TUI_LEFT);
	y = top + 8 + (t->cart.npays > 0 ? (int)t->cart.npays : 1);
	x = 1;
	tui_put(t, y, x, 10, _("Method:"), A_BOLD, TUI_LEFT);
	x += 11;
	for (int k = 0; k < TUI_NMETHODS; k++) {
		const char *label = _(tui_pay_labels[k]);
		int lw = tui_text_columns(label) + 2;

		tui_putf(t, y, x, lw, k == t->pay_method ?
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
	tui_field(t, y + 2, 1, COLS / 2, _("Tendered:"), &t->pay_amount, false,
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
	N_("Payment"), tui_pay_keys, sizeof tui_pay_keys / sizeof tui_pay_keys[0],
	false, tui_pay_enter, tui_pay_draw, tui_pay_input
};
