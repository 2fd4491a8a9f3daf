"""Oath and handover records (R-DOC-6 ... R-DOC-9) on both chains, and working-day deadlines (SPEC §8)."""

from __future__ import annotations

from chain_kit import revert
from evidence_kit import EvidenceWorld, build_world, reseat
from model.calendar import at, expected_deadline
from zhili.core.chain import Chain
from zhili.core.store import fingerprint
from zhili.evidence.handover import DisputeStatus, IssueKind, item_fingerprint
from zhili.testing import Staff
from zhili.types import Office

DAY, HOUR = 86400, 3600
CHECKLIST = {
    "credentials": ["党委公章 1 枚", "政务网账号 3 个"],
    "files": ["2023-2025 年党委会议纪要"],
    "assets": ["办公楼及附属设施", "公务用车 2 辆"],
    "work_items": ["乡村道路维修项目（在建）"],
}
OUTGOING, SUPERVISOR = 5, 6  # persons of the kit; person 0 is the new secretary


def now(w: EvidenceWorld) -> int:
    return int(w.chain.w3.eth.get_block("latest")["timestamp"])


def seated_at(w: EvidenceWorld, office: Office = Office.SECRETARY) -> int:
    return int(w.chain.call(w.jurisdiction.functions.seatedAt(int(office))))


def sworn(w: EvidenceWorld) -> int:
    oath = w.handover.schedule_oath(w.ids[0], Office.SECRETARY, Staff.OATH)
    w.handover.record_oath(oath, b"oath recording (video bytes)", Staff.OATH)
    return oath


def opened(w: EvidenceWorld) -> int:
    return w.handover.open(sworn(w), w.ids[OUTGOING], w.ids[SUPERVISOR], CHECKLIST, Staff.OATH)


def signed(w: EvidenceWorld) -> int:
    h = opened(w)
    for p in (OUTGOING, 0, SUPERVISOR):
        w.handover.sign(h, w.ids[p], w.key(p))
    return h


# ------------------------------------------------------------------ working days (SPEC §8)


def test_working_days_follow_the_official_calendar() -> None:
    # the reference itself, against the 2025 notice: National Day Oct 1-8 off, Sat Sep 28 and Sat
    # Oct 11 adjusted working days; the deadline is the end (24:00 CST) of the last working day
    assert expected_deadline(at(2025, 9, 26, 10), 3) == at(2025, 10, 1)  # Sep 28 (Sun, worked), 29, 30
    assert expected_deadline(at(2025, 9, 30, 15), 2) == at(2025, 10, 11)  # Oct 9, 10


# ------------------------------------------------------------------ oath (R-DOC-6)


def test_oath_within_the_deadline(w: EvidenceWorld) -> None:
    oath = w.handover.schedule_oath(w.ids[0], Office.SECRETARY, Staff.OATH)
    o = w.handover.oath(oath)
    t = seated_at(w)  # the result is the seating on chain, not a time anybody types
    assert t > 0 and o["resultAt"] == t
    assert o["deadline"] == expected_deadline(t, 3)  # township: 3 working days, computed on chain
    fp = w.handover.record_oath(oath, b"recording", Staff.OATH)
    o = w.handover.oath(oath)
    assert o["recording"] == fp and o["takenAt"] == now(w)
    e = revert(w.handover.record_oath, oath, b"again", Staff.OATH)
    assert e.error == "OathAlreadyRecorded" and e.rule == "R-DOC-6"


