/*
 * One job of pos-printer-app to ESC/POS, and its delivery. Every page
 * becomes rows of ink cut to the roll's printable dots, thresholded and
 * encoded as GS v 0 bands by raster_ink_row and raster_escpos (raster.c),
 * the POS's own raster renderer's functions.
 *
 * What comes in and how it becomes rows of ink:
 *   PWG raster, Apple raster  PAPPL reads the stream; 8-bit grey rows come
 *                             to pappjob_rwriteline.
 *   JPEG                      PAPPL's own image filter, scaled to the roll.
 *   PNG                       libpng, one image pixel per dot, unscaled.
 *   PDF                       Poppler (poppler-glib) draws each page with
 *                             cairo at 203 dpi, unscaled when the page is no
 *                             wider than the roll, else scaled to the width.
 * Every page of a job is printed one after the other, from its first ink
 * to its last, without a gap: a long receipt stays one strip. The cash
 * drawer kick comes first, the cut once at the end of the job.
 *
 * The bytes of a job are collected first and written at the end: if the
 * printer cannot be reached or the connection breaks, the job stays
 * "processing" with the printer "stopped"/"offline" and a message, and the
 * whole job is written again once the printer answers. A job is completed
 * only after the printer acknowledged every byte (socket://) or the device
 * took them all (USB).
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <linux/sockios.h>

#include <math.h>
#include <png.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "papp.h"
#include "receipts_int.h"
#include "xalloc.h"

/* Longest strip a job may make, in dots (10 m), and widest image taken. */
#define PAPP_MAX_ROWS	(10000 * PAPP_DPI / 25)
#define PAPP_MAX_WIDTH	8192
/* Seconds between attempts to reach a printer that is away. */
#define PAPP_RETRY_MIN	1
#define PAPP_RETRY_MAX	5

/* A job being made: its ESC/POS bytes, and the page being assembled. */
struct pappjob {
	const struct papp_model	*model;
	struct buf		 out;		/* the whole job's bytes */
	struct render_bitmap	 page;		/* rows so far, dots wide */
	int			 rows_cap;
	int			 inked;		/* rows up to the last ink */
	int			 src_width;	/* width of incoming rows */
	int			 src_x0;	/* incoming column of dot 0 */
	unsigned char		*ink;		/* one row of ink, dots wide */
	unsigned char		*line;		/* one incoming row's ink */
	size_t			 line_cap;
	int			 too_long;
};

/*
 * The value of vendor option name for this job: the job's own, else the
 * printer's NAME-default (PAPPL 1.3.1 looks for that default among the
 * job's attributes only, where it never is), else def. Caller frees.
 */
static char *
pappjob_option(pappl_job_t *job, const pappl_pr_options_t *o, const char *name,
    const char *def)
{
	ipp_t		*attrs;
	ipp_attribute_t	*a;
	const char	*v;
	char		 key[64], *r = NULL;

	if ((v = cupsGetOption(name, o->num_vendor, o->vendor)) != NULL)
		return xstrdup(v);
	snprintf(key, sizeof key, "%s-default", name);
	attrs = papplPrinterGetDriverAttributes(papplJobGetPrinter(job));
	if (attrs != NULL && (a = ippFindAttribute(attrs, key,
	    IPP_TAG_KEYWORD)) != NULL && (v = ippGetString(a, 0, NULL)) != NULL)
		r = xstrdup(v);
	ippDelete(attrs);
	return r != NULL ? r : xstrdup(def);
}

/*
 * Print density (Epson's GS ( K fn 49: -6..+6 as 250..255, 0..6) from
 * printer-darkness-configured (0..100, 50 is the printer's own) plus the
 * job's print-darkness (-100..100). Nothing is sent at the printer's own.
 */
