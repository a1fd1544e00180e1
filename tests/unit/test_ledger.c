/*
 * The ledger entry: canonical bytes pinned to sync/ledger/CANONICAL.md, the hash
 * chain pinned to values computed outside this code, and the strict parser
 * of the wire form.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ledger.h"
#include "ledger_sql.h"
#include "money.h"
#include "xalloc.h"

/* Written by hand from sync/ledger/CANONICAL.md, not produced by the code. */
#define CANON_SALE							\
	"{\"v\":1,\"uuid\":\"3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b\","	\
	"\"seq\":42,\"kind\":\"sale\",\"receipt\":\"DAM01-3-000042\","	\
	"\"branch\":\"DAM01\",\"terminal\":3,"				\
	"\"created_at\":\"2026-03-01T09:15:02Z\","			\
	"\"business_date\":\"2026-03-01\",\"user\":\"rana\","		\
	"\"currency\":\"SYP\",\"decimals\":0,\"ref_uuid\":null,"	\
	"\"ref_receipt\":null,\"producer_code\":null,"			\
	"\"producer_name\":null,\"amount\":0,\"reason\":null,"		\
	"\"total\":17500,\"discount\":500,\"paid\":20000,\"change\":2500,"	\
	"\"lines\":[{\"product_code\":\"P001\",\"product_name\":\"Bread\","	\
	"\"producer_code\":\"F07\",\"producer_name\":\"Hama Bakery\","	\
	"\"unit\":\"piece\",\"qty\":2000,\"unit_price\":3000,"		\
	"\"total\":6000,\"discount\":176,\"net\":5824},"		\
	"{\"product_code\":\"P014\","					\
	"\"product_name\":\"Olives, black/green\","			\
	"\"producer_code\":\"F11\",\"producer_name\":\"Idlib Co-op\","	\
	"\"unit\":\"kg\",\"qty\":1250,\"unit_price\":9600,"		\
	"\"total\":12000,\"discount\":324,\"net\":11676}],"		\
	"\"payments\":[{\"method\":\"cash\",\"tendered\":20000,"	\
	"\"amount\":17500}]}"

#define CANON_PAYOUT							\
	"{\"v\":1,\"uuid\":\"b7e4a2d9-6c1f-4a8e-9d3b-5f0e2c7a1b64\","	\
	"\"seq\":43,\"kind\":\"payout\",\"receipt\":\"DAM01-3-000043\","	\
	"\"branch\":\"DAM01\",\"terminal\":3,"				\
	"\"created_at\":\"2026-03-01T17:40:00Z\","			\
	"\"business_date\":\"2026-03-01\",\"user\":\"رنا\","		\
	"\"currency\":\"SYP\",\"decimals\":0,\"ref_uuid\":null,"	\
	"\"ref_receipt\":null,\"producer_code\":\"F07\","		\
	"\"producer_name\":\"مخبز حماة\",\"amount\":150000,"		\
	"\"reason\":\"دفعة أسبوعية\",\"total\":0,\"discount\":0,"	\
	"\"paid\":0,\"change\":0,\"lines\":[],\"payments\":[]}"

/*
 * Pinned with tools independent of this code, from the literals above
 * (saved without a trailing newline as canon_sale and canon_payout):
 *   { head -c 32 /dev/zero; cat canon_sale; } | sha256sum
 *   { printf %s "$HASH_SALE" | xxd -r -p; cat canon_payout; } | sha256sum
 * and cross-checked with `openssl dgst -sha256` and Python's hashlib:
 *   sha256(bytes(32) + canon_sale), sha256(bytes.fromhex(h1) + canon_payout).
 */
#define HASH_SALE \
	"1567dd2db96c2e276b96d8ff907fe6b8e289a8df7ce2118fe3345515762d6bf9"
#define HASH_PAYOUT_AFTER_SALE \
	"2fccc0d7ec7cec0f6bec5a7186c3e5b7d4d95c6fdf20a25999fd58a15a843e42"

static void
set_line(struct ledger_line *l, const char *code, const char *name,
    const char *pcode, const char *pname, const char *unit, int64_t qty,
    int64_t price, int64_t total, int64_t discount, int64_t net)
{
	l->product_code = xstrdup(code);
	l->product_name = xstrdup(name);
	l->producer_code = xstrdup(pcode);
	l->producer_name = xstrdup(pname);
	l->unit = xstrdup(unit);
	l->qty = qty;
	l->unit_price = price;
	l->total = total;
	l->discount = discount;
	l->net = net;
}

static void
common_entry(struct ledger_entry *e, const char *uuid, int64_t seq,
    const char *kind, const char *created_at, const char *user)
{
	memset(e, 0, sizeof *e);
	snprintf(e->uuid, sizeof e->uuid, "%s", uuid);
	e->seq = seq;
	e->kind = xstrdup(kind);
	e->receipt = xasprintf("DAM01-3-%06lld", (long long)seq);
	e->branch = xstrdup("DAM01");
	e->terminal = 3;
	e->created_at = xstrdup(created_at);
	e->business_date = xstrdup("2026-03-01");
	e->user = xstrdup(user);
	e->currency = xstrdup("SYP");
	e->decimals = 0;
	memcpy(e->prev_hash, ledger_genesis, LEDGER_HASH_HEX);
}

/* The sale of CANON_SALE. */
static void
sale_entry(struct ledger_entry *e)
{
	common_entry(e, "3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b", 42, "sale",
	    "2026-03-01T09:15:02Z", "rana");
	e->total = 17500;
	e->discount = 500;
	e->paid = 20000;
	e->change = 2500;
	e->nlines = 2;
	e->lines = xcalloc(e->nlines, sizeof *e->lines);
	set_line(&e->lines[0], "P001", "Bread", "F07", "Hama Bakery", "piece",
	    2000, 3000, 6000, 176, 5824);
	set_line(&e->lines[1], "P014", "Olives, black/green", "F11",
	    "Idlib Co-op", "kg", 1250, 9600, 12000, 324, 11676);
	e->npayments = 1;
	e->payments = xcalloc(e->npayments, sizeof *e->payments);
	e->payments[0].method = xstrdup("cash");
	e->payments[0].tendered = 20000;
	e->payments[0].amount = 17500;
}

/* The payout of CANON_PAYOUT: Arabic user, producer and reason. */
static void
payout_entry(struct ledger_entry *e)
{
	common_entry(e, "b7e4a2d9-6c1f-4a8e-9d3b-5f0e2c7a1b64", 43, "payout",
	    "2026-03-01T17:40:00Z", "رنا");
	e->producer_code = xstrdup("F07");
	e->producer_name = xstrdup("مخبز حماة");
	e->amount = 150000;
	e->reason = xstrdup("دفعة أسبوعية");
}

static void
replace(char **field, const char *value)
{
	free(*field);
	*field = value != NULL ? xstrdup(value) : NULL;
}

