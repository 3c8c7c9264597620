/*
 * libFuzzer target: a serviceprofile.csv and a ucservice.csv (the input split at
 * its first NUL byte; without one, both read the same bytes) through the readers,
 * every profile followed to its UC services, and each configuration made whole.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/serviceprofile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *
open_mem(const uint8_t *data, size_t size)
{
	/* fmemopen wants at least one byte */
	return fmemopen((void *)(size ? data : (const uint8_t *)""), size ? size : 1, "r");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t sp_size = nul != NULL ? (size_t)(nul - data) : size;
	const uint8_t *uc = nul != NULL ? nul + 1 : data;
	size_t uc_size = nul != NULL ? size - sp_size - 1 : size;
	struct serviceprofile_list l;
	struct j2w_err err;
	struct strbuf out;
	FILE *fp;

	strbuf_init(&out, 1 << 20);
	fp = open_mem(data, sp_size);
	if (fp == NULL)
		return 0;
	if (serviceprofile_read(&l, fp, -1, "serviceprofile.csv", &err) == 0) {
		FILE *ufp = open_mem(uc, uc_size);

		if (ufp != NULL) {
			if (ucservice_read(&l.uc, ufp, -1, "ucservice.csv", &err) < 0)
				memset(&l.uc, 0, sizeof(l.uc));
			fclose(ufp);
		}
		for (size_t i = 0; i < l.n; i++) {
			for (int c = 0; c < SP_CLIENTS; c++) {
				struct serviceprofile_config cfg;

				serviceprofile_resolve(&l, &l.p[i], c, &cfg);
				strbuf_reset(&out);
				serviceprofile_config_xml(cfg.cell, cfg.from_service, &out);
			}
			strbuf_reset(&out);
			serviceprofile_file_name(l.p[i].name, &out);
		}
		serviceprofile_list_release(&l);
	}
	fclose(fp);
	/* the decoders on the raw bytes, as a cell */
	if (nul == NULL) {
		char *cell = strndup((const char *)data, size);

		if (cell != NULL) {
			strbuf_reset(&out);
			ucservice_decode_values(cell, &out);
			strbuf_reset(&out);
			serviceprofile_config_xml(cell, 1, &out);
			strbuf_reset(&out);
			serviceprofile_config_xml(cell, 0, &out);
			free(cell);
		}
	}
	strbuf_release(&out);
	return 0;
}
