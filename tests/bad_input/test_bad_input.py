"""The bad-input corpus (issue 9): every ``zhili`` command that talks to a chain or reads a file, fed
malformed arguments, wrong ids, early and expired windows, double votes, replayed and forged
signatures, a wrong chain id and oversized inputs.

Each case asserts three things: a non-zero exit, a message naming the rule ID or the field and the
offending value, and an unchanged chain (same block number and hash, nothing pending, and where a
case says so the same contract state). The cases are a table, ``tests/bad_input/cases.yaml``,
documented in ``docs/bad-input.md``; the chain-id sweep walks the parser, so a new command that
takes ``--chain`` is covered without being listed.

One anvil node serves the module. The worlds come from the contract-test kits (``election_kit``,
``council_kit``, ``evidence_kit``, ``merit_kit``); the few objects that must exist in files (ballots,
credentials, sealed votes, review openings) are made through the CLI itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from eth_utils import keccak

from zhili.calendar.client import CalendarClient
from zhili.cli import build_parser, main
from zhili.core.chain import ANVIL_CHAIN_ID, AnvilProcess, Chain, anvil_accounts, connect
from zhili.testing import Staff

CASES_FILE = Path(__file__).parent / "cases.yaml"
DOC_FILE = Path(__file__).resolve().parents[2] / "docs" / "bad-input.md"
WRONG_CHAIN_ID = 4242
DAY = 86400
LONG = 30 * DAY  # windows that stay open for the whole module
SHORT = 600  # windows that the module lets expire
EXPIRE = 3 * 3600  # the one time jump after the setup: SHORT windows are over, LONG ones open


def rpc(url: str, method: str, params: list[Any]) -> Any:
    r = requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=10).json()
    if "error" in r:
        raise RuntimeError(f"{method}: {r['error']}")
    return r["result"]


@dataclass
class Result:
    code: int | None
    out: str
    err: str
    crash: str | None = None  # an exception that escaped main(): a traceback for the user

    @property
    def text(self) -> str:
        return " ".join((self.out + " " + self.err).split())


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Result:
    capsys.readouterr()
    crash = None
    try:
        code: int | None = main(argv)
    except SystemExit as exc:  # argparse: usage error, exit 2
        code = exc.code if isinstance(exc.code, int) else 2
    except Exception as exc:  # noqa: BLE001 - the corpus reports it as a gap
        code, crash = None, f"{type(exc).__name__}: {exc}"
    cap = capsys.readouterr()
    return Result(code, cap.out, cap.err, crash)


# ---------------------------------------------------------------------------- the world


class World(dict):  # type: ignore[type-arg]
    """Placeholders for the case table: addresses, ids, paths of prepared files."""

    def __missing__(self, key: str) -> str:
        raise KeyError(f"the case table uses {{{key}}}, which the world does not define")


def _fresh(chain: Chain) -> Chain:
    chain.accounts = anvil_accounts(10)
    chain.kind = "anvil"  # our own anvil behind a URL: the kits may move its clock
    return chain


def build_world(node: AnvilProcess, tmp: Path, capsys: pytest.CaptureFixture[str] | None, cli: Callable[..., Result]) -> World:
    import council_kit
    import evidence_kit
    import merit_kit
    from zhili.council.client import Windows
    from zhili.election.client import Electorate
    from zhili.evidence.client import DocMeta
    from zhili.merit.client import Decision, Finding
    from zhili.types import Category, Office

    chain = _fresh(connect(node.url, chain_id=ANVIL_CHAIN_ID))
    mw = merit_kit.build_merit_world(chain)
    cw = council_kit.build_council_world(chain)
    ew = evidence_kit.build_world(chain)
    w = mw
    # the CLI's keys: 0-9 staff (anvil), 10-23 election/merit persons, 24-33 council persons, 34-41 evidence persons
    person_keys = [w.keys[p] for p in w.ids] + [cw.keys[p] for p in cw.ids] + [ew.keys[p] for p in ew.ids]
    os.environ["ZHILI_PRIVATE_KEYS"] = ",".join(a.key.hex() for a in chain.accounts + person_keys)
    W = World(chain_url=node.url, chain_id=str(ANVIL_CHAIN_ID), tmp=str(tmp))
    C = ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]

    def ok(*argv: str) -> Result:
        r = cli(list(argv) + C)
        assert r.code == 0 and r.crash is None, f"setup step {argv} failed: {r}"
        return r

    def hexid(pid: bytes) -> str:
        return "0x" + pid.hex()

    # ---- merit (first, because its appeal window needs a month to pass)
    m = mw.m
    W.update(merit=m.ledger.address, merit_person=hexid(w.ids[3]))
    late, _ = mw.file(accused=3, reporter=6)
    mw.review(late)
    mw.decide(late, Decision(Finding.INVESTIGATED))
    chain.advance_time(LONG)
    W["case_late"] = str(late)  # published a month ago: the appeal window is over
    open_case, _ = mw.file(accused=2, reporter=7)
    mw.review(open_case)
    mw.decide(open_case, Decision(Finding.INVESTIGATED))
    W["case_open"] = str(open_case)  # published now: the appeal window is open, not final yet
    case2, _ = mw.file(accused=4, reporter=6)
    m.assign(case2, chain.accounts[Staff.REVIEWER1].address, chain.accounts[Staff.REVIEWER2].address, Staff.MERIT)
    review = tmp / "review.txt"
    review.write_text("substantiated")
    L = ["--ledger", m.ledger.address]
    ok("merit", "seal", str(case2), "--conclusion", "substantiated", "--review", str(review), "--out", str(tmp / "opening1.json"), "--from", str(Staff.REVIEWER1), *L)
    W.update(case_one_sealed=str(case2), opening1=str(tmp / "opening1.json"))
    case3, _ = mw.file(accused=4, reporter=7)
    m.assign(case3, chain.accounts[Staff.REVIEWER1].address, chain.accounts[Staff.REVIEWER2].address, Staff.MERIT)
    for i, who in enumerate((Staff.REVIEWER1, Staff.REVIEWER2), 1):
        ok("merit", "seal", str(case3), "--conclusion", "substantiated", "--review", str(review), "--out", str(tmp / f"opening3-{i}.json"), "--from", str(who), *L)
    ok("merit", "open", "--opening", str(tmp / "opening3-1.json"), "--from", str(Staff.REVIEWER1), *L)
    W.update(case_both_sealed=str(case3), opening3_opened=str(tmp / "opening3-1.json"), opening3_sealed=str(tmp / "opening3-2.json"))
    W.update(committee=str(Staff.MERIT), upper=str(Staff.UPPER), reviewer1=str(Staff.REVIEWER1), reviewer2=str(Staff.REVIEWER2))
    key, pub = tmp / "committee.key", tmp / "committee.pub"
    ok_keygen = cli(["merit", "keygen", "--out", str(key), "--public-out", str(pub)])
    assert ok_keygen.code == 0
    W.update(committee_pub=str(pub), committee_key=str(key))
    W.update(merit_jurisdiction=w.jurisdiction.address, persons=w.persons.address, merit_book=m.book.address)
    W["accused"] = hexid(w.ids[3])
    W["accused_identity"] = hexid(chain.call(w.persons.functions.identityOf(w.ids[3])))
    W["reporter_idnum"] = "330110197001010006"

    # ---- election: stage 1 of e1 open for a month; e2's poll closes in SHORT
    e1 = w.prepared(n_candidates=12)  # the incumbent is the jurisdiction's (R-EL-8)
    e1.begin_stage1(Staff.AUTHORITY)
    E1 = ["--election", e1.contract.address]
    ok("election", "open", "--closes-in", str(LONG), "--from", str(Staff.AUTHORITY), *E1)
    creds = []
    for i, wallet in enumerate(e1.wallets_for(Electorate.PARTY)[:2]):  # the voters' credential files (their devices)
        creds.append(tmp / f"credential-{i}.json")
        wallet.save(creds[-1])
    cands = [hexid(p) for p in w.ids[:12]]
    ok("election", "cast", "--credential", str(creds[0]), "--names", ",".join(cands[:3]), "--out", str(tmp / "ballot0.json"))
    ok("election", "relay", str(tmp / "ballot0.json"), "--from", str(Staff.RELAYER), *E1)
    ok("election", "cast", "--credential", str(creds[0]), "--names", cands[5], "--out", str(tmp / "ballot0-again.json"))
    ok("election", "cast", "--credential", str(creds[1]), "--names", cands[4], "--out", str(tmp / "ballot1.json"))
    W.update(election=e1.contract.address, ballot_box=e1.box.address, credential0=str(creds[0]), credential1=str(creds[1]),
             ballot0=str(tmp / "ballot0.json"), ballot0_again=str(tmp / "ballot0-again.json"), ballot1=str(tmp / "ballot1.json"),
             names=",".join(cands[:3]), candidate=cands[0], candidate2=cands[1], eleven=",".join(cands[:11]),
             not_candidate=hexid(w.ids[13]), jurisdiction=w.jurisdiction.address)  # fmt: skip
    e2 = w.prepared()
    e2.begin_stage1(Staff.AUTHORITY)
    ok("election", "open", "--closes-in", str(SHORT), "--from", str(Staff.AUTHORITY), "--election", e2.contract.address)
    e2.wallets_for(Electorate.PARTY)[0].save(tmp / "credential-late.json")
    ok("election", "cast", "--credential", str(tmp / "credential-late.json"), "--names", cands[0], "--out", str(tmp / "late.json"))
    W.update(election_closed=e2.contract.address, ballot_late=str(tmp / "late.json"))
    e3 = w.election()  # registration: no poll pending; one candidate added, not vetted
    e3.add_candidates([w.ids[0]], Staff.AUTHORITY)
    W["election_registration"] = e3.contract.address

    # ---- council: motion A votes for a month, B is still in classification, C's windows expire
    c = cw.council
    W.update(council=c.address, council_jurisdiction=cw.jurisdiction.address, council_persons=cw.persons.address)
    a = cw.propose(windows=Windows(SHORT, LONG, LONG))
    b = cw.propose(windows=Windows(LONG, LONG, LONG))
    cc = cw.propose(windows=Windows(SHORT, SHORT, SHORT))
    d = cw.propose(windows=Windows(SHORT, SHORT, LONG))
    chain.advance_time(SHORT + 1)
    for mid in (a, cc, d):
        lead = c.lead(mid)
        c.state_opinion(mid, keccak(text=f"opinion {mid}"), cw.key(lead))
    first_member = str(24 + int(cw.ids.index(cw.holder(Office.SECRETARY))))
    second_member = str(24 + int(cw.ids.index(cw.holder(Office.DISCIPLINE))))
    K = ["--council", c.address]
    ok("council", "vote", str(a), "--position", "yes", "--out", str(tmp / "vote-a.json"), "--from", first_member, *K)
    ok("council", "vote", str(d), "--position", "yes", "--out", str(tmp / "vote-d1.json"), "--from", first_member, *K)
    ok("council", "vote", str(d), "--position", "no", "--out", str(tmp / "vote-d2.json"), "--from", second_member, *K)
    W.update(motion_voting=str(a), motion_classifying=str(b), motion_expired=str(cc), member=first_member,
             member2=second_member, vote_a=str(tmp / "vote-a.json"), motion_revealing=str(d),
             vote_d1=str(tmp / "vote-d1.json"), vote_d2=str(tmp / "vote-d2.json"),
             secretariat=str(Staff.SECRETARIAT), council_admin="0")  # fmt: skip

    # ---- evidence: an anchored document, an oath, a handover signed by one side, a raised dispute
    led = ew.ledger
    doc = tmp / "decision.pdf"
    doc.write_bytes("关于村道维修的决定".encode())
    fp = led.anchor(doc.read_bytes(), DocMeta("关于村道维修的决定", Category.LIVELIHOOD), ew.key(0))
    W.update(ledger=led.contract.address, doc=str(doc), doc_fp=hexid(fp), doc_signer="34", trace=led.verify(doc.read_bytes()).trace or "")
    h = ew.handover
    evidence_kit.reseat(ew, int(Office.SECRETARY), 5)  # the world's clock moved on: the oath follows a fresh seating,
    evidence_kit.reseat(ew, int(Office.SECRETARY), 0)  # after person 5 (the handover's outgoing party, R-DOC-7)
    oid = h.schedule_oath(ew.ids[0], Office.SECRETARY, Staff.OATH)
    h.record_oath(oid, b"\x00video", Staff.OATH)
    checklist = {"credentials": ["党委公章"], "files": ["会议纪要"], "assets": ["公务用车"], "work_items": ["村道维修项目"]}
    hid = h.open(oid, ew.ids[5], ew.ids[6], checklist, Staff.OATH)
    h.sign(hid, ew.ids[0], ew.key(0))
    did = h.raise_dispute(hid, "公务用车", b"not handed over", False, ew.key(0))
    oid2 = h.schedule_oath(ew.ids[1], Office.DISCIPLINE, Staff.OATH)
    W.update(handover=h.contract.address, oath=str(oid), oath_unrecorded=str(oid2), handover_id=str(hid), dispute=str(did),
             incoming="34", outgoing_id=hexid(ew.ids[5]), supervisor_id=hexid(ew.ids[6]), oath_supervisor=str(Staff.OATH),
             evidence_jurisdiction=ew.jurisdiction.address, evidence_persons=ew.persons.address, keeper=chain.accounts[Staff.KEEPER].address,
             org=str(Staff.ORG), incoming_id=hexid(ew.ids[0]))  # fmt: skip
    cal = CalendarClient.of_jurisdiction(chain, ew.jurisdiction)
    W.update(calendar=cal.address, calendar_year=str(cal.published_years()[0]), calendar_authority="0",
             calendar_notice=str(Path(__file__).parent.parent / "calendar" / "notice-2027.yaml"))  # fmt: skip

    # ---- oversized lists (expanded in place where an argument is exactly "{name}")
    W.update(many_people=[f"3301101999{i:08d}" for i in range(250)], many_bases=["--basis", str(doc)] * 101,
             many_recipients=["--recipient", "各村委会"] * 101, seventeen=",".join(f"3301101999{i:08d}" for i in range(17)),
             many_items=[f"项目 {i}" for i in range(1001)], long_title="题" * 2000, long_summary="x" * 20000)  # fmt: skip

    # ---- an admin timelock (issue 17): body A the organisation department, body B the auditor's key, 7 days
    from zhili.admin import AdminClient
    from zhili.types import Role

    tl = AdminClient.deploy(chain, 7 * 86400, [chain.accounts[Staff.ORG].address], [chain.accounts[Staff.AUDITOR].address], sender=Staff.ADMIN)
    j = ew.jurisdiction
    op = tl.schedule(j.address, tl.role_call("grant", Role.AUDITOR, chain.accounts[Staff.RELAYER].address, j.address), Staff.ORG)
    W.update(timelock=tl.address, admin_op="0x" + op.id.hex())  # scheduled, waiting 7 days

    chain.advance_time(EXPIRE)  # SHORT windows are over; LONG ones stay open
    ok("council", "reveal", str(tmp / "vote-d1.json"), *K)  # motion D: one vote opened, the other still sealed
    chain.close()
    return W


# ---------------------------------------------------------------------------- fixtures


def prepared_world(node: AnvilProcess, tmp: Path) -> Iterator[World]:
    """The prepared world on ``node``, with the signing keys in the environment while it is in use
    (the bad-input corpus and tests/cli/test_cli_json.py share it)."""
    saved = os.environ.get("ZHILI_PRIVATE_KEYS")

    def cli(argv: list[str]) -> Result:
        import contextlib
        import io

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        return Result(code, out.getvalue(), err.getvalue())

    W = build_world(node, tmp, None, cli)
    yield W
    if saved is None:
        os.environ.pop("ZHILI_PRIVATE_KEYS", None)
    else:
        os.environ["ZHILI_PRIVATE_KEYS"] = saved


@pytest.fixture(scope="module")
def world(node: AnvilProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from prepared_world(node, tmp_path_factory.mktemp("bad-input-world"))


def chain_state(url: str) -> dict[str, Any]:
    block = rpc(url, "eth_getBlockByNumber", ["latest", False])
    return {"number": int(block["number"], 16), "hash": block["hash"], "txpool": rpc(url, "txpool_status", [])}


# ---------------------------------------------------------------------------- the table


def load_cases() -> list[dict[str, Any]]:
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]


CASES = load_cases()


class _Fmt(string.Formatter):
    def __init__(self, world: World, files: dict[str, Path]) -> None:
        self.world, self.files = world, files

    def format(self, text: str, /, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        text = re.sub(r"\{f:(\w+)\}", lambda m: str(self.files[m.group(1)]).replace("{", "{{").replace("}", "}}"), text)
        return super().format(text, *args, **kwargs)

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        return self.world[key]


def _whole(value: Any, world: World) -> Any:
    """A lone ``"{name}"`` whose world value is a list stands for the list itself."""
    if isinstance(value, str) and re.fullmatch(r"\{\w+\}", value) and isinstance(world.get(value[1:-1]), list):
        return world[value[1:-1]]
    if isinstance(value, dict):
        return {k: _whole(v, world) for k, v in value.items()}
    return value


def expand(argv: list[str], fmt: _Fmt) -> list[str]:
    out: list[str] = []
    for a in argv:
        v = _whole(a, fmt.world)
        out += [str(x) for x in v] if isinstance(v, list) else [fmt.format(a)]
    return out


def make_file(path: Path, spec: Any, fmt: _Fmt) -> None:
    """``text`` | {repeat, times} | {yaml: obj} | {json_from: placeholder, set: {...}} | {lines: n, prefix}."""
    if isinstance(spec, str):
        path.write_text(fmt.format(spec) if "{" in spec and "}" in spec and not spec.lstrip().startswith(("{", "[")) else spec, encoding="utf-8")
    elif "repeat" in spec:
        path.write_text(str(spec["repeat"]) * int(spec["times"]), encoding="utf-8")
    elif "yaml" in spec:
        path.write_text(yaml.safe_dump(_whole(spec["yaml"], fmt.world), allow_unicode=True), encoding="utf-8")
    elif "json_from" in spec:
        data = json.loads(Path(fmt.format(spec["json_from"])).read_text())
        data.update(spec.get("set", {}))
        path.write_text(json.dumps(data), encoding="utf-8")
    elif "lines" in spec:
        path.write_text("\n".join(f"{spec.get('prefix', 'line')} {i}" for i in range(int(spec["lines"]))), encoding="utf-8")
    elif "bytes" in spec:
        path.write_bytes(b"\0" * int(spec["bytes"]))
    else:
        raise ValueError(f"unknown file spec {spec!r}")


def test_doc_lists_every_case() -> None:
    doc = DOC_FILE.read_text(encoding="utf-8")
    missing = [c["id"] for c in CASES if f"`{c['id']}`" not in doc]
    assert not missing, f"docs/bad-input.md does not list {missing}"
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input(case: dict[str, Any], world: World, node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    files = {name: tmp_path / f"{name}{Path(str(name)).suffix or '.txt'}" for name in case.get("files", {})}
    fmt = _Fmt(world, files)
    for name, spec in case.get("files", {}).items():
        make_file(files[name], spec, fmt)
    for k, v in case.get("env", {}).items():
        monkeypatch.setenv(k, fmt.format(v))
    argv = expand(case["argv"], fmt)
    if case.get("chain", True):
        argv += ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]
    before = chain_state(node.url)
    r = run_cli(capsys, argv)
    after = chain_state(node.url)
    show = f"zhili {' '.join(argv)}\n-> exit {r.code}\nstdout: {r.out}\nstderr: {r.err}"
    assert r.crash is None, f"uncaught {r.crash}\n{show}"
    assert r.code == case.get("exit", 2), show
    for needle in case["says"]:
        assert fmt.format(needle).lower() in r.text.lower(), f"message lacks {needle!r}\n{show}"
    assert "Traceback" not in r.text, show
    assert after == before, f"the chain changed: {before} -> {after}\n{show}"
    for p in case.get("absent", []):
        assert not Path(fmt.format(p)).exists(), f"{p} was written\n{show}"
    if os.environ.get("ZHILI_BAD_INPUT_LOG"):  # the messages, for docs/bad-input.md
        with open(os.environ["ZHILI_BAD_INPUT_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps({"id": case["id"], "exit": r.code, "message": r.text}, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------- wrong chain id, every command


def leaf_commands() -> dict[str, argparse.ArgumentParser]:
    """Every ``zhili A [B]`` whose parser takes ``--chain-id``."""
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(p: argparse.ArgumentParser, path: list[str]) -> None:
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            if any("--chain-id" in a.option_strings for a in p._actions):
                found[" ".join(path)] = p
            return
        for name, sp in subs[0].choices.items():
            walk(sp, path + [name])

    walk(build_parser(), [])
    return found


ADDR = "0x" + "11" * 20
# the least each command needs to get as far as connecting (values are well-formed but arbitrary)
REQUIRED = {
    "--code": "330110-009", "--name": "x", "--manifest": "{tmp}/none.json", "--election": ADDR, "--council": ADDR,
    "--ledger": ADDR, "--handover": ADDR, "--jurisdiction": ADDR, "--persons": ADDR, "--term": "1", "--key": ADDR,
    "--report": "{doc}", "--electorate": "party", "--reason": "{doc}", "--out": "{tmp}/wrong-chain-out",
    "--credential": "{credential0}", "--category": "strategic", "--content": "{doc}", "--alternative": "livelihood",
    "--opinion": "{doc}", "--position": "yes", "--title": "t", "--previous": "0x" + "22" * 32, "--office": "secretary",
    "--recording": "{doc}", "--oath": "0", "--outgoing": "x", "--supervisor": "y", "--checklist": "{doc}", "--kind": "missing",
    "--file": "{doc}", "--item": "x", "--store": "{tmp}/store", "--log": "{tmp}/log", "--keeper": ADDR, "--accused": "x",
    "--evidence": "{doc}", "--reporter": "y", "--committee-key": "{committee_pub}", "--blob-out": "{tmp}/wrong-chain-blob",
    "--receipt-out": "{tmp}/wrong-chain-receipt", "--reviewers": f"{ADDR},{ADDR}", "--conclusion": "substantiated",
    "--review": "{doc}", "--opening": "{doc}", "--result": "{doc}", "--finding": "unfounded", "--notice": "{doc}",
    "--person": "x", "--grounds": "{doc}", "--answer": "{doc}", "--calendar": ADDR, "--db": "{tmp}/wrong-chain.db",
    "--district": "d", "--framework": ADDR, "--village": ADDR, "--market": ADDR, "--month": "2026-04", "--criterion": "P01",
    "--day": "3", "--subject": "x", "--year": "2026", "--colour": "blue", "--duties": "{doc}", "--person-key": "0", "--quantity": "1",
    "--team": ADDR, "--body": "people", "--post": "x", "--new-key": ADDR, "--cppcc": ADDR, "--vote": "for",
    "--box": ADDR, "--round": "0", "--device": "{tmp}/wrong-chain-device", "--scrutiny": ADDR, "--member": "x",
    "--dealer": "0", "--accuser": "1", "--ballot": "{ballot0}", "--identity": "0x" + "33" * 32, "--account": ADDR,
    "--on": "jurisdiction",
}  # fmt: skip
TYPED = {"year": "2026", "days": "7", "version": "1"}  # positionals whose type refuses "0"
POSITIONAL = {"support": None}


def minimal_argv(path: str, parser: argparse.ArgumentParser) -> list[str]:
    argv = path.split()
    for a in parser._actions:
        if a.option_strings:
            if a.required and not isinstance(a, argparse._StoreTrueAction):
                opt = a.option_strings[-1] if a.option_strings[-1].startswith("--") else a.option_strings[0]
                if isinstance(a, argparse._StoreConstAction) or a.nargs == 0:
                    argv.append(opt)
                else:
                    argv += [opt, REQUIRED[opt]]
        elif a.dest not in ("help",) and not isinstance(a, argparse._SubParsersAction):
            if a.dest in TYPED:
                argv.append(TYPED[a.dest])
            elif a.choices:
                argv.append(list(a.choices)[0])
            elif a.type not in (None, str):
                argv.append("0")
            else:
                argv.append("township" if a.dest in ("scenario", "profile") else "{doc}" if a.dest in ("file", "ballots", "votes") else "x")
    if path in ("council dispute-vote",):
        argv.append("--support")
    if path == "team consent":  # a required choice between two flags
        argv.append("--yes")
    return argv


LEAVES = leaf_commands()


def test_every_chain_command_is_swept() -> None:
    # the sweep below covers what the parser offers; build and keygen take no chain
    assert {"deploy", "status", "run", "demo", "bench", "election relay", "council vote", "doc anchor", "merit report", "succession join"} <= set(LEAVES)
    assert "merit keygen" not in LEAVES and "build" not in LEAVES


@pytest.mark.parametrize("command", sorted(LEAVES))
def test_wrong_chain_id(command: str, world: World, node: AnvilProcess, capsys: pytest.CaptureFixture[str]) -> None:
    fmt = _Fmt(world, {})
    argv = [fmt.format(a) for a in minimal_argv(command, LEAVES[command])] + ["--chain", node.url, "--chain-id", str(WRONG_CHAIN_ID)]
    before = chain_state(node.url)
    r = run_cli(capsys, argv)
    after = chain_state(node.url)
    show = f"zhili {' '.join(argv)}\n-> exit {r.code}\nstdout: {r.out}\nstderr: {r.err}"
    assert r.crash is None, f"uncaught {r.crash}\n{show}"
    assert r.code == 3, show
    assert re.search(rf"chain id.*expected {WRONG_CHAIN_ID}.*reports {ANVIL_CHAIN_ID}", r.text), show
    assert after == before, show
    for leftover in ("wrong-chain-out", "wrong-chain-blob", "wrong-chain-receipt", "wrong-chain.db", "wrong-chain-device"):
        assert not Path(world["tmp"], leftover).exists(), f"{leftover} written\n{show}"
