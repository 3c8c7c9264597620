#!/bin/sh
# The AXL simulator's own self-test: it must follow the AXL 12.5 contract (paging,
# returnedTags, faults, schema validation against tests/specs/axl-12.5) before the
# j2w-users tests can trust it.
. "$(dirname "$0")/lib.sh"

if ! have_cmd python3; then
	skip 'AXL simulator self-test' 'python3 is not installed'
else
	expect_success 'tests/sim/axl_sim.py passes its self-test' '
		python3 "$SIM/test_axl_sim.py" >out 2>&1 || { tail -n 30 out; false; }
	'
fi
finish
