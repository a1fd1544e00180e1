/*
 * Sales through the store API on a real store file: discount shares,
 * the rules that refuse a sale or a correction, and the chain after them.
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

#include "catalog.h"
#include "config.h"
#include "journal.h"
#include "parked.h"
#include "report.h"
#include "sale.h"
#include "store.h"
#include "till.h"
#include "user.h"

struct fixture {
	char		 dir[64];
	char		 path[128];
	struct config	 cfg;
	struct store	*st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct ledger_entry e;
	char *cause = NULL;

	snprintf(f->dir, sizeof f->dir, "/tmp/pos-test-sale.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/w.db", f->dir);
	config_defaults(&f->cfg);
	assert_int_equal(store_open(f->path, true, &f->cfg, &f->st, &cause),
	    POS_OK);
	assert_int_equal(store_init_identity(f->st, "T01", 2, NULL, &cause),
	    POS_OK);
	assert_int_equal(catalog_producer_add(f->st, "F1", "أسرة", NULL,
	    &cause), POS_OK);
	assert_int_equal(catalog_producer_add(f->st, "F2", "Zaki", NULL,
	    &cause), POS_OK);
	assert_int_equal(catalog_product_add(f->st, "A", "مربى", 1000, "piece",
	    "F1", "111", true, &cause), POS_OK);
	assert_int_equal(catalog_product_add(f->st, "B", "زيت", 333, "kg",
	    "F1", NULL, true, &cause), POS_OK);
	assert_int_equal(catalog_product_add(f->st, "C", "Bowl", 2000, "piece",
	    "F2", NULL, true, &cause), POS_OK);
	assert_int_equal(user_add(f->st, "u", "attendant", "1234", &cause),
	    POS_OK);
	assert_int_equal(user_add(f->st, "boss", "supervisor", "4321", &cause),
	    POS_OK);
	assert_int_equal(till_day_open(f->st, "u", 5000, &e, &cause), POS_OK);
	ledger_entry_free(&e);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char p[160];

	store_close(f->st);
	config_free(&f->cfg);
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", f->path,
		    (const char *[]){ "", "-wal", "-shm" }[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
share_sums_exactly_and_follows_largest_remainder(void **state)
{
	int64_t w[3] = { 3000, 10000, 25000 }, s[3];

	(void)state;
	sale_share(500, w, 3, s);
	/* 39.47, 131.58, 328.95: the two largest remainders get the units. */
	assert_int_equal(s[0], 39);
	assert_int_equal(s[1], 132);
	assert_int_equal(s[2], 329);
}

static void
share_ties_go_to_the_earlier_line(void **state)
{
	int64_t w[3] = { 1, 1, 1 }, s[3];

	(void)state;
	sale_share(2, w, 3, s);
	assert_int_equal(s[0], 1);
	assert_int_equal(s[1], 1);
	assert_int_equal(s[2], 0);
}

static void
share_sums_for_many_random_splits(void **state)
{
	int64_t w[7], s[7], sum, wsum;

	(void)state;
	srand(7);
	for (int round = 0; round < 2000; round++) {
		int n = 1 + rand() % 7;
		int64_t amount;

		wsum = 0;
		for (int i = 0; i < n; i++) {
			w[i] = rand() % 100000;
			wsum += w[i];
		}
		if (wsum == 0)
			continue;
		amount = rand() % (wsum + 1);
		sale_share(amount, w, (size_t)n, s);
		sum = 0;
		for (int i = 0; i < n; i++) {
			sum += s[i];
			/* No share strays more than one unit from the exact one. */
			assert_true(s[i] * wsum <= amount * w[i] + wsum);
			assert_true(s[i] * wsum >= amount * w[i] - wsum);
		}
		assert_int_equal(sum, amount);
	}
}

static void
sell(struct fixture *f, const struct sale_item *items, size_t n,
    int64_t discount, struct ledger_entry *e)
{
	struct sale_request req = { "u", items, n, NULL, 0, discount };
	char *cause = NULL;

	assert_int_equal(sale_sell(f->st, &req, e, &cause), POS_OK);
}

static void
sale_rounds_kg_lines_half_up_and_merges_repeats(void **state)
{
	struct fixture *f = *state;
	struct sale_item items[] = { { "B", 500 }, { "111", 1000 },
	    { "A", 2000 } };
	struct ledger_entry e;

	sell(f, items, 3, 0, &e);
	assert_int_equal(e.nlines, 2);
	assert_string_equal(e.lines[0].product_code, "B");
	assert_int_equal(e.lines[0].total, 167);	/* 333 x 0.5 = 166.5 */
	assert_string_equal(e.lines[1].product_code, "A");
	assert_int_equal(e.lines[1].qty, 3000);
	assert_int_equal(e.total, 3167);
	assert_string_equal(e.receipt, "T01-2-000002");
	ledger_entry_free(&e);
}

