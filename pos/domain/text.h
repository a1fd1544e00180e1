/*
 * Text rules for names, codes and search: UTF-8 validation, the code
 * alphabet, and the search normalisation (Arabic and Latin).
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

/*
 * The search form of a string (caller frees): Latin case-folded; hamza forms
 * of alef (أ إ آ ٱ) to bare alef, alef maqsura to yaa, taa marbuta to haa;
 * tashkeel (U+064B..U+065F, U+0670) and tatweel (U+0640) removed;
 * Arabic-Indic digits to Western. Invalid UTF-8 yields NULL.
 */
char	*text_normalize(const char *s);

/* Number of code points in valid UTF-8. */
size_t	 text_length(const char *s);

#endif
