/*
 * Reports computed from the journal: the day (X while open, Z once closed)
 * and the producers' earnings. Nothing here writes.
 */
#ifndef POS_REPORT_H
#define POS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum { REPORT_CASH, REPORT_CARD, REPORT_OTHER, REPORT_METHODS };
extern const char *const report_methods[REPORT_METHODS];

/*
 * A business date holds one or more sessions (shifts), each from a day_open
 * to its day_close with its own float and counted drawer. A report covers
 * one session or the whole date; the date's figures are the sums of its
 * sessions'.
 */
struct report_day {
	char	 date[11];
	int64_t	 session;	/* its number within the date; 0: the whole date */
	int64_t	 sessions;	/* sessions covered (the date's, or 1) */
	bool	 closed;	/* every session covered is closed */
	int64_t	 sales_count;
	int64_t	 gross;		/* line totals before discounts, sales not voided */
	int64_t	 discounts;
	int64_t	 refunds;	/* returned by refunds made this day */
	int64_t	 refunds_count;
	int64_t	 voids;		/* number of sales voided */
	int64_t	 voids_total;	/* what they had come to */
	int64_t	 net;		/* gross - discounts - refunds */
	int64_t	 by_method[REPORT_METHODS];	/* taken by sales less refunds */
	int64_t	 payouts;
	int64_t	 cash_in;
	int64_t	 cash_out;
	int64_t	 float_amount;
	int64_t	 expected_cash;	/* float + cash sales - cash refunds - payouts + in - out */
	bool	 counted;	/* closed: counted_cash and difference are set */
	int64_t	 counted_cash;
	int64_t	 difference;	/* counted - expected */
	int64_t	 first_seq;
	int64_t	 last_seq;
	char	 first_sale[21];	/* created_at (UTC) of its first sale, "" if none */
	char	 last_sale[21];		/* and of its last */
};

/* The whole business date `date`; POS_INPUT if it was never opened. */
int	 report_day(struct store *, const char *date, struct report_day *out,
	    char **cause);

/*
 * Session n of business date `date` (n 0: its last session); POS_INPUT if
 * there is no such session.
 */
int	 report_session(struct store *, const char *date, int64_t n,
	    struct report_day *out, char **cause);

/* The last closed session's date and number; POS_INPUT if none was closed. */
int	 report_last_closed(struct store *, char date[11], int64_t *session,
	    char **cause);

struct report_producer {
	char	*code;
	char	*name;
	int64_t	 sold;		/* net of lines sold in the period, sales not voided */
	int64_t	 refunded;
	int64_t	 net;		/* sold - refunded */
	int64_t	 paid_out;
	int64_t	 balance;	/* net - paid_out */
	int64_t	 owed;		/* all-time net - all-time payouts */
};

/*
 * Every producer over [from, to] (business dates, inclusive), ordered by
 * code; only_code limits it to one producer (POS_INPUT if unknown).
 */
int	 report_producers(struct store *, const char *from, const char *to,
	    const char *only_code, struct report_producer **out, size_t *n,
	    char **cause);
void	 report_producers_free(struct report_producer *, size_t n);

struct report_product {
	char	*code;
	char	*name;
	int64_t	 qty_sold;	/* thousandths */
	int64_t	 sold;
	int64_t	 qty_refunded;
	int64_t	 refunded;
};

/* One producer's products sold over [from, to]. */
int	 report_producer_products(struct store *, const char *code,
	    const char *from, const char *to, struct report_product **out,
	    size_t *n, char **cause);
void	 report_products_free(struct report_product *, size_t n);

/* What the producer is owed now (all time). */
int	 report_owed(struct store *, const char *code, int64_t *owed,
	    char **cause);

#endif
