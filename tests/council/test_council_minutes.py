"""Offline fallback (contracts/council/CouncilMinutes.sol): recorded outages, back-filled paper decisions and
emergency seal uses, R-WD-8; and the insider's attacks on the paper path (issue 17): back-fill without an
outage, minutes dated before the outage or before a signer's seating, a lead opinion the lead never gave,
fewer than a quorum (the sealed-vote ring skipped by a back-fill: test_council.py::test_ring_of_open_motions)."""

from __future__ import annotations

from dataclasses import replace

from eth_account import Account
from eth_utils import keccak

from chain_kit import revert
from council_kit import BASIS, PLAN, CouncilWorld
from model.council import CouncilModel, ModelError
from zhili.core.chain import Chain
from zhili.council.client import Kind, Minutes, Position, Status, seal_use_signature, text_id
from zhili.testing import Staff
from zhili.types import CORE_OFFICES, Category, Office

S, D, C, K, A = CORE_OFFICES
YES, NO, ABSTAIN = Position.YES, Position.NO, Position.ABSTAIN
HOUR = 3600
REASON = keccak(text="电子权重投票系统故障报告")


def now(chain: Chain) -> int:
    return int(chain.w3.eth.get_block("latest")["timestamp"])


def down(world: CouncilWorld, signers: tuple[Office, Office] = (S, D)) -> tuple[int, int, int]:
    """A day after the seating, the platform was down from three hours ago to one hour ago; two members
    record it. Returns (index, start, end)."""
    world.chain.advance_time(86400)
    start, end = now(world.chain) - 3 * HOUR, now(world.chain) - HOUR
    c = world.council
    index = c.record_outage(REASON, start, end, [(o, c.outage_signature(world.key(o), REASON, start, end)) for o in signers], Staff.RELAYER)
    return index, start, end


def paper(world: CouncilWorld, votes: dict[Office, Position], meeting: int, **kw) -> Minutes:  # type: ignore[no-untyped-def]
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
    outage, start, end = down(world)
    mins = paper(world, {S: YES, D: YES, C: NO, K: ABSTAIN}, start + HOUR)  # the administrator was absent
    mid = c.backfill(mins, outage, signed(world, mins), Staff.RELAYER)
    v = c.motion(mid)
    assert v.backfilled and v.status == Status.PASSED and v.decided_at == mins.meeting_time
    assert v.yes == 180 and v.positions == [YES, YES, NO, ABSTAIN, Position.NONE]
    d = c.decision(mid)
    assert d["backfilled"] and d["decidedAt"] == mins.meeting_time and d["firstResponsible"] == world.ids[0]
    (ev,) = c.minutes.events.MinutesRecorded().get_logs(from_block=0)
    assert ev.args.id == mid and ev.args.digest == c.minutes_digest(mins)
    assert list(ev.args.signers) == [*world.ids[:4], b"\0" * 32]
    # the same minutes cannot be recorded twice
    err = revert(c.backfill, mins, outage, signed(world, mins), Staff.RELAYER)
    assert err.error == "AlreadyRecorded" and err.rule == "R-WD-8"


def test_client_signs_the_digests_the_contract_checks(world: CouncilWorld) -> None:
    # R-WD-8: the EIP-712 messages built by the client hash to the contract's digests
    from eth_account.messages import encode_typed_data

    from zhili.council.client import OUTAGE

    c = world.council
    mins = paper(world, {S: YES, C: YES}, now(world.chain))
    msg = encode_typed_data(full_message=mins.typed_data(c.minutes.address, world.chain.chain_id))
    assert keccak(b"\x19" + msg.version + msg.header + msg.body) == c.minutes_digest(mins)
    fields = {"reasonHash": REASON, "startedAt": 1, "endedAt": 2}
    msg = encode_typed_data(full_message=OUTAGE.typed_data(c.minutes.address, world.chain.chain_id, fields))
    assert keccak(b"\x19" + msg.version + msg.header + msg.body) == world.chain.call(c.minutes.functions.outageDigest(REASON, 1, 2))


