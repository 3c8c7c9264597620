#!/bin/sh
# j2w-report says what it was made from, so that an auditor can sign what they
# read: every input (name, size, SHA-256 of the bytes read), the j2w version and
# the time it was made (UTC), in HTML, Markdown and CSV. SOURCE_DATE_EPOCH fixes
# the time, and with it the report is the same byte for byte.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-report.sh"

VERSION=$(j2w-report --version)
export VERSION

# inputs: three files the test makes, and their expected provenance lines
inputs() {
	printf '%s\n' '{"tool":"j2w-dns-check","check":"UDS-SRV","severity":"OK","subject":"_cisco-uds._tcp.example.com","view":"internal"}' >dns.jsonl &&
	printf '%s\n' '{"userid":"ann","webex_email":"ann@example.com","status":"ok","findings":[]}' \
		'{"userid":"bob","webex_email":"bob@example.com","status":"ok","findings":[]}' >rec.jsonl &&
	python3 -I -S -c 'import sqlite3, sys
c = sqlite3.connect("wave2.db"); c.executescript(open(sys.argv[1]).read()); c.close()' \
		"$DATA/report/wave2.sql"
}
# sum FILE: its SHA-256 in hex
sum() { sha256sum "$1" | cut -d" " -f1; }
size() { wc -c <"$1" | tr -d " "; }

expect_success 'HTML: every input with size and SHA-256, the version and the time, UTC' '
	inputs &&
	SOURCE_DATE_EPOCH=1763717400 expect_code 1 j2w-report -q -o a.html rec.jsonl dns.jsonl wave2.db &&
	unwrap a.html >r.html &&
	must_contain r.html "Generated 2025-11-21 09:30:00 UTC by $VERSION" &&
	must_contain r.html "<h2 id=\"provenance\">Provenance</h2>" &&
	must_contain r.html "Made by j2w-report, $VERSION, on 2025-11-21 09:30:00 UTC, from 3 input files" &&
	must_contain r.html "<tr><td>rec.jsonl</td><td>JSON Lines, 2 records</td><td class=\"n\">$(size rec.jsonl)</td><td class=\"hash\">$(sum rec.jsonl)</td></tr>" &&
	must_contain r.html "<tr><td>dns.jsonl</td><td>JSON Lines, 1 record</td><td class=\"n\">$(size dns.jsonl)</td><td class=\"hash\">$(sum dns.jsonl)</td></tr>" &&
	must_contain r.html "<tr><td>wave2.db</td><td>j2w-apply journal</td><td class=\"n\">$(size wave2.db)</td><td class=\"hash\">$(sum wave2.db)</td></tr>"
'

expect_success 'Markdown and CSV say the same' '
	inputs &&
	expect_code 1 env SOURCE_DATE_EPOCH=1763717400 j2w-report -q -f md rec.jsonl dns.jsonl wave2.db >r.md &&
	must_contain r.md "Generated 2025-11-21 09:30:00 UTC by $VERSION" &&
	must_contain r.md "| rec.jsonl | JSON Lines, 2 records | $(size rec.jsonl) | $(sum rec.jsonl) |" &&
	must_contain r.md "| wave2.db | j2w-apply journal | $(size wave2.db) | $(sum wave2.db) |" &&
	expect_code 1 env SOURCE_DATE_EPOCH=1763717400 j2w-report -q -f csv rec.jsonl dns.jsonl wave2.db >r.csv &&
	sed -n 2p r.csv | tr -d "\r" >line2 &&
	echo "provenance,REPORT,,$VERSION,,made by j2w-report on 2025-11-21 09:30:00 UTC from 3 input files,," >expected &&
	cmp_output expected line2 &&
	must_contain r.csv "provenance,INPUT,,dns.jsonl,,\"$(size dns.jsonl) bytes, SHA-256 $(sum dns.jsonl), JSON Lines, 1 record\",," &&
	must_contain r.csv "provenance,INPUT,,wave2.db,,\"$(size wave2.db) bytes, SHA-256 $(sum wave2.db), j2w-apply journal\",,"
'

expect_success 'standard input is digested as it is read' '
	inputs &&
	cat rec.jsonl dns.jsonl >both &&
	j2w-report -q -f md <both >r.md &&
	must_contain r.md "| &lt;stdin&gt; | JSON Lines, 3 records | $(size both) | $(sum both) |"
'

expect_success 'a file the report stops reading early is still digested whole' '
	inputs &&
	{ yes "not json" | head -n 1005 && cat rec.jsonl; } >bad.jsonl &&
	expect_code 3 j2w-report -q -f md bad.jsonl >r.md &&
	must_contain r.md "| bad.jsonl | JSON Lines, 0 records | $(size bad.jsonl) | $(sum bad.jsonl) |"
'

expect_success 'SOURCE_DATE_EPOCH: the same inputs give the same report, byte for byte' '
	inputs &&
	expect_code 1 env SOURCE_DATE_EPOCH=1763717400 j2w-report -q -o a.html rec.jsonl dns.jsonl wave2.db &&
	expect_code 1 env SOURCE_DATE_EPOCH=1763717400 j2w-report -q -o b.html rec.jsonl dns.jsonl wave2.db &&
	cmp a.html b.html &&
	j2w-report -q -f md rec.jsonl >now.md &&
	must_contain now.md "Generated $(date -u +%Y-%m-%d)" &&
	SOURCE_DATE_EPOCH=soon expect_code 2 j2w-report -q rec.jsonl 2>err >/dev/null &&
	must_contain err "j2w-report: SOURCE_DATE_EPOCH wants seconds since 1970-01-01 UTC, not '"'"'soon'"'"'"
'

expect_success 'a journal with a write-ahead log SQLite left behind: both are listed' '
	python3 -I -S -c "import os, sqlite3, sys
c = sqlite3.connect(\"w.db\"); c.execute(\"PRAGMA journal_mode=WAL\")
c.executescript(open(sys.argv[1]).read()); os._exit(0)" "$DATA/report/wave2.sql" &&
	test -s w.db-wal &&
	cp w.db-wal wal.copy &&
	expect_code 1 j2w-report -q -f md w.db >r.md &&
	must_contain r.md "| w.db | j2w-apply journal |" &&
	must_contain r.md "| w.db-wal | SQLite write-ahead log of the file before | $(size wal.copy) | $(sum wal.copy) |" &&
	must_contain r.md "| w | 4 | 1 | 1 | 0 | 0 |"
'

finish
