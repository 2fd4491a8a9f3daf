# Sourced by toolchain/forge-test.sh and toolchain/forge-fmt.sh (from the repository root): sets
# $forge to the native forge binary of the npm package @foundry-rs/forge. The binary is called directly:
# the npm launcher node_modules/.bin/forge (bin.mjs of @foundry-rs/forge 1.7.1) does not pass the
# child's exit status on, so failures would exit 0.
shopt -s nullglob
candidates=(node_modules/@foundry-rs/forge-*/bin/forge)
shopt -u nullglob
if (( ${#candidates[@]} == 0 )) || [[ ! -x "${candidates[0]}" ]]; then
    echo "$(basename "$0"): no forge binary under node_modules/@foundry-rs/forge-*/bin; run 'npm ci' first" >&2
    exit 2
fi
forge=${candidates[0]}
