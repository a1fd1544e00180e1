/*
 * The wire form as a jansson tree, both ways: ledger_to_json and the strict
 * ledger_from_json. Neither is on a production path (the window writes with
 * ledger_wire, the server reads with ledger_reader); they are the oracle the
 * tests and fuzz targets hold those two against, built from the same field
 * table with the same rules and messages.
 */
#include "ledger.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"
#include "xalloc.h"

/* Add name: value to obj, taking value; NULL value or failure: POS_FAIL. */
static int
encode_set(json_t *obj, const char *name, json_t *value)
{
	if (value == NULL)
		return POS_FAIL;
	return json_object_set_new(obj, name, value) == 0 ? POS_OK :
	    POS_FAIL;
}

static json_t *
encode_object(const struct ledger_table *t, const void *base, int wire)
{
	const struct ledger_field	*f;
	const char		*s;
	const char		*elems;
	json_t			*obj, *arr, *v;
	size_t			 i, j, n;

	if ((obj = json_object()) == NULL)
		return NULL;
	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		if ((f->flags & LEDGER_FIELD_WIRE) && !wire)
			continue;
		v = NULL;
		switch (f->type) {
		case LEDGER_FT_FORMAT:
			v = json_integer(LEDGER_FORMAT);
			break;
		case LEDGER_FT_BUF:
			s = field_cbuf(base, f);
			v = json_stringn(s, strnlen(s, (size_t)f->max));
			break;
		case LEDGER_FT_STR:
		case LEDGER_FT_OPTSTR:
			if ((s = field_cstr(base, f)) != NULL)
				v = json_string(s);
			else if (f->type == LEDGER_FT_OPTSTR)
				v = json_null();
			break;
		case LEDGER_FT_INT:
			v = json_integer((json_int_t)field_cint(base, f));
			break;
		case LEDGER_FT_ARRAY:
			n = field_ccount(base, f);
			elems = field_carray(base, f);
			if (n > 0 && elems == NULL)
				break;
			if ((arr = json_array()) == NULL)
				break;
			for (j = 0; j < n; j++) {
				if (json_array_append_new(arr, encode_object(
				    f->sub, elems + j * f->sub->size, 0)) != 0)
					break;
			}
			if (j != n) {
				json_decref(arr);
				break;
			}
			v = arr;
			break;
		}
		if (encode_set(obj, f->name, v) != 0) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

/* A string value: its bytes and length, refusing an embedded NUL. */
static int
parse_string(const json_t *v, const struct ledger_field *f, const char *where,
    const char **s, size_t *len, char **cause)
{
	if (!json_is_string(v)) {
		return ledger_complain(cause, where, f->name, "must be a string%s",
		    f->type == LEDGER_FT_OPTSTR ? " or null" : "");
	}
	*s = json_string_value(v);
	*len = json_string_length(v);
	if (strlen(*s) != *len)
		return ledger_complain(cause, where, f->name, "contains NUL");
	return POS_OK;
}

/*
 * Copy the JSON object j into base by table t, checking presence and types;
 * values are checked afterwards by validate_object. Whatever was copied is
 * owned by base, also on error. One pass over the keys finds each value:
 * the server does this for every entry it is sent.
 */
static int
parse_object(const json_t *j, const struct ledger_table *t, void *base,
    const char *where, char **cause)
{
	const struct ledger_field	*f;
	const json_t		*v, *vals[LEDGER_MAX_TABLE_FIELDS] = { NULL };
	const char		*key, *s;
	char			*elems;
	char			 safe[52], sub[128];
	void			*it;
	size_t			 i, k, n, len, next = 0;
	int			 rc;

	if (!json_is_object(j))
		return ledger_complain(cause, where != NULL ? where : "entry", NULL,
		    "must be an object");
	assert(t->nfields <= LEDGER_MAX_TABLE_FIELDS);

	/* jansson's iterator takes a non-const object; it does not modify it. */
	for (it = json_object_iter((json_t *)j); it != NULL;
	    it = json_object_iter_next((json_t *)j, it)) {
		key = json_object_iter_key(it);
		/* Keys come in table order from our own encoder: try that first. */
		if (next < t->nfields && strcmp(t->fields[next].name, key) == 0)
			i = next;
		else
			for (i = 0; i < t->nfields &&
			    strcmp(t->fields[i].name, key) != 0; i++)
				;
		/* A key with a NUL in it matches no name. */
		if (i == t->nfields ||
		    strlen(t->fields[i].name) != json_object_iter_key_len(it)) {
			ledger_safe_key(key, safe, sizeof safe);
			return ledger_complain(cause, where, safe, "unknown key");
		}
		vals[i] = json_object_iter_value(it);
		next = i + 1;
	}

	for (i = 0; i < t->nfields; i++) {
		f = &t->fields[i];
		if ((v = vals[i]) == NULL)
			return ledger_complain(cause, where, f->name, "missing");
		switch (f->type) {
		case LEDGER_FT_FORMAT:
			if (!json_is_integer(v))
				return ledger_complain(cause, where, f->name,
				    "must be an integer");
			if (json_integer_value(v) != LEDGER_FORMAT)
				return ledger_complain(cause, where, f->name,
				    "must be %d", LEDGER_FORMAT);
			break;
		case LEDGER_FT_BUF:
			if (parse_string(v, f, where, &s, &len, cause) != 0)
				return POS_FAIL;
			if (len > (size_t)f->max) {
				if (ledger_check_string(f, s, len, where, cause) == 0)
					ledger_complain(cause, where, f->name,
					    "longer than %lld bytes",
					    (long long)f->max);
				return POS_FAIL;
			}
			memcpy(field_buf(base, f), s, len);
			field_buf(base, f)[len] = '\0';
			break;
		case LEDGER_FT_STR:
		case LEDGER_FT_OPTSTR:
			if (f->type == LEDGER_FT_OPTSTR && json_is_null(v))
				break;
			if (parse_string(v, f, where, &s, &len, cause) != 0)
				return POS_FAIL;
			*field_str(base, f) = xstrndup(s, len);
			break;
		case LEDGER_FT_INT:
			if (!json_is_integer(v))
				return ledger_complain(cause, where, f->name,
				    "must be an integer");
			*field_int(base, f) = json_integer_value(v);
			break;
		case LEDGER_FT_ARRAY:
			if (!json_is_array(v))
				return ledger_complain(cause, where, f->name,
				    "must be an array");
			n = json_array_size(v);
			if (n > (size_t)f->max)
				return ledger_complain(cause, where, f->name,
				    "more than %lld entries", (long long)f->max);
			if (n == 0)
				break;
			elems = xcalloc(n, f->sub->size);
			*field_array(base, f) = elems;
			*field_count(base, f) = n;
			for (k = 0; k < n; k++) {
				rc = parse_object(json_array_get(v, k), f->sub,
				    elems + k * f->sub->size, ledger_element_path(sub,
				    sizeof sub, where, f->name, k), cause);
				if (rc != POS_OK)
					return POS_FAIL;
			}
			break;
		}
	}
	return POS_OK;
}

json_t *
ledger_to_json(const struct ledger_entry *e)
{
	return encode_object(&ledger_entry_table, e, 1);
}

int
ledger_from_json(const json_t *j, struct ledger_entry *e, char **cause)
{
	int	 rc = POS_FAIL;

	if (cause != NULL)
		*cause = NULL;
	memset(e, 0, sizeof *e);
	if (parse_object(j, &ledger_entry_table, e, NULL, cause) != 0)
		goto out;
	if (ledger_validate_object(&ledger_entry_table, e, NULL, 1, cause) != 0)
		goto out;
	rc = POS_OK;
out:
	if (rc != POS_OK)
		ledger_entry_free(e);
	return rc;
}
