# hotpath — latency lab for trading hot paths. `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON      ?= python3.11
VENV        := .venv
PY          := $(VENV)/bin/python
HOTPATH     := $(VENV)/bin/hotpath
export VIRTUAL_ENV := $(abspath $(VENV))
export PATH := $(abspath $(VENV))/bin:$(PATH)
export PYO3_PYTHON := $(abspath $(PY))

SCENARIO ?= smoke
SCALE    ?= 1
SEED     ?=
SEED_ARG := $(if $(SEED),--seed $(SEED),)
BUILDS   ?= python,rust-ffi,rust-native
PACE     ?= recorded
SPEED    ?= 1

DEPS_STAMP   := $(VENV)/.deps-stamp
NATIVE_STAMP := $(VENV)/.native-stamp
RUST_SOURCES := $(shell find impls/rust harness/rust -name '*.rs' -o -name 'Cargo.toml' 2>/dev/null) Cargo.toml $(wildcard Cargo.lock)

.PHONY: help setup build test test-rust test-py lint fmt bench redis watch dropcopy dropcopy-repeat migration tuned profile bench-rust bench-py scenario shadow shadow-all notebooks lab gate clean lock wire sweep canary gil hftbacktest readers loom fuzz sanitize memcheck peers test-peers test-hftbacktest FORCE

help: ## Show this help: every target, then every artifact and where it goes
	@echo "targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "artifacts:"
	@echo "  .venv/                      pinned Python packages, both builds and the lab installed (make setup)"
	@echo "  .venv-peers/                NautilusTrader (requirements/peers.txt) and the lab, for make peers (docs/peers.md)"
	@echo "  target/                     Rust build outputs (release extension, tests, benches, profiling copies)"
	@echo "  ~/.cache/hotpath/scenarios  generated scenario files (\$$HOTPATH_CACHE), keyed by manifest, seed, scale"
	@echo "  target/release/hotpath-{gateway,loadgen}  the wire-rust gateway and floors, the load generator"
	@echo "  results/<scenario>/<run>/   one folder per bench run: run.json, report.md, plots/, .hgrm, .hlog,"
	@echo "                              gc-/cpu-<build>.csv, flame graphs with --profile (docs/results.md);"
	@echo "                              make wire: the same per gateway and floor, plus .wire.json, .hpr"
	@echo "  results/<scenario>/sweep-<time>-<sha>/  one folder per sweep: sweep.json, knee.png/.svg,"
	@echo "                              <build>/rate-<R>.* per step (docs/wire.md)"
	@echo "  results/<scenario>/canary-<time>-<sha>/  one folder per canary shift: canary.json, canary.md,"
	@echo "                              canary.png/.svg, each gateway's log (docs/canary.md)"
	@echo "  results/<scenario>/gil-<time>-<sha>/  one folder per GIL experiment: gil.json, gil.md, gil.png/.svg (docs/gil.md)"
	@echo "  results/<scenario>/readers-<time>-<sha>/  one folder per book-readers experiment: readers.json, readers.md (docs/readers.md)"
	@echo "  target/loom/                the loom models' separate build (make loom)"
	@echo "  .venv/notebook-results/     the fresh smoke run make notebooks executes the notebooks against"
	@echo "  results/gate/<time>-<sha>/  one folder per gate: gate.md, gate.json, diffs of what regressed (docs/gate.md)"
	@echo "  results/baselines/          committed: the gate's deterministic figures and report digests per build"
	@echo "  ~/.cache/hotpath/gate-det-work/  the deterministic tier's working folder (callgrind outputs, emptied per run)"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

PY_PROJECTS := impls/python/hotpath-format impls/python/hotpath-asyncio impls/python/hotpath-hybrid impls/python/hotpath-tuned impls/python/hotpath-dropcopy .

$(DEPS_STAMP): $(VENV)/bin/python requirements/lock.txt $(addsuffix /pyproject.toml,$(PY_PROJECTS))
	$(PY) -m pip install --quiet -r requirements/lock.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation $(addprefix -e ,$(PY_PROJECTS))
	@touch $@

