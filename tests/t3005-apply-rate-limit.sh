#!/bin/sh
# j2w-apply against a rate limit with a small burst (a token bucket in the
# simulator): a 429 never fails a user, the pace is learnt so that 429s stay
# rare even with many requests in flight, and nobody is written twice.
# The bounds on time and on 429s are generous: they catch a storm, not jitter.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

# share429 NAME: 429 answers per hundred requests in the simulator's log
share429() {
	echo $(( $(ch_requests "$1" " 429$") * 100 / $(ch_requests "$1") ))
}

expect_success 'the 429 storm of the trials (burst of 2, -n 32): nobody fails, 429s stay rare' '
	make_token token &&
	start_ch_sim s1 --synthetic 120 --token-file token --rate 25 --burst 2 --retry-after 1 &&
	ch_rows 120 >rows.csv &&
	t0=$(date +%s) &&
	j2w-apply --token-file token -n 32 --commit --journal j.db rows.csv >out 2>err &&
	test "$(seconds_since $t0)" -lt 50 &&
	must_contain err "120 users: 120 updated, 0 unchanged, 0 failed" &&
	ch_right 120 s1 &&
	test "$(ch_requests s1)" -lt 320 &&
	test "$(share429 s1)" -lt 15 &&
	sqlite3 j.db "SELECT count(*) FROM users WHERE state = '\''applied'\''" >n &&
	test "$(cat n)" = 120
'

expect_success 'the default window against the same limit: nobody fails, 429s stay rare' '
	make_token token &&
	start_ch_sim s2 --synthetic 80 --token-file token --rate 25 --burst 2 --retry-after 1 &&
	ch_rows 80 >rows.csv &&
	t0=$(date +%s) &&
	j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	test "$(seconds_since $t0)" -lt 40 &&
	must_contain err "80 users: 80 updated, 0 unchanged, 0 failed" &&
	ch_right 80 s2 &&
	test "$(share429 s2)" -lt 15
'

expect_success 'a --max-rate above the real limit: the 429s teach the real one' '
	make_token token &&
	start_ch_sim s3 --synthetic 60 --token-file token --rate 25 --burst 2 --retry-after 1 &&
	ch_rows 60 >rows.csv &&
	j2w-apply --token-file token --max-rate 200 --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "60 users: 60 updated, 0 unchanged, 0 failed" &&
	ch_right 60 s3 &&
	test "$(share429 s3)" -lt 15
'

expect_success 'a long Retry-After on every 429 is waited out, and 423s too' '
	make_token token &&
	start_ch_sim s4 --synthetic 8 --token-file token --rate 4 --burst 1 --retry-after 3 \
		--locked-rate 0.3 &&
	ch_rows 8 >rows.csv &&
	j2w-apply --token-file token -n 16 --commit --journal j.db --verify rows.csv >out 2>err &&
	must_contain err "8 users: 8 updated, 0 unchanged, 0 failed" &&
	test "$(grep -c "\"result\":\"verified\"" out)" = 8 &&
	ch_right 8 s4
'

finish
