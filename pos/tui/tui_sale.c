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

#define TUI_MAX_PAYS	8
#define TUI_MAX_PARKED	9

struct tui_cart_line {
	struct product	 p;		/* owned copy */
	int64_t		 qty;		/* thousandths */
};

struct tui_cart {
	struct tui_cart_line	*lines;
	size_t			 n;
	int64_t			 discount;
	struct sale_pay		 pays[TUI_MAX_PAYS];	/* method: static strings */
	size_t			 npays;
	char			 parked_at[6];		/* "HH:MM" */
};

/* The sale screen's state: the search line, the cart and the parked sales. */
struct tui_sale {
	struct tui_edit		 find;
	struct tui_search	 search;
	bool			 cart_focus;
	struct tui_cart		 cart;
	size_t			 cart_sel;
	struct tui_cart		 parked[TUI_MAX_PARKED];
	size_t			 nparked;
	bool			 show_parked;
	bool			 have_last;	/* the last sale's figures are shown */
	char			 last_receipt[LEDGER_MAX_RECEIPT];
	int64_t			 last_total, last_change;
};

/* The payment screen's state; it pays for the sale screen's cart. */
struct tui_pay {
	struct tui_sale		*sale;		/* not owned */
	struct tui_edit		 amount;
	int			 method;	/* index into tui_pay_methods */
};

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

static void
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

static int64_t
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
static void
tui_after_sale(struct tui *t, const struct ledger_entry *e)
{
	(void)e;
	worker_kick(t->worker);
}

/* ---- the sale screen ---- */

static void *
tui_sale_init(struct tui *t)
{
	struct tui_sale *s = xcalloc(1, sizeof *s);

	tui_search_init(&s->search, t->st, TUI_SEARCH_LIMIT);
	return s;
}

static void
tui_sale_done(void *data)
{
	struct tui_sale *s = data;

	tui_cart_clear(&s->cart);
	for (size_t i = 0; i < s->nparked; i++)
		tui_cart_clear(&s->parked[i]);
	tui_search_free(&s->search);
	free(s);
}

bool
tui_sale_busy(const struct tui *t)
{
	const struct tui_sale *s = t->data[TUI_SALE];

	return s->cart.n > 0;
}

static void
tui_sale_search(struct tui *t, struct tui_sale *s)
{
	char *cause = NULL;

	if (tui_search_update(&s->search, s->find.s, &cause) != POS_OK)
		tui_cause(t, _("Search"), cause);
}

static void
tui_sale_enter(struct tui *t, void *data)
{
	struct tui_sale *s = data;

	s->show_parked = false;
	tui_sale_search(t, s);
}

/* Enter: add the product typed (code or barcode) or the highlighted one. */
static void
tui_sale_add(struct tui *t, void *data)
{
	struct tui_sale *s = data;
	struct product found, *p = NULL;
	const char *text;
	char *qty_text, err[96], *cause = NULL;
	int64_t qty = 1000;
	bool have_found = false;

	text = tui_search_split(s->find.s, &qty_text);
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
		tui_sale_search(t, s);
		p = (struct product *)tui_search_current(&s->search);
	}
	if (p == NULL) {
		tui_msg(t, true, _("No product matches \"%s\"."), text);
		return;
	}
	if (!p->active)
		tui_msg(t, true, _("%s is not for sale (inactive)."), p->code);
	else {
		s->cart_sel = tui_cart_add(&s->cart, p, qty);
		s->have_last = false;
		tui_edit_clear(&s->find);
		tui_sale_search(t, s);
	}
	if (have_found)
		catalog_product_clear(&found);
}

static void
tui_sale_focus(struct tui *t, void *data)
{
	struct tui_sale *s = data;

	(void)t;
	s->cart_focus = !s->cart_focus && s->cart.n > 0;
}

