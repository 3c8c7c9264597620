#!/bin/sh
# j2w-chat-archive spaces --commit: the spaces Webex ends with (titles, moderators,
# members, one message with the history page), a re-run that creates nothing, a
# rollback that deletes only this journal's spaces, hostile names and bodies that
# stay text in the page and in the message, and no token anywhere.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"
. "$TOP/tests/lib-spaces.sh"

W=$TRASH/work
spaces_setup "$W" || exit 4

expect_success 'commit: each persistent room is a locked space with its members and its history' '
	make_token token &&
	start_ch_sim c1 --org "$W/org.json" --token-file token &&
	expect_code 1 j2w-chat-archive spaces "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out 2>err &&
	spaces_state >state &&
	cat >expected <<-\EOF &&
	<Incident> & Response "war room" | locked | admin@example.com:M,alice@example.com:M,bob@example.com:M | 1 | _Incident_ & Response _war room_.html
	Development Team | locked | admin@example.com:M,alice@example.com:M,bob@example.com:M,carol.white@example.com:- | 1 | Development Team.html
	General 📣 | locked | admin@example.com:M,alice@example.com:M,bob@example.com:M,carol.white@example.com:-,erin@example.com:- | 1 | General 📣.html
	Sales EMEA — Ventes & Vertrieb | locked | admin@example.com:M,erin@example.com:M | 1 | Sales EMEA — Ventes & Vertrieb.html
	EOF
	cmp_output expected state &&
	test "$(grep -c "\"result\":\"done\"" out)" = 4 &&
	must_contain err "4 spaces created, 4 done, 0 already in Webex, 0 failed; 1 ad-hoc rooms skipped; 10 members added, 0 already members, 12 left out, 0 failed; 4 of 4 files posted" &&
	must_contain err "'\''zoe@example.com'\'' left out: not in the reconcile output" &&
	spaces_dump dump.json &&
	python3 - dump.json "$W/chat.db" <<-\PY &&
	import json, sqlite3, sys
	d = json.load(open(sys.argv[1]))
	db = sqlite3.connect(sys.argv[2])
	digest = db.execute("SELECT archive_digest FROM manifest ORDER BY id DESC LIMIT 1").fetchone()[0]
	for s in d["spaces"]:
	    m = s["messages"][0]
	    assert "Chat history of" in m["markdown"] and "Period: 2024-03-0" in m["markdown"], m
	    assert digest in m["markdown"] and digest in m["text"], m
	    assert m["markdown"].splitlines()[-1].startswith("j2w-space-"), m["markdown"]
	    page = m["files"][0]
	    assert page["type"] == "text/html" and page["content"].startswith("<!DOCTYPE html>"), page["type"]
	    n = page["content"].count("<li id=\"m")
	    assert str(n) + " messages" in m["text"], (n, m["text"])
	PY
	sqlite3 j.db "SELECT state, ours, space_id IS NOT NULL FROM rooms ORDER BY seq" >rooms &&
	test "$(sort -u rooms)" = "done|1|1" &&
	test "$(sqlite3 j.db "SELECT count(*) FROM parts WHERE state = '\''posted'\'' AND message_id IS NOT NULL")" = 4 &&
	test "$(sqlite3 j.db "SELECT count(*) FROM members WHERE state = '\''added'\''")" = 10 &&

	j2w-chat-archive spaces -q --resume j.db --commit --token-file token >again &&
	must_be_empty again &&
	test "$(spaces_created)" = 4
'

expect_success 'a re-run with a new journal finds every space by its marker and creates nothing' '
	make_token token &&
	start_ch_sim r1 --org "$W/org.json" --token-file token &&
	expect_code 1 j2w-chat-archive spaces -q "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j1.db >out1 &&
	spaces_state >state1 &&
	j2w-chat-archive spaces "$W/chat.db" -m "$W/map.jsonl" --token-file token >plan 2>perr &&
	test "$(grep -c "\"action\":\"exists\"" plan)" = 4 &&
	must_contain perr "0 spaces to create, 4 already in Webex" &&
	j2w-chat-archive spaces "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j2.db >out2 2>err2 &&
	test "$(grep -c "\"result\":\"exists\"" out2)" = 4 &&
	must_contain err2 "0 spaces created, 0 done, 4 already in Webex" &&
	spaces_state >state2 &&
	cmp_output state1 state2 &&
	test "$(spaces_created)" = 4 &&
	expect_code 2 j2w-chat-archive spaces "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j2.db 2>err3 &&
	must_contain err3 "already exists" &&

	j2w-chat-archive spaces --rollback j2.db --commit --token-file token >rb2 2>rerr2 &&
	must_be_empty rb2 &&
	must_contain rerr2 "0 spaces deleted" &&
	test "$(spaces_state | wc -l)" = 4 &&
	j2w-chat-archive spaces --rollback j1.db --token-file token >rbplan 2>rperr &&
	test "$(grep -c "\"result\":\"planned\"" rbplan)" = 4 &&
	test "$(spaces_state | wc -l)" = 4 &&
	j2w-chat-archive spaces --rollback j1.db --commit --token-file token >rb1 2>rerr1 &&
	test "$(grep -c "\"result\":\"deleted\"" rb1)" = 4 &&
	must_contain rerr1 "4 spaces deleted, 0 already gone, 0 failed" &&
	spaces_state >state3 && must_be_empty state3 &&
	j2w-chat-archive spaces -q --rollback j1.db --commit --token-file token >rb3 &&
	must_be_empty rb3
