/* Unit tests for tar: ustar, GNU and pax names, gzip, member streams, and what is refused. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "unit.h"
#include "util/tar.h"

/* An archive being built in memory. */
struct tarb {
	unsigned char *buf;
	size_t len;
};

static void
tb_add(struct tarb *t, const void *data, size_t n)
{
	t->buf = realloc(t->buf, t->len + n);
	memcpy(t->buf + t->len, data, n);
	t->len += n;
}

static void
tb_pad(struct tarb *t)
{
	static const unsigned char zero[512];

	if (t->len % 512)
		tb_add(t, zero, 512 - t->len % 512);
}

static void
set_checksum(unsigned char *h)
{
	unsigned sum = 0;

	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

/* Fills a 512-byte header; magic is "ustar\0" "00" (POSIX) or "ustar  \0" (GNU). */
static void
make_header(unsigned char *h, const char *name, const char *prefix, long long size, char type,
    int gnu)
{
	char num[32];

	memset(h, 0, 512);
	memcpy(h, name, strnlen(name, 100));
	memcpy(h + 100, "0000644", 7);
	memcpy(h + 108, "0001750", 7);
	memcpy(h + 116, "0001750", 7);
	snprintf(num, sizeof(num), "%011llo", size & 077777777777LL);
	memcpy(h + 124, num, 11);
	memcpy(h + 136, "14712345670", 11);
	h[156] = (unsigned char)type;
	if (gnu) {
		memcpy(h + 257, "ustar  ", 8);
	} else {
		memcpy(h + 257, "ustar", 6);
		memcpy(h + 263, "00", 2);
	}
	if (prefix != NULL)
		memcpy(h + 345, prefix, strnlen(prefix, 155));
	set_checksum(h);
}

/* Appends a member with its data and padding. */
static void
tb_member(struct tarb *t, const char *name, const char *data, char type)
{
	unsigned char h[512];
	size_t n = strlen(data);

	make_header(h, name, NULL, (long long)n, type, 0);
	tb_add(t, h, 512);
	tb_add(t, data, n);
	tb_pad(t);
}

/* Appends a link member (type '1' hard, '2' symbolic) pointing at target. */
static void
tb_link(struct tarb *t, const char *name, const char *target, char type)
{
	unsigned char h[512];

	make_header(h, name, NULL, 0, type, 0);
	memcpy(h + 157, target, strnlen(target, 100));
	set_checksum(h);
	tb_add(t, h, 512);
}

static void
tb_end(struct tarb *t)
{
	static const unsigned char zero[1024];

	tb_add(t, zero, sizeof(zero));
}

/* A memfd holding buf, its offset left at the end; -1 on failure. */
static int
memfd_with(const unsigned char *buf, size_t len)
{
	int fd = memfd_create("t-tar", 0);

	if (fd >= 0 && write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Loads the archive from a memfd; the index is in idx, the status returned. */
static int
load(const struct tarb *t, struct tar_index *idx, struct j2w_err *err)
{
	int fd = memfd_with(t->buf, t->len), rc;

	err_clear(err);
	if (fd < 0)
		return -2;
	/* left at the end on purpose: the loader reads from the beginning */
	rc = tar_index_load(idx, fd, "bat.tar", err);
	close(fd);
	return rc;
}

/* Reads all of fp into buf (NUL-terminated); the byte count, or -1 on a read error. */
static long
slurp(FILE *fp, char *buf, size_t cap)
{
	size_t n = fread(buf, 1, cap - 1, fp);

	buf[n] = '\0';
	return ferror(fp) ? -1 : (long)n;
}

/* Member name's bytes from the archive at fd, into buf; -1 when it cannot be opened. */
static long
member_text(int fd, const struct tar_index *idx, const char *base, char *buf, size_t cap)
{
	const struct tar_member *m = tar_index_find(idx, base);
	struct j2w_err err;
	FILE *fp;
	long n;

	if (m == NULL)
		return -1;
	fp = tar_member_open(fd, m, "bat.tar", &err);
	if (fp == NULL)
		return -1;
	n = slurp(fp, buf, cap);
	fclose(fp);
	return n;
}

/* gzip-compresses buf into *out (caller frees); the compressed length. */
static size_t
gzip_buf(const unsigned char *buf, size_t len, unsigned char **out)
{
	z_stream z;
	size_t cap = compressBound((uLong)len) + 64;

	memset(&z, 0, sizeof(z));
	*out = malloc(cap);
	deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)buf;
	z.avail_in = (uInt)len;
	z.next_out = *out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	deflateEnd(&z);
	return z.total_out;
}

static void
test_plain_archive(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;
	const struct tar_member *m;
	char text[64];
	int fd;

	tb_member(&t, "./enduser.csv", "a,b\n1,2\n", '0');
	tb_member(&t, "dir/", "", '5');
	tb_member(&t, "./dir/Phone.CSV", "p\n", '\0');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), 0);
	if (!CHECK_INT(idx.n, 2))
		return;
	CHECK_STR(idx.members[0].name, "enduser.csv");
	CHECK_INT(idx.members[0].size, 8);
	CHECK_INT(idx.members[0].entry, 0);
	m = tar_index_find(&idx, "phone.csv");
	CHECK(m != NULL && strcmp(m->name, "dir/Phone.CSV") == 0);
	CHECK_INT(m ? m->size : 0, 2);
	CHECK_INT(m ? m->entry : 0, 2);
	CHECK(tar_index_find(&idx, "dir") == NULL);
	fd = memfd_with(t.buf, t.len);
	CHECK_INT(member_text(fd, &idx, "enduser.csv", text, sizeof(text)), 8);
	CHECK_STR(text, "a,b\n1,2\n");
	CHECK_INT(member_text(fd, &idx, "PHONE.csv", text, sizeof(text)), 2);
	CHECK_STR(text, "p\n");
	close(fd);
	tar_index_release(&idx);
	CHECK_INT(idx.n, 0);
	CHECK(idx.members == NULL);

	/* no end-of-archive blocks at all is tolerated, as GNU tar does */
	t.len = 512 * 5;
	CHECK_INT(load(&t, &idx, &err), 0);
	CHECK_INT(idx.n, 2);
	tar_index_release(&idx);
	/* nor is an empty file an error */
	t.len = 0;
	CHECK_INT(load(&t, &idx, &err), 0);
	CHECK_INT(idx.n, 0);
	/* one zero block ends it: what follows is not read */
	tb_end(&t);
	tb_member(&t, "after.csv", "x", '0');
	CHECK_INT(load(&t, &idx, &err), 0);
	CHECK_INT(idx.n, 0);
	free(t.buf);
}

