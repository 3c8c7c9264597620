#!/bin/sh
# j2w-report counts people, not records: the sample org's two clusters export
# 63 user records for 60 people (cucm-b holds home_cluster:false copies of
# alice, jsmith and wwang). Each person is counted once, by the worse status of
# their copies, and listed once under each finding; two accounts that share an
# address (rkumar and rkumar2) stay two people, as j2w-csv keeps them apart.
. "$(dirname "$0")/lib.sh"

# both_clusters: rec.jsonl, the reconcile output of both clusters' BAT exports
both_clusters() {
	j2w-users -q --bat "$SAMPLES/cucm/cucm-a/export.tar" --bat "$SAMPLES/cucm/cucm-b/export.tar" \
		-o users.jsonl &&
	j2w-reconcile -q -s userid -d example.com -w example.com -o rec.jsonl users.jsonl
	[ $? -le 1 ]
}

expect_success 'two clusters: 60 people from 63 user records, in HTML and Markdown' '
	both_clusters &&
	test "$(wc -l <rec.jsonl)" = 63 &&
	expect_code 1 j2w-report -q -o r.html rec.jsonl &&
	must_contain r.html "60 users: 10 blocked, 6 review, 44 ok (63 user records: 3 are another cluster'"'"'s copies of a user, counted once)" &&
	must_contain r.html "<text x=\"620\" y=\"43\">60 users</text>" &&
	expect_code 1 j2w-report -q -f md rec.jsonl >r.md &&
	must_contain r.md "60 users: 10 blocked, 6 review, 44 ok (63 user records: 3 are another cluster'"'"'s copies of a user, counted once)"
'

expect_success 'a person exported twice is listed once under a finding, and counted once' '
	both_clusters &&
	expect_code 1 j2w-report -q -o r.html rec.jsonl &&
	must_contain r.html "DOMAIN-UNVERIFIED — 4 findings, 4 users affected</h3>" &&
	must_contain r.html "URI-MAIL-MISMATCH — 6 findings, 6 users affected</h3>" &&
	must_contain r.html "JID-URI-MISMATCH — 17 findings, 17 users affected</h3>" &&
	test "$(grep -c "<tr><td>jsmith</td><td>the domain of" r.html)" = 1 &&
	expect_code 1 j2w-report -q -f csv rec.jsonl >r.csv &&
	test "$(grep -c "^reconcile,DOMAIN-UNVERIFIED,FAIL,jsmith," r.csv)" = 1
'

expect_success 'two accounts sharing one address are two people' '
	both_clusters &&
	expect_code 1 j2w-report -q -o r.html rec.jsonl &&
	must_contain r.html "URI-DUPLICATE — 2 findings, 2 users affected</h3>" &&
	must_contain r.html "<tr><td>rkumar</td>" &&
	must_contain r.html "<tr><td>rkumar2</td>"
'

expect_success 'the same count as j2w-csv: people written plus people left out' '
	both_clusters &&
	expect_code 1 j2w-csv users -o users.csv rec.jsonl 2>err &&
	must_contain err "j2w-csv: 49 rows in 1 file, 12 left out, 2 listed again" &&
	expect_code 1 j2w-report -q -f md rec.jsonl >r.md &&
	must_contain r.md "60 users: 10 blocked" &&
	# 49 rows + 10 blocked people + mgarcia.adm (same address as mgarcia, left out) = 60
	test "$(grep -c "is listed twice with different values" err)" = 1
'

expect_success 'a copy with a worse finding: the worse one is listed, once' '
	printf "%s\n" \
		"{\"userid\":\"ann\",\"webex_email\":\"ann@example.com\",\"home_cluster\":true,\"status\":\"review\",\"findings\":[{\"tool\":\"j2w-reconcile\",\"check\":\"URI-MISSING\",\"severity\":\"WARN\",\"subject\":\"ann\",\"message\":\"on cucm-a\"}]}" \
		"{\"userid\":\"ann\",\"webex_email\":\"ANN@example.com\",\"home_cluster\":false,\"status\":\"blocked\",\"findings\":[{\"tool\":\"j2w-reconcile\",\"check\":\"URI-MISSING\",\"severity\":\"FAIL\",\"subject\":\"ann\",\"message\":\"on cucm-b\"}]}" \
		>two.jsonl &&
	expect_code 1 j2w-report -q -f csv two.jsonl >r.csv &&
	test "$(grep -c "^reconcile,URI-MISSING" r.csv)" = 1 &&
	must_contain r.csv "reconcile,URI-MISSING,FAIL,ann,,on cucm-b" &&
	expect_code 1 j2w-report -q -f md two.jsonl >r.md &&
	must_contain r.md "1 users: 1 blocked, 0 review, 0 ok (2 user records: 1 is another cluster'"'"'s copy of a user, counted once)"
'

finish
