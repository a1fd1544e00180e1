/*
 * Slips: the receipt documents the window prints, built from journal
 * entries and reports (receipts/document.h). Receipts print times as local
 * time in the configured zone, without a zone name.
 */
#ifndef POS_SLIP_H
#define POS_SLIP_H

#include <stdbool.h>
#include <stdint.h>

#include "document.h"
#include "ledger.h"
#include "report.h"
#include "store.h"

/* A sale receipt, or a void, refund, payout, cash or day slip. */
struct doc	*slip_entry(struct store *, const struct ledger_entry *e,
		    bool copy);

/* An X or Z report. */
struct doc	*slip_day(struct store *, const struct report_day *r);

/* A producer's statement over [from, to]. */
int		 slip_statement(struct store *, const char *code,
		    const char *from, const char *to, struct doc **out,
		    char **cause);

#endif
