/*
 * money.c: exact parsing and printing of amounts and quantities, and the
 * one multiplication a sale line needs. No floating point here either.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "money.h"

#define AR_0	"\xd9\xa0"	/* U+0660 ARABIC-INDIC DIGIT ZERO */
#define AR_1	"\xd9\xa1"
#define AR_2	"\xd9\xa2"
#define AR_3	"\xd9\xa3"
#define AR_4	"\xd9\xa4"
#define AR_5	"\xd9\xa5"
#define AR_6	"\xd9\xa6"
#define AR_7	"\xd9\xa7"
#define AR_9	"\xd9\xa9"
#define AR_DEC	"\xd9\xab"	/* U+066B ARABIC DECIMAL SEPARATOR */
#define AR_GRP	"\xd9\xac"	/* U+066C ARABIC THOUSANDS SEPARATOR */
#define FA_0	"\xdb\xb0"	/* U+06F0 EXTENDED ARABIC-INDIC DIGIT ZERO */
#define FA_1	"\xdb\xb1"
#define FA_5	"\xdb\xb5"
#define FA_9	"\xdb\xb9"

/* Parse that must succeed. */
static int64_t
parse_ok(const char *text, int decimals, bool allow_negative)
{
	int64_t v = 0x5a5a;
	char err[64] = "";

	if (money_parse(text, decimals, allow_negative, &v, err,
	    sizeof err) != 0)
		fail_msg("money_parse(\"%s\", %d) failed: %s", text, decimals,
		    err);
	return v;
}

/* Parse that must fail with exactly `reason`, leaving the output alone. */
static void
parse_fails(const char *text, int decimals, bool allow_negative,
    const char *reason)
{
	int64_t v = 0x5a5a;
	char err[64] = "";

	if (money_parse(text, decimals, allow_negative, &v, err,
	    sizeof err) == 0)
		fail_msg("money_parse(\"%s\", %d) accepted: %lld", text,
		    decimals, (long long)v);
	assert_string_equal(err, reason);
	assert_int_equal(v, 0x5a5a);
}

static int64_t
qty_ok(const char *text)
{
	int64_t v = 0x5a5a;
	char err[64] = "";

	if (qty_parse(text, &v, err, sizeof err) != 0)
		fail_msg("qty_parse(\"%s\") failed: %s", text, err);
	return v;
}

static void
qty_fails(const char *text, const char *reason)
{
	int64_t v = 0x5a5a;
	char err[64] = "";

	if (qty_parse(text, &v, err, sizeof err) == 0)
		fail_msg("qty_parse(\"%s\") accepted: %lld", text,
		    (long long)v);
	assert_string_equal(err, reason);
	assert_int_equal(v, 0x5a5a);
}

