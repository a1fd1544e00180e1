/*
 * Slips. Labels come in English or Arabic ([ui] language = ar); names are
 * printed as stored. Amounts use the configured symbol, and every figure a
 * person reads as a number uses the configured digits: amounts, unit
 * prices, quantities, counts, dates and times. Identifiers stay as they
 * are stored, in Western digits, because they are typed back and matched
 * by the centre: receipt numbers, product and producer codes, the QR code.
 *
 * A quantity line reads as one unit in either direction: the quantity
 * with its unit and the unit price with its symbol are each a bidi isolate
 * (FSI..PDI) held together by no-break spaces around the multiplication
 * sign, so no printer or viewer reorders or wraps inside it.
 */
#include "slip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "mdata.h"
#include "money.h"
#include "xalloc.h"

#define SLIP_LRI	"\xe2\x81\xa6"	/* U+2066 left-to-right isolate */
#define SLIP_FSI	"\xe2\x81\xa8"	/* U+2068 first strong isolate */
#define SLIP_PDI	"\xe2\x81\xa9"	/* U+2069 pop directional isolate */
#define SLIP_NBSP	"\xc2\xa0"
#define SLIP_TIMES	"\xc3\x97"	/* U+00D7 */
/* The built-in [window] footer; an Arabic slip prints it in Arabic. */
#define SLIP_FOOTER_EN	"Thank you"
#define SLIP_FOOTER_AR	"شكراً لزيارتكم"

enum slip_label {
	L_RECEIPT, L_COPY, L_ATTENDANT, L_SUBTOTAL, L_DISCOUNT, L_TOTAL,
	L_CASH, L_CARD, L_OTHER, L_CHANGE, L_VOID, L_REFUND, L_FOR, L_REASON,
	L_PAYOUT, L_PRODUCER, L_SIGNATURE, L_CASH_IN, L_CASH_OUT, L_DAY_OPEN,
	L_FLOAT, L_X, L_Z, L_SALES, L_GROSS, L_REFUNDS, L_VOIDS, L_NET,
	L_PAYOUTS, L_EXPECTED, L_COUNTED, L_DIFFERENCE, L_STATEMENT, L_SOLD,
	L_REFUNDED, L_PAID_OUT, L_BALANCE, L_OWED, L_OWES, L_OVERPAID, L_RETURNED,
	L_DISC_SHARE, L_KG, L_SESSION, L_SESSIONS, L_FIRST_SALE, L_LAST_SALE,
	L_OWED_HERE, L_OWED_ALL, L_AS_OF, L_COUNT
};

