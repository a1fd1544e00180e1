/*
 * The office's pages past today and a window-day (web_int.h): producers
 * (search, owed across windows and at each window, one producer's
 * figures, their own page as they see it, rotating their link), conflicts,
 * and the master data (producers and products: list,
 * add, edit, CSV import).
 *
 * Figures come from the JSON the reports print (rjson.c, cnames.c), so a
 * page shows what `report producers --json` and `report conflicts --json`
 * give. Changes go through master.c, as the commands do: each is one
 * master-data version that windows pull. Reading is for every logged-in
 * user; a change (a POST) needs the session's CSRF token (else 403) and
 * the role admin (else 403).
 */
#include "web_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "cause.h"
#include "cnames.h"
#include "html.h"
#include "master.h"
#include "money.h"
#include "plink.h"
#include "rjson.h"
#include "searchtext.h"
#include "token.h"
#include "web_producer.h"
#include "xalloc.h"

enum office_label {
	O_PRODUCERS, O_SEARCH, O_FIND, O_CODE, O_NAME, O_SOLD, O_REFUNDED,
	O_NET, O_PAID_OUT, O_OWED, O_OWES, O_WINDOWS, O_WINDOW, O_CSV,
	O_NO_ROWS, O_PRODUCER, O_NO_PRODUCER, O_CONFLICTS, O_KIND,
	O_SOURCES, O_REGISTER, O_LOCAL, O_JOURNAL, O_NO_CONFLICTS, O_COUNT,
	O_MASTER, O_MPRODUCERS, O_MPRODUCTS, O_PHONE, O_ACTIVE, O_YES, O_NO,
	O_MERGED, O_VERSION, O_ADD, O_EDIT, O_SAVE, O_PRICE, O_UNIT,
	O_BARCODE, O_IMPORT, O_WHAT, O_FILE, O_ADMIN_ONLY, O_REFUSED,
	O_DONE, O_IMPORTED, O_CURRENCY, O_PERIOD, O_THEIR_PAGE, O_ROTATE,
	O_ROTATE_NOTE, O_LINK, O_LINK_ONCE, O_NO_URL, O_NLABELS
};

static const char *const office_labels[O_NLABELS][2] = {
	[O_PRODUCERS] = { "المنتجون", "Producers" },
	[O_SEARCH] = { "بحث بالاسم أو الرمز", "Search by name or code" },
	[O_FIND] = { "ابحث", "Search" },
	[O_CODE] = { "الرمز", "Code" },
	[O_NAME] = { "الاسم", "Name" },
	[O_SOLD] = { "المبيع", "Sold" },
	[O_REFUNDED] = { "المرتجع", "Refunded" },
	[O_NET] = { "الصافي", "Net" },
	[O_PAID_OUT] = { "المدفوع", "Paid out" },
	[O_OWED] = { "المستحق", "Owed" },
	[O_OWES] = { "عليه للنافذة", "Owes the window" },
	[O_WINDOWS] = { "في كل نافذة", "At each window" },
	[O_WINDOW] = { "النافذة", "Window" },
	[O_CSV] = { "تنزيل CSV", "Download CSV" },
	[O_NO_ROWS] = { "لا يوجد شيء.", "Nothing." },
	[O_PRODUCER] = { "المنتج", "Producer" },
	[O_NO_PRODUCER] = { "لا يوجد منتج بهذا الرمز.",
	    "No producer has this code." },
	[O_CONFLICTS] = { "التعارضات", "Conflicts" },
	[O_KIND] = { "النوع", "Kind" },
	[O_SOURCES] = { "المصادر", "Sources" },
	[O_REGISTER] = { "السجل", "register" },
	[O_LOCAL] = { "محلي", "local" },
	[O_JOURNAL] = { "من القيود", "journal" },
	[O_NO_CONFLICTS] = { "لا توجد تعارضات.", "No conflicts." },
	[O_COUNT] = { "عدد التعارضات", "Conflicts" },
	[O_MASTER] = { "البيانات الأساسية", "Master data" },
	[O_MPRODUCERS] = { "سجل المنتجين", "Register of producers" },
	[O_MPRODUCTS] = { "الأصناف", "Catalogue" },
	[O_PHONE] = { "الهاتف", "Phone" },
	[O_ACTIVE] = { "فعّال", "Active" },
	[O_YES] = { "نعم", "yes" },
	[O_NO] = { "لا", "no" },
	[O_MERGED] = { "مدموج في", "Merged into" },
	[O_VERSION] = { "الإصدار", "Version" },
	[O_ADD] = { "إضافة", "Add" },
	[O_EDIT] = { "تعديل", "Edit" },
	[O_SAVE] = { "حفظ", "Save" },
	[O_PRICE] = { "السعر", "Price" },
	[O_UNIT] = { "الوحدة", "Unit" },
	[O_BARCODE] = { "الباركود", "Barcode" },
	[O_IMPORT] = { "استيراد CSV", "Import CSV" },
	[O_WHAT] = { "ماذا", "What" },
	[O_FILE] = { "الملف", "File" },
	[O_ADMIN_ONLY] = { "التعديل للمدير فقط.",
	    "Only an admin may change master data." },
	[O_REFUSED] = { "لم يُحفظ شيء", "Nothing was saved" },
	[O_DONE] = { "حُفظ: إصدار البيانات الأساسية", "Saved: master-data "
	    "version" },
	[O_IMPORTED] = { "صفوف مستوردة", "rows imported" },
	[O_CURRENCY] = { "العملة", "Currency" },
	[O_PERIOD] = { "كل الفترات", "All time" },
	[O_THEIR_PAGE] = { "صفحة المنتج كما يراها",
	    "The producer's page as they see it" },
	[O_ROTATE] = { "تغيير رابطه", "Rotate their link" },
	[O_ROTATE_NOTE] = { "الرابط القديم يتوقف عن العمل فوراً.",
	    "The old link stops working at once." },
	[O_LINK] = { "رابط المنتج الجديد", "The producer's new link" },
	[O_LINK_ONCE] = { "يظهر الرابط هنا مرة واحدة فقط.",
	    "The link is shown here only this once." },
	[O_NO_URL] = { "لم يتغير شيء: اضبط public_url في [central]، "
	    "العنوان الذي يصل به المنتجون إلى هذا الخادم.", "Nothing was "
	    "changed: set [central] public_url, the address producers reach "
	    "this server at." },
};

