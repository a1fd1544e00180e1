/*
 * The rules on what an entry says, beyond its form (ledger_validate.c):
 * what each kind carries, the arithmetic of a sale, a void and a refund as
 * the window computes it (pos/domain/sale.c), the receipt number that names
 * the entry's own branch, terminal and seq, and its dates against a clock.
 * The window runs them before it seals a sale, a void or a refund; the
 * central server refuses an entry that breaks one (sync/PROTOCOL.md).
 *
 * Amounts are minor units and quantities thousandths: every sum here is of
 * at most LEDGER_MAX_LINES values within LEDGER_MAX_AMOUNT, far inside
 * int64_t, and nothing is divided.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger.h"
#include "ledger_int.h"
#include "money.h"
#include "xalloc.h"

_Static_assert(LEDGER_MAX_AMOUNT == MONEY_LIMIT,
    "the ledger's bound on amounts is money.h's");

/* What a kind of entry carries, besides its arithmetic. */
enum rules_need { NONE, OPTIONAL, REQUIRED };
enum rules_amount { AMOUNT_ZERO, AMOUNT_NONNEG, AMOUNT_POSITIVE };
enum rules_sums { SUMS_ZERO, SUMS_CLOSE, SUMS_SALE, SUMS_VOID, SUMS_REFUND };

struct rules_kind {
	const char		*kind;
	enum rules_need		 lines;		/* REQUIRED: at least one */
	enum rules_need		 ref;		/* ref_uuid and ref_receipt */
	enum rules_need		 producer;	/* producer_code and _name */
	enum rules_need		 reason;
	enum rules_amount	 amount;
	enum rules_sums		 sums;		/* total, discount, paid,
						   change, payments */
};

static const struct rules_kind rules_kinds[] = {
	{ .kind = "day_open", .lines = NONE, .ref = NONE, .producer = NONE,
	  .reason = OPTIONAL, .amount = AMOUNT_NONNEG, .sums = SUMS_ZERO },
	{ .kind = "sale", .lines = REQUIRED, .ref = NONE, .producer = NONE,
	  .reason = OPTIONAL, .amount = AMOUNT_ZERO, .sums = SUMS_SALE },
	{ .kind = "void", .lines = NONE, .ref = REQUIRED, .producer = NONE,
	  .reason = REQUIRED, .amount = AMOUNT_ZERO, .sums = SUMS_VOID },
	{ .kind = "refund", .lines = REQUIRED, .ref = REQUIRED,
	  .producer = NONE, .reason = OPTIONAL, .amount = AMOUNT_ZERO,
	  .sums = SUMS_REFUND },
	{ .kind = "payout", .lines = NONE, .ref = NONE, .producer = REQUIRED,
	  .reason = OPTIONAL, .amount = AMOUNT_POSITIVE, .sums = SUMS_ZERO },
	{ .kind = "cash_in", .lines = NONE, .ref = NONE, .producer = NONE,
	  .reason = REQUIRED, .amount = AMOUNT_POSITIVE, .sums = SUMS_ZERO },
	{ .kind = "cash_out", .lines = NONE, .ref = NONE, .producer = NONE,
	  .reason = REQUIRED, .amount = AMOUNT_POSITIVE, .sums = SUMS_ZERO },
	{ .kind = "day_close", .lines = NONE, .ref = NONE, .producer = NONE,
	  .reason = OPTIONAL, .amount = AMOUNT_NONNEG, .sums = SUMS_CLOSE },
};

#define RULES_NKINDS (sizeof rules_kinds / sizeof rules_kinds[0])

static const struct rules_kind *
rules_kind(const char *kind)
{
	for (size_t i = 0; i < RULES_NKINDS; i++)
		if (strcmp(rules_kinds[i].kind, kind) == 0)
			return &rules_kinds[i];
	return NULL;
}

/* A field that a kind needs, may have or must not have. */
static int
rules_need(enum rules_need need, const char *name, const void *v,
    const char *kind, char **cause)
{
	if (need == REQUIRED && v == NULL)
		return ledger_complain(cause, NULL, name, "a %s needs one",
		    kind);
	if (need == NONE && v != NULL)
		return ledger_complain(cause, NULL, name, "must be null on a %s",
		    kind);
	return POS_OK;
}

