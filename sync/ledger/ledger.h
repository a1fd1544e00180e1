/*
 * The ledger entry: one journal entry exactly as the window stores it and the
 * central server receives it, with its canonical encoding and hash chain.
 *
 *   hash = SHA-256(prev_hash || canonical bytes of the entry)
 *
 * where prev_hash is the previous entry's 32 raw hash bytes (32 zero bytes
 * before the first entry) and the canonical bytes are defined in
 * sync/ledger/CANONICAL.md. Hashes travel as 64 lowercase hex digits.
 * Amounts are int64 minor units of the entry's currency; quantities are
 * thousandths.
 */
#ifndef POS_LEDGER_H
#define POS_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cause.h"

#define LEDGER_FORMAT	1
#define LEDGER_HASH_HEX	65	/* 64 hex digits and NUL */
#define LEDGER_UUID_LEN	37

/*
 * Bounds ledger_from_json and ledger_validate enforce, so that the window
 * refuses at sale time what the server would refuse at sync time.
 */
#define LEDGER_MAX_LINES	1000
#define LEDGER_MAX_PAYMENTS	16
#define LEDGER_MAX_AMOUNT	INT64_C(1000000000000000)	/* |amount|, |qty| */
#define LEDGER_MAX_NAME		480	/* bytes: names, user, reason */
#define LEDGER_MAX_CODE		32	/* bytes: codes, branch, currency */
#define LEDGER_MAX_RECEIPT	64	/* bytes */

/* Entry kinds, in the journal's own words. */
#define LEDGER_KINDS "day_open sale void refund payout cash_in cash_out day_close"

struct ledger_line {
	char	*product_code;
	char	*product_name;
	char	*producer_code;
	char	*producer_name;
	char	*unit;		/* "piece" | "kg" */
	int64_t	 qty;		/* thousandths */
	int64_t	 unit_price;	/* minor units per piece or per kg */
	int64_t	 total;		/* price x qty, rounded half up: before discount */
	int64_t	 discount;	/* this line's share of the sale discount */
	int64_t	 net;		/* total - discount: what was paid for the line */
};

struct ledger_payment {
	char	*method;	/* "cash" | "card" | "other" */
	int64_t	 tendered;	/* handed over */
	int64_t	 amount;	/* applied to the entry: tendered minus change */
};

struct ledger_entry {
	char	 uuid[LEDGER_UUID_LEN];
	int64_t	 seq;		/* gapless per terminal, from 1 */
	char	*kind;
	char	*receipt;	/* <branch>-<terminal>-<seq, 6 digits> */
	char	*branch;
	int64_t	 terminal;
	char	*created_at;	/* UTC, "2026-03-01T09:15:02Z" */
	char	*business_date;	/* "2026-03-01" */
	char	*user;
	char	*currency;	/* "SYP" */
	int64_t	 decimals;	/* minor-unit digits of the currency */
	char	*ref_uuid;	/* entry corrected (void, refund); NULL if none */
	char	*ref_receipt;	/* its receipt number; NULL if none */
	char	*producer_code;	/* payout; NULL otherwise */
	char	*producer_name;
	int64_t	 amount;	/* day_open float, payout, cash_in/out, day_close counted */
	char	*reason;	/* NULL if none */
	int64_t	 total;		/* sale: due after discount; refund: returned */
	int64_t	 discount;
	int64_t	 paid;		/* sum of tendered */
	int64_t	 change;
	size_t	 nlines;
	struct ledger_line *lines;
	size_t	 npayments;
	struct ledger_payment *payments;
	char	 prev_hash[LEDGER_HASH_HEX];
	char	 hash[LEDGER_HASH_HEX];
};

/*
 * The field table: one row per field of an entry, a line and a payment, in
 * canonical order (reordering rows changes every hash). It is the one list
 * of fields: the encoder, the parsers, the validator and the destructor
 * here, the stores' SQL columns (ledger_sql.h) and the JSON an entry is
 * shown in (ledger_show_json) all walk it, so a new field is one row (and
 * a migration of each store).
 */
