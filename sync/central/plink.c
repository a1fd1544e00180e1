/*
 * Producers' access links (plink.h): the key file and the token.
 */
#include "plink.h"

#include <nettle/hmac.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cstore.h"
#include "cause.h"
#include "xalloc.h"

static int
plink_unhex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;

		for (int j = 0; j < 2; j++) {
			char c = s[2 * i + j];

			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else
				return -1;
		}
		out[i] = (uint8_t)v;
	}
	return 0;
}

/* The directory part of path ("." when none). Caller frees. */
static char *
plink_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* A new key file: temp, fsync, rename, fsync the directory. */
static int
plink_key_create(const char *path, char **cause)
{
	char hex[TOKEN_HEX], *tmp = xasprintf("%s.new", path), *dir = NULL;
	int fd, dfd, rc = POS_OK;

	if (token_generate(hex) != 0) {
		rc = cause_set(cause, POS_FAIL, "no randomness for the link key");
		goto out;
	}
	hex[TOKEN_HEX - 1] = '\n';
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
	    0) {
		rc = cause_set(cause, POS_INPUT, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write(fd, hex, TOKEN_HEX) != TOKEN_HEX || fsync(fd) != 0) {
		rc = cause_set(cause, POS_FAIL, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		rc = cause_set(cause, POS_FAIL, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	dir = plink_dir(path);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
out:
	memset(hex, 0, sizeof hex);
	free(tmp);
	free(dir);
	return rc;
}

int
plink_key_load(const char *path, bool create, uint8_t key[PLINK_KEY],
    char **cause)
{
	char text[2 * PLINK_KEY + 2];
	size_t got;
	FILE *f;
	int rc;

	if (path == NULL || *path == '\0')
		return cause_set(cause, POS_INPUT, "no link key file: set "
		    "[central] link_key");
	if ((f = fopen(path, "re")) == NULL && errno == ENOENT && create) {
		if ((rc = plink_key_create(path, cause)) != POS_OK)
			return rc;
		f = fopen(path, "re");
	}
	if (f == NULL)
		return cause_set(cause, POS_INPUT, "link key %s: %s", path,
		    strerror(errno));
	got = fread(text, 1, sizeof text, f);
	fclose(f);
	if (got < 2 * PLINK_KEY || (got > 2 * PLINK_KEY &&
	    (got != 2 * PLINK_KEY + 1 || text[2 * PLINK_KEY] != '\n')) ||
	    plink_unhex(text, key, PLINK_KEY) != 0) {
		memset(text, 0, sizeof text);
		return cause_set(cause, POS_INPUT, "link key %s: not 64 "
		    "lowercase hex digits", path);
	}
	memset(text, 0, sizeof text);
	return POS_OK;
}

void
plink_token(const uint8_t key[PLINK_KEY], const char *code, int64_t rotation,
    char out[TOKEN_HEX])
{
	static const char hex[] = "0123456789abcdef";
	struct hmac_sha256_ctx ctx;
	uint8_t mac[SHA256_DIGEST_SIZE];
	char rot[24];

	snprintf(rot, sizeof rot, "%lld", (long long)rotation);
	hmac_sha256_set_key(&ctx, PLINK_KEY, key);
	hmac_sha256_update(&ctx, strlen(code) + 1, (const uint8_t *)code);
	hmac_sha256_update(&ctx, strlen(rot), (const uint8_t *)rot);
	hmac_sha256_digest(&ctx, sizeof mac, mac);
	for (size_t i = 0; i < sizeof mac; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 0xf];
	}
	out[2 * sizeof mac] = '\0';
	memset(&ctx, 0, sizeof ctx);
}

char *
plink_url(const char *public_url, const char *token)
{
	size_t n = strlen(public_url);

	while (n > 0 && public_url[n - 1] == '/')
		n--;
	return xasprintf("%.*s/p/%s", (int)n, public_url, token);
}
