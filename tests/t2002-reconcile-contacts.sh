#!/bin/sh
# j2w-reconcile --contacts: contact records (or the IM&P export itself)
# rewritten to Webex emails, unmapped contacts, owners over the 500 limit.
. "$(dirname "$0")/lib.sh"

USERS=$DATA/reconcile/users.jsonl
CONTACTS=$DATA/reconcile/contacts.jsonl

expect_success 'sample contacts: emails filled in, unmapped ones flagged' '
	j2w-reconcile -s userid -d example.com --contacts "$CONTACTS" \
		--contacts-output c.jsonl "$USERS" >out 2>err; test $? -eq 1 &&
	test "$(wc -l <c.jsonl)" -eq "$(wc -l <"$CONTACTS")" &&
	head -n 1 c.jsonl >first &&
	cat >expected <<-\EOF &&
	{"owner":"alice@example.com","contact":"ahughes@example.com","group":"Contacts","source":"imp:samples/contacts/contacts.csv:2","owner_email":"alice@example.com","contact_email":"ahughes@example.com","findings":[]}
	EOF
	cmp_output expected first &&
	grep "\"contact\":\"kpatel@example.com\"" c.jsonl | head -n 1 >k &&
	must_contain k "\"message\":\"contact '\''kpatel@example.com'\'' is a user without a Webex email\"" &&
	must_not_contain k "\"contact_email\"" &&
	grep -c CONTACT-UNMAPPED c.jsonl >n && echo 39 >expected.n && cmp_output expected.n n &&
	must_contain err "63 users: 46 ok, 11 review, 6 blocked; 189 contacts, 39 with findings"
'

expect_success 'Directory URI mapping: the JID finds the user, the email is the URI' '
	grep "\"owner\":\"cwhite@example.com\"" "$CONTACTS" | head -n 1 >one.jsonl &&
	j2w-reconcile -s userid -d example.com --contacts one.jsonl --contacts-output c.jsonl \
		"$USERS" >/dev/null 2>&1; test $? -eq 1 &&
	must_contain c.jsonl "\"owner_email\":\"Carol.White@Example.com\""
'

expect_success 'the IM&P export read directly gives the same contacts' '
	printf "User ID,User Domain,Contact ID,Contact Domain,Nickname,Group Name\r\n" >exp.csv &&
	printf "bjones@usa,example.com,alice,example.com,Al,Team\r\n" >>exp.csv &&
	printf "ghost,example.com,alice,example.com,,Team\r\n" >>exp.csv &&
	printf "alice,example.com,,example.com,,Team\r\n" >>exp.csv &&
	expect_code 1 j2w-reconcile -s userid -d example.com --contacts exp.csv \
		--contacts-output c.jsonl "$USERS" >/dev/null 2>err &&
	cat >expected <<-\EOF &&
	{"owner":"bjones@usa@example.com","contact":"alice@example.com","nickname":"Al","group":"Team","source":"imp:exp.csv:2","owner_email":"bjones@example.com","contact_email":"alice@example.com","findings":[]}
	{"owner":"ghost@example.com","contact":"alice@example.com","group":"Team","source":"imp:exp.csv:3","contact_email":"alice@example.com","findings":[{"tool":"j2w-reconcile","check":"CONTACT-UNMAPPED","severity":"WARN","subject":"ghost@example.com","message":"owner '\''ghost@example.com'\'' is no migrating user","evidence":{"owner":"ghost@example.com"},"fix":"add that person to the migration with a Directory URI, or remove the contact from the owner'\''s list"}]}
	EOF
	cmp_output expected c.jsonl &&
	must_contain err "exp.csv:4: no Contact ID: row skipped"
'

expect_success 'an owner with more than 500 contacts is flagged, 500 is fine' '
	printf "{\"userid\":\"big\",\"directory_uri\":\"big@example.com\"}\n" >u.jsonl &&
	printf "{\"userid\":\"fine\",\"directory_uri\":\"fine@example.com\"}\n" >>u.jsonl &&
	i=0 && while [ $i -lt 501 ]; do
		printf "{\"userid\":\"u$i\",\"directory_uri\":\"u$i@example.com\"}\n" >>u.jsonl
		printf "{\"owner\":\"big@example.com\",\"contact\":\"u$i@example.com\"}\n" >>c.jsonl
		[ $i -lt 500 ] && printf "{\"owner\":\"fine@example.com\",\"contact\":\"u$i@example.com\"}\n" >>c.jsonl
		i=$((i + 1))
	done &&
	j2w-reconcile -s directory-uri --contacts c.jsonl --contacts-output out-c.jsonl \
		u.jsonl >out 2>err &&
	grep "\"userid\":\"big\"" out >big &&
	must_contain big "\"status\":\"review\"" &&
	must_contain big "\"check\":\"CONTACT-OVER-LIMIT\",\"severity\":\"WARN\",\"subject\":\"big\",\"message\":\"501 contacts, more than the 500 Webex imports per user\"" &&
	grep "\"userid\":\"fine\"" out >fine &&
	must_contain fine "\"status\":\"ok\"" &&
	must_contain err "503 users: 502 ok, 1 review, 0 blocked; 1001 contacts, 0 with findings" &&
	expect_code 1 j2w-reconcile -s directory-uri --fail-on WARN --contacts c.jsonl \
		--contacts-output out-c.jsonl u.jsonl >/dev/null 2>&1
'

finish
