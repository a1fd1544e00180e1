/*
 * pos-central's HTTP server on libmicrohttpd.
 *
 * MHD's pool of `threads` threads reads requests and writes answers. A
 * journal batch, once its body is in, is not ingested by the MHD thread
 * that owns the connection: the connection is suspended and the request
 * queued for `threads` workers, first come first served, and resumed when
 * its answer is ready. So a thread with many connections does not make
 * their batches wait while other threads sit idle, and the MHD threads go
 * on reading other bodies meanwhile. Pages (web.c) go the same way to
 * their own workers, half as many and at a lower priority (struct
 * squeue), so that many producers opening their page at once slow the
 * pages, not the windows' batches. Store connections come from a pool
 * (no thread ever shares a SQLite handle), borrowed for as long as a
 * request needs one. Memory per connection is MHD's pool
 * (SERVER_CONN_MEMORY) plus the body, which is capped by max_body. What one
 * address or branch may hold and ask for, and how long a connection may
 * stall, is the edge's (edge.c): body bytes are charged to it as they
 * arrive. Authentication, the framing and the Content-Length limit are
 * checked on the headers, before any body byte is read.
 *
 * Answers go out once the request is read to its end, so the connection
 * stays open for the next one (libmicrohttpd closes it when an answer is
 * queued before that). Only answers that refuse the body itself (its
 * framing, its size, no room for it) are given at once, and close.
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "clocal.h"
#include "clog.h"
#include "cstore.h"
#include "edge.h"
#include "ingest.h"
#include "jread.h"
#include "mread.h"
#include "plink.h"
#include "token.h"
#include "web.h"
#include "xalloc.h"

#define SERVER_MAX_PEM	(1u << 20)
/* Body bytes read and dropped so a known answer keeps the connection. */
#define SERVER_DISCARD	(64u << 10)
#define SERVER_LOG_WHAT	96	/* bytes of method and path in the log */

/*
 * Requests waiting for a worker, oldest first, and the workers. Pages have
 * their own (fewer, and less favoured by the scheduler): a crowd of
 * producers opening their page neither holds up the MHD threads that read
 * the windows' batches nor takes the CPU from storing them.
 */
struct squeue {
	struct server		*s;
	pthread_mutex_t		 lock;
	pthread_cond_t		 ready;
	struct request		*head;
	struct request		**tail;
	bool			 stopping;
	pthread_t		*threads;
	size_t			 n;
	int			 nice;	/* added to the workers' nice value */
};

struct server {
	struct MHD_Daemon	*mhd;
	struct server_config	 cfg;
	struct ingest_limits	 limits;
	int			 fd;
	char			 address[INET6_ADDRSTRLEN + 8];
	char			*pem_cert;
	char			*pem_key;
	uint8_t			 link_key[PLINK_KEY];
	bool			 have_link_key;	/* links go with master data */

	pthread_mutex_t		 lock;
	pthread_cond_t		 freed;
	struct cstore		**pool;
	size_t			 npool;
	size_t			 nfree;

	struct edge		*edge;
	struct web		*web;	/* the office's pages */

	/* Batches, and the office's and producers' pages, for workers. */
	struct squeue		 batches;
	struct squeue		 pages;
	atomic_int		 pushing;	/* batches being read or stored */
	atomic_llong		 pushed_ms;	/* when the last one ended */
};

/* ROUTE_ANSWER: the answer is known from the headers (request.early). */
/* ROUTE_JOURNAL and ROUTE_LOCAL bodies are read, then queued for a worker. */
enum route { ROUTE_NONE, ROUTE_ANSWER, ROUTE_JOURNAL, ROUTE_LOCAL,
	ROUTE_WEB };

struct request {
	enum route	 route;
	char		*branch;	/* authenticated */
	char		*body;
	size_t		 len;
	size_t		 cap;
	size_t		 dropped;	/* body bytes read after the answer */
	bool		 big;		/* chunked or over SERVER_DISCARD */

	struct edge_conn	*ec;
	struct edge_limiter	*address;	/* held until completed */
	struct edge_limiter	*branch_lim;
	size_t			 charged;	/* body bytes charged to them */
	struct ingest_answer	 early;
	const char		*early_type;

	/* While queued for a worker (see server_worker). */
	struct MHD_Connection	*conn;
	char			*key;	/* Idempotency-Key or NULL */
	struct request		*next;
	bool			 queued;
	bool			 pushing;	/* counted in server.pushing */
	atomic_bool		 done;	/* answer is ready */
	struct ingest_answer	 answer;
	struct MHD_Response	*resp;	/* a page's, made by a worker */
	char			*url;	/* a page's, for its worker */
	char			*method;

	/* For its line in the log (see completed). */
	struct timespec		 start;
	unsigned		 status;	/* answered with; 0: none */
	char			 what[SERVER_LOG_WHAT];	/* "POST /v1/journal" */
};

/* Milliseconds since start. */
static long long
server_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000;
}

/*
 * The request whose handler runs on this thread, so reply() can note its
 * status: libmicrohttpd calls the handler of one connection at a time on
 * a thread, and every answer is queued from inside it.
 */
static _Thread_local struct request *server_current;

