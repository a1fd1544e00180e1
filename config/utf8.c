#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	utf8proc_int32_t	c;
	utf8proc_ssize_t	n;

	if (len == 0)
		return 0;
	if ((unsigned char)s[0] < 0x80) {
		*cp = (unsigned char)s[0];
		return 1;
	}
	n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	    len < 4 ? (utf8proc_ssize_t)len : 4, &c);
	if (n <= 0)
		return 0;
	*cp = (uint32_t)c;
	return (size_t)n;
}

/*
 * The ledger checks and encodes every string of every entry with this, and
 * most of them are Arabic: a lead byte 0xc2-0xdf and one continuation byte
 * is always a character (never overlong, never a surrogate), so that form
 * is taken here; utf8proc_iterate checks the others.
 */
bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 cp;

	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if (u[i] >= 0xc2 && u[i] <= 0xdf && i + 1 < len &&
		    (u[i + 1] & 0xc0) == 0x80) {
			i += 2;
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return false;
		i += n;
	}
	return true;
}

size_t
utf8_shaped(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 n, k;

	if (len == 0)
		return 0;
	/* 1 for ASCII, 0 for a continuation byte or 0xf8-0xff. */
	n = (size_t)utf8proc_utf8class[u[0]];
	if (n > len)
		return 0;
	for (k = 1; k < n; k++)
		if ((u[k] & 0xc0) != 0x80)
			return 0;
	return n;
}

bool
utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

int
utf8_width_cp(uint32_t cp)
{
	int	w = utf8proc_charwidth((utf8proc_int32_t)cp);

	return w < 0 ? 0 : w;
}

size_t
utf8_width(const char *s, size_t len)
{
	size_t		i = 0, n, w = 0;
	uint32_t	cp;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			w++;
			i++;
			continue;
		}
		w += (size_t)utf8_width_cp(cp);
		i += n;
	}
	return w;
}

int
utf8_term_width_cp(wchar_t c)
{
	int	w = wcwidth(c);

	return w < 0 ? 1 : w;
}

/* In a locale of single-byte characters, each byte is one character. */
static size_t
utf8_term_width_bytes(const char *s)
{
	size_t	w = 0;
	wint_t	c;

	for (; *s != '\0'; s++) {
		c = btowc((unsigned char)*s);
		w += c == WEOF ? 1 : (size_t)utf8_term_width_cp((wchar_t)c);
	}
	return w;
}

size_t
utf8_term_width(const char *s)
{
	size_t		len, i = 0, n, w = 0;
	uint32_t	cp;

	if (MB_CUR_MAX == 1)
		return utf8_term_width_bytes(s);
	len = strlen(s);
	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			w++;
			i++;
			continue;
		}
		w += (size_t)utf8_term_width_cp((wchar_t)cp);
		i += n;
	}
	return w;
}
