# crimeperf — run `make help` for the targets.
#
# `make demo` and `make test` work on a fresh machine with only the Rust toolchain and Python 3.9+;
# anything else they need they install themselves.

CARGO ?= cargo

.DEFAULT_GOAL := help
.PHONY: help demo test test-rust lint fmt bench doc clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

demo: ## Committee summary for Rochford from the bundled ONS extract
	$(CARGO) run --quiet -p crimeperf --example committee_summary

test: lint test-rust ## Run every test (lint, Rust unit/property/reference/doc tests)

test-rust: ## Rust tests only (unit, property, reference and doc tests)
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

lint: ## rustfmt check and clippy with warnings as errors
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt: ## Format the Rust code
	$(CARGO) fmt --all

bench: ## Criterion benchmarks of the kernels (release build; not part of `make test`)
	$(CARGO) bench -p crimeperf --bench kernels

doc: ## Build the API documentation
	$(CARGO) doc --workspace --no-deps

clean: ## Remove build products
	$(CARGO) clean
