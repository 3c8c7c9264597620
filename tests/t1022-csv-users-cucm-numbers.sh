#!/bin/sh
# j2w-csv users on the records of a CUCM 14-shaped export (E.164 lines kept by CUCM
# as "\+..." patterns): Extension and Phone Number are Webex Calling assignments, so
# the shipped template leaves them empty; a template that asks for them gets E.164
# numbers without CUCM's escape, from new records and from first-release ones alike.
#
# Sources: the columns are those of "Control Hub user management CSV file reference",
# https://help.webex.com/en-us/article/afv3q8 (Extension "Extension of the user",
# Phone Number "Phone number of the user": the numbers Webex Calling assigns). With
# Calling in Webex App (Unified CM) the app registers to Unified CM and the numbers
# stay there ("Deployment guide for Calling in Webex App (Unified CM)",
# https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cloudCollaboration/wbxt/ucmcalling/unified-cm-wbx-teams-deployment-guide/unified-cm-wbx-teams-deployment-guide_appendix_0100.html).
# The export: tests/data/users/cucm14-e164.csv (see t1020 for its sources).
. "$(dirname "$0")/lib.sh"

EXPORT=$DATA/users/cucm14-e164.csv

expect_success 'the shipped template leaves Extension and Phone Number empty' '
	j2w-users --bat "$EXPORT" >users.jsonl 2>/dev/null &&
	must_contain users.jsonl "\"primary_extension\":\"+14922010003\"" &&
	j2w-csv users users.jsonl >out.csv 2>err &&
	cat >expected <<-\EOF &&
	First Name,Last Name,Display Name,User ID/Email (Required),Extension,Title,Department,Phone Number
	Peter,Meyer,Peter Meyer,pmeyer@example.com,,,,
	Ines,Roth,Ines Roth,iroth@example.com,,,,
	Kai,Weber,Kai Weber,kweber@example.com,,,,
	Lena,Vogel,Lena Vogel,lvogel@example.com,,,,
	EOF
	tr -d "\r" <out.csv >got &&
	cmp_output expected got &&
	must_contain err "4 rows in 1 file, 0 left out"
'

expect_success 'a template that asks for them gets E.164 as dialled: no backslash, no apostrophe' '
	j2w-users --bat "$EXPORT" >users.jsonl 2>/dev/null &&
	sed -e "s/^Extension	.*/Extension	primary_extension	phone/" \
	    -e "s/^Phone Number	.*/Phone Number	primary_extension|telephone_number	phone/" \
	    "$TOP/templates/controlhub-users.tsv" >calling.tsv &&
	j2w-csv users --template calling.tsv users.jsonl >out.csv 2>/dev/null &&
	tr -d "\r" <out.csv | cut -d, -f4,5,8 >got &&
	cat >expected <<-\EOF &&
	User ID/Email (Required),Extension,Phone Number
	pmeyer@example.com,+14922010003,+14922010003
	iroth@example.com,+14922010004,+14922010004
	kweber@example.com,,
	lvogel@example.com,,+14922010006
	EOF
	cmp_output expected got &&
	must_not_contain out.csv "\\+"
'

expect_success 'records written by the first release (still "\+...") come out as dialled too' '
	printf "%s\n" "{\"userid\":\"pmeyer\",\"mailid\":\"pmeyer@example.com\",\"telephone_number\":\"\\\\+14922010003\",\"primary_extension\":\"\\\\+14922010003\"}" >old.jsonl &&
	must_contain old.jsonl "\\\\+1492" &&
	sed -e "s/^Phone Number	.*/Phone Number	primary_extension|telephone_number	phone/" \
	    "$TOP/templates/controlhub-users.tsv" >calling.tsv &&
	j2w-csv users --template calling.tsv old.jsonl >out.csv 2>/dev/null &&
	must_contain out.csv "pmeyer@example.com,,,,+14922010003" &&
	must_not_contain out.csv "\\+"
'

finish
