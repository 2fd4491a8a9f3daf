"""One world builder with named accounts, for the tests and the benchmark (``zhili bench``).

A *world* is a jurisdiction with its external roles held by named chain accounts (:class:`Staff`),
a person registry with deterministic persons (ids, keys and names from a seed), and whichever
domain contracts the caller asks for: a council (with its minutes and team completion), an evidence
ledger and handover, the merit contracts (book, ledger, succession). Everything is deployed through
the domain clients' own ``deploy`` functions, the code a user runs.

    w = World.build(chain, people=10, seated=CORE_OFFICES, council=True)
    w.council.propose(proposal, Staff.SECRETARIAT)

This module ships in the package (the benchmark uses it) and imports no test framework.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TypeVar

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.types import TxReceipt

from . import profiles
from .calendar.client import CalendarClient
from .core import artifacts
from .core.chain import Chain
from .council.client import CouncilClient
from .council.team import TeamClient
from .election.client import ElectionClient, Sealing, roll_persons
from .election.scrutiny import Scrutineer, ScrutinyClient
from .evidence.client import EvidenceClient
from .evidence.handover import HandoverClient
from .jurisdiction import registry
from .merit.client import MeritClient
from .persons.client import Sender, deploy_person_registry, label_identity, person_id
from .types import Office
from .village import client as vc
from .village.client import Colour, VillageClient, deploy_framework
from .village.profile import VillageProfile
from .village.profile import load as load_village_profile

ZERO32 = b"\0" * 32
ZERO_ADDRESS = "0x" + "00" * 20


class Staff(IntEnum):
    """The chain accounts of a world, by duty (account indices: ``chain.accounts[Staff.UPPER]``).

    A test chain has ten accounts: some carry a second duty (aliases), which no world needs at once
    with the first: ``KEEPER`` and ``REVIEWER1`` are ``SECRETARIAT``'s account, ``REVIEWER2`` is
    ``RELAYER``'s, ``TOWN`` (a village world's town office) is ``AUTHORITY``'s.
    """

    ADMIN = 0  #: deployer; admin of the jurisdiction and registries; operator of the world's :class:`HandSeater`
    AUTHORITY = 1  #: election authority (选举委员会)
    VETTING = 2  #: vetting board
    UPPER = 3  #: upper committee (上级党委)
    MERIT = 4  #: merit committee
    ORG = 5  #: organisation department (组织部)
    OATH = 6  #: oath supervisor
    AUDITOR = 7  #: auditor (R-DOC-5)
    SECRETARIAT = 8  #: council secretariat: proposes motions (R-WD-3)
    RELAYER = 9  #: holds no role: relays ballots, reveals and signed documents
    KEEPER = 8  #: evidence records keeper (R-DOC-5 access log)
    REVIEWER1 = 8  #: merit reviewers (R-MR-10)
    REVIEWER2 = 9
    TOWN = 1  #: the town's village office (VILLAGE_OFFICE, SPEC section 9); the election authority's account

    def __str__(self) -> str:  # the account number, as ``--from`` takes it
        return str(int(self))


#: The holder of each external role of SPEC section 0 (``registry.ROLES``), granted in every world.
ROLE_HOLDERS: Mapping[str, Staff] = {
    "election_authority": Staff.AUTHORITY,
    "vetting_board": Staff.VETTING,
    "upper_committee": Staff.UPPER,
    "merit_committee": Staff.MERIT,
    "org_department": Staff.ORG,
    "oath_supervisor": Staff.OATH,
    "auditor": Staff.AUDITOR,
}
assert tuple(ROLE_HOLDERS) == registry.ROLES, "a role of registry.ROLES without a holder in zhili.testing"


#: The roll of a village world (person index -> (village functions, scoring team), SPEC section 9):
#: person 0 the village secretary, teams 1 (persons 0, 1), 2 (2, 3) and 3 (4, 5); representatives
#: 4 … 7 (a roll of four: three is more than half, R-VC-2); the credit council 7 … 9; the shop keeper
#: 10; person 11 a villager with no function. Twelve persons: build the world with ``people=12``.
VILLAGE_ROLL: Mapping[int, tuple[int, int]] = {
    0: (vc.PARTY | vc.SECRETARY, 1),
    1: (vc.PARTY, 1),
    2: (0, 2),
    3: (0, 2),
    4: (vc.REPRESENTATIVE, 3),
    5: (vc.REPRESENTATIVE | vc.PARTY, 3),
    6: (vc.REPRESENTATIVE, 0),
    7: (vc.REPRESENTATIVE | vc.COUNCIL, 0),
    8: (vc.COUNCIL, 0),
    9: (vc.COUNCIL, 0),
    10: (vc.KEEPER, 0),
    11: (0, 0),
}


def contract_colours(functions: int) -> list[Colour]:
    """The contracts a person with village ``functions`` signs (R-VC-3): blue for everyone, red for a
    party member, yellow for a representative."""
    return [Colour.BLUE] + [Colour.RED] * bool(functions & vc.PARTY) + [Colour.YELLOW] * bool(functions & vc.REPRESENTATIVE)


def person_of(seed: str, i: int) -> tuple[bytes, LocalAccount]:
    """Person ``i`` of the persons built from ``seed``: lifetime id and signing key."""
    return person_id(f"{seed} person {i}"), Account.from_key(keccak(text=f"{seed} key {i}"))


def identity_of(seed: str, i: int) -> bytes:
    """The identity commitment person ``i`` of ``seed`` is registered with (from the same label as the id)."""
    return label_identity(f"{seed} person {i}")


@dataclass(frozen=True)
class HandSeater:
    """TEST ONLY: the test-only ``HandSeater`` contract (``contracts/mocks/``), a stand-in for an
    election. Writer roles go only to contracts bound to the jurisdiction (R-EL-11), so a test that
    seats offices by hand, blacklists, records terms or writes merit entries without running the
    contracts that decide them deploys this one, bound to its jurisdiction (and registry, book), has
    the admin grant it the writer roles it needs (:meth:`grant`) and acts through it, as its operator
    (the deploying account). Never part of a real deployment."""

    chain: Chain
    contract: Contract
    operator: Sender

    @classmethod
    def deploy(cls, chain: Chain, jurisdiction: Contract | None, persons: Contract | None = None, book: Contract | None = None, *, operator: Sender = 0) -> HandSeater:
        """Deploy it bound to ``jurisdiction`` (and ``persons``, ``book`` if given; ``None``: none); ``operator`` deploys
        and alone may use it. Needs the test-only artifacts (``tests/artifacts/`` of a source checkout)."""
        if "HandSeater" not in artifacts.names():
            raise LookupError("seating by hand needs the test-only HandSeater (tests/artifacts/ of a source checkout)")
        addr = lambda c: c.address if c is not None else ZERO_ADDRESS
        c = chain.deploy("HandSeater", addr(jurisdiction), addr(persons), addr(book), sender=operator, label="hand.deploy")
        return cls(chain, c, operator)

    @property
    def address(self) -> str:
        return str(self.contract.address)

    def grant(self, target: Contract, role: bytes, admin: Sender = 0) -> None:
        """``admin`` grants ``role`` on ``target`` (the jurisdiction, registry or book) to this contract."""
        if not self.chain.call(target.functions.hasRole(role, self.address)):
            self.chain.transact(target.functions.grantRole(role, self.address), admin, label="hand.grant")

    def seat(self, office: Office | int, pid: bytes) -> TxReceipt:
        return self.chain.transact(self.contract.functions.seat(int(office), pid), self.operator, label="registry.seat")

    def vacate(self, office: Office | int, reason: bytes | str = "removed") -> TxReceipt:
        why = keccak(text=reason) if isinstance(reason, str) else reason
        return self.chain.transact(self.contract.functions.vacate(int(office), why), self.operator, label="registry.vacate")

    def relay(self, fn: ContractFunction, label: str | None = None) -> TxReceipt:
        """Send ``fn`` (a bound contract call) as this contract; a refusal comes back unchanged."""
        data = HexBytes(fn._encode_transaction_data())
        return self.chain.transact(self.contract.functions.relay(fn.address, data), self.operator, label=label or "hand.relay")


W = TypeVar("W", bound="World")
T = TypeVar("T")


def _part(part: T | None, missing: str) -> T:
    """A part of a world; ``LookupError(missing)`` where the world was built without it."""
    if part is None:
        raise LookupError(missing)
    return part


@dataclass(frozen=True)
class World:
    """A built world; the domain parts it was built without raise ``LookupError`` when asked for."""

    chain: Chain
    profile: profiles.Profile
    jurisdiction: Contract
    persons: Contract
    ids: list[bytes]
    keys: dict[bytes, LocalAccount]
    names: dict[bytes, str]
    _council: CouncilClient | None = field(default=None, repr=False)
    _team: TeamClient | None = field(default=None, repr=False)
    _ledger: EvidenceClient | None = field(default=None, repr=False)
    _decisions: Contract | None = field(default=None, repr=False)
    _handover: HandoverClient | None = field(default=None, repr=False)
    _merit: MeritClient | None = field(default=None, repr=False)
    _village: VillageClient | None = field(default=None, repr=False)
    _village_profile: VillageProfile | None = field(default=None, repr=False)
    village_roll: Mapping[int, tuple[int, int]] = field(default_factory=dict)
    _sealing: Sealing | None = field(default=None, repr=False)
    _hand: HandSeater | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls: type[W],
        chain: Chain,
        *,
        profile: str | profiles.Profile = "township",
        code: str = "330110-001",
        name: str = "良渚镇",
        people: int = 10,
        seed: str = "zhili",
        fund: int = 10**18,
        seated: Iterable[Office] | None = None,
        council: bool = False,
        team: bool = False,
        secretariat: str | None = None,
        evidence: bool = False,
        keeper: str | None = None,
        handover: bool = False,
        merit: bool = False,
        calendar: str | None = None,
        village: bool = False,
        village_profile: str | VillageProfile = "village",
        village_roll: Mapping[int, tuple[int, int]] | None = None,
        village_year: int | None = None,
        district: str = "文登区",
        village_code: str = "371003101201",
    ) -> W:
        """Deploy a world on ``chain``.

        ``profile`` a built-in name or a :class:`~zhili.profiles.Profile`; ``code``, ``name`` the
        jurisdiction's; ``calendar`` the province's ``WorkCalendar`` (default: the jurisdiction's own,
        every covered year published). ``people`` persons from ``seed`` (:func:`person_of`), named
        ``P00``, ``P01`` …, each funded with ``fund`` wei (0: none). ``seated``: offices seated
        directly, office ``o`` by person ``int(o)``, through the world's test-only :class:`HandSeater`
        (``world.hand``, operated by ``ADMIN``), which then holds OFFICE_WRITER, as an election would
        (R-EL-11: only contracts bound to the jurisdiction write offices); ``None`` seats nobody and
        grants nothing (the hand seater is then deployed when first asked for, ``world.hand``).

        ``council`` deploys a council (and its minutes), the secretariat role to ``secretariat``
        (default ``Staff.SECRETARIAT``); ``team`` its team completion too. ``evidence`` an evidence
        ledger, reading decisions from the council, or without one from the test-only
        ``MockCouncilDecisions`` (``world.decisions``), with the records keeper role to ``keeper``
        (default ``Staff.KEEPER``); ``handover`` the handover contract. ``merit`` the merit book,
        ledger and succession order, the order initialised (R-SU-1) with persons ``successors`` if
        given.

        ``village`` deploys a village of the credit scheme (SPEC section 9) on the jurisdiction: the
        district's ``CreditFramework`` (``district``) and the village's ledger, quarters and supermarket
        (``village_code``) from ``village_profile`` (a built-in name or a
        :class:`~zhili.village.profile.VillageProfile`: manual, star bonuses, catalogue and stock set);
        VILLAGE_OFFICE to ``Staff.TOWN``, which records ``village_roll`` (person index -> (functions,
        team); default :data:`VILLAGE_ROLL`, which needs ``people=12``). With ``village_year`` every
        enrolled person signs the contracts of their functions for that year (:func:`contract_colours`,
        relayed by ``Staff.RELAYER``). No list is proposed: ``world.adopt_village_list()`` does it.
        Months whose window runs into a year the calendar has not published (December's) need that
        year published first (``world.calendar.publish``).
        """
        prof = profiles.load(profile) if isinstance(profile, str) else profile
        addr = lambda s: str(chain.accounts[s].address)
        roles: dict[str, list[str]] = {role: [addr(s)] for role, s in ROLE_HOLDERS.items()}
        if council or team:
            roles["secretariat"] = [secretariat or addr(Staff.SECRETARIAT)]
        j = registry.deploy_jurisdiction(chain, prof, code, name, roles=roles, calendar=calendar)
        persons = deploy_person_registry(chain, Staff.ADMIN)
        ids, keys, names = [], {}, {}
        for i in range(people):
            pid, acct = person_of(seed, i)
            chain.transact(persons.functions.register(pid, acct.address, identity_of(seed, i)), Staff.ADMIN, label="persons.register")
            if fund:
                chain.fund(acct.address, fund)
            ids.append(pid)
            keys[pid] = acct
            names[pid] = f"P{i:02d}"
        seated = tuple(seated) if seated is not None else None
        hand = None
        if seated is not None:
            hand = HandSeater.deploy(chain, j, persons, operator=Staff.ADMIN)
            hand.grant(j, registry.role_id("office_writer"), Staff.ADMIN)
            for o in seated:
                hand.seat(o, ids[int(o)])
        c = t = None
        if council or team:
            c = CouncilClient.deploy(chain, j, persons, admin=Staff.ADMIN)
            c.names = names
            if team:
                t = TeamClient.deploy(chain, c, admin=Staff.ADMIN)
        ledger = decisions = None
        if evidence:
            if c is None:
                if "MockCouncilDecisions" not in artifacts.names():
                    raise LookupError("an evidence world without a council needs the test-only MockCouncilDecisions (tests/artifacts/ of a source checkout)")
                decisions = chain.deploy("MockCouncilDecisions", label="council.mock")
            ledger = EvidenceClient.deploy(chain, j, persons, c.address if c else decisions.address if decisions else None, sender=Staff.ADMIN)
            ledger.grant_records_keeper(keeper or addr(Staff.KEEPER), Staff.ADMIN)
        h = HandoverClient.deploy(chain, j, persons, sender=Staff.ADMIN) if handover else None
        m = None
        if merit:
            m = MeritClient.deploy(chain, j, persons, prof, admin=Staff.ADMIN)
            m.names = names
            if seated is not None and any(int(o) == Office.SECRETARY for o in seated):
                assert hand is not None
                hand.relay(m.succession.functions.officesSeated(), label="officesSeated")
        v = vprof = None
        roll: dict[int, tuple[int, int]] = {}
        if village:
            roll = dict(VILLAGE_ROLL if village_roll is None else village_roll)
            beyond = sorted(i for i in roll if not 0 <= i < people)
            if beyond:
                raise ValueError(f"the village roll names persons {beyond}, the world has {people} (people=…)")
            vprof = load_village_profile(village_profile) if isinstance(village_profile, str) else village_profile
            VillageClient.grant_office(chain, j, addr(Staff.TOWN), Staff.ADMIN)
            fw = deploy_framework(chain, district, vprof, sender=Staff.ADMIN)
            v = VillageClient.deploy(chain, j, persons, fw, village_code, Staff.TOWN, sender=Staff.ADMIN, profile=vprof)
            for i, (functions, scoring_team) in roll.items():
                v.set_member(ids[i], functions, scoring_team, Staff.TOWN)
            if village_year is not None:
                for i, (functions, _) in roll.items():
                    for colour in contract_colours(functions):
                        v.sign_contract(ids[i], village_year, colour, keccak(text=f"{colour.name.lower()} contract {village_year}"), keys[ids[i]], Staff.RELAYER)
        return cls(chain, prof, j, persons, ids, keys, names, c, t, ledger, decisions, h, m, v, vprof, roll, None, hand)

    # ---- the parts
    @property
    def council(self) -> CouncilClient:
        return _part(self._council, "this world was built without a council (council=True)")

    @property
    def team(self) -> TeamClient:
        return _part(self._team, "this world was built without team completion (team=True)")

    @property
    def ledger(self) -> EvidenceClient:
        return _part(self._ledger, "this world was built without an evidence ledger (evidence=True)")

    @property
    def decisions(self) -> Contract:
        """The test-only ``MockCouncilDecisions`` the ledger reads in a world without a council."""
        return _part(self._decisions, "this world has no mock council (evidence=True without council)")

    @property
    def handover(self) -> HandoverClient:
        return _part(self._handover, "this world was built without a handover contract (handover=True)")

    @property
    def merit(self) -> MeritClient:
        return _part(self._merit, "this world was built without the merit contracts (merit=True)")

    @property
    def village(self) -> VillageClient:
        return _part(self._village, "this world was built without a village (village=True)")

    @property
    def village_profile(self) -> VillageProfile:
        return _part(self._village_profile, "this world was built without a village (village=True)")

    @property
    def credit_framework(self) -> Contract:
        """The district's ``CreditFramework`` the village reads (R-VC-1)."""
        return self.chain.contract("CreditFramework", self.chain.call(self.village.ledger.functions.framework()))

    def village_members(self, function: int) -> list[int]:
        """Persons (indices) of the village roll holding village ``function`` (``vc.COUNCIL`` …)."""
        return [i for i, (f, _) in self.village_roll.items() if f & function]

    def village_team(self, team: int) -> list[int]:
        """Persons (indices) of scoring ``team`` (1 … 3) in the village roll (R-VC-6)."""
        return [i for i, (_, t) in self.village_roll.items() if t == team]

    def adopt_village_list(self, yes: Iterable[int] | None = None) -> int:
        """The village secretary proposes the profile's criteria list and representatives vote yes
        (default: the fewest that are more than half of the roll, R-VC-2); returns its version. It is
        in force from the quarter after this one."""
        secretaries = self.village_members(vc.SECRETARY)
        if not secretaries:
            raise LookupError("the village roll has no secretary (vc.SECRETARY)")
        v = self.village
        version = v.propose_profile_list(self.village_profile, self.signer(secretaries[0]))
        reps = self.village_members(vc.REPRESENTATIVE)
        for i in reps[: len(reps) // 2 + 1] if yes is None else yes:
            v.vote_list(version, True, self.signer(i))
        return version

    @property
    def calendar(self) -> CalendarClient:
        """The jurisdiction's working-day calendar (SPEC section 8)."""
        return CalendarClient.at(self.chain, self.chain.call(self.jurisdiction.functions.calendar()))

    # ---- accounts and persons
    def account(self, who: Staff) -> LocalAccount:
        return self.chain.accounts[who]

    def address(self, who: Staff) -> str:
        return self.chain.accounts[who].address

    def signer(self, i: int) -> LocalAccount:
        """Person ``i``'s signing key."""
        return self.keys[self.ids[i]]

    def index(self, pid: bytes) -> int:
        return self.ids.index(pid)

    # ---- offices (by hand: the world's hand seater must hold OFFICE_WRITER, built with ``seated``)
    @property
    def hand(self) -> HandSeater:
        """The test-only :class:`HandSeater` bound to this world's jurisdiction and registry (deployed by
        ``ADMIN`` when first asked for, or again when a snapshot revert took it away; holding no role
        until granted one)."""
        h = self._hand
        if h is None or not self.chain.w3.eth.get_code(to_checksum_address(h.address)):
            h = HandSeater.deploy(self.chain, self.jurisdiction, self.persons, operator=Staff.ADMIN)
            object.__setattr__(self, "_hand", h)
        return h

    def by_hand(self, role: bytes, fn: ContractFunction, label: str | None = None) -> TxReceipt:
        """Send ``fn`` (a call on the jurisdiction or the registry) through the hand seater, which
        ``ADMIN`` first grants ``role`` there: a test standing in for the zhili contract that holds it
        (e.g. ``Role.RECORD_WRITER`` and ``persons.functions.blacklist(…)``)."""
        target = self.persons if fn.address == self.persons.address else self.jurisdiction
        self.hand.grant(target, role, Staff.ADMIN)
        return self.hand.relay(fn, label)

    def holder(self, office: Office) -> bytes | None:
        h = bytes(self.chain.call(self.jurisdiction.functions.holder(int(office))))
        return h if any(h) else None

    def seat(self, office: Office | int, person: int | bytes) -> None:
        pid = self.ids[person] if isinstance(person, int) else person
        self.hand.seat(office, pid)

    def vacate(self, office: Office | int, reason: str = "removed") -> None:
        self.hand.vacate(office, reason)

    # ---- elections
    def election(self, term: int = 1) -> ElectionClient:
        """A new election on this world's jurisdiction and registry (deployed by ``ADMIN``); its incumbent
        is the jurisdiction's last secretary (R-EL-8). After :meth:`seal_elections` its ballot box seals
        every round to the world's scrutineers (R-EL-13)."""
        succ = self._merit.succession.address if self._merit is not None else None
        sealing = self._sealing
        scrutiny = sealing.scrutiny.contract.address if sealing is not None else None
        e = ElectionClient.deploy(self.chain, self.jurisdiction, self.persons, term, admin=Staff.ADMIN, succession=succ, scrutiny=scrutiny)
        e.names = self.names
        e.sealing = sealing
        return e

    def seal_elections(self) -> Sealing:
        """Deploy the jurisdiction's ``Scrutiny`` and as many scrutineers as the profile names (registered
        persons ``"scrutineer i"`` with funded keys of their own and encryption keys set from their devices);
        the elections :meth:`election` deploys from now on seal every round to them, the profile's threshold
        of them opening each (R-EL-13: 3 of 5)."""
        s = ScrutinyClient.deploy(self.chain, self.jurisdiction, self.persons, admin=Staff.ADMIN)
        members, threshold = s.panel_rule()
        people = []
        for pid, key in roll_persons(self.chain, self.persons, "scrutineer", members, Staff.ADMIN):
            self.chain.fund(key.address, 10**18)
            m = Scrutineer(pid, key)
            s.set_encryption_key(m)
            people.append(m)
        sealing = Sealing(s, people, threshold)
        object.__setattr__(self, "_sealing", sealing)
        return sealing


__all__ = ["ROLE_HOLDERS", "HandSeater", "VILLAGE_ROLL", "Staff", "World", "contract_colours", "person_of"]
