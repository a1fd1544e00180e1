/*
 * The office's pages and report endpoints (web.h).
 *
 * Every page is built from the same JSON the reports print (rjson.c), so
 * a page cannot show a figure the JSON does not give. HTML is written
 * with html_put only (html.h): each value is escaped on its way in.
 *
 * Sessions: the cookie pc_session (64 hex digits, HttpOnly, SameSite=Strict,
 * Secure over TLS) names a session stored as its SHA-256 (account.h); its
 * forms carry the session's CSRF token. The login form, before there is a
 * session, carries a token that must equal its cookie pc_login (set with
 * the form). A POST whose token is missing or wrong gets 403.
 */
#include "web.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <microhttpd.h>
#include <nettle/memops.h>
#include <zlib.h>

#include "account.h"
#include "buf.h"
#include "cause.h"
#include "config.h"
#include "creport.h"
#include "html.h"
#include "ingest.h"
#include "master.h"
#include "money.h"
#include "rjson.h"
#include "token.h"
#include "web_int.h"
#include "web_producer.h"
#include "xalloc.h"

#define WEB_FONT_DEFAULT \
	"/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"
#define WEB_MAX_FONT	(4u << 20)
#define WEB_COOKIE	"pc_session"
#define WEB_LOGIN	"pc_login"

/* No inline script or style anywhere: the pages need neither. */
#define WEB_CSP	"default-src 'none'; style-src 'self'; font-src 'self'; " \
	"img-src 'self'; form-action 'self'; base-uri 'none'; " \
	"frame-ancestors 'none'"


/* The style sheet: mobile first; below 640 px a table's rows are cards. */
static const char web_css[] =
	"@font-face{font-family:\"Noto Sans Arabic\";"
	"src:url(/static/NotoSansArabic-Regular.ttf) format(\"truetype\");}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%}\n"
	"body{margin:0;font-family:\"Noto Sans Arabic\",sans-serif;"
	"line-height:1.5;color:#111;background:#fff}\n"
	"header{background:#1d3b53;color:#fff;padding:.5rem 1rem;"
	"display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}\n"
	"header a{color:#fff}\n"
	"header form{margin:0}\n"
	"main{padding:1rem;max-width:72rem;margin:0 auto}\n"
	"h1{font-size:1.4rem}h2{font-size:1.15rem}\n"
	"table{border-collapse:collapse;width:100%;margin:.5rem 0}\n"
	"th,td{border:1px solid #888;padding:.3rem .5rem;text-align:start;"
	"overflow-wrap:anywhere}\n"
	"td.n,th.n{text-align:right}\n"
	"tr.warn td{background:#fff0c2}\n"
	"p.warn,p.error{background:#fff0c2;padding:.5rem;border:1px solid #a60}\n"
	"a{color:#0645ad}\n"
	"label{display:block;margin:.5rem 0 .2rem}\n"
	"input{font:inherit;padding:.3rem;max-width:100%}\n"
	"button{font:inherit;padding:.3rem .8rem}\n"
	"@media (max-width:640px){"
	"table,thead,tbody,tr,th,td{display:block}"
	"thead tr{position:absolute;left:-9999px;top:-9999px}"
	"tr{border:1px solid #888;margin:0 0 .6rem}"
	"td{border:none;border-bottom:1px solid #ddd}"
	"td::before{content:attr(data-label) \": \";font-weight:bold}"
	"td.n{text-align:right}}\n";

/* ---- labels, Arabic first ---- */

enum web_label {
	L_TITLE, L_TODAY, L_DAY, L_LOGIN, L_LOGOUT, L_USER, L_PASSWORD,
	L_WRONG, L_LIMITED, L_BRANCH, L_TERMINAL, L_DATE, L_NET, L_SESSIONS,
	L_STATUS, L_OPEN, L_CLOSED, L_DIFFERENCE, L_LAST_SYNC, L_CHASE,
	L_NOTHING, L_WHAT, L_DETAIL, L_CSV, L_WINDOWS, L_STALE, L_NOT_CLOSED,
	L_DIFF, L_REJECTED, L_MISSING, L_FIGURES, L_FIGURE, L_AMOUNT,
	L_KIND, L_TIME, L_DAY_OPEN, L_DAY_CLOSE, L_NO_DAY, L_CURRENCY,
	L_LANG_OTHER, L_FORBIDDEN, L_NOT_FOUND, L_ATTENTION, L_NO_ROWS,
	L_SALES_COUNT, L_GROSS, L_DISCOUNTS, L_REFUNDS, L_REFUNDS_COUNT,
	L_VOIDS, L_VOIDS_TOTAL, L_CASH, L_CARD, L_OTHER, L_PAYOUTS, L_CASH_IN,
	L_CASH_OUT, L_FLOAT, L_EXPECTED, L_COUNTED, L_ENTRIES, L_HOURS,
	L_BAD_QUERY, L_PRODUCERS, L_CODE, L_NAME, L_SOLD, L_REFUNDED,
	L_PAID_OUT, L_OWED, L_NAV_PRODUCERS, L_NAV_CONFLICTS,
	L_NAV_MASTER, L_NEVER_SYNCED, L_BEHIND, L_LAST_DAY, L_RECEIVED,
	L_DAY_UNCLOSED, L_NLABELS
};