void
server_defaults(struct server_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->max_body = SERVER_MAX_BODY;
	cfg->max_inflight = SERVER_MAX_INFLIGHT;
	cfg->max_entries = INGEST_MAX_ENTRIES;
	cfg->threads = 4;
	cfg->timeout = SERVER_TIMEOUT;
	cfg->max_connections = SERVER_MAX_CONNECTIONS;
	cfg->max_per_address = SERVER_MAX_PER_ADDRESS;
	cfg->max_per_branch = SERVER_MAX_PER_BRANCH;
	cfg->rate_address = SERVER_RATE_ADDRESS;
	cfg->rate_branch = SERVER_RATE_BRANCH;
	cfg->progress = SERVER_PROGRESS;
	cfg->date_ahead_days = INGEST_DATE_AHEAD_DAYS;
	cfg->tls_priorities = SERVER_TLS_PRIORITIES;
}

static struct cstore *
pool_get(struct server *s)
{
	struct cstore *st;

	pthread_mutex_lock(&s->lock);
	while (s->nfree == 0)
		pthread_cond_wait(&s->freed, &s->lock);
	st = s->pool[--s->nfree];
	pthread_mutex_unlock(&s->lock);
	return st;
}

static void
pool_put(struct server *s, struct cstore *st)
{
	pthread_mutex_lock(&s->lock);
	s->pool[s->nfree++] = st;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

/* The edge's record of conn (made when libmicrohttpd opened it). */
static struct edge_conn *
conn_edge(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

/* Queue the answer (its body is taken) and say whether MHD took it. */
static enum MHD_Result
reply(struct MHD_Connection *conn, struct ingest_answer *a, const char *type)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len = strlen(a->body);

	resp = MHD_create_response_from_buffer(len, a->body,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(a->body);
		a->body = NULL;
		return MHD_NO;
	}
	a->body = NULL;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'none'; frame-ancestors 'none'");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (a->status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
		    "Bearer");
	if (a->status == 503 || a->status == 429)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	if (a->status == 405)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    "GET, POST");
	ret = MHD_queue_response(conn, a->status, resp);
	MHD_destroy_response(resp);
	if (server_current != NULL)
		server_current->status = a->status;
	return ret;
}

static enum MHD_Result
reply_json(struct MHD_Connection *conn, struct ingest_answer *a)
{
	if (a->status >= 400) {
		struct edge_conn *ec = conn_edge(conn);

		clog_msg(a->status >= 500 ? CLOG_WARNING : CLOG_INFO,
		    "%s: %u %.300s", ec != NULL ? edge_conn_host(ec) : "?",
		    a->status, a->body);
	}
	return reply(conn, a, "application/json");
}

static enum MHD_Result
reply_error(struct MHD_Connection *conn, unsigned status, const char *msg)
{
	struct ingest_answer a;

	ingest_error(status, msg, &a);
	return reply_json(conn, &a);
}

/*
 * The branch of the Bearer token in the request, or an answer to give.
 * Returns true and *branch (caller frees) when it is a valid token.
 */
static bool
authenticate(struct server *s, struct MHD_Connection *conn, char **branch,
    struct ingest_answer *a)
{
	const char *h, *tok;
	uint8_t digest[TOKEN_DIGEST];
	struct cstore *st;
	char *cause = NULL;
	bool revoked;
	int rc;

	*branch = NULL;
	h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (h == NULL) {
		ingest_error(401, "no Authorization: Bearer token", a);
		return false;
	}
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		ingest_error(401, "Authorization: not a Bearer token", a);
		return false;
	}
	for (tok = h + 7; *tok == ' '; tok++)
		;
	if (!token_well_formed(tok, strlen(tok))) {
		ingest_error(401, "unknown token", a);
		return false;
	}
	token_digest(tok, strlen(tok), digest);
	st = pool_get(s);
	rc = cstore_authenticate(st, digest, branch, &revoked, &cause);
	pool_put(s, st);
	if (rc == POS_DENIED)
		ingest_error(401, "unknown token", a);
	else if (rc != POS_OK)
		ingest_error(rc == CSTORE_BUSY ? 503 : 500,
		    cause != NULL ? cause : "the central store failed", a);
	else if (revoked) {
		char *msg = xasprintf("the token of branch %s was revoked",
		    *branch);

		ingest_error(401, msg, a);
		free(msg);
		free(*branch);
		*branch = NULL;
		rc = POS_DENIED;
	}
	free(cause);
	return rc == POS_OK;
}

/* Keep an answer for the end of the request (see the top of this file). */
static enum MHD_Result
answer_later(struct request *r, unsigned status, const char *msg)
{
	r->route = ROUTE_ANSWER;
	r->early_type = "application/json";
	ingest_error(status, msg, &r->early);
	return MHD_YES;
}

static enum MHD_Result
answer_later_free(struct request *r, unsigned status, char *msg)
{
	answer_later(r, status, msg);
	free(msg);
	return MHD_YES;
}

/*
 * Give the kept answer; JSON ones are logged when they are errors. The
 * answer and the next request's header have the progress time from now.
 */
static enum MHD_Result
answer_now(struct server *s, struct MHD_Connection *conn, struct request *r)
{
	if (r->ec != NULL)
		edge_clock(s->edge, r->ec, true);
	if (strcmp(r->early_type, "application/json") == 0)
		return reply_json(conn, &r->early);
	return reply(conn, &r->early, r->early_type);
}

struct framing {
	unsigned	 ncl, nte;
	const char	*cl, *te;
	bool		 cl_differ;
};

static enum MHD_Result
framing_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct framing *f = cls;

	(void)kind;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		if (f->ncl++ > 0 && strcmp(f->cl, value) != 0)
			f->cl_differ = true;
		f->cl = value;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		f->nte++;
		f->te = value;
	}
	return MHD_YES;
}

