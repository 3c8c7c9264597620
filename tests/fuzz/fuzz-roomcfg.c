/* libFuzzer target: a TC_ROOMS CONFIG packet through roomcfg_name. */
#include <stdint.h>
#include <stdlib.h>

#include "chat/roomcfg.h"
#include "util/xmlsafe.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct j2w_err err;
	char *name;

	xmlsafe_init();
	name = roomcfg_name((const char *)d, n, &err);
	free(name);
	return 0;
}