static const char *const web_labels[L_NLABELS][2] = {
	[L_TITLE] = { "مكتب نوافذ البيع", "Sales windows office" },
	[L_TODAY] = { "اليوم", "Today" },
	[L_DAY] = { "يوم النافذة", "Window day" },
	[L_LOGIN] = { "تسجيل الدخول", "Log in" },
	[L_LOGOUT] = { "تسجيل الخروج", "Log out" },
	[L_USER] = { "اسم المستخدم", "User name" },
	[L_PASSWORD] = { "كلمة المرور", "Password" },
	[L_WRONG] = { "اسم المستخدم أو كلمة المرور غير صحيحة.",
	    "Wrong user name or password." },
	[L_LIMITED] = { "محاولات كثيرة: أعد المحاولة بعد ربع ساعة.",
	    "Too many attempts: try again in a quarter of an hour." },
	[L_BRANCH] = { "الفرع", "Branch" },
	[L_TERMINAL] = { "المحطة", "Terminal" },
	[L_DATE] = { "التاريخ", "Date" },
	[L_NET] = { "الصافي", "Net" },
	[L_SESSIONS] = { "الجلسات", "Sessions" },
	[L_STATUS] = { "الحالة", "State" },
	[L_OPEN] = { "مفتوح", "open" },
	[L_CLOSED] = { "مغلق", "closed" },
	[L_DIFFERENCE] = { "فرق الصندوق", "Cash difference" },
	[L_LAST_SYNC] = { "آخر مزامنة", "Last sync" },
	[L_CHASE] = { "ما يجب متابعته", "To chase" },
	[L_NOTHING] = { "لا شيء ناقص.", "Nothing missing." },
	[L_WHAT] = { "الأمر", "What" },
	[L_DETAIL] = { "التفاصيل", "Detail" },
	[L_CSV] = { "تنزيل CSV", "Download CSV" },
	[L_WINDOWS] = { "الفروع والمحطات", "Branches and terminals" },
	[L_STALE] = { "لم تتزامن", "not heard from" },
	[L_NOT_CLOSED] = { "يوم غير مغلق", "day not closed" },
	[L_DIFF] = { "فرق في الصندوق", "cash difference" },
	[L_REJECTED] = { "قيد مرفوض", "rejected entry" },
	[L_MISSING] = { "ناقص", "missing" },
	[L_FIGURES] = { "أرقام تقرير Z", "Z report figures" },
	[L_FIGURE] = { "البند", "Figure" },
	[L_AMOUNT] = { "المبلغ", "Amount" },
	[L_KIND] = { "النوع", "Kind" },
	[L_TIME] = { "الوقت (UTC)", "Time (UTC)" },
	[L_DAY_OPEN] = { "فتح", "open" },
	[L_DAY_CLOSE] = { "إغلاق", "close" },
	[L_NO_DAY] = { "لا يوجد هذا اليوم لهذه النافذة.",
	    "This window has no such day." },
	[L_CURRENCY] = { "العملة", "Currency" },
	[L_LANG_OTHER] = { "English", "العربية" },
	[L_FORBIDDEN] = { "رمز النموذج مفقود أو خاطئ.",
	    "The form's token is missing or wrong." },
	[L_NOT_FOUND] = { "الصفحة غير موجودة.", "No such page." },
	[L_ATTENTION] = { "⚠ للمتابعة", "⚠ to chase" },
	[L_NO_ROWS] = { "لا توجد أيام.", "No days." },
	[L_SALES_COUNT] = { "عدد المبيعات", "Sales" },
	[L_GROSS] = { "الإجمالي", "Gross" },
	[L_DISCOUNTS] = { "الخصومات", "Discounts" },
	[L_REFUNDS] = { "المرتجعات", "Refunds" },
	[L_REFUNDS_COUNT] = { "عدد المرتجعات", "Refunds (count)" },
	[L_VOIDS] = { "عدد الإلغاءات", "Voids (count)" },
	[L_VOIDS_TOTAL] = { "قيمة الإلغاءات", "Voided" },
	[L_CASH] = { "نقداً", "Cash" },
	[L_CARD] = { "بطاقة", "Card" },
	[L_OTHER] = { "أخرى", "Other" },
	[L_PAYOUTS] = { "الدفعات للمنتجين", "Payouts" },
	[L_CASH_IN] = { "إيداع نقدي", "Cash in" },
	[L_CASH_OUT] = { "سحب نقدي", "Cash out" },
	[L_FLOAT] = { "رصيد الافتتاح", "Float" },
	[L_EXPECTED] = { "النقد المتوقع", "Expected cash" },
	[L_COUNTED] = { "النقد المعدود", "Counted cash" },
	[L_ENTRIES] = { "عدد القيود", "Entries" },
	[L_HOURS] = { "ساعات", "hours" },
	[L_BAD_QUERY] = { "طلب غير صالح", "Bad request" },
	[L_PRODUCERS] = { "المنتجون في هذا اليوم", "Producers this day" },
	[L_CODE] = { "الرمز", "Code" },
	[L_NAME] = { "الاسم", "Name" },
	[L_SOLD] = { "المبيع", "Sold" },
	[L_REFUNDED] = { "المرتجع", "Refunded" },
	[L_PAID_OUT] = { "المدفوع", "Paid out" },
	[L_OWED] = { "المستحق (كل النوافذ)", "Owed (all windows)" },
	[L_NAV_PRODUCERS] = { "المنتجون", "Producers" },
	[L_NAV_CONFLICTS] = { "التعارضات", "Conflicts" },
	[L_NAV_MASTER] = { "البيانات الأساسية", "Master data" },
	[L_NEVER_SYNCED] = { "لم تتزامن قط", "never synced" },
	[L_BEHIND] = { "لا شيء ليوم", "nothing for" },
	[L_LAST_DAY] = { "آخر يوم وصل", "last synced day" },
	[L_RECEIVED] = { "استُلم", "received" },
	[L_DAY_UNCLOSED] = { "لم يُغلق اليوم", "day not closed" },
};


static const char *
web_l(const struct web_req *r, enum web_label l)
{
	return web_labels[l][r->en ? 1 : 0];
}

const char *
web_arg(const struct web_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    key);
}

struct web *
web_new(const struct web_config *cfg)
{
	struct web *w = xcalloc(1, sizeof *w);
	const char *path = cfg->font != NULL ? cfg->font : WEB_FONT_DEFAULT;
	FILE *f;

	w->cfg = *cfg;
	if ((f = fopen(path, "rb")) != NULL) {
		w->font = xmalloc(WEB_MAX_FONT);
		w->font_len = fread(w->font, 1, WEB_MAX_FONT, f);
		fclose(f);
		if (w->font_len == 0 || w->font_len == WEB_MAX_FONT) {
			free(w->font);
			w->font = NULL;
			w->font_len = 0;
		}
	}
	return w;
}

void
web_free(struct web *w)
{
	if (w == NULL)
		return;
	free(w->font);
	free(w);
}

bool
web_route(const char *url)
{
	static const char *const paths[] = {
		"/", "/login", "/logout", "/today", "/day",
		"/static/office.css", "/static/NotoSansArabic-Regular.ttf",
		"/v1/reports/days", "/v1/reports/producers",
		"/v1/reports/missing",
	};

	if (strncmp(url, "/p/", 3) == 0)	/* a producer's page */
		return true;
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (strcmp(url, paths[i]) == 0)
			return true;
	return web_office_route(url);
}

size_t
web_max_body(const char *url)
{
	return strcmp(url, "/master/import") == 0 ? WEB_MAX_UPLOAD :
	    WEB_MAX_BODY;
}

/* ---- the form body: application/x-www-form-urlencoded ---- */

static void
web_form_parse(struct web_req *r, const char *body, size_t len)
{
	char *copy, *p, *amp, *eq;

	if (body == NULL || len == 0)
		return;
	copy = xmalloc(len + 1);
	memcpy(copy, body, len);
	copy[len] = '\0';
	for (p = copy; p != NULL && *p != '\0' && r->nform < WEB_FORM_FIELDS;
	    p = amp) {
		if ((amp = strchr(p, '&')) != NULL)
			*amp++ = '\0';
		if ((eq = strchr(p, '=')) == NULL)
			continue;
		*eq++ = '\0';
		for (char *q = p; *q != '\0'; q++)
			if (*q == '+')
				*q = ' ';
		for (char *q = eq; *q != '\0'; q++)
			if (*q == '+')
				*q = ' ';
		MHD_http_unescape(p);
		MHD_http_unescape(eq);
		r->form_key[r->nform] = xstrdup(p);
		r->form_val[r->nform++] = xstrdup(eq);
	}
	free(copy);
}

/* Whether the body is a urlencoded form (or has no type: read as one). */
static bool
web_form_urlencoded(struct MHD_Connection *conn)
{
	const char *t = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);

	return t == NULL || strncasecmp(t, "multipart/", 10) != 0;
}

const char *
web_form(const struct web_req *r, const char *key)
{
	for (size_t i = 0; i < r->nform; i++)
		if (strcmp(r->form_key[i], key) == 0)
			return r->form_val[i];
	return NULL;
}

/* Two tokens equal, in time independent of where they differ. */
bool
web_token_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL || strlen(a) != TOKEN_HEX - 1 ||
	    strlen(b) != TOKEN_HEX - 1)
		return false;
	return memeql_sec(a, b, TOKEN_HEX - 1) != 0;
}

/* ---- the session ---- */

static void
web_session(struct web_req *r)
{
	const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
	    WEB_COOKIE);
	uint8_t digest[TOKEN_DIGEST];
	char now[21];

	if (c == NULL || !token_well_formed(c, strlen(c)))
		return;
	token_digest(c, strlen(c), digest);
	cstore_now(now);
	r->logged = cstore_wsession_get(r->st, digest, now, &r->sess,
	    NULL) == POS_OK;
}

static char *
web_cookie(const struct web_req *r, const char *name, const char *value,
    const char *path, long max_age)
{
	return xasprintf("%s=%s; Path=%s; Max-Age=%ld; HttpOnly; "
	    "SameSite=Strict%s", name, value, path, max_age,
	    r->w->cfg.tls ? "; Secure" : "");
}

