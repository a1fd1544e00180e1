/*
 * cmdline.c: the command-table parser of pos (getopt_long's manner) and
 * pos-central (exact names, options anywhere).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmdline.h"

static const struct cmdline_cmd tab[] = {
	{ .name = "sell", .usage = "ITEM...", .opts = "user=,pay=*,no-print",
	  .minargs = 1, .maxargs = -1, .help = "ring up" },
	{ .name = "day", .sub = "open", .usage = "", .opts = "user=",
	  .help = "open" },
	{ .name = "branch", .sub = "add", .usage = "CODE", .opts = "name=",
	  .minargs = 1, .maxargs = 1, .flags = 1, .help = "add" },
};
#define NTAB (sizeof tab / sizeof tab[0])

static char line_buf[256];
static char *line_argv[16];

/* Parse line, split at spaces (the words live until the next call). */
static int
parse(const struct cmdline_cmd *cmd, const char *common,
    enum cmdline_style style, const char *line, int words,
    struct cmdline_args *a, struct cmdline_error *err)
{
	int n = 0;
	char *p;

	snprintf(line_buf, sizeof line_buf, "%s", line);
	for (p = line_buf; *p != '\0' && n < 16; ) {
		line_argv[n++] = p;
		p += strcspn(p, " ");
		if (*p == ' ')
			*p++ = '\0';
	}
	return cmdline_parse(cmd, common, style, n, line_argv, words, a, err);
}

static void
finds_one_and_two_word_commands_and_says_which_word_is_unknown(void **state)
{
	int used;

	(void)state;
	assert_ptr_equal(cmdline_find(tab, NTAB, "sell", "x", &used), &tab[0]);
	assert_int_equal(used, 1);
	assert_ptr_equal(cmdline_find(tab, NTAB, "day", "open", &used),
	    &tab[1]);
	assert_int_equal(used, 2);
	assert_null(cmdline_find(tab, NTAB, "day", "shut", &used));
	assert_int_equal(used, -1);
	assert_null(cmdline_find(tab, NTAB, "day", NULL, &used));
	assert_int_equal(used, -1);
	assert_null(cmdline_find(tab, NTAB, "nosuch", NULL, &used));
	assert_int_equal(used, 0);
}

static void
getopt_style_takes_prefixes_repeats_and_stops_at_double_dash(void **state)
{
	struct cmdline_args a;
	struct cmdline_error err;
	int i;

	(void)state;
	assert_int_equal(parse(&tab[0], NULL, CMDLINE_GETOPT, "sell --us ann "
	    "A*2 --pay=cash:5 --pay card:1 B -- C", 1, &a, &err), 0);
	assert_string_equal(cmdline_opt(&a, "user"), "ann");
	i = cmdline_index(&a, "pay");
	assert_int_equal(a.nvalues[i], 2);
	assert_string_equal(a.values[i][0], "cash:5");
	assert_string_equal(a.values[i][1], "card:1");
	assert_false(cmdline_flag(&a, "no-print"));
	assert_int_equal(a.npos, 2);
	assert_string_equal(a.pos[0], "A*2");
	assert_string_equal(a.pos[1], "B");
	cmdline_args_free(&a);
}

/* Parse line for sell in getopt style; it must fail with fault. */
static void
sell_fails(const char *line, enum cmdline_fault fault, const char *word)
{
	struct cmdline_args a;
	struct cmdline_error err;

	assert_int_equal(parse(&tab[0], NULL, CMDLINE_GETOPT, line, 1, &a,
	    &err), POS_FAIL);
	assert_int_equal(err.fault, fault);
	if (word != NULL)
		assert_string_equal(err.word, word);
	cmdline_args_free(&a);
}

static void
getopt_style_faults_name_the_word(void **state)
{
	(void)state;
	sell_fails("sell -x A", CMDLINE_SHORT, "-x");
	sell_fails("sell A --user", CMDLINE_NEEDS_VALUE, "--user");
	sell_fails("sell A --no-print=1", CMDLINE_NO_VALUE, "--no-print=1");
	sell_fails("sell A --user a --user=b", CMDLINE_TWICE, "--user=b");
	sell_fails("sell A --bogus", CMDLINE_UNKNOWN, "--bogus");
	sell_fails("sell --user a", CMDLINE_MISSING, NULL);
}

static void
plain_style_skips_the_words_anywhere_and_knows_common_options(void **state)
{
	struct cmdline_args a;
	struct cmdline_error err;

	(void)state;
	assert_int_equal(parse(&tab[2], "db=,json", CMDLINE_PLAIN,
	    "--db c.db branch add B1 --json", 2, &a, &err), 0);
	assert_string_equal(cmdline_opt(&a, "db"), "c.db");
	assert_string_equal(cmdline_opt(&a, "json"), "");
	assert_null(cmdline_opt(&a, "name"));
	assert_int_equal(a.npos, 1);
	assert_string_equal(a.pos[0], "B1");
	cmdline_args_free(&a);
	assert_int_equal(parse(&tab[2], "db=,json", CMDLINE_PLAIN,
	    "branch add B1 B2 --bogus", 2, &a, &err), POS_FAIL);
	assert_int_equal(err.fault, CMDLINE_SURPLUS);
	assert_string_equal(err.word, "B2");
	cmdline_args_free(&a);
	assert_int_equal(parse(&tab[2], "db=,json", CMDLINE_PLAIN,
	    "branch add B1 --na x", 2, &a, &err), POS_FAIL);
	assert_int_equal(err.fault, CMDLINE_UNKNOWN);
	assert_string_equal(err.name, "na");
	cmdline_args_free(&a);
	assert_int_equal(parse(&tab[2], "db=,json", CMDLINE_PLAIN,
	    "branch add -x", 2, &a, &err), 0);
	assert_string_equal(a.pos[0], "-x");
	cmdline_args_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    finds_one_and_two_word_commands_and_says_which_word_is_unknown),
		cmocka_unit_test(
		    getopt_style_takes_prefixes_repeats_and_stops_at_double_dash),
		cmocka_unit_test(getopt_style_faults_name_the_word),
		cmocka_unit_test(
		    plain_style_skips_the_words_anywhere_and_knows_common_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
