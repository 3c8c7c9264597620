/* Unit tests for generate's settings: --set parsing, the dictionary verdict, the list, the merge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jabber/jabsettings.h"
#include "unit.h"
#include "util/xmlsafe.h"

static struct jabparams_dict dict;

/* The notes one call made, "W:" or "C:" before each, one per line. */
struct notes {
	char text[4096];
};

static void
collect(enum jabsettings_note kind, const char *msg, void *ctx)
{
	struct notes *n = ctx;
	size_t len = strlen(n->text);

	snprintf(n->text + len, sizeof(n->text) - len, "%s:%s\n",
	    kind == JABSET_WARNING ? "W" : "C", msg);
}

static void
test_setup(void)
{
	struct j2w_err err;

	xmlsafe_init();
	CHECK_INT(jabparams_dict_load(&dict, "templates/jabber-params.tsv", &err), 0);
}

static void
test_parse_set(void)
{
	static const struct {
		const char *arg, *group, *param, *value;
	} good[] = {
		{ "Policies/EnableCallPark=true", "Policies", "EnableCallPark", "true" },
		{ "Policies/EnableCallPark=", "Policies", "EnableCallPark", "" },
		{ "Client/X=a=b", "Client", "X", "a=b" },
		{ "a/b/c=1", "a", "b/c", "1" },
		{ "G/P= spaced value ", "G", "P", " spaced value " },
		{ "G/P=/=", "G", "P", "/=" },
	};
	static const char *const bad[] = {
		"", "Policies", "Policies/", "Policies/X", "/X=1", "Policies/=1", "Policies=X/1",
		"=/", "/=", "X=1", "=Policies/X",
	};
	struct jabcfg_setting s;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!CHECK_INT(jabsettings_parse_set(good[i].arg, &s), 0))
			continue;
		CHECK_STR(s.group, good[i].group);
		CHECK_STR(s.param, good[i].param);
		CHECK_STR(s.value, good[i].value);
		CHECK_INT(s.line, 0);
		jabsettings_setting_release(&s);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!CHECK_INT(jabsettings_parse_set(bad[i], &s), 1))
			printf("# accepted: '%s'\n", bad[i]);
}

/* The verdict and the reason of jabsettings_check, as "VERDICT reason". */
static const char *
verdict(const char *group, const char *param, const char *value)
{
	static const char *const names[] = { "OK", "WARN", "UNKNOWN", "BAD" };
	static char buf[512];
	struct strbuf why;
	enum jabsettings_verdict v;

	strbuf_init(&why, 0);
	v = jabsettings_check(&dict, group, param, value, &why);
	snprintf(buf, sizeof(buf), "%s%s%s", names[v], why.len ? " " : "", why.buf);
	strbuf_release(&why);
	return buf;
}

static void
test_check_verdicts(void)
{
	CHECK_STR(verdict("Policies", "EnableCallPark", "true"), "OK");
	CHECK_STR(verdict("Policies", "EnableCallPark", ""), "OK");
	CHECK_STR(verdict("Policies", "EnableCallPark", "maybe"),
	    "BAD 'EnableCallPark' expects true or false, not 'maybe'");
	CHECK_STR(verdict("Policies", "LocalRecordingToneVolume", "101"),
	    "BAD 'LocalRecordingToneVolume' expects a number from 0 to 100, not '101'");
	CHECK_STR(verdict("Directory", "UdsPhotoUriWithToken", "http://x/p.jpg"),
	    "WARN 'UdsPhotoUriWithToken' has no %%attribute%% token (e.g. %%uid%%): every "
	    "contact gets the same photo");
	CHECK_STR(verdict("policies", "EnableCallPark", "true"), "BAD the group is spelt 'Policies'");
	CHECK_STR(verdict("Polices", "EnableCallPark", "true"),
	    "BAD 'Polices' is not a group (Client, Directory, Options, Phone, Policies, Presence, "
	    "Voicemail)");
	CHECK_STR(verdict("Policies", "enablecallpark", "true"),
	    "BAD the parameter is spelt 'EnableCallPark'");
	CHECK_STR(verdict("Options", "EnableCallPark", "true"),
	    "BAD 'EnableCallPark' belongs in group Phone");
	CHECK_STR(verdict("Policies", "MadeUp", "1"), "UNKNOWN unknown parameter 'MadeUp'");
	/* a misspelt group is refused before an unknown parameter is forgiven */
	CHECK_STR(verdict("Nope", "MadeUp", "1"),
	    "BAD 'Nope' is not a group (Client, Directory, Options, Phone, Policies, Presence, "
	    "Voicemail)");
}

