#!/bin/sh
# j2w-jabber-config trim (keep what the Webex App reads, report the rest) and
# extract (service profile client configurations from a BAT export, one file each).
. "$(dirname "$0")/lib.sh"
J2W_TEMPLATES=$TOP/templates
export J2W_TEMPLATES
G=$DATA/jabber-config/golden
X=$DATA/jabber-config/extract

expect_success 'trim keeps the Webex-read parameters and reports each removal by line' '
	cp "$SAMPLES/jabber-config/jabber-config.xml" in.xml &&
	j2w-jabber-config trim in.xml >out 2>err &&
	cmp_output "$G/trim-global.xml" out &&
	must_contain err "in.xml:6: removed Client/PrtLogServerUrl: not read by the Webex App" &&
	must_contain err "in.xml:33: removed <Voicemail>: no parameter left" &&
	must_contain err "in.xml: kept 3 parameters the Webex App reads, removed 12 items" &&
	cmp_output "$SAMPLES/jabber-config/jabber-config.xml" in.xml
'

expect_success 'trim -o writes a file; unknown and misspelt parameters go too' '
	printf "<config version=\"1.0\">\n  <Policies>\n    <EnableCallPark>true</EnableCallPark>\n    <enablehuntgroup>true</enablehuntgroup>\n    <MadeUp>1</MadeUp>\n  </Policies>\n</config>\n" >in.xml &&
	j2w-jabber-config trim -o out.xml in.xml 2>err &&
	printf "<config version=\"1.0\">\n  <Policies>\n    <EnableCallPark>true</EnableCallPark>\n  </Policies>\n</config>\n" >expected &&
	cmp_output expected out.xml &&
	must_contain err "in.xml:4: removed Policies/enablehuntgroup: the Webex App reads it spelt '\''EnableHuntGroup'\''" &&
	must_contain err "in.xml:5: removed Policies/MadeUp: unknown" &&
	expect_code 2 j2w-jabber-config trim -o out.xml in.xml 2>err &&
	must_contain err "exists; give --force"
'

expect_success 'trim of a broken file is exit 3 and writes nothing' '
	printf "<config version=\"1.0\"><Options>&</Options></config>" >bad.xml &&
	expect_code 3 j2w-jabber-config trim -o out.xml bad.xml 2>err &&
	must_contain err "bad.xml:1: malformed XML" &&
	test ! -e out.xml
'

expect_success 'extract writes one file per service profile with a configuration' '
	j2w-jabber-config extract --bat "$X/serviceprofile.csv" -o out >paths 2>err &&
	cat >expected <<-\EOF &&
	out/jabber-config-SP_Jabber.xml
	out/jabber-config-SP_EMEA.xml
	out/jabber-config-SP_Ops_Team.xml
	out/jabber-config-SP_Broken.xml
	EOF
	cmp_output expected paths &&
	must_contain err "5 service profiles, 4 files written, 1 without a client configuration" &&
	for f in SP_Jabber SP_EMEA SP_Ops_Team SP_Broken; do
		cmp_output "$X/jabber-config-$f.xml" "out/jabber-config-$f.xml" || return 1
	done
'

expect_success 'extracted files are lintable: the hand-broken one fails' '
	j2w-jabber-config extract -q --bat "$X/serviceprofile.csv" -o out >paths &&
	expect_code 1 j2w-jabber-config lint -q $(cat paths) >findings &&
	test $(wc -l <findings) -eq 1 &&
	must_contain findings "\"subject\":\"out/jabber-config-SP_Broken.xml:3\"" &&
	must_contain findings JC-XML
'

expect_success 'extract reads the export tar too, and keeps existing files unless --force' '
	cp "$X/serviceprofile.csv" . &&
	printf "Time : now\nFile : serviceprofile.csv\n" >header.txt &&
	tar cf export.tar header.txt serviceprofile.csv &&
	j2w-jabber-config extract -q --bat export.tar -o out >paths &&
	test $(wc -l <paths) -eq 4 &&
	cmp_output "$X/jabber-config-SP_EMEA.xml" out/jabber-config-SP_EMEA.xml &&
	expect_code 2 j2w-jabber-config extract --bat export.tar -o out 2>err &&
	must_contain err "exists; give --force" &&
	j2w-jabber-config extract -q --force --bat export.tar -o out >paths
