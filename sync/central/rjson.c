/*
 * The office's reports as JSON (rjson.h): one builder for the command
 * line and the HTTP side.
 */
#include "rjson.h"

#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "cdays.h"
#include "creport.h"
#include "money.h"

static json_t *
rjson_producer_json(const struct cstore_producer *p)
{
	json_t *o = json_object(), *wins = json_array();

	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "currency", json_string(p->currency));
	json_object_set_new(o, "decimals", json_integer(p->decimals));
	json_object_set_new(o, "sold", money_json(p->sold, p->decimals));
	json_object_set_new(o, "refunded",
	    money_json(p->refunded, p->decimals));
	json_object_set_new(o, "net", money_json(p->net, p->decimals));
	json_object_set_new(o, "paid_out",
	    money_json(p->paid_out, p->decimals));
	json_object_set_new(o, "balance",
	    money_json(p->balance, p->decimals));
	/*
	 * As at the window: what is owed is never negative; a producer paid
	 * for what was then refunded or voided owes the windows instead.
	 */
	json_object_set_new(o, "owed", money_json(p->owed > 0 ? p->owed : 0,
	    p->decimals));
	json_object_set_new(o, "owes_window",
	    money_json(p->owed < 0 ? -p->owed : 0, p->decimals));
	json_object_set_new(o, "branches", json_integer(p->branches));
	/*
	 * Its share at each window, owed as that window shows it: the
	 * windows' nets and payouts add up to the producer's, and so do
	 * their owed less owes_window.
	 */
	for (size_t k = 0; k < p->nwindows; k++) {
		const struct cstore_pwindow *w = &p->windows[k];
		json_t *wo = json_object();

		json_object_set_new(wo, "branch", json_string(w->branch));
		json_object_set_new(wo, "terminal", json_integer(w->terminal));
		json_object_set_new(wo, "net", money_json(w->net, p->decimals));
		json_object_set_new(wo, "paid_out",
		    money_json(w->paid_out, p->decimals));
		json_object_set_new(wo, "owed", money_json(w->owed > 0 ?
		    w->owed : 0, p->decimals));
		json_object_set_new(wo, "owes_window", money_json(w->owed < 0 ?
		    -w->owed : 0, p->decimals));
		json_array_append_new(wins, wo);
	}
	json_object_set_new(o, "windows", wins);
	return o;
}

static json_t *
rjson_total_json(const struct creport_total *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "currency", json_string(t->currency));
	json_object_set_new(o, "decimals", json_integer(t->decimals));
	json_object_set_new(o, "sold", money_json(t->sold, t->decimals));
	json_object_set_new(o, "refunded",
	    money_json(t->refunded, t->decimals));
	json_object_set_new(o, "net", money_json(t->net, t->decimals));
	json_object_set_new(o, "paid_out",
	    money_json(t->paid_out, t->decimals));
	return o;
}

json_t *
rjson_producer_rows(const struct cstore_producer *p, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, rjson_producer_json(&p[i]));
	return arr;
}

/* from and to are null in the JSON unless they were asked for. */
static json_t *
rjson_producers_json(const struct creport_producers *r, bool from_given,
    bool to_given)
{
	json_t *j = json_object(), *arr = json_array(), *tarr = json_array();

	json_object_set_new(j, "from", from_given ? json_string(r->from) :
	    json_null());
	json_object_set_new(j, "to", to_given ? json_string(r->to) :
	    json_null());
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(arr, rjson_producer_json(
		    &r->producers[i]));
	json_object_set_new(j, "producers", arr);
	for (size_t k = 0; k < r->ntotals; k++)
		json_array_append_new(tarr, rjson_total_json(&r->totals[k]));
	json_object_set_new(j, "totals", tarr);
	json_object_set_new(j, "net", r->ntotals == 1 ?
	    money_json(r->totals[0].net, r->totals[0].decimals) :
	    json_null());
	return j;
}

