# shellcheck shell=bash
# bench/peers/lib.sh — shell helpers shared by bench/peers/run.sh and bench/soak.sh: pick a free
# loopback port, sum a process tree's RSS, seed a Weft data dir with the 10-step webhook flow,
# run and parse one `ab` load. Sourced, never run; it starts nothing it does not record in
# $PIDFILE (the caller's trap stops every pid listed there).

WEFT_KEY=$(printf 'f%.0s' {1..64})
WEFT_TOKEN=bench-setup-token
BENCH_BODY='{"n":7}'

# A port nobody listens on right now (the kernel's pick; the caller binds it a moment later).
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# kB of VmRSS of PID and all its descendants (Weft may run sandbox helpers as children).
rss_tree_kb() {
  ps -eo pid=,ppid=,rss= | awk -v root="$1" '
    { ppid[$1] = $2; rss[$1] = $3 }
    END {
      total = 0
      for (p in rss) { q = p; while (q != "" && q != 0 && q != root) q = ppid[q]; if (q == root) total += rss[p] }
      print total
    }'
}

# True while PID runs (a zombie does not: a server whose launcher exited is reaped by init, late).
alive() {
  local state
  state=$(sed -E 's/.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# Stops one recorded pid (TERM, then KILL after 5 s) and waits for it.
stop_pid() {
  local pid=$1
  alive "$pid" || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do alive "$pid" || return 0; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
}

# Stops every pid in $PIDFILE. For traps.
stop_all() {
  [ -f "$PIDFILE" ] || return 0
  local pid
  while read -r pid; do [ -n "$pid" ] && stop_pid "$pid"; done < "$PIDFILE"
}

# The 10-step Weft workflow: step sI copies the fields so far and adds fI = I (core.transform
# has no spread, so each step names the earlier fields), ending as {"n":7,"f1":1,...,"f10":10}.
weft_steps_json() {
  local steps=${1:-10} i j fields
  local out='['
  for i in $(seq 1 "$steps"); do
    if [ "$i" -eq 1 ]; then fields='"n":"{{trigger.body.n}}"'
    else
      fields="\"n\":\"{{steps.s$((i - 1)).output.n}}\""
      for j in $(seq 1 $((i - 1))); do fields="$fields,\"f$j\":\"{{steps.s$((i - 1)).output.f$j}}\""; done
    fi
    [ "$i" -gt 1 ] && out="$out,"
    out="$out{\"id\":\"s$i\",\"action\":\"core.transform\",\"inputs\":{\"value\":{$fields,\"f$i\":$i}}}"
  done
  printf '%s]' "$out"
}

# Starts `weft serve` on DATA_DIR, sets up an org and the webhook workflow, prints the hook path
# and stops the server again, leaving the data dir ready for a cold start. Args: WEFT DATA_DIR LOG
weft_seed() {
  local weft=$1 data=$2 log=$3 pid port base created hook up=""
  port=$(free_port)
  base="http://127.0.0.1:$port"
  # stdout too goes to the log: a server left holding the caller's $(…) pipe would hang it.
  WEFT_MASTER_KEY=$WEFT_KEY WEFT_SETUP_TOKEN=$WEFT_TOKEN \
    "$weft" --data-dir "$data" serve --listen "127.0.0.1:$port" --workers 4 >>"$log" 2>&1 &
  pid=$!
  echo "$pid" >> "$PIDFILE"
  for _ in $(seq 400); do
    curl -sf "$base/api/health" >/dev/null 2>&1 && { up=1; break; }
    alive "$pid" || break
    sleep 0.05
  done
  [ -n "$up" ] || { echo "weft did not start:" >&2; cat "$log" >&2; stop_pid "$pid"; return 1; }
  curl -sf -X POST "$base/api/setup" -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@example.com\",\"password\":\"bench password 123\",\"orgName\":\"Bench\",\"setupToken\":\"$WEFT_TOKEN\"}" >/dev/null
  curl -sf -c "$data.cookies" -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench password 123"}' >/dev/null
  created=$(curl -sf -b "$data.cookies" -X POST "$base/api/workflows" -H 'Content-Type: application/json' \
    -H "Origin: $base" -d "{\"name\":\"peers bench\",\"trigger\":{\"type\":\"webhook\"},\"steps\":$(weft_steps_json 10)}")
  hook=$(printf '%s' "$created" | sed -nE 's/.*"path":"([^"]+)".*/\1/p')
  [ -n "$hook" ] || { echo "no webhook path in: $created" >&2; stop_pid "$pid"; return 1; }
  stop_pid "$pid"
  wait "$pid" 2>/dev/null || true
  printf '%s' "$hook"
}

# Sets up a fresh server at BASE (the owner and its org, with $WEFT_TOKEN as the set-up token),
# logs in and prints a new API token of the owner. Args: BASE COOKIE_FILE
weft_owner_token() {
  local base=$1 cookies=$2
  curl -sf -X POST "$base/api/setup" -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@example.com\",\"password\":\"bench password 123\",\"orgName\":\"Bench\",\"setupToken\":\"$WEFT_TOKEN\"}" >/dev/null
  curl -sf -c "$cookies" -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench password 123"}' >/dev/null
  curl -sf -b "$cookies" -H "Origin: $base" -X POST "$base/api/auth/tokens" \
    -H 'Content-Type: application/json' -d '{"name":"bench"}' | jq -r .token
}

# One ab load: ab_load OUT_PREFIX URL REQUESTS CONCURRENCY [extra ab args]. Writes OUT.txt and
# OUT.csv; never fails (the parse reports what happened).
ab_load() {
  local out=$1 url=$2 n=$3 c=$4; shift 4
  printf '%s' "$BENCH_BODY" > "$out.body"
  # Extra args first: ab's -t resets -n to 50,000 when it comes after it.
  ab -r -k "$@" -n "$n" -c "$c" -e "$out.csv" -p "$out.body" -T application/json "$url" > "$out.txt" 2>&1 || true
}

# Prints "complete rps p50_ms p99_ms errors" from ab_load's files: errors are failed requests
# (connect, receive, exceptions; ab's "Length" is a body size that differs from the first
# response's, not a failure) plus non-2xx answers; a run that printed no summary counts all.
ab_parse() {
  local out=$1
  awk -v csv="$out.csv" '
    /^Complete requests:/ { complete = $3 }
    /^Requests per second:/ { rps = $4 }
    /^Failed requests:/ { failed = $3 }
    /^   \(Connect:/ { gsub(/[(),]/, ""); connect = $2; receive = $4; length_ = $6; exceptions = $8 }
    /^Non-2xx responses:/ { non2xx = $3 }
    /^apr_/ { fatal = 1 }
    END {
      while ((getline line < csv) > 0) { split(line, f, ","); if (f[1] == "50") p50 = f[2]; if (f[1] == "99") p99 = f[2] }
      if (failed != "" && connect == "") connect = failed
      errors = connect + receive + exceptions + non2xx
      if (complete == "" || fatal) errors = (errors > 0 ? errors : 1)
      printf "%d %.1f %.2f %.2f %d\n", complete, rps, p50, p99, errors
    }' "$out.txt"
}
