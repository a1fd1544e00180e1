/*
 * The print module: rendering and CUPS submission behind one table of
 * functions in a shared object that `pos` loads with dlopen() only when it
 * prints. Pango, cairo and libcups cost over 20 ms to load, and most `pos`
 * runs (a sale with --no-print, a report) never need them; a sale is
 * committed before this module is even loaded.
 *
 * The document type is the one in document.h, built by the caller.
 */
#ifndef POS_RECEIPTS_PRINTMOD_H
#define POS_RECEIPTS_PRINTMOD_H

#include <stddef.h>

#include "document.h"
#include "print.h"

#define PRINTMOD_ABI		2
#define PRINTMOD_SONAME		"libposprint.so"
#define PRINTMOD_SYMBOL		"printmod_get"

struct printmod {
	int	 abi;	/* PRINTMOD_ABI */

	/*
	 * Render d as format ("text", "escpos", "escpos-raster", "pdf", "png")
	 * for paper of 58 or 80 mm. POS_OK and *out (caller frees with
	 * free()), or POS_FAIL and *cause (config/cause.h).
	 */
	int	(*render)(const struct doc *d, const char *format, int paper,
		    unsigned char **out, size_t *len, char **cause);

	/* The MIME type a format is printed with. NULL if unknown. */
	const char *(*mime)(const char *format);

	/*
	 * Submit to dest (NULL: the CUPS default). Returns the job id > 0
	 * with *job (OUT) saying who the job is (job-uuid, time-at-creation),
	 * or 0 with *cause. title may hold any bytes: it is made safe.
	 */
	int	(*submit)(const char *dest, const char *mime, const char *title,
		    const void *data, size_t len, struct print_job *job,
		    char **cause);

	/*
	 * What cupsd says of job id now: 1 and *out, 0 if it has no such job
	 * (why in out->message), -1 with *cause if it cannot be asked.
	 */
	int	(*job_info)(int job, struct print_job *out, char **cause);

	/* 1 if CUPS answers and has dest (NULL: a default), else 0 and *cause. */
	int	(*has_dest)(const char *dest, char **cause);
};

typedef const struct printmod *(*printmod_get_fn)(void);

/* The module's one exported symbol. */
const struct printmod *printmod_get(void);

#endif
