# Developer entry points. Needs only python3 (with venv) and pip; `npm` for the OpenAPI lint.
# `make run` and `make test` create .venv themselves on a fresh machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SPECTRAL_DIR := $(VENV)/spectral
SPECTRAL := $(SPECTRAL_DIR)/node_modules/.bin/spectral
SPECTRAL_VERSION := 6.16.3
ADR_RULESET ?= ../shared/api/adr-ruleset.yaml
# each served model's contract (GET /v1/modellen/{modelId}/openapi.json), linted too
CONTRACTS_DIR := $(VENV)/contracts

.PHONY: run test lint lint-openapi native bench bench-load bench-soak compile workbook clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## run: serve every model in formulas_spec/ with gunicorn on localhost:8000
run: $(STAMP) native
	$(BIN)/gunicorn -c gunicorn.conf.py 'service:create_app()'

## test: lint, type-check, OpenAPI lint (when npm is there; required in CI), the whole suite
test: lint lint-openapi native
	$(BIN)/pytest

## native: build the models' C sources (formulas_spec/compiled/*.c) into the native
## engine's libraries. Without a C compiler the models run on the Python engine alone
## (same results, slower); in CI (CI=true) a compiler is required.
native: $(STAMP)
	$(BIN)/python -m service.compiler --native $(if $(CI),,--optional) formulas_spec

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The Spectral ruleset of the Dutch API Design Rules, zero errors allowed, on openapi.yaml
# and on every model's generated contract.
# Skipped with a note where npm is missing, except in CI (CI=true), where it must run.
lint-openapi: $(STAMP)
	@if command -v npm >/dev/null 2>&1; then \
		if [ ! -x $(SPECTRAL) ]; then \
			mkdir -p $(SPECTRAL_DIR) && \
			npm install --silent --no-audit --no-fund --prefix $(SPECTRAL_DIR) \
				@stoplight/spectral-cli@$(SPECTRAL_VERSION) || exit 1; \
		fi; \
		rm -rf $(CONTRACTS_DIR) && $(BIN)/python -m tools.write_contracts $(CONTRACTS_DIR) >/dev/null && \
		$(SPECTRAL) lint --fail-severity=error -r $(ADR_RULESET) openapi.yaml $(CONTRACTS_DIR)/*.json; \
	elif [ -n "$$CI" ]; then \
		echo "lint-openapi: npm is required in CI" >&2; exit 1; \
	else \
		echo "lint-openapi: npm not found, Spectral lint skipped (it runs in CI)"; \
	fi

## bench: load gunicorn on loopback with wrk; results in bench/RESULTS.md
bench: $(STAMP)
	$(BIN)/python bench/bench_http.py

## bench-load: wrk 64 connections for 60 s, a worker killed under load, a SIGTERM drain
bench-load: $(STAMP)
	$(BIN)/python bench/bench_load.py

## bench-soak: memory of every worker over 200,000 requests
bench-soak: $(STAMP)
	$(BIN)/python bench/bench_soak.py

## compile: workbooks in formulas_spec/ -> formulas_spec/compiled/*.py and *.c, then native
compile: $(STAMP)
	$(BIN)/python -m service.compiler formulas_spec
	$(MAKE) native

## workbook: (re)build every workbook of formulas_spec/ (then run make compile)
workbook: $(STAMP)
	$(BIN)/python -m tools.build_workbook
	$(BIN)/python -m tools.build_workbook_wijkteams

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
