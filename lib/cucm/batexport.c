/* Opening a BAT export (CSV or tar), validating it, and streaming its users. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cucm/bat.h"
#include "util/csvscan.h"
#include "util/tar.h"

/* Copies stdin to an unlinked temporary file so that it can be read twice. */
static FILE *
bat_spool_stdin(struct j2w_err *err)
{
	char buf[65536];
	FILE *tmp = tmpfile();
	size_t n;

	if (tmp == NULL) {
		err_set_errno(err, J2W_ESYS, "cannot create a temporary file for stdin");
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		if (fwrite(buf, 1, n, tmp) != n) {
			err_set_errno(err, J2W_ESYS, "cannot spool stdin");
			fclose(tmp);
			return NULL;
		}
	}
	if (ferror(stdin)) {
		err_set_errno(err, J2W_ESYS, "cannot read stdin");
		fclose(tmp);
		return NULL;
	}
	rewind(tmp);
	return tmp;
}

/*
 * The validating pass: the whole CSV must parse before a record is printed.
 * scanned (may be NULL) is told the bytes checked and the total (0: unknown).
 */
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
 * stream of enduser.csv's bytes (csv_size of them), read twice from its start.
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
	strbuf_addf(&label, "%s/%s", path, eu->name);
	bx->label = strbuf_detach(&label, NULL);
	ph = tar_index_find(&idx, "phone.csv");
	if (ph != NULL) {
		int rc = -1;

		strbuf_addf(&label, "%s/%s", path, ph->name);
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
	tar_index_release(&idx);
	if (fp == NULL)
		return -1;
	fclose(bx->fp);
	bx->fp = fp;
	return 0;
}

/* A plain enduser.csv: phone.csv beside it, when there, gives device types. */
static int
bat_open_csv(struct bat_export *bx, const char *path, struct j2w_err *err)
{
	struct strbuf phone;
	char *copy, *dir;
	FILE *fp;

	bx->label = strdup(path);
	if (bx->label == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	bx->csv_size = -1;
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
	device_map_init(&bx->phones);
	strbuf_init(&bx->source, 0);
	if (strcmp(path, "-") == 0) {
		bx->fp = bat_spool_stdin(err);
		if (bx->fp == NULL)
			return -1;
	} else {
		bx->fp = fopen(path, "rb");
		if (bx->fp == NULL)
			return err_set_errno(err, errno == ENOENT || errno == EACCES ? J2W_EUSAGE : J2W_ESYS,
			    "cannot open '%s'", path);
	}
	n = fread(block, 1, sizeof(block), bx->fp);
	rewind(bx->fp);
	if (tar_looks_like_archive(block, n))
		rc = bat_open_tar(bx, path, err);
	else
		rc = bat_open_csv(bx, path, err);
	if (rc < 0 || bat_scan(bx, scanned, ctx, err) < 0)
		goto fail;
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
	return 0;
fail:
	bat_export_close(bx);
	return -1;
}

int
bat_export_next(struct bat_export *bx, struct user *u, struct strbuf *problem,
    struct j2w_err *err)
{
	int rc = csv_reader_next(&bx->reader, err);

	if (rc <= 0)
		return rc;
	strbuf_reset(&bx->source);
	if (strbuf_addf(&bx->source, "bat:%s:%lu", bx->label, bx->reader.row.line) < 0)
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

void
bat_export_close(struct bat_export *bx)
{
	csv_reader_release(&bx->reader);
	csv_header_release(&bx->header);
	bat_map_release(&bx->map);
	device_map_release(&bx->phones);
	strbuf_release(&bx->source);
	if (bx->fp != NULL)
		fclose(bx->fp);
	free(bx->label);
	memset(bx, 0, sizeof(*bx));
}
