/*
 * The centre's master data (master.h) over cstore.h: the checks, the
 * version each change is made under, and the CSV import. The CSV file is
 * fed to libcsv one physical line at a time, as the window's import is,
 * so each row is reported with the line it ends on.
 */
#include "master.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catcsv.h"
#include "money.h"
#include "plink.h"
#include "utf8.h"
#include "xalloc.h"


bool
master_code_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > LEDGER_MAX_CODE)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

bool
master_name_valid(const char *s)
{
	size_t chars = 0;

	if (*s == '\0' || !utf8_valid(s, strlen(s)))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	return chars <= MASTER_MAX_NAME;
}

static int
master_check_code(const char *what, const char *code, char **cause)
{
	if (!master_code_valid(code))
		return cause_set(cause, POS_INPUT, "%s \"%s\": must be 1-32 "
		    "letters, digits, '-', '_' or '.'", what, code);
	return POS_OK;
}

static int
master_check_name(const char *name, char **cause)
{
	if (!master_name_valid(name))
		return cause_set(cause, POS_INPUT, "name: must be 1-%d "
		    "characters of UTF-8 without control characters",
		    MASTER_MAX_NAME);
	return POS_OK;
}

static int
master_check_phone(const char *phone, char **cause)
{
	if (*phone != '\0' && (!master_name_valid(phone) ||
	    strlen(phone) > MASTER_MAX_PHONE))
		return cause_set(cause, POS_INPUT, "phone: must be at most %d "
		    "characters without control characters", MASTER_MAX_PHONE);
	return POS_OK;
}

/* One change: its version, its time. */
struct master_tx {
	struct cstore	*st;
	int64_t		 version;
	char		 now[21];
};

static int
master_begin(struct cstore *st, struct master_tx *tx, char **cause)
{
	int rc;

	tx->st = st;
	cstore_now(tx->now);
	if ((rc = cstore_begin(st, true, cause)) != POS_OK)
		return rc;
	return cstore_master_bump(st, &tx->version, cause);
}

/* Commit when rc is POS_OK, else undo; the status either way. */
static int
master_end(struct master_tx *tx, int rc, int64_t *version, char **cause)
{
	if (rc == POS_OK)
		rc = cstore_commit(tx->st, cause);
	cstore_rollback(tx->st);
	if (rc == POS_OK && version != NULL)
		*version = tx->version;
	return rc == CSTORE_BUSY ? POS_FAIL : rc;
}

static int
producer_find(struct cstore *st, const char *code,
    struct cstore_mproducer **p, size_t *n, char **cause)
{
	return cstore_mproducers(st, code, p, n, cause);
}

static int
producer_add_tx(struct master_tx *tx, const char *code, const char *name,
    const char *phone, char **cause)
{
	struct cstore_mproducer *have, p;
	size_t n;
	int rc;

	if ((rc = master_check_code("producer code", code, cause)) != POS_OK ||
	    (rc = master_check_name(name, cause)) != POS_OK ||
	    (phone != NULL && (rc = master_check_phone(phone, cause)) !=
	    POS_OK))
		return rc;
	if ((rc = producer_find(tx->st, code, &have, &n, cause)) != POS_OK)
		return rc;
	cstore_mproducers_free(have, n);
	if (n > 0)
		return cause_set(cause, POS_INPUT, "producer %s already exists",
		    code);
	memset(&p, 0, sizeof p);
	p.code = (char *)code;
	p.name = (char *)name;
	p.phone = phone != NULL && *phone != '\0' ? (char *)phone : NULL;
	p.active = true;
	p.version = tx->version;
	p.updated_at = tx->now;
	return cstore_mproducer_put(tx->st, &p, cause);
}

int
master_producer_add(struct cstore *st, const char *code, const char *name,
    const char *phone, int64_t *version, char **cause)
{
	struct master_tx tx;
	int rc;

	if ((rc = master_begin(st, &tx, cause)) == POS_OK)
		rc = producer_add_tx(&tx, code, name, phone, cause);
	return master_end(&tx, rc, version, cause);
}

