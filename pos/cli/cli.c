/*
 * The `pos` command line: global options, the table of commands and the
 * dispatch; the commands are in cli_*.c by group. Global options come
 * before the command; each
 * command's options are declared as a spec string ("user=,pay=*,no-print":
 * '=' takes a value, '*' may repeat) and parsed by cmdline_parse as
 * getopt_long would.
 * Handlers call the domain functions and print: text for people, or JSON
 * with --json (amounts as decimal strings in currency units).
 */
#include "cli.h"
#include "cli_int.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cause.h"
#include "cmdline.h"
#include "config.h"
#include "printq.h"
#include "store.h"
#include "text.h"

enum {
	CLI_STORE = 1 << 0,		/* opens the store */
	CLI_SUPERVISOR = 1 << 1		/* needs a supervisor's PIN */
};

typedef int	(*cli_fn)(struct cli *, struct cmdline_args *);

#define CLI_SUPERVISOR_NOTE	" (supervisor PIN: --pin-stdin or POS_PIN)"

/* ---- option parsing ---- */

/* Parse the words after the command's own `used` words into a. */
static int
cli_parse(struct cli *c, const struct cmdline_cmd *cmd, int argc, char **argv,
    int used, struct cmdline_args *a)
{
	struct cmdline_error err;

	if (cmdline_parse(cmd, NULL, CMDLINE_GETOPT, argc, argv, used, a,
	    &err) == 0)
		return POS_OK;
	switch (err.fault) {
	case CMDLINE_TWICE:
		return cause_set(&c->cause, POS_INPUT, "--%s given twice",
		    err.name);
	case CMDLINE_SURPLUS:
	case CMDLINE_MISSING:
		return cause_set(&c->cause, POS_INPUT, "usage: pos %s%s%s %s",
		    cmd->name, cmd->sub != NULL ? " " : "",
		    cmd->sub != NULL ? cmd->sub : "", cmd->usage);
	default:
		return cause_set(&c->cause, POS_INPUT,
		    "%s%s%s: %s \"%s\"\nusage: pos %s%s%s %s", cmd->name,
		    cmd->sub != NULL ? " " : "", cmd->sub != NULL ? cmd->sub : "",
		    err.fault == CMDLINE_SHORT ||
		    err.fault == CMDLINE_NEEDS_VALUE ?
		    "option needs a value or is unknown:" : "unknown option",
		    err.word, cmd->name, cmd->sub != NULL ? " " : "",
		    cmd->sub != NULL ? cmd->sub : "", cmd->usage);
	}
}

/* ---- output ---- */

static bool cli_json_printed;

void
cli_print_json(json_t *j)
{
	cli_json_printed = true;
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
	json_decref(j);
}

/* ---- commands ---- */

static int
cmd_init(struct cli *c, struct cmdline_args *a)
{
	const char *branch = cmdline_opt(a, "branch");
	const char *term = cmdline_opt(a, "terminal");
	const char *name = cmdline_opt(a, "name");
	char *end, *cause = NULL;
	long long t;
	int rc;

	if (branch == NULL || term == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "usage: pos init --branch CODE "
		    "--terminal N [--name NAME] [--from-central]");
	if (!text_valid_code(branch) || strlen(branch) > 16)
		return cause_set(&c->cause, POS_INPUT,
		    "--branch: must be 1-16 letters, "
		    "digits, '-', '_' or '.', got \"%s\"", branch);
	errno = 0;
	t = strtoll(term, &end, 10);
	if (errno != 0 || end == term || *end != '\0' || t < 1 || t > 999)
		return cause_set(&c->cause, POS_INPUT,
		    "--terminal: must be 1..999, got "
		    "\"%s\"", term);
	if (name != NULL && !text_valid_name(name))
		return cause_set(&c->cause, POS_INPUT,
		    "--name: must be 1-120 characters "
		    "without control characters");
	if (cmdline_flag(a, "from-central"))
		return cli_init_from_central(c, branch, t, name);
	/* Only now, with the arguments good, may the store file be created. */
	rc = store_open(c->db != NULL ? c->db : c->cfg.store.path, true, &c->cfg,
	    &c->st, &cause);
	if (rc == POS_OK)
		rc = store_init_identity(c->st, branch, t, name, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "store", json_string(c->st->db->path));
		json_object_set_new(j, "branch", json_string(branch));
		json_object_set_new(j, "terminal", json_integer(t));
		cli_print_json(j);
	} else
		printf("store %s is branch %s terminal %lld\n", c->st->db->path,
		    branch, t);
	return POS_OK;
}

