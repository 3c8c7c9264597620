/* TLS probes with OpenSSL 3: connect, SNI, handshake, then read the leaf certificate. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "dns/tlsprobe.h"
#include "util/num.h"

void
tlsprobe_result_init(struct tlsprobe_result *r)
{
	memset(r, 0, sizeof(*r));
}

void
tlsprobe_result_release(struct tlsprobe_result *r)
{
	for (size_t i = 0; i < r->ndns_names; i++)
		free(r->dns_names[i]);
	free(r->dns_names);
	tlsprobe_result_init(r);
}

/* Connects with a deadline; returns the socket or -1 with r->error filled. */
static int
connect_to(const char *address, unsigned port, long timeout_ms, struct tlsprobe_result *r)
{
	struct addrinfo hints, *ai = NULL;
	char service[8];
	struct timeval tv;
	int fd, rc, soerr = 0;
	socklen_t slen = sizeof(soerr);

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%u", port);
	if ((rc = getaddrinfo(address, service, &hints, &ai)) != 0) {
		snprintf(r->error, sizeof(r->error), "bad address '%s': %s", address, gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(r->error, sizeof(r->error), "socket: %s", strerror(errno));
		freeaddrinfo(ai);
		return -1;
	}
	rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	if (rc < 0 && errno == EINPROGRESS) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		rc = poll(&p, 1, (int)timeout_ms);
		if (rc == 0) {
			snprintf(r->error, sizeof(r->error), "connect timed out after %ld ms", timeout_ms);
			close(fd);
			return -1;
		}
		if (rc > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &slen) == 0 && soerr != 0)
			errno = soerr;
		rc = rc > 0 && soerr == 0 ? 0 : -1;
	}
	if (rc < 0) {
		snprintf(r->error, sizeof(r->error), "connect: %s", strerror(errno));
		close(fd);
		return -1;
	}
	/* back to blocking, with a deadline on every read and write of the handshake */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

static void
name_text(X509_NAME *name, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n;

	buf[0] = '\0';
	if (b == NULL)
		return;
	X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	n = BIO_read(b, buf, (int)len - 1);
	buf[n > 0 ? n : 0] = '\0';
	BIO_free(b);
}

static int
asn1_time(const ASN1_TIME *t, time_t *out, char *text, size_t len)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*out = timegm(&tm);
	strftime(text, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

static void
read_names(X509 *cert, struct tlsprobe_result *r)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	int n = gens != NULL ? sk_GENERAL_NAME_num(gens) : 0;

	if (n > 0 && (r->dns_names = calloc((size_t)n, sizeof(char *))) != NULL) {
		for (int i = 0; i < n && i < 256; i++) {
			const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
			const unsigned char *d;
			int dl;
			char *s;

			if (g->type != GEN_DNS)
				continue;
			d = ASN1_STRING_get0_data(g->d.dNSName);
			dl = ASN1_STRING_length(g->d.dNSName);
			/* a name with a NUL inside would be a forgery; show it cut, it never matches */
			if ((s = strndup((const char *)d, (size_t)dl)) != NULL)
				r->dns_names[r->ndns_names++] = s;
		}
	}
	GENERAL_NAMES_free(gens);
}

static void
read_cert(X509 *cert, const char *host, struct tlsprobe_result *r)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_PKEY *pk;
	uint32_t xku;

	if (X509_digest(cert, EVP_sha256(), md, &mdlen) == 1) {
		for (unsigned i = 0; i < mdlen && i * 3 + 3 <= sizeof(r->fingerprint); i++)
			snprintf(r->fingerprint + i * 3, 4, "%02X%s", md[i], i + 1 < mdlen ? ":" : "");
	}
	name_text(X509_get_subject_name(cert), r->subject, sizeof(r->subject));
	name_text(X509_get_issuer_name(cert), r->issuer, sizeof(r->issuer));
	asn1_time(X509_get0_notBefore(cert), &r->not_before_t, r->not_before, sizeof(r->not_before));
	asn1_time(X509_get0_notAfter(cert), &r->not_after_t, r->not_after, sizeof(r->not_after));
	read_names(cert, r);
	r->name_ok = X509_check_host(cert, host, strlen(host), 0, NULL) == 1;
	r->has_eku = (X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) != 0;
	xku = X509_get_extended_key_usage(cert);
	r->eku_server = r->has_eku && (xku & XKU_SSL_SERVER) != 0;
	r->eku_client = r->has_eku && (xku & XKU_SSL_CLIENT) != 0;
	if ((pk = X509_get0_pubkey(cert)) != NULL) {
		const char *t;

		switch (EVP_PKEY_get_base_id(pk)) {
		case EVP_PKEY_RSA: t = "RSA"; break;
		case EVP_PKEY_RSA_PSS: t = "RSA"; break;
		case EVP_PKEY_DSA: t = "DSA"; break;
		case EVP_PKEY_EC: t = "EC"; break;
		case EVP_PKEY_ED25519: t = "ED25519"; break;
		case EVP_PKEY_ED448: t = "ED448"; break;
		default: t = "other"; break;
		}
		snprintf(r->key_type, sizeof(r->key_type), "%s", t);
		r->key_bits = EVP_PKEY_get_bits(pk);
	}
}

