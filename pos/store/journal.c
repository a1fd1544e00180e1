/*
 * The journal: appending sealed entries and reading them back.
 */
#include "journal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include "ledger_sql.h"
#include "xalloc.h"

/*
 * The journal's rows hold the fields of the ledger's table, but for the
 * terminal's identity (branch and terminal), which is the store's.
 */
#define JOURNAL_SKIP	LEDGER_FIELD_IDENTITY

/*
 * The statements on entries, lines and payments, made once from the field
 * table. Each text keeps its address for the life of the process: the
 * statement cache (sqldb_cached) is keyed on it.
 */
static struct {
	const char	*insert, *one, *each;
	const char	*line_insert, *lines, *each_line;
	const char	*pay_insert, *pays, *each_pay;
} jsql;
static pthread_once_t jsql_once = PTHREAD_ONCE_INIT;

static void
journal_sql_make(void)
{
	char *e, *eq, *l, *lq, *p, *pq;

	ledger_sql_columns(&ledger_entry_table, JOURNAL_SKIP, &e, &eq);
	ledger_sql_columns(&ledger_line_table, JOURNAL_SKIP, &l, &lq);
	ledger_sql_columns(&ledger_payment_table, JOURNAL_SKIP, &p, &pq);
	jsql.insert = xasprintf("INSERT INTO journal (ref_seq, %s)"
	    " VALUES (?, %s)", e, eq);
	jsql.one = xasprintf("SELECT %s FROM journal WHERE seq = ?", e);
	jsql.each = xasprintf("SELECT %s FROM journal"
	    " WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq", e);
	jsql.line_insert = xasprintf("INSERT INTO journal_lines (seq, line_no,"
	    " %s) VALUES (?, ?, %s)", l, lq);
	jsql.lines = xasprintf("SELECT %s FROM journal_lines WHERE seq = ?"
	    " ORDER BY line_no", l);
	jsql.each_line = xasprintf("SELECT seq, %s FROM journal_lines"
	    " WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq, line_no", l);
	jsql.pay_insert = xasprintf("INSERT INTO journal_payments (seq, pay_no,"
	    " %s) VALUES (?, ?, %s)", p, pq);
	jsql.pays = xasprintf("SELECT %s FROM journal_payments WHERE seq = ?"
	    " ORDER BY pay_no", p);
	jsql.each_pay = xasprintf("SELECT seq, %s FROM journal_payments"
	    " WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq, pay_no", p);
	free(e);
	free(eq);
	free(l);
	free(lq);
	free(p);
	free(pq);
}

static void
journal_sql(void)
{
	pthread_once(&jsql_once, journal_sql_make);
}

/* Read the head of the chain: last seq and hash. */
static int
journal_head(struct store *st, int64_t *seq, char hash[LEDGER_HASH_HEX],
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	static const char sql[] =
	    "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1";

	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		*seq = sqlite3_column_int64(stmt, 0);
		sqldb_column_copy(stmt, 1, hash, LEDGER_HASH_HEX);
	} else if (r == SQLITE_DONE) {
		*seq = 0;
		memcpy(hash, ledger_genesis, LEDGER_HASH_HEX);
	} else
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqldb_release(stmt);
	return rc;
}

static void
journal_set(char **dst, const char *src)
{
	free(*dst);
	*dst = src != NULL ? xstrdup(src) : NULL;
}

int
journal_stamp(struct store *st, struct ledger_entry *e, const char *kind,
    const char *user, const char *date, char **cause)
{
	char utc[21], today[11];
	int rc;

	if ((rc = store_now(st->cfg, utc, today, cause)) != POS_OK)
		return rc;
	e->kind = xstrdup(kind);
	e->user = xstrdup(user);
	e->created_at = xstrdup(utc);
	e->business_date = xstrdup(date);
	return POS_OK;
}

/*
 * Give e the next seq after last (whose hash is already in e->prev_hash),
 * a uuid, its receipt and the store's identity and currency; then seal it.
 */