static int
cmd_config_check(struct cli *c, struct cmdline_args *a)
{
	(void)a;
	config_print(&c->cfg, stdout);
	return POS_OK;
}

static int
cmd_config_keys(struct cli *c, struct cmdline_args *a)
{
	(void)c;
	if (cmdline_opt(a, "man") != NULL)
		config_man(stdout);
	else
		config_help(stdout);
	return POS_OK;
}

static int cmd_help(struct cli *, struct cmdline_args *);

static const struct cmdline_cmd cli_cmds[] = {
	{ .name = "init",
	  .usage = "--branch CODE --terminal N [--name NAME] [--from-central]",
	  .opts = "branch=,terminal=,name=,from-central",
	  .handler = CMDLINE_FN(cmd_init),
	  .help = "create the store and set its branch and terminal, once; "
	    "--from-central: with the terminal's journal from the central "
	    "server (a replaced PC)" },
	{ .name = "config", .sub = "check",
	  .usage = "",
	  .handler = CMDLINE_FN(cmd_config_check),
	  .help = "validate and print the effective configuration" },
	{ .name = "config", .sub = "keys",
	  .usage = "[--man]",
	  .opts = "man",
	  .handler = CMDLINE_FN(cmd_config_keys),
	  .help = "list every configuration key; --man: as pos.conf(5) "
	      "lists them" },
	{ .name = "producer", .sub = "add",
	  .usage = "CODE NAME [--phone PHONE]",
	  .opts = "phone=",
	  .minargs = 2, .maxargs = 2, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_producer_add),
	  .help = "add a producer" },
	{ .name = "producer", .sub = "list",
	  .usage = "",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_producer_list),
	  .help = "list producers" },
	{ .name = "product", .sub = "add",
	  .usage = "CODE NAME PRICE --producer CODE [--barcode B] "
	      "[--unit piece|kg]",
	  .opts = "producer=,barcode=,unit=",
	  .minargs = 3, .maxargs = 3, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_product_add),
	  .help = "add a product" },
	{ .name = "product", .sub = "set",
	  .usage = "CODE [--price P] [--name N] [--barcode B] "
	      "[--active yes|no]",
	  .opts = "price=,name=,barcode=,active=",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_product_set),
	  .help = "change a product" },
	{ .name = "product", .sub = "list",
	  .usage = "[--search TEXT]",
	  .opts = "search=",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_product_list),
	  .help = "list or search products" },
	{ .name = "import",
	  .usage = "producers|products FILE.csv",
	  .minargs = 2, .maxargs = 2, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_import),
	  .help = "import a CSV file, all or nothing" },
	{ .name = "export",
	  .usage = "sales|producers|products [--from DATE] [--to DATE]",
	  .opts = "from=,to=",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_export),
	  .help = "CSV to stdout" },
	{ .name = "user", .sub = "add",
	  .usage = "NAME --role attendant|supervisor  (PIN on stdin)",
	  .opts = "role=",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_user_add),
	  .help = "add a user" },
	{ .name = "day", .sub = "open",
	  .usage = "--user NAME --float AMOUNT",
	  .opts = "user=,float=",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_day_open),
	  .help = "open the business day, or its next session after a "
	      "close" },
	{ .name = "day", .sub = "close",
	  .usage = "--user SUPERVISOR --counted AMOUNT [--no-print]",
	  .opts = "user=,counted=,pin-stdin,no-print",
	  .flags = CLI_STORE | CLI_SUPERVISOR,
	  .handler = CMDLINE_FN(cmd_day_close),
	  .help = "count the drawer, print the session's Z report, seal it" },
	{ .name = "sell",
	  .usage = "--user NAME ITEM... [--pay METHOD:AMOUNT]... "
	      "[--discount AMOUNT] [--no-print]",
	  .opts = "user=,pay=*,discount=,no-print",
	  .minargs = 1, .maxargs = -1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_sell),
	  .help = "ring up a sale; ITEM is CODE, BARCODE or CODE*QTY" },
	{ .name = "void",
	  .usage = "RECEIPT --user SUPERVISOR --reason TEXT [--no-print]",
	  .opts = "user=,reason=,pin-stdin,no-print",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE | CLI_SUPERVISOR,
	  .handler = CMDLINE_FN(cmd_void),
	  .help = "void a sale of the open day" },
	{ .name = "refund",
	  .usage = "RECEIPT ITEM... --user SUPERVISOR [--reason TEXT] "
	      "[--to cash|card|other] [--no-print]",
	  .opts = "user=,reason=,to=,pin-stdin,no-print",
	  .minargs = 2, .maxargs = -1, .flags = CLI_STORE | CLI_SUPERVISOR,
	  .handler = CMDLINE_FN(cmd_refund),
	  .help = "refund items of a sale" },
	{ .name = "payout",
	  .usage = "PRODUCER AMOUNT --user SUPERVISOR [--no-print]",
	  .opts = "user=,pin-stdin,no-print",
	  .minargs = 2, .maxargs = 2, .flags = CLI_STORE | CLI_SUPERVISOR,
	  .handler = CMDLINE_FN(cmd_payout),
	  .help = "pay a producer cash from the drawer" },
	{ .name = "cash", .sub = "in",
	  .usage = "AMOUNT --user NAME --reason TEXT",
	  .opts = "user=,reason=",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_cash_in),
	  .help = "put cash into the drawer" },
	{ .name = "cash", .sub = "out",
	  .usage = "AMOUNT --user NAME --reason TEXT",
	  .opts = "user=,reason=",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_cash_out),
	  .help = "take cash out of the drawer" },
	{ .name = "report", .sub = "x",
	  .usage = "[--print]",
	  .opts = "print",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_report_x),
	  .help = "the open session so far" },
	{ .name = "report", .sub = "z",
	  .usage = "[--date DATE] [--session N] [--print] "
	      "[--render escpos|escpos-raster|pdf|text|png] [> FILE]",
	  .opts = "date=,session=,print,render=",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_report_z),
	  .help = "a closed date, or one session of it (default: the last "
	      "closed session)" },
	{ .name = "report", .sub = "producers",
	  .usage = "[--date DATE]",
	  .opts = "date=",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_report_producers),
	  .help = "every producer's day" },
	{ .name = "report", .sub = "producer",
	  .usage = "CODE [--from DATE] [--to DATE] [--print] "
	      "[--render escpos|escpos-raster|pdf|text|png] [> FILE]",
	  .opts = "from=,to=,print,render=",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_report_producer),
	  .help = "one producer's statement over a period" },
	{ .name = "receipt", .sub = "print",
	  .usage = "RECEIPT",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_receipt_print),
	  .help = "print a receipt again (marked COPY)" },
	{ .name = "receipt", .sub = "render",
	  .usage = "RECEIPT [--format escpos|escpos-raster|pdf|"
	      "text|png] [--copy] > FILE",
	  .opts = "format=,copy",
	  .minargs = 1, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_receipt_render),
	  .help = "a receipt's printer bytes, or a PNG to look at" },
	{ .name = "print-queue",
	  .usage = "[--retry] [--all]",
	  .opts = "retry,all",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_print_queue),
	  .help = "what is waiting to print; --retry tries everything now" },
	{ .name = "show",
	  .usage = "RECEIPT | --last",
	  .opts = "last",
	  .minargs = 0, .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_show),
	  .help = "one journal entry with its lines; --last: the last sale "
	      "committed" },
	{ .name = "sync",
	  .usage = "[--status]",
	  .opts = "status",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_sync),
	  .help = "push the journal to the central server now, send this "
	      "window's own producers and products, then pull the master data "
	      "that changed there; --status: how far it is" },
	{ .name = "backup",
	  .usage = "[FILE|DIR]",
	  .maxargs = 1, .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_backup),
	  .help = "copy the store while it runs, verified (default: [store] "
	      "backup_dir)" },
	{ .name = "restore",
	  .usage = "FILE [--force]",
	  .opts = "force",
	  .minargs = 1, .maxargs = 1,
	  .handler = CMDLINE_FN(cmd_restore),
	  .help = "replace the store with a verified backup of it; --force: "
	      "even if the store is newer" },
	{ .name = "verify",
	  .usage = "",
	  .flags = CLI_STORE,
	  .handler = CMDLINE_FN(cmd_verify),
	  .help = "check the whole hash chain" },
	{ .name = "help",
	  .usage = "[--man]",
	  .opts = "man",
	  .handler = CMDLINE_FN(cmd_help),
	  .help = "this list; --man: as pos(1) lists it" },
};
#define CLI_NCMDS (sizeof cli_cmds / sizeof cli_cmds[0])

