/*
 * The search form of names (searchtext.h): one implementation for the
 * window's searches and the office's pages.
 */
#include "searchtext.h"

#include <stdbool.h>
#include <stdlib.h>

#include <utf8proc.h>

#include "xalloc.h"

#define SEARCHTEXT_DROP	(-1)

/*
 * The Unicode step of the search form: NFKC_Casefold (compatibility
 * composition, full case folding, default ignorables removed). Full case
 * folding rather than utf8proc_tolower per code point so that "Straße"
 * finds "strasse"; composition so that "É" typed as E + U+0301 equals the
 * precomposed one; compatibility so that Arabic presentation forms pasted
 * from PDFs (U+FEFB "ﻻ") become the letters people type; ignorables so that
 * ZWNJ, RLM and U+061C do not split a word.
 */
#define SEARCHTEXT_FOLD	(UTF8PROC_NULLTERM | UTF8PROC_STABLE | \
			 UTF8PROC_COMPOSE | UTF8PROC_COMPAT | \
			 UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

/*
 * The Arabic step, one row per rule, sorted: code points first..last become
 * `to` (SEARCHTEXT_DROP removes them), or with shift to + (cp - first). Every
 * image is no longer in UTF-8 than its source, so the result never grows.
 */
static const struct searchtext_rule {
	utf8proc_int32_t	 first;
	utf8proc_int32_t	 last;
	utf8proc_int32_t	 to;
	bool			 shift;
} searchtext_rules[] = {
	{ 0x0622, 0x0623, 0x0627, false },	/* alef with madda, hamza above */
	{ 0x0625, 0x0625, 0x0627, false },	/* alef with hamza below */
	{ 0x0629, 0x0629, 0x0647, false },	/* taa marbuta to haa */
	{ 0x0640, 0x0640, SEARCHTEXT_DROP, false },	/* tatweel */
	{ 0x0649, 0x0649, 0x064a, false },	/* alef maqsura to yaa */
	{ 0x064b, 0x065f, SEARCHTEXT_DROP, false },	/* tashkeel */
	{ 0x0660, 0x0669, '0', true },		/* Arabic-Indic digits */
	{ 0x0670, 0x0670, SEARCHTEXT_DROP, false },	/* superscript alef */
	{ 0x0671, 0x0671, 0x0627, false },	/* alef wasla */
	{ 0x06f0, 0x06f9, '0', true },		/* Extended Arabic-Indic digits */
};

static utf8proc_int32_t
searchtext_char(utf8proc_int32_t cp)
{
	const struct searchtext_rule *r;
	size_t i;

	if (cp < searchtext_rules[0].first)
		return cp;
	for (i = 0; i < sizeof searchtext_rules / sizeof searchtext_rules[0]; i++) {
		r = &searchtext_rules[i];
		if (cp < r->first)
			break;
		if (cp <= r->last)
			return r->shift ? r->to + (cp - r->first) : r->to;
	}
	return cp;
}

char *
searchtext_normalize(const char *s)
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t len, off, n;
	utf8proc_int32_t cp;
	char *out = NULL;
	size_t pos = 0;

	if (s == NULL)
		goto out;
	len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded, SEARCHTEXT_FOLD);
	if (len == UTF8PROC_ERROR_NOMEM)
		xalloc_fatal("out of memory");
	if (len < 0)
		goto out;	/* invalid UTF-8 (or absurdly long) */

	out = xmalloc((size_t)len + 1);
	for (off = 0; off < len; off += n) {
		n = utf8proc_iterate(folded + off, len - off, &cp);
		if (n <= 0) {
			free(out);
			out = NULL;
			goto out;
		}
		cp = searchtext_char(cp);
		if (cp != SEARCHTEXT_DROP)
			pos += (size_t)utf8proc_encode_char(cp,
			    (utf8proc_uint8_t *)out + pos);
	}
	out[pos] = '\0';

out:
	free(folded);
	return out;
}
