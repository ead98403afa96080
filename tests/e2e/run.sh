#!/usr/bin/env bash
# Runs the browser scenarios: npm ci in tests/e2e when node_modules is missing or older than the
# lock file (playwright-core only; no browser is downloaded: Debian's chromium is used), then
# node run.mjs. Usage: run.sh <weft binary>. Screenshots go to $WEFT_E2E_SCREENSHOTS
# (default build/e2e-screenshots).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WEFT=${1:-${WEFT_BINARY:-}}
[ -n "$WEFT" ] || { echo "usage: run.sh <weft binary>" >&2; exit 2; }
CHROMIUM=${WEFT_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "no Chromium at $CHROMIUM (scripts/setup.sh installs Debian's chromium)" >&2; exit 1; }
if [ ! -f "$HERE/node_modules/.package-lock.json" ] || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
  (cd "$HERE" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
export WEFT_CHROMIUM="$CHROMIUM"
exec node "$HERE/run.mjs" "$(realpath "$WEFT")"
