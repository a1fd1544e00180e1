/*
 * Master data held from the centre (mdata.h). Each row is looked up by
 * code and then inserted, updated or left, with statements kept for the
 * connection: a first pull of 100,000 products is one pass of them.
 */
#include "mdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "searchtext.h"
#include "text.h"
#include "xalloc.h"

/* Products in one pull from which the search index is rebuilt once. */
#define MDATA_BULK	2000

/* One apply under way. */
struct mdata_run {
	struct store		*st;
	struct mdata_result	*res;
	bool			 reset;		/* mdata_pull.reset */
	char			 now[21];
	/* The window's producers once the pull's are in, by code. */
	struct mdata_pmap	*pmap;
	size_t			 npmap;
	bool			 pmap_loaded;
	/*
	 * The window had no product when the pull began: a product is
	 * inserted at once, and looked at only when that fails.
	 */
	bool			 fresh;
};

struct mdata_pmap {
	char	*code;
	int64_t	 id;
	bool	 held;		/* in conflict: its products held back */
};

/*
 * Does the window hold this central version of a row already? After the
 * centre's register was replaced its versions say nothing: every row is
 * applied again.
 */
static bool
mdata_held_already(const struct mdata_run *r, int64_t have, int64_t sent)
{
	return !r->reset && have >= sent;
}

static int
mdata_bad(const char *what, const char *code, const char *why, char **cause)
{
	return cause_set(cause, POS_INPUT, "the centre's %s %s: %s", what,
	    code != NULL ? code : "(no code)", why);
}

static int
mdata_check_producer(const struct mdata_producer *p, char **cause)
{
	if (p->code == NULL || !text_valid_code(p->code))
		return mdata_bad("producer", p->code, "not a valid code",
		    cause);
	if (p->name == NULL || !text_valid_name(p->name))
		return mdata_bad("producer", p->code, "not a valid name",
		    cause);
	if (p->phone != NULL && (!text_valid_name(p->phone) ||
	    strlen(p->phone) > 32))
		return mdata_bad("producer", p->code, "not a valid phone",
		    cause);
	if (p->version < 1)
		return mdata_bad("producer", p->code, "no version", cause);
	return POS_OK;
}

static int
mdata_check_product(const struct mdata_product *p, char **cause)
{
	if (p->code == NULL || !text_valid_code(p->code))
		return mdata_bad("product", p->code, "not a valid code",
		    cause);
	if (p->name == NULL || !text_valid_name(p->name))
		return mdata_bad("product", p->code, "not a valid name",
		    cause);
	if (p->price < 0 || p->price > MONEY_LIMIT)
		return mdata_bad("product", p->code, "price out of range",
		    cause);
	if (p->unit == NULL || (strcmp(p->unit, "piece") != 0 &&
	    strcmp(p->unit, "kg") != 0))
		return mdata_bad("product", p->code, "unit not piece or kg",
		    cause);
	if (p->barcode != NULL && !text_valid_code(p->barcode))
		return mdata_bad("product", p->code, "not a valid barcode",
		    cause);
	if (p->producer == NULL || !text_valid_code(p->producer))
		return mdata_bad("product", p->code, "not a valid producer "
		    "code", cause);
	if (p->version < 1)
		return mdata_bad("product", p->code, "no version", cause);
	return POS_OK;
}

/* ---- producers ---- */

static const char producer_get_sql[] = "SELECT id, name, central_version,"
    " conflict FROM producers WHERE code = ?1";
static const char producer_ins_sql[] = "INSERT INTO producers (code, name,"
    " phone, created_at, central_version) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char producer_upd_sql[] = "UPDATE producers SET name = ?2,"
    " phone = ?3, central_version = ?4, conflict = NULL WHERE id = ?1";
static const char producer_adopt_sql[] = "UPDATE producers SET"
    " phone = coalesce(?2, phone), central_version = ?3, conflict = NULL"
    " WHERE id = ?1";
static const char producer_conflict_sql[] = "UPDATE producers SET"
    " conflict = ?2 WHERE id = ?1";
