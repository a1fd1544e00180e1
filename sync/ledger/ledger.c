/*
 * Ledger entries: the field tables, canonical bytes and the SHA-256 chain.
 * One table of fields per JSON object drives the encoder, the parsers, the
 * validator and the destructor, so the canonical key order
 * (sync/ledger/CANONICAL.md) and the rules cannot drift apart. The rules
 * themselves (the checks the table names) are in ledger_validate.c, the
 * streaming reader of the wire form in ledger_reader.c.
 */
#include "ledger.h"

#include <nettle/sha2.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ledger_int.h"
#include "money.h"
#include "utf8.h"

/*
 * jansson writes objects in insertion order (JSON_PRESERVE_ORDER is implied
 * since 2.8; it is kept for older builds). No JSON_ENSURE_ASCII: non-ASCII
 * stays raw UTF-8. No JSON_ESCAPE_SLASH: '/' stays raw.
 */
#define LEDGER_DUMP_FLAGS	(JSON_COMPACT | JSON_PRESERVE_ORDER)

#define LEDGER_HASH_LEN		32

const char ledger_genesis[LEDGER_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

#define LINE(f)		offsetof(struct ledger_line, f)
#define PAYMENT(f)	offsetof(struct ledger_payment, f)
#define ENTRY(f)	offsetof(struct ledger_entry, f)
#define AMOUNT		.min = -LEDGER_MAX_AMOUNT, .max = LEDGER_MAX_AMOUNT
#define MONEY		LEDGER_FIELD_MONEY

/* Rows are in canonical order: reordering them changes every hash. */
static const struct ledger_field line_fields[] = {
	{ .name = "product_code", .type = LEDGER_FT_STR,
	  .off = LINE(product_code), .min = 1, .max = LEDGER_MAX_CODE,
	  .show = 1 },
	{ .name = "product_name", .type = LEDGER_FT_STR,
	  .off = LINE(product_name), .min = 1, .max = LEDGER_MAX_NAME,
	  .show = 2 },
	{ .name = "producer_code", .type = LEDGER_FT_STR,
	  .off = LINE(producer_code), .min = 1, .max = LEDGER_MAX_CODE,
	  .show = 3 },
	{ .name = "producer_name", .type = LEDGER_FT_STR,
	  .off = LINE(producer_name), .min = 1, .max = LEDGER_MAX_NAME,
	  .show = 4 },
	{ .name = "unit", .type = LEDGER_FT_STR, .off = LINE(unit),
	  .min = 1, .max = 5, .check = ledger_check_unit, .show = 5 },
	{ .name = "qty", .type = LEDGER_FT_INT, .flags = LEDGER_FIELD_QTY,
	  .off = LINE(qty), AMOUNT, .show = 6 },
	{ .name = "unit_price", .type = LEDGER_FT_INT, .flags = MONEY,
	  .off = LINE(unit_price), AMOUNT, .show = 7 },
	{ .name = "total", .type = LEDGER_FT_INT, .flags = MONEY,
	  .off = LINE(total), AMOUNT, .show = 8 },
	{ .name = "discount", .type = LEDGER_FT_INT, .flags = MONEY,
	  .off = LINE(discount), AMOUNT, .show = 9 },
	{ .name = "net", .type = LEDGER_FT_INT, .flags = MONEY,
	  .off = LINE(net), AMOUNT, .show = 10 },
};

const struct ledger_table ledger_line_table = {
	line_fields, sizeof line_fields / sizeof line_fields[0],
	sizeof(struct ledger_line)
};

static const struct ledger_field payment_fields[] = {
	{ .name = "method", .type = LEDGER_FT_STR, .off = PAYMENT(method),
	  .min = 1, .max = 5, .check = ledger_check_method, .show = 1 },
	{ .name = "tendered", .type = LEDGER_FT_INT, .flags = MONEY,
	  .off = PAYMENT(tendered), AMOUNT, .show = 2 },
	{ .name = "amount", .type = LEDGER_FT_INT, .flags = MONEY,
	  .off = PAYMENT(amount), AMOUNT, .show = 3 },
};

const struct ledger_table ledger_payment_table = {
	payment_fields, sizeof payment_fields / sizeof payment_fields[0],
	sizeof(struct ledger_payment)
};

static const struct ledger_field entry_fields[] = {
	{ .name = "v", .type = LEDGER_FT_FORMAT, .min = LEDGER_FORMAT,
	  .max = LEDGER_FORMAT },
	{ .name = "uuid", .type = LEDGER_FT_BUF, .off = ENTRY(uuid),
	  .min = 36, .max = 36, .check = ledger_check_uuid, .show = 2 },
	{ .name = "seq", .type = LEDGER_FT_INT, .off = ENTRY(seq),
	  .min = 1, .max = INT64_MAX, .show = 3 },
	{ .name = "kind", .type = LEDGER_FT_STR, .off = ENTRY(kind),
	  .min = 1, .max = 16, .check = ledger_check_kind, .show = 4 },
	{ .name = "receipt", .type = LEDGER_FT_STR, .off = ENTRY(receipt),
	  .min = 1, .max = LEDGER_MAX_RECEIPT, .show = 1 },
	{ .name = "branch", .type = LEDGER_FT_STR,
	  .flags = LEDGER_FIELD_IDENTITY, .off = ENTRY(branch),
	  .min = 1, .max = LEDGER_MAX_CODE },
	{ .name = "terminal", .type = LEDGER_FT_INT,
	  .flags = LEDGER_FIELD_IDENTITY, .off = ENTRY(terminal),
	  .min = 1, .max = 999 },
	{ .name = "created_at", .type = LEDGER_FT_STR,
	  .off = ENTRY(created_at), .min = 20, .max = 20,
	  .check = ledger_check_timestamp, .show = 6 },
	{ .name = "business_date", .type = LEDGER_FT_STR,
	  .off = ENTRY(business_date), .min = 10, .max = 10,
	  .check = ledger_check_date, .show = 5, .show_key = "date" },
	{ .name = "user", .type = LEDGER_FT_STR, .off = ENTRY(user),
	  .min = 1, .max = LEDGER_MAX_NAME, .show = 7 },
	{ .name = "currency", .type = LEDGER_FT_STR, .off = ENTRY(currency),
	  .min = 1, .max = LEDGER_MAX_CODE },
	{ .name = "decimals", .type = LEDGER_FT_INT, .off = ENTRY(decimals),
	  .min = 0, .max = 3 },
	{ .name = "ref_uuid", .type = LEDGER_FT_OPTSTR, .off = ENTRY(ref_uuid),
	  .min = 36, .max = 36, .check = ledger_check_uuid, .show = 14 },
	{ .name = "ref_receipt", .type = LEDGER_FT_OPTSTR,
	  .off = ENTRY(ref_receipt), .min = 1, .max = LEDGER_MAX_RECEIPT,
	  .show = 13 },
	{ .name = "producer_code", .type = LEDGER_FT_OPTSTR,
	  .off = ENTRY(producer_code), .min = 1, .max = LEDGER_MAX_CODE,
	  .show = 15 },
	{ .name = "producer_name", .type = LEDGER_FT_OPTSTR,
	  .off = ENTRY(producer_name), .min = 1, .max = LEDGER_MAX_NAME,
	  .show = 16 },
	{ .name = "amount", .type = LEDGER_FT_INT, .flags = MONEY,
	  .off = ENTRY(amount), AMOUNT, .show = 12 },
	{ .name = "reason", .type = LEDGER_FT_OPTSTR, .off = ENTRY(reason),
	  .min = 1, .max = LEDGER_MAX_NAME, .show = 17 },
	{ .name = "total", .type = LEDGER_FT_INT, .flags = MONEY,
	  .off = ENTRY(total), AMOUNT, .show = 8 },
	{ .name = "discount", .type = LEDGER_FT_INT, .flags = MONEY,
	  .off = ENTRY(discount), AMOUNT, .show = 9 },
	{ .name = "paid", .type = LEDGER_FT_INT, .flags = MONEY,
	  .off = ENTRY(paid), AMOUNT, .show = 10 },
	{ .name = "change", .type = LEDGER_FT_INT, .flags = MONEY,
	  .off = ENTRY(change), AMOUNT, .show = 11 },
	{ .name = "lines", .type = LEDGER_FT_ARRAY, .off = ENTRY(lines),
	  .min = 0, .max = LEDGER_MAX_LINES, .sub = &ledger_line_table,
	  .count_off = ENTRY(nlines), .show = 18 },
	{ .name = "payments", .type = LEDGER_FT_ARRAY, .off = ENTRY(payments),
	  .min = 0, .max = LEDGER_MAX_PAYMENTS, .sub = &ledger_payment_table,
	  .count_off = ENTRY(npayments), .show = 19 },
	{ .name = "prev_hash", .type = LEDGER_FT_BUF, .flags = LEDGER_FIELD_WIRE,
	  .off = ENTRY(prev_hash), .min = 64, .max = 64,
	  .check = ledger_check_hash, .show = 20 },
	{ .name = "hash", .type = LEDGER_FT_BUF,
	  .flags = LEDGER_FIELD_WIRE | LEDGER_FIELD_SEALED, .off = ENTRY(hash),
	  .min = 64, .max = 64, .check = ledger_check_hash, .show = 21 },
};

const struct ledger_table ledger_entry_table = {
	entry_fields, sizeof entry_fields / sizeof entry_fields[0],
	sizeof(struct ledger_entry)
};

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
free_object(const struct ledger_table *t, void *base)
{
	const struct ledger_field	*f;
	char			*elems;
	size_t			 i, j, n;

	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		switch (f->type) {
		case LEDGER_FT_STR:
		case LEDGER_FT_OPTSTR:
			free(*field_str(base, f));
			*field_str(base, f) = NULL;
			break;
		case LEDGER_FT_ARRAY:
			elems = *field_array(base, f);
			n = *field_count(base, f);
			for (j = 0; elems != NULL && j < n; j++)
				free_object(f->sub, elems + j * f->sub->size);
			free(elems);
			*field_array(base, f) = NULL;
			*field_count(base, f) = 0;
			break;
		default:
			break;
		}
	}
}

