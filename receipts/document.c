/*
 * Receipt documents: a growable array of items with sanitised copies of the
 * caller's strings.
 */
#include "document.h"

#include <fribidi.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "receipts_int.h"
#include "utf8.h"
#include "xalloc.h"

struct doc {
	struct doc_item	*items;
	size_t		 n;
	size_t		 cap;
};

struct doc *
doc_new(void)
{
	return xcalloc(1, sizeof(struct doc));
}

void
doc_free(struct doc *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->items[i].text);
		free(d->items[i].right);
	}
	free(d->items);
	free(d);
}

size_t
doc_count(const struct doc *d)
{
	return d->n;
}

const struct doc_item *
doc_item(const struct doc *d, size_t i)
{
	return i < d->n ? &d->items[i] : NULL;
}

/* A copy of s that is valid UTF-8 without control characters. */
static char *
doc_clean(const char *s)
{
	const char		*p = s != NULL ? s : "";
	size_t			 len = strlen(p), i = 0, o = 0, n;
	char			*out;
	uint32_t		 cp;

	out = xmalloc(len * 3 + 1);	/* a bad byte grows to 3 */
	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		if (utf8_is_control(cp))
			out[o++] = ' ';
		else {
			memcpy(out + o, p + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	return out;
}

static struct doc_item *
doc_add(struct doc *d, enum doc_kind kind, int flags)
{
	struct doc_item	*it;

	if (d->n == d->cap) {
		d->cap = d->cap == 0 ? 16 : d->cap * 2;
		d->items = xreallocarray(d->items, d->cap, sizeof *d->items);
	}
	it = &d->items[d->n++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->flags = flags;
	return it;
}

void
doc_text(struct doc *d, int flags, const char *text)
{
	doc_add(d, DOC_TEXT, flags)->text = doc_clean(text);
}

void
doc_row(struct doc *d, int flags, const char *left, const char *right)
{
	struct doc_item	*it = doc_add(d, DOC_ROW, flags);

	it->text = doc_clean(left);
	it->right = doc_clean(right);
}

void
doc_pair(struct doc *d, int flags, const char *first, const char *second)
{
	struct doc_item	*it = doc_add(d, DOC_PAIR, flags);

	it->text = doc_clean(first);
	it->right = doc_clean(second);
}

void
doc_separator(struct doc *d)
{
	doc_add(d, DOC_SEPARATOR, 0);
}

void
doc_qr(struct doc *d, const char *payload)
{
	doc_add(d, DOC_QR, DOC_CENTER)->text = doc_clean(payload);
}

void
doc_feed(struct doc *d, int lines)
{
	doc_add(d, DOC_FEED, 0)->n = lines < 0 ? 0 : lines > 255 ? 255 : lines;
}

void
doc_cut(struct doc *d)
{
	doc_add(d, DOC_CUT, 0);
}

int
doc_is_rtl(int flags, const char *text)
{
	size_t			 len, i = 0, n;
	uint32_t		 cp;
	FriBidiCharType		 t;
	int			 depth = 0;

	if (flags & DOC_RTL)
		return 1;
	if ((flags & DOC_LTR) || text == NULL)
		return 0;
	len = strlen(text);
	while (i < len && (n = utf8_decode(text + i, len - i, &cp)) != 0) {
		i += n;
		t = fribidi_get_bidi_type(cp);
		if (t == FRIBIDI_TYPE_LRI || t == FRIBIDI_TYPE_RLI ||
		    t == FRIBIDI_TYPE_FSI)
			depth++;
		else if (t == FRIBIDI_TYPE_PDI && depth > 0)
			depth--;
		else if (depth > 0)
			continue;	/* isolated text does not count (P2) */
		else if (t == FRIBIDI_TYPE_LTR)
			return 0;
		else if (t == FRIBIDI_TYPE_RTL || t == FRIBIDI_TYPE_AL)
			return 1;
	}
	return 0;
}
