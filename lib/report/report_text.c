/* The report as text: Markdown for people and tickets, CSV (spreadsheet-safe) for every finding. */
#include <string.h>

#include "report/report.h"
#include "util/csvio.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/version.h"

static const enum severity sev_show[REPORT_NSEV] = {
	SEV_FAIL, SEV_ERROR, SEV_WARN, SEV_INFO, SEV_OK
};

/*
 * Writes s as inline Markdown text: HTML-significant characters as entities
 * (a renderer passes raw HTML through), Markdown punctuation backslashed, line
 * breaks and other control characters as spaces, invalid UTF-8 as U+FFFD.
 */
static void
md_escape(FILE *fp, const char *s)
{
	size_t len = s != NULL ? strlen(s) : 0;

	while (len > 0) {
		size_t ok = utf8_invalid_at(s, len);

		for (size_t i = 0; i < ok; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c == '&')
				fputs("&amp;", fp);
			else if (c == '<')
				fputs("&lt;", fp);
			else if (c == '>')
				fputs("&gt;", fp);
			else if (c < 0x20 || c == 0x7f)
				putc(' ', fp);
			else if (strchr("\\`*_[]#|~", c) != NULL) {
				putc('\\', fp);
				putc(c, fp);
			} else
				putc(c, fp);
		}
		if (ok == len)
			break;
		fputs("\xef\xbf\xbd", fp);
		s += ok + 1;
		len -= ok + 1;
	}
}

static const char *
item_fix_or_empty(const struct report_item *it)
{
	const char *f = report_item_fix(it);

	return f != NULL ? f : "";
}

static void
md_group(const struct report *r, FILE *fp, size_t from, size_t to)
{
	const struct report_item *first = &r->items[r->order[from]];
	const char *fix = report_item_fix(first);
	size_t n = to - from, shown = 0;
	int one_fix = 1;

	for (size_t k = from + 1; k < to; k++)
		if (strcmp(item_fix_or_empty(&r->items[r->order[k]]), item_fix_or_empty(first)) != 0)
			one_fix = 0;
	fprintf(fp, "#### %s ", severity_name(first->sev));
	md_escape(fp, first->check);
	fprintf(fp, " \xe2\x80\x94 %zu finding%s", n, n == 1 ? "" : "s");
	for (size_t k = from; k < to; k++) {
		if (r->items[r->order[k]].user != NULL) {
			unsigned long people = report_group_people(r, from, to);

			fprintf(fp, ", %lu user%s affected", people, people == 1 ? "" : "s");
			break;
		}
	}
	fputs("\n\n", fp);
	if (one_fix && fix != NULL) {
		fputs("Fix: ", fp);
		md_escape(fp, fix);
		fputs("\n\n", fp);
	}
	for (size_t k = from; k < to && shown < REPORT_SHOW_MAX; k++, shown++) {
		const struct report_item *it = &r->items[r->order[k]];

		fputs("- ", fp);
		md_escape(fp, it->subject != NULL ? it->subject : "(no subject)");
		if (it->view != NULL) {
			fputs(" (", fp);
			md_escape(fp, it->view);
			fputs(")", fp);
		}
		if (it->message != NULL) {
			fputs(": ", fp);
			md_escape(fp, it->message);
		}
		if (it->user != NULL) {
			fputs(" \xe2\x80\x94 affects ", fp);
			md_escape(fp, it->user);
		}
		if (!one_fix && report_item_fix(it) != NULL) {
			fputs(" \xe2\x80\x94 fix: ", fp);
			md_escape(fp, report_item_fix(it));
		}
		fputs("\n", fp);
	}
	if (n > shown)
		fprintf(fp, "- and %zu more (--format csv lists every finding)\n", n - shown);
	fputs("\n", fp);
}

static void
md_area(const struct report *r, FILE *fp, const struct report_area *a)
{
	size_t end = a->first + a->count, k = a->first;

	fputs("### ", fp);
	md_escape(fp, a->name);
	fprintf(fp, "\n\n%lu FAIL, %lu ERROR, %lu WARN, %lu INFO, %lu OK\n\n",
	    a->sev[SEV_FAIL], a->sev[SEV_ERROR], a->sev[SEV_WARN], a->sev[SEV_INFO], a->sev[SEV_OK]);
	while (k < end && r->items[r->order[k]].sev != SEV_OK) {
		size_t g = report_group_end(r, k, end, 1);

		md_group(r, fp, k, g);
		k = g;
	}
	if (k < end) {
		fputs("Passed (OK): ", fp);
		while (k < end) {
			const struct report_item *it = &r->items[r->order[k]];
			size_t g = report_group_end(r, k, end, 0);

			md_escape(fp, it->check);
			fprintf(fp, " \xc3\x97%zu%s", g - k, g < end ? ", " : "\n\n");
			k = g;
		}
	}
}

