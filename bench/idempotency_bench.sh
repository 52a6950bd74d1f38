#!/usr/bin/env bash
# The cost of Idempotency-Key on writes: wrk POSTs new children (an audited write each) with no
# key, then with a fresh key per request, against one server; reports requests/s, p50 and p99
# and checks every keyed write left exactly one completed key.
# Usage: bench/idempotency_bench.sh [BUILD_DIR] [CONNECTIONS] [SECONDS]
set -euo pipefail
build=${1:-build}
conns=${2:-64}
secs=${3:-10}
cd "$(dirname "$0")/.."
[[ -x $build/kith ]] || { echo "missing $build/kith: run 'make build' first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: run 'make deps'" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 100); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
summary() { awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print rps, p50, p99}'; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/Model name: *//p'), $(uname -r); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t2 -c$conns -d${secs}s --latency, POST /api/v1/children"

data=$(mktemp -d)
port=$(free_port)
KITH_DATA=$data KITH_PORT=$port KITH_LOG_LEVEL=warn KITH_WEB_ROOT=/nonexistent \
  "$build/kith" serve --demo-if-empty >/dev/null 2>"$data/server.log" & kith=$!
trap 'kill $kith 2>/dev/null || true; rm -rf "$data"' EXIT
wait_for "http://127.0.0.1:$port/healthz"
jar="$data/cookies"
csrf=$(curl -sf -c "$jar" -H 'content-type: application/json' \
  -d '{"username":"sw.okafor","password":"Northbrook-demo-2026"}' "http://127.0.0.1:$port/api/v1/session" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
cookie=$(awk '$6=="kith_session" {print $7}' "$jar")

# Each wrk thread numbers its own requests; keys are "<run>-<thread>-<n>", unique per run.
cat >"$data/post.lua" <<'LUA'
-- `id` is set per thread by setup (a global of the thread's own Lua state).
local counter = 0
local keyed = os.getenv("KEYED") == "1"
function setup(thread) thread:set("id", math.random(1, 1e9)) end
wrk.method = "POST"
wrk.body = '{"given_names":"Bench","family_name":"Idempotency","date_of_birth":"2019-05-01","reason":"Benchmark of idempotency keys"}'
function request()
  counter = counter + 1
  if keyed then wrk.headers["Idempotency-Key"] = string.format("%s-%s-%d", os.getenv("RUN"), tostring(id), counter) end
  return wrk.format()
end
LUA
run() {
  KEYED=$1 RUN=$2 wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$data/post.lua" \
    -H "Cookie: kith_session=$cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$port/api/v1/children" | tee "/tmp/kith-bench-idem-$2.txt" | summary
}
plain=$(run 0 plain)
keyed=$(run 1 keyed)
kill -TERM $kith; wait $kith || true
for r in plain keyed; do
  n=$(awk '/Non-2xx/ {print $NF}' "/tmp/kith-bench-idem-$r.txt"); echo "non-2xx responses ($r): ${n:-0}"
done
echo "keys stored: $(sqlite3 "$data/kith.db" 'select count(*) from idempotency_keys where status = 201'), in progress: $(sqlite3 "$data/kith.db" 'select count(*) from idempotency_keys where status is null')"
read -r prps pp50 pp99 <<<"$plain"
read -r krps kp50 kp99 <<<"$keyed"
printf '%-34s %12s %10s %10s\n' "" "requests/s" "p50" "p99"
printf '%-34s %12s %10s %10s\n' "POST child, no key" "$prps" "$pp50" "$pp99"
printf '%-34s %12s %10s %10s\n' "POST child, fresh key each" "$krps" "$kp50" "$kp99"
python3 -c "print('keyed / plain: %.2f' % ($krps / $prps))"
