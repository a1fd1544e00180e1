/*
 * Numbers and words on the raster receipt, at 58 and 80 mm, with 0 and 2
 * decimals, Western and Arabic-Indic digits, Arabic and English labels:
 *
 * - a double-size total of 999,999,999,999 and 9,999,999,999,999 is
 *   printed whole: one line, inside the paper, and its ink is exactly the
 *   ink of the same amount drawn alone at the size the receipt chose (a
 *   clipped amount loses ink, a hyphen or a wrap adds or moves it);
 * - the label ("الإجمالي", "TOTAL", "المستحق حالياً") is one unbroken
 *   line, its ink again that of the label alone (no hyphen);
 * - a quantity line ("0.75 كغ × 2,000 ل.س") is one line, never broken,
 *   with the quantity and its unit together at the start (the right edge
 *   of an Arabic line);
 * - a word too wide for the paper is not broken, and a paragraph does not
 *   end with a lone word.
 *
 * Where each piece went is read from render_boxes(); what was drawn there
 * is checked on the pixels, which is how Arabic-Indic digits (which OCR
 * cannot read) are checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "document.h"
#include "money.h"
#include "render.h"
#include "xalloc.h"

#define FSI	"\xe2\x81\xa8"
#define PDI	"\xe2\x81\xa9"
#define NBSP	"\xc2\xa0"

static const int	dots[] = { RENDER_DOTS_58MM, RENDER_DOTS_80MM };

struct sheet {
	struct render_bitmap	*bm;
	struct render_box	*box;
	size_t			 n;
	int			 height;
};

static void
sheet_make(struct sheet *s, const struct doc *d, int width, int px)
{
	struct render_opts	 o = { width, 0, px, 0 };
	char			*cause = NULL;

	if (render_boxes(d, &o, &s->box, &s->n, &s->height, &cause) != 0)
		fail_msg("render_boxes: %s", cause);
	if (render_bitmap(d, &o, &s->bm, &cause) != 0)
		fail_msg("render_bitmap: %s", cause);
	assert_int_equal(s->height, s->bm->height);
}

static void
sheet_free(struct sheet *s)
{
	render_bitmap_free(s->bm);
	free(s->box);
}

static const struct render_box *
box(const struct sheet *s, size_t item, int part)
{
	size_t	i;

	for (i = 0; i < s->n; i++) {
		if (s->box[i].item == item && s->box[i].part == part)
			return &s->box[i];
	}
	fail_msg("no box for item %zu part %d", item, part);
	abort();
}

/* Ink dots in [x0, x1) x [y0, y1) of bm. */
static long
ink_in(const struct render_bitmap *bm, int x0, int y0, int x1, int y1)
{
	long	n = 0;
	int	x, y;

	for (y = y0; y < y1; y++) {
		for (x = x0; x < x1; x++)
			n += render_bitmap_get(bm, x, y);
	}
	return n;
}

/*
 * Ink of text drawn alone, at px dots, with flags, on a wide sheet, in its
 * rows from h/4 to h (as ink_whole() counts).
 */
static long
ink_alone(const char *text, int flags, int px, int h)
{
	struct doc		*d = doc_new();
	struct render_opts	 o = { 2048, 0, px, 0 };
	struct render_bitmap	*bm;
	char			*cause = NULL;
	long			 n;

	doc_text(d, (flags & ~(DOC_ALIGN_MASK | DOC_DOUBLE)) | DOC_LEFT, text);
	if (render_bitmap(d, &o, &bm, &cause) != 0)
		fail_msg("render_bitmap: %s", cause);
	n = ink_in(bm, 0, h / 4, bm->width, h);
	render_bitmap_free(bm);
	doc_free(d);
	return n;
}

/*
 * The box b of s holds exactly text drawn alone at the box's size: the
 * same ink, within antialiasing (1%), inside the paper, on one line. The
 * top quarter of the box is left out, where the descenders of the line
 * above may reach (lines are set tight).
 */
