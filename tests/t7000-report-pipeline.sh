#!/bin/sh
# j2w-report on the sample org's real pipeline output (reconcile, lint, DNS
# against dnsmasq, apply results and journals): verdict, counts, charts,
# hostile input escaped, no script and no outside address, Markdown and CSV
# golden, exit statuses.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-dns.sh"
. "$(dirname "$0")/lib-report.sh"

if ! have_cmd dnsmasq; then
	skip 'j2w-report on the sample pipeline' 'dnsmasq is not installed (apt-get install dnsmasq-base)'
	finish; exit
fi
start_dns internal "$SAMPLES/dns/internal.conf" || exit 4
start_dns external "$SAMPLES/dns/external.conf" || exit 4
export internal_NS external_NS HOSTILE

ALL='rec.jsonl lint.jsonl dns.jsonl hostile.jsonl wave1.jsonl wave2.db wave3.db chat.db'
# a fixed clock for the goldens; the inputs' digests vary with the checkout's
# path (it is in rec.jsonl), so the goldens leave the inputs out (t7005 checks them)
SOURCE_DATE_EPOCH=1763717400
export ALL SOURCE_DATE_EPOCH

expect_success 'HTML: verdict, counts, users and the four charts; exit 1 for the FAILs' '
	report_inputs &&
	expect_code 1 j2w-report --org "Example <Corp>" -o report.html $ALL 2>err &&
	must_contain report.html "<strong>Verdict: NOT READY</strong>" &&
	must_contain report.html "11 FAIL, 0 ERROR, 16 WARN, 37 INFO, 43 OK" &&
	must_contain report.html "35 users: 5 blocked, 5 review, 25 ok" &&
	must_contain report.html "<title id=\"chart-sev\">Severity per area</title>" &&
	must_contain report.html "<title id=\"chart-dns\">DNS matrix: domains × checks × views</title>" &&
	must_contain report.html "<title id=\"chart-id\">Identity status</title>" &&
	must_contain report.html "<title id=\"chart-apply\">Apply progress by wave</title>" &&
	must_contain report.html "Organisation: Example &lt;Corp&gt;" &&
	must_contain report.html "text-anchor=\"end\">bad.example.com</text>" &&
	must_contain err "j2w-report: 99 records, 2 journals, 107 findings: NOT READY (11 fail, 0 error, 16 warn)"
'

expect_success 'HTML: every finding is listed with its fix and the users it affects' '
	report_inputs &&
	expect_code 1 j2w-report -q -o r.html $ALL &&
	unwrap r.html >report.html &&
	must_contain report.html "URI-MISSING — 2 findings, 2 users affected</h3>" &&
	must_contain report.html "<b>Fix:</b> set the user&#39;s Directory URI in Unified CM" &&
	must_contain report.html "<td>Marco Rossi &lt;mrossi@example.com&gt;</td>" &&
	must_contain report.html "APPLY-FAILED — 1 finding" &&
	must_contain report.html "wave wave2: failed: no Webex user has this email" &&
	must_contain report.html "APPLY-NOT-DONE — 5 findings, 5 users affected</h3>" &&
	must_contain report.html "<b>Fix:</b> Write the name exactly as the message spells it." &&
	must_contain report.html "UDS-SRV — 1 finding"
'

expect_success 'HTML: hostile name, subject and message come out escaped' '
	report_inputs &&
	expect_code 1 j2w-report -q -o r.html $ALL &&
	must_not_contain r.html "<script" &&
	unwrap r.html >report.html &&
	must_contain report.html "<td>&lt;script&gt;alert(1)&lt;/script&gt; Patel &lt;kpatel@example.com&gt;</td>" &&
	must_contain report.html "<td>&lt;script&gt;alert(1)&lt;/script&gt;.xml:1</td>" &&
	must_contain report.html "value &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" &&
	must_not_contain report.html "<script" &&
	must_not_contain report.html "alert(1)</"
'

expect_success 'HTML: no script, no outside address, no external asset' '
	report_inputs &&
	expect_code 1 j2w-report -q -o report.html $ALL &&
	must_not_contain report.html "<script" &&
	if grep -n -i -E "https?:|//[a-z0-9]|url\(|src=|href=|@import|<link|<iframe|<object" report.html; then
		say "the page refers to something outside itself"; false
	fi &&
	must_contain report.html "@page{size:A4" &&
	must_contain report.html "@media print" &&
	must_contain report.html "Content-Security-Policy\" content=\"default-src '"'"'none'"'"'"
'

