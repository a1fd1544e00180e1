#include "tui_text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include <fribidi.h>

#include "utf8.h"
#include "xalloc.h"

#define TUI_REPLACEMENT	((wchar_t)0xfffd)

size_t
tui_text_decode(const char *s, wchar_t *out, size_t max)
{
	size_t n = 0, left = strlen(s), len;
	uint32_t cp;

	while (left > 0 && n < max) {
		len = utf8_decode(s, left, &cp);
		if (len == 0) {
			out[n++] = TUI_REPLACEMENT;
			s++;
			left--;
			continue;
		}
		s += len;
		left -= len;
		if (utf8_is_control(cp) || cp == 0x2028 || cp == 0x2029)
			out[n++] = TUI_REPLACEMENT;
		else
			out[n++] = (wchar_t)cp;
	}
	return n;
}

int
tui_text_width(const wchar_t *w, size_t n)
{
	int cols = 0;

	for (size_t i = 0; i < n; i++)
		cols += utf8_term_width_cp(w[i]);
	return cols;
}

int
tui_text_columns(const char *s)
{
	wchar_t buf[512];
	size_t n = tui_text_decode(s, buf, sizeof buf / sizeof buf[0]);

	return tui_text_width(buf, n);
}

size_t
tui_text_fit(const wchar_t *w, size_t n, int cols)
{
	size_t i;
	int used = 0, cw;

	for (i = 0; i < n; i++) {
		cw = utf8_term_width_cp(w[i]);
		if (used + cw > cols)
			break;
		used += cw;
	}
	/* Keep combining marks with the character they sit on. */
	while (i < n && utf8_term_width_cp(w[i]) == 0)
		i++;
	return i;
}

bool
tui_text_has_rtl(const wchar_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t c = (uint32_t)w[i];

		if ((c >= 0x0590 && c <= 0x08ff) || (c >= 0xfb1d && c <= 0xfdff) ||
		    (c >= 0xfe70 && c <= 0xfefc) || c == 0x200f)
			return true;
	}
	return false;
}

size_t
tui_text_visual(const wchar_t *in, size_t n, wchar_t *out, bool rtl)
{
	FriBidiFlags flags = FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC;
	FriBidiParType base = rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_ON;
	FriBidiChar *str;
	FriBidiCharType *types;
	FriBidiBracketType *brackets;
	FriBidiLevel *levels;
	FriBidiArabicProp *props;
	FriBidiStrIndex len = (FriBidiStrIndex)n, i, j;

	if (n == 0)
		return 0;
	str = xreallocarray(NULL, n, sizeof *str);
	types = xreallocarray(NULL, n, sizeof *types);
	brackets = xreallocarray(NULL, n, sizeof *brackets);
	levels = xreallocarray(NULL, n, sizeof *levels);
	props = xreallocarray(NULL, n, sizeof *props);
	for (i = 0; i < len; i++)
		str[i] = (FriBidiChar)in[i];
	fribidi_get_bidi_types(str, len, types);
	fribidi_get_bracket_types(str, len, types, brackets);
	if (fribidi_get_par_embedding_levels_ex(types, brackets, len, &base,
	    levels) == 0) {
		for (i = 0; i < len; i++)
			out[i] = in[i];
		j = len;
		goto out;
	}
	fribidi_get_joining_types(str, len, props);
	fribidi_join_arabic(types, len, levels, props);
	fribidi_shape(flags, levels, len, props, str);
	if (fribidi_reorder_line(flags, types, len, 0, base, levels, str,
	    NULL) == 0) {
		for (i = 0; i < len; i++)
			out[i] = in[i];
		j = len;
		goto out;
	}
	/*
	 * Shaping marks the second half of a ligature with a ZWNBSP filler;
	 * isolates have done their work once the line is in order.
	 */
	for (i = 0, j = 0; i < len; i++)
		if (str[i] != 0xfeff && (str[i] < 0x2066 || str[i] > 0x2069))
			out[j++] = (wchar_t)str[i];
out:
	free(str);
	free(types);
	free(brackets);
	free(levels);
	free(props);
	return (size_t)j;
}

static bool
tui_text_figure_alnum(wchar_t c)
{
	return (c >= L'0' && c <= L'9') || (c >= 0x0660 && c <= 0x0669) ||
	    (c >= 0x06f0 && c <= 0x06f9) || (c >= L'A' && c <= L'Z') ||
	    (c >= L'a' && c <= L'z');
}

static bool
tui_text_figure_digit(wchar_t c)
{
	return (c >= L'0' && c <= L'9') || (c >= 0x0660 && c <= 0x0669) ||
	    (c >= 0x06f0 && c <= 0x06f9);
}

static bool
tui_text_figure_sep(wchar_t c)
{
	return wcschr(L",.-/:*_", c) != NULL || c == 0x066b || c == 0x066c;
}

