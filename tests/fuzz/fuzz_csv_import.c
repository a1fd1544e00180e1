/*
 * CSV import (pos/domain/csvio.h) into a real store file: any bytes are imported
 * or refused, never half-imported. A refused import leaves every table as
 * it was; a successful one adds exactly the rows it counts, and what it
 * added exports again. The store is made once per process (producers F1,
 * an Arabic name, and F2) and put back to that state from an in-memory
 * copy after every import that committed, so runs do not depend on each
 * other.
 *
 * Input: byte 0 'p' imports products, anything else producers; the rest
 * is the CSV file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "catalog.h"
#include "config.h"
#include "csvio.h"
#include "fuzz.h"
#include "store.h"

static struct config cfg;
static struct store *st;
static sqlite3 *pristine;
static char *csv_path;
static FILE *devnull;

static void
must(int rc, const char *what, char *cause)
{
	if (rc != POS_OK)
		fuzz_fail("%s: %s", what, cause != NULL ? cause : "?");
}

/* Copy src over dst (SQLite online backup). */
static void
copy_db(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");

	if (b == NULL || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		fuzz_fail("backup: %s", sqlite3_errmsg(dst));
}

static int64_t
count(const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t n;

	if (sqlite3_prepare_v2(st->db->conn, sql, -1, &stmt,
	    NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW)
		fuzz_fail("%s: %s", sql, sqlite3_errmsg(st->db->conn));
	n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

static void
fuzz_csv_close(void)
{
	store_close(st);
	sqlite3_close(pristine);
	config_free(&cfg);
	free(csv_path);
	if (devnull != NULL)
		fclose(devnull);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *path, *cause = NULL;

	(void)argc;
	(void)argv;
	config_defaults(&cfg);
	cfg.currency.decimals = 2;	/* so prices have decimals to get wrong */
	path = fuzz_path("window.db");
	must(store_open(path, true, &cfg, &st, &cause), "store_open", cause);
	free(path);
	/* Durability is not what is fuzzed here: keep commits cheap. */
	sqlite3_exec(st->db->conn, "PRAGMA synchronous = OFF", NULL, NULL,
	    NULL);
	must(store_init_identity(st, "DMS01", 1, NULL, &cause), "init", cause);
	must(catalog_producer_add(st, "F1", "أسرة الحلبي", "0944 000 000",
	    &cause), "producer", cause);
	must(catalog_producer_add(st, "F2", "Zaki", NULL, &cause), "producer",
	    cause);
	must(catalog_product_add(st, "A", "مربى مشمش", 150000, "piece", "F1",
	    "6211000000017", true, &cause), "product", cause);
	if (sqlite3_open(":memory:", &pristine) != SQLITE_OK)
		fuzz_fail("sqlite3_open :memory:");
	copy_db(pristine, st->db->conn);
	csv_path = fuzz_path("import.csv");
	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	atexit(fuzz_csv_close);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *what;
	char *cause = NULL;
	size_t n = 99;
	int64_t producers, products, fts;
	int rc;

	if (size == 0)
		return 0;
	what = data[0] == 'p' ? "products" : "producers";
	fuzz_write_file(csv_path, data + 1, size - 1);
	producers = count("SELECT count(*) FROM producers");
	products = count("SELECT count(*) FROM products");
	fts = count("SELECT count(*) FROM products_fts");

	rc = csvio_import(st, what, csv_path, &n, &cause);
	if (!sqlite3_get_autocommit(st->db->conn))
		fuzz_fail("csvio_import left a transaction open (rc %d)", rc);
	if (rc != POS_OK) {
		if (rc != POS_INPUT || cause == NULL ||
		    strncmp(cause, csv_path, strlen(csv_path)) != 0)
			fuzz_fail("import refused with rc %d, cause \"%s\": "
			    "want POS_INPUT and FILE:LINE", rc,
			    cause != NULL ? cause : "(none)");
		if (n != 0)
			fuzz_fail("refused import counted %zu rows", n);
		if (count("SELECT count(*) FROM producers") != producers ||
		    count("SELECT count(*) FROM products") != products ||
		    count("SELECT count(*) FROM products_fts") != fts)
			fuzz_fail("a refused import changed the store: %s",
			    cause);
		free(cause);
		return 0;
	}
	if (cause != NULL)
		fuzz_fail("import succeeded with a cause: %s", cause);
	if (strcmp(what, "products") == 0) {
		if (count("SELECT count(*) FROM products") != products +
		    (int64_t)n || count("SELECT count(*) FROM producers") !=
		    producers)
			fuzz_fail("products import of %zu rows added %lld", n,
			    (long long)(count("SELECT count(*) FROM products") -
			    products));
	} else if (count("SELECT count(*) FROM producers") != producers +
	    (int64_t)n || count("SELECT count(*) FROM products") != products)
		fuzz_fail("producers import of %zu rows added %lld", n,
		    (long long)(count("SELECT count(*) FROM producers") -
		    producers));
	if (csvio_export(st, what, NULL, NULL, devnull, &cause) != POS_OK)
		fuzz_fail("export after import: %s", cause);
	if (n > 0)
		copy_db(st->db->conn, pristine);
	return 0;
}
