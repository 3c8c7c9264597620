/*
 * Unit tests for IM&P contact-list exports. The shapes follow Cisco's
 * "Configuration and Administration of the IM and Presence Service, Release
 * 12.5(1)SU4 to 12.5(1)SU7", chapter "Bulk Administration of Contact Lists"
 * (File Details for Export Contact Lists; File Details for Export Non-Presence
 * Contact Lists), https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cucm/im_presence/configAdminGuide/12_5_1_su4/cup0_b_config-and-admin-guide-1251su4/cup0_b_config-and-admin-guide-1251su3_chapter_011111.html
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/contacts.h"
#include "unit.h"

static void
test_jid_joining(void)
{
	char *j;

	j = contacts_jid("Bob", "Example.COM");
	CHECK_STR(j, "bob@example.com");
	free(j);
	/* Cisco: "bjones@usa@example.com - bjones@usa is the user ID and example.com is the user domain" */
	j = contacts_jid("bjones@usa", "example.com");
	CHECK_STR(j, "bjones@usa@example.com");
	free(j);
	j = contacts_jid(" alice@example.com ", "");
	CHECK_STR(j, "alice@example.com");
	free(j);
	j = contacts_jid(" john.doe", " example.com ");
	CHECK_STR(j, "john.doe@example.com");
	free(j);
	j = contacts_jid("\xc3\x98rjan", "example.com");
	CHECK_STR(j, "\xc3\xb8rjan@example.com");
	free(j);
	CHECK(contacts_jid("bob", "") == NULL);
	CHECK(contacts_jid("", "example.com") == NULL);
	CHECK(contacts_jid(NULL, "example.com") == NULL);
}

/*
 * Reads all of text; records go to out as JSON lines, problems to problems
 * (one a line). Returns contacts_next's last result, or -2 when the export was
 * refused at open (why in problems). max_record lowers the row limit when not 0.
 */
static int
read_all(const char *text, size_t len, size_t max_record, struct strbuf *out,
    struct strbuf *problems)
{
	struct contacts_reader r;
	struct strbuf problem;
	struct contact c;
	struct j2w_err err;
	FILE *fp = fmemopen((void *)text, len, "r");
	int rc;

	strbuf_reset(out);
	strbuf_reset(problems);
	if (contacts_open(&r, fp, "c.csv", &err) < 0) {
		fclose(fp);
		strbuf_addf(problems, "%s\n", err.msg);
		return -2;
	}
	if (max_record)
		r.max_record = max_record;
	strbuf_init(&problem, 0);
	while ((rc = contacts_next(&r, &c, &problem, &err)) > 0) {
		json_t *obj;
		char *s;

		if (rc == 2) {
			strbuf_addf(problems, "%s\n", problem.buf);
			continue;
		}
		obj = contact_to_json(&c);
		s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
		strbuf_addf(out, "%s\n", s);
		free(s);
		json_decref(obj);
		contact_release(&c);
	}
	if (rc < 0)
		strbuf_addf(problems, "%s\n", err.msg);
	strbuf_release(&problem);
	contacts_close(&r);
	fclose(fp);
	return rc;
}

#define READ(text, out, problems) read_all((text), sizeof(text) - 1, 0, (out), (problems))

/* Cisco's sample entry, as printed: no header, seven fields, the State last. */
static void
test_presence_export_as_cisco_prints_it(void)
{
	static const char text[] = "userA,example.com,userB,example.com,buddyB,General,0\n";
	struct strbuf out, problems;

	strbuf_init(&out, 0);
	strbuf_init(&problems, 0);
	CHECK_INT(READ(text, &out, &problems), 0);
	CHECK_STR(out.buf, "{\"owner\":\"usera@example.com\",\"contact\":\"userb@example.com\","
	    "\"nickname\":\"buddyB\",\"group\":\"General\",\"source\":\"imp:c.csv:1\"}\n");
	CHECK_STR(problems.buf, "");
	strbuf_release(&out);
	strbuf_release(&problems);
}

