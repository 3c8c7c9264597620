/* DNS queries to chosen resolvers with c-ares: many at once, each outcome told apart. */
#ifndef J2W_DNS_H
#define J2W_DNS_H

#include <stddef.h>

#include "dns/srv.h"
#include "util/j2w_err.h"

/* What became of one question; the order is the evidence's vocabulary. */
enum dns_status {
	DNS_ANSWER,	/* NOERROR with records */
	DNS_NODATA,	/* NOERROR, the name exists, no record of that type */
	DNS_NXDOMAIN,	/* the name does not exist */
	DNS_TIMEOUT,	/* no answer within the tries */
	DNS_REFUSED,	/* the resolver refused (not authoritative, ACL) */
	DNS_SERVFAIL,	/* the resolver failed */
	DNS_FAILED	/* anything else: unreachable, malformed answer, ... (see detail) */
};

/* "ANSWER", "NODATA", "NXDOMAIN", "TIMEOUT", "REFUSED", "SERVFAIL", "ERROR". */
const char *dns_status_name(enum dns_status s);
/* Whether the question went unanswered, so nothing can be concluded from it. */
int dns_status_unanswered(enum dns_status s);
/* "SRV", "A", "AAAA", "CNAME" or "TYPEnn" (static or a static buffer). */
const char *dns_type_name(int qtype);

/* One question to one resolver; the caller fills the first part, dns_run the rest. */
struct dns_query {
	size_t resolver;	/* index into the servers given to dns_client_new */
	const char *qname;	/* not owned */
	int qtype;		/* DNS_T_SRV, DNS_T_A, DNS_T_AAAA */
	enum dns_status status;
	struct srv_answer ans;	/* records, rcode and flags when an answer came */
	/*
	 * c-ares's or the parser's words for DNS_FAILED (at most 159 bytes), else
	 * NULL: held apart because most questions have none, and a run keeps
	 * every question to the end.
	 */
	char *detail;
};

/* Call before use and dns_query_release after (frees the answer and the detail). */
void dns_query_init(struct dns_query *q, size_t resolver, const char *qname, int qtype);
void dns_query_release(struct dns_query *q);

struct dns_client;

/* The most resolvers one client asks (each gets its own channel and sockets). */
#define DNS_RESOLVERS_MAX 64

/*
 * Checks and normalises a resolver address ADDR[:PORT] (IPv4, IPv6 in
 * brackets when a port is given, or bare IPv6) into out[outlen] in the form
 * c-ares takes ("127.0.0.1:5354", "[::1]:53"). Returns 0, or -1 with err
 * (J2W_EUSAGE) naming what is wrong.
 */
int dns_server_parse(const char *s, char *out, size_t outlen, struct j2w_err *err);

/*
 * A client with one c-ares channel per server (servers as dns_server_parse
 * accepts them; each is asked on its own, never as a fallback for another).
 * timeout_ms is the wait for the first try (c-ares doubles it for each further
 * try), tries the attempts per question, max_inflight the questions each
 * server has outstanding at once (1 asks one after the other). At most
 * DNS_RESOLVERS_MAX servers (more is J2W_EUSAGE). Returns NULL with err on
 * failure; free with dns_client_free.
 */
struct dns_client *dns_client_new(const char *const *servers, size_t nservers,
    long timeout_ms, int tries, int max_inflight, struct j2w_err *err);
void dns_client_free(struct dns_client *c);

/*
 * Asks every question in q[0..n), all servers concurrently, and fills in each
 * status, answer and detail. A question that gets no answer is not an error
 * of the run: it has its status. A server that answered nothing while a
 * whole window (at least 8) of questions went unanswered gets no more: the
 * rest are marked DNS_TIMEOUT unsent, with a detail saying so (counts carry
 * over between runs of the same client). Returns 0, or -1 with err only when
 * the run itself could not go on (out of memory, poll failing).
 */
int dns_run(struct dns_client *c, struct dns_query *q, size_t n, struct j2w_err *err);

#endif
