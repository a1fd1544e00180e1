/*
 * The terminal UI's private parts, shared by tui.c (terminal, loop,
 * drawing, prompts, login), tui_sale.c (sale and payment screens) and
 * tui_office.c (void/refund, producers, reports).
 *
 * Layout, computed from LINES and COLS on every draw: row 0 the status
 * line, row 1 the screen title, then the screen, then the message or
 * prompt line, then the key hints, generated from each screen's key table
 * and wrapped over as many rows as they need (two or three at 80 columns).
 */
#ifndef POS_TUI_INT_H
#define POS_TUI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include <curses.h>
#include <libintl.h>

#include "catalog.h"
#include "config.h"
#include "ledger.h"
#include "report.h"
#include "sale.h"
#include "store.h"
#include "tui_search.h"
#include "user.h"
#include "worker.h"

#define _(s)	gettext(s)
#define N_(s)	(s)

#define TUI_EDIT_MAX	256
#define TUI_TICK_MS	250	/* input timeout: how often the loop polls */

enum tui_screen_id {
	TUI_LOGIN, TUI_SALE, TUI_PAY, TUI_VOID, TUI_PRODUCERS, TUI_REPORTS,
	TUI_NSCREENS
};

enum tui_attr {
	TUI_A_NORMAL, TUI_A_STATUS, TUI_A_TITLE, TUI_A_KEY, TUI_A_ERROR,
	TUI_A_OK, TUI_A_BIG, TUI_A_SELECT, TUI_A_DIM, TUI_A_HEAD, TUI_NATTRS
};

enum tui_align { TUI_LEFT, TUI_RIGHT, TUI_CENTER };

/* A one-line editor: UTF-8 text, typed at the end, erased from the end. */
struct tui_edit {
	char	 s[TUI_EDIT_MAX];
	size_t	 len;
};

struct tui;

/*
 * A screen's functions get the UI and the screen's own state (data), as
 * a tmux mode's functions get its data: each screen file declares its
 * state struct and casts data to it.
 */
typedef void tui_screen_fn(struct tui *, void *data);

/* One row of a screen's key table: the F-key, the Ctrl letter fallback, or another key. */
struct tui_key {
	int		 fkey;		/* KEY_F(n), or 0 */
	char		 ctrl;		/* 'A'..'Z': Ctrl+letter, or 0 */
	int		 other;		/* '\r', '\t', 27 (Esc), or 0 */
	const char	*label;		/* N_() */
	tui_screen_fn	*fn;
};

struct tui_screen {
	const char		*title;		/* N_() */
	const struct tui_key	*keys;
	size_t			 nkeys;
	bool			 global;	/* the global keys apply */
	/* The screen's state, made once the store is open; free with done. */
	void			*(*init)(struct tui *);
	void			(*done)(void *data);
	tui_screen_fn		*enter;
	tui_screen_fn		*draw;
	/* Keys not in the table; fkey says ch is a KEY_* code. */
	void			(*input)(struct tui *, void *data, bool fkey,
				    wint_t ch);
};

/* What every screen shares: the store, the session, the message line. */
struct tui {
	struct config		 cfg;
	struct store		*st;
	struct worker		*worker;	/* prints in the background; may be NULL */
	bool			 fribidi;
	bool			 colors;
	int			 screen;
	bool			 quit;
	void			*data[TUI_NSCREENS];	/* each screen's state */

	char			 user[TUI_EDIT_MAX];	/* "" before login */
	enum user_role		 role;
	char			 day[11];	/* the open or last day, "" if none */
	bool			 day_open;

	int			 pin_fails;
	int64_t			 locked_until;	/* monotonic ms */

	char			 msg[512];
	bool			 msg_error;
	const char		*prompt_label;	/* while a prompt is open */
	struct tui_edit		*prompt;
	bool			 prompt_mask;
	int			 cur_y, cur_x;	/* where the cursor goes; -1 hides it */
};

extern const struct tui_screen tui_sale_screen, tui_pay_screen;
extern const struct tui_screen tui_void_screen, tui_producers_screen;
extern const struct tui_screen tui_reports_screen;

/* tui.c: drawing */
int	 tui_attr(const struct tui *, enum tui_attr);
void	 tui_put(struct tui *, int y, int x, int w, const char *text,
	    int attr, enum tui_align);
void	 tui_putf(struct tui *, int y, int x, int w, int attr,
	    enum tui_align, const char *fmt, ...)
	    __attribute__((format(printf, 7, 8)));
void	 tui_big(struct tui *, int y, int x, int w, const char *text, int attr);
void	 tui_field(struct tui *, int y, int x, int w, const char *label,
	    const struct tui_edit *, bool mask, bool active);
const char *tui_money(const struct tui *, int64_t, char *buf, size_t len);
const char *tui_amount(const struct tui *, int64_t, char *buf, size_t len);
int	 tui_content_top(void);
int	 tui_content_bottom(void);

/* tui.c: messages, prompts, authority */
void	 tui_msg(struct tui *, bool error, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 tui_cause(struct tui *, const char *what, char *cause);
bool	 tui_ask(struct tui *, const char *label, struct tui_edit *, bool mask);
bool	 tui_supervisor(struct tui *, char *who, size_t len);
bool	 tui_parse_amount(struct tui *, const char *text, int64_t *out);
void	 tui_go(struct tui *, int screen);
void	 tui_day_refresh(struct tui *);
bool	 tui_key_is(wint_t ch, bool fkey, int code);

/* tui.c: the line editor */
void	 tui_edit_set(struct tui_edit *, const char *);
void	 tui_edit_clear(struct tui_edit *);
bool	 tui_edit_key(struct tui_edit *, bool fkey, wint_t ch);

/* tui_sale.c: true while a sale is rung up (logging out waits for it). */
bool	 tui_sale_busy(const struct tui *);

#endif
