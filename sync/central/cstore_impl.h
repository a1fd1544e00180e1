/*
 * Between cstore.c and its backends: the table of operations each backend
 * fills in. cstore.h is the interface; this header is only for
 * cstore.c, cstore_sqlite.c and cstore_pg.c. Every operation has the
 * meaning given to the cstore_ function of the same name in cstore.h.
 */
#ifndef POS_CSTORE_IMPL_H
#define POS_CSTORE_IMPL_H

#include "cstore.h"

typedef int	(*cstore_entry_fn)(void *arg, const struct ledger_entry *,
		    const char *received_at);

struct cstore_ops {
	const char	*kind;		/* "sqlite" or "postgresql" */
	bool		 serial;	/* cstore_serial */
	void	(*close)(struct cstore *);
	int	(*ping)(struct cstore *, char **);
	int	(*begin)(struct cstore *, bool, char **);
	int	(*commit)(struct cstore *, char **);
	void	(*rollback)(struct cstore *);
	int	(*branch_add)(struct cstore *, const char *, const char *,
		    const uint8_t *, const char *, char **);
	int	(*branch_revoke)(struct cstore *, const char *, const char *,
		    char **);
	int	(*branches)(struct cstore *, struct cstore_branch **, size_t *,
		    char **);
	int	(*authenticate)(struct cstore *, const uint8_t *, char **,
		    bool *, char **);
	int	(*head)(struct cstore *, const char *, int64_t, int64_t *,
		    char *, char **);
	int	(*chains)(struct cstore *, const char *, struct cstore_chain **,
		    size_t *, char **);
	int	(*find_uuid)(struct cstore *, const char *,
		    struct cstore_stored *, char **);
	int	(*insert)(struct cstore *, const struct ledger_entry *,
		    const char *, char **);
	int	(*put_head)(struct cstore *, const char *, int64_t, int64_t,
		    const char *, const char *, char **);
	int	(*savepoint)(struct cstore *, char **);
	int	(*savepoint_end)(struct cstore *, bool, char **);
	int	(*each_entry)(struct cstore *, const char *, int64_t,
		    cstore_entry_fn, void *, char **);
	int	(*idem_get)(struct cstore *, const char *, const char *,
		    uint8_t *, char **, char **);
	int	(*idem_put)(struct cstore *, const char *, const char *,
		    const uint8_t *, const char *, const char *, int, char **);
	/* Every producer (code NULL) or one (cstore_report_producer). */
	int	(*report_producers)(struct cstore *, const char *, const char *,
		    const char *, struct cstore_producer **, size_t *, char **);
	int	(*producer_days)(struct cstore *, const char *, const char *,
		    const char *, struct cstore_pday **, size_t *, char **);
	int	(*days_chains)(struct cstore *, const struct cstore_chain *,
		    size_t, const struct cstore_dspan *, struct cstore_day **,
		    size_t *, char **);
	int	(*counts)(struct cstore *, int64_t *, int64_t *, int64_t *,
		    char **);
	int	(*entries_after)(struct cstore *, const char *, int64_t,
		    int64_t, int64_t, cstore_entry_fn, void *, char **);
	int	(*day_money)(struct cstore *, const char *, const char *, bool,
		    struct cstore_day_money **, size_t *, char **);
	int	(*reject_put)(struct cstore *, const struct ledger_entry *,
		    const char *, const char *, char **);
	int	(*rejections)(struct cstore *, struct cstore_rejection **,
		    size_t *, char **);
	int	(*rejection_copy)(struct cstore *,
		    const struct cstore_rejection *, char **);
	int	(*summaries_check)(struct cstore *, int64_t *, char **);
	/* n entries, all or some (CSTORE_EXISTS: cstore.c undoes them) */
	int	(*insert_many)(struct cstore *, const struct ledger_entry *,
		    size_t, const char *, char **);
	/* Master data (cstore_master.c has the common part). */
	int	(*master_bump)(struct cstore *, int64_t *, char **);
	int	(*master_version)(struct cstore *, int64_t *, char **);
	int	(*master_raise)(struct cstore *, int64_t, char **);
	int	(*mproducer_put)(struct cstore *,
		    const struct cstore_mproducer *, char **);
	int	(*mproducers)(struct cstore *, const char *,
		    struct cstore_mproducer **, size_t *, char **);
	int	(*mproduct_put)(struct cstore *,
		    const struct cstore_mproduct *, char **);
	int	(*mproducts)(struct cstore *, const char *,
		    struct cstore_mproduct **, size_t *, char **);
	int	(*mproducers_changed)(struct cstore *, int64_t, int64_t,
		    const char *, int64_t, struct cstore_mproducer **,
		    size_t *, char **);
	int	(*mproducts_changed)(struct cstore *, int64_t, int64_t,
		    const char *, int64_t, struct cstore_mproduct **,
		    size_t *, char **);
	int	(*merge_put)(struct cstore *, const struct cstore_merge *,
		    char **);
	int	(*merges)(struct cstore *, struct cstore_merge **, size_t *,
		    char **);
	/* What windows sent of their own (cstore_local.c). */
	int	(*lproducer_put)(struct cstore *,
		    const struct cstore_lproducer *, const char *, char **);
	int	(*lproduct_put)(struct cstore *,
		    const struct cstore_lproduct *, const char *, char **);
	int	(*local_prune)(struct cstore *, const char *, int64_t,
		    const char *, char **);
	int	(*lproducers)(struct cstore *, struct cstore_lproducer **,
		    size_t *, char **);
	int	(*lproducts)(struct cstore *, struct cstore_lproduct **,
		    size_t *, char **);
	int	(*seen_refresh)(struct cstore *, char **);
	int	(*seen_producers)(struct cstore *, struct cstore_seen **,
		    size_t *, char **);
	int	(*seen_products)(struct cstore *, struct cstore_seen **,
		    size_t *, char **);
	int	(*producer_products)(struct cstore *, const char *,
		    const char *, const char *, struct cstore_pproduct **,
		    size_t *, char **);
	int	(*plink_get)(struct cstore *, const char *, int64_t *, uint8_t *,
		    bool *, char **);
	int	(*plink_put)(struct cstore *, const char *, int64_t,
		    const uint8_t *, char **);
	int	(*plink_find)(struct cstore *, const uint8_t *, char **,
		    char **);
	/* Office accounts (cstore_office.c has the common part). */
	int	(*user_add)(struct cstore *, const struct cstore_user *,
		    char **);
	int	(*users)(struct cstore *, const char *, struct cstore_user **,
		    size_t *, char **);
	int	(*user_disable)(struct cstore *, const char *, const char *,
		    char **);
	int	(*apitoken_add)(struct cstore *, const char *, const uint8_t *,
		    const char *, char **);
	int	(*apitoken_find)(struct cstore *, const uint8_t *, char **,
		    char **);
	int	(*apitokens)(struct cstore *, struct cstore_apitoken **,
		    size_t *, char **);
	int	(*apitoken_revoke)(struct cstore *, const char *, const char *,
		    char **);
	int	(*wsession_put)(struct cstore *, const uint8_t *, const char *,
		    const char *, const char *, const char *, char **);
	int	(*wsession_get)(struct cstore *, const uint8_t *, const char *,
		    struct cstore_wsession *, char **);
	int	(*wsession_drop)(struct cstore *, const uint8_t *, char **);
	int	(*login_failed)(struct cstore *, const char *, const char *,
		    const char *, char **);
	int	(*login_failures)(struct cstore *, const char *, const char *,
		    int64_t *, char **);
};