def test_oath_refusals(w: EvidenceWorld) -> None:
    h = w.handover
    e = revert(h.schedule_oath, w.ids[1], Office.SECRETARY, Staff.OATH)
    assert e.error == "NotOfficeHolder" and e.rule == "R-DOC-6"  # only the seated member
    assert revert(h.schedule_oath, w.ids[0], Office.SECRETARY, Staff.ADMIN).error == "JurisdictionRoleRequired"
    oath = h.schedule_oath(w.ids[0], Office.SECRETARY, Staff.OATH)
    deadline = h.oath(oath)["deadline"]
    # a missed oath cannot be rescheduled with a fresh start: one oath period per seating
    e = revert(h.schedule_oath, w.ids[0], Office.SECRETARY, Staff.OATH)
    assert e.error == "OathAlreadyScheduled" and e.rule == "R-DOC-6" and e.args_by_name["seatedAt"] == seated_at(w)
    # R-DOC-6 at its edge: an oath recorded in the deadline's own second is in time, one second later late
    snap = w.chain.snapshot()
    w.chain.wait_until(deadline - 1)  # the next block is stamped `deadline`
    h.record_oath(oath, b"recording at the last second", Staff.OATH)
    assert h.oath(oath)["takenAt"] == deadline
    w.chain.revert_to(snap)
    w.chain.wait_until(deadline + 1)  # the refusal is simulated at `deadline + 1`, before anything is sent
    e = revert(h.record_oath, oath, b"late recording", Staff.OATH)  # late oath
    assert e.error == "OathLate" and e.args_by_name["deadline"] == deadline
    assert h.oath(oath)["takenAt"] == 0  # nothing half-written


# ------------------------------------------------------------------ handover (R-DOC-7, R-DOC-8)


def test_three_signatures_transfer_responsibility(w: EvidenceWorld) -> None:
    h = opened(w)
    c = w.handover.case(h)
    assert c["incoming"] == w.ids[0] and c["outgoing"] == w.ids[OUTGOING]
    listed, group = w.chain.call(w.handover.contract.functions.itemGroup(h, item_fingerprint("公务用车 2 辆")))
    assert listed and group == 2  # assets
    w.handover.sign(h, w.ids[OUTGOING], w.key(OUTGOING))
    w.handover.sign(h, w.ids[0], w.key(0))
    assert w.handover.case(h)["signedAt"] == 0  # two of three: responsibility has not moved
    e = revert(w.handover.sign, h, w.ids[0], w.key(0))
    assert e.error == "AlreadySigned" and e.rule == "R-DOC-7"
    e = revert(w.handover.sign, h, w.ids[SUPERVISOR], w.key(0))  # supervisor's name, incoming's key
    assert e.error == "PersonSignatureInvalid"
    assert revert(w.handover.sign, h, w.ids[7], w.key(7)).error == "NotAParty"
    w.handover.sign(h, w.ids[SUPERVISOR], w.key(SUPERVISOR), sender=Staff.ADMIN)  # anyone may submit a signature
    c = w.handover.case(h)
    t = now(w)
    assert c["signedAt"] == t and c["transitionEnds"] == t + 30 * DAY and c["lookbackEnds"] == t + 90 * DAY  # township
    (ev,) = w.handover.contract.events.ResponsibilityTransferred().get_logs(from_block=0)
    assert ev.args.incoming == w.ids[0] and ev.args.outgoing == w.ids[OUTGOING]


def test_handover_refusals(w: EvidenceWorld) -> None:
    hc = w.handover
    oath = hc.schedule_oath(w.ids[0], Office.SECRETARY, Staff.OATH)
    e = revert(hc.open, oath, w.ids[OUTGOING], w.ids[SUPERVISOR], CHECKLIST, Staff.OATH)
    assert e.error == "OathNotTaken" and e.rule == "R-DOC-7"
    hc.record_oath(oath, b"rec", Staff.OATH)
    e = revert(hc.open, oath, w.ids[OUTGOING], w.ids[SUPERVISOR], {**CHECKLIST, "files": []}, Staff.OATH)
    assert e.error == "EmptyGroup" and e.args_by_name["group"] == 1
    e = revert(hc.open, oath, w.ids[OUTGOING], w.ids[SUPERVISOR], {**CHECKLIST, "assets": ["x", "x"]}, Staff.OATH)
    assert e.error == "BadItem"
    assert revert(hc.open, oath, w.ids[0], w.ids[SUPERVISOR], CHECKLIST, Staff.OATH).error == "BadParties"
    h = hc.open(oath, w.ids[OUTGOING], w.ids[SUPERVISOR], CHECKLIST, Staff.OATH)
    hc.sign(h, w.ids[OUTGOING], w.key(OUTGOING))
    w.chain.advance_time(24 * HOUR + 1)  # the 24-hour window after the oath has passed: a late handover
    e = revert(hc.sign, h, w.ids[0], w.key(0))
    assert e.error == "HandoverLate" and e.rule == "R-DOC-7"
    assert revert(hc.open, oath, w.ids[OUTGOING], w.ids[SUPERVISOR], CHECKLIST, Staff.OATH).error == "HandoverLate"
    assert hc.case(h)["signedMask"] == 1


