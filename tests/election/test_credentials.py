"""Voter-held credentials (BallotBox, R-EL-7, R-EL-5; issue 15 item 1) and relay batches that skip
(item 6): each attack of an insider (election authority, relayer) is performed and refused by the
contract's custom error, on both chains. One election is built per module; each test starts from a
snapshot of it (stage 1 pending, 5 party delegates on the roll, no credential issued yet)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from Crypto.Hash import SHA256
from Crypto.Signature import pkcs1_15
from eth_utils import keccak
from web3.logs import DISCARD

from chain_kit import _WORLDS, revert
from election_kit import World, build_world, issuer
from zhili.core.chain import Chain
from zhili.election import blind
from zhili.election.client import ElectionClient, Electorate
from zhili.election.credentials import Wallet, seal
from zhili.testing import Staff
from zhili.types import Role

PARTY = int(Electorate.PARTY)


@pytest.fixture(scope="module")
def built(session_chain: Chain) -> Iterator[tuple[World, ElectionClient, int]]:
    key = ("election", session_chain.kind)  # the election tests' world, built once per chain (chain_kit)
    if key not in _WORLDS:
        _WORLDS[key] = build_world(session_chain)
    w = _WORLDS[key]
    before = session_chain.snapshot()
    e = w.election()
    e.add_candidates(w.ids[:9], Staff.AUTHORITY)
    for pid in w.ids[:9]:
        e.vet(pid, [], keccak(text="ok"), Staff.VETTING)
    e.register_voters(Electorate.PARTY, [pid for pid, _ in w.delegates(5)], Staff.AUTHORITY)
    e.register_voters(Electorate.CONGRESS, [pid for pid, _ in w.deputies(5)], Staff.AUTHORITY)
    e.publish_issuer_key(issuer(), Staff.AUTHORITY)
    e.begin_stage1(Staff.AUTHORITY)
    yield w, e, session_chain.snapshot()
    session_chain.revert_to(before)  # the shared world as it was


@pytest.fixture
def setup(built: tuple[World, ElectionClient, int], session_chain: Chain) -> Iterator[tuple[World, ElectionClient]]:
    w, e, _ = built
    snap = session_chain.snapshot()
    e.wallets.clear()
    yield w, e
    session_chain.revert_to(snap)


def enrol_some(w: World, e: ElectionClient, n: int) -> list[Wallet]:
    return e.enrol(Electorate.PARTY, w.delegates(5)[:n], issuer(), Staff.AUTHORITY, Staff.RELAYER)


def tx(w: World, fn: Any, who: Staff = Staff.RELAYER) -> Any:
    return w.chain.transact(fn, who)


def test_blind_rsa_matches_pycryptodome() -> None:
    # the unblinded signature is exactly pycryptodome's deterministic RSASSA-PKCS1-v1_5-SHA256 signature
    key = issuer().key
    msg = b"zhili credential"
    st = blind.blind(int(key.n), msg)
    sig = blind.finalize(int(key.n), msg, st, blind.blind_sign(key, st.blinded))
    assert sig == pkcs1_15.new(key).sign(SHA256.new(msg))
    with pytest.raises(blind.BlindSignatureError):
        blind.verify(int(key.n), b"another message", sig)


def test_issuance_register_and_vote(setup: tuple[World, ElectionClient]) -> None:
    # the honest path, checked on chain: request (person-signed), blind answer (modexp), register (RSA.pkcs1Sha256)
    w, e = setup
    wallets = enrol_some(w, e, 3)
    assert e.credential_counts(Electorate.PARTY) == (3, 3, False)
    m = e.issuer_modulus()
    for wl in wallets:  # the chain's own check agrees with pycryptodome's
        blind.verify(blind.os2ip(m), bytes(w.chain.call(e.box.functions.credentialMessage(PARTY, wl.address))), wl.signature or b"")
        assert w.chain.call(e.box.functions.credentialElectorate(wl.address)) == PARTY + 1
    r = e.open_poll(Staff.AUTHORITY)
    e.relay([e.cast(wl, r, w.ids[:2]) for wl in wallets], Staff.RELAYER)
    assert w.chain.call(e.box.functions.getRound(r))[4] == 3


def test_authority_cannot_cast_absentees_and_the_real_deputy_still_votes(setup: tuple[World, ElectionClient]) -> None:
    # attack: the authority mints credentials for absentees. It has no person keys: a request it signs
    # itself is refused; a credential it signs outside the chain cannot be registered past the cap.
    w, e = setup
    voters = w.delegates(5)
    enrol_some(w, e, 2)  # two honest voters
    absentee, _ = voters[4]
    fake = e.new_wallet(Electorate.PARTY)
    err = revert(tx, w, e.box.functions.requestCredentials([fake.request(absentee, w.account(Staff.AUTHORITY))]), Staff.AUTHORITY)
    assert err.error == "PersonSignatureInvalid" and err.args_by_name["person"] == absentee
    # the authority signs a credential of its own off chain (it holds the RSA secret) and registers it
    forged = fake.finalize(blind.blind_sign(issuer().key, fake.blinded))
    err = revert(e.register_credentials, [forged], Staff.AUTHORITY)
    assert err.error == "CredentialCapReached" and err.args_by_name == {"electorate": PARTY, "registered": 2, "issued": 2}
    # its ballot with the unregistered credential is refused
    r = e.open_poll(Staff.AUTHORITY)
    err = revert(e.relay, [seal(forged, r, 1)], Staff.AUTHORITY)
    assert err.error == "UnregisteredCredential" and err.args_by_name["credential"].lower() == forged.address.lower()
    # the real deputy arrives later, gets a credential and votes
    (late,) = e.enrol(Electorate.PARTY, [voters[4]], issuer(), Staff.AUTHORITY, Staff.RELAYER)
    e.relay([e.cast(late, r, w.ids[:1])], Staff.RELAYER)
    assert w.chain.call(e.box.functions.ballotStatus(r, late.address))[0]


def test_forgery_displacing_a_voter_is_proven_on_chain(setup: tuple[World, ElectionClient]) -> None:
    # attack: the authority registers a credential it signed off chain before a real voter registers;
    # the real voter's valid signature then no longer fits and proves the forgery publicly
    w, e = setup
    voters = w.delegates(5)
    (a,) = enrol_some(w, e, 1)
    b = e.new_wallet(Electorate.PARTY)
    e.request_credentials([b.request(*voters[1])], Staff.RELAYER)
    e.answer_requests(issuer(), Staff.AUTHORITY)
    b = b.finalize(e.blind_signature(Electorate.PARTY, voters[1][0]) or b"")
    forged = e.new_wallet(Electorate.PARTY)
    forged = forged.finalize(blind.blind_sign(issuer().key, forged.blinded))
    e.register_credentials([forged], Staff.AUTHORITY)  # takes b's slot: 2 issued, 2 registered
    assert revert(e.register_credentials, [b], Staff.RELAYER).error == "CredentialCapReached"
    err = revert(tx, w, e.box.functions.proveForgery(PARTY, a.address, a.signature or b""))
    assert err.error == "NoForgeryProof"  # a registered credential proves nothing
    tx(w, e.box.functions.proveForgery(PARTY, b.address, b.signature or b""))
    assert e.credential_counts(Electorate.PARTY) == (2, 2, True)
    r = e.open_poll(Staff.AUTHORITY)
    err = revert(e.relay, [seal(a, r, 1)], Staff.RELAYER)
    assert err.error == "ElectorateCompromised"


def test_one_issuance_per_roll_entry(setup: tuple[World, ElectionClient]) -> None:
    # attack: a second credential for the same roll entry (a different blinded request)
    w, e = setup
    voter = w.delegates(5)[0]
    enrol_some(w, e, 1)
    again = e.new_wallet(Electorate.PARTY)
    err = revert(e.request_credentials, [again.request(*voter)], Staff.RELAYER)
    assert err.error == "AlreadyRequested" and err.rule == "R-EL-5" and err.args_by_name == {"electorate": PARTY, "person": voter[0]}


def test_roll_entries_are_registered_unblacklisted_persons(setup: tuple[World, ElectionClient]) -> None:
    # attack: pad the roll with free hashes; put a blacklisted person on it; a person blacklisted later asks
    w, e = setup
    e2 = w.election(term=2)
    assert revert(e2.register_voters, Electorate.PARTY, [keccak(text="fictitious")], Staff.AUTHORITY).error == "UnknownPerson"
    pid, key = w.delegates(5)[3]
    w.hand.grant(w.persons, Role.RECORD_WRITER)
    w.hand.relay(w.persons.functions.blacklist(pid, keccak(text="finding")))
    assert revert(e2.register_voters, Electorate.PARTY, [pid], Staff.AUTHORITY).error == "BlacklistedPerson"
    err = revert(e.request_credentials, [e.new_wallet(Electorate.PARTY).request(pid, key)], Staff.RELAYER)
    assert err.error == "VoterBlacklisted" and err.rule == "R-MR-9"
    outsider = w.ids[10]  # a registered person not on the roll
    err = revert(e.request_credentials, [e.new_wallet(Electorate.PARTY).request(outsider, w.keys[outsider])], Staff.RELAYER)
    assert err.error == "NotOnRoll"


def test_garbage_blind_signature_refused(setup: tuple[World, ElectionClient]) -> None:
    # attack: the authority answers with garbage (or with a signature under another key)
    w, e = setup
    voter = w.delegates(5)[0]
    wl = e.new_wallet(Electorate.PARTY)
    e.request_credentials([wl.request(*voter)], Staff.RELAYER)
    garbage = (PARTY, voter[0], wl.blinded, b"\x01" * 256)
    err = revert(tx, w, e.box.functions.answerCredentials([garbage]), Staff.AUTHORITY)
    assert err.error == "BadBlindSignature" and err.args_by_name == {"electorate": PARTY, "person": voter[0]}
    wrong = (PARTY, voter[0], wl.blinded, wl.blinded)  # the message itself, not its e-th root
    assert revert(tx, w, e.box.functions.answerCredentials([wrong]), Staff.AUTHORITY).error == "BadBlindSignature"
    assert e.credential_counts(Electorate.PARTY) == (0, 0, False)  # nothing counted as issued


def test_booth_issuance_names_its_witness(setup: tuple[World, ElectionClient]) -> None:
    # paper-ballot fallback: the booth device plays the voter's device, a registered witness is recorded
    w, e = setup
    voter = w.delegates(5)[0]
    booth = e.new_wallet(Electorate.PARTY)
    err = revert(e.request_credentials, [booth.request(*voter, witness=voter[0])], Staff.RELAYER)
    assert err.error == "BadWitness"
    e.request_credentials([booth.request(*voter, witness=w.ids[12])], Staff.RELAYER)
    (ev,) = e.box.events.CredentialRequested().get_logs(from_block=0)
    assert bytes(ev.args.witness) == w.ids[12]


def test_authority_sees_nothing_linking_credential_to_person(setup: tuple[World, ElectionClient]) -> None:
    # linkability: everything the issuer sees (requests, its answers) and every event on chain about a
    # person carries no credential key, address or unblinded signature
    w, e = setup
    wallets = enrol_some(w, e, 3)
    seen = b"".join(p + b for _, p, b in [(0, bytes(ev.args.person), bytes(ev.args.blinded)) for ev in e.box.events.CredentialRequested().get_logs(from_block=0)])
    seen += b"".join(bytes(ev.args.blindSignature) for ev in e.box.events.CredentialIssued().get_logs(from_block=0))
    for wl in wallets:
        for secret in (bytes.fromhex(wl.address[2:]), wl.signature or b"", wl.key, blind.i2osp(wl.inverse)):
            assert secret not in seen
    # the blinded message is the unblinded one times r^e: without r every credential fits every request
    n = blind.os2ip(wallets[0].modulus)
    assert all(blind.os2ip(wl.blinded) != blind.encode(wl.message) % n for wl in wallets)


def test_front_run_ballot_does_not_revert_the_batch(setup: tuple[World, ElectionClient]) -> None:
    # attack (relayer): copy one ballot of a pending batch and get it in first; the batch still lands
    w, e = setup
    wallets = enrol_some(w, e, 4)
    r = e.open_poll(Staff.AUTHORITY)
    ballots = [e.cast(wl, r, w.ids[i : i + 2]) for i, wl in enumerate(wallets[:3])]
    tx(w, e.box.functions.commit(r, [ballots[1].signed()]), Staff.AUTHORITY)  # the front-runner
    receipt = tx(w, e.box.functions.commit(r, [b.signed() for b in ballots]))
    assert [ev.args.credential for ev in e.box.events.BallotCommitted().process_receipt(receipt, errors=DISCARD)] == [ballots[0].credential, ballots[2].credential]
    (skip,) = e.box.events.EntrySkipped().process_receipt(receipt, errors=DISCARD)
    assert bytes(skip.args.entry) == ballots[1].commitment
    assert w.chain.call(e.box.functions.getRound(r))[4] == 3
    # a different ballot for a used credential is still refused
    err = revert(tx, w, e.box.functions.commit(r, [replace(e.cast(wallets[1], r, w.ids[:1])).signed()]))
    assert err.error == "CredentialUsed"
    # a ballot signed by another key than its credential
    bad = replace(e.cast(wallets[0], r, []), credential=wallets[3].address)
    assert revert(tx, w, e.box.functions.commit(r, [bad.signed()])).error == "BallotSignatureInvalid"
    e.wait_for_close(r)
    e.reveal(ballots, Staff.RELAYER)
    assert w.chain.call(e.box.functions.getRound(r))[5] == 3
