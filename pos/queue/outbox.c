/*
 * The outbox: pushing the journal to pos-central (see outbox.h for the
 * rules). Entries are read in a read transaction and the checkpoint is
 * written in short write transactions; no transaction is open while a
 * request is on the network, so selling goes on during a slow push. The
 * state in the store and its JSON are in outbox_state.c.
 */
#include "outbox.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "journal.h"
#include "module.h"
#include "outbox_int.h"
#include "pushmod.h"
#include "xalloc.h"

#define OUTBOX_MAX_TOKEN	4096
#define OUTBOX_MAX_CONFLICTS	3	/* 409s followed in one push */

/* The network module, loaded once for the process. */
static pthread_mutex_t outbox_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct pushmod *outbox_mod;

/* ---- the network module ---- */

/* Load and set up the module once (any thread); NULL with *cause. */
static const struct pushmod *
outbox_module(char **cause)
{
	const struct pushmod *m = NULL;
	pushmod_get_fn get;
	char *why = NULL;
	void *h;

	pthread_mutex_lock(&outbox_lock);
	if (outbox_mod != NULL) {
		m = outbox_mod;
		goto out;
	}
	if ((h = module_open(PUSHMOD_SONAME, "sync/client", "POS_SYNC_MODULE", "sync",
	    cause)) == NULL)
		goto out;
	*(void **)&get = dlsym(h, PUSHMOD_SYMBOL);
	if (get == NULL || get() == NULL || get()->abi != PUSHMOD_ABI) {
		cause_set(cause, POS_FAIL, "sync is not available: %s is not "
		    "this version's network module", PUSHMOD_SONAME);
		dlclose(h);
		goto out;
	}
	if (get()->init(&why) != 0) {
		cause_set(cause, POS_FAIL, "sync is not available: %s",
		    why != NULL ? why : "libcurl failed");
		free(why);
		dlclose(h);
		goto out;
	}
	m = outbox_mod = get();
out:
	pthread_mutex_unlock(&outbox_lock);
	return m;
}

/* ---- small helpers ---- */

int64_t
outbox_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The real time (not POS_NOW: this is when the network was tried). */
static void
outbox_now(char buf[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static uint32_t
outbox_random(void)
{
	uint32_t r;

	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
		r = (uint32_t)outbox_ms() ^ (uint32_t)getpid() * 2654435761u;
	return r;
}

/* Sleep ms, waking early when canceled; false if canceled. */
static bool
outbox_sleep(int64_t ms, const atomic_bool *cancel)
{
	struct timespec ts;
	int64_t step;

	while (ms > 0) {
		if (cancel != NULL && atomic_load(cancel))
			return false;
		step = ms < 100 ? ms : 100;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)step * 1000000;
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		ms -= step;
	}
	return cancel == NULL || !atomic_load(cancel);
}

void
outbox_opts_default(struct outbox_opts *o)
{
	const char *env = getenv("POS_SYNC_DEADLINE");
	char *end;
	long v;

	o->attempts = OUTBOX_ATTEMPTS;
	o->deadline_ms = OUTBOX_DEADLINE_MS;
	o->cancel = NULL;
	o->master_page = mpull_page_default();
	if (env != NULL && *env != '\0') {
		errno = 0;
		v = strtol(env, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 1 && v <= 600)
			o->deadline_ms = v * 1000;
	}
}

bool
outbox_configured(const struct config *cfg)
{
	return cfg != NULL && cfg->sync.url != NULL && cfg->sync.url[0] != '\0';
}

/* The bearer token: the token file's content, trimmed. */
static int
outbox_token(const struct config *cfg, char **out, char **cause)
{
	const char *path = cfg->sync.token_file;
	char buf[OUTBOX_MAX_TOKEN + 1], *s, *e;
	size_t n;
	FILE *f;

	*out = NULL;
	if (path == NULL || *path == '\0')
		return cause_set(cause, POS_INPUT, "no token: set [sync] "
		    "token_file to the file holding this branch's token");
	if ((f = fopen(path, "rb")) == NULL)
		return cause_set(cause, POS_FAIL, "[sync] token_file %s: %s",
		    path, strerror(errno));
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if (n > OUTBOX_MAX_TOKEN)
		return cause_set(cause, POS_FAIL, "[sync] token_file %s: "
		    "longer than %d bytes", path, OUTBOX_MAX_TOKEN);
	buf[n] = '\0';
	for (s = buf; *s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'; s++)
		;
	for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t' ||
	    e[-1] == '\r' || e[-1] == '\n'); e--)
		;
	*e = '\0';
	if (*s == '\0')
		return cause_set(cause, POS_FAIL, "[sync] token_file %s: "
		    "empty", path);
	for (const char *p = s; *p != '\0'; p++)
		if (*p < 0x21 || *p > 0x7e)
			return cause_set(cause, POS_FAIL, "[sync] token_file "
			    "%s: the token must be one word of printable "
			    "ASCII", path);
	*out = xstrdup(s);
	return POS_OK;
}