static void
format_is(int64_t amount, int decimals, const char *want)
{
	char buf[32];
	size_t n;

	n = money_format(amount, decimals, buf, sizeof buf);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void
display_is(int64_t amount, int decimals, enum config_digits digits,
    const char *want)
{
	char buf[96];
	size_t n;

	n = money_display(amount, decimals, digits, buf, sizeof buf);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void
qty_format_is(int64_t qty, const char *want)
{
	char buf[32];
	size_t n;

	n = qty_format(qty, buf, sizeof buf);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static int64_t
mul_ok(int64_t price, int64_t qty)
{
	int64_t v = 0x5a5a;

	if (money_mul_qty(price, qty, &v) != 0)
		fail_msg("money_mul_qty(%lld, %lld) failed", (long long)price,
		    (long long)qty);
	return v;
}

static void
mul_fails(int64_t price, int64_t qty)
{
	int64_t v = 0x5a5a;

	if (money_mul_qty(price, qty, &v) == 0)
		fail_msg("money_mul_qty(%lld, %lld) gave %lld",
		    (long long)price, (long long)qty, (long long)v);
	assert_int_equal(v, 0x5a5a);
}

/* Spell Western-digit text with Arabic-Indic digits and U+066B. */
static void
to_arabic_indic(const char *in, char *out, size_t len)
{
	size_t pos = 0;

	for (; *in != '\0'; in++) {
		assert_true(pos + 3 < len);
		if (*in >= '0' && *in <= '9') {
			out[pos++] = (char)0xd9;
			out[pos++] = (char)(0xa0 + (*in - '0'));
		} else if (*in == '.') {
			out[pos++] = (char)0xd9;
			out[pos++] = (char)0xab;
		} else
			out[pos++] = *in;
	}
	out[pos] = '\0';
}

/* A fixed pseudo-random sequence (LCG), so failures reproduce. */
static uint64_t
next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 11;
}

static void
parse_accepts_western_integers(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1500", 0, false), 1500);
	assert_int_equal(parse_ok("0", 0, false), 0);
	assert_int_equal(parse_ok("7", 3, false), 7000);
	assert_int_equal(parse_ok("007", 0, false), 7);
	assert_int_equal(parse_ok("0000000000000000000000000001", 0, false),
	    1);
}

static void
parse_scales_fewer_decimals(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("12.5", 2, false), 1250);
	assert_int_equal(parse_ok("12.50", 2, false), 1250);
	assert_int_equal(parse_ok("12", 2, false), 1200);
	assert_int_equal(parse_ok("0.05", 2, false), 5);
	assert_int_equal(parse_ok("0.5", 3, false), 500);
	assert_int_equal(parse_ok("1.001", 3, false), 1001);
	assert_int_equal(parse_ok("3.7", 1, false), 37);
}

static void
parse_rejects_too_many_decimals(void **state)
{
	(void)state;
	parse_fails("12.505", 2, false, "too many decimals (at most 2)");
	parse_fails("1.5", 0, false, "too many decimals (at most 0)");
	parse_fails("12.50", 1, false, "too many decimals (at most 1)");
	parse_fails("0.0001", 3, false, "too many decimals (at most 3)");
	parse_fails("1" AR_DEC AR_2 AR_5 AR_0, 2, false,
	    "too many decimals (at most 2)");
}

static void
parse_accepts_arabic_indic_digits(void **state)
{
	(void)state;
	assert_int_equal(parse_ok(AR_1 AR_5 AR_0 AR_0, 0, false), 1500);
	assert_int_equal(parse_ok(AR_1 AR_2 AR_DEC AR_5 AR_0, 2, false), 1250);
	assert_int_equal(parse_ok(AR_0 AR_DEC AR_0 AR_5, 2, false), 5);
	assert_int_equal(parse_ok(AR_9, 0, false), 9);
	/* Extended (Persian/Urdu) forms. */
	assert_int_equal(parse_ok(FA_1 FA_5 FA_0 FA_0, 0, false), 1500);
	assert_int_equal(parse_ok(FA_9 "." FA_5, 1, false), 95);
	/* The same text as typed on an Arabic keyboard, checked against UTF-8. */
	assert_int_equal(parse_ok("١٥٠٠", 0, false), 1500);
	assert_int_equal(parse_ok("١٢٫٥٠", 2, false), 1250);
	assert_int_equal(parse_ok("-١٢٫٥", 2, true), -1250);
}

static void
parse_accepts_either_decimal_separator(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("12" AR_DEC "5", 2, false), 1250);
	assert_int_equal(parse_ok(AR_1 AR_2 "." AR_5, 2, false), 1250);
	/* Digit styles may mix; each digit is read on its own. */
	assert_int_equal(parse_ok("1" AR_5 FA_0 "0", 0, false), 1500);
}

static void
parse_applies_sign_rules(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("-12.5", 2, true), -1250);
	assert_int_equal(parse_ok("-0.01", 2, true), -1);
	assert_int_equal(parse_ok("-0", 2, true), 0);
	parse_fails("-12.5", 2, false, "must not be negative");
	parse_fails("-0", 2, false, "must not be negative");
	parse_fails("+5", 0, true, "not a number");
	parse_fails("+5", 0, false, "not a number");
	parse_fails("--5", 0, true, "not a number");
	parse_fails("-", 0, true, "not a number");
	parse_fails("5-", 0, true, "not a number");
	parse_fails("- 5", 0, true, "not a number");
	/* U+2212 MINUS SIGN is not '-'. */
	parse_fails("\xe2\x88\x92" "5", 0, true, "not a number");
}