static const char producer_link_sql[] = "UPDATE producers SET"
    " page_link = ?2 WHERE code = ?1 AND central_version IS NOT NULL";
static const char producer_owed_sql[] = "UPDATE producers SET"
    " owed_all_windows = ?2 WHERE code = ?1";

/* A producer of this window as it stands. */
struct mdata_have {
	bool	 found;
	int64_t	 id;
	char	*name;
	bool	 central;
	int64_t	 version;
	bool	 conflict;
};

static int
mdata_producer_have(struct mdata_run *r, const char *code,
    struct mdata_have *h, char **cause)
{
	sqlite3_stmt *stmt;
	int s, rc = POS_OK;

	memset(h, 0, sizeof *h);
	if ((stmt = sqldb_cached(r->st->db, producer_get_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	if ((s = sqlite3_step(stmt)) == SQLITE_ROW) {
		h->found = true;
		h->id = sqlite3_column_int64(stmt, 0);
		h->name = sqldb_column_dup(stmt, 1);
		h->central = sqlite3_column_type(stmt, 2) != SQLITE_NULL;
		h->version = sqlite3_column_int64(stmt, 2);
		h->conflict = sqlite3_column_type(stmt, 3) != SQLITE_NULL;
	} else if (s != SQLITE_DONE)
		rc = sqldb_sqlerr(r->st->db, "cannot read producers", cause);
	sqldb_release(stmt);
	return rc;
}

static char *
mdata_conflict_text(const char *name)
{
	return xasprintf("the centre names it \"%s\"", name);
}

static int
mdata_producer_new(struct mdata_run *r, const struct mdata_producer *p,
    char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(r->st->db, producer_ins_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, p->code);
	sqldb_bind_text(stmt, 2, p->name);
	sqldb_bind_text(stmt, 3, p->phone);
	sqldb_bind_text(stmt, 4, r->now);
	sqlite3_bind_int64(stmt, 5, p->version);
	r->res->added++;
	return sqldb_done(r->st->db, stmt, "cannot store producers", cause);
}

/* Bind ?1 id, ?2 text, ?3 integer and run a statement of no rows. */
static int
mdata_set(struct mdata_run *r, const char *sql, int64_t id, const char *t2,
    int64_t i3, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(r->st->db, sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, id);
	sqldb_bind_text(stmt, 2, t2);
	if (sqlite3_bind_parameter_count(stmt) >= 3)
		sqlite3_bind_int64(stmt, 3, i3);
	return sqldb_done(r->st->db, stmt, "cannot store the master data",
	    cause);
}

static int
mdata_producer_update(struct mdata_run *r, const struct mdata_have *h,
    const struct mdata_producer *p, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(r->st->db, producer_upd_sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, h->id);
	sqldb_bind_text(stmt, 2, p->name);
	sqldb_bind_text(stmt, 3, p->phone);
	sqlite3_bind_int64(stmt, 4, p->version);
	r->res->changed++;
	return sqldb_done(r->st->db, stmt, "cannot store producers", cause);
}

static const char owed_clear_sql[] = "UPDATE producers SET"
    " owed_all_windows = NULL WHERE owed_all_windows IS NOT NULL";

/* What every producer is owed over all windows, as the centre says. */
static int
mdata_owed(struct mdata_run *r, const struct mdata_pull *pull, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = sqldb_cached(r->st->db, owed_clear_sql, cause)) == NULL)
		return POS_FAIL;
	if ((rc = sqldb_done(r->st->db, stmt, "cannot store producers",
	    cause)) != POS_OK)
		return rc;
	for (size_t i = 0; i < pull->nowed && rc == POS_OK; i++) {
		if ((stmt = sqldb_cached(r->st->db, producer_owed_sql,
		    cause)) == NULL)
			return POS_FAIL;
		sqldb_bind_text(stmt, 1, pull->owed[i].code);
		sqlite3_bind_int64(stmt, 2, pull->owed[i].owed);
		rc = sqldb_done(r->st->db, stmt, "cannot store producers",
		    cause);
	}
	return rc;
}

/* The producer's page link as the centre sent it (central rows only). */
static int
mdata_producer_link(struct mdata_run *r, const struct mdata_producer *p,
    char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(r->st->db, producer_link_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, p->code);
	sqldb_bind_text(stmt, 2, p->link);
	return sqldb_done(r->st->db, stmt, "cannot store producers", cause);
}

static int
mdata_producer(struct mdata_run *r, const struct mdata_producer *p,
    char **cause)
{
	struct mdata_have h;
	char *text;
	int rc;

	if ((rc = mdata_check_producer(p, cause)) != POS_OK ||
	    (rc = mdata_producer_have(r, p->code, &h, cause)) != POS_OK)
		return rc;
	if (!h.found)
		rc = mdata_producer_new(r, p, cause);
	else if (h.central && mdata_held_already(r, h.version, p->version))
		r->res->unchanged++;
	else if (h.central)
		rc = mdata_producer_update(r, &h, p, cause);
	else if (strcmp(h.name, p->name) == 0) {
		/* The same family under the same code: now the centre's. */
		if (h.conflict)
			r->res->repull = true;
		rc = mdata_set(r, producer_adopt_sql, h.id, p->phone,
		    p->version, cause);
		r->res->changed++;
	} else {
		text = mdata_conflict_text(p->name);
		rc = mdata_set(r, producer_conflict_sql, h.id, text, 0, cause);
		free(text);
		r->res->conflicts++;
	}
	free(h.name);
	if (rc == POS_OK)
		rc = mdata_producer_link(r, p, cause);
	return rc;
}

/* ---- products ---- */

/* Is text another product's barcode or code (not product code's)? */
static const char product_taken_sql[] = "SELECT 1 FROM products"
    " WHERE (barcode = ?1 OR code = ?1) AND code <> ?2 LIMIT 1";
static const char product_ins_sql[] = "INSERT INTO products (code, barcode,"
    " name, search, price, unit, producer_id, active, central_version,"
    " central_price, conflict) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
    " ?9, ?5, ?10)";
static const char product_fresh_sql[] = "INSERT OR IGNORE INTO products"
    " (code, barcode, name, search, price, unit, producer_id, active,"
    " central_version, central_price) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
    " ?8, ?9, ?5)";
static const char product_upd_sql[] = "UPDATE products SET barcode = ?2,"
    " name = ?3, search = CASE WHEN name = ?3 THEN search ELSE ?4 END,"
    " price = CASE WHEN central_price IS ?5 THEN price ELSE ?5 END,"
    " unit = ?6, producer_id = ?7, active = ?8, central_version = ?9,"
    " central_price = ?5, conflict = ?10 WHERE id = ?1";
static const char product_adopt_sql[] = "UPDATE products SET"
    " conflict = NULL, central_price = ?2, central_version = ?3"
    " WHERE id = ?1";
static const char product_conflict_sql[] = "UPDATE products SET"
    " conflict = ?2 WHERE id = ?1";
static const char producers_map_sql[] = "SELECT code, id,"
    " conflict IS NOT NULL FROM producers ORDER BY code";

static int
mdata_pmap_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct mdata_pmap *)elem)->code);
}