static void
assert_canonical(const struct ledger_entry *e, const char *expected)
{
	char	*c;
	size_t	 len = 0;

	c = ledger_canonical(e, &len);
	assert_non_null(c);
	assert_string_equal(c, expected);
	assert_int_equal(len, strlen(expected));
	free(c);
}

/* The sealed sale in wire form (caller decrefs). */
static json_t *
sale_wire(void)
{
	struct ledger_entry	 e;
	json_t			*j;

	sale_entry(&e);
	assert_int_equal(ledger_seal(&e), 0);
	j = ledger_to_json(&e);
	assert_non_null(j);
	ledger_entry_free(&e);
	return j;
}

/* "lines[1]" or "payments[0]" or NULL (the entry itself) inside root. */
static json_t *
resolve(json_t *root, const char *path)
{
	char		 name[32];
	const char	*b;
	char		*end;
	unsigned long	 i;

	if (path == NULL)
		return root;
	if ((b = strchr(path, '[')) == NULL)
		return json_object_get(root, path);
	snprintf(name, sizeof name, "%.*s", (int)(b - path), path);
	i = strtoul(b + 1, &end, 10);
	assert_true(*end == ']');
	return json_array_get(json_object_get(root, name), i);
}

/* Set obj.key to the JSON text value (NUL escapes allowed), or delete it. */
static void
set_json(json_t *root, const char *obj, const char *key, const char *value)
{
	json_error_t	 err;
	json_t		*o, *v;

	o = resolve(root, obj);
	assert_non_null(o);
	if (value == NULL) {
		assert_int_equal(json_object_del(o, key), 0);
		return;
	}
	v = json_loads(value, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (v == NULL)
		fail_msg("bad test value %s: %s", value, err.text);
	assert_int_equal(json_object_set_new(o, key, v), 0);
}

static void
set_long_string(json_t *root, const char *obj, const char *key, size_t n)
{
	char	*s;

	s = xmalloc(n + 1);
	memset(s, 'x', n);
	s[n] = '\0';
	assert_int_equal(json_object_set_new(resolve(root, obj), key,
	    json_string(s)), 0);
	free(s);
}

static void
grow_array(json_t *root, const char *key, size_t n)
{
	json_t	*a = json_object_get(root, key);

	while (json_array_size(a) < n)
		json_array_append_new(a, json_deep_copy(json_array_get(a, 0)));
}

static int
entry_is_zero(const struct ledger_entry *e)
{
	static const struct ledger_entry zero;

	return memcmp(e, &zero, sizeof zero) == 0;
}

static void
genesis_is_64_zero_digits(void **state)
{
	size_t	 i;

	(void)state;
	assert_int_equal(strlen(ledger_genesis), 64);
	for (i = 0; i < 64; i++)
		assert_int_equal(ledger_genesis[i], '0');
}

static void
canonical_bytes_of_known_sale_match_the_spec(void **state)
{
	struct ledger_entry	 e;

	(void)state;
	sale_entry(&e);
	assert_canonical(&e, CANON_SALE);
	/* prev_hash and hash are not part of the canonical bytes. */
	memset(e.prev_hash, 'f', 64);
	memset(e.hash, 'e', 64);
	assert_canonical(&e, CANON_SALE);
	ledger_entry_free(&e);
}

static void
canonical_keeps_arabic_as_raw_utf8(void **state)
{
	struct ledger_entry	 e;
	char			*c;
	size_t			 len;
	/* مخبز, spelled out as UTF-8 bytes so the source encoding cannot lie */
	static const char	 bakery[] = "\xd9\x85\xd8\xae\xd8\xa8\xd8\xb2";

	(void)state;
	payout_entry(&e);
	assert_canonical(&e, CANON_PAYOUT);
	c = ledger_canonical(&e, &len);
	assert_non_null(strstr(c, bakery));
	assert_null(strstr(c, "\\u"));
	free(c);
	ledger_entry_free(&e);
}

static void
canonical_writes_absent_optional_strings_as_null(void **state)
{
	struct ledger_entry	 e;
	char			*c;

	(void)state;
	sale_entry(&e);
	c = ledger_canonical(&e, NULL);
	assert_non_null(strstr(c, ",\"ref_uuid\":null,\"ref_receipt\":null,"
	    "\"producer_code\":null,\"producer_name\":null,\"amount\":0,"
	    "\"reason\":null,"));
	free(c);

	replace(&e.ref_uuid, "b7e4a2d9-6c1f-4a8e-9d3b-5f0e2c7a1b64");
	replace(&e.reason, "wrong price");
	c = ledger_canonical(&e, NULL);
	assert_non_null(strstr(c, ",\"ref_uuid\":"
	    "\"b7e4a2d9-6c1f-4a8e-9d3b-5f0e2c7a1b64\",\"ref_receipt\":null,"));
	assert_non_null(strstr(c, ",\"reason\":\"wrong price\",\"total\":"));
	free(c);
	ledger_entry_free(&e);
}

static void
canonical_escapes_exactly_as_documented(void **state)
{
	struct ledger_entry	 e;
	char			*c;
	/* Split literals keep \x escapes from swallowing the next letter. */
	static const char	 name[] =
	    "q\"b\\s/n\nt\tr\rb\bf\fc\x01" "d\x1f" "e\x7f" "u\xe2\x80\xa8" "z";
	static const char	 json[] =
	    "\"product_name\":\"q\\\"b\\\\s/n\\nt\\tr\\rb\\bf\\fc\\u0001d"
	    "\\u001Fe\x7f" "u\xe2\x80\xa8" "z\",";

	(void)state;
	sale_entry(&e);
	replace(&e.lines[0].product_name, name);
	c = ledger_canonical(&e, NULL);
	assert_non_null(c);
	if (strstr(c, json) == NULL)
		fail_msg("escaping differs from CANONICAL.md: %s", c);
	free(c);
	ledger_entry_free(&e);
}

/*
 * The canonical and wire bytes are written directly, not through jansson:
 * for many random names (control characters, quotes, backslashes, Arabic,
 * 4-byte characters, invalid UTF-8) they must equal what jansson dumps of
 * ledger_to_json, or both must refuse.
 */
static void
wire_bytes_equal_jansson_dump_for_random_names(void **state)
{
	static const char *const pieces[] = {
		"a", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f", "\x7f",
		"\xd8\xb3", "\xe2\x80\xa8", "\xf0\x9f\x8d\xaf", "\xc3\xa9",
		"\xd8", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", " ",
	};
	struct ledger_entry e;
	char name[64], *w, *d;
	json_t *j;
	size_t len, np = sizeof pieces / sizeof pieces[0];
	unsigned seed = 7;
	int refused = 0, same = 0;

	(void)state;
	for (int round = 0; round < 3000; round++) {
		name[0] = '\0';
		for (int k = 0; k < 6; k++) {
			seed = seed * 1103515245u + 12345u;
			strncat(name, pieces[(seed >> 16) % np],
			    sizeof name - strlen(name) - 1);
		}
		sale_entry(&e);
		replace(&e.lines[0].product_name, name);
		replace(&e.user, name);
		w = ledger_wire(&e, &len);
		j = ledger_to_json(&e);
		d = j != NULL ? json_dumps(j, JSON_COMPACT |
		    JSON_PRESERVE_ORDER) : NULL;
		if (w == NULL || d == NULL) {
			assert_null(w);
			assert_null(d);
			refused++;
		} else {
			assert_string_equal(w, d);
			assert_int_equal(len, strlen(d));
			same++;
		}
		free(w);
		free(d);
		json_decref(j);
		ledger_entry_free(&e);
	}
	assert_true(refused > 0 && same > 0);
}

static void
canonical_refuses_missing_required_string_and_bad_utf8(void **state)
{
	struct ledger_entry	 e;

	(void)state;
	sale_entry(&e);
	replace(&e.lines[1].unit, NULL);
	assert_null(ledger_canonical(&e, NULL));
	assert_null(ledger_to_json(&e));
	assert_int_equal(ledger_seal(&e), POS_FAIL);
	replace(&e.lines[1].unit, "kg");
	replace(&e.user, "\xc0\xaf");	/* overlong '/' */
	assert_null(ledger_canonical(&e, NULL));
	assert_int_equal(ledger_check(&e), 0);
	ledger_entry_free(&e);
}

static void
hash_of_known_sale_matches_sha256sum(void **state)
{
	struct ledger_entry	 e;
	char			 hash[LEDGER_HASH_HEX];

	(void)state;
	assert_int_equal(ledger_hash(ledger_genesis, CANON_SALE,
	    strlen(CANON_SALE), hash), 0);
	assert_string_equal(hash, HASH_SALE);

	sale_entry(&e);
	assert_int_equal(ledger_seal(&e), 0);
	assert_string_equal(e.hash, HASH_SALE);
	assert_int_equal(ledger_check(&e), 1);
	ledger_entry_free(&e);
}

static void
hash_accepts_either_case_prev_and_rejects_bad_prev(void **state)
{
	char	 hash[LEDGER_HASH_HEX], upper[LEDGER_HASH_HEX];
	char	 bad[LEDGER_HASH_HEX + 1];
	size_t	 i;

	(void)state;
	for (i = 0; i < LEDGER_HASH_HEX; i++)
		upper[i] = (char)(HASH_SALE[i] >= 'a' ? HASH_SALE[i] - 32 :
		    HASH_SALE[i]);
	assert_int_equal(ledger_hash(upper, CANON_PAYOUT,
	    strlen(CANON_PAYOUT), hash), 0);
	assert_string_equal(hash, HASH_PAYOUT_AFTER_SALE);

	memset(hash, 'k', sizeof hash);
	assert_int_equal(ledger_hash(NULL, "x", 1, hash), POS_FAIL);
	assert_int_equal(ledger_hash(ledger_genesis + 1, "x", 1, hash), POS_FAIL);
	memset(bad, '0', 65);
	bad[65] = '\0';
	assert_int_equal(ledger_hash(bad, "x", 1, hash), POS_FAIL);
	memcpy(bad, ledger_genesis, LEDGER_HASH_HEX);
	bad[10] = 'g';
	assert_int_equal(ledger_hash(bad, "x", 1, hash), POS_FAIL);
	bad[10] = ' ';
	assert_int_equal(ledger_hash(bad, "x", 1, hash), POS_FAIL);
	assert_int_equal(hash[0], 'k');		/* untouched on error */
}

static void
seal_chains_two_entries(void **state)
{
	struct ledger_entry	 a, b;

	(void)state;
	sale_entry(&a);
	payout_entry(&b);
	assert_int_equal(ledger_seal(&a), 0);
	memcpy(b.prev_hash, a.hash, LEDGER_HASH_HEX);
	assert_int_equal(ledger_seal(&b), 0);
	assert_string_equal(a.hash, HASH_SALE);
	assert_string_equal(b.hash, HASH_PAYOUT_AFTER_SALE);
	assert_int_equal(ledger_check(&a), 1);
	assert_int_equal(ledger_check(&b), 1);

	/* The same entry after another predecessor is another link. */
	memcpy(b.prev_hash, ledger_genesis, LEDGER_HASH_HEX);
	assert_int_equal(ledger_check(&b), 0);
	assert_int_equal(ledger_seal(&b), 0);
	assert_string_not_equal(b.hash, HASH_PAYOUT_AFTER_SALE);
	ledger_entry_free(&a);
	ledger_entry_free(&b);
}

/* One change each, to a value that is still valid on the wire. */
static const struct change {
	const char	*obj;
	const char	*key;
	const char	*value;
} changes[] = {
	{ NULL, "uuid", "\"3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3c\"" },
	{ NULL, "seq", "43" },
	{ NULL, "kind", "\"refund\"" },
	{ NULL, "receipt", "\"DAM01-3-000041\"" },
	{ NULL, "branch", "\"DAM02\"" },
	{ NULL, "terminal", "4" },
	{ NULL, "created_at", "\"2026-03-01T09:15:03Z\"" },
	{ NULL, "business_date", "\"2026-03-02\"" },
	{ NULL, "user", "\"rania\"" },
	{ NULL, "currency", "\"USD\"" },
	{ NULL, "decimals", "2" },
	{ NULL, "ref_uuid", "\"b7e4a2d9-6c1f-4a8e-9d3b-5f0e2c7a1b64\"" },
	{ NULL, "ref_receipt", "\"DAM01-3-000001\"" },
	{ NULL, "producer_code", "\"F07\"" },
	{ NULL, "producer_name", "\"Hama Bakery\"" },
	{ NULL, "amount", "1" },
	{ NULL, "reason", "\"typo\"" },
	{ NULL, "total", "17501" },
	{ NULL, "discount", "499" },
	{ NULL, "paid", "20001" },
	{ NULL, "change", "-2500" },
	{ NULL, "lines", "[]" },
	{ NULL, "payments", "[]" },
	{ NULL, "prev_hash",
	    "\"0000000000000000000000000000000000000000000000000000000000000001\"" },
	{ NULL, "hash",
	    "\"1567dd2db96c2e276b96d8ff907fe6b8e289a8df7ce2118fe3345515762d6bf8\"" },
	{ "lines[0]", "product_code", "\"P002\"" },
	{ "lines[0]", "product_name", "\"Bread \"" },
	{ "lines[0]", "producer_code", "\"F08\"" },
	{ "lines[0]", "producer_name", "\"Hama bakery\"" },
	{ "lines[0]", "unit", "\"kg\"" },
	{ "lines[1]", "qty", "1251" },
	{ "lines[1]", "unit_price", "9601" },
	{ "lines[1]", "total", "12001" },
	{ "lines[1]", "discount", "325" },
	{ "lines[1]", "net", "11675" },
	{ "payments[0]", "method", "\"card\"" },
	{ "payments[0]", "tendered", "17500" },
	{ "payments[0]", "amount", "17499" },
};

#define NCHANGES (sizeof changes / sizeof changes[0])

static int
change_covers(const char *obj, const char *key)
{
	size_t	 i;

	for (i = 0; i < NCHANGES; i++) {
		if (strcmp(changes[i].key, key) != 0)
			continue;
		if (obj == NULL ? changes[i].obj == NULL :
		    changes[i].obj != NULL &&
		    strncmp(changes[i].obj, obj, strlen(obj)) == 0)
			return 1;
	}
	return 0;
}

static void
check_detects_any_changed_field(void **state)
{
	struct ledger_entry	 e;
	json_t			*wire, *j;
	const char		*key;
	json_t			*v;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	wire = sale_wire();

	/* Every field but "v" (which has one legal value) is in the table. */
	json_object_foreach(wire, key, v) {
		if (strcmp(key, "v") != 0 && !change_covers(NULL, key))
			fail_msg("no change for %s", key);
	}
	json_object_foreach(json_array_get(json_object_get(wire, "lines"), 0),
	    key, v) {
		if (!change_covers("lines[", key))
			fail_msg("no change for lines[].%s", key);
	}
	json_object_foreach(json_array_get(json_object_get(wire, "payments"),
	    0), key, v) {
		if (!change_covers("payments[", key))
			fail_msg("no change for payments[].%s", key);
	}

	assert_int_equal(ledger_from_json(wire, &e, &cause), 0);
	assert_int_equal(ledger_check(&e), 1);
	ledger_entry_free(&e);

	for (i = 0; i < NCHANGES; i++) {
		j = json_deep_copy(wire);
		set_json(j, changes[i].obj, changes[i].key, changes[i].value);
		if (ledger_from_json(j, &e, &cause) != 0)
			fail_msg("%s: %s", changes[i].key, cause);
		if (ledger_check(&e) != 0)
			fail_msg("change to %s%s%s not detected",
			    changes[i].obj != NULL ? changes[i].obj : "",
			    changes[i].obj != NULL ? "." : "", changes[i].key);
		ledger_entry_free(&e);
		json_decref(j);
	}

	/* Reordering lines changes the bytes too. */
	sale_entry(&e);
	assert_int_equal(ledger_seal(&e), 0);
	{
		struct ledger_line	 t = e.lines[0];

		e.lines[0] = e.lines[1];
		e.lines[1] = t;
	}
	assert_int_equal(ledger_check(&e), 0);
	ledger_entry_free(&e);
	json_decref(wire);
}

static void
seal_refuses_what_the_server_would_reject(void **state)
{
	struct ledger_entry	 e;
	char			*cause = NULL;

	(void)state;
	sale_entry(&e);
	assert_int_equal(ledger_validate(&e, &cause), 0);
	assert_null(cause);

	e.lines[1].qty = LEDGER_MAX_AMOUNT + 1;
	memset(e.hash, 'a', 64);
	assert_int_equal(ledger_seal(&e), POS_FAIL);
	assert_int_equal(e.hash[0], 'a');
	assert_int_equal(ledger_validate(&e, &cause), POS_FAIL);
	assert_string_equal(cause, "lines[1].qty: must be between "
	    "-1000000000000000 and 1000000000000000");
	free(cause);
	e.lines[1].qty = 1250;

	replace(&e.reason, "");
	assert_int_equal(ledger_validate(&e, &cause), POS_FAIL);
	assert_string_equal(cause, "reason: must not be empty");
	free(cause);
	replace(&e.reason, NULL);

	e.prev_hash[0] = 'A';
	assert_int_equal(ledger_validate(&e, &cause), POS_FAIL);
	assert_string_equal(cause, "prev_hash: not 64 lowercase hex digits");
	free(cause);
	e.prev_hash[0] = '0';

	e.nlines = LEDGER_MAX_LINES + 1;
	assert_int_equal(ledger_validate(&e, NULL), POS_FAIL);
	e.nlines = 2;
	assert_int_equal(ledger_seal(&e), 0);
	ledger_entry_free(&e);
}

static void
wire_form_is_canonical_plus_prev_hash_and_hash(void **state)
{
	json_t	*j;
	char	*s, *want;

	(void)state;
	j = sale_wire();
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	want = xasprintf("%.*s,\"prev_hash\":\"%s\",\"hash\":\"%s\"}",
	    (int)strlen(CANON_SALE) - 1, CANON_SALE, ledger_genesis, HASH_SALE);
	assert_string_equal(s, want);
	free(want);
	free(s);
	json_decref(j);
}

static void
json_round_trip_keeps_bytes_and_hash(void **state)
{
	struct ledger_entry	 a, b;
	json_error_t		 err;
	json_t			*j, *back;
	char			*text, *ca, *cb, *cause = NULL;
	int			 n;

	(void)state;
	for (n = 0; n < 2; n++) {
		if (n == 0)
			sale_entry(&a);
		else
			payout_entry(&a);
		memcpy(a.prev_hash, HASH_SALE, LEDGER_HASH_HEX);
		assert_int_equal(ledger_seal(&a), 0);
		j = ledger_to_json(&a);
		text = json_dumps(j, JSON_COMPACT);
		back = json_loads(text, JSON_REJECT_DUPLICATES, &err);
		assert_non_null(back);
		if (ledger_from_json(back, &b, &cause) != 0)
			fail_msg("%s", cause);
		ca = ledger_canonical(&a, NULL);
		cb = ledger_canonical(&b, NULL);
		assert_string_equal(ca, cb);
		assert_string_equal(a.prev_hash, b.prev_hash);
		assert_string_equal(a.hash, b.hash);
		assert_int_equal(ledger_check(&b), 1);
		free(ca);
		free(cb);
		free(text);
		json_decref(j);
		json_decref(back);
		ledger_entry_free(&a);
		ledger_entry_free(&b);
	}
}

static void
long_producer_name(json_t *j)
{
	set_long_string(j, NULL, "producer_name", LEDGER_MAX_NAME + 1);
}

static void
long_line_name(json_t *j)
{
	set_long_string(j, "lines[1]", "product_name", LEDGER_MAX_NAME + 1);
}

static void
long_branch(json_t *j)
{
	set_long_string(j, NULL, "branch", LEDGER_MAX_CODE + 1);
}

static void
long_receipt(json_t *j)
{
	set_long_string(j, NULL, "receipt", LEDGER_MAX_RECEIPT + 1);
}

static void
too_many_lines(json_t *j)
{
	grow_array(j, "lines", LEDGER_MAX_LINES + 1);
}

static void
too_many_payments(json_t *j)
{
	grow_array(j, "payments", LEDGER_MAX_PAYMENTS + 1);
}

static void
line_not_object(json_t *j)
{
	json_array_set_new(json_object_get(j, "lines"), 1, json_integer(7));
}

static void
user_not_utf8(json_t *j)
{
	json_object_set_new(j, "user", json_stringn_nocheck("r\xffna", 4));
}

/* jansson's parser refuses such a key, but a built object can hold one. */
static void
key_with_nul(json_t *j)
{
	json_object_setn_new(j, "hash\0x", 6, json_true());
}

static const struct bad_input {
	const char	*obj;
	const char	*key;
	const char	*value;		/* JSON text; NULL deletes the key */
	void		(*special)(json_t *);	/* instead of key and value */
	const char	*cause;
} bad_inputs[] = {
	/* missing key */
	{ NULL, "currency", NULL, NULL, "currency: missing" },
	{ NULL, "ref_uuid", NULL, NULL, "ref_uuid: missing" },
	{ NULL, "prev_hash", NULL, NULL, "prev_hash: missing" },
	{ "lines[1]", "unit", NULL, NULL, "lines[1].unit: missing" },
	/* unknown key */
	{ NULL, "discount_reason", "\"x\"", NULL,
	    "discount_reason: unknown key" },
	{ "lines[0]", "colour", "null", NULL, "lines[0].colour: unknown key" },
	{ "payments[0]", "note\n", "1", NULL,
	    "payments[0].note?: unknown key" },
	{ NULL, NULL, NULL, key_with_nul, "hash: unknown key" },
	/* wrong type */
	{ NULL, "receipt", "5", NULL, "receipt: must be a string" },
	{ NULL, "kind", "null", NULL, "kind: must be a string" },
	{ NULL, "reason", "7", NULL, "reason: must be a string or null" },
	{ NULL, "seq", "\"42\"", NULL, "seq: must be an integer" },
	{ NULL, "decimals", "true", NULL, "decimals: must be an integer" },
	{ NULL, "terminal", "null", NULL, "terminal: must be an integer" },
	{ NULL, "lines", "{}", NULL, "lines: must be an array" },
	{ NULL, "payments", "null", NULL, "payments: must be an array" },
	{ NULL, NULL, NULL, line_not_object, "lines[1]: must be an object" },
	{ NULL, "hash", "[]", NULL, "hash: must be a string" },
	/* real instead of integer */
	{ "lines[1]", "qty", "1250.0", NULL,
	    "lines[1].qty: must be an integer" },
	{ NULL, "total", "1.75e4", NULL, "total: must be an integer" },
	{ NULL, "v", "1.0", NULL, "v: must be an integer" },
	/* format version */
	{ NULL, "v", "2", NULL, "v: must be 1" },
	/* bad uuid */
	{ NULL, "uuid", "\"3F2B8C1E-9A4D-4E6F-8B2A-1C5D7E9F0A3B\"", NULL,
	    "uuid: not a lowercase UUID" },
	{ NULL, "uuid", "\"3f2b8c1e9a4d4e6f8b2a1c5d7e9f0a3b\"", NULL,
	    "uuid: not a lowercase UUID" },
	{ NULL, "uuid", "\"{3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b}\"", NULL,
	    "uuid: not a lowercase UUID" },
	{ NULL, "uuid", "\"3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3\"", NULL,
	    "uuid: not a lowercase UUID" },
	{ NULL, "ref_uuid", "\"not-a-uuid\"", NULL,
	    "ref_uuid: not a lowercase UUID" },
	/* bad kind */
	{ NULL, "kind", "\"sell\"", NULL, "kind: not one of " LEDGER_KINDS },
	{ NULL, "kind", "\"sale \"", NULL, "kind: not one of " LEDGER_KINDS },
	{ NULL, "kind", "\"day\"", NULL, "kind: not one of " LEDGER_KINDS },
	{ NULL, "kind", "\"\"", NULL, "kind: not one of " LEDGER_KINDS },
	/* embedded NUL */
	{ "lines[0]", "product_name", "\"Bre\\u0000ad\"", NULL,
	    "lines[0].product_name: contains NUL" },
	{ NULL, "reason", "\"\\u0000\"", NULL, "reason: contains NUL" },
	{ NULL, "uuid", "\"3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b\\u0000\"",
	    NULL, "uuid: contains NUL" },
	/* too long, empty, not UTF-8 */
	{ NULL, NULL, NULL, long_producer_name,
	    "producer_name: longer than 480 bytes" },
	{ NULL, NULL, NULL, long_line_name,
	    "lines[1].product_name: longer than 480 bytes" },
	{ NULL, NULL, NULL, long_branch, "branch: longer than 32 bytes" },
	{ NULL, NULL, NULL, long_receipt, "receipt: longer than 64 bytes" },
	{ NULL, "user", "\"\"", NULL, "user: must not be empty" },
	{ NULL, "ref_receipt", "\"\"", NULL, "ref_receipt: must not be empty" },
	{ NULL, NULL, NULL, user_not_utf8, "user: not valid UTF-8" },
	/* bad hash hex */
	{ NULL, "hash",
	    "\"1567DD2DB96C2E276B96D8FF907FE6B8E289A8DF7CE2118FE3345515762D6BF9\"",
	    NULL, "hash: not 64 lowercase hex digits" },
	{ NULL, "hash",
	    "\"1567dd2db96c2e276b96d8ff907fe6b8e289a8df7ce2118fe3345515762d6bf\"",
	    NULL, "hash: not 64 lowercase hex digits" },
	{ NULL, "hash",
	    "\"1567dd2db96c2e276b96d8ff907fe6b8e289a8df7ce2118fe3345515762d6bf90\"",
	    NULL, "hash: not 64 lowercase hex digits" },
	{ NULL, "prev_hash",
	    "\"g000000000000000000000000000000000000000000000000000000000000000\"",
	    NULL, "prev_hash: not 64 lowercase hex digits" },
	{ NULL, "prev_hash", "\"\"", NULL,
	    "prev_hash: not 64 lowercase hex digits" },
	/* too many lines and payments */
	{ NULL, NULL, NULL, too_many_lines, "lines: more than 1000 entries" },
	{ NULL, NULL, NULL, too_many_payments,
	    "payments: more than 16 entries" },
	/* out of range */
	{ NULL, "seq", "0", NULL,
	    "seq: must be between 1 and 9223372036854775807" },
	{ NULL, "terminal", "1000", NULL,
	    "terminal: must be between 1 and 999" },
	{ NULL, "terminal", "0", NULL, "terminal: must be between 1 and 999" },
	{ NULL, "decimals", "4", NULL, "decimals: must be between 0 and 3" },
	{ NULL, "amount", "1000000000000001", NULL, "amount: must be between "
	    "-1000000000000000 and 1000000000000000" },
	{ "lines[1]", "qty", "-1000000000000001", NULL, "lines[1].qty: must "
	    "be between -1000000000000000 and 1000000000000000" },
	{ "payments[0]", "tendered", "9223372036854775807", NULL,
	    "payments[0].tendered: must be between -1000000000000000 and "
	    "1000000000000000" },
	/* enumerations and shapes */
	{ "lines[0]", "unit", "\"litre\"", NULL,
	    "lines[0].unit: must be piece or kg" },
	{ "lines[0]", "unit", "\"KG\"", NULL,
	    "lines[0].unit: must be piece or kg" },
	{ "payments[0]", "method", "\"crypto\"", NULL,
	    "payments[0].method: must be cash, card or other" },
	{ NULL, "created_at", "\"2026-03-01 09:15:02Z\"", NULL,
	    "created_at: not YYYY-MM-DDTHH:MM:SSZ" },
	{ NULL, "created_at", "\"2026-03-01T09:15:02+02:00\"", NULL,
	    "created_at: not YYYY-MM-DDTHH:MM:SSZ" },
	{ NULL, "created_at", "\"2026-02-29T09:15:02Z\"", NULL,
	    "created_at: not YYYY-MM-DDTHH:MM:SSZ" },
	{ NULL, "created_at", "\"2026-03-01T24:00:00Z\"", NULL,
	    "created_at: not YYYY-MM-DDTHH:MM:SSZ" },
	{ NULL, "created_at", "\"٢٠٢٦-03-01T09:15:02Z\"", NULL,
	    "created_at: not YYYY-MM-DDTHH:MM:SSZ" },
	{ NULL, "business_date", "\"2026-3-1\"", NULL,
	    "business_date: not YYYY-MM-DD" },
	{ NULL, "business_date", "\"2026-13-01\"", NULL,
	    "business_date: not YYYY-MM-DD" },
	{ NULL, "business_date", "\"2026-04-31\"", NULL,
	    "business_date: not YYYY-MM-DD" },
};

/*
 * The events a streaming parser would give for v, fed to the reader; keys
 * in the tree's order, or backwards. Returns the reader's last answer.
 */
static int
emit(struct ledger_reader *r, const json_t *v, bool backwards, char **cause)
{
	enum ledger_event ev;
	const char *s = NULL;
	int64_t i = 0;
	size_t len = 0, n;
	int rc;

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		void *its[64], *it;

		if ((rc = ledger_reader_event(r, LEDGER_EV_START_MAP, 0, NULL, 0,
		    cause)) != LEDGER_READ_MORE)
			return rc;
		n = 0;
		for (it = json_object_iter((json_t *)v); it != NULL && n < 64;
		    it = json_object_iter_next((json_t *)v, it))
			its[n++] = it;
		for (size_t k = 0; k < n; k++) {
			it = its[backwards ? n - 1 - k : k];
			if ((rc = ledger_reader_event(r, LEDGER_EV_KEY, 0,
			    json_object_iter_key(it),
			    json_object_iter_key_len(it), cause)) !=
			    LEDGER_READ_MORE ||
			    (rc = emit(r, json_object_iter_value(it), backwards,
			    cause)) != LEDGER_READ_MORE)
				return rc;
		}
		return ledger_reader_event(r, LEDGER_EV_END_MAP, 0, NULL, 0,
		    cause);
	}
	case JSON_ARRAY:
		if ((rc = ledger_reader_event(r, LEDGER_EV_START_ARRAY, 0, NULL,
		    0, cause)) != LEDGER_READ_MORE)
			return rc;
		for (size_t k = 0; k < json_array_size(v); k++)
			if ((rc = emit(r, json_array_get(v, k), backwards,
			    cause)) != LEDGER_READ_MORE)
				return rc;
		return ledger_reader_event(r, LEDGER_EV_END_ARRAY, 0, NULL, 0,
		    cause);
	case JSON_STRING:
		ev = LEDGER_EV_STRING;
		s = json_string_value(v);
		len = json_string_length(v);
		break;
	case JSON_INTEGER:
		ev = LEDGER_EV_INT;
		i = json_integer_value(v);
		break;
	case JSON_REAL:
		ev = LEDGER_EV_DOUBLE;
		break;
	case JSON_NULL:
		ev = LEDGER_EV_NULL;
		break;
	default:
		ev = LEDGER_EV_BOOL;
		break;
	}
	return ledger_reader_event(r, ev, i, s, len, cause);
}

