/*
 * Sales and their corrections: sell, void, refund. Each is one write
 * transaction that ends with the entry committed to the journal; nothing is
 * "done" before that commit.
 */
#ifndef POS_SALE_H
#define POS_SALE_H

#include <stddef.h>
#include <stdint.h>

#include "ledger.h"
#include "store.h"

struct sale_item {
	const char	*item;		/* product code or barcode */
	int64_t		 qty;		/* thousandths; 0 (refunds only) = all that remains */
};

struct sale_pay {
	const char	*method;	/* cash | card | other */
	int64_t		 amount;	/* tendered, minor units */
};

struct sale_request {
	const char		*user;
	const struct sale_item	*items;
	size_t			 nitems;
	const struct sale_pay	*pays;		/* none: exact cash */
	size_t			 npays;
	int64_t			 discount;	/* sale level, minor units */
};

/* True for cash, card and other. */
int	 sale_valid_method(const char *method);

/*
 * Share amount over n weights in proportion (largest remainder; ties go to
 * the earlier line), so the shares sum to amount exactly. weights sum > 0.
 */
void	 sale_share(int64_t amount, const int64_t *weights, size_t n,
	    int64_t *shares);

/* Ring up a sale. On POS_OK *out is the committed entry (ledger_entry_free). */
int	 sale_sell(struct store *, const struct sale_request *,
	    struct ledger_entry *out, char **cause);

/* Void a sale of the open day that has no refund. */
int	 sale_void(struct store *, const char *receipt, const char *user,
	    const char *reason, struct ledger_entry *out, char **cause);

/*
 * Refund items of a sale (not voided); qty 0 refunds all that remains of
 * an item. to: the method the money goes back by, one the sale was paid
 * with, up to what it paid (NULL = cash if the sale took cash, else the
 * first method that paid). Cash back and voids of cash sales never take
 * the drawer below zero.
 */
int	 sale_refund(struct store *, const char *receipt,
	    const struct sale_item *items, size_t nitems, const char *user,
	    const char *reason, const char *to, struct ledger_entry *out,
	    char **cause);

/* One sale of a business date, as the void/refund screen lists it. */
struct sale_summary {
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
 * Read-only. *out is an array the caller frees.
 */
int	 sale_list(struct store *, const char *date, size_t max,
	    struct sale_summary **out, size_t *n, char **cause);

#endif
