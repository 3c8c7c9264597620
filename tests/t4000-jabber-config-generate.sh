#!/bin/sh
# j2w-jabber-config generate: each template and each merge against golden files
# (byte for byte: order, comments, indentation and CRLF kept), value checks on
# --set, and the refusal to overwrite.
. "$(dirname "$0")/lib.sh"
J2W_TEMPLATES=$TOP/templates
export J2W_TEMPLATES
G=$DATA/jabber-config/golden
M=$DATA/jabber-config/merge
ORG=0123456789abcdef0123456789abcdef

expect_success 'migration template writes jabber-config.xml' '
	j2w-jabber-config generate --template migration 2>err &&
	cmp_output "$G/migration.xml" jabber-config.xml &&
	must_contain err "wrote jabber-config.xml: 2 parameters"
'

expect_success 'cross-launch template with PresenceDomain set' '
	j2w-jabber-config generate -q -t cross-launch --set Directory/PresenceDomain=example.com -o - >out &&
	cmp_output "$G/cross-launch.xml" out
'

expect_success 'telemetry template as a group file jabber-config-<group>.xml' '
	j2w-jabber-config generate -q -t telemetry --group callcenter \
		--set Policies/TelemetryCustomerID=$ORG &&
	cmp_output "$G/telemetry.xml" jabber-config-callcenter.xml
'

expect_success 'a template value left empty must be given with --set (exit 2, no file)' '
	expect_code 2 j2w-jabber-config generate -t cross-launch 2>err &&
	must_contain err "needs a value: --set Directory/PresenceDomain=VALUE" &&
	test ! -e jabber-config.xml
'

expect_success 'merge into a hand-written file keeps every other byte' '
	cp "$M/global-base.xml" in.xml &&
	j2w-jabber-config generate -t migration --merge in.xml -o out.xml 2>err &&
	cmp_output "$G/merge-global-migration.xml" out.xml &&
	must_contain err "in.xml: added Options/EnableJabber2TeamsMigration" &&
	cmp_output "$M/global-base.xml" in.xml
'

expect_success 'merge into a CRLF file: values changed in place, <x/> filled, group added' '
	j2w-jabber-config generate -t cross-launch --set Directory/PresenceDomain=example.com \
		--merge "$M/crlf-base.xml" -o out.xml 2>err &&
	cmp_output "$G/merge-crlf-cross-launch.xml" out.xml &&
	must_contain err "crlf-base.xml:10: changed EnableSIPURIDialling from '\''false'\'' to '\''true'\''" &&
	must_contain err "crlf-base.xml:6: changed DockedWindowVisible"
'

expect_success 'merge into a one-line file stays on one line' '
	j2w-jabber-config generate -q -t telemetry --set Policies/TelemetryCustomerID=$ORG \
		--merge "$M/oneline-base.xml" -o out.xml &&
	cmp_output "$G/merge-oneline-telemetry.xml" out.xml
'

expect_success 'merge into empty and self-closed groups; & in a value is escaped' '
	j2w-jabber-config generate -q -t cross-launch --set Directory/PresenceDomain=example.com \
		--set "Directory/BDIBaseFilter=(&(objectClass=user))" \
		--merge "$M/empty-groups-base.xml" -o out.xml &&
	cmp_output "$G/merge-empty-groups.xml" out.xml
'

expect_success 'merging the same template again changes nothing' '
	j2w-jabber-config generate -t migration --merge "$G/merge-global-migration.xml" -o out.xml 2>err &&
	cmp_output "$G/merge-global-migration.xml" out.xml &&
	must_contain err "2 parameters, 0 changed"
'

