/*
 * Sales, voids and refunds.
 *
 * Amounts are minor units: every division says how it rounds. A line's
 * total is price x qty rounded half up; the sale discount is shared over
 * the lines by largest remainder, so the shares are exact and sum to it.
 * A partial refund returns R(done + q) - R(done), where R(k) is the line's
 * net scaled to k of its units and rounded half up: refunding every unit,
 * in any number of steps, returns exactly the line's net. Its share of
 * the line's discount is scaled the same way on its own, and the refund
 * line's total is the two added: each step's discount is between 0 and its
 * total, and all the steps sum to the sale line exactly.
 */
#include "sale.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "journal.h"
#include "money.h"
#include "report.h"
#include "text.h"
#include "user.h"
#include "xalloc.h"

/* Products of two amounts need 128 bits before they are divided back down. */
__extension__ typedef __int128 i128;

int
sale_valid_method(const char *m)
{
	return strcmp(m, "cash") == 0 || strcmp(m, "card") == 0 ||
	    strcmp(m, "other") == 0;
}

void
sale_share(int64_t amount, const int64_t *w, size_t n, int64_t *shares)
{
	i128 sum = 0, rem;
	int64_t given = 0, *frac;
	size_t i, best;

	for (i = 0; i < n; i++)
		sum += w[i];
	if (n == 0)
		return;
	if (sum == 0) {
		memset(shares, 0, n * sizeof *shares);
		shares[0] = amount;
		return;
	}
	frac = xcalloc(n, sizeof *frac);
	for (i = 0; i < n; i++) {
		i128 p = (i128)amount * w[i];

		shares[i] = (int64_t)(p / sum);
		rem = p % sum;
		frac[i] = (int64_t)rem;	/* rem < sum: fits */
		given += shares[i];
	}
	/* Hand out what flooring left, one unit each, largest remainder first. */
	while (given < amount) {
		best = 0;
		for (i = 1; i < n; i++)
			if (frac[i] > frac[best])
				best = i;
		shares[best]++;
		frac[best] = -1;
		given++;
	}
	free(frac);
}

/* round_half_up(v * k / q) for v, k >= 0 and q > 0. */
static int64_t
sale_scale(int64_t v, int64_t k, int64_t q)
{
	i128 p = (i128)v * k;

	return (int64_t)((2 * p + q) / (2 * (i128)q));
}

static void
sale_line_from(struct ledger_line *l, const struct product *p, int64_t qty)
{
	l->product_code = xstrdup(p->code);
	l->product_name = xstrdup(p->name);
	l->producer_code = xstrdup(p->producer_code);
	l->producer_name = xstrdup(p->producer_name);
	l->unit = xstrdup(p->unit);
	l->qty = qty;
	l->unit_price = p->price;
}

/* Check a quantity against the product's unit. */
static int
sale_check_qty(const struct product *p, int64_t qty, char **cause)
{
	char q[32];

	qty_format(qty, q, sizeof q);
	if (qty <= 0)
		return cause_set(cause, POS_INPUT, "%s: quantity must be "
		    "positive", p->code);
	if (strcmp(p->unit, "piece") == 0 && qty % 1000 != 0)
		return cause_set(cause, POS_INPUT, "%s is sold by the piece: "
		    "quantity %s must be whole", p->code, q);
	return POS_OK;
}

/* Build the lines of a sale, merging repeated products into one line. */
static int
sale_lines(struct store *st, const struct sale_request *req,
    struct ledger_entry *e, char **cause)
{
	struct product p;
	size_t i, j;
	int rc;

