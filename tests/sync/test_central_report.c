/*
 * Unit tests of the office's reports (creport.h) on a real central store
 * file in a temporary directory: which window has not synced, producers'
 * totals per currency, and the re-check of stored chains.
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

#include "creport.h"
#include "cstore.h"
#include "ledger.h"
#include "pgtest.h"
#include "xalloc.h"

#define RECEIVED	"2026-03-02T18:00:00Z"

struct fixture {
	char		 dir[64];
	char		*path;
	struct cstore	*st;
	int		 uuids;		/* UUIDs given out so far */
};

/* A chain being written: its branch, terminal, last seq and head. */
struct chain {
	const char	*branch;
	int64_t		 terminal;
	int64_t		 seq;
	char		 head[LEDGER_HASH_HEX];
};

static void
branch(struct fixture *f, const char *code, bool revoked)
{
	uint8_t h[TOKEN_DIGEST] = { 0 };

	h[0] = (uint8_t)code[0];
	h[1] = (uint8_t)code[4];
	assert_int_equal(cstore_branch_add(f->st, code, NULL, h,
	    "2026-02-01T08:00:00Z", NULL), POS_OK);
	if (revoked)
		assert_int_equal(cstore_branch_revoke(f->st, code,
		    "2026-02-02T08:00:00Z", NULL), POS_OK);
}

/* The next entry of chain c: kind on date, with its fields zeroed. */
static void
entry_start(struct fixture *f, struct chain *c, struct ledger_entry *e,
    const char *kind, const char *date)
{
	char receipt[48], created[24];

	memset(e, 0, sizeof *e);
	snprintf(e->uuid, sizeof e->uuid, "00000000-0000-4000-8000-%012d",
	    ++f->uuids);
	e->seq = c->seq + 1;
	e->kind = xstrdup(kind);
	snprintf(receipt, sizeof receipt, "%s-%lld-%06lld", c->branch,
	    (long long)c->terminal, (long long)e->seq);
	e->receipt = xstrdup(receipt);
	e->branch = xstrdup(c->branch);
	e->terminal = c->terminal;
	snprintf(created, sizeof created, "%sT09:00:00Z", date);
	e->created_at = xstrdup(created);
	e->business_date = xstrdup(date);
	e->user = xstrdup("ali");
	e->currency = xstrdup("SYP");
	memcpy(e->prev_hash, c->head, LEDGER_HASH_HEX);
}

/* Seal e (unless it is to be left as it is) and store it as ingest would. */
static void
entry_store(struct fixture *f, struct chain *c, struct ledger_entry *e,
    bool seal)
{
	char *cause = NULL;

	if (seal && ledger_seal(e) != 0) {
		ledger_validate(e, &cause);
		fail_msg("cannot seal a %s: %s", e->kind, cause);
	}
	assert_int_equal(cstore_begin(f->st, true, NULL), POS_OK);
	assert_int_equal(cstore_put_head(f->st, c->branch, c->terminal, e->seq,
	    e->hash, RECEIVED, NULL), POS_OK);
	assert_int_equal(cstore_insert(f->st, e, RECEIVED, NULL), POS_OK);
	assert_int_equal(cstore_commit(f->st, NULL), POS_OK);
	c->seq = e->seq;
	memcpy(c->head, e->hash, LEDGER_HASH_HEX);
	ledger_entry_free(e);
}

/* A day_open, day_close or cash_in of amount on date. */
static void
simple(struct fixture *f, struct chain *c, const char *kind, const char *date)
{
	struct ledger_entry e;

	entry_start(f, c, &e, kind, date);
	e.amount = 1000;
	if (strcmp(kind, "cash_in") == 0)
		e.reason = xstrdup("فكة");
	entry_store(f, c, &e, true);
}

