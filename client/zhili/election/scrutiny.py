"""Scrutineers (R-EL-13): the poll key nobody holds, ballots sealed to it, and the count after the close.

The protocol is the one ``contracts/election/Scrutiny.sol`` checks (its NatSpec cites the papers): a
Joint-Feldman distributed key generation (Pedersen 1991) with the complaint-and-answer step of Gennaro,
Jarecki, Krawczyk and Rabin (J. Cryptology 2007), and hashed ElGamal on alt_bn128 for the ballots. The curve
arithmetic is fastecdsa's (its Rust core, with alt_bn128 given by its parameters, ``y² = x³ + 3``): an
implementation independent of the EVM precompiles the contract uses, so the tests that run both sides
cross-check them, and of py_ecc (``py_ecc.optimized_bn128``, pure Python and 70 times slower), against which
``tests/election/test_scrutiny_curve.py`` checks it. A voter's device seals a ballot in about 1.5 ms.

What runs where:

* a scrutineer's device: :class:`Scrutineer` (its encryption scalar, its deal, the shares it receives,
  its key share): nothing secret leaves it until the share it publishes after the close;
* a voter's device: :func:`encrypt_ballot` (the mask never leaves it in the clear);
* anyone: :class:`ScrutinyClient` relays, fixes the key, counts every batch and re-tallies from events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from fastecdsa import rust as ecc
from web3.contract import Contract

from ..core import eip712, entropy
from ..core.chain import Chain
from .credentials import BALLOT, Wallet

Sender = int | str | LocalAccount | None
Point = tuple[int, int]

#: the order of alt_bn128's group G1 (scalars, shares and the poll secret live mod this)
ORDER: int = 21888242871839275222246405745257275088548364400416034343698204186575808495617
#: the generator ``(1, 2)``
GENERATOR: Point = (1, 2)
INFINITY: Point = (0, 0)


# ---------------------------------------------------------------------- curve (fastecdsa, affine as the EVM encodes it)

#: the prime of alt_bn128's base field (EIP-196)
FIELD: int = 21888242871839275222246405745257275088696311157297823662689037894645226208583
#: alt_bn128's G1 (EIP-196): ``y² = x³ + 3`` over ``FIELD``, generator ``(1, 2)``, order ``ORDER``
CURVE = ecc.Curve("alt_bn128", FIELD, 0, 3, ORDER, 1, 2)


def _point(p: Point) -> ecc.Point:
    return 0 * CURVE.G if p == INFINITY else ecc.Point(p[0], p[1], CURVE)


def _affine(p: ecc.Point) -> Point:
    if p.z == 0:
        return INFINITY
    p = p.normalize()
    return (int(p.x), int(p.y))


def mul(p: Point, k: int) -> Point:
    """``k·p`` (ecMul)."""
    return _affine((k % ORDER) * _point(p))


def add(p: Point, q: Point) -> Point:
    """``p + q`` (ecAdd)."""
    return _affine(_point(p) + _point(q))


def on_curve(p: Point) -> bool:
    return p == INFINITY or (0 <= p[0] < FIELD and 0 <= p[1] < FIELD and (p[1] * p[1] - p[0] ** 3 - 3) % FIELD == 0)


def random_scalar() -> int:
    return 1 + entropy.randbelow(ORDER - 1)


# ---------------------------------------------------------------------- the protocol's pure functions


def evaluate(commitments: Sequence[Point], member: int) -> Point:
    """``Σ_k (member+1)^k · C_k``: the public image of the share a member receives (Feldman)."""
    x, acc, power = member + 1, commitments[0], 1
    for c in commitments[1:]:
        power = power * x % ORDER
        acc = add(acc, mul(c, power))
    return acc


def share_pad(s: Point, box: str, round: int, dealer: int, member: int) -> int:
    """The pad of an encrypted share: ``keccak256(abi.encode(S.x, S.y, box, round, dealer, member))``."""
    return int.from_bytes(keccak(encode(["uint256", "uint256", "address", "uint256", "uint8", "uint256"], [s[0], s[1], box, round, dealer, member])), "big")


def ballot_pad(s: Point, box: str, round: int, credential: str) -> int:
    """The pad of a sealed ballot: ``keccak256(abi.encode(S.x, S.y, box, round, credential))``."""
    return int.from_bytes(keccak(encode(["uint256", "uint256", "address", "uint256", "address"], [s[0], s[1], box, round, credential])), "big")


def interpolate(shares: dict[int, int]) -> int:
    """The secret from ``threshold`` key shares ``{member: share}`` (Lagrange at 0, points ``member + 1``)."""
    secret = 0
    for j, sj in shares.items():
        num = den = 1
        for m in shares:
            if m != j:
                num = num * (m + 1) % ORDER
                den = den * (m - j) % ORDER
        secret = (secret + sj * num * pow(den, -1, ORDER)) % ORDER
    return secret


@dataclass(frozen=True)
class Ciphertext:
    """A ballot sealed to a poll key (``IScrutiny.Ciphertext``)."""

    rx: int
    ry: int
    masked: int

    def commitment(self) -> bytes:
        return keccak(encode(["uint256", "uint256", "uint256"], [self.rx, self.ry, self.masked]))

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.rx, self.ry, self.masked)


def encrypt_ballot(key: Point, mask: int, box: str, round: int, credential: str, r: int | None = None) -> Ciphertext:
    """What a voter's device does: seal ``mask`` to the poll key (hashed ElGamal; ``r`` fresh unless given)."""
    r = r if r is not None else random_scalar()
    big_r, s = mul(GENERATOR, r), mul(key, r)
    return Ciphertext(big_r[0], big_r[1], mask ^ ballot_pad(s, box, round, credential))


