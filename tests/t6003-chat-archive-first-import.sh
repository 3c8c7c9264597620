#!/bin/sh
# j2w-chat-archive: the first import of an archive loads the messages and builds
# their unique and full-text indexes after. The archive must be the one an
# import row by row gives (rows, files, digest, search, export), a source that
# repeats a message must count the same, and an import killed between the load
# and the build must leave an archive that the next run finishes.
. "$(dirname "$0")/lib.sh"

SAMPLE_DIGEST=30e93e3a2bded9a64477f18fef602515fe070b196bfdaf0cba873806c88640ce
QUERIES='review
forecast OR deploy*
"release plan"
bold NOT wiki
Иван OR Zoë'

# content DB: what a reader of the archive sees, without row ids and import ids
content() {
	sqlite3 -csv "$1" "SELECT room_jid, msg_id, sent_utc, from_jid, nick, msg_type, subject,
		body, stanza, has_file, digest FROM messages ORDER BY room_jid, msg_id, digest;
		SELECT f.aft_index, m.room_jid, m.msg_id FROM files f LEFT JOIN messages m
		ON m.id = f.message ORDER BY f.aft_index;
		SELECT room_jid, name, subject FROM rooms ORDER BY room_jid"
}

# searches DB: every query of QUERIES, its results as JSON Lines
searches() {
	printf '%s\n' "$QUERIES" | while read -r q; do
		echo "== $q"
		j2w-chat-archive search "$1" "$q" || echo "exit $?"
	done
}

# same A B: A and B read the same, search the same and export the same
same() {
	content "$1" >a.content && content "$2" >b.content && cmp_output a.content b.content &&
	searches "$1" >a.search && searches "$2" >b.search && cmp_output a.search b.search &&
	test "$(grep -c '^{' a.search)" -gt 20 &&
	j2w-chat-archive export -q "$1" -f jsonl -o a.export &&
	j2w-chat-archive export -q "$2" -f jsonl -o b.export &&
	diff -r a.export b.export
}

# half DIR: the sample dumps with only the first half of the messages
half() {
	mkdir "$1" && cp "$SAMPLES"/chat/*.csv "$1"/ &&
	python3 - "$SAMPLES/chat/TC_MSGARCHIVE.csv" "$1/TC_MSGARCHIVE.csv" <<-\EOF
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
	keep = rows[:1 + (len(rows) - 1) // 2]
	csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"), lineterminator="\r\n").writerows(keep)
	EOF
}

expect_success 'a first import and the same source in two steps give the same archive' '
	j2w-chat-archive import --from-csv "$SAMPLES/chat" --to first.db 2>err &&
	must_contain err "300 messages read: 300 added, 0 already archived" &&
	must_contain err "digest $SAMPLE_DIGEST" &&
	half half &&
	j2w-chat-archive import -q --from-csv half --to steps.db &&
	test "$(sqlite3 steps.db "SELECT count(*) FROM messages")" = 150 &&
	j2w-chat-archive import --from-csv "$SAMPLES/chat" --to steps.db 2>err &&
	must_contain err "300 messages read: 150 added, 150 already archived" &&
	must_contain err "digest $SAMPLE_DIGEST" &&
	same first.db steps.db &&
	for db in first.db steps.db; do
		sqlite3 $db "INSERT INTO messages_fts(messages_fts) VALUES ('\''integrity-check'\'')" &&
		test "$(sqlite3 $db "SELECT count(*) FROM meta WHERE key = '\''deferred_index'\''")" = 0 &&
		j2w-chat-archive verify -q $db --from-csv "$SAMPLES/chat" >/dev/null || return 1
	done &&
	j2w-chat-archive import --from-csv "$SAMPLES/chat" --to first.db 2>err &&
	must_contain err "300 messages read: 0 added, 300 already archived" &&
	content first.db >again.content && cmp_output a.content again.content
'

expect_success 'a source that repeats a message: the first is kept and the repeat counted, as row by row' '
	mkdir rep && cp "$SAMPLES"/chat/*.csv rep/ &&
	python3 - rep/TC_MSGARCHIVE.csv <<-\EOF &&
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
	again = list(rows[5]); again[8] = "edited later"; again[6] = str(len(again[8]))
	rows += [again, rows[7]]
	csv.writer(open(sys.argv[1], "w", newline="", encoding="utf-8"), lineterminator="\r\n").writerows(rows)
	EOF
	j2w-chat-archive import --from-csv rep --to first.db 2>err &&
	must_contain err "302 messages read: 300 added, 2 already archived" &&
	must_contain err "1 archived messages differ from the source now" &&
	must_contain err "digest $SAMPLE_DIGEST" &&
	half half && j2w-chat-archive import -q --from-csv half --to steps.db &&
	j2w-chat-archive import --from-csv rep --to steps.db 2>err &&
	must_contain err "302 messages read: 150 added, 152 already archived" &&
	must_contain err "1 archived messages differ from the source now" &&
	same first.db steps.db &&
	test "$(sqlite3 first.db "SELECT count(*) FROM messages WHERE body = '\''edited later'\''")" = 0
'

expect_success 'an import killed between loading and indexing is finished by the next run' '
	j2w-chat-archive import -q --from-csv "$SAMPLES/chat" --to clean.db &&
	J2W_TEST_CHAT_KILL_BEFORE_INDEX=1 j2w-chat-archive import -q --from-csv "$SAMPLES/chat" --to k.db
	test $? -eq 137 &&
	test "$(sqlite3 k.db "SELECT count(*) FROM messages")" = 300 &&
	test "$(sqlite3 k.db "SELECT status FROM manifest")" = running &&
	test "$(sqlite3 k.db "SELECT count(*) FROM meta WHERE key = '\''deferred_index'\''")" = 1 &&
	test "$(sqlite3 k.db "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH '\''review'\''")" = 0 &&
	expect_code 3 j2w-chat-archive search k.db review >out 2>err &&
	must_be_empty out &&
	must_contain err "the full-text index is not built yet" &&
	must_contain err "run the import again to finish it" &&
	j2w-chat-archive import --from-csv "$SAMPLES/chat" --to k.db 2>err &&
	must_contain err "300 messages read: 0 added, 300 already archived" &&
	must_contain err "26 files (0 added, 13 matched to messages)" &&
	must_contain err "digest $SAMPLE_DIGEST" &&
	test "$(sqlite3 k.db "SELECT group_concat(status) FROM manifest")" = interrupted,complete &&
	sqlite3 k.db "INSERT INTO messages_fts(messages_fts) VALUES ('\''integrity-check'\'')" &&
	same clean.db k.db &&
	j2w-chat-archive verify -q k.db --from-csv "$SAMPLES/chat" >/dev/null
'

expect_success 'an import killed while loading: the next run repairs, then carries on row by row' '
	J2W_TEST_CHAT_BATCH=40 J2W_TEST_CHAT_KILL_AFTER=130 \
		j2w-chat-archive import -q --from-csv "$SAMPLES/chat" --to k.db
	test $? -eq 137 &&
	test "$(sqlite3 k.db "SELECT count(*) FROM messages")" = 120 &&
	j2w-chat-archive import -q --from-csv "$SAMPLES/chat" --to clean.db &&
	j2w-chat-archive import --from-csv "$SAMPLES/chat" --to k.db 2>err &&
	must_contain err "300 messages read: 180 added, 120 already archived" &&
	test "$(sqlite3 k.db "SELECT count(*) FROM meta WHERE key = '\''deferred_index'\''")" = 0 &&
	same clean.db k.db
'

finish
