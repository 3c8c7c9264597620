/* libFuzzer target for srv_parse: any bytes as a DNS answer, then sorting what was kept. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dns/srv.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct srv_answer a;
	struct j2w_err err;
	char text[DNS_NAME_TEXT_MAX];
	size_t next;

	srv_answer_init(&a);
	if (srv_parse(d, n, &a, &err) == 0) {
		srv_sort(a.srv, a.nsrv);
		for (size_t i = 0; i < a.nsrv; i++) {
			if (a.srv[i].target[0] == '\0' || strlen(a.srv[i].target) >= DNS_NAME_TEXT_MAX)
				__builtin_trap();
		}
	}
	srv_answer_release(&a);
	/* names at every offset, as a resolver library would walk them */
	for (size_t off = 0; off < n && off < 64; off++)
		(void)srv_name_expand(d, n, off, text, &next);
	return 0;
}
