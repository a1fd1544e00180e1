/*
 * The print queue. Jobs are claimed and recorded in short transactions;
 * rendering and talking to CUPS happen outside any transaction, so a slow
 * printer never holds the store's write lock.
 *
 * A claimed job is 'sent' with no CUPS job id until the submit returns; a
 * claim older than PRINTQ_STALE seconds (the program died mid-submit) goes
 * back to pending. Sent jobs are never resubmitted by themselves: a job
 * CUPS reports canceled or aborted becomes 'failed' and waits for
 * `pos print-queue --retry`, so nothing prints twice unless asked to.
 */
#include "printq.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "module.h"
#include "printmod.h"
#include "report.h"
#include "slip.h"
#include "xalloc.h"

#define PRINTQ_STALE	120

static const struct printmod *printq_mod;

/* Load the print module once; NULL with *cause if it cannot be had. */
static const struct printmod *
printq_module(char **cause)
{
	void *h;
	printmod_get_fn get;

	if (printq_mod != NULL)
		return printq_mod;
	if ((h = module_open(PRINTMOD_SONAME, "receipts", "POS_PRINT_MODULE",
	    "printing", cause)) == NULL)
		return NULL;
	*(void **)&get = dlsym(h, PRINTMOD_SYMBOL);
	if (get == NULL || get() == NULL || get()->abi != PRINTMOD_ABI) {
		cause_set(cause, POS_FAIL, "printing is not available: %s "
		    "is not this version's print module", PRINTMOD_SONAME);
		dlclose(h);
		return NULL;
	}
	printq_mod = get();
	return printq_mod;
}

/* UTC time now plus offset seconds, "YYYY-MM-DDTHH:MM:SSZ". */
static void
printq_time(long offset, char buf[21])
{
	time_t t = time(NULL) + offset;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The slip an entry prints by itself: receipts, corrections, payouts, the Z. */
static int
printq_entry_slip(struct store *st, const struct ledger_entry *e,
    char **cause)
{
	const char *k = e->kind;

	if (strcmp(k, "day_close") == 0)
		return printq_enqueue(st, "report_z", e->seq, e->business_date,
		    NULL, cause);
	if (strcmp(k, "sale") == 0 || strcmp(k, "void") == 0 ||
	    strcmp(k, "refund") == 0 || strcmp(k, "payout") == 0)
		return printq_enqueue(st, "receipt", e->seq, NULL, NULL, cause);
	return POS_OK;
}

void
printq_autoprint(struct store *st, bool on)
{
	st->autoprint = on;
	st->after_append = printq_entry_slip;
}

int
printq_enqueue(struct store *st, const char *what, int64_t seq,
    const char *arg, int64_t *id, char **cause)
{
	static const char sql[] = "INSERT INTO print_jobs (seq, what, arg,"
	    " state, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?)";
	sqlite3_stmt *stmt;
	char now[21];
	int rc = POS_OK;

	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	printq_time(0, now);
	if (seq > 0)
		sqlite3_bind_int64(stmt, 1, seq);
	sqldb_bind_text(stmt, 2, what);
	sqldb_bind_text(stmt, 3, arg);
	sqldb_bind_text(stmt, 4, now);
	sqldb_bind_text(stmt, 5, now);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot queue the slip", cause);
	else if (id != NULL)
		*id = sqlite3_last_insert_rowid(st->db->conn);
	sqldb_release(stmt);
	return rc;
}

/* Build the document a job prints. */
static int
printq_doc(struct store *st, const char *what, int64_t seq, const char *arg,
    struct doc **out, char **cause)
{
	struct ledger_entry e;
	struct report_day r;
	char code[64], from[16], to[16];
	int rc;

	*out = NULL;
	if (strcmp(what, "receipt") == 0 || strcmp(what, "copy") == 0) {
		if ((rc = journal_load(st, seq, &e, cause)) != POS_OK)
			return rc;
		*out = slip_entry(st, &e, strcmp(what, "copy") == 0);
		ledger_entry_free(&e);
		return POS_OK;
	}
	if (strcmp(what, "report_x") == 0 || strcmp(what, "report_z") == 0) {
		if ((rc = report_day(st, arg, &r, cause)) != POS_OK)
			return rc;
		*out = slip_day(st, &r);
		return POS_OK;
	}
	if (strcmp(what, "statement") == 0) {
		if (arg == NULL || sscanf(arg, "%63s %15s %15s", code, from,
		    to) != 3)
			return cause_set(cause, POS_INPUT, "bad statement "
			    "job \"%s\"", arg != NULL ? arg : "");
		return slip_statement(st, code, from, to, out, cause);
	}
	return cause_set(cause, POS_INPUT, "unknown print job kind %s", what);
}

int
printq_render(struct store *st, const char *what, int64_t seq,
    const char *arg, const char *format, unsigned char **out, size_t *len,
    char **cause)
{
	const struct printmod *m;
	struct doc *d;
	char *why = NULL;
	int rc;

	if ((rc = printq_doc(st, what, seq, arg, &d, cause)) != POS_OK)
		return rc;
	if ((m = printq_module(cause)) == NULL) {
		doc_free(d);
		return POS_FAIL;
	}
	if (m->render(d, format, st->cfg->printer.paper, out, len,
	    &why) != POS_OK) {
		rc = cause_set(cause, POS_FAIL, "cannot render: %s",
		    why != NULL ? why : "unknown error");
		free(why);
	}
	doc_free(d);
	return rc;
}

/* Write data to path atomically: temp file, fsync, rename, fsync dir. */
static int
printq_write_file(const char *dir, const char *name, const void *data,
    size_t len, char **path_out, char **cause)
{
	char *tmp = xasprintf("%s/.%s.tmp", dir, name);
	char *path = xasprintf("%s/%s", dir, name);
	int fd = -1, dfd = -1, rc = POS_FAIL;
	const char *p = data;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		cause_set(cause, POS_FAIL, "cannot create %s: %s", dir,
		    strerror(errno));
		goto out;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) ==
	    -1) {
		cause_set(cause, POS_FAIL, "cannot write %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cause_set(cause, POS_FAIL, "cannot write %s: %s", tmp,
			    strerror(errno));
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		cause_set(cause, POS_FAIL, "cannot write %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		cause_set(cause, POS_FAIL, "cannot rename %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1)
		fsync(dfd);
	*path_out = path;
	path = NULL;
	rc = POS_OK;
out:
	if (fd != -1) {
		close(fd);
		unlink(tmp);
	}
	if (dfd != -1)
		close(dfd);
	free(tmp);
	free(path);
	return rc;
}

