/*
 * Our own shared modules (the print module, the network module): heavy
 * libraries `pos` loads with dlopen() only when it needs them.
 */
#ifndef POS_MODULE_H
#define POS_MODULE_H

/*
 * Open soname: the path in environment variable env if set; else beside
 * the program as built (../build_dir/) or installed (../lib/pos/,
 * ../lib/<arch>/pos/, or the configured LIBDIR/pos relative to BINDIR);
 * else by name through the library path. `pos` has no RUNPATH (see
 * pos/CMakeLists.txt), and under a sanitizer dlopen() runs from the
 * sanitizer's library anyway. NULL with *cause ("WHAT is not available:
 * ...") when it cannot be opened.
 */
void	*module_open(const char *soname, const char *build_dir,
	    const char *env, const char *what, char **cause);

#endif
