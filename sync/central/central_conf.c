/*
 * The keys of central.conf, one row each, and loading them (central_conf.h).
 * The db value is handed to the store as it is: what it may name is the
 * store's business.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "central_conf.h"
#include "config.h"

#define nitems(a) (sizeof (a) / sizeof (a)[0])

static const char *const central_conf_levels[] = {
	"error", "warning", "info", "debug", NULL
};

static const char *const central_conf_digits[] = {
	"western", "arabic-indic", NULL
};

static const struct config_entry central_conf_rows[] = {
	{ .section = "server", .key = "listen", .type = CONFIG_STRING,
	  .default_str = "",
	  .help = "ADDR:PORT or [ADDR6]:PORT to serve on; port 0 picks one",
	  .offset = offsetof(struct central_conf, server.listen) },
	{ .section = "server", .key = "db", .type = CONFIG_PATH,
	  .default_str = "/var/lib/pos-central/central.db",
	  .help = "the central store; used when a configuration file or the "
	      "variable gives it, else --db is required",
	  .offset = offsetof(struct central_conf, server.db) },
	{ .section = "server", .key = "tls_cert", .type = CONFIG_PATH,
	  .default_str = "",
	  .help = "PEM certificate chain for HTTPS; with tls_key, or neither",
	  .offset = offsetof(struct central_conf, server.tls_cert) },
	{ .section = "server", .key = "tls_key", .type = CONFIG_PATH,
	  .default_str = "",
	  .help = "PEM private key for HTTPS",
	  .offset = offsetof(struct central_conf, server.tls_key) },
	{ .section = "server", .key = "threads", .type = CONFIG_INT,
	  .min = 1, .max = 64, .default_num = 4,
	  .help = "worker threads, each with its own store connection",
	  .offset = offsetof(struct central_conf, server.threads) },
	{ .section = "server", .key = "max_body", .type = CONFIG_INT,
	  .min = 1024, .max = 1 << 30, .default_num = 4 << 20,
	  .help = "largest request body in bytes",
	  .offset = offsetof(struct central_conf, server.max_body) },
	{ .section = "central", .key = "public_url", .type = CONFIG_URL,
	  .default_str = "",
	  .help = "http(s) address the windows reach this server at, for "
	      "their [sync] url",
	  .offset = offsetof(struct central_conf, central.public_url) },
	{ .section = "central", .key = "link_key", .type = CONFIG_PATH,
	  .default_str = "/var/lib/pos-central/link.key",
	  .help = "the key producers' page links are made with (made 0600 "
	      "on first use; a new key changes every link)",
	  .offset = offsetof(struct central_conf, central.link_key) },
	{ .section = "log", .key = "level", .type = CONFIG_KEYWORD,
	  .choices = central_conf_levels, .default_str = "info",
	  .help = "the least severe messages written to standard error",
	  .offset = offsetof(struct central_conf, log.level) },
	{ .section = "currency", .key = "decimals", .type = CONFIG_INT,
	  .min = 0, .max = 3, .default_num = 0,
	  .help = "minor-unit digits of the catalogue's prices, as the "
	      "windows' [currency] decimals",
	  .offset = offsetof(struct central_conf, currency.decimals) },
	{ .section = "currency", .key = "digits", .type = CONFIG_ENUM,
	  .choices = central_conf_digits, .default_str = "western",
	  .help = "digits the office's pages show amounts with, as the "
	      "windows' [currency] digits",
	  .offset = offsetof(struct central_conf, currency.digits) },
};

_Static_assert(nitems(central_conf_rows) == CENTRAL_CONF_NKEYS,
    "CENTRAL_CONF_NKEYS counts the rows");

static const struct config_table central_conf_table = {
	.rows = central_conf_rows, .nrows = nitems(central_conf_rows),
	.env_prefix = "POS_CENTRAL",
};

int
central_conf_load(struct central_conf *cc, const char *file, char **cause)
{
	const char *system;

	memset(cc, 0, sizeof *cc);
	config_table_defaults(&central_conf_table, cc);
	if (file != NULL) {
		if (config_table_file(&central_conf_table, cc, cc->where, file,
		    1, cause) != POS_OK)
			goto fail;
		cc->file = file;
	} else {
		if ((system = getenv("POS_CENTRAL_SYSTEM_CONFIG")) == NULL)
			system = CENTRAL_CONF_FILE;
		if (*system != '\0') {
			if (config_table_file(&central_conf_table, cc,
			    cc->where, system, 0, cause) != POS_OK)
				goto fail;
			/* A missing system file is no file. */
			if (access(system, F_OK) == 0)
				cc->file = system;
		}
	}
	if (config_table_environ(&central_conf_table, cc, cc->where,
	    cause) != POS_OK)
		goto fail;
	return POS_OK;
fail:
	central_conf_free(cc);
	return POS_INPUT;
}

bool
central_conf_db_given(const struct central_conf *cc)
{
	if (cc->file != NULL)
		return true;
	for (size_t i = 0; i < nitems(central_conf_rows); i++)
		if (central_conf_rows[i].offset ==
		    offsetof(struct central_conf, server.db))
			return cc->where[i] != NULL;
	return false;
}

void
central_conf_free(struct central_conf *cc)
{
	config_table_free(&central_conf_table, cc, cc->where);
	memset(cc, 0, sizeof *cc);
}

void
central_conf_print(const struct central_conf *cc, FILE *out)
{
	config_table_print(&central_conf_table, cc, cc->where, out);
}

void
central_conf_keys(FILE *out)
{
	config_table_help(&central_conf_table, out);
}

void
central_conf_man(FILE *out)
{
	config_table_man(&central_conf_table, out);
}
