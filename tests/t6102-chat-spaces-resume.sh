#!/bin/sh
# kill -9 in the middle of a spaces commit, at the worst moments (Webex made the
# space, or took the message, and the journal does not know yet) and at a random
# one, then --resume: every room ends with one space and one history message,
# nobody added twice; a rollback after it deletes them all. An API that stops
# answering stops the run (exit 4) and leaves it resumable.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"
. "$TOP/tests/lib-spaces.sh"

W=$TRASH/work
spaces_setup "$W" || exit 4

# one_each STATE: every space has one history message and each title is there once
one_each() {
	test "$(wc -l <"$1")" = 4 &&
	test "$(cut -d"|" -f1 "$1" | sort -u | wc -l)" = 4 &&
	test "$(cut -d"|" -f4 "$1" | sort -u | tr -d " ")" = 1
}

for step in created:1 created:3 posted:2; do
expect_success "killed when Webex answered '$step' before the journal knew: --resume repeats nothing" '
	make_token token &&
	start_ch_sim k$$ --org "$W/org.json" --token-file token &&
	expect_code 137 env J2W_TEST_SPACES_KILL='$step' j2w-chat-archive spaces -q -n 1 "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out1 2>err1 &&
	expect_code 1 j2w-chat-archive spaces --resume j.db --commit --token-file token >out2 2>err2 &&
	must_contain err2 "0 failed" &&
	spaces_state >state &&
	one_each state &&
	test "$(spaces_created)" = 4 &&
	must_contain state "Development Team | locked | admin@example.com:M,alice@example.com:M,bob@example.com:M,carol.white@example.com:- | 1 |" &&
	test "$(sqlite3 j.db "SELECT group_concat(DISTINCT state) FROM rooms")" = done &&
	test "$(sqlite3 j.db "SELECT count(*) FROM rooms WHERE ours = 1")" = 4 &&
	sqlite3 j.db "SELECT group_concat(kind) FROM runs" >runs &&
	test "$(cat runs)" = "commit,resume" &&
	j2w-chat-archive spaces -q --rollback j.db --commit --token-file token >rb &&
	test "$(grep -c "\"result\":\"deleted\"" rb)" = 4 &&
	spaces_state >after && must_be_empty after
'
done

expect_success 'kill -9 at a random moment of a slow commit, then --resume' '
	make_token token &&
	start_ch_sim r1 --org "$W/org.json" --token-file token --latency-ms 60 &&
	{ j2w-chat-archive spaces -q -n 2 "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out1 2>err1 & pid=$!; } &&
	n=0 && while [ "$(spaces_created)" -lt 2 ] && [ $n -lt 400 ]; do sleep 0.02 && n=$((n + 1)); done &&
	kill -9 $pid && { wait $pid; true; } &&
	expect_code 1 j2w-chat-archive spaces --resume j.db --commit --token-file token >out2 2>err2 &&
	spaces_state >state &&
	one_each state &&
	test "$(spaces_created)" = 4 &&
	test "$(sqlite3 j.db "SELECT count(*) FROM members WHERE state IN ('\''added'\'', '\''present'\'')")" = 10
'

# A gateway that loses the answer to a write Webex did: sent again, it would make
# a second space, or post the history twice.
expect_success 'answers lost after Webex made a space and took a message: nothing is asked twice, --resume finds them' '
	make_token token &&
	start_ch_sim l1 --org "$W/org.json" --token-file token --lose-answers rooms:1 --lose-answers messages:1 &&
	expect_code 4 j2w-chat-archive spaces -n 1 "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out1 2>err1 &&
	must_contain err1 "2 rooms left unsure" &&
	must_contain err1 "continue with --resume j.db --commit" &&
	test "$(grep -c "may or may not have been made (HTTP 502" out1)" = 2 &&
	test "$(spaces_created)" = 4 &&
	expect_code 1 j2w-chat-archive spaces --resume j.db --commit --token-file token >out2 2>err2 &&
	must_contain err2 "0 failed; 7 members added" &&
	spaces_state >state &&
	one_each state &&
	test "$(spaces_created)" = 4 &&
	test "$(sqlite3 j.db "SELECT group_concat(DISTINCT state) FROM rooms")" = done &&
	test "$(sqlite3 j.db "SELECT count(*) FROM rooms WHERE ours = 1")" = 4
'

expect_success 'an API that stops answering stops the run (exit 4, resumable); rollback cleans up' '
	make_token token &&
	start_ch_sim o1 --org "$W/org.json" --token-file token --fail-rooms-after 2 &&
	expect_code 4 j2w-chat-archive spaces -n 1 --retries 2 --outage-after 2 "$W/chat.db" \
		-m "$W/map.jsonl" --token-file token --commit --journal j.db >out 2>err &&
	must_contain err "continue with --resume j.db --commit" &&
	must_contain err "not done" &&
	test "$(spaces_created)" = 2 &&
	test "$(sqlite3 j.db "SELECT count(*) FROM rooms WHERE state = '\''done'\''")" = 2 &&
	j2w-chat-archive spaces -q --rollback j.db --commit --token-file token >rb &&
	test "$(grep -c "\"result\":\"deleted\"" rb)" = 2 &&
	spaces_state >after && must_be_empty after
'

finish
