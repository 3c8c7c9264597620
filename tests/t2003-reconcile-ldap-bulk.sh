#!/bin/sh
# j2w-reconcile --ldap reading the directory in bulk (one paged search) and one
# search per user give the same findings, byte for byte, against the same slapd:
# the sample, a generated wave of 1,200 users with the awkward cases (missing,
# ambiguous, found by sAMAccountName only, another case, spaces, non-ASCII),
# when the choice is made by itself, and when a bulk read gives way.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/ldap/slapd.sh"

USERS=$DATA/reconcile/users.jsonl
BASE=dc=example,dc=com

if ! slapd_have; then
	skip 'LDAP bulk tests' 'slapd, slapadd, back_mdb, ldapsearch or openssl is missing'
	finish
	exit
fi

# The wave: 1,200 users w00000..w01199 in ou=Wave. One in 10 has no entry, one
# in 50 has a second entry with the same uid (in ou=Others), one in 7 is found
# by sAMAccountName only, one in 13 is written in capitals in the records, one
# in 17 has another mail; one has spaces round its ID, one a non-ASCII ID in
# another case. 8,000 more entries (ou=Filler) make a directory of 9,164 entries
# that the default filter finds: 7.6 per user of the wave, 9.2 per user of a
# wave of 1,000 (bulk is chosen up to LDAPBULK_ENTRIES_PER_USER, 8).
python3 - "$TRASH/wave.jsonl" "$TRASH/wave.ldif" "$SAMPLES/ldap/directory.ldif" <<'PY'
import json, sys
users, ldif, sample = sys.argv[1], sys.argv[2], sys.argv[3]
def entry(l, dn, uid, sam, mail):
    l.write("\ndn: %s\nobjectClass: inetOrgPerson\nobjectClass: j2wADUser\n" % dn)
    if uid:
        l.write("uid: %s\n" % uid)
    l.write("sAMAccountName: %s\ncn: %s\nsn: %s\nmail: %s\n" % (sam, sam, sam, mail))
    l.write("userPrincipalName: %s@corp.example.com\nproxyAddresses: SIP:%s\n" % (sam, mail))
with open(users, "w", encoding="utf-8") as u, open(ldif, "w", encoding="utf-8") as l:
    l.write(open(sample, encoding="utf-8").read())
    l.write("\ndn: ou=Wave,dc=example,dc=com\nobjectClass: organizationalUnit\nou: Wave\n")
    l.write("\ndn: ou=Others,dc=example,dc=com\nobjectClass: organizationalUnit\nou: Others\n")
    l.write("\ndn: ou=Filler,dc=example,dc=com\nobjectClass: organizationalUnit\nou: Filler\n")
    for i in range(1200):
        uid = "w%05d" % i
        mail = "%s@example.com" % uid
        rec_uid = uid.upper() if i % 13 == 5 else uid
        if i == 42:
            rec_uid = "  w00042 "
        if i == 43:
            uid, rec_uid = "w\u00e9lodie43", "W\u00c9LODIE43"
        u.write(json.dumps({"userid": rec_uid, "mailid": mail, "directory_uri": mail,
                            "home_cluster": True, "im_presence_enabled": True},
                           ensure_ascii=False) + "\n")
        if i % 10 == 9:
            continue
        dn = "cn=%s,ou=Wave,dc=example,dc=com" % uid
        entry(l, dn, None if i % 7 == 3 else uid, uid,
              "x%s@example.com" % uid if i % 17 == 2 else mail)
        if i % 50 == 24:
            entry(l, "cn=%s,ou=Others,dc=example,dc=com" % uid, uid, uid + "-2", mail)
    for i in range(8000):
        f = "f%05d" % i
        entry(l, "cn=%s,ou=Filler,dc=example,dc=com" % f, f, f, "%s@example.com" % f)
PY
head -n 1000 "$TRASH/wave.jsonl" >"$TRASH/wave1000.jsonl"

# one directory lets a paged search read it all (as Active Directory does); the
# other keeps OpenLDAP's rule that a paged search stops at the size limit (1000)
if ! slapd_start "$TRASH/big" "$TRASH/wave.ldif" "sizelimit size.prtotal=unlimited" \
	>"$TRASH/slapd-big.log" 2>&1; then
	cat "$TRASH/slapd-big.log"
	echo "1..0"; echo "0 passed, 1 failed"; exit 1