static int
journal_seal(struct store *st, struct ledger_entry *e, int64_t last,
    char **cause)
{
	uuid_t uu;
	char *why = NULL;
	int rc;

	uuid_generate_random(uu);
	uuid_unparse_lower(uu, e->uuid);
	e->seq = last + 1;
	free(e->receipt);
	e->receipt = xasprintf("%s-%lld-%06lld", st->branch,
	    (long long)st->terminal, (long long)e->seq);
	journal_set(&e->branch, st->branch);
	e->terminal = st->terminal;
	if (st->currency != NULL) {
		journal_set(&e->currency, st->currency);
		e->decimals = st->decimals;
	} else {
		journal_set(&e->currency, st->cfg->currency.code);
		e->decimals = st->cfg->currency.decimals;
	}
	if (ledger_seal(e) != 0) {
		if (ledger_validate(e, &why) == 0)
			return cause_set(cause, POS_FAIL, "cannot seal the "
			    "entry");
		rc = cause_set(cause, POS_INPUT, "the entry cannot go into the "
		    "journal: %s", why);
		free(why);
		return rc;
	}
	return POS_OK;
}

/* Insert the journal row of e (ref_seq > 0: the entry it refers to). */
static int
journal_insert_entry(struct store *st, const struct ledger_entry *e,
    int64_t ref_seq, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	if ((stmt = sqldb_cached(st->db, jsql.insert, cause)) == NULL)
		return POS_FAIL;
	if (ref_seq > 0)
		sqlite3_bind_int64(stmt, 1, ref_seq);
	ledger_sql_bind(stmt, 2, &ledger_entry_table, JOURNAL_SKIP, e);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot write the journal", cause);
	sqldb_release(stmt);
	return rc;
}

/*
 * Insert the n parts of entry seq (lines or payments, size bytes apart
 * from items, fields by table t) with the statement sql, numbered from 1.
 */
static int
journal_insert_parts(struct store *st, const char *sql, int64_t seq,
    const struct ledger_table *t, const void *items, size_t size, size_t n,
    char **cause)
{
	sqlite3_stmt *stmt;
	size_t i;
	int rc = POS_OK;

	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	for (i = 0; i < n; i++) {
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, seq);
		sqlite3_bind_int64(stmt, 2, (int64_t)i + 1);
		ledger_sql_bind(stmt, 3, t, JOURNAL_SKIP,
		    (const char *)items + i * size);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			rc = sqldb_sqlerr(st->db, "cannot write the journal",
			    cause);
			break;
		}
	}
	sqldb_release(stmt);
	return rc;
}

int
journal_append(struct store *st, struct ledger_entry *e, int64_t ref_seq,
    char **cause)
{
	int64_t last = 0;
	int rc;

	if ((rc = store_need_identity(st, cause)) != POS_OK)
		return rc;
	if ((rc = journal_head(st, &last, e->prev_hash, cause)) != POS_OK)
		return rc;
	if ((rc = journal_seal(st, e, last, cause)) != POS_OK)
		return rc;
	journal_sql();
	if ((rc = journal_insert_entry(st, e, ref_seq, cause)) != POS_OK ||
	    (rc = journal_insert_parts(st, jsql.line_insert, e->seq,
	    &ledger_line_table, e->lines, sizeof *e->lines, e->nlines,
	    cause)) != POS_OK ||
	    (rc = journal_insert_parts(st, jsql.pay_insert, e->seq,
	    &ledger_payment_table, e->payments, sizeof *e->payments,
	    e->npayments, cause)) != POS_OK)
		return rc;
	if (st->autoprint && st->after_append != NULL)
		return st->after_append(st, e, cause);
	return POS_OK;
}

/* Fill e from a row of jsql.one or jsql.each. */
static void
journal_row(sqlite3_stmt *stmt, struct ledger_entry *e)
{
	memset(e, 0, sizeof *e);
	ledger_sql_read(stmt, 0, &ledger_entry_table, JOURNAL_SKIP, e);
}

