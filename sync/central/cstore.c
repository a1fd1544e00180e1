/*
 * The central store's interface, dispatched to its backend: SQLite for a
 * file path (the default), PostgreSQL for a postgresql:// or postgres://
 * URI. Callers see only cstore.h.
 */
#include "cstore_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

bool
cstore_is_uri(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 ||
	    strncmp(where, "postgres://", 11) == 0;
}

char *
cstore_shown(const char *where)
{
	const char *auth, *at, *colon, *pw;
	char *s;

	if (!cstore_is_uri(where))
		return xstrdup(where);
	auth = strstr(where, "://") + 3;
	at = strchr(auth, '@');
	colon = strchr(auth, ':');
	if (at != NULL && colon != NULL && colon < at &&
	    strcspn(auth, "/?") > (size_t)(at - auth))
		s = xasprintf("%.*s:***%s", (int)(colon - where), where, at);
	else
		s = xstrdup(where);
	/* password=... among the parameters */
	if ((pw = strstr(s, "password=")) != NULL && (pw[-1] == '?' ||
	    pw[-1] == '&')) {
		char *t = xasprintf("%.*spassword=***%s", (int)(pw - s), s,
		    pw + 9 + strcspn(pw + 9, "&"));

		free(s);
		s = t;
	}
	return s;
}

int
cstore_open(const char *where, bool create, struct cstore **out,
    char **cause)
{
	if (cstore_is_uri(where))
		return cstore_pg_open(where, create, out, cause);
	return cstore_sqlite_open(where, create, out, cause);
}

void
cstore_close(struct cstore *st)
{
	if (st != NULL)
		st->ops->close(st);
}

const char *
cstore_kind(const struct cstore *st)
{
	return st->ops->kind;
}

bool
cstore_serial(const struct cstore *st)
{
	return st->ops->serial;
}

int
cstore_ping(struct cstore *st, char **cause)
{
	return st->ops->ping(st, cause);
}

int
cstore_begin(struct cstore *st, bool write, char **cause)
{
	return st->ops->begin(st, write, cause);
}

int
cstore_commit(struct cstore *st, char **cause)
{
	return st->ops->commit(st, cause);
}

void
cstore_rollback(struct cstore *st)
{
	st->ops->rollback(st);
}

int
cstore_branch_add(struct cstore *st, const char *code, const char *name,
    const uint8_t hash[TOKEN_DIGEST], const char *now, char **cause)
{
	return st->ops->branch_add(st, code, name, hash, now, cause);
}

int
cstore_branch_revoke(struct cstore *st, const char *code, const char *now,
    char **cause)
{
	return st->ops->branch_revoke(st, code, now, cause);
}

int
cstore_branches(struct cstore *st, struct cstore_branch **out, size_t *n,
    char **cause)
{
	return st->ops->branches(st, out, n, cause);
}

void
cstore_branches_free(struct cstore_branch *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(b[i].code);
		free(b[i].name);
		free(b[i].created_at);
		free(b[i].revoked_at);
	}
	free(b);
}

int
cstore_authenticate(struct cstore *st, const uint8_t digest[TOKEN_DIGEST],
    char **code, bool *revoked, char **cause)
{
	return st->ops->authenticate(st, digest, code, revoked, cause);
}

int
cstore_head(struct cstore *st, const char *branch, int64_t terminal,
    int64_t *last_seq, char head[LEDGER_HASH_HEX], char **cause)
{
	return st->ops->head(st, branch, terminal, last_seq, head, cause);
}

int
cstore_chains(struct cstore *st, const char *branch,
    struct cstore_chain **out, size_t *n, char **cause)
{
	return st->ops->chains(st, branch, out, n, cause);
}

void
cstore_chains_free(struct cstore_chain *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].branch);
		free(c[i].first_received);
		free(c[i].last_received);
	}
	free(c);
}

int
cstore_find_uuid(struct cstore *st, const char *uuid,
    struct cstore_stored *out, char **cause)
{
	return st->ops->find_uuid(st, uuid, out, cause);
}

