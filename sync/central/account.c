/*
 * The office's accounts (account.h): password derivation, login with its
 * limits, new sessions.
 */
#include "account.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/memops.h>
#include <nettle/pbkdf2.h>

#include "cause.h"
#include "xalloc.h"

#define ACCOUNT_SCHEME	"pbkdf2-sha256"

/* Derived when the user is unknown, so every wrong login costs the same. */
static const char account_dummy[] = ACCOUNT_SCHEME "$600000$"
    "00000000000000000000000000000000$"
    "0000000000000000000000000000000000000000000000000000000000000000";

bool
account_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > ACCOUNT_MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && strchr("._-@", s[i]) ==
		    NULL)
			return false;
	return true;
}

bool
account_role_valid(const char *s)
{
	return strcmp(s, "office") == 0 || strcmp(s, "admin") == 0;
}

static void
account_hex(const uint8_t *b, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 0xf];
	}
	out[2 * n] = '\0';
}

static bool
account_unhex(const char *s, size_t len, uint8_t *out, size_t n)
{
	if (len != 2 * n)
		return false;
	for (size_t i = 0; i < 2 * n; i++) {
		int c = s[i], v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			return false;
		if (i % 2 == 0)
			out[i / 2] = (uint8_t)(v << 4);
		else
			out[i / 2] |= (uint8_t)v;
	}
	return true;
}

char *
account_hash(const char *password, size_t len)
{
	char token[TOKEN_HEX], key_hex[2 * ACCOUNT_KEY + 1];
	uint8_t salt[ACCOUNT_SALT], key[ACCOUNT_KEY];
	char *out;

	/* A token's first 32 hex digits are 16 random bytes. */
	if (token_generate(token) != 0)
		return NULL;
	token[2 * ACCOUNT_SALT] = '\0';
	account_unhex(token, 2 * ACCOUNT_SALT, salt, ACCOUNT_SALT);
	pbkdf2_hmac_sha256(len, (const uint8_t *)password, ACCOUNT_ITERATIONS,
	    sizeof salt, salt, sizeof key, key);
	account_hex(key, sizeof key, key_hex);
	out = xasprintf(ACCOUNT_SCHEME "$%d$%s$%s", ACCOUNT_ITERATIONS, token,
	    key_hex);
	memset(key, 0, sizeof key);
	return out;
}

bool
account_check(const char *encoded, const char *password, size_t len)
{
	uint8_t salt[ACCOUNT_SALT], want[ACCOUNT_KEY], got[ACCOUNT_KEY];
	const char *p, *salt_at, *key_at;
	unsigned long iter;
	char *end;
	int eq;

	p = encoded;
	if (strncmp(p, ACCOUNT_SCHEME "$", sizeof ACCOUNT_SCHEME) != 0)
		return false;
	p += sizeof ACCOUNT_SCHEME;
	errno = 0;
	iter = strtoul(p, &end, 10);
	if (end == p || *end != '$' || errno != 0 || iter < 1 ||
	    iter > 100000000)
		return false;
	salt_at = end + 1;
	if ((key_at = strchr(salt_at, '$')) == NULL ||
	    !account_unhex(salt_at, (size_t)(key_at - salt_at), salt,
	    sizeof salt) || !account_unhex(key_at + 1, strlen(key_at + 1), want,
	    sizeof want))
		return false;
	pbkdf2_hmac_sha256(len, (const uint8_t *)password, (unsigned)iter,
	    sizeof salt, salt, sizeof got, got);
	eq = memeql_sec(got, want, sizeof got);
	memset(got, 0, sizeof got);
	return eq != 0;
}

bool
account_time_add(const char *utc, long seconds, char out[21])
{
	struct tm tm;
	const char *end;
	time_t t;

	memset(&tm, 0, sizeof tm);
	if ((end = strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL ||
	    *end != '\0')
		return false;
	t = timegm(&tm) + seconds;
	if (gmtime_r(&t, &tm) == NULL)
		return false;
	return strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 20;
}

/* Whether the user or the address has used up its failures. */
static int
account_limited(struct cstore *st, const char *ukey, const char *akey,
    const char *since, bool *limited, char **cause)
{
	int64_t nu, na;
	int rc;

	if ((rc = cstore_login_failures(st, ukey, since, &nu, cause)) !=
	    POS_OK || (rc = cstore_login_failures(st, akey, since, &na,
	    cause)) != POS_OK)
		return rc;
	*limited = nu >= ACCOUNT_MAX_USER || na >= ACCOUNT_MAX_ADDRESS;
	return POS_OK;
}

/* The user's encoded password when they may log in, else the dummy. */
static int
account_lookup(struct cstore *st, const char *user, char **encoded,
    bool *known, char **cause)
{
	struct cstore_user *u;
	size_t n;
	int rc;

	*known = false;
	*encoded = NULL;
	if (!account_name_valid(user)) {
		*encoded = xstrdup(account_dummy);
		return POS_OK;
	}
	if ((rc = cstore_users(st, user, &u, &n, cause)) != POS_OK)
		return rc;
	if (n == 1 && u[0].disabled_at == NULL) {
		*known = true;
		*encoded = xstrdup(u[0].password);
	} else
		*encoded = xstrdup(account_dummy);
	cstore_users_free(u, n);
	return POS_OK;
}

static enum account_result
account_fail(struct cstore *st, const char *ukey, const char *akey,
    const char *now, const char *forget, char **cause)
{
	if (cstore_login_failed(st, ukey, now, forget, cause) != POS_OK ||
	    cstore_login_failed(st, akey, now, forget, cause) != POS_OK)
		return ACCOUNT_ERROR;
	return ACCOUNT_WRONG;
}

enum account_result
account_login(struct cstore *st, const char *user, const char *password,
    size_t len, const char *address, struct account_session *out,
    char **cause)
{
	char now[21], since[21], forget[21], *ukey, *akey, *encoded = NULL;
	uint8_t digest[TOKEN_DIGEST];
	enum account_result res = ACCOUNT_ERROR;
	bool limited, known, ok;

	memset(out, 0, sizeof *out);
	cstore_now(now);
	if (!account_time_add(now, -ACCOUNT_WINDOW, since) ||
	    !account_time_add(now, -24 * 3600, forget) ||
	    !account_time_add(now, ACCOUNT_SESSION, out->expires)) {
		cause_set(cause, POS_FAIL, "the clock is not readable");
		return ACCOUNT_ERROR;
	}
	ukey = xasprintf("user %.*s", ACCOUNT_MAX_NAME, user);
	akey = xasprintf("address %s", address);
	if (account_limited(st, ukey, akey, since, &limited, cause) != POS_OK)
		goto out;
	if (limited) {
		res = ACCOUNT_LIMITED;
		goto out;
	}
	if (account_lookup(st, user, &encoded, &known, cause) != POS_OK)
		goto out;
	ok = len <= ACCOUNT_MAX_PASSWORD &&
	    account_check(encoded, password, len) && known;
	if (!ok) {
		res = account_fail(st, ukey, akey, now, forget, cause);
		goto out;
	}
	if (token_generate(out->cookie) != 0 || token_generate(out->csrf) != 0) {
		cause_set(cause, POS_FAIL, "no randomness for a session");
		goto out;
	}
	token_digest(out->cookie, strlen(out->cookie), digest);
	if (cstore_wsession_put(st, digest, user, out->csrf, now, out->expires,
	    cause) != POS_OK)
		goto out;
	res = ACCOUNT_OK;
out:
	free(ukey);
	free(akey);
	free(encoded);
	if (res != ACCOUNT_OK)
		memset(out, 0, sizeof *out);
	return res;
}
