/*
 * The print queue. Jobs are claimed and recorded in short transactions;
 * rendering and talking to CUPS happen outside any transaction, so a slow
 * printer never holds the store's write lock.
 *
 * A claimed job is 'sent' with no CUPS job id until the submit returns; a
 * claim older than PRINTQ_STALE seconds (the program died mid-submit) goes
 * back to pending. A sent job is followed by its CUPS job id and checked
 * against the job-uuid (else the time-at-creation) CUPS gave it, on every
 * look. It is resubmitted by itself only when CUPS has lost it: the id is
 * unknown, or names another job. A job CUPS reports canceled or aborted,
 * or one that cannot be told apart from a later job with its id (no
 * identity recorded), becomes 'failed' and waits for
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
#include "cupsprobe.h"
#include "plain.h"
#include "printmod.h"
#include "report.h"
#include "slip.h"
#include "xalloc.h"

#define PRINTQ_STALE	120

/* The jobs a run may try: pending ones, and failed ones set to be tried
 * again (a CUPS job lost by cupsd). */
#define PRINTQ_DUE_STATE	"(state = 'pending' OR (state = 'failed'" \
	" AND next_try IS NOT NULL))"

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

	if (strcmp(k, "day_close") == 0) {
		struct journal_session s;
		char arg[32];
		int rc;

		/* The session it closes: the last of its date. */
		if ((rc = journal_session_of(st, e->business_date, 0, &s,
		    cause)) != POS_OK)
			return rc;
		snprintf(arg, sizeof arg, "%s#%lld", e->business_date,
		    (long long)s.session);
		return printq_enqueue(st, "report_z", e->seq, arg, NULL, cause);
	}
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
		/* "DATE" is the whole date, "DATE#N" its session N. */
		long long n = 0;
		char date[11];

		if (arg == NULL || sscanf(arg, "%10[0-9-]#%lld", date, &n) < 1)
			return cause_set(cause, POS_INPUT, "bad report job "
			    "\"%s\"", arg != NULL ? arg : "");
		rc = n > 0 ? report_session(st, date, n, &r, cause) :
		    report_day(st, date, &r, cause);
		if (rc != POS_OK)
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
	if (strcmp(format, "text") == 0) {
		plain_text(d, st->cfg->printer.paper, out, len);
		doc_free(d);
		return POS_OK;
	}
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

/* How one job ended a try or a look at CUPS. */
struct printq_out {
	const char		*state;
	const char		*error;
	const char		*dest;		/* NULL: unchanged */
	int64_t			 cups_job;	/* 0: none */
	long			 backoff;	/* > 0: next try in seconds */
	const struct print_job	*who;		/* set the job-uuid from it */
	const char		*word;		/* the scheduler's last word
						 * (cups_state); NULL: keep */
	const struct print_job	*said;		/* its reasons and message */
	int64_t			 attempts;	/* > 0: tries made (a job
						 * printed unclaimed) */
	bool			 rewritable;	/* done as a synced text
						 * file: see printq_record */
};

/* Seconds to wait before try number attempts + 1. */
static long
printq_backoff(int64_t attempts)
{
	long b = attempts >= 9 ? PRINTQ_MAX_BACKOFF : 1L << attempts;

	return b > PRINTQ_MAX_BACKOFF ? PRINTQ_MAX_BACKOFF : b;
}

static void
printq_bind_opt(sqlite3_stmt *stmt, int idx, const char *text)
{
	sqldb_bind_text(stmt, idx, text != NULL && *text != '\0' ? text : NULL);
}

