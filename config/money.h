/*
 * Amounts and quantities as exact integers, parsed from and printed to text.
 *
 * Money is int64 minor units: with 2 decimals "12.50" is 1250; with 0
 * decimals "1500" is 1500. Quantities are int64 thousandths: "3" is 3000,
 * "0.250" is 250. No floating point anywhere here. Input may use Western or
 * Arabic-Indic digits (U+0660..U+0669, U+06F0..U+06F9) and '.' or the Arabic
 * decimal separator U+066B. Never divide an amount without saying how the
 * remainder is rounded.
 */
#ifndef POS_MONEY_H
#define POS_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define MONEY_MAX_DECIMALS 3
/* Largest amount or quantity we accept, in minor units: leaves headroom for sums. */
#define MONEY_LIMIT ((int64_t)1000000000000000)	/* 1e15 */

/*
 * Parse amount text with at most `decimals` decimals into *out (minor
 * units). allow_negative permits a leading '-'. Returns POS_OK, or POS_FAIL
 * with a short reason in err ("too many decimals", "not a number", ...).
 */
int	 money_parse(const char *text, int decimals, bool allow_negative,
	    int64_t *out, char *err, size_t errlen);

/*
 * money_parse that also takes the grouping money_display writes
 * ("100,000", "١٠٠٬٠٠٠"): ',' or U+066C between groups of three digits,
 * the first of one to three. Misplaced grouping is "not a number". For
 * what people type; files and the command line keep money_parse.
 */
int	 money_parse_grouped(const char *text, int decimals,
	    bool allow_negative, int64_t *out, char *err, size_t errlen);

/* Parse a quantity (up to 3 decimals, positive) into thousandths, as
 * money_parse. */
int	 qty_parse(const char *text, int64_t *out, char *err, size_t errlen);

/*
 * Format minor units as plain decimal text with Western digits and no
 * grouping ("1500", "-12.50"): the form used in JSON and CSV. Returns the
 * length written (always NUL-terminated; buf of 32 is always enough).
 */
size_t	 money_format(int64_t amount, int decimals, char *buf, size_t len);

/*
 * The same text as a new JSON string (a jansson json_t; caller owns the
 * reference): how both programs put amounts in JSON. json_t is jansson's
 * "struct json_t", declared here so that users of money.h need no jansson.
 */
struct json_t;
struct json_t *money_json(int64_t amount, int decimals);

/*
 * Format for people: grouping, digit style, no symbol ("1,500" or "١٬٥٠٠").
 * buf of 96 is always enough.
 */
size_t	 money_display(int64_t amount, int decimals, enum config_digits digits,
	    char *buf, size_t len);

/* Quantity thousandths as text: "3", "0.25", "1.5" (trailing zeros dropped). */
size_t	 qty_format(int64_t qty, char *buf, size_t len);

/*
 * price x qty / 1000, rounded half up (away from zero): POS_OK, or POS_FAIL
 * on overflow.
 */
int	 money_mul_qty(int64_t price, int64_t qty, int64_t *out);

#endif
