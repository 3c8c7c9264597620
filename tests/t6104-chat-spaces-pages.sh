#!/bin/sh
# The history pages of a spaces commit are written next to the journal
# (JOURNAL-pages, mode 0700), not into TMPDIR: a run removes the folder when it
# ends, one killed with kill -9 leaves it, and the next --resume or --rollback
# of that journal removes what was left. A folder that is a link, or one that
# another run holds, is refused before anything is created.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"
. "$TOP/tests/lib-spaces.sh"

W=$TRASH/work
spaces_setup "$W" || exit 4

expect_success 'a commit writes nothing into TMPDIR and leaves no pages folder' '
	make_token token &&
	start_ch_sim c1 --org "$W/org.json" --token-file token &&
	mkdir tmp &&
	expect_code 1 env TMPDIR="$PWD/tmp" j2w-chat-archive spaces -q "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out 2>err &&
	test "$(grep -c "\"result\":\"done\"" out)" = 4 &&
	ls -A tmp >tmp.list && must_be_empty tmp.list &&
	test ! -e j.db-pages
'

expect_success 'kill -9 leaves j.db-pages (mode 0700); --resume removes the pages left in it, and it' '
	make_token token &&
	start_ch_sim k1 --org "$W/org.json" --token-file token &&
	expect_code 137 env J2W_TEST_SPACES_KILL=created:1 j2w-chat-archive spaces -q -n 1 "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out1 2>err1 &&
	test -d j.db-pages &&
	test "$(stat -c %a j.db-pages)" = 700 &&
	echo "<p>a page being uploaded when the run was killed</p>" >j.db-pages/room-1-part-1.html &&
	echo "not a page" >j.db-pages/notes.txt &&
	expect_code 1 j2w-chat-archive spaces -q --resume j.db --commit --token-file token >out2 2>err2 &&
	test "$(sqlite3 j.db "SELECT group_concat(DISTINCT state) FROM rooms")" = done &&
	test ! -e j.db-pages/room-1-part-1.html &&
	test "$(ls -A j.db-pages)" = notes.txt
'

expect_success 'kill -9, then --rollback: the spaces and the pages folder go' '
	make_token token &&
	start_ch_sim k2 --org "$W/org.json" --token-file token &&
	expect_code 137 env J2W_TEST_SPACES_KILL=posted:2 j2w-chat-archive spaces -q -n 1 "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out1 2>err1 &&
	test -d j.db-pages &&
	echo "<p>left</p>" >j.db-pages/room-2-part-1.html &&
	j2w-chat-archive spaces -q --rollback j.db --commit --token-file token >rb &&
	test "$(grep -c "\"result\":\"deleted\"" rb)" = 2 &&
	test ! -e j.db-pages &&
	spaces_state >after && must_be_empty after
'

expect_success 'a pages folder that is a link is refused before any space is made' '
	make_token token &&
	start_ch_sim l1 --org "$W/org.json" --token-file token &&
	mkdir elsewhere &&
	ln -s elsewhere j.db-pages &&
	expect_code 4 j2w-chat-archive spaces -q "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out 2>err &&
	must_contain err "cannot open the pages folder '\''j.db-pages'\''" &&
	test "$(spaces_created)" = 0 &&
	ls -A elsewhere >list && must_be_empty list
'

expect_success 'a pages folder another run holds is refused: that run'\''s pages stay' '
	make_token token &&
	start_ch_sim b1 --org "$W/org.json" --token-file token &&
	expect_code 137 env J2W_TEST_SPACES_KILL=created:1 j2w-chat-archive spaces -q -n 1 "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out1 2>err1 &&
	echo "<p>uploading</p>" >j.db-pages/room-1-part-1.html &&
	expect_code 4 flock j.db-pages j2w-chat-archive spaces -q --resume j.db --commit --token-file token >out2 2>err2 &&
	must_contain err2 "'\''j.db-pages'\'' is in use: another run of journal '\''j.db'\'' is going on" &&
	test -f j.db-pages/room-1-part-1.html &&
	test "$(spaces_created)" = 1
'

finish
