/*
 * Jansson's memory for one request at a time. pos-central has two JSON
 * paths: request bodies are read by yajl, a streaming parser, straight
 * into ledger entries (ingest_read.c, through ledger_reader), and answers and
 * office reports are built as jansson trees and dumped. This arena serves
 * the second: the answer to a batch of 500 entries is a tree of some 3,000
 * small allocations, built inside the writer's turn and dropped at the end
 * of the request, so the thread takes them from a few big chunks and gives
 * them back in one go at the end instead of calling malloc and free for
 * each (under load those calls are a large share of the server's CPU).
 *
 * jsonmem_install() once, before any jansson call of the process; then a
 * thread brackets the request with jsonmem_begin() and jsonmem_end().
 * Nothing jansson allocates between them may be used after the end: copy
 * what must live on (a json_dumps result, say) and free the original with
 * jsonmem_free(). A tree made in the bracket need not be decref'd: the end
 * gives it back whole.
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
