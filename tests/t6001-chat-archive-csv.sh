#!/bin/sh
# j2w-chat-archive through CSV dumps (Oracle and MS SQL sites): import, re-import,
# verify, a deleted source row, a killed import, bad input; search and export
# (HTML escaped and self-contained, JSON Lines, text) against golden files.
. "$(dirname "$0")/lib.sh"

SMALL=$DATA/chat/small
W=$TRASH/work
mkdir -p "$W"

# html_elements FILE: the element names FILE uses, sorted on one line; an
# event-handler attribute (on...=) is reported as the element "ON-ATTRIBUTE"
html_elements() {
	python3 - "$1" <<-\EOF
	import sys
	from html.parser import HTMLParser
	seen = set()
	class P(HTMLParser):
	    def handle_starttag(self, tag, attrs):
	        seen.add(tag)
	        if any(k.startswith("on") for k, _ in attrs):
	            seen.add("ON-ATTRIBUTE")
	P().feed(open(sys.argv[1], encoding="utf-8").read())
	print(" ".join(sorted(seen)))
	EOF
}

# drop_row DIR ROOM MSG_ID: removes one message row from DIR/TC_MSGARCHIVE.csv
drop_row() {
	python3 - "$1/TC_MSGARCHIVE.csv" "$2" "$3" <<-\EOF
	import csv, sys
	path, room, msg_id = sys.argv[1:]
	rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
	keep = [r for r in rows if not (r[1] == room and r[0] == msg_id)]
	assert len(keep) == len(rows) - 1
	csv.writer(open(path, "w", newline="", encoding="utf-8"), lineterminator="\r\n").writerows(keep)
	EOF
}