/* ---- page frame ---- */

/*
 * The page's head and header. title is the page's name in the language
 * shown; subject (NULL: none) what it is about, isolated (a branch code
 * and a date read left to right inside an Arabic heading).
 */
void
web_head(struct web_req *r, const char *title, const char *subject,
    const char *here)
{
	struct buf *b = &r->out;

	r->type = "text/html; charset=utf-8";
	html_put(b, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>%s %s — %s</title>\n"
	    "<link rel=\"stylesheet\" href=\"/static/office.css\">\n"
	    "</head>\n<body>\n<header>\n", r->en ? "en" : "ar",
	    r->en ? "ltr" : "rtl", title, subject != NULL ? subject : "",
	    web_l(r, L_TITLE));
	html_put(b, "<nav aria-label=\"%s\">", web_l(r, L_TITLE));
	if (r->logged) {
		const char *q = r->en ? "?lang=en" : "";

		html_put(b, "<a href=\"/today%s\">%s</a> "
		    "<a href=\"/producers%s\">%s</a> "
		    "<a href=\"/conflicts%s\">%s</a> "
		    "<a href=\"/master/producers%s\">%s</a> ", q,
		    web_l(r, L_TODAY), q, web_l(r, L_NAV_PRODUCERS), q,
		    web_l(r, L_NAV_CONFLICTS), q, web_l(r, L_NAV_MASTER));
	}
	/* The other language, same page and arguments otherwise. */
	html_put(b, "<a href=\"%s%s\" lang=\"%s\">%s</a></nav>\n", here,
	    r->en ? "" : (strchr(here, '?') != NULL ? "&lang=en" : "?lang=en"),
	    r->en ? "ar" : "en", web_l(r, L_LANG_OTHER));
	if (r->logged)
		html_put(b, "<form method=\"post\" action=\"/logout\">"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"lang\" value=\"%s\">"
		    "<span>%s</span> <button type=\"submit\">%s</button>"
		    "</form>\n", r->sess.csrf, r->en ? "en" : "ar",
		    r->sess.user, web_l(r, L_LOGOUT));
	if (subject != NULL)
		html_put(b, "</header>\n<main>\n<h1>%s <bdi>%s</bdi></h1>\n",
		    title, subject);
	else
		html_put(b, "</header>\n<main>\n<h1>%s</h1>\n", title);
}

void
web_foot(struct web_req *r)
{
	html_put(&r->out, "</main>\n</body>\n</html>\n");
}

void
web_error(struct web_req *r, unsigned status, const char *title,
    const char *msg)
{
	r->status = status;
	web_head(r, title, NULL, r->en ? "/today?lang=en" : "/today");
	html_put(&r->out, "<p class=\"error\">%s</p>\n", msg);
	web_foot(r);
}

/* A page with one message. */
static void
web_message(struct web_req *r, unsigned status, enum web_label title,
    const char *msg)
{
	web_error(r, status, web_l(r, title), msg);
}

void
web_forbidden(struct web_req *r)
{
	web_message(r, 403, L_FORBIDDEN, web_l(r, L_FORBIDDEN));
}

/* ---- amounts ---- */

/* Decimals of a JSON amount ("12.50" has 2). */
static int
web_decimals(const char *amount)
{
	const char *dot = strchr(amount, '.');

	return dot != NULL ? (int)strlen(dot + 1) : 0;
}

/* A JSON amount as people read it ([currency] digits), into out. */
static const char *
web_amount(const struct web_req *r, const json_t *v, char *out, size_t len)
{
	const char *s = json_string_value(v);
	char err[64];
	int64_t a;
	int dec;

	if (s == NULL)		/* null: not known yet (a day still open) */
		return "—";
	dec = web_decimals(s);
	if (money_parse(s, dec, true, &a, err, sizeof err) != POS_OK)
		return s;
	money_display(a, dec, (enum config_digits)r->w->cfg.digits, out, len);
	return out;
}

/* An amount cell: right-aligned, isolated, with its JSON key. */
void
web_amount_td(struct web_req *r, const char *label, const char *key,
    const json_t *o)
{
	char shown[96];

	html_put(&r->out, "<td class=\"n\" data-label=\"%s\"><bdi data-k=\"%s\">"
	    "%s</bdi></td>", label, key, web_amount(r, json_object_get(o, key),
	    shown, sizeof shown));
}

const char *
web_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

const char *
web_int(const json_t *o, const char *key, char *buf, size_t len)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		return "";
	snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	return buf;
}

/* ---- today ---- */

/* One thing to chase, as (kind, branch, terminal, detail). */
struct web_chase {
	const char	*what;
	const char	*branch;
	char		 terminal[24];
	char		*detail;
};

struct web_chases {
	struct web_chase	*v;
	size_t			 n, cap;
};

static void
web_chase_add(struct web_chases *c, const char *what, const json_t *o,
    char *detail)
{
	const json_t *t = json_object_get(o, "terminal");

	if (c->n == c->cap) {
		c->cap = c->cap == 0 ? 16 : c->cap * 2;
		c->v = xreallocarray(c->v, c->cap, sizeof *c->v);
	}
	c->v[c->n].what = what;
	c->v[c->n].branch = web_str(o, "branch");
	if (json_is_integer(t))
		snprintf(c->v[c->n].terminal, sizeof c->v[c->n].terminal,
		    "%lld", (long long)json_integer_value(t));
	else
		c->v[c->n].terminal[0] = '\0';
	c->v[c->n++].detail = detail;
}

static void
web_chases_free(struct web_chases *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].detail);
	free(c->v);
}

/*
 * A left-to-right mark before a date in a sentence: after an Arabic word
 * a date's digits would count as Arabic numbers, and its hyphens would
 * then read right to left (2026-03-01 shown as 01-03-2026).
 */
#define WEB_LRM	"\xe2\x80\x8e"

/* What `report missing` and the days report list to chase, in order. */
static void
web_chases(struct web_req *r, const json_t *days, const json_t *missing,
    struct web_chases *c)
{
	const json_t *o;
	size_t i;
	char a[96];

	json_array_foreach(json_object_get(days, "missing"), i, o) {
		struct buf d = { 0 };
		const char *latest = web_str(o, "latest_day");
		const json_t *why;
		char when[64];
		size_t k;

		/*
		 * The reasons in the page's tongue, from their codes (plain
		 * text: escaped when it is written into the page).
		 */
		json_array_foreach(json_object_get(o, "why"), k, why) {
			const char *w = json_string_value(why);

			if (k > 0)
				buf_adds(&d, "; ");
			if (w == NULL)
				continue;
			if (strcmp(w, "never_synced") == 0)
				buf_adds(&d, web_l(r, L_NEVER_SYNCED));
			else if (strcmp(w, "behind") == 0) {
				char *t = xasprintf("%s " WEB_LRM "%s: %s "
				    WEB_LRM "%s (%s " WEB_LRM "%s)",
				    web_l(r, L_BEHIND), web_str(days, "date"),
				    web_l(r, L_LAST_DAY), latest,
				    web_l(r, L_RECEIVED), html_when(web_str(o,
				    "last_sync"), when, sizeof when));

				buf_adds(&d, t);
				free(t);
			} else if (strcmp(w, "not_closed") == 0) {
				char *t = xasprintf("%s: " WEB_LRM "%s",
				    web_l(r, L_DAY_UNCLOSED), latest);

				buf_adds(&d, t);
				free(t);
			}
		}
		web_chase_add(c, web_l(r, L_MISSING), o, buf_str(&d));
	}
	json_array_foreach(json_object_get(missing, "stale"), i, o) {
		char when[64];

		web_chase_add(c, web_l(r, L_STALE), o, xasprintf("%s (%lld %s)",
		    html_when(web_str(o, "last_sync"), when, sizeof when),
		    (long long)json_integer_value(json_object_get(o, "hours")),
		    web_l(r, L_HOURS)));
	}
	json_array_foreach(json_object_get(missing, "not_closed"), i, o)
		web_chase_add(c, web_l(r, L_NOT_CLOSED), o, xasprintf(
		    "%s: %lld/%lld", web_str(o, "date"), (long long)
		    json_integer_value(json_object_get(o, "closed_sessions")),
		    (long long)json_integer_value(json_object_get(o,
		    "sessions"))));
	json_array_foreach(json_object_get(missing, "differences"), i, o)
		web_chase_add(c, web_l(r, L_DIFF), o, xasprintf("%s: %s",
		    web_str(o, "date"), web_amount(r, json_object_get(o,
		    "difference"), a, sizeof a)));
	json_array_foreach(json_object_get(missing, "rejected"), i, o)
		web_chase_add(c, web_l(r, L_REJECTED), o, xasprintf(
		    "#%lld %s: %s", (long long)json_integer_value(
		    json_object_get(o, "seq")), web_str(o, "receipt"),
		    web_str(o, "reason")));
}

