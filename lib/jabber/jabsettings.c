/* Settings for generate: parsed from --set, checked against the dictionary, merged into a file. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jabber/jabsettings.h"
#include "util/utf8.h"

int
jabsettings_parse_set(const char *arg, struct jabcfg_setting *out)
{
	const char *slash = strchr(arg, '/'), *eq = strchr(arg, '=');
	struct jabcfg_setting s = { 0 };

	if (slash == NULL || eq == NULL || eq < slash || slash == arg || eq == slash + 1)
		return 1;
	s.group = strndup(arg, (size_t)(slash - arg));
	s.param = strndup(slash + 1, (size_t)(eq - slash - 1));
	s.value = strdup(eq + 1);
	if (s.group == NULL || s.param == NULL || s.value == NULL) {
		jabsettings_setting_release(&s);
		return -1;
	}
	*out = s;
	return 0;
}

void
jabsettings_setting_release(struct jabcfg_setting *s)
{
	free(s->group);
	free(s->param);
	free(s->value);
	memset(s, 0, sizeof(*s));
}

/* Whether param can be an XML element name as jabber-config uses them. */
static int
element_name(const char *param)
{
	for (const char *c = param; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-' && *c != '.')
			return 0;
	return *param != '\0' && !isdigit((unsigned char)*param) && *param != '-' && *param != '.';
}

enum jabsettings_verdict
jabsettings_check(const struct jabparams_dict *dict, const char *group, const char *param,
    const char *value, struct strbuf *why)
{
	const struct jabparams_param *p = jabparams_find(dict, param);
	const char *g = jabparams_group_find(group, 0);
	struct strbuf reason;
	enum jabsettings_verdict v = JABSET_OK;

	if (utf8_invalid_at(value, strlen(value)) != strlen(value)) {
		strbuf_addstr(why, "the value is not UTF-8");
		return JABSET_BAD;
	}
	for (const char *c = value; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t') {
			strbuf_addstr(why, "the value holds a control character");
			return JABSET_BAD;
		}
	if (!element_name(param)) {
		strbuf_addf(why, "'%s' is not an element name", param);
		return JABSET_BAD;
	}
	if (g == NULL) {
		if ((g = jabparams_group_find(group, 1)) != NULL)
			strbuf_addf(why, "the group is spelt '%s'", g);
		else
			strbuf_addf(why, "'%s' is not a group (Client, Directory, Options, Phone, "
			    "Policies, Presence, Voicemail)", group);
		return JABSET_BAD;
	}
	if (p == NULL) {
		const struct jabparams_param *f = jabparams_find_fold(dict, param);

		if (f != NULL) {
			strbuf_addf(why, "the parameter is spelt '%s'", f->name);
			return JABSET_BAD;
		}
		strbuf_addf(why, "unknown parameter '%s'", param);
		return JABSET_UNKNOWN;
	}
	if (p->status == JP_ELSEWHERE) {
		strbuf_addf(why, "'%s' is not read from jabber-config.xml: %s", param, p->meaning);
		return JABSET_BAD;
	}
	if (!jabparams_in_group(p, g)) {
		strbuf_addf(why, "'%s' belongs in group %s", param, p->groups[0]);
		return JABSET_BAD;
	}
	strbuf_init(&reason, 0);
	switch (jabparams_check_value(p, value, &reason)) {
	case JP_VALUE_OK:
		break;
	case JP_VALUE_WARN:
		strbuf_addf(why, "'%s' %s", param, reason.buf);
		v = JABSET_WARN;
		break;
	case JP_VALUE_BAD:
		strbuf_addf(why, "'%s' %s, not '%s'", param, reason.buf, value);
		v = JABSET_BAD;
		break;
	}
	strbuf_release(&reason);
	return v;
}

int
jabsettings_put(struct jabcfg_setting **list, size_t *n, const char *group, const char *param,
    const char *value, unsigned long line, struct j2w_err *err)
{
	struct jabcfg_setting *s;

	for (size_t i = 0; i < *n; i++) {
		char *g, *v;

		if (strcmp((*list)[i].param, param) != 0)
			continue;
		g = strdup(group);
		v = strdup(value);
		if (g == NULL || v == NULL) {
			free(g);
			free(v);
			return err_set(err, J2W_ESYS, "out of memory");
		}
		s = &(*list)[i];
		free(s->group);
		free(s->value);
		s->group = g;
		s->value = v;
		s->line = line;
		return 0;
	}
	s = realloc(*list, (*n + 1) * sizeof(**list));
	if (s == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	*list = s;
	s = &s[*n];
	s->group = strdup(group);
	s->param = strdup(param);
	s->value = strdup(value);
	s->line = line;
	if (s->group == NULL || s->param == NULL || s->value == NULL) {
		jabsettings_setting_release(s);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	(*n)++;
	return 0;
}

int
jabsettings_put_doc(struct jabcfg_setting **list, size_t *n, const struct jabcfg_doc *doc,
    struct j2w_err *err)
{
	struct jabcfg_setting *s;
	size_t ns;
	int rc = 0;

	if (jabcfg_settings(doc, &s, &ns, err) < 0)
		return -1;
	for (size_t i = 0; i < ns && rc == 0; i++)
		rc = jabsettings_put(list, n, s[i].group, s[i].param, s[i].value, s[i].line, err);
	jabcfg_settings_free(s, ns);
	return rc;
}

int
jabsettings_secret(const char *param)
{
	size_t len = strlen(param);

	return len >= 8 && strcasecmp(param + len - 8, "password") == 0;
}

/* Composes a message and hands it to note; returns -1 only when out of memory. */
static int notef(jabsettings_note_fn note, void *ctx, enum jabsettings_note kind,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
notef(jabsettings_note_fn note, void *ctx, enum jabsettings_note kind, const char *fmt, ...)
{
	struct strbuf msg;
	va_list ap;
	int rc;

	if (note == NULL)
		return 0;
	strbuf_init(&msg, 0);
	va_start(ap, fmt);
	rc = strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (rc == 0)
		note(kind, msg.buf, ctx);
	strbuf_release(&msg);
	return rc;
}

/* jabsettings_check for a setting that what names, worded for the user. */
static int
judge(const struct jabparams_dict *dict, const char *group, const char *param,
    const char *value, const char *what, int allow_unknown, jabsettings_note_fn note,
    void *ctx, struct j2w_err *err)
{
	struct strbuf why;
	int rc = 0;

	strbuf_init(&why, 0);
	switch (jabsettings_check(dict, group, param, value, &why)) {
	case JABSET_OK:
		break;
	case JABSET_WARN:
		if (notef(note, ctx, JABSET_WARNING, "%s: %s", what, why.buf) < 0)
			rc = err_set(err, J2W_ESYS, "out of memory");
		break;
	case JABSET_UNKNOWN:
		if (!allow_unknown) {
			err_set(err, J2W_EUSAGE, "%s: %s (not in jabber-params.tsv; --allow-unknown "
			    "writes it anyway)", what, why.buf);
			rc = 1;
		}
		break;
	case JABSET_BAD:
		err_set(err, J2W_EUSAGE, "%s: %s", what, why.buf);
		rc = 1;
		break;
	}
	strbuf_release(&why);
	return rc;
}

int
jabsettings_add_set(const struct jabparams_dict *dict, struct jabcfg_setting **list,
    size_t *n, const char *arg, int allow_unknown, jabsettings_note_fn note, void *ctx,
    struct j2w_err *err)
{
	struct jabcfg_setting set;
	int rc = jabsettings_parse_set(arg, &set);

	if (rc < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	if (rc > 0) {
		err_set(err, J2W_EUSAGE, "--set wants GROUP/PARAM=VALUE, not '%s'", arg);
		return 1;
	}
	rc = judge(dict, set.group, set.param, set.value, arg, allow_unknown, note, ctx, err);
	if (rc == 0)
		rc = jabsettings_put(list, n, set.group, set.param, set.value, 0, err);
	jabsettings_setting_release(&set);
	return rc;
}

int
jabsettings_verify(const struct jabparams_dict *dict, const struct jabcfg_setting *list,
    size_t n, jabsettings_note_fn note, void *ctx, struct j2w_err *err)
{
	for (size_t i = 0; i < n; i++) {
		int rc;

		if (list[i].value[0] == '\0') {
			err_set(err, J2W_EUSAGE, "the template needs a value: --set %s/%s=VALUE",
			    list[i].group, list[i].param);
			return 1;
		}
		if (list[i].line > 0 && (rc = judge(dict, list[i].group, list[i].param,
		    list[i].value, "template", 1, note, ctx, err)) != 0)
			return rc;
	}
	return 0;
}

long
jabsettings_apply(struct jabcfg_doc *doc, const struct jabparams_dict *dict,
    const struct jabcfg_setting *want, size_t n, const char *label, jabsettings_note_fn note,
    void *ctx, struct j2w_err *err)
{
	struct jabcfg_setting *orig = NULL;
	size_t norig = 0;
	long changed = 0;

	/* what the file held before, for reporting changes by its own line numbers */
	if (jabcfg_settings(doc, &orig, &norig, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct jabcfg_setting *w = &want[i];
		const char *before = NULL;
		unsigned long line = 0;
		int rc = 0, set = 0;

		/* jabcfg_set sets a copy under another case in place, keeping its spelling */
		for (size_t k = 0; k < norig && rc == 0; k++) {
			if (strcasecmp(orig[k].param, w->param) != 0)
				continue;
			if (before == NULL) {
				before = orig[k].value;
				line = orig[k].line;
			}
			if (strcmp(orig[k].param, w->param) != 0 &&
			    jabparams_find(dict, orig[k].param) == NULL)
				rc = notef(note, ctx, JABSET_WARNING, "%s:%lu: '%s' differs only in case "
				    "from '%s'; its value is set in place and its spelling kept", label,
				    orig[k].line, orig[k].param, w->param);
		}
		if (rc == 0 && (set = jabcfg_set(doc, w->group, w->param, w->value, label, err)) < 0) {
			changed = -1;
			break;
		}
		if (rc == 0 && set > 0 && before == NULL)
			rc = notef(note, ctx, JABSET_CHANGE, "%s: added %s/%s", label, w->group,
			    w->param);
		else if (rc == 0 && set > 0 && jabsettings_secret(w->param))
			rc = notef(note, ctx, JABSET_CHANGE, "%s:%lu: changed %s", label, line, w->param);
		else if (rc == 0 && set > 0)
			rc = notef(note, ctx, JABSET_CHANGE, "%s:%lu: changed %s from '%s' to '%s'",
			    label, line, w->param, before, w->value);
		if (rc < 0) {
			changed = err_set(err, J2W_ESYS, "out of memory");
			break;
		}
		changed += set;
	}
	jabcfg_settings_free(orig, norig);
	return changed;
}

size_t
jabsettings_count(const struct jabcfg_doc *doc)
{
	size_t n = 0;

	for (size_t i = 0; i < doc->n; i++)
		n += doc->el[i].depth == 2;
	return n;
}
