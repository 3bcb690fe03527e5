# Two commands set everything up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
DEMO_DB ?= demo.db

.PHONY: install demo serve test test-python neo4j neo4j-stop bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## make demo: install, generate and load the fictional demo county, serve it on 127.0.0.1:8000
demo: install
	$(VENV)/bin/leadgraph demo --db $(DEMO_DB) --out demo-data
	$(VENV)/bin/leadgraph serve --db $(DEMO_DB) --host 127.0.0.1 --port 8000

## make test: install with dev dependencies and run the whole suite
test: install
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) demo-data $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .neo4j
