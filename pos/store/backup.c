/*
 * Backup and restore of the window store (backup.h).
 *
 * A backup file is left in rollback-journal mode, one self-contained file
 * that can be read from a read-only stick; the store itself runs in WAL.
 */
#include "backup.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "xalloc.h"

void
backup_info_clear(struct backup_info *b)
{
	free(b->path);
	memset(b, 0, sizeof *b);
}

/* Remove a temporary copy and whatever SQLite left beside it. */
static void
backup_unlink(const char *path)
{
	char *side;

	unlink(path);
	side = xasprintf("%s-wal", path);
	unlink(side);
	free(side);
	side = xasprintf("%s-shm", path);
	unlink(side);
	free(side);
}

static char *
backup_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

static void
backup_sync_dir(const char *dir)
{
	int dfd;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(dfd);
		close(dfd);
	}
}

/* An empty file of our own (0600) for VACUUM INTO to fill. */
static int
backup_tmp(const char *final, char **tmp, char **cause)
{
	int fd, rc;

	*tmp = xasprintf("%s.tmp-%ld", final, (long)getpid());
	backup_unlink(*tmp);
	if ((fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1) {
		rc = cause_set(cause, errno == ENOENT ? POS_INPUT : POS_FAIL,
		    "cannot write %s: %s", *tmp, strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return rc;
	}
	close(fd);
	return POS_OK;
}

/* A consistent copy of the database behind conn into the empty file tmp. */
static int
backup_vacuum_into(sqlite3 *conn, const char *tmp, char **cause)
{
	sqlite3_stmt *stmt = NULL;
	int r, fd, rc = POS_OK;

	if (sqlite3_prepare_v2(conn, "VACUUM INTO ?1", -1, &stmt, NULL) !=
	    SQLITE_OK) {
		rc = cause_set(cause, POS_FAIL, "cannot copy the store: %s",
		    sqlite3_errmsg(conn));
		goto out;
	}
	sqlite3_bind_text(stmt, 1, tmp, -1, SQLITE_STATIC);
	if ((r = sqlite3_step(stmt)) != SQLITE_DONE) {
		rc = cause_set(cause, POS_FAIL, "cannot write %s: %s%s", tmp,
		    sqlite3_errmsg(conn), r == SQLITE_FULL ||
		    sqlite3_extended_errcode(conn) == SQLITE_FULL ?
		    " (the disk is full)" : "");
		goto out;
	}
	/* VACUUM INTO does not sync what it wrote. */
	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) == -1 || fsync(fd) != 0) {
		rc = cause_set(cause, POS_FAIL, "cannot write %s: %s", tmp,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		goto out;
	}
	close(fd);
out:
	sqlite3_finalize(stmt);
	return rc;
}

static int
backup_integrity(struct store *b, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	if ((stmt = sqldb_prepare(b->db, "PRAGMA integrity_check", cause)) ==
	    NULL)
		return POS_FAIL;
	if (sqlite3_step(stmt) != SQLITE_ROW)
		rc = sqldb_sqlerr(b->db, "cannot check the copy", cause);
	else if (strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") != 0)
		rc = cause_set(cause, POS_INPUT, "%s is damaged: %s",
		    b->db->path, sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Open the copy at path and check it whole: the file, its identity
 * (branch and terminal, when given), the hash chain. Leaves it a
 * rollback-journal file. *out (may be NULL) keeps it open for the caller.
 */
static int
backup_check(const char *path, const struct config *cfg, const char *branch,
    int64_t terminal, struct backup_info *info, struct store **out,
    char **cause)
{
	struct journal_check chk;
	struct store *b = NULL;
	int rc;

	memset(&chk, 0, sizeof chk);
	if ((rc = store_open(path, false, cfg, &b, cause)) != POS_OK ||
	    (rc = backup_integrity(b, cause)) != POS_OK ||
	    (rc = store_need_identity(b, cause)) != POS_OK)
		goto out;
	if (branch != NULL && (strcmp(branch, b->branch) != 0 ||
	    terminal != b->terminal)) {
		rc = cause_set(cause, POS_INPUT, "the backup is of branch %s "
		    "terminal %lld, the store is branch %s terminal %lld",
		    b->branch, (long long)b->terminal, branch,
		    (long long)terminal);
		goto out;
	}
	if ((rc = journal_verify(b, &chk, cause)) != POS_OK)
		goto out;
	if (!chk.ok) {
		rc = cause_set(cause, POS_INPUT, "the backup's journal fails "
		    "verification at seq %lld: %s", (long long)chk.bad_seq,
		    chk.error);
		goto out;
	}
	info->entries = chk.entries;
	memcpy(info->head, chk.head, sizeof info->head);
	if (sqlite3_exec(b->db->conn, "PRAGMA journal_mode = DELETE", NULL,
	    NULL, NULL) != SQLITE_OK) {
		rc = sqldb_sqlerr(b->db, "cannot finish the copy", cause);
		goto out;
	}
	if (out != NULL) {
		*out = b;
		b = NULL;
	}
out:
	free(chk.error);
	store_close(b);
	return rc;
}

/* Whether name is one of this store's backups: BRANCH-TERMINAL-*.db. */
static bool
backup_is_ours(const char *name, const char *prefix)
{
	size_t n = strlen(name);

	return strncmp(name, prefix, strlen(prefix)) == 0 && n > 3 &&
	    strcmp(name + n - 3, ".db") == 0 && strstr(name, ".tmp-") == NULL;
}

struct backup_file {
	char		*path;
	struct timespec	 mtime;
};

/* Oldest first: by the time the file was written, then by name. */
static int
backup_cmp(const void *a, const void *b)
{
	const struct backup_file *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->path, y->path);
}

/*
 * Keep the newest keep of this store's backups in dir. Returns how many
 * were removed.
 */
static int
backup_prune(const char *dir, const char *prefix, int keep)
{
	struct backup_file *files = NULL;
	struct dirent *de;
	struct stat sb;
	size_t n = 0, cap = 0, i;
	int removed = 0;
	char *p;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!backup_is_ours(de->d_name, prefix))
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (stat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(p);
			continue;
		}
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			files = xreallocarray(files, cap, sizeof *files);
		}
		files[n].path = p;
		files[n++].mtime = sb.st_mtim;
	}
	closedir(d);
	if (n > 0)
		qsort(files, n, sizeof *files, backup_cmp);
	for (i = 0; i < n; i++) {
		if (keep >= 0 && i + (size_t)keep < n &&
		    unlink(files[i].path) == 0)
			removed++;
		free(files[i].path);
	}
	free(files);
	if (removed > 0)
		backup_sync_dir(dir);
	return removed;
}

