/* Reading the member list of a ustar/GNU/pax tar file (the CUCM BAT export tar). */
#ifndef J2W_TAR_H
#define J2W_TAR_H

#include <stddef.h>
#include <sys/types.h>

#include "util/j2w_err.h"

#define TAR_MEMBERS_MAX 4096

struct tar_member {
	char *name;	/* path inside the archive, "./" stripped */
	off_t offset;	/* where the data starts in the file */
	off_t size;
};

struct tar_index {
	struct tar_member *members;
	size_t n;
};

/*
 * Checks whether the 512-byte block looks like a tar header (valid checksum).
 * Pure: used to tell a tar from a CSV before anything else is read.
 */
int tar_block_is_header(const unsigned char *block);

/*
 * Parses one 512-byte header block. Returns 1 with *name (caller frees), *size and
 * *type filled, 0 for an end-of-archive (all-zero) block, -1 with err for a
 * corrupt header.
 */
int tar_parse_header(const unsigned char *block, char **name, off_t *size, char *type,
    struct j2w_err *err);

/*
 * Lists the regular files of the tar at fd (which must be seekable; read from
 * its start, wherever fd was left) into idx; caller tar_index_release()s.
 * Long names come from GNU 'L' or pax 'x' (path=) headers. Returns 0, or -1
 * with err (J2W_EDATA for a corrupt or truncated archive, a GNU long name over
 * 4096 bytes or a pax header over 64 KiB; J2W_ESYS for read errors).
 */
int tar_index_load(struct tar_index *idx, int fd, const char *path, struct j2w_err *err);
void tar_index_release(struct tar_index *idx);

/* The member whose base name equals base, compared case-insensitively, or NULL. */
const struct tar_member *tar_index_find(const struct tar_index *idx, const char *base);

#endif
