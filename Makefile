# Developer entry points. Needs only python3 (with venv) and pip; `npm` for the OpenAPI lint.
# `make run` and `make test` create .venv themselves on a fresh machine, from the hashed
# lock files in requirements/ (`make lock` refreshes them from pyproject.toml).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SPECTRAL_DIR := $(VENV)/spectral
SPECTRAL := $(SPECTRAL_DIR)/node_modules/.bin/spectral
SPECTRAL_VERSION := 6.16.3
# The Spectral ruleset of the NL GOV API Design Rules (CC BY 4.0, Logius), vendored.
ADR_RULESET ?= tools/spectral/adr-ruleset.yaml
LOCK_RUNTIME := requirements/runtime.txt
LOCK_DEV := requirements/dev.txt
# `make test` compares every formula cell with the peers on the default scenario plus this
# many random ones; `make parity` runs the full sweep (200, and more hypothesis examples).
PARITY_SAMPLE ?= 12
PARITY_FULL ?= 200
# The container image and its Debian-built base (deploy/image/).
IMAGE ?= localhost/mkba-service:latest
BASE_IMAGE ?= localhost/mkba-base:bookworm
# each served model's contract (GET /v1/modellen/{modelId}/openapi.json), linted too
CONTRACTS_DIR := $(VENV)/contracts

.PHONY: run test parity lint lint-openapi native bench bench-load bench-soak bench-scale \
	compile workbook lock image base-image test-image clean

# Exactly the locked versions, hash-checked; the project itself is put on the path with a
# .pth file (what an editable install amounts to, without building anything). pip installs
# uv (its pin and hashes taken from the lock), uv the rest: 15 s instead of 2 min on a cold
# cache. Should uv fail (an unusual index or TLS set-up), pip does it all. Bytecode is
# compiled at install, as pip does: compiled at import instead, a dependency's
# SyntaxWarning would be an error under pytest's filterwarnings=error.
$(STAMP): $(LOCK_DEV)
	$(PYTHON) -m venv $(VENV)
	awk '/^uv==/ {p = 1; print; next} /^[^ #]/ {p = 0} p' $(LOCK_DEV) >$(VENV)/uv-lock.txt
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(VENV)/uv-lock.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes --no-deps --compile-bytecode \
		-r $(LOCK_DEV) \
		|| $(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK_DEV)
	$(BIN)/python -c 'import pathlib, sysconfig; \
		pathlib.Path(sysconfig.get_paths()["purelib"], "mkba-service.pth").write_text("$(CURDIR)\n")'
	touch $@

## lock: re-resolve pyproject.toml's dependencies into requirements/runtime.txt (the image)
## and requirements/dev.txt (make run/test), with every file's sha256 (needs PyPI)
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
		--custom-compile-command 'make lock' -o $(LOCK_RUNTIME)
	$(BIN)/uv pip compile pyproject.toml --quiet --extra dev --generate-hashes --python-version 3.11 \
		--constraint $(LOCK_RUNTIME) --custom-compile-command 'make lock' -o $(LOCK_DEV)

## run: serve every model in formulas_spec/ with gunicorn on localhost:8000
run: $(STAMP) native
	$(BIN)/gunicorn -c gunicorn.conf.py 'service:create_app()'

## test: lint, type-check, OpenAPI lint (when npm is there; required in CI), the whole suite
## with a sample of the cross-engine parity sweep (the image test needs `make test-image`)
test: lint lint-openapi native
	MKBA_PARITY_SCENARIOS=$(PARITY_SAMPLE) $(BIN)/pytest -m 'not image'

## parity: the exhaustive cross-engine parity sweep (compiled model vs formulas, LibreOffice)
parity: native
	MKBA_PARITY_SCENARIOS=$(PARITY_FULL) MKBA_PARITY_EXAMPLES=12 $(BIN)/pytest -m parity

## base-image: a python3 base from Debian packages (debootstrap), for machines without a registry
base-image:
	deploy/image/base.sh $(BASE_IMAGE)

## image: build the container image with podman (BASE_IMAGE: make base-image, or the
## official python:3.11-slim-bookworm with BASE_IMAGE=docker.io/library/python:3.11-slim-bookworm)
image:
	deploy/image/build.sh $(IMAGE) $(BASE_IMAGE)

## test-image: build the image from the debootstrapped base and run it (tests/ops/test_image.py)
test-image: $(STAMP)
	MKBA_IMAGE=$(IMAGE) MKBA_BASE_IMAGE=$(BASE_IMAGE) $(BIN)/pytest -m image tests/ops/test_image.py

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

## bench-scale: 1-3 instances behind HAProxy, then a rolling restart; bench/RESULTS-scale.md
bench-scale: $(STAMP) native
	$(BIN)/python bench/bench_scale.py

## compile: workbooks in formulas_spec/ -> formulas_spec/compiled/*.py, *.json and *.c, earlier
## versions in formulas_spec/versions/ -> versions/compiled/ with their change notes, then native
compile: $(STAMP)
	$(BIN)/python -m service.compiler formulas_spec
	$(MAKE) native

## workbook: (re)build every workbook of formulas_spec/ (then run make compile)
workbook: $(STAMP)
	$(BIN)/python -m tools.build_workbook
	$(BIN)/python -m tools.build_workbook_wijkteams

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
