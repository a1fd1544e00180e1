/*
 * The office's view of every window-day in money (`pos-central report days`
 * rows) and what it must chase (`pos-central report missing`): terminals
 * not heard from, days opened and not closed, days whose drawer did not
 * match. The figures are the window's own Z report for the date (README,
 * "report x|z"), computed by the store over the entries it holds.
 *
 * Each function reads in one read transaction of its own and ends it
 * before returning; on failure it returns a status (cstore.h) with a
 * message in *cause and leaves nothing to free.
 */
#ifndef POS_CDAYS_H
#define POS_CDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cstore.h"

/* One branch, terminal and business date. */
struct cdays_row {
	const struct cstore_day_money *m;	/* in cdays.money */
	const char	*last_sync;	/* the chain's last receipt, UTC */
	bool		 closed;	/* every session of the date closed */
	int64_t		 net;		/* gross - discounts - refunds */
	int64_t		 expected_cash;
	int64_t		 difference;	/* counted - expected, once closed */
};

struct cdays {
	struct cstore_chain	*chains;
	size_t			 nchains;
	struct cstore_day_money	*money;
	struct cdays_row	*rows;		/* as money: by branch, terminal
						   and date */
	size_t			 n;
};

/* Every chain's dates in [from, to] (NULL: unbounded). Free with cdays_free. */
int	 cdays_read(struct cstore *, const char *from, const char *to,
	    struct cdays *out, char **cause);
void	 cdays_free(struct cdays *);

/* A row as the JSON of `report days` (keys of the window's Z report). */
json_t	*cdays_row_json(const struct cdays_row *);

/* The rows as lines of text, one per window-day. */
void	 cdays_text(const struct cdays *);

/*
 * `report missing` as JSON: {hours, now, stale [{branch, terminal,
 * last_sync, hours}], not_closed [{branch, terminal, date, sessions,
 * closed_sessions}], differences [{branch, terminal, date, expected_cash,
 * counted_cash, difference}], rejected [{branch, terminal, seq, uuid,
 * receipt, reason, first_at, last_at, times}]}, over every date held;
 * stale means not heard from for more than hours (now from cstore_now, so
 * POS_NOW fixes it); rejected lists what the chain has not got past.
 */
int	 cdays_missing(struct cstore *, int64_t hours, json_t **out,
	    char **cause);

/* The same as lines of text, one per thing to chase. */
void	 cdays_missing_text(const json_t *);

#endif
