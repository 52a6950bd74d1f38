#!/usr/bin/env bash
# Issue 16, section 4: the search index built from PostgreSQL against the same built from SQLite,
# at the same number of children, side by side in one run.
#
#   bench/search_db_compare.sh [CHILDREN=1000000] [BUILD_DIR=build] [COPIES=1]
#
# Starts a throwaway PostgreSQL 15 cluster (scripts/test-postgres: fsync off, which only speeds
# up the fill; the build only reads), makes an empty database owned by kith_owner and an empty
# SQLite file, and runs build/bench/search_db_bench four times: SQLite, PostgreSQL (each filling
# its empty database with the same CHILDREN synthetic children first, timed apart), then SQLite
# and PostgreSQL again (the build alone, both databases warm in the OS cache). Each run prints the
# build's wall and CPU seconds (CPU of the Kith process only: PostgreSQL's own work is in its
# server processes) and bytes per child held; /usr/bin/time adds the peak RSS. Needs root or the
# postgres user (initdb) and about 1 GB of disk per million children on each back end.
#
# With COPIES > 1 (at most 16), both databases then get COPIES-1 more copies of every child row
# by one INSERT ... SELECT each, in id order (ids "K" + k + the original's last 15 hex digits; in
# the order of a plain cross join the inserts land all over the primary key's B-tree: at 1M x 12 the
# SQLite copy had written 2.8 GB of WAL after 7 minutes and was stopped; names, dates and
# postcodes repeated), and both are built again at CHILDREN * COPIES: a quicker way to 12 million
# rows than generating 12 million distinct children (about 20 minutes a back end on an idle
# machine), at the cost of a population in which every child has COPIES-1 namesakes with the same
# date of birth and postcode. The lists (carers, services) are not copied; the build reads none.
set -euo pipefail
n=${1:-1000000}
build=${2:-build}
copies=${3:-1}
((copies >= 1 && copies <= 16)) || { echo "COPIES must be 1 to 16" >&2; exit 2; }
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
if ((copies > 1)); then
  total=$((n * copies))
  echo "== copying every child row $((copies - 1)) more times: $total rows on each back end (set-up)"
  cols=$(sqlite3 "$work/kith.db" "select group_concat(name, ', ') from pragma_table_info('children') where name <> 'id'")
  start=$(date +%s.%N)
  sqlite3 "$work/kith.db" "WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM c WHERE k < $((copies - 1)))
    INSERT INTO children (id, $cols) SELECT 'K' || printf('%X', k) || substr(id, 3), $cols
    FROM c CROSS JOIN children ORDER BY k, id"
  echo "SQLite: $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
  cols=$(psql -X -At "$url" -c "select string_agg(column_name, ', ' order by ordinal_position)
    from information_schema.columns where table_schema = 'kith' and table_name = 'children' and column_name <> 'id'")
  start=$(date +%s.%N)
  psql -X -q -v ON_ERROR_STOP=1 "$url options='-c search_path=kith'" -c "INSERT INTO children (id, $cols)
    SELECT 'K' || upper(to_hex(k)) || substr(id, 3), $cols FROM generate_series(1, $((copies - 1))) k, children
    ORDER BY k, id" \
    -c "VACUUM ANALYZE children"
  echo "PostgreSQL (with VACUUM ANALYZE): $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
  n=$total
  run "SQLite: build" "$work/kith.db"
  run "PostgreSQL: build" "$url"
  run "SQLite: build" "$work/kith.db"
  run "PostgreSQL: build" "$url"
fi
echo "== sizes: SQLite $(du -h "$work/kith.db" | cut -f1), PostgreSQL" \
  "$(psql -X -At "$pgadmin dbname=kith_bench" -c "select pg_size_pretty(pg_database_size('kith_bench'))")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%F %T UTC')"
