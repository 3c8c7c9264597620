/*
 * The report as one self-contained HTML page: inline CSS (A4 print rules),
 * inline SVG charts, no script and no outside address; every input string escaped.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/html.h"
#include "util/utf8.h"
#include "util/version.h"

#define MATRIX_DOMAINS_MAX 60		/* rows of the DNS matrix; the rest are counted */

static const char *const sev_color[REPORT_NSEV] = {
	"#2e7d32", "#1565c0", "#e08a00", "#c62828", "#6a1b9a"
};
/* Severities in the order charts and tables show them (worst first). */
static const enum severity sev_show[REPORT_NSEV] = {
	SEV_FAIL, SEV_ERROR, SEV_WARN, SEV_INFO, SEV_OK
};

static const char css[] =
"*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
"body{font:14px/1.45 \"DejaVu Sans\",Arial,sans-serif;color:#1b1b1b;max-width:1100px;"
"margin:0 auto;padding:24px}\n"
"h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:2px solid #333}"
"h3{font-size:15px;margin:18px 0 6px}\n"
".meta{color:#555;margin:0 0 14px}\n"
".verdict{padding:14px 20px;border-radius:6px;color:#fff;margin:10px 0 6px}\n"
".verdict strong{display:block;font-size:30px;letter-spacing:1px}\n"
".v-no{background:#b71c1c}.v-warn{background:#b25e00}.v-ok{background:#1b7f3b}\n"
"table{border-collapse:collapse;width:100%;margin:6px 0}\n"
"th,td{border:1px solid #c8c8c8;padding:3px 6px;text-align:left;vertical-align:top}\n"
"th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
"td:first-child{min-width:9em}.nw{white-space:nowrap}.brk{overflow-wrap:anywhere}\n"
".b{display:inline-block;min-width:48px;text-align:center;color:#fff;border-radius:3px;"
"padding:0 5px;font-size:12px;font-weight:700}\n"
".s-OK{background:#2e7d32}.s-INFO{background:#1565c0}.s-WARN{background:#e08a00}"
".s-FAIL{background:#c62828}.s-ERROR{background:#6a1b9a}\n"
".fix{background:#f4f8ff;border-left:4px solid #1565c0;padding:4px 8px;margin:4px 0}\n"
"tr.rowfix td{background:#f4f8ff;border-top:none;font-size:13px}\n"
".more,.note{color:#555;font-style:italic}\n"
"td.hash{font-family:\"DejaVu Sans Mono\",monospace;font-size:11px;overflow-wrap:anywhere}\n"
"figure{margin:14px 0;break-inside:avoid;page-break-inside:avoid}\n"
"figcaption{font-weight:700;margin-bottom:4px}svg{max-width:100%;height:auto}\n"
"@page{size:A4;margin:14mm 12mm}\n"
"@media print{body{max-width:none;padding:0;font-size:10pt}h2,h3{break-after:avoid;"
"page-break-after:avoid}.fix{break-after:avoid;page-break-after:avoid}"
"table{font-size:8.5pt}tr.rowfix td{font-size:8pt}"
"tr{break-inside:avoid;page-break-inside:avoid}}\n";

#define ESC(fp, s) html_escape((fp), (s))
#define NOWRAP_MAX 60		/* longer words may break anywhere, so a table still fits */

/*
 * Writes s escaped for a table cell, so that addresses, host names and times
 * do not break mid-word: a word (between blanks) holding any of "-./:@_" is
 * kept on one line (browsers break after '-' and '/', and a narrow column
 * breaks anywhere); a word longer than NOWRAP_MAX may break anywhere instead.
 * Other words break only at blanks.
 */
static void
esc_cell(FILE *fp, const char *s)
{
	char word[NOWRAP_MAX + 1];

	if (s == NULL)
		return;
	while (*s != '\0') {
		size_t n = strcspn(s, " \t\n");

		if (n == 0) {
			putc(*s++, fp);
			continue;
		}
		if (n > NOWRAP_MAX) {
			char *w = strndup(s, n);

			fputs("<span class=\"brk\">", fp);
			ESC(fp, w != NULL ? w : "\xef\xbf\xbd");
			fputs("</span>", fp);
			free(w);
		} else {
			int keep = strcspn(s, "-./:@_") < n;

			memcpy(word, s, n);
			word[n] = '\0';
			if (keep)
				fputs("<span class=\"nw\">", fp);
			ESC(fp, word);
			if (keep)
				fputs("</span>", fp);
		}
		s += n;
	}
}