static int
rules_equal(const char *where, const char *name, int64_t have, int64_t want,
    const char *what, char **cause)
{
	if (have != want)
		return ledger_complain(cause, where, name, "%lld is not %s "
		    "(%lld)", (long long)have, what, (long long)want);
	return POS_OK;
}

/* A line of a sale or a refund: its quantity, unit and own arithmetic. */
static int
rules_line(const struct ledger_line *l, size_t i, bool priced, char **cause)
{
	char where[32];
	int64_t want;

	snprintf(where, sizeof where, "lines[%zu]", i);
	if (l->qty <= 0)
		return ledger_complain(cause, where, "qty", "must be positive");
	if (strcmp(l->unit, "piece") == 0 && l->qty % 1000 != 0)
		return ledger_complain(cause, where, "qty", "%lld thousandths "
		    "of a piece: must be whole", (long long)l->qty);
	if (l->unit_price < 0)
		return ledger_complain(cause, where, "unit_price",
		    "must not be negative");
	/* A refund's line is its share of the sale line, not priced anew. */
	if (priced && (money_mul_qty(l->unit_price, l->qty, &want) != POS_OK ||
	    l->total != want))
		return ledger_complain(cause, where, "total", "%lld is not "
		    "unit_price x qty rounded half up", (long long)l->total);
	if (l->total < 0)
		return ledger_complain(cause, where, "total",
		    "must not be negative");
	if (l->discount < 0 || l->discount > l->total)
		return ledger_complain(cause, where, "discount", "%lld is not "
		    "between 0 and the line's total %lld",
		    (long long)l->discount, (long long)l->total);
	return rules_equal(where, "net", l->net, l->total - l->discount,
	    "total - discount", cause);
}

/* The lines' sums: they are the entry's total and discount. */
static int
rules_lines(const struct ledger_entry *e, bool priced, char **cause)
{
	int64_t gross = 0, discount = 0, net = 0;

	for (size_t i = 0; i < e->nlines; i++) {
		if (rules_line(&e->lines[i], i, priced, cause) != POS_OK)
			return POS_FAIL;
		gross += e->lines[i].total;
		discount += e->lines[i].discount;
		net += e->lines[i].net;
	}
	if (gross > LEDGER_MAX_AMOUNT)
		return ledger_complain(cause, NULL, "lines", "the lines' totals "
		    "add up to %lld, over the limit of %lld", (long long)gross,
		    (long long)LEDGER_MAX_AMOUNT);
	if (rules_equal(NULL, "discount", e->discount, discount,
	    "the sum of the lines' discounts", cause) != POS_OK)
		return POS_FAIL;
	return rules_equal(NULL, "total", e->total, net,
	    "the sum of the lines' net", cause);
}

/*
 * The payments of a sale or a refund: they pay the total exactly, the
 * tendered money is what was paid, and only cash gives change.
 */
static int
rules_payments(const struct ledger_entry *e, bool change_ok, char **cause)
{
	int64_t tendered = 0, applied = 0;
	char where[32];

	if (e->npayments == 0)
		return ledger_complain(cause, NULL, "payments", "a %s needs at "
		    "least one", e->kind);
	for (size_t i = 0; i < e->npayments; i++) {
		const struct ledger_payment *p = &e->payments[i];

		snprintf(where, sizeof where, "payments[%zu]", i);
		if (p->tendered < 0)
			return ledger_complain(cause, where, "tendered",
			    "must not be negative");
		if (p->amount < 0 || p->amount > p->tendered)
			return ledger_complain(cause, where, "amount", "%lld is "
			    "not between 0 and what was tendered (%lld)",
			    (long long)p->amount, (long long)p->tendered);
		if (p->amount != p->tendered && (!change_ok ||
		    strcmp(p->method, "cash") != 0))
			return ledger_complain(cause, where, "amount", "%lld is "
			    "not what was tendered (%lld): only cash gives "
			    "change", (long long)p->amount,
			    (long long)p->tendered);
		tendered += p->tendered;
		applied += p->amount;
	}
	if (rules_equal(NULL, "paid", e->paid, tendered,
	    "the sum of the payments' tendered", cause) != POS_OK ||
	    rules_equal(NULL, "total", e->total, applied,
	    "the sum of the payments' amounts", cause) != POS_OK)
		return POS_FAIL;
	return rules_equal(NULL, "change", e->change, e->paid - e->total,
	    "paid - total", cause);
}

