#!/bin/sh
# j2w-reconcile --ldap against a real slapd on loopback, loaded with the sample
# directory (samples/ldap/directory.ldif): the LDAP checks, TLS verification,
# binds, filter injection, and a directory that is down.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/ldap/slapd.sh"

USERS=$DATA/reconcile/users.jsonl
BASE=dc=example,dc=com

summarise() {
	python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r.get("userid", "-"), r["status"],
          " ".join("%s/%s" % (f["check"], f["severity"]) for f in r["findings"]))
'
}

if ! slapd_have; then
	skip 'LDAP tests' 'slapd, slapadd, back_mdb, ldapsearch or openssl is missing'
	finish
	exit
fi
if ! slapd_start "$TRASH/slapd" "$SAMPLES/ldap/directory.ldif" >"$TRASH/slapd-start.log" 2>&1; then
	cat "$TRASH/slapd-start.log"
	echo "1..0"; echo "0 passed, 1 failed"; exit 1
fi
PW=$TRASH/slapd/reader.pw
READER=cn=reader,$BASE

expect_success 'StartTLS, verified: every LDAP check fires on its user and nowhere else' '
	expect_code 1 j2w-reconcile -s userid -d example.com -w example.com \
		--ldap "$LDAP_URI" --ldap-base "$BASE" --cacert "$LDAP_CA" \
		"$USERS" >out 2>err &&
	summarise <out >got &&
	cmp_output "$DATA/reconcile/sample-ldap.txt" got &&
	cat >expected.err <<-\EOF &&
	j2w-reconcile: 63 users: 39 ok, 10 review, 14 blocked
	j2w-reconcile: 63 LDAP searches (1.00 per user)
	EOF
	cmp_output expected.err err
'

expect_success 'what the directory holds is in the record, and the LDAP findings say why' '
	expect_code 1 j2w-reconcile -s userid -d example.com --ldap "$LDAP_URI" \
		--ldap-base "$BASE" --cacert "$LDAP_CA" "$USERS" >out 2>/dev/null &&
	grep "\"userid\":\"tjohnson\"" out >t &&
	must_contain t "\"ldap\":{\"dn\":\"uid=tjohnson,ou=People,dc=example,dc=com\",\"mail\":\"tom.johnson@example.com\",\"user_principal_name\":\"tjohnson@corp.example.com\",\"proxy_sip\":\"tom.johnson@example.com\"}" &&
	must_contain t "\"check\":\"LDAP-MAIL-MISMATCH\",\"severity\":\"FAIL\",\"subject\":\"tjohnson\",\"message\":\"ldap_mail '\''tom.johnson@example.com'\'' differs from directory_uri '\''tjohnson@example.com'\''" &&
	grep "\"userid\":\"hkim\"" out >h &&
	must_contain h "\"check\":\"LDAP-MISSING\",\"severity\":\"FAIL\",\"subject\":\"hkim\",\"message\":\"no directory entry for user '\''hkim'\''\"" &&
	must_not_contain h "\"ldap\":"
'

expect_success 'ldaps with a bind, window 1 and window 64 give the same output' '
	expect_code 1 j2w-reconcile -s userid -d example.com --ldap "$LDAPS_URI" \
		--ldap-base "$BASE" --ldap-bind-dn "$READER" --ldap-password-file "$PW" \
		--cacert "$LDAP_CA" --concurrency 1 "$USERS" >one 2>/dev/null &&
	expect_code 1 j2w-reconcile -s userid -d example.com --ldap "$LDAPS_URI" \
		--ldap-base "$BASE" --ldap-bind-dn "$READER" --ldap-password-file "$PW" \
		--cacert "$LDAP_CA" --concurrency 64 "$USERS" >many 2>/dev/null &&
	cmp_output one many &&
	summarise <one >got &&
	cmp_output "$DATA/reconcile/sample-ldap-nodomain.txt" got
'

expect_success 'the Webex email from an LDAP attribute' '
	expect_code 1 j2w-reconcile -s userid -d example.com --ldap "$LDAP_URI" \
		--ldap-base "$BASE" --cacert "$LDAP_CA" --webex-email-from ldap:mail \
		"$USERS" >out 2>/dev/null &&
	grep "\"userid\":\"tjohnson\"" out >t &&
	must_contain t "\"webex_email\":\"tom.johnson@example.com\"" &&
	must_contain t "\"check\":\"URI-EMAIL-MISMATCH\"" &&
	grep "\"userid\":\"hkim\"" out >h &&
	must_contain h "\"check\":\"EMAIL-MISSING\""
'

