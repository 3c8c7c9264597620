#!/bin/sh
# j2w-chat-archive against a real PostgreSQL loaded with the IM&P schema and the
# sample history: import, re-import, verify, a deleted and a changed source row,
# a killed import that resumes, read-only access, case-insensitive table names.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"

if ! pg_available; then
	skip 'j2w-chat-archive with PostgreSQL' "$PG_MISSING"
	finish
	exit
fi
pg_start || { say "cannot start PostgreSQL"; exit 4; }
pg_load "$SAMPLES/chat/chat.sql" || { say "cannot load the sample history"; exit 4; }
SAMPLE_DIGEST=30e93e3a2bded9a64477f18fef602515fe070b196bfdaf0cba873806c88640ce
# archives that later tests build on
W=$TRASH/work
mkdir -p "$W"

expect_success 'import reads every room, member, message and file' '
	j2w-chat-archive import --from-pg "$PG_CONNINFO" --to "$W/chat.db" 2>err &&
	cat >expected <<-EOF &&
	j2w-chat-archive: 5 rooms, 24 members, 300 messages read: 300 added, 0 already archived, 0 rejected; 26 files (26 added, 13 matched to messages)
	j2w-chat-archive: archive '\''$W/chat.db'\'': 300 messages, digest $SAMPLE_DIGEST
	EOF
	cmp_output expected err &&
	test "$(sqlite3 "$W/chat.db" "SELECT count(*) FROM messages")" = 300 &&
	test "$(sqlite3 "$W/chat.db" "SELECT name FROM rooms WHERE room_jid = '\''sales-emea@conference.example.com'\''")" = "Sales EMEA — Ventes & Vertrieb" &&
	test "$(sqlite3 "$W/chat.db" "SELECT count(*) FROM messages WHERE length(body) > 4000 AND stanza LIKE '\''<message%'\''")" = 13 &&
	test "$(sqlite3 "$W/chat.db" "SELECT min(sent_utc) FROM messages")" = 2024-03-01T08:52:11.855Z &&
	test "$(stat -c %a "$W/chat.db")" = 600 &&
	test "$(sqlite3 "$W/chat.db" "SELECT source FROM manifest")" = "pg:host=127.0.0.1 port=$PG_PORT dbname=chat user=j2w"
'

expect_success 'the same history from CSV dumps gives the same archive digest' '
	j2w-chat-archive import --from-csv "$SAMPLES/chat" --to csv.db 2>err &&
	must_contain err "digest $SAMPLE_DIGEST"
'

expect_success 're-import adds nothing and verify finds archive and source equal' '
	j2w-chat-archive import -q --from-pg "$PG_CONNINFO" --to "$W/chat.db" &&
	j2w-chat-archive import --from-pg "$PG_CONNINFO" --to "$W/chat.db" 2>err &&
	must_contain err "300 messages read: 0 added, 300 already archived" &&
	test "$(sqlite3 "$W/chat.db" "SELECT count(*) FROM messages")" = 300 &&
	test "$(sqlite3 "$W/chat.db" "SELECT group_concat(status) FROM manifest")" = complete,complete,complete &&
	j2w-chat-archive verify "$W/chat.db" --from-pg "$PG_CONNINFO" >out 2>err &&
	test "$(grep -c "\"status\":\"equal\"" out)" = 5 &&
	echo "j2w-chat-archive: 5 rooms, 300 messages in the source, 300 in the archive, 26 files: equal" >expected &&
	cmp_output expected err
'

expect_success 'a password in the connection string is refused' '
	PGPASSWORD=hunter2 j2w-chat-archive import -q --from-pg "$PG_CONNINFO" --to env.db &&
	sqlite3 env.db .dump >dump && must_not_contain dump hunter2 &&
	expect_code 2 j2w-chat-archive import --from-pg "$PG_CONNINFO password=hunter2" --to x.db 2>err &&
	must_contain err "password on the command line is refused" &&
	must_not_contain err hunter2 &&
	expect_code 2 j2w-chat-archive verify x.db --from-pg "postgresql://j2w:hunter2@127.0.0.1/chat" 2>err &&
	test ! -e x.db
'

