#!/usr/bin/env bash
# The committed first-party bundles end to end through the jailed sandbox: `weft workflow run`
# parses CSV with datatools.csvParse, then opens an issue with github.createIssue against a local
# fake GitHub API (bundles/src/github/test-support/fake-github.mjs on 127.0.0.1), and the fake
# records the request the sandbox's ctx.fetch made. Usage: first_party_e2e_test.sh <weft> <repo>
#
# Reaching 127.0.0.1 takes two operator-side switches, both set here and nowhere in the bundle:
# the test's copy of bundles/github/manifest.json lists "127.0.0.1:PORT" in network.allowedHosts
# (the committed manifest allows only api.github.com), and WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS=1
# lets ctx.fetch connect to a loopback address. Without either, the call is refused.
set -euo pipefail
WEFT=$1
ROOT=$2
TOKEN=ghp_e2e_secret_token
tmp=$(mktemp -d)
fake_pid=
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

node "$ROOT/bundles/src/github/test-support/fake-github.mjs" "$TOKEN" "$tmp/requests.jsonl" >"$tmp/fake.out" 2>"$tmp/fake.err" &
fake_pid=$!
for _ in $(seq 100); do
  [ -s "$tmp/fake.out" ] && break
  kill -0 "$fake_pid" 2>/dev/null || { echo "the fake GitHub did not start: $(cat "$tmp/fake.err")" >&2; exit 1; }
  sleep 0.1
done
port=$(jq -r .port "$tmp/fake.out")
[ -n "$port" ] && [ "$port" != null ] || { echo "no port from the fake GitHub" >&2; exit 1; }

mkdir -p "$tmp/bundles"
cp -R "$ROOT/bundles/datatools" "$tmp/bundles/datatools"
cp -R "$ROOT/bundles/github" "$tmp/bundles/github"
cp -R "$ROOT/bundles/github" "$tmp/bundles-unpatched-github"
jq --arg host "127.0.0.1:$port" '.network.allowedHosts += [$host]' "$ROOT/bundles/github/manifest.json" \
  >"$tmp/bundles/github/manifest.json"
"$WEFT" bundle validate "$tmp/bundles/github" | grep -q "valid bundle github 1.0.0 (4 blocks)"
"$WEFT" bundle validate "$tmp/bundles/datatools" | grep -q "valid bundle datatools 1.0.0 (4 blocks)"

cat >"$tmp/workflow.json" <<JSON
{ "name": "CSV to issue",
  "steps": [
    { "id": "parse", "action": "datatools.csvParse", "inputs": { "csv": "{{trigger.csv}}" } },
    { "id": "issue", "action": "github.createIssue", "credential": "gh",
      "inputs": { "owner": "octo", "repo": "hello", "baseUrl": "http://127.0.0.1:$port",
                  "title": "{{steps.parse.output.rows[0].title}}",
                  "body": "{{steps.parse.output.rows[0].body}}" } } ] }
JSON
cat >"$tmp/credentials.json" <<JSON
{ "credentials": [ { "id": "gh", "provider": "github", "type": "bearer_token", "secret": { "token": "$TOKEN" } } ] }
JSON
input=$(jq -n '{csv: "title,body\r\n\"Build fails, again\",\"Step 3 says \"\"boom\"\"\"\r\n"}')

run() {  # run <bundles dir> [extra env...]: prints the run's JSON, fails only if weft crashes
  local dir=$1; shift
  env WEFT_DATA_DIR="$tmp/data-$RANDOM" WEFT_BUNDLES_DIR="$dir" "$@" "$WEFT" workflow run "$tmp/workflow.json" \
    --credentials "$tmp/credentials.json" --input "$input" --json || true
}

out=$(run "$tmp/bundles" WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS=1)
check() {  # check <jq filter> <expected>
  local got
  got=$(jq -r "$1" <<<"$out")
  if [ "$got" != "$2" ]; then echo "expected $1 = $2, got $got in: $out" >&2; exit 1; fi
}
check .status succeeded
check '.steps[0].output.columns | join(",")' "title,body"
check '.steps[0].output.rows[0].body' 'Step 3 says "boom"'
check '.steps[1].output.number' 8
check '.steps[1].output.url' "https://github.com/octo/hello/issues/8"
check '.steps[1].output.id | type' number

# What the sandbox sent, as the fake recorded it.
[ "$(wc -l <"$tmp/requests.jsonl")" = 1 ] || { echo "expected one request: $(cat "$tmp/requests.jsonl")" >&2; exit 1; }
req=$(cat "$tmp/requests.jsonl")
[ "$(jq -r '.method + " " + .path' <<<"$req")" = "POST /repos/octo/hello/issues" ] || { echo "bad request: $req" >&2; exit 1; }
[ "$(jq -r .headers.authorization <<<"$req")" = "Bearer $TOKEN" ] || { echo "no token: $req" >&2; exit 1; }
[ "$(jq -r '.headers["x-github-api-version"]' <<<"$req")" = 2022-11-28 ] || { echo "no API version: $req" >&2; exit 1; }
[ "$(jq -c '.body | fromjson' <<<"$req")" = '{"title":"Build fails, again","body":"Step 3 says \"boom\""}' ] \
  || { echo "bad body: $req" >&2; exit 1; }

# A GitHub error answer reaches the step as the bundle's message.
sed -i 's/"repo": "hello"/"repo": "missing"/' "$tmp/workflow.json"
out=$(run "$tmp/bundles" WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS=1)
check .status failed
jq -r '.steps[1].error.message // .steps[1].error' <<<"$out" | grep -q "GitHub found no repository octo/missing" \
  || { echo "expected the 404 message: $out" >&2; exit 1; }
sed -i 's/"repo": "missing"/"repo": "hello"/' "$tmp/workflow.json"

# Neither switch alone reaches the fake: the committed manifest allows only api.github.com, and
# loopback stays refused without WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS.
before=$(wc -l <"$tmp/requests.jsonl")
mkdir -p "$tmp/unpatched" && cp -R "$tmp/bundles/datatools" "$tmp/unpatched/" && mv "$tmp/bundles-unpatched-github" "$tmp/unpatched/github"
out=$(run "$tmp/unpatched" WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS=1)
check .status failed
grep -q "not in the bundle's network.allowedHosts" <<<"$out" || { echo "expected egress_denied: $out" >&2; exit 1; }
out=$(run "$tmp/bundles" WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS=0)
check .status failed
grep -q "it is not a public address" <<<"$out" || { echo "expected egress_denied: $out" >&2; exit 1; }
[ "$(wc -l <"$tmp/requests.jsonl")" = "$before" ] || { echo "a refused run reached the fake" >&2; exit 1; }

# A hostile CSV fails its step with the bundle's message, not the sandbox.
input=$(jq -n '{csv: ("a" + ("," * 20000))}')
out=$(run "$tmp/bundles" WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS=1)
check .status failed
grep -q "more than 10000 fields in one record" <<<"$out" || { echo "expected the field bound: $out" >&2; exit 1; }
echo "first-party bundles end to end: ok"
