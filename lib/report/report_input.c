/*
 * The report's input dispatcher: what each input file is, the reader it goes
 * to, and its size and SHA-256 as read (the report's provenance); and the time
 * the report says it was made.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <openssl/evp.h>

#include "chat/chatdb.h"
#include "report/report_apply.h"
#include "report/report_archive.h"
#include "report/report_input.h"
#include "report/report_records.h"
#include "util/num.h"
#include "webex/journal.h"

/* A stream that digests every byte its reader takes from the file under it. */
struct hashed {
	FILE *fp;
	EVP_MD_CTX *md;
	unsigned long long size;
};

static ssize_t
hashed_read(void *cookie, char *buf, size_t len)
{
	struct hashed *h = cookie;
	size_t got = fread(buf, 1, len, h->fp);

	if (got > 0) {
		EVP_DigestUpdate(h->md, buf, got);
		h->size += got;
	}
	if (got == 0 && ferror(h->fp))
		return -1;
	return (ssize_t)got;
}

/* The digest as 64 lower-case hex digits in hex[65]. */
static void
hex_digest(EVP_MD_CTX *md, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(md, d, &n) != 1 || n != 32)
		n = 0;
	for (unsigned int i = 0; i < n; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * n] = '\0';
}

static int
oom(struct j2w_err *err)
{
	return err_set(err, J2W_ESYS, "out of memory");
}

/*
 * Reads JSON Lines from fp (named path, "-" for stdin) into r through a
 * digesting stream, then adds the input to r's sources. The whole file is
 * digested, also when the reader stops early (too many bad lines).
 */
