#!/usr/bin/env bash
# Boot with N installed bundles (issue 9: target ready < 1 s): seeds a fresh data dir with N
# bundle records + blobs (bundle_boot_seed), then starts `weft serve` RUNS times and reports the
# time from exec to the first 200 on /api/health, the server's own "ready in" figure, the
# bundles it published and the RSS once ready.
# Usage: bench/bundle_boot.sh BUILD_DIR [N=1000] [RUNS=3]   (BUILD_DIR built with -DWEFT_BUILD_BENCH=ON)
set -euo pipefail
BUILD=${1:?usage: bundle_boot.sh BUILD_DIR [N] [RUNS]}
N=${2:-1000}
RUNS=${3:-3}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEFT="$BUILD/weft"
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

node "$ROOT/sdk/bin/weft-bundle.mjs" pack "$ROOT/examples/bundles/weather" --out "$tmp/pack" >/dev/null
export WEFT_MASTER_KEY=$(printf '7%.0s' $(seq 64)) WEFT_SETUP_TOKEN=bench-token WEFT_BUNDLES_DIR="$ROOT/bundles"
"$WEFT" credential list --data-dir "$tmp/data" >/dev/null   # creates and migrates the data dir
"$BUILD/bench/bundle_boot_seed" "$tmp/data" "$N" "$tmp/pack/weather-1.0.0.bundle.tar.gz"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
for run in $(seq "$RUNS"); do
  start=$(date +%s%N)
  "$WEFT" serve --data-dir "$tmp/data" --listen "127.0.0.1:$port" >"$tmp/log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.002; done
  end=$(date +%s%N)
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  ready=$(grep -o 'ready in [0-9.]* ms' "$tmp/log" | head -1)
  installed=$(grep -o 'bundles: [0-9]* first-party, [0-9]* uploaded ([0-9]* active)' "$tmp/log" | head -1)
  echo "run $run: N=$N  first 200 after $(( (end - start) / 1000000 )) ms  (server: $ready; $installed)  RSS $((rss / 1024)) MB"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
