/*
 * CUPS destination API: cupsGetNamedDest, cupsCopyDestInfo,
 * cupsCreateDestJob, cupsStartDestDocument, cupsWriteRequestData,
 * cupsFinishDestDocument; Get-Job-Attributes for a job's identity and
 * state. Our own http_t per call
 * (httpConnect2 with a timeout) instead of CUPS_HTTP_DEFAULT, whose
 * connect can block for much longer.
 */
#include "print.h"

#include <cups/cups.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xalloc.h"

#define PRINT_NAME_MAX	128	/* a job title sent to cupsd, with its NUL */

/* httpSetTimeout callback: never wait another period. */
static int
print_give_up(http_t *http, void *arg)
{
	(void)http;
	(void)arg;
	return 0;
}

static http_t *
print_connect(char **cause)
{
	const char	*server = cupsServer();
	http_t		*http;
	int		 e;

	errno = 0;
	http = httpConnect2(server, ippPort(), NULL, AF_UNSPEC,
	    cupsEncryption(), 1, PRINT_TIMEOUT_MS, NULL);
	if (http == NULL) {
		/* libcups closes the socket before returning: only some
		 * errno values still describe the failed connect. */
		e = errno;
		if (e != ECONNREFUSED && e != ENOENT && e != ETIMEDOUT &&
		    e != EHOSTUNREACH && e != ENETUNREACH && e != EACCES)
			e = 0;
		if (cause != NULL)
			*cause = xasprintf("cannot connect to CUPS at %s: %s",
			    server, e != 0 ? strerror(e) :
			    "cupsd not running or not answering");
		return NULL;
	}
	/* libcups waits 1 s before it first asks the callback: half the
	 * budget here keeps a request that gets no answer near the budget. */
	httpSetTimeout(http, PRINT_TIMEOUT_MS / 2000.0, print_give_up, NULL);
	return http;
}

/*
 * Whether cupsd answers at all (CUPS-Get-Default; "no default" is an
 * answer). Checked first because cupsGetNamedDest(), when its lookup
 * fails, falls back to cupsEnumDests() on the default connection, which
 * has none of our timeouts and would hang on a wedged server.
 */
static int
print_alive(http_t *http, char **cause)
{
	ipp_t	*req, *resp;

	req = ippNewRequest(IPP_OP_CUPS_GET_DEFAULT);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
	    "requested-attributes", NULL, "printer-name");
	resp = cupsDoRequest(http, req, "/");
	if (resp == NULL) {
		if (cause != NULL)
			*cause = xasprintf("CUPS at %s is not answering "
			    "(%d ms)", cupsServer(), PRINT_TIMEOUT_MS);
		return 0;
	}
	ippDelete(resp);
	return 1;
}

static int
print_ok(ipp_status_t s)
{
	return s < IPP_STATUS_REDIRECTION_OTHER_SITE;
}

/*
 * Copy name into out with every run of bytes outside A-Z a-z 0-9 . _ -
 * turned into one '_', cut to fit; "job" if nothing is left.
 */
static void
print_safe_name(const char *name, char out[PRINT_NAME_MAX])
{
	static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._-";
	size_t n = 0;

	for (const char *p = name != NULL ? name : ""; *p != '\0' &&
	    n < PRINT_NAME_MAX - 1; p++) {
		if (strchr(safe, *p) != NULL)
			out[n++] = *p;
		else if (n == 0 || out[n - 1] != '_')
			out[n++] = '_';
	}
	out[n] = '\0';
	if (n == 0)
		snprintf(out, PRINT_NAME_MAX, "job");
}

/* The values of a keyword or text attribute, as "a,b", cut to fit buf. */
static void
print_join(ipp_attribute_t *a, char *buf, size_t size)
{
	size_t used = 0;
	int i, n;

	buf[0] = '\0';
	for (i = 0; a != NULL && i < ippGetCount(a) && used < size; i++) {
		n = snprintf(buf + used, size - used, "%s%s", i > 0 ? "," : "",
		    ippGetString(a, i, NULL));
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static void
print_job_read(ipp_t *resp, int id, struct print_job *out)
{
	ipp_attribute_t *a;

	memset(out, 0, sizeof *out);
	out->id = id;
	if ((a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM)) != NULL)
		out->state = ippGetInteger(a, 0);
	if ((a = ippFindAttribute(resp, "time-at-creation",
	    IPP_TAG_INTEGER)) != NULL)
		out->created = ippGetInteger(a, 0);
	if ((a = ippFindAttribute(resp, "job-uuid", IPP_TAG_URI)) != NULL)
		snprintf(out->uuid, sizeof out->uuid, "%s",
		    ippGetString(a, 0, NULL));
	print_join(ippFindAttribute(resp, "job-state-reasons",
	    IPP_TAG_KEYWORD), out->reasons, sizeof out->reasons);
	print_join(ippFindAttribute(resp, "job-printer-state-message",
	    IPP_TAG_TEXT), out->message, sizeof out->message);
}

/* Get-Job-Attributes on http; see print_job_info. */
static int
print_job_ask(http_t *http, int id, struct print_job *out, char **cause)
{
	static const char *const want[] = { "job-uuid", "job-state",
	    "job-state-reasons", "job-printer-state-message",
	    "time-at-creation" };
	char uri[HTTP_MAX_URI];
	ipp_t *req, *resp;
	ipp_status_t st;
	int rc;

	memset(out, 0, sizeof *out);
	out->id = id;
	httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL,
	    "localhost", ippPort(), "/jobs/%d", id);
	req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME,
	    "requesting-user-name", NULL, cupsUser());
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
	    "requested-attributes", (int)(sizeof want / sizeof want[0]), NULL,
	    want);
	resp = cupsDoRequest(http, req, "/");
	st = cupsLastError();
	if (resp != NULL && st == IPP_STATUS_ERROR_NOT_FOUND) {
		snprintf(out->message, sizeof out->message, "%s",
		    cupsLastErrorString());
		rc = 0;
	} else if (resp == NULL || !print_ok(st)) {
		if (cause != NULL)
			*cause = xasprintf("cannot ask CUPS about job %d: %s",
			    id, cupsLastErrorString());
		rc = -1;
	} else {
		print_job_read(resp, id, out);
		rc = 1;
	}
	ippDelete(resp);
	return rc;
}