/* Escapes at most max characters of s, then "…" when it was longer. */
static void
esc_short(FILE *fp, const char *s, size_t max)
{
	size_t i = 0, chars = 0;
	char buf[512];

	if (s == NULL)
		return;
	while (s[i] != '\0' && chars < max && i < sizeof(buf) - 8) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	if (s[i] == '\0') {
		ESC(fp, s);
		return;
	}
	memcpy(buf, s, i);
	buf[i] = '\0';
	ESC(fp, buf);
	fputs("\xe2\x80\xa6", fp);
}

static void
badge(FILE *fp, enum severity s)
{
	fprintf(fp, "<span class=\"b s-%s\">%s</span>", severity_name(s), severity_name(s));
}

static void
write_head(const struct report *r, FILE *fp, const struct report_opts *o, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", fp);
	/* no script, no outside address: only inline styles and data: images may load */
	fputs("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'; img-src data:\">\n", fp);
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", fp);
	ESC(fp, title);
	if (o->org != NULL) {
		fputs(" \xe2\x80\x94 ", fp);
		ESC(fp, o->org);
	}
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
	(void)r;
}

static void
write_verdict(const struct report *r, FILE *fp, const struct report_opts *o, const char *title)
{
	const char *v = report_verdict(r);
	const char *cls = strcmp(v, "NOT READY") == 0 ? "v-no" :
	    strcmp(v, "READY") == 0 ? "v-ok" : "v-warn";
	unsigned long users = r->users[0] + r->users[1] + r->users[2] + r->users_other;

	fputs("<header>\n<h1>", fp);
	ESC(fp, title);
	fputs("</h1>\n<p class=\"meta\">", fp);
	if (o->org != NULL) {
		fputs("Organisation: ", fp);
		ESC(fp, o->org);
		fputs(" \xc2\xb7 ", fp);
	}
	if (o->generated != NULL) {
		fputs("Generated ", fp);
		ESC(fp, o->generated);
		fputs(" ", fp);
	}
	fputs("by j2w " J2W_VERSION " \xc2\xb7 ", fp);
	fprintf(fp, "%zu input file%s (see Provenance), %lu record%s, %lu apply journal%s",
	    r->nsources, r->nsources == 1 ? "" : "s", r->records, r->records == 1 ? "" : "s",
	    r->journals, r->journals == 1 ? "" : "s");
	if (r->narchives)
		fprintf(fp, ", %zu chat archive%s", r->narchives, r->narchives == 1 ? "" : "s");
	fputs("</p>\n</header>\n", fp);
	fprintf(fp, "<section class=\"verdict %s\" aria-label=\"verdict\">\n<strong>Verdict: %s</strong>\n",
	    cls, v);
	fprintf(fp, "%lu FAIL, %lu ERROR, %lu WARN, %lu INFO, %lu OK",
	    r->sev[SEV_FAIL], r->sev[SEV_ERROR], r->sev[SEV_WARN], r->sev[SEV_INFO], r->sev[SEV_OK]);
	if (users > 0) {
		fprintf(fp, " \xc2\xb7 %lu users: %lu blocked, %lu review, %lu ok",
		    users, r->users[2], r->users[1], r->users[0]);
		if (r->users_other)
			fprintf(fp, ", %lu other", r->users_other);
		if (r->user_records > users)
			fprintf(fp, " (%lu user records: %lu %s another cluster's cop%s of a user, "
			    "counted once)", r->user_records, r->user_records - users,
			    r->user_records - users == 1 ? "is" : "are",
			    r->user_records - users == 1 ? "y" : "ies");
	}
	fputs("\n</section>\n<p class=\"note\">NOT READY: a check failed (FAIL) or could not "
	    "run (ERROR). READY WITH WARNINGS: review every WARN before cutover.</p>\n", fp);
}

