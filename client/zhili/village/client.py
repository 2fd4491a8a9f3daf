"""Drive a village's credit scheme (SPEC §9, R-VC-1 … R-VC-10): ``CreditFramework`` (the district),
``VillageLedger`` (roll, manual, lists, contracts, declarations, verification), ``VillageQuarters``
(publication, objections, rulings, grades, consequences) and ``CreditSupermarket``.

The contracts decide everything; this module sends the acts SPEC gives to people, signs what persons
sign (EIP-712 contracts and redemptions), and reads state back as frozen dataclasses. Persons are
``PersonRegistry`` ids; a person acts with their registered key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import Any

from eth_account.signers.local import LocalAccount
from web3.contract import Contract

from ..core import eip712
from ..core.chain import Chain
from ..errors import NotFound
from ..types import Keyed, Role
from .profile import VillageProfile

Sender = int | str | LocalAccount | None

# ---- mirrors of contracts/lib/VillageTypes.sol (tests/village/test_village_client.py checks them)
KIND_PARTY_DUTY, KIND_REP_DUTY, KIND_CREDIT = 1, 2, 4
PARTY, REPRESENTATIVE, COUNCIL, SECRETARY, KEEPER = 1, 2, 4, 8, 16
ROLE_BITS = {"party": PARTY, "representative": REPRESENTATIVE, "council": COUNCIL, "secretary": SECRETARY, "keeper": KEEPER}
MEMBER_GRADES = {1: "优秀", 2: "合格", 3: "基本合格", 4: "不合格"}
#: What a person signs for a five-colour contract (``VillageLedger.CONTRACT_TYPEHASH``, R-VC-3).
CONTRACT = eip712.Struct("VillageContract", eip712.fields("bytes32 person", "uint16 year", "uint8 colour", "bytes32 duties"), "zhili VillageLedger")
#: What the villager and the keeper both sign for a redemption (``CreditSupermarket.REDEMPTION_TYPEHASH``, R-VC-10).
REDEMPTION = eip712.Struct("Redemption", eip712.fields("bytes32 person", "bytes32 keeper", "uint16 item", "uint32 quantity", "uint32 nonce"), "zhili CreditSupermarket")
BATCH = 200  # persons per publication transaction, declarations per verification


class Colour(Keyed):
    """Five-colour contracts (R-VC-3), in ``VillageTypes`` order."""

    RED = 0  # 先锋契约, party members
    YELLOW = 1  # 模范契约, representatives
    BLUE = 2  # 自治契约, villagers
    GREEN = 3  # 服务契约, volunteers
    SILVER = 4  # 调解契约, "五老" mediators


class DeclStatus(IntEnum):
    NONE = 0
    PENDING = 1
    ACCEPTED = 2
    REJECTED = 3
    NEGATIVE = 4


class QuarterState(IntEnum):
    OPEN = 0
    PUBLISHING = 1
    PUBLISHED = 2
    FINAL = 3


def month_index(year: int, month: int) -> int:
    """``VillageTypes`` month index: months from January 1970."""
    return (year - 1970) * 12 + month - 1


def month_label(index: int) -> str:
    return f"{1970 + index // 12}-{index % 12 + 1:02d}"


def quarter_label(quarter: int) -> str:
    return f"{1970 + quarter // 4}Q{quarter % 4 + 1}"


def roles_from_keys(keys: Iterable[str]) -> int:
    bits = 0
    for k in keys:
        if k not in ROLE_BITS:
            raise ValueError(f"unknown village function {k!r}; expected one of {list(ROLE_BITS)}")
        bits |= ROLE_BITS[k]
    return bits


def role_keys(bits: int) -> list[str]:
    return [k for k, b in ROLE_BITS.items() if bits & b]


def _hex(b: bytes) -> str:
    return "0x" + bytes(b).hex()


# ---------------------------------------------------------------------------- typed reads


@dataclass(frozen=True)
class Member:
    idx: int
    person: bytes
    key: str
    roles: int
    team: int
    since: int

    def as_json(self) -> dict[str, Any]:
        return {
            "idx": self.idx, "person": _hex(self.person), "key": self.key, "roles": role_keys(self.roles), "team": self.team,
        }  # fmt: skip


@dataclass(frozen=True)
class ListInfo:
    version: int
    size: int
    positives: int
    state: int
    yes: int
    no: int
    roll: int
    proposed_block: int
    effective_from: int

    @property
    def state_key(self) -> str:
        return {0: "none", 1: "proposed", 2: "adopted", 3: "rejected"}[self.state]

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "state": self.state_key, "effective_from": quarter_label(self.effective_from) if self.effective_from else None}


@dataclass(frozen=True)
class Month:
    month: int
    declare_close: int
    version: int
    positives: int
    size: int
    team: int
    start: int  # 00:00 CST of its first day
    length: int  # its number of days

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "label": month_label(self.month)}


@dataclass(frozen=True)
class Declaration:
    id: int
    idx: int
    month: int
    code: int
    day: int
    colours: int
    status: DeclStatus
    kinds: int
    value: int
    verifier: int

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status.name.lower(), "month": month_label(self.month)}


@dataclass(frozen=True)
class Totals:
    """A person's quarter: rewards and penalties per point kind, tenths (plus rulings' corrections)."""

    party_plus: int = 0
    party_minus: int = 0
    rep_plus: int = 0
    rep_minus: int = 0
    credit_plus: int = 0
    credit_minus: int = 0
    party_adjust: int = 0
    rep_adjust: int = 0
    credit_adjust: int = 0

    @property
    def party(self) -> int:
        return self.party_plus - self.party_minus + self.party_adjust

    @property
    def rep(self) -> int:
        return self.rep_plus - self.rep_minus + self.rep_adjust

    @property
    def credit(self) -> int:
        return self.credit_plus - self.credit_minus + self.credit_adjust

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "party": self.party, "rep": self.rep, "credit": self.credit}


@dataclass(frozen=True)
class Standing:
    rank: int
    idx: int
    person: bytes
    totals: Totals

    def as_json(self) -> dict[str, Any]:
        return {"rank": self.rank, "idx": self.idx, "person": _hex(self.person), **self.totals.as_json()}


@dataclass(frozen=True)
class Quarter:
    quarter: int
    state: QuarterState
    count: int
    done: int
    council: int
    open: int
    published_at: int
    deadline: int

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "state": self.state.name.lower(), "label": quarter_label(self.quarter)}


@dataclass(frozen=True)
class Objection:
    id: int
    quarter: int
    subject: int
    objector: int
    state: int
    entry: int

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "state": {1: "open", 2: "upheld", 3: "rejected"}.get(self.state, "none")}


@dataclass(frozen=True)
class Annual:
    year: int
    idx: int
    party_score: int
    rep_score: int
    villager_score: int
    party_grade: int
    rep_grade: int
    stars: int
    graded: bool

    def as_json(self) -> dict[str, Any]:
        return {
            **asdict(self), "party_grade": MEMBER_GRADES.get(self.party_grade), "rep_grade": MEMBER_GRADES.get(self.rep_grade),
        }  # fmt: skip


@dataclass(frozen=True)
class Item:
    item: int
    price: int
    stock: int
    listed: bool

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CreditAccount:
    person: bytes
    balance: int
    nonce: int

    def as_json(self) -> dict[str, Any]:
        return {"person": _hex(self.person), "balance": self.balance, "nonce": self.nonce}


# ---------------------------------------------------------------------------- the client


def deploy_framework(chain: Chain, district: str, profile: VillageProfile, sender: Sender = None) -> Contract:
    """Deploy the district's ``CreditFramework`` from the profile's ``framework`` section (R-VC-1)."""
    return chain.deploy("CreditFramework", district, profile.framework(), sender=sender)


@dataclass
class VillageClient:
    """One village: its ledger, quarters and supermarket (and the district framework they use)."""

    chain: Chain
    ledger: Contract
    quarters: Contract
    market: Contract | None = None

    # ------------------------------------------------------------ deployment

    @classmethod
    def deploy(
        cls, chain: Chain, jurisdiction: Contract, persons: Contract, framework: Contract, village: str,
        office: Sender, *, sender: Sender = None, profile: VillageProfile | None = None,
    ) -> VillageClient:  # fmt: skip
        """Deploy a village's three contracts and bind them; ``office`` holds VILLAGE_OFFICE on the
        jurisdiction (the town). With ``profile``, the town's manual, catalogue and bonuses are set too."""
        code = village.encode()[:32].ljust(32, b"\0")
        ledger = chain.deploy("VillageLedger", jurisdiction.address, persons.address, framework.address, code, sender=sender)
        quarters = chain.deploy("VillageQuarters", ledger.address, sender=sender)
        market = chain.deploy("CreditSupermarket", quarters.address, sender=sender)
        chain.transact(ledger.functions.setQuarters(quarters.address), office, label="village.bind")
        v = cls(chain, ledger, quarters, market)
        if profile is not None:
            v.set_manual(profile.manual(), office)
            v.set_bonus(profile.star_bonus(), office)
            for it in profile.catalogue():
                v.set_item(it["item"], it["price"], item_text(it.get("zh", "")), office)
                if it["stock"]:
                    v.restock(it["item"], it["stock"], office)
        return v

    @classmethod
    def at(cls, chain: Chain, ledger: str, market: str | None = None) -> VillageClient:
        led = chain.contract("VillageLedger", ledger)
        q = chain.contract("VillageQuarters", chain.call(led.functions.quarters()))
        return cls(chain, led, q, chain.contract("CreditSupermarket", market) if market else None)

    @staticmethod
    def grant_office(chain: Chain, jurisdiction: Contract, account: str, admin: Sender = None) -> None:
        """Grant VILLAGE_OFFICE on the jurisdiction (its admin, the upper organisation)."""
        chain.transact(jurisdiction.functions.grantRole(Role.VILLAGE_OFFICE, account), admin)

    @property
    def _market(self) -> Contract:
        if self.market is None:
            raise NotFound("no supermarket given (--market)")
        return self.market

    # ------------------------------------------------------------ town (R-VC-1)

    def set_manual(self, manual: Sequence[int], office: Sender) -> None:
        self.chain.transact(self.ledger.functions.setManual(tuple(manual)), office, label="village.set_manual")

    def set_member(self, person: bytes, roles: int, team: int, office: Sender) -> int:
        self.chain.transact(self.ledger.functions.setMember(person, roles, team), office, label="village.set_member")
        return self.idx_of(person)

    def sync_key(self, person: bytes, sender: Sender = None) -> None:
        self.chain.transact(self.ledger.functions.syncKey(person), sender)

    # ------------------------------------------------------------ contracts (R-VC-3)

    def contract_typed(self, person: bytes, year: int, colour: int, duties: bytes) -> dict[str, Any]:
        return CONTRACT.typed_data(self.ledger.address, self.chain.chain_id, {"person": person, "year": year, "colour": int(colour), "duties": duties})

    def sign_contract(self, person: bytes, year: int, colour: Colour, duties: bytes, key: LocalAccount, relayer: Sender = None) -> None:
        """The person signs the contract (EIP-712) with ``key``; ``relayer`` sends it (R-VC-3)."""
        sig = eip712.sign(key, self.contract_typed(person, year, colour, duties))
        self.chain.transact(self.ledger.functions.signContract(person, year, int(colour), duties, sig), relayer or key, label="village.sign_contract")

    # ------------------------------------------------------------ lists (R-VC-2)

    def propose_list(self, criteria: Sequence[tuple[int, int, int, bytes]], positives: int, secretary: Sender) -> int:
        self.chain.transact(self.ledger.functions.proposeList(list(criteria), positives), secretary, label="village.propose_list")
        return int(self.chain.call(self.ledger.functions.listCount()))

    def propose_profile_list(self, profile: VillageProfile, secretary: Sender) -> int:
        return self.propose_list([c.as_tuple() for c in profile.criteria()], profile.positives, secretary)

    def vote_list(self, version: int, yes: bool, representative: Sender) -> ListInfo:
        self.chain.transact(self.ledger.functions.voteList(version, yes), representative, label="village.vote_list")
        return self.list_info(version)

    # ------------------------------------------------------------ months, declarations (R-VC-5, R-VC-6)

    def open_month(self, month: int, sender: Sender = None) -> Month:
        self.chain.transact(self.ledger.functions.openMonth(month), sender, label="village.open_month")
        return self.month(month)

    def declare(self, month: int, code: int, day: int, evidence: bytes, person_key: Sender) -> int:
        r = self.chain.transact(self.ledger.functions.declare(month, code, day, evidence), person_key, label="village.declare")
        return int(self.ledger.events.Declared().process_receipt(r)[0].args.id)

    def verify(self, ids: Sequence[int], accept: Sequence[bool] | bool, verifier: Sender) -> None:
        acc = [accept] * len(ids) if isinstance(accept, bool) else list(accept)
        for i in range(0, len(ids), BATCH):
            self.chain.transact(self.ledger.functions.verify(list(ids[i : i + BATCH]), acc[i : i + BATCH]), verifier, label="village.verify")

    def record_negative(self, person: bytes, month: int, code: int, day: int, evidence: bytes, recorder: Sender) -> int:
        r = self.chain.transact(self.ledger.functions.recordNegative(person, month, code, day, evidence), recorder, label="village.record")
        return int(self.ledger.events.NegativeRecorded().process_receipt(r)[0].args.id)

    # ------------------------------------------------------------ quarters (R-VC-7 … R-VC-9)

    def rank_order(self, quarter: int) -> list[int]:
        """Every village index in the contract's rank order: credit net descending, then index ascending."""
        n = int(self.chain.call(self.ledger.functions.participants()))
        idx = list(range(1, n + 1))
        raw = self._raw_totals(quarter, idx)
        return sorted(idx, key=lambda i: (-(raw[i - 1][4] - raw[i - 1][5]), i))

    def publish(self, quarter: int, council: Sender, batch: int = BATCH) -> Quarter:
        order = self.rank_order(quarter)
        for i in range(0, max(len(order), 1), batch):
            self.chain.transact(self.quarters.functions.publish(quarter, order[i : i + batch]), council, label="village.publish")
        return self.quarter(quarter)

    def object(self, quarter: int, subject: bytes, entry: int, grounds: bytes, objector: Sender) -> int:
        r = self.chain.transact(self.quarters.functions.object(quarter, subject, entry, grounds), objector, label="village.object")
        return int(self.quarters.events.Objected().process_receipt(r)[0].args.id)

    def rule(self, objection: int, uphold: bool, kind: int, delta: int, reason: bytes, member: Sender) -> Objection:
        self.chain.transact(self.quarters.functions.rule(objection, uphold, kind, delta, reason), member, label="village.rule")
        return self.objection(objection)

    def finalize(self, quarter: int, sender: Sender = None) -> Quarter:
        self.chain.transact(self.quarters.functions.finalize(quarter), sender, label="village.finalize")
        return self.quarter(quarter)

    def grade(self, year: int, idx: Sequence[int] | None = None, sender: Sender = None) -> list[Annual]:
        if idx is None:
            n = int(self.chain.call(self.ledger.functions.participants()))
            idx = [i for i in range(1, n + 1) if self.chain.call(self.ledger.functions.coloursOf(i, year)) and not self.annual(year, i).graded]
        for i in range(0, len(idx), BATCH):
            self.chain.transact(self.quarters.functions.grade(year, list(idx[i : i + BATCH])), sender, label="village.grade")
        return [self.annual(year, i) for i in idx]

    def confirm_rectified(self, year: int, person: bytes, evidence: bytes, office: Sender) -> None:
        self.chain.transact(self.quarters.functions.confirmRectified(year, person, evidence), office)

    def lose_seat(self, year: int, person: bytes, sender: Sender = None) -> None:
        self.chain.transact(self.quarters.functions.loseSeat(year, person), sender)

    def assign_helper(self, year: int, villager: bytes, helper: bytes, secretary: Sender) -> None:
        self.chain.transact(self.quarters.functions.assignHelper(year, villager, helper), secretary)

    # ------------------------------------------------------------ supermarket (R-VC-10)

    def set_item(self, item: int, price: int, description: bytes, office: Sender, listed: bool = True) -> None:
        self.chain.transact(self._market.functions.setItem(item, price, description, listed), office)

    def restock(self, item: int, added: int, office: Sender) -> None:
        self.chain.transact(self._market.functions.restock(item, added), office)

    def set_bonus(self, bonus: Sequence[int], office: Sender) -> None:
        self.chain.transact(self._market.functions.setBonus(list(bonus)), office)

    def claim(self, year: int, person: bytes, sender: Sender = None) -> CreditAccount:
        self.chain.transact(self._market.functions.claim(year, person), sender, label="village.claim")
        return self.account(person)

    def redemption_typed(self, person: bytes, keeper: bytes, item: int, quantity: int, nonce: int) -> dict[str, Any]:
        message = {"person": person, "keeper": keeper, "item": item, "quantity": quantity, "nonce": nonce}
        return REDEMPTION.typed_data(self._market.address, self.chain.chain_id, message)

    def sign_redemption(self, person: bytes, keeper: bytes, item: int, quantity: int, nonce: int, key: LocalAccount) -> bytes:
        return eip712.sign(key, self.redemption_typed(person, keeper, item, quantity, nonce))

    def redeem(
        self, person: bytes, keeper: bytes, item: int, quantity: int, person_key: LocalAccount, keeper_key: LocalAccount,
        *, nonce: int | None = None, relayer: Sender = None,
    ) -> CreditAccount:  # fmt: skip
        """Both parties sign the same redemption; ``relayer`` (default: the keeper) sends it (R-VC-10)."""
        n = self.account(person).nonce if nonce is None else nonce
        ps = self.sign_redemption(person, keeper, item, quantity, n, person_key)
        ks = self.sign_redemption(person, keeper, item, quantity, n, keeper_key)
        self.redeem_signed(person, keeper, item, quantity, n, ps, ks, relayer or keeper_key)
        return self.account(person)

    def redeem_signed(self, person: bytes, keeper: bytes, item: int, quantity: int, nonce: int, ps: bytes, ks: bytes, relayer: Sender) -> None:
        self.chain.transact(self._market.functions.redeem(person, keeper, item, quantity, nonce, ps, ks), relayer, label="village.redeem")

    # ------------------------------------------------------------ reads

    def idx_of(self, person: bytes) -> int:
        return int(self.chain.call(self.ledger.functions.idxOf(person)))

    def _idx(self, person: bytes) -> int:
        i = self.idx_of(person)
        if not i:
            raise NotFound(f"R-VC-3: person {_hex(person)} is not in the village")
        return i

    def member(self, person_or_idx: bytes | int) -> Member:
        idx = person_or_idx if isinstance(person_or_idx, int) else self._idx(person_or_idx)
        person, m = self.chain.call(self.ledger.functions.member(idx))
        return Member(idx, bytes(person), m[0], m[1], m[2], m[3])

    def colours(self, person: bytes, year: int) -> list[Colour]:
        """The contracts ``person`` signed for ``year`` (R-VC-3)."""
        bits = int(self.chain.call(self.ledger.functions.coloursOf(self._idx(person), year)))
        return [c for c in Colour if bits >> c & 1]

    def members(self) -> list[Member]:
        n = int(self.chain.call(self.ledger.functions.participants()))
        return [self.member(i) for i in range(1, n + 1)]

    def manual(self) -> tuple[int, int, int]:
        m = self.chain.call(self.ledger.functions.manual())
        return (int(m[0]), int(m[1]), int(m[2]))

    def list_info(self, version: int) -> ListInfo:
        li = self.chain.call(self.ledger.functions.list(version))
        if not li[2]:
            raise NotFound(f"R-VC-2: no list {version}")
        return ListInfo(version, *li)

    def lists(self) -> list[ListInfo]:
        return [self.list_info(v) for v in range(1, int(self.chain.call(self.ledger.functions.listCount())) + 1)]

    def month(self, month: int) -> Month:
        return Month(month, *self.chain.call(self.ledger.functions.monthInfo(month)))

    def current_month(self) -> int:
        return int(self.chain.call(self.ledger.functions.currentMonth()))

    def declaration(self, id: int) -> Declaration:
        d = self.chain.call(self.ledger.functions.declaration(id))
        if not d[5]:
            raise NotFound(f"R-VC-5: no declaration {id}")
        return Declaration(id, d[0], d[1], d[2], d[3], d[4], DeclStatus(d[5]), d[6], d[7], d[8])

    def _raw_totals(self, quarter: int, idx: Sequence[int]) -> list[tuple[int, ...]]:
        out: list[tuple[int, ...]] = []
        for i in range(0, len(idx), 500):
            out += [tuple(t) for t in self.chain.call(self.ledger.functions.totals(quarter, list(idx[i : i + 500])))]
        return out

    def totals(self, quarter: int, person_or_idx: bytes | int) -> Totals:
        idx = person_or_idx if isinstance(person_or_idx, int) else self._idx(person_or_idx)
        raw = self._raw_totals(quarter, [idx])[0]
        adj = self.chain.call(self.quarters.functions.adjustment(quarter, idx))
        return Totals(*raw, *adj)

    def standings(self, quarter: int) -> list[Standing]:
        """Every person's quarter (rulings included), in the contract's rank order."""
        order = self.rank_order(quarter)
        return [Standing(r, i, bytes(self.chain.call(self.ledger.functions.personAt(i))), self.totals(quarter, i)) for r, i in enumerate(order, 1)]

    def quarter(self, quarter: int) -> Quarter:
        q = self.chain.call(self.quarters.functions.quarterInfo(quarter))
        return Quarter(quarter, QuarterState(q[0]), q[1], q[2], q[3], q[4], q[5], q[6])

    def objection(self, id: int) -> Objection:
        o = self.chain.call(self.quarters.functions.objection(id))
        if not o[3]:
            raise NotFound(f"R-VC-7: no objection {id}")
        return Objection(id, *o)

    def annual(self, year: int, person_or_idx: bytes | int) -> Annual:
        idx = person_or_idx if isinstance(person_or_idx, int) else self._idx(person_or_idx)
        return Annual(year, idx, *self.chain.call(self.quarters.functions.annual(year, idx)))

    def rectification(self, year: int, person: bytes) -> tuple[int, int]:
        r = self.chain.call(self.quarters.functions.rectification(year, self._idx(person)))
        return int(r[0]), int(r[1])

    def item(self, item: int) -> Item:
        return Item(item, *self.chain.call(self._market.functions.itemInfo(item)))

    def account(self, person: bytes) -> CreditAccount:
        a = self.chain.call(self._market.functions.account(person))
        return CreditAccount(person, int(a[0]), int(a[1]))


def item_text(text: str) -> bytes:
    """The fingerprint of a catalogue item's text (SHA-256)."""
    import hashlib

    return hashlib.sha256(text.encode()).digest()