static void
parse_rejects_garbage(void **state)
{
	static const char *bad[] = {
		"", " ", " 5", "5 ", "1 500", "5\n", "\t5",
		"1,500", AR_1 AR_GRP AR_5 AR_0 AR_0, "1'500", "1_500",
		".5", "5.", AR_DEC AR_5, AR_5 AR_DEC, ".", AR_DEC,
		"12.5.0", "1..5", "1." AR_DEC "5", "12" AR_DEC "5" AR_DEC,
		"abc", "5x", "x5", "1e3", "0x10", "NaN", "inf", "12,50",
		"\xd9", "1\xd9", "\xd9\xaa",	/* truncated; U+066A percent */
		"\xdb\xba", "\xd9\x9f",		/* neighbours of the digit blocks */
		"\xef\xbc\x95",			/* U+FF15 FULLWIDTH DIGIT FIVE */
		"\xd9\xa0\x80", "5\xc2\xa0",	/* stray byte; NBSP after */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		parse_fails(bad[i], 2, true, "not a number");
	parse_fails(NULL, 2, true, "not a number");
}

static void
parse_bounds_at_money_limit(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1000000000000000", 0, false), MONEY_LIMIT);
	assert_int_equal(parse_ok("-1000000000000000", 0, true), -MONEY_LIMIT);
	assert_int_equal(parse_ok("10000000000000.00", 2, false), MONEY_LIMIT);
	assert_int_equal(parse_ok("999999999999.999", 3, false),
	    MONEY_LIMIT - 1);
	assert_int_equal(parse_ok("1000000000000", 3, false), MONEY_LIMIT);
	parse_fails("1000000000000001", 0, false, "too large");
	parse_fails("-1000000000000001", 0, true, "too large");
	parse_fails("10000000000000.01", 2, false, "too large");
	parse_fails("1000000000000.001", 3, false, "too large");
	/* Scaling alone can cross the limit. */
	parse_fails("1000000000001", 3, false, "too large");
	/* Far beyond int64 and uint64: no wrap-around. */
	parse_fails("9223372036854775808", 0, true, "too large");
	parse_fails("-9223372036854775808", 0, true, "too large");
	parse_fails("18446744073709551617", 0, false, "too large");
	parse_fails("99999999999999999999999999999999999999", 3, false,
	    "too large");
}

static void
parse_reports_syntax_before_decimals_before_size(void **state)
{
	(void)state;
	parse_fails("99999999999999999999.5x", 0, false, "not a number");
	parse_fails("99999999999999999999.555", 2, false,
	    "too many decimals (at most 2)");
	parse_fails("-99999999999999999999", 0, false, "too large");
}

static void
parse_rejects_decimals_out_of_range(void **state)
{
	(void)state;
	parse_fails("1", -1, false, "decimals must be 0..3");
	parse_fails("1", 4, false, "decimals must be 0..3");
}

static void
parse_tolerates_missing_or_short_error_buffer(void **state)
{
	int64_t v = 0;
	char err[5] = "xxxx";

	(void)state;
	assert_int_equal(money_parse("x", 2, false, &v, NULL, 0), POS_FAIL);
	assert_int_equal(money_parse("x", 2, false, &v, err, 0), POS_FAIL);
	assert_string_equal(err, "xxxx");
	assert_int_equal(money_parse("x", 2, false, &v, err, sizeof err), POS_FAIL);
	assert_string_equal(err, "not ");
	assert_int_equal(qty_parse("0", &v, NULL, 0), POS_FAIL);
	assert_int_equal(money_parse("12.5", 2, false, &v, NULL, 0), 0);
	assert_int_equal(v, 1250);
}

static void
qty_parse_reads_thousandths(void **state)
{
	(void)state;
	assert_int_equal(qty_ok("3"), 3000);
	assert_int_equal(qty_ok("0.25"), 250);
	assert_int_equal(qty_ok("0.250"), 250);
	assert_int_equal(qty_ok("1.5"), 1500);
	assert_int_equal(qty_ok("0.001"), 1);
	assert_int_equal(qty_ok(AR_0 AR_DEC AR_2 AR_5), 250);
	assert_int_equal(qty_ok(AR_3), 3000);
	assert_int_equal(qty_ok("1" AR_DEC "5"), 1500);
}

static void
qty_parse_requires_positive(void **state)
{
	(void)state;
	qty_fails("0", "must be positive");
	qty_fails("0.000", "must be positive");
	qty_fails(AR_0, "must be positive");
	qty_fails("-1", "must be positive");
	qty_fails("-0.5", "must be positive");
	qty_fails("+1", "not a number");
}

static void
qty_parse_rejects_bad_text(void **state)
{
	(void)state;
	qty_fails("0.0001", "too many decimals (at most 3)");
	qty_fails("1.2345", "too many decimals (at most 3)");
	qty_fails("", "not a number");
	qty_fails("1kg", "not a number");
	qty_fails(".5", "not a number");
	qty_fails("5.", "not a number");
	qty_fails("1,5", "not a number");
	qty_fails(NULL, "not a number");
}

static void
qty_parse_bounds_at_money_limit(void **state)
{
	(void)state;
	assert_int_equal(qty_ok("1000000000000"), MONEY_LIMIT);
	assert_int_equal(qty_ok("999999999999.999"), MONEY_LIMIT - 1);
	qty_fails("1000000000000.001", "too large");
	qty_fails("1000000000001", "too large");
	qty_fails("99999999999999999999999", "too large");
}

static void
format_writes_plain_decimal(void **state)
{
	(void)state;
	format_is(1500, 0, "1500");
	format_is(-1250, 2, "-12.50");
	format_is(1250, 2, "12.50");
	format_is(5, 2, "0.05");
	format_is(-5, 2, "-0.05");
	format_is(0, 2, "0.00");
	format_is(0, 0, "0");
	format_is(1, 3, "0.001");
	format_is(1000, 3, "1.000");
	format_is(1234567, 1, "123456.7");
	format_is(MONEY_LIMIT, 0, "1000000000000000");
	format_is(-MONEY_LIMIT, 2, "-10000000000000.00");
}

static void
format_handles_int64_extremes(void **state)
{
	(void)state;
	format_is(INT64_MIN, 0, "-9223372036854775808");
	format_is(INT64_MIN, 2, "-92233720368547758.08");
	format_is(INT64_MIN, 3, "-9223372036854775.808");
	format_is(INT64_MAX, 0, "9223372036854775807");
	format_is(INT64_MAX, 3, "9223372036854775.807");
	format_is(INT64_MIN + 1, 0, "-9223372036854775807");
}

static void
format_clamps_decimals(void **state)
{
	(void)state;
	format_is(1250, -1, "1250");
	format_is(1250, 9, "1.250");
}

static void
format_truncates_within_buffer(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof buf);
	assert_int_equal(money_format(-1250, 2, buf, 4), 3);
	assert_string_equal(buf, "-12");
	assert_int_equal(buf[4], 'x');
	assert_int_equal(money_format(-1250, 2, buf, 1), 0);
	assert_string_equal(buf, "");
	memset(buf, 'x', sizeof buf);
	assert_int_equal(money_format(-1250, 2, buf, 0), 0);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(money_format(-1250, 2, NULL, 0), 0);
	assert_int_equal(money_format(-1250, 2, buf, 7), 6);
	assert_string_equal(buf, "-12.50");
}

