#!/usr/bin/env bash
# Webhook load benchmark: a release `weft serve` on 127.0.0.1 with a fresh data dir, a webhook
# workflow of N core.transform steps (every step persisted), driven by bench/http_load, or with
# LOAD=ab by `ab -k -n REQUESTS -c CONCURRENCY` (Debian's apache2-utils; the yardstick's tool).
# Usage: bench/hook_bench.sh [BUILD_DIR]   (default build-release; `make bench` builds it)
# Env: STEPS (3), CONCURRENCY (8), SECONDS_PER_RUN (10), WAIT (true: respond with the run's output)
set -euo pipefail
BUILD=${1:-build-release}
STEPS=${STEPS:-3}
CONCURRENCY=${CONCURRENCY:-8}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
WAIT=${WAIT:-true}
LOAD=${LOAD:-http_load}
REQUESTS=${REQUESTS:-2000}
DATA=$(mktemp -d /tmp/weft-hookbench-XXXXXX)
LOG="$DATA/serve.log"
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT

# The log exists before the server starts: the port poll below must not race its creation.
: > "$LOG"
WEFT_MASTER_KEY=$(printf 'f%.0s' {1..64}) WEFT_SETUP_TOKEN=bench-setup-token \
  "$BUILD/weft" --data-dir "$DATA/data" serve --listen 127.0.0.1:0 --workers 4 2>"$LOG" &
PID=$!
PORT=""
for _ in $(seq 400); do
  PORT=$(sed -nE 's/.*listening on http:\/\/127\.0\.0\.1:([0-9]+).*/\1/p' "$LOG" | head -1)
  [ -n "$PORT" ] && break; sleep 0.05
done
[ -n "$PORT" ] || { echo "server did not start"; cat "$LOG"; exit 1; }
BASE="http://127.0.0.1:$PORT"

curl -sf -X POST "$BASE/api/setup" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench password 123","orgName":"Bench","setupToken":"bench-setup-token"}' >/dev/null
curl -sf -c "$DATA/cookies" -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench password 123"}' >/dev/null

steps='[{"id":"s0","action":"core.transform","inputs":{"value":{"n":"{{trigger.body.n}}"}}}'
for i in $(seq 1 $((STEPS - 1))); do
  steps="$steps,{\"id\":\"s$i\",\"action\":\"core.transform\",\"inputs\":{\"value\":{\"n\":\"{{steps.s$((i - 1)).output.n}}\",\"i\":$i}}}"
done
steps="$steps]"
created=$(curl -sf -b "$DATA/cookies" -X POST "$BASE/api/workflows" -H 'Content-Type: application/json' \
  -H "Origin: $BASE" -d "{\"name\":\"hook bench\",\"trigger\":{\"type\":\"webhook\"},\"steps\":$steps}")
HOOK=$(printf '%s' "$created" | sed -E 's/.*"path":"([^"]+)".*/\1/')
QUERY=""; [ "$WAIT" = "true" ] && QUERY="?wait=true"

echo "webhook -> $STEPS steps -> $([ "$WAIT" = true ] && echo 'respond with output' || echo '202 queued'), c=$CONCURRENCY, ${SECONDS_PER_RUN}s"
if [ "$LOAD" = ab ]; then
  command -v ab >/dev/null || { echo "LOAD=ab needs ab (apt-get install apache2-utils)"; exit 1; }
  echo '{"n":7}' > "$DATA/body.json"
  ab -q -k -n 300 -c "$CONCURRENCY" -p "$DATA/body.json" -T application/json "$BASE$HOOK$QUERY" >/dev/null 2>&1 || true  # warm-up
  ab -k -n "$REQUESTS" -c "$CONCURRENCY" -p "$DATA/body.json" -T application/json "$BASE$HOOK$QUERY" 2>&1 \
    | grep -E "Complete requests|Failed requests|Non-2xx|Keep-Alive requests|Requests per second|  50%|  99%"
else
  "$BUILD/bench/http_load" 127.0.0.1 "$PORT" "$HOOK$QUERY" "$CONCURRENCY" 1 '{"n":1}' >/dev/null || true  # warm-up
  "$BUILD/bench/http_load" 127.0.0.1 "$PORT" "$HOOK$QUERY" "$CONCURRENCY" "$SECONDS_PER_RUN" '{"n":7}'
fi
echo "rss_kb $(awk '/VmRSS/ {print $2}' /proc/$PID/status)"
