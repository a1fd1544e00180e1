/*
 * Branch tokens. The digest is over the token text as the client sends it,
 * so the server never needs the raw bytes again.
 */
#include "token.h"

#include <nettle/memops.h>
#include <nettle/sha2.h>

#include <errno.h>
#include <string.h>
#include <sys/random.h>

int
token_generate(char out[TOKEN_HEX])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t raw[32];
	size_t got = 0;
	ssize_t n;

	while (got < sizeof raw) {
		n = getrandom(raw + got, sizeof raw - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof raw; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 0xf];
	}
	out[64] = '\0';
	memset(raw, 0, sizeof raw);
	return 0;
}

int
token_well_formed(const char *s, size_t len)
{
	if (len != 64)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return 1;
}

void
token_digest(const char *token, size_t len, uint8_t out[TOKEN_DIGEST])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)token);
	sha256_digest(&ctx, TOKEN_DIGEST, out);
}

int
token_equal(const uint8_t a[TOKEN_DIGEST], const uint8_t b[TOKEN_DIGEST])
{
	return memeql_sec(a, b, TOKEN_DIGEST);
}