static void
display_groups_western(void **state)
{
	(void)state;
	display_is(1500, 0, CONFIG_DIGITS_WESTERN, "1,500");
	display_is(999, 0, CONFIG_DIGITS_WESTERN, "999");
	display_is(1000, 0, CONFIG_DIGITS_WESTERN, "1,000");
	display_is(100000, 0, CONFIG_DIGITS_WESTERN, "100,000");
	display_is(1000000, 0, CONFIG_DIGITS_WESTERN, "1,000,000");
	display_is(1234567, 2, CONFIG_DIGITS_WESTERN, "12,345.67");
	display_is(99999, 2, CONFIG_DIGITS_WESTERN, "999.99");
	display_is(100000, 2, CONFIG_DIGITS_WESTERN, "1,000.00");
	display_is(-1234567890, 0, CONFIG_DIGITS_WESTERN, "-1,234,567,890");
	display_is(-5, 2, CONFIG_DIGITS_WESTERN, "-0.05");
	display_is(0, 2, CONFIG_DIGITS_WESTERN, "0.00");
	display_is(0, 0, CONFIG_DIGITS_WESTERN, "0");
	display_is(1234567, 3, CONFIG_DIGITS_WESTERN, "1,234.567");
	display_is(MONEY_LIMIT, 0, CONFIG_DIGITS_WESTERN,
	    "1,000,000,000,000,000");
	display_is(INT64_MIN, 0, CONFIG_DIGITS_WESTERN,
	    "-9,223,372,036,854,775,808");
}