/* A line from columns off.. of a journal_lines row. */
static void
journal_line_row(sqlite3_stmt *s, int off, struct ledger_line *l)
{
	ledger_sql_read(s, off, &ledger_line_table, JOURNAL_SKIP, l);
}

static void
journal_payment_row(sqlite3_stmt *s, int off, struct ledger_payment *p)
{
	ledger_sql_read(s, off, &ledger_payment_table, JOURNAL_SKIP, p);
}

/* Load the lines and payments of e->seq. */
static int
journal_load_parts(struct store *st, sqlite3_stmt *lines,
    sqlite3_stmt *pays, struct ledger_entry *e, char **cause)
{
	size_t cap = 0;
	int r;

	sqlite3_reset(lines);
	sqlite3_bind_int64(lines, 1, e->seq);
	while ((r = sqlite3_step(lines)) == SQLITE_ROW) {
		struct ledger_line *l;

		if (e->nlines == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			e->lines = xreallocarray(e->lines, cap, sizeof *l);
		}
		journal_line_row(lines, 0, &e->lines[e->nlines++]);
	}
	if (r != SQLITE_DONE)
		return sqldb_sqlerr(st->db, "cannot read the journal", cause);

	cap = 0;
	sqlite3_reset(pays);
	sqlite3_bind_int64(pays, 1, e->seq);
	while ((r = sqlite3_step(pays)) == SQLITE_ROW) {
		struct ledger_payment *p;

		if (e->npayments == cap) {
			cap = cap == 0 ? 2 : cap * 2;
			e->payments = xreallocarray(e->payments, cap, sizeof *p);
		}
		journal_payment_row(pays, 0, &e->payments[e->npayments++]);
	}
	if (r != SQLITE_DONE)
		return sqldb_sqlerr(st->db, "cannot read the journal", cause);
	return POS_OK;
}

/* Fill in the store's identity, which every entry carries. */
static void
journal_identity(struct store *st, struct ledger_entry *e)
{
	journal_set(&e->branch, st->branch);
	e->terminal = st->terminal;
}

int
journal_load(struct store *st, int64_t seq, struct ledger_entry *e,
    char **cause)
{
	sqlite3_stmt *stmt = NULL, *lines = NULL, *pays = NULL;
	int rc, r;

	/* Cached: the push and the printer load entries one by one. */
	memset(e, 0, sizeof *e);
	journal_sql();
	stmt = sqldb_cached(st->db, jsql.one, cause);
	lines = sqldb_cached(st->db, jsql.lines, cause);
	pays = sqldb_cached(st->db, jsql.pays, cause);
	if (stmt == NULL || lines == NULL || pays == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, seq);
	r = sqlite3_step(stmt);
	if (r == SQLITE_DONE) {
		rc = cause_set(cause, POS_INPUT, "no journal entry %lld",
		    (long long)seq);
		goto out;
	}
	if (r != SQLITE_ROW) {
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
		goto out;
	}
	journal_row(stmt, e);
	journal_identity(st, e);
	rc = journal_load_parts(st, lines, pays, e, cause);
out:
	sqldb_release(stmt);
	sqldb_release(lines);
	sqldb_release(pays);
	return rc;
}

/*
 * Step a parts cursor past rows before seq and take those of seq into the
 * entry with add. *r is the cursor's last step (SQLITE_ROW: on a row not
 * yet taken).
 */
static int
each_parts(struct store *st, sqlite3_stmt *s, int *r, int64_t seq,
    void *arr, size_t *n, size_t size,
    void (*add)(sqlite3_stmt *, int, void *), char **cause)
{
	size_t cap = 0;
	char **elems = arr;

	while (*r == SQLITE_ROW && sqlite3_column_int64(s, 0) <= seq) {
		if (sqlite3_column_int64(s, 0) == seq) {
			if (*n == cap) {
				cap = cap == 0 ? 4 : cap * 2;
				*elems = xreallocarray(*elems, cap, size);
			}
			add(s, 1, *elems + size * (*n)++);
		}
		*r = sqlite3_step(s);
	}
	if (*r != SQLITE_ROW && *r != SQLITE_DONE)
		return sqldb_sqlerr(st->db, "cannot read the journal", cause);
	return POS_OK;
}