static const char *const slip_labels[L_COUNT][2] = {
	[L_RECEIPT] = { "Receipt", "إيصال" },
	[L_COPY] = { "COPY", "نسخة" },
	[L_ATTENDANT] = { "Attendant", "البائع" },
	[L_SUBTOTAL] = { "Subtotal", "المجموع" },
	[L_DISCOUNT] = { "Discount", "الحسم" },
	[L_TOTAL] = { "TOTAL", "الإجمالي" },
	[L_CASH] = { "Cash", "نقداً" },
	[L_CARD] = { "Card", "بطاقة" },
	[L_OTHER] = { "Other", "أخرى" },
	[L_CHANGE] = { "Change", "الباقي" },
	[L_VOID] = { "VOID", "إلغاء" },
	[L_REFUND] = { "REFUND", "مرتجع" },
	[L_FOR] = { "For receipt", "عن الإيصال" },
	[L_REASON] = { "Reason", "السبب" },
	[L_PAYOUT] = { "PAYOUT", "دفعة للمنتج" },
	[L_PRODUCER] = { "Producer", "المنتج" },
	[L_SIGNATURE] = { "Received by (signature)", "استلمت (التوقيع)" },
	[L_CASH_IN] = { "CASH IN", "إيداع نقدي" },
	[L_CASH_OUT] = { "CASH OUT", "سحب نقدي" },
	[L_DAY_OPEN] = { "DAY OPEN", "فتح اليوم" },
	[L_FLOAT] = { "Float", "رصيد البداية" },
	[L_X] = { "X REPORT", "تقرير X" },
	[L_Z] = { "Z REPORT", "تقرير Z" },
	[L_SALES] = { "Sales", "المبيعات" },
	[L_GROSS] = { "Gross", "الإجمالي قبل الحسم" },
	[L_REFUNDS] = { "Refunds", "المرتجعات" },
	[L_VOIDS] = { "Voids", "الملغاة" },
	[L_NET] = { "Net", "الصافي" },
	[L_PAYOUTS] = { "Payouts", "دفعات المنتجين" },
	[L_EXPECTED] = { "Expected cash", "النقد المتوقع" },
	[L_COUNTED] = { "Counted cash", "النقد المعدود" },
	[L_DIFFERENCE] = { "Difference", "الفرق" },
	[L_STATEMENT] = { "PRODUCER STATEMENT", "كشف حساب منتج" },
	[L_SOLD] = { "Sold", "المباع" },
	[L_REFUNDED] = { "Refunded", "المرتجع" },
	[L_PAID_OUT] = { "Paid out", "المدفوع" },
	[L_BALANCE] = { "Balance", "الرصيد" },
	[L_OWED] = { "Owed now", "المستحق حالياً" },
	[L_OWES] = { "Owes the window", "مدين للنافذة" },
	[L_OVERPAID] = { "Paid beyond net", "مدفوع زيادة عن الصافي" },
	[L_RETURNED] = { "Returned", "المبلغ المعاد" },
	[L_DISC_SHARE] = { "Discount share", "حصة الحسم" },
	[L_KG] = { "kg", "كغ" },
	[L_SESSION] = { "Session", "الوردية" },
	[L_SESSIONS] = { "Sessions", "الورديات" },
	[L_FIRST_SALE] = { "First sale", "أول بيع" },
	[L_LAST_SALE] = { "Last sale", "آخر بيع" },
	[L_OWED_HERE] = { "Owed here", "المستحق هنا" },
	[L_OWED_ALL] = { "Owed at all windows", "المستحق في كل النوافذ" },
	[L_AS_OF] = { "As of last sync", "حسب آخر مزامنة" },
};

struct slip {
	struct store	*st;
	struct doc	*d;
	int		 ar;	/* Arabic labels, right-to-left rows */
};

static const char *
slip_l(const struct slip *s, enum slip_label l)
{
	return slip_labels[l][s->ar];
}

static int
slip_dir(const struct slip *s)
{
	return s->ar ? DOC_RTL : 0;
}

/*
 * in with its Western digits and decimal point in the configured digits
 * (U+0660.. and U+066B for arabic-indic). Caller frees.
 */
static char *
slip_digits(const struct slip *s, const char *in)
{
	char *out = xmalloc(strlen(in) * 2 + 1), *o = out;

	for (; *in != '\0'; in++) {
		if (s->st->cfg->currency.digits != CONFIG_DIGITS_ARABIC_INDIC ||
		    ((*in < '0' || *in > '9') && *in != '.')) {
			*o++ = *in;
			continue;
		}
		*o++ = (char)0xd9;
		*o++ = (char)(*in == '.' ? 0xab : 0xa0 + (*in - '0'));
	}
	*o = '\0';
	return out;
}

/*
 * An amount for the slip: grouped, configured digits, with the symbol. A
 * negative one's figure is a left-to-right isolate: in a cell read right
 * to left (the symbol is Arabic) its minus sign would otherwise be set
 * after the digits ("500-"), as if it were a dash in the text.
 */
static char *
slip_money(const struct slip *s, int64_t v)
{
	char num[96];
	const struct config *cfg = s->st->cfg;

	money_display(v, cfg->currency.decimals, cfg->currency.digits, num,
	    sizeof num);
	if (v < 0)
		return xasprintf(SLIP_LRI "%s" SLIP_PDI " %s", num,
		    cfg->currency.symbol);
	return xasprintf("%s %s", num, cfg->currency.symbol);
}

/*
 * A quantity in thousandths with its unit ("kg", or none for pieces), in
 * the configured digits, as one isolate with no break inside. Caller frees.
 */
static char *
slip_qty(const struct slip *s, int64_t qty, const char *unit)
{
	char q[32], *d, *out;

	qty_format(qty, q, sizeof q);
	d = slip_digits(s, q);
	if (unit != NULL && strcmp(unit, "kg") == 0)
		out = xasprintf(SLIP_FSI "%s" SLIP_NBSP "%s" SLIP_PDI, d,
		    slip_l(s, L_KG));
	else
		out = xasprintf(SLIP_FSI "%s" SLIP_PDI, d);
	free(d);
	return out;
}

