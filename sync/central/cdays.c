/*
 * Every window-day in money and what the office must chase (cdays.h).
 * The store sums the entries by the window's rules; the derived figures
 * (net, expected cash, difference, closed) are made here the way
 * pos/domain/report.c makes them, so both sides print the same numbers.
 */
#define _GNU_SOURCE	/* timegm */
#include "cdays.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "money.h"
#include "xalloc.h"

static const char *const cdays_methods[CSTORE_METHODS] = { "cash", "card",
    "other" };

static void
cdays_derive(struct cdays_row *r)
{
	const struct cstore_day_money *m = r->m;

	r->closed = m->closes == m->sessions;
	r->net = m->gross - m->discounts - m->refunds;
	r->expected_cash = m->float_amount + m->by_method[CSTORE_CASH] -
	    m->payouts + m->cash_in - m->cash_out;
	r->difference = m->counted_cash - r->expected_cash;
}

/* cdays_read; flagged: only the days the office must chase. */
static int
cdays_load(struct cstore *st, const char *from, const char *to, bool flagged,
    struct cdays *out, char **cause)
{
	size_t n = 0, k = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = cstore_begin(st, false, cause)) != POS_OK)
		return rc;
	rc = cstore_chains(st, NULL, &out->chains, &out->nchains, cause);
	if (rc == POS_OK)
		rc = cstore_day_money(st, from != NULL ? from : "0000-01-01",
		    to != NULL ? to : "9999-12-31", flagged, &out->money, &n,
		    cause);
	cstore_rollback(st);
	if (rc != POS_OK) {
		cdays_free(out);
		return rc;
	}
	out->n = n;
	out->rows = xcalloc(n + 1, sizeof *out->rows);
	for (size_t i = 0; i < n; i++) {
		struct cdays_row *r = &out->rows[i];

		r->m = &out->money[i];
		/* Rows come chain by chain: the last chain found first. */
		for (size_t j = 0; j < out->nchains; j++, k = (k + 1) %
		    out->nchains)
			if (out->chains[k].terminal == r->m->terminal &&
			    strcmp(out->chains[k].branch, r->m->branch) == 0) {
				r->last_sync = out->chains[k].last_received;
				break;
			}
		cdays_derive(r);
	}
	return POS_OK;
}

int
cdays_read(struct cstore *st, const char *from, const char *to,
    struct cdays *out, char **cause)
{
	return cdays_load(st, from, to, false, out, cause);
}

void
cdays_free(struct cdays *d)
{
	free(d->rows);
	cstore_day_money_free(d->money, d->n);
	cstore_chains_free(d->chains, d->nchains);
	memset(d, 0, sizeof *d);
}

json_t *
cdays_row_json(const struct cdays_row *r)
{
	const struct cstore_day_money *m = r->m;
	int dec = (int)m->decimals;
	json_t *o = json_object(), *bm = json_object();

	json_object_set_new(o, "branch", json_string(m->branch));
	json_object_set_new(o, "terminal", json_integer(m->terminal));
	json_object_set_new(o, "date", json_string(m->date));
	json_object_set_new(o, "currency", json_string(m->currency));
	json_object_set_new(o, "sessions", json_integer(m->sessions));
	json_object_set_new(o, "closed", json_boolean(r->closed));
	json_object_set_new(o, "sales_count", json_integer(m->sales_count));
	json_object_set_new(o, "gross", money_json(m->gross, dec));
	json_object_set_new(o, "discounts", money_json(m->discounts, dec));
	json_object_set_new(o, "refunds", money_json(m->refunds, dec));
	json_object_set_new(o, "refunds_count",
	    json_integer(m->refunds_count));
	json_object_set_new(o, "voids", json_integer(m->voids));
	json_object_set_new(o, "voids_total", money_json(m->voids_total, dec));
	json_object_set_new(o, "net", money_json(r->net, dec));
	for (int i = 0; i < CSTORE_METHODS; i++)
		json_object_set_new(bm, cdays_methods[i],
		    money_json(m->by_method[i], dec));
	json_object_set_new(o, "by_method", bm);
	json_object_set_new(o, "payouts", money_json(m->payouts, dec));
	json_object_set_new(o, "cash_in", money_json(m->cash_in, dec));
	json_object_set_new(o, "cash_out", money_json(m->cash_out, dec));
	json_object_set_new(o, "float", money_json(m->float_amount, dec));
	json_object_set_new(o, "expected_cash",
	    money_json(r->expected_cash, dec));
	/* As the window: counted and difference only once the date is closed. */
	json_object_set_new(o, "counted_cash", r->closed ?
	    money_json(m->counted_cash, dec) : json_null());
	json_object_set_new(o, "difference", r->closed ?
	    money_json(r->difference, dec) : json_null());
	json_object_set_new(o, "entries", json_integer(m->entries));
	json_object_set_new(o, "first_seq", json_integer(m->first_seq));
	json_object_set_new(o, "last_seq", json_integer(m->last_seq));
	json_object_set_new(o, "last_sync", r->last_sync != NULL ?
	    json_string(r->last_sync) : json_null());
	return o;
}

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SSZ"; -1 if it is not. */
static int64_t
cdays_time(const char *utc)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	end = strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	return (int64_t)timegm(&tm);
}

