"""Brownie smoke test: deploy Jurisdiction on anvil with the township profile and read it back.

Run with ``.venv-brownie/bin/brownie run scripts/brownie_smoke.py --network zhili-anvil``
(after ``bash toolchain/setup-brownie.sh``, with ``.venv-brownie/bin`` first on PATH so brownie
finds ``anvil``). Brownie compiles ``contracts/`` with the offline solc wrapper, launches anvil,
runs ``main()`` and stops anvil again. Executed by ``tests/test_brownie.py``.
"""

from brownie import Jurisdiction, WorkCalendar, accounts, network

CODE = "330110-001"
NAME = "Brownie Smoke Township"
THRESHOLD = 160  # R-WD-2

# Jurisdiction.Params by field name; put in struct order from the compiled ABI (params_tuple),
# so a field added to the struct fails here with its name rather than as a length mismatch.
PARAMS = {
    "kind": 0,  # ProfileKind.Township
    "profileHash": "0x" + "00" * 32,
    "threshold": THRESHOLD,  # R-WD-2
    "stage1MaxNames": 10,  # R-EL-2
    "stage1Advance": 7,  # R-EL-2
    "stage1MinCandidates": 8,  # R-EL-2
    "elected": 5,  # R-EL-4
    "secretaryTermLimit": 2,  # R-TL-1
    "pathOneTopRank": 3,  # R-EL-8
    "vettingDimensions": 5,  # R-EL-1
    "oathWorkingDays": 3,  # R-DOC-6
    "handoverHours": 24,  # R-DOC-7
    "transitionDays": 30,  # R-DOC-8
    "lookbackDays": 90,  # R-DOC-8
    "disputeEscalationWorkingDays": 2,  # R-DOC-9
    "appealWorkingDays": 7,  # R-MR-11
    "appealAnswerWorkingDays": 15,  # R-MR-11
    "warningDemerit": 40,  # R-MR-7
    "resignDemerit": 60,  # R-MR-7
    "overtakeMargin": 60,  # R-SU-3
    "minRegisterSeconds": 600,  # R-EL-7 (issue 15 item 4)
    "minCastSeconds": 600,  # R-EL-7
    "minCountSeconds": 600,  # R-EL-7
    "maxPollSeconds": 30 * 86400,  # R-EL-7
    "openWithinSeconds": 7 * 86400,  # R-EL-7, R-EL-11
    "scrutineers": 5,  # R-EL-13: the panel, 3 of whom open a poll
    "scrutinyThreshold": 3,
}

# weights[category][office] (R-WD-1); every weight < THRESHOLD (R-WD-2).
WEIGHTS = [
    [100, 80, 60, 40, 20],
    [80, 100, 60, 40, 20],
    [80, 60, 100, 40, 20],
    [80, 60, 40, 100, 20],
    [80, 60, 60, 40, 100],
]


def params_tuple() -> tuple:
    """PARAMS in the order of the constructor's Params components."""
    ctor = next(f for f in Jurisdiction.abi if f["type"] == "constructor")
    fields = [c["name"] for c in next(i for i in ctor["inputs"] if i["name"] == "params_")["components"]]
    missing = [f for f in fields if f not in PARAMS]
    assert not missing, f"brownie_smoke.py: no value for Params field(s) {missing}"
    return tuple(PARAMS[f] for f in fields)


def main() -> None:
    assert network.show_active() is not None, "no network"
    admin = accounts[0]
    calendar = WorkCalendar.deploy(admin, {"from": admin})  # the province's working-day calendar (SPEC §8)
    j = Jurisdiction.deploy(admin, calendar, CODE, NAME, params_tuple(), WEIGHTS, {"from": admin})
    assert j.calendar() == calendar.address
    params = j.params()
    assert params[2] == THRESHOLD, f"threshold {params[2]} != {THRESHOLD}"
    assert params["threshold"] == THRESHOLD
    assert j.code() == CODE, f"code {j.code()!r} != {CODE!r}"
    assert j.name() == NAME
    assert [list(row) for row in j.weights()] == WEIGHTS
    assert j.hasRole(j.DEFAULT_ADMIN_ROLE(), admin)
    print(f"brownie smoke: ok (Jurisdiction at {j.address} on {network.show_active()})")
