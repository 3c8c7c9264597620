#!/bin/sh
# Exit statuses every command agrees on: a missing input is 2, an empty JSON
# Lines input is 0 with nothing out, CSV or XML without its header is 3, and
# CSV errors read alike.
. "$(dirname "$0")/lib.sh"

# exit2_saying PATTERN: each command line on stdin exits 2 with PATTERN on stderr
exit2_saying() {
	while read -r c; do
		WEBEX_TOKEN=tok WEBEX_API=http://127.0.0.1:1/v1 $c >out 2>err
		rc=$?
		if [ $rc -ne 2 ] || ! grep -q "$1" err; then
			say "$c: exit $rc" && cat err && return 1
		fi
	done
}

expect_success 'an input file that cannot be opened is exit 2 in every command' '
	exit2_saying "cannot open .*nosuch" <<-\EOF
	j2w-users --bat nosuch.csv
	j2w-contacts nosuch.csv
	j2w-reconcile -s directory-uri nosuch.jsonl
	j2w-csv users nosuch.jsonl
	j2w-csv calling-behavior nosuch.jsonl
	j2w-csv calling-behavior --rules nosuch.rules /dev/null
	j2w-csv contacts -o dir nosuch.jsonl
	j2w-jabber-config lint nosuch.xml
	j2w-jabber-config trim nosuch.xml
	j2w-jabber-config generate -t migration --merge nosuch.xml -o x.xml
	j2w-jabber-config extract --bat nosuch.csv -o dir
	j2w-apply nosuch.jsonl
	j2w-apply --rules nosuch.rules /dev/null
	j2w-apply --resume nosuch.db
	j2w-dns-check -i 127.0.0.1 --domains-from nosuch.jsonl
	j2w-chat-archive import --from-csv nosuchdir --to a.db
	j2w-chat-archive search nosuch.db word
	j2w-chat-archive export nosuch.db --format txt -o dir
	j2w-report nosuch.jsonl
	EOF
'

expect_success 'a directory named as an input file is exit 2 too, not a read error (4)' '
	mkdir adir &&
	exit2_saying "cannot open '\''adir'\'': Is a directory" <<-\EOF
	j2w-users --bat adir
	j2w-contacts adir
	j2w-reconcile -s directory-uri adir
	j2w-csv users adir
	j2w-jabber-config lint adir
	j2w-jabber-config trim adir
	j2w-jabber-config extract --bat adir -o dir
	j2w-apply adir
	j2w-dns-check -i 127.0.0.1 --domains-from adir
	j2w-chat-archive search adir word
	j2w-chat-archive verify adir --from-csv adir
	j2w-report adir
	EOF
'

expect_success 'an empty JSON Lines input is exit 0 with nothing out, and the summary says 0' '
	: >empty.jsonl &&
	while read -r c; do
		WEBEX_TOKEN=tok WEBEX_API=http://127.0.0.1:1/v1 $c >out 2>err
		rc=$?
		if [ $rc -ne 0 ] || [ -s out ] || ! grep -q "^j2w-[a-z-]*: 0 " err; then
			say "$c: exit $rc" && cat out err && exit 1
		fi
	done <<-\EOF
	j2w-reconcile -s directory-uri empty.jsonl
	j2w-csv users empty.jsonl
	j2w-csv calling-behavior empty.jsonl
	j2w-apply empty.jsonl
	j2w-dns-check -i 127.0.0.1:1 --domains-from empty.jsonl
	j2w-report empty.jsonl
	j2w-report -f csv empty.jsonl
	EOF
	j2w-csv users -o users.csv empty.jsonl 2>err &&
	must_be_empty users.csv &&
	j2w-csv contacts -o dir empty.jsonl 2>err &&
	test -d dir && test -z "$(ls dir)" &&
	echo "old report" >report.html &&
	j2w-report -o report.html empty.jsonl 2>err &&
	echo "old report" >want && cmp_output want report.html
'

expect_success 'CSV or XML without its header or root element is exit 3' '
	: >empty.csv && : >empty.xml &&
	printf "alice@example.com,ucm,UC Profile US\n" >nohdr.csv &&
	expect_code 3 j2w-users --bat empty.csv 2>err &&
	must_contain err "expected a header row" &&
	expect_code 3 j2w-csv calling-behavior nohdr.csv 2>err &&
	must_contain err "nohdr.csv:1: the first row is data ('\''alice@example.com'\''), not column names" &&
	WEBEX_TOKEN=tok expect_code 3 j2w-apply nohdr.csv 2>err &&
	must_contain err "the first row is data" &&
	printf "foo,bar\n1,2\n" >other.csv &&
	expect_code 3 j2w-csv users other.csv -o out.csv 2>err &&
	must_contain err "other.csv:1: the header names no column j2w reads" &&
	test ! -e out.csv &&
	expect_code 3 j2w-csv calling-behavior other.csv 2>err &&
	WEBEX_TOKEN=tok expect_code 3 j2w-apply other.csv 2>err &&
	must_contain err "other.csv:1: the header names no column j2w reads" &&
	expect_code 3 j2w-jabber-config trim empty.xml 2>err &&
	expect_code 3 j2w-jabber-config generate -t migration --merge empty.xml -o x.xml 2>err &&
	expect_code 3 j2w-jabber-config extract --bat empty.csv -o dir 2>err
'

expect_success 'a broken quote reads alike in every CSV reader (never libcsv'\''s own words)' '
	printf "USER ID,FIRST NAME\nann,\"Ann\nbob,Bob\n" >enduser.csv &&
	expect_code 3 j2w-users --bat enduser.csv 2>err &&
	must_contain err "enduser.csv:2: quoted field opened here is never closed" &&
	printf "alice,example.com,bob,example.com,\"Bob,Team,Both\n" >contacts.csv &&
	expect_code 3 j2w-contacts contacts.csv 2>err &&
	must_contain err "contacts.csv:1: quoted field opened here is never closed" &&
	printf "email,calling_behavior\n\"a@example.com,ucm\n" >rows.csv &&
	expect_code 3 j2w-csv calling-behavior rows.csv 2>err &&
	must_contain err "rows.csv:2: quoted field opened here is never closed" &&
	! grep -q "strict checking" err &&
	# a stray quote in a contact export costs its row only (j2w-contacts reads the
	# Cisco export itself: a nickname may hold a quote), named by file:line
	printf "alice,example.com,bob,example.com,B\"ob,Team,Both\n" >contacts.csv &&
	expect_code 1 j2w-contacts contacts.csv 2>err &&
	must_contain err "contacts.csv:1: " &&
	! grep -q "strict checking" err
'

finish
