/* libFuzzer target: a BAT enduser.csv (header + rows) through the row mapping. */
#include <stdint.h>
#include <stdio.h>

#include "cucm/bat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	struct csv_header h;
	struct bat_map map;
	struct strbuf problem;
	struct j2w_err err;
	FILE *fp;

	if (size == 0)
		return 0;
	fp = fmemopen((void *)data, size, "r");
	if (fp == NULL)
		return 0;
	strbuf_init(&problem, 0);
	csv_reader_init(&r, fp, -1, ',', "fuzz.csv", &err);
	if (csv_reader_next(&r, &err) == 1 && csv_header_load(&h, &r.row, &err) == 0) {
		if (bat_map_init(&map, &h, &err) == 0) {
			while (csv_reader_next(&r, &err) == 1) {
				struct user u;

				user_init(&u);
				if (bat_row_to_user(&map, &h, &r.row, NULL, r.line % 2, "bat:fuzz:1",
				    &u, &problem, &err) == 0)
					user_release(&u);
			}
			bat_map_release(&map);
		}
		csv_header_release(&h);
	}
	csv_reader_release(&r);
	strbuf_release(&problem);
	fclose(fp);
	return 0;
}
