/*
 * text.c: what a code and a name may contain, and the search form that lets
 * "احمد" find "أحمد" and "olive" find "Olive OIL".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"
#include "searchtext.h"

/* Malformed UTF-8, each wrong in its own way. */
static const char *const invalid_utf8[] = {
	"\xc0\xaf",			/* overlong '/' */
	"\xc1\xbf",			/* overlong */
	"\xe0\x80\xaf",			/* overlong, 3 bytes */
	"\xf0\x80\x80\xaf",		/* overlong, 4 bytes */
	"\xed\xa0\x80",			/* U+D800, a surrogate */
	"\xed\xbf\xbf",			/* U+DFFF */
	"\xed\xa0\xbd\xed\xb8\x80",	/* CESU-8 pair for U+1F600 */
	"\xf4\x90\x80\x80",		/* U+110000 */
	"\xf5\x80\x80\x80",
	"\xff",
	"\xfe",
	"\x80",				/* lone continuation */
	"\xd8",				/* truncated 2-byte */
	"\xe2\x82",			/* truncated 3-byte */
	"\xf0\x9f\x98",			/* truncated 4-byte */
	"\xd8 ",			/* lead byte then ASCII */
	"\xd8\xa3\xd8",			/* valid letter then truncated one */
	"abc\xe2\x82",			/* truncated at the end */
};

/* Normalize, which must succeed, and compare. */
static void
normalizes_to(const char *in, const char *want)
{
	char *got = searchtext_normalize(in);

	if (got == NULL)
		fail_msg("searchtext_normalize(\"%s\") gave NULL", in);
	if (strcmp(got, want) != 0) {
		print_error("searchtext_normalize(\"%s\") = \"%s\", want \"%s\"\n",
		    in, got, want);
		free(got);
		fail();
	}
	free(got);
}

static void
normalize_equal(const char *a, const char *b)
{
	char *na = searchtext_normalize(a), *nb = searchtext_normalize(b);

	assert_non_null(na);
	assert_non_null(nb);
	assert_string_equal(na, nb);
	free(na);
	free(nb);
}

/* s repeated n times; caller frees. */
static char *
repeat(const char *s, size_t n)
{
	size_t len = strlen(s), i;
	char *out = malloc(len * n + 1);

	assert_non_null(out);
	for (i = 0; i < n; i++)
		memcpy(out + i * len, s, len);
	out[len * n] = '\0';
	return out;
}

static void
name_accepts_arabic_quotes_and_emoji(void **state)
{
	static const char *const good[] = {
		"زيت زيتون",
		"أحمد",
		"O'Brien \"Special\"",
		"Café «الشام»",
		"قهوة ☕",
		"😀",
		"Cola 330ml",
		"x",
		"\xc2\xa0",		/* U+00A0, just past C1 */
		"\xef\xbf\xbd",		/* U+FFFD */
		"\xf4\x8f\xbf\xbf",	/* U+10FFFF */
		"\xe2\x80\xa7",		/* U+2027, just before U+2028 */
		"\xe2\x80\xaa",		/* U+202A, just after U+2029 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!text_valid_name(good[i]))
			fail_msg("rejected \"%s\"", good[i]);
	}
}

static void
name_rejects_control_characters(void **state)
{
	static const char *const bad[] = {
		"\x01", "a\tb", "a\nb", "a\rb", "\x1f", "\x1b[31m", "a\x7f",
		"\xc2\x80",		/* U+0080 */
		"\xc2\x85",		/* U+0085 NEL */
		"\xc2\x9f",		/* U+009F */
		"a\xe2\x80\xa8" "b",	/* U+2028 LINE SEPARATOR */
		"a\xe2\x80\xa9" "b",	/* U+2029 PARAGRAPH SEPARATOR */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (text_valid_name(bad[i]))
			fail_msg("accepted bad[%zu]", i);
	}
}

static void
name_rejects_invalid_utf8(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof invalid_utf8 / sizeof invalid_utf8[0]; i++) {
		if (text_valid_name(invalid_utf8[i]))
			fail_msg("accepted invalid_utf8[%zu]", i);
	}
}

static void
name_rejects_empty_and_null(void **state)
{
	(void)state;
	assert_false(text_valid_name(""));
	assert_false(text_valid_name(NULL));
}