/* ---- one push ---- */

struct outbox_run {
	struct store		*st;
	const struct outbox_opts *opts;
	const struct pushmod	*mod;
	char			*token;
	char			*endpoint;
	struct outbox_state	 s;
	int64_t			 deadline;	/* monotonic ms */
	int			 fails;		/* tries of this request */
	int			 conflicts;
	bool			 answered;	/* a 200 or 409 in this push */
	int64_t			 target;	/* the head when the push began */
	int64_t			 sent;
	int64_t			 batches;
	char			 now[21];
};

struct outbox_add {
	struct batch_writer	*w;
	char			**cause;
};

/* One entry into the batch; stop when it is full. */
static int
outbox_add(void *arg, const struct ledger_entry *e)
{
	struct outbox_add *a = arg;

	switch (batch_writer_add(a->w, e, a->cause)) {
	case POS_OK:
		return POS_OK;
	case BATCH_FULL:
		return JOURNAL_STOP;
	default:
		return POS_FAIL;
	}
}

/*
 * Load the entries after s.acked_through into a new batch (none: the
 * empty probe that asks the server for its head).
 */
static int
outbox_load(struct outbox_run *r, struct batch_writer **out, char **cause)
{
	struct store *st = r->st;
	struct batch_writer *w;
	struct outbox_add add;
	int rc;

	w = batch_writer_new(st->branch, st->terminal,
	    (size_t)(st->cfg->sync.batch > 0 ? st->cfg->sync.batch : 200),
	    OUTBOX_MAX_BODY);
	add.w = w;
	add.cause = cause;
	if ((rc = sqldb_begin(st->db, false, cause)) != POS_OK) {
		batch_writer_free(w);
		return rc;
	}
	if (r->s.head_seq > r->s.acked_through)
		rc = journal_each(st, r->s.acked_through + 1, r->s.head_seq,
		    outbox_add, &add, cause);
	sqldb_rollback(st->db);
	if (rc != POS_OK) {
		batch_writer_free(w);
		return rc;
	}
	*out = w;
	return POS_OK;
}

/* The server's chain must be ours up to what it acknowledges. */
static int
outbox_same_chain(struct outbox_run *r, int64_t acked, const char *head,
    char **cause)
{
	char mine[LEDGER_HASH_HEX];
	int rc;

	if (acked > r->s.head_seq)
		return cause_set(cause, POS_FAIL, "the server has %s terminal "
		    "%lld up to seq %lld but this store only up to seq %lld: "
		    "is another window using this branch and terminal, or "
		    "was this store restored from an old copy?", r->st->branch,
		    (long long)r->st->terminal, (long long)acked,
		    (long long)r->s.head_seq);
	if ((rc = outbox_hash_at(r->st, acked, mine, cause)) != POS_OK)
		return rc;
	if (strcmp(mine, head) != 0)
		return cause_set(cause, POS_FAIL, "the server's chain for %s "
		    "terminal %lld differs from this store's at seq %lld "
		    "(server head %.16s…, ours %.16s…): is another window "
		    "using this branch and terminal?", r->st->branch,
		    (long long)r->st->terminal, (long long)acked, head, mine);
	return POS_OK;
}

