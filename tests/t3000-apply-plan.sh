#!/bin/sh
# j2w-apply --plan against the seeded sample org: what a migration engineer sees
# before anything changes, input errors, and the refusals that keep --commit safe.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

ORG=$SAMPLES/controlhub/org.json
RULES=$SAMPLES/waves/wave1.rules

expect_success 'a rules plan shows current, desired and action per user, and writes nothing' '
	make_token token &&
	start_ch_sim plan1 --org "$ORG" --token-file token &&
	expect_code 1 j2w-apply --token-file token --rules "$RULES" -f tsv \
		"$DATA/apply/users.jsonl" >out 2>err &&
	plan_table out >got &&
	cmp_output "$DATA/apply/plan-wave1.tsv" got &&
	must_contain err "kpatel@example.com'\'' is blocked by j2w-reconcile" &&
	must_contain err "j2w-apply: 9 users: 4 to update, 4 unchanged, 1 failed; 1 ignored by a rule; 1 blocked" &&
	must_contain err "(plan only: nothing was changed; --commit applies)" &&
	test "$(writes plan1)" = 0
'

expect_success 'the plan is JSON Lines by default, one record per user' '
	make_token token &&
	start_ch_sim plan2 --org "$ORG" --token-file token &&
	j2w-apply --token-file token "$SAMPLES/waves/wave1.csv" >out 2>err &&
	test "$(wc -l <out)" = 4 &&
	python3 - out <<-\PY
	import json, sys
	recs = {r["email"]: r for r in map(json.loads, open(sys.argv[1]))}
	a = recs["j.smith@emea.example.com"]
	assert a["current"] == {"behavior": None, "profile": None}, a
	assert a["desired"] == {"behavior": "NATIVE_SIP_CALL_TO_UCM", "profile": "EMEA"}, a
	assert a["action"] == "update" and a["result"] == "planned", a
	assert recs["alice@example.com"]["action"] == "skip"
	assert recs["gthomas@example.com"]["result"] == "unchanged"
	assert all(r["tracking_id"].startswith("ROUTER_") for r in recs.values())
	PY
'

expect_success 'every request carries a TrackingID of its own' '
	make_token token &&
	start_ch_sim plan3 --org "$ORG" --token-file token &&
	j2w-apply --token-file token -q "$SAMPLES/waves/wave1.csv" >out &&
	python3 - "$TRASH/plan3.log" <<-\PY
	import json, re, sys
	ids = [json.loads(l)["tracking_id"] for l in open(sys.argv[1])]
	assert len(ids) >= 9, ids
	assert all(re.fullmatch(r"J2W_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", i) for i in ids), ids
	assert len(set(ids)) == len(ids)
	PY
'

expect_success 'bad rows are reported with file:line; the plan is exit 3 and --commit changes nothing' '
	make_token token &&
	start_ch_sim bad --org "$ORG" --token-file token &&
	cat >rows.csv <<-\EOF &&
	email,calling_behavior,uc_manager_profile
	alice@example.com,ucm,UC Profile US
	bob@example.com,carrier-pigeon,
	not-an-email,ucm,
	wwang@example.com,webex,No Such Profile
	ALICE@example.com,jabber,
	sbrown@example.com,,
	EOF
	expect_code 3 j2w-apply --token-file token -q rows.csv >out 2>err &&
	must_contain err "rows.csv:3: unknown calling_behavior '\''carrier-pigeon'\''" &&
	must_contain err "rows.csv:4: '\''not-an-email'\'' is not an email address" &&
	must_contain err "rows.csv:5: no UC Manager profile is named '\''No Such Profile'\'' in Control Hub" &&
	must_contain err "rows.csv:6: '\''ALICE@example.com'\'' is listed twice with different wishes (first at rows.csv:2)" &&
	must_contain err "rows.csv:7: no calling_behavior" &&
	test "$(wc -l <out)" = 6 &&
	expect_code 3 j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "5 input rows cannot be used (see above): nothing was changed" &&
	must_be_empty out &&
	test ! -e j.db &&
	test "$(writes bad)" = 0
