/*
 * Master data held from the centre: the producers and products of the
 * centre's register, as a window applies what a sync pulled
 * (pos/queue/mpull.c fetches it; sync/PROTOCOL.md, GET /v1/master).
 *
 * A row that came from the centre is central (it holds the central version
 * it was last given); a row a window added itself is local. The rules:
 * - a row is applied only when its central version is newer than the one
 *   the window holds for it (every row, after the centre's register was
 *   replaced), so a pull that brings nothing new changes nothing, and a
 *   row pulled twice is applied once;
 * - a central product's price set at the window stays until the centre
 *   sets a different price (the centre's price last applied is kept
 *   beside it);
 * - a local row whose code the centre also has is taken as the central one
 *   when their names are equal; when the names differ the window's row is
 *   kept, untouched, and flagged with a conflict (what the centre calls
 *   it). The products of a producer in conflict are held back (not added
 *   at this window); when a conflict clears, the window asks for
 *   everything again at its next sync, and only what it lacks is applied;
 * - a central barcode another product of this window has is not taken:
 *   the product comes without it, flagged.
 * Everything is applied in one write transaction, with the version held
 * and the time: a pull applies whole or not at all.
 */
#ifndef POS_MDATA_H
#define POS_MDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One producer as the centre sent it (strings not owned). */
struct mdata_producer {
	const char	*code;
	const char	*name;
	const char	*phone;		/* NULL if none */
	const char	*link;		/* their page's link; NULL if none */
	int64_t		 version;
};

/* What the centre says a producer is owed over all windows. */
struct mdata_owed {
	const char	*code;		/* not owned */
	int64_t		 owed;		/* minor units; < 0: owes */
};

/* One product as the centre sent it (strings not owned). */
struct mdata_product {
	const char	*code;
	const char	*name;
	int64_t		 price;		/* minor units */
	const char	*unit;		/* "piece" or "kg" */
	const char	*barcode;	/* NULL if none */
	const char	*producer;
	bool		 active;
	int64_t		 version;
};

/*
 * What one pull brought, to be applied whole. With owed_as_of, owed is
 * every producer's figure at the centre as of then (a producer not in it
 * has none), and replaces what the window held.
 */
struct mdata_pull {
	int64_t				 version;	/* held after it */
	bool				 reset;		/* the register was
							   replaced */
	const char			*owed_as_of;	/* or NULL */
	bool				 owed_same;	/* what is owed
							   has not changed
							   (only as_of) */
	const struct mdata_owed		*owed;
	size_t				 nowed;
	const struct mdata_producer	*producers;
	size_t				 nproducers;
	const struct mdata_product	*products;
	size_t				 nproducts;
};

struct mdata_result {
	int64_t	 added;		/* rows new at this window */
	int64_t	 changed;	/* rows the pull changed */
	int64_t	 unchanged;	/* rows already held at their version */
	int64_t	 conflicts;	/* local rows kept beside a central one */
	int64_t	 held_back;	/* products not added (see above) */
	bool	 repull;	/* a conflict cleared: next time from 0 */
};

/*
 * Apply a pull in one write transaction (the caller holds none). Bad rows
 * (a code, name, price or unit the window would refuse) are POS_INPUT and
 * change nothing.
 */
int	 mdata_apply(struct store *, const struct mdata_pull *,
	    struct mdata_result *out, char **cause);

/* What the window holds from the centre. */
struct mdata_held {
	int64_t	 version;		/* 0: never pulled */
	char	*pulled_at;		/* UTC; NULL if never */
	char	*owed_as_of;		/* UTC; NULL if never */
	int64_t	 conflicts;		/* producers and products */
};

int	 mdata_held(struct store *, struct mdata_held *out, char **cause);

/*
 * The page link the centre last sent for producer code, into *link
 * (caller frees; NULL when none).
 */
int	 mdata_link(struct store *, const char *code, char **link,
	    char **cause);
void	 mdata_held_clear(struct mdata_held *);

/*
 * What the centre said a producer is owed at all windows, as of the last
 * pull that brought the figures (never below 0: a debt is per window).
 * *known is false, and *as_of NULL, when the window holds no such figure
 * for the code. *as_of is UTC; caller frees.
 */
int	 mdata_owed_all(struct store *, const char *code, bool *known,
	    int64_t *owed, char **as_of, char **cause);

#endif
