# Thin wrapper over CMake. The two commands a new machine needs: `make run` and `make test`.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
# SANITIZE=ON builds with AddressSanitizer and UndefinedBehaviorSanitizer (used by CI).
SANITIZE ?= OFF
JOBS ?= $(shell nproc)
KITH_PORT ?= 8080
KITH_DATA ?= ./var

.PHONY: deps configure build run test fuzz ha-test crash-test sqlmap soak bench cluster-bench search-db-compare misuse-bench-postgres clean web

deps:
	@scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DKITH_SANITIZE=$(SANITIZE) -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

web: deps
	@npm run --silent build

run: build web
	@KITH_PORT=$(KITH_PORT) KITH_DATA=$(KITH_DATA) $(BUILD_DIR)/kith serve --demo-if-empty

# A browser test file that failed once and passed when run again (tests/e2e/run-suite.sh) is
# listed at the end with its first run's output, so that the flake is seen and chased.
test: build web
	@rm -rf test-artifacts/flaky
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS); status=$$?; cd $(CURDIR); \
	  for f in test-artifacts/flaky/*.log; do \
	    [ -e "$$f" ] || continue; \
	    echo "== FLAKY: $$f failed once (output below, at most 400 lines) and passed when run again =="; \
	    head -n 400 "$$f"; \
	  done; exit $$status

# The libFuzzer targets (tests/fuzz, issue 17), built with clang, ASan and UBSan in a build of
# their own ($(BUILD_DIR)/fuzz): each runs its checked-in corpus, then FUZZ_SECONDS of fuzzing,
# and prints libFuzzer's summary; any crash, leak, timeout or sanitizer report fails. `make test`
# runs the same briefly (CTest's fuzz_* tests). FUZZ_TARGETS picks some (tests/fuzz/targets.cmake).
# api_body runs last, in the ordinary build, through its standalone driver (tests/fuzz/tests.cmake).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
FUZZ_LIBFUZZER = $(filter-out api_body,$(FUZZ_TARGETS))
fuzz: configure
	@JOBS=$(JOBS) tests/fuzz/run-fuzz build $(BUILD_DIR)/fuzz
	@if [ -z "$(FUZZ_TARGETS)" ] || [ -n "$(FUZZ_LIBFUZZER)" ]; then \
	  tests/fuzz/run-fuzz run $(BUILD_DIR)/fuzz $(FUZZ_SECONDS) $(FUZZ_LIBFUZZER); fi
	@if [ -z "$(FUZZ_TARGETS)" ] || [ "$(FUZZ_TARGETS)" != "$(FUZZ_LIBFUZZER)" ]; then \
	  cmake --build $(BUILD_DIR) --target fuzz_api_body_standalone -j $(JOBS) >/dev/null && \
	  $(BUILD_DIR)/tests/fuzz_api_body_standalone tests/fuzz/corpus/api_body $(FUZZ_SECONDS); fi

# The failover test of issue 16 (tests/ha/run-ha-test): a three-member Patroni cluster, two
# nodes under write load, the primary's PostgreSQL and Patroni killed. About 80 s. `make test`
# runs it too (CTest's ha_failover); this target runs it alone.
ha-test: build
	@tests/ha/run-ha-test $(BUILD_DIR)

# The crash-consistency test of issue 17 (tests/functional/crash.test.mjs) at full length: the
# server killed with SIGKILL CRASH_KILLS times under mixed writes on SQLite, then the node killed
# as often on PostgreSQL, then PostgreSQL itself (tests/crash/run-crash-postgres). `make test`
# runs fewer (50, 20 and 15). Each 200 takes about 6 to 20 minutes on a loaded 2-core machine.
CRASH_KILLS ?= 200
crash-test: build
	@KITH_CRASH_KILLS=$(CRASH_KILLS) KITH_BIN=$(BUILD_DIR)/kith-test node --test tests/functional/crash.test.mjs
	@scripts/test-postgres start $(BUILD_DIR)/crash-pg-node >/dev/null && \
	  KITH_CRASH_KILLS=$(CRASH_KILLS) KITH_BIN=$(BUILD_DIR)/kith-test KITH_TEST_BACKEND=postgres \
	  KITH_TEST_POSTGRES="host=$(abspath $(BUILD_DIR))/crash-pg-node/sock port=5432 user=postgres" \
	  node --test tests/functional/crash.test.mjs; status=$$?; \
	  scripts/test-postgres stop $(BUILD_DIR)/crash-pg-node; exit $$status
	@KITH_CRASH_KILLS=$(CRASH_KILLS) tests/crash/run-crash-postgres $(BUILD_DIR)

# sqlmap against every parameterised route of docs/openapi.yaml, signed in, on SQLite and then on
# PostgreSQL (a throwaway cluster), with the test build's injectable route as the positive control
# (tests/sqlmap, docs/security-testing.md): fails unless sqlmap finds the control and nothing
# else. Installs Debian's sqlmap. About 10 minutes a back end; not in `make test`.
sqlmap: build
	@scripts/install-deps sqlmap
	@KITH_BIN=$(BUILD_DIR)/kith-test node tests/sqlmap/run-sqlmap.mjs $(BUILD_DIR)/sqlmap/sqlite; sqlite=$$?; \
	  scripts/test-postgres start $(BUILD_DIR)/sqlmap-pg >/dev/null && \
	  KITH_BIN=$(BUILD_DIR)/kith-test KITH_TEST_BACKEND=postgres \
	  KITH_TEST_POSTGRES="host=$(abspath $(BUILD_DIR))/sqlmap-pg/sock port=5432 user=postgres" \
	  node tests/sqlmap/run-sqlmap.mjs $(BUILD_DIR)/sqlmap/postgres; postgres=$$?; \
	  scripts/test-postgres stop $(BUILD_DIR)/sqlmap-pg; exit $$((sqlite || postgres))

# The soak test (bench/soak.mjs, docs/BENCHMARKS.md "Soak"): the realistic mix at half of the
# measured peak for SOAK_SECONDS against the product binary, on SOAK_BACKEND (sqlite or
# postgres); fails on any error, RSS growth over 10%, growing open files or sockets, or p99 drift.
SOAK_SECONDS ?= 600
SOAK_BACKEND ?= sqlite
soak: build
	@node bench/soak.mjs $(BUILD_DIR) $(SOAK_SECONDS) $(SOAK_BACKEND)

bench: build
	@bench/http_bench.sh $(BUILD_DIR)

# Issue 16, section 4 (docs/BENCHMARKS.md, "PostgreSQL against SQLite"): audited reads and writes
# on SQLite, PostgreSQL with one node and with two, side by side, and the time from a change on
# one node to search on the other. Starts its own PostgreSQL 15 cluster. About 3 minutes; not in
# `make test`. Run it on an otherwise idle machine (its figures are throughput).
cluster-bench: build
	@bench/cluster_bench.sh $(BUILD_DIR)

# The search index built from PostgreSQL against the same from SQLite (CHILDREN, default 1M).
CHILDREN ?= 1000000
search-db-compare: build
	@bench/search_db_compare.sh $(CHILDREN) $(BUILD_DIR)

# The misuse report over AUDIT_RECORDS (default 10M) audit records on PostgreSQL (issue 14).
AUDIT_RECORDS ?= 10000000
misuse-bench-postgres: configure
	@cmake --build $(BUILD_DIR) --target misuse_bench -j $(JOBS)
	@bench/misuse_bench_postgres.sh $(AUDIT_RECORDS) $(BUILD_DIR)

clean:
	@rm -rf $(BUILD_DIR) web/dist
