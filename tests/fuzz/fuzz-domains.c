/* libFuzzer target for dnsrun_read_domains: any bytes as the user records of --domains-from. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dns/dnsrun.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	FILE *fp = fmemopen((void *)d, n, "rb");
	struct dnsrun run;
	struct j2w_err err;
	unsigned long bad = 0;

	if (fp == NULL)
		return 0;
	dnsrun_init(&run);
	(void)dnsrun_read_domains(&run, fp, "fuzz", NULL, NULL, &bad, &err);
	/* every domain kept is one DNS can ask for: lower case, no trailing dot */
	for (size_t i = 0; i < run.ndomains; i++) {
		size_t len = strlen(run.domains[i]);

		if (len == 0 || len > 253 || run.domains[i][len - 1] == '.' ||
		    strspn(run.domains[i], "abcdefghijklmnopqrstuvwxyz0123456789-.") != len)
			__builtin_trap();
	}
	dnsrun_release(&run);
	fclose(fp);
	return 0;
}
