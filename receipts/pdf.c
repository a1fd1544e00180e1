/*
 * PDF: one page per cut-separated slip, as wide as the paper roll (58 or
 * 80 mm; wider rasters get their printable width plus 5 mm each side),
 * with the printable width centred. Text stays vector text, and its text
 * layer reads in logical order (pdf_show_layout, below).
 */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "receipts_int.h"
#include "xalloc.h"

#define PDF_PT_PER_MM	(72.0 / 25.4)
#define PDF_PT_PER_DOT	(72.0 / 203.0)
#define PDF_MARGIN_MM	4.0

#define PDF_RLM		"\xe2\x80\x8f"	/* U+200F RIGHT-TO-LEFT MARK */

/*
 * The text layer. Poppler (pdftotext) sorts the characters it reads by
 * position and reverses right-to-left stretches; MuPDF reads each glyph's
 * ToUnicode in content order. Taking Pango's clusters as they are, a
 * cluster of several characters (the lam-alef ligature, a letter and its
 * marks) reads reversed in Poppler, and a space between an Arabic and a
 * Latin word lands on the Latin word's far side. So, in a right-to-left run:
 * - a cluster of several characters (a letter and its marks count as one)
 *   carries them in visual order; cairo puts them in an ActualText span
 *   (the glyph's own ToUnicode is its presentation form, which MuPDF
 *   reads), and Poppler's reversal puts them back in logical order;
 * - a space carries RLM SPACE RLM, so that it stays inside the
 *   right-to-left stretch;
 * - glyphs go out cluster by cluster in logical order, as Pango has them.
 * Glyph ids and positions are Pango's: pdftoppm and mutool render the page
 * as pango_cairo_show_layout() does (at 203 dpi pixel for pixel).
 */

/* Append the text of one cluster of a run, as described above. */
static void
pdf_cluster_text(struct buf *t, const char *s, size_t len, int rtl)
{
	const char	*q;

	if (rtl && len == 1 && *s == ' ') {
		buf_add(t, PDF_RLM " " PDF_RLM, strlen(PDF_RLM " " PDF_RLM));
		return;
	}
	if (!rtl || g_utf8_strlen(s, (gssize)len) < 2) {
		buf_add(t, s, len);
		return;
	}
	for (q = s + len; q > s; ) {
		const char *p = g_utf8_prev_char(q);

		buf_add(t, p, (size_t)(q - p));
		q = p;
	}
}

/* Whether s (len bytes) is nothing but combining marks. */
static int
pdf_all_marks(const char *s, size_t len)
{
	const char	*p;

	for (p = s; p < s + len; p = g_utf8_next_char(p)) {
		if (!g_unichar_ismark(g_utf8_get_char(p)))
			return 0;
	}
	return 1;
}

/*
 * The glyphs of run gi with its origin at x, y, cluster by cluster in
 * logical order, into g (OUT: *ng glyphs) and c (glyph counts); the text
 * of cluster j is text[from[j], to[j]). In a right-to-left run, the text
 * of a cluster of marks alone goes to its base letter's cluster and the
 * marks' glyphs carry none: Poppler then reads the letter and its marks
 * from the letter's box, in order, instead of putting the mark first.
 * Returns the number of clusters.
 */
static int
pdf_run_clusters(PangoGlyphItem *gi, const char *text, double x, double y,
    cairo_glyph_t *g, int *ng, cairo_text_cluster_t *c, int *from, int *to)
{
	PangoGlyphString	*gs = gi->glyphs;
	PangoGlyphItemIter	 ci;
	int			 rtl = gi->item->analysis.level & 1;
	int			*pen, k, i, nc = 0, base = -1;
	int			 step = rtl ? -1 : 1;
	gboolean		 more;

	*ng = 0;
	pen = xcalloc((size_t)gs->num_glyphs + 1, sizeof *pen);
	for (i = 1; i <= gs->num_glyphs; i++)
		pen[i] = pen[i - 1] + gs->glyphs[i - 1].geometry.width;
	for (more = pango_glyph_item_iter_init_start(&ci, gi, text); more;
	    more = pango_glyph_item_iter_next_cluster(&ci)) {
		for (k = ci.start_glyph; k != ci.end_glyph; k += step) {
			const PangoGlyphInfo *pg = &gs->glyphs[k];

			if (pg->glyph == PANGO_GLYPH_EMPTY)
				continue;
			g[*ng].index = pg->glyph;
			g[*ng].x = x + (double)(pen[k] + pg->geometry.x_offset) /
			    PANGO_SCALE;
			g[*ng].y = y + (double)pg->geometry.y_offset /
			    PANGO_SCALE;
			c[nc].num_glyphs++;
			(*ng)++;
		}
		if (c[nc].num_glyphs == 0)
			continue;	/* LRM, RLM, ZWJ: nothing drawn */
		if (rtl && base >= 0 && to[base] == ci.start_index &&
		    pdf_all_marks(text + ci.start_index,
		    (size_t)(ci.end_index - ci.start_index))) {
			to[base] = ci.end_index;
			from[nc] = to[nc] = 0;	/* drawn, no text */
			nc++;
			continue;
		}
		base = nc;
		from[nc] = ci.start_index;
		to[nc++] = ci.end_index;
	}
	free(pen);
	return nc;
}

