/*
 * The renderer entry points: option checks, the format table, one lock
 * around everything that touches the shared Pango context.
 */
#include "render.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "receipts_int.h"
#include "xalloc.h"

static pthread_mutex_t	render_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct render_format_entry {
	enum render_format	 format;
	const char		*name;
	const char		*mime;
} render_formats[] = {
	{ RENDER_TEXT, "text", "text/plain" },
	{ RENDER_ESCPOS, "escpos", "application/vnd.cups-raw" },
	{ RENDER_ESCPOS_RASTER, "escpos-raster", "application/vnd.cups-raw" },
	{ RENDER_PDF, "pdf", "application/pdf" },
	{ RENDER_PNG, "png", "image/png" },
};
#define RENDER_NFORMATS	(sizeof render_formats / sizeof render_formats[0])

int
render_format_parse(const char *name, enum render_format *f)
{
	size_t	i;

	for (i = 0; i < RENDER_NFORMATS; i++) {
		if (strcmp(name, render_formats[i].name) == 0) {
			*f = render_formats[i].format;
			return POS_OK;
		}
	}
	return POS_FAIL;
}

const char *
render_format_mime(enum render_format f)
{
	size_t	i;

	for (i = 0; i < RENDER_NFORMATS; i++) {
		if (render_formats[i].format == f)
			return render_formats[i].mime;
	}
	return "application/octet-stream";
}

/* Checked options with defaults filled in, or POS_FAIL and *cause. */
static int
render_check(const struct render_opts *in, struct render_opts *o,
    char **cause)
{
	*o = *in;
	if (o->dots < 64 || o->dots > 2048 || o->dots % 8 != 0) {
		if (cause != NULL)
			*cause = xasprintf("width of %d dots (a multiple of 8, "
			    "64..2048)", o->dots);
		return POS_FAIL;
	}
	if (o->columns == 0)
		o->columns = o->dots / 12;
	if (o->columns < 8 || o->columns > 512) {
		if (cause != NULL)
			*cause = xasprintf("width of %d columns (8..512)",
			    o->columns);
		return POS_FAIL;
	}
	if (o->font_px != 0 && (o->font_px < 8 || o->font_px > 96)) {
		if (cause != NULL)
			*cause = xasprintf("font size of %d dots (8..96)",
			    o->font_px);
		return POS_FAIL;
	}
	return POS_OK;
}

int
render_doc(const struct doc *d, enum render_format f,
    const struct render_opts *in, unsigned char **out, size_t *outlen,
    char **cause)
{
	struct render_opts	 o;
	struct render_bitmap	*bm;
	struct buf		 b = { NULL, 0, 0 };
	int			 rc = POS_FAIL;

	*out = NULL;
	*outlen = 0;
	if (render_check(in, &o, cause) != POS_OK)
		return POS_FAIL;
	pthread_mutex_lock(&render_lock);
	switch (f) {
	case RENDER_TEXT:
		plain_render(d, &o, &b);
		rc = POS_OK;
		break;
	case RENDER_ESCPOS:
		rc = escpos_render(d, &o, &b, cause);
		break;
	case RENDER_ESCPOS_RASTER:
		rc = raster_render(d, &o, &b, cause);
		break;
	case RENDER_PDF:
		rc = pdf_render(d, &o, &b, cause);
		break;
	case RENDER_PNG:
		rc = raster_bitmap(d, 0, doc_count(d), &o, PAINT_CUT_LINES,
		    &bm, cause);
		if (rc == POS_OK) {
			rc = pngfile_encode(bm, &b, cause);
			render_bitmap_free(bm);
		}
		break;
	default:
		if (cause != NULL)
			*cause = xasprintf("unknown render format %d", (int)f);
		break;
	}
	pthread_mutex_unlock(&render_lock);
	if (rc != POS_OK) {
		free(b.data);
		return POS_FAIL;
	}
	if (b.data == NULL)
		b.data = xmalloc(1);
	*out = b.data;
	*outlen = b.len;
	return POS_OK;
}

int
render_bitmap(const struct doc *d, const struct render_opts *in,
    struct render_bitmap **out, char **cause)
{
	struct render_opts	o;
	int			rc;

	*out = NULL;
	if (render_check(in, &o, cause) != POS_OK)
		return POS_FAIL;
	pthread_mutex_lock(&render_lock);
	rc = raster_bitmap(d, 0, doc_count(d), &o, PAINT_CUT_LINES, out, cause);
	pthread_mutex_unlock(&render_lock);
	return rc == POS_OK ? POS_OK : POS_FAIL;
}

int
render_boxes(const struct doc *d, const struct render_opts *in,
    struct render_box **out, size_t *n, int *height, char **cause)
{
	struct render_opts	 o;
	struct paint		*p;

	*out = NULL;
	*n = 0;
	*height = 0;
	if (render_check(in, &o, cause) != POS_OK)
		return POS_FAIL;
	pthread_mutex_lock(&render_lock);
	p = paint_prepare(d, 0, doc_count(d), &o, PAINT_CUT_LINES, cause);
	if (p != NULL) {
		*n = paint_boxes(p, 0, out);
		*height = paint_height(p);
		paint_free(p);
	}
	pthread_mutex_unlock(&render_lock);
	return p != NULL ? POS_OK : POS_FAIL;
}

void
render_cleanup(void)
{
	pthread_mutex_lock(&render_lock);
	paint_cleanup();
	pthread_mutex_unlock(&render_lock);
}
