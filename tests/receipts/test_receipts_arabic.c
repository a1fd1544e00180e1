/*
 * Arabic on the raster path: ink where it belongs, right-to-left order,
 * joined letters, and a pixel comparison with a reviewed reference image.
 *
 * The reference ref/arabic_576.png was written once with
 *   RECEIPTS_WRITE_REF=1 ./test_receipts_arabic
 * and reviewed by eye (opened as an image, not just diffed) before it was
 * committed: every line right-aligned; each word's letters joined in their
 * initial/medial/final forms (the ي and ت of زيت, the لـ of بلدي, the
 * ligature لا); words in right-to-left order (زيت first, at the right
 * edge); "250g" kept left-to-right as one run inside the Arabic line and
 * the amount "12,500 ل.س." at the left edge of the mirrored row.
 * Regenerate it only for a deliberate change in fonts or layout, and review
 * it again the same way. Fonts are chosen by name (DejaVu Sans, Noto Sans
 * Arabic) with hinting off, so the image does not depend on local
 * fontconfig settings; the tolerance absorbs antialiasing differences of
 * other cairo/pixman builds, not different glyphs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <png.h>

#include "document.h"
#include "render.h"

#define REF_PATH	RECEIPTS_REF_DIR "/arabic_576.png"
/* Differing dots allowed, per thousand of the image. */
#define REF_TOLERANCE	5

static struct doc *
reference_doc(void)
{
	struct doc	*d = doc_new();

	doc_text(d, DOC_START | DOC_BOLD, "زيت زيتون بلدي");
	doc_text(d, DOC_START, "المنتج: أم محمد — جمعية سيدات دمشق");
	doc_row(d, 0, "صابون غار حلبي (عائلة الحلبي)", "12,500 ل.س.");
	doc_text(d, DOC_START, "خبز تنور 250g لا يحتوي على سكر");
	return d;
}

static struct render_bitmap *
bitmap(const struct doc *d, int dots)
{
	struct render_opts	 o = { dots, 0, 0, 0 };
	struct render_bitmap	*bm;
	char			*cause = NULL;

	if (render_bitmap(d, &o, &bm, &cause) != 0)
		fail_msg("render: %s", cause);
	return bm;
}

/* Bounding box of ink: x0 x1 inclusive; returns the number of ink dots. */
static long
ink(const struct render_bitmap *bm, int *x0, int *x1)
{
	long	n = 0;
	int	x, y;

	*x0 = bm->width;
	*x1 = -1;
	for (y = 0; y < bm->height; y++) {
		for (x = 0; x < bm->width; x++) {
			if (render_bitmap_get(bm, x, y)) {
				n++;
				if (x < *x0)
					*x0 = x;
				if (x > *x1)
					*x1 = x;
			}
		}
	}
	return n;
}

static struct render_bitmap *
line(const char *text, int flags, int dots)
{
	struct doc		*d = doc_new();
	struct render_bitmap	*bm;

	doc_text(d, flags, text);
	bm = bitmap(d, dots);
	doc_free(d);
	return bm;
}

static void
arabic_line_starts_at_right_edge(void **state)
{
	static const int	 dots[] = { RENDER_DOTS_58MM, RENDER_DOTS_80MM };
	struct render_bitmap	*bm;
	size_t			 i;
	int			 x0, x1;

	(void)state;
	for (i = 0; i < 2; i++) {
		bm = line("زيت زيتون بلدي - أم محمد", DOC_START, dots[i]);
		assert_true(ink(bm, &x0, &x1) > 500);
		assert_true(x1 >= dots[i] - 6);		/* at the right */
		assert_true(x0 > dots[i] / 4);		/* not from the left */
		render_bitmap_free(bm);

		/* The same with a Latin first word: it is an LTR paragraph. */
		bm = line("Olive oil زيت زيتون", DOC_START, dots[i]);
		ink(bm, &x0, &x1);
		assert_true(x0 <= 6);
		assert_true(x1 < dots[i] * 2 / 3);
		render_bitmap_free(bm);
	}
}

/* Dots of ink in column x. */
static int
column(const struct render_bitmap *bm, int x)
{
	int	y, n = 0;

	for (y = 0; y < bm->height; y++)
		n += render_bitmap_get(bm, x, y);
	return n;
}

static void
mixed_line_keeps_arabic_first_at_the_right(void **state)
{
	struct render_bitmap	*word, *mixed, *latin;
	int			 wx0, wx1, mx0, mx1, lx0, lx1, x, diff = 0;

	(void)state;
	/* An RTL paragraph begins at the right: خبز is the rightmost ink,
	 * and 250g ends up at the left end, read left to right. */
	word = line("خبز", DOC_START, RENDER_DOTS_80MM);
	mixed = line("خبز 250g", DOC_START, RENDER_DOTS_80MM);
	latin = line("250g", DOC_RIGHT | DOC_RTL, RENDER_DOTS_80MM);
	ink(word, &wx0, &wx1);
	ink(mixed, &mx0, &mx1);
	ink(latin, &lx0, &lx1);
	assert_int_equal(mx1, wx1);
	for (x = wx0; x <= wx1; x++)
		diff += abs(column(word, x) - column(mixed, x));
	assert_true(diff <= 4);
	/* The leftmost ink of the line is the 2 of 250g. */
	assert_true(mx0 < wx0 - (lx1 - lx0));
	render_bitmap_free(word);
	render_bitmap_free(mixed);
	render_bitmap_free(latin);
}

