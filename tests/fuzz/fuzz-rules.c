/* libFuzzer target: wave rules parsing and matching. */
#include <stddef.h>
#include <stdint.h>

#include "webex/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct rules rs;
	struct j2w_err err;

	if (rules_parse(&rs, (const char *)d, n, "fuzz", &err) == 0) {
		json_t *rec = json_pack("{s:s, s:s, s:b, s:i}", "department", "Contact Center",
		    "mailid", "a@emea.example.com", "home_cluster", 1, "n", 7);

		rules_match(&rs, rec, "a@emea.example.com");
		rules_match(&rs, rec, NULL);
		json_decref(rec);
		rules_release(&rs);
	}
	return 0;
}
