/* libFuzzer target: Control Hub CSV template parsing and cell filling. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "webex/ctcsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct ctcsv_template t;
	struct j2w_err err;

	if (ctcsv_template_parse(&t, (const char *)d, n, "fuzz", &err) == 0) {
		json_t *rec = json_pack("{s:s, s:b, s:i}", "mailid", "a@x.com", "flag", 0, "n", 3);
		const char **cells = calloc(t.n, sizeof(*cells));
		char *scratch = malloc(t.n * 32);

		if (cells != NULL && scratch != NULL)
			ctcsv_template_cells(&t, rec, cells, scratch);
		free(cells);
		free(scratch);
		json_decref(rec);
		ctcsv_template_release(&t);
	}
	return 0;
}