static void
test_looks_like_archive(void)
{
	static const unsigned char gz[] = { 0x1f, 0x8b, 0x08, 0x00 };
	static const unsigned char xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00, 0x00 };
	unsigned char h[512];

	make_header(h, "enduser.csv", "exports/2026", 1234, '0', 0);
	CHECK(tar_looks_like_archive(h, sizeof(h)));
	CHECK(!tar_looks_like_archive(h, 511));	/* a header needs its whole block */
	make_header(h, "enduser.csv", NULL, 5, '0', 1);
	CHECK(tar_looks_like_archive(h, sizeof(h)));
	h[0] = 'E';
	CHECK(!tar_looks_like_archive(h, sizeof(h)));	/* checksum */
	make_header(h, "enduser.csv", NULL, 10, '0', 0);
	memcpy(h + 148, "9999999", 7);
	CHECK(!tar_looks_like_archive(h, sizeof(h)));
	CHECK(tar_looks_like_archive(gz, sizeof(gz)));
	CHECK(tar_looks_like_archive(xz, sizeof(xz)));
	CHECK(!tar_looks_like_archive(xz, 5));
	/* a CSV, a zero block, nothing */
	memset(h, 0, sizeof(h));
	CHECK(!tar_looks_like_archive(h, sizeof(h)));
	memcpy(h, "User ID,First Name\n", 19);
	CHECK(!tar_looks_like_archive(h, sizeof(h)));
	CHECK(!tar_looks_like_archive(h, 0));
}

