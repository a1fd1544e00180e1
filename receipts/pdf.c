/*
 * PDF: one page per cut-separated slip, as wide as the paper roll (58 or
 * 80 mm; wider rasters get their printable width plus 5 mm each side),
 * with the printable width centred. Text stays vector text, and its text
 * layer reads in logical order (pdf_show_layout, below).
 */
#include <cairo-pdf.h>
#include <fribidi.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "receipts_int.h"
#include "xalloc.h"

#define PDF_PT_PER_MM	(72.0 / 25.4)
#define PDF_PT_PER_DOT	(72.0 / 203.0)
#define PDF_MARGIN_MM	4.0

#define PDF_RLM		0x200f	/* RIGHT-TO-LEFT MARK */

/*
 * The text layer. Poppler (pdftotext) sorts a line's characters by
 * position and then reorders them with a rule of its own, not Unicode's:
 * with a right-to-left page (more right-to-left letters than left-to-right
 * ones) it reads the line from the right, a stretch of anything but Latin
 * letters and digits reversed, then a stretch of anything but Arabic
 * letters as it stands, and so on; a left-to-right page is read from the
 * left the same way. Pango places runs by the Unicode bidi algorithm, and
 * on a line of Arabic, Latin and digits the two disagree ("Soap صابون 3x"
 * has its 3 drawn beside Soap). So the text is set a line at a time:
 * - the line's text in logical order is cut into stretches: from a Latin
 *   letter or digit (or - + . , / %, which Poppler reads with digits) to
 *   the last one before an Arabic letter, and what lies between (Arabic
 *   letters, marks, spaces, punctuation), which gets RLM at an end that
 *   is not an Arabic letter, so that neither stretch eats the other's
 *   spaces;
 * - those stretches are laid out so that Poppler's reading of them is the
 *   logical order: the between stretches reversed, all of them in reverse
 *   order on a right-to-left page;
 * - that text is shared out over the line's runs, left to right, each run
 *   drawn as one cluster, which cairo puts in an ActualText span: Poppler
 *   spreads a span's text evenly over the span's extent (from its first
 *   glyph's origin to its last glyph's end), so it reads the line's text
 *   in that order whatever glyph shows which letter;
 * - MuPDF reads the glyphs' own ToUnicode in content order, so the glyphs
 *   of a right-to-left run go out in logical order, between two glyphs
 *   without ink, the first at the run's right end and the last ending at
 *   its left end: Poppler takes that span as drawn leftwards and turns it
 *   round. A run of one glyph whose text is not its own also gets a glyph
 *   without ink first, or cairo would make that text the glyph's ToUnicode.
 * Whether the page is right-to-left is counted first, over the same text
 * (pdf_render draws each page twice, the first time only counting).
 * Glyph ids and positions are Pango's, as pango_cairo_show_layout() draws
 * them; the glyphs without ink add no pixel (cairo writes each glyph's
 * position to 1/1000 of the font size, so the order glyphs go out in can
 * move an edge pixel's shade when rendered).
 */

/* What pdf_render tells pdf_show_layout, on the surface. */
struct pdf_page {
	int	counting;	/* only count, draw nothing */
	long	lr;		/* left-to-right letters less right-to-left */
	int	rtl;		/* Poppler reads the page right to left */
};

static const cairo_user_data_key_t pdf_page_key;

/* Poppler's classes: 'L' Latin letters, 'R' Arabic, '9' digits, else 0. */
static int
pdf_class(gunichar c)
{
	FriBidiCharType	t = fribidi_get_bidi_type(c);

	if (t == FRIBIDI_TYPE_LTR)
		return 'L';
	if (t == FRIBIDI_TYPE_RTL || t == FRIBIDI_TYPE_AL || c == PDF_RLM)
		return 'R';
	if (t == FRIBIDI_TYPE_EN || t == FRIBIDI_TYPE_AN)
		return '9';
	if (c < 0x80 && (t == FRIBIDI_TYPE_ES || t == FRIBIDI_TYPE_ET ||
	    t == FRIBIDI_TYPE_CS))
		return '9';	/* Poppler reads - + . , / % with digits */
	return 0;
}

