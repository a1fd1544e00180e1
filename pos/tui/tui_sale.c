/*
 * The sale screen: the product search, the cart (tui_cart.c) and the
 * parked sales, which live in this process only. After a sale the panel
 * shows the committed entry's receipt and change, not the cart's sums.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "money.h"
#include "tui_int.h"
#include "tui_search.h"
#include "tui_text.h"
#include "xalloc.h"

#define TUI_MAX_PARKED	9

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

/* Right panel width on the sale screen. */
#define TUI_PANEL_W 28

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

struct tui_cart *
tui_sale_cart(struct tui *t)
{
	struct tui_sale *s = t->data[TUI_SALE];

	return &s->cart;
}

void
tui_sale_committed(struct tui *t, const struct ledger_entry *e)
{
	struct tui_sale *s = t->data[TUI_SALE];

	s->have_last = true;
	snprintf(s->last_receipt, sizeof s->last_receipt, "%s", e->receipt);
	s->last_total = e->total;
	s->last_change = e->change;
	tui_cart_clear(&s->cart);
	s->cart_sel = 0;
	s->cart_focus = false;
	tui_edit_clear(&s->find);
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
	tui_amount(t, v, big, sizeof big);
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
tui_sale_draw_cart(struct tui *t, const struct tui_sale *s, int y, int w, int rows)
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
		    tui_cart_line_total(l), m2, sizeof m2), a, TUI_RIGHT);
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
	tui_sale_draw_cart(t, s, top + 1 + nres, COLS, bottom - (top + 1 + nres));
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
	{ KEY_F(7), 'W', 0, N_("recall"), tui_sale_recall },
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