int
tlsprobe_run(const char *host, const char *address, unsigned port, const char *cacert,
    long timeout_ms, struct tlsprobe_result *r, struct j2w_err *err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = NULL;
	X509 *cert = NULL;
	long verify;
	int fd = -1, rc = -1;

	snprintf(r->address, sizeof(r->address), "%s", address);
	if (ctx == NULL)
		return err_set(err, J2W_ESYS, "cannot start OpenSSL");
	/* level 0: a 1024-bit key must be looked at and reported, not refused */
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		err_set(err, J2W_ESYS, "cannot load the system CA store");
		goto out;
	}
	if (cacert != NULL && SSL_CTX_load_verify_locations(ctx, cacert, NULL) != 1) {
		err_set(err, J2W_EUSAGE, "cannot read CA file '%s'", cacert);
		goto out;
	}
	/* expiry is TLS-EXPIRY's to judge, against --now: the chain is judged on trust alone */
	X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(ctx), X509_V_FLAG_NO_CHECK_TIME);
	rc = 0;
	if ((fd = connect_to(address, port, timeout_ms, r)) < 0)
		goto out;
	if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1 ||
	    SSL_set_tlsext_host_name(ssl, host) != 1) {
		snprintf(r->error, sizeof(r->error), "cannot set up the TLS session");
		goto out;
	}
	ERR_clear_error();
	if (SSL_connect(ssl) != 1) {
		unsigned long e = ERR_get_error();

		if (e != 0)
			ERR_error_string_n(e, r->error, sizeof(r->error));
		else
			snprintf(r->error, sizeof(r->error), "handshake failed: %s",
			    errno ? strerror(errno) : "connection closed");
		goto out;
	}
	if ((cert = SSL_get1_peer_certificate(ssl)) == NULL) {
		snprintf(r->error, sizeof(r->error), "the server sent no certificate");
		goto out;
	}
	r->handshake_ok = 1;
	snprintf(r->protocol, sizeof(r->protocol), "%s", SSL_get_version(ssl));
	verify = SSL_get_verify_result(ssl);
	r->chain_ok = verify == X509_V_OK;
	if (!r->chain_ok)
		snprintf(r->verify_error, sizeof(r->verify_error), "%s",
		    X509_verify_cert_error_string(verify));
	read_cert(cert, host, r);
out:
	X509_free(cert);
	if (ssl != NULL)
		SSL_free(ssl);
	if (fd >= 0)
		close(fd);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

int
tlsprobe_parse_time(const char *s, time_t current, time_t *out)
{
	struct tm tm;
	long n;
	const char *end;

	if (s[0] == '@')
		return num_parse_long(s + 1, 0, 253402300799L, &n) < 0 ? -1 : (*out = (time_t)n, 0);
	if (s[0] == '+') {
		char days[24];
		size_t l = strlen(s + 1);

		if (l == 0 || l >= sizeof(days))
			return -1;
		memcpy(days, s + 1, l + 1);
		if (days[l - 1] == 'd')
			days[l - 1] = '\0';
		if (num_parse_long(days, 0, 36500, &n) < 0)
			return -1;
		*out = current + (time_t)n * 86400;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL)
		return -1;
	if (*end == 'T' || *end == ' ') {
		end = strptime(end + 1, "%H:%M:%S", &tm);
		if (end == NULL)
			return -1;
		if (*end == 'Z')
			end++;
	}
	if (*end != '\0')
		return -1;
	*out = timegm(&tm);
	return 0;
}
