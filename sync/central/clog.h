/*
 * pos-central's log: one line per message on standard error, with its
 * level ("pos-central: info: ..."). Under systemd (JOURNAL_STREAM set) each
 * line starts with the <N> priority journald reads instead of the level
 * word. Messages below the level set are dropped. Callers never pass a
 * token, a PIN or a request body: only names, numbers and reasons.
 */
#ifndef POS_CLOG_H
#define POS_CLOG_H

enum clog_level { CLOG_ERROR, CLOG_WARNING, CLOG_INFO, CLOG_DEBUG };

/* Set the level by name (error, warning, info, debug); -1 if unknown. */
int	 clog_set_level(const char *name);
/* Whether messages of level are written. */
int	 clog_enabled(enum clog_level level);
void	 clog_msg(enum clog_level level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