/* The directory slips go to when there is no printer: beside the store. */
static char *
printq_file_dir(struct store *st)
{
	const char *slash = strrchr(st->db->path, '/');

	if (slash == NULL)
		return xstrdup("receipts");
	return xasprintf("%.*s/receipts", (int)(slash - st->db->path),
	    st->db->path);
}

/* Record the outcome of one job in its own short transaction. */
static int
printq_record(struct store *st, int64_t id, const char *state,
    const char *error, const char *dest, int64_t cups_job, long backoff,
    char **cause)
{
	static const char sql[] = "UPDATE print_jobs SET state = ?2,"
	    " last_error = ?3, dest = coalesce(?4, dest), cups_job = ?5,"
	    " next_try = ?6, updated_at = ?7 WHERE id = ?1";
	sqlite3_stmt *stmt;
	char now[21], next[21];
	int rc;

	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL) {
		sqldb_rollback(st->db);
		return POS_FAIL;
	}
	printq_time(0, now);
	printq_time(backoff, next);
	sqlite3_bind_int64(stmt, 1, id);
	sqldb_bind_text(stmt, 2, state);
	sqldb_bind_text(stmt, 3, error);
	sqldb_bind_text(stmt, 4, dest);
	if (cups_job > 0)
		sqlite3_bind_int64(stmt, 5, cups_job);
	sqldb_bind_text(stmt, 6, backoff > 0 ? next : NULL);
	sqldb_bind_text(stmt, 7, now);
	rc = sqlite3_step(stmt) == SQLITE_DONE ? POS_OK :
	    sqldb_sqlerr(st->db, "cannot record the print job", cause);
	sqldb_release(stmt);
	if (rc == POS_OK)
		return sqldb_commit(st->db, cause);
	sqldb_rollback(st->db);
	return rc;
}

