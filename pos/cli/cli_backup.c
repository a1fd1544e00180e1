/*
 * `pos backup` and `pos restore`, and the backup the close of day makes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "backup.h"
#include "cli_int.h"
#include "store.h"

static json_t *
cli_backup_json(const struct backup_info *b)
{
	json_t *j = json_object();

	json_object_set_new(j, "path", json_string(b->path));
	json_object_set_new(j, "entries", json_integer(b->entries));
	json_object_set_new(j, "head", json_string(b->head));
	return j;
}

int
cmd_backup(struct cli *c, struct cmdline_args *a)
{
	struct backup_info b;
	char *cause = NULL;
	int rc;

	rc = backup_make(c->st, a->npos > 0 ? a->pos[0] : NULL, &b, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = cli_backup_json(&b);

		json_object_set_new(j, "verified", json_true());
		json_object_set_new(j, "pruned", json_integer(b.pruned));
		cli_print_json(j);
	} else
		printf("backup %s: %lld entries, head %s, verified\n", b.path,
		    (long long)b.entries, b.head);
	backup_info_clear(&b);
	return POS_OK;
}

int
cmd_restore(struct cli *c, struct cmdline_args *a)
{
	struct backup_info b;
	char *cause = NULL;
	int rc;

	rc = backup_restore(c->db != NULL ? c->db : c->cfg.store.path, &c->cfg,
	    a->pos[0], cmdline_flag(a, "force"), &b, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = cli_backup_json(&b);

		json_object_set_new(j, "from", json_string(a->pos[0]));
		cli_print_json(j);
	} else
		printf("restored %s from %s: %lld entries, head %s\n", b.path,
		    a->pos[0], (long long)b.entries, b.head);
	backup_info_clear(&b);
	return POS_OK;
}

/*
 * The close of day backs the store up to [store] backup_dir. A missing or
 * full target is said, never a failure of the close: the day is sealed.
 */
void
cli_backup_after_close(struct cli *c)
{
	struct backup_info b;
	char *cause = NULL;
	json_t *j;

	if (c->cfg.store.backup_dir == NULL || *c->cfg.store.backup_dir == '\0')
		return;
	if (backup_make(c->st, NULL, &b, &cause) == POS_OK) {
		if (!c->json)
			printf("backup %s (verified)\n", b.path);
		j = cli_backup_json(&b);
		backup_info_clear(&b);
	} else {
		fprintf(stderr, "pos: the day is closed, but its backup "
		    "failed: %s\n", cause);
		j = json_object();
		json_object_set_new(j, "error", json_string(cause));
		free(cause);
	}
	json_decref(c->day_backup);
	c->day_backup = j;
}
