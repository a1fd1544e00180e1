/*
 * A window's journal brought back from the central server, for a PC that
 * replaced one that died (pos init --from-central). The journal is read
 * page by page (GET /v1/journal, sync/PROTOCOL.md), every entry checked
 * as `pos verify` checks it (its form, its hash, its link to the one
 * before), and appended with its own uuid, seq, receipt and hash
 * (journal_adopt); the producers and products its lines name are made
 * from the lines, and the sync checkpoint is the centre's head, so the
 * next sale takes the next receipt number and the next push chains on.
 * All in one transaction: a journal that does not verify leaves nothing.
 */
#ifndef POS_PULL_H
#define POS_PULL_H

#include <stdint.h>

#include "ledger.h"
#include "store.h"

#define PULL_PAGE	200	/* entries asked per page */
#define PULL_MAX_PAGE	1000	/* the most a page may be asked to hold */

struct pull_result {
	int64_t	 entries;
	int64_t	 pages;
	int64_t	 producers;	/* made from the journal's lines */
	int64_t	 products;
	char	 head[LEDGER_HASH_HEX];
};

/*
 * Fill st (set up with pos init's identity, its journal empty) with its
 * terminal's journal from the centre, page entries a page (1..PULL_MAX_PAGE;
 * pull_page_default gives it). POS_INPUT when the centre has no
 * journal of the terminal or its chain does not verify, POS_DENIED when
 * the token is refused, POS_FAIL on a network or store fault.
 */
int	 pull_journal(struct store *st, int page, struct pull_result *out,
	    char **cause);

/*
 * PULL_PAGE, or POS_SYNC_PAGE from the environment (1..PULL_MAX_PAGE):
 * tests use it to make a short journal come in several pages.
 */
int	 pull_page_default(void);

#endif