static void
refund_in_steps_returns_exactly_the_line_net(void **state)
{
	struct fixture *f = *state;
	struct sale_item items[] = { { "A", 3000 }, { "C", 1000 } };
	struct sale_item one = { "A", 1000 }, rest = { "A", 0 };
	struct ledger_entry s, r1, r2;
	char *cause = NULL;
	int64_t net;

	sell(f, items, 2, 1000, &s);	/* 3000 + 2000, discount 1000 */
	net = s.lines[0].net;
	assert_int_equal(s.lines[0].discount + s.lines[1].discount, 1000);
	assert_int_equal(sale_refund(f->st, s.receipt, &one, 1, "boss", NULL, NULL,
	    &r1, &cause), POS_OK);
	assert_int_equal(sale_refund(f->st, s.receipt, &rest, 1, "boss", NULL,
	    "cash", &r2, &cause), POS_OK);
	assert_int_equal(r1.total + r2.total, net);
	assert_int_equal(r2.lines[0].qty, 2000);
	assert_string_equal(r2.payments[0].method, "cash");
	ledger_entry_free(&r1);
	assert_int_equal(sale_refund(f->st, s.receipt, &one, 1, "boss", NULL, NULL,
	    &r1, &cause), POS_INPUT);
	assert_non_null(strstr(cause, "fully refunded"));
	free(cause);
	cause = NULL;
	/* A refunded sale cannot be voided. */
	assert_int_equal(sale_void(f->st, s.receipt, "boss", "x", &r1, &cause),
	    POS_INPUT);
	free(cause);
	ledger_entry_free(&s);
	ledger_entry_free(&r2);
}

static void
void_twice_and_refund_after_void_are_refused(void **state)
{
	struct fixture *f = *state;
	struct sale_item items[] = { { "C", 1000 } }, it = { "C", 0 };
	struct ledger_entry s, v;
	struct report_day r;
	char *cause = NULL;

	sell(f, items, 1, 0, &s);
	assert_int_equal(sale_void(f->st, s.receipt, "u", "wrong item", &v,
	    &cause), POS_DENIED);	/* an attendant may not void */
	free(cause);
	cause = NULL;
	assert_int_equal(sale_void(f->st, s.receipt, "boss", "wrong item", &v,
	    &cause), POS_OK);
	ledger_entry_free(&v);
	assert_int_equal(sale_void(f->st, s.receipt, "boss", "again", &v, &cause),
	    POS_INPUT);
	free(cause);
	cause = NULL;
	assert_int_equal(sale_refund(f->st, s.receipt, &it, 1, "boss", NULL, NULL,
	    &v, &cause), POS_INPUT);
	free(cause);
	cause = NULL;
	assert_int_equal(report_day(f->st, s.business_date, &r, &cause), POS_OK);
	assert_int_equal(r.sales_count, 0);
	assert_int_equal(r.voids, 1);
	assert_int_equal(r.expected_cash, 5000);
	ledger_entry_free(&s);
}

static void
refused_sales_write_nothing(void **state)
{
	struct fixture *f = *state;
	struct sale_item bad[] = { { "A", 1000 }, { "NOPE", 1000 } };
	struct sale_item half[] = { { "A", 500 } };
	struct sale_request req = { "u", bad, 2, NULL, 0, 0 };
	struct sale_request nobody = { "ghost", half, 1, NULL, 0, 0 };
	struct ledger_entry e;
	struct journal_check chk;
	char *cause = NULL;

	assert_int_equal(sale_sell(f->st, &req, &e, &cause), POS_INPUT);
	free(cause);
	cause = NULL;
	req.items = half;
	req.nitems = 1;
	assert_int_equal(sale_sell(f->st, &req, &e, &cause), POS_INPUT);
	assert_non_null(strstr(cause, "whole"));
	free(cause);
	cause = NULL;
	assert_int_equal(sale_sell(f->st, &nobody, &e, &cause), POS_DENIED);
	free(cause);
	cause = NULL;
	assert_int_equal(journal_verify(f->st, &chk, &cause), POS_OK);
	assert_true(chk.ok);
	assert_int_equal(chk.entries, 1);	/* only the day_open */
}

