/*
 * One j2w-dns-check run over DNS: the resolvers and domains (as given, or the
 * email domains of user records), the questions it asks in two rounds
 * (discovery SRV, then A and AAAA of their targets), an index to find each
 * answer, and the DNS checks over those answers.
 */
#ifndef J2W_DNSRUN_H
#define J2W_DNSRUN_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

#include "dns/dns.h"
#include "dns/nameset.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

/* Which side of split DNS a resolver answers for. */
enum dnsrun_view { DNSRUN_INTERNAL, DNSRUN_EXTERNAL };

struct dnsrun_resolver {
	char server[80];	/* ADDR:PORT as dns_server_parse wrote it */
	const char *view;	/* "internal" or "external" (static) */
};

struct dnsrun {
	struct dnsrun_resolver res[DNS_RESOLVERS_MAX];
	size_t nres;
	char **domains;		/* lower case, no trailing dot, unique; sorted after dnsrun_plan */
	size_t ndomains, domcap;
	struct nameset domain_set;	/* the domains, to drop repeats as they come */
	char **names;		/* owns every qname */
	size_t nnames, namecap;
	struct dns_query *q;	/* every question, in the order asked */
	size_t nq, qcap;
	const struct dns_query **index;	/* q sorted by resolver, type, name */
};

/* Call before use and dnsrun_release after (frees every domain, name and answer). */
void dnsrun_init(struct dnsrun *run);
void dnsrun_release(struct dnsrun *run);

/*
 * Adds a resolver ADDR[:PORT] for view. Returns 0, or -1 with err (J2W_EUSAGE)
 * when addr is not an address (dns_server_parse's words) or there are already
 * DNS_RESOLVERS_MAX.
 */
int dnsrun_add_resolver(struct dnsrun *run, const char *addr, enum dnsrun_view view,
    struct j2w_err *err);
/* Whether some resolver answers for view. */
int dnsrun_has_view(const struct dnsrun *run, enum dnsrun_view view);

/*
 * Adds domain s as DNS knows it: lower case, no trailing dot, labels of
 * letters, digits and hyphens (no hyphen at either end, 1 to 63 long, 253 in
 * all). A repeat is dropped at once, so memory follows the distinct domains
 * however many records name them. Returns 0 (added or already there), 1 when s
 * is not such a domain (nothing added), -1 when out of memory.
 */
int dnsrun_add_domain(struct dnsrun *run, const char *s);

/*
 * Adds the email domains of the user records read from fp to its end (JSON
 * Lines or CSV, as record/records.h reads them): of each record's Webex email
 * as record/person picks it, the part after the last '@', as dnsrun_add_domain
 * takes it. A record without such a domain is counted in *bad and told to note
 * (may be NULL) as "NAME:LINE: user 'ID' has no mail or directory URI with a
 * usable domain; not counted". name is the input's name for messages ("-":
 * stdin, shown as <stdin>). Returns 0, or -1 with err: the reader's
 * (J2W_EDATA), J2W_ESYS out of memory.
 */
int dnsrun_read_domains(struct dnsrun *run, FILE *fp, const char *name,
    void (*note)(void *ctx, const char *msg), void *ctx, unsigned long *bad,
    struct j2w_err *err);

/*
 * Appends the run's summary line to sb: domains, resolvers, questions (answered
 * of them), the findings by severity (count, indexed by enum severity),
 * and the user records without a domain (bad) when there were any.
 */
void dnsrun_describe(const struct dnsrun *run, size_t answered, const unsigned long *count,
    unsigned long bad, struct strbuf *sb);

/*
 * Round one: sorts the domains and asks every resolver for
 * every SRV record of dnschecks_srv_prefixes under every domain (resolver by
 * resolver, domain by domain). Builds the index. Returns 0, or -1 with err
 * (J2W_ESYS) when out of memory.
 */
int dnsrun_plan(struct dnsrun *run, struct j2w_err *err);

/*
 * Round two, once round one is answered: asks A and AAAA of every target of
 * each resolver's discovery SRV record (dnschecks_discovery_prefix of its
 * view) on that resolver, each target once per resolver (in the order first
 * named; names equal but for letter case or a trailing dot are one target),
 * leaving out targets not worth resolving (dnschecks_target_resolvable).
 * *first gets the index in
 * q of the first new question. Rebuilds the index. Returns 0, or -1 with err
 * (J2W_ESYS).
 */
int dnsrun_plan_targets(struct dnsrun *run, size_t *first, struct j2w_err *err);

/*
 * Asks both rounds: a client with one channel per resolver, timeout_ms for
 * the first try, two tries, parallel questions in flight per resolver.
 * Unanswered questions are not an error (each has its status). Returns 0, or
 * -1 with err when the lookups could not run at all.
 */
int dnsrun_lookup(struct dnsrun *run, long timeout_ms, int parallel, struct j2w_err *err);

/*
 * The question (resolver, qname, qtype), or NULL when it was not asked; the
 * find function of struct dnschecks_env (arg is the run). Valid after
 * dnsrun_plan or dnsrun_plan_targets until the next question is added.
 */
const struct dns_query *dnsrun_find(void *arg, size_t resolver, const char *qname, int qtype);

/* How many questions got an answer of any kind (dns_status_unanswered is false). */
size_t dnsrun_answered(const struct dnsrun *run);

/*
 * Where a run's findings go as they are made, so that a run never holds them
 * all: emit gets a JSON array of findings (one domain's on every resolver, the
 * cross-domain ones, one probe's), in output order, and returns 0, or -1 with
 * err to stop the run. The array is emptied after each call: emit takes a
 * reference (json_incref) to any finding it keeps.
 */
struct dnsrun_sink {
	int (*emit)(void *arg, json_t *findings, struct j2w_err *err);
	void *arg;
};

/*
 * Applies the DNS checks (dnschecks_domain) to every domain on every
 * resolver, domain by domain, then XMPP-FED across the domains on each
 * external resolver, handing the findings to sink as each domain is done.
 * Returns 0, or -1 with err (J2W_ESYS when out of memory, or emit's).
 */
int dnsrun_check(struct dnsrun *run, const struct dnsrun_sink *sink, struct j2w_err *err);

#endif
