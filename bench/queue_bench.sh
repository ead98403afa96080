#!/usr/bin/env bash
# bench/queue_bench.sh — how fast worker processes drain the run queue: RUNS runs of a workflow
# of STEPS no-op steps (core.transform) are queued through an API process (serve --no-worker)
# first, then 1, 2 and 4 `weft worker` processes are started on PostgreSQL (and one on SQLite,
# whose file only one machine can share), and the time from their start until the queue is
# empty is measured. Prints completed runs/s and wall-clock µs per step for each. Starts its own
# PostgreSQL (scripts/with_postgres.sh); everything listens on 127.0.0.1 and is stopped at the end.
# Usage: bench/queue_bench.sh WEFT_BINARY [RUNS=2000] [STEPS=1] [CONCURRENCY=8]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${WEFT_QUEUE_BENCH_SERVER:-}" ]; then
  export WEFT_QUEUE_BENCH_SERVER=1
  exec "$ROOT/scripts/with_postgres.sh" "$0" "$@"
fi

WEFT=$(realpath "${1:?usage: queue_bench.sh WEFT_BINARY [RUNS] [STEPS] [CONCURRENCY]}")
RUNS=${2:-2000}
STEPS=${3:-1}
CONCURRENCY=${4:-8}
PG=${WEFT_TEST_POSTGRES_URL:?}

work=$(mktemp -d /tmp/weft-queue-bench.XXXXXX)
PIDFILE="$work/pids"
: > "$PIDFILE"
# shellcheck source=peers/lib.sh
source "$ROOT/bench/peers/lib.sh"
trap 'stop_all; rm -rf "$work"' EXIT
export WEFT_MASTER_KEY="$WEFT_KEY" WEFT_SETUP_TOKEN="$WEFT_TOKEN" WEFT_LOG_LEVEL=warn

steps='['
for i in $(seq 1 "$STEPS"); do
  [ "$i" -gt 1 ] && steps="$steps,"
  steps="$steps{\"id\":\"s$i\",\"action\":\"core.transform\",\"inputs\":{\"value\":$i}}"
done
steps="$steps]"

# Returns once no job is left (every run ended). PostgreSQL: one psql session re-asks every
# 10 ms (\watch), so that the measurement starts no server process of its own per look.
wait_drained() {
  case "$1" in
    postgresql://*)
      printf 'SELECT count(*) FROM jobs \\watch 0.01\n' | psql "$1" -XAtq | while read -r n; do
        [ "$n" = 0 ] && break
      done || true ;;  # psql ends on the closed pipe
    *) while [ "$(sqlite3 "$1" "SELECT count(*) FROM jobs")" != 0 ]; do sleep 0.01; done ;;
  esac
}

# One measurement: bench_one LABEL WORKERS [postgres]. Prints a table row.
bench_one() {
  local label=$1 workers=$2 backend=${3:-sqlite} data="$work/$1" url db port base token wf began ended n
  mkdir -p "$data"
  if [ "$backend" = postgres ]; then
    local schema="bench_${label//-/_}"
    psql "$PG" -XAtqc "CREATE SCHEMA $schema" >/dev/null
    url="$PG?options=-csearch_path%3D$schema"
    db=$url
  else
    url="sqlite://$data/api/weft.db"
    db="$data/api/weft.db"
  fi
  port=$(free_port)
  base="http://127.0.0.1:$port"
  WEFT_DATABASE_URL=$url "$WEFT" --data-dir "$data/api" serve --no-worker --listen "127.0.0.1:$port" \
    >"$data/api.log" 2>&1 &
  echo $! >> "$PIDFILE"
  for _ in $(seq 200); do curl -sf "$base/api/health" >/dev/null 2>&1 && break; sleep 0.05; done
  token=$(weft_owner_token "$base" "$data/cookies")
  wf=$(curl -sf -H "Authorization: Bearer $token" -X POST "$base/api/workflows" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"steps\":$steps}" | jq -r .id)
  python3 "$ROOT/bench/queue_runs.py" "$base" "$token" "$wf" "$RUNS" "$data/ids"
  began=$(date +%s.%N)
  for n in $(seq 1 "$workers"); do
    WEFT_DATABASE_URL=$url "$WEFT" --data-dir "$data/w$n" worker --concurrency "$CONCURRENCY" >"$data/w$n.log" 2>&1 &
    echo $! >> "$PIDFILE"
  done
  wait_drained "$db"
  ended=$(date +%s.%N)
  awk -v label="$label" -v w="$workers" -v runs="$RUNS" -v steps="$STEPS" -v s="$began" -v e="$ended" 'BEGIN {
    t = e - s; printf "%-16s %7d %9.0f %10.0f %12.1f\n", label, w, runs / t, runs / t / w, t * 1e6 / (runs * steps) }'
  stop_all
  : > "$PIDFILE"
}

echo "queue drain: $RUNS runs of $STEPS no-op step(s), worker --concurrency $CONCURRENCY, $(nproc) cores"
printf "%-16s %7s %9s %10s %12s\n" backend workers "runs/s" "per worker" "us per step"
bench_one sqlite 1
for w in 1 2 4; do bench_one "postgres-$w" "$w" postgres; done
echo "(Windmill publishes about 1,060 no-op jobs/s per worker on PostgreSQL.)"
