#!/bin/sh
# One name and one unit per idea across the commands: --timeout in seconds,
# --concurrency (-n) for work in flight, a short option means one thing, old
# names still work and warn once.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-dns.sh"

# le1 COMMAND...: COMMAND exits 0 or 1 (findings are fine here)
le1() { "$@"; test $? -le 1; }

expect_success '--timeout is seconds in dns-check too (500ms and 2s also), not milliseconds' '
	start_mute mute &&
	start=$(date +%s%N) &&
	expect_code 4 j2w-dns-check --timeout 0.3 -e "$mute_NS" example.com >out 2>err &&
	end=$(date +%s%N) &&
	ms=$(( (end - start) / 1000000 )) &&
	{ [ "$ms" -ge 800 ] || { say "took $ms ms: 0.3 was not seconds"; false; }; } &&
	expect_code 4 j2w-dns-check --timeout 300ms -e "$mute_NS" example.com >out 2>err &&
	expect_code 2 j2w-dns-check --timeout 2000 -e "$mute_NS" example.com 2>err &&
	must_contain err "--timeout wants seconds from 0.001 to 600 (such as 0.5, 2s or 500ms), not '\''2000'\''"
'

expect_success '--timeout takes the same forms in users and reconcile' '
	printf "USER ID\nann\n" >enduser.csv &&
	j2w-users -q --bat enduser.csv --timeout 2s >out &&
	j2w-users -q --bat enduser.csv --timeout 500ms >out &&
	j2w-users -q --bat enduser.csv --timeout 0.5 >out &&
	expect_code 2 j2w-users --bat enduser.csv --timeout 2m 2>err &&
	must_contain err "--timeout wants seconds" &&
	expect_code 2 j2w-reconcile -s directory-uri --timeout soon out 2>err &&
	must_contain err "--timeout wants seconds"
'

expect_success 'work in flight is --concurrency (-n); --parallel and --ldap-window still work, warned once' '
	start_mute mute &&
	expect_code 4 j2w-dns-check -n 4 --timeout 50ms -e "$mute_NS" example.com >out 2>err &&
	must_not_contain err "warning" &&
	expect_code 4 j2w-dns-check --parallel 4 --parallel 2 --timeout 50ms -e "$mute_NS" \
		example.com >out 2>err &&
	test "$(grep -c "warning: --parallel is now --concurrency" err)" -eq 1 &&
	printf "{\"userid\":\"ann\"}\n" >u.jsonl &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap-window 4 u.jsonl 2>err &&
	must_contain err "warning: --ldap-window is now --concurrency" &&
	must_contain err "need --ldap URI" &&
	expect_code 2 j2w-reconcile -s directory-uri -n 4 u.jsonl 2>err &&
	must_contain err "--concurrency, --timeout, --cacert and --insecure need --ldap URI" &&
	expect_code 2 j2w-reconcile -s directory-uri --ldap-timeout 4 u.jsonl 2>err &&
	must_contain err "warning: --ldap-timeout is now --timeout"
'

expect_success 'a short option means one thing: -p is --plan, -t a template name, -s --scheme' '
	j2w-apply --help >h && must_contain h "-p, --plan" &&
	j2w-jabber-config --help >h &&
	must_contain h "  -t, --template NAME" && must_contain h "      --profile NAME" &&
	must_contain h "      --set G/P=VALUE" && must_not_contain h "-p, --profile" &&
	j2w-csv --help >h && must_contain h "      --template FILE" && must_not_contain h "-t, --template" &&
	j2w-reconcile --help >h && must_contain h "-s, --scheme" &&
	le1 j2w-jabber-config lint -p cross-launch "$SAMPLES/jabber-config/jabber-config.xml" >old 2>err &&
	must_contain err "warning: -p is now --profile" &&
	le1 j2w-jabber-config lint --profile cross-launch "$SAMPLES/jabber-config/jabber-config.xml" \
		>new 2>/dev/null &&
	cmp_output new old &&
	j2w-jabber-config generate -q -t cross-launch -s Directory/PresenceDomain=example.com \
		-o - >out 2>err &&
	must_contain err "warning: -s is now --set" &&
	must_contain out "<PresenceDomain>example.com</PresenceDomain>" &&
	j2w-csv calling-behavior -q -t "$TOP/templates/controlhub-calling-behavior.tsv" \
		"$SAMPLES/waves/wave1.csv" >out 2>err &&
	must_contain err "warning: -t is now --template"
