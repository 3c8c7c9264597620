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
	import json, ssl, sys, urllib.request
	base = sys.argv[1].rsplit("/v1", 1)[0]
	# the simulator's own test certificate, on loopback
	ctx = ssl._create_unverified_context() if base.startswith("https:") else None
	people = json.load(urllib.request.urlopen(base + "/_sim/state", context=ctx))["people"]
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

# ch_rows N [BEHAVIOUR]: CSV input for the first N synthetic users (profile EMEA)
ch_rows() {
	echo "email,calling_behavior,uc_manager_profile"
	i=0
	while [ $i -lt "$1" ]; do
		printf 'user%06d@bench.example.com,%s,EMEA\n' $i "${2:-ucm}"
		i=$((i + 1))
	done
}

# ch_requests NAME [REGEX [FROM]]: API requests the simulator logged whose
# "METHOD path status" matches REGEX (all when empty), from log line FROM on
ch_requests() {
	python3 - "$TRASH/$1.log" "${2:-}" "${3:-1}" <<-\PY
	import json, re, sys
	pat = re.compile(sys.argv[2]) if sys.argv[2] else None
	n = 0
	for i, l in enumerate(open(sys.argv[1]), 1):
	    if i < int(sys.argv[3]) or not l.strip():
	        continue
	    r = json.loads(l)
	    if r["path"].startswith("/_sim/"):
	        continue
	    if pat is None or pat.search("%s %s %s" % (r["method"], r["path"], r["status"])):
	        n += 1
	print(n)
	PY
}

# ch_lines NAME: lines in the simulator's request log (a mark for ch_requests FROM)
ch_lines() {
	wc -l <"$TRASH/$1.log" | tr -d ' '
}

# ch_right N NAME: N users are on the UC Manager behaviour with EMEA, and the
# simulator NAME wrote nobody twice
ch_right() {
	ch_state >state &&
	test "$(grep -c "	NATIVE_SIP_CALL_TO_UCM	EMEA$" state)" = "$1" &&
	twice_written "$2" >twice && must_be_empty twice
}

# seconds_since T0: whole seconds since T0 (from date +%s)
seconds_since() {
	echo $(( $(date +%s) - $1 ))
}
