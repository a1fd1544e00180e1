/*
 * The office's accounts: who may open the pages and read the reports.
 *
 * - Passwords are kept as PBKDF2-HMAC-SHA256 (Nettle) over a 16-byte
 *   random salt, ACCOUNT_ITERATIONS rounds, encoded as
 *   "pbkdf2-sha256$ITERATIONS$SALT_HEX$KEY_HEX". A login against an unknown
 *   or disabled user runs the same derivation on a dummy, so the answer and
 *   its time are those of a wrong password.
 * - A login session is a random cookie value (64 hex digits) whose SHA-256
 *   is stored, with a CSRF token its forms carry and its expiry.
 * - Failed logins are counted in the store per user name and per client
 *   address over ACCOUNT_WINDOW seconds; past ACCOUNT_MAX_USER or
 *   ACCOUNT_MAX_ADDRESS of them the login is refused before any password
 *   is tried. Kept in the store, the counts hold across servers.
 * - API tokens for scripts are 64 hex digits too, stored as SHA-256 in a
 *   table of their own: a branch's token is no API token and an API token
 *   is no branch's.
 */
#ifndef POS_ACCOUNT_H
#define POS_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>

#include "cstore.h"
#include "token.h"

#define ACCOUNT_ITERATIONS	600000
#define ACCOUNT_SALT		16		/* bytes */
#define ACCOUNT_KEY		32		/* bytes */
#define ACCOUNT_MAX_PASSWORD	1024		/* bytes */
#define ACCOUNT_MIN_PASSWORD	8		/* bytes */
#define ACCOUNT_MAX_NAME	64		/* bytes */
#define ACCOUNT_SESSION		(12 * 3600)	/* seconds a session lasts */
#define ACCOUNT_WINDOW		(15 * 60)	/* seconds failures count */
#define ACCOUNT_MAX_USER	5		/* failures per user name */
#define ACCOUNT_MAX_ADDRESS	20		/* failures per address */

/* A user name: 1-64 of letters, digits, '.', '_', '-', '@'. */
bool	 account_name_valid(const char *);
/* "office" or "admin". */
bool	 account_role_valid(const char *);

/*
 * The encoded KDF result for a password of len bytes, with a new salt
 * (caller frees); NULL when the system has no randomness.
 */
char	*account_hash(const char *password, size_t len);
/* Whether password matches encoded; false for a malformed encoding. */
bool	 account_check(const char *encoded, const char *password, size_t len);

/* utc ("YYYY-MM-DDTHH:MM:SSZ") moved by seconds, into out. */
bool	 account_time_add(const char *utc, long seconds, char out[21]);

/* What a login gave. */
enum account_result {
	ACCOUNT_OK,		/* *session is filled */
	ACCOUNT_WRONG,		/* unknown user, disabled, or wrong password */
	ACCOUNT_LIMITED,	/* too many failures: try later */
	ACCOUNT_ERROR		/* the store failed: *cause */
};

struct account_session {
	char	 cookie[TOKEN_HEX];	/* the value to set, only ever here */
	char	 csrf[TOKEN_HEX];
	char	 expires[21];		/* UTC */
};

/*
 * Try a login from address: on ACCOUNT_OK a new session is stored and
 * described in *out.
 */
enum account_result account_login(struct cstore *, const char *user,
	    const char *password, size_t len, const char *address,
	    struct account_session *out, char **cause);

#endif
