/*
 * receipt-render FORMAT DOTS [COLUMNS] < spec > output
 * receipt-render --bench RUNS FORMAT DOTS < spec   (median ms on stderr)
 *
 * With --bench, each run also renders the same document as plain text
 * (the layout without shaping or pixels), the baseline printed beside it;
 * for escpos-raster the line on stdout is the P6 row of the benchmark
 * table (a 30-line Arabic receipt at 576 dots, goal <= 10 ms).
 *
 * Test driver: build a document from a spec (spec.h) and render it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render.h"
#include "spec.h"

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	struct render_opts	 o = { 0, 0, 0, 0 };
	enum render_format	 f;
	struct doc		*d;
	unsigned char		*out = NULL;
	size_t			 len;
	char			*spec, *cause = NULL, *end;
	double			*t = NULL, *tb = NULL, t0;
	enum render_format	 plain;
	long			 runs = 0, i;
	int			 rc = 1;

	if (argc >= 3 && strcmp(argv[1], "--bench") == 0) {
		runs = strtol(argv[2], &end, 10);
		if (*end != '\0' || runs < 1 || runs > 100000)
			goto usage;
		argc -= 2;
		argv += 2;
	}
	if (argc < 3 || argc > 4)
		goto usage;
	if (render_format_parse(argv[1], &f) != 0)
		goto usage;
	o.dots = (int)strtol(argv[2], &end, 10);
	if (*end != '\0')
		goto usage;
	if (argc == 4) {
		o.columns = (int)strtol(argv[3], &end, 10);
		if (*end != '\0')
			goto usage;
	}
	spec = spec_read(stdin);
	d = spec_parse(spec, &cause);
	free(spec);
	if (d == NULL)
		goto fail;
	if (runs > 0) {
		t = calloc((size_t)runs, sizeof *t);
		tb = calloc((size_t)runs, sizeof *tb);
		if (render_format_parse("text", &plain) != 0)
			goto usage;
		for (i = 0; t != NULL && tb != NULL && i < runs; i++) {
			t0 = now_ms();
			if (render_doc(d, f, &o, &out, &len, &cause) != 0)
				break;
			t[i] = now_ms() - t0;
			free(out);
			out = NULL;
			t0 = now_ms();
			if (render_doc(d, plain, &o, &out, &len, &cause) != 0)
				break;
			tb[i] = now_ms() - t0;
			free(out);
			out = NULL;
		}
		if (t != NULL && tb != NULL && i == runs) {
			double med, base;

			qsort(t, (size_t)runs, sizeof *t, cmp_double);
			qsort(tb, (size_t)runs, sizeof *tb, cmp_double);
			med = t[runs / 2];
			base = tb[runs / 2];
			fprintf(stderr, "%s %d dots: median %.3f ms, min %.3f ms "
			    "over %ld runs\n", argv[1], o.dots, med, t[0], runs);
			if (strcmp(argv[1], "escpos-raster") == 0)
				printf("P6   ms 30-line Arabic receipt, %d dots   "
				    "%9.2f %12.2f %7.2fx  %-8s %s\n", o.dots,
				    med, base, med / base, "<=10ms",
				    med <= 10.0 ? "met" : "MISSED");
			printf("P6: %s at %d dots, median of %ld runs; baseline: "
			    "the same document as plain text (layout, no shaping "
			    "or pixels), alternating\n", argv[1], o.dots, runs);
			rc = 0;
		}
		free(t);
		free(tb);
	} else if (render_doc(d, f, &o, &out, &len, &cause) == 0) {
		rc = fwrite(out, 1, len, stdout) == len ? 0 : 1;
		free(out);
	}
	doc_free(d);
	render_cleanup();
	if (rc == 0)
		return 0;
fail:
	fprintf(stderr, "receipt-render: %s\n", cause != NULL ? cause : "failed");
	free(cause);
	return 1;
usage:
	fprintf(stderr, "usage: receipt-render [--bench RUNS] "
	    "text|escpos|escpos-raster|pdf|png DOTS [COLUMNS] < spec\n");
	return 2;
}
