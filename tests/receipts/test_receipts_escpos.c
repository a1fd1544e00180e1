/*
 * ESC/POS output: exact bytes for a small Latin document, native QR, the
 * raster fallback for non-ASCII items, and GS v 0 headers and banding for
 * 384 and 576 dot printers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "document.h"
#include "render.h"

static unsigned char *
render(const struct doc *d, enum render_format f, int dots, size_t *len)
{
	struct render_opts	 o = { dots, 0, 0, 0 };
	unsigned char		*out;
	char			*cause = NULL;

	if (render_doc(d, f, &o, &out, len, &cause) != 0)
		fail_msg("render: %s", cause);
	return out;
}

static void
latin_document_bytes(void **state)
{
	static const unsigned char want[] =
	    "\x1b\x40"				/* ESC @ */
	    "\x1b\x61\x01" "\x1b\x45\x01"	/* centre, bold */
	    "SHOP\n"
	    "\x1b\x61\x00" "\x1b\x45\x00" "\x1d\x21\x11"	/* double */
	    "BIG\n"
	    "\x1d\x21\x00"
	    "Tea                        1,000\n"	/* 32 columns */
	    "--------------------------------\n"
	    "\x1b\x61\x02" "Thanks\n"
	    "\x1b\x64\x02"			/* ESC d 2 */
	    "\x1d\x56\x42\x00";			/* GS V B 0 */
	struct doc		*d = doc_new();
	unsigned char		*got;
	size_t			 len;

	(void)state;
	doc_text(d, DOC_CENTER | DOC_BOLD, "SHOP");
	doc_text(d, DOC_DOUBLE, "BIG");
	doc_row(d, 0, "Tea", "1,000");
	doc_separator(d);
	doc_text(d, DOC_RIGHT, "Thanks");
	doc_feed(d, 2);
	doc_cut(d);
	got = render(d, RENDER_ESCPOS, RENDER_DOTS_58MM, &len);
	assert_int_equal(len, sizeof want - 1);
	assert_memory_equal(got, want, len);
	free(got);
	doc_free(d);
}

static void
native_qr_bytes(void **state)
{
	static const unsigned char want[] =
	    "\x1b\x40" "\x1b\x61\x01"
	    "\x1d\x28\x6b\x04\x00\x31\x41\x32\x00"	/* model 2 */
	    "\x1d\x28\x6b\x03\x00\x31\x43\x06"		/* module 6 dots */
	    "\x1d\x28\x6b\x03\x00\x31\x45\x31"		/* EC level M */
	    "\x1d\x28\x6b\x06\x00\x31\x50\x30" "R42"	/* store */
	    "\x1d\x28\x6b\x03\x00\x31\x51\x30";	/* print */
	struct doc	*d = doc_new();
	unsigned char	*got;
	size_t		 len;

	(void)state;
	doc_qr(d, "R42");
	got = render(d, RENDER_ESCPOS, RENDER_DOTS_80MM, &len);
	assert_int_equal(len, sizeof want - 1);
	assert_memory_equal(got, want, len);
	free(got);
	doc_free(d);
}

/* Parse GS v 0 images at p; returns rows, checks each band's width. */
static int
gsv0_rows(const unsigned char *p, size_t len, size_t *used, int stride)
{
	size_t	off = 0, k;
	int	rows = 0, h;

	while (off + 8 <= len && memcmp(p + off, "\x1d\x76\x30\x00", 4) == 0) {
		assert_int_equal(p[off + 4], stride & 0xff);
		assert_int_equal(p[off + 5], stride >> 8);
		h = p[off + 6] | p[off + 7] << 8;
		assert_true(h > 0 && h <= 256);
		k = (size_t)h * (size_t)stride;
		assert_true(off + 8 + k <= len);
		off += 8 + k;
		rows += h;
	}
	*used = off;
	return rows;
}

