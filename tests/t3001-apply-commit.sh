#!/bin/sh
# j2w-apply --commit, a re-run that writes nothing, and --rollback back to the
# start, asserted from the simulator's state and its log of every write.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

ORG=$SAMPLES/controlhub/org.json
RULES=$SAMPLES/waves/wave1.rules

expect_success 'commit, re-run, rollback: the org ends where it started' '
	make_token token &&
	start_ch_sim c1 --org "$ORG" --token-file token &&
	grep -v aoconnor "$DATA/apply/users.jsonl" >users.jsonl &&
	ch_state >state.start &&
	j2w-apply --token-file token --rules "$RULES" --commit --journal wave1.db --verify \
		users.jsonl >out 2>err &&
	must_contain err "8 users: 4 updated, 4 unchanged, 0 failed" &&
	test "$(writes c1)" = 4 &&
	ch_state >state.after &&
	cmp_output "$DATA/apply/state-after-wave1.tsv" state.after &&
	test "$(grep -c "\"result\":\"verified\"" out)" = 4 &&

	j2w-apply --token-file token --rules "$RULES" --commit --journal again.db \
		users.jsonl >out2 2>err2 &&
	must_contain err2 "8 users: 0 updated, 8 unchanged, 0 failed" &&
	test "$(writes c1)" = 4 &&

	j2w-apply --token-file token --rollback wave1.db >plan 2>err3 &&
	must_contain err3 "4 users: 4 to restore, 0 unchanged, 0 failed" &&
	test "$(writes c1)" = 4 &&
	j2w-apply --token-file token --rollback wave1.db --commit --verify >out4 2>err4 &&
	must_contain err4 "4 users: 4 restored, 0 unchanged, 0 failed" &&
	ch_state >state.end &&
	cmp_output state.start state.end &&
	test "$(writes c1)" = 8 &&

	j2w-apply --token-file token --rollback wave1.db --commit >out5 2>err5 &&
	must_contain err5 "0 users: 0 restored" &&
	test "$(writes c1)" = 8 &&
	twice_written c1 >twice &&
	test "$(wc -l <twice)" = 4
'

expect_success 'the journal holds before, desired, after, status and trackingId per user' '
	make_token token &&
	start_ch_sim c2 --org "$ORG" --token-file token &&
	j2w-apply --token-file token --commit --journal j.db "$SAMPLES/waves/wave1.csv" >out 2>err &&
	sqlite3 j.db "SELECT email, desired_behavior, coalesce(desired_profile, '\''-'\''), state,
		before_behavior, coalesce(after_behavior, '\''-'\''), coalesce(http_status, 0), attempts
		FROM users ORDER BY email" >rows &&
	cat >expected <<-\EOF &&
	alice@example.com|NATIVE_SIP_CALL_TO_UCM|UC Profile US|unchanged|NATIVE_SIP_CALL_TO_UCM|NATIVE_SIP_CALL_TO_UCM|200|0
	gthomas@example.com|CALL_WITH_APP_REGISTERED_FOR_CISCOTEL|-|unchanged|CALL_WITH_APP_REGISTERED_FOR_CISCOTEL|CALL_WITH_APP_REGISTERED_FOR_CISCOTEL|200|0
	j.smith@emea.example.com|NATIVE_SIP_CALL_TO_UCM|EMEA|applied|default|NATIVE_SIP_CALL_TO_UCM|204|1
	wwang@example.com|NATIVE_WEBEX_TEAMS_CALLING|-|applied|default|NATIVE_WEBEX_TEAMS_CALLING|204|1
	EOF
	cmp_output expected rows &&
	sqlite3 j.db "SELECT count(*) FROM users WHERE tracking_id LIKE '\''ROUTER_%'\''" >n &&
	test "$(cat n)" = 4 &&
	sqlite3 j.db "PRAGMA journal_mode" >mode && test "$(cat mode)" = wal &&
	sqlite3 j.db "SELECT kind, exit_status FROM runs" >runs &&
	test "$(cat runs)" = "commit|0" &&
	test "$(stat -c %a j.db)" = 600 &&
	expect_code 2 j2w-apply --token-file token --resume j.db --api http://127.0.0.1:9/v1 2>err &&
	must_contain err "journal '\''j.db'\'' was made against '\''$WEBEX_API'\'', not '\''http://127.0.0.1:9/v1'\''"
'

expect_success 'Jabber (CISCOTEL): the server clears the profile, and that still counts as done' '
	make_token token &&
	start_ch_sim c3 --org "$ORG" --token-file token &&
	printf "email,calling_behavior,uc_manager_profile\nwwang@example.com,jabber,EMEA\n" >rows.csv &&
	j2w-apply --token-file token --commit --journal j.db --verify rows.csv >out 2>err &&
	must_contain out "\"result\":\"verified\"" &&
	j2w-apply --token-file token --commit --journal j2.db --verify rows.csv >out2 2>err2 &&
	must_contain out2 "\"action\":\"skip\"" &&
	test "$(writes c3)" = 1
'

expect_success 'rollback leaves alone a user someone changed since, unless --force' '
	make_token token &&
	start_ch_sim c4 --org "$ORG" --token-file token &&
	printf "email,calling_behavior\nwwang@example.com,ucm\n" >rows.csv &&
	j2w-apply --token-file token -q --commit --journal j.db rows.csv >out &&
	printf "email,calling_behavior\nwwang@example.com,webex\n" >other.csv &&
	j2w-apply --token-file token -q --commit --journal other.db other.csv >out &&
	expect_code 1 j2w-apply --token-file token --rollback j.db --commit >out 2>err &&
	must_contain out "\"action\":\"conflict\"" &&
	must_contain out "changed by someone else since j2w-apply wrote it (now webex)" &&
	must_contain err "1 changed by others" &&
	test "$(writes c4)" = 2 &&
	j2w-apply --token-file token --rollback j.db --commit --force >out 2>err &&
	must_contain out "\"result\":\"restored\"" &&
	ch_state >state && must_contain state "wwang@example.com	default	-"
'

expect_success 'CSV output of a commit is spreadsheet-safe' '
	make_token token &&
	start_ch_sim c5 --org "$ORG" --token-file token &&
	j2w-apply --token-file token -f csv --commit --journal j.db "$SAMPLES/waves/wave1.csv" >out 2>err &&
	head -n 1 out >h &&
	printf "email,current_behavior,current_profile,desired_behavior,desired_profile,action,result,http_status,tracking_id,error\r\n" >eh &&
	cmp_output eh h &&
	test "$(wc -l <out)" = 5
'

finish
