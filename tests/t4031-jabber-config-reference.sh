#!/bin/sh
# j2w-jabber-config against the whole parameter reference: files holding every
# parameter of templates/jabber-params.tsv with a valid value lint with no FAIL and
# no WARN; names Jabber never reads from the file are warned about; a GUID as
# uuidgen writes it is a TelemetryCustomerID; trim keeps exactly what the Webex
# App reads and leaves no gap; merge indents like the file.
. "$(dirname "$0")/lib.sh"
J2W_TEMPLATES=$TOP/templates
export J2W_TEMPLATES
P=$TOP/templates/jabber-params.tsv
GUID=0f8fad5b-d9cb-469f-a165-70867728950e

# every_param: writes all-1.xml, all-2.xml, ... from the dictionary: one element per
# parameter with a value its type allows (empty for passwords: a value there is a
# finding of its own), groups set apart by blank lines. A second spelling of the same
# parameter goes to the next file, so that no file sets one parameter twice.
every_param() {
	awk -F '\t' '
	function value(t, name,   a, b, e, l, v, n) {
		if (name ~ /[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd]$/) return ""
		if (t == "bool" || t == "hotkey") return "true"
		if (t == "bool01") return "1"
		if (t ~ /^int:/) {
			split(substr(t, 5), a, ","); split(a[1], b, "[.][.]"); v = b[1] + 0
			if (t ~ /,even/ && v % 2) v++
			if (t ~ /,odd/ && v % 2 == 0) v++
			return v
		}
		if (t ~ /^enum:/) { split(substr(t, 6), e, "|"); return e[1] }
		if (t ~ /^list:/) {
			n = split(t, l, ":")
			if (n >= 3) { split(l[3], e, "|"); return e[1] }
			return "item"
		}
		if (t == "url") return "https://www.example.com/jabber/page.html"
		if (t == "urlhost") return "https://cucm.example.com"
		if (t == "photourl") return "http://photo.example.com/%%uid%%.jpg"
		if (t == "domain") return "example.com"
		if (t == "host") return "server.example.com"
		if (t == "guid") return "'"$GUID"'"
		if (t == "attr") return "sAMAccountName"
		if (t == "dn") return "ou=people,dc=example,dc=com"
		if (t == "ldapfilter") return "(&amp;(objectCategory=person)(objectClass=user))"
		if (t == "version") return "12.9.1"
		if (t == "xml") return ""
		return "text"
	}
	/^#/ || $1 == "group" || $1 == "-" { next }
	{
		split($1, g, "|"); grp = g[1] == "*" ? "Options" : g[1]
		k = ++seen[tolower($2)]; if (k > files) files = k
		body[k, grp] = body[k, grp] "    <" $2 ">" value($3, $2) "</" $2 ">\n"
		count++
	}
	END {
		ng = split("Client Directory Options Phone Policies Presence Voicemail", order, " ")
		for (k = 1; k <= files; k++) {
			out = "all-" k ".xml"
			printf "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<config version=\"1.0\">\n" >out
			first = 1
			for (i = 1; i <= ng; i++) {
				if (!((k, order[i]) in body)) continue
				if (!first) printf "\n" >out
				printf "  <%s>\n%s  </%s>\n", order[i], body[k, order[i]], order[i] >out
				first = 0
			}
			printf "</config>\n" >out
			close(out)
		}
		print count >"count"
	}' "$P"
}

expect_success 'every reference parameter with a valid value: no FAIL, no WARN' '
	every_param &&
	test "$(cat count)" -eq 430 &&
	ls all-*.xml >files && test $(wc -l <files) -ge 2 &&
	j2w-jabber-config lint -q --fail-on WARN all-*.xml >out &&
	! grep -v -e "\"check\":\"JC-LEGACY\",\"severity\":\"INFO\"" \
		-e "\"check\":\"JC-VSD\",\"severity\":\"INFO\"" out &&
	test $(grep -c "<[A-Za-z_0-9-]*>.*</" all-*.xml | awk -F: "{ n += \$2 } END { print n }") -eq 430
'

