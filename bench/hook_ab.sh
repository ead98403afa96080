#!/usr/bin/env bash
# The yardstick's webhook benchmark with a public tool: a release `weft serve` on 127.0.0.1
# with a fresh data dir, a webhook workflow of STEPS core.transform steps (every step
# persisted), and `ab -k -n 2000 -c 8` (Debian's apache2-utils) posting to it with ?wait=true.
# Usage: bench/hook_ab.sh [BUILD_DIR]   (default build-release)   Env: STEPS (10), N (2000), C (8)
set -euo pipefail
BUILD=${1:-build-release}
STEPS=${STEPS:-10}
N=${N:-2000}
C=${C:-8}
command -v ab >/dev/null || { echo "needs ab (apt-get install apache2-utils)"; exit 1; }
DATA=$(mktemp -d /tmp/weft-hookab-XXXXXX)
LOG="$DATA/serve.log"
: > "$LOG"
WEFT_MASTER_KEY=$(printf 'f%.0s' {1..64}) WEFT_SETUP_TOKEN=bench-setup-token \
  "$BUILD/weft" --data-dir "$DATA/data" serve --listen 127.0.0.1:0 --workers 4 2>"$LOG" &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT
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
created=$(curl -sf -b "$DATA/cookies" -X POST "$BASE/api/workflows" -H 'Content-Type: application/json' \
  -H "Origin: $BASE" -d "{\"name\":\"hook ab\",\"trigger\":{\"type\":\"webhook\"},\"steps\":$steps]}")
HOOK=$(printf '%s' "$created" | sed -E 's/.*"path":"([^"]+)".*/\1/')
echo '{"n":7}' > "$DATA/body.json"
echo "webhook -> $STEPS steps -> respond with output; ab -k -n $N -c $C"
curl -sf -X POST -H 'Content-Type: application/json' -d @"$DATA/body.json" "$BASE$HOOK?wait=true"; echo
ab -q -k -n 300 -c "$C" -p "$DATA/body.json" -T application/json "$BASE$HOOK?wait=true" >/dev/null 2>&1 || true  # warm-up
ab -k -n "$N" -c "$C" -p "$DATA/body.json" -T application/json "$BASE$HOOK?wait=true" 2>&1 \
  | grep -E "Complete requests|Failed requests|Non-2xx|Keep-Alive requests|Requests per second|  50%|  99%"
echo "rss_kb $(awk '/VmRSS/ {print $2}' /proc/$PID/status)"
