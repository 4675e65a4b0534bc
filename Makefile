# Thin façade over CMake/CTest. `make demo` and `make test` are the README's two commands.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build demo test clean fuzz fuzz-long sanitize

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

test: build
	cd $(BUILD) && ctest --no-tests=error --output-on-failure -j $(JOBS) --timeout 900

# Not part of `make test` (docs/validation.md): libFuzzer targets with ASan+UBSan (clang), each on
# its seed corpus plus a few seconds; `make fuzz-long FUZZ_SECONDS=3600` runs each for long.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
fuzz: deps
	CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DRCSIM_FUZZ=ON \
	  -DRCSIM_WITH_TORCH=OFF -DRCSIM_WITH_VERILATOR=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_all
	cd $(FUZZ_BUILD) && ctest -L fuzz --output-on-failure -j $(JOBS)

fuzz-long: fuzz
	bash tests/fuzz/run_long.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (gcc; no libtorch: the
# trainer's tests need an instrumented libtorch).
ASAN_BUILD ?= build-asan
sanitize: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DRCSIM_SANITIZE=address,undefined \
	  -DRCSIM_WITH_TORCH=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=0 ctest --no-tests=error --output-on-failure -j $(JOBS) --timeout 1800

clean:
	rm -rf $(BUILD)