/* Every producer of the window, read once, after the pull's producers. */
static int
mdata_pmap_load(struct mdata_run *r, char **cause)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int s, rc = POS_OK;

	if ((stmt = sqldb_cached(r->st->db, producers_map_sql, cause)) == NULL)
		return POS_FAIL;
	while ((s = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (r->npmap == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			r->pmap = xreallocarray(r->pmap, cap, sizeof *r->pmap);
		}
		r->pmap[r->npmap].code = sqldb_column_dup(stmt, 0);
		r->pmap[r->npmap].id = sqlite3_column_int64(stmt, 1);
		r->pmap[r->npmap].held = sqlite3_column_int(stmt, 2) != 0;
		r->npmap++;
	}
	if (s != SQLITE_DONE)
		rc = sqldb_sqlerr(r->st->db, "cannot read producers", cause);
	sqldb_release(stmt);
	r->pmap_loaded = true;
	return rc;
}

/*
 * The window's producer of a product's producer code: *id 0 when there is
 * none, *held when its products are held back (a producer in conflict).
 * SQLite orders codes (ASCII) as strcmp does.
 */
static int
mdata_producer_of(struct mdata_run *r, const char *code, int64_t *id,
    bool *held, char **cause)
{
	const struct mdata_pmap *m;
	int rc;

	*id = 0;
	*held = false;
	if (!r->pmap_loaded && (rc = mdata_pmap_load(r, cause)) != POS_OK)
		return rc;
	if ((m = bsearch(code, r->pmap, r->npmap, sizeof *r->pmap,
	    mdata_pmap_cmp)) != NULL) {
		*id = m->id;
		*held = m->held;
	}
	return POS_OK;
}

