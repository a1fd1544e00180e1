/*
 * The terminal UI: the terminal itself (locale, curses, colours, restoring
 * it on every exit and on a crash signal), the frame every screen is drawn
 * in (status line, title, message line, key hints), the input loop, the
 * global keys and the screen table. Each screen and its state is in its
 * own tui_*.c; see tui_int.h for the layout.
 *
 * The loop never blocks on input: get_wch waits at most TUI_TICK_MS, then
 * tui_poll runs (the PIN lock-out count-down, the status line; a sync worker
 * will be polled from there). A signal handler only sets a flag (SIGTERM,
 * SIGHUP, SIGINT) or, for a crash, writes the terminal's restore bytes,
 * resets the tty modes it saved and re-raises the signal.
 */
#include "tui.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "printq.h"
#include "tui_int.h"
#include "tui_text.h"
#include "xalloc.h"

#ifndef POS_LOCALEDIR_BUILD
#define POS_LOCALEDIR_BUILD ""
#endif
#ifndef POS_LOCALEDIR_INSTALL
#define POS_LOCALEDIR_INSTALL "/usr/local/share/locale"
#endif

#define TUI_MIN_LINES	24
#define TUI_MIN_COLS	80
#define TUI_KEY_REDRAW	('L' & 0x1f)	/* Ctrl-L on every screen and prompt */

static volatile sig_atomic_t tui_stop;
static volatile sig_atomic_t tui_active;
static struct termios tui_saved_tty;
static bool tui_have_tty;
/* What a crash handler writes: leave the alternate screen, show the cursor. */
static char tui_restore_bytes[128];
static size_t tui_restore_len;

static tui_screen_fn tui_global_void, tui_global_producers, tui_global_reports,
    tui_global_logout;

/* Keys on every screen but login and payment. */
static const struct tui_key tui_global_keys[] = {
	{ KEY_F(9), 'V', 0, N_("void/refund"), tui_global_void },
	{ KEY_F(10), 'O', 0, N_("producers"), tui_global_producers },
	{ KEY_F(11), 'Y', 0, N_("reports"), tui_global_reports },
	{ KEY_F(12), 'G', 0, N_("log out"), tui_global_logout },
};
#define tui_nglobal_keys (sizeof tui_global_keys / sizeof tui_global_keys[0])

/* The hints while a prompt is open (tui_ask handles these keys itself). */
static const struct tui_key tui_prompt_keys[] = {
	{ 0, 0, '\r', N_("confirm"), NULL },
	{ 0, 0, 27, N_("cancel"), NULL },
	{ 0, 'U', 0, N_("clear the field"), NULL },
};

static const struct tui_screen *const tui_screens[TUI_NSCREENS] = {
	[TUI_LOGIN] = &tui_login_screen,
	[TUI_SALE] = &tui_sale_screen,
	[TUI_PAY] = &tui_pay_screen,
	[TUI_VOID] = &tui_void_screen,
	[TUI_PRODUCERS] = &tui_producers_screen,
	[TUI_REPORTS] = &tui_reports_screen,
};

/* ---- the terminal ---- */

int64_t
tui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
tui_restore_add(const char *s)
{
	size_t len;

	if (s == NULL || s == (char *)-1)
		return;
	len = strlen(s);
	if (tui_restore_len + len >= sizeof tui_restore_bytes)
		return;
	memcpy(tui_restore_bytes + tui_restore_len, s, len);
	tui_restore_len += len;
}

static void
tui_on_stop(int sig)
{
	(void)sig;
	tui_stop = 1;
}

