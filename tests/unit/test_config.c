/*
 * Unit tests for config/config.c: the layers, every key, every error form.
 *
 * Each test runs in a fresh temporary directory that is also $HOME, with
 * every POS_* variable and XDG_* directory variable cleared and
 * POS_SYSTEM_CONFIG pointing at a file there that does not exist yet.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "xalloc.h"

extern char **environ;

#define FX_MAX_PATHS 16

struct fixture {
	char	 dir[PATH_MAX];
	char	 cwd[PATH_MAX];
	char	*paths[FX_MAX_PATHS];	/* freed by teardown */
	int	 npaths;
};

static void
clear_pos_environment(void)
{
	char	*names[256], *eq;
	size_t	 n = 0, i;
	char	**e;

	for (e = environ; *e != NULL && n < 256; e++) {
		if (strncmp(*e, "POS_", 4) != 0)
			continue;
		if ((eq = strchr(*e, '=')) == NULL)
			continue;
		names[n] = strndup(*e, (size_t)(eq - *e));
		assert_non_null(names[n]);
		n++;
	}
	for (i = 0; i < n; i++) {
		unsetenv(names[i]);
		free(names[i]);
	}
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
}

static char *
fx_keep(struct fixture *fx, char *path)
{
	assert_true(fx->npaths < FX_MAX_PATHS);
	fx->paths[fx->npaths++] = path;
	return path;
}

static char *
fx_path(struct fixture *fx, const char *rel)
{
	char	*path;

	path = xasprintf("%s/%s", fx->dir, rel);
	return fx_keep(fx, path);
}

static void
write_all(int fd, const char *text, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, text, len);
		assert_true(n > 0);
		text += n;
		len -= (size_t)n;
	}
	assert_int_equal(close(fd), 0);
}

