#!/bin/sh
# j2w-contacts on the IM and Presence exports in the shape Cisco documents them,
# on hand-made lists, and on the same files damaged.
#
# Source: "Configuration and Administration of the IM and Presence Service, Release
# 12.5(1)SU4 to 12.5(1)SU7", chapter "Bulk Administration of Contact Lists",
# https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cucm/im_presence/configAdminGuide/12_5_1_su4/cup0_b_config-and-admin-guide-1251su4/cup0_b_config-and-admin-guide-1251su3_chapter_011111.html
# (the 12.5(1)SU2 guide's chapter says the same:
# https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cucm/im_presence/configAdminGuide/12_5_1_su2/cup0_b_config-and-admin-guide-1251su2/cup0_b_config-and-admin-guide-1251su2_chapter_011111.html).
# - "File Details for Export Contact Lists": no header, seven fields
#   <User ID>,<User Domain>,<Contact ID>,<Contact Domain>,<Nickname>,<Group Name>,<State>,
#   sample entry "userA,example.com,userB,example.com,buddyB,General,0";
#   "bjones@usa@example.com - bjones@usa is the user ID and example.com is the user
#   domain". tests/data/contacts/imp-presence-export.csv is in that shape.
# - The 11.5(1) guide (https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cucm/im_presence/configAdminGuide/11_5_1/CUP0_BK_CE08159C_00_config-admin-guide-imp-1151/CUP0_BK_CE08159C_00_config-admin-guide-imp-1151_chapter_01101.html)
#   documents six fields (no State): both are read. The guides disagree only there;
#   the State is the newer column, so a row may have it or not.
# - "File Details for Export Non-Presence Contact Lists": <User JID>,<Contact JID>,
#   <Group Name>,<Content Type>,<Version>,<Info>, Contact JID "otherwise it is the
#   UUID", Info "in vCard format", and a sample entry whose vCard runs over several
#   lines after BEGIN:VCARD, unquoted. The web page runs some of those lines together
#   ("...:testuser01@test.com N:test;user;;; NICKNAME:pizzaguy01"); the fixture
#   tests/data/contacts/imp-nonpresence-export.csv follows vCard 3.0 (RFC 2426), one
#   property a line, which is what the page's rendering lost. Its first row is
#   Cisco's sample; the second is invented.
# Hand-made lists carry a header written in many ways, e.g. with a space after each
# comma (a public generator writes "User ID, User Domain, Contact ID, ...").
. "$(dirname "$0")/lib.sh"

PRESENCE=$DATA/contacts/imp-presence-export.csv
CUSTOM=$DATA/contacts/imp-nonpresence-export.csv

expect_success 'the presence export as Cisco documents it: no header, seven fields' '
	cp "$PRESENCE" . &&
	expect_code 1 j2w-contacts imp-presence-export.csv >out 2>err &&
	cmp_output "$DATA/contacts/imp-presence-export.jsonl" out &&
	cat >expected.err <<-\EOF &&
	j2w-contacts: imp-presence-export.csv:6: no Contact ID: row skipped
	j2w-contacts: 6 contacts, 1 row skipped
	EOF
	cmp_output expected.err err
'

expect_success 'a user ID holding @ keeps it: bjones@usa + example.com is bjones@usa@example.com' '
	expect_code 1 j2w-contacts "$PRESENCE" >out 2>/dev/null &&
	must_contain out "{\"owner\":\"bjones@usa@example.com\",\"contact\":\"usera@example.com\"" &&
	must_contain out "\"contact\":\"bjones@usa@example.com\",\"nickname\":\"Bob Jones\"" &&
	must_not_contain out "UserC" && must_not_contain out "Example.COM"
'

expect_success 'six fields (11.5), CRLF and a BOM read the same' '
	printf "\357\273\277" >six.csv &&
	cut -d, -f1-6 "$PRESENCE" | sed "s/\$/\r/" >>six.csv &&
	expect_code 1 j2w-contacts six.csv >out 2>err &&
	sed "s/imp:six.csv/imp:imp-presence-export.csv/" out >got &&
	cmp_output "$DATA/contacts/imp-presence-export.jsonl" got &&
	must_contain err "six.csv:6: no Contact ID: row skipped"
'

expect_success 'a hand-made list: any header spelling, spaces around separators trimmed' '
	cat >hand.csv <<-\EOF &&
	User ID, User Domain, Contact ID, Contact Domain, Nickname, Group Name
	john.doe, example.com, Jane.Roe, example.com, Jane , Team
	john.doe , example.com ,ext.one, partner.org,"Ext, One",Partners
	EOF
	j2w-contacts hand.csv >out 2>err &&
	cat >expected <<-\EOF &&
	{"owner":"john.doe@example.com","contact":"jane.roe@example.com","nickname":"Jane","group":"Team","source":"imp:hand.csv:2"}
	{"owner":"john.doe@example.com","contact":"ext.one@partner.org","nickname":"Ext, One","group":"Partners","source":"imp:hand.csv:3"}
	EOF
	cmp_output expected out &&
	printf "userid,USERDOMAIN,Buddy,buddy-domain,nick\nA,Example.com,B,example.com,Bee\n" >odd.csv &&
	j2w-contacts odd.csv >out 2>/dev/null &&
	must_contain out "{\"owner\":\"a@example.com\",\"contact\":\"b@example.com\",\"nickname\":\"Bee\",\"source\":\"imp:odd.csv:2\"}"
'