/* A chain with its days, those in [from, to] (NULL: no bound). */
static json_t *
rjson_chain_json(const struct creport_chain *ch, const char *from,
    const char *to)
{
	const struct cstore_chain *c = ch->chain;
	json_t *o = json_object(), *darr = json_array();

	for (size_t k = 0; k < ch->ndays; k++) {
		json_t *d;

		if ((from != NULL && strcmp(ch->days[k].date, from) < 0) ||
		    (to != NULL && strcmp(ch->days[k].date, to) > 0))
			continue;
		d = json_object();

		json_object_set_new(d, "date", json_string(ch->days[k].date));
		json_object_set_new(d, "opened",
		    json_boolean(ch->days[k].open_seq > 0));
		json_object_set_new(d, "closed",
		    json_boolean(ch->days[k].close_seq > 0));
		json_object_set_new(d, "entries",
		    json_integer(ch->days[k].entries));
		json_object_set_new(d, "sessions",
		    json_integer(ch->days[k].sessions));
		json_array_append_new(darr, d);
	}
	json_object_set_new(o, "branch", json_string(c->branch));
	json_object_set_new(o, "terminal", json_integer(c->terminal));
	json_object_set_new(o, "last_seq", json_integer(c->last_seq));
	json_object_set_new(o, "head", json_string(c->head));
	json_object_set_new(o, "first_received",
	    json_string(c->first_received));
	json_object_set_new(o, "last_received", json_string(c->last_received));
	json_object_set_new(o, "last_sync", json_string(c->last_received));
	json_object_set_new(o, "days", darr);
	json_object_set_new(o, "latest_day", ch->latest != NULL ?
	    json_string(ch->latest->date) : json_null());
	json_object_set_new(o, "latest_closed",
	    json_boolean(ch->latest != NULL && ch->latest->close_seq > 0));
	json_object_set_new(o, "date_closed", json_boolean(ch->date_closed));
	return o;
}

static json_t *
rjson_missing_json(const struct creport_missing *m)
{
	json_t *o = json_object(), *r = json_array(), *why = json_array();

	json_object_set_new(o, "branch", json_string(m->branch));
	json_object_set_new(o, "terminal", m->terminal != 0 ?
	    json_integer(m->terminal) : json_null());
	for (size_t q = 0; q < m->nreasons; q++)
		json_array_append_new(r, json_string(m->reasons[q]));
	json_object_set_new(o, "reasons", r);
	/* The same as codes, with what they name (for pages in any tongue). */
	if (m->why & CREPORT_NEVER_SYNCED)
		json_array_append_new(why, json_string("never_synced"));
	if (m->why & CREPORT_BEHIND)
		json_array_append_new(why, json_string("behind"));
	if (m->why & CREPORT_NOT_CLOSED)
		json_array_append_new(why, json_string("not_closed"));
	json_object_set_new(o, "why", why);
	json_object_set_new(o, "latest_day", m->latest_day[0] != '\0' ?
	    json_string(m->latest_day) : json_null());
	json_object_set_new(o, "last_sync", m->last_received != NULL ?
	    json_string(m->last_received) : json_null());
	return o;
}

static json_t *
rjson_days_json(const struct creport_days *r, const struct cdays *money,
    const char *from, const char *to)
{
	json_t *j = json_object(), *chains = json_array(),
	    *missing = json_array(), *rows = json_array();

	json_object_set_new(j, "date", r->date[0] != '\0' ?
	    json_string(r->date) : json_null());
	for (size_t i = 0; i < r->nchains; i++)
		json_array_append_new(chains, rjson_chain_json(&r->chains[i],
		    from, to));
	for (size_t i = 0; i < r->nmissing; i++)
		json_array_append_new(missing,
		    rjson_missing_json(&r->missing[i]));
	for (size_t i = 0; i < money->n; i++)
		json_array_append_new(rows, cdays_row_json(&money->rows[i]));
	json_object_set_new(j, "chains", chains);
	json_object_set_new(j, "missing", missing);
	json_object_set_new(j, "days", rows);
	return j;
}