fi
BIG=$LDAP_URI BIG_CA=$LDAP_CA
if ! slapd_start "$TRASH/limited" "$TRASH/wave.ldif" >"$TRASH/slapd-limited.log" 2>&1; then
	cat "$TRASH/slapd-limited.log"
	echo "1..0"; echo "0 passed, 1 failed"; exit 1
fi
LIMITED=$LDAP_URI LIMITED_CA=$LDAP_CA

expect_success 'the sample: bulk and per user give the same bytes, and the expected findings' '
	expect_code 1 j2w-reconcile -s userid -d example.com -w example.com --ldap "$BIG" \
		--ldap-base "$BASE" --cacert "$BIG_CA" --ldap-per-user "$USERS" >one 2>one.err &&
	expect_code 1 j2w-reconcile -s userid -d example.com -w example.com --ldap "$BIG" \
		--ldap-base "$BASE" --cacert "$BIG_CA" --ldap-bulk "$USERS" >bulk 2>bulk.err &&
	cmp_output one bulk &&
	python3 -c "
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r.get(\"userid\", \"-\"), r[\"status\"],
          \" \".join(\"%s/%s\" % (f[\"check\"], f[\"severity\"]) for f in r[\"findings\"]))
" <bulk >got &&
	cmp_output "$DATA/reconcile/sample-ldap.txt" got &&
	must_contain one.err "63 LDAP searches (1.00 per user)" &&
	must_contain bulk.err "1 paged LDAP search: " &&
	must_not_contain bulk.err "LDAP searches"
'

expect_success 'bulk from a pipe, with ldap:mail, a filter template, filter injection' '
	cat "$USERS" | expect_code 1 j2w-reconcile -s userid -d example.com --ldap "$BIG" \
		--ldap-base "$BASE" --cacert "$BIG_CA" --webex-email-from ldap:mail --ldap-bulk \
		>bulk 2>/dev/null &&
	expect_code 1 j2w-reconcile -s userid -d example.com --ldap "$BIG" --ldap-base "$BASE" \
		--cacert "$BIG_CA" --webex-email-from ldap:mail --ldap-per-user "$USERS" >one 2>/dev/null &&
	cmp_output one bulk &&
	f="(&(objectClass=inetOrgPerson)(uid=%u))" &&
	expect_code 1 j2w-reconcile -s userid -d example.com --ldap "$BIG" --ldap-base "$BASE" \
		--cacert "$BIG_CA" --ldap-filter "$f" --ldap-bulk "$USERS" >bulk 2>/dev/null &&
	expect_code 1 j2w-reconcile -s userid -d example.com --ldap "$BIG" --ldap-base "$BASE" \
		--cacert "$BIG_CA" --ldap-filter "$f" --ldap-per-user "$USERS" >one 2>/dev/null &&
	cmp_output one bulk &&
	cat >evil.jsonl <<-\EOF &&
	{"userid":"*","directory_uri":"star@example.com"}
	{"userid":"alice)(uid=*","directory_uri":"a1@example.com"}
	{"userid":"al*","directory_uri":"a4@example.com"}
	{"userid":"","directory_uri":"empty@example.com"}
	{"directory_uri":"nouserid@example.com"}
	{"userid":"alice","directory_uri":"alice@example.com"}
	EOF
	expect_code 1 j2w-reconcile -s directory-uri --ldap "$BIG" --ldap-base "$BASE" \
		--cacert "$BIG_CA" --ldap-bulk evil.jsonl >bulk 2>/dev/null &&
	expect_code 1 j2w-reconcile -s directory-uri --ldap "$BIG" --ldap-base "$BASE" \
		--cacert "$BIG_CA" --ldap-per-user evil.jsonl >one 2>/dev/null &&
	cmp_output one bulk &&
	test "$(grep -c LDAP-MISSING bulk)" = 3
'

expect_success 'a wave of 1,200: bulk chosen by itself, the same bytes as per user' '
	expect_code 1 j2w-reconcile -s directory-uri --ldap "$BIG" --ldap-base "$BASE" \
		--cacert "$BIG_CA" "$TRASH/wave.jsonl" >auto 2>auto.err &&
	must_contain auto.err "1 paged LDAP search: 9164 entries in 19 pages, 1080 kept for the 1200 users of this wave" &&
	must_not_contain auto.err "LDAP searches" &&
	expect_code 1 j2w-reconcile -s directory-uri --ldap "$BIG" --ldap-base "$BASE" \
		--cacert "$BIG_CA" --ldap-per-user "$TRASH/wave.jsonl" >one 2>one.err &&
	must_contain one.err "1200 LDAP searches (1.00 per user)" &&
	cmp_output one auto &&
	test "$(grep -c "\"LDAP-MISSING\"" auto)" = 120 &&
	test "$(grep -c "\"LDAP-AMBIGUOUS\"" auto)" = 24 &&
	test "$(grep -c "\"LDAP-MAIL-MISMATCH\"" auto)" = 62 &&
	grep "\"userid\":\"  w00042 \"" auto >u42 &&
	must_contain u42 "\"dn\":\"cn=w00042,ou=Wave,dc=example,dc=com\"" &&
	grep "LODIE43" auto >u43 &&
	must_contain u43 "\"dn\":\"cn=wélodie43,ou=Wave,dc=example,dc=com\""
