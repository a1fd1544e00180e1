/*
 * The command-table parser. Options are long options only ("--name",
 * "--name=value", "--name value"); everything else is an argument.
 */
#include "cmdline.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "xalloc.h"

const struct cmdline_cmd *
cmdline_find(const struct cmdline_cmd *tab, size_t n, const char *word,
    const char *sub, int *used)
{
	bool name_known = false;

	for (size_t i = 0; i < n; i++) {
		const struct cmdline_cmd *cmd = &tab[i];

		if (strcmp(cmd->name, word) != 0)
			continue;
		name_known = true;
		if (cmd->sub == NULL) {
			*used = 1;
			return cmd;
		}
		if (sub != NULL && strcmp(cmd->sub, sub) == 0) {
			*used = 2;
			return cmd;
		}
	}
	*used = name_known ? -1 : 0;
	return NULL;
}

/* Add the options of spec (a copy the caller keeps in a) to a. */
static void
cmdline_spec(struct cmdline_args *a, char *spec)
{
	char *tok;
	size_t len;

	while (*spec != '\0' && a->nopts < CMDLINE_MAX_OPTS) {
		tok = spec;
		len = strcspn(tok, ",");
		spec += len;
		if (*spec == ',')
			*spec++ = '\0';
		if (len == 0)
			continue;
		if (tok[len - 1] == '*') {
			a->multi[a->nopts] = true;
			tok[--len] = '\0';
		}
		if (len > 0 && tok[len - 1] == '=') {
			a->takes[a->nopts] = true;
			tok[--len] = '\0';
		}
		a->name[a->nopts++] = tok;
	}
}

/*
 * The option named by the len bytes at name: an exact match, else (with
 * prefix) the first option it begins, unless another one it begins differs
 * in taking a value (getopt_long's rule). -1 when none or ambiguous.
 */
static int
cmdline_lookup(const struct cmdline_args *a, const char *name, size_t len,
    bool prefix)
{
	int found = -1;

	for (size_t i = 0; i < a->nopts; i++)
		if (strlen(a->name[i]) == len &&
		    strncmp(a->name[i], name, len) == 0)
			return (int)i;
	if (!prefix)
		return -1;
	for (size_t i = 0; i < a->nopts; i++) {
		if (strncmp(a->name[i], name, len) != 0)
			continue;
		if (found < 0)
			found = (int)i;
		else if (a->takes[found] != a->takes[i])
			return -1;
	}
	return found;
}

static int
cmdline_fail(struct cmdline_error *err, enum cmdline_fault fault,
    const char *word, const char *name, size_t len)
{
	err->fault = fault;
	err->word = word;
	snprintf(err->name, sizeof err->name, "%.*s", (int)len, name);
	return POS_FAIL;
}

int
cmdline_parse(const struct cmdline_cmd *cmd, const char *common,
    enum cmdline_style style, int argc, char **argv, int words,
    struct cmdline_args *a, struct cmdline_error *err)
{
	bool getopt = style == CMDLINE_GETOPT;
	size_t speclen;
	int i, k;