/* The reader's verdict on j, as ledger_from_json's: 0 or -1 and *cause. */
static int
read_entry(const json_t *j, bool backwards, struct ledger_entry *e,
    char **cause)
{
	struct ledger_reader *r = ledger_reader_new();
	int rc;

	ledger_reader_begin(r, e);
	rc = emit(r, j, backwards, cause);
	ledger_reader_free(r);
	if (rc == LEDGER_READ_MORE)
		fail_msg("the reader wants more after the entry ended");
	return rc == LEDGER_READ_DONE ? 0 : -1;
}

/*
 * The streaming reader (the server's) gives what ledger_from_json gives:
 * the same complaint for every bad input, whatever the order of the keys,
 * and for a good entry the same canonical bytes.
 */
static void
reader_agrees_with_from_json(void **state)
{
	struct ledger_entry	 e, f;
	const struct bad_input	*b;
	json_t			*wire, *j;
	char			*cause, *c1, *c2;
	size_t			 i, l1, l2;

	(void)state;
	wire = sale_wire();
	for (i = 0; i < sizeof bad_inputs / sizeof bad_inputs[0]; i++) {
		b = &bad_inputs[i];
		j = json_deep_copy(wire);
		if (b->special != NULL)
			b->special(j);
		else
			set_json(j, b->obj, b->key, b->value);
		for (int back = 0; back < 2; back++) {
			cause = NULL;
			memset(&e, 0x5a, sizeof e);
			if (read_entry(j, back, &e, &cause) != -1)
				fail_msg("accepted, expected \"%s\"", b->cause);
			assert_non_null(cause);
			assert_string_equal(cause, b->cause);
			assert_true(entry_is_zero(&e));
			free(cause);
		}
		json_decref(j);
	}
	cause = NULL;
	assert_int_equal(ledger_from_json(wire, &e, &cause), 0);
	for (int back = 0; back < 2; back++) {
		if (read_entry(wire, back, &f, &cause) != 0)
			fail_msg("%s", cause);
		c1 = ledger_canonical(&e, &l1);
		c2 = ledger_canonical(&f, &l2);
		assert_int_equal(l1, l2);
		assert_memory_equal(c1, c2, l1);
		assert_string_equal(e.hash, f.hash);
		free(c1);
		free(c2);
		ledger_entry_free(&f);
	}
	ledger_entry_free(&e);
	j = json_array();
	assert_int_equal(read_entry(j, false, &e, &cause), -1);
	assert_string_equal(cause, "entry: must be an object");
	free(cause);
	json_decref(j);
	json_decref(wire);
}