expect_success 'import of a small dump: rooms, names from CONFIG, members, files' '
	j2w-chat-archive import --from-csv "$SMALL" --to "$W/small.db" 2>err &&
	cat >expected <<-EOF &&
	j2w-chat-archive: 2 rooms, 3 members, 5 messages read: 5 added, 0 already archived, 0 rejected; 2 files (2 added, 1 matched to messages)
	j2w-chat-archive: archive '\''$W/small.db'\'': 5 messages, digest bce157377750f4e628a14a246eab4ada9ec51ed092b71c1402a700ef2cf6b570
	EOF
	cmp_output expected err &&
	test "$(sqlite3 "$W/small.db" "SELECT group_concat(coalesce(name, \"-\"), \"|\") FROM (SELECT name FROM rooms ORDER BY room_jid)")" = "-|Ops & <Deploys>"
'

expect_success 'times are normalised to UTC, body falls back to BODY_TEXT' '
	sqlite3 "$W/small.db" "SELECT msg_id, sent_utc, length(body) FROM messages WHERE room_jid LIKE \"ops@%\" ORDER BY msg_id" >out &&
	cat >expected <<-\EOF &&
	1|2024-05-02T09:00:00.000Z|31
	2|2024-05-02T09:30:05.500Z|27
	3|2024-05-02T09:31:00.123Z|47
	4|2024-05-02T09:40:00.000Z|60
	EOF
	cmp_output expected out
'

expect_success 'export txt and jsonl match the golden files' '
	j2w-chat-archive export "$W/small.db" --format txt -o txt 2>err &&
	cmp_output "$DATA/chat/small-ops.txt" "txt/ops@conference.example.com.txt" &&
	echo "j2w-chat-archive: 2 rooms written to '\''txt'\''" >expected &&
	cmp_output expected err &&
	j2w-chat-archive export -q "$W/small.db" -f jsonl --room ops@conference.example.com -o js &&
	cmp_output "$DATA/chat/small-ops.jsonl" "js/ops@conference.example.com.jsonl" &&
	test "$(ls js)" = "ops@conference.example.com.jsonl"
'

expect_success 'HTML export escapes hostile bodies and names and is self-contained' '
	j2w-chat-archive export -q "$W/small.db" -f html -o html &&
	f=html/ops@conference.example.com.html &&
	must_contain "$f" "<div class=\"body\" dir=\"auto\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</div>" &&
	must_contain "$f" "<h1>Ops &amp; &lt;Deploys&gt;</h1>" &&
	must_contain "$f" "<li>Attachment: <strong>runbook v2.pdf</strong> (20480 bytes)" &&
	must_contain "$f" "Content-Security-Policy" &&
	must_not_contain "$f" "<script" &&
	must_not_contain "$f" "src=" &&
	must_contain html/index.html "<a href=\"ops@conference.example.com.html\">Ops &amp; &lt;Deploys&gt;</a>" &&
	test "$(stat -c %a "$f")" = 600 &&
	html_elements "$f" >tags &&
	echo "a body dd div dl dt footer h1 h2 h3 head header html li meta nav ol p section span strong style table tbody td th thead time title tr ul" >expected &&
	cmp_output expected tags
'

expect_success 'HTML export: every room page links back to the index, and only there' '
	j2w-chat-archive export -q "$W/small.db" -f html -o html &&
	for f in html/*.html; do
		[ "$f" = html/index.html ] && continue
		must_contain "$f" "<nav><a href=\"index.html\">← All rooms</a></nav>" &&
		test "$(grep -o "href=\"[^\"]*\"" "$f")" = "href=\"index.html\"" || exit 1
	done &&
	test -f html/index.html &&
	j2w-chat-archive export -q "$W/small.db" -f html --room ops@conference.example.com -o one &&
	test "$(ls one)" = "ops@conference.example.com.html" &&
	must_not_contain one/ops@conference.example.com.html "href=" &&
	j2w-chat-archive export -q "$W/small.db" -f html --room ops@conference.example.com -o html &&
	must_contain html/ops@conference.example.com.html "<a href=\"index.html\">"
'

expect_success 'the sample history: hostile bodies come out escaped in every room' '
	j2w-chat-archive import -q --from-csv "$SAMPLES/chat" --to "$W/sample.db" &&
	j2w-chat-archive export -q "$W/sample.db" -f html -o html &&
	test "$(ls html | wc -l)" = 6 &&
	! grep -l "<script\|<img\|<svg\|<h1>injected" html/*.html &&
	grep -q "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" html/*.html &&
	grep -q "&lt;img src=x onerror=alert(1)&gt;" html/*.html &&
	grep -q "&amp;lt;already escaped&amp;gt;" html/*.html
'

expect_success 'search: FTS query with room, sender and time filters' '
	j2w-chat-archive search "$W/small.db" "deploy OR quotes" >out 2>err &&
	cmp_output "$DATA/chat/small-search.jsonl" out &&
	echo "j2w-chat-archive: 3 messages" >expected && cmp_output expected err &&
	j2w-chat-archive search -q "$W/small.db" deploy --room adhoc-1@conference.example.com >out &&
	test "$(wc -l <out)" = 1 && must_contain out "quick question" &&
	j2w-chat-archive search -q "$W/small.db" script --from BOB@example.com >out &&
	test "$(wc -l <out)" = 1 && must_contain out "jabber_42" &&
	j2w-chat-archive search -q "$W/small.db" deploy --since 2024-05-02T09:00:01Z --until 2024-05-03 >out &&
	test "$(wc -l <out)" = 1 && must_contain out "quick question" &&
	j2w-chat-archive search -q "$W/small.db" deploy --until 2024-05-02 >out &&
	test "$(wc -l <out)" = 1 && must_contain out "café" &&
	j2w-chat-archive search -q "$W/small.db" cafe --limit 1 >out &&
	test "$(wc -l <out)" = 1 &&
	expect_code 2 j2w-chat-archive search "$W/small.db" "AND" 2>err &&
	must_contain err "bad search query" &&
	expect_code 2 j2w-chat-archive search "$W/small.db" x --since yesterday 2>err
'

expect_success 're-import and verify of the sample dumps; a deleted row is found' '
	cp -R "$SAMPLES/chat" src &&
	j2w-chat-archive import -q --from-csv src --to a.db &&
	j2w-chat-archive import --from-csv src --to a.db 2>err &&
	must_contain err "300 messages read: 0 added, 300 already archived, 0 rejected" &&
	j2w-chat-archive verify a.db --from-csv src >out 2>err &&
	test "$(grep -c "\"status\":\"equal\"" out)" = 5 &&
	test "$(sqlite3 a.db "SELECT count(*), sum(messages) FROM manifest_rooms WHERE import_id = 2")" = "5|300" &&
	d=$(sqlite3 a.db "SELECT digest FROM manifest_rooms WHERE import_id = 2 AND room_jid = \"dev-team@conference.example.com\"") &&
	grep "\"room\":\"dev-team@conference.example.com\"" out >dev &&
	must_contain dev "\"source_digest\":\"$d\",\"archive_digest\":\"$d\"" &&
	drop_row src sales-emea@conference.example.com 12 &&
	expect_code 1 j2w-chat-archive verify a.db --from-csv src >out 2>err &&
	must_contain err "room '\''sales-emea@conference.example.com'\'': 1 archived message is no longer in the source" &&
	must_contain err "5 rooms, 299 messages in the source, 300 in the archive, 26 files: DIFFERENT" &&
	rm src/AFT_LOG.csv &&
	expect_code 1 j2w-chat-archive verify a.db --from-csv src >out 2>err &&
	must_contain err "26 archived AFT_LOG records are no longer in the source"
'

expect_success 'a killed CSV import resumes without duplicates' '
	J2W_TEST_CHAT_BATCH=40 J2W_TEST_CHAT_KILL_AFTER=130 \
		j2w-chat-archive import -q --from-csv "$SAMPLES/chat" --to k.db
	test $? -eq 137 &&
	test "$(sqlite3 k.db "SELECT count(*) FROM messages")" = 120 &&
	j2w-chat-archive import --from-csv "$SAMPLES/chat" --to k.db 2>err &&
	must_contain err "300 messages read: 180 added, 120 already archived" &&
	j2w-chat-archive verify -q k.db --from-csv "$SAMPLES/chat" >/dev/null
'

expect_success 'rows that cannot be archived are reported with file:line and counted (exit 1)' '
	mkdir bad && cp "$SMALL"/* bad/ &&
	printf "9,ops@conference.example.com,x@example.com,ops@conference.example.com/X,not a date,g,hello,,\r\n" >>bad/TC_MSGARCHIVE.csv &&
	printf "10,,x@example.com,ops@conference.example.com/X,2024-05-02 10:00:00,g,no room,,\r\n" >>bad/TC_MSGARCHIVE.csv &&
	printf "11,ops@conference.example.com,x@example.com,ops@conference.example.com/X,2024-05-02 10:00:00,g,bad \377 byte,,\r\n" >>bad/TC_MSGARCHIVE.csv &&
	printf "latin@conference.example.com,x@example.com,Caf\351,persistent,<x/>,,1,1\r\n" >>bad/TC_ROOMS.csv &&
	expect_code 1 j2w-chat-archive import --from-csv bad --to b.db 2>err &&
	must_contain err "j2w-chat-archive: TC_MSGARCHIVE.csv:8: SENT_DATE '\''not a date'\'' is not a time" &&
	must_contain err "j2w-chat-archive: TC_MSGARCHIVE.csv:9: no TO_JID (room)" &&
	must_contain err "j2w-chat-archive: TC_MSGARCHIVE.csv:10: invalid UTF-8 replaced by U+FFFD" &&
	must_contain err "j2w-chat-archive: TC_ROOMS.csv:4: invalid UTF-8 replaced by U+FFFD" &&
	j2w-chat-archive export -q b.db -f jsonl -o js &&
	test "$(sqlite3 b.db "SELECT subject FROM rooms WHERE room_jid LIKE \"latin@%\"")" = "Caf�" &&
	must_contain err "8 messages read: 6 added, 0 already archived, 2 rejected" &&
	test "$(sqlite3 b.db "SELECT body FROM messages WHERE msg_id = 11")" = "bad � byte" &&
	expect_code 1 j2w-chat-archive verify b.db --from-csv bad >out 2>err &&
	must_contain err "2 source rows could not be read"
'

expect_success 'a dump that is not usable is exit 3 and leaves no archive' '
	mkdir nocol && cp "$SMALL"/* nocol/ &&
	sed -i "1s/TO_JID/ROOM/" nocol/TC_MSGARCHIVE.csv &&
	expect_code 3 j2w-chat-archive import --from-csv nocol --to n.db 2>err &&
	must_contain err "TC_MSGARCHIVE.csv:1: no '\''TO_JID'\'' column" &&
	test ! -e n.db &&
	mkdir norooms && cp "$SMALL"/TC_MSGARCHIVE.csv norooms/ &&
	expect_code 3 j2w-chat-archive import --from-csv norooms --to r.db 2>err &&
	must_contain err "no tc_rooms.csv dump"
'

expect_success 'a dump without MSG_ID is keyed by content: re-import adds nothing' '
	mkdir noid && cp "$SMALL"/TC_ROOMS.csv noid/ &&
	python3 -c "
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline=\"\", encoding=\"utf-8\")))
csv.writer(open(sys.argv[2], \"w\", newline=\"\", encoding=\"utf-8\")).writerows(r[1:] for r in rows)
" "$SMALL"/TC_MSGARCHIVE.csv noid/TC_MSGARCHIVE.csv &&
	j2w-chat-archive import --from-csv noid --to noid.db 2>err &&
	must_contain err "5 messages read: 5 added" &&
	j2w-chat-archive import --from-csv noid --to noid.db 2>err &&
	must_contain err "5 messages read: 0 added, 5 already archived" &&
	test "$(sqlite3 noid.db "SELECT count(*) FROM messages WHERE msg_id IS NULL")" = 5 &&
	j2w-chat-archive verify -q noid.db --from-csv noid >out &&
	test "$(grep -c "\"status\":\"equal\"" out)" = 2
'

expect_success '--source-tz reads zone-less times in that zone' '
	j2w-chat-archive import -q --source-tz Europe/Berlin --from-csv "$SMALL" --to tz.db &&
	test "$(sqlite3 tz.db "SELECT group_concat(sent_utc) FROM (SELECT sent_utc FROM messages WHERE room_jid LIKE \"ops@%\" ORDER BY msg_id)")" = \
		"2024-05-02T07:00:00.000Z,2024-05-02T09:30:05.500Z,2024-05-02T07:31:00.123Z,2024-05-02T07:40:00.000Z" &&
	expect_code 2 j2w-chat-archive import --source-tz Mars/Olympus --from-csv "$SMALL" --to tz.db 2>err &&
	must_contain err "unknown zone"
'

expect_success 'Oracle and MS SQL time formats; a progress bar when asked' '
	mkdir ora && cp "$SMALL"/TC_ROOMS.csv ora/ &&
	printf "MSG_ID,TO_JID,FROM_JID,NICK_JID,SENT_DATE,MSG_TYPE,BODY_STRING\r\n" >ora/tc_msgarchive.CSV &&
	printf "1,ops@conference.example.com,a@example.com,ops@conference.example.com/A,02-MAY-24 09.00.00.250000000 PM,g,oracle\r\n" >>ora/tc_msgarchive.CSV &&
	printf "2,ops@conference.example.com,a@example.com,ops@conference.example.com/A,2024-05-02 21:00:01.2500000,g,mssql\r\n" >>ora/tc_msgarchive.CSV &&
	j2w-chat-archive import --progress --from-csv ora --to ora.db 2>err &&
	must_contain err "messages [==============================] 2/2" &&
	test "$(sqlite3 ora.db "SELECT group_concat(sent_utc) FROM (SELECT sent_utc FROM messages ORDER BY msg_id)")" = \
		"2024-05-02T21:00:00.250Z,2024-05-02T21:00:01.250Z"
'

expect_success 'files that are not archives, and usage errors' '
	echo "not a database" >plain.db &&
	expect_code 3 j2w-chat-archive search plain.db x 2>err &&
	sqlite3 other.db "CREATE TABLE t(x)" &&
	expect_code 3 j2w-chat-archive export other.db -f txt -o out 2>err &&
	must_contain err "not a j2w chat archive" &&
	cp "$W/small.db" newer.db && sqlite3 newer.db "PRAGMA user_version = 99" &&
	expect_code 3 j2w-chat-archive search newer.db x 2>err &&
	must_contain err "newer than this j2w knows" &&
	expect_code 2 j2w-chat-archive search missing.db x 2>err &&
	expect_code 2 j2w-chat-archive 2>err &&
	expect_code 2 j2w-chat-archive frobnicate 2>err &&
	expect_code 2 j2w-chat-archive import --to x.db 2>err &&
	expect_code 2 j2w-chat-archive import --from-csv "$SMALL" --from-pg "dbname=x" --to x.db 2>err &&
	expect_code 2 j2w-chat-archive export "$W/small.db" -f pdf -o o 2>err &&
	expect_code 2 j2w-chat-archive export "$W/small.db" -f html 2>err &&
	expect_code 2 j2w-chat-archive export "$W/small.db" -f html --room nope@x -o o 2>err &&
	expect_code 2 j2w-chat-archive import --from-csv no-such-dir --to x.db 2>err &&
	test ! -e x.db &&
	j2w-chat-archive --help >out && must_contain out "usage: j2w-chat-archive import" &&
	j2w chat-archive --version >out && must_contain out "j2w "
'

finish
