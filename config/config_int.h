/*
 * What the files of the configuration share and nothing else uses: the
 * table of keys (config_keys.c) and what the loader (config.c) needs of
 * it.
 */
#ifndef POS_CONFIG_INT_H
#define POS_CONFIG_INT_H

#include <stddef.h>

#include "config.h"


enum config_type {
	CONFIG_STRING,
	CONFIG_PATH,
	CONFIG_TIMEZONE,	/* IANA name under CONFIG_ZONEINFO */
	CONFIG_URL,		/* "" or http:// or https:// */
	CONFIG_CODE,		/* three uppercase ASCII letters */
	CONFIG_INT,		/* min..max, or one of choices if set */
	CONFIG_ENUM,		/* one of choices, stored as its index */
	CONFIG_KEYWORD,		/* one of choices, stored as a copy */
};

/*
 * One row per key. Text types store a char * (owned by struct config); INT
 * and ENUM store an int. A text key may be empty only if its default is "".
 */
struct config_entry {
	const char		*section;
	const char		*key;
	enum config_type	 type;
	long			 min;
	long			 max;
	const char *const	*choices;	/* NULL-terminated */
	const char		*default_str;	/* all types but INT */
	long			 default_num;	/* INT */
	char			*(*default_fn)(void);	/* caller frees */
	const char		*default_text;	/* how help shows default_fn */
	const char		*help;
	size_t			 offset;
};

/* One row per key, in the order `pos config check` shows them. */
extern const struct config_entry config_table[];
extern const size_t config_nkeys;

/*
 * $VAR/rest, or $HOME/fallback/rest when VAR is unset or not absolute (as the
 * XDG base directory spec says). NULL if there is no home. Caller frees.
 */
char	*config_xdg_path(const char *var, const char *fallback,
	    const char *rest);

/*
 * Set key idx of cfg to value, remembering where (consumed, even on error).
 * Returns POS_OK, or POS_FAIL with *why (caller frees) and cfg unchanged.
 */
int	 config_set(struct config *cfg, size_t idx, const char *value,
	    char *where, char **why);

/* Whether any key is in section. */
int	 config_section_known(const char *section);

/* The row of section and key in *idx: POS_OK, or POS_FAIL when there is none. */
int	 config_find(const char *section, const char *key, size_t *idx);

#endif
