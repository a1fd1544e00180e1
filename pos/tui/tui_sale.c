/*
 * The sale screen: the product search, the cart (tui_cart.c) and the
 * parked sales, kept in the store (parked.c) so that a log-out or a
 * restart loses none. After a sale the panel
 * shows the committed entry's receipt and change, not the cart's sums.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "money.h"
#include "parked.h"
#include "tui_int.h"
#include "tui_search.h"
#include "tui_text.h"
#include "xalloc.h"

#define TUI_MAX_PARKED	99

/* The sale screen's state: the search line, the cart and the parked sales. */
struct tui_sale {
	struct tui_edit		 find;
	struct tui_search	 search;
	bool			 cart_focus;
	struct tui_cart		 cart;
	size_t			 cart_sel;
	size_t			 nparked;	/* in the store, read on enter */
	struct parked_sale	*plist;		/* shown while recalling; owned */
	size_t			 nplist;
	bool			 show_parked;
	bool			 pulled;	/* master data ever pulled */
	bool			 picked;	/* the highlight was moved with the arrows */
	bool			 have_last;	/* the last sale's figures are shown */
	char			 last_receipt[LEDGER_MAX_RECEIPT];
	int64_t			 last_total, last_change;
};

static void tui_sale_count_parked(struct tui *, struct tui_sale *);

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
	parked_free(s->plist, s->nplist);
	tui_search_free(&s->search);
	free(s);
}

bool
tui_sale_busy(const struct tui *t)
{
	const struct tui_sale *s = t->data[TUI_SALE];

	return s->cart.n > 0;
}

size_t
tui_sale_parked(struct tui *t)
{
	struct tui_sale *s = t->data[TUI_SALE];

	tui_sale_count_parked(t, s);
	return s->nparked;
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
	s->picked = false;
}

static void
tui_sale_search(struct tui *t, struct tui_sale *s)
{
	char *cause = NULL;

	if (tui_search_update(&s->search, s->find.s, &cause) != POS_OK)
		tui_cause(t, _("Search"), cause);
}

static void
tui_sale_count_parked(struct tui *t, struct tui_sale *s)
{
	char *cause = NULL;

	if (parked_count(t->st, &s->nparked, &cause) != POS_OK)
		tui_cause(t, _("Parked sales"), cause);
}

/* False, with the reason shown, while no day is open: nothing can be sold. */
static bool
tui_sale_day_open(struct tui *t)
{
	tui_day_refresh(t);
	if (t->day_open)
		return true;
	tui_msg(t, true, "%s", _("No day is open: nothing can be sold. F8 "
	    "opens the day."));
	return false;
}

/* The search starts empty; a sale rung up stays. */
static void
tui_sale_enter(struct tui *t, void *data)
{
	struct tui_sale *s = data;

	s->show_parked = false;
	s->pulled = tui_master_pulled(t);
	tui_edit_clear(&s->find);
	tui_sale_search(t, s);
	tui_sale_count_parked(t, s);
	if (t->msg[0] == '\0' || !t->msg_error)
		(void)tui_sale_day_open(t);
}

static void
tui_sale_open_day(struct tui *t, void *data)
{
	(void)data;
	tui_reports_open_day(t);
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

	if (!tui_sale_day_open(t)) {
		tui_edit_clear(&s->find);
		tui_sale_search(t, s);
		return;
	}
	/* An Enter too many (after a sale) adds nothing. */
	if (s->find.len == 0 && !s->picked) {
		tui_msg(t, true, "%s", _("Type a code, a barcode or a name, or "
		    "pick a product with the arrows."));
		return;
	}
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
		s->picked = false;
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
	char q[64], label[256], err[96];
	int64_t qty;

	if (s->cart.n == 0) {
		tui_msg(t, true, "%s", _("The cart is empty."));
		return;
	}
	l = &s->cart.lines[s->cart_sel];
	tui_qty(t, l->qty, q, sizeof q);
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
	if (!tui_sale_day_open(t))
		return;
	tui_go(t, TUI_PAY);
}

