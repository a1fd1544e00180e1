/*
 * The outbox's state in the store (sync_state and sync_rejects): reading
 * it, moving the checkpoint, recording rejected entries, and its JSON.
 * The store never prints: errors go back with a cause.
 */
#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outbox_int.h"
#include "xalloc.h"

/*
 * Text from the server made safe to store and print: control characters
 * become '?', and it is cut to OUTBOX_MAX_REASON bytes on a UTF-8 boundary.
 */
char *
outbox_clean(const char *s)
{
	size_t n = strlen(s);
	char *t;

	if (n > OUTBOX_MAX_REASON) {
		n = OUTBOX_MAX_REASON;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	t = xstrndup(s, n);
	for (char *p = t; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return t;
}

void
outbox_state_free(struct outbox_state *s)
{
	if (s == NULL)
		return;
	free(s->last_attempt);
	free(s->last_success);
	free(s->last_error);
	free(s->master_pulled_at);
	for (size_t i = 0; i < s->nrejected; i++) {
		free(s->rejected[i].uuid);
		free(s->rejected[i].receipt);
		free(s->rejected[i].reason);
		free(s->rejected[i].first_seen);
		free(s->rejected[i].last_seen);
	}
	free(s->rejected);
	memset(s, 0, sizeof *s);
}

static int
outbox_read_master(struct store *st, struct outbox_state *s, char **cause)
{
	struct mdata_held h;
	int rc;

	if ((rc = mdata_held(st, &h, cause)) != POS_OK)
		return rc;
	s->master_version = h.version;
	s->master_pulled_at = h.pulled_at;
	s->master_conflicts = h.conflicts;
	h.pulled_at = NULL;
	mdata_held_clear(&h);
	return POS_OK;
}

static int
outbox_read_state(struct store *st, struct outbox_state *s, char **cause)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int r, rc = POS_OK;

	stmt = sqldb_prepare(st->db, "SELECT acked_through, server_head,"
	    " last_attempt, last_success, last_error FROM sync_state"
	    " WHERE id = 1", cause);
	if (stmt == NULL)
		return POS_FAIL;
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		s->acked_through = sqlite3_column_int64(stmt, 0);
		if (sqlite3_column_type(stmt, 1) == SQLITE_TEXT)
			snprintf(s->server_head, sizeof s->server_head, "%s",
			    (const char *)sqlite3_column_text(stmt, 1));
		s->last_attempt = sqldb_column_dup(stmt, 2);
		s->last_success = sqldb_column_dup(stmt, 3);
		s->last_error = sqldb_column_dup(stmt, 4);
	} else if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the sync state", cause);
	sqlite3_finalize(stmt);
	if (rc != POS_OK)
		return rc;

	stmt = sqldb_prepare(st->db, "SELECT seq, hash FROM journal"
	    " ORDER BY seq DESC LIMIT 1", cause);
	if (stmt == NULL)
		return POS_FAIL;
	memcpy(s->head, ledger_genesis, LEDGER_HASH_HEX);
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		s->head_seq = sqlite3_column_int64(stmt, 0);
		snprintf(s->head, sizeof s->head, "%s",
		    (const char *)sqlite3_column_text(stmt, 1));
	} else if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqlite3_finalize(stmt);
	if (rc != POS_OK)
		return rc;

	stmt = sqldb_prepare(st->db,
	    "SELECT r.seq, r.uuid, j.receipt, r.reason,"
	    " r.first_seen, r.last_seen FROM sync_rejects r"
	    " LEFT JOIN journal j ON j.seq = r.seq ORDER BY r.seq", cause);
	if (stmt == NULL)
		return POS_FAIL;
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct outbox_reject *x;

		if (s->nrejected == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			s->rejected = xreallocarray(s->rejected, cap,
			    sizeof *s->rejected);
		}
		x = &s->rejected[s->nrejected++];
		x->seq = sqlite3_column_int64(stmt, 0);
		x->uuid = sqldb_column_dup(stmt, 1);
		x->receipt = sqldb_column_dup(stmt, 2);
		x->reason = sqldb_column_dup(stmt, 3);
		x->first_seen = sqldb_column_dup(stmt, 4);
		x->last_seen = sqldb_column_dup(stmt, 5);
	}
	if (r != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot read the sync state", cause);
	sqlite3_finalize(stmt);
	s->unsynced = s->head_seq > s->acked_through ?
	    s->head_seq - s->acked_through : 0;
	if (rc == POS_OK)
		rc = outbox_read_master(st, s, cause);
	return rc;
}

