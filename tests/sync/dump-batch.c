/*
 * dump-batch DB FROM_SEQ COUNT: a window store's journal entries
 * FROM_SEQ .. FROM_SEQ+COUNT-1 (COUNT 0: to the end) as one sync batch,
 * {"format":1,"branch","terminal","entries":[ledger_to_json...]}, on stdout.
 * The tests use it as the window side until the push client exists.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "journal.h"
#include "ledger.h"
#include "store.h"

static long long
number(const char *s, const char *what)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < 0) {
		fprintf(stderr, "dump-batch: %s: not a number: %s\n", what, s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct store *st;
	struct ledger_entry e;
	json_t *batch, *entries;
	char *cause = NULL, *s;
	long long from, count, seq;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: dump-batch DB FROM_SEQ COUNT\n");
		return 2;
	}
	from = number(argv[2], "FROM_SEQ");
	count = number(argv[3], "COUNT");
	if ((rc = store_open(argv[1], false, NULL, &st, &cause)) != POS_OK) {
		fprintf(stderr, "dump-batch: %s\n", cause);
		return rc;
	}
	if ((rc = store_need_identity(st, &cause)) != POS_OK) {
		fprintf(stderr, "dump-batch: %s\n", cause);
		return rc;
	}
	entries = json_array();
	for (seq = from; count == 0 || seq < from + count; seq++) {
		if (journal_load(st, seq, &e, &cause) != POS_OK) {
			if (count == 0)
				break;
			fprintf(stderr, "dump-batch: seq %lld: %s\n", seq, cause);
			return 1;
		}
		json_array_append_new(entries, ledger_to_json(&e));
		ledger_entry_free(&e);
	}
	free(cause);
	batch = json_object();
	json_object_set_new(batch, "format", json_integer(1));
	json_object_set_new(batch, "branch", json_string(st->branch));
	json_object_set_new(batch, "terminal", json_integer(st->terminal));
	json_object_set_new(batch, "entries", entries);
	s = json_dumps(batch, JSON_COMPACT | JSON_PRESERVE_ORDER);
	puts(s);
	free(s);
	json_decref(batch);
	store_close(st);
	return 0;
}
