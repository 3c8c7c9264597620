#!/bin/sh
# j2w-csv: the Control Hub user CSV, the calling-behaviour CSV and the personal
# contact migration files: columns from templates, spreadsheet-safe cells,
# E.164 numbers keep their '+', split files, limits, and what is left out.
. "$(dirname "$0")/lib.sh"

# the default template leaves Extension and Phone Number empty (the numbers stay in
# Unified CM); a template that fills them, with E.164 numbers kept, is tested below
expect_success 'users: template columns, formulas neutralised, Extension and Phone Number empty, left-outs reported' '
	expect_code 1 j2w-csv users "$DATA/csv/users.jsonl" >out 2>err &&
	cmp_output "$DATA/csv/users.csv" out &&
	head -n 1 out | grep -q ",Extension,.*,Phone Number" &&
	for n in +14085550100 "408 555 0101" +442079460000 1001 1002; do
		must_not_contain out "$n" || return 1
	done &&
	cat >expected.err <<-EOF &&
	j2w-csv: $DATA/csv/users.jsonl:6: '\''kpatel@example.com'\'' is blocked by j2w-reconcile: left out
	j2w-csv: $DATA/csv/users.jsonl:7: no usable webex_email, directory_uri or mailid: left out
	j2w-csv: $DATA/csv/users.jsonl:8: '\''ALICE@example.com'\'' is listed twice with different values (first at $DATA/csv/users.jsonl:1): left out
	j2w-csv: 5 rows in 1 file, 3 left out
	EOF
	cmp_output expected.err err
'

expect_success 'users: more rows than --max-rows are split into FILE-001.csv ...; stale parts go' '
	head -n 5 "$DATA/csv/users.jsonl" >users.jsonl &&
	: >out-004.csv &&
	j2w-csv users --max-rows 2 -o out.csv users.jsonl 2>err &&
	must_contain err "5 rows in 3 files, 0 left out" &&
	must_contain err "removed '\''out-004.csv'\'', left from an earlier run" &&
	test ! -e out.csv && test ! -e out-004.csv &&
	for f in out-001.csv out-002.csv out-003.csv; do
		head -n 1 $f | grep -q "^First Name,Last Name" || exit 1
	done &&
	test "$(cat out-001.csv out-002.csv out-003.csv | grep -vc "^First Name")" = 5 &&
	expect_code 2 j2w-csv users --max-rows 2 users.jsonl >out 2>err &&
	must_contain err "give -o FILE to write FILE-001.csv" &&
	must_be_empty out
'

expect_success 'the same user twice with the same values is written once (exit 0)' '
	head -n 1 "$DATA/csv/users.jsonl" >u.jsonl &&
	head -n 1 "$DATA/csv/users.jsonl" | sed "s/alice@example.com/Alice@Example.com/g" >>u.jsonl &&
	j2w-csv users u.jsonl >out 2>err &&
	test "$(wc -l <out)" = 2 &&
	must_contain err "u.jsonl:2: '\''Alice@Example.com'\'' is listed again (first at u.jsonl:1): written once" &&
	must_contain err "1 row in 1 file, 0 left out, 1 listed again"
'

expect_success 'two accounts sharing one email are not merged: the second is left out (exit 1)' '
	printf "%s\n" "{\"userid\":\"mgarcia\",\"first_name\":\"Maria\",\"last_name\":\"Garcia\",\"mailid\":\"maria.garcia@example.com\"}" \
		"{\"userid\":\"mgarcia.adm\",\"first_name\":\"Maria\",\"last_name\":\"Garcia\",\"mailid\":\"maria.garcia@example.com\"}" >u.jsonl &&
	expect_code 1 j2w-csv users u.jsonl >out 2>err &&
	test "$(wc -l <out)" = 2 &&
	must_contain err "u.jsonl:2: '\''maria.garcia@example.com'\'' is listed twice with different values (first at u.jsonl:1): left out" &&
	must_contain err "1 row in 1 file, 1 left out"
'

