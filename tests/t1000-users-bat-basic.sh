#!/bin/sh
# j2w-users --bat on small hand-written exports: the record shape, NULLs,
# booleans, repeating groups, quoting, compressed export tars, and the exit
# codes for bad input.
. "$(dirname "$0")/lib.sh"

write_export() {
	printf 'FIRST NAME,LAST NAME,USER ID,MAIL ID,DIRECTORY URI,HOME CLUSTER,ENABLE USER FOR UNIFIED CM IM AND PRESENCE,USER PKID,DEVICE NAME 1,DEVICE NAME 2,PRIMARY EXTENSION 1\r\n'
	printf 'Alice,"Ng, Jr",alice,alice@example.com,NULL,t,f,f5653a7d-1d91-f407-631f-01b29dc25eaa,CSFALICE,SEP001122334455,1001\r\n'
	printf 'Zoë,Ångström,zoe,zoe@example.com,zoe@example.com,f,t,NULL,BOTZOE,NULL,NULL\r\n'
}

expect_success 'a BAT enduser.csv becomes user records' '
	write_export >enduser.csv &&
	j2w-users --bat enduser.csv >out 2>err &&
	cat >expected <<-\EOF &&
	{"userid":"alice","first_name":"Alice","last_name":"Ng, Jr","mailid":"alice@example.com","primary_extension":"1001","home_cluster":true,"im_presence_enabled":false,"uuid":"{F5653A7D-1D91-F407-631F-01B29DC25EAA}","devices":[{"name":"CSFALICE","type":"CSF"},{"name":"SEP001122334455"}],"source":"bat:enduser.csv:2"}
	{"userid":"zoe","first_name":"Zoë","last_name":"Ångström","mailid":"zoe@example.com","directory_uri":"zoe@example.com","home_cluster":false,"im_presence_enabled":true,"devices":[{"name":"BOTZOE","type":"BOT"}],"source":"bat:enduser.csv:3"}
	EOF
	cmp_output expected out &&
	echo "j2w-users: 2 users, 0 rows skipped" >expected.err &&
	cmp_output expected.err err
'

expect_success 'an unterminated quote is exit 3 with file:line and nothing on stdout' '
	{ write_export && printf "Bob,\"Lee,bob,b@x,b@x,t,t,NULL,NULL,NULL,1\r\n"; } >enduser.csv &&
	expect_code 3 j2w-users --bat enduser.csv >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-users: enduser.csv:4: quoted field opened here is never closed"
'

expect_success 'a file that is not a BAT export is exit 3' '
	printf "name,mail\nx,y\n" >people.csv &&
	expect_code 3 j2w-users --bat people.csv >out 2>err &&
	must_be_empty out &&
	must_contain err "people.csv:1: no '\''USER ID'\'' column"
'

expect_success 'a gzip- or xz-compressed export tar gives the same users as the tar' '
	for e in "$SAMPLES"/cucm/*/export.tar; do
		cp "$e" export.tar &&
		j2w-users --bat export.tar >tar.jsonl 2>tar.err &&
		test -s tar.jsonl &&
		gzip -c export.tar >export.tar.gz &&
		j2w-users --bat export.tar.gz >gz.jsonl 2>gz.err &&
		sed "s#\"bat:export\.tar\.gz/#\"bat:export.tar/#" gz.jsonl >gz.norm &&
		cmp_output tar.jsonl gz.norm &&
		cmp_output tar.err gz.err &&
		xz -c export.tar | j2w-users --bat - >xz.jsonl 2>xz.err &&
		sed "s#\"bat:<stdin>/#\"bat:export.tar/#" xz.jsonl >xz.norm &&
		cmp_output tar.jsonl xz.norm || return 1
	done
'

expect_success 'a cut or damaged compressed export is exit 3 with nothing on stdout' '
	gzip -c "$SAMPLES/cucm/cucm-a/export.tar" >full.tar.gz &&
	head -c $(($(wc -c <full.tar.gz) / 2)) full.tar.gz >cut.tar.gz &&
	expect_code 3 j2w-users --bat cut.tar.gz >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-users: cut.tar.gz: corrupt or truncated tar archive: " &&
	write_export | gzip -c >enduser.csv.gz &&
	expect_code 3 j2w-users --bat enduser.csv.gz >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-users: enduser.csv.gz: compressed, but holds no readable tar archive"
'

expect_success 'an export tar with a link or a name that climbs out is refused (exit 3)' '
	write_export >enduser.csv &&
	ln -s /etc/passwd phone.csv &&
	tar cf link.tar enduser.csv phone.csv &&
	expect_code 3 j2w-users --bat link.tar >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-users: link.tar: '\''phone.csv'\'' is a link: refused" &&
	python3 -c "import sys, tarfile
with tarfile.open(sys.argv[1], \"w:gz\") as t:
    t.add(\"enduser.csv\", arcname=\"../enduser.csv\")" climb.tar.gz &&
	expect_code 3 j2w-users --bat climb.tar.gz >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-users: climb.tar.gz: '\''../enduser.csv'\'': absolute name or '\''..'\'' in the name: refused"
'

expect_success 'usage errors are exit 2' '
	expect_code 2 j2w-users 2>err &&
	must_contain err "give a BAT export" &&
	expect_code 2 j2w-users --bat x --format xml 2>err &&
	expect_code 2 j2w-users --bat no-such-file.csv 2>err &&
	must_contain err "cannot open '\''no-such-file.csv'\''"
'

finish
