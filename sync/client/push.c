/*
 * The network module's table (see pushmod.h): one libcurl easy handle per
 * request, so nothing is shared between threads. The answer body is kept
 * up to max_answer bytes; past that the transfer is stopped. Only http
 * and https are allowed, redirects are not followed, and TLS always
 * verifies the peer and its host name.
 *
 * This file is linked only into libpossyncnet.so; it uses plain malloc
 * and reports failures instead of the program's xalloc (which may carry
 * a hook the module's copy would not see).
 */
#include "pushmod.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

struct push_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
	bool	 too_large;
	bool	 nomem;
	long	 retry_after;
	const atomic_bool *cancel;
};

static char *
push_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
push_strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static size_t
push_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct push_buf *b = arg;
	size_t n = size * nmemb, want;
	char *p;

	if (n > b->max - b->len) {
		b->too_large = true;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		want = b->cap == 0 ? 4096 : b->cap;
		while (want < b->len + n + 1)
			want *= 2;
		if ((p = realloc(b->data, want)) == NULL) {
			b->nomem = true;
			return 0;
		}
		b->data = p;
		b->cap = want;
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* Retry-After in seconds (the HTTP-date form is not used by pos-central). */
static size_t
push_header(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct push_buf *b = arg;
	size_t n = size * nmemb;
	static const char name[] = "retry-after:";
	char num[16];
	size_t i, k = 0;

	if (n > sizeof name - 1 && strncasecmp(ptr, name, sizeof name - 1) == 0) {
		for (i = sizeof name - 1; i < n && ptr[i] == ' '; i++)
			;
		for (; i < n && k < sizeof num - 1 && isdigit((unsigned char)ptr[i]);
		    i++)
			num[k++] = ptr[i];
		num[k] = '\0';
		if (k > 0 && k < 8)
			b->retry_after = strtol(num, NULL, 10);
	}
	return n;
}

static int
push_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct push_buf *b = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return b->cancel != NULL && atomic_load(b->cancel) ? 1 : 0;
}

static int
push_init(char **cause)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK) {
		if (cause != NULL)
			*cause = push_strdup_printf("cannot set up libcurl: %s",
			    curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

static enum push_transport
push_classify(CURLcode rc, const struct push_buf *b)
{
	switch (rc) {
	case CURLE_OK:
		return PUSH_OK;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return PUSH_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return PUSH_TIMEOUT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return PUSH_TLS;
	case CURLE_ABORTED_BY_CALLBACK:
		return PUSH_CANCELED;
	case CURLE_WRITE_ERROR:
		if (b->too_large)
			return PUSH_TOO_LARGE;
		return b->nomem ? PUSH_INTERNAL : PUSH_NETWORK;
	case CURLE_OUT_OF_MEMORY:
	case CURLE_FAILED_INIT:
	case CURLE_UNKNOWN_OPTION:
	case CURLE_NOT_BUILT_IN:
		return PUSH_INTERNAL;
	default:
		return PUSH_NETWORK;
	}
}

/* Append the header line prefix value to *hdr; -1 when out of memory. */
static int
push_header_add(struct curl_slist **hdr, const char *prefix,
    const char *value)
{
	struct curl_slist *h;
	char *line;

	line = push_strdup_printf("%s%s", prefix, value);
	h = line != NULL ? curl_slist_append(*hdr, line) : NULL;
	free(line);
	if (h == NULL)
		return -1;
	*hdr = h;
	return 0;
}

/*
 * The request's header lines into *hdr (the caller frees the list, also
 * after a failure); -1 when out of memory.
 */
static int
push_headers(const struct push_request *rq, struct curl_slist **hdr)
{
	struct curl_slist *h;

	if (rq->token != NULL &&
	    push_header_add(hdr, "Authorization: Bearer ", rq->token) != 0)
		return -1;
	if (rq->idempotency_key != NULL &&
	    push_header_add(hdr, "Idempotency-Key: ",
	    rq->idempotency_key) != 0)
		return -1;
	if (rq->body != NULL) {
		if ((h = curl_slist_append(*hdr, "Content-Type: "
		    "application/json")) == NULL)
			return -1;
		*hdr = h;
		/* No 100-continue round trip: the body is small and bounded. */
		if ((h = curl_slist_append(*hdr, "Expect:")) == NULL)
			return -1;
		*hdr = h;
	}
	return 0;
}

/* Set up the handle for the request; errbuf and b outlive the transfer. */
static void
push_setopt(CURL *c, const struct push_request *rq, struct curl_slist *hdr,
    char *errbuf, struct push_buf *b)
{
	curl_easy_setopt(c, CURLOPT_URL, rq->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "pos-window/" "1");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, rq->connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, rq->timeout_ms);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (rq->ca_file != NULL && *rq->ca_file != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, rq->ca_file);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, push_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, push_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, b);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, push_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, b);
	if (rq->body != NULL) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)rq->len);
	} else
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
}

