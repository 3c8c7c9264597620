#!/bin/sh
# Each wave's progress says whom the wave left out. j2w-apply's journal holds
# only the users in the wave (not its rules, not whom they left out), so the
# report is given the wave's rules (--rules) and judges the reconcile output by
# them as j2w-apply did: blocked by reconcile, matched no rule, left out by an
# ignore rule. Without the rules it says what it knows: who is in no wave, and
# whom j2w-reconcile blocked. The wave's counts agree with j2w-apply's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/controlhub.sh"
. "$(dirname "$0")/lib-report.sh"

make_token "$TRASH/token" &&
start_ch_sim ch --org "$SAMPLES/controlhub/org.json" --token-file "$TRASH/token" || exit 4
RULES=$SAMPLES/waves/wave1.rules
export RULES

# Once: both clusters reconciled (rec.jsonl) and wave 1 applied from them
# (wave1.db), against one simulated org; wave1 copies them into a test's directory.
W=$TRASH/wave1
mkdir -p "$W" && (
	cd "$W" &&
	j2w-users -q --bat "$SAMPLES/cucm/cucm-a/export.tar" --bat "$SAMPLES/cucm/cucm-b/export.tar" \
		-o users.jsonl &&
	{ j2w-reconcile -q -s userid -d example.com -w example.com -o rec.jsonl users.jsonl; [ $? -le 1 ]; } &&
	j2w-apply --token-file "$TRASH/token" --rules "$RULES" --commit --journal wave1.db \
		rec.jsonl >results.jsonl 2>apply.err
) || exit 4
export W
wave1() {
	cp "$W/rec.jsonl" "$W/wave1.db" "$W/apply.err" .
}

expect_success 'with the rules: whom wave 1 left out and why, as j2w-apply counted them' '
	wave1 &&
	must_contain apply.err "j2w-apply: 43 users: 34 updated, 9 unchanged, 0 failed; 8 ignored by a rule; 10 blocked; 2 listed again" &&
	expect_code 1 j2w-report -q -o a.html --rules "$RULES" rec.jsonl wave1.db &&
	unwrap a.html >r.html &&
	must_contain r.html ">43 of 43 done, 0 failed</text>" &&
	must_contain r.html ">Left out: 9 blocked by j2w-reconcile, 8 by an ignore rule</text>" &&
	must_contain r.html "<tr><td>wave1</td><td>wave1.db</td><td class=\"n\">34</td><td class=\"n\">9</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">0</td><td>9 blocked by j2w-reconcile, 8 by an ignore rule</td></tr>" &&
	must_contain r.html "17 users of the reconcile output are in no wave" &&
	must_contain r.html "APPLY-LEFT-OUT — 17 findings, 17 users affected</h3>" &&
	expect_code 1 j2w-report -q -f md --rules "$RULES" rec.jsonl wave1.db >r.md &&
	must_contain r.md "| wave1 | 34 | 9 | 0 | 0 | 0 | 9 blocked by j2w-reconcile, 8 by an ignore rule |" &&
	expect_code 1 j2w-report -q -f csv --rules "$RULES" rec.jsonl wave1.db >r.csv &&
	test "$(grep -c "^apply,APPLY-LEFT-OUT,INFO," r.csv)" = 17 &&
	test "$(grep -c "^apply,APPLY-LEFT-OUT,INFO,j.smith@emea.example.com,,in no wave (wave1: blocked by j2w-reconcile)," r.csv)" = 1 &&
	must_contain r.csv "apply,APPLY-LEFT-OUT,INFO,nschulz@example.com,,in no wave (wave1: left out by an ignore rule),put this user in the wave meant for them"
'

expect_success 'people: the wave plus those it left out are everyone, each once' '
	wave1 &&
	expect_code 1 j2w-report -q -f md --rules "$RULES" rec.jsonl wave1.db >r.md &&
	must_contain r.md "60 users:" &&
	# 43 in the wave + 9 blocked + 8 ignored = 60; j2w-apply says 10 blocked: it counts
	# the records, and cucm-b also exports blocked jsmith
	test "$(grep -c "j2w-apply: rec.jsonl:[0-9]*: '"'"'j.smith@emea.example.com'"'"' is blocked" apply.err)" = 2
'

expect_success 'without the rules: who is in no wave, and whom j2w-reconcile blocked' '
	wave1 &&
	expect_code 1 j2w-report -q -f md rec.jsonl wave1.db >r.md &&
	must_contain r.md "| wave1 | 34 | 9 | 0 | 0 | 0 | not known: give the report this wave'"'"'s rules (--rules FILE) |" &&
	must_contain r.md "17 users of the reconcile output are in no wave (APPLY-LEFT-OUT lists them)." &&
	must_contain r.md "- j.smith@emea.example.com: in none of the waves given (wave1); j2w-reconcile blocked them" &&
	must_contain r.md "- nschulz@example.com: in none of the waves given (wave1) — affects"
'

expect_success 'a rule that matches too few: "matched no rule"; WAVE=FILE names the wave' '
	wave1 &&
	printf "%s\n" "department=Sales -> ucm profile=\"UC Profile US\"" >sales.rules &&
	j2w-apply --token-file "$TRASH/token" --rules sales.rules rec.jsonl >plan.jsonl 2>plan.err &&
	must_contain plan.err "records matched no rule" &&
	expect_code 1 j2w-report -q -f md --rules rec=sales.rules --rules "$RULES" rec.jsonl plan.jsonl wave1.db >r.md &&
	grep "^| rec | " r.md | grep -q "| 4 blocked by j2w-reconcile, 44 matched no rule |" &&
	must_contain r.md "in no wave (rec: matched no rule; wave1: left out by an ignore rule)"
'

expect_success 'rules of a wave that was not given: said, and not used' '
	wave1 &&
	expect_code 2 j2w-report -f md --rules other.rules=x rec.jsonl wave1.db >r.md 2>err &&
	must_contain err "j2w-report: cannot open '"'"'x'"'"'" &&
	cp "$RULES" wave9.rules &&
	expect_code 1 j2w-report -f md --rules wave9.rules rec.jsonl wave1.db >r.md 2>err &&
	must_contain err "j2w-report: --rules '"'"'wave9.rules'"'"': no journal or results of wave '"'"'wave9'"'"' were given, so its rules are not used" &&
	must_contain r.md "| wave9.rules | wave rules |"
'

finish
