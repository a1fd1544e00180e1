/*
 * A SQLite VFS shim for I/O fault tests (after SQLite's test6.c crash VFS):
 * it wraps "unix", registers itself as the default VFS, and once armed
 * fails the Nth write (SQLITE_IOERR_WRITE), the Nth xSync
 * (SQLITE_IOERR_FSYNC) or reports a full disk at the Nth write
 * (SQLITE_FULL), counting from when it was armed. Every file SQLite opens
 * through it (the database, its WAL, a rollback journal) is counted; the
 * WAL index is shared memory and is not.
 */
#ifndef POS_FAULTVFS_H
#define POS_FAULTVFS_H

#include <stdbool.h>

enum faultvfs_kind {
	FAULTVFS_NONE,
	FAULTVFS_WRITE,		/* the Nth xWrite fails with SQLITE_IOERR_WRITE */
	FAULTVFS_SYNC,		/* the Nth xSync fails with SQLITE_IOERR_FSYNC */
	FAULTVFS_FULL		/* the Nth xWrite fails with SQLITE_FULL */
};

/* Register the shim as the default VFS. 0, or -1 when "unix" is missing. */
int	 faultvfs_register(void);

/*
 * Count from zero and fail the nth operation of this kind (n >= 1); with
 * sticky, every later one of that kind fails too (a disk that stays full).
 */
void	 faultvfs_arm(enum faultvfs_kind kind, int n, bool sticky);
/* Stop failing; counting goes on. */
void	 faultvfs_disarm(void);

/* Writes and syncs since the last arm (or since registration). */
int	 faultvfs_writes(void);
int	 faultvfs_syncs(void);
/* How many operations were failed since the last arm. */
int	 faultvfs_fired(void);

#endif
