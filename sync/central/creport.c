/*
 * The office's reports (creport.h): the rules over what cstore returns.
 * The store answers queries; what counts as missing, how totals group and
 * when a chain is broken is decided here, once, for every way a report is
 * shown.
 */
#include "creport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

bool
creport_date_valid(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0))
		return false;
	return true;
}

/* Totals per (currency, decimals), in order of first appearance. */
static void
creport_totals(struct creport_producers *r)
{
	const struct cstore_producer *p = r->producers;

	r->totals = xcalloc(r->n + 1, sizeof *r->totals);
	r->ntotals = 0;
	for (size_t i = 0; i < r->n; i++) {
		struct creport_total *t;
		size_t k;

		for (k = 0; k < r->ntotals; k++)
			if (strcmp(r->totals[k].currency, p[i].currency) == 0 &&
			    r->totals[k].decimals == p[i].decimals)
				break;
		t = &r->totals[k];
		if (k == r->ntotals) {
			t->currency = p[i].currency;
			t->decimals = p[i].decimals;
			r->ntotals++;
		}
		t->sold += p[i].sold;
		t->refunded += p[i].refunded;
		t->net += p[i].net;
		t->paid_out += p[i].paid_out;
	}
}

int
creport_producers(struct cstore *st, const char *from, const char *to,
    struct creport_producers *out, char **cause)
{
	return creport_producer(st, NULL, from, to, out, cause);
}

int
creport_producer(struct cstore *st, const char *code, const char *from,
    const char *to, struct creport_producers *out, char **cause)
{
	int rc;

	memset(out, 0, sizeof *out);
	snprintf(out->from, sizeof out->from, "%s", from != NULL ? from :
	    "0000-01-01");
	snprintf(out->to, sizeof out->to, "%s", to != NULL ? to :
	    "9999-12-31");
	if ((rc = cstore_begin(st, false, cause)) != POS_OK)
		return rc;
	rc = code != NULL ? cstore_report_producer(st, code, out->from,
	    out->to, &out->producers, &out->n, cause) :
	    cstore_report_producers(st, out->from, out->to, &out->producers,
	    &out->n, cause);
	cstore_rollback(st);
	if (rc != POS_OK)
		return rc;
	creport_totals(out);
	return POS_OK;
}

void
creport_producers_free(struct creport_producers *r)
{
	free(r->totals);
	cstore_producers_free(r->producers, r->n);
	memset(r, 0, sizeof *r);
}

static bool
creport_revoked(const struct creport_days *r, const char *branch)
{
	for (size_t k = 0; k < r->nbranches; k++)
		if (strcmp(r->branches[k].code, branch) == 0)
			return r->branches[k].revoked_at != NULL;
	return false;
}

static struct creport_missing *
creport_missing_add(struct creport_days *r, const char *branch,
    int64_t terminal)
{
	struct creport_missing *m = &r->missing[r->nmissing++];

	m->branch = branch;
	m->terminal = terminal;
	return m;
}