/* Write text to rel under the fixture directory, making parent dirs. */
static char *
fx_write(struct fixture *fx, const char *rel, const char *text)
{
	char	*path, *slash;
	int	 fd;

	path = fx_path(fx, rel);
	for (slash = strchr(path + strlen(fx->dir) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		assert_true(mkdir(path, 0700) == 0 || errno == EEXIST);
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	write_all(fd, text, strlen(text));
	return path;
}

/* Write text to a new mkstemp file in the fixture directory. */
static char *
fx_temp_n(struct fixture *fx, const char *text, size_t len)
{
	char	*path;
	int	 fd;

	path = fx_path(fx, "conf.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd != -1);
	write_all(fd, text, len);
	return path;
}

static char *
fx_temp(struct fixture *fx, const char *text)
{
	return fx_temp_n(fx, text, strlen(text));
}

/* Remove path and, if it is a directory, everything under it. */
static void
remove_tree(const char *path)
{
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	char		*child;

	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode) && (d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			child = xasprintf("%s/%s", path, de->d_name);
			remove_tree(child);
			free(child);
		}
		closedir(d);
	}
	remove(path);
}

static int
setup(void **state)
{
	struct fixture	*fx;
	const char	*tmp;

	fx = calloc(1, sizeof *fx);
	if (fx == NULL)
		return -1;
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(fx->dir, sizeof fx->dir, "%s/test_config.XXXXXX", tmp);
	if (mkdtemp(fx->dir) == NULL ||
	    getcwd(fx->cwd, sizeof fx->cwd) == NULL) {
		free(fx);
		return -1;
	}
	clear_pos_environment();
	setenv("HOME", fx->dir, 1);
	setenv("POS_SYSTEM_CONFIG", fx_path(fx, "system.conf"), 1);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	int		 i;

	if (chdir(fx->cwd) != 0)
		return -1;
	remove_tree(fx->dir);
	for (i = 0; i < fx->npaths; i++)
		free(fx->paths[i]);
	free(fx);
	clear_pos_environment();
	return 0;
}

static void
load_ok(struct config *cfg, const char *file)
{
	char	*cause = NULL;

	if (config_load(cfg, file, &cause) != 0) {
		fail_msg("config_load: %s", cause);
		free(cause);
	}
	assert_null(cause);
}

/* Load must fail with exactly expected and leave cfg zeroed (freed). */
static void
expect_error(const char *file, const char *expected)
{
	struct config	 cfg, zero;
	char		*cause = NULL;

	memset(&cfg, 0x5a, sizeof cfg);
	memset(&zero, 0, sizeof zero);
	assert_int_equal(config_load(&cfg, file, &cause), POS_FAIL);
	assert_non_null(cause);
	assert_string_equal(cause, expected);
	assert_memory_equal(&cfg, &zero, sizeof cfg);
	config_free(&cfg);
	free(cause);
}

static void
expect_env_error(const char *name, const char *value, const char *expected)
{
	setenv(name, value, 1);
	expect_error(NULL, expected);
	unsetenv(name);
}

/* The text config_print or config_help writes. Caller frees. */
static char *
capture(const struct config *cfg)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	if (cfg != NULL)
		config_print(cfg, f);
	else
		config_help(f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static int
count_lines(const char *s)
{
	int	n = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\n')
			n++;
	}
	return n;
}

static void
assert_defaults(const struct config *cfg, const char *home)
{
	char	*store;

	assert_string_equal(cfg->window.name, "Sales window");
	assert_string_equal(cfg->window.address, "");
	assert_string_equal(cfg->window.phone, "");
	assert_string_equal(cfg->window.footer, "Thank you");
	assert_string_equal(cfg->window.timezone, "Asia/Damascus");
	store = xasprintf("%s/.local/share/pos/window.db", home);
	assert_string_equal(cfg->store.path, store);
	free(store);
	assert_string_equal(cfg->currency.code, "SYP");
	assert_string_equal(cfg->currency.symbol, "ل.س");
	assert_int_equal(cfg->currency.decimals, 0);
	assert_int_equal(cfg->currency.digits, CONFIG_DIGITS_WESTERN);
	assert_string_equal(cfg->printer.name, "");
	assert_string_equal(cfg->printer.format, "escpos-raster");
	assert_int_equal(cfg->printer.paper, 80);
	assert_int_equal(cfg->printer.copies, 1);
	assert_string_equal(cfg->sync.url, "");
	assert_string_equal(cfg->sync.token_file, "");
	assert_string_equal(cfg->sync.ca_file, "");
	assert_int_equal(cfg->sync.interval, 60);
	assert_int_equal(cfg->sync.batch, 200);
	assert_string_equal(cfg->ui.language, "");
	assert_string_equal(cfg->ui.bidi, "terminal");
}

static void
defaults_follow_the_contract(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;

	config_defaults(&cfg);
	assert_defaults(&cfg, fx->dir);
	config_free(&cfg);
	config_free(&cfg);	/* a freed config may be freed again */
}

static void
load_without_any_file_gives_defaults(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*out;

	load_ok(&cfg, NULL);
	assert_defaults(&cfg, fx->dir);
	out = capture(&cfg);
	assert_non_null(strstr(out,
	    "[currency] decimals = \"0\"   # default\n"));
	assert_null(strstr(out, "# from"));
	assert_null(strstr(out, "# env"));
	free(out);
	config_free(&cfg);
}

static void
empty_pos_system_config_reads_no_system_file(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;

	fx_write(fx, "etc.conf", "[currency]\ndecimals = 2\n");
	setenv("POS_SYSTEM_CONFIG", "", 1);
	load_ok(&cfg, NULL);
	assert_int_equal(cfg.currency.decimals, 0);
	config_free(&cfg);
}

static void
store_path_follows_xdg_data_home(void **state)
{
	struct config	 cfg;

	(void)state;
	setenv("XDG_DATA_HOME", "/srv/data", 1);
	load_ok(&cfg, NULL);
	assert_string_equal(cfg.store.path, "/srv/data/pos/window.db");
	config_free(&cfg);

	/* A relative XDG_DATA_HOME is ignored, as the XDG spec says. */
	setenv("XDG_DATA_HOME", "relative", 1);
	load_ok(&cfg, NULL);
	assert_non_null(strstr(cfg.store.path, "/.local/share/pos/window.db"));
	config_free(&cfg);
}

static const char full_file[] =
	"; every key, with values that are not the defaults\n"
	"[window]\n"
	"name = Window 3\n"
	"address = \"12 Baghdad St, Damascus\"\n"
	"phone = +963 11 123 4567\n"
	"footer = شكراً لزيارتكم\n"
	"timezone = Europe/Berlin\n"
	"receipt_url = https://pos.example/w3\n"
	"[store]\n"
	"path = /var/lib/pos/w3.db\n"
	"backup_dir = /media/usb\n"
	"backup_keep = 14\n"
	"\n"
	"[currency]\n"
	"code = USD\n"
	"symbol = $\n"
	"decimals = 2\n"
	"digits = arabic-indic\n"
	"\n"
	"[printer]\n"
	"name = kitchen\n"
	"format = pdf\n"
	"paper = 58\n"
	"copies = 2\n"
	"\n"
	"[sync]\n"
	"url = https://central.example.com/api\n"
	"token_file = /etc/pos/token\n"
	"ca_file = /etc/pos/ca.pem\n"
	"interval = 300\n"
	"batch = 50\n"
	"\n"
	"[ui]\n"
	"language = ar\n"
	"bidi = fribidi\n";

static void
full_valid_file_sets_every_key(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*path, *out, *line;

	path = fx_temp(fx, full_file);
	load_ok(&cfg, path);
	assert_string_equal(cfg.window.name, "Window 3");
	assert_string_equal(cfg.window.address, "12 Baghdad St, Damascus");
	assert_string_equal(cfg.window.phone, "+963 11 123 4567");
	assert_string_equal(cfg.window.footer, "شكراً لزيارتكم");
	assert_string_equal(cfg.window.timezone, "Europe/Berlin");
	assert_string_equal(cfg.window.receipt_url, "https://pos.example/w3");
	assert_string_equal(cfg.store.path, "/var/lib/pos/w3.db");
	assert_string_equal(cfg.store.backup_dir, "/media/usb");
	assert_int_equal(cfg.store.backup_keep, 14);
	assert_string_equal(cfg.currency.code, "USD");
	assert_string_equal(cfg.currency.symbol, "$");
	assert_int_equal(cfg.currency.decimals, 2);
	assert_int_equal(cfg.currency.digits, CONFIG_DIGITS_ARABIC_INDIC);
	assert_string_equal(cfg.printer.name, "kitchen");
	assert_string_equal(cfg.printer.format, "pdf");
	assert_int_equal(cfg.printer.paper, 58);
	assert_int_equal(cfg.printer.copies, 2);
	assert_string_equal(cfg.sync.url, "https://central.example.com/api");
	assert_string_equal(cfg.sync.token_file, "/etc/pos/token");
	assert_string_equal(cfg.sync.ca_file, "/etc/pos/ca.pem");
	assert_int_equal(cfg.sync.interval, 300);
	assert_int_equal(cfg.sync.batch, 50);
	assert_string_equal(cfg.ui.language, "ar");
	assert_string_equal(cfg.ui.bidi, "fribidi");

	/* Every value now comes from the file. */
	out = capture(&cfg);
	assert_null(strstr(out, "# default"));
	line = xasprintf("[currency] decimals = \"2\"   # from %s:17\n",
	    path);
	assert_non_null(strstr(out, line));
	free(line);
	free(out);
	config_free(&cfg);
}

static void
system_file_overrides_defaults(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;

	fx_write(fx, "system.conf", "[currency]\ndecimals = 2\n");
	load_ok(&cfg, NULL);
	assert_int_equal(cfg.currency.decimals, 2);
	assert_string_equal(cfg.currency.code, "SYP");
	config_free(&cfg);
}

static void
user_file_overrides_system_file(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;

	fx_write(fx, "system.conf",
	    "[currency]\ndecimals = 2\ncode = EUR\n");
	fx_write(fx, "xdg/pos/pos.conf", "[currency]\ndecimals = 3\n");
	setenv("XDG_CONFIG_HOME", fx_path(fx, "xdg"), 1);
	load_ok(&cfg, NULL);
	assert_int_equal(cfg.currency.decimals, 3);
	assert_string_equal(cfg.currency.code, "EUR");
	config_free(&cfg);
}

static void
user_file_defaults_to_home_dot_config(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*out, *line;

	fx_write(fx, ".config/pos/pos.conf", "[printer]\ncopies = 4\n");
	load_ok(&cfg, NULL);
	assert_int_equal(cfg.printer.copies, 4);
	out = capture(&cfg);
	line = xasprintf("[printer] copies = \"4\"   "
	    "# from %s/.config/pos/pos.conf:2\n", fx->dir);
	assert_non_null(strstr(out, line));
	free(line);
	free(out);
	config_free(&cfg);
}

static void
config_file_overrides_user_file(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*path;

	fx_write(fx, "system.conf", "[sync]\ninterval = 10\nbatch = 10\n");
	fx_write(fx, ".config/pos/pos.conf", "[sync]\ninterval = 20\n");
	path = fx_temp(fx, "[sync]\ninterval = 30\n");
	load_ok(&cfg, path);
	assert_int_equal(cfg.sync.interval, 30);
	assert_int_equal(cfg.sync.batch, 10);
	config_free(&cfg);
}

static void
env_overrides_config_file(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*path, *out;

	path = fx_temp(fx, "[currency]\ndecimals = 2\n"
	    "[sync]\nurl = https://a.example\n");
	setenv("POS_CURRENCY_DECIMALS", "3", 1);
	setenv("POS_SYNC_URL", "", 1);	/* set and empty: no server */
	load_ok(&cfg, path);
	assert_int_equal(cfg.currency.decimals, 3);
	assert_string_equal(cfg.sync.url, "");
	out = capture(&cfg);
	assert_non_null(strstr(out, "[currency] decimals = \"3\"   "
	    "# env POS_CURRENCY_DECIMALS\n"));
	assert_non_null(strstr(out,
	    "[sync] url = \"\"   # env POS_SYNC_URL\n"));
	free(out);
	config_free(&cfg);
}

static void
env_may_set_every_kind_of_key(void **state)
{
	struct config	 cfg;

	(void)state;
	setenv("POS_WINDOW_NAME", "\"Window 7\"", 1);	/* taken literally */
	setenv("POS_STORE_PATH", "/data/w7.db", 1);
	setenv("POS_CURRENCY_DIGITS", "arabic-indic", 1);
	setenv("POS_PRINTER_PAPER", "58", 1);
	setenv("POS_SYNC_TOKEN_FILE", "/run/token", 1);
	setenv("POS_SYNC_CA_FILE", "/run/ca.pem", 1);
	setenv("POS_UI_LANGUAGE", "en", 1);
	setenv("POS_WINDOW_TIMEZONE", "UTC", 1);
	load_ok(&cfg, NULL);
	assert_string_equal(cfg.window.name, "\"Window 7\"");
	assert_string_equal(cfg.store.path, "/data/w7.db");
	assert_int_equal(cfg.currency.digits, CONFIG_DIGITS_ARABIC_INDIC);
	assert_int_equal(cfg.printer.paper, 58);
	assert_string_equal(cfg.sync.token_file, "/run/token");
	assert_string_equal(cfg.sync.ca_file, "/run/ca.pem");
	assert_string_equal(cfg.ui.language, "en");
	assert_string_equal(cfg.window.timezone, "UTC");
	config_free(&cfg);
}

static void
unrelated_pos_env_vars_are_ignored(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;

	setenv("POS_PIN", "1234", 1);
	setenv("POS_NOW", "2024-01-01T00:00:00Z", 1);
	setenv("POS_COLOURS_BACKGROUND", "blue", 1);
	setenv("POS_CURRENCY_COLOUR", "red", 1);
	setenv("POS_", "x", 1);
	load_ok(&cfg, NULL);
	assert_defaults(&cfg, fx->dir);
	config_free(&cfg);
}

static void
bad_int_names_file_line_and_key(void **state)
{
	struct fixture	*fx = *state;

	fx_write(fx, "pos.conf",
	    "# line 1\n"
	    "[window]\n"
	    "name = Shop\n"
	    "\n"
	    "[printer]\n"
	    "copies = 2\n"
	    "\n"
	    "; comment\n"
	    "\n"
	    "[currency]\n"
	    "code = SYP\n"
	    "decimals = x\n");
	assert_int_equal(chdir(fx->dir), 0);
	expect_error("pos.conf", "pos.conf:12: [currency] decimals: "
	    "must be 0..3, got \"x\"");
}

static void
unknown_key_names_file_line_and_key(void **state)
{
	struct fixture	*fx = *state;

	fx_write(fx, "pos.conf", "[currency]\ncode = SYP\ncolour = red\n");
	assert_int_equal(chdir(fx->dir), 0);
	expect_error("pos.conf", "pos.conf:3: [currency] colour: unknown key");
}

static void
unknown_section_names_file_and_line(void **state)
{
	struct fixture	*fx = *state;

	fx_write(fx, "pos.conf",
	    "[currency]\ncode = SYP\n\n; colours next\n[colours]\n"
	    "background = blue\n");
	assert_int_equal(chdir(fx->dir), 0);
	expect_error("pos.conf", "pos.conf:5: [colours]: unknown section");

	/* Even with no key under it. */
	fx_write(fx, "pos.conf", "[currency]\n[colours]\n");
	expect_error("pos.conf", "pos.conf:2: [colours]: unknown section");
}

static void
key_outside_a_section_is_an_error(void **state)
{
	struct fixture	*fx = *state;

	fx_write(fx, "pos.conf", "; no section yet\nname = Shop\n");
	assert_int_equal(chdir(fx->dir), 0);
	expect_error("pos.conf", "pos.conf:2: name: key outside any [section]");
}

static void
bad_env_int_names_the_variable(void **state)
{
	(void)state;
	expect_env_error("POS_CURRENCY_DECIMALS", "x",
	    "POS_CURRENCY_DECIMALS: [currency] decimals: "
	    "must be 0..3, got \"x\"");
}

static void
ints_reject_garbage_overflow_and_trailing_text(void **state)
{
	static const char *const bad[] = {
		"", "x", "2x", "2 ", " 2", "+2", "-", "0x2", "2.0", "4", "-1",
		"99999999999999999999", "-99999999999999999999",
	};
	char	 expected[256];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(expected, sizeof expected, "POS_CURRENCY_DECIMALS: "
		    "[currency] decimals: must be 0..3, got \"%s\"", bad[i]);
		expect_env_error("POS_CURRENCY_DECIMALS", bad[i], expected);
	}
	expect_env_error("POS_SYNC_INTERVAL", "4",
	    "POS_SYNC_INTERVAL: [sync] interval: must be 5..86400, got \"4\"");
	expect_env_error("POS_SYNC_INTERVAL", "86401", "POS_SYNC_INTERVAL: "
	    "[sync] interval: must be 5..86400, got \"86401\"");
	expect_env_error("POS_SYNC_BATCH", "0",
	    "POS_SYNC_BATCH: [sync] batch: must be 1..1000, got \"0\"");
	expect_env_error("POS_PRINTER_COPIES", "6",
	    "POS_PRINTER_COPIES: [printer] copies: must be 1..5, got \"6\"");
}