'

expect_success 'chat search filters the sender with --from (SPEC), also --sender; import takes no bare --from' '
	j2w-chat-archive import -q --from-csv "$SAMPLES/chat" --to chat.db &&
	j2w-chat-archive search -q chat.db review --from carol@example.com >new 2>err &&
	must_contain new "Can someone review PR" &&
	must_not_contain err "warning" &&
	j2w-chat-archive search -q chat.db review --from nobody@example.com >none &&
	must_be_empty none &&
	j2w-chat-archive search chat.db review --sender carol@example.com >other 2>err &&
	cmp_output new other &&
	must_not_contain err "warning" &&
	expect_code 2 j2w-chat-archive import --from "$SAMPLES/chat" --to x.db 2>err &&
	must_contain err "--from is not a source: give --from-pg CONNINFO or --from-csv DIR" &&
	test ! -e x.db
'

# help_of VERB: the --help of j2w-VERB, and of its subcommands that have their own
help_of() {
	"j2w-$1" --help || return 1
	if [ "$1" = chat-archive ]; then
		j2w-chat-archive spaces --help
	fi
}

expect_success 'each man page lists exactly the options its command takes (no --fail-on it lacks)' '
	for c in users contacts reconcile csv jabber-config apply chat-archive dns-check report; do
		help_of "$c" |
			grep -oE "^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*( [^ ]+)?(, --[a-z][a-z0-9-]*)?" |
			grep -oE -- "--[a-z][a-z0-9-]*" | sort -u >help.$c &&
		sed -n "/^\\.SH OPTIONS/,/^\\.SH [^O]/p" "$TOP/docs/man/j2w-$c.1" |
			awk "prev ~ /^\\.TP/ { print } { prev = \$0 }" | sed "s/\\\\-/-/g" |
			grep -oE -- "--[a-z][a-z0-9-]*" | sort -u >man.$c &&
		if ! cmp -s help.$c man.$c; then
			say "j2w-$c: --help and j2w-$c.1 differ:" && diff help.$c man.$c; exit 1
		fi &&
		if ! "j2w-$c" --help | grep -q -- "--fail-on"; then
			! grep -q "fail\\\\-on" "$TOP/docs/man/j2w-$c.1" ||
				{ say "j2w-$c.1 names a --fail-on the command lacks" && exit 1; }
		fi || exit 1
	done
'

expect_success 'a bad option is reported as j2w-<verb>: message, in subcommands too' '
	expect_code 2 j2w-csv users --bogus 2>err &&
	printf "%s\n" "j2w-csv: unknown option '\''--bogus'\''" "try '\''j2w-csv --help'\''" >want &&
	cmp_output want err &&
	expect_code 2 j2w-jabber-config lint --bogus x.xml 2>err &&
	must_contain err "j2w-jabber-config: unknown option '\''--bogus'\''" &&
	expect_code 2 j2w-chat-archive search --bogus a.db x 2>err &&
	must_contain err "j2w-chat-archive: unknown option" &&
	expect_code 2 j2w-apply -n 2>err &&
	must_contain err "j2w-apply: option '\''-n'\'' needs a value" &&
	expect_code 2 j2w-apply --concurrency 2>err &&
	must_contain err "j2w-apply: option '\''--concurrency'\'' needs a value" &&
	expect_code 2 j2w-users -Z 2>err &&
	must_contain err "j2w-users: unknown option '\''-Z'\''" &&
	if grep -q "^users:\|^lint:\|^search:\|/j2w-" err; then cat err; false; fi
'

finish
