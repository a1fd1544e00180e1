/*
 * Unit tests of the central server's rules, without HTTP: tokens, and
 * ingest_journal on a real central store file in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "cstore.h"
#include "ingest.h"
#include "jsonmem.h"
#include "ledger.h"
#include "token.h"
#include "pgtest.h"
#include "xalloc.h"

struct fixture {
	char		 dir[64];
	char		*path;
	struct cstore	*st;
	char		 heads[8][LEDGER_HASH_HEX];	/* hash of seq i */
};

/* The server's clock: the entries here are of 1 March 2026. */
#define NOW	"2026-03-01T12:00:00Z"

static const struct ingest_limits limits = { .max_entries = 10,
    .keep_days = 30 };

static json_t *entry_json_at(int64_t terminal, int64_t seq, int64_t id,
    const char *prev, char hash[LEDGER_HASH_HEX]);

/* The wire form of a day_open/cash_in entry seq chained on prev. */
static json_t *
entry_json(int64_t seq, const char *prev, char hash[LEDGER_HASH_HEX])
{
	return entry_json_at(1, seq, seq, prev, hash);
}

/* The same for any terminal, with UUID number id. */
static json_t *
entry_json_at(int64_t terminal, int64_t seq, int64_t id, const char *prev,
    char hash[LEDGER_HASH_HEX])
{
	struct ledger_entry e;
	char receipt[32];
	json_t *j;

	memset(&e, 0, sizeof e);
	snprintf(e.uuid, sizeof e.uuid, "00000000-0000-4000-8000-%012lld",
	    (long long)id);
	e.seq = seq;
	e.kind = xstrdup(seq == 1 ? "day_open" : "cash_in");
	snprintf(receipt, sizeof receipt, "DMS01-%lld-%06lld",
	    (long long)terminal, (long long)seq);
	e.receipt = xstrdup(receipt);
	e.branch = xstrdup("DMS01");
	e.terminal = terminal;
	e.created_at = xstrdup("2026-03-01T09:00:00Z");
	e.business_date = xstrdup("2026-03-01");
	e.user = xstrdup("ali");
	e.currency = xstrdup("SYP");
	e.amount = 100 * seq;
	e.reason = seq == 1 ? NULL : xstrdup("فكة");
	memcpy(e.prev_hash, prev, LEDGER_HASH_HEX);
	assert_int_equal(ledger_seal(&e), 0);
	memcpy(hash, e.hash, LEDGER_HASH_HEX);
	j = ledger_to_json(&e);
	assert_non_null(j);
	ledger_entry_free(&e);
	return j;
}

/* A batch of entries first..last (each as sealed in f->heads). */
static char *
batch(struct fixture *f, const char *branch, int64_t first, int64_t last,
    void (*mangle)(json_t *entries))
{
	json_t *b = json_object(), *arr = json_array();
	char *s;

	for (int64_t i = first; i <= last; i++)
		json_array_append_new(arr, entry_json(i, i == 1 ?
		    ledger_genesis : f->heads[i - 1], f->heads[i]));
	if (mangle != NULL)
		mangle(arr);
	json_object_set_new(b, "format", json_integer(1));
	json_object_set_new(b, "branch", json_string(branch));
	json_object_set_new(b, "terminal", json_integer(1));
	json_object_set_new(b, "entries", arr);
	s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return s;
}

static json_t *
post(struct fixture *f, const char *body, const char *key, unsigned want)
{
	struct ingest_answer a;
	json_t *j;

	ingest_journal(f->st, "DMS01", key, body, strlen(body), &limits, &a);
	assert_int_equal(a.status, want);
	j = json_loads(a.body, 0, NULL);
	assert_non_null(j);
	free(a.body);
	return j;
}

static const char *
status_of(json_t *ans, size_t i)
{
	return json_string_value(json_object_get(json_array_get(
	    json_object_get(ans, "results"), i), "status"));
}

