/* Control Hub CSV files written row by row: parts started as they fill, renamed together. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/csvio.h"
#include "webex/ctparts.h"

static int
setup(struct ctparts *p, const struct ctcsv_template *t, size_t max_rows, struct j2w_err *err)
{
	memset(p, 0, sizeof(*p));
	p->t = t;
	p->max_rows = max_rows;
	p->cells = calloc(t->n ? t->n : 1, sizeof(*p->cells));
	p->scratch = malloc(t->n ? t->n * 32 : 1);
	if (p->cells == NULL || p->scratch == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	return 0;
}

static int
write_header(struct ctparts *p)
{
	ctcsv_template_headers(p->t, p->cells);
	return csv_write_row(p->fp, ',', p->cells, p->t->n, NULL);
}

/* The name of what p->fp writes, for messages. */
static const char *
current_name(const struct ctparts *p)
{
	return p->nparts > 0 ? p->parts[p->nparts - 1]->path : "the temporary output";
}

static int
write_failed(const struct ctparts *p, struct j2w_err *err)
{
	return err_set_errno(err, J2W_ESYS, "cannot write '%s'", current_name(p));
}

/* Starts part nparts + 1 under name (taken). */
static int
start_part(struct ctparts *p, char *name, struct j2w_err *err)
{
	int rc;

	if (name == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	/* each part has an address of its own: atomicfile keeps it for signals */
	if (p->nparts == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4;
		struct atomic_file **n = realloc(p->parts, cap * sizeof(*n));

		if (n == NULL) {
			free(name);
			return err_set(err, J2W_ESYS, "out of memory");
		}
		p->parts = n;
		p->cap = cap;
	}
	if ((p->parts[p->nparts] = calloc(1, sizeof(**p->parts))) == NULL) {
		free(name);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	rc = atomic_open(p->parts[p->nparts], name, 0, err);
	free(name);
	if (rc < 0) {
		free(p->parts[p->nparts]);
		return -1;
	}
	p->fp = p->parts[p->nparts++]->fp;
	p->in_part = 0;
	p->header_due = 1;
	return 0;
}

int
ctparts_open(struct ctparts *p, const struct ctcsv_template *t, const char *path,
    int numbered, size_t max_rows, struct j2w_err *err)
{
	if (setup(p, t, max_rows, err) < 0)
		return -1;
	p->numbered = numbered;
	p->path = strdup(path);
	if (p->path == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	return numbered ? 0 : start_part(p, strdup(path), err);
}

int
ctparts_open_stream(struct ctparts *p, const struct ctcsv_template *t, FILE *fp,
    size_t max_rows, struct j2w_err *err)
{
	if (setup(p, t, max_rows, err) < 0)
		return -1;
	p->fp = fp;
	p->header_due = 1;
	return 0;
}

/* Flushes, syncs and closes the current part, which keeps its temporary name. */
static int
seal(struct ctparts *p, struct j2w_err *err)
{
	struct atomic_file *af = p->parts[p->nparts - 1];
	int rc = 0;

	/* a device or pipe written in place (no temporary name) cannot be synced */
	if (fflush(af->fp) != 0 || ferror(af->fp) ||
	    (af->tmp != NULL && fsync(fileno(af->fp)) < 0))
		rc = write_failed(p, err);
	if (fclose(af->fp) != 0 && rc == 0)
		rc = write_failed(p, err);
	af->fp = NULL;
	p->fp = NULL;
	return rc;
}

int
ctparts_next(struct ctparts *p, struct j2w_err *err)
{
	if (p->path == NULL)
		return err_set(err, J2W_EUSAGE, "internal: a stream has no parts");
	if (p->nparts == 1 && !p->numbered) {
		struct atomic_file *first = p->parts[0];
		char *name;

		/* PATH was the only part so far: it becomes PATH-001 */
		if (first->tmp == NULL)
			return err_set(err, J2W_EUSAGE, "'%s' is not a regular file: it cannot be "
			    "split into parts", p->path);
		name = ctcsv_part_name(p->path, 1);
		if (name == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		free(first->path);
		first->path = name;
	}
	if (p->nparts > 0 && seal(p, err) < 0)
		return -1;
	return start_part(p, ctcsv_part_name(p->path, (unsigned)p->nparts + 1), err);
}

/* Makes room for one more row. Returns 1 to write it, 0 to count it only, -1 with err. */
static int
room(struct ctparts *p, struct j2w_err *err)
{
	if (p->overflow)
		return 0;
	if (p->max_rows > 0 && p->in_part >= p->max_rows) {
		if (p->path == NULL) {
			p->overflow = 1;
			return 0;
		}
		if (ctparts_next(p, err) < 0)
			return -1;
	}
	if (p->fp == NULL && ctparts_next(p, err) < 0)
		return -1;
	/* the header comes with the first row: no rows, no lone header */
	if (p->header_due) {
		if (write_header(p) < 0)
			return write_failed(p, err);
		p->header_due = 0;
	}
	return 1;
}

int
ctparts_format(struct ctparts *p, FILE *fp, const json_t *rec)
{
	ctcsv_template_cells(p->t, rec, p->cells, p->scratch);
	return csv_write_row(fp, ',', p->cells, p->t->n, p->t->phone);
}

int
ctparts_row(struct ctparts *p, const json_t *rec, struct j2w_err *err)
{
	int rc = room(p, err);

	if (rc < 0)
		return -1;
	p->rows++;
	if (rc == 0)
		return 0;
	p->in_part++;
	return ctparts_format(p, p->fp, rec) < 0 ? write_failed(p, err) : 0;
}

int
ctparts_raw(struct ctparts *p, const void *row, size_t len, struct j2w_err *err)
{
	int rc = room(p, err);

	if (rc < 0)
		return -1;
	p->rows++;
	if (rc == 0)
		return 0;
	p->in_part++;
	return fwrite(row, 1, len, p->fp) != len ? write_failed(p, err) : 0;
}

int
ctparts_commit(struct ctparts *p, struct j2w_err *err)
{
	size_t i;

	if (p->path == NULL) {
		if (fflush(p->fp) != 0 || ferror(p->fp))
			return write_failed(p, err);
		return 0;
	}
	/* every part complete before any is renamed into place */
	if (p->fp != NULL && seal(p, err) < 0)
		return -1;
	for (i = 0; i < p->nparts; i++) {
		if (atomic_rename(p->parts[i], err) < 0)
			break;
	}
	return i == p->nparts ? 0 : -1;
}

void
ctparts_release(struct ctparts *p)
{
	for (size_t i = 0; i < p->nparts; i++) {
		atomic_abort(p->parts[i]);
		free(p->parts[i]);
	}
	free(p->parts);
	free(p->path);
	free(p->cells);
	free(p->scratch);
	p->parts = NULL;
	p->path = NULL;
	p->cells = NULL;
	p->scratch = NULL;
	p->nparts = p->cap = 0;
	p->fp = NULL;
}
