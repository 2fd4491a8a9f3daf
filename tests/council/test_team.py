"""Team completion and government members (contracts/council/TeamCompletion.sol): R-TC-1, R-TC-2, R-TC-3.

Nominations run on the hand-seated council world (``world``); the congress confirmations are polls of
a completed election's rolls, so they run on the council world an election seated (``elected``: 7 party
delegates, 6 congress deputies, each holding the credential they registered for the election)."""

from __future__ import annotations

from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector, keccak

from chain_kit import revert
from council_kit import CouncilWorld, ElectedCouncilWorld
from zhili.council.client import Position, Status, text_id
from zhili.council.team import Body, Step, TeamKind
from zhili.election.client import Electorate
from zhili.election.credentials import seal
from zhili.testing import Staff, World
from zhili.types import CORE_OFFICES, Category, Office, Role

S, D, C, K, A = CORE_OFFICES
YES, NO = Position.YES, Position.NO
PARTY, PEOPLE = Body.PARTY_CONGRESS, Body.PEOPLES_CONGRESS
AUTH, RELAY = Staff.AUTHORITY, Staff.RELAYER


def _passed(w: CouncilWorld, pid: bytes, *, post: bytes | None = None, office: Office | None = None, category: Category = Category.STRATEGIC) -> int:
    """A nomination the council passed (>= 160) and settled: the appointment waits for its congress poll."""
    aid, mid = w.team.nominate(w.proposal(category), pid, Staff.SECRETARIAT, post=post, office=office)
    assert w.decide(mid, {S: YES, C: YES, D: YES}).status == Status.PASSED
    w.team.settle_nomination(aid, RELAY)
    assert w.team.appointment(aid)["step"] == Step.AWAITING_CONFIRMATION
    return aid


def _recorded(w: ElectedCouncilWorld, poll: int) -> list[tuple[int, int, int, bool]]:
    """(appointment, votes for, registered, confirmed) of poll ``poll``'s ``ConfirmationRecorded`` events."""
    logs = w.team.contract.events.ConfirmationRecorded().get_logs(from_block=0, argument_filters={"poll": poll})
    return [(int(e.args.id), int(e.args.votesFor), int(e.args.registered), bool(e.args.confirmed)) for e in logs]


def test_committee_member_contested_in_the_party_congress_then_confirmed_by_the_peoples_congress(elected: ElectedCouncilWorld) -> None:
    # R-TC-1: strategic row >= 160, then a contested party-congress poll (two nominees, one post) and the
    # people's congress; each passes by more than half of the registered roll (7 delegates, 6 deputies)
    w, t, e = elected, elected.team, elected.elected
    post = text_id("组织委员")
    a1 = _passed(w, w.ids[6], post=post)
    a = t.appointment(a1)
    assert a["kind"] == TeamKind.COMMITTEE_MEMBER and a["needed"] == [PARTY, PEOPLE] and a["scheduled"] == []
    err = revert(t.open_confirmation, e, PARTY, [a1], AUTH)  # uncontested: R-EL-2 style needs two or more
    assert err.error == "ContestSize" and err.rule == "R-TC-1" and err.args_by_name["given"] == 1
    a2 = _passed(w, w.ids[7], post=post)
    err = revert(t.open_confirmation, e, PARTY, [a2], AUTH)  # the authority cannot leave a nominee off the ballot
    assert err.error == "ContestSize" and (err.args_by_name["given"], err.args_by_name["waiting"]) == (1, 2)
    assert revert(t.open_confirmation, e, PARTY, [a1, a2], RELAY).error == "JurisdictionRoleRequired"
    err = revert(t.open_confirmation, e, PEOPLE, [a1, a2], AUTH)  # the party congress comes first
    assert err.error == "ConfirmationNotExpected" and err.rule == "R-TC-1"
    # 4 of 7 delegates name P06 (8 > 7), 2 name P07, one blank
    poll = t.run_confirmation(e, PARTY, [a1, a2], [0, 0, 0, 0, 1, 1, None], AUTH, RELAY)
    assert _recorded(w, poll) == [(a1, 4, 7, True), (a2, 2, 7, False)]
    assert t.appointment(a1)["confirmed"] == [PARTY] and t.appointment(a1)["step"] == Step.AWAITING_CONFIRMATION
    assert t.appointment(a2)["step"] == Step.REFUSED
    c = t.confirmation(poll)
    assert c["settled"] and c["ids"] == [a1, a2] and c["election"] == e.contract.address and c["body"] == PARTY
    assert revert(t.settle_confirmation, poll, RELAY).error == "ConfirmationSettled"
    assert revert(t.open_confirmation, e, PARTY, [a1], AUTH).error == "ConfirmationNotExpected"  # no second party poll
    # the people's congress: 4 of 6 deputies (8 > 6)
    poll2 = t.run_confirmation(e, PEOPLE, [a1], [0, 0, 0, 0, None], AUTH, RELAY)
    assert _recorded(w, poll2) == [(a1, 4, 6, True)]
    a = t.appointment(a1)
    assert a["step"] == Step.APPOINTED and a["person"] == w.ids[6] and a["post"] == post and a["scheduled"] == [PARTY, PEOPLE]
    # a committee post is not a core office: nobody is seated in the jurisdiction
    assert w.chain.call(w.jurisdiction.functions.officeOf(w.ids[6]))[0] is False


