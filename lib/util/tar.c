/* Tar members through libarchive (plain, gzip or xz): listed, then streamed, never extracted. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/tar.h"

#define TAR_BLOCK 512
#define TAR_READ_CHUNK (64 << 10)

/* The errno libarchive gives "Unrecognized archive format" (its archive_platform.h). */
#ifdef EFTYPE
#define TAR_ERRNO_FORMAT EFTYPE
#else
#define TAR_ERRNO_FORMAT EILSEQ
#endif

/* Parses a header's octal field (blanks or NULs around the digits); -1 if it is not one. */
static int
tar_octal(const unsigned char *p, size_t n, long *out)
{
	long v = 0;
	size_t i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\0'))
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (p[i] - '0');	/* at most 8 digits: no overflow */
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return -1;
	*out = v;
	return 0;
}

/* Whether head starts a gzip or an xz stream. */
static int
tar_compressed(const unsigned char *head, size_t n)
{
	static const unsigned char xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

	return (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) ||
	    (n >= sizeof(xz) && memcmp(head, xz, sizeof(xz)) == 0);
}

int
tar_looks_like_archive(const unsigned char *head, size_t n)
{
	long stored, sum = 0;

	if (tar_compressed(head, n))
		return 1;
	/* the checksum: the header's bytes summed with its own field as blanks */
	if (n < TAR_BLOCK || head[0] == '\0' || tar_octal(head + 148, 8, &stored) < 0)
		return 0;
	for (int i = 0; i < TAR_BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : head[i];
	return sum == stored;
}

/* The archive's bytes, read with pread so that several readers can share one fd. */
struct tar_source {
	int fd;
	off_t pos, file_size;
	int read_errno;		/* set when fd could not be read */
	int compressed;		/* the file starts a gzip or xz stream */
	unsigned char buf[TAR_READ_CHUNK];
};

static la_ssize_t
tar_source_read(struct archive *a, void *arg, const void **out)
{
	struct tar_source *s = arg;
	ssize_t got;

	do
		got = pread(s->fd, s->buf, sizeof(s->buf), s->pos);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		s->read_errno = errno;
		archive_set_error(a, errno, "%s", strerror(errno));
		return -1;
	}
	s->pos += got;
	*out = s->buf;
	return got;
}

/*
 * Skips unread member data of an uncompressed archive by moving the offset;
 * never past the end of the file, so that libarchive reads the rest and finds
 * a member cut short.
 */
static la_int64_t
tar_source_skip(struct archive *a, void *arg, la_int64_t request)
{
	struct tar_source *s = arg;
	off_t left = s->file_size > s->pos ? s->file_size - s->pos : 0;

	if (request > left)
		request = left;
	s->pos += request;
	return request;
}

/* The error of a failed libarchive call on a, as a j2w status and message. */
static int
tar_fail(struct archive *a, const struct tar_source *s, const char *path, struct j2w_err *err)
{
	const char *why = archive_error_string(a);

	if (s->read_errno != 0)
		return err_set(err, J2W_ESYS, "cannot read '%s': %s", path, strerror(s->read_errno));
	if (archive_errno(a) == ENOMEM)
		return err_set(err, J2W_ESYS, "out of memory");
	/* no reader recognised the (decompressed) bytes */
	if (archive_format(a) == 0 && archive_errno(a) == TAR_ERRNO_FORMAT)
		return err_set(err, J2W_EDATA, s->compressed ?
		    "%s: compressed, but holds no readable tar archive" : "%s: not a tar archive", path);
	return err_set(err, J2W_EDATA, "%s: corrupt or truncated tar archive: %s", path,
	    why ? why : "no reason given");
}

