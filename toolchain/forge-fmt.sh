#!/usr/bin/env bash
# `forge fmt` over the contracts and the forge tests (make lint runs it with --check). Offline, like
# toolchain/forge-test.sh: the native binary from the npm package (toolchain/forge-bin.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source toolchain/forge-bin.sh
"$forge" fmt "$@" contracts tests/forge