/* Async-signal-safe: write(2), tcsetattr(3), signal(2) and raise(3) only. */
static void
tui_on_crash(int sig)
{
	if (tui_active) {
		ssize_t w = write(STDOUT_FILENO, tui_restore_bytes,
		    tui_restore_len);

		(void)w;
		if (tui_have_tty)
			tcsetattr(STDIN_FILENO, TCSANOW, &tui_saved_tty);
		tui_active = 0;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * With [ui] bidi = fribidi the UI sends every line in visual order, so a
 * terminal that reorders lines itself is told not to: VTE by explicit
 * mode (CSI 8 l), mlterm, which ignores that, by turning its complex text
 * layout off (its OSC 5379 use_ctl). tui_bidi_undo gives them back on exit.
 */
static char tui_bidi_do[64], tui_bidi_undo[64];

/* mlterm says so in $MLTERM, and in $TERM, which ssh passes on too. */
static bool
tui_terminal_mlterm(void)
{
	const char *v = getenv("MLTERM"), *term = getenv("TERM");

	return (v != NULL && *v != '\0') ||
	    (term != NULL && strncmp(term, "mlterm", 6) == 0);
}

/* True in a terminal known to reorder right-to-left lines by itself. */
static bool
tui_terminal_reorders(void)
{
	const char *v = getenv("VTE_VERSION");

	return tui_terminal_mlterm() || (v != NULL && *v != '\0');
}

static void
tui_bidi_send(void)
{
	if (tui_bidi_do[0] == '\0')
		return;
	fputs(tui_bidi_do, stdout);
	fflush(stdout);
}

/* End curses and give the terminal back as it was. Safe to call twice. */
static void
tui_end(void)
{
	if (!tui_active)
		return;
	tui_active = 0;
	endwin();
	if (tui_bidi_undo[0] != '\0') {
		fputs(tui_bidi_undo, stdout);
		fflush(stdout);
	}
}

/* Out of memory: xalloc_fatal calls this before it aborts. */
static void
tui_fatal_hook(void)
{
	tui_end();
}

static void
tui_signals(void)
{
	static const int stop[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };
	static const int crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tui_on_stop;
	for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++)
		sigaction(stop[i], &sa, NULL);
	sa.sa_handler = tui_on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
		sigaction(crash[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
tui_colors(struct tui *t)
{
	t->colors = has_colors();
	if (!t->colors)
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_BLACK, COLOR_CYAN);		/* status */
	init_pair(2, COLOR_WHITE, COLOR_BLUE);		/* title */
	init_pair(3, COLOR_BLACK, COLOR_WHITE);		/* key */
	init_pair(4, COLOR_WHITE, COLOR_RED);		/* error */
	init_pair(5, COLOR_BLACK, COLOR_GREEN);		/* ok */
	/* Big figures: bright on black whatever the terminal's own colours. */
	init_pair(6, COLOR_YELLOW, COLOR_BLACK);	/* big */
	init_pair(7, COLOR_BLACK, COLOR_YELLOW);	/* selection */
	init_pair(8, COLOR_CYAN, -1);			/* head */
}

/* The locale, with a UTF-8 character type even when the environment has none. */
static void
tui_locale(void)
{
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

/* gettext: [ui] language (en | ar) wins over the locale. */
static void
tui_language(const struct config *cfg)
{
	const char *dir = getenv("POS_LOCALEDIR");
	char probe[4096];

	if (dir == NULL || *dir == '\0') {
		snprintf(probe, sizeof probe, "%s/ar/LC_MESSAGES/pos.mo",
		    POS_LOCALEDIR_BUILD);
		dir = POS_LOCALEDIR_BUILD[0] != '\0' && access(probe, R_OK) == 0 ?
		    POS_LOCALEDIR_BUILD : POS_LOCALEDIR_INSTALL;
	}
	if (cfg->ui.language != NULL && cfg->ui.language[0] != '\0') {
		setenv("LANGUAGE", cfg->ui.language, 1);
		/* gettext ignores LANGUAGE in the "C" locale. */
		if (strcmp(setlocale(LC_MESSAGES, NULL), "C") == 0 ||
		    strcmp(setlocale(LC_MESSAGES, NULL), "POSIX") == 0)
			setlocale(LC_MESSAGES, "C.UTF-8");
	}
	bindtextdomain("pos", dir);
	bind_textdomain_codeset("pos", "UTF-8");
	textdomain("pos");
}

/*
 * True when the interface speaks Arabic: [ui] language, or else the
 * first of $LANGUAGE and the messages locale.
 */
static bool
tui_arabic(const struct config *cfg)
{
	const char *l = cfg->ui.language;

	if (l == NULL || *l == '\0')
		l = getenv("LANGUAGE");
	if (l == NULL || *l == '\0')
		l = setlocale(LC_MESSAGES, NULL);
	return l != NULL && strncmp(l, "ar", 2) == 0 &&
	    (l[2] == '\0' || l[2] == '_' || l[2] == ':' || l[2] == '.');
}

static void
tui_start_curses(struct tui *t)
{
	if (tcgetattr(STDIN_FILENO, &tui_saved_tty) == 0)
		tui_have_tty = true;
	initscr();
	tui_active = 1;
	xalloc_set_fatal_hook(tui_fatal_hook);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	timeout(TUI_TICK_MS);
	tui_colors(t);
	tui_restore_len = 0;
	tui_restore_add(tigetstr("sgr0"));
	tui_restore_add(tigetstr("cnorm"));
	tui_restore_add(tigetstr("rmcup"));
	if (t->fribidi) {
		/* The terminal shows what we send, in that order. */
		snprintf(tui_bidi_do, sizeof tui_bidi_do, "\033[8l%s",
		    tui_terminal_mlterm() ? "\033]5379;use_ctl=false\007" : "");
		snprintf(tui_bidi_undo, sizeof tui_bidi_undo, "\033[8h%s",
		    tui_terminal_mlterm() ? "\033]5379;use_ctl=true\007" : "");
		tui_restore_add(tui_bidi_undo);
		tui_bidi_send();
	}
}

/* ---- the frame ---- */

int
tui_content_top(void)
{
	return 2;
}

static int tui_hint_rows, tui_msg_rows_n = 1;

int
tui_content_bottom(void)
{
	return LINES - 1 - tui_msg_rows_n - tui_hint_rows;
}

static void
tui_key_name(const struct tui_key *k, char *buf, size_t len)
{
	char f[16] = "", c[8] = "";

	if (k->fkey != 0)
		snprintf(f, sizeof f, "F%d", k->fkey - KEY_F0);
	if (k->ctrl != 0)
		snprintf(c, sizeof c, "^%c", k->ctrl);
	if (k->other == '\r')
		snprintf(f, sizeof f, "%s", _("Enter"));
	else if (k->other == '\t')
		snprintf(f, sizeof f, "%s", _("Tab"));
	else if (k->other == 27)
		snprintf(f, sizeof f, "%s", _("Esc"));
	snprintf(buf, len, "%s%s%s", f, f[0] != '\0' && c[0] != '\0' ? "/" : "",
	    c);
}

/* Shown on every screen; tui_next_key handles it, whatever the screen. */
static const struct tui_key tui_redraw_key = {
	.ctrl = 'L', .label = N_("redraw"),
};

/*
 * Every key of the screen, then the global ones and redraw, wrapped over
 * as many rows as they need from row y. Returns the rows used; draws only
 * when draw.
 */
static int
tui_hints(struct tui *t, const struct tui_screen *s, int y, bool draw)
{
	int x = 0, rows = 1;
	const struct tui_key *keys = t->prompt != NULL ? tui_prompt_keys :
	    s->keys;
	size_t nkeys = t->prompt != NULL ? sizeof tui_prompt_keys /
	    sizeof tui_prompt_keys[0] : s->nkeys;
	size_t nglobal = s->global && t->prompt == NULL ? tui_nglobal_keys : 0;
	size_t total = nkeys + nglobal + 1;

	for (size_t i = 0; i < total; i++) {
		const struct tui_key *k = i < nkeys ? &keys[i] :
		    i < nkeys + nglobal ? &tui_global_keys[i - nkeys] :
		    &tui_redraw_key;
		char name[32];
		const char *label = _(k->label);
		int nw, lw;

		tui_key_name(k, name, sizeof name);
		nw = tui_text_columns(name);
		lw = tui_text_columns(label);
		if (x > 0 && x + nw + 1 + lw > COLS) {
			rows++;
			y++;
			x = 0;
		}
		if (draw) {
			tui_put(t, y, x, nw, name, tui_attr(t, TUI_A_KEY),
			    TUI_LEFT);
			tui_put(t, y, x + nw + 1, lw, label, A_NORMAL, TUI_LEFT);
		}
		x += nw + 1 + lw + 2;
	}
	return rows;
}

/* Sync and printer state for the status line. */
/* "sync: online, 3 unsent, 12:04": the last success in local time. */
static const char *
tui_sync_state(const struct tui *t)
{
	static char buf[96];
	struct worker_status s;
	char when[16] = "";
	struct tm tm;
	time_t at;

	if (t->cfg.sync.url == NULL || t->cfg.sync.url[0] == '\0')
		return _("sync: not configured");
	if (t->worker == NULL)
		return _("sync: offline");
	worker_status(t->worker, &s);
	if (!s.sync_tried)
		return _("sync: connecting");
	memset(&tm, 0, sizeof tm);
	if (s.sync_last_success[0] != '\0' && strptime(s.sync_last_success,
	    "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL) {
		at = timegm(&tm);
		localtime_r(&at, &tm);
		strftime(when, sizeof when, ", %H:%M", &tm);
	}
	snprintf(buf, sizeof buf, s.sync_online ?
	    _("sync: online, %lld unsent%s") : _("sync: offline, %lld unsent%s"),
	    (long long)s.sync_unsynced, when);
	return buf;
}

static const char *
tui_printer_state(const struct tui *t)
{
	static char buf[64];
	struct worker_status s;

	if (t->worker == NULL)
		return _("printer: off");
	worker_status(t->worker, &s);
	if (s.runs == 0 || s.printer_ok)
		return _("printer: ok");
	if (s.printer_failed > 0) {
		snprintf(buf, sizeof buf, _("printer: %lld failed"),
		    (long long)s.printer_failed);
		return buf;
	}
	snprintf(buf, sizeof buf, _("printer: %lld waiting"),
	    (long long)s.printer_pending);
	return buf;
}

/*
 * Window, user, day, printer, sync: each part written on its own (so a
 * name never reorders a figure beside it) and, mirrored, from the right.
 */
static void
tui_draw_status(struct tui *t)
{
	char day[96], where[64];
	const char *part[5];
	int a = tui_attr(t, TUI_A_STATUS), x, cols, n = 5, w;
	int sep;

	if (t->day[0] == '\0')
		snprintf(day, sizeof day, "%s", _("no day open"));
	else if (t->day_open)
		snprintf(day, sizeof day, "%s", t->day);
	else
		snprintf(day, sizeof day, "%s %s", t->day, _("closed"));
	snprintf(where, sizeof where, "%s-%lld", t->st->branch,
	    (long long)t->st->terminal);
	part[0] = where;
	part[1] = t->user[0] != '\0' ? t->user : _("not logged in");
	part[2] = day;
	/* The printer's state before the sync's; narrower separators if needed. */
	part[3] = tui_printer_state(t);
	part[4] = tui_sync_state(t);
	cols = 1;
	for (int i = 0; i < n; i++)
		cols += tui_text_columns(part[i]);
	sep = cols + 3 * (n - 1) <= COLS ? 3 : 1;
	tui_put(t, 0, 0, COLS, "", a, TUI_LEFT);
	x = 1;
	for (int i = 0; i < n && x < COLS; i++) {
		if (i > 0) {
			tui_put(t, 0, x, sep, sep == 3 ? " │ " : "│", a,
			    TUI_LEFT);
			x += sep;
		}
		w = tui_text_columns(part[i]);
		if (x + w > COLS)
			w = COLS - x;
		tui_put(t, 0, x, w, part[i], a, TUI_LEFT);
		x += w;
	}
}

static void
tui_draw(struct tui *t)
{
	const struct tui_screen *s = tui_screens[t->screen];

	/*
	 * A screen may set the message while it draws (where a statement
	 * went): when that changes the rows the message needs, lay the
	 * frame out again, so the message never runs into the key hints.
	 */
	for (int pass = 0; pass < 2; pass++) {
		t->cur_y = t->cur_x = -1;
		tui_hint_rows = tui_hints(t, s, 0, false);
		tui_msg_rows_n = tui_msg_rows(t);
		erase();
		tui_draw_status(t);
		tui_putf(t, 1, 0, COLS, tui_attr(t, TUI_A_TITLE), TUI_LEFT,
		    " %s", _(s->title));
		if (LINES < TUI_MIN_LINES || COLS < TUI_MIN_COLS)
			tui_putf(t, 2, 0, COLS, tui_attr(t, TUI_A_ERROR),
			    TUI_LEFT, _("The terminal is %dx%d; the window "
			    "needs at least %dx%d."), COLS, LINES, TUI_MIN_COLS,
			    TUI_MIN_LINES);
		else
			s->draw(t, t->data[t->screen]);
		if (tui_msg_rows(t) == tui_msg_rows_n)
			break;
	}
	if (t->prompt != NULL) {
		tui_prompt_draw(t, LINES - tui_msg_rows_n - tui_hint_rows);
	} else
		tui_msg_draw(t, LINES - tui_msg_rows_n - tui_hint_rows);
	tui_hints(t, s, LINES - tui_hint_rows, true);
	if (t->cur_y >= 0) {
		curs_set(1);
		move(t->cur_y, t->cur_x < COLS ? t->cur_x : COLS - 1);
	} else
		curs_set(0);
	refresh();
}

/* ---- keys and screens ---- */

bool
tui_key_is(wint_t ch, bool fkey, int code)
{
	return fkey && (int)ch == code;
}

static bool
tui_key_match(const struct tui_key *k, bool fkey, wint_t ch)
{
	if (fkey)
		return k->fkey != 0 && (int)ch == k->fkey;
	if (k->ctrl != 0 && ch == (wint_t)(k->ctrl & 0x1f))
		return true;
	return k->other != 0 && ch == (wint_t)k->other;
}

static void tui_poll(struct tui *);

bool
tui_next_key(struct tui *t, bool *fkey, wint_t *ch)
{
	int r;

	for (;;) {
		if (tui_stop)
			return false;
		tui_draw(t);
		r = get_wch(ch);
		if (r == ERR) {
			tui_poll(t);
			continue;
		}
		*fkey = r == KEY_CODE_YES;
		if (*fkey && *ch == KEY_RESIZE)
			continue;	/* the next tui_draw lays out anew */
		if (!*fkey && *ch == TUI_KEY_REDRAW) {
			/* Ctrl-L: repaint every cell, as the terminal may differ. */
			tui_bidi_send();
			clearok(curscr, TRUE);
			continue;
		}
		if ((*fkey && *ch == KEY_ENTER) || (!*fkey && *ch == '\n'))
			*fkey = false, *ch = '\r';
		if (!*fkey && (*ch == 127 || *ch == 8))
			*fkey = true, *ch = KEY_BACKSPACE;
		return true;
	}
}

void
tui_day_refresh(struct tui *t)
{
	char *cause = NULL;

	if (journal_day(t->st, t->day, &t->day_open, &cause) != POS_OK) {
		t->day[0] = '\0';
		t->day_open = false;
		tui_cause(t, _("Day"), cause);
	}
}

void
tui_go(struct tui *t, int screen)
{
	t->screen = screen;
	if (tui_screens[screen]->enter != NULL)
		tui_screens[screen]->enter(t, t->data[screen]);
}

static int64_t tui_status_at;

static void
tui_poll(struct tui *t)
{
	int64_t now = tui_now_ms();

	/* The lock-out count-down is drawn from tui_locked on every draw. */
	if (now - tui_status_at > 5000) {
		tui_status_at = now;
		if (t->user[0] != '\0')
			tui_day_refresh(t);
	}
}

/* ---- global keys ---- */

static void
tui_global_void(struct tui *t, void *data)
{
	(void)data;
	tui_go(t, TUI_VOID);
}

static void
tui_global_producers(struct tui *t, void *data)
{
	(void)data;
	tui_go(t, TUI_PRODUCERS);
}

static void
tui_global_reports(struct tui *t, void *data)
{
	(void)data;
	tui_go(t, TUI_REPORTS);
}

static void
tui_global_logout(struct tui *t, void *data)
{
	(void)data;
	if (tui_sale_busy(t)) {
		tui_msg(t, true, "%s", _("Finish or park the sale before "
		    "logging out."));
		return;
	}
	t->user[0] = '\0';
	tui_msg(t, false, "%s", _("Logged out."));
	tui_go(t, TUI_LOGIN);
}

static void
tui_dispatch(struct tui *t, bool fkey, wint_t ch)
{
	const struct tui_screen *s = tui_screens[t->screen];
	void *data = t->data[t->screen];

	for (size_t i = 0; i < s->nkeys; i++)
		if (tui_key_match(&s->keys[i], fkey, ch)) {
			t->msg[0] = '\0';
			s->keys[i].fn(t, data);
			return;
		}
	if (s->global)
		for (size_t i = 0; i < tui_nglobal_keys; i++)
			if (tui_key_match(&tui_global_keys[i], fkey, ch)) {
				t->msg[0] = '\0';
				tui_global_keys[i].fn(t, data);
				return;
			}
	if (s->input != NULL)
		s->input(t, data, fkey, ch);
}

/* ---- main ---- */

static int
tui_run(struct tui *t)
{
	bool fkey;
	wint_t ch;

	tui_go(t, TUI_LOGIN);
	while (!t->quit && tui_next_key(t, &fkey, &ch))
		tui_dispatch(t, fkey, ch);
	return POS_OK;
}

int
tui_main(const char *config_file, const char *db)
{
	struct tui *t;
	char *cause = NULL;
	const char *path;
	int rc;

	tui_locale();
	t = xcalloc(1, sizeof *t);
	if (config_load(&t->cfg, config_file, &cause) != 0) {
		fprintf(stderr, "pos: %s\n", cause);
		free(cause);
		free(t);
		return POS_INPUT;
	}
	path = db != NULL ? db : t->cfg.store.path;
	rc = store_open(path, false, &t->cfg, &t->st, &cause);
	if (rc == POS_OK)
		rc = store_need_identity(t->st, &cause);
	if (rc != POS_OK) {
		fprintf(stderr, "pos: %s\n", cause);
		free(cause);
		goto out;
	}
	if (t->cfg.window.timezone != NULL && t->cfg.window.timezone[0] != '\0') {
		/* Times on screen are the window's local time. */
		setenv("TZ", t->cfg.window.timezone, 1);
		tzset();
	}
	tui_language(&t->cfg);
	/*
	 * mlterm and VTE reorder a whole line, columns and all, which can put
	 * a figure under another column's label: there the UI orders itself.
	 */
	t->fribidi = (t->cfg.ui.bidi != NULL && strcmp(t->cfg.ui.bidi,
	    "fribidi") == 0) || tui_terminal_reorders();
	/*
	 * An Arabic interface mirrors its layout where the UI orders the
	 * lines; where the terminal shows text in logical order, left to
	 * right, the layout stays left to right with it.
	 */
	t->mirror = t->fribidi && tui_arabic(&t->cfg);
	for (int i = 0; i < TUI_NSCREENS; i++)
		t->data[i] = tui_screens[i]->init(t);
	/* Slips are queued with their entries and printed by the worker. */
	printq_autoprint(t->st, true);
	if ((t->worker = worker_start(&t->cfg, path, &cause)) == NULL) {
		snprintf(t->msg, sizeof t->msg, "%s", cause);
		t->msg_error = true;
		free(cause);
		cause = NULL;
	}
	tui_signals();
	tui_start_curses(t);
	rc = tui_run(t);
	tui_end();
out:
	worker_stop(t->worker);
	for (int i = TUI_NSCREENS - 1; i >= 0; i--)
		if (t->data[i] != NULL)
			tui_screens[i]->done(t->data[i]);
	store_close(t->st);
	config_free(&t->cfg);
	free(t);
	return rc;
}
