#!/bin/sh
# j2w-apply against a misbehaving Control Hub: a rate limit (429 + Retry-After),
# 10% injected 503s, 423 locks, dropped connections, slow answers, paging.
# Every user must end right, and nobody be written twice.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

rows() {
	echo "email,calling_behavior,uc_manager_profile"
	i=0
	while [ $i -lt "$1" ]; do
		printf 'user%06d@bench.example.com,%s,EMEA\n' $i "${2:-ucm}"
		i=$((i + 1))
	done
}

all_right() {
	ch_state >state &&
	test "$(grep -c "	NATIVE_SIP_CALL_TO_UCM	EMEA$" state)" = "$1" &&
	twice_written "$2" >twice && must_be_empty twice
}

expect_success 'a rate limit: 429s are waited out, no user fails, the pace is learnt' '
	make_token token &&
	start_ch_sim r1 --synthetic 150 --token-file token --rate 100 --burst 20 --retry-after 1 &&
	rows 150 >rows.csv &&
	j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "150 users: 150 updated, 0 unchanged, 0 failed" &&
	grep -q "[1-9][0-9]* answered 429" err &&
	all_right 150 r1
'

expect_success 'with --max-rate under the limit, no 429 at all' '
	make_token token &&
	start_ch_sim r2 --synthetic 60 --token-file token --rate 50 &&
	rows 60 >rows.csv &&
	j2w-apply --token-file token --max-rate 40 --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "60 users: 60 updated, 0 unchanged, 0 failed; 122 requests, 0 answered 429" &&
	all_right 60 r2
'

expect_success '1,000 users with 10% injected 503s all end right' '
	make_token token &&
	start_ch_sim f1 --synthetic 1000 --token-file token --fail-rate 0.1 &&
	rows 1000 >rows.csv &&
	j2w-apply --token-file token -n 16 --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "1000 users: 1000 updated, 0 unchanged, 0 failed" &&
	all_right 1000 f1 &&
	sqlite3 j.db "SELECT count(*) FROM users WHERE state = '\''applied'\''" >n &&
	test "$(cat n)" = 1000
'

expect_success '423 locks, dropped connections and slow answers: all users right' '
	make_token token &&
	start_ch_sim f2 --synthetic 40 --token-file token --locked-rate 0.3 --drop-rate 0.05 \
		--slow-rate 0.05 --slow-ms 300 &&
	rows 40 >rows.csv &&
	j2w-apply --token-file token --commit --journal j.db --verify rows.csv >out 2>err &&
	must_contain err "40 users: 40 updated, 0 unchanged, 0 failed" &&
	test "$(grep -c "\"result\":\"verified\"" out)" = 40 &&
	all_right 40 f2
'

expect_success 'a 5xx that never ends: an outage, exit 4 naming the status' '
	make_token token &&
	start_ch_sim f3 --synthetic 3 --token-file token --fail-rate 1 --fail-status 502 &&
	rows 3 >rows.csv &&
	expect_code 4 j2w-apply --token-file token --retries 2 --outage-after 2 rows.csv >out 2>err &&
	must_contain err "cannot read the UC Manager profiles: the Webex API answered nothing for" &&
	must_contain err "HTTP 502"
'

expect_success 'other 4xx fail one user and the run goes on' '
	make_token token &&
	start_ch_sim f4 --org "$SAMPLES/controlhub/org.json" --token-file token &&
	printf "{\"email\":\"wwang@example.com\",\"calling_behavior\":\"ucm\"}\n{\"email\":\"nobody@example.com\",\"calling_behavior\":\"ucm\"}\n" >rows.jsonl &&
	expect_code 1 j2w-apply --token-file token --commit --journal j.db rows.jsonl >out 2>err &&
	must_contain err "2 users: 1 updated, 0 unchanged, 1 failed" &&
	sqlite3 j.db "SELECT email, state, coalesce(error, '\''-'\'') FROM users ORDER BY seq" >rows &&
	must_contain rows "nobody@example.com|failed|no Webex user has this email" &&
	must_contain rows "wwang@example.com|applied|-"
'

expect_success 'profiles are read through every Link rel=next page' '
	make_token token &&
	start_ch_sim p1 --synthetic 2 --token-file token --profile-page 1 &&
	rows 2 >rows.csv &&
	j2w-apply --token-file token rows.csv >out 2>err &&
	must_contain err "2 users: 2 to update" &&
	test "$(grep -c callingProfiles "$TRASH/p1.log")" = 3
'

finish
