/*
 * The fault VFS (faultvfs.h). A file is our sqlite3_file header followed
 * by the real "unix" file; every method forwards to the real one except
 * where an armed fault says otherwise.
 */
#include "faultvfs.h"

#include <string.h>

#include <sqlite3.h>

struct faultvfs_file {
	sqlite3_file	 base;
	sqlite3_file	*real;		/* right after this struct */
};

static sqlite3_vfs *faultvfs_real;
static sqlite3_vfs faultvfs_vfs;

static struct {
	enum faultvfs_kind kind;
	int	 n;
	bool	 sticky;
	int	 writes;
	int	 syncs;
	int	 fired;
} faultvfs_state;

#define REAL(f) (((struct faultvfs_file *)(f))->real)

/* Whether the operation just counted (number count of its kind) fails. */
static bool
faultvfs_hit(enum faultvfs_kind kind, int count)
{
	if (faultvfs_state.kind != kind)
		return false;
	if (count == faultvfs_state.n ||
	    (faultvfs_state.sticky && count > faultvfs_state.n)) {
		faultvfs_state.fired++;
		return true;
	}
	return false;
}

static int
faultvfs_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods != NULL ?
	    REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;

	f->pMethods = NULL;
	return rc;
}

static int
faultvfs_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, amt, off);
}

static int
faultvfs_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	int count = ++faultvfs_state.writes;

	if (faultvfs_hit(FAULTVFS_WRITE, count))
		return SQLITE_IOERR_WRITE;
	if (faultvfs_hit(FAULTVFS_FULL, count))
		return SQLITE_FULL;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, amt, off);
}

static int
faultvfs_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
faultvfs_sync(sqlite3_file *f, int flags)
{
	int count = ++faultvfs_state.syncs;

	if (faultvfs_hit(FAULTVFS_SYNC, count))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int
faultvfs_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
faultvfs_lock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xLock(REAL(f), lock);
}

static int
faultvfs_unlock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}

static int
faultvfs_check_lock(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
faultvfs_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
faultvfs_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
faultvfs_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
faultvfs_shm_map(sqlite3_file *f, int pg, int pgsz, int extend,
    void volatile **p)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, p);
}

static int
faultvfs_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void
faultvfs_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
faultvfs_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int
faultvfs_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **p)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, amt, p);
}

static int
faultvfs_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods faultvfs_methods = {
	3,
	faultvfs_close, faultvfs_read, faultvfs_write, faultvfs_truncate,
	faultvfs_sync, faultvfs_size, faultvfs_lock, faultvfs_unlock,
	faultvfs_check_lock, faultvfs_control, faultvfs_sector,
	faultvfs_device, faultvfs_shm_map, faultvfs_shm_lock,
	faultvfs_shm_barrier, faultvfs_shm_unmap, faultvfs_fetch,
	faultvfs_unfetch
};

static int
faultvfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out_flags)
{
	struct faultvfs_file *ff = (struct faultvfs_file *)f;
	int rc;

	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	memset(ff->real, 0, (size_t)faultvfs_real->szOsFile);
	rc = faultvfs_real->xOpen(faultvfs_real, name, ff->real, flags,
	    out_flags);
	/* SQLite calls xClose even when xOpen fails if pMethods is set. */
	f->pMethods = ff->real->pMethods != NULL ? &faultvfs_methods : NULL;
	return rc;
}

static int
faultvfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return faultvfs_real->xDelete(faultvfs_real, name, sync_dir);
}

static int
faultvfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return faultvfs_real->xAccess(faultvfs_real, name, flags, out);
}

static int
faultvfs_fullpath(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return faultvfs_real->xFullPathname(faultvfs_real, name, n, out);
}

static void *
faultvfs_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return faultvfs_real->xDlOpen(faultvfs_real, name);
}

static void
faultvfs_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	faultvfs_real->xDlError(faultvfs_real, n, msg);
}

static void
(*faultvfs_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return faultvfs_real->xDlSym(faultvfs_real, h, sym);
}

static void
faultvfs_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	faultvfs_real->xDlClose(faultvfs_real, h);
}

static int
faultvfs_random(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return faultvfs_real->xRandomness(faultvfs_real, n, out);
}

static int
faultvfs_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return faultvfs_real->xSleep(faultvfs_real, us);
}

static int
faultvfs_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return faultvfs_real->xCurrentTime(faultvfs_real, out);
}

static int
faultvfs_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return faultvfs_real->xGetLastError(faultvfs_real, n, out);
}

static int
faultvfs_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return faultvfs_real->xCurrentTimeInt64(faultvfs_real, out);
}

int
faultvfs_register(void)
{
	if (faultvfs_real != NULL)
		return 0;
	if ((faultvfs_real = sqlite3_vfs_find("unix")) == NULL)
		return -1;
	faultvfs_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(struct faultvfs_file) +
		    faultvfs_real->szOsFile,
		.mxPathname = faultvfs_real->mxPathname,
		.zName = "faultvfs",
		.xOpen = faultvfs_open,
		.xDelete = faultvfs_delete,
		.xAccess = faultvfs_access,
		.xFullPathname = faultvfs_fullpath,
		.xDlOpen = faultvfs_dlopen,
		.xDlError = faultvfs_dlerror,
		.xDlSym = faultvfs_dlsym,
		.xDlClose = faultvfs_dlclose,
		.xRandomness = faultvfs_random,
		.xSleep = faultvfs_sleep,
		.xCurrentTime = faultvfs_time,
		.xGetLastError = faultvfs_last_error,
		.xCurrentTimeInt64 = faultvfs_time64,
	};
	return sqlite3_vfs_register(&faultvfs_vfs, 1) == SQLITE_OK ? 0 : -1;
}

void
faultvfs_arm(enum faultvfs_kind kind, int n, bool sticky)
{
	faultvfs_state.kind = kind;
	faultvfs_state.n = n;
	faultvfs_state.sticky = sticky;
	faultvfs_state.writes = 0;
	faultvfs_state.syncs = 0;
	faultvfs_state.fired = 0;
}

void
faultvfs_disarm(void)
{
	faultvfs_state.kind = FAULTVFS_NONE;
}

int
faultvfs_writes(void)
{
	return faultvfs_state.writes;
}

int
faultvfs_syncs(void)
{
	return faultvfs_state.syncs;
}

int
faultvfs_fired(void)
{
	return faultvfs_state.fired;
}