static void
write_counts(const struct report *r, FILE *fp)
{
	fputs("<h2 id=\"counts\">Counts per area and severity</h2>\n<table>\n<thead><tr><th>Area</th>", fp);
	for (int k = 0; k < REPORT_NSEV; k++)
		fprintf(fp, "<th>%s</th>", severity_name(sev_show[k]));
	fputs("<th>Total</th></tr></thead>\n<tbody>\n", fp);
	for (size_t i = 0; i < r->nareas; i++) {
		const struct report_area *a = &r->areas[i];

		fputs("<tr><td>", fp);
		ESC(fp, a->name);
		fputs("</td>", fp);
		for (int k = 0; k < REPORT_NSEV; k++)
			fprintf(fp, "<td class=\"n\">%lu</td>", a->sev[sev_show[k]]);
		fprintf(fp, "<td class=\"n\">%zu</td></tr>\n", a->count);
	}
	fputs("<tr><th>all</th>", fp);
	for (int k = 0; k < REPORT_NSEV; k++)
		fprintf(fp, "<th class=\"n\">%lu</th>", r->sev[sev_show[k]]);
	fprintf(fp, "<th class=\"n\">%zu</th></tr>\n</tbody>\n</table>\n", r->nitems);
}

/* Opens a figure with an accessible SVG; id names the title element. */
static void
svg_open(FILE *fp, const char *id, const char *title, int w, int h)
{
	fprintf(fp, "<figure>\n<figcaption>%s</figcaption>\n"
	    "<svg role=\"img\" aria-labelledby=\"%s\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans,Arial,sans-serif\" font-size=\"12\">\n"
	    "<title id=\"%s\">%s</title>\n", title, id, w, h, w, h, id, title);
}

static void
svg_close(FILE *fp)
{
	fputs("</svg>\n</figure>\n", fp);
}

/* A legend row of coloured squares at y. */
static void
legend(FILE *fp, int x, int y, const char *const *names, const char *const *colors, int n)
{
	for (int i = 0; i < n; i++) {
		fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
		    "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y, colors[i], x + 16, y + 11, names[i]);
		x += 30 + 8 * (int)strlen(names[i]);
	}
}

/* Stacked horizontal bar of n parts at (x, y), width w for total; returns nothing. */
static void
stacked_bar(FILE *fp, int x, int y, int w, int h, const unsigned long *v,
    const char *const *colors, const char *const *names, int n, unsigned long total)
{
	double pos = x;

	if (total == 0)
		return;
	for (int i = 0; i < n; i++) {
		double bw = (double)w * (double)v[i] / (double)total;

		if (v[i] == 0)
			continue;
		if (bw < 1.0)
			bw = 1.0;
		fprintf(fp, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
		    "<title>%s: %lu</title></rect>\n", pos, y, bw, h, colors[i], names[i], v[i]);
		pos += bw;
	}
}

static void
chart_severity(const struct report *r, FILE *fp)
{
	const char *names[REPORT_NSEV], *colors[REPORT_NSEV];
	int w = 820, label = 130, bar = 380, h = 40 + 28 * (int)r->nareas;
	unsigned long max = 1;

	for (int k = 0; k < REPORT_NSEV; k++) {
		names[k] = severity_name(sev_show[k]);
		colors[k] = sev_color[sev_show[k]];
	}
	for (size_t i = 0; i < r->nareas; i++)
		if (r->areas[i].count > max)
			max = r->areas[i].count;
	svg_open(fp, "chart-sev", "Severity per area", w, h);
	legend(fp, label, 4, names, colors, REPORT_NSEV);
	for (size_t i = 0; i < r->nareas; i++) {
		const struct report_area *a = &r->areas[i];
		unsigned long v[REPORT_NSEV];
		int y = 30 + 28 * (int)i;

		for (int k = 0; k < REPORT_NSEV; k++)
			v[k] = a->sev[sev_show[k]];
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label - 8, y + 14);
		esc_short(fp, a->name, 18);
		fputs("</text>\n", fp);
		stacked_bar(fp, label, y, (int)((double)bar * (double)a->count / (double)max), 20,
		    v, colors, names, REPORT_NSEV, a->count);
		fprintf(fp, "<text x=\"%d\" y=\"%d\" fill=\"#333\">%lu fail, %lu error, %lu warn, "
		    "%lu info, %lu ok</text>\n", label + bar + 8, y + 14, a->sev[SEV_FAIL],
		    a->sev[SEV_ERROR], a->sev[SEV_WARN], a->sev[SEV_INFO], a->sev[SEV_OK]);
	}
	svg_close(fp);
}

