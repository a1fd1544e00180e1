/*
 * The catalogue's CSV files (catcsv.h): libcsv does the quoting; this
 * file maps the header, checks each row's form and reports FILE:LINE.
 */
#include "catcsv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "cause.h"
#include "money.h"
#include "xalloc.h"

enum catcsv_col {
	COL_CODE, COL_NAME, COL_PHONE, COL_PRICE, COL_PRODUCER, COL_BARCODE,
	COL_UNIT, COL_ACTIVE, COL_COUNT
};

static const char *const catcsv_col_names[COL_COUNT] = {
	"code", "name", "phone", "price", "producer", "barcode", "unit",
	"active"
};

struct catcsv {
	bool		 products;
	int		 decimals;
	catcsv_fn	 fn;
	void		*arg;
	const char	*path;
	size_t		 line;		/* physical line being fed */
	char		*fields[CATCSV_MAX_FIELDS];
	size_t		 nfields;
	bool		 overflow;
	int		 map[COL_COUNT];	/* column index of each, -1 absent */
	bool		 header_done;
	size_t		 rows;
	int		 rc;
	char		*cause;
};

static void
catcsv_field(void *s, size_t len, void *data)
{
	struct catcsv *im = data;

	if (im->nfields == CATCSV_MAX_FIELDS) {
		im->overflow = true;
		return;
	}
	im->fields[im->nfields] = xstrndup(s != NULL ? s : "", len);
	if (strlen(im->fields[im->nfields]) != len)
		im->overflow = true;	/* a NUL byte inside a field */
	im->nfields++;
}

static void
catcsv_clear_row(struct catcsv *im)
{
	for (size_t i = 0; i < im->nfields; i++)
		free(im->fields[i]);
	im->nfields = 0;
	im->overflow = false;
}

static int
catcsv_error(struct catcsv *im, int rc, const char *col, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
catcsv_error(struct catcsv *im, int rc, const char *col, const char *fmt,
    ...)
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
	im->rc = rc;
	return rc;
}

static int
catcsv_header(struct catcsv *im)
{
	size_t i;
	int c;

	for (c = 0; c < COL_COUNT; c++)
		im->map[c] = -1;
	for (i = 0; i < im->nfields; i++) {
		for (c = 0; c < COL_COUNT; c++)
			if (strcmp(im->fields[i], catcsv_col_names[c]) == 0)
				break;
		if (c == COL_COUNT || (!im->products && c > COL_PHONE) ||
		    (im->products && c == COL_PHONE))
			return catcsv_error(im, POS_INPUT, NULL,
			    "unknown column \"%s\"", im->fields[i]);
		if (im->map[c] != -1)
			return catcsv_error(im, POS_INPUT, NULL, "column \"%s\" "
			    "appears twice", im->fields[i]);
		im->map[c] = (int)i;
	}
	if (im->map[COL_CODE] == -1 || im->map[COL_NAME] == -1 ||
	    (im->products && (im->map[COL_PRICE] == -1 ||
	    im->map[COL_PRODUCER] == -1)))
		return catcsv_error(im, POS_INPUT, NULL, "the header must name "
		    "the columns %s", im->products ? "code,name,price,producer "
		    "(and optionally barcode,unit,active)" :
		    "code,name (and optionally phone)");
	im->header_done = true;
	return POS_OK;
}

/* The value of a column in the current row, or NULL when absent or empty. */
static const char *
catcsv_get(struct catcsv *im, enum catcsv_col c)
{
	int i = im->map[c];

	if (i < 0 || (size_t)i >= im->nfields || im->fields[i][0] == '\0')
		return NULL;
	return im->fields[i];
}