/*
 * A period [from, to] as the summary tables cut it: the whole months in
 * it (months, "YYYY-MM", empty when m_from > m_to) and the days before and
 * after them (d1, d2: inclusive bounds compared as strings, empty when
 * from > to).
 */
struct cstore_span {
	char	 d1_from[16], d1_to[16];
	char	 m_from[16], m_to[16];
	char	 d2_from[16], d2_to[16];
};
void	 cstore_span(const char *from, const char *to, struct cstore_span *);

/*
 * The report's rows as the backend reads them from the summary tables
 * (merges applied), in any order: a window's all-time row (period false)
 * or one of its rows in the period. cstore_pacc_done adds them up per
 * producer, currency and window, in C (a sort, then one pass), and names
 * the producers from names: pairs (code, name), by code.
 */
struct cstore_prow {
	const char	*code, *currency, *branch;
	int64_t		 decimals, terminal;
	int64_t		 sold, refunded, paid_out, n;
	bool		 period;
};
struct cstore_pacc {
	struct cstore_prow	*r;
	size_t			 n, cap;
	char			**names;	/* code, name, code, name... */
	size_t			 nnames, capnames;
};
void	 cstore_pacc_add(struct cstore_pacc *, const struct cstore_prow *);
void	 cstore_pacc_name(struct cstore_pacc *, const char *code,
	    const char *name);
void	 cstore_pacc_done(struct cstore_pacc *, struct cstore_producer **out,
	    size_t *n);
void	 cstore_pacc_free(struct cstore_pacc *);

/*
 * Every chain's days read at once (days_chains), the rows chain by chain:
 * start gives out[i] its first room; place returns the room for a row of
 * branch and terminal (NULL: a chain not asked for); fail frees them all.
 */
struct cstore_dplace {
	const struct cstore_chain	*chains;
	size_t				 nchains, k;
	struct cstore_day		**out;
	size_t				*n, *cap;
};
void	 cstore_dplace_start(struct cstore_dplace *,
	    const struct cstore_chain *, size_t, struct cstore_day **,
	    size_t *);
struct cstore_day *cstore_dplace(struct cstore_dplace *, const char *branch,
	    int64_t terminal);
void	 cstore_dplace_end(struct cstore_dplace *, bool failed);

/* The parts, up to a NULL, as one string (the caller frees). */
char	*cstore_join(const char *const *parts);

/* Every backend's handle starts with this. */
struct cstore {
	const struct cstore_ops	*ops;
};

int	 cstore_sqlite_open(const char *path, bool create, struct cstore **,
	    char **cause);
int	 cstore_pg_open(const char *uri, bool create, struct cstore **,
	    char **cause);

#endif