/* A key given twice is a duplicate for the reader (jansson refuses the body). */
static void
reader_refuses_a_key_twice(void **state)
{
	struct ledger_reader *r = ledger_reader_new();
	struct ledger_entry e;
	char *cause = NULL;

	(void)state;
	ledger_reader_begin(r, &e);
	assert_int_equal(ledger_reader_event(r, LEDGER_EV_START_MAP, 0, NULL, 0,
	    &cause), LEDGER_READ_MORE);
	assert_int_equal(ledger_reader_event(r, LEDGER_EV_KEY, 0, "seq", 3,
	    &cause), LEDGER_READ_MORE);
	assert_int_equal(ledger_reader_event(r, LEDGER_EV_INT, 1, NULL, 0,
	    &cause), LEDGER_READ_MORE);
	assert_int_equal(ledger_reader_event(r, LEDGER_EV_KEY, 0, "kind", 4,
	    &cause), LEDGER_READ_MORE);
	assert_int_equal(ledger_reader_event(r, LEDGER_EV_STRING, 0, "sale", 4,
	    &cause), LEDGER_READ_MORE);
	assert_int_equal(ledger_reader_event(r, LEDGER_EV_KEY, 0, "seq", 3,
	    &cause), LEDGER_READ_DUP);
	assert_string_equal(cause, "duplicate object key \"seq\"");
	assert_true(entry_is_zero(&e));
	free(cause);
	ledger_reader_free(r);
}

