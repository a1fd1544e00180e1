/*
 * The search form of a name, the same at the window and in the office's
 * pages, so that what finds a producer at one finds it at the other.
 */
#ifndef POS_SEARCHTEXT_H
#define POS_SEARCHTEXT_H

/*
 * The search form of a string (caller frees): Latin case-folded; hamza forms
 * of alef (أ إ آ ٱ) to bare alef, alef maqsura to yaa, taa marbuta to haa;
 * tashkeel (U+064B..U+065F, U+0670) and tatweel (U+0640) removed;
 * Arabic-Indic digits to Western. Invalid UTF-8 yields NULL.
 */
char	*searchtext_normalize(const char *s);

#endif