	if (req->nitems == 0)
		return cause_set(cause, POS_INPUT, "a sale needs at least "
		    "one item");
	if (req->nitems > 500)
		return cause_set(cause, POS_INPUT, "a sale has at most 500 "
		    "items");
	e->lines = xcalloc(req->nitems, sizeof *e->lines);
	for (i = 0; i < req->nitems; i++) {
		rc = catalog_product_find(st, req->items[i].item, &p, cause);
		if (rc != POS_OK)
			return rc;
		if (!p.active) {
			rc = cause_set(cause, POS_INPUT, "product %s is not "
			    "for sale (inactive)", p.code);
			goto fail;
		}
		if ((rc = sale_check_qty(&p, req->items[i].qty, cause)) !=
		    POS_OK)
			goto fail;
		for (j = 0; j < e->nlines; j++)
			if (strcmp(e->lines[j].product_code, p.code) == 0)
				break;
		if (j < e->nlines) {
			e->lines[j].qty += req->items[i].qty;
			if (e->lines[j].qty > MONEY_LIMIT) {
				rc = cause_set(cause, POS_INPUT,
				    "%s: quantity too large", p.code);
				goto fail;
			}
		} else
			sale_line_from(&e->lines[e->nlines++], &p,
			    req->items[i].qty);
		catalog_product_clear(&p);
	}
	return POS_OK;
fail:
	catalog_product_clear(&p);
	return rc;
}

/* Apply the payments; no payments means exact cash. */
static int
sale_payments(const struct sale_request *req, struct ledger_entry *e,
    char **cause)
{
	int64_t cash = 0, other = 0, change;
	size_t i;

	if (req->npays > 16)
		return cause_set(cause, POS_INPUT, "at most 16 payments");
	if (req->npays == 0) {
		e->payments = xcalloc(1, sizeof *e->payments);
		e->npayments = 1;
		e->payments[0].method = xstrdup("cash");
		e->payments[0].tendered = e->total;
		e->payments[0].amount = e->total;
		e->paid = e->total;
		return POS_OK;
	}
	for (i = 0; i < req->npays; i++) {
		if (!sale_valid_method(req->pays[i].method))
			return cause_set(cause, POS_INPUT, "payment method "
			    "must be cash, card or other, got \"%s\"",
			    req->pays[i].method);
		if (req->pays[i].amount <= 0 ||
		    req->pays[i].amount > MONEY_LIMIT)
			return cause_set(cause, POS_INPUT, "payment amounts "
			    "must be positive");
		if (strcmp(req->pays[i].method, "cash") == 0)
			cash += req->pays[i].amount;
		else
			other += req->pays[i].amount;
	}
	if (other > e->total)
		return cause_set(cause, POS_INPUT, "card and other payments "
		    "may not exceed what is due");
	if (cash + other < e->total)
		return cause_set(cause, POS_INPUT, "payments fall short of "
		    "the total by %lld minor units",
		    (long long)(e->total - cash - other));
	change = cash + other - e->total;
	e->paid = cash + other;
	e->change = change;
	e->payments = xcalloc(req->npays, sizeof *e->payments);
	e->npayments = req->npays;
	/* Change comes out of the cash, taken from the last cash payment back. */
	for (i = req->npays; i-- > 0;) {
		struct ledger_payment *p = &e->payments[i];

		p->method = xstrdup(req->pays[i].method);
		p->tendered = req->pays[i].amount;
		p->amount = p->tendered;
		if (strcmp(p->method, "cash") == 0 && change > 0) {
			int64_t take = change < p->amount ? change : p->amount;

			p->amount -= take;
			change -= take;
		}
	}
	return POS_OK;
}

/*
 * Check a built sale, void or refund with the ledger's rules, which the
 * central server applies too: what does not add up here would be refused
 * there, so it is not committed.
 */
static int
sale_check_rules(const struct ledger_entry *e, char **cause)
{
	char *why = NULL;
	int rc;

	if (ledger_rules_amounts(e, &why) == POS_OK)
		return POS_OK;
	rc = cause_set(cause, POS_FAIL, "the %s does not add up: %s", e->kind,
	    why);
	free(why);
	return rc;
}

int
sale_sell(struct store *st, const struct sale_request *req,
    struct ledger_entry *out, char **cause)
{
	struct ledger_entry e;
	enum user_role role;
	char date[11];
	int64_t gross = 0, *weights = NULL, *shares = NULL;
	size_t i;
	int rc;