/* What cannot become an element or a value Jabber reads is refused before anything else. */
static void
test_check_hostile(void)
{
	static const char *const names[] = {
		"", "1x", "-x", ".x", "a<b", "a b", "a/b", "a:b", "a&b", "x\"y", "\xc3\xa9t\xc3\xa9",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char want[128];

		snprintf(want, sizeof(want), "BAD '%s' is not an element name", names[i]);
		CHECK_STR(verdict("Policies", names[i], "1"), want);
	}
	CHECK_STR(verdict("Policies", "a.b-c_d", "1"), "UNKNOWN unknown parameter 'a.b-c_d'");
	CHECK_STR(verdict("Policies", "EnableCallPark", "tr\001ue"),
	    "BAD the value holds a control character");
	CHECK_STR(verdict("Policies", "EnableCallPark", "a\nb"),
	    "BAD the value holds a control character");
	CHECK_STR(verdict("Policies", "EnableCallPark", "\xff"), "BAD the value is not UTF-8");
	CHECK_STR(verdict("Policies", "EnableCallPark", "\xc3"), "BAD the value is not UTF-8");
	/* a tab is text; the value check judges it */
	CHECK(strncmp(verdict("Policies", "EnableCallPark", "a\tb"), "BAD 'EnableCallPark'", 20) == 0);
	/* the value is judged before the names */
	CHECK_STR(verdict("nope", "1x", "\x01"), "BAD the value holds a control character");
}

static void
test_put_replaces_by_parameter(void)
{
	struct jabcfg_setting *list = NULL;
	size_t n = 0;
	struct j2w_err err;

	CHECK_INT(jabsettings_put(&list, &n, "Policies", "A", "1", 3, &err), 0);
	CHECK_INT(jabsettings_put(&list, &n, "Options", "B", "2", 4, &err), 0);
	CHECK_INT(jabsettings_put(&list, &n, "Client", "A", "3", 0, &err), 0);
	CHECK_INT(jabsettings_put(&list, &n, "Policies", "a", "4", 0, &err), 0);
	CHECK_INT(n, 3);
	CHECK_STR(list[0].param, "A");
	CHECK_STR(list[0].group, "Client");
	CHECK_STR(list[0].value, "3");
	CHECK_INT(list[0].line, 0);
	CHECK_STR(list[1].param, "B");
	CHECK_STR(list[2].param, "a");
	jabcfg_settings_free(list, n);
}