static int
printq_record_tx(struct store *st, int64_t id, const struct printq_out *o,
    char **cause)
{
	static const char sql[] = "UPDATE print_jobs SET state = ?2,"
	    " last_error = ?3, dest = coalesce(?4, dest), cups_job = ?5,"
	    " next_try = ?6, updated_at = ?7,"
	    " cups_uuid = iif(?8, ?9, cups_uuid),"
	    " cups_created = iif(?8, ?10, cups_created),"
	    " cups_state = iif(?11 IS NULL, cups_state, ?11),"
	    " cups_reasons = iif(?11 IS NULL, cups_reasons, ?12),"
	    " cups_message = iif(?11 IS NULL, cups_message, ?13),"
	    " cups_seen = iif(?11 IS NULL, cups_seen, ?7),"
	    " attempts = max(attempts, ?14) WHERE id = ?1";
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
	printq_time(o->backoff, next);
	sqlite3_bind_int64(stmt, 1, id);
	sqldb_bind_text(stmt, 2, o->state);
	sqldb_bind_text(stmt, 3, o->error);
	sqldb_bind_text(stmt, 4, o->dest);
	if (o->cups_job > 0)
		sqlite3_bind_int64(stmt, 5, o->cups_job);
	sqldb_bind_text(stmt, 6, o->backoff > 0 ? next : NULL);
	sqldb_bind_text(stmt, 7, now);
	sqlite3_bind_int(stmt, 8, o->who != NULL);
	if (o->who != NULL) {
		printq_bind_opt(stmt, 9, o->who->uuid);
		if (o->who->created > 0)
			sqlite3_bind_int64(stmt, 10, o->who->created);
	}
	sqldb_bind_text(stmt, 11, o->word);
	if (o->word != NULL && o->said != NULL) {
		printq_bind_opt(stmt, 12, o->said->reasons);
		printq_bind_opt(stmt, 13, o->said->message);
	}
	sqlite3_bind_int64(stmt, 14, o->attempts);
	rc = sqlite3_step(stmt) == SQLITE_DONE ? POS_OK :
	    sqldb_sqlerr(st->db, "cannot record the print job", cause);
	sqldb_release(stmt);
	if (rc != POS_OK) {
		sqldb_rollback(st->db);
		return rc;
	}
	return sqldb_commit(st->db, cause);
}

/* Record the outcome of one job in its own short transaction. */
static int
printq_record(struct store *st, int64_t id, const struct printq_out *o,
    char **cause)
{
	int rc;

	/*
	 * A text slip written (and synced) is the same file if written
	 * again: its "done" need not wait for the disk. A power cut that
	 * loses it only writes the file once more. The level is set outside
	 * the transaction: SQLite reads it when one begins.
	 */
	if (o->rewritable)
		sqlite3_exec(st->db->conn, "PRAGMA synchronous = NORMAL", NULL,
		    NULL, NULL);
	rc = printq_record_tx(st, id, o, cause);
	if (o->rewritable)
		sqlite3_exec(st->db->conn, "PRAGMA synchronous = FULL", NULL,
		    NULL, NULL);
	return rc;
}

/*
 * Claim a job due for a try (pending, or failed because CUPS lost it) for
 * this process; *got false if another took it. The claim clears what
 * CUPS said of an earlier try.
 */