	memset(&e, 0, sizeof e);
	memset(out, 0, sizeof *out);
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((rc = store_need_identity(st, cause)) != POS_OK ||
	    (rc = user_get(st, req->user, &role, cause)) != POS_OK ||
	    (rc = journal_need_open_day(st, date, cause)) != POS_OK ||
	    (rc = sale_lines(st, req, &e, cause)) != POS_OK)
		goto fail;
	weights = xcalloc(e.nlines, sizeof *weights);
	shares = xcalloc(e.nlines, sizeof *shares);
	for (i = 0; i < e.nlines; i++) {
		struct ledger_line *l = &e.lines[i];

		if (money_mul_qty(l->unit_price, l->qty, &l->total) != 0 ||
		    (gross += l->total) > MONEY_LIMIT) {
			rc = cause_set(cause, POS_INPUT, "the sale total is "
			    "too large");
			goto fail;
		}
		weights[i] = l->total;
	}
	if (req->discount < 0 || req->discount > gross) {
		rc = cause_set(cause, POS_INPUT, "discount must be between 0 "
		    "and the sale's gross total");
		goto fail;
	}
	sale_share(req->discount, weights, e.nlines, shares);
	for (i = 0; i < e.nlines; i++) {
		e.lines[i].discount = shares[i];
		e.lines[i].net = e.lines[i].total - shares[i];
	}
	e.discount = req->discount;
	e.total = gross - req->discount;
	if ((rc = sale_payments(req, &e, cause)) != POS_OK ||
	    (rc = journal_stamp(st, &e, "sale", req->user, date, cause)) !=
	    POS_OK ||
	    (rc = sale_check_rules(&e, cause)) != POS_OK ||
	    (rc = journal_append(st, &e, 0, cause)) != POS_OK ||
	    (rc = sqldb_commit(st->db, cause)) != POS_OK)
		goto fail;
	free(weights);
	free(shares);
	*out = e;
	return POS_OK;
fail:
	sqldb_rollback(st->db);
	free(weights);
	free(shares);
	ledger_entry_free(&e);
	return rc;
}

/* Count the void and refund entries that correct seq. */
static int
sale_corrections(struct store *st, int64_t seq, int64_t *voids,
    int64_t *refunds, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	stmt = sqldb_prepare(st->db,
	    "SELECT count(*) FILTER (WHERE kind = 'void'),"
	    " count(*) FILTER (WHERE kind = 'refund') FROM journal"
	    " WHERE ref_seq = ?", cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, seq);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*voids = sqlite3_column_int64(stmt, 0);
		*refunds = sqlite3_column_int64(stmt, 1);
	} else
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqlite3_finalize(stmt);
	return rc;
}

/* Load the sale behind a receipt number, refusing anything else. */
static int
sale_load_sale(struct store *st, const char *receipt, struct ledger_entry *s,
    int64_t *voids, int64_t *refunds, char **cause)
{
	int64_t seq;
	int rc;

	memset(s, 0, sizeof *s);
	if ((rc = journal_find(st, receipt, &seq, cause)) != POS_OK ||
	    (rc = journal_load(st, seq, s, cause)) != POS_OK)
		return rc;
	if (strcmp(s->kind, "sale") != 0)
		return cause_set(cause, POS_INPUT, "%s is a %s, not a sale",
		    receipt, s->kind);
	return sale_corrections(st, seq, voids, refunds, cause);
}

static int
sale_check_reason(const char *reason, bool required, char **cause)
{
	if (reason == NULL) {
		if (required)
			return cause_set(cause, POS_INPUT, "a reason is "
			    "needed");
		return POS_OK;
	}
	if (!text_valid_name(reason))
		return cause_set(cause, POS_INPUT, "reason: must be 1-120 "
		    "characters without control characters");
	return POS_OK;
}

/* What a sale or a refund moved by one method (payments' amounts). */
static int64_t
sale_paid_by(const struct ledger_entry *e, const char *method)
{
	int64_t sum = 0;

	for (size_t i = 0; i < e->npayments; i++)
		if (strcmp(e->payments[i].method, method) == 0)
			sum += e->payments[i].amount;
	return sum;
}

/*
 * The drawer never goes below zero: taking cash out of it for `what` is
 * refused when the day's expected cash does not hold it.
 */
