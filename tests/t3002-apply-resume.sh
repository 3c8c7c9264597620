#!/bin/sh
# kill -9 in the middle of a commit, then --resume: every user ends right and
# nobody is written twice (from the simulator's write log); then --rollback.
# Also the token: never in output, journal, logs or the command line.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

rows() {
	echo "email,calling_behavior,uc_manager_profile"
	i=0
	while [ $i -lt "$1" ]; do
		printf 'user%06d@bench.example.com,ucm,EMEA\n' $i
		i=$((i + 1))
	done
}

expect_success 'kill -9 mid-run, --resume: all users right, none written twice; rollback restores all' '
	make_token token &&
	start_ch_sim k1 --synthetic 300 --token-file token --latency-ms 15 &&
	rows 300 >rows.csv &&
	ch_state >state.start &&
	{ j2w-apply --token-file token -q --commit --journal j.db -n 4 rows.csv >out1 2>err1 & pid=$!; } &&
	n=0 && while [ "$(writes k1)" -lt 60 ] && [ $n -lt 300 ]; do sleep 0.05 && n=$((n + 1)); done &&
	kill -9 $pid && { wait $pid; true; } &&
	before=$(writes k1) &&
	test "$before" -ge 60 && test "$before" -lt 300 &&
	sqlite3 j.db "SELECT count(*) FROM users WHERE state = '\''pending'\''" >pending &&
	test "$(cat pending)" -gt 0 &&
	j2w-apply --token-file token --resume j.db --commit >out2 2>err2 &&
	must_contain err2 "0 failed" &&
	ch_state >state.end &&
	test "$(grep -c "	NATIVE_SIP_CALL_TO_UCM	EMEA$" state.end)" = 300 &&
	test "$(writes k1)" = 300 &&
	twice_written k1 >twice && must_be_empty twice &&
	sqlite3 j.db "SELECT count(*) FROM users WHERE state IN ('\''applied'\'', '\''verified'\'')" >done &&
	test "$(cat done)" = 300 &&
	sqlite3 j.db "SELECT group_concat(kind) FROM runs" >runs &&
	test "$(cat runs)" = "commit,resume" &&

	j2w-apply --token-file token -q --resume j.db --commit >out3 &&
	must_be_empty out3 &&
	test "$(writes k1)" = 300 &&

	{ j2w-apply --token-file token -q --rollback j.db --commit -n 4 >out4 2>err4 & pid=$!; } &&
	n=0 && while [ "$(writes k1)" -lt 360 ] && [ $n -lt 300 ]; do sleep 0.05 && n=$((n + 1)); done &&
	kill -9 $pid && { wait $pid; true; } &&
	j2w-apply --token-file token --rollback j.db --commit >out5 2>err5 &&
	must_contain err5 "0 failed" &&
	ch_state >state.back &&
	cmp_output state.start state.back &&
	test "$(writes k1)" = 600
'

expect_success 'a token that expires mid-run stops it (exit 4); --resume with a new token finishes' '
	make_token tokens second &&
	head -n 1 tokens >old && chmod 600 old &&
	tail -n 1 tokens >new && chmod 600 new &&
	start_ch_sim t1 --synthetic 60 --token-file tokens --expire-after 70 &&
	rows 60 >rows.csv &&
	expect_code 4 j2w-apply --token-file old --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "refused the token (HTTP 401): it is wrong or has expired; get a new one and continue with --resume j.db" &&
	must_contain err "not done" &&
	j2w-apply --token-file new --resume j.db --commit >out2 2>err2 &&
	ch_state >state &&
	test "$(grep -c "	NATIVE_SIP_CALL_TO_UCM	EMEA$" state)" = 60 &&
	twice_written t1 >twice && must_be_empty twice
'

expect_success 'SIGTERM stops a commit cleanly (exit 4, journal consistent); --resume finishes' '
	make_token token &&
	start_ch_sim term --synthetic 200 --token-file token --latency-ms 15 &&
	rows 200 >rows.csv &&
	{ j2w-apply --token-file token -q --commit --journal j.db -n 4 rows.csv >out1 2>err1 & pid=$!; } &&
	n=0 && while [ "$(writes term)" -lt 30 ] && [ $n -lt 300 ]; do sleep 0.05 && n=$((n + 1)); done &&
	kill -TERM $pid && { wait $pid; echo $? >rc; true; } &&
	test "$(cat rc)" = 4 &&
	must_contain err1 "interrupted: continue with --resume j.db" &&
	sqlite3 j.db "SELECT count(*) FROM users WHERE state = '\''writing'\''" >writing &&
	test "$(cat writing)" = 0 &&
	test "$(wc -l <out1)" = "$(sqlite3 j.db "SELECT count(*) FROM users WHERE state <> '\''pending'\''")" &&
	j2w-apply --token-file token -q --resume j.db --commit >out2 &&
	test "$(cat out1 out2 | wc -l)" = 200 &&
	ch_state >state &&
	test "$(grep -c "	NATIVE_SIP_CALL_TO_UCM	EMEA$" state)" = 200 &&
	twice_written term >twice && must_be_empty twice
'

expect_success 'the token appears in no output, journal, log or command line' '
	make_token token &&
	tok=$(cat token) &&
	start_ch_sim s1 --synthetic 40 --token-file token --latency-ms 30 &&
	rows 40 >rows.csv &&
	{ j2w-apply --token-file token --commit --journal j.db -n 2 rows.csv >out 2>err & pid=$!; } &&
	wait_for_cmdline $pid "j2w-apply .*--token-file" >cmdline &&
	wait $pid &&
	must_contain cmdline "--token-file token" &&
	sqlite3 j.db .dump >dump &&
	for f in out err cmdline dump j.db "$TRASH/s1.log" "$TRASH/s1.writes" "$TRASH/s1.err"; do
		if grep -a -q -F -- "$tok" "$f"; then echo "token found in $f"; exit 1; fi
	done &&
	WEBEX_TOKEN=$tok j2w-apply --rollback j.db >out2 2>err2 &&
	if grep -q -F -- "$tok" out2 err2; then echo "token in rollback output"; exit 1; fi
'

# under valgrind the process is valgrind's, and its environ the one valgrind started with
if [ -n "$VALGRIND" ]; then
	skip 'a token from WEBEX_TOKEN is wiped from the running process environment' \
		'/proc/PID/environ shows valgrind'\''s own start'
else
expect_success 'a token from WEBEX_TOKEN is wiped from the running process environment' '
	make_token token &&
	tok=$(cat token) &&
	start_ch_sim s2 --synthetic 40 --token-file token --latency-ms 30 &&
	rows 40 >rows.csv &&
	{ WEBEX_TOKEN=$tok j2w-apply --commit --journal j.db -n 2 rows.csv >out 2>err & pid=$!; } &&
	wait_for_cmdline $pid "j2w-apply .*--journal" >cmdline &&
	wait_for_file "$TRASH/s2.log" &&
	tr "\0" "\n" <"/proc/$pid/environ" >environ &&
	wait $pid &&
	must_contain environ "PATH=" &&
	if grep -a -q -F -- "$tok" environ; then echo "token in /proc/PID/environ"; exit 1; fi
'
fi

finish
