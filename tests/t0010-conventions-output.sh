#!/bin/sh
# Where every command writes: -o - is stdout, directories refuse it, options may
# follow operands, and a closed pipe ends a command quietly.
. "$(dirname "$0")/lib.sh"

TAR=$SAMPLES/cucm/cucm-a/export.tar
CONTACTS=$SAMPLES/contacts/contacts.csv
# le1 COMMAND...: COMMAND exits 0 or 1 (findings or skipped rows are fine here)
le1() { "$@"; test $? -le 1; }

expect_success '-o - is stdout in every command that writes one file (no file named -)' '
	j2w-users --bat "$TAR" -q >want.jsonl &&
	j2w-users --bat "$TAR" -q -o - >out && cmp_output want.jsonl out &&
	le1 j2w-contacts -q "$CONTACTS" >want.c 2>/dev/null &&
	le1 j2w-contacts -q -o - "$CONTACTS" >out 2>/dev/null &&
	cmp_output want.c out &&
	le1 j2w-reconcile -q -s directory-uri want.jsonl >want.r &&
	le1 j2w-reconcile -q -s directory-uri -o - want.jsonl >out &&
	cmp_output want.r out &&
	le1 j2w-report -q -f csv want.r >want.rep &&
	le1 j2w-report -q -f csv -o - want.r >out &&
	cmp_output want.rep out &&
	le1 j2w-csv users -q want.r >want.csv &&
	le1 j2w-csv users -q -o - want.r >out &&
	cmp_output want.csv out &&
	j2w-csv calling-behavior -q -o - "$SAMPLES/waves/wave1.csv" >out &&
	must_contain out "alice@example.com,NATIVE_SIP_CALL_TO_UCM" &&
	j2w-jabber-config generate -q -t migration -o - >out &&
	must_contain out "EnableJabber2TeamsMigration" &&
	test ! -e ./-
'

expect_success 'commands that write a directory refuse -o - (usage error, nothing made)' '
	le1 j2w-contacts -q "$CONTACTS" >c.jsonl 2>/dev/null &&
	expect_code 2 j2w-csv contacts -o - c.jsonl 2>err &&
	must_contain err "contacts writes several files: -o - (standard output) cannot hold them" &&
	j2w-chat-archive import -q --from-csv "$SAMPLES/chat" --to chat.db &&
	expect_code 2 j2w-chat-archive export chat.db --format txt -o - 2>err &&
	must_contain err "export writes several files" &&
	expect_code 2 j2w-jabber-config extract --bat "$TAR" -o - 2>err &&
	must_contain err "extract writes several files" &&
	test ! -e ./-
'

expect_success 'reconcile will not put users and contacts on one stdout' '
	j2w-users --bat "$TAR" -q >u.jsonl &&
	expect_code 2 j2w-reconcile -s directory-uri --contacts "$CONTACTS" \
		--contacts-output - u.jsonl 2>err &&
	must_contain err "would share standard output"
'

expect_success 'options may follow operands, also after a subcommand' '
	j2w-users --bat "$TAR" -q >u.jsonl &&
	le1 j2w-csv users u.jsonl -o out.csv -q 2>err &&
	must_contain out.csv "User ID/Email (Required)" &&
	echo "j2w-csv: 34 rows in 1 file, 1 left out" >want &&
	cmp_output want err &&
	j2w-csv calling-behavior "$SAMPLES/waves/wave1.csv" --output cb.csv --quiet &&
	must_contain cb.csv "alice@example.com" &&
	le1 j2w-contacts -q "$CONTACTS" >c.jsonl 2>/dev/null &&
	le1 j2w-csv contacts c.jsonl -o dir -q &&
	test -f dir/contacts-bat.csv &&
	le1 j2w-jabber-config lint "$SAMPLES/jabber-config/jabber-config.xml" -f tsv -q >lint.tsv &&
	head -n 1 lint.tsv >hdr && printf "location\tseverity\tcheck\tmessage\n" >want &&
	cmp_output want hdr &&
	j2w-jabber-config trim "$SAMPLES/jabber-config/jabber-config.xml" -o trimmed.xml -q &&
	test -s trimmed.xml &&
	j2w-chat-archive import --from-csv "$SAMPLES/chat" --to chat.db -q &&
	j2w-chat-archive export chat.db -o txt --format txt -q &&
	test -n "$(ls txt)" &&
	j2w-chat-archive search chat.db review --limit 1 --room dev-team@conference.example.com -q >hits &&
	must_contain hits "Can someone review PR"
'

# closed STATUSFILE COMMAND...: COMMAND's output piped into head -n 1; its exit
# status in STATUSFILE, its stderr in err
closed() {
	st=$1; shift
	{ "$@" 2>err && echo 0 >"$st" || echo $? >"$st"; } | head -n 1 >/dev/null
}

expect_success 'a closed pipe (| head) ends every command quietly: exit 0 or SIGPIPE, no message' '
	awk "BEGIN { print \"USER ID,FIRST NAME,MAIL ID\"; for (i = 0; i < 20000; i++)
		printf \"user%d,First%d,user%d@example.com\\n\", i, i, i }" >enduser.csv &&
	j2w-users -q --bat enduser.csv >u.jsonl &&
	le1 j2w-reconcile -q -s directory-uri u.jsonl >r.jsonl &&
	for c in "j2w-users --bat enduser.csv" "j2w-users --bat enduser.csv -f csv" \
		"j2w-reconcile -s directory-uri u.jsonl" "j2w-csv users u.jsonl" \
		"j2w-report -f csv r.jsonl"
	do
		closed st $c &&
		if [ "$(cat st)" != 0 ] && [ "$(cat st)" != 141 ]; then
			say "$c: exit $(cat st)" && cat err && exit 1
		fi &&
		must_not_contain err "Broken pipe" &&
		must_not_contain err "cannot write" || exit 1
	done
'

finish
