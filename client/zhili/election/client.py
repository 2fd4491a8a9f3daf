"""Drive an ``Election`` (R-EL-1 ... R-EL-11) and its ``BallotBox`` (R-EL-7); read its results.

Every decision (who advances, runoffs, offices) is taken by the contracts; this module only sends
the acts SPEC gives to people (registration, vetting, ballots, strikes, the administrator pick) and
reads what the chain decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from eth_account.signers.local import LocalAccount
from web3.contract import Contract

from ..core.chain import Chain
from ..election.credentials import CredentialSet, SealedBallot, mask_of, seal
from ..errors import InputError
from ..jurisdiction.registry import role_id
from ..persons.client import deploy_person_registry, person_id  # noqa: F401 - re-exported: zhili.election.person_id
from ..types import CORE_OFFICES, Office, Role

Sender = int | str | LocalAccount | None
ZERO32 = b"\0" * 32
ZERO_ADDRESS = "0x" + "00" * 20


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


class Electorate(IntEnum):
    PARTY = 0
    CONGRESS = 1


class BallotError(InputError, ValueError):
    """A ballot the voter's device refuses to seal (names not on this poll, or named twice)."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        super().__init__(f"{rule}: {message}")


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
class ElectionClient:
    chain: Chain
    contract: Contract
    box: Contract
    from_block: int = 0
    names: dict[bytes, str] = field(default_factory=dict)
    _poll_candidates: dict[int, list[bytes]] = field(default_factory=dict)

    # ------------------------------------------------------------------ deployment

    @classmethod
    def deploy(cls, chain: Chain, jurisdiction: Contract, persons: Contract, term: int, incumbent: bytes = ZERO32, *, admin: Sender = None, succession: str | None = None) -> ElectionClient:
        """Deploy an election and let it write offices (jurisdiction) and terms (persons). ``admin`` holds both admin roles.
        ``succession``: the jurisdiction's ``Succession``, whose order the election sets at completion (R-SU-1)."""
        acct = chain.account(admin)
        start = chain.w3.eth.block_number
        election = chain.deploy("Election", jurisdiction.address, persons.address, term, incumbent, succession or ZERO_ADDRESS, sender=acct, label="election.deploy")
        chain.transact(jurisdiction.functions.grantRole(role_id("office_writer"), election.address), acct, label="election.grant")
        chain.transact(persons.functions.grantRole(Role.RECORD_WRITER, election.address), acct, label="election.grant")
        return cls.at(chain, election.address, from_block=start)

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

    def open_poll(self, sender: Sender, *, closes_in: int = 3600, reveal_window: int = 3600) -> CredentialSet:
        """Issue one credential per registered voter for the pending poll and open it (R-EL-7)."""
        round = self.pending_round()
        if round is None:
            raise BallotError("R-EL-6", "no poll is waiting to be opened")
        roll_size = int(self.chain.call(self.box.functions.getRound(round))[3])
        creds = CredentialSet.issue(round, roll_size)
        now = int(self.chain.w3.eth.get_block("latest")["timestamp"])
        fn = self.box.functions.openRound(round, creds.tree().root, roll_size, now + closes_in, now + closes_in + reveal_window)
        self.chain.transact(fn, sender, label="election.openRound")
        return creds

    def poll_candidates(self, round: int) -> list[bytes]:
        """Candidates of poll ``round`` by ballot position (fixed once the poll is scheduled)."""
        if round not in self._poll_candidates:
            self._poll_candidates[round] = [bytes(c) for c in self.chain.call(self.contract.functions.pollCandidates(round))]
        return self._poll_candidates[round]

    def mark(self, round: int, names: Sequence[bytes]) -> int:
        """The ballot mask for ``names`` on poll ``round``; the contract checks its length (R-EL-2, R-EL-4)."""
        cands = self.poll_candidates(round)
        positions = []
        for n in names:
            if n not in cands:
                raise BallotError("R-EL-2", f"{self._name(n)} is not a candidate on poll {round}")
            if cands.index(n) in positions:
                raise BallotError("R-EL-2", f"{self._name(n)} is named twice (names must be distinct)")
            positions.append(cands.index(n))
        mask = mask_of(positions)
        self.chain.call(self.box.functions.validateBallot(round, mask))  # BallotTooLong etc., from the contract
        return mask

    def cast(self, creds: CredentialSet, index: int, names: Sequence[bytes]) -> SealedBallot:
        """What a voter's device does: mark, seal and sign with credential ``index`` (nothing is sent)."""
        mask = self.mark(creds.round, names)
        return seal(creds.credential(index), self.box.address, self.chain.chain_id, mask)

    def relay(self, ballots: Sequence[SealedBallot], sender: Sender, batch_size: int = 100) -> list[int]:
        """Commit sealed ballots in batches; anyone may relay. Returns the batch ids.

        Safe to run again after a crash: it first waits for the relayer's own pending transactions,
        then skips every ballot already on chain, so nothing is sent twice.
        """
        if not ballots:
            return []
        self.chain.wait_pending(sender)
        if self.chain.call(self.box.functions.getRound(ballots[0].round))[4] > 0:  # some ballots already in
            # skip exactly the ballots already committed (a resumed job); a different ballot for a used
            # credential still goes to the contract, which refuses it (CredentialUsed)
            done = {(i, c) for entries in self.committed(ballots[0].round).values() for i, c in entries}
            ballots = [b for b in ballots if (b.index, b.commitment) not in done]
        batches = []
        for i in range(0, len(ballots), batch_size):
            part = ballots[i : i + batch_size]
            fn = self.box.functions.commit(part[0].round, [b.signed() for b in part])
            receipt = self.chain.transact(fn, sender, label="election.commit")
            (ev, *_) = self.box.events.BallotCommitted().process_receipt(receipt)
            batches.append(int(ev.args.batch))
            self.chain.gas_used.setdefault("election.commit.per_ballot", []).append(int(receipt["gasUsed"]) // len(part))
        return batches

    def committed(self, round: int) -> dict[int, list[tuple[int, bytes]]]:
        """Each batch's ``(index, commitment)`` list, rebuilt from ``BallotCommitted`` events."""
        out: dict[int, list[tuple[int, bytes]]] = {}
        logs = self.box.events.BallotCommitted().get_logs(from_block=self.from_block, argument_filters={"round": round})
        for ev in sorted(logs, key=lambda e: (e.blockNumber, e.logIndex)):
            out.setdefault(int(ev.args.batch), []).append((int(ev.args.index), bytes(ev.args.commitment)))
        return out

    def reveal(self, ballots: Sequence[SealedBallot], sender: Sender) -> None:
        """Open the given ballots, batch by batch (after the poll closes)."""
        if not ballots:
            return
        round = ballots[0].round
        self.chain.wait_pending(sender)
        if self.chain.call(self.box.functions.getRound(round))[5] > 0:  # resume: skip what is already open
            ballots = [b for b in ballots if not self.chain.call(self.box.functions.ballotStatus(round, b.index))[1]]
        mine = {b.commitment: b for b in ballots}
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

    def finalize(self, sender: Sender) -> None:
        self.chain.transact(self.contract.functions.finalizeRound(), sender, label="election.finalizeRound")

    def run_poll(self, ballots: Sequence[Sequence[bytes]], authority: Sender, relayer: Sender, *, batch_size: int = 100) -> int:
        """One whole poll: issue credentials, every listed ballot cast and relayed, close, reveal, tally.

        ``ballots`` holds one list of names per voter who votes (at most the roll size).
        """
        creds = self.open_poll(authority)
        sealed = [self.cast(creds, i, names) for i, names in enumerate(ballots)]
        self.relay(sealed, relayer, batch_size)
        if len(sealed) < len(creds.keys):
            self.wait_for_close(creds.round)
        self.reveal(sealed, relayer)
        if len(sealed) < len(creds.keys):
            self.wait_for_reveal_end(creds.round)
        self.finalize(relayer)
        return creds.round

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
