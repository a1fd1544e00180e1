/*
 * Drawing for every screen: attributes with a monochrome fallback, text
 * cut to a width in columns and, with [ui] bidi = fribidi, put in visual
 * order; large digits, input fields, amounts and quantities in the
 * configured digits.
 *
 * Screens lay out left to right. In the mirrored layout (t->mirror: an
 * Arabic interface whose lines the UI orders itself) tui_put flips every
 * box to the other side of the screen and swaps left and right alignment,
 * as a right-to-left page does: labels come first on the right, columns
 * run from right to left. A box's own text is never reversed by this,
 * and each box is still written on its own, so a figure keeps its digits
 * in order and cannot move into a neighbouring column.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdata.h"
#include "money.h"
#include "tui_int.h"
#include "tui_text.h"

int
tui_attr(const struct tui *t, enum tui_attr a)
{
	/* Monochrome: reverse for bars and selections, bold for emphasis. */
	static const int mono[TUI_NATTRS] = {
		[TUI_A_NORMAL] = A_NORMAL, [TUI_A_STATUS] = A_REVERSE,
		[TUI_A_TITLE] = A_BOLD | A_UNDERLINE, [TUI_A_KEY] = A_REVERSE,
		[TUI_A_ERROR] = A_BOLD | A_REVERSE, [TUI_A_OK] = A_BOLD,
		[TUI_A_BIG] = A_BOLD, [TUI_A_SELECT] = A_REVERSE,
		[TUI_A_DIM] = A_DIM, [TUI_A_HEAD] = A_UNDERLINE,
	};
	static const int pair[TUI_NATTRS] = {
		[TUI_A_STATUS] = 1, [TUI_A_TITLE] = 2, [TUI_A_KEY] = 3,
		[TUI_A_ERROR] = 4, [TUI_A_OK] = 5, [TUI_A_BIG] = 6,
		[TUI_A_SELECT] = 7, [TUI_A_HEAD] = 8,
	};

	if (!t->colors || pair[a] == 0)
		return mono[a];
	return (int)COLOR_PAIR(pair[a]) | (a == TUI_A_BIG || a == TUI_A_TITLE ?
	    A_BOLD : 0);
}

void
tui_put(struct tui *t, int y, int x, int w, const char *text, int attr,
    enum tui_align align)
{
	wchar_t in[512], vis[512], iso[1024];
	size_t n, fit;
	int cols, pad;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + w > COLS)
		w = COLS - x;
	if (t->mirror) {
		x = COLS - x - w;
		align = align == TUI_LEFT ? TUI_RIGHT : align == TUI_RIGHT ?
		    TUI_LEFT : align;
	}
	n = tui_text_decode(text != NULL ? text : "", in,
	    sizeof in / sizeof in[0]);
	/* Cut in logical order, then reorder what is left. */
	fit = tui_text_fit(in, n, w);
	if (t->fribidi && tui_text_has_rtl(in, fit))
		/*
		 * Mirrored, a line with Arabic in it reads right to left even
		 * when a key name ("Enter ...") comes first.
		 */
		fit = tui_text_visual(iso, tui_text_isolate_figures(in, fit,
		    iso, sizeof iso / sizeof iso[0]), vis, t->mirror);
	else
		memcpy(vis, in, fit * sizeof *in);
	cols = tui_text_width(vis, fit);
	pad = w - cols;
	attron(attr);
	move(y, x);
	if (align != TUI_LEFT && pad > 0) {
		hline(' ', pad);
		move(y, x + (align == TUI_RIGHT ? pad : pad / 2));
	}
	if (fit > 0)
		addnwstr(vis, (int)fit);
	if (align == TUI_LEFT && pad > 0) {
		move(y, x + cols);
		hline(' ', pad);
	}
	attroff(attr);
}

void
tui_putf(struct tui *t, int y, int x, int w, int attr, enum tui_align align,
    const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	tui_put(t, y, x, w, buf, attr, align);
}

/* Large digits when they fit in w columns, else the plain text in bold. */
void
tui_big(struct tui *t, int y, int x, int w, const char *text, int attr)
{
	char row[512];
	int bw = tui_big_width(text);

	if (bw < 0 || bw > w) {
		tui_put(t, y + 1, x, w, text, attr | A_BOLD, TUI_RIGHT);
		return;
	}
	for (int r = 0; r < TUI_BIG_ROWS; r++) {
		tui_big_row(text, r, row, sizeof row);
		tui_put(t, y + r, x, w, row, attr, TUI_RIGHT);
	}
}

/*
 * A labelled input field; the active one gets the cursor, where the next
 * character typed will show. Mirrored, the label is on the right and the
 * text runs up to it: right-to-left text grows leftwards, so the cursor
 * sits left of it; figures and Latin text grow rightwards, so the cursor
 * sits between them and the label.
 */