# The two extensions: the rust-ffi build (hotpath_rs) and the lab's native toolkit.
EXTENSIONS := impls/rust/hotpath-python harness/rust/hotpath-toolkit

$(NATIVE_STAMP): $(DEPS_STAMP) $(RUST_SOURCES) $(addsuffix /pyproject.toml,$(EXTENSIONS))
	for ext in $(EXTENSIONS); do maturin develop --release --quiet -m $$ext/Cargo.toml; done
	@touch $@

# The wire programs (docs/wire.md): the wire-rust gateway (and floors) and the load generator.
# Rebuilt when a Rust source changed, or when a binary is gone (cargo clean).
WIRE_STAMP   := $(VENV)/.wire-stamp
WIRE_BINS    := $(addprefix $(or $(CARGO_TARGET_DIR),target)/release/,hotpath-gateway hotpath-loadgen)
WIRE_MISSING := $(if $(filter-out $(wildcard $(WIRE_BINS)),$(WIRE_BINS)),FORCE,)

$(WIRE_STAMP): $(VENV)/bin/python $(RUST_SOURCES) $(WIRE_MISSING)
	cargo build --release --quiet -p hotpath-gateway -p hotpath-loadgen
	@touch $@

FORCE:

setup: $(NATIVE_STAMP) $(WIRE_STAMP) ## Create .venv, install pinned deps, build the Rust extensions and wire programs (release); quick when nothing changed

build: setup ## Build everything (same as setup; the Rust extensions in release mode)

test: setup test-rust test-py ## Run the Rust tests (nextest) and pytest

# The extension crates are cdylibs for Python (no Rust tests); pytest tests them.
test-rust: ## Rust unit and integration tests (every crate but the toolkit extension, whose tests live in pytest)
	cargo nextest run --workspace --exclude hotpath-toolkit --no-fail-fast

test-py: setup ## Python tests (benchmarks excluded)
	$(PY) -m pytest -m "not benchmark" -q

lint: setup ## rustfmt --check, clippy -D warnings, ruff, mypy, stubtest (.pyi against the built modules)
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) -m mypy.stubtest hotpath_rs._native hotpath_toolkit._native

# Standing defences (docs/reliability.md): fuzzing, AddressSanitizer, valgrind memcheck.
FUZZ_SECONDS ?= 25
FUZZ_TARGETS ?=
FUZZ_STAMP   := $(VENV)/.fuzz-stamp
$(FUZZ_STAMP): $(DEPS_STAMP) requirements/fuzz.txt
	$(PY) -m pip install --quiet -r requirements/fuzz.txt \
	  || echo "fuzz: atheris did not install; the Python targets will be skipped"
	@touch $@

fuzz: setup $(FUZZ_STAMP) ## Fuzz every decoder of outside input, FUZZ_SECONDS each (cargo-fuzz on nightly, atheris): make fuzz [FUZZ_SECONDS=25] [FUZZ_TARGETS=wire_frames]
	fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

ASAN_TARGET := x86_64-unknown-linux-gnu
sanitize: ## hotpath-core's tests under AddressSanitizer (nightly toolchain; skipped with a line where absent)
	@if cargo +nightly --version >/dev/null 2>&1; then \
	  RUSTFLAGS="-Zsanitizer=address" RUSTDOCFLAGS="-Zsanitizer=address" ASAN_OPTIONS=detect_leaks=1 \
	    cargo +nightly test -p hotpath-core --target $(ASAN_TARGET) --target-dir target/asan --lib --tests; \
	else echo "sanitize: no nightly Rust toolchain, AddressSanitizer run skipped"; fi

memcheck: setup ## Every PyO3 entry point of both extensions under valgrind memcheck (fails on an error in our code)
	$(PY) -m pytest tests/reliability/test_memcheck.py -q -m "slow or not slow"

fmt: setup ## Format Rust and Python sources in place
	cargo fmt --all
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

scenario: setup ## Build (or reuse from cache) a scenario file: make scenario SCENARIO=volatility [SCALE=1] [SEED=n]
	$(HOTPATH) scenario build $(SCENARIO) --scale $(SCALE) $(SEED_ARG)
	$(HOTPATH) scenario inspect $(SCENARIO) --scale $(SCALE) $(SEED_ARG)