/* DNS matrix columns: the distinct (view, check) pairs, internal first, in order seen. */
struct matrix {
	const char *view[64], *check[64];
	size_t ncols;
	const char *domain[MATRIX_DOMAINS_MAX];
	size_t nrows, more;
	signed char cell[MATRIX_DOMAINS_MAX][64];	/* worst severity, -1: not checked */
};

/* Whether a is worse than b for a matrix cell: ERROR and FAIL, then WARN, INFO, OK. */
static int
worse(enum severity a, enum severity b)
{
	static const int rank[REPORT_NSEV] = { 0, 1, 2, 4, 3 };

	return rank[a] > rank[b];
}

static int
view_rank(const char *v)
{
	if (v == NULL)
		return 2;
	return strcmp(v, "internal") == 0 ? 0 : strcmp(v, "external") == 0 ? 1 : 2;
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
matrix_build(const struct report *r, struct matrix *m)
{
	memset(m, 0, sizeof(*m));
	memset(m->cell, -1, sizeof(m->cell));
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < r->nitems; i++) {
			const struct report_item *it = &r->items[i];
			size_t c;

			if (strcmp(it->tool, "j2w-dns-check") != 0 || view_rank(it->view) != pass)
				continue;
			for (c = 0; c < m->ncols; c++)
				if (same(m->view[c], it->view) && strcmp(m->check[c], it->check) == 0)
					break;
			if (c == m->ncols && m->ncols < 64) {
				m->view[m->ncols] = it->view;
				m->check[m->ncols++] = it->check;
			}
		}
	}
	for (size_t i = 0; i < r->nitems; i++) {
		const struct report_item *it = &r->items[i];
		size_t d;

		if (strcmp(it->tool, "j2w-dns-check") != 0 || it->domain == NULL)
			continue;
		for (d = 0; d < m->nrows; d++)
			if (strcmp(m->domain[d], it->domain) == 0)
				break;
		if (d == m->nrows) {
			if (m->nrows == MATRIX_DOMAINS_MAX) {
				m->more++;	/* counts findings of further domains, not domains */
				continue;
			}
			m->domain[m->nrows++] = it->domain;
		}
		for (size_t c = 0; c < m->ncols; c++) {
			if (!same(m->view[c], it->view) || strcmp(m->check[c], it->check) != 0)
				continue;
			if (m->cell[d][c] < 0 || worse(it->sev, (enum severity)m->cell[d][c]))
				m->cell[d][c] = (signed char)it->sev;
			break;
		}
	}
}

