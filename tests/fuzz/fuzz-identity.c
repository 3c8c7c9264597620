/* libFuzzer target for the identity rules: addr-spec, JID, Punycode, domain keys, compare. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "identity/identity.h"
#include "identity/ldapdir.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);
	const char *why;
	struct strbuf sb, back;
	char *k, *tab;

	if (s == NULL)
		return 0;
	memcpy(s, d, n);
	s[n] = '\0';
	identity_email_check(s, &why);
	identity_jid_check(s, &why);
	identity_domain_check(s, strlen(s), 1, &why);
	k = identity_key(s);
	free(k);
	strbuf_init(&sb, 0);
	strbuf_init(&back, 0);
	/* Punycode both ways: what decodes must encode back to the same, in lower case */
	if (punycode_decode((const char *)d, n, &sb) == 0 &&
	    punycode_encode(sb.buf, sb.len, &back) == 0) {
		struct strbuf again;

		strbuf_init(&again, 0);
		if (punycode_decode(back.buf, back.len, &again) != 0 ||
		    strcmp(again.buf, sb.buf) != 0)
			abort();
		strbuf_release(&again);
	}
	strbuf_reset(&sb);
	identity_domain_key(&sb, (const char *)d, n);
	strbuf_reset(&sb);
	ldapdir_escape(&sb, (const char *)d, n);
	tab = strchr(s, '\t');
	if (tab != NULL) {
		*tab = '\0';
		identity_compare(s, tab + 1);
	}
	strbuf_release(&sb);
	strbuf_release(&back);
	free(s);
	return 0;
}
