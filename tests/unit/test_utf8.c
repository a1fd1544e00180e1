/*
 * utf8.c: one decoder for the program and the two display widths. The
 * decoder and the validator are checked against a plain reference on every
 * two-byte input and on three- and four-byte inputs with a spread of third
 * bytes.
 */
#include <locale.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

/* Well formed as Unicode 3.2 and RFC 3629 say, written out the long way. */
static size_t
reference_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c, min;
	size_t n, i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, c = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, c = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static bool
reference_valid(const unsigned char *s, size_t len)
{
	uint32_t cp;
	size_t i = 0, n;

	while (i < len) {
		if ((n = reference_decode(s + i, len - i, &cp)) == 0)
			return false;
		i += n;
	}
	return true;
}

static void
decode_is(const char *s, size_t want_len, uint32_t want_cp)
{
	uint32_t cp = 0xdeadbeef;

	assert_int_equal(utf8_decode(s, strlen(s), &cp), want_len);
	if (want_len > 0)
		assert_int_equal(cp, want_cp);
	else
		assert_int_equal(cp, 0xdeadbeef);
}

static void
decode_reads_every_length(void **state)
{
	(void)state;
	decode_is("A", 1, 'A');
	decode_is("\x7f", 1, 0x7f);
	decode_is("\xc2\x80", 2, 0x80);
	decode_is("\xd9\x85", 2, 0x645);		/* ARABIC LETTER MEEM */
	decode_is("\xe0\xa0\x80", 3, 0x800);
	decode_is("\xef\xbf\xbd", 3, 0xfffd);
	decode_is("\xf0\x90\x80\x80", 4, 0x10000);
	decode_is("\xf4\x8f\xbf\xbf", 4, 0x10ffff);
	decode_is("\xd9\x85rest", 2, 0x645);	/* only the first */
}

static void
decode_refuses_what_names_no_character(void **state)
{
	uint32_t cp;

	(void)state;
	decode_is("\xc0\xaf", 0, 0);		/* overlong '/' */
	decode_is("\xc1\xbf", 0, 0);
	decode_is("\xe0\x9f\xbf", 0, 0);	/* overlong U+07FF */
	decode_is("\xf0\x8f\xbf\xbf", 0, 0);	/* overlong U+FFFF */
	decode_is("\xed\xa0\x80", 0, 0);	/* surrogate U+D800 */
	decode_is("\xed\xbf\xbf", 0, 0);	/* surrogate U+DFFF */
	decode_is("\xf4\x90\x80\x80", 0, 0);	/* U+110000 */
	decode_is("\xf5\x80\x80\x80", 0, 0);
	decode_is("\xf8\x88\x80\x80\x80", 0, 0);	/* five bytes */
	decode_is("\x80", 0, 0);		/* a continuation alone */
	decode_is("\xbf", 0, 0);
	decode_is("\xff", 0, 0);
	decode_is("\xd9", 0, 0);		/* cut short */
	decode_is("\xe2\x82", 0, 0);
	decode_is("\xf0\x9f\x98", 0, 0);
	decode_is("\xd9" "A", 0, 0);		/* not a continuation */
	/* The length given is a limit even before a NUL. */
	assert_int_equal(utf8_decode("\xd9\x85", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xe2\x82\xac", 2, &cp), 0);
	assert_int_equal(utf8_decode("A", 0, &cp), 0);
	assert_int_equal(utf8_decode("\0", 1, &cp), 1);
	assert_int_equal(cp, 0);
}

static void
decode_agrees_with_the_reference_on_short_inputs(void **state)
{
	static const unsigned char third[] = { 0x00, 0x41, 0x80, 0x8f, 0x90,
	    0x9f, 0xa0, 0xbf, 0xc0, 0xff };
	unsigned char b[4];
	uint32_t c1, c2;
	size_t len, n1, n2;

	(void)state;
	for (unsigned a = 0; a < 256; a++)
		for (unsigned x = 0; x < 256; x++)
			for (size_t t = 0; t < sizeof third; t++) {
				b[0] = (unsigned char)a;
				b[1] = (unsigned char)x;
				b[2] = third[t];
				b[3] = 0x80;
				for (len = 1; len <= 4; len++) {
					c1 = c2 = 0;
					n1 = reference_decode(b, len, &c1);
					n2 = utf8_decode((const char *)b, len,
					    &c2);
					if (utf8_valid((const char *)b, len) !=
					    reference_valid(b, len))
						fail_msg("%02x %02x %02x 80 "
						    "(%zu bytes): valid is "
						    "wrong", a, x, third[t],
						    len);
					if (n1 != n2 || c1 != c2)
						fail_msg("%02x %02x %02x 80 "
						    "(%zu bytes): %zu U+%04X, "
						    "want %zu U+%04X", a, x,
						    third[t], len, n2,
						    (unsigned)c2, n1,
						    (unsigned)c1);
				}
			}
}

static void
valid_checks_the_whole_length(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("plain", 5));
	assert_true(utf8_valid("\xd8\xad\xd9\x84\xd9\x8a\xd8\xa8", 8));
	assert_true(utf8_valid("a\0b", 3));		/* NUL is a character */
	assert_false(utf8_valid("\xd8\xad\xd9", 3));	/* cut at the end */
	assert_true(utf8_valid("\xd8\xad\xd9", 2));
	assert_false(utf8_valid("ok\xed\xa0\x80", 5));
	assert_false(utf8_valid("ok\xc0\x80", 4));
	assert_false(utf8_valid("\x80ok", 3));
}

static void
shaped_ignores_what_the_sequence_names(void **state)
{
	(void)state;
	assert_int_equal(utf8_shaped("A", 1), 1);
	assert_int_equal(utf8_shaped("\xd9\x85", 2), 2);
	assert_int_equal(utf8_shaped("\xc0\xaf", 2), 2);		/* overlong */
	assert_int_equal(utf8_shaped("\xed\xa0\x80", 3), 3);	/* surrogate */
	assert_int_equal(utf8_shaped("\xf7\xbf\xbf\xbf", 4), 4);	/* too high */
	assert_int_equal(utf8_shaped("\xf8\x88\x80\x80", 4), 0);
	assert_int_equal(utf8_shaped("\x80", 1), 0);
	assert_int_equal(utf8_shaped("\xd9", 1), 0);
	assert_int_equal(utf8_shaped("\xd9" "A", 2), 0);
	assert_int_equal(utf8_shaped("", 0), 0);
}

static void
controls_are_c0_del_and_c1(void **state)
{
	(void)state;
	assert_true(utf8_is_control(0));
	assert_true(utf8_is_control('\n'));
	assert_true(utf8_is_control(0x1f));
	assert_false(utf8_is_control(' '));
	assert_false(utf8_is_control('~'));
	assert_true(utf8_is_control(0x7f));
	assert_true(utf8_is_control(0x85));
	assert_true(utf8_is_control(0x9f));
	assert_false(utf8_is_control(0xa0));
	assert_false(utf8_is_control(0x2028));
}

static void
receipt_width_counts_columns_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(utf8_width_cp('a'), 1);
	assert_int_equal(utf8_width_cp(0x645), 1);	/* Arabic letter */
	assert_int_equal(utf8_width_cp(0x64e), 0);	/* Arabic fatha */
	assert_int_equal(utf8_width_cp(0x301), 0);	/* combining acute */
	assert_int_equal(utf8_width_cp(0x4e2d), 2);	/* CJK */
	assert_int_equal(utf8_width_cp('\n'), 0);
	assert_int_equal(utf8_width_cp(0x200b), 0);	/* zero width space */
	assert_int_equal(utf8_width("", 0), 0);
	assert_int_equal(utf8_width("abc", 3), 3);
	assert_int_equal(utf8_width("\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7",
	    10), 5);
	assert_int_equal(utf8_width("e\xcc\x81", 3), 1);
	assert_int_equal(utf8_width("\xe4\xb8\xad\xe6\x96\x87", 6), 4);
	/* A byte that starts no character counts one. */
	assert_int_equal(utf8_width("a\xffz", 3), 3);
	assert_int_equal(utf8_width("\xed\xa0\x80", 3), 3);
	assert_int_equal(utf8_width("\xd9\x85", 1), 1);
}