/* "qty [unit] × price symbol": one unit that never wraps. Caller frees. */
static char *
slip_qty_price(const struct slip *s, int64_t qty, const char *unit,
    int64_t price)
{
	char num[96], *q, *out;
	const struct config *cfg = s->st->cfg;

	money_display(price, cfg->currency.decimals, cfg->currency.digits, num,
	    sizeof num);
	q = slip_qty(s, qty, unit);
	out = xasprintf("%s" SLIP_NBSP SLIP_TIMES SLIP_NBSP SLIP_FSI "%s"
	    SLIP_NBSP "%s" SLIP_PDI, q, num, cfg->currency.symbol);
	free(q);
	return out;
}

static void
slip_row(struct slip *s, int flags, const char *left, int64_t v)
{
	char *m = slip_money(s, v);

	doc_row(s->d, flags | slip_dir(s), left, m);
	free(m);
}

static void
slip_row_text(struct slip *s, int flags, const char *left, const char *right)
{
	doc_row(s->d, flags | slip_dir(s), left, right);
}

/* A row with a count in Western digits, shown in the configured ones. */
static void
slip_row_count(struct slip *s, const char *left, const char *count)
{
	char *d = slip_digits(s, count);

	slip_row_text(s, 0, left, d);
	free(d);
}

/* A doc_text() of Western-digit text in the configured digits. */
static void
slip_text_digits(struct slip *s, int flags, const char *text)
{
	char *d = slip_digits(s, text);

	doc_text(s->d, flags, d);
	free(d);
}

/* A row with a stored UTC time, shown as local time in the configured digits. */
static void
slip_row_time(struct slip *s, const char *left, const char *utc)
{
	char when[64], *d;

	store_local_time(s->st->cfg, utc, STORE_TIME_SLASH_HM, when, sizeof when);
	d = slip_digits(s, when);
	slip_row_text(s, 0, left, d);
	free(d);
}

static void
slip_head(struct slip *s, bool copy)
{
	const struct config *cfg = s->st->cfg;

	if (copy)
		doc_text(s->d, DOC_CENTER | DOC_BOLD | DOC_DOUBLE,
		    slip_l(s, L_COPY));
	doc_text(s->d, DOC_CENTER | DOC_BOLD | DOC_DOUBLE, cfg->window.name);
	if (cfg->window.address != NULL && *cfg->window.address != '\0')
		doc_text(s->d, DOC_CENTER, cfg->window.address);
	if (cfg->window.phone != NULL && *cfg->window.phone != '\0')
		doc_text(s->d, DOC_CENTER, cfg->window.phone);
	doc_separator(s->d);
}

static void
slip_entry_head(struct slip *s, const struct ledger_entry *e)
{
	char when[64], *d;

	store_local_time(s->st->cfg, e->created_at, STORE_TIME_SLASH_HM, when,
	    sizeof when);
	d = slip_digits(s, when);
	slip_row_text(s, 0, slip_l(s, L_RECEIPT), e->receipt);
	slip_row_text(s, 0, d, e->user);
	free(d);
	doc_separator(s->d);
}

static void
slip_lines(struct slip *s, const struct ledger_entry *e)
{
	char *left;

	for (size_t i = 0; i < e->nlines; i++) {
		const struct ledger_line *l = &e->lines[i];

		doc_pair(s->d, DOC_BOLD | slip_dir(s), l->product_name,
		    l->producer_name);
		left = slip_qty_price(s, l->qty, l->unit, l->unit_price);
		slip_row(s, 0, left, l->total);
		free(left);
	}
	doc_separator(s->d);
}

/*
 * A refund's lines explain their amount: the line's price, then, where the
 * sale's discount had a share in it, that share and what goes back.
 */
static void
slip_refund_lines(struct slip *s, const struct ledger_entry *e)
{
	char *left;

	for (size_t i = 0; i < e->nlines; i++) {
		const struct ledger_line *l = &e->lines[i];

		doc_pair(s->d, DOC_BOLD | slip_dir(s), l->product_name,
		    l->producer_name);
		left = slip_qty_price(s, l->qty, l->unit, l->unit_price);
		slip_row(s, 0, left, l->total);
		free(left);
		if (l->discount != 0) {
			slip_row(s, 0, slip_l(s, L_DISC_SHARE), -l->discount);
			slip_row(s, 0, slip_l(s, L_RETURNED), l->net);
		}
	}
	doc_separator(s->d);
}