static void
chart_dns(const struct report *r, FILE *fp)
{
	static const char *const letter[REPORT_NSEV] = { "ok", "i", "W", "F", "E" };
	struct matrix m;
	int label = 200, cell = 24, top = 150, w, h;

	matrix_build(r, &m);
	if (m.ncols == 0 || m.nrows == 0) {
		fputs("<figure>\n<figcaption>DNS matrix: domains \xc3\x97 checks \xc3\x97 views</figcaption>\n"
		    "<p class=\"note\">No j2w-dns-check findings were given.</p>\n</figure>\n", fp);
		return;
	}
	w = label + cell * (int)m.ncols + 140;	/* room for the last rotated labels */
	if (w < 400)
		w = 400;
	h = top + cell * (int)m.nrows + 30;
	svg_open(fp, "chart-dns", "DNS matrix: domains \xc3\x97 checks \xc3\x97 views", w, h);
	for (size_t c = 0; c < m.ncols; c++) {
		int x = label + cell * (int)c + cell / 2 + 4;

		fprintf(fp, "<text transform=\"translate(%d %d) rotate(-60)\" font-size=\"11\">", x,
		    top - 6);
		esc_short(fp, m.view[c] != NULL ? m.view[c] : "-", 8);
		fputs(" ", fp);
		esc_short(fp, m.check[c], 18);
		fputs("</text>\n", fp);
	}
	for (size_t d = 0; d < m.nrows; d++) {
		int y = top + cell * (int)d;

		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label - 6, y + 16);
		esc_short(fp, m.domain[d], 28);
		fputs("</text>\n", fp);
		for (size_t c = 0; c < m.ncols; c++) {
			int x = label + cell * (int)c;
			enum severity worst = (enum severity)m.cell[d][c];

			if (m.cell[d][c] < 0) {
				fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eee\" "
				    "stroke=\"#fff\"/>\n", x, y, cell, cell);
				continue;
			}
			fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
			    "stroke=\"#fff\"><title>", x, y, cell, cell, sev_color[worst]);
			ESC(fp, m.domain[d]);
			fputs(" ", fp);
			ESC(fp, m.check[c]);
			fputs(" ", fp);
			ESC(fp, m.view[c]);
			fprintf(fp, ": %s</title></rect><text x=\"%d\" y=\"%d\" fill=\"#fff\" "
			    "font-size=\"10\" text-anchor=\"middle\">%s</text>\n",
			    severity_name(worst), x + cell / 2, y + 16, letter[worst]);
		}
	}
	fprintf(fp, "<text x=\"%d\" y=\"%d\" fill=\"#555\">Grey: not checked for that domain%s</text>\n",
	    label, top + cell * (int)m.nrows + 20,
	    m.more ? "; more domains than shown here: see the tables" : "");
	svg_close(fp);
}

static void
chart_identity(const struct report *r, FILE *fp)
{
	static const char *const names[] = { "blocked", "review", "ok", "other" };
	static const char *const colors[] = { "#c62828", "#e08a00", "#2e7d32", "#757575" };
	unsigned long v[4] = { r->users[2], r->users[1], r->users[0], r->users_other };
	unsigned long total = v[0] + v[1] + v[2] + v[3];
	int n = r->users_other ? 4 : 3;

	if (total == 0) {
		fputs("<figure>\n<figcaption>Identity status</figcaption>\n<p class=\"note\">No "
		    "j2w-reconcile output was given.</p>\n</figure>\n", fp);
		return;
	}
	svg_open(fp, "chart-id", "Identity status", 760, 74);
	legend(fp, 10, 4, names, colors, n);
	stacked_bar(fp, 10, 26, 600, 24, v, colors, names, n, total);
	fprintf(fp, "<text x=\"620\" y=\"43\">%lu users</text>\n", total);
	fprintf(fp, "<text x=\"10\" y=\"68\" fill=\"#333\">%lu blocked, %lu review, %lu ok</text>\n",
	    v[0], v[1], v[2]);
	svg_close(fp);
}

