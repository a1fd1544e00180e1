/*
 * Reports: sums over the journal. A sale counts unless a void entry
 * references it; refunds count on the day they were made.
 */
#define _GNU_SOURCE	/* strverscmp */
#include "report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "xalloc.h"

const char *const report_methods[REPORT_METHODS] = { "cash", "card", "other" };

static int report_day_read(struct store *, const char *, int64_t, int64_t,
    struct report_day *, char **);

/*
 * A sale of j not voided. Not correlated: SQLite makes the set of voided
 * seqs once per statement and looks each row up in it, where NOT EXISTS
 * ran a subquery per row and per use (three in the day's totals).
 */
#define NOT_VOIDED "j.seq NOT IN (SELECT v.ref_seq FROM journal v" \
	" WHERE v.kind = 'void' AND v.ref_seq IS NOT NULL)"

static int
report_method(const char *m)
{
	for (int i = 0; i < REPORT_METHODS; i++)
		if (strcmp(m, report_methods[i]) == 0)
			return i;
	return REPORT_OTHER;
}

/* Both queries of a day report see one snapshot, even while sales commit. */
int
report_day(struct store *st, const char *date, struct report_day *r,
    char **cause)
{
	bool own = sqlite3_get_autocommit(st->db->conn) != 0;
	int rc;

	if (own && (rc = sqldb_begin(st->db, false, cause)) != POS_OK)
		return rc;
	rc = report_day_read(st, date, 0, INT64_MAX, r, cause);
	if (own)
		sqldb_rollback(st->db);
	return rc;
}

/* A session is the seqs from its day_open to its day_close, or to the end. */
int
report_session(struct store *st, const char *date, int64_t n,
    struct report_day *r, char **cause)
{
	bool own = sqlite3_get_autocommit(st->db->conn) != 0;
	struct journal_session s;
	int rc;

	memset(r, 0, sizeof *r);
	if (own && (rc = sqldb_begin(st->db, false, cause)) != POS_OK)
		return rc;
	rc = journal_session_of(st, date, n, &s, cause);
	if (rc == POS_OK)
		rc = report_day_read(st, date, s.open_seq, s.open ? INT64_MAX :
		    s.close_seq, r, cause);
	if (rc == POS_OK)
		r->session = s.session;
	if (own)
		sqldb_rollback(st->db);
	return rc;
}

/* The entries of date with seq in [from, to]. */
static int
report_day_read(struct store *st, const char *date, int64_t from, int64_t to,
    struct report_day *r, char **cause)
{
	sqlite3_stmt *stmt = NULL;
	int rc, s;

