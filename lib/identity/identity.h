/*
 * Identity rules: email addresses (RFC 5322 addr-spec, RFC 6531 UTF-8), JIDs
 * (RFC 7622), Unicode case folding, IDN domains (A-labels and U-labels), and
 * how two addresses compare. Pure functions: no I/O, no global state.
 */
#ifndef J2W_IDENTITY_H
#define J2W_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* The longest label and name a DNS domain may have (RFC 1035), in octets. */
#define IDENTITY_LABEL_MAX 63
#define IDENTITY_DOMAIN_MAX 253

/*
 * Appends s[0..len) to out with simple Unicode case folding (one code point
 * to one code point; U+00DF stays). Invalid UTF-8 bytes are copied unchanged.
 * Returns 0 or -1 (ENOMEM, the buffer's cap).
 */
int identity_fold(struct strbuf *out, const char *s, size_t len);

/*
 * RFC 3492 Punycode. punycode_decode appends the UTF-8 form of the ASCII
 * string in[0..len) (without "xn--") to out; punycode_encode appends the
 * Punycode form of UTF-8 in[0..len). Both refuse more than
 * IDENTITY_LABEL_MAX code points. Return 0, or -1 when the input is not
 * valid for the algorithm (or on ENOMEM), with out unchanged in length.
 */
int punycode_decode(const char *in, size_t len, struct strbuf *out);
int punycode_encode(const char *in, size_t len, struct strbuf *out);

/*
 * Checks a DNS domain name: labels of letters, digits and hyphens (no hyphen
 * first or last), U-labels (non-ASCII, encoded no longer than 63 octets as an
 * A-label), or A-labels ("xn--", which must decode and re-encode to the
 * same). One trailing dot is allowed. need_dot: refuse a single label.
 * Returns 0, or -1 with *why a static reason.
 */
int identity_domain_check(const char *d, size_t len, int need_dot, const char **why);

/*
 * Appends the comparison key of domain d[0..len) to out: trailing dot
 * dropped, A-labels decoded to U-labels, everything case-folded, so that
 * "xn--bcher-kva.example" and "BÜCHER.example" give the same key. A label
 * that is not valid Punycode is kept as folded text. Returns 0 or -1 (ENOMEM).
 */
int identity_domain_key(struct strbuf *out, const char *d, size_t len);

/*
 * Checks an email address as an RFC 5322 addr-spec (dot-atom or quoted-string
 * local part, no comments or folding white space, no obsolete forms) with
 * UTF-8 allowed (RFC 6531), a local part of at most 64 octets (RFC 5321) and
 * a domain that is a DNS name with a dot (a domain literal cannot be a Webex
 * email). Returns 0, or -1 with *why a static reason.
 */
int identity_email_check(const char *s, const char **why);

/*
 * Checks a bare JID localpart@domainpart (RFC 7622): localpart and
 * domainpart 1..1023 octets, no space, control or " & ' / : < > in the
 * localpart, the domainpart a DNS name. The localpart ends at the LAST '@'
 * (IM&P writes userid@default-domain even when the userid holds '@'); an '@'
 * inside it is accepted here because the caller reports it on its own; a '/'
 * (a resource) is refused. Returns 0, or -1 with *why a static reason.
 */
int identity_jid_check(const char *s, const char **why);

/* The last '@' in s, or NULL (the localpart/domain split IM&P uses). */
const char *identity_last_at(const char *s);

/*
 * The comparison key of an address (email, JID or Directory URI) as a new
 * string the caller frees: leading and trailing ASCII white space dropped,
 * local part folded, domain through identity_domain_key. NULL on ENOMEM.
 */
char *identity_key(const char *addr);

enum identity_cmp {
	IDENTITY_SAME,		/* byte for byte */
	IDENTITY_CASE_ONLY,	/* equal once case-folded */
	IDENTITY_EQUIVALENT,	/* equal keys: white space, trailing dot, A-/U-label */
	IDENTITY_DIFFERENT
};

/* Compares two addresses (see identity_key). Returns IDENTITY_DIFFERENT on ENOMEM. */
enum identity_cmp identity_compare(const char *a, const char *b);

#endif
