#!/usr/bin/env bash
# Issue 16, section 4: Kith on PostgreSQL against Kith on SQLite, side by side in one run.
#
#   bench/cluster_bench.sh [BUILD_DIR=build] [CONNECTIONS=256] [SECONDS=20] [CHANGES=100]
#   (make cluster-bench)
#
# Starts its own throwaway PostgreSQL 15 cluster (scripts/test-postgres, then fsync and
# full_page_writes switched back on so that a PostgreSQL commit is as durable as SQLite's
# synchronous=FULL one), and measures with wrk, as bench/http_bench.sh and
# bench/idempotency_bench.sh do:
#   reads:  GET /api/v1/children/{Leo Carter} as his lead professional (authenticated, read in one
#           snapshot, access decided, one durable audit record before the answer);
#   writes: POST /api/v1/children as sw.okafor (a new child and its audit record, durable);
# on three set-ups, in this order: SQLite, one node; PostgreSQL, one node; PostgreSQL, two
# nodes with the load split across both (two wrk processes, -t1 and half the connections each, so
# the client side is the same as `wrk -t2 -cCONNECTIONS`). Each server gets the demo data
# (`kith serve --demo-if-empty`; on PostgreSQL the schema is made first by `kith migrate` as the
# owner role, and the servers connect as kith_app, as README's operations section says).
# Then, with both PostgreSQL nodes idle, CHANGES changes on node one, each timed until search on
# node two finds it (bench/change_to_search.mjs). Last, `kith audit verify` on both databases.
#
# Prints requests/s, p50 and p99 for each, the ratios to SQLite, and the load average before and
# after each wrk run (the machine's other work inflates every figure; the ratios are the measure).
# The servers' own logs (level warn) are kept in $LOGS (default /tmp/kith-cluster-bench-logs).
# Needs root or the postgres user (initdb), wrk, node, and a built `kith` (make build).
set -euo pipefail
build=${1:-build}
conns=${2:-256}
secs=${3:-20}
changes=${4:-100}
cd "$(dirname "$0")/.."
root=$PWD
[[ -x $build/kith ]] || { echo "missing $build/kith: run 'make build' first" >&2; exit 1; }
for tool in wrk node psql; do
  command -v $tool >/dev/null || { echo "$tool is missing: run 'make deps'" >&2; exit 1; }
