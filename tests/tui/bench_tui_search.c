/*
 * The sale screen's search as the attendant types: a store of 100,000
 * products (Arabic and Latin names), then queries typed one character at a
 * time, each keystroke timed through tui_search_update, the very function
 * the UI calls. Prints the median, 90th percentile and worst keystroke and
 * the peak RSS beside their targets (16 ms median, 20 MB). Exits non-zero
 * only when the benchmark itself breaks.
 *
 * usage: bench_tui_search [--products N] [--store FILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "config.h"
#include "store.h"
#include "tui_search.h"
#include "xalloc.h"

static const char *const words_ar[] = {
	"زيت", "زيتون", "صابون", "غار", "مربى", "مشمش", "زعتر", "سلة",
	"قش", "وسادة", "مطرزة", "صندوق", "موزاييك", "عسل", "جبن", "لبنة",
	"مكدوس", "دبس", "رمان", "كشك", "برغل", "فريكة", "حلاوة", "سمسم",
};
static const char *const words_en[] = {
	"olive", "oil", "soap", "laurel", "jam", "apricot", "thyme", "basket",
	"straw", "cushion", "embroidered", "box", "mosaic", "honey", "cheese",
	"labneh", "walnut", "molasses", "pomegranate", "bulgur", "sesame",
	"candle", "scarf", "copper",
};
#define NW(a) (sizeof (a) / sizeof (a)[0])

/* What attendants type: names in part, codes, a barcode, a miss. */
static const char *const queries[] = {
	"زيت زيتون", "صابون غار", "مربى", "عسل", "مكدوس", "حلاوة",
	"olive oil", "soap", "basket", "honey", "cheese", "mosaic box",
	"P01234", "P9", "6290000050000", "2*P00042", "0.5*زعتر", "xyzzy",
	"زعتر", "labneh",
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Next step of a small LCG, so the catalogue is the same every run. */
static unsigned
rnd(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

static int
fill(struct store *st, long nproducts, char **cause)
{
	unsigned seed = 42;
	char code[32], name[256], bar[32], pcode[16];
	int rc;

	if ((rc = store_begin(st, true, cause)) != POS_OK)
		return rc;
	for (int i = 0; i < 200 && rc == POS_OK; i++) {
		snprintf(code, sizeof code, "PR%03d", i);
		snprintf(name, sizeof name, i % 2 ? "عائلة %s" : "Family %s",
		    i % 2 ? words_ar[i % NW(words_ar)] : words_en[i % NW(words_en)]);
		rc = catalog_producer_add(st, code, name, NULL, cause);
	}
	for (long i = 0; i < nproducts && rc == POS_OK; i++) {
		const char *const *w = (i % 3) ? words_ar : words_en;
		size_t nw = (i % 3) ? NW(words_ar) : NW(words_en);

		snprintf(code, sizeof code, "P%05ld", i);
		snprintf(name, sizeof name, "%s %s %s %ld", w[rnd(&seed) % nw],
		    w[rnd(&seed) % nw], w[rnd(&seed) % nw], i);
		snprintf(bar, sizeof bar, "629%010ld", i);
		snprintf(pcode, sizeof pcode, "PR%03ld", i % 200);
		rc = catalog_product_add(st, code, name,
		    (int64_t)(100 + rnd(&seed) * 10), i % 7 == 0 ? "kg" : "piece",
		    pcode, bar, true, cause);
	}
	if (rc != POS_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, cause);
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct store *st = NULL;
	struct tui_search s;
	struct rusage ru;
	char dir[] = "/tmp/bench-tui.XXXXXX", path[128], *cause = NULL;
	const char *keep = NULL;
	long nproducts = 100000;
	double *t = NULL, t0, fill_ms, median, p90, worst;
	size_t nt = 0, cap = 0;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--products") == 0 && i + 1 < argc)
			nproducts = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--store") == 0 && i + 1 < argc)
			keep = argv[++i];
		else {
			fprintf(stderr, "usage: bench_tui_search [--products N] "
			    "[--store FILE]\n");
			return 2;
		}
	}
	config_defaults(&cfg);
	if (keep != NULL)
		snprintf(path, sizeof path, "%s", keep);
	else {
		if (mkdtemp(dir) == NULL) {
			perror("mkdtemp");
			return 1;
		}
		snprintf(path, sizeof path, "%s/window.db", dir);
	}
	rc = store_open(path, true, &cfg, &st, &cause);
	if (rc == POS_OK && st->branch == NULL)
		rc = store_init_identity(st, "BENCH", 1, NULL, &cause);
	t0 = now_ms();
	if (rc == POS_OK)
		rc = fill(st, nproducts, &cause);
	fill_ms = now_ms() - t0;
	if (rc != POS_OK)
		goto out;

	tui_search_init(&s, st, TUI_SEARCH_LIMIT);
	for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
		const char *text = queries[q];
		size_t len = strlen(text);

		for (size_t k = 1; k <= len; k++) {
			char typed[128];

			/* Whole characters only: skip UTF-8 continuation bytes. */
			if (k < len && ((unsigned char)text[k] & 0xc0) == 0x80)
				continue;
			snprintf(typed, sizeof typed, "%.*s", (int)k, text);
			t0 = now_ms();
			rc = tui_search_update(&s, typed, &cause);
			if (rc != POS_OK)
				goto out;
			if (nt == cap) {
				cap = cap ? cap * 2 : 256;
				t = xreallocarray(t, cap, sizeof *t);
			}
			t[nt++] = now_ms() - t0;
		}
	}
	tui_search_free(&s);
	qsort(t, nt, sizeof *t, cmp_double);
	median = t[nt / 2];
	p90 = t[nt * 9 / 10];
	worst = t[nt - 1];
	getrusage(RUSAGE_SELF, &ru);
	printf("tui search: %ld products (filled in %.0f ms), %zu keystrokes\n",
	    nproducts, fill_ms, nt);
	printf("  keystroke median %.2f ms (target <= 16 ms: %s)\n", median,
	    median <= 16.0 ? "ok" : "OVER");
	printf("  keystroke p90    %.2f ms\n", p90);
	printf("  keystroke worst  %.2f ms\n", worst);
	printf("  peak RSS         %.1f MB (target <= 20 MB: %s)\n",
	    ru.ru_maxrss / 1024.0, ru.ru_maxrss <= 20 * 1024 ? "ok" : "OVER");
out:
	if (rc != POS_OK)
		fprintf(stderr, "bench_tui_search: %s\n", cause ? cause : "failed");
	free(cause);
	free(t);
	store_close(st);
	config_free(&cfg);
	if (keep == NULL) {
		char wal[160];

		unlink(path);
		snprintf(wal, sizeof wal, "%s-wal", path);
		unlink(wal);
		snprintf(wal, sizeof wal, "%s-shm", path);
		unlink(wal);
		rmdir(dir);
	}
	return rc == POS_OK ? 0 : 1;
}
