/*
 * Producers and products: what the window sells and on whose behalf.
 * Prices are int64 minor units; names are validated UTF-8 (pos/domain/text.h).
 */
#ifndef POS_CATALOG_H
#define POS_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct producer {
	int64_t	 id;
	char	*code;
	char	*name;
	char	*phone;		/* NULL if none */
	bool	 central;	/* from the centre's register, else local */
	char	*conflict;	/* a local row kept beside the centre's of its
				   code, why (mdata.h); NULL if none */
	bool	 has_owed_all;	/* owed_all_windows was pulled */
	int64_t	 owed_all_windows;	/* at all windows, as of the pull */
};

struct product {
	int64_t	 id;
	char	*code;
	char	*barcode;	/* NULL if none */
	char	*name;
	int64_t	 price;
	char	*unit;		/* "piece" | "kg" */
	bool	 active;
	char	*producer_code;
	char	*producer_name;
	bool	 central;	/* from the centre's register, else local */
	char	*conflict;	/* as the producer's; NULL if none */
};

/* What may change on a product; NULL / -1 leave a field as it is. */
struct product_change {
	const char	*name;
	const char	*barcode;	/* "" removes the barcode */
	int64_t		 price;		/* -1: unchanged */
	int		 active;	/* -1: unchanged, else 0 or 1 */
};

/* Each of these runs in the caller's transaction if one is open. */
int	 catalog_producer_add(struct store *, const char *code,
	    const char *name, const char *phone, char **cause);
int	 catalog_producer_get(struct store *, const char *code,
	    struct producer *out, char **cause);
/* All producers ordered by code; *out is an array the caller frees with catalog_producers_free. */
int	 catalog_producer_list(struct store *, struct producer **out,
	    size_t *n, char **cause);
void	 catalog_producer_clear(struct producer *);
void	 catalog_producers_free(struct producer *, size_t n);

int	 catalog_product_add(struct store *, const char *code, const char *name,
	    int64_t price, const char *unit, const char *producer_code,
	    const char *barcode, bool active, char **cause);
int	 catalog_product_set(struct store *, const char *code,
	    const struct product_change *, char **cause);
/* Look an item up as a product code first, then as a barcode. */
int	 catalog_product_find(struct store *, const char *item,
	    struct product *out, char **cause);
/*
 * Products matching text (code prefix, exact barcode, or normalised name
 * substring), all products when text is NULL or empty; at most limit rows
 * (0 = no limit), ordered by code. With a limit, code prefix matches come
 * before barcode and names in what is kept.
 */
int	 catalog_product_search(struct store *, const char *text, size_t limit,
	    struct product **out, size_t *n, char **cause);
/*
 * Make the in-memory copy of the names that searches of one or two
 * characters use (else the first such search makes it: some 40 ms for
 * 100,000 products). The UI calls this at login.
 */
int	 catalog_search_warm(struct store *, char **cause);
void	 catalog_product_clear(struct product *);
void	 catalog_products_free(struct product *, size_t n);

#endif