static const char *
office_l(const struct web_req *r, enum office_label l)
{
	return office_labels[l][r->en ? 1 : 0];
}

static const char *
office_lang(const struct web_req *r)
{
	return r->en ? "?lang=en" : "";
}

/* s percent-encoded for a URL's query (caller frees). */
static char *
office_urlenc(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = { 0 };

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			buf_addc(&b, (char)c);
		else {
			buf_addc(&b, '%');
			buf_addc(&b, hex[c >> 4]);
			buf_addc(&b, hex[c & 15]);
		}
	}
	return buf_str(&b);
}

static void
office_csv_start(struct web_req *r, const char *filename, const char *head)
{
	r->status = 200;
	r->type = "text/csv; charset=utf-8";
	r->filename = xstrdup(filename);
	buf_adds(&r->out, head);
}

static void
office_th(struct web_req *r, enum office_label l, bool number)
{
	html_put(&r->out, number ? "<th scope=\"col\" class=\"n\">%s</th>" :
	    "<th scope=\"col\">%s</th>", office_l(r, l));
}

/* The hidden fields every form of a session carries. */
static void
office_hidden(struct web_req *r)
{
	html_put(&r->out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n",
	    r->sess.csrf, r->en ? "en" : "ar");
}

static bool
office_admin(const struct web_req *r)
{
	return r->sess.role != NULL && strcmp(r->sess.role, "admin") == 0;
}

/* ---- producers ---- */

/* Whether producer o matches the search form want (NULL: everything). */
static bool
office_match(const json_t *o, const char *want)
{
	char *name, *code;
	bool hit;

	if (want == NULL || *want == '\0')
		return true;
	name = searchtext_normalize(web_str(o, "name"));
	code = searchtext_normalize(web_str(o, "code"));
	hit = (name != NULL && strstr(name, want) != NULL) ||
	    (code != NULL && strstr(code, want) != NULL);
	free(name);
	free(code);
	return hit;
}

/* Whether a table shows o: code's alone (code not NULL), else a match. */
static bool
office_shown(const json_t *o, const char *want, const char *code)
{
	return (code == NULL || strcmp(web_str(o, "code"), code) == 0) &&
	    office_match(o, want);
}

static void
office_producer_csv(struct web_req *r, const json_t *prod, const char *want,
    const char *code, bool windows)
{
	const json_t *o, *w;
	size_t i, k;
	char t[24];

	if (windows)
		office_csv_start(r, "producer-windows.csv", "code,currency,"
		    "branch,terminal,net,paid_out,owed,owes_window\r\n");
	else
		office_csv_start(r, "producers.csv", "code,name,currency,sold,"
		    "refunded,net,paid_out,owed,owes_window\r\n");
	json_array_foreach(json_object_get(prod, "producers"), i, o) {
		if (!office_shown(o, want, code))
			continue;
		if (!windows) {
			static const char *const keys[] = { "code", "name",
			    "currency", "sold", "refunded", "net", "paid_out",
			    "owed", "owes_window" };

			for (k = 0; k < 9; k++)
				html_csv(&r->out, web_str(o, keys[k]), k == 8);
			continue;
		}
		json_array_foreach(json_object_get(o, "windows"), k, w) {
			html_csv(&r->out, web_str(o, "code"), 0);
			html_csv(&r->out, web_str(o, "currency"), 0);
			html_csv(&r->out, web_str(w, "branch"), 0);
			html_csv(&r->out, web_int(w, "terminal", t, sizeof t), 0);
			html_csv(&r->out, web_str(w, "net"), 0);
			html_csv(&r->out, web_str(w, "paid_out"), 0);
			html_csv(&r->out, web_str(w, "owed"), 0);
			html_csv(&r->out, web_str(w, "owes_window"), 1);
		}
	}
}

/* The table of producers (those matching want, or the one code). */
static size_t
office_producer_table(struct web_req *r, const json_t *prod,
    const char *want, const char *code)
{
	const json_t *o;
	size_t i, shown = 0;

	html_put(&r->out, "<table id=\"producers-table\">\n<thead><tr>");
	office_th(r, O_CODE, false);
	office_th(r, O_NAME, false);
	office_th(r, O_CURRENCY, false);
	office_th(r, O_SOLD, true);
	office_th(r, O_REFUNDED, true);
	office_th(r, O_NET, true);
	office_th(r, O_PAID_OUT, true);
	office_th(r, O_OWED, true);
	office_th(r, O_OWES, true);
	html_put(&r->out, "</tr></thead>\n<tbody>\n");
	json_array_foreach(json_object_get(prod, "producers"), i, o) {
		if (!office_shown(o, want, code))
			continue;
		shown++;
		html_put(&r->out, "<tr data-code=\"%s\" data-currency=\"%s\">"
		    "<td data-label=\"%s\"><a href=\"/producer?code=%s%s\">"
		    "<bdi>%s</bdi></a></td><td data-label=\"%s\"><bdi "
		    "class=\"name\">%s</bdi></td><td data-label=\"%s\"><bdi>"
		    "%s</bdi></td>", web_str(o, "code"), web_str(o, "currency"),
		    office_l(r, O_CODE), web_str(o, "code"), r->en ? "&lang=en" :
		    "", web_str(o, "code"), office_l(r, O_NAME),
		    web_str(o, "name"), office_l(r, O_CURRENCY),
		    web_str(o, "currency"));
		web_amount_td(r, office_l(r, O_SOLD), "sold", o);
		web_amount_td(r, office_l(r, O_REFUNDED), "refunded", o);
		web_amount_td(r, office_l(r, O_NET), "net", o);
		web_amount_td(r, office_l(r, O_PAID_OUT), "paid_out", o);
		web_amount_td(r, office_l(r, O_OWED), "owed", o);
		web_amount_td(r, office_l(r, O_OWES), "owes_window", o);
		html_put(&r->out, "</tr>\n");
	}
	html_put(&r->out, "</tbody>\n</table>\n");
	return shown;
}

