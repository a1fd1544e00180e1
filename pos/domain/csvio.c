/*
 * CSV import and export. Imports read the catalogue's CSV form shared with
 * the centre (catcsv.h) and store every row in one transaction.
 */
#include "csvio.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "catalog.h"
#include "catcsv.h"
#include "money.h"
#include "xalloc.h"

/* Store one row of an import in the open transaction. */
static int
csvio_put(void *arg, const struct catcsv_row *r, char **cause)
{
	struct store *st = arg;

	if (r->producer == NULL)	/* a producers file */
		return catalog_producer_add(st, r->code, r->name, r->phone,
		    cause);
	return catalog_product_add(st, r->code, r->name, r->price, r->unit,
	    r->producer, r->barcode, r->active, cause);
}

int
csvio_import(struct store *st, const char *what, const char *path,
    size_t *count, char **cause)
{
	bool products;
	int rc;

	*count = 0;
	if ((rc = catcsv_kind(what, &products, cause)) != POS_OK)
		return rc;
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((rc = catcsv_read(path, products, st->cfg->currency.decimals,
	    csvio_put, st, count, cause)) == POS_OK)
		rc = sqldb_commit(st->db, cause);
	if (rc != POS_OK)
		*count = 0;
	sqldb_rollback(st->db);
	return rc;
}

/* Write one CSV record: quoted fields, comma separated, CRLF-free. */
static void
csvio_record(FILE *out, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', out);
		if (fields[i] != NULL)
			csv_fwrite(out, fields[i], strlen(fields[i]));
	}
	fputc('\n', out);
}

static int
csvio_export_producers(struct store *st, FILE *out, char **cause)
{
	static const char *const head[] = { "code", "name", "phone" };
	struct producer *p;
	size_t n;
	int rc;

	if ((rc = catalog_producer_list(st, &p, &n, cause)) != POS_OK)
		return rc;
	csvio_record(out, head, 3);
	for (size_t i = 0; i < n; i++) {
		const char *row[] = { p[i].code, p[i].name, p[i].phone };

		csvio_record(out, row, 3);
	}
	catalog_producers_free(p, n);
	return POS_OK;
}

static int
csvio_export_products(struct store *st, FILE *out, char **cause)
{
	static const char *const head[] = { "code", "name", "price",
	    "producer", "barcode", "unit", "active" };
	struct product *p;
	char price[32];
	size_t n;
	int rc;

	if ((rc = catalog_product_search(st, NULL, 0, &p, &n, cause)) != POS_OK)
		return rc;
	csvio_record(out, head, 7);
	for (size_t i = 0; i < n; i++) {
		money_format(p[i].price, st->cfg->currency.decimals, price,
		    sizeof price);
		const char *row[] = { p[i].code, p[i].name, price,
		    p[i].producer_code, p[i].barcode, p[i].unit,
		    p[i].active ? "yes" : "no" };
		csvio_record(out, row, 7);
	}
	catalog_products_free(p, n);
	return POS_OK;
}

static int
csvio_export_sales(struct store *st, const char *from, const char *to,
    FILE *out, char **cause)
{
	static const char *const head[] = { "business_date", "receipt", "seq",
	    "kind", "created_at", "user", "product_code", "product_name",
	    "producer_code", "producer_name", "unit", "qty", "unit_price",
	    "total", "discount", "net", "voided" };
	sqlite3_stmt *stmt;
	char seq[24], qty[32], price[32], total[32], disc[32], net[32];
	int dec = st->cfg->currency.decimals, r;

	stmt = sqldb_prepare(st->db, "SELECT j.business_date, j.receipt, j.seq,"
	    " j.kind, j.created_at, j.user, l.product_code, l.product_name,"
	    " l.producer_code, l.producer_name, l.unit, l.qty, l.unit_price,"
	    " l.total, l.discount, l.net, EXISTS (SELECT 1 FROM journal v"
	    "  WHERE v.kind = 'void' AND v.ref_seq = j.seq)"
	    " FROM journal j JOIN journal_lines l ON l.seq = j.seq"
	    " WHERE j.kind IN ('sale', 'refund')"
	    " AND (?1 IS NULL OR j.business_date >= ?1)"
	    " AND (?2 IS NULL OR j.business_date <= ?2)"
	    " ORDER BY j.seq, l.line_no", cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, from);
	sqldb_bind_text(stmt, 2, to);
	csvio_record(out, head, 17);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		snprintf(seq, sizeof seq, "%lld",
		    (long long)sqlite3_column_int64(stmt, 2));
		qty_format(sqlite3_column_int64(stmt, 11), qty, sizeof qty);
		money_format(sqlite3_column_int64(stmt, 12), dec, price,
		    sizeof price);
		money_format(sqlite3_column_int64(stmt, 13), dec, total,
		    sizeof total);
		money_format(sqlite3_column_int64(stmt, 14), dec, disc,
		    sizeof disc);
		money_format(sqlite3_column_int64(stmt, 15), dec, net,
		    sizeof net);
		const char *row[] = {
			(const char *)sqlite3_column_text(stmt, 0),
			(const char *)sqlite3_column_text(stmt, 1), seq,
			(const char *)sqlite3_column_text(stmt, 3),
			(const char *)sqlite3_column_text(stmt, 4),
			(const char *)sqlite3_column_text(stmt, 5),
			(const char *)sqlite3_column_text(stmt, 6),
			(const char *)sqlite3_column_text(stmt, 7),
			(const char *)sqlite3_column_text(stmt, 8),
			(const char *)sqlite3_column_text(stmt, 9),
			(const char *)sqlite3_column_text(stmt, 10),
			qty, price, total, disc, net,
			sqlite3_column_int(stmt, 16) ? "yes" : "no"
		};
		csvio_record(out, row, 17);
	}
	sqlite3_finalize(stmt);
	if (r != SQLITE_DONE)
		return sqldb_sqlerr(st->db, "cannot read the journal", cause);
	return POS_OK;
}

int
csvio_export(struct store *st, const char *what, const char *from,
    const char *to, FILE *out, char **cause)
{
	int rc;

	if ((rc = sqldb_begin(st->db, false, cause)) != POS_OK)
		return rc;
	if (strcmp(what, "producers") == 0)
		rc = csvio_export_producers(st, out, cause);
	else if (strcmp(what, "products") == 0)
		rc = csvio_export_products(st, out, cause);
	else if (strcmp(what, "sales") == 0)
		rc = csvio_export_sales(st, from, to, out, cause);
	else
		rc = cause_set(cause, POS_INPUT, "export sales, producers or "
		    "products, not \"%s\"", what);
	sqldb_rollback(st->db);
	if (rc == POS_OK && (fflush(out) != 0 || ferror(out)))
		rc = cause_set(cause, POS_FAIL, "cannot write: %s",
		    strerror(errno));
	return rc;
}
