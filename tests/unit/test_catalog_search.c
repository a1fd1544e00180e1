/*
 * Product search through the store API on a real store file: what a limit
 * keeps, and the in-memory names that one- and two-character searches use,
 * which must follow changes made through another connection (as by `pos
 * product add` or an import while the UI is running) and give what a scan
 * of the table gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "catalog.h"
#include "config.h"
#include "store.h"

struct fixture {
	char		 dir[64];
	char		 path[128];
	struct config	 cfg;
	struct store	*st;	/* the UI's connection */
	struct store	*other;	/* another program's */
};

static void
add(struct store *st, const char *code, const char *name, const char *bar)
{
	char *cause = NULL;

	assert_int_equal(catalog_product_add(st, code, name, 100, "piece",
	    "F1", bar, true, &cause), POS_OK);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char *cause = NULL;

	snprintf(f->dir, sizeof f->dir, "/tmp/pos-test-search.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/w.db", f->dir);
	config_defaults(&f->cfg);
	assert_int_equal(store_open(f->path, true, &f->cfg, &f->st, &cause),
	    POS_OK);
	assert_int_equal(store_init_identity(f->st, "T01", 1, NULL, &cause),
	    POS_OK);
	assert_int_equal(catalog_producer_add(f->st, "F1", "أسرة", NULL,
	    &cause), POS_OK);
	add(f->st, "COF-3", "قهوة عربية", "6281234567890");
	add(f->st, "OLV-6", "Olive wood bowl", NULL);
	add(f->st, "JAM-2", "مربى مشمش", NULL);
	assert_int_equal(store_open(f->path, false, &f->cfg, &f->other,
	    &cause), POS_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char p[160];

	store_close(f->other);
	store_close(f->st);
	config_free(&f->cfg);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* The codes found for text, comma separated, in the order given. */
static void
codes(struct store *st, const char *text, size_t limit, char *out,
    size_t outsz)
{
	struct product *p;
	size_t n, used = 0;
	char *cause = NULL;

	assert_int_equal(catalog_product_search(st, text, limit, &p, &n,
	    &cause), POS_OK);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, outsz - used, "%s%s",
		    i > 0 ? "," : "", p[i].code);
	catalog_products_free(p, n);
}

#define EXPECT(st, text, limit, want) do {				\
	char got_[512];							\
	codes((st), (text), (limit), got_, sizeof got_);		\
	assert_string_equal(got_, (want));				\
} while (0)

static void
short_search_follows_another_connection(void **state)
{
	struct fixture *f = *state;
	struct product_change ch = { "قهوة تركية", NULL, -1, -1 };
	char *cause = NULL;

	EXPECT(f->st, "قه", 0, "COF-3");	/* the names are read now */
	EXPECT(f->st, "مش", 0, "JAM-2");
	EXPECT(f->st, "ow", 0, "OLV-6");
	EXPECT(f->st, "زك", 0, "");

	/* Another program adds a product and renames one. */
	add(f->other, "ZK-1", "زكي قهوه", NULL);
	assert_int_equal(catalog_product_set(f->other, "JAM-2", &ch, &cause),
	    POS_OK);
	EXPECT(f->st, "زك", 0, "ZK-1");
	EXPECT(f->st, "قه", 0, "COF-3,JAM-2,ZK-1");
	EXPECT(f->st, "مش", 0, "");
	EXPECT(f->st, "تر", 0, "JAM-2");

	/* Changed behind the connection's back in raw SQL: the triggers see it. */
	assert_int_equal(sqlite3_exec(f->other->db->conn, "UPDATE products SET"
	    " search = 'tea' WHERE code = 'OLV-6'", NULL, NULL, NULL),
	    SQLITE_OK);
	EXPECT(f->st, "ow", 0, "");
	EXPECT(f->st, "te", 0, "OLV-6");
}

/* The in-memory search gives what a scan of the table gives, in any case. */
static void
short_search_equals_a_table_scan(void **state)
{
	struct fixture *f = *state;
	/* Already normalised: the scan compares them as they are. */
	static const char *const texts[] = { "ق", "ه", "و", "o", "w", "bo",
	    "ي", "م", "مر", "ab", "0", "x" };
	char name[64], code[16], got[512], want[512];
	sqlite3_stmt *s;
	size_t used;

	for (int i = 0; i < 40; i++) {
		snprintf(code, sizeof code, "G%02d", i);
		snprintf(name, sizeof name, "%s %d", i % 2 ? "مرطبان" : "box", i);
		add(f->other, code, name, NULL);
	}
	assert_int_equal(sqlite3_prepare_v2(f->other->db->conn,
	    "SELECT code FROM"
	    " products WHERE instr(search, ?) > 0 ORDER BY code", -1, &s,
	    NULL), SQLITE_OK);
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		sqlite3_bind_text(s, 1, texts[t], -1, SQLITE_STATIC);
		want[0] = '\0';
		used = 0;
		while (sqlite3_step(s) == SQLITE_ROW)
			used += (size_t)snprintf(want + used, sizeof want - used,
			    "%s%s", used > 0 ? "," : "",
			    (const char *)sqlite3_column_text(s, 0));
		sqlite3_reset(s);
		codes(f->st, texts[t], 0, got, sizeof got);
		assert_string_equal(got, want);
	}
	sqlite3_finalize(s);
}

/* With a limit, code prefix and barcode matches are kept before names. */
static void
limit_keeps_codes_first(void **state)
{
	struct fixture *f = *state;
	char code[16];

	for (int i = 0; i < 30; i++) {
		snprintf(code, sizeof code, "B%02d", i);
		add(f->other, code, "Cob basket", NULL);
	}
	add(f->other, "COB", "زبدة", NULL);
	char all[256];
	size_t used = 0;

	/* "cob": the code prefix COB first, then the first 4 names. */
	EXPECT(f->st, "cob", 5, "B00,B01,B02,B03,COB");
	EXPECT(f->st, "6281234567890", 5, "COF-3");
	/* Short text: COB and COF-3 by code, then the first name. */
	EXPECT(f->st, "co", 3, "B00,COB,COF-3");
	/* Without a limit: every match, by code. */
	for (int i = 0; i < 30; i++)
		used += (size_t)snprintf(all + used, sizeof all - used,
		    "B%02d,", i);
	snprintf(all + used, sizeof all - used, "COB");
	EXPECT(f->st, "cob", 0, all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    short_search_follows_another_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    short_search_equals_a_table_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(limit_keeps_codes_first, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
