/*
 * Producers and products. Every name is checked (pos/text.h) before it is
 * stored, and stored byte for byte; the search column holds its normalised
 * form for the trigram index.
 */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "text.h"
#include "xalloc.h"

static int
catalog_check_code(const char *what, const char *code, char **cause)
{
	if (!text_valid_code(code))
		return store_fail(cause, POS_INPUT, "%s \"%s\": must be 1-32 "
		    "letters, digits, '-', '_' or '.'", what, code);
	return POS_OK;
}

static int
catalog_check_name(const char *what, const char *name, char **cause)
{
	if (!text_valid_name(name))
		return store_fail(cause, POS_INPUT, "%s: must be 1-120 "
		    "characters of UTF-8 without control characters", what);
	return POS_OK;
}

/* Map a constraint failure to a rule conflict, anything else to a failure. */
static int
catalog_step_err(struct store *st, const char *what, const char *code,
    char **cause)
{
	int ext = sqlite3_extended_errcode(st->db);

	if (ext == SQLITE_CONSTRAINT_UNIQUE ||
	    ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return store_fail(cause, POS_INPUT, "%s %s already exists",
		    what, code);
	return store_sqlerr(st, what, cause);
}

int
catalog_producer_add(struct store *st, const char *code, const char *name,
    const char *phone, char **cause)
{
	sqlite3_stmt *stmt;
	char utc[21], date[11];
	int rc;

	if ((rc = catalog_check_code("producer code", code, cause)) != POS_OK)
		return rc;
	if ((rc = catalog_check_name("producer name", name, cause)) != POS_OK)
		return rc;
	if (phone != NULL && *phone != '\0' &&
	    (!text_valid_name(phone) || strlen(phone) > 32))
		return store_fail(cause, POS_INPUT,
		    "phone: must be at most 32 characters without control "
		    "characters");
	if ((rc = store_now(st->cfg, utc, date, cause)) != POS_OK)
		return rc;
	stmt = store_prepare(st, "INSERT INTO producers (code, name, phone,"
	    " created_at) VALUES (?, ?, ?, ?)", cause);
	if (stmt == NULL)
		return POS_FAIL;
	store_bind_text(stmt, 1, code);
	store_bind_text(stmt, 2, name);
	store_bind_text(stmt, 3, phone != NULL && *phone != '\0' ? phone : NULL);
	store_bind_text(stmt, 4, utc);
	rc = POS_OK;
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = catalog_step_err(st, "producer", code, cause);
	sqlite3_finalize(stmt);
	return rc;
}

static void
catalog_producer_row(sqlite3_stmt *stmt, struct producer *p)
{
	p->id = sqlite3_column_int64(stmt, 0);
	p->code = store_column_dup(stmt, 1);
	p->name = store_column_dup(stmt, 2);
	p->phone = store_column_dup(stmt, 3);
}

int
catalog_producer_get(struct store *st, const char *code, struct producer *out,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	memset(out, 0, sizeof *out);
	stmt = store_prepare(st, "SELECT id, code, name, phone FROM producers"
	    " WHERE code = ?", cause);
	if (stmt == NULL)
		return POS_FAIL;
	store_bind_text(stmt, 1, code);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW)
		catalog_producer_row(stmt, out);
	else if (r == SQLITE_DONE)
		rc = store_fail(cause, POS_INPUT, "no producer %s", code);
	else
		rc = store_sqlerr(st, "cannot read producers", cause);
	sqlite3_finalize(stmt);
	return rc;
}

int
catalog_producer_list(struct store *st, struct producer **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int r;

	*out = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT id, code, name, phone FROM producers"
	    " ORDER BY code", cause);
	if (stmt == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		catalog_producer_row(stmt, &(*out)[(*n)++]);
	}
	sqlite3_finalize(stmt);
	if (r != SQLITE_DONE) {
		catalog_producers_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_sqlerr(st, "cannot read producers", cause);
	}
	return POS_OK;
}

void
catalog_producer_clear(struct producer *p)
{
	free(p->code);
	free(p->name);
	free(p->phone);
	memset(p, 0, sizeof *p);
}

void
catalog_producers_free(struct producer *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		catalog_producer_clear(&p[i]);
	free(p);
}

