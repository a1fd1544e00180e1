/*
 * Finding and opening our modules (see module.h).
 */
#include "module.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "xalloc.h"

static void *
module_try(const char *path, const char *what, char **cause)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL)
		cause_set(cause, POS_FAIL, "%s is not available: %s", what,
		    dlerror());
	return h;
}

void *
module_open(const char *soname, const char *build_dir, const char *env,
    const char *what, char **cause)
{
	const char *given = getenv(env);
	char exe[4096], *slash, *path;
	char *rel[4];
	ssize_t n;
	void *h = NULL;
	size_t i;

	if (given != NULL && *given != '\0')
		return module_try(given, what, cause);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		rel[0] = xasprintf("../%s/%s", build_dir, soname);
		rel[1] = xasprintf("../lib/pos/%s", soname);
		rel[2] = xasprintf("../lib/%s/pos/%s", POS_MULTIARCH, soname);
		rel[3] = xasprintf("%s/%s", POS_MODULE_DIR, soname);
		for (i = 0; i < 4; i++) {
			path = xasprintf("%s/%s", exe, rel[i]);
			if (access(path, R_OK) == 0) {
				h = module_try(path, what, cause);
				free(path);
				break;
			}
			free(path);
		}
		for (size_t j = 0; j < 4; j++)
			free(rel[j]);
		if (i < 4)
			return h;
	}
	return module_try(soname, what, cause);
}
