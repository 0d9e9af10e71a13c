# Entry points for people and CI. The build itself is CMake's.
BUILD ?= build
JOBS ?= 2
PORT ?= 8080
DB ?= harvest.db
FARMERS ?= 170000

.PHONY: deps build demo test bench soak format clean

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# Checks the port before anything else (a busy port is found in a second, not after the build
# and the demo data), then builds the server alone: the unit tests are not needed to serve.
demo:
	@if bash -c 'exec 3<>/dev/tcp/127.0.0.1/$(PORT)' 2>/dev/null; then \
	  echo "make demo: port $(PORT) on 127.0.0.1 is already in use (a demo already running?);" \
	       "choose another with: make demo PORT=$$(( $(PORT) + 1 ))" >&2; \
	  exit 1; \
	fi
	@scripts/install-deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j$(JOBS) --target harvest
	$(BUILD)/harvest serve --db $(DB) --demo --farmers $(FARMERS) --listen 127.0.0.1:$(PORT)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

bench: build
	@scripts/install-deps --bench
	bench/run

# SOAK_SECONDS (default 600) of mixed load; figures in bench/RESULTS.md (not part of test or bench).
soak: build
	@scripts/install-deps --bench
	bench/soak

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp')

clean:
	rm -rf $(BUILD)