/*
 * The canonical bytes written directly, byte for byte what jansson's
 * json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) gives for the same tree
 * (sync/ledger/CANONICAL.md; test_ledger pins them), without building the tree:
 * a sale is sealed on every ring-up and the server re-checks every entry.
 * A field goes into the buffer in a few pieces, with room made once per
 * piece (buf_need, then buf_put) and the NUL written only at the end.
 */
/* A JSON string as jansson writes it; -1 if s is not valid UTF-8. */
static int
encode_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;
	char esc[7];

	/* Room for the usual case, nothing to escape. */
	buf_need(b, len + 2);
	b->data[b->len++] = '"';
	/*
	 * A run of bytes copied as they are ends only at an ASCII byte, which
	 * no sequence contains: checking UTF-8 a run at a time is exact.
	 */
	while (i < len) {
		if (u[i] >= 0x20 && u[i] != '"' && u[i] != '\\') {
			i++;
			run++;
			continue;
		}
		if (!utf8_valid(s + i - run, run))
			return POS_FAIL;
		buf_add(b, s + i - run, run);
		run = 0;
		switch (u[i]) {
		case '"':	buf_add(b, "\\\"", 2); break;
		case '\\':	buf_add(b, "\\\\", 2); break;
		case '\b':	buf_add(b, "\\b", 2); break;
		case '\f':	buf_add(b, "\\f", 2); break;
		case '\n':	buf_add(b, "\\n", 2); break;
		case '\r':	buf_add(b, "\\r", 2); break;
		case '\t':	buf_add(b, "\\t", 2); break;
		default:
			if (u[i] == 0)
				return POS_FAIL;
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[u[i] >> 4];
			esc[5] = hex[u[i] & 0xf];
			buf_add(b, esc, 6);
		}
		i++;
	}
	if (!utf8_valid(s + i - run, run))
		return POS_FAIL;
	buf_add(b, s + i - run, run);
	buf_addc(b, '"');
	return POS_OK;
}