enum ledger_ftype {
	LEDGER_FT_FORMAT,	/* "v": always LEDGER_FORMAT, not stored */
	LEDGER_FT_BUF,		/* char array inside the struct, max + 1 bytes */
	LEDGER_FT_STR,		/* char *, required */
	LEDGER_FT_OPTSTR,	/* char *, NULL is JSON null and SQL NULL */
	LEDGER_FT_INT,		/* int64_t */
	LEDGER_FT_ARRAY		/* pointer and count of sub-objects */
};

#define LEDGER_FIELD_WIRE	0x01	/* wire only, not in the canonical bytes */
#define LEDGER_FIELD_SEALED	0x02	/* filled in by ledger_seal */
#define LEDGER_FIELD_IDENTITY	0x04	/* the terminal's own: a window's journal
					   keeps it in its store, not per row */
#define LEDGER_FIELD_MONEY	0x08	/* minor units: shown as money */
#define LEDGER_FIELD_QTY	0x10	/* thousandths: shown as a quantity */

struct ledger_table;

struct ledger_field {
	const char		*name;	/* JSON key */
	enum ledger_ftype	 type;
	int			 flags;	/* LEDGER_FIELD_* */
	size_t			 off;	/* in the struct the table describes */
	int64_t			 min;	/* strings: bytes; arrays: entries */
	int64_t			 max;
	const char		*(*check)(const char *);	/* complaint or NULL */
	const struct ledger_table *sub;	/* ARRAY: element table */
	size_t			 count_off;	/* ARRAY: its size_t count */
	const char		*column;	/* SQL column; NULL: name */
	int			 show;	/* place in ledger_show_json, from 1;
					   0: not shown */
	const char		*show_key;	/* its key there; NULL: name */
};

struct ledger_table {
	const struct ledger_field *fields;
	size_t			 nfields;
	size_t			 size;	/* of one element */
};

extern const struct ledger_table ledger_entry_table;
extern const struct ledger_table ledger_line_table;
extern const struct ledger_table ledger_payment_table;

/* All-zero previous hash that starts every terminal's chain. */
extern const char ledger_genesis[LEDGER_HASH_HEX];

/*
 * The canonical bytes of an entry (everything but prev_hash and hash).
 * Returns a NUL-terminated buffer the caller frees; *len gets its length.
 * NULL when the entry cannot be encoded: a required string is NULL or a
 * string is not valid UTF-8.
 */
char	*ledger_canonical(const struct ledger_entry *e, size_t *len);

/*
 * hash_hex = SHA-256(prev_hex as 32 bytes || canonical), in lowercase.
 * POS_OK, or POS_FAIL (hash_hex untouched) if prev_hex is not 64 hex digits
 * of either case.
 */
int	 ledger_hash(const char *prev_hex, const char *canon, size_t len,
	    char hash_hex[LEDGER_HASH_HEX]);

/*
 * Check the entry with every rule of ledger_from_json except the one on
 * e->hash (which ledger_seal fills in). Returns POS_OK, or POS_FAIL with *cause
 * (caller frees; cause may be NULL) naming the field, e.g. "lines[2].qty: ...".
 */
int	 ledger_validate(const struct ledger_entry *e, char **cause);

/*
 * The rules on what an entry says, beyond its form (ledger_rules.c, listed
 * in sync/PROTOCOL.md). The window checks a sale, a void and a refund with
 * them before sealing it; the central server refuses an entry that breaks
 * one. Each returns POS_OK, or POS_FAIL with *cause (caller frees; cause
 * may be NULL) naming the field, e.g. "lines[1].net: ...".
 *
 * ledger_rules_amounts: what the kind carries (lines, payments, ref_*,
 * producer_*, reason, amount's sign) and its arithmetic: a sale's lines are
 * unit_price x qty rounded half up, net = total - discount, the lines add
 * up to the entry's total and discount (within LEDGER_MAX_AMOUNT), the
 * payments to paid and total, change = paid - total and only from cash;
 * a refund the same without change and with its lines' totals taken as
 * sent; a void the voided sale's figures, not negative.
 * ledger_rules: those, and the receipt is <branch>-<terminal>-<seq, 6
 * digits> of the entry itself and ref_receipt an earlier receipt of the
 * same terminal (the window's journal numbers them so as it seals).
 */
