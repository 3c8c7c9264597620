#!/bin/sh
# j2w-dns-check --uds-probe: the home-cluster lookup the clients make against each
# _cisco-uds target (GET /cucm-uds/clusterUser?username= and ?email=), against a
# stdlib HTTPS simulator of UDS reached through the internal view's answer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-dns.sh"

if ! have_cmd dnsmasq || ! have_cmd openssl; then
	skip 'j2w-dns-check --uds-probe' 'dnsmasq or openssl is not installed'
	finish; exit
fi

PKI=$TRASH/pki
mkdir -p "$PKI" && cd "$PKI" || exit 4
{
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
		-subj /CN=j2w-test-root -days 3650 &&
	openssl req -newkey rsa:2048 -nodes -keyout cucm.key -out cucm.csr \
		-subj /CN=cucm1.example.com &&
	printf 'subjectAltName=DNS:cucm1.example.com\nextendedKeyUsage=serverAuth\n' >cucm.ext &&
	openssl x509 -req -in cucm.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cucm.pem \
		-days 365 -extfile cucm.ext
} 2>/dev/null || { say "cannot make the test certificates"; exit 4; }
cd "$TOP" || exit 4

start_bg "$TRASH/uds.pid" python3 "$SIM/uds_sim.py" --port-file "$TRASH/uds.port" \
	--cert "$PKI/cucm.pem" --key "$PKI/cucm.key" --user alice=alice@example.com \
	--home cucm-pub.example.com --log "$TRASH/uds.log"
wait_for_file "$TRASH/uds.port" 20 || exit 4
UDS_PORT=$(cat "$TRASH/uds.port")
printf 'local=/example.com/\nsrv-host=_cisco-uds._tcp.example.com,cucm1.example.com,%s,1,10\nhost-record=cucm1.example.com,127.0.0.1\n' \
	"$UDS_PORT" >"$PKI/internal.conf"
start_dns int "$PKI/internal.conf" || exit 4
export int_NS PKI UDS_PORT

uds_line() {
	grep '"check":"UDS-HOMECLUSTER"' "$1"
}

expect_success 'a known user is found by username; the answer names the home cluster' '
	j2w-dns-check -i "$int_NS" --uds-probe alice --cacert "$PKI/ca.pem" example.com \
		>out 2>err &&
	uds_line out >uds &&
	must_contain uds "\"severity\":\"OK\"" &&
	must_contain uds "\"subject\":\"cucm1.example.com:$UDS_PORT\"" &&
	must_contain uds "finds alice@example.com by username; home cluster cucm-pub.example.com" &&
	must_contain uds "\"url\":\"https://cucm1.example.com:$UDS_PORT/cucm-uds/clusterUser?username=alice\"" &&
	must_contain uds "\"url\":\"https://cucm1.example.com:$UDS_PORT/cucm-uds/clusterUser?email=alice%40example.com\"" &&
	must_contain "$TRASH/uds.log" "GET /cucm-uds/clusterUser?email=alice%40example.com HTTP/1.1"
'

expect_success 'an unknown user is UDS-HOMECLUSTER FAIL, exit 1' '
	expect_code 1 j2w-dns-check -i "$int_NS" --uds-probe mallory@example.com \
		--cacert "$PKI/ca.pem" -f tsv example.com >out 2>/dev/null &&
	awk -F "\t" "\$2 == \"UDS-HOMECLUSTER\" { print \$1 }" out >got &&
	echo FAIL >want && cmp_output want got &&
	must_contain out "does not find mallory@example.com by username or by email"
'

expect_success 'an untrusted UDS certificate is an ERROR, and --insecure warns but probes' '
	expect_code 1 j2w-dns-check -i "$int_NS" --uds-probe alice -f tsv example.com >out 2>err &&
	awk -F "\t" "\$2 == \"UDS-HOMECLUSTER\" { print \$1 }" out >got &&
	echo ERROR >want && cmp_output want got &&
	j2w-dns-check -i "$int_NS" --uds-probe alice --insecure -f tsv example.com >out 2>err &&
	awk -F "\t" "\$2 == \"UDS-HOMECLUSTER\" { print \$1 }" out >got &&
	echo OK >want && cmp_output want got &&
	must_contain err "insecure"
'

expect_success '--uds-probe without an internal resolver is a usage error' '
	expect_code 2 j2w-dns-check -e 127.0.0.1 --uds-probe alice example.com 2>err &&
	must_contain err "--uds-probe asks the _cisco-uds targets: give --internal-ns"
'

finish
