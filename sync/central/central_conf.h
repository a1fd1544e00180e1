/*
 * pos-central's configuration file, /etc/pos/central.conf (central.conf(5)):
 * one row per key in central_conf.c, read by the window's loader
 * (config.h), so it has the same syntax and error style. Layers: defaults <
 * the file < POS_CENTRAL_<SECTION>_<KEY>; the command-line flags win over
 * all of them (central.c). Without --config the file at
 * POS_CENTRAL_SYSTEM_CONFIG (tests; set and empty: none) or else
 * /etc/pos/central.conf is read if it exists.
 */
#ifndef POS_CENTRAL_CONF_H
#define POS_CENTRAL_CONF_H

#include <stdbool.h>
#include <stdio.h>

#define CENTRAL_CONF_FILE	"/etc/pos/central.conf"
#define CENTRAL_CONF_NKEYS	11

struct central_conf {
	struct {
		char	*listen;	/* "" = none; --listen needed */
		char	*db;		/* passed to the store as it is */
		char	*tls_cert;
		char	*tls_key;
		int	 threads;
		int	 max_body;	/* bytes */
	} server;
	struct {
		char	*public_url;	/* "" = not said */
		char	*link_key;	/* producers' link key file */
	} central;
	struct {
		char	*level;		/* error | warning | info | debug */
	} log;
	struct {
		int	 decimals;	/* of the catalogue's prices */
		int	 digits;	/* enum config_digits, for the pages */
	} currency;

	const char	*file;		/* the file read, or NULL; not owned */
	char		*where[CENTRAL_CONF_NKEYS];	/* see config.h */
};

/*
 * Fill *cc from all layers; file is --config (must exist) or NULL. On error
 * returns POS_INPUT with *cause (caller frees) naming file:line or the
 * variable; *cc is then freed.
 */
int	 central_conf_load(struct central_conf *cc, const char *file,
	    char **cause);
/* Whether the db value came from the file or the environment. */
bool	 central_conf_db_given(const struct central_conf *cc);
void	 central_conf_free(struct central_conf *cc);

/* `config check`: every value with where it came from. */
void	 central_conf_print(const struct central_conf *cc, FILE *out);
/* `config keys`: every key with its type, default and help. */
void	 central_conf_keys(FILE *out);
/* The keys as central.conf(5) lists them. */
void	 central_conf_man(FILE *out);

#endif
