# Helpers for the j2w-report tests (t7xxx), sourced after tests/lib.sh and
# tests/lib-dns.sh: the sample org's inputs made by the real commands.
#
# report_inputs: in the current directory, writes
#   rec.jsonl   j2w-users (cucm-a BAT export) | j2w-reconcile, with one display
#               name made hostile on the way (<script> in Kiran Patel's name)
#   lint.jsonl  j2w-jabber-config lint of samples/jabber-config
#   dns.jsonl   j2w-dns-check of example.com, emea.example.com and
#               bad.example.com against the internal and external dnsmasq
#               ($internal_NS, $external_NS, started by the test script)
#   hostile.jsonl  one finding whose subject and message carry <script>
#   wave1.jsonl j2w-apply results (tests/data/report/wave1.jsonl)
#   wave2.db wave3.db  j2w-apply journals rebuilt from tests/data/report/*.sql
#   chat.db     a j2w-chat-archive database (tests/data/report/archive.sql: the
#               archive j2w-chat-archive made of its samples/chat, without the
#               FTS index, bodies and most messages)
# The apply inputs were written by j2w-apply against tests/sim/controlhub_sim.py
# (wave2: one unknown user; wave3: interrupted after five users).
HOSTILE='<script>alert(1)</script>'

report_inputs() {
	j2w-users --bat "$SAMPLES/cucm/cucm-a/export.tar" 2>/dev/null |
		sed 's|"display_name":"Kiran Patel"|"display_name":"<script>alert(1)</script> Patel"|' |
		j2w-reconcile -s userid -d example.com -w example.com >rec.jsonl 2>/dev/null
	[ $? -le 1 ] || return 1
	grep -q 'script>alert(1)</script> Patel' rec.jsonl || { say 'hostile name not planted'; return 1; }
	( cd "$SAMPLES/jabber-config" && j2w-jabber-config lint -q *.xml ) >lint.jsonl
	[ $? -le 1 ] || return 1
	j2w-dns-check -q -i "$internal_NS" -e "$external_NS" example.com emea.example.com \
		bad.example.com >dns.jsonl
	[ $? -le 1 ] || return 1
	printf '%s\n' '{"tool":"j2w-jabber-config","check":"JC-VALUE","severity":"WARN","subject":"<script>alert(1)</script>.xml:1","message":"value <script>alert(1)</script> & \"quotes\""}' >hostile.jsonl
	cp "$DATA/report/wave1.jsonl" wave1.jsonl &&
	for w in wave2 wave3 archive; do
		python3 -I -S -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.close()' \
			"$w.db" "$DATA/report/$w.sql" || return 1
	done
	mv archive.db chat.db
}

# unwrap HTML: the report without the spans that keep words on one line
# (class nw) or let long ones break (class brk), for tests that read its cells
unwrap() {
	sed -e 's|<span class="nw">\([^<]*\)</span>|\1|g' -e 's|<span class="brk">\([^<]*\)</span>|\1|g' "$1"
}

# chrome ARGS...: one headless run, offline, with a profile of its own
chrome() {
	profile=$(mktemp -d) || return 1
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --user-data-dir="$profile" "$@" \
		>chromium.log 2>&1
	rc=$?
	rm -rf "$profile"
	return $rc
}