def test_backfill_threshold_and_budget_apply(world: CouncilWorld) -> None:
    # R-WD-8 with R-WD-2 and R-WD-7: a paper vote below 160 is recorded as rejected; spending beyond the budget is refused
    c = world.council
    outage, start, _ = down(world)
    mins = paper(world, {S: YES, K: YES, A: NO}, start)
    mid = c.backfill(mins, outage, signed(world, mins), Staff.RELAYER)
    assert c.motion(mid).status == Status.REJECTED and c.motion(mid).yes == 140
    line = text_id("2025 应急")
    budget = paper(world, {C: YES, S: YES, D: ABSTAIN}, start, category=Category.LEGISLATIVE, kind=Kind.BUDGET, budget_line=line, year=2025, amount=500)
    c.backfill(budget, outage, signed(world, budget), Staff.RELAYER)
    assert c.budget_lines()[0]["approved"] == 500
    spend = paper(world, {A: YES, S: YES, D: ABSTAIN}, start, category=Category.LIVELIHOOD, kind=Kind.SPENDING, budget_line=line, amount=600)
    err = revert(c.backfill, spend, outage, signed(world, spend), Staff.RELAYER)
    assert err.error == "OverBudget" and err.rule == "R-WD-7"
    assert c.budget_lines()[0]["spent"] == 0


def test_backfill_missing_or_forged_signature(world: CouncilWorld) -> None:
    # R-WD-8: every present member's signature, by their current key, over exactly these minutes
    c = world.council
    outage, start, end = down(world)
    mins = paper(world, {S: YES, D: YES, C: YES}, end)
    sigs = signed(world, mins, [S, D])
    err = revert(c.backfill, mins, outage, sigs, Staff.RELAYER)
    assert err.error == "MissingSignature" and err.rule == "R-WD-8" and err.args_by_name["office"] == C
    forged = {**sigs, C: c.sign_minutes(mins, Account.create())}
    err = revert(c.backfill, mins, outage, forged, Staff.RELAYER)
    assert err.error == "PersonSignatureInvalid" and err.rule == "none" and err.args_by_name["person"] == world.holder(C)
    other = paper(world, {S: YES, D: YES, C: NO}, end)  # C signed different minutes
    swapped = {**sigs, C: c.sign_minutes(other, world.key(C))}
    assert revert(c.backfill, mins, outage, swapped, Staff.RELAYER).error == "PersonSignatureInvalid"
    assert revert(c.backfill, mins, outage, {**sigs, C: b"\1" * 65}, Staff.RELAYER).error == "PersonSignatureInvalid"
    no_opinion = replace(mins, lead_opinion=b"\0" * 32)
    assert revert(c.backfill, no_opinion, outage, signed(world, no_opinion), Staff.RELAYER).error == "IncompleteMinutes"
    world.vacate(K)
    vacant = paper(world, {S: YES, D: YES, K: YES}, end)
    err = revert(c.backfill, vacant, outage, signed(world, vacant, [S, D]), Staff.RELAYER)
    assert err.error == "SeatVacant" and err.rule == "R-TC-3"
    assert c.motion_count() == 0  # state unchanged
    # only the minutes book may record a back-fill in the council
    err = revert(world.chain.transact, c.contract.functions.recordBackfill(mins.as_tuple()), Staff.RELAYER)
    assert err.error == "NotMinutes"


def test_emergency_seal_use_needs_two_member_signatures(world: CouncilWorld) -> None:
    # R-WD-8: an emergency seal use is recorded with two signatures, of members seated by then
    c, chain = world.council, world.chain
    purpose = keccak(text="汛期紧急调拨物资")
    seated = int(chain.call(world.jurisdiction.functions.seatedAt(int(A))))
    chain.advance_time(2 * HOUR)
    used = now(chain) - HOUR

    def sig(o: Office, key=None, at: int = used) -> bytes:  # type: ignore[no-untyped-def]
        return seal_use_signature(key or world.key(o), c.minutes.address, chain.chain_id, purpose, at)

    err = revert(c.record_seal_use, purpose, used, [(S, sig(S)), (S, sig(S))], Staff.RELAYER)
    assert err.error == "SameSigner" and err.rule == "R-WD-8"
    err = revert(c.record_seal_use, purpose, used, [(S, sig(S)), (D, sig(D, Account.create()))], Staff.RELAYER)
    assert err.error == "PersonSignatureInvalid"
    early = seated - 1  # a second before the administrator was seated
    err = revert(c.record_seal_use, purpose, early, [(S, sig(S, at=early)), (A, sig(A, at=early))], Staff.RELAYER)
    assert err.error == "NotSeatedAt" and err.args_by_name["seatedAt"] == seated and err.args_by_name["time"] == early
    index = c.record_seal_use(purpose, used, [(S, sig(S)), (A, sig(A))], Staff.RELAYER)
    assert index == 0
    (ev,) = c.minutes.events.SealUseRecorded().get_logs(from_block=0)
    assert (ev.args.firstSigner, ev.args.secondSigner, ev.args.usedAt) == (world.ids[0], world.ids[4], used)
    assert revert(c.record_seal_use, purpose, used, [(S, sig(S)), (A, sig(A))], Staff.RELAYER).error == "AlreadyRecorded"