bench: setup ## Drive a scenario through every build: make bench SCENARIO=volatility [BUILDS=...] [PACE=...] [SPEED=...]
	$(HOTPATH) bench --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) --builds $(BUILDS) --pace $(PACE) --speed $(SPEED)

MIGRATION_BUILDS := python,hybrid-risk,hybrid-risk-exec,rust-ffi,rust-native

migration: setup ## The migration's phases side by side, with the migration-path view (docs/migration.md): make migration SCENARIO=volatility
	$(HOTPATH) bench --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) --builds $(MIGRATION_BUILDS) --pace $(PACE) --speed $(SPEED)

# python, the tuned build's plumbing with every switch off, each switch alone, the default set,
# and the Rust builds it is measured against (docs/tuned.md)
comma := ,
empty :=
space := $(empty) $(empty)
TUNED_SWITCHES := uvloop direct packed-reports freeze thresholds gc-off
TUNED_BUILDS   ?= python,python-tuned+none,$(subst $(space),$(comma),$(TUNED_SWITCHES:%=python-tuned+%)),python-tuned,rust-ffi,rust-native

tuned: setup ## Tuning Python one switch at a time, next to Rust (docs/tuned.md): make tuned SCENARIO=volatility [TUNED_BUILDS=...]
	$(HOTPATH) bench --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) --builds '$(TUNED_BUILDS)' --pace $(PACE) --speed $(SPEED)

# Peers (docs/peers.md): NautilusTrader's order path next to ours, in one run. It conflicts
# with the lock (pandas, uvloop), so it lives in a venv of its own with the lab installed
# editable; the orchestrator runs from .venv and starts the nautilus worker on .venv-peers.
PEERS_VENV     := .venv-peers
PEERS_PY       := $(PEERS_VENV)/bin/python
PEERS_STAMP    := $(PEERS_VENV)/.peers-stamp
PEERS_LOG      := $(PEERS_VENV).log
PEERS_REPLACES := pandas pandas-stubs uvloop
PEERS_BUILDS   ?= python,python-tuned,rust-ffi,rust-native,nautilus
NAUTILUS_PIN   := $(shell grep -m1 '^nautilus_trader==' requirements/peers.txt)
PEERS_SKIP      = echo "peers: skipped: $(NAUTILUS_PIN) cannot be installed or imported in $(PEERS_VENV) (log: $(PEERS_LOG))"

$(PEERS_STAMP): $(NATIVE_STAMP) requirements/lock.txt requirements/peers.txt $(addsuffix /pyproject.toml,$(PY_PROJECTS))
	rm -rf $(PEERS_VENV)
	$(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_PY) -m pip install --quiet --upgrade pip
	grep -v -E '^($(subst $(space),|,$(PEERS_REPLACES)))==' requirements/lock.txt > $(PEERS_VENV)/lock-base.txt
	$(PEERS_PY) -m pip install --quiet -r $(PEERS_VENV)/lock-base.txt -r requirements/peers.txt
	$(PEERS_PY) -m pip install --quiet --no-deps --no-build-isolation $(addprefix -e ,$(PY_PROJECTS))
	# the two extensions as built for .venv (same CPython 3.11), found where maturin put them
	printf '%s\n' $(abspath $(addsuffix /python,$(EXTENSIONS))) \
	  > "$$($(PEERS_PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/hotpath-extensions.pth"
	$(PEERS_PY) -c 'import nautilus_trader, hotpath_lab.worker, hotpath_toolkit, hotpath_rs'
	@touch $@

peers: setup ## NautilusTrader's order path next to ours in one run (docs/peers.md): make peers SCENARIO=smoke [PEERS_BUILDS=...]; one line and exit 0 when it cannot be installed
	@if $(MAKE) --no-print-directory $(PEERS_STAMP) > $(PEERS_LOG) 2>&1; then \
	  HOTPATH_PEERS_PYTHON=$(abspath $(PEERS_PY)) $(HOTPATH) bench --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) \
	    --builds '$(PEERS_BUILDS)' --pace $(PACE) --speed $(SPEED); \
	else $(PEERS_SKIP); fi