def test_exactly_half_of_the_registered_is_not_a_confirmation(elected: ElectedCouncilWorld) -> None:
    # R-TC-2: government members need more than half of the 6 registered deputies: 3 refuse, 4 confirm
    w, t, e = elected, elected.team, elected.elected
    g1 = t.propose_government_member(w.ids[6], text_id("副乡长"), keccak(text="n1"), w.key(A))
    assert revert(t.open_confirmation, e, PEOPLE, [g1], AUTH).error == "WrongStep"  # the secretary consents first
    t.consent(g1, True, w.key(S))
    assert revert(t.open_confirmation, e, PARTY, [g1], AUTH).error == "ConfirmationNotExpected"
    poll = t.run_confirmation(e, PEOPLE, [g1], [0, 0, 0, None, None, None], AUTH, RELAY)  # 3 of 6: 6 > 6 is false
    assert _recorded(w, poll) == [(g1, 3, 6, False)] and t.appointment(g1)["step"] == Step.REFUSED
    g2 = t.propose_government_member(w.ids[7], text_id("副乡长 2"), keccak(text="n2"), w.key(A))
    t.consent(g2, True, w.key(S))
    poll = t.run_confirmation(e, PEOPLE, [g2], [0, 0, 0, 0], AUTH, RELAY)  # 4 of 6, two stayed away
    assert _recorded(w, poll) == [(g2, 4, 6, True)] and t.appointment(g2)["step"] == Step.APPOINTED
    # the secretary may refuse consent
    g3 = t.propose_government_member(w.ids[8], text_id("副乡长 3"), keccak(text="n3"), w.key(A))
    t.consent(g3, False, w.key(S))
    assert t.appointment(g3)["step"] == Step.REFUSED
    assert revert(t.consent, g3, True, w.key(S)).error == "WrongStep"


def test_vacant_core_office_filled_by_nomination_and_a_peoples_congress_poll(elected: ElectedCouncilWorld) -> None:
    # R-TC-3: a vacant core office stays empty until nominated (>= 160 of the sitting members) and confirmed
    w, t, e = elected, elected.team, elected.elected
    w.vacate(K)
    err = revert(t.nominate, w.proposal(), w.ids[6], Staff.SECRETARIAT, office=D)
    assert err.error == "OfficeNotVacant" and err.rule == "R-TC-3"
    assert revert(t.nominate, w.proposal(), w.ids[1], Staff.SECRETARIAT, office=K).error == "NomineeInOffice"
    aid, mid = t.nominate(w.proposal(), w.ids[6], Staff.SECRETARIAT, office=K)
    assert t.appointment(aid)["needed"] == [PEOPLE]
    v = w.decide(mid, {S: YES, D: NO, C: YES, A: YES})
    assert v.members[3] is None and v.yes == 180  # the vacant seat had no vote
    assert revert(t.open_confirmation, e, PEOPLE, [aid], AUTH).error == "WrongStep"  # the nomination is settled first
    t.settle_nomination(aid, RELAY)
    t.run_confirmation(e, PEOPLE, [aid], [0, 0, 0, 0, 0], AUTH, RELAY)
    assert t.appointment(aid)["step"] == Step.APPOINTED and w.holder(K) == w.ids[6]
    assert w.chain.call(w.persons.functions.termsServed(w.ids[6], int(K))) == 1  # R-TL-1
    m = w.propose(Category.CONSULTATIVE)  # the new member sits in the next motion
    v = w.decide(m, {K: YES, S: YES})
    assert v.status == Status.PASSED and v.first_responsible == w.ids[6]