/* Is text (a barcode) another product's barcode or code? */
static int
mdata_taken(struct mdata_run *r, const char *text, const char *code,
    bool *taken, char **cause)
{
	sqlite3_stmt *stmt;
	int s, rc = POS_OK;

	if ((stmt = sqldb_cached(r->st->db, product_taken_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, text);
	sqldb_bind_text(stmt, 2, code);
	if ((s = sqlite3_step(stmt)) != SQLITE_ROW && s != SQLITE_DONE)
		rc = sqldb_sqlerr(r->st->db, "cannot read products", cause);
	*taken = s == SQLITE_ROW;
	sqldb_release(stmt);
	return rc;
}

/* A product of this window as it stands. */
struct mdata_prod {
	bool	 found;
	int64_t	 id;
	bool	 same_name;	/* as the centre's */
	bool	 central;
	int64_t	 version;
	bool	 taken;		/* its code is another product's barcode */
};

static const char product_get_sql[] = "SELECT id, name = ?2,"
    " central_version, code = ?1 FROM products WHERE code = ?1"
    " OR barcode = ?1";

static int
mdata_product_have(struct mdata_run *r, const struct mdata_product *p,
    struct mdata_prod *h, char **cause)
{
	sqlite3_stmt *stmt;
	int s, rc = POS_OK;

	memset(h, 0, sizeof *h);
	if ((stmt = sqldb_cached(r->st->db, product_get_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, p->code);
	sqldb_bind_text(stmt, 2, p->name);
	while ((s = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (sqlite3_column_int(stmt, 3) == 0) {
			h->taken = true;
			continue;
		}
		h->found = true;
		h->id = sqlite3_column_int64(stmt, 0);
		h->same_name = sqlite3_column_int(stmt, 1) != 0;
		h->central = sqlite3_column_type(stmt, 2) != SQLITE_NULL;
		h->version = sqlite3_column_int64(stmt, 2);
	}
	if (s != SQLITE_DONE)
		rc = sqldb_sqlerr(r->st->db, "cannot read products", cause);
	sqldb_release(stmt);
	return rc;
}

/*
 * Insert (id 0) or update the product; its barcode only when no other
 * product of this window has it, else the row is flagged.
 */
static int
mdata_product_put(struct mdata_run *r, int64_t id, int64_t producer,
    const struct mdata_product *p, char **cause)
{
	sqlite3_stmt *stmt;
	char *search = NULL, *conflict = NULL;
	bool taken = false;
	int rc;

	if (p->barcode != NULL && (rc = mdata_taken(r, p->barcode, p->code,
	    &taken, cause)) != POS_OK)
		return rc;
	if (taken) {
		conflict = xasprintf("the centre's barcode %s is another "
		    "product's here", p->barcode);
		r->res->conflicts++;
	}
	if ((stmt = sqldb_cached(r->st->db, id == 0 ? product_ins_sql :
	    product_upd_sql, cause)) == NULL) {
		free(conflict);
		return POS_FAIL;
	}
	search = searchtext_normalize(p->name);
	if (id == 0)
		sqldb_bind_text(stmt, 1, p->code);
	else
		sqlite3_bind_int64(stmt, 1, id);
	sqldb_bind_text(stmt, 2, taken ? NULL : p->barcode);
	sqldb_bind_text(stmt, 3, p->name);
	sqldb_bind_text(stmt, 4, search);
	sqlite3_bind_int64(stmt, 5, p->price);
	sqldb_bind_text(stmt, 6, p->unit);
	sqlite3_bind_int64(stmt, 7, producer);
	sqlite3_bind_int(stmt, 8, p->active ? 1 : 0);
	sqlite3_bind_int64(stmt, 9, p->version);
	sqldb_bind_text(stmt, 10, conflict);
	rc = sqldb_done(r->st->db, stmt, "cannot store products", cause);
	free(search);
	free(conflict);
	return rc;
}

static int
mdata_product_adopt(struct mdata_run *r, int64_t id,
    const struct mdata_product *p, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(r->st->db, product_adopt_sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, p->price);
	sqlite3_bind_int64(stmt, 3, p->version);
	r->res->changed++;
	return sqldb_done(r->st->db, stmt, "cannot store products", cause);
}

/* Into a window that had no product: *done unless a row was in the way. */
static int
mdata_product_fresh(struct mdata_run *r, int64_t producer,
    const struct mdata_product *p, bool *done, char **cause)
{
	sqlite3_stmt *stmt;
	char *search;
	int rc;

	*done = false;
	if ((stmt = sqldb_cached(r->st->db, product_fresh_sql, cause)) == NULL)
		return POS_FAIL;
	search = searchtext_normalize(p->name);
	sqldb_bind_text(stmt, 1, p->code);
	sqldb_bind_text(stmt, 2, p->barcode);
	sqldb_bind_text(stmt, 3, p->name);
	sqldb_bind_text(stmt, 4, search);
	sqlite3_bind_int64(stmt, 5, p->price);
	sqldb_bind_text(stmt, 6, p->unit);
	sqlite3_bind_int64(stmt, 7, producer);
	sqlite3_bind_int(stmt, 8, p->active ? 1 : 0);
	sqlite3_bind_int64(stmt, 9, p->version);
	rc = sqldb_done(r->st->db, stmt, "cannot store products", cause);
	free(search);
	if (rc == POS_OK && sqlite3_changes(r->st->db->conn) == 1) {
		*done = true;
		r->res->added++;
	}
	return rc;
}

static int
mdata_product(struct mdata_run *r, const struct mdata_product *p,
    char **cause)
{
	bool done;
	struct mdata_prod h;
	int64_t producer;
	bool held;
	char *text;
	int rc;

	if ((rc = mdata_check_product(p, cause)) != POS_OK ||
	    (rc = mdata_producer_of(r, p->producer, &producer, &held,
	    cause)) != POS_OK)
		return rc;
	if (producer == 0)
		return mdata_bad("product", p->code, "its producer was not "
		    "sent", cause);
	if (r->fresh && !held && ((rc = mdata_product_fresh(r, producer, p,
	    &done, cause)) != POS_OK || done))
		return rc;
	if ((rc = mdata_product_have(r, p, &h, cause)) != POS_OK)
		return rc;
	if (h.found && h.central &&
	    mdata_held_already(r, h.version, p->version))
		r->res->unchanged++;
	else if (h.found && !h.central && !h.same_name) {
		text = mdata_conflict_text(p->name);
		rc = mdata_set(r, product_conflict_sql, h.id, text, 0, cause);
		free(text);
		r->res->conflicts++;
	} else if (held || (!h.found && h.taken))
		/*
		 * Its producer is another family at this window, or its code
		 * is another product's barcode here: it waits.
		 */
		r->res->held_back++;
	else if (!h.found) {
		if ((rc = mdata_product_put(r, 0, producer, p, cause)) ==
		    POS_OK)
			r->res->added++;
	} else if (h.central) {
		if ((rc = mdata_product_put(r, h.id, producer, p, cause)) ==
		    POS_OK)
			r->res->changed++;
	} else
		/* Same code and name: the centre's; the price stays. */
		rc = mdata_product_adopt(r, h.id, p, cause);
	return rc;
}

/* ---- the whole pull ---- */

static const char state_set_sql[] = "UPDATE master_state SET version = ?1,"
    " pulled_at = ?2, owed_as_of = coalesce(?3, owed_as_of) WHERE id = 1";

static int
mdata_state(struct mdata_run *r, const struct mdata_pull *pull, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(r->st->db, state_set_sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, r->res->repull ? 0 : pull->version);
	sqldb_bind_text(stmt, 2, r->now);
	sqldb_bind_text(stmt, 3, pull->owed_as_of);
	return sqldb_done(r->st->db, stmt, "cannot store the master-data "
	    "version", cause);
}

static const char bulk_sql[] = "UPDATE master_state SET bulk = ?1"
    " WHERE id = 1";
static const char reindex_sql[] = "INSERT INTO products_fts(products_fts)"
    " VALUES ('rebuild')";
static const char regen_sql[] = "UPDATE catalog_gen SET gen = gen + 1";

/* Search-index upkeep row by row (0) or once at the end (1). */
static int
mdata_bulk(struct mdata_run *r, int on, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(r->st->db, bulk_sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int(stmt, 1, on);
	return sqldb_done(r->st->db, stmt, "cannot store the master data",
	    cause);
}

static int
mdata_reindex(struct mdata_run *r, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sqldb_cached(r->st->db, reindex_sql, cause)) == NULL)
		return POS_FAIL;
	if (sqldb_done(r->st->db, stmt, "cannot rebuild the search index",
	    cause) != POS_OK)
		return POS_FAIL;
	if ((stmt = sqldb_cached(r->st->db, regen_sql, cause)) == NULL)
		return POS_FAIL;
	return sqldb_done(r->st->db, stmt, "cannot rebuild the search index",
	    cause);
}

/*
 * A bulk apply's page cache: big enough to hold the pages it dirties, so
 * that none is written to the WAL before the commit (and rewritten as its
 * index fills): about 1 KiB a product, 128 MiB at most. Sets *was to the
 * size to restore; 0 when nothing was changed.
 */
#define MDATA_CACHE_MAX_KIB	(128 * 1024)

static void
mdata_cache_grow(struct mdata_run *r, size_t nproducts, int64_t *was)
{
	sqlite3_stmt *stmt;
	int64_t want = (int64_t)nproducts;
	char sql[64];

	*was = 0;
	if (want > MDATA_CACHE_MAX_KIB)
		want = MDATA_CACHE_MAX_KIB;
	if ((stmt = sqldb_cached(r->st->db, "PRAGMA cache_size", NULL)) ==
	    NULL)
		return;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*was = sqlite3_column_int64(stmt, 0);
	sqldb_release(stmt);
	/* Negative sizes are KiB, positive ones pages. */
	if (*was == 0 || (*was < 0 && -*was >= want) ||
	    (*was > 0 && *was * 4 >= want)) {
		*was = 0;
		return;
	}
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%lld",
	    (long long)want);
	if (sqlite3_exec(r->st->db->conn, sql, NULL, NULL, NULL) != SQLITE_OK)
		*was = 0;
}

static void
mdata_cache_restore(struct mdata_run *r, int64_t was)
{
	char sql[64];

	if (was == 0)
		return;
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)was);
	(void)sqlite3_exec(r->st->db->conn, sql, NULL, NULL, NULL);
}

/*
 * Each insert runs triggers, so SQLite keeps a statement journal for it;
 * past 64 KiB that journal goes to a temporary file, and a first pull of
 * 100,000 products wrote it some 500,000 times. With temporary storage in
 * memory (set before the transaction begins: SQLite decides then) it
 * stays in memory. The store's own journal and its durability are as
 * before. Sets *was to the setting to restore, -1 if none.
 */
static void
mdata_temp_memory(struct store *st, int *was)
{
	sqlite3_stmt *stmt;

	*was = -1;
	if ((stmt = sqldb_cached(st->db, "PRAGMA temp_store", NULL)) == NULL)
		return;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*was = sqlite3_column_int(stmt, 0);
	sqldb_release(stmt);
	if (*was == 2 || sqlite3_exec(st->db->conn, "PRAGMA temp_store = "
	    "MEMORY", NULL, NULL, NULL) != SQLITE_OK)
		*was = -1;
}

static void
mdata_temp_restore(struct store *st, int was)
{
	char sql[64];

	if (was < 0)
		return;
	snprintf(sql, sizeof sql, "PRAGMA temp_store = %d", was);
	(void)sqlite3_exec(st->db->conn, sql, NULL, NULL, NULL);
}

/*
 * Into a window with no product, the products' own indexes (not those of
 * UNIQUE, which the inserts check) are dropped for the bulk apply and made
 * again from their stored SQL at its end, in the same transaction: one
 * sort each instead of 100,000 inserts at random places. A failure rolls
 * the whole apply back, indexes included.
 */
static const char indexes_sql[] = "SELECT name, sql FROM sqlite_schema"
    " WHERE type = 'index' AND tbl_name = 'products' AND sql IS NOT NULL";

struct mdata_index {
	char	*name;
	char	*sql;
};

static int
mdata_index_exec(struct mdata_run *r, const char *sql, char **cause)
{
	if (sqlite3_exec(r->st->db->conn, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sqldb_sqlerr(r->st->db, "cannot index products", cause);
	return POS_OK;
}

static int
mdata_indexes_drop(struct mdata_run *r, struct mdata_index **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *stmt;
	char *drop;
	int s, rc = POS_OK;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_prepare(r->st->db, indexes_sql, cause)) == NULL)
		return POS_FAIL;
	while ((s = sqlite3_step(stmt)) == SQLITE_ROW) {
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[*n].name = sqldb_column_dup(stmt, 0);
		(*out)[*n].sql = sqldb_column_dup(stmt, 1);
		(*n)++;
	}
	if (s != SQLITE_DONE)
		rc = sqldb_sqlerr(r->st->db, "cannot read the schema", cause);
	sqlite3_finalize(stmt);
	for (size_t i = 0; i < *n && rc == POS_OK; i++) {
		drop = xasprintf("DROP INDEX \"%s\"", (*out)[i].name);
		rc = mdata_index_exec(r, drop, cause);
		free(drop);
	}
	return rc;
}

static int
mdata_indexes_make(struct mdata_run *r, const struct mdata_index *ix,
    size_t n, char **cause)
{
	int rc = POS_OK;

	for (size_t i = 0; i < n && rc == POS_OK; i++)
		rc = mdata_index_exec(r, ix[i].sql, cause);
	return rc;
}

static void
mdata_indexes_free(struct mdata_index *ix, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ix[i].name);
		free(ix[i].sql);
	}
	free(ix);
}

