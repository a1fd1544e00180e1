/*
 * PDF: one page per cut-separated slip, as wide as the paper roll (58 or
 * 80 mm; wider rasters get their printable width plus 5 mm each side),
 * with the printable width centred. Text stays vector text.
 */
#include <cairo-pdf.h>

#include "receipts_int.h"
#include "xalloc.h"

#define PDF_PT_PER_MM	(72.0 / 25.4)
#define PDF_PT_PER_DOT	(72.0 / 203.0)
#define PDF_MARGIN_MM	4.0

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
