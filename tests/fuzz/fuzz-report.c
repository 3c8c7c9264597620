/* libFuzzer target for the report: any bytes as JSON Lines, then every writer; HTML must never carry a raw tag from the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_records.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct report_opts o = { "t", "o", NULL };
	struct report r;
	struct j2w_err err;
	char *html = NULL;
	size_t len = 0;
	FILE *in, *out;

	if (n == 0 || (in = fmemopen((void *)d, n, "r")) == NULL)
		return 0;
	report_init(&r);
	if (report_read_stream(&r, in, "fuzz", &err) == 0 && report_finish(&r, &err) == 0) {
		if ((out = open_memstream(&html, &len)) != NULL) {
			report_write_html(&r, out, &o, &err);
			fclose(out);
			/* the page's own markup has no script element, so none may appear */
			if (html != NULL && memmem(html, len, "<script", 7) != NULL)
				__builtin_trap();
			free(html);
		}
		if ((out = fopen("/dev/null", "w")) != NULL) {
			report_write_md(&r, out, &o, &err);
			report_write_csv(&r, out, &o, &err);
			fclose(out);
		}
	}
	fclose(in);
	report_release(&r);
	return 0;
}