static void
pappjob_darkness(struct buf *b, const pappl_pr_options_t *o)
{
	int	level;

	level = (int)lround((o->darkness_configured - 50) * 6.0 / 50.0 +
	    o->print_darkness * 6.0 / 100.0);
	if (level < -6)
		level = -6;
	if (level > 6)
		level = 6;
	if (level == 0)
		return;
	buf_add(b, "\x1d\x28\x4b\x02\x00\x31", 6);
	buf_addc(b, level < 0 ? 256 + level : level);
}

static struct pappjob *
pappjob_job_new(pappl_job_t *job, const pappl_pr_options_t *o)
{
	struct pappjob	*pj;
	char		*drawer;

	pj = xcalloc(1, sizeof *pj);
	pj->model = papp_model(papplPrinterGetDriverName(
	    papplJobGetPrinter(job)));
	if (pj->model == NULL)
		pj->model = papp_model("escpos_80mm");
	pj->ink = xmalloc((size_t)pj->model->dots);
	buf_add(&pj->out, "\x1b\x40", 2);		/* ESC @ */
	pappjob_darkness(&pj->out, o);
	drawer = pappjob_option(job, o, "cash-drawer", "none");
	if (strcmp(drawer, "open") == 0)
		buf_add(&pj->out, "\x1b\x70\x00\x19\xfa", 5);	/* ESC p 0 */
	free(drawer);
	papplJobSetData(job, pj);
	return pj;
}

static void
pappjob_job_free(pappl_job_t *job, struct pappjob *pj)
{
	if (pj == NULL)
		return;
	papplJobSetData(job, NULL);
	free(pj->out.data);
	free(pj->page.bits);
	free(pj->ink);
	free(pj->line);
	free(pj);
}

/* A new page whose rows are width pixels across, centred on the roll. */
static void
pappjob_page_start(struct pappjob *pj, int width)
{
	pj->src_width = width;
	pj->src_x0 = (width - pj->model->dots) / 2;
	pj->page.width = pj->model->dots;
	pj->page.stride = pj->model->dots / 8;
	pj->page.height = 0;
	pj->inked = 0;
}

/*
 * One incoming row of ink (0 paper .. 255 ink), src_width wide: the dots
 * under the roll's printable width, thresholded as the POS's renderer does.
 */
static void
pappjob_page_row(struct pappjob *pj, const unsigned char *ink)
{
	struct render_bitmap	*p = &pj->page;
	unsigned char		*row;
	int			 x, sx, any = 0;

	if (p->height >= PAPP_MAX_ROWS) {
		pj->too_long = 1;
		return;
	}
	for (x = 0; x < p->width; x++) {
		sx = pj->src_x0 + x;
		pj->ink[x] = sx >= 0 && sx < pj->src_width ? ink[sx] : 0;
	}
	if (p->height == pj->rows_cap) {
		pj->rows_cap = pj->rows_cap == 0 ? 1024 : pj->rows_cap * 2;
		p->bits = xreallocarray(p->bits, (size_t)pj->rows_cap,
		    (size_t)p->stride);
	}
	row = p->bits + (size_t)p->height * (size_t)p->stride;
	memset(row, 0, (size_t)p->stride);
	raster_ink_row(pj->ink, row, p->stride);
	for (x = 0; x < p->stride && !any; x++)
		any = row[x] != 0;
	if (!any && p->height == 0)
		return;			/* blank paper above the ink */
	p->height++;
	if (any)
		pj->inked = p->height;
}

/* The page's GS v 0 bands, from its first ink to its last. */
static void
pappjob_page_end(struct pappjob *pj)
{
	struct render_bitmap	page = pj->page;

	page.height = pj->inked;
	if (page.height > 0)
		raster_escpos(&pj->out, &page);
	pj->page.height = 0;
	pj->inked = 0;
}

/* Wait up to secs, in small steps so that a cancel is seen at once. */
static int
pappjob_wait(pappl_job_t *job, int secs)
{
	struct timespec	ts = { 0, 100 * 1000 * 1000 };
	int		i;

	for (i = 0; i < secs * 10; i++) {
		if (papplJobIsCanceled(job))
			return 0;
		nanosleep(&ts, NULL);
	}
	return !papplJobIsCanceled(job);
}

