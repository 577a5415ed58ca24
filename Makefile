# Two commands on a fresh machine: `make build` (every document into output/) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup build check test test-all bench clean
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup-system
	./scripts/setup-system
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@# pip writes no bytecode where PYTHONDONTWRITEBYTECODE is set (CI images set it): without it every new
	@# interpreter compiles what it imports again (pandas alone: 2 s instead of 0.5 s).
	$(PY) -m compileall -q -j 0 $(VENV)/lib > /dev/null
	touch $@

build: setup
	$(VENV)/bin/aidreport build

check: setup
	$(VENV)/bin/aidreport check

# The package compiled once first: the tests start ~200 interpreters, and a machine that sets
# PYTHONDONTWRITEBYTECODE (as CI images do) would otherwise compile it in every one.
test: setup
	$(PY) -m compileall -q generator
	$(PY) -m pytest -q

# The heavier runs: every page of every PDF in every viewer engine, thorough hypothesis profiles.
test-all: setup
	$(PY) -m compileall -q generator
	AIDREPORT_TEST_ALL=1 $(PY) -m pytest -q --hypothesis-profile=thorough

clean:
	rm -rf output
