# Helpers for the j2w-dns-check tests (t5xxx): a dnsmasq per DNS view, a resolver
# that never answers, openssl test certificates. Sourced after tests/lib.sh.

DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)

# free_ports N: N ports the kernel just handed out on 127.0.0.1 (TCP and UDP both
# free), one per line. Python starts slowly, so tests take their ports in one go.
free_ports() {
	python3 -I -S -c 'import socket, sys
held = []
while len(held) < int(sys.argv[1]):
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p))
    except OSError:
        continue
    held += [t, u]
    print(p)' "$1"
}

# free_port: the next port of a pool taken once per script (works in subshells)
free_port() {
	[ -s "$TRASH/.ports" ] || free_ports 40 >"$TRASH/.ports"
	i=$(( $(cat "$TRASH/.portidx" 2>/dev/null || echo 0) + 1 ))
	echo "$i" >"$TRASH/.portidx"
	sed -n "${i}p" "$TRASH/.ports"
}

# wait_listening PORT...: until something accepts TCP connections on each port
wait_listening() {
	python3 -I -S -c 'import socket, sys, time
for p in sys.argv[1:]:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", int(p)), 1).close(); break
        except OSError:
            time.sleep(0.05)
    else:
        sys.exit("nothing listens on port " + p)' "$@"
}

# start_dns NAME CONF: a dnsmasq for one view on a free port; sets NAME_NS to 127.0.0.1:PORT.
# It runs as the current user (no privilege drop: --user of ourselves) and writes no pid file.
start_dns() {
	name=$1 conf=$2 port=$(free_port)
	start_bg "$TRASH/$name.pid" "$DNSMASQ" --no-daemon --no-resolv --no-hosts \
		--port="$port" --listen-address=127.0.0.1 --bind-interfaces \
		--pid-file= --user="$(id -un)" --group="$(id -gn)" --conf-file="$conf" \
		2>"$TRASH/$name.log"
	n=0
	until grep -q 'cleared cache\|started' "$TRASH/$name.log" 2>/dev/null; do
		n=$((n + 1)); [ $n -gt 50 ] && { cat "$TRASH/$name.log"; return 1; }
		sleep 0.1
	done
	eval "${name}_NS=127.0.0.1:$port"
}

# start_mute NAME: a UDP socket that reads questions and never answers; sets NAME_NS.
start_mute() {
	name=$1
	rm -f "$TRASH/$name.port"
	start_bg "$TRASH/$name.pid" python3 -I -S -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    s.recvfrom(65535)' "$TRASH/$name.port"
	wait_for_file "$TRASH/$name.port" || return 1
	eval "${name}_NS=127.0.0.1:$(cat "$TRASH/$name.port")"
}

# select FILE CHECK...: the TSV lines (severity, check, view, subject) of those checks, sorted
select_checks() {
	file=$1; shift
	for c in "$@"; do
		awk -F '\t' -v c="$c" '$2 == c { print $1 "\t" $2 "\t" $3 "\t" $4 }' "$file"
	done
}

# start_garbage NAME: a DNS server whose every answer runs past its end; sets NAME_NS
start_garbage() {
	name=$1
	rm -f "$TRASH/$name.port"
	start_bg "$TRASH/$name.pid" python3 -I -S -c 'import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    q, a = s.recvfrom(65535)
    # the question back with QR set and one SRV record claiming 64 bytes it lacks
    s.sendto(q[:2] + b"\x81\x80" + q[4:6] + b"\x00\x01\x00\x00\x00\x00" + q[12:] +
             b"\xc0\x0c\x00\x21\x00\x01\x00\x00\x00\x3c\x00\x40\x00", a)' "$TRASH/$name.port"
	wait_for_file "$TRASH/$name.port" || return 1
	eval "${name}_NS=127.0.0.1:$(cat "$TRASH/$name.port")"
}