def test_nominee_blacklisted_before_the_count_is_refused_at_seating(elected: ElectedCouncilWorld) -> None:
    # R-TC-3 with R-MR-9: eligibility is checked again when the last confirmation would seat; a nominee
    # blacklisted meanwhile is refused (SeatingRefused, the contract's own error as the reason) and the
    # office stays vacant; the count itself is not reverted
    w, t, e = elected, elected.team, elected.elected
    w.vacate(K)
    aid = _passed(w, w.ids[6], office=K)
    w.hand.grant(w.persons, Role.RECORD_WRITER)
    w.hand.relay(w.persons.functions.blacklist(w.ids[6], keccak(text="finding")))
    poll = t.run_confirmation(e, PEOPLE, [aid], [0, 0, 0, 0, 0, 0], AUTH, RELAY)
    assert _recorded(w, poll) == [(aid, 6, 6, True)]
    (ev,) = t.contract.events.SeatingRefused().get_logs(from_block=0)
    assert bytes(ev.args.reason) == function_signature_to_4byte_selector("BlacklistedNominee(bytes32)") + encode(["bytes32"], [w.ids[6]])
    assert t.appointment(aid)["step"] == Step.REFUSED and w.holder(K) is None


def test_seating_is_recorded_province_wide_and_a_person_engaged_elsewhere_is_refused(elected: ElectedCouncilWorld) -> None:
    # R-EL-1 with R-TC-3: a person elected or seated in another jurisdiction is neither nominated nor seated
    # here; a seating by team completion enters the province-wide record as an election's does
    w, t, e = elected, elected.team, elected.elected
    ch = w.chain
    town = World.build(ch, code="330110-002", name="瓶窑镇", people=0, seated=())  # another township: P07, P08 seated there
    other = town.jurisdiction.address
    w.hand.grant(w.persons, Role.RECORD_WRITER)
    town.hand.grant(town.jurisdiction, Role.OFFICE_WRITER)
    for office, i in ((S, 7), (D, 8)):
        town.hand.seat(office, w.ids[i])
    w.vacate(K)
    w.hand.relay(w.persons.functions.engage(w.ids[7], other, True))  # as that township's election records it
    err = revert(t.nominate, w.proposal(), w.ids[7], Staff.SECRETARIAT, office=K)
    assert err.error == "NomineeEngagedElsewhere" and err.rule == "R-EL-1" and err.args_by_name["jurisdiction"].lower() == other.lower()
    aid = _passed(w, w.ids[6], office=K)
    t.run_confirmation(e, PEOPLE, [aid], [0, 0, 0, 0], AUTH, RELAY)
    assert w.holder(K) == w.ids[6]
    assert tuple(ch.call(w.persons.functions.engagement(w.ids[6]))) == (w.jurisdiction.address, True)
    # engaged elsewhere between the nomination and the count: refused at seating, the office stays vacant
    w.vacate(A)
    aid = _passed(w, w.ids[8], office=A)
    w.hand.relay(w.persons.functions.engage(w.ids[8], other, True))
    t.run_confirmation(e, PEOPLE, [aid], [0, 0, 0, 0], AUTH, RELAY)
    (ev,) = t.contract.events.SeatingRefused().get_logs(from_block=0)
    assert bytes(ev.args.reason)[:4] == function_signature_to_4byte_selector("NomineeEngagedElsewhere(bytes32,address)")
    assert t.appointment(aid)["step"] == Step.REFUSED and w.holder(A) is None