static void
test_gnu_long_name_and_prefix(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;
	unsigned char h[512];
	char longname[300], text[16];
	int fd;

	memset(longname, 'd', sizeof(longname));
	memcpy(longname + 280, "/enduser.csv", 13);
	make_header(h, "././@LongLink", NULL, (long long)strlen(longname) + 1, 'L', 1);
	tb_add(&t, h, 512);
	tb_add(&t, longname, strlen(longname) + 1);
	tb_pad(&t);
	make_header(h, "dddddddd", NULL, 3, '0', 1);
	tb_add(&t, h, 512);
	tb_add(&t, "a\nb", 3);
	tb_pad(&t);
	make_header(h, "phone.csv", "exports/2026", 2, '0', 0);	/* ustar prefix */
	tb_add(&t, h, 512);
	tb_add(&t, "p\n", 2);
	tb_pad(&t);
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), 0);
	if (!CHECK_INT(idx.n, 2))
		return;
	CHECK_STR(idx.members[0].name, longname);
	CHECK(tar_index_find(&idx, "ENDUSER.csv") == &idx.members[0]);
	CHECK_STR(idx.members[1].name, "exports/2026/phone.csv");
	fd = memfd_with(t.buf, t.len);
	CHECK_INT(member_text(fd, &idx, "enduser.csv", text, sizeof(text)), 3);
	CHECK_STR(text, "a\nb");
	close(fd);
	tar_index_release(&idx);
	free(t.buf);
}

/* Appends a pax header (type 'x', or 'g' for global) whose data is recs. */
static void
tb_pax(struct tarb *t, const char *recs, char type)
{
	unsigned char h[512];

	make_header(h, "./PaxHeaders/x", NULL, (long long)strlen(recs), type, 0);
	tb_add(t, h, 512);
	tb_add(t, recs, strlen(recs));
	tb_pad(t);
}

static void
test_pax_header(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;
	char recs[400], name[200], text[16];
	int fd;

	memset(name, 'e', sizeof(name));
	memcpy(name + 180, "/enduser.csv", 13);
	/* "NNN path=NAME\n": the length counts its own digits */
	snprintf(recs, sizeof(recs), "%zu path=%s\n30 mtime=1795221974.123456789\n",
	    strlen(name) + 10, name);
	tb_pax(&t, "46 comment=a global header that names nothing\n", 'g');
	tb_pax(&t, recs, 'x');
	tb_member(&t, "eeeeeeeeeeeee", "a\n", '0');
	/* a pax size= overrides the header's */
	tb_pax(&t, "10 size=3\n", 'x');
	tb_member(&t, "phone.csv", "p\n", '0');
	t.buf[t.len - 512 + 2] = 'q';	/* the third byte, past the ustar size, is data */
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), 0);
	if (!CHECK_INT(idx.n, 2))
		return;
	CHECK_STR(idx.members[0].name, name);
	CHECK_INT(idx.members[0].size, 2);
	CHECK_STR(idx.members[1].name, "phone.csv");
	CHECK_INT(idx.members[1].size, 3);
	fd = memfd_with(t.buf, t.len);
	CHECK_INT(member_text(fd, &idx, "enduser.csv", text, sizeof(text)), 2);
	CHECK_STR(text, "a\n");
	CHECK_INT(member_text(fd, &idx, "phone.csv", text, sizeof(text)), 3);
	CHECK_STR(text, "p\nq");
	close(fd);
	tar_index_release(&idx);

	/* a malformed pax record is ignored: the ustar name stands */
	t.len = 0;
	tb_pax(&t, "99 path=x\n", 'x');
	tb_member(&t, "a.csv", "a", '0');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), 0);
	CHECK_STR(idx.n == 1 ? idx.members[0].name : "", "a.csv");
	tar_index_release(&idx);

	/* a pax path= that climbs out is refused like any other name */
	t.len = 0;
	tb_pax(&t, "17 path=../etc/x\n", 'x');
	tb_member(&t, "x.csv", "x", '0');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_STR(err.msg, "bat.tar: '../etc/x': absolute name or '..' in the name: refused");
	free(t.buf);
}

