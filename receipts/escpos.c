/*
 * ESC/POS text mode. Items whose characters are all printable ASCII are
 * sent as text with ESC a / ESC E / GS ! emitted only when they change
 * (a few characters with an exact ASCII stand-in count as ASCII: the
 * multiplication sign prints as x, a no-break space as a space, and bidi
 * marks and isolates, which change nothing in an ASCII line, are left out);
 * anything else (Arabic above all: printers neither shape nor reorder, and
 * code page numbers differ per vendor) goes as a GS v 0 image of the item.
 */
#include <string.h>

#include "layout.h"
#include "receipts_int.h"
#include "xalloc.h"

#define ESCPOS_QR_MODULE	6	/* dots per QR module, GS ( k fn 167 */
#define ESCPOS_QR_MAX		2953	/* bytes in a version 40-L symbol */

/* GS ! n by layout_line size. */
static const int	escpos_size[] = {
	[LAYOUT_NORMAL] = 0x00, [LAYOUT_TALL] = 0x01, [LAYOUT_DOUBLE] = 0x11,
};

struct escpos_state {
	int	align;	/* ESC a n */
	int	bold;	/* ESC E n */
	int	size;	/* GS ! n */
};

/* Non-ASCII characters with an ASCII stand-in ("" to leave out). */
static const struct {
	const char	*utf8;
	const char	*ascii;
} escpos_subst[] = {
	{ "\xc3\x97", "x" },		/* U+00D7 multiplication sign */
	{ "\xc2\xa0", " " },		/* U+00A0 no-break space */
	{ "\xe2\x80\x8e", "" },		/* LRM */
	{ "\xe2\x80\x8f", "" },		/* RLM */
	{ "\xe2\x81\xa6", "" },		/* LRI */
	{ "\xe2\x81\xa7", "" },		/* RLI */
	{ "\xe2\x81\xa8", "" },		/* FSI */
	{ "\xe2\x81\xa9", "" },		/* PDI */
};

/* The stand-in for the character at s, or NULL; *len its UTF-8 length. */
static const char *
escpos_stand_in(const char *s, size_t *len)
{
	size_t	i;

	for (i = 0; i < sizeof escpos_subst / sizeof escpos_subst[0]; i++) {
		*len = strlen(escpos_subst[i].utf8);
		if (strncmp(s, escpos_subst[i].utf8, *len) == 0)
			return escpos_subst[i].ascii;
	}
	return NULL;
}

static int
escpos_ascii(const char *s)
{
	size_t	n;

	while (s != NULL && *s != '\0') {
		if ((unsigned char)*s >= 0x20 && (unsigned char)*s <= 0x7e)
			s++;
		else if (escpos_stand_in(s, &n) != NULL)
			s += n;
		else
			return 0;
	}
	return 1;
}

/* Text that escpos_ascii() accepted, with the stand-ins put in. */
static void
escpos_text(struct buf *b, const char *s)
{
	const char	*in;
	size_t		 n;

	while (*s != '\0') {
		if ((in = escpos_stand_in(s, &n)) != NULL) {
			buf_adds(b, in);
			s += n;
		} else
			buf_addc(b, *s++);
	}
}

static void
escpos_style(struct buf *b, struct escpos_state *st, int align, int bold,
    int size)
{
	static const int	an[] = { 0, 0, 1, 2 };	/* by DOC_ align */

	if (st->align != an[align & DOC_ALIGN_MASK]) {
		st->align = an[align & DOC_ALIGN_MASK];
		buf_add(b, "\x1b\x61", 2);
		buf_addc(b, st->align);
	}
	if (st->bold != bold) {
		st->bold = bold;
		buf_add(b, "\x1b\x45", 2);
		buf_addc(b, bold);
	}
	if (st->size != size) {
		st->size = size;
		buf_add(b, "\x1d\x21", 2);
		buf_addc(b, size);
	}
}

