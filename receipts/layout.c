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

/* Columns of the word at text + *i (up to a space); *i moves past it. */
static int
layout_word(const char *text, size_t *i)
{
	size_t		len = strlen(text), n;
	uint32_t	cp;
	int		w = 0;

	while (*i < len && text[*i] != ' ') {
		n = utf8_decode(text + *i, len - *i, &cp);
		if (n == 0)
			n = 1, cp = '?';
		w += utf8_width_cp(cp);
		*i += n;
	}
	return w;
}

/* Columns of the widest word of text. */
static int
layout_widest(const char *text)
{
	size_t	i = 0, len = strlen(text);
	int	w, widest = 0;

	while (i < len) {
		if (text[i] == ' ') {
			i++;
			continue;
		}
		w = layout_word(text, &i);
		if (w > widest)
			widest = w;
	}
	return widest;
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
	ln->size = LAYOUT_NORMAL;
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
 * Greedy wrap of text to width columns, adding lines to l. Returns the
 * number of lines added (at least one, which may be empty).
 */
static size_t
layout_greedy(struct layout *l, const struct doc_item *it, int align,
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
		ww = layout_word(text, &i);
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

/* Lines text takes at width, and whether the last is a lone word. */
static size_t
layout_count(const char *text, int width, int *orphan)
{
	struct layout	 t = { NULL, 0, 0 };
	size_t		 n, i;

	n = layout_greedy(&t, NULL, DOC_LEFT, text, width, width);
	*orphan = n >= 2 && strchr(t.lines[n - 1].text, ' ') == NULL;
	for (i = 0; i < t.n; i++)
		free(t.lines[i].text);
	free(t.lines);
	return n;
}

/*
 * Wrap text to width columns, adding lines to l: greedy, but if that
 * leaves a lone word on the last line, at the narrowest width that keeps
 * the number of lines (which moves words down to it). Returns the number
 * of lines added.
 */
static size_t
layout_wrap(struct layout *l, const struct doc_item *it, int align,
    const char *text, int width, int columns)
{
	size_t	n;
	int	orphan, o, lo, hi, mid, widest;

	n = layout_count(text, width, &orphan);
	widest = layout_widest(text);
	if (orphan && widest <= width) {
		lo = widest;
		hi = width;
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (layout_count(text, mid, &o) == n)
				hi = mid;
			else
				lo = mid + 1;
		}
		if (layout_count(text, hi, &o) == n && !o)
			width = hi;
	}
	return layout_greedy(l, it, align, text, width, columns);
}

/* Give lines [from, l->n) the type size. */
static void
layout_size(struct layout *l, size_t from, int size)
{
	for (; from < l->n; from++)
		l->lines[from].size = size;
}

/* The row's text with the amount padded to the end of its first line. */
static void
layout_beside(struct layout *l, const struct doc_item *it, int columns,
    int aw)
{
	struct layout_line	*ln;
	size_t			 first = l->n, len;
	int			 pad;
	char			*s;

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

/*
 * A row at the largest size that keeps its words whole beside the
 * amount: one line at double size (half the columns) or double height
 * (full columns), then the text wrapped beside the amount, then the
 * amount alone under the text.
 */
static void
layout_row(struct layout *l, const struct doc_item *it, int columns,
    int halve)
{
	size_t	first = l->n;
	int	aw = layout_width(it->right), tw = layout_width(it->text);
	int	words = layout_widest(it->text), size = LAYOUT_NORMAL;

	if (it->flags & DOC_DOUBLE) {
		size = LAYOUT_DOUBLE;
		if (halve && tw + 1 + aw > columns / 2)
			size = LAYOUT_TALL;
		else if (halve)
			columns /= 2;
	}
	if (aw + 1 + LAYOUT_MIN_LEFT <= columns &&
	    words <= columns - aw - 1) {
		layout_beside(l, it, columns, aw);
		if (l->n - first < 2 ||
		    strchr(l->lines[l->n - 1].text, ' ') != NULL) {
			layout_size(l, first, size);
			return;
		}
		while (l->n > first)
			free(l->lines[--l->n].text);
	}
	layout_wrap(l, it, DOC_LEFT, it->text, columns, columns);
	layout_add(l, it, DOC_RIGHT, it->right, strlen(it->right), columns);
	layout_size(l, first, size);
}

static int
layout_align(const struct doc_item *it)
{
	int	align = it->flags & DOC_ALIGN_MASK;

	if (align == DOC_START)
		align = doc_is_rtl(it->flags, it->text) ? DOC_RIGHT : DOC_LEFT;
	return align;
}

/* "first - second" on one line if it fits, else each part on its own. */
static void
layout_pair(struct layout *l, const struct doc_item *it, int columns)
{
	char	*s = xasprintf("%s - %s", it->text, it->right);
	size_t	 first = l->n;
	int	 align = layout_align(it);

	if (layout_width(s) <= columns)
		layout_add(l, it, align, s, strlen(s), columns);
	else {
		layout_wrap(l, it, align, it->text, columns, columns);
		layout_wrap(l, it, align, it->right, columns, columns);
	}
	if (it->flags & DOC_DOUBLE)
		layout_size(l, first, LAYOUT_DOUBLE);
	free(s);
}

struct layout *
layout_doc(const struct doc *d, size_t from, size_t to, int columns,
    int flags)
{
	struct layout		*l = xcalloc(1, sizeof *l);
	const struct doc_item	*it;
	size_t			 i, first;
	int			 cols, k;
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
			first = l->n;
			if (cols < columns && layout_widest(it->text) > cols)
				cols = columns;	/* double height only */
			layout_wrap(l, it, layout_align(it), it->text, cols,
			    cols);
			if (it->flags & DOC_DOUBLE)
				layout_size(l, first, cols < columns ||
				    !(flags & LAYOUT_HALVE_DOUBLE) ?
				    LAYOUT_DOUBLE : LAYOUT_TALL);
			break;
		case DOC_ROW:
			layout_row(l, it, columns,
			    (flags & LAYOUT_HALVE_DOUBLE) != 0);
			break;
		case DOC_PAIR:
			layout_pair(l, it, cols);
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
