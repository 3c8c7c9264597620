#!/bin/sh
# Secrets: a URL that carries credentials is refused and never echoed; a process
# that holds a secret cannot dump core (nor be read by another process of its user).
. "$(dirname "$0")/lib.sh"

expect_success 'a URL with credentials is refused (exit 2) in every URL option, and not echoed' '
	printf "{\"email\":\"a@example.com\",\"calling_behavior\":\"ucm\"}\n" >rows.jsonl &&
	printf "{\"userid\":\"ann\"}\n" >u.jsonl &&
	expect_code 2 j2w-users --axl https://axladmin:s3cr3t@127.0.0.1:1/axl/ >out 2>err &&
	must_contain err "--axl: a URL that carries credentials is refused" &&
	must_contain err "--axl-credentials FILE" &&
	expect_code 2 j2w-users --axl axladmin:s3cr3t@127.0.0.1:8443/axl/ >>out 2>>err &&
	WEBEX_TOKEN=tok expect_code 2 j2w-apply --api https://x:s3cr3t@127.0.0.1:1/v1 rows.jsonl \
		>>out 2>>err &&
	must_contain err "--api: a URL that carries credentials is refused" &&
	WEBEX_TOKEN=tok WEBEX_API=https://s3cr3t@127.0.0.1:1/v1 expect_code 2 j2w-apply rows.jsonl \
		>>out 2>>err &&
	must_contain err "WEBEX_API: a URL that carries credentials is refused" &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap "ldaps://cn=admin:s3cr3t@127.0.0.1" \
		--ldap-base dc=example,dc=com u.jsonl >>out 2>>err &&
	must_contain err "--ldap: a URL that carries credentials is refused" &&
	must_be_empty out &&
	must_not_contain err "s3cr3t" &&
	must_not_contain err "127.0.0.1"
'

expect_success 'once the AXL password is loaded, the process is not dumpable' '
	port=$(python3 -I -S -c "import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])") &&
	# a server that takes the connection and never answers: j2w-users waits, holding the password
	start_bg silent.pid python3 -I -S -c "import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((\"127.0.0.1\", $port)); s.listen(8)
c = s.accept(); time.sleep(60)" &&
	sleep 0.3 &&
	# root may read anything: the reader is then an unprivileged user, as is the command
	if [ "$(id -u)" = 0 ]; then as="setpriv --reuid=nobody --regid=nogroup --clear-groups"; else as=""; fi &&
	{ AXL_USER=axl AXL_PASSWORD=s3cr3t $as "$TOP/bin/j2w-users" \
		--axl "http://127.0.0.1:$port/axl/" --timeout 20 >out 2>err & pid=$!; } &&
	sleep 1 &&
	test -e "/proc/$pid" &&
	if $as cat "/proc/$pid/environ" >environ 2>/dev/null; then
		say "another process of its user read its environment" && kill $pid && false
	else
		kill $pid
	fi
'

finish
