/*
 * What the files of the configuration share and nothing else uses: the
 * table of keys (config_keys.c) and what the loader (config.c) needs of
 * it.
 */
#ifndef POS_CONFIG_INT_H
#define POS_CONFIG_INT_H

#include <stddef.h>

#include "config.h"


/* The window's table: one row per key, in the order `pos config check` shows. */
extern const struct config_table config_window;

/* Where each of cfg's values came from, for the config_table_* functions. */
char	**config_sources_where(struct config *cfg);

/*
 * $VAR/rest, or $HOME/fallback/rest when VAR is unset or not absolute (as the
 * XDG base directory spec says). NULL if there is no home. Caller frees.
 */
char	*config_xdg_path(const char *var, const char *fallback,
	    const char *rest);

#endif