/* A reader for the tar formats, plain or gzip or xz, on s; NULL with err. */
static struct archive *
tar_open(struct tar_source *s, int fd, const char *path, struct j2w_err *err)
{
	unsigned char head[8];
	struct archive *a;
	struct stat st;
	ssize_t n;

	memset(s, 0, offsetof(struct tar_source, buf));
	s->fd = fd;
	if (fstat(fd, &st) < 0) {
		err_set_errno(err, J2W_ESYS, "cannot stat '%s'", path);
		return NULL;
	}
	s->file_size = st.st_size;
	n = pread(fd, head, sizeof(head), 0);
	s->compressed = n > 0 && tar_compressed(head, (size_t)n);
	a = archive_read_new();
	if (a == NULL) {
		err_set(err, J2W_ESYS, "out of memory");
		return NULL;
	}
	/*
	 * ARCHIVE_WARN from a filter means that libarchive would run an outside
	 * program: refused, the library must be built with zlib and liblzma.
	 */
	if (archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_format_empty(a) != ARCHIVE_OK ||
	    archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_filter_xz(a) != ARCHIVE_OK) {
		err_set(err, J2W_ESYS, "libarchive cannot read tar, gzip and xz by itself: %s",
		    archive_error_string(a) ? archive_error_string(a) : "no reason given");
		archive_read_free(a);
		return NULL;
	}
	/* this already reads the start of the file, to choose the filters and the format */
	if (archive_read_open2(a, s, NULL, tar_source_read, tar_source_skip, NULL) != ARCHIVE_OK) {
		tar_fail(a, s, path, err);
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* The entry's name, from the pax or GNU long name when there is one; NULL if none. */
static const char *
tar_entry_name(struct archive_entry *e)
{
	const char *name = archive_entry_pathname_utf8(e);

	return name != NULL ? name : archive_entry_pathname(e);
}

/* Whether name escapes the directory the archive would be read into. */
static int
tar_name_escapes(const char *name)
{
	const char *p = name;

	if (*name == '/')
		return 1;
	while (*p != '\0') {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		p += len;
		while (*p == '/')
			p++;
	}
	return 0;
}

static const char *
tar_strip_dot(const char *name)
{
	while (strncmp(name, "./", 2) == 0)
		name += 2;
	return name;
}

/*
 * Checks entry number i, named name; returns 1 for a regular file to list, 0
 * for a directory to skip, -1 with err for anything refused.
 */
static int
tar_check_entry(struct archive_entry *e, const char *name, size_t i, off_t *total,
    const char *path, struct j2w_err *err)
{
	off_t size = archive_entry_size(e);

	if (i >= TAR_MEMBERS_MAX)
		return err_set(err, J2W_EDATA, "%s: more than %d entries in the archive", path,
		    TAR_MEMBERS_MAX);
	if (name == NULL || *name == '\0')
		return err_set(err, J2W_EDATA, "%s: entry %zu has no name", path, i + 1);
	if (strlen(name) > TAR_NAME_MAX)
		return err_set(err, J2W_EDATA, "%s: entry %zu: name over %d bytes", path, i + 1,
		    TAR_NAME_MAX);
	if (tar_name_escapes(name))
		return err_set(err, J2W_EDATA, "%s: '%s': absolute name or '..' in the name: refused",
		    path, name);
	if (archive_entry_hardlink(e) != NULL || archive_entry_filetype(e) == AE_IFLNK)
		return err_set(err, J2W_EDATA, "%s: '%s' is a link: refused", path, name);
	if (archive_entry_filetype(e) == AE_IFDIR)
		return 0;
	if (archive_entry_filetype(e) != AE_IFREG)
		return err_set(err, J2W_EDATA, "%s: '%s' is not a regular file: refused", path, name);
	if (size < 0 || size > TAR_MEMBER_SIZE_MAX)
		return err_set(err, J2W_EDATA, "%s: '%s' is over %lld bytes", path, name,
		    (long long)TAR_MEMBER_SIZE_MAX);
	*total += size;
	if (*total > TAR_TOTAL_SIZE_MAX)
		return err_set(err, J2W_EDATA, "%s: members over %lld bytes in all", path,
		    (long long)TAR_TOTAL_SIZE_MAX);
	return 1;
}

static int
tar_add(struct tar_index *idx, const char *name, off_t size, size_t entry,
    struct j2w_err *err)
{
	struct tar_member *m = realloc(idx->members, (idx->n + 1) * sizeof(*m));

	if (m == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	idx->members = m;
	m[idx->n].name = strdup(tar_strip_dot(name));
	if (m[idx->n].name == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	m[idx->n].size = size;
	m[idx->n].entry = entry;
	idx->n++;
	return 0;
}

int
tar_index_load(struct tar_index *idx, int fd, const char *path, struct j2w_err *err)
{
	struct tar_source *s = malloc(sizeof(*s));
	struct archive_entry *e;
	struct archive *a;
	off_t total = 0;
	int rc = -1;

	idx->members = NULL;
	idx->n = 0;
	if (s == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	a = tar_open(s, fd, path, err);
	if (a == NULL)
		goto out;
	/* every entry's data is read through (or skipped) to the end: a cut is found here */
	for (size_t i = 0;; i++) {
		int r = archive_read_next_header(a, &e), ok;

		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			tar_fail(a, s, path, err);
			goto out;
		}
		ok = tar_check_entry(e, tar_entry_name(e), i, &total, path, err);
		if (ok < 0 || (ok == 1 && tar_add(idx, tar_entry_name(e), archive_entry_size(e), i,
		    err) < 0))
			goto out;
	}
	rc = 0;
out:
	if (a != NULL)
		archive_read_free(a);
	free(s);
	if (rc < 0)
		tar_index_release(idx);
	return rc;
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

/* A member being read: the cookie of the stream tar_member_open returns. */
struct tar_stream {
	struct archive *a;
	struct tar_source src;		/* src.fd is the stream's own duplicate */
	char *name;
	size_t entry;
	off_t size, pos;
};

/* Opens s->a and moves it to the start of s's member's data; -1 with err. */
static int
tar_stream_start(struct tar_stream *s, const char *path, struct j2w_err *err)
{
	struct archive_entry *e = NULL;
	const char *name = NULL;
	int fd = s->src.fd;

	if (s->a != NULL)
		archive_read_free(s->a);
	s->pos = 0;
	s->a = tar_open(&s->src, fd, path, err);
	if (s->a == NULL)
		return -1;
	for (size_t i = 0; i <= s->entry; i++) {
		int r = archive_read_next_header(s->a, &e);

		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return tar_fail(s->a, &s->src, path, err);
		name = i == s->entry ? tar_entry_name(e) : NULL;
	}
	if (name == NULL || strcmp(tar_strip_dot(name), s->name) != 0 ||
	    archive_entry_filetype(e) != AE_IFREG || archive_entry_size(e) != s->size)
		return err_set(err, J2W_EDATA, "%s: '%s' is no longer where it was: the file changed",
		    path, s->name);
	return 0;
}

static ssize_t
tar_stream_read(void *cookie, char *buf, size_t n)
{
	struct tar_stream *s = cookie;
	la_ssize_t got;

	if ((off_t)n > s->size - s->pos)
		n = (size_t)(s->size - s->pos);
	if (n == 0)
		return 0;
	got = archive_read_data(s->a, buf, n);
	if (got <= 0) {
		/* checked when indexed: the archive changed, or cannot be read now */
		errno = s->src.read_errno ? s->src.read_errno : EIO;
		return -1;
	}
	s->pos += got;
	return got;
}

static int
tar_stream_seek(void *cookie, off64_t *offset, int whence)
{
	struct tar_stream *s = cookie;
	off64_t to = *offset;
	char skip[4096];

	if (whence == SEEK_CUR)
		to += s->pos;
	else if (whence == SEEK_END)
		to += s->size;
	if (to < 0 || to > s->size) {
		errno = EINVAL;
		return -1;
	}
	if (to < s->pos) {
		if (to != 0) {
			errno = ESPIPE;
			return -1;
		}
		if (tar_stream_start(s, "archive", NULL) < 0) {
			errno = EIO;
			return -1;
		}
	}
	while (s->pos < to) {
		size_t want = to - s->pos < (off64_t)sizeof(skip) ? (size_t)(to - s->pos) : sizeof(skip);

		if (tar_stream_read(s, skip, want) < 0)
			return -1;
	}
	*offset = s->pos;
	return 0;
}

static int
tar_stream_close(void *cookie)
{
	struct tar_stream *s = cookie;

	if (s->a != NULL)
		archive_read_free(s->a);
	close(s->src.fd);
	free(s->name);
	free(s);
	return 0;
}

FILE *
tar_member_open(int fd, const struct tar_member *m, const char *path, struct j2w_err *err)
{
	static const cookie_io_functions_t io = {
		.read = tar_stream_read, .seek = tar_stream_seek, .close = tar_stream_close,
	};
	struct tar_stream *s = calloc(1, sizeof(*s));
	FILE *fp;

	if (s == NULL || (s->name = strdup(m->name)) == NULL) {
		free(s);
		err_set(err, J2W_ESYS, "out of memory");
		return NULL;
	}
	s->entry = m->entry;
	s->size = m->size;
	s->src.fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (s->src.fd < 0) {
		err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
		free(s->name);
		free(s);
		return NULL;
	}
	if (tar_stream_start(s, path, err) < 0) {
		tar_stream_close(s);
		return NULL;
	}
	fp = fopencookie(s, "r", io);
	if (fp == NULL) {
		err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
		tar_stream_close(s);
	}
	return fp;
}
