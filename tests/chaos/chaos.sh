#!/usr/bin/env bash
# tests/chaos/chaos.sh — Weft on PostgreSQL under fire: one API process (serve --no-worker) and
# three worker processes share one database; RUNS runs of a 5-step workflow are queued while a
# random worker is killed with SIGKILL (and started again) every KILL_EVERY seconds, and the
# PostgreSQL server is restarted once in the middle. At the end every queued run must have
# succeeded, none may be missing or stuck (no job left), each must have exactly its 5 step
# records, and the counts are printed. Starts its own PostgreSQL (scripts/with_postgres.sh), so
# restarting it disturbs no other test; every process it starts listens on 127.0.0.1 and is
# stopped when it ends, whatever happens.
# Usage: tests/chaos/chaos.sh WEFT_BINARY [RUNS=2000] [KILL_EVERY=3]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -z "${WEFT_CHAOS_SERVER:-}" ]; then
  export WEFT_CHAOS_SERVER=1
  exec "$ROOT/scripts/with_postgres.sh" "$0" "$@"
fi

WEFT=$(realpath "${1:?usage: chaos.sh WEFT_BINARY [RUNS] [KILL_EVERY]}")
RUNS=${2:-2000}
KILL_EVERY=${3:-3}
WORKERS=3
STEPS=5
STEP_MS=${STEP_MS:-100}  # each step waits this long: runs are in flight when workers die
DB_URL=${WEFT_TEST_POSTGRES_URL:?}
PG_CTL=${WEFT_TEST_POSTGRES_CTL:?}