static void
test_presence_six_or_seven_fields_crlf_bom(void)
{
	static const char six[] = "\xef\xbb\xbf" "alice,example.com,Bob,Example.COM,,Contacts\r\n"
	    "bjones@usa,example.com,alice,example.com,\"Smith, John\",Team\r\n\r\n";
	static const char seven[] = "a,example.com,b,example.com,,General,2\n"
	    "a,example.com,c,example.com,,General,\n";
	struct strbuf out, problems;

	strbuf_init(&out, 0);
	strbuf_init(&problems, 0);
	CHECK_INT(READ(six, &out, &problems), 0);
	CHECK_STR(out.buf,
	    "{\"owner\":\"alice@example.com\",\"contact\":\"bob@example.com\",\"group\":\"Contacts\","
	    "\"source\":\"imp:c.csv:1\"}\n"
	    "{\"owner\":\"bjones@usa@example.com\",\"contact\":\"alice@example.com\",\"nickname\":"
	    "\"Smith, John\",\"group\":\"Team\",\"source\":\"imp:c.csv:2\"}\n");
	CHECK_INT(READ(seven, &out, &problems), 0);
	CHECK(strstr(out.buf, "imp:c.csv:2") != NULL);
	CHECK_STR(problems.buf, "");
	strbuf_release(&out);
	strbuf_release(&problems);
}

/* Hand-made lists: a header in any spelling, spaces after the commas. */
static void
test_loose_header_and_spaces(void)
{
	static const char generator[] = "User ID, User Domain, Contact ID, Contact Domain, Nickname, "
	    "Group Name\njohn.doe, example.com, jane.roe, example.com, Jane , Team\n";
	static const char odd[] = "\xef\xbb\xbfuser_id , USER DOMAIN,ContactId,Contact-Domain,NickName,"
	    "Group,subscription state\r\nAlice,Example.com,BOB,example.COM,\"Bob, the builder\",Team,0\r\n";
	static const char jids[] = "Owner JID,Buddy JID,Nick\nAlice@Example.com,bob@example.com,B\n";
	struct strbuf out, problems;

	strbuf_init(&out, 0);
	strbuf_init(&problems, 0);
	CHECK_INT(READ(generator, &out, &problems), 0);
	CHECK_STR(out.buf, "{\"owner\":\"john.doe@example.com\",\"contact\":\"jane.roe@example.com\","
	    "\"nickname\":\"Jane\",\"group\":\"Team\",\"source\":\"imp:c.csv:2\"}\n");
	CHECK_INT(READ(odd, &out, &problems), 0);
	CHECK_STR(out.buf, "{\"owner\":\"alice@example.com\",\"contact\":\"bob@example.com\","
	    "\"nickname\":\"Bob, the builder\",\"group\":\"Team\",\"source\":\"imp:c.csv:2\"}\n");
	CHECK_INT(READ(jids, &out, &problems), 0);
	CHECK_STR(out.buf, "{\"owner\":\"alice@example.com\",\"contact\":\"bob@example.com\","
	    "\"nickname\":\"B\",\"source\":\"imp:c.csv:2\"}\n");
	CHECK_STR(problems.buf, "");
	strbuf_release(&out);
	strbuf_release(&problems);
}

static void
test_rows_without_contact_are_reported(void)
{
	static const char text[] = "User ID,User Domain,Contact ID,Contact Domain,Nickname,Group Name\n"
	    "alice,example.com,,example.com,,G\n"
	    "alice,example.com,bob,example.com,,G\n"
	    "alice,example.com,carol,,,G\n"
	    ",example.com,bob,example.com,,G\n";
	struct strbuf out, problems;

	strbuf_init(&out, 0);
	strbuf_init(&problems, 0);
	CHECK_INT(READ(text, &out, &problems), 0);
	CHECK(strstr(out.buf, "\"contact\":\"bob@example.com\"") != NULL);
	CHECK_STR(problems.buf, "c.csv:2: no Contact ID\n"
	    "c.csv:4: no Contact Domain for a contact ID without '@'\n"
	    "c.csv:5: no owner JID (User ID and User Domain)\n");
	strbuf_release(&out);
	strbuf_release(&problems);
}

