/*
 * pos-central's edge: limits per client address and per branch, and the
 * progress clock of every connection (see edge.h).
 *
 * Limiters (one per address, one per branch) live in a tsearch tree keyed
 * by kind and bytes, and in a list for the sweep. A limiter is kept while
 * a connection or request holds it, while it has bytes charged, or until
 * its bucket is full again; the sweep drops the others once there are
 * more than EDGE_KEEP. Connections are in a list the closing thread walks
 * every EDGE_TICK_MS: one past its deadline has its socket shut (both
 * ways), which libmicrohttpd sees as the client leaving. libmicrohttpd
 * tells us a connection closed before it closes the socket, and the list
 * is changed and walked under one lock, so a shut socket is never one a
 * later connection got.
 */
#include "edge.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <search.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clog.h"
#include "xalloc.h"

#define EDGE_TICK_MS	100
#define EDGE_KEEP	1024
#define EDGE_KEY	48

enum { KIND_ADDRESS = 'a', KIND_BRANCH = 'b' };

struct edge_limiter {
	struct edge_limiter	*prev, *next;
	unsigned char		 key[EDGE_KEY];
	size_t			 keylen;
	char			 name[64];	/* address or branch, for messages */
	double			 tokens;
	uint64_t		 refill_ns;
	size_t			 inflight;
	unsigned		 active;	/* requests in progress */
	unsigned		 refs;		/* connections and requests */
};

struct edge_conn {
	struct edge_conn	*prev, *next;
	int			 fd;
	uint64_t		 deadline_ns;	/* 0: none */
	size_t			 mark;		/* body bytes at the last step */
	struct edge_limiter	*address;
	bool			 nul;
	char			 host[INET6_ADDRSTRLEN];
};

struct edge {
	struct edge_config	 cfg;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	bool			 stopping;
	pthread_t		 reaper;
	size_t			 inflight;
	void			*tree;		/* tsearch root of limiters */
	struct edge_limiter	*lims;
	size_t			 nlims;
	struct edge_conn	*conns;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
lim_cmp(const void *a, const void *b)
{
	const struct edge_limiter *x = a, *y = b;

	if (x->keylen != y->keylen)
		return x->keylen < y->keylen ? -1 : 1;
	return memcmp(x->key, y->key, x->keylen);
}

/* The limiter for (kind, bytes), made when there is none; lock held. */
static struct edge_limiter *
lim_get(struct edge *e, int kind, const void *bytes, size_t n,
    const char *name, unsigned rate)
{
	struct edge_limiter probe, *l, **found;

	if (n > EDGE_KEY - 1)
		n = EDGE_KEY - 1;
	probe.key[0] = (unsigned char)kind;
	memcpy(probe.key + 1, bytes, n);
	probe.keylen = n + 1;
	found = tfind(&probe, &e->tree, lim_cmp);
	if (found != NULL)
		return *found;
	l = xcalloc(1, sizeof *l);
	memcpy(l->key, probe.key, probe.keylen);
	l->keylen = probe.keylen;
	snprintf(l->name, sizeof l->name, "%s", name);
	l->tokens = 2.0 * rate;
	l->refill_ns = now_ns();
	if (tsearch(l, &e->tree, lim_cmp) == NULL)
		abort();	/* out of memory, as xalloc does */
	l->next = e->lims;
	if (e->lims != NULL)
		e->lims->prev = l;
	e->lims = l;
	e->nlims++;
	return l;
}

/* Refill l's bucket for rate and take one token; lock held. */
static bool
lim_take(struct edge_limiter *l, unsigned rate, uint64_t now)
{
	double burst = 2.0 * rate;

	if (rate == 0)
		return true;
	l->tokens += (double)(now - l->refill_ns) / 1e9 * rate;
	if (l->tokens > burst)
		l->tokens = burst;
	l->refill_ns = now;
	if (l->tokens < 1.0)
		return false;
	l->tokens -= 1.0;
	return true;
}

/* Drop limiters nobody holds whose bucket is full again; lock held. */
static void
lim_sweep(struct edge *e, uint64_t now)
{
	struct edge_limiter *l, *next;
	unsigned rate;
	double full;

	if (e->nlims <= EDGE_KEEP)
		return;
	for (l = e->lims; l != NULL; l = next) {
		next = l->next;
		rate = l->key[0] == KIND_ADDRESS ? e->cfg.rate_address :
		    e->cfg.rate_branch;
		full = l->tokens + (double)(now - l->refill_ns) / 1e9 * rate;
		if (l->refs > 0 || l->inflight > 0 || full < 2.0 * rate)
			continue;
		tdelete(l, &e->tree, lim_cmp);
		if (l->prev != NULL)
			l->prev->next = l->next;
		else
			e->lims = l->next;
		if (l->next != NULL)
			l->next->prev = l->prev;
		e->nlims--;
		free(l);
	}
}

/* Shut the sockets of connections past their deadline; lock held. */
static void
edge_reap(struct edge *e, uint64_t now)
{
	struct edge_conn *c;

	for (c = e->conns; c != NULL; c = c->next) {
		if (c->deadline_ns == 0 || c->deadline_ns > now ||
		    c->fd < 0)
			continue;
		c->deadline_ns = 0;
		shutdown(c->fd, SHUT_RDWR);
		clog_msg(CLOG_WARNING, "%s: no progress in %u s: connection "
		    "closed", c->host, e->cfg.progress);
	}
}

static void *
edge_reaper(void *arg)
{
	struct edge *e = arg;
	struct timespec ts;

	pthread_mutex_lock(&e->lock);
	while (!e->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += EDGE_TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&e->wake, &e->lock, &ts);
		edge_reap(e, now_ns());
		lim_sweep(e, now_ns());
	}
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

struct edge *
edge_new(const struct edge_config *cfg)
{
	struct edge *e = xcalloc(1, sizeof *e);
	pthread_condattr_t ca;

	e->cfg = *cfg;
	pthread_mutex_init(&e->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&e->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&e->reaper, NULL, edge_reaper, e) != 0) {
		pthread_cond_destroy(&e->wake);
		pthread_mutex_destroy(&e->lock);
		free(e);
		return NULL;
	}
	return e;
}

