"""Ballots sealed to the scrutineers (R-EL-13, issue 16): contracts/election/Scrutiny.sol and the sealed
rounds of contracts/election/BallotBox.sol.

A township whose elections seal every round to five scrutineers, three of whom open a poll after its close.
The attacks of issue 16 are performed and must end in a refusal: the election authority (or the relayer)
reading a tally before the close, opening a poll nobody can count, a clerk choosing which ballots are opened,
a plain commit-reveal ballot in a sealed box, a scrutineer publishing early or a wrong share, a dealer with a
bad share. The contract's count is cross-checked against the client side (``zhili.election.scrutiny``, fastecdsa)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from chain_kit import revert, snapshot_world
from edge_kit import send_at
from election_kit import World, build_world
from zhili.core.chain import Chain
from zhili.election.client import ElectionClient, Electorate, Phase
from zhili.election.credentials import seal
from zhili.election.scrutiny import (
    GENERATOR,
    ORDER,
    Ciphertext,
    EncryptedBallot,
    Scrutineer,
    ScrutinyClient,
    decrypt_ballot,
    encrypt_ballot,
    evaluate,
    interpolate,
    mul,
    seal_to_key,
)
from zhili.testing import Staff

AUTH, RELAY, UPPER = Staff.AUTHORITY, Staff.RELAYER, Staff.UPPER
N, T = 5, 3


@dataclass
class Sealed:
    w: World
    e: ElectionClient
    s: ScrutinyClient
    members: list[Scrutineer]
    round: int


def _build(chain: Chain) -> Sealed:
    w = build_world(chain)
    sealing = w.seal_elections()
    assert (len(sealing.members), sealing.threshold) == (N, T)  # the profile's panel
    e = w.prepared(9, party=7, congress=5)
    e.begin_stage1(AUTH)
    r = e.pending_round()
    assert r is not None
    e.wallets_for(Electorate.PARTY)  # the delegates' credentials, registered before the poll
    return Sealed(w, e, sealing.scrutiny, sealing.members, r)


@pytest.fixture
def world(session_chain: Chain) -> Iterator[Sealed]:
    """Stage 1 scheduled (round waits to be opened) in a sealed box; each test from a snapshot."""
    yield from snapshot_world(session_chain, "election-scrutiny", _build)


def _keyed(x: Sealed) -> tuple[int, int]:
    return x.s.run_key_generation(x.e.box.address, x.round, x.members, T, AUTH, RELAY)


def _cast(x: Sealed, ballots: list[list[int]]) -> list[EncryptedBallot]:
    """Open the poll and relay one sealed ballot per entry (candidate indices) with the held credentials."""
    x.e.open_poll(AUTH)
    wallets = x.e.wallets_for(Electorate.PARTY)
    cast = [x.e.cast(wallet, x.round, [x.w.ids[i] for i in names]) for wallet, names in zip(wallets, ballots)]
    assert all(isinstance(b, EncryptedBallot) for b in cast)
    x.e.relay(cast, RELAY)
    return cast  # type: ignore[return-value]


# ---------------------------------------------------------------------- the protocol, both sides


def test_key_generation_gives_a_key_nobody_holds_and_shares_that_interpolate_to_it(world: Sealed) -> None:
    # R-EL-13: the poll key is the sum of the dealers' constant terms; each member's share verifies against
    # the commitments; any 3 shares give the secret, on chain (Lagrange) and in the client alike
    x = world
    key = _keyed(x)
    box, r = x.e.box.address, x.round
    panel = x.s.panel(box, r)
    assert panel["phase"] == 2 and panel["qualified"] == 0b11111 and panel["secret"] == 0
    assert key == panel["key"]
    dealt = x.s.dealt(box, r)
    constant = dealt[0][0][0]
    for i in range(1, N):
        from zhili.election.scrutiny import add

        constant = add(constant, dealt[i][0][0])
    assert constant == key  # the key is the sum of the constant-term commitments (nobody's scalar)
    shares = {j: m.key_share(box, r, range(N)) for j, m in enumerate(x.members)}
    aggregate = [dealt[0][0][k] for k in range(T)]
    for i in range(1, N):
        from zhili.election.scrutiny import add

        aggregate = [add(aggregate[k], dealt[i][0][k]) for k in range(T)]
    for j, share in shares.items():
        assert mul(GENERATOR, share) == evaluate(aggregate, j)
    secret = interpolate({j: shares[j] for j in (0, 2, 4)})
    assert secret == interpolate({j: shares[j] for j in (1, 2, 3)})
    assert mul(GENERATOR, secret) == key


def test_a_sealed_poll_is_counted_whole_on_chain_and_matches_the_retally(world: Sealed) -> None:
    # issue 16: ballots encrypted on the voter's device, relayed, and after the close every ballot is
    # decrypted and counted on chain; anyone re-tallies from the published secret; a broken ballot is 废票
    x = world
    _keyed(x)
    cast = _cast(x, [[0, 1, 2], [0, 1], [0], [0, 3], [4]])
    # a sixth delegate's device sends garbage: a point not on the curve (counted as invalid, not refused)
    wallet = x.e.wallets_for(Electorate.PARTY)[5]
    bad = seal_to_key(wallet, x.s.poll_key(x.e.box.address, x.round), x.round, 0b1)
    from zhili.core import eip712
    from zhili.election.credentials import BALLOT

    garbage = Ciphertext(1, 3, bad.ciphertext.masked)
    typed = BALLOT.typed_data(wallet.box, wallet.chain_id, {"round": x.round, "credential": wallet.address, "commitment": garbage.commitment()})
    sig_r, sig_vs = eip712.sign_compact(wallet.key, typed)
    x.e.relay([EncryptedBallot(x.round, wallet.address, garbage, sig_r, sig_vs, 0)], RELAY)
    # a seventh names candidate 12 of 9 (a device that skipped the check): decrypted, then counted as invalid
    unknown = x.e.wallets_for(Electorate.PARTY)[6]
    x.e.relay([seal_to_key(unknown, x.s.poll_key(x.e.box.address, x.round), x.round, 1 << 12)], RELAY)
    x.e.wait_for_close(x.round)
    x.e.count_sealed(x.round, RELAY)
    rnd = x.e.box.functions.getRound(x.round).call()
    assert (rnd[4], rnd[5]) == (7, 7)  # committed, counted
    assert x.e.box.functions.invalidBallots(x.round).call() == 2
    votes, invalid = x.s.retally(x.e.box, x.round)
    assert invalid == 2 and votes[:5] == [4, 2, 1, 1, 1]
    counted = {ev.args.credential: (ev.args.mask, ev.args.valid) for ev in x.s.contract.events.BallotCounted().get_logs(from_block=0)}
    for b in cast:  # every voter finds their own ballot counted as they marked it
        assert counted[b.credential] == (b.mask, True)
    assert counted[wallet.address][1] is False
    assert counted[unknown.address] == (1 << 12, False)
    x.e.finalize(RELAY)
    assert x.e.poll(x.round).votes[:5] == [4, 2, 1, 1, 1]


def test_nobody_reads_a_ballot_before_the_close(world: Sealed) -> None:
    # issue 16 attack: the relayer (or the authority) holds every relayed ballot and tries to read it; the
    # ciphertexts decrypt to garbage under any scalar but the poll secret, and no member can publish early
    x = world
    _keyed(x)
    cast = _cast(x, [[0, 1], [2]])
    for b in cast:
        guess = decrypt_ballot(12345, b.ciphertext, x.e.box.address, x.round, b.credential)
        assert guess != b.mask
    err = revert(x.s.publish_share, x.members[0], x.e.box.address, x.round)
    assert err.error == "PollNotClosed" and err.rule == "R-EL-13"
    err = revert(x.e.count_sealed, x.round, RELAY)
    assert err.error == "PollNotClosed"
    # the last second before the close is still early; the close's own second is not
    closes = int(x.e.box.functions.getRound(x.round).call()[6])
    box, r, m = x.e.box.address, x.round, x.members[0]
    share = m.key_share(box, r, range(N))
    fn = x.s.contract.functions.publishShare(box, r, 0, share)
    assert send_at(x.w.chain, fn, m.key, closes - 1)["status"] == 0
    assert send_at(x.w.chain, fn, m.key, closes)["status"] == 1


def test_a_sealed_box_refuses_plain_ballots_reveals_and_an_unkeyed_opening(world: Sealed) -> None:
    # issue 16 attacks: the authority opens the poll before the scrutineers have a key (nobody could ever
    # count it, or someone holds the key); a relayer sends commit-reveal ballots whose openings it holds
    x = world
    err = revert(x.w.chain.transact, x.e.box.functions.openRound(x.round, 3600, 3600), AUTH)
    assert err.error == "RoundNotKeyed" and err.rule == "R-EL-13"
    _keyed(x)
    x.e.open_poll(AUTH)
    plain = seal(x.e.wallets_for(Electorate.PARTY)[0], x.round, 0b1)
    err = revert(x.e.relay, [plain], RELAY)
    assert err.error == "RoundSealed"
    err = revert(x.w.chain.transact, x.e.box.functions.reveal(x.round, 0, [], []), RELAY)
    assert err.error == "RoundSealed"


def test_only_the_scrutiny_contract_counts_and_a_batch_counts_once(world: Sealed) -> None:
    # issue 16 attack: the authority adds votes to the tally directly, or a batch is counted twice
    x = world
    _keyed(x)
    _cast(x, [[0], [1]])
    err = revert(x.w.chain.transact, x.e.box.functions.countSealed(x.round, 0, [5] * 9, 0, 2), AUTH)
    assert err.error == "NotScrutiny"
    x.e.wait_for_close(x.round)
    x.e.count_sealed(x.round, RELAY)
    entries = x.s.sealed_batches(x.e.box, x.round)[0]
    fn = x.s.contract.functions.count(x.e.box.address, x.round, 0, [c for c, _ in entries], [ct.as_tuple() for _, ct in entries])
    err = revert(x.w.chain.transact, fn, RELAY)
    assert err.error == "BatchCounted"


def test_a_clerk_cannot_count_part_of_a_batch_or_a_changed_ciphertext(world: Sealed) -> None:
    # issue 16 attack (selective reveal): the counter leaves out a ballot it dislikes, or swaps a ciphertext
    x = world
    _keyed(x)
    _cast(x, [[0], [1], [2]])
    x.e.wait_for_close(x.round)
    for m in x.members[:T]:
        x.s.publish_share(m, x.e.box.address, x.round)
    entries = x.s.sealed_batches(x.e.box, x.round)[0]
    creds, cts = [c for c, _ in entries], [ct.as_tuple() for _, ct in entries]
    fn = x.s.contract.functions.count(x.e.box.address, x.round, 0, creds[:2], cts[:2])
    err = revert(x.w.chain.transact, fn, RELAY)
    assert err.error == "CiphertextMismatch" and err.rule == "R-EL-13"
    swapped = [cts[0], cts[1], (cts[2][0], cts[2][1], cts[2][2] ^ 1)]
    fn = x.s.contract.functions.count(x.e.box.address, x.round, 0, creds, swapped)
    assert revert(x.w.chain.transact, fn, RELAY).error == "CiphertextMismatch"


def test_a_withheld_count_voids_the_poll_after_the_count_deadline(world: Sealed) -> None:
    # issue 16 (no withholding after the close): if the shares are not published, the round cannot be
    # tallied from a partial count; after the counting window the poll is void and is run again (R-EL-5)
    x = world
    _keyed(x)
    _cast(x, [[0], [1], [2], [3]])
    x.e.wait_for_close(x.round)
    err = revert(x.e.finalize, RELAY)
    assert err.error == "RevealStillOpen"
    x.e.wait_for_reveal_end(x.round)
    x.e.finalize(RELAY)
    voided = x.e.contract.events.PollVoid().get_logs(from_block=0)
    assert [int(ev.args.round) for ev in voided] == [x.round]


def test_scrutineers_act_only_with_their_own_keys_and_shares_are_verified(world: Sealed) -> None:
    # issue 16 attacks: the authority deals or publishes for a member; a member publishes a wrong share;
    # a member publishes twice
    x = world
    _keyed(x)
    _cast(x, [[0]])
    x.e.wait_for_close(x.round)
    box, r = x.e.box.address, x.round
    fn = x.s.contract.functions.publishShare(box, r, 0, 1)
    err = revert(x.w.chain.transact, fn, AUTH)
    assert err.error == "NotMember" and err.rule == "R-EL-13"
    right = x.members[1].key_share(box, r, range(N))
    fn = x.s.contract.functions.publishShare(box, r, 1, (right + 1) % ORDER)
    err = revert(x.w.chain.transact, fn, x.members[1].key)
    assert err.error == "ShareMismatch"
    x.s.publish_share(x.members[1], box, r)
    assert revert(x.s.publish_share, x.members[1], box, r).error == "AlreadyPublished"


def test_a_bad_dealer_is_disqualified_and_an_honest_answer_keeps_a_dealer(world: Sealed) -> None:
    # GJKR complaint step: member 0 deals member 1 a wrong share and never answers (disqualified); member 2
    # is falsely accused by member 3 and answers with the share in the clear (kept)
    x = world
    box, r = x.e.box.address, x.round
    x.s.name_panel(box, r, x.members, T, AUTH)
    x.s.deal(x.members[0], box, r, corrupt_for=1)
    for m in x.members[1:]:
        x.s.deal(m, box, r)
    assert x.s.receive(x.members[1], box, r) == [0]
    for m in x.members[2:]:
        assert x.s.receive(m, box, r) == []
    panel = x.s.panel(box, r)
    err = revert(x.s.complain, x.members[1], box, r, 0)
    assert err.error == "OutsideWindow"  # complaints start when dealing ends
    x.w.chain.wait_until(int(panel["dealBy"]))
    x.s.complain(x.members[1], box, r, 0)
    x.s.complain(x.members[3], box, r, 2)
    x.w.chain.wait_until(int(panel["complainBy"]))
    # the bad dealer answers with a share that does not match its commitments: refused
    d0 = x.members[0].deals[(box, r)]
    wrong = x.s.contract.functions.answer(box, r, 0, 1, (d0.share(1) + 1) % ORDER, [list(c) for c in d0.commitments])
    assert revert(x.w.chain.transact, wrong, x.members[0].key).error == "ShareMismatch"
    x.s.answer(x.members[2], box, r, 3)
    x.w.chain.wait_until(int(panel["answerBy"]))
    key = x.s.fix_key(box, r, RELAY)
    assert x.s.qualified(box, r) == [1, 2, 3, 4]
    dealt = x.s.dealt(box, r)
    from zhili.election.scrutiny import add

    expect = dealt[1][0][0]
    for i in (2, 3, 4):
        expect = add(expect, dealt[i][0][0])
    assert key == expect
    # the members' shares over the qualified dealers open the poll
    for m in x.members:
        x.s.receive(m, box, r)
    _cast(x, [[0, 1], [1]])
    x.e.wait_for_close(r)
    for m in (x.members[1], x.members[3], x.members[4]):
        x.s.publish_share(m, box, r)
    x.s.count(x.e.box, r, RELAY)
    assert x.s.retally(x.e.box, r) == ([1, 2] + [0] * 7, 0)


def _dealt_with_a_bad_share(x: Sealed) -> tuple[str, int, dict[str, int]]:
    """The panel named; members 1 to 3 deal (member 1 gives member 2 a bad share); member 0 and 4 not yet."""
    box, r = x.e.box.address, x.round
    x.s.name_panel(box, r, x.members, T, AUTH)
    x.s.deal(x.members[1], box, r, corrupt_for=2)
    for m in x.members[2:4]:
        x.s.deal(m, box, r)
    panel = x.s.panel(box, r)
    return box, r, {k: int(panel[k]) for k in ("dealBy", "complainBy", "answerBy")}


def test_each_key_generation_window_ends_in_its_last_second(world: Sealed) -> None:
    # R-EL-13: dealing, complaints and answers each run for the profile's phase, [start, end): the last
    # second is still inside, the end's own second is not
    x = world
    box, r, at = _dealt_with_a_bad_share(x)
    fn0, _ = x.s.deal_call(x.members[0], box, r)
    fn4, _ = x.s.deal_call(x.members[4], box, r)
    assert send_at(x.w.chain, fn0, x.members[0].key, at["dealBy"] - 1)["status"] == 1
    assert send_at(x.w.chain, fn4, x.members[4].key, at["dealBy"])["status"] == 0
    complain = x.s.contract.functions.complain
    assert send_at(x.w.chain, complain(box, r, 2, 1), x.members[2].key, at["complainBy"] - 1)["status"] == 1
    assert send_at(x.w.chain, complain(box, r, 3, 1), x.members[3].key, at["complainBy"])["status"] == 0
    d1 = x.members[1].deals[(box, r)]
    answer = x.s.contract.functions.answer(box, r, 1, 2, d1.share(2), [list(c) for c in d1.commitments])
    assert send_at(x.w.chain, answer, x.members[1].key, at["answerBy"] - 1)["status"] == 1
    assert x.s.complaints(box, r) == []


def test_each_key_generation_window_opens_in_its_first_second(world: Sealed) -> None:
    # the other side of each bound: a complaint in dealing's last second, an answer in the complaints' last
    # second and the key fixed in the answers' last second are refused; each is accepted a second later
    x = world
    box, r, at = _dealt_with_a_bad_share(x)
    x.s.deal(x.members[0], box, r)
    complain = x.s.contract.functions.complain(box, r, 2, 1)
    assert send_at(x.w.chain, complain, x.members[2].key, at["dealBy"] - 1)["status"] == 0
    assert send_at(x.w.chain, complain, x.members[2].key, at["dealBy"])["status"] == 1
    d1 = x.members[1].deals[(box, r)]
    answer = x.s.contract.functions.answer(box, r, 1, 2, d1.share(2), [list(c) for c in d1.commitments])
    assert send_at(x.w.chain, answer, x.members[1].key, at["complainBy"] - 1)["status"] == 0
    assert send_at(x.w.chain, answer, x.members[1].key, at["complainBy"])["status"] == 1
    dealt = x.s.dealt(box, r)
    fix = x.s.contract.functions.fixKey(box, r, [[list(c) for c in dealt[i][0]] if i in dealt else [] for i in range(N)])
    assert send_at(x.w.chain, fix, RELAY, at["answerBy"] - 1, gas=6_000_000)["status"] == 0
    assert send_at(x.w.chain, fix, RELAY, at["answerBy"], gas=6_000_000)["status"] == 1
    # member 4 never dealt: the key is the four dealers' (member 1 answered in time and stays)
    assert x.s.qualified(box, r) == [0, 1, 2, 3]


def test_the_panel_rule_and_who_names_it(world: Sealed) -> None:
    # R-EL-13 [decision]: the profile's panel, 5 members of whom 3 open a poll (the authority can name neither a
    # smaller panel nor a lower threshold), distinct registered members with encryption keys; named by the
    # election authority, by the upper committee only once the round is overdue; a panel that exists is not replaced
    x = world
    box, r = x.e.box.address, x.round
    ids = [m.person for m in x.members]
    assert x.s.panel_rule() == (N, T)
    fn = x.s.contract.functions.namePanel
    for members, t in ((ids, T - 1), (ids[: N - 1], T), (ids[: N - 2], T - 1), (ids, T + 1), (ids[:1] + ids, T)):
        err = revert(x.w.chain.transact, fn(box, r, members, t), AUTH)
        assert err.error == "PanelNotProfile" and err.rule == "R-EL-13"
        assert err.args_by_name == {"members": len(members), "threshold": t, "profileMembers": N, "profileThreshold": T}
    err = revert(x.w.chain.transact, fn(box, r, ids[:4] + ids[:1], T), AUTH)
    assert err.error == "PanelRefused" and err.rule == "R-EL-13"  # member 0 named twice
    err = revert(x.w.chain.transact, fn(box, r, [x.w.ids[0]] + ids[:4], T), AUTH)
    assert err.error == "PanelRefused"  # P00 set no encryption key
    err = revert(x.w.chain.transact, fn(box, r, ids, T), UPPER)
    assert err.error == "PanelNotOverdue"
    err = revert(x.w.chain.transact, fn(box, r, ids, T), RELAY)
    assert err.error == "JurisdictionRoleRequired"
    x.s.name_panel(box, r, x.members, T, AUTH)
    err = revert(x.w.chain.transact, fn(box, r, ids, T), AUTH)
    assert err.error == "PanelExists"


def test_ballot_encryption_matches_the_contract_for_a_known_scalar() -> None:
    # the client side against fixed values: a ballot sealed with r under key k·G opens with k (and the pad
    # binds the credential: the same ciphertext under another credential opens to something else)
    k, r = 0x1234567, 0xABCDEF
    key = mul(GENERATOR, k)
    box, cred, cred2 = "0x" + "11" * 20, "0x" + "22" * 20, "0x" + "33" * 20
    c = encrypt_ballot(key, 0b1011, box, 7, cred, r)
    assert (c.rx, c.ry) == mul(GENERATOR, r)
    assert decrypt_ballot(k, c, box, 7, cred) == 0b1011
    assert decrypt_ballot(k, c, box, 7, cred2) != 0b1011
    assert decrypt_ballot(k, Ciphertext(1, 3, c.masked), box, 7, cred) is None


def test_the_election_runs_to_its_offices_with_sealed_polls(world: Sealed) -> None:
    # both stages sealed, counted by the scrutineers' shares, ranking as in the plain election
    x = world
    x.e.run_poll([x.w.ids[: 7 - v] for v in range(7)], AUTH, RELAY)
    x.e.approve_list(UPPER)
    x.e.run_poll([x.w.ids[: 5 - v] for v in range(5)], AUTH, RELAY)
    assert x.e.phase in (Phase.AWAITING_PICK, Phase.COMPLETED)
    assert x.e.offices()["secretary"] == x.w.ids[0]


def test_fewer_than_threshold_shares_open_nothing_and_a_bad_share_leaves_the_honest_to_open(world: Sealed) -> None:
    # issue 16: t − 1 published shares reveal no secret and nothing can be counted; a scrutineer's wrong
    # share is refused, and three honest members still open the box
    x = world
    _keyed(x)
    cast = _cast(x, [[0, 1], [2], [1]])
    x.e.wait_for_close(x.round)
    box, r = x.e.box.address, x.round
    for m in x.members[: T - 1]:
        x.s.publish_share(m, box, r)
    panel = x.s.panel(box, r)
    assert (panel["phase"], panel["published"], panel["secret"]) == (2, 0b11, 0)  # still keyed, no secret
    err = revert(x.s.count, x.e.box, r, RELAY)
    assert err.error == "WrongPhase" and err.args_by_name["needed"] == 4
    wrong = (x.members[2].key_share(box, r, range(N)) + 7) % ORDER
    err = revert(x.w.chain.transact, x.s.contract.functions.publishShare(box, r, 2, wrong), x.members[2].key)
    assert err.error == "ShareMismatch"
    x.s.publish_share(x.members[3], box, r)  # the third honest share opens the box
    assert x.s.panel(box, r)["phase"] == 4
    x.s.count(x.e.box, r, RELAY)
    assert x.s.retally(x.e.box, r) == ([1, 2, 1] + [0] * 6, 0)
    assert {ev.args.credential: ev.args.mask for ev in x.s.contract.events.BallotCounted().get_logs(from_block=0)} == {b.credential: b.mask for b in cast}
