/*
 * Parked sales: carts put aside with a name (a customer's name or a note)
 * and recalled later, kept in the window store so that a log-out or a
 * restart loses none. They are not journal entries: nothing is sold until
 * a parked cart is recalled and paid as a sale.
 */
#ifndef POS_PARKED_H
#define POS_PARKED_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define PARKED_MAX_NAME	64	/* bytes of the name */

struct parked_line {
	char	*product_code;
	char	*product_name;	/* as it was when parked, to show */
	int64_t	 qty;		/* thousandths, > 0 */
};

struct parked_sale {
	int64_t			 id;
	char			*name;
	char			*user;
	char			*parked_at;	/* UTC, "2026-03-01T09:00:00Z" */
	int64_t			 discount;
	struct parked_line	*lines;
	size_t			 nlines;
};

/* Park a cart of n lines (n > 0) under name; *id gets its number. */
int	 parked_save(struct store *, const char *name, const char *user,
	    int64_t discount, const struct parked_line *lines, size_t n,
	    int64_t *id, char **cause);

/* Every parked sale with its lines, oldest first; free with parked_free. */
int	 parked_list(struct store *, struct parked_sale **out, size_t *n,
	    char **cause);

/* How many sales are parked. */
int	 parked_count(struct store *, size_t *n, char **cause);

/* Forget a parked sale (recalled); POS_INPUT if there is no such one. */
int	 parked_drop(struct store *, int64_t id, char **cause);

void	 parked_free(struct parked_sale *, size_t n);

#endif
