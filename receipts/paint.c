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
 * Sizes: body type is render_opts.font_px (RENDER_FONT_PX), double size
 * twice that, and every line is 1.25 times its type size high whatever the
 * font's own line gap. Text wraps only at spaces and is never hyphenated;
 * a word too wide for the paper makes the type of its item smaller, and a
 * wrapped paragraph does not end with a lone word. A row's amount is
 * never wrapped or cut (paint_row() says how it makes room).
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
#define PAINT_MIN_PX	8	/* smallest type an amount shrinks to */
#define PAINT_QR_MODULE	4	/* largest dots per QR module */
/*
 * Blank modules above and below a QR code: the 4 of the standard at the
 * sides, 2 above and below, where the line pitch above and the feed below
 * add their own blank paper.
 */
#define PAINT_QR_QUIET_Y	2

static PangoFontMap	*paint_fontmap;
static PangoContext	*paint_context;

struct paint_block {
	enum doc_kind	 kind;
	int		 y;	/* top, from the top of the paint */
	int		 h;
	PangoLayout	*main;	/* TEXT, ROW text, PAIR (both, or the first) */
	int		 mx, my;
	PangoLayout	*amount; /* ROW amount, PAIR second part below */
	int		 ax, ay;
	int		 mpx, apx; /* type sizes of main and amount */
	QRcode		*qr;
	int		 qx, qscale;
};

struct paint {
	struct paint_block	*b;
	size_t			 n;
	int			 width;
	int			 height;
	int			 px;	/* body type size in dots */
	int			 line_h;
	int			 flags;
};
/* Line pitch for type of px dots: 1.25 times the size. */
static int
paint_pitch(int px)
{
	return (px * 5 + 2) / 4;
}

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

/*
 * Attributes for s: the Arabic font over Arabic-script runs, a fixed line
 * pitch for px (the Arabic font's own line height is almost twice the
 * Latin one's, which would double the paper), and no hyphens ever.
 */
