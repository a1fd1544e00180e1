/*
 * A line-based receipt spec for tests and the test drivers:
 *
 *   # comment
 *   text FLAGS TEXT         FLAGS: "-" or a comma list of start, left,
 *   row FLAGS LEFT | RIGHT         center, right, bold, double, ltr, rtl
 *   sep
 *   qr PAYLOAD
 *   feed N
 *   cut
 */
#ifndef POS_TESTS_RECEIPTS_SPEC_H
#define POS_TESTS_RECEIPTS_SPEC_H

#include <stdio.h>

#include "document.h"

/* Build a document from spec text; NULL with *cause on a bad line. */
struct doc	*spec_parse(const char *text, char **cause);
/* Read all of f (at most 1 MiB) into a string; caller frees. */
char		*spec_read(FILE *f);

#endif