static int
sale_drawer_floor(struct store *st, const char *date, int64_t cash,
    const char *what, char **cause)
{
	struct report_day r;
	char a[32], b[32];
	int rc;

	if (cash <= 0)
		return POS_OK;
	/* The drawer is the open session's: a closed one was counted. */
	if ((rc = report_session(st, date, 0, &r, cause)) != POS_OK)
		return rc;
	if (cash <= r.expected_cash)
		return POS_OK;
	money_format(cash, st->cfg->currency.decimals, a, sizeof a);
	money_format(r.expected_cash, st->cfg->currency.decimals, b, sizeof b);
	return cause_set(cause, POS_INPUT, "cannot %s: it would take %s cash "
	    "from the drawer, which should hold only %s", what, a, b);
}

int
sale_void(struct store *st, const char *receipt, const char *user,
    const char *reason, struct ledger_entry *out, char **cause)
{
	struct ledger_entry s, e;
	struct journal_session sess;
	int64_t voids, refunds;
	char date[11];
	int rc;

	memset(&e, 0, sizeof e);
	memset(&s, 0, sizeof s);
	memset(out, 0, sizeof *out);
	if ((rc = sale_check_reason(reason, true, cause)) != POS_OK)
		return rc;
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((rc = user_need_supervisor(st, user, cause)) != POS_OK ||
	    (rc = journal_need_open_day(st, date, cause)) != POS_OK ||
	    (rc = sale_load_sale(st, receipt, &s, &voids, &refunds, cause)) !=
	    POS_OK)
		goto fail;
	if (voids > 0) {
		rc = cause_set(cause, POS_INPUT, "%s is already voided",
		    receipt);
		goto fail;
	}
	if (refunds > 0) {
		rc = cause_set(cause, POS_INPUT, "%s has a refund and cannot "
		    "be voided", receipt);
		goto fail;
	}
	if (strcmp(s.business_date, date) != 0) {
		rc = cause_set(cause, POS_INPUT, "%s is from %s: only a sale "
		    "of the open day (%s) can be voided; refund it instead",
		    receipt, s.business_date, date);
		goto fail;
	}
	/* A closed session's Z never changes: its sales are refunded. */
	if ((rc = journal_session(st, &sess, cause)) != POS_OK)
		goto fail;
	if (s.seq < sess.open_seq) {
		rc = cause_set(cause, POS_INPUT, "%s is from a closed "
		    "session of %s: only a sale of the open session (#%lld) "
		    "can be voided; refund it instead", receipt, date,
		    (long long)sess.session);
		goto fail;
	}
	if ((rc = sale_drawer_floor(st, date, sale_paid_by(&s, "cash"),
	    "void it", cause)) != POS_OK)
		goto fail;
	e.ref_uuid = xstrdup(s.uuid);
	e.ref_receipt = xstrdup(s.receipt);
	e.reason = xstrdup(reason);
	e.total = s.total;
	e.discount = s.discount;
	e.paid = s.paid;
	e.change = s.change;
	if ((rc = journal_stamp(st, &e, "void", user, date, cause)) != POS_OK ||
	    (rc = sale_check_rules(&e, cause)) != POS_OK ||
	    (rc = journal_append(st, &e, s.seq, cause)) != POS_OK ||
	    (rc = sqldb_commit(st->db, cause)) != POS_OK)
		goto fail;
	ledger_entry_free(&s);
	*out = e;
	return POS_OK;
fail:
	sqldb_rollback(st->db);
	ledger_entry_free(&s);
	ledger_entry_free(&e);
	return rc;
}

/* Quantity and net already refunded of one product of a sale. */
static int
sale_refunded(struct store *st, int64_t seq, const char *code, int64_t *qty,
    int64_t *total, int64_t *net, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	stmt = sqldb_prepare(st->db, "SELECT coalesce(sum(l.qty), 0),"
	    " coalesce(sum(l.total), 0), coalesce(sum(l.net), 0)"
	    " FROM journal j JOIN journal_lines l ON l.seq = j.seq"
	    " WHERE j.kind = 'refund' AND j.ref_seq = ? AND l.product_code = ?",
	    cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, seq);
	sqldb_bind_text(stmt, 2, code);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*qty = sqlite3_column_int64(stmt, 0);
		*total = sqlite3_column_int64(stmt, 1);
		*net = sqlite3_column_int64(stmt, 2);
	} else
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqlite3_finalize(stmt);
	return rc;
}