/* A cash sale of one piece at price from producer P1. */
static void
sale(struct fixture *f, struct chain *c, const char *date, int64_t price)
{
	struct ledger_entry e;
	struct ledger_line *l;

	entry_start(f, c, &e, "sale", date);
	e.nlines = 1;
	e.lines = l = xcalloc(1, sizeof *l);
	l->product_code = xstrdup("SOAP");
	l->product_name = xstrdup("صابون غار");
	l->producer_code = xstrdup("P1");
	l->producer_name = xstrdup("أم أحمد");
	l->unit = xstrdup("piece");
	l->qty = 1000;
	l->unit_price = price;
	l->total = l->net = price;
	e.total = e.paid = price;
	e.npayments = 1;
	e.payments = xcalloc(1, sizeof *e.payments);
	e.payments[0].method = xstrdup("cash");
	e.payments[0].tendered = e.payments[0].amount = price;
	entry_store(f, c, &e, true);
}

static void
payout(struct fixture *f, struct chain *c, const char *date, int64_t amount)
{
	struct ledger_entry e;

	entry_start(f, c, &e, "payout", date);
	e.producer_code = xstrdup("P1");
	e.producer_name = xstrdup("أم أحمد");
	e.amount = amount;
	entry_store(f, c, &e, true);
}

/*
 * DMS01/1 closed 1 March and opened 2 March; DMS01/2 closed 1 March and has
 * sent nothing since; ALP02 never synced; REV03 is revoked and never
 * synced; OLD04 is revoked with a day left open on 1 March.
 */