static void
int_bounds_are_inclusive(void **state)
{
	struct config	 cfg;

	(void)state;
	setenv("POS_CURRENCY_DECIMALS", "3", 1);
	setenv("POS_SYNC_INTERVAL", "5", 1);
	setenv("POS_SYNC_BATCH", "1000", 1);
	setenv("POS_PRINTER_COPIES", "5", 1);
	load_ok(&cfg, NULL);
	assert_int_equal(cfg.currency.decimals, 3);
	assert_int_equal(cfg.sync.interval, 5);
	assert_int_equal(cfg.sync.batch, 1000);
	assert_int_equal(cfg.printer.copies, 5);
	config_free(&cfg);
}

static void
syntax_error_reports_file_and_line(void **state)
{
	struct fixture	*fx = *state;

	fx_write(fx, "pos.conf", "[window]\nname = Shop\n\nthis is not ini\n");
	assert_int_equal(chdir(fx->dir), 0);
	expect_error("pos.conf", "pos.conf:4: syntax error");

	fx_write(fx, "pos.conf", "[window\nname = Shop\n");
	expect_error("pos.conf", "pos.conf:1: syntax error");
}

static void
first_error_is_the_one_reported(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(chdir(fx->dir), 0);
	fx_write(fx, "pos.conf",
	    "[window]\nnot ini\n[currency]\ncolour = red\n");
	expect_error("pos.conf", "pos.conf:2: syntax error");

	fx_write(fx, "pos.conf",
	    "[currency]\ncolour = red\nnot ini\n[colours]\n");
	expect_error("pos.conf", "pos.conf:2: [currency] colour: unknown key");

	fx_write(fx, "pos.conf",
	    "[currency]\ndecimals = 9\ncopies = 9\n");
	expect_error("pos.conf", "pos.conf:2: [currency] decimals: "
	    "must be 0..3, got \"9\"");

	/* A bad file stops the load before the environment is looked at. */
	setenv("POS_SYNC_BATCH", "0", 1);
	expect_error("pos.conf", "pos.conf:2: [currency] decimals: "
	    "must be 0..3, got \"9\"");
}

