/*
 * Central ingest benchmark (issue 4 "Performance"; P5 and P7 of issue 6),
 * measured side by side with its baseline in one run:
 *
 *   P5  `pos-central serve` on 127.0.0.1 port 0, fed over loopback by 20
 *       concurrent branch clients (threads, one libcurl handle each, keep-
 *       alive), each POSTing its own hash-chained batches of 500 sales
 *       (3 lines, 1 payment each) to /v1/journal with its own branch token
 *       and an Idempotency-Key, as the window's push client does. Every
 *       answer is checked: 200, every entry "accepted", acked_through and
 *       head as sent.
 *       Baseline: raw SQLite bulk insert of the same entries, lines and
 *       payments with prepared statements into a store made by the central
 *       store's own cstore_open (same schema, indexes and triggers), with
 *       the same durability (WAL, synchronous=FULL, foreign keys), one
 *       BEGIN IMMEDIATE transaction per 500-entry batch. Goal >= 0.5x.
 *   P7  pos-central's peak RSS (VmHWM of /proc/PID/status, read at the end
 *       of the load, before it is stopped). Goal <= 64 MB.
 *
 * With --db URI --raw-db URI2 (two empty PostgreSQL databases;
 * bench_ingest_pg.py starts a cluster and passes them) the central store
 * is PostgreSQL and the baseline is PostgreSQL's COPY of the same rows
 * into the same tables (made by cstore_open: same indexes and triggers),
 * one transaction per batch, entries first, then their lines and
 * payments by the ids the entries got.
 *
 * With --keep-store, --db is a store that exists, of any size (SQLite
 * file, or PostgreSQL URI with --raw-db): the branches are added to it
 * (BR<N+1>... with --first-branch N, so that runs do not meet) and it is
 * kept; the baseline is a new store as ever. bench_office_pages.py runs
 * it so on P11's year of data.
 *
 * With --pages PATH (P13 of issue 17), PAGE_CLIENTS connections (default
 * 200, one libcurl multi handle in a thread) keep asking for PATH, every
 * request in flight, from before the branches start until they are
 * through, and pos-central's VmRSS is read every 20 ms. All of it comes
 * from 127.0.0.1, so serve is started without the per-address limits
 * (--max-per-address 10000 --rate-address 0). The branches then get at
 * most --page-seconds (default 60, plus 3 s for a batch in flight): a
 * dropped connection or a 429 is tried again until then, and the rate is
 * of what was accepted. The server is given 10 s to stop after SIGTERM,
 * then killed. A line "pages: key=value ..." gives the load's figures.
 *
 * With BENCH_INGEST_LOG=FILE in the environment, the server's log (a line
 * per request and per batch, with its milliseconds) is kept there.
 *
 * usage: bench_ingest POS_CENTRAL [--short] [--clients N] [--batches N]
 *            [--entries N] [--threads N] [--db URI --raw-db URI]
 *            [--db DB --keep-store [--raw-db URI]] [--first-branch N]
 *            [--pages PATH [--page-clients N] [--page-seconds N]]
 * The baseline runs half its batches before the HTTP run and half after,
 * so drift hits both sides alike. The exit status is non-zero only when
 * the benchmark itself breaks (a refused batch, a count that does not
 * match, a server that fails); a missed goal is printed as MISSED.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "buf.h"
#include "cstore.h"
#include "ledger.h"
#include "token.h"
#include "xalloc.h"

#define MAX_CLIENTS	64
#define MAX_PAGE_CLIENTS 1000
/* Under the page load, how long after the deadline a batch may take. */
#define DEADLINE_GRACE_S 3.0
#define STOP_WAIT_S	10.0	/* ... and for the server to stop after it */
#define RSS_GOAL_KB	(64 * 1024)

/* --first-branch: the clients are branches BR<base + 1>... */
static int branch_base;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, const char *cause)
{
	fprintf(stderr, "bench_ingest: %s: %s\n", what,
	    cause != NULL ? cause : "");
	exit(1);
}

/* ---- entries ---- */

/* Non-const storage for the fields of struct ledger_entry (char *). */
static char s_sale[] = "sale", s_user[] = "رنا", s_cur[] = "SYP";
static char s_date[] = "2026-03-01", s_piece[] = "piece", s_kg[] = "kg";
static char s_cash[] = "cash";
static char s_pc[3][8] = { "P001", "P014", "P203" };
static char s_pn[3][32] = { "خبز", "زيتون أسود", "Bowl, glazed" };
static char s_fc[3][8] = { "F07", "F11", "F03" };
static char s_fn[3][32] = { "مخبز حماة", "Idlib Co-op", "فخار حلب" };

/* One generated entry with the storage its pointers use. */
struct gen {
	struct ledger_entry	e;
	struct ledger_line	lines[3];
	struct ledger_payment	pay;
	char			receipt[LEDGER_MAX_RECEIPT + 1];
	char			created[32];
};

/* A client's chain as it is generated: next seq and the head hash. */
struct chain {
	char	 branch[16];
	int64_t	 seq;
	char	 head[LEDGER_HASH_HEX];
};

static void
chain_init(struct chain *c, int client)
{
	snprintf(c->branch, sizeof c->branch, "BR%02d",
	    branch_base + client + 1);
	c->seq = 1;
	memcpy(c->head, ledger_genesis, LEDGER_HASH_HEX);
}

/*
 * The next sale of the chain, sealed on its head: deterministic in
 * (client, seq), so the baseline gets the very same entries.
 */