/* 8-connected pieces of ink (a dotless joined word is one piece). */
static int
pieces(const struct render_bitmap *bm)
{
	size_t	 n = (size_t)bm->width * (size_t)bm->height, top;
	char	*seen = calloc(n, 1);
	int	*stack = malloc(n * sizeof *stack);
	int	 count = 0, x, y, p, dx, dy, nx, ny;

	assert_non_null(seen);
	assert_non_null(stack);
	for (y = 0; y < bm->height; y++) {
		for (x = 0; x < bm->width; x++) {
			if (!render_bitmap_get(bm, x, y) ||
			    seen[(size_t)y * (size_t)bm->width + (size_t)x])
				continue;
			count++;
			top = 0;
			stack[top++] = y * bm->width + x;
			seen[(size_t)y * (size_t)bm->width + (size_t)x] = 1;
			while (top > 0) {
				p = stack[--top];
				for (dy = -1; dy <= 1; dy++) {
					for (dx = -1; dx <= 1; dx++) {
						nx = p % bm->width + dx;
						ny = p / bm->width + dy;
						if (!render_bitmap_get(bm, nx, ny) ||
						    seen[ny * bm->width + nx])
							continue;
						seen[ny * bm->width + nx] = 1;
						stack[top++] = ny * bm->width + nx;
					}
				}
			}
		}
	}
	free(seen);
	free(stack);
	return count;
}

static void
letters_are_joined_not_isolated(void **state)
{
	/* محمد (no dots) shaped, and the same letters kept apart by ZWNJ
	 * (U+200C), which forces their isolated forms: what an unshaped
	 * renderer, or a printer's code page, would print. Joined, the word
	 * is one piece of ink; isolated, four. */
	struct render_bitmap	*joined, *apart;
	int			 jx0, jx1, ax0, ax1, y, differ = 0;

	(void)state;
	joined = line("محمد", DOC_CENTER, RENDER_DOTS_80MM);
	apart = line("م\u200cح\u200cم\u200cد", DOC_CENTER, RENDER_DOTS_80MM);
	ink(joined, &jx0, &jx1);
	ink(apart, &ax0, &ax1);
	assert_true(jx1 - jx0 > 20);
	assert_int_equal(pieces(joined), 1);
	assert_int_equal(pieces(apart), 4);
	assert_int_equal(joined->height, apart->height);
	for (y = 0; y < joined->height * joined->stride; y++)
		differ += joined->bits[y] != apart->bits[y];
	assert_true(differ > 20);
	render_bitmap_free(joined);
	render_bitmap_free(apart);
}

static void
write_png(const struct render_bitmap *bm, const char *path)
{
	struct render_opts	 o = { bm->width, 0, 0, 0 };
	struct doc		*d = reference_doc();
	unsigned char		*out;
	size_t			 len;
	char			*cause = NULL;
	FILE			*f;

	assert_int_equal(render_doc(d, RENDER_PNG, &o, &out, &len, &cause), 0);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(out, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(out);
	doc_free(d);
}

static void
matches_reviewed_reference(void **state)
{
	struct doc		*d = reference_doc();
	struct render_bitmap	*bm = bitmap(d, RENDER_DOTS_80MM);
	png_image		 img;
	unsigned char		*ref;
	long			 differ = 0, total;
	int			 x, y;

	(void)state;
	if (getenv("RECEIPTS_WRITE_REF") != NULL) {
		write_png(bm, REF_PATH);
		fprintf(stderr, "wrote %s: review it before committing\n",
		    REF_PATH);
	}
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, REF_PATH))
		fail_msg("%s: %s", REF_PATH, img.message);
	img.format = PNG_FORMAT_GRAY;
	assert_int_equal((int)img.width, bm->width);
	assert_int_equal((int)img.height, bm->height);
	ref = malloc(PNG_IMAGE_SIZE(img));
	assert_non_null(ref);
	assert_true(png_image_finish_read(&img, NULL, ref, 0, NULL));
	for (y = 0; y < bm->height; y++) {
		for (x = 0; x < bm->width; x++)
			differ += render_bitmap_get(bm, x, y) !=
			    (ref[(size_t)y * img.width + (size_t)x] < 128);
	}
	total = (long)bm->width * bm->height;
	if (differ * 1000 > total * REF_TOLERANCE)
		fail_msg("%ld of %ld dots differ from %s", differ, total,
		    REF_PATH);
	free(ref);
	render_bitmap_free(bm);
	doc_free(d);
}

static int
teardown(void **state)
{
	(void)state;
	render_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arabic_line_starts_at_right_edge),
		cmocka_unit_test(mixed_line_keeps_arabic_first_at_the_right),
		cmocka_unit_test(letters_are_joined_not_isolated),
		cmocka_unit_test(matches_reviewed_reference),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