static void
display_groups_arabic_indic(void **state)
{
	(void)state;
	display_is(1500, 0, CONFIG_DIGITS_ARABIC_INDIC, "١٬٥٠٠");
	display_is(1250, 2, CONFIG_DIGITS_ARABIC_INDIC, "١٢٫٥٠");
	display_is(1234, 0, CONFIG_DIGITS_ARABIC_INDIC,
	    AR_1 AR_GRP AR_2 AR_3 AR_4);
	display_is(-1234567, 2, CONFIG_DIGITS_ARABIC_INDIC,
	    "-" AR_1 AR_2 AR_GRP AR_3 AR_4 AR_5 AR_DEC AR_6 AR_7);
	display_is(5, 2, CONFIG_DIGITS_ARABIC_INDIC, AR_0 AR_DEC AR_0 AR_5);
	display_is(999, 0, CONFIG_DIGITS_ARABIC_INDIC, AR_9 AR_9 AR_9);
	display_is(0, 0, CONFIG_DIGITS_ARABIC_INDIC, AR_0);
}

static void
display_fits_documented_buffer(void **state)
{
	static const int64_t worst[] = { INT64_MIN, INT64_MAX, -MONEY_LIMIT };
	char buf[96];
	size_t i, n;
	int d;

	(void)state;
	for (i = 0; i < sizeof worst / sizeof worst[0]; i++) {
		for (d = 0; d <= MONEY_MAX_DECIMALS; d++) {
			n = money_display(worst[i], d,
			    CONFIG_DIGITS_ARABIC_INDIC, buf, sizeof buf);
			assert_true(n < sizeof buf);
			assert_int_equal(n, strlen(buf));
			n = money_format(worst[i], d, buf, 32);
			assert_true(n < 32);
			assert_int_equal(n, strlen(buf));
		}
	}
}

static void
display_never_splits_a_character(void **state)
{
	char buf[8];
	size_t n;

	(void)state;
	/* "١٬٥٠٠" is 10 bytes; 8 bytes hold the first three characters. */
	n = money_display(1500, 0, CONFIG_DIGITS_ARABIC_INDIC, buf, sizeof buf);
	assert_int_equal(n, 6);
	assert_string_equal(buf, AR_1 AR_GRP AR_5);
	n = money_display(1500, 0, CONFIG_DIGITS_ARABIC_INDIC, buf, 2);
	assert_int_equal(n, 0);
	assert_string_equal(buf, "");
}

static void
display_treats_unknown_style_as_western(void **state)
{
	(void)state;
	display_is(1500, 0, (enum config_digits)42, "1,500");
}

static void
qty_format_drops_trailing_zeros(void **state)
{
	(void)state;
	qty_format_is(3000, "3");
	qty_format_is(250, "0.25");
	qty_format_is(1500, "1.5");
	qty_format_is(1, "0.001");
	qty_format_is(10, "0.01");
	qty_format_is(100, "0.1");
	qty_format_is(1001, "1.001");
	qty_format_is(10000, "10");
	qty_format_is(0, "0");
	qty_format_is(-1500, "-1.5");
	qty_format_is(MONEY_LIMIT, "1000000000000");
	qty_format_is(INT64_MIN, "-9223372036854775.808");
}

static void
qty_format_truncates_within_buffer(void **state)
{
	char buf[4];

	(void)state;
	assert_int_equal(qty_format(1250, buf, sizeof buf), 1);
	assert_string_equal(buf, "1");
	assert_int_equal(qty_format(1250, buf, 0), 0);
}

static void
mul_rounds_half_away_from_zero(void **state)
{
	(void)state;
	/* 333 x 0.5 kg = 166.5 */
	assert_int_equal(mul_ok(333, 500), 167);
	assert_int_equal(mul_ok(-333, 500), -167);
	assert_int_equal(mul_ok(333, -500), -167);
	assert_int_equal(mul_ok(-333, -500), 167);
	/* Not banker's rounding: 2.5 goes to 3. */
	assert_int_equal(mul_ok(1, 2500), 3);
	assert_int_equal(mul_ok(-1, 2500), -3);
	assert_int_equal(mul_ok(1, 1500), 2);
	assert_int_equal(mul_ok(1, 499), 0);
	assert_int_equal(mul_ok(1, 500), 1);
	assert_int_equal(mul_ok(-1, 499), 0);
	assert_int_equal(mul_ok(-1, 500), -1);
	assert_int_equal(mul_ok(1, 1499), 1);
	assert_int_equal(mul_ok(999, 1), 1);
	assert_int_equal(mul_ok(499, 1), 0);
}

