/*
 * Text for the terminal UI: UTF-8 to wide characters with what is not
 * printable replaced, display columns counted with wcwidth, cutting and
 * padding to a width, right-to-left reordering and Arabic shaping with GNU
 * FriBidi (for terminals that do no bidi of their own), and the large
 * digits the running total is drawn in.
 */
#ifndef POS_TUI_TEXT_H
#define POS_TUI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/*
 * Decode UTF-8 into out (at most max wide characters, not terminated).
 * Invalid bytes and control characters become U+FFFD. Returns the count.
 */
size_t	 tui_text_decode(const char *s, wchar_t *out, size_t max);

/* Display columns of n characters. */
int	 tui_text_width(const wchar_t *w, size_t n);

/* Display columns of UTF-8 text. */
int	 tui_text_columns(const char *s);

/* How many of the n characters fit in cols columns. */
size_t	 tui_text_fit(const wchar_t *w, size_t n, int cols);

/* True when the text holds a right-to-left character (Hebrew, Arabic). */
bool	 tui_text_has_rtl(const wchar_t *w, size_t n);

/*
 * One line in logical order to visual order, Arabic joined and shaped
 * into presentation forms (FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC),
 * the paragraph direction taken from the first strong character, or
 * right to left when rtl is set. out has room for n characters; returns
 * the count written (shaping into ligatures can only shorten the line).
 */
size_t	 tui_text_visual(const wchar_t *in, size_t n, wchar_t *out, bool rtl);

/*
 * Wrap each figure of n characters (a run of Latin letters, digits and
 * the separators between them, "2026-03-01", "DMS01-1-000002", "7,500",
 * "١٢٬٥٠٠", with at least one digit) in a left-to-right isolate (U+2066
 * .. U+2069), so that reordering the line keeps its characters in order:
 * in an Arabic sentence the Unicode algorithm would otherwise turn the
 * date "2026-03-01" into "01-03-2026". out has room for max characters;
 * returns the count written. tui_text_visual drops the isolates.
 */
size_t	 tui_text_isolate_figures(const wchar_t *in, size_t n, wchar_t *out,
	    size_t max);

/* Rows of the large digits; each row of a glyph is TUI_BIG_W columns. */
#define TUI_BIG_ROWS	3

/*
 * Columns the large form of UTF-8 text takes (Western or Arabic-Indic
 * digits, ',', '.', '٬', '٫', '-', ' '), or -1 when text has a character
 * with no large form.
 */
int	 tui_big_width(const char *text);

/* Row `row` (0..TUI_BIG_ROWS-1) of text's large form as UTF-8 into buf. */
void	 tui_big_row(const char *text, int row, char *buf, size_t len);

#endif
