#!/bin/sh
# The fix texts compiled into j2w-report (lib/report/report_fixes.inc) are the ones
# docs/checks/*.md gives: regenerate with scripts/gen-report-fixes when a page changes.
. "$(dirname "$0")/lib.sh"

expect_success 'lib/report/report_fixes.inc is what scripts/gen-report-fixes makes of docs/checks' '
	"$TOP/scripts/gen-report-fixes" "$TOP"/docs/checks/*.md >fixes.inc &&
	cmp_output "$TOP/lib/report/report_fixes.inc" fixes.inc
'

expect_success 'a lint finding without a fix gets the documented one' '
	printf "%s\n" "{\"tool\":\"j2w-jabber-config\",\"check\":\"JC-PASSWORD\",\"severity\":\"FAIL\",\"subject\":\"a.xml:3\"}" |
		expect_code 1 j2w-report -q -f csv >out.csv &&
	must_contain out.csv "jabber-config,JC-PASSWORD,FAIL,a.xml:3,,,\"Remove the password from the file; let Jabber reach the directory"
'

finish
