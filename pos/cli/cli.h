/*
 * The `pos` command line: one table row per command (name, usage, handler,
 * needs-supervisor, help); `pos help` is generated from the table.
 */
#ifndef POS_CLI_H
#define POS_CLI_H

/*
 * A program run when there is no command and both stdin and stdout are a
 * terminal (the terminal UI), given the global --config and --db (either
 * may be NULL); returns the exit status.
 */
typedef int	(*cli_interactive_fn)(const char *config_file, const char *db);

/*
 * Run the command line; returns the exit status (POS_OK, POS_FAIL, ...).
 * interactive may be NULL: then a bare `pos` on a terminal is a command
 * line without a command.
 */
int	 cli_main(int argc, char **argv, cli_interactive_fn interactive);

#endif
