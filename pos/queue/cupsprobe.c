/*
 * The CUPS server as libcups 2.4 chooses it (cupsServer(), ippPort()), and
 * one connection attempt to it. Only local servers are tried: a Unix
 * socket, or localhost over loopback, where a refusal is immediate.
 */
#include "cupsprobe.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

#define CUPSPROBE_SOCKET	"/run/cups/cups.sock"
#define CUPSPROBE_WAIT_MS	200

/* ServerName of a client.conf, or NULL. Caller frees. */
static char *
cupsprobe_conf(const char *path)
{
	char line[1024], *p, *end, *found = NULL;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL)
		return NULL;
	while (fgets(line, sizeof line, f) != NULL) {
		p = line + strspn(line, " \t");
		if (strncasecmp(p, "ServerName", 10) != 0 ||
		    (p[10] != ' ' && p[10] != '\t'))
			continue;
		p += 10 + strspn(p + 10, " \t");
		end = p + strcspn(p, " \t\r\n");
		*end = '\0';
		if (*p != '\0') {
			free(found);
			found = xstrdup(p);
		}
	}
	fclose(f);
	return found;
}

/* The server libcups would use: a socket path or host[:port]. */
static char *
cupsprobe_server(void)
{
	const char *env = getenv("CUPS_SERVER"), *home, *root;
	char *path, *s;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if ((home = getenv("HOME")) != NULL) {
		path = xasprintf("%s/.cups/client.conf", home);
		s = cupsprobe_conf(path);
		free(path);
		if (s != NULL)
			return s;
	}
	if ((root = getenv("CUPS_SERVERROOT")) == NULL)
		root = "/etc/cups";
	path = xasprintf("%s/client.conf", root);
	s = cupsprobe_conf(path);
	free(path);
	if (s != NULL)
		return s;
	if (access(CUPSPROBE_SOCKET, R_OK) == 0)
		return xstrdup(CUPSPROBE_SOCKET);
	return xstrdup("localhost");
}

/* Connect fd to sa, waiting at most CUPSPROBE_WAIT_MS: 0 or -1. */
static int
cupsprobe_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	int err = 0;
	socklen_t el = sizeof err;

	if (connect(fd, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return -1;
	if (poll(&pfd, 1, CUPSPROBE_WAIT_MS) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 || err != 0)
		return -1;
	return 0;
}

static bool
cupsprobe_unix(const char *path)
{
	struct sockaddr_un sun;
	int fd, r;

	if (strlen(path) >= sizeof sun.sun_path)
		return false;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return false;
	r = cupsprobe_connect(fd, (struct sockaddr *)&sun, sizeof sun);
	close(fd);
	return r != 0;
}

static bool
cupsprobe_loopback(int port)
{
	struct sockaddr_in sin;
	int fd, r;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return false;
	r = cupsprobe_connect(fd, (struct sockaddr *)&sin, sizeof sin);
	close(fd);
	return r != 0;
}

bool
cupsprobe_absent(void)
{
	const char *env = getenv("IPP_PORT");
	char *server = cupsprobe_server(), *colon, *end;
	long port = 631;
	bool absent = false;

	if (server[0] == '/') {
		absent = cupsprobe_unix(server);
		goto out;
	}
	if (env != NULL && *env != '\0')
		port = strtol(env, &end, 10);
	server[strcspn(server, "/")] = '\0';	/* host:port/version=1.1 */
	if ((colon = strrchr(server, ':')) != NULL &&
	    strchr(server, ':') == colon) {
		*colon = '\0';
		port = strtol(colon + 1, &end, 10);
	}
	if (port < 1 || port > 65535)
		goto out;
	if (strcmp(server, "localhost") == 0 ||
	    strcmp(server, "127.0.0.1") == 0)
		absent = cupsprobe_loopback((int)port);
out:
	free(server);
	return absent;
}