static int64_t
stored(struct fixture *f)
{
	int64_t e, l, p;

	assert_int_equal(cstore_counts(f->st, &e, &l, &p, NULL), POS_OK);
	return e;
}

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	uint8_t h[TOKEN_DIGEST] = { 1 };

	snprintf(f->dir, sizeof f->dir, "/tmp/central-unit-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->path = pgtest_store(f->dir, "central.db");
	assert_int_equal(cstore_open(f->path, true, &f->st, NULL), POS_OK);
	assert_int_equal(cstore_branch_add(f->st, "DMS01", NULL, h,
	    "2026-03-01T08:00:00Z", NULL), POS_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char *cmd;

	cstore_close(f->st);
	cmd = xasprintf("rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(cmd);
	free(f->path);
	free(f);
	return 0;
}

static void
token_is_64_hex_and_hashes_stably(void **state)
{
	char a[TOKEN_HEX], b[TOKEN_HEX];
	uint8_t da[TOKEN_DIGEST], db[TOKEN_DIGEST];

	(void)state;
	assert_int_equal(token_generate(a), 0);
	assert_int_equal(token_generate(b), 0);
	assert_true(token_well_formed(a, strlen(a)));
	assert_string_not_equal(a, b);
	assert_false(token_well_formed("ABC", 3));
	token_digest(a, 64, da);
	token_digest(a, 64, db);
	assert_true(token_equal(da, db));
	token_digest(b, 64, db);
	assert_false(token_equal(da, db));
}

static void
chain_is_accepted_then_duplicate(void **state)
{
	struct fixture *f = *state;
	char *body = batch(f, "DMS01", 1, 3, NULL);
	json_t *ans;

	ans = post(f, body, NULL, 200);
	assert_string_equal(status_of(ans, 0), "accepted");
	assert_string_equal(status_of(ans, 2), "accepted");
	assert_int_equal(json_integer_value(json_object_get(ans,
	    "acked_through")), 3);
	assert_string_equal(json_string_value(json_object_get(ans, "head")),
	    f->heads[3]);
	json_decref(ans);
	ans = post(f, body, NULL, 200);
	assert_string_equal(status_of(ans, 1), "duplicate");
	json_decref(ans);
	assert_int_equal(stored(f), 3);
	free(body);
}

static void
gap_is_409_with_expected_seq(void **state)
{
	struct fixture *f = *state;
	char *body = batch(f, "DMS01", 1, 1, NULL);
	json_t *ans;

	json_decref(post(f, body, NULL, 200));
	free(body);
	body = batch(f, "DMS01", 2, 4, NULL);
	free(body);
	body = batch(f, "DMS01", 3, 4, NULL);
	ans = post(f, body, NULL, 409);
	assert_int_equal(json_integer_value(json_object_get(ans,
	    "expected_seq")), 2);
	json_decref(ans);
	assert_int_equal(stored(f), 1);
	free(body);
}

static void
forge_second(json_t *entries)
{
	json_object_set_new(json_array_get(entries, 1), "amount",
	    json_integer(5));
}

static void
forged_entry_blocks_the_rest(void **state)
{
	struct fixture *f = *state;
	char *body = batch(f, "DMS01", 1, 4, forge_second);
	json_t *ans, *r;

	ans = post(f, body, NULL, 200);
	assert_string_equal(status_of(ans, 0), "accepted");
	assert_string_equal(status_of(ans, 1), "rejected");
	assert_string_equal(status_of(ans, 3), "rejected");
	r = json_array_get(json_object_get(ans, "results"), 3);
	assert_int_equal(json_integer_value(json_object_get(r, "blocked_by")),
	    2);
	assert_int_equal(json_integer_value(json_object_get(ans,
	    "acked_through")), 1);
	json_decref(ans);
	assert_int_equal(stored(f), 1);
	free(body);
}

static void
other_branch_is_403_and_bad_form_is_400(void **state)
{
	struct fixture *f = *state;
	char *body = batch(f, "DMS02", 1, 2, NULL);
	json_t *ans;
	const char *reason;

	json_decref(post(f, body, NULL, 403));
	free(body);
	ans = post(f, "{\"format\":1,\"branch\":\"DMS01\",\"terminal\":1,"
	    "\"entries\":[{\"v\":1}]}", NULL, 400);
	reason = json_string_value(json_array_get(json_object_get(ans,
	    "reasons"), 0));
	assert_non_null(strstr(reason, "entries[0]."));
	json_decref(ans);
	json_decref(post(f, "nope", NULL, 400));
	json_decref(post(f, "{}", "bad key\x01", 400));
	assert_int_equal(stored(f), 0);
}

static void
idempotency_key_replays_the_answer(void **state)
{
	struct fixture *f = *state;
	char *body = batch(f, "DMS01", 1, 2, NULL), *other;
	json_t *first, *again;

	first = post(f, body, "k-1", 200);
	again = post(f, body, "k-1", 200);
	assert_true(json_equal(first, again));
	assert_string_equal(status_of(again, 0), "accepted");
	other = batch(f, "DMS01", 1, 1, NULL);
	json_decref(post(f, other, "k-1", 422));
	json_decref(first);
	json_decref(again);
	free(other);
	free(body);
}

/* Entries seq 1.. of terminal 2 with these UUID numbers, as a body. */
static char *
terminal2_batch(const int64_t *ids, size_t n)
{
	json_t *b = json_object(), *arr = json_array();
	char prev[LEDGER_HASH_HEX], hash[LEDGER_HASH_HEX];
	char *s;

	memcpy(prev, ledger_genesis, LEDGER_HASH_HEX);
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(arr, entry_json_at(2, (int64_t)i + 1,
		    ids[i], prev, hash));
		memcpy(prev, hash, LEDGER_HASH_HEX);
	}
	json_object_set_new(b, "format", json_integer(1));
	json_object_set_new(b, "branch", json_string("DMS01"));
	json_object_set_new(b, "terminal", json_integer(2));
	json_object_set_new(b, "entries", arr);
	s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return s;
}

static size_t
chains(struct fixture *f, int64_t terminal, int64_t *last_seq)
{
	struct cstore_chain *c;
	size_t n, found = 0;

	assert_int_equal(cstore_chains(f->st, "DMS01", &c, &n, NULL),
	    POS_OK);
	for (size_t i = 0; i < n; i++)
		if (c[i].terminal == terminal) {
			found++;
			*last_seq = c[i].last_seq;
		}
	cstore_chains_free(c, n);
	return found;
}

/*
 * An entry that chains is inserted at once and the UUID index says whether
 * it is there already: a UUID of terminal 1 sent again as terminal 2's
 * first entry is rejected and leaves no chain row for terminal 2; taken in
 * the middle of a batch, what came before it stays stored.
 */
static void
taken_uuid_is_rejected_and_stores_nothing(void **state)
{
	struct fixture *f = *state;
	char *body = batch(f, "DMS01", 1, 2, NULL), *t2;
	const int64_t first_taken[] = { 1, 50 }, second_taken[] = { 60, 2, 61 };
	int64_t last = -1;
	json_t *ans, *r;

	json_decref(post(f, body, NULL, 200));
	free(body);
	assert_int_equal(stored(f), 2);

	t2 = terminal2_batch(first_taken, 2);
	ans = post(f, t2, NULL, 200);
	assert_string_equal(status_of(ans, 0), "rejected");
	r = json_array_get(json_object_get(ans, "results"), 0);
	assert_non_null(strstr(json_string_value(json_object_get(r, "reason")),
	    "uuid already stored (DMS01 terminal 1 seq 1)"));
	assert_string_equal(status_of(ans, 1), "rejected");
	assert_int_equal(json_integer_value(json_object_get(ans,
	    "acked_through")), 0);
	json_decref(ans);
	free(t2);
	assert_int_equal(stored(f), 2);
	assert_int_equal(chains(f, 2, &last), 0);

	t2 = terminal2_batch(second_taken, 3);
	ans = post(f, t2, NULL, 200);
	assert_string_equal(status_of(ans, 0), "accepted");
	assert_string_equal(status_of(ans, 1), "rejected");
	assert_string_equal(status_of(ans, 2), "rejected");
	assert_int_equal(json_integer_value(json_object_get(ans,
	    "acked_through")), 1);
	json_decref(ans);
	free(t2);
	assert_int_equal(stored(f), 3);
	assert_int_equal(chains(f, 2, &last), 1);
	assert_int_equal(last, 1);
}

/* The reason given for entry i of an answer. */
static const char *
reason_of(json_t *ans, size_t i)
{
	return json_string_value(json_object_get(json_array_get(
	    json_object_get(ans, "results"), i), "reason"));
}

/*
 * How far an entry's dates may be from the server's is the server's
 * setting (serve --date-tolerance-days): entries of 1 March are 2 days
 * ahead of a clock on 27 February, which 1 day refuses and the default
 * (7) takes; 10 days behind one on 11 March, which 5 days refuses.
 */
static void
date_tolerance_is_the_servers_setting(void **state)
{
	struct fixture *f = *state;
	struct ingest_limits ahead1 = limits, back5 = limits;
	struct ingest_answer a;
	char *body = batch(f, "DMS01", 1, 2, NULL);
	json_t *ans;

	ahead1.date_ahead_days = 1;
	back5.date_back_days = 5;
	setenv("POS_NOW", "2026-02-27T12:00:00Z", 1);
	ingest_journal(f->st, "DMS01", NULL, body, strlen(body), &ahead1, &a);
	assert_int_equal(a.status, 200);
	ans = json_loads(a.body, 0, NULL);
	free(a.body);
	assert_string_equal(status_of(ans, 0), "rejected");
	assert_string_equal(reason_of(ans, 0), "created_at: "
	    "2026-03-01T09:00:00Z is more than 1 days after the server's date");
	json_decref(ans);
	assert_int_equal(stored(f), 0);

	setenv("POS_NOW", "2026-03-11T12:00:00Z", 1);
	ingest_journal(f->st, "DMS01", NULL, body, strlen(body), &back5, &a);
	ans = json_loads(a.body, 0, NULL);
	free(a.body);
	assert_string_equal(status_of(ans, 0), "rejected");
	assert_non_null(strstr(reason_of(ans, 0), "is more than 5 days before "
	    "the server's date"));
	json_decref(ans);
	assert_int_equal(stored(f), 0);

	setenv("POS_NOW", "2026-02-27T12:00:00Z", 1);
	ans = post(f, body, NULL, 200);
	assert_string_equal(status_of(ans, 1), "accepted");
	json_decref(ans);
	assert_int_equal(stored(f), 2);
	setenv("POS_NOW", NOW, 1);
	free(body);
}

/*
 * The request arena: a tree built in a bracket comes from its chunks and
 * is given back at the end, down to the first chunk; a tree made before
 * the bracket is freed with free() inside it (ASan and valgrind see both).
 */
static void
arena_gives_a_request_back_whole(void **state)
{
	json_t *outside = json_pack("{s:[i,i,s]}", "k", 1, 2, "نص"), *big;
	size_t first;

	(void)state;
	jsonmem_begin();
	first = jsonmem_held();
	assert_true(first > 0);
	big = json_array();
	for (int i = 0; i < 20000; i++)
		json_array_append_new(big, json_pack("{s:i,s:s}", "seq", i,
		    "name", "سلة قش"));
	assert_true(jsonmem_held() > 4 * first);
	json_decref(big);
	json_decref(outside);
	jsonmem_end();
	assert_int_equal(jsonmem_held(), first);

	/* Outside a bracket jansson is back on malloc: held stays. */
	big = json_pack("[s,s]", "a", "b");
	assert_int_equal(jsonmem_held(), first);
	json_decref(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(token_is_64_hex_and_hashes_stably),
		cmocka_unit_test_setup_teardown(chain_is_accepted_then_duplicate,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(gap_is_409_with_expected_seq,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(forged_entry_blocks_the_rest,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    other_branch_is_403_and_bad_form_is_400, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    idempotency_key_replays_the_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    taken_uuid_is_rejected_and_stores_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    date_tolerance_is_the_servers_setting, setup, teardown),
		cmocka_unit_test(arena_gives_a_request_back_whole),
	};

	setenv("POS_NOW", NOW, 1);

	return cmocka_run_group_tests(tests, NULL, NULL);
}