'

expect_success 'the same user twice with the same wish (two clusters) is one user' '
	make_token token &&
	start_ch_sim twice --org "$ORG" --token-file token &&
	printf "email,calling_behavior,uc_manager_profile\nwwang@example.com,ucm,EMEA\nWWang@example.com,NATIVE_SIP_CALL_TO_UCM,EMEA\n" >rows.csv &&
	j2w-apply --token-file token rows.csv >out 2>err &&
	test "$(wc -l <out)" = 1 &&
	must_contain err "rows.csv:3: '\''WWang@example.com'\'' is listed again (first at rows.csv:2): done once" &&
	must_contain err "1 user: 1 to update, 0 unchanged, 0 failed; 1 listed again"
'

expect_success 'a user Webex does not know fails alone; the rest go on (exit 1)' '
	make_token token &&
	start_ch_sim missing --org "$ORG" --token-file token &&
	printf "{\"email\":\"nobody@example.com\",\"calling_behavior\":\"ucm\"}\n{\"email\":\"wwang@example.com\",\"calling_behavior\":\"ucm\"}\n" >rows.jsonl &&
	expect_code 1 j2w-apply --token-file token rows.jsonl >out 2>err &&
	must_contain out "\"email\":\"nobody@example.com\"" &&
	must_contain out "\"error\":\"no Webex user has this email\"" &&
	must_contain out "\"email\":\"wwang@example.com\",\"person_id\"" &&
	must_contain err "2 users: 1 to update, 0 unchanged, 1 failed"
'

expect_success 'usage errors are exit 2 and name the fix' '
	make_token token &&
	expect_code 2 j2w-apply --token-file token --commit rows.csv 2>err &&
	must_contain err "--commit needs --journal FILE" &&
	expect_code 2 j2w-apply --token-file token --journal j.db rows.csv 2>err &&
	must_contain err "--journal records changes: it goes with --commit" &&
	expect_code 2 j2w-apply --token-file token --resume j.db rows.csv 2>err &&
	expect_code 2 j2w-apply --token-file token --plan --commit 2>err &&
	expect_code 2 j2w-apply --token-file token --concurrency 0 2>err &&
	expect_code 2 j2w-apply --token-file token --max-rate fast 2>err &&
	expect_code 2 j2w-apply </dev/null 2>err &&
	must_contain err "no Webex API token" &&
	chmod 644 token &&
	expect_code 2 j2w-apply --token-file token </dev/null 2>err &&
	must_contain err "readable by group or others" &&
	expect_code 2 j2w-apply --token-file token --rollback no-such.db 2>err
'

expect_success 'an existing journal is never overwritten' '
	make_token token &&
	start_ch_sim exists --org "$ORG" --token-file token &&
	echo keep >j.db &&
	expect_code 2 j2w-apply --token-file token --commit --journal j.db "$SAMPLES/waves/wave1.csv" 2>err &&
	must_contain err "journal '\''j.db'\'' already exists: continue it with --resume" &&
	test "$(cat j.db)" = keep &&
	test "$(writes exists)" = 0
'

expect_success 'a refused token is exit 4 with a clear message' '
	make_token token && make_token other &&
	start_ch_sim badtok --org "$ORG" --token-file other &&
	expect_code 4 j2w-apply --token-file token "$SAMPLES/waves/wave1.csv" >out 2>err &&
	must_contain err "refused the token (HTTP 401): it is wrong or has expired" &&
	must_be_empty out
'

expect_success 'rules errors name the file and line' '
	make_token token &&
	printf "department=Sales -> ucm\nemail=*@x -> teleport\n" >bad.rules &&
	expect_code 3 j2w-apply --token-file token --rules bad.rules </dev/null 2>err &&
	must_contain err "bad.rules:2: unknown behaviour"
'

finish
