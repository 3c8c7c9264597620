#!/bin/sh
# j2w-dns-check against a real dnsmasq per view: the sample org's split DNS, then
# one broken zone per test (leak, missing edge, IP literal, misspelt name,
# single target, target without an address, CNAME target, "." target), a
# resolver that refuses, one that never answers, and the exit statuses.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-dns.sh"

if ! have_cmd dnsmasq; then
	skip 'j2w-dns-check against dnsmasq' 'dnsmasq is not installed (apt-get install dnsmasq-base)'
	finish; exit
fi

start_dns internal "$SAMPLES/dns/internal.conf" || exit 4
start_dns external "$SAMPLES/dns/external.conf" || exit 4
export internal_NS external_NS

# zone NAME LINE...: a dnsmasq configuration for example.com with those lines
zone() {
	name=$1; shift
	{ echo 'local=/example.com/'; for l in "$@"; do echo "$l"; done; } >"$name.conf"
}

expect_success 'the sample org is ready in both views (golden table)' '
	j2w-dns-check -i "$internal_NS" -e "$external_NS" -f tsv \
		example.com emea.example.com >out 2>err &&
	cmp_output "$DATA/dns/healthy.tsv" out &&
	must_contain err "j2w-dns-check: 2 domains, 2 resolvers," &&
	must_contain err "0 fail, 0 error"
'

expect_success 'the same table as CSV, and -o writes it to a file' '
	j2w-dns-check -i "$internal_NS" -e "$external_NS" -f tsv example.com emea.example.com >tsv &&
	j2w-dns-check -i "$internal_NS" -e "$external_NS" -f csv -o out.csv \
		example.com emea.example.com >stdout 2>err &&
	must_be_empty stdout &&
	test "$(wc -l <out.csv)" = "$(wc -l <tsv)" &&
	head -n 1 out.csv | tr -d "\r" >head &&
	head -n 1 tsv | tr "\t" , >want &&
	cmp_output want head &&
	must_contain err "j2w-dns-check: 2 domains, 2 resolvers,"
'

expect_success 'JSON Lines carry the evidence: records in RFC 2782 order, resolver, status' '
	j2w-dns-check -i "$internal_NS" example.com >out 2>/dev/null &&
	grep "\"check\":\"UDS-SRV\"" out >srv &&
	must_contain srv "\"resolver\":\"$internal_NS\"" &&
	must_contain srv "\"status\":\"ANSWER\"" &&
	must_contain srv "\"records\":[{\"priority\":1,\"weight\":10,\"port\":8443,\"target\":\"cucm-pub.example.com\"},{\"priority\":2,\"weight\":20,\"port\":8443,\"target\":\"cucm-sub1.example.com\"},{\"priority\":2,\"weight\":10,\"port\":8443,\"target\":\"cucm-sub2.example.com\"}]" &&
	grep "\"check\":\"EDGE-INSIDE\"" out >inside &&
	must_contain inside "\"status\":\"NXDOMAIN\""
'

expect_success 'NXDOMAIN and NODATA are told apart' '
	zone z "srv-host=_cisco-uds._tcp.example.com,cucm1.example.com,8443,1,10" \
		"host-record=cucm1.example.com,10.0.0.1" \
		"host-record=_cisco-uds._tcp.nodata.example.com,10.0.0.9" &&
	start_dns z "$PWD/z.conf" &&
	expect_code 1 j2w-dns-check -i "$z_NS" example.com nodata.example.com gone.example.com \
		>out 2>/dev/null &&
	grep "\"check\":\"UDS-SRV\"" out >srv &&
	grep "_cisco-uds._tcp.nodata.example.com" srv | must_contain /dev/stdin "\"severity\":\"FAIL\"" &&
	grep "_cisco-uds._tcp.nodata.example.com" srv | must_contain /dev/stdin "\"status\":\"NODATA\"" &&
	grep "_cisco-uds._tcp.gone.example.com" srv | must_contain /dev/stdin "\"status\":\"NXDOMAIN\"" &&
	grep "\"check\":\"UDS-RESOLVE\"" out >resolve &&
	must_contain resolve "\"qtype\":\"A\",\"status\":\"ANSWER\",\"addresses\":[\"10.0.0.1\"]" &&
	must_contain resolve "\"qtype\":\"AAAA\",\"status\":\"NODATA\""
