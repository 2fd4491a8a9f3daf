"""Gas of the village credit scheme (SPEC §9, issue 18): one declaration, verification per item in a
batch, a quarter's publication per person, grading per person, and a two-party redemption.

A village of ``n`` persons (default 100) runs a year on the chain given: the list adopted in January,
declarations from April, the four quarters published and final, grades, a credit claim and one
redemption. Figures are gas of whole transactions; the per-person and per-item figures divide a
batch's transaction by its size (the issue's goals: a declaration ≤ 60,000, verification ≤ 25,000
per item in batches, a quarter's publication for 1,000 persons ≤ 30 M in total).
"""

from __future__ import annotations

import calendar as calendar_mod
import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.contract.contract import ContractFunction

from ..calendar.client import CalendarClient
from ..core import eip712
from ..core.chain import Chain
from ..core.workdays import YearMap
from ..testing import Staff, World, contract_colours, identity_of, person_of
from ..village.client import BATCH, COUNCIL, KEEPER, PARTY, REPRESENTATIVE, SECRETARY, Colour, month_index, month_label

CST = dt.timezone(dt.timedelta(hours=8))
VERIFY_BATCH = 50


def _at(chain: Chain, year: int, month: int, day: int) -> None:
    target = int(dt.datetime(year, month, day, 10, tzinfo=CST).timestamp())
    if target > chain.now():
        chain.wait_until(target)


def _publish_made_up_year(chain: Chain, calendar: CalendarClient, year: int) -> None:
    """A made-up calendar for a year the library does not cover (bench only): Monday to Friday,
    without the first ten weekdays of February (a Spring Festival's shape)."""
    if calendar.is_published(year):
        return
    days = [dt.date(year, 1, 1) + dt.timedelta(d) for d in range(366 if calendar_mod.isleap(year) else 365)]
    weekdays = [d for d in days if d.weekday() < 5]
    february = [d for d in weekdays if d.month == 2][:10]
    ym = YearMap.from_workdays(year, set(weekdays) - set(february))
    chain.transact(calendar.contract.functions.publish(year, ym.low, ym.high, keccak(text=f"bench: made-up calendar {year}")))


