/*
 * Configuration: built-in defaults < /etc/pos/pos.conf <
 * $XDG_CONFIG_HOME/pos/pos.conf < --config FILE < POS_<SECTION>_<KEY>.
 *
 * POS_SYSTEM_CONFIG, when set, is used instead of /etc/pos/pos.conf (for
 * tests); set and empty, no system file is read. The system and user files
 * are optional; the --config file must exist. XDG_CONFIG_HOME defaults to
 * $HOME/.config and XDG_DATA_HOME to $HOME/.local/share. A variable such as
 * POS_SYNC_URL that is set, even to "", overrides the files; its value is
 * taken literally (no quotes are stripped). Other POS_* variables are not
 * ours to judge and are ignored.
 *
 * In files, a value may be wrapped in double quotes, which are stripped;
 * outside them, ';' after a space starts a comment. Leading whitespace is
 * ignored, so there are no continuation lines. A line may hold at most 199
 * bytes.
 *
 * Every key is one row of the table in config_keys.c (section, key, type,
 * bounds, default, help); `pos config check` and the help text are generated
 * from it.
 * Unknown sections and keys are errors. An error names where it came from:
 *   pos.conf:12: [currency] decimals: must be 0..3, got "x"
 *   POS_CURRENCY_DECIMALS: [currency] decimals: must be 0..3, got "x"
 */
#ifndef POS_CONFIG_H
#define POS_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "cause.h"

struct config_sources;

enum config_digits { CONFIG_DIGITS_WESTERN, CONFIG_DIGITS_ARABIC_INDIC };

struct config {
	struct {
		char	*name;
		char	*address;
		char	*phone;
		char	*footer;
		char	*timezone;	/* IANA name, for the business date */
		char	*receipt_url;	/* http(s) base of the QR's link; "" none */
	} window;
	struct {
		char	*path;		/* default $XDG_DATA_HOME/pos/window.db */
		char	*backup_dir;	/* "" = no backup at close of day */
		int	 backup_keep;	/* backups kept there, newest first */
	} store;
	struct {
		char	*code;
		char	*symbol;
		int	 decimals;	/* 0..3 */
		enum config_digits digits;
	} currency;
	struct {
		char	*name;		/* CUPS destination; "" = CUPS default */
		char	*format;	/* escpos | escpos-raster | pdf | text */
		int	 paper;		/* 58 | 80 (mm) */
		int	 copies;
	} printer;
	struct {
		char	*url;		/* "" = no central server */
		char	*token_file;
		char	*ca_file;
		int	 interval;	/* seconds */
		int	 batch;		/* entries per batch */
	} sync;
	struct {
		char	*language;	/* "" = from the locale, else en | ar */
		char	*bidi;		/* terminal | fribidi */
	} ui;

	/* Private to config_keys.c: where each value came from (config_print). */
	struct config_sources *sources;
};

/*
 * Fill *cfg from all layers. file may be NULL (no --config). On error returns
 * POS_FAIL and sets *cause (caller frees) to a message naming file:line or the
 * variable, section and key; *cfg is then left freed. Returns POS_OK on success.
 */
int	 config_load(struct config *cfg, const char *file, char **cause);

/*
 * Load only the defaults (for tests and tools that take no files). *cfg is
 * overwritten, not freed; release it with config_free.
 */
void	 config_defaults(struct config *cfg);
/* Free what *cfg holds and zero it; safe on a zeroed or already freed cfg. */
void	 config_free(struct config *cfg);

/* Print the effective configuration, each key with where its value came from. */
void	 config_print(const struct config *cfg, FILE *out);

/* Print every key with its type, bounds, default and help text. */
void	 config_help(FILE *out);
/* The same for pos.conf(5): roff, .SS per section and .TP per key. */
void	 config_man(FILE *out);
/* s as text on a roff line: no request at its start, escapes and '-' quoted. */
void	 config_man_text(FILE *out, const char *s);

/*
 * Any INI file read the same way: pos.conf above, central.conf in
 * sync/central. A table has one row per key; the values live in the
 * caller's struct at each row's offset (text types a char * the struct
 * owns, INT and ENUM an int), and where[i], an array of nrows the caller
 * owns, says where row i's value came from ("from FILE:LINE", "env NAME";
 * NULL: the default). Errors read as the window's do:
 *   central.conf:3: [server] threads: must be 1..64, got "x"
 */
enum config_type {
	CONFIG_STRING,
	CONFIG_PATH,
	CONFIG_TIMEZONE,	/* IANA name under /usr/share/zoneinfo */
	CONFIG_URL,		/* "" or http:// or https:// */
	CONFIG_CODE,		/* three uppercase ASCII letters */
	CONFIG_INT,		/* min..max, or one of choices if set */
	CONFIG_ENUM,		/* one of choices, stored as its index */
	CONFIG_KEYWORD,		/* one of choices, stored as a copy */
};

/* One row per key. A text key may be empty only if its default is "". */
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

struct config_table {
	const struct config_entry *rows;
	size_t			 nrows;
	const char		*env_prefix;	/* "POS": POS_<SECTION>_<KEY> */
};

/* Every row's default into base (text copies: free with config_table_free). */
void	 config_table_defaults(const struct config_table *t, void *base);
/* Free base's text values and where's strings (not where itself). */
void	 config_table_free(const struct config_table *t, void *base,
	    char **where);

/*
 * Apply one file; a missing file is skipped unless required. Returns POS_OK,
 * or POS_FAIL with *cause (caller frees) naming file:line; values read
 * before the error stay set.
 */
int	 config_table_file(const struct config_table *t, void *base,
	    char **where, const char *file, int required, char **cause);
/* Apply every <PREFIX>_<SECTION>_<KEY> that is set; errors as above. */
int	 config_table_environ(const struct config_table *t, void *base,
	    char **where, char **cause);

/* The effective values, each with where it came from (`config check`). */
void	 config_table_print(const struct config_table *t, const void *base,
	    char *const *where, FILE *out);
/* Every key with its type, bounds, default and help (`config keys`). */
void	 config_table_help(const struct config_table *t, FILE *out);
/* The same as a man page's list of keys (.SS per section, .TP per key). */
void	 config_table_man(const struct config_table *t, FILE *out);

#endif
