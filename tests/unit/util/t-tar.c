/* Unit tests for tar: headers, GNU and ustar names, sizes, and damaged archives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

static void
tb_end(struct tarb *t)
{
	static const unsigned char zero[1024];

	tb_add(t, zero, sizeof(zero));
}

/* Loads the archive from a memfd; the index is in idx, the status returned. */
static int
load(const struct tarb *t, struct tar_index *idx, struct j2w_err *err)
{
	int fd = memfd_create("t-tar", 0), rc;

	err_clear(err);
	if (fd < 0 || write(fd, t->buf, t->len) != (ssize_t)t->len) {
		if (fd >= 0)
			close(fd);
		return -2;
	}
	/* left at the end on purpose: the loader must start from the beginning */
	rc = tar_index_load(idx, fd, "bat.tar", err);
	close(fd);
	return rc;
}

static void
test_plain_archive(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;
	const struct tar_member *m;

	tb_member(&t, "./enduser.csv", "a,b\n1,2\n", '0');
	tb_member(&t, "dir/", "", '5');
	tb_member(&t, "./dir/Phone.CSV", "p\n", '\0');
	tb_member(&t, "link.csv", "", '2');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), 0);
	if (!CHECK_INT(idx.n, 2))
		return;
	CHECK_STR(idx.members[0].name, "enduser.csv");
	CHECK_INT(idx.members[0].offset, 512);
	CHECK_INT(idx.members[0].size, 8);
	m = tar_index_find(&idx, "phone.csv");
	CHECK(m != NULL && strcmp(m->name, "dir/Phone.CSV") == 0);
	CHECK_INT(m ? m->offset : 0, 512 * 4);
	CHECK_INT(m ? m->size : 0, 2);
	CHECK(tar_index_find(&idx, "link.csv") == NULL);
	CHECK(tar_index_find(&idx, "dir") == NULL);
	CHECK(tar_block_is_header(t.buf));
	CHECK(!tar_block_is_header(t.buf + 512));
	tar_index_release(&idx);
	CHECK_INT(idx.n, 0);

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
test_parse_header(void)
{
	unsigned char h[512];
	struct j2w_err err;
	char *name;
	off_t size;
	char type;

	make_header(h, "enduser.csv", "exports/2026", 1234, '0', 0);
	CHECK_INT(tar_parse_header(h, &name, &size, &type, &err), 1);
	CHECK_STR(name, "exports/2026/enduser.csv");
	CHECK_INT(size, 1234);
	CHECK_INT(type, '0');
	free(name);

	/* the old GNU format keeps times at 345: never a prefix */
	make_header(h, "enduser.csv", NULL, 5, '0', 1);
	memcpy(h + 345, "14712345670", 11);
	set_checksum(h);
	CHECK_INT(tar_parse_header(h, &name, &size, &type, &err), 1);
	CHECK_STR(name, "enduser.csv");
	free(name);

	/* a 100-byte name without a NUL */
	memset(h, 0, 512);
	make_header(h, "", NULL, 0, '0', 0);
	memset(h, 'n', 100);
	set_checksum(h);
	CHECK_INT(tar_parse_header(h, &name, &size, &type, &err), 1);
	CHECK_INT(strlen(name), 100);
	free(name);

	memset(h, 0, 512);
	CHECK_INT(tar_parse_header(h, &name, &size, &type, &err), 0);
	CHECK(name == NULL);
}

static void
test_bad_checksum_and_size(void)
{
	unsigned char h[512];
	struct j2w_err err;
	char *name;
	off_t size;
	char type;

	make_header(h, "enduser.csv", NULL, 10, '0', 0);
	h[0] = 'E';
	CHECK_INT(tar_parse_header(h, &name, &size, &type, &err), -1);
	CHECK_STR(err.msg, "not a tar header (bad checksum)");
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(name == NULL);
	CHECK(!tar_block_is_header(h));

	make_header(h, "enduser.csv", NULL, 10, '0', 0);
	memcpy(h + 124, "00000001x12", 11);
	set_checksum(h);
	CHECK_INT(tar_parse_header(h, &name, &size, &type, &err), -1);
	CHECK_STR(err.msg, "corrupt size in tar header");

	make_header(h, "enduser.csv", NULL, 10, '0', 0);
	memcpy(h + 148, "9999999", 7);
	CHECK_INT(tar_parse_header(h, &name, &size, &type, &err), -1);

	/* a CSV file is not a tar header */
	memset(h, 0, 512);
	memcpy(h, "User ID,First Name\n", 19);
	CHECK(!tar_block_is_header(h));
}

