# A throw-away PostgreSQL server on loopback for tests, the demo and benchmarks.
# Source it after tests/lib.sh, or on its own from scripts and the demo (it then
# keeps its logs in a temporary directory of its own):
#
#   . "$TOP/tests/pg.sh"
#   pg_available || { skip 'PostgreSQL tests' "$PG_MISSING"; finish; exit; }
#   pg_start || exit 4          # sets PG_PORT, PG_CONNINFO (dbname=chat), PG_DIR
#
# The server listens on 127.0.0.1 and on 127.0.0.2, an address that j2w does not
# treat as this machine (for tests of the TLS-by-default rule); it has no TLS.
#   pg_psql -c 'SELECT 1'       # psql as the superuser j2w on the test database
#
# PostgreSQL refuses to run as root: when the tests run as root the server runs
# as an unprivileged user (J2W_PG_USER, default nobody) through setpriv, which
# execs postgres itself, so the PID recorded is the server's and it is stopped
# by that PID. The cluster lives in a private temporary directory (owned by that
# user) that is removed when the script exits; fsync is off (test data only).

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

# outside tests/lib.sh (scripts, the demo): a scratch directory for logs and say()
if [ -z "${TRASH:-}" ]; then
	TRASH=$(mktemp -d "${TMPDIR:-/tmp}/j2w-pg-logs.XXXXXX") || exit 4
	PG_OWN_TRASH=$TRASH
fi
[ -f "$TRASH/.pids" ] || : >"$TRASH/.pids"
command -v say >/dev/null 2>&1 || say() { printf '%s\n' "$*"; }

# pg_available: whether initdb and postgres are installed (else PG_MISSING says why)
pg_available() {
	if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/postgres" ]; then
		PG_MISSING="postgres/initdb not installed (Debian package postgresql)"
		return 1
	fi
	if ! command -v psql >/dev/null 2>&1 && [ ! -x "$PG_BIN/psql" ]; then
		PG_MISSING="psql not installed (Debian package postgresql-client)"
		return 1
	fi
	return 0
}

# pg_as_owner COMMAND...: runs COMMAND as the user the cluster belongs to
pg_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid="$PG_USER" --regid="$PG_GROUP" --clear-groups --reset-env -- "$@"
	else
		"$@"
	fi
}

pg_cleanup() {
	if [ -n "${PG_PID:-}" ]; then
		kill -INT "$PG_PID" 2>/dev/null
		n=0
		while kill -0 "$PG_PID" 2>/dev/null && [ $n -lt 50 ]; do
			sleep 0.1; n=$((n + 1))
		done
		kill -9 "$PG_PID" 2>/dev/null
		PG_PID=
	fi
	[ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ] && rm -rf "$PG_DIR"
	PG_DIR=
	[ -n "${PG_OWN_TRASH:-}" ] && rm -rf "$PG_OWN_TRASH"
	PG_OWN_TRASH=
}

# pg_start: initdb, start on a free loopback port, create database "chat"
pg_start() {
	PG_USER=${J2W_PG_USER:-nobody}
	PG_GROUP=$(id -gn "$PG_USER" 2>/dev/null || echo nogroup)
	# as root the cluster belongs to another user, who must reach it: /tmp, not a private TMPDIR
	if [ "$(id -u)" -eq 0 ]; then
		PG_DIR=$(mktemp -d /tmp/j2w-pg.XXXXXX) || return 1
	else
		PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/j2w-pg.XXXXXX") || return 1
	fi
	if [ "$(id -u)" -eq 0 ]; then
		chown "$PG_USER:$PG_GROUP" "$PG_DIR" || return 1
	fi
	chmod 700 "$PG_DIR"
	pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U j2w --auth=trust -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$TRASH/pg-initdb.log" 2>&1 || {
		say "initdb failed:"; tail -n 20 "$TRASH/pg-initdb.log"; return 1; }
	PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid="$PG_USER" --regid="$PG_GROUP" --clear-groups --reset-env -- \
			"$PG_BIN/postgres" -D "$PG_DIR/data" -k "$PG_DIR" -p "$PG_PORT" \
			-c listen_addresses=127.0.0.1,127.0.0.2 -c fsync=off -c synchronous_commit=off \
			-c full_page_writes=off -c logging_collector=off \
			>"$TRASH/pg.log" 2>&1 &
	else
		"$PG_BIN/postgres" -D "$PG_DIR/data" -k "$PG_DIR" -p "$PG_PORT" \
			-c listen_addresses=127.0.0.1,127.0.0.2 -c fsync=off -c synchronous_commit=off \
			-c full_page_writes=off -c logging_collector=off \
			>"$TRASH/pg.log" 2>&1 &
	fi
	PG_PID=$!
	echo "$PG_PID" >>"$TRASH/.pids"
	n=0
	until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; do
		n=$((n + 1))
		if [ $n -gt 150 ] || ! kill -0 "$PG_PID" 2>/dev/null; then
			say "postgres did not start:"; tail -n 20 "$TRASH/pg.log"; return 1
		fi
		sleep 0.1
	done
	PG_CONNINFO="host=127.0.0.1 port=$PG_PORT user=j2w dbname=chat"
	export PG_PORT PG_CONNINFO PG_DIR
	"$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U j2w -d postgres -v ON_ERROR_STOP=1 \
		-c 'CREATE DATABASE chat' >/dev/null || return 1
}

# pg_psql ARGS...: psql on the test database as the superuser j2w
pg_psql() {
	"$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U j2w -d chat -v ON_ERROR_STOP=1 "$@"
}

# pg_load FILE: runs an SQL file on the test database
pg_load() {
	pg_psql -f "$1" >/dev/null
}

# stop the server and remove its files however the script ends (then lib.sh's cleanup)
if command -v j2w_cleanup >/dev/null 2>&1; then
	trap 'pg_cleanup; j2w_cleanup' EXIT
else
	trap 'pg_cleanup' EXIT
fi