static PangoAttrList *
paint_attrs(const char *s, int px)
{
	size_t			 len = strlen(s), i = 0, n, start = 0;
	PangoAttrList		*list = pango_attr_list_new();
	PangoAttribute		*a;
	uint32_t		 c;
	int			 in = 0, ar;

	pango_attr_list_insert(list, pango_attr_insert_hyphens_new(FALSE));
	pango_attr_list_insert(list, pango_attr_line_height_new_absolute(
	    paint_pitch(px) * PANGO_SCALE));
	while (i <= len) {
		n = i < len ? utf8_decode(s + i, len - i, &c) : 0;
		if (i < len && n == 0)
			n = 1, c = '?';
		if (i == len)
			ar = 0;
		else if ((c >= 0x200c && c <= 0x200f) || c == 0xa0 ||
		    (c >= 0x2066 && c <= 0x2069))	/* marks, isolates */
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

/* Byte length of the direction mark paint_layout() puts first. */
#define PAINT_MARK_LEN	3

/*
 * A layout of text at px dots, bold or not. width > 0 wraps at spaces to
 * that many dots and aligns within them (align is DOC_LEFT, DOC_CENTER or
 * DOC_RIGHT, physical); width 0 is one unwrapped line.
 */
static PangoLayout *
paint_layout(const char *text, int px, int bold, int rtl, int width,
    int align)
{
	PangoLayout		*l = pango_layout_new(paint_context);
	PangoFontDescription	*desc;
	PangoAttrList		*attrs;
	PangoAlignment		 pa;
	char			*s;

	s = xasprintf("%s%s", rtl ? "\xe2\x80\x8f" : "\xe2\x80\x8e", text);
	desc = pango_font_description_from_string(PAINT_LATIN);
	pango_font_description_set_absolute_size(desc,
	    (double)px * PANGO_SCALE);
	pango_font_description_set_weight(desc,
	    bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, desc);
	pango_font_description_free(desc);
	pango_layout_set_auto_dir(l, TRUE);
	pango_layout_set_text(l, s, -1);
	attrs = paint_attrs(s, px);
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	free(s);
	if (width > 0) {
		pango_layout_set_width(l, width * PANGO_SCALE);
		pango_layout_set_wrap(l, PANGO_WRAP_WORD);
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

/*
 * 1 if l's text was broken anywhere but at a space, or a word is wider
 * than the line: Pango breaks such a word between characters or lets it
 * run off the line, and a receipt must show neither (a broken number
 * reads as two numbers).
 */
static int
paint_broken(PangoLayout *l)
{
	const char	*s = pango_layout_get_text(l);
	PangoRectangle	 r;
	GSList		*it;
	int		 start;

	if (pango_layout_get_width(l) > 0) {
		pango_layout_get_extents(l, NULL, &r);
		if (r.x < 0 || r.x + r.width > pango_layout_get_width(l))
			return 1;
	}
	for (it = pango_layout_get_lines_readonly(l); it != NULL;
	    it = it->next) {
		start = ((PangoLayoutLine *)it->data)->start_index;
		if (start > PAINT_MARK_LEN && s[start - 1] != ' ' &&
		    s[start - 1] != '\n')
			return 1;
	}
	return 0;
}

/* 1 if the last of l's several lines holds a single word. */
static int
paint_orphan(PangoLayout *l)
{
	const char	*s = pango_layout_get_text(l);
	PangoLayoutLine	*last;
	int		 n = pango_layout_get_line_count(l), i;

	if (n < 2)
		return 0;
	last = pango_layout_get_line_readonly(l, n - 1);
	for (i = last->start_index; i < last->start_index + last->length;
	    i++) {
		if (s[i] == ' ' && i + 1 < last->start_index + last->length &&
		    s[i + 1] != ' ')
			return 0;
	}
	return 1;
}

static int
paint_width(PangoLayout *l)
{
	int	w;

	pango_layout_get_pixel_size(l, &w, NULL);
	return w;
}

static int
paint_lines(PangoLayout *l)
{
	return pango_layout_get_line_count(l);
}

/*
 * Text wrapped at spaces into width dots at px, or smaller type if a word
 * would not fit a line (never below 3/4 of px), with the last line never a
 * lone word when narrower lines can avoid it: the narrowest width with the
 * same number of lines is used. *x is the offset of the returned layout
 * within width, for its alignment; *used the type size.
 */
static PangoLayout *
paint_fit(const char *text, int px, int bold, int rtl, int width, int align,
    int *x, int *used)
{
	PangoLayout	*l, *t;
	int		 size = px, lo, hi, mid, n;

	for (;;) {
		l = paint_layout(text, size, bold, rtl, width, align);
		if (!paint_broken(l) || size <= px * 3 / 4)
			break;
		g_object_unref(l);
		size -= px / 8 > 1 ? px / 8 : 1;
	}
	*x = 0;
	*used = size;
	if (!paint_orphan(l) || paint_broken(l))
		return l;
	n = paint_lines(l);
	lo = width / 2;
	hi = width;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		t = paint_layout(text, size, bold, rtl, mid, align);
		if (paint_lines(t) == n && !paint_broken(t))
			hi = mid;
		else
			lo = mid + 1;
		g_object_unref(t);
	}
	if (hi >= width)
		return l;
	t = paint_layout(text, size, bold, rtl, hi, align);
	if (paint_orphan(t)) {
		g_object_unref(t);
		return l;
	}
	g_object_unref(l);
	if (align == DOC_CENTER)
		*x = (width - hi) / 2;
	else if (align == DOC_RIGHT)
		*x = width - hi;
	return t;
}

static int
paint_align(const struct doc_item *it, int rtl)
{
	int	align = it->flags & DOC_ALIGN_MASK;

	if (align == DOC_START)
		align = rtl ? DOC_RIGHT : DOC_LEFT;
	return align;
}

static int
paint_size(const struct paint *p, int flags)
{
	return (flags & DOC_DOUBLE) ? 2 * p->px : p->px;
}

static void
paint_text(struct paint *p, struct paint_block *b, const struct doc_item *it)
{
	int	rtl = doc_is_rtl(it->flags, it->text);

	b->main = paint_fit(it->text, paint_size(p, it->flags),
	    (it->flags & DOC_BOLD) != 0, rtl, p->width, paint_align(it, rtl),
	    &b->mx, &b->mpx);
	pango_layout_get_pixel_size(b->main, NULL, &b->h);
}

/*
 * A pair: "first - second" on one line when both fit whole, else first
 * and then second on the next line. Each part is isolated (FSI..PDI) so
 * the paragraph direction decides which comes first.
 */
static void
paint_pair(struct paint *p, struct paint_block *b, const struct doc_item *it)
{
	int		 rtl = doc_is_rtl(it->flags, it->text);
	int		 align = paint_align(it, rtl), px = paint_size(p, it->flags);
	int		 bold = (it->flags & DOC_BOLD) != 0, h;
	PangoAttrList	*attrs;
	PangoAttribute	*a;
	char		*s;

	s = xasprintf("\xe2\x81\xa8%s\xe2\x81\xa9 - \xe2\x81\xa8%s\xe2\x81\xa9",
	    it->text, it->right);
	b->main = paint_layout(s, px, 0, rtl, p->width, align);
	if (bold) {
		attrs = pango_attr_list_copy(pango_layout_get_attributes(
		    b->main));
		a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
		a->start_index = PAINT_MARK_LEN;
		a->end_index = PAINT_MARK_LEN + 3 + (guint)strlen(it->text) + 3;
		pango_attr_list_insert(attrs, a);
		pango_layout_set_attributes(b->main, attrs);
		pango_attr_list_unref(attrs);
	}
	free(s);
	b->mpx = b->apx = px;
	if (paint_lines(b->main) == 1 && !paint_broken(b->main)) {
		pango_layout_get_pixel_size(b->main, NULL, &b->h);
		return;
	}
	g_object_unref(b->main);
	b->main = paint_fit(it->text, px, bold, rtl, p->width, align, &b->mx,
	    &b->mpx);
	pango_layout_get_pixel_size(b->main, NULL, &h);
	b->amount = paint_fit(it->right, px, 0, rtl, p->width, align, &b->ax,
	    &b->apx);
	b->ay = h;
	pango_layout_get_pixel_size(b->amount, NULL, &b->h);
	b->h += h;
}

/* The amount of a row at px, and its width. */
static PangoLayout *
paint_amount(const struct doc_item *it, int px, int *w)
{
	PangoLayout	*l = paint_layout(it->right, px,
			    (it->flags & DOC_BOLD) != 0,
			    doc_is_rtl(it->flags, it->right), 0, DOC_LEFT);

	*w = paint_width(l);
	return l;
}

/* Text and amount on one line, baselines aligned; the text may wrap. */
static void
paint_beside(struct paint *p, struct paint_block *b, int rtl, int aw)
{
	int	th, ah, tb, ab, base;

	pango_layout_get_pixel_size(b->main, NULL, &th);
	pango_layout_get_pixel_size(b->amount, NULL, &ah);
	tb = pango_layout_get_baseline(b->main) / PANGO_SCALE;
	ab = pango_layout_get_baseline(b->amount) / PANGO_SCALE;
	base = tb > ab ? tb : ab;
	b->mx = rtl ? aw + PAINT_GAP : 0;
	b->my = base - tb;
	b->ax = rtl ? 0 : p->width - aw;
	b->ay = base - ab;
	b->h = b->my + th > b->ay + ah ? b->my + th : b->ay + ah;
}

/*
 * A row: the amount is always whole on one line. In order of preference:
 * text and amount on one line at the row's size, then in steps of a
 * quarter down to normal size; the text wrapped at spaces beside the
 * amount at normal size; the amount alone under the text, at the largest
 * size (down to PAINT_MIN_PX) that fits the paper.
 */
static void
paint_row(struct paint *p, struct paint_block *b, const struct doc_item *it)
{
	int	rtl = doc_is_rtl(it->flags, it->text);
	int	bold = (it->flags & DOC_BOLD) != 0, top = paint_size(p, it->flags);
	int	size, aw, tw = 0, th, fx;

	for (size = top; size >= p->px; size -= p->px / 4) {
		b->amount = paint_amount(it, size, &aw);
		tw = p->width - aw - PAINT_GAP;
		if (tw > 0) {
			b->main = paint_layout(it->text, size, bold, rtl, tw,
			    rtl ? DOC_RIGHT : DOC_LEFT);
			if (paint_lines(b->main) == 1 && !paint_broken(b->main)) {
				b->mpx = b->apx = size;
				paint_beside(p, b, rtl, aw);
				return;
			}
			g_object_unref(b->main);
			b->main = NULL;
		}
		if (size - p->px / 4 >= p->px)
			g_object_unref(b->amount);
		else
			break;
	}
	/* b->amount is at normal size here. */
	if (tw >= p->width / 3) {
		b->main = paint_fit(it->text, p->px, bold, rtl, tw,
		    rtl ? DOC_RIGHT : DOC_LEFT, &fx, &b->mpx);
		if (b->mpx == p->px && !paint_broken(b->main) &&
		    !paint_orphan(b->main)) {
			b->apx = p->px;
			paint_beside(p, b, rtl, aw);
			b->mx += fx;
			return;
		}
		g_object_unref(b->main);
		b->main = NULL;
	}
	g_object_unref(b->amount);
	/* The text on its own line(s), the amount under it. */
	for (size = top; size > p->px; size -= p->px / 4) {
		b->main = paint_layout(it->text, size, bold, rtl, p->width,
		    rtl ? DOC_RIGHT : DOC_LEFT);
		if (paint_lines(b->main) == 1 && !paint_broken(b->main))
			break;
		g_object_unref(b->main);
		b->main = NULL;
	}
	if (b->main == NULL)
		b->main = paint_fit(it->text, p->px, bold, rtl, p->width,
		    rtl ? DOC_RIGHT : DOC_LEFT, &b->mx, &b->mpx);
	else
		b->mpx = size;
	pango_layout_get_pixel_size(b->main, NULL, &th);
	for (size = top;; size -= size / 8 > 1 ? size / 8 : 1) {
		b->amount = paint_amount(it, size, &aw);
		if (aw <= p->width || size <= PAINT_MIN_PX)
			break;
		g_object_unref(b->amount);
	}
	b->apx = size;
	b->ax = rtl ? 0 : p->width - aw;
	if (b->ax < 0)
		b->ax = 0;
	b->ay = th;
	pango_layout_get_pixel_size(b->amount, NULL, &b->h);
	b->h += th;
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
	if (b->qscale > PAINT_QR_MODULE)
		b->qscale = PAINT_QR_MODULE;
	if (b->qscale < 1) {
		if (cause != NULL)
			*cause = xasprintf("QR code too large for %d dots",
			    p->width);
		return POS_FAIL;
	}
	size = (b->qr->width + 8) * b->qscale;
	b->qx = (p->width - size) / 2;
	b->h = (b->qr->width + 2 * PAINT_QR_QUIET_Y) * b->qscale;
	return POS_OK;
}

struct paint *
paint_prepare(const struct doc *d, size_t from, size_t to,
    const struct render_opts *o, int flags, char **cause)
{
	struct paint		*p;
	struct paint_block	*b;
	const struct doc_item	*it;
	size_t			 i;
	int			 ok = 0;

	if (paint_init(cause) != POS_OK)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->width = o->dots;
	p->flags = flags;
	p->px = o->font_px > 0 ? o->font_px : RENDER_FONT_PX;
	p->line_h = paint_pitch(p->px);

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
		case DOC_PAIR:
			paint_pair(p, b, it);
			break;
		case DOC_ROW:
			paint_row(p, b, it);
			break;
		case DOC_SEPARATOR:
			b->h = p->line_h * 2 / 5;
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
				    b->y + (PAINT_QR_QUIET_Y + y) * s, s, s);
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
	free(p->b);
	free(p);
}

/* The box of one of a block's layouts, at (x, y) within the paint. */
static void
paint_box(PangoLayout *l, int x, int y, int px, struct render_box *out)
{
	PangoRectangle	r;

	pango_layout_get_pixel_extents(l, NULL, &r);
	out->x = x + r.x;
	out->y = y + r.y;
	out->w = r.width;
	out->h = r.height;
	out->px = px;
	out->lines = paint_lines(l);
	out->broken = paint_broken(l);
}

size_t
paint_boxes(const struct paint *p, size_t from, struct render_box **out)
{
	const struct paint_block	*b;
	struct render_box		*r;
	size_t				 i, n = 0;

	*out = xcalloc(2 * p->n + 1, sizeof **out);
	for (i = 0; i < p->n; i++) {
		b = &p->b[i];
		if (b->main != NULL) {
			r = &(*out)[n++];
			r->item = from + i;
			r->part = RENDER_PART_TEXT;
			paint_box(b->main, b->mx, b->y + b->my, b->mpx, r);
		}
		if (b->amount != NULL) {
			r = &(*out)[n++];
			r->item = from + i;
			r->part = RENDER_PART_AMOUNT;
			paint_box(b->amount, b->ax, b->y + b->ay, b->apx, r);
		}
	}
	return n;
}
