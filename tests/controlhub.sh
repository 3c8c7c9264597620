# Helpers for the j2w-apply command tests (sourced after tests/lib.sh): the
# Control Hub simulator on loopback, a throw-away token, and the org's state.

# make_token FILE [SECOND]: a random token (and optionally a second one) in FILE, mode 0600
make_token() {
	( umask 077
	  printf 'tok-%s\n' "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" >"$1"
	  [ -n "${2:-}" ] && printf 'tok-%s\n' "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" >>"$1"
	  : )
}

# start_ch_sim NAME ARGS...: starts tests/sim/controlhub_sim.py on a free port;
# sets WEBEX_API; the write log is $TRASH/NAME.writes, requests $TRASH/NAME.log
start_ch_sim() {
	name=$1; shift
	rm -f "$TRASH/$name.port" "$TRASH/$name.writes" "$TRASH/$name.log"
	: >"$TRASH/$name.writes"
	start_bg "$TRASH/$name.pid" python3 "$SIM/controlhub_sim.py" --port 0 \
		--port-file "$TRASH/$name.port" --write-log "$TRASH/$name.writes" \
		--log "$TRASH/$name.log" "$@" 2>>"$TRASH/$name.err"
	wait_for_file "$TRASH/$name.port" 20 || { cat "$TRASH/$name.err"; return 1; }
	WEBEX_API=http://127.0.0.1:$(cat "$TRASH/$name.port")/v1
	export WEBEX_API
}

# ch_state: the org's calling behaviours, one "email behaviour profile" line each, sorted
ch_state() {
	python3 - "$WEBEX_API" <<-\PY
	import json, sys, urllib.request
	base = sys.argv[1].rsplit("/v1", 1)[0]
	people = json.load(urllib.request.urlopen(base + "/_sim/state"))["people"]
	for email in sorted(people):
	    s = people[email]
	    print("%s\t%s\t%s" % (email, s["behavior"] or "default", s["profile"] or "-"))
	PY
}

# twice_written NAME: emails the simulator wrote more than once (none: empty output)
twice_written() {
	python3 - "$TRASH/$1.writes" <<-\PY
	import collections, json, sys
	n = collections.Counter(json.loads(l)["email"] for l in open(sys.argv[1]) if l.strip())
	for e, c in sorted(n.items()):
	    if c > 1:
	        print(e, c)
	PY
}

# writes NAME: how many writes the simulator took
writes() {
	wc -l <"$TRASH/$1.writes" | tr -d ' '
}

# plan_table FILE: a TSV plan without the trackingId column (random), sorted
plan_table() {
	cut -f1-8,10 "$1" | LC_ALL=C sort
}
