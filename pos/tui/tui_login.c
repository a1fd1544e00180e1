/*
 * The login screen: an attendant's name and PIN, checked with
 * user_authenticate; wrong PINs count towards the lock-out in
 * tui_prompt.c. A login warms the product search and opens the sale screen.
 *
 * It also shows the last sale committed (receipt, time, total), so after a
 * crash or a power cut the attendant sees whether the sale in hand was
 * saved before ringing it up again, and says when the open session belongs
 * to an earlier date, offering to close it at login.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "journal.h"
#include "till.h"
#include "tui_int.h"
#include "xalloc.h"

/* The login screen's state: the two fields and which one is active. */
struct tui_login {
	struct tui_edit	 user, pin;
	int		 field;		/* 0 user, 1 PIN */
	char		 last_receipt[LEDGER_MAX_RECEIPT];	/* "" if none */
	char		 last_time[32];	/* local */
	int64_t		 last_total;
	char		 late[11];	/* the open session's date when past it */
};

/* What the journal says now: the last sale and a late session. */
static void
tui_login_facts(struct tui *t, struct tui_login *l)
{
	struct ledger_entry e;
	char *cause = NULL;
	int64_t seq;
	bool late;

	l->last_receipt[0] = l->late[0] = '\0';
	if (journal_last_sale(t->st, &seq, &cause) == POS_OK && seq > 0 &&
	    journal_load(t->st, seq, &e, &cause) == POS_OK) {
		snprintf(l->last_receipt, sizeof l->last_receipt, "%s",
		    e.receipt);
		store_local_time(&t->cfg, e.created_at, STORE_TIME_DATE_HM,
		    l->last_time,
		    sizeof l->last_time);
		l->last_total = e.total;
		ledger_entry_free(&e);
	}
	free(cause);
	cause = NULL;
	if (till_day_late(t->st, l->late, &late, &cause) != POS_OK || !late)
		l->late[0] = '\0';
	free(cause);
}

static void *
tui_login_init(struct tui *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct tui_login));
}

/* Both fields start empty each time the screen opens; the day is read anew. */
static void
tui_login_enter(struct tui *t, void *data)
{
	struct tui_login *l = data;

	tui_day_refresh(t);
	tui_login_facts(t, l);
	tui_edit_clear(&l->user);
	tui_edit_clear(&l->pin);
	l->field = 0;
}

/* A session left open past its date: offer its close before selling on. */
static void
tui_login_offer_close(struct tui *t, struct tui_login *l)
{
	struct tui_edit go;
	char label[256];

	tui_login_facts(t, l);
	if (l->late[0] == '\0')
		return;
	tui_edit_clear(&go);
	snprintf(label, sizeof label, _("Day %s is still open: close it now? "
	    "Enter closes it, Esc sells on."), l->late);
	if (tui_ask(t, label, &go, false))
		tui_reports_close_now(t);
	else
		tui_msg(t, true, _("Day %s is still open: close it."), l->late);
}

/* A key during the lock-out: the PIN typed so far is dropped, visibly. */
static void
tui_login_drop(struct tui *t, struct tui_login *l, int wait)
{
	explicit_bzero(l->pin.s, sizeof l->pin.s);
	tui_edit_clear(&l->pin);
	tui_msg(t, true, _("Too many wrong PINs: wait %d s; keys typed now "
	    "are dropped."), wait);
}

static void
tui_login_next(struct tui *t, void *data)
{
	struct tui_login *l = data;
	enum user_role role;
	char *cause = NULL;
	int rc, wait;

	if (l->field == 0) {
		if (l->user.len > 0)
			l->field = 1;
		return;
	}
	if ((wait = tui_locked(t)) > 0) {
		tui_login_drop(t, l, wait);
		return;
	}
	rc = user_authenticate(t->st, l->user.s, l->pin.s,
	    USER_ATTENDANT, &cause);
	free(cause);
	cause = NULL;
	explicit_bzero(l->pin.s, sizeof l->pin.s);
	l->pin.len = 0;
	if (rc == POS_OK)
		rc = user_get(t->st, l->user.s, &role, &cause);
	if (rc != POS_OK) {
		free(cause);
		wait = tui_pin_failed(t);
		(void)wait;
		tui_msg(t, true, _("Wrong user or PIN (%d failed)."),
		    t->pin_fails);
		return;
	}
	t->pin_fails = 0;
	snprintf(t->user, sizeof t->user, "%s", l->user.s);
	t->role = role;
	/* Warm the search at login, not at the first keystroke; a failure can wait. */
	if (catalog_search_warm(t->st, &cause) != POS_OK) {
		free(cause);
		cause = NULL;
	}
	tui_day_refresh(t);
	tui_msg(t, false, _("Welcome, %s."), t->user);
	if (t->day[0] == '\0' || !t->day_open)
		tui_msg(t, true, "%s", _("No day is open: nothing can be sold. "
		    "F8 opens the day."));
	tui_go(t, TUI_SALE);
	tui_login_offer_close(t, l);
}

