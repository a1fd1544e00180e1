/* Growable byte buffers for renderer output. */
#include <stdlib.h>
#include <string.h>

#include "receipts_int.h"
#include "xalloc.h"

static void
buf_grow(struct buf *b, size_t n)
{
	size_t	cap;

	if (b->len + n <= b->cap)
		return;
	cap = b->cap == 0 ? 256 : b->cap;
	while (cap < b->len + n) {
		if (cap > SIZE_MAX / 2)
			xalloc_fatal("buffer too large");
		cap *= 2;
	}
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void
buf_addc(struct buf *b, int c)
{
	unsigned char	ch = (unsigned char)c;

	buf_add(b, &ch, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addn(struct buf *b, int c, size_t n)
{
	if (n == 0)
		return;
	buf_grow(b, n);
	memset(b->data + b->len, c, n);
	b->len += n;
}