static void
error_in_system_file_names_that_file(void **state)
{
	struct fixture	*fx = *state;
	char		*path, *expected;

	path = fx_write(fx, "system.conf", "[printer]\npaper = 70\n");
	expected = xasprintf("%s:2: [printer] paper: must be 58 or 80, "
	    "got \"70\"", path);
	expect_error(NULL, expected);
	free(expected);
}

static void
missing_config_file_is_an_error(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(chdir(fx->dir), 0);
	expect_error("nope.conf", "nope.conf: No such file or directory");
}

static void
directory_as_config_file_is_an_error(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(chdir(fx->dir), 0);
	assert_int_equal(mkdir("dir.conf", 0700), 0);
	expect_error("dir.conf", "dir.conf: read error: Is a directory");
}

static void
quoted_values_are_stripped(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*path;

	path = fx_temp(fx,
	    "[window]\n"
	    "name = \"  Shop ; 3  \"\n"
	    "address = \"\"\n"
	    "phone = \"0 \"\"1\"\n"
	    "footer = say \"hi\"\n"
	    "[currency]\n"
	    "decimals = \"2\"\n"
	    "symbol = \"ل.س\" ; a comment with \"quotes\"\n"
	    "[printer]\n"
	    "name = \"a ; b\" ; and \"c ; d\"\n"
	    "[ui]\n"
	    "language = \"\"\n");
	load_ok(&cfg, path);
	assert_string_equal(cfg.window.name, "  Shop ; 3  ");
	assert_string_equal(cfg.window.address, "");
	assert_string_equal(cfg.window.phone, "0 \"\"1");
	assert_string_equal(cfg.window.footer, "say \"hi\"");
	assert_int_equal(cfg.currency.decimals, 2);
	assert_string_equal(cfg.currency.symbol, "ل.س");
	assert_string_equal(cfg.printer.name, "a ; b");
	assert_string_equal(cfg.ui.language, "");
	config_free(&cfg);
}

