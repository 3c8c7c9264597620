/*
 * The settings generate writes: GROUP/PARAM=VALUE as --set gives it, the check
 * of one setting against the parameter dictionary, a list where a later
 * setting replaces an earlier one, and merging the list into a document.
 */
#ifndef J2W_JABSETTINGS_H
#define J2W_JABSETTINGS_H

#include <stddef.h>

#include "jabber/jabcfg.h"
#include "jabber/jabparams.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

/*
 * Splits arg "GROUP/PARAM=VALUE" (the first '/' before the first '='; the
 * group and parameter not empty, the value may be) into new strings in *out
 * (line 0), freed with jabsettings_setting_release. Returns 0, 1 when arg has
 * not that form (*out untouched), -1 when out of memory.
 */
int jabsettings_parse_set(const char *arg, struct jabcfg_setting *out);
/* Frees the strings of one setting and clears it. */
void jabsettings_setting_release(struct jabcfg_setting *s);

/* What the dictionary says of one setting. */
enum jabsettings_verdict {
	JABSET_OK,		/* known, in its group, a good value */
	JABSET_WARN,		/* written, but why says what is doubtful */
	JABSET_UNKNOWN,		/* a well-formed name the dictionary lacks */
	JABSET_BAD		/* refused: why says why */
};

/*
 * Checks group/param=value against dict, in this order: the value is UTF-8
 * without control characters (tab allowed), param is an element name, group is
 * one of the seven groups (exact case), param is in the dictionary (exact
 * case), belongs in group, and value suits its type. On WARN and BAD appends
 * to why the reason, such as "the group is spelt 'Policies'" or "'X' expects
 * true or false, not 'maybe'"; on UNKNOWN "unknown parameter 'X'".
 */
enum jabsettings_verdict jabsettings_check(const struct jabparams_dict *dict, const char *group,
    const char *param, const char *value, struct strbuf *why);

/* What building or merging the settings has to tell. */
enum jabsettings_note {
	JABSET_WARNING,		/* a doubtful value, a mis-cased copy left alone */
	JABSET_CHANGE		/* a parameter added to or changed in the file */
};

/* Receives each note as a whole message ("FILE:LINE: changed X from 'a' to 'b'"). */
typedef void (*jabsettings_note_fn)(enum jabsettings_note kind, const char *msg, void *ctx);

/*
 * Adds the setting --set arg gives ("GROUP/PARAM=VALUE", see
 * jabsettings_parse_set) to the list, replacing one of the same parameter,
 * once jabsettings_check accepts it (an unknown parameter only with
 * allow_unknown). A doubtful value is a JABSET_WARNING to note (may be NULL).
 * Returns 0; 1 with err (J2W_EUSAGE, "ARG: why") when arg is refused; -1 with
 * err (J2W_ESYS).
 */
int jabsettings_add_set(const struct jabparams_dict *dict, struct jabcfg_setting **list,
    size_t *n, const char *arg, int allow_unknown, jabsettings_note_fn note, void *ctx,
    struct j2w_err *err);

/*
 * Checks the list generate is about to write: every value is given (a
 * template may leave one empty for --set to fill), and every setting from a
 * template (line > 0) passes jabsettings_check, unknown parameters allowed.
 * Returns 0; 1 with err (J2W_EUSAGE) naming the first refused; -1 (J2W_ESYS).
 */
int jabsettings_verify(const struct jabparams_dict *dict, const struct jabcfg_setting *list,
    size_t n, jabsettings_note_fn note, void *ctx, struct j2w_err *err);

/*
 * Adds group/param=value (copied) to the list *list of *n, or replaces the
 * group, value and line of the setting with the same parameter name.
 * Returns 0, or -1 with err (J2W_ESYS) and the list as it was.
 */
int jabsettings_put(struct jabcfg_setting **list, size_t *n, const char *group,
    const char *param, const char *value, unsigned long line, struct j2w_err *err);

/*
 * Puts every parameter of doc (a template), in document order and with its
 * line, into the list as jabsettings_put does. Returns 0, or -1 with err.
 */
int jabsettings_put_doc(struct jabcfg_setting **list, size_t *n, const struct jabcfg_doc *doc,
    struct j2w_err *err);

/*
 * Sets every setting of want[0..n) in doc (jabcfg_set; label names doc in
 * messages) and notes (note may be NULL) each copy of a parameter under a case
 * dict does not document, which is set in place (a JABSET_WARNING), and each
 * parameter added or changed
 * (a JABSET_CHANGE, without the values of a secret), with the line numbers of
 * doc as it was. Returns the number of settings that changed bytes, or -1
 * with err.
 */
long jabsettings_apply(struct jabcfg_doc *doc, const struct jabparams_dict *dict,
    const struct jabcfg_setting *want, size_t n,
    const char *label, jabsettings_note_fn note, void *ctx, struct j2w_err *err);

/* Whether param holds a secret whose value is never shown: its name ends in "password". */
int jabsettings_secret(const char *param);

/* How many parameters doc holds: elements two levels below the root. */
size_t jabsettings_count(const struct jabcfg_doc *doc);

#endif