/* Each producer's share at each window. */
static void
office_window_table(struct web_req *r, const json_t *prod, const char *want,
    const char *code)
{
	const json_t *o, *w;
	size_t i, k;
	char t[24];

	html_put(&r->out, "<table id=\"windows-table\">\n<thead><tr>");
	office_th(r, O_CODE, false);
	office_th(r, O_WINDOW, false);
	office_th(r, O_NET, true);
	office_th(r, O_PAID_OUT, true);
	office_th(r, O_OWED, true);
	office_th(r, O_OWES, true);
	html_put(&r->out, "</tr></thead>\n<tbody>\n");
	json_array_foreach(json_object_get(prod, "producers"), i, o) {
		if (!office_shown(o, want, code))
			continue;
		json_array_foreach(json_object_get(o, "windows"), k, w) {
			html_put(&r->out, "<tr data-code=\"%s\" data-currency="
			    "\"%s\" data-window=\"%s/%s\"><td data-label=\"%s\">"
			    "<bdi>%s</bdi></td><td data-label=\"%s\"><bdi>%s/%s"
			    "</bdi></td>", web_str(o, "code"),
			    web_str(o, "currency"), web_str(w, "branch"),
			    web_int(w, "terminal", t, sizeof t),
			    office_l(r, O_CODE), web_str(o, "code"),
			    office_l(r, O_WINDOW), web_str(w, "branch"), t);
			web_amount_td(r, office_l(r, O_NET), "net", w);
			web_amount_td(r, office_l(r, O_PAID_OUT), "paid_out",
			    w);
			web_amount_td(r, office_l(r, O_OWED), "owed", w);
			web_amount_td(r, office_l(r, O_OWES), "owes_window",
			    w);
			html_put(&r->out, "</tr>\n");
		}
	}
	html_put(&r->out, "</tbody>\n</table>\n");
}

/*
 * On the page of one producer: a link to their own page as they see it
 * and, for an admin, the form that rotates their link.
 */
static void
office_their_page(struct web_req *r, const char *code)
{
	html_put(&r->out, "<p><a id=\"their-page\" href=\"/producer/page/%s"
	    "%s\">%s</a></p>\n", code, r->en ? "?lang=en" : "",
	    office_l(r, O_THEIR_PAGE));
	if (!office_admin(r))
		return;
	html_put(&r->out, "<form id=\"rotate\" method=\"post\" "
	    "action=\"/producer/rotate\">\n");
	office_hidden(r);
	html_put(&r->out, "<input type=\"hidden\" name=\"code\" value=\"%s\">"
	    "\n<p>%s</p>\n<p><button type=\"submit\">%s</button></p>\n"
	    "</form>\n", code, office_l(r, O_ROTATE_NOTE),
	    office_l(r, O_ROTATE));
}

/*
 * GET /producer/page/CODE: the producer's own page (what /p/<token>
 * shows them), for the office without the token.
 */
static void
office_producer_page(struct web_req *r, const char *url)
{
	const char *code = url + strlen("/producer/page/"),
	    *format = web_arg(r, "format");
	struct web_producer_args a = {
		.en = r->en, .digits = r->w->cfg.digits,
		.from = web_arg(r, "from"), .to = web_arg(r, "to"),
		.self = url,
	};
	struct web_producer_out o;

	if (!master_code_valid(code)) {
		web_error(r, 400, office_l(r, O_PRODUCER), "/producer/page/"
		    "CODE");
		return;
	}
	a.csv = format != NULL && strcmp(format, "csv") == 0;
	web_producer_render(r->st, code, &a, &o);
	r->status = o.status;
	r->type = o.type;
	r->filename = o.filename;
	free(r->out.data);
	r->out = o.body;
}

/* GET /producers and GET /producer?code=: all time, as the JSON. */
static void
office_producers(struct web_req *r, bool one)
{
	struct rjson_query q = { .prefix = "" };
	const char *search = web_arg(r, "q"), *code = NULL,
	    *csv = web_arg(r, "csv");
	char *want = NULL, *cause = NULL, *qenc = NULL, here[96];
	json_t *prod = NULL;
	size_t shown;

	if (one && ((code = web_arg(r, "code")) == NULL ||
	    !master_code_valid(code))) {
		web_error(r, 400, office_l(r, O_PRODUCER), "code=CODE");
		return;
	}
	if (!one && search != NULL &&
	    (want = searchtext_normalize(search)) == NULL) {
		web_error(r, 400, office_l(r, O_PRODUCERS), "q: not UTF-8");
		return;
	}
	if (search != NULL)
		qenc = office_urlenc(search);
	if (rjson_producers(r->st, &q, &prod, &cause) != POS_OK) {
		web_error(r, 503, office_l(r, O_PRODUCERS), cause != NULL ?
		    cause : "");
		goto out;
	}
	if (csv != NULL) {
		office_producer_csv(r, prod, want, code,
		    strcmp(csv, "windows") == 0);
		goto out;
	}
	r->status = 200;
	if (one) {
		snprintf(here, sizeof here, "/producer?code=%s", code);
		web_head(r, office_l(r, O_PRODUCER), code, here);
	} else {
		web_head(r, office_l(r, O_PRODUCERS), NULL, "/producers");
		html_put(&r->out, "<form method=\"get\" action=\"/producers\" "
		    "role=\"search\">\n<label for=\"q\">%s</label>\n<input "
		    "id=\"q\" name=\"q\" type=\"search\" value=\"%s\">\n",
		    office_l(r, O_SEARCH), search != NULL ? search : "");
		if (r->en)
			html_put(&r->out, "<input type=\"hidden\" name=\"lang\""
			    " value=\"en\">\n");
		html_put(&r->out, "<button type=\"submit\">%s</button>\n"
		    "</form>\n", office_l(r, O_FIND));
	}
	html_put(&r->out, "<p>%s</p>\n", office_l(r, O_PERIOD));
	shown = office_producer_table(r, prod, want, code);
	if (shown == 0)
		html_put(&r->out, "<p id=\"none\">%s</p>\n", one ?
		    office_l(r, O_NO_PRODUCER) : office_l(r, O_NO_ROWS));
	if (one && shown == 0)
		r->status = 404;
	html_put(&r->out, "<p><a href=\"%s%scsv=producers%s%s%s%s\" download>"
	    "%s</a></p>\n<h2 id=\"windows\">%s</h2>\n", one ? "/producer" :
	    "/producers", "?", one ? "&code=" : "", one ? code : "",
	    qenc != NULL && !one ? "&q=" : "", qenc != NULL && !one ?
	    qenc : "", office_l(r, O_CSV), office_l(r, O_WINDOWS));
	office_window_table(r, prod, want, code);
	html_put(&r->out, "<p><a href=\"%s?csv=windows%s%s%s%s\" download>%s"
	    "</a></p>\n", one ? "/producer" : "/producers", one ? "&code=" :
	    "", one ? code : "", qenc != NULL && !one ? "&q=" : "",
	    qenc != NULL && !one ? qenc : "", office_l(r, O_CSV));
	if (one && shown > 0)
		office_their_page(r, code);
	web_foot(r);
out:
	json_decref(prod);
	free(qenc);
	free(want);
	free(cause);
}