'

expect_success 'split-brain leak: _cisco-uds answering outside is UDS-LEAK FAIL, exit 1' '
	zone ext "srv-host=_collab-edge._tls.example.com,expe1.example.com,8443,1,10" \
		"srv-host=_collab-edge._tls.example.com,expe2.example.com,8443,1,10" \
		"host-record=expe1.example.com,192.0.2.1" "host-record=expe2.example.com,192.0.2.2" \
		"srv-host=_cisco-uds._tcp.example.com,cucm1.example.com,8443,1,10" \
		"srv-host=_cuplogin._tcp.example.com,imp1.example.com,8443,1,10" &&
	start_dns ext "$PWD/ext.conf" &&
	expect_code 1 j2w-dns-check -e "$ext_NS" -f tsv example.com >out 2>err &&
	select_checks out UDS-LEAK CUP-LEAK >got &&
	printf "FAIL\tUDS-LEAK\texternal\t_cisco-uds._tcp.example.com\nWARN\tCUP-LEAK\texternal\t_cuplogin._tcp.example.com\n" >want &&
	cmp_output want got &&
	must_contain out "internal discovery record answers on the external resolver (cucm1.example.com:8443)" &&
	must_contain err "1 warn, 1 fail, 0 error"
'

expect_success 'a missing _collab-edge is EDGE-SRV FAIL, and the evidence says NXDOMAIN' '
	zone ext "host-record=expe1.example.com,192.0.2.1" &&
	start_dns ext "$PWD/ext.conf" &&
	expect_code 1 j2w-dns-check -e "$ext_NS" example.com >out 2>/dev/null &&
	grep "\"check\":\"EDGE-SRV\"" out >edge &&
	must_contain edge "\"severity\":\"FAIL\"" &&
	must_contain edge "\"status\":\"NXDOMAIN\"" &&
	must_contain edge "\"fix\":\"publish '\''_collab-edge._tls.example.com. SRV 10 10 8443 <expressway-e-fqdn>.'\''"
'

expect_success 'an IP-literal target and a non-8443 port (the seed counter-example)' '
	zone int "srv-host=_cisco-uds._tcp.example.com,192.168.0.26,8443,1,10" \
		"srv-host=_cisco-uds._tcp.example.com,cucm1.example.com,443,2,10" \
		"host-record=cucm1.example.com,10.0.0.1" &&
	start_dns int "$PWD/int.conf" &&
	expect_code 1 j2w-dns-check -i "$int_NS" -f tsv example.com >out 2>/dev/null &&
	select_checks out UDS-TARGET UDS-PORT UDS-RESOLVE SRV-REDUNDANCY >got &&
	printf "FAIL\tUDS-TARGET\tinternal\t_cisco-uds._tcp.example.com\nWARN\tUDS-PORT\tinternal\t_cisco-uds._tcp.example.com\nOK\tUDS-RESOLVE\tinternal\tcucm1.example.com\nOK\tSRV-REDUNDANCY\tinternal\t_cisco-uds._tcp.example.com\n" >want &&
	cmp_output want got &&
	must_contain out "the target '\''192.168.0.26'\'' is an IP address" &&
	must_contain out "the record for cucm1.example.com uses port 443; clients expect 8443"
'

expect_success '_cisco_uds misspelt: RECORD-NAME FAIL when the right name is missing' '
	zone int "srv-host=_cisco_uds._tcp.example.com,cucm1.example.com,8443,1,10" \
		"srv-host=_collab-edge._tcp.example.com,cucm1.example.com,8443,1,10" \
		"srv-host=_collab-edge._tls.example.com,cucm1.example.com,8443,1,10" \
		"host-record=cucm1.example.com,10.0.0.1" &&
	start_dns int "$PWD/int.conf" &&
	expect_code 1 j2w-dns-check -i "$int_NS" -f tsv example.com >out 2>/dev/null &&
	select_checks out UDS-SRV RECORD-NAME EDGE-INSIDE >got &&
	printf "FAIL\tUDS-SRV\tinternal\t_cisco-uds._tcp.example.com\nFAIL\tRECORD-NAME\tinternal\t_cisco_uds._tcp.example.com\nWARN\tRECORD-NAME\tinternal\t_collab-edge._tcp.example.com\nWARN\tEDGE-INSIDE\tinternal\t_collab-edge._tls.example.com\n" >want &&
	cmp_output want got &&
	must_contain out "clients only ask _cisco-uds._tcp.example.com, which is missing"
