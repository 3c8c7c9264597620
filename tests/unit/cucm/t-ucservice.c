/* Unit tests for ucservice.csv: reading, finding a service by name, decoding its values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/ucservice.h"
#include "unit.h"

static char *
decode(const char *xml)
{
	struct strbuf sb;

	strbuf_init(&sb, 1 << 20);
	if (ucservice_decode_values(xml, &sb) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static void
test_decode_values(void)
{
	static const char *const in[] = {
		/* the shape of Cisco's sample (urllib.parse.quote_plus of each value) */
		"<Options><AdminConfiguredBot>dstaudt%40ds-cup1251.cisco.com</AdminConfiguredBot>"
		"</Options>",
		"<Policies><A>a+b%2Bc</A></Policies>",
		/* decoded markup characters stay escaped; entities already there are kept */
		"<Client><U>http%3A%2F%2Fx%2F%3Fa%3D1%26b%3D%3C2%3E</U><V>&amp;%25</V></Client>",
		/* tags, attributes, comments and CDATA are not decoded */
		"<page refresh=\"a+b%40c\" x='>'><!-- a+b%40 --><![CDATA[a+b%40]]>%41</page>",
		/* junk escapes, %00 and a cut tag are kept as they are */
		"<A>100%</A><B>%zz%4</B><C>%00</C><D x=\"",
		"",
	};
	static const char *const out[] = {
		"<Options><AdminConfiguredBot>dstaudt@ds-cup1251.cisco.com</AdminConfiguredBot>"
		"</Options>",
		"<Policies><A>a b+c</A></Policies>",
		"<Client><U>http://x/?a=1&amp;b=&lt;2&gt;</U><V>&amp;%</V></Client>",
		"<page refresh=\"a+b%40c\" x='>'><!-- a+b%40 --><![CDATA[a+b%40]]>A</page>",
		"<A>100%</A><B>%zz%4</B><C>%00</C><D x=\"",
		"",
	};

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char *s = decode(in[i]);

		CHECK_STR(s, out[i]);
		free(s);
	}
}

static struct ucservice_list
read_str(const char *csv, int *rc, struct j2w_err *err)
{
	struct ucservice_list l;
	FILE *fp = fmemopen((void *)csv, strlen(csv), "r");

	*rc = ucservice_read(&l, fp, -1, "ucservice.csv", err);
	fclose(fp);
	return l;
}

static void
test_read_and_find(void)
{
	static const char csv[] =
	    "SERVICE TYPE,PRODUCT TYPE,NAME,DESCRIPTION,HOST NAME/IP ADDRESS,PORT,PROTOCOL,"
	    "APPLICATION SERVER,XML\r\n"
	    "Jabber Client Configuration (jabber-config.xml),Jabber,JC_Common,,NULL,NULL,NULL,NULL,"
	    "<Options><A>1</A></Options>\r\n"
	    "Directory,Directory,UDS,,cucm.example.com,8443,HTTPS,NULL,NULL\r\n"
	    "Video Conference Scheduling Portal,Telepresence Management System,jc_common,,"
	    "tms.example.com,80,HTTP,NULL,<TmsPortalUrl>http://tms/</TmsPortalUrl>\r\n"
	    "NULL,Jabber,JC_Product,,NULL,NULL,NULL,NULL,\"<Client>\r\n<B>2</B></Client>\"\r\n";
	struct j2w_err err;
	const struct ucservice *s;
	int rc;
	struct ucservice_list l = read_str(csv, &rc, &err);

	CHECK_INT(rc, 0);
	CHECK_INT(l.n, 4);
	CHECK_STR(l.s[0].type, "Jabber Client Configuration (jabber-config.xml)");
	CHECK_INT(l.s[0].line, 2);
	CHECK(l.s[1].xml == NULL);
	/* the type falls back to PRODUCT TYPE */
	CHECK_STR(l.s[3].type, "Jabber");
	CHECK_INT(l.s[3].line, 5);
	CHECK_STR(l.s[3].xml, "<Client>\r\n<B>2</B></Client>");
	s = ucservice_find(&l, "JC_Common");
	CHECK(s == &l.s[0]);
	s = ucservice_find(&l, "jc_common");	/* the exact name wins over the Jabber type */
	CHECK(s == &l.s[2]);
	s = ucservice_find(&l, "JC_COMMON");	/* no exact name: the Jabber one */
	CHECK(s == &l.s[0]);
	CHECK(ucservice_find(&l, "JC_Product") == &l.s[3]);
	CHECK(ucservice_find(&l, "uds") == &l.s[1]);
	CHECK(ucservice_find(&l, "nope") == NULL);
	CHECK(ucservice_find(&l, "") == NULL);
	CHECK_INT(ucservice_is_jabber(&l.s[1]), 0);
	ucservice_list_release(&l);

	l = read_str("NAME,XML\r\n", &rc, &err);
	CHECK_INT(rc, 0);
	CHECK_INT(l.n, 0);
	CHECK(ucservice_find(&l, "x") == NULL);
	ucservice_list_release(&l);
	l = read_str("SERVICE TYPE,NAME\r\nJabber,x\r\n", &rc, &err);
	CHECK_INT(rc, -1);
	CHECK_STR(err.msg, "ucservice.csv:1: no 'XML' column");
	CHECK(l.label == NULL);
	l = read_str("", &rc, &err);
	CHECK_INT(rc, -1);
	CHECK_INT(err.status, J2W_EDATA);
	/* a row cut short, or with a field too many, is not taken as a whole service */
	l = read_str("NAME,XML\r\nx,<A/>\r\nJabber Client Configuration", &rc, &err);
	CHECK_INT(rc, -1);
	CHECK_STR(err.msg, "ucservice.csv:3: 1 field, the header has 2 (is the file cut short?)");
	l = read_str("NAME,XML\r\nx,<A/>,y\r\n", &rc, &err);
	CHECK_INT(rc, -1);
	CHECK_STR(err.msg, "ucservice.csv:2: 3 fields, the header has 2 (a comma outside quotes?)");
	l = read_str("NAME,XML\r\nx,\"open\r\n", &rc, &err);
	CHECK_INT(rc, -1);
	CHECK(strstr(err.msg, "ucservice.csv:2:") != NULL);
}

UNIT_MAIN(TEST(test_decode_values), TEST(test_read_and_find))
