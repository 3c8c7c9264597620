#!/bin/sh
# j2w-chat-archive import from CSV dumps that are not whole: a dump cut off inside a
# row (a full disk, an interrupted copy), a body shorter than its BODY_LEN, a field
# over the size limit or with a NUL byte, the wrong encoding, a stray quote. A
# damaged row is rejected and counted (exit 1), never archived as if whole, and a
# later import of the whole dump archives it. Also: a room called "index" is not
# written over by the index page of an HTML export.
#
# The dump (tests/data/chat/dump) has the tables and columns of Cisco's "Database
# Setup for IM and Presence Service on Cisco Unified Communications Manager",
# chapter External Database Tables (Release 12.5(1):
# https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cucm/im_presence/database_setup/12_5_1/cup0_b_database-setup-guide-1251/cup0_mp_edff2920_00_external-database-tables.html ;
# TC_ROOMS and TC_USERS as in Release 9.1(1):
# http://www.cisco.com/en/US/docs/voice_ip_comm/cucm/im_presence/database_setup/9_1_1/CUP0_BK_D01C1669_00_database-setup-guide-imp-91_chapter_011.html),
# written as a SQL client writes CSV: a header row, RFC 4180 quoting, CRLF row ends,
# line breaks inside quoted bodies, an empty field for NULL. Cisco does not say
# whether BODY_LEN counts bytes or characters: the dump counts characters, and only
# a body with fewer bytes than BODY_LEN counts as cut.
. "$(dirname "$0")/lib.sh"

DUMP=$DATA/chat/dump

# cut_after FILE TEXT: FILE ends right after the first TEXT in it (a copy cut short)
cut_after() {
	python3 - "$1" "$2" <<-\EOF
	import sys
	path, text = sys.argv[1], sys.argv[2].encode()
	data = open(path, "rb").read()
	at = data.index(text) + len(text)
	open(path, "wb").write(data[:at])
	EOF
}

# msgs DB: the archived messages as ROOM-LOCALPART|MSG_ID|BODY BYTES, in order
msgs() {
	sqlite3 "$1" "SELECT substr(room_jid, 1, instr(room_jid, '@') - 1), msg_id, length(CAST(body AS BLOB)) FROM messages ORDER BY room_jid, msg_id"
}

expect_success 'the whole dump archives every row' '
	j2w-chat-archive import --from-csv "$DUMP" --to whole.db 2>err &&
	must_contain err "2 rooms, 3 members, 8 messages read: 8 added, 0 already archived, 0 rejected; 1 file (1 added" &&
	msgs whole.db >"$TRASH/whole.msgs" &&
	test "$(wc -l <"$TRASH/whole.msgs")" = 8
'

expect_success 'a dump cut off inside its last row: that message is rejected, not archived half (exit 1)' '
	cp -R "$DUMP" cut &&
	cut_after cut/TC_MSGARCHIVE.csv "Last ca" &&
	expect_code 1 j2w-chat-archive import --from-csv cut --to a.db 2>err &&
	must_contain err "j2w-chat-archive: TC_MSGARCHIVE.csv:255: 9 fields where the header has 13 (cut short?): row not archived" &&
	must_contain err "8 messages read: 7 added, 0 already archived, 1 rejected" &&
	test "$(sqlite3 a.db "SELECT count(*) FROM messages WHERE body LIKE \"Last%\"")" = 0 &&
	expect_code 1 j2w-chat-archive verify -q a.db --from-csv cut >/dev/null 2>&1
'