test-peers: setup ## The peers' adapter tests in .venv-peers (installing it first); one line and exit 0 when it cannot be installed
	@if $(MAKE) --no-print-directory $(PEERS_STAMP) > $(PEERS_LOG) 2>&1; then \
	  HOTPATH_PEERS_PYTHON=$(abspath $(PEERS_PY)) $(PEERS_PY) -m pytest tests/hotpath_lab/peers -q; \
	else $(PEERS_SKIP); fi

# over the wire the builds are the gateways: BUILDS applies only when given
WIRE_BUILDS := $(if $(filter command line environment,$(origin BUILDS)),$(BUILDS),wire-rust,wire-python)
RATES ?=

wire: setup ## Floors and gateways over the wire (docs/wire.md): make wire SCENARIO=volatility [BUILDS=wire-rust,wire-python] [PACE=...] [SPEED=...]
	$(HOTPATH) bench --mode wire --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) --builds $(WIRE_BUILDS) --pace $(PACE) --speed $(SPEED)

sweep: setup ## Step the offered rate, find each build's knee: make sweep SCENARIO=volatility [RATES=10k,100k,...] [BUILDS=...]
	$(HOTPATH) sweep --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) --builds $(WIRE_BUILDS) $(if $(RATES),--rates $(RATES),)

STEPS        ?= 1,10,50,100
GUARD_P99_US ?=
canary: setup ## Shift accounts old → new gateway with guards (docs/canary.md): make canary SCENARIO=smoke [STEPS=1,10,50,100] [GUARD_P99_US=X]
	$(HOTPATH) canary --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) --steps $(STEPS) $(if $(GUARD_P99_US),--guard-p99-us $(GUARD_P99_US),)

MAX_CONCURRENCY ?=
gil: setup ## The GIL experiment (docs/gil.md): throughput and per-order P99 vs workers, per mode: make gil SCENARIO=volatility [MAX_CONCURRENCY=n]
	$(HOTPATH) gil --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) $(if $(MAX_CONCURRENCY),--max-concurrency $(MAX_CONCURRENCY),)

# hftbacktest in a venv of its own (requirements/hftbacktest.txt pins it: it needs numpy<2.3,
# lock.txt pins numpy 2.4). Skipped with one line when the capture is absent or the pinned
# packages cannot be installed (docs/peers.md).
HFT_VENV  := .venv-hftbacktest
HFT_STAMP := $(HFT_VENV)/.deps-stamp
CAPTURE   ?= ../shared/data/binance-20240808
RACE_ARGS ?=

# the pinned venv, (re)made when requirements/hftbacktest.txt changes; fails quietly (log kept)
$(HFT_STAMP): requirements/hftbacktest.txt
	@rm -rf $(HFT_VENV)
	@{ $(PYTHON) -m venv $(HFT_VENV) && $(HFT_VENV)/bin/python -m pip install --quiet -r requirements/hftbacktest.txt; } >$(HFT_VENV)-install.log 2>&1
	@touch $@
HFT_SKIP = echo "hftbacktest: skipped, the pinned hftbacktest could not be installed (see $(HFT_VENV)-install.log)"

hftbacktest: setup ## Replay race, hftbacktest vs rust-native on the Binance capture (docs/peers.md): make hftbacktest [CAPTURE=dir] [RACE_ARGS="--lines 5000"]
	@if [ ! -d "$(CAPTURE)" ]; then echo "hftbacktest: skipped, no capture at $(CAPTURE)"; exit 0; fi; \
	if $(MAKE) --no-print-directory $(HFT_STAMP); then \
	  $(HOTPATH) replay-race --capture $(CAPTURE) --hftbacktest-python $(HFT_VENV)/bin/python $(RACE_ARGS); \
	else $(HFT_SKIP); fi

test-hftbacktest: setup ## The replay race's tests with hftbacktest installed (its venv made first); one line and exit 0 when it cannot be installed
	@if $(MAKE) --no-print-directory $(HFT_STAMP); then \
	  $(PY) -m pytest tests/hotpath_lab/peers/test_replay_race.py -q; \
	else $(HFT_SKIP); fi