static void
unterminated_quote_is_an_error(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(chdir(fx->dir), 0);
	fx_write(fx, "pos.conf", "[window]\nfooter = \"Thank you ; again\n");
	expect_error("pos.conf",
	    "pos.conf:2: [window] footer: missing closing quote");
	fx_write(fx, "pos.conf", "[window]\nfooter = \"\n");
	expect_error("pos.conf",
	    "pos.conf:2: [window] footer: missing closing quote");
	fx_write(fx, "pos.conf", "[window]\nfooter = \"a\";b\n");
	expect_error("pos.conf",
	    "pos.conf:2: [window] footer: missing closing quote");
}

static void
too_long_line_is_rejected(void **state)
{
	struct fixture	*fx = *state;
	char		 text[512], value[301];

	memset(value, 'a', 250);
	value[250] = '\0';
	snprintf(text, sizeof text, "[window]\nfooter = %s\nname = x\n", value);
	assert_int_equal(chdir(fx->dir), 0);
	fx_write(fx, "pos.conf", text);
	expect_error("pos.conf",
	    "pos.conf:2: line too long (more than 199 bytes)");

	/* A long comment is as wrong: its tail would be read as a key. */
	memset(value, 'b', 300);
	value[300] = '\0';
	snprintf(text, sizeof text, "[window]\n\n; %s", value);
	fx_write(fx, "pos.conf", text);
	expect_error("pos.conf",
	    "pos.conf:3: line too long (more than 199 bytes)");
}

static void
line_of_199_bytes_is_accepted(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		 text[512], value[256];
	char		*path;

	memset(value, 'v', 190);	/* "footer = " is 9 bytes */
	value[190] = '\0';
	snprintf(text, sizeof text, "[window]\nfooter = %s\n", value);
	path = fx_temp(fx, text);
	load_ok(&cfg, path);
	assert_string_equal(cfg.window.footer, value);
	config_free(&cfg);

	/* Also as the last line, with no newline. */
	snprintf(text, sizeof text, "[window]\nfooter = %s", value);
	path = fx_temp(fx, text);
	load_ok(&cfg, path);
	assert_string_equal(cfg.window.footer, value);
	config_free(&cfg);
}

static void
nul_byte_is_rejected(void **state)
{
	struct fixture	*fx = *state;
	static const char text[] = "[window]\nname = a\0b\n";
	char		*path, *expected;

	path = fx_temp_n(fx, text, sizeof text - 1);
	expected = xasprintf("%s:2: NUL byte in line", path);
	expect_error(path, expected);
	free(expected);
}

static void
indented_lines_are_not_continuations(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*path;

	path = fx_temp(fx, "  [window]\n    name = Shop\n    footer = Bye\n"
	    "\t[currency]\n\tdecimals = 1\n");
	load_ok(&cfg, path);
	assert_string_equal(cfg.window.name, "Shop");
	assert_string_equal(cfg.window.footer, "Bye");
	assert_int_equal(cfg.currency.decimals, 1);
	config_free(&cfg);

	assert_int_equal(chdir(fx->dir), 0);
	fx_write(fx, "pos.conf", "[window]\nfooter = Thank\n   you\n");
	expect_error("pos.conf", "pos.conf:3: syntax error");
}

static void
bom_and_crlf_are_accepted(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*path;

	path = fx_temp(fx, "\xef\xbb\xbf[window]\r\nname = Shop\r\n"
	    "[currency]\r\ndecimals = 2\r\n");
	load_ok(&cfg, path);
	assert_string_equal(cfg.window.name, "Shop");
	assert_int_equal(cfg.currency.decimals, 2);
	config_free(&cfg);
}

static void
later_line_for_the_same_key_wins(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*path, *out, *line;

	path = fx_temp(fx, "[ui]\nbidi = fribidi\nbidi = terminal\n");
	load_ok(&cfg, path);
	assert_string_equal(cfg.ui.bidi, "terminal");
	out = capture(&cfg);
	line = xasprintf("[ui] bidi = \"terminal\"   # from %s:3\n",
	    path);
	assert_non_null(strstr(out, line));
	free(line);
	free(out);
	config_free(&cfg);
}