static void
cli_usage(FILE *out)
{
	fprintf(out, "usage: pos [--config FILE] [--db FILE] [--json] "
	    "[--pin-stdin] COMMAND ...\n       pos --help | --version\n\n");
	cmdline_help(out, "pos", cli_cmds, CLI_NCMDS, CLI_SUPERVISOR,
	    CLI_SUPERVISOR_NOTE);
	fprintf(out, "\nExit status: 0 ok, 1 failure, 2 bad input or usage, "
	    "3 not allowed (PIN, role, day state).\n");
}

static int
cmd_help(struct cli *c, struct cmdline_args *a)
{
	(void)c;
	if (cmdline_opt(a, "man") != NULL)
		cmdline_man(stdout, "pos", cli_cmds, CLI_NCMDS, CLI_SUPERVISOR,
		    CLI_SUPERVISOR_NOTE);
	else
		cli_usage(stdout);
	return POS_OK;
}

static int
cli_run(struct cli *c, int argc, char **argv)
{
	const struct cmdline_cmd *cmd;
	struct cmdline_args a;
	char *cause = NULL;
	const char *path;
	int used, rc;

	if (argc == 0) {
		cli_usage(stderr);
		return POS_INPUT;
	}
	if ((cmd = cmdline_find(cli_cmds, CLI_NCMDS, argv[0], argc > 1 ?
	    argv[1] : NULL, &used)) == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    used == -1 ? "%s: unknown "
		    "subcommand (see 'pos help')" : "unknown command \"%s\" "
		    "(see 'pos help')", argv[0]);
	if ((rc = cli_parse(c, cmd, argc, argv, used, &a)) != POS_OK) {
		cmdline_args_free(&a);
		return rc;
	}
	if (config_load(&c->cfg, c->config_file, &cause) != 0) {
		rc = cli_done(c, POS_INPUT, cause);
		goto out;
	}
	c->cfg_loaded = true;
	if ((cmd->flags & CLI_STORE) != 0) {
		path = c->db != NULL ? c->db : c->cfg.store.path;
		rc = store_open(path, false, &c->cfg, &c->st, &cause);
		if (rc != POS_OK) {
			rc = cli_done(c, rc, cause);
			goto out;
		}
		if ((rc = store_need_identity(c->st, &cause)) != POS_OK) {
			rc = cli_done(c, rc, cause);
			goto out;
		}
	}
	if ((cmd->flags & CLI_SUPERVISOR) != 0 &&
	    (rc = cli_supervisor(c, &a)) != POS_OK)
		goto out;
	/* Commands that print a slip queue it with the entry, unless --no-print. */
	if (c->st != NULL && cmdline_index(&a, "no-print") >= 0)
		printq_autoprint(c->st, !cmdline_flag(&a, "no-print"));
	rc = ((cli_fn)cmd->handler)(c, &a);
out:
	cmdline_args_free(&a);
	return rc;
}

