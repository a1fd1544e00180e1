#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "utf8.h"
#include "xalloc.h"

#define TEXT_CODE_MAX	32	/* bytes, all ASCII */
#define TEXT_NAME_MAX	120	/* code points */
#define TEXT_DROP	(-1)

/*
 * The Unicode step of the search form: NFKC_Casefold (compatibility
 * composition, full case folding, default ignorables removed). Full case
 * folding rather than utf8proc_tolower per code point so that "Straße"
 * finds "strasse"; composition so that "É" typed as E + U+0301 equals the
 * precomposed one; compatibility so that Arabic presentation forms pasted
 * from PDFs (U+FEFB "ﻻ") become the letters people type; ignorables so that
 * ZWNJ, RLM and U+061C do not split a word.
 */
#define TEXT_FOLD	(UTF8PROC_NULLTERM | UTF8PROC_STABLE | \
			 UTF8PROC_COMPOSE | UTF8PROC_COMPAT | \
			 UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

/*
 * The Arabic step, one row per rule, sorted: code points first..last become
 * `to` (TEXT_DROP removes them), or with shift to + (cp - first). Every
 * image is no longer in UTF-8 than its source, so the result never grows.
 */
static const struct text_rule {
	utf8proc_int32_t	 first;
	utf8proc_int32_t	 last;
	utf8proc_int32_t	 to;
	bool			 shift;
} text_rules[] = {
	{ 0x0622, 0x0623, 0x0627, false },	/* alef with madda, hamza above */
	{ 0x0625, 0x0625, 0x0627, false },	/* alef with hamza below */
	{ 0x0629, 0x0629, 0x0647, false },	/* taa marbuta to haa */
	{ 0x0640, 0x0640, TEXT_DROP, false },	/* tatweel */
	{ 0x0649, 0x0649, 0x064a, false },	/* alef maqsura to yaa */
	{ 0x064b, 0x065f, TEXT_DROP, false },	/* tashkeel */
	{ 0x0660, 0x0669, '0', true },		/* Arabic-Indic digits */
	{ 0x0670, 0x0670, TEXT_DROP, false },	/* superscript alef */
	{ 0x0671, 0x0671, 0x0627, false },	/* alef wasla */
	{ 0x06f0, 0x06f9, '0', true },		/* Extended Arabic-Indic digits */
};

static bool
text_code_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool
text_valid_code(const char *s)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (i == TEXT_CODE_MAX || !text_code_char((unsigned char)s[i]))
			return false;
	}
	return i != 0;
}

bool
text_valid_utf8(const char *s, size_t len)
{
	return s != NULL && utf8_valid(s, len);
}

/* C0, DEL, C1, and the line and paragraph separators. */
static bool
text_control(uint32_t cp)
{
	return utf8_is_control(cp) || cp == 0x2028 || cp == 0x2029;
}

bool
text_valid_name(const char *s)
{
	uint32_t cp;
	size_t len, off, n, count = 0;

	if (s == NULL)
		return false;
	len = strlen(s);
	for (off = 0; off < len; off += n) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n == 0 || text_control(cp) || ++count > TEXT_NAME_MAX)
			return false;
	}
	return count != 0;
}

/* Counts every byte that does not continue a sequence: exact for valid UTF-8. */
size_t
text_length(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return 0;
	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return n;
}

static utf8proc_int32_t
text_search_char(utf8proc_int32_t cp)
{
	const struct text_rule *r;
	size_t i;

	if (cp < text_rules[0].first)
		return cp;
	for (i = 0; i < sizeof text_rules / sizeof text_rules[0]; i++) {
		r = &text_rules[i];
		if (cp < r->first)
			break;
		if (cp <= r->last)
			return r->shift ? r->to + (cp - r->first) : r->to;
	}
	return cp;
}

char *
text_normalize(const char *s)
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t len, off, n;
	utf8proc_int32_t cp;
	char *out = NULL;
	size_t pos = 0;

	if (s == NULL)
		goto out;
	len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded, TEXT_FOLD);
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
		cp = text_search_char(cp);
		if (cp != TEXT_DROP)
			pos += (size_t)utf8proc_encode_char(cp,
			    (utf8proc_uint8_t *)out + pos);
	}
	out[pos] = '\0';

out:
	free(folded);
	return out;
}