/*
 * The rejections the window has not got past: its chain holds no entry at
 * that seq yet.
 */
static int
cdays_rejected(struct cstore *st, json_t *arr, char **cause)
{
	struct cstore_rejection *r = NULL;
	size_t n = 0;
	int rc;

	if ((rc = cstore_begin(st, false, cause)) != POS_OK)
		return rc;
	rc = cstore_rejections(st, &r, &n, cause);
	cstore_rollback(st);
	if (rc != POS_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		json_t *o;

		if (r[i].resolved)
			continue;
		o = json_object();
		json_object_set_new(o, "branch", json_string(r[i].branch));
		json_object_set_new(o, "terminal", json_integer(r[i].terminal));
		json_object_set_new(o, "seq", json_integer(r[i].seq));
		json_object_set_new(o, "uuid", json_string(r[i].uuid));
		json_object_set_new(o, "receipt", json_string(r[i].receipt));
		json_object_set_new(o, "reason", json_string(r[i].reason));
		json_object_set_new(o, "first_at", json_string(r[i].first_at));
		json_object_set_new(o, "last_at", json_string(r[i].last_at));
		json_object_set_new(o, "times", json_integer(r[i].times));
		json_array_append_new(arr, o);
	}
	cstore_rejections_free(r, n);
	return POS_OK;
}

int
cdays_missing(struct cstore *st, int64_t hours, json_t **out, char **cause)
{
	struct cdays d;
	char now[21];
	int64_t t_now, t;
	json_t *j, *stale, *open, *diff, *rejected;
	int rc;

	*out = NULL;
	if ((rc = cdays_load(st, NULL, NULL, true, &d, cause)) != POS_OK)
		return rc;
	cstore_now(now);
	t_now = cdays_time(now);
	j = json_object();
	stale = json_array();
	open = json_array();
	diff = json_array();
	rejected = json_array();
	for (size_t i = 0; i < d.nchains; i++) {
		const struct cstore_chain *c = &d.chains[i];
		json_t *o;

		t = cdays_time(c->last_received);
		if (t < 0 || t_now - t <= hours * 3600)
			continue;
		o = json_object();
		json_object_set_new(o, "branch", json_string(c->branch));
		json_object_set_new(o, "terminal", json_integer(c->terminal));
		json_object_set_new(o, "last_sync",
		    json_string(c->last_received));
		json_object_set_new(o, "hours",
		    json_integer((t_now - t) / 3600));
		json_array_append_new(stale, o);
	}
	for (size_t i = 0; i < d.n; i++) {
		const struct cdays_row *r = &d.rows[i];
		const struct cstore_day_money *m = r->m;
		json_t *o;

		if (!r->closed) {
			o = json_object();
			json_object_set_new(o, "branch", json_string(m->branch));
			json_object_set_new(o, "terminal",
			    json_integer(m->terminal));
			json_object_set_new(o, "date", json_string(m->date));
			json_object_set_new(o, "sessions",
			    json_integer(m->sessions));
			json_object_set_new(o, "closed_sessions",
			    json_integer(m->closes));
			json_object_set_new(o, "last_sync", r->last_sync != NULL ?
			    json_string(r->last_sync) : json_null());
			json_array_append_new(open, o);
		} else if (r->difference != 0) {
			int dec = (int)m->decimals;

			o = json_object();
			json_object_set_new(o, "branch", json_string(m->branch));
			json_object_set_new(o, "terminal",
			    json_integer(m->terminal));
			json_object_set_new(o, "date", json_string(m->date));
			json_object_set_new(o, "expected_cash",
			    money_json(r->expected_cash, dec));
			json_object_set_new(o, "counted_cash",
			    money_json(m->counted_cash, dec));
			json_object_set_new(o, "difference",
			    money_json(r->difference, dec));
			json_array_append_new(diff, o);
		}
	}
	cdays_free(&d);
	if ((rc = cdays_rejected(st, rejected, cause)) != POS_OK) {
		json_decref(j);
		json_decref(stale);
		json_decref(open);
		json_decref(diff);
		json_decref(rejected);
		return rc;
	}
	json_object_set_new(j, "hours", json_integer(hours));
	json_object_set_new(j, "now", json_string(now));
	json_object_set_new(j, "stale", stale);
	json_object_set_new(j, "not_closed", open);
	json_object_set_new(j, "differences", diff);
	json_object_set_new(j, "rejected", rejected);
	*out = j;
	return POS_OK;
}

