#!/bin/sh
# j2w-users --bat on the sample org's export tars (samples/cucm): golden records,
# the CSV table form with spreadsheet-safe cells, -o, stdin, and --encoding latin1.
. "$(dirname "$0")/lib.sh"

expect_success 'cucm-a export tar gives the golden records' '
	cp "$SAMPLES/cucm/cucm-a/export.tar" a.tar &&
	j2w-users --bat a.tar >out 2>err &&
	cmp_output "$DATA/users/cucm-a.jsonl" out &&
	echo "j2w-users: 35 users, 0 rows skipped" >expected.err &&
	cmp_output expected.err err
'

expect_success 'cucm-b export (narrower DEVICE NAME group, visitors homed elsewhere)' '
	cp "$SAMPLES/cucm/cucm-b/export.tar" b.tar &&
	j2w-users --bat b.tar >out 2>/dev/null &&
	cmp_output "$DATA/users/cucm-b.jsonl" out &&
	must_contain out "\"userid\":\"alice\",\"first_name\":\"Alice\"" &&
	grep "\"userid\":\"alice\"" out | grep -q "\"home_cluster\":false"
'

expect_success 'both clusters in one run, in order' '
	cp "$SAMPLES/cucm/cucm-a/export.tar" a.tar && cp "$SAMPLES/cucm/cucm-b/export.tar" b.tar &&
	j2w-users --bat a.tar --bat b.tar >out 2>err &&
	cat "$DATA/users/cucm-a.jsonl" "$DATA/users/cucm-b.jsonl" >expected &&
	cmp_output expected out &&
	must_contain err "63 users, 0 rows skipped"
'

expect_success '--format csv neutralises formulas and keeps E.164 numbers' '
	cp "$SAMPLES/cucm/cucm-a/export.tar" a.tar &&
	j2w-users --bat a.tar -f csv >out.csv 2>/dev/null &&
	cmp_output "$DATA/users/cucm-a.csv" out.csv &&
	must_contain out.csv ",\"'\''=HYPERLINK(" &&
	must_contain out.csv ",'\''+1 Support," &&
	must_contain out.csv ",+14085550100,"
'

expect_success '-o writes the file only when complete' '
	cp "$SAMPLES/cucm/cucm-a/export.tar" a.tar &&
	j2w-users --bat a.tar -o users.jsonl >out 2>/dev/null &&
	must_be_empty out &&
	cmp_output "$DATA/users/cucm-a.jsonl" users.jsonl &&
	printf "USER ID\n\"open\n" >broken.csv &&
	expect_code 3 j2w-users --bat broken.csv -o users2.jsonl 2>err &&
	test ! -e users2.jsonl && test "$(ls | grep -c tmp)" -eq 0
'

expect_success 'an export on stdin, and enduser.csv with phone.csv beside it' '
	tar xf "$SAMPLES/cucm/cucm-a/export.tar" enduser.csv phone.csv &&
	j2w-users --bat - <enduser.csv >stdin.jsonl 2>/dev/null &&
	must_contain stdin.jsonl "\"source\":\"bat:<stdin>:2\"" &&
	must_not_contain stdin.jsonl "Cisco 8845" &&
	j2w-users --bat enduser.csv >beside.jsonl 2>/dev/null &&
	must_contain beside.jsonl "\"name\":\"SEP5D1609E77708\",\"type\":\"Cisco 8845\"" &&
	sed "s#bat:a.tar/enduser.csv#bat:enduser.csv#" "$DATA/users/cucm-a.jsonl" >expected &&
	cp "$SAMPLES/cucm/cucm-a/export.tar" a.tar && cmp_output expected beside.jsonl
'

expect_success 'a Latin-1 export: rows reported without --encoding, read with it' '
	printf "USER ID,LAST NAME,MAIL ID\r\nhm,M\374ller,hm@example.com\r\nok,Ok,ok@example.com\r\n" >enduser.csv &&
	expect_code 1 j2w-users --bat enduser.csv >out 2>err &&
	must_contain err "enduser.csv:2: invalid UTF-8 in column '\''LAST NAME'\'' (if the export is Latin-1, use --encoding latin1): row skipped" &&
	must_contain err "1 user, 1 row skipped" &&
	test $(wc -l <out) -eq 1 &&
	j2w-users --bat enduser.csv --encoding latin1 >out 2>err &&
	must_contain out "\"last_name\":\"Müller\""
'

finish