def test_the_authority_cannot_type_counts_or_bring_another_roll(elected: ElectedCouncilWorld) -> None:
    # issue 15 item 5: no function takes numbers; the poll must be this jurisdiction's completed election's,
    # its round is created and finalized only by the team contract, and only that roll's credentials vote
    w, t, e = elected, elected.team, elected.elected
    names = {f["name"] for f in t.contract.abi if f.get("type") == "function"}
    assert "recordConfirmation" not in names
    g = t.propose_government_member(w.ids[6], text_id("副乡长"), keccak(text="n"), w.key(A))
    t.consent(g, True, w.key(S))
    for fake in (w.address(AUTH), t.contract.address):  # an account; a zhili contract that writes offices but is no election
        err = revert(t.open_confirmation, fake, PEOPLE, [g], AUTH)
        assert err.error == "NotThisJurisdictionsElection" and err.rule == "R-TC-1"
    other = World.build(w.chain, code="330110-002", name="瓶窑镇", people=0)  # another township's election
    foreign = other.election()
    assert revert(t.open_confirmation, foreign, PEOPLE, [g], AUTH).error == "NotThisJurisdictionsElection"
    fresh = w.election(term=2)  # this jurisdiction's next election, not completed: its rolls are not the congress's
    err = revert(t.open_confirmation, fresh, PEOPLE, [g], AUTH)
    assert err.error == "ElectionNotCompleted" and err.rule == "R-TC-1"
    # nobody but a POLL_CLIENT creates a round in the box; only the round's creator finalizes it
    box = e.box.functions
    assert revert(w.chain.transact, box.createRound(1, 1, 1, 6), AUTH).error == "JurisdictionRoleRequired"
    poll, round = t.open_confirmation(e, PEOPLE, [g], AUTH)
    assert w.chain.call(box.roundCreator(round)) == t.contract.address
    e.open_round(round, AUTH)
    party = e.wallets_for(Electorate.PARTY)[0]  # a delegate's credential does not vote in the deputies' poll
    err = revert(e.relay, [seal(party, round, 1)], RELAY)
    assert err.error == "UnregisteredCredential"
    sealed = [seal(wl, round, 1) for wl in e.wallets_for(Electorate.CONGRESS)[:4]]
    e.relay(sealed, RELAY)
    e.wait_for_close(round)
    e.reveal(sealed, RELAY)
    e.wait_for_reveal_end(round)
    for who in (AUTH, Staff.ADMIN):
        assert revert(w.chain.transact, box.finalize(round), who).error == "NotOwner"
    t.settle_confirmation(poll, RELAY)
    assert _recorded(w, poll) == [(g, 4, 6, True)]


def test_an_earlier_elections_roll_no_longer_confirms(elected: ElectedCouncilWorld) -> None:
    # R-TC-1: once the next term's election has confirmed, the previous congress's roll is stale
    w, t, e1 = elected, elected.team, elected.elected
    e2 = w.elect(term=2)
    g1 = t.propose_government_member(w.ids[6], text_id("副乡长"), keccak(text="n1"), w.key(A))
    t.consent(g1, True, w.key(S))
    g2 = t.propose_government_member(w.ids[7], text_id("副乡长 2"), keccak(text="n2"), w.key(A))
    t.consent(g2, True, w.key(S))
    t.open_confirmation(e2, PEOPLE, [g1], AUTH)
    err = revert(t.open_confirmation, e1, PEOPLE, [g2], AUTH)
    assert err.error == "StaleElection" and err.rule == "R-TC-1"
    assert (err.args_by_name["term"], err.args_by_name["latestTerm"]) == (1, 2)
    t.open_confirmation(e2, PEOPLE, [g2], AUTH)  # the same term again is fine


