/*
 * Character-column layout: greedy word wrap over code points, widths from
 * utf8_width_cp() (utf8proc's).
 */
#include "layout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "receipts_int.h"
#include "utf8.h"
#include "xalloc.h"

/* Smallest left column worth keeping beside an amount. */
#define LAYOUT_MIN_LEFT	6

int
layout_width(const char *text)
{
	return (int)utf8_width(text, strlen(text));
}

static struct layout_line *
layout_add(struct layout *l, const struct doc_item *it, int align,
    const char *text, size_t len, int columns)
{
	struct layout_line	*ln;
	size_t			 cap = l->n;

	/* Grow in powers of two: the capacity is implied by n. */
	if (cap == 0 || (cap & (cap - 1)) == 0)
		l->lines = xreallocarray(l->lines, cap == 0 ? 1 : cap * 2,
		    sizeof *l->lines);
	ln = &l->lines[l->n++];
	ln->item = it;
	ln->first = l->n == 1 || l->lines[l->n - 2].item != it;
	ln->align = align;
	ln->text = xstrndup(text, len);
	ln->width = layout_width(ln->text);
	ln->columns = columns;
	return ln;
}

/* A growing line being filled by the wrapper. */
struct layout_acc {
	struct buf	 b;
	int		 width;
};

static void
layout_acc_put(struct layout_acc *a, const char *s, size_t n, int w)
{
	buf_add(&a->b, s, n);
	a->width += w;
}

static void
layout_acc_flush(struct layout *l, struct layout_acc *a,
    const struct doc_item *it, int align, int columns)
{
	layout_add(l, it, align, buf_str(&a->b), a->b.len, columns);
	a->b.len = 0;
	a->width = 0;
}

/*
 * Wrap text to width columns, adding lines to l. Returns the number of
 * lines added (at least one, which may be empty).
 */
static size_t
layout_wrap(struct layout *l, const struct doc_item *it, int align,
    const char *text, int width, int columns)
{
	const unsigned char	*p = (const unsigned char *)text;
	size_t			 len = strlen(text), i = 0, start, j, n;
	size_t			 before = l->n;
	struct layout_acc	 a = { { NULL, 0, 0 }, 0 };
	uint32_t		 cp;
	int			 ww, cw;

	if (width < 1)
		width = 1;
	while (i < len) {
		while (i < len && p[i] == ' ')
			i++;
		if (i == len)
			break;
		start = i;
		ww = 0;
		while (i < len && p[i] != ' ') {
			n = utf8_decode(text + i, len - i, &cp);
			if (n == 0)
				n = 1, cp = '?';
			ww += utf8_width_cp(cp);
			i += n;
		}
		if (a.width > 0 && a.width + 1 + ww <= width) {
			layout_acc_put(&a, " ", 1, 1);
			layout_acc_put(&a, text + start, i - start, ww);
			continue;
		}
		if (a.width > 0)
			layout_acc_flush(l, &a, it, align, columns);
		if (ww <= width) {
			layout_acc_put(&a, text + start, i - start, ww);
			continue;
		}
		/* Break a word that cannot fit on any line. */
		for (j = start; j < i; j += n) {
			n = utf8_decode(text + j, i - j, &cp);
			if (n == 0)
				n = 1, cp = '?';
			cw = utf8_width_cp(cp);
			if (cw > 0 && a.width + cw > width && a.width > 0)
				layout_acc_flush(l, &a, it, align, columns);
			layout_acc_put(&a, text + j, n, cw);
		}
	}
	if (a.b.len > 0 || l->n == before)
		layout_acc_flush(l, &a, it, align, columns);
	free(a.b.data);
	return l->n - before;
}

static void
layout_row(struct layout *l, const struct doc_item *it, int columns)
{
	struct layout_line	*ln;
	size_t			 first, len;
	int			 aw = layout_width(it->right), pad;
	char			*s;

	if (aw + 1 + LAYOUT_MIN_LEFT > columns) {
		layout_wrap(l, it, DOC_LEFT, it->text, columns, columns);
		layout_add(l, it, DOC_RIGHT, it->right, strlen(it->right),
		    columns);
		return;
	}
	first = l->n;
	layout_wrap(l, it, DOC_LEFT, it->text, columns - aw - 1, columns);
	ln = &l->lines[first];
	pad = columns - ln->width - aw;
	len = strlen(ln->text);
	s = xmalloc(len + (size_t)pad + strlen(it->right) + 1);
	memcpy(s, ln->text, len);
	memset(s + len, ' ', (size_t)pad);
	memcpy(s + len + (size_t)pad, it->right, strlen(it->right) + 1);
	free(ln->text);
	ln->text = s;
	ln->width += pad + aw;
}

struct layout *
layout_doc(const struct doc *d, size_t from, size_t to, int columns,
    int flags)
{
	struct layout		*l = xcalloc(1, sizeof *l);
	const struct doc_item	*it;
	size_t			 i;
	int			 cols, align, k;
	char			*sep;

	if (columns < 8)
		columns = 8;
	l->columns = columns;
	for (i = from; i < to && i < doc_count(d); i++) {
		it = doc_item(d, i);
		cols = columns;
		if ((flags & LAYOUT_HALVE_DOUBLE) && (it->flags & DOC_DOUBLE))
			cols = columns / 2;
		switch (it->kind) {
		case DOC_TEXT:
			align = it->flags & DOC_ALIGN_MASK;
			if (align == DOC_START)
				align = doc_is_rtl(it->flags, it->text) ?
				    DOC_RIGHT : DOC_LEFT;
			layout_wrap(l, it, align, it->text, cols, cols);
			break;
		case DOC_ROW:
			layout_row(l, it, cols);
			break;
		case DOC_SEPARATOR:
			sep = xmalloc((size_t)columns + 1);
			memset(sep, '-', (size_t)columns);
			layout_add(l, it, DOC_LEFT, sep, (size_t)columns,
			    columns);
			free(sep);
			break;
		case DOC_QR:
			layout_wrap(l, it, DOC_CENTER, it->text, columns,
			    columns);
			break;
		case DOC_FEED:
			for (k = 0; k < it->n; k++)
				layout_add(l, it, DOC_LEFT, "", 0, columns);
			break;
		case DOC_CUT:
			break;
		}
	}
	return l;
}

void
layout_free(struct layout *l)
{
	size_t	i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->lines[i].text);
	free(l->lines);
	free(l);
}
