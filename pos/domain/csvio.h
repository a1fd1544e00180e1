/*
 * CSV import and export of producers, products and sales (libcsv).
 * Imports are all-or-nothing: one transaction, and the first bad row is
 * reported as FILE:LINE: column: reason with nothing written.
 */
#ifndef POS_CSVIO_H
#define POS_CSVIO_H

#include <stdio.h>

#include "store.h"

/* what: "producers" or "products". *count gets the rows imported. */
int	 csvio_import(struct store *, const char *what, const char *path,
	    size_t *count, char **cause);

/*
 * what: "producers", "products" (the columns import reads) or "sales" (one
 * row per sale or refund line, with business dates in [from, to]; NULL
 * means no bound).
 */
int	 csvio_export(struct store *, const char *what, const char *from,
	    const char *to, FILE *out, char **cause);

#endif