/* ---- conflicts ---- */

/* "register", or "B1/2 (local)" as the text report says it. */
static char *
office_sources(const struct web_req *r, const json_t *sources)
{
	struct buf b = { 0 };
	const json_t *s;
	size_t m;

	json_array_foreach(sources, m, s) {
		const char *src = web_str(s, "source");
		char *one;

		if (m > 0)
			buf_adds(&b, "; ");
		if (strcmp(src, "register") == 0)
			one = xstrdup(office_l(r, O_REGISTER));
		else
			one = xasprintf("%s/%lld (%s)", web_str(s, "branch"),
			    (long long)json_integer_value(json_object_get(s,
			    "terminal")), strcmp(src, "local") == 0 ?
			    office_l(r, O_LOCAL) : office_l(r, O_JOURNAL));
		buf_adds(&b, one);
		free(one);
	}
	return buf_str(&b);
}

static void
office_conflict_rows(struct web_req *r, const json_t *arr, const char *kind,
    bool csv)
{
	const json_t *g, *n;
	size_t i, k;

	json_array_foreach(arr, i, g) {
		json_array_foreach(json_object_get(g, "names"), k, n) {
			char *src = office_sources(r, json_object_get(n,
			    "sources"));

			if (csv) {
				html_csv(&r->out, kind, 0);
				html_csv(&r->out, web_str(g, "code"), 0);
				html_csv(&r->out, web_str(n, "name"), 0);
				html_csv(&r->out, src, 1);
			} else
				html_put(&r->out, "<tr data-kind=\"%s\" "
				    "data-code=\"%s\"><td data-label=\"%s\">%s"
				    "</td><td data-label=\"%s\"><bdi>%s</bdi>"
				    "</td><td data-label=\"%s\"><bdi class="
				    "\"name\">%s</bdi></td><td data-label=\"%s\">"
				    "<bdi>%s</bdi></td></tr>\n", kind,
				    web_str(g, "code"), office_l(r, O_KIND),
				    kind, office_l(r, O_CODE),
				    web_str(g, "code"), office_l(r, O_NAME),
				    web_str(n, "name"), office_l(r, O_SOURCES),
				    src);
			free(src);
		}
	}
}

/* GET /conflicts: `report conflicts --json`, a row per name of a code. */
static void
office_conflicts(struct web_req *r)
{
	struct cnames names;
	char *cause = NULL;
	json_t *j;

	if (cnames_read(r->st, CNAMES_SEEN_PRODUCERS | CNAMES_SEEN_PRODUCTS,
	    &names, &cause) != POS_OK) {
		web_error(r, 503, office_l(r, O_CONFLICTS), cause != NULL ?
		    cause : "");
		free(cause);
		return;
	}
	j = cnames_conflicts(&names);
	cnames_free(&names);
	if (web_arg(r, "csv") != NULL) {
		office_csv_start(r, "conflicts.csv", "kind,code,name,"
		    "sources\r\n");
		office_conflict_rows(r, json_object_get(j, "producers"),
		    "producer", true);
		office_conflict_rows(r, json_object_get(j, "products"),
		    "product", true);
		json_decref(j);
		return;
	}
	r->status = 200;
	web_head(r, office_l(r, O_CONFLICTS), NULL, "/conflicts");
	html_put(&r->out, "<p>%s: <bdi id=\"conflicts-count\">%D</bdi></p>\n",
	    office_l(r, O_COUNT), (int64_t)json_integer_value(
	    json_object_get(j, "conflicts")));
	if (json_integer_value(json_object_get(j, "conflicts")) == 0)
		html_put(&r->out, "<p>%s</p>\n", office_l(r, O_NO_CONFLICTS));
	else {
		html_put(&r->out, "<table id=\"conflicts-table\">\n<thead><tr>");
		office_th(r, O_KIND, false);
		office_th(r, O_CODE, false);
		office_th(r, O_NAME, false);
		office_th(r, O_SOURCES, false);
		html_put(&r->out, "</tr></thead>\n<tbody>\n");
		office_conflict_rows(r, json_object_get(j, "producers"),
		    "producer", false);
		office_conflict_rows(r, json_object_get(j, "products"),
		    "product", false);
		html_put(&r->out, "</tbody>\n</table>\n");
	}
	html_put(&r->out, "<p><a href=\"/conflicts?csv=1\" download>%s</a>"
	    "</p>\n", office_l(r, O_CSV));
	web_foot(r);
	json_decref(j);
}

/* ---- master data: lists ---- */

static void
office_master_nav(struct web_req *r)
{
	html_put(&r->out, "<nav aria-label=\"%s\"><p><a href=\"/master/"
	    "producers%s\">%s</a> — <a href=\"/master/products%s\">%s</a> — "
	    "<a href=\"/master/import%s\">%s</a></p></nav>\n",
	    office_l(r, O_MASTER), office_lang(r), office_l(r, O_MPRODUCERS),
	    office_lang(r), office_l(r, O_MPRODUCTS), office_lang(r),
	    office_l(r, O_IMPORT));
}

/* A text field of a form: label, input (value NULL: empty). */
static void
office_field(struct web_req *r, const char *id, enum office_label l,
    const char *value, bool required)
{
	html_put(&r->out, "<label for=\"%s\">%s</label>\n<input id=\"%s\" "
	    "name=\"%s\" value=\"%s\"%s>\n", id, office_l(r, l), id, id,
	    value != NULL ? value : "", required ? " required" : "");
}

static void
office_active_field(struct web_req *r, bool active)
{
	html_put(&r->out, "<label for=\"active\">%s</label>\n<select "
	    "id=\"active\" name=\"active\"><option value=\"yes\"%s>%s</option>"
	    "<option value=\"no\"%s>%s</option></select>\n",
	    office_l(r, O_ACTIVE), active ? " selected" : "",
	    office_l(r, O_YES), active ? "" : " selected", office_l(r, O_NO));
}