static void
gen_next(struct chain *c, int client, struct gen *g)
{
	struct ledger_entry *e = &g->e;
	int64_t seq = c->seq++, total = 0, q;
	static const int64_t price[3] = { 1500, 40000, 25000 };

	memset(g, 0, sizeof *g);
	/* a000: not the 8000 of P11's year (bench_central_reports.py). */
	snprintf(e->uuid, sizeof e->uuid, "%08x-0000-4000-a000-%012llx",
	    (unsigned)(branch_base + client + 1), (unsigned long long)seq);
	e->seq = seq;
	e->kind = s_sale;
	snprintf(g->receipt, sizeof g->receipt, "%s-1-%06lld", c->branch,
	    (long long)seq);
	e->receipt = g->receipt;
	e->branch = c->branch;
	e->terminal = 1;
	snprintf(g->created, sizeof g->created, "2026-03-01T%02u:%02u:%02uZ",
	    (unsigned)(8 + seq / 3600 % 12) % 24u, (unsigned)(seq / 60 % 60) % 60u,
	    (unsigned)(seq % 60) % 60u);
	e->created_at = g->created;
	e->business_date = s_date;
	e->user = s_user;
	e->currency = s_cur;
	e->decimals = 0;
	for (int i = 0; i < 3; i++) {
		struct ledger_line *l = &g->lines[i];

		l->product_code = s_pc[i];
		l->product_name = s_pn[i];
		l->producer_code = s_fc[i];
		l->producer_name = s_fn[i];
		l->unit = i == 1 ? s_kg : s_piece;
		q = i == 1 ? 250 + 125 * (seq % 4) : 1000 * (1 + (seq + i) % 3);
		l->qty = q;
		l->unit_price = price[i];
		l->total = (price[i] * q + 500) / 1000;
		l->discount = 0;
		l->net = l->total;
		total += l->net;
	}
	e->nlines = 3;
	e->lines = g->lines;
	e->total = total;
	e->paid = (total + 999) / 1000 * 1000;
	e->change = e->paid - total;
	g->pay.method = s_cash;
	g->pay.tendered = e->paid;
	g->pay.amount = total;
	e->npayments = 1;
	e->payments = &g->pay;
	memcpy(e->prev_hash, c->head, LEDGER_HASH_HEX);
	if (ledger_seal(e) != 0) {
		char *cause = NULL;

		ledger_validate(e, &cause);
		die("generated entry refused by ledger_validate", cause);
	}
	memcpy(c->head, e->hash, LEDGER_HASH_HEX);
}

/* One batch as the client sends it, and what the server must answer. */
struct batch {
	char	*body;
	size_t	 len;
	int64_t	 first, last;
	char	 head[LEDGER_HASH_HEX];
};

static void
batch_make(struct chain *c, int client, int entries, struct gen *g,
    struct batch *b)
{
	json_t *root = json_object(), *arr = json_array(), *j;

	b->first = c->seq;
	for (int i = 0; i < entries; i++) {
		gen_next(c, client, g);
		if ((j = ledger_to_json(&g->e)) == NULL)
			die("ledger_to_json", "NULL");
		json_array_append_new(arr, j);
	}
	b->last = c->seq - 1;
	memcpy(b->head, c->head, LEDGER_HASH_HEX);
	json_object_set_new(root, "format", json_integer(1));
	json_object_set_new(root, "branch", json_string(c->branch));
	json_object_set_new(root, "terminal", json_integer(1));
	json_object_set_new(root, "entries", arr);
	b->body = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (b->body == NULL)
		die("json_dumps", "NULL");
	b->len = strlen(b->body);
	json_decref(root);
}

/* ---- the central store and its branches ---- */

static void
make_store(const char *path, int clients, char tokens[][TOKEN_HEX])
{
	struct cstore *st;
	uint8_t digest[TOKEN_DIGEST];
	char code[16], now[21], tok[TOKEN_HEX], *cause = NULL;

	if (cstore_open(path, true, &st, &cause) != POS_OK)
		die(path, cause);
	cstore_now(now);
	if (cstore_begin(st, true, &cause) != POS_OK)
		die("begin", cause);
	for (int i = 0; i < clients; i++) {
		snprintf(code, sizeof code, "BR%02d", branch_base + i + 1);
		if (token_generate(tok) != 0)
			die("token_generate", "no randomness");
		token_digest(tok, strlen(tok), digest);
		if (cstore_branch_add(st, code, NULL, digest, now, &cause) !=
		    POS_OK)
			die("branch add", cause);
		if (tokens != NULL)
			memcpy(tokens[i], tok, TOKEN_HEX);
	}
	if (cstore_commit(st, &cause) != POS_OK)
		die("commit", cause);
	cstore_close(st);
}

/* Entries, lines and payments a store holds. */
struct counts {
	int64_t	e, l, p;
};

static void
store_counts(const char *path, struct counts *n, const char *what)
{
	struct cstore *st;
	char *cause = NULL;

	if (cstore_open(path, false, &st, &cause) != POS_OK ||
	    cstore_counts(st, &n->e, &n->l, &n->p, &cause) != POS_OK)
		die(what, cause);
	cstore_close(st);
}

/*
 * The run's rows are all there: the store holds base plus want_e entries
 * (3 lines, 1 payment each), or up to more_e more (batches whose answer
 * the client stopped waiting for at the deadline). The entries added.
 */
static int64_t
check_counts(const char *path, const struct counts *base, int64_t want_e,
    int64_t more_e, const char *what)
{
	struct counts n;
	int64_t e, l, p;
	char msg[240];

	store_counts(path, &n, what);
	e = n.e - base->e;
	l = n.l - base->l;
	p = n.p - base->p;
	if (e < want_e || e > want_e + more_e || l != 3 * e || p != e) {
		snprintf(msg, sizeof msg, "the run added %lld entries, %lld "
		    "lines, %lld payments; expected %lld (up to %lld more), "
		    "3 lines and 1 payment each", (long long)e, (long long)l,
		    (long long)p, (long long)want_e, (long long)more_e);
		die(what, msg);
	}
	return e;
}

/* ---- the baseline: raw SQLite, the same rows, the same durability ---- */

struct raw {
	sqlite3		*db;
	sqlite3_stmt	*begin, *commit, *chain, *entry, *line, *pay;
};

static void
raw_prep(struct raw *r, sqlite3_stmt **s, const char *sql)
{
	if (sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s,
	    NULL) != SQLITE_OK)
		die("raw prepare", sqlite3_errmsg(r->db));
}