/* Claim a pending job for this process; *got false if another took it. */
static int
printq_claim(struct store *st, int64_t id, bool *got, char **cause)
{
	static const char sql[] = "UPDATE print_jobs SET state = 'sent',"
	    " attempts = attempts + 1, cups_job = NULL, updated_at = ?2"
	    " WHERE id = ?1 AND state = 'pending'";
	sqlite3_stmt *stmt;
	char now[21];
	int rc;

	*got = false;
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL) {
		sqldb_rollback(st->db);
		return POS_FAIL;
	}
	printq_time(0, now);
	sqlite3_bind_int64(stmt, 1, id);
	sqldb_bind_text(stmt, 2, now);
	rc = sqlite3_step(stmt) == SQLITE_DONE ? POS_OK :
	    sqldb_sqlerr(st->db, "cannot claim the print job", cause);
	*got = rc == POS_OK && sqlite3_changes(st->db->conn) == 1;
	sqldb_release(stmt);
	if (rc == POS_OK)
		return sqldb_commit(st->db, cause);
	sqldb_rollback(st->db);
	return rc;
}

/* The name a slip file or CUPS job gets. */
static char *
printq_title(struct store *st, const char *what, int64_t seq, int64_t id,
    const char *arg)
{
	struct ledger_entry e;
	char *t;

	if (seq > 0 && journal_load(st, seq, &e, NULL) == POS_OK) {
		t = xasprintf("%s%s", e.receipt, strcmp(what, "copy") == 0 ?
		    "-copy" : "");
		ledger_entry_free(&e);
		if (strcmp(what, "report_z") != 0)
			return t;
		free(t);
	}
	return xasprintf("%s-%s-%lld", what, arg != NULL ? arg : "",
	    (long long)id);
}

/* Print one claimed job: to CUPS, or to a file when there is no printer. */
static int
printq_one(struct store *st, int64_t id, const char *what, int64_t seq,
    const char *arg, int64_t attempts, char **cause)
{
	const struct config *cfg = st->cfg;
	const struct printmod *m;
	const char *dest = *cfg->printer.name != '\0' ? cfg->printer.name :
	    NULL;
	unsigned char *data = NULL;
	char *why = NULL, *title = NULL, *dir = NULL, *path = NULL, *name;
	struct doc *d = NULL;
	size_t len;
	long backoff;
	int job = 0, rc;

	backoff = attempts >= 9 ? PRINTQ_MAX_BACKOFF : 1L << attempts;
	if (backoff > PRINTQ_MAX_BACKOFF)
		backoff = PRINTQ_MAX_BACKOFF;
	if ((rc = printq_doc(st, what, seq, arg, &d, &why)) != POS_OK) {
		rc = printq_record(st, id, "failed", why, NULL, 0, 0, cause);
		goto out;
	}
	if ((m = printq_module(&why)) == NULL) {
		rc = printq_record(st, id, "pending", why, NULL, 0, backoff,
		    cause);
		goto out;
	}
	title = printq_title(st, what, seq, id, arg);
	if (dest == NULL && !m->has_dest(NULL, NULL)) {
		/* No printer at all: the slip becomes a text file. */
		if (m->render(d, "text", cfg->printer.paper, &data, &len,
		    &why) != POS_OK || (dir = printq_file_dir(st),
		    name = xasprintf("%s.txt", title),
		    rc = printq_write_file(dir, name, data, len, &path, &why),
		    free(name), rc != POS_OK)) {
			rc = printq_record(st, id, "pending", why, NULL, 0,
			    backoff, cause);
			goto out;
		}
		rc = printq_record(st, id, "done", NULL, path, 0, 0, cause);
		goto out;
	}
	if (m->render(d, cfg->printer.format, cfg->printer.paper, &data, &len,
	    &why) != POS_OK) {
		rc = printq_record(st, id, "failed", why, NULL, 0, 0, cause);
		goto out;
	}
	for (int c = 0; c < cfg->printer.copies; c++) {
		free(why);
		why = NULL;
		job = m->submit(dest, m->mime(cfg->printer.format), title, data,
		    len, &why);
		if (job <= 0)
			break;
	}
	if (job <= 0)
		rc = printq_record(st, id, attempts >= PRINTQ_MAX_ATTEMPTS ?
		    "failed" : "pending", why, dest != NULL ? dest : "(default)",
		    0, backoff, cause);
	else
		rc = printq_record(st, id, "sent", NULL, dest != NULL ? dest :
		    "(default)", job, 0, cause);
out:
	if (d != NULL)
		doc_free(d);
	free(data);
	free(why);
	free(title);
	free(dir);
	free(path);
	return rc;
}

