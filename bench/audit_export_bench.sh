#!/usr/bin/env bash
# The auditors' CSV export of the whole authority over N audit records (default 1,000,000), on
# SQLite or PostgreSQL: the time to download it and the server's memory (resident set before the
# export, and its peak during it). The export is streamed a page at a time (issue 14), so the
# peak should not grow with N. KITH_BIN picks the server binary (to compare with an older build).
# PostgreSQL runs in a throwaway cluster (scripts/test-postgres; needs root or the postgres user).
# Usage: bench/audit_export_bench.sh [N] [BUILD_DIR] [sqlite|postgres]
set -euo pipefail
n=${1:-1000000}
build=${2:-build}
backend=${3:-sqlite}
cd "$(dirname "$0")/.."
root=$PWD
kith=${KITH_BIN:-$build/kith}
for bin in "$kith" "$build/bench/audit_fill"; do
  [[ -x $bin ]] || { echo "missing $bin: build it first (cmake --build $build --target kith audit_fill)" >&2; exit 1; }
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 300); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
kib() { awk -v k="$2:" '$1==k {print $2}' "/proc/$1/status"; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server: $kith"
data=$(mktemp -d /tmp/kexp.XXXXXX)  # short: the PostgreSQL socket path must stay under 90 bytes
chmod 755 "$data"
server=
trap 'kill $server 2>/dev/null || true; "$root/scripts/test-postgres" stop "$data/pg" >/dev/null 2>&1 || true; rm -rf "$data"' EXIT
if [[ $backend == postgres ]]; then
  "$root/scripts/test-postgres" start "$data/pg" >/dev/null
  pg="host=$data/pg/sock port=5432"
  psql -X -q -v ON_ERROR_STOP=1 "$pg user=postgres dbname=postgres" -c "CREATE DATABASE kith_bench OWNER kith_owner"
  KITH_DATA=$data KITH_DATABASE_URL="$pg dbname=kith_bench user=kith_owner" "$kith" migrate >/dev/null
  export KITH_DATABASE_URL="$pg dbname=kith_bench user=kith_app"
  store="$pg dbname=kith_bench user=kith_owner"
else
  store="$data/kith.db"
fi
echo "back end: $backend"
KITH_DATA=$data KITH_LOG_LEVEL=warn "$kith" demo >/dev/null
"$build/bench/audit_fill" "$n" "$store"
port=$(free_port)
KITH_DATA=$data KITH_PORT=$port KITH_LOG_LEVEL=warn KITH_WEB_ROOT=/nonexistent \
  "$kith" serve >/dev/null 2>"$data/server.log" & server=$!
wait_for "http://127.0.0.1:$port/healthz"
jar="$data/cookies"
curl -sf -c "$jar" -H 'content-type: application/json' \
  -d '{"username":"auditor.clarke","password":"Northbrook-demo-2026"}' "http://127.0.0.1:$port/api/v1/session" >/dev/null
rss_before=$(kib $server VmRSS)
hwm_before=$(kib $server VmHWM)
echo 5 >"/proc/$server/clear_refs"  # resets VmHWM to the current RSS: the next peak is the export's
result=$(curl -s -b "$jar" -o "$data/export.csv" -D "$data/headers" \
  -w '%{http_code} %{size_download} %{time_total}' "http://127.0.0.1:$port/api/v1/audit/export")
hwm_after=$(kib $server VmHWM)
rss_after=$(kib $server VmRSS)
read -r status bytes seconds <<<"$result"
rows=$(($(wc -l <"$data/export.csv") - 1))
echo "export of $n records: status $status, $rows rows, $((bytes / 1048576)) MiB in $seconds s" \
     "($(grep -i '^transfer-encoding\|^content-length' "$data/headers" | tr -d '\r' | tr '\n' ' '))"
echo "server RSS: $((rss_before / 1024)) MiB before the export (peak since start $((hwm_before / 1024)) MiB)," \
     "peak $((hwm_after / 1024)) MiB during it, $((rss_after / 1024)) MiB after"
