/* Checking a jabber-config.xml value against its parameter's type in the dictionary. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jabber/jabparams.h"
#include "util/num.h"

/* A DNS name: labels of letters, digits and hyphens, at least two labels. */
static int
is_domain(const char *s)
{
	size_t label = 0, labels = 1, total = strlen(s);

	if (total == 0 || total > 253 || s[total - 1] == '.' || s[0] == '.')
		return 0;
	for (const char *c = s; *c; c++) {
		if (*c == '.') {
			if (label == 0 || c[-1] == '-')
				return 0;
			labels++;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*c) && *c != '-')
			return 0;
		if (label == 0 && *c == '-')
			return 0;
		if (++label > 63)
			return 0;
	}
	return labels >= 2 && s[total - 1] != '-';
}

/* IPv4 dotted quad: 1 when valid, 0 when not digits and dots, -1 when malformed. */
static int
ipv4_shape(const char *s)
{
	int parts = 0;

	if (strspn(s, "0123456789.") != strlen(s))
		return 0;
	for (const char *c = s; ; ) {
		long v;
		char oct[8];
		size_t n = strcspn(c, ".");

		if (n == 0 || n > 3)
			return -1;
		memcpy(oct, c, n);
		oct[n] = '\0';
		if (num_parse_long(oct, 0, 255, &v) < 0)
			return -1;
		parts++;
		c += n;
		if (*c == '\0')
			break;
		c++;
	}
	return parts == 4 ? 1 : -1;
}

static int
is_host(const char *s)
{
	int v4 = ipv4_shape(s);

	if (v4 != 0)
		return v4 == 1;
	if (strchr(s, ':') != NULL)	/* IPv6 literal: hex digits, colons, maybe a dotted tail */
		return strspn(s, "0123456789abcdefABCDEF:.") == strlen(s) &&
		    strstr(s, ":::") == NULL;
	if (strchr(s, '.') == NULL) {	/* a short host name */
		size_t n = strlen(s);

		for (const char *c = s; *c; c++)
			if (!isalnum((unsigned char)*c) && *c != '-')
				return 0;
		return n > 0 && n <= 63 && *s != '-' && s[n - 1] != '-';
	}
	return is_domain(s);
}

/* Why s is not an http(s) URL, or NULL when it is one. */
static const char *
url_problem(const char *s)
{
	const char *host;
	size_t n;

	if (strncasecmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return "expects an http:// or https:// URL";
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '"' || *c == '<' || *c == '>' || *c == 0x7f)
			return "has a space or a character a URL cannot hold";
	if (*host == '[') {	/* [IPv6] */
		const char *close = strchr(host, ']');

		if (close == NULL || close == host + 1)
			return "has a broken [address] for its host";
		n = (size_t)(close - host) + 1;
	} else {
		n = strcspn(host, ":/?#");
	}
	if (n == 0)
		return "has no host name after the scheme";
	if (host[n] == ':') {	/* a port, when given, is a number (not "port") */
		size_t digits = strspn(host + n + 1, "0123456789");

		if (digits == 0 || digits > 5 || (host[n + 1 + digits] != '\0' &&
		    strchr("/?#", host[n + 1 + digits]) == NULL))
			return "has something other than a port number after the host's ':'";
	} else if (host[n] != '\0' && strchr("/?#", host[n]) == NULL) {
		return "has something other than a path after the host";
	}
	return NULL;
}

static int
is_url(const char *s)
{
	return url_problem(s) == NULL;
}

static int
all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* 8-4-4-4-12 hex digits with hyphens (uuidgen, [guid]::NewGuid()), or the 32 digits alone. */
static int
is_guid(const char *s)
{
	static const size_t part[5] = { 8, 4, 4, 4, 12 };
	size_t n = strlen(s);

	if (n == 32)
		return all_hex(s, 32);
	if (n != 36)
		return 0;
	for (size_t i = 0; i < 5; i++) {
		if (!all_hex(s, part[i]))
			return 0;
		s += part[i];
		if (i < 4 && *s++ != '-')
			return 0;
	}
	return 1;
}

/* An attribute description: a name (letters, digits, hyphens, ;options) or a dotted OID. */
static int
is_attr(const char *s)
{
	if (isdigit((unsigned char)*s)) {
		for (const char *c = s; *c; c++)
			if (!isdigit((unsigned char)*c) && !(*c == '.' && c[1] != '\0' && c[-1] != '.'))
				return 0;
		return strchr(s, '.') != NULL;
	}
	if (!isalpha((unsigned char)*s))
		return 0;
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != ';')
			return 0;
	return 1;
}

