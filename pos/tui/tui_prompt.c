/*
 * The message line and what is typed on it: messages and domain errors,
 * the line editor, prompts, and the supervisor's PIN with its lock-out
 * (each wrong PIN locks PIN entry for longer, up to TUI_LOCK_MAX_S).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "money.h"
#include "tui_int.h"
#include "tui_text.h"
#include "xalloc.h"

#define TUI_LOCK_MAX_S	30

/* Drop the keys typed ahead (after an error, so nothing lands elsewhere). */
static void
tui_flush_input(void)
{
	if (stdscr != NULL && !isendwin())
		flushinp();
}

/* An error also drops the keys typed ahead: they were meant for what failed. */
void
tui_msg(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_error = error;
	if (error)
		tui_flush_input();
}

/* Show a domain error (what: cause) and free the cause. */
void
tui_cause(struct tui *t, const char *what, char *cause)
{
	tui_msg(t, true, "%s: %s", what, cause != NULL ? cause : _("failed"));
	free(cause);
}

void
tui_edit_clear(struct tui_edit *e)
{
	e->s[0] = '\0';
	e->len = 0;
	e->fresh = false;
	e->full = false;
}

void
tui_edit_set(struct tui_edit *e, const char *s)
{
	snprintf(e->s, sizeof e->s, "%s", s);
	e->len = strlen(e->s);
	e->fresh = e->len > 0;
	e->full = false;
}

static bool
tui_edit_key(struct tui_edit *e, bool fkey, wint_t ch)
{
	char mb[MB_LEN_MAX];
	mbstate_t mbs;
	size_t n;

	e->full = false;
	if ((fkey && ch == KEY_BACKSPACE) || (!fkey && (ch == 127 || ch == 8))) {
		e->fresh = false;
		if (e->len == 0)
			return false;
		do
			e->len--;
		while (e->len > 0 && ((unsigned char)e->s[e->len] & 0xc0) == 0x80);
		e->s[e->len] = '\0';
		return true;
	}
	if (!fkey && ch == 21) {
		tui_edit_clear(e);
		return true;
	}
	if (fkey || ch < 0x20 || ch == 0x7f || !iswprint((wint_t)ch))
		return false;
	if (e->fresh)
		tui_edit_clear(e);
	memset(&mbs, 0, sizeof mbs);
	n = wcrtomb(mb, (wchar_t)ch, &mbs);
	if (n == (size_t)-1)
		return false;
	if (e->len + n >= sizeof e->s) {
		e->full = true;
		return false;
	}
	memcpy(e->s + e->len, mb, n);
	e->len += n;
	e->s[e->len] = '\0';
	return true;
}

bool
tui_edit_type(struct tui *t, struct tui_edit *e, bool fkey, wint_t ch)
{
	if (tui_edit_key(e, fkey, ch))
		return true;
	if (!e->full)
		return false;
	tui_edit_clear(e);
	tui_msg(t, true, _("Too long for this field (at most %d bytes): "
	    "nothing was taken."), TUI_EDIT_MAX - 1);
	return true;
}

/* A prompt on the message line; true on Enter, false on Esc. */
bool
tui_ask(struct tui *t, const char *label, struct tui_edit *e, bool mask)
{
	bool fkey, ok = false;
	wint_t ch;

	t->prompt_label = label;
	t->prompt = e;
	t->prompt_mask = mask;
	t->msg[0] = '\0';
	while (tui_next_key(t, &fkey, &ch)) {
		if (!fkey && ch == '\r') {
			ok = true;
			break;
		}
		if (!fkey && (ch == 27 || ch == 3))
			break;
		if (tui_edit_type(t, e, fkey, ch) && e->len > 0)
			t->msg[0] = '\0';
	}
	t->prompt = NULL;
	return ok;
}

/* The message with the live lock-out count-down, as drawn. */
static void
tui_msg_line(const struct tui *t, char *line, size_t len)
{
	char wait[64] = "";
	int left = tui_locked(t);

	if (left > 0 && t->screen != TUI_LOGIN)
		snprintf(wait, sizeof wait, _("Wait %d s."), left);
	snprintf(line, len, "%s%s%s", t->msg, wait[0] != '\0' ? " " : "",
	    wait);
}

#define TUI_MSG_MAX_ROWS	3

