/*
 * Text rules for names, codes and search: UTF-8 validation, and the code
 * alphabet (the search normalisation is searchtext.h, shared with the
 * centre).
 */
#ifndef POS_TEXT_H
#define POS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Codes: 1-32 of letters, digits, '-', '_', '.' (ASCII). */
bool	 text_valid_code(const char *s);

/* Names: 1-120 characters (code points) of valid UTF-8, no control characters. */
bool	 text_valid_name(const char *s);

/* Valid UTF-8 (no overlongs, no surrogates, no code points past U+10FFFF). */
bool	 text_valid_utf8(const char *s, size_t len);

/* Number of code points in valid UTF-8. */
size_t	 text_length(const char *s);

#endif