'

expect_success 'a directory over 8 entries per user of the wave: the bulk read gives way' '
	expect_code 1 j2w-reconcile -s directory-uri --ldap "$BIG" --ldap-base "$BASE" \
		--cacert "$BIG_CA" "$TRASH/wave1000.jsonl" >auto 2>auto.err &&
	must_contain auto.err "j2w-reconcile: the directory has more than 8 entries per user of this wave (stopped reading it after 8000): one search per user instead" &&
	must_contain auto.err "1000 LDAP searches (1.00 per user)" &&
	expect_code 1 j2w-reconcile -s directory-uri --ldap "$BIG" --ldap-base "$BASE" \
		--cacert "$BIG_CA" --ldap-bulk "$TRASH/wave1000.jsonl" >bulk 2>bulk.err &&
	must_contain bulk.err "1 paged LDAP search: 9164 entries" &&
	cmp_output auto bulk
'

expect_success 'a server that stops paged searches at its size limit: per user, or exit 4 when forced' '
	expect_code 1 j2w-reconcile -s directory-uri --ldap "$LIMITED" --ldap-base "$BASE" \
		--cacert "$LIMITED_CA" "$TRASH/wave.jsonl" >auto 2>auto.err &&
	must_contain auto.err "j2w-reconcile: paged search of '\''dc=example,dc=com'\'' on '\''$LIMITED'\'' failed: Size limit exceeded: one search per user instead" &&
	must_contain auto.err "1200 LDAP searches (1.00 per user)" &&
	expect_code 1 j2w-reconcile -s directory-uri --ldap "$BIG" --ldap-base "$BASE" \
		--cacert "$BIG_CA" --ldap-per-user "$TRASH/wave.jsonl" >one 2>/dev/null &&
	cmp_output one auto &&
	expect_code 4 j2w-reconcile -s directory-uri --ldap "$LIMITED" --ldap-base "$BASE" \
		--cacert "$LIMITED_CA" --ldap-bulk "$TRASH/wave.jsonl" >out 2>err &&
	must_be_empty out &&
	must_contain err "failed: Size limit exceeded"
'

expect_success 'usage: the two choices exclude each other, and a template must suit a bulk read' '
	printf "{\"userid\":\"alice\",\"directory_uri\":\"alice@example.com\"}\n" >u.jsonl &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap "$BIG" --ldap-base "$BASE" \
		--ldap-bulk --ldap-per-user u.jsonl 2>err &&
	must_contain err "--ldap-bulk and --ldap-per-user exclude each other" &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap-bulk u.jsonl 2>err &&
	must_contain err "need --ldap URI" &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap "$BIG" --ldap-base "$BASE" \
		--ldap-filter "(mail=%u@example.com)" --ldap-bulk u.jsonl 2>err &&
	must_contain err "cannot be read in bulk: %u must be the whole value of an equality assertion" &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap "$BIG" --ldap-base "$BASE" \
		--ldap-filter "(|(uid=%u)(objectClass=admin))" --ldap-bulk u.jsonl 2>err &&
	must_contain err "%u is ORed with a condition that has no %u" &&
	j2w-reconcile -s directory-uri --ldap "$BIG" --ldap-base "$BASE" --cacert "$BIG_CA" \
		--ldap-filter "(mail=%u@example.com)" u.jsonl >out 2>err &&
	must_contain err "1 LDAP search (1.00 per user)"
'

finish
