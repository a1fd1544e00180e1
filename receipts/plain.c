/*
 * Plain UTF-8 text: the column layout with alignment padding, one line per
 * layout line. Logical order; a bidi-capable viewer shows Arabic right to
 * left. Alignment is padded for a left-to-right display.
 */
#include "plain.h"

#include <stdlib.h>

#include "layout.h"
#include "receipts_int.h"
#include "xalloc.h"

void
plain_render(const struct doc *d, const struct render_opts *o, struct buf *b)
{
	struct layout			*l;
	const struct layout_line	*ln;
	size_t				 i;
	int				 pad;

	l = layout_doc(d, 0, doc_count(d), o->columns, 0);
	for (i = 0; i < l->n; i++) {
		ln = &l->lines[i];
		pad = ln->columns - ln->width;
		if (pad > 0 && ln->align == DOC_RIGHT)
			buf_addn(b, ' ', (size_t)pad);
		else if (pad > 0 && ln->align == DOC_CENTER)
			buf_addn(b, ' ', (size_t)pad / 2);
		buf_adds(b, ln->text);
		buf_addc(b, '\n');
	}
	layout_free(l);
}

void
plain_text(const struct doc *d, int paper, unsigned char **out, size_t *len)
{
	struct render_opts o = { .dots = paper == 58 ? RENDER_DOTS_58MM :
	    RENDER_DOTS_80MM };
	struct buf b = { NULL, 0, 0 };

	/* The columns render_doc gives the text format: dots / 12. */
	o.columns = o.dots / 12;
	plain_render(d, &o, &b);
	if (b.data == NULL)
		b.data = xmalloc(1);
	*out = b.data;
	*len = b.len;
}
