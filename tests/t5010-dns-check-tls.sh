#!/bin/sh
# j2w-dns-check --tls: openssl s_server on loopback behind each SRV target, with
# certificates this test makes (a CA, then leaves that are valid, wrongly named,
# near expiry or expired by --now, from an unknown CA, with one EKU only, with a
# 1024-bit key), and a target where nothing listens.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-dns.sh"

if ! have_cmd dnsmasq || ! have_cmd openssl; then
	skip 'j2w-dns-check --tls' 'dnsmasq or openssl is not installed'
	finish; exit
fi

PKI=$TRASH/pki
mkdir -p "$PKI" && cd "$PKI" || exit 4
# EC P-256 keys where the key type does not matter: RSA key generation is slow
EC='ec -pkeyopt ec_paramgen_curve:P-256'
openssl req -x509 -newkey $EC -nodes -keyout ca.key -out ca.pem \
	-subj /CN=j2w-test-root -days 3650 2>/dev/null || exit 4
openssl req -x509 -newkey $EC -nodes -keyout rogueca.key -out rogueca.pem \
	-subj /CN=j2w-rogue-root -days 3650 2>/dev/null || exit 4

# leaf NAME CN EKU KEY DAYS [CA]: a leaf certificate NAME.pem/NAME.key for CN;
# KEY is "ec" (P-256) or "rsa:BITS"
leaf() {
	k=$4; [ "$k" = ec ] && k=$EC
	openssl req -newkey $k -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$2" \
		2>/dev/null &&
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\n' \
		"$2" "$3" >"$1.ext" &&
	openssl x509 -req -in "$1.csr" -CA "${6:-ca}.pem" -CAkey "${6:-ca}.key" \
		-CAcreateserial -out "$1.pem" -days "$5" -extfile "$1.ext" 2>/dev/null
}

# serve NAME: openssl s_server with NAME's certificate on a free port; sets NAME_PORT
serve() {
	port=$(free_port)
	start_bg "$TRASH/$1.pid" openssl s_server -accept "127.0.0.1:$port" -cert "$PKI/$1.pem" \
		-key "$PKI/$1.key" -www -quiet -cipher 'DEFAULT:@SECLEVEL=0' \
		>"$TRASH/$1.log" 2>&1
	eval "$1_PORT=$port"
}

leaf good expe.good.example.com serverAuth,clientAuth ec 365 &&
leaf wrong other.example.com serverAuth,clientAuth ec 365 &&
leaf soon expe.soon.example.com serverAuth,clientAuth ec 10 &&
leaf rogue expe.rogue.example.com serverAuth,clientAuth ec 365 rogueca &&
leaf srvonly expe.srvonly.example.com serverAuth ec 365 &&
leaf clionly expe.clionly.example.com clientAuth ec 365 &&
leaf weak expe.weak.example.com serverAuth,clientAuth rsa:1024 365 &&
leaf ucm cucm.ucm.example.com serverAuth ec 365 || { say "cannot make the test certificates"; exit 4; }
for s in good wrong soon rogue srvonly clionly weak ucm; do serve $s; done
down_PORT=$(free_port)

# one domain per case: _collab-edge._tls.CASE.example.com -> expe.CASE.example.com:PORT
{
	echo 'local=/example.com/'
	for c in good wrong soon rogue srvonly clionly weak down; do
		p=$(eval echo "\$${c}_PORT")
		echo "srv-host=_collab-edge._tls.$c.example.com,expe.$c.example.com,$p,10,10"
		echo "host-record=expe.$c.example.com,127.0.0.1"
	done
} >"$PKI/external.conf"
{
	echo 'local=/example.com/'
	echo "srv-host=_cisco-uds._tcp.ucm.example.com,cucm.ucm.example.com,$ucm_PORT,1,10"
	echo "srv-host=_cisco-uds._tcp.srvonly.example.com,expe.srvonly.example.com,$srvonly_PORT,1,10"
	echo "host-record=cucm.ucm.example.com,127.0.0.1"
	echo "host-record=expe.srvonly.example.com,127.0.0.1"
} >"$PKI/internal.conf"
cd "$TOP" || exit 4
start_dns ext "$PKI/external.conf" || exit 4
start_dns int "$PKI/internal.conf" || exit 4
export ext_NS int_NS PKI good_PORT wrong_PORT soon_PORT rogue_PORT srvonly_PORT clionly_PORT \
	weak_PORT ucm_PORT down_PORT