/* Entries the server names in a 400 ("entries[3].lines[0].qty: ..."). */
static int
outbox_bad_entries(struct outbox_run *r, const struct batch_answer *a,
    int64_t first, char **cause)
{
	size_t idx;
	int n, rc;

	if ((rc = sqldb_begin(r->st->db, true, cause)) != POS_OK)
		return rc;
	for (size_t i = 0; i < a->nreasons; i++) {
		n = 0;
		if (sscanf(a->reasons[i], "entries[%zu]%n", &idx, &n) != 1 ||
		    n == 0)
			continue;
		if ((rc = outbox_reject(r->st, first + (int64_t)idx, NULL,
		    a->reasons[i], r->now, cause)) != POS_OK) {
			sqldb_rollback(r->st->db);
			return rc;
		}
	}
	return sqldb_commit(r->st->db, cause);
}

/*
 * A 200 to a batch of first..last (n entries; none for the probe).
 * POS_OK to go on, or a status with *cause (a rejected entry among them).
 */
static int
outbox_take_200(struct outbox_run *r, const struct batch_answer *a,
    int64_t first, size_t n, char **cause)
{
	const struct batch_result *root = NULL;
	size_t blocked = 0;
	int64_t before = r->s.acked_through;
	int rc;

	if (a->nresults != n)
		return cause_set(cause, POS_FAIL, "the server answered %zu "
		    "results for %zu entries", a->nresults, n);
	for (size_t i = 0; i < n; i++)
		if (a->results[i].seq != first + (int64_t)i)
			return cause_set(cause, POS_FAIL, "the server's "
			    "results are not the entries sent (seq %lld at "
			    "%zu)", (long long)a->results[i].seq, i);
	if ((rc = outbox_same_chain(r, a->acked_through, a->head, cause)) !=
	    POS_OK)
		return rc;

	if ((rc = sqldb_begin(r->st->db, true, cause)) != POS_OK)
		return rc;
	rc = outbox_checkpoint(r->st, a->acked_through, a->head, n == 0,
	    cause);
	for (size_t i = 0; rc == POS_OK && i < n; i++) {
		const struct batch_result *x = &a->results[i];
		bool is_root = x->status == BATCH_REJECTED && x->blocked_by == 0;

		if (x->status == BATCH_REJECTED && x->blocked_by != 0)
			blocked++;
		if (is_root && root == NULL)
			root = x;
		if (x->seq <= a->acked_through)
			continue;
		rc = outbox_reject(r->st, x->seq, x->uuid, is_root ? x->reason :
		    NULL, r->now, cause);
	}
	if (rc != POS_OK) {
		sqldb_rollback(r->st->db);
		return rc;
	}
	if ((rc = sqldb_commit(r->st->db, cause)) != POS_OK)
		return rc;
	if (a->acked_through > before || n == 0)
		r->s.acked_through = a->acked_through;

	if (root != NULL) {
		char *why = outbox_clean(root->reason);

		rc = cause_set(cause, POS_FAIL, "the server rejected seq %lld "
		    "(%s-%lld-%06lld): %s%s", (long long)root->seq,
		    r->st->branch, (long long)r->st->terminal,
		    (long long)root->seq, why, blocked > 0 ?
		    "; the entries after it wait for it" : "");
		free(why);
		return rc;
	}
	if (n > 0 && a->acked_through < first + (int64_t)n - 1)
		return cause_set(cause, POS_FAIL, "the server acknowledged "
		    "only up to seq %lld of %lld..%lld without saying why",
		    (long long)a->acked_through, (long long)first,
		    (long long)(first + (int64_t)n - 1));
	return POS_OK;
}

/* Whether a failed request is worth trying again. */
static bool
outbox_transient(const struct push_answer *ans)
{
	switch (ans->transport) {
	case PUSH_CONNECT:
	case PUSH_TIMEOUT:
	case PUSH_NETWORK:
		return true;
	case PUSH_OK:
		return ans->status >= 500 || ans->status == 408 ||
		    ans->status == 429;
	default:
		return false;
	}
}

/*
 * Wait before the next try (exponential, with jitter, Retry-After
 * honoured up to the cap); false when the deadline or the tries are spent.
 */
