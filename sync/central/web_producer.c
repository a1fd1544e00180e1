/*
 * A producer's own page (web_producer.h). Every figure is the producers
 * report's (rjson_producer_rows of cstore_report_producer, the report's
 * rows read for the one producer), so the page cannot differ from
 * `pos-central report producers --json`.
 */
#include "web_producer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "config.h"
#include "creport.h"
#include "html.h"
#include "money.h"
#include "rjson.h"
#include "token.h"
#include "xalloc.h"

#define WP_MAX_DAYS	62	/* bars in the chart, at most */

enum wp_label {
	W_TITLE, W_CODE, W_SUMMARY, W_PERIOD, W_DATES, W_CURRENCY, W_SOLD,
	W_REFUNDED, W_NET, W_PAID_OUT, W_OWED, W_OWES, W_TODAY, W_WEEK,
	W_MONTH, W_CHOSEN, W_WINDOWS, W_BRANCH, W_TERMINAL, W_AS_OF, W_CHART,
	W_CHART_CUT, W_FROM, W_TO, W_SHOW, W_CSV, W_LANG, W_NOTHING,
	W_BAD_PERIOD, W_OWED_ALL, W_NEVER, W_PRODUCTS, W_PRODUCT, W_NAME,
	W_NLABELS
};

static const char *const wp_labels[W_NLABELS][2] = {
	[W_TITLE] = { "صفحة المنتج", "Producer's page" },
	[W_CODE] = { "الرمز", "Code" },
	[W_SUMMARY] = { "المبيعات والمستحقات", "Sales and what is owed" },
	[W_PERIOD] = { "الفترة", "Period" },
	[W_DATES] = { "التواريخ", "Dates" },
	[W_CURRENCY] = { "العملة", "Currency" },
	[W_SOLD] = { "المبيع", "Sold" },
	[W_REFUNDED] = { "المرتجع", "Refunded" },
	[W_NET] = { "الصافي", "Net" },
	[W_PAID_OUT] = { "المدفوع لك", "Paid out" },
	[W_OWED] = { "المستحق لك", "Owed to you" },
	[W_OWES] = { "المستحق عليك", "You owe" },
	[W_TODAY] = { "اليوم", "Today" },
	[W_WEEK] = { "هذا الأسبوع", "This week" },
	[W_MONTH] = { "هذا الشهر", "This month" },
	[W_CHOSEN] = { "الفترة المختارة", "Chosen period" },
	[W_WINDOWS] = { "في كل نافذة (الفترة المختارة)",
	    "At each window (chosen period)" },
	[W_BRANCH] = { "الفرع", "Branch" },
	[W_TERMINAL] = { "المحطة", "Terminal" },
	[W_AS_OF] = { "الأرقام حتى", "Figures as of" },
	[W_CHART] = { "الصافي في كل يوم", "Net per day" },
	[W_CHART_CUT] = { "الرسم يبين آخر ٦٢ يوماً من الفترة.",
	    "The chart shows the period's last 62 days." },
	[W_FROM] = { "من", "From" },
	[W_TO] = { "إلى", "To" },
	[W_SHOW] = { "عرض", "Show" },
	[W_CSV] = { "تنزيل CSV", "Download CSV" },
	[W_LANG] = { "English", "العربية" },
	[W_NOTHING] = { "لا شيء", "nothing" },
	[W_BAD_PERIOD] = { "فترة غير صالحة", "Bad period" },
	[W_OWED_ALL] = { "المستحق عبر كل النوافذ", "Owed across all windows" },
	[W_NEVER] = { "لم تتزامن", "never synced" },
	[W_PRODUCTS] = { "المبيعات حسب المنتج (الفترة المختارة)",
	    "Sales by product (chosen period)" },
	[W_PRODUCT] = { "المنتج", "Product" },
	[W_NAME] = { "الاسم", "Name" },
};