static void
raw_open(struct raw *r, const char *path)
{
	if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		die("raw open", sqlite3_errmsg(r->db));
	sqlite3_busy_timeout(r->db, 10000);
	/* What cstore_open sets on every connection. */
	if (sqlite3_exec(r->db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", NULL, NULL,
	    NULL) != SQLITE_OK)
		die("raw pragmas", sqlite3_errmsg(r->db));
	raw_prep(r, &r->begin, "BEGIN IMMEDIATE");
	raw_prep(r, &r->commit, "COMMIT");
	raw_prep(r, &r->chain, "INSERT INTO chains (branch, terminal,"
	    " last_seq, head, first_received, last_received)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (branch, terminal)"
	    " DO UPDATE SET last_seq = excluded.last_seq, head = excluded.head,"
	    " last_received = excluded.last_received");
	raw_prep(r, &r->entry, "INSERT INTO entries (uuid, branch, terminal,"
	    " seq, kind, receipt, created_at, business_date, user, currency,"
	    " decimals, ref_uuid, ref_receipt, producer_code, producer_name,"
	    " amount, reason, total, discount, paid, change, prev_hash, hash,"
	    " received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	raw_prep(r, &r->line, "INSERT INTO lines (entry_id, line_no,"
	    " product_code, product_name, producer_code, producer_name, unit,"
	    " qty, unit_price, total, discount, net) VALUES (?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?)");
	raw_prep(r, &r->pay, "INSERT INTO payments (entry_id, pay_no, method,"
	    " tendered, amount) VALUES (?, ?, ?, ?, ?)");
}

static void
raw_step(struct raw *r, sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die("raw insert", sqlite3_errmsg(r->db));
	sqlite3_reset(s);
}

static void
raw_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* One batch in one transaction; the chain row once, with the batch's head. */
static void
raw_batch(struct raw *r, const struct gen *g, int n, const char *now)
{
	const struct ledger_entry *last = &g[n - 1].e;
	sqlite3_stmt *s;
	sqlite3_int64 id;

	raw_step(r, r->begin);
	s = r->chain;
	raw_text(s, 1, last->branch);
	sqlite3_bind_int64(s, 2, last->terminal);
	sqlite3_bind_int64(s, 3, last->seq);
	raw_text(s, 4, last->hash);
	raw_text(s, 5, now);
	raw_step(r, s);
	for (int k = 0; k < n; k++) {
		const struct ledger_entry *e = &g[k].e;

		s = r->entry;
		raw_text(s, 1, e->uuid);
		raw_text(s, 2, e->branch);
		sqlite3_bind_int64(s, 3, e->terminal);
		sqlite3_bind_int64(s, 4, e->seq);
		raw_text(s, 5, e->kind);
		raw_text(s, 6, e->receipt);
		raw_text(s, 7, e->created_at);
		raw_text(s, 8, e->business_date);
		raw_text(s, 9, e->user);
		raw_text(s, 10, e->currency);
		sqlite3_bind_int64(s, 11, e->decimals);
		raw_text(s, 12, e->ref_uuid);
		raw_text(s, 13, e->ref_receipt);
		raw_text(s, 14, e->producer_code);
		raw_text(s, 15, e->producer_name);
		sqlite3_bind_int64(s, 16, e->amount);
		raw_text(s, 17, e->reason);
		sqlite3_bind_int64(s, 18, e->total);
		sqlite3_bind_int64(s, 19, e->discount);
		sqlite3_bind_int64(s, 20, e->paid);
		sqlite3_bind_int64(s, 21, e->change);
		raw_text(s, 22, e->prev_hash);
		raw_text(s, 23, e->hash);
		raw_text(s, 24, now);
		raw_step(r, s);
		id = sqlite3_last_insert_rowid(r->db);
		for (size_t i = 0; i < e->nlines; i++) {
			const struct ledger_line *l = &e->lines[i];

			s = r->line;
			sqlite3_bind_int64(s, 1, id);
			sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
			raw_text(s, 3, l->product_code);
			raw_text(s, 4, l->product_name);
			raw_text(s, 5, l->producer_code);
			raw_text(s, 6, l->producer_name);
			raw_text(s, 7, l->unit);
			sqlite3_bind_int64(s, 8, l->qty);
			sqlite3_bind_int64(s, 9, l->unit_price);
			sqlite3_bind_int64(s, 10, l->total);
			sqlite3_bind_int64(s, 11, l->discount);
			sqlite3_bind_int64(s, 12, l->net);
			raw_step(r, s);
		}
		for (size_t i = 0; i < e->npayments; i++) {
			const struct ledger_payment *p = &e->payments[i];

			s = r->pay;
			sqlite3_bind_int64(s, 1, id);
			sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
			raw_text(s, 3, p->method);
			sqlite3_bind_int64(s, 4, p->tendered);
			sqlite3_bind_int64(s, 5, p->amount);
			raw_step(r, s);
		}
	}
	raw_step(r, r->commit);
}

static void
raw_close(struct raw *r)
{
	sqlite3_finalize(r->begin);
	sqlite3_finalize(r->commit);
	sqlite3_finalize(r->chain);
	sqlite3_finalize(r->entry);
	sqlite3_finalize(r->line);
	sqlite3_finalize(r->pay);
	sqlite3_close(r->db);
}

/*
 * Batches [from, to) of every client into the raw store, the entries
 * generated before each transaction's clock starts. Seconds inserting.
 */
static double
raw_run(struct raw *r, struct chain *chains, int clients, int from, int to,
    int entries, struct gen *g)
{
	char now[21];
	double t = 0, t0;

	cstore_now(now);
	for (int b = from; b < to; b++)
		for (int c = 0; c < clients; c++) {
			for (int k = 0; k < entries; k++)
				gen_next(&chains[c], c, &g[k]);
			t0 = now_s();
			raw_batch(r, g, entries, now);
			t += now_s() - t0;
		}
	return t;
}

/* ---- the PostgreSQL baseline: COPY of the same rows ---- */

static void
pgraw_ok(PGconn *c, PGresult *r, ExecStatusType want, const char *what)
{
	if (PQresultStatus(r) != want)
		die(what, PQerrorMessage(c));
	PQclear(r);
}

/* A COPY text field: \N for NULL, backslash escapes, then tab or newline. */
static void
copy_field(struct buf *b, const char *v, char sep)
{
	if (v == NULL)
		buf_add(b, "\\N", 2);
	else
		for (; *v != '\0'; v++) {
			if (*v == '\\' || *v == '\t' || *v == '\n' ||
			    *v == '\r')
				buf_addc(b, '\\');
			buf_addc(b, *v == '\t' ? 't' : *v == '\n' ? 'n' :
			    *v == '\r' ? 'r' : *v);
		}
	buf_addc(b, sep);
}

static void
copy_int(struct buf *b, int64_t v, char sep)
{
	char n[24];

	snprintf(n, sizeof n, "%lld", (long long)v);
	copy_field(b, n, sep);
}

static void
pgraw_copy(PGconn *c, const char *sql, const struct buf *b)
{
	pgraw_ok(c, PQexec(c, sql), PGRES_COPY_IN, sql);
	if (PQputCopyData(c, (const char *)b->data, (int)b->len) != 1 ||
	    PQputCopyEnd(c, NULL) != 1)
		die("COPY", PQerrorMessage(c));
	pgraw_ok(c, PQgetResult(c), PGRES_COMMAND_OK, "COPY");
}

static void
pgraw_batch(PGconn *c, const struct gen *g, int n, const char *now)
{
	const struct ledger_entry *last = &g[n - 1].e;
	struct buf b = { NULL, 0, 0 };
	char term[24], seq[24], first[24];
	const char *v[5];
	PGresult *r;

	pgraw_ok(c, PQexec(c, "BEGIN"), PGRES_COMMAND_OK, "BEGIN");
	snprintf(term, sizeof term, "%lld", (long long)last->terminal);
	snprintf(seq, sizeof seq, "%lld", (long long)last->seq);
	v[0] = last->branch;
	v[1] = term;
	v[2] = seq;
	v[3] = last->hash;
	v[4] = now;
	pgraw_ok(c, PQexecParams(c, "INSERT INTO chains (branch, terminal,"
	    " last_seq, head, first_received, last_received)"
	    " VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (branch, terminal)"
	    " DO UPDATE SET last_seq = excluded.last_seq, head = excluded.head,"
	    " last_received = excluded.last_received", 5, NULL, v, NULL, NULL,
	    0), PGRES_COMMAND_OK, "chain row");
	for (int k = 0; k < n; k++) {
		const struct ledger_entry *e = &g[k].e;

		copy_field(&b, e->uuid, '\t');
		copy_field(&b, e->branch, '\t');
		copy_int(&b, e->terminal, '\t');
		copy_int(&b, e->seq, '\t');
		copy_field(&b, e->kind, '\t');
		copy_field(&b, e->receipt, '\t');
		copy_field(&b, e->created_at, '\t');
		copy_field(&b, e->business_date, '\t');
		copy_field(&b, e->user, '\t');
		copy_field(&b, e->currency, '\t');
		copy_int(&b, e->decimals, '\t');
		copy_field(&b, e->ref_uuid, '\t');
		copy_field(&b, e->ref_receipt, '\t');
		copy_field(&b, e->producer_code, '\t');
		copy_field(&b, e->producer_name, '\t');
		copy_int(&b, e->amount, '\t');
		copy_field(&b, e->reason, '\t');
		copy_int(&b, e->total, '\t');
		copy_int(&b, e->discount, '\t');
		copy_int(&b, e->paid, '\t');
		copy_int(&b, e->change, '\t');
		copy_field(&b, e->prev_hash, '\t');
		copy_field(&b, e->hash, '\t');
		copy_field(&b, now, '\n');
	}
	pgraw_copy(c, "COPY entries (uuid, branch, terminal, seq, kind,"
	    " receipt, created_at, business_date, \"user\", currency, decimals,"
	    " ref_uuid, ref_receipt, producer_code, producer_name, amount,"
	    " reason, total, discount, paid, change, prev_hash, hash,"
	    " received_at) FROM STDIN", &b);
	/* The ids the entries got, in seq order. */
	snprintf(first, sizeof first, "%lld", (long long)g[0].e.seq);
	v[2] = first;
	v[3] = seq;
	r = PQexecParams(c, "SELECT id FROM entries WHERE branch = $1 AND"
	    " terminal = $2 AND seq BETWEEN $3 AND $4 ORDER BY seq", 4, NULL, v,
	    NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != n)
		die("entry ids", PQerrorMessage(c));
	b.len = 0;
	for (int k = 0; k < n; k++)
		for (size_t i = 0; i < g[k].e.nlines; i++) {
			const struct ledger_line *l = &g[k].e.lines[i];

			copy_field(&b, PQgetvalue(r, k, 0), '\t');
			copy_int(&b, (int64_t)i, '\t');
			copy_field(&b, l->product_code, '\t');
			copy_field(&b, l->product_name, '\t');
			copy_field(&b, l->producer_code, '\t');
			copy_field(&b, l->producer_name, '\t');
			copy_field(&b, l->unit, '\t');
			copy_int(&b, l->qty, '\t');
			copy_int(&b, l->unit_price, '\t');
			copy_int(&b, l->total, '\t');
			copy_int(&b, l->discount, '\t');
			copy_int(&b, l->net, '\n');
		}
	pgraw_copy(c, "COPY lines (entry_id, line_no, product_code,"
	    " product_name, producer_code, producer_name, unit, qty,"
	    " unit_price, total, discount, net) FROM STDIN", &b);
	b.len = 0;
	for (int k = 0; k < n; k++)
		for (size_t i = 0; i < g[k].e.npayments; i++) {
			const struct ledger_payment *p = &g[k].e.payments[i];

			copy_field(&b, PQgetvalue(r, k, 0), '\t');
			copy_int(&b, (int64_t)i, '\t');
			copy_field(&b, p->method, '\t');
			copy_int(&b, p->tendered, '\t');
			copy_int(&b, p->amount, '\n');
		}
	pgraw_copy(c, "COPY payments (entry_id, pay_no, method, tendered,"
	    " amount) FROM STDIN", &b);
	PQclear(r);
	pgraw_ok(c, PQexec(c, "COMMIT"), PGRES_COMMAND_OK, "COMMIT");
	free(b.data);
}

static double
pgraw_run(PGconn *c, struct chain *chains, int clients, int from, int to,
    int entries, struct gen *g)
{
	char now[21];
	double t = 0, t0;

	cstore_now(now);
	for (int b = from; b < to; b++)
		for (int k = 0; k < clients; k++) {
			for (int i = 0; i < entries; i++)
				gen_next(&chains[k], k, &g[i]);
			t0 = now_s();
			pgraw_batch(c, g, entries, now);
			t += now_s() - t0;
		}
	return t;
}

/* ---- the server ---- */

/*
 * With pages, every client of the page load comes from 127.0.0.1 as the
 * branches do: the per-address connection and rate limits, made for many
 * addresses, are lifted (as behind a proxy, README "Behind a proxy").
 */
static pid_t
serve(const char *central, const char *db, const char *threads, bool pages,
    const char *errlog, char *url, size_t urlsz)
{
	int out[2];
	char line[256];
	FILE *f;
	pid_t pid;

	if (pipe(out) != 0)
		die("pipe", strerror(errno));
	if ((pid = fork()) == -1)
		die("fork", strerror(errno));
	if (pid == 0) {
		const char *argv[] = { central, "serve", "--db", db, "--listen",
		    "127.0.0.1:0", "--threads", threads, "--max-per-address",
		    "10000", "--rate-address", "0", NULL };

		if (!pages)
			argv[8] = NULL;

		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		if (freopen(errlog, "w", stderr) == NULL)
			_exit(126);
		execv(central, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	if ((f = fdopen(out[0], "r")) == NULL)
		die("fdopen", strerror(errno));
	if (fgets(line, sizeof line, f) == NULL ||
	    strncmp(line, "listening on ", 13) != 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		die("pos-central serve did not start; see", errlog);
	}
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	snprintf(url, urlsz, "http://%s", line + 13);
	return pid;
}

/* A field of /proc/PID/status in kB (VmHWM:, VmRSS:); -1 if unreadable. */
static long
status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t n = strlen(field);
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, field, n) == 0)
			kb = strtol(line + n, NULL, 10);
	fclose(f);
	return kb;
}