work=$(mktemp -d /tmp/weft-chaos.XXXXXX)
PIDFILE="$work/pids"
: > "$PIDFILE"
# shellcheck source=../../bench/peers/lib.sh
source "$ROOT/bench/peers/lib.sh"
declare -a worker_pids
cleanup() {
  local status=$?
  stop_all
  for pid in "${worker_pids[@]:-}"; do [ -n "$pid" ] && stop_pid "$pid"; done
  if [ "$status" -ne 0 ]; then
    echo "chaos: FAILED; the last lines of each log:" >&2
    for log in "$work"/*.log; do echo "== $log" >&2; tail -n 15 "$log" >&2; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export WEFT_DATABASE_URL="$DB_URL" WEFT_MASTER_KEY="$WEFT_KEY" WEFT_SETUP_TOKEN="$WEFT_TOKEN"
# A short lease, so that a killed worker's runs are taken over within seconds, not 30 s.
export WEFT_LEASE_MS=2000 WEFT_POLL_MS=200

psql_q() { psql "$DB_URL" -XAtqc "$1"; }

port=$(free_port)
base="http://127.0.0.1:$port"
"$WEFT" --data-dir "$work/api" serve --no-worker --listen "127.0.0.1:$port" >"$work/api.log" 2>&1 &
echo $! >> "$PIDFILE"
for _ in $(seq 200); do curl -sf "$base/api/health" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "$base/api/health" >/dev/null || { echo "chaos: the API did not start" >&2; exit 1; }

token=$(weft_owner_token "$base" "$work/cookies")
auth="Authorization: Bearer $token"

steps='['
for i in $(seq 1 $STEPS); do
  [ "$i" -gt 1 ] && steps="$steps,"
  steps="$steps{\"id\":\"s$i\",\"action\":\"core.delay\",\"inputs\":{\"ms\":$STEP_MS}}"
done
steps="$steps]"
wf=$(curl -sf -H "$auth" -X POST "$base/api/workflows" -H 'Content-Type: application/json' \
  -d "{\"name\":\"chaos\",\"steps\":$steps}" | jq -r .id)
[ -n "$wf" ] && [ "$wf" != null ] || { echo "chaos: no workflow" >&2; exit 1; }

start_worker() {
  local n=$1
  "$WEFT" --data-dir "$work/w$n" worker --concurrency 4 >>"$work/worker$n.log" 2>&1 &
  worker_pids[$n]=$!
}
for n in $(seq 1 $WORKERS); do start_worker "$n"; done

# Queue the runs from 8 keep-alive clients (faster than the workers drain them, so a backlog
# forms). A 503 (the database restarting) or a dropped connection is retried; every run id the
# API returned is kept: those are the runs that must all succeed.
python3 "$ROOT/bench/queue_runs.py" "$base" "$token" "$wf" "$RUNS" "$work/ids" &
queue_pid=$!
echo "$queue_pid" >> "$PIDFILE"

kills=0
restarted=0
began=$(date +%s)
deadline=$(( began + 120 + RUNS / 10 ))
while true; do
  sleep "$KILL_EVERY"
  victim=$(( RANDOM % WORKERS + 1 ))
  kill -9 "${worker_pids[$victim]}" 2>/dev/null || true
  wait "${worker_pids[$victim]}" 2>/dev/null || true
  kills=$((kills + 1))
  start_worker "$victim"
  stored=$(psql_q "SELECT count(*) FROM runs" 2>/dev/null || echo 0)
  done_runs=$(psql_q "SELECT count(*) FROM runs WHERE status IN ('succeeded','failed','cancelled')" 2>/dev/null || echo 0)
  echo "chaos: $(( $(date +%s) - began )) s: killed worker $victim ($kills kills), $stored queued, $done_runs ended"
  if [ "$restarted" -eq 0 ] && [ "$done_runs" -ge $(( RUNS / 3 )) ]; then
    echo "chaos: restarting PostgreSQL"
    "$PG_CTL" restart
    restarted=1
  fi
  if ! alive "$queue_pid" && [ "$restarted" -eq 1 ]; then
    pending=$(psql_q "SELECT count(*) FROM jobs" 2>/dev/null || echo 1)
    [ "$pending" = 0 ] && break
  fi
  if [ "$(date +%s)" -gt "$deadline" ]; then
    echo "chaos: runs still pending at the deadline" >&2
    break
  fi
done

wait "$queue_pid" 2>/dev/null || true
sort -o "$work/ids" "$work/ids" 2>/dev/null || : > "$work/ids"
queued=$(wc -l < "$work/ids")
psql_q "SELECT id FROM runs WHERE status = 'succeeded' ORDER BY id" | sort > "$work/succeeded"
missing=$(comm -23 "$work/ids" "$work/succeeded" | wc -l)
read -r total succeeded failed other <<<"$(psql_q "SELECT count(*), count(*) FILTER (WHERE status='succeeded'), \
  count(*) FILTER (WHERE status='failed'), count(*) FILTER (WHERE status NOT IN ('succeeded','failed')) FROM runs" | tr '|' ' ')"
records=$(psql_q "SELECT count(*) FROM step_runs")
wrong_records=$(psql_q "SELECT count(*) FROM (SELECT run_id FROM step_runs GROUP BY run_id HAVING count(*) <> $STEPS \
  OR count(DISTINCT step_id) <> $STEPS OR bool_or(status <> 'succeeded')) x")
stuck=$(psql_q "SELECT count(*) FROM jobs")
echo "chaos: $queued runs queued, $total stored: $succeeded succeeded, $failed failed, $other other;" \
  "$records step records, $wrong_records runs without exactly $STEPS succeeded records;" \
  "$stuck jobs left; $kills worker kills, $restarted PostgreSQL restart"
if [ "$failed" -gt 0 ]; then
  psql_q "SELECT id, error FROM runs WHERE status = 'failed' LIMIT 5" >&2
fi
[ "$queued" -ge "$RUNS" ] && [ "$missing" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$other" -eq 0 ] &&
  [ "$wrong_records" -eq 0 ] && [ "$stuck" -eq 0 ] && [ "$total" -eq "$queued" ] || {
  echo "chaos: FAIL ($missing queued runs did not succeed)" >&2
  exit 1
}
echo "chaos: PASS"
