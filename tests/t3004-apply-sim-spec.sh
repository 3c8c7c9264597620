#!/bin/sh
# The Control Hub simulator answers as the Webex OpenAPI specs in tests/specs/webex
# say (so that j2w-apply is tested against the contract, not against itself).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

expect_success 'simulator answers conform to webex-ucm.json and webex-admin.json' '
	make_token token &&
	start_ch_sim spec --org "$SAMPLES/controlhub/org.json" --token-file token &&
	python3 "$SIM/check_spec.py" "$SPECS/webex" "$WEBEX_API" token alice@example.com
'

expect_success 'the simulator checks the token and the PUT body as the contract says' '
	make_token token &&
	start_ch_sim put --org "$SAMPLES/controlhub/org.json" --token-file token &&
	python3 - "$WEBEX_API" token <<-\PY
	import json, sys, urllib.request, urllib.error
	from urllib.parse import quote
	base, tok = sys.argv[1], open(sys.argv[2]).readline().strip()
	def call(method, path, body=None, auth=True, ctype="application/json"):
	    h = {"Authorization": "Bearer " + tok} if auth else {}
	    data = None
	    if body is not None:
	        data = json.dumps(body).encode()
	        h["Content-Type"] = ctype
	    req = urllib.request.Request(base + path, data=data, headers=h, method=method)
	    try:
	        with urllib.request.urlopen(req) as r:
	            return r.status, r.read()
	    except urllib.error.HTTPError as e:
	        return e.code, e.read()
	assert call("GET", "/people?email=alice@example.com", auth=False)[0] == 401
	pid = json.loads(call("GET", "/people?email=ALICE@example.com")[1])["items"][0]["id"]
	cb = "/people/" + quote(pid) + "/features/callingBehavior"
	profiles = json.loads(call("GET", "/telephony/config/callingProfiles")[1])["callingProfiles"]
	emea = [p["id"] for p in profiles if p["name"] == "EMEA"][0]
	assert call("PUT", cb, {"behaviorType": "NATIVE_SIP_CALL_TO_UCM", "profileId": emea})[0] == 204
	got = json.loads(call("GET", cb)[1])
	assert got == {"behaviorType": "NATIVE_SIP_CALL_TO_UCM", "effectiveBehaviorType": "NATIVE_SIP_CALL_TO_UCM", "profileId": emea}, got
	assert call("PUT", cb, {"behaviorType": "call_with_app_registered_for_ciscotel", "profileId": emea})[0] == 204
	got = json.loads(call("GET", cb)[1])
	assert got["behaviorType"] == "CALL_WITH_APP_REGISTERED_FOR_CISCOTEL" and got["profileId"] is None, got
	assert call("PUT", cb, {"behaviorType": None, "profileId": None})[0] == 204
	got = json.loads(call("GET", cb)[1])
	assert got["behaviorType"] is None and got["effectiveBehaviorType"] == "NATIVE_WEBEX_TEAMS_CALLING", got
	assert call("PUT", cb, {"behaviorType": "SMOKE_SIGNALS"})[0] == 400
	assert call("PUT", cb, {"profileId": "nope"})[0] == 400
	assert call("PUT", cb, {"behaviorType": None}, ctype="text/plain")[0] == 415
	assert call("PUT", "/people/nobody/features/callingBehavior", {"behaviorType": None})[0] == 404
	PY
	test "$(writes put)" = 3
'

finish
