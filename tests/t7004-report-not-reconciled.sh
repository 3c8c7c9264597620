#!/bin/sh
# j2w-report given user records that j2w-reconcile never saw (j2w-users output:
# no status, no Jabber ID) says which step was skipped, once per file, instead
# of one INPUT error per row; the report is written and the exit status is 3.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-report.sh"

expect_success 'j2w-users output: one line naming the missing step, one finding, exit 3' '
	j2w-users -q --bat "$SAMPLES/cucm/cucm-a/export.tar" -o users.jsonl &&
	expect_code 3 j2w-report -o a.html users.jsonl 2>err &&
	unwrap a.html >r.html &&
	echo "j2w-report: '"'"'users.jsonl'"'"': 35 user records were never reconciled: run j2w-reconcile first and give the report its output" >expected &&
	grep -v "NOT READY (" err >hint &&
	cmp_output expected hint &&
	must_contain r.html "NOT-RECONCILED — 1 finding</h3>" &&
	must_contain r.html "<b>Fix:</b> run j2w-reconcile on these user records and give the report its output instead" &&
	must_contain r.html "<td>users.jsonl</td><td>35 user records that j2w-reconcile has not seen (no status, no Jabber ID): the report leaves them out</td>" &&
	must_not_contain r.html "INPUT — " &&
	must_contain r.html "<strong>Verdict: NOT READY</strong>"
'

expect_success 'on stdin and with --quiet the hint is still given; reconciled records beside it are read' '
	j2w-users -q --bat "$SAMPLES/cucm/cucm-a/export.tar" -o users.jsonl &&
	head -n 2 users.jsonl | j2w-reconcile -q -s userid -d example.com >rec.jsonl &&
	expect_code 3 j2w-report -q -f md - rec.jsonl <users.jsonl >r.md 2>err &&
	echo "j2w-report: '"'"'<stdin>'"'"': 35 user records were never reconciled: run j2w-reconcile first and give the report its output" >expected &&
	echo "j2w-report: 37 records, 0 journals, 1 finding: NOT READY (0 fail, 1 error, 0 warn)" >>expected &&
	cmp_output expected err &&
	must_contain r.md "2 users: 0 blocked" &&
	must_contain r.md "- &lt;stdin&gt;: 35 user records that j2w-reconcile has not seen"
'

finish
