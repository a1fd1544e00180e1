/*
 * Layout of a document to a width in character columns, for the plain text
 * and ESC/POS text renderers. Columns are counted per code point with
 * wcwidth semantics (utf8proc's, so the result does not depend on the
 * locale): combining marks 0, East Asian wide 2, everything else 1.
 * Text wraps at spaces, and the last line of a wrapped paragraph is never
 * a lone word when narrower lines avoid it; only a word wider than the
 * whole line is broken between characters. A row's amount is never
 * wrapped or truncated, and the row's text is not broken inside a word
 * beside it: a double-size row that does not fit at half the columns is
 * printed double height only (full columns); if the amount still leaves
 * no room for the words, it goes alone on the next line.
 */
#ifndef POS_RECEIPTS_LAYOUT_H
#define POS_RECEIPTS_LAYOUT_H

#include <stddef.h>

#include "document.h"

struct layout_line {
	const struct doc_item	*item;	/* the item this line came from */
	int			 first;	/* 1 on the item's first line */
	int			 align;	/* DOC_LEFT, DOC_CENTER or DOC_RIGHT */
	char			*text;	/* no alignment padding; rows padded */
	int			 width;	/* columns of text */
	int			 columns; /* the line's width (halved if double) */
	int			 size;	/* LAYOUT_NORMAL, _TALL or _DOUBLE */
};

/* Type sizes of a line (ESC/POS GS ! 0x00, 0x01, 0x11). */
#define LAYOUT_NORMAL	0
#define LAYOUT_TALL	1	/* double height, normal width */
#define LAYOUT_DOUBLE	2

struct layout {
	struct layout_line	*lines;
	size_t			 n;
	int			 columns;
};

/* Layout flag: DOC_DOUBLE lines have half the columns (ESC/POS GS !). */
#define LAYOUT_HALVE_DOUBLE	0x1

/*
 * Lay out items [from, to) of d to columns (>= 8). Feeds give one empty line
 * per fed line; a cut gives none. Caller frees with layout_free().
 */
struct layout	*layout_doc(const struct doc *d, size_t from, size_t to,
		     int columns, int flags);
void		 layout_free(struct layout *);

/* Columns taken by UTF-8 text. */
int		 layout_width(const char *text);

#endif
