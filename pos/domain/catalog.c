/*
 * Producers and products. Every name is checked (pos/domain/text.h) before it is
 * stored, and stored byte for byte; the search column holds its normalised
 * form for the trigram index.
 */
#define _GNU_SOURCE	/* memmem */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "searchtext.h"
#include "text.h"
#include "xalloc.h"

static int
catalog_check_code(const char *what, const char *code, char **cause)
{
	if (!text_valid_code(code))
		return cause_set(cause, POS_INPUT, "%s \"%s\": must be 1-32 "
		    "letters, digits, '-', '_' or '.'", what, code);
	return POS_OK;
}

static int
catalog_check_name(const char *what, const char *name, char **cause)
{
	if (!text_valid_name(name))
		return cause_set(cause, POS_INPUT, "%s: must be 1-120 "
		    "characters of UTF-8 without control characters", what);
	return POS_OK;
}

/* Map a constraint failure to a rule conflict, anything else to a failure. */
static int
catalog_step_err(struct store *st, const char *what, const char *code,
    char **cause)
{
	int ext = sqlite3_extended_errcode(st->db->conn);

	if (ext == SQLITE_CONSTRAINT_UNIQUE ||
	    ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return cause_set(cause, POS_INPUT, "%s %s already exists",
		    what, code);
	return sqldb_sqlerr(st->db, what, cause);
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
		return cause_set(cause, POS_INPUT,
		    "phone: must be at most 32 characters without control "
		    "characters");
	if ((rc = store_now(st->cfg, utc, date, cause)) != POS_OK)
		return rc;
	stmt = sqldb_prepare(st->db, "INSERT INTO producers (code, name, phone,"
	    " created_at) VALUES (?, ?, ?, ?)", cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	sqldb_bind_text(stmt, 2, name);
	sqldb_bind_text(stmt, 3,
	    phone != NULL && *phone != '\0' ? phone : NULL);
	sqldb_bind_text(stmt, 4, utc);
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
	p->code = sqldb_column_dup(stmt, 1);
	p->name = sqldb_column_dup(stmt, 2);
	p->phone = sqldb_column_dup(stmt, 3);
	p->central = sqlite3_column_type(stmt, 4) != SQLITE_NULL;
	p->conflict = sqldb_column_dup(stmt, 5);
	p->has_owed_all = sqlite3_column_type(stmt, 6) != SQLITE_NULL;
	p->owed_all_windows = sqlite3_column_int64(stmt, 6);
}

int
catalog_producer_get(struct store *st, const char *code, struct producer *out,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	memset(out, 0, sizeof *out);
	stmt = sqldb_prepare(st->db,
	    "SELECT id, code, name, phone, central_version, conflict,"
	    " owed_all_windows FROM producers"
	    " WHERE code = ?", cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW)
		catalog_producer_row(stmt, out);
	else if (r == SQLITE_DONE)
		rc = cause_set(cause, POS_INPUT, "no producer %s", code);
	else
		rc = sqldb_sqlerr(st->db, "cannot read producers", cause);
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
	stmt = sqldb_prepare(st->db,
	    "SELECT id, code, name, phone, central_version, conflict,"
	    " owed_all_windows FROM producers"
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
		return sqldb_sqlerr(st->db, "cannot read producers", cause);
	}
	return POS_OK;
}

void
catalog_producer_clear(struct producer *p)
{
	free(p->code);
	free(p->name);
	free(p->phone);
	free(p->conflict);
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
		return cause_set(cause, POS_INPUT, "price: out of range");
	if (strcmp(unit, "piece") != 0 && strcmp(unit, "kg") != 0)
		return cause_set(cause, POS_INPUT,
		    "unit: must be piece or kg, got \"%s\"", unit);
	if ((rc = catalog_producer_get(st, producer_code, &prod, cause)) !=
	    POS_OK)
		return rc;
	search = searchtext_normalize(name);
	stmt = sqldb_prepare(st->db,
	    "INSERT INTO products (code, barcode, name,"
	    " search, price, unit, producer_id, active)"
	    " SELECT ?, ?, ?, ?, ?, ?, ?, ?"
	    " WHERE NOT EXISTS (SELECT 1 FROM products WHERE barcode = ?1"
	    "   OR code = ?2)", cause);
	if (stmt == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	sqldb_bind_text(stmt, 1, code);
	sqldb_bind_text(stmt, 2, barcode != NULL && *barcode != '\0' ?
	    barcode : NULL);
	sqldb_bind_text(stmt, 3, name);
	sqldb_bind_text(stmt, 4, search);
	sqlite3_bind_int64(stmt, 5, price);
	sqldb_bind_text(stmt, 6, unit);
	sqlite3_bind_int64(stmt, 7, prod.id);
	sqlite3_bind_int(stmt, 8, active ? 1 : 0);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = catalog_step_err(st, "product", code, cause);
	else if (sqlite3_changes(st->db->conn) == 0)
		rc = cause_set(cause, POS_INPUT, "product %s: its code or "
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
		return cause_set(cause, POS_INPUT, "price: out of range");
	if (ch->name != NULL)
		search = searchtext_normalize(ch->name);
	stmt = sqldb_prepare(st->db, "UPDATE products SET"
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
	sqldb_bind_text(stmt, 1, code);
	sqldb_bind_text(stmt, 2, ch->name);
	sqldb_bind_text(stmt, 3, search);
	sqlite3_bind_int64(stmt, 4, ch->price);
	sqlite3_bind_int(stmt, 5, ch->active);
	sqldb_bind_text(stmt, 6, ch->barcode);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = catalog_step_err(st, "barcode", ch->barcode != NULL ?
		    ch->barcode : "", cause);
		goto out;
	}
	rc = POS_OK;
	if (sqlite3_changes(st->db->conn) == 0) {
		struct product p;

		rc = catalog_product_find(st, code, &p, cause);
		if (rc == POS_OK) {
			catalog_product_clear(&p);
			rc = cause_set(cause, POS_INPUT, "barcode %s is "
			    "another product's code", ch->barcode);
		} else if (rc == POS_INPUT)
			rc = cause_set(cause, POS_INPUT, "no product %s", code);
	}
out:
	sqlite3_finalize(stmt);
	free(search);
	return rc;
}

#define CATALOG_PRODUCT_COLS "p.id, p.code, p.barcode, p.name, p.price," \
	" p.unit, p.active, r.code, r.name, p.central_version, p.conflict" \
	" FROM products p JOIN producers r ON r.id = p.producer_id"

static void
catalog_product_row(sqlite3_stmt *stmt, struct product *p)
{
	p->id = sqlite3_column_int64(stmt, 0);
	p->code = sqldb_column_dup(stmt, 1);
	p->barcode = sqldb_column_dup(stmt, 2);
	p->name = sqldb_column_dup(stmt, 3);
	p->price = sqlite3_column_int64(stmt, 4);
	p->unit = sqldb_column_dup(stmt, 5);
	p->active = sqlite3_column_int(stmt, 6) != 0;
	p->producer_code = sqldb_column_dup(stmt, 7);
	p->producer_name = sqldb_column_dup(stmt, 8);
	p->central = sqlite3_column_type(stmt, 9) != SQLITE_NULL;
	p->conflict = sqldb_column_dup(stmt, 10);
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
	free(p->conflict);
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

	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, item);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW)
		catalog_product_row(stmt, out);
	else if (r == SQLITE_DONE)
		rc = cause_set(cause, POS_INPUT, "no product with code or "
		    "barcode %s", item);
	else
		rc = sqldb_sqlerr(st->db, "cannot read products", cause);
	sqldb_release(stmt);
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

/* Matching product ids, in the order they were found, without repeats. */
struct id_set {
	int64_t	*ids;
	size_t	 n;
	size_t	 cap;
	size_t	 limit;		/* 0: no limit */
};

static bool
id_set_full(const struct id_set *s)
{
	return s->limit > 0 && s->n >= s->limit;
}

static void
id_set_add(struct id_set *s, int64_t id)
{
	/* With a limit the set is small; without one repeats go at the end. */
	if (s->limit > 0)
		for (size_t i = 0; i < s->n; i++)
			if (s->ids[i] == id)
				return;
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 32 : s->cap * 2;
		s->ids = xreallocarray(s->ids, s->cap, sizeof *s->ids);
	}
	s->ids[s->n++] = id;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Add the ids the cached statement sql gives for these texts (NULL: not
 * bound), up to the set's limit: it stops reading there, so a name that
 * thousands of products share costs no more than a rare one.
 */
static int
id_set_query(struct store *st, struct id_set *s, const char *sql,
    const char *t1, const char *t2, char **cause)
{
	sqlite3_stmt *stmt;
	int r;

	if (id_set_full(s))
		return POS_OK;
	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	if (t1 != NULL)
		sqldb_bind_text(stmt, 1, t1);
	if (t2 != NULL)
		sqldb_bind_text(stmt, 2, t2);
	sqlite3_bind_int64(stmt, sqlite3_bind_parameter_count(stmt),
	    s->limit > 0 ? (int64_t)(s->limit - s->n) : -1);
	while (!id_set_full(s) && (r = sqlite3_step(stmt)) == SQLITE_ROW)
		id_set_add(s, sqlite3_column_int64(stmt, 0));
	if (!id_set_full(s) && r != SQLITE_DONE) {
		sqldb_release(stmt);
		return sqldb_sqlerr(st->db, "cannot search products", cause);
	}
	sqldb_release(stmt);
	return POS_OK;
}

static int
cmp_product_code(const void *a, const void *b)
{
	return strcmp(((const struct product *)a)->code,
	    ((const struct product *)b)->code);
}

static const char search_code_sql[] = "SELECT id FROM products"
    " WHERE code >= ?1 COLLATE NOCASE AND code < ?2 COLLATE NOCASE"
    " ORDER BY code COLLATE NOCASE LIMIT ?3";
static const char search_barcode_sql[] = "SELECT id FROM products"
    " WHERE barcode = ?1 LIMIT ?2";
static const char search_fts_sql[] = "SELECT rowid FROM products_fts"
    " WHERE products_fts MATCH ?1 ORDER BY rowid LIMIT ?2";
/*
 * Text too short for the trigram index (one or two characters) would scan
 * every row; a rare pair in 100,000 names took 17 ms. Instead the search
 * column is kept in memory, in id order, NUL between names, and searched
 * with memmem (2-4 ms when almost nothing matches, far less when the first
 * matches fill the limit), giving the ids the scan would give in the same
 * order. The copy is made on the first short search and made
 * again when catalog_gen (moved by triggers on every change to products,
 * from any process) says it is old.
 */
struct names {
	int64_t	 gen;
	char	*buf;
	size_t	 len;
	int64_t	*ids;
	size_t	*off;		/* where each name starts in buf */
	size_t	 n;
};

static void
names_free(void *p)
{
	struct names *m = p;

	if (m == NULL)
		return;
	free(m->buf);
	free(m->ids);
	free(m->off);
	free(m);
}

static const char names_gen_sql[] = "SELECT gen FROM catalog_gen";
static const char names_all_sql[] = "SELECT id, search FROM products"
    " ORDER BY id";

/* The names in memory, current; NULL with *cause on failure. */
static struct names *
names_get(struct store *st, char **cause)
{
	struct names *m = st->names;
	sqlite3_stmt *stmt;
	int64_t gen;
	size_t cap = 0, bcap = 0, len;
	const char *text;
	bool own = sqlite3_get_autocommit(st->db->conn) != 0;
	int r;

	/* One snapshot: the generation read is the one of the names read. */
	if (own && sqldb_begin(st->db, false, cause) != POS_OK)
		return NULL;
	if ((stmt = sqldb_cached(st->db, names_gen_sql, cause)) == NULL)
		goto fail;
	r = sqlite3_step(stmt);
	gen = sqlite3_column_int64(stmt, 0);
	sqldb_release(stmt);
	if (r != SQLITE_ROW) {
		sqldb_sqlerr(st->db, "cannot search products", cause);
		goto fail;
	}
	if (m != NULL && m->gen == gen) {
		if (own)
			sqldb_rollback(st->db);
		return m;
	}
	names_free(m);
	st->names = NULL;
	m = xcalloc(1, sizeof *m);
	m->gen = gen;
	if ((stmt = sqldb_cached(st->db, names_all_sql, cause)) == NULL) {
		names_free(m);
		goto fail;
	}
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		text = (const char *)sqlite3_column_text(stmt, 1);
		len = (size_t)sqlite3_column_bytes(stmt, 1);
		if (m->n == cap) {
			cap = cap == 0 ? 1024 : cap * 2;
			m->ids = xreallocarray(m->ids, cap, sizeof *m->ids);
			m->off = xreallocarray(m->off, cap, sizeof *m->off);
		}
		while (m->len + len + 1 > bcap) {
			bcap = bcap == 0 ? 64 * 1024 : bcap * 2;
			m->buf = xrealloc(m->buf, bcap);
		}
		m->ids[m->n] = sqlite3_column_int64(stmt, 0);
		m->off[m->n++] = m->len;
		if (len > 0)
			memcpy(m->buf + m->len, text, len);
		m->len += len;
		m->buf[m->len++] = '\0';
	}
	sqldb_release(stmt);
	if (r != SQLITE_DONE) {
		names_free(m);
		sqldb_sqlerr(st->db, "cannot search products", cause);
		goto fail;
	}
	if (own)
		sqldb_rollback(st->db);
	st->names = m;
	st->names_free = names_free;
	return m;
fail:
	if (own)
		sqldb_rollback(st->db);
	return NULL;
}

int
catalog_search_warm(struct store *st, char **cause)
{
	return names_get(st, cause) != NULL ? POS_OK : POS_FAIL;
}

/* The name that byte at of buf belongs to. */
static size_t
names_at(const struct names *m, size_t at)
{
	size_t lo = 0, hi = m->n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->off[mid] <= at)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Ids of names containing text (normalised, 1 or 2 characters). */
static int
names_search(struct store *st, struct id_set *s, const char *text,
    char **cause)
{
	struct names *m;
	const char *p, *end, *hit;
	size_t need = strlen(text), i;

	if (id_set_full(s))
		return POS_OK;
	if ((m = names_get(st, cause)) == NULL)
		return POS_FAIL;
	if (need == 0 || m->len == 0)
		return POS_OK;
	p = m->buf;
	end = m->buf + m->len;
	while (!id_set_full(s) &&
	    (hit = memmem(p, (size_t)(end - p), text, need)) != NULL) {
		i = names_at(m, (size_t)(hit - m->buf));
		id_set_add(s, m->ids[i]);
		/* On to the next name: one hit per product. */
		if (i + 1 == m->n)
			break;
		p = m->buf + m->off[i + 1];
	}
	return POS_OK;
}

static const char search_one_sql[] = "SELECT " CATALOG_PRODUCT_COLS
    " WHERE p.id = ?";

/*
 * With text: the ids are gathered first, code prefix matches, then the
 * barcode, then names, each query stopping at the limit; then the rows of
 * those ids are read and sorted by code. (Ordering every match by code
 * first read all of them: 15 ms for a word in 10,000 names.)
 */
/* Every product in code order, at most limit (0 = no limit). */
static int
catalog_search_all(struct store *st, size_t limit, struct product **out,
    size_t *n, char **cause)
{
	sqlite3_stmt *stmt;
	char *sql;
	size_t cap = 0;
	int r;

	sql = xasprintf("SELECT " CATALOG_PRODUCT_COLS " ORDER BY p.code%s",
	    limit > 0 ? " LIMIT ?1" : "");
	stmt = sqldb_prepare(st->db, sql, cause);
	free(sql);
	if (stmt == NULL)
		return POS_FAIL;
	if (limit > 0)
		sqlite3_bind_int64(stmt, 1, (int64_t)limit);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		catalog_product_row(stmt, &(*out)[(*n)++]);
	}
	sqlite3_finalize(stmt);
	if (r != SQLITE_DONE) {
		catalog_products_free(*out, *n);
		*out = NULL;
		*n = 0;
		return sqldb_sqlerr(st->db, "cannot search products", cause);
	}
	return POS_OK;
}

/*
 * Gather into ids the products text (normalised: norm) can name: code
 * prefix, barcode, then names.
 */
static int
catalog_search_ids(struct store *st, const char *text, const char *norm,
    struct id_set *ids, char **cause)
{
	char *lo = NULL, *hi = NULL, *phrase = NULL;
	int rc = POS_OK;

	/* Code prefix and barcode only for text that can be a code. */
	if (text_valid_code(text)) {
		catalog_code_range(text, &lo, &hi);
		rc = id_set_query(st, ids, search_code_sql, lo, hi, cause);
		if (rc == POS_OK)
			rc = id_set_query(st, ids, search_barcode_sql, text,
			    NULL, cause);
	}
	/* The trigram index needs three characters; shorter text scans. */
	if (rc == POS_OK && text_length(norm) >= 3) {
		phrase = catalog_fts_phrase(norm);
		rc = id_set_query(st, ids, search_fts_sql, phrase, NULL, cause);
	} else if (rc == POS_OK)
		rc = names_search(st, ids, norm, cause);
	free(lo);
	free(hi);
	free(phrase);
	return rc;
}

/* Sort the ids and drop the repeats. */
static void
id_set_unique(struct id_set *ids)
{
	size_t k, m;

	if (ids->n <= 1)
		return;
	qsort(ids->ids, ids->n, sizeof *ids->ids, cmp_id);
	for (k = 1, m = 1; k < ids->n; k++)
		if (ids->ids[k] != ids->ids[m - 1])
			ids->ids[m++] = ids->ids[k];
	ids->n = m;
}

/*
 * Read the rows of the ids into *out (allocated here, ids->n entries;
 * the caller frees it on error too) sorted by code.
 */
static int
catalog_search_rows(struct store *st, const struct id_set *ids,
    struct product **out, size_t *n, char **cause)
{
	sqlite3_stmt *stmt;
	size_t k;
	int rc = POS_OK, r;

	*out = xcalloc(ids->n, sizeof **out);
	if ((stmt = sqldb_cached(st->db, search_one_sql, cause)) == NULL)
		return POS_FAIL;
	for (k = 0; k < ids->n && rc == POS_OK; k++) {
		sqlite3_bind_int64(stmt, 1, ids->ids[k]);
		if ((r = sqlite3_step(stmt)) == SQLITE_ROW)
			catalog_product_row(stmt, &(*out)[(*n)++]);
		else if (r != SQLITE_DONE)
			rc = sqldb_sqlerr(st->db, "cannot search products",
			    cause);
		sqlite3_reset(stmt);
	}
	sqldb_release(stmt);
	qsort(*out, *n, sizeof **out, cmp_product_code);
	return rc;
}

int
catalog_product_search(struct store *st, const char *text, size_t limit,
    struct product **out, size_t *n, char **cause)
{
	struct id_set ids = { NULL, 0, 0, limit };
	char *norm;
	int rc;

	*out = NULL;
	*n = 0;
	if (text == NULL || *text == '\0')
		return catalog_search_all(st, limit, out, n, cause);
	if ((norm = searchtext_normalize(text)) == NULL)
		return cause_set(cause, POS_INPUT, "search: not valid UTF-8");
	if ((rc = catalog_search_ids(st, text, norm, &ids, cause)) != POS_OK)
		goto out;
	if (limit == 0)
		id_set_unique(&ids);
	if (ids.n > 0)
		rc = catalog_search_rows(st, &ids, out, n, cause);
out:
	if (rc != POS_OK) {
		catalog_products_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	free(ids.ids);
	free(norm);
	return rc;
}
