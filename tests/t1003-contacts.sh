#!/bin/sh
# j2w-contacts on the sample IM&P contact export and on broken files.
. "$(dirname "$0")/lib.sh"

expect_success 'the sample export gives the golden records; rows without a contact are reported' '
	cp "$SAMPLES/contacts/contacts.csv" . &&
	expect_code 1 j2w-contacts contacts.csv >out 2>err &&
	cmp_output "$DATA/contacts/contacts.jsonl" out &&
	cat >expected.err <<-\EOF &&
	j2w-contacts: contacts.csv:191: no Contact ID: row skipped
	j2w-contacts: contacts.csv:192: no Contact ID: row skipped
	j2w-contacts: contacts.csv:193: no Contact Domain for a contact ID without '"'"'@'"'"': row skipped
	j2w-contacts: 189 contacts, 3 rows skipped
	EOF
	cmp_output expected.err err
'

expect_success 'JIDs are lower-cased; a user ID holding @ keeps it' '
	cp "$SAMPLES/contacts/contacts.csv" . &&
	expect_code 1 j2w-contacts contacts.csv >out 2>/dev/null &&
	must_contain out "\"owner\":\"bob@example.com\",\"contact\":\"alice@example.com\"" &&
	must_contain out "\"contact\":\"bjones@usa@example.com\"" &&
	must_not_contain out "Example.COM"
'

expect_success 'stdin, csv format, and a headerless export' '
	printf "alice,example.com,Bob,Example.com,\"Bob, B\",Team\n" >plain.csv &&
	j2w-contacts <plain.csv >out 2>err &&
	echo "{\"owner\":\"alice@example.com\",\"contact\":\"bob@example.com\",\"nickname\":\"Bob, B\",\"group\":\"Team\",\"source\":\"imp:<stdin>:1\"}" >expected &&
	cmp_output expected out &&
	j2w-contacts -f csv plain.csv >out.csv 2>/dev/null &&
	printf "owner,contact,nickname,group,kind,contact_id,name,email,phone,source\r\nalice@example.com,bob@example.com,\"Bob, B\",Team,,,,,,imp:plain.csv:1\r\n" >expected.csv &&
	cmp_output expected.csv out.csv
'

expect_success 'a malformed file is exit 3 and leaves nothing on stdout' '
	printf "User ID,User Domain,Contact ID,Contact Domain\na,x.com,b,x.com\na,x.com,\"c,x.com\n" >bad.csv &&
	expect_code 3 j2w-contacts bad.csv >out 2>err &&
	must_be_empty out &&
	must_contain err "bad.csv:3:" &&
	printf "a,b,c\n1,2,3\n" >other.csv &&
	expect_code 3 j2w-contacts other.csv >out 2>err &&
	must_contain err "other.csv:1: no '\''User ID'\'' and '\''Contact ID'\'' columns" &&
	expect_code 2 j2w-contacts missing.csv 2>err &&
	must_contain err "cannot open '\''missing.csv'\''"
'

finish
