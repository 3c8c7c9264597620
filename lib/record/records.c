/* JSON Lines or CSV input records, told apart by their first byte. */
#include <stdlib.h>
#include <string.h>

#include "record/records.h"
#include "util/csvio.h"
#include "util/jsonl.h"
#include "util/utf8.h"

static const char *
display_name(const char *name)
{
	return strcmp(name, "-") == 0 ? "<stdin>" : name;
}

static int
read_jsonl(FILE *fp, const char *name, records_fn *fn, void *ctx, struct j2w_err *err)
{
	struct jsonl_reader r;
	char source[1200];
	json_t *rec;
	int rc;

	jsonl_reader_init(&r, fp, name);
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
read_csv(FILE *fp, const char *name, records_fn *fn, void *ctx, struct j2w_err *err)
{
	struct csv_reader r;
	struct csv_header h = { 0 };
	char source[1200];
	char **keys = NULL;
	int rc;

	if (csv_reader_init(&r, fp, -1, ',', display_name(name), err) < 0)
		return -1;
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
			if (keys[i][0] != '\0' && json_object_get(rec, keys[i]) == NULL)
				json_set_str(rec, keys[i], v);
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
	int c;

	/* skip a BOM and blank lines to the first byte that tells the format */
	do
		c = getc(fp);
	while (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xef || c == 0xbb ||
	    c == 0xbf);
	if (c == EOF) {
		if (ferror(fp))
			return err_set_errno(err, J2W_ESYS, "cannot read '%s'", display_name(name));
		return 0;
	}
	ungetc(c, fp);
	if (c == '{')
		return read_jsonl(fp, name, fn, ctx, err);
	return read_csv(fp, name, fn, ctx, err);
}