/*
 * Where a backup to dest goes; *dir set when dest is a directory, which it
 * must be when is_dir (backup_dir, or a name ending in '/').
 */
static int
backup_target(struct store *st, const char *dest, bool is_dir, char **final,
    char **dir, char **cause)
{
	char utc[21], date[11], stamp[32];
	struct stat sb;
	int rc;

	*final = *dir = NULL;
	if (dest[strlen(dest) - 1] == '/')
		is_dir = true;
	if (is_dir && (stat(dest, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		return cause_set(cause, POS_INPUT, "cannot back up to %s: it "
		    "is missing or not a directory (is the drive there?)",
		    dest);
	if (stat(dest, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		if ((rc = store_now(st->cfg, utc, date, cause)) != POS_OK)
			return rc;
		/* 2026-03-01T09:00:00Z -> 20260301T090000Z */
		snprintf(stamp, sizeof stamp, "%.4s%.2s%.2sT%.2s%.2s%.2sZ",
		    utc, utc + 5, utc + 8, utc + 11, utc + 14, utc + 17);
		*dir = xstrdup(dest);
		*final = xasprintf("%s/%s-%lld-%s.db", dest, st->branch,
		    (long long)st->terminal, stamp);
		for (int k = 2; access(*final, F_OK) == 0 && k < 1000; k++) {
			free(*final);
			*final = xasprintf("%s/%s-%lld-%s-%d.db", dest,
			    st->branch, (long long)st->terminal, stamp, k);
		}
		return POS_OK;
	}
	*dir = backup_dirname(dest);
	if (stat(*dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		rc = cause_set(cause, POS_INPUT, "cannot back up to %s: %s is "
		    "missing (is the drive there?)", dest, *dir);
		free(*dir);
		*dir = NULL;
		return rc;
	}
	*final = xstrdup(dest);
	free(*dir);
	*dir = NULL;
	return POS_OK;
}

int
backup_make(struct store *st, const char *dest, struct backup_info *out,
    char **cause)
{
	char *final = NULL, *dir = NULL, *tmp = NULL, *parent = NULL, *prefix;
	bool is_dir = dest == NULL;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = store_need_identity(st, cause)) != POS_OK)
		return rc;
	if (dest == NULL)
		dest = st->cfg->store.backup_dir;
	if (dest == NULL || *dest == '\0')
		return cause_set(cause, POS_INPUT, "name a backup FILE or "
		    "DIR, or set [store] backup_dir");
	if ((rc = backup_target(st, dest, is_dir, &final, &dir, cause)) !=
	    POS_OK ||
	    (rc = backup_tmp(final, &tmp, cause)) != POS_OK ||
	    (rc = backup_vacuum_into(st->db->conn, tmp, cause)) != POS_OK ||
	    (rc = backup_check(tmp, st->cfg, st->branch, st->terminal, out,
	    NULL, cause)) != POS_OK)
		goto out;
	if (rename(tmp, final) != 0) {
		rc = cause_set(cause, POS_FAIL, "cannot rename %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	parent = backup_dirname(final);
	backup_sync_dir(parent);
	out->path = final;
	final = NULL;
	if (dir != NULL) {
		prefix = xasprintf("%s-%lld-", st->branch,
		    (long long)st->terminal);
		out->pruned = backup_prune(dir, prefix,
		    st->cfg->store.backup_keep);
		free(prefix);
	}
out:
	if (tmp != NULL)
		backup_unlink(tmp);
	free(tmp);
	free(final);
	free(dir);
	free(parent);
	return rc;
}

/* The hash of entry seq of st ("" when there is none). */
static int
backup_hash_at(struct store *st, int64_t seq, char hash[LEDGER_HASH_HEX],
    char **cause)
{
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	hash[0] = '\0';
	if ((stmt = sqldb_prepare(st->db, "SELECT hash FROM journal "
	    "WHERE seq = ?", cause)) == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, seq);
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW)
		sqldb_column_copy(stmt, 0, hash, LEDGER_HASH_HEX);
	else if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Whether the store may be replaced by the backup b: same identity, and
 * (unless force) every entry of the store is in the backup.
 */
static int
backup_may_replace(struct store *st, struct store *b,
    const struct backup_info *bi, bool force, char **cause)
{
	struct journal_check chk;
	char at[LEDGER_HASH_HEX];
	int rc;

	if (st->branch == NULL)
		return POS_OK;
	if (strcmp(st->branch, b->branch) != 0 || st->terminal != b->terminal)
		return cause_set(cause, POS_INPUT, "the backup is of branch %s "
		    "terminal %lld, the store is branch %s terminal %lld",
		    b->branch, (long long)b->terminal, st->branch,
		    (long long)st->terminal);
	if ((rc = journal_verify(st, &chk, cause)) != POS_OK)
		return rc;
	free(chk.error);
	if (force)
		return POS_OK;
	if (chk.entries > bi->entries)
		return cause_set(cause, POS_INPUT, "the store is newer than the "
		    "backup: it has %lld entries, the backup %lld (--force "
		    "replaces it, losing the newer entries)",
		    (long long)chk.entries, (long long)bi->entries);
	if (chk.entries == 0)
		return POS_OK;
	if ((rc = backup_hash_at(b, chk.entries, at, cause)) != POS_OK)
		return rc;
	if (strcmp(at, chk.head) != 0)
		return cause_set(cause, POS_INPUT, "the store and the backup "
		    "differ at seq %lld: they are not the same history "
		    "(--force replaces the store)", (long long)chk.entries);
	return POS_OK;
}

/* Copy the whole of b into st, in one transaction of st's. */
static int
backup_copy_into(struct store *st, struct store *b, char **cause)
{
	sqlite3_backup *bk;
	int r;

	if ((bk = sqlite3_backup_init(st->db->conn, "main", b->db->conn,
	    "main")) == NULL)
		return sqldb_sqlerr(st->db, "cannot restore", cause);
	r = sqlite3_backup_step(bk, -1);
	sqlite3_backup_finish(bk);
	if (r != SQLITE_DONE)
		return cause_set(cause, POS_FAIL, "cannot restore into %s: %s%s",
		    st->db->path, sqlite3_errstr(r), r == SQLITE_BUSY ||
		    r == SQLITE_LOCKED ? " (another program is writing to it)" :
		    "");
	return POS_OK;
}

int
backup_restore(const char *path, const struct config *cfg, const char *file,
    bool force, struct backup_info *out, char **cause)
{
	struct store *st = NULL, *b = NULL;
	struct backup_info bi;
	struct journal_check chk;
	sqlite3 *src = NULL;
	char *tmp = NULL, *dir, *why = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&bi, 0, sizeof bi);
	memset(&chk, 0, sizeof chk);
	if (access(file, R_OK) != 0)
		return cause_set(cause, POS_INPUT, "cannot read %s: %s", file,
		    strerror(errno));
	if (access(path, F_OK) == 0 &&
	    (rc = store_open(path, false, cfg, &st, cause)) != POS_OK)
		goto out;
	/* Work on a copy next to the store: the backup file is not touched. */
	dir = backup_dirname(path);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		rc = cause_set(cause, POS_FAIL, "cannot create %s: %s", dir,
		    strerror(errno));
		free(dir);
		goto out;
	}
	free(dir);
	if (sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		rc = cause_set(cause, POS_INPUT, "cannot open %s: %s", file,
		    sqlite3_errmsg(src));
		goto out;
	}
	if ((rc = backup_tmp(path, &tmp, cause)) != POS_OK)
		goto out;
	if (backup_vacuum_into(src, tmp, &why) != POS_OK) {
		rc = cause_set(cause, POS_INPUT, "%s is not a usable backup "
		    "(%s)", file, sqlite3_errmsg(src));
		free(why);
		goto out;
	}
	if ((rc = backup_check(tmp, cfg, NULL, 0, &bi, &b, cause)) != POS_OK)
		goto out;
	if (st != NULL && (rc = backup_may_replace(st, b, &bi, force,
	    cause)) != POS_OK)
		goto out;
	if (st == NULL && (rc = store_open(path, true, cfg, &st, cause)) !=
	    POS_OK)
		goto out;
	if ((rc = backup_copy_into(st, b, cause)) != POS_OK)
		goto out;
	/* Open it again as it now is (an older backup is migrated) and check. */
	store_close(st);
	st = NULL;
	if ((rc = store_open(path, false, cfg, &st, cause)) != POS_OK ||
	    (rc = journal_verify(st, &chk, cause)) != POS_OK)
		goto out;
	if (!chk.ok) {
		rc = cause_set(cause, POS_FAIL, "the restored store fails "
		    "verification at seq %lld: %s", (long long)chk.bad_seq,
		    chk.error);
		goto out;
	}
	out->path = xstrdup(path);
	out->entries = chk.entries;
	memcpy(out->head, chk.head, sizeof out->head);
out:
	free(chk.error);
	store_close(b);
	store_close(st);
	sqlite3_close(src);
	if (tmp != NULL)
		backup_unlink(tmp);
	free(tmp);
	return rc;
}