static const char *
office_merged_into(const struct cnames *c, const char *code)
{
	for (size_t i = 0; i < c->nmerges; i++)
		if (c->merges[i].undone_at == NULL &&
		    strcmp(c->merges[i].from, code) == 0)
			return c->merges[i].into;
	return NULL;
}

static void
office_mproducers_html(struct web_req *r, const struct cnames *c)
{
	html_put(&r->out, "<table id=\"mproducers-table\">\n<thead><tr>");
	office_th(r, O_CODE, false);
	office_th(r, O_NAME, false);
	office_th(r, O_PHONE, false);
	office_th(r, O_ACTIVE, false);
	office_th(r, O_MERGED, false);
	office_th(r, O_VERSION, true);
	html_put(&r->out, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < c->nproducers; i++) {
		const struct cstore_mproducer *p = &c->producers[i];
		const char *into = office_merged_into(c, p->code);

		html_put(&r->out, "<tr data-code=\"%s\"><td data-label=\"%s\">"
		    "<a href=\"/master/producer?code=%s%s\"><bdi>%s</bdi></a>"
		    "</td><td data-label=\"%s\"><bdi class=\"name\">%s</bdi>"
		    "</td><td data-label=\"%s\"><bdi>%s</bdi></td>"
		    "<td data-label=\"%s\">%s</td><td data-label=\"%s\"><bdi>"
		    "%s</bdi></td><td class=\"n\" data-label=\"%s\">%D</td>"
		    "</tr>\n", p->code, office_l(r, O_CODE), p->code,
		    r->en ? "&lang=en" : "", p->code, office_l(r, O_NAME),
		    p->name, office_l(r, O_PHONE), p->phone != NULL ? p->phone :
		    "—", office_l(r, O_ACTIVE), office_l(r, p->active ? O_YES :
		    O_NO), office_l(r, O_MERGED), into != NULL ? into : "—",
		    office_l(r, O_VERSION), p->version);
	}
	html_put(&r->out, "</tbody>\n</table>\n");
}

static void
office_mproducts_html(struct web_req *r, const struct cnames *c)
{
	char price[48], shown[96];

	html_put(&r->out, "<table id=\"mproducts-table\">\n<thead><tr>");
	office_th(r, O_CODE, false);
	office_th(r, O_NAME, false);
	office_th(r, O_PRICE, true);
	office_th(r, O_UNIT, false);
	office_th(r, O_PRODUCER, false);
	office_th(r, O_BARCODE, false);
	office_th(r, O_ACTIVE, false);
	office_th(r, O_VERSION, true);
	html_put(&r->out, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < c->nproducts; i++) {
		const struct cstore_mproduct *p = &c->products[i];

		money_format(p->price, r->w->cfg.decimals, price,
		    sizeof price);
		money_display(p->price, r->w->cfg.decimals,
		    (enum config_digits)r->w->cfg.digits, shown, sizeof shown);
		html_put(&r->out, "<tr data-code=\"%s\"><td data-label=\"%s\">"
		    "<a href=\"/master/product?code=%s%s\"><bdi>%s</bdi></a>"
		    "</td><td data-label=\"%s\"><bdi class=\"name\">%s</bdi>"
		    "</td><td class=\"n\" data-label=\"%s\"><bdi data-k=\"price\""
		    " data-v=\"%s\">%s</bdi></td><td data-label=\"%s\">%s</td>"
		    "<td data-label=\"%s\"><bdi>%s</bdi></td><td data-label="
		    "\"%s\"><bdi>%s</bdi></td><td data-label=\"%s\">%s</td>"
		    "<td class=\"n\" data-label=\"%s\">%D</td></tr>\n",
		    p->code, office_l(r, O_CODE), p->code, r->en ? "&lang=en" :
		    "", p->code, office_l(r, O_NAME), p->name,
		    office_l(r, O_PRICE), price, shown, office_l(r, O_UNIT),
		    p->unit, office_l(r, O_PRODUCER), p->producer,
		    office_l(r, O_BARCODE), p->barcode != NULL ? p->barcode :
		    "—", office_l(r, O_ACTIVE), office_l(r, p->active ? O_YES :
		    O_NO), office_l(r, O_VERSION), p->version);
	}
	html_put(&r->out, "</tbody>\n</table>\n");
}

static void
office_master_csv(struct web_req *r, const struct cnames *c, bool products)
{
	char n[48];

	if (!products) {
		office_csv_start(r, "register-producers.csv", "code,name,phone,"
		    "active,merged_into,version\r\n");
		for (size_t i = 0; i < c->nproducers; i++) {
			const struct cstore_mproducer *p = &c->producers[i];
			const char *into = office_merged_into(c, p->code);

			html_csv(&r->out, p->code, 0);
			html_csv(&r->out, p->name, 0);
			html_csv(&r->out, p->phone != NULL ? p->phone : "", 0);
			html_csv(&r->out, p->active ? "yes" : "no", 0);
			html_csv(&r->out, into != NULL ? into : "", 0);
			snprintf(n, sizeof n, "%lld", (long long)p->version);
			html_csv(&r->out, n, 1);
		}
		return;
	}
	office_csv_start(r, "catalogue.csv", "code,name,price,unit,producer,"
	    "barcode,active,version\r\n");
	for (size_t i = 0; i < c->nproducts; i++) {
		const struct cstore_mproduct *p = &c->products[i];

		html_csv(&r->out, p->code, 0);
		html_csv(&r->out, p->name, 0);
		money_format(p->price, r->w->cfg.decimals, n, sizeof n);
		html_csv(&r->out, n, 0);
		html_csv(&r->out, p->unit, 0);
		html_csv(&r->out, p->producer, 0);
		html_csv(&r->out, p->barcode != NULL ? p->barcode : "", 0);
		html_csv(&r->out, p->active ? "yes" : "no", 0);
		snprintf(n, sizeof n, "%lld", (long long)p->version);
		html_csv(&r->out, n, 1);
	}
}