/* Rows that are not what they claim: misaligned, cut off, too long, not UTF-8. */
static void
test_damaged_presence_rows(void)
{
	static const char text[] = "a,example.com,b,example.com,B,General,0\n"
	    "a,example.com,c,example.com,Smith, John,General,0\n"
	    "a,example.com,d,example.com,Smith, John,General\n"
	    "a,example.com,e,example.com,M\xfcller,General,0\n"
	    "a,example.com,f,example.com\n"
	    "a,example.com,g,example.com,,G,\x1b[2J\n"
	    "a,example.com,h,exa";
	struct strbuf out, problems;

	strbuf_init(&out, 0);
	strbuf_init(&problems, 0);
	CHECK_INT(READ(text, &out, &problems), 0);
	CHECK_STR(out.buf, "{\"owner\":\"a@example.com\",\"contact\":\"b@example.com\",\"nickname\":"
	    "\"B\",\"group\":\"General\",\"source\":\"imp:c.csv:1\"}\n");
	CHECK_STR(problems.buf,
	    "c.csv:2: row has 8 fields, more than the 7 of an IM and Presence export (a nickname or "
	    "group name with an unquoted comma?)\n"
	    "c.csv:3: State 'General' is not a number (a nickname or group name with an unquoted comma?)\n"
	    "c.csv:4: invalid UTF-8 in field 5 (if the file is Latin-1, convert it: iconv -f LATIN1 -t UTF-8)\n"
	    "c.csv:5: row has 4 fields, not the 6 or 7 of the export\n"
	    "c.csv:6: State '\\x1b[2J' is not a number (a nickname or group name with an unquoted comma?)\n"
	    "c.csv:7: row has 4 fields, not the 6 or 7 of the export: the file ends in the middle of it\n");
	strbuf_release(&out);
	strbuf_release(&problems);
}

static void
test_long_rows_and_open_quotes(void)
{
	static const char text[] = "a,example.com,b,example.com,,G,0\n"
	    "a,example.com,c,example.com,xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx,G,0\n"
	    "a,example.com,d,example.com,\"yy\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\nyyyyyy\nyy\",G,0\n"
	    "a,example.com,e,example.com,\"two\nlines\",G,0\n"
	    "a,example.com,f,example.com,,G,0\n";
	static const char open_quote[] = "a,example.com,b,example.com,,G,0\na,example.com,\"c,x\n";
	struct strbuf out, problems;

	strbuf_init(&out, 0);
	strbuf_init(&problems, 0);
	CHECK_INT(read_all(text, sizeof(text) - 1, 60, &out, &problems), 0);
	CHECK(strstr(out.buf, "\"contact\":\"b@example.com\"") != NULL);
	CHECK(strstr(out.buf, "\"nickname\":\"two\\nlines\",\"group\":\"G\",\"source\":\"imp:c.csv:7\"") != NULL);
	CHECK(strstr(out.buf, "\"contact\":\"f@example.com\",\"group\":\"G\",\"source\":\"imp:c.csv:9\"") != NULL);
	CHECK_STR(problems.buf, "c.csv:2: row longer than 60 bytes\nc.csv:3: row longer than 60 bytes\n");
	CHECK_INT(READ(open_quote, &out, &problems), -1);
	CHECK_STR(problems.buf, "c.csv:2: quoted field opened here is never closed (the file ends inside it)\n");
	strbuf_release(&out);
	strbuf_release(&problems);
}

