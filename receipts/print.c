/*
 * CUPS destination API: cupsGetNamedDest, cupsCopyDestInfo,
 * cupsCreateDestJob, cupsStartDestDocument, cupsWriteRequestData,
 * cupsFinishDestDocument; cupsGetJobs2 for states. Our own http_t per call
 * (httpConnect2 with a timeout) instead of CUPS_HTTP_DEFAULT, whose
 * connect can block for much longer.
 */
#include "print.h"

#include <cups/cups.h>
#include <errno.h>
#include <string.h>

#include "xalloc.h"

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
    const void *data, size_t len, char **cause)
{
	http_t		*http;
	cups_dest_t	*dest = NULL;
	cups_dinfo_t	*info = NULL;
	const char	*what = name != NULL ? name : "(default)";
	int		 job = 0, id = 0, cancel = 0;

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
	if (!print_ok(cupsCreateDestJob(http, dest, info, &id, title, 0,
	    NULL)) || id <= 0) {
		if (cause != NULL)
			*cause = xasprintf("%s: job not accepted: %s", what,
			    cupsLastErrorString());
		id = 0;
		goto out;
	}
	if (cupsStartDestDocument(http, dest, info, id, title, format, 0, NULL,
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
out:
	if (cancel)
		cupsCancelDestJob(http, dest, id);
	cupsFreeDestInfo(info);
	cupsFreeDests(dest != NULL ? 1 : 0, dest);
	httpClose(http);
	return job;
}

int
print_job_state(int job_id, char **cause)
{
	http_t		*http;
	cups_job_t	*jobs = NULL;
	int		 n, i, state = -1;

	if ((http = print_connect(cause)) == NULL)
		return -1;
	n = cupsGetJobs2(http, &jobs, NULL, 0, CUPS_WHICHJOBS_ALL);
	if (n < 0) {
		if (cause != NULL)
			*cause = xasprintf("cannot list CUPS jobs: %s",
			    cupsLastErrorString());
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (jobs[i].id == job_id)
			state = (int)jobs[i].state;
	}
	if (state == -1 && cause != NULL)
		*cause = xasprintf("no CUPS job %d", job_id);
	cupsFreeJobs(n, jobs);
out:
	httpClose(http);
	return state;
}

const char *
print_state_name(int state)
{
	static const char	*names[] = { "pending", "held", "processing",
				    "stopped", "canceled", "aborted",
				    "completed" };

	if (state < PRINT_PENDING || state > PRINT_COMPLETED)
		return "unknown";
	return names[state - PRINT_PENDING];
}