int
catalog_product_add(struct store *st, const char *code, const char *name,
    int64_t price, const char *unit, const char *producer_code,
    const char *barcode, bool active, char **cause)
{
	struct producer prod;
	sqlite3_stmt *stmt;
	char *search;
	int rc;

	if ((rc = catalog_check_code("product code", code, cause)) != POS_OK)
		return rc;
	if ((rc = catalog_check_name("product name", name, cause)) != POS_OK)
		return rc;
	if (barcode != NULL && *barcode != '\0' &&
	    (rc = catalog_check_code("barcode", barcode, cause)) != POS_OK)
		return rc;
	if (price < 0 || price > MONEY_LIMIT)
		return store_fail(cause, POS_INPUT, "price: out of range");
	if (strcmp(unit, "piece") != 0 && strcmp(unit, "kg") != 0)
		return store_fail(cause, POS_INPUT,
		    "unit: must be piece or kg, got \"%s\"", unit);
	if ((rc = catalog_producer_get(st, producer_code, &prod, cause)) !=
	    POS_OK)
		return rc;
	search = text_normalize(name);
	stmt = store_prepare(st, "INSERT INTO products (code, barcode, name,"
	    " search, price, unit, producer_id, active)"
	    " SELECT ?, ?, ?, ?, ?, ?, ?, ?"
	    " WHERE NOT EXISTS (SELECT 1 FROM products WHERE barcode = ?1"
	    "   OR code = ?2)", cause);
	if (stmt == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	store_bind_text(stmt, 1, code);
	store_bind_text(stmt, 2, barcode != NULL && *barcode != '\0' ?
	    barcode : NULL);
	store_bind_text(stmt, 3, name);
	store_bind_text(stmt, 4, search);
	sqlite3_bind_int64(stmt, 5, price);
	store_bind_text(stmt, 6, unit);
	sqlite3_bind_int64(stmt, 7, prod.id);
	sqlite3_bind_int(stmt, 8, active ? 1 : 0);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = catalog_step_err(st, "product", code, cause);
	else if (sqlite3_changes(st->db) == 0)
		rc = store_fail(cause, POS_INPUT, "product %s: its code or "
		    "barcode is another product's barcode or code", code);
	sqlite3_finalize(stmt);
out:
	free(search);
	catalog_producer_clear(&prod);
	return rc;
}

int
catalog_product_set(struct store *st, const char *code,
    const struct product_change *ch, char **cause)
{
	sqlite3_stmt *stmt = NULL;
	char *search = NULL;
	int rc;

	if (ch->name != NULL &&
	    (rc = catalog_check_name("product name", ch->name, cause)) != POS_OK)
		return rc;
	if (ch->barcode != NULL && *ch->barcode != '\0' &&
	    (rc = catalog_check_code("barcode", ch->barcode, cause)) != POS_OK)
		return rc;
	if (ch->price != -1 && (ch->price < 0 || ch->price > MONEY_LIMIT))
		return store_fail(cause, POS_INPUT, "price: out of range");
	if (ch->name != NULL)
		search = text_normalize(ch->name);
	stmt = store_prepare(st, "UPDATE products SET"
	    " name = coalesce(?2, name), search = coalesce(?3, search),"
	    " price = CASE WHEN ?4 >= 0 THEN ?4 ELSE price END,"
	    " active = CASE WHEN ?5 >= 0 THEN ?5 ELSE active END,"
	    " barcode = CASE WHEN ?6 IS NULL THEN barcode"
	    "   WHEN ?6 = '' THEN NULL ELSE ?6 END"
	    " WHERE code = ?1 AND (?6 IS NULL OR ?6 = '' OR NOT EXISTS"
	    "   (SELECT 1 FROM products WHERE code = ?6))", cause);
	if (stmt == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	store_bind_text(stmt, 1, code);
	store_bind_text(stmt, 2, ch->name);
	store_bind_text(stmt, 3, search);
	sqlite3_bind_int64(stmt, 4, ch->price);
	sqlite3_bind_int(stmt, 5, ch->active);
	store_bind_text(stmt, 6, ch->barcode);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = catalog_step_err(st, "barcode", ch->barcode != NULL ?
		    ch->barcode : "", cause);
		goto out;
	}
	rc = POS_OK;
	if (sqlite3_changes(st->db) == 0) {
		struct product p;

		rc = catalog_product_find(st, code, &p, cause);
		if (rc == POS_OK) {
			catalog_product_clear(&p);
			rc = store_fail(cause, POS_INPUT, "barcode %s is "
			    "another product's code", ch->barcode);
		} else if (rc == POS_INPUT)
			rc = store_fail(cause, POS_INPUT, "no product %s", code);
	}
out:
	sqlite3_finalize(stmt);
	free(search);
	return rc;
}

#define CATALOG_PRODUCT_COLS "p.id, p.code, p.barcode, p.name, p.price," \
	" p.unit, p.active, r.code, r.name" \
	" FROM products p JOIN producers r ON r.id = p.producer_id"

static void
catalog_product_row(sqlite3_stmt *stmt, struct product *p)
{
	p->id = sqlite3_column_int64(stmt, 0);
	p->code = store_column_dup(stmt, 1);
	p->barcode = store_column_dup(stmt, 2);
	p->name = store_column_dup(stmt, 3);
	p->price = sqlite3_column_int64(stmt, 4);
	p->unit = store_column_dup(stmt, 5);
	p->active = sqlite3_column_int(stmt, 6) != 0;
	p->producer_code = store_column_dup(stmt, 7);
	p->producer_name = store_column_dup(stmt, 8);
}

void
catalog_product_clear(struct product *p)
{
	free(p->code);
	free(p->barcode);
	free(p->name);
	free(p->unit);
	free(p->producer_code);
	free(p->producer_name);
	memset(p, 0, sizeof *p);
}

void
catalog_products_free(struct product *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		catalog_product_clear(&p[i]);
	free(p);
}

int
catalog_product_find(struct store *st, const char *item, struct product *out,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	memset(out, 0, sizeof *out);
	/* Code first, then barcode: the ORDER BY makes the code win. */
	static const char sql[] = "SELECT " CATALOG_PRODUCT_COLS
	    " WHERE p.code = ?1 OR p.barcode = ?1"
	    " ORDER BY p.code = ?1 DESC LIMIT 1";

	if ((stmt = store_cached(st, sql, cause)) == NULL)
		return POS_FAIL;
	store_bind_text(stmt, 1, item);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW)
		catalog_product_row(stmt, out);
	else if (r == SQLITE_DONE)
		rc = store_fail(cause, POS_INPUT, "no product with code or "
		    "barcode %s", item);
	else
		rc = store_sqlerr(st, "cannot read products", cause);
	store_release(stmt);
	return rc;
}