static void
mul_is_exact_for_whole_quantities(void **state)
{
	(void)state;
	assert_int_equal(mul_ok(1500, 3000), 4500);
	assert_int_equal(mul_ok(1250, 1000), 1250);
	assert_int_equal(mul_ok(1250, 250), 313);	/* 312.5 */
	assert_int_equal(mul_ok(0, 5000), 0);
	assert_int_equal(mul_ok(5000, 0), 0);
	assert_int_equal(mul_ok(MONEY_LIMIT, 1000), MONEY_LIMIT);
	assert_int_equal(mul_ok(-MONEY_LIMIT, 1000), -MONEY_LIMIT);
	assert_int_equal(mul_ok(1000, MONEY_LIMIT), MONEY_LIMIT);
	assert_int_equal(mul_ok(1, MONEY_LIMIT), MONEY_LIMIT / 1000);
}

static void
mul_rejects_results_past_limit(void **state)
{
	(void)state;
	mul_fails(MONEY_LIMIT, 1001);
	mul_fails(MONEY_LIMIT + 1, 1000);
	mul_fails(-MONEY_LIMIT, 1001);
	/* Rounding up can cross the limit: 1e15 + 0.5 becomes 1e15 + 1. */
	mul_fails(MONEY_LIMIT * 2 + 1, 500);
	assert_int_equal(mul_ok(MONEY_LIMIT * 2 - 1, 500), MONEY_LIMIT);
	/* Products that do not fit in 64 bits. */
	mul_fails(INT64_MAX, INT64_MAX);
	mul_fails(INT64_MIN, INT64_MIN);
	mul_fails(INT64_MIN, -1);
	mul_fails(INT64_MIN, 1000);
	mul_fails(INT64_MAX, 2);
	mul_fails(4294967296LL, 4294967296LL);
}

static void
format_then_parse_round_trips(void **state)
{
	static const int64_t fixed[] = {
		0, 1, -1, 9, 10, 99, 100, 999, 1000, 1001, 12345, -12345,
		999999, 1000000, MONEY_LIMIT, -MONEY_LIMIT, MONEY_LIMIT - 1,
		-MONEY_LIMIT + 1, 500000000000000, 123456789012345,
	};
	char text[32], arabic[80], err[64];
	uint64_t seed = 20260101;
	int64_t v, back;
	size_t i;
	int d;

	(void)state;
	for (i = 0; i < sizeof fixed / sizeof fixed[0] + 4000; i++) {
		if (i < sizeof fixed / sizeof fixed[0])
			v = fixed[i];
		else {
			v = (int64_t)(next_random(&seed) %
			    ((uint64_t)MONEY_LIMIT * 2 + 1)) - MONEY_LIMIT;
			/* Small amounts too, where the padding matters. */
			if (i % 2 == 0)
				v %= 100000;
		}
		for (d = 0; d <= MONEY_MAX_DECIMALS; d++) {
			money_format(v, d, text, sizeof text);
			if (money_parse(text, d, true, &back, err,
			    sizeof err) != 0)
				fail_msg("\"%s\": %s", text, err);
			assert_int_equal(back, v);
			to_arabic_indic(text, arabic, sizeof arabic);
			if (money_parse(arabic, d, true, &back, err,
			    sizeof err) != 0)
				fail_msg("\"%s\": %s", arabic, err);
			assert_int_equal(back, v);
		}
	}
}

static void
qty_format_then_parse_round_trips(void **state)
{
	char text[32], err[64];
	uint64_t seed = 42;
	int64_t q, back;
	int i;

	(void)state;
	for (i = 0; i < 4000; i++) {
		if (i < 2000)
			q = i + 1;
		else
			q = (int64_t)(next_random(&seed) %
			    (uint64_t)MONEY_LIMIT) + 1;
		qty_format(q, text, sizeof text);
		if (qty_parse(text, &back, err, sizeof err) != 0)
			fail_msg("\"%s\": %s", text, err);
		assert_int_equal(back, q);
	}
}