expect_success 'templates combine, and the generated files lint clean' '
	j2w-jabber-config generate -q -t migration -t cross-launch -t telemetry \
		--set Directory/PresenceDomain=example.com --set Policies/TelemetryCustomerID=$ORG &&
	j2w-jabber-config lint -q --profile cross-launch jabber-config.xml >findings &&
	must_be_empty findings &&
	j2w-jabber-config lint -q --fail-on WARN "$G"/*.xml >findings &&
	! grep -v "\"check\":\"JC-LEGACY\".*BDIBaseFilter" findings
'

expect_success '--set values are checked against the dictionary (exit 2)' '
	expect_code 2 j2w-jabber-config generate --set Policies/EnableSIPURIDialing=true 2>err &&
	must_contain err "unknown parameter '\''EnableSIPURIDialing'\''" &&
	expect_code 2 j2w-jabber-config generate --set Policies/meetings_enabled=false 2>err &&
	must_contain err "the parameter is spelt '\''Meetings_Enabled'\''" &&
	expect_code 2 j2w-jabber-config generate --set Options/Meetings_Enabled=false 2>err &&
	must_contain err "belongs in group Policies" &&
	expect_code 2 j2w-jabber-config generate --set Policies/LocalRecordingToneVolume=101 2>err &&
	must_contain err "expects a number from 0 to 100" &&
	expect_code 2 j2w-jabber-config generate -t telemetry --set Policies/TelemetryCustomerID=abc 2>err &&
	must_contain err "expects a GUID such as" &&
	expect_code 2 j2w-jabber-config generate --set policies/Meetings_Enabled=false 2>err &&
	must_contain err "the group is spelt '\''Policies'\''" &&
	expect_code 2 j2w-jabber-config generate --allow-unknown --set "Policies/a<b=1" 2>err &&
	must_contain err "is not an element name" &&
	expect_code 2 j2w-jabber-config generate --set "Policies/EnableVideo=$(printf "tr\001ue")" 2>err &&
	must_contain err "control character" &&
	expect_code 2 j2w-jabber-config generate --set Policies 2>err &&
	must_contain err "--set wants GROUP/PARAM=VALUE" &&
	test ! -e jabber-config.xml
'

expect_success 'merge sets a copy spelt in another case in place, and says so' '
	printf "<config version=\"1.0\">\n  <Policies>\n    <meetings_enabled>true</meetings_enabled>\n  </Policies>\n</config>\n" >in.xml &&
	j2w-jabber-config generate --set Policies/Meetings_Enabled=false --merge in.xml -o out.xml 2>err &&
	must_contain err "in.xml:3: '\''meetings_enabled'\'' differs only in case from '\''Meetings_Enabled'\''" &&
	must_contain err "in.xml:3: changed Meetings_Enabled from '\''true'\'' to '\''false'\''" &&
	printf "<config version=\"1.0\">\n  <Policies>\n    <meetings_enabled>false</meetings_enabled>\n  </Policies>\n</config>\n" >expected &&
	cmp_output expected out.xml
'

expect_success '--allow-unknown writes a parameter the dictionary lacks' '
	j2w-jabber-config generate -q --allow-unknown --set Policies/SomeNewKey=1 -o - >out &&
	must_contain out "<SomeNewKey>1</SomeNewKey>"
'

expect_success 'an existing output is kept unless --force' '
	echo precious >jabber-config.xml &&
	expect_code 2 j2w-jabber-config generate -t migration 2>err &&
	must_contain err "exists; give --force" &&
	echo precious >expected && cmp_output expected jabber-config.xml &&
	j2w-jabber-config generate -q -t migration --force &&
	cmp_output "$G/migration.xml" jabber-config.xml
'

expect_success 'a broken --merge file is bad data (exit 3), nothing written' '
	printf "<config version=\"1.0\"><Options>&</Options></config>" >bad.xml &&
	expect_code 3 j2w-jabber-config generate -t migration --merge bad.xml -o out.xml 2>err &&
	must_contain err "bad.xml:1: malformed XML" &&
	test ! -e out.xml &&
	printf "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><config version=\"1.0\"/>" >xxe.xml &&
	expect_code 3 j2w-jabber-config generate -t migration --merge xxe.xml -o out.xml 2>err &&
	must_contain err "DOCTYPE or entity declaration is not allowed" &&
	test ! -e out.xml
'

expect_success 'writing to a device writes through it (never replaces it)' '
	j2w-jabber-config generate -q -t migration -o /dev/null &&
	test -c /dev/null
'

expect_success 'templates are found by --templates, J2W_TEMPLATES, and beside the binary' '
	mkdir -p t/jabber-config && cp "$TOP/templates/jabber-params.tsv" t/ &&
	sed "s/downloads.html/dl.html/" "$TOP/templates/jabber-config/migration.xml" \
		>t/jabber-config/migration.xml &&
	j2w-jabber-config generate -q -t migration --templates t -o - >out &&
	must_contain out "dl.html" &&
	J2W_TEMPLATES=t j2w-jabber-config generate -q -t migration -o - >out &&
	must_contain out "dl.html" &&
	env -u J2W_TEMPLATES j2w-jabber-config generate -q -t migration -o - >out &&
	must_contain out "downloads.html" &&
	expect_code 2 j2w-jabber-config generate -t migration --templates nowhere 2>err &&
	must_contain err "no '\''jabber-params.tsv'\'' in the templates directory '\''nowhere'\''" &&
	expect_code 2 j2w-jabber-config generate -t nosuch 2>err &&
	must_contain err "no template '\''nosuch'\''"
'

expect_success 'usage errors are exit 2' '
	expect_code 2 j2w-jabber-config 2>err &&
	must_contain err "give a verb" &&
	expect_code 2 j2w-jabber-config frobnicate 2>err &&
	expect_code 2 j2w-jabber-config generate 2>err &&
	expect_code 2 j2w-jabber-config lint --set Policies/X=1 x.xml 2>err &&
	j2w-jabber-config --help >out && must_contain out "Exit status:" &&
	j2w-jabber-config --version >out && must_contain out "j2w "
'

finish
