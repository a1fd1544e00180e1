/*
 * Renderers: a document to the bytes a printer (or a person) gets.
 *
 *   text           plain UTF-8 in logical order, laid out to columns; no
 *                  control codes. Bidi display is left to the viewer.
 *   escpos         ESC/POS text mode (ESC @, ESC a, ESC E, GS !, GS ( k QR,
 *                  GS V cut). Items whose text is not all printable ASCII
 *                  go as a GS v 0 raster image of that item.
 *   escpos-raster  the whole receipt as 1-bit GS v 0 images in bands, QR
 *                  drawn in; one image per cut-separated slip, then GS V.
 *   pdf            one page per slip, the width of the paper roll.
 *   png            the raster as an 8-bit grey PNG, for people and tests.
 *
 * Raster and PDF text goes through Pango (HarfBuzz shaping, FriBidi order)
 * with fonts chosen by family name: DejaVu Sans, and Noto Sans Arabic for
 * Arabic-script runs. The font map and context are built once per process
 * and reused (render_cleanup() frees them). Rendering is serialised by a
 * mutex, so it is safe but not parallel across threads.
 */
#ifndef POS_RECEIPTS_RENDER_H
#define POS_RECEIPTS_RENDER_H

#include <stddef.h>

#include "cause.h"
#include "document.h"

enum render_format {
	RENDER_TEXT,
	RENDER_ESCPOS,
	RENDER_ESCPOS_RASTER,
	RENDER_PDF,
	RENDER_PNG,
};

/* Dots across the printable width at 203 dpi. */
#define RENDER_DOTS_58MM	384
#define RENDER_DOTS_80MM	576

/*
 * Body type size in dots: 24 dots (3 mm at 203 dpi, the height of ESC/POS
 * font A) is the smallest we print body text at. Lines are 1.25 times the
 * type size apart.
 */
#define RENDER_FONT_PX		24

/* render_opts flags. */
#define RENDER_RASTER_QR	0x1	/* escpos: draw QR as raster, not GS ( k */

struct render_opts {
	int	dots;		/* raster width; a multiple of 8, 64..2048 */
	int	columns;	/* text columns; 0: dots / 12 (ESC/POS font A) */
	int	font_px;	/* raster body text size; 0: RENDER_FONT_PX */
	int	flags;
};

/* Parse "text", "escpos", "escpos-raster", "pdf", "png"; POS_FAIL if unknown. */
int		 render_format_parse(const char *name, enum render_format *);
/* The MIME type to print it with (CUPS_FORMAT_RAW for ESC/POS). */
const char	*render_format_mime(enum render_format);

/*
 * Render d. On success returns POS_OK and *out (caller frees) holds *outlen
 * bytes; on failure returns POS_FAIL and, if cause is not NULL, *cause holds a
 * message (caller frees).
 */
int	 render_doc(const struct doc *d, enum render_format,
	     const struct render_opts *, unsigned char **out, size_t *outlen,
	     char **cause);

/* A 1-bit image: bit 7 of byte 0 is the top left dot; 1 is ink. */
struct render_bitmap {
	int		 width;
	int		 height;
	int		 stride;	/* bytes per row, width / 8 */
	unsigned char	*bits;
};

/*
 * The whole document as one bitmap (cuts drawn as a dashed line): POS_OK
 * and *out (free with render_bitmap_free), or POS_FAIL and *cause as
 * render_doc.
 */
int	 render_bitmap(const struct doc *d, const struct render_opts *,
	     struct render_bitmap **out, char **cause);
void	 render_bitmap_free(struct render_bitmap *);
int	 render_bitmap_get(const struct render_bitmap *, int x, int y);

/*
 * Where the raster and PDF renderers put each piece of text: one box per
 * text, row text, row amount, pair part. For tests and figures: a check
 * that an amount is whole (one line, inside the paper) reads it here.
 */
#define RENDER_PART_TEXT	0	/* text, a row's text, a pair's first */
#define RENDER_PART_AMOUNT	1	/* a row's amount, a pair's second part */
struct render_box {
	size_t	item;		/* index of the document item */
	int	part;
	int	x, y, w, h;	/* logical rectangle in dots */
	int	px;		/* type size in dots */
	int	lines;		/* lines of text in the box */
	int	broken;		/* 1 if a word was broken or runs off its line */
};

/*
 * POS_OK with *out (caller frees with free()) holding *n boxes and
 * *height the paper length in dots (as render_bitmap), or POS_FAIL and
 * *cause as render_doc.
 */
int	 render_boxes(const struct doc *d, const struct render_opts *,
	     struct render_box **out, size_t *n, int *height, char **cause);

/* Free the cached fonts and Pango context (for leak checkers; optional). */
void	 render_cleanup(void);

#endif
