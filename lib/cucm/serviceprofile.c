/* serviceprofile.csv from a CUCM BAT export: the per-profile jabber-config XML. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cucm/serviceprofile.h"
#include "util/csvio.h"
#include "util/tar.h"

#define SP_CONFIG_COLUMN "JABBERCLIENTCONFIGURATION(JABBER-CONFIG.XML)_XML"

void
serviceprofile_list_release(struct serviceprofile_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->p[i].name);
		free(l->p[i].xml);
	}
	free(l->p);
	free(l->label);
	memset(l, 0, sizeof(*l));
}

/* The configuration column: exact folded name, else any *JABBER-CONFIG.XML*_XML column. */
static long
config_column(const struct csv_header *h)
{
	long c = csv_header_find(h, SP_CONFIG_COLUMN);

	if (c >= 0)
		return c;
	for (size_t i = 0; i < h->n; i++) {
		size_t n = strlen(h->folded[i]);

		if (strstr(h->folded[i], "JABBER-CONFIG.XML") != NULL && n > 4 &&
		    strcmp(h->folded[i] + n - 4, "_XML") == 0)
			return (long)i;
	}
	return -1;
}

static int
is_null(const char *s)
{
	return s == NULL || *s == '\0' || strcmp(s, "NULL") == 0;
}

static int
read_rows(struct serviceprofile_list *l, FILE *fp, off_t limit, struct j2w_err *err)
{
	struct csv_reader r;
	struct csv_header h = { 0 };
	long cname, cxml;
	size_t cap = 0;
	int rc;

	if (csv_reader_init(&r, fp, limit, ',', l->label, err) < 0)
		return -1;
	rc = csv_reader_next(&r, err);
	if (rc <= 0) {
		csv_reader_release(&r);
		return rc < 0 ? -1 : err_set(err, J2W_EDATA, "%s: empty file", l->label);
	}
	if (csv_header_load(&h, &r.row, err) < 0)
		goto fail;
	cname = csv_header_find(&h, "NAME");
	cxml = config_column(&h);
	if (cname < 0 || cxml < 0) {
		err_set(err, J2W_EDATA, "%s:1: no '%s' column", l->label,
		    cname < 0 ? "NAME" : "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_XML");
		goto fail;
	}
	while ((rc = csv_reader_next(&r, err)) > 0) {
		const char *name = csv_row_field(&r.row, (size_t)cname, NULL);
		const char *xml = csv_row_field(&r.row, (size_t)cxml, NULL);
		struct serviceprofile_profile *p;

		if (l->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct serviceprofile_profile *np;

			if (ncap > SP_PROFILES_MAX) {
				err_set(err, J2W_EDATA, "%s: more than %d service profiles", l->label,
				    SP_PROFILES_MAX);
				goto fail;
			}
			np = realloc(l->p, ncap * sizeof(*np));
			if (np == NULL) {
				err_set(err, J2W_ESYS, "out of memory");
				goto fail;
			}
			l->p = np;
			cap = ncap;
		}
		p = &l->p[l->n];
		memset(p, 0, sizeof(*p));
		p->line = r.row.line;
		p->name = strdup(is_null(name) ? "" : name);
		p->xml = is_null(xml) ? NULL : strdup(xml);
		l->n++;
		if (p->name == NULL || (!is_null(xml) && p->xml == NULL)) {
			err_set(err, J2W_ESYS, "out of memory");
			goto fail;
		}
	}
	if (rc < 0)
		goto fail;
	csv_header_release(&h);
	csv_reader_release(&r);
	return 0;
fail:
	csv_header_release(&h);
	csv_reader_release(&r);
	return -1;
}

