/*
 * The network module: one HTTP(S) request to pos-central with libcurl,
 * behind a table of functions in a shared object that `pos` loads with
 * dlopen() only when it syncs (as receipts/printmod.h does for printing).
 * libcurl and its TLS stack cost about 18 ms to load; `pos sell` never
 * needs them.
 *
 * The module knows nothing of the journal or the store: it sends a body
 * and brings back the answer, bounded in size and time. TLS verification
 * of the peer and of its host name is always on.
 */
#ifndef POS_SYNC_PUSHMOD_H
#define POS_SYNC_PUSHMOD_H

#include <stdatomic.h>
#include <stddef.h>

#define PUSHMOD_ABI		1
#define PUSHMOD_SONAME		"libpossyncnet.so"
#define PUSHMOD_SYMBOL		"pushmod_get"

/* What went wrong below HTTP (push_answer.transport). */
enum push_transport {
	PUSH_OK = 0,		/* an HTTP answer came back (any status) */
	PUSH_CONNECT,		/* could not connect (refused, unreachable, DNS) */
	PUSH_TIMEOUT,		/* connect or total timeout */
	PUSH_TLS,		/* certificate refused or TLS handshake failed */
	PUSH_TOO_LARGE,		/* the answer was over max_answer bytes */
	PUSH_NETWORK,		/* connection dropped, reset, bad HTTP */
	PUSH_CANCELED,		/* *cancel was set */
	PUSH_INTERNAL		/* libcurl could not be set up */
};

struct push_request {
	const char	*url;		/* the endpoint, e.g. https://h/v1/journal */
	const char	*token;		/* bearer token, or NULL for none */
	const char	*ca_file;	/* CA certificates; NULL: the system's */
	const char	*idempotency_key;	/* or NULL */
	const char	*body;		/* POST this (application/json); NULL: GET */
	size_t		 len;
	long		 connect_timeout_ms;
	long		 timeout_ms;	/* the whole request */
	size_t		 max_answer;	/* bytes of answer body kept, at most */
	const atomic_bool *cancel;	/* set by another thread to stop (seen
					   within about a second); or NULL */
};

struct push_answer {
	enum push_transport transport;
	long		 status;	/* HTTP status; 0 without an answer */
	char		*body;		/* NUL-terminated; caller frees (free()) */
	size_t		 len;
	long		 retry_after;	/* seconds from Retry-After, or -1 */
	char		*error;		/* transport != PUSH_OK; caller frees */
};

struct pushmod {
	int	 abi;	/* PUSHMOD_ABI */

	/*
	 * Set libcurl up for the process (curl_global_init). Call once,
	 * before any thread sends; 0, or -1 and *cause (caller frees).
	 */
	int	(*init)(char **cause);

	/*
	 * Send one request and wait for its answer. Always fills *out (the
	 * caller frees out->body and out->error with free()); returns
	 * out->transport.
	 */
	int	(*send)(const struct push_request *, struct push_answer *out);

	/* "libcurl/7.88.1 OpenSSL/3.0.x ...", for messages. */
	const char *(*version)(void);
};

typedef const struct pushmod *(*pushmod_get_fn)(void);

/* The module's one exported symbol. */
const struct pushmod *pushmod_get(void);

#endif
