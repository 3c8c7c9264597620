#!/bin/sh
# j2w-apply when a full administrator restricts Call Settings API access (every
# calling behaviour request is 403): the run stops at once (exit 4) naming the
# scopes and the setting, fails nobody, and --resume finishes once it is lifted.
# A 403 about one user fails that user and the run goes on.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

states() {
	sqlite3 "$1" "SELECT state, count(*) FROM users GROUP BY state ORDER BY state"
}

expect_success 'the whole org restricted from the start: exit 4 at once, scopes named, nobody failed' '
	make_token token &&
	start_ch_sim f1 --synthetic 400 --token-file token --forbid-calling-after 0 \
		--forbid-calling-for 4 &&
	ch_rows 400 >rows.csv &&
	expect_code 4 j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err " users: 0 updated, 0 unchanged, 0 failed, " &&
	must_contain err "users in a row with the same answer (HTTP 403: Access Forbidden." &&
	must_contain err "spark-admin:people_read, spark-admin:people_write and spark-admin:telephony_config_read" &&
	must_contain err "Call Settings API access is not restricted in Control Hub" &&
	must_contain err "continue with --resume j.db once it is fixed" &&
	test "$(ch_requests f1)" -lt 30 &&
	test "$(writes f1)" = 0 &&
	states j.db >st && test "$(cat st)" = "pending|400" &&
	must_not_contain out "\"result\":\"failed\"" &&
	sleep 5 &&
	j2w-apply --token-file token --resume j.db --commit >out2 2>err2 &&
	must_contain err2 "400 users: 400 updated, 0 unchanged, 0 failed" &&
	ch_right 400 f1 &&
	test "$(writes f1)" = 400
'

expect_success 'restricted mid-run: users done stay done, the rest stay to do, resume finishes' '
	make_token token &&
	start_ch_sim f2 --synthetic 100 --token-file token --forbid-calling-after 130 \
		--forbid-calling-for 3 &&
	ch_rows 100 >rows.csv &&
	expect_code 4 j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err ", 0 failed, " &&
	states j.db >st &&
	must_not_contain st "failed" &&
	sqlite3 j.db "SELECT count(*) FROM users WHERE state = '\''applied'\''" >done &&
	test "$(cat done)" -gt 10 && test "$(cat done)" -lt 100 &&
	test "$(writes f2)" = "$(cat done)" &&
	sleep 4 &&
	j2w-apply --token-file token --resume j.db --commit >out2 2>err2 &&
	must_contain err2 ", 0 failed" &&
	ch_right 100 f2 &&
	test "$(writes f2)" = 100
'

expect_success 'a 403 about single users (even three in a row) fails them, and the run goes on' '
	make_token token &&
	start_ch_sim f3 --synthetic 60 --token-file token \
		--forbid-email user000010@bench.example.com --forbid-email user000011@bench.example.com \
		--forbid-email user000012@bench.example.com &&
	ch_rows 60 >rows.csv &&
	expect_code 1 j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "60 users: 57 updated, 0 unchanged, 3 failed" &&
	sqlite3 j.db "SELECT email, state, http_status FROM users WHERE state != '\''applied'\'' ORDER BY email" >bad &&
	cat >want <<-\EOF &&
	user000010@bench.example.com|failed|403
	user000011@bench.example.com|failed|403
	user000012@bench.example.com|failed|403
	EOF
	cmp_output want bad &&
	test "$(writes f3)" = 57
'

expect_success 'the last users of a run with a 403 each: a read of someone answered before tells' '
	make_token token &&
	start_ch_sim f5 --synthetic 30 --token-file token \
		--forbid-email user000027@bench.example.com --forbid-email user000028@bench.example.com \
		--forbid-email user000029@bench.example.com &&
	ch_rows 30 >rows.csv &&
	expect_code 1 j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "30 users: 27 updated, 0 unchanged, 3 failed" &&
	test "$(writes f5)" = 27
'

expect_success 'a 403 on the profiles names the scopes; nothing is changed' '
	make_token token &&
	start_ch_sim f4 --synthetic 3 --token-file token --org-id ORG-A &&
	ch_rows 3 >rows.csv &&
	expect_code 4 j2w-apply --token-file token --org-id ORG-B rows.csv >out 2>err &&
	must_contain err "cannot read the UC Manager profiles" &&
	must_contain err "HTTP 403" &&
	must_contain err "the token needs the scopes spark-admin:people_read" &&
	test "$(writes f4)" = 0
'

finish