/* Park the cart in the store under a name (a customer's or a note). */
static void
tui_sale_park(struct tui *t, void *data)
{
	struct tui_sale *s = data;
	struct parked_line *lines;
	struct tui_edit name;
	struct tm tm;
	time_t now = time(NULL);
	char at[8], *cause = NULL;
	int64_t id;
	int rc;

	if (s->cart.n == 0) {
		tui_msg(t, true, "%s", _("The cart is empty."));
		return;
	}
	tui_sale_count_parked(t, s);
	if (s->nparked >= TUI_MAX_PARKED) {
		tui_msg(t, true, _("%d sales are parked already: recall one "
		    "first."), TUI_MAX_PARKED);
		return;
	}
	localtime_r(&now, &tm);
	strftime(at, sizeof at, "%H:%M", &tm);
	tui_edit_set(&name, at);
	if (!tui_ask(t, _("Park as (a customer's name or a note):"), &name,
	    false))
		return;
	if (name.len == 0)
		tui_edit_set(&name, at);
	lines = xcalloc(s->cart.n, sizeof *lines);
	for (size_t i = 0; i < s->cart.n; i++) {
		lines[i].product_code = s->cart.lines[i].p.code;
		lines[i].product_name = s->cart.lines[i].p.name;
		lines[i].qty = s->cart.lines[i].qty;
	}
	rc = parked_save(t->st, name.s, t->user, s->cart.discount, lines,
	    s->cart.n, &id, &cause);
	free(lines);
	if (rc != POS_OK) {
		tui_cause(t, _("Not parked"), cause);
		return;
	}
	tui_cart_clear(&s->cart);
	s->cart_sel = 0;
	s->cart_focus = false;
	tui_sale_count_parked(t, s);
	tui_msg(t, false, _("Sale parked as \"%s\". Parked: %zu."), name.s,
	    s->nparked);
}

/* "2 × Mosaic coaster, 1 × Jam": a parked sale's lines, cut to fit. */
static void
tui_sale_parked_lines(const struct tui *t, const struct parked_sale *p,
    char *buf, size_t len)
{
	char q[64];
	size_t at = 0;
	int n;

	buf[0] = '\0';
	for (size_t i = 0; i < p->nlines && at < len; i++) {
		tui_qty(t, p->lines[i].qty, q, sizeof q);
		n = snprintf(buf + at, len - at, "%s%s × %s", i > 0 ? ", " : "",
		    q, p->lines[i].product_name);
		if (n < 0 || (size_t)n >= len - at)
			break;
		at += (size_t)n;
	}
}

/* Put a parked sale back in the cart (at today's prices) and forget it. */
static void
tui_sale_take(struct tui *t, struct tui_sale *s, const struct parked_sale *p)
{
	struct product found;
	char *cause = NULL;
	size_t missing = 0;

	for (size_t i = 0; i < p->nlines; i++) {
		if (catalog_product_find(t->st, p->lines[i].product_code,
		    &found, &cause) != POS_OK) {
			free(cause);
			cause = NULL;
			missing++;
			continue;
		}
		tui_cart_add(&s->cart, &found, p->lines[i].qty);
		catalog_product_clear(&found);
	}
	s->cart.discount = p->discount;
	if (parked_drop(t->st, p->id, &cause) != POS_OK)
		tui_cause(t, _("Parked sales"), cause);
	else if (missing > 0)
		tui_msg(t, true, _("Sale \"%s\" recalled; %zu of its products "
		    "are no longer in the catalogue."), p->name, missing);
	else
		tui_msg(t, false, _("Sale \"%s\" recalled. Lines: %zu."),
		    p->name, s->cart.n);
	s->cart_sel = s->cart.n > 0 ? s->cart.n - 1 : 0;
	s->have_last = false;
	tui_sale_count_parked(t, s);
}