expect_success 'Markdown and CSV: golden' '
	report_inputs &&
	expect_code 1 j2w-report -q -f md --title "Example readiness" $ALL >report.md &&
	sed "/^| Input | Kind | Bytes | SHA-256 |$/,\$d" report.md >report-no-inputs.md &&
	cmp_output "$DATA/report/pipeline.md" report-no-inputs.md &&
	expect_code 1 j2w-report -q --format csv $ALL >report.csv &&
	grep -v "^provenance,INPUT," report.csv >report-no-inputs.csv &&
	cmp_output "$DATA/report/pipeline.csv" report-no-inputs.csv
'

expect_success 'stdin, and the order of inputs does not change the report' '
	report_inputs &&
	cat rec.jsonl lint.jsonl dns.jsonl hostile.jsonl wave1.jsonl |
		expect_code 1 j2w-report -q -f md --title "Example readiness" - wave3.db chat.db wave2.db >a.md &&
	expect_code 1 j2w-report -q -f md --title "Example readiness" chat.db wave2.db wave3.db dns.jsonl \
		rec.jsonl lint.jsonl hostile.jsonl wave1.jsonl >b.md &&
	sed "/^## Provenance$/,\$d" a.md >a-findings.md &&
	sed "/^## Provenance$/,\$d" b.md >b-findings.md &&
	cmp_output a-findings.md b-findings.md
'

expect_success 'only passing checks: READY, exit 0; warnings: READY WITH WARNINGS' '
	report_inputs &&
	grep "\"severity\":\"OK\"" dns.jsonl >ok.jsonl &&
	expect_code 0 j2w-report -q -f md ok.jsonl >ok.md &&
	must_contain ok.md "**Verdict: READY** — 0 FAIL, 0 ERROR, 0 WARN, 0 INFO, 42 OK" &&
	expect_code 0 j2w-report -q -f md wave1.jsonl wave3.db >w.md &&
	must_contain w.md "**Verdict: READY WITH WARNINGS**" &&
	expect_code 1 j2w-report -q --fail-on warn -f md wave3.db >/dev/null
'

expect_success 'a chat archive: its counts, and an unfinished import is a WARN' '
	report_inputs &&
	expect_code 0 j2w-report -q -o a.html chat.db &&
	unwrap a.html >r.html &&
	must_contain r.html "<h2 id=\"archive\">Persistent chat archive</h2>" &&
	must_contain r.html "<td>chat.db</td><td class=\"n\">5</td><td class=\"n\">24</td><td class=\"n\">11</td><td class=\"n\">26</td>" &&
	must_contain r.html "<strong>Verdict: READY</strong>" &&
	python3 -I -S -c "import sqlite3; c = sqlite3.connect(\"chat.db\"); c.execute(\"UPDATE manifest SET status = '"'"'interrupted'"'"'\"); c.commit()" &&
	expect_code 0 j2w-report -q -f md chat.db >r.md &&
	must_contain r.md "**Verdict: READY WITH WARNINGS**" &&
	must_contain r.md "- chat.db: the last import into the archive ended '"'"'interrupted'"'"'"
'

expect_success 'unreadable lines are listed as INPUT, the report is written, exit 3' '
	report_inputs &&
	{ head -n 3 lint.jsonl && echo "{not json" && echo "{\"who\":\"knows\"}"; } >mixed.jsonl &&
	expect_code 3 j2w-report -o a.html mixed.jsonl 2>err &&
	unwrap a.html >r.html &&
	must_contain r.html "INPUT — 2 findings" &&
	must_contain r.html "<td>mixed.jsonl:4</td>" &&
	must_contain r.html "a record of no shape the report knows" &&
	must_contain err "j2w-report: '"'"'mixed.jsonl'"'"': 2 records could not be read (listed in the report as INPUT)"
'

expect_success 'an SQLite file that is not a journal: INPUT, exit 3' '
	python3 -I -S -c "import sqlite3; sqlite3.connect(\"other.db\").execute(\"CREATE TABLE t (x)\")" &&
	expect_code 3 j2w-report -o a.html other.db 2>err &&
	unwrap a.html >r.html &&
	must_contain err "other.db" &&
	must_contain r.html "neither a j2w-apply journal nor a j2w-chat-archive this report knows"
'

expect_success 'no input at all is not an error: exit 0, no report (as every command does)' '
	j2w-report -f md </dev/null >r.md 2>err &&
	must_be_empty r.md &&
	must_contain err "j2w-report: 0 records, 0 journals: nothing to report"
'

expect_success 'a missing input: exit 2 as in every command, no report left behind; usage errors exit 2' '
	expect_code 2 j2w-report -o r.html nothere.jsonl 2>err &&
	must_contain err "j2w-report: cannot open '"'"'nothere.jsonl'"'"': No such file or directory" &&
	test ! -e r.html &&
	expect_code 2 j2w-report --format xml 2>/dev/null </dev/null &&
	expect_code 2 j2w-report --fail-on OK 2>/dev/null </dev/null &&
	j2w-report --help >h && must_contain h "usage: j2w-report"
'

finish
