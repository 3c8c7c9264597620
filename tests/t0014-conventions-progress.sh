#!/bin/sh
# Every phase longer than a second shows progress, with its total where one is
# known (--progress draws the bar when stderr is not a terminal).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

# bar FILE LABEL TOTAL: the bar LABEL reached TOTAL/TOTAL in FILE (a progress stream)
bar() {
	tr '\r' '\n' <"$1" | grep -q "^$2 \[==============================\] $3/$3 " ||
		{ say "no finished bar '$2' of $3 in:"; tr '\r' '\n' <"$1" | head -n 20; return 1; }
}

expect_success 'j2w-users shows the bytes of the export read, with the total, from the start' '
	awk "BEGIN { print \"USER ID,MAIL ID\"; for (i = 0; i < 3000; i++)
		printf \"user%d,user%d@example.com\\n\", i, i }" >enduser.csv &&
	j2w-users --progress --bat enduser.csv >out 2>err &&
	bar err bytes "$(wc -c <enduser.csv | tr -d " ")" &&
	j2w-users --bat enduser.csv >out 2>err &&
	must_not_contain err "checking bytes"
'

expect_success 'j2w-reconcile shows its second pass (across users) with the total' '
	printf "{\"userid\":\"u%d\",\"directory_uri\":\"u%d@example.com\"}\n" 1 1 2 2 3 3 >u.jsonl &&
	j2w-reconcile --progress -s directory-uri u.jsonl >out 2>err &&
	bar err "across users" 3
'

expect_success 'a rollback knows its total from the journal' '
	make_token token &&
	start_ch_sim p1 --org "$SAMPLES/controlhub/org.json" --token-file token &&
	grep -v aoconnor "$DATA/apply/users.jsonl" >users.jsonl &&
	j2w-apply -q --token-file token --rules "$SAMPLES/waves/wave1.rules" --commit \
		--journal wave1.db users.jsonl >out &&
	j2w-apply --progress --token-file token --rollback wave1.db --commit >out 2>err &&
	bar err rollback 4
'

expect_success 'a chat import from CSV dumps counts its messages first' '
	j2w-chat-archive import --progress --from-csv "$SAMPLES/chat" --to chat.db 2>err &&
	bar err messages 300 &&
	bar err "counting bytes" "$(wc -c <"$SAMPLES/chat/TC_MSGARCHIVE.csv" | tr -d " ")"
'

finish