/* One page being made. */
struct wp {
	struct cstore			*st;
	const char			*code;
	const struct web_producer_args	*a;
	struct web_producer_out		*out;
	char				 today[11], week[11], month[11];
	const char			*from, *to;	/* the chosen period */
	json_t				*rows[4];	/* the code's rows, per
							   period */
	struct cstore_chain		*chains;
	size_t				 nchains;
	struct cstore_pproduct		*products;	/* chosen period */
	size_t				 nproducts;
};

static const char *
wp_l(const struct wp *p, enum wp_label l)
{
	return wp_labels[l][p->a->en ? 1 : 0];
}

static void
wp_date(const struct tm *tm, char out[11])
{
	strftime(out, 11, "%Y-%m-%d", tm);
}

/* The day back days before date (a valid "YYYY-MM-DD"), into out. */
static void
wp_date_add(const char *date, int days, char out[11])
{
	struct tm tm;
	int y = 0, m = 0, d = 0;

	sscanf(date, "%d-%d-%d", &y, &m, &d);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + days;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	mktime(&tm);
	wp_date(&tm, out);
}

/*
 * Today (the server's date in UTC, cstore_now), Monday of this week and
 * the 1st of this month.
 */
static void
wp_dates(struct wp *p)
{
	char now[21];
	struct tm tm;

	cstore_now(now);
	snprintf(p->today, sizeof p->today, "%.10s", now);
	wp_date_add(p->today, 0, p->today);
	memset(&tm, 0, sizeof tm);
	strptime(p->today, "%Y-%m-%d", &tm);
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	mktime(&tm);
	wp_date_add(p->today, -((tm.tm_wday + 6) % 7), p->week);
	snprintf(p->month, sizeof p->month, "%.8s01", p->today);
}

/*
 * The report's rows for code over [from, to] (an array; caller decrefs):
 * those `report producers` gives for it, read for it alone.
 */
static int
wp_rows(struct wp *p, const char *from, const char *to, json_t **rows)
{
	struct cstore_producer *r;
	size_t n;
	int rc;

	*rows = NULL;
	if ((rc = cstore_report_producer(p->st, p->code, from, to, &r, &n,
	    NULL)) != POS_OK)
		return rc;
	*rows = rjson_producer_rows(r, n);
	cstore_producers_free(r, n);
	return POS_OK;
}

static const char *
wp_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* A report amount ("12.50") as people read it, into out. */
static const char *
wp_amount(const struct wp *p, const char *s, char *out, size_t len)
{
	const char *dot = strchr(s, '.');
	int dec = dot != NULL ? (int)strlen(dot + 1) : 0;
	char err[64];
	int64_t a;

	if (money_parse(s, dec, true, &a, err, sizeof err) != POS_OK)
		return s;
	money_display(a, dec, (enum config_digits)p->a->digits, out, len);
	return out;
}

/* An amount cell with its report key and value for scripts. */
static void
wp_td(struct wp *p, enum wp_label l, const char *key, const json_t *o)
{
	char shown[96];
	const char *v = wp_str(o, key);

	html_put(&p->out->body, "<td class=\"n\" data-label=\"%s\"><bdi "
	    "data-k=\"%s\" data-v=\"%s\">%s</bdi></td>", wp_l(p, l), key, v,
	    wp_amount(p, v, shown, sizeof shown));
}

