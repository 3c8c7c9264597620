/* Opening a BAT export (CSV or tar) and streaming its users in one pass. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cucm/bat.h"
#include "util/csvscan.h"
#include "util/spool.h"
#include "util/tar.h"

/*
 * The whole of a small CSV is checked before its first record (see bat.h): a
 * second look at a few hundred kilobytes costs nothing, and a caller then knows
 * the row count and meets a malformed file at open. scanned (may be NULL) is
 * told the bytes checked and the total (0: unknown).
 */

/* An input's name in messages and sources: stdin is <stdin>, as in every reader. */
static const char *
shown(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}
static int
bat_scan(struct bat_export *bx, void (*scanned)(void *, uint64_t, uint64_t), void *ctx,
    struct j2w_err *err)
{
	struct csv_scanner sc;
	char buf[65536];
	off_t left = bx->csv_size;
	uint64_t done = 0, total = bx->csv_size > 0 ? (uint64_t)bx->csv_size : 0;
	struct stat st;

	if (fseeko(bx->fp, 0, SEEK_SET) < 0)
		return err_set_errno(err, J2W_ESYS, "cannot seek in '%s'", bx->label);
	if (total == 0 && fstat(fileno(bx->fp), &st) == 0 && S_ISREG(st.st_mode))
		total = (uint64_t)st.st_size;
	csv_scanner_init(&sc, ',');
	for (;;) {
		size_t want = sizeof(buf), n;

		if (left >= 0 && (off_t)want > left)
			want = (size_t)left;
		n = want ? fread(buf, 1, want, bx->fp) : 0;
		if (n == 0)
			break;
		if (left >= 0)
			left -= (off_t)n;
		done += n;
		if (scanned != NULL)
			scanned(ctx, done, total);
		if (csv_scanner_feed(&sc, buf, n, err) < 0) {
			err_prefix(err, "%s:%lu", bx->label, sc.error_line);
			return -1;
		}
	}
	if (ferror(bx->fp))
		return err_set_errno(err, J2W_ESYS, "cannot read '%s'", bx->label);
	if (csv_scanner_finish(&sc, err) < 0) {
		err_prefix(err, "%s:%lu", bx->label, sc.error_line);
		return -1;
	}
	bx->records = sc.records > 0 ? sc.records - 1 : 0;
	return fseeko(bx->fp, 0, SEEK_SET) < 0
	    ? err_set_errno(err, J2W_ESYS, "cannot seek in '%s'", bx->label) : 0;
}

static int
bat_load_phones(struct bat_export *bx, FILE *fp, off_t offset, off_t size,
    const char *label, struct j2w_err *err)
{
	if (fseeko(fp, offset, SEEK_SET) < 0)
		return err_set_errno(err, J2W_ESYS, "cannot seek in '%s'", label);
	if (device_map_load_phone_csv(&bx->phones, fp, size, label, err) < 0)
		return -1;
	bx->have_phones = 1;
	return 0;
}

/*
 * A tar (plain, gzip or xz): phone.csv is read first, then bx->fp becomes the
 * stream of enduser.csv's bytes (csv_size of them).
 */
static int
bat_open_tar(struct bat_export *bx, const char *path, struct j2w_err *err)
{
	struct tar_index idx;
	const struct tar_member *eu, *ph;
	struct strbuf label;
	FILE *fp;

	if (tar_index_load(&idx, fileno(bx->fp), path, err) < 0)
		return -1;
	eu = tar_index_find(&idx, "enduser.csv");
	if (eu == NULL) {
		tar_index_release(&idx);
		return err_set(err, J2W_EDATA, "%s: export tar has no enduser.csv", path);
	}
	strbuf_init(&label, 0);
	strbuf_addf(&label, "%s/%s", shown(path), eu->name);
	bx->label = strbuf_detach(&label, NULL);
	ph = tar_index_find(&idx, "phone.csv");
	if (ph != NULL) {
		int rc = -1;

		strbuf_addf(&label, "%s/%s", shown(path), ph->name);
		fp = tar_member_open(fileno(bx->fp), ph, path, err);
		if (fp != NULL) {
			rc = bat_load_phones(bx, fp, 0, ph->size, label.buf, err);
			fclose(fp);
		}
		strbuf_release(&label);
		if (rc < 0) {
			tar_index_release(&idx);
			return -1;
		}
	}
	fp = tar_member_open(fileno(bx->fp), eu, path, err);
	bx->csv_size = eu->size;
	bx->size = eu->size;
	tar_index_release(&idx);
	if (fp == NULL)
		return -1;
	spool_close_input(bx->fp);
	bx->fp = fp;
	return 0;
}

