/* Unit tests for utf8: what is invalid and where, Latin-1 conversion, lower case. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "util/utf8.h"

#define AT(s) utf8_invalid_at((s), sizeof(s) - 1)

static void
test_valid_text(void)
{
	CHECK_INT(AT(""), 0);
	CHECK_INT(AT("plain ascii"), 11);
	CHECK_INT(AT("caf\xc3\xa9"), 5);
	CHECK_INT(AT("\xe2\x82\xac"), 3);			/* U+20AC */
	CHECK_INT(AT("\xf0\x9f\x98\x80"), 4);			/* U+1F600 */
	CHECK_INT(AT("\xf4\x8f\xbf\xbf"), 4);			/* U+10FFFF */
	CHECK_INT(AT("\xed\x9f\xbf\xee\x80\x80"), 6);		/* U+D7FF, U+E000 */
	CHECK_INT(AT("a\0b"), 3);				/* NUL is a character */
}

static void
test_invalid_sequences(void)
{
	CHECK_INT(AT("ab\xc0\xaf"), 2);		/* overlong '/' */
	CHECK_INT(AT("\xc1\xbf"), 0);		/* overlong */
	CHECK_INT(AT("\xe0\x80\xaf"), 0);	/* overlong, three bytes */
	CHECK_INT(AT("\xe0\x9f\xbf"), 0);	/* overlong U+07FF */
	CHECK_INT(AT("\xf0\x8f\xbf\xbf"), 0);	/* overlong U+FFFF */
	CHECK_INT(AT("x\xed\xa0\x80"), 1);	/* surrogate U+D800 */
	CHECK_INT(AT("\xed\xbf\xbf"), 0);	/* surrogate U+DFFF */
	CHECK_INT(AT("\xf4\x90\x80\x80"), 0);	/* U+110000 */
	CHECK_INT(AT("\xf5\x80\x80\x80"), 0);
	CHECK_INT(AT("\xf8\x88\x80\x80\x80"), 0);
	CHECK_INT(AT("\xff"), 0);
	CHECK_INT(AT("\xfe"), 0);
	CHECK_INT(AT("ok\x80"), 2);		/* lone continuation */
	CHECK_INT(AT("\xc3"), 0);		/* truncated at the end */
	CHECK_INT(AT("ab\xe2\x82"), 2);
	CHECK_INT(AT("\xf0\x9f\x98"), 0);
	CHECK_INT(AT("\xc3(x"), 0);		/* continuation missing */
	CHECK_INT(AT("\xe2\x28\xa1"), 0);
	CHECK_INT(AT("\xf0\x9f\x98\x28"), 0);
	CHECK_INT(AT("caf\xe9"), 3);		/* Latin-1 */
}

static void
test_from_latin1(void)
{
	struct strbuf sb;
	static const char in[] = "Caf\xe9 M\xfcller \xa3\xff\x80";

	strbuf_init(&sb, 0);
	CHECK_INT(utf8_from_latin1(&sb, in, sizeof(in) - 1), 0);
	CHECK_STR(sb.buf, "Caf\xc3\xa9 M\xc3\xbcller \xc2\xa3\xc3\xbf\xc2\x80");
	CHECK_INT(utf8_invalid_at(sb.buf, sb.len), sb.len);
	strbuf_release(&sb);

	/* the cap is honoured */
	strbuf_init(&sb, 4);
	errno = 0;
	CHECK_INT(utf8_from_latin1(&sb, "\xe9\xe9\xe9", 3), -1);
	CHECK_INT(errno, EFBIG);
	strbuf_release(&sb);
}

static const char *
lower(const char *s, size_t len)
{
	static struct strbuf sb = { NULL, 0, 0, 0 };

	if (sb.buf == NULL)
		strbuf_init(&sb, 0);
	strbuf_reset(&sb);
	if (s == NULL) {
		strbuf_release(&sb);
		return "";
	}
	if (utf8_lower(&sb, s, len) < 0)
		return NULL;
	return sb.buf;
}

#define LOWER(s) lower((s), sizeof(s) - 1)