/* An integer in decimal, as "%lld" writes it (snprintf was a tenth of it). */
static void
encode_int(struct buf *b, int64_t v)
{
	char num[24];
	size_t d = sizeof num;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do
		num[--d] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		num[--d] = '-';
	buf_add(b, num + d, sizeof num - d);
}

static int
encode_direct(struct buf *b, const struct ledger_table *t, const void *base,
    int wire)
{
	const struct ledger_field *f;
	const char *s, *elems;
	size_t i, j, n;
	int first = 1;

	buf_addc(b, '{');
	for (i = 0; i < t->nfields; i++) {
		size_t nl;

		f = &t->fields[i];
		if ((f->flags & LEDGER_FIELD_WIRE) && !wire)
			continue;
		nl = strlen(f->name);
		buf_need(b, nl + 4);
		if (!first)
			b->data[b->len++] = ',';
		first = 0;
		b->data[b->len++] = '"';
		buf_put(b, f->name, nl);
		buf_put(b, "\":", 2);
		switch (f->type) {
		case LEDGER_FT_FORMAT:
			encode_int(b, LEDGER_FORMAT);
			break;
		case LEDGER_FT_BUF:
			s = field_cbuf(base, f);
			if (encode_string(b, s, strnlen(s, (size_t)f->max)))
				return POS_FAIL;
			break;
		case LEDGER_FT_STR:
		case LEDGER_FT_OPTSTR:
			if ((s = field_cstr(base, f)) != NULL) {
				if (encode_string(b, s, strlen(s)) != 0)
					return POS_FAIL;
			} else if (f->type == LEDGER_FT_OPTSTR)
				buf_add(b, "null", 4);
			else
				return POS_FAIL;
			break;
		case LEDGER_FT_INT:
			encode_int(b, field_cint(base, f));
			break;
		case LEDGER_FT_ARRAY:
			n = field_ccount(base, f);
			elems = field_carray(base, f);
			if (n > 0 && elems == NULL)
				return POS_FAIL;
			buf_addc(b, '[');
			for (j = 0; j < n; j++) {
				if (j > 0)
					buf_addc(b, ',');
				if (encode_direct(b, f->sub,
				    elems + j * f->sub->size, 0) != 0)
					return POS_FAIL;
			}
			buf_addc(b, ']');
			break;
		}
	}
	buf_addc(b, '}');
	return POS_OK;
}