static void
assert_whole(const struct sheet *s, const struct render_box *b,
    const char *text, int flags)
{
	long	got, want;

	assert_int_equal(b->lines, 1);
	assert_int_equal(b->broken, 0);
	assert_true(b->x >= 0);
	assert_true(b->x + b->w <= s->bm->width);
	got = ink_in(s->bm, b->x, b->y + b->h / 4, b->x + b->w, b->y + b->h);
	want = ink_alone(text, flags, b->px, b->h);
	if (labs(got - want) * 100 > want)
		fail_msg("\"%s\" at %d dots: %ld ink dots, alone %ld", text,
		    b->px, got, want);
}

/* "1,234.00 SYM" as the slips write amounts, sep between. Caller frees. */
static char *
amount_sep(int64_t units, int decimals, enum config_digits digits,
    const char *symbol, const char *sep)
{
	char	num[96];
	int64_t	v = units;
	int	i;

	for (i = 0; i < decimals; i++)
		v *= 10;
	money_display(v, decimals, digits, num, sizeof num);
	return xasprintf("%s%s%s", num, sep, symbol);
}

static char *
amount(int64_t units, int decimals, enum config_digits digits,
    const char *symbol)
{
	return amount_sep(units, decimals, digits, symbol, " ");
}

static void
check_total(const char *label, int dir, const char *amt, int width)
{
	struct doc		*d = doc_new();
	struct sheet		 s;
	const struct render_box	*lb, *ab;
	int			 flags = DOC_BOLD | DOC_DOUBLE | dir;

	doc_separator(d);
	doc_row(d, flags, label, amt);
	doc_separator(d);
	sheet_make(&s, d, width, 0);
	lb = box(&s, 1, RENDER_PART_TEXT);
	ab = box(&s, 1, RENDER_PART_AMOUNT);
	assert_whole(&s, ab, amt, flags);
	assert_whole(&s, lb, label, flags);
	/* Never smaller than needed: body size, or one step (7/8) larger
	 * would not have fitted the paper. */
	assert_true(ab->px >= RENDER_FONT_PX || ab->w * 8 / 7 > width - 8);
	/* Beside each other, or the amount under the label. */
	if (ab->y < lb->y + lb->h)
		assert_true(ab->x + ab->w <= lb->x || lb->x + lb->w <= ab->x);
	sheet_free(&s);
	doc_free(d);
}

static void
total_is_whole_at_both_widths(void **state)
{
	static const int64_t	 units[] = { 999999999999LL, 9999999999999LL };
	static const struct {
		const char	*label;
		int		 dir;
		const char	*symbol;
	} labels[] = {
		{ "الإجمالي", DOC_RTL, "ل.س" },
		{ "TOTAL", 0, "SYP" },
		{ "المستحق حالياً", DOC_RTL, "ل.س" },
	};
	size_t			 w, u, l;
	int			 dec, dig;
	char			*a;

	(void)state;
	for (w = 0; w < 2; w++)
		for (u = 0; u < 2; u++)
			for (l = 0; l < 3; l++)
				for (dec = 0; dec <= 2; dec += 2)
					for (dig = 0; dig < 2; dig++) {
		a = amount(units[u], dec, dig, labels[l].symbol);
		check_total(labels[l].label, labels[l].dir, a, dots[w]);
		free(a);
	}
}