/*
 * The message broken into rows of at most cols columns, after the last
 * space that fits (or where the columns end when none does): the start
 * of each row in at[], the row count returned, at most TUI_MSG_MAX_ROWS.
 */
static int
tui_msg_break(const wchar_t *w, size_t n, int cols,
    size_t at[TUI_MSG_MAX_ROWS + 1])
{
	size_t pos = 0, fit, cut;
	int rows = 0;

	while (rows < TUI_MSG_MAX_ROWS) {
		at[rows++] = pos;
		fit = tui_text_fit(w + pos, n - pos, cols);
		if (fit >= n - pos || fit == 0) {
			pos = n;
			break;
		}
		for (cut = fit; cut > 0 && w[pos + cut] != L' '; cut--)
			;
		pos += cut > 0 ? cut + 1 : fit;
	}
	at[rows] = rows == TUI_MSG_MAX_ROWS && pos < n ? n : pos;
	return rows;
}

/* Columns an open prompt keeps for what is typed beside its label. */
#define TUI_PROMPT_MIN_FIELD	24

/*
 * Rows an open prompt's label takes above its field: 0 when label and
 * field share one row, else the label wrapped at spaces.
 */
static int
tui_prompt_label_rows(const struct tui *t, wchar_t *w, size_t *n,
    size_t at[TUI_MSG_MAX_ROWS + 1])
{
	*n = tui_text_decode(t->prompt_label, w, TUI_EDIT_MAX);
	if (tui_text_width(w, *n) + 1 + TUI_PROMPT_MIN_FIELD <= COLS)
		return 0;
	return tui_msg_break(w, *n, COLS, at);
}

int
tui_msg_rows(const struct tui *t)
{
	char line[sizeof t->msg + 64];
	wchar_t w[sizeof line];
	size_t n, at[TUI_MSG_MAX_ROWS + 1];

	if (t->prompt != NULL)
		return 1 + tui_prompt_label_rows(t, w, &n, at);
	if (t->msg[0] == '\0')
		return 1;
	tui_msg_line(t, line, sizeof line);
	n = tui_text_decode(line, w, sizeof w / sizeof w[0]);
	return tui_msg_break(w, n, COLS, at);
}

int
tui_put_wrap(struct tui *t, int y, int x, int w, const char *text, int attr)
{
	wchar_t wt[TUI_EDIT_MAX * 2], piece[TUI_EDIT_MAX * 2 + 1];
	char row[8 * TUI_EDIT_MAX + 4];
	size_t n, at[TUI_MSG_MAX_ROWS + 1];
	int rows;

	n = tui_text_decode(text, wt, sizeof wt / sizeof wt[0]);
	rows = tui_msg_break(wt, n, w, at);
	for (int r = 0; r < rows; r++) {
		size_t end = r + 1 < rows ? at[r + 1] : n;

		wmemcpy(piece, wt + at[r], end - at[r]);
		piece[end - at[r]] = L'\0';
		if (wcstombs(row, piece, sizeof row) >= sizeof row)
			row[0] = '\0';
		tui_put(t, y + r, x, w, row, attr, TUI_LEFT);
	}
	return rows;
}

/* The message from row y, over the rows tui_msg_rows gives. */
void
tui_msg_draw(struct tui *t, int y)
{
	char line[sizeof t->msg + 64], row[4 * sizeof line];
	wchar_t w[sizeof line], piece[sizeof line];
	int a = tui_attr(t, t->msg_error ? TUI_A_ERROR : TUI_A_OK), rows;
	size_t n, at[TUI_MSG_MAX_ROWS + 1];

	if (t->msg[0] == '\0')
		return;
	tui_msg_line(t, line, sizeof line);
	n = tui_text_decode(line, w, sizeof w / sizeof w[0]);
	rows = tui_msg_break(w, n, COLS, at);
	for (int r = 0; r < rows; r++) {
		size_t end = r + 1 < rows ? at[r + 1] : n;

		wmemcpy(piece, w + at[r], end - at[r]);
		piece[end - at[r]] = L'\0';
		if (wcstombs(row, piece, sizeof row) >= sizeof row)
			row[0] = '\0';
		tui_put(t, y + r, 0, COLS, row, a, TUI_LEFT);
	}
}