/*
 * The request's framing: NULL when it is sound, else the reason for a 400.
 * *length is the Content-Length (0 when there is none).
 */
static const char *
framing_check(struct MHD_Connection *conn, struct request *r,
    unsigned long long *length)
{
	struct framing f = { 0 };
	char *end;

	*length = 0;
	if (r->ec != NULL && edge_conn_take_nul(r->ec))
		return "the request target has %00 (a NUL byte)";
	MHD_get_connection_values(conn, MHD_HEADER_KIND, framing_header, &f);
	if (f.cl_differ)
		return "two different Content-Length headers";
	if (f.ncl > 0 && f.nte > 0)
		return "Content-Length together with Transfer-Encoding";
	if (f.nte > 1 || (f.nte == 1 && strcasecmp(f.te, "chunked") != 0))
		return "Transfer-Encoding: only chunked is accepted";
	if (f.ncl > 0) {
		if (f.cl[0] < '0' || f.cl[0] > '9')
			return "Content-Length: not a number";
		errno = 0;
		*length = strtoull(f.cl, &end, 10);
		if (errno != 0 || *end != '\0')
			return "Content-Length: not a number";
	}
	r->big = f.nte > 0 || *length > SERVER_DISCARD;
	return NULL;
}

/* GET /v1/status, once the address may ask. */
static enum MHD_Result
first_status(struct server *s, struct MHD_Connection *conn,
    struct request *r, const char *method)
{
	struct cstore *st;
	unsigned status;
	char *why;

	if (strcmp(method, "GET") != 0)
		return answer_later(r, 405, "use GET");
	if (!authenticate(s, conn, &r->branch, &r->early)) {
		r->route = ROUTE_ANSWER;
		r->early_type = "application/json";
		return MHD_YES;
	}
	if ((status = edge_enter_branch(s->edge, r->branch, &r->branch_lim,
	    &why)) != 0)
		return answer_later_free(r, status, why);
	st = pool_get(s);
	ingest_status(st, r->branch, &r->early);
	pool_put(s, st);
	r->route = ROUTE_ANSWER;
	r->early_type = "application/json";
	return MHD_YES;
}

static enum MHD_Result
journal_argument(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	jread_argument(cls, key, value);
	return MHD_YES;
}

/* GET /v1/journal (a page of one terminal's journal), as the status is. */
static enum MHD_Result
first_journal_get(struct server *s, struct MHD_Connection *conn,
    struct request *r)
{
	struct jread_query q;
	struct cstore *st;
	unsigned status;
	char *why;

	if (!authenticate(s, conn, &r->branch, &r->early)) {
		r->route = ROUTE_ANSWER;
		r->early_type = "application/json";
		return MHD_YES;
	}
	if ((status = edge_enter_branch(s->edge, r->branch, &r->branch_lim,
	    &why)) != 0)
		return answer_later_free(r, status, why);
	memset(&q, 0, sizeof q);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND,
	    journal_argument, &q);
	st = pool_get(s);
	jread_answer(st, r->branch, &q, &r->early);
	pool_put(s, st);
	r->route = ROUTE_ANSWER;
	r->early_type = "application/json";
	return MHD_YES;
}

static enum MHD_Result
master_argument(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	mread_argument(cls, key, value);
	return MHD_YES;
}

/* GET /v1/master (master data changed since a version), as the status is. */
static enum MHD_Result
first_master(struct server *s, struct MHD_Connection *conn,
    struct request *r, const char *method)
{
	struct mread_query q;
	struct cstore *st;
	unsigned status;
	char *why;

	if (strcmp(method, "GET") != 0)
		return answer_later(r, 405, "use GET");
	if (!authenticate(s, conn, &r->branch, &r->early)) {
		r->route = ROUTE_ANSWER;
		r->early_type = "application/json";
		return MHD_YES;
	}
	if ((status = edge_enter_branch(s->edge, r->branch, &r->branch_lim,
	    &why)) != 0)
		return answer_later_free(r, status, why);
	memset(&q, 0, sizeof q);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND,
	    master_argument, &q);
	if (s->have_link_key) {
		q.public_url = s->cfg.public_url;
		q.link_key = s->link_key;
	}
	st = pool_get(s);
	mread_answer(st, &q, &r->early);
	pool_put(s, st);
	r->route = ROUTE_ANSWER;
	r->early_type = "application/json";
	return MHD_YES;
}

/*
 * POST /v1/journal or /v1/master/local (route), once the address may ask
 * and the framing is sound.
 */
static enum MHD_Result
first_post(struct server *s, struct MHD_Connection *conn,
    struct request *r, const char *method, unsigned long long want,
    enum route route)
{
	unsigned status;
	char *why;

	if (strcmp(method, "POST") != 0)
		return answer_later(r, 405, "use POST");
	if (!authenticate(s, conn, &r->branch, &r->early)) {
		r->route = ROUTE_ANSWER;
		r->early_type = "application/json";
		return MHD_YES;
	}
	if (want > s->cfg.max_body) {
		why = xasprintf("body of %llu bytes is over the limit of %zu",
		    want, s->cfg.max_body);
		enum MHD_Result ret = reply_error(conn, 413, why);

		free(why);
		return ret;
	}
	if ((status = edge_enter_branch(s->edge, r->branch, &r->branch_lim,
	    &why)) != 0)
		return answer_later_free(r, status, why);
	/* A body that has no room now is refused before it is sent. */
	if (!edge_fits(s->edge, r->address, r->branch_lim, (size_t)want,
	    &why)) {
		enum MHD_Result ret = reply_error(conn, 503, why);

		free(why);
		return ret;
	}
	r->route = route;
	/*
	 * With a Content-Length the buffer is its size: pages the body does
	 * not reach are not touched. The bytes are charged as they come.
	 */
	r->cap = want > 0 ? (size_t)want : 64u << 10;
	r->body = xmalloc(r->cap);
	return MHD_YES;
}