READERS ?=
readers: setup ## Book readers (docs/readers.md): engine P99 with 0/1/2 readers, lock-free vs mutex board: make readers SCENARIO=calm [READERS=0,1,2]
	$(HOTPATH) readers --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) $(if $(READERS),--readers $(READERS),)

# The drop-copy (docs/dropcopy.md): the lab's own Redis server, and the live view of what the
# builds publish to it.
REDIS_PORT ?= 6379
RUN        ?=
redis: setup ## Start the lab's Redis server in the foreground on REDIS_PORT (default 6379), data under results/.redis/, for `hotpath watch` and `--drop-copy redis://127.0.0.1:6379`
	$(PY) -m hotpath_lab.dropcopy.server --port $(REDIS_PORT) --dir results/.redis

DROP_COPY ?= lab
RESTART   ?=
DROP_COPY_BUILDS ?= python,python-tuned,rust-ffi,rust-native
dropcopy: setup ## Every build with the drop-copy off and on in one run, exactly-once checked (docs/dropcopy.md): make dropcopy SCENARIO=volatility [DROP_COPY=lab|redis://...] [RESTART=0.5] [DROP_COPY_BUILDS=...]
	$(HOTPATH) bench --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) --builds $(DROP_COPY_BUILDS) --pace $(PACE) --speed $(SPEED) \
		--drop-copy $(DROP_COPY) $(if $(RESTART),--drop-copy-restart $(RESTART),)

# One run compares one process off with one on; a process's placement alone moves a Rust
# build's P50 by tens of percent here, so the verdict on a small cost needs several runs.
REPEAT ?= 8
REPEAT_DIR := results/dropcopy-repeat/$(shell date -u +%Y%m%dT%H%M%SZ)
dropcopy-repeat: setup ## The drop-copy's cost over REPEAT runs, each run's off and on rows a pair (docs/dropcopy.md): make dropcopy-repeat SCENARIO=smoke [REPEAT=8] [DROP_COPY_BUILDS=rust-ffi,rust-native]
	@for i in $$(seq 1 $(REPEAT)); do \
		echo "run $$i of $(REPEAT)"; \
		$(HOTPATH) bench --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) --builds $(DROP_COPY_BUILDS) --pace $(PACE) --speed $(SPEED) \
			--drop-copy $(DROP_COPY) --no-throughput --no-overhead --results-dir $(REPEAT_DIR) > /dev/null || exit 2; \
	done
	$(PY) -m hotpath_lab.dropcopy.repeated $(REPEAT_DIR)

watch: setup ## Live summary of the drop-copy on the lab's Redis (make redis first): make watch [REDIS_PORT=6379] [RUN=run id]
	$(HOTPATH) watch --redis redis://127.0.0.1:$(REDIS_PORT) $(if $(RUN),--run $(RUN),)

# loom models need every crate rebuilt with the cfg, so they get their own target folder.
LOOM_MAX_PREEMPTIONS ?= 2
loom: ## Loom models of the book board's publication protocol (docs/readers.md) and the drop-copy's shared report log (docs/dropcopy.md): every interleaving up to LOOM_MAX_PREEMPTIONS
	RUSTFLAGS="--cfg crossbeam_loom" CARGO_TARGET_DIR=$(or $(CARGO_TARGET_DIR),target)/loom LOOM_MAX_PREEMPTIONS=$(LOOM_MAX_PREEMPTIONS) \
		cargo test --release -p hotpath-board -p hotpath-dropcopy --test loom

BUILD ?= $(BUILDS)
profile: setup ## Bench plus a separate py-spy profile pass per build (flame graphs): make profile SCENARIO=smoke [BUILD=python]
	$(HOTPATH) bench --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG) --builds $(BUILD) --pace $(PACE) --speed $(SPEED) --profile

shadow: setup ## Check that every build gives identical reports: make shadow SCENARIO=volatility [SCALE=...]
	$(HOTPATH) shadow --scenario $(SCENARIO) --scale $(SCALE) $(SEED_ARG)