/* VmHWM (peak resident set) of a process, in kB; -1 if unreadable. */
static long
peak_rss_kb(pid_t pid)
{
	return status_kb(pid, "VmHWM:");
}

/* CPU seconds (user + system) a process has used so far; -1 if unknown. */
static double
cpu_s(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* After "(comm)": state is field 3, utime 14 and stime 15. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
	    "%llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* ---- the clients ---- */

struct client {
	pthread_t	 thread;
	int		 index;
	const char	*url;
	const char	*token;
	const char	*branch;
	struct batch	*batches;
	int		 nbatches;
	int		 entries;
	pthread_barrier_t *start;
	/*
	 * Under the page load (deadline > 0): a connection the server drops
	 * or a 429 is tried again, as the window's push client would, until
	 * the deadline (now_s()), when the client stops where it is.
	 */
	double		 deadline;
	/* out */
	double		 t_end;
	int		 retries;
	int		 dropped;	/* dropped connections, 429s retried */
	int		 done;		/* batches accepted */
	int		 aborted;	/* batches given up on in flight */
	bool		 late;		/* stopped by the deadline */
	atomic_int	*finished;	/* clients that have ended */
	char		 error[512];
};

struct rbuf {
	char	*p;
	size_t	 len, cap;
};

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct rbuf *b = arg;
	size_t len = size * n;

	if (b->len + len + 1 > b->cap) {
		b->cap = (b->len + len + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
	b->p[b->len] = '\0';
	return len;
}

/* The answer to one batch: NULL when it is as it must be, else why not. */
static const char *
check_answer(const struct batch *bt, int entries, const struct rbuf *body,
    char *why, size_t whysz)
{
	json_t *j, *res, *r;
	const char *st, *head;
	size_t i;

	if ((j = json_loadb(body->p, body->len, 0, NULL)) == NULL)
		return "answer is not JSON";
	res = json_object_get(j, "results");
	if (!json_is_array(res) || json_array_size(res) != (size_t)entries) {
		json_decref(j);
		return "answer has not one result per entry";
	}
	json_array_foreach(res, i, r) {
		st = json_string_value(json_object_get(r, "status"));
		if (st == NULL || strcmp(st, "accepted") != 0) {
			snprintf(why, whysz, "entry %zu not accepted: %.300s", i,
			    body->p);
			json_decref(j);
			return why;
		}
	}
	head = json_string_value(json_object_get(j, "head"));
	if (json_integer_value(json_object_get(j, "acked_through")) !=
	    bt->last || head == NULL || strcmp(head, bt->head) != 0) {
		json_decref(j);
		return "acked_through or head is not the batch's last entry";
	}
	json_decref(j);
	return NULL;
}

static void *
client_main(void *arg)
{
	struct client *c = arg;
	struct curl_slist *hdr;
	struct rbuf body = { NULL, 0, 0 };
	char auth[128], key[128], errbuf[CURL_ERROR_SIZE];
	const char *bad;
	CURL *h;
	CURLcode cc;
	long status;

	if ((h = curl_easy_init()) == NULL) {
		snprintf(c->error, sizeof c->error, "curl_easy_init failed");
		pthread_barrier_wait(c->start);
		return NULL;
	}
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->token);
	pthread_barrier_wait(c->start);
	for (int b = 0; b < c->nbatches; b++) {
		const struct batch *bt = &c->batches[b];

		if (c->deadline > 0 && now_s() >= c->deadline) {
			c->late = true;
			break;
		}

		snprintf(key, sizeof key, "Idempotency-Key: %s-1-%lld-%lld",
		    c->branch, (long long)bt->first, (long long)bt->last);
		hdr = curl_slist_append(NULL, auth);
		hdr = curl_slist_append(hdr, key);
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		hdr = curl_slist_append(hdr, "Expect:");
		if (hdr == NULL) {
			snprintf(c->error, sizeof c->error, "out of memory");
			break;
		}
again:
		body.len = 0;
		errbuf[0] = '\0';
		curl_easy_setopt(h, CURLOPT_URL, c->url);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 300L);
		if (c->deadline > 0) {
			double left = c->deadline + DEADLINE_GRACE_S - now_s();

			curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
			    left > 0.001 ? (long)(1000 * left) : 1L);
		}
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, bt->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)bt->len);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
		cc = curl_easy_perform(h);
		status = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (cc == CURLE_OK && status == 503 && c->retries < 100) {
			/* The store was busy: the client would retry too. */
			c->retries++;
			usleep(50000);
			goto again;
		}
		if (c->deadline > 0 && cc == CURLE_OPERATION_TIMEDOUT) {
			/* Stored or not: check_counts allows for it. */
			c->aborted++;
			c->late = true;
			curl_slist_free_all(hdr);
			break;
		}
		if (c->deadline > 0 && (cc == CURLE_GOT_NOTHING ||
		    cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR ||
		    (cc == CURLE_OK && status == 429))) {
			c->dropped++;
			if (now_s() < c->deadline) {
				usleep(50000);
				goto again;
			}
			c->late = true;
			curl_slist_free_all(hdr);
			break;
		}
		curl_slist_free_all(hdr);
		if (cc != CURLE_OK) {
			snprintf(c->error, sizeof c->error, "batch %d: %s", b,
			    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
			break;
		}
		if (status != 200) {
			snprintf(c->error, sizeof c->error, "batch %d: HTTP %ld: "
			    "%.300s", b, status, body.p != NULL ? body.p : "");
			break;
		}
		if ((bad = check_answer(bt, c->entries, &body, c->error,
		    sizeof c->error)) != NULL) {
			if (bad != c->error)
				snprintf(c->error, sizeof c->error, "batch %d: %s",
				    b, bad);
			break;
		}
		c->done++;
	}
	c->t_end = now_s();
	if (c->finished != NULL)
		atomic_fetch_add(c->finished, 1);
	curl_easy_cleanup(h);
	free(body.p);
	return NULL;
}

