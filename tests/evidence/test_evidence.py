"""EvidenceLedger rule by rule (R-DOC-1 ... R-DOC-5) on both chains, and the rebuild from events."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from eth_account import Account
from eth_utils import keccak

from chain_kit import revert
from evidence_kit import EvidenceWorld, build_world, reseat
from zhili.core import eip712
from zhili.core.chain import Chain
from zhili.core.store import DirectoryStore, StoreError, fingerprint
from zhili.evidence.client import (
    DocMeta,
    EvidenceClient,
    Kind,
    Status,
    doc_input,
    parse_trace,
    typed_document,
)
from zhili.testing import Staff
from zhili.types import Category, Office, Role

META = DocMeta(
    title="关于2025年度农村道路维修的决定",
    category=Category.LIVELIHOOD,
    summary="对全镇12条村道进行维修。",
    recipients=("各村委会", "财政所"),
    basis=(keccak(text="《农村公路条例》"),),
)


def test_anchor_verify_and_trace_code(w: EvidenceWorld) -> None:
    # R-DOC-2, R-DOC-3: fingerprint, signer, time and a trace code issued by the contract
    led, secretary = w.ledger, w.key(0)
    fp = led.anchor(b"decision text v1", META, secretary)
    assert fp == fingerprint(b"decision text v1")
    v = led.verify(b"decision text v1")
    assert v.valid and v.status == Status.CURRENT and v.signer == w.ids[0] and v.version == 1
    now = int(w.chain.w3.eth.get_block("latest")["timestamp"])
    assert v.anchored_at == now
    t, _ = parse_trace(v.trace)
    assert re.fullmatch(r"330110-001-20\d\d-LI-0001", v.trace) and t.category == Category.LIVELIHOOD
    assert str(t) == v.trace
    # the sequence runs per category: a second livelihood and a first strategic document
    led.anchor(b"other livelihood", META, secretary)
    led.anchor(b"a strategic plan", DocMeta(title="三年规划", category=Category.STRATEGIC), w.key(1))
    assert led.verify(b"other livelihood").trace.endswith("-LI-0002")
    assert led.verify(b"a strategic plan").trace.endswith("-ST-0001")
    # the kept signature re-verifies from the chain alone (R-DOC-3)
    (hist,) = led.history(v.trace)
    assert led.check_signature(hist) and hist.title == META.title
    j = hist.as_json()
    assert j["recipients"] == ["各村委会", "财政所"] and j["summary"] == META.summary


def test_sm3_fingerprints(w: EvidenceWorld) -> None:
    # R-DOC-3: SM3 for users bound to the national standard; verify finds it by trying both algorithms
    assert fingerprint(b"abc", "sm3").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    w.ledger.anchor(b"sm3 document", META, w.key(0), algorithm="sm3")
    v = w.ledger.verify(b"sm3 document")
    assert v.valid and v.algorithm == "sm3" and v.fingerprint == fingerprint(b"sm3 document", "sm3")


def test_unknown_and_tampered_files_are_not_valid(w: EvidenceWorld) -> None:
    # R-DOC-1: an instruction whose file is not anchored (or was altered by one byte) has no valid document
    w.ledger.anchor(b"the real instruction", META, w.key(0))
    assert not w.ledger.verify(b"the real instruction!").valid
    v = w.ledger.verify(b"never anchored")
    assert v.status == Status.NONE and v.trace is None


def test_versions_amend_supplement_revoke(w: EvidenceWorld) -> None:
    # R-DOC-4: new versions keep the trace code, link both ways, one current, history kept
    led, k = w.ledger, w.key(0)
    v1 = led.anchor(b"v1", META, k)
    v2 = led.new_version(v1, Kind.AMENDMENT, b"v2", META, "预算调整", k)
    v3 = led.new_version(v2, Kind.SUPPLEMENT, b"v3", META, "补充实施细则", w.key(8))  # the profile's role (upper committee)
    trace = led.verify(b"v1").trace
    hist = led.history(trace)
    assert [h.version for h in hist] == [1, 2, 3]
    assert [h.status for h in hist] == [Status.SUPERSEDED, Status.SUPERSEDED, Status.CURRENT]
    assert [h.previous for h in hist] == [b"\0" * 32, v1, v2]  # back links; forward = same trace, version + 1
    assert hist[2].reason == "补充实施细则" and hist[2].signer == w.ids[8]
    assert all(led.check_signature(h) for h in hist)
    assert led.verify(b"v1").latest.fingerprint == v3  # type: ignore[union-attr]
    # a second current version: amending a superseded version is refused
    e = revert(led.new_version, v1, Kind.AMENDMENT, b"v2-bis", META, "again", k)
    assert e.error == "NotCurrent" and e.rule == "R-DOC-4"
    v4 = led.new_version(v3, Kind.REVOCATION, b"revocation notice", META, "决定撤销", k)
    hist = led.history(trace)
    assert [h.status for h in hist] == [Status.SUPERSEDED, Status.SUPERSEDED, Status.REVOKED, Status.REVOKED]
    assert not led.verify(b"v3").valid and not led.verify(b"revocation notice").valid
    # amending a revoked document is refused, nothing written
    for prev in (v3, v4):
        e = revert(led.new_version, prev, Kind.AMENDMENT, b"v5", META, "revive", k)
        assert e.error == "DocumentRevoked" and e.rule == "R-DOC-4"
    assert led.verify(b"v5").status == Status.NONE


def test_version_input_errors(w: EvidenceWorld) -> None:
    led, k = w.ledger, w.key(0)
    v1 = led.anchor(b"v1", META, k)
    assert revert(led.new_version, v1, Kind.AMENDMENT, b"v2", META, "", k).error == "EmptyReason"  # R-DOC-4
    other = DocMeta(title="x", category=Category.STRATEGIC)
    e = revert(led.new_version, v1, Kind.AMENDMENT, b"v2", other, "r", k)
    assert e.error == "CategoryChanged" and e.rule == "R-DOC-2"
    assert revert(led.new_version, keccak(text="nothing"), Kind.AMENDMENT, b"v2", META, "r", k).error == "UnknownDocument"
    assert revert(led.new_version, v1, Kind.ORIGINAL, b"v2", META, "r", k).error == "NotAVersionKind"
    assert revert(led.anchor, b"t", DocMeta(title=""), k).error == "EmptyTitle"


def test_signature_errors(w: EvidenceWorld) -> None:
    # R-DOC-3: wrong signer, unknown signer, replayed signature, signature for another ledger
    led, k = w.ledger, w.key(0)
    doc, pid, r, vs = led.prepare(b"signed by 0", META, k)
    # person 1 claims person 0's document with their own key (committed first, so the signature is what fails)
    led.commit(doc[0], w.ids[1], Staff.ADMIN)
    e = revert(led.chain.transact, led.contract.functions.anchor(doc, w.ids[1], r, vs), k)
    assert e.error == "PersonSignatureInvalid" and e.rule == "none" and e.args_by_name["person"] == w.ids[1]
    stranger = Account.from_key(keccak(text="stranger"))
    e = revert(led.anchor, b"x", META, stranger, signer_id=keccak(text="nobody"), sender=Staff.ADMIN)
    assert e.error == "UnknownSigner"
    # a tampered title breaks the signature
    bad = (doc[0], doc[1], doc[2], doc[3], "另一个标题", doc[5])
    led.commit(doc[0], pid, Staff.ADMIN)
    assert revert(led.chain.transact, led.contract.functions.anchor(bad, pid, r, vs), Staff.ADMIN).error == "PersonSignatureInvalid"
    led.chain.transact(led.contract.functions.anchor(doc, pid, r, vs), Staff.ADMIN)  # anyone may relay a signed document
    e = revert(led.chain.transact, led.contract.functions.anchor(doc, pid, r, vs), Staff.ADMIN)
    assert e.error == "AlreadyAnchored" and e.args_by_name["version"] == 1  # replay
    # a signature made for another ledger (EIP-712 domain) does not verify here
    other = EvidenceClient.deploy(w.chain, w.jurisdiction, w.persons)
    doc2, _, r2, vs2 = other.prepare(b"for the other ledger", META, k)
    led.commit(doc2[0], pid, Staff.ADMIN)
    assert revert(led.chain.transact, led.contract.functions.anchor(doc2, pid, r2, vs2), Staff.ADMIN).error == "PersonSignatureInvalid"
    typed = typed_document(led.contract.address, w.chain.chain_id, doc_input(doc2[0], "sha256", META), Kind.ORIGINAL, b"\0" * 32, "", pid)
    assert eip712.sign_compact(k, typed) != (r2, vs2)


def test_key_rotation_keeps_the_person(w: EvidenceWorld) -> None:
    # R-DOC-3 with lifetime persons: after a key rotation old signatures still re-verify (key at that
    # block) and new documents need the new key
    led = w.ledger
    led.anchor(b"before rotation", META, w.key(0))
    new_key = Account.from_key(keccak(text="rotated key"))
    w.chain.transact(w.persons.functions.rotateKey(w.ids[0], new_key.address), w.key(0))  # by the old key (issue 17)
    w.chain.fund(new_key.address, 10**18)
    (old,) = led.history(led.verify(b"before rotation").trace)
    assert led.check_signature(old)
    e = revert(led.anchor, b"after", META, w.key(0), signer_id=w.ids[0])
    assert e.error == "PersonSignatureInvalid"
    led.anchor(b"after", META, new_key)
    assert led.verify(b"after").signer == w.ids[0]


def test_motion_link(w: EvidenceWorld) -> None:
    # R-DOC-2: the weighted result and first responsible person come from the council, not retyped
    w.decide(7, Category.LIVELIHOOD)
    w.decide(8, Category.LIVELIHOOD, passed=False, yes=140)
    led, k = w.ledger, w.key(0)
    fp = led.anchor(b"executes motion 7", DocMeta(title="执行决定", category=Category.LIVELIHOOD, motion_id=7), k)
    (v,) = led.history(led.verify(b"executes motion 7").trace)
    assert v.motion_id == 7 and v.decision is not None
    assert v.decision["firstResponsible"] == "0x" + w.ids[0].hex() and v.decision["yesWeight"] == 200
    assert v.positions is None  # township: only the weighted result (R-WD-5)
    assert led.record(fp)["motionId"] == 7
    e = revert(led.anchor, b"failed motion", DocMeta(title="x", category=Category.LIVELIHOOD, motion_id=8), k)
    assert e.error == "MotionNotPassed" and e.args_by_name["yesWeight"] == 140
    e = revert(led.anchor, b"wrong category", DocMeta(title="x", category=Category.STRATEGIC, motion_id=7), k)
    assert e.error == "CategoryMismatch"
    e = revert(led.anchor, b"unknown motion", DocMeta(title="x", category=Category.LIVELIHOOD, motion_id=99), k)
    assert e.error == "MotionNotDecided"
    no_council = EvidenceClient.deploy(w.chain, w.jurisdiction, w.persons)
    assert revert(no_council.anchor, b"m", DocMeta(title="x", category=Category.LIVELIHOOD, motion_id=7), k).error == "NoCouncil"


def test_county_records_positions(session_chain: Chain) -> None:
    # R-WD-5 / R-DOC-2: the county profile records each member's position and weight in the document
    chain = session_chain
    snap = chain.snapshot()
    try:
        cw = build_world(chain, "county", "330100")
        cw.decide(3, Category.LEGISLATIVE)
        cw.ledger.anchor(b"county decision", DocMeta(title="县人大监督决定", category=Category.LEGISLATIVE, motion_id=3), cw.key(2))
        (v,) = cw.ledger.history(cw.ledger.verify(b"county decision").trace)
        assert v.trace.startswith("330100-") and v.positions is not None
        assert v.positions["votes"] == [1, 1, 2, 3, 1] and v.positions["weights"] == [80, 60, 100, 40, 20]
    finally:
        chain.revert_to(snap)


def test_access_log_anchor(w: EvidenceWorld) -> None:
    # R-DOC-5: only a records keeper anchors, and only to extend its log
    led = w.ledger
    assert revert(led.anchor_access_log, keccak(text="h1"), 1, Staff.ADMIN).error == "JurisdictionRoleRequired"
    led.anchor_access_log(keccak(text="h1"), 1, Staff.KEEPER)
    e = revert(led.anchor_access_log, keccak(text="h0"), 1, Staff.KEEPER)
    assert e.error == "LogNotExtended" and e.rule == "R-DOC-5"
    led.anchor_access_log(keccak(text="h3"), 3, Staff.KEEPER)
    head, entries, _ = w.chain.call(led.contract.functions.accessLog(w.chain.accounts[Staff.KEEPER].address))
    assert (bytes(head), entries) == (keccak(text="h3"), 3)


def test_store_is_written_only_after_the_chain_accepts(w: EvidenceWorld, tmp_path: Path) -> None:
    # nothing half-written: a refused anchor leaves the content store untouched
    store = DirectoryStore(tmp_path / "store")
    fp = w.ledger.anchor(b"stored", META, w.key(0), store=store)
    assert store.get(fp) == b"stored"
    revert(w.ledger.anchor, b"refused", DocMeta(title=""), w.key(0), store=store)
    assert not store.has(fingerprint(b"refused"))
    # a file altered on disk is reported, never served
    path = next((tmp_path / "store" / "sha256").rglob(fp.hex()))
    path.write_bytes(b"altered")
    with pytest.raises(StoreError, match="altered"):
        store.get(fp)


def test_rebuild_from_events_equals_contract_state(w: EvidenceWorld) -> None:
    # every state change is in the events: replaying them gives the contract's storage
    led = w.ledger
    w.decide(5, Category.STRATEGIC)
    fps = [led.anchor(f"doc {i}".encode(), META, w.key(i % 3)) for i in range(4)]
    fps.append(led.anchor(b"motion doc", DocMeta(title="m", category=Category.STRATEGIC, motion_id=5), w.key(0)))
    fps.append(led.new_version(fps[0], Kind.AMENDMENT, b"doc 0 v2", META, "r", w.key(0)))
    fps.append(led.new_version(fps[-1], Kind.REVOCATION, b"doc 0 revoked", META, "r", w.key(8)))
    fps.append(led.new_version(fps[1], Kind.SUPPLEMENT, b"doc 1 v2", META, "r", w.key(1)))
    led.anchor_access_log(keccak(text="head"), 4, Staff.KEEPER)
    rebuilt = led.rebuild()
    state = led.state_of(fps, len(rebuilt["signers"]), [w.chain.accounts[Staff.KEEPER].address])
    assert rebuilt == state
    assert set(rebuilt["records"]) == set(fps)
    assert rebuilt["counters"]["documents"] == 5 and rebuilt["counters"]["signers"] == 4


def test_year_of_trace_codes_follows_china_standard_time(chain: Chain) -> None:
    # R-DOC-2: the trace code's year is the calendar year in China (UTC+8), at every New Year 1971-2100
    import datetime as dt

    from zhili.core.workdays import CST

    led = chain.deploy("EvidenceLedger", *_zero_ctor(chain))
    for year in range(1971, 2101):
        new_year = int(dt.datetime(year, 1, 1, tzinfo=CST).timestamp())
        assert chain.call(led.functions.yearOf(new_year)) == year
        assert chain.call(led.functions.yearOf(new_year - 1)) == year - 1


def _zero_ctor(chain: Chain) -> list[str]:
    """Constructor arguments for a bare ledger (only its pure functions are used)."""
    from zhili import profiles
    from zhili.jurisdiction import registry

    j = registry.deploy_jurisdiction(chain, profiles.load("township"), "YEAR", "year test")
    return [j.address, "0x" + "00" * 19 + "01", "0x" + "00" * 20, [b"\0" * 32] * 5]


# ------------------------------------------------------------------ the insider (issue 17)


def test_attack_registered_person_amends_or_revokes_an_officials_document(w: EvidenceWorld) -> None:
    # R-DOC-4: only the original's signer, the current holder of the office that signed it, or a holder
    # of the profile's role for its category (upper committee) may add a version; a revocation is terminal
    led = w.ledger
    v1 = led.anchor(b"the secretary's decision", META, w.key(0))
    rec = led.record(v1)
    assert rec["office"] == int(Office.SECRETARY) + 1 and rec["originalSigner"] == rec["signer"]
    for who, kind in ((7, Kind.REVOCATION), (7, Kind.AMENDMENT), (1, Kind.REVOCATION)):  # 7: no office; 1: another office
        e = revert(led.new_version, v1, kind, f"forged by {who} {int(kind)}".encode(), META, "撤销", w.key(who))
        assert e.error == "NotAnswerable" and e.rule == "R-DOC-4"
        a = e.args_by_name
        assert (a["signer"], a["originalSigner"], a["office"], a["role"]) == (w.ids[who], w.ids[0], 1, Role.UPPER_COMMITTEE)
    assert led.verify(b"the secretary's decision").valid  # still the current version
    # who answers for it: the next holder of the office that signed it, and the signer out of office
    reseat(w, Office.SECRETARY, 7)
    v2 = led.new_version(v1, Kind.AMENDMENT, b"by the new secretary", META, "继任者修订", w.key(7))
    led.new_version(v2, Kind.SUPPLEMENT, b"by the original signer", META, "补充", w.key(0))
    assert [led.record(f)["originalSigner"] for f in (v1, v2)] == [rec["signer"]] * 2  # kept by every version
    # a document signed by a person in no office: only that person or the profile's role
    d = led.anchor(b"a department's notice", META, w.key(5))
    assert led.record(d)["office"] == 0
    e = revert(led.new_version, d, Kind.REVOCATION, b"revoked by the secretary", META, "r", w.key(7))
    assert e.error == "NotAnswerable" and e.args_by_name["office"] == 0


def test_attack_fingerprint_squatting_does_not_block_the_real_signer(w: EvidenceWorld) -> None:
    # R-DOC-3: someone who sees the anchor transaction anchors the same fingerprint first under their own
    # signature. Every fingerprint needs a commitment (fingerprint, signer) from an earlier block; the
    # squatter has none, so the real anchor lands (the same-block edge is the forge test
    # test_commitFirstDefeatsFingerprintSquatting)
    led = w.ledger
    data = b"the land requisition decision"
    doc, pid, r, vs = led.prepare(data, META, w.key(0))
    led.commit(bytes(doc[0]), pid, w.key(0))  # the commitment hides the fingerprint
    sdoc, spid, sr, svs = led.prepare(data, META, w.key(7))  # copied from the pending anchor, signed by 7
    e = revert(w.chain.transact, led.contract.functions.anchor(sdoc, spid, sr, svs), w.key(7))
    assert e.error == "NotCommitted" and e.rule == "R-DOC-3" and e.args_by_name["committedAt"] == 0
    assert e.args_by_name["signer"] == w.ids[7]
    w.chain.transact(led.contract.functions.anchor(doc, pid, r, vs), Staff.ADMIN)  # the real anchor, relayed
    e = revert(led.anchor, data, META, w.key(7))  # a commitment made after seeing it comes too late
    assert e.error == "AlreadyAnchored"
    assert led.verify(data).signer == w.ids[0]