/* Whether (branch, terminal) has something to chase. */
static bool
web_chased(const struct web_chases *c, const char *branch,
    const char *terminal)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].branch, branch) == 0 &&
		    (c->v[i].terminal[0] == '\0' ||
		    strcmp(c->v[i].terminal, terminal) == 0))
			return true;
	return false;
}

static void
web_today_csv(struct web_req *r, const json_t *days, const json_t *prod,
    const struct web_chases *c, const char *table)
{
	struct buf *b = &r->out;
	const json_t *o;
	size_t i;
	char t[24];

	r->type = "text/csv; charset=utf-8";
	if (strcmp(table, "producers") == 0) {
		r->filename = xstrdup("producers.csv");
		buf_adds(b, "code,name,currency,sold,refunded,net,paid_out,"
		    "owed\r\n");
		json_array_foreach(json_object_get(prod, "producers"), i, o) {
			html_csv(b, web_str(o, "code"), 0);
			html_csv(b, web_str(o, "name"), 0);
			html_csv(b, web_str(o, "currency"), 0);
			html_csv(b, web_str(o, "sold"), 0);
			html_csv(b, web_str(o, "refunded"), 0);
			html_csv(b, web_str(o, "net"), 0);
			html_csv(b, web_str(o, "paid_out"), 0);
			html_csv(b, web_str(o, "owed"), 1);
		}
		return;
	}
	if (strcmp(table, "chase") == 0) {
		r->filename = xstrdup("chase.csv");
		buf_adds(b, "what,branch,terminal,detail\r\n");
		for (i = 0; i < c->n; i++) {
			html_csv(b, c->v[i].what, 0);
			html_csv(b, c->v[i].branch, 0);
			html_csv(b, c->v[i].terminal, 0);
			html_csv(b, c->v[i].detail, 1);
		}
		return;
	}
	r->filename = xstrdup("today.csv");
	buf_adds(b, "branch,terminal,date,currency,net,sessions,closed,"
	    "difference,last_sync\r\n");
	json_array_foreach(json_object_get(days, "days"), i, o) {
		html_csv(b, web_str(o, "branch"), 0);
		html_csv(b, web_int(o, "terminal", t, sizeof t), 0);
		html_csv(b, web_str(o, "date"), 0);
		html_csv(b, web_str(o, "currency"), 0);
		html_csv(b, web_str(o, "net"), 0);
		html_csv(b, web_int(o, "sessions", t, sizeof t), 0);
		html_csv(b, json_is_true(json_object_get(o, "closed")) ?
		    "yes" : "no", 0);
		html_csv(b, web_str(o, "difference"), 0);
		html_csv(b, web_str(o, "last_sync"), 1);
	}
}

/* The day's producers (the producers report for the date). */
static void
web_today_producers(struct web_req *r, const json_t *prod, const char *date)
{
	struct buf *b = &r->out;
	const json_t *o;
	size_t i;

	html_put(b, "<section aria-labelledby=\"producers\">\n"
	    "<h2 id=\"producers\">%s</h2>\n", web_l(r, L_PRODUCERS));
	if (json_array_size(json_object_get(prod, "producers")) == 0)
		html_put(b, "<p>%s</p>\n", web_l(r, L_NO_ROWS));
	else
		html_put(b, "<table id=\"producers-table\">\n<thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\" class=\"n\">%s</th>"
		    "<th scope=\"col\" class=\"n\">%s</th>"
		    "<th scope=\"col\" class=\"n\">%s</th>"
		    "<th scope=\"col\" class=\"n\">%s</th>"
		    "<th scope=\"col\" class=\"n\">%s</th>"
		    "</tr></thead>\n<tbody>\n", web_l(r, L_CODE),
		    web_l(r, L_NAME), web_l(r, L_SOLD), web_l(r, L_REFUNDED),
		    web_l(r, L_NET), web_l(r, L_PAID_OUT), web_l(r, L_OWED));
	json_array_foreach(json_object_get(prod, "producers"), i, o) {
		html_put(b, "<tr data-code=\"%s\"><td data-label=\"%s\">"
		    "<bdi>%s</bdi></td><td data-label=\"%s\"><bdi "
		    "class=\"name\">%s</bdi></td>", web_str(o, "code"),
		    web_l(r, L_CODE), web_str(o, "code"), web_l(r, L_NAME),
		    web_str(o, "name"));
		web_amount_td(r, web_l(r, L_SOLD), "sold", o);
		web_amount_td(r, web_l(r, L_REFUNDED), "refunded", o);
		web_amount_td(r, web_l(r, L_NET), "net", o);
		web_amount_td(r, web_l(r, L_PAID_OUT), "paid_out", o);
		web_amount_td(r, web_l(r, L_OWED), "owed", o);
		html_put(b, "</tr>\n");
	}
	if (json_array_size(json_object_get(prod, "producers")) > 0)
		html_put(b, "</tbody>\n</table>\n");
	html_put(b, "<p><a href=\"/today?csv=producers%s%s\" download>%s</a>"
	    "</p>\n</section>\n", date != NULL ? "&date=" : "",
	    date != NULL ? date : "", web_l(r, L_CSV));
}

