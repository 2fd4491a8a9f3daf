"""Offline fallback (contracts/council/CouncilMinutes.sol): back-filled paper decisions and emergency seal uses, R-WD-8."""

from __future__ import annotations

from dataclasses import replace

from eth_account import Account
from eth_utils import keccak

from chain_kit import revert
from council_kit import BASIS, PLAN, CouncilWorld
from zhili.core.chain import Chain
from zhili.council.client import Kind, Minutes, Position, Status, seal_use_signature, text_id
from zhili.testing import Staff
from zhili.types import CORE_OFFICES, Category, Office

S, D, C, K, A = CORE_OFFICES
YES, NO, ABSTAIN = Position.YES, Position.NO, Position.ABSTAIN


def now(chain: Chain) -> int:
    return int(chain.w3.eth.get_block("latest")["timestamp"])


def paper(world: CouncilWorld, votes: dict[Office, Position], **kw) -> Minutes:  # type: ignore[no-untyped-def]
    meeting = now(world.chain) - 3 * 86400  # the platform was down three days ago
    kw.setdefault("category", Category.STRATEGIC)
    return Minutes(
        content_hash=keccak(text="防汛应急抢修"), basis_refs=BASIS, plan_id=PLAN, lead_opinion=keccak(text="书记意见"),
        meeting_time=meeting, votes=votes, minutes_hash=keccak(text="会议纪要扫描件"), **kw,
    )  # fmt: skip


def signed(world: CouncilWorld, mins: Minutes, offices: list[Office] | None = None) -> dict[Office, bytes]:
    return {o: world.council.sign_minutes(mins, world.key(o)) for o in (offices if offices is not None else list(mins.votes))}


def test_backfill_records_paper_decision_with_real_meeting_time(world: CouncilWorld) -> None:
    # R-WD-8: every present member signs the minutes (EIP-712); back-filled flag; the real meeting time
    c = world.council
    mins = paper(world, {S: YES, D: YES, C: NO, K: ABSTAIN})  # the administrator was absent
    mid = c.backfill(mins, signed(world, mins), Staff.RELAYER)
    v = c.motion(mid)
    assert v.backfilled and v.status == Status.PASSED and v.decided_at == mins.meeting_time
    assert v.yes == 180 and v.positions == [YES, YES, NO, ABSTAIN, Position.NONE]
    d = c.decision(mid)
    assert d["backfilled"] and d["decidedAt"] == mins.meeting_time and d["firstResponsible"] == world.ids[0]
    (ev,) = c.minutes.events.MinutesRecorded().get_logs(from_block=0)
    assert ev.args.id == mid and ev.args.digest == c.minutes_digest(mins)
    assert list(ev.args.signers) == [*world.ids[:4], b"\0" * 32]
    # the same minutes cannot be recorded twice
    err = revert(c.backfill, mins, signed(world, mins), Staff.RELAYER)
    assert err.error == "AlreadyRecorded" and err.rule == "R-WD-8"


def test_client_signs_the_digest_the_contract_checks(world: CouncilWorld) -> None:
    # R-WD-8: the EIP-712 message built by the client hashes to the contract's digest
    from eth_account.messages import encode_typed_data

    c = world.council
    mins = paper(world, {S: YES, C: YES})
    msg = encode_typed_data(full_message=mins.typed_data(c.minutes.address, world.chain.chain_id))
    assert keccak(b"\x19" + msg.version + msg.header + msg.body) == c.minutes_digest(mins)


def test_backfill_threshold_and_budget_apply(world: CouncilWorld) -> None:
    # R-WD-8 with R-WD-2 and R-WD-7: a paper vote below 160 is recorded as rejected; spending beyond the budget is refused
    c = world.council
    mins = paper(world, {S: YES, K: YES, A: NO})
    mid = c.backfill(mins, signed(world, mins), Staff.RELAYER)
    assert c.motion(mid).status == Status.REJECTED and c.motion(mid).yes == 140
    line = text_id("2025 应急")
    budget = paper(world, {C: YES, S: YES}, category=Category.LEGISLATIVE, kind=Kind.BUDGET, budget_line=line, year=2025, amount=500)
    c.backfill(budget, signed(world, budget), Staff.RELAYER)
    assert c.budget_lines()[0]["approved"] == 500
    spend = paper(world, {A: YES, S: YES}, category=Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=line, amount=600)
    err = revert(c.backfill, spend, signed(world, spend), Staff.RELAYER)
    assert err.error == "OverBudget" and err.rule == "R-WD-7"
    assert c.budget_lines()[0]["spent"] == 0


