/*
 * The terminal UI's private parts, shared by tui.c (terminal, frame, loop,
 * screen table), tui_draw.c (drawing), tui_prompt.c (message line, line
 * editor, prompts, PIN lock-out), tui_cart.c (the cart the sale and
 * payment screens share) and one file per screen: tui_login.c,
 * tui_sale.c, tui_pay.c, tui_void.c (void/refund), tui_producers.c and
 * tui_reports.c.
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
#include "sale.h"
#include "store.h"
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

/*
 * A one-line editor: UTF-8 text, typed at the end, erased from the end.
 * fresh: the text was put there, not typed, and the first character typed
 * replaces it. full: the last character did not fit.
 */
struct tui_edit {
	char	 s[TUI_EDIT_MAX];
	size_t	 len;
	bool	 fresh;
	bool	 full;
};

#define TUI_MAX_PAYS	8

struct tui_cart_line {
	struct product	 p;		/* owned copy */
	int64_t		 qty;		/* thousandths */
};

/*
 * What the attendant has rung up: the sale screen owns it, the payment
 * screen pays for it.
 */
struct tui_cart {
	struct tui_cart_line	*lines;
	size_t			 n;
	int64_t			 discount;
	struct sale_pay		 pays[TUI_MAX_PAYS];	/* method: static strings */
	size_t			 npays;
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
	tui_screen_fn	*fn;		/* a global key gets the current screen's data */
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
	bool			 mirror;	/* right-to-left layout: see tui_draw.c */
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

extern const struct tui_screen tui_login_screen;
extern const struct tui_screen tui_sale_screen, tui_pay_screen;
extern const struct tui_screen tui_void_screen, tui_producers_screen;
extern const struct tui_screen tui_reports_screen;

/* tui_draw.c */
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
/* A count in the configured digits; buf of 64 is enough. */
const char *tui_count(const struct tui *, size_t, char *buf, size_t len);
/*
 * A listed producer's or product's mark: "!" in conflict with the centre's
 * register, "L" local to this window once it has pulled (pulled), ""
 * for the centre's own or before any pull.
 */
const char *tui_origin_mark(bool pulled, bool central, const char *conflict);
/* Whether this window has ever pulled master data from the centre. */
bool	 tui_master_pulled(struct tui *);
/* Western-digit text in the configured digits; buf of 2 * strlen + 1. */
const char *tui_digits(const struct tui *, const char *, char *buf, size_t len);
/* Quantity thousandths in the configured digits; buf of 64 is enough. */
const char *tui_qty(const struct tui *, int64_t, char *buf, size_t len);

/* tui.c: the frame, the loop, moving between screens */
int	 tui_content_top(void);
int	 tui_content_bottom(void);
int64_t	 tui_now_ms(void);		/* monotonic */
/*
 * The next key, waiting in TUI_TICK_MS steps and polling between them.
 * Enter comes back as '\r', Backspace as KEY_BACKSPACE. False when the
 * program is asked to stop.
 */
bool	 tui_next_key(struct tui *, bool *fkey, wint_t *ch);
void	 tui_go(struct tui *, int screen);
void	 tui_day_refresh(struct tui *);
bool	 tui_key_is(wint_t ch, bool fkey, int code);

/* tui_prompt.c: messages, prompts, authority */
void	 tui_msg(struct tui *, bool error, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 tui_cause(struct tui *, const char *what, char *cause);
/* Rows the message line needs (a long message wraps once); tui.c lays out by it. */
int	 tui_msg_rows(const struct tui *);
void	 tui_msg_draw(struct tui *, int y);
/*
 * Text over as many rows as it needs (up to three) of w columns from
 * (y, x), broken at spaces; returns the rows used.
 */
int	 tui_put_wrap(struct tui *, int y, int x, int w, const char *text,
	    int attr);
/* An open prompt: its label, wrapped when long, and its field. */
void	 tui_prompt_draw(struct tui *, int y);
bool	 tui_ask(struct tui *, const char *label, struct tui_edit *, bool mask);
bool	 tui_supervisor(struct tui *, char *who, size_t len);
bool	 tui_parse_amount(struct tui *, const char *text, int64_t *out);
/* Seconds left before a PIN may be tried again, 0 when it may. */
int	 tui_locked(const struct tui *);
/* Count a wrong PIN and lock PIN entry; returns the seconds locked. */
int	 tui_pin_failed(struct tui *);

/* tui_prompt.c: the line editor */
void	 tui_edit_set(struct tui_edit *, const char *);
void	 tui_edit_clear(struct tui_edit *);
/*
 * Typing, Backspace (one character) and ^U (all) in a field; true when it
 * changed. A value put there by tui_edit_set is replaced by the first
 * character typed. Text that does not fit (a paste
 * longer than the field) is refused whole, with a message, and what was
 * still to come of it is dropped.
 */
bool	 tui_edit_type(struct tui *, struct tui_edit *, bool fkey, wint_t ch);

/* tui_cart.c */
void	 tui_cart_clear(struct tui_cart *);
int64_t	 tui_cart_line_total(const struct tui_cart_line *);
int64_t	 tui_cart_due(const struct tui_cart *);		/* gross - discount */
int64_t	 tui_cart_paid(const struct tui_cart *);
/* Add qty of a copy of *p; one product is one line, as in sale_sell. */
size_t	 tui_cart_add(struct tui_cart *, const struct product *p, int64_t qty);
void	 tui_cart_remove(struct tui_cart *, size_t i);

/* tui_sale.c: true while a sale is rung up (logging out waits for it). */
bool	 tui_sale_busy(const struct tui *);
/* How many sales are parked (in the store). */
size_t	 tui_sale_parked(struct tui *);
/* The cart the sale screen owns, which the payment screen pays for. */
struct tui_cart *tui_sale_cart(struct tui *);
/* Show a committed sale's receipt and change; empty cart and search. */
void	 tui_sale_committed(struct tui *, const struct ledger_entry *);

/* tui_reports.c: ask for the float and open the day; true when opened. */
bool	 tui_reports_open_day(struct tui *);
/* The reports screen, asking at once for the count that closes the session. */
void	 tui_reports_close_now(struct tui *);

#endif
