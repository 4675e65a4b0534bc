# Thin façade over CMake/CTest. `make demo` and `make test` are the README's two commands.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build demo test test-fuzz-smoke clean fuzz fuzz-long fuzz-coverage sanitize test-sanitize

deps:
	bash .ci/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

# The main job: every width of the incrementally trained LeNet on the default accelerator —
# accuracy (int8, MNIST test split), cycles, latency, energy per inference and the saving.
demo: build
	$(BUILD)/sim/cli/rcsim info --net mnist_lenet
	$(BUILD)/sim/cli/rcsim report --net mnist_lenet --dataset mnist --out $(BUILD)/demo

# The whole suite, then the sanitizer + fuzz subset (docs/validation.md, "What CI runs"): the 11
# libFuzzer targets built with clang and ASan+UBSan, each run on its seed corpus plus
# FUZZ_SMOKE_SECONDS of fuzzing.
test: build
	cd $(BUILD) && ctest --no-tests=error --output-on-failure -j $(JOBS) --timeout 900
	$(MAKE) test-fuzz-smoke

FUZZ_BUILD ?= build-fuzz
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_CONFIGURE = CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DRCSIM_FUZZ=ON -DRCSIM_WITH_TORCH=OFF -DRCSIM_WITH_VERILATOR=OFF -DRCSIM_WITH_PYTHON=OFF
test-fuzz-smoke:
	$(FUZZ_CONFIGURE) -DRCSIM_FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_all
	cd $(FUZZ_BUILD) && ctest -L fuzz --no-tests=error --output-on-failure -j $(JOBS)

# Long runs: every target to FUZZ_RUNS executions (or FUZZ_SECONDS each, 0 = no limit), one after
# the other on one core; prints the table of docs/validation.md.
FUZZ_RUNS ?= 1000000
FUZZ_SECONDS ?= 0
fuzz: deps test-fuzz-smoke
fuzz-long: fuzz
	bash tests/fuzz/run_long.sh $(FUZZ_BUILD) $(FUZZ_RUNS) $(FUZZ_SECONDS)

# Edge coverage of each target's reader files over its seeds + the corpus fuzz-long grew.
fuzz-coverage:
	bash tests/fuzz/coverage.sh $(FUZZ_BUILD)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (gcc; no libtorch: the
# trainer's tests need an instrumented libtorch; the Verilated models are not instrumented,
# rtl/CMakeLists.txt says why). docs/validation.md, "Sanitizer build", has the last run.
ASAN_BUILD ?= build-asan
sanitize test-sanitize: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DRCSIM_SANITIZE=address,undefined \
	  -DRCSIM_WITH_TORCH=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=0 ctest --no-tests=error --output-on-failure -j $(JOBS) --timeout 1800

clean:
	rm -rf $(BUILD)
