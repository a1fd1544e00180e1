/*
 * Users and PINs. A PIN is never stored: only a random 16-byte salt and
 * PBKDF2-HMAC-SHA256 over it, compared in constant time. Nettle, not
 * OpenSSL, for the start-up cost (see sync/ledger/ledger.c).
 */
#include "user.h"

#include <stdlib.h>
#include <string.h>

#include <sys/random.h>

#include <nettle/memops.h>
#include <nettle/pbkdf2.h>

#include "text.h"
#include "xalloc.h"

#define USER_SALT_LEN	16
#define USER_HASH_LEN	32

/* PIN: 4-12 ASCII digits. */
static bool
user_valid_pin(const char *pin)
{
	size_t len = strlen(pin);

	if (len < 4 || len > 12)
		return false;
	for (size_t i = 0; i < len; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return false;
	return true;
}

static int
user_derive(const char *pin, const unsigned char *salt, int iterations,
    unsigned char out[USER_HASH_LEN])
{
	if (iterations < 1)
		return -1;
	pbkdf2_hmac_sha256(strlen(pin), (const uint8_t *)pin,
	    (unsigned)iterations, USER_SALT_LEN, salt, USER_HASH_LEN, out);
	return 0;
}

/* Random bytes from the kernel; -1 if it cannot give them. */
static int
user_random(unsigned char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = getrandom(buf, len, 0)) < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * How many users have this PIN (*n); *name and *role get the first one's
 * when name is not NULL (caller frees *name). Every user's hash is derived:
 * a handful of users, one PBKDF2 each.
 */
static int
user_pin_owners(struct store *st, const char *pin, size_t *n, char **name,
    enum user_role *role, char **cause)
{
	unsigned char got[USER_HASH_LEN];
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	static const char sql[] = "SELECT name, role, salt, pin_hash,"
	    " iterations FROM users ORDER BY name";

	*n = 0;
	if (name != NULL)
		*name = NULL;
	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(stmt, 2) != USER_SALT_LEN ||
		    sqlite3_column_bytes(stmt, 3) != USER_HASH_LEN ||
		    user_derive(pin, sqlite3_column_blob(stmt, 2),
		    sqlite3_column_int(stmt, 4), got) != 0)
			continue;
		if (!memeql_sec(got, sqlite3_column_blob(stmt, 3), sizeof got))
			continue;
		if ((*n)++ == 0 && name != NULL) {
			*name = xstrdup((const char *)sqlite3_column_text(stmt,
			    0));
			*role = strcmp((const char *)sqlite3_column_text(stmt,
			    1), "supervisor") == 0 ? USER_SUPERVISOR :
			    USER_ATTENDANT;
		}
	}
	explicit_bzero(got, sizeof got);
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(st->db, "cannot read users", cause);
		if (name != NULL) {
			free(*name);
			*name = NULL;
		}
	}
	sqldb_release(stmt);
	return rc;
}

int
user_identify(struct store *st, const char *pin, enum user_role need,
    char **name, char **cause)
{
	enum user_role role = USER_ATTENDANT;
	size_t n;
	int rc;

	*name = NULL;
	if (pin == NULL || !user_valid_pin(pin))
		return cause_set(cause, POS_DENIED, "wrong PIN");
	if ((rc = user_pin_owners(st, pin, &n, name, &role, cause)) != POS_OK)
		return rc;
	if (n == 0)
		return cause_set(cause, POS_DENIED, "wrong PIN");
	if (n > 1)
		rc = cause_set(cause, POS_INPUT, "several users have this PIN: "
		    "give the name too");
	else if (need == USER_SUPERVISOR && role != USER_SUPERVISOR)
		rc = cause_set(cause, POS_DENIED, "not a supervisor's PIN");
	if (rc != POS_OK) {
		free(*name);
		*name = NULL;
	}
	return rc;
}