expect_success 'names that are not jabber-config parameters are warned about, never failed' '
	awk -F "\t" "\$1 == \"-\" { n++; v = \$3 == \"bool\" ? \"true\" : \$3 == \"url\" ? \"https://pki.example.com/prt.cer\" : \"text\"
		printf \"<config version=\\\"1.0\\\">\\n<Client>\\n<%s>%s</%s>\\n</Client>\\n</config>\\n\", \$2, v, \$2 >(\"elsewhere-\" n \".xml\") }" "$P" &&
	test $(ls elsewhere-*.xml | wc -l) -eq 9 &&
	j2w-jabber-config lint -q elsewhere-*.xml >out &&
	test $(wc -l <out) -eq 9 &&
	test $(grep -c "\"severity\":\"WARN\"" out) -eq 9 &&
	grep "ServicesDomain" out | grep -q "JC-ELSEWHERE" &&
	grep "FIPS_MODE" out | grep -q "JC-ELSEWHERE" &&
	grep "EnablePRTEncryption" out | grep -q "JC-CASE.*EnablePrtEncryption"
'

expect_success 'generate -t telemetry takes a GUID as uuidgen writes it, and the 32 digits' '
	j2w-jabber-config generate -q -t telemetry --set Policies/TelemetryCustomerID=$GUID -o out.xml &&
	must_contain out.xml "<TelemetryCustomerID>$GUID</TelemetryCustomerID>" &&
	j2w-jabber-config lint -q out.xml >findings && must_be_empty findings &&
	j2w-jabber-config generate -q -t telemetry -o - \
		--set Policies/TelemetryCustomerID=0f8fad5bd9cb469fa16570867728950e >out2.xml &&
	expect_code 2 j2w-jabber-config generate -t telemetry -o - \
		--set Policies/TelemetryCustomerID=0f8fad5b-d9cb-469f-a165 2>err &&
	must_contain err "expects a GUID"
'

expect_success 'generate refuses a name Jabber never reads from the file' '
	expect_code 2 j2w-jabber-config generate --set Policies/ServicesDomain=example.com -o - 2>err &&
	must_contain err "'\''ServicesDomain'\'' is not read from jabber-config.xml"
'

expect_success 'trim keeps exactly the spellings the Webex App reads, and no gap where groups were' '
	every_param &&
	j2w-jabber-config trim -q all-1.xml >t1.xml &&
	j2w-jabber-config trim -q all-2.xml >t2.xml &&
	cat t1.xml t2.xml | sed -n "s/^ *<\([A-Za-z0-9_]*\)>.*<\/.*/\1/p" | sort >kept &&
	awk -F "\t" "!/^#/ && \$5 == \"yes\" { print \$2 }" "$P" | sort >webex &&
	test $(wc -l <webex) -eq 36 &&
	cmp_output webex kept &&
	! grep -q "^$" t2.xml &&
	awk "/^\$/ { if (blank || prev ~ /<config/) bad = 1; blank = 1; prev = \$0; next }
	     { if (blank && \$0 ~ /<\/config>/) bad = 1; blank = 0; prev = \$0 }
	     END { exit bad }" t1.xml &&
	test $(grep -c "^$" t1.xml) -eq $(($(grep -c "^  <[A-Z][a-z]*>$" t1.xml) - 1))
'

expect_success 'merge indents a new parameter and a new group like the file' '
	printf "<config version=\"1.0\">\n<Client>\n\t<EnablePrt>true</EnablePrt>\n</Client>\n<Policies>\n</Policies>\n</config>\n" >in.xml &&
	j2w-jabber-config generate -q --merge in.xml -o out.xml \
		--set Policies/EnableVideo=false --set Voicemail/VoicemailPrimaryServer=vm.example.com &&
	printf "<config version=\"1.0\">\n<Client>\n\t<EnablePrt>true</EnablePrt>\n</Client>\n<Policies>\n\t<EnableVideo>false</EnableVideo>\n</Policies>\n<Voicemail>\n\t<VoicemailPrimaryServer>vm.example.com</VoicemailPrimaryServer>\n</Voicemail>\n</config>\n" >expected &&
	cmp_output expected out.xml
'

finish
