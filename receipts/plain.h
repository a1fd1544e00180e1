/*
 * A document as plain UTF-8 text, the one format that needs no Pango,
 * cairo or CUPS: `pos` links it directly (library posdoc) and writes the
 * text slip of a window without a printer without loading the print module.
 */
#ifndef POS_RECEIPTS_PLAIN_H
#define POS_RECEIPTS_PLAIN_H

#include <stddef.h>

#include "document.h"

/*
 * d as text for paper of 58 or 80 mm, as the print module's "text" format
 * renders it. *out: caller frees with free().
 */
void	 plain_text(const struct doc *d, int paper, unsigned char **out,
	    size_t *len);

#endif
