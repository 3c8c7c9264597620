/* Finding the templates/ directory (jabber-config templates, dictionaries, CSV column sets). */
#ifndef J2W_TEMPLATES_H
#define J2W_TEMPLATES_H

#include "util/j2w_err.h"

/*
 * The directory that holds probe (a path relative to it, such as
 * "jabber-params.tsv"), looked up in this order: opt (from --templates) when
 * not NULL, then $J2W_TEMPLATES, each used as given; then the compiled-in
 * J2W_TEMPLATES_DIR ($(PREFIX)/share/j2w), the templates/ directory beside
 * the running binary's ../ (a build tree), and ../share/j2w beside the binary
 * (an install moved elsewhere), each only when probe is there.
 * Returns a new string the caller frees, or NULL with err (J2W_EUSAGE when
 * opt or $J2W_TEMPLATES lacks probe, J2W_ESYS when no candidate has it).
 */
char *templates_dir(const char *opt, const char *probe, struct j2w_err *err);

/*
 * The path of name in the templates directory as found without --templates
 * (templates_dir(NULL, name, ...)): a new string the caller frees, or NULL
 * with err (templates_dir's, J2W_ESYS out of memory).
 */
char *templates_find(const char *name, struct j2w_err *err);

/* dir + "/" + rel as a new string (caller frees), or NULL on ENOMEM. */
char *templates_path(const char *dir, const char *rel);

#endif
