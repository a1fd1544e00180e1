/*
 * Allocation that cannot fail: out of memory is fatal (STYLE.md). config/ is
 * the bottom of the target graph, so it hosts these for every module.
 * A program that owns the terminal registers xalloc_set_fatal_hook() so the
 * terminal is restored before the process aborts.
 */
#ifndef POS_XALLOC_H
#define POS_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Caller frees. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));
void	 xalloc_set_fatal_hook(void (*)(void));
_Noreturn void xalloc_fatal(const char *what);

#endif