/* Every comma-separated part (a backslash escapes the next byte) has a name before '='. */
static int
is_dn(const char *s)
{
	int have_eq = 0, have_type = 0;

	for (const char *c = s; ; c++) {
		if (*c == '\\' && c[1] != '\0') {
			c++;
			if (!have_eq)
				return 0;
			continue;
		}
		if (*c == ',' || *c == ';' || *c == '+' || *c == '\0') {
			if (!have_eq)
				return 0;
			if (*c == '\0')
				return 1;
			have_eq = have_type = 0;
			continue;
		}
		if (*c == '=' && !have_eq) {
			if (!have_type)
				return 0;
			have_eq = 1;
		} else if (!have_eq && !isspace((unsigned char)*c)) {
			have_type = 1;
		}
	}
}

static int
is_version(const char *s)
{
	int digit = 0;

	if (!isdigit((unsigned char)*s))
		return 0;
	for (const char *c = s; *c; c++) {
		if (isdigit((unsigned char)*c)) {
			digit = 1;
		} else if (*c == '.' && digit) {
			digit = 0;
		} else {
			return 0;
		}
	}
	return digit;
}

/* CTRL, ALT and SHIFT joined by '+', then one letter or digit (CTRL+SHIFT+J). */
static int
is_hotkey(const char *s)
{
	int mods = 0;

	for (;;) {
		size_t n = strcspn(s, "+");

		if (s[n] == '\0')
			return mods > 0 && n == 1 && isalnum((unsigned char)*s);
		if (!((n == 4 && strncasecmp(s, "CTRL", 4) == 0) || (n == 3 &&
		    strncasecmp(s, "ALT", 3) == 0) || (n == 5 && strncasecmp(s, "SHIFT", 5) == 0)))
			return 0;
		mods++;
		s += n + 1;
	}
}

/*
 * Values Cisco's examples leave for the reader to replace: x.x.x.x, a name
 * ending in "here" (PortNumberHere, usernamehere), or <something>.
 */
static int
is_placeholder(const char *v)
{
	static const char *const words[] = { "name", "number", "password", "server", "domain",
		"address", "value", "url", "uri", "ip", "fqdn", "host", "port", "text", "id" };
	size_t n = strlen(v);

	if (n >= 3 && strspn(v, "xX.") == n && strchr(v, '.') != NULL && v[0] != '.' &&
	    v[n - 1] != '.' && strstr(v, "..") == NULL)
		return 1;
	if (n > 4 && strcasecmp(v + n - 4, "here") == 0) {
		size_t k = n - 4;

		for (const char *c = v; *c; c++)
			if (!isalpha((unsigned char)*c) && *c != '_')
				return 0;
		while (k > 0 && v[k - 1] == '_')
			k--;
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			size_t w = strlen(words[i]);

			if (k >= w && strncasecmp(v + k - w, words[i], w) == 0)
				return 1;
		}
		return 0;
	}
	/* <domain_for_service_discover>, <WebServer_IP/FQDN>; not markup such as <b>x</b> */
	return n >= 3 && v[0] == '<' && v[n - 1] == '>' && strcspn(v + 1, "<> \t") == n - 2;
}

static int
ends_with_password(const char *name)
{
	size_t n = strlen(name);

	return n >= 8 && strcasecmp(name + n - 8, "password") == 0;
}

int
jabparams_ldap_filter_check(const char *f, struct strbuf *why)
{
	long depth = 0;
	size_t at = 0;

	for (const char *c = f; *c; c++, at++) {
		if (*c == '\\' && c[1] != '\0') {
			c++;
			at++;
			continue;
		}
		if (*c == '(') {
			depth++;
		} else if (*c == ')' && --depth < 0) {
			if (why != NULL)
				strbuf_addf(why, "has a ')' at character %zu that closes nothing", at + 1);
			return -1;
		}
	}
	if (depth > 0) {
		if (why != NULL)
			strbuf_addf(why, "has %ld '(' left open (add %ld ')')", depth, depth);
		return -1;
	}
	return 0;
}

/* The enum value e as the user should write it (without the older-value mark). */
static const char *
enum_text(const char *e)
{
	return e[0] == '~' ? e + 1 : e;
}

/* "A, B or C": the values the reference guide prints. */
static void
list_current(const struct jabparams_param *p, struct strbuf *why)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < p->nenums; i++)
		n += p->enums[i][0] != '~';
	for (size_t i = 0; i < p->nenums; i++) {
		if (p->enums[i][0] == '~')
			continue;
		strbuf_addf(why, "%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ", p->enums[i]);
		k++;
	}
}

/*
 * One value (v[0..len)) against p's enumeration; item says it is one item of a
 * list. An older value is OK with a note.
 */
static enum jabparams_verdict
check_enum(const struct jabparams_param *p, const char *v, size_t len, int item,
    struct strbuf *why)
{
	int shown = len > 200 ? 200 : (int)len;

