/*
 * Window benchmarks, each measured side by side with its baseline in one run:
 *
 *   P1  a durable sale (1 sale + 3 lines + 1 payment) through the store API
 *       vs the same rows written with raw SQLite at the same durability
 *       (WAL, synchronous=FULL, BEGIN IMMEDIATE), goal >= 0.8x the rate;
 *   P2  `pos sell` as a whole process vs the sqlite3 command doing the same
 *       durable insert, goal <= 1.5x the wall time; P2b the same on the
 *       default path, printing: with no printer and no CUPS, the receipt
 *       is written as a text file, same goal;
 *   P4  close of day with 10,000 sales: the Z report and the ledger batch
 *       encoding of every entry, goal <= 100 ms; beside it, the floor of
 *       reading the same rows with raw SQLite.
 *
 * usage: bench_window POS_BINARY [--short]
 * Rounds alternate between the two sides so drift hits both alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "catalog.h"
#include "journal.h"
#include "report.h"
#include "config.h"
#include "sale.h"
#include "store.h"
#include "till.h"
#include "user.h"
#include "xalloc.h"

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
	fprintf(stderr, "bench: %s: %s\n", what, cause != NULL ? cause : "");
	exit(1);
}

/* A store with one producer, three products, a user and an open day. */
static struct store *
setup_store(const char *path, const struct config *cfg)
{
	struct store *st;
	struct ledger_entry e;
	char *cause = NULL;

	if (store_open(path, true, cfg, &st, &cause) != POS_OK ||
	    store_init_identity(st, "BENCH", 1, NULL, &cause) != POS_OK ||
	    catalog_producer_add(st, "P1", "أسرة الاختبار", NULL, &cause) !=
	    POS_OK ||
	    catalog_product_add(st, "A", "مربى", 1500, "piece", "P1", NULL,
	    true, &cause) != POS_OK ||
	    catalog_product_add(st, "B", "زيت", 40000, "kg", "P1", NULL, true,
	    &cause) != POS_OK ||
	    catalog_product_add(st, "C", "Bowl", 25000, "piece", "P1", NULL,
	    true, &cause) != POS_OK ||
	    user_add(st, "u", "attendant", "1234", &cause) != POS_OK ||
	    till_day_open(st, "u", 0, &e, &cause) != POS_OK)
		die("setup", cause);
	ledger_entry_free(&e);
	return st;
}

static void
api_sales(struct store *st, int n)
{
	static const struct sale_item items[] = {
		{ "A", 2000 }, { "B", 250 }, { "C", 1000 }
	};
	struct sale_request req = { "u", items, 3, NULL, 0, 0 };
	struct ledger_entry e;
	char *cause = NULL;

	for (int i = 0; i < n; i++) {
		if (sale_sell(st, &req, &e, &cause) != POS_OK)
			die("sale", cause);
		ledger_entry_free(&e);
	}
}

/* The same rows with prepared statements and nothing else. */
struct raw {
	sqlite3		*db;
	sqlite3_stmt	*entry, *line, *pay, *begin, *commit;
	long long	 seq;
};

