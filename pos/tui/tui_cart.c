/*
 * The cart: what the attendant has rung up so far, shared by the sale
 * screen (which owns it) and the payment screen. Line totals come from
 * money_mul_qty, the same rounding sale_sell uses, but sale_sell alone
 * decides what the sale comes to.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "money.h"
#include "tui_int.h"
#include "xalloc.h"

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

int64_t
tui_cart_line_total(const struct tui_cart_line *l)
{
	int64_t v;

	return money_mul_qty(l->p.price, l->qty, &v) == 0 ? v : 0;
}

static int64_t
tui_cart_gross(const struct tui_cart *c)
{
	int64_t sum = 0;

	for (size_t i = 0; i < c->n; i++)
		sum += tui_cart_line_total(&c->lines[i]);
	return sum;
}

int64_t
tui_cart_due(const struct tui_cart *c)
{
	return tui_cart_gross(c) - c->discount;
}

int64_t
tui_cart_paid(const struct tui_cart *c)
{
	int64_t sum = 0;

	for (size_t i = 0; i < c->npays; i++)
		sum += c->pays[i].amount;
	return sum;
}

/* The same product twice is one line, as in sale_sell. */
size_t
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

void
tui_cart_remove(struct tui_cart *c, size_t i)
{
	catalog_product_clear(&c->lines[i].p);
	memmove(&c->lines[i], &c->lines[i + 1], (c->n - i - 1) *
	    sizeof *c->lines);
	c->n--;
}