/* GS ( k: model 2, module size, error correction M, store, print. */
static int
escpos_qr(struct buf *b, const char *payload, char **cause)
{
	size_t	len = strlen(payload);

	if (len == 0 || len > ESCPOS_QR_MAX) {
		if (cause != NULL)
			*cause = xasprintf("QR payload of %zu bytes (1..%d)",
			    len, ESCPOS_QR_MAX);
		return POS_FAIL;
	}
	buf_add(b, "\x1d\x28\x6b\x04\x00\x31\x41\x32\x00", 9);
	buf_add(b, "\x1d\x28\x6b\x03\x00\x31\x43", 7);
	buf_addc(b, ESCPOS_QR_MODULE);
	buf_add(b, "\x1d\x28\x6b\x03\x00\x31\x45\x31", 8);
	buf_add(b, "\x1d\x28\x6b", 3);
	buf_addc(b, (int)((len + 3) & 0xff));
	buf_addc(b, (int)((len + 3) >> 8));
	buf_add(b, "\x31\x50\x30", 3);
	buf_add(b, payload, len);
	buf_add(b, "\x1d\x28\x6b\x03\x00\x31\x51\x30", 8);
	return POS_OK;
}

static int	escpos_items(const struct doc *, const struct render_opts *,
		    struct escpos_state *, struct buf *, char **);

/*
 * A pair of which only one part is ASCII: each part as an item of its
 * own, so the ASCII one stays text.
 */
static int
escpos_split_pair(const struct doc_item *it, const struct render_opts *o,
    struct escpos_state *st, struct buf *b, char **cause)
{
	struct doc	*t = doc_new();
	int		 rc;

	doc_text(t, it->flags, it->text);
	doc_text(t, it->flags & ~DOC_BOLD, it->right);
	rc = escpos_items(t, o, st, b, cause);
	doc_free(t);
	return rc;
}

static int
escpos_items(const struct doc *d, const struct render_opts *o,
    struct escpos_state *st, struct buf *b, char **cause)
{
	struct layout			*l;
	const struct layout_line	*ln;
	const struct doc_item		*it;
	struct render_bitmap		*bm;
	size_t				 i, j = 0, n = doc_count(d);
	int				 rc = POS_FAIL, raster;

	l = layout_doc(d, 0, n, o->columns, LAYOUT_HALVE_DOUBLE);
	for (i = 0; i < n; i++) {
		it = doc_item(d, i);
		raster = 0;
		if (it->kind == DOC_PAIR &&
		    escpos_ascii(it->text) != escpos_ascii(it->right)) {
			if (escpos_split_pair(it, o, st, b, cause) != POS_OK)
				goto out;
			while (j < l->n && l->lines[j].item == it)
				j++;
			continue;
		}
		if (it->kind == DOC_TEXT || it->kind == DOC_ROW ||
		    it->kind == DOC_PAIR)
			raster = !escpos_ascii(it->text) ||
			    !escpos_ascii(it->right);
		else if (it->kind == DOC_QR)
			raster = (o->flags & RENDER_RASTER_QR) != 0;
		if (raster) {
			escpos_style(b, st, DOC_LEFT, st->bold, st->size);
			if (raster_bitmap(d, i, i + 1, o, 0, &bm, cause) != POS_OK)
				goto out;
			raster_escpos(b, bm);
			render_bitmap_free(bm);
		}
		switch (it->kind) {
		case DOC_TEXT:
		case DOC_ROW:
		case DOC_PAIR:
		case DOC_SEPARATOR:
			for (; j < l->n && l->lines[j].item == it; j++) {
				ln = &l->lines[j];
				if (raster)
					continue;
				escpos_style(b, st, ln->align,
				    (it->flags & DOC_BOLD) ? 1 : 0,
				    escpos_size[ln->size]);
				escpos_text(b, ln->text);
				buf_addc(b, '\n');
			}
			break;
		case DOC_QR:
			if (!raster) {
				escpos_style(b, st, DOC_CENTER, 0, 0);
				if (escpos_qr(b, it->text, cause) != POS_OK)
					goto out;
			}
			break;
		case DOC_FEED:
			if (it->n > 0) {
				buf_add(b, "\x1b\x64", 2);
				buf_addc(b, it->n);
			}
			break;
		case DOC_CUT:
			buf_add(b, "\x1d\x56\x42\x00", 4);
			break;
		}
		while (j < l->n && l->lines[j].item == it)
			j++;
	}
	rc = POS_OK;
out:
	layout_free(l);
	return rc;
}

int
escpos_render(const struct doc *d, const struct render_opts *o,
    struct buf *b, char **cause)
{
	struct escpos_state	st = { 0, 0, 0 };	/* after ESC @ */

	buf_add(b, "\x1b\x40", 2);
	return escpos_items(d, o, &st, b, cause);
}