static void
test_not_an_export(void)
{
	static const char other[] = "a,b,c\n1,2,3\n";
	static const char utf16[] = "\xff\xfe" "a\0,\0b\0\n\0";
	static const char nul[] = "a\0,b,c,d,e,f\n";
	struct strbuf out, problems;

	strbuf_init(&out, 0);
	strbuf_init(&problems, 0);
	CHECK_INT(READ(other, &out, &problems), -2);
	CHECK(strncmp(problems.buf, "c.csv:1: no 'User ID' and 'Contact ID' columns", 46) == 0);
	CHECK_INT(READ(utf16, &out, &problems), -2);
	CHECK_STR(problems.buf, "c.csv:1: the file is UTF-16: save it as UTF-8 (iconv -f UTF-16 -t UTF-8)\n");
	CHECK_INT(READ(nul, &out, &problems), -2);
	CHECK(strstr(problems.buf, "NUL bytes") != NULL);
	CHECK_INT(read_all("", 0, 0, &out, &problems), 0);
	CHECK_INT(read_all("\n\n", 2, 0, &out, &problems), 0);
	CHECK_STR(out.buf, "");
	CHECK_INT(read_all("a,example.com,b,example.com,xxxxxxxx,G,0\n", 41, 0, &out, &problems), 0);
	strbuf_release(&out);
	strbuf_release(&problems);
}

/*
 * Cisco's non-presence sample entry. The guide prints it with some line breaks
 * lost (HTML rendering runs "EMAIL...:testuser01@test.com N:test;user;;;" into
 * one line); the vCard is written here one property a line, as vCard 3.0
 * (RFC 2426) requires and as the Info field's "vCard format" says.
 */
static const char cisco_non_presence[] =
    "user2@cisco.com,ce463d44-02c3-4975-a37f-d4553e3f17e1,group01,text/directory,3,BEGIN:VCARD\n"
    "ADR;TYPE=WORK:ADR\\;WORK:\\;\\;123 Dublin rd\\,\\;Oranmore\\;Galway\\;\\;Ireland\n"
    "EMAIL;TYPE=X-CUSTOM1;X LABEL=Custom:testuser01@test.com\n"
    "N:test;user;;;\n"
    "NICKNAME:pizzaguy01\n"
    "ORG:ABC\n"
    "TEL;TYPE=WORK,VOICE:5323534535\n"
    "TITLE:QA\n"
    "VERSION:3.0\n"
    "END:VCARD\n";

static void
test_non_presence_export(void)
{
	static const char collapsed[] =
	    "user2@cisco.com,ce463d44,group01,text/directory,3,BEGIN:VCARD\n"
	    "EMAIL:a@test.com N:test;user;;; VERSION:3.0 END:VCARD\n"
	    "user2@cisco.com,ce463d45,group01,text/directory,3,BEGIN:VCARD\nFN:Next\nEND:VCARD\n";
	static const char want[] = "{\"owner\":\"user2@cisco.com\",\"kind\":\"custom\",\"contact_id\":"
	    "\"ce463d44-02c3-4975-a37f-d4553e3f17e1\",\"name\":\"user test\",\"email\":"
	    "\"testuser01@test.com\",\"phone\":\"5323534535\",\"nickname\":\"pizzaguy01\",\"group\":"
	    "\"group01\",\"source\":\"imp:c.csv:1\"}\n";
	struct strbuf out, problems, crlf;

	strbuf_init(&out, 0);
	strbuf_init(&problems, 0);
	strbuf_init(&crlf, 0);
	CHECK_INT(READ(cisco_non_presence, &out, &problems), 0);
	CHECK_STR(out.buf, want);
	CHECK_STR(problems.buf, "");
	for (const char *p = cisco_non_presence; *p; p++)
		strbuf_addstr(&crlf, *p == '\n' ? "\r\n" : (char[]){ *p, 0 });
	CHECK_INT(read_all(crlf.buf, crlf.len, 0, &out, &problems), 0);
	CHECK_STR(out.buf, want);
	/* the page's rendering, everything after BEGIN:VCARD run into one line: one row still */
	CHECK_INT(READ(collapsed, &out, &problems), 0);
	CHECK(strstr(out.buf, "\"contact_id\":\"ce463d45\",\"name\":\"Next\"") != NULL);
	CHECK_STR(problems.buf, "");
	strbuf_release(&out);
	strbuf_release(&problems);
	strbuf_release(&crlf);
}

