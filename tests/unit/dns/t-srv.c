/* Unit tests for srv_parse: well-formed answers, compression, and hostile wire data. */
#include <stdlib.h>
#include <string.h>

#include "dns/srv.h"
#include "unit.h"

/* A message under construction. */
struct wire {
	unsigned char b[2048];
	size_t n;
};

static void
put(struct wire *w, const void *p, size_t n)
{
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void
put16(struct wire *w, unsigned v)
{
	unsigned char b[2] = { (unsigned char)(v >> 8), (unsigned char)v };

	put(w, b, 2);
}

/* "a.b.c" as labels and the root */
static void
put_name(struct wire *w, const char *name)
{
	while (*name != '\0') {
		size_t l = strcspn(name, ".");
		unsigned char len = (unsigned char)l;

		put(w, &len, 1);
		put(w, name, l);
		name += l;
		if (*name == '.')
			name++;
	}
	put(w, "", 1);
}

static void
header(struct wire *w, int rcode, unsigned qd, unsigned an)
{
	w->n = 0;
	put16(w, 0x1234);
	put16(w, 0x8180 | (unsigned)rcode);	/* response, RD, RA */
	put16(w, qd);
	put16(w, an);
	put16(w, 0);
	put16(w, 0);
}

static void
question(struct wire *w, const char *name, unsigned type)
{
	put_name(w, name);
	put16(w, type);
	put16(w, 1);
}

/* an SRV record whose owner is a pointer to offset 12 (the question name) */
static void
srv_rr(struct wire *w, unsigned prio, unsigned weight, unsigned port, const char *target)
{
	size_t rdlen_at;

	put16(w, 0xc00c);
	put16(w, 33);
	put16(w, 1);
	put16(w, 0);
	put16(w, 300);
	rdlen_at = w->n;
	put16(w, 0);
	put16(w, prio);
	put16(w, weight);
	put16(w, port);
	put_name(w, target);
	w->b[rdlen_at] = (unsigned char)((w->n - rdlen_at - 2) >> 8);
	w->b[rdlen_at + 1] = (unsigned char)(w->n - rdlen_at - 2);
}

static void
test_srv_answer_sorted(void)
{
	struct wire w;
	struct srv_answer a;
	struct j2w_err err;

	header(&w, 0, 1, 3);
	question(&w, "_cisco-uds._tcp.Example.com", 33);
	srv_rr(&w, 6, 30, 8443, "cucm3.example.com");
	srv_rr(&w, 1, 5, 8443, "CUCM1.example.com");
	srv_rr(&w, 1, 50, 8443, "cucm2.example.com");
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), 0);
	CHECK_INT(a.rcode, 0);
	CHECK_INT(a.ancount, 3);
	CHECK_INT(a.nsrv, 3);
	srv_sort(a.srv, a.nsrv);
	CHECK_STR(a.srv[0].target, "cucm2.example.com");	/* priority 1, larger weight */
	CHECK_STR(a.srv[1].target, "cucm1.example.com");	/* lower-cased */
	CHECK_STR(a.srv[2].target, "cucm3.example.com");
	CHECK_INT(a.srv[1].priority, 1);
	CHECK_INT(a.srv[1].weight, 5);
	CHECK_INT(a.srv[1].port, 8443);
	srv_answer_release(&a);
}

static void
test_compressed_target(void)
{
	struct wire w;
	struct srv_answer a;
	struct j2w_err err;
	size_t rdlen_at;

	header(&w, 0, 1, 1);
	question(&w, "_collab-edge._tls.example.com", 33);
	put16(&w, 0xc00c);
	put16(&w, 33);
	put16(&w, 1);
	put16(&w, 0);
	put16(&w, 60);
	rdlen_at = w.n;
	put16(&w, 0);
	put16(&w, 10);
	put16(&w, 10);
	put16(&w, 8443);
	put(&w, "\005expe1", 6);
	/* pointer to "example.com" inside the question: offset 12 + 1+12 + 1+4 */
	put16(&w, 0xc000 | 30);
	w.b[rdlen_at + 1] = (unsigned char)(w.n - rdlen_at - 2);
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), 0);
	CHECK_INT(a.nsrv, 1);
	if (a.nsrv == 1)
		CHECK_STR(a.srv[0].target, "expe1.example.com");
	srv_answer_release(&a);
}

