"""Every ``zhili`` command that offers ``--json`` prints JSON with it (DESIGN.md, principle 6).

The parser is walked, so a new command with ``--json`` must appear below (or in ``EXEMPT`` with its
reason). The commands run, in order, in the prepared world of tests/bad_input/test_bad_input.py (``build_world``)
on an anvil node of this module's own: state-changing steps here cannot disturb the bad-input corpus.
A step may save fields of its JSON output as placeholders for the steps after it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_bad_input import World, _Fmt, rpc, run_cli
from zhili.cli import build_parser
from zhili.core.chain import ANVIL_CHAIN_ID, AnvilProcess, anvil_accounts
from zhili.testing import person_of


def json_commands() -> set[str]:
    """Every leaf ``zhili A [B]`` whose parser offers ``--json`` (``run``/``demo`` take ``--json OUT``)."""
    found: set[str] = set()

    def walk(p: argparse.ArgumentParser, path: list[str]) -> None:
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            if any("--json" in a.option_strings for a in p._actions):
                found.add(" ".join(path))
            return
        for name, sp in subs[0].choices.items():
            walk(sp, path + [name])

    walk(build_parser(), [])
    return found


SCRUTINY_STEPS = ("panel", "deal", "receive", "complain", "answer", "fix-key", "share", "count", "show", "check")

# commands that offer --json but cannot be run meaningfully in the prepared world (keep it short)
EXEMPT = {
    "bench": "minutes of work; tests/bench/test_bench.py parses `bench --gas --json`",
    "demo": "`--json -` is checked by tests/test_wheel.py (the demo run from the installed wheel)",
    "run": "same code path as demo (`--json OUT`, `-` for stdout)",
    "status": "needs a deployment manifest; tests/deploy/test_deploy.py deploys one",
    "index": "needs a whole term to follow; tests/index/test_index_indexer.py parses `index --json` (twice, and resumed)",
    "oath schedule": "every seating of the world already has its oath period (one per seating, R-DOC-6)",
    "oath record": "the world's open oath period is over (its clock moved a month)",
    "handover open": "needs a recorded oath without a handover (see oath record)",
    # later phases of an election, a dispute or an offset: each needs days of chain time or a whole
    # election run first (the scenario runner drives them; tests/election/test_cli_election.py runs them by hand)
    "election begin-stage1": "needs a fully vetted candidate list",
    "election open": "the world's polls are open already; a new one needs begin-stage1",
    "election issuer-key": "the world's elections published theirs (once per election); refused in tests/bad_input",
    "election request": "the world's voters requested theirs (one per roll entry); the whole flow is tests/election/test_cli_election.py",
    "election answer": "needs the issuer's secret key file; the whole flow is tests/election/test_cli_election.py",
    "election register": "the world's credentials are registered; the whole flow is tests/election/test_cli_election.py",
    "election reveal": "needs a closed poll inside its reveal window",
    "election finalize": "needs a poll past its reveal window with revealed ballots",
    "election strike": "needs a finished stage 1",
    "election approve": "needs a finished stage 1",
    "election pick": "needs a finished stage 2",
    "election lapse-pick": "needs a finished stage 2 and the pick deadline passed (tests/election/test_seating.py)",
    "council settle-dispute": "needs the dispute's vote window to end",
    "council open-without-opinion": "needs the lead's opinion deadline (a day) to pass; tests/council/test_cli_council.py parses its --json",
    "handover escalate": "needs the dispute's on-site settlement window to end",
    "handover rule": "needs an escalated dispute",
    "merit offset": "needs a procedural sanction entry (R-MR-12)",
    # the scrutineers' key generation needs a sealed box and three 10-minute windows, the share and the count a
    # closed sealed poll: tests/election/test_cli_scrutiny.py runs each of these with --json on its own node
    **{f"scrutiny {c}": "tests/election/test_cli_scrutiny.py (a sealed poll by CLI, its own node)" for c in SCRUTINY_STEPS},
    # team completion needs a completed election (its rolls vote the confirmations): the JSON of each command
    # is asserted in tests/council/test_cli_team.py (propose-member, consent, confirm, settle-confirmation, poll,
    # show); nominate and settle-nomination also need a council vote in between
    "persons rotate-key": "tests/persons/test_cli_persons.py (the person's own key; the registrar refused)",
    "persons recovery": "tests/persons/test_cli_persons.py (request, approve, complete after the 7-day delay, show)",
    "team propose-member": "tests/council/test_cli_team.py",
    "team consent": "tests/council/test_cli_team.py",
    "team confirm": "tests/council/test_cli_team.py",
    "team settle-confirmation": "tests/council/test_cli_team.py",
    "team poll": "tests/council/test_cli_team.py",
    "team show": "tests/council/test_cli_team.py",
    # the county CPPCC's vote (R-EL-12) needs a county and its completed election (the prepared world's
    # jurisdiction is a township): tests/election/test_cli_cppcc.py runs every one with --json
    **{f"cppcc {c}": "tests/election/test_cli_cppcc.py" for c in ("deploy", "members", "recommend", "issuer-key", "request", "answer", "register", "open", "relay", "reveal", "settle", "show")},
    "team nominate": "needs a council and a nominee; the council motion it opens is voted with `zhili council` (client path: tests/council/test_team.py)",
    "team settle-nomination": "needs a decided council nomination motion (client path: tests/council/test_team.py)",
    "admin execute": "needs the 7-day delay to pass and the timelock to administer the contract: tests/admin/test_admin_cli.py runs it with --json",
    "merit approve-offset": "needs an offset request",
    "merit reassign": "needs a review deadline (working days) to pass; refused before it in tests/merit/test_cli_merit.py, done in tests/merit/test_merit_deadlines.py",
    "merit escalate": "needs an appeal whose answer deadline passed; refused without one in tests/merit/test_cli_merit.py, done in tests/merit/test_merit_deadlines.py",
    "succession pass": "needs a final merit entry written by another jurisdiction's ledger (tests/merit/test_succession.py)",
    "succession enforce": "needs a blacklisted or over-threshold person",
    "succession join": "needs an office holder seated after the order was set",
    # the village (SPEC §9): a year of quarters needs months of chain time that the prepared world's
    # windows cannot afford; tests/village/test_village_cli.py runs every one with --json on its own node
    **{
        f"village {c}": "tests/village/test_village_cli.py (its own node, a village year)"
        for c in (
            "framework",
            "deploy",
            "member",
            "list-propose",
            "list-vote",
            "list-show",
            "contract-sign",
            "month",
            "declare",
            "verify",
            "record",
            "publish",
            "object",
            "rule",
            "finalize",
            "grade",
            "redeem",
            "show",
            "standings",
        )
    },
}

# (command words and arguments, {placeholder: key of the JSON output to save}); "{f:NAME}" is a file of FILES
STEPS: list[tuple[list[str], dict[str, str]]] = [
    # offline
    (["profile", "validate", "township"], {}),
    (["calendar", "check", "{calendar_notice}"], {}),
    # reads
    (["election", "show", "--election", "{election}"], {}),
    (["council", "show", "{motion_voting}", "--council", "{council}"], {}),
    (["council", "budget", "--council", "{council}"], {}),
    (["doc", "verify", "{doc}", "--ledger", "{ledger}"], {}),
    (["doc", "history", "{trace}", "--ledger", "{ledger}"], {}),
    (["handover", "show", "{handover_id}", "--handover", "{handover}"], {}),
    (["auditor", "verify-log", "--log", "{f:empty_log}", "--keeper", "{keeper}", "--ledger", "{ledger}"], {}),
    (["merit", "show", "{case_open}", "--ledger", "{merit}"], {}),
    (["merit", "person", "{merit_person}", "--ledger", "{merit}"], {}),
    (["merit", "service-levels", "--ledger", "{merit}"], {}),
    (["succession", "show", "--ledger", "{merit}"], {}),
    (["succession", "history", "--ledger", "{merit}"], {}),
    (["calendar", "show", "{calendar_year}", "--calendar", "{calendar}"], {}),
    (["calendar", "deadline", "{calendar_year}-03-02T10:00:00", "7", "--calendar", "{calendar}"], {}),
    # deployments
    (["deploy", "--code", "330110-077", "--name", "json", "--calendar", "{calendar}"], {}),
    (["persons", "deploy"], {}),
    (["persons", "register", "--persons", "{persons}", "330110197001019999", "--key", "{addr9}", "--identity", "0x" + "39" * 32], {}),
    (["election", "deploy", "--jurisdiction", "{jurisdiction}", "--persons", "{persons}", "--term", "2"], {}),
    (["council", "deploy", "--jurisdiction", "{council_jurisdiction}", "--persons", "{council_persons}"], {}),
    (["doc", "deploy", "--jurisdiction", "{evidence_jurisdiction}", "--persons", "{evidence_persons}"], {}),
    (["handover", "deploy", "--jurisdiction", "{evidence_jurisdiction}", "--persons", "{evidence_persons}"], {}),
    (["merit", "deploy", "--jurisdiction", "{merit_jurisdiction}", "--persons", "{persons}"], {}),
    (["scrutiny", "deploy", "--jurisdiction", "{jurisdiction}", "--persons", "{persons}"], {"scrutiny": "scrutiny"}),
    (["scrutiny", "key", "--scrutiny", "{scrutiny}", "--device", "{tmp}/json-device.json", "--person", "{accused}", "--from", "13"], {}),
    (["calendar", "deploy"], {"new_calendar": "calendar"}),
    (["calendar", "publish", "2027", "--notice", "{calendar_notice}", "--calendar", "{new_calendar}"], {}),
    # election: the registration-phase election and the open poll
    (["election", "candidates", "{candidate2}", "--election", "{election_registration}", "--from", "1"], {}),
    (["election", "vet", "{candidate}", "--report", "{doc}", "--election", "{election_registration}", "--from", "2"], {}),
    (["election", "voters", "--electorate", "party", "{f:voters}", "--election", "{election_registration}", "--from", "1"], {}),
    (["election", "relay", "{ballot1}", "--election", "{election}", "--from", "9"], {}),
    # council
    (["council", "vote", "{motion_voting}", "--position", "no", "--out", "{tmp}/json-vote.json", "--council", "{council}", "--from", "{member2}"], {}),
    (["council", "reveal", "{vote_d2}", "--council", "{council}"], {}),
    (["council", "close", "{motion_expired}", "--council", "{council}"], {}),
    (["council", "dispute", "{motion_classifying}", "--alternative", "livelihood", "--council", "{council}", "--from", "{member}"], {}),
    (["council", "dispute-vote", "{motion_classifying}", "--support", "--council", "{council}", "--from", "{member2}"], {}),
    (
        ["council", "propose", "--category", "strategic", "--content", "{doc}", "--basis", "{doc}", "--plan", "p", "--classify-window", "600", "--council", "{council}", "--from", "{secretariat}"],
        {"motion_new": "motion"},
    ),  # fmt: skip
    (["@advance", "601"], {}),  # the profile's shortest classification window (R-WD-3)
    (["council", "opinion", "{motion_new}", "--opinion", "{doc}", "--council", "{council}", "--from", "{member}"], {}),
    (
        ["council", "propose", "--category", "strategic", "--content", "{doc}", "--basis", "{doc}", "--plan", "p", "--council", "{council}", "--from", "{secretariat}"],
        {"motion_withdrawn": "motion"},
    ),  # fmt: skip
    (["council", "withdraw", "{motion_withdrawn}", "--council", "{council}", "--from", "{secretariat}"], {}),
    # documents
    (["doc", "anchor", "{f:doc2}", "--title", "json", "--ledger", "{ledger}", "--from", "{doc_signer}"], {}),
    (["doc", "amend", "{f:doc3}", "--previous", "{doc}", "--reason", "r", "--ledger", "{ledger}", "--from", "{doc_signer}"], {}),
    (["doc", "supplement", "{f:doc4}", "--previous", "{f:doc3}", "--reason", "r", "--ledger", "{ledger}", "--from", "{doc_signer}"], {}),
    (["doc", "revoke", "{f:doc5}", "--previous", "{f:doc4}", "--reason", "r", "--ledger", "{ledger}", "--from", "{doc_signer}"], {}),
    # oath and handover
    (["handover", "dispute", "{handover_id}", "--item", "党委公章", "--reason", "{doc}", "--handover", "{handover}", "--from", "{incoming}"], {"dispute_new": "dispute"}),  # fmt: skip
    (["handover", "settle", "{dispute_new}", "--file", "{doc}", "--handover", "{handover}", "--from", "{supervisor_key}"], {}),
    # the outgoing (evidence person 5, key 39) and the supervisor (6, key 40) sign the world's handover; then an issue is recorded
    *[(["handover", "sign", "{handover_id}", "--handover", "{handover}", "--from", k], {}) for k in ("39", "40")],
    (["handover", "issue", "{handover_id}", "--kind", "missing", "--file", "{doc}", "--handover", "{handover}", "--from", "{incoming}"], {}),
    # merit: a new case through the four steps, an appeal and its answer
    (
        [
            "merit",
            "report",
            "--accused",
            "{accused}",
            "--reporter",
            "{reporter_idnum}",
            "--evidence",
            "{doc}",
            "--committee-key",
            "{committee_pub}",
            "--blob-out",
            "{tmp}/json.blob",
            "--receipt-out",
            "{tmp}/json-receipt.json",
            "--ledger",
            "{merit}",
        ],
        {"case_new": "case"},
    ),  # fmt: skip
    (["merit", "assign", "{case_new}", "--reviewers", "{reviewers}", "--ledger", "{merit}", "--from", "{committee}"], {}),
    (["merit", "seal", "{case_new}", "--conclusion", "substantiated", "--review", "{doc}", "--out", "{tmp}/json-o1.json", "--ledger", "{merit}", "--from", "{reviewer1}"], {}),  # fmt: skip
    (["merit", "seal", "{case_new}", "--conclusion", "substantiated", "--review", "{doc}", "--out", "{tmp}/json-o2.json", "--ledger", "{merit}", "--from", "{reviewer2}"], {}),  # fmt: skip
    (["merit", "open", "--opening", "{tmp}/json-o1.json", "--ledger", "{merit}", "--from", "{reviewer1}"], {}),
    (["merit", "open", "--opening", "{tmp}/json-o2.json", "--ledger", "{merit}", "--from", "{reviewer2}"], {}),
    (["merit", "recheck", "{case_new}", "--result", "{doc}", "--ledger", "{merit}", "--from", "{committee}"], {}),
    (["merit", "propose", "{case_new}", "--finding", "investigated", "--ledger", "{merit}", "--from", "{committee}"], {}),
    (["merit", "vote", "{case_new}", "yes", "--ledger", "{merit}", "--from", "{committee}"], {}),
    (["merit", "publish", "{case_new}", "--notice", "{doc}", "--ledger", "{merit}", "--from", "{committee}"], {}),
    (["merit", "appeal", "{case_new}", "--person", "{accused}", "--grounds", "{doc}", "--ledger", "{merit}", "--from", "13"], {}),
    (["merit", "decide", "{case_new}", "uphold", "--answer", "{doc}", "--ledger", "{merit}", "--from", "{upper}"], {}),
    (["merit", "finalize", "{case_late}", "--ledger", "{merit}"], {}),
    (["succession", "cycle", "open", "--ledger", "{merit}", "--from", "{committee}"], {}),
    # the admin timelock's two bodies (issue 17): body A schedules and cancels; executing needs the delay (EXEMPT)
    (["admin", "schedule", "grant", "auditor", "--to", "{addr9}", "--on", "{jurisdiction}", "--timelock", "{timelock}", "--from", "{org}"], {"admin_op": "id"}),
    (["admin", "pending", "--timelock", "{timelock}"], {}),
    (["admin", "cancel", "{admin_op}", "--timelock", "{timelock}", "--from", "{org}"], {}),
    (["admin", "show", "--timelock", "{timelock}"], {}),
]

FILES = {
    "empty_log": "",
    "voters": "\n".join("0x" + person_of("zhili", i)[0].hex() for i in range(11, 14)),  # registered persons of the world (a roll is of persons)
    "doc2": "json doc 2",
    "doc3": "json doc 3",
    "doc4": "json doc 4",
    "doc5": "json doc 5",
    "checklist": "credentials: [公章]\nfiles: [纪要]\nassets: [车]\nwork_items: [项目]\n",
}


@pytest.fixture(scope="module")
def world(node: AnvilProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from test_bad_input import prepared_world

    for W in prepared_world(node, tmp_path_factory.mktemp("json-world")):
        accts = anvil_accounts(10)
        W.update(addr9=accts[9].address, reviewers=f"{accts[int(W['reviewer1'])].address},{accts[int(W['reviewer2'])].address}",
                 supervisor_key="40")  # fmt: skip  # evidence person 6 (the handover's supervisor) signs with key 34 + 6
        yield W


def _command(argv: list[str]) -> str:
    words = [a for a in argv[:2] if not a.startswith(("-", "{"))]
    return " ".join(words) if " ".join(words) in json_commands() else words[0]


def test_every_json_command_is_run_or_exempt() -> None:
    offered = json_commands()
    run = {_command(a) for a, _ in STEPS if a[0] != "@advance"}
    assert run.isdisjoint(EXEMPT), "a command is both run and exempt"
    assert offered - run - set(EXEMPT) == set(), f"commands offering --json that this test neither runs nor exempts: {sorted(offered - run - set(EXEMPT))}"
    assert run <= offered, f"steps run commands that offer no --json: {sorted(run - offered)}"


def test_json_output_parses(world: World, node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {name: tmp_path / f"{name}.txt" for name in FILES}
    for name, text in FILES.items():
        files[name].write_text(text, encoding="utf-8")
    offline = {"profile validate", "calendar check"}
    failures: list[str] = []
    for argv, save in STEPS:
        if argv[0] == "@advance":  # move the node's clock (a window must pass)
            now = int(rpc(node.url, "eth_getBlockByNumber", ["latest", False])["timestamp"], 16)
            rpc(node.url, "evm_setNextBlockTimestamp", [now + int(argv[1])])
            rpc(node.url, "evm_mine", [])
            continue
        fmt = _Fmt(world, files)
        try:
            full = [fmt.format(a) for a in argv] + ["--json"]
        except KeyError as exc:  # an earlier step that should have saved it failed
            failures.append(f"skipped {argv[:2]}: {exc}")
            continue
        if _command(argv) not in offline:
            full += ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]
        r = run_cli(capsys, full)
        show = f"zhili {' '.join(full)}\n-> exit {r.code} {r.crash or ''}\nstdout: {r.out[:2000]}\nstderr: {r.err[:2000]}"
        if r.code != 0 or r.crash:
            failures.append(f"failed: {show}")
            continue
        try:
            data: Any = json.loads(r.out)
        except ValueError as exc:
            failures.append(f"not JSON ({exc}): {show}")
            continue
        for key, field in save.items():
            world[key] = str(data[field])
    assert not failures, "\n\n".join(failures)