/* The add form of the list page (admin only). */
static void
office_add_form(struct web_req *r, bool products)
{
	html_put(&r->out, "<section aria-labelledby=\"add\">\n<h2 id=\"add\">"
	    "%s</h2>\n<form method=\"post\" action=\"/master/%s\">\n",
	    office_l(r, O_ADD), products ? "products" : "producers");
	office_hidden(r);
	office_field(r, "code", O_CODE, web_form(r, "code"), true);
	office_field(r, "name", O_NAME, web_form(r, "name"), true);
	if (products) {
		office_field(r, "price", O_PRICE, web_form(r, "price"), true);
		office_field(r, "producer", O_PRODUCER, web_form(r, "producer"),
		    true);
		office_field(r, "unit", O_UNIT, web_form(r, "unit") != NULL ?
		    web_form(r, "unit") : "piece", true);
		office_field(r, "barcode", O_BARCODE, web_form(r, "barcode"),
		    false);
	} else
		office_field(r, "phone", O_PHONE, web_form(r, "phone"), false);
	html_put(&r->out, "<p><button type=\"submit\">%s</button></p>\n"
	    "</form>\n</section>\n", office_l(r, O_ADD));
}

/*
 * GET (and the answer to a POST of) /master/producers or /master/products:
 * the register, a message (NULL: none; error or done) and the add form.
 */
static void
office_master_list(struct web_req *r, bool products, unsigned status,
    const char *error, const char *done)
{
	struct cnames names;
	char *cause = NULL;

	if (cnames_read(r->st, 0, &names, &cause) != POS_OK) {
		web_error(r, 503, office_l(r, O_MASTER), cause != NULL ?
		    cause : "");
		free(cause);
		return;
	}
	if (status == 200 && web_arg(r, "csv") != NULL) {
		office_master_csv(r, &names, products);
		cnames_free(&names);
		return;
	}
	r->status = status;
	web_head(r, office_l(r, products ? O_MPRODUCTS : O_MPRODUCERS), NULL,
	    products ? "/master/products" : "/master/producers");
	office_master_nav(r);
	if (error != NULL)
		html_put(&r->out, "<p class=\"error\" role=\"alert\">%s: <bdi "
		    "id=\"error\">%s</bdi></p>\n", office_l(r, O_REFUSED),
		    error);
	if (done != NULL)
		html_put(&r->out, "<p role=\"status\" id=\"done\">%s</p>\n",
		    done);
	if (products)
		office_mproducts_html(r, &names);
	else
		office_mproducers_html(r, &names);
	html_put(&r->out, "<p><a href=\"/master/%s?csv=1\" download>%s</a>"
	    "</p>\n", products ? "products" : "producers", office_l(r, O_CSV));
	if (office_admin(r))
		office_add_form(r, products);
	else
		html_put(&r->out, "<p>%s</p>\n", office_l(r, O_ADMIN_ONLY));
	web_foot(r);
	cnames_free(&names);
}

/* ---- master data: changes ---- */

/*
 * Whether a POST may change master data: the session's CSRF token, then
 * the role admin; otherwise the 403 is answered here.
 */
static bool
office_may_change(struct web_req *r)
{
	if (!web_token_eq(web_form(r, "csrf"), r->sess.csrf)) {
		web_forbidden(r);
		return false;
	}
	if (!office_admin(r)) {
		web_error(r, 403, office_l(r, O_MASTER),
		    office_l(r, O_ADMIN_ONLY));
		return false;
	}
	return true;
}

static char *
office_done(const struct web_req *r, int64_t version)
{
	return xasprintf("%s %lld", office_l(r, O_DONE), (long long)version);
}

/* A price of the form with the catalogue's decimals. */
static int
office_price(struct web_req *r, const char *text, int64_t *out,
    char **cause)
{
	char err[128];

	if (text == NULL)
		return cause_set(cause, POS_INPUT, "price: missing");
	if (money_parse(text, r->w->cfg.decimals, false, out, err,
	    sizeof err) != 0)
		return cause_set(cause, POS_INPUT, "price: %s, got \"%s\"",
		    err, text);
	return POS_OK;
}

/* POST /master/producers or /master/products: add one. */
static void
office_add(struct web_req *r, bool products)
{
	const char *code = web_form(r, "code"), *name = web_form(r, "name"),
	    *phone = web_form(r, "phone"), *barcode = web_form(r, "barcode"),
	    *unit = web_form(r, "unit");
	char *cause = NULL, *done;
	int64_t version = 0, price = 0;
	int rc;

	if (!office_may_change(r))
		return;
	if (code == NULL || name == NULL)
		rc = cause_set(&cause, POS_INPUT, "code and name are required");
	else if (!products)
		rc = master_producer_add(r->st, code, name, phone != NULL &&
		    *phone != '\0' ? phone : NULL, &version, &cause);
	else if ((rc = office_price(r, web_form(r, "price"), &price,
	    &cause)) == POS_OK)
		rc = master_product_add(r->st, code, name, price,
		    unit != NULL && *unit != '\0' ? unit : "piece",
		    web_form(r, "producer") != NULL ? web_form(r, "producer") :
		    "", barcode != NULL && *barcode != '\0' ? barcode : NULL,
		    true, &version, &cause);
	if (rc != POS_OK) {
		office_master_list(r, products, rc == POS_INPUT ? 400 : 503,
		    cause != NULL ? cause : "", NULL);
		free(cause);
		return;
	}
	done = office_done(r, version);
	office_master_list(r, products, 200, NULL, done);
	free(done);
}