static void
wp_head(struct wp *p, const char *name)
{
	struct buf *b = &p->out->body;
	const struct web_producer_args *a = p->a;

	p->out->type = "text/html; charset=utf-8";
	html_put(b, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<title>%s — %s</title>\n<link rel=\"stylesheet\" "
	    "href=\"/static/office.css\">\n</head>\n<body>\n<header>\n",
	    a->en ? "en" : "ar", a->en ? "ltr" : "rtl", wp_l(p, W_TITLE),
	    name);
	html_put(b, "<nav aria-label=\"%s\"><a href=\"%s?from=%s&amp;to=%s%s\" "
	    "lang=\"%s\">%s</a></nav>\n</header>\n<main>\n", wp_l(p, W_TITLE),
	    a->self, p->from, p->to, a->en ? "" : "&lang=en",
	    a->en ? "ar" : "en", wp_l(p, W_LANG));
	html_put(b, "<h1>%s: <bdi>%s</bdi></h1>\n<p>%s: <bdi>%s</bdi></p>\n",
	    wp_l(p, W_TITLE), name, wp_l(p, W_CODE), p->code);
}

/* A table body's one row when it has nothing else (tidy: no empty body). */
static void
wp_none(struct wp *p, bool none, int columns)
{
	if (none)
		html_put(&p->out->body, "<tr><td colspan=\"%d\">%s</td></tr>\n",
		    columns, wp_l(p, W_NOTHING));
}

static void
wp_summary(struct wp *p)
{
	static const enum wp_label names[4] = { W_TODAY, W_WEEK, W_MONTH,
	    W_CHOSEN };
	static const char *const keys[4] = { "today", "week", "month",
	    "period" };
	const char *from[4] = { p->today, p->week, p->month, p->from };
	const char *to[4] = { p->today, p->today, p->today, p->to };
	struct buf *b = &p->out->body;
	const json_t *o;
	size_t i;

	html_put(b, "<h2>%s</h2>\n<table id=\"summary\">\n<thead><tr>"
	    "<th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th>"
	    "<th class=\"n\">%s</th><th class=\"n\">%s</th>"
	    "<th class=\"n\">%s</th></tr></thead>\n<tbody>\n",
	    wp_l(p, W_SUMMARY), wp_l(p, W_PERIOD), wp_l(p, W_DATES),
	    wp_l(p, W_CURRENCY), wp_l(p, W_SOLD), wp_l(p, W_REFUNDED),
	    wp_l(p, W_NET), wp_l(p, W_PAID_OUT));
	for (int k = 0; k < 4; k++) {
		if (json_array_size(p->rows[k]) == 0)
			html_put(b, "<tr data-period=\"%s\" data-from=\"%s\" "
			    "data-to=\"%s\"><td data-label=\"%s\">%s</td>"
			    "<td data-label=\"%s\"><bdi dir=\"ltr\">%s … %s</bdi></td>"
			    "<td data-label=\"%s\" colspan=\"5\">%s</td>"
			    "</tr>\n", keys[k], from[k], to[k],
			    wp_l(p, W_PERIOD), wp_l(p, names[k]),
			    wp_l(p, W_DATES), from[k], to[k],
			    wp_l(p, W_CURRENCY), wp_l(p, W_NOTHING));
		json_array_foreach(p->rows[k], i, o) {
			html_put(b, "<tr data-period=\"%s\" data-from=\"%s\" "
			    "data-to=\"%s\"><td data-label=\"%s\">%s</td>"
			    "<td data-label=\"%s\"><bdi dir=\"ltr\">%s … %s</bdi></td>"
			    "<td data-label=\"%s\" data-k=\"currency\">%s"
			    "</td>", keys[k], from[k], to[k],
			    wp_l(p, W_PERIOD), wp_l(p, names[k]),
			    wp_l(p, W_DATES), from[k], to[k],
			    wp_l(p, W_CURRENCY), wp_str(o, "currency"));
			wp_td(p, W_SOLD, "sold", o);
			wp_td(p, W_REFUNDED, "refunded", o);
			wp_td(p, W_NET, "net", o);
			wp_td(p, W_PAID_OUT, "paid_out", o);
			html_put(b, "</tr>\n");
		}
	}
	html_put(b, "</tbody>\n</table>\n");
	/* Owed is all-time: the same in every period's rows. */
	html_put(b, "<h2>%s</h2>\n<table id=\"owed\">\n<thead><tr><th>%s</th>"
	    "<th class=\"n\">%s</th><th class=\"n\">%s</th></tr></thead>\n"
	    "<tbody>\n", wp_l(p, W_OWED_ALL), wp_l(p, W_CURRENCY),
	    wp_l(p, W_OWED), wp_l(p, W_OWES));
	json_array_foreach(p->rows[3], i, o) {
		html_put(b, "<tr><td data-label=\"%s\">%s</td>",
		    wp_l(p, W_CURRENCY), wp_str(o, "currency"));
		wp_td(p, W_OWED, "owed", o);
		wp_td(p, W_OWES, "owes_window", o);
		html_put(b, "</tr>\n");
	}
	wp_none(p, json_array_size(p->rows[3]) == 0, 3);
	html_put(b, "</tbody>\n</table>\n");
}