static const char empty_sql[] = "SELECT NOT EXISTS (SELECT 1 FROM products)";

static int
mdata_empty(struct mdata_run *r, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	if ((stmt = sqldb_cached(r->st->db, empty_sql, cause)) == NULL)
		return POS_FAIL;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		r->fresh = sqlite3_column_int(stmt, 0) != 0;
	else
		rc = sqldb_sqlerr(r->st->db, "cannot read products", cause);
	sqldb_release(stmt);
	return rc;
}

int
mdata_apply(struct store *st, const struct mdata_pull *pull,
    struct mdata_result *out, char **cause)
{
	struct mdata_run r;
	char date[11];
	int64_t cache_was = 0;
	struct mdata_index *ix = NULL;
	size_t nix = 0;
	int temp_was = -1;
	size_t i;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	r.st = st;
	r.res = out;
	r.reset = pull->reset;
	if (pull->version < 0)
		return cause_set(cause, POS_INPUT, "the centre's master-data "
		    "version is negative");
	if ((rc = store_now(st->cfg, r.now, date, cause)) != POS_OK)
		return rc;
	if (pull->nproducts >= MDATA_BULK)
		mdata_temp_memory(st, &temp_was);
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK) {
		mdata_temp_restore(st, temp_was);
		return rc;
	}
	if (pull->nproducts >= MDATA_BULK) {
		mdata_cache_grow(&r, pull->nproducts, &cache_was);
		rc = mdata_bulk(&r, 1, cause);
	}
	if (rc == POS_OK)
		rc = mdata_empty(&r, cause);
	if (rc == POS_OK && r.fresh && pull->nproducts >= MDATA_BULK)
		rc = mdata_indexes_drop(&r, &ix, &nix, cause);
	for (i = 0; i < pull->nproducers && rc == POS_OK; i++)
		rc = mdata_producer(&r, &pull->producers[i], cause);
	for (i = 0; i < pull->nproducts && rc == POS_OK; i++)
		rc = mdata_product(&r, &pull->products[i], cause);
	if (rc == POS_OK)
		rc = mdata_indexes_make(&r, ix, nix, cause);
	if (rc == POS_OK && pull->nproducts >= MDATA_BULK &&
	    (rc = mdata_bulk(&r, 0, cause)) == POS_OK)
		rc = mdata_reindex(&r, cause);
	if (rc == POS_OK && pull->owed_as_of != NULL && !pull->owed_same)
		rc = mdata_owed(&r, pull, cause);
	if (rc == POS_OK)
		rc = mdata_state(&r, pull, cause);
	if (rc == POS_OK)
		rc = sqldb_commit(st->db, cause);
	else
		sqldb_rollback(st->db);
	mdata_cache_restore(&r, cache_was);
	mdata_temp_restore(st, temp_was);
	mdata_indexes_free(ix, nix);
	for (i = 0; i < r.npmap; i++)
		free(r.pmap[i].code);
	free(r.pmap);
	if (rc != POS_OK)
		memset(out, 0, sizeof *out);
	return rc;
}