static enum slip_label
slip_method(const char *m)
{
	if (strcmp(m, "cash") == 0)
		return L_CASH;
	if (strcmp(m, "card") == 0)
		return L_CARD;
	return L_OTHER;
}

static void
slip_foot(struct slip *s, const struct ledger_entry *e, bool qr, bool copy)
{
	const struct config *cfg = s->st->cfg;
	const char *footer = cfg->window.footer;
	const char *url;
	char *payload;

	if (s->ar && footer != NULL && strcmp(footer, SLIP_FOOTER_EN) == 0)
		footer = SLIP_FOOTER_AR;
	if (footer != NULL && *footer != '\0')
		doc_text(s->d, DOC_CENTER, footer);
	if (qr) {
		url = cfg->window.receipt_url;
		if (url != NULL && *url != '\0')
			payload = xasprintf("%s%sr/%s", url,
			    url[strlen(url) - 1] == '/' ? "" : "/", e->uuid);
		else
			payload = xasprintf("%s %s", e->receipt, e->uuid);
		doc_qr(s->d, payload);
		free(payload);
	}
	if (copy)
		doc_text(s->d, DOC_CENTER | DOC_BOLD, slip_l(s, L_COPY));
	doc_feed(s->d, 3);
	doc_cut(s->d);
}

/*
 * The producer's page link as a QR code, when the centre sent one: held
 * in the store, so it prints with the window offline.
 */
static void
slip_producer_qr(struct slip *s, const char *code)
{
	char *link = NULL;

	if (code != NULL && mdata_link(s->st, code, &link, NULL) == POS_OK &&
	    link != NULL)
		doc_qr(s->d, link);
	free(link);
}

struct doc *
slip_entry(struct store *st, const struct ledger_entry *e, bool copy)
{
	struct slip s = { st, doc_new(), 0 };
	const char *lang = st->cfg->ui.language;
	size_t i;

	s.ar = lang != NULL && strcmp(lang, "ar") == 0;
	slip_head(&s, copy);
	if (strcmp(e->kind, "void") == 0)
		doc_text(s.d, DOC_CENTER | DOC_BOLD | DOC_DOUBLE,
		    slip_l(&s, L_VOID));
	else if (strcmp(e->kind, "refund") == 0)
		doc_text(s.d, DOC_CENTER | DOC_BOLD | DOC_DOUBLE,
		    slip_l(&s, L_REFUND));
	else if (strcmp(e->kind, "payout") == 0)
		doc_text(s.d, DOC_CENTER | DOC_BOLD | DOC_DOUBLE,
		    slip_l(&s, L_PAYOUT));
	else if (strcmp(e->kind, "cash_in") == 0 ||
	    strcmp(e->kind, "cash_out") == 0 ||
	    strcmp(e->kind, "day_open") == 0)
		doc_text(s.d, DOC_CENTER | DOC_BOLD | DOC_DOUBLE,
		    slip_l(&s, strcmp(e->kind, "cash_in") == 0 ? L_CASH_IN :
		    strcmp(e->kind, "cash_out") == 0 ? L_CASH_OUT : L_DAY_OPEN));
	slip_entry_head(&s, e);
	if (e->ref_receipt != NULL)
		slip_row_text(&s, 0, slip_l(&s, L_FOR), e->ref_receipt);

	if (strcmp(e->kind, "sale") == 0) {
		slip_lines(&s, e);
		if (e->discount != 0) {
			slip_row(&s, 0, slip_l(&s, L_SUBTOTAL),
			    e->total + e->discount);
			slip_row(&s, 0, slip_l(&s, L_DISCOUNT), -e->discount);
		}
		slip_row(&s, DOC_BOLD | DOC_DOUBLE, slip_l(&s, L_TOTAL),
		    e->total);
		for (i = 0; i < e->npayments; i++)
			slip_row(&s, 0, slip_l(&s,
			    slip_method(e->payments[i].method)),
			    e->payments[i].tendered);
		if (e->change != 0)
			slip_row(&s, DOC_BOLD, slip_l(&s, L_CHANGE), e->change);
		doc_separator(s.d);
		slip_foot(&s, e, true, copy);
		return s.d;
	}
	if (strcmp(e->kind, "refund") == 0) {
		slip_refund_lines(&s, e);
		slip_row(&s, DOC_BOLD | DOC_DOUBLE, slip_l(&s, L_RETURNED),
		    e->total);
		if (e->npayments > 0)
			slip_row(&s, 0, slip_l(&s,
			    slip_method(e->payments[0].method)), e->total);
	} else if (strcmp(e->kind, "void") == 0)
		slip_row(&s, DOC_BOLD, slip_l(&s, L_TOTAL), e->total);
	else if (strcmp(e->kind, "payout") == 0) {
		slip_row_text(&s, 0, slip_l(&s, L_PRODUCER), e->producer_code);
		doc_text(s.d, DOC_BOLD | slip_dir(&s), e->producer_name);
		slip_row(&s, DOC_BOLD | DOC_DOUBLE, slip_l(&s, L_PAYOUT),
		    e->amount);
		doc_feed(s.d, 3);
		doc_text(s.d, slip_dir(&s), slip_l(&s, L_SIGNATURE));
		doc_text(s.d, 0, "______________________________");
		slip_producer_qr(&s, e->producer_code);
	} else
		slip_row(&s, DOC_BOLD, slip_l(&s, strcmp(e->kind, "day_open")
		    == 0 ? L_FLOAT : L_TOTAL), e->amount);
	if (e->reason != NULL)
		slip_row_text(&s, 0, slip_l(&s, L_REASON), e->reason);
	doc_separator(s.d);
	slip_foot(&s, e, false, copy);
	return s.d;
}

