#!/usr/bin/env bash
# `forge fmt` over the contracts and the forge tests (make lint runs it with --check). Offline, like
# toolchain/forge-test.sh: the native binary from the npm package, never a download.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shopt -s nullglob
candidates=(node_modules/@foundry-rs/forge-*/bin/forge)
shopt -u nullglob
if (( ${#candidates[@]} == 0 )) || [[ ! -x "${candidates[0]}" ]]; then
    echo "forge-fmt: no forge binary under node_modules/@foundry-rs/forge-*/bin; run 'npm ci' first" >&2
    exit 2
fi
"${candidates[0]}" fmt "$@" contracts tests/forge