def test_a_contest_is_one_post_and_every_nominee_waiting_for_it(elected: ElectedCouncilWorld) -> None:
    # R-TC-1: one ballot is one post; the upper committee may schedule a poll the authority does not
    w, t, e = elected, elected.team, elected.elected
    a1 = _passed(w, w.ids[6], post=text_id("组织委员"))
    a2 = _passed(w, w.ids[7], post=text_id("宣传委员"))
    err = revert(t.open_confirmation, e, PARTY, [a1, a2], AUTH)
    assert err.error == "MixedContest" and err.rule == "R-TC-1"
    a3 = _passed(w, w.ids[8], post=text_id("组织委员"))
    assert revert(t.open_confirmation, e, PARTY, [a1, a1], AUTH).error == "ConfirmationNotExpected"  # twice on a ballot
    assert revert(t.open_confirmation, e, PARTY, [], AUTH).error == "ContestSize"
    assert revert(t.open_confirmation, e, PARTY, [99], AUTH).error == "UnknownAppointment"
    poll, _ = t.open_confirmation(e, PARTY, [a3, a1], Staff.UPPER)
    assert t.confirmation(poll)["ids"] == [a3, a1]
    # an uncontested kind too: two government members for one post are on one ballot, never one alone
    post = text_id("副乡长")
    g = [t.propose_government_member(w.ids[i], post, keccak(text=f"n{i}"), w.key(A)) for i in (5, 9)]
    for gid in g:
        t.consent(gid, True, w.key(S))
    err = revert(t.open_confirmation, e, PEOPLE, g[:1], AUTH)
    assert err.error == "ContestSize" and (err.args_by_name["given"], err.args_by_name["waiting"]) == (1, 2)
    t.open_confirmation(e, PEOPLE, g[::-1], AUTH)
    assert revert(t.confirmation, 7).error == "UnknownConfirmation"
    assert revert(t.settle_confirmation, 7, RELAY).error == "UnknownConfirmation"


def test_blacklisted_and_unknown_nominees(world: CouncilWorld) -> None:
    # R-TC-1 with R-MR-9: a blacklisted person can never be nominated
    world.hand.grant(world.persons, Role.RECORD_WRITER)
    world.hand.relay(world.persons.functions.blacklist(world.ids[9], keccak(text="finding")))
    err = revert(world.team.nominate, world.proposal(), world.ids[9], Staff.SECRETARIAT, post=text_id("x"))
    assert err.error == "BlacklistedNominee"
    err = revert(world.team.nominate, world.proposal(), keccak(text="nobody"), Staff.SECRETARIAT, post=text_id("x"))
    assert err.error == "NomineeUnknown"
    assert world.chain.call(world.team.contract.functions.appointmentCount()) == 0
    assert world.council.motion_count() == 0  # nothing half-written


def test_failed_nomination_is_refused(world: CouncilWorld) -> None:
    # R-TC-1: a nomination below 160 is refused; only the nomination categories nominate
    t = world.team
    aid, mid = t.nominate(world.proposal(Category.DISCIPLINE), world.ids[7], Staff.SECRETARIAT, post=text_id("纪委委员"))
    assert world.council.motion(mid).weights == [80, 100, 60, 40, 20]  # county text: discipline row for the commission
    aid2, mid2 = t.nominate(world.proposal(Category.STRATEGIC), world.ids[8], Staff.SECRETARIAT, post=text_id("宣传委员"))
    assert world.council.motion(mid2).weights == [100, 80, 60, 40, 20]
    assert revert(t.settle_nomination, aid2, Staff.RELAYER).error == "NotDecided"
    world.decide(mid2, {S: YES, K: YES})  # 140
    t.settle_nomination(aid2, Staff.RELAYER)
    assert t.appointment(aid2)["step"] == Step.REFUSED
    assert revert(t.settle_nomination, aid2, Staff.RELAYER).error == "WrongStep"
    err = revert(t.nominate, world.proposal(Category.LIVELIHOOD), world.ids[8], Staff.SECRETARIAT, post=text_id("x"))
    assert err.error == "NominationCategory" and err.rule == "R-TC-1"
    assert t.appointment(aid)["step"] == Step.PENDING
