#!/bin/sh
# Finding one's way: j2w help VERB (build tree or install), j2w(1) names every
# command, make install PREFIX=... builds for that prefix, make demo starts clean.
. "$(dirname "$0")/lib.sh"

VERBS="users contacts reconcile csv jabber-config apply chat-archive dns-check report"

expect_success 'j2w help lists every verb; j2w help VERB shows its page from the build tree' '
	j2w help >list &&
	for v in $VERBS; do
		grep -q "^  $v " list || { say "j2w help lacks $v" && exit 1; }
		MANPAGER=cat MANWIDTH=80 j2w help "$v" >page 2>err ||
			{ say "j2w help $v failed" && cat err && exit 1; }
		grep -Eq "^ *j2w-$v +- " page ||
			{ say "j2w help $v shows no NAME of j2w-$v" && head page && exit 1; }
	done
'

expect_success 'j2w help with an unknown verb is exit 2; without man it shows the usage' '
	expect_code 2 j2w help frobnicate 2>err &&
	must_contain err "'\''frobnicate'\'' is not a j2w verb" &&
	mkdir nobin && PATH=$PWD/nobin "$TOP/bin/j2w" help csv >out 2>err &&
	must_contain out "usage: j2w-csv users"
'

expect_success 'j2w(1) lists every command under SEE ALSO, and every command has its page' '
	sed -n "/^\\.SH SEE ALSO/,\$p" "$TOP/docs/man/j2w.1" >seealso &&
	for v in $VERBS; do
		test -f "$TOP/docs/man/j2w-$v.1" || { say "no page for j2w-$v" && exit 1; }
		grep -q "^\\.BR j2w-$v (1)" seealso ||
			{ say "j2w.1 SEE ALSO does not name j2w-$v" && exit 1; }
	done
'

if make -s -C "$TOP" flags-current 2>/dev/null; then
expect_success 'make install PREFIX=... builds the commands for that prefix' '
	make -s -C "$TOP" install PREFIX=/opt/j2w-test DESTDIR="$PWD/root" >log 2>&1; built=$?
	# the tree goes back to its own PREFIX whatever happened
	make -s -C "$TOP" all >>log 2>&1 &&
	{ test $built -eq 0 || { cat log && false; }; } &&
	grep -q "/opt/j2w-test/share/j2w" root/opt/j2w-test/bin/j2w-csv &&
	! grep -q "/usr/local/share/j2w" root/opt/j2w-test/bin/j2w-csv &&
	test -f root/opt/j2w-test/share/j2w/controlhub-users.tsv &&
	test -f root/opt/j2w-test/share/man/man1/j2w-users.1 &&
	MANPAGER=cat root/opt/j2w-test/bin/j2w help users >page &&
	must_contain page "j2w-users" &&
	grep -q "/usr/local/share/j2w" "$TOP/bin/j2w-csv"
'
else
	skip 'make install PREFIX=...' 'the tree was built with other flags (run under make check)'
fi

expect_success 'make demo starts without a shell error and says first what the sample org warns about' '
	J2W_DEMO_OUT=$PWD/demo "$TOP/scripts/demo" >out 2>&1 || { tail -n 20 out; exit 1; }
	must_not_contain out "parameter not set" &&
	head -n 3 out >head &&
	must_contain head "problems planted on purpose" &&
	test -s demo/report.html
'

expect_success 'tests/controlhub.sh works under set -u' '
	sh -uc ". \"$TOP/tests/controlhub.sh\" && make_token tok && make_token two second" 2>err &&
	must_be_empty err &&
	test "$(wc -l <tok)" -eq 1 && test "$(wc -l <two)" -eq 2
'

finish
