/*
 * A producer's own page, GET /p/<token> (no login: the token is the
 * secret, plink.h): what they sold, had refunded, earned net, were paid
 * and are owed, today, this week, this month and a chosen period, across
 * all windows and at each; sales by product; a bar chart of net per day
 * drawn here as SVG;
 * "figures as of" each window's last sync; the same as CSV. The figures
 * are the producers report's JSON (rjson.h) for the same period, merges
 * applied: a code merged into another shows nothing of its own, its
 * figures count on the page of the code it was merged into.
 */
#ifndef POS_WEB_PRODUCER_H
#define POS_WEB_PRODUCER_H

#include <stdbool.h>

#include "buf.h"
#include "cstore.h"

struct web_producer_args {
	bool		 en;		/* English; else Arabic, right to left */
	int		 digits;	/* enum config_digits */
	const char	*from;		/* the chosen period; NULL: this month */
	const char	*to;
	bool		 csv;		/* the CSV instead of the page */
	const char	*self;		/* the page's path, for its own links */
};

/* What a page is: its status, body, type and (CSV) file name. */
struct web_producer_out {
	unsigned	 status;
	struct buf	 body;
	const char	*type;
	char		*filename;	/* caller frees; NULL: none */
};

/*
 * The page of the producer whose link token is token; status 404 with
 * no body when the token names no one (the caller answers it as any
 * unknown path).
 */
void	 web_producer_page(struct cstore *, const char *token,
	    const struct web_producer_args *, struct web_producer_out *);

/* The page of the producer code as they see it (the office's view). */
void	 web_producer_render(struct cstore *, const char *code,
	    const struct web_producer_args *, struct web_producer_out *);

#endif