	memset(a, 0, sizeof *a);
	memset(err, 0, sizeof *err);
	speclen = strlen(cmd->opts != NULL ? cmd->opts : "");
	a->spec = xmalloc(speclen + (common != NULL ? strlen(common) : 0) + 2);
	memcpy(a->spec, cmd->opts != NULL ? cmd->opts : "", speclen + 1);
	cmdline_spec(a, a->spec);
	if (common != NULL) {
		memcpy(a->spec + speclen + 1, common, strlen(common) + 1);
		cmdline_spec(a, a->spec + speclen + 1);
	}
	for (i = 0; i < argc; i++) {
		char *arg = argv[i], *eq, *v;
		size_t len;

		if (getopt && strcmp(arg, "--") == 0)
			break;
		if (getopt && arg[0] == '-' && arg[1] != '-' && arg[1] != '\0')
			return cmdline_fail(err, CMDLINE_SHORT, arg, arg + 1, 1);
		if (strncmp(arg, "--", 2) != 0) {
			if (words > 0) {
				words--;
				continue;
			}
			if (!getopt && cmd->maxargs >= 0 &&
			    a->npos == cmd->maxargs)
				return cmdline_fail(err, CMDLINE_SURPLUS, arg,
				    "", 0);
			a->pos = xreallocarray(a->pos, (size_t)a->npos + 1,
			    sizeof *a->pos);
			a->pos[a->npos++] = arg;
			continue;
		}
		eq = strchr(arg, '=');
		len = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		if ((k = cmdline_lookup(a, arg + 2, len, getopt)) < 0)
			return cmdline_fail(err, CMDLINE_UNKNOWN, arg, arg + 2,
			    len);
		if (getopt && a->takes[k] && eq == NULL && i + 1 == argc)
			return cmdline_fail(err, CMDLINE_NEEDS_VALUE, arg,
			    arg + 2, len);
		if (getopt && !a->takes[k] && eq != NULL)
			return cmdline_fail(err, CMDLINE_NO_VALUE, arg, arg + 2,
			    len);
		if (a->value[k] != NULL && !a->multi[k])
			return cmdline_fail(err, CMDLINE_TWICE, arg, a->name[k],
			    strlen(a->name[k]));
		if (!a->takes[k]) {
			if (eq != NULL)
				return cmdline_fail(err, CMDLINE_NO_VALUE, arg,
				    arg + 2, len);
			v = (char *)"";
		} else if (eq != NULL)
			v = eq + 1;
		else if (i + 1 < argc)
			v = argv[++i];
		else
			return cmdline_fail(err, CMDLINE_NEEDS_VALUE, arg,
			    arg + 2, len);
		a->value[k] = v;
		if (a->multi[k]) {
			a->values[k] = xreallocarray(a->values[k],
			    a->nvalues[k] + 1, sizeof *a->values[k]);
			a->values[k][a->nvalues[k]++] = v;
		}
	}
	if (getopt && cmd->maxargs >= 0 && a->npos > cmd->maxargs)
		return cmdline_fail(err, CMDLINE_SURPLUS,
		    a->pos[cmd->maxargs], "", 0);
	if (a->npos < cmd->minargs)
		return cmdline_fail(err, CMDLINE_MISSING, NULL, "", 0);
	return POS_OK;
}

void
cmdline_args_free(struct cmdline_args *a)
{
	for (size_t i = 0; i < a->nopts; i++)
		free(a->values[i]);
	free(a->pos);
	free(a->spec);
	memset(a, 0, sizeof *a);
}

int
cmdline_index(const struct cmdline_args *a, const char *name)
{
	for (size_t i = 0; i < a->nopts; i++)
		if (strcmp(a->name[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
cmdline_opt(const struct cmdline_args *a, const char *name)
{
	int i = cmdline_index(a, name);

	return i < 0 ? NULL : a->value[i];
}

bool
cmdline_flag(const struct cmdline_args *a, const char *name)
{
	return cmdline_opt(a, name) != NULL;
}

void
cmdline_man(FILE *out, const char *prog, const struct cmdline_cmd *tab,
    size_t n, unsigned flags, const char *note)
{
	for (size_t i = 0; i < n; i++) {
		const struct cmdline_cmd *cmd = &tab[i];

		fputs(".TP\n\\fB", out);
		config_man_text(out, prog);
		fprintf(out, " %s%s%s\\fR", cmd->name, cmd->sub != NULL ?
		    " " : "", cmd->sub != NULL ? cmd->sub : "");
		if (*cmd->usage != '\0') {
			fputc(' ', out);
			config_man_text(out, cmd->usage);
		}
		fputs("\n", out);
		config_man_text(out, cmd->help);
		if ((cmd->flags & flags) != 0)
			config_man_text(out, note);
		fputs(".\n", out);
	}
}

void
cmdline_help(FILE *out, const char *prog, const struct cmdline_cmd *tab,
    size_t n, unsigned flags, const char *note)
{
	for (size_t i = 0; i < n; i++) {
		const struct cmdline_cmd *cmd = &tab[i];

		fprintf(out, "  %s %s%s%s %s\n      %s%s\n", prog, cmd->name,
		    cmd->sub != NULL ? " " : "", cmd->sub != NULL ? cmd->sub :
		    "", cmd->usage, cmd->help, (cmd->flags & flags) != 0 ?
		    note : "");
	}
}