int
user_add(struct store *st, const char *name, const char *role,
    const char *pin, char **cause)
{
	unsigned char salt[USER_SALT_LEN], hash[USER_HASH_LEN];
	sqlite3_stmt *stmt;
	char utc[21], date[11];
	enum user_role had;
	size_t n;
	int rc;

	if (!text_valid_name(name) || strlen(name) > 64)
		return cause_set(cause, POS_INPUT, "user name: must be 1-64 "
		    "bytes of UTF-8 without control characters");
	if (strcmp(role, "attendant") != 0 && strcmp(role, "supervisor") != 0)
		return cause_set(cause, POS_INPUT, "role: must be attendant "
		    "or supervisor, got \"%s\"", role);
	if (!user_valid_pin(pin))
		return cause_set(cause, POS_INPUT, "PIN: must be 4-12 digits");
	if ((rc = store_now(st->cfg, utc, date, cause)) != POS_OK)
		return rc;
	if (user_get(st, name, &had, NULL) == POS_OK)
		return cause_set(cause, POS_INPUT, "user %s already exists",
		    name);
	if ((rc = user_pin_owners(st, pin, &n, NULL, NULL, cause)) != POS_OK)
		return rc;
	if (n > 0)
		return cause_set(cause, POS_INPUT, "PIN: another user has this "
		    "PIN; choose another (a supervisor is known by the PIN "
		    "alone)");
	if (user_random(salt, sizeof salt) != 0 ||
	    user_derive(pin, salt, USER_PIN_ITERATIONS, hash) != 0)
		return cause_set(cause, POS_FAIL, "cannot hash the PIN");
	stmt = sqldb_prepare(st->db, "INSERT INTO users (name, role, salt,"
	    " pin_hash, iterations, created_at) VALUES (?, ?, ?, ?, ?, ?)",
	    cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, name);
	sqldb_bind_text(stmt, 2, role);
	sqlite3_bind_blob(stmt, 3, salt, sizeof salt, SQLITE_TRANSIENT);
	sqlite3_bind_blob(stmt, 4, hash, sizeof hash, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 5, USER_PIN_ITERATIONS);
	sqldb_bind_text(stmt, 6, utc);
	rc = POS_OK;
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(st->db->conn) ==
		    SQLITE_CONSTRAINT_UNIQUE)
			rc = cause_set(cause, POS_INPUT, "user %s already "
			    "exists", name);
		else
			rc = sqldb_sqlerr(st->db, "cannot add the user", cause);
	}
	sqlite3_finalize(stmt);
	explicit_bzero(hash, sizeof hash);
	return rc;
}

/* Read a user's row; POS_DENIED when there is none. */
static int
user_load(struct store *st, const char *name, enum user_role *role,
    unsigned char salt[USER_SALT_LEN], unsigned char hash[USER_HASH_LEN],
    int *iterations, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	static const char sql[] = "SELECT role, salt, pin_hash, iterations"
	    " FROM users WHERE name = ?";

	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, name);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		*role = strcmp((const char *)sqlite3_column_text(stmt, 0),
		    "supervisor") == 0 ? USER_SUPERVISOR : USER_ATTENDANT;
		if (salt != NULL) {
			if (sqlite3_column_bytes(stmt, 1) != USER_SALT_LEN ||
			    sqlite3_column_bytes(stmt, 2) != USER_HASH_LEN)
				rc = cause_set(cause, POS_FAIL,
				    "user %s: damaged PIN record", name);
			else {
				memcpy(salt, sqlite3_column_blob(stmt, 1),
				    USER_SALT_LEN);
				memcpy(hash, sqlite3_column_blob(stmt, 2),
				    USER_HASH_LEN);
				*iterations = sqlite3_column_int(stmt, 3);
			}
		}
	} else if (r == SQLITE_DONE)
		rc = cause_set(cause, POS_DENIED, "no user %s", name);
	else
		rc = sqldb_sqlerr(st->db, "cannot read users", cause);
	sqldb_release(stmt);
	return rc;
}

int
user_get(struct store *st, const char *name, enum user_role *role,
    char **cause)
{
	return user_load(st, name, role, NULL, NULL, NULL, cause);
}

int
user_need_supervisor(struct store *st, const char *name, char **cause)
{
	enum user_role role;
	int rc;

	if ((rc = user_get(st, name, &role, cause)) != POS_OK)
		return rc;
	if (role != USER_SUPERVISOR)
		return cause_set(cause, POS_DENIED, "%s is not a supervisor",
		    name);
	return POS_OK;
}

int
user_authenticate(struct store *st, const char *name, const char *pin,
    enum user_role need, char **cause)
{
	unsigned char salt[USER_SALT_LEN], want[USER_HASH_LEN];
	unsigned char got[USER_HASH_LEN];
	enum user_role role;
	int iterations, rc;

	rc = user_load(st, name, &role, salt, want, &iterations, cause);
	if (rc != POS_OK)
		return rc;
	if (pin == NULL)
		return cause_set(cause, POS_DENIED, "a PIN is needed for %s: "
		    "give it on standard input with --pin-stdin or in POS_PIN",
		    name);
	if (iterations < 1 || user_derive(pin, salt, iterations, got) != 0)
		return cause_set(cause, POS_FAIL, "cannot check the PIN");
	rc = memeql_sec(got, want, sizeof got) ? POS_OK :
	    cause_set(cause, POS_DENIED, "wrong PIN for %s", name);
	explicit_bzero(got, sizeof got);
	if (rc == POS_OK && need == USER_SUPERVISOR && role != USER_SUPERVISOR)
		rc = cause_set(cause, POS_DENIED, "%s is not a supervisor",
		    name);
	return rc;
}
