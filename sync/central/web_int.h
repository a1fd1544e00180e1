/*
 * What the office's pages share (web.c and web_office.c): one request
 * being answered, the page frame, amounts as people read them, the form's
 * fields and the CSRF check. Every page writes HTML with html_put only.
 */
#ifndef POS_WEB_INT_H
#define POS_WEB_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "cstore.h"
#include "web.h"

#define WEB_FORM_FIELDS	16

struct web {
	struct web_config	 cfg;
	char			*font;
	size_t			 font_len;
};

/* One request being answered. */
struct web_req {
	struct web		*w;
	struct cstore		*st;
	struct MHD_Connection	*conn;
	const char		*address;
	bool			 en;
	bool			 logged;
	struct cstore_wsession	 sess;

	unsigned		 status;
	struct buf		 out;
	const char		*type;
	char			*location;
	char			*cookie;	/* Set-Cookie */
	char			*filename;	/* CSV: Content-Disposition */
	const char		*fixed;		/* a static body instead */
	size_t			 fixed_len;

	char			*form_key[WEB_FORM_FIELDS];
	char			*form_val[WEB_FORM_FIELDS];
	size_t			 nform;
	const char		*body;		/* the request's, not owned */
	size_t			 body_len;
};

/* An argument of the URL's query (NULL: absent); not owned. */
const char	*web_arg(const struct web_req *, const char *key);
/* A field of the urlencoded form (NULL: absent); not owned. */
const char	*web_form(const struct web_req *, const char *key);
/* Two tokens equal, in time independent of where they differ. */
bool		 web_token_eq(const char *, const char *);
/*
 * The page's head and header, then <main> and its <h1>: title, and
 * subject isolated after it (NULL: none); here is this page's URL, for the
 * language switch.
 */
void		 web_head(struct web_req *, const char *title,
		    const char *subject, const char *here);
void		 web_foot(struct web_req *);
/* A page with one message, in the language shown. */
void		 web_error(struct web_req *, unsigned status, const char *title,
		    const char *msg);
/* The 403 of a form whose CSRF token is missing or wrong. */
void		 web_forbidden(struct web_req *);
/* An amount cell: right-aligned, isolated, with its JSON key (data-k). */
void		 web_amount_td(struct web_req *, const char *label,
		    const char *key, const json_t *o);
/* A string member ("" when absent); an integer member as text. */
const char	*web_str(const json_t *, const char *key);
const char	*web_int(const json_t *, const char *key, char *buf,
		    size_t len);

/* The office's other pages (web_office.c): whether url is one of them. */
bool		 web_office_route(const char *url);
/* Answer a request for one of them (logged in; method GET or POST). */
void		 web_office(struct web_req *, const char *url, bool post);

#endif