'

expect_success 'a single target is SRV-REDUNDANCY WARN, and --fail-on WARN makes it exit 1' '
	zone ext "srv-host=_collab-edge._tls.example.com,expe1.example.com,8443,1,10" \
		"host-record=expe1.example.com,192.0.2.1" &&
	start_dns ext "$PWD/ext.conf" &&
	expect_code 0 j2w-dns-check -e "$ext_NS" -f tsv example.com >out 2>/dev/null &&
	select_checks out SRV-REDUNDANCY >got &&
	printf "WARN\tSRV-REDUNDANCY\texternal\t_collab-edge._tls.example.com\n" >want &&
	cmp_output want got &&
	expect_code 1 j2w-dns-check -e "$ext_NS" --fail-on warn example.com >/dev/null 2>&1
'

expect_success 'a target without an address is EDGE-RESOLVE FAIL; a CNAME and "." are EDGE-TARGET FAIL' '
	zone ext "srv-host=_collab-edge._tls.example.com,expe1.example.com,8443,1,10" \
		"srv-host=_collab-edge._tls.example.com,alias.example.com,8443,2,10" \
		"srv-host=_collab-edge._tls.example.com,expe2.example.com,8443,3,10" \
		"cname=alias.example.com,expe2.example.com" \
		"host-record=expe2.example.com,192.0.2.2" \
		"srv-host=_collab-edge._tls.example.org" "local=/example.org/" &&
	start_dns ext "$PWD/ext.conf" &&
	expect_code 1 j2w-dns-check -e "$ext_NS" -f tsv example.com example.org >out 2>/dev/null &&
	select_checks out EDGE-TARGET EDGE-RESOLVE >got &&
	cat >want <<-\EOF &&
	FAIL	EDGE-TARGET	external	_collab-edge._tls.example.com
	FAIL	EDGE-TARGET	external	_collab-edge._tls.example.org
	FAIL	EDGE-RESOLVE	external	expe1.example.com
	OK	EDGE-RESOLVE	external	alias.example.com
	OK	EDGE-RESOLVE	external	expe2.example.com
	EOF
	cmp_output want got &&
	must_contain out "expe1.example.com has no A or AAAA record on the external resolver (A: NXDOMAIN, AAAA: NXDOMAIN)" &&
	must_contain out "is an alias (CNAME to '\''expe2.example.com'\'')" &&
	must_contain out "the target '\''.'\'' says the service is decidedly not available"
'

expect_success 'a resolver that refuses: ERROR findings that name REFUSED, exit 4' '
	expect_code 4 j2w-dns-check -e "$external_NS" -f tsv example.net >out 2>err &&
	must_contain out "ERROR	EDGE-SRV	external	_collab-edge._tls.example.net	no usable answer from the external resolver $external_NS for _collab-edge._tls.example.net SRV (REFUSED)" &&
	must_contain err "no resolver answered any question"
'

expect_success 'a resolver that never answers: ERROR per check, the other view unharmed, exit 1' '
	start_mute mute &&
	expect_code 1 j2w-dns-check --timeout 150ms -i "$internal_NS" -e "$mute_NS" -f tsv \
		example.com >out 2>err &&
	select_checks out EDGE-SRV UDS-LEAK UDS-SRV >got &&
	cat >want <<-\EOF &&
	ERROR	EDGE-SRV	external	_collab-edge._tls.example.com
	ERROR	UDS-LEAK	external	_cisco-uds._tcp.example.com
	OK	UDS-SRV	internal	_cisco-uds._tcp.example.com
	EOF
	cmp_output want got &&
	must_contain out "(TIMEOUT)" &&
	must_contain err "0 fail, 5 error"
'

