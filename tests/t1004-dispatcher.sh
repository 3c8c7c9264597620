#!/bin/sh
# j2w VERB runs j2w-VERB; help, --version and unknown verbs.
. "$(dirname "$0")/lib.sh"

expect_success 'j2w users runs j2w-users with the same arguments' '
	printf "USER ID\nann\n" >enduser.csv &&
	j2w users --bat enduser.csv >out 2>err &&
	echo "{\"userid\":\"ann\",\"source\":\"bat:enduser.csv:2\"}" >expected &&
	cmp_output expected out &&
	must_contain err "j2w-users: 1 user, 0 rows skipped"
'

expect_success 'j2w help lists the verbs; --version prints the version' '
	j2w help >out &&
	must_contain out "  users           pull users from CUCM BAT exports or AXL" &&
	must_contain out "  contacts        pull IM and Presence contact lists" &&
	j2w --version >v && echo "j2w 0.1.0" >expected && cmp_output expected v &&
	j2w-users --version >v && cmp_output expected v &&
	j2w-users --help >h && must_contain h "Exit status: 0 success"
'

expect_success 'an unknown verb or no verb is a usage error' '
	expect_code 2 j2w frobnicate 2>err &&
	must_contain err "'\''frobnicate'\'' is not a j2w verb" &&
	expect_code 2 j2w 2>err &&
	must_contain err "usage: j2w VERB"
'

finish
