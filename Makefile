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
	@echo "== pre-flight: an AI step's Opportunity update with three mistakes (exit 1 expected)"
	$(BIN)/sfschema validate Opportunity --org demo --id 006000000000001 \
	    --values '{"StageName": "closed won", "ForecastCategoryName": "commit", "CloseDate": "31/01/2025", "NextStep": "Send the contract"}'; \
	    test $$? -eq 1
	@echo "== pre-flight: the follow-up Task, ready to send (exit 0)"
	$(BIN)/sfschema validate Task --org demo --create \
	    --values '{"Subject": "Send the contract", "WhatId": "006000000000001", "ActivityDate": "2025-01-31", "Priority": "High"}'
	@echo "== SOQL checked against the org before it is sent"
	$(BIN)/sfschema soql check "SELECT Id, Name, StageName, Account.Name FROM Opportunity WHERE StageName = :stage ORDER BY CloseDate DESC LIMIT 10" \
	    --org demo --param stage="Closed Won"
	@echo "== generated models are current"
	$(BIN)/sfschema generate --snapshot sfschema/emulator/demo_org --out generated/demo --check
	@echo "== the product's workflows (Liquid action files) against the demo org over HTTPS"
	BIN=$(BIN) bash tools/demo_workflows.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy sfschema codegen generated

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP)
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info