void
cdays_missing_text(const json_t *j)
{
	const json_t *o;
	size_t i;

	json_array_foreach(json_object_get(j, "stale"), i, o)
		printf("%s/%lld: not heard from for %lld hours (last sync %s)\n",
		    json_string_value(json_object_get(o, "branch")),
		    (long long)json_integer_value(json_object_get(o,
		    "terminal")),
		    (long long)json_integer_value(json_object_get(o, "hours")),
		    json_string_value(json_object_get(o, "last_sync")));
	json_array_foreach(json_object_get(j, "not_closed"), i, o)
		printf("%s/%lld: day %s not closed (%lld of %lld sessions "
		    "closed)\n",
		    json_string_value(json_object_get(o, "branch")),
		    (long long)json_integer_value(json_object_get(o,
		    "terminal")),
		    json_string_value(json_object_get(o, "date")),
		    (long long)json_integer_value(json_object_get(o,
		    "closed_sessions")),
		    (long long)json_integer_value(json_object_get(o,
		    "sessions")));
	json_array_foreach(json_object_get(j, "differences"), i, o)
		printf("%s/%lld: day %s cash difference %s (counted %s, "
		    "expected %s)\n",
		    json_string_value(json_object_get(o, "branch")),
		    (long long)json_integer_value(json_object_get(o,
		    "terminal")),
		    json_string_value(json_object_get(o, "date")),
		    json_string_value(json_object_get(o, "difference")),
		    json_string_value(json_object_get(o, "counted_cash")),
		    json_string_value(json_object_get(o, "expected_cash")));
	json_array_foreach(json_object_get(j, "rejected"), i, o)
		printf("%s/%lld: seq %lld (%s) rejected %lld times, last %s: "
		    "%s\n",
		    json_string_value(json_object_get(o, "branch")),
		    (long long)json_integer_value(json_object_get(o,
		    "terminal")),
		    (long long)json_integer_value(json_object_get(o, "seq")),
		    json_string_value(json_object_get(o, "receipt")),
		    (long long)json_integer_value(json_object_get(o, "times")),
		    json_string_value(json_object_get(o, "last_at")),
		    json_string_value(json_object_get(o, "reason")));
}

void
cdays_text(const struct cdays *d)
{
	char g[32], n[32], e[32], c[32], df[32];

	for (size_t i = 0; i < d->n; i++) {
		const struct cdays_row *r = &d->rows[i];
		const struct cstore_day_money *m = r->m;
		int dec = (int)m->decimals;

		money_format(m->gross, dec, g, sizeof g);
		money_format(r->net, dec, n, sizeof n);
		money_format(r->expected_cash, dec, e, sizeof e);
		money_format(m->counted_cash, dec, c, sizeof c);
		money_format(r->difference, dec, df, sizeof df);
		printf("%s/%lld %s  gross %s  net %s  expected cash %s",
		    m->branch, (long long)m->terminal, m->date, g, n, e);
		if (r->closed)
			printf("  counted %s  difference %s\n", c, df);
		else
			printf("  not closed\n");
	}
}
