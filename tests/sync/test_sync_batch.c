/*
 * The push client's wire side (sync/ledger/batch.c): a batch is the protocol's
 * envelope around exactly ledger_to_json of each entry, consecutive, under
 * both caps; its Idempotency-Key is deterministic and changes with the
 * body; answers are decoded strictly (a 200 without a head, a 409 without
 * expected_seq or an unknown status are refused).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "batch.h"
#include "ledger.h"
#include "xalloc.h"

static void
payout(struct ledger_entry *e, int64_t seq, const char *prev, int64_t amount)
{
	memset(e, 0, sizeof *e);
	snprintf(e->uuid, sizeof e->uuid,
	    "b7e4a2d9-6c1f-4a8e-9d3b-5f0e2c7a1b%02lld", (long long)seq);
	e->seq = seq;
	e->kind = xstrdup("payout");
	e->receipt = xasprintf("DAM01-3-%06lld", (long long)seq);
	e->branch = xstrdup("DAM01");
	e->terminal = 3;
	e->created_at = xstrdup("2026-03-01T17:40:00Z");
	e->business_date = xstrdup("2026-03-01");
	e->user = xstrdup("رنا");
	e->currency = xstrdup("SYP");
	e->producer_code = xstrdup("F07");
	e->producer_name = xstrdup("مخبز حماة");
	e->amount = amount;
	memcpy(e->prev_hash, prev, LEDGER_HASH_HEX);
	assert_int_equal(ledger_seal(e), 0);
}

static char *
entry_text(const struct ledger_entry *e)
{
	json_t *j = ledger_to_json(e);
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(j);
	return s;
}

static void
test_batch_is_the_envelope_around_each_entry(void **state)
{
	struct ledger_entry e[3];
	struct batch_writer *w;
	char key[BATCH_KEY_MAX + 1], key2[BATCH_KEY_MAX + 1], *body, *body2;
	char *cause = NULL, *want;
	size_t len, len2;

	(void)state;
	payout(&e[0], 7, ledger_genesis, 1000);
	payout(&e[1], 8, e[0].hash, 2000);
	payout(&e[2], 10, e[1].hash, 3000);

	w = batch_writer_new("DAM01", 3, 10, 1u << 20);
	assert_int_equal(batch_writer_add(w, &e[0], &cause), 0);
	assert_int_equal(batch_writer_add(w, &e[1], &cause), 0);
	assert_int_equal(batch_writer_add(w, &e[2], &cause), POS_FAIL);
	assert_non_null(strstr(cause, "does not follow"));
	free(cause);
	assert_int_equal(batch_writer_count(w), 2);
	assert_int_equal(batch_writer_first(w), 7);
	assert_int_equal(batch_writer_last(w), 8);
	body = batch_writer_finish(w, &len, key);
	batch_writer_free(w);

	char *a = entry_text(&e[0]), *b = entry_text(&e[1]);
	want = xasprintf("{\"format\":1,\"branch\":\"DAM01\",\"terminal\":3,"
	    "\"entries\":[%s,%s]}", a, b);
	assert_string_equal(body, want);
	assert_int_equal(len, strlen(want));
	assert_int_equal(strncmp(key, "DAM01-3-7-8-", 12), 0);
	assert_int_equal(strlen(key), 12 + 16);

	/* The same entries give the same key; other content another. */
	w = batch_writer_new("DAM01", 3, 10, 1u << 20);
	batch_writer_add(w, &e[0], &cause);
	batch_writer_add(w, &e[1], &cause);
	body2 = batch_writer_finish(w, &len2, key2);
	batch_writer_free(w);
	assert_string_equal(key, key2);
	free(body2);
	e[1].amount++;
	w = batch_writer_new("DAM01", 3, 10, 1u << 20);
	batch_writer_add(w, &e[0], &cause);
	batch_writer_add(w, &e[1], &cause);
	body2 = batch_writer_finish(w, &len2, key2);
	batch_writer_free(w);
	assert_string_not_equal(key, key2);
	assert_int_equal(strncmp(key2, "DAM01-3-7-8-", 12), 0);

	free(body2);
	free(a);
	free(b);
	free(want);
	free(body);
	for (int i = 0; i < 3; i++)
		ledger_entry_free(&e[i]);
}