static void
test_base256_size(void)
{
	unsigned char h[512];
	struct j2w_err err;
	char *name;
	off_t size;
	char type;

	make_header(h, "big.csv", NULL, 0, '0', 1);
	memset(h + 124, 0, 12);
	h[124] = 0x80;
	h[131] = 0x02;	/* 2 << 32: 8 GiB */
	h[135] = 0x07;
	set_checksum(h);
	CHECK_INT(tar_parse_header(h, &name, &size, &type, &err), 1);
	CHECK_INT(size, ((long long)2 << 32) + 7);
	free(name);

	/* negative base-256 */
	memset(h + 124, 0xff, 12);
	set_checksum(h);
	CHECK_INT(tar_parse_header(h, &name, &size, &type, &err), -1);
	CHECK_STR(err.msg, "corrupt size in tar header");

	/* too large for off_t */
	memset(h + 124, 0x7f, 12);
	h[124] = 0x80;
	set_checksum(h);
	CHECK_INT(tar_parse_header(h, &name, &size, &type, &err), -1);
}

static void
test_gnu_long_name(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;
	unsigned char h[512];
	char longname[300];

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
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), 0);
	if (!CHECK_INT(idx.n, 1))
		return;
	CHECK_STR(idx.members[0].name, longname);
	CHECK_INT(idx.members[0].offset, 512 * 3);
	CHECK(tar_index_find(&idx, "ENDUSER.csv") == &idx.members[0]);
	tar_index_release(&idx);
	free(t.buf);
}

/* Appends a pax 'x' header whose data is recs. */
static void
tb_pax(struct tarb *t, const char *recs)
{
	unsigned char h[512];

	make_header(h, "./PaxHeaders/x", NULL, (long long)strlen(recs), 'x', 0);
	tb_add(t, h, 512);
	tb_add(t, recs, strlen(recs));
	tb_pad(t);
}

static void
test_pax_path(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;
	static const char *const bad[] = { "5 path=x\n", "99 path=x\n", "x path=y\n", "9 path=ab",
		"0 \n", "2 \n", "18446744073709551617 path=x\n" };
	char recs[400], name[200];

	memset(name, 'e', sizeof(name));
	memcpy(name + 180, "/enduser.csv", 13);
	/* "NNN path=NAME\n": the length counts its own digits */
	snprintf(recs, sizeof(recs), "%zu path=%s\n30 mtime=1795221974.123456789\n",
	    strlen(name) + 10, name);
	tb_pax(&t, "46 comment=a global header that names nothing\n");
	t.buf[156] = 'g';
	set_checksum(t.buf);
	tb_pax(&t, recs);
	tb_member(&t, "eeeeeeeeeeeee", "a\n", '0');
	tb_member(&t, "phone.csv", "p\n", '0');
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), 0);
	if (!CHECK_INT(idx.n, 2))
		return;
	CHECK_STR(idx.members[0].name, name);
	CHECK_INT(idx.members[0].size, 2);
	CHECK_STR(idx.members[1].name, "phone.csv");
	tar_index_release(&idx);

	/* damaged records */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t.len = 0;
		tb_pax(&t, bad[i]);
		tb_member(&t, "a.csv", "a", '0');
		CHECK_INT(load(&t, &idx, &err), -1);
		CHECK_STR(err.msg, "bat.tar: at byte 0: corrupt pax header");
	}
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
test_long_name_too_long(void)
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
	CHECK_STR(err.msg, "bat.tar: at byte 0: long file name over 4096 bytes");
	CHECK_INT(idx.n, 0);
	free(name);
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
	CHECK_STR(err.msg, "bat.tar: truncated tar archive (member needs 10 bytes)");
	CHECK(idx.members == NULL && idx.n == 0);

	/* a size far past the end of the file */
	t.len = 0;
	make_header(h, "enduser.csv", NULL, 077777777777LL, '0', 0);
	tb_add(&t, h, 512);
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_STR(err.msg, "bat.tar: truncated tar archive (member needs 8589934591 bytes)");

	/* a header cut short */
	t.len = 0;
	tb_member(&t, "a.csv", "a", '0');
	tb_add(&t, h, 100);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_STR(err.msg, "bat.tar: truncated tar archive");

	/* a second header with a bad checksum, after a good member */
	t.len = 0;
	tb_member(&t, "a.csv", "a", '0');
	make_header(h, "b.csv", NULL, 1, '0', 0);
	h[1] ^= 1;
	tb_add(&t, h, 512);
	tb_end(&t);
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_STR(err.msg, "bat.tar: at byte 1024: not a tar header (bad checksum)");
	CHECK_INT(idx.n, 0);
	free(t.buf);
}

static void
test_too_many_members(void)
{
	struct tarb t = { NULL, 0 };
	struct tar_index idx;
	struct j2w_err err;

	for (int i = 0; i <= TAR_MEMBERS_MAX; i++)
		tb_member(&t, "f", "", '0');
	CHECK_INT(load(&t, &idx, &err), -1);
	CHECK_STR(err.msg, "bat.tar: more than 4096 files in the archive");
	free(t.buf);
}

UNIT_MAIN(TEST(test_plain_archive), TEST(test_parse_header), TEST(test_bad_checksum_and_size),
    TEST(test_base256_size), TEST(test_gnu_long_name), TEST(test_pax_path),
    TEST(test_long_name_belongs_to_the_next_header_only), TEST(test_long_name_too_long),
    TEST(test_damaged_archives), TEST(test_too_many_members))
