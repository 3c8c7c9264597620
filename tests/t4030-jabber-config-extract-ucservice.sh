#!/bin/sh
# j2w-jabber-config extract on a Unified CM 14 export: each service profile is
# followed to the "Jabber Client Configuration (jabber-config.xml)" UC services it
# names for Common, Desktop and Mobile clients (ucservice.csv), whose values CUCM
# stores URL-encoded; hostile and incomplete exports.
#
# The export's shape (tests/data/jabber-config/cucm14/README.md names each source):
#   a real CUCM 14.0 BAT export, ucmdata_export_61_74.tar,
#   https://github.com/mirationInsightPreprocessing/UcmBatCsvTarAndCdrPreProcessingScript
#   "Release Notes for Cisco Unified Communications Manager and the IM and Presence
#   Service, Release 12.5(1)", Jabber Configuration File Management,
#   https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cucm/rel_notes/12_5_1/cucm_b_release-notes-cucm-imp-1251/cucm_b_release-notes-cucm-imp-1251_chapter_010.html
#   Cisco DevNet, axl_executeSQLUpdate_Jabber_config.py ("CUCM admin appears to URL
#   encode values in the XML"), https://github.com/CiscoDevNet/axl-python-zeep-samples
. "$(dirname "$0")/lib.sh"
J2W_TEMPLATES=$TOP/templates
export J2W_TEMPLATES
X=$DATA/jabber-config/cucm14

# export_tar TAR [DIR]: the BAT export tar of DIR (default: the fixture) as CUCM lays it out
export_tar() {
	tar -C "${2:-$X}" -cf "$1" header.txt serviceprofile.csv ucservice.csv
}

# same_files DIR: DIR holds exactly the expected files, byte for byte
same_files() {
	test "$(ls "$1")" = "$(ls "$X/expected")" || { ls "$1"; return 1; }
	for f in $(ls "$X/expected"); do
		cmp_output "$X/expected/$f" "$1/$f" || return 1
	done
}

expect_success 'a CUCM 14 export: each profile is followed to its UC services, values decoded' '
	export_tar export.tar &&
	j2w-jabber-config extract --bat export.tar -o out >paths 2>err &&
	printf "out/jabber-config-%s.xml\n" SP_Jabber_HQ SP_Jabber_HQ-desktop SP_Jabber_HQ-mobile \
		SP_Jabber_EMEA SP_Contractors >expected &&
	cmp_output expected paths &&
	echo "j2w-jabber-config: export.tar/serviceprofile.csv: 4 service profiles, 5 files written, 1 without a client configuration" >expected &&
	cmp_output expected err &&
	same_files out &&
	must_contain out/jabber-config-SP_Jabber_HQ.xml "<AdminConfiguredBot>helpdesk-bot@example.com;hr-bot@example.com</AdminConfiguredBot>" &&
	must_contain out/jabber-config-SP_Jabber_HQ-mobile.xml "911?site=HQ&amp;lang=en" &&
	must_contain out/jabber-config-SP_Jabber_EMEA.xml "/emea/%%uid%%.jpg"
'

expect_success 'the extracted files lint clean: the URLs are URLs once decoded' '
	export_tar export.tar &&
	j2w-jabber-config extract -q --bat export.tar -o out >paths &&
	j2w-jabber-config lint $(cat paths) >findings 2>err &&
	must_contain err "5 files, 0 FAIL"
'

expect_success 'a compressed export tar, and the CSVs unpacked side by side, give the same files' '
	export_tar export.tar && gzip -9 export.tar &&
	j2w-jabber-config extract -q --bat export.tar.gz -o gz >/dev/null &&
	same_files gz &&
	mkdir unpacked && cp "$X/serviceprofile.csv" unpacked/ &&
	cp "$X/ucservice.csv" unpacked/UCSERVICE.CSV &&
	j2w-jabber-config extract --bat unpacked/serviceprofile.csv -o dir >/dev/null 2>err &&
	must_contain err "unpacked/serviceprofile.csv: 4 service profiles, 5 files written" &&
	same_files dir
'

