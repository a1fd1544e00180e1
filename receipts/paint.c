/*
 * Items laid out in dots with Pango, then drawn on any cairo surface (an A8
 * image for raster output, a PDF page). Pango shapes with HarfBuzz and
 * orders with FriBidi; we only choose fonts, sizes and positions.
 *
 * Direction: every paragraph is prefixed with LRM or RLM as doc_is_rtl()
 * decides, so Pango's base direction is always ours. Pango (auto-dir) swaps
 * LEFT and RIGHT alignment for RTL paragraphs, so we pass the swapped value
 * to get the physical alignment asked for. A row in an RTL paragraph is
 * mirrored: text at the right, amount at the left.
 *
 * Fonts: DejaVu Sans for everything, with a family attribute selecting
 * Noto Sans Arabic over Arabic-script runs. Both are named explicitly and
 * checked at start-up, so output does not depend on fontconfig's fallback
 * order. Hinting is off and antialiasing grey, whatever the system's
 * fontconfig settings say.
 */
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "receipts_int.h"
#include "utf8.h"
#include "xalloc.h"

#define PAINT_LATIN	"DejaVu Sans"
#define PAINT_ARABIC	"Noto Sans Arabic"
#define PAINT_GAP	12	/* dots between a row's text and amount */
#define PAINT_MAX_H	60000	/* tallest image we agree to draw */

static PangoFontMap	*paint_fontmap;
static PangoContext	*paint_context;

struct paint_block {
	enum doc_kind	 kind;
	int		 y;	/* top, from the top of the paint */
	int		 h;
	PangoLayout	*main;	/* TEXT, ROW text */
	int		 mx, my;
	PangoLayout	*amount; /* ROW */
	int		 ax, ay;
	QRcode		*qr;
	int		 qx, qscale;
};

struct paint {
	struct paint_block	*b;
	size_t			 n;
	int			 width;
	int			 height;
	int			 line_h;
	int			 flags;
	PangoFontDescription	*desc[4];	/* by bold | double << 1 */
};

/* The family name Pango resolves for family, or NULL. Caller frees. */
static char *
paint_resolve(const char *family)
{
	PangoFontDescription	*d = pango_font_description_from_string(family);
	PangoFontDescription	*got;
	PangoFont		*f;
	char			*name = NULL;

	f = pango_font_map_load_font(paint_fontmap, paint_context, d);
	if (f != NULL) {
		got = pango_font_describe(f);
		name = xstrdup(pango_font_description_get_family(got));
		pango_font_description_free(got);
		g_object_unref(f);
	}
	pango_font_description_free(d);
	return name;
}

