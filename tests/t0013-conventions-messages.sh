#!/bin/sh
# What every command says on stderr: control characters from input escaped,
# per-row notices silenced by --quiet and counted, one plural rule, hints for a
# skipped step.
. "$(dirname "$0")/lib.sh"

expect_success 'an escape sequence in an input value reaches stderr escaped' '
	printf "{\"email\":\"a@example.com\",\"calling_behavior\":\"\\\\u001b[2Jbad\\\\u009b\"}\n" >esc.jsonl &&
	expect_code 1 j2w-csv calling-behavior esc.jsonl >out 2>err &&
	must_contain err "unknown calling_behavior '\''\\x1b[2Jbad\\u009b'\''" &&
	! grep -q "$(printf "\033")" err &&
	expect_code 2 j2w-csv "$(printf "x\033[31mowned\007")" 2>err &&
	must_contain err "unknown file kind '\''x\x1b[31mowned\x07'\''" &&
	! grep -q "$(printf "\033")" err
'

finish
