/*
 * The window's own producers and products sent to the centre after the
 * journal (POST /v1/master/local, sync/PROTOCOL.md), so that what a
 * window defined offline shows at the centre as local to it even before
 * anything of it is sold. The whole set is sent, in pages, whenever it
 * differs from what was last sent: its digest (SHA-256 of the set, the
 * window's identity and the server's URL) is the round every page
 * carries, and is kept in the store's meta table once the centre has
 * taken every page, so an unchanged set costs no request. The last page
 * tells the centre to forget the window's rows of other rounds.
 *
 * One try per page, all within what is left of the push's time: a
 * failure is reported beside the push's result and never changes it.
 */
#include "outbox.h"

#include <nettle/sha2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "outbox_int.h"
#include "pushmod.h"
#include "xalloc.h"

/* Rows a request (the centre takes up to 1000). */
#define OUTBOX_LOCAL_PAGE	500
#define OUTBOX_LOCAL_KEY	"local_master_sent"

/*
 * Whether a row is the window's own. Every row is, until the store marks
 * the rows it pulled from the centre's register: those are the centre's
 * and are not sent back.
 */
static bool
outbox_local_own_producer(const struct producer *p)
{
	(void)p;
	return true;
}

static bool
outbox_local_own_product(const struct product *p)
{
	(void)p;
	return true;
}

static json_t *
outbox_local_producer(const struct producer *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "phone", p->phone != NULL ?
	    json_string(p->phone) : json_null());
	return o;
}

static json_t *
outbox_local_product(const struct product *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "price", json_integer(p->price));
	json_object_set_new(o, "unit", json_string(p->unit));
	json_object_set_new(o, "barcode", p->barcode != NULL ?
	    json_string(p->barcode) : json_null());
	json_object_set_new(o, "producer", json_string(p->producer_code));
	json_object_set_new(o, "active", json_boolean(p->active));
	return o;
}

/* The window's own rows now, as two JSON arrays (new references). */
static int
outbox_local_rows(struct store *st, json_t **producers, json_t **products,
    char **cause)
{
	struct producer *p = NULL;
	struct product *q = NULL;
	size_t np = 0, nq = 0;
	int rc;

	if ((rc = sqldb_begin(st->db, false, cause)) != POS_OK)
		return rc;
	if ((rc = catalog_producer_list(st, &p, &np, cause)) == POS_OK)
		rc = catalog_product_search(st, NULL, 0, &q, &nq, cause);
	sqldb_rollback(st->db);
	if (rc != POS_OK)
		goto out;
	*producers = json_array();
	*products = json_array();
	for (size_t i = 0; i < np; i++)
		if (outbox_local_own_producer(&p[i]))
			json_array_append_new(*producers,
			    outbox_local_producer(&p[i]));
	for (size_t i = 0; i < nq; i++)
		if (outbox_local_own_product(&q[i]))
			json_array_append_new(*products,
			    outbox_local_product(&q[i]));
out:
	catalog_producers_free(p, np);
	catalog_products_free(q, nq);
	return rc;
}

/* A page's envelope, the window's identity in it. */
static json_t *
outbox_local_envelope(struct store *st)
{
	json_t *j = json_object();

	json_object_set_new(j, "format", json_integer(1));
	json_object_set_new(j, "branch", json_string(st->branch));
	json_object_set_new(j, "terminal", json_integer(st->terminal));
	json_object_set_new(j, "currency", json_string(st->currency != NULL ?
	    st->currency : st->cfg->currency.code));
	json_object_set_new(j, "decimals", json_integer(st->currency != NULL ?
	    st->decimals : st->cfg->currency.decimals));
	return j;
}

static char *
outbox_local_dump(json_t *j, size_t *len)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s == NULL)
		xalloc_fatal("json_dumps");
	*len = strlen(s);
	return s;
}

/* The round: SHA-256 of the set, who sends it and where to. */
static void
outbox_local_round(struct store *st, json_t *producers, json_t *products,
    char round[LEDGER_HASH_HEX])
{
	static const char hex[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	uint8_t md[SHA256_DIGEST_SIZE];
	json_t *j = outbox_local_envelope(st);
	char *s;
	size_t len;

	json_object_set_new(j, "url", json_string(st->cfg->sync.url));
	json_object_set(j, "producers", producers);
	json_object_set(j, "products", products);
	s = outbox_local_dump(j, &len);
	json_decref(j);
	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)s);
	sha256_digest(&ctx, sizeof md, md);
	free(s);
	for (size_t i = 0; i < sizeof md; i++) {
		round[2 * i] = hex[md[i] >> 4];
		round[2 * i + 1] = hex[md[i] & 15];
	}
	round[2 * sizeof md] = '\0';
}

