/*
 * The edge of pos-central: what one client address or one branch may hold
 * and ask for, and how long a connection may go without progress. The
 * HTTP server (server.c) asks here before it takes a request or a body
 * chunk; a thread of its own closes connections that stall.
 *
 * - progress: a request's header must be complete within `progress`
 *   seconds of the connection opening (or of the previous answer); a body
 *   must bring EDGE_PROGRESS_BYTES (or its end) every `progress` seconds.
 *   A byte now and then does not reset it. Over it: the socket is shut.
 * - in-flight bytes: body bytes are charged as they arrive, to the whole
 *   server (max_inflight), to the client address (share_address) and to
 *   the branch (share_branch).
 * - requests per second: a token bucket per address (rate_address) and
 *   per branch (rate_branch), bursts of twice the rate.
 * - requests in progress per branch: at most max_per_branch.
 */
#ifndef POS_EDGE_H
#define POS_EDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define EDGE_PROGRESS_BYTES	(16u << 10)

struct edge_config {
	unsigned	 progress;	/* seconds */
	size_t		 max_inflight;	/* body bytes held, whole server */
	size_t		 share_address;	/* ... per address */
	size_t		 share_branch;	/* ... per branch */
	unsigned	 rate_address;	/* requests a second; 0: no limit */
	unsigned	 rate_branch;
	unsigned	 max_per_branch;
};

struct edge;
struct edge_conn;
struct edge_limiter;

/* NULL when the closing thread cannot be started. */
struct edge	*edge_new(const struct edge_config *);
void		 edge_free(struct edge *);

/* A new connection: its deadline is its header's. */
struct edge_conn *edge_conn_open(struct edge *, int fd,
		    const struct sockaddr *);
void		 edge_conn_close(struct edge *, struct edge_conn *);
/* The client address as text ("127.0.0.1", "::1"). */
const char	*edge_conn_host(const struct edge_conn *);
/* Set when the request's URL or arguments had %00; cleared when read. */
void		 edge_conn_mark_nul(struct edge_conn *);
bool		 edge_conn_take_nul(struct edge_conn *);

/* Start the progress clock (now + progress), or stop it (on = false). */
void		 edge_clock(struct edge *, struct edge_conn *, bool on);
/* The body has `received` bytes: restart the clock per EDGE_PROGRESS_BYTES. */
void		 edge_progress(struct edge *, struct edge_conn *,
		    size_t received);

/*
 * A request from this connection's address: 0, or 429 with *why (caller
 * frees) when the address is over its rate. On 0 the request holds the
 * address (*lim) until edge_leave.
 */
unsigned	 edge_enter_address(struct edge *, struct edge_conn *,
		    struct edge_limiter **lim, char **why);
/*
 * The same for the authenticated branch: 429 over its rate, 503 with
 * max_per_branch requests in progress.
 */
unsigned	 edge_enter_branch(struct edge *, const char *branch,
		    struct edge_limiter **lim, char **why);
/*
 * Give back what a request held: its place at the address and the branch
 * (either may be NULL) and the body bytes charged to them.
 */
void		 edge_leave(struct edge *, struct edge_limiter *address,
		    struct edge_limiter *branch, size_t bytes);

/*
 * Charge n received body bytes to the server, the address and the branch:
 * true, or false with *why (caller frees) and nothing charged.
 */
bool		 edge_charge(struct edge *, struct edge_limiter *address,
		    struct edge_limiter *branch, size_t n, char **why);
/* Whether n more bytes would be charged now (nothing is). */
bool		 edge_fits(struct edge *, struct edge_limiter *address,
		    struct edge_limiter *branch, size_t n, char **why);

#endif
