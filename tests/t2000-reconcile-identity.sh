#!/bin/sh
# j2w-reconcile without a directory: every identity check on the sample org and
# on small hand-made records, the status and exit rules, usage errors.
. "$(dirname "$0")/lib.sh"

USERS=$DATA/reconcile/users.jsonl

# one line per user: "userid status CHECK/SEVERITY ..." (what a reviewer reads)
summarise() {
	python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r.get("userid", "-"), r.get("jid", "-"), r.get("webex_email", "-"), r["status"],
          " ".join("%s/%s" % (f["check"], f["severity"]) for f in r["findings"]))
'
}

expect_success 'sample org, userid scheme: each check fires on its user and nowhere else' '
	expect_code 1 j2w-reconcile --scheme userid --default-domain example.com \
		--webex-domain example.com "$USERS" >out 2>err &&
	summarise <out >got &&
	cmp_output "$DATA/reconcile/sample-userid.txt" got &&
	echo "j2w-reconcile: 63 users: 46 ok, 6 review, 11 blocked" >expected.err &&
	cmp_output expected.err err
'

expect_success 'every input key is kept, in order, and the new keys follow' '
	expect_code 1 j2w-reconcile -s userid -d example.com "$USERS" >out 2>/dev/null &&
	head -n 1 out >first &&
	cat >expected <<-\EOF &&
	{"userid":"alice","first_name":"Alice","last_name":"Ng","display_name":"Alice Ng","mailid":"alice@example.com","directory_uri":"alice@example.com","telephone_number":"+14085550100","primary_extension":"1001","department":"Sales","title":"Account Executive","manager":"bob","home_cluster":true,"im_presence_enabled":true,"service_profile":"SP_Jabber","uuid":"{C62049E6-8AD9-52F4-96DA-C906B3FB5BD8}","devices":[{"name":"CSFALICE","type":"CSF"},{"name":"BOTALICE","type":"BOT"}],"source":"bat:samples/cucm/cucm-a/export.tar/enduser.csv:2","jid":"alice@example.com","webex_email":"alice@example.com","status":"ok","findings":[]}
	EOF
	cmp_output expected first
'

expect_success 'directory-uri scheme with XMPP federation: one presence domain wanted' '
	expect_code 1 j2w-reconcile --scheme directory-uri --xmpp-federation "$USERS" \
		>out 2>err &&
	summarise <out >got &&
	cmp_output "$DATA/reconcile/sample-directory-uri.txt" got &&
	must_contain err "4 presence domains (XMPP federation takes one)" &&
	must_contain err "{\"emea.example.com\":2,\"example.com\":51,\"example.net\":1,\"sip.example.com\":1}" &&
	must_contain err "63 users:"
'

expect_success 'Webex email from Mail ID: URI-EMAIL-MISMATCH, EMAIL-MISSING, EMAIL-DUPLICATE' '
	cat >users.jsonl <<-\EOF &&
	{"userid":"mgarcia","mailid":"maria.garcia@example.com","directory_uri":"maria.garcia@example.com"}
	{"userid":"mgarcia.adm","mailid":"Maria.Garcia@example.com","im_presence_enabled":false}
	{"userid":"jsmith","mailid":"john.smith@example.com","directory_uri":"j.smith@example.com"}
	{"userid":"nomail","directory_uri":"nomail@example.com"}
	EOF
	expect_code 1 j2w-reconcile -s userid -d example.com --webex-email-from mailid \
		users.jsonl >out 2>err &&
	summarise <out >got &&
	cat >expected <<-\EOF &&
	mgarcia mgarcia@example.com maria.garcia@example.com blocked JID-URI-MISMATCH/INFO EMAIL-DUPLICATE/FAIL
	mgarcia.adm mgarcia.adm@example.com Maria.Garcia@example.com blocked URI-MISSING/WARN EMAIL-DUPLICATE/FAIL
	jsmith jsmith@example.com john.smith@example.com blocked URI-MAIL-MISMATCH/WARN URI-EMAIL-MISMATCH/FAIL JID-URI-MISMATCH/INFO
	nomail nomail@example.com - blocked EMAIL-MISSING/FAIL
	EOF
	cmp_output expected got &&
	grep "\"userid\":\"mgarcia\"" out >dup &&
	must_contain dup "\"check\":\"EMAIL-DUPLICATE\",\"severity\":\"FAIL\",\"subject\":\"mgarcia\",\"message\":\"webex_email '\''maria.garcia@example.com'\'' is shared by 2 users\",\"evidence\":{\"field\":\"webex_email\",\"value\":\"maria.garcia@example.com\",\"users\":2,\"user_ids\":[\"mgarcia\",\"mgarcia.adm\"]}"
'