int
master_producer_set(struct cstore *st, const char *code,
    const struct master_change *ch, int64_t *version, char **cause)
{
	struct cstore_mproducer *p = NULL;
	struct master_tx tx;
	size_t n = 0;
	int rc;

	if ((ch->name != NULL && (rc = master_check_name(ch->name, cause)) !=
	    POS_OK) || (ch->phone != NULL &&
	    (rc = master_check_phone(ch->phone, cause)) != POS_OK))
		return rc;
	if ((rc = master_begin(st, &tx, cause)) != POS_OK)
		goto out;
	if ((rc = producer_find(st, code, &p, &n, cause)) != POS_OK)
		goto out;
	if (n == 0) {
		rc = cause_set(cause, POS_INPUT, "no producer %s", code);
		goto out;
	}
	if (ch->name != NULL) {
		free(p->name);
		p->name = xstrdup(ch->name);
	}
	if (ch->phone != NULL) {
		free(p->phone);
		p->phone = *ch->phone != '\0' ? xstrdup(ch->phone) : NULL;
	}
	if (ch->active >= 0)
		p->active = ch->active != 0;
	p->version = tx.version;
	free(p->updated_at);
	p->updated_at = xstrdup(tx.now);
	rc = cstore_mproducer_put(st, p, cause);
out:
	cstore_mproducers_free(p, n);
	return master_end(&tx, rc, version, cause);
}

int
master_producer_link(struct cstore *st, const char *code,
    const uint8_t key[PLINK_KEY], bool rotate, char token[TOKEN_HEX],
    int64_t *version, char **cause)
{
	struct cstore_mproducer *p = NULL;
	struct master_tx tx;
	uint8_t hash[TOKEN_DIGEST];
	int64_t rotation;
	bool issued;
	size_t n = 0;
	int rc;

	if ((rc = master_begin(st, &tx, cause)) != POS_OK)
		goto out;
	if ((rc = producer_find(st, code, &p, &n, cause)) != POS_OK)
		goto out;
	if (n == 0) {
		rc = cause_set(cause, POS_INPUT, "no producer %s", code);
		goto out;
	}
	if ((rc = cstore_plink_get(st, code, &rotation, NULL, &issued,
	    cause)) !=
	    POS_OK)
		goto out;
	if (issued && rotate)
		rotation++;
	plink_token(key, code, rotation, token);
	if (issued && !rotate) {
		/* Nothing changes: the bumped version is undone. */
		cstore_mproducers_free(p, n);
		cstore_rollback(st);
		return POS_OK;
	}
	token_digest(token, TOKEN_HEX - 1, hash);
	if ((rc = cstore_plink_put(st, code, rotation, hash, cause)) != POS_OK)
		goto out;
	p->version = tx.version;
	free(p->updated_at);
	p->updated_at = xstrdup(tx.now);
	rc = cstore_mproducer_put(st, p, cause);
out:
	cstore_mproducers_free(p, n);
	return master_end(&tx, rc, version, cause);
}

/* The merge in force of code as FROM, if any (NULL). */
static const struct cstore_merge *
merge_of(const struct cstore_merge *m, size_t n, const char *from)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].undone_at == NULL && strcmp(m[i].from, from) == 0)
			return &m[i];
	return NULL;
}

static int
merge_check(struct cstore *st, const char *from, const char *into,
    const struct cstore_merge *m, size_t nm, char **cause)
{
	struct cstore_mproducer *p;
	const struct cstore_merge *had;
	size_t n;
	int rc;

	if ((rc = master_check_code("producer code", from, cause)) != POS_OK ||
	    (rc = master_check_code("producer code", into, cause)) != POS_OK)
		return rc;
	if (strcmp(from, into) == 0)
		return cause_set(cause, POS_INPUT, "cannot merge %s into "
		    "itself", from);
	if ((rc = producer_find(st, into, &p, &n, cause)) != POS_OK)
		return rc;
	cstore_mproducers_free(p, n);
	if (n == 0)
		return cause_set(cause, POS_INPUT, "no producer %s: merge into "
		    "a registered producer", into);
	if ((had = merge_of(m, nm, from)) != NULL)
		return cause_set(cause, POS_INPUT, "%s is merged into %s "
		    "already; unmerge it first", from, had->into);
	if ((had = merge_of(m, nm, into)) != NULL)
		return cause_set(cause, POS_INPUT, "%s is merged into %s; "
		    "merge %s into %s", into, had->into, from, had->into);
	for (size_t i = 0; i < nm; i++)
		if (m[i].undone_at == NULL && strcmp(m[i].into, from) == 0)
			return cause_set(cause, POS_INPUT, "%s is merged into "
			    "%s; unmerge it first", m[i].from, from);
	return POS_OK;
}