SHADOW_SCALE ?= 0.1
SHARED_DATA  ?= ../shared/data/binance-20240808
shadow-all: setup ## Shadow on every scenario at SHADOW_SCALE, and on the Binance import if the data is present
	for s in smoke calm volatility flash-crash multi-venue; do \
	  $(HOTPATH) shadow --scenario $$s --scale $(SHADOW_SCALE) || exit 1; \
	done
	if [ -d "$(SHARED_DATA)" ]; then \
	  $(HOTPATH) scenario import binance $(SHARED_DATA) --out $(VENV)/binance-import.hpe && \
	  $(HOTPATH) shadow --scenario $(VENV)/binance-import.hpe; \
	else echo "shadow-all: $(SHARED_DATA) absent, Binance import skipped"; fi

NB_RESULTS := $(VENV)/notebook-results
notebooks: setup ## Execute every analysis notebook against a fresh smoke run
	rm -rf $(NB_RESULTS)
	$(HOTPATH) bench --scenario smoke --results-dir $(NB_RESULTS) --warmup 5000 --profile --profile-seconds 2
	HOTPATH_NOTEBOOK_RUN="$$(realpath $$(ls -d $(NB_RESULTS)/smoke/*/ | tail -n 1))" $(PY) -m pytest tests/notebooks -q

JUPYTER_STAMP := $(VENV)/.jupyter-stamp
$(JUPYTER_STAMP): $(DEPS_STAMP) requirements/jupyter.txt
	$(PY) -m pip install --quiet -r requirements/jupyter.txt
	@touch $@

lab: setup $(JUPYTER_STAMP) ## Open the analysis notebooks in JupyterLab (pinned in requirements/jupyter.txt): make lab [LAB_ARGS=--no-browser]
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,) $(LAB_ARGS)

TIER    ?= both
CANARY  ?=
AGAINST ?=
PAIRS   ?=
# the deterministic tier counts every build the lab ships (the hybrids too: their glue is a hot
# path of its own); the wall tier, which runs for minutes per build, the three pure ones
GATE_BUILDS ?= $(if $(filter det,$(TIER)),$(MIGRATION_BUILDS),$(BUILDS))

gate: setup ## Regression gate, this tree vs its baseline (docs/gate.md): make gate [TIER=det|wall|both] [AGAINST=ref] [PAIRS=n] [CANARY=uniform|tail]
	$(HOTPATH) gate --tier $(TIER) --builds $(GATE_BUILDS) $(if $(AGAINST),--against $(AGAINST),) $(if $(PAIRS),--pairs $(PAIRS),) $(if $(CANARY),--canary $(CANARY),)

bench-rust: setup ## Rust engine benchmarks: criterion per stage, then latency/throughput on a mapped SCENARIO (default volatility)
	cargo bench -p hotpath-core --bench engine
	HOTPATH_BENCH_SCENARIO="$$($(PY) -c 'from hotpath_lab.scenarios import build_scenario as b; print(b("$(if $(filter smoke,$(SCENARIO)),volatility,$(SCENARIO))"))')" \
	  cargo bench -p hotpath-core --bench latency

bench-py: setup ## pytest-benchmark figures of the Python build (per-stage cost on calm)
	$(PY) -m pytest tests/hotpath_asyncio -m benchmark -q -s --benchmark-only

lock: $(VENV)/bin/python ## Re-pin Python dependencies into requirements/lock.txt
	$(PY) -m pip freeze --exclude-editable | grep -v '^hotpath' > requirements/lock.txt

clean: ## Remove build outputs and the venv (keeps results/ and the scenario cache)
	rm -rf $(VENV) $(HFT_VENV) $(PEERS_VENV) $(PEERS_LOG) target .mypy_cache .ruff_cache .pytest_cache
	find . -name '__pycache__' -type d -prune -exec rm -rf {} +
	rm -f impls/rust/hotpath-python/python/hotpath_rs/_native*.so
	rm -f harness/rust/hotpath-toolkit/python/hotpath_toolkit/_native*.so