int
cstore_insert(struct cstore *st, const struct ledger_entry *e,
    const char *received_at, char **cause)
{
	return st->ops->insert(st, e, received_at, cause);
}

int
cstore_put_head(struct cstore *st, const char *branch, int64_t terminal,
    int64_t last_seq, const char head[LEDGER_HASH_HEX],
    const char *received_at, char **cause)
{
	return st->ops->put_head(st, branch, terminal, last_seq, head,
	    received_at, cause);
}

int
cstore_savepoint(struct cstore *st, char **cause)
{
	return st->ops->savepoint(st, cause);
}

int
cstore_savepoint_end(struct cstore *st, bool undo, char **cause)
{
	return st->ops->savepoint_end(st, undo, cause);
}

struct each_plain {
	int	(*fn)(void *, const struct ledger_entry *);
	void	*arg;
};

static int
each_plain(void *arg, const struct ledger_entry *e, const char *received_at)
{
	struct each_plain *p = arg;

	(void)received_at;
	return p->fn(p->arg, e);
}

int
cstore_each_entry(struct cstore *st, const char *branch, int64_t terminal,
    int (*fn)(void *, const struct ledger_entry *), void *arg, char **cause)
{
	struct each_plain p = { fn, arg };

	return st->ops->each_entry(st, branch, terminal, each_plain, &p, cause);
}

int
cstore_each_received(struct cstore *st, const char *branch, int64_t terminal,
    int (*fn)(void *, const struct ledger_entry *, const char *), void *arg,
    char **cause)
{
	return st->ops->each_entry(st, branch, terminal, fn, arg, cause);
}

int
cstore_entries_after(struct cstore *st, const char *branch, int64_t terminal,
    int64_t after, int64_t limit,
    int (*fn)(void *, const struct ledger_entry *), void *arg, char **cause)
{
	struct each_plain p = { fn, arg };

	return st->ops->entries_after(st, branch, terminal, after, limit,
	    each_plain, &p, cause);
}

int
cstore_idem_get(struct cstore *st, const char *branch, const char *key,
    uint8_t body_hash[TOKEN_DIGEST], char **response, char **cause)
{
	return st->ops->idem_get(st, branch, key, body_hash, response, cause);
}

int
cstore_idem_put(struct cstore *st, const char *branch, const char *key,
    const uint8_t body_hash[TOKEN_DIGEST], const char *response,
    const char *now, int keep_days, char **cause)
{
	return st->ops->idem_put(st, branch, key, body_hash, response, now,
	    keep_days, cause);
}

int
cstore_report_producers(struct cstore *st, const char *from, const char *to,
    struct cstore_producer **out, size_t *n, char **cause)
{
	return st->ops->report_producers(st, NULL, from, to, out, n, cause);
}

int
cstore_report_producer(struct cstore *st, const char *code, const char *from,
    const char *to, struct cstore_producer **out, size_t *n, char **cause)
{
	return st->ops->report_producers(st, code, from, to, out, n, cause);
}

int
cstore_producer_days(struct cstore *st, const char *code, const char *from,
    const char *to, struct cstore_pday **out, size_t *n, char **cause)
{
	*out = NULL;
	*n = 0;
	return st->ops->producer_days(st, code, from, to, out, n, cause);
}

void
cstore_pdays_free(struct cstore_pday *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(d[i].currency);
	free(d);
}

void
cstore_producers_free(struct cstore_producer *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].code);
		free(p[i].name);
		free(p[i].currency);
		for (size_t k = 0; k < p[i].nwindows; k++)
			free(p[i].windows[k].branch);
		free(p[i].windows);
	}
	free(p);
}

