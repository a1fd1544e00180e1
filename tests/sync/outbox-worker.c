/*
 * outbox-worker DB [CANCEL_MS]: one outbox_push on a worker thread with
 * its own store connection, the way the terminal UI will push in the
 * background; the main thread only waits (and, with CANCEL_MS, sets the
 * cancel flag after that many milliseconds). Prints outbox_result_json
 * and exits with the push's status. Configuration comes from the usual
 * layers (POS_SYNC_URL, POS_SYNC_TOKEN_FILE, ...).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "config.h"
#include "outbox.h"
#include "store.h"

struct job {
	const char		*db;
	const struct config	*cfg;
	struct outbox_opts	 opts;
	struct outbox_result	 res;
	int			 rc;
	atomic_bool		 done;
};

static void *
worker(void *arg)
{
	struct job *j = arg;
	struct store *st;
	char *cause = NULL;

	if (store_open(j->db, false, j->cfg, &st, &cause) != POS_OK) {
		memset(&j->res, 0, sizeof j->res);
		j->res.rc = POS_FAIL;
		j->res.error = cause;
	} else {
		outbox_push(st, &j->opts, &j->res);
		store_close(st);
	}
	j->rc = j->res.rc;
	atomic_store(&j->done, true);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct job j;
	atomic_bool cancel;
	pthread_t t;
	struct timespec ts = { 0, 10 * 1000000L };
	long cancel_ms = -1, waited = 0;
	char *cause = NULL, *s;
	json_t *out;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: outbox-worker DB [CANCEL_MS]\n");
		return 2;
	}
	if (argc == 3)
		cancel_ms = strtol(argv[2], NULL, 10);
	if (config_load(&cfg, NULL, &cause) != 0) {
		fprintf(stderr, "outbox-worker: %s\n", cause);
		return 2;
	}
	memset(&j, 0, sizeof j);
	j.db = argv[1];
	j.cfg = &cfg;
	atomic_init(&cancel, false);
	atomic_init(&j.done, false);
	outbox_opts_default(&j.opts);	/* reads the environment: here */
	j.opts.cancel = &cancel;
	if (pthread_create(&t, NULL, worker, &j) != 0) {
		fprintf(stderr, "outbox-worker: pthread_create failed\n");
		return 1;
	}
	while (!atomic_load(&j.done)) {
		nanosleep(&ts, NULL);
		waited += 10;
		if (cancel_ms >= 0 && waited >= cancel_ms)
			atomic_store(&cancel, true);
	}
	pthread_join(t, NULL);
	out = outbox_result_json(&j.res);
	s = json_dumps(out, JSON_COMPACT);
	puts(s);
	free(s);
	json_decref(out);
	if (j.res.error != NULL)
		fprintf(stderr, "outbox-worker: %s\n", j.res.error);
	outbox_result_free(&j.res);
	config_free(&cfg);
	return j.rc;
}