static void
test_addresses_and_cname(void)
{
	static const unsigned char v4[4] = { 192, 0, 2, 10 };
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 };
	struct wire w;
	struct srv_answer a;
	struct j2w_err err;

	header(&w, 0, 1, 3);
	question(&w, "alias.example.com", 1);
	put16(&w, 0xc00c); put16(&w, 5); put16(&w, 1); put16(&w, 0); put16(&w, 60);
	put16(&w, 7);
	put(&w, "\004expe", 5);
	put16(&w, 0xc000 | 18);		/* "example.com" of the question */
	put16(&w, 0xc00c); put16(&w, 1); put16(&w, 1); put16(&w, 0); put16(&w, 60);
	put16(&w, 4); put(&w, v4, 4);
	put16(&w, 0xc00c); put16(&w, 28); put16(&w, 1); put16(&w, 0); put16(&w, 60);
	put16(&w, 16); put(&w, v6, 16);
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), 0);
	CHECK_INT(a.ncnames, 1);
	CHECK_INT(a.naddrs, 2);
	if (a.ncnames == 1) {
		CHECK_STR(a.cnames[0].owner, "alias.example.com");
		CHECK_STR(a.cnames[0].target, "expe.example.com");
	}
	if (a.naddrs == 2) {
		CHECK_STR(a.addrs[0], "192.0.2.10");
		CHECK_STR(a.addrs[1], "2001:db8::10");
	}
	srv_answer_release(&a);
}

static void
test_nxdomain_header_only(void)
{
	struct wire w;
	struct srv_answer a;
	struct j2w_err err;

	header(&w, 3, 1, 0);
	question(&w, "_cisco-uds._tcp.example.com", 33);
	w.b[2] |= 0x04;		/* AA */
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), 0);
	CHECK_INT(a.rcode, DNS_RCODE_NXDOMAIN);
	CHECK_INT(a.aa, 1);
	CHECK_INT(a.nsrv, 0);
	srv_answer_release(&a);
}

static void
test_root_target_and_escapes(void)
{
	struct wire w;
	struct srv_answer a;
	struct j2w_err err;
	size_t rd;

	header(&w, 0, 1, 2);
	question(&w, "_collab-edge._tls.example.com", 33);
	srv_rr(&w, 0, 0, 0, "");
	/* a label holding a dot and a space: shown escaped, never as two labels */
	put16(&w, 0xc00c); put16(&w, 33); put16(&w, 1); put16(&w, 0); put16(&w, 60);
	rd = w.n;
	put16(&w, 0);
	put16(&w, 1); put16(&w, 1); put16(&w, 1);
	put(&w, "\005a.b c\000", 7);
	w.b[rd + 1] = (unsigned char)(w.n - rd - 2);
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), 0);
	CHECK_INT(a.nsrv, 2);
	if (a.nsrv == 2) {
		CHECK_STR(a.srv[0].target, ".");
		CHECK_STR(a.srv[1].target, "a\\046b\\032c");
	}
	srv_answer_release(&a);
}

