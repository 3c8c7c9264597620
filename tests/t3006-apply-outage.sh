#!/bin/sh
# j2w-apply when the Webex API stops answering: the run stops (exit 4) after
# --outage-after seconds with nothing answered, fails nobody, and --resume
# finishes once the service is back on the same port; nobody is written twice.
# 500 is retried like 502-504; a 5xx that is about one user fails that user.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

# wait_until_up TOKEN_FILE [SECONDS]: until the simulator answers an API request again
wait_until_up() {
	python3 - "$WEBEX_API" "$1" "${2:-30}" <<-\PY
	import sys, time, urllib.request, urllib.error
	base, tok, limit = sys.argv[1], open(sys.argv[2]).readline().strip(), float(sys.argv[3])
	end = time.time() + limit
	while time.time() < end:
	    req = urllib.request.Request(base + "/telephony/config/callingProfiles",
	                                 headers={"Authorization": "Bearer " + tok})
	    try:
	        with urllib.request.urlopen(req, timeout=2) as r:
	            if r.status == 200:
	                sys.exit(0)
	    except (OSError, urllib.error.URLError):
	        pass
	    time.sleep(0.3)
	sys.exit(1)
	PY
}

# states FILE: the journal's users by state, "state|count" lines
states() {
	sqlite3 "$1" "SELECT state, count(*) FROM users GROUP BY state ORDER BY state"
}

expect_success 'an outage mid-run: exit 4 soon, nobody failed, --resume finishes when it is back' '
	make_token token &&
	start_ch_sim o1 --synthetic 400 --token-file token --outage-after 300 --outage-for 8 \
		--outage-mode drop &&
	ch_rows 400 >rows.csv &&
	t0=$(date +%s) &&
	expect_code 4 j2w-apply --token-file token --outage-after 2 --commit --journal j.db \
		rows.csv >out 2>err &&
	test "$(seconds_since $t0)" -lt 20 &&
	must_contain err "the Webex API answered nothing for" &&
	must_contain err "continue with --resume j.db when the service is back" &&
	must_contain err "0 failed" &&
	states j.db >st &&
	must_not_contain st "failed" &&
	grep "^applied|" st >done && test "$(cut -d"|" -f2 done)" -gt 20 &&
	sqlite3 j.db "SELECT count(*) FROM users WHERE state IN ('\''pending'\'', '\''writing'\'')" >left &&
	test "$(cat left)" -gt 50 &&
	sqlite3 j.db "SELECT exit_status FROM runs" >rs && test "$(cat rs)" = 4 &&
	sqlite3 j.db "SELECT count(*) FROM users WHERE person_id IS NULL" >unknown &&
	mark=$(($(ch_lines o1) + 1)) &&
	wait_until_up token &&
	j2w-apply --token-file token --resume j.db --commit >out2 2>err2 &&
	must_contain err2 ", 0 failed" &&
	ch_right 400 o1 &&
	test "$(writes o1)" = 400 &&
	lookups=$(ch_requests o1 "people\\?email=" "$mark") &&
	if [ "$(cat unknown)" -ge 50 ]; then test "$lookups" = 0; else test "$lookups" = "$(cat unknown)"; fi &&
	states j.db >st2 &&
	test "$(cat st2)" = "applied|400"
'

expect_success 'an API that takes requests and never answers: stopped after --outage-after, not after timeouts' '
	make_token token &&
	start_ch_sim o2 --synthetic 60 --token-file token --outage-after 40 --outage-for 30 \
		--outage-mode hang &&
	ch_rows 60 >rows.csv &&
	t0=$(date +%s) &&
	expect_code 4 j2w-apply --token-file token --outage-after 2 --commit --journal j.db \
		rows.csv >out 2>err &&
	test "$(seconds_since $t0)" -lt 15 &&
	must_contain err "the Webex API answered nothing for" &&
	must_contain err "(last: no answer)" &&
	states j.db >st &&
	must_not_contain st "failed"
'

expect_success 'every request answered 503: an outage (exit 4) naming the status, nobody failed' '
	make_token token &&
	start_ch_sim o3 --synthetic 60 --token-file token --outage-after 30 --outage-for 60 \
		--outage-mode 503 &&
	ch_rows 60 >rows.csv &&
	expect_code 4 j2w-apply --token-file token --outage-after 2 --commit --journal j.db \
		rows.csv >out 2>err &&
	must_contain err "(last: HTTP 503: Service Unavailable. Try again later.)" &&
	states j.db >st &&
	must_not_contain st "failed" &&
	must_not_contain out "\"result\":\"failed\""
'

expect_success '500 is retried like 502-504: every user ends right' '
	make_token token &&
	start_ch_sim o4 --synthetic 100 --token-file token --fail-rate 0.2 --fail-status 500 &&
	ch_rows 100 >rows.csv &&
	j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "100 users: 100 updated, 0 unchanged, 0 failed" &&
	ch_right 100 o4
'

expect_success 'a 500 that is about one user (others succeed) fails that user after --retries' '
	make_token token &&
	start_ch_sim o5 --synthetic 30 --token-file token --fail-email user000007@bench.example.com \
		--fail-status 500 &&
	ch_rows 30 >rows.csv &&
	expect_code 1 j2w-apply --token-file token --retries 3 --commit --journal j.db rows.csv \
		>out 2>err &&
	must_contain err "30 users: 29 updated, 0 unchanged, 1 failed" &&
	sqlite3 j.db "SELECT email, state, http_status, error FROM users WHERE state != '\''applied'\''" >bad &&
	test "$(cat bad)" = "user000007@bench.example.com|failed|500|HTTP 500: Internal Server Error." &&
	test "$(ch_requests o5 " 500$")" = 3
'

finish