/* One window's sums, added to its producer (a new one if it differs). */
static void
cstore_window_add(struct cstore_producer **out, size_t *n, size_t *cap,
    const struct cstore_prow *r, int64_t owed, int64_t n_period,
    const char *name)
{
	struct cstore_producer *p = *n > 0 ? &(*out)[*n - 1] : NULL;
	struct cstore_pwindow *w;
	bool counted = false;

	if (p == NULL || strcmp(p->code, r->code) != 0 ||
	    strcmp(p->currency, r->currency) != 0 ||
	    p->decimals != r->decimals) {
		if (*n == *cap) {
			*cap = *cap == 0 ? 64 : *cap * 2;
			*out = xreallocarray(*out, *cap, sizeof **out);
		}
		p = &(*out)[(*n)++];
		memset(p, 0, sizeof *p);
		p->code = xstrdup(r->code);
		p->name = xstrdup(name != NULL ? name : r->code);
		p->currency = xstrdup(r->currency);
		p->decimals = r->decimals;
	}
	/* Windows come by branch: one counted before is this branch's. */
	for (size_t k = p->nwindows; n_period > 0 && k-- > 0 &&
	    strcmp(p->windows[k].branch, r->branch) == 0;)
		counted |= p->windows[k].in_period;
	if (n_period > 0 && !counted)
		p->branches++;
	p->windows = xreallocarray(p->windows, p->nwindows + 1,
	    sizeof *p->windows);
	w = &p->windows[p->nwindows++];
	w->branch = xstrdup(r->branch);
	w->terminal = r->terminal;
	w->net = r->sold - r->refunded;
	w->paid_out = r->paid_out;
	w->owed = owed;
	w->in_period = n_period > 0;
	p->sold += r->sold;
	p->refunded += r->refunded;
	p->net = p->sold - p->refunded;
	p->paid_out += r->paid_out;
	p->balance = p->net - p->paid_out;
	p->owed += owed;
}

void
cstore_pacc_add(struct cstore_pacc *a, const struct cstore_prow *r)
{
	struct cstore_prow *c;

	if (a->n == a->cap) {
		a->cap = a->cap == 0 ? 1024 : a->cap * 2;
		a->r = xreallocarray(a->r, a->cap, sizeof *a->r);
	}
	c = &a->r[a->n++];
	*c = *r;
	c->code = xstrdup(r->code);
	c->currency = xstrdup(r->currency);
	c->branch = xstrdup(r->branch);
}

void
cstore_pacc_name(struct cstore_pacc *a, const char *code, const char *name)
{
	if (a->nnames + 2 > a->capnames) {
		a->capnames = a->capnames == 0 ? 256 : a->capnames * 2;
		a->names = xreallocarray(a->names, a->capnames,
		    sizeof *a->names);
	}
	a->names[a->nnames++] = xstrdup(code);
	a->names[a->nnames++] = xstrdup(name);
}

static int
cstore_prow_cmp(const void *x, const void *y)
{
	const struct cstore_prow *a = x, *b = y;
	int c;

	if ((c = strcmp(a->code, b->code)) != 0 ||
	    (c = strcmp(a->currency, b->currency)) != 0)
		return c;
	if (a->decimals != b->decimals)
		return a->decimals < b->decimals ? -1 : 1;
	if ((c = strcmp(a->branch, b->branch)) != 0)
		return c;
	if (a->terminal != b->terminal)
		return a->terminal < b->terminal ? -1 : 1;
	return 0;
}

static const char *
cstore_pacc_lookup(const struct cstore_pacc *a, const char *code)
{
	size_t lo = 0, hi = a->nnames / 2;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(a->names[2 * mid], code);

		if (c == 0)
			return a->names[2 * mid + 1];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
cstore_pacc_done(struct cstore_pacc *a, struct cstore_producer **out,
    size_t *n)
{
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (a->n > 0)
		qsort(a->r, a->n, sizeof *a->r, cstore_prow_cmp);
	for (size_t i = 0, j; i < a->n; i = j) {
		struct cstore_prow sum = a->r[i];
		int64_t owed = 0, n_all = 0, n_period = 0;

		sum.sold = sum.refunded = sum.paid_out = 0;
		for (j = i; j < a->n && cstore_prow_cmp(&a->r[i], &a->r[j]) == 0;
		    j++) {
			const struct cstore_prow *r = &a->r[j];

			if (r->period) {
				sum.sold += r->sold;
				sum.refunded += r->refunded;
				sum.paid_out += r->paid_out;
				n_period += r->n;
			} else {
				owed += r->sold - r->refunded - r->paid_out;
				n_all += r->n;
			}
		}
		/* A window with nothing left (its one sale voided) is none. */
		if (n_all > 0)
			cstore_window_add(out, n, &cap, &sum, owed, n_period,
			    cstore_pacc_lookup(a, sum.code));
	}
}

void
cstore_pacc_free(struct cstore_pacc *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free((char *)a->r[i].code);
		free((char *)a->r[i].currency);
		free((char *)a->r[i].branch);
	}
	free(a->r);
	for (size_t i = 0; i < a->nnames; i++)
		free(a->names[i]);
	free(a->names);
	memset(a, 0, sizeof *a);
}

