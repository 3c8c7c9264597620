/* JSON Lines or CSV input records, told apart by their first byte. */
#include <stdlib.h>
#include <string.h>

#include "record/records.h"
#include "record/user.h"
#include "util/csvio.h"
#include "util/jsonl.h"
#include "util/utf8.h"

/*
 * Columns that name a person or a contact in some j2w record: a CSV header with
 * none of them is not j2w input (a wrong file, or a header the tool cannot read).
 */
static const char *const who_columns[] = { "email", "webex_email", "mailid", "directory_uri",
	"userid", "jid", "owner", "contact", "owner_email", "contact_email", NULL };

static int
names_someone(char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; who_columns[k] != NULL; k++)
			if (strcmp(keys[i], who_columns[k]) == 0)
				return 1;
	return 0;
}

static const char *
display_name(const char *name)
{
	return strcmp(name, "-") == 0 ? "<stdin>" : name;
}

static int
read_jsonl(FILE *fp, const char *name, unsigned long skipped, records_fn *fn, void *ctx,
    struct j2w_err *err)
{
	struct jsonl_reader r;
	char source[1200];
	json_t *rec;
	int rc;

	jsonl_reader_init(&r, fp, name);
	r.line = skipped;
	while ((rc = jsonl_next(&r, &rec, err)) > 0) {
		snprintf(source, sizeof(source), "%s:%lu", display_name(name), r.line);
		rc = fn(rec, source, ctx);
		json_decref(rec);
		if (rc != 0)
			break;
	}
	jsonl_reader_release(&r);
	return rc;
}

static int
read_csv(FILE *fp, const char *name, unsigned long skipped, records_fn *fn, void *ctx,
    struct j2w_err *err)
{
	struct csv_reader r;
	struct csv_header h = { 0 };
	char source[1200];
	char **keys = NULL;
	int rc;

	if (csv_reader_init(&r, fp, -1, ',', display_name(name), err) < 0)
		return -1;
	r.line = skipped;
	rc = csv_reader_next(&r, err);
	if (rc <= 0)
		goto out;
	if (csv_header_load(&h, &r.row, err) < 0) {
		rc = -1;
		goto out;
	}
	/* column names never hold an address: a row that does is data, and the header is missing */
	for (size_t i = 0; i < h.n; i++) {
		if (strchr(h.names[i], '@') != NULL) {
			rc = err_set(err, J2W_EDATA, "%s:%lu: the first row is data ('%.200s'), not "
			    "column names: CSV input starts with a header row (such as email, "
			    "calling_behavior, uc_manager_profile)", display_name(name), r.row.line,
			    h.names[i]);
			goto out;
		}
	}
	keys = calloc(h.n ? h.n : 1, sizeof(*keys));
	if (keys == NULL) {
		rc = err_set(err, J2W_ESYS, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < h.n; i++) {
		keys[i] = strdup(h.names[i]);
		if (keys[i] == NULL) {
			rc = err_set(err, J2W_ESYS, "out of memory");
			goto out;
		}
		for (char *p = keys[i]; *p; p++)
			*p = *p == ' ' ? '_' : (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p;
	}
	if (!names_someone(keys, h.n)) {
		rc = err_set(err, J2W_EDATA, "%s:%lu: the header names no column j2w reads (such as "
		    "email, webex_email, userid or owner): is this the right file? (a CUCM export "
		    "goes through j2w-users first)", display_name(name), r.row.line);
		goto out;
	}
	while ((rc = csv_reader_next(&r, err)) > 0) {
		json_t *rec = json_object();

		if (rec == NULL) {
			rc = err_set(err, J2W_ESYS, "out of memory");
			break;
		}
		for (size_t i = 0; i < h.n && i < r.row.n; i++) {
			size_t len;
			const char *v = csv_row_field(&r.row, i, &len);

			if (utf8_invalid_at(v, len) != len || strlen(v) != len) {
				json_decref(rec);
				rc = err_set(err, J2W_EDATA, "%s:%lu: column '%s' is not UTF-8 text",
				    display_name(name), r.row.line, h.names[i]);
				goto out;
			}
			/* a cell j2w guarded for spreadsheets reads back as it was */
			if (keys[i][0] != '\0' && json_object_get(rec, keys[i]) == NULL)
				json_set_str(rec, keys[i], csv_cell_unguarded(v));
		}
		/* the record as JSON Lines would carry it: booleans and the device list typed */
		if (user_retype(rec) < 0) {
			json_decref(rec);
			rc = err_set(err, J2W_ESYS, "out of memory");
			break;
		}
		snprintf(source, sizeof(source), "%s:%lu", display_name(name), r.row.line);
		rc = fn(rec, source, ctx);
		json_decref(rec);
		if (rc != 0)
			break;
	}
out:
	for (size_t i = 0; keys != NULL && i < h.n; i++)
		free(keys[i]);
	free(keys);
	csv_header_release(&h);
	csv_reader_release(&r);
	return rc;
}

int
records_read(FILE *fp, const char *name, records_fn *fn, void *ctx, struct j2w_err *err)
{
	unsigned long lines = 0;
	int c, prev = EOF;

	/* skip a BOM and blank lines to the first byte that tells the format, counting lines */
	while ((c = getc(fp)) == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xef ||
	    c == 0xbb || c == 0xbf) {
		if (c == '\r' || (c == '\n' && prev != '\r'))
			lines++;
		prev = c;
	}
	if (c == EOF) {
		if (ferror(fp))
			return err_set_errno(err, J2W_ESYS, "cannot read '%s'", display_name(name));
		return 0;
	}
	ungetc(c, fp);
	if (c == '{')
		return read_jsonl(fp, name, lines, fn, ctx, err);
	return read_csv(fp, name, lines, fn, ctx, err);
}