/* The last business date a chain may count for: the server's next. */
static void
creport_until(char until[11])
{
	char now[21];
	struct tm tm;
	time_t t;

	cstore_now(now);
	memset(&tm, 0, sizeof tm);
	if (strptime(now, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL) {
		snprintf(until, 11, "9999-12-31");
		return;
	}
	t = timegm(&tm) + 86400;
	gmtime_r(&t, &tm);
	strftime(until, 11, "%Y-%m-%d", &tm);
}

/*
 * The date the report is for: the one asked, or the latest day reached up
 * to the server's date and one day (a window east of UTC is a day ahead at
 * most), so that a window whose clock is wrong cannot move it for all.
 */
static void
creport_days_date(struct creport_days *r, const char *date)
{
	char until[11];

	if (date != NULL) {
		snprintf(r->date, sizeof r->date, "%s", date);
		return;
	}
	creport_until(until);
	for (size_t i = 0; i < r->nchains; i++) {
		const struct creport_chain *ch = &r->chains[i];

		for (size_t k = ch->ndays; k-- > 0;) {
			const char *d = ch->days[k].date;

			if (strcmp(d, until) > 0)
				continue;
			if (strcmp(d, r->date) > 0)
				snprintf(r->date, sizeof r->date, "%s", d);
			break;
		}
	}
}

/* Branches with a valid token and no chain: they never synced. */
static void
creport_days_never(struct creport_days *r)
{
	for (size_t i = 0; i < r->nbranches; i++) {
		const struct cstore_branch *b = &r->branches[i];
		struct creport_missing *m;
		bool any = false;

		for (size_t k = 0; k < r->nchains; k++)
			any |= strcmp(r->chains_raw[k].branch, b->code) == 0;
		if (any || b->revoked_at != NULL)
			continue;
		m = creport_missing_add(r, b->code, 0);
		m->why = CREPORT_NEVER_SYNCED;
		m->reasons[m->nreasons++] = xstrdup("never synced");
	}
}

/* A chain behind the report's date, or with its latest day open. */
static void
creport_days_chain(struct creport_days *r, const struct creport_chain *ch)
{
	const struct cstore_day *last = ch->latest;
	struct creport_missing m;

	memset(&m, 0, sizeof m);
	if (last != NULL && r->date[0] != '\0' &&
	    strcmp(last->date, r->date) < 0) {
		m.why |= CREPORT_BEHIND;
		m.reasons[m.nreasons++] = xasprintf("nothing for %s: last "
		    "synced day %s (received %s)", r->date, last->date,
		    ch->chain->last_received);
	}
	if (last != NULL && last->close_seq == 0) {
		m.why |= CREPORT_NOT_CLOSED;
		m.reasons[m.nreasons++] = xasprintf("day %s not closed",
		    last->date);
	}
	if (last != NULL)
		snprintf(m.latest_day, sizeof m.latest_day, "%s", last->date);
	m.last_received = ch->chain->last_received;
	if (m.why == 0 || ch->revoked) {
		for (size_t q = 0; q < m.nreasons; q++)
			free(m.reasons[q]);
		return;
	}
	m.branch = ch->chain->branch;
	m.terminal = ch->chain->terminal;
	r->missing[r->nmissing++] = m;
}

static int	creport_days_span(struct cstore *, const char *,
		    const struct cstore_dspan *, struct creport_days *, char **);

int
creport_days(struct cstore *st, const char *date, struct creport_days *out,
    char **cause)
{
	return creport_days_span(st, date, NULL, out, cause);
}

int
creport_days_of(struct cstore *st, const char *date, const char *from,
    const char *to, struct creport_days *out, char **cause)
{
	struct cstore_dspan span = { .from = from, .to = to };
	char until[11];

	creport_until(until);
	span.until = until;
	return creport_days_span(st, date, &span, out, cause);
}

static int
creport_days_span(struct cstore *st, const char *date,
    const struct cstore_dspan *span, struct creport_days *out, char **cause)
{
	struct creport_days *r = out;
	int rc;

	memset(r, 0, sizeof *r);
	if ((rc = cstore_begin(st, false, cause)) != POS_OK)
		return rc;
	rc = cstore_branches(st, &r->branches, &r->nbranches, cause);
	if (rc == POS_OK)
		rc = cstore_chains(st, NULL, &r->chains_raw, &r->nchains,
		    cause);
	if (rc == POS_OK) {
		struct cstore_day **days;
		size_t *ndays;

		r->chains = xcalloc(r->nchains + 1, sizeof *r->chains);
		days = xcalloc(r->nchains + 1, sizeof *days);
		ndays = xcalloc(r->nchains + 1, sizeof *ndays);
		rc = cstore_days_chains(st, r->chains_raw, r->nchains, span,
		    days, ndays, cause);
		for (size_t i = 0; rc == POS_OK && i < r->nchains; i++) {
			struct creport_chain *ch = &r->chains[i];

			ch->chain = &r->chains_raw[i];
			ch->days = days[i];
			ch->ndays = ndays[i];
			if (ch->ndays > 0)
				ch->latest = &ch->days[ch->ndays - 1];
			ch->revoked = creport_revoked(r, ch->chain->branch);
		}
		free(days);
		free(ndays);
	}
	cstore_rollback(st);
	if (rc != POS_OK) {
		creport_days_free(r);
		return rc;
	}

	creport_days_date(r, date);
	r->missing = xcalloc(r->nbranches + r->nchains + 1,
	    sizeof *r->missing);
	creport_days_never(r);
	for (size_t i = 0; i < r->nchains; i++) {
		struct creport_chain *ch = &r->chains[i];

		for (size_t k = 0; k < ch->ndays; k++)
			if (strcmp(ch->days[k].date, r->date) == 0)
				ch->date_closed = ch->days[k].close_seq > 0;
		creport_days_chain(r, ch);
	}
	return POS_OK;
}

void
creport_days_free(struct creport_days *r)
{
	for (size_t i = 0; i < r->nmissing; i++)
		for (size_t q = 0; q < r->missing[i].nreasons; q++)
			free(r->missing[i].reasons[q]);
	free(r->missing);
	for (size_t i = 0; r->chains != NULL && i < r->nchains; i++)
		free(r->chains[i].days);
	free(r->chains);
	cstore_chains_free(r->chains_raw, r->nchains);
	cstore_branches_free(r->branches, r->nbranches);
	memset(r, 0, sizeof *r);
}

/* Each stored entry of a chain in seq order, until the first bad one. */
static int
creport_check_one(void *arg, const struct ledger_entry *e)
{
	struct creport_check *v = arg;
	char *why = NULL;

	if (v->bad_seq != 0)
		return 0;
	v->entries++;
	if (e->seq != v->entries)
		v->error = xasprintf("seq %lld where %lld was expected",
		    (long long)e->seq, (long long)v->entries);
	else if (strcmp(e->prev_hash, v->head) != 0)
		v->error = xstrdup("prev_hash does not match the previous hash");
	else if (ledger_validate(e, &why) != 0) {
		v->error = xasprintf("invalid stored entry: %s", why);
		free(why);
	} else if (!ledger_check(e))
		v->error = xstrdup("hash does not match the stored entry");
	else if (ledger_rules(e, &why) != 0) {
		v->error = xasprintf("stored entry breaks the rules: %s", why);
		free(why);
	}
	if (v->error != NULL) {
		v->bad_seq = e->seq;
		return 0;
	}
	memcpy(v->head, e->hash, sizeof v->head);
	return 0;
}

int
creport_verify(struct cstore *st, struct creport_verify *out, char **cause)
{
	struct creport_verify *r = out;
	int rc;

	memset(r, 0, sizeof *r);
	r->ok = true;
	if ((rc = cstore_begin(st, false, cause)) != POS_OK)
		return rc;
	if ((rc = cstore_chains(st, NULL, &r->chains_raw, &r->n, cause)) !=
	    POS_OK)
		goto out;
	r->checks = xcalloc(r->n + 1, sizeof *r->checks);
	for (size_t i = 0; i < r->n; i++) {
		const struct cstore_chain *c = &r->chains_raw[i];
		struct creport_check *v = &r->checks[i];

		v->branch = c->branch;
		v->terminal = c->terminal;
		memcpy(v->head, ledger_genesis, sizeof v->head);
		if ((rc = cstore_each_entry(st, c->branch, c->terminal,
		    creport_check_one, v, cause)) != POS_OK)
			goto out;
		if (v->bad_seq == 0 && (v->entries != c->last_seq ||
		    strcmp(v->head, c->head) != 0)) {
			v->bad_seq = c->last_seq;
			v->error = xasprintf("the stored head (seq %lld) does not "
			    "match the entries (%lld entries)",
			    (long long)c->last_seq, (long long)v->entries);
		}
		r->ok &= v->bad_seq == 0;
	}
	if ((rc = cstore_summaries_check(st, r->sums_bad, cause)) != POS_OK)
		goto out;
	r->sums_ok = true;
	for (int k = 0; k < CSTORE_SUMS; k++)
		r->sums_ok &= r->sums_bad[k] <= 0;	/* -1: not kept */
	r->ok &= r->sums_ok;
out:
	cstore_rollback(st);
	if (rc != POS_OK)
		creport_verify_free(r);
	return rc;
}

void
creport_verify_free(struct creport_verify *r)
{
	for (size_t i = 0; r->checks != NULL && i < r->n; i++)
		free(r->checks[i].error);
	free(r->checks);
	cstore_chains_free(r->chains_raw, r->n);
	memset(r, 0, sizeof *r);
}