size_t
tui_text_isolate_figures(const wchar_t *in, size_t n, wchar_t *out,
    size_t max)
{
	size_t i = 0, j = 0, end, last;
	bool digit;

	while (i < n && j < max) {
		if (!tui_text_figure_alnum(in[i])) {
			out[j++] = in[i++];
			continue;
		}
		/* The run ends at its last letter or digit. */
		digit = false;
		for (end = i, last = i; end < n && (tui_text_figure_alnum(in[end]) ||
		    tui_text_figure_sep(in[end])); end++)
			if (tui_text_figure_alnum(in[end])) {
				last = end;
				digit = digit || tui_text_figure_digit(in[end]);
			}
		end = last + 1;
		if (digit && j + (end - i) + 2 <= max) {
			out[j++] = 0x2066;
			while (i < end)
				out[j++] = in[i++];
			out[j++] = 0x2069;
		} else
			while (i < end && j < max)
				out[j++] = in[i++];
	}
	return j;
}

/*
 * Three rows by up to three columns per glyph, with a blank column after
 * it: Western and Arabic-Indic digits, their separators, '-' and ' '.
 */
static const struct {
	uint32_t	 cp;
	const char	*rows[TUI_BIG_ROWS];
} tui_big_glyphs[] = {
	{ '0', { "█▀█", "█ █", "▀▀▀" } },
	{ '1', { "▀█ ", " █ ", "▀▀▀" } },
	{ '2', { "▀▀█", "█▀▀", "▀▀▀" } },
	{ '3', { "▀▀█", " ▀█", "▀▀▀" } },
	{ '4', { "█ █", "▀▀█", "  ▀" } },
	{ '5', { "█▀▀", "▀▀█", "▀▀▀" } },
	{ '6', { "█▀▀", "█▀█", "▀▀▀" } },
	{ '7', { "▀▀█", "  █", "  ▀" } },
	{ '8', { "█▀█", "█▀█", "▀▀▀" } },
	{ '9', { "█▀█", "▀▀█", "▀▀▀" } },
	{ ',', { " ", " ", "▄" } },
	{ '.', { " ", " ", "▀" } },
	{ '-', { "  ", "▀▀", "  " } },
	{ ' ', { " ", " ", " " } },
	{ 0x0660, { "   ", " █ ", "   " } },	/* ٠ */
	{ 0x0661, { " █ ", " █ ", " ▀ " } },	/* ١ */
	{ 0x0662, { "█▀▀", "█  ", "▀  " } },	/* ٢ */
	{ 0x0663, { "█▄█", "█  ", "▀  " } },	/* ٣ */
	{ 0x0664, { "▄▀▀", "█▀ ", "▀▀▀" } },	/* ٤ */
	{ 0x0665, { "▄▀▄", "█ █", "▀▀▀" } },	/* ٥ */
	{ 0x0666, { "▀▀█", "  █", "  ▀" } },	/* ٦ */
	{ 0x0667, { "█ █", "▀▄▀", "   " } },	/* ٧ */
	{ 0x0668, { " ▄ ", "▄▀▄", "▀ ▀" } },	/* ٨ */
	{ 0x0669, { "█▀█", "▀▀█", "  ▀" } },	/* ٩ */
	{ 0x066b, { "  ", " ▄", "▀ " } },	/* ٫ decimal separator */
	{ 0x066c, { " ", " ", "▄" } },		/* ٬ thousands separator */
};
#define TUI_NGLYPHS (sizeof tui_big_glyphs / sizeof tui_big_glyphs[0])

/* The glyph of the character text starts with, its length in *len. */
static int
tui_big_glyph(const char *text, size_t *len)
{
	uint32_t cp;

	if ((*len = utf8_decode(text, strlen(text), &cp)) == 0) {
		*len = 1;
		return -1;
	}
	for (size_t i = 0; i < TUI_NGLYPHS; i++)
		if (tui_big_glyphs[i].cp == cp)
			return (int)i;
	return -1;
}

int
tui_big_width(const char *text)
{
	int cols = 0, g;
	size_t len;

	for (const char *p = text; *p != '\0'; p += len) {
		if ((g = tui_big_glyph(p, &len)) < 0)
			return -1;
		cols += tui_text_columns(tui_big_glyphs[g].rows[0]) + 1;
	}
	return cols > 0 ? cols - 1 : 0;
}

void
tui_big_row(const char *text, int row, char *buf, size_t len)
{
	size_t used = 0, clen;
	int g, k;

	buf[0] = '\0';
	for (const char *p = text; *p != '\0'; p += clen) {
		if ((g = tui_big_glyph(p, &clen)) < 0)
			continue;
		k = snprintf(buf + used, len - used, "%s%s", used > 0 ? " " : "",
		    tui_big_glyphs[g].rows[row]);
		if (k < 0 || (size_t)k >= len - used)
			break;
		used += (size_t)k;
	}
}