static void
test_non_presence_variants(void)
{
	static const char text[] =
	    "User JID,Contact JID,Group Name,Content Type,Version,Info\n"
	    "User2@Cisco.com,5F0C8A2E-7D41-4B9A-9C1E-2A6B3D4E5F60,Partners,text/directory,3,BEGIN:VCARD\r\n"
	    "VERSION:3.0\r\n"
	    "FN:Marta L\xc3\xb3pez\\, PhD\r\n"
	    "item1.EMAIL;type=INTERNET;type=pref:marta.lopez@partner.example\r\n"
	    "TEL;TYPE=CELL:+34 600 123 \r\n"
	    " 456\r\n"
	    "END:VCARD\r\n"
	    "user2@cisco.com,x,G,text/directory,3,\"BEGIN:VCARD\nN:Quoted;Q\nEND:VCARD\"\n"
	    "user2@cisco.com,y,G,text/directory,4,BEGIN:VCARD\nVERSION:4.0\nTEL;VALUE=uri:tel:+14085550100\nEND:VCARD\n";
	struct strbuf out, problems;

	strbuf_init(&out, 0);
	strbuf_init(&problems, 0);
	CHECK_INT(READ(text, &out, &problems), 0);
	CHECK_STR(out.buf,
	    "{\"owner\":\"user2@cisco.com\",\"kind\":\"custom\",\"contact_id\":"
	    "\"5f0c8a2e-7d41-4b9a-9c1e-2a6b3d4e5f60\",\"name\":\"Marta L\xc3\xb3pez, PhD\",\"email\":"
	    "\"marta.lopez@partner.example\",\"phone\":\"+34 600 123 456\",\"group\":\"Partners\","
	    "\"source\":\"imp:c.csv:2\"}\n"
	    "{\"owner\":\"user2@cisco.com\",\"kind\":\"custom\",\"contact_id\":\"x\",\"name\":\"Q Quoted\","
	    "\"group\":\"G\",\"source\":\"imp:c.csv:9\"}\n"
	    "{\"owner\":\"user2@cisco.com\",\"kind\":\"custom\",\"contact_id\":\"y\",\"phone\":"
	    "\"+14085550100\",\"group\":\"G\",\"source\":\"imp:c.csv:12\"}\n");
	CHECK_STR(problems.buf, "");
	strbuf_release(&out);
	strbuf_release(&problems);
}

/* A vCard never closed is one bad row, not the rest of the file; never a presence row. */
static void
test_damaged_non_presence_rows(void)
{
	static const char text[] =
	    "u@cisco.com,id1,G,text/directory,3,BEGIN:VCARD\nFN:One\n"
	    "u@cisco.com,id2,G,text/directory,3,BEGIN:VCARD\nFN:Two\nEND:VCARD\n"
	    "u@cisco.com,id3,G,text/html,3,BEGIN:VCARD\nFN:Three\nEND:VCARD\n"
	    "u@cisco.com,id4,G,text/directory,3,\n"
	    ",id5,G,text/directory,3,BEGIN:VCARD\nFN:Five\nEND:VCARD\n"
	    "u@cisco.com,id6,G,text/directory,3,BEGIN:VCARD\nORG:Six\nEND:VCARD\n"
	    "u@cisco.com,id7\n"
	    "u@cisco.com,id8,G,text/directory,3,BEGIN:VCARD\nFN:Eight\n";
	struct strbuf out, problems;

	strbuf_init(&out, 0);
	strbuf_init(&problems, 0);
	CHECK_INT(READ(text, &out, &problems), 0);
	CHECK_STR(out.buf, "{\"owner\":\"u@cisco.com\",\"kind\":\"custom\",\"contact_id\":\"id2\","
	    "\"name\":\"Two\",\"group\":\"G\",\"source\":\"imp:c.csv:3\"}\n");
	CHECK_STR(problems.buf,
	    "c.csv:1: the vCard that starts here has no END:VCARD (the file is cut short, or the next "
	    "row starts inside it)\n"
	    "c.csv:6: Content Type 'text/html' is not text/directory (a vCard)\n"
	    "c.csv:9: no vCard (BEGIN:VCARD) in the Info field\n"
	    "c.csv:10: no User JID\n"
	    "c.csv:13: the vCard has no name, email or phone\n"
	    "c.csv:16: row has 2 fields, not the 6 of a non-presence export (User JID, Contact JID, "
	    "Group Name, Content Type, Version, Info)\n"
	    "c.csv:17: the vCard that starts here has no END:VCARD (the file is cut short, or the next "
	    "row starts inside it)\n");
	CHECK(strstr(out.buf, "\"contact\"") == NULL);
	strbuf_release(&out);
	strbuf_release(&problems);
}