# ---------------------------------------------------------------- issue 17: attacks on the paper path


def test_backfill_without_a_recorded_outage_is_refused(world: CouncilWorld) -> None:
    # attack: three members back-fill minutes though the platform never failed; an outage takes two signatures
    c, chain = world.council, world.chain
    chain.advance_time(86400)
    t = now(chain)
    mins = paper(world, {S: YES, D: YES, C: YES}, t - 2 * HOUR)
    err = revert(c.backfill, mins, 0, signed(world, mins), Staff.RELAYER)
    assert err.error == "UnknownOutage" and err.rule == "R-WD-8" and (err.args_by_name["index"], err.args_by_name["count"]) == (0, 0)
    start, end = t - 3 * HOUR, t - HOUR

    def sig(o: Office, key=None, s: int = start, e: int = end) -> bytes:  # type: ignore[no-untyped-def]
        return c.outage_signature(key or world.key(o), REASON, s, e)

    err = revert(c.record_outage, REASON, start, end, [(S, sig(S)), (S, sig(S))], Staff.RELAYER)
    assert err.error == "SameSigner" and err.rule == "R-WD-8"  # one member alone cannot declare an outage
    err = revert(c.record_outage, REASON, start, end, [(S, sig(S)), (D, sig(D, Account.create()))], Staff.RELAYER)
    assert err.error == "PersonSignatureInvalid" and err.args_by_name["person"] == world.ids[1]
    err = revert(c.record_outage, REASON, start, t + 1, [(S, sig(S, e=t + 1)), (D, sig(D, e=t + 1))], Staff.RELAYER)
    assert err.error == "BadOutage" and err.rule == "R-WD-8"  # an outage not yet over
    assert revert(c.record_outage, REASON, end, end, [(S, sig(S, s=end)), (D, sig(D, s=end))], Staff.RELAYER).error == "BadOutage"
    y2001 = 978307200  # 2001-01-01: long before anyone was seated
    err = revert(c.record_outage, REASON, y2001, end, [(S, sig(S, s=y2001)), (D, sig(D, s=y2001))], Staff.RELAYER)
    assert err.error == "NotSeatedAt" and err.rule == "R-WD-8" and err.args_by_name["time"] == y2001
    assert int(chain.call(c.minutes.functions.outageCount())) == 0
    index = c.record_outage(REASON, start, end, [(S, sig(S)), (D, sig(D))], Staff.RELAYER)
    (ev,) = c.minutes.events.OutageRecorded().get_logs(from_block=0)
    assert (ev.args.index, ev.args.startedAt, ev.args.endedAt) == (index, start, end) == (0, start, end)
    assert (ev.args.firstSigner, ev.args.secondSigner, ev.args.reasonHash) == (world.ids[0], world.ids[1], REASON)
    assert c.outages() == [(start, end)]
    assert c.motion(c.backfill(mins, index, signed(world, mins), Staff.RELAYER)).backfilled


