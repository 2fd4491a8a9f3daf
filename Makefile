# zhili: the two commands of README.md are `make demo` and `make test`.
# Every target installs what it needs first (idempotent): a Python venv from PyPI, the npm
# toolchain (solc-js, OpenZeppelin, anvil, forge) from npm, and brownie in its own venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo lint test pytest-ci test-dates deep setup ci-prep setup-python setup-node setup-brownie setup-brownie-venv setup-browser setup-faketime setup-postgres forge pytest build build-anchors bench mutate clean

## Set up Python only and run the demo on the embedded chain (needs neither node nor solc).
demo: setup-python
	$(BIN)/zhili demo

## Set up everything and run all tests (docs/ci.md), four parts side by side: lint; the forge fuzz/invariant
## tests; one pytest session with the contract tests on anvil and a sample of them on the embedded chain too
## (--embedded-sample: EMBEDDED_SAMPLE in tests/conftest.py), the slowest files first (LONGEST_FIRST there;
## xdist must keep that order: --no-loadscope-reorder), beside a throwaway PostgreSQL cluster
## (zhili.index.pgcluster: made in a temporary directory, reached by its unix socket, stopped and removed at
## the end, a killed run's removed by the next; ZHILI_TEST_PG_URL names it to the indexer's and the console's
## tests on PostgreSQL); and the date-sensitive tests on the embedded chain under other dates of the machine's
## clock (test-dates, whole scenario runs among them). Side by side, the two cores stay busy to the end
## instead of idling through each part's tail; each part's output is printed whole when it ends, and any
## failure fails `make test`. `pytest` alone (--chain both, the default) runs every contract test on both
## chains (docs/architecture.md, "Tests").
test: ci-prep
	$(MAKE) --no-print-directory -j4 --output-sync=target lint forge pytest-ci test-dates

## make test's pytest session (after ci-prep): see `test`.
pytest-ci:
	$(BIN)/python -m zhili.index.pgcluster run -- \
	  $(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder --durations=15 --chain anvil --embedded-sample

## Lint, format and types (settings in pyproject.toml and foundry.toml): ruff check and ruff format
## --check on the client, the tests, scripts and bench; mypy on client/zhili (strict on core/);
## forge fmt --check on the contracts and forge tests.
lint: setup-python setup-node
	$(BIN)/ruff check client/zhili tests scripts bench
	$(BIN)/ruff format --check client/zhili tests scripts bench
	$(BIN)/mypy
	bash toolchain/forge-fmt.sh --check

## The date-sensitive tests again with the machine's clock at 2026-12-31 23:30 and 2029-06-01 09:00
## China Standard Time (libfaketime): test chains start at zhili.core.chain.GENESIS_TIME, so nothing may
## change (docs/architecture.md, "Time"). The date-sensitive tests on the embedded chain and a whole scenario
## run per date (the township term on the embedded chain, the county term on anvil), both dates side by
## side: see the script.
test-dates: setup setup-faketime
	bash toolchain/test-dates.sh $(BIN)/pytest

setup: setup-python setup-node

## Everything `make test` installs, side by side (docs/ci.md): the venv and brownie's from PyPI, the npm
## toolchain, Chromium and libfaketime from Debian. The apt-get runs take turns on $(APT_LOCK) (flock).
ci-prep:
	$(MAKE) --no-print-directory -j6 --output-sync=target setup-python setup-node setup-brownie setup-browser setup-faketime setup-postgres

## apt-get and dpkg refuse to run twice at once: every apt-get of this Makefile holds this lock.
APT_LOCK := /tmp/zhili-apt.lock
APT := flock $(APT_LOCK) env DEBIAN_FRONTEND=noninteractive

setup-python: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip check
	touch $@

setup-node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || $(APT) sh -c 'apt-get update && apt-get install -y nodejs npm'
	# npm install, not npm ci: the lock lacks optional platform binaries that npm does not publish
	npm install --ignore-scripts --no-audit --no-fund
	touch $@

## Headless Chromium and a CJK font, from Debian: the HTML report is checked by a screenshot.
setup-browser:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || { \
	  $(APT) sh -c 'apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null'; }

## libfaketime (Debian) for test-dates, and the zone data for China Standard Time.
setup-faketime:
	@command -v faketime >/dev/null && [ -e /usr/share/zoneinfo/Asia/Shanghai ] || { \
	  $(APT) sh -c 'apt-get update -qq && apt-get install -y -qq faketime tzdata >/dev/null'; }

## PostgreSQL (Debian's, 15 on bookworm) for the indexer's and the console's tests on PostgreSQL and the benchmark:
## only its binaries are used (initdb, pg_ctl under /usr/lib/postgresql/*/bin); each run makes its own cluster.
setup-postgres:
	@command -v initdb >/dev/null && command -v pg_ctl >/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  $(APT) sh -c 'apt-get update -qq && apt-get install -y -qq postgresql >/dev/null'; }

## brownie's venv (PyPI) needs no npm toolchain: it installs while npm does; the links need both.
setup-brownie: setup-brownie-venv setup-node
	bash toolchain/setup-brownie.sh

setup-brownie-venv:
	bash toolchain/setup-brownie.sh --venv

## Recompile contracts/ into client/zhili/artifacts, the test-only contracts/mocks/ into tests/artifacts (commit the result).
build: setup
	$(BIN)/zhili build

## Recompile the benchmark anchors (OZ Governor, EAS, Safe) into client/zhili/artifacts/anchors.
build-anchors: setup
	$(BIN)/zhili build --anchors

## The model-agreement tests with their full count of random examples (tests/model/__init__.py): make test
## runs a few of each inside the CI budget; this runs 20 elections, 10 merit runs, 25 council runs, 12 village years,
## kills the resumable run at all six crash points (make test: three) and the deployment at 21 (make test: 8).
deep: setup
	ZHILI_DEEP=1 $(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder --chain anvil tests/election/test_election_model.py tests/scenario/test_run_resume.py tests/deploy/test_deploy.py \
	  tests/merit/test_merit_model.py tests/council/test_council_model.py tests/village/test_village_agreement.py

## The whole benchmark on anvil and the embedded chain (docs/benchmarks.md); writes bench/results.json.
bench: setup
	$(BIN)/python bench/run.py

## The mutation run (docs/mutation.md): each rule mutant of tests/mutation/mutants.yaml applied alone to a
## scratch copy, rebuilt, and run against the tests that must catch it; too slow for `make test`.
## ARGS="--only ID ..." runs some of them; docs/mutation.md keeps the last result.
mutate: setup
	$(BIN)/python scripts/mutate.py $(ARGS)

forge: setup-node
	bash toolchain/forge-test.sh

pytest: setup setup-brownie
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder --durations=15

clean:
	rm -rf $(VENV) .venv-brownie node_modules out forge-cache build .brownie-build .pytest_cache
