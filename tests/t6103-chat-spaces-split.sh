#!/bin/sh
# A room whose history page is larger than a file may be is posted as several
# messages, one file and one period each, that together hold every message; a
# server whose limit is lower than j2w's refuses the file (413) and the run says
# what to do (exit 1).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"
. "$TOP/tests/lib-spaces.sh"

W=$TRASH/work
spaces_setup "$W" || exit 4

expect_success 'a 20 KB limit cuts each room by period into files under it, none lost' '
	make_token token &&
	start_ch_sim s1 --org "$W/org.json" --token-file token --file-limit 20000 &&
	expect_code 1 j2w-chat-archive spaces --max-file-size 20K "$W/chat.db" -m "$W/map.jsonl" --token-file token >plan 2>perr &&
	expect_code 1 j2w-chat-archive spaces -q --max-file-size 20K "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out &&
	spaces_dump dump.json &&
	python3 - plan dump.json "$W/chat.db" <<-\PY
	import json, re, sqlite3, sys
	plan = [json.loads(l) for l in open(sys.argv[1])]
	d = json.load(open(sys.argv[2]))
	db = sqlite3.connect(sys.argv[3])
	for r in plan:
	    files = r["files"]
	    assert len(files) > 1, r["room"]
	    assert sum(f["messages"] for f in files) == r["messages"], r
	    assert all(f["bytes"] <= 20000 for f in files), files
	    # periods follow each other
	    periods = [f["period"] for f in files]
	    assert periods == sorted(periods), periods
	    s = [s for s in d["spaces"] if s["title"] == r["title"]][0]
	    assert len(s["messages"]) == len(files), (len(s["messages"]), len(files))
	    ids = []
	    n = len(files)
	    for i, m in enumerate(s["messages"]):
	        assert m["text"].endswith("part %d/%d" % (i + 1, n)), m["text"][-40:]
	        assert "part %d of %d" % (i + 1, n) in m["text"]
	        f = m["files"][0]
	        assert f["bytes"] <= 20000 and f["filename"].endswith("(%d of %d).html" % (i + 1, n)), f
	        ids += re.findall(r"<li id=\"m(\d+)\"", f["content"])
	    want = [str(x) for (x,) in db.execute("SELECT msg_id FROM messages WHERE room_jid = ? ORDER BY sent_utc, msg_id", (r["room"],))]
	    assert sorted(ids, key=int) == sorted(want, key=int) and len(ids) == len(set(ids)), r["room"]
	PY
'

expect_success 'a server that takes less than --max-file-size: 413, the room fails, the run says why' '
	make_token token &&
	start_ch_sim t1 --org "$W/org.json" --token-file token --file-limit 20000 &&
	expect_code 1 j2w-chat-archive spaces --room dev-team@conference.example.com "$W/chat.db" -m "$W/map.jsonl" --token-file token --commit --journal j.db >out 2>err &&
	must_contain out "\"result\":\"failed\"" &&
	must_contain err "Webex refused the" &&
	must_contain err "smaller one" &&
	test "$(sqlite3 j.db "SELECT state FROM parts")" = failed &&
	test "$(sqlite3 j.db "SELECT http_status FROM parts")" = 413 &&
	spaces_state >state &&
	must_contain state "Development Team | locked | admin@example.com:M,alice@example.com:M,bob@example.com:M,carol.white@example.com:- | 0 |"
'

finish