def test_minutes_dated_before_the_outage_or_a_signers_seating_are_refused(world: CouncilWorld) -> None:
    # attack: minutes dated 2001 (or just outside the outage), or signed by a member seated after the meeting
    c, chain = world.council, world.chain
    outage, start, end = down(world)
    votes = {S: YES, D: YES, C: YES}
    for meeting in (978307200, start - 1, end + 1):  # 2001; the last second before the outage; the first after it
        mins = paper(world, votes, meeting)
        err = revert(c.backfill, mins, outage, signed(world, mins), Staff.RELAYER)
        assert err.error == "MeetingOutsideOutage" and err.rule == "R-WD-8" and err.args_by_name["meetingTime"] == meeting
        assert (err.args_by_name["startedAt"], err.args_by_name["endedAt"]) == (start, end)
    first = c.backfill(paper(world, votes, start), outage, signed(world, paper(world, votes, start)), Staff.RELAYER)  # at the bounds
    last = c.backfill(paper(world, votes, end), outage, signed(world, paper(world, votes, end)), Staff.RELAYER)
    assert (c.motion(first).decided_at, c.motion(last).decided_at) == (start, end)
    # a new congress chair is seated during a second outage; minutes of a meeting before the seating name them
    world.vacate(C)
    world.seat(C, 5)
    seated = int(chain.call(world.jurisdiction.functions.seatedAt(int(C))))
    chain.advance_time(HOUR)
    s2, e2 = seated - HOUR, seated + HOUR // 2
    o2 = c.record_outage(REASON, s2, e2, [(o, c.outage_signature(world.key(o), REASON, s2, e2)) for o in (S, D)], Staff.RELAYER)
    early = paper(world, {S: YES, D: YES, C: YES}, seated - 1)
    err = revert(c.backfill, early, o2, signed(world, early), Staff.RELAYER)
    assert err.error == "NotSeatedAt" and err.args_by_name["office"] == C and err.args_by_name["seatedAt"] == seated
    assert err.args_by_name["time"] == seated - 1
    on_time = paper(world, {S: YES, D: YES, C: YES}, seated)  # the seating's own second
    assert c.motion(c.backfill(on_time, o2, signed(world, on_time), Staff.RELAYER)).members[C] == world.ids[5]


def test_passing_backfill_needs_the_leads_own_signature(world: CouncilWorld) -> None:
    # attack: four members minute the secretary absent, supply a "lead opinion" he never gave, and pass a
    # strategic motion: the absent secretary would be recorded first responsible for life (R-WD-6)
    c = world.council
    outage, start, _ = down(world)
    forged = paper(world, {D: YES, C: YES, K: YES, A: YES}, start)  # 200 >= 160 without the secretary
    err = revert(c.backfill, forged, outage, signed(world, forged), Staff.RELAYER)
    assert err.error == "LeadAbsent" and err.rule == "R-WD-8" and err.args_by_name["lead"] == S
    assert c.motion_count() == 0
    # a failing paper motion may be minuted without the lead: nobody becomes responsible
    failed = paper(world, {D: YES, C: NO, K: NO}, start)
    mid = c.backfill(failed, outage, signed(world, failed), Staff.RELAYER)
    assert c.decision(mid)["passed"] is False and c.decision(mid)["firstResponsible"] == b"\0" * 32
    # with the secretary present and signing (here abstaining), it passes and he answers for it
    present = paper(world, {S: ABSTAIN, D: YES, C: YES, K: YES, A: YES}, start)
    mid = c.backfill(present, outage, signed(world, present), Staff.RELAYER)
    d = c.decision(mid)
    assert d["passed"] and d["backfilled"] and d["firstResponsible"] == world.ids[0]
    (_, ev) = c.minutes.events.MinutesRecorded().get_logs(from_block=0)
    assert d["firstResponsible"] in list(ev.args.signers)  # the first responsible person signed the minutes


def test_backfill_needs_a_quorum_of_the_seated_members(world: CouncilWorld) -> None:
    # attack: two members (180 in livelihood) pass a paper motion alone; quorum: more than half of the
    # seated members present; the model (tests/model/council.py) agrees on every case
    c = world.council
    outage, start, _ = down(world)
    model = CouncilModel([[0] * 5] * 5, [None] * 5)
    weights = [80, 60, 60, 40, 100]  # livelihood

    def case(votes: dict[Office, Position], expect: str | None) -> None:
        holders = [world.holder(o) for o in CORE_OFFICES]
        try:
            model.check_backfill(weights, holders, {int(o): int(p) for o, p in votes.items()})
            m_err = None
        except ModelError as exc:
            m_err = exc.name
        mins = paper(world, votes, start, category=Category.LIVELIHOOD)
        if expect is None:
            c.backfill(mins, outage, signed(world, mins), Staff.RELAYER)
        else:
            err = revert(c.backfill, mins, outage, signed(world, mins), Staff.RELAYER)
            assert err.error == expect and err.rule == "R-WD-8"
            n = sum(1 for h in holders if h)
            assert (err.args_by_name["present"], err.args_by_name["seated"]) == (len(votes), n)
        assert m_err == expect

    case({A: YES, S: YES}, "NoQuorum")  # 2 of 5
    case({A: YES, S: YES, K: NO}, None)  # 3 of 5: exactly a majority
    world.vacate(K)
    case({A: YES, S: YES}, "NoQuorum")  # 2 of 4 is half, not more
    case({A: YES, S: YES, D: ABSTAIN}, None)  # 3 of 4
