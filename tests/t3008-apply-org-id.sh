#!/bin/sh
# j2w-apply for a partner administrator: --org-id (or WEBEX_ORG_ID) puts orgId
# on every request, the journal records the org, and a resume or rollback
# cannot go to another org (exit 2).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

ORG=Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9jdXN0b21lcg

# without_org NAME [FROM]: logged requests without orgId=$ORG (from log line FROM on)
without_org() {
	echo $(( $(ch_requests "$1" "" "${2:-1}") - $(ch_requests "$1" "[?&]orgId=$ORG" "${2:-1}") ))
}

expect_success 'a partner without --org-id reaches its own org: nothing is changed' '
	make_token token &&
	start_ch_sim p1 --synthetic 20 --token-file token --org-id "$ORG" &&
	ch_rows 20 >rows.csv &&
	expect_code 3 j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "no UC Manager profile is named '\''EMEA'\'' in Control Hub" &&
	test "$(writes p1)" = 0 &&
	test ! -e j.db
'

expect_success '--org-id: orgId on every request (profiles, people, calling behaviour) and in the journal' '
	make_token token &&
	start_ch_sim p2 --synthetic 80 --token-file token --org-id "$ORG" &&
	ch_rows 80 >rows.csv &&
	j2w-apply --token-file token --org-id "$ORG" --commit --journal j.db --verify rows.csv \
		>out 2>err &&
	must_contain err "80 users: 80 updated, 0 unchanged, 0 failed" &&
	ch_right 80 p2 &&
	test "$(without_org p2)" = 0 &&
	test "$(ch_requests p2 "^GET /v1/people\\?max=")" = 1 &&
	test "$(ch_requests p2 "^PUT ")" = 80 &&
	sqlite3 j.db "SELECT value FROM meta WHERE key = '\''org_id'\''" >org &&
	test "$(cat org)" = "$ORG" &&
	python3 -c "import json, sys; sys.exit(any(json.loads(l)[\"org_id\"] != \"$ORG\" for l in open(\"$TRASH/p2.writes\")))" &&

	expect_code 2 j2w-apply --token-file token --org-id OTHER --resume j.db --commit >o 2>e &&
	must_contain e "journal '\''j.db'\'' was made for org '\''$ORG'\'', not '\''OTHER'\'' (give --org-id $ORG)" &&
	WEBEX_ORG_ID=OTHER expect_code 2 j2w-apply --token-file token --rollback j.db >o 2>e &&
	must_contain e "was made for org '\''$ORG'\''" &&

	mark=$(($(ch_lines p2) + 1)) &&
	j2w-apply --token-file token --rollback j.db --commit >o 2>e &&
	must_contain e "80 users: 80 restored, 0 unchanged, 0 failed" &&
	test "$(without_org p2 $mark)" = 0 &&
	test "$(writes p2)" = 160
'

expect_success 'WEBEX_ORG_ID works as --org-id; a journal of the own org refuses another' '
	make_token token &&
	start_ch_sim p3 --synthetic 10 --token-file token --org-id "$ORG" &&
	ch_rows 10 >rows.csv &&
	WEBEX_ORG_ID=$ORG j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "10 users: 10 updated, 0 unchanged, 0 failed" &&
	test "$(without_org p3)" = 0 &&
	start_ch_sim p4 --synthetic 10 --token-file token &&
	j2w-apply --token-file token --commit --journal own.db rows.csv >out 2>err &&
	expect_code 2 j2w-apply --token-file token --org-id "$ORG" --resume own.db --commit >o 2>e &&
	must_contain e "journal '\''own.db'\'' was made for the token'\''s own org, not org '\''$ORG'\''"
'

expect_success 'next-page links that lose orgId (a Webex defect) get it back' '
	make_token token &&
	start_ch_sim p5 --synthetic 90 --token-file token --org-id "$ORG" --people-max 25 \
		--next-drops-params &&
	ch_rows 90 >rows.csv &&
	j2w-apply --token-file token --org-id "$ORG" rows.csv >out 2>err &&
	must_contain err "90 users: 90 to update, 0 unchanged, 0 failed" &&
	test "$(ch_requests p5 "^GET /v1/people\\?(max|.*[^a-z]max)=25.*cursor=")" = 3 &&
	test "$(ch_requests p5 "people\\?email=")" = 0 &&
	test "$(without_org p5)" = 0
'

finish