'

expect_success 'extract reads --bat - from standard input, the CSV or the tar' '
	cp "$X/serviceprofile.csv" . &&
	printf "Time : now\nFile : serviceprofile.csv\n" >header.txt &&
	tar cf export.tar header.txt serviceprofile.csv &&
	j2w-jabber-config extract -q --bat - -o csv <serviceprofile.csv >paths &&
	test $(wc -l <paths) -eq 4 &&
	cmp_output "$X/jabber-config-SP_EMEA.xml" csv/jabber-config-SP_EMEA.xml &&
	cat export.tar | j2w-jabber-config extract -q --bat - -o tar >paths &&
	test $(wc -l <paths) -eq 4 &&
	cmp_output "$X/jabber-config-SP_EMEA.xml" tar/jabber-config-SP_EMEA.xml
'

# cucm-a is in the 12.5+ shape (profiles name UC services, ucservice.csv holds their
# URL-encoded XML), cucm-b in the older one (the XML on the profile): the same files
if [ -f "$SAMPLES/cucm/cucm-a/export.tar" ] && [ -f "$SAMPLES/cucm/cucm-b/export.tar" ]; then
	expect_success 'extract from the sample org BAT exports: UC services on cucm-a, profiles on cucm-b' '
		for c in a b; do
			cp "$SAMPLES/cucm/cucm-$c/export.tar" $c.tar &&
			j2w-jabber-config extract --bat $c.tar -o out-$c >paths-$c 2>err-$c &&
			printf "out-$c/jabber-config-%s.xml\n" SP_Jabber SP_Jabber_EMEA >expected &&
			cmp_output expected paths-$c &&
			echo "j2w-jabber-config: $c.tar/serviceprofile.csv: 3 service profiles, 2 files written, 1 without a client configuration" >expected &&
			cmp_output expected err-$c || return 1
		done &&
		tar tf a.tar | grep -qx ucservice.csv &&
		! tar tf b.tar | grep -qx ucservice.csv &&
		for f in jabber-config-SP_Jabber.xml jabber-config-SP_Jabber_EMEA.xml; do
			cmp_output out-a/$f out-b/$f || return 1
		done &&
		must_contain out-a/jabber-config-SP_Jabber.xml "<PrtLogServerUrl>http://prt.example.com/prt/upload.php</PrtLogServerUrl>" &&
		j2w-jabber-config lint -q $(cat paths-a) >findings
	'
else
	skip 'extract from the sample org BAT exports' 'samples/cucm/cucm-*/export.tar are not in this tree'
fi

expect_success 'extract: bad input is exit 3, missing input exit 2' '
	printf "NAME,DESCRIPTION\nSP,x\n" >sp.csv &&
	expect_code 3 j2w-jabber-config extract --bat sp.csv -o out 2>err &&
	must_contain err "sp.csv:1: no '\''JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_XML'\'' column" &&
	printf "NAME,JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_XML\nSP,\"<Options>\n" >sp.csv &&
	expect_code 3 j2w-jabber-config extract --bat sp.csv -o out 2>err &&
	test ! -e out/jabber-config-SP.xml &&
	printf "x" >header.txt && tar cf other.tar header.txt &&
	expect_code 3 j2w-jabber-config extract --bat other.tar -o out 2>err &&
	must_contain err "export tar has no serviceprofile.csv" &&
	expect_code 2 j2w-jabber-config extract --bat nosuch.csv -o out 2>err &&
	must_contain err "cannot open '\''nosuch.csv'\''" &&
	expect_code 2 j2w-jabber-config extract --bat sp.csv 2>err
'

finish
