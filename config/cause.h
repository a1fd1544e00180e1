/*
 * How a failure goes back to the caller (STYLE.md): a status, which is also
 * a program's exit code, and a message in an optional char **cause that the
 * caller frees and shows as it likes.
 */
#ifndef POS_CAUSE_H
#define POS_CAUSE_H

/* Status codes; they are also the exit codes of pos and pos-central. */
enum {
	POS_OK = 0,
	POS_FAIL = 1,		/* the store or the system failed */
	POS_INPUT = 2,		/* bad input, usage, or a rule conflict */
	POS_DENIED = 3		/* authority or day state */
};

/*
 * Set *cause (freeing what it held) to a formatted message and return rc.
 * cause may be NULL when the caller only wants the status.
 */
int	 cause_set(char **cause, int rc, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