static void
test_lower(void)
{
	CHECK_STR(LOWER("John.DOE@Example.COM"), "john.doe@example.com");
	CHECK_STR(LOWER("\xc3\x80\xc3\x89\xc3\x96\xc3\x9e\xc3\x97\xc3\x9f"),
	    "\xc3\xa0\xc3\xa9\xc3\xb6\xc3\xbe\xc3\x97\xc3\x9f");	/* ÀÉÖÞ×ß → àéöþ×ß */
	CHECK_STR(LOWER("\xc5\x81\xc3\xb3" "d\xc5\xba \xc5\xb8 \xc4\x8c"),
	    "\xc5\x82\xc3\xb3" "d\xc5\xba \xc3\xbf \xc4\x8d");		/* Łódź Ÿ Č */
	CHECK_STR(LOWER("\xc4\xb0stanbul"), "istanbul");		/* İ → i */
	CHECK_STR(LOWER("\xce\x91\xce\xb8\xce\x97\xce\x9d\xce\x91 \xce\xa3\xce\xa9"),
	    "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1 \xcf\x83\xcf\x89");	/* ΑθΗΝΑ ΣΩ */
	CHECK_STR(LOWER("\xce\x86\xce\x88\xce\x8c\xce\x8f\xce\xaa"),
	    "\xce\xac\xce\xad\xcf\x8c\xcf\x8e\xcf\x8a");		/* ΆΈΌΏΪ */
	CHECK_STR(LOWER("\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90 \xd0\x81\xd0\x8f"),
	    "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 \xd1\x91\xd1\x9f");	/* МОСКВА ЁЏ */
	CHECK_STR(LOWER("\xe2\x82\xac\xf0\x9f\x98\x80\xe4\xb8\xad"),
	    "\xe2\x82\xac\xf0\x9f\x98\x80\xe4\xb8\xad");		/* unchanged */
	CHECK_STR(LOWER(""), "");
}

static void
test_lower_leaves_invalid_bytes_alone(void)
{
	CHECK_STR(LOWER("A\xc3" "B"), "a\xc3" "b");	/* the B after a broken lead survives */
	CHECK_STR(LOWER("\xc3"), "\xc3");
	CHECK_STR(LOWER("X\x80Y\xff"), "x\x80y\xff");
	CHECK_STR(LOWER("\xed\xa0\x80Z"), "\xed\xa0\x80z");
	CHECK_STR(LOWER("\xc0\x81Q"), "\xc0\x81q");
	CHECK_STR(LOWER("caf\xc9"), "caf\xc9");	/* Latin-1 É is not UTF-8: left as is */
	lower(NULL, 0);
}

static const char *
escaped(const char *s, size_t len)
{
	static struct strbuf sb;

	strbuf_release(&sb);
	strbuf_init(&sb, 0);
	if (utf8_escape_controls(&sb, s, len) < 0)
		return NULL;
	return sb.buf != NULL ? sb.buf : "";
}

#define ESC(s) escaped((s), sizeof(s) - 1)

static void
test_escape_controls(void)
{
	CHECK_STR(ESC("plain caf\xc3\xa9 \xe2\x82\xac"), "plain caf\xc3\xa9 \xe2\x82\xac");
	CHECK_STR(ESC("a\x1b[31mred\x1b[0m"), "a\\x1b[31mred\\x1b[0m");
	CHECK_STR(ESC("1\n2\r3\t4\x7f\x01"), "1\\n2\\r3\\t4\\x7f\\x01");
	CHECK_STR(ESC("nul\0x"), "nul\\x00x");
	CHECK_STR(ESC("csi\xc2\x9b" "2J"), "csi\\u009b2J");	/* U+009B, a C1 CSI */
	CHECK_STR(ESC("latin1 \x9b\xff"), "latin1 \\x9b\\xff");
	CHECK_STR(ESC("back\\slash"), "back\\slash");
	CHECK_STR(ESC(""), "");
	escaped(NULL, 0);
}

UNIT_MAIN(TEST(test_valid_text), TEST(test_invalid_sequences), TEST(test_from_latin1),
    TEST(test_lower), TEST(test_lower_leaves_invalid_bytes_alone),
    TEST(test_escape_controls))