static int
read_jsonl(struct report *r, FILE *fp, const char *path, struct j2w_err *err)
{
	static cookie_io_functions_t io = { hashed_read, NULL, NULL, NULL };
	struct hashed h = { fp, EVP_MD_CTX_new(), 0 };
	unsigned long before = r->records;
	char hex[65], rest[8192];
	FILE *in;
	int rc;

	if (h.md == NULL || EVP_DigestInit_ex(h.md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(h.md);
		return oom(err);
	}
	if ((in = fopencookie(&h, "r", io)) == NULL) {
		EVP_MD_CTX_free(h.md);
		return oom(err);
	}
	rc = report_read_stream(r, in, path, err);
	while (rc == 0 && fread(rest, 1, sizeof(rest), in) > 0)
		;
	if (rc == 0 && (ferror(in) || ferror(fp)))
		rc = err_set_errno(err, J2W_ESYS, "cannot read '%s'",
		    strcmp(path, "-") == 0 ? "<stdin>" : path);
	fclose(in);
	hex_digest(h.md, hex);
	EVP_MD_CTX_free(h.md);
	if (rc == 0 && report_add_source(r, strcmp(path, "-") == 0 ? "<stdin>" : path,
	    "JSON Lines", r->records - before, h.size, hex, err) < 0)
		rc = -1;
	return rc;
}

/*
 * Digests the file at path into r's sources as kind. A file that is not there
 * is skipped when optional (an SQLite write-ahead log that was checkpointed).
 */
static int
add_file_source(struct report *r, const char *path, const char *kind, int optional,
    struct j2w_err *err)
{
	EVP_MD_CTX *md;
	unsigned long long size = 0;
	char buf[65536], hex[65];
	FILE *fp;
	size_t n;
	int rc = 0;

	if ((fp = fopen(path, "rb")) == NULL) {
		if (optional && errno == ENOENT)
			return 0;
		return err_set_errno(err, J2W_ESYS, "cannot open '%s'", path);
	}
	if ((md = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		fclose(fp);
		return oom(err);
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		EVP_DigestUpdate(md, buf, n);
		size += n;
	}
	if (ferror(fp))
		rc = err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
	fclose(fp);
	hex_digest(md, hex);
	EVP_MD_CTX_free(md);
	if (rc == 0 && !(optional && size == 0))
		rc = report_add_source(r, path, kind, 0, size, hex, err);
	return rc;
}

int
report_read_source(struct report *r, const char *path, const char *kind, size_t max,
    char **data, size_t *len, struct j2w_err *err)
{
	EVP_MD_CTX *md = NULL;
	char *buf = NULL, hex[65];
	size_t n = 0, got;
	FILE *fp;
	int rc = -1;

	*data = NULL;
	*len = 0;
	if ((fp = fopen(path, "rb")) == NULL)
		return err_set_errno(err, J2W_EUSAGE, "cannot open '%s'", path);
	if ((buf = malloc(max + 1)) == NULL || (md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		oom(err);
		goto out;
	}
	while (n <= max && (got = fread(buf + n, 1, max + 1 - n, fp)) > 0)
		n += got;
	if (ferror(fp)) {
		err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
		goto out;
	}
	if (n > max) {
		err_set(err, J2W_EDATA, "%s: larger than %zu bytes", path, max);
		goto out;
	}
	buf[n] = '\0';
	EVP_DigestUpdate(md, buf, n);
	hex_digest(md, hex);
	if (report_add_source(r, path, kind, 0, n, hex, err) < 0)
		goto out;
	*data = buf;
	*len = n;
	buf = NULL;
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	free(buf);
	fclose(fp);
	return rc;
}

/* The database and, when there is one, the write-ahead log SQLite reads with it. */
static int
add_db_sources(struct report *r, const char *path, const char *kind, struct j2w_err *err)
{
	char wal[4200];

	if (add_file_source(r, path, kind, 0, err) < 0)
		return -1;
	snprintf(wal, sizeof(wal), "%.4190s-wal", path);
	return add_file_source(r, wal, "SQLite write-ahead log of the file before", 1, err);
}

int
report_read_path(struct report *r, const char *path, struct j2w_err *err)
{
	static const char sqlite_magic[16] = "SQLite format 3";
	char head[16];
	FILE *fp;
	size_t n;
	int rc, kind;

	if (strcmp(path, "-") == 0)
		return read_jsonl(r, stdin, "-", err);
	if ((fp = fopen(path, "rb")) == NULL)
		return err_set_errno(err, J2W_EUSAGE, "cannot open '%s'", path);
	n = fread(head, 1, sizeof(head), fp);
	if (ferror(fp)) {
		fclose(fp);
		return err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
	}
	if (n == sizeof(head) && memcmp(head, sqlite_magic, sizeof(head)) == 0) {
		fclose(fp);
		if ((kind = chatdb_probe(path, err)) != 0) {
			if (kind < 0 || add_db_sources(r, path, "j2w-chat-archive database", err) < 0)
				return -1;
			return report_read_archive(r, path, err);
		}
		if ((kind = journal_probe(path, err)) != 0) {
			if (kind < 0 || add_db_sources(r, path, "j2w-apply journal", err) < 0)
				return -1;
			return report_read_journal(r, path, err);
		}
		if (add_db_sources(r, path, "SQLite database the report cannot read", err) < 0)
			return -1;
		return err_set(err, J2W_EDATA, "'%s' is an SQLite database, but neither a "
		    "j2w-apply journal nor a j2w-chat-archive this report knows", path);
	}
	rewind(fp);
	rc = read_jsonl(r, fp, path, err);
	fclose(fp);
	return rc;
}

int
report_read_or_list(struct report *r, const char *path, struct j2w_err *err)
{
	struct j2w_err why;

	if (report_read_path(r, path, err) == 0)
		return 0;
	if (err->status != J2W_EDATA)
		return -1;
	why = *err;
	if (report_add_item(r, "j2w-report", "INPUT", SEV_ERROR, path, NULL, why.msg,
	    "give the report the journal j2w-apply wrote (--journal) or the archive "
	    "j2w-chat-archive made, from the same j2w version", NULL, NULL, err) < 0)
		return -1;
	r->unreadable++;
	*err = why;
	return 1;
}

int
report_generated_at(const char *sde, time_t now, char *buf, size_t size, struct j2w_err *err)
{
	struct tm tm;
	long v;

	if (sde != NULL && *sde != '\0') {
		if (num_parse_long(sde, 0, LONG_MAX, &v) < 0)
			return err_set(err, J2W_EUSAGE, "SOURCE_DATE_EPOCH wants seconds since "
			    "1970-01-01 UTC, not '%.40s'", sde);
		now = (time_t)v;
	}
	if (gmtime_r(&now, &tm) == NULL || strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		buf[0] = '\0';
	return 0;
}
