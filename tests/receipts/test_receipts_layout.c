/*
 * Column layout: widths with wcwidth semantics, word wrap at 32/42/48
 * columns for Latin and Arabic, rows whose amount is never wrapped or cut
 * (a double one drops to double height), no lone last word,
 * alignment of "start" paragraphs, and document sanitising.
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
#include "layout.h"
#include "render.h"
#include "xalloc.h"

static const int	widths[] = { 32, 42, 48 };

static const char	*latin = "Handmade olive oil soap from the old city "
			    "of Aleppo, laurel oil twenty percent, "
			    "supercalifragilistic bar";
static const char	*arabic = "صابون غار حلبي طبيعي مصنوع يدوياً من "
			    "زيت الزيتون وزيت الغار عائلة الحلبي في حلب "
			    "القديمة أم محمد";

/* The words of s joined by single spaces (what wrapping must preserve). */
static char *
words(const char *s)
{
	char	*out = xmalloc(strlen(s) + 1), *o = out;
	int	 space = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ') {
			space = o != out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* Lines of item 0 of l joined with spaces. */
static char *
rejoin(const struct layout *l)
{
	size_t	i, len = 0, used;
	char	*out;

	for (i = 0; i < l->n; i++)
		len += strlen(l->lines[i].text) + 1;
	out = xcalloc(1, len + 1);
	for (i = 0, used = 0; i < l->n; i++)
		used += (size_t)snprintf(out + used, len + 1 - used, "%s%s",
		    i > 0 ? " " : "", l->lines[i].text);
	return out;
}

static void
widths_are_wcwidth_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(layout_width("abc"), 3);
	assert_int_equal(layout_width("مرحبا"), 5);		/* 10 bytes */
	assert_int_equal(layout_width("شُكْراً"), 4);		/* marks are 0 */
	assert_int_equal(layout_width("e\xcc\x81"), 1);	/* e + U+0301 */
	assert_int_equal(layout_width("中文"), 4);		/* wide */
	assert_int_equal(layout_width(""), 0);
}

static void
check_wrap(const char *text, int cols)
{
	struct doc	*d = doc_new();
	struct layout	*l;
	char		*got, *want;
	size_t		 i;

	doc_text(d, DOC_LEFT, text);
	l = layout_doc(d, 0, doc_count(d), cols, 0);
	assert_true(l->n >= 2);
	for (i = 0; i < l->n; i++) {
		assert_true(l->lines[i].width <= cols);
		assert_int_equal(l->lines[i].width,
		    layout_width(l->lines[i].text));
		assert_true(l->lines[i].text[0] != ' ');
		/* Greedy: the next line's first word did not fit here. */
		if (i + 1 < l->n && strchr(l->lines[i + 1].text, ' ') != NULL) {
			size_t	n = (size_t)(strchr(l->lines[i + 1].text,
			    ' ') - l->lines[i + 1].text);
			char	*w = xstrndup(l->lines[i + 1].text, n);

			assert_true(l->lines[i].width + 1 + layout_width(w) >
			    cols);
			free(w);
		}
	}
	got = rejoin(l);
	want = words(text);
	assert_string_equal(got, want);
	free(got);
	free(want);
	layout_free(l);
	doc_free(d);
}

static void
wrap_latin_and_arabic_at_32_42_48(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		check_wrap(latin, widths[i]);
		check_wrap(arabic, widths[i]);
	}
}

static void
long_word_is_broken_between_characters(void **state)
{
	struct doc	*d = doc_new();
	struct layout	*l;

	(void)state;
	doc_text(d, DOC_LEFT, "ابجدهوزحطيكلمنسعفصقرشتثخذضظغ");	/* 28 */
	l = layout_doc(d, 0, 1, 10, 0);
	assert_int_equal(l->n, 3);
	assert_int_equal(l->lines[0].width, 10);
	assert_int_equal(l->lines[1].width, 10);
	assert_int_equal(l->lines[2].width, 8);
	assert_string_equal(l->lines[0].text, "ابجدهوزحطي");
	layout_free(l);
	doc_free(d);
}

/*
 * The amount is whole on one line: it ends the first line (which is
 * full), or, when the words beside it would leave a lone word on the last
 * line, it is alone on the last line. No other line holds it, and no line
 * of text is wider than its room.
 */
