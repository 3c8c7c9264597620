#!/bin/sh
# What every command says on stderr: control characters from input escaped,
# per-row notices silenced by --quiet and counted, one plural rule, hints for a
# skipped step.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

expect_success 'an escape sequence in an input value reaches stderr escaped' '
	printf "{\"email\":\"a@example.com\",\"calling_behavior\":\"\\\\u001b[2Jbad\\\\u009b\"}\n" >esc.jsonl &&
	expect_code 1 j2w-csv calling-behavior esc.jsonl >out 2>err &&
	must_contain err "unknown calling_behavior '\''\\x1b[2Jbad\\u009b'\''" &&
	! grep -q "$(printf "\033")" err &&
	expect_code 2 j2w-csv "$(printf "x\033[31mowned\007")" 2>err &&
	must_contain err "unknown file kind '\''x\x1b[31mowned\x07'\''" &&
	! grep -q "$(printf "\033")" err
'

# le1 COMMAND...: COMMAND exits 0 or 1 (findings or left-out rows are fine here)
le1() { "$@"; test $? -le 1; }

expect_success '--quiet silences the per-row notices; the summary line stays and counts them' '
	j2w-users -q --bat "$SAMPLES/cucm/cucm-a/export.tar" --bat "$SAMPLES/cucm/cucm-b/export.tar" \
		>users.jsonl &&
	le1 j2w-reconcile -q -s userid -d example.com -w example.com users.jsonl >rec.jsonl &&
	expect_code 1 j2w-csv calling-behavior --rules "$SAMPLES/waves/wave1.rules" rec.jsonl \
		>loud.csv 2>loud &&
	blocked=$(grep -c "is blocked by j2w-reconcile: left out of this wave" loud) &&
	test "$blocked" -gt 1 &&
	must_contain loud "j2w-csv: 43 rows in 1 file, $blocked left out" &&
	expect_code 1 j2w-csv calling-behavior -q --rules "$SAMPLES/waves/wave1.rules" rec.jsonl \
		>quiet.csv 2>quiet &&
	grep "^j2w-csv: 43 rows in 1 file" loud >want &&
	cmp_output want quiet &&
	cmp_output loud.csv quiet.csv &&
	printf "USER ID,LAST NAME\nann,Ng\n,Nobody\n" >enduser.csv &&
	expect_code 1 j2w-users -q --bat enduser.csv >out 2>err &&
	echo "j2w-users: 1 user, 1 row skipped" >want &&
	cmp_output want err
'

expect_success 'under --quiet, a run that fails still shows the rows it refers to' '
	printf "email,calling_behavior\na@example.com,carrier-pigeon\n" >rows.csv &&
	make_token token &&
	start_ch_sim quiet --org "$SAMPLES/controlhub/org.json" --token-file token &&
	expect_code 3 j2w-apply -q --token-file token --commit --journal j.db rows.csv 2>err &&
	must_contain err "rows.csv:2: unknown calling_behavior" &&
	must_contain err "cannot be used (see above)"
'

expect_success 'one plural rule in every summary: 1 user, 1 row, 1 file, 1 journal' '
	printf "USER ID,MAIL ID\nann,ann@example.com\n,nobody@example.com\n" >enduser.csv &&
	expect_code 1 j2w-users --bat enduser.csv >u.jsonl 2>err &&
	must_contain err "j2w-users: 1 user, 1 row skipped" &&
	j2w-csv users u.jsonl >out.csv 2>err &&
	must_contain err "j2w-csv: 1 row in 1 file, 0 left out" &&
	le1 j2w-jabber-config lint "$SAMPLES/jabber-config/jabber-config.xml" >lint.jsonl 2>err &&
	must_contain err "j2w-jabber-config: 1 file, " &&
	le1 j2w-reconcile -q -s directory-uri u.jsonl >rec.jsonl &&
	le1 j2w-report -f csv rec.jsonl >r.csv 2>err &&
	must_contain err "j2w-report: 1 record, 0 journals, " &&
	expect_code 4 j2w-dns-check -i 127.0.0.1:1 --timeout 10ms example.com >out 2>err &&
	must_contain err "j2w-dns-check: 1 domain, 1 resolver, " &&
	! grep -E "(^|[^0-9])1 (users|rows|files|journals|records|domains|resolvers|contacts)\b" err
'

expect_success 'a step left out gets one hint naming it, not one error per row' '
	j2w-users -q --bat "$SAMPLES/cucm/cucm-a/export.tar" >users.jsonl &&
	expect_code 1 j2w-csv calling-behavior users.jsonl >out 2>err &&
	test "$(wc -l <err)" -eq 2 &&
	must_contain err "j2w-csv: none of the 35 records has a calling_behavior: are they user records" &&
	must_contain err "give --rules FILE, the wave'\''s rules" &&
	must_contain err "j2w-csv: 0 rows in 0 files, 35 left out" &&
	must_be_empty out &&
	printf "{\"email\":\"a@example.com\"}\n{\"email\":\"b@example.com\",\"calling_behavior\":\"ucm\"}\n" >mix.jsonl &&
	expect_code 1 j2w-csv calling-behavior mix.jsonl >out 2>err &&
	must_contain err "mix.jsonl:1: no calling_behavior" &&
	must_not_contain err "give --rules" &&
	printf "USER ID,MAIL ID\nann,ann@example.com\nbob,bob@example.com\n" >enduser.csv &&
	expect_code 3 j2w-reconcile -s directory-uri enduser.csv >out 2>err &&
	test "$(wc -l <err)" -eq 1 &&
	must_contain err "enduser.csv:1: the header names no column j2w reads" &&
	must_contain err "(a CUCM export goes through j2w-users first)" &&
	expect_code 3 j2w-dns-check -i 127.0.0.1:1 --domains-from enduser.csv >out 2>err &&
	must_contain err "enduser.csv:1: the header names no column j2w reads" &&
	j2w-users -q --bat "$SAMPLES/cucm/cucm-a/export.tar" >users.jsonl 2>/dev/null &&
	j2w-users -q --bat "$SAMPLES/cucm/cucm-a/export.tar" --format csv >users.csv 2>/dev/null &&
	le1 j2w-reconcile -q -s directory-uri users.jsonl >from-jsonl 2>/dev/null &&
	le1 j2w-reconcile -q -s directory-uri users.csv >from-csv 2>/dev/null &&
	cmp_output from-jsonl from-csv
'

finish
