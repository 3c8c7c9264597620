/*
 * Where jabber-config files come from and go to: reading one whole, the
 * templates and dictionary under templates/, and the names generate and
 * extract give the files they write.
 */
#ifndef J2W_JABFILES_H
#define J2W_JABFILES_H

#include <stddef.h>

#include "jabber/jabcfg.h"
#include "jabber/jablint.h"
#include "jabber/jabparams.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

/*
 * Reads path ("-": stdin) whole into out, at most JC_DOC_MAX + 1 bytes so
 * that jabcfg_parse sees a file that is too large. out is initialised here
 * and must be released either way. Returns 0, or -1 with err: J2W_EUSAGE
 * "cannot open 'PATH': why", J2W_ESYS "cannot read 'PATH': why".
 */
int jabfiles_read(const char *path, struct strbuf *out, struct j2w_err *err);

/*
 * Writes buf[0..len) to path through a temporary name beside it (atomicfile),
 * so that a reader never sees half a file. Returns 0, or -1 with err
 * (J2W_ESYS "cannot write 'PATH': why", or atomic_open's and atomic_commit's).
 */
int jabfiles_write(const char *path, const char *buf, size_t len, struct j2w_err *err);

/*
 * Reads and parses path (named so in messages) as a jabber-config.xml whose
 * root is <config>. Returns 0, or -1 with err (jabfiles_read's and
 * jabcfg_parse's, or J2W_EDATA "PATH: line N: the root element is <x>, not
 * <config>") and doc released.
 */
int jabfiles_load_config(struct jabcfg_doc *doc, const char *path, struct j2w_err *err);

/*
 * Reads path ("-": stdin, named "stdin" in findings) and lints it (jablint_lint
 * with o, emit and ctx). Returns 0; 1 with err (jabfiles_read's) when the file
 * cannot be read, nothing linted; -1 with err when linting stopped.
 */
int jabfiles_lint(const char *path, const struct jablint_opts *o, jablint_emit_fn emit, void *ctx,
    struct j2w_err *err);

/*
 * Lints each of files[0..n) as jabfiles_lint does; a file that cannot be read
 * is told to warn (its message; warn may be NULL) and the others are still
 * linted. *nread counts the files linted. Returns 0, or the worst status of
 * the files that could not be read (J2W_EUSAGE, J2W_ESYS), or -1 with err when
 * linting stopped.
 */
int jabfiles_lint_files(char *const *files, int n, const struct jablint_opts *o,
    jablint_emit_fn emit, void *ctx, void (*warn)(void *wctx, const char *msg), void *wctx,
    unsigned long *nread, struct j2w_err *err);

/*
 * A jablint_emit_fn that writes each finding to ctx, a struct findings_out
 * (record/findings.h), and frees it. Returns findings_out_put's result.
 */
int jabfiles_emit_out(json_t *finding, enum severity sev, void *ctx);

/* Whether writing path would replace an existing regular file ("-" never does). */
int jabfiles_exists(const char *path);

/* Parses an empty jabber-config.xml (<config version="1.0">, no group) into doc, named "new file". */
int jabfiles_new(struct jabcfg_doc *doc, struct j2w_err *err);

/*
 * Settles the document generate edits into doc (zeroed, or holding the first
 * template): the file merge names (as
 * jabfiles_load_config) when merge is not NULL, else doc itself when it holds
 * a template already (its comments stay), else a new file (jabfiles_new).
 * Returns how messages name it (merge, "template" or "new file"), or NULL
 * with err.
 */
const char *jabfiles_base(struct jabcfg_doc *doc, const char *merge, struct j2w_err *err);

/* Loads tdir/jabber-params.tsv. Returns 0, or -1 with err (jabparams_dict_load's). */
int jabfiles_dict(const char *tdir, struct jabparams_dict *dict, struct j2w_err *err);

/* Whether name can name a template: one or more of a-z, 0-9 and '-'. */
int jabfiles_template_name_ok(const char *name);

/*
 * Parses the template tdir/jabber-config/NAME.xml into doc. Returns 0; 1 with
 * err (J2W_EUSAGE) when name is not a template name or there is no readable
 * such file ("no template 'NAME' (PATH: why)"); -1 with err when the file
 * cannot be read or parsed, or memory runs out.
 */
int jabfiles_template(const char *tdir, const char *name, struct jabcfg_doc *doc,
    struct j2w_err *err);

/* Whether group suits --group: not empty, no '/'. */
int jabfiles_group_name_ok(const char *group);

/*
 * Appends the file generate writes: output when given (not NULL), else
 * jabber-config-GROUP.xml for a group (not NULL), else jabber-config.xml.
 * Returns 0 or -1 (strbuf).
 */
int jabfiles_output_name(const char *output, const char *group, struct strbuf *out);

/*
 * Makes sure dir is a directory extract can write into, creating it when
 * missing. Returns 0, or -1 with err: J2W_ESYS "cannot create 'DIR': why",
 * J2W_EUSAGE "'DIR' is not a directory".
 */
int jabfiles_output_dir(const char *dir, struct j2w_err *err);

/*
 * Appends to out (empty) the file extract writes a profile to:
 * DIR/jabber-config-SAFE.xml, where safe is the profile name made safe for a
 * file name. When one of earlier[0..n) (the paths of the profiles before it,
 * empty for those without one) is already that file, -lineLINE goes before
 * .xml and *clash gets that profile's index. Returns 0, 1 after a clash, or -1
 * when out cannot grow.
 */
int jabfiles_extract_path(const char *dir, const char *safe, unsigned long line,
    const struct strbuf *earlier, size_t n, struct strbuf *out, size_t *clash);

#endif
