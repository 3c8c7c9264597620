# Command-test library (after git's t/test-lib.sh), sourced by tests/tNNNN-*.sh.
#
#   expect_success 'what a user does' '
#       j2w-users --bat "$SAMPLES/cucm/cucm-a/export.tar" >out &&
#       cmp_output "$DATA/expected.jsonl" out
#   '
#   expect_code 3 j2w-users --bat broken.csv      (inside a test body)
#
# Each test body runs in a subshell in its own empty scratch directory. Servers
# started with start_bg are killed by PID when the script ends, however it ends.
# Set VALGRIND=1 to run every j2w command under valgrind (leaks are errors).

TOP=$(cd "$(dirname "$0")/.." && pwd)
SPECS=$TOP/tests/specs
SAMPLES=$TOP/samples
DATA=$TOP/tests/data
SIM=$TOP/tests/sim
TEST_NAME=$(basename "$0" .sh)
TRASH=$TOP/tests/trash/$TEST_NAME
export TOP SPECS SAMPLES DATA SIM TRASH

rm -rf "$TRASH" && mkdir -p "$TRASH" || exit 4
: >"$TRASH/.pids"
test_count=0 test_passed=0 test_failed=0 test_skipped=0

j2w_cleanup() {
	if [ -s "$TRASH/.pids" ]; then
		while read -r pid; do
			kill "$pid" 2>/dev/null
		done <"$TRASH/.pids"
		sleep 0.2
		while read -r pid; do
			kill -9 "$pid" 2>/dev/null
		done <"$TRASH/.pids"
	fi
}
trap j2w_cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$VALGRIND" ]; then
	mkdir -p "$TRASH/.bin"
	for b in "$TOP"/bin/j2w*; do
		n=$(basename "$b")
		cat >"$TRASH/.bin/$n" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --trace-children=no "$b" "\$@"
WRAP
		chmod +x "$TRASH/.bin/$n"
	done
	PATH=$TRASH/.bin:$PATH
else
	PATH=$TOP/bin:$PATH
fi
export PATH
# keep tests independent of the caller's secrets and locale
unset WEBEX_TOKEN AXL_USER AXL_PASSWORD WEBEX_API
LC_ALL=C.UTF-8
export LC_ALL

say() { printf '%s\n' "$*"; }

# expect_success DESCRIPTION BODY
expect_success() {
	test_count=$((test_count + 1))
	dir=$TRASH/$test_count
	mkdir -p "$dir"
	if (cd "$dir" && eval "$2") >"$dir/.log" 2>&1; then
		test_passed=$((test_passed + 1))
		say "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		say "not ok $test_count - $1"
		tail -n 40 "$dir/.log" | awk '{ print "#   " $0 }'
	fi
}

# skip DESCRIPTION REASON: a test that cannot run here (a server binary is missing)
skip() {
	test_count=$((test_count + 1))
	test_skipped=$((test_skipped + 1))
	say "ok $test_count # SKIP $1: $2"
}

# expect_code STATUS COMMAND...: runs COMMAND, which must exit with STATUS
expect_code() {
	want=$1; shift
	"$@"
	got=$?
	if [ "$got" -ne "$want" ]; then
		say "expected exit $want from '$*', got $got"
		return 1
	fi
	return 0
}

# cmp_output EXPECTED ACTUAL: byte-equal, or show the difference
cmp_output() {
	diff -u "$1" "$2"
}

# must_be_empty FILE
must_be_empty() {
	if [ -s "$1" ]; then
		say "'$1' should be empty but holds:"; head -n 20 "$1"; return 1
	fi
}

# must_contain FILE TEXT: FILE has a line containing the fixed string TEXT
must_contain() {
	grep -F -q -- "$2" "$1" || { say "'$1' lacks: $2"; head -n 20 "$1"; return 1; }
}

must_not_contain() {
	if grep -F -q -- "$2" "$1"; then say "'$1' should not contain: $2"; return 1; fi
}

# have_cmd NAME: whether a program is installed (for skip decisions)
have_cmd() {
	command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/lib/postgresql/15/bin/$1" ]
}

# start_bg PIDFILE COMMAND...: starts a server in the background, remembers its PID
start_bg() {
	pidfile=$1; shift
	"$@" &
	echo $! >"$pidfile"
	echo $! >>"$TRASH/.pids"
}

# wait_for_file FILE [SECONDS]: until FILE exists and is not empty
wait_for_file() {
	n=0 limit=$(( ${2:-10} * 10 ))
	while [ ! -s "$1" ]; do
		n=$((n + 1))
		[ $n -gt $limit ] && { say "timed out waiting for $1"; return 1; }
		sleep 0.1
	done
}

# wait_for_cmdline PID PATTERN [SECONDS]: until process PID's command line (NULs
# shown as spaces) matches the extended regex PATTERN, which tells the program it
# execs from the shell that forked it; prints that command line
wait_for_cmdline() {
	n=0 limit=$(( ${3:-10} * 20 ))
	while :; do
		cmdline=$(cat "/proc/$1/cmdline" 2>/dev/null | tr '\0' ' ')
		if printf '%s\n' "$cmdline" | grep -Eq -- "$2"; then
			printf '%s\n' "$cmdline"
			return 0
		fi
		n=$((n + 1))
		if [ $n -gt $limit ]; then
			say "timed out waiting for process $1 to run '$2' (seen: ${cmdline:-nothing})" >&2
			return 1
		fi
		sleep 0.05
	done
}

# users_normalised FILE: user records without source, devices and records sorted,
# to compare a pull over AXL with one from a BAT export (BAT keeps association
# order, AXL's SQL answers in name order)
users_normalised() {
	python3 -c '
import json, sys
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    r.pop("source", None)
    if "devices" in r:
        r["devices"].sort(key=lambda d: d["name"])
    out.append(json.dumps(r, sort_keys=True, ensure_ascii=False))
print("\n".join(sorted(out)))' "$1"
}

# start_axl_sim NAME ARGS...: starts tests/sim/axl_sim.py on a free loopback port;
# sets AXL_PORT and AXL_URL, logs requests to $TRASH/NAME.log
start_axl_sim() {
	name=$1; shift
	rm -f "$TRASH/$name.port"
	start_bg "$TRASH/$name.pid" python3 "$SIM/axl_sim.py" --port 0 \
		--port-file "$TRASH/$name.port" --log "$TRASH/$name.log" "$@" \
		2>>"$TRASH/$name.err"
	wait_for_file "$TRASH/$name.port" 20 || return 1
	AXL_PORT=$(cat "$TRASH/$name.port")
	AXL_URL=http://127.0.0.1:$AXL_PORT/axl/
}

# stop_bg PIDFILE
stop_bg() {
	[ -f "$1" ] && kill "$(cat "$1")" 2>/dev/null
	return 0
}

# finish: the closing line, and the exit status
finish() {
	if [ "$test_skipped" -gt 0 ]; then
		say "$test_passed passed, $test_failed failed, $test_skipped skipped"
	else
		say "$test_passed passed, $test_failed failed"
	fi
	[ "$test_failed" -eq 0 ]
}
