#!/usr/bin/env bash
# bench/peers/run.sh — Weft against a peer on the same flow: webhook POST → 10 steps that each add
# a field → respond with the result. Weft runs a workflow of 10 core.transform steps (?wait=true);
# Node-RED 4.1.15 (pinned by bench/peers/node-red/package-lock.json, installed into the ignored
# bench/peers/.node-red/) runs http in → 10 change nodes → http response (NODE_RED_STEP=function:
# 10 function nodes, `msg.payload.fI = I; return msg;`, from flows-function.json). Both are driven by the
# same `ab -k -n REQUESTS -c CONCURRENCY` in the same run, rounds alternating which goes first.
# Per peer: req/s, p50/p99 (ab's -e percentiles), errors, RSS idle (after the first 200, before
# any load) and under load (last sample while ab runs), start → first 200 (spawn to the first
# 200 from the flow, polled every 5 ms by first200.js). Everything binds 127.0.0.1; a trap stops
# every process it started, also on failure.
# Usage: bench/peers/run.sh   (`make bench-peers` builds the release tree first)
# Env: REQUESTS (4000), CONCURRENCY (8), ROUNDS (3), WEFT_BUILD (build-release), PEERS (node-red;
#      n8n is not implemented yet), NODE_RED_STEP (change | function: Node-RED's step node),
#      WEFT_DURABILITY (passed to weft when set), KEEP_TMP (keep
#      the temp dir with logs and ab output)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
REQUESTS=${REQUESTS:-4000}
CONCURRENCY=${CONCURRENCY:-8}
ROUNDS=${ROUNDS:-3}
PEERS=${PEERS:-node-red}
WEFT_BUILD=${WEFT_BUILD:-build-release}
case "$WEFT_BUILD" in /*) ;; *) WEFT_BUILD="$ROOT/$WEFT_BUILD" ;; esac
WEFT="$WEFT_BUILD/weft"
NODE_RED_VERSION=4.1.15
NODE_RED_STEP=${NODE_RED_STEP:-change}
case "$NODE_RED_STEP" in
  change) NODE_RED_FLOWS=flows.json ;;
  function) NODE_RED_FLOWS=flows-function.json ;;
  *) echo "NODE_RED_STEP must be change or function, not '$NODE_RED_STEP'" >&2; exit 2 ;;
esac
NODE_RED_DIR="$HERE/.node-red"
[ -n "${WEFT_DURABILITY:-}" ] && export WEFT_DURABILITY

for peer in ${PEERS//,/ }; do
  case "$peer" in
    node-red) ;;
    n8n) echo "PEERS=n8n: not implemented yet (n8n takes minutes and ~1.8 GB to install); use PEERS=node-red" >&2; exit 2 ;;
    *) echo "unknown peer '$peer' (known: node-red)" >&2; exit 2 ;;
  esac
done
for tool in ab node npm curl; do
  command -v "$tool" >/dev/null || { echo "bench-peers needs $tool (ab: apt-get install apache2-utils)" >&2; exit 1; }
done
[ -x "$WEFT" ] || { echo "no weft binary at $WEFT (make bench-peers builds it)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/weft-peers-XXXXXX)
PIDFILE="$TMP/pids"
: > "$PIDFILE"
# shellcheck source=bench/peers/lib.sh
. "$HERE/lib.sh"
SAMPLER=""
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
  stop_all
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Node-RED from the committed lock file: `npm ci` again only when the lock changed.
install_node_red() {
  local have=""
  [ -f "$NODE_RED_DIR/node_modules/node-red/package.json" ] &&
    have=$(node -p "require('$NODE_RED_DIR/node_modules/node-red/package.json').version")
  if [ "$have" = "$NODE_RED_VERSION" ] && cmp -s "$HERE/node-red/package-lock.json" "$NODE_RED_DIR/package-lock.json"; then
    return 0
  fi
  echo "installing node-red@$NODE_RED_VERSION into $NODE_RED_DIR (npm ci)"
  mkdir -p "$NODE_RED_DIR"
  cp "$HERE/node-red/package.json" "$HERE/node-red/package-lock.json" "$NODE_RED_DIR/"
  (cd "$NODE_RED_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# Starts one peer cold and fills PEER_PID, PEER_URL, PEER_START_MS. Args: PEER ROUND
start_peer() {
  local peer=$1 round=$2 port dir line
  port=$(free_port)
  dir="$TMP/$peer-$round"
  mkdir -p "$dir"
  case "$peer" in
    weft)
      cp -a "$TMP/weft-seed/." "$dir/"
      PEER_URL="http://127.0.0.1:$port$WEFT_HOOK?wait=true"
      line=$(WEFT_MASTER_KEY=$WEFT_KEY WEFT_SETUP_TOKEN=$WEFT_TOKEN node "$HERE/first200.js" \
        "$PIDFILE" "$dir/serve.log" "$PEER_URL" "$BENCH_BODY" 60000 -- \
        "$WEFT" --data-dir "$dir/data" serve --listen "127.0.0.1:$port" --workers 4) ||
        { cat "$dir/serve.log" >&2 2>/dev/null; return 1; }
      ;;
    node-red)
      cp "$HERE/node-red/$NODE_RED_FLOWS" "$dir/flows.json"
      PEER_URL="http://127.0.0.1:$port/bench"
      line=$(NODE_RED_PORT=$port node "$HERE/first200.js" \
        "$PIDFILE" "$dir/node-red.log" "$PEER_URL" "$BENCH_BODY" 60000 -- \
        node "$NODE_RED_DIR/node_modules/node-red/red.js" --settings "$HERE/node-red/settings.js" --userDir "$dir") ||
        { cat "$dir/node-red.log" >&2 2>/dev/null; return 1; }
      ;;
  esac
  PEER_PID=${line%% *}
  PEER_START_MS=${line##* }
}

# The flow must answer with all ten fields, or the figures measure something else.
check_answer() {
  local peer=$1 url=$2 answer
  answer=$(curl -sf -X POST -H 'Content-Type: application/json' -d "$BENCH_BODY" "$url") ||
    { echo "$peer: POST $url failed" >&2; return 1; }
  case "$answer" in
    *'"f1":1'*'"f10":10'*) ;;
    *) echo "$peer answered without the ten fields: $answer" >&2; return 1 ;;
  esac
}

# Runs one peer through a round; appends "peer rps p50 p99 rss_idle_mb rss_load_mb start_ms errors
# complete" to $TMP/round-R.
bench_peer() {
  local peer=$1 round=$2 out rss_idle rss_load ab_pid parsed
  start_peer "$peer" "$round"
  sleep 1  # idle: after the first 200, before any load
  rss_idle=$(rss_tree_kb "$PEER_PID")
  check_answer "$peer" "$PEER_URL"
  out="$TMP/$peer-$round/ab"
  ab_load "$out-warm" "$PEER_URL" 300 "$CONCURRENCY"  # warm-up, not counted
  ab_load "$out" "$PEER_URL" "$REQUESTS" "$CONCURRENCY" &
  ab_pid=$!
  # RSS under load: sampled every 100 ms while ab runs; the last sample is reported.
  ( while kill -0 "$ab_pid" 2>/dev/null; do rss_tree_kb "$PEER_PID" > "$out.rss.tmp" && mv "$out.rss.tmp" "$out.rss"; sleep 0.1; done ) &
  SAMPLER=$!
  wait "$ab_pid"
  wait "$SAMPLER" 2>/dev/null || true
  SAMPLER=""
  rss_load=$(cat "$out.rss" 2>/dev/null || rss_tree_kb "$PEER_PID")
  parsed=$(ab_parse "$out")
  read -r complete rps p50 p99 errors <<< "$parsed"
  [ "$errors" -eq 0 ] || { echo "$peer round $round: $errors errors; ab said:" >&2; cat "$out.txt" >&2; }
  stop_pid "$PEER_PID"
  echo "$peer $rps $p50 $p99 $((rss_idle / 1024)) $((rss_load / 1024)) $PEER_START_MS $errors $complete" >> "$TMP/round-$round"
}

# Prints a table from lines as bench_peer writes them; the ratio column is Weft's req/s over the
# row's (1.00 on Weft's own row).
print_table() {
  awk '
    { peer[NR] = $1; for (i = 2; i <= 9; i++) v[NR, i] = $i; if ($1 == "weft") weft = $2 }
    END {
      printf "%-9s %9s %8s %8s %11s %11s %15s %7s %11s\n", "peer", "req/s", "p50 ms", "p99 ms", "RSS idle MB", "RSS load MB", "start->200 ms", "errors", "weft/peer"
      for (r = 1; r <= NR; r++) {
        ratio = (weft != "" && v[r, 2] > 0) ? sprintf("%.2f", weft / v[r, 2]) : "-"
        printf "%-9s %9.1f %8.2f %8.2f %11d %11d %15.1f %7d %11s\n", peer[r], v[r, 2], v[r, 3], v[r, 4], v[r, 5], v[r, 6], v[r, 7], v[r, 8], ratio
      }
    }'
}

# Per peer, the median of each column over the rounds (errors: the sum).
median_rows() {
  local peer col
  for peer in weft ${PEERS//,/ }; do
    local row="$peer"
    for col in 2 3 4 5 6 7; do
      row="$row $(awk -v p="$peer" -v c="$col" '$1 == p { print $c }' "$TMP"/round-* | sort -g |
        awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')"
    done
    row="$row $(awk -v p="$peer" '$1 == p { s += $8 } END { print s + 0 }' "$TMP"/round-*)"
    row="$row $(awk -v p="$peer" '$1 == p { s += $9 } END { print s + 0 }' "$TMP"/round-*)"
    echo "$row"
  done
}

install_node_red
mkdir -p "$TMP/weft-seed"
WEFT_HOOK=$(weft_seed "$WEFT" "$TMP/weft-seed/data" "$TMP/weft-seed.log")
echo "webhook POST -> 10 steps adding a field -> respond; ab -k -n $REQUESTS -c $CONCURRENCY (after 300 warm-up), $ROUNDS round(s)"
echo "weft: $WEFT serve --workers 4, log level ${WEFT_LOG_LEVEL:-default}${WEFT_DURABILITY:+, WEFT_DURABILITY=$WEFT_DURABILITY}; node-red $NODE_RED_VERSION ($NODE_RED_STEP nodes) on node $(node --version); $(nproc) cores"
total_errors=0
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order="weft ${PEERS//,/ }"; else order="${PEERS//,/ } weft"; fi
  for peer in $order; do bench_peer "$peer" "$round"; done
  echo
  echo "round $round ($order):"
  print_table < "$TMP/round-$round"
done
if [ "$ROUNDS" -gt 1 ]; then
  echo
  echo "median over $ROUNDS rounds (errors: total):"
  median_rows | print_table
fi
total_errors=$(awk '{ s += $8 } END { print s + 0 }' "$TMP"/round-*)
[ "$total_errors" -eq 0 ] || { echo "FAILED: $total_errors errors" >&2; exit 1; }
