#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

#define TEXT_CODE_MAX	32	/* bytes, all ASCII */
#define TEXT_NAME_MAX	120	/* code points */


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
