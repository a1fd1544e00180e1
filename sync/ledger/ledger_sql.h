/*
 * The ledger field table as SQL columns: what both stores (the window's
 * journal and the central store) need to write an entry, a line or a
 * payment into a row and read it back, so that neither lists the fields.
 * A field's column is its name unless the row says otherwise; the format
 * version and the arrays (their own tables) have no column. Which SQL table
 * and which extra columns (keys, line numbers) is the store's business:
 * this file knows SQLite's binding calls (through config's sqldb.h), not a
 * store, which keeps the design's "sync/ledger knows nothing of storage"
 * in spirit while the columns stay with the fields they come from.
 */
#ifndef POS_LEDGER_SQL_H
#define POS_LEDGER_SQL_H

#include <sqlite3.h>

#include "ledger.h"

/*
 * The stored columns of t, leaving out fields with any of the skip flags
 * (LEDGER_FIELD_*), as "a, b, c" and as "?, ?, ?" (either may be NULL).
 * New strings, caller frees; returns the number of columns.
 */
int	 ledger_sql_columns(const struct ledger_table *t, int skip,
	    char **names, char **params);

/*
 * Bind the stored fields of the object at base, by table t without skip,
 * to parameters first, first + 1, ... in column order. Returns the next
 * parameter index.
 */
int	 ledger_sql_bind(sqlite3_stmt *, int first, const struct ledger_table *t,
	    int skip, const void *base);

/*
 * Fill the stored fields of the object at base from columns first, ... of
 * the current row (strings are new; free with ledger_entry_free). Returns
 * the next column index.
 */
int	 ledger_sql_read(sqlite3_stmt *, int first, const struct ledger_table *t,
	    int skip, void *base);

#endif