static void
tui_sale_recall(struct tui *t, void *data)
{
	struct tui_sale *s = data;
	struct tui_edit e;
	char label[128], *end, *cause = NULL;
	long k;

	if (s->cart.n > 0) {
		tui_msg(t, true, "%s", _("Finish or park this sale first."));
		return;
	}
	parked_free(s->plist, s->nplist);
	s->plist = NULL;
	s->nplist = 0;
	if (parked_list(t->st, &s->plist, &s->nplist, &cause) != POS_OK) {
		tui_cause(t, _("Parked sales"), cause);
		return;
	}
	if (s->nplist == 0) {
		tui_msg(t, true, "%s", _("No sale is parked."));
		return;
	}
	s->show_parked = true;
	tui_edit_clear(&e);
	if (s->nplist == 1)
		tui_edit_set(&e, "1");
	snprintf(label, sizeof label, _("Recall which parked sale (1-%zu)?"),
	    s->nplist);
	if (tui_ask(t, label, &e, false)) {
		k = strtol(e.s, &end, 10);
		if (end == e.s || *end != '\0' || k < 1 || (size_t)k > s->nplist)
			tui_msg(t, true, _("No parked sale %s."), e.s);
		else
			tui_sale_take(t, s, &s->plist[k - 1]);
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
		s->picked = !s->cart_focus;
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
	if (tui_edit_type(t, &s->find, fkey, ch)) {
		s->cart_focus = false;
		s->picked = false;
		tui_sale_search(t, s);
	}
}

/* The total (or, after a sale, the change) large, in the right panel. */
static void
tui_sale_panel(struct tui *t, const struct tui_sale *s, int y, int x, int w)
{
	char m[128], big[96], n[64];
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
		tui_putf(t, y + 5, x, w, A_NORMAL, TUI_RIGHT, _("Lines: %s"),
		    tui_count(t, s->cart.n, n, sizeof n));
	if (s->nparked > 0)
		tui_putf(t, y + 6, x, w, A_NORMAL, TUI_RIGHT, _("Parked: %s"),
		    tui_count(t, s->nparked, n, sizeof n));
}

static void
tui_sale_results(struct tui *t, const struct tui_sale *s, int y, int x, int w,
    int rows)
{
	char m[128], price[160];
	size_t first = 0;
	int cw = 12, pw = 16, nw = w - cw - pw - 2;

	if (s->show_parked) {
		for (size_t i = 0; i < s->nplist && (int)i < rows; i++) {
			const struct parked_sale *p = &s->plist[i];
			char lines[512], when[8];

			tui_sale_parked_lines(t, p, lines, sizeof lines);
			store_local_time(&t->cfg, p->parked_at, STORE_TIME_HM, when,
			    sizeof when);
			tui_putf(t, y + (int)i, x, w, A_NORMAL, TUI_LEFT,
			    "%zu) %s %s: %s", i + 1, p->name, when, lines);
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
		tui_put(t, y + r, x + cw + 1, nw - 2, p->name, a, TUI_LEFT);
		tui_put(t, y + r, x + cw + nw, 1, tui_origin_mark(s->pulled,
		    p->central, p->conflict), a, TUI_LEFT);
		tui_put(t, y + r, x + cw + nw + 2, pw, price, a, TUI_RIGHT);
	}
}

static void
tui_sale_draw_cart(struct tui *t, const struct tui_sale *s, int y, int w, int rows)
{
	char q[96], m1[96], m2[96], no[64];
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
	if (!t->day_open && s->cart.n == 0) {
		tui_put(t, y + 1, 4, w - 4, _("No day is open: nothing can be "
		    "sold. F8 opens the day."), tui_attr(t, TUI_A_ERROR),
		    TUI_LEFT);
		return;
	}
	if (s->cart.n == 0) {
		tui_put_wrap(t, y + 1, 4, w - 4, _("Type a code, a barcode or a "
		    "name; Enter adds it. 2*CODE sells 2, 0.5*CODE half a kg."),
		    tui_attr(t, TUI_A_DIM));
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

		tui_qty(t, l->qty, q, sizeof q);
		if (strcmp(l->p.unit, "kg") == 0)
			snprintf(q + strlen(q), sizeof q - strlen(q), " %s",
			    _("kg"));
		tui_put(t, yy, 0, w, "", a, TUI_LEFT);
		tui_put(t, yy, 0, 3, tui_count(t, i + 1, no, sizeof no), a,
		    TUI_RIGHT);
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
	{ KEY_F(8), 'N', 0, N_("open day"), tui_sale_open_day },
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
