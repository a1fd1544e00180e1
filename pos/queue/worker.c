/*
 * The background worker (see worker.h).
 */
#include "worker.h"

#include <errno.h>
#include <stdatomic.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outbox.h"
#include "printq.h"
#include "store.h"
#include "xalloc.h"

struct worker {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	bool			 kicked;
	bool			 sync_now;
	bool			 stop;
	atomic_bool		 cancel;	/* ends a push under way at stop */
	struct outbox_opts	 opts;		/* read on the UI's thread */
	struct worker_status	 status;	/* under lock */
	struct store		*st;		/* the worker's own */
};

/* Count the queue for the status line. */
static void
worker_printer(struct worker *w, struct worker_status *s)
{
	struct printq_job *jobs;
	size_t n;
	char *cause = NULL;

	if (printq_run(w->st, false, &cause) != POS_OK) {
		s->printer_ok = false;
		snprintf(s->printer_error, sizeof s->printer_error, "%s", cause);
		free(cause);
		return;
	}
	if (printq_list(w->st, false, &jobs, &n, &cause) != POS_OK) {
		snprintf(s->printer_error, sizeof s->printer_error, "%s", cause);
		free(cause);
		return;
	}
	s->printer_pending = 0;
	s->printer_failed = 0;
	s->printer_error[0] = '\0';
	for (size_t i = n; i-- > 0;) {
		if (strcmp(jobs[i].state, "failed") == 0)
			s->printer_failed++;
		else if (strcmp(jobs[i].state, "pending") == 0)
			s->printer_pending++;
		else
			continue;
		if (jobs[i].last_error != NULL)
			snprintf(s->printer_error, sizeof s->printer_error, "%s",
			    jobs[i].last_error);
	}
	s->printer_ok = s->printer_pending == 0 && s->printer_failed == 0;
	printq_jobs_free(jobs, n);
}

static int64_t
worker_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The unsynced count, cheaply, between pushes. */
static void
worker_sync_count(struct worker *w, struct worker_status *s)
{
	struct outbox_state os;
	char *cause = NULL;

	if (outbox_status(w->st, &os, &cause) != POS_OK) {
		free(cause);
		return;
	}
	s->sync_unsynced = os.unsynced;
	outbox_state_free(&os);
}

/* One bounded push. */
static void
worker_sync(struct worker *w, struct worker_status *s)
{
	struct outbox_result r;

	outbox_push(w->st, &w->opts, &r);
	s->sync_tried = true;
	/* Online: the server answered (a rejected entry is still an answer). */
	s->sync_online = r.rc == POS_OK || r.batches > 0;
	if (r.rc == POS_OK)
		s->sync_error[0] = '\0';
	else
		snprintf(s->sync_error, sizeof s->sync_error, "%s",
		    r.error != NULL ? r.error : "sync failed");
	if (r.have_state) {
		s->sync_unsynced = r.state.unsynced;
		snprintf(s->sync_last_success, sizeof s->sync_last_success,
		    "%s", r.state.last_success != NULL ?
		    r.state.last_success : "");
	}
	outbox_result_free(&r);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct worker_status s;
	struct timespec until;
	sigset_t all;

	/* Signals are the UI's: it turns them into flags in its loop. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	int64_t next_sync = 0;
	bool push;

	memset(&s, 0, sizeof s);
	s.sync_configured = outbox_configured(w->st->cfg);
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		w->kicked = false;
		push = w->sync_now || worker_ms() >= next_sync;
		w->sync_now = false;
		pthread_mutex_unlock(&w->lock);

		worker_printer(w, &s);
		if (s.sync_configured) {
			if (push) {
				worker_sync(w, &s);
				next_sync = worker_ms() +
				    (int64_t)w->st->cfg->sync.interval * 1000;
			} else
				worker_sync_count(w, &s);
		}
		s.runs++;

		pthread_mutex_lock(&w->lock);
		w->status = s;
		if (w->stop || w->kicked)
			continue;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += WORKER_PERIOD_MS / 1000;
		until.tv_nsec += (WORKER_PERIOD_MS % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!w->stop && !w->kicked &&
		    pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct worker *
worker_start(const struct config *cfg, const char *path, char **cause)
{
	struct worker *w = xcalloc(1, sizeof *w);
	int rc;

	outbox_opts_default(&w->opts);
	atomic_init(&w->cancel, false);
	w->opts.cancel = &w->cancel;
	if ((rc = store_open(path, false, cfg, &w->st, cause)) != POS_OK) {
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if ((rc = pthread_create(&w->thread, NULL, worker_main, w)) != 0) {
		cause_set(cause, POS_FAIL, "cannot start the worker: %s",
		    strerror(rc));
		store_close(w->st);
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		free(w);
		return NULL;
	}
	return w;
}

void
worker_kick(struct worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->kicked = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void
worker_sync_now(struct worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->sync_now = true;
	w->kicked = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void
worker_status(struct worker *w, struct worker_status *out)
{
	pthread_mutex_lock(&w->lock);
	*out = w->status;
	pthread_mutex_unlock(&w->lock);
}

void
worker_stop(struct worker *w)
{
	if (w == NULL)
		return;
	atomic_store(&w->cancel, true);
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	store_close(w->st);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w);
}