	memset(r, 0, sizeof *r);
	snprintf(r->date, sizeof r->date, "%s", date);
	stmt = sqldb_prepare(st->db, "SELECT"
	    " count(*) FILTER (WHERE kind = 'day_open'),"
	    " count(*) FILTER (WHERE kind = 'day_close'),"
	    " coalesce(sum(amount) FILTER (WHERE kind = 'day_open'), 0),"
	    " coalesce(sum(amount) FILTER (WHERE kind = 'day_close'), 0),"
	    " count(*) FILTER (WHERE kind = 'sale' AND " NOT_VOIDED "),"
	    " coalesce(sum(total + discount) FILTER (WHERE kind = 'sale' AND "
	    NOT_VOIDED "), 0),"
	    " coalesce(sum(discount) FILTER (WHERE kind = 'sale' AND "
	    NOT_VOIDED "), 0),"
	    " count(*) FILTER (WHERE kind = 'refund'),"
	    " coalesce(sum(total) FILTER (WHERE kind = 'refund'), 0),"
	    " count(*) FILTER (WHERE kind = 'void'),"
	    " coalesce(sum(total) FILTER (WHERE kind = 'void'), 0),"
	    " coalesce(sum(amount) FILTER (WHERE kind = 'payout'), 0),"
	    " coalesce(sum(amount) FILTER (WHERE kind = 'cash_in'), 0),"
	    " coalesce(sum(amount) FILTER (WHERE kind = 'cash_out'), 0),"
	    " coalesce(min(seq), 0), coalesce(max(seq), 0),"
	    " coalesce(min(created_at) FILTER (WHERE kind = 'sale'), ''),"
	    " coalesce(max(created_at) FILTER (WHERE kind = 'sale'), '')"
	    " FROM journal j WHERE business_date = ?1 AND seq BETWEEN ?2 AND ?3",
	    cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, date);
	sqlite3_bind_int64(stmt, 2, from);
	sqlite3_bind_int64(stmt, 3, to);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
		goto out;
	}
	if (sqlite3_column_int64(stmt, 0) == 0) {
		rc = cause_set(cause, POS_INPUT, "no business day %s", date);
		goto out;
	}
	r->sessions = sqlite3_column_int64(stmt, 0);
	r->closed = sqlite3_column_int64(stmt, 1) == r->sessions;
	r->float_amount = sqlite3_column_int64(stmt, 2);
	r->counted = r->closed;
	r->counted_cash = sqlite3_column_int64(stmt, 3);
	r->sales_count = sqlite3_column_int64(stmt, 4);
	r->gross = sqlite3_column_int64(stmt, 5);
	r->discounts = sqlite3_column_int64(stmt, 6);
	r->refunds_count = sqlite3_column_int64(stmt, 7);
	r->refunds = sqlite3_column_int64(stmt, 8);
	r->voids = sqlite3_column_int64(stmt, 9);
	r->voids_total = sqlite3_column_int64(stmt, 10);
	r->payouts = sqlite3_column_int64(stmt, 11);
	r->cash_in = sqlite3_column_int64(stmt, 12);
	r->cash_out = sqlite3_column_int64(stmt, 13);
	r->first_seq = sqlite3_column_int64(stmt, 14);
	r->last_seq = sqlite3_column_int64(stmt, 15);
	sqldb_column_copy(stmt, 16, r->first_sale, sizeof r->first_sale);
	sqldb_column_copy(stmt, 17, r->last_sale, sizeof r->last_sale);
	r->net = r->gross - r->discounts - r->refunds;
	sqlite3_finalize(stmt);

	/* Money taken by method: sales not voided, less refunds. */
	stmt = sqldb_prepare(st->db, "SELECT p.method, coalesce(sum(CASE"
	    " WHEN j.kind = 'sale' THEN p.amount ELSE -p.amount END), 0)"
	    " FROM journal j JOIN journal_payments p ON p.seq = j.seq"
	    " WHERE j.business_date = ?1 AND j.seq BETWEEN ?2 AND ?3 AND"
	    " (j.kind = 'refund' OR (j.kind = 'sale' AND " NOT_VOIDED "))"
	    " GROUP BY p.method", cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, date);
	sqlite3_bind_int64(stmt, 2, from);
	sqlite3_bind_int64(stmt, 3, to);
	while ((s = sqlite3_step(stmt)) == SQLITE_ROW)
		r->by_method[report_method((const char *)
		    sqlite3_column_text(stmt, 0))] += sqlite3_column_int64(stmt, 1);
	if (s != SQLITE_DONE) {
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
		goto out;
	}
	r->expected_cash = r->float_amount + r->by_method[REPORT_CASH] -
	    r->payouts + r->cash_in - r->cash_out;
	r->difference = r->counted_cash - r->expected_cash;
	rc = POS_OK;
out:
	sqlite3_finalize(stmt);
	return rc;
}

int
report_last_closed(struct store *st, char date[11], int64_t *session,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	*session = 0;
	stmt = sqldb_prepare(st->db, "SELECT business_date, session"
	    " FROM day_sessions WHERE close_seq IS NOT NULL"
	    " ORDER BY close_seq DESC LIMIT 1", cause);
	if (stmt == NULL)
		return POS_FAIL;
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		snprintf(date, 11, "%s",
		    (const char *)sqlite3_column_text(stmt, 0));
		*session = sqlite3_column_int64(stmt, 1);
	}
	else if (r == SQLITE_DONE)
		rc = cause_set(cause, POS_INPUT, "no day has been closed yet");
	else
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Per producer: sold and refunded line nets and payouts over a period
 * (?1..?2) and all time, in one pass. ?3 limits to one producer.
 */
static const char report_producers_sql[] =
    "WITH lines AS ("
    "  SELECT l.producer_code AS code, j.business_date AS d,"
    "   CASE WHEN j.kind = 'sale' THEN l.net ELSE 0 END AS sold,"
    "   CASE WHEN j.kind = 'refund' THEN l.net ELSE 0 END AS refunded"
    "  FROM journal j JOIN journal_lines l ON l.seq = j.seq"
    "  WHERE (j.kind = 'refund' OR (j.kind = 'sale' AND " NOT_VOIDED "))"
    "   AND (?3 IS NULL OR l.producer_code = ?3)),"
    " payouts AS ("
    "  SELECT producer_code AS code, business_date AS d, amount"
    "  FROM journal WHERE kind = 'payout'"
    "   AND (?3 IS NULL OR producer_code = ?3)),"
    " l AS (SELECT code,"
    "   sum(CASE WHEN d BETWEEN ?1 AND ?2 THEN sold ELSE 0 END) AS sold,"
    "   sum(CASE WHEN d BETWEEN ?1 AND ?2 THEN refunded ELSE 0 END) AS ref,"
    "   sum(sold - refunded) AS ever FROM lines GROUP BY code),"
    " p AS (SELECT code,"
    "   sum(CASE WHEN d BETWEEN ?1 AND ?2 THEN amount ELSE 0 END) AS paid,"
    "   sum(amount) AS ever FROM payouts GROUP BY code)"
    " SELECT r.code, r.name, coalesce(l.sold, 0), coalesce(l.ref, 0),"
    "  coalesce(p.paid, 0), coalesce(l.ever, 0) - coalesce(p.ever, 0)"
    " FROM producers r LEFT JOIN l ON l.code = r.code"
    " LEFT JOIN p ON p.code = r.code"
    " WHERE ?3 IS NULL OR r.code = ?3 ORDER BY r.code";

