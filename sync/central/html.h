/*
 * HTML and CSV written into a buffer, for the office's pages (web.c).
 * Markup comes only from format strings that are literals of this
 * program; every value goes in through html_put's %s, which escapes it
 * (html_esc), so text from a journal (a name a window typed) can never
 * become markup.
 */
#ifndef POS_HTML_H
#define POS_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* s with & < > " ' as character references (NULL: nothing). */
void	 html_esc(struct buf *, const char *s);

/*
 * Append fmt with %s replaced by its argument escaped (html_esc), %d by an
 * int, %D by an int64_t and %% by '%'; no other directive. fmt must be a
 * literal.
 */
void	 html_put(struct buf *, const char *fmt, ...);

/*
 * One CSV field (RFC 4180: quoted when it holds a comma, quote or line
 * end), then a comma or, when last, CRLF. A field that a spreadsheet would
 * take for a formula (= + - @ first) gets a leading apostrophe, unless it
 * is a number.
 */
void	 html_csv(struct buf *, const char *field, int last);

/*
 * A stored UTC time (YYYY-MM-DDTHH:MM:SSZ) as the server's local date and
 * minute ("YYYY-MM-DD HH:MM"), into out; anything else as it is.
 */
const char *html_when(const char *utc, char *out, size_t len);

/*
 * The same as <time dir="ltr" datetime="UTC">local</time>, its date and
 * time in that order in a right-to-left page (NULL, "": nothing).
 */
void	 html_time(struct buf *, const char *utc);

#endif
