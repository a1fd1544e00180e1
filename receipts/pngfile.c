/* PNG of a bitmap (8-bit grey, white paper, black ink) via libpng. */
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "receipts_int.h"
#include "xalloc.h"

int
pngfile_encode(const struct render_bitmap *bm, struct buf *b, char **cause)
{
	png_image		 img;
	png_alloc_size_t	 size = 0;
	unsigned char		*grey;
	size_t			 off, x, y, w = (size_t)bm->width;
	size_t			 h = (size_t)(bm->height > 0 ? bm->height : 1);
	int			 rc = POS_FAIL;

	grey = xmalloc(w * h);
	memset(grey, 0xff, w * h);
	for (y = 0; y < (size_t)bm->height; y++) {
		for (x = 0; x < w; x++) {
			if (render_bitmap_get(bm, (int)x, (int)y))
				grey[y * w + x] = 0;
		}
	}
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)w;
	img.height = (png_uint_32)h;
	img.format = PNG_FORMAT_GRAY;
	if (!png_image_write_to_memory(&img, NULL, &size, 0, grey, 0, NULL))
		goto out;
	off = b->len;
	buf_addn(b, 0, (size_t)size);
	if (!png_image_write_to_memory(&img, b->data + off, &size, 0, grey, 0,
	    NULL)) {
		b->len = off;
		goto out;
	}
	b->len = off + (size_t)size;
	rc = POS_OK;
out:
	if (rc != POS_OK && cause != NULL)
		*cause = xasprintf("png: %s", img.message);
	png_image_free(&img);
	free(grey);
	return rc;
}