'

expect_success 'hostile room names and bodies stay text: in the page, the message and the title' '
	make_token token &&
	mkdir src && cp "$DATA"/chat/small/* src/ &&
	python3 - src <<-\PY &&
	import csv, os, sys
	d = sys.argv[1]
	def add(name, row):
	    path = os.path.join(d, name)
	    with open(path, newline="", encoding="utf-8") as f:
	        header = next(csv.reader(f))
	    with open(path, "a", newline="", encoding="utf-8") as f:
	        csv.writer(f, lineterminator="\r\n").writerow([row.get(h.upper(), row.get(h, "")) for h in header])
	cfg = ("<x xmlns=\"jabber:x:data\" type=\"submit\"><field var=\"muc#roomconfig_roomname\"><value>"
	       "&lt;img src=x onerror=alert(1)&gt; **Ops** [link](javascript:alert(2)) &lt;@personEmail:ceo@example.com&gt;"
	       "</value></field></x>")
	add("TC_ROOMS.csv", {"ROOM_JID": "evil@conference.example.com", "CREATOR_JID": "alice@example.com",
	                     "TYPE": "persistent", "CONFIG": cfg, "START_MSG_ID": "1", "NEXT_MSG_ID": "3"})
	add("tc_users.csv", {"room_jid": "evil@conference.example.com", "real_jid": "alice@example.com",
	                     "role": "moderator", "affiliation": "owner", "nick_jid": "evil@conference.example.com/A"})
	add("TC_MSGARCHIVE.csv", {"MSG_ID": "1", "TO_JID": "evil@conference.example.com", "FROM_JID": "alice@example.com",
	                          "NICK_JID": "evil@conference.example.com/<b>A</b>", "SENT_DATE": "2024-05-04 10:00:00",
	                          "MSG_TYPE": "g", "BODY_STRING": "</div><script>alert(\"x\")</script><iframe src=//evil>"})
	add("TC_MSGARCHIVE.csv", {"MSG_ID": "2", "TO_JID": "evil@conference.example.com", "FROM_JID": "alice@example.com",
	                          "NICK_JID": "evil@conference.example.com/A", "SENT_DATE": "2024-05-04 10:01:00",
	                          "MSG_TYPE": "g", "BODY_STRING": "\x1b]0;owned\x07 & <!-- -->"})
	PY
	j2w-chat-archive import -q --from-csv src --to evil.db &&
	start_ch_sim h1 --org "$W/org.json" --token-file token &&
	j2w-chat-archive spaces -q evil.db -m "$W/map.jsonl" --token-file token --commit --journal j.db >out &&
	spaces_dump dump.json &&
	python3 - dump.json <<-\PY
	import json, sys
	from html.parser import HTMLParser
	d = json.load(open(sys.argv[1]))
	s = [s for s in d["spaces"] if "onerror" in s["title"]]
	assert len(s) == 1, [x["title"] for x in d["spaces"]]
	s = s[0]
	assert s["title"] == "<img src=x onerror=alert(1)> **Ops** [link](javascript:alert(2)) <@personEmail:ceo@example.com>", s["title"]
	m = s["messages"][0]
	md = m["markdown"]
	name = md[len("**Chat history of "):md.index("** (Jabber")]
	for i, c in enumerate(name):
	    if c in "<>*[]()@=:!":
	        assert name[i - 1] == "\\", (i, name)
	assert name.replace("\\", "") == s["title"], name
	page = m["files"][0]["content"]
	tags = set()
	class P(HTMLParser):
	    def handle_starttag(self, tag, attrs):
	        tags.add(tag)
	        assert not any(k.startswith("on") for k, _ in attrs), (tag, attrs)
	P().feed(page)
	assert not tags & {"script", "iframe", "img"}, tags
	assert "&lt;/div&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;iframe src=//evil&gt;" in page
	assert "&lt;img src=x onerror=alert(1)&gt;" in page
	assert "\x1b" not in page and "\x07" not in page
	PY
'

expect_success 'the token appears in no output, journal, log or command line' '
	make_token token &&
	tok=$(cat token) &&
	start_ch_sim s1 --org "$W/org.json" --token-file token --latency-ms 30 &&
	{ j2w-chat-archive spaces "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out 2>err & pid=$!; } &&
	wait_for_cmdline $pid "j2w-chat-archive spaces .*--token-file" >cmdline &&
	{ wait $pid; true; } &&
	sqlite3 j.db .dump >dump &&
	spaces_dump sim.json &&
	for f in out err cmdline dump j.db sim.json "$TRASH/s1.log" "$TRASH/s1.err"; do
		if grep -a -q -F -- "$tok" "$f"; then echo "token found in $f"; exit 1; fi
	done
'

finish