/* Follow sent jobs in CUPS; free stale claims. */
static int
printq_follow(struct store *st, char **cause)
{
	sqlite3_stmt *stmt;
	const struct printmod *m = NULL;
	int64_t *ids = NULL, *jobs = NULL;
	size_t n = 0, cap = 0;
	char stale[21], *why;
	int r, rc = POS_OK;

	printq_time(-PRINTQ_STALE, stale);
	stmt = sqldb_prepare(st->db, "SELECT id, cups_job, updated_at FROM"
	    " print_jobs WHERE state = 'sent'", cause);
	if (stmt == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (sqlite3_column_type(stmt, 1) == SQLITE_NULL &&
		    strcmp((const char *)sqlite3_column_text(stmt, 2), stale) >=
		    0)
			continue;	/* being submitted right now */
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			ids = xreallocarray(ids, cap, sizeof *ids);
			jobs = xreallocarray(jobs, cap, sizeof *jobs);
		}
		ids[n] = sqlite3_column_int64(stmt, 0);
		jobs[n++] = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	for (size_t i = 0; i < n && rc == POS_OK; i++) {
		int state;
		char *msg;

		if (jobs[i] == 0) {
			rc = printq_record(st, ids[i], "pending", "the program "
			    "stopped while submitting", NULL, 0, 0, cause);
			continue;
		}
		why = NULL;
		if (m == NULL && (m = printq_module(&why)) == NULL) {
			free(why);
			break;
		}
		state = m->job_state((int)jobs[i], &why);
		free(why);
		if (state == 9)
			rc = printq_record(st, ids[i], "done", NULL, NULL,
			    jobs[i], 0, cause);
		else if (state == 7 || state == 8) {
			msg = xasprintf("CUPS job %lld was %s", (long long)
			    jobs[i], state == 7 ? "canceled" : "aborted");
			rc = printq_record(st, ids[i], "failed", msg, NULL,
			    jobs[i], 0, cause);
			free(msg);
		}
	}
	free(ids);
	free(jobs);
	return rc;
}

int
printq_run(struct store *st, bool now_all, char **cause)
{
	sqlite3_stmt *stmt;
	struct todo { int64_t id, seq, attempts; char *what, *arg; } *todo = NULL;
	size_t n = 0, cap = 0;
	char now[21];
	bool got;
	int r, rc;

	if ((rc = printq_follow(st, cause)) != POS_OK)
		return rc;
	if (now_all) {
		/* --retry: failed jobs start again, nothing waits for its backoff. */
		stmt = sqldb_prepare(st->db,
		    "UPDATE print_jobs SET state = 'pending',"
		    " attempts = 0, next_try = NULL WHERE state = 'failed'",
		    cause);
		if (stmt == NULL)
			return POS_FAIL;
		r = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (r != SQLITE_DONE)
			return sqldb_sqlerr(st->db, "cannot retry", cause);
	}
	printq_time(0, now);
	stmt = sqldb_prepare(st->db, "SELECT id, seq, what, arg, attempts FROM"
	    " print_jobs WHERE state = 'pending' AND (?1 OR next_try IS NULL"
	    " OR next_try <= ?2) ORDER BY id", cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqlite3_bind_int(stmt, 1, now_all);
	sqldb_bind_text(stmt, 2, now);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			todo = xreallocarray(todo, cap, sizeof *todo);
		}
		todo[n].id = sqlite3_column_int64(stmt, 0);
		todo[n].seq = sqlite3_column_int64(stmt, 1);
		todo[n].what = sqldb_column_dup(stmt, 2);
		todo[n].arg = sqldb_column_dup(stmt, 3);
		todo[n++].attempts = sqlite3_column_int64(stmt, 4);
	}
	sqlite3_finalize(stmt);
	if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the print queue", cause);
	for (size_t i = 0; i < n && rc == POS_OK; i++) {
		if ((rc = printq_claim(st, todo[i].id, &got, cause)) != POS_OK ||
		    !got)
			continue;
		rc = printq_one(st, todo[i].id, todo[i].what, todo[i].seq,
		    todo[i].arg, todo[i].attempts + 1, cause);
	}
	for (size_t i = 0; i < n; i++) {
		free(todo[i].what);
		free(todo[i].arg);
	}
	free(todo);
	return rc;
}

