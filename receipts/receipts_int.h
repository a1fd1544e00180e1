/*
 * Private interfaces shared by the files of receipts/. Not installed, not
 * used outside this directory. A function here that takes a cause returns
 * POS_OK, or POS_FAIL with *cause set if cause is not NULL (caller frees),
 * as render.h's entry points do.
 */
#ifndef POS_RECEIPTS_INT_H
#define POS_RECEIPTS_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cause.h"
#include "document.h"
#include "render.h"

/* paint.c: items measured and laid out in dots, drawable on any cairo_t. */
struct paint;
#define PAINT_CUT_LINES	0x1	/* draw cuts as a dashed line */
struct paint	*paint_prepare(const struct doc *, size_t from, size_t to,
		     const struct render_opts *, int flags, char **cause);
int		 paint_height(const struct paint *);
void		 paint_draw(const struct paint *, cairo_t *);
void		 paint_free(struct paint *);
/* Boxes of the painted text, items numbered from `from`; caller frees. */
size_t		 paint_boxes(const struct paint *, size_t from,
		     struct render_box **);
void		 paint_cleanup(void);

/* raster.c: 1-bit bitmaps and their ESC/POS encoding. */
int	 raster_bitmap(const struct doc *, size_t from, size_t to,
	     const struct render_opts *, int paint_flags,
	     struct render_bitmap **, char **cause);
void	 raster_ink_row(const unsigned char *ink, unsigned char *bits,
	     int stride);
void	 raster_escpos(struct buf *, const struct render_bitmap *);
int	 raster_render(const struct doc *, const struct render_opts *,
	     struct buf *, char **cause);

/* The other renderers. */
void	 plain_render(const struct doc *, const struct render_opts *,
	     struct buf *);
int	 escpos_render(const struct doc *, const struct render_opts *,
	     struct buf *, char **cause);
/* pdf.c: a layout drawn as Pango would, with a text layer in logical order. */
void	 pdf_show_layout(cairo_t *, PangoLayout *);
int	 pdf_render(const struct doc *, const struct render_opts *,
	     struct buf *, char **cause);
int	 pngfile_encode(const struct render_bitmap *, struct buf *, char **cause);

#endif