expect_success 'a dead resolver costs one window of timeouts: the rest is marked unsent' '
	start_mute mute &&
	for i in 1 2 3 4 5 6 7 8 9 10; do echo "d$i.example.com"; done >domains &&
	expect_code 4 j2w-dns-check --timeout 100ms --concurrency 8 -e "$mute_NS" $(cat domains) \
		>out 2>err &&
	test $(grep -c "\"status\":\"TIMEOUT\"" out) -eq 50 &&
	must_contain out "\"detail\":\"not sent: the resolver answered none of the first " &&
	must_contain out "(TIMEOUT: not sent: the resolver answered none of the first " &&
	must_contain err "10 domains, 1 resolver, 120 questions (0 answered)"
'

expect_success 'a malformed answer is an ERROR that says what was wrong, never a crash' '
	start_garbage junk &&
	expect_code 4 j2w-dns-check -e "$junk_NS" -f tsv example.com >out 2>err &&
	must_contain out "ERROR	EDGE-SRV	external	_collab-edge._tls.example.com	no usable answer from the external resolver $junk_NS for _collab-edge._tls.example.com SRV (ERROR: malformed answer: answer 1: record data runs past the end)"
'

expect_success 'every resolver of a view is asked on its own' '
	zone leak "srv-host=_cisco-uds._tcp.example.com,cucm1.example.com,8443,1,10" &&
	start_dns leak "$PWD/leak.conf" &&
	expect_code 1 j2w-dns-check -e "$external_NS" -e "$leak_NS" example.com >out 2>/dev/null &&
	grep "\"check\":\"UDS-LEAK\"" out >leak &&
	test $(wc -l <leak) -eq 2 &&
	grep "\"severity\":\"OK\"" leak | must_contain /dev/stdin "\"resolver\":\"$external_NS\"" &&
	grep "\"severity\":\"FAIL\"" leak | must_contain /dev/stdin "\"resolver\":\"$leak_NS\""
'

expect_success '--domains-from takes the distinct mail domains of user records' '
	cat >users.jsonl <<-\EOF &&
	{"userid":"alice","mailid":"alice@Example.COM"}
	{"userid":"bob","mailid":"bob@emea.example.com"}
	{"userid":"carol","directory_uri":"carol@example.com"}
	{"userid":"dave"}
	EOF
	expect_code 1 j2w-dns-check -i "$internal_NS" --domains-from users.jsonl -f tsv >out 2>err &&
	cut -f4 out | grep "^_cisco-uds" | sort -u >got &&
	printf "_cisco-uds._tcp.emea.example.com\n_cisco-uds._tcp.example.com\n" >want &&
	cmp_output want got &&
	must_contain err "users.jsonl:4: user '\''dave'\'' has no mail or directory URI with a usable domain" &&
	must_contain err "2 domains, 1 resolver"
'

expect_success 'usage errors are exit 2, bad user records exit 3' '
	expect_code 2 j2w-dns-check example.com 2>err &&
	must_contain err "give at least one resolver" &&
	expect_code 2 j2w-dns-check -i 127.0.0.1 2>err &&
	must_contain err "no domain to check" &&
	expect_code 2 j2w-dns-check -i ns.example.com example.com 2>err &&
	must_contain err "give an IP address, not a name" &&
	expect_code 2 j2w-dns-check -i 127.0.0.1:99999 example.com 2>err &&
	expect_code 2 j2w-dns-check -i 127.0.0.1 "exa mple.com" 2>err &&
	must_contain err "is not a DNS domain" &&
	expect_code 2 j2w-dns-check -i 127.0.0.1 --fail-on bad example.com 2>err &&
	expect_code 2 j2w-dns-check -i 127.0.0.1 --now yesterday example.com 2>err &&
	expect_code 2 j2w-dns-check -i 127.0.0.1 --domains-from missing.jsonl 2>err &&
	must_contain err "cannot open '\''missing.jsonl'\''" &&
	echo "not json" >bad.jsonl &&
	expect_code 3 j2w-dns-check -i 127.0.0.1 --domains-from bad.jsonl 2>err &&
	must_contain err "bad.jsonl:1:" &&
	j2w-dns-check --help >out && must_contain out "usage: j2w-dns-check"
'

finish
