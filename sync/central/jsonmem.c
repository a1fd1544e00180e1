/*
 * A bump arena per thread for jansson (see jsonmem.h). Chunks double from
 * JSONMEM_FIRST up to JSONMEM_MAX; an allocation bigger than a quarter of
 * the current chunk gets a chunk of its own. At the end of a request the
 * first chunk is kept for the next one and the rest go back to malloc.
 */
#include "jsonmem.h"

#include <jansson.h>

#include <pthread.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "xalloc.h"

#define JSONMEM_FIRST	((size_t)256 * 1024)
#define JSONMEM_MAX	((size_t)4 * 1024 * 1024)
#define JSONMEM_ALIGN	alignof(max_align_t)

struct chunk {
	struct chunk	*next;
	size_t		 size;	/* bytes of data */
	size_t		 used;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct chunk	*chunks;	/* newest first */
	struct chunk	*first;		/* kept from one request to the next */
	size_t		 grow;		/* size of the next chunk */
	bool		 on;
};

static _Thread_local struct arena arena;
static pthread_key_t arena_key;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

/* At thread exit: the chunk kept for the next request. */
static void
arena_thread_end(void *kept)
{
	free(kept);
}

static void
arena_key_make(void)
{
	if (pthread_key_create(&arena_key, arena_thread_end) != 0)
		xalloc_fatal("pthread_key_create");
}

static struct chunk *
chunk_new(size_t size, struct chunk *next)
{
	struct chunk *c = xmalloc(sizeof *c + size);

	c->next = next;
	c->size = size;
	c->used = 0;
	return c;
}

static void *
jm_malloc(size_t size)
{
	struct arena *a = &arena;
	struct chunk *c;
	size_t need;

	if (!a->on)
		return malloc(size);
	if (size > SIZE_MAX / 2)
		return NULL;
	need = (size + JSONMEM_ALIGN - 1) & ~(JSONMEM_ALIGN - 1);
	c = a->chunks;
	if (c != NULL && c->size - c->used >= need) {
		c->used += need;
		return c->data + c->used - need;
	}
	if (c != NULL && need > c->size / 4) {
		/* Big: a chunk of its own, behind the one being filled. */
		c->next = chunk_new(need, c->next);
		c->next->used = need;
		return c->next->data;
	}
	if (a->grow < need)
		a->grow = need;
	a->chunks = c = chunk_new(a->grow, c);
	if (a->grow < JSONMEM_MAX)
		a->grow *= 2;
	c->used = need;
	return c->data;
}

static bool
in_arena(const struct arena *a, const void *p)
{
	const unsigned char *b = p;

	for (const struct chunk *c = a->chunks; c != NULL; c = c->next)
		if (b >= c->data && b < c->data + c->size)
			return true;
	return false;
}

void
jsonmem_free(void *p)
{
	if (p == NULL)
		return;
	if (arena.on && in_arena(&arena, p))
		return;		/* given back at jsonmem_end */
	free(p);
}

/*
 * Our free gives to free() whatever is not in an arena, so the functions
 * can be installed after jansson allocated with malloc.
 */
static void
install(void)
{
	arena_key_make();
	json_set_alloc_funcs(jm_malloc, jsonmem_free);
}

void
jsonmem_install(void)
{
	pthread_once(&install_once, install);
}

void
jsonmem_begin(void)
{
	struct arena *a = &arena;

	pthread_once(&install_once, install);
	if (a->first == NULL) {
		a->chunks = a->first = chunk_new(JSONMEM_FIRST, NULL);
		if (pthread_setspecific(arena_key, a->first) != 0)
			xalloc_fatal("pthread_setspecific");
	}
	a->grow = JSONMEM_FIRST * 2;
	a->on = true;
}

void
jsonmem_end(void)
{
	struct arena *a = &arena;
	struct chunk *c, *next;

	a->on = false;
	for (c = a->chunks; c != NULL; c = next) {
		next = c->next;
		if (c != a->first)
			free(c);
	}
	if ((a->chunks = a->first) != NULL) {
		a->first->next = NULL;
		a->first->used = 0;
	}
}

size_t
jsonmem_held(void)
{
	size_t n = 0;

	for (const struct chunk *c = arena.chunks; c != NULL; c = c->next)
		n += c->size;
	return n;
}