static void
from_json_rejects_each_bad_input_naming_the_field(void **state)
{
	struct ledger_entry	 e;
	const struct bad_input	*b;
	json_t			*wire, *j;
	char			*cause;
	size_t			 i;

	(void)state;
	wire = sale_wire();
	for (i = 0; i < sizeof bad_inputs / sizeof bad_inputs[0]; i++) {
		b = &bad_inputs[i];
		j = json_deep_copy(wire);
		if (b->special != NULL)
			b->special(j);
		else
			set_json(j, b->obj, b->key, b->value);
		cause = NULL;
		memset(&e, 0x5a, sizeof e);
		if (ledger_from_json(j, &e, &cause) != POS_FAIL)
			fail_msg("accepted, expected \"%s\"", b->cause);
		assert_non_null(cause);
		assert_string_equal(cause, b->cause);
		assert_true(entry_is_zero(&e));
		free(cause);
		json_decref(j);
	}
	json_decref(wire);
}

static void
from_json_rejects_what_is_not_an_object(void **state)
{
	struct ledger_entry	 e;
	json_t			*j;
	char			*cause = NULL;

	(void)state;
	j = json_array();
	assert_int_equal(ledger_from_json(j, &e, &cause), POS_FAIL);
	assert_string_equal(cause, "entry: must be an object");
	free(cause);
	json_decref(j);
	assert_int_equal(ledger_from_json(NULL, &e, NULL), POS_FAIL);
	assert_true(entry_is_zero(&e));
}