int
master_merge(struct cstore *st, const char *from, const char *into,
    int64_t *version, char **cause)
{
	struct cstore_merge *m = NULL, nw;
	struct master_tx tx;
	size_t n = 0;
	int rc;

	if ((rc = master_begin(st, &tx, cause)) != POS_OK)
		goto out;
	if ((rc = cstore_merges(st, &m, &n, cause)) != POS_OK ||
	    (rc = merge_check(st, from, into, m, n, cause)) != POS_OK)
		goto out;
	nw.from = (char *)from;
	nw.into = (char *)into;
	nw.merged_at = tx.now;
	nw.undone_at = NULL;
	nw.version = tx.version;
	rc = cstore_merge_put(st, &nw, cause);
out:
	cstore_merges_free(m, n);
	return master_end(&tx, rc, version, cause);
}

int
master_unmerge(struct cstore *st, const char *from, int64_t *version,
    char **cause)
{
	struct cstore_merge *m = NULL, undo;
	const struct cstore_merge *had;
	struct master_tx tx;
	size_t n = 0;
	int rc;

	if ((rc = master_begin(st, &tx, cause)) != POS_OK)
		goto out;
	if ((rc = cstore_merges(st, &m, &n, cause)) != POS_OK)
		goto out;
	if ((had = merge_of(m, n, from)) == NULL) {
		rc = cause_set(cause, POS_INPUT, "%s is not merged", from);
		goto out;
	}
	undo = *had;
	undo.undone_at = tx.now;
	undo.version = tx.version;
	rc = cstore_merge_put(st, &undo, cause);
out:
	cstore_merges_free(m, n);
	return master_end(&tx, rc, version, cause);
}

/* A barcode must not be another product's code. */
static int
product_check_barcode(struct cstore *st, const char *code,
    const char *barcode, char **cause)
{
	struct cstore_mproduct *p;
	size_t n;
	int rc;

	if ((rc = master_check_code("barcode", barcode, cause)) != POS_OK)
		return rc;
	if ((rc = cstore_mproducts(st, barcode, &p, &n, cause)) != POS_OK)
		return rc;
	cstore_mproducts_free(p, n);
	if (n > 0 && strcmp(barcode, code) != 0)
		return cause_set(cause, POS_INPUT, "product %s: barcode %s is "
		    "another product's code", code, barcode);
	return POS_OK;
}

static int
product_add_tx(struct master_tx *tx, const struct cstore_mproduct *in,
    char **cause)
{
	struct cstore_mproduct *have, p = *in;
	struct cstore_mproducer *r;
	size_t n;
	int rc;

	if ((rc = master_check_code("product code", in->code, cause)) !=
	    POS_OK || (rc = master_check_name(in->name, cause)) != POS_OK)
		return rc;
	if (in->price < 0 || in->price > MONEY_LIMIT)
		return cause_set(cause, POS_INPUT, "price: out of range");
	if (strcmp(in->unit, "piece") != 0 && strcmp(in->unit, "kg") != 0)
		return cause_set(cause, POS_INPUT, "unit: must be piece or kg, "
		    "got \"%s\"", in->unit);
	if ((rc = master_check_code("producer code", in->producer, cause)) !=
	    POS_OK)
		return rc;
	if ((rc = producer_find(tx->st, in->producer, &r, &n, cause)) !=
	    POS_OK)
		return rc;
	cstore_mproducers_free(r, n);
	if (n == 0)
		return cause_set(cause, POS_INPUT, "no producer %s",
		    in->producer);
	if (in->barcode != NULL && (rc = product_check_barcode(tx->st,
	    in->code, in->barcode, cause)) != POS_OK)
		return rc;
	if ((rc = cstore_mproducts(tx->st, in->code, &have, &n, cause)) !=
	    POS_OK)
		return rc;
	cstore_mproducts_free(have, n);
	if (n > 0)
		return cause_set(cause, POS_INPUT, "product %s already exists",
		    in->code);
	p.version = tx->version;
	p.updated_at = tx->now;
	return cstore_mproduct_put(tx->st, &p, cause);
}