static void
tui_login_field(struct tui *t, void *data)
{
	struct tui_login *l = data;

	(void)t;
	l->field = !l->field;
}

static void
tui_login_quit(struct tui *t, void *data)
{
	(void)data;
	t->quit = true;
}

static void
tui_login_draw(struct tui *t, void *data)
{
	struct tui_login *l = data;
	int w = 44, x = (COLS - w) / 2, y = LINES / 2 - 5, wait;

	tui_put(t, y, x, w, t->cfg.window.name, tui_attr(t, TUI_A_HEAD) |
	    A_BOLD, TUI_CENTER);
	tui_put(t, y + 1, x, w, _("Log in with your name and PIN."), A_NORMAL,
	    TUI_CENTER);
	tui_field(t, y + 3, x, w, _("User:"), &l->user, false,
	    l->field == 0);
	tui_field(t, y + 5, x, w, _("PIN:"), &l->pin, true,
	    l->field == 1);
	if ((wait = tui_locked(t)) > 0)
		tui_putf(t, y + 7, x, w, tui_attr(t, TUI_A_ERROR), TUI_CENTER,
		    _("Wait %d s before the next try."), wait);
	else if (t->pin_fails > 0)
		tui_put(t, y + 7, x, w, _("Try again."), A_BOLD, TUI_CENTER);
	if (l->last_receipt[0] != '\0') {
		char m[96];

		tui_putf(t, y + 9, 1, COLS - 2, A_NORMAL, TUI_CENTER,
		    _("Last sale: %s at %s, total %s."), l->last_receipt,
		    l->last_time, tui_money(t, l->last_total, m, sizeof m));
	}
	if (l->late[0] != '\0')
		tui_putf(t, y + 10, 1, COLS - 2, tui_attr(t, TUI_A_ERROR),
		    TUI_CENTER, _("Day %s is still open: close it."), l->late);
	/* Put the cursor back on the active field. */
	tui_field(t, y + 3 + 2 * l->field, x, w, l->field ?
	    _("PIN:") : _("User:"), l->field ? &l->pin :
	    &l->user, l->field == 1, true);
}

static void
tui_login_input(struct tui *t, void *data, bool fkey, wint_t ch)
{
	struct tui_login *l = data;
	struct tui_edit *e = l->field ? &l->pin : &l->user;

	if (tui_key_is(ch, fkey, KEY_UP) || tui_key_is(ch, fkey, KEY_DOWN)) {
		tui_login_field(t, l);
		return;
	}
	/* PINs are digits only. */
	if (l->field == 1 && !fkey && ch >= 0x20 && (ch < '0' || ch > '9'))
		return;
	if (l->field == 1 && tui_locked(t) > 0) {
		tui_login_drop(t, l, tui_locked(t));
		return;
	}
	if (tui_edit_type(t, e, fkey, ch) && e->len > 0)
		t->msg[0] = '\0';
}

static const struct tui_key tui_login_keys[] = {
	{ 0, 0, '\r', N_("next / log in"), tui_login_next },
	{ 0, 0, '\t', N_("field"), tui_login_field },
	{ KEY_F(10), 'X', 0, N_("quit"), tui_login_quit },
};

const struct tui_screen tui_login_screen = {
	.title = N_("Log in"),
	.keys = tui_login_keys,
	.nkeys = sizeof tui_login_keys / sizeof tui_login_keys[0],
	.init = tui_login_init,
	.done = free,
	.enter = tui_login_enter,
	.draw = tui_login_draw,
	.input = tui_login_input,
};