	for (size_t i = 0; i < p->nenums; i++) {
		const char *e = enum_text(p->enums[i]);

		if (strlen(e) == len && strncmp(v, e, len) == 0) {
			if (p->enums[i][0] == '~') {
				strbuf_addf(why, "'%s' comes from an older guide or a Cisco TechNote; "
				    "the reference guide writes ", e);
				list_current(p, why);
			}
			return JP_VALUE_OK;
		}
	}
	for (size_t i = 0; i < p->nenums; i++) {
		const char *e = enum_text(p->enums[i]);

		if (strlen(e) == len && strncasecmp(v, e, len) == 0) {
			if (item)
				strbuf_addf(why, "has an item '%.*s' written '%s' in the reference "
				    "guide", shown, v, e);
			else
				strbuf_addf(why, "is written '%s' in the reference guide", e);
			return JP_VALUE_WARN;
		}
	}
	if (item)
		strbuf_addf(why, "has an item '%.*s' that is not one of ", shown, v);
	else
		strbuf_addstr(why, "expects one of ");
	list_current(p, why);
	return JP_VALUE_BAD;
}

/* The worst verdict of the items, with the message of the first item that has it. */
static enum jabparams_verdict
check_list(const struct jabparams_param *p, const char *v, struct strbuf *why)
{
	enum jabparams_verdict worst = JP_VALUE_OK;
	const char *c = v;
	char seps[2] = { p->sep, '\0' };
	struct strbuf one, msg;

	strbuf_init(&one, 4096);
	strbuf_init(&msg, 4096);
	for (;;) {
		size_t n, lead = 0, end;

		if (p->sep == ' ') {
			c += strspn(c, " \t\r\n");
			if (*c == '\0')
				break;
			n = strcspn(c, " \t\r\n");
		} else {
			n = strcspn(c, seps);
		}
		while (lead < n && isspace((unsigned char)c[lead]))
			lead++;
		end = n;
		while (end > lead && isspace((unsigned char)c[end - 1]))
			end--;
		if (lead == n) {
			strbuf_reset(&msg);
			strbuf_addf(&msg, "has an empty item in a '%c'-separated list", p->sep);
			worst = JP_VALUE_BAD;
			break;
		}
		if (p->nenums > 0) {
			enum jabparams_verdict v1;

			strbuf_reset(&one);
			v1 = check_enum(p, c + lead, end - lead, 1, &one);
			if (v1 > worst || (v1 == worst && msg.len == 0 && one.len > 0)) {
				worst = v1;
				strbuf_reset(&msg);
				strbuf_addstr(&msg, one.buf);
			}
		}
		c += n;
		if (*c == '\0')
			break;
		if (p->sep != ' ')
			c++;
	}
	strbuf_addstr(why, msg.buf);
	strbuf_release(&one);
	strbuf_release(&msg);
	return worst;
}

static enum jabparams_verdict
check_int(const struct jabparams_param *p, const char *v, struct strbuf *why)
{
	long n;

	if (num_parse_long(v, LONG_MIN, LONG_MAX, &n) < 0) {
		strbuf_addstr(why, "expects a whole number");
		return JP_VALUE_BAD;
	}
	if (n < p->min || n > p->max) {
		strbuf_addstr(why, "expects a number ");
		if (p->min != LONG_MIN && p->max != LONG_MAX)
			strbuf_addf(why, "from %ld to %ld", p->min, p->max);
		else if (p->min != LONG_MIN)
			strbuf_addf(why, "of at least %ld", p->min);
		else
			strbuf_addf(why, "of at most %ld", p->max);
		if (p->clamp) {
			strbuf_addf(why, "; Jabber uses %ld instead", n < p->min ? p->min : p->max);
			return JP_VALUE_WARN;
		}
		return JP_VALUE_BAD;
	}
	if ((p->parity == JP_PARITY_ODD && n % 2 == 0) || (p->parity == JP_PARITY_EVEN && n % 2 != 0)) {
		strbuf_addf(why, "should be an %s number", p->parity == JP_PARITY_ODD ? "odd" : "even");
		return JP_VALUE_WARN;
	}
	return JP_VALUE_OK;
}

