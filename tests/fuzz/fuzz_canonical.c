/*
 * The canonical encoder round trip (sync/ledger/ledger.h): for any JSON that
 * ledger_from_json accepts as an entry, ledger_to_json gives a wire form
 * that is accepted again and yields the same canonical bytes, the same
 * hash and the same wire form; what the decoder accepts the validator
 * accepts too, and sealing an accepted entry makes ledger_check true; and
 * the server's streaming reader agrees with ledger_from_json on the same
 * text. A batch ({"entries": [...]}) is taken entry by entry.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "ingest.h"
#include "ledger.h"

/*
 * The server reads entries with a streaming parser (ingest_read_entry):
 * on the same JSON text it must give ledger_from_json's verdict, the same
 * complaint, and for an accepted entry the same canonical bytes.
 */
static void
same_as_server(const json_t *j)
{
	struct ledger_entry e, s;
	char *text, *c1 = NULL, *c2 = NULL, *b1, *b2;
	size_t n1, n2;
	int r1, r2;

	if ((text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_ENCODE_ANY)) == NULL)
		return;
	r1 = ledger_from_json(j, &e, &c1);
	r2 = ingest_read_entry(text, strlen(text), &s, &c2);
	if (r1 != r2)
		fuzz_fail("ledger_from_json says %d (%s), the server's reader "
		    "%d (%s) for %s", r1, c1 ? c1 : "-", r2, c2 ? c2 : "-",
		    text);
	if (r1 != 0 && strcmp(c1, c2) != 0)
		fuzz_fail("complaints differ: \"%s\" and \"%s\" for %s", c1,
		    c2, text);
	if (r1 == 0) {
		b1 = ledger_canonical(&e, &n1);
		b2 = ledger_canonical(&s, &n2);
		if (b1 == NULL || b2 == NULL || n1 != n2 ||
		    memcmp(b1, b2, n1) != 0 || strcmp(e.hash, s.hash) != 0)
			fuzz_fail("the server's reader read another entry "
			    "from %s", text);
		free(b1);
		free(b2);
		ledger_entry_free(&e);
		ledger_entry_free(&s);
	}
	free(c1);
	free(c2);
	free(text);
}

static void
round_trip(const json_t *j)
{
	struct ledger_entry e, e2;
	char *cause = NULL, *c1, *c2, *w1, *w2, h1[LEDGER_HASH_HEX],
	    h2[LEDGER_HASH_HEX];
	size_t n1, n2;
	json_t *j1, *j2;
	int checked;

	if (ledger_from_json(j, &e, &cause) != 0) {
		if (cause == NULL || cause[0] == '\0')
			fuzz_fail("ledger_from_json refused with no cause");
		free(cause);
		ledger_entry_free(&e);
		return;
	}
	if (ledger_validate(&e, &cause) != 0)
		fuzz_fail("decoded entry fails ledger_validate: %s", cause);
	if ((c1 = ledger_canonical(&e, &n1)) == NULL)
		fuzz_fail("decoded entry has no canonical bytes");
	if ((j1 = ledger_to_json(&e)) == NULL)
		fuzz_fail("decoded entry has no wire form");
	if (ledger_from_json(j1, &e2, &cause) != 0)
		fuzz_fail("the wire form of a decoded entry is refused: %s",
		    cause);
	if ((c2 = ledger_canonical(&e2, &n2)) == NULL || n1 != n2 ||
	    memcmp(c1, c2, n1) != 0)
		fuzz_fail("canonical bytes differ after the round trip:\n%s\n%s",
		    c1, c2 != NULL ? c2 : "(null)");
	if (ledger_hash(e.prev_hash, c1, n1, h1) != 0 ||
	    ledger_hash(e2.prev_hash, c2, n2, h2) != 0 ||
	    strcmp(h1, h2) != 0 || strcmp(e.hash, e2.hash) != 0 ||
	    strcmp(e.prev_hash, e2.prev_hash) != 0)
		fuzz_fail("hash differs after the round trip");
	checked = ledger_check(&e);
	if (checked != ledger_check(&e2) || checked != (strcmp(h1, e.hash) == 0))
		fuzz_fail("ledger_check disagrees with the recomputed hash");
	j2 = ledger_to_json(&e2);
	w1 = json_dumps(j1, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_SORT_KEYS);
	w2 = json_dumps(j2, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_SORT_KEYS);
	if (w1 == NULL || w2 == NULL || strcmp(w1, w2) != 0)
		fuzz_fail("wire form differs after the round trip");
	if (ledger_seal(&e2) != 0 || !ledger_check(&e2))
		fuzz_fail("a sealed entry does not check");
	free(w1);
	free(w2);
	json_decref(j1);
	json_decref(j2);
	free(c1);
	free(c2);
	ledger_entry_free(&e);
	ledger_entry_free(&e2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *j, *entries, *v;
	size_t i;

	j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES |
	    JSON_ALLOW_NUL, &jerr);
	if (j == NULL)
		return 0;
	entries = json_object_get(j, "entries");
	if (json_is_array(entries)) {
		json_array_foreach(entries, i, v) {
			round_trip(v);
			same_as_server(v);
		}
	} else {
		round_trip(j);
		same_as_server(j);
	}
	json_decref(j);
	return 0;
}
