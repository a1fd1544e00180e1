/*
 * What the files of the ledger module share and nothing else uses: the
 * field accessors and the checks behind ledger_validate, so that
 * ledger_oracle.c (the tree-building encoder and parser) applies the same
 * rules with the same messages as the encoder and the streaming reader.
 */
#ifndef POS_LEDGER_INT_H
#define POS_LEDGER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cause.h"
#include "ledger.h"

/* At most this many rows in one table: the parsers keep a bit per row. */
#define LEDGER_MAX_TABLE_FIELDS	32

/* Field accessors: base is the struct a table describes. */
static inline char **
field_str(void *base, const struct ledger_field *f)
{
	return (char **)((char *)base + f->off);
}

static inline const char *
field_cstr(const void *base, const struct ledger_field *f)
{
	return *(char *const *)((const char *)base + f->off);
}

static inline char *
field_buf(void *base, const struct ledger_field *f)
{
	return (char *)base + f->off;
}

static inline const char *
field_cbuf(const void *base, const struct ledger_field *f)
{
	return (const char *)base + f->off;
}

static inline int64_t *
field_int(void *base, const struct ledger_field *f)
{
	return (int64_t *)(void *)((char *)base + f->off);
}

static inline int64_t
field_cint(const void *base, const struct ledger_field *f)
{
	return *(const int64_t *)(const void *)((const char *)base + f->off);
}

static inline void **
field_array(void *base, const struct ledger_field *f)
{
	return (void **)(void *)((char *)base + f->off);
}

static inline const void *
field_carray(const void *base, const struct ledger_field *f)
{
	return *(const void *const *)(const void *)((const char *)base +
	    f->off);
}

static inline size_t *
field_count(void *base, const struct ledger_field *f)
{
	return (size_t *)(void *)((char *)base + f->count_off);
}

static inline size_t
field_ccount(const void *base, const struct ledger_field *f)
{
	return *(const size_t *)(const void *)((const char *)base +
	    f->count_off);
}

/*
 * The shape checks the field tables name (ledger_validate.c): NULL when s
 * is well formed, else why not (a static string).
 */
const char	*ledger_check_uuid(const char *s);
const char	*ledger_check_kind(const char *s);
const char	*ledger_check_timestamp(const char *s);
const char	*ledger_check_date(const char *s);
const char	*ledger_check_unit(const char *s);
const char	*ledger_check_method(const char *s);
const char	*ledger_check_hash(const char *s);

/*
 * Set *cause to "where.name: message" (either part may be NULL). cause may
 * be NULL when the caller only wants the verdict. Always returns POS_FAIL.
 */
int	 ledger_complain(char **cause, const char *where, const char *name,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A key from the network, made safe to put in a message. */
void	 ledger_safe_key(const char *key, char *out, size_t outsz);

/* The rules on one string value of len bytes with no NUL inside: POS_OK, or
 * POS_FAIL and *cause. */
int	 ledger_check_string(const struct ledger_field *f, const char *s,
	    size_t len, const char *where, char **cause);

/*
 * Every rule of the table on the object at base; sealed: the fields
 * ledger_seal fills in too. POS_OK, or POS_FAIL and *cause.
 */
int	 ledger_validate_object(const struct ledger_table *t, const void *base,
	    const char *where, int sealed, char **cause);

/* where + "." + name + "[k]" into buf (or name when it does not fit). */
const char *ledger_element_path(char *buf, size_t bufsz, const char *where,
	    const char *name, size_t k);

#endif
