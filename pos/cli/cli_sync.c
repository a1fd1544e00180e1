/*
 * The journal leaving the window: `pos sync`, the sync after a close, and
 * `pos verify`.
 */
#include "cli_int.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cause.h"
#include "cmdline.h"
#include "journal.h"
#include "outbox.h"
#include "store.h"

/*
 * After the close: one push of the journal, reported and never failing
 * the close (the rest stays queued). With --json the report goes to
 * stderr, so stdout keeps its one JSON document.
 */
void
cli_sync_after_close(struct cli *c)
{
	struct outbox_opts o;
	struct outbox_result r;
	FILE *out = c->json ? stderr : stdout;

	if (!outbox_configured(&c->cfg))
		return;
	fflush(stdout);
	outbox_opts_default(&o);
	/* The attendant waits for this: shorter than a `pos sync`. */
	o.attempts = 2;
	if (o.deadline_ms > OUTBOX_CLOSE_DEADLINE_MS)
		o.deadline_ms = OUTBOX_CLOSE_DEADLINE_MS;
	if (outbox_push(c->st, &o, &r) == POS_OK)
		fprintf(out, "sync: pushed to the central server (%lld sent, "
		    "acked through seq %lld)\n", (long long)r.sent,
		    (long long)r.state.acked_through);
	else
		fprintf(out, "sync: push failed, %lld entries stay queued "
		    "('pos sync' to try again): %s\n", r.have_state ?
		    (long long)r.state.unsynced : -1LL, r.error);
	outbox_result_free(&r);
}

static void
cli_sync_master(const struct mpull_result *m)
{
	printf("master data: version %lld, %lld rows pulled (%lld added, "
	    "%lld changed", (long long)m->version, (long long)m->rows,
	    (long long)m->applied.added, (long long)m->applied.changed);
	if (m->applied.conflicts > 0)
		printf(", %lld conflicts", (long long)m->applied.conflicts);
	if (m->applied.held_back > 0)
		printf(", %lld held back", (long long)m->applied.held_back);
	printf(")\n");
}

static void
cli_sync_text(const struct outbox_state *s)
{
	printf("unsynced       %lld", (long long)s->unsynced);
	if (s->unsynced > 0)
		printf(" (seq %lld..%lld)", (long long)s->acked_through + 1,
		    (long long)s->head_seq);
	printf("\nacked through  seq %lld\n", (long long)s->acked_through);
	printf("server head    %s\n", s->server_head[0] != '\0' ?
	    s->server_head : "(never synced)");
	printf("window head    seq %lld %s\n", (long long)s->head_seq, s->head);
	printf("last attempt   %s\n", s->last_attempt != NULL ?
	    s->last_attempt : "never");
	printf("last success   %s\n", s->last_success != NULL ?
	    s->last_success : "never");
	printf("last error     %s\n", s->last_error != NULL ? s->last_error :
	    "none");
	if (s->master_pulled_at != NULL)
		printf("master data    version %lld, pulled %s\n",
		    (long long)s->master_version, s->master_pulled_at);
	else
		printf("master data    never pulled\n");
	if (s->master_conflicts > 0)
		printf("conflicts      %lld local rows kept beside the centre's "
		    "('pos producer list', 'pos product list')\n",
		    (long long)s->master_conflicts);
	for (size_t i = 0; i < s->nrejected; i++)
		printf("rejected       seq %lld (%s): %s\n",
		    (long long)s->rejected[i].seq, s->rejected[i].receipt != NULL ?
		    s->rejected[i].receipt : "?", s->rejected[i].reason);
}

/* What became of the window's own producers and products. */
static void
cli_sync_local(const struct outbox_local_result *l)
{
	if (!l->tried)
		return;
	if (l->unchanged)
		printf("sync: own producers and products: unchanged since the "
		    "last sync\n");
	else if (l->sent)
		printf("sync: own producers and products: %lld producers, "
		    "%lld products sent\n", (long long)l->producers,
		    (long long)l->products);
	else
		printf("sync: own producers and products not sent (the next "
		    "sync tries again): %s\n", l->error);
}

int
cmd_sync(struct cli *c, struct cmdline_args *a)
{
	struct outbox_opts o;
	struct outbox_result r;
	struct outbox_state s;
	char *cause = NULL;
	int rc;

	if (cmdline_flag(a, "status")) {
		if ((rc = outbox_status(c->st, &s, &cause)) != POS_OK)
			return cli_done(c, rc, cause);
		if (c->json)
			cli_print_json(outbox_state_json(&s));
		else
			cli_sync_text(&s);
		outbox_state_free(&s);
		return POS_OK;
	}
	if (!outbox_configured(&c->cfg))
		return cause_set(&c->cause, POS_INPUT,
		    "no central server configured "
		    "([sync] url)");
	outbox_opts_default(&o);
	rc = outbox_push(c->st, &o, &r);
	if (c->json)
		cli_print_json(outbox_result_json(&r));
	else if (rc == POS_OK) {
		printf("sync: %lld entries sent; the server has seq 1..%lld, "
		    "head %s; nothing unsynced\n", (long long)r.sent,
		    (long long)r.state.acked_through, r.state.server_head);
		cli_sync_master(&r.master);
	}
	else if (r.have_state)
		printf("sync: %lld entries sent; %lld unsynced (the server has "
		    "seq 1..%lld)\n", (long long)r.sent,
		    (long long)r.state.unsynced,
		    (long long)r.state.acked_through);
	if (!c->json)
		cli_sync_local(&r.local);
	if (rc != POS_OK)
		cause_set(&c->cause, rc, "sync: %s", r.error);
	outbox_result_free(&r);
	return rc;
}

int
cmd_verify(struct cli *c, struct cmdline_args *a)
{
	struct journal_check chk;
	char *cause = NULL;
	int rc;

	(void)a;
	if ((rc = journal_verify(c->st, &chk, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "ok", json_boolean(chk.ok));
		json_object_set_new(j, "entries", json_integer(chk.entries));
		json_object_set_new(j, "head", json_string(chk.head));
		json_object_set_new(j, "bad_seq", chk.ok ? json_null() :
		    json_integer(chk.bad_seq));
		json_object_set_new(j, "error", cli_jstr(chk.error));
		cli_print_json(j);
	} else if (chk.ok)
		printf("ok: %lld entries, head %s\n", (long long)chk.entries,
		    chk.head);
	else
		printf("BAD: entry seq %lld: %s\n", (long long)chk.bad_seq,
		    chk.error);
	if (!chk.ok)
		rc = cause_set(&c->cause, POS_FAIL,
		    "the journal fails verification at "
		    "seq %lld: %s", (long long)chk.bad_seq, chk.error);
	free(chk.error);
	return rc;
}