def test_backfill_missing_or_forged_signature(world: CouncilWorld) -> None:
    # R-WD-8: every present member's signature, by their current key, over exactly these minutes
    c = world.council
    mins = paper(world, {S: YES, D: YES, C: YES})
    sigs = signed(world, mins, [S, D])
    err = revert(c.backfill, mins, sigs, Staff.RELAYER)
    assert err.error == "MissingSignature" and err.rule == "R-WD-8" and err.args_by_name["office"] == C
    forged = {**sigs, C: c.sign_minutes(mins, Account.create())}
    err = revert(c.backfill, mins, forged, Staff.RELAYER)
    assert err.error == "PersonSignatureInvalid" and err.rule == "none" and err.args_by_name["person"] == world.holder(C)
    other = paper(world, {S: YES, D: YES, C: NO})  # C signed different minutes
    swapped = {**sigs, C: c.sign_minutes(other, world.key(C))}
    assert revert(c.backfill, mins, swapped, Staff.RELAYER).error == "PersonSignatureInvalid"
    assert revert(c.backfill, mins, {**sigs, C: b"\1" * 65}, Staff.RELAYER).error == "PersonSignatureInvalid"
    world.vacate(K)
    vacant = paper(world, {S: YES, D: YES, K: YES})
    err = revert(c.backfill, vacant, signed(world, vacant, [S, D]), Staff.RELAYER)
    assert err.error == "SeatVacant" and err.rule == "R-TC-3"
    future = replace(mins, meeting_time=now(world.chain) + 3600)
    assert revert(c.backfill, future, signed(world, future), Staff.RELAYER).error == "MeetingInFuture"
    no_opinion = replace(mins, lead_opinion=b"\0" * 32)
    assert revert(c.backfill, no_opinion, signed(world, no_opinion), Staff.RELAYER).error == "IncompleteMinutes"
    assert c.motion_count() == 0  # state unchanged
    # only the minutes book may record a back-fill in the council
    err = revert(world.chain.transact, c.contract.functions.recordBackfill(mins.as_tuple()), Staff.RELAYER)
    assert err.error == "NotMinutes"


def test_emergency_seal_use_needs_two_member_signatures(world: CouncilWorld) -> None:
    # R-WD-8: an emergency seal use is recorded with two signatures
    c, chain = world.council, world.chain
    purpose = keccak(text="汛期紧急调拨物资")
    used = now(chain) - 3600

    def sig(o: Office, key=None) -> bytes:  # type: ignore[no-untyped-def]
        return seal_use_signature(key or world.key(o), c.minutes.address, chain.chain_id, purpose, used)

    err = revert(c.record_seal_use, purpose, used, [(S, sig(S)), (S, sig(S))], Staff.RELAYER)
    assert err.error == "SameSigner" and err.rule == "R-WD-8"
    err = revert(c.record_seal_use, purpose, used, [(S, sig(S)), (D, sig(D, Account.create()))], Staff.RELAYER)
    assert err.error == "PersonSignatureInvalid"
    index = c.record_seal_use(purpose, used, [(S, sig(S)), (A, sig(A))], Staff.RELAYER)
    assert index == 0
    (ev,) = c.minutes.events.SealUseRecorded().get_logs(from_block=0)
    assert (ev.args.firstSigner, ev.args.secondSigner, ev.args.usedAt) == (world.ids[0], world.ids[4], used)
    assert revert(c.record_seal_use, purpose, used, [(S, sig(S)), (A, sig(A))], Staff.RELAYER).error == "AlreadyRecorded"