/* A plain enduser.csv: phone.csv beside it, when there, gives device types. */
static int
bat_open_csv(struct bat_export *bx, const char *path, struct j2w_err *err)
{
	struct strbuf phone;
	char *copy, *dir;
	struct stat st;
	FILE *fp;

	bx->label = strdup(shown(path));
	if (bx->label == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	bx->csv_size = -1;
	if (fstat(fileno(bx->fp), &st) == 0 && S_ISREG(st.st_mode))
		bx->size = st.st_size;
	if (strcmp(path, "-") == 0)
		return 0;
	copy = strdup(path);
	if (copy == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	dir = dirname(copy);
	strbuf_init(&phone, 0);
	strbuf_addf(&phone, "%s/phone.csv", dir);
	free(copy);
	fp = fopen(phone.buf, "r");
	if (fp != NULL) {
		int rc = bat_load_phones(bx, fp, 0, -1, phone.buf, err);

		fclose(fp);
		if (rc < 0) {
			strbuf_release(&phone);
			return -1;
		}
	}
	strbuf_release(&phone);
	return 0;
}

int
bat_export_open(struct bat_export *bx, const char *path, int latin1, struct j2w_err *err)
{
	return bat_export_open_watched(bx, path, latin1, NULL, NULL, err);
}

int
bat_export_open_watched(struct bat_export *bx, const char *path, int latin1,
    void (*scanned)(void *ctx, uint64_t done, uint64_t total), void *ctx, struct j2w_err *err)
{
	unsigned char block[512];
	size_t n;
	int rc;

	memset(bx, 0, sizeof(*bx));
	bx->latin1 = latin1;
	bx->size = -1;
	device_map_init(&bx->phones);
	strbuf_init(&bx->source, 0);
	/* read twice (sniffed for a tar, sized, scanned): a pipe is spooled */
	bx->fp = spool_open_input(path, 1, err);
	if (bx->fp == NULL)
		return -1;
	n = fread(block, 1, sizeof(block), bx->fp);
	rewind(bx->fp);
	if (tar_looks_like_archive(block, n))
		rc = bat_open_tar(bx, path, err);
	else
		rc = bat_open_csv(bx, path, err);
	if (rc < 0)
		goto fail;
	if (bx->size >= 0 && bx->size <= BAT_CHECK_WHOLE_MAX) {
		if (bat_scan(bx, scanned, ctx, err) < 0)
			goto fail;
		bx->checked = 1;
	}
	if (csv_reader_init(&bx->reader, bx->fp, bx->csv_size, ',', bx->label, err) < 0)
		goto fail;
	rc = csv_reader_next(&bx->reader, err);
	if (rc <= 0) {
		if (rc == 0)
			err_set(err, J2W_EDATA, "%s: empty file, expected a header row", bx->label);
		goto fail;
	}
	if (csv_header_load(&bx->header, &bx->reader.row, err) < 0)
		goto fail;
	if (bat_map_init(&bx->map, &bx->header, err) < 0) {
		err_prefix(err, "%s:%lu", bx->label, bx->reader.row.line);
		goto fail;
	}
	if (strbuf_addf(&bx->source, "bat:%s:", bx->label) < 0) {
		err_set(err, J2W_ESYS, "out of memory");
		goto fail;
	}
	bx->source_prefix = bx->source.len;
	return 0;
fail:
	bat_export_close(bx);
	return -1;
}

/* Appends n in decimal: the record's source is built for every row. */
static int
bat_add_ulong(struct strbuf *sb, unsigned long n)
{
	char digits[24], *p = digits + sizeof(digits);

	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	return strbuf_add(sb, p, (size_t)(digits + sizeof(digits) - p));
}

int
bat_export_next(struct bat_export *bx, struct user *u, struct strbuf *problem,
    struct j2w_err *err)
{
	int rc = csv_reader_next(&bx->reader, err);

	if (rc <= 0)
		return rc;
	bx->source.len = bx->source_prefix;
	if (bat_add_ulong(&bx->source, bx->reader.row.line) < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	user_init(u);
	rc = bat_row_to_user(&bx->map, &bx->header, &bx->reader.row,
	    bx->have_phones ? &bx->phones : NULL, bx->latin1, bx->source.buf, u, problem, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		struct strbuf why;

		strbuf_init(&why, 0);
		strbuf_addf(&why, "%s:%lu: %s", bx->label, bx->reader.row.line, problem->buf);
		strbuf_reset(problem);
		strbuf_add(problem, why.buf, why.len);
		strbuf_release(&why);
		return 2;
	}
	return 1;
}

off_t
bat_export_offset(const struct bat_export *bx)
{
	return bx->reader.consumed;
}

void
bat_export_close(struct bat_export *bx)
{
	csv_reader_release(&bx->reader);
	csv_header_release(&bx->header);
	bat_map_release(&bx->map);
	device_map_release(&bx->phones);
	strbuf_release(&bx->source);
	if (bx->fp != NULL)
		spool_close_input(bx->fp);
	free(bx->label);
	memset(bx, 0, sizeof(*bx));
}
