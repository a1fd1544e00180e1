/*
 * The till: opening and closing the business day, cash in and out of the
 * drawer, and payouts to producers. Each is one journal entry.
 */
#ifndef POS_TILL_H
#define POS_TILL_H

#include <stdbool.h>
#include <stdint.h>

#include "ledger.h"
#include "store.h"

/*
 * Open today's business day (configured zone) with a float: its first
 * session, or the next one when today's last session was closed.
 */
int	 till_day_open(struct store *, const char *user, int64_t float_amount,
	    struct ledger_entry *out, char **cause);

/*
 * Close the open session with the counted cash; the entry's total is the
 * session's expected cash, sealed into the chain with it.
 */
int	 till_day_close(struct store *, const char *user, int64_t counted,
	    struct ledger_entry *out, char **cause);

/* kind is "cash_in" or "cash_out". */
int	 till_cash(struct store *, const char *kind, const char *user,
	    int64_t amount, const char *reason, struct ledger_entry *out,
	    char **cause);

/* Pay a producer from the drawer: at most what they are owed and the drawer holds. */
int	 till_payout(struct store *, const char *producer, const char *user,
	    int64_t amount, struct ledger_entry *out, char **cause);

/*
 * Whether the open session belongs to a date before today (configured zone):
 * a shift left open past midnight. Sales still go to it; the window says
 * "day DATE is still open: close it". date is set when late.
 */
int	 till_day_late(struct store *, char date[11], bool *late,
	    char **cause);

/* The words every sale shows while a session is late. */
#define TILL_LATE_FMT	"day %s is still open: close it"

#endif
