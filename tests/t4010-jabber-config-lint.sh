#!/bin/sh
# j2w-jabber-config lint: the corpus of broken files in tests/data/jabber-config/lint,
# each with the exact findings it must raise (NAME.expected; options in NAME.args),
# plus formats, --fail-on, stdin, and files that cannot be read.
. "$(dirname "$0")/lib.sh"
J2W_TEMPLATES=$TOP/templates
export J2W_TEMPLATES
L=$DATA/jabber-config/lint

for f in "$L"/*.xml; do
	name=$(basename "$f" .xml)
	args=
	[ -f "$L/$name.args" ] && args=$(cat "$L/$name.args")
	want=0
	grep -q '"severity":"FAIL"' "$L/$name.expected" && want=1
	export name args want
	expect_success "lint corpus: $name" '
		cp "$L/$name.xml" . &&
		expect_code $want j2w-jabber-config lint -q $args "$name.xml" >out &&
		cmp_output "$L/$name.expected" out
	'
done

expect_success 'the sample org files lint clean (a note about the BDI filter only)' '
	j2w-jabber-config lint "$SAMPLES/jabber-config/jabber-config.xml" \
		"$SAMPLES/jabber-config/jabber-config-callcenter.xml" >out 2>err &&
	test $(wc -l <out) -eq 1 &&
	must_contain out "\"check\":\"JC-LEGACY\",\"severity\":\"INFO\"" &&
	must_contain out "BDIBaseFilter" &&
	must_contain err "2 files, 0 FAIL, 0 WARN, 1 INFO" &&
	j2w-jabber-config lint -q --profile cross-launch \
		"$SAMPLES/jabber-config/jabber-config-callcenter.xml" >out &&
	must_be_empty out
'

expect_success 'several files in one run, a summary line, exit 1 on FAIL' '
	cp "$L/wrong-case.xml" "$L/vsd.xml" "$L/duplicate.xml" "$L/bad-values.xml" . &&
	expect_code 1 j2w-jabber-config lint wrong-case.xml vsd.xml duplicate.xml bad-values.xml \
		>out 2>err &&
	test $(wc -l <out) -eq 15 &&
	must_contain err "4 files, 9 FAIL, 4 WARN, 2 INFO" &&
	j2w-jabber-config lint wrong-case.xml vsd.xml duplicate.xml >out 2>err &&
	must_contain err "3 files, 0 FAIL, 3 WARN, 2 INFO"
'

expect_success '--fail-on WARN trips on warnings; --fail-on ERROR passes FAIL' '
	cp "$L/duplicate.xml" "$L/wrong-case.xml" . &&
	j2w-jabber-config lint -q duplicate.xml >out &&
	expect_code 1 j2w-jabber-config lint -q --fail-on WARN duplicate.xml >out &&
	j2w-jabber-config lint -q --fail-on error wrong-case.xml >out && must_contain out JC-CASE &&
	expect_code 2 j2w-jabber-config lint --fail-on SEVERE duplicate.xml 2>err
'

expect_success '--format tsv is a table for people' '
	cp "$L/wrong-case.xml" . &&
	j2w-jabber-config lint -q --format tsv wrong-case.xml >out &&
	printf "location\tseverity\tcheck\tmessage\n" >expected &&
	printf "wrong-case.xml:4\tWARN\tJC-CASE\t'\''voiceservicesdomain'\'' differs only in case from '\''VoiceServicesDomain'\'', the spelling in Cisco'\''s documents; Cisco does not say whether case matters: write it as documented\n" >>expected &&
	printf "wrong-case.xml:4\tINFO\tJC-VSD\tcheck the SRV records of voice services domain '\''voice.example.com'\'' (j2w-dns-check --vsd voice.example.com)\n" >>expected &&
	printf "wrong-case.xml:5\tWARN\tJC-CASE\t'\''meetings_enabled'\'' differs only in case from '\''Meetings_Enabled'\'', the spelling in Cisco'\''s documents; Cisco does not say whether case matters: write it as documented\n" >>expected &&
	cmp_output expected out
'

expect_success 'stdin is read when no file is named' '
	expect_code 1 j2w-jabber-config lint -q <"$L/raw-ampersand.xml" >out &&
	must_contain out "\"subject\":\"<stdin>:5\"" &&
	must_contain out "write a literal & as &amp;"
'

expect_success 'a password value never appears in the output' '
	expect_code 1 j2w-jabber-config lint <"$L/password.xml" >out 2>err &&
	must_contain out JC-PASSWORD &&
	must_not_contain out "Summer2024" &&
	must_not_contain err "Summer2024"
'

expect_success 'a missing file is reported, the others still linted' '
	cp "$L/vsd.xml" . &&
	expect_code 2 j2w-jabber-config lint vsd.xml nosuch.xml >out 2>err &&
	must_contain out JC-VSD &&
	must_contain err "cannot open '\''nosuch.xml'\''"
'

expect_success 'a profile that is not a template is a usage error' '
	expect_code 2 j2w-jabber-config lint --profile nosuch x.xml 2>err &&
	must_contain err "no template '\''nosuch'\''"
'

expect_success 'lint writes to -o FILE, and CSV as well as TSV' '
	printf "<config version=\"1.0\"><Policies><EnableCallPark>maybe</EnableCallPark></Policies></config>\n" >bad.xml &&
	expect_code 1 j2w-jabber-config lint bad.xml >stdout.jsonl &&
	expect_code 1 j2w-jabber-config lint bad.xml -o out.jsonl >stdout 2>err &&
	must_be_empty stdout &&
	cmp_output stdout.jsonl out.jsonl &&
	must_contain err "1 file, 1 FAIL" &&
	expect_code 1 j2w-jabber-config lint --format csv bad.xml >out.csv &&
	head -n 1 out.csv | tr -d "\r" >head &&
	echo "location,severity,check,message" >want &&
	cmp_output want head &&
	must_contain out.csv "bad.xml:1,FAIL,JC-VALUE"
'

expect_success 'trim reads standard input when no file is named' '
	printf "<config version=\"1.0\">\n<Policies>\n<EnableCallPark>true</EnableCallPark>\n</Policies>\n</config>\n" >in.xml &&
	j2w-jabber-config trim in.xml >want.xml 2>/dev/null &&
	j2w-jabber-config trim <in.xml >got.xml 2>/dev/null &&
	cmp_output want.xml got.xml
'

finish
