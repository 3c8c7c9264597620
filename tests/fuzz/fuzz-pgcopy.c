/* libFuzzer target: one PostgreSQL COPY text row (as the server sends it) through chatsrc_pg_parse_copy_row. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chat/chatsrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1), *fields[16];
	int k;

	if (buf == NULL)
		return 0;
	memcpy(buf, d, n);
	k = chatsrc_pg_parse_copy_row(buf, n, fields, 16);
	for (int i = 0; i < k; i++)
		if (fields[i] != NULL && strlen(fields[i]) > n)
			abort();
	free(buf);
	return 0;
}