int
master_product_add(struct cstore *st, const char *code, const char *name,
    int64_t price, const char *unit, const char *producer,
    const char *barcode, bool active, int64_t *version, char **cause)
{
	struct cstore_mproduct p;
	struct master_tx tx;
	int rc;

	memset(&p, 0, sizeof p);
	p.code = (char *)code;
	p.name = (char *)name;
	p.price = price;
	p.unit = (char *)unit;
	p.producer = (char *)producer;
	p.barcode = barcode != NULL && *barcode != '\0' ? (char *)barcode :
	    NULL;
	p.active = active;
	if ((rc = master_begin(st, &tx, cause)) == POS_OK)
		rc = product_add_tx(&tx, &p, cause);
	return master_end(&tx, rc, version, cause);
}

int
master_product_set(struct cstore *st, const char *code,
    const struct master_change *ch, int64_t *version, char **cause)
{
	struct cstore_mproduct *p = NULL;
	struct master_tx tx;
	size_t n = 0;
	int rc;

	if (ch->name != NULL && (rc = master_check_name(ch->name, cause)) !=
	    POS_OK)
		return rc;
	if (ch->price > MONEY_LIMIT)
		return cause_set(cause, POS_INPUT, "price: out of range");
	if ((rc = master_begin(st, &tx, cause)) != POS_OK)
		goto out;
	if ((rc = cstore_mproducts(st, code, &p, &n, cause)) != POS_OK)
		goto out;
	if (n == 0) {
		rc = cause_set(cause, POS_INPUT, "no product %s", code);
		goto out;
	}
	if (ch->barcode != NULL && *ch->barcode != '\0' &&
	    (rc = product_check_barcode(st, code, ch->barcode, cause)) !=
	    POS_OK)
		goto out;
	if (ch->name != NULL) {
		free(p->name);
		p->name = xstrdup(ch->name);
	}
	if (ch->barcode != NULL) {
		free(p->barcode);
		p->barcode = *ch->barcode != '\0' ? xstrdup(ch->barcode) : NULL;
	}
	if (ch->price >= 0)
		p->price = ch->price;
	if (ch->active >= 0)
		p->active = ch->active != 0;
	p->version = tx.version;
	free(p->updated_at);
	p->updated_at = xstrdup(tx.now);
	rc = cstore_mproduct_put(st, p, cause);
out:
	cstore_mproducts_free(p, n);
	return master_end(&tx, rc, version, cause);
}

/* ---- CSV import ---- */

/* Store one row of an import in the open master-data transaction. */
static int
master_csv_put(void *arg, const struct catcsv_row *r, char **cause)
{
	struct master_tx *tx = arg;
	struct cstore_mproduct p;

	if (r->producer == NULL)	/* a producers file */
		return producer_add_tx(tx, r->code, r->name, r->phone, cause);
	memset(&p, 0, sizeof p);
	p.code = (char *)r->code;
	p.name = (char *)r->name;
	p.price = r->price;
	p.unit = (char *)r->unit;
	p.active = r->active;
	p.producer = (char *)r->producer;
	p.barcode = (char *)r->barcode;
	return product_add_tx(tx, &p, cause);
}

/* One import: from path, or from f named name when f is not NULL. */
static int
master_import_any(struct cstore *st, const char *what, const char *path,
    FILE *f, int decimals, size_t *count, int64_t *version, char **cause)
{
	struct master_tx tx;
	bool products;
	int rc;

	*count = 0;
	if ((rc = catcsv_kind(what, &products, cause)) != POS_OK)
		return rc;
	if ((rc = master_begin(st, &tx, cause)) == POS_OK)
		rc = f != NULL ? catcsv_read_file(f, path, products, decimals,
		    master_csv_put, &tx, count, cause) : catcsv_read(path,
		    products, decimals, master_csv_put, &tx, count, cause);
	rc = master_end(&tx, rc, version, cause);
	if (rc != POS_OK)
		*count = 0;
	return rc;
}

int
master_import(struct cstore *st, const char *what, const char *path,
    int decimals, size_t *count, int64_t *version, char **cause)
{
	return master_import_any(st, what, path, NULL, decimals, count,
	    version, cause);
}

int
master_import_file(struct cstore *st, const char *what, FILE *f,
    const char *name, int decimals, size_t *count, int64_t *version,
    char **cause)
{
	return master_import_any(st, what, name, f, decimals, count, version,
	    cause);
}