expect_success 'the non-presence export: custom contacts from the vCards, never presence rows' '
	cp "$CUSTOM" . &&
	j2w-contacts imp-nonpresence-export.csv >out 2>err &&
	cmp_output "$DATA/contacts/imp-nonpresence-export.jsonl" out &&
	echo "j2w-contacts: 2 contacts, 0 rows skipped" >expected.err &&
	cmp_output expected.err err &&
	must_not_contain out "\"contact\":" &&
	test "$(grep -c "\"kind\":\"custom\"" out)" = 2 &&
	sed "s/\$/\r/" "$CUSTOM" >crlf.csv &&
	j2w-contacts crlf.csv >out2 2>/dev/null &&
	sed "s/imp:crlf.csv/imp:imp-nonpresence-export.csv/" out2 >got &&
	cmp_output "$DATA/contacts/imp-nonpresence-export.jsonl" got &&
	j2w-contacts -f csv "$CUSTOM" >out.csv 2>/dev/null &&
	head -n 1 out.csv | grep -q "^owner,contact,nickname,group,kind,contact_id,name,email,phone,source" &&
	must_contain out.csv ",Partners,custom,5f0c8a2e-7d41-4b9a-9c1e-2a6b3d4e5f60,Marta López,marta.lopez@partner.example,+34600123456,"
'

expect_success 'a cut-off presence export: the last row is reported, not read with half a domain' '
	size=$(wc -c <"$PRESENCE") &&
	head -c $((size - 16)) "$PRESENCE" >cut.csv &&
	tail -n 1 cut.csv | grep -q "ext.partner,partner.\$" &&
	expect_code 1 j2w-contacts cut.csv >out 2>err &&
	test "$(wc -l <out)" = 5 &&
	must_not_contain out "partner" &&
	must_contain err "j2w-contacts: cut.csv:7: row has 4 fields, not the 6 or 7 of the export: the file ends in the middle of it: row skipped"
'

expect_success 'a cut-off non-presence export: the open vCard is reported; one missing END:VCARD costs one row' '
	head -n 14 "$CUSTOM" >cut.csv &&
	expect_code 1 j2w-contacts cut.csv >out 2>err &&
	test "$(wc -l <out)" = 1 &&
	must_contain err "j2w-contacts: cut.csv:11: the vCard that starts here has no END:VCARD (the file is cut short, or the next row starts inside it): row skipped" &&
	sed "/^END:VCARD/{x;s/^/x/;/^x\$/{x;d};x}" "$CUSTOM" >noend.csv &&
	test "$(grep -c END:VCARD noend.csv)" = 1 &&
	expect_code 1 j2w-contacts noend.csv >out 2>err &&
	must_contain err "noend.csv:1: the vCard that starts here has no END:VCARD" &&
	must_contain out "\"contact_id\":\"5f0c8a2e-7d41-4b9a-9c1e-2a6b3d4e5f60\",\"name\":\"Marta López\""
'

expect_success 'wrong encodings: a Latin-1 row is reported with the way out; UTF-16 is exit 3' '
	printf "a,example.com,b,example.com,M\374ller,General,0\na,example.com,c,example.com,,General,0\n" >latin1.csv &&
	expect_code 1 j2w-contacts latin1.csv >out 2>err &&
	must_contain err "j2w-contacts: latin1.csv:1: invalid UTF-8 in field 5 (if the file is Latin-1, convert it: iconv -f LATIN1 -t UTF-8): row skipped" &&
	test "$(wc -l <out)" = 1 &&
	iconv -f UTF-8 -t UTF-16 "$CUSTOM" >u16.csv &&
	expect_code 3 j2w-contacts u16.csv >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-contacts: u16.csv:1: the file is UTF-16: save it as UTF-8 (iconv -f UTF-16 -t UTF-8)"
'

expect_success 'a huge field costs its row; a misaligned row is reported, not read askew' '
	python3 -c "
import sys
rows = open(sys.argv[1]).read().splitlines(True)
rows.insert(1, \"userA,example.com,userZ,example.com,\" + \"x\" * (2 << 20) + \",General,0\\n\")
rows.insert(2, \"userA,example.com,userY,example.com,Smith, John,General,0\\n\")
open(\"huge.csv\", \"w\").write(\"\".join(rows))" "$PRESENCE" &&
	expect_code 1 j2w-contacts huge.csv >out 2>err &&
	cat >expected.err <<-\EOF &&
	j2w-contacts: huge.csv:2: row longer than 1048576 bytes: row skipped
	j2w-contacts: huge.csv:3: row has 8 fields, more than the 7 of an IM and Presence export (a nickname or group name with an unquoted comma?): row skipped
	j2w-contacts: huge.csv:8: no Contact ID: row skipped
	j2w-contacts: 6 contacts, 3 rows skipped
	EOF
	cmp_output expected.err err &&
	must_not_contain out "userz" && must_not_contain out "usery"
'

expect_success 'a file that is neither export is exit 3; records only when every file was read' '
	printf "Name,Email\nBob,bob@example.com\n" >other.csv &&
	expect_code 3 j2w-contacts "$PRESENCE" other.csv >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-contacts: other.csv:1: no '\''User ID'\'' and '\''Contact ID'\'' columns: not an IM and Presence contact-list export" &&
	expect_code 1 j2w-contacts "$PRESENCE" "$CUSTOM" -o all.jsonl 2>err &&
	test "$(wc -l <all.jsonl)" = 8 &&
	must_contain err "8 contacts, 1 row skipped"
'

finish
