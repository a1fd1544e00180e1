/*
 * Jansson's memory for one request at a time. A batch of 500 entries is a
 * tree of some 40,000 small allocations, built and dropped within one
 * request; with the arena on, the thread takes them from a few big chunks
 * and gives them back in one go at the end, instead of malloc and free
 * each time (they were a fifth of the server's CPU under load).
 *
 * jsonmem_install() once, before any jansson call of the process; then a
 * thread brackets the request with jsonmem_begin() and jsonmem_end().
 * Nothing jansson allocates between them may be used after the end: copy
 * what must live on (a json_dumps result, say) and free the original with
 * jsonmem_free(). A tree made in the bracket need not be decref'd: the end
 * gives it back whole (walking it to free each node was 6% of ingest).
 * Outside a bracket jansson uses malloc and free as usual; jsonmem_begin()
 * installs the functions if jsonmem_install() was not called.
 */
#ifndef POS_JSONMEM_H
#define POS_JSONMEM_H

#include <stddef.h>

void	 jsonmem_install(void);
void	 jsonmem_begin(void);
void	 jsonmem_end(void);

/* Frees what jansson allocated, in a bracket or not. */
void	 jsonmem_free(void *);

/* Bytes the calling thread's arena holds now (for tests). */
size_t	 jsonmem_held(void);

#endif
