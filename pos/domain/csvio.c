/*
 * CSV import and export. The file is fed to libcsv one physical line at a
 * time so each record is reported with the line it ends on; lines and the
 * row count are bounded.
 */
#include "csvio.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "catalog.h"
#include "money.h"
#include "xalloc.h"

#define CSVIO_MAX_FIELDS 16

enum csvio_col {
	COL_CODE, COL_NAME, COL_PHONE, COL_PRICE, COL_PRODUCER, COL_BARCODE,
	COL_UNIT, COL_ACTIVE, COL_COUNT
};

static const char *const csvio_col_names[COL_COUNT] = {
	"code", "name", "phone", "price", "producer", "barcode", "unit",
	"active"
};

struct csvio_import {
	struct store	*st;
	bool		 products;
	const char	*path;
	size_t		 line;		/* physical line being fed */
	char		*fields[CSVIO_MAX_FIELDS];
	size_t		 nfields;
	bool		 overflow;
	int		 map[COL_COUNT];	/* column index of each, -1 absent */
	bool		 header_done;
	size_t		 rows;
	int		 rc;
	char		*cause;
};

static void
csvio_field(void *s, size_t len, void *data)
{
	struct csvio_import *im = data;

	if (im->nfields == CSVIO_MAX_FIELDS) {
		im->overflow = true;
		return;
	}
	im->fields[im->nfields] = xstrndup(s != NULL ? s : "", len);
	if (strlen(im->fields[im->nfields]) != len)
		im->overflow = true;	/* a NUL byte inside a field */
	im->nfields++;
}

static void
csvio_clear_row(struct csvio_import *im)
{
	for (size_t i = 0; i < im->nfields; i++)
		free(im->fields[i]);
	im->nfields = 0;
	im->overflow = false;
}