int
outbox_status(struct store *st, struct outbox_state *s, char **cause)
{
	int rc;

	memset(s, 0, sizeof *s);
	if ((rc = sqldb_begin(st->db, false, cause)) != POS_OK)
		return rc;
	rc = outbox_read_state(st, s, cause);
	sqldb_rollback(st->db);
	if (rc != POS_OK)
		outbox_state_free(s);
	return rc;
}

/* The hash of entry seq (genesis for 0); POS_INPUT if there is none. */
int
outbox_hash_at(struct store *st, int64_t seq, char hash[LEDGER_HASH_HEX],
    char **cause)
{
	sqlite3_stmt *stmt;
	int r, rc = POS_OK;

	if (seq == 0) {
		memcpy(hash, ledger_genesis, LEDGER_HASH_HEX);
		return POS_OK;
	}
	stmt = sqldb_prepare(st->db, "SELECT hash FROM journal WHERE seq = ?",
	    cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, seq);
	if ((r = sqlite3_step(stmt)) == SQLITE_ROW)
		snprintf(hash, LEDGER_HASH_HEX, "%s",
		    (const char *)sqlite3_column_text(stmt, 0));
	else if (r == SQLITE_DONE)
		rc = cause_set(cause, POS_INPUT, "no journal entry %lld",
		    (long long)seq);
	else
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqlite3_finalize(stmt);
	return rc;
}

