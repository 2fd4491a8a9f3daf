#!/usr/bin/env bash
# Set up brownie in its own venv (.venv-brownie), fully offline apart from the PyPI install.
# Idempotent: re-running it only repairs what is missing. The main .venv is never touched.
#
#   1. .venv-brownie with eth-brownie==1.22.2 (it pins web3/eth-account versions of its own),
#      and `pip check` must be clean;
#   2. ~/.solcx/solc-v0.8.28 -> toolchain/solc (solc-js wrapper), so brownie/py-solc-x find
#      solc 0.8.28 "installed" and never download a compiler;
#   3. .venv-brownie/bin/anvil -> the npm anvil binary. Brownie picks its anvil backend only when
#      a network's cmd starts with "anvil", so the network runs `anvil` from PATH: put
#      .venv-brownie/bin first on PATH (activate the venv) when running brownie;
#   4. the brownie network `zhili-anvil` (Development, cmd=anvil, 127.0.0.1:8546), stored in
#      ~/.brownie/network-config.yaml; brownie launches and stops anvil itself. The project's
#      brownie-config.yaml overrides the port with $ZHILI_BROWNIE_PORT (default 8546), which
#      tests/test_brownie.py sets per run so parallel runs never share a port.
#
# `setup-brownie.sh --venv` does step 1 only: it needs no npm toolchain, so `make ci-prep` runs it
# while npm installs (docs/ci.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd -P)

venv=.venv-brownie
brownie_version=1.22.2
solc_version=0.8.28
network_id=zhili-anvil
network_port=8546

say() { echo "setup-brownie: $*"; }

# -- 1. venv and eth-brownie
if [[ ! -x "$venv/bin/python" ]]; then
    say "creating $venv"
    python3 -m venv "$venv"
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
installed=$("$venv/bin/python" -m pip show eth-brownie 2>/dev/null | sed -n 's/^Version: //p' || true)
if [[ "$installed" != "$brownie_version" ]]; then
    say "installing eth-brownie==$brownie_version"
    "$venv/bin/python" -m pip install --quiet "eth-brownie==$brownie_version"
fi
# scripts/deploy.py imports zhili from the checkout: its deployment plan publishes the working-day
# calendar from chinese-calendar (SPEC §8), which brownie does not bring
if ! "$venv/bin/python" -c "import chinese_calendar" 2>/dev/null; then
    say "installing chinese-calendar"
    "$venv/bin/python" -m pip install --quiet "chinese-calendar>=1.11"
fi
# ... and it deploys the merit ledger, whose table comes from zhili.merit.client (SM2/SM4 via gmssl)
if ! "$venv/bin/python" -c "import gmssl.sm2" 2>/dev/null; then
    say "installing gmssl"
    "$venv/bin/python" -m pip install --quiet "gmssl>=3.2"
fi
if ! "$venv/bin/python" -m pip check; then
    say "pip check failed in $venv" >&2
    exit 1
fi

if [[ "${1:-}" == "--venv" ]]; then
    say "venv ok ($venv)"
    exit 0
fi

# -- 2. solc 0.8.28 = our wrapper
if [[ ! -d node_modules/solc ]]; then
    say "node_modules/solc missing: run 'npm ci' first" >&2
    exit 1
fi
if ! toolchain/solc --version | grep -q "Version: $solc_version"; then
    say "toolchain/solc does not report solc $solc_version" >&2
    exit 1
fi
solcx_dir="${SOLCX_BINARY_PATH:-$HOME/.solcx}"
mkdir -p "$solcx_dir"
link="$solcx_dir/solc-v$solc_version"
if [[ "$(readlink "$link" 2>/dev/null || true)" != "$root/toolchain/solc" ]]; then
    say "linking $link -> $root/toolchain/solc"
    rm -f "$link"
    ln -s "$root/toolchain/solc" "$link"
fi

# -- 3. anvil on the venv's PATH
shopt -s nullglob
anvils=("$root"/node_modules/@foundry-rs/anvil-*/bin/anvil)
shopt -u nullglob
if (( ${#anvils[@]} == 0 )); then
    say "no anvil under node_modules/@foundry-rs/anvil-*/bin: run 'npm ci' first" >&2
    exit 1
fi
if [[ "$(readlink "$venv/bin/anvil" 2>/dev/null || true)" != "${anvils[0]}" ]]; then
    ln -sfn "${anvils[0]}" "$venv/bin/anvil"
fi

# -- 4. the zhili-anvil network (run outside the project so no project config is involved)
brownie=$root/$venv/bin/brownie
settings=(cmd=anvil host=http://127.0.0.1 "port=$network_port")
if (cd / && "$brownie" networks list) | grep -q -- "$network_id"; then
    (cd / && "$brownie" networks modify "$network_id" "${settings[@]}") >/dev/null
else
    say "adding brownie network $network_id"
    (cd / && "$brownie" networks add Development "$network_id" "${settings[@]}") >/dev/null
fi

say "ok ($("$brownie" --version 2>/dev/null | head -1); solc $solc_version -> toolchain/solc; network $network_id on port $network_port)"