/*
 * For a socket:// printer, wait until the printer acknowledged every byte
 * (the socket's send queue is empty) or the connection broke. A write that
 * returned only says the kernel took the bytes: a printer that resets the
 * connection then has not printed them. PAPPL 1.3 has no call for this;
 * its socket device data begins with the connection's descriptor, which
 * is checked to be a socket before it is used.
 */
static bool
pappjob_acked(pappl_job_t *job, pappl_device_t *dev)
{
	const char	*uri;
	struct timespec	 ts = { 0, 5 * 1000 * 1000 };
	struct stat	 st;
	socklen_t	 len;
	int		 fd, queued, err;
	void		*data;

	uri = papplPrinterGetDeviceURI(papplJobGetPrinter(job));
	data = papplDeviceGetData(dev);
	if (uri == NULL || strncmp(uri, "socket://", 9) != 0 || data == NULL)
		return true;
	memcpy(&fd, data, sizeof fd);
	if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
		return true;
	for (;;) {
		len = sizeof err;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 ||
		    err != 0)
			return false;
		if (ioctl(fd, SIOCOUTQ, &queued) != 0)
			return true;
		if (queued == 0) {
			/* A reset empties the queue too: look once more. */
			len = sizeof err;
			return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
			    &len) == 0 && err == 0;
		}
		if (papplJobIsCanceled(job))
			return false;
		nanosleep(&ts, NULL);
	}
}

/* Write all of b; true only if the device took every byte. */
static bool
pappjob_write(pappl_job_t *job, pappl_device_t *dev, const struct buf *b)
{
	pappl_devmetrics_t	before, after;

	papplDeviceFlush(dev);
	papplDeviceGetMetrics(dev, &before);
	if (papplDeviceWrite(dev, b->data, b->len) < 0)
		return false;
	papplDeviceFlush(dev);
	papplDeviceGetMetrics(dev, &after);
	return after.write_bytes - before.write_bytes == b->len &&
	    pappjob_acked(job, dev);
}

/*
 * Send the job's bytes; on a failure keep trying (the job stays
 * processing, the printer shows offline) until they all went out or the
 * job is canceled.
 */
static bool
pappjob_deliver(pappl_job_t *job, pappl_device_t *dev, const struct buf *b)
{
	pappl_printer_t	*printer = papplJobGetPrinter(job);
	pappl_device_t	*own = NULL;
	int		 secs = PAPP_RETRY_MIN, failed = 0;
	bool		 ok;

	for (;;) {
		ok = pappjob_write(job, own != NULL ? own : dev, b);
		if (own != NULL)
			papplDeviceClose(own);
		own = NULL;
		if (ok)
			break;
		if (!failed) {
			papplLogJob(job, PAPPL_LOGLEVEL_ERROR,
			    "Printer at '%s' did not take the job; retrying.",
			    papplPrinterGetDeviceURI(printer));
			papplPrinterSetReasons(printer, PAPPL_PREASON_OFFLINE,
			    PAPPL_PREASON_NONE);
			papplJobSetReasons(job, PAPPL_JREASON_PRINTER_STOPPED,
			    PAPPL_JREASON_NONE);
		}
		failed = 1;
		do {
			papplJobSetMessage(job, "Printer unreachable at %s; "
			    "retrying every %d s.",
			    papplPrinterGetDeviceURI(printer), secs);
			if (!pappjob_wait(job, secs))
				return false;
			if (secs < PAPP_RETRY_MAX)
				secs++;
			own = papplDeviceOpen(papplPrinterGetDeviceURI(printer),
			    papplJobGetName(job), papplLogDevice,
			    papplPrinterGetSystem(printer));
		} while (own == NULL);
	}
	if (failed) {
		papplPrinterSetReasons(printer, PAPPL_PREASON_NONE,
		    PAPPL_PREASON_OFFLINE);
		papplJobSetReasons(job, PAPPL_JREASON_NONE,
		    PAPPL_JREASON_PRINTER_STOPPED);
		papplJobSetMessage(job, "Printed after the printer came back.");
	}
	return true;
}