static char *
ledger_encode(const struct ledger_entry *e, int wire, size_t *len)
{
	struct buf b = { NULL, 0, 0 };

	if (encode_direct(&b, &ledger_entry_table, e, wire) != 0) {
		free(b.data);
		return NULL;
	}
	if (len != NULL)
		*len = b.len;
	return buf_str(&b);
}

char *
ledger_canonical(const struct ledger_entry *e, size_t *len)
{
	return ledger_encode(e, 0, len);
}

char *
ledger_wire(const struct ledger_entry *e, size_t *len)
{
	return ledger_encode(e, 1, len);
}

size_t
ledger_wire_append(const struct ledger_entry *e, char **buf, size_t *len,
    size_t *cap)
{
	struct buf b = { (unsigned char *)*buf, *len, *cap };
	size_t start = *len;

	if (encode_direct(&b, &ledger_entry_table, e, 1) != 0)
		b.len = start;
	*buf = buf_str(&b);
	*cap = b.cap;
	*len = b.len;
	return b.len - start;
}

/*
 * SHA-256 comes from Nettle rather than OpenSSL: loading libcrypto costs
 * about 2 ms at every process start, and `pos sell` is a process per sale.
 */
int
ledger_hash(const char *prev_hex, const char *canon, size_t len,
    char hash_hex[LEDGER_HASH_HEX])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 prev[LEDGER_HASH_LEN], md[SHA256_DIGEST_SIZE];
	struct sha256_ctx	 ctx;
	size_t			 i;
	int			 hi, lo;

	if (prev_hex == NULL || strnlen(prev_hex, 65) != 64)
		return POS_FAIL;
	if (canon == NULL && len != 0)
		return POS_FAIL;
	for (i = 0; i < LEDGER_HASH_LEN; i++) {
		hi = hex_value(prev_hex[2 * i]);
		lo = hex_value(prev_hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return POS_FAIL;
		prev[i] = (unsigned char)(hi << 4 | lo);
	}
	sha256_init(&ctx);
	sha256_update(&ctx, sizeof prev, prev);
	if (len > 0)
		sha256_update(&ctx, len, (const uint8_t *)canon);
	sha256_digest(&ctx, sizeof md, md);
	for (i = 0; i < LEDGER_HASH_LEN; i++) {
		hash_hex[2 * i] = hex[md[i] >> 4];
		hash_hex[2 * i + 1] = hex[md[i] & 0xf];
	}
	hash_hex[2 * LEDGER_HASH_LEN] = '\0';
	return POS_OK;
}

