/* Fuzz target for tar: tar_looks_like_archive, tar_index_load over a memfd, every member read. */
#include <stdint.h>
#include <stdio.h>
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

	(void)tar_looks_like_archive(data, size);
	if (fd < 0 && (fd = memfd_create("fuzz-tar", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if (tar_index_load(&idx, fd, "fuzz.tar", &err) == 0) {
		for (size_t i = 0; i < idx.n; i++) {
			const struct tar_member *m = &idx.members[i];
			const char *slash = strrchr(m->name, '/');
			char buf[4096];
			off_t total = 0;
			size_t got;
			FILE *fp;

			if (m->size < 0 || m->size > TAR_MEMBER_SIZE_MAX || m->name[0] == '/' ||
			    tar_index_find(&idx, slash ? slash + 1 : m->name) == NULL)
				abort();
			/* every member listed can be read, and holds exactly its size */
			fp = tar_member_open(fd, m, "fuzz.tar", &err);
			if (fp == NULL)
				abort();
			while ((got = fread(buf, 1, sizeof(buf), fp)) > 0)
				total += (off_t)got;
			if (ferror(fp) || total != m->size)
				abort();
			fclose(fp);
		}
		tar_index_release(&idx);
	} else if ((err.status != J2W_EDATA && err.status != J2W_ESYS) || idx.n != 0 ||
	    idx.members != NULL) {
		abort();
	}
	return 0;
}
