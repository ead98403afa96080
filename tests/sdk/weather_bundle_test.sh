#!/usr/bin/env bash
# An SDK-built bundle end to end: `weft-bundle build` compiles examples/bundles/weather
# (TypeScript + @weft/sdk) into a bundle folder, and `weft workflow run` calls its
# weather.describe tool through the jailed sandbox. Usage: weather_bundle_test.sh <weft> <repo>
set -euo pipefail
WEFT=$1
ROOT=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

node "$ROOT/sdk/bin/weft-bundle.mjs" build "$ROOT/examples/bundles/weather" --out "$tmp/bundles/weather" >/dev/null
"$WEFT" bundle validate "$tmp/bundles/weather" | grep -q "valid bundle weather 1.0.0 (2 blocks)"
cat > "$tmp/workflow.json" <<'JSON'
{ "name": "Describe",
  "steps": [ { "id": "d", "action": "weather.describe", "credential": "weather_key",
               "inputs": { "temperature": "{{trigger.t}}" } } ] }
JSON
cat > "$tmp/credentials.json" <<'JSON'
{ "credentials": [ { "id": "weather_key", "provider": "weather", "type": "api_key", "secret": { "api_key": "k" } } ] }
JSON

out=$(WEFT_DATA_DIR="$tmp/data" WEFT_BUNDLES_DIR="$tmp/bundles" "$WEFT" workflow run "$tmp/workflow.json" \
        --credentials "$tmp/credentials.json" --input '{"t": 21}' --json)
status=$(jq -r .status <<<"$out")
word=$(jq -r '.steps[0].output.word' <<<"$out")
bytes=$(jq -r '.steps[0].output.bytes' <<<"$out")
if [ "$status" != succeeded ] || [ "$word" != mild ] || [ "$bytes" != 4 ]; then
  echo "unexpected run: $out" >&2
  exit 1
fi

# A schema violation is refused before the sandbox is asked.
if WEFT_DATA_DIR="$tmp/data" WEFT_BUNDLES_DIR="$tmp/bundles" "$WEFT" workflow run "$tmp/workflow.json" \
     --credentials "$tmp/credentials.json" --input '{"t": "warm"}' --json >"$tmp/bad.json" 2>&1; then
  echo "a string temperature should fail: $(cat "$tmp/bad.json")" >&2
  exit 1
fi
echo "weather bundle: ok"
