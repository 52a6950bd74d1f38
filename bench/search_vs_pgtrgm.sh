#!/usr/bin/env bash
# Kith's search index against PostgreSQL 15 pg_trgm trigram similarity on names (the approach
# Primero takes to fuzzy name search), on the same synthetic children and the same queries.
#
#   bench/search_vs_pgtrgm.sh [CHILDREN=1000000] [QUERIES=1000]
#
# Needs root (PostgreSQL runs as the postgres user via runuser), the Debian packages
# postgresql-15 and postgresql-contrib (scripts/apt-packages.txt) and a built search_bench
# (BUILD=build-dir, default build-search). Starts a throwaway cluster under a temporary directory
# on a free port with fsync off, and removes it at the end.
#
# Output: each side's median/p99 latency and recall@1/@10, and the first rows of the per-query
# table; the whole table is kept in $OUT (default /tmp/search_vs_pgtrgm.csv):
# query_row,kith_micros,kith_hit_at_10,pg_micros,pg_hit_at_10.
# Kith's latency is measured in-process; PostgreSQL's inside the server (clock_timestamp() around
# each query in PL/pgSQL), so neither includes a client round trip.
set -euo pipefail

N=${1:-1000000}
Q=${2:-1000}
BUILD=${BUILD:-build-search}
OUT=${OUT:-/tmp/search_vs_pgtrgm.csv}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

[[ -x "$BUILD/bench/search_bench" ]] || { echo "build search_bench first (BUILD=$BUILD)" >&2; exit 1; }
[[ -x "$PGBIN/initdb" ]] || { echo "PostgreSQL 15 not found in $PGBIN (apt-get install postgresql-15 postgresql-contrib)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/kith-pgtrgm.XXXXXX)
chmod 755 "$WORK"
PGDATA="$WORK/pg/data"
cleanup() {
  if [[ -f "$PGDATA/postmaster.pid" ]]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== Kith: $N children, $Q queries" >&2
"$BUILD/bench/search_bench" "$N" "$Q" --csv "$WORK" | tee "$WORK/kith.txt"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/pg"
chown postgres "$WORK/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/pg/log" -w start \
  -o "-p $PORT -k $WORK/pg -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB -c work_mem=64MB -c max_parallel_workers_per_gather=0" >/dev/null
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$WORK/pg" -p "$PORT" -U postgres -d postgres)

echo "== PostgreSQL 15 + pg_trgm: loading $N children" >&2
start=$(date +%s.%N)
"${PSQL[@]}" <<SQL
CREATE EXTENSION pg_trgm;
CREATE TABLE children (record_id text PRIMARY KEY, given_name text, family_name text, date_of_birth date,
                       postcode text, nhs_number text, upn text);
\copy children FROM '$WORK/children.csv' CSV HEADER
CREATE INDEX children_given_trgm ON children USING gin (given_name gin_trgm_ops);
CREATE INDEX children_family_trgm ON children USING gin (family_name gin_trgm_ops);
CREATE INDEX children_dob ON children (date_of_birth);
ANALYZE children;
CREATE TABLE queries (query_row int, true_id text, given_name text, family_name text, date_of_birth text);
\copy queries FROM '$WORK/queries.csv' CSV HEADER
SQL
echo "load + index: $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s" >&2

echo "== PostgreSQL: running $Q queries" >&2
"${PSQL[@]}" <<'SQL'
CREATE TABLE pg_results (query_row int, micros double precision, hit10 boolean, hit1 boolean);
-- Trigram similarity (pg_trgm.similarity_threshold 0.3) on given and family name, both
-- GIN-indexed, ranked by the summed similarities plus a bonus for an equal date of birth.
DO $$
DECLARE
  q record;
  t0 timestamptz;
  ids text[];
BEGIN
  FOR q IN SELECT * FROM queries ORDER BY query_row LOOP
    t0 := clock_timestamp();
    SELECT array_agg(record_id) INTO ids FROM (
      SELECT record_id FROM children
      WHERE given_name % q.given_name AND family_name % q.family_name
      ORDER BY similarity(given_name, q.given_name) + similarity(family_name, q.family_name)
               + CASE WHEN date_of_birth = NULLIF(q.date_of_birth, '')::date THEN 1 ELSE 0 END DESC
      LIMIT 10) s;
    INSERT INTO pg_results
      VALUES (q.query_row, extract(epoch FROM clock_timestamp() - t0) * 1e6,
              coalesce(q.true_id = ANY(ids), false), coalesce(ids[1] = q.true_id, false));
  END LOOP;
END $$;
CREATE TABLE kith_results (query_row int, micros double precision, hit10 int);
SQL
"${PSQL[@]}" -c "\copy kith_results FROM '$WORK/kith_latency.csv' CSV HEADER"

echo
echo "== Side by side ($N children, $Q queries; latency in microseconds)"
"${PSQL[@]}" <<'SQL'
\pset footer off
SELECT 'kith' AS engine,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY micros)::numeric) AS median_us,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY micros)::numeric) AS p99_us,
       round(avg(hit10)::numeric, 4) AS recall_at_10
  FROM kith_results
UNION ALL
SELECT 'postgres pg_trgm',
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY micros)::numeric),
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY micros)::numeric),
       round(avg(hit10::int)::numeric, 4)
  FROM pg_results;
SELECT k.query_row, q.given_name, q.family_name, q.date_of_birth,
       round(k.micros::numeric) AS kith_us, k.hit10 AS kith_hit10,
       round(p.micros::numeric) AS pg_us, p.hit10::int AS pg_hit10
  FROM kith_results k JOIN pg_results p USING (query_row) JOIN queries q USING (query_row)
 ORDER BY k.query_row LIMIT 20;
SQL
"${PSQL[@]}" -c "\copy (SELECT k.query_row, k.micros AS kith_micros, k.hit10 AS kith_hit_at_10, round(p.micros::numeric, 1) AS pg_micros, p.hit10::int AS pg_hit_at_10 FROM kith_results k JOIN pg_results p USING (query_row) ORDER BY 1) TO '$OUT' CSV HEADER"
echo "(per-query table: $OUT)"
