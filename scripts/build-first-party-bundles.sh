#!/usr/bin/env bash
# Rebuilds the first-party bundles: every bundles/src/<vendor>/ (TypeScript + @weft/sdk) is built
# by weft-bundle into bundles/<vendor>/ (the archive layout `weft serve` loads), or into
# <dir>/<vendor>/ with --out <dir>. Commit the result: tests/bundles/first_party_build_test.sh
# fails when the committed build differs from a fresh one.
#
# The build is reproducible: weft-bundle writes the SBOM's timestamp and serial number from
# SOURCE_DATE_EPOCH when it is set (otherwise the time of the build and a random UUID), so this
# script sets it to 0 unless the caller chose a value. Needs sdk/node_modules (scripts/setup.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/bundles"
if [ "${1:-}" = "--out" ] && [ -n "${2:-}" ]; then
  mkdir -p "$2"
  OUT=$(cd "$2" && pwd)
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--out DIR]" >&2
  exit 2
fi
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-0}

found=0
for src in "$ROOT"/bundles/src/*/; do
  [ -f "$src/package.json" ] || continue
  vendor=$(basename "$src")
  found=1
  # weft-bundle replaces only what it owns (manifest.json, dist/, meta/, assets/); start clean so
  # a file dropped from the sources does not linger in the committed build.
  rm -rf "${OUT:?}/$vendor"
  node "$ROOT/sdk/bin/weft-bundle.mjs" build "$src" --out "$OUT/$vendor"
done
if [ "$found" = 0 ]; then
  echo "no bundle sources under $ROOT/bundles/src" >&2
  exit 1
fi
