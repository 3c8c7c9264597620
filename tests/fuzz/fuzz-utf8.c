/*
 * Fuzz target for utf8: utf8_invalid_at agrees with jansson's own UTF-8 check,
 * Latin-1 conversion always gives valid UTF-8, and utf8_lower keeps validity
 * and is idempotent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t bad = utf8_invalid_at(s, size);
	struct strbuf a, b;
	json_t *js;

	if (bad > size || (bad < size && utf8_invalid_at(s, bad) != bad))
		abort();
	js = json_stringn(s, size);
	if ((js != NULL) != (bad == size))
		abort();
	json_decref(js);

	strbuf_init(&a, 0);
	strbuf_init(&b, 0);
	if (utf8_from_latin1(&a, s, size) < 0 || utf8_invalid_at(a.buf, a.len) != a.len)
		abort();
	strbuf_reset(&a);
	if (utf8_lower(&a, s, size) < 0 || utf8_lower(&b, a.buf, a.len) < 0)
		abort();
	if ((utf8_invalid_at(a.buf, a.len) == a.len) != (bad == size))
		abort();
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len) != 0)
		abort();
	strbuf_release(&a);
	strbuf_release(&b);
	return 0;
}