static int
catcsv_row(struct catcsv *im)
{
	struct catcsv_row r;
	const char *price, *active;
	char err[128], *cause = NULL;
	int rc;

	if (++im->rows > CATCSV_MAX_ROWS)
		return catcsv_error(im, POS_INPUT, NULL, "more than %d rows",
		    CATCSV_MAX_ROWS);
	memset(&r, 0, sizeof r);
	if ((r.code = catcsv_get(im, COL_CODE)) == NULL)
		return catcsv_error(im, POS_INPUT, "code", "missing");
	if ((r.name = catcsv_get(im, COL_NAME)) == NULL)
		return catcsv_error(im, POS_INPUT, "name", "missing");
	r.phone = catcsv_get(im, COL_PHONE);
	if (im->products) {
		if ((price = catcsv_get(im, COL_PRICE)) == NULL)
			return catcsv_error(im, POS_INPUT, "price", "missing");
		if (money_parse(price, im->decimals, false, &r.price, err,
		    sizeof err) != 0)
			return catcsv_error(im, POS_INPUT, "price", "%s, got "
			    "\"%s\"", err, price);
		if ((r.unit = catcsv_get(im, COL_UNIT)) == NULL)
			r.unit = "piece";
		r.active = true;
		if ((active = catcsv_get(im, COL_ACTIVE)) != NULL) {
			if (strcmp(active, "yes") == 0 ||
			    strcmp(active, "1") == 0)
				r.active = true;
			else if (strcmp(active, "no") == 0 ||
			    strcmp(active, "0") == 0)
				r.active = false;
			else
				return catcsv_error(im, POS_INPUT, "active",
				    "must be yes or no, got \"%s\"", active);
		}
		if ((r.producer = catcsv_get(im, COL_PRODUCER)) == NULL)
			return catcsv_error(im, POS_INPUT, "producer",
			    "missing");
		r.barcode = catcsv_get(im, COL_BARCODE);
	}
	if ((rc = im->fn(im->arg, &r, &cause)) != POS_OK)
		catcsv_error(im, rc, NULL, "%s", cause != NULL ? cause :
		    "cannot store the row");
	free(cause);
	return rc;
}

static void
catcsv_end_row(int c, void *data)
{
	struct catcsv *im = data;

	(void)c;
	if (im->rc == POS_OK) {
		if (im->overflow)
			catcsv_error(im, POS_INPUT, NULL, "more than %d fields "
			    "or a NUL byte", CATCSV_MAX_FIELDS);
		else if (!im->header_done)
			catcsv_header(im);
		else
			catcsv_row(im);
	}
	catcsv_clear_row(im);
}

int
catcsv_kind(const char *what, bool *products, char **cause)
{
	if (strcmp(what, "producers") == 0)
		*products = false;
	else if (strcmp(what, "products") == 0)
		*products = true;
	else
		return cause_set(cause, POS_INPUT, "import producers or "
		    "products, not \"%s\"", what);
	return POS_OK;
}

/* Feed the file to the parser; the outcome is in im->rc and im->cause. */
static void
catcsv_feed(struct catcsv *im, FILE *f, struct csv_parser *p)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while (im->rc == POS_OK && (len = getline(&line, &cap, f)) != -1) {
		const char *s = line;

		im->line++;
		if ((size_t)len > CATCSV_MAX_LINE) {
			catcsv_error(im, POS_INPUT, NULL, "line longer than %d "
			    "bytes", CATCSV_MAX_LINE);
			break;
		}
		if (im->line == 1 && len >= 3 &&
		    memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			len -= 3;
		}
		if (csv_parse(p, s, (size_t)len, catcsv_field, catcsv_end_row,
		    im) != (size_t)len && im->rc == POS_OK)
			catcsv_error(im, POS_INPUT, NULL, "%s",
			    csv_strerror(csv_error(p)));
	}
	free(line);
	if (im->rc == POS_OK && ferror(f))
		catcsv_error(im, POS_INPUT, NULL, "read error: %s",
		    strerror(errno));
	if (im->rc == POS_OK && csv_fini(p, catcsv_field, catcsv_end_row,
	    im) != 0 && im->rc == POS_OK)
		catcsv_error(im, POS_INPUT, NULL, "unterminated quoted field");
	if (im->rc == POS_OK && !im->header_done)
		catcsv_error(im, POS_INPUT, NULL, "no header row");
}

int
catcsv_read(const char *path, bool products, int decimals, catcsv_fn fn,
    void *arg, size_t *rows, char **cause)
{
	FILE *f;
	int rc;

	*rows = 0;
	if ((f = fopen(path, "r")) == NULL)
		return cause_set(cause, POS_INPUT, "cannot open %s: %s", path,
		    strerror(errno));
	rc = catcsv_read_file(f, path, products, decimals, fn, arg, rows,
	    cause);
	fclose(f);
	return rc;
}

int
catcsv_read_file(FILE *f, const char *name, bool products, int decimals,
    catcsv_fn fn, void *arg, size_t *rows, char **cause)
{
	struct catcsv im;
	struct csv_parser p;
	int rc;

	*rows = 0;
	memset(&im, 0, sizeof im);
	im.products = products;
	im.decimals = decimals;
	im.fn = fn;
	im.arg = arg;
	im.path = name;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return cause_set(cause, POS_FAIL, "cannot start the CSV "
		    "parser");
	catcsv_feed(&im, f, &p);
	if ((rc = im.rc) != POS_OK)
		cause_set(cause, rc, "%s", im.cause);
	else
		*rows = im.rows;
	catcsv_clear_row(&im);
	csv_free(&p);
	free(im.cause);
	return rc;
}