# s_server starts in the background: wait until each one listens
wait_listening $good_PORT $wrong_PORT $soon_PORT $rogue_PORT $srvonly_PORT $clionly_PORT \
	$weak_PORT $ucm_PORT || exit 4

# tls_lines FILE SUBJECT: severity and check of the TLS findings for SUBJECT, in order
tls_lines() {
	awk -F '\t' -v s="$2" '$4 == s && $2 ~ /^TLS-/ { print $1 "\t" $2 }' "$1"
}

expect_success 'a valid certificate from a CA given with --cacert passes every TLS check' '
	j2w-dns-check -e "$ext_NS" --tls --cacert "$PKI/ca.pem" -f tsv good.example.com >out 2>err &&
	tls_lines out "expe.good.example.com:$good_PORT" >got &&
	printf "OK\tTLS-CHAIN\nOK\tTLS-NAME\nOK\tTLS-EXPIRY\nOK\tTLS-EKU\nOK\tTLS-KEYSIZE\n" >want &&
	cmp_output want got
'

expect_success 'the evidence holds the fingerprint and notAfter that openssl reports' '
	j2w-dns-check -e "$ext_NS" --tls --cacert "$PKI/ca.pem" good.example.com >out 2>/dev/null &&
	fp=$(openssl x509 -in "$PKI/good.pem" -noout -fingerprint -sha256 | sed "s/.*=//") &&
	grep "\"check\":\"TLS-CHAIN\"" out >chain &&
	must_contain chain "\"sha256_fingerprint\":\"$fp\"" &&
	end=$(openssl x509 -in "$PKI/good.pem" -noout -enddate | sed "s/notAfter=//") &&
	want=$(date -u -d "$end" +%Y-%m-%dT%H:%M:%SZ) &&
	must_contain chain "\"not_after\":\"$want\"" &&
	must_contain chain "\"dns_names\":[\"expe.good.example.com\"]" &&
	must_contain chain "\"eku\":[\"serverAuth\",\"clientAuth\"]"
'

expect_success 'without the CA the chain fails (the Webex App drops such a server)' '
	expect_code 1 j2w-dns-check -e "$ext_NS" --tls -f tsv good.example.com >out 2>/dev/null &&
	tls_lines out "expe.good.example.com:$good_PORT" | head -n 1 >got &&
	printf "FAIL\tTLS-CHAIN\n" >want && cmp_output want got &&
	must_contain out "the certificate chain does not verify: unable to"
'

expect_success 'a certificate from an unknown CA fails TLS-CHAIN even with --cacert' '
	expect_code 1 j2w-dns-check -e "$ext_NS" --tls --cacert "$PKI/ca.pem" -f tsv \
		rogue.example.com >out 2>/dev/null &&
	tls_lines out "expe.rogue.example.com:$rogue_PORT" | head -n 2 >got &&
	printf "FAIL\tTLS-CHAIN\nOK\tTLS-NAME\n" >want && cmp_output want got
'

expect_success 'a certificate for another name fails TLS-NAME' '
	expect_code 1 j2w-dns-check -e "$ext_NS" --tls --cacert "$PKI/ca.pem" -f tsv \
		wrong.example.com >out 2>/dev/null &&
	tls_lines out "expe.wrong.example.com:$wrong_PORT" | sed -n 2p >got &&
	printf "FAIL\tTLS-NAME\n" >want && cmp_output want got &&
	must_contain out "the certificate does not match expe.wrong.example.com (subject CN=other.example.com)"
