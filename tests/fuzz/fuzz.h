/*
 * What every libFuzzer target here shares: the entry points libFuzzer
 * calls, a private temporary directory per process, and writing an input
 * to a file for the APIs that read files.
 */
#ifndef POS_FUZZ_H
#define POS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	 LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * A directory for this process (under /dev/shm when there is one, to keep
 * file writes cheap), removed with its files at exit. Aborts on failure.
 */
const char *fuzz_tmpdir(void);

/* dir/name as a new string (caller frees). */
char	*fuzz_path(const char *name);

/* Replace the file at path with exactly size bytes of data. Aborts on failure. */
void	 fuzz_write_file(const char *path, const uint8_t *data, size_t size);

/* Print why and abort: a property the code under test promises was broken. */
void	 fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2),
	    noreturn));

#endif
