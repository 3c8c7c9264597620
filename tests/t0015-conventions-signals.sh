#!/bin/sh
# SIGINT, SIGTERM and SIGHUP during -o FILE remove the temporary file; the final
# name keeps what it held.
. "$(dirname "$0")/lib.sh"

# interrupt SIGNAL COMMAND...: runs COMMAND (its input a FIFO that never gets a
# writer, so it waits with its output open) until out.tmp.* exists, sends SIGNAL,
# and checks that the command died of it and left no temporary file
interrupt() {
	sig=$1; shift
	rm -f fifo && mkfifo fifo || return 1
	echo "old content" >out
	# a background job of a script ignores SIGINT unless told otherwise
	env --default-signal=INT "$@" &
	pid=$!
	n=0
	while [ -z "$(ls out.tmp.* 2>/dev/null)" ]; do
		n=$((n + 1))
		[ $n -gt 100 ] && { say "no temporary file appeared"; kill -9 $pid; return 1; }
		sleep 0.05
	done
	kill -s "$sig" $pid
	wait $pid
	rc=$?
	if [ -n "$(ls out.tmp.* 2>/dev/null)" ]; then say "left behind: $(ls out.tmp.*)"; return 1; fi
	echo "old content" >want && cmp_output want out || return 1
	test "$rc" -gt 128 || { say "exit $rc, not death by $sig"; return 1; }
}

expect_success 'SIGTERM during j2w-users -o FILE leaves no temporary file' '
	interrupt TERM j2w-users --bat fifo -o out
'

expect_success 'SIGINT (Ctrl-C) during j2w-users -o FILE leaves no temporary file' '
	interrupt INT j2w-users --bat fifo -o out
'

expect_success 'SIGHUP during j2w-contacts -o FILE leaves no temporary file' '
	interrupt HUP j2w-contacts -o out fifo
'

expect_success 'a die() after the output was opened leaves no temporary file either' '
	echo "old content" >out &&
	printf "USER ID\n\"never closed\n" >bad.csv &&
	expect_code 3 j2w-users --bat bad.csv -o out 2>err &&
	test -z "$(ls out.tmp.* 2>/dev/null)" &&
	echo "old content" >want && cmp_output want out
'

finish
