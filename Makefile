# Entry points for people and CI. The build itself is CMake's.
BUILD ?= build
JOBS ?= 2
PORT ?= 8080
DB ?= harvest.db

.PHONY: deps build demo test bench format clean

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

demo: build
	$(BUILD)/harvest serve --db $(DB) --demo --listen 127.0.0.1:$(PORT)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

bench: build
	@scripts/install-deps --bench
	bench/run

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp')

clean:
	rm -rf $(BUILD)
