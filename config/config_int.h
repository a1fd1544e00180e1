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
 * Set row idx of base to value, remembering from (consumed, even on error).
 * Returns POS_OK, or POS_FAIL with *why (caller frees) and base unchanged.
 */
int	 config_table_set(const struct config_table *t, void *base,
	    char **where, size_t idx, const char *value, char *from,
	    char **why);
/* Whether any key is in section. */
int	 config_table_section_known(const struct config_table *t,
	    const char *section);
/* The row of section and key in *idx: POS_OK, or POS_FAIL when there is none. */
int	 config_table_find(const struct config_table *t, const char *section,
	    const char *key, size_t *idx);
/* <PREFIX>_<SECTION>_<KEY> of a row, upper case, into buf. */
void	 config_table_env_name(const struct config_table *t,
	    const struct config_entry *ce, char *buf, size_t len);

/*
 * $VAR/rest, or $HOME/fallback/rest when VAR is unset or not absolute (as the
 * XDG base directory spec says). NULL if there is no home. Caller frees.
 */
char	*config_xdg_path(const char *var, const char *fallback,
	    const char *rest);

#endif
