/* Reading jabber-config files and templates, and naming the files generate and extract write. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jabber/jabfiles.h"
#include "util/atomicfile.h"
#include "util/spool.h"
#include "util/templates.h"

int
jabfiles_read(const char *path, struct strbuf *out, struct j2w_err *err)
{
	FILE *fp = spool_open_input(path, 0, err);
	char chunk[65536];
	size_t n, max = JC_DOC_MAX;

	strbuf_init(out, max + 1);
	if (fp == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (out->len + n > max + 1)
			n = max + 1 - out->len;
		strbuf_add(out, chunk, n);
		if (out->len > max)
			break;
	}
	if (ferror(fp)) {
		err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
		spool_close_input(fp);
		return -1;
	}
	spool_close_input(fp);
	return 0;
}

int
jabfiles_write(const char *path, const char *buf, size_t len, struct j2w_err *err)
{
	struct atomic_file af;

	if (atomic_open(&af, path, 0, err) < 0)
		return -1;
	if (fwrite(buf, 1, len, af.fp) != len) {
		atomic_abort(&af);
		return err_set_errno(err, J2W_ESYS, "cannot write '%s'", path);
	}
	return atomic_commit(&af, err);
}

int
jabfiles_lint(const char *path, const struct jablint_opts *o, jablint_emit_fn emit, void *ctx,
    struct j2w_err *err)
{
	struct strbuf data;
	const char *label = strcmp(path, "-") == 0 ? "<stdin>" : path;
	int rc = 1;

	if (jabfiles_read(path, &data, err) == 0)
		rc = jablint_lint(data.buf, data.len, label, o, emit, ctx, err);
	strbuf_release(&data);
	return rc;
}

int
jabfiles_lint_files(char *const *files, int n, const struct jablint_opts *o,
    jablint_emit_fn emit, void *ctx, void (*warn)(void *wctx, const char *msg), void *wctx,
    unsigned long *nread, struct j2w_err *err)
{
	int status = 0;

	for (int i = 0; i < n; i++) {
		struct j2w_err e;
		int rc = jabfiles_lint(files[i], o, emit, ctx, &e);

		if (rc < 0) {
			*err = e;
			return -1;
		}
		if (rc > 0) {
			if (warn != NULL)
				warn(wctx, e.msg);
			if ((int)e.status > status)
				status = (int)e.status;
		} else {
			(*nread)++;
		}
	}
	return status;
}

int
jabfiles_emit_out(json_t *finding, enum severity sev, void *ctx)
{
	int rc = findings_out_put(ctx, finding);

	json_decref(finding);
	return rc;
}

int
jabfiles_exists(const char *path)
{
	struct stat st;

	return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Reads and parses path; the root may be anything. */
static int
load(struct jabcfg_doc *doc, const char *path, struct j2w_err *err)
{
	struct strbuf data;
	int rc = jabfiles_read(path, &data, err);

	if (rc == 0)
		rc = jabcfg_parse(doc, data.buf, data.len, path, err);
	strbuf_release(&data);
	return rc;
}

int
jabfiles_load_config(struct jabcfg_doc *doc, const char *path, struct j2w_err *err)
{
	if (load(doc, path, err) < 0)
		return -1;
	if (strcmp(doc->el[0].name, "config") != 0) {
		err_set(err, J2W_EDATA, "%s:%lu: the root element is <%s>, not <config>", path,
		    doc->el[0].line, doc->el[0].name);
		jabcfg_release(doc);
		return -1;
	}
	return 0;
}

static const char empty_config[] =
"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<config version=\"1.0\">\n</config>\n";

int
jabfiles_new(struct jabcfg_doc *doc, struct j2w_err *err)
{
	return jabcfg_parse(doc, empty_config, strlen(empty_config), "new file", err);
}

const char *
jabfiles_base(struct jabcfg_doc *doc, const char *merge, struct j2w_err *err)
{
	if (merge != NULL) {
		jabcfg_release(doc);
		return jabfiles_load_config(doc, merge, err) < 0 ? NULL : merge;
	}
	if (doc->buf != NULL)
		return "template";
	return jabfiles_new(doc, err) < 0 ? NULL : "new file";
}

int
jabfiles_dict(const char *tdir, struct jabparams_dict *dict, struct j2w_err *err)
{
	char *path = templates_path(tdir, "jabber-params.tsv");
	int rc;

	if (path == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	rc = jabparams_dict_load(dict, path, err);
	free(path);
	return rc;
}

int
jabfiles_template_name_ok(const char *name)
{
	return *name != '\0' &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(name);
}

int
jabfiles_template(const char *tdir, const char *name, struct jabcfg_doc *doc,
    struct j2w_err *err)
{
	struct strbuf rel;
	char *path;
	int rc = 0;

	/* checked here too: a name is never a path of its own */
	if (!jabfiles_template_name_ok(name)) {
		err_set(err, J2W_EUSAGE, "'%s' is not a template name", name);
		return 1;
	}
	strbuf_init(&rel, 0);
	if (strbuf_addf(&rel, "jabber-config/%s.xml", name) < 0 ||
	    (path = templates_path(tdir, rel.buf)) == NULL) {
		strbuf_release(&rel);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	strbuf_release(&rel);
	if (access(path, R_OK) != 0) {
		err_set(err, J2W_EUSAGE, "no template '%s' (%s: %s)", name, path, strerror(errno));
		rc = 1;
	} else if (load(doc, path, err) < 0) {
		rc = -1;
	}
	free(path);
	return rc;
}

int
jabfiles_group_name_ok(const char *group)
{
	return *group != '\0' && strchr(group, '/') == NULL;
}

int
jabfiles_output_name(const char *output, const char *group, struct strbuf *out)
{
	if (output != NULL)
		return strbuf_addstr(out, output);
	if (group != NULL)
		return strbuf_addf(out, "jabber-config-%s.xml", group);
	return strbuf_addstr(out, "jabber-config.xml");
}

int
jabfiles_output_dir(const char *dir, struct j2w_err *err)
{
	struct stat st;

	if (stat(dir, &st) < 0) {
		if (mkdir(dir, 0777) < 0)
			return err_set_errno(err, J2W_ESYS, "cannot create '%s'", dir);
	} else if (!S_ISDIR(st.st_mode)) {
		return err_set(err, J2W_EUSAGE, "'%s' is not a directory", dir);
	}
	return 0;
}

int
jabfiles_extract_path(const char *dir, const char *safe, unsigned long line,
    const struct strbuf *earlier, size_t n, struct strbuf *out, size_t *clash)
{
	int rc = 0;

	if (strbuf_addf(out, "%s/jabber-config-%s", dir, safe) < 0)
		return -1;
	for (size_t k = 0; k < n; k++) {
		/* the same file, or one that is this name with .xml already after it */
		if (strcmp(earlier[k].buf, out->buf) == 0 || (earlier[k].len > 0 &&
		    strncmp(earlier[k].buf, out->buf, out->len) == 0 &&
		    strcmp(earlier[k].buf + out->len, ".xml") == 0)) {
			if (strbuf_addf(out, "-line%lu", line) < 0)
				return -1;
			*clash = k;
			rc = 1;
			break;
		}
	}
	return strbuf_addstr(out, ".xml") < 0 ? -1 : rc;
}