expect_success 'a remote server without TLS is refused unless TLS is waived explicitly' '
	remote="host=127.0.0.2 port=$PG_PORT user=j2w dbname=chat" &&
	expect_code 4 j2w-chat-archive import --from-pg "$remote" --to tls.db 2>err &&
	must_contain err "SSL" &&
	must_contain err "TLS is verified for a remote server" &&
	test ! -e tls.db &&
	j2w-chat-archive import --insecure --from-pg "$remote" --to tls.db 2>err &&
	must_contain err "warning: --insecure" &&
	must_contain err "300 messages read: 300 added" &&
	j2w-chat-archive verify -q tls.db --from-pg "$remote sslmode=disable" >out 2>err &&
	echo "j2w-chat-archive: 5 rooms, 300 messages in the source, 300 in the archive, 26 files: equal" >want &&
	cmp_output want err &&
	PGSSLMODE=disable j2w-chat-archive verify -q tls.db --from-pg "$remote" >out &&
	expect_code 4 j2w-chat-archive verify tls.db --from-pg "$remote" --cacert "$TOP/tests/t6000-chat-archive-pg.sh" >out 2>err &&
	must_contain err "TLS is verified" &&
	expect_code 2 j2w-chat-archive verify tls.db --from-pg "$remote" --cacert no-such-ca.pem 2>err &&
	expect_code 2 j2w-chat-archive verify tls.db --from-csv "$SAMPLES/chat" --insecure 2>err
'

expect_success 'an unreachable server is exit 4 and leaves no archive' '
	port=$(python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])") &&
	expect_code 4 j2w-chat-archive import --from-pg "host=127.0.0.1 port=$port user=j2w dbname=chat connect_timeout=5" --to y.db 2>err &&
	must_contain err "cannot connect to PostgreSQL" &&
	test ! -e y.db
'

expect_success 'a read-only role and upper-case table names are enough' '
	pg_psql -c "CREATE SCHEMA imp; ALTER TABLE tc_users SET SCHEMA imp; ALTER TABLE imp.tc_users RENAME TO \"TC_USERS\";
		CREATE ROLE archiver LOGIN; GRANT USAGE ON SCHEMA public, imp TO archiver;
		GRANT SELECT ON ALL TABLES IN SCHEMA public, imp TO archiver;
		ALTER ROLE archiver SET search_path = public, imp;" &&
	j2w-chat-archive import --from-pg "host=127.0.0.1 port=$PG_PORT user=archiver dbname=chat" --to "$W/ro.db" 2>err &&
	must_contain err "5 rooms, 24 members, 300 messages read: 300 added" &&
	must_contain err "digest $SAMPLE_DIGEST" &&
	pg_psql -c "ALTER TABLE imp.\"TC_USERS\" RENAME TO tc_users; ALTER TABLE imp.tc_users SET SCHEMA public"
'

expect_success 'a missing table is bad input (exit 3)' '
	pg_psql -c "CREATE DATABASE empty" &&
	expect_code 3 j2w-chat-archive import --from-pg "host=127.0.0.1 port=$PG_PORT user=j2w dbname=empty" --to e.db 2>err &&
	must_contain err "no table '\''tc_rooms'\'' on the search path"
'

expect_success 'a killed import keeps whole batches and the next run completes it' '
	J2W_TEST_CHAT_BATCH=50 J2W_TEST_CHAT_KILL_AFTER=120 \
		j2w-chat-archive import -q --from-pg "$PG_CONNINFO" --to k.db 2>err
	test $? -eq 137 &&
	test "$(sqlite3 k.db "SELECT count(*) FROM messages")" = 100 &&
	# a first import builds its indexes at the end: the kept batches wait for the next run
	test "$(sqlite3 k.db "SELECT count(*) FROM messages WHERE body LIKE '\''%staging%'\''")" = 11 &&
	test "$(sqlite3 k.db "SELECT count(*) FROM meta WHERE key = '\''deferred_index'\''")" = 1 &&
	test "$(sqlite3 k.db "SELECT status || \" \" || source FROM manifest")" = "running pg:host=127.0.0.1 port=$PG_PORT dbname=chat user=j2w" &&
	expect_code 1 j2w-chat-archive verify k.db --from-pg "$PG_CONNINFO" >out 2>err &&
	must_contain err "in the archive, 26 files: DIFFERENT" &&
	j2w-chat-archive import --from-pg "$PG_CONNINFO" --to k.db 2>err &&
	must_contain err "300 messages read: 200 added, 100 already archived" &&
	must_contain err "digest $SAMPLE_DIGEST" &&
	test "$(sqlite3 k.db "SELECT group_concat(status) FROM manifest")" = interrupted,complete &&
	j2w-chat-archive verify -q k.db --from-pg "$PG_CONNINFO" >out &&
	sqlite3 k.db "INSERT INTO messages_fts(messages_fts) VALUES('\''integrity-check'\'')" &&
	test "$(sqlite3 k.db "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH '\''staging'\''")" = \
		"$(sqlite3 k.db "SELECT count(*) FROM messages WHERE body LIKE '\''%staging%'\''")"
