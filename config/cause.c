#include "cause.h"

#include <stdarg.h>
#include <stdlib.h>

#include "xalloc.h"

int
cause_set(char **cause, int rc, const char *fmt, ...)
{
	va_list ap;

	if (cause != NULL) {
		free(*cause);
		va_start(ap, fmt);
		*cause = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return rc;
}