static void
web_today_html(struct web_req *r, const json_t *days, const json_t *prod,
    const struct web_chases *c, const char *date)
{
	struct buf *b = &r->out;
	const char *d = json_string_value(json_object_get(days, "date"));
	const json_t *o;
	size_t i;
	char here[64], t[24], s[24];

	snprintf(here, sizeof here, "/today%s%s", date != NULL ? "?date=" : "",
	    date != NULL ? date : "");
	web_head(r, web_l(r, L_TODAY), d, here);
	html_put(b, "<section aria-labelledby=\"chase\">\n"
	    "<h2 id=\"chase\">%s</h2>\n", web_l(r, L_CHASE));
	if (c->n == 0)
		html_put(b, "<p>%s</p>\n", web_l(r, L_NOTHING));
	else {
		html_put(b, "<table id=\"chase-table\">\n<thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead>\n<tbody>\n", web_l(r, L_WHAT),
		    web_l(r, L_BRANCH), web_l(r, L_TERMINAL),
		    web_l(r, L_DETAIL));
		for (i = 0; i < c->n; i++)
			html_put(b, "<tr class=\"warn\"><td data-label=\"%s\">"
			    "%s</td><td data-label=\"%s\"><bdi>%s</bdi></td>"
			    "<td data-label=\"%s\">%s</td>"
			    "<td data-label=\"%s\"><bdi class=\"detail\" "
			    "dir=\"ltr\">%s</bdi></td></tr>\n",
			    web_l(r, L_WHAT), c->v[i].what, web_l(r, L_BRANCH),
			    c->v[i].branch, web_l(r, L_TERMINAL),
			    c->v[i].terminal, web_l(r, L_DETAIL),
			    c->v[i].detail);
		html_put(b, "</tbody>\n</table>\n");
	}
	html_put(b, "<p><a href=\"/today?csv=chase%s%s\" download>%s</a></p>\n"
	    "</section>\n", date != NULL ? "&date=" : "",
	    date != NULL ? date : "", web_l(r, L_CSV));

	html_put(b, "<section aria-labelledby=\"windows\">\n"
	    "<h2 id=\"windows\">%s</h2>\n", web_l(r, L_WINDOWS));
	if (json_array_size(json_object_get(days, "days")) == 0)
		html_put(b, "<p>%s</p>\n", web_l(r, L_NO_ROWS));
	else {
		html_put(b, "<table id=\"days-table\">\n<thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\" class=\"n\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\" class=\"n\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead>\n<tbody>\n", web_l(r, L_BRANCH),
		    web_l(r, L_TERMINAL), web_l(r, L_DATE), web_l(r, L_NET),
		    web_l(r, L_SESSIONS), web_l(r, L_STATUS),
		    web_l(r, L_DIFFERENCE), web_l(r, L_LAST_SYNC));
	}
	json_array_foreach(json_object_get(days, "days"), i, o) {
		const char *br = web_str(o, "branch");
		bool warn;

		web_int(o, "terminal", t, sizeof t);
		warn = web_chased(c, br, t);
		html_put(b, "<tr class=\"%s\" data-branch=\"%s\" "
		    "data-terminal=\"%s\">"
		    "<td data-label=\"%s\"><bdi>%s</bdi></td>"
		    "<td data-label=\"%s\"><a href=\"/day?branch=%s&amp;"
		    "terminal=%s&amp;date=%s%s\">%s</a></td>"
		    "<td data-label=\"%s\"><bdi>%s</bdi></td>",
		    warn ? "warn" : "ok", br, t, web_l(r, L_BRANCH),
		    br, web_l(r, L_TERMINAL), br, t, web_str(o, "date"),
		    r->en ? "&lang=en" : "", t, web_l(r, L_DATE),
		    web_str(o, "date"));
		web_amount_td(r, web_l(r, L_NET), "net", o);
		html_put(b, "<td data-label=\"%s\">%s</td>"
		    "<td data-label=\"%s\">%s%s%s</td>",
		    web_l(r, L_SESSIONS), web_int(o, "sessions", s, sizeof s),
		    web_l(r, L_STATUS), json_is_true(json_object_get(o,
		    "closed")) ? web_l(r, L_CLOSED) : web_l(r, L_OPEN),
		    warn ? " — " : "", warn ? web_l(r, L_ATTENTION) : "");
		web_amount_td(r, web_l(r, L_DIFFERENCE), "difference", o);
		html_put(b, "<td data-label=\"%s\"><bdi>", web_l(r, L_LAST_SYNC));
		html_time(b, web_str(o, "last_sync"));
		html_put(b, "</bdi></td></tr>\n");
	}
	if (json_array_size(json_object_get(days, "days")) > 0)
		html_put(b, "</tbody>\n</table>\n");
	html_put(b, "<p><a href=\"/today?csv=days%s%s\" download>%s</a></p>\n"
	    "</section>\n", date != NULL ? "&date=" : "",
	    date != NULL ? date : "", web_l(r, L_CSV));
	web_today_producers(r, prod, date);
	web_foot(r);
}

static void
web_today(struct web_req *r)
{
	struct rjson_query q = { .prefix = "" };
	struct rjson_query pq = { .prefix = "" };
	struct web_chases c = { 0 };
	json_t *days = NULL, *missing = NULL, *prod = NULL;
	const char *csv = web_arg(r, "csv");
	char *cause = NULL;
	int rc;

	q.date = web_arg(r, "date");
	q.no_chain_days = true;		/* the page shows the date's only */
	if ((rc = rjson_days(r->st, &q, &days, &cause)) == POS_OK) {
		/* The producers of the date the days report shows. */
		pq.date = json_string_value(json_object_get(days, "date"));
		if (pq.date == NULL)
			pq.date = "0001-01-01";
	}
	if (rc != POS_OK ||
	    (rc = rjson_missing(r->st, &q, &missing, &cause)) != POS_OK ||
	    (rc = rjson_producers(r->st, &pq, &prod, &cause)) != POS_OK) {
		web_message(r, rc == POS_INPUT ? 400 : 503, L_BAD_QUERY,
		    cause != NULL ? cause : "");
		goto out;
	}
	web_chases(r, days, missing, &c);
	r->status = 200;
	if (csv != NULL && (strcmp(csv, "days") == 0 ||
	    strcmp(csv, "chase") == 0 || strcmp(csv, "producers") == 0))
		web_today_csv(r, days, prod, &c, csv);
	else
		web_today_html(r, days, prod, &c, q.date);
out:
	web_chases_free(&c);
	json_decref(days);
	json_decref(prod);
	json_decref(missing);
	free(cause);
}

/* ---- a window-day ---- */

static const struct {
	enum web_label	 label;
	const char	*key;		/* in the days report's row */
	const char	*method;	/* in its by_method, instead */
	bool		 count;		/* a count, not an amount */
} web_z[] = {
	{ L_SALES_COUNT, "sales_count", NULL, true },
	{ L_GROSS, "gross", NULL, false },
	{ L_DISCOUNTS, "discounts", NULL, false },
	{ L_REFUNDS, "refunds", NULL, false },
	{ L_REFUNDS_COUNT, "refunds_count", NULL, true },
	{ L_VOIDS, "voids", NULL, true },
	{ L_VOIDS_TOTAL, "voids_total", NULL, false },
	{ L_NET, "net", NULL, false },
	{ L_CASH, "cash", "cash", false },
	{ L_CARD, "card", "card", false },
	{ L_OTHER, "other", "other", false },
	{ L_PAYOUTS, "payouts", NULL, false },
	{ L_CASH_IN, "cash_in", NULL, false },
	{ L_CASH_OUT, "cash_out", NULL, false },
	{ L_FLOAT, "float", NULL, false },
	{ L_EXPECTED, "expected_cash", NULL, false },
	{ L_COUNTED, "counted_cash", NULL, false },
	{ L_DIFFERENCE, "difference", NULL, false },
	{ L_ENTRIES, "entries", NULL, true },
};

/* A day's opening and closing entries. */
struct web_sessions {
	const char	*date;
	struct buf	 csv;
	struct buf	 html;
	const struct web_req *r;
	int		 decimals;
};

static int
web_session_entry(void *arg, const struct ledger_entry *e)
{
	struct web_sessions *ws = arg;
	const struct web_req *r = ws->r;
	bool open = strcmp(e->kind, "day_open") == 0;
	char plain[32], shown[96];

	if (strcmp(e->business_date, ws->date) != 0 ||
	    (!open && strcmp(e->kind, "day_close") != 0))
		return 0;
	money_format(e->amount, (int)e->decimals, plain, sizeof plain);
	money_display(e->amount, (int)e->decimals,
	    (enum config_digits)r->w->cfg.digits, shown, sizeof shown);
	html_put(&ws->html, "<tr><td data-label=\"%s\">%s</td>"
	    "<td data-label=\"%s\"><bdi>%s</bdi></td>"
	    "<td data-label=\"%s\"><bdi>%s</bdi></td>"
	    "<td class=\"n\" data-label=\"%s\"><bdi data-k=\"%s\">%s</bdi></td>"
	    "</tr>\n", web_l(r, L_KIND), web_l(r, open ? L_DAY_OPEN :
	    L_DAY_CLOSE), web_l(r, L_TIME), e->created_at, web_l(r, L_USER),
	    e->user, web_l(r, L_AMOUNT), open ? "float" : "counted_cash",
	    shown);
	html_csv(&ws->csv, e->kind, 0);
	html_csv(&ws->csv, e->created_at, 0);
	html_csv(&ws->csv, e->user, 0);
	html_csv(&ws->csv, plain, 1);
	return 0;
}