/* Which line of the sale an item names: a product code, else a barcode. */
static int
sale_find_line(struct store *st, const struct ledger_entry *s,
    const char *item, size_t *idx, char **cause)
{
	struct product p;
	size_t i;
	int rc;

	for (i = 0; i < s->nlines; i++)
		if (strcmp(s->lines[i].product_code, item) == 0)
			goto found;
	rc = catalog_product_find(st, item, &p, cause);
	if (rc == POS_INPUT)
		return cause_set(cause, POS_INPUT, "%s was not sold on %s",
		    item, s->receipt);
	if (rc != POS_OK)
		return rc;
	for (i = 0; i < s->nlines; i++)
		if (strcmp(s->lines[i].product_code, p.code) == 0)
			break;
	catalog_product_clear(&p);
	if (i == s->nlines)
		return cause_set(cause, POS_INPUT, "%s was not sold on %s",
		    item, s->receipt);
found:
	*idx = i;
	return POS_OK;
}

/* The arguments of a refund that need no store: method, reason, items. */
static int
sale_refund_check_args(const char *to, const char *reason, size_t nitems,
    char **cause)
{
	int rc;

	if (to != NULL && !sale_valid_method(to))
		return cause_set(cause, POS_INPUT, "--to must be cash, card "
		    "or other, got \"%s\"", to);
	if ((rc = sale_check_reason(reason, false, cause)) != POS_OK)
		return rc;
	if (nitems == 0)
		return cause_set(cause, POS_INPUT, "name the items to refund");
	return POS_OK;
}

/*
 * Fill want[i] (s->nlines entries, zeroed by the caller) with the quantity
 * asked of sale line i; -1 = all that remains.
 */
static int
sale_refund_want(struct store *st, const struct ledger_entry *s,
    const struct sale_item *items, size_t nitems, int64_t *want, char **cause)
{
	size_t i = 0, k;
	int rc;

	for (k = 0; k < nitems; k++) {
		if ((rc = sale_find_line(st, s, items[k].item, &i, cause)) !=
		    POS_OK)
			return rc;
		if (items[k].qty == 0 || want[i] == -1)
			want[i] = -1;
		else
			want[i] += items[k].qty;
	}
	return POS_OK;
}

/*
 * Check the quantity asked of sale line sl against what remains and add
 * the refund line to e (whose lines have room for every sale line).
 */
static int
sale_refund_line(struct store *st, const struct ledger_entry *s,
    const char *receipt, const struct ledger_line *sl, int64_t want,
    struct ledger_entry *e, char **cause)
{
	struct ledger_line *l;
	int64_t dqty = 0, dtotal = 0, dnet = 0, left, q;
	char q1[32], q2[32];
	int rc;

	if ((rc = sale_refunded(st, s->seq, sl->product_code, &dqty,
	    &dtotal, &dnet, cause)) != POS_OK)
		return rc;
	left = sl->qty - dqty;
	q = want == -1 ? left : want;
	qty_format(q, q1, sizeof q1);
	qty_format(left, q2, sizeof q2);
	if (left <= 0)
		return cause_set(cause, POS_INPUT, "%s on %s is already "
		    "fully refunded", sl->product_code, receipt);
	if (q > left)
		return cause_set(cause, POS_INPUT, "cannot refund %s of "
		    "%s on %s: only %s remain", q1, sl->product_code,
		    receipt, q2);
	if (strcmp(sl->unit, "piece") == 0 && q % 1000 != 0)
		return cause_set(cause, POS_INPUT, "%s is sold by the "
		    "piece: quantity %s must be whole",
		    sl->product_code, q1);
	l = &e->lines[e->nlines++];
	l->product_code = xstrdup(sl->product_code);
	l->product_name = xstrdup(sl->product_name);
	l->producer_code = xstrdup(sl->producer_code);
	l->producer_name = xstrdup(sl->producer_name);
	l->unit = xstrdup(sl->unit);
	l->qty = q;
	l->unit_price = sl->unit_price;
	l->net = sale_scale(sl->net, dqty + q, sl->qty) - dnet;
	/*
	 * Refunds written when the total was scaled instead may have given
	 * back more discount than this scaling has reached: never below 0.
	 */
	l->discount = sale_scale(sl->discount, dqty + q, sl->qty) -
	    (dtotal - dnet);
	if (l->discount < 0)
		l->discount = 0;
	l->total = l->net + l->discount;
	e->total += l->net;
	return POS_OK;
}