static void
chart_apply(const struct report *r, FILE *fp)
{
	static const char *const names[RA_NSTATES] = {
		"done", "unchanged", "failed", "not done", "planned"
	};
	static const char *const colors[RA_NSTATES] = {
		"#2e7d32", "#81c784", "#c62828", "#e08a00", "#90a4ae"
	};
	int h = 40 + 48 * (int)r->nwaves + (r->left_out ? 26 : 0);
	struct strbuf sb;

	if (r->nwaves == 0) {
		fputs("<figure>\n<figcaption>Apply progress by wave</figcaption>\n<p class=\"note\">"
		    "No j2w-apply results or journals were given.</p>\n</figure>\n", fp);
		return;
	}
	strbuf_init(&sb, 0);
	svg_open(fp, "chart-apply", "Apply progress by wave", 820, h);
	legend(fp, 130, 4, names, colors, RA_NSTATES);
	for (size_t i = 0; i < r->nwaves; i++) {
		const struct report_wave *wv = &r->waves[i];
		unsigned long total = 0;
		int y = 30 + 48 * (int)i;

		for (int k = 0; k < RA_NSTATES; k++)
			total += wv->n[k];
		fprintf(fp, "<text x=\"122\" y=\"%d\" text-anchor=\"end\">", y + 15);
		esc_short(fp, wv->name, 16);
		fputs("</text>\n", fp);
		stacked_bar(fp, 130, y, 430, 22, wv->n, colors, names, RA_NSTATES, total);
		fprintf(fp, "<text x=\"570\" y=\"%d\">%lu of %lu done, %lu failed", y + 15,
		    wv->n[RA_DONE] + wv->n[RA_UNCHANGED], total, wv->n[RA_FAILED]);
		if (wv->n[RA_PENDING])
			fprintf(fp, ", %lu not done", wv->n[RA_PENDING]);
		if (wv->n[RA_PLANNED])
			fprintf(fp, ", %lu planned", wv->n[RA_PLANNED]);
		fputs("</text>\n", fp);
		/* whom the wave left out, under its bar */
		strbuf_reset(&sb);
		report_wave_left(r, wv, &sb);
		fprintf(fp, "<text x=\"130\" y=\"%d\" font-size=\"11\" fill=\"#333\">Left out: ",
		    y + 37);
		ESC(fp, sb.buf);
		fputs("</text>\n", fp);
	}
	if (r->left_out)
		fprintf(fp, "<text x=\"130\" y=\"%d\" fill=\"#333\">%lu user%s of the reconcile "
		    "output %s in no wave (listed under APPLY-LEFT-OUT)</text>\n",
		    30 + 48 * (int)r->nwaves + 12, r->left_out, r->left_out == 1 ? "" : "s",
		    r->left_out == 1 ? "is" : "are");
	svg_close(fp);
	strbuf_release(&sb);
}

static void
cell_long(FILE *fp, long v)
{
	if (v < 0)
		fputs("<td class=\"n\">?</td>", fp);
	else
		fprintf(fp, "<td class=\"n\">%ld</td>", v);
}

static void
cell_text(FILE *fp, const char *s)
{
	fputs("<td>", fp);
	esc_cell(fp, s != NULL ? s : "-");
	fputs("</td>", fp);
}

