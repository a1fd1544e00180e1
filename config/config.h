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

#endif
