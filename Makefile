# Two commands set everything up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
DEMO_DB ?= demo.db

.PHONY: install demo test test-python neo4j neo4j-stop clean

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

## make test: install, start a throw-away Neo4j, run the whole suite on both backends, stop Neo4j (always)
test: install
	bash -c 'trap "bash deploy/neo4j/neo4j.sh stop" EXIT; \
	  bash deploy/neo4j/neo4j.sh start && set -a && . "$${NEO4J_STATE_DIR:-.neo4j}/env" && set +a && \
	  LEADGRAPH_REQUIRE_NEO4J=1 $(PY) -m pytest -q'

## make test-python: the suite without starting Neo4j (Neo4j tests run only if a server is configured)
test-python: install
	$(PY) -m pytest -q

## make neo4j / make neo4j-stop: a dev Neo4j 5.26 on a free local port; connection in .neo4j/env
neo4j:
	bash deploy/neo4j/neo4j.sh start

neo4j-stop:
	bash deploy/neo4j/neo4j.sh stop

clean:
	rm -rf $(VENV) demo-data $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .neo4j