static void
web_day_html(struct web_req *r, const json_t *row, struct web_sessions *ws,
    const char *branch, const char *terminal, const char *date)
{
	struct buf *b = &r->out;
	char subject[96], here[160], n[24], shown[96];
	const json_t *bm = json_object_get(row, "by_method");

	snprintf(subject, sizeof subject, "%s/%s %s", branch, terminal, date);
	snprintf(here, sizeof here, "/day?branch=%s&terminal=%s&date=%s",
	    branch, terminal, date);
	web_head(r, web_l(r, L_DAY), subject, here);
	html_put(b, "<p>%s: <bdi>%s</bdi> — %s: %s — %s: <bdi>",
	    web_l(r, L_CURRENCY), web_str(row, "currency"), web_l(r, L_STATUS),
	    json_is_true(json_object_get(row, "closed")) ? web_l(r, L_CLOSED) :
	    web_l(r, L_OPEN), web_l(r, L_LAST_SYNC));
	html_time(b, web_str(row, "last_sync"));
	html_put(b, "</bdi></p>\n");
	html_put(b, "<section aria-labelledby=\"z\">\n<h2 id=\"z\">%s</h2>\n"
	    "<table id=\"z-table\">\n<thead><tr><th scope=\"col\">%s</th>"
	    "<th scope=\"col\" class=\"n\">%s</th></tr></thead>\n<tbody>\n",
	    web_l(r, L_FIGURES), web_l(r, L_FIGURE), web_l(r, L_AMOUNT));
	for (size_t i = 0; i < sizeof web_z / sizeof web_z[0]; i++) {
		const json_t *v = web_z[i].method != NULL ?
		    json_object_get(bm, web_z[i].method) :
		    json_object_get(row, web_z[i].key);
		const char *s = web_z[i].count ? web_int(row, web_z[i].key, n,
		    sizeof n) : web_amount(r, v, shown, sizeof shown);

		html_put(b, "<tr><th scope=\"row\">%s</th><td class=\"n\" "
		    "data-label=\"%s\"><bdi data-k=\"%s\">%s</bdi></td></tr>\n",
		    web_l(r, web_z[i].label), web_l(r, web_z[i].label),
		    web_z[i].key, s);
	}
	html_put(b, "</tbody>\n</table>\n<p><a href=\"/day?branch=%s&amp;"
	    "terminal=%s&amp;date=%s&amp;csv=z\" download>%s</a></p>\n"
	    "</section>\n", branch, terminal, date, web_l(r, L_CSV));
	html_put(b, "<section aria-labelledby=\"sessions\">\n"
	    "<h2 id=\"sessions\">%s</h2>\n<table id=\"sessions-table\">\n"
	    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th><th scope=\"col\" class=\"n\">%s</th>"
	    "</tr></thead>\n<tbody>\n", web_l(r, L_SESSIONS), web_l(r, L_KIND),
	    web_l(r, L_TIME), web_l(r, L_USER), web_l(r, L_AMOUNT));
	buf_add(b, ws->html.data, ws->html.len);
	html_put(b, "</tbody>\n</table>\n<p><a href=\"/day?branch=%s&amp;"
	    "terminal=%s&amp;date=%s&amp;csv=sessions\" download>%s</a></p>\n"
	    "</section>\n", branch, terminal, date, web_l(r, L_CSV));
	web_foot(r);
}

static void
web_day_csv_z(struct web_req *r, const json_t *row)
{
	const json_t *bm = json_object_get(row, "by_method");
	char n[24];

	r->type = "text/csv; charset=utf-8";
	r->filename = xstrdup("z.csv");
	buf_adds(&r->out, "figure,value\r\n");
	for (size_t i = 0; i < sizeof web_z / sizeof web_z[0]; i++) {
		const json_t *v = web_z[i].method != NULL ?
		    json_object_get(bm, web_z[i].method) :
		    json_object_get(row, web_z[i].key);

		html_csv(&r->out, web_z[i].key, 0);
		html_csv(&r->out, web_z[i].count ? web_int(row, web_z[i].key,
		    n, sizeof n) : json_is_string(v) ? json_string_value(v) :
		    "", 1);
	}
}

static void
web_day(struct web_req *r)
{
	const char *branch = web_arg(r, "branch"), *term = web_arg(r,
	    "terminal"), *date = web_arg(r, "date"), *csv = web_arg(r, "csv");
	struct rjson_query q = { .prefix = "" };
	struct web_sessions ws = { 0 };
	json_t *days = NULL, *o, *row = NULL;
	char *cause = NULL, *end;
	long long terminal = 0;
	size_t i;

	if (term != NULL) {
		errno = 0;
		terminal = strtoll(term, &end, 10);
	}
	if (branch == NULL || !master_code_valid(branch) || term == NULL ||
	    *term == '\0' || *end != '\0' || errno != 0 || terminal < 1 ||
	    terminal > 999 || date == NULL || !creport_date_valid(date)) {
		web_message(r, 400, L_BAD_QUERY, "branch=CODE&terminal=N&"
		    "date=YYYY-MM-DD");
		return;
	}
	q.from = q.to = date;
	if (rjson_days(r->st, &q, &days, &cause) != POS_OK) {
		web_message(r, 503, L_BAD_QUERY, cause != NULL ? cause : "");
		goto out;
	}
	json_array_foreach(json_object_get(days, "days"), i, o)
		if (strcmp(web_str(o, "branch"), branch) == 0 &&
		    json_integer_value(json_object_get(o, "terminal")) ==
		    terminal)
			row = o;
	if (row == NULL) {
		web_message(r, 404, L_DAY, web_l(r, L_NO_DAY));
		goto out;
	}
	ws.date = date;
	ws.r = r;
	buf_adds(&ws.csv, "kind,created_at,user,amount\r\n");
	if (cstore_each_entry(r->st, branch, terminal, web_session_entry, &ws,
	    &cause) != POS_OK) {
		web_message(r, 503, L_BAD_QUERY, cause != NULL ? cause : "");
		goto out;
	}
	r->status = 200;
	if (csv != NULL && strcmp(csv, "z") == 0)
		web_day_csv_z(r, row);
	else if (csv != NULL && strcmp(csv, "sessions") == 0) {
		r->type = "text/csv; charset=utf-8";
		r->filename = xstrdup("sessions.csv");
		buf_add(&r->out, ws.csv.data, ws.csv.len);
	} else
		web_day_html(r, row, &ws, branch, term, date);
out:
	free(ws.csv.data);
	free(ws.html.data);
	json_decref(days);
	free(cause);
}

/* ---- login and logout ---- */

