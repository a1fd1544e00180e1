/*
 * The log of pos-central (clog.h). One fprintf per line: stdio locks the
 * stream for each call, so lines from different threads do not mix.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clog.h"
#include "xalloc.h"

static const char *const clog_names[] = { "error", "warning", "info",
	"debug" };
/* The syslog priorities journald reads from "<N>" (sd-daemon.h). */
static const int clog_priority[] = { 3, 4, 6, 7 };

static atomic_int clog_level = CLOG_INFO;

int
clog_set_level(const char *name)
{
	for (int i = 0; i <= CLOG_DEBUG; i++) {
		if (strcmp(name, clog_names[i]) == 0) {
			atomic_store(&clog_level, i);
			return 0;
		}
	}
	return -1;
}

int
clog_enabled(enum clog_level level)
{
	return (int)level <= atomic_load(&clog_level);
}

void
clog_msg(enum clog_level level, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (!clog_enabled(level))
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	/* Not our line ends: a reason quoted from outside stays one line. */
	for (char *p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (getenv("JOURNAL_STREAM") != NULL)
		fprintf(stderr, "<%d>pos-central: %s\n", clog_priority[level],
		    msg);
	else
		fprintf(stderr, "pos-central: %s: %s\n", clog_names[level],
		    msg);
	free(msg);
}
