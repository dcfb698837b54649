# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test suite lint bench fuzz messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Re-install only when the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/maillon demo

test: lint suite

# The tests alone (CI runs them on a second database without linting twice).
suite: $(VENV)/.installed-test
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy maillon

bench: $(VENV)/.installed
	$(BIN)/maillon bench

# A longer schemathesis run over the API than the suite's (2,000 examples per operation), 1,000
# mutated MARC files imported (the suite imports 120), and 10,000 random and mutated SIP2
# messages over TCP (the suite sends 300).
fuzz: $(VENV)/.installed-test
	MAILLON_FUZZ_EXAMPLES=2000 $(BIN)/pytest tests/api/test_fuzz_schema.py
	MAILLON_FUZZ_FILES=1000 $(BIN)/pytest tests/catalogue/test_import_fuzz.py
	MAILLON_SIP2_FUZZ=10000 $(BIN)/pytest -s tests/sip2/test_fuzz.py

# Refresh the French catalogue after changing user-facing strings (needs GNU gettext).
messages: $(VENV)/.installed
	cd maillon && ../$(BIN)/maillon makemessages -l fr --no-obsolete --no-location
	cd maillon && ../$(BIN)/maillon compilemessages -l fr

clean:
	rm -rf $(VENV) var
