/*
 * Printing a rendered receipt to a CUPS destination (libcups 2.4
 * destination API) and following the job. The server is libcups' choice:
 * CUPS_SERVER, then client.conf, then the local socket.
 *
 * Every call makes its own connection with a bounded connect timeout
 * (PRINT_TIMEOUT_MS) and gives up on a request that gets no answer for
 * about as long, so a dead or wedged cupsd costs seconds, never a blocked
 * sale. A submit that times out after the document was sent may still
 * have been printed: the caller records the failure and decides (the
 * window's print queue shows it as pending, not as unprinted).
 */
#ifndef POS_RECEIPTS_PRINT_H
#define POS_RECEIPTS_PRINT_H

#include <stddef.h>

#define PRINT_TIMEOUT_MS	2000

/* Job states, as IPP (RFC 8011) numbers them. */
#define PRINT_PENDING		3
#define PRINT_HELD		4
#define PRINT_PROCESSING	5
#define PRINT_STOPPED		6
#define PRINT_CANCELED		7
#define PRINT_ABORTED		8
#define PRINT_COMPLETED		9

/*
 * Submit len bytes of MIME type format (CUPS_FORMAT_RAW for ESC/POS,
 * CUPS_FORMAT_PDF, CUPS_FORMAT_TEXT) as one job named title to dest, or to
 * the default destination if dest is NULL. Returns the job id (> 0), or 0
 * with *cause set (caller frees) if the job was not accepted.
 */
int		 print_submit(const char *dest, const char *format,
		     const char *title, const void *data, size_t len,
		     char **cause);

/*
 * 1 if CUPS answers and has dest (NULL: a default destination); else 0
 * with *cause set if cause is not NULL (caller frees).
 */
int		 print_has_dest(const char *dest, char **cause);

/* State (PRINT_*) of job id, or -1 with *cause set (caller frees). */
int		 print_job_state(int job_id, char **cause);

/* "pending", "processing", ... for a PRINT_* state. */
const char	*print_state_name(int state);

#endif
