#!/bin/sh
# Every fix the report shows is written for an administrator: what to change,
# and where. No placeholder (JOURNAL), no field or option names where a place
# will do, no developer words ("suggest", "evidence", "feed"); every DNS check
# has a documented fix; a check that passed shows none. (jabber-config's fixes
# are being rewritten apart and are not checked here.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-report.sh"

# fixes CSV: the fix column of a report CSV, one per line, provenance rows left out
fixes() {
	python3 -I -S -c 'import csv, sys
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")):
    if row["area"] != "provenance" and row["area"] != "jabber-config":
        print(row["severity"], row["check"], row["fix"], sep="\t")' "$1"
}
BANNED='JOURNAL|suggest|evidence|feed |IM&P|RFC [0-9]|FQDN|--ldap-filter/|canonical|webex_email|directory_uri|mailid'
export BANNED

expect_success 'every DNS check without a fix of its own gets a documented one, in plain words' '
	for id in $(grep -o "^### [A-Z0-9-]*" "$TOP/docs/checks/dns-check.md" | cut -c5-); do
		printf "{\"tool\":\"j2w-dns-check\",\"check\":\"%s\",\"severity\":\"FAIL\",\"subject\":\"x\"}\n" "$id"
	done >dns.jsonl &&
	test "$(wc -l <dns.jsonl)" -ge 21 &&
	expect_code 1 j2w-report -q -f csv dns.jsonl >r.csv &&
	fixes r.csv >fixes.txt &&
	if awk -F"\t" "\$3 == \"\"" fixes.txt | grep .; then say "checks without a fix"; false; fi &&
	if grep -E "$BANNED" fixes.txt; then say "developer words in a fix"; false; fi
'

expect_success 'the sample org: reconcile and apply fixes say what to change and where' '
	j2w-users -q --bat "$SAMPLES/cucm/cucm-a/export.tar" --bat "$SAMPLES/cucm/cucm-b/export.tar" \
		-o users.jsonl &&
	{ j2w-reconcile -q -s userid -d example.com -w example.com -o rec.jsonl users.jsonl; [ $? -le 1 ]; } &&
	python3 -I -S -c "import sqlite3, sys
c = sqlite3.connect(\"wave3.db\"); c.executescript(open(sys.argv[1]).read()); c.close()" \
		"$DATA/report/wave3.sql" &&
	cp "$DATA/report/wave1.jsonl" . &&
	expect_code 1 j2w-report -q -f csv rec.jsonl wave1.jsonl wave3.db >r.csv &&
	fixes r.csv >fixes.txt &&
	if grep -E "$BANNED" fixes.txt; then say "developer words in a fix"; false; fi &&
	must_contain fixes.txt "URI-MISSING	set the user'"'"'s Directory URI in Unified CM" &&
	must_contain fixes.txt "JID-AT-IN-LOCALPART	in Unified CM'"'"'s LDAP directory settings, map the user ID from sAMAccountName instead of mail" &&
	must_contain fixes.txt "APPLY-NOT-DONE	finish the wave: run j2w-apply --resume wave3.db --commit"
'

expect_success 'a check that passed shows no fix' '
	printf "%s\n" "{\"tool\":\"j2w-dns-check\",\"check\":\"UDS-LEAK\",\"severity\":\"OK\",\"subject\":\"_cisco-uds._tcp.example.com\",\"view\":\"external\",\"message\":\"not visible outside\"}" \
		"{\"tool\":\"j2w-dns-check\",\"check\":\"UDS-LEAK\",\"severity\":\"FAIL\",\"subject\":\"_cisco-uds._tcp.example.net\",\"view\":\"external\",\"message\":\"visible outside\"}" >d.jsonl &&
	expect_code 1 j2w-report -q -f csv d.jsonl >r.csv &&
	must_contain r.csv "dns-check,UDS-LEAK,OK,_cisco-uds._tcp.example.com,external,not visible outside,," &&
	must_contain r.csv "dns-check,UDS-LEAK,FAIL,_cisco-uds._tcp.example.net,external,visible outside,remove the _cisco-uds._tcp record from the public zone; keep it only in the internal view of a split DNS.,"
'

finish
