/*
 * The office's reports as JSON: `pos-central report producers|days|missing
 * --json` prints these and GET /v1/reports/producers|days|missing serves
 * them, so the two cannot differ. The query is the command line's options
 * (date, from, to, hours) as text, checked here.
 */
#ifndef POS_RJSON_H
#define POS_RJSON_H

#include <stdbool.h>

#include <jansson.h>

#include "cstore.h"

struct rjson_query {
	const char	*date;		/* NULL when not given */
	const char	*from;
	const char	*to;
	const char	*hours;
	const char	*producer;	/* producers: that one only (NULL:
					   every producer) */
	bool		 no_chain_days;	/* days: each chain's last days
					   and date's only (the today
					   page) */
	const char	*prefix;	/* before a name in messages: "--", "" */
};

/*
 * The period of date or from/to: each a valid date, from not after to.
 * *from and *to are NULL when not bounded. POS_INPUT with *cause.
 */
int	 rjson_period(const struct rjson_query *, const char **from,
	    const char **to, char **cause);

/*
 * Each report read from the store and built as JSON in *out (caller
 * decrefs): POS_INPUT for a bad query, POS_FAIL when the store failed.
 */
int	 rjson_producers(struct cstore *, const struct rjson_query *,
	    json_t **out, char **cause);
int	 rjson_days(struct cstore *, const struct rjson_query *, json_t **out,
	    char **cause);
int	 rjson_missing(struct cstore *, const struct rjson_query *,
	    json_t **out, char **cause);

/* The producers report's rows of p[0..n) (as under "producers"). */
json_t	*rjson_producer_rows(const struct cstore_producer *p, size_t n);

#endif
