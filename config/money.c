#include "money.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

/*
 * Amounts are int64 minor units and quantities int64 thousandths; all the
 * arithmetic here is on their uint64 magnitudes, which holds even -INT64_MIN.
 * Never divide without saying how the remainder is rounded.
 */

#define MONEY_ULIMIT	((uint64_t)MONEY_LIMIT)
#define MONEY_DIGITS	20	/* decimal digits of UINT64_MAX */

/* What the parser found; the caller checks sign and range for its kind. */
struct money_scan {
	bool		 negative;
	uint64_t	 value;		/* in units of 10^-decimals; > limit is sticky */
};

/* An output buffer that only ever holds whole characters and a NUL. */
struct money_out {
	char		*buf;
	size_t		 len;
	size_t		 pos;
	bool		 full;
};

static const char *money_decimal_sep[] = {
	[CONFIG_DIGITS_WESTERN] = ".",
	[CONFIG_DIGITS_ARABIC_INDIC] = "\xd9\xab",	/* U+066B */
};
static const char *money_group_sep[] = {
	[CONFIG_DIGITS_WESTERN] = ",",
	[CONFIG_DIGITS_ARABIC_INDIC] = "\xd9\xac",	/* U+066C */
};

static void money_error(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
money_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * The digit at s, Western or Arabic-Indic in UTF-8 (U+0660..U+0669 are
 * D9 A0..D9 A9, U+06F0..U+06F9 are DB B0..DB B9). Returns the bytes it
 * takes and sets *digit, or 0 if s does not start with a digit.
 */
static size_t
money_digit(const char *s, int *digit)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] >= '0' && u[0] <= '9') {
		*digit = u[0] - '0';
		return 1;
	}
	if (u[0] == 0xd9 && u[1] >= 0xa0 && u[1] <= 0xa9) {
		*digit = u[1] - 0xa0;
		return 2;
	}
	if (u[0] == 0xdb && u[1] >= 0xb0 && u[1] <= 0xb9) {
		*digit = u[1] - 0xb0;
		return 2;
	}
	return 0;
}

/* The bytes of a decimal separator ('.' or U+066B) at s, or 0. */
static size_t
money_separator(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == '.')
		return 1;
	if (u[0] == 0xd9 && u[1] == 0xab)
		return 2;
	return 0;
}

/* The bytes of a grouping separator (',' or U+066C) at s, or 0. */
static size_t
money_group(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == ',')
		return 1;
	if (u[0] == 0xd9 && u[1] == 0xac)
		return 2;
	return 0;
}

/* Append a digit to a magnitude; once past the limit it stays past it. */
static uint64_t
money_push(uint64_t value, int digit)
{
	if (value > MONEY_ULIMIT)
		return value;
	return value * 10 + (uint64_t)digit;	/* <= 1e16 + 9: no overflow */
}

/*
 * Read [-]digits[sep digits] with at most `decimals` decimals, scaled to
 * 10^-decimals. Syntax is checked first, then the decimals, then the range,
 * so one input always gives the same reason.
 */
static int
money_scan(const char *text, int decimals, bool grouped,
    struct money_scan *scan, char *err, size_t errlen)
{
	const char *p = text;
	size_t n;
	int digit, nint = 0, nfrac = 0, i, ingroup = 0, ngroups = 0;

	scan->negative = false;
	scan->value = 0;
	if (decimals < 0 || decimals > MONEY_MAX_DECIMALS) {
		money_error(err, errlen, "decimals must be 0..%d",
		    MONEY_MAX_DECIMALS);
		return POS_FAIL;
	}
	if (p == NULL)
		goto nan;
	if (*p == '-') {
		scan->negative = true;
		p++;
	}
	for (;;) {
		if ((n = money_digit(p, &digit)) != 0) {
			scan->value = money_push(scan->value, digit);
			nint++;
			ingroup++;
			p += n;
			continue;
		}
		/* Grouping as money_display writes it: 1-3 digits, then threes. */
		if (!grouped || (n = money_group(p)) == 0)
			break;
		if (ingroup == 0 || ingroup > 3 || (ngroups > 0 && ingroup != 3))
			goto nan;
		ngroups++;
		ingroup = 0;
		p += n;
	}
	if (nint == 0 || (ngroups > 0 && ingroup != 3))
		goto nan;
	if ((n = money_separator(p)) != 0) {
		p += n;
		while ((n = money_digit(p, &digit)) != 0) {
			scan->value = money_push(scan->value, digit);
			nfrac++;
			p += n;
		}
		if (nfrac == 0)
			goto nan;
	}
	if (*p != '\0')
		goto nan;
	if (nfrac > decimals) {
		money_error(err, errlen, "too many decimals (at most %d)",
		    decimals);
		return POS_FAIL;
	}
	for (i = nfrac; i < decimals; i++)
		scan->value = money_push(scan->value, 0);
	if (scan->value > MONEY_ULIMIT) {
		money_error(err, errlen, "too large");
		return POS_FAIL;
	}
	return POS_OK;

nan:
	money_error(err, errlen, "not a number");
	return POS_FAIL;
}

/* An amount, with or without grouping separators. */
static int
money_parse_as(const char *text, int decimals, bool grouped,
    bool allow_negative, int64_t *out, char *err, size_t errlen)
{
	struct money_scan scan;

	if (money_scan(text, decimals, grouped, &scan, err, errlen) != 0)
		return POS_FAIL;
	if (scan.negative && !allow_negative) {
		money_error(err, errlen, "must not be negative");
		return POS_FAIL;
	}
	*out = scan.negative ? -(int64_t)scan.value : (int64_t)scan.value;
	return POS_OK;
}