struct doc *
slip_day(struct store *st, const struct report_day *r)
{
	struct slip s = { st, doc_new(), 0 };
	const char *lang = st->cfg->ui.language;
	char n[32];

	s.ar = lang != NULL && strcmp(lang, "ar") == 0;
	slip_head(&s, false);
	doc_text(s.d, DOC_CENTER | DOC_BOLD | DOC_DOUBLE,
	    slip_l(&s, r->closed ? L_Z : L_X));
	slip_text_digits(&s, DOC_CENTER, r->date);
	/* Which shift this is, and the hours its sales span. */
	snprintf(n, sizeof n, "%lld", (long long)(r->session > 0 ?
	    r->session : r->sessions));
	slip_row_count(&s, slip_l(&s, r->session > 0 ? L_SESSION :
	    L_SESSIONS), n);
	if (r->first_sale[0] != '\0') {
		slip_row_time(&s, slip_l(&s, L_FIRST_SALE), r->first_sale);
		slip_row_time(&s, slip_l(&s, L_LAST_SALE), r->last_sale);
	}
	doc_separator(s.d);
	snprintf(n, sizeof n, "%lld", (long long)r->sales_count);
	slip_row_count(&s, slip_l(&s, L_SALES), n);
	slip_row(&s, 0, slip_l(&s, L_GROSS), r->gross);
	slip_row(&s, 0, slip_l(&s, L_DISCOUNT), r->discounts);
	slip_row(&s, 0, slip_l(&s, L_REFUNDS), r->refunds);
	snprintf(n, sizeof n, "%lld", (long long)r->voids);
	slip_row_count(&s, slip_l(&s, L_VOIDS), n);
	slip_row(&s, DOC_BOLD, slip_l(&s, L_NET), r->net);
	doc_separator(s.d);
	slip_row(&s, 0, slip_l(&s, L_CASH), r->by_method[REPORT_CASH]);
	slip_row(&s, 0, slip_l(&s, L_CARD), r->by_method[REPORT_CARD]);
	slip_row(&s, 0, slip_l(&s, L_OTHER), r->by_method[REPORT_OTHER]);
	doc_separator(s.d);
	slip_row(&s, 0, slip_l(&s, L_FLOAT), r->float_amount);
	slip_row(&s, 0, slip_l(&s, L_PAYOUTS), r->payouts);
	slip_row(&s, 0, slip_l(&s, L_CASH_IN), r->cash_in);
	slip_row(&s, 0, slip_l(&s, L_CASH_OUT), r->cash_out);
	slip_row(&s, DOC_BOLD, slip_l(&s, L_EXPECTED), r->expected_cash);
	if (r->counted) {
		slip_row(&s, 0, slip_l(&s, L_COUNTED), r->counted_cash);
		slip_row(&s, DOC_BOLD, slip_l(&s, L_DIFFERENCE), r->difference);
	}
	doc_feed(s.d, 3);
	doc_cut(s.d);
	return s.d;
}

