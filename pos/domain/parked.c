#include "parked.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xalloc.h"

static int
parked_add_line(struct store *st, int64_t id, size_t line,
    const struct parked_line *l, char **cause)
{
	sqlite3_stmt *stmt;

	static const char sql[] = "INSERT INTO parked_lines (parked_id, line,"
	    " product_code, product_name, qty) VALUES (?, ?, ?, ?, ?)";

	if (l->qty <= 0)
		return cause_set(cause, POS_INPUT, "parked line %zu: the "
		    "quantity must be positive", line + 1);
	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)line);
	sqldb_bind_text(stmt, 3, l->product_code);
	sqldb_bind_text(stmt, 4, l->product_name);
	sqlite3_bind_int64(stmt, 5, l->qty);
	return sqldb_done(st->db, stmt, "cannot park the sale", cause);
}

int
parked_save(struct store *st, const char *name, const char *user,
    int64_t discount, const struct parked_line *lines, size_t n,
    int64_t *id, char **cause)
{
	sqlite3_stmt *stmt;
	char utc[21], date[11];
	int rc;

	static const char sql[] = "INSERT INTO parked_sales (name, user,"
	    " parked_at, discount) VALUES (?, ?, ?, ?)";

	if (n == 0)
		return cause_set(cause, POS_INPUT, "nothing to park");
	if (!text_valid_name(name) || strlen(name) > PARKED_MAX_NAME)
		return cause_set(cause, POS_INPUT, "the name of a parked sale: "
		    "1-%d bytes of UTF-8 without control characters",
		    PARKED_MAX_NAME);
	if ((rc = store_now(st->cfg, utc, date, cause)) != POS_OK)
		return rc;
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	sqldb_bind_text(stmt, 1, name);
	sqldb_bind_text(stmt, 2, user);
	sqldb_bind_text(stmt, 3, utc);
	sqlite3_bind_int64(stmt, 4, discount);
	if ((rc = sqldb_done(st->db, stmt, "cannot park the sale", cause)) !=
	    POS_OK)
		goto out;
	*id = sqlite3_last_insert_rowid(st->db->conn);
	for (size_t i = 0; i < n && rc == POS_OK; i++)
		rc = parked_add_line(st, *id, i, &lines[i], cause);
	if (rc == POS_OK)
		rc = sqldb_commit(st->db, cause);
out:
	if (rc != POS_OK)
		sqldb_rollback(st->db);
	return rc;
}

/* The lines of each parked sale in out[0..n). */
static int
parked_load_lines(struct store *st, struct parked_sale *out, size_t n,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	static const char sql[] = "SELECT product_code, product_name, qty"
	    " FROM parked_lines"
	    " WHERE parked_id = ? ORDER BY line";

	for (size_t i = 0; i < n && rc == POS_OK; i++) {
		if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
			return POS_FAIL;
		sqlite3_bind_int64(stmt, 1, out[i].id);
		while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct parked_line *l;

			out[i].lines = xreallocarray(out[i].lines,
			    out[i].nlines + 1, sizeof *out[i].lines);
			l = &out[i].lines[out[i].nlines++];
			l->product_code = sqldb_column_dup(stmt, 0);
			l->product_name = sqldb_column_dup(stmt, 1);
			l->qty = sqlite3_column_int64(stmt, 2);
		}
		if (r != SQLITE_DONE)
			rc = sqldb_sqlerr(st->db, "cannot read parked sales",
			    cause);
		sqldb_release(stmt);
	}
	return rc;
}

int
parked_list(struct store *st, struct parked_sale **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *stmt;
	struct parked_sale *v = NULL;
	size_t k = 0;
	int r, rc;

	static const char sql[] = "SELECT id, name, user, parked_at, discount"
	    " FROM parked_sales ORDER BY id";

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xreallocarray(v, k + 1, sizeof *v);
		memset(&v[k], 0, sizeof v[k]);
		v[k].id = sqlite3_column_int64(stmt, 0);
		v[k].name = sqldb_column_dup(stmt, 1);
		v[k].user = sqldb_column_dup(stmt, 2);
		v[k].parked_at = sqldb_column_dup(stmt, 3);
		v[k].discount = sqlite3_column_int64(stmt, 4);
		k++;
	}
	rc = r == SQLITE_DONE ? POS_OK : sqldb_sqlerr(st->db,
	    "cannot read parked sales", cause);
	sqldb_release(stmt);
	if (rc == POS_OK)
		rc = parked_load_lines(st, v, k, cause);
	if (rc != POS_OK) {
		parked_free(v, k);
		return rc;
	}
	*out = v;
	*n = k;
	return POS_OK;
}

int
parked_count(struct store *st, size_t *n, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	static const char sql[] = "SELECT count(*) FROM parked_sales";

	*n = 0;
	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(stmt, 0);
	else
		rc = sqldb_sqlerr(st->db, "cannot count parked sales", cause);
	sqldb_release(stmt);
	return rc;
}

int
parked_drop(struct store *st, int64_t id, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	static const char sql[] = "DELETE FROM parked_sales WHERE id = ?";

	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, id);
	if ((rc = sqldb_done(st->db, stmt, "cannot recall the parked sale",
	    cause)) != POS_OK)
		return rc;
	if (sqlite3_changes(st->db->conn) == 0)
		return cause_set(cause, POS_INPUT, "no parked sale %lld",
		    (long long)id);
	return POS_OK;
}

void
parked_free(struct parked_sale *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i].nlines; k++) {
			free(v[i].lines[k].product_code);
			free(v[i].lines[k].product_name);
		}
		free(v[i].lines);
		free(v[i].name);
		free(v[i].user);
		free(v[i].parked_at);
	}
	free(v);
}