expect_success 'LDAP filter injection in user IDs finds nothing it should not' '
	cat >evil.jsonl <<-\EOF &&
	{"userid":"*","directory_uri":"star@example.com"}
	{"userid":"alice)(uid=*","directory_uri":"a1@example.com"}
	{"userid":"*)(|(uid=*","directory_uri":"a2@example.com"}
	{"userid":"alice\\2a","directory_uri":"a3@example.com"}
	{"userid":"al*","directory_uri":"a4@example.com"}
	{"userid":"x)(objectClass=*))(|(uid=x","directory_uri":"a5@example.com"}
	{"userid":"(uid=alice)","directory_uri":"a6@example.com"}
	{"userid":"alice","directory_uri":"alice@example.com"}
	EOF
	expect_code 1 j2w-reconcile -s directory-uri --ldap "$LDAP_URI" --ldap-base "$BASE" \
		--cacert "$LDAP_CA" evil.jsonl >out 2>err &&
	summarise <out >got &&
	cat >expected <<-\EOF &&
	* blocked LDAP-MISSING/FAIL
	alice)(uid=* blocked LDAP-MISSING/FAIL
	*)(|(uid=* blocked LDAP-MISSING/FAIL
	alice\2a blocked LDAP-MISSING/FAIL
	al* blocked LDAP-MISSING/FAIL
	x)(objectClass=*))(|(uid=x blocked LDAP-MISSING/FAIL
	(uid=alice) blocked LDAP-MISSING/FAIL
	alice ok 
	EOF
	cmp_output expected got
'

expect_success 'a filter template of the user'\''s own, and a bad one' '
	printf "{\"userid\":\"KWalker\",\"directory_uri\":\"KWalker@example.com\"}\n" >u.jsonl &&
	j2w-reconcile -s directory-uri --ldap "$LDAP_URI" --ldap-base "$BASE" \
		--cacert "$LDAP_CA" --ldap-filter "(&(objectClass=inetOrgPerson)(uid=%u))" \
		u.jsonl >out 2>err &&
	must_contain out "\"dn\":\"uid=KWalker,ou=People,dc=example,dc=com\"" &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap "$LDAP_URI" --ldap-base "$BASE" \
		--ldap-filter "(uid=%s)" u.jsonl >out 2>err &&
	must_contain err "only %u and %% may follow" &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap "$LDAP_URI" --ldap-base "$BASE" \
		--ldap-filter "(uid=x)" u.jsonl 2>err &&
	must_contain err "has no %u"
'

expect_success 'TLS is verified: an unknown CA is exit 4 unless --insecure' '
	printf "{\"userid\":\"alice\",\"directory_uri\":\"alice@example.com\"}\n" >u.jsonl &&
	expect_code 4 j2w-reconcile -s directory-uri --ldap "$LDAP_URI" --ldap-base "$BASE" \
		u.jsonl >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-reconcile: StartTLS with '\''$LDAP_URI'\'' failed" &&
	must_contain err "--cacert" &&
	expect_code 4 j2w-reconcile -s directory-uri --ldap "$LDAPS_URI" --ldap-base "$BASE" \
		u.jsonl >out 2>err &&
	must_be_empty out &&
	j2w-reconcile -s directory-uri --ldap "$LDAPS_URI" --ldap-base "$BASE" --insecure \
		u.jsonl >out 2>err &&
	must_contain err "warning: --insecure" &&
	must_contain out "\"status\":\"ok\"" &&
	j2w-reconcile -s directory-uri --ldap "$LDAP_URI" --ldap-base "$BASE" --ldap-plain \
		u.jsonl >out 2>err &&
	must_contain err "warning: --ldap-plain" &&
	must_contain out "\"status\":\"ok\""
'

expect_success 'binds: a wrong password is exit 4, a readable password file exit 2' '
	printf "{\"userid\":\"alice\",\"directory_uri\":\"alice@example.com\"}\n" >u.jsonl &&
	printf "wrong\n" >bad.pw && chmod 600 bad.pw &&
	expect_code 4 j2w-reconcile -s directory-uri --ldap "$LDAP_URI" --ldap-base "$BASE" \
		--cacert "$LDAP_CA" --ldap-bind-dn "$READER" --ldap-password-file bad.pw \
		u.jsonl >out 2>err &&
	must_be_empty out &&
	must_contain err "bind as '\''$READER'\'' to '\''$LDAP_URI'\'' failed: Invalid credentials" &&
	must_not_contain err "wrong" &&
	printf "reader-secret\n" >open.pw && chmod 644 open.pw &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap "$LDAP_URI" --ldap-base "$BASE" \
		--cacert "$LDAP_CA" --ldap-bind-dn "$READER" --ldap-password-file open.pw \
		u.jsonl >out 2>err &&
	must_be_empty out &&
	must_not_contain err "reader-secret"
'

expect_success 'a base DN that does not exist is exit 4 with nothing on stdout' '
	printf "{\"userid\":\"alice\",\"directory_uri\":\"alice@example.com\"}\n" >u.jsonl &&
	expect_code 4 j2w-reconcile -s directory-uri --ldap "$LDAP_URI" \
		--ldap-base "ou=Nowhere,$BASE" --cacert "$LDAP_CA" u.jsonl >out 2>err &&
	must_be_empty out &&
	must_contain err "search of '\''ou=Nowhere,dc=example,dc=com'\'' on '\''$LDAP_URI'\'' failed: No such object"
'

expect_success 'LDAP down: exit 4, a clear message, nothing on stdout' '
	port=$(slapd_free_port) &&
	expect_code 4 j2w-reconcile -s directory-uri --ldap "ldap://127.0.0.1:$port/" \
		--ldap-base "$BASE" --timeout 5 "$USERS" >out 2>err &&
	must_be_empty out &&
	cat >expected <<-EOF &&
	j2w-reconcile: StartTLS with '\''ldap://127.0.0.1:$port/'\'' failed: Can'\''t contact LDAP server
	EOF
	cmp_output expected err
'

expect_success 'the server going away mid-run is exit 4 and leaves no output file' '
	expect_code 1 j2w-reconcile -s directory-uri --ldap "$LDAP_URI" --ldap-base "$BASE" \
		--cacert "$LDAP_CA" -o before.jsonl "$USERS" 2>/dev/null &&
	test -s before.jsonl &&
	kill "$(cat "$TRASH/slapd/slapd.bgpid")" && sleep 0.5 &&
	expect_code 4 j2w-reconcile -s directory-uri --ldap "$LDAP_URI" --ldap-base "$BASE" \
		--cacert "$LDAP_CA" -o res.jsonl "$USERS" >out 2>err &&
	test ! -e res.jsonl &&
	must_be_empty out &&
	must_contain err "j2w-reconcile: StartTLS with"
'

finish
