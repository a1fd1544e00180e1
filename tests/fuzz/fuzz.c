/* Helpers shared by the fuzz targets (see fuzz.h). */
#include "fuzz.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[256];

static void
fuzz_cleanup(void)
{
	char path[512];
	struct dirent *d;
	DIR *dir;

	if (fuzz_dir[0] == '\0' || (dir = opendir(fuzz_dir)) == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", fuzz_dir, d->d_name);
		unlink(path);
	}
	closedir(dir);
	rmdir(fuzz_dir);
}

const char *
fuzz_tmpdir(void)
{
	const char *base;

	if (fuzz_dir[0] != '\0')
		return fuzz_dir;
	base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(fuzz_dir, sizeof fuzz_dir, "%s/pos-fuzz.XXXXXX", base);
	if (mkdtemp(fuzz_dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	atexit(fuzz_cleanup);
	return fuzz_dir;
}

char *
fuzz_path(const char *name)
{
	size_t n = strlen(fuzz_tmpdir()) + strlen(name) + 2;
	char *p = malloc(n);

	if (p == NULL)
		abort();
	snprintf(p, n, "%s/%s", fuzz_tmpdir(), name);
	return p;
}

void
fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || (size > 0 && fwrite(data, 1, size, f) != size) ||
	    fclose(f) != 0) {
		perror(path);
		abort();
	}
}

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz property broken: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