static void
name_limit_counts_code_points_not_bytes(void **state)
{
	static const char *const units[] = { "a", "ب", "€", "😀" };
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		s = repeat(units[i], 120);
		assert_int_equal(text_length(s), 120);
		if (!text_valid_name(s))
			fail_msg("rejected 120 x \"%s\"", units[i]);
		free(s);
		s = repeat(units[i], 121);
		if (text_valid_name(s))
			fail_msg("accepted 121 x \"%s\"", units[i]);
		free(s);
	}
}

static void
code_accepts_its_alphabet(void **state)
{
	static const char *const good[] = {
		"SOAP1", "abc-123", "a_b.c", "0", "-", ".", "Z9", "OIL.5L",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef",	/* 32 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!text_valid_code(good[i]))
			fail_msg("rejected \"%s\"", good[i]);
	}
}

static void
code_rejects_outside_its_alphabet(void **state)
{
	static const char *const bad[] = {
		"", "a b", " a", "a\n", "a/b", "a+b", "a,b", "a'b", "é",
		"أحمد", "\xd9\xa1",			/* Arabic-Indic one */
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg",	/* 33 */
		"\xff", "a\x7f",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (text_valid_code(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_false(text_valid_code(NULL));
}

static void
utf8_checks_exactly_len_bytes(void **state)
{
	size_t i;

	(void)state;
	assert_true(text_valid_utf8("", 0));
	assert_true(text_valid_utf8("ab\xff", 2));
	assert_false(text_valid_utf8("ab\xff", 3));
	assert_false(text_valid_utf8("\xd8\xa3", 1));	/* cut inside */
	assert_true(text_valid_utf8("\xd8\xa3", 2));
	assert_true(text_valid_utf8("a\0b", 3));	/* NUL is valid UTF-8 */
	assert_true(text_valid_utf8("😀", 4));
	assert_false(text_valid_utf8(NULL, 1));
	for (i = 0; i < sizeof invalid_utf8 / sizeof invalid_utf8[0]; i++) {
		if (text_valid_utf8(invalid_utf8[i], strlen(invalid_utf8[i])))
			fail_msg("accepted invalid_utf8[%zu]", i);
	}
}

static void
length_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(text_length(""), 0);
	assert_int_equal(text_length("abc"), 3);
	assert_int_equal(text_length("أحمد"), 4);
	assert_int_equal(text_length("a😀b"), 3);
	assert_int_equal(text_length("مُرَبّى"), 7);	/* marks count */
	assert_int_equal(text_length(NULL), 0);
}

static void
normalize_folds_hamza_forms_of_alef(void **state)
{
	(void)state;
	normalize_equal("أحمد", "احمد");
	normalizes_to("أحمد", "احمد");
	normalizes_to("إبراهيم", "ابراهيم");
	normalizes_to("آمنة", "امنه");
	normalizes_to("ٱلله", "الله");
	/* Alef with a combining hamza (U+0654) equals the precomposed one. */
	normalize_equal("\xd8\xa7\xd9\x94" "حمد", "أحمد");
	/* Hamza on waw and yaa is not in the rules and stays. */
	normalizes_to("مؤمن", "مؤمن");
	normalizes_to("بئر", "بئر");
}

static void
normalize_maps_alef_maqsura_to_yaa(void **state)
{
	(void)state;
	normalizes_to("مربى", "مربي");
	normalizes_to("على", "علي");
	normalize_equal("مصطفى", "مصطفي");
}

static void
normalize_maps_taa_marbuta_to_haa(void **state)
{
	(void)state;
	normalizes_to("قهوة", "قهوه");
	normalize_equal("قهوة", "قهوه");
}

static void
normalize_strips_tashkeel(void **state)
{
	char s[8];
	int cp;

	(void)state;
	normalize_equal("مُرَبّى", "مربى");
	normalizes_to("مُرَبّى", "مربي");
	normalizes_to("هٰذا", "هذا");			/* U+0670 */
	normalizes_to("سُكَّر", "سكر");
	/* Every mark in U+064B..U+065F after a letter. */
	for (cp = 0x064b; cp <= 0x065f; cp++) {
		s[0] = (char)0xd8;
		s[1] = (char)0xb3;			/* U+0633 seen */
		s[2] = (char)(0xc0 | (cp >> 6));
		s[3] = (char)(0x80 | (cp & 0x3f));
		s[4] = '\0';
		normalizes_to(s, "س");
	}
}

static void
normalize_removes_tatweel(void **state)
{
	(void)state;
	normalizes_to("ســمــن", "سمن");
	normalize_equal("ســمــن", "سمن");
	normalizes_to("ـ", "");
}

static void
normalize_case_folds_latin(void **state)
{
	(void)state;
	normalizes_to("Olive OIL", "olive oil");
	normalizes_to("ÉCLAIR", "éclair");
	normalizes_to("E\xcc\x81" "CLAIR", "éclair");	/* decomposed É */
	normalizes_to("Straße", "strasse");
	normalizes_to("already lower 123", "already lower 123");
	normalize_equal("Café", "CAFÉ");
}

static void
normalize_maps_arabic_indic_digits(void **state)
{
	(void)state;
	normalizes_to("٣", "3");
	normalizes_to("٠١٢٣٤٥٦٧٨٩", "0123456789");
	normalizes_to("۰۱۲۳۴۵۶۷۸۹", "0123456789");
	normalizes_to("زيت ١ لتر", "زيت 1 لتر");
	normalize_equal("Cola ٣٣٠", "cola 330");
}

static void
normalize_folds_presentation_forms_and_ignorables(void **state)
{
	(void)state;
	normalizes_to("\xef\xbb\xbb", "لا");			/* U+FEFB */
	normalizes_to("\xef\xbb\xb7", "لا");			/* U+FEF7 lam-alef hamza */
	normalizes_to("خ\xe2\x80\x8c" "بز", "خبز");		/* ZWNJ */
	normalizes_to("\xe2\x80\x8f" "خبز", "خبز");		/* RLM */
}

static void
normalize_keeps_what_no_rule_covers(void **state)
{
	(void)state;
	normalizes_to("", "");
	normalizes_to("خبز", "خبز");
	normalizes_to("😀 ok", "😀 ok");
	normalizes_to("a  b", "a  b");
}

static void
normalize_rejects_invalid_utf8(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof invalid_utf8 / sizeof invalid_utf8[0]; i++) {
		if (searchtext_normalize(invalid_utf8[i]) != NULL)
			fail_msg("normalized invalid_utf8[%zu]", i);
	}
	assert_null(searchtext_normalize(NULL));
}

static void
normalize_is_idempotent(void **state)
{
	static const char *const samples[] = {
		"أحمد", "مُرَبّى", "قهوة", "ســمــن", "Olive OIL", "ÉCLAIR",
		"Straße", "٣٣٠ ml", "\xef\xbb\xbb", "آمنة", "😀",
	};
	char *once, *twice;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		once = searchtext_normalize(samples[i]);
		assert_non_null(once);
		twice = searchtext_normalize(once);
		assert_non_null(twice);
		assert_string_equal(once, twice);
		free(once);
		free(twice);
	}
}