int
ledger_validate(const struct ledger_entry *e, char **cause)
{
	if (cause != NULL)
		*cause = NULL;
	return ledger_validate_object(&ledger_entry_table, e, NULL, 0, cause);
}

int
ledger_seal(struct ledger_entry *e)
{
	char	*canon = NULL;
	char	 hash[LEDGER_HASH_HEX];
	size_t	 len;
	int	 rc = POS_FAIL;

	if (ledger_validate(e, NULL) != 0)
		goto out;
	if ((canon = ledger_canonical(e, &len)) == NULL)
		goto out;
	if (ledger_hash(e->prev_hash, canon, len, hash) != 0)
		goto out;
	memcpy(e->hash, hash, sizeof e->hash);
	rc = POS_OK;
out:
	free(canon);
	return rc;
}

int
ledger_check(const struct ledger_entry *e)
{
	char	*canon = NULL;
	char	 hash[LEDGER_HASH_HEX];
	size_t	 len;
	int	 ok = 0;

	if ((canon = ledger_canonical(e, &len)) == NULL)
		goto out;
	if (ledger_hash(e->prev_hash, canon, len, hash) != 0)
		goto out;
	ok = memcmp(hash, e->hash, sizeof hash) == 0;
out:
	free(canon);
	return ok;
}

/* The object at base by table t, as ledger_show_json shows it. */
static json_t *
show_object(const struct ledger_table *t, const void *base,
    json_t *(*money)(void *, int64_t), void *arg)
{
	const struct ledger_field *f;
	const char *s, *elems;
	json_t *obj = json_object(), *v;
	char q[32];
	size_t i, j, n;
	int place;

	/* Fields by place: a table is a few dozen rows. */
	for (place = 1;; place++) {
		for (i = 0; i < t->nfields && t->fields[i].show != place; i++)
			;
		if (i == t->nfields)
			break;
		f = &t->fields[i];
		switch (f->type) {
		case LEDGER_FT_FORMAT:
			v = json_integer(LEDGER_FORMAT);
			break;
		case LEDGER_FT_BUF:
			v = json_string(field_cbuf(base, f));
			break;
		case LEDGER_FT_STR:
			v = json_string(field_cstr(base, f));
			break;
		case LEDGER_FT_OPTSTR:
			s = field_cstr(base, f);
			v = s != NULL ? json_string(s) : json_null();
			break;
		case LEDGER_FT_INT:
			if (f->flags & LEDGER_FIELD_MONEY)
				v = money(arg, field_cint(base, f));
			else if (f->flags & LEDGER_FIELD_QTY) {
				qty_format(field_cint(base, f), q, sizeof q);
				v = json_string(q);
			} else
				v = json_integer(field_cint(base, f));
			break;
		case LEDGER_FT_ARRAY:
		default:
			v = json_array();
			n = field_ccount(base, f);
			elems = field_carray(base, f);
			for (j = 0; j < n; j++)
				json_array_append_new(v, show_object(f->sub,
				    elems + j * f->sub->size, money, arg));
			break;
		}
		json_object_set_new(obj, f->show_key != NULL ? f->show_key :
		    f->name, v);
	}
	return obj;
}

json_t *
ledger_show_json(const struct ledger_entry *e,
    json_t *(*money)(void *arg, int64_t amount), void *arg)
{
	return show_object(&ledger_entry_table, e, money, arg);
}

void
ledger_entry_free(struct ledger_entry *e)
{
	if (e == NULL)
		return;
	free_object(&ledger_entry_table, e);
	memset(e, 0, sizeof *e);
}