/* The login form; a failed login's answer is the same for any name. */
static void
web_login_form(struct web_req *r, unsigned status, enum web_label msg)
{
	struct buf *b = &r->out;
	char token[TOKEN_HEX];
	const char *have = MHD_lookup_connection_value(r->conn,
	    MHD_COOKIE_KIND, WEB_LOGIN);

	/* The form's token is its cookie's: kept if there is one. */
	if (have != NULL && token_well_formed(have, strlen(have)))
		snprintf(token, sizeof token, "%s", have);
	else if (token_generate(token) != 0) {
		r->status = 503;
		r->type = "text/plain; charset=utf-8";
		buf_adds(b, "no randomness\n");
		return;
	}
	free(r->cookie);
	r->cookie = web_cookie(r, WEB_LOGIN, token, "/login", 3600);
	r->status = status;
	web_head(r, web_l(r, L_LOGIN), NULL, "/login");
	if (msg != L_NLABELS)
		html_put(b, "<p class=\"error\" role=\"alert\">%s</p>\n",
		    web_l(r, msg));
	html_put(b, "<form method=\"post\" action=\"/login\">\n"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
	    "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n"
	    "<label for=\"user\">%s</label>\n"
	    "<input id=\"user\" name=\"user\" autocomplete=\"username\" "
	    "required>\n"
	    "<label for=\"password\">%s</label>\n"
	    "<input id=\"password\" name=\"password\" type=\"password\" "
	    "autocomplete=\"current-password\" required>\n"
	    "<p><button type=\"submit\">%s</button></p>\n</form>\n", token,
	    r->en ? "en" : "ar", web_l(r, L_USER), web_l(r, L_PASSWORD),
	    web_l(r, L_LOGIN));
	web_foot(r);
	memset(token, 0, sizeof token);
}

static void
web_redirect(struct web_req *r, const char *to)
{
	r->status = 303;
	r->location = xasprintf("%s%s", to, r->en ? "?lang=en" : "");
	r->type = "text/plain; charset=utf-8";
	buf_adds(&r->out, "see other\n");
}

static void
web_login_post(struct web_req *r)
{
	const char *user = web_form(r, "user"), *pw = web_form(r, "password");
	const char *cookie = MHD_lookup_connection_value(r->conn,
	    MHD_COOKIE_KIND, WEB_LOGIN);
	struct account_session s;
	char *cause = NULL;

	if (!web_token_eq(web_form(r, "csrf"), cookie)) {
		web_message(r, 403, L_LOGIN, web_l(r, L_FORBIDDEN));
		return;
	}
	if (user == NULL || pw == NULL) {
		web_login_form(r, 401, L_WRONG);
		return;
	}
	switch (account_login(r->st, user, pw, strlen(pw), r->address, &s,
	    &cause)) {
	case ACCOUNT_OK:
		web_redirect(r, "/today");
		free(r->cookie);
		r->cookie = web_cookie(r, WEB_COOKIE, s.cookie, "/",
		    ACCOUNT_SESSION);
		break;
	case ACCOUNT_WRONG:
		web_login_form(r, 401, L_WRONG);
		break;
	case ACCOUNT_LIMITED:
		web_login_form(r, 429, L_LIMITED);
		break;
	case ACCOUNT_ERROR:
		web_message(r, 503, L_LOGIN, cause != NULL ? cause : "");
		break;
	}
	memset(&s, 0, sizeof s);
	free(cause);
}

static void
web_logout(struct web_req *r)
{
	const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
	    WEB_COOKIE);
	uint8_t digest[TOKEN_DIGEST];

	if (!r->logged || !web_token_eq(web_form(r, "csrf"), r->sess.csrf)) {
		web_message(r, 403, L_LOGOUT, web_l(r, L_FORBIDDEN));
		return;
	}
	token_digest(c, strlen(c), digest);
	cstore_wsession_drop(r->st, digest, NULL);
	web_redirect(r, "/login");
	r->cookie = web_cookie(r, WEB_COOKIE, "", "/", 0);
}

/* ---- JSON for scripts ---- */

static void
web_json_error(struct web_req *r, unsigned status, const char *msg)
{
	json_t *j = json_object();
	char *s;

	json_object_set_new(j, "error", json_string(msg));
	s = json_dumps(j, JSON_PRESERVE_ORDER);
	json_decref(j);
	r->status = status;
	r->type = "application/json";
	buf_adds(&r->out, s != NULL ? s : "{}");
	buf_addc(&r->out, '\n');
	free(s);
}

/*
 * Who may read reports: the office's session, or an API token. A branch's
 * token is recognised and refused (403): it pushes journals, nothing more.
 */
static bool
web_api_allowed(struct web_req *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION), *tok;
	uint8_t digest[TOKEN_DIGEST];
	char *name = NULL, *cause = NULL;
	bool revoked;
	int rc;

	if (h == NULL) {
		if (r->logged)
			return true;
		web_json_error(r, 401, "log in, or send Authorization: Bearer "
		    "with an API token (pos-central token add)");
		return false;
	}
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		web_json_error(r, 401, "Authorization: not a Bearer token");
		return false;
	}
	for (tok = h + 7; *tok == ' '; tok++)
		;
	if (!token_well_formed(tok, strlen(tok))) {
		web_json_error(r, 401, "unknown token");
		return false;
	}
	token_digest(tok, strlen(tok), digest);
	rc = cstore_apitoken_find(r->st, digest, &name, &cause);
	free(name);
	free(cause);
	cause = NULL;
	if (rc == POS_OK)
		return true;
	if (rc != POS_DENIED) {
		web_json_error(r, 503, "the central store failed");
		return false;
	}
	name = NULL;
	if (cstore_authenticate(r->st, digest, &name, &revoked, &cause) ==
	    POS_OK)
		web_json_error(r, 403, "a branch's token cannot read reports");
	else
		web_json_error(r, 401, "unknown token");
	free(name);
	free(cause);
	return false;
}

static void
web_api(struct web_req *r, const char *url)
{
	struct rjson_query q = { .prefix = "" };
	json_t *j = NULL;
	char *cause = NULL, *s;
	int rc;

	if (!web_api_allowed(r))
		return;
	q.date = web_arg(r, "date");
	q.from = web_arg(r, "from");
	q.to = web_arg(r, "to");
	q.hours = web_arg(r, "hours");
	q.producer = web_arg(r, "producer");
	if (strcmp(url, "/v1/reports/days") == 0)
		rc = rjson_days(r->st, &q, &j, &cause);
	else if (strcmp(url, "/v1/reports/producers") == 0)
		rc = rjson_producers(r->st, &q, &j, &cause);
	else
		rc = rjson_missing(r->st, &q, &j, &cause);
	if (rc != POS_OK) {
		web_json_error(r, rc == POS_INPUT ? 400 : 503,
		    cause != NULL ? cause : "the central store failed");
		free(cause);
		return;
	}
	/* Byte for byte what `pos-central report ... --json` prints. */
	s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (s == NULL)
		xalloc_fatal("json_dumps");
	r->status = 200;
	r->type = "application/json";
	buf_adds(&r->out, s);
	buf_addc(&r->out, '\n');
	free(s);
}

/* ---- dispatch ---- */

static void
web_static(struct web_req *r, const char *url)
{
	r->status = 200;
	if (strcmp(url, "/static/office.css") == 0) {
		r->type = "text/css; charset=utf-8";
		r->fixed = web_css;
		r->fixed_len = sizeof web_css - 1;
	} else if (r->w->font != NULL) {
		r->type = "font/ttf";
		r->fixed = r->w->font;
		r->fixed_len = r->w->font_len;
	} else {
		r->status = 404;
		r->type = "text/plain; charset=utf-8";
		buf_adds(&r->out, "no such resource\n");
	}
}

/*
 * A producer's page (web_producer.h). A token that names no one gets the
 * answer of any unknown path, byte for byte.
 */
static void
web_producer(struct web_req *r, bool get, const char *url)
{
	struct web_producer_args a = {
		.en = r->en, .digits = r->w->cfg.digits,
		.from = web_arg(r, "from"), .to = web_arg(r, "to"),
		.self = url,
	};
	const char *format = web_arg(r, "format");
	struct web_producer_out o;
	struct ingest_answer no;

	a.csv = format != NULL && strcmp(format, "csv") == 0;
	if (get)
		web_producer_page(r->st, url + 3, &a, &o);
	else
		memset(&o, 0, sizeof o);
	if (!get || o.status == 404) {
		free(o.body.data);
		free(o.filename);
		ingest_error(404, "no such resource", &no);
		r->status = no.status;
		r->type = "application/json";
		buf_adds(&r->out, no.body);
		free(no.body);
		return;
	}
	r->status = o.status;
	r->type = o.type;
	r->filename = o.filename;
	free(r->out.data);
	r->out = o.body;
}

