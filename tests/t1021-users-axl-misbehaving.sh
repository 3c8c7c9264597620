#!/bin/sh
# j2w-users --axl when the answers are real-shaped or wrong: E.164 lines as CUCM
# keeps them, a server (or a proxy before it) that ignores skip or does not page,
# a user whose uuid is not a GUID. Requests are still checked against the AXL
# schema by the simulator when the schema is there.
#
# Sources: listUser, skip/first and the LUser uuid attribute (XUUID, a braced
# upper-case GUID) are from the AXL 12.5 schema (AXLSoap.xsd in Cisco's AXL SQL
# toolkit, "AXL Developer Guide", https://developer.cisco.com/docs/axl/); skip
# "will be used only when first tag is specified". primaryExtension/pattern holds
# the directory number as CUCM stores it, an E.164 number with its '+' escaped
# ("\+14922010003"): "E.164 and International Call Routing",
# https://www.networkworld.com/article/2233104/e-164-and-international-call-routing.html.
# tests/data/users/cucm14-e164-axl.json holds the users of cucm14-e164.csv.
. "$(dirname "$0")/lib.sh"

FIXTURE=$DATA/users/cucm14-e164-axl.json
AXL_USER=axladmin AXL_PASSWORD=secret
export AXL_USER AXL_PASSWORD

# validated LOG: "ok" when the simulator checked every request against the schema
validated() {
	python3 -c '
import json, sys
v = {json.loads(l).get("validated") for l in open(sys.argv[1])}
print("ok" if v == {True} else "n/a" if v == {False} else "mixed %s" % sorted(map(str, v)))' "$1"
}

if ! have_cmd python3; then
	skip 'AXL tests' 'python3 is not installed'
	finish; exit
fi

expect_success 'AXL E.164 lines come out as dialled, the same records as the BAT export' '
	start_axl_sim e164 --fixture "$FIXTURE" &&
	j2w-users --axl "$AXL_URL" --page-size 3 >axl.jsonl 2>err &&
	j2w-users --bat "$DATA/users/cucm14-e164.csv" >bat.jsonl 2>/dev/null &&
	users_normalised axl.jsonl >axl.norm && users_normalised bat.jsonl >bat.norm &&
	cmp_output bat.norm axl.norm &&
	must_not_contain axl.jsonl "\\+" &&
	must_contain axl.jsonl "\"userid\":\"pmeyer\",\"first_name\":\"Peter\",\"last_name\":\"Meyer\",\"display_name\":\"Peter Meyer\",\"mailid\":\"pmeyer@example.com\",\"directory_uri\":\"pmeyer@example.com\",\"telephone_number\":\"+14922010003\",\"primary_extension\":\"+14922010003\"" &&
	if test -f "$SHARED/specs/axl-12.5/AXLSoap.xsd" && have_cmd xmllint; then
		test "$(validated "$TRASH/e164.log")" = ok
	fi
'
stop_bg "$TRASH/e164.pid"

expect_success 'a server that ignores skip: exit 4 at the first repeated user, nothing written' '
	start_axl_sim noskip --fixture "$FIXTURE" --ignore-skip &&
	expect_code 4 j2w-users --axl "$AXL_URL" --page-size 2 >out 2>err &&
	must_be_empty out &&
	echo "j2w-users: AXL at '\''$AXL_URL'\'' answered user '\''iroth'\'' again at skip 2: it, or a proxy before it, ignores skip; stopped" >expected.err &&
	cmp_output expected.err err &&
	expect_code 4 j2w-users --axl "$AXL_URL" --page-size 2 -o users.jsonl 2>/dev/null &&
	test ! -e users.jsonl &&
	test "$(grep -c "\"operation\": \"listUser\"" "$TRASH/noskip.log")" = 4
'
stop_bg "$TRASH/noskip.pid"

expect_success 'a server that does not page at all: exit 4 at the first page larger than first' '
	start_axl_sim nopaging --fixture "$FIXTURE" --no-paging &&
	expect_code 4 j2w-users --axl "$AXL_URL" --page-size 3 >out 2>err &&
	must_be_empty out &&
	echo "j2w-users: AXL at '\''$AXL_URL'\'' answered 4 users to a listUser page of 3 (skip 0): it, or a proxy before it, does not page; stopped" >expected.err &&
	cmp_output expected.err err &&
	test "$(grep -c "\"operation\"" "$TRASH/nopaging.log")" = 1
'
stop_bg "$TRASH/nopaging.pid"

expect_success 'a user whose uuid is not a GUID is reported by userid; the others are kept (exit 1)' '
	start_axl_sim baduuid --fixture "$FIXTURE" \
		--bad-uuid "iroth={7C1E3D2F-4A5B-4C6D-8E7F-8091A2B3C4DZ}" --bad-uuid "lvogel=" &&
	expect_code 1 j2w-users --axl "$AXL_URL" --page-size 2 >out 2>err &&
	cat >expected.err <<-\EOF &&
	j2w-users: axl:127.0.0.1: user '\''iroth'\'': uuid '\''{7C1E3D2F-4A5B-4C6D-8E7F-8091A2B3C4DZ}'\'' is not a GUID, so its devices cannot be read: user skipped
	j2w-users: axl:127.0.0.1: user '\''lvogel'\'': no uuid, so its devices cannot be read: user skipped
	j2w-users: 2 users, 2 rows skipped; 5 AXL requests, 0 answered 503 (throttled)
	EOF
	cmp_output expected.err err &&
	users_normalised out >got &&
	j2w-users --bat "$DATA/users/cucm14-e164.csv" 2>/dev/null | grep -v "\"userid\":\"iroth\"\|\"userid\":\"lvogel\"" >want.jsonl &&
	users_normalised want.jsonl >want &&
	cmp_output want got
'
stop_bg "$TRASH/baduuid.pid"

expect_success 'a line break in a bad answer is escaped on stderr' '
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
d[\"users\"][0][\"userid\"] = \"pm\\nmeyer\"
json.dump(d, open(\"ctl.json\", \"w\"))" "$FIXTURE" &&
	start_axl_sim ctl --fixture ctl.json --bad-uuid "$(printf "pm\nmeyer")=bad" &&
	expect_code 1 j2w-users --axl "$AXL_URL" >out 2>err &&
	must_contain err "j2w-users: axl:127.0.0.1: user '\''pm\\x0ameyer'\'': uuid '\''bad'\'' is not a GUID" &&
	test "$(wc -l <err)" = 2
'
stop_bg "$TRASH/ctl.pid"

finish
