# zhili: the two commands of README.md are `make demo` and `make test`.
# Every target installs what it needs first (idempotent): a Python venv from PyPI, the npm
# toolchain (solc-js, OpenZeppelin, anvil, forge) from npm, and brownie in its own venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup setup-python setup-node setup-brownie forge pytest build clean

## Set up Python only and run the demo on the embedded chain (needs neither node nor solc).
demo: setup-python
	$(BIN)/zhili demo

## Set up everything and run all tests: forge fuzz/invariant tests, then pytest on embedded + anvil.
test: setup setup-brownie
	bash toolchain/forge-test.sh
	$(BIN)/pytest

setup: setup-python setup-node

setup-python: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip check
	touch $@

setup-node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update && apt-get install -y nodejs npm; }
	npm install --ignore-scripts --no-audit --no-fund
	touch $@

setup-brownie: setup-node
	bash toolchain/setup-brownie.sh

## Recompile contracts/ into client/zhili/artifacts (commit the result).
build: setup
	$(BIN)/zhili build

forge: setup-node
	bash toolchain/forge-test.sh

pytest: setup setup-brownie
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .venv-brownie node_modules out forge-cache build .brownie-build .pytest_cache
