#!/usr/bin/env bash
# The committed first-party bundles (bundles/<vendor>/) are exactly what
# scripts/build-first-party-bundles.sh builds from bundles/src/<vendor>/: rebuilt twice into
# temporary folders, both builds must be identical (reproducible) and equal to the committed
# folders, file for file. Fails when someone edits the built output by hand or forgets to rebuild
# after changing a bundle's sources or the SDK. Usage: first_party_build_test.sh <repo>
set -euo pipefail
ROOT=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bash "$ROOT/scripts/build-first-party-bundles.sh" --out "$tmp/one" >/dev/null
bash "$ROOT/scripts/build-first-party-bundles.sh" --out "$tmp/two" >/dev/null
if ! diff -r "$tmp/one" "$tmp/two" >"$tmp/diff" 2>&1; then
  echo "two builds of the first-party bundles differ (the build is not reproducible):" >&2
  head -40 "$tmp/diff" >&2
  exit 1
fi

status=0
for src in "$ROOT"/bundles/src/*/; do
  vendor=$(basename "$src")
  [ -d "$tmp/one/$vendor" ] || { echo "bundles/src/$vendor was not built" >&2; status=1; continue; }
  if ! diff -r "$tmp/one/$vendor" "$ROOT/bundles/$vendor" >"$tmp/diff" 2>&1; then
    echo "bundles/$vendor differs from a fresh build of bundles/src/$vendor;" \
         "run scripts/build-first-party-bundles.sh and commit the result:" >&2
    head -40 "$tmp/diff" >&2
    status=1
  fi
done
# Every committed bundle folder has its sources.
for built in "$ROOT"/bundles/*/; do
  vendor=$(basename "$built")
  [ "$vendor" = src ] && continue
  if [ ! -d "$ROOT/bundles/src/$vendor" ]; then
    echo "bundles/$vendor has no sources in bundles/src/$vendor" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "first-party bundles: the committed build is current"
exit "$status"
