/* Fuzz target for the header parsers of http: Link rel=next and Retry-After. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *next;
	long ms;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	next = http_link_next(s);
	/* the URL is what stood between some '<' and '>' of the value */
	if (next != NULL && (next[0] == '\0' || strchr(next, '>') != NULL || strstr(s, next) == NULL))
		abort();
	free(next);
	ms = http_retry_after_ms(s, 1000, 60000);
	if (ms < 0 || ms > 60000)
		abort();
	free(s);
	return 0;
}
