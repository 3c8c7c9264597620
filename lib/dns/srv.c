/* DNS wire-format answers: header, names with compression, SRV/A/AAAA/CNAME records. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/srv.h"

#define DNS_HEADER_LEN 12
#define DNS_WIRE_NAME_MAX 255
/* a name of 255 octets has at most 127 labels, so more jumps than that is a loop */
#define DNS_JUMPS_MAX 128

void
srv_answer_init(struct srv_answer *a)
{
	memset(a, 0, sizeof(*a));
}

void
srv_answer_release(struct srv_answer *a)
{
	for (size_t i = 0; i < a->nsrv; i++)
		free(a->srv[i].target);
	for (size_t i = 0; i < a->naddrs; i++)
		free(a->addrs[i]);
	for (size_t i = 0; i < a->ncnames; i++) {
		free(a->cnames[i].owner);
		free(a->cnames[i].target);
	}
	free(a->srv);
	free(a->addrs);
	free(a->cnames);
	srv_answer_init(a);
}

static unsigned
get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static int
name_char_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '*';
}

int
srv_name_expand(const unsigned char *wire, size_t len, size_t off, char *text, size_t *next)
{
	size_t pos = off, out = 0, wire_len = 0;
	int jumps = 0, jumped = 0;

	for (;;) {
		unsigned c;

		if (pos >= len)
			return -1;
		c = wire[pos];
		if ((c & 0xc0) == 0xc0) {
			size_t target;

			if (pos + 1 >= len)
				return -1;
			target = (c & 0x3f) << 8 | wire[pos + 1];
			/* only backwards: a pointer can never reach itself again */
			if (target >= pos || ++jumps > DNS_JUMPS_MAX)
				return -1;
			if (!jumped) {
				*next = pos + 2;
				jumped = 1;
			}
			pos = target;
			continue;
		}
		if ((c & 0xc0) != 0)
			return -1;	/* 0x40 and 0x80 label types are obsolete or unused */
		if (c == 0) {
			if (!jumped)
				*next = pos + 1;
			break;
		}
		if (pos + 1 + c > len)
			return -1;
		wire_len += c + 1;
		if (wire_len + 1 > DNS_WIRE_NAME_MAX)
			return -1;
		if (out > 0)
			text[out++] = '.';
		for (unsigned i = 0; i < c; i++) {
			unsigned char ch = wire[pos + 1 + i];

			if (ch >= 'A' && ch <= 'Z')
				ch = (unsigned char)(ch - 'A' + 'a');
			if (name_char_plain(ch)) {
				text[out++] = (char)ch;
			} else {
				/* 255 octets * 4 < DNS_NAME_TEXT_MAX, so this always fits */
				snprintf(text + out, 5, "\\%03u", ch);
				out += 4;
			}
		}
		pos += 1 + c;
	}
	if (out == 0)
		text[out++] = '.';
	text[out] = '\0';
	return 0;
}

static int
push_srv(struct srv_answer *a, unsigned prio, unsigned weight, unsigned port, const char *target)
{
	struct srv_rr *n;

	if (a->nsrv >= DNS_RR_MAX)
		return 0;
	n = realloc(a->srv, (a->nsrv + 1) * sizeof(*n));
	if (n == NULL)
		return -1;
	a->srv = n;
	n[a->nsrv].priority = (uint16_t)prio;
	n[a->nsrv].weight = (uint16_t)weight;
	n[a->nsrv].port = (uint16_t)port;
	if ((n[a->nsrv].target = strdup(target)) == NULL)
		return -1;
	a->nsrv++;
	return 0;
}

static int
push_addr(struct srv_answer *a, int family, const unsigned char *raw)
{
	char text[INET6_ADDRSTRLEN];
	char **n;

	if (a->naddrs >= DNS_RR_MAX)
		return 0;
	if (inet_ntop(family, raw, text, sizeof(text)) == NULL)
		return -1;
	n = realloc(a->addrs, (a->naddrs + 1) * sizeof(*n));
	if (n == NULL)
		return -1;
	a->addrs = n;
	if ((n[a->naddrs] = strdup(text)) == NULL)
		return -1;
	a->naddrs++;
	return 0;
}