static void
closed_session_takes_no_sale_and_the_next_is_session_2(void **state)
{
	struct fixture *f = *state;
	struct sale_item items[] = { { "A", 1000 } };
	struct sale_request req = { "u", items, 1, NULL, 0, 0 };
	struct journal_session s;
	struct report_day r;
	struct ledger_entry e;
	char *cause = NULL;

	assert_int_equal(till_day_close(f->st, "boss", 5000, &e, &cause), POS_OK);
	assert_int_equal(e.total, 5000);	/* expected cash sealed in */
	ledger_entry_free(&e);
	assert_int_equal(sale_sell(f->st, &req, &e, &cause), POS_DENIED);
	free(cause);
	cause = NULL;
	/* The same date opens again as its session 2, with its own float. */
	assert_int_equal(till_day_open(f->st, "u", 700, &e, &cause), POS_OK);
	ledger_entry_free(&e);
	assert_int_equal(journal_session(f->st, &s, &cause), POS_OK);
	assert_int_equal(s.session, 2);
	assert_true(s.open);
	assert_int_equal(report_session(f->st, s.date, 0, &r, &cause), POS_OK);
	assert_int_equal(r.session, 2);
	assert_int_equal(r.expected_cash, 700);
	assert_int_equal(report_session(f->st, s.date, 1, &r, &cause), POS_OK);
	assert_true(r.closed);
	assert_int_equal(r.counted_cash, 5000);
	assert_int_equal(report_day(f->st, s.date, &r, &cause), POS_OK);
	assert_int_equal(r.sessions, 2);
	assert_false(r.closed);
	assert_int_equal(r.float_amount, 5000 + 700);
	/* Only one session is open at a time. */
	assert_int_equal(till_day_open(f->st, "u", 0, &e, &cause), POS_DENIED);
	assert_non_null(strstr(cause, "already open"));
	free(cause);
}

/* The PIN alone names its user; no two users may share one. */
static void
supervisor_pin_alone_names_the_supervisor(void **state)
{
	struct fixture *f = *state;
	char *cause = NULL, *name = NULL;

	assert_int_equal(user_identify(f->st, "4321", USER_SUPERVISOR, &name,
	    &cause), POS_OK);
	assert_string_equal(name, "boss");
	free(name);
	assert_int_equal(user_identify(f->st, "1234", USER_SUPERVISOR, &name,
	    &cause), POS_DENIED);
	assert_null(name);
	free(cause);
	cause = NULL;
	assert_int_equal(user_identify(f->st, "1234", USER_ATTENDANT, &name,
	    &cause), POS_OK);
	assert_string_equal(name, "u");
	free(name);
	assert_int_equal(user_identify(f->st, "9999", USER_ATTENDANT, &name,
	    &cause), POS_DENIED);
	free(cause);
	cause = NULL;
	assert_int_equal(user_add(f->st, "nour", "supervisor", "4321", &cause),
	    POS_INPUT);
	assert_non_null(strstr(cause, "another user has this PIN"));
	free(cause);
	cause = NULL;
	assert_int_equal(user_add(f->st, "boss", "supervisor", "5555", &cause),
	    POS_INPUT);
	assert_non_null(strstr(cause, "already exists"));
	free(cause);
}

/* A parked cart comes back whole, in order, and only once. */
static void
parked_sale_round_trips_and_is_dropped_once(void **state)
{
	struct fixture *f = *state;
	char c[] = "C", bowl[] = "Bowl", b[] = "B", oil[] = "زيت";
	struct parked_line lines[] = {
		{ .product_code = c, .product_name = bowl, .qty = 2000 },
		{ .product_code = b, .product_name = oil, .qty = 250 },
	};
	struct parked_sale *v;
	char *cause = NULL;
	int64_t id;
	size_t n;

	assert_int_equal(parked_save(f->st, "Umm Ali", "u", 100, lines, 2,
	    &id, &cause), POS_OK);
	assert_int_equal(parked_save(f->st, "", "u", 0, lines, 2, &id,
	    &cause), POS_INPUT);
	free(cause);
	cause = NULL;
	assert_int_equal(parked_count(f->st, &n, &cause), POS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(parked_list(f->st, &v, &n, &cause), POS_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].name, "Umm Ali");
	assert_int_equal(v[0].discount, 100);
	assert_int_equal(v[0].nlines, 2);
	assert_string_equal(v[0].lines[0].product_code, "C");
	assert_int_equal(v[0].lines[0].qty, 2000);
	assert_string_equal(v[0].lines[1].product_name, "زيت");
	assert_int_equal(v[0].lines[1].qty, 250);
	id = v[0].id;
	parked_free(v, n);
	assert_int_equal(parked_drop(f->st, id, &cause), POS_OK);
	assert_int_equal(parked_drop(f->st, id, &cause), POS_INPUT);
	free(cause);
	assert_int_equal(parked_count(f->st, &n, &cause), POS_OK);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(share_sums_exactly_and_follows_largest_remainder),
		cmocka_unit_test(share_ties_go_to_the_earlier_line),
		cmocka_unit_test(share_sums_for_many_random_splits),
		cmocka_unit_test_setup_teardown(
		    sale_rounds_kg_lines_half_up_and_merges_repeats, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    refund_in_steps_returns_exactly_the_line_net, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    void_twice_and_refund_after_void_are_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(refused_sales_write_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    closed_session_takes_no_sale_and_the_next_is_session_2,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    supervisor_pin_alone_names_the_supervisor, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    parked_sale_round_trips_and_is_dropped_once, setup, teardown),
	};

	setenv("POS_NOW", "2026-03-01T09:00:00Z", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