/* An amount in minor units as a cell, with its value as the report writes. */
static void
wp_td_minor(struct wp *p, enum wp_label l, const char *key, int64_t v,
    int64_t decimals)
{
	char raw[48], shown[96];

	money_format(v, (int)decimals, raw, sizeof raw);
	money_display(v, (int)decimals, (enum config_digits)p->a->digits,
	    shown, sizeof shown);
	html_put(&p->out->body, "<td class=\"n\" data-label=\"%s\"><bdi "
	    "data-k=\"%s\" data-v=\"%s\">%s</bdi></td>", wp_l(p, l), key, raw,
	    shown);
}

/* What each product brought over the chosen period. */
static void
wp_products(struct wp *p)
{
	struct buf *b = &p->out->body;

	html_put(b, "<h2>%s</h2>\n<table id=\"products\">\n<thead><tr>"
	    "<th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th>"
	    "<th class=\"n\">%s</th><th class=\"n\">%s</th></tr></thead>\n"
	    "<tbody>\n", wp_l(p, W_PRODUCTS), wp_l(p, W_PRODUCT),
	    wp_l(p, W_NAME), wp_l(p, W_CURRENCY), wp_l(p, W_SOLD),
	    wp_l(p, W_REFUNDED), wp_l(p, W_NET));
	for (size_t i = 0; i < p->nproducts; i++) {
		const struct cstore_pproduct *r = &p->products[i];

		html_put(b, "<tr data-product=\"%s\"><td data-label=\"%s\">"
		    "<bdi>%s</bdi></td><td data-label=\"%s\"><bdi>%s</bdi>"
		    "</td><td data-label=\"%s\">%s</td>", r->code,
		    wp_l(p, W_PRODUCT), r->code, wp_l(p, W_NAME), r->name,
		    wp_l(p, W_CURRENCY), r->currency);
		wp_td_minor(p, W_SOLD, "sold", r->sold, r->decimals);
		wp_td_minor(p, W_REFUNDED, "refunded", r->refunded,
		    r->decimals);
		wp_td_minor(p, W_NET, "net", r->sold - r->refunded,
		    r->decimals);
		html_put(b, "</tr>\n");
	}
	wp_none(p, p->nproducts == 0, 6);
	html_put(b, "</tbody>\n</table>\n");
}

/* When the window's figures were last brought in (NULL: never). */
static const char *
wp_as_of(const struct wp *p, const char *branch, int64_t terminal)
{
	for (size_t i = 0; i < p->nchains; i++)
		if (p->chains[i].terminal == terminal &&
		    strcmp(p->chains[i].branch, branch) == 0 &&
		    p->chains[i].last_received != NULL)
			return p->chains[i].last_received;
	return NULL;
}