static bool
outbox_backoff(struct outbox_run *r, long retry_after)
{
	int64_t wait, left;

	if (r->fails >= r->opts->attempts)
		return false;
	wait = (int64_t)OUTBOX_BACKOFF_MS << (r->fails < 8 ? r->fails - 1 : 7);
	if (wait > OUTBOX_BACKOFF_MAX_MS)
		wait = OUTBOX_BACKOFF_MAX_MS;
	wait = wait / 2 + outbox_random() % (uint32_t)(wait / 2 + 1);
	if (retry_after >= 0 && retry_after * 1000 > wait)
		wait = retry_after * 1000 < OUTBOX_BACKOFF_MAX_MS ?
		    retry_after * 1000 : OUTBOX_BACKOFF_MAX_MS;
	left = r->deadline - outbox_ms();
	/* Leave the next try at least a second of its own. */
	if (wait + 1000 > left)
		return false;
	return outbox_sleep(wait, r->opts->cancel);
}

/* The one line describing a failed request. */
static char *
outbox_describe(const struct push_answer *ans, const struct batch_answer *a,
    bool parsed)
{
	char *s, *t;

	if (ans->transport != PUSH_OK)
		return xstrdup(ans->error != NULL ? ans->error : "no answer");
	s = xasprintf("HTTP %ld", ans->status);
	if (parsed && a->error != NULL) {
		t = outbox_clean(a->error);
		free(s);
		s = xasprintf("HTTP %ld: %s", ans->status, t);
		free(t);
		for (size_t i = 0; i < a->nreasons && i < 3; i++) {
			char *u = outbox_clean(a->reasons[i]);

			t = xasprintf("%s%s %s", s, i == 0 ? ":" : ";", u);
			free(u);
			free(s);
			s = t;
		}
	}
	return s;
}

/*
 * One try of the request with left ms to go: the answer in *ans, decoded
 * into *a when it is HTTP (*parsed; else why in *perr, which the caller
 * frees). A 200 cut short (the connection closed before any length was
 * known) is turned into a network fault to try again (*garbled).
 */
static void
outbox_send_once(struct outbox_run *r, struct push_request *rq, int64_t left,
    struct push_answer *ans, struct batch_answer *a, bool *parsed,
    bool *garbled, char **perr)
{
	rq->connect_timeout_ms = left < OUTBOX_CONNECT_MS ? (long)left :
	    OUTBOX_CONNECT_MS;
	rq->timeout_ms = (long)left;
	r->mod->send(rq, ans);
	*parsed = *garbled = false;
	free(*perr);
	*perr = NULL;
	if (ans->transport != PUSH_OK)
		return;
	*parsed = batch_answer_parse(ans->status, ans->body, ans->len, a,
	    perr) == 0;
	if (!*parsed && ans->status == 200) {
		*garbled = true;
		ans->transport = PUSH_NETWORK;
		free(ans->error);
		ans->error = xasprintf("an incomplete answer (HTTP 200, %zu "
		    "bytes): %s", ans->len, *perr);
	}
}

/* An answer not worth trying again: POS_OK when it is decoded HTTP. */
static int
outbox_final(const struct push_answer *ans, bool parsed, const char *perr,
    char **cause)
{
	if (ans->transport != PUSH_OK)
		return cause_set(cause, POS_FAIL, "%s", ans->error != NULL ?
		    ans->error : "no answer");
	if (!parsed)
		return cause_set(cause, POS_FAIL, "HTTP %ld: %s", ans->status,
		    perr);
	return POS_OK;
}

/* Why a try failed, for the message when the tries run out. */
static char *
outbox_why(const struct push_answer *ans, const struct batch_answer *a,
    bool parsed, bool garbled, const char *perr)
{
	char *why, *t;

	why = outbox_describe(ans, a, parsed);
	if (perr != NULL && !garbled) {
		t = xasprintf("%s (%s)", why, perr);
		free(why);
		why = t;
	}
	return why;
}

/*
 * Send the request, trying again after a transient failure. POS_OK with
 * a final HTTP answer in *ans, decoded in *a; else a status and *cause,
 * with *ans and *a left empty. The caller frees both either way.
 */
static int
outbox_send(struct outbox_run *r, struct push_request *rq,
    struct push_answer *ans, struct batch_answer *a, char **cause)
{
	char *why = NULL, *perr = NULL;
	bool parsed, garbled;
	int64_t left;
	long retry_after;
	int rc;