done
kith=$(realpath "$build/kith")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 300); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
summary() { awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {print rps, p50, p99, bad+0}'; }
load() { cut -d' ' -f1 /proc/loadavg; }

work=$(mktemp -d /tmp/kcb.XXXXXX)  # short: the PostgreSQL socket path must stay under 90 bytes
chmod 755 "$work"
pids=()
logs=${LOGS:-/tmp/kith-cluster-bench-logs}  # the servers' logs (level warn) are kept here
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$logs" && mkdir -p "$logs" && cp "$work"/*.log "$logs"/ 2>/dev/null || true
  "$root/scripts/test-postgres" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/Model name: *//p'), $(uname -r); $(date -u '+%F %T UTC')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t2 -c$conns -d${secs}s --latency (two nodes: two wrk -t1 -c$((conns / 2)) at once)"

# --- PostgreSQL 15, durable commits ------------------------------------------------------------
"$root/scripts/test-postgres" start "$work/pg" >/dev/null
pgadmin="host=$work/pg/sock port=5432 user=postgres"
psql -X -q -v ON_ERROR_STOP=1 "$pgadmin dbname=postgres" <<'SQL'
ALTER SYSTEM SET fsync = on;
ALTER SYSTEM SET full_page_writes = on;
SELECT pg_reload_conf() \gset
CREATE DATABASE kith_bench OWNER kith_owner;
SQL
echo "PostgreSQL: $(psql -X -At "$pgadmin dbname=postgres" -c "select version()" | cut -d' ' -f1-2)," \
  "fsync=$(psql -X -At "$pgadmin dbname=postgres" -c 'show fsync'), synchronous_commit=$(psql -X -At "$pgadmin dbname=postgres" -c 'show synchronous_commit')"
pg_url="host=$work/pg/sock port=5432 dbname=kith_bench user=kith_app"
KITH_DATA=$work KITH_DATABASE_URL="host=$work/pg/sock port=5432 dbname=kith_bench user=kith_owner" \
  "$kith" migrate >/dev/null

# start_node NAME PORT DATA [DATABASE_URL] [--demo-if-empty]: a `kith serve` in the background.
# The PostgreSQL nodes share one data directory: one audit signing key and one checkpoint
# directory, as README's operations section asks of servers sharing a database.
start_node() {
  local name=$1 port=$2 data=$work/$3 url=${4:-} demo=${5:-}
  mkdir -p "$data"
  local env=(KITH_DATA="$data" KITH_PORT="$port" KITH_LOG_LEVEL=warn KITH_WEB_ROOT=/nonexistent)
  [[ -n $url ]] && env+=(KITH_DATABASE_URL="$url")
  env -u KITH_DATABASE_URL "${env[@]}" "$kith" serve $demo >/dev/null 2>"$work/$name.log" &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/healthz" || { cat "$work/$name.log" >&2; exit 1; }
}
stop_nodes() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
# session PORT USERNAME: prints "cookie csrf"
session() {
  local jar=$work/jar.$2
  local csrf
  csrf=$(curl -sf -c "$jar" -H 'content-type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"Northbrook-demo-2026\"}" "http://127.0.0.1:$1/api/v1/session" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  echo "$(awk '$6=="kith_session" {print $7}' "$jar") $csrf"
}

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"given_names":"Bench","family_name":"Cluster","date_of_birth":"2019-05-01","reason":"Benchmark of audited writes"}'
LUA

declare -A rps p50 p99 bad before during
# measure KEY KIND PORT... : wrk against each port at once (connections split evenly), records the
# summed requests/s, the highest p50 and p99 of the ports, and non-2xx responses.
measure() {
  local key=$1 kind=$2
  shift 2
  local n=$# i=0 threads=2 c=$conns
  ((n > 1)) && threads=1 && c=$((conns / n))
  before[$key]=$(load)
  local wpids=()
  for port in "$@"; do
    i=$((i + 1))
    if [[ $kind == read ]]; then
      wrk -t$threads -c$c -d"${secs}s" --latency -H "Cookie: kith_session=$reader_cookie" \
        "http://127.0.0.1:$port/api/v1/children/$leo" >"$work/$key.$i.txt" &
    else
      wrk -t$threads -c$c -d"${secs}s" --latency -s "$work/post.lua" -H "Cookie: kith_session=$writer_cookie" \
        -H "X-CSRF-Token: $writer_csrf" -H 'Content-Type: application/json' \
        "http://127.0.0.1:$port/api/v1/children" >"$work/$key.$i.txt" &
    fi
    wpids+=($!)
  done
  for p in "${wpids[@]}"; do wait "$p"; done
  during[$key]=$(load)
  read -r rps[$key] p50[$key] p99[$key] bad[$key] < <(
    for f in "$work/$key".*.txt; do summary <"$f"; done | python3 -c '
import sys
def ms(s):  # wrk prints 850.00us, 12.34ms, 1.20s
    for unit, f in (("us", 1e-3), ("ms", 1.0), ("s", 1e3)):
        if s.endswith(unit): return float(s[:-len(unit)]) * f
rows = [l.split() for l in sys.stdin if l.strip()]
print("%.0f %.2f %.2f %d" % (sum(float(r[0]) for r in rows), max(ms(r[1]) for r in rows),
                             max(ms(r[2]) for r in rows), sum(int(r[3]) for r in rows)))')
  echo "  $key: ${rps[$key]} requests/s, p50 ${p50[$key]} ms, p99 ${p99[$key]} ms, non-2xx ${bad[$key]}" \
    "(load average ${before[$key]} before, ${during[$key]} at the end)"
}
# prepare PORT: the demo's reader (sw.hughes, Leo Carter's lead professional) and writer (sw.okafor)
prepare() {
  read -r reader_cookie _ < <(session "$1" sw.hughes)
  read -r writer_cookie writer_csrf < <(session "$1" sw.okafor)
  leo=$(curl -sf -b "kith_session=$reader_cookie" "http://127.0.0.1:$1/api/v1/me/children" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["children"][0]["child_id"])')
}

echo "== SQLite, one node"
p1=$(free_port)
start_node sqlite "$p1" sqlite "" --demo-if-empty
prepare "$p1"
measure sqlite_read read "$p1"
measure sqlite_write write "$p1"
stop_nodes
sqlite_verify=$(env -u KITH_DATABASE_URL KITH_DATA="$work/sqlite" "$kith" audit verify 2>&1 | grep -v '^kith: trusting\|^  chain' |
  head -3 || true)

echo "== PostgreSQL, one node"
p1=$(free_port)
start_node pg1 "$p1" pg-data "$pg_url" --demo-if-empty
prepare "$p1"
measure pg1_read read "$p1"
measure pg1_write write "$p1"

echo "== PostgreSQL, two nodes"
p2=$(free_port)
start_node pg2 "$p2" pg-data "$pg_url"
measure pg2_read read "$p1" "$p2"
measure pg2_write write "$p1" "$p2"

echo "== PostgreSQL: a change on node one until search on node two finds it ($changes changes)"
sleep 2  # let the write runs' tail drain from the change feeds
echo "  load before: $(load)"
node "$root/bench/change_to_search.mjs" "http://127.0.0.1:$p1" "http://127.0.0.1:$p2" "$changes" | sed 's/^/  /'
echo "  load after: $(load)"
stop_nodes
pg_verify=$(KITH_DATA=$work/pg-data KITH_DATABASE_URL=$pg_url "$kith" audit verify 2>&1 | grep -v '^kith: trusting\|^  chain' |
  head -3 || true)

echo
printf '%-40s %12s %10s %10s %8s %9s\n' "" "requests/s" "p50 ms" "p99 ms" "non-2xx" "vs SQLite"
row() {
  printf '%-40s %12s %10s %10s %8s %9s\n' "$1" "${rps[$2]}" "${p50[$2]}" "${p99[$2]}" "${bad[$2]}" \
    "$(python3 -c "print('%.2f' % (${rps[$2]} / ${rps[$3]}))")"
}
row "audited read, SQLite, one node" sqlite_read sqlite_read
row "audited read, PostgreSQL, one node" pg1_read sqlite_read
row "audited read, PostgreSQL, two nodes" pg2_read sqlite_read
row "audited write, SQLite, one node" sqlite_write sqlite_write
row "audited write, PostgreSQL, one node" pg1_write sqlite_write
row "audited write, PostgreSQL, two nodes" pg2_write sqlite_write
python3 -c "print('write p99, PostgreSQL / SQLite: one node %.2f, two nodes %.2f' % (${p99[pg1_write]} / ${p99[sqlite_write]}, ${p99[pg2_write]} / ${p99[sqlite_write]}))"
echo "audit verify, SQLite: $sqlite_verify"
echo "audit verify, PostgreSQL: $pg_verify"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%F %T UTC')"