static void
wp_windows(struct wp *p)
{
	struct buf *b = &p->out->body;
	const json_t *o, *w;
	const char *as_of;
	size_t i, k, shown = 0;

	html_put(b, "<h2>%s</h2>\n<table id=\"windows\">\n<thead><tr>"
	    "<th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th>"
	    "<th class=\"n\">%s</th><th class=\"n\">%s</th>"
	    "<th class=\"n\">%s</th><th>%s</th></tr></thead>\n<tbody>\n",
	    wp_l(p, W_WINDOWS), wp_l(p, W_BRANCH), wp_l(p, W_TERMINAL),
	    wp_l(p, W_CURRENCY), wp_l(p, W_NET), wp_l(p, W_PAID_OUT),
	    wp_l(p, W_OWED), wp_l(p, W_OWES), wp_l(p, W_AS_OF));
	json_array_foreach(p->rows[3], i, o) {
		json_array_foreach(json_object_get(o, "windows"), k, w) {
			int64_t t = json_integer_value(json_object_get(w,
			    "terminal"));

			html_put(b, "<tr data-branch=\"%s\" data-terminal="
			    "\"%D\"><td data-label=\"%s\"><bdi>%s</bdi></td>"
			    "<td data-label=\"%s\">%D</td>"
			    "<td data-label=\"%s\">%s</td>",
			    wp_str(w, "branch"), t, wp_l(p, W_BRANCH),
			    wp_str(w, "branch"), wp_l(p, W_TERMINAL), t,
			    wp_l(p, W_CURRENCY), wp_str(o, "currency"));
			wp_td(p, W_NET, "net", w);
			wp_td(p, W_PAID_OUT, "paid_out", w);
			wp_td(p, W_OWED, "owed", w);
			wp_td(p, W_OWES, "owes_window", w);
			as_of = wp_as_of(p, wp_str(w, "branch"), t);
			html_put(b, "<td data-label=\"%s\"><bdi>",
			    wp_l(p, W_AS_OF));
			if (as_of != NULL)
				html_time(b, as_of);
			else
				html_put(b, "%s", wp_l(p, W_NEVER));
			html_put(b, "</bdi></td></tr>\n");
			shown++;
		}
	}
	wp_none(p, shown == 0, 8);
	html_put(b, "</tbody>\n</table>\n");
}

/* The days of the chosen period (the last WP_MAX_DAYS), into days. */
static int
wp_days(const struct wp *p, char days[WP_MAX_DAYS][11])
{
	char d[11];
	int n = 0;

	snprintf(d, sizeof d, "%s", p->to);
	while (n < WP_MAX_DAYS && strcmp(d, p->from) >= 0) {
		memcpy(days[n++], d, sizeof d);
		wp_date_add(d, -1, d);
	}
	/* Oldest first. */
	for (int i = 0; i < n / 2; i++) {
		memcpy(d, days[i], sizeof d);
		memcpy(days[i], days[n - 1 - i], sizeof d);
		memcpy(days[n - 1 - i], d, sizeof d);
	}
	return n;
}

/*
 * The code's figures on date in its first currency (the first of the
 * chosen period's rows), from the dates read: NULL when none.
 */
static const struct cstore_pday *
wp_day(const struct cstore_pday *pd, size_t n, const char *date,
    const char *currency, int64_t decimals)
{
	for (size_t i = 0; currency != NULL && i < n; i++)
		if (strcmp(pd[i].date, date) == 0 &&
		    strcmp(pd[i].currency, currency) == 0 &&
		    pd[i].decimals == decimals)
			return &pd[i];
	return NULL;
}

static void
wp_csv_money(struct buf *csv, int64_t v, int64_t decimals)
{
	char s[48];

	money_format(v, (int)decimals, s, sizeof s);
	html_csv(csv, s, 0);
}

/*
 * A bar chart of net per day, drawn here: one rect a day. Each day's
 * figures are the report's for that day alone (every window's, in the
 * period's first currency), read at once.
 */
