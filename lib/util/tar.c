/* A minimal tar reader: ustar, GNU and pax headers, base-256 sizes; no extraction. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/tar.h"

#define TAR_BLOCK 512
#define TAR_LONG_NAME_MAX 4096
#define TAR_PAX_MAX (64 << 10)

static int
tar_octal(const unsigned char *p, size_t n, off_t *out)
{
	off_t v = 0;
	size_t i = 0;

	if (p[0] & 0x80) {
		/* GNU base-256 for sizes over 8 GiB: big-endian, first byte's top bit set */
		if (p[0] & 0x40)
			return -1;	/* negative */
		v = p[0] & 0x3f;
		for (i = 1; i < n; i++) {
			if (v > ((off_t)1 << 54))
				return -1;
			v = (v << 8) | p[i];
		}
		*out = v;
		return 0;
	}
	while (i < n && (p[i] == ' ' || p[i] == '\0'))
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v > ((off_t)1 << 58))
			return -1;
		v = v * 8 + (p[i] - '0');
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return -1;
	*out = v;
	return 0;
}

int
tar_block_is_header(const unsigned char *block)
{
	off_t stored;
	long sum = 0;

	if (tar_octal(block + 148, 8, &stored) < 0)
		return 0;
	for (int i = 0; i < TAR_BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : block[i];
	return sum == stored && block[0] != '\0';
}

static int
tar_block_is_zero(const unsigned char *block)
{
	for (int i = 0; i < TAR_BLOCK; i++)
		if (block[i])
			return 0;
	return 1;
}

int
tar_parse_header(const unsigned char *block, char **name, off_t *size, char *type,
    struct j2w_err *err)
{
	char path[256 + 1 + 100 + 1];
	size_t plen = 0;

	*name = NULL;
	if (tar_block_is_zero(block))
		return 0;
	if (!tar_block_is_header(block))
		return err_set(err, J2W_EDATA, "not a tar header (bad checksum)");
	if (tar_octal(block + 124, 12, size) < 0 || *size < 0)
		return err_set(err, J2W_EDATA, "corrupt size in tar header");
	*type = (char)block[156];
	/*
	 * Only POSIX ustar ("ustar\0") has a name prefix at 345: the old GNU format
	 * ("ustar  ") keeps access and change times there.
	 */
	if (memcmp(block + 257, "ustar\0", 6) == 0 && block[345] != '\0') {
		plen = strnlen((const char *)block + 345, 155);
		memcpy(path, block + 345, plen);
		path[plen++] = '/';
	}
	memcpy(path + plen, block, strnlen((const char *)block, 100));
	plen += strnlen((const char *)block, 100);
	path[plen] = '\0';
	*name = strdup(path);
	if (*name == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	return 1;
}

static int
tar_read_full(int fd, void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t got = read(fd, (char *)buf + done, n - done);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -1 : (int)done;
		done += (size_t)got;
	}
	return (int)done;
}

static int
tar_add(struct tar_index *idx, char *name, off_t offset, off_t size, struct j2w_err *err)
{
	struct tar_member *m;
	char *base = name;

	while (strncmp(base, "./", 2) == 0)
		base += 2;
	if (idx->n == TAR_MEMBERS_MAX) {
		free(name);
		return err_set(err, J2W_EDATA, "more than %d files in the archive", TAR_MEMBERS_MAX);
	}
	m = realloc(idx->members, (idx->n + 1) * sizeof(*m));
	if (m == NULL) {
		free(name);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	idx->members = m;
	memmove(name, base, strlen(base) + 1);
	m[idx->n].name = name;
	m[idx->n].offset = offset;
	m[idx->n].size = size;
	idx->n++;
	return 0;
}

/*
 * Reads a pax extended header's records ("LEN key=value\n") and takes path=,
 * which names the next member. Returns 0 (*path set or left alone) or -1.
 */
static int
tar_pax_path(const char *rec, size_t n, char **path)
{
	size_t i = 0;

	while (i < n) {
		size_t len = 0, k = i;
		const char *kv;
		size_t kvlen;

		for (; k < n && rec[k] >= '0' && rec[k] <= '9' && len <= n; k++)
			len = len * 10 + (size_t)(rec[k] - '0');
		if (k == i || k >= n || rec[k] != ' ' || len <= k - i + 1 || len > n - i ||
		    rec[i + len - 1] != '\n')
			return -1;
		kv = rec + k + 1;
		kvlen = i + len - 1 - (k + 1);
		if (kvlen > 5 && memcmp(kv, "path=", 5) == 0) {
			char *p = strndup(kv + 5, kvlen - 5);

			if (p == NULL)
				return -1;
			free(*path);
			*path = p;
		}
		i += len;
	}
	return 0;
}

int
tar_index_load(struct tar_index *idx, int fd, const char *path, struct j2w_err *err)
{
	unsigned char block[TAR_BLOCK];
	char *long_name = NULL;
	struct stat st;
	off_t pos = 0;

	idx->members = NULL;
	idx->n = 0;
	if (fstat(fd, &st) < 0)
		return err_set_errno(err, J2W_ESYS, "cannot stat '%s'", path);
	/* offsets are from the start of the file, wherever a caller left fd */
	if (lseek(fd, 0, SEEK_SET) < 0)
		return err_set_errno(err, J2W_ESYS, "cannot seek in '%s'", path);
	for (;;) {
		char *name;
		off_t size, data, padded;
		char type;
		int rc = tar_read_full(fd, block, TAR_BLOCK);

		if (rc < 0) {
			err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
			goto fail;
		}
		if (rc == 0)
			break;	/* no end-of-archive blocks: tolerated, as GNU tar does */
		if (rc < TAR_BLOCK) {
			err_set(err, J2W_EDATA, "%s: truncated tar archive", path);
			goto fail;
		}
		rc = tar_parse_header(block, &name, &size, &type, err);
		if (rc < 0) {
			err_prefix(err, "%s: at byte %lld", path, (long long)pos);
			goto fail;
		}
		if (rc == 0)
			break;
		data = pos + TAR_BLOCK;
		padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
		if (data + size > st.st_size) {
			free(name);
			err_set(err, J2W_EDATA, "%s: truncated tar archive (member needs %lld bytes)",
			    path, (long long)size);
			goto fail;
		}
		if (type == 'L') {
			/* GNU long name: the data block holds the next member's name */
			size_t n = (size_t)size;

			free(name);
			free(long_name);
			long_name = NULL;
			if (size > TAR_LONG_NAME_MAX) {
				err_set(err, J2W_EDATA, "%s: at byte %lld: long file name over %d bytes",
				    path, (long long)pos, TAR_LONG_NAME_MAX);
				goto fail;
			}
			long_name = calloc(1, n + 1);
			if (long_name == NULL || pread(fd, long_name, n, data) != (ssize_t)n) {
				err_set(err, J2W_EDATA, "%s: unreadable long file name", path);
				goto fail;
			}
		} else if (type == 'x') {
			/* pax extended header: its path= names the next member */
			char *rec;

			free(name);
			if (size > TAR_PAX_MAX) {
				err_set(err, J2W_EDATA, "%s: at byte %lld: pax header over %d bytes",
				    path, (long long)pos, TAR_PAX_MAX);
				goto fail;
			}
			rec = malloc((size_t)size + 1);
			if (rec == NULL || pread(fd, rec, (size_t)size, data) != (ssize_t)size ||
			    tar_pax_path(rec, (size_t)size, &long_name) < 0) {
				free(rec);
				err_set(err, J2W_EDATA, "%s: at byte %lld: corrupt pax header", path,
				    (long long)pos);
				goto fail;
			}
			free(rec);
		} else if (type == 'g') {
			free(name);	/* pax global header: nothing a member list needs */
		} else {
			/* a long name belongs to the header right after it, whatever its type */
			if (long_name != NULL) {
				free(name);
				name = long_name;
				long_name = NULL;
			}
			if (type == '0' || type == '\0' || type == '7') {
				if (tar_add(idx, name, data, size, err) < 0) {
					err_prefix(err, "%s", path);
					goto fail;
				}
			} else {
				free(name);
			}
		}
		pos = data + padded;
		if (lseek(fd, pos, SEEK_SET) < 0) {
			err_set_errno(err, J2W_ESYS, "cannot seek in '%s'", path);
			goto fail;
		}
	}
	free(long_name);
	return 0;
fail:
	free(long_name);
	tar_index_release(idx);
	return -1;
}

void
tar_index_release(struct tar_index *idx)
{
	for (size_t i = 0; i < idx->n; i++)
		free(idx->members[i].name);
	free(idx->members);
	idx->members = NULL;
	idx->n = 0;
}

const struct tar_member *
tar_index_find(const struct tar_index *idx, const char *base)
{
	for (size_t i = 0; i < idx->n; i++) {
		const char *slash = strrchr(idx->members[i].name, '/');
		const char *b = slash ? slash + 1 : idx->members[i].name;

		if (strcasecmp(b, base) == 0)
			return &idx->members[i];
	}
	return NULL;
}