	memset(a, 0, sizeof *a);
	for (;;) {
		memset(ans, 0, sizeof *ans);
		left = r->deadline - outbox_ms();
		if (left < 200) {
			rc = cause_set(cause, POS_FAIL, "no answer from the "
			    "central server in time%s%s", why != NULL ? ": " :
			    "", why != NULL ? why : "");
			break;
		}
		outbox_send_once(r, rq, left, ans, a, &parsed, &garbled, &perr);
		if (ans->transport == PUSH_CANCELED) {
			rc = cause_set(cause, POS_FAIL, "canceled");
			break;
		}
		if (!outbox_transient(ans)) {
			if ((rc = outbox_final(ans, parsed, perr, cause)) ==
			    POS_OK) {
				free(why);
				free(perr);
				return POS_OK;
			}
			break;
		}
		r->fails++;
		free(why);
		why = outbox_why(ans, a, parsed, garbled, perr);
		retry_after = ans->retry_after;
		batch_answer_free(a);
		free(ans->body);
		free(ans->error);
		if (!outbox_backoff(r, retry_after)) {
			memset(ans, 0, sizeof *ans);
			rc = cause_set(cause, POS_FAIL, "%s (%d %s)", why,
			    r->fails, r->fails == 1 ? "try" : "tries");
			break;
		}
	}
	batch_answer_free(a);
	free(ans->body);
	free(ans->error);
	memset(ans, 0, sizeof *ans);
	free(why);
	free(perr);
	return rc;
}

/* A 409: the server wants earlier entries; move the checkpoint back. */
static int
outbox_take_409(struct outbox_run *r, const struct push_answer *ans,
    const struct batch_answer *a, char **cause)
{
	char *desc;
	int rc;

	r->answered = true;
	r->batches++;
	if (++r->conflicts > OUTBOX_MAX_CONFLICTS) {
		desc = outbox_describe(ans, a, true);
		rc = cause_set(cause, POS_FAIL, "the server keeps asking for "
		    "earlier entries: %s", desc);
		free(desc);
		return rc;
	}
	if ((rc = outbox_same_chain(r, a->acked_through, a->head, cause)) !=
	    POS_OK)
		return rc;
	if ((rc = sqldb_begin(r->st->db, true, cause)) != POS_OK)
		return rc;
	if ((rc = outbox_checkpoint(r->st, a->acked_through, a->head, true,
	    cause)) != POS_OK) {
		sqldb_rollback(r->st->db);
		return rc;
	}
	return sqldb_commit(r->st->db, cause);
}

/* Any other answer refuses the batch first..last (n entries). */
static int
outbox_take_refusal(struct outbox_run *r, const struct push_answer *ans,
    const struct batch_answer *a, int64_t first, int64_t last, size_t n,
    char **cause)
{
	char *desc;
	int rc;

	if (ans->status == 400 && n > 0 &&
	    (rc = outbox_bad_entries(r, a, first, cause)) != POS_OK)
		return rc;
	desc = outbox_describe(ans, a, true);
	if (n > 0)
		rc = cause_set(cause, POS_FAIL, "the server refused seq "
		    "%lld..%lld: %s", (long long)first, (long long)last, desc);
	else
		rc = cause_set(cause, POS_FAIL, "the server refused the "
		    "request: %s", desc);
	free(desc);
	return rc;
}

/* The request for a batch body (n entries; none: the probe). */
static void
outbox_request(const struct outbox_run *r, struct push_request *rq,
    const char *body, size_t len, const char *key, size_t n)
{
	memset(rq, 0, sizeof *rq);
	rq->url = r->endpoint;
	rq->token = r->token;
	rq->ca_file = r->st->cfg->sync.ca_file;
	rq->idempotency_key = n > 0 ? key : NULL;
	rq->body = body;
	rq->len = len;
	rq->max_answer = OUTBOX_MAX_ANSWER;
	rq->cancel = r->opts->cancel;
}