static void
check_raster(int dots)
{
	struct render_opts	 o = { dots, 0, 0, 0 };
	struct render_bitmap	*bm;
	struct doc		*d = doc_new();
	unsigned char		*got;
	size_t			 len, used, off;
	int			 i, rows, y;
	char			*cause = NULL;

	for (i = 0; i < 12; i++)
		doc_row(d, 0, "زيت زيتون بلدي", "4,500");
	doc_qr(d, "R1042");
	got = render(d, RENDER_ESCPOS_RASTER, dots, &len);
	assert_memory_equal(got, "\x1b\x40", 2);
	/* GS v 0 m=0 xL xH: bytes per row, dots / 8 (48 or 72, xH 0). */
	assert_memory_equal(got + 2, "\x1d\x76\x30\x00", 4);
	assert_int_equal(got[6], dots / 8);
	assert_int_equal(got[7], 0);
	/* Tall enough for a second band: yL yH of the first is 256. */
	assert_int_equal(got[8], 0x00);
	assert_int_equal(got[9], 0x01);
	rows = gsv0_rows(got + 2, len - 2, &used, dots / 8);
	assert_int_equal(2 + used, len);	/* nothing else, no cut */

	/* The image is the bitmap render_bitmap() gives, row by row. */
	assert_int_equal(render_bitmap(d, &o, &bm, &cause), 0);
	assert_int_equal(rows, bm->height);
	off = 2;
	for (y = 0; y < rows; y++) {
		if (y % 256 == 0)
			off += 8;
		assert_memory_equal(got + off, bm->bits + (size_t)y *
		    (size_t)bm->stride, (size_t)bm->stride);
		off += (size_t)bm->stride;
	}
	render_bitmap_free(bm);
	free(got);
	doc_free(d);
}

static void
raster_header_384_dots(void **state)
{
	(void)state;
	check_raster(RENDER_DOTS_58MM);
}

static void
raster_header_576_dots(void **state)
{
	(void)state;
	check_raster(RENDER_DOTS_80MM);
}

static void
raster_slips_end_with_cut(void **state)
{
	struct doc	*d = doc_new();
	unsigned char	*got;
	size_t		 len, used, off = 2;

	(void)state;
	doc_text(d, 0, "one");
	doc_cut(d);
	doc_text(d, 0, "two");
	doc_cut(d);
	got = render(d, RENDER_ESCPOS_RASTER, RENDER_DOTS_58MM, &len);
	assert_true(gsv0_rows(got + off, len - off, &used, 48) > 0);
	off += used;
	assert_memory_equal(got + off, "\x1d\x56\x42\x00", 4);
	off += 4;
	assert_true(gsv0_rows(got + off, len - off, &used, 48) > 0);
	off += used;
	assert_memory_equal(got + off, "\x1d\x56\x42\x00", 4);
	assert_int_equal(off + 4, len);
	free(got);
	doc_free(d);
}

static void
arabic_item_goes_as_raster_in_text_mode(void **state)
{
	struct doc	*d = doc_new();
	unsigned char	*got;
	size_t		 len, used, i;

	(void)state;
	doc_text(d, 0, "Tea");
	doc_row(d, DOC_BOLD, "شاي أخضر", "1,000");
	doc_text(d, 0, "End");
	got = render(d, RENDER_ESCPOS, RENDER_DOTS_80MM, &len);
	assert_memory_equal(got, "\x1b\x40" "Tea\n", 6);
	assert_memory_equal(got + 6, "\x1d\x76\x30\x00", 4);
	assert_true(gsv0_rows(got + 6, len - 6, &used, 72) > 20);
	assert_memory_equal(got + 6 + used, "End\n", 4);
	assert_int_equal(6 + used + 4, len);
	/* No Arabic UTF-8 went out as text. */
	for (i = 0; i < 6; i++)
		assert_true(got[i] < 0x80);
	free(got);
	doc_free(d);
}

static void
bad_options_are_errors(void **state)
{
	struct render_opts	 o = { 100, 0, 0, 0 };	/* not a multiple of 8 */
	struct doc		*d = doc_new();
	unsigned char		*out;
	size_t			 len;
	char			*cause = NULL;

	(void)state;
	assert_int_equal(render_doc(d, RENDER_ESCPOS, &o, &out, &len, &cause),
	    POS_FAIL);
	assert_non_null(strstr(cause, "100 dots"));
	free(cause);
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
		cmocka_unit_test(latin_document_bytes),
		cmocka_unit_test(native_qr_bytes),
		cmocka_unit_test(raster_header_384_dots),
		cmocka_unit_test(raster_header_576_dots),
		cmocka_unit_test(raster_slips_end_with_cut),
		cmocka_unit_test(arabic_item_goes_as_raster_in_text_mode),
		cmocka_unit_test(bad_options_are_errors),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
