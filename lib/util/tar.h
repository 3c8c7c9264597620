/* Reading members of a tar file (the CUCM BAT export tar) through libarchive. */
#ifndef J2W_TAR_H
#define J2W_TAR_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "util/j2w_err.h"

#define TAR_MEMBERS_MAX 4096			/* entries of any type */
#define TAR_NAME_MAX 4096			/* bytes in a member's name */
#define TAR_MEMBER_SIZE_MAX ((off_t)4 << 30)	/* 4 GiB: one member */
#define TAR_TOTAL_SIZE_MAX ((off_t)16 << 30)	/* 16 GiB: all members, uncompressed */

struct tar_member {
	char *name;	/* path inside the archive, "./" stripped */
	off_t size;
	size_t entry;	/* its place among all the archive's entries, from 0 */
};

struct tar_index {
	struct tar_member *members;
	size_t n;
};

/*
 * Whether the first n bytes of a file start a tar archive: a ustar, GNU or v7
 * header with a valid checksum (n >= 512), or a gzip or xz stream, which
 * tar_index_load decompresses. Pure: used to tell a tar from a CSV before
 * anything else is read.
 */
int tar_looks_like_archive(const unsigned char *head, size_t n);

/*
 * Lists the regular files of the tar at fd into idx; caller tar_index_release()s.
 * fd must be a regular file (stdin spooled first); it is read with pread from
 * offset 0, so its file offset does not matter and is not moved. Reads ustar, GNU
 * and pax headers, plain or gzip- or xz-compressed. Nothing is written to disk.
 * Directories are skipped; a malformed pax record is ignored (libarchive's
 * choice: the ustar name stands, and is checked like any other).
 * Returns 0, or -1 with err and idx empty: J2W_EDATA for a truncated or corrupt
 * archive, a symbolic or hard link, a special file, a name that is absolute or
 * holds a ".." component, a name over TAR_NAME_MAX bytes, more than
 * TAR_MEMBERS_MAX entries, a member over TAR_MEMBER_SIZE_MAX or members over
 * TAR_TOTAL_SIZE_MAX in all; J2W_ESYS when fd cannot be read.
 */
int tar_index_load(struct tar_index *idx, int fd, const char *path, struct j2w_err *err);
void tar_index_release(struct tar_index *idx);

/* The member whose base name equals base, compared case-insensitively, or NULL. */
const struct tar_member *tar_index_find(const struct tar_index *idx, const char *base);

/*
 * Opens member m (from tar_index_load on the same fd) as a read-only stream of
 * its m->size bytes, decompressed, at its first byte. The stream holds its own
 * duplicate of fd, so the caller may close fd; the caller fclose()s the stream.
 * fseeko may go forward, or back to 0 (the archive is read again from its
 * start); other seeks fail with ESPIPE. A read that finds the archive changed
 * or cut short fails with EIO (ferror). Returns NULL with err (J2W_EDATA when
 * the archive no longer holds m, J2W_ESYS otherwise).
 */
FILE *tar_member_open(int fd, const struct tar_member *m, const char *path,
    struct j2w_err *err);

#endif