/* One request and what follows from its answer: POS_OK to go on. */
static int
outbox_step(struct outbox_run *r, bool *done, char **cause)
{
	struct batch_writer *w = NULL;
	struct push_request rq;
	struct push_answer ans;
	struct batch_answer a;
	char key[BATCH_KEY_MAX + 1], *body;
	int64_t first, last;
	size_t n, len;
	int rc;

	*done = false;
	outbox_state_free(&r->s);
	if ((rc = outbox_status(r->st, &r->s, cause)) != POS_OK)
		return rc;
	if (r->target < 0)
		r->target = r->s.head_seq;
	if (r->s.acked_through > r->s.head_seq)
		return outbox_same_chain(r, r->s.acked_through, r->s.server_head,
		    cause);
	if (r->answered && r->s.acked_through >= r->target) {
		*done = true;
		return POS_OK;
	}
	if ((rc = outbox_load(r, &w, cause)) != POS_OK)
		return rc;
	n = batch_writer_count(w);
	first = n > 0 ? batch_writer_first(w) : r->s.acked_through + 1;
	last = batch_writer_last(w);
	body = batch_writer_finish(w, &len, key);
	batch_writer_free(w);

	outbox_request(r, &rq, body, len, key, n);
	rc = outbox_send(r, &rq, &ans, &a, cause);
	free(body);
	if (rc != POS_OK)
		goto out;
	r->fails = 0;
	outbox_now(r->now);
	switch (ans.status) {
	case 200:
		r->answered = true;
		r->sent += (int64_t)n;
		r->batches++;
		rc = outbox_take_200(r, &a, first, n, cause);
		if (rc == POS_OK && n > 0)
			/* Progress: the deadline is for a server that stalls. */
			r->deadline = outbox_ms() + r->opts->deadline_ms;
		break;
	case 409:
		rc = outbox_take_409(r, &ans, &a, cause);
		break;
	default:
		rc = outbox_take_refusal(r, &ans, &a, first, last, n, cause);
		break;
	}
out:
	batch_answer_free(&a);
	free(ans.body);
	free(ans.error);
	return rc;
}

/* The endpoint /v1/WHAT under [sync] url. */
static char *
outbox_url(const char *url, const char *what)
{
	size_t n = strlen(url);

	while (n > 0 && url[n - 1] == '/')
		n--;
	return xasprintf("%.*s/v1/%s", (int)n, url, what);
}

/* The journal endpoint under [sync] url. */
static char *
outbox_endpoint(const char *url)
{
	return outbox_url(url, "journal");
}

/*
 * After the journal: the window's own producers and products, when the
 * push reached the server, in what is left of its time.
 */
static void
outbox_push_local(struct outbox_run *r, int rc, struct outbox_result *out)
{
	struct outbox_link l;

	if (r->mod == NULL || (rc != POS_OK && r->batches == 0))
		return;
	l.mod = r->mod;
	l.token = r->token;
	l.cancel = r->opts->cancel;
	l.deadline = r->deadline;
	if (l.deadline - outbox_ms() < 500) {
		out->local.tried = true;
		out->local.rc = POS_FAIL;
		out->local.error = xstrdup("no time left after the journal");
		return;
	}
	l.url = outbox_url(r->st->cfg->sync.url, "master/local");
	outbox_local(r->st, &l, &out->local);
	free((char *)l.url);
}

/* The master data, after a push that succeeded. */
static int
outbox_pull(struct store *st, const struct outbox_opts *opts,
    struct outbox_result *out, char **cause)
{
	char *why = NULL;
	int rc;

	if ((rc = mpull_run(st, opts, &out->master, &why)) == POS_OK)
		out->pulled = true;
	else {
		cause_set(cause, rc, "master data: %s", why != NULL ? why :
		    "failed");
		free(why);
	}
	return rc;
}