static int
push_cname(struct srv_answer *a, const char *owner, const char *target)
{
	struct dns_cname *n;

	if (a->ncnames >= DNS_RR_MAX)
		return 0;
	n = realloc(a->cnames, (a->ncnames + 1) * sizeof(*n));
	if (n == NULL)
		return -1;
	a->cnames = n;
	n[a->ncnames].owner = strdup(owner);
	n[a->ncnames].target = strdup(target);
	a->ncnames++;
	if (n[a->ncnames - 1].owner == NULL || n[a->ncnames - 1].target == NULL)
		return -1;
	return 0;
}

int
srv_parse(const unsigned char *wire, size_t len, struct srv_answer *out, struct j2w_err *err)
{
	char owner[DNS_NAME_TEXT_MAX], target[DNS_NAME_TEXT_MAX];
	unsigned qdcount;
	size_t pos;

	if (len < DNS_HEADER_LEN)
		return err_set(err, J2W_EDATA, "answer of %zu bytes is shorter than a DNS header", len);
	out->rcode = wire[3] & 0x0f;
	out->aa = (wire[2] & 0x04) != 0;
	out->tc = (wire[2] & 0x02) != 0;
	qdcount = get16(wire + 4);
	out->ancount = get16(wire + 6);
	pos = DNS_HEADER_LEN;
	for (unsigned i = 0; i < qdcount; i++) {
		if (srv_name_expand(wire, len, pos, owner, &pos) < 0)
			return err_set(err, J2W_EDATA, "question %u: bad name at offset %zu", i + 1, pos);
		if (pos + 4 > len)
			return err_set(err, J2W_EDATA, "question %u: truncated", i + 1);
		pos += 4;
	}
	for (unsigned i = 0; i < out->ancount; i++) {
		unsigned type, rdlen;
		size_t rdata, end;
		int rc = 0;

		if (srv_name_expand(wire, len, pos, owner, &pos) < 0)
			return err_set(err, J2W_EDATA, "answer %u: bad owner name", i + 1);
		if (pos + 10 > len)
			return err_set(err, J2W_EDATA, "answer %u: truncated record header", i + 1);
		type = get16(wire + pos);
		rdlen = get16(wire + pos + 8);
		rdata = pos + 10;
		end = rdata + rdlen;
		if (end > len)
			return err_set(err, J2W_EDATA, "answer %u: record data runs past the end", i + 1);
		/* class is not checked: a resolver answering IN queries answers IN */
		switch (type) {
		case DNS_T_SRV: {
			size_t after;

			if (rdlen < 7)
				return err_set(err, J2W_EDATA, "answer %u: SRV record too short", i + 1);
			/* the target may not be compressed (RFC 2782), but servers do it; accept */
			if (srv_name_expand(wire, end, rdata + 6, target, &after) < 0 || after != end)
				return err_set(err, J2W_EDATA, "answer %u: bad SRV target", i + 1);
			rc = push_srv(out, get16(wire + rdata), get16(wire + rdata + 2),
			    get16(wire + rdata + 4), target);
			break;
		}
		case DNS_T_A:
			if (rdlen != 4)
				return err_set(err, J2W_EDATA, "answer %u: A record of %u bytes", i + 1, rdlen);
			rc = push_addr(out, AF_INET, wire + rdata);
			break;
		case DNS_T_AAAA:
			if (rdlen != 16)
				return err_set(err, J2W_EDATA, "answer %u: AAAA record of %u bytes", i + 1, rdlen);
			rc = push_addr(out, AF_INET6, wire + rdata);
			break;
		case DNS_T_CNAME: {
			size_t after;

			if (srv_name_expand(wire, end, rdata, target, &after) < 0 || after != end)
				return err_set(err, J2W_EDATA, "answer %u: bad CNAME target", i + 1);
			rc = push_cname(out, owner, target);
			break;
		}
		default:
			break;
		}
		if (rc < 0)
			return err_set_errno(err, J2W_ESYS, "cannot keep answer %u", i + 1);
		pos = end;
	}
	return 0;
}

static int
srv_cmp(const void *pa, const void *pb)
{
	const struct srv_rr *a = pa, *b = pb;
	int c;

	if (a->priority != b->priority)
		return a->priority < b->priority ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	if ((c = strcmp(a->target, b->target)) != 0)
		return c;
	return (int)a->port - (int)b->port;
}

void
srv_sort(struct srv_rr *rr, size_t n)
{
	if (n > 1)
		qsort(rr, n, sizeof(*rr), srv_cmp);
}
