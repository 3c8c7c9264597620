/* extract's plan: files, names and clashes, and notes about missing UC services. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/spextract.h"

/* Adds a note before the next file; -1 when out of memory. */
__attribute__((format(printf, 2, 3)))
static int
note(struct spextract_plan *plan, const char *fmt, ...)
{
	struct spextract_note *n;
	struct strbuf sb;
	va_list ap;
	int rc;

	n = realloc(plan->notes, (plan->nnotes + 1) * sizeof(*n));
	if (n == NULL)
		return -1;
	plan->notes = n;
	strbuf_init(&sb, 0);
	va_start(ap, fmt);
	rc = strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		strbuf_release(&sb);
		return -1;
	}
	n[plan->nnotes].before = plan->nfiles;
	n[plan->nnotes++].msg = strbuf_detach(&sb, NULL);
	return 0;
}

/* The notes for profile p naming a UC service that cannot be followed. */
static int
note_missing(struct spextract_plan *plan, const struct serviceprofile_list *l,
    const struct serviceprofile_profile *p, enum serviceprofile_client c,
    const struct serviceprofile_config *cfg)
{
	int rc;

	if (l->uc.label != NULL)
		rc = note(plan, "%s:%lu: profile '%s' names UC service '%s' for %s clients, which "
		    "is not in %s", l->label, p->line, p->name, cfg->service,
		    serviceprofile_client_name(c), l->uc.label);
	else
		rc = note(plan, "%s:%lu: profile '%s' names UC service '%s' for %s clients, and "
		    "there is no ucservice.csv to find it in", l->label, p->line, p->name,
		    cfg->service, serviceprofile_client_name(c));
	if (rc == 0 && cfg->cell != NULL)
		rc = note(plan, "%s:%lu: writing profile '%s' from its own client configuration "
		    "column", l->label, p->line, p->name);
	return rc;
}

/* Plans client c of profile i: 0 (a file, or none to write), or -1 with err. */
static int
plan_client(struct spextract_plan *plan, const struct serviceprofile_list *l, size_t i,
    enum serviceprofile_client c, const char *dir, spextract_path_fn path, size_t xml_max,
    unsigned char *done, struct j2w_err *err)
{
	const struct serviceprofile_profile *p = &l->p[i];
	struct spextract_file *f = &plan->files[plan->nfiles];
	struct serviceprofile_config cfg;
	struct strbuf safe;
	size_t k;
	int rc;

	serviceprofile_resolve(l, p, c, &cfg);
	if (cfg.missing) {
		if (note_missing(plan, l, p, c, &cfg) < 0)
			return err_set(err, J2W_ESYS, "out of memory");
		if (cfg.cell == NULL) {
			plan->missing++;
			done[i] = 1;
		}
	}
	if (cfg.cell == NULL)
		return 0;
	strbuf_init(&f->xml, xml_max);
	rc = serviceprofile_config_xml(cfg.cell, cfg.from_service, &f->xml);
	if (rc <= 0) {
		strbuf_release(&f->xml);
		if (rc < 0)
			return err_set(err, J2W_EDATA, "%s:%lu: the client configuration of '%s' is "
			    "too large", cfg.label, cfg.line, p->name);
		return 0;
	}
	f->profile = i;
	strbuf_init(&plan->paths[plan->nfiles], 0);
	strbuf_init(&safe, 0);
	/* the common configuration is the profile's file; the others are named so */
	rc = serviceprofile_file_name(p->name, &safe);
	if (rc == 0 && c != SP_COMMON)
		rc = strbuf_addf(&safe, "-%s", serviceprofile_client_name(c));
	if (rc == 0) {
		rc = path(dir, safe.buf, p->line, plan->paths, plan->nfiles,
		    &plan->paths[plan->nfiles], &k);
		if (rc > 0 && (rc = note(plan, "%s:%lu: profile '%s' has the same file name as line "
		    "%lu; writing it with -line%lu", l->label, p->line, p->name,
		    l->p[plan->files[k].profile].line, p->line)) == 0)
			rc = 1;
	}
	strbuf_release(&safe);
	if (rc < 0) {
		strbuf_release(&plan->paths[plan->nfiles]);
		strbuf_release(&f->xml);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	plan->nfiles++;
	done[i] = 1;
	return 0;
}

int
spextract_plan(struct spextract_plan *plan, const struct serviceprofile_list *l,
    const char *dir, spextract_path_fn path, size_t xml_max, struct j2w_err *err)
{
	unsigned char *done;
	int rc = 0;

	memset(plan, 0, sizeof(*plan));
	plan->label = l->label;
	plan->profiles = l->n;
	plan->files = calloc(l->n ? l->n * SP_CLIENTS : 1, sizeof(*plan->files));
	plan->paths = calloc(l->n ? l->n * SP_CLIENTS : 1, sizeof(*plan->paths));
	done = calloc(l->n ? l->n : 1, 1);
	if (plan->files == NULL || plan->paths == NULL || done == NULL) {
		free(done);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	for (size_t i = 0; i < l->n && rc == 0; i++)
		for (int c = 0; c < SP_CLIENTS && rc == 0; c++)
			rc = plan_client(plan, l, i, (enum serviceprofile_client)c, dir, path, xml_max,
			    done, err);
	for (size_t i = 0; i < l->n; i++)
		plan->without += !done[i];
	free(done);
	return rc;
}

void
spextract_plan_release(struct spextract_plan *plan)
{
	for (size_t i = 0; i < plan->nfiles; i++) {
		strbuf_release(&plan->paths[i]);
		strbuf_release(&plan->files[i].xml);
	}
	for (size_t i = 0; i < plan->nnotes; i++)
		free(plan->notes[i].msg);
	free(plan->files);
	free(plan->paths);
	free(plan->notes);
	memset(plan, 0, sizeof(*plan));
}

void
spextract_describe(const struct spextract_plan *plan, struct strbuf *sb)
{
	strbuf_addf(sb, "%s: ", plan->label);
	strbuf_add_count(sb, plan->profiles, "service profile", NULL);
	strbuf_addstr(sb, ", ");
	strbuf_add_count(sb, plan->nfiles, "file", NULL);
	strbuf_addf(sb, " written, %zu without a client configuration", plan->without);
	if (plan->missing > 0) {
		strbuf_addstr(sb, ", ");
		strbuf_add_count(sb, plan->missing, "UC service", NULL);
		strbuf_addstr(sb, " not found");
	}
}
