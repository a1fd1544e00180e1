/*
 * Producers' access links: <public_url>/p/<token>. The token is
 * HMAC-SHA256(link key, code NUL rotation) as 64 lowercase hex digits, so
 * the centre can always recompute a producer's current link (to send it
 * to the windows with the master data) while the store keeps only the
 * rotation counter and SHA-256 of the token (to find the producer a
 * token names). Rotating bumps the counter: the old token then names no
 * one. The link key is 32 random bytes in a file outside the store (the
 * [central] link_key path), made 0600 on first use.
 */
#ifndef POS_PLINK_H
#define POS_PLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "token.h"

#define PLINK_KEY	32	/* bytes of the link key */

/*
 * The key in path into key. When the file is missing and create is true,
 * a new one is written (temp file, fsync, rename, 0600). POS_INPUT with
 * *cause (caller frees) when the file is missing (create false), unreadable
 * or not 64 hex digits.
 */
int	 plink_key_load(const char *path, bool create,
	    uint8_t key[PLINK_KEY], char **cause);

/* The token of code at this rotation, into out (64 hex digits and NUL). */
void	 plink_token(const uint8_t key[PLINK_KEY], const char *code,
	    int64_t rotation, char out[TOKEN_HEX]);

/* <public_url>/p/<token> without a doubled '/'. Caller frees. */
char	*plink_url(const char *public_url, const char *token);

#endif