static void
test_add_set_and_verify(void)
{
	struct jabcfg_setting *list = NULL;
	size_t n = 0;
	struct j2w_err err;
	struct notes notes = { "" };

	CHECK_INT(jabsettings_add_set(&dict, &list, &n, "Policies", 0, collect, &notes, &err), 1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_STR(err.msg, "--set wants GROUP/PARAM=VALUE, not 'Policies'");
	CHECK_INT(jabsettings_add_set(&dict, &list, &n, "Policies/MadeUp=1", 0, collect, &notes,
	    &err), 1);
	CHECK_STR(err.msg, "Policies/MadeUp=1: unknown parameter 'MadeUp' (not in "
	    "jabber-params.tsv; --allow-unknown writes it anyway)");
	CHECK_INT(jabsettings_add_set(&dict, &list, &n, "Policies/MadeUp=1", 1, collect, &notes,
	    &err), 0);
	CHECK_INT(jabsettings_add_set(&dict, &list, &n, "policies/MadeUp=1", 1, collect, &notes,
	    &err), 1);
	CHECK_STR(err.msg, "policies/MadeUp=1: the group is spelt 'Policies'");
	CHECK_INT(jabsettings_add_set(&dict, &list, &n,
	    "Directory/UdsPhotoUriWithToken=http://x/p.jpg", 0, collect, &notes, &err), 0);
	CHECK_STR(notes.text, "W:Directory/UdsPhotoUriWithToken=http://x/p.jpg: "
	    "'UdsPhotoUriWithToken' has no %%attribute%% token (e.g. %%uid%%): every contact "
	    "gets the same photo\n");
	CHECK_INT(n, 2);
	CHECK_INT(jabsettings_verify(&dict, list, n, collect, &notes, &err), 0);

	/* a template's empty value must be filled; its bad values are refused; unknowns pass */
	CHECK_INT(jabsettings_put(&list, &n, "Directory", "PresenceDomain", "", 8, &err), 0);
	CHECK_INT(jabsettings_verify(&dict, list, n, collect, &notes, &err), 1);
	CHECK_STR(err.msg, "the template needs a value: --set Directory/PresenceDomain=VALUE");
	CHECK_INT(jabsettings_add_set(&dict, &list, &n, "Directory/PresenceDomain=example.com", 0,
	    collect, &notes, &err), 0);
	CHECK_INT(jabsettings_put(&list, &n, "Policies", "Other", "x", 9, &err), 0);
	CHECK_INT(jabsettings_verify(&dict, list, n, collect, &notes, &err), 0);
	CHECK_INT(jabsettings_put(&list, &n, "Policies", "EnableCallPark", "maybe", 10, &err), 0);
	CHECK_INT(jabsettings_verify(&dict, list, n, collect, &notes, &err), 1);
	CHECK_STR(err.msg, "template: 'EnableCallPark' expects true or false, not 'maybe'");
	/* --set of the same parameter wins over the template */
	CHECK_INT(jabsettings_add_set(&dict, &list, &n, "Policies/EnableCallPark=true", 0, collect,
	    &notes, &err), 0);
	CHECK_INT(jabsettings_verify(&dict, list, n, collect, &notes, &err), 0);
	jabcfg_settings_free(list, n);
}

static void
test_secret(void)
{
	CHECK(jabsettings_secret("ConnectionPassword"));
	CHECK(jabsettings_secret("password"));
	CHECK(jabsettings_secret("VoiceServicesPASSWORD"));
	CHECK(!jabsettings_secret("Passwords"));
	CHECK(!jabsettings_secret("PasswordPolicy"));
	CHECK(!jabsettings_secret("word"));
	CHECK(!jabsettings_secret(""));
}

static const char merge_me[] =
    "<?xml version=\"1.0\"?>\n"
    "<!-- kept -->\n"
    "<config version=\"1.0\">\n"
    "  <Policies>\n"
    "    <EnableCallPark>false</EnableCallPark>\n"
    "    <enablecallpark>x</enablecallpark>\n"
    "  </Policies>\n"
    "  <Directory>\n"
    "    <ConnectionPassword>old</ConnectionPassword>\n"
    "  </Directory>\n"
    "</config>\n";

/* Changes by the file's own lines, secrets without values, copies in another case set and told. */
static void
test_apply_notes(void)
{
	struct jabcfg_doc doc;
	struct jabcfg_setting *want = NULL;
	size_t n = 0;
	struct j2w_err err;
	struct notes notes = { "" };

	CHECK_INT(jabcfg_parse(&doc, merge_me, strlen(merge_me), "m.xml", &err), 0);
	jabsettings_put(&want, &n, "Policies", "EnableCallPark", "true", 0, &err);
	jabsettings_put(&want, &n, "Directory", "ConnectionPassword", "s3cret", 0, &err);
	jabsettings_put(&want, &n, "Options", "EnableProximity", "false", 0, &err);
	jabsettings_put(&want, &n, "Policies", "EnableSIPURIDialling", "true", 0, &err);
	CHECK_INT(jabsettings_apply(&doc, &dict, want, n, "m.xml", collect, &notes, &err), 4);
	CHECK_STR(notes.text,
	    "W:m.xml:6: 'enablecallpark' differs only in case from 'EnableCallPark'; its value "
	    "is set in place and its spelling kept\n"
	    "C:m.xml:5: changed EnableCallPark from 'false' to 'true'\n"
	    "C:m.xml:9: changed ConnectionPassword\n"
	    "C:m.xml: added Options/EnableProximity\n"
	    "C:m.xml: added Policies/EnableSIPURIDialling\n");
	CHECK(strstr(doc.buf, "<!-- kept -->") != NULL);
	CHECK(strstr(doc.buf, "<enablecallpark>true</enablecallpark>") != NULL);
	CHECK(strstr(doc.buf, "<ConnectionPassword>s3cret</ConnectionPassword>") != NULL);
	CHECK_INT(jabsettings_count(&doc), 5);

	/* the same again changes nothing and tells only of the copy in another case */
	notes.text[0] = '\0';
	CHECK_INT(jabsettings_apply(&doc, &dict, want, n, "m.xml", collect, &notes, &err), 0);
	CHECK(strncmp(notes.text, "W:m.xml:6: 'enablecallpark'", 27) == 0);
	CHECK(strchr(notes.text, '\n') == notes.text + strlen(notes.text) - 1);
	/* no one to tell is fine */
	CHECK_INT(jabsettings_apply(&doc, &dict, want, n, "m.xml", NULL, NULL, &err), 0);
	jabcfg_release(&doc);
	jabcfg_settings_free(want, n);
}

static void
test_put_doc_and_count(void)
{
	struct jabcfg_doc doc;
	struct jabcfg_setting *list = NULL;
	size_t n = 0;
	struct j2w_err err;

	CHECK_INT(jabcfg_parse(&doc, merge_me, strlen(merge_me), "m.xml", &err), 0);
	CHECK_INT(jabsettings_count(&doc), 3);
	CHECK_INT(jabsettings_put(&list, &n, "Policies", "EnableCallPark", "old", 1, &err), 0);
	CHECK_INT(jabsettings_put_doc(&list, &n, &doc, &err), 0);
	CHECK_INT(n, 3);
	CHECK_STR(list[0].value, "false");
	CHECK_INT(list[0].line, 5);
	CHECK_STR(list[1].param, "enablecallpark");
	CHECK_STR(list[2].group, "Directory");
	CHECK_INT(list[2].line, 9);
	jabcfg_settings_free(list, n);
	jabcfg_release(&doc);
}

static void
test_teardown(void)
{
	jabparams_dict_release(&dict);
}

UNIT_MAIN(
	TEST(test_setup),
	TEST(test_parse_set),
	TEST(test_check_verdicts),
	TEST(test_check_hostile),
	TEST(test_put_replaces_by_parameter),
	TEST(test_add_set_and_verify),
	TEST(test_secret),
	TEST(test_apply_notes),
	TEST(test_put_doc_and_count),
	TEST(test_teardown)
)
