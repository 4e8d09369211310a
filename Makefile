# regiograph: two commands do everything on a fresh machine with Python 3.11+ and make.
#   make demo   create .venv, install, build the graph of data/corpus into build/, show a query
#   make test   create .venv, install with test extras, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: setup demo test lint bench notebooks clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "regiograph needs Python 3.11 or newer (found " + sys.version.split()[0] + "); set PYTHON=python3.11"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

## setup: create or refresh .venv and install regiograph into it
setup: $(BIN)/python
	$(PIP) install -e .

## demo: build the sample corpus into build/ and run one saved query
demo: setup
	$(BIN)/regiograph build data/corpus --out build
	@echo
	@echo "Outputs: build/graph.trig (named graphs), build/graph.ttl (union), build/store (SPARQL store), build/build-report.json"
	@echo "Example: regiograph query 01_most_connected_organisations --store build"
	@$(BIN)/regiograph query 01_most_connected_organisations --store build | head -n 12
	@echo
	@echo "Next: $(BIN)/regiograph queries   (all saved queries)"

## test: install with test extras and run the whole suite
test: setup
	$(PIP) install -e '.[test]'
	$(BIN)/python -m pytest

## lint: ruff
lint: setup
	$(PIP) install -e '.[test]'
	$(BIN)/ruff check src tests bench

## bench: every scale benchmark in one table (see bench/RESULTS.md); about 40 minutes on 2 cores
bench: setup
	$(BIN)/python bench/run.py --results build/bench/RESULTS.md

## notebooks: Jupyter Lab on notebooks/ (run make demo first)
notebooks: setup
	$(PIP) install -e '.[notebooks]'
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf build .pytest_cache .ruff_cache
