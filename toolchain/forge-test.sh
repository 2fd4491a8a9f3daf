#!/usr/bin/env bash
# Forge fuzz and invariant tests of the contracts (tests/forge), fully offline.
# The compiler is toolchain/solc (solc-js wrapper) as set in foundry.toml; forge never downloads
# anything. Works from a clean tree (no out/ or forge-cache/). Extra arguments go to `forge test`
# (e.g. --match-test testFuzz_onlyOfficeWriterCanSeat -vvv).
#
# The native binary (toolchain/forge-bin.sh) is called directly.
# Forge's result counts are rewritten ("7 tests passed" -> "passed=7") so that no line of this
# output can be mistaken for a pytest summary by log scrapers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source toolchain/forge-bin.sh

export FOUNDRY_OFFLINE=true
export FOUNDRY_SOLC=toolchain/solc
"$forge" test --offline --root . "$@" 2>&1 \
    | sed -u -E 's/([0-9]+) (tests )?(passed|failed|skipped)/\3=\1/g'
