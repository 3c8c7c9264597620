#!/bin/sh
# j2w-apply over HTTPS: the certificate is verified (--cacert adds a CA), and
# the trust store is loaded once per run however many connections the window
# opens (it was parsed again for every new connection).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/controlhub.sh"

# start_tls_sim NAME ARGS...: the simulator on HTTPS with cert.pem/key.pem
start_tls_sim() {
	name=$1; shift
	start_ch_sim "$name" --tls-cert cert.pem --tls-key key.pem "$@" &&
	WEBEX_API=https://127.0.0.1:$(cat "$TRASH/$name.port")/v1 &&
	export WEBEX_API
}

make_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
}

if ! have_cmd openssl; then
	skip 'j2w-apply over TLS' 'openssl is not installed'
	finish
	exit
fi

expect_success 'TLS is verified: untrusted is exit 4, --cacert trusts, a bad --cacert is exit 2' '
	make_token token && make_cert &&
	start_tls_sim t1 --synthetic 80 --token-file token &&
	ch_rows 80 >rows.csv &&
	expect_code 4 j2w-apply --token-file token rows.csv >out 2>err &&
	must_contain err "cannot verify the TLS certificate" &&
	echo junk >junk.pem &&
	expect_code 2 j2w-apply --token-file token --cacert junk.pem rows.csv >out 2>err &&
	must_contain err "cannot load the CA certificates given with --cacert" &&
	j2w-apply --token-file token --cacert cert.pem -n 16 --commit --journal j.db rows.csv \
		>out 2>err &&
	must_contain err "80 users: 80 updated, 0 unchanged, 0 failed" &&
	ch_right 80 t1
'

CA_BUNDLE=$(curl-config --ca 2>/dev/null)
if ! have_cmd strace || [ -z "$CA_BUNDLE" ] || ! strace -o /dev/null true 2>/dev/null; then
	skip 'the trust store is loaded once' 'strace, curl-config or ptrace is not available'
else
	# LeakSanitizer cannot run under ptrace: a sanitized build checks leaks elsewhere
	expect_success 'the trust store is loaded once, however many connections are opened' '
		make_token token && make_cert &&
		start_tls_sim t2 --synthetic 60 --token-file token --rtt-ms 20 &&
		ch_rows 60 >rows.csv &&
		ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=openat,connect -o trace \
			j2w-apply --token-file token --cacert cert.pem \
			-n 32 rows.csv >out 2>err &&
		must_contain err "60 users: 60 to update" &&
		test "$(grep -c "connect(.*htons($(cat "$TRASH/t2.port"))" trace)" -ge 8 &&
		test "$(grep -c "\"$CA_BUNDLE\"" trace)" = 1 &&
		test "$(grep -c "\"cert.pem\"" trace)" -ge 1
	'
fi

finish