/* Add c to u (n of them, room for enough). */
#define PDF_PUT(u, n, c)	((u)[(n)++] = (c))

/*
 * The text of a line of l (start, len bytes of text) as Poppler should
 * read it, into t (*nt characters; t has room for 3 * len + 2), in the
 * order described above for a page read right to left (rtl) or not.
 */
static void
pdf_line_text(const char *text, int start, int len, int rtl, gunichar *t,
    int *nt)
{
	gunichar	*u, *o;
	int		 n = 0, no = 0, i, j, k, nseg = 0, *seg, *isb;
	const char	*p;

	u = xcalloc((size_t)len + 1, sizeof *u);
	for (p = text + start; p < text + start + len; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_type(c) != G_UNICODE_FORMAT && c != '\n')
			PDF_PUT(u, n, c);
	}
	while (n > 0 && g_unichar_isspace(u[n - 1]))
		n--;
	for (i = 0; i < n && g_unichar_isspace(u[i]); i++)
		;
	/* Stretches of the logical text, as [seg[k], seg[k + 1]). */
	o = xcalloc((size_t)(3 * n) + 2, sizeof *o);
	seg = xcalloc((size_t)(2 * n) + 2, sizeof *seg);
	isb = xcalloc((size_t)(2 * n) + 2, sizeof *isb);
	seg[0] = 0;
	while (i < n) {
		if (pdf_class(u[i]) == 'L' || pdf_class(u[i]) == '9') {
			for (j = i, k = i; j < n && pdf_class(u[j]) != 'R'; j++)
				if (pdf_class(u[j]) != 0)
					k = j;
			for (j = i; j <= k; j++)
				PDF_PUT(o, no, u[j]);
			isb[nseg] = 1;
			i = k + 1;
		} else {
			for (j = i; j < n && pdf_class(u[j]) != 'L' &&
			    pdf_class(u[j]) != '9'; j++)
				;
			if (pdf_class(u[i]) != 'R')
				PDF_PUT(o, no, PDF_RLM);
			for (k = i; k < j; k++)
				PDF_PUT(o, no, u[k]);
			if (pdf_class(u[j - 1]) != 'R')
				PDF_PUT(o, no, PDF_RLM);
			isb[nseg] = 0;
			i = j;
		}
		seg[++nseg] = no;
	}
	*nt = 0;
	for (k = 0; k < nseg; k++) {
		int s = rtl ? nseg - 1 - k : k;

		if (isb[s]) {
			for (j = seg[s]; j < seg[s + 1]; j++)
				PDF_PUT(t, *nt, o[j]);
		} else {
			for (j = seg[s + 1] - 1; j >= seg[s]; j--)
				PDF_PUT(t, *nt, o[j]);
		}
	}
	free(isb);
	free(seg);
	free(o);
	free(u);
}

/* A run of a line, and where its origin is. */
struct pdf_run {
	PangoGlyphItem	*gi;
	double		 x, y;
	int		 ng;		/* glyphs drawn */
	int		 chars;		/* characters of its own, not controls */
};

/*
 * A glyph of sf that draws nothing, into *glyph, and its advance: a mark
 * without width (RLM, LRM, ZWNJ, ZWJ) if sf has one, else a space.
 */
static int
pdf_blank(cairo_scaled_font_t *sf, unsigned long *glyph, double *adv)
{
	static const char	*try[] = { "\xe2\x80\x8f", "\xe2\x80\x8e",
				    "\xe2\x80\x8c", "\xe2\x80\x8d", " " };
	cairo_glyph_t		*g;
	cairo_text_extents_t	 e;
	size_t			 i;
	int			 ng, ok;

	for (i = 0; i < sizeof try / sizeof try[0]; i++) {
		g = NULL;
		ng = 0;
		if (cairo_scaled_font_text_to_glyphs(sf, 0, 0, try[i], -1, &g,
		    &ng, NULL, NULL, NULL) != CAIRO_STATUS_SUCCESS)
			continue;
		ok = ng == 1 && g[0].index != 0;
		if (ok) {
			cairo_scaled_font_glyph_extents(sf, g, 1, &e);
			ok = e.width == 0 && e.height == 0;
			*glyph = g[0].index;
			*adv = e.x_advance;
		}
		cairo_glyph_free(g);
		if (ok)
			return 1;
	}
	return 0;
}