/* The waves as a table: what the chart shows, and the journal each was read from. */
static void
write_waves(const struct report *r, FILE *fp)
{
	struct strbuf sb;

	if (r->nwaves == 0)
		return;
	strbuf_init(&sb, 0);
	fputs("<h2 id=\"waves\">Apply waves</h2>\n<table>\n<thead><tr><th>Wave</th>"
	    "<th>Journal</th><th>Done</th><th>Unchanged</th><th>Failed</th><th>Not done</th>"
	    "<th>Planned</th><th>Left out</th></tr></thead>\n<tbody>\n", fp);
	for (size_t i = 0; i < r->nwaves; i++) {
		const struct report_wave *w = &r->waves[i];

		fputs("<tr>", fp);
		cell_text(fp, w->name);
		cell_text(fp, w->journal);
		for (int k = 0; k < RA_NSTATES; k++)
			fprintf(fp, "<td class=\"n\">%lu</td>", w->n[k]);
		strbuf_reset(&sb);
		report_wave_left(r, w, &sb);
		cell_text(fp, sb.buf);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
	if (r->left_out)
		fprintf(fp, "<p>%lu user%s of the reconcile output %s in no wave: APPLY-LEFT-OUT "
		    "below lists them, with what each wave made of them.</p>\n", r->left_out,
		    r->left_out == 1 ? "" : "s", r->left_out == 1 ? "is" : "are");
	strbuf_release(&sb);
}

static void
write_archives(const struct report *r, FILE *fp)
{
	if (r->narchives == 0)
		return;
	fputs("<h2 id=\"archive\">Persistent chat archive</h2>\n<table>\n<thead><tr>"
	    "<th>Archive</th><th>Rooms</th><th>Members</th><th>Messages</th><th>Files</th>"
	    "<th>First message</th><th>Last message</th><th>Last import</th></tr></thead>\n"
	    "<tbody>\n", fp);
	for (size_t i = 0; i < r->narchives; i++) {
		const struct report_archive *a = &r->archives[i];

		fputs("<tr>", fp);
		cell_text(fp, a->name);
		cell_long(fp, a->rooms);
		cell_long(fp, a->members);
		cell_long(fp, a->messages);
		cell_long(fp, a->files);
		cell_text(fp, a->first);
		cell_text(fp, a->last);
		fputs("<td>", fp);
		esc_cell(fp, a->status != NULL ? a->status : "-");
		if (a->when != NULL) {
			fputs(" ", fp);
			esc_cell(fp, a->when);
		}
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
}

/* What the report was made from and when: for an auditor to sign. */
static void
write_provenance(const struct report *r, FILE *fp, const struct report_opts *o)
{
	fputs("<section>\n<h2 id=\"provenance\">Provenance</h2>\n<p>Made by j2w-report, j2w "
	    J2W_VERSION, fp);
	if (o->generated != NULL) {
		fputs(", on ", fp);
		ESC(fp, o->generated);
	}
	fprintf(fp, ", from %zu input file%s, each as the report read it:</p>\n", r->nsources,
	    r->nsources == 1 ? "" : "s");
	if (r->nsources == 0) {
		fputs("<p class=\"note\">No input was given.</p>\n</section>\n", fp);
		return;
	}
	fputs("<table class=\"prov\">\n<thead><tr><th>Input</th><th>Kind</th><th>Bytes</th>"
	    "<th>SHA-256</th></tr></thead>\n<tbody>\n", fp);
	for (size_t i = 0; i < r->nsources; i++) {
		const struct report_source *src = &r->sources[i];

		fputs("<tr><td>", fp);
		esc_cell(fp, src->name);
		fputs("</td><td>", fp);
		ESC(fp, src->kind);
		if (strcmp(src->kind, "JSON Lines") == 0)
			fprintf(fp, ", %lu record%s", src->records, src->records == 1 ? "" : "s");
		fprintf(fp, "</td><td class=\"n\">%llu</td><td class=\"hash\">%s</td></tr>\n",
		    src->size, src->sha256);
	}
	fputs("</tbody>\n</table>\n</section>\n", fp);
}

/* Whether items order[from, to) all carry the same fix (or all none). */
static int
same_fix(const struct report *r, size_t from, size_t to)
{
	const char *f0 = report_item_fix(&r->items[r->order[from]]);

	for (size_t k = from + 1; k < to; k++)
		if (!same(f0, report_item_fix(&r->items[r->order[k]])))
			return 0;
	return 1;
}

/* One check of one severity: heading, fix, and up to REPORT_SHOW_MAX rows. */
static void
write_group(const struct report *r, FILE *fp, size_t from, size_t to)
{
	const struct report_item *first = &r->items[r->order[from]];
	int has_view = 0, has_user = 0, one_fix = same_fix(r, from, to);
	size_t n = to - from, shown = 0;
	unsigned long people;

	for (size_t k = from; k < to; k++) {
		has_view |= r->items[r->order[k]].view != NULL;
		has_user |= r->items[r->order[k]].user != NULL;
	}
	fputs("<h3>", fp);
	badge(fp, first->sev);
	fputs(" ", fp);
	ESC(fp, first->check);
	fprintf(fp, " \xe2\x80\x94 %zu finding%s", n, n == 1 ? "" : "s");
	if (has_user) {
		people = report_group_people(r, from, to);
		fprintf(fp, ", %lu user%s affected", people, people == 1 ? "" : "s");
	}
	fputs("</h3>\n", fp);
	if (one_fix && report_item_fix(first) != NULL) {
		fputs("<p class=\"fix\"><b>Fix:</b> ", fp);
		esc_cell(fp, report_item_fix(first));
		fputs("</p>\n", fp);
	}
	fputs("<table>\n<thead><tr><th>Subject</th>", fp);
	if (has_view)
		fputs("<th>View</th>", fp);
	fputs("<th>Message</th>", fp);
	if (has_user)
		fputs("<th>Affects</th>", fp);
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (size_t k = from; k < to && shown < REPORT_SHOW_MAX; k++, shown++) {
		const struct report_item *it = &r->items[r->order[k]];

		fputs("<tr><td>", fp);
		esc_cell(fp, it->subject);
		fputs("</td>", fp);
		if (has_view) {
			fputs("<td>", fp);
			esc_cell(fp, it->view);
			fputs("</td>", fp);
		}
		fputs("<td>", fp);
		esc_cell(fp, it->message);
		fputs("</td>", fp);
		if (has_user) {
			fputs("<td>", fp);
			esc_cell(fp, it->user);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
		/* fixes that differ go under their finding, across the row: a column of them
		   would leave the others too narrow for their host names */
		if (!one_fix && report_item_fix(it) != NULL) {
			fprintf(fp, "<tr class=\"rowfix\"><td colspan=\"%d\"><b>Fix:</b> ",
			    2 + has_view + has_user);
			esc_cell(fp, report_item_fix(it));
			fputs("</td></tr>\n", fp);
		}
	}
	fputs("</tbody>\n</table>\n", fp);
	if (n > shown)
		fprintf(fp, "<p class=\"more\">and %zu more (j2w-report --format csv lists every "
		    "finding)</p>\n", n - shown);
}

static void
write_area(const struct report *r, FILE *fp, const struct report_area *a)
{
	size_t end = a->first + a->count, k = a->first;

	fputs("<section>\n<h2>", fp);
	ESC(fp, a->name);
	fprintf(fp, "</h2>\n<p>%lu FAIL, %lu ERROR, %lu WARN, %lu INFO, %lu OK (from ",
	    a->sev[SEV_FAIL], a->sev[SEV_ERROR], a->sev[SEV_WARN], a->sev[SEV_INFO], a->sev[SEV_OK]);
	ESC(fp, a->tool);
	fputs(")</p>\n", fp);
	while (k < end && r->items[r->order[k]].sev != SEV_OK) {
		size_t g = report_group_end(r, k, end, 1);

		write_group(r, fp, k, g);
		k = g;
	}
	if (k < end) {
		fputs("<p class=\"note\">Passed (OK, counted, not listed): ", fp);
		while (k < end) {
			const struct report_item *it = &r->items[r->order[k]];
			size_t g = report_group_end(r, k, end, 0);

			ESC(fp, it->check);
			fprintf(fp, " \xc3\x97%zu%s", g - k, g < end ? ", " : "");
			k = g;
		}
		fputs("</p>\n", fp);
	}
	fputs("</section>\n", fp);
}

int
report_write_html(const struct report *r, FILE *fp, const struct report_opts *o,
    struct j2w_err *err)
{
	const char *title = o->title != NULL ? o->title : "Jabber to Webex readiness";

	write_head(r, fp, o, title);
	write_verdict(r, fp, o, title);
	write_counts(r, fp);
	fputs("<h2 id=\"charts\">Charts</h2>\n", fp);
	chart_severity(r, fp);
	chart_dns(r, fp);
	chart_identity(r, fp);
	chart_apply(r, fp);
	write_waves(r, fp);
	write_archives(r, fp);
	fputs("<h2 id=\"findings\">Findings by area</h2>\n<p class=\"note\">Worst first. Each "
	    "check shows its fix and, for user checks, the users it affects (at most ", fp);
	fprintf(fp, "%d rows per check here; counts are exact).</p>\n", REPORT_SHOW_MAX);
	for (size_t i = 0; i < r->nareas; i++)
		write_area(r, fp, &r->areas[i]);
	write_provenance(r, fp, o);
	fputs("<footer class=\"note\"><p>Written by j2w-report (j2w " J2W_VERSION "). Check IDs "
	    "and their fixes are documented in docs/checks/ and the j2w man pages.</p></footer>\n"
	    "</body>\n</html>\n", fp);
	if (ferror(fp))
		return err_set_errno(err, J2W_ESYS, "cannot write the report");
	return 0;
}
