#!/bin/sh
# j2w-users --bat on an export too large to be checked before it is read (over
# 1 MiB): it is read once, and a file that breaks late still prints nothing; and
# an export given as a named pipe, which cannot be read twice.
. "$(dirname "$0")/lib.sh"

# write_big [BAD_ROW BAD_TEXT]: 6,000 users (about 1.6 MB), row BAD_ROW replaced
write_big() {
	awk -v bad="${1:-0}" -v text="${2:-}" 'BEGIN {
		printf "USER ID,FIRST NAME,LAST NAME,TITLE,DEVICE NAME 1\r\n"
		pad = sprintf("%250s", "")
		for (i = 1; i <= 6000; i++) {
			if (i == bad) { printf "%s\r\n", text; continue }
			printf "u%d,Ann,\"Lee, %d\",%s,CSFU%d\r\n", i, i, pad, i
		}
	}'
}

expect_success 'a large export gives every user, the progress bar counting its bytes' '
	write_big >enduser.csv &&
	test "$(wc -c <enduser.csv)" -gt 1048576 &&
	j2w-users --bat enduser.csv --progress >out 2>err &&
	test "$(wc -l <out)" -eq 6000 &&
	must_contain out "{\"userid\":\"u6000\",\"first_name\":\"Ann\",\"last_name\":\"Lee, 6000\"" &&
	must_contain out "\"source\":\"bat:enduser.csv:6001\"}" &&
	size=$(wc -c <enduser.csv) &&
	tr "\r" "\n" <err | grep "^bytes " | tail -n 1 >bar &&
	must_contain bar "] $size/$size " &&
	must_contain err "j2w-users: 6000 users, 0 rows skipped"
'

expect_success 'a large export that breaks late is exit 3 with file:line and nothing on stdout' '
	write_big 5990 "u5990,\"Lee\"x,t,SEP1" >enduser.csv &&
	expect_code 3 j2w-users --bat enduser.csv >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-users: enduser.csv:5991: text after the closing quote of a field" &&
	write_big 6000 "u6000,\"open,t,SEP1" >enduser.csv &&
	expect_code 3 j2w-users --bat - <enduser.csv >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-users: <stdin>:6001: quoted field opened here is never closed"
'

expect_success 'rows skipped before the break are reported; -o leaves no file' '
	write_big 5990 "u5990,x\"y,t,SEP1" >enduser.csv &&
	sed "10s/^u9,Ann,/u9,Ann,extra,/" enduser.csv >broken.csv &&
	expect_code 3 j2w-users --bat broken.csv -o users.jsonl >out 2>err &&
	must_be_empty out &&
	test ! -e users.jsonl &&
	must_contain err "broken.csv:10: row has 6 fields but the header has 5: row skipped" &&
	must_contain err "j2w-users: broken.csv:5991: quote inside an unquoted field"
'

expect_success 'a second export that breaks leaves nothing of the first on stdout' '
	write_big >good.csv &&
	write_big 3000 "u3000,\"Lee\"x,t,SEP1" >bad.csv &&
	expect_code 3 j2w-users --bat good.csv --bat bad.csv >out 2>err &&
	must_be_empty out &&
	must_contain err "bad.csv:3001: text after the closing quote of a field"
'

expect_success 'an export given as a named pipe is read whole, large or small' '
	write_big >enduser.csv &&
	mkfifo big.pipe &&
	{ cat enduser.csv >big.pipe & } &&
	j2w-users -q --bat big.pipe >out &&
	test "$(wc -l <out)" -eq 6000 &&
	must_contain out "\"source\":\"bat:big.pipe:2\"}" &&
	cp "$SAMPLES/cucm/cucm-a/export.tar" a.tar &&
	j2w-users -q --bat a.tar >expected &&
	mkfifo tar.pipe &&
	{ cat a.tar >tar.pipe & } &&
	j2w-users -q --bat tar.pipe >out &&
	sed "s#\"bat:tar\.pipe/#\"bat:a.tar/#" out >out.norm &&
	cmp_output expected out.norm
'

finish