/* Each of these must be refused with an error, without reading out of bounds. */
static void
test_hostile(void)
{
	struct wire w;
	struct srv_answer a;
	struct j2w_err err;
	size_t full;

	/* shorter than a header */
	srv_answer_init(&a);
	CHECK_INT(srv_parse((const unsigned char *)"\x12\x34\x81", 3, &a, &err), -1);
	srv_answer_release(&a);

	/* every truncation of a good answer fails cleanly */
	header(&w, 0, 1, 1);
	question(&w, "_cisco-uds._tcp.example.com", 33);
	srv_rr(&w, 1, 1, 8443, "cucm1.example.com");
	full = w.n;
	for (size_t n = 12; n < full; n++) {
		unsigned char *copy = malloc(n);

		memcpy(copy, w.b, n);
		srv_answer_init(&a);
		if (!CHECK(srv_parse(copy, n, &a, &err) == -1))
			break;
		srv_answer_release(&a);
		free(copy);
	}

	/* a pointer to itself */
	header(&w, 0, 1, 0);
	put16(&w, 0xc00c);
	put16(&w, 33);
	put16(&w, 1);
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), -1);
	srv_answer_release(&a);

	/* a forward pointer */
	header(&w, 0, 1, 0);
	put16(&w, 0xc000 | 20);
	put16(&w, 33);
	put16(&w, 1);
	put_name(&w, "example.com");
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), -1);
	srv_answer_release(&a);

	/* two pointers pointing at each other through earlier bytes */
	header(&w, 0, 2, 0);
	put16(&w, 0xc000 | 14);		/* at 12 -> 14 (forward: refused) */
	put16(&w, 0xc000 | 12);		/* at 14 -> 12 */
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), -1);
	srv_answer_release(&a);

	/* the reserved 0x40 label type */
	header(&w, 0, 1, 0);
	put(&w, "\x41x", 2);
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), -1);
	srv_answer_release(&a);

	/* a name longer than 255 octets */
	header(&w, 0, 1, 0);
	for (int i = 0; i < 5; i++) {
		unsigned char l = 63;
		unsigned char label[63];

		memset(label, 'a', sizeof(label));
		put(&w, &l, 1);
		put(&w, label, sizeof(label));
	}
	put(&w, "", 1);
	put16(&w, 33);
	put16(&w, 1);
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), -1);
	srv_answer_release(&a);

	/* an A record of the wrong length; an SRV whose target runs past rdata */
	header(&w, 0, 1, 1);
	question(&w, "x.example.com", 1);
	put16(&w, 0xc00c); put16(&w, 1); put16(&w, 1); put16(&w, 0); put16(&w, 60);
	put16(&w, 3); put(&w, "\x01\x02\x03", 3);
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), -1);
	srv_answer_release(&a);

	header(&w, 0, 1, 1);
	question(&w, "_x._tcp.example.com", 33);
	put16(&w, 0xc00c); put16(&w, 33); put16(&w, 1); put16(&w, 0); put16(&w, 60);
	put16(&w, 8);
	put16(&w, 1); put16(&w, 1); put16(&w, 1);
	put(&w, "\005cucm1\000", 7);	/* 13 bytes of rdata claimed as 8 */
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), -1);
	CHECK(strstr(err.msg, "SRV") != NULL);
	srv_answer_release(&a);

	/* ancount says more records than there are */
	header(&w, 0, 1, 40000);
	question(&w, "_x._tcp.example.com", 33);
	srv_answer_init(&a);
	CHECK_INT(srv_parse(w.b, w.n, &a, &err), -1);
	srv_answer_release(&a);
}

static void
test_many_records_capped(void)
{
	static unsigned char big[65536];
	struct srv_answer a;
	struct j2w_err err;
	size_t n = 0;
	unsigned count = 0;

	memcpy(big, "\x12\x34\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00", 12);
	n = 12;
	memcpy(big + n, "\001x\000\000\041\000\001", 7);
	n += 7;
	/* minimal SRV records: pointer owner, target = pointer to "x" */
	while (n + 20 <= sizeof(big) && count < 3000) {
		static const unsigned char rr[] = {
			0xc0, 0x0c, 0, 33, 0, 1, 0, 0, 0, 60, 0, 8,
			0, 1, 0, 1, 0x20, 0xfb, 0xc0, 0x0c
		};

		memcpy(big + n, rr, sizeof(rr));
		n += sizeof(rr);
		count++;
	}
	big[6] = (unsigned char)(count >> 8);
	big[7] = (unsigned char)count;
	srv_answer_init(&a);
	CHECK_INT(srv_parse(big, n, &a, &err), 0);
	CHECK_INT(a.nsrv, DNS_RR_MAX);
	srv_answer_release(&a);
}

UNIT_MAIN(
	TEST(test_srv_answer_sorted),
	TEST(test_compressed_target),
	TEST(test_addresses_and_cname),
	TEST(test_nxdomain_header_only),
	TEST(test_root_target_and_escapes),
	TEST(test_hostile),
	TEST(test_many_records_capped)
)
