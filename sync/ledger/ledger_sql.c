/*
 * Entries, lines and payments to and from SQL rows, by the field table.
 */
#include "ledger_sql.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sqldb.h"

static int
stored(const struct ledger_field *f, int skip)
{
	return f->type != LEDGER_FT_FORMAT && f->type != LEDGER_FT_ARRAY &&
	    (f->flags & skip) == 0;
}

int
ledger_sql_columns(const struct ledger_table *t, int skip, char **names,
    char **params)
{
	struct buf n = { NULL, 0, 0 }, p = { NULL, 0, 0 };
	const struct ledger_field *f;
	const char *col;
	int count = 0;

	for (size_t i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		if (!stored(f, skip))
			continue;
		if (count++ > 0) {
			buf_add(&n, ", ", 2);
			buf_add(&p, ", ", 2);
		}
		col = f->column != NULL ? f->column : f->name;
		buf_add(&n, col, strlen(col));
		buf_addc(&p, '?');
	}
	if (names != NULL)
		*names = buf_str(&n);
	else
		free(n.data);
	if (params != NULL)
		*params = buf_str(&p);
	else
		free(p.data);
	return count;
}

int
ledger_sql_bind(sqlite3_stmt *stmt, int first, const struct ledger_table *t,
    int skip, const void *base)
{
	const struct ledger_field *f;
	const char *at;
	int k = first;

	for (size_t i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		if (!stored(f, skip))
			continue;
		at = (const char *)base + f->off;
		switch (f->type) {
		case LEDGER_FT_BUF:
			sqldb_bind_text(stmt, k, at);
			break;
		case LEDGER_FT_STR:
		case LEDGER_FT_OPTSTR:
			sqldb_bind_text(stmt, k, *(char *const *)(const void *)at);
			break;
		default:
			sqlite3_bind_int64(stmt, k,
			    *(const int64_t *)(const void *)at);
			break;
		}
		k++;
	}
	return k;
}

int
ledger_sql_read(sqlite3_stmt *stmt, int first, const struct ledger_table *t,
    int skip, void *base)
{
	const struct ledger_field *f;
	char *at;
	int k = first;

	for (size_t i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		if (!stored(f, skip))
			continue;
		at = (char *)base + f->off;
		switch (f->type) {
		case LEDGER_FT_BUF:
			sqldb_column_copy(stmt, k, at, (size_t)f->max + 1);
			break;
		case LEDGER_FT_STR:
		case LEDGER_FT_OPTSTR:
			*(char **)(void *)at = sqldb_column_dup(stmt, k);
			break;
		default:
			*(int64_t *)(void *)at = sqlite3_column_int64(stmt, k);
			break;
		}
		k++;
	}
	return k;
}