static void
each_line(sqlite3_stmt *s, int off, void *l)
{
	journal_line_row(s, off, l);
}

static void
each_payment(sqlite3_stmt *s, int off, void *p)
{
	journal_payment_row(s, off, p);
}

int
journal_each(struct store *st, int64_t from, int64_t to,
    int (*fn)(void *arg, const struct ledger_entry *), void *arg,
    char **cause)
{
	sqlite3_stmt *stmt, *lines, *pays;
	struct ledger_entry e;
	int rc = POS_OK, r, rl, rp;

	journal_sql();
	stmt = sqldb_cached(st->db, jsql.each, cause);
	lines = sqldb_cached(st->db, jsql.each_line, cause);
	pays = sqldb_cached(st->db, jsql.each_pay, cause);
	if (stmt == NULL || lines == NULL || pays == NULL) {
		rc = POS_FAIL;
		goto out;
	}
	if (to < 0)
		to = INT64_MAX;
	sqlite3_bind_int64(stmt, 1, from);
	sqlite3_bind_int64(stmt, 2, to);
	sqlite3_bind_int64(lines, 1, from);
	sqlite3_bind_int64(lines, 2, to);
	sqlite3_bind_int64(pays, 1, from);
	sqlite3_bind_int64(pays, 2, to);
	rl = sqlite3_step(lines);
	rp = sqlite3_step(pays);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		journal_row(stmt, &e);
		journal_identity(st, &e);
		rc = each_parts(st, lines, &rl, e.seq, &e.lines, &e.nlines,
		    sizeof *e.lines, each_line, cause);
		if (rc == POS_OK)
			rc = each_parts(st, pays, &rp, e.seq, &e.payments,
			    &e.npayments, sizeof *e.payments, each_payment,
			    cause);
		if (rc == POS_OK)
			rc = fn(arg, &e);
		ledger_entry_free(&e);
		if (rc != POS_OK) {
			if (rc == JOURNAL_STOP)
				rc = POS_OK;
			goto out;
		}
	}
	if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
out:
	sqldb_release(stmt);
	sqldb_release(lines);
	sqldb_release(pays);
	return rc;
}

int
journal_find(struct store *st, const char *receipt, int64_t *seq,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	stmt = sqldb_prepare(st->db,
	    "SELECT seq FROM journal WHERE receipt = ?", cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, receipt);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW)
		*seq = sqlite3_column_int64(stmt, 0);
	else if (r == SQLITE_DONE)
		rc = cause_set(cause, POS_INPUT, "no receipt %s", receipt);
	else
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqlite3_finalize(stmt);
	return rc;
}

int
journal_day(struct store *st, char date[11], bool *open, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	date[0] = '\0';
	*open = false;
	/* Each max() is one probe of the (kind, seq) index, however long the day. */
	static const char sql[] = "SELECT kind, business_date FROM journal"
	    " WHERE seq = (SELECT max(s) FROM ("
	    "  SELECT max(seq) AS s FROM journal WHERE kind = 'day_open'"
	    "  UNION ALL"
	    "  SELECT max(seq) FROM journal WHERE kind = 'day_close'))";

	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		*open = strcmp((const char *)sqlite3_column_text(stmt, 0),
		    "day_open") == 0;
		snprintf(date, 11, "%s",
		    (const char *)sqlite3_column_text(stmt, 1));
	} else if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqldb_release(stmt);
	return rc;
}

