/*
 * The print queue: every slip the window prints is a row of print_jobs
 * (pending, sent, done, failed; attempts, last error, where it went, and
 * what CUPS last said of its job).
 * Printing never blocks or loses a sale: a dead cupsd, a disabled or
 * rejecting queue or a missing printer leave the job pending with the
 * reason, and it is tried again with a bounded backoff. With no printer
 * configured and no CUPS default, slips are written as text files next
 * to the store, and the job says where.
 *
 * A job is 'done' only when CUPS reports 'completed' for that very job:
 * the CUPS job id and the job-uuid read back at submission must both
 * match. A job CUPS no longer knows, or whose id now names another job
 * (a restarted cupsd numbers jobs again), is 'failed' and tried again
 * after its backoff; one CUPS canceled or aborted is 'failed' and waits
 * for `pos print-queue --retry`.
 *
 * The renderers and libcups live in a module loaded only when printing
 * (receipts/printmod.h).
 */
#ifndef POS_PRINTQ_H
#define POS_PRINTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define PRINTQ_MAX_BACKOFF	300	/* seconds between tries, at most */
#define PRINTQ_MAX_ATTEMPTS	100	/* then failed; --retry starts again */

/*
 * Queue a job inside the caller's transaction (or its own). what:
 * receipt | copy | report_x | report_z | statement; seq is the journal
 * entry it prints (0 for none); arg is the report date or the statement's
 * "CODE FROM TO".
 */
int	 printq_enqueue(struct store *, const char *what, int64_t seq,
	    const char *arg, int64_t *id, char **cause);

/*
 * Turn on or off queueing each committed entry's own slip (receipts,
 * corrections, payouts, the Z) in the transaction that appends it.
 */
void	 printq_autoprint(struct store *, bool on);

/* What happened to one job in a run. */
struct printq_job {
	int64_t	 id;
	int64_t	 seq;
	char	*what;
	char	*receipt;	/* the entry's receipt number, if any */
	char	*state;
	int64_t	 attempts;
	char	*last_error;
	char	*dest;		/* CUPS destination or file written */
	int64_t	 cups_job;
	char	*next_try;
	char	*cups_uuid;	/* the CUPS job's job-uuid, if sent */
	/* What CUPS last said of the job, and when (NULL: nothing yet):
	 * a job-state name, or "not-found" or "other-job" when the id no
	 * longer names this slip's job. */
	char	*cups_state;
	char	*cups_reasons;	/* job-state-reasons, "a,b" */
	char	*cups_message;	/* job-printer-state-message, or why */
	char	*cups_seen;
};
void	 printq_job_clear(struct printq_job *);
void	 printq_jobs_free(struct printq_job *, size_t n);

/*
 * Try every pending job that is due (all pending ones with now_all), and
 * follow the CUPS state of sent ones. Never fails for a printer fault:
 * those are recorded on the job. Only a store failure is an error.
 */
int	 printq_run(struct store *, bool now_all, char **cause);

/* The queue, newest first; only unfinished jobs unless all. */
int	 printq_list(struct store *, bool all, struct printq_job **out,
	    size_t *n, char **cause);

/* A job's state after a run (for the command that queued it). */
int	 printq_get(struct store *, int64_t id, struct printq_job *out,
	    char **cause);

/* The newest job of entry seq; POS_INPUT if it has none. */
int	 printq_for_seq(struct store *, int64_t seq, struct printq_job *out,
	    char **cause);

/* Whether the entry seq has been printed (a job of it done or sent). */
int	 printq_printed(struct store *, int64_t seq, bool *printed,
	    char **cause);

/*
 * Render a slip without queueing it: format text | escpos | escpos-raster
 * | pdf | png. *out is freed by the caller.
 */
int	 printq_render(struct store *, const char *what, int64_t seq,
	    const char *arg, const char *format, unsigned char **out,
	    size_t *len, char **cause);

#endif