/* The conflicts are counted through partial indexes: a few rows at most. */
static const char held_sql[] = "SELECT m.version, m.pulled_at, m.owed_as_of,"
    " (SELECT count(*) FROM producers WHERE conflict IS NOT NULL) +"
    " (SELECT count(*) FROM products WHERE conflict IS NOT NULL)"
    " FROM master_state m WHERE m.id = 1";

int
mdata_held(struct store *st, struct mdata_held *out, char **cause)
{
	sqlite3_stmt *stmt;
	int s, rc = POS_OK;

	memset(out, 0, sizeof *out);
	if ((stmt = sqldb_cached(st->db, held_sql, cause)) == NULL)
		return POS_FAIL;
	if ((s = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->version = sqlite3_column_int64(stmt, 0);
		out->pulled_at = sqldb_column_dup(stmt, 1);
		out->owed_as_of = sqldb_column_dup(stmt, 2);
		out->conflicts = sqlite3_column_int64(stmt, 3);
	} else if (s != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the master-data state",
		    cause);
	sqldb_release(stmt);
	return rc;
}

void
mdata_held_clear(struct mdata_held *h)
{
	free(h->pulled_at);
	free(h->owed_as_of);
	memset(h, 0, sizeof *h);
}

static const char link_get_sql[] = "SELECT page_link FROM producers"
    " WHERE code = ?1";

int
mdata_link(struct store *st, const char *code, char **link, char **cause)
{
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	*link = NULL;
	if ((stmt = sqldb_cached(st->db, link_get_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW)
		*link = sqldb_column_dup(stmt, 0);
	else if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read producers", cause);
	sqldb_release(stmt);
	return rc;
}

static const char owed_all_sql[] = "SELECT p.owed_all_windows, m.owed_as_of"
    " FROM producers p, master_state m WHERE p.code = ?1 AND m.id = 1"
    " AND p.owed_all_windows IS NOT NULL AND m.owed_as_of IS NOT NULL";

int
mdata_owed_all(struct store *st, const char *code, bool *known,
    int64_t *owed, char **as_of, char **cause)
{
	sqlite3_stmt *stmt;
	int s, rc = POS_OK;

	*known = false;
	*owed = 0;
	*as_of = NULL;
	if ((stmt = sqldb_cached(st->db, owed_all_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	if ((s = sqlite3_step(stmt)) == SQLITE_ROW) {
		*known = true;
		*owed = sqlite3_column_int64(stmt, 0);
		if (*owed < 0)
			*owed = 0;
		*as_of = sqldb_column_dup(stmt, 1);
	} else if (s != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read what is owed at all "
		    "windows", cause);
	sqldb_release(stmt);
	return rc;
}