int
journal_session(struct store *st, struct journal_session *out, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	memset(out, 0, sizeof *out);
	/* Probes of the (kind, seq) and (business_date, kind) indexes only. */
	static const char sql[] = "SELECT o.business_date, o.seq,"
	    " (SELECT count(*) FROM journal p WHERE p.business_date ="
	    "  o.business_date AND p.kind = 'day_open' AND p.seq <= o.seq),"
	    " coalesce((SELECT min(c.seq) FROM journal c WHERE"
	    "  c.kind = 'day_close' AND c.seq > o.seq), 0)"
	    " FROM journal o WHERE o.seq = (SELECT max(seq) FROM journal"
	    "  WHERE kind = 'day_open')";

	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		snprintf(out->date, sizeof out->date, "%s",
		    (const char *)sqlite3_column_text(stmt, 0));
		out->open_seq = sqlite3_column_int64(stmt, 1);
		out->session = sqlite3_column_int64(stmt, 2);
		out->close_seq = sqlite3_column_int64(stmt, 3);
		out->open = out->close_seq == 0;
	} else if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqldb_release(stmt);
	return rc;
}

int
journal_session_of(struct store *st, const char *date, int64_t n,
    struct journal_session *out, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	memset(out, 0, sizeof *out);
	static const char sql[] = "SELECT session, open_seq,"
	    " coalesce(close_seq, 0) FROM day_sessions"
	    " WHERE business_date = ?1 AND (?2 = 0 OR session = ?2)"
	    " ORDER BY session DESC LIMIT 1";

	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, date);
	sqlite3_bind_int64(stmt, 2, n);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		snprintf(out->date, sizeof out->date, "%s", date);
		out->session = sqlite3_column_int64(stmt, 0);
		out->open_seq = sqlite3_column_int64(stmt, 1);
		out->close_seq = sqlite3_column_int64(stmt, 2);
		out->open = out->close_seq == 0;
	} else if (r == SQLITE_DONE)
		rc = n == 0 ? cause_set(cause, POS_INPUT, "no business day %s",
		    date) : cause_set(cause, POS_INPUT, "day %s has no "
		    "session %lld", date, (long long)n);
	else
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqldb_release(stmt);
	return rc;
}

int
journal_last_sale(struct store *st, int64_t *seq, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	*seq = 0;
	static const char sql[] = "SELECT max(seq) FROM journal"
	    " WHERE kind = 'sale'";

	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW)
		*seq = sqlite3_column_int64(stmt, 0);
	else
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqldb_release(stmt);
	return rc;
}

int
journal_need_open_day(struct store *st, char date[11], char **cause)
{
	bool open;
	int rc;

	if ((rc = journal_day(st, date, &open, cause)) != POS_OK)
		return rc;
	if (!open)
		return cause_set(cause, POS_DENIED, date[0] == '\0' ?
		    "no day is open: open one with 'pos day open'" :
		    "no day is open (%s was closed): open one with "
		    "'pos day open'", date);
	return POS_OK;
}

struct verify_run {
	struct journal_check	*out;
	const struct store	*st;
	char			 prev[LEDGER_HASH_HEX];
	int64_t			 expect;
};

static int
verify_one(void *arg, const struct ledger_entry *e)
{
	struct verify_run *v = arg;
	struct journal_check *out = v->out;

	out->entries++;
	if (e->seq != v->expect)
		out->error = xasprintf("seq %lld follows %lld: a gap",
		    (long long)e->seq, (long long)v->expect - 1);
	else if (strcmp(e->prev_hash, v->prev) != 0)
		out->error = xstrdup("prev_hash does not match the previous "
		    "entry's hash");
	else if (!ledger_check(e))
		out->error = xstrdup("hash does not match the entry's "
		    "contents");
	else if (v->st->currency != NULL && (strcmp(e->currency,
	    v->st->currency) != 0 || e->decimals != v->st->decimals))
		out->error = xasprintf("written in %s with %lld decimals, but "
		    "the store keeps %s with %d", e->currency,
		    (long long)e->decimals,
		    v->st->currency, v->st->decimals);
	if (out->error != NULL) {
		out->ok = false;
		out->bad_seq = e->seq;
		return JOURNAL_STOP;
	}
	memcpy(v->prev, e->hash, sizeof v->prev);
	v->expect++;
	return POS_OK;
}