static void
test_gzip(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;
	unsigned char *gz;
	char text[64], *big = malloc(20001), *got = malloc(32768);
	size_t n;
	FILE *fp;
	int fd;

	for (int i = 0; i < 20000; i++)
		big[i] = (char)('a' + i % 26);
	big[20000] = '\0';
	tb_member(&t, "export/enduser.csv", "User ID\nalice\n", '0');
	tb_member(&t, "export/phone.csv", "Device Name\nSEP1\n", '0');
	tb_member(&t, "export/big.csv", big, '0');
	tb_end(&t);
	n = gzip_buf(t.buf, t.len, &gz);
	CHECK(tar_looks_like_archive(gz, n));
	fd = memfd_with(gz, n);
	CHECK_INT(tar_index_load(&idx, fd, "bat.tar.gz", &err), 0);
	if (!CHECK_INT(idx.n, 3))
		return;
	CHECK_STR(idx.members[1].name, "export/phone.csv");
	CHECK_INT(idx.members[1].size, 17);
	CHECK_INT(member_text(fd, &idx, "phone.csv", text, sizeof(text)), 17);
	CHECK_STR(text, "Device Name\nSEP1\n");

	/* the stream rewinds (the archive is read again) and seeks forward, not back */
	fp = tar_member_open(fd, tar_index_find(&idx, "big.csv"), "bat.tar.gz", &err);
	close(fd);	/* the stream has its own descriptor */
	if (!CHECK(fp != NULL))
		return;
	CHECK_INT(slurp(fp, got, 32768), 20000);
	CHECK_STR(got, big);
	CHECK_INT(fseeko(fp, 0, SEEK_SET), 0);
	CHECK_INT(fgetc(fp), 'a');
	CHECK_INT(fseeko(fp, 15000, SEEK_SET), 0);
	CHECK_INT(fgetc(fp), big[15000]);
	/* back, but not to the start (stdio seeks to its buffer's boundary, 8192) */
	errno = 0;
	CHECK_INT(fseeko(fp, 10000, SEEK_SET), -1);
	CHECK_INT(errno, ESPIPE);
	CHECK_INT(fseeko(fp, 0, SEEK_SET), 0);
	CHECK_INT(slurp(fp, got, 32768), 20000);
	CHECK_STR(got, big);
	fclose(fp);
	tar_index_release(&idx);
	free(big);
	free(got);

	/* cut short inside the compressed stream */
	fd = memfd_with(gz, n / 2);
	CHECK_INT(tar_index_load(&idx, fd, "bat.tar.gz", &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strncmp(err.msg, "bat.tar.gz: corrupt or truncated tar archive: ", 46) == 0);
	CHECK(idx.n == 0 && idx.members == NULL);
	close(fd);
	free(gz);

	/* a compressed file that is no tar */
	n = gzip_buf((const unsigned char *)"User ID,First Name\nalice,Alice\n", 31, &gz);
	fd = memfd_with(gz, n);
	CHECK_INT(tar_index_load(&idx, fd, "enduser.csv.gz", &err), -1);
	CHECK_STR(err.msg, "enduser.csv.gz: compressed, but holds no readable tar archive");
	CHECK_INT(err.status, J2W_EDATA);
	close(fd);
	free(gz);
	free(t.buf);
}

static void
test_links_and_names_refused(void)
{
	static const struct {
		const char *name;
		const char *msg;
	} bad[] = {
		{ "../enduser.csv", "bat.tar: '../enduser.csv': absolute name or '..' in the name: refused" },
		{ "a/../../x.csv", "bat.tar: 'a/../../x.csv': absolute name or '..' in the name: refused" },
		{ "exports/..", "bat.tar: 'exports/..': absolute name or '..' in the name: refused" },
		{ "/etc/passwd", "bat.tar: '/etc/passwd': absolute name or '..' in the name: refused" },
	};
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t.len = 0;
		tb_member(&t, "ok.csv", "x", '0');
		tb_member(&t, bad[i].name, "x", '0');
		tb_end(&t);
		CHECK_INT(load(&t, &idx, &err), -1);
		CHECK_STR(err.msg, bad[i].msg);
		CHECK_INT(err.status, J2W_EDATA);
		CHECK(idx.n == 0 && idx.members == NULL);
	}
	/* dots that do not climb are names like any other */
	t.len = 0;
	tb_member(&t, "..hidden/x..csv", "x", '0');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), 0);
	CHECK_STR(idx.n ? idx.members[0].name : "", "..hidden/x..csv");
	tar_index_release(&idx);

	t.len = 0;
	tb_member(&t, "enduser.csv", "x", '0');
	tb_link(&t, "phone.csv", "/etc/passwd", '2');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_STR(err.msg, "bat.tar: 'phone.csv' is a link: refused");

	t.len = 0;
	tb_member(&t, "enduser.csv", "x", '0');
	tb_link(&t, "phone.csv", "enduser.csv", '1');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_STR(err.msg, "bat.tar: 'phone.csv' is a link: refused");

	t.len = 0;
	tb_member(&t, "fifo", "", '6');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_STR(err.msg, "bat.tar: 'fifo' is not a regular file: refused");
	free(t.buf);
}