static void
tui_sale_qty(struct tui *t, void *data)
{
	struct tui_sale *s = data;
	struct tui_cart_line *l;
	struct tui_edit e;
	char q[32], label[256], err[96];
	int64_t qty;

	if (s->cart.n == 0) {
		tui_msg(t, true, "%s", _("The cart is empty."));
		return;
	}
	l = &s->cart.lines[s->cart_sel];
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
tui_sale_remove(struct tui *t, void *data)
{
	struct tui_sale *s = data;

	if (s->cart.n == 0) {
		tui_msg(t, true, "%s", _("The cart is empty."));
		return;
	}
	tui_msg(t, false, _("Removed %s."), s->cart.lines[s->cart_sel].p.name);
	tui_cart_remove(&s->cart, s->cart_sel);
	if (s->cart_sel > 0 && s->cart_sel >= s->cart.n)
		s->cart_sel--;
	if (s->cart.n == 0)
		s->cart_focus = false;
}

static void
tui_sale_discount(struct tui *t, void *data)
{
	struct tui_sale *s = data;
	struct tui_edit e;
	char who[TUI_EDIT_MAX], m[128];
	int64_t d;

	if (s->cart.n == 0) {
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
	s->cart.discount = d;
	tui_msg(t, false, _("Discount %s."), tui_money(t, d, m, sizeof m));
}

static void
tui_sale_pay(struct tui *t, void *data)
{
	struct tui_sale *s = data;

	if (s->cart.n == 0) {
		tui_msg(t, true, "%s", _("The cart is empty."));
		return;
	}
	tui_go(t, TUI_PAY);
}

static void
tui_sale_park(struct tui *t, void *data)
{
	struct tui_sale *s = data;
	struct tm tm;
	time_t now = time(NULL);

	if (s->cart.n == 0) {
		tui_msg(t, true, "%s", _("The cart is empty."));
		return;
	}
	if (s->nparked == TUI_MAX_PARKED) {
		tui_msg(t, true, _("%d sales are parked already: recall one "
		    "first."), TUI_MAX_PARKED);
		return;
	}
	localtime_r(&now, &tm);
	strftime(s->cart.parked_at, sizeof s->cart.parked_at, "%H:%M", &tm);
	s->cart.npays = 0;
	s->parked[s->nparked++] = s->cart;
	memset(&s->cart, 0, sizeof s->cart);
	s->cart_sel = 0;
	s->cart_focus = false;
	tui_msg(t, false, _("Sale parked. Parked: %zu."), s->nparked);
}

static void
tui_sale_take(struct tui *t, struct tui_sale *s, size_t i)
{
	s->cart = s->parked[i];
	memmove(&s->parked[i], &s->parked[i + 1], (s->nparked - i - 1) *
	    sizeof s->parked[0]);
	s->nparked--;
	s->cart_sel = s->cart.n > 0 ? s->cart.n - 1 : 0;
	s->have_last = false;
	tui_msg(t, false, _("Sale recalled. Lines: %zu."), s->cart.n);
}

static void
tui_sale_recall(struct tui *t, void *data)
{
	struct tui_sale *s = data;
	struct tui_edit e;
	char label[128], *end;
	long k;

	if (s->nparked == 0) {
		tui_msg(t, true, "%s", _("No sale is parked."));
		return;
	}
	if (s->cart.n > 0) {
		tui_msg(t, true, "%s", _("Finish or park this sale first."));
		return;
	}
	if (s->nparked == 1) {
		tui_sale_take(t, s, 0);
		return;
	}
	s->show_parked = true;
	tui_edit_clear(&e);
	snprintf(label, sizeof label, _("Recall which parked sale (1-%zu)?"),
	    s->nparked);
	if (tui_ask(t, label, &e, false)) {
		k = strtol(e.s, &end, 10);
		if (end == e.s || *end != '\0' || k < 1 || (size_t)k > s->nparked)
			tui_msg(t, true, _("No parked sale %s."), e.s);
		else
			tui_sale_take(t, s, (size_t)k - 1);
	}
	s->show_parked = false;
}

static void
tui_sale_input(struct tui *t, void *data, bool fkey, wint_t ch)
{
	struct tui_sale *s = data;

	if (tui_key_is(ch, fkey, KEY_UP) || tui_key_is(ch, fkey, KEY_DOWN)) {
		bool up = ch == KEY_UP;
		size_t *sel = s->cart_focus ? &s->cart_sel : &s->search.sel;
		size_t n = s->cart_focus ? s->cart.n : s->search.nrows;

		if (up && *sel > 0)
			(*sel)--;
		else if (!up && *sel + 1 < n)
			(*sel)++;
		return;
	}
	if (!fkey && ch == 27) {
		if (s->find.len > 0) {
			tui_edit_clear(&s->find);
			tui_sale_search(t, s);
		}
		s->cart_focus = false;
		return;
	}
	if (tui_edit_key(&s->find, fkey, ch)) {
		s->cart_focus = false;
		tui_sale_search(t, s);
	}
}

/* The total (or, after a sale, the change) large, in the right panel. */
static void
tui_sale_panel(struct tui *t, const struct tui_sale *s, int y, int x, int w)
{
	char m[128], big[96];
	bool after = s->cart.n == 0 && s->have_last;
	int64_t v = after ? s->last_change : tui_cart_due(&s->cart);
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
		    s->last_receipt);
	else if (s->cart.discount != 0)
		tui_putf(t, y + 5, x, w, A_NORMAL, TUI_RIGHT, "%s -%s",
		    _("Discount:"), tui_money(t, s->cart.discount, m, sizeof m));
	else
		tui_putf(t, y + 5, x, w, A_NORMAL, TUI_RIGHT, _("Lines: %zu"),
		    s->cart.n);
	if (s->nparked > 0)
		tui_putf(t, y + 6, x, w, A_NORMAL, TUI_RIGHT, _("Parked: %zu"),
		    s->nparked);
}

static void
tui_sale_results(struct tui *t, const struct tui_sale *s, int y, int x, int w,
    int rows)
{
	char m[128], price[160];
	size_t first = 0;
	int cw = 12, pw = 16, nw = w - cw - pw - 2;

	if (s->show_parked) {
		for (size_t i = 0; i < s->nparked && (int)i < rows; i++) {
			const struct tui_cart *c = &s->parked[i];

			tui_putf(t, y + (int)i, x, w, A_NORMAL, TUI_LEFT,
			    _("%zu) parked %s, lines: %zu, %s"), i + 1,
			    c->parked_at, c->n, tui_money(t, tui_cart_due(c), m,
			    sizeof m));
		}
		return;
	}
	if (s->search.nrows == 0) {
		tui_put(t, y, x, w, _("(no product matches)"),
		    tui_attr(t, TUI_A_DIM), TUI_LEFT);
		return;
	}
	if (s->search.sel >= (size_t)rows)
		first = s->search.sel - (size_t)rows + 1;
	for (int r = 0; r < rows && first + (size_t)r < s->search.nrows; r++) {
		size_t i = first + (size_t)r;
		const struct product *p = &s->search.rows[i];
		int a = i == s->search.sel ? (s->cart_focus ? (int)A_UNDERLINE :
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
tui_sale_cart(struct tui *t, const struct tui_sale *s, int y, int w, int rows)
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
	if (s->cart.n == 0) {
		tui_put(t, y + 1, 4, w - 4, _("Type a code, a barcode or a name; "
		    "Enter adds it. 2*CODE sells 2, 0.5*CODE half a kg."),
		    tui_attr(t, TUI_A_DIM), TUI_LEFT);
		return;
	}
	if (s->cart_sel >= (size_t)rows)
		first = s->cart_sel - (size_t)rows + 1;
	for (int r = 0; r < rows && first + (size_t)r < s->cart.n; r++) {
		size_t i = first + (size_t)r;
		const struct tui_cart_line *l = &s->cart.lines[i];
		int a = i == s->cart_sel ? (s->cart_focus ?
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
tui_sale_draw(struct tui *t, void *data)
{
	struct tui_sale *s = data;
	int top = tui_content_top(), bottom = tui_content_bottom();
	int rows = bottom - top + 1, nres = rows / 3, lw;
	char *qty_text;
	bool hasq;

	if (nres < 6)
		nres = 6;
	lw = COLS - TUI_PANEL_W - 1;
	tui_sale_panel(t, s, top, lw + 1, TUI_PANEL_W - 1);
	tui_sale_results(t, s, top + 1, 0, lw, nres);
	tui_sale_cart(t, s, top + 1 + nres, COLS, bottom - (top + 1 + nres));
	tui_search_split(s->find.s, &qty_text);
	hasq = qty_text != NULL;
	if (hasq)
		tui_putf(t, top, lw - 14, 14, A_BOLD, TUI_RIGHT, "%s × %s",
		    _("qty"), qty_text);
	free(qty_text);
	tui_field(t, top, 0, hasq ? lw - 15 : lw, _("Find:"),
	    &s->find, false, !s->cart_focus);
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
	.title = N_("Sale"),
	.keys = tui_sale_keys,
	.nkeys = sizeof tui_sale_keys / sizeof tui_sale_keys[0],
	.global = true,
	.init = tui_sale_init,
	.done = tui_sale_done,
	.enter = tui_sale_enter,
	.draw = tui_sale_draw,
	.input = tui_sale_input,
};

/* ---- the payment screen ---- */

/* The sale screen's state is made first (TUI_SALE < TUI_PAY). */
static void *
tui_pay_init(struct tui *t)
{
	struct tui_pay *pay = xcalloc(1, sizeof *pay);

	pay->sale = t->data[TUI_SALE];
	return pay;
}

static void
tui_pay_enter(struct tui *t, void *data)
{
	struct tui_pay *pay = data;
	struct tui_sale *s = pay->sale;

	(void)t;
	s->cart.npays = 0;
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
	struct tui_sale *s = pay->sale;
	struct sale_request req;
	struct sale_item *items;
	struct ledger_entry e;
	char *cause = NULL;
	int rc;

	items = xcalloc(s->cart.n, sizeof *items);
	for (size_t i = 0; i < s->cart.n; i++) {
		items[i].item = s->cart.lines[i].p.code;
		items[i].qty = s->cart.lines[i].qty;
	}
	memset(&req, 0, sizeof req);
	req.user = t->user;
	req.items = items;
	req.nitems = s->cart.n;
	req.pays = s->cart.pays;
	req.npays = s->cart.npays;
	req.discount = s->cart.discount;
	rc = sale_sell(t->st, &req, &e, &cause);
	free(items);
	if (rc != POS_OK) {
		tui_cause(t, _("The sale was not saved"), cause);
		return;
	}
	s->have_last = true;
	snprintf(s->last_receipt, sizeof s->last_receipt, "%s", e.receipt);
	s->last_total = e.total;
	s->last_change = e.change;
	tui_after_sale(t, &e);
	ledger_entry_free(&e);
	tui_cart_clear(&s->cart);
	s->cart_sel = 0;
	s->cart_focus = false;
	tui_edit_clear(&s->find);
	tui_go(t, TUI_SALE);
	tui_msg(t, false, _("Sale %s saved."), s->last_receipt);
}

/* Enter: take the amount typed (or what is still due); Enter again confirms. */
static void
tui_pay_enter_key(struct tui *t, void *data)
{
	struct tui_pay *pay = data;
	struct tui_sale *s = pay->sale;
	int64_t due = tui_cart_due(&s->cart), paid = tui_cart_paid(&s->cart);
	int64_t amount;

	if (pay->amount.len == 0) {
		if (paid >= due && s->cart.npays > 0) {
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
	if (s->cart.npays == TUI_MAX_PAYS) {
		tui_msg(t, true, "%s", _("No more payments can be added."));
		return;
	}
	s->cart.pays[s->cart.npays].method = tui_pay_methods[pay->method];
	s->cart.pays[s->cart.npays].amount = amount;
	s->cart.npays++;
	tui_edit_clear(&pay->amount);
}

static void
tui_pay_undo(struct tui *t, void *data)
{
	struct tui_pay *pay = data;
	struct tui_sale *s = pay->sale;

	(void)t;
	if (s->cart.npays > 0)
		s->cart.npays--;
}

static void
tui_pay_back(struct tui *t, void *data)
{
	struct tui_pay *pay = data;
	struct tui_sale *s = pay->sale;

	s->cart.npays = 0;
	tui_go(t, TUI_SALE);
}

static void
tui_pay_input(struct tui *t, void *data, bool fkey, wint_t ch)
{
	struct tui_pay *pay = data;

	(void)t;
	if (tui_key_is(ch, fkey, KEY_LEFT))
		pay->method = (pay->method + TUI_NMETHODS - 1) % TUI_NMETHODS;
	else if (tui_key_is(ch, fkey, KEY_RIGHT))
		pay->method = (pay->method + 1) % TUI_NMETHODS;
	else
		tui_edit_key(&pay->amount, fkey, ch);
}

static void
tui_pay_draw(struct tui *t, void *data)
{
	struct tui_pay *pay = data;
	struct tui_sale *s = pay->sale;
	int top = tui_content_top(), half = COLS / 2, y, x;
	int64_t due = tui_cart_due(&s->cart), paid = tui_cart_paid(&s->cart);
	bool covered = paid >= due && s->cart.npays > 0;
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
	for (size_t i = 0; i < s->cart.npays; i++) {
		int k = strcmp(s->cart.pays[i].method, "card") == 0 ? 1 :
		    strcmp(s->cart.pays[i].method, "other") == 0 ? 2 : 0;

		tui_putf(t, y + 1 + (int)i, 3, 40, A_NORMAL, TUI_LEFT, "%zu. %s",
		    i + 1, _(tui_pay_labels[k]));
		tui_put(t, y + 1 + (int)i, 20, 24, tui_money(t,
		    s->cart.pays[i].amount, m, sizeof m), A_NORMAL, TUI_RIGHT);
	}
	if (s->cart.npays == 0)
		tui_put(t, y + 1, 3, 40, _("(none yet)"), tui_attr(t, TUI_A_DIM),
		    TUI_LEFT);
	y = top + 8 + (s->cart.npays > 0 ? (int)s->cart.npays : 1);
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