static bool
cstore_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

void
cstore_span(const char *from, const char *to, struct cstore_span *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int fy, fmo, fd, ty, tmo, td, last;
	bool months;

	memset(s, 0, sizeof *s);
	if (sscanf(from, "%4d-%2d-%2d", &fy, &fmo, &fd) != 3 ||
	    sscanf(to, "%4d-%2d-%2d", &ty, &tmo, &td) != 3 ||
	    fmo < 1 || fmo > 12 || tmo < 1 || tmo > 12) {
		/* Not dates: every row read day by day. */
		snprintf(s->d1_from, sizeof s->d1_from, "%s", from);
		snprintf(s->d1_to, sizeof s->d1_to, "%s", to);
		snprintf(s->m_from, sizeof s->m_from, "1");
		snprintf(s->m_to, sizeof s->m_to, "0");
		snprintf(s->d2_from, sizeof s->d2_from, "1");
		snprintf(s->d2_to, sizeof s->d2_to, "0");
		return;
	}
	/* The first whole month starts at from, or the month after. */
	if (fd != 1 && ++fmo > 12) {
		fmo = 1;
		fy++;
	}
	last = mdays[tmo - 1] + (tmo == 2 && cstore_leap(ty));
	if (td < last && --tmo < 1) {
		tmo = 12;
		ty--;
	}
	months = fy <= 9999 && ty >= 0 && (fy < ty || (fy == ty && fmo <= tmo));
	if (!months) {
		snprintf(s->d1_from, sizeof s->d1_from, "%s", from);
		snprintf(s->d1_to, sizeof s->d1_to, "%s", to);
		snprintf(s->m_from, sizeof s->m_from, "1");
		snprintf(s->m_to, sizeof s->m_to, "0");
		snprintf(s->d2_from, sizeof s->d2_from, "1");
		snprintf(s->d2_to, sizeof s->d2_to, "0");
		return;
	}
	/* "YYYY-MM-00" is after the month before; "YYYY-MM-99" its end. */
	snprintf(s->d1_from, sizeof s->d1_from, "%s", from);
	snprintf(s->d1_to, sizeof s->d1_to, "%04d-%02d-00", fy, fmo);
	snprintf(s->m_from, sizeof s->m_from, "%04d-%02d", fy, fmo);
	snprintf(s->m_to, sizeof s->m_to, "%04d-%02d", ty, tmo);
	snprintf(s->d2_from, sizeof s->d2_from, "%04d-%02d-99", ty, tmo);
	snprintf(s->d2_to, sizeof s->d2_to, "%s", to);
}

int
cstore_insert_many(struct cstore *st, const struct ledger_entry *e,
    size_t n, const char *received_at, char **cause)
{
	int rc, end;

	if ((rc = cstore_savepoint(st, cause)) != POS_OK)
		return rc;
	rc = st->ops->insert_many(st, e, n, received_at, cause);
	end = cstore_savepoint_end(st, rc != POS_OK, cause);
	return rc == POS_OK ? end : rc;
}

char *
cstore_join(const char *const *parts)
{
	size_t len = 1, at = 0;
	char *s;

	for (size_t i = 0; parts[i] != NULL; i++)
		len += strlen(parts[i]);
	s = xmalloc(len);
	for (size_t i = 0; parts[i] != NULL; i++) {
		memcpy(s + at, parts[i], strlen(parts[i]));
		at += strlen(parts[i]);
	}
	s[at] = '\0';
	return s;
}

