/*
 * The office-accounts part of the central store's interface (cstore.h),
 * dispatched to its backend as the rest is in cstore.c.
 */
#include "cstore_impl.h"

#include <stdlib.h>
#include <string.h>

int
cstore_user_add(struct cstore *st, const struct cstore_user *u, char **cause)
{
	return st->ops->user_add(st, u, cause);
}

int
cstore_users(struct cstore *st, const char *name, struct cstore_user **out,
    size_t *n, char **cause)
{
	return st->ops->users(st, name, out, n, cause);
}

void
cstore_users_free(struct cstore_user *u, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(u[i].name);
		free(u[i].role);
		if (u[i].password != NULL)
			memset(u[i].password, 0, strlen(u[i].password));
		free(u[i].password);
		free(u[i].created_at);
		free(u[i].disabled_at);
	}
	free(u);
}

int
cstore_user_disable(struct cstore *st, const char *name, const char *now,
    char **cause)
{
	return st->ops->user_disable(st, name, now, cause);
}

int
cstore_apitoken_add(struct cstore *st, const char *name,
    const uint8_t hash[TOKEN_DIGEST], const char *now, char **cause)
{
	return st->ops->apitoken_add(st, name, hash, now, cause);
}

int
cstore_apitoken_revoke(struct cstore *st, const char *name, const char *now,
    char **cause)
{
	return st->ops->apitoken_revoke(st, name, now, cause);
}

int
cstore_apitoken_find(struct cstore *st, const uint8_t digest[TOKEN_DIGEST],
    char **name, char **cause)
{
	return st->ops->apitoken_find(st, digest, name, cause);
}

int
cstore_wsession_put(struct cstore *st, const uint8_t hash[TOKEN_DIGEST],
    const char *user, const char *csrf, const char *created_at,
    const char *expires_at, char **cause)
{
	return st->ops->wsession_put(st, hash, user, csrf, created_at,
	    expires_at, cause);
}

int
cstore_wsession_get(struct cstore *st, const uint8_t digest[TOKEN_DIGEST],
    const char *now, struct cstore_wsession *out, char **cause)
{
	memset(out, 0, sizeof *out);
	return st->ops->wsession_get(st, digest, now, out, cause);
}

void
cstore_wsession_clear(struct cstore_wsession *s)
{
	free(s->user);
	free(s->role);
	free(s->csrf);
	free(s->expires_at);
	memset(s, 0, sizeof *s);
}

int
cstore_wsession_drop(struct cstore *st, const uint8_t digest[TOKEN_DIGEST],
    char **cause)
{
	return st->ops->wsession_drop(st, digest, cause);
}

int
cstore_login_failed(struct cstore *st, const char *key, const char *now,
    const char *forget, char **cause)
{
	return st->ops->login_failed(st, key, now, forget, cause);
}

int
cstore_login_failures(struct cstore *st, const char *key, const char *since,
    int64_t *n, char **cause)
{
	return st->ops->login_failures(st, key, since, n, cause);
}

int
cstore_apitokens(struct cstore *st, struct cstore_apitoken **out, size_t *n,
    char **cause)
{
	return st->ops->apitokens(st, out, n, cause);
}

void
cstore_apitokens_free(struct cstore_apitoken *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(t[i].name);
		free(t[i].created_at);
		free(t[i].revoked_at);
	}
	free(t);
}