static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	struct chain d1 = { "DMS01", 1, 0, "" }, d2 = { "DMS01", 2, 0, "" },
	    old = { "OLD04", 1, 0, "" };

	memcpy(d1.head, ledger_genesis, LEDGER_HASH_HEX);
	memcpy(d2.head, ledger_genesis, LEDGER_HASH_HEX);
	memcpy(old.head, ledger_genesis, LEDGER_HASH_HEX);
	snprintf(f->dir, sizeof f->dir, "/tmp/central-report-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->path = pgtest_store(f->dir, "central.db");
	assert_int_equal(cstore_open(f->path, true, &f->st, NULL), POS_OK);
	branch(f, "ALP02", false);
	branch(f, "DMS01", false);
	branch(f, "OLD04", false);
	branch(f, "REV03", true);

	simple(f, &d1, "day_open", "2026-03-01");
	sale(f, &d1, "2026-03-01", 500);
	payout(f, &d1, "2026-03-01", 200);
	simple(f, &d1, "day_close", "2026-03-01");
	simple(f, &d1, "day_open", "2026-03-02");
	sale(f, &d1, "2026-03-02", 700);

	simple(f, &d2, "day_open", "2026-03-01");
	simple(f, &d2, "cash_in", "2026-03-01");
	simple(f, &d2, "day_close", "2026-03-01");

	simple(f, &old, "day_open", "2026-03-01");
	assert_int_equal(cstore_branch_revoke(f->st, "OLD04",
	    "2026-03-02T08:00:00Z", NULL), POS_OK);
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

static const struct creport_chain *
chain_of(const struct creport_days *r, const char *branch, int64_t terminal)
{
	for (size_t i = 0; i < r->nchains; i++)
		if (strcmp(r->chains[i].chain->branch, branch) == 0 &&
		    r->chains[i].chain->terminal == terminal)
			return &r->chains[i];
	fail_msg("no chain %s/%lld", branch, (long long)terminal);
	return NULL;
}

static void
dates_are_checked_against_the_calendar(void **state)
{
	(void)state;
	assert_true(creport_date_valid("2026-03-01"));
	assert_true(creport_date_valid("2024-02-29"));
	assert_false(creport_date_valid("2026-02-29"));
	assert_false(creport_date_valid("1900-02-29"));
	assert_true(creport_date_valid("2000-02-29"));
	assert_false(creport_date_valid("2026-13-01"));
	assert_false(creport_date_valid("2026-3-01"));
	assert_false(creport_date_valid("0000-01-01"));
	assert_false(creport_date_valid("2026-03-01x"));
}

/*
 * For the latest day reached (2 March): the branch that never synced, the
 * terminal whose day is open, the terminal with nothing for the date; not
 * the revoked branches, whatever they left.
 */
static void
days_report_names_every_window_not_synced(void **state)
{
	struct fixture *f = *state;
	struct creport_days r;
	const struct creport_chain *ch;

	assert_int_equal(creport_days(f->st, NULL, &r, NULL), POS_OK);
	assert_string_equal(r.date, "2026-03-02");
	assert_int_equal(r.nbranches, 4);
	assert_int_equal(r.nchains, 3);
	assert_int_equal(r.nmissing, 3);

	assert_string_equal(r.missing[0].branch, "ALP02");
	assert_int_equal(r.missing[0].terminal, 0);
	assert_int_equal(r.missing[0].why, CREPORT_NEVER_SYNCED);
	assert_int_equal(r.missing[0].nreasons, 1);
	assert_string_equal(r.missing[0].reasons[0], "never synced");

	assert_string_equal(r.missing[1].branch, "DMS01");
	assert_int_equal(r.missing[1].terminal, 1);
	assert_int_equal(r.missing[1].why, CREPORT_NOT_CLOSED);
	assert_string_equal(r.missing[1].reasons[0],
	    "day 2026-03-02 not closed");

	assert_string_equal(r.missing[2].branch, "DMS01");
	assert_int_equal(r.missing[2].terminal, 2);
	assert_int_equal(r.missing[2].why, CREPORT_BEHIND);
	assert_int_equal(r.missing[2].nreasons, 1);
	assert_string_equal(r.missing[2].reasons[0], "nothing for 2026-03-02: "
	    "last synced day 2026-03-01 (received " RECEIVED ")");

	ch = chain_of(&r, "DMS01", 1);
	assert_int_equal(ch->ndays, 2);
	assert_string_equal(ch->latest->date, "2026-03-02");
	assert_int_equal(ch->latest->close_seq, 0);
	assert_false(ch->date_closed);
	assert_false(ch->revoked);
	assert_int_equal(ch->days[0].entries, 4);
	assert_int_equal(ch->days[0].close_seq, 4);
	ch = chain_of(&r, "OLD04", 1);
	assert_true(ch->revoked);
	assert_string_equal(ch->latest->date, "2026-03-01");
	creport_days_free(&r);
}

/* For 1 March, the terminal that closed it and sent nothing since is fine. */
static void
days_report_for_an_earlier_date(void **state)
{
	struct fixture *f = *state;
	struct creport_days r;

	assert_int_equal(creport_days(f->st, "2026-03-01", &r, NULL), POS_OK);
	assert_string_equal(r.date, "2026-03-01");
	assert_int_equal(r.nmissing, 2);
	assert_string_equal(r.missing[0].branch, "ALP02");
	assert_string_equal(r.missing[1].branch, "DMS01");
	assert_int_equal(r.missing[1].terminal, 1);
	assert_int_equal(r.missing[1].why, CREPORT_NOT_CLOSED);
	assert_true(chain_of(&r, "DMS01", 1)->date_closed);
	assert_true(chain_of(&r, "DMS01", 2)->date_closed);
	assert_false(chain_of(&r, "OLD04", 1)->date_closed);
	creport_days_free(&r);

	/* A later date than any reached: both DMS01 terminals are behind. */
	assert_int_equal(creport_days(f->st, "2026-03-05", &r, NULL), POS_OK);
	assert_int_equal(r.nmissing, 3);
	assert_int_equal(r.missing[1].why, CREPORT_BEHIND | CREPORT_NOT_CLOSED);
	assert_int_equal(r.missing[1].nreasons, 2);
	assert_string_equal(r.missing[1].reasons[1],
	    "day 2026-03-02 not closed");
	assert_int_equal(r.missing[2].why, CREPORT_BEHIND);
	creport_days_free(&r);
}

/* A store with branches and no entries: no date, only never synced. */
static void
days_report_on_a_store_with_no_entries(void **state)
{
	struct fixture *f = *state;
	struct cstore *st;
	struct creport_days r;
	char *path = pgtest_store(f->dir, "empty.db");
	uint8_t h[TOKEN_DIGEST] = { 9 };

	assert_int_equal(cstore_open(path, true, &st, NULL), POS_OK);
	assert_int_equal(cstore_branch_add(st, "NEW01", NULL, h,
	    "2026-02-01T08:00:00Z", NULL), POS_OK);
	assert_int_equal(creport_days(st, NULL, &r, NULL), POS_OK);
	assert_string_equal(r.date, "");
	assert_int_equal(r.nchains, 0);
	assert_int_equal(r.nmissing, 1);
	assert_string_equal(r.missing[0].branch, "NEW01");
	assert_int_equal(r.missing[0].why, CREPORT_NEVER_SYNCED);
	creport_days_free(&r);
	cstore_close(st);
	free(path);
}

static void
producers_report_totals_per_currency(void **state)
{
	struct fixture *f = *state;
	struct creport_producers r;

	assert_int_equal(creport_producers(f->st, NULL, NULL, &r, NULL),
	    POS_OK);
	assert_string_equal(r.from, "0000-01-01");
	assert_string_equal(r.to, "9999-12-31");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.producers[0].code, "P1");
	assert_int_equal(r.producers[0].sold, 1200);
	assert_int_equal(r.producers[0].paid_out, 200);
	assert_int_equal(r.producers[0].balance, 1000);
	assert_int_equal(r.producers[0].owed, 1000);
	assert_int_equal(r.ntotals, 1);
	assert_string_equal(r.totals[0].currency, "SYP");
	assert_int_equal(r.totals[0].sold, 1200);
	assert_int_equal(r.totals[0].net, 1200);
	assert_int_equal(r.totals[0].paid_out, 200);
	creport_producers_free(&r);

	assert_int_equal(creport_producers(f->st, "2026-03-02", "2026-03-02",
	    &r, NULL), POS_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.producers[0].sold, 700);
	assert_int_equal(r.producers[0].paid_out, 0);
	assert_int_equal(r.producers[0].owed, 1000);
	assert_int_equal(r.totals[0].net, 700);
	creport_producers_free(&r);
}