'

expect_success 'verify names the room of a deleted and of a changed source row (exit 1)' '
	pg_psql -c "DELETE FROM tc_msgarchive WHERE to_jid = '\''dev-team@conference.example.com'\'' AND msg_id = 7;
		UPDATE tc_msgarchive SET body_string = '\''edited'\'', body_len = 6 WHERE to_jid = '\''general@conference.example.com'\'' AND msg_id = 3" &&
	expect_code 1 j2w-chat-archive verify "$W/chat.db" --from-pg "$PG_CONNINFO" >out 2>err &&
	cat >expected <<-\EOF &&
	j2w-chat-archive: room '\''dev-team@conference.example.com'\'': 1 archived message is no longer in the source
	j2w-chat-archive: room '\''general@conference.example.com'\'': 1 message reads differently in the source
	j2w-chat-archive: 5 rooms, 299 messages in the source, 300 in the archive, 26 files: DIFFERENT
	EOF
	cmp_output expected err &&
	grep "\"room\":\"dev-team@conference.example.com\"" out >dev &&
	must_contain dev "\"status\":\"different\"" &&
	must_contain dev "\"source_messages\":49,\"archive_messages\":50,\"missing\":0,\"extra\":1,\"changed\":0" &&
	test "$(grep -c "\"status\":\"equal\"" out)" = 3 &&
	j2w-chat-archive import --from-pg "$PG_CONNINFO" --to "$W/chat.db" 2>err &&
	must_contain err "299 messages read: 0 added, 299 already archived" &&
	must_contain err "1 archived messages differ from the source now" &&
	test "$(sqlite3 "$W/chat.db" "SELECT body FROM messages WHERE room_jid = '\''general@conference.example.com'\'' AND msg_id = 3")" != edited &&
	test "$(sqlite3 "$W/chat.db" "SELECT count(*) FROM messages")" = 300
'

expect_success 'a new source message is imported once, and found by verify before that' '
	pg_psql -c "INSERT INTO tc_msgarchive (msg_id, to_jid, from_jid, nick_jid, sent_date, msg_type, body_len, message_len, body_string, message_string)
		VALUES (1000, '\''dev-team@conference.example.com'\'', '\''zoe@example.com'\'', '\''dev-team@conference.example.com/Zoë'\'', '\''2024-06-01 10:00:00'\'', '\''g'\'', 5, 0, '\''late!'\'', NULL)" &&
	cp "$W/ro.db" new.db &&
	expect_code 1 j2w-chat-archive verify new.db --from-pg "$PG_CONNINFO" >out 2>err &&
	must_contain err "room '\''dev-team@conference.example.com'\'': 1 message in the source is not in the archive" &&
	j2w-chat-archive import -q --from-pg "$PG_CONNINFO" --to new.db &&
	j2w-chat-archive import --from-pg "$PG_CONNINFO" --to new.db 2>err &&
	must_contain err "300 messages read: 0 added, 300 already archived" &&
	test "$(sqlite3 new.db "SELECT count(*) FROM messages WHERE body = '\''late!'\''")" = 1
'

expect_success 'a body shorter than its BODY_LEN is rejected and counted, never archived cut' '
	pg_psql -c "INSERT INTO tc_msgarchive (msg_id, to_jid, from_jid, nick_jid, sent_date, msg_type, body_len, message_len, body_string, message_string)
		VALUES (1001, '\''dev-team@conference.example.com'\'', '\''zoe@example.com'\'', '\''dev-team@conference.example.com/Zoë'\'', '\''2024-06-02 10:00:00'\'', '\''g'\'', 4100, 0, '\''the first 4000 characters of a long mes'\'', NULL)" &&
	cp "$W/ro.db" cut.db &&
	expect_code 1 j2w-chat-archive import --from-pg "$PG_CONNINFO" --to cut.db 2>err &&
	must_contain err "BODY_LEN says 4100 (cut short?)" &&
	must_contain err "1 added, 299 already archived, 1 rejected" &&
	test "$(sqlite3 cut.db "SELECT count(*) FROM messages WHERE msg_id = 1001")" = 0
'

finish