static int
vcard(const char *text, struct contact *c)
{
	return contacts_vcard(text, strlen(text), c);
}

static void
test_vcard_fields(void)
{
	struct contact c = { 0 };

	CHECK_INT(vcard("BEGIN:VCARD\nN:Doe;Jane;;;\nFN:Jane Q. Doe\nEMAIL:j@x.org\n"
	    "EMAIL:second@x.org\nNICKNAME:JD,Janie\nTEL:1\nTEL:2\nEND:VCARD\n", &c), 0);
	CHECK_STR(c.name, "Jane Q. Doe");
	CHECK_STR(c.email, "j@x.org");
	CHECK_STR(c.nickname, "JD");
	CHECK_STR(c.phone, "1");
	contact_release(&c);
	/* a folded FN, escapes, a quoted parameter holding a colon */
	CHECK_INT(vcard("FN:Long\r\n  Name\\nHere\r\nEMAIL;X-LABEL=\"a:b\":e@x.org\r\n", &c), 0);
	CHECK_STR(c.name, "Long Name Here");
	CHECK_STR(c.email, "e@x.org");
	contact_release(&c);
	/* N alone, family only; nothing usable; no colon at all */
	CHECK_INT(vcard("N:Solo;;;;\n", &c), 0);
	CHECK_STR(c.name, "Solo");
	contact_release(&c);
	CHECK_INT(vcard("ORG:x\nNOCOLON\n:\n", &c), 0);
	CHECK(c.name == NULL && c.email == NULL && c.phone == NULL);
	contact_release(&c);
}

struct read_log {
	char text[1024];
	int stop_after;		/* stop after this many calls; 0: never */
	int calls;
};

static int
log_contact(void *ctx, json_t *rec, const char *problem)
{
	struct read_log *l = ctx;
	size_t len = strlen(l->text);

	l->calls++;
	if (rec != NULL)
		snprintf(l->text + len, sizeof(l->text) - len, "[%s>%s]",
		    json_string_value(json_object_get(rec, "owner")),
		    json_string_value(json_object_get(rec, "contact")));
	else
		snprintf(l->text + len, sizeof(l->text) - len, "[%s]", problem);
	return l->stop_after > 0 && l->calls == l->stop_after ? 7 : 0;
}

static int
read_any(const char *text, struct read_log *l, struct j2w_err *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int rc;

	if (fp == NULL)
		return -1;
	rc = contacts_read(fp, "c", log_contact, l, err);
	fclose(fp);
	return rc;
}