/* Sound chains pass; an entry that does not chain on its head is named. */
static void
verify_names_the_first_broken_entry(void **state)
{
	struct fixture *f = *state;
	struct creport_verify r;
	struct chain c = { "ALP02", 3, 0, "" };
	struct ledger_entry e;

	assert_int_equal(creport_verify(f->st, &r, NULL), POS_OK);
	assert_true(r.ok);
	assert_int_equal(r.n, 3);
	for (size_t i = 0; i < r.n; i++) {
		assert_int_equal(r.checks[i].bad_seq, 0);
		assert_null(r.checks[i].error);
		assert_string_equal(r.checks[i].head, r.chains_raw[i].head);
	}
	assert_int_equal(r.checks[0].entries, 6);
	creport_verify_free(&r);

	memcpy(c.head, ledger_genesis, LEDGER_HASH_HEX);
	simple(f, &c, "day_open", "2026-03-02");
	entry_start(f, &c, &e, "cash_in", "2026-03-02");
	e.amount = 5;
	e.reason = xstrdup("فكة");
	memcpy(e.prev_hash, ledger_genesis, LEDGER_HASH_HEX);
	entry_store(f, &c, &e, true);

	assert_int_equal(creport_verify(f->st, &r, NULL), POS_OK);
	assert_false(r.ok);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.checks[0].branch, "ALP02");
	assert_int_equal(r.checks[0].terminal, 3);
	assert_int_equal(r.checks[0].bad_seq, 2);
	assert_int_equal(r.checks[0].entries, 2);
	assert_string_equal(r.checks[0].error,
	    "prev_hash does not match the previous hash");
	assert_int_equal(r.checks[1].bad_seq, 0);
	creport_verify_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_are_checked_against_the_calendar),
		cmocka_unit_test_setup_teardown(
		    days_report_names_every_window_not_synced, setup, teardown),
		cmocka_unit_test_setup_teardown(days_report_for_an_earlier_date,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    days_report_on_a_store_with_no_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    producers_report_totals_per_currency, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    verify_names_the_first_broken_entry, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
