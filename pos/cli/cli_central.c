/*
 * pos init --from-central: a new store for a window whose PC died, filled
 * with its terminal's journal from the central server (pos/queue/pull.h).
 * The store is built under a temporary name and linked into place only
 * when the whole journal is in and verified, so a failed run leaves no
 * store behind and can simply be run again; link() also refuses a store
 * that appeared meanwhile.
 */
#include "cli_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cause.h"
#include "outbox.h"
#include "pull.h"
#include "store.h"
#include "xalloc.h"

/* Remove the temporary store and what SQLite may have left beside it. */
static void
cli_central_unlink(const char *tmp)
{
	static const char *const ext[] = { "", "-wal", "-shm", "-journal" };

	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		char *p = xasprintf("%s%s", tmp, ext[i]);

		unlink(p);
		free(p);
	}
}

static void
cli_central_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int dfd;

	dir = slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") :
	    xasprintf("%.*s", (int)(slash - path), path);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
}

static void
cli_central_report(struct cli *c, const char *path, const char *branch,
    int64_t t, const struct pull_result *r)
{
	char *next = xasprintf("%s-%lld-%06lld", branch, (long long)t,
	    (long long)r->entries + 1);

	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "store", json_string(path));
		json_object_set_new(j, "branch", json_string(branch));
		json_object_set_new(j, "terminal", json_integer(t));
		json_object_set_new(j, "entries", json_integer(r->entries));
		json_object_set_new(j, "head", json_string(r->head));
		json_object_set_new(j, "pages", json_integer(r->pages));
		json_object_set_new(j, "producers", json_integer(r->producers));
		json_object_set_new(j, "products", json_integer(r->products));
		json_object_set_new(j, "next_receipt", json_string(next));
		cli_print_json(j);
	} else
		printf("store %s is branch %s terminal %lld: %lld entries from "
		    "the central server (verified, head %s), %lld producers "
		    "and %lld products made from them; next receipt %s\n",
		    path, branch, (long long)t, (long long)r->entries, r->head,
		    (long long)r->producers, (long long)r->products, next);
	free(next);
}

int
cli_init_from_central(struct cli *c, const char *branch, int64_t t,
    const char *name)
{
	const char *path = c->db != NULL ? c->db : c->cfg.store.path;
	struct pull_result r;
	struct store *st = NULL;
	struct stat sb;
	char *tmp, *cause = NULL;
	int rc;

	if (lstat(path, &sb) == 0)
		return cause_set(&c->cause, POS_INPUT, "store %s already "
		    "exists: --from-central makes a new store (to bring a "
		    "backup back, use 'pos restore FILE')", path);
	if (!outbox_configured(&c->cfg))
		return cause_set(&c->cause, POS_INPUT, "--from-central: no "
		    "central server configured ([sync] url)");
	tmp = xasprintf("%s.from-central", path);
	cli_central_unlink(tmp);
	rc = store_open(tmp, true, &c->cfg, &st, &cause);
	if (rc == POS_OK)
		rc = store_init_identity(st, branch, t, name, &cause);
	if (rc == POS_OK)
		rc = pull_journal(st, pull_page_default(), &r, &cause);
	store_close(st);
	if (rc == POS_OK && link(tmp, path) != 0)
		rc = cause_set(&cause, errno == EEXIST ? POS_INPUT : POS_FAIL,
		    "cannot make store %s: %s", path, strerror(errno));
	cli_central_unlink(tmp);
	free(tmp);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	cli_central_sync_dir(path);
	cli_central_report(c, path, branch, t, &r);
	return POS_OK;
}
