#!/bin/sh
# j2w-chat-archive spaces --plan: one line per persistent room (title, members to
# add, members left out and why, the history file), nothing created, ad-hoc rooms
# counted; usage errors; a token without the write scopes is named as such.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"
. "$TOP/tests/lib-spaces.sh"

W=$TRASH/work
spaces_setup "$W" || exit 4

expect_success 'the plan names each space, its members and who is left out, and changes nothing' '
	make_token token &&
	start_ch_sim p1 --org "$W/org.json" --token-file token &&
	expect_code 1 j2w-chat-archive spaces "$W/chat.db" --map "$W/map.jsonl" --token-file token >plan 2>err &&
	test "$(wc -l <plan)" = 4 &&
	python3 - plan >table <<-\PY &&
	import json, sys
	for line in open(sys.argv[1]):
	    r = json.loads(line)
	    print(r["room"], "|", r["title"], "|", r["action"], "|",
	          " ".join(m["email"] + ("(M)" if m["moderator"] else "") for m in r["members"]), "|",
	          "; ".join("%s: %s" % (m["jid"], m["reason"]) for m in r["left_out"]), "|",
	          r["messages"], len(r["files"]), r["files"][0]["bytes"] == r["bytes"] > 0)
	PY
	cat >expected <<-\EOF &&
	dev-team@conference.example.com | Development Team | create | alice@example.com(M) bob@example.com(M) carol.white@example.com | dave@example.com: no Webex user has this email; zoe@example.com: not in the reconcile output | 50 1 True
	general@conference.example.com | General 📣 | create | alice@example.com(M) bob@example.com(M) carol.white@example.com erin@example.com | dave@example.com: no Webex user has this email; frank@example.com: not in the reconcile output; grace@example.com: not in the reconcile output; heidi@example.com: reconcile blocked this user (see its findings); ivan@example.com: not in the reconcile output; zoe@example.com: not in the reconcile output | 65 1 True
	incident-2024@conference.example.com | <Incident> & Response "war room" | create | bob@example.com(M) alice@example.com(M) | grace@example.com: not in the reconcile output | 61 1 True
	sales-emea@conference.example.com | Sales EMEA — Ventes & Vertrieb | create | erin@example.com(M) | heidi@example.com: reconcile blocked this user (see its findings); frank@example.com: not in the reconcile output; ivan@example.com: not in the reconcile output | 74 1 True
	EOF
	cmp_output expected table &&
	must_contain err "room '\''dev-team@conference.example.com'\'': '\''zoe@example.com'\'' left out: not in the reconcile output" &&
	must_contain err "4 rooms: 4 spaces to create, 0 already in Webex; 1 ad-hoc rooms skipped; 10 members to add, 12 left out; 4 files" &&
	must_contain err "plan only: nothing was changed" &&
	test "$(spaces_created)" = 0
'

expect_success 'a room whose members all map plans cleanly (exit 0); --room limits the run' '
	make_token token &&
	start_ch_sim p2 --org "$W/org.json" --token-file token &&
	cat "$W/map.jsonl" >map.jsonl &&
	echo "{\"jid\":\"grace@example.com\",\"webex_email\":\"erin@example.com\"}" >>map.jsonl &&
	j2w-chat-archive spaces --room incident-2024@conference.example.com "$W/chat.db" -m map.jsonl --token-file token >plan 2>err &&
	test "$(wc -l <plan)" = 1 &&
	must_contain plan "\"left_out\":[]" &&
	expect_code 2 j2w-chat-archive spaces --room nosuch@conference.example.com "$W/chat.db" -m map.jsonl --token-file token 2>err2 &&
	must_contain err2 "no room '\''nosuch@conference.example.com'\''"
'

expect_success 'usage errors exit 2; a map that is not reconcile output exits 3; a missing one 2' '
	make_token token &&
	expect_code 2 j2w-chat-archive spaces "$W/chat.db" --token-file token 2>e1 &&
	must_contain e1 "--map" &&
	expect_code 2 j2w-chat-archive spaces "$W/chat.db" -m "$W/map.jsonl" --commit --token-file token 2>e2 &&
	must_contain e2 "--commit needs --journal" &&
	expect_code 2 j2w-chat-archive spaces --resume j.db --token-file token 2>e3 &&
	expect_code 2 j2w-chat-archive spaces "$W/chat.db" -m "$W/map.jsonl" --max-file-size 12 --token-file token 2>e4 &&
	echo "{\"userid\":\"a\",\"mailid\":\"a@example.com\"}" >users.jsonl &&
	expect_code 3 j2w-chat-archive spaces "$W/chat.db" -m users.jsonl --token-file token 2>e5 &&
	must_contain e5 "run j2w-reconcile first" &&
	expect_code 2 j2w-chat-archive spaces "$W/chat.db" -m nosuch.jsonl --token-file token 2>e6 &&
	expect_code 2 j2w-chat-archive spaces "$W/chat.db" -m "$W/map.jsonl" 2>e7 &&
	must_contain e7 "WEBEX_TOKEN" &&
	expect_code 2 j2w-chat-archive spaces "$W/chat.db" -m "$W/map.jsonl" --token-file token \
		--api https://admin:s3cret@127.0.0.1:1/v1 2>e8 &&
	must_contain e8 "--api: a URL that carries credentials is refused" &&
	WEBEX_API=https://admin:s3cret@127.0.0.1:1/v1 expect_code 2 j2w-chat-archive spaces \
		"$W/chat.db" -m "$W/map.jsonl" --token-file token 2>e9 &&
	must_contain e9 "WEBEX_API: a URL that carries credentials is refused" &&
	if grep -q s3cret e8 e9; then echo "the password was echoed"; exit 1; fi
'

expect_success 'a token without the write scopes: exit 4 naming them, resumable' '
	make_token token &&
	start_ch_sim f1 --org "$W/org.json" --token-file token --spaces-forbidden &&
	expect_code 4 j2w-chat-archive spaces "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out 2>err &&
	must_contain err "spark:rooms_write, spark:memberships_write and spark:messages_write" &&
	must_contain err "continue with --resume j.db --commit" &&
	test "$(spaces_created)" = 0
'

expect_success 'a refused token exits 4 before anything is planned' '
	make_token token && make_token other &&
	start_ch_sim t1 --org "$W/org.json" --token-file token &&
	expect_code 4 j2w-chat-archive spaces "$W/chat.db" -m "$W/map.jsonl" --token-file other >out 2>err &&
	must_be_empty out &&
	must_contain err "refused the token (HTTP 401)"
'

finish