static enum MHD_Result
handle_route(struct server *s, struct MHD_Connection *conn,
    struct request *r, const char *url, const char *method)
{
	unsigned long long want;
	const char *bad;
	unsigned status;
	char *why;

	if (r->ec != NULL)
		edge_clock(s->edge, r->ec, true);
	if ((bad = framing_check(conn, r, &want)) != NULL)
		return reply_error(conn, 400, bad);
	if (r->ec != NULL && (status = edge_enter_address(s->edge, r->ec,
	    &r->address, &why)) != 0)
		return answer_later_free(r, status, why);
	if (strcmp(url, "/healthz") == 0) {
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
			return answer_later(r, 405, "use GET");
		struct cstore *st;
		char *cause = NULL;
		int rc;

		/* A server whose store is down says so, not "ok". */
		st = pool_get(s);
		rc = cstore_ping(st, &cause);
		pool_put(s, st);
		free(cause);
		r->route = ROUTE_ANSWER;
		r->early.status = rc == POS_OK ? 200 : 503;
		r->early.body = xstrdup(rc == POS_OK ? "ok\n" :
		    "the central store is unreachable\n");
		r->early_type = "text/plain";
		return MHD_YES;
	}
	if (strcmp(url, "/v1/status") == 0)
		return first_status(s, conn, r, method);
	if (strcmp(url, "/v1/master/local") == 0)
		return first_post(s, conn, r, method, want, ROUTE_LOCAL);
	if (web_route(url)) {
		if (want > web_max_body(url))
			return reply_error(conn, 413, web_max_body(url) >
			    WEB_MAX_BODY ? "an import is at most 1 MiB" :
			    "a form is at most 8192 bytes");
		r->route = ROUTE_WEB;
		return MHD_YES;
	}
	if (strcmp(url, "/v1/master") == 0)
		return first_master(s, conn, r, method);
	if (strcmp(url, "/v1/journal") != 0)
		return answer_later(r, 404, "no such resource");
	if (strcmp(method, "GET") == 0)
		return first_journal_get(s, conn, r);
	return first_post(s, conn, r, method, want, ROUTE_JOURNAL);
}

/*
 * The request's headers are in. An answer known now waits for the end of
 * a short body (so the connection stays); a long or chunked body is not
 * read for it: the answer goes at once and the connection closes.
 */
static enum MHD_Result
handle_first(struct server *s, struct MHD_Connection *conn,
    struct request *r, const char *url, const char *method)
{
	enum MHD_Result ret = handle_route(s, conn, r, url, method);

	if (ret == MHD_YES && r->route == ROUTE_ANSWER && r->big)
		return answer_now(s, conn, r);
	return ret;
}

/*
 * Take a chunk of body, growing the buffer up to max_body: 0, or the
 * status (413, 503) of an answer to give at once, with *why.
 */
