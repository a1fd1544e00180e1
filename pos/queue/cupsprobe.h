/*
 * Whether there is surely no CUPS to print to, found without libcups: the
 * print module (Pango, cairo, libcups: dozens of libraries) is then not
 * loaded to learn it, and a window without a printer writes its text slip
 * at the cost of the text alone.
 */
#ifndef POS_CUPSPROBE_H
#define POS_CUPSPROBE_H

#include <stdbool.h>

/*
 * True when the CUPS server libcups would use (CUPS_SERVER, client.conf's
 * ServerName, else the local socket or localhost, at IPP_PORT or 631) is
 * local and does not accept a connection. False when it does, or when it
 * is another host (only libcups may ask that one).
 */
bool	 cupsprobe_absent(void);

#endif