/*
 * A code prefix as a range [lo, hi) under NOCASE: lo is the prefix in
 * lower case, hi the same with its last byte one higher. Codes are ASCII.
 */
static void
catalog_code_range(const char *s, char **lo, char **hi)
{
	size_t len = strlen(s);

	*lo = xstrdup(s);
	for (size_t i = 0; i < len; i++)
		if ((*lo)[i] >= 'A' && (*lo)[i] <= 'Z')
			(*lo)[i] = (char)((*lo)[i] - 'A' + 'a');
	*hi = xstrdup(*lo);
	(*hi)[len - 1]++;
}

/* An FTS5 phrase: the text in double quotes, quotes doubled. Caller frees. */
static char *
catalog_fts_phrase(const char *s)
{
	size_t len = strlen(s), j = 0;
	char *out = xmalloc(len * 2 + 3);

	out[j++] = '"';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			out[j++] = '"';
		out[j++] = s[i];
	}
	out[j++] = '"';
	out[j] = '\0';
	return out;
}

int
catalog_product_search(struct store *st, const char *text, size_t limit,
    struct product **out, size_t *n, char **cause)
{
	sqlite3_stmt *stmt = NULL;
	char *norm = NULL, *lo = NULL, *hi = NULL, *phrase = NULL, *sql;
	const char *code_terms = "", *name_term = "";
	size_t cap = 0;
	int rc = POS_OK, r;

	*out = NULL;
	*n = 0;
	if (text != NULL && *text != '\0') {
		if ((norm = text_normalize(text)) == NULL)
			return store_fail(cause, POS_INPUT,
			    "search: not valid UTF-8");
		/* Code prefix and barcode only for text that can be a code. */
		if (text_valid_code(text)) {
			catalog_code_range(text, &lo, &hi);
			code_terms = "(p.code >= ?1 COLLATE NOCASE AND"
			    " p.code < ?2 COLLATE NOCASE) OR p.barcode = ?3 OR ";
		}
		/* The trigram index needs three characters; shorter text scans. */
		if (text_length(norm) >= 3) {
			phrase = catalog_fts_phrase(norm);
			name_term = "p.id IN (SELECT rowid FROM products_fts"
			    " WHERE products_fts MATCH ?4)";
		} else
			name_term = "instr(p.search, ?4) > 0";
	}
	sql = xasprintf("SELECT " CATALOG_PRODUCT_COLS "%s%s%s ORDER BY p.code%s",
	    norm != NULL ? " WHERE " : "", code_terms, name_term,
	    limit > 0 ? " LIMIT ?5" : "");
	stmt = store_prepare(st, sql, cause);
	free(sql);
	if (stmt == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	if (lo != NULL) {
		store_bind_text(stmt, 1, lo);
		store_bind_text(stmt, 2, hi);
		store_bind_text(stmt, 3, text);
	}
	if (norm != NULL)
		store_bind_text(stmt, 4, phrase != NULL ? phrase : norm);
	if (limit > 0)
		sqlite3_bind_int64(stmt, 5, (int64_t)limit);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		catalog_product_row(stmt, &(*out)[(*n)++]);
	}
	if (r != SQLITE_DONE) {
		rc = store_sqlerr(st, "cannot search products", cause);
		catalog_products_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
out:
	sqlite3_finalize(stmt);
	free(norm);
	free(lo);
	free(hi);
	free(phrase);
	return rc;
}
