/*
 * The journal from the central server (pull.h).
 */
#include "pull.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cause.h"
#include "catalog.h"
#include "journal.h"
#include "outbox.h"
#include "outbox_int.h"
#include "pushmod.h"
#include "xalloc.h"

/* The error of a refusal: the server's "error", or the status. */
static char *
pull_refusal(const struct push_answer *ans)
{
	json_t *j = json_loadb(ans->body != NULL ? ans->body : "", ans->len,
	    0, NULL);
	const char *e = json_string_value(json_object_get(j, "error"));
	char *msg = outbox_clean(e != NULL ? e : "no reason given");

	json_decref(j);
	return msg;
}

/* A producer named by the journal, made if the store has none of code. */
static int
pull_producer(struct store *st, const char *code, const char *name,
    struct pull_result *out, char **cause)
{
	struct producer p;
	char *why = NULL;
	int rc;

	rc = catalog_producer_get(st, code, &p, &why);
	if (rc == POS_OK) {
		catalog_producer_clear(&p);
		return POS_OK;
	}
	free(why);
	if (rc != POS_INPUT)
		return cause_set(cause, rc, "cannot read producer %s", code);
	if ((rc = catalog_producer_add(st, code, name, NULL, cause)) == POS_OK)
		out->producers++;
	return rc;
}

/*
 * A product named by a sale line: made if missing, else given the line's
 * name and price (the latest sale's are the ones the window last had).
 */
static int
pull_product(struct store *st, const struct ledger_line *l,
    struct pull_result *out, char **cause)
{
	struct product p;
	struct product_change ch = { .price = -1, .active = -1 };
	char *why = NULL;
	int rc;

	if ((rc = pull_producer(st, l->producer_code, l->producer_name, out,
	    cause)) != POS_OK)
		return rc;
	rc = catalog_product_find(st, l->product_code, &p, &why);
	if (rc == POS_INPUT) {
		free(why);
		rc = catalog_product_add(st, l->product_code, l->product_name,
		    l->unit_price, l->unit, l->producer_code, NULL, true,
		    cause);
		if (rc == POS_OK)
			out->products++;
		return rc;
	}
	if (rc != POS_OK)
		return cause_set(cause, rc, "cannot read product %s: %s",
		    l->product_code, why != NULL ? why : "failed");
	if (strcmp(p.code, l->product_code) == 0) {
		if (strcmp(p.name, l->product_name) != 0)
			ch.name = l->product_name;
		if (p.price != l->unit_price)
			ch.price = l->unit_price;
		if (ch.name != NULL || ch.price >= 0)
			rc = catalog_product_set(st, l->product_code, &ch,
			    cause);
	}
	catalog_product_clear(&p);
	return rc;
}

/* What the entry tells of the catalogue. */
static int
pull_catalog(struct store *st, const struct ledger_entry *e,
    struct pull_result *out, char **cause)
{
	int rc = POS_OK;

	if (strcmp(e->kind, "sale") == 0)
		for (size_t i = 0; i < e->nlines && rc == POS_OK; i++)
			rc = pull_product(st, &e->lines[i], out, cause);
	else if (strcmp(e->kind, "refund") == 0)
		for (size_t i = 0; i < e->nlines && rc == POS_OK; i++)
			rc = pull_producer(st, e->lines[i].producer_code,
			    e->lines[i].producer_name, out, cause);
	else if (strcmp(e->kind, "payout") == 0)
		rc = pull_producer(st, e->producer_code, e->producer_name, out,
		    cause);
	return rc;
}

