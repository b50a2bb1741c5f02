# Two commands do everything on a fresh machine with Python 3.11 and make: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The dedup kernels compiled ahead of time (`copydesk compile`), again whenever the source changes.
# Optional: without a C compiler copydesk runs on numba's just-in-time compiler alone.
AOT := src/copydesk/_aot.digest
$(AOT): $(STAMP) $(shell find src/copydesk -name '*.py')
	$(BIN)/copydesk compile --quiet || echo "copydesk compile failed: the kernels will be compiled on first use instead"

demo: $(STAMP) $(AOT)
	$(BIN)/copydesk demo --out out/demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) $(AOT)
	$(BIN)/pytest -q

test: lint typecheck unit

clean:
	rm -rf $(VENV) out build src/*.egg-info src/copydesk/_aot.*
