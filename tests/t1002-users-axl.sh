#!/bin/sh
# j2w-users --axl against the AXL simulator: the same users as the BAT export,
# paging, shrinking on "Query request too large", 503 throttling, faults, 401,
# timeouts, dropped connections, TLS verification and credential handling.
. "$(dirname "$0")/lib.sh"

FIXTURE=$SAMPLES/cucm/cucm-a/axl-fixture.json
EXPORT=$SAMPLES/cucm/cucm-a/export.tar
AXL_USER=axladmin AXL_PASSWORD='s3cret pass:word'
export AXL_USER AXL_PASSWORD

# log_field FILE KEY: the values of KEY in the simulator log, one per line
log_field() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    v = json.loads(line).get(sys.argv[2])
    print("" if v is None else v)' "$1" "$2"
}

if ! have_cmd python3; then
	skip 'AXL tests' 'python3 is not installed'
	finish; exit
fi

expect_success 'AXL gives the same users as the BAT export of the same cluster' '
	start_axl_sim sim --fixture "$FIXTURE" --user axladmin --password "s3cret pass:word" &&
	j2w-users --axl "$AXL_URL" --page-size 10 >axl.jsonl 2>err &&
	j2w-users --bat "$EXPORT" >bat.jsonl 2>/dev/null &&
	users_normalised axl.jsonl >axl.norm && users_normalised bat.jsonl >bat.norm &&
	cmp_output bat.norm axl.norm &&
	must_contain axl.jsonl "\"source\":\"axl:127.0.0.1\"" &&
	echo "j2w-users: 35 users, 0 rows skipped; 9 AXL requests, 0 answered 503 (throttled)" >expected.err &&
	cmp_output expected.err err
'

expect_success 'pages with skip/first and validates every request against the AXL schema' '
	log_field "$TRASH/sim.log" operation | sort | uniq -c | sed "s/^ *//" >ops &&
	printf "4 executeSQLQuery\n5 listUser\n" >expected &&
	cmp_output expected ops &&
	log_field "$TRASH/sim.log" skip | grep -v "^$" | tr "\n" " " >skips &&
	printf "0 10 20 30 40 " >expected && cmp_output expected skips &&
	log_field "$TRASH/sim.log" validated | sort -u >validated &&
	echo True >expected && cmp_output expected validated &&
	log_field "$TRASH/sim.log" soapaction | sort -u >actions &&
	printf "\"CUCM:DB ver=12.5 executeSQLQuery\"\n\"CUCM:DB ver=12.5 listUser\"\n" >expected &&
	cmp_output expected actions
'
stop_bg "$TRASH/sim.pid"

expect_success '"Query request too large" makes pages smaller, and the run completes' '
	start_axl_sim big --fixture "$FIXTURE" --max-rows 8 &&
	j2w-users --axl "$AXL_URL" --page-size 50 >out.jsonl 2>err &&
	test $(wc -l <out.jsonl) -eq 35 &&
	log_field "$TRASH/big.log" first | grep -v "^$" | head -n 2 | tr "\n" " " >firsts &&
	printf "50 5 " >expected && cmp_output expected firsts
'
stop_bg "$TRASH/big.pid"

expect_success 'HTTP 503 throttling is waited out (Retry-After honoured)' '
	start_axl_sim throttle --fixture "$FIXTURE" --throttle 2 --retry-after 1 &&
	j2w-users --axl "$AXL_URL" >out.jsonl 2>err &&
	test $(wc -l <out.jsonl) -eq 35 &&
	log_field "$TRASH/throttle.log" status | head -n 3 | tr "\n" " " >statuses &&
	printf "503 503 200 " >expected && cmp_output expected statuses &&
	must_contain err "35 users, 0 rows skipped; 5 AXL requests, 2 answered 503 (throttled)"
'
stop_bg "$TRASH/throttle.pid"

expect_success 'a SOAP fault is exit 4 with the axlcode and message, and nothing on stdout' '
	start_axl_sim fault --fixture "$FIXTURE" --fault-after 1 --fault-code 5007 \
		--fault-message "Item not valid: The specified User was not found" &&
	expect_code 4 j2w-users --axl "$AXL_URL" --page-size 10 >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-users: AXL executeSQLQuery failed at '\''$AXL_URL'\'': axlcode 5007: Item not valid: The specified User was not found"