static void
raw_prepare(struct raw *r, struct store *st)
{
	r->db = st->db->conn;
	r->seq = 100;
	if (sqlite3_prepare_v2(r->db, "INSERT INTO journal (seq, uuid, kind,"
	    " receipt, created_at, business_date, user, currency, decimals,"
	    " amount, total, discount, paid, change, prev_hash, hash) VALUES"
	    " (?1, lower(hex(randomblob(16))), 'sale', 'R-' || ?1,"
	    " '2026-03-01T09:00:00Z', '2026-03-01', 'u', 'SYP', 0, 0, 38000, 0,"
	    " 38000, 0, ?2, ?2)", -1, &r->entry, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT INTO journal_lines (seq, line_no,"
	    " product_code, product_name, producer_code, producer_name, unit,"
	    " qty, unit_price, total, discount, net) VALUES (?1, ?2, 'A',"
	    " 'مربى', 'P1', 'أسرة الاختبار', 'piece', 1000, 1500, 1500, 0,"
	    " 1500)", -1, &r->line, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT INTO journal_payments (seq,"
	    " pay_no, method, tendered, amount) VALUES (?1, 1, 'cash', 38000,"
	    " 38000)", -1, &r->pay, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "BEGIN IMMEDIATE", -1, &r->begin, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "COMMIT", -1, &r->commit, NULL) !=
	    SQLITE_OK)
		die("raw prepare", sqlite3_errmsg(r->db));
}

static void
raw_step(struct raw *r, sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die("raw", sqlite3_errmsg(r->db));
	sqlite3_reset(s);
}

static void
raw_sales(struct raw *r, int n)
{
	static const char hash[] =
	    "0000000000000000000000000000000000000000000000000000000000000000";

	for (int i = 0; i < n; i++) {
		r->seq++;
		raw_step(r, r->begin);
		sqlite3_bind_int64(r->entry, 1, r->seq);
		sqlite3_bind_text(r->entry, 2, hash, -1, SQLITE_STATIC);
		raw_step(r, r->entry);
		for (int l = 1; l <= 3; l++) {
			sqlite3_bind_int64(r->line, 1, r->seq);
			sqlite3_bind_int(r->line, 2, l);
			raw_step(r, r->line);
		}
		sqlite3_bind_int64(r->pay, 1, r->seq);
		raw_step(r, r->pay);
		raw_step(r, r->commit);
	}
}

static void
raw_finish(struct raw *r)
{
	sqlite3_finalize(r->entry);
	sqlite3_finalize(r->line);
	sqlite3_finalize(r->pay);
	sqlite3_finalize(r->begin);
	sqlite3_finalize(r->commit);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Run argv to completion, stdout to /dev/null; wall time in seconds. */
static double
run_timed(const char *const argv[], const char *stdin_text)
{
	int in[2];
	double t0 = now_s();
	pid_t pid;
	int status;

	if (pipe(in) != 0)
		die("pipe", strerror(errno));
	if ((pid = fork()) == -1)
		die("fork", strerror(errno));
	if (pid == 0) {
		dup2(in[0], 0);
		close(in[0]);
		close(in[1]);
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(126);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	if (stdin_text != NULL &&
	    write(in[1], stdin_text, strlen(stdin_text)) < 0)
		die("write", strerror(errno));
	close(in[1]);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		die("child failed", argv[0]);
	return now_s() - t0;
}

/* Batches of 200 as the push makes them: a full one is encoded and a new one begun. */
struct close_run {
	struct store		*st;
	struct batch_writer	*w;
	size_t			 batches;
	char			*cause;
};

static int
close_add(void *arg, const struct ledger_entry *e)
{
	struct close_run *c = arg;
	char key[BATCH_KEY_MAX + 1], *body;
	size_t len;
	int added = batch_writer_add(c->w, e, &c->cause);

	if (added == BATCH_FULL) {
		body = batch_writer_finish(c->w, &len, key);
		free(body);
		batch_writer_free(c->w);
		c->batches++;
		c->w = batch_writer_new(c->st->branch, c->st->terminal, 200,
		    1u << 20);
		added = batch_writer_add(c->w, e, &c->cause);
	}
	return added == POS_OK ? POS_OK : POS_FAIL;
}

/*
 * The Z report and every entry of the day encoded into sync batches, the
 * way `pos day close` and its push read them (journal_each in one read
 * snapshot); ms.
 */
static double
close_of_day(struct store *st)
{
	struct report_day r;
	struct close_run c = { st, NULL, 0, NULL };
	char date[11], key[BATCH_KEY_MAX + 1], *cause = NULL, *body;
	size_t len;
	bool open;
	double t0 = now_s();

	if (journal_day(st, date, &open, &cause) != POS_OK ||
	    report_day(st, date, &r, &cause) != POS_OK)
		die("report", cause);
	c.w = batch_writer_new(st->branch, st->terminal, 200, 1u << 20);
	if (sqldb_begin(st->db, false, &cause) != POS_OK ||
	    journal_each(st, 1, r.last_seq, close_add, &c, &cause) != POS_OK)
		die("close of day", cause != NULL ? cause : c.cause);
	sqldb_rollback(st->db);
	body = batch_writer_finish(c.w, &len, key);
	free(body);
	batch_writer_free(c.w);
	if (r.sales_count <= 0 || c.batches == 0)
		die("close of day", "nothing was encoded");
	return (now_s() - t0) * 1000;
}

/* The floor: every row of the same tables read with raw SQLite; ms. */
static double
raw_read(struct store *st)
{
	static const char *const sql[] = {
		"SELECT * FROM journal", "SELECT * FROM journal_lines",
		"SELECT * FROM journal_payments"
	};
	sqlite3_stmt *stmt;
	double t0 = now_s();
	int64_t sum = 0;

	for (size_t i = 0; i < 3; i++) {
		if (sqlite3_prepare_v2(st->db->conn, sql[i], -1, &stmt, NULL) !=
		    SQLITE_OK)
			die("raw read", sqlite3_errmsg(st->db->conn));
		while (sqlite3_step(stmt) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(stmt); c++)
				sum += sqlite3_column_bytes(stmt, c);
		sqlite3_finalize(stmt);
	}
	if (sum == 0)
		die("raw read", "no rows");
	return (now_s() - t0) * 1000;
}

static void
row(const char *name, const char *unit, double value, double base,
    double ratio, const char *goal, int met)
{
	printf("%-4s %-34s %12.1f %12.1f %7.2fx  %-8s %s\n", name, unit, value,
	    base, ratio, goal, met ? "met" : "MISSED");
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct store *a, *b;
	struct raw raw;
	char dir[] = "/tmp/pos-bench.XXXXXX", pa[256], pb[256], pc[256];
	bool shrt = argc > 2 && strcmp(argv[2], "--short") == 0;
	int rounds = shrt ? 3 : 10, per = shrt ? 100 : 300;
	int procs = shrt ? 15 : 60;
	double t_api = 0, t_raw = 0, t0;
	double *tp, *ts, *tt;
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_window POS_BINARY [--short]\n");
		return 2;
	}
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", strerror(errno));
	config_defaults(&cfg);
	snprintf(pa, sizeof pa, "%s/api.db", dir);
	snprintf(pb, sizeof pb, "%s/raw.db", dir);
	snprintf(pc, sizeof pc, "%s/proc.db", dir);
	a = setup_store(pa, &cfg);
	b = setup_store(pb, &cfg);
	raw_prepare(&raw, b);
	/* Diagnosis: BENCH_SYNC=OFF shows the CPU cost alone, without fsync. */
	if (getenv("BENCH_SYNC") != NULL) {
		char *pragma = xasprintf("PRAGMA synchronous=%s",
		    getenv("BENCH_SYNC"));

		sqlite3_exec(a->db->conn, pragma, NULL, NULL, NULL);
		sqlite3_exec(b->db->conn, pragma, NULL, NULL, NULL);
		free(pragma);
	}
	for (int r = 0; r < rounds; r++) {
		t0 = now_s();
		api_sales(a, per);
		t_api += now_s() - t0;
		t0 = now_s();
		raw_sales(&raw, per);
		t_raw += now_s() - t0;
	}
	raw_finish(&raw);
	store_close(a);
	store_close(b);

	/* P2: whole processes. */
	b = setup_store(pc, &cfg);
	store_close(b);
	/* The sale alone: printing is measured with the receipts (P6). */
	const char *pos_argv[] = { argv[1], "--db", pc, "sell", "--no-print",
	    "--user", "u", "A*2", "B*0.250", "C", NULL };
	const char *pos_argv2[] = { argv[1], "--db", pc, "sell",
	    "--user", "u", "A*2", "B*0.250", "C", NULL };
	const char *sql_argv[] = { "sqlite3", pc, NULL };
	const char *sql =
	    "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
	    "BEGIN IMMEDIATE;"
	    "INSERT INTO journal (seq, uuid, kind, receipt, created_at,"
	    " business_date, user, currency, decimals, amount, total, discount,"
	    " paid, change, prev_hash, hash) SELECT max(seq) + 1,"
	    " lower(hex(randomblob(16))), 'sale', 'S-' || (max(seq) + 1),"
	    " '2026-03-01T09:00:00Z', '2026-03-01', 'u', 'SYP', 0, 0, 38000, 0,"
	    " 38000, 0, lower(hex(randomblob(32))), lower(hex(randomblob(32))) FROM journal;"
	    "INSERT INTO journal_lines SELECT max(seq), 1, 'A', 'مربى', 'P1', 'أ',"
	    " 'piece', 2000, 1500, 3000, 0, 3000 FROM journal;"
	    "INSERT INTO journal_lines SELECT max(seq), 2, 'B', 'زيت', 'P1', 'أ',"
	    " 'kg', 250, 40000, 10000, 0, 10000 FROM journal;"
	    "INSERT INTO journal_lines SELECT max(seq), 3, 'C', 'Bowl', 'P1', 'أ',"
	    " 'piece', 1000, 25000, 25000, 0, 25000 FROM journal;"
	    "INSERT INTO journal_payments SELECT max(seq), 1, 'cash', 38000, 38000"
	    " FROM journal;"
	    "COMMIT;";
	tp = xcalloc((size_t)procs, sizeof *tp);
	ts = xcalloc((size_t)procs, sizeof *ts);
	tt = xcalloc((size_t)procs, sizeof *tt);
	setenv("POS_SYSTEM_CONFIG", "", 1);
	/* No printer and no CUPS: whatever the machine runs, not reached. */
	char *nocups = xasprintf("%s/no-cupsd.sock", dir);
	setenv("CUPS_SERVER", nocups, 1);
	for (int i = 0; i < procs; i++) {
		tp[i] = run_timed(pos_argv, NULL);
		ts[i] = run_timed(sql_argv, sql);
		tt[i] = run_timed(pos_argv2, NULL);
	}
	free(nocups);
	qsort(tp, (size_t)procs, sizeof *tp, cmp_double);
	qsort(ts, (size_t)procs, sizeof *ts, cmp_double);
	qsort(tt, (size_t)procs, sizeof *tt, cmp_double);

	/* P4: a day of 10,000 sales, filled fast, then closed as measured. */
	char pd[256];
	struct store *d;
	double t_close[5], t_rawread[5];

	snprintf(pd, sizeof pd, "%s/day.db", dir);
	d = setup_store(pd, &cfg);
	sqlite3_exec(d->db->conn, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	api_sales(d, 10000);
	sqlite3_exec(d->db->conn, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	for (int i = 0; i < 5; i++) {
		t_close[i] = close_of_day(d);
		t_rawread[i] = raw_read(d);
	}
	store_close(d);
	qsort(t_close, 5, sizeof *t_close, cmp_double);
	qsort(t_rawread, 5, sizeof *t_rawread, cmp_double);

	double n = (double)rounds * per;
	double api_rate = n / t_api, raw_rate = n / t_raw;
	double p_med = tp[procs / 2] * 1000, s_med = ts[procs / 2] * 1000;
	double t_med = tt[procs / 2] * 1000;

	printf("cores: %ld\n", sysconf(_SC_NPROCESSORS_ONLN));
	printf("%-4s %-34s %12s %12s %8s  %-8s %s\n", "", "figure", "value",
	    "baseline", "ratio", "goal", "");
	row("P1", "durable sales/s (API vs raw)", api_rate, raw_rate,
	    api_rate / raw_rate, ">=0.8x", api_rate / raw_rate >= 0.8);
	row("P2", "ms per sale process (median)", p_med, s_med, p_med / s_med,
	    "<=1.5x", p_med / s_med <= 1.5);
	row("P2b", "ms per sale process, text receipt", t_med, s_med,
	    t_med / s_med, "<=1.5x", t_med / s_med <= 1.5);
	row("P4", "ms close of 10,000 sales (median)", t_close[2], t_rawread[2],
	    t_close[2] / t_rawread[2], "<=100ms", t_close[2] <= 100);
	printf("P1: %.0f sales each side in %d alternating rounds; "
	    "P2: %d runs each, alternating; P4: Z report + every entry in "
	    "batches of 200, 5 runs, baseline: raw read of the same rows\n",
	    n, rounds, procs);
	free(tp);
	free(ts);
	free(tt);
	config_free(&cfg);
	/* Clean up the temp dir. */
	const char *suffix[] = { "", "-wal", "-shm" };
	const char *files[] = { pa, pb, pc, pd };
	for (size_t f = 0; f < 4; f++)
		for (size_t s = 0; s < 3; s++) {
			char p[300];

			snprintf(p, sizeof p, "%s%s", files[f], suffix[s]);
			unlink(p);
		}
	rmdir(dir);
	return failed;
}
