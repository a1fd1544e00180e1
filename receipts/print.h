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
 *
 * A CUPS job id alone does not name a job: a cupsd restarted without its
 * job files numbers jobs from 1 again. A job is known by its job-uuid
 * (and its time-at-creation), read back right after Create-Job; a caller
 * that follows a job compares them on every look.
 *
 * Job titles and document names go to cupsd only from the alphabet
 * A-Z a-z 0-9 . _ - (any other run of bytes becomes one '_'): Debian 12's
 * cupsd 2.4.2 dies on a Send-Document whose document-name holds a space
 * or a tab.
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

#define PRINT_UUID_MAX		64	/* "urn:uuid:" and 36 characters fit */
#define PRINT_TEXT_MAX		256	/* reasons and messages, cut to fit */

/* What cupsd says of one job (Get-Job-Attributes). */
struct print_job {
	int		 id;
	int		 state;		/* PRINT_*; 0 if not given */
	long long	 created;	/* time-at-creation; 0 if not given */
	char		 uuid[PRINT_UUID_MAX];	/* job-uuid; "" if not given */
	char		 reasons[PRINT_TEXT_MAX]; /* job-state-reasons, "a,b" */
	char		 message[PRINT_TEXT_MAX]; /* job-printer-state-message,
					 * or why cupsd does not know the job */
};

/*
 * Submit len bytes of MIME type format (CUPS_FORMAT_RAW for ESC/POS,
 * CUPS_FORMAT_PDF, CUPS_FORMAT_TEXT) as one job to dest, or to the default
 * destination if dest is NULL; title, made safe, is its job-name and
 * document-name. Returns the job id (> 0) with *job (OUT, may be NULL)
 * holding what cupsd said of the job after Create-Job (its job-uuid,
 * time-at-creation), or 0 with *cause set (caller frees) if the job was
 * not accepted.
 */
int		 print_submit(const char *dest, const char *format,
		     const char *title, const void *data, size_t len,
		     struct print_job *job, char **cause);

/*
 * 1 if CUPS answers and has dest (NULL: a default destination); else 0
 * with *cause set if cause is not NULL (caller frees).
 */
int		 print_has_dest(const char *dest, char **cause);

/*
 * Ask cupsd about job id. 1 with *out (OUT) filled; 0 if cupsd has no
 * such job, with the reason in out->message; -1 if cupsd could not be
 * asked, with *cause set (caller frees).
 */
int		 print_job_info(int job_id, struct print_job *out,
		     char **cause);

/* "pending", "processing", ... for a PRINT_* state; "unknown" else. */
static inline const char *
print_state_name(int state)
{
	static const char *const names[] = { "pending", "held", "processing",
	    "stopped", "canceled", "aborted", "completed" };

	if (state < PRINT_PENDING || state > PRINT_COMPLETED)
		return "unknown";
	return names[state - PRINT_PENDING];
}

#endif