int
print_has_dest(const char *name, char **cause)
{
	http_t		*http;
	cups_dest_t	*dest = NULL;
	int		 ok = 0;

	if ((http = print_connect(cause)) == NULL)
		return 0;
	if (print_alive(http, cause)) {
		dest = cupsGetNamedDest(http, name, NULL);
		ok = dest != NULL;
		if (!ok && cause != NULL)
			*cause = name != NULL ?
			    xasprintf("no CUPS destination \"%s\"", name) :
			    xstrdup("no default CUPS destination");
	}
	cupsFreeDests(dest != NULL, dest);
	httpClose(http);
	return ok;
}

int
print_submit(const char *name, const char *format, const char *title,
    const void *data, size_t len, struct print_job *out, char **cause)
{
	http_t		*http;
	cups_dest_t	*dest = NULL;
	cups_dinfo_t	*info = NULL;
	struct print_job got;
	const char	*what = name != NULL ? name : "(default)";
	char		 safe[PRINT_NAME_MAX];
	int		 job = 0, id = 0, cancel = 0;

	print_safe_name(title, safe);
	if ((http = print_connect(cause)) == NULL)
		return 0;
	if (!print_alive(http, cause))
		goto out;
	dest = cupsGetNamedDest(http, name, NULL);
	if (dest == NULL) {
		if (cause != NULL)
			*cause = name != NULL ?
			    xasprintf("no CUPS destination \"%s\" (%s)", name,
			    cupsLastErrorString()) :
			    xasprintf("no default CUPS destination (%s)",
			    cupsLastErrorString());
		goto out;
	}
	info = cupsCopyDestInfo(http, dest);
	if (info == NULL) {
		if (cause != NULL)
			*cause = xasprintf("%s: cannot get destination "
			    "information: %s", what, cupsLastErrorString());
		goto out;
	}
	if (!print_ok(cupsCreateDestJob(http, dest, info, &id, safe, 0,
	    NULL)) || id <= 0) {
		if (cause != NULL)
			*cause = xasprintf("%s: job not accepted: %s", what,
			    cupsLastErrorString());
		id = 0;
		goto out;
	}
	/* Its identity before any byte is sent: the id may be reused. */
	if (print_job_ask(http, id, &got, cause) != 1) {
		if (cause != NULL && *cause == NULL)
			*cause = xasprintf("%s: job %d vanished after "
			    "Create-Job: %s", what, id, got.message);
		cancel = 1;
		goto out;
	}
	if (cupsStartDestDocument(http, dest, info, id, safe, format, 0, NULL,
	    1) != HTTP_STATUS_CONTINUE) {
		if (cause != NULL)
			*cause = xasprintf("%s: cannot send document: %s",
			    what, cupsLastErrorString());
		cancel = 1;
		goto out;
	}
	if (len > 0 && cupsWriteRequestData(http, data, len) !=
	    HTTP_STATUS_CONTINUE) {
		if (cause != NULL)
			*cause = xasprintf("%s: cannot send document: %s",
			    what, cupsLastErrorString());
		cupsFinishDestDocument(http, dest, info);
		cancel = 1;
		goto out;
	}
	if (!print_ok(cupsFinishDestDocument(http, dest, info))) {
		if (cause != NULL)
			*cause = xasprintf("%s: document not accepted: %s",
			    what, cupsLastErrorString());
		cancel = 1;
		goto out;
	}
	job = id;
	if (out != NULL)
		*out = got;
out:
	if (cancel)
		cupsCancelDestJob(http, dest, id);
	cupsFreeDestInfo(info);
	cupsFreeDests(dest != NULL ? 1 : 0, dest);
	httpClose(http);
	return job;
}

int
print_job_info(int job_id, struct print_job *out, char **cause)
{
	http_t	*http;
	int	 rc;

	memset(out, 0, sizeof *out);
	out->id = job_id;
	if ((http = print_connect(cause)) == NULL)
		return -1;
	rc = print_job_ask(http, job_id, out, cause);
	httpClose(http);
	return rc;
}
