/*
 * The `pos` command line: one table row per command (name, usage, handler,
 * needs-supervisor, help); `pos help` is generated from the table.
 */
#ifndef POS_CLI_H
#define POS_CLI_H

/* Run the command line; returns the exit status (POS_OK, POS_FAIL, ...). */
int	 cli_main(int argc, char **argv);

#endif