expect_success 'calling-behavior from rows and from rules' '
	printf "email,calling_behavior,uc_manager_profile\nalice@example.com,ucm,UC Profile US\nbob@example.com,default,\ncarol@example.com,Jabber,\n" >rows.csv &&
	j2w-csv calling-behavior rows.csv >out 2>err &&
	printf "User ID/Email,Calling Behavior,UCM Profile\r\nalice@example.com,NATIVE_SIP_CALL_TO_UCM,UC Profile US\r\nbob@example.com,USE_ORG_SETTINGS,\r\ncarol@example.com,CALL_WITH_APP_REGISTERED_FOR_CISCOTEL,\r\n" >expected &&
	cmp_output expected out &&
	expect_code 1 j2w-csv calling-behavior --rules "$SAMPLES/waves/wave1.rules" "$DATA/apply/users.jsonl" >out 2>err &&
	must_contain out "j.smith@emea.example.com,NATIVE_SIP_CALL_TO_UCM,EMEA" &&
	must_contain out "gthomas@example.com,CALL_WITH_APP_REGISTERED_FOR_CISCOTEL," &&
	must_not_contain out "maria.garcia" &&
	must_contain err "9 rows in 1 file, 1 left out, 1 not in this wave"
'

expect_success 'contacts: per-user and per-file limits, owners never split, archive keeps JIDs' '
	expect_code 1 j2w-csv contacts -o out --per-user 2 --per-file 3 "$DATA/csv/contacts.jsonl" >stdout 2>err &&
	must_be_empty stdout &&
	must_contain err "contacts.jsonl:9: a contact record needs owner and contact: left out" &&
	must_contain err "'\''alice@example.com'\'' has 4 contacts: the 2 over the limit of 2 are in '\''out/contacts-over-limit.csv'\''" &&
	must_contain err "6 contacts in 2 files, 2 over the per-user limit (1 user), 1 left out" &&
	printf "User ID,User Domain,Contact ID,Contact Domain,Nickname,Group Name\r\nalice,example.com,bob,example.com,Bob,Team\r\nalice,example.com,carol,example.com,,\047=cmd|\047 /C calc\047!A0\r\nbjones,example.com,alice,example.com,,Sales\r\n" >e1 &&
	cmp_output e1 out/contacts-001.csv &&
	printf "User ID,User Domain,Contact ID,Contact Domain,Nickname,Group Name\r\nbob,example.com,alice,example.com,Al,\r\nbob,example.com,john.smith,example.com,,\r\ncarol,example.com,alice,example.com,,\r\n" >e2 &&
	cmp_output e2 out/contacts-002.csv &&
	test "$(grep -vc "^User ID" out/contacts-over-limit.csv)" = 2 &&
	must_contain out/contacts-bat.csv "bjones@usa,example.com,alice,example.com,,Sales" &&
	must_contain out/contacts-bat.csv "bob,example.com,j.smith,emea.example.com,," &&
	test "$(grep -vc "^User ID" out/contacts-bat.csv)" = 8
'

expect_success 'a template is data: columns change without code, errors name file:line' '
	printf "# mine\nEmail\twebex_email|mailid\nPhone\ttelephone_number\tphone\nSource\t'\''j2w'\''\n" >t.tsv &&
	printf "{\"mailid\":\"a@example.com\",\"telephone_number\":\"+14085550100\"}\n" >u.jsonl &&
	j2w-csv users --template t.tsv u.jsonl >out 2>err &&
	printf "Email,Phone,Source\r\na@example.com,+14085550100,j2w\r\n" >expected &&
	cmp_output expected out &&
	printf "Email\twebex_email\nPhone\ttelephone_number\tmobile\n" >bad.tsv &&
	expect_code 3 j2w-csv users --template bad.tsv u.jsonl >out 2>err &&
	must_contain err "bad.tsv:2: the third field may only be '\''phone'\''" &&
	must_be_empty out
'

expect_success 'usage and input errors' '
	expect_code 2 j2w-csv 2>err &&
	expect_code 2 j2w-csv spreadsheets 2>err &&
	must_contain err "unknown file kind '\''spreadsheets'\''" &&
	expect_code 2 j2w-csv contacts "$DATA/csv/contacts.jsonl" 2>err &&
	must_contain err "give -o DIR" &&
	expect_code 2 j2w-csv users --rules x 2>err &&
	printf "{\"mailid\":\"a@example.com\"\n" >broken.jsonl &&
	expect_code 3 j2w-csv users broken.jsonl >out 2>err &&
	must_contain err "broken.jsonl:1" &&
	must_be_empty out
'

expect_success 'an output that cannot be written leaves nothing behind (exit 4)' '
	mkdir ro && chmod 555 ro &&
	if [ "$(id -u)" = 0 ]; then exit 0; fi &&
	expect_code 4 j2w-csv users -o ro/users.csv "$DATA/csv/users.jsonl" 2>err &&
	test -z "$(ls ro)"
'

finish