static void
check_row(const char *left, const char *amount, int cols)
{
	struct doc	*d = doc_new();
	struct layout	*l;
	const char	*first;
	size_t		 i, al = strlen(amount), fl;

	doc_row(d, 0, left, amount);
	l = layout_doc(d, 0, 1, cols, 0);
	first = l->lines[0].text;
	fl = strlen(first);
	if (l->n > 1 && strcmp(l->lines[l->n - 1].text, amount) == 0) {
		assert_int_equal(l->lines[l->n - 1].align, DOC_RIGHT);
		for (i = 0; i + 1 < l->n; i++) {
			assert_true(l->lines[i].width <= cols);
			assert_null(strstr(l->lines[i].text, amount));
		}
		if (l->n > 2)	/* no lone word before the amount */
			assert_non_null(strchr(l->lines[l->n - 2].text, ' '));
	} else {
		assert_true(fl >= al);
		assert_string_equal(first + fl - al, amount);
		assert_int_equal(l->lines[0].width, cols);
		for (i = 1; i < l->n; i++) {
			assert_true(l->lines[i].width <=
			    cols - layout_width(amount) - 1);
			assert_null(strstr(l->lines[i].text, amount));
		}
	}
	layout_free(l);
	doc_free(d);
}

static void
row_amount_never_wraps_or_truncates(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		check_row(latin, "1,250,000", widths[i]);
		check_row(arabic, "1,250,000 ل.س.", widths[i]);
		check_row("زيت", "١٬٢٣٤ ل.س.", widths[i]);
		check_row("", "5", widths[i]);
	}
}

static void
row_amount_wider_than_line_goes_alone(void **state)
{
	struct doc	*d = doc_new();
	struct layout	*l;
	const char	*amount = "123,456,789,012,345,678,901,234,567,890 SYP";

	(void)state;
	doc_row(d, 0, "Total", amount);
	l = layout_doc(d, 0, 1, 32, 0);
	assert_int_equal(l->n, 2);
	assert_string_equal(l->lines[0].text, "Total");
	assert_string_equal(l->lines[1].text, amount);	/* not cut */
	assert_int_equal(l->lines[1].align, DOC_RIGHT);
	layout_free(l);
	doc_free(d);
}

/*
 * ESC/POS text mode: a double-size total that does not fit half the
 * columns is printed double height at full width (GS ! 0x01), whole; a
 * label word that cannot sit beside the amount is not broken, the amount
 * goes under it.
 */
static void
double_row_drops_to_double_height_never_cut(void **state)
{
	const char		*big = "999,999,999,999.00 SYP";	/* 22 */
	struct doc		*d = doc_new();
	struct layout		*l;
	struct render_opts	 o = { RENDER_DOTS_58MM, 32, 0, 0 };
	unsigned char		*out;
	size_t			 len, i;
	char			*cause = NULL;
	int			 tall = 0;

	(void)state;
	doc_row(d, DOC_DOUBLE | DOC_BOLD, "TOTAL", big);
	doc_row(d, DOC_DOUBLE | DOC_BOLD, "TOTAL", "1,500 SYP");
	doc_row(d, 0, "Supercalifragilistic", big);
	l = layout_doc(d, 0, doc_count(d), 32, LAYOUT_HALVE_DOUBLE);
	assert_int_equal(l->n, 4);
	assert_int_equal(l->lines[0].size, LAYOUT_TALL);
	assert_int_equal(l->lines[0].columns, 32);
	assert_string_equal(l->lines[0].text + strlen(l->lines[0].text) -
	    strlen(big), big);
	assert_int_equal(l->lines[1].size, LAYOUT_DOUBLE);
	assert_int_equal(l->lines[1].columns, 16);
	assert_string_equal(l->lines[2].text, "Supercalifragilistic");
	assert_string_equal(l->lines[3].text, big);
	assert_int_equal(l->lines[3].align, DOC_RIGHT);
	layout_free(l);

	assert_int_equal(render_doc(d, RENDER_ESCPOS, &o, &out, &len, &cause),
	    0);
	for (i = 0; i + 3 < len; i++)
		tall += memcmp(out + i, "\x1d\x21\x01", 3) == 0 &&
		    memcmp(out + i + 3, "TOTAL", 5) == 0;
	assert_int_equal(tall, 1);
	free(out);
	doc_free(d);
}