static int
paint_init(char **cause)
{
	static const char	*need[] = { PAINT_LATIN, PAINT_ARABIC };
	cairo_font_options_t	*fo;
	size_t			 i;
	char			*got;

	if (paint_context != NULL)
		return POS_OK;
	paint_fontmap = pango_cairo_font_map_new();
	paint_context = pango_font_map_create_context(paint_fontmap);
	fo = cairo_font_options_create();
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(paint_context, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_language(paint_context,
	    pango_language_from_string("en"));
	pango_context_set_base_dir(paint_context, PANGO_DIRECTION_LTR);

	for (i = 0; i < sizeof need / sizeof need[0]; i++) {
		got = paint_resolve(need[i]);
		if (got == NULL || g_ascii_strcasecmp(got, need[i]) != 0) {
			if (cause != NULL)
				*cause = xasprintf("font \"%s\" is not "
				    "installed (Debian: fonts-dejavu-core, "
				    "fonts-noto-core)", need[i]);
			free(got);
			paint_cleanup();
			return POS_FAIL;
		}
		free(got);
	}
	return POS_OK;
}

void
paint_cleanup(void)
{
	if (paint_context != NULL)
		g_object_unref(paint_context);
	if (paint_fontmap != NULL)
		g_object_unref(paint_fontmap);
	paint_context = NULL;
	paint_fontmap = NULL;
}

static int
paint_is_arabic(uint32_t c)
{
	return (c >= 0x0600 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) ||
	    (c >= 0x0870 && c <= 0x08ff) || (c >= 0xfb50 && c <= 0xfdff) ||
	    (c >= 0xfe70 && c <= 0xfeff);
}

/* Family attributes selecting the Arabic font over Arabic-script runs. */
static PangoAttrList *
paint_attrs(const char *s)
{
	size_t			 len = strlen(s), i = 0, n, start = 0;
	PangoAttrList		*list = pango_attr_list_new();
	PangoAttribute		*a;
	uint32_t		 c;
	int			 in = 0, ar;

	while (i <= len) {
		n = i < len ? utf8_decode(s + i, len - i, &c) : 0;
		if (i < len && n == 0)
			n = 1, c = '?';
		if (i == len)
			ar = 0;
		else if (c >= 0x200c && c <= 0x200f)	/* ZWNJ ZWJ LRM RLM */
			ar = in;
		else
			ar = paint_is_arabic(c);
		if (ar && !in)
			start = i;
		else if (!ar && in) {
			a = pango_attr_family_new(PAINT_ARABIC);
			a->start_index = (guint)start;
			a->end_index = (guint)i;
			pango_attr_list_insert(list, a);
		}
		in = ar;
		if (i == len)
			break;
		i += n;
	}
	return list;
}

/*
 * A layout of text in the item's style. width > 0 wraps to that many dots
 * and aligns within them (align is DOC_LEFT, DOC_CENTER or DOC_RIGHT,
 * physical); width 0 is one unwrapped line.
 */
static PangoLayout *
paint_layout(struct paint *p, const char *text, int flags, int rtl,
    int width, int align)
{
	PangoLayout	*l = pango_layout_new(paint_context);
	PangoAttrList	*attrs;
	PangoAlignment	 pa;
	char		*s;
	int		 style = ((flags & DOC_BOLD) ? 1 : 0) |
			    ((flags & DOC_DOUBLE) ? 2 : 0);

	s = xasprintf("%s%s", rtl ? "\xe2\x80\x8f" : "\xe2\x80\x8e", text);
	pango_layout_set_font_description(l, p->desc[style]);
	pango_layout_set_auto_dir(l, TRUE);
	pango_layout_set_text(l, s, -1);
	attrs = paint_attrs(s);
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	free(s);
	if (width > 0) {
		pango_layout_set_width(l, width * PANGO_SCALE);
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	if (align == DOC_CENTER)
		pa = PANGO_ALIGN_CENTER;
	else if ((align == DOC_RIGHT) != (rtl != 0))
		pa = PANGO_ALIGN_RIGHT;
	else
		pa = PANGO_ALIGN_LEFT;
	pango_layout_set_alignment(l, pa);
	return l;
}

static void
paint_text(struct paint *p, struct paint_block *b, const struct doc_item *it)
{
	int	rtl = doc_is_rtl(it->flags, it->text);
	int	align = it->flags & DOC_ALIGN_MASK;

	if (align == DOC_START)
		align = rtl ? DOC_RIGHT : DOC_LEFT;
	b->main = paint_layout(p, it->text, it->flags, rtl, p->width, align);
	pango_layout_get_pixel_size(b->main, NULL, &b->h);
}

static void
paint_row(struct paint *p, struct paint_block *b, const struct doc_item *it)
{
	int	rtl = doc_is_rtl(it->flags, it->text);
	int	aw, ah, tw, th, tb, ab, base;

	b->amount = paint_layout(p, it->right, it->flags,
	    doc_is_rtl(it->flags, it->right), 0, DOC_LEFT);
	pango_layout_get_pixel_size(b->amount, &aw, &ah);
	tw = p->width - aw - PAINT_GAP;
	if (tw < p->width / 4) {
		/* No room beside the amount: text above, amount below. */
		b->main = paint_layout(p, it->text, it->flags, rtl, p->width,
		    rtl ? DOC_RIGHT : DOC_LEFT);
		pango_layout_get_pixel_size(b->main, NULL, &th);
		b->ax = rtl ? 0 : p->width - aw;
		b->ay = th;
		b->h = th + ah;
		return;
	}
	b->main = paint_layout(p, it->text, it->flags, rtl, tw,
	    rtl ? DOC_RIGHT : DOC_LEFT);
	pango_layout_get_pixel_size(b->main, NULL, &th);
	tb = pango_layout_get_baseline(b->main) / PANGO_SCALE;
	ab = pango_layout_get_baseline(b->amount) / PANGO_SCALE;
	base = tb > ab ? tb : ab;
	b->mx = rtl ? aw + PAINT_GAP : 0;
	b->my = base - tb;
	b->ax = rtl ? 0 : p->width - aw;
	b->ay = base - ab;
	b->h = b->my + th > b->ay + ah ? b->my + th : b->ay + ah;
}

static int
paint_qr(struct paint *p, struct paint_block *b, const struct doc_item *it,
    char **cause)
{
	int	size;

	b->qr = QRcode_encodeString(it->text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (b->qr == NULL) {
		if (cause != NULL)
			*cause = xasprintf("cannot encode QR code (%zu bytes)",
			    strlen(it->text));
		return POS_FAIL;
	}
	b->qscale = (p->width * 2 / 3) / (b->qr->width + 8);
	if (b->qscale > 6)
		b->qscale = 6;
	if (b->qscale < 1) {
		if (cause != NULL)
			*cause = xasprintf("QR code too large for %d dots",
			    p->width);
		return POS_FAIL;
	}
	size = (b->qr->width + 8) * b->qscale;
	b->qx = (p->width - size) / 2;
	b->h = size;
	return POS_OK;
}

struct paint *
paint_prepare(const struct doc *d, size_t from, size_t to,
    const struct render_opts *o, int flags, char **cause)
{
	struct paint		*p;
	struct paint_block	*b;
	const struct doc_item	*it;
	PangoLayout		*probe;
	size_t			 i;
	int			 k, ok = 0;
	int			 px = o->font_px > 0 ? o->font_px : 22;

	if (paint_init(cause) != POS_OK)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->width = o->dots;
	p->flags = flags;
	for (k = 0; k < 4; k++) {
		p->desc[k] = pango_font_description_from_string(PAINT_LATIN);
		pango_font_description_set_absolute_size(p->desc[k],
		    (double)((k & 2) ? 2 * px : px) * PANGO_SCALE);
		pango_font_description_set_weight(p->desc[k],
		    (k & 1) ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	}
	probe = paint_layout(p, "Ag", 0, 0, 0, DOC_LEFT);
	pango_layout_get_pixel_size(probe, NULL, &p->line_h);
	g_object_unref(probe);

	if (to > doc_count(d))
		to = doc_count(d);
	p->b = xcalloc(to > from ? to - from : 1, sizeof *p->b);
	for (i = from; i < to; i++) {
		it = doc_item(d, i);
		b = &p->b[p->n++];
		b->kind = it->kind;
		b->y = p->height;
		switch (it->kind) {
		case DOC_TEXT:
			paint_text(p, b, it);
			break;
		case DOC_ROW:
			paint_row(p, b, it);
			break;
		case DOC_SEPARATOR:
			b->h = p->line_h / 2;
			break;
		case DOC_QR:
			if (paint_qr(p, b, it, cause) != POS_OK)
				goto out;
			break;
		case DOC_FEED:
			b->h = it->n * p->line_h;
			break;
		case DOC_CUT:
			b->h = (flags & PAINT_CUT_LINES) ? p->line_h : 0;
			break;
		}
		p->height += b->h;
		if (p->height > PAINT_MAX_H) {
			if (cause != NULL)
				*cause = xasprintf("receipt taller than %d dots",
				    PAINT_MAX_H);
			goto out;
		}
	}
	ok = 1;
out:
	if (!ok) {
		paint_free(p);
		p = NULL;
	}
	return p;
}

int
paint_height(const struct paint *p)
{
	return p->height;
}

static void
paint_draw_qr(const struct paint_block *b, cairo_t *cr)
{
	int	x, y, s = b->qscale, w = b->qr->width;

	for (y = 0; y < w; y++) {
		for (x = 0; x < w; x++) {
			if (b->qr->data[y * w + x] & 1)
				cairo_rectangle(cr, b->qx + (4 + x) * s,
				    b->y + (4 + y) * s, s, s);
		}
	}
	cairo_fill(cr);
}

/* A layout at the current point; on PDF with a text layer we set. */
static void
paint_show(cairo_t *cr, PangoLayout *l)
{
	if (cairo_surface_get_type(cairo_get_target(cr)) ==
	    CAIRO_SURFACE_TYPE_PDF)
		pdf_show_layout(cr, l);
	else
		pango_cairo_show_layout(cr, l);
}

/* Draw in black on cr, whose user space is in dots, origin top left. */
void
paint_draw(const struct paint *p, cairo_t *cr)
{
	const struct paint_block	*b;
	static const double		 dash[] = { 8.0, 6.0 };
	size_t				 i;
	double				 mid;

	cairo_set_source_rgba(cr, 0, 0, 0, 1);
	for (i = 0; i < p->n; i++) {
		b = &p->b[i];
		if (b->main != NULL) {
			cairo_move_to(cr, b->mx, b->y + b->my);
			paint_show(cr, b->main);
		}
		if (b->amount != NULL) {
			cairo_move_to(cr, b->ax, b->y + b->ay);
			paint_show(cr, b->amount);
		}
		if (b->qr != NULL)
			paint_draw_qr(b, cr);
		if (b->kind == DOC_SEPARATOR) {
			cairo_rectangle(cr, 0, b->y + b->h / 2 - 1, p->width, 2);
			cairo_fill(cr);
		}
		if (b->kind == DOC_CUT && b->h > 0) {
			mid = b->y + b->h / 2;
			cairo_save(cr);
			cairo_set_line_width(cr, 2);
			cairo_set_dash(cr, dash, 2, 0);
			cairo_move_to(cr, 0, mid);
			cairo_line_to(cr, p->width, mid);
			cairo_stroke(cr);
			cairo_restore(cr);
		}
	}
}

void
paint_free(struct paint *p)
{
	size_t	i;
	int	k;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		if (p->b[i].main != NULL)
			g_object_unref(p->b[i].main);
		if (p->b[i].amount != NULL)
			g_object_unref(p->b[i].amount);
		if (p->b[i].qr != NULL)
			QRcode_free(p->b[i].qr);
	}
	for (k = 0; k < 4; k++)
		pango_font_description_free(p->desc[k]);
	free(p->b);
	free(p);
}