/* ---- the page load (--pages) ---- */

/*
 * N connections of one libcurl multi handle, each asking for the same
 * page again as soon as its answer has come, so N requests are in flight
 * the whole time; pos-central's VmRSS is read every RSS_EVERY_S meanwhile.
 */
#define RSS_EVERY_S	0.02

struct pages {
	pthread_t	 thread;
	const char	*url;
	int		 n;
	pid_t		 pid;
	atomic_bool	 stop;
	atomic_long	 answers;	/* complete 200 answers so far */
	atomic_int	 in_flight;	/* transfers running */
	/* out */
	long		 bad;		/* answers not 200, transfer errors */
	char		 error[512];	/* the first of them */
	double		*ms;		/* each 200 answer's time */
	size_t		 nms, capms;
	double		 bytes;		/* as sent (gzip) */
	long		 rss_max_kb;
	int		 samples;
	int		 most_running;	/* most transfers in flight at once */
};

static size_t
on_page(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

static CURL *
page_handle(struct pages *p, size_t i)
{
	CURL *h = curl_easy_init();

	if (h == NULL)
		die("curl_easy_init", "failed");
	curl_easy_setopt(h, CURLOPT_URL, p->url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_page);
	curl_easy_setopt(h, CURLOPT_PRIVATE, (void *)i);
	return h;
}

static void
pages_sample(struct pages *p)
{
	long kb = status_kb(p->pid, "VmRSS:");

	if (kb > p->rss_max_kb)
		p->rss_max_kb = kb;
	p->samples++;
}

static void *
pages_main(void *arg)
{
	struct pages *p = arg;
	CURLM *m = curl_multi_init();
	CURL **h = xcalloc((size_t)p->n, sizeof *h);
	double *t0 = xcalloc((size_t)p->n, sizeof *t0), next = 0, t;
	curl_off_t dl;
	CURLMsg *msg;
	size_t i;
	long status;
	int running, left;

	if (m == NULL)
		die("curl_multi_init", "failed");
	for (i = 0; i < (size_t)p->n; i++) {
		h[i] = page_handle(p, i);
		t0[i] = now_s();
		curl_multi_add_handle(m, h[i]);
	}
	while (!atomic_load(&p->stop)) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			die("curl_multi_perform", "failed");
		if (running > p->most_running)
			p->most_running = running;
		atomic_store(&p->in_flight, running);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			char *priv;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    &priv);
			i = (size_t)priv;
			t = now_s();
			status = 0;
			curl_easy_getinfo(h[i], CURLINFO_RESPONSE_CODE, &status);
			if (msg->data.result != CURLE_OK || status != 200) {
				if (p->bad++ == 0)
					snprintf(p->error, sizeof p->error,
					    "%s: %s, HTTP %ld", p->url,
					    curl_easy_strerror(msg->data.result),
					    status);
			} else {
				if (p->nms == p->capms) {
					p->capms = p->capms * 2 + 1024;
					p->ms = xrealloc(p->ms, p->capms *
					    sizeof *p->ms);
				}
				p->ms[p->nms++] = (t - t0[i]) * 1000;
				if (curl_easy_getinfo(h[i],
				    CURLINFO_SIZE_DOWNLOAD_T, &dl) == CURLE_OK)
					p->bytes += (double)dl;
				atomic_fetch_add(&p->answers, 1);
			}
			curl_multi_remove_handle(m, h[i]);
			t0[i] = t;
			curl_multi_add_handle(m, h[i]);
		}
		if ((t = now_s()) >= next) {
			pages_sample(p);
			next = t + RSS_EVERY_S;
		}
		curl_multi_poll(m, NULL, 0, 10, NULL);
	}
	pages_sample(p);
	for (i = 0; i < (size_t)p->n; i++) {
		curl_multi_remove_handle(m, h[i]);
		curl_easy_cleanup(h[i]);
	}
	curl_multi_cleanup(m);
	free(h);
	free(t0);
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ---- output ---- */