/* The round last taken whole by the centre ("" if none). */
static int
outbox_local_sent(struct store *st, char round[LEDGER_HASH_HEX],
    char **cause)
{
	sqlite3_stmt *stmt;
	const unsigned char *v;
	int rc = POS_OK;

	round[0] = '\0';
	if ((stmt = sqldb_prepare(st->db, "SELECT value FROM meta WHERE key = '"
	    OUTBOX_LOCAL_KEY "'", cause)) == NULL)
		return POS_FAIL;
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		if ((v = sqlite3_column_text(stmt, 0)) != NULL)
			snprintf(round, LEDGER_HASH_HEX, "%s", v);
		break;
	case SQLITE_DONE:
		break;
	default:
		rc = sqldb_sqlerr(st->db, "cannot read what was sent", cause);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int
outbox_local_note(struct store *st, const char *round, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((stmt = sqldb_prepare(st->db, "INSERT INTO meta (key, value)"
	    " VALUES ('" OUTBOX_LOCAL_KEY "', ?1) ON CONFLICT (key)"
	    " DO UPDATE SET value = excluded.value", cause)) == NULL) {
		sqldb_rollback(st->db);
		return POS_FAIL;
	}
	sqldb_bind_text(stmt, 1, round);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = sqldb_sqlerr(st->db, "cannot note what was sent", cause);
	sqlite3_finalize(stmt);
	if (rc == POS_OK)
		rc = sqldb_commit(st->db, cause);
	else
		sqldb_rollback(st->db);
	return rc;
}

/* rows[from, from + n) of arr as a new array. */
static json_t *
outbox_local_slice(json_t *arr, size_t from, size_t n)
{
	json_t *s = json_array();

	for (size_t i = from; i < from + n && i < json_array_size(arr); i++)
		json_array_append(s, json_array_get(arr, i));
	return s;
}

/* One page: POS_OK on a 200, else a status and *cause. */
static int
outbox_local_page(const struct outbox_link *l, struct store *st,
    const char *round, bool last, json_t *producers, json_t *products,
    char **cause)
{
	struct push_request rq;
	struct push_answer ans;
	json_t *j, *err;
	char *body, *why;
	size_t len;
	long left = (long)(l->deadline - outbox_ms());
	int rc = POS_OK;

	if (left < 200)
		return cause_set(cause, POS_FAIL, "no time left for the next "
		    "page");
	j = outbox_local_envelope(st);
	json_object_set_new(j, "round", json_string(round));
	json_object_set_new(j, "last", json_boolean(last));
	json_object_set(j, "producers", producers);
	json_object_set(j, "products", products);
	body = outbox_local_dump(j, &len);
	json_decref(j);
	memset(&rq, 0, sizeof rq);
	rq.url = l->url;
	rq.token = l->token;
	rq.ca_file = st->cfg->sync.ca_file;
	rq.body = body;
	rq.len = len;
	rq.timeout_ms = left;
	rq.connect_timeout_ms = left < OUTBOX_CONNECT_MS ? left :
	    OUTBOX_CONNECT_MS;
	rq.max_answer = OUTBOX_MAX_ANSWER;
	rq.cancel = l->cancel;
	l->mod->send(&rq, &ans);
	free(body);
	if (ans.transport != PUSH_OK)
		rc = cause_set(cause, POS_FAIL, "%s", ans.error != NULL ?
		    ans.error : "no answer");
	else if (ans.status != 200) {
		j = ans.body != NULL ? json_loads(ans.body, 0, NULL) : NULL;
		err = json_object_get(j, "error");
		why = outbox_clean(json_is_string(err) ?
		    json_string_value(err) : "no reason given");
		rc = cause_set(cause, POS_FAIL, "HTTP %ld: %s", ans.status,
		    why);
		free(why);
		json_decref(j);
	}
	free(ans.body);
	free(ans.error);
	return rc;
}

int
outbox_local(struct store *st, const struct outbox_link *l,
    struct outbox_local_result *out)
{
	json_t *producers = NULL, *products = NULL, *pp, *qq;
	char round[LEDGER_HASH_HEX], sent[LEDGER_HASH_HEX], *cause = NULL;
	size_t np, nq, at = 0, total;
	int rc;

	memset(out, 0, sizeof *out);
	out->tried = true;
	if ((rc = outbox_local_rows(st, &producers, &products, &cause)) !=
	    POS_OK || (rc = outbox_local_sent(st, sent, &cause)) != POS_OK)
		goto out;
	np = json_array_size(producers);
	nq = json_array_size(products);
	outbox_local_round(st, producers, products, round);
	if (strcmp(round, sent) == 0) {
		out->unchanged = true;
		goto out;
	}
	/* Producers first, then products, OUTBOX_LOCAL_PAGE rows a page. */
	total = np + nq;
	do {
		size_t take = total - at < OUTBOX_LOCAL_PAGE ? total - at :
		    OUTBOX_LOCAL_PAGE;
		size_t p_from = at < np ? at : np;
		size_t p_end = at + take < np ? at + take : np;
		size_t p_n = p_end - p_from;
		size_t q_from = at + p_n > np ? at + p_n - np : 0;

		pp = outbox_local_slice(producers, p_from, p_n);
		qq = outbox_local_slice(products, q_from, take - p_n);
		rc = outbox_local_page(l, st, round, at + take == total, pp, qq,
		    &cause);
		json_decref(pp);
		json_decref(qq);
		at += take;
	} while (rc == POS_OK && at < total);
	if (rc == POS_OK && (rc = outbox_local_note(st, round, &cause)) ==
	    POS_OK) {
		out->sent = true;
		out->producers = (int64_t)np;
		out->products = (int64_t)nq;
	}
out:
	out->rc = rc;
	out->error = rc != POS_OK ? (cause != NULL ? cause :
	    xstrdup("failed")) : NULL;
	if (rc == POS_OK)
		free(cause);
	json_decref(producers);
	json_decref(products);
	return rc;
}
