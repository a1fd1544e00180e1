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

#define TUI_LOCK_MAX_S	30

void
tui_msg(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_error = error;
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
}

void
tui_edit_set(struct tui_edit *e, const char *s)
{
	snprintf(e->s, sizeof e->s, "%s", s);
	e->len = strlen(e->s);
}

/* Typing, Backspace (one character) and ^U (all). True when it changed. */
bool
tui_edit_key(struct tui_edit *e, bool fkey, wint_t ch)
{
	char mb[MB_LEN_MAX];
	mbstate_t mbs;
	size_t n;

	if ((fkey && ch == KEY_BACKSPACE) || (!fkey && (ch == 127 || ch == 8))) {
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
	memset(&mbs, 0, sizeof mbs);
	n = wcrtomb(mb, (wchar_t)ch, &mbs);
	if (n == (size_t)-1 || e->len + n >= sizeof e->s)
		return false;
	memcpy(e->s + e->len, mb, n);
	e->len += n;
	e->s[e->len] = '\0';
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
		tui_edit_key(e, fkey, ch);
	}
	t->prompt = NULL;
	return ok;
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

/* Ask for a supervisor's name and PIN; *who gets the name on success. */
bool
tui_supervisor(struct tui *t, char *who, size_t len)
{
	struct tui_edit name, pin;
	char *cause = NULL;
	int rc, wait;

	if ((wait = tui_locked(t)) > 0) {
		tui_msg(t, true, _("Too many wrong PINs: wait %d s."), wait);
		return false;
	}
	tui_edit_clear(&name);
	tui_edit_clear(&pin);
	if (t->role == USER_SUPERVISOR)
		tui_edit_set(&name, t->user);
	if (!tui_ask(t, _("Supervisor:"), &name, false) || name.len == 0 ||
	    !tui_ask(t, _("Supervisor PIN:"), &pin, true)) {
		tui_msg(t, false, "%s", _("Cancelled."));
		return false;
	}
	rc = user_authenticate(t->st, name.s, pin.s, USER_SUPERVISOR, &cause);
	explicit_bzero(pin.s, sizeof pin.s);
	free(cause);
	if (rc != POS_OK) {
		wait = tui_pin_failed(t);
		(void)wait;
		tui_msg(t, true, _("Not a supervisor or wrong PIN (%d failed)."),
		    t->pin_fails);
		return false;
	}
	t->pin_fails = 0;
	snprintf(who, len, "%s", name.s);
	return true;
}

bool
tui_parse_amount(struct tui *t, const char *text, int64_t *out)
{
	char err[96];

	if (money_parse(text, t->cfg.currency.decimals, false, out, err,
	    sizeof err) != 0) {
		tui_msg(t, true, _("Amount \"%s\": %s"), text, err);
		return false;
	}
	return true;
}