int
rjson_period(const struct rjson_query *q, const char **from, const char **to,
    char **cause)
{
	const char *pre = q->prefix != NULL ? q->prefix : "";

	*from = q->from;
	*to = q->to;
	if (q->date != NULL && (q->from != NULL || q->to != NULL))
		return cause_set(cause, POS_INPUT,
		    "%sdate or %sfrom/%sto, not both", pre, pre, pre);
	if (q->date != NULL && !creport_date_valid(q->date))
		return cause_set(cause, POS_INPUT,
		    "%sdate: must be YYYY-MM-DD, got \"%s\"", pre, q->date);
	if (q->date != NULL)
		*from = *to = q->date;
	if ((*from != NULL && !creport_date_valid(*from)) ||
	    (*to != NULL && !creport_date_valid(*to)))
		return cause_set(cause, POS_INPUT, "dates must be YYYY-MM-DD");
	if (*from != NULL && *to != NULL && strcmp(*from, *to) > 0)
		return cause_set(cause, POS_INPUT,
		    "%sfrom %s is after %sto %s", pre, *from, pre, *to);
	return POS_OK;
}

int
rjson_producers(struct cstore *st, const struct rjson_query *q, json_t **out,
    char **cause)
{
	struct creport_producers r;
	const char *from, *to;
	int rc;

	*out = NULL;
	if ((rc = rjson_period(q, &from, &to, cause)) != POS_OK)
		return rc;
	if (creport_producer(st, q->producer, from, to, &r, cause) != POS_OK)
		return POS_FAIL;
	*out = rjson_producers_json(&r, from != NULL, to != NULL);
	creport_producers_free(&r);
	return POS_OK;
}

int
rjson_days(struct cstore *st, const struct rjson_query *q, json_t **out,
    char **cause)
{
	struct creport_days r;
	struct cdays money;
	const char *from, *to, *asked_from, *asked_to;
	int rc;

	*out = NULL;
	if ((rc = rjson_period(q, &from, &to, cause)) != POS_OK)
		return rc;
	/* A chain's days: those of the period asked, else every one. */
	asked_from = from;
	asked_to = to;
	/* Only the days shown are read (all of them when none is asked). */
	if (q->no_chain_days)
		rc = creport_days_of(st, q->date, q->date, q->date, &r, cause);
	else if (from != NULL || to != NULL)
		rc = creport_days_of(st, q->date, from != NULL ? from : "0",
		    to != NULL ? to : "9", &r, cause);
	else
		rc = creport_days(st, q->date, &r, cause);
	if (rc != POS_OK)
		return POS_FAIL;
	/*
	 * No period asked: the report's date, as for missing (a scan of
	 * every date is what from/to are for).
	 */
	if (from == NULL && to == NULL && r.date[0] != '\0')
		from = to = r.date;
	if (cdays_read(st, from, to, &money, cause) != POS_OK) {
		creport_days_free(&r);
		return POS_FAIL;
	}
	*out = rjson_days_json(&r, &money, asked_from, asked_to);
	creport_days_free(&r);
	cdays_free(&money);
	return POS_OK;
}

int
rjson_missing(struct cstore *st, const struct rjson_query *q, json_t **out,
    char **cause)
{
	const char *pre = q->prefix != NULL ? q->prefix : "";
	long long hours = 24;
	char *end;

	*out = NULL;
	if (q->hours != NULL) {
		hours = strtoll(q->hours, &end, 10);
		if (*q->hours == '\0' || *end != '\0' || hours < 0 ||
		    hours > 100000)
			return cause_set(cause, POS_INPUT, "%shours: a whole "
			    "number of hours from 0 to 100000, got \"%s\"", pre,
			    q->hours);
	}
	if (cdays_missing(st, hours, out, cause) != POS_OK)
		return POS_FAIL;
	return POS_OK;
}
