/* libFuzzer target: jabber-config parsing, the byte map, edits, lint and trim. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/serviceprofile.h"
#include "jabber/jabcfg.h"
#include "jabber/jablint.h"
#include "util/xmlsafe.h"

static const char dict_text[] =
"Policies\tEnableSIPURIDialling\tbool\ttrue\tyes\t-\tm\ts\n"
"Options|Policies\tEnableJabber2TeamsMigration\tbool\tfalse\tyes\t-\tm\ts\n"
"Policies\tLocalRecordingToneVolume\tint:0..100\t10\tyes\t-\tm\ts\n"
"Policies\tTelemetryCustomerID\tguid\t\tno\t-\tm\ts\n"
"Directory\tUdsServer\thost\t\tno\t-\tm\ts\n"
"Directory\tDirectoryServerType\tenum:LDAP|UDS|~AD\t\tno\t-\tm\ts\n"
"Directory\tBaseFilter\tldapfilter\t\tno\t-\tm\ts\n"
"Directory\tSearchBase1\tdn\t\tno\t-\tm\ts\n"
"Directory\tConnectionPassword\tstring\t\tno\t-\tm\ts\n"
"Directory\tUseSSL\tbool01\t\tno\t-\tm\ts\n"
"Directory\tServerPort1\tint:1..65535\t\tno\t-\tm\ts\n"
"Directory\tBDIConnectionPassword\tstring\t\tno\told:ConnectionPassword\tm\ts\n"
"Client\tPrtLogServerURL\turl\t\tno\t-\tm\ts\n"
"Client\tPrtLogServerUrl\turl\t\tno\t-\tm\ts\n"
"Policies\tServiceDiscoveryExcludedServices\tlist:,:WEBEX|CUCM|CUP\t\tno\t-\tm\ts\n"
"*\tAudio_Start_Port_Range\tint:2048..65535,even\t\tno\t-\tm\ts\n"
"-\tServicesDomain\tdomain\t\tno\telsewhere\tm\ts\n"
"Client\tjabber-plugin-config\txml\t\tno\t-\tm\ts\n";

static struct jabparams_dict dict;

static int
drop(json_t *f, enum severity sev, void *ctx)
{
	json_decref(f);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jablint_opts o = { &dict, NULL, NULL, 0 };
	struct jabcfg_doc d;
	struct j2w_err err;
	char *cell;

	if (dict.n == 0) {
		xmlsafe_init();
		if (jabparams_dict_parse(&dict, dict_text, strlen(dict_text), "fuzz", &err) < 0)
			abort();
	}
	jablint_lint((const char *)data, size, "fuzz.xml", &o, drop, NULL, &err);
	if (jabcfg_parse(&d, (const char *)data, size, "fuzz.xml", &err) == 0) {
		if (d.n > 0 && jabcfg_set(&d, "Policies", "EnableSIPURIDialling", "a&b", "fuzz", &err) >= 0)
			jabcfg_set(&d, "Options", "New", "1", "fuzz", &err);
		if (d.buf != NULL && d.n > 0)
			jablint_trim(&d, &dict, "fuzz", NULL, NULL, &err);
		jabcfg_release(&d);
	}
	cell = strndup((const char *)data, size);
	if (cell != NULL) {
		struct strbuf sb;

		strbuf_init(&sb, 1 << 20);
		serviceprofile_config_xml(cell, 0, &sb);
		strbuf_reset(&sb);
		serviceprofile_config_xml(cell, 1, &sb);
		strbuf_release(&sb);
		free(cell);
	}
	return 0;
}