/* The catalogue unit of a product code ("kg", "piece"), or NULL. */
static const char *
slip_unit(struct store *st, const char *code)
{
	struct product p;
	const char *unit = NULL;

	memset(&p, 0, sizeof p);
	if (catalog_product_find(st, code, &p, NULL) == POS_OK &&
	    p.unit != NULL && strcmp(p.unit, "kg") == 0)
		unit = "kg";
	catalog_product_clear(&p);
	return unit;
}

int
slip_statement(struct store *st, const char *code, const char *from,
    const char *to, struct doc **out, char **cause)
{
	struct report_producer *p;
	struct report_product *pr;
	struct slip s = { st, NULL, 0 };
	const char *lang = st->cfg->ui.language;
	char *left, *period, *dates, *as_of = NULL;
	int64_t owed_all = 0;
	bool all = false;
	size_t n, np;
	int rc;

	*out = NULL;
	if ((rc = report_producers(st, from, to, code, &p, &n, cause)) != POS_OK)
		return rc;
	if ((rc = report_producer_products(st, code, from, to, &pr, &np,
	    cause)) != POS_OK) {
		report_producers_free(p, n);
		return rc;
	}
	s.d = doc_new();
	s.ar = lang != NULL && strcmp(lang, "ar") == 0;
	slip_head(&s, false);
	doc_text(s.d, DOC_CENTER | DOC_BOLD, slip_l(&s, L_STATEMENT));
	doc_text(s.d, DOC_CENTER | DOC_BOLD | slip_dir(&s), p[0].name);
	dates = xasprintf("%s .. %s", from, to);
	period = slip_digits(&s, dates);
	doc_pair(s.d, DOC_CENTER, p[0].code, period);
	free(period);
	free(dates);
	doc_separator(s.d);
	for (size_t i = 0; i < np; i++) {
		doc_pair(s.d, slip_dir(&s), pr[i].name, pr[i].code);
		left = slip_qty(&s, pr[i].qty_sold - pr[i].qty_refunded,
		    slip_unit(st, pr[i].code));
		slip_row(&s, 0, left, pr[i].sold - pr[i].refunded);
		free(left);
	}
	doc_separator(s.d);
	slip_row(&s, 0, slip_l(&s, L_SOLD), p[0].sold);
	slip_row(&s, 0, slip_l(&s, L_REFUNDED), p[0].refunded);
	slip_row(&s, DOC_BOLD, slip_l(&s, L_NET), p[0].net);
	slip_row(&s, 0, slip_l(&s, L_PAID_OUT), p[0].paid_out);
	if (p[0].balance < 0)
		slip_row(&s, DOC_BOLD, slip_l(&s, L_OVERPAID), -p[0].balance);
	else
		slip_row(&s, DOC_BOLD, slip_l(&s, L_BALANCE), p[0].balance);
	/* A producer paid for what was then taken back owes the window. */
	if (mdata_owed_all(st, code, &all, &owed_all, &as_of, NULL) != POS_OK)
		all = false;
	if (p[0].owed < 0)
		slip_row(&s, DOC_BOLD | DOC_DOUBLE, slip_l(&s, L_OWES),
		    -p[0].owed);
	else
		slip_row(&s, DOC_BOLD | DOC_DOUBLE, slip_l(&s, all ? L_OWED_HERE :
		    L_OWED), p[0].owed);
	/* What the centre said, as of the last sync that brought it. */
	if (all) {
		slip_row(&s, DOC_BOLD, slip_l(&s, L_OWED_ALL), owed_all);
		slip_row_time(&s, slip_l(&s, L_AS_OF), as_of);
	}
	free(as_of);
	slip_producer_qr(&s, p[0].code);
	doc_feed(s.d, 3);
	doc_cut(s.d);
	report_products_free(pr, np);
	report_producers_free(p, n);
	*out = s.d;
	return POS_OK;
}