void
tui_field(struct tui *t, int y, int x, int w, const char *label,
    const struct tui_edit *e, bool mask, bool active)
{
	char shown[TUI_EDIT_MAX];
	wchar_t wide[TUI_EDIT_MAX];
	int lw = tui_text_columns(label) + 1, cols;
	bool rtl;

	tui_put(t, y, x, lw, label, A_BOLD, TUI_LEFT);
	if (mask) {
		size_t n = e->len < sizeof shown - 1 ? e->len : sizeof shown - 1;

		memset(shown, '*', n);
		shown[n] = '\0';
	} else
		snprintf(shown, sizeof shown, "%s", e->s);
	cols = tui_text_columns(shown);
	/* Show the end of what was typed when it is longer than the field. */
	if (cols > w - lw - 1) {
		const char *p = shown;

		while (*p != '\0' && tui_text_columns(p) > w - lw - 1)
			do
				p++;
			while (((unsigned char)*p & 0xc0) == 0x80);
		memmove(shown, p, strlen(p) + 1);
		cols = tui_text_columns(shown);
	}
	rtl = t->fribidi && tui_text_has_rtl(wide, tui_text_decode(shown, wide,
	    sizeof wide / sizeof wide[0]));
	if (t->mirror && !rtl) {
		/* Keep a cell for the cursor between the text and the label. */
		tui_put(t, y, x + lw, 1, "", active ? A_UNDERLINE | A_BOLD :
		    A_UNDERLINE, TUI_LEFT);
		tui_put(t, y, x + lw + 1, w - lw - 1, shown, active ?
		    A_UNDERLINE | A_BOLD : A_UNDERLINE, TUI_LEFT);
	} else
		tui_put(t, y, x + lw, w - lw, shown, active ? A_UNDERLINE |
		    A_BOLD : A_UNDERLINE, TUI_LEFT);
	if (!active)
		return;
	t->cur_y = y;
	if (!t->mirror)
		t->cur_x = x + lw + cols;
	else if (rtl)
		t->cur_x = COLS - 1 - (x + lw + cols);
	else
		t->cur_x = COLS - 1 - (x + lw);
}

/* Amount grouped in the configured digits, with no symbol. */
const char *
tui_amount(const struct tui *t, int64_t v, char *buf, size_t len)
{
	money_display(v, t->cfg.currency.decimals, t->cfg.currency.digits, buf,
	    len);
	return buf;
}

/* Amount with the currency symbol. */
const char *
tui_money(const struct tui *t, int64_t v, char *buf, size_t len)
{
	char num[96];

	tui_amount(t, v, num, sizeof num);
	snprintf(buf, len, "%s %s", num, t->cfg.currency.symbol);
	return buf;
}

/* A count (lines, sales) in the configured digits. */
const char *
tui_count(const struct tui *t, size_t n, char *buf, size_t len)
{
	return tui_qty(t, (int64_t)n * 1000, buf, len);
}

const char *
tui_origin_mark(bool pulled, bool central, const char *conflict)
{
	if (conflict != NULL)
		return "!";
	return pulled && !central ? "L" : "";
}

bool
tui_master_pulled(struct tui *t)
{
	struct mdata_held held;
	char *cause = NULL;
	bool pulled = false;

	if (mdata_held(t->st, &held, &cause) == POS_OK)
		pulled = held.version > 0;
	free(cause);
	mdata_held_clear(&held);
	return pulled;
}

/*
 * Western-digit text (a figure, a date, a time) in the configured digits:
 * with Arabic-Indic digits the decimal point becomes U+066B, as in amounts.
 */
const char *
tui_digits(const struct tui *t, const char *in, char *buf, size_t len)
{
	size_t used = 0;

	if (t->cfg.currency.digits != CONFIG_DIGITS_ARABIC_INDIC) {
		snprintf(buf, len, "%s", in);
		return buf;
	}
	buf[0] = '\0';
	for (const char *p = in; *p != '\0'; p++) {
		char c[4];
		int k;

		if (*p >= '0' && *p <= '9')
			snprintf(c, sizeof c, "\xd9%c", (char)(0xa0 + (*p - '0')));
		else if (*p == '.')
			snprintf(c, sizeof c, "\xd9\xab");
		else
			snprintf(c, sizeof c, "%c", *p);
		k = snprintf(buf + used, len - used, "%s", c);
		if (k < 0 || (size_t)k >= len - used)
			break;
		used += (size_t)k;
	}
	return buf;
}

/* Quantity thousandths in the configured digits ("3", "0.25", "٠٫٢٥"). */
const char *
tui_qty(const struct tui *t, int64_t qty, char *buf, size_t len)
{
	char q[32];

	qty_format(qty, q, sizeof q);
	return tui_digits(t, q, buf, len);
}