/*
 * The open prompt from row y: its label and the field on one row, or a
 * label too long for that wrapped over the rows above the field.
 */
void
tui_prompt_draw(struct tui *t, int y)
{
	wchar_t w[TUI_EDIT_MAX], piece[TUI_EDIT_MAX + 1];
	char row[4 * TUI_EDIT_MAX + 4];
	size_t n, at[TUI_MSG_MAX_ROWS + 1];
	int rows = tui_prompt_label_rows(t, w, &n, at);

	if (rows == 0) {
		tui_field(t, y, 0, COLS, t->prompt_label, t->prompt,
		    t->prompt_mask, true);
		return;
	}
	for (int r = 0; r < rows; r++) {
		size_t end = r + 1 < rows ? at[r + 1] : n;

		wmemcpy(piece, w + at[r], end - at[r]);
		piece[end - at[r]] = L'\0';
		if (wcstombs(row, piece, sizeof row) >= sizeof row)
			row[0] = '\0';
		tui_put(t, y + r, 0, COLS, row, A_BOLD, TUI_LEFT);
	}
	tui_field(t, y + rows, 0, COLS, "", t->prompt, t->prompt_mask, true);
}

int
tui_locked(const struct tui *t)
{
	int64_t left = t->locked_until - tui_now_ms();

	return left > 0 ? (int)((left + 999) / 1000) : 0;
}

/* A wrong PIN: count it and lock PIN entry for 1, 2, 4 ... 30 seconds. */
int
tui_pin_failed(struct tui *t)
{
	int s = t->pin_fails < 5 ? 1 << t->pin_fails : TUI_LOCK_MAX_S;

	if (s > TUI_LOCK_MAX_S)
		s = TUI_LOCK_MAX_S;
	t->pin_fails++;
	t->locked_until = tui_now_ms() + (int64_t)s * 1000;
	return s;
}

/*
 * A supervisor's say-so for one action. The PIN alone names the supervisor
 * (no two users share a PIN, see user_add); Enter on an empty PIN, or a PIN
 * several users of an older store share, asks for the name as well.
 */
bool
tui_supervisor(struct tui *t, char *who, size_t len)
{
	struct tui_edit name, pin;
	char *cause = NULL, *found = NULL;
	int rc, wait;

	if ((wait = tui_locked(t)) > 0) {
		tui_msg(t, true, _("Too many wrong PINs: wait %d s."), wait);
		return false;
	}
	tui_edit_clear(&name);
	tui_edit_clear(&pin);
	if (!tui_ask(t, _("Supervisor PIN (Enter alone: by name):"), &pin,
	    true))
		goto cancel;
	rc = POS_INPUT;
	if (pin.len > 0) {
		rc = user_identify(t->st, pin.s, USER_SUPERVISOR, &found,
		    &cause);
		free(cause);
		cause = NULL;
	}
	if (rc == POS_INPUT) {
		if (t->role == USER_SUPERVISOR)
			tui_edit_set(&name, t->user);
		if (!tui_ask(t, _("Supervisor:"), &name, false) ||
		    name.len == 0 || (pin.len == 0 &&
		    !tui_ask(t, _("Supervisor PIN:"), &pin, true)))
			goto cancel;
		rc = user_authenticate(t->st, name.s, pin.s, USER_SUPERVISOR,
		    &cause);
		free(cause);
		if (rc == POS_OK)
			found = xstrdup(name.s);
	}
	explicit_bzero(pin.s, sizeof pin.s);
	if (rc != POS_OK) {
		tui_pin_failed(t);
		tui_msg(t, true, _("Not a supervisor or wrong PIN (%d failed)."),
		    t->pin_fails);
		return false;
	}
	t->pin_fails = 0;
	snprintf(who, len, "%s", found);
	free(found);
	return true;

cancel:
	explicit_bzero(pin.s, sizeof pin.s);
	tui_msg(t, false, "%s", _("Cancelled."));
	return false;
}

bool
tui_parse_amount(struct tui *t, const char *text, int64_t *out)
{
	char err[96];

	if (money_parse_grouped(text, t->cfg.currency.decimals, false, out,
	    err, sizeof err) != 0) {
		tui_msg(t, true, _("Amount \"%s\": %s"), text, err);
		return false;
	}
	return true;
}