static void
terminal_width_follows_wcwidth(void **state)
{
	(void)state;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		skip();
	assert_int_equal(utf8_term_width_cp(L'a'), 1);
	assert_int_equal(utf8_term_width_cp(0x4e2d), 2);
	assert_int_equal(utf8_term_width_cp(0x301), 0);
	/* Unprintable to wcwidth: one column, where utf8proc says none. */
	assert_int_equal(utf8_term_width_cp(L'\n'), 1);
	assert_int_equal(utf8_term_width_cp(0x2028), 1);
	/* Where the terminal's table and utf8proc's disagree. */
	assert_int_equal(utf8_term_width_cp(0x600), 1);
	assert_int_equal(utf8_width_cp(0x600), 0);
	assert_int_equal(utf8_term_width(""), 0);
	assert_int_equal(utf8_term_width("\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8"
	    "\xd8\xa7"), 5);
	assert_int_equal(utf8_term_width("e\xcc\x81"), 1);
	assert_int_equal(utf8_term_width("\xe4\xb8\xad\xe6\x96\x87"), 4);
	assert_int_equal(utf8_term_width("a\tb"), 3);
	assert_int_equal(utf8_term_width("a\xff\xfe" "b"), 4);
	assert_int_equal(utf8_term_width("\xd9"), 1);
	setlocale(LC_CTYPE, "C");
}

static void
terminal_width_in_a_single_byte_locale_counts_bytes(void **state)
{
	(void)state;
	if (setlocale(LC_CTYPE, "C") == NULL)
		skip();
	assert_int_equal(utf8_term_width("abc"), 3);
	assert_int_equal(utf8_term_width("\xd9\x85\xd8\xb1"), 4);
	assert_int_equal(utf8_term_width("\xe4\xb8\xad"), 3);
	assert_int_equal(utf8_term_width("a\tb"), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_reads_every_length),
		cmocka_unit_test(decode_refuses_what_names_no_character),
		cmocka_unit_test(decode_agrees_with_the_reference_on_short_inputs),
		cmocka_unit_test(valid_checks_the_whole_length),
		cmocka_unit_test(shaped_ignores_what_the_sequence_names),
		cmocka_unit_test(controls_are_c0_del_and_c1),
		cmocka_unit_test(receipt_width_counts_columns_not_bytes),
		cmocka_unit_test(terminal_width_follows_wcwidth),
		cmocka_unit_test(
		    terminal_width_in_a_single_byte_locale_counts_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
