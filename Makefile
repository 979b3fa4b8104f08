# crimeperf — run `make help` for the targets.
#
# `make demo` and `make test` work on a fresh machine with only the Rust toolchain and Python 3.9+;
# anything else they need they install themselves.

CARGO ?= cargo
PYTHON ?= python3

# Python environments made by `make test` (the first is the one the README's commands use).
VENV := .venv
VENV_POLARS1 := target/python/venv-polars1
VENV_BENCH := target/python/venv-bench
# The oldest polars the package supports (the first with the Arrow PyCapsule interface on both
# sides); the main environment gets the newest polars 2.x.
POLARS1 ?= 1.3.0
WHEEL_DEV := target/wheels/dev
EXAMPLES = $(or $(CARGO_TARGET_DIR),target)/debug/examples
WHEEL_RELEASE := target/wheels/release
# Where `make demo` writes Rochford's evidence pack.
EVIDENCE := target/evidence/rochford
# The tests that need no scipy/statsmodels run again against $(POLARS1).
INTEROP_TESTS := tests/test_package.py tests/test_frames.py tests/test_interop.py tests/test_errors.py tests/test_results.py tests/test_properties.py tests/test_docs.py tests/test_ons_extract.py tests/test_data_layer.py tests/test_population.py

.DEFAULT_GOAL := help
.PHONY: help demo test test-rust test-python python-build lint fmt package bench bench-rust bench-python bench-data bench-peers bench-env fuzz doc clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

demo: ## Rochford: committee summary, police.uk summary, its most similar group, and its evidence pack
	@# Built with the whole workspace, so that the examples share the test build's polars (built
	@# alone, a crate's example unifies other features and compiles polars again).
	$(CARGO) build --quiet --workspace --examples
	$(EXAMPLES)/committee_summary
	@echo
	$(EXAMPLES)/police_uk_summary
	@echo
	$(EXAMPLES)/most_similar_group
	@echo
	$(MAKE) --no-print-directory python-build
	$(VENV)/bin/crimeperf evidence --area Rochford --out $(EVIDENCE) --police-uk data/police_uk --overwrite
	@echo "Open $(EVIDENCE)/report.html in a browser (the Word and Excel files are beside it)."

test: lint test-rust test-python ## Run every test (lint, Rust tests, Python tests on two polars versions)

test-rust: ## Rust tests only (unit, property, reference and doc tests)
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

lint: ## rustfmt check and clippy with warnings as errors
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

$(VENV)/.installed: tests/requirements.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -r tests/requirements.txt
	touch $@

$(VENV_POLARS1)/.installed: tests/requirements-polars1.txt
	rm -rf $(VENV_POLARS1)
	$(PYTHON) -m venv $(VENV_POLARS1)
	$(VENV_POLARS1)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_POLARS1)/bin/python -m pip install --quiet -r tests/requirements-polars1.txt "polars==$(POLARS1)"
	touch $@

python-build: $(VENV)/.installed ## Build the extension (dev profile, shared with cargo test) into .venv
	rm -rf $(WHEEL_DEV)
	$(VENV)/bin/maturin build --quiet --out $(WHEEL_DEV)
	$(VENV)/bin/python -m pip install --quiet --force-reinstall --no-deps $(WHEEL_DEV)/*.whl

test-python: python-build $(VENV_POLARS1)/.installed ## Python tests: stubtest, pytest on the newest polars, again on polars 1.x
	$(VENV)/bin/python -m mypy.stubtest crimeperf._crimeperf
	$(VENV)/bin/python -m pytest tests
	$(VENV_POLARS1)/bin/python -m pip install --quiet --force-reinstall --no-deps $(WHEEL_DEV)/*.whl
	$(VENV_POLARS1)/bin/python -c "import polars; print('polars', polars.__version__)"
	$(VENV_POLARS1)/bin/python -m pytest $(INTEROP_TESTS)

package: ## Check that every published crate packages on its own (its files inside it)
	@# The core is built from its package, as crates.io would; the polars layer is only packed
	@# (verifying it would compile polars again under the package's own profile: minutes).
	$(CARGO) package --workspace --no-verify --allow-dirty
	$(CARGO) package -p crimeperf --allow-dirty

fmt: ## Format the Rust code
	$(CARGO) fmt --all

bench: bench-env ## Every benchmark side by side: writes benches/RESULTS.md and the README's table (release build; needs ../shared; not part of `make test`)
	$(VENV_BENCH)/bin/python benches/suite.py

bench-rust: ## Criterion benchmarks of the core kernels (release build, one core)
	$(CARGO) bench -p crimeperf --bench kernels

$(VENV_BENCH)/.installed: benches/python/requirements.txt
	rm -rf $(VENV_BENCH)
	$(PYTHON) -m venv $(VENV_BENCH)
	$(VENV_BENCH)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_BENCH)/bin/python -m pip install --quiet -r benches/python/requirements.txt
	touch $@

bench-env: $(VENV_BENCH)/.installed ## Release build of the extension in its own environment (for the benchmarks)
	rm -rf $(WHEEL_RELEASE)
	$(VENV_BENCH)/bin/maturin build --quiet --release --out $(WHEEL_RELEASE)
	$(VENV_BENCH)/bin/python -m pip install --quiet --force-reinstall --no-deps $(WHEEL_RELEASE)/*.whl

bench-python: bench-env ## Python benchmark against scipy/statsmodels (release build; not part of `make test`)
	$(VENV_BENCH)/bin/python benches/python/bench_frames.py

bench-data: bench-env ## Reading and counting 10M and 70M police.uk rows against polars and pandas (needs ../shared)
	$(VENV_BENCH)/bin/python benches/python/bench_data_layer.py

bench-peers: bench-env ## Every CSP ranked in its group for every offence group, against pandas/numpy/scipy
	$(VENV_BENCH)/bin/python benches/python/bench_peers.py

# Fuzzing: cargo-fuzz (libFuzzer) on the nightly toolchain, installed here if missing.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS := police_uk_file splitter ons_workbook periods
FUZZ_TOOLS := $(CURDIR)/target/tools

$(FUZZ_TOOLS)/bin/cargo-fuzz:
	$(CARGO) install cargo-fuzz --locked --root $(FUZZ_TOOLS)

fuzz: $(FUZZ_TOOLS)/bin/cargo-fuzz ## Fuzz every reader for FUZZ_SECONDS each (nightly; seeds from the real files; crashes saved as regression tests)
	rustup run nightly rustc --version >/dev/null 2>&1 || rustup toolchain install nightly --profile minimal
	$(PYTHON) scripts/fuzz.py seed fuzz/corpus
	cd fuzz && for target in $(FUZZ_TARGETS); do \
		PATH="$(FUZZ_TOOLS)/bin:$$PATH" cargo +nightly fuzz run $$target corpus/$$target -- \
			-max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 -timeout=20 || status=1; \
	done; \
	cd ..; \
	{ $(MAKE) --no-print-directory python-build && $(VENV)/bin/python -m pip install --quiet atheris && \
	  mkdir -p fuzz/corpus/frames fuzz/artifacts/frames && \
	  $(VENV)/bin/python fuzz/python/frames.py fuzz/corpus/frames -max_total_time=$(FUZZ_SECONDS) \
		-rss_limit_mb=4096 -artifact_prefix=fuzz/artifacts/frames/; } || status=1; \
	$(PYTHON) scripts/fuzz.py keep fuzz/artifacts fuzz/regressions || status=1; \
	exit $${status:-0}

doc: ## Build the API documentation
	$(CARGO) doc --workspace --no-deps

clean: ## Remove build products
	$(CARGO) clean
