/*
 * One table of commands, one parser: the command lines of pos and
 * pos-central. A row names a command of one or two words, its usage, its
 * options and how many arguments it takes; the program finds a row with
 * cmdline_find, parses the words after it with cmdline_parse and prints
 * its help with cmdline_help. The parser reports what was wrong as a kind
 * and the word at fault; each program words its own messages.
 */
#ifndef POS_CMDLINE_H
#define POS_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cause.h"

#define CMDLINE_MAX_OPTS	24

/*
 * A handler of either program, stored as a generic function pointer (as
 * GLib's GCallback): each program casts it back to its own handler type
 * in the one place it calls it. Write rows with CMDLINE_FN(handler).
 */
typedef void	(*cmdline_fn)(void);
#define CMDLINE_FN(f)	((cmdline_fn)(f))

struct cmdline_cmd {
	const char	*name;
	const char	*sub;		/* second word; NULL: a one-word command */
	const char	*usage;		/* what follows the words in usage text */
	const char	*opts;		/* "user=,pay=*,no-print": '=' takes a
					   value, '*' may be given again */
	int		 minargs;	/* positional arguments after the words */
	int		 maxargs;	/* -1: any number */
	unsigned	 flags;		/* the program's own bits */
	cmdline_fn	 handler;
	const char	*help;		/* one line for the help text */
};

/* How options are read. */
enum cmdline_style {
	/*
	 * Exact option names; "-x" is an argument; a surplus argument is
	 * reported where it stands.
	 */
	CMDLINE_PLAIN,
	/*
	 * As getopt_long in its in-order mode: a long option may be shortened
	 * to a prefix that is not ambiguous, "-x" is an (unknown) short
	 * option, "--" ends the command line (what follows is not read), and
	 * a wrong number of arguments is reported after the options.
	 */
	CMDLINE_GETOPT
};

/* What cmdline_parse found wrong. */
enum cmdline_fault {
	CMDLINE_OK,
	CMDLINE_UNKNOWN,	/* no such option, or an ambiguous prefix */
	CMDLINE_SHORT,		/* "-x" in CMDLINE_GETOPT style */
	CMDLINE_NEEDS_VALUE,	/* last word, and the option takes a value */
	CMDLINE_NO_VALUE,	/* "--flag=..." for an option without value */
	CMDLINE_TWICE,		/* given again, and not marked '*' */
	CMDLINE_SURPLUS,	/* more arguments than maxargs */
	CMDLINE_MISSING		/* fewer arguments than minargs */
};

struct cmdline_error {
	enum cmdline_fault	 fault;
	const char		*word;		/* the word at fault; not owned */
	char			 name[64];	/* the option as written before
						   '=', or its full name for
						   CMDLINE_TWICE */
};

/* The parsed options and arguments; free with cmdline_args_free. */
struct cmdline_args {
	size_t		 nopts;
	const char	*name[CMDLINE_MAX_OPTS];	/* into spec */
	bool		 takes[CMDLINE_MAX_OPTS];
	bool		 multi[CMDLINE_MAX_OPTS];
	char		*value[CMDLINE_MAX_OPTS];	/* last value, "" for a
							   flag, NULL: absent;
							   into argv */
	char	       **values[CMDLINE_MAX_OPTS];	/* every value of a '*'
							   option; owned */
	size_t		 nvalues[CMDLINE_MAX_OPTS];
	char	       **pos;		/* the arguments, in order; into argv */
	int		 npos;
	char		*spec;		/* owned */
};

/*
 * The row for words word and sub (sub may be NULL). *used is 1 or 2, the
 * words the row takes; when there is none, NULL with *used 0 (no command
 * of that name) or -1 (the name is known, the second word is not).
 */
const struct cmdline_cmd *cmdline_find(const struct cmdline_cmd *tab,
	    size_t n, const char *word, const char *sub, int *used);

/*
 * Parse argv[0..argc-1] for cmd: the first `words` arguments that are not
 * options are the command's own words and are skipped. common is a spec of
 * options every command takes (may be NULL). Returns POS_OK, or POS_FAIL
 * with *err filled. Either way a is set and must be freed; a refers into argv.
 */
int	 cmdline_parse(const struct cmdline_cmd *cmd, const char *common,
	    enum cmdline_style style, int argc, char **argv, int words,
	    struct cmdline_args *a, struct cmdline_error *err);

void	 cmdline_args_free(struct cmdline_args *a);

/* The index of option name in a, or -1 when no command takes it. */
int	 cmdline_index(const struct cmdline_args *a, const char *name);

/* The option's value: "" for a flag given, NULL when absent. */
const char *cmdline_opt(const struct cmdline_args *a, const char *name);

bool	 cmdline_flag(const struct cmdline_args *a, const char *name);

/*
 * One entry per row: "  PROG NAME [SUB] USAGE" and "      HELP", with note
 * after the help of rows that have any of the bits in flags.
 */
void	 cmdline_help(FILE *out, const char *prog,
	    const struct cmdline_cmd *tab, size_t n, unsigned flags,
	    const char *note);

#endif
