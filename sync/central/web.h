/*
 * The office's side of pos-central's HTTP server: login and logout, the
 * pages (today, a window-day) with their CSV, the reports as JSON for
 * scripts (GET /v1/reports/...), and the files the pages use (a style
 * sheet, the Arabic font). server.c routes here every path web_route
 * claims, with the body read (a login form is small), and sends the
 * response built here. Routes, cookies and headers: sync/PROTOCOL.md.
 */
#ifndef POS_WEB_H
#define POS_WEB_H

#include <stdbool.h>
#include <stddef.h>

#include "cstore.h"

#define WEB_MAX_BODY	8192	/* bytes of a form */
#define WEB_MAX_UPLOAD	(1u << 20)	/* bytes of a CSV import */

struct MHD_Connection;
struct MHD_Response;

struct web_config {
	int		 digits;	/* enum config_digits */
	int		 decimals;	/* [currency] decimals: catalogue prices */
	const char	*font;		/* a TTF file to serve; NULL: the
					   Noto Sans Arabic of fonts-noto-core */
	bool		 tls;		/* cookies get Secure */
	const char	*public_url;	/* [central] public_url; NULL or "":
					   not said */
	const unsigned char *link_key;	/* the producers' link key (32
					   bytes); NULL: not loaded */
};

struct web;

/* The font is read once here; a missing font is served as 404. */
struct web	*web_new(const struct web_config *);
void		 web_free(struct web *);

/* Whether the path is one of the office's. */
bool		 web_route(const char *url);
/* The largest body a path takes: WEB_MAX_UPLOAD for the CSV import. */
size_t		 web_max_body(const char *url);

/*
 * Answer one request: a response (never NULL unless out of memory) and its
 * status in *status. address is the client's, for the login limits.
 */
struct MHD_Response *web_handle(struct web *, struct cstore *,
		    struct MHD_Connection *, const char *method,
		    const char *url, const char *address, const char *body,
		    size_t len, unsigned *status);

#endif
