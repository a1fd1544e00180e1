/*
 * The background worker of the terminal UI: a thread with its own store
 * connection that prints what the print queue holds and pushes the journal
 * to the central server every [sync] interval seconds, so the input loop
 * never waits on a printer or the network.
 *
 * Hand-off: the UI commits (its connection queues the slip in the same
 * transaction), then calls worker_kick(); the worker wakes, runs the queue
 * and publishes a status the UI reads with worker_status() on its tick.
 * Nothing but that status struct is shared, under one mutex.
 */
#ifndef POS_WORKER_H
#define POS_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define WORKER_PERIOD_MS	2000	/* also wakes this often by itself */

struct worker_status {
	bool	 printer_ok;		/* last run printed or had nothing to do */
	int64_t	 printer_pending;	/* jobs not printed yet */
	int64_t	 printer_failed;
	char	 printer_error[160];	/* the newest job's error, or "" */
	bool	 sync_configured;	/* [sync] url is set */
	bool	 sync_tried;		/* a push has finished */
	bool	 sync_online;		/* the last push reached the server */
	int64_t	 sync_unsynced;		/* entries the server has not acked */
	char	 sync_last_success[21];	/* UTC, "" if never */
	char	 sync_error[160];
	int64_t	 runs;			/* completed passes, for tests */
};

struct worker;

/* Start the worker on the store at path; NULL with *cause on failure. */
struct worker	*worker_start(const struct config *, const char *path,
		    char **cause);
void		 worker_kick(struct worker *);
/* Push now instead of at the next interval (e.g. after closing the day). */
void		 worker_sync_now(struct worker *);
void		 worker_status(struct worker *, struct worker_status *out);
/* Ask it to stop and wait for it; the store is closed. */
void		 worker_stop(struct worker *);

#endif
