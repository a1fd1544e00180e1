/*
 * receipt-print submit DEST FORMAT FILE   prints the CUPS job id
 * receipt-print state JOBID               prints the job state name
 *
 * Test driver for print.h. DEST "-" is the default destination; FORMAT is
 * a render format name (text, escpos, escpos-raster, pdf).
 */
#include <cups/cups.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "render.h"
#include "xalloc.h"

static int
submit(const char *dest, const char *format, const char *path)
{
	enum render_format	 f;
	FILE			*fp;
	char			*data, *cause = NULL;
	size_t			 len, cap = 1 << 20;
	int			 job;

	if (render_format_parse(format, &f) != 0 || f == RENDER_PNG) {
		fprintf(stderr, "receipt-print: bad format %s\n", format);
		return 2;
	}
	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		return 1;
	}
	data = xmalloc(cap);
	len = fread(data, 1, cap, fp);
	fclose(fp);
	job = print_submit(strcmp(dest, "-") == 0 ? NULL : dest,
	    render_format_mime(f), "receipt", data, len, NULL, &cause);
	free(data);
	if (job == 0) {
		fprintf(stderr, "receipt-print: %s\n", cause);
		free(cause);
		return 1;
	}
	printf("%d\n", job);
	return 0;
}

int
main(int argc, char **argv)
{
	struct print_job j;
	char	*cause = NULL, *end;
	long	 id;
	int	 r;

	if (argc == 5 && strcmp(argv[1], "submit") == 0)
		return submit(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "state") == 0) {
		id = strtol(argv[2], &end, 10);
		if (*end != '\0' || id <= 0 || id > 0x7fffffff)
			goto usage;
		r = print_job_info((int)id, &j, &cause);
		if (r < 0) {
			fprintf(stderr, "receipt-print: %s\n", cause);
			free(cause);
			return 1;
		}
		if (r == 0) {
			fprintf(stderr, "receipt-print: %s\n", j.message);
			return 1;
		}
		printf("%s\n", print_state_name(j.state));
		return 0;
	}
usage:
	fprintf(stderr, "usage: receipt-print submit DEST FORMAT FILE\n"
	    "       receipt-print state JOBID\n");
	return 2;
}