/* Draw one run of glyphs with its baseline origin at x, y. */
static void
pdf_show_run(cairo_t *cr, PangoGlyphItem *gi, const char *text, double x,
    double y)
{
	PangoGlyphString	*gs = gi->glyphs;
	cairo_glyph_t		*g;
	cairo_text_cluster_t	*c;
	struct buf		 t = { NULL, 0, 0 };
	int			*from, *to, i, ng, nc;
	size_t			 before;

	for (i = 0; i < gs->num_glyphs; i++) {
		if (gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG) {
			/* Pango draws a hex box: let it. */
			cairo_move_to(cr, x, y);
			pango_cairo_show_glyph_item(cr, text, gi);
			return;
		}
	}
	g = xcalloc((size_t)gs->num_glyphs + 1, sizeof *g);
	c = xcalloc((size_t)gs->num_glyphs + 1, sizeof *c);
	from = xcalloc((size_t)gs->num_glyphs + 1, sizeof *from);
	to = xcalloc((size_t)gs->num_glyphs + 1, sizeof *to);
	nc = pdf_run_clusters(gi, text, x, y, g, &ng, c, from, to);
	for (i = 0; i < nc; i++) {
		before = t.len;
		pdf_cluster_text(&t, text + from[i], (size_t)(to[i] - from[i]),
		    gi->item->analysis.level & 1);
		c[i].num_bytes = (int)(t.len - before);
	}
	if (ng > 0) {
		cairo_set_scaled_font(cr, pango_cairo_font_get_scaled_font(
		    PANGO_CAIRO_FONT(gi->item->analysis.font)));
		cairo_show_text_glyphs(cr, (const char *)t.data, (int)t.len,
		    g, ng, c, nc, 0);
	}
	free(t.data);
	free(to);
	free(from);
	free(c);
	free(g);
}

/*
 * Draw layout l at the current point of cr (a PDF surface) exactly as
 * pango_cairo_show_layout() does, with the text layer described above.
 */
void
pdf_show_layout(cairo_t *cr, PangoLayout *l)
{
	PangoLayoutIter	*it;
	PangoLayoutRun	*run;
	PangoRectangle	 r;
	const char	*text = pango_layout_get_text(l);
	double		 x0, y0;

	cairo_get_current_point(cr, &x0, &y0);
	it = pango_layout_get_iter(l);
	do {
		run = pango_layout_iter_get_run_readonly(it);
		if (run == NULL)
			continue;	/* the end of a line */
		pango_layout_iter_get_run_extents(it, NULL, &r);
		pdf_show_run(cr, run, text, x0 + (double)r.x / PANGO_SCALE,
		    y0 + (double)pango_layout_iter_get_baseline(it) /
		    PANGO_SCALE);
	} while (pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
}

static cairo_status_t
pdf_write(void *closure, const unsigned char *data, unsigned int len)
{
	buf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

int
pdf_render(const struct doc *d, const struct render_opts *o, struct buf *b,
    char **cause)
{
	cairo_surface_t	*s;
	cairo_t		*cr = NULL;
	struct paint	*p;
	size_t		 i, start = 0, n = doc_count(d);
	double		 roll_mm, w, h, content;
	int		 pages = 0, rc = POS_FAIL;

	if (o->dots <= RENDER_DOTS_58MM)
		roll_mm = 58.0;
	else if (o->dots <= RENDER_DOTS_80MM)
		roll_mm = 80.0;
	else
		roll_mm = o->dots * 25.4 / 203.0 + 10.0;
	w = roll_mm * PDF_PT_PER_MM;
	content = o->dots * PDF_PT_PER_DOT;
	s = cairo_pdf_surface_create_for_stream(pdf_write, b, w, w);
	for (i = 0; i <= n; i++) {
		if (i < n && doc_item(d, i)->kind != DOC_CUT)
			continue;
		p = paint_prepare(d, start, i, o, 0, cause);
		if (p == NULL)
			goto out;
		start = i + 1;
		if (paint_height(p) == 0 && (i < n || pages > 0)) {
			paint_free(p);
			continue;
		}
		h = paint_height(p) * PDF_PT_PER_DOT +
		    2 * PDF_MARGIN_MM * PDF_PT_PER_MM;
		cairo_pdf_surface_set_size(s, w, h);
		if (cr == NULL)
			cr = cairo_create(s);
		cairo_save(cr);
		cairo_translate(cr, (w - content) / 2,
		    PDF_MARGIN_MM * PDF_PT_PER_MM);
		cairo_scale(cr, PDF_PT_PER_DOT, PDF_PT_PER_DOT);
		paint_draw(p, cr);
		cairo_restore(cr);
		cairo_show_page(cr);
		paint_free(p);
		pages++;
	}
	rc = POS_OK;
out:
	if (cr != NULL)
		cairo_destroy(cr);
	cairo_surface_finish(s);
	if (rc == POS_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		if (cause != NULL)
			*cause = xasprintf("cairo pdf: %s",
			    cairo_status_to_string(cairo_surface_status(s)));
		rc = POS_FAIL;
	}
	cairo_surface_destroy(s);
	return rc;
}
