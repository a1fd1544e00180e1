/*
 * The till: opening and closing the business day, cash in and out of the
 * drawer, and payouts to producers. Each is one journal entry.
 */
#ifndef POS_TILL_H
#define POS_TILL_H

#include <stdint.h>

#include "ledger.h"
#include "store.h"

/* Open today's business day (configured zone) with a float. */
int	 till_day_open(struct store *, const char *user, int64_t float_amount,
	    struct ledger_entry *out, char **cause);

/*
 * Close the open day with the counted cash; the entry's total is the
 * expected cash, sealed into the chain with it.
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

#endif