static int
rules_zero(const char *name, int64_t v, const char *kind, char **cause)
{
	if (v != 0)
		return ledger_complain(cause, NULL, name, "must be 0 on a %s",
		    kind);
	return POS_OK;
}

static int
rules_sums(const struct ledger_entry *e, const struct rules_kind *k,
    char **cause)
{
	switch (k->sums) {
	case SUMS_ZERO:
		if (rules_zero("total", e->total, e->kind, cause) != POS_OK)
			return POS_FAIL;
		/* FALLTHROUGH */
	case SUMS_CLOSE:	/* total: the cash the drawer should hold */
		if (rules_zero("discount", e->discount, e->kind, cause) !=
		    POS_OK ||
		    rules_zero("paid", e->paid, e->kind, cause) != POS_OK ||
		    rules_zero("change", e->change, e->kind, cause) != POS_OK)
			return POS_FAIL;
		if (e->npayments > 0)
			return ledger_complain(cause, NULL, "payments",
			    "must be empty on a %s", e->kind);
		return POS_OK;
	case SUMS_SALE:
		return rules_lines(e, true, cause) != POS_OK ? POS_FAIL :
		    rules_payments(e, true, cause);
	case SUMS_REFUND:
		if (rules_lines(e, false, cause) != POS_OK)
			return POS_FAIL;
		if (rules_equal(NULL, "paid", e->paid, e->total, "total",
		    cause) != POS_OK)
			return POS_FAIL;
		return rules_payments(e, false, cause);
	case SUMS_VOID:		/* the voided sale's figures, copied */
		if (e->npayments > 0)
			return ledger_complain(cause, NULL, "payments",
			    "must be empty on a void");
		if (e->total < 0)
			return ledger_complain(cause, NULL, "total",
			    "must not be negative");
		if (e->discount < 0)
			return ledger_complain(cause, NULL, "discount",
			    "must not be negative");
		if (e->change < 0)
			return ledger_complain(cause, NULL, "change",
			    "must not be negative");
		return rules_equal(NULL, "change", e->change,
		    e->paid - e->total, "paid - total", cause);
	}
	return POS_OK;
}

int
ledger_rules_amounts(const struct ledger_entry *e, char **cause)
{
	const struct rules_kind *k;

	if (cause != NULL)
		*cause = NULL;
	if ((k = rules_kind(e->kind)) == NULL)
		return ledger_complain(cause, NULL, "kind", "%s",
		    ledger_check_kind(e->kind));
	if (k->lines == REQUIRED && e->nlines == 0)
		return ledger_complain(cause, NULL, "lines", "a %s needs at "
		    "least one", e->kind);
	if (k->lines == NONE && e->nlines > 0)
		return ledger_complain(cause, NULL, "lines", "must be empty on "
		    "a %s", e->kind);
	if (rules_need(k->ref, "ref_uuid", e->ref_uuid, e->kind, cause) != 0 ||
	    rules_need(k->ref, "ref_receipt", e->ref_receipt, e->kind,
	    cause) != 0 ||
	    rules_need(k->producer, "producer_code", e->producer_code,
	    e->kind, cause) != 0 ||
	    rules_need(k->producer, "producer_name", e->producer_name,
	    e->kind, cause) != 0 ||
	    rules_need(k->reason, "reason", e->reason, e->kind, cause) != 0)
		return POS_FAIL;
	if ((k->amount == AMOUNT_ZERO && e->amount != 0) ||
	    (k->amount == AMOUNT_NONNEG && e->amount < 0) ||
	    (k->amount == AMOUNT_POSITIVE && e->amount <= 0))
		return ledger_complain(cause, NULL, "amount", "must be %s on a "
		    "%s", k->amount == AMOUNT_ZERO ? "0" :
		    k->amount == AMOUNT_NONNEG ? "0 or more" : "positive",
		    e->kind);
	return rules_sums(e, k, cause);
}

