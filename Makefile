# Two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
ALL    := $(VENV)/.installed-all
DEV    := $(VENV)/.installed-dev

# `pip install somlab` is the law engine alone; `make run` installs every extra ([all]) and
# the test and lint targets add the dev tools ([dev])
$(ALL): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[all]'
	touch $@

$(DEV): $(ALL)
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(DEV)

# the engine, the simulator, the evidence store and the dashboard
run: $(ALL)
	$(VENV)/bin/somlab assess --examples --format table
	$(VENV)/bin/somlab serve

# every test; test-fast leaves out the slow, browser and GPU tests (pyproject.toml markers)
test: $(DEV)
	$(PY) -m pytest

test-fast: $(DEV)
	$(PY) -m pytest -m "not slow and not browser and not gpu"

lint: $(DEV)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

bench: $(DEV)
	$(PY) -m pip install -q -c constraints.txt -e '.[bench]'
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .mypy_cache .ruff_cache