/* The end of a job: the cut, then the bytes out. */
static bool
pappjob_job_finish(pappl_job_t *job, const pappl_pr_options_t *o,
    pappl_device_t *dev, struct pappjob *pj)
{
	char	*cut = pappjob_option(job, o, "cut-type", "partial");
	bool	 ok;

	if (pj->too_long)
		papplLogJob(job, PAPPL_LOGLEVEL_WARN,
		    "Job longer than %d dots; the rest is left out.",
		    PAPP_MAX_ROWS);
	if (strcmp(cut, "full") == 0)
		buf_add(&pj->out, "\x1d\x56\x41\x00", 4);	/* GS V A 0 */
	else if (strcmp(cut, "partial") == 0)
		buf_add(&pj->out, "\x1d\x56\x42\x00", 4);	/* GS V B 0 */
	free(cut);
	ok = pappjob_deliver(job, dev, &pj->out);
	pappjob_job_free(job, pj);
	return ok;
}

/* The raster callbacks PAPPL calls for PWG and Apple raster and JPEG. */
bool
pappjob_rstartjob(pappl_job_t *job, pappl_pr_options_t *o, pappl_device_t *dev)
{
	(void)dev;
	pappjob_job_new(job, o);
	return true;
}

bool
pappjob_rstartpage(pappl_job_t *job, pappl_pr_options_t *o, pappl_device_t *dev,
    unsigned page)
{
	(void)dev;
	(void)page;
	pappjob_page_start(papplJobGetData(job), (int)o->header.cupsWidth);
	return true;
}

bool
pappjob_rwriteline(pappl_job_t *job, pappl_pr_options_t *o, pappl_device_t *dev,
    unsigned y, const unsigned char *line)
{
	struct pappjob	*pj = papplJobGetData(job);
	unsigned	 x, w = o->header.cupsWidth;

	(void)dev;
	(void)y;
	if (pj->line_cap < w) {
		pj->line = xrealloc(pj->line, w);
		pj->line_cap = w;
	}
	/* sgray_8 is the only raster type offered: 255 is paper. */
	for (x = 0; x < w; x++)
		pj->line[x] = (unsigned char)(255 - line[x]);
	pappjob_page_row(pj, pj->line);
	return true;
}

bool
pappjob_rendpage(pappl_job_t *job, pappl_pr_options_t *o, pappl_device_t *dev,
    unsigned page)
{
	(void)o;
	(void)dev;
	(void)page;
	pappjob_page_end(papplJobGetData(job));
	return true;
}

bool
pappjob_rendjob(pappl_job_t *job, pappl_pr_options_t *o, pappl_device_t *dev)
{
	return pappjob_job_finish(job, o, dev, papplJobGetData(job));
}

