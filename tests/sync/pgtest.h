/*
 * For the central store's unit tests: where to make a store. On SQLite (the
 * default) a file in dir; with POS_TEST_PG_HOST set (pg_run.py starts a
 * private PostgreSQL cluster and sets it to the socket directory, and
 * POS_TEST_PG_PORT) a new empty database in that cluster, by its URI.
 * Caller frees.
 */
#ifndef POS_PGTEST_H
#define POS_PGTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "xalloc.h"

static inline char *
pgtest_store(const char *dir, const char *name)
{
	static int seq;
	const char *host = getenv("POS_TEST_PG_HOST");
	const char *port = getenv("POS_TEST_PG_PORT");
	char *conninfo, *sql, *uri;
	PGconn *c;
	PGresult *r;

	if (host == NULL || *host == '\0')
		return xasprintf("%s/%s", dir, name);
	conninfo = xasprintf("postgresql:///postgres?host=%s&port=%s&user=pos",
	    host, port != NULL ? port : "5432");
	c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "pgtest: %s", PQerrorMessage(c));
		abort();
	}
	sql = xasprintf("CREATE DATABASE u%ld_%d", (long)getpid(), ++seq);
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "pgtest: %s", PQerrorMessage(c));
		abort();
	}
	PQclear(r);
	PQfinish(c);
	uri = xasprintf("postgresql:///u%ld_%d?host=%s&port=%s&user=pos",
	    (long)getpid(), seq, host, port != NULL ? port : "5432");
	free(sql);
	free(conninfo);
	return uri;
}

#endif