static int
wp_chart(struct wp *p, struct buf *csv)
{
	char days[WP_MAX_DAYS][11];
	const json_t *first = json_array_get(p->rows[3], 0);
	const char *currency = first != NULL ? wp_str(first, "currency") :
	    NULL;
	int64_t decimals = first != NULL ?
	    json_integer_value(json_object_get(first, "decimals")) : 0;
	int64_t net[WP_MAX_DAYS], max = 0;
	struct buf *b = &p->out->body;
	struct cstore_pday *pd = NULL;
	size_t npd = 0;
	int n, rc;

	n = wp_days(p, days);
	if (n > 0 && (rc = cstore_producer_days(p->st, p->code, days[0],
	    days[n - 1], &pd, &npd, NULL)) != POS_OK)
		return rc;
	for (int i = 0; i < n; i++) {
		const struct cstore_pday *d = wp_day(pd, npd, days[i],
		    currency, decimals);
		int64_t sold = d != NULL ? d->sold : 0;
		int64_t refunded = d != NULL ? d->refunded : 0;

		net[i] = sold - refunded;
		if (csv != NULL && first != NULL) {
			html_csv(csv, "day", 0);
			html_csv(csv, days[i], 0);
			html_csv(csv, days[i], 0);
			html_csv(csv, "", 0);
			html_csv(csv, "", 0);
			html_csv(csv, "", 0);
			html_csv(csv, "", 0);
			html_csv(csv, currency, 0);
			wp_csv_money(csv, sold, decimals);
			wp_csv_money(csv, refunded, decimals);
			wp_csv_money(csv, net[i], decimals);
			wp_csv_money(csv, d != NULL ? d->paid_out : 0,
			    decimals);
			html_csv(csv, "", 1);
		}
		if (net[i] > max)
			max = net[i];
		if (-net[i] > max)
			max = -net[i];
	}
	cstore_pdays_free(pd, npd);
	if (csv != NULL)
		return POS_OK;
	html_put(b, "<h2 id=\"chart-title\">%s</h2>\n", wp_l(p, W_CHART));
	if (strcmp(days[0], p->from) != 0)
		html_put(b, "<p>%s</p>\n", wp_l(p, W_CHART_CUT));
	html_put(b, "<div dir=\"ltr\"><svg id=\"chart\" role=\"img\" "
	    "aria-labelledby=\"chart-title\" xmlns=\"http://www.w3.org/2000/svg\""
	    " viewBox=\"0 0 %d 100\" preserveAspectRatio=\"none\" "
	    "width=\"100%%\" height=\"160\">\n<line x1=\"0\" y1=\"50\" "
	    "x2=\"%d\" y2=\"50\" stroke=\"#888\" stroke-width=\"0.5\"/>\n",
	    n * 10, n * 10);
	for (int i = 0; i < n; i++) {
		int64_t h = max > 0 ? (net[i] < 0 ? -net[i] : net[i]) * 48 /
		    max : 0;
		char shown[96], v[48];

		money_format(net[i], 0, v, sizeof v);
		html_put(b, "<rect class=\"bar\" data-date=\"%s\" "
		    "data-net=\"%D\" x=\"%d\" y=\"%D\" width=\"8\" "
		    "height=\"%D\" fill=\"%s\"><title>%s: %s</title></rect>\n",
		    days[i], net[i], i * 10 + 1, net[i] >= 0 ? 50 - h : 50,
		    h, net[i] >= 0 ? "#1d3b53" : "#a60", days[i],
		    (money_display(net[i], 0, (enum config_digits)p->a->digits,
		    shown, sizeof shown), shown));
	}
	html_put(b, "</svg></div>\n");
	return POS_OK;
}

