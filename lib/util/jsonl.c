/* JSON Lines reading and writing. */
#include <errno.h>
#include <string.h>

#include "util/csvio.h"
#include "util/jsonl.h"

void
jsonl_reader_init(struct jsonl_reader *r, FILE *fp, const char *name)
{
	r->fp = fp;
	r->name = (name == NULL || strcmp(name, "-") == 0) ? "<stdin>" : name;
	r->line = 0;
	r->records = 0;
	strbuf_init(&r->sb, JSONL_LINE_MAX);
}

void
jsonl_reader_release(struct jsonl_reader *r)
{
	strbuf_release(&r->sb);
}

/* Appends a piece of the current line, refusing to pass JSONL_LINE_MAX. */
static int
jsonl_add(struct jsonl_reader *r, const char *data, size_t n, struct j2w_err *err)
{
	if (strbuf_add(&r->sb, data, n) == 0)
		return 0;
	if (errno == EFBIG)
		return err_set(err, J2W_EDATA, "%s:%lu: line longer than %zu bytes",
		    r->name, r->line + 1, JSONL_LINE_MAX);
	return err_set_errno(err, J2W_ESYS, "%s:%lu", r->name, r->line + 1);
}

/*
 * Reads one line without its newline; 1, 0 at EOF, -1 on error. Byte by byte
 * rather than fgets, so that a NUL in the line neither hides the rest of it
 * nor its newline (which would join it to the next line).
 */
static int
jsonl_read_line(struct jsonl_reader *r, struct j2w_err *err)
{
	char chunk[8192];
	size_t n = 0;
	int c, got = 0;

	strbuf_reset(&r->sb);
	while ((c = getc_unlocked(r->fp)) != EOF) {
		got = 1;
		if (c == '\n')
			break;
		chunk[n++] = (char)c;
		if (n == sizeof(chunk)) {
			if (jsonl_add(r, chunk, n, err) < 0)
				return -1;
			n = 0;
		}
	}
	if (c == EOF && ferror(r->fp))
		return err_set_errno(err, J2W_ESYS, "cannot read '%s'", r->name);
	if (!got)
		return 0;
	if (jsonl_add(r, chunk, n, err) < 0)
		return -1;
	strbuf_rtrim(&r->sb);
	return 1;
}

int
jsonl_next(struct jsonl_reader *r, json_t **out, struct j2w_err *err)
{
	*out = NULL;
	for (;;) {
		json_error_t jerr;
		json_t *obj;
		int rc = jsonl_read_line(r, err);
		const char *text = r->sb.buf;
		size_t len = r->sb.len;

		if (rc <= 0)
			return rc;
		r->line++;
		/* a UTF-8 byte-order mark, as Windows editors write, starts line 1 only */
		if (r->line == 1 && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
			text += 3;
			len -= 3;
		}
		if (len == 0)
			continue;
		obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
		if (obj == NULL && r->records == 0 && strchr("{[\"", text[0]) == NULL &&
		    (memchr(text, ',', len) != NULL || memchr(text, '\t', len) != NULL)) {
			return err_set(err, J2W_EDATA, "%s:%lu: this is CSV, not JSON Lines (one JSON "
			    "object per line)", r->name, r->line);
		}
		if (obj == NULL)
			return err_set(err, J2W_EDATA, "%s:%lu:%d: not valid JSON: %s",
			    r->name, r->line, jerr.column, jerr.text);
		if (!json_is_object(obj)) {
			json_decref(obj);
			return err_set(err, J2W_EDATA, "%s:%lu: expected a JSON object",
			    r->name, r->line);
		}
		*out = obj;
		r->records++;
		return 1;
	}
}

int
jsonl_write(FILE *fp, const json_t *obj)
{
	if (json_dumpf(obj, fp, JSON_COMPACT) != 0)
		return -1;
	if (putc('\n', fp) == EOF)
		return -1;
	return 0;
}

const char *
json_get_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

int
json_set_str(json_t *obj, const char *key, const char *val)
{
	json_t *s;

	if (csv_cell_absent(val))
		return 0;
	s = json_string(val);
	if (s == NULL)
		return -1;
	return json_object_set_new(obj, key, s);
}
