/*
 * The centre's master data: the register of producers (code unique across
 * the organisation), the catalogue of products, and producer merges
 * (FROM counts as INTO in every report; journals never change). The
 * office commands of pos-central call these; each change is one write
 * transaction under a new master-data version (cstore.h), whose number
 * it returns in *version. Input is checked here: bad input is POS_INPUT
 * with a message and changes nothing.
 */
#ifndef POS_MASTER_H
#define POS_MASTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cstore.h"

#define MASTER_MAX_NAME	120	/* characters, as the window's names */
#define MASTER_MAX_PHONE	32	/* bytes */

/* Codes: 1-32 of letters, digits, '-', '_', '.' (the window's rule). */
bool	 master_code_valid(const char *);
/* Names: 1-120 characters of valid UTF-8 without control characters. */
bool	 master_name_valid(const char *);

/* A change: NULL (or -1 for active and price) leaves a field as it is. */
struct master_change {
	const char	*name;
	const char	*phone;		/* "" clears it */
	const char	*barcode;	/* "" clears it */
	int64_t		 price;		/* minor units */
	int		 active;	/* 0, 1 */
};
#define MASTER_CHANGE_NONE	{ NULL, NULL, NULL, -1, -1 }

int	 master_producer_add(struct cstore *, const char *code,
	    const char *name, const char *phone, int64_t *version,
	    char **cause);
int	 master_producer_set(struct cstore *, const char *code,
	    const struct master_change *, int64_t *version, char **cause);

/*
 * The registered producer's access link token (plink.h) into token: the
 * current one, issued now if it never was; a new one when rotate (the old
 * one then names no one). Issuing or rotating is a change under a new
 * master-data version (*version; left as it is when nothing changed), so
 * that the windows pull the new link.
 */
int	 master_producer_link(struct cstore *, const char *code,
	    const uint8_t key[32], bool rotate, char token[65],
	    int64_t *version, char **cause);

/*
 * FROM (registered or only seen in journals) counts as INTO (registered)
 * from now on. Refused when FROM is INTO, is merged already, or has codes
 * merged into it, or when INTO is itself merged.
 */
int	 master_merge(struct cstore *, const char *from, const char *into,
	    int64_t *version, char **cause);
/* Undo FROM's merge: the row stays, marked undone. */
int	 master_unmerge(struct cstore *, const char *from, int64_t *version,
	    char **cause);

/* unit "piece" or "kg"; barcode may be NULL; producer registered. */
int	 master_product_add(struct cstore *, const char *code,
	    const char *name, int64_t price, const char *unit,
	    const char *producer, const char *barcode, bool active,
	    int64_t *version, char **cause);
int	 master_product_set(struct cstore *, const char *code,
	    const struct master_change *, int64_t *version, char **cause);

/*
 * Add every row of a CSV file, with the columns of the window's
 * `pos import` (producers: code,name[,phone]; products:
 * code,name,price,producer[,barcode,unit,active]), prices with decimals
 * digits; all rows or none, under one version. Errors name FILE:LINE.
 */
int	 master_import(struct cstore *, const char *what, const char *path,
	    int decimals, size_t *count, int64_t *version, char **cause);
/* The same from an open file (an upload), its errors saying name:LINE. */
int	 master_import_file(struct cstore *, const char *what, FILE *f,
	    const char *name, int decimals, size_t *count, int64_t *version,
	    char **cause);

#endif
