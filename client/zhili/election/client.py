"""Drive an ``Election`` (R-EL-1 ... R-EL-11) and its ``BallotBox`` (R-EL-7); read its results.

Every decision (who advances, runoffs, offices) is taken by the contracts; this module only sends
the acts SPEC gives to people (registration, vetting, ballots, strikes, the administrator pick) and
reads what the chain decided.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.contract import Contract
from web3.logs import DISCARD

from ..admin.client import Grant, grant_roles
from ..core.chain import Chain
from ..election.credentials import Issuer, SealedBallot, Wallet, mask_of, seal
from ..election.scrutiny import EncryptedBallot, Point, Scrutineer, ScrutinyClient, seal_to_key
from ..errors import InputError
from ..persons.client import deploy_person_registry, label_identity, person_id  # noqa: F401 - re-exported: zhili.election.person_id
from ..types import CORE_OFFICES, Office

Sender = int | str | LocalAccount | None
ZERO32 = b"\0" * 32
ZERO_ADDRESS = "0x" + "00" * 20


def roll_persons(chain: Chain, persons: Contract, label: str, n: int, registrar: Sender = None) -> list[tuple[bytes, LocalAccount]]:
    """Persons ``"{label} 0"`` … ``"{label} n-1"`` with signing keys derived from ``label`` (tests,
    scenarios, the demo: a real roll is of people registered with their own keys), registered in the
    person registry with identity commitments derived from the same labels (:func:`label_identity`) by ``registrar`` unless they are already. Returns ``(person id, key)`` pairs."""
    out = [(person_id(f"{label} {i}"), Account.from_key(keccak(text=f"{persons.address}:{label} key {i}"))) for i in range(n)]
    known = chain.call_many([persons.functions.isRegistered(pid) for pid, _ in out])
    for i, ((pid, acct), registered) in enumerate(zip(out, known)):
        if not registered:
            chain.transact(persons.functions.register(pid, acct.address, label_identity(f"{label} {i}")), registrar, label="persons.register")
    return out


class Phase(IntEnum):
    REGISTRATION = 0
    STAGE1 = 1
    UPPER_APPROVAL = 2
    STAGE2 = 3
    OFFICES = 4
    AWAITING_PICK = 5
    COMPLETED = 6
    VOID = 7


class Purpose(IntEnum):
    STAGE1 = 0
    STAGE1_RUNOFF = 1
    STAGE2 = 2
    STAGE2_RUNOFF = 3
    PATH_ONE = 4
    SECRETARY = 5
    DISCIPLINE = 6
    CONGRESS = 7
    ADMINISTRATOR = 8
    CONSULTATIVE = 9


class Electorate(IntEnum):
    PARTY = 0
    CONGRESS = 1


class BallotError(InputError, ValueError):
    """A ballot the voter's device refuses to seal (names not on this poll, or named twice)."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        super().__init__(f"{rule}: {message}")


#: a poll's casting and counting windows when none is given, seconds (at least the profile's minimums)
DEFAULT_WINDOW = 3600


@dataclass(frozen=True)
class PollLimits:
    """``IBallotBox.PollLimits``: the profile's poll bounds, seconds (R-EL-7, issue 15 item 4)."""

    min_register: int
    min_cast: int
    min_count: int
    max_window: int
    open_within: int


@dataclass(frozen=True)
class PollView:
    round: int
    purpose: Purpose
    seats: int
    max_names: int
    candidates: list[bytes]
    status: int
    roll_size: int
    cast: int
    counted: int
    votes: list[int] | None

    def as_json(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "purpose": self.purpose.name.lower(),
            "seats": self.seats,
            "candidates": ["0x" + c.hex() for c in self.candidates],
            "votes": self.votes,
            "cast": self.cast,
            "counted": self.counted,
            "roll": self.roll_size,
            "status": ["none", "created", "open", "final", "void"][self.status],
        }


@dataclass
class Sealing:
    """The scrutineers' devices a client drives when its box seals every round to them (R-EL-13; tests,
    scenarios, the demo): their ``Scrutiny`` contract, the members named for each round and the threshold."""

    scrutiny: ScrutinyClient
    members: list[Scrutineer]
    threshold: int


