# Two commands on a fresh clone: `make demo` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== pull the demo org's describes (global + /composite batches of 25)"
	$(BIN)/sfschema pull --org demo --all --out out/demo
	@echo "== pull again: every object revalidated with If-Modified-Since (304)"
	$(BIN)/sfschema pull --org demo --all --out out/demo
	@echo "== the demo org's Opportunity schema, fetched through the emulator"
	$(BIN)/sfschema describe Opportunity --org demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy sfschema codegen generated

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP)
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info
