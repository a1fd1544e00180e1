/*
 * The print module's table (see printmod.h).
 */
#include "printmod.h"

#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "print.h"
#include "render.h"

static int
printmod_render(const struct doc *d, const char *format, int paper,
    unsigned char **out, size_t *len, char **cause)
{
	struct render_opts opts;
	enum render_format f;

	if (render_format_parse(format, &f) != 0) {
		if (cause != NULL)
			*cause = strdup("unknown receipt format");
		return POS_FAIL;
	}
	memset(&opts, 0, sizeof opts);
	opts.dots = paper == 58 ? RENDER_DOTS_58MM : RENDER_DOTS_80MM;
	if (render_doc(d, f, &opts, out, len, cause) != 0)
		return POS_FAIL;
	return POS_OK;
}

static const char *
printmod_mime(const char *format)
{
	enum render_format f;

	if (render_format_parse(format, &f) != 0)
		return NULL;
	return render_format_mime(f);
}


static const struct printmod printmod_table = {
	.abi = PRINTMOD_ABI,
	.render = printmod_render,
	.mime = printmod_mime,
	.submit = print_submit,
	.job_info = print_job_info,
	.has_dest = print_has_dest,
};

const struct printmod *
printmod_get(void)
{
	return &printmod_table;
}
