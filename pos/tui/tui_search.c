#include "tui_search.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void
tui_search_init(struct tui_search *s, struct store *st, size_t limit)
{
	memset(s, 0, sizeof *s);
	s->st = st;
	s->limit = limit;
}

static void
tui_search_clear(struct tui_search *s)
{
	catalog_products_free(s->rows, s->nrows);
	s->rows = NULL;
	s->nrows = 0;
	s->sel = 0;
}

void
tui_search_free(struct tui_search *s)
{
	tui_search_clear(s);
	free(s->text);
	s->text = NULL;
}

const char *
tui_search_split(const char *input, char **qty_text)
{
	const char *star = strchr(input, '*');

	*qty_text = NULL;
	if (star == NULL)
		return input;
	*qty_text = xstrndup(input, (size_t)(star - input));
	return star + 1;
}

int
tui_search_update(struct tui_search *s, const char *input, char **cause)
{
	const char *text;
	char *qty;
	int rc;

	text = tui_search_split(input, &qty);
	free(qty);
	while (*text == ' ')
		text++;
	if (s->text != NULL && strcmp(s->text, text) == 0)
		return POS_OK;
	free(s->text);
	s->text = xstrdup(text);
	tui_search_clear(s);
	rc = catalog_product_search(s->st, text, s->limit, &s->rows, &s->nrows,
	    cause);
	if (rc != POS_OK) {
		s->rows = NULL;
		s->nrows = 0;
		/* Search again next time rather than keep an empty list. */
		free(s->text);
		s->text = NULL;
	}
	return rc;
}

const struct product *
tui_search_current(const struct tui_search *s)
{
	if (s->nrows == 0)
		return NULL;
	return &s->rows[s->sel < s->nrows ? s->sel : s->nrows - 1];
}