/* The edit page of one producer or product (status, error as above). */
static void
office_edit_page(struct web_req *r, bool products, const char *code,
    unsigned status, const char *error, const char *done)
{
	struct cnames names;
	char *cause = NULL, here[96], price[48];
	const struct cstore_mproducer *p = NULL;
	const struct cstore_mproduct *q = NULL;

	if (cnames_read(r->st, 0, &names, &cause) != POS_OK) {
		web_error(r, 503, office_l(r, O_MASTER), cause != NULL ?
		    cause : "");
		free(cause);
		return;
	}
	for (size_t i = 0; !products && i < names.nproducers; i++)
		if (strcmp(names.producers[i].code, code) == 0)
			p = &names.producers[i];
	for (size_t i = 0; products && i < names.nproducts; i++)
		if (strcmp(names.products[i].code, code) == 0)
			q = &names.products[i];
	if (p == NULL && q == NULL) {
		web_error(r, 404, office_l(r, O_EDIT), office_l(r,
		    O_NO_ROWS));
		goto out;
	}
	r->status = status;
	snprintf(here, sizeof here, "/master/%s?code=%s", products ?
	    "product" : "producer", code);
	web_head(r, office_l(r, O_EDIT), code, here);
	office_master_nav(r);
	if (error != NULL)
		html_put(&r->out, "<p class=\"error\" role=\"alert\">%s: <bdi "
		    "id=\"error\">%s</bdi></p>\n", office_l(r, O_REFUSED),
		    error);
	if (done != NULL)
		html_put(&r->out, "<p role=\"status\" id=\"done\">%s</p>\n",
		    done);
	if (!office_admin(r)) {
		html_put(&r->out, "<p>%s</p>\n", office_l(r, O_ADMIN_ONLY));
		web_foot(r);
		goto out;
	}
	html_put(&r->out, "<form method=\"post\" action=\"/master/%s\">\n",
	    products ? "product" : "producer");
	office_hidden(r);
	html_put(&r->out, "<input type=\"hidden\" name=\"code\" value=\"%s\">"
	    "\n", code);
	if (p != NULL) {
		office_field(r, "name", O_NAME, p->name, true);
		office_field(r, "phone", O_PHONE, p->phone, false);
		office_active_field(r, p->active);
	} else {
		money_format(q->price, r->w->cfg.decimals, price,
		    sizeof price);
		office_field(r, "name", O_NAME, q->name, true);
		office_field(r, "price", O_PRICE, price, true);
		office_field(r, "barcode", O_BARCODE, q->barcode, false);
		office_active_field(r, q->active);
	}
	html_put(&r->out, "<p><button type=\"submit\">%s</button></p>\n"
	    "</form>\n", office_l(r, O_SAVE));
	web_foot(r);
out:
	cnames_free(&names);
}

/* The yes/no of the form's active field, or -1 when absent. */
static int
office_active(const struct web_req *r)
{
	const char *a = web_form(r, "active");

	if (a == NULL)
		return -1;
	return strcmp(a, "yes") == 0 ? 1 : strcmp(a, "no") == 0 ? 0 : -2;
}

/* POST /master/producer or /master/product: change one. */
static void
office_set(struct web_req *r, bool products)
{
	struct master_change ch = MASTER_CHANGE_NONE;
	const char *code = web_form(r, "code"), *price = web_form(r, "price");
	char *cause = NULL, *done;
	int64_t version = 0;
	int rc = POS_OK;

	if (!office_may_change(r))
		return;
	if (code == NULL || !master_code_valid(code)) {
		web_error(r, 400, office_l(r, O_EDIT), "code=CODE");
		return;
	}
	ch.name = web_form(r, "name");
	ch.active = office_active(r);
	if (ch.active == -2)
		rc = cause_set(&cause, POS_INPUT, "active: yes or no");
	if (products) {
		ch.barcode = web_form(r, "barcode");
		if (rc == POS_OK && price != NULL)
			rc = office_price(r, price, &ch.price, &cause);
	} else
		ch.phone = web_form(r, "phone");
	if (rc == POS_OK)
		rc = products ? master_product_set(r->st, code, &ch, &version,
		    &cause) : master_producer_set(r->st, code, &ch, &version,
		    &cause);
	if (rc != POS_OK) {
		office_edit_page(r, products, code, rc == POS_INPUT ? 400 :
		    503, cause != NULL ? cause : "", NULL);
		free(cause);
		return;
	}
	done = office_done(r, version);
	office_edit_page(r, products, code, 200, NULL, done);
	free(done);
}

/*
 * POST /producer/rotate (code=): what `producer link CODE --rotate` does,
 * then the new link, shown this once.
 */
static void
office_rotate(struct web_req *r)
{
	const char *code = web_form(r, "code"), *url = r->w->cfg.public_url;
	char token[TOKEN_HEX], here[96], *cause = NULL, *link, *done;
	int64_t version = 0;
	int rc;

	if (!office_may_change(r))
		return;
	if (code == NULL || !master_code_valid(code)) {
		web_error(r, 400, office_l(r, O_ROTATE), "code=CODE");
		return;
	}
	if (url == NULL || *url == '\0') {
		web_error(r, 400, office_l(r, O_ROTATE), office_l(r, O_NO_URL));
		return;
	}
	if (r->w->cfg.link_key == NULL) {
		web_error(r, 503, office_l(r, O_ROTATE), "the producers' link "
		    "key could not be read (see the server's log)");
		return;
	}
	rc = master_producer_link(r->st, code, r->w->cfg.link_key, true, token,
	    &version, &cause);
	if (rc != POS_OK) {
		web_error(r, rc == POS_INPUT ? 400 : 503, office_l(r, O_ROTATE),
		    cause != NULL ? cause : "");
		free(cause);
		return;
	}
	link = plink_url(url, token);
	memset(token, 0, sizeof token);
	done = office_done(r, version);
	r->status = 200;
	snprintf(here, sizeof here, "/producer?code=%s", code);
	web_head(r, office_l(r, O_LINK), code, here);
	html_put(&r->out, "<p role=\"status\" id=\"done\">%s</p>\n<p><a "
	    "id=\"link\" href=\"%s\"><bdi>%s</bdi></a></p>\n<p>%s</p>\n"
	    "<p><a href=\"%s%s\">%s</a></p>\n", done, link, link,
	    office_l(r, O_LINK_ONCE), here, r->en ? "&lang=en" : "",
	    office_l(r, O_PRODUCER));
	web_foot(r);
	free(done);
	free(link);
}

/* ---- master data: CSV import ---- */

/* The fields of a multipart import form; the file bounded by the body. */
struct office_upload {
	char		 csrf[80];
	char		 what[16];
	char		 name[128];
	struct buf	 file;
	bool		 has_file;
};

static void
office_upload_field(char *dst, size_t size, const char *data, uint64_t off,
    size_t len)
{
	size_t have = strlen(dst);

	if (off != have || have + len >= size)
		return;		/* too long: stays short, and is refused */
	memcpy(dst + have, data, len);
	dst[have + len] = '\0';
}