def test_transition_and_lookback_issues(w: EvidenceWorld) -> None:
    # R-DOC-8: issues against the outgoing official inside the windows only
    hc = w.handover
    h = opened(w)
    e = revert(hc.record_issue, h, IssueKind.MISSING_ITEM, b"missing ledger", w.key(0))
    assert e.error == "NotTransferred"
    for p in (OUTGOING, 0, SUPERVISOR):
        hc.sign(h, w.ids[p], w.key(p))
    hc.record_issue(h, IssueKind.NO_ASSISTANCE, b"did not hand over passwords", w.key(0))
    assert revert(hc.record_issue, h, IssueKind.MISSING_ITEM, b"x", w.key(OUTGOING)).error == "NotAReporter"
    w.chain.advance_time(31 * DAY)
    e = revert(hc.record_issue, h, IssueKind.NO_ASSISTANCE, b"late complaint", w.key(0))
    assert e.error == "WindowClosed" and e.rule == "R-DOC-8"
    hc.record_issue(h, IssueKind.MISSING_ITEM, b"an unlisted guarantee", Staff.ORG)  # look-back still open
    w.chain.advance_time(60 * DAY)
    assert revert(hc.record_issue, h, IssueKind.MISSING_ITEM, b"too late", w.key(SUPERVISOR)).error == "WindowClosed"
    issues = hc.show(h)["issues"]
    assert [i["kind"] for i in issues] == ["no_assistance", "missing_item"]


# ------------------------------------------------------------------ disputes (R-DOC-9)


def test_disputes_settled_escalated_ruled(w: EvidenceWorld) -> None:
    hc = w.handover
    h = opened(w)
    d1 = hc.raise_dispute(h, "公务用车 2 辆", b"one car is missing", False, w.key(0))
    d = hc.dispute(d1)
    assert d["escalationDeadline"] == expected_deadline(d["raisedAt"], 2)
    assert revert(hc.settle, d1, b"found", w.key(0)).error == "NotSupervisor"
    hc.settle(d1, b"car found in the county garage", w.key(SUPERVISOR))
    assert hc.dispute(d1)["effective"] == DisputeStatus.SETTLED
    assert revert(hc.rule, d1, b"x", Staff.ORG).error == "WrongDisputeStatus"
    # a major dispute escalated: the item is suspended until the organisation department rules
    d2 = hc.raise_dispute(h, "乡村道路维修项目（在建）", b"contract irregularities", True, w.key(OUTGOING))
    assert revert(hc.rule, d2, b"x", Staff.ORG).error == "WrongDisputeStatus"  # not escalated yet
    hc.escalate(d2, w.key(0))
    d = hc.dispute(d2)
    assert d["suspended"] and d["effective"] == DisputeStatus.ESCALATED
    assert revert(hc.rule, d2, b"ruling", w.key(0)).error == "JurisdictionRoleRequired"
    hc.rule(d2, b"ruling of the organisation department", Staff.ORG)
    d = hc.dispute(d2)
    assert d["effective"] == DisputeStatus.RULED and not d["suspended"]
    e = revert(hc.raise_dispute, h, "not on the list", b"?", False, w.key(0))
    assert e.error == "UnknownItem" and e.rule == "R-DOC-9"


def test_unsettled_dispute_goes_to_the_organisation_department(w: EvidenceWorld) -> None:
    # R-DOC-9: not settled on site within 2 working days -> with the organisation department
    hc = w.handover
    h = opened(w)
    d1 = hc.raise_dispute(h, "党委公章 1 枚", b"seal not returned", False, w.key(0))
    deadline = hc.dispute(d1)["escalationDeadline"]
    w.chain.advance_time(deadline - now(w) + 1)
    e = revert(hc.settle, d1, b"late settlement", w.key(SUPERVISOR))
    assert e.error == "SettlementWindowClosed" and e.rule == "R-DOC-9"
    assert hc.dispute(d1)["effective"] == DisputeStatus.ESCALATED
    hc.rule(d1, b"ruling", Staff.ORG)
    assert hc.dispute(d1)["effective"] == DisputeStatus.RULED
    raised = hc.contract.events.DisputeRaised().get_logs(from_block=0)
    assert raised[0].args.workingDays == 2 and raised[0].args.reason == fingerprint(b"seal not returned")


