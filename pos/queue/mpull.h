/*
 * Master data from the central server, pulled at every sync after the push
 * (outbox_push): the producers and products that changed at the centre
 * since the version this window holds, page by page (GET /v1/master,
 * sync/PROTOCOL.md), then applied in one store transaction
 * (pos/domain/mdata.h has the rules). Pages are read into memory first and
 * no transaction is open while a request is on the network; a pull cut
 * anywhere applies nothing, and the next sync asks again from the version
 * held.
 */
#ifndef POS_MPULL_H
#define POS_MPULL_H

#include <stdatomic.h>
#include <stdint.h>

#include <jansson.h>

#include "mdata.h"
#include "store.h"

#define MPULL_PAGE	5000	/* rows asked per page */
#define MPULL_MAX_PAGE	20000	/* the most a page may be asked to hold */

struct mpull_result {
	int64_t			 since;		/* the version held before */
	int64_t			 version;	/* held after */
	int64_t			 pages;
	int64_t			 rows;		/* producers, products sent */
	struct mdata_result	 applied;
};

struct outbox_opts;

/*
 * One pull, with o's page size (master_page), tries of a request
 * (attempts) and cancel flag: POS_OK with *out filled, else a status and
 * *cause (the store unchanged). It does not read the environment (it may
 * run on a worker thread).
 */
int	 mpull_run(struct store *, const struct outbox_opts *o,
	    struct mpull_result *out, char **cause);

/* MPULL_PAGE, or POS_MASTER_PAGE from the environment (1..MPULL_MAX_PAGE). */
int	 mpull_page_default(void);

/* JSON of a pull: since, version, pages, rows, added, changed, conflicts,
   held_back (new reference). */
json_t	*mpull_result_json(const struct mpull_result *);

#endif