int
outbox_push(struct store *st, const struct outbox_opts *opts,
    struct outbox_result *out)
{
	struct outbox_opts def;
	struct outbox_run r;
	char *cause = NULL;
	bool done = false;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	if (opts == NULL) {
		def.attempts = OUTBOX_ATTEMPTS;
		def.deadline_ms = OUTBOX_DEADLINE_MS;
		def.cancel = NULL;
		def.master_page = 0;
		opts = &def;
	}
	r.st = st;
	r.opts = opts;
	r.target = -1;
	if (!outbox_configured(st->cfg)) {
		rc = cause_set(&cause, POS_INPUT, "no central server "
		    "configured ([sync] url)");
		goto out;
	}
	if ((rc = store_need_identity(st, &cause)) != POS_OK)
		goto out;
	outbox_now(r.now);
	if ((rc = outbox_note(st, "UPDATE sync_state SET last_attempt = ?1"
	    " WHERE id = 1", r.now, NULL, &cause)) != POS_OK)
		goto out;
	if ((rc = outbox_token(st->cfg, &r.token, &cause)) == POS_OK &&
	    (r.mod = outbox_module(&cause)) == NULL)
		rc = POS_FAIL;
	if (rc == POS_OK) {
		r.endpoint = outbox_endpoint(st->cfg->sync.url);
		r.deadline = outbox_ms() + opts->deadline_ms;
		while (!done && (rc = outbox_step(&r, &done, &cause)) == POS_OK)
			;
		outbox_push_local(&r, rc, out);
	}
	if (rc == POS_OK)
		rc = outbox_pull(st, opts, out, &cause);
	outbox_now(r.now);
	if (rc == POS_OK)
		outbox_note(st, "UPDATE sync_state SET last_success = ?1,"
		    " last_error = NULL WHERE id = 1", r.now, NULL, NULL);
	else {
		char *msg = outbox_clean(cause != NULL ? cause : "failed");

		outbox_note(st, "UPDATE sync_state SET last_error = ?1"
		    " WHERE id = 1", msg, NULL, NULL);
		free(msg);
	}
	out->have_state = outbox_status(st, &out->state, NULL) == POS_OK;
out:
	out->rc = rc;
	out->sent = r.sent;
	out->batches = r.batches;
	if (rc != POS_OK)
		out->error = cause != NULL ? cause : xstrdup("failed");
	else
		free(cause);
	free(r.token);
	free(r.endpoint);
	outbox_state_free(&r.s);
	return rc;
}

void
outbox_result_free(struct outbox_result *res)
{
	if (res == NULL)
		return;
	free(res->error);
	free(res->local.error);
	if (res->have_state)
		outbox_state_free(&res->state);
	memset(res, 0, sizeof *res);
}

/* One GET; a transient failure (no answer, 5xx, 429) tried again. */
int
outbox_get(const struct config *cfg, const char *what, const char *query,
    int attempts, const atomic_bool *cancel, struct push_answer *ans,
    char **cause)
{
	const struct pushmod *mod;
	struct push_request rq;
	char *token = NULL, *endpoint, *url;
	int64_t wait = OUTBOX_BACKOFF_MS;
	int rc, tries = 0;

	memset(ans, 0, sizeof *ans);
	if (!outbox_configured(cfg))
		return cause_set(cause, POS_INPUT, "no central server "
		    "configured ([sync] url)");
	if ((rc = outbox_token(cfg, &token, cause)) != POS_OK)
		return rc;
	if ((mod = outbox_module(cause)) == NULL) {
		free(token);
		return POS_FAIL;
	}
	endpoint = outbox_url(cfg->sync.url, what);
	url = xasprintf("%s?%s", endpoint, query);
	memset(&rq, 0, sizeof rq);
	rq.url = url;
	rq.token = token;
	rq.ca_file = cfg->sync.ca_file;
	rq.connect_timeout_ms = OUTBOX_CONNECT_MS;
	rq.timeout_ms = OUTBOX_FETCH_MS;
	rq.max_answer = OUTBOX_MAX_FETCH;
	rq.cancel = cancel;
	for (;;) {
		mod->send(&rq, ans);
		if (++tries >= attempts || !outbox_transient(ans) ||
		    !outbox_sleep(wait + outbox_random() % (wait / 2 + 1),
		    cancel))
			break;
		wait = wait * 2 > OUTBOX_BACKOFF_MAX_MS ?
		    OUTBOX_BACKOFF_MAX_MS : wait * 2;
		free(ans->body);
		free(ans->error);
		memset(ans, 0, sizeof *ans);
	}
	if (ans->transport != PUSH_OK && attempts > 1)
		rc = cause_set(cause, POS_FAIL, "%s: %s (%d %s)", url,
		    ans->error != NULL ? ans->error : "no answer", tries,
		    tries == 1 ? "try" : "tries");
	else if (ans->transport != PUSH_OK)
		rc = cause_set(cause, POS_FAIL, "%s: %s", url,
		    ans->error != NULL ? ans->error : "no answer");
	free(url);
	free(endpoint);
	free(token);
	return rc;
}

int
outbox_fetch(const struct config *cfg, const char *query,
    struct push_answer *ans, char **cause)
{
	return outbox_get(cfg, "journal", query, 1, NULL, ans, cause);
}
