#!/bin/sh
# j2w-report as printed: addresses, host names and times stay whole in table
# cells (the PDF Chromium prints holds each on one line), a word too long for
# any column may still break, fixes that differ are rows of their own, and the
# severity chart labels INFO and OK counts as well as FAIL, ERROR and WARN.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-report.sh"

# cells_input: in.jsonl (DNS findings with long names, reconcile users with long
# addresses, an OK result) and chat.db (an archive with times)
cells_input() {
	python3 -I -S - <<-\PY &&
	import json
	def f(tool, check, sev, subject, msg, view=None, fix=None):
	    d = {"tool": tool, "check": check, "severity": sev, "subject": subject, "message": msg}
	    if view: d["view"] = view
	    if fix: d["fix"] = fix
	    return d
	out = []
	for dom in ["emea.example.com", "apac-north.example.com", "bad-domain.example.com"]:
	    out.append(f("j2w-dns-check", "EDGE-SRV", "FAIL", "_collab-edge._tls." + dom,
	        "no _collab-edge._tls.%s SRV record on the external resolver (NXDOMAIN): clients "
	        "outside the network cannot find Expressway-E" % dom, "external",
	        "publish '_collab-edge._tls.%s. SRV 10 10 8443 <expressway-e-fqdn>.' in the "
	        "public zone, one per Expressway-E node" % dom))
	out.append(f("j2w-dns-check", "UDS-LEAK", "OK", "_cisco-uds._tcp.example.com",
	    "not visible outside", "external"))
	out.append(f("j2w-jabber-config", "JC-VALUE", "WARN", "x" * 300 + ".xml:1", "long name"))
	for uid, name, mail in [
	        ("graham.knight-smythe", "Graham Knight-Smythe", "graham.knight-smythe@emea.example.com"),
	        ("aoife.oconnor", "Aoife O'Connor", "aoife.oconnor@apac-north.example.com"),
	        ("francois.dubois", "François Dubois", "francois.dubois@bad-domain.example.com")]:
	    out.append({"userid": uid, "display_name": name, "webex_email": mail, "status": "blocked",
	        "findings": [f("j2w-reconcile", "DOMAIN-UNVERIFIED", "FAIL", uid,
	            "the domain of '%s' is not among the verified Webex domains" % mail,
	            fix="verify the domain in Control Hub, or correct the address")]})
	with open("in.jsonl", "w", encoding="utf-8") as fp:
	    for o in out:
	        fp.write(json.dumps(o, ensure_ascii=False) + "\n")
	PY
	python3 -I -S -c 'import sqlite3, sys
c = sqlite3.connect("chat.db"); c.executescript(open(sys.argv[1]).read()); c.close()' \
		"$DATA/report/archive.sql"
}

expect_success 'HTML: addresses, host names and times are kept whole; a word too long may break' '
	cells_input &&
	expect_code 1 j2w-report -q -o r.html in.jsonl chat.db &&
	must_contain r.html "<td>Graham <span class=\"nw\">Knight-Smythe</span> <span class=\"nw\">&lt;graham.knight-smythe@emea.example.com&gt;</span></td>" &&
	must_contain r.html "<tr><td><span class=\"nw\">_collab-edge._tls.apac-north.example.com</span></td><td>external</td>" &&
	must_contain r.html "<td><span class=\"nw\">2024-03-01T08:52:11.855Z</span></td>" &&
	must_contain r.html "<td><span class=\"brk\">xxxxxxxx" &&
	must_contain r.html ".nw{white-space:nowrap}.brk{overflow-wrap:anywhere}" &&
	must_not_contain r.html "td{overflow-wrap:anywhere}" &&
	must_contain r.html "<tr class=\"rowfix\"><td colspan=\"4\"><b>Fix:</b> publish" &&
	must_not_contain r.html "<th>Fix</th>"
'

expect_success 'HTML: the severity chart labels every severity' '
	cells_input &&
	expect_code 1 j2w-report -q -o r.html in.jsonl chat.db &&
	must_contain r.html ">3 fail, 0 error, 0 warn, 0 info, 1 ok</text>" &&
	must_contain r.html ">0 fail, 0 error, 0 warn, 0 info, 1 ok</text>" &&
	must_contain r.html ">0 fail, 0 error, 1 warn, 0 info, 0 ok</text>"
'

CHROMIUM=$(command -v chromium || command -v chromium-browser || echo)
if [ -z "$CHROMIUM" ] || ! have_cmd pdftotext; then
	skip 'the printed report keeps words whole' 'chromium or pdftotext is not installed (scripts/install-deps)'
	finish; exit
fi
export CHROMIUM

expect_success 'printed to A4 by Chromium, every address, host name and time is on one line' '
	cells_input &&
	expect_code 1 j2w-report -q -o r.html in.jsonl chat.db &&
	chrome --print-to-pdf="$PWD/r.pdf" --no-pdf-header-footer "file://$PWD/r.html" &&
	pdftotext -layout r.pdf r.txt &&
	for w in "<graham.knight-smythe@emea.example.com>" "<aoife.oconnor@apac-north.example.com>" \
		"<francois.dubois@bad-domain.example.com>" "_collab-edge._tls.apac-north.example.com" \
		"_collab-edge._tls.bad-domain.example.com" "2024-03-01T08:52:11.855Z" \
		"2024-03-08T06:21:12.283Z" "2026-11-21T01:39:47.449Z" \
		"Fix: publish '"'"'_collab-edge._tls.apac-north.example.com. SRV 10 10 8443 <expressway-e-fqdn>.'"'"' in the public zone"; do
		must_contain r.txt "$w" || exit 1
	done &&
	test "$(grep -c " external " r.txt)" -ge 4 &&
	must_contain r.txt "3 fail, 0 error, 0 warn, 0 info, 1 ok"
'

finish
