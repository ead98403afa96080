#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server: initdb into a temporary directory, the
# server listening on 127.0.0.1 only, on a free port, with password authentication. The command
# sees WEFT_TEST_POSTGRES_URL (a superuser's url) and WEFT_TEST_POSTGRES_CTL (a script that
# stops, starts or restarts that server: the chaos and reconnect tests use it). The server is
# stopped and its directory removed when the command ends, whatever its exit status, and on
# Ctrl-C. Exits with the command's status.
# Usage: scripts/with_postgres.sh COMMAND [ARGS...]
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "with_postgres: no PostgreSQL server binaries (install postgresql: scripts/setup.sh)" >&2
  exit 1
fi

dir="$(mktemp -d /tmp/weft-pg.XXXXXX)"
chmod 0755 "$dir"
# initdb and the server refuse to run as root: as root, they run as the postgres user.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi
password="weft-test-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$password" > "$dir/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pwfile"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

cat > "$dir/ctl" <<CTL
#!/usr/bin/env bash
# Controls the test server: ctl stop | start | restart (waits until it accepts connections).
set -euo pipefail
case "\$1" in
  stop) ${as_owner[*]} "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
  kill) ${as_owner[*]} "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null ;;
  start) ${as_owner[*]} "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \\
           -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir" start >/dev/null ;;
  restart) "\$0" stop; "\$0" start ;;
  *) echo "usage: \$0 stop|kill|start|restart" >&2; exit 2 ;;
esac
CTL
chmod 0755 "$dir/ctl"

cleanup() {
  "${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${as_owner[@]}" "$PG_BIN/initdb" -D "$dir/data" -U weft --pwfile="$dir/pwfile" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
# Throwaway data: durability off for speed; room for many test processes' pools.
cat >> "$dir/data/postgresql.conf" <<CONF
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 64MB
CONF
if ! "$dir/ctl" start; then
  cat "$dir/server.log" >&2 || true
  exit 1
fi

export WEFT_TEST_POSTGRES_URL="postgresql://weft:${password}@127.0.0.1:${port}/postgres"
export WEFT_TEST_POSTGRES_CTL="$dir/ctl"
status=0
"$@" || status=$?
exit "$status"