/* Whether s is the text of run r, less its controls. */
static int
pdf_own_text(const struct pdf_run *r, const char *text, const char *s)
{
	const char	*p, *end = text + r->gi->item->offset +
			    r->gi->item->length;

	for (p = text + r->gi->item->offset; p < end;
	    p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_type(c) == G_UNICODE_FORMAT)
			continue;
		if (*s == '\0' || g_utf8_get_char(s) != c)
			return 0;
		s = g_utf8_next_char(s);
	}
	return *s == '\0';
}

/* Draw the glyphs of r as one cluster with the text t (n characters). */
static void
pdf_show_run(cairo_t *cr, const struct pdf_run *r, const char *text,
    const gunichar *t, int n)
{
	PangoGlyphString	*gs = r->gi->glyphs;
	cairo_glyph_t		*g;
	cairo_text_cluster_t	 c;
	cairo_scaled_font_t	*sf;
	unsigned long		 blank;
	double			 adv;
	char			*s;
	int			 i, ng = 0, pen = 0;

	for (i = 0; i < gs->num_glyphs; i++) {
		if (gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG) {
			/* Pango draws a hex box: let it. */
			cairo_move_to(cr, r->x, r->y);
			pango_cairo_show_glyph_item(cr, text, r->gi);
			return;
		}
	}
	g = xcalloc((size_t)gs->num_glyphs + 3, sizeof *g);
	for (i = 0; i < gs->num_glyphs; i++) {
		const PangoGlyphInfo *pg = &gs->glyphs[i];

		if (pg->glyph != PANGO_GLYPH_EMPTY) {
			g[ng].index = pg->glyph;
			g[ng].x = r->x + (double)(pen + pg->geometry.x_offset) /
			    PANGO_SCALE;
			g[ng].y = r->y + (double)pg->geometry.y_offset /
			    PANGO_SCALE;
			ng++;
		}
		pen += pg->geometry.width;
	}
	s = g_ucs4_to_utf8(t, n, NULL, NULL, NULL);
	c.num_bytes = s != NULL ? (int)strlen(s) : 0;
	sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(
	    r->gi->item->analysis.font));
	if ((r->gi->item->analysis.level & 1) && ng > 0 &&
	    pdf_blank(sf, &blank, &adv)) {
		/*
		 * Right to left: the glyphs in logical order, as MuPDF reads
		 * their own text, between a glyph without ink starting at
		 * the run's right end and one ending at its left end. Poppler
		 * takes an ActualText span's extent from its first glyph's
		 * origin to its last glyph's end: that is the run, read
		 * leftwards, which Poppler turns round.
		 */
		for (i = 0; i < ng / 2; i++) {
			cairo_glyph_t tmp = g[i];

			g[i] = g[ng - 1 - i];
			g[ng - 1 - i] = tmp;
		}
		memmove(g + 1, g, (size_t)ng * sizeof *g);
		g[0].index = g[ng + 1].index = blank;
		g[0].x = r->x + (double)pen / PANGO_SCALE;
		g[ng + 1].x = r->x - adv;
		g[0].y = g[ng + 1].y = r->y;
		ng += 2;
	} else if (ng == 1 && c.num_bytes > 0 && !pdf_own_text(r, text, s) &&
	    pdf_blank(sf, &blank, &adv)) {
		/*
		 * One glyph with another text: cairo would make that text
		 * the glyph's ToUnicode. A glyph without ink before it, at
		 * its origin, makes it an ActualText span.
		 */
		g[1] = g[0];
		g[0].index = blank;
		ng = 2;
	}
	c.num_glyphs = ng;
	if (ng > 0) {
		cairo_set_scaled_font(cr, sf);
		cairo_show_text_glyphs(cr, s != NULL ? s : "", c.num_bytes, g,
		    ng, &c, 1, 0);
	}
	g_free(s);
	free(g);
}

