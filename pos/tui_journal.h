/*
 * Read-only look-ups the terminal UI needs and the domain modules do not
 * offer: today's sales for the void/refund screen. Nothing here writes.
 */
#ifndef POS_TUI_JOURNAL_H
#define POS_TUI_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct tui_receipt {
	int64_t	 seq;
	char	 receipt[64];
	char	 time[21];	/* created_at, UTC */
	char	 user[64];
	int64_t	 total;
	bool	 voided;
	bool	 refunded;
};

/*
 * The sales of business date `date`, newest first, at most max of them.
 * *out is an array the caller frees.
 */
int	 tui_journal_sales(struct store *, const char *date, size_t max,
	    struct tui_receipt **out, size_t *n, char **cause);

#endif