def test_county_handover_must_start_within_24_hours(session_chain: Chain) -> None:
    # county profile: 5 working days for the oath, 3 months of transition; the handover must START within
    # 24 hours of the oath (001 L77), its completion may come later
    chain = session_chain
    snap = chain.snapshot()
    try:
        cw = build_world(chain, "county", "330100")
        hc = cw.handover
        assert not chain.call(hc.contract.functions.completionDeadline())
        oath = hc.schedule_oath(cw.ids[0], Office.SECRETARY, Staff.OATH)
        assert hc.oath(oath)["deadline"] == expected_deadline(seated_at(cw), 5)
        hc.record_oath(oath, b"county oath", Staff.OATH)
        start_by = hc.oath(oath)["takenAt"] + 24 * HOUR
        # the county has no discipline-secretary path: the township's would-be supervisor is refused
        e = revert(hc.open, oath, cw.ids[OUTGOING], cw.ids[1], CHECKLIST, Staff.OATH)
        assert e.error == "NotSupervisionGroup" and e.rule == "R-DOC-7"
        s2 = chain.snapshot()
        chain.wait_until(start_by + 1)  # the first second after: too late to start
        e = revert(hc.open, oath, cw.ids[OUTGOING], cw.ids[SUPERVISOR], CHECKLIST, Staff.OATH)
        assert e.error == "HandoverLate" and e.args_by_name["deadline"] == start_by
        chain.revert_to(s2)
        chain.wait_until(start_by - 1)  # the next block is stamped `start_by`: the last second to start
        h = hc.open(oath, cw.ids[OUTGOING], cw.ids[SUPERVISOR], CHECKLIST, Staff.OATH)
        assert hc.case(h)["openedAt"] == start_by
        chain.advance_time(3 * 24 * HOUR)  # signed three days later: still valid in the county
        for p in (OUTGOING, 0, SUPERVISOR):
            hc.sign(h, cw.ids[p], cw.key(p))
        c = hc.case(h)
        assert c["signedAt"] > start_by and c["transitionEnds"] - c["signedAt"] == 90 * DAY
    finally:
        chain.revert_to(snap)


# ------------------------------------------------------------------ the insider (issue 17)


def test_attack_missed_oath_rescheduled_or_sworn_twice(w: EvidenceWorld) -> None:
    # R-DOC-6: the oath period starts at the seating on chain; a missed oath cannot get a fresh start,
    # and one seating has one oath
    h = w.handover
    oath = h.schedule_oath(w.ids[0], Office.SECRETARY, Staff.OATH)
    deadline = h.oath(oath)["deadline"]
    w.chain.wait_until(deadline + 1)  # missed
    e = revert(h.schedule_oath, w.ids[0], Office.SECRETARY, Staff.OATH)
    assert e.error == "OathAlreadyScheduled" and e.rule == "R-DOC-6" and e.args_by_name["seatedAt"] == seated_at(w)
    assert revert(h.record_oath, oath, b"late", Staff.OATH).error == "OathLate"
    assert w.chain.call(h.contract.functions.counts())[0] == 1  # no second oath period
    # a seating sworn in time cannot be sworn again, nor get a second period
    reseat(w, Office.SECRETARY, 0)
    oath2 = h.schedule_oath(w.ids[0], Office.SECRETARY, Staff.OATH)
    assert h.oath(oath2)["resultAt"] == seated_at(w) > h.oath(oath)["resultAt"]
    h.record_oath(oath2, b"sworn", Staff.OATH)
    e = revert(h.record_oath, oath2, b"sworn again", Staff.OATH)
    assert e.error == "OathAlreadyRecorded" and e.rule == "R-DOC-6"
    assert revert(h.schedule_oath, w.ids[0], Office.SECRETARY, Staff.OATH).error == "OathAlreadyScheduled"


