# Thin wrapper over CMake. The two commands a new machine needs: `make run` and `make test`.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
# SANITIZE=ON builds with AddressSanitizer and UndefinedBehaviorSanitizer (used by CI).
SANITIZE ?= OFF
JOBS ?= $(shell nproc)
KITH_PORT ?= 8080
KITH_DATA ?= ./var

.PHONY: deps configure build run test ha-test bench clean web

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

test: build web
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The failover test of issue 16 (tests/ha/run-ha-test): a three-member Patroni cluster, two
# nodes under write load, the primary's PostgreSQL and Patroni killed. About 80 s. `make test`
# runs it too (CTest's ha_failover); this target runs it alone.
ha-test: build
	@tests/ha/run-ha-test $(BUILD_DIR)

bench: build
	@bench/http_bench.sh $(BUILD_DIR)

clean:
	@rm -rf $(BUILD_DIR) web/dist
