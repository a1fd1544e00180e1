/*
 * buf.c: the growable byte buffer the renderers and the ledger encoder
 * write into.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"

static void
appends_keep_every_byte_in_order(void **state)
{
	struct buf b = { NULL, 0, 0 };
	char want[5000];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof want; i++) {
		want[i] = (char)('a' + i % 26);
		if (i % 3 == 0)
			buf_addc(&b, want[i]);
		else
			buf_add(&b, &want[i], 1);
	}
	assert_int_equal(b.len, sizeof want);
	assert_true(b.cap > b.len);
	assert_memory_equal(b.data, want, sizeof want);
	free(b.data);
}

static void
strings_runs_and_empty_appends(void **state)
{
	struct buf b = { NULL, 0, 0 };

	(void)state;
	buf_add(&b, "", 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	buf_adds(&b, "ab");
	buf_addn(&b, '-', 3);
	buf_addn(&b, '-', 0);
	buf_adds(&b, "");
	buf_addc(&b, 0);
	buf_adds(&b, "c");
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "ab---\0c", 7);
	assert_string_equal(buf_str(&b) + 6, "c");
	assert_int_equal(b.len, 7);	/* the NUL is not counted */
	free(b.data);
}

static void
room_made_once_takes_unchecked_puts(void **state)
{
	struct buf b = { NULL, 0, 0 };
	static const char piece[] = "0123456789";
	size_t i, cap;

	(void)state;
	buf_need(&b, 3000);
	cap = b.cap;
	assert_true(cap > 3000);
	for (i = 0; i < 300; i++)
		buf_put(&b, piece, 10);
	assert_int_equal(b.cap, cap);
	assert_int_equal(b.len, 3000);
	assert_memory_equal(b.data + 2990, piece, 10);
	/* Still room for the NUL without growing. */
	buf_str(&b);
	assert_int_equal(b.cap, cap);
	free(b.data);
}

static void
a_buffer_taken_over_keeps_growing_from_its_length(void **state)
{
	struct buf b;
	unsigned char *start = malloc(4);

	(void)state;
	memcpy(start, "ab", 2);
	b.data = start;
	b.len = 2;
	b.cap = 4;
	buf_adds(&b, "cdefgh");
	assert_string_equal(buf_str(&b), "abcdefgh");
	free(b.data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(appends_keep_every_byte_in_order),
		cmocka_unit_test(strings_runs_and_empty_appends),
		cmocka_unit_test(room_made_once_takes_unchecked_puts),
		cmocka_unit_test(a_buffer_taken_over_keeps_growing_from_its_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