def test_attack_handover_parties_not_the_vacated_holder_or_the_supervision_group(w: EvidenceWorld) -> None:
    # R-DOC-7: the outgoing party is who last left the office (Jurisdiction.lastHolder); the supervisor is
    # a person whose key holds OATH_SUPERVISOR or, in the township, the seated discipline secretary
    hc = w.handover
    oath = sworn(w)
    assert bytes(w.chain.call(w.jurisdiction.functions.lastHolder(int(Office.SECRETARY)))) == w.ids[OUTGOING]
    for outgoing in (7, 1):  # a spare person; the discipline secretary, who never held the office
        e = revert(hc.open, oath, w.ids[outgoing], w.ids[SUPERVISOR], CHECKLIST, Staff.OATH)
        assert e.error == "NotOutgoingHolder" and e.rule == "R-DOC-7"
        assert (e.args_by_name["outgoing"], e.args_by_name["lastHolder"]) == (w.ids[outgoing], w.ids[OUTGOING])
    e = revert(hc.open, oath, w.ids[OUTGOING], w.ids[7], CHECKLIST, Staff.OATH)  # not in the supervision group
    assert e.error == "NotSupervisionGroup" and e.rule == "R-DOC-7" and e.args_by_name["key"].lower() == w.key(7).address.lower()
    h = hc.open(oath, w.ids[OUTGOING], w.ids[1], CHECKLIST, Staff.OATH)  # the township's discipline secretary
    assert hc.case(h)["supervisor"] == w.ids[1]


def test_township_handover_completes_within_24_hours_edges(w: EvidenceWorld) -> None:
    # R-DOC-7, township: opened and signed by all three within 24 hours of the oath; last second in, next out
    hc = w.handover
    oath = sworn(w)
    end = hc.oath(oath)["takenAt"] + 24 * HOUR
    assert w.chain.call(hc.contract.functions.completionDeadline())
    w.chain.wait_until(end - 3)
    h = hc.open(oath, w.ids[OUTGOING], w.ids[SUPERVISOR], CHECKLIST, Staff.OATH)  # at end - 2
    hc.sign(h, w.ids[OUTGOING], w.key(OUTGOING))  # at end - 1
    snap = w.chain.snapshot()
    hc.sign(h, w.ids[0], w.key(0))  # at `end`, the last second
    assert w.handover.case(h)["signedMask"] == 3
    w.chain.revert_to(snap)
    w.chain.wait_until(end + 1)
    e = revert(hc.sign, h, w.ids[0], w.key(0))
    assert e.error == "HandoverLate" and e.args_by_name["deadline"] == end


def test_rebuild_from_events_equals_contract_state(w: EvidenceWorld) -> None:
    # every state change of the oath and handover records is in the events
    from zhili.evidence.handover import rebuild, state_of

    hc = w.handover
    h = signed(w)
    # a second seating of the office (person 0 leaves, person 7 is seated) opens a second oath period
    reseat(w, Office.SECRETARY, 7)
    oath2 = w.handover.schedule_oath(w.ids[7], Office.SECRETARY, Staff.OATH)
    w.handover.record_oath(oath2, b"second oath", Staff.OATH)
    h2 = w.handover.open(oath2, w.ids[0], w.ids[SUPERVISOR], CHECKLIST, Staff.OATH)
    d0 = hc.raise_dispute(h2, "公务用车 2 辆", b"missing", True, w.key(7))
    hc.raise_dispute(h2, "党委公章 1 枚", b"seal", False, w.key(0))
    hc.settle(d0 + 1, b"settled", w.key(SUPERVISOR))
    hc.escalate(d0, w.key(7))
    w.handover.sign(h2, w.ids[7], w.key(7))
    built = rebuild(hc)
    assert built == state_of(hc)
    assert built["handovers"][h]["signedMask"] == 7 and built["disputes"][d0]["suspended"]
    hc.rule(d0, b"ruling", Staff.ORG)
    assert rebuild(hc) == state_of(hc)
