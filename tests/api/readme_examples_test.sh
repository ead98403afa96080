#!/usr/bin/env bash
# Runs the README's "Using the API" commands exactly as written (only the server address is
# changed) against a fresh `weft serve`, then the "Custom integrations" ones (pack, test, upload
# and manage the weather bundle; build-release/weft is the binary under test), and checks what
# they print.
# Usage: readme_examples_test.sh WEFT_BINARY SOURCE_DIR
set -euo pipefail
WEFT_BIN=$1
SRC=$2
WORK=$(mktemp -d /tmp/weft-readme-XXXXXX)
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The log exists before the server starts: the port poll below must not race its creation.
: > "$WORK/serve.log"
export WEFT_SETUP_TOKEN=readme-example-setup-token
WEFT_MASTER_KEY=$(printf 'a%.0s' {1..64}) WEFT_PASSWORD_HASH_COST=min WEFT_POLL_MS=50 \
  "$WEFT_BIN" --data-dir "$WORK/data" serve --listen 127.0.0.1:0 2>"$WORK/serve.log" &
PID=$!
PORT=""
for _ in $(seq 400); do
  PORT=$(sed -nE 's/.*listening on http:\/\/127\.0\.0\.1:([0-9]+).*/\1/p' "$WORK/serve.log" | head -1)
  [ -n "$PORT" ] && break
  sleep 0.05
done
[ -n "$PORT" ] || { echo "server did not start"; cat "$WORK/serve.log"; exit 1; }

sed -n '/<!-- api-example:begin -->/,/<!-- api-example:end -->/p' "$SRC/README.md" | sed '1,2d;$d' | sed '$d' \
  | sed "s|^WEFT=http://127.0.0.1:8080$|WEFT=http://127.0.0.1:$PORT|" > "$WORK/example.sh"
grep -q "WEFT=http://127.0.0.1:$PORT" "$WORK/example.sh" || { echo "README block not found"; exit 1; }
# "Custom integrations": the pack and test lines, then the upload-and-manage block, in the same
# shell (it uses $WEFT, $TOKEN and cookies.txt from the block above).
grep -E '^(node sdk/bin/weft-bundle.mjs pack|build-release/weft bundle test) ' "$SRC/README.md" >> "$WORK/example.sh"
sed -n '/<!-- bundle-example:begin -->/,/<!-- bundle-example:end -->/p' "$SRC/README.md" | sed '1,2d;$d' | sed '$d' \
  >> "$WORK/example.sh"
grep -q 'api/bundle-upload' "$WORK/example.sh" || { echo "README bundle block not found"; exit 1; }
sed -i "s|build-release/weft |$WEFT_BIN |g" "$WORK/example.sh"
ln -s "$SRC/examples" "$WORK/examples"
ln -s "$SRC/sdk" "$WORK/sdk"
(cd "$WORK" && bash -euo pipefail example.sh) > "$WORK/out.txt" 2>&1 || { cat "$WORK/out.txt"; exit 1; }

fail=0
expect() { grep -qF -- "$1" "$WORK/out.txt" || { echo "missing from output: $1"; fail=1; }; }
expect '"activeOrg":{"id":'
expect 'slack.sendMessage'
expect '"type":"bot_token"'
expect '"status": "succeeded"'
expect '"greeting": "Hello, Ada!"'
expect 'event: run'
expect '"output":{"greeting":"Hello, Ada!"}'
expect '"runs":[]'
expect '"role":"member","user":{"email":"teammate@example.com"'
# Custom integrations
expect 'into '"$WORK"'/weather-bundle/weather-1.0.0.bundle.tar.gz'
expect 'valid bundle weather 1.0.0 (2 blocks), static checks only'
expect 'valid bundle weather 1.0.0 (2 blocks)'
expect 'example weather.describe: ok {"bytes":4,"word":"mild"}'
expect '"scope":"platform","status":"disabled","toolCount":2,"vendorId":"weather","version":"1.0.0"'
expect 'weather 1.0.0 organization active'
expect 'weather 1.0.0 platform disabled'
expect 'Weft bundle manifest'
expect '{"id":"weather.current","enabled":false}'
expect '{"id":"weather.describe","enabled":true}'
expect '"bundle":{"vendorId":"weather","version":"1.0.0"}'
expect 'bundle_in_use'
expect '204'
expect 'uploaded weather 1.0.0 (2 tools, active) as bun_'
expect 'disabled weather 1.0.0: disabled'
expect 'enabled weather 1.0.0: active'
expect 'deleted bun_'
if grep -qF 'xoxb-your-token' <(grep -v '^curl' "$WORK/out.txt"); then echo "a secret came back"; fail=1; fi
if [ $fail -ne 0 ]; then cat "$WORK/out.txt"; exit 1; fi
echo "README API examples: ok"
