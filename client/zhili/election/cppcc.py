"""Drive a ``CppccConfirmation`` (R-EL-12): the county CPPCC's vote on its recommended chair.

In the county profile the member R-EL-10 gives the consultative slot is recommended as the sole
candidate for CPPCC chair (县政协主席); the county CPPCC's registered members elect them by more than
half of the registered members, voting on chain. One contract per county election term: the election
authority registers the members, they obtain voter-held credentials in the contract's own ballot box
(the same blind-signed issuance as the election's rolls, :class:`~zhili.election.client.BallotBoxClient`),
the recommendation is read from the completed election, and a rejection leaves the office vacant for
R-TC-3 (``TeamCompletion``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from web3.contract import Contract
from web3.logs import DISCARD

from ..admin.client import Grant, grant_roles
from ..core.chain import Chain
from ..election.client import BallotBoxClient, ElectionClient, Electorate, Sender
from ..election.credentials import Wallet

#: the box's electorate 0: the CPPCC members' roll (the only one this contract keeps)
MEMBERS = Electorate(0)


class CppccStatus(IntEnum):
    NONE = 0  # the roll is being registered
    SCHEDULED = 1  # recommended; the roll is frozen; the round waits to be opened or counted
    CONFIRMED = 2
    REJECTED = 3  # the consultative office was left vacant (R-TC-3) if the candidate still held it


@dataclass
class CppccClient(BallotBoxClient):
    chain: Chain
    contract: Contract
    box: Contract
    from_block: int = 0
    wallets: dict[Electorate, list[Wallet]] = field(default_factory=dict)
    deferred: dict[Electorate, Callable[[], list[Wallet]]] = field(default_factory=dict)
    #: after :meth:`deploy`: its OFFICE_WRITER grant, granted, scheduled through the admin timelock, or to schedule
    grants: list[Grant] = field(default_factory=list)

    @classmethod
    def deploy(cls, chain: Chain, jurisdiction: Contract, persons: Contract, term: int, *, admin: Sender = None) -> CppccClient:
        """Deploy the CPPCC session of election term ``term`` for a county jurisdiction and let it
        vacate the consultative office after a rejection (``admin`` grants OFFICE_WRITER, or, where an
        ``AdminTimelock`` administers the jurisdiction, schedules the grant through it or leaves the
        command for the proposing body: :attr:`grants`, as :meth:`ElectionClient.deploy`)."""
        acct = chain.account(admin)
        start = chain.w3.eth.block_number
        c = chain.deploy("CppccConfirmation", jurisdiction.address, persons.address, term, sender=acct, label="cppcc.deploy")
        grants = grant_roles(chain, [(jurisdiction, "office_writer", c.address)], acct, label="cppcc.grant")
        client = cls.at(chain, c.address, from_block=start)
        client.grants = grants
        return client

    @classmethod
    def at(cls, chain: Chain, address: str, from_block: int = 0) -> CppccClient:
        c = chain.contract("CppccConfirmation", address)
        box = chain.contract("BallotBox", chain.call(c.functions.ballots()))
        return cls(chain, c, box, from_block)

    def register_members(self, ids: Sequence[bytes], sender: Sender, chunk: int = 400) -> None:
        """Put CPPCC members (person ids) on the roll (election authority), before the recommendation."""
        for i in range(0, len(ids), chunk):
            self.chain.transact(self.contract.functions.registerMembers(list(ids[i : i + chunk])), sender, label="cppcc.registerMembers")

    def recommend(self, election: ElectionClient | str, sender: Sender) -> int:
        """Recommend ``election``'s consultative member (read by the contract): returns the round, which
        the election authority (the upper committee once overdue) opens (:meth:`open_round`)."""
        address = election if isinstance(election, str) else election.contract.address
        receipt = self.chain.transact(self.contract.functions.recommend(address), sender, label="cppcc.recommend")
        (ev,) = self.contract.events.Recommended().process_receipt(receipt, errors=DISCARD)
        return int(ev.args.round)

    def settle(self, sender: Sender) -> dict[str, Any]:
        """Count the poll after its reveal (anyone); returns the ``CppccVoted`` outcome."""
        receipt = self.chain.transact(self.contract.functions.settle(), sender, label="cppcc.settle")
        (ev,) = self.contract.events.CppccVoted().process_receipt(receipt, errors=DISCARD)
        return _outcome(ev.args)

    def outcome(self) -> dict[str, Any] | None:
        """The count (:meth:`settle`'s ``CppccVoted``) once the poll is settled; ``None`` before."""
        logs = self.contract.events.CppccVoted().get_logs(from_block=self.from_block)
        return _outcome(logs[-1].args) if logs else None

    def mark(self, round: int, for_candidate: bool) -> int:
        """A member's ballot mask: the sole candidate named (1), or nobody (0); checked by the box."""
        mask = 1 if for_candidate else 0
        self.chain.call(self.box.functions.validateBallot(round, mask))
        return mask

    def run_vote(self, votes: Sequence[bool | None], authority: Sender, relayer: Sender) -> dict[str, Any]:
        """The whole poll once recommended: open it, one ballot per entry of ``votes`` (for the candidate,
        or ``False``/``None`` for a ballot that names nobody) with the members' held credentials, relay,
        reveal, settle. Returns the outcome (:meth:`settle`)."""
        self.poll_round(self.poll()["round"], [1 if v else 0 for v in votes], authority, relayer)
        return self.settle(relayer)

    def roll(self) -> tuple[int, bool]:
        size, frozen = self.chain.call(self.contract.functions.roll())
        return int(size), bool(frozen)

    def on_roll(self, person: bytes) -> bool:
        return bool(self.chain.call(self.contract.functions.onRoll(int(MEMBERS), person)))

    def poll(self) -> dict[str, Any]:
        status, seated_at, election, candidate, round = self.chain.call(self.contract.functions.poll())
        return {"status": CppccStatus(status), "seated_at": int(seated_at), "election": str(election), "candidate": bytes(candidate), "round": int(round)}


def _outcome(a: Any) -> dict[str, Any]:
    return {"candidate": bytes(a.candidate), "votes": int(a.votes), "cast": int(a.cast), "registered": int(a.registered), "confirmed": bool(a.confirmed), "vacated": bool(a.vacated)}
