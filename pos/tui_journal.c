#include "tui_journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static void
tui_journal_copy(char *dst, size_t len, const unsigned char *src)
{
	snprintf(dst, len, "%s", src != NULL ? (const char *)src : "");
}

int
tui_journal_sales(struct store *st, const char *date, size_t max,
    struct tui_receipt **out, size_t *n, char **cause)
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
		struct tui_receipt *t;

		if (*n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		t = &(*out)[(*n)++];
		memset(t, 0, sizeof *t);
		t->seq = sqlite3_column_int64(stmt, 0);
		tui_journal_copy(t->receipt, sizeof t->receipt,
		    sqlite3_column_text(stmt, 1));
		tui_journal_copy(t->time, sizeof t->time,
		    sqlite3_column_text(stmt, 2));
		tui_journal_copy(t->user, sizeof t->user,
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
