/* libFuzzer target: IM&P contact-list exports (presence rows, non-presence rows with vCards). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cucm/contacts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct contacts_reader r;
	struct strbuf problem;
	struct contact c = { 0 };
	struct j2w_err err;
	FILE *fp;
	int rc;

	if (size == 0)
		return 0;
	/* the vCard reader on its own, over the raw bytes */
	rc = contacts_vcard((const char *)data, size, &c);
	contact_release(&c);
	fp = fmemopen((void *)data, size, "r");
	if (fp == NULL)
		return 0;
	if (contacts_open(&r, fp, "fuzz.csv", &err) == 0) {
		/* a small row limit reaches the too-long paths with small inputs */
		if (size % 3 == 0)
			r.max_record = 64;
		strbuf_init(&problem, 0);
		while ((rc = contacts_next(&r, &c, &problem, &err)) > 0) {
			if (rc == 1) {
				json_t *obj = contact_to_json(&c);

				json_decref(obj);
				contact_release(&c);
			}
		}
		strbuf_release(&problem);
		contacts_close(&r);
	}
	fclose(fp);
	return 0;
}