static void
wp_form(struct wp *p)
{
	html_put(&p->out->body, "<form method=\"get\" action=\"%s\">"
	    "<label for=\"from\">%s</label><input id=\"from\" name=\"from\" "
	    "type=\"date\" value=\"%s\"><label for=\"to\">%s</label>"
	    "<input id=\"to\" name=\"to\" type=\"date\" value=\"%s\">"
	    "<input type=\"hidden\" name=\"lang\" value=\"%s\"> "
	    "<button type=\"submit\">%s</button></form>\n"
	    "<p><a id=\"csv\" href=\"%s?from=%s&amp;to=%s&amp;format=csv\">%s"
	    "</a></p>\n", p->a->self, wp_l(p, W_FROM), p->from, wp_l(p, W_TO),
	    p->to, p->a->en ? "en" : "ar", wp_l(p, W_SHOW), p->a->self,
	    p->from, p->to, wp_l(p, W_CSV));
}

/* The figures as CSV: a row per period and currency, window, and day. */
static int
wp_csv(struct wp *p)
{
	static const char *const keys[4] = { "today", "week", "month",
	    "period" };
	const char *from[4] = { p->today, p->week, p->month, p->from };
	const char *to[4] = { p->today, p->today, p->today, p->to };
	struct buf *b = &p->out->body;
	const json_t *o, *w;
	char t[24];
	size_t i, k;

	p->out->type = "text/csv; charset=utf-8";
	p->out->filename = xasprintf("producer-%s.csv", p->from);
	buf_adds(b, "kind,from,to,branch,terminal,product,product_name,"
	    "currency,sold,refunded,net,paid_out,owed\r\n");
	for (int n = 0; n < 4; n++)
		json_array_foreach(p->rows[n], i, o) {
			html_csv(b, keys[n], 0);
			html_csv(b, from[n], 0);
			html_csv(b, to[n], 0);
			html_csv(b, "", 0);
			html_csv(b, "", 0);
			html_csv(b, "", 0);
			html_csv(b, "", 0);
			html_csv(b, wp_str(o, "currency"), 0);
			html_csv(b, wp_str(o, "sold"), 0);
			html_csv(b, wp_str(o, "refunded"), 0);
			html_csv(b, wp_str(o, "net"), 0);
			html_csv(b, wp_str(o, "paid_out"), 0);
			html_csv(b, wp_str(o, "owed"), 1);
		}
	json_array_foreach(p->rows[3], i, o)
		json_array_foreach(json_object_get(o, "windows"), k, w) {
			snprintf(t, sizeof t, "%lld", (long long)
			    json_integer_value(json_object_get(w, "terminal")));
			html_csv(b, "window", 0);
			html_csv(b, p->from, 0);
			html_csv(b, p->to, 0);
			html_csv(b, wp_str(w, "branch"), 0);
			html_csv(b, t, 0);
			html_csv(b, "", 0);
			html_csv(b, "", 0);
			html_csv(b, wp_str(o, "currency"), 0);
			html_csv(b, "", 0);
			html_csv(b, "", 0);
			html_csv(b, wp_str(w, "net"), 0);
			html_csv(b, wp_str(w, "paid_out"), 0);
			html_csv(b, wp_str(w, "owed"), 1);
		}
	for (i = 0; i < p->nproducts; i++) {
		const struct cstore_pproduct *r = &p->products[i];
		char v[48];

		html_csv(b, "product", 0);
		html_csv(b, p->from, 0);
		html_csv(b, p->to, 0);
		html_csv(b, "", 0);
		html_csv(b, "", 0);
		html_csv(b, r->code, 0);
		html_csv(b, r->name, 0);
		html_csv(b, r->currency, 0);
		money_format(r->sold, (int)r->decimals, v, sizeof v);
		html_csv(b, v, 0);
		money_format(r->refunded, (int)r->decimals, v, sizeof v);
		html_csv(b, v, 0);
		money_format(r->sold - r->refunded, (int)r->decimals, v,
		    sizeof v);
		html_csv(b, v, 0);
		html_csv(b, "", 0);
		html_csv(b, "", 1);
	}
	return wp_chart(p, b);
}

