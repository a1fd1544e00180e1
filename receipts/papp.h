/*
 * pos-printer-app: a PAPPL Printer Application for ESC/POS thermal receipt
 * printers (README.md, "Printing through the printer application").
 * papp.c is the application: the drivers (one row per roll width), the
 * system and main(). pappjob.c turns a job into ESC/POS and delivers it.
 */
#ifndef POS_RECEIPTS_PAPP_H
#define POS_RECEIPTS_PAPP_H

#include <pappl/pappl.h>

#define PAPP_DPI	203
/* The printer's own format: a job in it goes to the device unchanged. */
#define PAPP_FORMAT	"application/vnd.escpos"

/* A driver: its roll and the dots the printer prints across it. */
struct papp_model {
	const char	*name;
	const char	*description;
	int		 roll_mm;
	int		 dots;
	/*
	 * The default media: 2 m of roll. CUPS's pdftopdf puts every PDF
	 * page on the queue's media, centred, and shrinks a page longer than
	 * it; a long default keeps receipts whole, and the blank paper above
	 * and below a page's ink is not printed.
	 */
	const char	*media;
	const char	*roll_max;
	const char	*roll_min;
};

/* The model of a driver name, or NULL; not owned. */
const struct papp_model	*papp_model(const char *name);

/* pappjob.c: PAPPL's raster callbacks, and the PNG and PDF filters. */
bool	pappjob_rstartjob(pappl_job_t *, pappl_pr_options_t *,
	    pappl_device_t *);
bool	pappjob_rstartpage(pappl_job_t *, pappl_pr_options_t *,
	    pappl_device_t *, unsigned page);
bool	pappjob_rwriteline(pappl_job_t *, pappl_pr_options_t *,
	    pappl_device_t *, unsigned y, const unsigned char *line);
bool	pappjob_rendpage(pappl_job_t *, pappl_pr_options_t *,
	    pappl_device_t *, unsigned page);
bool	pappjob_rendjob(pappl_job_t *, pappl_pr_options_t *,
	    pappl_device_t *);
bool	pappjob_filter_png(pappl_job_t *, pappl_device_t *, void *);
bool	pappjob_filter_pdf(pappl_job_t *, pappl_device_t *, void *);

#endif
