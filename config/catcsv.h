/*
 * The catalogue's CSV files, read the same way at the window (`pos import`)
 * and at the centre (`pos-central import`): producers `code,name[,phone]`,
 * products `code,name,price,producer[,barcode,unit,active]`, columns in any
 * order after a header row. The file is fed to libcsv one physical line at
 * a time, so every error names FILE:LINE; lines, fields and rows are
 * bounded.
 */
#ifndef POS_CATCSV_H
#define POS_CATCSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CATCSV_MAX_LINE		8192	/* bytes in one physical line */
#define CATCSV_MAX_ROWS		1000000
#define CATCSV_MAX_FIELDS	16

/* One row, checked for form: present columns, a price, yes/no. */
struct catcsv_row {
	const char	*code;
	const char	*name;
	const char	*phone;		/* producers; NULL if absent */
	int64_t		 price;		/* products, minor units */
	const char	*producer;	/* products */
	const char	*barcode;	/* products; NULL if absent */
	const char	*unit;		/* products; "piece" if absent */
	bool		 active;	/* products; true if absent */
};

/*
 * Store one row. A failure's cause is said with the row's FILE:LINE in
 * front; POS_INPUT stops the import as bad input, anything else as is.
 */
typedef int	(*catcsv_fn)(void *arg, const struct catcsv_row *,
		    char **cause);

/* what: "producers" or "products". */
int	 catcsv_kind(const char *what, bool *products, char **cause);

/*
 * Read path, calling fn for each row after the header; prices have
 * decimals digits. Stops at the first error. *rows gets the rows read.
 */
int	 catcsv_read(const char *path, bool products, int decimals,
	    catcsv_fn fn, void *arg, size_t *rows, char **cause);
/* The same from an open file, whose errors say name:LINE. */
int	 catcsv_read_file(FILE *f, const char *name, bool products,
	    int decimals, catcsv_fn fn, void *arg, size_t *rows,
	    char **cause);

#endif
