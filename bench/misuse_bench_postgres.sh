#!/usr/bin/env bash
# The misuse report over N audit records (default 10,000,000) on PostgreSQL (issue 14: under
# 60 s), as bench/misuse_bench measures it on SQLite: a throwaway PostgreSQL cluster
# (scripts/test-postgres: fsync off, which only speeds up the fill; the report only reads), an
# empty database owned by kith_owner, then build/bench/misuse_bench with its URL (the fill, timed
# apart, then the report twice). /usr/bin/time adds the bench process's peak RSS (PostgreSQL's
# own memory is in its server processes). Needs root or the postgres user (initdb) and about
# 1 GB of disk per million records. Not part of `make test`: `make misuse-bench-postgres`.
#
#   bench/misuse_bench_postgres.sh [N=10000000] [BUILD_DIR=build]
set -euo pipefail
n=${1:-10000000}
build=${2:-build}
cd "$(dirname "$0")/.."
root=$PWD
bench=$build/bench/misuse_bench
[[ -x $bench ]] || { echo "missing $bench: cmake --build $build --target misuse_bench" >&2; exit 1; }

work=$(mktemp -d /tmp/kmis.XXXXXX)  # short: the PostgreSQL socket path must stay under 90 bytes
chmod 755 "$work"
trap '"$root/scripts/test-postgres" stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$root/scripts/test-postgres" start "$work/pg" >/dev/null
pgadmin="host=$work/pg/sock port=5432 user=postgres"
psql -X -q -v ON_ERROR_STOP=1 "$pgadmin dbname=postgres" -c "CREATE DATABASE kith_bench OWNER kith_owner"
url="host=$work/pg/sock port=5432 dbname=kith_bench user=kith_owner"

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/Model name: *//p'), $(uname -r); $(date -u '+%F %T UTC')"
echo "PostgreSQL: $(psql -X -At "$pgadmin dbname=postgres" -c "select version()" | cut -d' ' -f1-2)," \
  "shared_buffers $(psql -X -At "$pgadmin dbname=postgres" -c 'show shared_buffers'); $n audit records;" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "peak RSS %M KiB, %e s wall for the whole process" "$bench" "$n" "$url"
echo "database size: $(psql -X -At "$pgadmin dbname=kith_bench" -c "select pg_size_pretty(pg_database_size('kith_bench'))");" \
  "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
