/*
 * A growable byte buffer: appending never fails (out of memory is fatal,
 * as for xmalloc). There is always room for a NUL after the bytes, which
 * buf_str writes without counting it. The check for room is inline: the
 * ledger's canonical encoder appends a few bytes at a time.
 */
#ifndef POS_CONFIG_BUF_H
#define POS_CONFIG_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	unsigned char	*data;	/* owned: free() it, or take it and reset */
	size_t		 len;
	size_t		 cap;	/* 0, or at least len + 1 */
};

/* Make room for n more bytes and a NUL. */
void	 buf_grow(struct buf *, size_t n);

static inline void
buf_need(struct buf *b, size_t n)
{
	if (n >= b->cap - b->len)
		buf_grow(b, n);
}

/* Append n bytes for which buf_need made room. */
static inline void
buf_put(struct buf *b, const void *p, size_t n)
{
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_need(b, n);
	buf_put(b, p, n);
}

static inline void
buf_addc(struct buf *b, int c)
{
	buf_need(b, 1);
	b->data[b->len++] = (unsigned char)c;
}

void	 buf_adds(struct buf *, const char *);
void	 buf_addn(struct buf *, int c, size_t n);	/* n copies of c */

/* The bytes as a string: a NUL is written after them (not counted). */
char	*buf_str(struct buf *);

#endif
