/*
 * 1-bit raster images of painted items, and their ESC/POS encoding as
 * GS v 0 images in bands. The bitmap type's own functions
 * (render_bitmap_free, render_bitmap_get; render.h) are here, with the
 * code that makes bitmaps, so that the renderers which use bitmaps need
 * raster.c and not render.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "receipts_int.h"
#include "xalloc.h"

/* Rows per GS v 0 command; small enough for cheap printers' buffers. */
#define RASTER_BAND	256
/* Grey level (of 255) from which an antialiased dot is printed. */
#define RASTER_THRESHOLD	112

void
render_bitmap_free(struct render_bitmap *bm)
{
	if (bm == NULL)
		return;
	free(bm->bits);
	free(bm);
}

int
render_bitmap_get(const struct render_bitmap *bm, int x, int y)
{
	if (x < 0 || y < 0 || x >= bm->width || y >= bm->height)
		return 0;
	return (bm->bits[(size_t)y * (size_t)bm->stride + (size_t)(x >> 3)] >>
	    (7 - (x & 7))) & 1;
}

/*
 * One row of ink (A8: 0 paper, 255 full ink) to bits; width is stride * 8
 * dots. The one threshold for every raster this project prints: the POS's
 * renderer and the printer application's pages both come through here.
 */
void
raster_ink_row(const unsigned char *grey, unsigned char *bits, int stride)
{
	uint64_t	eight;
	int		i, k;
	unsigned	byte;

	for (i = 0; i < stride; i++, grey += 8) {
		memcpy(&eight, grey, 8);
		if (eight == 0)		/* blank paper, the common case */
			continue;
		byte = 0;
		for (k = 0; k < 8; k++)
			byte |= (unsigned)(grey[k] >= RASTER_THRESHOLD) <<
			    (7 - k);
		bits[i] = (unsigned char)byte;
	}
}

int
raster_bitmap(const struct doc *d, size_t from, size_t to,
    const struct render_opts *o, int paint_flags, struct render_bitmap **out,
    char **cause)
{
	struct paint		*p;
	struct render_bitmap	*bm;
	cairo_surface_t		*s;
	cairo_t			*cr;
	unsigned char		*a8;
	int			 y, stride;

	*out = NULL;
	p = paint_prepare(d, from, to, o, paint_flags, cause);
	if (p == NULL)
		return POS_FAIL;
	bm = xcalloc(1, sizeof *bm);
	bm->width = o->dots;
	bm->stride = o->dots / 8;
	bm->height = paint_height(p);
	bm->bits = xcalloc((size_t)bm->stride * (size_t)bm->height + 1, 1);
	if (bm->height > 0) {
		s = cairo_image_surface_create(CAIRO_FORMAT_A8, bm->width,
		    bm->height);
		if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
			if (cause != NULL)
				*cause = xasprintf("cairo: %s",
				    cairo_status_to_string(
				    cairo_surface_status(s)));
			cairo_surface_destroy(s);
			paint_free(p);
			render_bitmap_free(bm);
			return POS_FAIL;
		}
		cr = cairo_create(s);
		paint_draw(p, cr);
		cairo_destroy(cr);
		cairo_surface_flush(s);
		a8 = cairo_image_surface_get_data(s);
		stride = cairo_image_surface_get_stride(s);
		for (y = 0; y < bm->height; y++)
			raster_ink_row(a8 + (size_t)y * (size_t)stride,
			    bm->bits + (size_t)y * (size_t)bm->stride,
			    bm->stride);
		cairo_surface_destroy(s);
	}
	paint_free(p);
	*out = bm;
	return POS_OK;
}

/* GS v 0 m xL xH yL yH d1...dk, in bands of RASTER_BAND rows. */
void
raster_escpos(struct buf *b, const struct render_bitmap *bm)
{
	int	y, h;

	for (y = 0; y < bm->height; y += h) {
		h = bm->height - y < RASTER_BAND ? bm->height - y : RASTER_BAND;
		buf_add(b, "\x1d\x76\x30\x00", 4);
		buf_addc(b, bm->stride & 0xff);
		buf_addc(b, (bm->stride >> 8) & 0xff);
		buf_addc(b, h & 0xff);
		buf_addc(b, (h >> 8) & 0xff);
		buf_add(b, bm->bits + (size_t)y * (size_t)bm->stride,
		    (size_t)h * (size_t)bm->stride);
	}
}

/* The escpos-raster renderer: ESC @, then per slip an image and a cut. */
int
raster_render(const struct doc *d, const struct render_opts *o,
    struct buf *b, char **cause)
{
	struct render_bitmap	*bm;
	size_t			 i, start = 0, n = doc_count(d);

	buf_add(b, "\x1b\x40", 2);
	for (i = 0; i <= n; i++) {
		if (i < n && doc_item(d, i)->kind != DOC_CUT)
			continue;
		if (raster_bitmap(d, start, i, o, 0, &bm, cause) != POS_OK)
			return POS_FAIL;
		raster_escpos(b, bm);
		render_bitmap_free(bm);
		if (i < n)
			buf_add(b, "\x1d\x56\x42\x00", 4);	/* GS V B 0 */
		start = i + 1;
	}
	return POS_OK;
}