static void
quantity_line_is_one_unit(void **state)
{
	static const char	*units[] = { "", NBSP "كغ" };
	struct doc		*d, *q;
	struct sheet		 s, qs;
	const struct render_box	*b;
	size_t			 w, k;
	int			 dec, dig, x0, x1;
	char			*price, *qty, *left, *total;
	char			 n[96];

	(void)state;
	for (w = 0; w < 2; w++)
		for (k = 0; k < 2; k++)
			for (dec = 0; dec <= 2; dec += 2)
				for (dig = 0; dig < 2; dig++) {
		money_display(750, 3, dig, n, sizeof n);
		qty = xasprintf("%s%s", n, units[k]);
		price = amount_sep(999999999, dec, dig, "ل.س", NBSP);
		left = xasprintf(FSI "%s" PDI NBSP "×" NBSP FSI "%s" PDI, qty,
		    price);
		total = amount(749999999, dec, dig, "ل.س");
		d = doc_new();
		doc_row(d, DOC_RTL, left, total);
		sheet_make(&s, d, dots[w], 0);
		b = box(&s, 0, RENDER_PART_TEXT);
		assert_int_equal(b->lines, 1);
		assert_int_equal(b->broken, 0);
		assert_true(b->x >= 0 && b->x + b->w <= dots[w]);
		/* The quantity and unit end the line at its right. */
		q = doc_new();
		doc_text(q, DOC_RTL, qty);
		sheet_make(&qs, q, dots[w], b->px);
		x1 = b->x + b->w;
		x0 = x1 - (box(&qs, 0, RENDER_PART_TEXT)->w);
		assert_true(labs(ink_in(s.bm, x0, b->y, x1, b->y + b->h) -
		    ink_in(qs.bm, 0, 0, dots[w], qs.bm->height)) * 50 <=
		    ink_in(qs.bm, 0, 0, dots[w], qs.bm->height));
		sheet_free(&qs);
		doc_free(q);
		sheet_free(&s);
		doc_free(d);
		free(qty);
		free(price);
		free(left);
		free(total);
	}
}

static void
wide_word_shrinks_instead_of_breaking(void **state)
{
	struct doc		*d = doc_new();
	struct sheet		 s;
	const struct render_box	*b;

	(void)state;
	doc_text(d, DOC_START, "Supercalifragilisticexpialidocious-soap");
	doc_text(d, DOC_START | DOC_DOUBLE, "استلمت بالكامل والمستحقات");
	sheet_make(&s, d, RENDER_DOTS_58MM, 0);
	b = box(&s, 0, RENDER_PART_TEXT);
	assert_int_equal(b->broken, 0);
	assert_int_equal(b->lines, 1);
	assert_true(b->px < RENDER_FONT_PX);
	b = box(&s, 1, RENDER_PART_TEXT);
	assert_int_equal(b->broken, 0);
	sheet_free(&s);
	doc_free(d);
}

/* Columns x0..x1 of the ink in rows [y0, y1) of bm; x1 < x0 if none. */
static void
ink_span(const struct render_bitmap *bm, int y0, int y1, int *x0, int *x1)
{
	int	x, y;

	*x0 = bm->width;
	*x1 = -1;
	for (y = y0; y < y1; y++) {
		for (x = 0; x < bm->width; x++) {
			if (render_bitmap_get(bm, x, y)) {
				if (x < *x0)
					*x0 = x;
				if (x > *x1)
					*x1 = x;
			}
		}
	}
}

static void
paragraph_never_ends_with_a_lone_word(void **state)
{
	/* Greedy wrapping would leave "حالياً" alone on the last line. */
	const char		*text = "المبلغ المستحق للمنتج عن المبيعات حالياً";
	struct doc		*d, *o;
	struct sheet		 s, one;
	const struct render_box	*b;
	size_t			 w;
	int			 x0, x1, lone;

	(void)state;
	for (w = 0; w < 2; w++) {
		d = doc_new();
		doc_text(d, DOC_START | DOC_DOUBLE, text);
		sheet_make(&s, d, dots[w], 0);
		b = box(&s, 0, RENDER_PART_TEXT);
		assert_int_equal(b->broken, 0);
		assert_true(b->lines >= 2);
		o = doc_new();
		doc_text(o, DOC_START | DOC_DOUBLE, "حالياً");
		sheet_make(&one, o, dots[w], b->px / 2);
		lone = box(&one, 0, RENDER_PART_TEXT)->w;
		/* The last line holds more than the lone word. */
		ink_span(s.bm, b->y + b->h - b->h / b->lines + 4,
		    b->y + b->h - 4, &x0, &x1);
		assert_true(x1 - x0 > lone * 3 / 2);
		sheet_free(&one);
		doc_free(o);
		sheet_free(&s);
		doc_free(d);
	}
}

static int
teardown(void **state)
{
	(void)state;
	render_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(total_is_whole_at_both_widths),
		cmocka_unit_test(quantity_line_is_one_unit),
		cmocka_unit_test(wide_word_shrinks_instead_of_breaking),
		cmocka_unit_test(paragraph_never_ends_with_a_lone_word),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