void
edge_free(struct edge *e)
{
	struct edge_limiter *l;

	if (e == NULL)
		return;
	pthread_mutex_lock(&e->lock);
	e->stopping = true;
	pthread_cond_signal(&e->wake);
	pthread_mutex_unlock(&e->lock);
	pthread_join(e->reaper, NULL);
	while ((l = e->lims) != NULL) {
		e->lims = l->next;
		tdelete(l, &e->tree, lim_cmp);
		free(l);
	}
	pthread_cond_destroy(&e->wake);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

struct edge_conn *
edge_conn_open(struct edge *e, int fd, const struct sockaddr *sa)
{
	struct edge_conn *c = xcalloc(1, sizeof *c);
	const void *bytes = "";
	size_t n = 0;

	c->fd = fd;
	snprintf(c->host, sizeof c->host, "?");
	if (sa != NULL && sa->sa_family == AF_INET) {
		const struct sockaddr_in *a4 = (const void *)sa;

		bytes = &a4->sin_addr;
		n = sizeof a4->sin_addr;
		inet_ntop(AF_INET, bytes, c->host, sizeof c->host);
	} else if (sa != NULL && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a6 = (const void *)sa;

		/*
		 * One IPv6 client has a /64 of addresses: the limits are
		 * per /64 (an IPv4-mapped address is its IPv4 one).
		 */
		bytes = &a6->sin6_addr;
		n = 8;
		if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
			bytes = a6->sin6_addr.s6_addr + 12;
			n = 4;
		}
		inet_ntop(AF_INET6, &a6->sin6_addr, c->host, sizeof c->host);
	}
	pthread_mutex_lock(&e->lock);
	c->address = lim_get(e, KIND_ADDRESS, bytes, n, c->host,
	    e->cfg.rate_address);
	c->address->refs++;
	c->deadline_ns = now_ns() + (uint64_t)e->cfg.progress * 1000000000u;
	c->next = e->conns;
	if (e->conns != NULL)
		e->conns->prev = c;
	e->conns = c;
	pthread_mutex_unlock(&e->lock);
	return c;
}

void
edge_conn_close(struct edge *e, struct edge_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&e->lock);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		e->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->address->refs--;
	pthread_mutex_unlock(&e->lock);
	free(c);
}

const char *
edge_conn_host(const struct edge_conn *c)
{
	return c->host;
}

void
edge_conn_mark_nul(struct edge_conn *c)
{
	c->nul = true;
}

bool
edge_conn_take_nul(struct edge_conn *c)
{
	bool was = c->nul;

	c->nul = false;
	return was;
}

