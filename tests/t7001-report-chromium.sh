#!/bin/sh
# j2w-report as a person sees it: the sample pipeline's report rendered by
# headless Chromium (no network, no JavaScript needed) to a PNG and an A4 PDF;
# the PDF's text holds the verdict and the chart titles. The PNG and PDF are
# kept in tests/artefacts/ (not in git) for a reviewer to look at.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-dns.sh"
. "$(dirname "$0")/lib-report.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || echo)
if [ -z "$CHROMIUM" ]; then
	skip 'j2w-report in headless Chromium' 'chromium is not installed (scripts/install-deps)'
	finish; exit
fi
if ! have_cmd pdftotext; then
	skip 'j2w-report in headless Chromium' 'pdftotext is not installed (apt-get install poppler-utils)'
	finish; exit
fi
if ! have_cmd dnsmasq; then
	skip 'j2w-report in headless Chromium' 'dnsmasq is not installed (apt-get install dnsmasq-base)'
	finish; exit
fi
start_dns internal "$SAMPLES/dns/internal.conf" || exit 4
start_dns external "$SAMPLES/dns/external.conf" || exit 4
ARTEFACTS=$TOP/tests/artefacts
export internal_NS external_NS CHROMIUM ARTEFACTS

expect_success 'Chromium renders the report to PNG and A4 PDF; the PDF reads the verdict and charts' '
	report_inputs &&
	expect_code 1 j2w-report -q --org "Example Corp" -o report.html \
		rec.jsonl lint.jsonl dns.jsonl hostile.jsonl wave1.jsonl wave2.db wave3.db chat.db &&
	chrome --screenshot="$PWD/report.png" --window-size=1200,2000 "file://$PWD/report.html" &&
	test -s report.png &&
	chrome --print-to-pdf="$PWD/report.pdf" --no-pdf-header-footer "file://$PWD/report.html" &&
	test -s report.pdf &&
	pdftotext -layout report.pdf report.txt &&
	must_contain report.txt "Verdict: NOT READY" &&
	must_contain report.txt "35 users: 5 blocked, 5 review, 25 ok" &&
	must_contain report.txt "Severity per area" &&
	must_contain report.txt "DNS matrix: domains × checks × views" &&
	must_contain report.txt "Identity status" &&
	must_contain report.txt "Apply progress by wave" &&
	must_contain report.txt "Persistent chat archive" &&
	must_contain report.txt "<script>alert(1)</script> Patel" &&
	pdfinfo report.pdf >info 2>/dev/null && must_contain info "(A4)"; rc=$?
	mkdir -p "$ARTEFACTS" && cp -f report.png report.pdf report.html "$ARTEFACTS/" 2>/dev/null
	(exit $rc)
'

finish