int
journal_verify(struct store *st, struct journal_check *out, char **cause)
{
	struct verify_run v;
	int rc;

	memset(out, 0, sizeof *out);
	v.out = out;
	v.st = st;
	v.expect = 1;
	memcpy(v.prev, ledger_genesis, sizeof v.prev);
	if ((rc = store_need_identity(st, cause)) != POS_OK)
		return rc;
	if ((rc = sqldb_begin(st->db, false, cause)) != POS_OK)
		return rc;
	out->ok = true;
	rc = journal_each(st, 1, -1, verify_one, &v, cause);
	if (rc == POS_OK)
		memcpy(out->head, v.prev, sizeof out->head);
	else
		out->ok = false;
	sqldb_rollback(st->db);
	return rc;
}

/* The seq of the entry with this uuid; 0 when the journal has none. */
static int
journal_seq_of(struct store *st, const char *uuid, int64_t *seq,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK, r;

	*seq = 0;
	if ((stmt = sqldb_cached(st->db, "SELECT seq FROM journal WHERE"
	    " uuid = ?", cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, uuid);
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW)
		*seq = sqlite3_column_int64(stmt, 0);
	else if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqldb_release(stmt);
	return rc;
}

int
journal_adopt(struct store *st, const struct ledger_entry *e, char **cause)
{
	char head[LEDGER_HASH_HEX];
	int64_t last = 0, ref_seq = 0;
	int rc;

	if ((rc = store_need_identity(st, cause)) != POS_OK)
		return rc;
	if (e->branch == NULL || strcmp(e->branch, st->branch) != 0 ||
	    e->terminal != st->terminal)
		return cause_set(cause, POS_INPUT, "seq %lld is of %s terminal "
		    "%lld, not of this store (%s terminal %lld)",
		    (long long)e->seq, e->branch != NULL ? e->branch : "?",
		    (long long)e->terminal, st->branch,
		    (long long)st->terminal);
	if (st->currency != NULL && (strcmp(e->currency, st->currency) != 0 ||
	    e->decimals != st->decimals))
		return cause_set(cause, POS_INPUT, "seq %lld is in %s with %lld "
		    "decimals, this store in %s with %d", (long long)e->seq,
		    e->currency, (long long)e->decimals, st->currency,
		    st->decimals);
	if ((rc = journal_head(st, &last, head, cause)) != POS_OK)
		return rc;
	if (e->seq != last + 1)
		return cause_set(cause, POS_INPUT, "seq %lld does not follow "
		    "seq %lld", (long long)e->seq, (long long)last);
	if (strcmp(e->prev_hash, head) != 0)
		return cause_set(cause, POS_INPUT, "seq %lld: prev_hash does "
		    "not match the hash of seq %lld", (long long)e->seq,
		    (long long)last);
	if (!ledger_check(e))
		return cause_set(cause, POS_INPUT, "seq %lld: hash does not "
		    "match the entry (altered or forged)", (long long)e->seq);
	if (e->ref_uuid != NULL && (rc = journal_seq_of(st, e->ref_uuid,
	    &ref_seq, cause)) != POS_OK)
		return rc;
	journal_sql();
	if ((rc = journal_insert_entry(st, e, ref_seq, cause)) != POS_OK ||
	    (rc = journal_insert_parts(st, jsql.line_insert, e->seq,
	    &ledger_line_table, e->lines, sizeof *e->lines, e->nlines,
	    cause)) != POS_OK)
		return rc;
	return journal_insert_parts(st, jsql.pay_insert, e->seq,
	    &ledger_payment_table, e->payments, sizeof *e->payments,
	    e->npayments, cause);
}