/* PNG: each image pixel one dot, centred on the roll, never scaled. */
bool
pappjob_filter_png(pappl_job_t *job, pappl_device_t *dev, void *data)
{
	pappl_pr_options_t	*o;
	struct pappjob		*pj;
	png_image		 img;
	unsigned char		*grey = NULL, *ink = NULL;
	size_t			 x, y;
	bool			 ok = false;

	(void)data;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, papplJobGetFilename(job)))
		goto bad;
	img.format = PNG_FORMAT_GRAY;
	if (img.width > PAPP_MAX_WIDTH || img.height > PAPP_MAX_ROWS) {
		papplLogJob(job, PAPPL_LOGLEVEL_ERROR, "PNG of %ux%u pixels: at "
		    "most %d wide and %d long.", img.width, img.height,
		    PAPP_MAX_WIDTH, PAPP_MAX_ROWS);
		goto bad;
	}
	grey = xreallocarray(NULL, img.height, img.width);
	if (!png_image_finish_read(&img, NULL, grey, (png_int_32)img.width,
	    NULL))
		goto bad;
	o = papplJobCreatePrintOptions(job, 1, false);
	pj = pappjob_job_new(job, o);
	pappjob_page_start(pj, (int)img.width);
	ink = xmalloc(img.width);
	for (y = 0; y < img.height; y++) {
		for (x = 0; x < img.width; x++)
			ink[x] = (unsigned char)(255 -
			    grey[y * img.width + x]);
		pappjob_page_row(pj, ink);
	}
	pappjob_page_end(pj);
	papplJobSetImpressionsCompleted(job, 1);
	ok = pappjob_job_finish(job, o, dev, pj);
	papplJobDeletePrintOptions(o);
	free(ink);
	free(grey);
	return ok;
bad:
	papplLogJob(job, PAPPL_LOGLEVEL_ERROR, "Bad PNG: %s", img.message);
	papplJobSetReasons(job, PAPPL_JREASON_DOCUMENT_FORMAT_ERROR,
	    PAPPL_JREASON_NONE);
	png_image_free(&img);
	free(grey);
	return false;
}

/* True if a row of RGB24 pixels is all white (most of a roll is). */
static int
pappjob_white(const unsigned char *row, int width)
{
	uint32_t	c;
	int		x;

	for (x = 0; x < width; x++) {
		memcpy(&c, row + (size_t)x * 4, 4);
		if ((c & 0xffffff) != 0xffffff)
			return 0;
	}
	return 1;
}

/*
 * The page (at scale, x0 dots cut off on the left) drawn into a white
 * RGB24 surface of width x rows whose first row is the page's row top.
 */
static cairo_surface_t *
pappjob_pdf_draw(PopplerPage *page, double scale, double x0, int top,
    int width, int rows)
{
	cairo_surface_t	*s;
	cairo_t		*cr;

	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, rows);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return NULL;
	}
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_translate(cr, -x0, -top);
	cairo_scale(cr, scale, scale);
	poppler_page_render_for_printing(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	return s;
}

/*
 * The rows [*top, *bottom) of a page that can hold ink, from a drawing at
 * an eighth of the size: any mark leaves some grey there, and most of a
 * page on a 2 m roll is blank paper not worth drawing at full size.
 */
static int
pappjob_pdf_extent(PopplerPage *page, double scale, double x0, int width,
    int rows, int *top, int *bottom)
{
	cairo_surface_t	*s;
	unsigned char	*px;
	int		 y, sw = (width + 7) / 8, sh = (rows + 7) / 8, stride;
	int		 first = -1, last = -1;

	s = pappjob_pdf_draw(page, scale / 8, x0 / 8, 0, sw, sh);
	if (s == NULL)
		return POS_FAIL;
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (y = 0; y < sh; y++) {
		if (pappjob_white(px + (size_t)y * (size_t)stride, sw))
			continue;
		if (first < 0)
			first = y;
		last = y;
	}
	cairo_surface_destroy(s);
	*top = *bottom = 0;
	if (first >= 0) {
		*top = first * 8 - 8 < 0 ? 0 : first * 8 - 8;
		*bottom = last * 8 + 16 > rows ? rows : last * 8 + 16;
	}
	return POS_OK;
}

/*
 * One PDF page drawn at 203 dpi on white, its centre on the roll's centre
 * (the POS's PDF centres its 576 or 384 dots on the roll the same way, so
 * its dots come back where the POS's raster has them).
 */
