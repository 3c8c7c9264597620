#!/bin/sh
# j2w-users --bat on an enduser.csv in the shape of a real CUCM 14 export: E.164
# lines kept as patterns with an escaped plus, and the primary line marked by
# TYPE PATTERN USAGE n rather than by its place; then the same file damaged.
#
# Sources for tests/data/users/cucm14-e164.csv:
# - the column set and order (83 columns, two DEVICE NAME and two PRIMARY EXTENSION
#   groups, each PRIMARY EXTENSION n followed by TYPE PATTERN USAGE n) are those of the
#   CUCM 14.0 BAT export ucmdata_export_61_74.tar that Cisco's migration engineers
#   publish as test data: "UcmBatCsvTarAndCdrPreProcessingScript",
#   https://github.com/mirationInsightPreprocessing/UcmBatCsvTarAndCdrPreProcessingScript
#   (testdata/csvftar/set2/ucmdata_export_61_74.tar); CRLF, NULL for absent values, t/f;
# - an E.164 directory number is stored as a pattern whose '+' is escaped with a
#   backslash ("\+14922010003", as in that export's PRIMARY EXTENSION): "E.164 and
#   International Call Routing", https://www.networkworld.com/article/2233104/e-164-and-international-call-routing.html
#   ("the back slash character (\) is used in many elements in CUCM to override the
#   default regular expression behavior");
# - TYPE PATTERN USAGE n carries the line's use for the user as endusernumplanmap
#   numbers it (tkdnusage 1 = primary extension, 2 = IPCC extension; the value may
#   also come as a name). Cisco does not document the BAT column's values; the number
#   is how CUCM's own tables (and every AXL SQL sample that reads them) tell the two
#   apart, and the names are accepted as well.
# The people, numbers and GUIDs are invented.
. "$(dirname "$0")/lib.sh"

EXPORT=$DATA/users/cucm14-e164.csv

expect_success 'E.164 lines come out as dialled; the primary line is the one marked Primary' '
	cp "$EXPORT" enduser.csv &&
	j2w-users --bat enduser.csv >out 2>err &&
	cmp_output "$DATA/users/cucm14-e164.jsonl" out &&
	echo "j2w-users: 4 users, 0 rows skipped" >expected.err &&
	cmp_output expected.err err &&
	must_not_contain out "\\+" &&
	must_contain out "\"userid\":\"iroth\",\"first_name\":\"Ines\",\"last_name\":\"Roth\",\"display_name\":\"Ines Roth\",\"mailid\":\"iroth@example.com\",\"directory_uri\":\"iroth@example.com\",\"telephone_number\":\"+14922010004\",\"primary_extension\":\"+14922010004\"" &&
	must_contain out "\"userid\":\"lvogel\",\"first_name\":\"Lena\",\"last_name\":\"Vogel\",\"display_name\":\"Lena Vogel\",\"mailid\":\"lvogel@example.com\",\"directory_uri\":\"lvogel@example.com\",\"telephone_number\":\"+14922010006\",\"home_cluster\""
'

expect_success 'the table form keeps the + of E.164 numbers (no apostrophe, no backslash)' '
	j2w-users --bat "$EXPORT" -f csv >out.csv 2>/dev/null &&
	cut -d, -f1,7,8 out.csv >cols &&
	printf "userid,telephone_number,primary_extension\npmeyer,+14922010003,+14922010003\niroth,+14922010004,+14922010004\nkweber,,\nlvogel,+14922010006,\n" >expected &&
	cmp_output expected cols
'

expect_success 'a cut-off export: the complete users, the broken last row reported by file:line' '
	size=$(wc -c <"$EXPORT") &&
	head -c $((size - 300)) "$EXPORT" >cut.csv &&
	expect_code 1 j2w-users --bat cut.csv >out 2>err &&
	test "$(wc -l <out)" = 3 &&
	must_not_contain out "lvogel" &&
	cat >expected.err <<-\EOF &&
	j2w-users: cut.csv:5: row has 35 fields but the header has 83: row skipped
	j2w-users: 3 users, 1 row skipped
	EOF
	cmp_output expected.err err
'

expect_success 'cut off inside a quoted field: exit 3 and nothing on stdout or in -o FILE' '
	head -n 2 "$EXPORT" >open.csv &&
	printf "%s\r\n" "NULL,Kai,NULL,\"Weber, K" >>open.csv &&
	expect_code 3 j2w-users --bat open.csv >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-users: open.csv:3:" &&
	expect_code 3 j2w-users --bat open.csv -o users.jsonl 2>/dev/null &&
	test ! -e users.jsonl
'

expect_success 'a Latin-1 export: the row is reported with the way out; --encoding latin1 reads it' '
	python3 -c "
import sys
rows = open(sys.argv[1], \"rb\").read().split(b\"\\r\\n\")
f = rows[3].split(b\",\"); f[3] = b\"M\\xfcller\"; rows[3] = b\",\".join(f)
open(\"latin1.csv\", \"wb\").write(b\"\\r\\n\".join(rows))" "$EXPORT" &&
	expect_code 1 j2w-users --bat latin1.csv >out 2>err &&
	must_contain err "j2w-users: latin1.csv:4: invalid UTF-8 in column '\''LAST NAME'\'' (if the export is Latin-1, use --encoding latin1): row skipped" &&
	test "$(wc -l <out)" = 3 &&
	j2w-users --bat latin1.csv --encoding latin1 >out 2>/dev/null &&
	must_contain out "\"userid\":\"kweber\",\"first_name\":\"Kai\",\"last_name\":\"Müller\""
'

expect_success 'UTF-16 and a field over the size limit are bad input (exit 3), nothing on stdout' '
	iconv -f UTF-8 -t UTF-16 "$EXPORT" >u16.csv &&
	expect_code 3 j2w-users --bat u16.csv >out 2>err &&
	must_be_empty out &&
	must_contain err "u16.csv:1: NUL byte in a field (is the file UTF-16?)" &&
	python3 -c "
import sys
rows = open(sys.argv[1], \"rb\").read().split(b\"\\r\\n\")
f = rows[2].split(b\",\"); f[6] = b\"x\" * (5 << 20); rows[2] = b\",\".join(f)
open(\"huge.csv\", \"wb\").write(b\"\\r\\n\".join(rows))" "$EXPORT" &&
	expect_code 3 j2w-users --bat huge.csv >out 2>err &&
	must_be_empty out &&
	must_contain err "j2w-users: huge.csv:3: field longer than 4194304 bytes"
'

finish