static void
bad_timezone_is_rejected(void **state)
{
	static const char *const bad[] = {
		"Mars/Olympus_Mons", "", "/usr/share/zoneinfo/UTC",
		"../zoneinfo/UTC", "Asia/../UTC", "Asia", "zone.tab",
		"tzdata.zi",
	};
	char	 expected[256];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (*bad[i] == '\0')
			snprintf(expected, sizeof expected,
			    "POS_WINDOW_TIMEZONE: [window] timezone: "
			    "must not be empty");
		else
			snprintf(expected, sizeof expected,
			    "POS_WINDOW_TIMEZONE: [window] timezone: must be "
			    "an IANA time zone such as Asia/Damascus, "
			    "got \"%s\"", bad[i]);
		expect_env_error("POS_WINDOW_TIMEZONE", bad[i], expected);
	}
}

static void
good_timezones_are_accepted(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*path;

	path = fx_temp(fx,
	    "[window]\ntimezone = America/Argentina/Buenos_Aires\n");
	load_ok(&cfg, path);
	assert_string_equal(cfg.window.timezone,
	    "America/Argentina/Buenos_Aires");
	config_free(&cfg);

	setenv("POS_WINDOW_TIMEZONE", "US/Eastern", 1);	/* a symlink */
	load_ok(&cfg, NULL);
	assert_string_equal(cfg.window.timezone, "US/Eastern");
	config_free(&cfg);
}

static void
bad_url_is_rejected(void **state)
{
	static const char *const scheme = "must start with http:// or https://";
	static const char *const host = "must name a host after http:// or "
	    "https://";
	static const struct {
		const char	*value;
		const char	*why;
	} bad[] = {
		{ "ftp://example.com", scheme }, { "example.com", scheme },
		{ "http://", host }, { "https://", host },
		{ "https:///path", host }, { "HTTPS://example.com", scheme },
		{ "https://a b", "must not contain spaces" },
		{ "http:/example.com", scheme },
	};
	static const char *const keys[][2] = {
		{ "POS_SYNC_URL", "[sync] url" },
		{ "POS_WINDOW_RECEIPT_URL", "[window] receipt_url" },
	};
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		 expected[256];
	size_t		 i, k;

	for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			snprintf(expected, sizeof expected, "%s: %s: %s, got "
			    "\"%s\"", keys[k][0], keys[k][1], bad[i].why,
			    bad[i].value);
			expect_env_error(keys[k][0], bad[i].value, expected);
		}
	}

	assert_int_equal(chdir(fx->dir), 0);
	fx_write(fx, "pos.conf", "[sync]\nurl = central:8443\n");
	expect_error("pos.conf", "pos.conf:2: [sync] url: must start with "
	    "http:// or https://, got \"central:8443\"");
	fx_write(fx, "pos.conf", "[window]\nname = W\n"
	    "receipt_url = https://pos.example/receipts now\n");
	expect_error("pos.conf", "pos.conf:3: [window] receipt_url: must not "
	    "contain spaces, got \"https://pos.example/receipts now\"");

	setenv("POS_SYNC_URL", "http://10.0.0.1:8080", 1);
	setenv("POS_WINDOW_RECEIPT_URL", "https://pos.example/", 1);
	load_ok(&cfg, NULL);
	assert_string_equal(cfg.sync.url, "http://10.0.0.1:8080");
	assert_string_equal(cfg.window.receipt_url, "https://pos.example/");
	config_free(&cfg);
}

static void
strings_must_be_utf8_without_control_characters(void **state)
{
	(void)state;
	expect_env_error("POS_WINDOW_NAME", "caf\xe9",
	    "POS_WINDOW_NAME: [window] name: must be valid UTF-8, "
	    "got \"caf\\xe9\"");
	expect_env_error("POS_WINDOW_NAME", "\xc0\xaf",	/* overlong '/' */
	    "POS_WINDOW_NAME: [window] name: must be valid UTF-8, "
	    "got \"\\xc0\\xaf\"");
	expect_env_error("POS_WINDOW_NAME", "\xed\xa0\x80",	/* surrogate */
	    "POS_WINDOW_NAME: [window] name: must be valid UTF-8, "
	    "got \"\\xed\\xa0\\x80\"");
	expect_env_error("POS_WINDOW_FOOTER", "a\tb",
	    "POS_WINDOW_FOOTER: [window] footer: must not contain control "
	    "characters, got \"a\\x09b\"");
	expect_env_error("POS_WINDOW_FOOTER", "a\x1b[2Jb",
	    "POS_WINDOW_FOOTER: [window] footer: must not contain control "
	    "characters, got \"a\\x1b[2Jb\"");
	expect_env_error("POS_WINDOW_FOOTER", "a\xc2\x85",	/* U+0085 */
	    "POS_WINDOW_FOOTER: [window] footer: must not contain control "
	    "characters, got \"a\\xc2\\x85\"");
	expect_env_error("POS_STORE_PATH", "/tmp/a\nb",
	    "POS_STORE_PATH: [store] path: must not contain control "
	    "characters, got \"/tmp/a\\x0ab\"");
}

static void
strings_are_at_most_200_bytes(void **state)
{
	struct config	 cfg;
	char		 value[256];

	(void)state;
	memset(value, 'n', 200);
	value[200] = '\0';
	setenv("POS_WINDOW_NAME", value, 1);
	load_ok(&cfg, NULL);
	assert_string_equal(cfg.window.name, value);
	config_free(&cfg);

	value[200] = 'n';
	value[201] = '\0';
	expect_env_error("POS_WINDOW_NAME", value, "POS_WINDOW_NAME: [window] "
	    "name: must be at most 200 bytes, got 201");
}