expect_success 'the whole dump imported after the cut one archives that message whole' '
	cp -R "$DUMP" cut &&
	cut_after cut/TC_MSGARCHIVE.csv "Last ca" &&
	expect_code 1 j2w-chat-archive import -q --from-csv cut --to a.db &&
	j2w-chat-archive import --from-csv "$DUMP" --to a.db 2>err &&
	must_contain err "8 messages read: 1 added, 7 already archived, 0 rejected" &&
	test "$(sqlite3 a.db "SELECT body FROM messages WHERE body LIKE \"Last%\"")" = "Last call" &&
	msgs a.db >out && cmp_output "$TRASH/whole.msgs" out &&
	j2w-chat-archive verify a.db --from-csv "$DUMP" >/dev/null 2>err &&
	must_contain err "8 messages in the source, 8 in the archive, 1 file: equal"
'

expect_success 'a dump cut off inside a long quoted body: the lines it spans are named' '
	cp -R "$DUMP" cut &&
	cut_after cut/TC_MSGARCHIVE.csv "09:30 router 30 dropped" &&
	expect_code 1 j2w-chat-archive import --from-csv cut --to a.db 2>err &&
	must_contain err "j2w-chat-archive: TC_MSGARCHIVE.csv:8: the file ends inside a quoted field (cut short?) (lines 8-39): row not archived" &&
	must_contain err "3 messages read: 2 added, 0 already archived, 1 rejected" &&
	test "$(sqlite3 a.db "SELECT group_concat(msg_id) FROM messages")" = "1,2" &&
	j2w-chat-archive import --from-csv "$DUMP" --to a.db 2>err &&
	must_contain err "8 messages read: 6 added, 2 already archived, 0 rejected" &&
	msgs a.db >out && cmp_output "$TRASH/whole.msgs" out
'

expect_success 'a body shorter than its BODY_LEN (a tool that cut long text) is rejected' '
	cp -R "$DUMP" short &&
	python3 -c "
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline=\"\", encoding=\"utf-8\")))
for r in rows:
    if len(r[10]) > 4000:
        r[10] = r[10][:4000]
csv.writer(open(sys.argv[1], \"w\", newline=\"\", encoding=\"utf-8\"), lineterminator=\"\r\n\").writerows(rows)
" short/TC_MSGARCHIVE.csv &&
	expect_code 1 j2w-chat-archive import --from-csv short --to a.db 2>err &&
	must_contain err "j2w-chat-archive: TC_MSGARCHIVE.csv:8: the body has 4000 bytes where BODY_LEN says 6539 (cut short?)" &&
	must_contain err "8 messages read: 7 added, 0 already archived, 1 rejected" &&
	j2w-chat-archive import -q --from-csv "$DUMP" --to a.db &&
	msgs a.db >out && cmp_output "$TRASH/whole.msgs" out
'

expect_success 'a field over the size limit, or with a NUL byte, rejects that row only (exit 1, not 3)' '
	cp -R "$DUMP" big &&
	{ printf "9,design@conference.example.com,carol@example.com,design@conference.example.com/Carol,2024-03-05 15:00:00,g,,,\"" &&
		head -c 4200000 /dev/zero | tr "\0" x &&
		printf "\",,,,\r\n10,design@conference.example.com,carol@example.com,design@conference.example.com/Carol,2024-03-05 15:01:00,g,2,,n\0l,,,,\r\n" &&
		printf "11,design@conference.example.com,carol@example.com,design@conference.example.com/Carol,2024-03-05 15:02:00,g,5,,after,,,,\r\n"; } >>big/TC_MSGARCHIVE.csv &&
	expect_code 1 j2w-chat-archive import --from-csv big --to a.db 2>err &&
	must_contain err "TC_MSGARCHIVE.csv:256: a field longer than 4194304 bytes: row not archived" &&
	must_contain err "TC_MSGARCHIVE.csv:257: a NUL byte in a field (is the file UTF-16?): row not archived" &&
	must_contain err "11 messages read: 9 added, 0 already archived, 2 rejected" &&
	test "$(sqlite3 a.db "SELECT body FROM messages WHERE msg_id = 11")" = after
'

expect_success 'a quote that does not close swallows the next row: one rejected row names both lines' '
	cp -R "$DUMP" quote &&
	sed -i "253s/<\/message>\",,,/<\/message>,,,/" quote/TC_MSGARCHIVE.csv &&
	expect_code 1 j2w-chat-archive import --from-csv quote --to a.db 2>err &&
	must_contain err "TC_MSGARCHIVE.csv:253: text after the closing quote of a field (lines 253-254): row not archived" &&
	must_contain err "7 messages read: 6 added, 0 already archived, 1 rejected" &&
	test "$(sqlite3 a.db "SELECT count(*) FROM messages WHERE room_jid LIKE \"design@%\"")" = 1
'

expect_success 'damaged rows of the other tables are rejected and counted too' '
	cp -R "$DUMP" other &&
	cut_after other/AFT_LOG.csv "/mft/e3b0" &&
	cut_after other/TC_ROOMS.csv "design@conference.example.com,carol@example.com,,persistent,<x xmlns=" &&
	expect_code 1 j2w-chat-archive import --from-csv other --to a.db 2>err &&
	must_contain err "TC_ROOMS.csv:3: 5 fields where the header has 8 (cut short?): row not archived" &&
	must_contain err "AFT_LOG.csv:2: 8 fields where the header has 10 (cut short?): row not archived" &&
	must_contain err "messages read: 8 added, 0 already archived, 0 rejected" &&
	must_contain err "2 rows of rooms, members or files rejected" &&
	test "$(sqlite3 a.db "SELECT count(*) FROM files")" = 0 &&
	test "$(sqlite3 a.db "SELECT count(*) FROM rooms WHERE room_jid LIKE \"design@%\" AND config IS NOT NULL")" = 0 &&
	j2w-chat-archive import --from-csv "$DUMP" --to a.db 2>err &&
	must_contain err "1 file (1 added" &&
	test "$(sqlite3 a.db "SELECT name FROM rooms WHERE room_jid LIKE \"design@%\"")" = "Design & UX"
