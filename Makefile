# Weft — the two commands: `make run` (set up, build, start) and `make test` (set up, build, test).
BUILD_DIR ?= build
RELEASE_DIR ?= build-release
JOBS ?= $(shell nproc)
DATA_DIR ?= ./weft-data

.PHONY: run test setup build release bench bench-peers bench-queue soak chaos clean

setup:
	@bash scripts/setup.sh

build: setup
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR) -j $(JOBS)

release: setup
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_TESTS=OFF -DWEFT_BUILD_BENCH=OFF
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target weft

run: release
	$(RELEASE_DIR)/weft serve --data-dir $(DATA_DIR)

# The tests run beside a throwaway PostgreSQL server (scripts/with_postgres.sh), so that every
# store contract test runs on both backends; WEFT_REQUIRE_POSTGRES makes a missing one a failure.
test: build
	scripts/with_postgres.sh env WEFT_REQUIRE_POSTGRES=1 ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

bench: setup
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_TESTS=OFF -DWEFT_BUILD_BENCH=ON
	cmake --build $(RELEASE_DIR) -j $(JOBS)
	$(RELEASE_DIR)/bench/weft_engine_bench
	$(RELEASE_DIR)/bench/weft_sandbox_bench
	$(RELEASE_DIR)/bench/sandbox_ipc_bench
	STEPS=3 bench/hook_bench.sh $(RELEASE_DIR)
	STEPS=10 bench/hook_bench.sh $(RELEASE_DIR)
	python3 bench/ready.py $(RELEASE_DIR)/weft

# Weft against Node-RED on one webhook flow (bench/peers/run.sh; env REQUESTS, ROUNDS, PEERS…).
bench-peers: setup
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_TESTS=OFF -DWEFT_BUILD_BENCH=ON
	cmake --build $(RELEASE_DIR) -j $(JOBS)
	WEFT_BUILD=$(RELEASE_DIR) bench/peers/run.sh

# Webhook load held for SOAK_SECONDS (600): errors, RSS growth and run statuses (bench/soak.sh).
soak: setup
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_TESTS=OFF -DWEFT_BUILD_BENCH=ON
	cmake --build $(RELEASE_DIR) -j $(JOBS)
	WEFT_BUILD=$(RELEASE_DIR) bench/soak.sh

# Queue drain by 1, 2 and 4 worker processes on PostgreSQL, and one on SQLite (bench/queue_bench.sh).
bench-queue: release
	bench/queue_bench.sh $(RELEASE_DIR)/weft $${RUNS:-2000} $${STEPS:-1}

# 1 API + 3 workers on PostgreSQL, 2,000 runs, workers killed and the server restarted (tests/chaos).
chaos: release
	tests/chaos/chaos.sh $(RELEASE_DIR)/weft $${RUNS:-2000} $${KILL_EVERY:-3}

clean:
	rm -rf $(BUILD_DIR) $(RELEASE_DIR)
