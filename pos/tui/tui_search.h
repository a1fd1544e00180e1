/*
 * The sale screen's product search: what the result list shows for what
 * has been typed. The list is whatever catalog_product_search returns
 * (code prefix, exact barcode, normalised name), cut to a limit so that a
 * keystroke costs one bounded query. tests/tui/bench_tui_search.c times
 * exactly this function.
 */
#ifndef POS_TUI_SEARCH_H
#define POS_TUI_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "store.h"

#define TUI_SEARCH_LIMIT 50

struct tui_search {
	struct store	*st;		/* not owned */
	size_t		 limit;
	char		*text;		/* the text last searched for (owned) */
	struct product	*rows;		/* owned, catalog_products_free */
	size_t		 nrows;
	size_t		 sel;		/* highlighted row */
};

void	 tui_search_init(struct tui_search *, struct store *, size_t limit);
void	 tui_search_free(struct tui_search *);

/*
 * Refresh the result list for the search line `input` (an optional "N*"
 * quantity prefix is skipped). Does nothing when the search text has not
 * changed. POS_OK, or a status and *cause (caller frees); on failure the
 * list is left empty.
 */
int	 tui_search_update(struct tui_search *, const char *input, char **cause);

/* The highlighted product, or NULL when the list is empty. */
const struct product *tui_search_current(const struct tui_search *);

/*
 * Split a search line "N*TEXT" into its quantity text and the rest.
 * *qty_text gets a copy of N (caller frees) or NULL when there is no
 * prefix; returns a pointer into input where the search text starts.
 */
const char *tui_search_split(const char *input, char **qty_text);

#endif
