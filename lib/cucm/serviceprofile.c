/* serviceprofile.csv from a CUCM BAT export: each profile's jabber-config, followed to its UC service. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cucm/serviceprofile.h"
#include "util/csvio.h"
#include "util/spool.h"
#include "util/tar.h"

#define SP_SECTION "JABBERCLIENTCONFIGURATION(JABBER-CONFIG.XML)"

/* The column suffixes (folded) of each client's UC service, and of the profile's own XML. */
static const char *const sp_server_suffix[SP_CLIENTS] = {
	[SP_COMMON] = "_PRIMARYSERVER",
	[SP_DESKTOP] = "_SECONDARYSERVER",
	[SP_MOBILE] = "_TERTIARYSERVER",
};

void
serviceprofile_list_release(struct serviceprofile_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->p[i].name);
		free(l->p[i].xml);
		for (int c = 0; c < SP_CLIENTS; c++)
			free(l->p[i].service[c]);
	}
	free(l->p);
	free(l->label);
	ucservice_list_release(&l->uc);
	memset(l, 0, sizeof(*l));
}

const char *
serviceprofile_client_name(enum serviceprofile_client c)
{
	static const char *const names[SP_CLIENTS] = { "common", "desktop", "mobile" };

	return c >= 0 && c < SP_CLIENTS ? names[c] : "?";
}

/*
 * A column of the Jabber client configuration section: the exact folded name,
 * else any *JABBER-CONFIG.XML* column ending in suffix.
 */
static long
section_column(const struct csv_header *h, const char *suffix)
{
	char exact[96];
	size_t ns = strlen(suffix);
	long c;

	snprintf(exact, sizeof(exact), "%s%s", SP_SECTION, suffix);
	c = csv_header_find(h, exact);
	if (c >= 0)
		return c;
	for (size_t i = 0; i < h->n; i++) {
		size_t n = strlen(h->folded[i]);

		if (strstr(h->folded[i], "JABBER-CONFIG.XML") != NULL && n > ns &&
		    strcmp(h->folded[i] + n - ns, suffix) == 0)
			return (long)i;
	}
	return -1;
}

