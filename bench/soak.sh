#!/usr/bin/env bash
# bench/soak.sh — holds the webhook load on one release `weft serve` (fresh --data-dir on
# 127.0.0.1, the 10-step core.transform flow of bench/peers, ?wait=true, c=CONCURRENCY) for
# SOAK_SECONDS, as back-to-back `ab -r -k -t SOAK_INTERVAL` runs, one per interval, so each
# interval has its own request and error counts. Prints per interval: elapsed s, requests done
# so far, that interval's req/s, errors so far (failed connections/receives + non-2xx), RSS of
# the weft process tree at the interval's end.
# At the end it checks, and exits 1 when any fails:
#   1. errors == 0 over all intervals;
#   2. RSS flat: the last interval's RSS ≤ 1.10 × the RSS after the first interval (the first
#      interval is the warm-up: caches, SQLite page cache and thread arenas fill there);
#   3. every run in the database succeeded: runs counted by status with sqlite3 on
#      DATA/weft.db (table runs) — no status but succeeded, and at least one run per 2xx request.
# Usage: bench/soak.sh   (`make soak` builds the release tree first)
# Env: SOAK_SECONDS (600), SOAK_INTERVAL (30), CONCURRENCY (8), WEFT_BUILD (build-release),
#      WEFT_DURABILITY (passed to weft when set)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_INTERVAL=${SOAK_INTERVAL:-30}
CONCURRENCY=${CONCURRENCY:-8}
WEFT_BUILD=${WEFT_BUILD:-build-release}
case "$WEFT_BUILD" in /*) ;; *) WEFT_BUILD="$ROOT/$WEFT_BUILD" ;; esac
WEFT="$WEFT_BUILD/weft"
[ -n "${WEFT_DURABILITY:-}" ] && export WEFT_DURABILITY
for tool in ab node curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "soak needs $tool (ab: apt-get install apache2-utils)" >&2; exit 1; }
done
[ -x "$WEFT" ] || { echo "no weft binary at $WEFT (make soak builds it)" >&2; exit 1; }
INTERVALS=$(( (SOAK_SECONDS + SOAK_INTERVAL - 1) / SOAK_INTERVAL ))
[ "$INTERVALS" -ge 2 ] || { echo "SOAK_SECONDS must cover at least two SOAK_INTERVALs (warm-up + one)" >&2; exit 2; }

TMP=$(mktemp -d /tmp/weft-soak-XXXXXX)
PIDFILE="$TMP/pids"
: > "$PIDFILE"
# shellcheck source=bench/peers/lib.sh
. "$HERE/peers/lib.sh"
# shellcheck disable=SC2317  # run by the trap
cleanup() {
  stop_all
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

HOOK=$(weft_seed "$WEFT" "$TMP/data" "$TMP/seed.log")
PORT=$(free_port)
URL="http://127.0.0.1:$PORT$HOOK?wait=true"
line=$(WEFT_MASTER_KEY=$WEFT_KEY WEFT_SETUP_TOKEN=$WEFT_TOKEN node "$HERE/peers/first200.js" \
  "$PIDFILE" "$TMP/serve.log" "$URL" "$BENCH_BODY" 60000 -- \
  "$WEFT" --data-dir "$TMP/data" serve --listen "127.0.0.1:$PORT" --workers 4) ||
  { cat "$TMP/serve.log" >&2; exit 1; }
PID=${line%% *}

echo "soak: webhook -> 10 steps -> respond (?wait=true), c=$CONCURRENCY, ${SOAK_SECONDS}s in ${SOAK_INTERVAL}s intervals${WEFT_DURABILITY:+, WEFT_DURABILITY=$WEFT_DURABILITY}"
printf '%9s %10s %9s %8s %8s\n' "elapsed s" "requests" "req/s" "errors" "RSS MB"
started=$(date +%s.%N)
total=0; errors=0; baseline_kb=""; last_kb=0
for i in $(seq 1 "$INTERVALS"); do
  alive "$PID" || { echo "weft exited during the soak:" >&2; tail -20 "$TMP/serve.log" >&2; exit 1; }
  ab_load "$TMP/ab-$i" "$URL" 100000000 "$CONCURRENCY" -t "$SOAK_INTERVAL"
  read -r complete rps _p50 _p99 errs <<< "$(ab_parse "$TMP/ab-$i")"
  last_kb=0; alive "$PID" && last_kb=$(rss_tree_kb "$PID")
  [ "$i" -eq 1 ] && baseline_kb=$last_kb
  total=$((total + complete)); errors=$((errors + errs))
  elapsed=$(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN { printf "%.0f", n - s }')
  printf '%9s %10d %9.1f %8d %8.1f%s\n' "$elapsed" "$total" "$rps" "$errors" "$(awk -v k="$last_kb" 'BEGIN { print k / 1024 }')" \
    "$([ "$i" -eq 1 ] && echo '  (warm-up: RSS baseline)')"
  [ "$errs" -eq 0 ] || { echo "interval $i: $errs errors; ab said:" >&2; grep -E 'Failed|Non-2xx|apr_|Connect:' "$TMP/ab-$i.txt" >&2 || true; }
done

failed=0
echo
if [ "$errors" -eq 0 ]; then echo "ok   errors: 0 in $total requests"
else echo "FAIL errors: $errors in $total requests"; failed=1; fi

growth=$(awk -v b="$baseline_kb" -v l="$last_kb" 'BEGIN { printf "%+.1f", (l - b) * 100 / b }')
if alive "$PID" && awk -v b="$baseline_kb" -v l="$last_kb" 'BEGIN { exit !(l > 0 && l <= b * 1.10) }'; then
  echo "ok   RSS flat: last interval $((last_kb / 1024)) MB vs $((baseline_kb / 1024)) MB after the warm-up interval ($growth%, limit +10%)"
else
  echo "FAIL RSS grew: last interval $((last_kb / 1024)) MB vs $((baseline_kb / 1024)) MB after the warm-up interval ($growth%, limit +10%)"; failed=1
fi

# Runs by status, straight from the store (WAL mode: a reader beside the running server is fine).
counts=$(sqlite3 "$TMP/data/weft.db" "SELECT status || '=' || count(*) FROM runs GROUP BY status ORDER BY status" | tr '\n' ' ')
succeeded=$(sqlite3 "$TMP/data/weft.db" "SELECT count(*) FROM runs WHERE status = 'succeeded'")
others=$(sqlite3 "$TMP/data/weft.db" "SELECT count(*) FROM runs WHERE status <> 'succeeded'")
if [ "$others" -eq 0 ] && [ "$succeeded" -ge "$total" ]; then
  echo "ok   runs: ${counts}(all succeeded; ab completed $total requests; the few extra are in-flight at each interval end plus the start probe)"
else
  echo "FAIL runs: ${counts}($others not succeeded; $succeeded succeeded for $total requests ab completed)"; failed=1
fi
exit "$failed"
