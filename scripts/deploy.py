"""Deploy a jurisdiction's whole zhili system to a JSON-RPC chain, resumably (docs/consortium.md).

    .venv/bin/python scripts/deploy.py --network besu-qbft --jurisdiction 330110-001 [--persons 0x…]
    brownie run scripts/deploy --network NAME       # ZHILI_JURISDICTION=330110-001 in the environment

Every contract of the jurisdiction and of its province (unless given) is deployed and wired from the
plan's table (zhili.deploy.plan). Network settings and role holders come from zhili-config.yaml; keys
from ZHILI_PRIVATE_KEYS or ZHILI_KEYSTORE. Killed at any step, run it again: it continues where it
stopped and sends nothing twice. The manifest is deployments/<network>.json, its write-ahead
transaction log deployments/<network>.txlog.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "client"))  # brownie's own venv runs this file without zhili installed

from zhili.core.chain import ChainError, connect  # noqa: E402
from zhili.deploy.plan import CONFIG_FILE, MANIFEST_DIR, DeployError, deploy, load_config  # noqa: E402


def run(
    network: str,
    code: str,
    *,
    config: Path,
    manifest: Path | None,
    persons: str | None,
    url: str | None = None,
    calendar: str | None = None,
    merit_book: str | None = None,
) -> int:
    net, jur = load_config(config, network, code)
    target = url or net.host
    path = manifest or ROOT / MANIFEST_DIR / f"{network}.json"
    with connect(target, chain_id=net.chainid, tx_type=net.tx_type or "legacy", gas_price=net.gas_price, poa=net.poa) as chain:  # type: ignore[arg-type]
        m = deploy(
            chain, jur, path, network, existing_persons=persons, existing_calendar=calendar, existing_merit_book=merit_book,
            progress=lambda s: print(f"  {s}", flush=True),
        )  # fmt: skip
    print(json.dumps({"manifest": str(path), "addresses": m.addresses()}, indent=1))
    return 0


def cli(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--network", required=True, help="a name under networks: in the config")
    ap.add_argument("--jurisdiction", required=True, help="a code under jurisdictions: in the config")
    ap.add_argument("--config", type=Path, default=ROOT / CONFIG_FILE)
    ap.add_argument("--manifest", type=Path, default=None, help="default deployments/<network>.json")
    ap.add_argument("--persons", default=None, help="add the jurisdiction to an existing province person registry")
    ap.add_argument("--calendar", default=None, help="the province's existing WorkCalendar (default: deploy one, SPEC §8)")
    ap.add_argument("--merit-book", default=None, help="the province's existing MeritBook (default: deploy one)")
    ap.add_argument("--url", default=None, help="override the network's host")
    args = ap.parse_args(argv)
    try:
        return run(
            args.network, args.jurisdiction, config=args.config, manifest=args.manifest, persons=args.persons, url=args.url, calendar=args.calendar,
            merit_book=args.merit_book,
        )  # fmt: skip
    except (DeployError, ChainError) as exc:
        print(f"deploy refused: {exc}", file=sys.stderr)
        return 2


def main() -> None:
    """Entry point for `brownie run scripts/deploy --network NAME` (brownie connects; zhili deploys)."""
    from brownie import network as bnet  # type: ignore[import-not-found]

    name = bnet.show_active()
    url = bnet.web3.provider.endpoint_uri
    code = os.environ.get("ZHILI_JURISDICTION")
    if not code:
        raise SystemExit("set ZHILI_JURISDICTION to the jurisdiction code to deploy")
    config = Path(os.environ.get("ZHILI_CONFIG", ROOT / CONFIG_FILE))
    manifest = Path(os.environ["ZHILI_MANIFEST"]) if os.environ.get("ZHILI_MANIFEST") else None
    rc = run(
        os.environ.get("ZHILI_NETWORK", name),
        code,
        config=config,
        manifest=manifest,
        persons=os.environ.get("ZHILI_PERSONS"),
        url=url,
        calendar=os.environ.get("ZHILI_CALENDAR"),
        merit_book=os.environ.get("ZHILI_MERIT_BOOK"),
    )
    if rc:
        raise SystemExit(rc)


if __name__ == "__main__":
    sys.exit(cli())