static enum MHD_Result
office_upload_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *type, const char *encoding,
    const char *data, uint64_t off, size_t size)
{
	struct office_upload *u = cls;

	(void)kind;
	(void)type;
	(void)encoding;
	if (strcmp(key, "csrf") == 0)
		office_upload_field(u->csrf, sizeof u->csrf, data, off, size);
	else if (strcmp(key, "what") == 0)
		office_upload_field(u->what, sizeof u->what, data, off, size);
	else if (strcmp(key, "file") == 0) {
		if (!u->has_file && filename != NULL)
			snprintf(u->name, sizeof u->name, "%s", filename);
		u->has_file = true;
		if (size > 0)
			buf_add(&u->file, data, size);
	}
	return MHD_YES;
}

static void
office_import_form(struct web_req *r, unsigned status, const char *error,
    const char *done)
{
	r->status = status;
	web_head(r, office_l(r, O_IMPORT), NULL, "/master/import");
	office_master_nav(r);
	if (error != NULL)
		html_put(&r->out, "<p class=\"error\" role=\"alert\">%s: <bdi "
		    "id=\"error\">%s</bdi></p>\n", office_l(r, O_REFUSED),
		    error);
	if (done != NULL)
		html_put(&r->out, "<p role=\"status\" id=\"done\">%s</p>\n",
		    done);
	if (!office_admin(r)) {
		html_put(&r->out, "<p>%s</p>\n", office_l(r, O_ADMIN_ONLY));
		web_foot(r);
		return;
	}
	html_put(&r->out, "<form method=\"post\" action=\"/master/import%s\" "
	    "enctype=\"multipart/form-data\">\n<input type=\"hidden\" "
	    "name=\"csrf\" value=\"%s\">\n<label for=\"what\">%s</label>\n"
	    "<select id=\"what\" name=\"what\"><option value=\"producers\">%s"
	    "</option><option value=\"products\">%s</option></select>\n"
	    "<label for=\"file\">%s</label>\n<input id=\"file\" name=\"file\" "
	    "type=\"file\" accept=\".csv,text/csv\" required>\n<p><button "
	    "type=\"submit\">%s</button></p>\n</form>\n", office_lang(r),
	    r->sess.csrf, office_l(r, O_WHAT), office_l(r, O_MPRODUCERS),
	    office_l(r, O_MPRODUCTS), office_l(r, O_FILE),
	    office_l(r, O_IMPORT));
	web_foot(r);
}

/* POST /master/import: all rows or none, errors as FILE:LINE. */
static void
office_import(struct web_req *r)
{
	struct office_upload u;
	struct MHD_PostProcessor *pp;
	char *cause = NULL, *done;
	size_t count = 0;
	int64_t version = 0;
	FILE *f;
	int rc;

	memset(&u, 0, sizeof u);
	pp = MHD_create_post_processor(r->conn, 16384, office_upload_iter, &u);
	if (pp == NULL) {
		web_error(r, 400, office_l(r, O_IMPORT), "a multipart/form-data "
		    "body is expected");
		return;
	}
	rc = MHD_post_process(pp, r->body, r->body_len) == MHD_YES;
	MHD_destroy_post_processor(pp);
	if (!web_token_eq(u.csrf, r->sess.csrf)) {
		web_forbidden(r);
		goto out;
	}
	if (!office_admin(r)) {
		web_error(r, 403, office_l(r, O_MASTER),
		    office_l(r, O_ADMIN_ONLY));
		goto out;
	}
	if (!rc || !u.has_file || u.file.len == 0) {
		office_import_form(r, 400, "the form has no file, or it is "
		    "empty", NULL);
		goto out;
	}
	if ((f = fmemopen(buf_str(&u.file), u.file.len, "r")) == NULL)
		xalloc_fatal("fmemopen");
	rc = master_import_file(r->st, u.what, f, u.name[0] != '\0' ? u.name :
	    "upload.csv", r->w->cfg.decimals, &count, &version, &cause);
	fclose(f);
	if (rc != POS_OK) {
		office_import_form(r, rc == POS_INPUT ? 400 : 503,
		    cause != NULL ? cause : "", NULL);
		goto out;
	}
	done = xasprintf("%zu %s — %s %lld", count, office_l(r, O_IMPORTED),
	    office_l(r, O_DONE), (long long)version);
	office_import_form(r, 200, NULL, done);
	free(done);
out:
	free(u.file.data);
	free(cause);
}

/* ---- routes ---- */

static const char *const office_paths[] = {
	"/producers", "/producer", "/conflicts", "/master/producers",
	"/master/products", "/master/producer", "/master/product",
	"/master/import", "/producer/rotate",
};

bool
web_office_route(const char *url)
{
	if (strncmp(url, "/producer/page/", 15) == 0)
		return true;
	for (size_t i = 0; i < sizeof office_paths / sizeof office_paths[0];
	    i++)
		if (strcmp(url, office_paths[i]) == 0)
			return true;
	return false;
}

void
web_office(struct web_req *r, const char *url, bool post)
{
	bool products = strstr(url, "/product") != NULL &&
	    strstr(url, "/producer") == NULL;
	const char *code = web_arg(r, "code");

	if (strcmp(url, "/producer/rotate") == 0) {
		if (post)
			office_rotate(r);
		else
			web_error(r, 405, office_l(r, O_ROTATE), "use POST");
		return;
	}
	if (strncmp(url, "/master/", 8) != 0 && post) {
		web_error(r, 405, office_l(r, O_MASTER), "use GET");
		return;
	}
	if (strncmp(url, "/producer/page/", 15) == 0)
		office_producer_page(r, url);
	else if (strcmp(url, "/producers") == 0)
		office_producers(r, false);
	else if (strcmp(url, "/producer") == 0)
		office_producers(r, true);
	else if (strcmp(url, "/conflicts") == 0)
		office_conflicts(r);
	else if (strcmp(url, "/master/import") == 0) {
		if (post)
			office_import(r);
		else
			office_import_form(r, 200, NULL, NULL);
	} else if (strcmp(url, "/master/producers") == 0 ||
	    strcmp(url, "/master/products") == 0) {
		if (post)
			office_add(r, products);
		else
			office_master_list(r, products, 200, NULL, NULL);
	} else if (post)
		office_set(r, products);
	else if (code == NULL || !master_code_valid(code))
		web_error(r, 400, office_l(r, O_EDIT), "code=CODE");
	else
		office_edit_page(r, products, code, 200, NULL, NULL);
}
