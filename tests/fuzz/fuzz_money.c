/*
 * Amount and quantity text (config/money.h): any bytes parse or are refused
 * without a crash, and what parses survives the round trip
 * format(parse(x)) -> parse -> the same value, for every decimals 0..3.
 * The product with a quantity is checked against 128-bit arithmetic.
 *
 * Input: byte 0 chooses the decimals (bits 0-1), allow_negative (bit 2)
 * and the size of the output buffers (bits 3-7); the rest is the text.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "money.h"

__extension__ typedef __int128 i128;

static bool
magnitude_ok(int64_t v)
{
	return v >= -MONEY_LIMIT && v <= MONEY_LIMIT;
}

/* money_format into a buffer of exactly len bytes, so ASan sees overruns. */
static void
format_small(int64_t v, int decimals, size_t len)
{
	char *buf = malloc(len > 0 ? len : 1);
	size_t n;

	n = money_format(v, decimals, buf, len);
	if (len > 0 && (n >= len || strlen(buf) != n))
		fuzz_fail("money_format(%lld, %d, len %zu) returned %zu",
		    (long long)v, decimals, len, n);
	n = money_display(v, decimals, CONFIG_DIGITS_ARABIC_INDIC, buf, len);
	if (len > 0 && (n >= len || strlen(buf) != n))
		fuzz_fail("money_display returned %zu for len %zu", n, len);
	n = qty_format(v, buf, len);
	if (len > 0 && (n >= len || strlen(buf) != n))
		fuzz_fail("qty_format returned %zu for len %zu", n, len);
	free(buf);
}

static void
check_amount(const char *text, int decimals, bool neg, size_t small)
{
	char err[64], buf[32], again[32], shown[96];
	int64_t v, w;

	if (money_parse(text, decimals, neg, &v, err, sizeof err) != 0) {
		if (err[0] == '\0')
			fuzz_fail("money_parse refused \"%s\" with no reason", text);
		return;
	}
	if (!magnitude_ok(v) || (!neg && v < 0))
		fuzz_fail("money_parse(\"%s\") gave %lld", text, (long long)v);
	money_format(v, decimals, buf, sizeof buf);
	if (money_parse(buf, decimals, true, &w, err, sizeof err) != 0)
		fuzz_fail("money_format(%lld, %d) = \"%s\" does not parse: %s",
		    (long long)v, decimals, buf, err);
	if (w != v)
		fuzz_fail("\"%s\" -> %lld -> \"%s\" -> %lld", text,
		    (long long)v, buf, (long long)w);
	money_format(w, decimals, again, sizeof again);
	if (strcmp(buf, again) != 0)
		fuzz_fail("money_format not stable: \"%s\" then \"%s\"", buf,
		    again);
	/* Both display forms fit the documented 96 bytes. */
	if (money_display(v, decimals, CONFIG_DIGITS_WESTERN, shown,
	    sizeof shown) + 1 >= sizeof shown ||
	    money_display(v, decimals, CONFIG_DIGITS_ARABIC_INDIC, shown,
	    sizeof shown) + 1 >= sizeof shown)
		fuzz_fail("money_display of %lld needs more than 96 bytes",
		    (long long)v);
	format_small(v, decimals, small);
}

static void
check_qty(const char *text, const char *price_text, size_t small)
{
	char err[64], buf[32];
	int64_t q, w, price, prod;
	i128 exact, units;

	if (qty_parse(text, &q, err, sizeof err) != 0)
		return;
	if (q <= 0 || q > MONEY_LIMIT)
		fuzz_fail("qty_parse(\"%s\") gave %lld", text, (long long)q);
	qty_format(q, buf, sizeof buf);
	if (qty_parse(buf, &w, err, sizeof err) != 0 || w != q)
		fuzz_fail("\"%s\" -> %lld -> \"%s\" -> %s", text, (long long)q,
		    buf, err);
	format_small(q, 3, small);

	/* price x qty / 1000, half away from zero, against 128-bit arithmetic. */
	if (money_parse(price_text, 3, true, &price, err, sizeof err) != 0)
		price = 1500;
	exact = (i128)(price < 0 ? -price : price) * q;
	units = exact / 1000 + (exact % 1000 >= 500 ? 1 : 0);
	if (money_mul_qty(price, q, &prod) == 0) {
		if (units > MONEY_LIMIT ||
		    prod != (price < 0 ? -(int64_t)units : (int64_t)units))
			fuzz_fail("money_mul_qty(%lld, %lld) = %lld",
			    (long long)price, (long long)q, (long long)prod);
	} else if (units <= MONEY_LIMIT)
		fuzz_fail("money_mul_qty(%lld, %lld) refused a result in range",
		    (long long)price, (long long)q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *half;
	int decimals;
	bool neg;
	size_t small, n;

	if (size == 0)
		return 0;
	decimals = data[0] & 3;
	neg = (data[0] & 4) != 0;
	small = data[0] >> 3;
	n = size - 1;
	text = malloc(n + 1);
	memcpy(text, data + 1, n);
	text[n] = '\0';

	check_amount(text, decimals, neg, small);
	/* The text may hold a price after a '*', as a sale item does. */
	half = strchr(text, '*');
	if (half != NULL) {
		*half++ = '\0';
		check_qty(text, half, small);
	} else
		check_qty(text, "", small);
	free(text);
	return 0;
}