int
cli_main(int argc, char **argv, cli_interactive_fn interactive)
{
	struct cli c;
	int i, rc;

	memset(&c, 0, sizeof c);
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *opt = argv[i] + 2;

		if (strcmp(opt, "json") == 0)
			c.json = true;
		else if (strcmp(opt, "pin-stdin") == 0)
			c.pin_stdin = true;
		else if (strcmp(opt, "help") == 0) {
			cli_usage(stdout);
			return POS_OK;
		} else if (strcmp(opt, "version") == 0) {
			printf("pos %s\nwindow store schema %d\n", POS_VERSION,
			    store_schema_version());
			return POS_OK;
		} else if ((strcmp(opt, "config") == 0 || strcmp(opt, "db") == 0)
		    && i + 1 < argc) {
			if (opt[0] == 'c')
				c.config_file = argv[++i];
			else
				c.db = argv[++i];
		} else if (strncmp(opt, "config=", 7) == 0)
			c.config_file = opt + 7;
		else if (strncmp(opt, "db=", 3) == 0)
			c.db = opt + 3;
		else {
			fprintf(stderr, "pos: unknown or incomplete global option "
			    "%s\n", argv[i]);
			cli_usage(stderr);
			return POS_INPUT;
		}
	}
	/* No command on a terminal: the terminal UI. */
	if (argc - i == 0 && interactive != NULL && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO))
		return interactive(c.config_file, c.db);
	rc = cli_run(&c, argc - i, argv + i);
	if (fflush(stdout) != 0 && rc == POS_OK)
		rc = cause_set(&c.cause, POS_FAIL,
		    "cannot write the output: %s", strerror(errno));
	if (rc != POS_OK && c.cause != NULL) {
		fprintf(stderr, "pos: %s\n", c.cause);
		/* One JSON document on stdout: a result, or else the error. */
		if (c.json && !cli_json_printed) {
			json_t *j = json_object();

			json_object_set_new(j, "error", json_string(c.cause));
			json_object_set_new(j, "exit", json_integer(rc));
			cli_print_json(j);
		}
	}
	free(c.cause);
	json_decref(c.day_backup);
	store_close(c.st);
	if (c.cfg_loaded)
		config_free(&c.cfg);
	return rc;
}