/* The text of one line (its runs r[0..n) left to right), drawn or counted. */
static void
pdf_show_line(cairo_t *cr, struct pdf_page *pg, PangoLayoutLine *line,
    const char *text, const struct pdf_run *r, int n)
{
	gunichar	*t;
	int		 nt, i, at = 0, take, last = -1;

	t = xcalloc((size_t)(3 * line->length) + 2, sizeof *t);
	pdf_line_text(text, line->start_index, line->length,
	    pg != NULL ? pg->rtl : 1, t, &nt);
	if (pg != NULL && pg->counting) {
		for (i = 0; i < nt; i++) {
			if (pdf_class(t[i]) == 'L')
				pg->lr++;
			else if (pdf_class(t[i]) == 'R')
				pg->lr--;
		}
		free(t);
		return;
	}
	for (i = 0; i < n; i++)
		if (r[i].ng > 0)
			last = i;
	for (i = 0; i < n; i++) {
		if (r[i].ng == 0)
			take = 0;
		else if (i == last)
			take = nt - at;
		else
			take = MIN(r[i].chars, nt - at);
		pdf_show_run(cr, &r[i], text, t + at, take);
		at += take;
	}
	free(t);
}

/*
 * Draw layout l at the current point of cr (a PDF surface) exactly as
 * pango_cairo_show_layout() does, with the text layer described above.
 */
void
pdf_show_layout(cairo_t *cr, PangoLayout *l)
{
	struct pdf_page	*pg = cairo_surface_get_user_data(cairo_get_target(cr),
			    &pdf_page_key);
	PangoLayoutIter	*it;
	PangoLayoutLine	*line;
	PangoRectangle	 e;
	struct pdf_run	*r;
	const char	*text = pango_layout_get_text(l), *p;
	double		 x0, y0;
	int		 n, i, size = 8;

	cairo_get_current_point(cr, &x0, &y0);
	r = xcalloc((size_t)size, sizeof *r);
	it = pango_layout_get_iter(l);
	do {
		line = pango_layout_iter_get_line_readonly(it);
		n = 0;
		do {
			PangoGlyphItem *gi = pango_layout_iter_get_run_readonly(
			    it);

			if (gi == NULL)
				break;	/* the end of the line */
			if (n == size) {
				size *= 2;
				r = xreallocarray(r, (size_t)size, sizeof *r);
			}
			pango_layout_iter_get_run_extents(it, NULL, &e);
			r[n].gi = gi;
			r[n].x = x0 + (double)e.x / PANGO_SCALE;
			r[n].y = y0 + (double)pango_layout_iter_get_baseline(it) /
			    PANGO_SCALE;
			r[n].ng = r[n].chars = 0;
			for (i = 0; i < gi->glyphs->num_glyphs; i++)
				if (gi->glyphs->glyphs[i].glyph !=
				    PANGO_GLYPH_EMPTY)
					r[n].ng++;
			for (p = text + gi->item->offset;
			    p < text + gi->item->offset + gi->item->length;
			    p = g_utf8_next_char(p))
				if (g_unichar_type(g_utf8_get_char(p)) !=
				    G_UNICODE_FORMAT)
					r[n].chars++;
			n++;
		} while (pango_layout_iter_next_run(it));
		pdf_show_line(cr, pg, line, text, r, n);
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	free(r);
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
	struct pdf_page	 page = { 0, 0, 1 };
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
	cairo_surface_set_user_data(s, &pdf_page_key, &page, NULL);
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
		/* Count first (drawn into a group, dropped), then draw. */
		page.counting = 1;
		page.lr = 0;
		cairo_push_group(cr);
		paint_draw(p, cr);
		cairo_pattern_destroy(cairo_pop_group(cr));
		page.counting = 0;
		page.rtl = page.lr < 0;
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