int	 ledger_rules_amounts(const struct ledger_entry *e, char **cause);
int	 ledger_rules(const struct ledger_entry *e, char **cause);

/*
 * The entry's created_at and business_date lie within ahead days after and
 * back days before the date of now (UTC, "YYYY-MM-DDTHH:MM:SSZ"). POS_OK,
 * or POS_FAIL with *cause as above.
 */
int	 ledger_rules_dates(const struct ledger_entry *e, const char *now,
	    int ahead, int back, char **cause);

/*
 * Compute e->hash from e->prev_hash and the entry. POS_OK, or POS_FAIL
 * (e->hash left unchanged) when ledger_validate refuses the entry.
 */
int	 ledger_seal(struct ledger_entry *e);

/* 1 when e->hash matches what the entry and e->prev_hash give, else 0. */
int	 ledger_check(const struct ledger_entry *e);

/*
 * The wire form: the canonical fields plus prev_hash and hash (new
 * reference). NULL when ledger_canonical would give NULL.
 */
json_t	*ledger_to_json(const struct ledger_entry *e);

/*
 * The same wire form as compact JSON text, what ledger_to_json dumps to,
 * without building the tree. Caller frees; NULL as for ledger_canonical.
 */
char	*ledger_wire(const struct ledger_entry *e, size_t *len);

/*
 * The wire form appended to the buffer *buf of *len bytes used and *cap
 * allocated (grown as needed, NUL after), as a batch is built. Returns the
 * bytes added; 0, with *len as it was, when e cannot be encoded.
 */
size_t	 ledger_wire_append(const struct ledger_entry *e, char **buf,
	    size_t *len, size_t *cap);

/*
 * Parse and validate the wire form into *e (zeroed first; free with
 * ledger_entry_free). Returns POS_OK, or POS_FAIL with *cause (caller frees).
 */
int	 ledger_from_json(const json_t *j, struct ledger_entry *e, char **cause);

/*
 * An entry read from the events of a streaming JSON parser: the central
 * server reads batches with yajl, ten times faster than building a jansson
 * tree of them. The same rules and the same messages as ledger_from_json,
 * validation included. ledger_reader_begin() before the entry's value (the
 * next event starts it, an object or not), then every event of that value:
 * LEDGER_READ_MORE while it goes on; when it has ended, LEDGER_READ_DONE
 * with *e filled, or LEDGER_READ_BAD with *cause (e is freed); or, at
 * once, LEDGER_READ_DUP for a key given twice, which makes the whole body
 * not valid JSON (*cause names the key; e is freed). For a string or key,
 * s and len are its bytes (not NUL-terminated); for an integer, i.
 */
enum ledger_event {
	LEDGER_EV_NULL, LEDGER_EV_BOOL, LEDGER_EV_INT, LEDGER_EV_DOUBLE,
	LEDGER_EV_STRING, LEDGER_EV_KEY, LEDGER_EV_START_MAP,
	LEDGER_EV_END_MAP, LEDGER_EV_START_ARRAY, LEDGER_EV_END_ARRAY
};
enum {
	LEDGER_READ_MORE, LEDGER_READ_DONE, LEDGER_READ_BAD, LEDGER_READ_DUP
};
struct ledger_reader;

struct ledger_reader *ledger_reader_new(void);
void	 ledger_reader_free(struct ledger_reader *);
void	 ledger_reader_begin(struct ledger_reader *, struct ledger_entry *e);
int	 ledger_reader_event(struct ledger_reader *, enum ledger_event,
	    int64_t i, const char *s, size_t len, char **cause);

/*
 * The entry as `pos --json` shows it (new reference): the fields with a
 * show place, in that order, under their show keys; money fields through
 * money(arg, amount), which gives a new reference (the caller formats
 * money as its configuration says), quantities as qty_format writes them,
 * NULL optional strings as null.
 */
json_t	*ledger_show_json(const struct ledger_entry *e,
	    json_t *(*money)(void *arg, int64_t amount), void *arg);

/* Frees what the entry points to (not the struct itself). */
void	 ledger_entry_free(struct ledger_entry *e);

#endif