/*
 * s is "<branch>-<terminal>-<n>" with n as a receipt writes it (at least
 * six digits, zero-padded) and 1 <= n <= max: *n is set.
 */
static bool
rules_receipt_of(const struct ledger_entry *e, const char *s, int64_t max,
    int64_t *n)
{
	char prefix[LEDGER_MAX_RECEIPT + 1], again[LEDGER_MAX_RECEIPT + 1];
	const char *num;
	char *end;
	long long v;
	int len;

	len = snprintf(prefix, sizeof prefix, "%s-%lld-", e->branch,
	    (long long)e->terminal);
	if (len < 0 || (size_t)len >= sizeof prefix ||
	    strncmp(s, prefix, (size_t)len) != 0)
		return false;
	num = s + len;
	if (*num < '0' || *num > '9')
		return false;
	v = strtoll(num, &end, 10);
	if (*end != '\0' || v < 1 || v > max)
		return false;
	snprintf(again, sizeof again, "%06lld", v);
	if (strcmp(again, num) != 0)
		return false;
	*n = v;
	return true;
}

/* The receipt numbers: the entry's own, and the one it corrects. */
static int
rules_identity(const struct ledger_entry *e, char **cause)
{
	int64_t n;

	if (!rules_receipt_of(e, e->receipt, INT64_MAX, &n) || n != e->seq)
		return ledger_complain(cause, NULL, "receipt", "%s is not "
		    "%s-%lld-%06lld: a receipt names its branch, terminal and "
		    "seq", e->receipt, e->branch, (long long)e->terminal,
		    (long long)e->seq);
	if (e->ref_receipt != NULL && !rules_receipt_of(e, e->ref_receipt,
	    e->seq - 1, &n))
		return ledger_complain(cause, NULL, "ref_receipt", "%s is not "
		    "an earlier receipt of %s terminal %lld", e->ref_receipt,
		    e->branch, (long long)e->terminal);
	return POS_OK;
}

int
ledger_rules(const struct ledger_entry *e, char **cause)
{
	if (cause != NULL)
		*cause = NULL;
	if (rules_identity(e, cause) != POS_OK)
		return POS_FAIL;
	return ledger_rules_amounts(e, cause);
}

/*
 * Days since 1970-01-01 of the date a "YYYY-MM-DD..." string starts with;
 * INT64_MIN when it does not start with a real date.
 */
static int64_t
ledger_days(const char *date)
{
	struct tm tm;
	char day[11];
	time_t t;

	memset(&tm, 0, sizeof tm);
	if (date == NULL || strlen(date) < 10)
		return INT64_MIN;
	memcpy(day, date, 10);
	day[10] = '\0';
	if (ledger_check_date(day) != NULL)
		return INT64_MIN;
	tm.tm_year = (int)strtol(day, NULL, 10) - 1900;
	tm.tm_mon = (int)strtol(day + 5, NULL, 10) - 1;
	tm.tm_mday = (int)strtol(day + 8, NULL, 10);
	tm.tm_hour = 12;
	if ((t = timegm(&tm)) == (time_t)-1)
		return INT64_MIN;
	return (int64_t)(t / 86400);
}

static int
rules_date(const char *name, const char *value, int64_t days, int64_t today,
    int ahead, int back, char **cause)
{
	if (days > today + ahead)
		return ledger_complain(cause, NULL, name, "%s is more than %d "
		    "days after the server's date", value, ahead);
	if (days < today - back)
		return ledger_complain(cause, NULL, name, "%s is more than %d "
		    "days before the server's date", value, back);
	return POS_OK;
}

int
ledger_rules_dates(const struct ledger_entry *e, const char *now, int ahead,
    int back, char **cause)
{
	int64_t today = ledger_days(now);

	if (cause != NULL)
		*cause = NULL;
	if (today == INT64_MIN)
		return ledger_complain(cause, NULL, "now", "not a date");
	if (rules_date("created_at", e->created_at, ledger_days(e->created_at),
	    today, ahead, back, cause) != POS_OK)
		return POS_FAIL;
	return rules_date("business_date", e->business_date,
	    ledger_days(e->business_date), today, ahead, back, cause);
}