static unsigned
take_body(struct server *s, struct request *r, const char *data, size_t n,
    char **why)
{
	size_t want;

	if (n > s->cfg.max_body - r->len) {
		*why = xasprintf("body is over the limit of %zu bytes",
		    s->cfg.max_body);
		return 413;
	}
	if (!edge_charge(s->edge, r->address, r->branch_lim, n, why))
		return 503;
	r->charged += n;
	if (r->len + n > r->cap) {
		want = r->cap * 2 > r->len + n ? r->cap * 2 : r->len + n;
		if (want > s->cfg.max_body)
			want = s->cfg.max_body;
		r->body = xrealloc(r->body, want);
		r->cap = want;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	if (r->ec != NULL)
		edge_progress(s->edge, r->ec, r->len);
	return 0;
}

/*
 * Pages yield to batches: while windows are pushing (a batch being read,
 * queued or stored, or one ended in the last SERVER_PUSH_RECENT_MS: its
 * window is sending the next, which a busy server may not have read yet),
 * a page waits up to SERVER_PAGE_YIELD_MS before it is made. Its requester waits for the answer before asking again, so a
 * crowd of producers then gets a page worker's page at most that often,
 * and the windows' batches keep the MHD threads and the CPU.
 */
#define SERVER_PAGE_YIELD_MS	50
#define SERVER_PUSH_RECENT_MS	1000

static long long
server_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void
server_yield(struct server *s)
{
	const struct timespec tick = { 0, 1000000 };

	for (int ms = 0; ms < SERVER_PAGE_YIELD_MS; ms++) {
		if (atomic_load(&s->pushing) == 0 && server_now_ms() -
		    atomic_load(&s->pushed_ms) > SERVER_PUSH_RECENT_MS)
			return;
		nanosleep(&tick, NULL);
	}
}

/*
 * A worker: takes the oldest queued batch, ingests it, and resumes its
 * connection, whose MHD thread then sends the answer. When the server
 * stops, the queue is drained before the worker ends.
 */
static void *
server_worker(void *arg)
{
	struct squeue *q = arg;
	struct server *s = q->s;
	struct request *r;
	struct cstore *st;
	struct timespec t0;

	/* Linux keeps a nice value per thread: this one's alone. */
	if (q->nice != 0)
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
		    q->nice);
	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (q->head == NULL && !q->stopping)
			pthread_cond_wait(&q->ready, &q->lock);
		if ((r = q->head) == NULL) {
			pthread_mutex_unlock(&q->lock);
			return NULL;
		}
		if ((q->head = r->next) == NULL)
			q->tail = &q->head;
		pthread_mutex_unlock(&q->lock);

		if (r->route == ROUTE_WEB)
			server_yield(s);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		st = pool_get(s);
		if (r->route == ROUTE_WEB) {
			r->resp = web_handle(s->web, st, r->conn, r->method,
			    r->url, r->ec != NULL ? edge_conn_host(r->ec) :
			    NULL, r->body, r->len, &r->status);
			pool_put(s, st);
			atomic_store(&r->done, true);
			MHD_resume_connection(r->conn);
			continue;
		}
		if (r->route == ROUTE_LOCAL) {
			clocal_post(st, r->branch, r->body, r->len, &r->answer);
			pool_put(s, st);
			clog_msg(r->answer.status >= 500 ? CLOG_WARNING :
			    CLOG_INFO, "master/local branch=%s result=%u "
			    "ms=%lld", r->branch, r->answer.status,
			    server_ms(&t0));
			atomic_store(&r->done, true);
			MHD_resume_connection(r->conn);
			continue;
		}
		ingest_journal(st, r->branch, r->key, r->body, r->len,
		    &s->limits, &r->answer);
		pool_put(s, st);
		clog_msg(r->answer.status >= 500 ? CLOG_WARNING : CLOG_INFO,
		    "batch branch=%s terminal=%lld entries=%zu result=%u%s "
		    "ms=%lld", r->branch, (long long)r->answer.terminal,
		    r->answer.entries, r->answer.status,
		    r->answer.status == 200 ? " ok" : "", server_ms(&t0));
		atomic_store(&r->done, true);
		MHD_resume_connection(r->conn);
	}
}

/*
 * Suspend the connection and queue its batch; false (nothing queued) when
 * the server is stopping.
 */
static bool
enqueue(struct squeue *q, struct MHD_Connection *conn, struct request *r)
{
	const char *key = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "Idempotency-Key");

	pthread_mutex_lock(&q->lock);
	if (q->stopping) {
		pthread_mutex_unlock(&q->lock);
		return false;
	}
	r->key = key != NULL ? xstrdup(key) : NULL;
	r->conn = conn;
	r->queued = true;
	/* Before a worker can see it: it resumes what is suspended. */
	MHD_suspend_connection(conn);
	r->next = NULL;
	*q->tail = r;
	q->tail = &r->next;
	pthread_cond_signal(&q->ready);
	pthread_mutex_unlock(&q->lock);
	return true;
}

