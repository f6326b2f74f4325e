# Thin wrapper over CMake for people's habits. `make demo` and `make test` each install
# what they need first (deploy/install-deps.sh runs apt-get), then build.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build demo test bench soak fuzz asan clean deb container-test

all: build

deps:
	sh deploy/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	rm -rf $(BUILD)/demo-data
	$(BUILD)/bin/crossclaim run --data $(BUILD)/demo-data samples/

# The suite twice: the release build, then the same tests built with ASan and UBSan
# (leak checking on, UBSan halting on the first error; fuzz_smoke only in the first pass,
# it makes its own sanitizer build). Any sanitizer report from any process fails it.
test: build
	cd $(BUILD) && ctest --output-on-failure -j 1
	$(MAKE) --no-print-directory asan

asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCC_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j 1

bench: build
	sh bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

# The long soak: 10,000 articles streamed in while workers and the store are killed with
# kill -9 at random; prints the figures (submitted, acknowledged, in store, dead, lost...).
SOAK_ARTICLES ?= 10000
SOAK_RATE     ?= 150
soak: build
	CC_BIN_DIR=$(CURDIR)/$(BUILD)/bin CC_SOURCE_DIR=$(CURDIR) \
	  CC_SOAK_ARTICLES=$(SOAK_ARTICLES) CC_SOAK_RATE=$(SOAK_RATE) \
	  $(BUILD)/tests/test_faults --filter 'faults/soak*' --verbose

# Long fuzz runs of every harness: make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 600
fuzz: build
	CC_SOURCE_DIR=$(CURDIR) CC_BIN_DIR=$(CURDIR)/$(BUILD)/bin FUZZ_SECONDS=$(FUZZ_SECONDS) \
	  sh tests/fuzz_smoke.sh

# The Debian package (CPack): build/crossclaim_VERSION_ARCH.deb.
deb: build
	cd $(BUILD) && cpack -G DEB

# Builds the container image (deploy/Dockerfile) with podman, FROM a base made offline with
# mmdebstrap when there is none, and runs the three daemons from it (tests/test_container.sh).
# Slow, so `make test` only lists it as skipped. Needs no host build; installs podman and
# mmdebstrap (install-deps.sh --container), which CI's `make test` never pulls.
container-test:
	sh deploy/install-deps.sh --container
	CC_CONTAINER_TEST=1 CC_SOURCE_DIR=$(CURDIR) sh tests/test_container.sh