static void
empty_is_allowed_only_where_the_default_is_empty(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*path;

	path = fx_temp(fx, "[window]\naddress =\nphone = \"\"\n"
	    "[printer]\nname =\n[sync]\nurl =\ntoken_file =\nca_file =\n"
	    "[ui]\nlanguage =\n");
	load_ok(&cfg, path);
	assert_string_equal(cfg.window.address, "");
	assert_string_equal(cfg.printer.name, "");
	config_free(&cfg);

	expect_env_error("POS_WINDOW_NAME", "",
	    "POS_WINDOW_NAME: [window] name: must not be empty");
	expect_env_error("POS_WINDOW_FOOTER", "",
	    "POS_WINDOW_FOOTER: [window] footer: must not be empty");
	expect_env_error("POS_STORE_PATH", "",
	    "POS_STORE_PATH: [store] path: must not be empty");
	expect_env_error("POS_CURRENCY_SYMBOL", "",
	    "POS_CURRENCY_SYMBOL: [currency] symbol: must not be empty");
	expect_env_error("POS_UI_BIDI", "", "POS_UI_BIDI: [ui] bidi: "
	    "must be terminal or fribidi, got \"\"");
}

static void
enums_accept_only_their_values(void **state)
{
	struct config	 cfg;

	(void)state;
	expect_env_error("POS_CURRENCY_DIGITS", "eastern",
	    "POS_CURRENCY_DIGITS: [currency] digits: must be western or "
	    "arabic-indic, got \"eastern\"");
	expect_env_error("POS_PRINTER_FORMAT", "ESCPOS",
	    "POS_PRINTER_FORMAT: [printer] format: must be escpos, "
	    "escpos-raster, pdf or text, got \"ESCPOS\"");
	expect_env_error("POS_PRINTER_PAPER", "70",
	    "POS_PRINTER_PAPER: [printer] paper: must be 58 or 80, got \"70\"");
	expect_env_error("POS_PRINTER_PAPER", "80mm",
	    "POS_PRINTER_PAPER: [printer] paper: must be 58 or 80, "
	    "got \"80mm\"");
	expect_env_error("POS_UI_LANGUAGE", "fr", "POS_UI_LANGUAGE: [ui] "
	    "language: must be \"\", en or ar, got \"fr\"");

	setenv("POS_PRINTER_FORMAT", "text", 1);
	setenv("POS_PRINTER_PAPER", "58", 1);
	setenv("POS_UI_BIDI", "fribidi", 1);
	load_ok(&cfg, NULL);
	assert_string_equal(cfg.printer.format, "text");
	assert_int_equal(cfg.printer.paper, 58);
	assert_string_equal(cfg.ui.bidi, "fribidi");
	config_free(&cfg);
}

static void
currency_code_is_three_uppercase_letters(void **state)
{
	static const char *const bad[] = { "syp", "SY", "SYPP", "S1P", "ÉUR" };
	char	 expected[256];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(expected, sizeof expected, "POS_CURRENCY_CODE: "
		    "[currency] code: must be three letters A-Z, got \"%s\"",
		    bad[i]);
		expect_env_error("POS_CURRENCY_CODE", bad[i], expected);
	}
}

static void
print_names_the_source_of_every_value(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*path, *out, *line;

	fx_write(fx, "system.conf", "[window]\nname = Sys\n");
	path = fx_temp(fx, "[window]\n\nfooter = \"Bye \\ \"\"\n");
	setenv("POS_PRINTER_COPIES", "3", 1);
	load_ok(&cfg, path);
	out = capture(&cfg);
	assert_int_equal(count_lines(out), 24);

	line = xasprintf("[window] name = \"Sys\"   # from %s:2\n",
	    getenv("POS_SYSTEM_CONFIG"));
	assert_non_null(strstr(out, line));
	free(line);
	line = xasprintf("[window] footer = \"Bye \\\\ \\\"\"   # from %s:3\n",
	    path);
	assert_non_null(strstr(out, line));
	free(line);
	assert_non_null(strstr(out,
	    "[printer] copies = \"3\"   # env POS_PRINTER_COPIES\n"));
	assert_non_null(strstr(out,
	    "[currency] digits = \"western\"   # default\n"));
	assert_non_null(strstr(out,
	    "[currency] symbol = \"ل.س\"   # default\n"));
	assert_non_null(strstr(out, "[ui] language = \"\"   # default\n"));
	free(out);
	config_free(&cfg);
}

static void
help_lists_every_key_with_type_default_and_help(void **state)
{
	char	*out;

	(void)state;
	out = capture(NULL);
	assert_int_equal(count_lines(out), 24);
	assert_non_null(strstr(out, "[currency] decimals  int 0..3  default 0"
	    "  — minor-unit digits of the currency\n"));
	assert_non_null(strstr(out, "[window] name  string  "
	    "default \"Sales window\"  — "));
	assert_non_null(strstr(out, "[window] timezone  timezone  "
	    "default \"Asia/Damascus\"  — "));
	assert_non_null(strstr(out, "[store] path  path  "
	    "default \"$XDG_DATA_HOME/pos/window.db\"  — "));
	assert_non_null(strstr(out, "[currency] digits  enum "
	    "western|arabic-indic  default western  — "));
	assert_non_null(strstr(out,
	    "[printer] paper  int 58|80  default 80  — "));
	assert_non_null(strstr(out, "[sync] url  url  default \"\"  — "));
	assert_non_null(strstr(out, "[ui] language  enum \"\"|en|ar  "
	    "default \"\"  — "));
	free(out);
}

