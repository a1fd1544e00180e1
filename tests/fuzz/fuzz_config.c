/*
 * Configuration files (config/config.h): the input is written to a file
 * and loaded as the --config file, with no system or user file and no
 * POS_* variables. Loading either succeeds (and the result prints) or fails
 * with a message naming the file; nothing leaks either way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

extern char **environ;

static char *config_file;
static FILE *devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *home, *name;
	size_t n;

	(void)argc;
	(void)argv;
	/* POS_* variables are a layer of their own: none may leak in. */
	for (size_t i = 0; environ[i] != NULL;) {
		if (strncmp(environ[i], "POS_", 4) == 0) {
			n = strcspn(environ[i], "=");
			name = strndup(environ[i], n);
			unsetenv(name);
			free(name);
			continue;
		}
		i++;
	}
	home = fuzz_path("home");
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);	/* no pos/pos.conf in it */
	setenv("XDG_DATA_HOME", home, 1);
	setenv("POS_SYSTEM_CONFIG", "", 1);	/* set and empty: none */
	free(home);
	config_file = fuzz_path("pos.conf");
	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char *cause = NULL;

	fuzz_write_file(config_file, data, size);
	memset(&cfg, 0, sizeof cfg);
	if (config_load(&cfg, config_file, &cause) == 0) {
		if (cause != NULL)
			fuzz_fail("config_load succeeded with a cause: %s", cause);
		if (cfg.currency.decimals < 0 || cfg.currency.decimals > 3)
			fuzz_fail("decimals %d accepted", cfg.currency.decimals);
		config_print(&cfg, devnull);
		config_free(&cfg);
		return 0;
	}
	if (cause == NULL || cause[0] == '\0')
		fuzz_fail("config_load failed with no message");
	if (strstr(cause, "pos.conf") == NULL)
		fuzz_fail("the message does not name the file: %s", cause);
	free(cause);
	/* "*cfg is then left freed": freeing again must be harmless. */
	config_free(&cfg);
	return 0;
}