int
report_producers(struct store *st, const char *from, const char *to,
    const char *only, struct report_producer **out, size_t *n, char **cause)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int rc = POS_OK, r;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_prepare(st->db, report_producers_sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, from);
	sqldb_bind_text(stmt, 2, to);
	sqldb_bind_text(stmt, 3, only);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct report_producer *p;

		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		p = &(*out)[(*n)++];
		p->code = sqldb_column_dup(stmt, 0);
		p->name = sqldb_column_dup(stmt, 1);
		p->sold = sqlite3_column_int64(stmt, 2);
		p->refunded = sqlite3_column_int64(stmt, 3);
		p->net = p->sold - p->refunded;
		p->paid_out = sqlite3_column_int64(stmt, 4);
		p->balance = p->net - p->paid_out;
		p->owed = sqlite3_column_int64(stmt, 5);
	}
	if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	else if (only != NULL && *n == 0)
		rc = cause_set(cause, POS_INPUT, "no producer %s", only);
	sqlite3_finalize(stmt);
	if (rc != POS_OK) {
		report_producers_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void
report_producers_free(struct report_producer *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].code);
		free(p[i].name);
	}
	free(p);
}

int
report_owed(struct store *st, const char *code, int64_t *owed, char **cause)
{
	struct report_producer *p;
	size_t n;
	int rc;

	rc = report_producers(st, "0000-00-00", "0000-00-00", code, &p, &n,
	    cause);
	if (rc != POS_OK)
		return rc;
	*owed = p[0].owed;
	report_producers_free(p, n);
	return POS_OK;
}

/* Product codes in natural order: P2 before P10. */
static int
report_code_cmp(const void *a, const void *b)
{
	return strverscmp(((const struct report_product *)a)->code,
	    ((const struct report_product *)b)->code);
}

int
report_producer_products(struct store *st, const char *code,
    const char *from, const char *to, struct report_product **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int rc = POS_OK, r;

	*out = NULL;
	*n = 0;
	stmt = sqldb_prepare(st->db,
	    "SELECT l.product_code, max(l.product_name),"
	    " sum(CASE WHEN j.kind = 'sale' THEN l.qty ELSE 0 END),"
	    " sum(CASE WHEN j.kind = 'sale' THEN l.net ELSE 0 END),"
	    " sum(CASE WHEN j.kind = 'refund' THEN l.qty ELSE 0 END),"
	    " sum(CASE WHEN j.kind = 'refund' THEN l.net ELSE 0 END)"
	    " FROM journal j JOIN journal_lines l ON l.seq = j.seq"
	    " WHERE l.producer_code = ?1 AND j.business_date BETWEEN ?2 AND ?3"
	    " AND (j.kind = 'refund' OR (j.kind = 'sale' AND " NOT_VOIDED "))"
	    " GROUP BY l.product_code ORDER BY l.product_code", cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, code);
	sqldb_bind_text(stmt, 2, from);
	sqldb_bind_text(stmt, 3, to);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct report_product *p;

		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		p = &(*out)[(*n)++];
		p->code = sqldb_column_dup(stmt, 0);
		p->name = sqldb_column_dup(stmt, 1);
		p->qty_sold = sqlite3_column_int64(stmt, 2);
		p->sold = sqlite3_column_int64(stmt, 3);
		p->qty_refunded = sqlite3_column_int64(stmt, 4);
		p->refunded = sqlite3_column_int64(stmt, 5);
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
		report_products_free(*out, *n);
		*out = NULL;
		*n = 0;
	} else if (*n > 1)
		qsort(*out, *n, sizeof **out, report_code_cmp);
	sqlite3_finalize(stmt);
	return rc;
}

void
report_products_free(struct report_product *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].code);
		free(p[i].name);
	}
	free(p);
}