/* The entries of one page into the store; *next is the page after. */
static int
pull_page(struct store *st, const json_t *page, int64_t *after,
    int64_t *next, struct pull_result *out, char **cause)
{
	const json_t *entries = json_object_get(page, "entries");
	const json_t *nx = json_object_get(page, "next");
	struct ledger_entry e;
	char *why = NULL;
	size_t i;
	int rc;

	if (!json_is_array(entries) || (!json_is_null(nx) &&
	    !json_is_integer(nx)))
		return cause_set(cause, POS_FAIL, "the centre's answer after "
		    "seq %lld is not a page of a journal", (long long)*after);
	for (i = 0; i < json_array_size(entries); i++) {
		if (ledger_from_json(json_array_get(entries, i), &e, &why) !=
		    POS_OK) {
			rc = cause_set(cause, POS_INPUT, "the centre's entry "
			    "after seq %lld: %s", (long long)*after, why);
			free(why);
			return rc;
		}
		rc = journal_adopt(st, &e, &why);
		if (rc == POS_OK)
			rc = pull_catalog(st, &e, out, &why);
		if (rc == POS_OK)
			memcpy(out->head, e.hash, LEDGER_HASH_HEX);
		ledger_entry_free(&e);
		if (rc != POS_OK) {
			rc = cause_set(cause, rc, "the centre's journal does "
			    "not verify: %s", why);
			free(why);
			return rc;
		}
		out->entries++;
		(*after)++;
	}
	*next = json_is_null(nx) ? -1 : (int64_t)json_integer_value(nx);
	if (*next >= 0 && (i == 0 || *next != *after))
		return cause_set(cause, POS_FAIL, "the centre's page ends at "
		    "seq %lld but says the next begins after %lld",
		    (long long)*after, (long long)*next);
	return POS_OK;
}

/* One page from the centre, parsed: POS_OK and *page, or a refusal. */
static int
pull_get(struct store *st, int64_t after, int limit, json_t **page,
    char **cause)
{
	struct push_answer ans;
	json_error_t jerr;
	char query[96], *msg;
	int rc;

	*page = NULL;
	snprintf(query, sizeof query, "terminal=%lld&after=%lld&limit=%d",
	    (long long)st->terminal, (long long)after, limit);
	if ((rc = outbox_fetch(st->cfg, query, &ans, cause)) != POS_OK)
		goto out;
	if (ans.status != 200) {
		msg = pull_refusal(&ans);
		rc = ans.status == 401 || ans.status == 403 ? POS_DENIED :
		    ans.status == 404 || ans.status == 400 ? POS_INPUT :
		    POS_FAIL;
		cause_set(cause, rc, "the central server answered %ld: %s",
		    ans.status, msg);
		free(msg);
		goto out;
	}
	if ((*page = json_loadb(ans.body, ans.len, 0, &jerr)) == NULL ||
	    !json_is_object(*page)) {
		json_decref(*page);
		*page = NULL;
		rc = cause_set(cause, POS_FAIL, "the central server's answer "
		    "is not a JSON object: %s", jerr.text);
	}
out:
	free(ans.body);
	free(ans.error);
	return rc;
}

int
pull_page_default(void)
{
	const char *v = getenv("POS_SYNC_PAGE");
	char *end;
	long n;

	if (v == NULL)
		return PULL_PAGE;
	n = strtol(v, &end, 10);
	return end != v && *end == '\0' && n >= 1 && n <= PULL_MAX_PAGE ?
	    (int)n : PULL_PAGE;
}

int
pull_journal(struct store *st, int limit, struct pull_result *out,
    char **cause)
{
	const char *head;
	json_t *page = NULL;
	int64_t after = 0, next = 0, acked = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (limit < 1 || limit > PULL_MAX_PAGE)
		limit = PULL_PAGE;
	if ((rc = store_need_identity(st, cause)) != POS_OK)
		return rc;
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	while (next >= 0) {
		if ((rc = pull_get(st, after, limit, &page, cause)) != POS_OK)
			goto fail;
		out->pages++;
		acked = json_integer_value(json_object_get(page,
		    "acked_through"));
		head = json_string_value(json_object_get(page, "head"));
		if ((rc = pull_page(st, page, &after, &next, out, cause)) !=
		    POS_OK)
			goto fail;
		if (next < 0 && (after != acked || head == NULL ||
		    strcmp(head, out->head) != 0)) {
			rc = cause_set(cause, POS_INPUT, "the centre's journal "
			    "does not verify: it says its head is seq %lld "
			    "%s, the entries it gave end at seq %lld %s",
			    (long long)acked, head != NULL ? head : "?",
			    (long long)after, out->head);
			goto fail;
		}
		json_decref(page);
		page = NULL;
	}
	if ((rc = outbox_checkpoint(st, after, out->head, true, cause)) !=
	    POS_OK)
		goto fail;
	return sqldb_commit(st->db, cause);
fail:
	json_decref(page);
	sqldb_rollback(st->db);
	return rc;
}