def decrypt_ballot(secret: int, c: Ciphertext, box: str, round: int, credential: str) -> int | None:
    """The mask inside ``c`` with the poll secret; None if ``R`` is not a curve point (an invalid ballot)."""
    point = (c.rx, c.ry)
    if point == INFINITY or not on_curve(point):
        return None
    return c.masked ^ ballot_pad(mul(point, secret), box, round, credential)


def valid_mask(mask: int | None, candidates: int, max_names: int) -> bool:
    """The contract's rule for a counted ballot: only known candidates, at most ``max_names`` of them."""
    return mask is not None and (candidates >= 256 or mask >> candidates == 0) and bin(mask).count("1") <= max_names


@dataclass
class EncryptedBallot:
    """A signed ballot sealed to the poll key, as relayed (``IBallotBox.SealedBallot``); ``mask`` stays on the
    voter's device (to check the count) and is never sent: the ballot file (:meth:`as_json`) leaves it out, and
    one read back from a file has ``mask == -1`` (unknown)."""

    round: int
    credential: str
    ciphertext: Ciphertext
    r: bytes
    vs: bytes
    mask: int = -1

    @property
    def commitment(self) -> bytes:
        return self.ciphertext.commitment()

    def signed(self) -> tuple[Any, ...]:
        c = self.ciphertext
        return (self.credential, c.rx, c.ry, c.masked, self.r, self.vs)

    def as_json(self) -> dict[str, Any]:
        """The ballot file a voter hands to a relayer: the ciphertext and the signature, never the mask."""
        c = self.ciphertext
        return {
            "sealed_to": "scrutineers",
            "round": self.round,
            "credential": self.credential,
            "rx": hex(c.rx),
            "ry": hex(c.ry),
            "masked": hex(c.masked),
            "r": "0x" + self.r.hex(),
            "vs": "0x" + self.vs.hex(),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> EncryptedBallot:
        c = Ciphertext(int(d["rx"], 16), int(d["ry"], 16), int(d["masked"], 16))
        return cls(int(d["round"]), to_checksum_address(d["credential"]), c, bytes.fromhex(d["r"][2:]), bytes.fromhex(d["vs"][2:]))


def seal_to_key(wallet: Wallet, key: Point, round: int, mask: int) -> EncryptedBallot:
    """Encrypt ``mask`` to the poll key and sign the commitment with the credential key (EIP-712 ``Ballot``)."""
    c = encrypt_ballot(key, mask, wallet.box, round, wallet.address)
    typed = BALLOT.typed_data(wallet.box, wallet.chain_id, {"round": round, "credential": wallet.address, "commitment": c.commitment()})
    r, vs = eip712.sign_compact(wallet.key, typed)
    return EncryptedBallot(round, wallet.address, c, r, vs, mask)


# ---------------------------------------------------------------------- a scrutineer's device


@dataclass
class Deal:
    """One dealer's polynomial and what it publishes."""

    coefficients: list[int]
    commitments: list[Point]
    ephemeral_scalar: int

    @classmethod
    def new(cls, threshold: int) -> Deal:
        coeffs = [random_scalar() for _ in range(threshold)]
        return cls(coeffs, [mul(GENERATOR, a) for a in coeffs], random_scalar())

    def share(self, member: int) -> int:
        x, acc = member + 1, 0
        for a in reversed(self.coefficients):
            acc = (acc * x + a) % ORDER
        return acc

    def encrypted_shares(self, keys: Sequence[Point], box: str, round: int, dealer: int) -> list[int]:
        return [self.share(j) ^ share_pad(mul(k, self.ephemeral_scalar), box, round, dealer, j) for j, k in enumerate(keys)]


@dataclass
class Scrutineer:
    """A scrutineer's device: the person's registered key (signs its transactions), its encryption scalar,
    its deal per round and the shares it received (dealer -> share)."""

    person: bytes
    key: LocalAccount
    enc_scalar: int = field(default_factory=random_scalar)
    deals: dict[tuple[str, int], Deal] = field(default_factory=dict)
    received: dict[tuple[str, int], dict[int, int]] = field(default_factory=dict)

    @property
    def enc_point(self) -> Point:
        return mul(GENERATOR, self.enc_scalar)

    def decrypt_share(self, ephemeral: Point, encrypted: int, box: str, round: int, dealer: int, me: int) -> int:
        return encrypted ^ share_pad(mul(ephemeral, self.enc_scalar), box, round, dealer, me)

    def key_share(self, box: str, round: int, qualified: Sequence[int]) -> int:
        got = self.received[(box, round)]
        return sum(got[i] for i in qualified) % ORDER

    def as_json(self) -> dict[str, Any]:
        """The device's secrets (its file is private: ``zhili scrutiny key`` writes it 0600): the encryption
        scalar, each round's polynomial and the shares received. The person's signing key is not in it."""
        return {
            "person": "0x" + self.person.hex(),
            "enc_scalar": hex(self.enc_scalar),
            "enc_point": [hex(v) for v in self.enc_point],
            "deals": {f"{b}:{r}": {"coefficients": [hex(a) for a in d.coefficients], "ephemeral_scalar": hex(d.ephemeral_scalar)} for (b, r), d in self.deals.items()},
            "received": {f"{b}:{r}": {str(i): hex(v) for i, v in got.items()} for (b, r), got in self.received.items()},
        }

    @classmethod
    def from_json(cls, d: dict[str, Any], key: LocalAccount) -> Scrutineer:
        """A device read back from :meth:`as_json`, signing with ``key`` (the person's registered key)."""

        def poll(k: str) -> tuple[str, int]:
            box, _, r = k.rpartition(":")
            return to_checksum_address(box), int(r)

        deals = {}
        for k, v in d.get("deals", {}).items():
            coeffs = [int(a, 16) for a in v["coefficients"]]
            deals[poll(k)] = Deal(coeffs, [mul(GENERATOR, a) for a in coeffs], int(v["ephemeral_scalar"], 16))
        received = {poll(k): {int(i): int(x, 16) for i, x in v.items()} for k, v in d.get("received", {}).items()}
        scalar = int(d["enc_scalar"], 16)
        if not 0 < scalar < ORDER:
            raise ValueError("enc_scalar is out of range")
        return cls(bytes.fromhex(d["person"][2:]), key, scalar, deals, received)


def _pt(p: Sequence[int]) -> Point:
    return (int(p[0]), int(p[1]))


# ---------------------------------------------------------------------- the contract


@dataclass
class ScrutinyClient:
    """Drive a ``Scrutiny`` contract: panels, the key generation, the shares after the close and the count."""

    chain: Chain
    contract: Contract
    from_block: int = 0
    #: the block before each panel this client named or first read: its logs start there (a chain that
    #: finds logs by walking blocks, such as the embedded one, reads far fewer)
    panel_from: dict[tuple[str, int], int] = field(default_factory=dict)

    @classmethod
    def deploy(cls, chain: Chain, jurisdiction: Contract, persons: Contract, *, admin: Sender = None) -> ScrutinyClient:
        start = chain.w3.eth.block_number
        c = chain.deploy("Scrutiny", jurisdiction.address, persons.address, sender=chain.account(admin), label="scrutiny.deploy")
        return cls(chain, c, start)

    @classmethod
    def at(cls, chain: Chain, address: str, from_block: int = 0) -> ScrutinyClient:
        return cls(chain, chain.contract("Scrutiny", address), from_block)

    # ---- steps
    def set_encryption_key(self, s: Scrutineer) -> None:
        self.chain.transact(self.contract.functions.setEncryptionKey(s.person, list(s.enc_point)), s.key, label="scrutiny.setEncryptionKey")

    def panel_rule(self) -> tuple[int, int]:
        """``(members, threshold)`` of every panel: the jurisdiction profile's (R-EL-13)."""
        members, threshold = self.chain.call(self.contract.functions.panelRule())
        return int(members), int(threshold)

    def name_panel(self, box: str, round: int, members: Sequence[Scrutineer], threshold: int, sender: Sender) -> None:
        fn = self.contract.functions.namePanel(box, round, [m.person for m in members], threshold)
        start = int(self.chain.w3.eth.block_number)
        self.chain.transact(fn, sender, label="scrutiny.namePanel")
        self.panel_from[(box, round)] = start

    def _from(self, box: str, round: int) -> int:
        return self.panel_from.get((box, round), self.from_block)

    def members(self, box: str, round: int) -> list[bytes]:
        return [bytes(m) for m in self.chain.call(self.contract.functions.members(box, round))]

    def panel(self, box: str, round: int) -> dict[str, Any]:
        p = self.chain.call(self.contract.functions.panel(box, round))
        names = ("phase", "threshold", "dealBy", "complainBy", "answerBy", "qualified", "published", "key", "secret")
        out = dict(zip(names, p))
        out["key"] = _pt(out["key"])
        return out

    def poll_key(self, box: str, round: int) -> Point:
        key: Point = self.panel(box, round)["key"]
        return key

    def deal(self, s: Scrutineer, box: str, round: int, *, corrupt_for: int | None = None, deal: Deal | None = None) -> Deal:
        """Deal from ``s``'s device; ``corrupt_for`` (tests) sends that member a wrong share; ``deal``: a
        polynomial the device already saved (a resumed deal), else a fresh one."""
        fn, d = self.deal_call(s, box, round, corrupt_for=corrupt_for, deal=deal)
        self.chain.transact(fn, s.key, label="scrutiny.deal")
        return d

    def deal_call(self, s: Scrutineer, box: str, round: int, *, corrupt_for: int | None = None, deal: Deal | None = None) -> tuple[Any, Deal]:
        """:meth:`deal`'s call, not sent (the device keeps the polynomial): ``(contract call, deal)``."""
        me = self.members(box, round).index(s.person)
        threshold = int(self.panel(box, round)["threshold"])
        keys = [_pt(self.chain.call(self.contract.functions.encryptionKey(m))) for m in self.members(box, round)]
        d = deal if deal is not None else Deal.new(threshold)
        s.deals[(box, round)] = d
        enc = d.encrypted_shares(keys, box, round, me)
        if corrupt_for is not None:
            enc[corrupt_for] ^= 1
        fn = self.contract.functions.deal(box, round, me, [list(c) for c in d.commitments], list(mul(GENERATOR, d.ephemeral_scalar)), enc)
        return fn, d

    def dealt(self, box: str, round: int) -> dict[int, tuple[list[Point], Point, list[int]]]:
        """Each dealer's ``(commitments, ephemeral, encrypted shares)`` from ``SharesDealt`` events."""
        out = {}
        for ev in self.contract.events.SharesDealt().get_logs(from_block=self._from(box, round), argument_filters={"box": box, "round": round}):
            out[int(ev.args.dealer)] = ([_pt(c) for c in ev.args.commitments], _pt(ev.args.ephemeral), [int(x) for x in ev.args.encryptedShares])
        return out

    def receive(self, s: Scrutineer, box: str, round: int, dealt: dict[int, tuple[list[Point], Point, list[int]]] | None = None) -> list[int]:
        """On ``s``'s device: decrypt and verify every share dealt to it (``dealt``: :meth:`dealt`, read once
        for several members); returns the dealers whose share fails."""
        me = self.members(box, round).index(s.person)
        got = s.received.setdefault((box, round), {})
        bad = []
        for dealer, (commitments, ephemeral, enc) in (dealt if dealt is not None else self.dealt(box, round)).items():
            share = s.decrypt_share(ephemeral, enc[me], box, round, dealer, me)
            if mul(GENERATOR, share) == evaluate(commitments, me):
                got[dealer] = share
            else:
                bad.append(dealer)
        for ev in self.contract.events.ComplaintAnswered().get_logs(from_block=self._from(box, round), argument_filters={"box": box, "round": round}):
            if int(ev.args.accuser) == me:
                got[int(ev.args.dealer)] = int(ev.args.share)
        return bad

    def complain(self, s: Scrutineer, box: str, round: int, dealer: int) -> None:
        me = self.members(box, round).index(s.person)
        self.chain.transact(self.contract.functions.complain(box, round, me, dealer), s.key, label="scrutiny.complain")

    def answer(self, s: Scrutineer, box: str, round: int, accuser: int) -> None:
        me = self.members(box, round).index(s.person)
        d = s.deals[(box, round)]
        fn = self.contract.functions.answer(box, round, me, accuser, d.share(accuser), [list(c) for c in d.commitments])
        self.chain.transact(fn, s.key, label="scrutiny.answer")

    def complaints(self, box: str, round: int) -> list[tuple[int, int]]:
        """Open complaints ``(accuser, dealer)`` from the events (answered ones left out)."""
        start = self._from(box, round)
        made = [(int(e.args.accuser), int(e.args.dealer)) for e in self.contract.events.Complained().get_logs(from_block=start, argument_filters={"box": box, "round": round})]
        answered = {(int(e.args.accuser), int(e.args.dealer)) for e in self.contract.events.ComplaintAnswered().get_logs(from_block=start, argument_filters={"box": box, "round": round})}
        return [c for c in made if c not in answered]

    def fix_key(self, box: str, round: int, sender: Sender, dealt: dict[int, tuple[list[Point], Point, list[int]]] | None = None) -> Point:
        n = len(self.members(box, round))
        dealt = dealt if dealt is not None else self.dealt(box, round)
        commitments = [[list(c) for c in dealt[i][0]] if i in dealt else [] for i in range(n)]
        self.chain.transact(self.contract.functions.fixKey(box, round, commitments), sender, label="scrutiny.fixKey")
        return self.poll_key(box, round)

    def qualified(self, box: str, round: int) -> list[int]:
        q = int(self.panel(box, round)["qualified"])
        return [i for i in range(16) if q >> i & 1]

    def publish_share(self, s: Scrutineer, box: str, round: int) -> None:
        me = self.members(box, round).index(s.person)
        share = s.key_share(box, round, self.qualified(box, round))
        self.chain.transact(self.contract.functions.publishShare(box, round, me, share), s.key, label="scrutiny.publishShare")

    def sealed_batches(self, box: Contract, round: int) -> dict[int, list[tuple[str, Ciphertext]]]:
        """Each batch's ``(credential, ciphertext)`` list, in order, from the box's ``BallotSealed`` events."""
        out: dict[int, list[tuple[str, Ciphertext]]] = {}
        logs = box.events.BallotSealed().get_logs(from_block=self._from(box.address, round), argument_filters={"round": round})
        for ev in sorted(logs, key=lambda e: (e.blockNumber, e.logIndex)):
            out.setdefault(int(ev.args.batch), []).append((to_checksum_address(ev.args.credential), Ciphertext(int(ev.args.rx), int(ev.args.ry), int(ev.args.masked))))
        return out

    def count(self, box: Contract, round: int, sender: Sender) -> int:
        """Decrypt and count every batch not yet counted (anyone, once the secret is public); returns batches counted."""
        done = {int(e.args.batch) for e in box.events.SealedBatchCounted().get_logs(from_block=self._from(box.address, round), argument_filters={"round": round})}
        counted = 0
        for batch, entries in self.sealed_batches(box, round).items():
            if batch in done:
                continue
            fn = self.contract.functions.count(box.address, round, batch, [c for c, _ in entries], [ct.as_tuple() for _, ct in entries])
            receipt = self.chain.transact(fn, sender, label="scrutiny.count")
            self.chain.gas_used.setdefault("election.sealed.count.per_ballot", []).append(int(receipt["gasUsed"]) // len(entries))
            counted += 1
        return counted

    def retally(self, box: Contract, round: int) -> tuple[list[int], int]:
        """Anyone's re-tally from chain data alone: the published secret, the ciphertexts, the round's rules.
        Returns ``(votes per candidate, invalid ballots)``."""
        secret = int(self.panel(box.address, round)["secret"])
        rnd = self.chain.call(box.functions.getRound(round))
        candidates, max_names = int(rnd[1]), int(rnd[2])
        votes, invalid = [0] * candidates, 0
        for entries in self.sealed_batches(box, round).values():
            for cred, ct in entries:
                mask = decrypt_ballot(secret, ct, box.address, round, cred)
                if not valid_mask(mask, candidates, max_names):
                    invalid += 1
                    continue
                assert mask is not None
                for k in range(candidates):
                    votes[k] += mask >> k & 1
        return votes, invalid

    def run_key_generation(self, box: str, round: int, members: Sequence[Scrutineer], threshold: int, authority: Sender, relayer: Sender) -> Point:
        """A whole key generation with honest members (tests, scenarios, demo): keys set if need be, the panel
        named, every member deals, receives and verifies, the windows pass, the key is fixed."""
        for m in members:
            if self.chain.call(self.contract.functions.encryptionKey(m.person))[0] == 0:
                self.set_encryption_key(m)
        self.name_panel(box, round, members, threshold, authority)
        for m in members:
            self.deal(m, box, round)
        dealt = self.dealt(box, round)
        for m in members:
            self.receive(m, box, round, dealt)
        self.chain.wait_until(int(self.panel(box, round)["answerBy"]))
        return self.fix_key(box, round, relayer, dealt)

    def open_count(self, box: Contract, round: int, members: Sequence[Scrutineer], relayer: Sender) -> None:
        """After the close: ``threshold`` members publish their shares, then everything is counted."""
        threshold = int(self.panel(box.address, round)["threshold"])
        for m in members[:threshold]:
            self.publish_share(m, box.address, round)
        self.count(box, round, relayer)


__all__ = [
    "GENERATOR",
    "ORDER",
    "Ciphertext",
    "Deal",
    "EncryptedBallot",
    "Scrutineer",
    "ScrutinyClient",
    "decrypt_ballot",
    "encrypt_ballot",
    "evaluate",
    "interpolate",
    "seal_to_key",
    "valid_mask",
]
