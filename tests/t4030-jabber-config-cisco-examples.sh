#!/bin/sh
# j2w-jabber-config lint on configuration examples from Cisco's own documents
# (tests/data/jabber-config/cisco, each with its document and URL in the README
# there): what follows Cisco's reference has no FAIL; placeholders, broken XML,
# invalid addresses, unbalanced LDAP filters, passwords and plain LDAP binds that
# Cisco's examples carry are still caught.
. "$(dirname "$0")/lib.sh"
J2W_TEMPLATES=$TOP/templates
export J2W_TEMPLATES
C=$DATA/jabber-config/cisco

for f in "$C"/*.xml; do
	name=$(basename "$f" .xml)
	want=0
	grep -q '"severity":"FAIL"' "$C/$name.expected" && want=1
	export name want
	expect_success "Cisco example: $name" '
		cp "$C/$name.xml" . &&
		expect_code $want j2w-jabber-config lint -q "$name.xml" >out &&
		cmp_output "$C/$name.expected" out
	'
done

expect_success 'every example is listed in the README with its URL' '
	for f in "$C"/*.xml; do
		n=$(basename "$f") &&
		grep -q "^| $n | .* | https://www.cisco.com/" "$C/README.md" || { say "$n"; return 1; }
	done
'

expect_success 'the examples that follow the reference have no FAIL and no WARN' '
	j2w-jabber-config lint -q --fail-on WARN "$C/webex-app-policies.xml" \
		"$C/prg128-directory-cdi.xml" "$C/prg140-port-ranges.xml" >out &&
	must_be_empty out
'

expect_success 'Cisco-printed spellings pass; another case is a warning, never a failure' '
	cat >in.xml <<-\XML &&
	<config version="1.0">
	  <Client>
	    <PrtLogServerURL>http://prt.example.com/upload.php</PrtLogServerURL>
	    <UpdateUrl>http://update.example.com/jabber-update.xml</UpdateUrl>
	  </Client>
	  <Directory>
	    <UseSIPURIToResolveContacts>true</UseSIPURIToResolveContacts>
	    <UdsPhotoUriWithToken>http://photo.example.com/%%uid%%.jpg</UdsPhotoUriWithToken>
	    <LDAPUserDomain>example.com</LDAPUserDomain>
	  </Directory>
	  <Policies>
	    <selfcareURL>https://cucm.example.com/ucmuser</selfcareURL>
	  </Policies>
	</config>
	XML
	j2w-jabber-config lint in.xml >out 2>err &&
	must_be_empty out &&
	sed -e "s/PrtLogServerURL/PRTLogServerUrl/g" -e "s/UdsPhotoUriWithToken/UDSPhotoUriWithToken/g" \
		in.xml >case.xml &&
	j2w-jabber-config lint -q -f tsv case.xml >out &&
	cat >expected <<-\EXPECTED &&
	location	severity	check	message
	case.xml:3	WARN	JC-CASE	'\''PRTLogServerUrl'\'' differs only in case from '\''PrtLogServerURL'\'' or '\''PrtLogServerUrl'\'', the spelling in Cisco'\''s documents; Cisco does not say whether case matters: write it as documented
	case.xml:8	WARN	JC-CASE	'\''UDSPhotoUriWithToken'\'' differs only in case from '\''UdsPhotoUriWithToken'\'', the spelling in Cisco'\''s documents; Cisco does not say whether case matters: write it as documented
	EXPECTED
	cmp_output expected out
'

finish