expect_success 'invalid addresses, JIDs, duplicates by case, IDN domains, broken records' '
	cat >users.jsonl <<-\EOF &&
	{"userid":"Alice","directory_uri":"alice@example.com","mailid":"alice@example.com"}
	{"userid":"alice","directory_uri":"alice2@example.com","mailid":"alice2@example.com"}
	{"userid":"o'\''brien","directory_uri":"o'\''brien@example.com"}
	{"userid":"sp ace","directory_uri":"sp ace@example.com"}
	{"userid":"lit","directory_uri":"lit@[10.0.0.1]"}
	{"userid":"jose","directory_uri":"jose@xn--bcher-kva.example"}
	{"userid":"zoe","directory_uri":"ZOË@BÜCHER.example"}
	{"userid":"dom","directory_uri":"dom@example.org"}
	{"userid":42,"directory_uri":"x@example.com"}
	{"mailid":"nobody@example.com"}
	EOF
	expect_code 1 j2w-reconcile -s userid -d example.com -w example.com,bücher.example \
		users.jsonl >out 2>err &&
	summarise <out >got &&
	cmp_output "$DATA/reconcile/hand-checks.txt" got
'

expect_success 'duplicates across users: every one of them carries the finding' '
	cat >users.jsonl <<-\EOF &&
	{"userid":"a","directory_uri":"same@example.com"}
	{"userid":"b","directory_uri":"other@example.com"}
	{"userid":"c","directory_uri":"SAME@example.com"}
	{"userid":"d","directory_uri":"same@example.com","home_cluster":false}
	EOF
	expect_code 1 j2w-reconcile -s directory-uri users.jsonl >out 2>/dev/null &&
	summarise <out >got &&
	cat >expected <<-\EOF &&
	a same@example.com same@example.com blocked URI-DUPLICATE/FAIL
	b other@example.com other@example.com ok 
	c same@example.com SAME@example.com blocked URI-DUPLICATE/FAIL
	d same@example.com same@example.com ok 
	EOF
	cmp_output expected got
'

expect_success 'a very long non-ASCII address still gives whole findings' '
	python3 -c "import json; print(json.dumps({\"userid\": \"long\", \"directory_uri\": \"\u00e9\" * 700 + \"@example.com\"}))" >u.jsonl &&
	expect_code 1 j2w-reconcile -s directory-uri u.jsonl >out 2>err &&
	must_contain out "\"check\":\"EMAIL-INVALID\"" &&
	must_contain out "not a valid Webex email (address longer than 254 octets)" &&
	must_contain err "1 user: 0 ok, 0 review, 1 blocked"
'

expect_success '--fail-on sets the exit status; -o writes the file whole' '
	printf "{\"userid\":\"cw\",\"directory_uri\":\"Cw@example.com\",\"mailid\":\"cw@example.com\"}\n" >u.jsonl &&
	j2w-reconcile -s directory-uri -q u.jsonl >out 2>err &&
	must_be_empty err &&
	must_contain out "\"status\":\"review\"" &&
	expect_code 1 j2w-reconcile -s directory-uri --fail-on WARN -o res.jsonl u.jsonl >out 2>err &&
	must_be_empty out &&
	must_contain res.jsonl "\"check\":\"CASE-ONLY\"" &&
	j2w-reconcile -s directory-uri --fail-on warn u.jsonl >/dev/null 2>&1; test $? -eq 1
'

expect_success 'its own output read back gives the same output' '
	expect_code 1 j2w-reconcile -s userid -d example.com "$USERS" >once 2>/dev/null &&
	expect_code 1 j2w-reconcile -s userid -d example.com once >twice 2>/dev/null &&
	cmp_output once twice
'

expect_success 'bad input is exit 3 with file:line and nothing on stdout' '
	printf "{\"userid\":\"a\"}\nnot json\n" >bad.jsonl &&
	expect_code 3 j2w-reconcile -s directory-uri bad.jsonl >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-reconcile: bad.jsonl:2:"
'

expect_success 'usage errors are exit 2 and say what is wrong' '
	expect_code 2 j2w-reconcile "$USERS" 2>err && must_contain err "give the IM address scheme" &&
	expect_code 2 j2w-reconcile -s userid "$USERS" 2>err && must_contain err "needs --default-domain" &&
	expect_code 2 j2w-reconcile -s jid "$USERS" 2>err &&
	expect_code 2 j2w-reconcile -s userid -d "bad domain" "$USERS" 2>err &&
	expect_code 2 j2w-reconcile -s directory-uri -w "exa_mple.com" "$USERS" 2>err &&
	expect_code 2 j2w-reconcile -s directory-uri --webex-email-from ldap:mail "$USERS" 2>err &&
	must_contain err "needs --ldap" &&
	expect_code 2 j2w-reconcile -s directory-uri --webex-email-from upn "$USERS" 2>err &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap ldap://127.0.0.1:1/ "$USERS" 2>err &&
	must_contain err "--ldap needs --ldap-base" &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap-base dc=x "$USERS" 2>err &&
	expect_code 2 j2w-reconcile -s directory-uri --contacts c.jsonl "$USERS" 2>err &&
	expect_code 2 j2w-reconcile -s directory-uri --fail-on OK "$USERS" 2>err &&
	expect_code 2 j2w-reconcile -s directory-uri no-such.jsonl 2>err &&
	must_contain err "cannot open '\''no-such.jsonl'\''" &&
	j2w-reconcile --help >help && must_contain help "Exit status:"
'

finish
