# storydesk — the two commands of the Quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SD     := $(VENV)/bin/storydesk
DEMO_DB ?= demo.db
HOST   ?= 127.0.0.1
PORT   ?= 8080

.PHONY: install demo test lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Follow the outlets of feeds/world-news.opml for one poll round when the network is
## reachable, else (or with OFFLINE=1) load the bundled (fictional) sample; build stories
## and start the reader on 127.0.0.1:8080.
demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(PY) -m storydesk.demo --db $(DEMO_DB) --feeds feeds/world-news.opml $(if $(OFFLINE),--offline)
	$(SD) --help >/dev/null
	@echo "Reader: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(SD) serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

## Install what the tests need (Python packages; Debian packages when missing) and run the suite.
test: lint
	bash scripts/test-deps.sh
	$(VENV)/bin/pytest

## ruff, and the import contracts of pyproject.toml (layers: docs/architecture.md).
lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .grimp_cache .import_linter_cache $(DEMO_DB)*