'

expect_success 'the wrong encoding: UTF-16 is exit 3 and leaves no archive; Latin-1 is repaired and said' '
	mkdir u16 && cp "$DUMP"/* u16/ &&
	iconv -f UTF-8 -t UTF-16 "$DUMP/TC_MSGARCHIVE.csv" >u16/TC_MSGARCHIVE.csv &&
	expect_code 3 j2w-chat-archive import --from-csv u16 --to u.db 2>err &&
	must_contain err "TC_MSGARCHIVE.csv:1: the header row is not whole: a NUL byte in a field (is the file UTF-16?)" &&
	test ! -e u.db &&
	mkdir latin && cp "$DUMP"/* latin/ &&
	iconv -f UTF-8 -t LATIN1//TRANSLIT "$DUMP/TC_MSGARCHIVE.csv" >latin/TC_MSGARCHIVE.csv &&
	j2w-chat-archive import --from-csv latin --to l.db 2>err &&
	must_contain err "TC_MSGARCHIVE.csv:251: invalid UTF-8 replaced by U+FFFD" &&
	must_contain err "8 messages read: 8 added, 0 already archived, 0 rejected"
'

expect_success 'a room called index keeps its own page beside the index of an HTML export' '
	mkdir idx && cp "$DUMP"/* idx/ &&
	sed -i "s/^\(3,\)design@conference.example.com,/\1index,/" idx/TC_MSGARCHIVE.csv &&
	printf "index,dave@example.com,,persistent,,,1,4\r\n" >>idx/TC_ROOMS.csv &&
	j2w-chat-archive import -q --from-csv idx --to i.db &&
	j2w-chat-archive export -q i.db -f html -o html &&
	test "$(ls html | wc -l)" = 4 &&
	must_contain html/index.html "<title>Persistent chat archive</title>" &&
	page=$(ls html | grep "^index-[0-9a-f]\{12\}\.html$") &&
	must_contain html/index.html "<a href=\"$page\">" &&
	must_contain "html/$page" "Last call" &&
	must_not_contain html/index.html "Last call"
'

finish