/* Run one statement with up to two text bindings (?1, ?2). */
static int
outbox_exec(struct store *st, const char *sql, const char *t1,
    const char *t2, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	if ((stmt = sqldb_prepare(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	if (sqlite3_bind_parameter_count(stmt) >= 1)
		sqldb_bind_text(stmt, 1, t1);
	if (sqlite3_bind_parameter_count(stmt) >= 2)
		sqldb_bind_text(stmt, 2, t2);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot write the sync state", cause);
	sqlite3_finalize(stmt);
	return rc;
}

/* A write transaction around one sync_state update with two texts. */
int
outbox_note(struct store *st, const char *sql, const char *t1,
    const char *t2, char **cause)
{
	int rc;

	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((rc = outbox_exec(st, sql, t1, t2, cause)) != POS_OK) {
		sqldb_rollback(st->db);
		return rc;
	}
	return sqldb_commit(st->db, cause);
}

/*
 * Set the checkpoint inside a write transaction: exactly (a 409 or the
 * empty probe: the server says what it has) or never backwards (a 200).
 */
int
outbox_checkpoint(struct store *st, int64_t acked, const char *head,
    bool exact, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	stmt = sqldb_prepare(st->db, exact ?
	    "UPDATE sync_state SET acked_through = ?1, server_head = ?2"
	    " WHERE id = 1" :
	    "UPDATE sync_state SET acked_through = ?1, server_head = ?2"
	    " WHERE id = 1 AND acked_through <= ?1", cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, acked);
	sqldb_bind_text(stmt, 2, head);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot write the sync state", cause);
	sqlite3_finalize(stmt);
	if (rc != POS_OK)
		return rc;
	stmt = sqldb_prepare(st->db, "DELETE FROM sync_rejects WHERE seq <= ?",
	    cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, acked);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot write the sync state", cause);
	sqlite3_finalize(stmt);
	return rc;
}

/* Record (or refresh) a rejected entry, or clear it when reason is NULL. */
int
outbox_reject(struct store *st, int64_t seq, const char *uuid,
    const char *reason, const char *now, char **cause)
{
	sqlite3_stmt *stmt;
	char *clean = NULL;
	int rc = POS_OK;

	stmt = sqldb_prepare(st->db, reason != NULL ?
	    "INSERT INTO sync_rejects (seq, uuid, reason, first_seen,"
	    " last_seen) SELECT ?1, coalesce(?2, uuid), ?3, ?4, ?4 FROM journal"
	    " WHERE seq = ?1 ON CONFLICT (seq) DO UPDATE SET"
	    " uuid = excluded.uuid, reason = excluded.reason,"
	    " last_seen = excluded.last_seen" :
	    "DELETE FROM sync_rejects WHERE seq = ?1", cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, seq);
	if (reason != NULL) {
		clean = outbox_clean(reason);
		sqldb_bind_text(stmt, 2, uuid);
		sqldb_bind_text(stmt, 3, clean);
		sqldb_bind_text(stmt, 4, now);
	}
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot record a rejected entry",
		    cause);
	sqlite3_finalize(stmt);
	free(clean);
	return rc;
}

/* ---- JSON ---- */

/* A text, or null when there is none ("" too: server_head before a push). */
static json_t *
outbox_jstr(const char *s)
{
	return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

static json_t *
outbox_rejects_json(const struct outbox_state *s)
{
	json_t *arr = json_array(), *o;

	for (size_t i = 0; i < s->nrejected; i++) {
		const struct outbox_reject *x = &s->rejected[i];

		o = json_object();
		json_object_set_new(o, "seq", json_integer(x->seq));
		json_object_set_new(o, "receipt", outbox_jstr(x->receipt));
		json_object_set_new(o, "uuid", outbox_jstr(x->uuid));
		json_object_set_new(o, "reason", outbox_jstr(x->reason));
		json_object_set_new(o, "first_seen", outbox_jstr(x->first_seen));
		json_object_set_new(o, "last_seen", outbox_jstr(x->last_seen));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *
outbox_state_json(const struct outbox_state *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "unsynced", json_integer(s->unsynced));
	json_object_set_new(j, "last_success", outbox_jstr(s->last_success));
	json_object_set_new(j, "last_attempt", outbox_jstr(s->last_attempt));
	json_object_set_new(j, "last_error", outbox_jstr(s->last_error));
	json_object_set_new(j, "acked_through", json_integer(s->acked_through));
	json_object_set_new(j, "server_head", outbox_jstr(s->server_head));
	json_object_set_new(j, "rejected", outbox_rejects_json(s));
	json_object_set_new(j, "head_seq", json_integer(s->head_seq));
	json_object_set_new(j, "head", json_string(s->head));
	json_object_set_new(j, "master_version",
	    json_integer(s->master_version));
	json_object_set_new(j, "master_pulled_at",
	    outbox_jstr(s->master_pulled_at));
	json_object_set_new(j, "master_conflicts",
	    json_integer(s->master_conflicts));
	return j;
}

/* What was sent of the window's own producers and products; null if not. */
static json_t *
outbox_local_json(const struct outbox_local_result *l)
{
	json_t *o;

	if (!l->tried)
		return json_null();
	o = json_object();
	json_object_set_new(o, "ok", json_boolean(l->rc == POS_OK));
	json_object_set_new(o, "sent", json_boolean(l->sent));
	json_object_set_new(o, "unchanged", json_boolean(l->unchanged));
	json_object_set_new(o, "producers", json_integer(l->producers));
	json_object_set_new(o, "products", json_integer(l->products));
	json_object_set_new(o, "error", outbox_jstr(l->error));
	return o;
}

json_t *
outbox_result_json(const struct outbox_result *r)
{
	json_t *j = json_object();
	const struct outbox_state *s = r->have_state ? &r->state : NULL;

	json_object_set_new(j, "ok", json_boolean(r->rc == POS_OK));
	json_object_set_new(j, "sent", json_integer(r->sent));
	json_object_set_new(j, "acked_through", s != NULL ?
	    json_integer(s->acked_through) : json_null());
	json_object_set_new(j, "unsynced", s != NULL ?
	    json_integer(s->unsynced) : json_null());
	json_object_set_new(j, "head", s != NULL ? json_string(s->head) :
	    json_null());
	json_object_set_new(j, "server_head", s != NULL ?
	    outbox_jstr(s->server_head) : json_null());
	json_object_set_new(j, "rejected", s != NULL ? outbox_rejects_json(s) :
	    json_array());
	json_object_set_new(j, "error", outbox_jstr(r->error));
	json_object_set_new(j, "local", outbox_local_json(&r->local));
	json_object_set_new(j, "master", r->pulled ?
	    mpull_result_json(&r->master) : json_null());
	return j;
}