static void
test_caps_on_entries_and_bytes(void **state)
{
	struct ledger_entry e[2];
	struct batch_writer *w;
	char key[BATCH_KEY_MAX + 1], *cause = NULL, *body;
	size_t len;

	(void)state;
	payout(&e[0], 1, ledger_genesis, 1000);
	payout(&e[1], 2, e[0].hash, 2000);
	w = batch_writer_new("DAM01", 3, 1, 1u << 20);
	assert_int_equal(batch_writer_add(w, &e[0], &cause), 0);
	assert_int_equal(batch_writer_add(w, &e[1], &cause), BATCH_FULL);
	batch_writer_free(w);

	/* One entry over the byte cap still goes alone; a second does not. */
	w = batch_writer_new("DAM01", 3, 100, 64);
	assert_int_equal(batch_writer_add(w, &e[0], &cause), 0);
	assert_int_equal(batch_writer_add(w, &e[1], &cause), BATCH_FULL);
	assert_int_equal(batch_writer_count(w), 1);
	batch_writer_free(w);

	/* An empty batch is the protocol's probe. */
	w = batch_writer_new("DAM01", 3, 100, 1u << 20);
	body = batch_writer_finish(w, &len, key);
	assert_string_equal(body, "{\"format\":1,\"branch\":\"DAM01\","
	    "\"terminal\":3,\"entries\":[]}");
	free(body);
	batch_writer_free(w);
	ledger_entry_free(&e[0]);
	ledger_entry_free(&e[1]);
}

#define HEAD "5ef9" "00000000000000000000000000000000000000000000000000000000" "fe3d"

static void
test_answers_are_decoded_strictly(void **state)
{
	struct batch_answer a;
	char *cause = NULL;
	const char *ok = "{\"results\":[{\"uuid\":\"u1\",\"seq\":3,\"status\":"
	    "\"accepted\"},{\"uuid\":\"u2\",\"seq\":4,\"status\":\"rejected\","
	    "\"reason\":\"hash does not match\"},{\"uuid\":\"u3\",\"seq\":5,"
	    "\"status\":\"rejected\",\"reason\":\"follows\",\"blocked_by\":4}],"
	    "\"acked_through\":3,\"head\":\"" HEAD "\"}";
	const char *c409 = "{\"error\":\"gap\",\"expected_seq\":6,"
	    "\"acked_through\":5,\"head\":\"" HEAD "\"}";

	(void)state;
	assert_int_equal(strlen(HEAD), 64);
	assert_int_equal(batch_answer_parse(200, ok, strlen(ok), &a, &cause), 0);
	assert_int_equal(a.nresults, 3);
	assert_int_equal(a.acked_through, 3);
	assert_int_equal(a.results[0].status, BATCH_ACCEPTED);
	assert_int_equal(a.results[1].status, BATCH_REJECTED);
	assert_string_equal(a.results[1].reason, "hash does not match");
	assert_int_equal(a.results[1].blocked_by, 0);
	assert_int_equal(a.results[2].blocked_by, 4);
	batch_answer_free(&a);

	assert_int_equal(batch_answer_parse(409, c409, strlen(c409), &a,
	    &cause), 0);
	assert_int_equal(a.expected_seq, 6);
	assert_string_equal(a.error, "gap");
	batch_answer_free(&a);

	const char *bad[][2] = {
		{ "200", "{\"results\":[],\"acked_through\":3}" },
		{ "200", "{\"results\":[],\"acked_through\":3,\"head\":\"XYZ\"}" },
		{ "200", "{\"results\":[{\"uuid\":\"u\",\"seq\":1,\"status\":"
		    "\"maybe\"}],\"acked_through\":0,\"head\":\"" HEAD "\"}" },
		{ "409", "{\"error\":\"gap\",\"acked_through\":5,\"head\":\""
		    HEAD "\"}" },
		{ "403", "{}" },
		{ "200", "not json" },
		{ "200", "" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		long st = strtol(bad[i][0], NULL, 10);

		cause = NULL;
		assert_int_equal(batch_answer_parse(st, bad[i][1],
		    strlen(bad[i][1]), &a, &cause), POS_FAIL);
		assert_non_null(cause);
		free(cause);
	}
	const char *e400 = "{\"error\":\"invalid batch\",\"reasons\":["
	    "\"entries[1].lines[0].unit: must be piece or kg\"]}";
	assert_int_equal(batch_answer_parse(400, e400, strlen(e400), &a,
	    &cause), 0);
	assert_int_equal(a.nreasons, 1);
	assert_string_equal(a.error, "invalid batch");
	batch_answer_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_is_the_envelope_around_each_entry),
		cmocka_unit_test(test_caps_on_entries_and_bytes),
		cmocka_unit_test(test_answers_are_decoded_strictly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
