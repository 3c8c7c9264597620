/* Fuzz target for tar: tar_parse_header on the first block, tar_index_load over a memfd. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct tar_index idx;
	struct j2w_err err;

	if (size >= 512) {
		char *name;
		off_t msize;
		char type;
		int rc = tar_parse_header(data, &name, &msize, &type, &err);

		if (rc == 1 && (name == NULL || msize < 0 || !tar_block_is_header(data)))
			abort();
		if (rc != 1 && name != NULL)
			abort();
		free(name);
	}
	if (fd < 0 && (fd = memfd_create("fuzz-tar", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if (tar_index_load(&idx, fd, "fuzz.tar", &err) == 0) {
		for (size_t i = 0; i < idx.n; i++) {
			const struct tar_member *m = &idx.members[i];
			const char *slash = strrchr(m->name, '/');

			/* every member the index lists lies wholly inside the file */
			if (m->offset < 512 || m->offset % 512 != 0 || m->size < 0 ||
			    m->offset + m->size > (off_t)size)
				abort();
			if (tar_index_find(&idx, slash ? slash + 1 : m->name) == NULL)
				abort();
		}
		tar_index_release(&idx);
	} else if (err.status != J2W_EDATA || idx.n != 0 || idx.members != NULL) {
		abort();
	}
	return 0;
}