'
stop_bg "$TRASH/fault.pid"

expect_success 'wrong credentials are exit 4 with what to check; missing ones are exit 2' '
	start_axl_sim auth --fixture "$FIXTURE" --user axladmin --password other &&
	expect_code 4 j2w-users --axl "$AXL_URL" >out 2>err &&
	must_be_empty out &&
	must_contain err "refused the credentials (HTTP 401): check the AXL user and password" &&
	expect_code 2 env -u AXL_USER -u AXL_PASSWORD j2w-users --axl "$AXL_URL" >out 2>err &&
	must_contain err "no AXL credentials: set AXL_USER and AXL_PASSWORD or give --axl-credentials FILE"
'
stop_bg "$TRASH/auth.pid"

expect_success 'credentials from a 0600 file; a group-readable file is refused (exit 2)' '
	start_axl_sim creds --fixture "$FIXTURE" --user fileuser --password "p:w" &&
	printf "fileuser:p:w\n" >creds && chmod 600 creds &&
	env -u AXL_USER -u AXL_PASSWORD j2w-users --axl-credentials creds --axl "$AXL_URL" >out 2>err &&
	test $(wc -l <out) -eq 35 &&
	chmod 640 creds &&
	expect_code 2 j2w-users --axl-credentials creds --axl "$AXL_URL" >out 2>err &&
	must_be_empty out &&
	must_contain err "is readable by group or others (mode 640): run chmod 600"
'
stop_bg "$TRASH/creds.pid"

expect_success 'a server slower than --timeout is exit 4 after the retries' '
	start_axl_sim slow --fixture "$FIXTURE" --slow-ms 3000 &&
	expect_code 4 j2w-users --axl "$AXL_URL" --timeout 1 >out 2>err &&
	must_be_empty out &&
	must_contain err "did not answer in time"
' 
stop_bg "$TRASH/slow.pid"

expect_success 'dropped connections are retried and the run completes' '
	start_axl_sim drop --fixture "$FIXTURE" --drop-after 1 --drop-count 2 &&
	j2w-users --axl "$AXL_URL" --page-size 20 >out.jsonl 2>err &&
	test $(wc -l <out.jsonl) -eq 35
'
stop_bg "$TRASH/drop.pid"

if have_cmd openssl; then
	expect_success 'TLS is verified: untrusted is exit 4, --cacert trusts, --insecure warns, a bad --cacert is exit 2' '
		openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
			-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null &&
		start_axl_sim tls --fixture "$FIXTURE" --tls-cert cert.pem --tls-key key.pem &&
		url=https://127.0.0.1:$AXL_PORT/axl/ &&
		expect_code 4 j2w-users --axl "$url" >out 2>err &&
		must_be_empty out &&
		must_contain err "cannot verify the TLS certificate" &&
		j2w-users --axl "$url" --cacert cert.pem >out 2>err &&
		test $(wc -l <out) -eq 35 &&
		j2w-users --axl "$url" --insecure >out 2>err &&
		must_contain err "warning: --insecure: TLS certificates are NOT verified" &&
		echo "not a certificate" >junk.pem &&
		expect_code 2 j2w-users --axl "$url" --cacert junk.pem >out 2>err &&
		must_contain err "cannot load the CA certificates given with --cacert"
	'
	stop_bg "$TRASH/tls.pid"
else
	skip 'TLS verification' 'openssl is not installed'
fi

expect_success 'the password is never printed and never in argv' '
	start_axl_sim quiet --fixture "$FIXTURE" --user axladmin --password "s3cret pass:word" --slow-ms 300 &&
	{ j2w-users --axl "$AXL_URL" --page-size 5 --progress >out 2>err & } &&
	pid=$! &&
	wait_for_cmdline $pid "j2w-users .*--axl" >cmdline &&
	wait $pid &&
	must_not_contain cmdline "s3cret" && must_not_contain out "s3cret" && must_not_contain err "s3cret"
'
stop_bg "$TRASH/quiet.pid"

finish