static int
read_rows(struct serviceprofile_list *l, FILE *fp, off_t limit, struct j2w_err *err)
{
	struct csv_reader r;
	struct csv_header h = { 0 };
	long cname, cxml, cserver[SP_CLIENTS];
	size_t cap = 0;
	int rc, any;

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
	cxml = section_column(&h, "_XML");
	any = cxml >= 0;
	for (int c = 0; c < SP_CLIENTS; c++) {
		cserver[c] = section_column(&h, sp_server_suffix[c]);
		any |= cserver[c] >= 0;
	}
	if (cname < 0 || !any) {
		err_set(err, J2W_EDATA, "%s:1: no '%s' column", l->label,
		    cname < 0 ? "NAME" : "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_XML");
		goto fail;
	}
	while ((rc = csv_reader_next(&r, err)) > 0) {
		const char *name = csv_row_field(&r.row, (size_t)cname, NULL);
		struct serviceprofile_profile *p;
		int oom = 0;

		if (csv_row_whole(&r.row, h.n, l->label, err) < 0)
			goto fail;
		if (l->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct serviceprofile_profile *np;

			if (l->n >= SP_PROFILES_MAX) {
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
		p = &l->p[l->n++];
		memset(p, 0, sizeof(*p));
		p->line = r.row.line;
		p->name = strdup(csv_cell_absent(name) ? "" : name);
		if (cxml >= 0)
			p->xml = csv_cell_dup(csv_row_field(&r.row, (size_t)cxml, NULL), &oom);
		for (int c = 0; c < SP_CLIENTS; c++)
			if (cserver[c] >= 0)
				p->service[c] = csv_cell_dup(csv_row_field(&r.row, (size_t)cserver[c], NULL),
				    &oom);
		if (p->name == NULL || oom) {
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
serviceprofile_read(struct serviceprofile_list *l, FILE *fp, off_t limit, const char *label,
    struct j2w_err *err)
{
	memset(l, 0, sizeof(*l));
	l->label = strdup(label);
	if (l->label == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (read_rows(l, fp, limit, err) < 0) {
		serviceprofile_list_release(l);
		return -1;
	}
	return 0;
}

/* Reads tar member m as the list's UC services, labelled PATH/MEMBER. */
static int
load_tar_ucservice(struct serviceprofile_list *l, int fd, const struct tar_member *m,
    const char *path, struct j2w_err *err)
{
	struct strbuf label;
	FILE *mfp;
	int rc;

	strbuf_init(&label, 0);
	if (strbuf_addf(&label, "%s/%s", path, m->name) < 0) {
		strbuf_release(&label);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	mfp = tar_member_open(fd, m, path, err);
	rc = mfp != NULL ? ucservice_read(&l->uc, mfp, m->size, label.buf, err) : -1;
	if (mfp != NULL)
		fclose(mfp);
	strbuf_release(&label);
	return rc;
}

/* Reads the ucservice.csv beside path (any letter case), when there is one. */
static int
load_sibling_ucservice(struct serviceprofile_list *l, const char *path, struct j2w_err *err)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	struct strbuf dir, file;
	struct dirent *e;
	DIR *d;
	FILE *fp;
	int rc = 0;

	strbuf_init(&dir, 0);
	strbuf_init(&file, 0);
	if ((dirlen > 0 ? strbuf_add(&dir, path, dirlen) : strbuf_addstr(&dir, "./")) < 0)
		goto oom;
	d = opendir(dir.buf);
	if (d == NULL)
		goto out;
	while ((e = readdir(d)) != NULL) {
		if (strcasecmp(e->d_name, "ucservice.csv") == 0) {
			if (strbuf_add(&file, path, dirlen) < 0 || strbuf_addstr(&file, e->d_name) < 0) {
				closedir(d);
				goto oom;
			}
			break;
		}
	}
	closedir(d);
	if (file.len == 0)
		goto out;
	fp = fopen(file.buf, "rb");
	if (fp == NULL) {
		rc = err_set_errno(err, J2W_EDATA, "cannot open '%s'", file.buf);
		goto out;
	}
	rc = ucservice_read(&l->uc, fp, -1, file.buf, err);
	fclose(fp);
out:
	strbuf_release(&dir);
	strbuf_release(&file);
	return rc;
oom:
	strbuf_release(&dir);
	strbuf_release(&file);
	return err_set(err, J2W_ESYS, "out of memory");
}

int
serviceprofile_list_load(struct serviceprofile_list *l, const char *path, struct j2w_err *err)
{
	unsigned char block[512];
	FILE *fp;
	size_t n;
	int rc;

	memset(l, 0, sizeof(*l));
	/* read twice (sniffed for a tar, then read): a pipe is spooled */
	fp = spool_open_input(path, 1, err);
	if (fp == NULL)
		return -1;
	n = fread(block, 1, sizeof(block), fp);
	rewind(fp);
	if (tar_looks_like_archive(block, n)) {
		/* a tar, plain, gzip or xz: serviceprofile.csv's rows, and ucservice.csv's */
		struct tar_index idx;
		const struct tar_member *m, *uc;
		struct strbuf label;
		FILE *mfp;

		if (tar_index_load(&idx, fileno(fp), path, err) < 0) {
			spool_close_input(fp);
			return -1;
		}
		m = tar_index_find(&idx, "serviceprofile.csv");
		if (m == NULL) {
			tar_index_release(&idx);
			spool_close_input(fp);
			return err_set(err, J2W_EDATA, "%s: export tar has no serviceprofile.csv", path);
		}
		strbuf_init(&label, 0);
		strbuf_addf(&label, "%s/%s", path, m->name);
		mfp = tar_member_open(fileno(fp), m, path, err);
		rc = mfp != NULL ? serviceprofile_read(l, mfp, m->size, label.buf, err) : -1;
		if (mfp != NULL)
			fclose(mfp);
		strbuf_release(&label);
		uc = tar_index_find(&idx, "ucservice.csv");
		if (rc == 0 && uc != NULL)
			rc = load_tar_ucservice(l, fileno(fp), uc, path, err);
		tar_index_release(&idx);
	} else {
		rc = serviceprofile_read(l, fp, -1, path, err);
		/* stdin has no folder to find ucservice.csv in */
		if (rc == 0 && strcmp(path, "-") != 0)
			rc = load_sibling_ucservice(l, path, err);
	}
	spool_close_input(fp);
	if (rc < 0) {
		serviceprofile_list_release(l);
		return -1;
	}
	return 0;
}

void
serviceprofile_resolve(const struct serviceprofile_list *l,
    const struct serviceprofile_profile *p, enum serviceprofile_client c,
    struct serviceprofile_config *out)
{
	memset(out, 0, sizeof(*out));
	out->service = p->service[c];
	if (out->service != NULL) {
		const struct ucservice *s = ucservice_find(&l->uc, out->service);

		if (s == NULL) {
			out->missing = 1;
		} else if (s->xml != NULL) {
			out->cell = s->xml;
			out->from_service = 1;
			out->label = l->uc.label;
			out->line = s->line;
			return;
		}
	}
	if (c == SP_COMMON && p->xml != NULL) {
		out->cell = p->xml;
		out->label = l->label;
		out->line = p->line;
	}
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
serviceprofile_config_xml(const char *cell, int values_encoded, struct strbuf *out)
{
	struct strbuf dec, val;
	const char *s;
	size_t a;
	int rc = 1;

	if (csv_cell_absent(cell))
		return 0;
	strbuf_init(&dec, out->max);
	strbuf_init(&val, out->max);
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
	/* a UC service's XML: tags as written, each value URL-encoded (bot%40example.com) */
	if (values_encoded) {
		if (ucservice_decode_values(s, &val) < 0)
			goto fail;
		s = val.buf;
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
	strbuf_release(&val);
	return rc;
fail:
	strbuf_release(&dec);
	strbuf_release(&val);
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
