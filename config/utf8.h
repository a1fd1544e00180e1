/*
 * UTF-8 for the whole program: one decoder (utf8proc_iterate, so a
 * sequence is accepted only when it is well formed: no overlong form, no
 * surrogate, nothing past U+10FFFF) and the display width of text.
 *
 * There are two widths, because there are two kinds of screen. A receipt
 * is laid out by this program, so its columns come from utf8proc's tables
 * and do not depend on the locale. A terminal draws with its own tables,
 * which are the C library's wcwidth() (tmux and xterm here; the two
 * disagree with utf8proc on about 5,000 code points, spacing marks and
 * Unicode 15 ideographs among them), so the terminal width asks wcwidth()
 * in the current locale. Nothing here allocates.
 */
#ifndef POS_CONFIG_UTF8_H
#define POS_CONFIG_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/*
 * Decode the character at s (len bytes left) into *cp. Returns its length
 * (1-4), or 0 when the bytes there are not a well-formed sequence or len
 * is 0; *cp is then untouched.
 */
size_t	 utf8_decode(const char *s, size_t len, uint32_t *cp);

/* True when all len bytes of s are well-formed UTF-8 (NUL is). */
bool	 utf8_valid(const char *s, size_t len);

/*
 * Length of the sequence the byte at s announces (2-4) when that many
 * continuation bytes follow within len, whether or not it names a
 * character (it may be overlong, a surrogate or past U+10FFFF); 1 for
 * ASCII; 0 for a byte that starts nothing or a sequence cut short.
 */
size_t	 utf8_shaped(const char *s, size_t len);

/* C0 controls, DEL and C1 controls (U+0000-001F, U+007F-009F). */
bool	 utf8_is_control(uint32_t cp);

/*
 * Receipt columns of one code point (utf8proc_charwidth): 0 for combining
 * marks, controls and format characters, 2 for East Asian wide, else 1.
 */
int	 utf8_width_cp(uint32_t cp);

/*
 * Receipt columns of len bytes of UTF-8; a byte that starts no character
 * counts one.
 */
size_t	 utf8_width(const char *s, size_t len);

/*
 * Terminal columns of one character: wcwidth() in the current locale, and
 * one for what it calls unprintable (-1).
 */
int	 utf8_term_width_cp(wchar_t c);

/*
 * Terminal columns of the NUL-terminated UTF-8 text s, as utf8_term_width_cp
 * counts them; a byte that starts no character counts one. In a locale
 * whose characters are single bytes ("C"), each byte is a character.
 */
size_t	 utf8_term_width(const char *s);

#endif
