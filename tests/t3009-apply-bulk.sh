#!/bin/sh
# j2w-apply resolves people in bulk: from 50 users without a person ID the
# org's people are listed page by page (Link rel="next") instead of one
# GET /people?email= each, so a user costs a read and the write it needs. A
# wave that is a small part of a large org stops listing once pages cost more
# than they find; smaller waves and people the listing lacks are looked up by email.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

expect_success 'a wave of the whole org: about two requests a user, no lookup by email' '
	make_token token &&
	start_ch_sim b1 --synthetic 500 --token-file token --people-max 100 &&
	ch_rows 500 >rows.csv &&
	j2w-apply --token-file token rows.csv >plan 2>err1 &&
	must_contain err1 "500 users: 500 to update, 0 unchanged, 0 failed; 506 requests" &&
	j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "500 users: 500 updated, 0 unchanged, 0 failed; 1006 requests" &&
	ch_right 500 b1 &&
	test "$(ch_requests b1 "people\\?email=")" = 0 &&
	test "$(ch_requests b1 "^GET /v1/people\\?max=")" = 2 &&
	test "$(ch_requests b1 "^GET /v1/people\\?.*cursor=")" = 8 &&
	sqlite3 j.db "SELECT count(*) FROM users WHERE person_id IS NOT NULL" >n &&
	test "$(cat n)" = 500
'

expect_success 'the profiles and the people listing are read at once, not one after the other' '
	make_token token &&
	start_ch_sim b5 --synthetic 60 --token-file token --latency-ms 600 &&
	ch_rows 60 >rows.csv &&
	j2w-apply --token-file token rows.csv >plan 2>err &&
	must_contain err "60 users: 60 to update" &&
	python3 - "$TRASH/b5.log" <<-\PY
	import json, sys
	# each line is logged as its answer leaves, 600 ms after the request came:
	# read one after the other, the listing would be answered 600 ms later
	t = {}
	for l in open(sys.argv[1]):
	    r = json.loads(l)
	    for what in ("callingProfiles", "people?max="):
	        if what in r["path"]:
	            t.setdefault(what, r["t"])
	gap = abs(t["people?max="] - t["callingProfiles"])
	sys.exit(0 if gap < 0.4 else "the listing came %.3f s after the profiles" % gap)
	PY
'

expect_success 'a small wave is looked up by email; nothing is listed' '
	make_token token &&
	start_ch_sim b2 --synthetic 500 --token-file token &&
	ch_rows 10 >rows.csv &&
	j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "10 users: 10 updated, 0 unchanged, 0 failed; 31 requests" &&
	test "$(ch_requests b2 "people\\?email=")" = 10 &&
	test "$(ch_requests b2 "people\\?max=")" = 0
'

expect_success 'a wave scattered over a large org: the listing stops when it does not pay' '
	make_token token &&
	start_ch_sim b3 --synthetic 20000 --token-file token --people-max 100 &&
	{ echo "email,calling_behavior,uc_manager_profile" &&
	  for i in $(seq 0 59); do
		printf "user%06d@bench.example.com,ucm,EMEA\n" $((i * 331)) || exit 1
	  done; } >rows.csv &&
	j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "60 users: 60 updated, 0 unchanged, 0 failed" &&
	test "$(ch_requests b3 "^GET /v1/people\\?(max=|.*cursor=)")" = 2 &&
	test "$(ch_requests b3 "people\\?email=")" -ge 57 &&
	test "$(ch_requests b3)" -le 185 &&
	twice_written b3 >twice && must_be_empty twice
'

expect_success 'people the listing lacks are looked up by email, and fail as before' '
	make_token token &&
	start_ch_sim b4 --synthetic 60 --token-file token &&
	{ ch_rows 60 && printf "ghost%d@bench.example.com,ucm,EMEA\n" 1 2 3; } >rows.csv &&
	expect_code 1 j2w-apply --token-file token --commit --journal j.db rows.csv >out 2>err &&
	must_contain err "63 users: 60 updated, 0 unchanged, 3 failed" &&
	test "$(ch_requests b4 "people\\?email=")" = 3 &&
	test "$(grep -c "no Webex user has this email" out)" = 3 &&
	ch_right 60 b4
'

finish