static void
row(const char *name, const char *unit, double value, double base,
    double ratio, const char *goal, int met)
{
	printf("%-4s %-34s %12.1f %12.1f %7.2fx  %-8s %s\n", name, unit, value,
	    base, ratio, goal, met ? "met" : "MISSED");
}

static int
arg_int(int argc, char **argv, int *i, int min, int max)
{
	char *end;
	long v;

	if (*i + 1 >= argc)
		die(argv[*i], "needs a number");
	errno = 0;
	v = strtol(argv[++*i], &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		die(argv[*i - 1], "number out of range");
	return (int)v;
}

static void
rm_db(const char *path)
{
	const char *suffix[] = { "", "-wal", "-shm" };
	char p[512];

	for (size_t s = 0; s < 3; s++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[s]);
		unlink(p);
	}
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/pos-bench-ingest.XXXXXX";
	char cdb[512], rdb[512], errlog[256], base[300], url[320];
	char threads[16] = "4", page_url[1400];
	const char *pg_db = NULL, *pg_raw = NULL, *page_path = NULL;
	struct counts cbase = { 0, 0, 0 }, rbase = { 0, 0, 0 };
	struct pages pages;
	bool keep = false;
	int page_clients = 200;
	PGconn *pgraw = NULL;
	char (*tokens)[TOKEN_HEX];
	int clients = 20, nbatches = 10, entries = 500;
	struct chain chains[MAX_CLIENTS];
	struct client *cl;
	struct batch *batches;
	struct gen *g;
	struct raw raw = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	pthread_barrier_t start;
	double t_raw, t0, t_end = 0, t_http, srv_cpu0, srv_cpu, own_cpu0;
	long pages_before = 0, pages_during = 0;
	size_t bytes = 0;
	long rss_kb;
	pid_t pid;
	int status, broken = 0, retries = 0, dropped = 0, done = 0, late = 0;
	int aborted = 0;
	double stop_s;
	bool killed = false;
	pid_t w;
	int page_seconds = 60;
	atomic_int finished;
	bool pg;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_ingest POS_CENTRAL [--short] "
		    "[--clients N] [--batches N] [--entries N] [--threads N]\n"
		    "    [--db URI --raw-db URI] [--db DB --keep-store] "
		    "[--first-branch N]\n"
		    "    [--pages PATH [--page-clients N] [--page-seconds N]]\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--short") == 0)
			nbatches = 2;
		else if (strcmp(argv[i], "--clients") == 0)
			clients = arg_int(argc, argv, &i, 1, MAX_CLIENTS);
		else if (strcmp(argv[i], "--batches") == 0)
			nbatches = arg_int(argc, argv, &i, 1, 1000);
		else if (strcmp(argv[i], "--entries") == 0)
			entries = arg_int(argc, argv, &i, 1, 1000);
		else if (strcmp(argv[i], "--threads") == 0)
			snprintf(threads, sizeof threads, "%d",
			    arg_int(argc, argv, &i, 1, 64));
		else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			pg_db = argv[++i];
		else if (strcmp(argv[i], "--raw-db") == 0 && i + 1 < argc)
			pg_raw = argv[++i];
		else if (strcmp(argv[i], "--keep-store") == 0)
			keep = true;
		else if (strcmp(argv[i], "--first-branch") == 0)
			branch_base = arg_int(argc, argv, &i, 0,
			    98);
		else if (strcmp(argv[i], "--pages") == 0 && i + 1 < argc)
			page_path = argv[++i];
		else if (strcmp(argv[i], "--page-seconds") == 0)
			page_seconds = arg_int(argc, argv, &i, 1, 3600);
		else if (strcmp(argv[i], "--page-clients") == 0)
			page_clients = arg_int(argc, argv, &i, 1,
			    MAX_PAGE_CLIENTS);
		else
			die(argv[i], "unknown option");
	}
	if (access(argv[1], X_OK) != 0)
		die(argv[1], strerror(errno));
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", strerror(errno));
	if (branch_base + clients > 99)
		die("--first-branch", "branch codes go up to BR99");
	if (keep && pg_db == NULL)
		die("--keep-store", "needs --db");
	if (!keep && (pg_db == NULL) != (pg_raw == NULL))
		die("--db and --raw-db", "give both or neither");
	if (page_path != NULL && page_path[0] != '/')
		die("--pages", "a path on the server, /...");
	/* --keep-store: --db is a store of any size, SQLite or PostgreSQL. */
	pg = pg_raw != NULL;
	snprintf(cdb, sizeof cdb, "%s", pg_db != NULL ? pg_db :
	    "");
	snprintf(rdb, sizeof rdb, "%s", pg_raw != NULL ? pg_raw : "");
	if (pg_db == NULL)
		snprintf(cdb, sizeof cdb, "%s/central.db", dir);
	if (pg_raw == NULL)
		snprintf(rdb, sizeof rdb, "%s/raw.db", dir);
	snprintf(errlog, sizeof errlog, "%s/serve.err", dir);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		die("curl_global_init", "failed");

	/* Both stores by the central store's own code: one schema. */
	tokens = xcalloc((size_t)clients, sizeof *tokens);
	if (keep)
		store_counts(cdb, &cbase, "central store");
	make_store(cdb, clients, tokens);
	make_store(rdb, clients, NULL);

	/* Every batch generated (sealed, encoded) before anything is timed. */
	g = xcalloc((size_t)entries, sizeof *g);
	batches = xcalloc((size_t)clients * (size_t)nbatches, sizeof *batches);
	for (int c = 0; c < clients; c++) {
		chain_init(&chains[c], c);
		for (int b = 0; b < nbatches; b++) {
			batch_make(&chains[c], c, entries, g,
			    &batches[c * nbatches + b]);
			bytes += batches[c * nbatches + b].len;
		}
	}

	/* Baseline, first half. */
	for (int c = 0; c < clients; c++)
		chain_init(&chains[c], c);
	if (pg_raw != NULL) {
		pgraw = PQconnectdb(pg_raw);
		if (PQstatus(pgraw) != CONNECTION_OK)
			die(pg_raw, PQerrorMessage(pgraw));
		t_raw = pgraw_run(pgraw, chains, clients, 0, nbatches / 2,
		    entries, g);
	} else {
		raw_open(&raw, rdb);
		t_raw = raw_run(&raw, chains, clients, 0, nbatches / 2,
		    entries, g);
	}

	/* The server under 20 concurrent branches. */
	pid = serve(argv[1], cdb, threads, page_path != NULL, errlog, base,
	    sizeof base);
	snprintf(url, sizeof url, "%s/v1/journal", base);
	atomic_init(&finished, 0);
	cl = xcalloc((size_t)clients, sizeof *cl);
	if (pthread_barrier_init(&start, NULL, (unsigned)clients + 1) != 0)
		die("pthread_barrier_init", strerror(errno));
	for (int c = 0; c < clients; c++) {
		cl[c].index = c;
		cl[c].url = url;
		cl[c].token = tokens[c];
		cl[c].branch = chains[c].branch;
		cl[c].batches = &batches[c * nbatches];
		cl[c].nbatches = nbatches;
		cl[c].entries = entries;
		cl[c].start = &start;
		cl[c].finished = &finished;
		if (pthread_create(&cl[c].thread, NULL, client_main, &cl[c]) != 0)
			die("pthread_create", strerror(errno));
	}
	memset(&pages, 0, sizeof pages);
	if (page_path != NULL) {
		/* The page load first, every request of it in flight. */
		snprintf(page_url, sizeof page_url, "%s%s", base, page_path);
		pages.url = page_url;
		pages.n = page_clients;
		pages.pid = pid;
		atomic_init(&pages.stop, false);
		atomic_init(&pages.answers, 0);
		atomic_init(&pages.in_flight, 0);
		if (pthread_create(&pages.thread, NULL, pages_main, &pages) !=
		    0)
			die("pthread_create", strerror(errno));
		for (t0 = now_s(); atomic_load(&pages.in_flight) < page_clients &&
		    now_s() - t0 < 30; )
			usleep(10000);
	}
	srv_cpu0 = cpu_s(pid);
	own_cpu0 = cpu_s(getpid());
	pages_before = atomic_load(&pages.answers);
	if (page_path != NULL)
		for (int c = 0; c < clients; c++)
			cl[c].deadline = now_s() + page_seconds;
	pthread_barrier_wait(&start);
	t0 = now_s();
	if (page_path != NULL) {
		/*
		 * The load lasts until every branch is through or the deadline;
		 * then it stops, so that the requests the branches have in
		 * flight are answered (at most one batch each after it).
		 */
		while (atomic_load(&finished) < clients &&
		    now_s() < t0 + page_seconds)
			usleep(20000);
		pages_during = atomic_load(&pages.answers) - pages_before;
		atomic_store(&pages.stop, true);
		pthread_join(pages.thread, NULL);
	}
	for (int c = 0; c < clients; c++) {
		pthread_join(cl[c].thread, NULL);
		if (cl[c].t_end > t_end)
			t_end = cl[c].t_end;
		retries += cl[c].retries;
		dropped += cl[c].dropped;
		done += cl[c].done;
		late += cl[c].late;
		aborted += cl[c].aborted;
		if (cl[c].error[0] != '\0') {
			fprintf(stderr, "bench_ingest: client %s: %s\n",
			    cl[c].branch, cl[c].error);
			broken = 1;
		}
	}
	t_http = t_end - t0;
	pthread_barrier_destroy(&start);
	rss_kb = peak_rss_kb(pid);
	srv_cpu = cpu_s(pid) - srv_cpu0;
	own_cpu0 = cpu_s(getpid()) - own_cpu0;
	stop_s = now_s();
	if (kill(pid, SIGTERM) != 0)
		die("stopping pos-central", strerror(errno));
	/*
	 * After the page load the server may still be rendering pages asked
	 * for before the load stopped, for clients long gone: given
	 * STOP_WAIT_S, then killed (a figure, printed, not a break).
	 */
	while ((w = waitpid(pid, &status, page_path != NULL ? WNOHANG : 0)) ==
	    0 && now_s() - stop_s < STOP_WAIT_S)
		usleep(20000);
	if (w == 0) {
		killed = true;
		if (kill(pid, SIGKILL) != 0)
			die("killing pos-central", strerror(errno));
		w = waitpid(pid, &status, 0);
	}
	if (w != pid)
		die("stopping pos-central", strerror(errno));
	stop_s = now_s() - stop_s;
	if (!killed && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		fprintf(stderr, "bench_ingest: pos-central serve did not exit 0 "
		    "(status %d); its log: %s\n", status, errlog);
		broken = 1;
	}

	/* Baseline, second half. */
	if (pgraw != NULL) {
		t_raw += pgraw_run(pgraw, chains, clients, nbatches / 2,
		    nbatches, entries, g);
		PQfinish(pgraw);
	} else {
		t_raw += raw_run(&raw, chains, clients, nbatches / 2,
		    nbatches, entries, g);
		raw_close(&raw);
	}

	if (broken) {
		fprintf(stderr, "bench_ingest: broken; files kept in %s\n", dir);
		return 1;
	}
	int64_t n_entries = (int64_t)clients * nbatches * entries;
	/* Under the page load, what was accepted before the deadline. */
	int64_t n_http = (int64_t)done * entries;
	int64_t n_stored = check_counts(cdb, &cbase, n_http,
	    (int64_t)aborted * entries, "central store");
	check_counts(rdb, &rbase, n_entries, 0, "raw store");

	double e_http = (double)n_http / t_http;
	double e_raw = (double)n_entries / t_raw;
	double ratio = e_http / e_raw;
	double rss_mb = (double)rss_kb / 1024;

	printf("cores: %ld\n", sysconf(_SC_NPROCESSORS_ONLN));
	printf("%-4s %-34s %12s %12s %8s  %-8s %s\n", "", "figure", "value",
	    "baseline", "ratio", "goal", "");
	if (pg) {
		row("P5", "entries/s (central on PG vs COPY)", e_http, e_raw,
		    ratio, ">=0.5x", ratio >= 0.5);
		row("P5", "lines/s (central on PG vs COPY)", 3 * e_http,
		    3 * e_raw, ratio, ">=0.5x", ratio >= 0.5);
	} else {
		row("P5", "entries/s (central vs raw SQLite)", e_http, e_raw,
		    ratio, ">=0.5x", ratio >= 0.5);
		row("P5", "lines/s (central vs raw SQLite)", 3 * e_http,
		    3 * e_raw, ratio, ">=0.5x", ratio >= 0.5);
	}
	if (rss_kb < 0)
		printf("P7   pos-central peak RSS: cannot read /proc/%ld/status\n",
		    (long)pid);
	else
		row("P7", "pos-central peak RSS MB (limit)", rss_mb,
		    RSS_GOAL_KB / 1024.0, rss_mb / (RSS_GOAL_KB / 1024.0),
		    "<=64MB", rss_kb <= RSS_GOAL_KB);
	printf("P5: %d clients x %d batches x %d entries (3 lines, 1 payment "
	    "each) = %lld entries, %.1f MB of JSON, over loopback to "
	    "pos-central --threads %s%s in %.2f s (%d busy retries); %s: the "
	    "same rows in %d transactions in %.2f s, half before and half "
	    "after\n", clients, nbatches, entries, (long long)n_entries,
	    (double)bytes / 1e6, threads, pg ? " on PostgreSQL" : "",
	    t_http, retries, pg ? "COPY" : "raw",
	    clients * nbatches, t_raw);
	printf("P5: during the HTTP run pos-central used %.2f CPU-s and the "
	    "clients %.2f CPU-s of the %.2f core-s there were\n", srv_cpu,
	    own_cpu0, t_http * (double)sysconf(_SC_NPROCESSORS_ONLN));
	if (page_path != NULL) {
		double med = 0, p95 = 0;

		qsort(pages.ms, pages.nms, sizeof *pages.ms, cmp_double);
		if (pages.nms > 0) {
			med = pages.ms[pages.nms / 2];
			p95 = pages.ms[pages.nms * 95 / 100];
		}
		if (late > 0)
			printf("P5: under the page load %d of the %d clients "
			    "stopped at the %d s deadline: %lld of the %lld "
			    "entries were accepted (%lld stored, %d batches "
			    "given up on in flight); %d dropped connections "
			    "or 429s were tried again\n", late, clients,
			    page_seconds, (long long)n_http,
			    (long long)n_entries, (long long)n_stored, aborted,
			    dropped);
		/* One line for bench_office_pages.py; key=value. */
		if (killed)
			printf("P5: pos-central had not stopped %.0f s after "
			    "SIGTERM (still answering the page requests it had "
			    "taken in): killed\n", STOP_WAIT_S);
		printf("pages: stop_s=%.1f killed=%d ingest_late=%d "
		    "ingest_dropped=%d ingest_aborted=%d "
		    "ingest_accepted=%lld ingest_sent=%lld "
		    "clients=%d most_in_flight=%d answers=%zu "
		    "during_ingest=%ld not_ok=%ld median_ms=%.1f p95_ms=%.1f "
		    "bytes_each=%.0f rss_max_kb=%ld rss_samples=%d "
		    "hwm_kb=%ld\n", stop_s, killed, late, dropped, aborted, (long long)n_http,
		    (long long)n_entries, page_clients, pages.most_running,
		    pages.nms, pages_during, pages.bad, med, p95,
		    pages.nms > 0 ? pages.bytes / (double)pages.nms : 0,
		    pages.rss_max_kb, pages.samples, rss_kb);
		/* The server's to refuse under load: a figure, not a break. */
		if (pages.bad > 0)
			printf("P5: %ld page requests failed, the first: %s\n",
			    pages.bad, pages.error);
		free(pages.ms);
	}

	for (int i = 0; i < clients * nbatches; i++)
		free(batches[i].body);
	free(batches);
	free(cl);
	free(g);
	free(tokens);
	curl_global_cleanup();
	if (!pg) {
		if (!keep)
			rm_db(cdb);
		rm_db(rdb);
	}
	if (getenv("BENCH_INGEST_LOG") != NULL)
		rename(errlog, getenv("BENCH_INGEST_LOG"));
	unlink(errlog);
	rmdir(dir);
	return 0;
}