static void
test_read_records_or_export(void)
{
	struct read_log l = { "", 0, 0 };
	struct j2w_err err;

	/* JSON Lines after blank lines: contact records as they are */
	CHECK_INT(read_any("\n  {\"owner\":\"a@x\",\"contact\":\"b@x\"}\n"
	    "{\"owner\":\"c@x\",\"contact\":\"d@x\"}\n", &l, &err), 0);
	CHECK_STR(l.text, "[a@x>b@x][c@x>d@x]");
	/* anything else is an IM&P export, unusable rows reported in order */
	memset(&l, 0, sizeof(l));
	CHECK_INT(read_any("User ID,User Domain,Contact ID,Contact Domain\n"
	    "alice,example.com,bob,example.com\n"
	    ",example.com,bob,example.com\n", &l, &err), 0);
	CHECK_STR(l.text, "[alice@example.com>bob@example.com][c:3: no owner JID (User ID and "
	    "User Domain)]");
	/* the callback stops reading with its own value */
	memset(&l, 0, sizeof(l));
	l.stop_after = 1;
	CHECK_INT(read_any("{\"owner\":\"a@x\",\"contact\":\"b@x\"}\n{\"owner\":\"c@x\"}\n", &l,
	    &err), 7);
	CHECK_INT(l.calls, 1);
	/* bad JSON and a file that is no export are bad data */
	memset(&l, 0, sizeof(l));
	CHECK_INT(read_any("{\"owner\":\n", &l, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_INT(read_any("a,b,c\n1,2,3\n", &l, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
}

static void
test_out_forms(void)
{
	struct contact p = { .kind = CONTACT_PRESENCE, .owner = "ann@example.com",
		.contact = "bob@example.com", .group = "Team", .source = "imp:c.csv:1" };
	struct contact c = { .kind = CONTACT_CUSTOM, .owner = "ann@example.com",
		.contact_id = "x1", .name = "Cy", .phone = "+14085550100", .email = "=cmd",
		.source = "imp:n.csv:2" };
	struct contact_out o = { .delim = 0 };
	struct j2w_err err;

	o.fp = tmpfile();
	CHECK_INT(contact_out_put(&o, &p, &err), 0);
	CHECK_INT(contact_out_put(&o, &c, &err), 0);
	CHECK_STR(unit_written(o.fp),
	    "{\"owner\":\"ann@example.com\",\"contact\":\"bob@example.com\",\"group\":\"Team\","
	    "\"source\":\"imp:c.csv:1\"}\n"
	    "{\"owner\":\"ann@example.com\",\"kind\":\"custom\",\"contact_id\":\"x1\","
	    "\"name\":\"Cy\",\"email\":\"=cmd\",\"phone\":\"+14085550100\","
	    "\"source\":\"imp:n.csv:2\"}\n");
	fclose(o.fp);

	/* a table: the header once; the phone keeps its '+', a formula does not start */
	o = (struct contact_out){ .fp = tmpfile(), .delim = ',' };
	CHECK_INT(contact_out_put(&o, &p, &err), 0);
	CHECK_INT(contact_out_put(&o, &c, &err), 0);
	CHECK_STR(unit_written(o.fp), "owner,contact,nickname,group,kind,contact_id,name,email,phone,"
	    "source\r\n"
	    "ann@example.com,bob@example.com,,Team,,,,,,imp:c.csv:1\r\n"
	    "ann@example.com,,,,custom,x1,Cy,'=cmd,+14085550100,imp:n.csv:2\r\n");
	fclose(o.fp);
	CHECK_INT(CONTACT_NCOLUMNS, 10);
	CHECK(contact_columns[CONTACT_NCOLUMNS] == NULL);
}

UNIT_MAIN(TEST(test_jid_joining), TEST(test_presence_export_as_cisco_prints_it),
    TEST(test_presence_six_or_seven_fields_crlf_bom), TEST(test_loose_header_and_spaces),
    TEST(test_rows_without_contact_are_reported), TEST(test_damaged_presence_rows),
    TEST(test_long_rows_and_open_quotes), TEST(test_not_an_export), TEST(test_non_presence_export),
    TEST(test_non_presence_variants), TEST(test_damaged_non_presence_rows), TEST(test_vcard_fields),
    TEST(test_read_records_or_export), TEST(test_out_forms))