/* No lone word on the last line of a wrapped paragraph. */
static void
no_lone_last_word(void **state)
{
	struct doc	*d = doc_new();
	struct layout	*l;

	(void)state;
	/* Greedy at 20: "Owed to the producer" / "now". */
	doc_text(d, DOC_LEFT, "Owed to the producer now");
	l = layout_doc(d, 0, 1, 20, 0);
	assert_int_equal(l->n, 2);
	assert_non_null(strchr(l->lines[1].text, ' '));
	layout_free(l);
	doc_free(d);
}

static void
start_alignment_follows_paragraph_direction(void **state)
{
	struct doc	*d = doc_new();
	struct layout	*l;

	(void)state;
	doc_text(d, DOC_START, "مرحبا Hello");
	doc_text(d, DOC_START, "Hello مرحبا");
	doc_text(d, DOC_START, "1,250 ل.س.");	/* digits are weak */
	doc_text(d, DOC_START | DOC_RTL, "Hello");
	doc_text(d, DOC_CENTER, "مرحبا");
	l = layout_doc(d, 0, doc_count(d), 32, 0);
	assert_int_equal(l->n, 5);
	assert_int_equal(l->lines[0].align, DOC_RIGHT);
	assert_int_equal(l->lines[1].align, DOC_LEFT);
	assert_int_equal(l->lines[2].align, DOC_RIGHT);
	assert_int_equal(l->lines[3].align, DOC_RIGHT);
	assert_int_equal(l->lines[4].align, DOC_CENTER);
	layout_free(l);
	doc_free(d);
}

static void
double_size_halves_columns_for_escpos(void **state)
{
	struct doc	*d = doc_new();
	struct layout	*l;

	(void)state;
	doc_text(d, DOC_DOUBLE, "ONE TWO THREE FOUR FIVE SIX");	/* 27 */
	l = layout_doc(d, 0, 1, 32, LAYOUT_HALVE_DOUBLE);
	assert_int_equal(l->n, 2);
	assert_int_equal(l->lines[0].columns, 16);
	assert_string_equal(l->lines[0].text, "ONE TWO THREE");
	layout_free(l);
	l = layout_doc(d, 0, 1, 32, 0);
	assert_int_equal(l->n, 1);
	layout_free(l);
	doc_free(d);
}

static void
separator_feed_and_cut_lines(void **state)
{
	struct doc	*d = doc_new();
	struct layout	*l;

	(void)state;
	doc_separator(d);
	doc_feed(d, 2);
	doc_cut(d);
	l = layout_doc(d, 0, doc_count(d), 42, 0);
	assert_int_equal(l->n, 3);
	assert_int_equal(l->lines[0].width, 42);
	assert_int_equal((int)strspn(l->lines[0].text, "-"), 42);
	assert_string_equal(l->lines[1].text, "");
	assert_string_equal(l->lines[2].text, "");
	layout_free(l);
	doc_free(d);
}

static void
text_is_sanitised_on_entry(void **state)
{
	struct doc	*d = doc_new();

	(void)state;
	doc_text(d, 0, "a\x1b@b\ncd\xff\xc0\xafz");
	doc_row(d, 0, NULL, "\x1dV");
	assert_string_equal(doc_item(d, 0)->text,
	    "a @b cd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdz");
	assert_string_equal(doc_item(d, 1)->text, "");
	assert_string_equal(doc_item(d, 1)->right, " V");
	assert_null(doc_item(d, 2));
	doc_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(widths_are_wcwidth_not_bytes),
		cmocka_unit_test(wrap_latin_and_arabic_at_32_42_48),
		cmocka_unit_test(long_word_is_broken_between_characters),
		cmocka_unit_test(row_amount_never_wraps_or_truncates),
		cmocka_unit_test(row_amount_wider_than_line_goes_alone),
		cmocka_unit_test(double_row_drops_to_double_height_never_cut),
		cmocka_unit_test(no_lone_last_word),
		cmocka_unit_test(start_alignment_follows_paragraph_direction),
		cmocka_unit_test(double_size_halves_columns_for_escpos),
		cmocka_unit_test(separator_feed_and_cut_lines),
		cmocka_unit_test(text_is_sanitised_on_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