def village_gas(chain: Chain, n: int = 100) -> dict[str, int]:
    year = dt.datetime.fromtimestamp(chain.now(), CST).year
    # functions: 0 secretary, 1-3 team 1..3, 4-6 representatives, 7-9 council, 10 keeper; active persons 0..11 get gas
    roll = {0: (SECRETARY | PARTY, 0), 1: (PARTY, 1), 2: (0, 2), 3: (0, 3), 4: (REPRESENTATIVE, 0), 5: (REPRESENTATIVE, 0), 6: (REPRESENTATIVE, 0),
            7: (COUNCIL, 0), 8: (COUNCIL, 0), 9: (COUNCIL, 0), 10: (KEEPER, 0)}  # fmt: skip
    w = World.build(chain, code="371003-101", name="bench town", people=n, seed="bench village", fund=0, village=True, village_roll={i: roll.get(i, (0, 0)) for i in range(n)})
    _publish_made_up_year(chain, w.calendar, year + 1)
    v, profile, ids = w.village, w.village_profile, w.ids
    keys = [w.signer(i) for i in range(n)]
    for acct in keys[:12]:
        chain.fund(acct.address, 10**18)
    for i in range(12):
        v.sign_contract(ids[i], year, Colour.BLUE, keccak(text="自治契约"), keys[i], relayer=0)
    version = v.propose_profile_list(profile, keys[0])
    for i in (4, 5):  # two of three: more than half (R-VC-2)
        v.vote_list(version, True, keys[i])
    apr = month_index(year, 4)
    _at(chain, year, 4, 6)  # the declarations are for the 3rd, a day that has come (R-VC-5)
    team = v.open_month(apr).team
    verifier = keys[team]  # persons 1..3 are teams 1..3
    chain.gas_used.pop("village.declare", None)
    decls = [v.declare(apr, 1 + (k % 19), 3, keccak(text=f"evidence {k}"), keys[4 + k % 8]) for k in range(VERIFY_BATCH)]
    declare = sorted(chain.gas_used["village.declare"])[len(decls) // 2]  # the median declaration
    chain.gas_used.pop("village.verify", None)
    v.verify(decls, True, verifier)
    verify = chain.gas_used["village.verify"][-1]
    q1 = (year - 1970) * 4
    council = keys[8]
    chain.gas_used.pop("village.publish", None)
    for k, (m, d) in enumerate(((4, 20), (7, 15), (10, 15), (13, 15))):
        _at(chain, year + (m - 1) // 12, (m - 1) % 12 + 1, d)
        qi = v.publish(q1 + k, council, batch=n)
        chain.wait_until(qi.deadline + 1)
        v.finalize(q1 + k)
    publish = chain.gas_used["village.publish"][1]  # the quarter with declarations
    chain.gas_used.pop("village.grade", None)
    v.grade(year, list(range(1, 13)))
    grade = chain.gas_used["village.grade"][-1]
    v.claim(year, ids[5])
    chain.gas_used.pop("village.redeem", None)
    v.redeem(ids[5], ids[10], 1, 1, keys[5], keys[10])
    return {
        "declare": declare,
        "verify": verify // VERIFY_BATCH,
        "verify.batch50": verify,
        "publish_quarter": publish // n,
        f"publish_quarter.{n}": publish,
        "grade.per_person": grade // 12,
        "redeem": chain.gas_used["village.redeem"][-1],
    }


# ---------------------------------------------------------------------------- a village's year at scale


class _Blocks:
    """Transactions signed ahead and mined in full blocks, as a relayer or the town's office sends many
    at once; a chain that mines each transaction itself (embedded) takes them one by one.

    Each transaction has a fixed gas limit (no estimate): a block holds transactions whose limits add
    up to ``block_gas``. A failed transaction raises. Gas is booked in ``chain.gas_used`` by label.
    On anvil the base fee of each block is held at the one the run began with (a run of full blocks
    would raise it 12.5 % a block, past what the villagers' gas money covers; a consortium chain
    prices gas by configuration, not by demand); gas used is the same either way.
    """

    def __init__(self, chain: Chain, block_gas: int = 25_000_000) -> None:
        self.chain, self.w3, self.block_gas = chain, chain.w3, block_gas
        self.nonces: dict[str, int] = {}
        self.queue: list[tuple[str, LocalAccount, dict[str, Any]]] = []
        self.batched = chain.kind == "anvil"
        self.base_fee = int(self.w3.eth.get_block("latest").get("baseFeePerGas", 0))
        self.fees = {"maxFeePerGas": 2 * self.base_fee + 10**9, "maxPriorityFeePerGas": 10**9}

    def add(self, label: str, fn: ContractFunction | None, sender: LocalAccount, gas: int, *, to: str | None = None, value: int = 0) -> None:
        a = sender.address
        if a not in self.nonces:
            self.nonces[a] = int(self.w3.eth.get_transaction_count(a, "pending"))
        tx = {"to": to or fn.address, "data": fn._encode_transaction_data() if fn is not None else "0x", "value": value,  # type: ignore[union-attr]
              "gas": gas, "nonce": self.nonces[a], "chainId": self.chain.chain_id, "type": 2, **self.fees}  # fmt: skip
        self.nonces[a] += 1
        self.queue.append((label, sender, tx))

    def flush(self) -> None:
        queue, self.queue = self.queue, []
        self.nonces.clear()  # the senders may send through Chain.transact before the next batch
        if not self.batched:
            for label, sender, tx in queue:
                h = self.w3.eth.send_raw_transaction(sender.sign_transaction(tx).raw_transaction)
                self._book(label, self.w3.eth.wait_for_transaction_receipt(h, timeout=120), tx)
            return
        self.w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
        try:
            start = 0
            while start < len(queue):
                end, gas = start, 0
                while end < len(queue) and (end == start or gas + queue[end][2]["gas"] <= self.block_gas):
                    gas += queue[end][2]["gas"]
                    end += 1
                chunk = queue[start:end]
                hashes = {bytes(self.w3.eth.send_raw_transaction(s.sign_transaction(tx).raw_transaction)): (label, tx) for label, s, tx in chunk}
                while hashes:
                    self.w3.provider.make_request("anvil_setNextBlockBaseFeePerGas", [hex(self.base_fee)])  # type: ignore[arg-type]
                    self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
                    receipts = self.w3.eth.get_block_receipts("latest")
                    if not receipts:
                        raise RuntimeError(f"{len(hashes)} transactions were not mined")
                    for rc in receipts:
                        label, tx = hashes.pop(bytes(rc["transactionHash"]))
                        self._book(label, rc, tx)
                start = end
        finally:
            self.w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]

    def _book(self, label: str, rc: Any, tx: dict[str, Any]) -> None:
        if rc["status"] != 1:
            raise self.chain._replay_failure(tx, rc)
        self.chain.gas_used.setdefault(label, []).append(int(rc["gasUsed"]))


def _roll(n: int) -> dict[int, tuple[int, int]]:
    """Village functions and teams of a village of ``n`` (n ≥ 16): 4 % party members (person 0 the
    secretary), one representative in 40, the credit council (5, or 3 in a small village), the shop
    keeper; teams of 7 (2 in a small village): party members, cadres (persons after the keeper),
    representatives (R-VC-6). Everyone else is a villager with no function."""
    big = n >= 200
    party, reps, council, team = max(2, n // 25), max(3, n // 40), 5 if big else 3, 7 if big else 2
    roll: dict[int, tuple[int, int]] = {i: (PARTY, 0) for i in range(party)}
    roll[0] = (SECRETARY | PARTY, 0)
    roll |= {i: (REPRESENTATIVE, 0) for i in range(party, party + reps)}
    c0 = party + reps
    roll |= {i: (COUNCIL, 0) for i in range(c0, c0 + council)}
    keeper = c0 + council
    roll[keeper] = (KEEPER, 0)
    if keeper + team >= n:
        raise ValueError(f"a village year needs more than {keeper + team} persons, not {n}")
    for t, members in ((1, range(team)), (2, range(keeper + 1, keeper + 1 + team)), (3, range(party, party + team))):
        for i in members:
            roll[i] = (roll.get(i, (0, 0))[0], t)
    return roll


def village_year(
    chain: Chain, persons: int = 1_500, *, declarations: int = 2, negatives: int | None = None, redemptions: int | None = None,
    objections: int = 2, progress: Callable[[str], None] = lambda s: None,
) -> dict[str, Any]:  # fmt: skip
    """A village of ``persons`` through a calendar year (issue 18's scale run): enrolment (registered in
    the province registry, functions recorded by the town, contracts signed and relayed), then each
    month every person declares ``declarations`` items, the team on duty verifies them in batches (one
    in ten rejected) and records ``negatives`` negative items (default: one person in 15); each quarter
    published in rank order with ``objections`` objections (one upheld, the others rejected by the
    council's majority) and made final; then everyone graded, every villager's credit claimed, and
    ``redemptions`` (default: one person in five) two-party redemptions at the supermarket.

    The year is the chain's next (its list adopted now, in force from the next quarter); 12 months of
    declarations. Transactions of many senders are signed ahead and mined in full blocks (``_Blocks``).
    Returns gas and wall time of the enrolment, the year and the whole run, and per-item figures."""
    t_start = time.monotonic()
    first_block = int(chain.w3.eth.block_number) + 1
    negatives = persons // 15 if negatives is None else negatives
    redemptions = persons // 5 if redemptions is None else redemptions
    year = dt.datetime.fromtimestamp(chain.now(), CST).year + 1
    w = World.build(chain, name="bench town", code="371003-101", people=0, fund=0, village=True, village_roll={})
    for y in (year, year + 1):
        _publish_made_up_year(chain, w.calendar, y)
    v, prof = w.village, w.village_profile
    town, relayer, admin = w.account(Staff.TOWN), w.account(Staff.RELAYER), w.account(Staff.ADMIN)
    # ---- enrolment: registered, funded, functions recorded, contracts signed (relayed)
    roll = _roll(persons)
    people = [person_of("village-year", i) for i in range(persons)]
    ids = [pid for pid, _ in people]
    keys = [k for _, k in people]
    b = _Blocks(chain)
    for i, (pid, key) in enumerate(people):
        b.add("persons.register", w.persons.functions.register(pid, key.address, identity_of("village-year", i)), admin, 190_000)
        b.add("fund", None, admin, 21_000, to=key.address, value=10**18)
    b.flush()
    for i in range(persons):
        functions, team = roll.get(i, (0, 0))
        b.add("village.set_member", v.ledger.functions.setMember(ids[i], functions, team), town, 150_000)
    b.flush()
    signatures = 0
    for i in range(persons):
        for colour in contract_colours(roll.get(i, (0, 0))[0]):
            duties = keccak(text=f"{colour.name.lower()} contract {year}")
            sig = eip712.sign(keys[i], v.contract_typed(ids[i], year, colour, duties))
            b.add("village.sign_contract", v.ledger.functions.signContract(ids[i], year, int(colour), duties, sig), relayer, 150_000)
            signatures += 1
    b.flush()
    secretary = keys[0]
    version = v.propose_profile_list(prof, secretary)
    reps = [i for i, (f, _) in roll.items() if f & REPRESENTATIVE]
    for i in reps[: len(reps) // 2 + 1]:
        v.vote_list(version, True, keys[i])
    setup_seconds = time.monotonic() - t_start
    setup_block = int(chain.w3.eth.block_number)
    progress(f"{persons} persons enrolled, {signatures} contracts signed in {setup_seconds:.0f} s")
    # ---- the year
    t_year = time.monotonic()
    booked = {label: len(gas) for label, gas in chain.gas_used.items()}

    def year_gas(label: str) -> list[int]:
        return chain.gas_used.get(label, [])[booked.get(label, 0) :]

    team_of = {t: [i for i, (_, tt) in roll.items() if tt == t] for t in (1, 2, 3)}
    council = [i for i, (f, _) in roll.items() if f & COUNCIL]
    keeper = next(i for i, (f, _) in roll.items() if f & KEEPER)
    positives = prof.positives
    credit_negatives = [prof.chain_code(c) for c in ("N06", "N07", "N08", "N09", "N10", "N11")]
    counts = {"declarations": 0, "accepted": 0, "rejected": 0, "negatives": 0, "objections": 0, "upheld": 0}
    pending_quarter: tuple[int, int] | None = None

    def publish(quarter: int) -> tuple[int, int]:
        c = keys[council[0]]
        q = v.publish(quarter, c)
        for k in range(objections):
            subject, objector = persons - 1 - k, persons - 1 - objections - k
            oid = v.object(quarter, ids[subject], 0, keccak(text=f"objection {quarter} {k}"), keys[objector])
            uphold = k == 0
            for m in council[: len(council) // 2 + 1]:
                v.rule(oid, uphold, 2 if uphold else 0, 10 if uphold else 0, keccak(text=f"ruling {oid}"), keys[m])
            counts["objections"] += 1
            counts["upheld"] += uphold
        return quarter, q.deadline

    for month_of_year in range(1, 13):
        mi = month_index(year, month_of_year)
        _at(chain, year, month_of_year, 20)
        if month_of_year in (4, 7, 10):
            pending_quarter = publish(mi // 3 - 1)
        mo = v.open_month(mi)
        on_duty = team_of[mo.team]
        ids_month: list[int] = []
        for i in range(persons):
            for j in range(declarations):
                code, day = 1 + (2 * i + j + month_of_year) % positives, 3 + 9 * j
                b.add("village.declare", v.ledger.functions.declare(mi, code, day, keccak(text=f"evidence {i} {mi} {j}")), keys[i], 110_000)
                ids_month.append((i + 1) << 64 | mi << 32 | code << 8 | day)  # VillageLedger.declarationId: idx is i + 1
        b.flush()
        counts["declarations"] += len(ids_month)
        own = [d for d in ids_month if (d >> 64) - 1 == on_duty[0]]
        rest = [d for d in ids_month if (d >> 64) - 1 != on_duty[0]]
        for verifier, batch_ids in ((on_duty[0], rest), (on_duty[1], own)):
            for s in range(0, len(batch_ids), BATCH):
                part = batch_ids[s : s + BATCH]
                accept = [(s + k) % 10 != 9 for k in range(len(part))]
                counts["accepted"] += sum(accept)
                counts["rejected"] += len(part) - sum(accept)
                b.add("village.verify", v.ledger.functions.verify(part, accept), keys[verifier], 60_000 + 30_000 * len(part))
        for k in range(negatives):
            subject = (month_of_year * 97 + k * 13) % persons
            recorder = on_duty[0] if subject != on_duty[0] else on_duty[1]
            code = credit_negatives[k % len(credit_negatives)]
            b.add("village.record", v.ledger.functions.recordNegative(ids[subject], mi, code, 5, keccak(text=f"negative {subject} {mi}")), keys[recorder], 150_000)
        counts["negatives"] += negatives
        b.flush()
        if pending_quarter is not None:
            chain.wait_until(pending_quarter[1] + 1)
            v.finalize(pending_quarter[0])
            pending_quarter = None
        progress(f"{month_label(mi)}: {len(ids_month)} declarations verified, {negatives} negative items")
    _at(chain, year + 1, 1, 20)
    quarter, deadline = publish(month_index(year, 12) // 3)
    chain.wait_until(deadline + 1)
    v.finalize(quarter)
    everyone = list(range(1, persons + 1))
    for s in range(0, persons, 100):
        b.add("village.grade", v.quarters.functions.grade(year, everyone[s : s + 100]), relayer, 12_000_000)
    b.flush()
    for pid in ids:
        b.add("village.claim", v._market.functions.claim(year, pid), relayer, 150_000)
    b.flush()
    item = 1
    buyers = [i for i in range(persons) if i != keeper][:redemptions]
    v.restock(item, len(buyers), town)
    kid = ids[keeper]
    for i in buyers:
        ps = v.sign_redemption(ids[i], kid, item, 1, 0, keys[i])
        ks = v.sign_redemption(ids[i], kid, item, 1, 0, keys[keeper])
        b.add("village.redeem", v._market.functions.redeem(ids[i], kid, item, 1, 0, ps, ks), keys[keeper], 200_000)
    b.flush()
    year_seconds = time.monotonic() - t_year
    wall = time.monotonic() - t_start
    # ---- what it cost: every block of the run
    last = int(chain.w3.eth.block_number)
    gas_setup = gas_year = txs = year_txs = 0
    for n in range(first_block, last + 1):
        blk = chain.w3.eth.get_block(n)
        txs += len(blk["transactions"])
        if n <= setup_block:
            gas_setup += int(blk["gasUsed"])
        else:
            gas_year += int(blk["gasUsed"])
            year_txs += len(blk["transactions"])
    annual = [v.annual(year, i) for i in (1, persons // 2, persons)]
    if not all(a.graded for a in annual):
        raise RuntimeError(f"not graded: {annual}")
    if buyers and v.account(ids[buyers[-1]]).nonce != 1:
        raise RuntimeError("the last redemption was not booked")
    publications = year_gas("village.publish")
    return {
        "persons": persons,
        "year": year,
        "declarations": counts["declarations"],
        "accepted": counts["accepted"],
        "rejected": counts["rejected"],
        "negative_items": counts["negatives"],
        "objections": counts["objections"],
        "upheld": counts["upheld"],
        "contracts": signatures,
        "redemptions": len(buyers),
        "gas_total": gas_setup + gas_year,
        "transactions": txs,
        "year_transactions": year_txs,
        "wall_seconds": round(wall, 1),
        "setup_gas": gas_setup,
        "setup_seconds": round(setup_seconds, 1),
        "year_gas": gas_year,
        "year_seconds": round(year_seconds, 1),
        "declarations_per_second": round(counts["declarations"] / year_seconds, 1),
        "gas_per_person_year": gas_year // persons,
        "transactions_per_person_year": round(year_txs / persons),
        "gas_per_declaration": int(statistics.median(year_gas("village.declare"))),
        "gas_per_verified_item": sum(year_gas("village.verify")) // counts["declarations"],
        "gas_per_negative_item": int(statistics.median(year_gas("village.record"))) if negatives else 0,
        "gas_per_person_publication": sum(publications) // (4 * persons),
        "publish_quarter_gas": sum(publications) // 4,
        "gas_per_person_grade": sum(year_gas("village.grade")) // persons,
        "gas_per_claim": int(statistics.median(year_gas("village.claim"))),
        "gas_per_redemption": int(statistics.median(year_gas("village.redeem"))) if buyers else 0,
    }
