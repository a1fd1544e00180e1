#include "buf.h"

#include <stdint.h>
#include <stdlib.h>

#include "xalloc.h"

void
buf_grow(struct buf *b, size_t n)
{
	size_t	cap;

	if (n >= SIZE_MAX - b->len)
		xalloc_fatal("buffer too large");
	if (b->len + n < b->cap)
		return;
	cap = b->cap == 0 ? 1024 : b->cap;
	while (cap <= b->len + n) {
		if (cap > SIZE_MAX / 2)
			xalloc_fatal("buffer too large");
		cap *= 2;
	}
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addn(struct buf *b, int c, size_t n)
{
	buf_need(b, n);
	memset(b->data + b->len, c, n);
	b->len += n;
}

char *
buf_str(struct buf *b)
{
	buf_need(b, 0);
	b->data[b->len] = '\0';
	return (char *)b->data;
}
