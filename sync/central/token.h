/*
 * Branch tokens: 32 random bytes from getrandom(2), shown once as 64
 * lowercase hex digits; the central store keeps only SHA-256 of that text.
 */
#ifndef POS_TOKEN_H
#define POS_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define TOKEN_HEX	65	/* 64 hex digits and NUL */
#define TOKEN_DIGEST	32	/* SHA-256 */

/* A new token into out. 0, or -1 when the system has no randomness. */
int	 token_generate(char out[TOKEN_HEX]);

/* 1 when s is exactly 64 lowercase hex digits (the only form issued). */
int	 token_well_formed(const char *s, size_t len);

/* SHA-256 of the token's len bytes. */
void	 token_digest(const char *token, size_t len,
	    uint8_t out[TOKEN_DIGEST]);

/* 1 when the digests are equal, in time independent of their contents. */
int	 token_equal(const uint8_t a[TOKEN_DIGEST],
	    const uint8_t b[TOKEN_DIGEST]);

#endif