int
serviceprofile_list_load(struct serviceprofile_list *l, const char *path, struct j2w_err *err)
{
	unsigned char block[512];
	FILE *fp;
	size_t n;
	int rc;

	memset(l, 0, sizeof(*l));
	fp = fopen(path, "rb");
	if (fp == NULL)
		return err_set_errno(err, J2W_EUSAGE, "cannot open '%s'", path);
	n = fread(block, 1, sizeof(block), fp);
	rewind(fp);
	if (tar_looks_like_archive(block, n)) {
		/* a tar, plain, gzip or xz: the rows are serviceprofile.csv's */
		struct tar_index idx;
		const struct tar_member *m;
		struct strbuf label;
		FILE *mfp;

		if (tar_index_load(&idx, fileno(fp), path, err) < 0) {
			fclose(fp);
			return -1;
		}
		m = tar_index_find(&idx, "serviceprofile.csv");
		if (m == NULL) {
			tar_index_release(&idx);
			fclose(fp);
			return err_set(err, J2W_EDATA, "%s: export tar has no serviceprofile.csv", path);
		}
		strbuf_init(&label, 0);
		strbuf_addf(&label, "%s/%s", path, m->name);
		l->label = strbuf_detach(&label, NULL);
		mfp = tar_member_open(fileno(fp), m, path, err);
		rc = mfp != NULL ? read_rows(l, mfp, m->size, err) : -1;
		if (mfp != NULL)
			fclose(mfp);
		tar_index_release(&idx);
	} else {
		l->label = strdup(path);
		if (l->label == NULL || fseeko(fp, 0, SEEK_SET) < 0) {
			fclose(fp);
			return err_set(err, J2W_ESYS, "cannot read '%s'", path);
		}
		rc = read_rows(l, fp, -1, err);
	}
	fclose(fp);
	if (rc < 0) {
		serviceprofile_list_release(l);
		return -1;
	}
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
serviceprofile_config_xml(const char *cell, struct strbuf *out)
{
	struct strbuf dec;
	const char *s;
	size_t a;
	int rc = 1;

	if (is_null(cell))
		return 0;
	strbuf_init(&dec, out->max);
	/* AXL and some exports carry the XML percent-encoded (%3CClient%3E...) */
	if (strchr(cell, '<') == NULL && strcasestr(cell, "%3C") != NULL) {
		for (const char *c = cell; *c; c++) {
			int hi, lo;

			if (*c == '%' && (hi = hexval((unsigned char)c[1])) >= 0 &&
			    (lo = hexval((unsigned char)c[2])) >= 0) {
				if (strbuf_addch(&dec, hi * 16 + lo) < 0)
					goto fail;
				c += 2;
			} else if (strbuf_addch(&dec, *c == '+' ? ' ' : *c) < 0) {
				goto fail;
			}
		}
		s = dec.buf;
	} else {
		s = cell;
	}
	for (a = 0; isspace((unsigned char)s[a]); a++)
		;
	if (s[a] == '\0') {
		rc = 0;
	} else if (strncmp(s + a, "<?xml", 5) == 0 || strncmp(s + a, "<config", 7) == 0) {
		if (strbuf_addstr(out, s) < 0)
			goto fail;
		if (out->len > 0 && out->buf[out->len - 1] != '\n' && strbuf_addch(out, '\n') < 0)
			goto fail;
	} else {
		size_t n = strlen(s);

		while (n > a && isspace((unsigned char)s[n - 1]))
			n--;
		if (strbuf_addstr(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<config version=\"1.0\">\n") < 0 || strbuf_add(out, s + a, n - a) < 0 ||
		    strbuf_addstr(out, "\n</config>\n") < 0)
			goto fail;
	}
	strbuf_release(&dec);
	return rc;
fail:
	strbuf_release(&dec);
	return -1;
}

int
serviceprofile_file_name(const char *profile, struct strbuf *out)
{
	if (*profile == '\0' || strcmp(profile, ".") == 0 || strcmp(profile, "..") == 0)
		return strbuf_addstr(out, "_");
	for (const char *c = profile; *c; c++) {
		int ok = isalnum((unsigned char)*c) || *c == '.' || *c == '_' || *c == '-';

		if (strbuf_addch(out, ok ? *c : '_') < 0)
			return -1;
	}
	return 0;
}