static const char printq_cols[] = "SELECT p.id, coalesce(p.seq, 0), p.what,"
    " j.receipt, p.state, p.attempts, p.last_error, p.dest,"
    " coalesce(p.cups_job, 0), p.next_try FROM print_jobs p"
    " LEFT JOIN journal j ON j.seq = p.seq";

static void
printq_row(sqlite3_stmt *stmt, struct printq_job *j)
{
	j->id = sqlite3_column_int64(stmt, 0);
	j->seq = sqlite3_column_int64(stmt, 1);
	j->what = sqldb_column_dup(stmt, 2);
	j->receipt = sqldb_column_dup(stmt, 3);
	j->state = sqldb_column_dup(stmt, 4);
	j->attempts = sqlite3_column_int64(stmt, 5);
	j->last_error = sqldb_column_dup(stmt, 6);
	j->dest = sqldb_column_dup(stmt, 7);
	j->cups_job = sqlite3_column_int64(stmt, 8);
	j->next_try = sqldb_column_dup(stmt, 9);
}

void
printq_job_clear(struct printq_job *j)
{
	free(j->what);
	free(j->receipt);
	free(j->state);
	free(j->last_error);
	free(j->dest);
	free(j->next_try);
	memset(j, 0, sizeof *j);
}

void
printq_jobs_free(struct printq_job *j, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printq_job_clear(&j[i]);
	free(j);
}

int
printq_list(struct store *st, bool all, struct printq_job **out, size_t *n,
    char **cause)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;
	char *sql;
	int r;

	*out = NULL;
	*n = 0;
	sql = xasprintf("%s%s ORDER BY p.id DESC", printq_cols, all ? "" :
	    " WHERE p.state IN ('pending', 'sent', 'failed')");
	stmt = sqldb_prepare(st->db, sql, cause);
	free(sql);
	if (stmt == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		printq_row(stmt, &(*out)[(*n)++]);
	}
	sqlite3_finalize(stmt);
	if (r != SQLITE_DONE) {
		printq_jobs_free(*out, *n);
		*out = NULL;
		*n = 0;
		return sqldb_sqlerr(st->db, "cannot read the print queue",
		    cause);
	}
	return POS_OK;
}

static int
printq_get_where(struct store *st, const char *where, int64_t key,
    struct printq_job *out, char **cause)
{
	sqlite3_stmt *stmt;
	char *sql;
	int rc = POS_OK, r;

	memset(out, 0, sizeof *out);
	sql = xasprintf("%s WHERE %s ORDER BY p.id DESC LIMIT 1", printq_cols,
	    where);
	stmt = sqldb_prepare(st->db, sql, cause);
	free(sql);
	if (stmt == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, key);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW)
		printq_row(stmt, out);
	else
		rc = r == SQLITE_DONE ? cause_set(cause, POS_INPUT,
		    "no print job for %lld", (long long)key) :
		    sqldb_sqlerr(st->db, "cannot read the print queue", cause);
	sqlite3_finalize(stmt);
	return rc;
}

int
printq_get(struct store *st, int64_t id, struct printq_job *out,
    char **cause)
{
	return printq_get_where(st, "p.id = ?", id, out, cause);
}

int
printq_for_seq(struct store *st, int64_t seq, struct printq_job *out,
    char **cause)
{
	return printq_get_where(st, "p.seq = ?", seq, out, cause);
}

int
printq_printed(struct store *st, int64_t seq, bool *printed, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	stmt = sqldb_prepare(st->db, "SELECT EXISTS (SELECT 1 FROM print_jobs"
	    " WHERE seq = ? AND what IN ('receipt', 'copy')"
	    " AND state IN ('sent', 'done'))", cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, seq);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*printed = sqlite3_column_int(stmt, 0) != 0;
	else
		rc = sqldb_sqlerr(st->db, "cannot read the print queue", cause);
	sqlite3_finalize(stmt);
	return rc;
}
