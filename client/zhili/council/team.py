"""Drive ``TeamCompletion`` (R-TC-1, R-TC-2, R-TC-3): nominations, consent, congress confirmations.

The weighted nomination vote is an ordinary council motion (kind ``NOMINATION``, run with
:class:`zhili.council.client.CouncilClient`); the contract reads its decision and, after the congress
confirmations recorded by the election authority, appoints (and seats a vacant core office).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from web3.contract import Contract
from web3.logs import DISCARD

from ..core.chain import Chain
from ..council.client import SECRETARIAT, CouncilClient, Kind, Proposal, Sender
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
        """Deploy for ``council`` and grant what it needs: SECRETARIAT and OFFICE_WRITER in the
        jurisdiction, RECORD_WRITER in the person registry (``admin`` holds both admin roles)."""
        acct = chain.account(admin)
        j, persons = council.jurisdiction(), council.persons()
        team = chain.deploy("TeamCompletion", council.address, j.address, persons.address, sender=acct, label="team.deploy")
        for role in (SECRETARIAT, role_id("office_writer")):
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

    def record_confirmation(self, appointment: int, body: Body, votes_for: int, votes_against: int, registered: int, sender: Sender) -> None:
        """A congress vote recorded by the election authority: confirmed with more than half of the registered."""
        fn = self.contract.functions.recordConfirmation(appointment, int(body), votes_for, votes_against, registered)
        self.chain.transact(fn, sender, label="team.recordConfirmation")

    def appointment(self, appointment: int) -> dict[str, Any]:
        a = self.chain.call(self.contract.functions.appointment(appointment))
        kind, step, office, needed, confirmed, created, settled, person, post, motion, nominator = a
        return {
            "id": appointment,
            "kind": TeamKind(kind),
            "step": Step(step),
            "office": None if office == NO_OFFICE else Office(office),
            "needed": [b for b in Body if needed >> b & 1],
            "confirmed": [b for b in Body if confirmed >> b & 1],
            "created_at": created,
            "settled_at": settled or None,
            "person": bytes(person),
            "post": bytes(post) if any(post) else None,
            "motion": motion if kind != TeamKind.GOVERNMENT_MEMBER else None,
            "nominator": bytes(nominator) if any(nominator) else None,
        }