/* The producer's name: registered, else as the report names them. */
static char *
wp_name(struct wp *p)
{
	struct cstore_mproducer *m = NULL;
	char *name = NULL;
	size_t n = 0;

	if (cstore_mproducers(p->st, p->code, &m, &n, NULL) == POS_OK &&
	    n > 0)
		name = xstrdup(m[0].name);
	cstore_mproducers_free(m, n);
	if (name == NULL && json_array_size(p->rows[3]) > 0)
		name = xstrdup(wp_str(json_array_get(p->rows[3], 0), "name"));
	return name != NULL ? name : xstrdup(p->code);
}

static void
wp_fail(struct wp *p, unsigned status, const char *msg)
{
	free(p->out->body.data);
	memset(&p->out->body, 0, sizeof p->out->body);
	p->out->status = status;
	p->out->type = "text/plain; charset=utf-8";
	buf_adds(&p->out->body, msg);
	buf_addc(&p->out->body, '\n');
}

void
web_producer_render(struct cstore *st, const char *code,
    const struct web_producer_args *a, struct web_producer_out *out)
{
	const char *from[4], *to[4];
	struct wp p;
	char *name = NULL;
	int rc = POS_OK;

	memset(&p, 0, sizeof p);
	memset(out, 0, sizeof *out);
	p.st = st;
	p.code = code;
	p.a = a;
	p.out = out;
	wp_dates(&p);
	p.from = a->from != NULL ? a->from : p.month;
	p.to = a->to != NULL ? a->to : p.today;
	if (!creport_date_valid(p.from) || !creport_date_valid(p.to) ||
	    strcmp(p.from, p.to) > 0) {
		wp_fail(&p, 400, "from and to: dates YYYY-MM-DD, from not "
		    "after to");
		return;
	}
	from[0] = to[0] = p.today;
	from[1] = p.week;
	from[2] = p.month;
	to[1] = to[2] = p.today;
	from[3] = p.from;
	to[3] = p.to;
	/* Every figure of the page from one snapshot of the store. */
	if (cstore_begin(st, false, NULL) != POS_OK) {
		wp_fail(&p, 503, "the central store failed");
		goto out;
	}
	for (int k = 0; k < 4 && rc == POS_OK; k++)
		rc = wp_rows(&p, from[k], to[k], &p.rows[k]);
	if (rc == POS_OK)
		rc = cstore_chains(st, NULL, &p.chains, &p.nchains, NULL);
	if (rc == POS_OK)
		rc = cstore_producer_products(st, code, p.from, p.to,
		    &p.products, &p.nproducts, NULL);
	if (rc != POS_OK) {
		wp_fail(&p, 503, "the central store failed");
		goto done;
	}
	out->status = 200;
	if (a->csv) {
		if (wp_csv(&p) != POS_OK)
			wp_fail(&p, 503, "the central store failed");
		goto done;
	}
	name = wp_name(&p);
	wp_head(&p, name);
	wp_summary(&p);
	wp_windows(&p);
	wp_products(&p);
	if (wp_chart(&p, NULL) != POS_OK) {
		wp_fail(&p, 503, "the central store failed");
		goto done;
	}
	wp_form(&p);
	html_put(&out->body, "</main>\n</body>\n</html>\n");
done:
	cstore_rollback(st);
out:
	for (int k = 0; k < 4; k++)
		json_decref(p.rows[k]);
	cstore_chains_free(p.chains, p.nchains);
	cstore_pproducts_free(p.products, p.nproducts);
	free(name);
}

void
web_producer_page(struct cstore *st, const char *token,
    const struct web_producer_args *a, struct web_producer_out *out)
{
	uint8_t digest[TOKEN_DIGEST];
	char *code = NULL;

	memset(out, 0, sizeof *out);
	out->status = 404;
	if (!token_well_formed(token, strlen(token)))
		return;
	token_digest(token, strlen(token), digest);
	if (cstore_plink_find(st, digest, &code, NULL) != POS_OK)
		return;
	web_producer_render(st, code, a, out);
	free(code);
}
