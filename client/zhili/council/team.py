"""Drive ``TeamCompletion`` (R-TC-1, R-TC-2, R-TC-3): nominations, consent, congress confirmations.

The weighted nomination vote is an ordinary council motion (kind ``NOMINATION``, run with
:class:`zhili.council.client.CouncilClient`); the contract reads its decision. The congress
confirmations are polls: rounds in the ballot box of the jurisdiction's completed election, voted by
its party-delegate or deputy roll with the credentials they registered for it
(:meth:`TeamClient.run_confirmation`); after the last one the contract appoints (and seats a vacant
core office), checking eligibility again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from web3.contract import Contract
from web3.logs import DISCARD

from ..core.chain import Chain
from ..council.client import SECRETARIAT, CouncilClient, Kind, Proposal, Sender
from ..election.client import ElectionClient
from ..election.credentials import mask_of
from ..jurisdiction.registry import role_id
from ..types import Office, Role

RECORD_WRITER = Role.RECORD_WRITER
NO_OFFICE = 255


class TeamKind(IntEnum):
    COMMITTEE_MEMBER = 0  # R-TC-1
    CORE_OFFICE = 1  # R-TC-3
    GOVERNMENT_MEMBER = 2  # R-TC-2


class Step(IntEnum):
    NONE = 0
    PENDING = 1
    AWAITING_CONFIRMATION = 2
    APPOINTED = 3
    REFUSED = 4


class Body(IntEnum):
    PARTY_CONGRESS = 0
    PEOPLES_CONGRESS = 1


@dataclass
class TeamClient:
    chain: Chain
    contract: Contract

    @classmethod
    def deploy(cls, chain: Chain, council: CouncilClient, *, admin: Sender = None) -> TeamClient:
        """Deploy for ``council`` and grant what it needs: SECRETARIAT, OFFICE_WRITER and POLL_CLIENT in
        the jurisdiction, RECORD_WRITER in the person registry (``admin`` holds both admin roles)."""
        acct = chain.account(admin)
        j, persons = council.jurisdiction(), council.persons()
        team = chain.deploy("TeamCompletion", council.address, j.address, persons.address, sender=acct, label="team.deploy")
        for role in (SECRETARIAT, role_id("office_writer"), Role.POLL_CLIENT):
            chain.transact(j.functions.grantRole(role, team.address), acct, label="team.grant")
        chain.transact(persons.functions.grantRole(RECORD_WRITER, team.address), acct, label="team.grant")
        return cls(chain, team)

    @classmethod
    def at(cls, chain: Chain, address: str) -> TeamClient:
        return cls(chain, chain.contract("TeamCompletion", address))

    def nominate(self, proposal: Proposal, person: bytes, sender: Sender, *, post: bytes | None = None, office: Office | None = None) -> tuple[int, int]:
        """R-TC-1 (``post``) or R-TC-3 (vacant core ``office``): returns (appointment id, council motion id)."""
        if (post is None) == (office is None):
            raise ValueError("R-TC-1: name either a post or a core office")
        p = Proposal(proposal.category, proposal.content_hash, proposal.basis_refs, proposal.plan_id, Kind.NOMINATION, windows=proposal.windows)
        fn = self.contract.functions.nominate(p.as_tuple(), person, post or b"\0" * 32, NO_OFFICE if office is None else int(office))
        receipt = self.chain.transact(fn, sender, label="team.nominate")
        (ev,) = self.contract.events.Nominated().process_receipt(receipt, errors=DISCARD)
        return int(ev.args.id), int(ev.args.motionId)

    def settle_nomination(self, appointment: int, sender: Sender) -> None:
        self.chain.transact(self.contract.functions.settleNomination(appointment), sender, label="team.settleNomination")

    def propose_government_member(self, person: bytes, post: bytes, content_hash: bytes, sender: Sender) -> int:
        """R-TC-2: the administrator nominates."""
        fn = self.contract.functions.proposeGovernmentMember(person, post, content_hash)
        receipt = self.chain.transact(fn, sender, label="team.proposeGovernmentMember")
        (ev,) = self.contract.events.GovernmentMemberProposed().process_receipt(receipt, errors=DISCARD)
        return int(ev.args.id)

    def consent(self, appointment: int, consented: bool, sender: Sender) -> None:
        """R-TC-2: the secretary consents or refuses."""
        self.chain.transact(self.contract.functions.consent(appointment, consented), sender, label="team.consent")

    def open_confirmation(self, election: ElectionClient | str, body: Body, ids: Sequence[int], sender: Sender) -> tuple[int, int]:
        """Schedule ``body``'s confirmation poll on appointments ``ids`` (every one waiting for that body
        on one post) as a round of ``election``'s ballot box: returns (poll id, round). The election
        authority (or the upper committee) then opens the round (:meth:`ElectionClient.open_round`)."""
        address = election if isinstance(election, str) else election.contract.address
        fn = self.contract.functions.openConfirmation(address, int(body), list(ids))
        receipt = self.chain.transact(fn, sender, label="team.openConfirmation")
        (ev,) = self.contract.events.ConfirmationScheduled().process_receipt(receipt, errors=DISCARD)
        return int(ev.args.poll), int(ev.args.round)

    def settle_confirmation(self, poll: int, sender: Sender) -> None:
        """Count poll ``poll`` once its reveal is over (anyone): confirms or refuses each nominee."""
        self.chain.transact(self.contract.functions.settleConfirmation(poll), sender, label="team.settleConfirmation")

    def confirmation(self, poll: int) -> dict[str, Any]:
        body, settled, election, round, ids = self.chain.call(self.contract.functions.confirmation(poll))
        return {"poll": poll, "body": Body(body), "settled": bool(settled), "election": str(election), "round": int(round), "ids": [int(i) for i in ids]}

    def run_confirmation(self, election: ElectionClient, body: Body, ids: Sequence[int], votes: Sequence[int | None], authority: Sender, relayer: Sender) -> int:
        """A whole confirmation poll: schedule it, open it, cast one ballot per entry of ``votes`` (the
        index into ``ids`` of the nominee the voter names, or ``None`` for a blank ballot, which counts
        as not for anyone) with the roll's registered credentials held by ``election``, relay, reveal,
        count. Returns the poll id."""
        poll, round = self.open_confirmation(election, body, ids, authority)
        election.poll_round(round, [0 if v is None else mask_of([v]) for v in votes], authority, relayer)
        self.settle_confirmation(poll, relayer)
        return poll

    def appointment(self, appointment: int) -> dict[str, Any]:
        a = self.chain.call(self.contract.functions.appointment(appointment))
        kind, step, office, needed, confirmed, scheduled, created, settled, person, post, motion, nominator = a
        return {
            "id": appointment,
            "kind": TeamKind(kind),
            "step": Step(step),
            "office": None if office == NO_OFFICE else Office(office),
            "needed": [b for b in Body if needed >> b & 1],
            "confirmed": [b for b in Body if confirmed >> b & 1],
            "scheduled": [b for b in Body if scheduled >> b & 1],
            "created_at": created,
            "settled_at": settled or None,
            "person": bytes(person),
            "post": bytes(post) if any(post) else None,
            "motion": motion if kind != TeamKind.GOVERNMENT_MEMBER else None,
            "nominator": bytes(nominator) if any(nominator) else None,
        }