/* "METHOD path" of a request for the log, without control characters. */
static void
server_what(struct request *r, const char *method, const char *url)
{
	snprintf(r->what, sizeof r->what, "%.16s %s", method, url);
	for (char *p = r->what; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/*
 * A request for the office's or a producer's pages (web.c): its short body
 * is kept, then the page is made by a page worker (the connection
 * suspended meanwhile) and sent when it resumes.
 */
static enum MHD_Result
web_request(struct server *s, struct MHD_Connection *conn, struct request *r,
    const char *url, const char *method, const char *upload,
    size_t *upload_size)
{
	enum MHD_Result ret;

	if (*upload_size > 0) {
		if (*upload_size > web_max_body(url) - r->len) {
			free(r->body);
			r->body = NULL;
			r->len = 0;
			return answer_later(r, 413, web_max_body(url) >
			    WEB_MAX_BODY ? "an import is at most 1 MiB" :
			    "a form is at most 8192 bytes");
		}
		if (r->body == NULL)
			r->body = xmalloc(web_max_body(url));
		memcpy(r->body + r->len, upload, *upload_size);
		r->len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->queued) {
		/* Resumed by the worker: the page is there. */
		if (!atomic_load(&r->done))
			return MHD_YES;
		if (r->ec != NULL)
			edge_clock(s->edge, r->ec, true);
		if (r->resp == NULL)
			return MHD_NO;
		ret = MHD_queue_response(conn, r->status, r->resp);
		MHD_destroy_response(r->resp);
		r->resp = NULL;
		return ret;
	}
	if (r->ec != NULL)
		edge_clock(s->edge, r->ec, false);
	/* The worker reads the URL and method after this call returns. */
	r->url = xstrdup(url);
	r->method = xstrdup(method);
	if (!enqueue(&s->pages, conn, r))
		return reply_error(conn, 503, "the server is stopping: try "
		    "again");
	return MHD_YES;
}

static enum MHD_Result
handle_request(struct server *s, struct MHD_Connection *conn,
    struct request *r, const char *upload, size_t *upload_size)
{
	unsigned status;
	char *why;

	if (r->route == ROUTE_ANSWER) {
		/* A short body is read and dropped so the connection stays. */
		r->dropped += *upload_size;
		if (r->dropped > SERVER_DISCARD) {
			clog_msg(CLOG_INFO, "%s: %u %.300s (body not read: "
			    "connection closed)", r->ec != NULL ?
			    edge_conn_host(r->ec) : "?", r->early.status,
			    r->early.body);
			return MHD_NO;
		}
		if (*upload_size > 0) {
			*upload_size = 0;
			return MHD_YES;
		}
		return answer_now(s, conn, r);
	}
	if (r->route != ROUTE_JOURNAL && r->route != ROUTE_LOCAL)
		return MHD_NO;
	if (*upload_size > 0) {
		status = take_body(s, r, upload, *upload_size, &why);
		*upload_size = 0;
		if (status == 0)
			return MHD_YES;
		/*
		 * Refused mid-body: libmicrohttpd answers only at the body's
		 * end, so up to SERVER_DISCARD more is read and dropped.
		 */
		free(r->body);
		r->body = NULL;
		r->dropped = 0;
		return answer_later_free(r, status, why);
	}
	if (r->queued) {
		/* Resumed by the worker: the answer is there. */
		if (!atomic_load(&r->done))
			return MHD_YES;
		if (r->ec != NULL)
			edge_clock(s->edge, r->ec, true);
		return reply_json(conn, &r->answer);
	}
	if (r->ec != NULL)
		edge_clock(s->edge, r->ec, false);
	if (!enqueue(&s->batches, conn, r))
		return reply_error(conn, 503, "the server is stopping: try "
		    "again");
	return MHD_YES;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct request *r = *con_cls;
	enum MHD_Result ret;

	(void)version;
	if (r == NULL) {
		r = xcalloc(1, sizeof *r);
		*con_cls = r;
		r->ec = conn_edge(conn);
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		server_what(r, method, url);
		server_current = r;
		ret = handle_first(s, conn, r, url, method);
		if (r->route == ROUTE_JOURNAL || r->route == ROUTE_LOCAL) {
			r->pushing = true;
			atomic_fetch_add(&s->pushing, 1);
		}
	} else {
		server_current = r;
		if (r->route == ROUTE_WEB)
			ret = web_request(s, conn, r, url, method, upload,
			    upload_size);
		else
			ret = handle_request(s, conn, r, upload, upload_size);
	}
	server_current = NULL;
	return ret;
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct request *r = *con_cls;

	(void)conn;
	if (r == NULL)
		return;
	if (clog_enabled(CLOG_INFO))
		clog_msg(CLOG_INFO, "%s %s %u%s ms=%lld%s%s",
		    r->ec != NULL ? edge_conn_host(r->ec) : "?", r->what,
		    r->status, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" :
		    " (not completed)", server_ms(&r->start),
		    r->branch != NULL ? " branch=" : "",
		    r->branch != NULL ? r->branch : "");
	edge_leave(s->edge, r->address, r->branch_lim, r->charged);
	if (r->pushing) {
		atomic_store(&s->pushed_ms, server_now_ms());
		atomic_fetch_sub(&s->pushing, 1);
	}
	free(r->body);
	free(r->branch);
	free(r->key);
	free(r->answer.body);
	free(r->early.body);
	free(r->url);
	free(r->method);
	if (r->resp != NULL)
		MHD_destroy_response(r->resp);
	free(r);
	*con_cls = NULL;
}

/* libmicrohttpd opened or is closing a connection (before its socket). */
static void
notify_connection(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	struct server *s = cls;
	const union MHD_ConnectionInfo *fd, *addr;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		fd = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		addr = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		*socket_context = edge_conn_open(s->edge, fd != NULL ?
		    fd->connect_fd : -1, addr != NULL ? addr->client_addr :
		    NULL);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		edge_conn_close(s->edge, *socket_context);
		*socket_context = NULL;
	}
}

/*
 * URLs and arguments are unescaped by libmicrohttpd's own function; a %00
 * is noted so the request is refused rather than cut at the NUL.
 */
static size_t
unescape(void *cls, struct MHD_Connection *conn, char *uri)
{
	struct edge_conn *ec;

	(void)cls;
	if (strstr(uri, "%00") != NULL && (ec = conn_edge(conn)) != NULL)
		edge_conn_mark_nul(ec);
	return MHD_http_unescape(uri);
}

static void mhd_log(void *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("pos-central: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static int
read_pem(const char *path, char **out, char **cause)
{
	FILE *f;
	char *buf;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return 2;
	}
	buf = xmalloc(SERVER_MAX_PEM + 1);
	n = fread(buf, 1, SERVER_MAX_PEM + 1, f);
	fclose(f);
	if (n == 0 || n > SERVER_MAX_PEM) {
		free(buf);
		*cause = xasprintf("%s: %s", path, n == 0 ? "empty" :
		    "larger than 1 MiB");
		return 2;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

/* Bind and listen on ADDR:PORT; fills s->fd and s->address. */
static int
server_bind(struct server *s, const char *listen_at, char **cause)
{
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char *host, *port;
	char ip[INET6_ADDRSTRLEN];
	int one = 1, rc = 2, err, fd = -1;

	host = xstrdup(listen_at);
	if ((port = strrchr(host, ':')) == NULL || port == host ||
	    port[1] == '\0') {
		*cause = xasprintf("--listen %s: must be ADDR:PORT", listen_at);
		goto out;
	}
	*port++ = '\0';
	if (host[0] == '[') {
		size_t n = strlen(host);

		if (n < 3 || host[n - 1] != ']') {
			*cause = xasprintf("--listen %s: must be [ADDR]:PORT",
			    listen_at);
			goto out;
		}
		host[n - 1] = '\0';
		memmove(host, host + 1, n - 1);
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((err = getaddrinfo(host, port, &hints, &ai)) != 0) {
		*cause = xasprintf("--listen %s: %s", listen_at,
		    gai_strerror(err));
		goto out;
	}
	rc = 1;
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, ai->ai_protocol);
	if (fd == -1) {
		*cause = xasprintf("socket: %s", strerror(errno));
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	/*
	 * The kernel's largest queue of connections not yet accepted (its
	 * net.core.somaxconn): at close of day windows and producers' phones
	 * come at once, and a connection that finds the queue full has its
	 * SYN dropped and tried again only a second later (then 3 s, 7 s).
	 */
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, SOMAXCONN) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		*cause = xasprintf("--listen %s: %s", listen_at,
		    strerror(errno));
		goto out;
	}
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &a6->sin6_addr, ip, sizeof ip);
		snprintf(s->address, sizeof s->address, "[%s]:%u", ip,
		    ntohs(a6->sin6_port));
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &a4->sin_addr, ip, sizeof ip);
		snprintf(s->address, sizeof s->address, "%s:%u", ip,
		    ntohs(a4->sin_port));
	}
	s->fd = fd;
	fd = -1;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (ai != NULL)
		freeaddrinfo(ai);
	free(host);
	return rc;
}

