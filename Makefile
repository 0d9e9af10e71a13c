# Entry points for people and CI. The build itself is CMake's.
BUILD ?= build
JOBS ?= 2
PORT ?= 8080
DB ?= harvest.db
FARMERS ?= 170000
# The sanitized build make test also runs, and the libFuzzer build of make fuzz.
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= http_request query_string csv_reader sms_command gateway_form json_body
# A sanitizer report fails the process that printed it (e2e also looks for it on stderr).
SANITIZER_ENV = ASAN_OPTIONS=exitcode=86:detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: deps build demo test bench soak fuzz format clean

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
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
		-DHARVEST_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && $(SANITIZER_ENV) ctest --output-on-failure -j$(JOBS)

bench: build
	@scripts/install-deps --bench
	bench/run

# SOAK_SECONDS (default 600) of mixed load; figures in bench/RESULTS.md (not part of test or bench).
soak: build
	@scripts/install-deps --bench
	bench/soak

fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHARVEST_FUZZ=ON \
		-DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS)
	@fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