expect_success 'a UC service the export lacks is reported with file:line (exit 1); the rest is written' '
	mkdir src && cp "$X/header.txt" "$X/serviceprofile.csv" src/ &&
	grep -v ",JC_Mobile," "$X/ucservice.csv" >src/ucservice.csv &&
	export_tar export.tar src &&
	expect_code 1 j2w-jabber-config extract --bat export.tar -o out >paths 2>err &&
	must_contain err "j2w-jabber-config: export.tar/serviceprofile.csv:2: profile '\''SP_Jabber_HQ'\'' names UC service '\''JC_Mobile'\'' for mobile clients, which is not in export.tar/ucservice.csv" &&
	must_contain err "4 service profiles, 4 files written, 1 without a client configuration, 1 UC service not found" &&
	test "$(wc -l <paths)" = 4 &&
	test ! -e out/jabber-config-SP_Jabber_HQ-mobile.xml &&
	cmp_output "$X/expected/jabber-config-SP_Jabber_HQ.xml" out/jabber-config-SP_Jabber_HQ.xml
'

expect_success 'an export without ucservice.csv writes nothing it cannot follow (exit 1)' '
	tar -C "$X" -cf export.tar header.txt serviceprofile.csv &&
	expect_code 1 j2w-jabber-config extract --bat export.tar -o out >paths 2>err &&
	must_be_empty paths &&
	must_contain err "serviceprofile.csv:3: profile '\''SP_Jabber_EMEA'\'' names UC service '\''JC_EMEA'\'' for common clients, and there is no ucservice.csv to find it in" &&
	must_contain err "4 service profiles, 0 files written, 1 without a client configuration, 5 UC services not found" &&
	test -z "$(ls out)"
'

expect_success 'a profile with its own column falls back to it when its UC service is missing' '
	printf "NAME,JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_PRIMARY SERVER,JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_XML\r\nSP_Old,JC_Gone,<Options><A>own</A></Options>\r\n" >serviceprofile.csv &&
	cp "$X/ucservice.csv" . &&
	j2w-jabber-config extract --bat serviceprofile.csv -o out >paths 2>err &&
	must_contain err "serviceprofile.csv:2: profile '\''SP_Old'\'' names UC service '\''JC_Gone'\'' for common clients, which is not in ucservice.csv" &&
	must_contain err "serviceprofile.csv:2: writing profile '\''SP_Old'\'' from its own client configuration column" &&
	must_contain out/jabber-config-SP_Old.xml "<Options><A>own</A></Options>"
'

expect_success 'hostile ucservice.csv: cut short, UTF-16, a huge field are exit 3 and write nothing' '
	mkdir src && cp "$X/header.txt" "$X/serviceprofile.csv" src/ &&
	head -c 900 "$X/ucservice.csv" >src/ucservice.csv &&
	export_tar cut.tar src &&
	expect_code 3 j2w-jabber-config extract --bat cut.tar -o out >paths 2>err &&
	must_contain err "cut.tar/ucservice.csv:7: 1 field, the header has 9 (is the file cut short?)" &&
	must_be_empty paths && test ! -e out &&
	iconv -f UTF-8 -t UTF-16 "$X/ucservice.csv" >src/ucservice.csv &&
	export_tar utf16.tar src &&
	expect_code 3 j2w-jabber-config extract --bat utf16.tar -o out 2>err &&
	must_contain err "utf16.tar/ucservice.csv:1: NUL byte in a field (is the file UTF-16?)" &&
	{ head -n 5 "$X/ucservice.csv" &&
		printf "Jabber Client Configuration (jabber-config.xml),Jabber,JC_EMEA,,NULL,NULL,NULL,NULL,<Options><A>" &&
		head -c 4200000 /dev/zero | tr "\0" a &&
		printf "</A></Options>\r\n"; } >src/ucservice.csv &&
	export_tar huge.tar src &&
	expect_code 3 j2w-jabber-config extract --bat huge.tar -o out 2>err &&
	must_contain err "huge.tar/ucservice.csv:6: field longer than" &&
	test ! -e out
'

expect_success 'a UC service whose XML is broken is written as it is, and lint says so' '
	mkdir src && cp "$X/header.txt" "$X/serviceprofile.csv" src/ &&
	sed "s/<Set_Status_Inactive_Timeout>20</<Set_Status_Inactive_Timeout>20 \& 30</" "$X/ucservice.csv" >src/ucservice.csv &&
	export_tar export.tar src &&
	j2w-jabber-config extract -q --bat export.tar -o out >paths &&
	expect_code 1 j2w-jabber-config lint -q out/jabber-config-SP_Jabber_EMEA.xml >findings &&
	must_contain findings JC-XML
'

finish