/* The configuration's rules: 0, or 2 with *cause. */
static int
server_check_config(const struct server_config *cfg, char **cause)
{
	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
		*cause = xstrdup("--tls-cert and --tls-key go together");
		return 2;
	}
	if (cfg->threads < 1 || cfg->threads > 64 || cfg->max_body < 1024 ||
	    cfg->max_entries < 1 || cfg->timeout < 1 ||
	    cfg->max_connections < 1 || cfg->max_per_address < 1 ||
	    cfg->max_per_branch < 1 || cfg->progress < 1 ||
	    cfg->tls_priorities == NULL) {
		*cause = xstrdup("a server limit is out of range");
		return 2;
	}
	return 0;
}

/* A server for cfg with nothing opened or started yet. */
static void
squeue_init(struct squeue *q, struct server *s, int nice)
{
	q->s = s;
	q->nice = nice;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->ready, NULL);
	q->tail = &q->head;
}

static int
squeue_start(struct squeue *q, size_t n, char **cause)
{
	q->threads = xcalloc(n, sizeof *q->threads);
	for (; q->n < n; q->n++)
		if (pthread_create(&q->threads[q->n], NULL, server_worker,
		    q) != 0) {
			*cause = xstrdup("cannot start the worker threads");
			return 1;
		}
	return 0;
}

/* Workers finish what is queued and resume it, then end. */
static void
squeue_stop(struct squeue *q)
{
	pthread_mutex_lock(&q->lock);
	q->stopping = true;
	pthread_cond_broadcast(&q->ready);
	pthread_mutex_unlock(&q->lock);
	for (size_t i = 0; i < q->n; i++)
		pthread_join(q->threads[i], NULL);
	free(q->threads);
	q->threads = NULL;
	q->n = 0;
}

static void
squeue_free(struct squeue *q)
{
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->ready);
}

static struct server *
server_new(const struct server_config *cfg)
{
	struct server *s;

	s = xcalloc(1, sizeof *s);
	s->cfg = *cfg;
	if (s->cfg.max_inflight < s->cfg.max_body)
		s->cfg.max_inflight = s->cfg.max_body;
	s->limits.max_entries = cfg->max_entries;
	s->limits.keep_days = INGEST_KEEP_DAYS;
	s->limits.date_ahead_days = (int)cfg->date_ahead_days;
	s->fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	squeue_init(&s->batches, s, 0);
	/* Nice 10: about a tenth of a core's time when batches want it. */
	squeue_init(&s->pages, s, 10);
	return s;
}

/* With TLS configured: read the certificate and key, add the flag. */
static int
server_tls(struct server *s, unsigned *flags, char **cause)
{
	int rc;

	if (s->cfg.tls_cert == NULL)
		return 0;
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		*cause = xstrdup("this libmicrohttpd has no TLS support");
		return 1;
	}
	if ((rc = read_pem(s->cfg.tls_cert, &s->pem_cert, cause)) != 0 ||
	    (rc = read_pem(s->cfg.tls_key, &s->pem_key, cause)) != 0)
		return rc;
	*flags |= MHD_USE_TLS;
	return 0;
}

/*
 * Store connections, opened up front: by default one per worker and one
 * per MHD thread (authentication and status read the store there);
 * --db-pool bounds them (a PostgreSQL server has a connection limit
 * shared by every pos-central). Each is held for one store call at a
 * time, so any size from 1 works; threads wait for a free one.
 */
static int
server_open_pool(struct server *s, char **cause)
{
	size_t want = s->cfg.db_pool > 0 ? s->cfg.db_pool : 2 * s->cfg.threads;
	int rc;

	s->pool = xcalloc(want, sizeof *s->pool);
	for (s->npool = 0; s->npool < want; s->npool++) {
		rc = cstore_open(s->cfg.db_path, false, &s->pool[s->npool],
		    cause);
		if (rc != POS_OK)
			return rc;
	}
	s->nfree = s->npool;
	return 0;
}

/*
 * A worker per MHD thread for batches; half as many for pages (at least
 * one), so that pages being made never hold more than that of the store's
 * connections and memory.
 */
