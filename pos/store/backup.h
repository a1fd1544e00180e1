/*
 * Backups of the window store and restores from them. A backup is an
 * online, consistent copy (VACUUM INTO, while sales go on), written under a
 * temporary name, opened and verified (integrity check, identity, the whole
 * hash chain) and only then renamed into place: a file under a backup's name
 * is always a good one. A restore copies the backup into the store in one
 * SQLite transaction (the backup API), so programs that have the store open
 * see either the old store or the restored one.
 */
#ifndef POS_BACKUP_H
#define POS_BACKUP_H

#include <stdbool.h>
#include <stdint.h>

#include "ledger.h"
#include "store.h"

struct backup_info {
	char	*path;			/* the backup file; caller frees */
	int64_t	 entries;		/* journal entries in it */
	char	 head[LEDGER_HASH_HEX];	/* hash of its last entry */
	int	 pruned;		/* older backups removed (backup_keep) */
};

/*
 * Back the store up to dest: a file, or a directory to make
 * BRANCH-TERMINAL-YYYYMMDDTHHMMSSZ.db in (NULL: [store] backup_dir), and in
 * a directory keep only the newest [store] backup_keep of this store's.
 * POS_INPUT when there is nowhere to write or the target is missing,
 * POS_FAIL when the copy cannot be written (a full disk) or does not verify.
 */
int	 backup_make(struct store *, const char *dest, struct backup_info *out,
	    char **cause);

/*
 * Replace the store at path with the backup in file. Refused (POS_INPUT,
 * nothing changed): a backup that does not verify, one of another branch or
 * terminal than the store's, and, unless force, a store with entries the
 * backup does not have (newer, or gone another way). A missing store is
 * created. out describes the restored store.
 */
int	 backup_restore(const char *path, const struct config *,
	    const char *file, bool force, struct backup_info *out, char **cause);

void	 backup_info_clear(struct backup_info *);

#endif