static int
pappjob_pdf_page(struct pappjob *pj, PopplerPage *page)
{
	cairo_surface_t	*s;
	unsigned char	*px, *ink;
	double		 w, h, x0, scale = PAPP_DPI / 72.0;
	int		 width, rows, stride, top, bottom, x, y;
	uint32_t	 c;

	poppler_page_get_size(page, &w, &h);
	if (w * scale > pj->model->roll_mm * PAPP_DPI / 25.4 + 1)
		scale = pj->model->dots / w;	/* wider than the roll */
	width = pj->model->dots;
	x0 = (w * scale - width) / 2;
	rows = (int)ceil(h * scale);
	if (rows <= 0 || rows > PAPP_MAX_ROWS ||
	    pappjob_pdf_extent(page, scale, x0, width, rows, &top, &bottom) !=
	    POS_OK)
		return POS_FAIL;
	pappjob_page_start(pj, width);
	if (bottom <= top)
		return POS_OK;			/* a blank page */
	if ((s = pappjob_pdf_draw(page, scale, x0, top, width, bottom - top)) ==
	    NULL)
		return POS_FAIL;
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	ink = xmalloc((size_t)width);
	for (y = 0; y < bottom - top; y++) {
		if (pappjob_white(px + (size_t)y * (size_t)stride, width)) {
			memset(ink, 0, (size_t)width);
			pappjob_page_row(pj, ink);
			continue;
		}
		for (x = 0; x < width; x++) {
			memcpy(&c, px + (size_t)y * (size_t)stride +
			    (size_t)x * 4, 4);
			/* Rec. 601 luma of the pixel; ink is its inverse. */
			ink[x] = (unsigned char)(255 - (((c >> 16 & 0xff) *
			    299 + (c >> 8 & 0xff) * 587 + (c & 0xff) * 114 +
			    500) / 1000));
		}
		pappjob_page_row(pj, ink);
	}
	pappjob_page_end(pj);
	free(ink);
	cairo_surface_destroy(s);
	return POS_OK;
}

bool
pappjob_filter_pdf(pappl_job_t *job, pappl_device_t *dev, void *data)
{
	pappl_pr_options_t	*o;
	struct pappjob		*pj;
	PopplerDocument		*doc;
	PopplerPage		*page;
	GError			*err = NULL;
	char			*uri;
	int			 i, n;
	bool			 ok = true;

	(void)data;
	uri = g_filename_to_uri(papplJobGetFilename(job), NULL, NULL);
	doc = uri != NULL ? poppler_document_new_from_file(uri, NULL, &err) :
	    NULL;
	g_free(uri);
	if (doc == NULL) {
		papplLogJob(job, PAPPL_LOGLEVEL_ERROR, "Bad PDF: %s",
		    err != NULL ? err->message : "unreadable file");
		g_clear_error(&err);
		papplJobSetReasons(job, PAPPL_JREASON_DOCUMENT_FORMAT_ERROR,
		    PAPPL_JREASON_NONE);
		return false;
	}
	n = poppler_document_get_n_pages(doc);
	papplJobSetImpressions(job, n);
	o = papplJobCreatePrintOptions(job, (unsigned)n, false);
	pj = pappjob_job_new(job, o);
	for (i = 0; i < n && ok && !papplJobIsCanceled(job); i++) {
		page = poppler_document_get_page(doc, i);
		if (page == NULL || pappjob_pdf_page(pj, page) != POS_OK) {
			papplLogJob(job, PAPPL_LOGLEVEL_ERROR,
			    "PDF page %d cannot be drawn.", i + 1);
			papplJobSetReasons(job,
			    PAPPL_JREASON_DOCUMENT_UNPRINTABLE_ERROR,
			    PAPPL_JREASON_NONE);
			ok = false;
		}
		if (page != NULL)
			g_object_unref(page);
		papplJobSetImpressionsCompleted(job, 1);
	}
	g_object_unref(doc);
	if (ok && !papplJobIsCanceled(job))
		ok = pappjob_job_finish(job, o, dev, pj);
	else
		pappjob_job_free(job, pj);
	papplJobDeletePrintOptions(o);
	return ok;
}