'

expect_success 'expiry: WARN inside --warn-days, FAIL once --now is past notAfter' '
	j2w-dns-check -e "$ext_NS" --tls --cacert "$PKI/ca.pem" -f tsv soon.example.com >out 2>/dev/null &&
	tls_lines out "expe.soon.example.com:$soon_PORT" | grep EXPIRY >got &&
	printf "WARN\tTLS-EXPIRY\n" >want && cmp_output want got &&
	j2w-dns-check -e "$ext_NS" --tls --cacert "$PKI/ca.pem" --warn-days 5 -f tsv \
		soon.example.com >out 2>/dev/null &&
	tls_lines out "expe.soon.example.com:$soon_PORT" | grep EXPIRY >got &&
	printf "OK\tTLS-EXPIRY\n" >want && cmp_output want got &&
	expect_code 1 j2w-dns-check -e "$ext_NS" --tls --cacert "$PKI/ca.pem" --now +12 -f tsv \
		soon.example.com >out 2>/dev/null &&
	tls_lines out "expe.soon.example.com:$soon_PORT" | grep EXPIRY >got &&
	printf "FAIL\tTLS-EXPIRY\n" >want && cmp_output want got &&
	must_contain out "days ago" &&
	tls_lines out "expe.soon.example.com:$soon_PORT" | head -n 1 | must_contain /dev/stdin "OK	TLS-CHAIN"
'

expect_success 'Expressway-E needs serverAuth and clientAuth; Unified CM serverAuth only' '
	expect_code 1 j2w-dns-check -i "$int_NS" -e "$ext_NS" --tls --cacert "$PKI/ca.pem" -f tsv \
		srvonly.example.com clionly.example.com ucm.example.com >out 2>/dev/null &&
	awk -F "\t" "\$2 == \"TLS-EKU\" { print \$4 \"\t\" \$3 \"\t\" \$1 }" out >got &&
	cat >want <<-EOF &&
	cucm.ucm.example.com:$ucm_PORT	internal	OK
	expe.clionly.example.com:$clionly_PORT	external	FAIL
	expe.srvonly.example.com:$srvonly_PORT	external	FAIL
	expe.srvonly.example.com:$srvonly_PORT	internal	OK
	EOF
	cmp_output want got &&
	must_contain out "the extended key usage lacks clientAuth (Expressway needs both)" &&
	grep clionly out | must_contain /dev/stdin "the extended key usage lacks serverAuth"
'

expect_success 'a 1024-bit RSA key fails TLS-KEYSIZE' '
	expect_code 1 j2w-dns-check -e "$ext_NS" --tls --cacert "$PKI/ca.pem" -f tsv \
		weak.example.com >out 2>/dev/null &&
	tls_lines out "expe.weak.example.com:$weak_PORT" >got &&
	printf "OK\tTLS-CHAIN\nOK\tTLS-NAME\nOK\tTLS-EXPIRY\nOK\tTLS-EKU\nFAIL\tTLS-KEYSIZE\n" >want &&
	cmp_output want got &&
	must_contain out "RSA key of 1024 bits, under 2048"
'

expect_success 'nothing listening is one TLS-CHAIN ERROR naming the address' '
	expect_code 1 j2w-dns-check -e "$ext_NS" --tls --timeout 500ms -f tsv down.example.com \
		>out 2>err &&
	tls_lines out "expe.down.example.com:$down_PORT" >got &&
	printf "ERROR\tTLS-CHAIN\n" >want && cmp_output want got &&
	must_contain out "no TLS handshake with expe.down.example.com:$down_PORT at 127.0.0.1: connect: Connection refused"
'

expect_success 'an unreadable --cacert is a usage error' '
	expect_code 2 j2w-dns-check -e "$ext_NS" --tls --cacert nope.pem good.example.com 2>err &&
	must_contain err "cannot open '\''nope.pem'\''"
'

finish
