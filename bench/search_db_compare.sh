#!/usr/bin/env bash
# Issue 16, section 4: the search index built from PostgreSQL against the same built from SQLite,
# at the same number of children, side by side in one run.
#
#   bench/search_db_compare.sh [CHILDREN=1000000] [BUILD_DIR=build]
#
# Starts a throwaway PostgreSQL 15 cluster (scripts/test-postgres: fsync off, which only speeds
# up the fill; the build only reads), makes an empty database owned by kith_owner and an empty
# SQLite file, and runs build/bench/search_db_bench four times: SQLite, PostgreSQL (each filling
# its empty database with the same CHILDREN synthetic children first, timed apart), then SQLite
# and PostgreSQL again (the build alone, both databases warm in the OS cache). Each run prints the
# build's wall and CPU seconds (CPU of the Kith process only: PostgreSQL's own work is in its
# server processes) and bytes per child held; /usr/bin/time adds the peak RSS. Needs root or the
# postgres user (initdb) and about 1 GB of disk per million children on each back end.
set -euo pipefail
n=${1:-1000000}
build=${2:-build}
cd "$(dirname "$0")/.."
root=$PWD
bench=$build/bench/search_db_bench
[[ -x $bench ]] || { echo "missing $bench: cmake --build $build --target search_db_bench" >&2; exit 1; }

work=$(mktemp -d /tmp/ksdb.XXXXXX)  # short: the PostgreSQL socket path must stay under 90 bytes
chmod 755 "$work"
trap '"$root/scripts/test-postgres" stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$root/scripts/test-postgres" start "$work/pg" >/dev/null
pgadmin="host=$work/pg/sock port=5432 user=postgres"
psql -X -q -v ON_ERROR_STOP=1 "$pgadmin dbname=postgres" -c "CREATE DATABASE kith_bench OWNER kith_owner"
url="host=$work/pg/sock port=5432 dbname=kith_bench user=kith_owner"

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/Model name: *//p'), $(uname -r); $(date -u '+%F %T UTC')"
echo "PostgreSQL: $(psql -X -At "$pgadmin dbname=postgres" -c "select version()" | cut -d' ' -f1-2)," \
  "shared_buffers $(psql -X -At "$pgadmin dbname=postgres" -c 'show shared_buffers'); $n children"
run() {
  echo "== $1 (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  /usr/bin/time -f "peak RSS %M KiB, %e s wall for the whole process" "$bench" "$n" "$2" 2>&1 | tr '\r' '\n' |
    grep -v '^\(fill\|build\): [0-9]' || true
}
run "SQLite: fill, then build" "$work/kith.db"
run "PostgreSQL: fill, then build" "$url"
run "SQLite: build" "$work/kith.db"
run "PostgreSQL: build" "$url"
echo "== sizes: SQLite $(du -h "$work/kith.db" | cut -f1), PostgreSQL" \
  "$(psql -X -At "$pgadmin dbname=kith_bench" -c "select pg_size_pretty(pg_database_size('kith_bench'))")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%F %T UTC')"