/* What the report was made from and when, last: for an auditor to sign. */
static void
md_provenance(const struct report *r, FILE *fp, const struct report_opts *o)
{
	fputs("## Provenance\n\nMade by j2w-report, j2w " J2W_VERSION, fp);
	if (o->generated != NULL) {
		fputs(", on ", fp);
		md_escape(fp, o->generated);
	}
	fprintf(fp, ", from %zu input file%s, each as the report read it.\n\n", r->nsources,
	    r->nsources == 1 ? "" : "s");
	if (r->nsources == 0)
		return;
	fputs("| Input | Kind | Bytes | SHA-256 |\n|---|---|---:|---|\n", fp);
	for (size_t i = 0; i < r->nsources; i++) {
		const struct report_source *src = &r->sources[i];

		fputs("| ", fp);
		md_escape(fp, src->name);
		fputs(" | ", fp);
		md_escape(fp, src->kind);
		if (strcmp(src->kind, "JSON Lines") == 0)
			fprintf(fp, ", %lu record%s", src->records, src->records == 1 ? "" : "s");
		fprintf(fp, " | %llu | %s |\n", src->size, src->sha256);
	}
	fputs("\n", fp);
}

int
report_write_md(const struct report *r, FILE *fp, const struct report_opts *o,
    struct j2w_err *err)
{
	unsigned long users = r->users[0] + r->users[1] + r->users[2] + r->users_other;

	fputs("# ", fp);
	md_escape(fp, o->title != NULL ? o->title : "Jabber to Webex readiness");
	fputs("\n\n", fp);
	if (o->org != NULL) {
		fputs("Organisation: ", fp);
		md_escape(fp, o->org);
		fputs("\n\n", fp);
	}
	fputs("Generated ", fp);
	if (o->generated != NULL) {
		md_escape(fp, o->generated);
		fputs(" ", fp);
	}
	fputs("by j2w " J2W_VERSION " (inputs: see Provenance at the end)\n\n", fp);
	fprintf(fp, "**Verdict: %s** \xe2\x80\x94 %lu FAIL, %lu ERROR, %lu WARN, %lu INFO, %lu OK",
	    report_verdict(r), r->sev[SEV_FAIL], r->sev[SEV_ERROR], r->sev[SEV_WARN],
	    r->sev[SEV_INFO], r->sev[SEV_OK]);
	if (users > 0) {
		fprintf(fp, "; %lu users: %lu blocked, %lu review, %lu ok", users, r->users[2],
		    r->users[1], r->users[0]);
		if (r->users_other)
			fprintf(fp, ", %lu other", r->users_other);
		if (r->user_records > users)
			fprintf(fp, " (%lu user records: %lu %s another cluster's cop%s of a user, "
			    "counted once)", r->user_records, r->user_records - users,
			    r->user_records - users == 1 ? "is" : "are",
			    r->user_records - users == 1 ? "y" : "ies");
	}
	fputs("\n\n## Counts per area and severity\n\n| Area |", fp);
	for (int k = 0; k < REPORT_NSEV; k++)
		fprintf(fp, " %s |", severity_name(sev_show[k]));
	fputs(" Total |\n|---|", fp);
	for (int k = 0; k <= REPORT_NSEV; k++)
		fputs("---:|", fp);
	fputs("\n", fp);
	for (size_t i = 0; i < r->nareas; i++) {
		fputs("| ", fp);
		md_escape(fp, r->areas[i].name);
		fputs(" |", fp);
		for (int k = 0; k < REPORT_NSEV; k++)
			fprintf(fp, " %lu |", r->areas[i].sev[sev_show[k]]);
		fprintf(fp, " %zu |\n", r->areas[i].count);
	}
	fputs("| all |", fp);
	for (int k = 0; k < REPORT_NSEV; k++)
		fprintf(fp, " %lu |", r->sev[sev_show[k]]);
	fprintf(fp, " %zu |\n\n", r->nitems);
	if (r->nwaves > 0) {
		struct strbuf sb;

		strbuf_init(&sb, 0);
		fputs("## Apply progress by wave\n\n| Wave | done | unchanged | failed | not done "
		    "| planned | left out |\n|---|---:|---:|---:|---:|---:|---|\n", fp);
		for (size_t i = 0; i < r->nwaves; i++) {
			const struct report_wave *w = &r->waves[i];

			fputs("| ", fp);
			md_escape(fp, w->name);
			fprintf(fp, " | %lu | %lu | %lu | %lu | %lu | ", w->n[RA_DONE],
			    w->n[RA_UNCHANGED], w->n[RA_FAILED], w->n[RA_PENDING], w->n[RA_PLANNED]);
			strbuf_reset(&sb);
			report_wave_left(r, w, &sb);
			md_escape(fp, sb.buf);
			fputs(" |\n", fp);
		}
		fputs("\n", fp);
		if (r->left_out)
			fprintf(fp, "%lu user%s of the reconcile output %s in no wave (APPLY-LEFT-OUT "
			    "lists them).\n\n", r->left_out, r->left_out == 1 ? "" : "s",
			    r->left_out == 1 ? "is" : "are");
		strbuf_release(&sb);
	}
	if (r->narchives > 0) {
		fputs("## Persistent chat archive\n\n| Archive | Rooms | Members | Messages | Files "
		    "| First message | Last message | Last import |\n"
		    "|---|---:|---:|---:|---:|---|---|---|\n", fp);
		for (size_t i = 0; i < r->narchives; i++) {
			const struct report_archive *a = &r->archives[i];

			fputs("| ", fp);
			md_escape(fp, a->name);
			fprintf(fp, " | %ld | %ld | %ld | %ld | ", a->rooms, a->members, a->messages,
			    a->files);
			md_escape(fp, a->first != NULL ? a->first : "-");
			fputs(" | ", fp);
			md_escape(fp, a->last != NULL ? a->last : "-");
			fputs(" | ", fp);
			md_escape(fp, a->status != NULL ? a->status : "-");
			fputs(" |\n", fp);
		}
		fputs("\n", fp);
	}
	fputs("## Findings by area\n\n", fp);
	for (size_t i = 0; i < r->nareas; i++)
		md_area(r, fp, &r->areas[i]);
	md_provenance(r, fp, o);
	if (ferror(fp))
		return err_set_errno(err, J2W_ESYS, "cannot write the report");
	return 0;
}

