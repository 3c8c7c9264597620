/* A TLS handshake to one host:port as a client would make it, and what its certificate says. */
#ifndef J2W_TLSPROBE_H
#define J2W_TLSPROBE_H

#include <stddef.h>
#include <time.h>

#include "util/j2w_err.h"

struct tlsprobe_result {
	int handshake_ok;		/* 0: see error, the rest is empty */
	char error[256];
	char address[64];		/* the address connected to */
	char protocol[16];		/* "TLSv1.3" */
	int chain_ok;			/* verified against the system store and --cacert */
	char verify_error[160];		/* OpenSSL's words when chain_ok is 0 */
	int name_ok;			/* X509_check_host(host) matched */
	char fingerprint[100];		/* SHA-256, "AB:CD:..." */
	char subject[256];
	char issuer[256];
	char not_before[24];		/* "2026-11-21T00:00:00Z" */
	char not_after[24];
	time_t not_before_t;
	time_t not_after_t;
	char **dns_names;		/* subjectAltName dNSName entries */
	size_t ndns_names;
	int has_eku;			/* the certificate restricts its use */
	int eku_server;			/* serverAuth */
	int eku_client;			/* clientAuth */
	char key_type[16];		/* "RSA", "EC", "ED25519", ... */
	int key_bits;
};

/* Call before tlsprobe_run; tlsprobe_release frees the name list. */
void tlsprobe_result_init(struct tlsprobe_result *r);
void tlsprobe_result_release(struct tlsprobe_result *r);

/*
 * Connects to address:port (an IP literal, from the view's resolver, so that
 * the server seen is the one that view's clients reach), sends host as SNI,
 * completes the handshake whatever the certificate (a weak key or a bad chain
 * is a finding, not a reason to stop) and fills r. The chain is verified
 * against the system store plus cacert (a PEM file, may be NULL) with the
 * time check left to the expiry rule. timeout_ms bounds the connect and each
 * read. A failure to connect or shake hands is not an error of the call: r
 * says so. Returns 0, or -1 with err when the probe could not be set up at
 * all (a cacert that cannot be read is J2W_EUSAGE).
 */
int tlsprobe_run(const char *host, const char *address, unsigned port, const char *cacert,
    long timeout_ms, struct tlsprobe_result *r, struct j2w_err *err);

/*
 * Parses a time for --now: "@SECONDS", "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ", or
 * "+N" / "+Nd" days from the current time. Returns 0 or -1.
 */
int tlsprobe_parse_time(const char *s, time_t current, time_t *out);

#endif
