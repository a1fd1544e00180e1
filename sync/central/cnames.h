/*
 * The names (and prices) of codes as the centre's register has them and
 * as each window has them: from the rows a window sent of its own (POST
 * /v1/master/local) and, for a window that did not send a code, from the
 * latest entry of its journal naming it. From these come what `producer
 * list` and `product list` show as local to a window, the window prices of
 * registered products, and `report conflicts`: every code with more than
 * one name among the register and the windows. Nothing here changes a
 * row: a conflict is listed, never resolved.
 */
#ifndef POS_CNAMES_H
#define POS_CNAMES_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "cstore.h"

struct cnames {
	struct cstore_mproducer	*producers;	/* the register */
	size_t			 nproducers;
	struct cstore_mproduct	*products;
	size_t			 nproducts;
	struct cstore_merge	*merges;
	size_t			 nmerges;
	struct cstore_lproducer	*lproducers;	/* sent by windows */
	size_t			 nlproducers;
	struct cstore_lproduct	*lproducts;
	size_t			 nlproducts;
	struct cstore_seen	*sproducers;	/* named in journals */
	size_t			 nsproducers;
	struct cstore_seen	*sproducts;
	size_t			 nsproducts;
};

/* What to read of the journals' names: */
#define CNAMES_SEEN_PRODUCERS	0x1	/* sproducers */
#define CNAMES_SEEN_PRODUCTS	0x2	/* sproducts */

/*
 * The register, the merges, the windows' rows and what of the journals
 * `seen` asks, in one read transaction (after a write transaction that
 * reads the entries received since the last time: cstore_seen_refresh).
 * Free with cnames_free.
 */
int	 cnames_read(struct cstore *, unsigned seen, struct cnames *out,
	    char **cause);
void	 cnames_free(struct cnames *);

/*
 * The producers windows sent that are local to them: codes neither
 * registered nor merged into another (new reference): [{code, name,
 * phone, branch, terminal, sent_at}].
 */
json_t	*cnames_local_producers(const struct cnames *);

/*
 * The products windows sent whose codes are not registered (new
 * reference): [{code, name, price, currency, decimals, unit, barcode,
 * producer, active, branch, terminal, sent_at}].
 */
json_t	*cnames_local_products(const struct cnames *);

/*
 * The windows whose price of the registered product p (in the register's
 * decimals) differs from it: [{branch, terminal, price, currency,
 * decimals, source}], source "local" (the row the window sent) or
 * "journal" (its latest sale line's unit price). New reference.
 */
json_t	*cnames_window_prices(const struct cnames *,
	    const struct cstore_mproduct *p, int decimals);

/*
 * `report conflicts`: {producers: [...], products: [...], conflicts: N},
 * each conflict {code, names: [{name, sources: [{source, branch,
 * terminal}]}]}, source "register", "local" or "journal" (branch and
 * terminal null for the register). A producer code merged into another
 * is no conflict. New reference.
 */
json_t	*cnames_conflicts(const struct cnames *);
/* The same as text lines on out. */
void	 cnames_conflicts_text(const json_t *, FILE *out);

#endif
