/* Unit tests for roomcfg: room names from CONFIG forms, and hostile XML. */
#include <stdlib.h>
#include <string.h>

#include "chat/roomcfg.h"
#include "unit.h"

static char *
name(const char *xml, struct j2w_err *err)
{
	return roomcfg_name(xml, strlen(xml), err);
}

static void
test_name_found(void)
{
	struct j2w_err err;
	char *n;

	n = name("<iq type='set'><query xmlns='http://jabber.org/protocol/muc#owner'>"
	    "<x xmlns='jabber:x:data' type='submit'>"
	    "<field var='muc#roomconfig_persistentroom'><value>1</value></field>"
	    "<field var='muc#roomconfig_roomname'><value>  Ops &amp; &lt;Deploys&gt; </value></field>"
	    "</x></query></iq>", &err);
	CHECK_STR(n, "Ops & <Deploys>");
	free(n);
	/* a bare form, a prefixed namespace */
	n = name("<d:x xmlns:d='jabber:x:data'><d:field var='muc#roomconfig_roomname'>"
	    "<d:value>Zoë's room 🎉</d:value></d:field></d:x>", &err);
	CHECK_STR(n, "Zoë's room 🎉");
	free(n);
}

static void
test_name_absent(void)
{
	struct j2w_err err;

	CHECK(name("<x xmlns='jabber:x:data'/>", &err) == NULL);
	CHECK_INT(err.status, J2W_OK);
	CHECK(name("<x><field var='muc#roomconfig_roomname'><value>  </value></field></x>", &err) == NULL);
	CHECK_INT(err.status, J2W_OK);
	CHECK(name("<x><field var='muc#roomconfig_roomname'/></x>", &err) == NULL);
	CHECK_INT(err.status, J2W_OK);
	CHECK(roomcfg_name(NULL, 0, &err) == NULL);
	CHECK_INT(err.status, J2W_OK);
}

static void
test_hostile_xml(void)
{
	struct j2w_err err;

	CHECK(name("<x><field var='muc#roomconfig_roomname'><value>a</x>", &err) == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(name("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
	    "<x><field var='muc#roomconfig_roomname'><value>&e;</value></field></x>", &err) == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "DOCTYPE") != NULL);
	CHECK(name("<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]><x>&b;</x>",
	    &err) == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(name("not xml at all", &err) == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	{
		/* very deep nesting: found or not, but no crash */
		size_t depth = 5000, i;
		char *deep = malloc(depth * 7 + 64), *p = deep;
		char *n;

		for (i = 0; i < depth; i++) {
			memcpy(p, "<a>", 3);
			p += 3;
		}
		for (i = 0; i < depth; i++) {
			memcpy(p, "</a>", 4);
			p += 4;
		}
		*p = '\0';
		n = name(deep, &err);
		CHECK(n == NULL);
		free(n);
		free(deep);
	}
}

UNIT_MAIN(TEST(test_name_found), TEST(test_name_absent), TEST(test_hostile_xml))