/* %%attribute%% tokens: always in pairs around a name; counts them into *tokens. */
static int
tokens_balanced(const char *v, int *tokens)
{
	const char *c = v;

	*tokens = 0;
	while ((c = strstr(c, "%%")) != NULL) {
		const char *end = strstr(c + 2, "%%");
		size_t n = end != NULL ? (size_t)(end - c - 2) : 0;

		if (end == NULL || n == 0 || strspn(c + 2, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != n)
			return 0;
		(*tokens)++;
		c = end + 2;
	}
	return 1;
}

static enum jabparams_verdict
check_typed(const struct jabparams_param *p, const char *v, struct strbuf *why)
{
	switch (p->type) {
	case JP_STRING:
	case JP_XML:
		return JP_VALUE_OK;
	case JP_BOOL:
		if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0)
			return JP_VALUE_OK;
		strbuf_addstr(why, "expects true or false");
		return JP_VALUE_BAD;
	case JP_BOOL01:
		if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0 ||
		    strcmp(v, "0") == 0 || strcmp(v, "1") == 0)
			return JP_VALUE_OK;
		strbuf_addstr(why, "expects true, false, 1 or 0");
		return JP_VALUE_BAD;
	case JP_HOTKEY:
		if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0 || is_hotkey(v))
			return JP_VALUE_OK;
		strbuf_addstr(why, "expects true, false or a key combination such as CTRL+SHIFT+J");
		return JP_VALUE_BAD;
	case JP_INT:
		return check_int(p, v, why);
	case JP_ENUM:
		return check_enum(p, v, strlen(v), 0, why);
	case JP_LIST:
		return check_list(p, v, why);
	case JP_URL: {
		const char *problem = url_problem(v);

		if (problem == NULL)
			return JP_VALUE_OK;
		strbuf_addstr(why, problem);
		return JP_VALUE_BAD;
	}
	case JP_URLHOST:
		if (is_url(v) || is_host(v))
			return JP_VALUE_OK;
		strbuf_addstr(why, "expects an https:// URL or a host name");
		return JP_VALUE_BAD;
	case JP_DOMAIN:
		if (is_domain(v))
			return JP_VALUE_OK;
		strbuf_addstr(why, "expects a DNS domain such as example.com");
		return JP_VALUE_BAD;
	case JP_HOST:
		if (is_host(v))
			return JP_VALUE_OK;
		if (ipv4_shape(v) < 0)
			strbuf_addstr(why, "is not an IP address (four numbers from 0 to 255)");
		else
			strbuf_addstr(why, "expects a host name, FQDN or IP address");
		return JP_VALUE_BAD;
	case JP_GUID:
		if (is_guid(v))
			return JP_VALUE_OK;
		strbuf_addf(why, "expects a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e "
		    "(uuidgen; 36 characters with hyphens) or its 32 hex digits, not %zu characters",
		    strlen(v));
		return JP_VALUE_BAD;
	case JP_ATTR:
		if (is_attr(v))
			return JP_VALUE_OK;
		strbuf_addstr(why, "expects a directory attribute name such as sAMAccountName");
		return JP_VALUE_BAD;
	case JP_DN:
		if (is_dn(v))
			return JP_VALUE_OK;
		strbuf_addstr(why, "expects a distinguished name such as ou=people,dc=example,dc=com");
		return JP_VALUE_BAD;
	case JP_LDAPFILTER:
		return jabparams_ldap_filter_check(v, why) == 0 ? JP_VALUE_OK : JP_VALUE_BAD;
	case JP_VERSION:
		if (is_version(v))
			return JP_VALUE_OK;
		strbuf_addstr(why, "expects a release number such as 12.9.1");
		return JP_VALUE_BAD;
	case JP_PHOTOURL: {
		int tokens;

		if (!is_url(v)) {
			strbuf_addf(why, "%s (a URL with a %%%%attribute%%%% token)", url_problem(v));
			return JP_VALUE_BAD;
		}
		if (!tokens_balanced(v, &tokens)) {
			strbuf_addstr(why, "has an unbalanced token: write %%attribute%% (e.g. %%uid%%)");
			return JP_VALUE_BAD;
		}
		if (tokens == 0) {
			strbuf_addstr(why, "has no %%attribute%% token (e.g. %%uid%%): every "
			    "contact gets the same photo");
			return JP_VALUE_WARN;
		}
		return JP_VALUE_OK;
	}
	}
	return JP_VALUE_OK;
}

enum jabparams_verdict
jabparams_check_value(const struct jabparams_param *p, const char *v, struct strbuf *why)
{
	struct strbuf dummy;
	enum jabparams_verdict res;

	if (*v == '\0')
		return JP_VALUE_OK;
	if (why == NULL) {
		strbuf_init(&dummy, 4096);
		why = &dummy;
	}
	if (p->type != JP_BOOL && p->type != JP_BOOL01 && p->type != JP_ENUM && p->type != JP_XML &&
	    !ends_with_password(p->name) && is_placeholder(v)) {
		strbuf_addf(why, "holds '%.*s', a placeholder from an example: put the real value",
		    (int)(strlen(v) > 80 ? 80 : strlen(v)), v);
		res = JP_VALUE_BAD;
	} else {
		res = check_typed(p, v, why);
	}
	if (why == &dummy)
		strbuf_release(&dummy);
	return res;
}