static int
csvio_error(struct csvio_import *im, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
csvio_error(struct csvio_import *im, const char *col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	free(im->cause);
	if (col != NULL)
		im->cause = xasprintf("%s:%zu: %s: %s", im->path, im->line, col,
		    msg);
	else
		im->cause = xasprintf("%s:%zu: %s", im->path, im->line, msg);
	free(msg);
	im->rc = POS_INPUT;
	return POS_INPUT;
}

static int
csvio_header(struct csvio_import *im)
{
	size_t i;
	int c;

	for (c = 0; c < COL_COUNT; c++)
		im->map[c] = -1;
	for (i = 0; i < im->nfields; i++) {
		for (c = 0; c < COL_COUNT; c++)
			if (strcmp(im->fields[i], csvio_col_names[c]) == 0)
				break;
		if (c == COL_COUNT || (!im->products && c > COL_PHONE) ||
		    (im->products && c == COL_PHONE))
			return csvio_error(im, NULL, "unknown column \"%s\"",
			    im->fields[i]);
		if (im->map[c] != -1)
			return csvio_error(im, NULL, "column \"%s\" appears "
			    "twice", im->fields[i]);
		im->map[c] = (int)i;
	}
	if (im->map[COL_CODE] == -1 || im->map[COL_NAME] == -1 ||
	    (im->products && (im->map[COL_PRICE] == -1 ||
	    im->map[COL_PRODUCER] == -1)))
		return csvio_error(im, NULL, "the header must name the columns "
		    "%s", im->products ? "code,name,price,producer "
		    "(and optionally barcode,unit,active)" :
		    "code,name (and optionally phone)");
	im->header_done = true;
	return POS_OK;
}

/* The value of a column in the current row, or NULL when absent or empty. */
static const char *
csvio_get(struct csvio_import *im, enum csvio_col c)
{
	int i = im->map[c];

	if (i < 0 || (size_t)i >= im->nfields || im->fields[i][0] == '\0')
		return NULL;
	return im->fields[i];
}

static int
csvio_row(struct csvio_import *im)
{
	const char *code, *name, *price, *unit, *active;
	char err[128], *cause = NULL;
	int64_t p;
	bool on = true;
	int rc;

	if (++im->rows > CSVIO_MAX_ROWS)
		return csvio_error(im, NULL, "more than %d rows",
		    CSVIO_MAX_ROWS);
	code = csvio_get(im, COL_CODE);
	name = csvio_get(im, COL_NAME);
	if (code == NULL)
		return csvio_error(im, "code", "missing");
	if (name == NULL)
		return csvio_error(im, "name", "missing");
	if (!im->products) {
		rc = catalog_producer_add(im->st, code, name,
		    csvio_get(im, COL_PHONE), &cause);
		goto out;
	}
	if ((price = csvio_get(im, COL_PRICE)) == NULL)
		return csvio_error(im, "price", "missing");
	if (money_parse(price, im->st->cfg->currency.decimals, false, &p, err,
	    sizeof err) != 0)
		return csvio_error(im, "price", "%s, got \"%s\"", err, price);
	if ((unit = csvio_get(im, COL_UNIT)) == NULL)
		unit = "piece";
	if ((active = csvio_get(im, COL_ACTIVE)) != NULL) {
		if (strcmp(active, "yes") == 0 || strcmp(active, "1") == 0)
			on = true;
		else if (strcmp(active, "no") == 0 || strcmp(active, "0") == 0)
			on = false;
		else
			return csvio_error(im, "active", "must be yes or no, "
			    "got \"%s\"", active);
	}
	if (csvio_get(im, COL_PRODUCER) == NULL)
		return csvio_error(im, "producer", "missing");
	rc = catalog_product_add(im->st, code, name, p, unit,
	    csvio_get(im, COL_PRODUCER), csvio_get(im, COL_BARCODE), on,
	    &cause);
out:
	if (rc == POS_INPUT)
		csvio_error(im, NULL, "%s", cause);
	else if (rc != POS_OK) {
		im->rc = rc;
		free(im->cause);
		im->cause = xasprintf("%s:%zu: %s", im->path, im->line, cause);
	}
	free(cause);
	return rc;
}

static void
csvio_end_row(int c, void *data)
{
	struct csvio_import *im = data;

	(void)c;
	if (im->rc == POS_OK) {
		if (im->overflow)
			csvio_error(im, NULL, "more than %d fields or a NUL "
			    "byte", CSVIO_MAX_FIELDS);
		else if (!im->header_done)
			csvio_header(im);
		else
			csvio_row(im);
	}
	csvio_clear_row(im);
}

int
csvio_import(struct store *st, const char *what, const char *path,
    size_t *count, char **cause)
{
	struct csvio_import im;
	struct csv_parser p;
	FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc;

	*count = 0;
	memset(&im, 0, sizeof im);
	im.st = st;
	im.path = path;
	if (strcmp(what, "producers") == 0)
		im.products = false;
	else if (strcmp(what, "products") == 0)
		im.products = true;
	else
		return cause_set(cause, POS_INPUT, "import producers or "
		    "products, not \"%s\"", what);
	if ((f = fopen(path, "r")) == NULL)
		return cause_set(cause, POS_INPUT, "cannot open %s: %s", path,
		    strerror(errno));
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		fclose(f);
		return cause_set(cause, POS_FAIL, "cannot start the CSV "
		    "parser");
	}
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		goto out;
	while (im.rc == POS_OK && (len = getline(&line, &cap, f)) != -1) {
		const char *s = line;

		im.line++;
		if ((size_t)len > CSVIO_MAX_LINE) {
			csvio_error(&im, NULL, "line longer than %d bytes",
			    CSVIO_MAX_LINE);
			break;
		}
		if (im.line == 1 && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			len -= 3;
		}
		if (csv_parse(&p, s, (size_t)len, csvio_field, csvio_end_row,
		    &im) != (size_t)len && im.rc == POS_OK)
			csvio_error(&im, NULL, "%s", csv_strerror(csv_error(&p)));
	}
	if (im.rc == POS_OK && ferror(f))
		csvio_error(&im, NULL, "read error: %s", strerror(errno));
	if (im.rc == POS_OK && csv_fini(&p, csvio_field, csvio_end_row,
	    &im) != 0 && im.rc == POS_OK)
		csvio_error(&im, NULL, "unterminated quoted field");
	if (im.rc == POS_OK && !im.header_done)
		csvio_error(&im, NULL, "no header row");
	if (im.rc != POS_OK) {
		rc = im.rc;
		cause_set(cause, rc, "%s", im.cause);
		goto out;
	}
	if ((rc = sqldb_commit(st->db, cause)) == POS_OK)
		*count = im.rows;
out:
	sqldb_rollback(st->db);
	csvio_clear_row(&im);
	csv_free(&p);
	free(im.cause);
	free(line);
	fclose(f);
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