static void
from_json_accepts_the_limits(void **state)
{
	struct ledger_entry	 e;
	json_t			*j;
	char			*cause = NULL;

	(void)state;
	j = sale_wire();
	set_long_string(j, NULL, "producer_name", LEDGER_MAX_NAME);
	set_long_string(j, NULL, "producer_code", LEDGER_MAX_CODE);
	set_long_string(j, NULL, "receipt", LEDGER_MAX_RECEIPT);
	set_json(j, NULL, "amount", "-1000000000000000");
	set_json(j, "lines[1]", "qty", "1000000000000000");
	set_json(j, NULL, "decimals", "3");
	set_json(j, NULL, "terminal", "999");
	set_json(j, NULL, "seq", "9223372036854775807");
	set_json(j, NULL, "created_at", "\"2028-02-29T23:59:59Z\"");
	set_json(j, NULL, "ref_uuid", "null");
	set_json(j, NULL, "reason", "\"\\u0645\\u0631\\u062a\\u062c\\u0639\"");
	grow_array(j, "lines", LEDGER_MAX_LINES);
	grow_array(j, "payments", LEDGER_MAX_PAYMENTS);
	if (ledger_from_json(j, &e, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(e.nlines, LEDGER_MAX_LINES);
	assert_int_equal(e.npayments, LEDGER_MAX_PAYMENTS);
	assert_int_equal(strlen(e.producer_name), LEDGER_MAX_NAME);
	assert_int_equal(e.lines[1].qty, LEDGER_MAX_AMOUNT);
	assert_null(e.ref_uuid);
	assert_string_equal(e.reason, "مرتجع");
	/* The hash no longer matches: from_json checks form, not the chain. */
	assert_int_equal(ledger_check(&e), 0);
	ledger_entry_free(&e);
	json_decref(j);
}

static void
entry_free_is_safe_on_zeroed_and_freed_entry(void **state)
{
	struct ledger_entry	 e;

	(void)state;
	memset(&e, 0, sizeof e);
	ledger_entry_free(&e);
	sale_entry(&e);
	ledger_entry_free(&e);
	assert_true(entry_is_zero(&e));
	ledger_entry_free(&e);
	ledger_entry_free(NULL);
}

/* Money as pos prints it in JSON: the configured decimals, no grouping. */
static json_t *
show_money(void *arg, int64_t amount)
{
	char buf[32];

	money_format(amount, *(const int *)arg, buf, sizeof buf);
	return json_string(buf);
}

static json_t *
show_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
show_qty(int64_t qty)
{
	char buf[32];

	qty_format(qty, buf, sizeof buf);
	return json_string(buf);
}

/*
 * The object pos --json prints for an entry, written out key by key as the
 * CLI has it (cli_entry_json): what ledger_show_json must give.
 */
static json_t *
cli_entry_object(const struct ledger_entry *e, int decimals)
{
	json_t *j = json_object(), *lines = json_array(), *pays = json_array();
	int *d = &decimals;
	size_t i;

	json_object_set_new(j, "receipt", json_string(e->receipt));
	json_object_set_new(j, "uuid", json_string(e->uuid));
	json_object_set_new(j, "seq", json_integer(e->seq));
	json_object_set_new(j, "kind", json_string(e->kind));
	json_object_set_new(j, "date", json_string(e->business_date));
	json_object_set_new(j, "created_at", json_string(e->created_at));
	json_object_set_new(j, "user", json_string(e->user));
	json_object_set_new(j, "total", show_money(d, e->total));
	json_object_set_new(j, "discount", show_money(d, e->discount));
	json_object_set_new(j, "paid", show_money(d, e->paid));
	json_object_set_new(j, "change", show_money(d, e->change));
	json_object_set_new(j, "amount", show_money(d, e->amount));
	json_object_set_new(j, "ref_receipt", show_str(e->ref_receipt));
	json_object_set_new(j, "ref_uuid", show_str(e->ref_uuid));
	json_object_set_new(j, "producer_code", show_str(e->producer_code));
	json_object_set_new(j, "producer_name", show_str(e->producer_name));
	json_object_set_new(j, "reason", show_str(e->reason));
	for (i = 0; i < e->nlines; i++) {
		const struct ledger_line *l = &e->lines[i];
		json_t *o = json_object();

		json_object_set_new(o, "product_code", json_string(l->product_code));
		json_object_set_new(o, "product_name", json_string(l->product_name));
		json_object_set_new(o, "producer_code",
		    json_string(l->producer_code));
		json_object_set_new(o, "producer_name",
		    json_string(l->producer_name));
		json_object_set_new(o, "unit", json_string(l->unit));
		json_object_set_new(o, "qty", show_qty(l->qty));
		json_object_set_new(o, "unit_price", show_money(d, l->unit_price));
		json_object_set_new(o, "total", show_money(d, l->total));
		json_object_set_new(o, "discount", show_money(d, l->discount));
		json_object_set_new(o, "net", show_money(d, l->net));
		json_array_append_new(lines, o);
	}
	for (i = 0; i < e->npayments; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "method", json_string(e->payments[i].method));
		json_object_set_new(o, "tendered",
		    show_money(d, e->payments[i].tendered));
		json_object_set_new(o, "amount",
		    show_money(d, e->payments[i].amount));
		json_array_append_new(pays, o);
	}
	json_object_set_new(j, "lines", lines);
	json_object_set_new(j, "payments", pays);
	json_object_set_new(j, "prev_hash", json_string(e->prev_hash));
	json_object_set_new(j, "hash", json_string(e->hash));
	return j;
}

/* ledger_show_json(e) dumped as pos prints it equals expected. */
static void
assert_shown(const struct ledger_entry *e, int decimals, const char *expected)
{
	json_t *j = ledger_show_json(e, show_money, &decimals);
	char *got;

	assert_non_null(j);
	got = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_string_equal(got, expected);
	free(got);
	json_decref(j);
}

static void
show_json_is_what_pos_prints_for_an_entry(void **state)
{
	struct ledger_entry e;
	json_t *want;
	char *expected;
	int decimals;

	(void)state;
	for (int k = 0; k < 4; k++) {
		if (k % 2 == 0)
			sale_entry(&e);
		else
			payout_entry(&e);
		if (k >= 2) {
			/* A refund of the sale, no payments, two decimals. */
			replace(&e.kind, "refund");
			e.ref_uuid = xstrdup("3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b");
			e.ref_receipt = xstrdup("DAM01-3-000042");
			e.total = -12345;
			for (size_t i = 0; i < e.npayments; i++)
				free(e.payments[i].method);
			e.npayments = 0;
		}
		decimals = k >= 2 ? 2 : 0;
		assert_int_equal(ledger_seal(&e), 0);
		want = cli_entry_object(&e, decimals);
		expected = json_dumps(want, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER);
		assert_shown(&e, decimals, expected);
		free(expected);
		json_decref(want);
		ledger_entry_free(&e);
	}
}

/* The keys and order of the payout's shown object, pinned as text. */
static void
show_json_keys_and_order_are_pinned(void **state)
{
	struct ledger_entry e;

	(void)state;
	payout_entry(&e);
	memcpy(e.hash, HASH_SALE, LEDGER_HASH_HEX);
	assert_shown(&e, 0, "{\n"
	    "  \"receipt\": \"DAM01-3-000043\",\n"
	    "  \"uuid\": \"b7e4a2d9-6c1f-4a8e-9d3b-5f0e2c7a1b64\",\n"
	    "  \"seq\": 43,\n"
	    "  \"kind\": \"payout\",\n"
	    "  \"date\": \"2026-03-01\",\n"
	    "  \"created_at\": \"2026-03-01T17:40:00Z\",\n"
	    "  \"user\": \"رنا\",\n"
	    "  \"total\": \"0\",\n"
	    "  \"discount\": \"0\",\n"
	    "  \"paid\": \"0\",\n"
	    "  \"change\": \"0\",\n"
	    "  \"amount\": \"150000\",\n"
	    "  \"ref_receipt\": null,\n"
	    "  \"ref_uuid\": null,\n"
	    "  \"producer_code\": \"F07\",\n"
	    "  \"producer_name\": \"مخبز حماة\",\n"
	    "  \"reason\": \"دفعة أسبوعية\",\n"
	    "  \"lines\": [],\n"
	    "  \"payments\": [],\n"
	    "  \"prev_hash\": \"00000000000000000000000000000000"
	    "00000000000000000000000000000000\",\n"
	    "  \"hash\": \"" HASH_SALE "\"\n"
	    "}");
	ledger_entry_free(&e);
}

/*
 * The stores' columns come from the table: an entry's, a line's and a
 * payment's, in table order; the journal leaves out branch and terminal.
 */
static void
sql_columns_follow_the_field_table(void **state)
{
	char *names, *params;

	(void)state;
	assert_int_equal(ledger_sql_columns(&ledger_entry_table, 0, &names,
	    &params), 23);
	assert_string_equal(names, "uuid, seq, kind, receipt, branch, terminal,"
	    " created_at, business_date, user, currency, decimals, ref_uuid,"
	    " ref_receipt, producer_code, producer_name, amount, reason, total,"
	    " discount, paid, change, prev_hash, hash");
	assert_string_equal(params, "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?, ?, ?, ?");
	free(names);
	free(params);
	assert_int_equal(ledger_sql_columns(&ledger_entry_table,
	    LEDGER_FIELD_IDENTITY, &names, NULL), 21);
	assert_null(strstr(names, "branch"));
	assert_null(strstr(names, "terminal"));
	free(names);
	ledger_sql_columns(&ledger_line_table, 0, &names, NULL);
	assert_string_equal(names, "product_code, product_name, producer_code,"
	    " producer_name, unit, qty, unit_price, total, discount, net");
	free(names);
	ledger_sql_columns(&ledger_payment_table, 0, &names, NULL);
	assert_string_equal(names, "method, tendered, amount");
	free(names);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(genesis_is_64_zero_digits),
		cmocka_unit_test(canonical_bytes_of_known_sale_match_the_spec),
		cmocka_unit_test(canonical_keeps_arabic_as_raw_utf8),
		cmocka_unit_test(
		    canonical_writes_absent_optional_strings_as_null),
		cmocka_unit_test(canonical_escapes_exactly_as_documented),
		cmocka_unit_test(wire_bytes_equal_jansson_dump_for_random_names),
		cmocka_unit_test(
		    canonical_refuses_missing_required_string_and_bad_utf8),
		cmocka_unit_test(hash_of_known_sale_matches_sha256sum),
		cmocka_unit_test(
		    hash_accepts_either_case_prev_and_rejects_bad_prev),
		cmocka_unit_test(seal_chains_two_entries),
		cmocka_unit_test(check_detects_any_changed_field),
		cmocka_unit_test(seal_refuses_what_the_server_would_reject),
		cmocka_unit_test(wire_form_is_canonical_plus_prev_hash_and_hash),
		cmocka_unit_test(json_round_trip_keeps_bytes_and_hash),
		cmocka_unit_test(
		    from_json_rejects_each_bad_input_naming_the_field),
		cmocka_unit_test(from_json_rejects_what_is_not_an_object),
		cmocka_unit_test(from_json_accepts_the_limits),
		cmocka_unit_test(reader_agrees_with_from_json),
		cmocka_unit_test(reader_refuses_a_key_twice),
		cmocka_unit_test(entry_free_is_safe_on_zeroed_and_freed_entry),
		cmocka_unit_test(show_json_is_what_pos_prints_for_an_entry),
		cmocka_unit_test(show_json_keys_and_order_are_pinned),
		cmocka_unit_test(sql_columns_follow_the_field_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