static void
normalize_never_grows_arabic_text(void **state)
{
	char *s, *n;

	(void)state;
	s = repeat("أُ", 500);
	n = searchtext_normalize(s);
	assert_non_null(n);
	assert_int_equal(strlen(n), 1000);	/* 500 bare alefs */
	assert_true(strlen(n) <= strlen(s));
	free(n);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(name_accepts_arabic_quotes_and_emoji),
		cmocka_unit_test(name_rejects_control_characters),
		cmocka_unit_test(name_rejects_invalid_utf8),
		cmocka_unit_test(name_rejects_empty_and_null),
		cmocka_unit_test(name_limit_counts_code_points_not_bytes),
		cmocka_unit_test(code_accepts_its_alphabet),
		cmocka_unit_test(code_rejects_outside_its_alphabet),
		cmocka_unit_test(utf8_checks_exactly_len_bytes),
		cmocka_unit_test(length_counts_code_points),
		cmocka_unit_test(normalize_folds_hamza_forms_of_alef),
		cmocka_unit_test(normalize_maps_alef_maqsura_to_yaa),
		cmocka_unit_test(normalize_maps_taa_marbuta_to_haa),
		cmocka_unit_test(normalize_strips_tashkeel),
		cmocka_unit_test(normalize_removes_tatweel),
		cmocka_unit_test(normalize_case_folds_latin),
		cmocka_unit_test(normalize_maps_arabic_indic_digits),
		cmocka_unit_test(normalize_folds_presentation_forms_and_ignorables),
		cmocka_unit_test(normalize_keeps_what_no_rule_covers),
		cmocka_unit_test(normalize_rejects_invalid_utf8),
		cmocka_unit_test(normalize_is_idempotent),
		cmocka_unit_test(normalize_never_grows_arabic_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
