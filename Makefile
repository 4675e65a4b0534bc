# Thin façade over CMake/CTest. `make demo` and `make test` are the README's two commands.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build demo test clean

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

clean:
	rm -rf $(BUILD)