static int
printq_claim(struct store *st, int64_t id, bool *got, char **cause)
{
	static const char sql[] = "UPDATE print_jobs SET state = 'sent',"
	    " attempts = attempts + 1, cups_job = NULL, cups_uuid = NULL,"
	    " cups_created = NULL, cups_state = NULL, cups_reasons = NULL,"
	    " cups_message = NULL, cups_seen = NULL, updated_at = ?2"
	    " WHERE id = ?1 AND " PRINTQ_DUE_STATE;
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

/* Record a job that could not be tried: pending again, or failed. */
static int
printq_retry_later(struct store *st, int64_t id, const char *state,
    const char *why, const char *dest, long backoff, char **cause)
{
	struct printq_out o = { .state = state, .error = why, .dest = dest,
	    .backoff = strcmp(state, "pending") == 0 ? backoff : 0 };

	return printq_record(st, id, &o, cause);
}

/*
 * The slip as a text file beside the store: there is no printer. The text
 * renderer is linked in (plain.h): no print module for this.
 */
static int
printq_to_file(struct store *st, int64_t id, const struct doc *d,
    const char *title, int64_t attempts, char **cause)
{
	struct printq_out o = { .state = "done", .attempts = attempts };
	unsigned char *data = NULL;
	char *why = NULL, *dir = NULL, *name = NULL, *path = NULL;
	size_t len;
	int rc;

	plain_text(d, st->cfg->printer.paper, &data, &len);
	dir = printq_file_dir(st);
	name = xasprintf("%s.txt", title);
	if (printq_write_file(dir, name, data, len, &path, &why) == POS_OK) {
		o.dest = path;
		o.rewritable = true;
		rc = printq_record(st, id, &o, cause);
		goto out;
	}
	o.state = "pending";
	o.error = why;
	o.backoff = printq_backoff(attempts);
	rc = printq_record(st, id, &o, cause);
out:
	free(data);
	free(why);
	free(dir);
	free(name);
	free(path);
	return rc;
}

/*
 * Print one claimed job: to CUPS, or to a file when there is no printer
 * (nocups: none is named and there is no CUPS to ask).
 */
static int
printq_one(struct store *st, int64_t id, const char *what, int64_t seq,
    const char *arg, int64_t attempts, bool nocups, char **cause)
{
	const struct config *cfg = st->cfg;
	const struct printmod *m;
	const char *dest = *cfg->printer.name != '\0' ? cfg->printer.name :
	    NULL;
	const char *shown = dest != NULL ? dest : "(default)";
	unsigned char *data = NULL;
	char *why = NULL, *title = NULL;
	struct doc *d = NULL;
	struct print_job pj;
	size_t len;
	long backoff = printq_backoff(attempts);
	int job = 0, rc;

	if ((rc = printq_doc(st, what, seq, arg, &d, &why)) != POS_OK) {
		rc = printq_retry_later(st, id, "failed", why, NULL, 0, cause);
		goto out;
	}
	title = printq_title(st, what, seq, id, arg);
	/* No printer named and no CUPS at all: text, without the module. */
	if (nocups) {
		rc = printq_to_file(st, id, d, title, attempts, cause);
		goto out;
	}
	if ((m = printq_module(&why)) == NULL) {
		rc = printq_retry_later(st, id, "pending", why, NULL, backoff,
		    cause);
		goto out;
	}
	if (dest == NULL && !m->has_dest(NULL, NULL)) {
		rc = printq_to_file(st, id, d, title, attempts, cause);
		goto out;
	}
	if (m->render(d, cfg->printer.format, cfg->printer.paper, &data, &len,
	    &why) != POS_OK) {
		rc = printq_retry_later(st, id, "failed", why, NULL, 0, cause);
		goto out;
	}
	for (int c = 0; c < cfg->printer.copies; c++) {
		free(why);
		why = NULL;
		job = m->submit(dest, m->mime(cfg->printer.format), title, data,
		    len, &pj, &why);
		if (job <= 0)
			break;
	}
	if (job <= 0)
		rc = printq_retry_later(st, id, attempts >= PRINTQ_MAX_ATTEMPTS ?
		    "failed" : "pending", why, shown, backoff, cause);
	else {
		struct printq_out o = { .state = "sent", .dest = shown,
		    .cups_job = job, .who = &pj,
		    .word = print_state_name(pj.state), .said = &pj };

		rc = printq_record(st, id, &o, cause);
	}
out:
	if (d != NULL)
		doc_free(d);
	free(data);
	free(why);
	free(title);
	return rc;
}

/* A sent job, as printq_follow reads it. */
struct printq_sent {
	int64_t	 id;
	int64_t	 cups_job;	/* 0: being submitted, or a stale claim */
	int64_t	 attempts;
	int64_t	 created;	/* time-at-creation; 0 if not recorded */
	char	*uuid;		/* NULL if not recorded */
};

/*
 * Whether what CUPS says of job->cups_job is about this slip's job: 1 yes,
 * 0 no (the id names another job), -1 cannot tell (nothing recorded).
 */
static int
printq_same_job(const struct printq_sent *job, const struct print_job *pj)
{
	if (job->uuid != NULL)
		return strcmp(job->uuid, pj->uuid) == 0;
	if (job->created > 0)
		return pj->created == job->created;
	return -1;
}

/*
 * Look at one sent job in CUPS and record what CUPS says of it; *asked
 * false if CUPS could not be asked (then the job is left as it was).
 */
static int
printq_look(struct store *st, const struct printmod *m,
    const struct printq_sent *job, bool *asked, char **cause)
{
	struct printq_out o = { .state = "sent", .cups_job = job->cups_job };
	struct print_job pj, other;
	char *why = NULL, *msg = NULL;
	int r, same = 1, rc;

	r = m->job_info((int)job->cups_job, &pj, &why);
	free(why);
	if ((*asked = r >= 0) == false)
		return POS_OK;
	o.said = &pj;
	o.word = print_state_name(pj.state);
	if (r == 0) {
		o.word = "not-found";
		msg = xasprintf("CUPS lost job %lld (%s); it is tried again",
		    (long long)job->cups_job, pj.message);
	} else if ((same = printq_same_job(job, &pj)) == 0) {
		memset(&other, 0, sizeof other);
		snprintf(other.message, sizeof other.message, "job %lld is now "
		    "%s (%s)", (long long)job->cups_job, pj.uuid[0] != '\0' ?
		    pj.uuid : "another job", print_state_name(pj.state));
		o.word = "other-job";
		o.said = &other;
		msg = xasprintf("CUPS job %lld is another document now (cupsd "
		    "restarted and numbered jobs again); it is tried again",
		    (long long)job->cups_job);
	} else if (same < 0) {
		o.state = "failed";
		o.error = msg = xasprintf("cannot tell CUPS job %lld from a "
		    "later job with its number (no job-uuid recorded); "
		    "'pos print-queue --retry' prints it again",
		    (long long)job->cups_job);
	} else if (pj.state == PRINT_COMPLETED)
		o.state = "done";
	else if (pj.state == PRINT_CANCELED || pj.state == PRINT_ABORTED) {
		o.state = "failed";
		o.error = msg = xasprintf("CUPS job %lld was %s",
		    (long long)job->cups_job, print_state_name(pj.state));
	}
	if (r == 0 || same == 0) {
		/* Lost by CUPS, so never printed by it: try again. */
		o.state = "failed";
		o.error = msg;
		o.backoff = job->attempts >= PRINTQ_MAX_ATTEMPTS ? 0 :
		    printq_backoff(job->attempts);
	}
	rc = printq_record(st, job->id, &o, cause);
	free(msg);
	return rc;
}

/* Follow sent jobs in CUPS; free stale claims. */
static int
printq_follow(struct store *st, char **cause)
{
	sqlite3_stmt *stmt;
	const struct printmod *m = NULL;
	struct printq_sent *jobs = NULL;
	size_t n = 0, cap = 0;
	char stale[21], *why = NULL;
	bool asked = true;
	int r, rc = POS_OK;

	printq_time(-PRINTQ_STALE, stale);
	stmt = sqldb_prepare(st->db, "SELECT id, cups_job, updated_at,"
	    " attempts, cups_created, cups_uuid FROM print_jobs"
	    " WHERE state = 'sent'", cause);
	if (stmt == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (sqlite3_column_type(stmt, 1) == SQLITE_NULL &&
		    strcmp((const char *)sqlite3_column_text(stmt, 2), stale) >=
		    0)
			continue;	/* being submitted right now */
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			jobs = xreallocarray(jobs, cap, sizeof *jobs);
		}
		jobs[n].id = sqlite3_column_int64(stmt, 0);
		jobs[n].cups_job = sqlite3_column_int64(stmt, 1);
		jobs[n].attempts = sqlite3_column_int64(stmt, 3);
		jobs[n].created = sqlite3_column_int64(stmt, 4);
		jobs[n++].uuid = sqldb_column_dup(stmt, 5);
	}
	sqlite3_finalize(stmt);
	/* A CUPS that does not answer is not asked again in this run: each
	 * question may cost PRINT_TIMEOUT_MS. */
	for (size_t i = 0; i < n && rc == POS_OK; i++) {
		if (jobs[i].cups_job == 0) {
			struct printq_out o = { .state = "pending", .error =
			    "the program stopped while submitting" };

			rc = printq_record(st, jobs[i].id, &o, cause);
			continue;
		}
		if (!asked)
			continue;
		if (m == NULL && (m = printq_module(&why)) == NULL) {
			asked = false;
			continue;
		}
		rc = printq_look(st, m, &jobs[i], &asked, cause);
	}
	free(why);
	for (size_t i = 0; i < n; i++)
		free(jobs[i].uuid);
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
	bool got, nocups = false;
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
	    " print_jobs WHERE " PRINTQ_DUE_STATE " AND (?1 OR next_try IS NULL"
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
	if (n > 0)
		nocups = *st->cfg->printer.name == '\0' && cupsprobe_absent();
	for (size_t i = 0; i < n && rc == POS_OK; i++) {
		/*
		 * A text slip is the same file whoever writes it, by an atomic
		 * rename: two programs writing it need no claim between them.
		 */
		if (!nocups && ((rc = printq_claim(st, todo[i].id, &got,
		    cause)) != POS_OK || !got))
			continue;
		rc = printq_one(st, todo[i].id, todo[i].what, todo[i].seq,
		    todo[i].arg, todo[i].attempts + 1, nocups, cause);
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
    " coalesce(p.cups_job, 0), p.next_try, p.cups_uuid, p.cups_state,"
    " p.cups_reasons, p.cups_message, p.cups_seen FROM print_jobs p"
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
	j->cups_uuid = sqldb_column_dup(stmt, 10);
	j->cups_state = sqldb_column_dup(stmt, 11);
	j->cups_reasons = sqldb_column_dup(stmt, 12);
	j->cups_message = sqldb_column_dup(stmt, 13);
	j->cups_seen = sqldb_column_dup(stmt, 14);
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
	free(j->cups_uuid);
	free(j->cups_state);
	free(j->cups_reasons);
	free(j->cups_message);
	free(j->cups_seen);
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