int
cstore_summaries_check(struct cstore *st, int64_t bad[CSTORE_SUMS],
    char **cause)
{
	return st->ops->summaries_check(st, bad, cause);
}

const char *
cstore_summary_name(int which)
{
	static const char *const names[CSTORE_SUMS] = { "sum_days",
	    "sum_producer_days", "sum_producer_months", "sum_producer_all",
	    "sum_producer_products" };

	return which >= 0 && which < CSTORE_SUMS ? names[which] : "?";
}

void
cstore_dplace_start(struct cstore_dplace *p, const struct cstore_chain *chains,
    size_t nchains, struct cstore_day **out, size_t *n)
{
	p->chains = chains;
	p->nchains = nchains;
	p->k = 0;
	p->out = out;
	p->n = n;
	p->cap = xcalloc(nchains + 1, sizeof *p->cap);
	for (size_t i = 0; i < nchains; i++) {
		out[i] = xcalloc(1, sizeof **out);
		n[i] = 0;
		p->cap[i] = 1;
	}
}

struct cstore_day *
cstore_dplace(struct cstore_dplace *p, const char *branch, int64_t terminal)
{
	size_t j, k = p->k;

	for (j = 0; j < p->nchains; j++, k = (k + 1) % p->nchains)
		if (p->chains[k].terminal == terminal &&
		    strcmp(p->chains[k].branch, branch) == 0)
			break;
	p->k = k;
	if (j == p->nchains)
		return NULL;
	if (p->n[k] == p->cap[k]) {
		p->cap[k] *= 2;
		p->out[k] = xreallocarray(p->out[k], p->cap[k],
		    sizeof **p->out);
	}
	return &p->out[k][p->n[k]++];
}

void
cstore_dplace_end(struct cstore_dplace *p, bool failed)
{
	if (failed)
		for (size_t i = 0; i < p->nchains; i++) {
			free(p->out[i]);
			p->out[i] = NULL;
			p->n[i] = 0;
		}
	free(p->cap);
	p->cap = NULL;
}

int
cstore_days_chains(struct cstore *st, const struct cstore_chain *chains,
    size_t nchains, const struct cstore_dspan *span, struct cstore_day **out,
    size_t *n, char **cause)
{
	return st->ops->days_chains(st, chains, nchains, span, out, n, cause);
}

int
cstore_counts(struct cstore *st, int64_t *entries, int64_t *lines,
    int64_t *payments, char **cause)
{
	return st->ops->counts(st, entries, lines, payments, cause);
}

int
cstore_day_money(struct cstore *st, const char *from, const char *to,
    bool flagged, struct cstore_day_money **out, size_t *n, char **cause)
{
	return st->ops->day_money(st, from, to, flagged, out, n, cause);
}

void
cstore_day_money_free(struct cstore_day_money *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].branch);
		free(d[i].currency);
	}
	free(d);
}

int
cstore_reject_put(struct cstore *st, const struct ledger_entry *e,
    const char *reason, const char *now, char **cause)
{
	return st->ops->reject_put(st, e, reason, now, cause);
}

int
cstore_rejection_copy(struct cstore *st, const struct cstore_rejection *r,
    char **cause)
{
	return st->ops->rejection_copy(st, r, cause);
}

int
cstore_rejections(struct cstore *st, struct cstore_rejection **out,
    size_t *n, char **cause)
{
	return st->ops->rejections(st, out, n, cause);
}

void
cstore_rejections_free(struct cstore_rejection *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].branch);
		free(r[i].uuid);
		free(r[i].receipt);
		free(r[i].reason);
		free(r[i].first_at);
		free(r[i].last_at);
	}
	free(r);
}

void
cstore_now(char utc[21])
{
	const char *fixed = getenv("POS_NOW");
	struct tm tm;
	time_t now = time(NULL);
	char *end;

	if (fixed != NULL && *fixed != '\0') {
		memset(&tm, 0, sizeof tm);
		end = strptime(fixed, "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (end != NULL && *end == '\0')
			now = timegm(&tm);
	}
	gmtime_r(&now, &tm);
	strftime(utc, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