static void
web_route_request(struct web_req *r, const char *method, const char *url)
{
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0,
	    post = strcmp(method, "POST") == 0;

	if (strncmp(url, "/static/", 8) == 0 && get) {
		web_static(r, url);
		return;
	}
	if (strncmp(url, "/p/", 3) == 0) {
		web_producer(r, get, url);
		return;
	}
	web_session(r);
	if (strncmp(url, "/v1/reports/", 12) == 0) {
		if (get)
			web_api(r, url);
		else
			web_json_error(r, 405, "use GET");
		return;
	}
	if (strcmp(url, "/login") == 0 && (get || post)) {
		if (post)
			web_login_post(r);
		else
			web_login_form(r, 200, L_NLABELS);
		return;
	}
	if (strcmp(url, "/logout") == 0 && post) {
		web_logout(r);
		return;
	}
	if (web_office_route(url) && (get || post)) {
		if (!r->logged)
			web_redirect(r, "/login");
		else
			web_office(r, url, post);
		return;
	}
	if (!get) {
		web_message(r, 405, L_NOT_FOUND, "use GET");
		return;
	}
	if (!r->logged) {
		web_redirect(r, "/login");
		return;
	}
	if (strcmp(url, "/") == 0)
		web_redirect(r, "/today");
	else if (strcmp(url, "/today") == 0)
		web_today(r);
	else if (strcmp(url, "/day") == 0)
		web_day(r);
	else
		web_message(r, 404, L_NOT_FOUND, web_l(r, L_NOT_FOUND));
}

/*
 * The body gzip-compressed when the client accepts it and it is worth it
 * (a page or a CSV of more than WEB_GZIP_MIN bytes): the today page of a
 * large organisation is mostly repeated markup. Level 1: its time is a
 * small part of a page's, and the size is near level 6's.
 */
#define WEB_GZIP_MIN	2048

static bool
web_accepts_gzip(struct MHD_Connection *conn)
{
	const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);

	return ae != NULL && strstr(ae, "gzip") != NULL;
}

/*
 * The compressors are kept for the next body and reset: setting one up
 * anew takes its tables from the heap each time, which cost more than
 * compressing the today page. As many are kept as were in use at once,
 * up to WEB_Z_KEEP.
 */
#define WEB_Z_KEEP	16

static pthread_mutex_t web_z_lock = PTHREAD_MUTEX_INITIALIZER;
static z_stream *web_z_free[WEB_Z_KEEP];
static size_t web_z_nfree;

static z_stream *
web_z_take(void)
{
	z_stream *z = NULL;

	pthread_mutex_lock(&web_z_lock);
	if (web_z_nfree > 0)
		z = web_z_free[--web_z_nfree];
	pthread_mutex_unlock(&web_z_lock);
	if (z != NULL)
		return z;
	z = xcalloc(1, sizeof *z);
	if (deflateInit2(z, 1, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		free(z);
		return NULL;
	}
	return z;
}

static void
web_z_give(z_stream *z)
{
	if (deflateReset(z) == Z_OK) {
		pthread_mutex_lock(&web_z_lock);
		if (web_z_nfree < WEB_Z_KEEP) {
			web_z_free[web_z_nfree++] = z;
			z = NULL;
		}
		pthread_mutex_unlock(&web_z_lock);
	}
	if (z != NULL) {
		deflateEnd(z);
		free(z);
	}
}

static bool
web_gzip(struct buf *b)
{
	z_stream *z;
	struct buf out = { 0 };
	uLong cap;
	int rc;

	if ((z = web_z_take()) == NULL)
		return false;
	/* Not zeroed: only the pages written are touched. */
	cap = deflateBound(z, (uLong)b->len) + 32;
	out.data = xmalloc(cap);
	out.cap = cap;
	z->next_in = b->data;
	z->avail_in = (uInt)b->len;
	z->next_out = out.data;
	z->avail_out = (uInt)cap;
	rc = deflate(z, Z_FINISH);
	out.len = cap - z->avail_out;
	web_z_give(z);
	if (rc != Z_STREAM_END) {
		free(out.data);
		return false;
	}
	free(b->data);
	*b = out;
	return true;
}

struct MHD_Response *
web_handle(struct web *w, struct cstore *st, struct MHD_Connection *conn,
    const char *method, const char *url, const char *address,
    const char *body, size_t len, unsigned *status)
{
	struct web_req r;
	struct MHD_Response *resp;
	const char *lang;
	bool gz;

	memset(&r, 0, sizeof r);
	r.w = w;
	r.st = st;
	r.conn = conn;
	r.address = address != NULL ? address : "?";
	r.body = body;
	r.body_len = len;
	if (web_form_urlencoded(conn))
		web_form_parse(&r, body, len);
	lang = web_form(&r, "lang");
	if (lang == NULL)
		lang = web_arg(&r, "lang");
	r.en = lang != NULL && strcmp(lang, "en") == 0;
	web_route_request(&r, method, url);

	gz = r.fixed == NULL && r.out.len > WEB_GZIP_MIN &&
	    web_accepts_gzip(conn) && web_gzip(&r.out);
	if (r.fixed != NULL)
		resp = MHD_create_response_from_buffer(r.fixed_len,
		    (void *)(uintptr_t)r.fixed, MHD_RESPMEM_PERSISTENT);
	else {
		size_t n = r.out.len;

		resp = MHD_create_response_from_buffer(n, n > 0 ?
		    buf_str(&r.out) : NULL, MHD_RESPMEM_MUST_FREE);
		if (resp != NULL)
			r.out.data = NULL;
	}
	if (resp != NULL) {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    r.type != NULL ? r.type : "text/plain; charset=utf-8");
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
		    r.fixed != NULL ? "max-age=86400" : "no-store");
		MHD_add_response_header(resp, "Content-Security-Policy",
		    WEB_CSP);
		MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
		MHD_add_response_header(resp, "X-Content-Type-Options",
		    "nosniff");
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
		if (r.fixed == NULL)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY,
			    "Accept-Encoding");
		if (gz)
			MHD_add_response_header(resp,
			    MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
		if (r.location != NULL)
			MHD_add_response_header(resp,
			    MHD_HTTP_HEADER_LOCATION, r.location);
		if (r.cookie != NULL)
			MHD_add_response_header(resp,
			    MHD_HTTP_HEADER_SET_COOKIE, r.cookie);
		if (r.filename != NULL) {
			char *cd = xasprintf("attachment; filename=\"%s\"",
			    r.filename);

			MHD_add_response_header(resp,
			    MHD_HTTP_HEADER_CONTENT_DISPOSITION, cd);
			free(cd);
		}
		if (r.status == 401 && r.type != NULL &&
		    strcmp(r.type, "application/json") == 0)
			MHD_add_response_header(resp,
			    MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
		if (r.status == 405)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
			    "GET, POST");
	}
	*status = r.status != 0 ? r.status : 500;
	free(r.out.data);
	free(r.location);
	if (r.cookie != NULL)
		memset(r.cookie, 0, strlen(r.cookie));
	free(r.cookie);
	free(r.filename);
	for (size_t i = 0; i < r.nform; i++) {
		memset(r.form_val[i], 0, strlen(r.form_val[i]));
		free(r.form_key[i]);
		free(r.form_val[i]);
	}
	cstore_wsession_clear(&r.sess);
	return resp;
}