/* The words that open the message of a failed transfer. */
static const char *
push_what(enum push_transport t)
{
	switch (t) {
	case PUSH_CONNECT:	return "cannot connect";
	case PUSH_TIMEOUT:	return "timed out";
	case PUSH_TLS:		return "TLS refused";
	case PUSH_TOO_LARGE:	return "answer too large";
	case PUSH_CANCELED:	return "canceled";
	case PUSH_INTERNAL:	return "libcurl failed";
	default:		return "connection failed";
	}
}

/* Fill *out from the finished transfer (curl's rc, the body in b). */
static void
push_answer_take(CURL *c, CURLcode rc, struct push_buf *b,
    const struct push_request *rq, const char *errbuf,
    struct push_answer *out)
{
	const char *what;

	out->transport = push_classify(rc, b);
	if (out->transport == PUSH_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
		out->body = b->data != NULL ? b->data : calloc(1, 1);
		b->data = NULL;
		out->len = b->len;
		out->retry_after = b->retry_after;
		if (out->body == NULL) {
			out->transport = PUSH_INTERNAL;
			out->error = push_strdup_printf("out of memory");
		}
		return;
	}
	what = push_what(out->transport);
	if (out->transport == PUSH_TOO_LARGE)
		out->error = push_strdup_printf("%s: the answer is over %zu "
		    "bytes", what, rq->max_answer);
	else
		out->error = push_strdup_printf("%s: %s", what,
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc));
}

static int
push_send(const struct push_request *rq, struct push_answer *out)
{
	struct push_buf b;
	struct curl_slist *hdr = NULL;
	char errbuf[CURL_ERROR_SIZE];
	CURL *c;
	CURLcode rc;

	memset(out, 0, sizeof *out);
	memset(&b, 0, sizeof b);
	out->retry_after = -1;
	b.max = rq->max_answer;
	b.retry_after = -1;
	b.cancel = rq->cancel;
	errbuf[0] = '\0';

	if ((c = curl_easy_init()) == NULL) {
		out->transport = PUSH_INTERNAL;
		out->error = push_strdup_printf("cannot set up libcurl");
		return out->transport;
	}
	if (push_headers(rq, &hdr) != 0) {
		curl_slist_free_all(hdr);
		curl_easy_cleanup(c);
		out->transport = PUSH_INTERNAL;
		out->error = push_strdup_printf("out of memory");
		return out->transport;
	}
	push_setopt(c, rq, hdr, errbuf, &b);
	rc = curl_easy_perform(c);
	push_answer_take(c, rc, &b, rq, errbuf, out);
	free(b.data);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return out->transport;
}

static const char *
push_version(void)
{
	return curl_version();
}

static const struct pushmod push_table = {
	PUSHMOD_ABI,
	push_init,
	push_send,
	push_version,
};

const struct pushmod *
pushmod_get(void)
{
	return &push_table;
}
