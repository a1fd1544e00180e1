/*
 * The HTTP side of pos-central: libmicrohttpd in thread-pool mode, one
 * central-store connection per worker, bounded bodies and memory. Routes
 * and statuses are in sync/PROTOCOL.md; the decisions are in ingest.c.
 */
#ifndef POS_SERVER_H
#define POS_SERVER_H

#include <stddef.h>

#define SERVER_MAX_BODY		(4u << 20)	/* bytes per request body */
#define SERVER_MAX_INFLIGHT	(32u << 20)	/* bytes of bodies held at once */
#define SERVER_TIMEOUT		30		/* idle seconds per connection */
#define SERVER_MAX_CONNECTIONS	256
#define SERVER_CONN_MEMORY	(64u << 10)	/* MHD's pool per connection */
#define SERVER_MAX_PER_ADDRESS	32	/* connections from one address */
#define SERVER_MAX_PER_BRANCH	16	/* requests in progress per branch */
#define SERVER_RATE_ADDRESS	200	/* requests a second per address */
#define SERVER_RATE_BRANCH	50	/* ... per branch */
#define SERVER_PROGRESS		10	/* seconds for a header, per body step */
/* TLS 1.2 and 1.3, ECDHE key exchange, AEAD ciphers only. */
#define SERVER_TLS_PRIORITIES	"SECURE128:-VERS-ALL:+VERS-TLS1.3:" \
	"+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:-CIPHER-ALL:" \
	"+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD"

struct server_config {
	const char	*db_path;	/* SQLite file or PostgreSQL URI */
	const char	*listen;	/* ADDR:PORT, [ADDR6]:PORT; port 0 picks */
	const char	*tls_cert;	/* PEM files; both or neither */
	const char	*tls_key;
	const char	*tls_priorities;	/* GnuTLS priority string */
	size_t		 max_body;
	size_t		 max_inflight;
	size_t		 max_entries;
	unsigned	 threads;
	unsigned	 db_pool;	/* store connections; 0: 2 x threads */
	unsigned	 timeout;
	unsigned	 max_connections;
	unsigned	 max_per_address;	/* connections */
	unsigned	 max_per_branch;	/* requests in progress */
	unsigned	 rate_address;		/* requests a second; 0: none */
	unsigned	 rate_branch;
	unsigned	 progress;		/* seconds, see edge.h */
	unsigned	 date_ahead_days;	/* entries dated later: rejected */
	int		 digits;		/* the pages' amounts (web.h) */
	int		 decimals;		/* [currency] decimals: prices */
	const char	*font;			/* NULL: Noto Sans Arabic */
	const char	*public_url;	/* NULL: producers' links not sent */
	const char	*link_key;	/* the link key file (plink.h) */
};

struct server;

/* Fill cfg with the defaults (db_path and listen left NULL). */
void	 server_defaults(struct server_config *cfg);

/*
 * Bind, open the store connections and start serving. Returns 0, or an exit
 * status (1 failure, 2 bad input) with *cause (caller frees).
 */
int	 server_start(const struct server_config *, struct server **out,
	    char **cause);

/* The bound address, "127.0.0.1:43117" or "[::1]:43117". */
const char *server_address(const struct server *);

/* Stop accepting, finish requests in progress, close everything. */
void	 server_stop(struct server *);

#endif
