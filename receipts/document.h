/*
 * A receipt document: a sequence of items (text lines, two-column rows,
 * separators, QR codes, feeds, cuts) in logical order, independent of any
 * printer. Builders copy their arguments; the document owns its strings.
 *
 * Text is UTF-8 in logical order. Invalid UTF-8 becomes U+FFFD and control
 * characters (C0, DEL, C1) become a space, so no renderer can ever emit a
 * printer command taken from text.
 */
#ifndef POS_RECEIPTS_DOCUMENT_H
#define POS_RECEIPTS_DOCUMENT_H

#include <stddef.h>

/* Flags for doc_text() and doc_row(); one alignment, any of the others. */
#define DOC_START	0x00	/* left for LTR paragraphs, right for RTL */
#define DOC_LEFT	0x01
#define DOC_CENTER	0x02
#define DOC_RIGHT	0x03
#define DOC_ALIGN_MASK	0x03
#define DOC_BOLD	0x04
#define DOC_DOUBLE	0x08	/* double width and height */
#define DOC_LTR		0x10	/* force the paragraph direction... */
#define DOC_RTL		0x20	/* ...instead of the first strong character */

enum doc_kind {
	DOC_TEXT,
	DOC_ROW,
	DOC_PAIR,
	DOC_SEPARATOR,
	DOC_QR,
	DOC_FEED,
	DOC_CUT,
};

/* One item; read-only for renderers. */
struct doc_item {
	enum doc_kind	 kind;
	int		 flags;
	char		*text;	/* TEXT, ROW (left column), PAIR first, QR */
	char		*right;	/* ROW: the amount, never wrapped or cut;
				   PAIR: the second part */
	int		 n;	/* FEED: lines */
};

struct doc;

/* Caller frees with doc_free(). */
struct doc	*doc_new(void);
void		 doc_free(struct doc *);

void	 doc_text(struct doc *, int flags, const char *text);
void	 doc_row(struct doc *, int flags, const char *left, const char *right);
/*
 * Two short texts (a product and its producer): "first - second" on one
 * line where both fit whole, else first and then second on the next line.
 * DOC_BOLD makes the first part bold; the second is never bold.
 */
void	 doc_pair(struct doc *, int flags, const char *first,
	    const char *second);
void	 doc_separator(struct doc *);
void	 doc_qr(struct doc *, const char *payload);
void	 doc_feed(struct doc *, int lines);	/* clamped to 0..255 */
void	 doc_cut(struct doc *);

size_t			 doc_count(const struct doc *);
/* Item i (< doc_count()); owned by the document. */
const struct doc_item	*doc_item(const struct doc *, size_t i);

/*
 * The paragraph direction of an item's text: 1 for right-to-left, 0 for
 * left-to-right. DOC_RTL/DOC_LTR win; otherwise the first strong character
 * outside bidi isolates decides (Unicode rules P2-P3), and text with none
 * is LTR.
 */
int	 doc_is_rtl(int flags, const char *text);

#endif