/* What money_display writes, grouping and all, is what people type back. */
static void
grouped_parse_takes_what_display_writes(void **state)
{
	static const char *const bad[] = {
		"1,00", "1,0000", ",100", "100,", "1000,000", "1,,000",
		"1,000.", AR_1 AR_GRP AR_0 AR_0,
	};
	char shown[96], err[64];
	int64_t v;

	(void)state;
	assert_int_equal(money_parse_grouped("100,000", 0, false, &v, err,
	    sizeof err), 0);
	assert_int_equal(v, 100000);
	assert_int_equal(money_parse_grouped(AR_1 AR_0 AR_0 AR_GRP AR_0 AR_0
	    AR_0, 0, false, &v, err, sizeof err), 0);
	assert_int_equal(v, 100000);
	assert_int_equal(money_parse_grouped("1,234,567.50", 2, false, &v, err,
	    sizeof err), 0);
	assert_int_equal(v, 123456750);
	assert_int_equal(money_parse_grouped("999", 0, false, &v, err,
	    sizeof err), 0);
	assert_int_equal(v, 999);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = 0x5a5a;
		if (money_parse_grouped(bad[i], 0, false, &v, err,
		    sizeof err) == 0)
			fail_msg("money_parse_grouped(\"%s\") accepted: %lld",
			    bad[i], (long long)v);
		assert_int_equal(v, 0x5a5a);
	}
	/* money_parse itself still refuses grouping (files, command line). */
	parse_fails("100,000", 0, false, "not a number");
	for (int64_t x = 1; x < MONEY_LIMIT / 7; x = x * 7 + 3) {
		money_display(x, 2, CONFIG_DIGITS_ARABIC_INDIC, shown,
		    sizeof shown);
		assert_int_equal(money_parse_grouped(shown, 2, false, &v, err,
		    sizeof err), 0);
		assert_int_equal(v, x);
		money_display(x, 0, CONFIG_DIGITS_WESTERN, shown, sizeof shown);
		assert_int_equal(money_parse_grouped(shown, 0, false, &v, err,
		    sizeof err), 0);
		assert_int_equal(v, x);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_accepts_western_integers),
		cmocka_unit_test(parse_scales_fewer_decimals),
		cmocka_unit_test(parse_rejects_too_many_decimals),
		cmocka_unit_test(parse_accepts_arabic_indic_digits),
		cmocka_unit_test(parse_accepts_either_decimal_separator),
		cmocka_unit_test(parse_applies_sign_rules),
		cmocka_unit_test(parse_rejects_garbage),
		cmocka_unit_test(parse_bounds_at_money_limit),
		cmocka_unit_test(parse_reports_syntax_before_decimals_before_size),
		cmocka_unit_test(parse_rejects_decimals_out_of_range),
		cmocka_unit_test(parse_tolerates_missing_or_short_error_buffer),
		cmocka_unit_test(qty_parse_reads_thousandths),
		cmocka_unit_test(qty_parse_requires_positive),
		cmocka_unit_test(qty_parse_rejects_bad_text),
		cmocka_unit_test(qty_parse_bounds_at_money_limit),
		cmocka_unit_test(format_writes_plain_decimal),
		cmocka_unit_test(format_handles_int64_extremes),
		cmocka_unit_test(format_clamps_decimals),
		cmocka_unit_test(format_truncates_within_buffer),
		cmocka_unit_test(display_groups_western),
		cmocka_unit_test(display_groups_arabic_indic),
		cmocka_unit_test(display_fits_documented_buffer),
		cmocka_unit_test(display_never_splits_a_character),
		cmocka_unit_test(display_treats_unknown_style_as_western),
		cmocka_unit_test(qty_format_drops_trailing_zeros),
		cmocka_unit_test(qty_format_truncates_within_buffer),
		cmocka_unit_test(mul_rounds_half_away_from_zero),
		cmocka_unit_test(mul_is_exact_for_whole_quantities),
		cmocka_unit_test(mul_rejects_results_past_limit),
		cmocka_unit_test(format_then_parse_round_trips),
		cmocka_unit_test(qty_format_then_parse_round_trips),
		cmocka_unit_test(grouped_parse_takes_what_display_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
