# Two commands do all setup: `make test` and `make crawl`. Both build on `make install`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint docs crawl demo bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# Bytecode ahead of time: an environment with PYTHONDONTWRITEBYTECODE=1 would compile ~60 modules at every start.
	$(BIN)/python -m compileall -q scraper archive
	touch $(STAMP)

test: install
	bash scripts/test-deps.sh
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

# Regenerates docs/cli.md from the click commands (tests/test_docs.py fails while it is out of date).
docs: install
	$(BIN)/cog -r docs/cli.md

crawl: install
	$(BIN)/warta crawl --config config.toml

demo: install
	$(BIN)/warta demo

bench: install
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
