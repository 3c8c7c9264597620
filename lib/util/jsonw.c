/* JSON string escaping and object members, byte-compatible with jansson's compact dump. */
#include <string.h>

#include "util/jsonw.h"

int
jsonw_string(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *run = s;

	if (strbuf_addch(sb, '"') < 0)
		return -1;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7];
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (strbuf_add(sb, run, (size_t)(s - run)) < 0)
			return -1;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (strbuf_add(sb, esc, n) < 0)
			return -1;
		run = s + 1;
	}
	if (strbuf_add(sb, run, (size_t)(s - run)) < 0)
		return -1;
	return strbuf_addch(sb, '"');
}

static int
jsonw_key(struct strbuf *sb, int *first, const char *key)
{
	if (strbuf_addch(sb, *first ? '{' : ',') < 0)
		return -1;
	*first = 0;
	if (jsonw_string(sb, key) < 0)
		return -1;
	return strbuf_addch(sb, ':');
}

int
jsonw_member_str(struct strbuf *sb, int *first, const char *key, const char *val)
{
	if (val == NULL)
		return 0;
	if (jsonw_key(sb, first, key) < 0)
		return -1;
	return jsonw_string(sb, val);
}

int
jsonw_member_bool(struct strbuf *sb, int *first, const char *key, int val)
{
	if (val < 0)
		return 0;
	if (jsonw_key(sb, first, key) < 0)
		return -1;
	return strbuf_addstr(sb, val ? "true" : "false");
}