/* What refunds of sale seq have already given back by method. */
static int
sale_refunded_to(struct store *st, int64_t seq, const char *method,
    int64_t *sum, char **cause)
{
	sqlite3_stmt *stmt;
	int rc = POS_OK;

	stmt = sqldb_prepare(st->db, "SELECT coalesce(sum(p.amount), 0)"
	    " FROM journal j JOIN journal_payments p ON p.seq = j.seq"
	    " WHERE j.kind = 'refund' AND j.ref_seq = ? AND p.method = ?",
	    cause);
	if (stmt == NULL)
		return POS_FAIL;
	sqlite3_bind_int64(stmt, 1, seq);
	sqldb_bind_text(stmt, 2, method);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*sum = sqlite3_column_int64(stmt, 0);
	else
		rc = sqldb_sqlerr(st->db, "cannot read the journal", cause);
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Refunds go back the way the money came: *to (NULL: cash if the sale
 * took cash, else the first method that paid) must have paid the sale,
 * and not less than what it has already given back plus this refund.
 */
static int
sale_refund_method(struct store *st, const struct ledger_entry *s,
    int64_t total, const char **to, char **cause)
{
	int64_t paid, back = 0;
	char a[32], b[32], c[32];
	int dec = st->cfg->currency.decimals, rc;

	if (*to == NULL) {
		*to = "cash";
		for (size_t i = 0; sale_paid_by(s, "cash") == 0 &&
		    i < s->npayments; i++)
			if (s->payments[i].amount > 0) {
				*to = s->payments[i].method;
				break;
			}
	}
	if (total == 0)
		return POS_OK;
	if ((paid = sale_paid_by(s, *to)) == 0)
		return cause_set(cause, POS_INPUT, "cannot refund %s by %s: "
		    "it was not paid by %s (money goes back the way it came)",
		    s->receipt, *to, *to);
	if ((rc = sale_refunded_to(st, s->seq, *to, &back, cause)) != POS_OK)
		return rc;
	if (total <= paid - back)
		return POS_OK;
	money_format(total, dec, a, sizeof a);
	money_format(paid, dec, b, sizeof b);
	money_format(back, dec, c, sizeof c);
	return cause_set(cause, POS_INPUT, "cannot refund %s by %s: %s paid "
	    "%s by %s, of which %s is already refunded", a, *to, s->receipt, b,
	    *to, c);
}

/* Reference, reason, discount and the one payment of a built refund. */
static void
sale_refund_settle(struct ledger_entry *e, const struct ledger_entry *s,
    const char *reason, const char *to)
{
	size_t i;

	e->ref_uuid = xstrdup(s->uuid);
	e->ref_receipt = xstrdup(s->receipt);
	e->reason = reason != NULL ? xstrdup(reason) : NULL;
	e->discount = 0;
	for (i = 0; i < e->nlines; i++)
		e->discount += e->lines[i].discount;
	e->paid = e->total;
	e->payments = xcalloc(1, sizeof *e->payments);
	e->npayments = 1;
	e->payments[0].method = xstrdup(to);
	e->payments[0].tendered = e->total;
	e->payments[0].amount = e->total;
}

int
sale_refund(struct store *st, const char *receipt,
    const struct sale_item *items, size_t nitems, const char *user,
    const char *reason, const char *to, struct ledger_entry *out,
    char **cause)
{
	struct ledger_entry s, e;
	int64_t voids, refunds, *want = NULL;
	char date[11];
	size_t i;
	int rc;

	memset(&e, 0, sizeof e);
	memset(&s, 0, sizeof s);
	memset(out, 0, sizeof *out);
	if ((rc = sale_refund_check_args(to, reason, nitems, cause)) != POS_OK)
		return rc;
	if ((rc = sqldb_begin(st->db, true, cause)) != POS_OK)
		return rc;
	if ((rc = user_need_supervisor(st, user, cause)) != POS_OK ||
	    (rc = journal_need_open_day(st, date, cause)) != POS_OK ||
	    (rc = sale_load_sale(st, receipt, &s, &voids, &refunds, cause)) !=
	    POS_OK)
		goto fail;
	if (voids > 0) {
		rc = cause_set(cause, POS_INPUT, "%s was voided and cannot be "
		    "refunded", receipt);
		goto fail;
	}
	want = xcalloc(s.nlines, sizeof *want);
	if ((rc = sale_refund_want(st, &s, items, nitems, want, cause)) !=
	    POS_OK)
		goto fail;
	e.lines = xcalloc(s.nlines, sizeof *e.lines);
	for (i = 0; i < s.nlines; i++)
		if (want[i] != 0 && (rc = sale_refund_line(st, &s, receipt,
		    &s.lines[i], want[i], &e, cause)) != POS_OK)
			goto fail;
	if ((rc = sale_refund_method(st, &s, e.total, &to, cause)) != POS_OK ||
	    (strcmp(to, "cash") == 0 && (rc = sale_drawer_floor(st, date,
	    e.total, "refund it in cash", cause)) != POS_OK))
		goto fail;
	sale_refund_settle(&e, &s, reason, to);
	if ((rc = journal_stamp(st, &e, "refund", user, date, cause)) != POS_OK ||
	    (rc = sale_check_rules(&e, cause)) != POS_OK ||
	    (rc = journal_append(st, &e, s.seq, cause)) != POS_OK ||
	    (rc = sqldb_commit(st->db, cause)) != POS_OK)
		goto fail;
	free(want);
	ledger_entry_free(&s);
	*out = e;
	return POS_OK;
fail:
	sqldb_rollback(st->db);
	free(want);
	ledger_entry_free(&s);
	ledger_entry_free(&e);
	return rc;
}

static void
sale_list_copy(char *dst, size_t len, const unsigned char *src)
{
	snprintf(dst, len, "%s", src != NULL ? (const char *)src : "");
}

int
sale_list(struct store *st, const char *date, size_t max,
    struct sale_summary **out, size_t *n, char **cause)
{
	static const char sql[] = "SELECT j.seq, j.receipt, j.created_at,"
	    " j.user, j.total,"
	    " EXISTS (SELECT 1 FROM journal v WHERE v.ref_seq = j.seq"
	    "   AND v.kind = 'void'),"
	    " EXISTS (SELECT 1 FROM journal r WHERE r.ref_seq = j.seq"
	    "   AND r.kind = 'refund')"
	    " FROM journal j WHERE j.business_date = ?1 AND j.kind = 'sale'"
	    " ORDER BY j.seq DESC LIMIT ?2";
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int r, rc = POS_OK;

	*out = NULL;
	*n = 0;
	if ((stmt = sqldb_cached(st->db, sql, cause)) == NULL)
		return POS_FAIL;
	sqldb_bind_text(stmt, 1, date);
	sqlite3_bind_int64(stmt, 2, (int64_t)max);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct sale_summary *t;

		if (*n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		t = &(*out)[(*n)++];
		memset(t, 0, sizeof *t);
		t->seq = sqlite3_column_int64(stmt, 0);
		sale_list_copy(t->receipt, sizeof t->receipt,
		    sqlite3_column_text(stmt, 1));
		sale_list_copy(t->time, sizeof t->time,
		    sqlite3_column_text(stmt, 2));
		sale_list_copy(t->user, sizeof t->user,
		    sqlite3_column_text(stmt, 3));
		t->total = sqlite3_column_int64(stmt, 4);
		t->voided = sqlite3_column_int(stmt, 5) != 0;
		t->refunded = sqlite3_column_int(stmt, 6) != 0;
	}
	if (r != SQLITE_DONE) {
		rc = sqldb_sqlerr(st->db, "cannot read today's sales", cause);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	sqldb_release(stmt);
	return rc;
}