class BallotBoxClient:
    """Credentials and rounds of one ``BallotBox`` (R-EL-7), whoever owns it: an ``Election`` (its
    delegates and deputies, :class:`ElectionClient`) or a ``CppccConfirmation`` (the county CPPCC's
    members, :class:`zhili.election.cppcc.CppccClient`). A subclass is a dataclass with these fields;
    ``contract`` is the box's owner. A box with a ``Scrutiny`` contract seals every round to its
    scrutineers (R-EL-13): ``sealing`` then holds their devices for the whole-poll helpers."""

    chain: Chain
    contract: Contract
    box: Contract
    from_block: int
    #: registered credentials this client drives (tests, scenarios, demo), by electorate
    wallets: dict[Electorate, list[Wallet]]
    #: enrolments run when an electorate's credentials are first needed (:meth:`wallets_for`)
    deferred: dict[Electorate, Callable[[], list[Wallet]]]
    #: the scrutineers' devices, for a box that seals its rounds (R-EL-13)
    sealing: Sealing | None = None

    # ------------------------------------------------------------------ sealed rounds (R-EL-13)

    def scrutiny_address(self) -> str | None:
        """The ``Scrutiny`` contract this box seals its rounds to, or None (commit-reveal rounds)."""
        a = str(self.chain.call(self.box.functions.scrutiny()))
        return None if int(a, 16) == 0 else a

    def scrutiny(self) -> ScrutinyClient:
        a = self.scrutiny_address()
        if a is None:
            raise BallotError("R-EL-13", f"ballot box {self.box.address} has no scrutineers: its rounds are commit-reveal")
        if self.sealing is not None and self.sealing.scrutiny.contract.address == a:
            return self.sealing.scrutiny
        return ScrutinyClient.at(self.chain, a, self.from_block)

    def poll_key(self, round: int) -> Point:
        """The round's poll key (refused before the scrutineers fixed it)."""
        s = self.scrutiny()
        if not self.chain.call(s.contract.functions.keyFixed(self.box.address, round)):
            raise BallotError("R-EL-13", f"round {round} has no poll key yet: its scrutineers have not finished the key generation")
        return s.poll_key(self.box.address, round)

    def ensure_poll_key(self, round: int, authority: Sender) -> None:
        """For a sealed box, run the key generation with the held scrutineers if the round has no key yet."""
        if self.scrutiny_address() is None:
            return
        s = self.scrutiny()
        if self.chain.call(s.contract.functions.keyFixed(self.box.address, round)):
            return
        if self.sealing is None:
            raise BallotError("R-EL-13", f"round {round} has no poll key: its scrutineers must run the key generation first")
        s.run_key_generation(self.box.address, round, self.sealing.members, self.sealing.threshold, authority, authority)

    def seal_ballot(self, wallet: Wallet, round: int, mask: int) -> SealedBallot | EncryptedBallot:
        """What a voter's device does with a marked ballot: encrypt it to the poll key (a sealed box) or
        commit to it (commit-reveal), and sign with the credential key. Nothing is sent."""
        return self.seal_ballots(round, [(wallet, mask)])[0]

    def seal_ballots(self, round: int, marked: Sequence[tuple[Wallet, int]]) -> list[SealedBallot | EncryptedBallot]:
        """:meth:`seal_ballot` for many devices (the poll key read once)."""
        if self.scrutiny_address() is None:
            return [seal(w, round, m) for w, m in marked]
        key = self.poll_key(round)
        return [seal_to_key(w, key, round, m) for w, m in marked]

    def count_sealed(self, round: int, sender: Sender) -> None:
        """After the close: the held scrutineers publish ``threshold`` shares, then every batch is counted."""
        if self.sealing is None:
            raise BallotError("R-EL-13", f"round {round} is sealed: its scrutineers publish their shares (zhili scrutiny share), then anyone counts")
        self.sealing.scrutiny.open_count(self.box, round, self.sealing.members, sender)

    # ------------------------------------------------------------------ credentials (R-EL-7)

    def publish_issuer_key(self, issuer: Issuer, sender: Sender) -> None:
        """Publish the issuer's RSA modulus (once per ballot box, before any request)."""
        self.chain.transact(self.box.functions.publishIssuerKey(issuer.modulus), sender, label="election.credential.publish")

    def issuer_modulus(self) -> bytes:
        return bytes(self.chain.call(self.box.functions.issuerKey()))

    def new_wallet(self, electorate: Electorate, modulus: bytes | None = None) -> Wallet:
        """What a voter's device does first: a credential key, blinded for the published issuer key."""
        modulus = modulus if modulus is not None else self.issuer_modulus()
        if not modulus:
            raise BallotError("R-EL-7", "the election authority has not published its issuer key yet")
        return Wallet.new(self.chain.chain_id, self.box.address, int(electorate), modulus, self.contract.address)

    def request_credentials(self, requests: Sequence[tuple[Any, ...]], sender: Sender, chunk: int = 100) -> None:
        """Relay signed credential requests (``Wallet.request``); anyone may."""
        for i in range(0, len(requests), chunk):
            fn = self.box.functions.requestCredentials(list(requests[i : i + chunk]))
            receipt = self.chain.transact(fn, sender, label="election.credential.request")
            self.chain.gas_used.setdefault("election.credential.request.per_voter", []).append(int(receipt["gasUsed"]) // len(requests[i : i + chunk]))

    def pending_requests(self) -> list[tuple[int, bytes, bytes]]:
        """``(electorate, person, blinded)`` of every request not yet answered: what the issuer sees."""
        answered = {(int(ev.args.electorate), bytes(ev.args.person)) for ev in self.box.events.CredentialIssued().get_logs(from_block=self.from_block)}
        requests = [(int(ev.args.electorate), bytes(ev.args.person), bytes(ev.args.blinded)) for ev in self.box.events.CredentialRequested().get_logs(from_block=self.from_block)]
        return [(e, p, b) for e, p, b in requests if (e, p) not in answered]

    def answer_requests(self, issuer: Issuer, sender: Sender, chunk: int = 100) -> int:
        """The issuer signs every pending request blindly and posts the answers (checked on chain)."""
        answers = [issuer.answer(e, p, b) for e, p, b in self.pending_requests()]
        for i in range(0, len(answers), chunk):
            part = answers[i : i + chunk]
            receipt = self.chain.transact(self.box.functions.answerCredentials(part), sender, label="election.credential.issue")
            self.chain.gas_used.setdefault("election.credential.issue.per_voter", []).append(int(receipt["gasUsed"]) // len(part))
        return len(answers)

    def blind_signature(self, electorate: Electorate, person: bytes) -> bytes | None:
        """The issuer's answer to ``person``'s request, from the chain (what the device unblinds)."""
        logs = self.box.events.CredentialIssued().get_logs(from_block=self.from_block, argument_filters={"electorate": int(electorate), "person": person})
        return bytes(logs[-1].args.blindSignature) if logs else None

    def answer_for(self, wallet: Wallet) -> bytes | None:
        """The blind signature answering the request made from ``wallet`` (found by its blinded message)."""
        for ev in self.box.events.CredentialRequested().get_logs(from_block=self.from_block, argument_filters={"electorate": wallet.electorate}):
            if bytes(ev.args.blinded) == wallet.blinded:
                return self.blind_signature(Electorate(wallet.electorate), bytes(ev.args.person))
        return None

    def register_credentials(self, wallets: Sequence[Wallet], sender: Sender, chunk: int = 100) -> None:
        """Register finalized credentials anonymously (through any relayer)."""
        for i in range(0, len(wallets), chunk):
            part = wallets[i : i + chunk]
            receipt = self.chain.transact(self.box.functions.registerCredentials([w.registration() for w in part]), sender, label="election.credential.register")
            self.chain.gas_used.setdefault("election.credential.register.per_voter", []).append(int(receipt["gasUsed"]) // len(part))

    def enrol(self, electorate: Electorate, voters: Sequence[tuple[bytes, LocalAccount]], issuer: Issuer, authority: Sender, relayer: Sender) -> list[Wallet]:
        """The whole issuance for ``voters`` (person id, registered key), as their devices and the issuer
        would run it: key published if need be, requests relayed, blind signatures posted, unblinded,
        registered. The wallets are kept in ``self.wallets[electorate]`` for :meth:`run_poll`."""
        modulus = self.issuer_modulus()
        if not modulus:
            self.publish_issuer_key(issuer, authority)
            modulus = issuer.modulus
        devices = [self.new_wallet(electorate, modulus) for _ in voters]
        self.request_credentials([w.request(pid, key) for w, (pid, key) in zip(devices, voters)], relayer)
        self.answer_requests(issuer, relayer)
        logs = self.box.events.CredentialIssued().get_logs(from_block=self.from_block, argument_filters={"electorate": int(electorate)})
        answers = {bytes(ev.args.person): bytes(ev.args.blindSignature) for ev in logs}
        done = [w.finalize(answers[pid]) for w, (pid, _) in zip(devices, voters)]
        self.register_credentials(done, relayer)
        self.wallets.setdefault(electorate, []).extend(done)
        return done

    def wallets_for(self, electorate: Electorate) -> list[Wallet]:
        """The registered credentials this client holds for ``electorate``, enrolling deferred voters first."""
        if electorate in self.deferred:
            self.deferred.pop(electorate)()
        return self.wallets.get(electorate, [])

    def credential_counts(self, electorate: Electorate) -> tuple[int, int, bool]:
        issued, registered, compromised = self.chain.call(self.box.functions.credentialCounts(int(electorate)))
        return int(issued), int(registered), bool(compromised)

    def poll_limits(self) -> PollLimits:
        """The profile's poll bounds this ballot box enforces (R-EL-7, issue 15 item 4)."""
        return PollLimits(*(int(v) for v in self.chain.call(self.box.functions.limits())))

    def open_round(self, round: int, sender: Sender, *, closes_in: int | None = None, reveal_window: int | None = None) -> int:
        """Open round ``round`` of this ballot box (one of the election's polls, a congress confirmation
        ``TeamCompletion`` scheduled there, or the CPPCC's vote in a ``CppccConfirmation``'s box): casting for ``closes_in`` seconds from the
        opening transaction, counting for ``reveal_window`` seconds after it; returns the round.

        Left out, each is an hour or the profile's minimum if longer, and casting closes at least the
        registration minimum after the poll's scheduling. Given values go to the contract as they are:
        out of the profile's bounds it refuses them (``PollWindowOutOfBounds``); the election authority
        opens at any time, the upper committee from the poll's opening deadline on (``OpeningNotOverdue``).
        """
        self.ensure_poll_key(round, sender)
        if closes_in is None or reveal_window is None:
            lim = self.poll_limits()
            if closes_in is None:
                scheduled = int(self.chain.call(self.box.functions.openDeadline(round))) - lim.open_within
                now = int(self.chain.w3.eth.get_block("latest")["timestamp"])  # the opening block is later
                closes_in = max(DEFAULT_WINDOW, lim.min_cast, scheduled + lim.min_register - now)
            if reveal_window is None:
                reveal_window = max(DEFAULT_WINDOW, lim.min_count)
        fn = self.box.functions.openRound(round, closes_in, reveal_window)
        self.chain.transact(fn, sender, label="election.openRound")
        return round

    def electorate_of(self, round: int) -> Electorate:
        return Electorate(int(self.chain.call(self.box.functions.getRound(round))[8]))

    def relay(self, ballots: Sequence[SealedBallot | EncryptedBallot], sender: Sender, batch_size: int = 100) -> list[int]:
        """Commit sealed ballots in batches; anyone may relay. Returns the batch ids.

        Safe to run again after a crash: the contract skips every ballot already on chain
        (``EntrySkipped``), so a resent or front-run ballot never reverts a batch; the relayer first
        waits for its own pending transactions and leaves out what it can see is in already.
        """
        if not ballots:
            return []
        self.chain.wait_pending(sender)
        round = ballots[0].round
        if self.chain.call(self.box.functions.getRound(round))[4] > 0:  # some ballots already in
            done = {(c, m) for entries in self.committed(round).values() for c, m in entries}
            ballots = [b for b in ballots if (b.credential, b.commitment) not in done]
        batches = []
        for i in range(0, len(ballots), batch_size):
            part = ballots[i : i + batch_size]
            commit = self.box.functions.commitSealed if isinstance(part[0], EncryptedBallot) else self.box.functions.commit
            receipt = self.chain.transact(commit(round, [b.signed() for b in part]), sender, label="election.commit")
            evs = self.box.events.BallotCommitted().process_receipt(receipt, errors=DISCARD)
            if evs:
                batches.append(int(evs[0].args.batch))
            self.chain.gas_used.setdefault("election.commit.per_ballot", []).append(int(receipt["gasUsed"]) // len(part))
        return batches

    def committed(self, round: int) -> dict[int, list[tuple[str, bytes]]]:
        """Each batch's ``(credential, commitment)`` list, rebuilt from ``BallotCommitted`` events."""
        out: dict[int, list[tuple[str, bytes]]] = {}
        logs = self.box.events.BallotCommitted().get_logs(from_block=self.from_block, argument_filters={"round": round})
        for ev in sorted(logs, key=lambda e: (e.blockNumber, e.logIndex)):
            out.setdefault(int(ev.args.batch), []).append((str(ev.args.credential), bytes(ev.args.commitment)))
        return out

    def reveal(self, ballots: Sequence[SealedBallot | EncryptedBallot], sender: Sender) -> None:
        """Open the given ballots, batch by batch (after the poll closes); a sealed round is counted whole
        instead, once the scrutineers published their shares (:meth:`count_sealed`)."""
        if not ballots:
            return
        round = ballots[0].round
        if isinstance(ballots[0], EncryptedBallot):
            self.count_sealed(round, sender)
            return
        assert all(isinstance(b, SealedBallot) for b in ballots)
        self.chain.wait_pending(sender)
        if self.chain.call(self.box.functions.getRound(round))[5] > 0:  # resume: skip what is already open
            ballots = [b for b in ballots if not self.chain.call(self.box.functions.ballotStatus(round, b.credential))[1]]
        mine = {b.commitment: b for b in ballots if isinstance(b, SealedBallot)}
        for batch, entries in self.committed(round).items():
            openings = [(pos, mine[c].mask, mine[c].salt) for pos, (_, c) in enumerate(entries) if c in mine]
            if openings:
                fn = self.box.functions.reveal(round, batch, entries, openings)
                receipt = self.chain.transact(fn, sender, label="election.reveal")
                self.chain.gas_used.setdefault("election.reveal.per_ballot", []).append(int(receipt["gasUsed"]) // len(openings))

    def wait_for_close(self, round: int) -> None:
        """Let the commit window pass: moves the clock on test chains, sleeps on a real one."""
        closes = int(self.chain.call(self.box.functions.getRound(round))[6])
        self.chain.wait_until(closes)

    def wait_for_reveal_end(self, round: int) -> None:
        deadline = int(self.chain.call(self.box.functions.getRound(round))[7])
        self.chain.wait_until(deadline)

    def poll_round(self, round: int, votes: Sequence[int], authority: Sender, relayer: Sender) -> None:
        """Round ``round`` from its opening to the end of its reveal: open it, one ballot per entry of
        ``votes`` (a mask) sealed with the electorate's held credentials, relayed, revealed, and the
        windows let pass when not every registered voter cast. The round's creator then counts it."""
        self.open_round(round, authority)
        wallets = self.wallets_for(self.electorate_of(round))
        if len(votes) > len(wallets):
            raise BallotError("R-EL-5", f"{len(votes)} ballots for round {round}, but only {len(wallets)} registered credentials are held")
        sealed = self.seal_ballots(round, list(zip(wallets, votes)))
        roll = int(self.chain.call(self.box.functions.getRound(round))[3])
        if sealed:
            self.relay(sealed, relayer)
        if len(sealed) < roll:
            self.wait_for_close(round)
        self.reveal(sealed, relayer)
        if len(sealed) < roll:
            self.wait_for_reveal_end(round)


@dataclass
class ElectionClient(BallotBoxClient):
    chain: Chain
    contract: Contract
    box: Contract
    from_block: int = 0
    names: dict[bytes, str] = field(default_factory=dict)
    #: registered credentials this client drives (tests, scenarios, demo), by electorate
    wallets: dict[Electorate, list[Wallet]] = field(default_factory=dict)
    #: enrolments run when an electorate's credentials are first needed (:meth:`wallets_for`)
    deferred: dict[Electorate, Callable[[], list[Wallet]]] = field(default_factory=dict)
    _poll_candidates: dict[int, list[bytes]] = field(default_factory=dict)
    #: after :meth:`deploy`: its two role grants, each granted, scheduled through the admin timelock, or to schedule
    grants: list[Grant] = field(default_factory=list)

    # ------------------------------------------------------------------ deployment

    @classmethod
    def deploy(cls, chain: Chain, jurisdiction: Contract, persons: Contract, term: int, *, admin: Sender = None, succession: str | None = None, scrutiny: str | None = None) -> ElectionClient:
        """Deploy an election and let it write offices (jurisdiction) and terms (persons).
        The incumbent (R-EL-8) is not an argument: the contract reads the jurisdiction's last secretary.
        ``succession``: the jurisdiction's ``Succession``, whose order the election sets at completion (R-SU-1).
        ``scrutiny``: the jurisdiction's ``Scrutiny``, to which the ballot box seals every round (R-EL-13).

        ``admin`` deploys it and, where it holds the admin role, grants ``OFFICE_WRITER`` and
        ``RECORD_WRITER`` at once. Where an ``AdminTimelock`` administers the jurisdiction or the registry
        (a deployment with ``admin_timelock``, issue 17), the grant is scheduled through it when ``admin``
        may propose there, else left as the ``zhili admin schedule`` command for the proposing body:
        :attr:`grants` says which; the election can seat nobody until ``zhili admin execute`` has carried
        out the scheduled grants after the delay (:func:`zhili.admin.grant_roles`)."""
        acct = chain.account(admin)
        start = chain.w3.eth.block_number
        args = (jurisdiction.address, persons.address, term, succession or ZERO_ADDRESS, scrutiny or ZERO_ADDRESS)
        election = chain.deploy("Election", *args, sender=acct, label="election.deploy")
        wanted = [(jurisdiction, "office_writer", election.address), (persons, "record_writer", election.address)]
        grants = grant_roles(chain, wanted, acct, label="election.grant")
        client = cls.at(chain, election.address, from_block=start)
        client.grants = grants
        return client

    @classmethod
    def at(cls, chain: Chain, address: str, from_block: int = 0) -> ElectionClient:
        election = chain.contract("Election", address)
        box = chain.contract("BallotBox", chain.call(election.functions.ballots()))
        return cls(chain, election, box, from_block)

    # ------------------------------------------------------------------ registration

    def add_candidates(self, ids: Sequence[bytes], sender: Sender) -> None:
        self.chain.transact(self.contract.functions.addCandidates(list(ids)), sender, label="election.addCandidates")

    def vet(self, pid: bytes, failed_dimensions: Iterable[int], report_hash: bytes, sender: Sender) -> None:
        """R-EL-1: ``failed_dimensions`` are indices into the profile's vetting dimensions."""
        mask = mask_of(failed_dimensions)
        self.chain.transact(self.contract.functions.vet(pid, mask, report_hash), sender, label="election.vet")

    def register_voters(self, electorate: Electorate, voter_ids: Sequence[bytes], sender: Sender, chunk: int = 400) -> None:
        for i in range(0, len(voter_ids), chunk):
            part = list(voter_ids[i : i + chunk])
            self.chain.transact(self.contract.functions.registerVoters(int(electorate), part), sender, label="election.registerVoters")

    def begin_stage1(self, sender: Sender) -> None:
        self.chain.transact(self.contract.functions.beginStage1(), sender, label="election.beginStage1")

    def strike(self, pid: bytes, reason_hash: bytes, sender: Sender) -> None:
        self.chain.transact(self.contract.functions.strike(pid, reason_hash), sender, label="election.strike")

    def approve_list(self, sender: Sender) -> None:
        self.chain.transact(self.contract.functions.approveList(), sender, label="election.approveList")

    def pick_administrator(self, pid: bytes, sender: Sender) -> None:
        self.chain.transact(self.contract.functions.pickAdministrator(pid), sender, label="election.pickAdministrator")

    def lapse_pick(self, sender: Sender) -> None:
        """After the pick deadline (anyone): the administrator follows from the ranking (R-EL-10, [decision])."""
        self.chain.transact(self.contract.functions.lapsePick(), sender, label="election.lapsePick")

    @property
    def pick_deadline(self) -> int:
        return int(self.chain.call(self.contract.functions.pickDeadline()))

    # ------------------------------------------------------------------ polls

    @property
    def phase(self) -> Phase:
        return Phase(self.chain.call(self.contract.functions.phase()))

    def pending_round(self) -> int | None:
        if not self.chain.call(self.contract.functions.pollPending()):
            return None
        return int(self.chain.call(self.contract.functions.currentRound()))

    def poll(self, round: int) -> PollView:
        purpose, seats, _ = self.chain.call(self.contract.functions.poll(round))
        cands = self.chain.call(self.contract.functions.pollCandidates(round))
        r = self.chain.call(self.box.functions.getRound(round))
        status = int(r[0])
        votes = list(self.chain.call(self.box.functions.votes(round))) if status >= 3 else None
        return PollView(round, Purpose(purpose), seats, int(r[2]), list(cands), status, int(r[3]), int(r[4]), int(r[5]), votes)

    # ------------------------------------------------------------------ polls

    def open_poll(self, sender: Sender, *, closes_in: int | None = None, reveal_window: int | None = None) -> int:
        """Open the pending poll for ballots (R-EL-7): casting for ``closes_in`` seconds from the opening
        transaction, counting for ``reveal_window`` seconds after it; returns its round (:meth:`open_round`)."""
        round = self.pending_round()
        if round is None:
            raise BallotError("R-EL-6", "no poll is waiting to be opened")
        return self.open_round(round, sender, closes_in=closes_in, reveal_window=reveal_window)

    def poll_candidates(self, round: int) -> list[bytes]:
        """Candidates of poll ``round`` by ballot position (fixed once the poll is scheduled)."""
        if round not in self._poll_candidates:
            creator = self.chain.call(self.box.functions.roundCreator(round))
            if creator == self.contract.address:
                self._poll_candidates[round] = [bytes(c) for c in self.chain.call(self.contract.functions.pollCandidates(round))]
            else:  # a congress confirmation a TeamCompletion scheduled in this box: its nominees, in ballot order
                team = self.chain.contract("TeamCompletion", creator)
                logs = team.events.ConfirmationScheduled().get_logs(from_block=self.from_block)
                ev = next((e for e in logs if int(e.args.round) == round and e.args.election == self.contract.address), None)
                if ev is None:
                    raise BallotError("R-EL-6", f"round {round} is neither a poll of this election nor a confirmation scheduled in its ballot box")
                person = 8  # Appointment.personId (ITeamCompletion)
                self._poll_candidates[round] = [bytes(self.chain.call(team.functions.appointment(int(i)))[person]) for i in ev.args.ids]
        return self._poll_candidates[round]

    def mark(self, round: int, names: Sequence[bytes]) -> int:
        """The ballot mask for ``names`` on poll ``round``; the contract checks its length (R-EL-2, R-EL-4)."""
        return self.mark_many(round, [names])[0]

    def mark_many(self, round: int, ballots: Sequence[Sequence[bytes]]) -> list[int]:
        """:meth:`mark` for many ballots, the contract's checks asked in one batch of calls."""
        cands = self.poll_candidates(round)
        masks = []
        for names in ballots:
            positions: list[int] = []
            for n in names:
                if n not in cands:
                    raise BallotError("R-EL-2", f"{self._name(n)} is not a candidate on poll {round}")
                if cands.index(n) in positions:
                    raise BallotError("R-EL-2", f"{self._name(n)} is named twice (names must be distinct)")
                positions.append(cands.index(n))
            masks.append(mask_of(positions))
        distinct = sorted(set(masks))  # BallotTooLong etc., from the contract
        self.chain.call_many([self.box.functions.validateBallot(round, m) for m in distinct])
        return masks

    def cast(self, wallet: Wallet, round: int, names: Sequence[bytes]) -> SealedBallot | EncryptedBallot:
        """What a voter's device does: mark, seal (to the poll key in a sealed box) and sign with its
        credential (nothing is sent)."""
        return self.seal_ballot(wallet, round, self.mark(round, names))

    def finalize(self, sender: Sender) -> None:
        self.chain.transact(self.contract.functions.finalizeRound(), sender, label="election.finalizeRound")

    def run_poll(self, ballots: Sequence[Sequence[bytes]], authority: Sender, relayer: Sender, *, batch_size: int = 100) -> int:
        """One whole poll: open it, every listed ballot cast with the electorate's registered
        credentials (``self.wallets``, from :meth:`enrol`) and relayed, close, reveal, tally.

        ``ballots`` holds one list of names per voter who votes (at most the credentials held).
        """
        round = self.open_poll(authority)
        wallets = self.wallets_for(self.electorate_of(round))
        if len(ballots) > len(wallets):
            raise BallotError("R-EL-5", f"{len(ballots)} ballots for poll {round}, but only {len(wallets)} registered credentials are held")
        roll = int(self.chain.call(self.box.functions.getRound(round))[3])
        sealed = self.seal_ballots(round, list(zip(wallets, self.mark_many(round, ballots))))
        self.relay(sealed, relayer, batch_size)
        if len(sealed) < roll:
            self.wait_for_close(round)
        self.reveal(sealed, relayer)
        if len(sealed) < roll:
            self.wait_for_reveal_end(round)
        self.finalize(relayer)
        return round

    # ------------------------------------------------------------------ results

    def rounds(self) -> list[int]:
        logs = self.contract.events.PollScheduled().get_logs(from_block=self.from_block)
        return sorted(int(e.args.round) for e in logs)

    def offices(self) -> dict[str, bytes | None]:
        ids = self.chain.call(self.contract.functions.offices())
        return {o.key: (bytes(i) if any(i) else None) for o, i in zip(CORE_OFFICES, ids)}

    def secretary_path(self) -> int | None:
        for ev in self.contract.events.OfficeAssigned().get_logs(from_block=self.from_block):
            if ev.args.office == Office.SECRETARY:
                return int(ev.args.path)
        return None

    def results(self) -> dict[str, Any]:
        """What the chain decided, with stable keys (``stage1``, ``stage2``, ``runoffs``, ``offices``)."""
        stage1 = int(self.chain.call(self.contract.functions.stage1Round()))
        stage2 = int(self.chain.call(self.contract.functions.stage2Round()))
        phase = self.phase
        polls = [self.poll(r) for r in self.rounds()]

        def ranking(p: PollView | None) -> list[dict[str, Any]]:
            if p is None or p.votes is None:
                return []
            rows = sorted(zip(p.candidates, p.votes), key=lambda cv: -cv[1])
            return [{"id": self._name(c), "votes": v} for c, v in rows]

        by_round = {p.round: p for p in polls}
        s1 = by_round.get(stage1) if phase >= Phase.STAGE1 else None
        s2 = by_round.get(stage2) if phase >= Phase.STAGE2 else None
        runoffs = [
            {
                "round": p.round,
                "purpose": p.purpose.name.lower(),
                "candidates": [self._name(c) for c in p.candidates],
                "seats": p.seats,
                "votes": p.votes,
            }
            for p in polls
            if p.purpose not in (Purpose.STAGE1, Purpose.STAGE2)
        ]
        offices = {k: (self._name(v) if v else None) for k, v in self.offices().items()}
        return {
            "phase": phase.name.lower(),
            "stage1": {"ranking": ranking(s1), "advanced": [self._name(c) for c in self.chain.call(self.contract.functions.finalists())]},
            "stage2": {"ranking": ranking(s2), "elected": [self._name(c) for c in self.chain.call(self.contract.functions.elected())]},
            "runoffs": runoffs,
            "void_polls": [p.round for p in polls if p.status == 4],
            "offices": offices,
            "secretary_path": self.secretary_path(),
        }

    def _name(self, pid: bytes) -> str:
        return self.names.get(bytes(pid), "0x" + bytes(pid).hex())