int
money_parse(const char *text, int decimals, bool allow_negative,
    int64_t *out, char *err, size_t errlen)
{
	return money_parse_as(text, decimals, false, allow_negative, out, err,
	    errlen);
}

int
money_parse_grouped(const char *text, int decimals, bool allow_negative,
    int64_t *out, char *err, size_t errlen)
{
	return money_parse_as(text, decimals, true, allow_negative, out, err,
	    errlen);
}

int
qty_parse(const char *text, int64_t *out, char *err, size_t errlen)
{
	struct money_scan scan;

	if (money_scan(text, 3, false, &scan, err, errlen) != 0)
		return POS_FAIL;
	if (scan.negative || scan.value == 0) {
		money_error(err, errlen, "must be positive");
		return POS_FAIL;
	}
	*out = (int64_t)scan.value;
	return POS_OK;
}

static void
money_out_init(struct money_out *o, char *buf, size_t len)
{
	o->buf = buf;
	o->len = len;
	o->pos = 0;
	o->full = false;
	if (len != 0)
		buf[0] = '\0';
}

/* Append all of s or, once anything did not fit, nothing more. */
static void
money_out_add(struct money_out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->full || o->len == 0 || n > o->len - 1 - o->pos) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->pos, s, n);
	o->pos += n;
	o->buf[o->pos] = '\0';
}

static void
money_out_digit(struct money_out *o, int digit, enum config_digits style)
{
	char s[3];

	if (style == CONFIG_DIGITS_ARABIC_INDIC) {
		s[0] = (char)0xd9;
		s[1] = (char)(0xa0 + digit);
		s[2] = '\0';
	} else {
		s[0] = (char)('0' + digit);
		s[1] = '\0';
	}
	money_out_add(o, s);
}

static uint64_t
money_magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/*
 * Write amount with `decimals` decimals: grouped in threes or not, in the
 * given digit style. decimals outside 0..MONEY_MAX_DECIMALS are clamped.
 */
static size_t
money_render(int64_t amount, int decimals, bool group,
    enum config_digits style, char *buf, size_t len)
{
	struct money_out o;
	char digits[MONEY_DIGITS + MONEY_MAX_DECIMALS + 1];
	uint64_t mag = money_magnitude(amount);
	int n = 0, i;

	if (decimals < 0)
		decimals = 0;
	if (decimals > MONEY_MAX_DECIMALS)
		decimals = MONEY_MAX_DECIMALS;
	if (style != CONFIG_DIGITS_ARABIC_INDIC)
		style = CONFIG_DIGITS_WESTERN;

	/* Least significant first, at least one integer digit. */
	do {
		digits[n++] = (char)(mag % 10);
		mag /= 10;
	} while (mag != 0 || n <= decimals);

	money_out_init(&o, buf, len);
	if (amount < 0)
		money_out_add(&o, "-");
	for (i = n - 1; i >= 0; i--) {
		money_out_digit(&o, digits[i], style);
		if (i == decimals && decimals != 0)
			money_out_add(&o, money_decimal_sep[style]);
		else if (group && i > decimals && (i - decimals) % 3 == 0)
			money_out_add(&o, money_group_sep[style]);
	}
	return o.pos;
}

size_t
money_format(int64_t amount, int decimals, char *buf, size_t len)
{
	return money_render(amount, decimals, false, CONFIG_DIGITS_WESTERN,
	    buf, len);
}

json_t *
money_json(int64_t amount, int decimals)
{
	char buf[32];

	money_format(amount, decimals, buf, sizeof buf);
	return json_string(buf);
}

size_t
money_display(int64_t amount, int decimals, enum config_digits digits,
    char *buf, size_t len)
{
	return money_render(amount, decimals, true, digits, buf, len);
}

size_t
qty_format(int64_t qty, char *buf, size_t len)
{
	struct money_out o;
	char s[MONEY_DIGITS + 1];
	uint64_t mag = money_magnitude(qty), frac = mag % 1000;
	int n;

	money_out_init(&o, buf, len);
	if (qty < 0)
		money_out_add(&o, "-");
	snprintf(s, sizeof s, "%llu", (unsigned long long)(mag / 1000));
	money_out_add(&o, s);
	if (frac != 0) {
		snprintf(s, sizeof s, ".%03llu", (unsigned long long)frac);
		for (n = 4; s[n - 1] == '0'; n--)
			s[n - 1] = '\0';
		money_out_add(&o, s);
	}
	return o.pos;
}

int
money_mul_qty(int64_t price, int64_t qty, int64_t *out)
{
	uint64_t a = money_magnitude(price), b = money_magnitude(qty);
	uint64_t product, units;

	/* Portable to targets without __int128 (32-bit ARM tills). */
	if (a != 0 && b > UINT64_MAX / a)
		return POS_FAIL;
	product = a * b;
	/* Thousandths to units, half away from zero: sign is applied after. */
	units = product / 1000 + (product % 1000 >= 500 ? 1 : 0);
	if (units > MONEY_ULIMIT)
		return POS_FAIL;
	*out = (price < 0) != (qty < 0) ? -(int64_t)units : (int64_t)units;
	return POS_OK;
}