static void
test_long_name_belongs_to_the_next_header_only(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;
	unsigned char h[512];

	make_header(h, "././@LongLink", NULL, 13, 'L', 1);
	tb_add(&t, h, 512);
	tb_add(&t, "enduser.csv\0", 13);
	tb_pad(&t);
	tb_member(&t, "somedir/", "", '5');
	tb_member(&t, "other.csv", "x\n", '0');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), 0);
	CHECK_INT(idx.n, 1);
	CHECK_STR(idx.n ? idx.members[0].name : NULL, "other.csv");
	CHECK(tar_index_find(&idx, "enduser.csv") == NULL);
	tar_index_release(&idx);
	free(t.buf);
}

static void
test_limits(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;
	unsigned char h[512];
	char *name = malloc(5000);

	memset(name, 'x', 5000);
	make_header(h, "././@LongLink", NULL, 5000, 'L', 1);
	tb_add(&t, h, 512);
	tb_add(&t, name, 5000);
	tb_pad(&t);
	tb_member(&t, "x", "x", '0');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_STR(err.msg, "bat.tar: entry 1: name over 4096 bytes");
	CHECK_INT(idx.n, 0);
	free(name);

	/* a member over 4 GiB (GNU base-256 size) is refused before its data is read */
	t.len = 0;
	make_header(h, "big.csv", NULL, 0, '0', 1);
	memset(h + 124, 0, 12);
	h[124] = 0x80;
	h[131] = 0x02;	/* 2 << 32: 8 GiB */
	set_checksum(h);
	tb_add(&t, h, 512);
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_STR(err.msg, "bat.tar: 'big.csv' is over 4294967296 bytes");

	t.len = 0;
	for (int i = 0; i <= TAR_MEMBERS_MAX; i++)
		tb_member(&t, "d/", "", '5');
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_STR(err.msg, "bat.tar: more than 4096 entries in the archive");
	free(t.buf);
}

static void
test_damaged_archives(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;
	unsigned char h[512];

	/* a member whose data runs past the end */
	tb_member(&t, "enduser.csv", "0123456789", '0');
	t.len = 512 + 5;
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strncmp(err.msg, "bat.tar: corrupt or truncated tar archive: ", 43) == 0);
	CHECK(idx.members == NULL && idx.n == 0);

	/* a size far past the end of the file */
	t.len = 0;
	make_header(h, "enduser.csv", NULL, 1 << 20, '0', 0);
	tb_add(&t, h, 512);
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK(strncmp(err.msg, "bat.tar: corrupt or truncated tar archive: ", 43) == 0);

	/* a header cut short */
	t.len = 0;
	tb_member(&t, "a.csv", "a", '0');
	tb_add(&t, h, 100);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK(strncmp(err.msg, "bat.tar: corrupt or truncated tar archive: ", 43) == 0);

	/* a second header with a bad checksum, after a good member */
	t.len = 0;
	tb_member(&t, "a.csv", "a", '0');
	make_header(h, "b.csv", NULL, 1, '0', 0);
	h[1] ^= 1;
	tb_add(&t, h, 512);
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK(strncmp(err.msg, "bat.tar: corrupt or truncated tar archive: ", 43) == 0);
	CHECK_INT(idx.n, 0);
	free(t.buf);
}

static void
test_member_gone(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;
	int fd;

	tb_member(&t, "enduser.csv", "abc", '0');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), 0);
	/* the file is replaced between the listing and the read */
	t.len = 0;
	tb_member(&t, "other.csv", "abc", '0');
	tb_end(&t);
	fd = memfd_with(t.buf, t.len);
	CHECK(tar_member_open(fd, &idx.members[0], "bat.tar", &err) == NULL);
	CHECK_STR(err.msg, "bat.tar: 'enduser.csv' is no longer where it was: the file changed");
	CHECK_INT(err.status, J2W_EDATA);
	close(fd);
	tar_index_release(&idx);
	free(t.buf);
}

UNIT_MAIN(TEST(test_plain_archive), TEST(test_looks_like_archive),
    TEST(test_gnu_long_name_and_prefix), TEST(test_pax_header), TEST(test_gzip),
    TEST(test_links_and_names_refused), TEST(test_long_name_belongs_to_the_next_header_only),
    TEST(test_limits), TEST(test_damaged_archives), TEST(test_member_gone))