/* config/pos.conf.example, found next to this source file. Caller frees. */
static char *
example_path(void)
{
	const char	*slash;
	char		*path;

	slash = strrchr(__FILE__, '/');
	path = xasprintf("%.*s../../config/pos.conf.example",
	    slash == NULL ? 0 : (int)(slash - __FILE__ + 1), __FILE__);
	return path;
}

static void
example_file_is_valid_as_shipped_and_uncommented(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;
	char		*path, *text, *p, *copy;
	char		 line[512];
	size_t		 len = 0, n;
	FILE		*f;

	path = example_path();
	load_ok(&cfg, path);
	assert_defaults(&cfg, fx->dir);
	config_free(&cfg);

	/* Settings are commented out with ';', prose with '#'. */
	f = fopen(path, "r");
	assert_non_null(f);
	text = calloc(1, 16384);
	assert_non_null(text);
	while (fgets(line, sizeof line, f) != NULL) {
		p = line[0] == ';' ? line + 1 : line;
		n = strlen(p);
		assert_true(len + n < 16384);
		memcpy(text + len, p, n);
		len += n;
	}
	fclose(f);
	copy = fx_temp(fx, text);
	load_ok(&cfg, copy);
	assert_string_equal(cfg.sync.url, "https://pos.example.com");
	assert_string_equal(cfg.store.path, "/var/lib/pos/window.db");
	assert_string_equal(cfg.window.timezone, "Asia/Damascus");
	config_free(&cfg);
	free(text);
	free(path);
}

static void
error_paths_leave_nothing_allocated(void **state)
{
	struct fixture	*fx = *state;
	char		*expected;

	/*
	 * ASan and valgrind report any leak; each error comes after earlier
	 * layers set values, so there is something to free on the way out.
	 */
	fx_write(fx, "system.conf", "[window]\nname = A\n");
	fx_write(fx, ".config/pos/pos.conf", "[window]\nfooter = B\n");
	assert_int_equal(chdir(fx->dir), 0);

	fx_write(fx, "pos.conf", "[window]\naddress = C\n[sync]\nbatch = 0\n");
	expect_error("pos.conf", "pos.conf:4: [sync] batch: must be 1..1000, "
	    "got \"0\"");

	fx_write(fx, "pos.conf", "[window]\naddress = C\n");
	setenv("POS_SYNC_URL", "https://ok.example", 1);
	expect_env_error("POS_UI_BIDI", "x",
	    "POS_UI_BIDI: [ui] bidi: must be terminal or fribidi, got \"x\"");
	expect_error("missing.conf", "missing.conf: No such file or directory");

	fx_write(fx, ".config/pos/pos.conf", "[window]\nfooter = B\nnope\n");
	expected = xasprintf("%s/.config/pos/pos.conf:3: syntax error",
	    fx->dir);
	expect_error("pos.conf", expected);
	free(expected);
}

static void
error_without_cause_pointer_still_frees(void **state)
{
	struct fixture	*fx = *state;
	struct config	 cfg;

	fx_write(fx, "system.conf", "[window]\nname = A\n[x]\n");
	assert_int_equal(config_load(&cfg, NULL, NULL), POS_FAIL);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(defaults_follow_the_contract),
		T(load_without_any_file_gives_defaults),
		T(empty_pos_system_config_reads_no_system_file),
		T(store_path_follows_xdg_data_home),
		T(full_valid_file_sets_every_key),
		T(system_file_overrides_defaults),
		T(user_file_overrides_system_file),
		T(user_file_defaults_to_home_dot_config),
		T(config_file_overrides_user_file),
		T(env_overrides_config_file),
		T(env_may_set_every_kind_of_key),
		T(unrelated_pos_env_vars_are_ignored),
		T(bad_int_names_file_line_and_key),
		T(unknown_key_names_file_line_and_key),
		T(unknown_section_names_file_and_line),
		T(key_outside_a_section_is_an_error),
		T(bad_env_int_names_the_variable),
		T(ints_reject_garbage_overflow_and_trailing_text),
		T(int_bounds_are_inclusive),
		T(syntax_error_reports_file_and_line),
		T(first_error_is_the_one_reported),
		T(error_in_system_file_names_that_file),
		T(missing_config_file_is_an_error),
		T(directory_as_config_file_is_an_error),
		T(quoted_values_are_stripped),
		T(unterminated_quote_is_an_error),
		T(too_long_line_is_rejected),
		T(line_of_199_bytes_is_accepted),
		T(nul_byte_is_rejected),
		T(indented_lines_are_not_continuations),
		T(bom_and_crlf_are_accepted),
		T(later_line_for_the_same_key_wins),
		T(bad_timezone_is_rejected),
		T(good_timezones_are_accepted),
		T(bad_url_is_rejected),
		T(strings_must_be_utf8_without_control_characters),
		T(strings_are_at_most_200_bytes),
		T(empty_is_allowed_only_where_the_default_is_empty),
		T(enums_accept_only_their_values),
		T(currency_code_is_three_uppercase_letters),
		T(print_names_the_source_of_every_value),
		T(help_lists_every_key_with_type_default_and_help),
		T(example_file_is_valid_as_shipped_and_uncommented),
		T(error_paths_leave_nothing_allocated),
		T(error_without_cause_pointer_still_frees),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