int
report_write_csv(const struct report *r, FILE *fp, const struct report_opts *o,
    struct j2w_err *err)
{
	static const char *const head[] = {
		"area", "check", "severity", "subject", "view", "message", "fix", "affects"
	};
	const char *cells[8];
	struct strbuf sb;

	csv_write_row(fp, ',', head, 8, NULL);
	/* provenance first, in the same columns: the report, then each input */
	strbuf_init(&sb, 0);
	memset(cells, 0, sizeof(cells));
	for (int i = 0; i < 8; i++)
		cells[i] = "";
	cells[0] = "provenance";
	cells[1] = "REPORT";
	cells[3] = "j2w " J2W_VERSION;
	strbuf_addf(&sb, "made by j2w-report%s%s from %zu input file%s",
	    o->generated != NULL ? " on " : "", o->generated != NULL ? o->generated : "",
	    r->nsources, r->nsources == 1 ? "" : "s");
	cells[5] = sb.buf;
	csv_write_row(fp, ',', cells, 8, NULL);
	cells[1] = "INPUT";
	for (size_t i = 0; i < r->nsources; i++) {
		const struct report_source *src = &r->sources[i];

		strbuf_reset(&sb);
		strbuf_addf(&sb, "%llu bytes, SHA-256 %s, %s", src->size, src->sha256, src->kind);
		if (strcmp(src->kind, "JSON Lines") == 0)
			strbuf_addf(&sb, ", %lu record%s", src->records, src->records == 1 ? "" : "s");
		cells[3] = src->name;
		cells[5] = sb.buf;
		csv_write_row(fp, ',', cells, 8, NULL);
	}
	strbuf_release(&sb);
	for (size_t a = 0; a < r->nareas; a++) {
		const struct report_area *ar = &r->areas[a];

		for (size_t k = ar->first; k < ar->first + ar->count; k++) {
			const struct report_item *it = &r->items[r->order[k]];

			cells[0] = ar->name;
			cells[1] = it->check;
			cells[2] = severity_name(it->sev);
			cells[3] = it->subject != NULL ? it->subject : "";
			cells[4] = it->view != NULL ? it->view : "";
			cells[5] = it->message != NULL ? it->message : "";
			cells[6] = item_fix_or_empty(it);
			cells[7] = it->user != NULL ? it->user : "";
			if (csv_write_row(fp, ',', cells, 8, NULL) < 0)
				break;
		}
	}
	if (ferror(fp))
		return err_set_errno(err, J2W_ESYS, "cannot write the report");
	return 0;
}
