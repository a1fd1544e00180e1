/*
 * Unit tests of what the office's pages are made with: the one escaping
 * function and the HTML and CSV writers (html.h), and the password
 * derivation and clock arithmetic of the accounts (account.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "account.h"
#include "buf.h"
#include "cstore.h"
#include "html.h"
#include "master.h"
#include "plink.h"
#include "web_producer.h"
#include "xalloc.h"

static char *
take(struct buf *b)
{
	char *s = buf_str(b);

	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

static void
html_escapes_the_five_markup_characters(void **state)
{
	struct buf b = { 0 };
	char *s;

	(void)state;
	html_esc(&b, "<img src=x onerror=alert(1)> \"'&");
	html_esc(&b, NULL);
	s = take(&b);
	assert_string_equal(s, "&lt;img src=x onerror=alert(1)&gt; "
	    "&quot;&#39;&amp;");
	free(s);
}

static void
html_put_escapes_every_string_value(void **state)
{
	struct buf b = { 0 };
	char *s;

	(void)state;
	html_put(&b, "<td data-x=\"%s\">%s</td> %d %D %%", "\"><script>",
	    "مخبز <b>", -7, (int64_t)1234567890123);
	s = take(&b);
	assert_string_equal(s, "<td data-x=\"&quot;&gt;&lt;script&gt;\">"
	    "مخبز &lt;b&gt;</td> -7 1234567890123 %");
	free(s);
}

static void
csv_quotes_and_defuses_formulas_but_not_numbers(void **state)
{
	struct buf b = { 0 };
	char *s;

	(void)state;
	html_csv(&b, "a,b", 0);
	html_csv(&b, "say \"hi\"", 0);
	html_csv(&b, "=cmd()", 0);
	html_csv(&b, "-1850", 0);
	html_csv(&b, "-12.50", 0);
	html_csv(&b, "<img>", 0);
	html_csv(&b, NULL, 1);
	s = take(&b);
	assert_string_equal(s, "\"a,b\",\"say \"\"hi\"\"\",\"'=cmd()\","
	    "-1850,-12.50,<img>,\r\n");
	free(s);
}

static void
passwords_are_salted_and_checked(void **state)
{
	char *a, *b;

	(void)state;
	a = account_hash("correct horse", 13);
	b = account_hash("correct horse", 13);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_not_equal(a, b);
	assert_int_equal(strncmp(a, "pbkdf2-sha256$600000$", 21), 0);
	assert_true(account_check(a, "correct horse", 13));
	assert_false(account_check(a, "correct horsf", 13));
	assert_false(account_check(a, "correct hors", 12));
	/* Computed with Python's hashlib.pbkdf2_hmac, 2 rounds. */
	assert_true(account_check("pbkdf2-sha256$2$"
	    "000102030405060708090a0b0c0d0e0f$"
	    "a0ffd34292e4e7d519ee0f25124e0c5b9481d88be40f4662eb6cb4b9e43f9f41",
	    "password", 8));
	assert_false(account_check("pbkdf2-sha256$0$73616c74$00", "x", 1));
	assert_false(account_check("md5$1$00$00", "x", 1));
	assert_false(account_check("", "x", 1));
	free(a);
	free(b);
}

static void
clock_arithmetic_crosses_days(void **state)
{
	char out[21];

	(void)state;
	assert_true(account_time_add("2026-03-01T23:50:00Z", 15 * 60, out));
	assert_string_equal(out, "2026-03-02T00:05:00Z");
	assert_true(account_time_add("2026-03-01T00:10:00Z", -15 * 60, out));
	assert_string_equal(out, "2026-02-28T23:55:00Z");
	assert_false(account_time_add("2026-03-01 00:10", 0, out));
}

static void
names_and_roles(void **state)
{
	(void)state;
	assert_true(account_name_valid("mona.k@office"));
	assert_false(account_name_valid(""));
	assert_false(account_name_valid("a<b"));
	assert_false(account_name_valid("منى"));
	assert_true(account_role_valid("office"));
	assert_true(account_role_valid("admin"));
	assert_false(account_role_valid("attendant"));
}

/* A link's token: 64 hex digits, fixed by key, code and rotation. */
static void
link_tokens_change_with_rotation_code_and_key(void **state)
{
	uint8_t key[PLINK_KEY] = { 1 }, other[PLINK_KEY] = { 2 };
	char a[TOKEN_HEX], b[TOKEN_HEX], c[TOKEN_HEX], d[TOKEN_HEX];
	char e[TOKEN_HEX];
	char *url;

	(void)state;
	plink_token(key, "F07", 0, a);
	plink_token(key, "F07", 0, b);
	plink_token(key, "F07", 1, c);
	plink_token(key, "F071", 0, d);
	plink_token(other, "F07", 0, e);
	assert_true(token_well_formed(a, strlen(a)));
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_not_equal(a, d);
	assert_string_not_equal(a, e);
	url = plink_url("https://x.example//", a);
	assert_int_equal(strncmp(url, "https://x.example/p/", 20), 0);
	free(url);
}

/* The office's view of a producer's page: the name is text. */
static void
producer_page_escapes_the_name(void **state)
{
	char dir[] = "/tmp/web-unit-XXXXXX", *db, *html;
	struct web_producer_args a = { .self = "/p/x", .from = "2026-03-01",
	    .to = "2026-03-03" };
	struct web_producer_out o;
	struct cstore *st;
	int64_t version;

	(void)state;
	assert_non_null(mkdtemp(dir));
	db = xasprintf("%s/c.db", dir);
	assert_int_equal(cstore_open(db, true, &st, NULL), POS_OK);
	assert_int_equal(master_producer_add(st, "X1",
	    "<img src=x onerror=alert(1)>", NULL, &version, NULL), POS_OK);
	web_producer_render(st, "X1", &a, &o);
	assert_int_equal(o.status, 200);
	html = buf_str(&o.body);
	assert_non_null(strstr(html, "&lt;img src=x onerror=alert(1)&gt;"));
	assert_null(strstr(html, "<img"));
	assert_non_null(strstr(html, "dir=\"rtl\""));
	/* One bar a day of the period. */
	assert_non_null(strstr(html, "data-date=\"2026-03-03\""));
	assert_null(strstr(html, "data-date=\"2026-03-04\""));
	free(o.body.data);
	free(o.filename);
	a.from = "2026-03-04";
	web_producer_render(st, "X1", &a, &o);
	assert_int_equal(o.status, 400);
	free(o.body.data);
	cstore_close(st);
	unlink(db);
	free(db);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(html_escapes_the_five_markup_characters),
		cmocka_unit_test(html_put_escapes_every_string_value),
		cmocka_unit_test(csv_quotes_and_defuses_formulas_but_not_numbers),
		cmocka_unit_test(passwords_are_salted_and_checked),
		cmocka_unit_test(clock_arithmetic_crosses_days),
		cmocka_unit_test(names_and_roles),
		cmocka_unit_test(link_tokens_change_with_rotation_code_and_key),
		cmocka_unit_test(producer_page_escapes_the_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