static int
server_start_workers(struct server *s, char **cause)
{
	if (squeue_start(&s->batches, s->cfg.threads, cause) != 0)
		return 1;
	return squeue_start(&s->pages, s->cfg.threads / 2 > 0 ?
	    s->cfg.threads / 2 : 1, cause);
}

/*
 * The edge: one address may hold half of the bodies (the terminals of
 * many branches may share one), one branch a quarter; each at least one
 * whole body.
 */
static int
server_start_edge(struct server *s, char **cause)
{
	struct edge_config ec;

	memset(&ec, 0, sizeof ec);
	ec.progress = s->cfg.progress;
	ec.max_inflight = s->cfg.max_inflight;
	ec.share_address = s->cfg.max_inflight / 2;
	ec.share_branch = s->cfg.max_inflight / 4;
	if (ec.share_address < s->cfg.max_body)
		ec.share_address = s->cfg.max_body;
	if (ec.share_branch < s->cfg.max_body)
		ec.share_branch = s->cfg.max_body;
	ec.rate_address = s->cfg.rate_address;
	ec.rate_branch = s->cfg.rate_branch;
	ec.max_per_branch = s->cfg.max_per_branch;
	if ((s->edge = edge_new(&ec)) == NULL) {
		*cause = xstrdup("cannot start the connection watch thread");
		return 1;
	}
	return 0;
}

/* The office's pages: their settings and the font they serve. */
static int
server_start_web(struct server *s)
{
	struct web_config wc;

	memset(&wc, 0, sizeof wc);
	wc.digits = s->cfg.digits;
	wc.decimals = s->cfg.decimals;
	wc.font = s->cfg.font;
	wc.tls = s->cfg.tls_cert != NULL;
	wc.public_url = s->cfg.public_url;
	wc.link_key = s->have_link_key ? s->link_key : NULL;
	s->web = web_new(&wc);
	return 0;
}

/*
 * The producers' link key, when the server has a public address: without
 * it the master data carries no links (a warning says why).
 */
static void
server_start_links(struct server *s)
{
	char *cause = NULL;

	if (s->cfg.public_url == NULL || *s->cfg.public_url == '\0')
		return;
	if (plink_key_load(s->cfg.link_key, true, s->link_key, &cause) ==
	    POS_OK)
		s->have_link_key = true;
	else
		clog_msg(CLOG_WARNING, "producers' links not sent to the "
		    "windows: %s", cause);
	free(cause);
}

/* Start MHD on the bound socket, which it then owns. */
static int
server_start_mhd(struct server *s, unsigned flags, char **cause)
{
	const struct server_config *cfg = &s->cfg;
	struct MHD_OptionItem tls[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, s->pem_cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, s->pem_key },
		{ MHD_OPTION_HTTPS_PRIORITIES, 0,
		    (void *)(uintptr_t)cfg->tls_priorities },
		{ MHD_OPTION_END, 0, NULL },
	};

	s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, handle, s,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_LISTEN_SOCKET, s->fd,
	    MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVER_CONN_MEMORY,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
	    MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_per_address,
	    MHD_OPTION_STRICT_FOR_CLIENT, 1,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, s,
	    MHD_OPTION_NOTIFY_CONNECTION, notify_connection, s,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    /* Without TLS the array is not read. */
	    MHD_OPTION_ARRAY, cfg->tls_cert != NULL ? tls : tls + 3,
	    MHD_OPTION_END);
	if (s->mhd == NULL) {
		*cause = xstrdup(cfg->tls_cert != NULL ? "cannot start the "
		    "HTTPS server (is the certificate and key a PEM pair, and "
		    "--tls-priorities a GnuTLS priority string?)" :
		    "cannot start the HTTP server");
		return 1;
	}
	s->fd = -1;	/* MHD owns it now and closes it when it stops */
	return 0;
}

int
server_start(const struct server_config *cfg, struct server **out,
    char **cause)
{
	struct server *s;
	unsigned flags;
	int rc;

	*out = NULL;
	*cause = NULL;
	if ((rc = server_check_config(cfg, cause)) != 0)
		return rc;
	s = server_new(cfg);
	flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
	    MHD_ALLOW_SUSPEND_RESUME;
	if ((rc = server_tls(s, &flags, cause)) != 0 ||
	    (rc = server_open_pool(s, cause)) != 0 ||
	    (rc = server_bind(s, cfg->listen, cause)) != 0 ||
	    (rc = server_start_workers(s, cause)) != 0 ||
	    (rc = server_start_edge(s, cause)) != 0 ||
	    (server_start_links(s), 0) != 0 ||
	    (rc = server_start_web(s)) != 0 ||
	    (rc = server_start_mhd(s, flags, cause)) != 0)
		goto fail;
	*out = s;
	return 0;
fail:
	server_stop(s);
	return rc == 0 ? 1 : rc;
}

const char *
server_address(const struct server *s)
{
	return s->address;
}

void
server_stop(struct server *s)
{
	if (s == NULL)
		return;
	/* Workers finish what is queued and resume it; then MHD stops. */
	squeue_stop(&s->batches);
	squeue_stop(&s->pages);
	if (s->mhd != NULL)
		MHD_stop_daemon(s->mhd);
	edge_free(s->edge);
	web_free(s->web);
	if (s->fd != -1)
		close(s->fd);
	for (size_t i = 0; i < s->npool; i++)
		cstore_close(s->pool[i]);
	free(s->pool);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->freed);
	squeue_free(&s->batches);
	squeue_free(&s->pages);
	free(s->pem_cert);
	free(s->pem_key);
	free(s);
}
