/* DNS answers in wire format (RFC 1035, RFC 2782): a pure parser for SRV, A, AAAA and CNAME. */
#ifndef J2W_SRV_H
#define J2W_SRV_H

#include <stddef.h>
#include <stdint.h>

#include "util/j2w_err.h"

/* Presentation form of a name: 255 wire octets can grow to 4 per octet with \DDD escapes. */
#define DNS_NAME_TEXT_MAX 1024
/* The most records of one kind kept from one answer (a DNS message is at most 64 KiB). */
#define DNS_RR_MAX 512

enum {
	DNS_T_A = 1,
	DNS_T_CNAME = 5,
	DNS_T_AAAA = 28,
	DNS_T_SRV = 33
};

enum {
	DNS_RCODE_NOERROR = 0,
	DNS_RCODE_FORMERR = 1,
	DNS_RCODE_SERVFAIL = 2,
	DNS_RCODE_NXDOMAIN = 3,
	DNS_RCODE_NOTIMP = 4,
	DNS_RCODE_REFUSED = 5
};

struct srv_rr {
	uint16_t priority;
	uint16_t weight;
	uint16_t port;
	char *target;		/* presentation form, lower case, no trailing dot; "." for the root */
};

struct dns_cname {
	char *owner;
	char *target;
};

/* What one answer said: its header and the answer-section records we use. */
struct srv_answer {
	int rcode;
	int aa;			/* authoritative answer */
	int tc;			/* truncated */
	unsigned ancount;	/* as the header says */
	struct srv_rr *srv;
	size_t nsrv;
	char **addrs;		/* A and AAAA in text form (inet_ntop) */
	size_t naddrs;
	struct dns_cname *cnames;
	size_t ncnames;
};

void srv_answer_init(struct srv_answer *a);
/* Frees every record and leaves an empty answer. */
void srv_answer_release(struct srv_answer *a);

/*
 * Parses one DNS message wire[0..len): header, question section (skipped),
 * answer section. SRV, A, AAAA and CNAME records are kept (up to DNS_RR_MAX of
 * each), others skipped. Names are expanded with compression pointers, which
 * must point backwards (so no loop can be built) and stay inside the message.
 * Returns 0, or -1 with err (J2W_EDATA: "truncated", "bad compression pointer",
 * ...) and out left holding what was read so far; release it either way.
 */
int srv_parse(const unsigned char *wire, size_t len, struct srv_answer *out,
    struct j2w_err *err);

/*
 * Expands the name at wire[off] into text[DNS_NAME_TEXT_MAX] (lower case,
 * dots between labels, no trailing dot, "." for the root, \DDD for octets
 * outside [a-z0-9_-] and for a dot inside a label). *next gets the offset
 * just past the name where it sits (not where pointers led). Returns 0 or -1.
 */
int srv_name_expand(const unsigned char *wire, size_t len, size_t off, char *text,
    size_t *next);

/*
 * Sorts SRV records in RFC 2782 order: priority ascending, then weight
 * descending (the larger share first), then target and port for a stable result.
 */
void srv_sort(struct srv_rr *rr, size_t n);

#endif
