#!/usr/bin/env bash
# Audited reads of a child's account over HTTP, against a bare Beast hello-world on the same
# machine, both driven by wrk with the same connections and duration.
# Usage: bench/http_bench.sh [BUILD_DIR] [CONNECTIONS] [SECONDS]
set -euo pipefail
build=${1:-build}
conns=${2:-256}
secs=${3:-20}
cd "$(dirname "$0")/.."
for bin in "$build/kith" "$build/bench/hello_world"; do
  [[ -x $bin ]] || { echo "missing $bin: run 'make build' first" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is missing: run 'make deps'" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 100); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
summary() {  # prints "requests/s p50 p99" from wrk --latency output
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print rps, p50, p99}'
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/Model name: *//p'), $(uname -r)"
echo "wrk -t2 -c$conns -d${secs}s --latency"

port=$(free_port)
"$build/bench/hello_world" "$port" "$(nproc)" & hw=$!
trap 'kill $hw 2>/dev/null || true' EXIT
wait_for "http://127.0.0.1:$port/"
hello=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port/" | tee /tmp/kith-bench-hello.txt | summary)
kill $hw; wait $hw 2>/dev/null || true

data=$(mktemp -d)
port=$(free_port)
KITH_DATA=$data KITH_PORT=$port KITH_LOG_LEVEL=warn KITH_WEB_ROOT=/nonexistent \
  "$build/kith" serve --demo-if-empty >/dev/null 2>"$data/server.log" & kith=$!
trap 'kill $kith 2>/dev/null || true; rm -rf "$data"' EXIT
wait_for "http://127.0.0.1:$port/healthz"
jar="$data/cookies"
curl -sf -c "$jar" -H 'content-type: application/json' \
  -d '{"username":"sw.hughes","password":"Northbrook-demo-2026"}' "http://127.0.0.1:$port/api/v1/session" >/dev/null
cookie=$(awk '$6=="kith_session" {print $7}' "$jar")
child=$(curl -sf -b "$jar" "http://127.0.0.1:$port/api/v1/me/children" | python3 -c 'import json,sys; print(json.load(sys.stdin)["children"][0]["child_id"])')
before=$(sqlite3 "$data/kith.db" 'select count(*) from audit_log' 2>/dev/null || echo 0)
account=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: kith_session=$cookie" \
  "http://127.0.0.1:$port/api/v1/children/$child" | tee /tmp/kith-bench-account.txt | summary)
non2xx=$(awk '/Non-2xx/ {print $4}' /tmp/kith-bench-account.txt)
batches=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^kith_db_write_batches_total/ {print $2}')
jobs=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^kith_db_write_jobs_total/ {print $2}')
kill -TERM $kith; wait $kith || true
after=$(sqlite3 "$data/kith.db" 'select count(*) from audit_log' 2>/dev/null || echo 0)
verify=$(KITH_DATA=$data "$build/kith" audit verify | head -1)

read -r hrps hp50 hp99 <<<"$hello"
read -r arps ap50 ap99 <<<"$account"
echo
printf '%-34s %12s %10s %10s\n' "" "requests/s" "p50" "p99"
printf '%-34s %12s %10s %10s\n' "Beast hello-world" "$hrps" "$hp50" "$hp99"
printf '%-34s %12s %10s %10s\n' "Kith GET child account (audited)" "$arps" "$ap50" "$ap99"
python3 -c "print('ratio: %.2f of hello-world' % ($arps / $hrps))"
echo "non-2xx responses: ${non2xx:-0}"
echo "audit records written during the run: $((after - before)); group commits: $batches for $jobs writes"
echo "$verify"