void
edge_clock(struct edge *e, struct edge_conn *c, bool on)
{
	pthread_mutex_lock(&e->lock);
	c->mark = 0;
	c->deadline_ns = on ? now_ns() + (uint64_t)e->cfg.progress *
	    1000000000u : 0;
	pthread_mutex_unlock(&e->lock);
}

void
edge_progress(struct edge *e, struct edge_conn *c, size_t received)
{
	if (received - c->mark < EDGE_PROGRESS_BYTES)
		return;
	pthread_mutex_lock(&e->lock);
	c->mark = received;
	if (c->deadline_ns != 0)
		c->deadline_ns = now_ns() + (uint64_t)e->cfg.progress *
		    1000000000u;
	pthread_mutex_unlock(&e->lock);
}

unsigned
edge_enter_address(struct edge *e, struct edge_conn *c,
    struct edge_limiter **lim, char **why)
{
	struct edge_limiter *l = c->address;
	bool ok;

	pthread_mutex_lock(&e->lock);
	if ((ok = lim_take(l, e->cfg.rate_address, now_ns())))
		l->refs++;
	pthread_mutex_unlock(&e->lock);
	*lim = ok ? l : NULL;
	if (ok)
		return 0;
	*why = xasprintf("too many requests from %s: at most %u a second",
	    c->host, e->cfg.rate_address);
	return 429;
}

unsigned
edge_enter_branch(struct edge *e, const char *branch,
    struct edge_limiter **lim, char **why)
{
	struct edge_limiter *l;
	bool rate_ok = false, room = false;

	*lim = NULL;
	pthread_mutex_lock(&e->lock);
	l = lim_get(e, KIND_BRANCH, branch, strlen(branch), branch,
	    e->cfg.rate_branch);
	if ((room = l->active < e->cfg.max_per_branch) &&
	    (rate_ok = lim_take(l, e->cfg.rate_branch, now_ns()))) {
		l->refs++;
		l->active++;
		*lim = l;
	}
	pthread_mutex_unlock(&e->lock);
	if (!room) {
		*why = xasprintf("branch %s has %u requests in progress: try "
		    "again", branch, e->cfg.max_per_branch);
		return 503;
	}
	if (!rate_ok) {
		*why = xasprintf("too many requests for branch %s: at most %u "
		    "a second", branch, e->cfg.rate_branch);
		return 429;
	}
	return 0;
}

void
edge_leave(struct edge *e, struct edge_limiter *address,
    struct edge_limiter *branch, size_t bytes)
{
	pthread_mutex_lock(&e->lock);
	e->inflight -= bytes;
	if (address != NULL) {
		address->inflight -= bytes;
		address->refs--;
	}
	if (branch != NULL) {
		branch->inflight -= bytes;
		branch->refs--;
		branch->active--;
	}
	pthread_mutex_unlock(&e->lock);
}

/* Who has no room for n more bytes: NULL, "" (the server) or a name. */
static const char *
edge_over(struct edge *e, struct edge_limiter *address,
    struct edge_limiter *branch, size_t n)
{
	if (e->inflight + n > e->cfg.max_inflight)
		return "";
	if (address != NULL && address->inflight + n > e->cfg.share_address)
		return address->name;
	if (branch != NULL && branch->inflight + n > e->cfg.share_branch)
		return branch->name;
	return NULL;
}

static bool
edge_say_over(const char *who, char **why)
{
	if (who == NULL)
		return true;
	if (*who == '\0')
		*why = xstrdup("the server holds as many bodies as it takes at "
		    "once: try again");
	else
		*why = xasprintf("%s holds as many bodies as it may at once: "
		    "try again", who);
	return false;
}

bool
edge_fits(struct edge *e, struct edge_limiter *address,
    struct edge_limiter *branch, size_t n, char **why)
{
	const char *who;

	pthread_mutex_lock(&e->lock);
	who = edge_over(e, address, branch, n);
	pthread_mutex_unlock(&e->lock);
	return edge_say_over(who, why);
}

bool
edge_charge(struct edge *e, struct edge_limiter *address,
    struct edge_limiter *branch, size_t n, char **why)
{
	const char *who;

	pthread_mutex_lock(&e->lock);
	if ((who = edge_over(e, address, branch, n)) == NULL) {
		e->inflight += n;
		if (address != NULL)
			address->inflight += n;
		if (branch != NULL)
			branch->inflight += n;
	}
	pthread_mutex_unlock(&e->lock);
	return edge_say_over(who, why);
}
