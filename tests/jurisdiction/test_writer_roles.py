"""Writer roles only for zhili contracts bound to the jurisdiction (issue 17, admin powers; R-EL-11).

The attack before: the jurisdiction's admin (kept by the deployer) granted itself ``OFFICE_WRITER`` and
seated anyone by hand; the merit book's admin granted itself ``LEDGER_WRITER`` and wrote entries; the
registry's admin granted itself ``RECORD_WRITER`` and blacklisted without a case. ``WriterAccess``
(contracts/base/) refuses a writer role to an account without code (``WriterNotContract``) and to a
contract that does not name the granting contract through its binding getter (``WriterNotBound``). Both
chains."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_utils import keccak
from web3.contract import Contract

from chain_kit import revert, snapshot_world
from zhili.core.chain import Chain
from zhili.testing import HandSeater, Staff, World
from zhili.types import Office, Role

ZERO = "0x" + "00" * 20


class Worlds:
    """This township with team completion and the merit contracts; a second township on its own
    registry (a zhili jurisdiction of another province) with its merit contracts."""

    def __init__(self, chain: Chain) -> None:
        self.here = World.build(chain, people=6, seed="writers", team=True, merit=True)
        self.there = World.build(chain, code="330110-002", name="瓶窑镇", people=6, seed="writers there", merit=True)

    @property
    def book(self) -> Contract:
        return self.here.merit.book


@pytest.fixture
def worlds(session_chain: Chain) -> Iterator[Worlds]:
    yield from snapshot_world(session_chain, "writer roles", Worlds)


def _targets(w: Worlds) -> list[tuple[Contract, bytes]]:
    """Every writer role with the contract that grants it."""
    j = w.here.jurisdiction
    return [(j, Role.OFFICE_WRITER), (j, Role.SUCCESSION_WRITER), (j, Role.POLL_CLIENT), (w.here.persons, Role.RECORD_WRITER), (w.book, Role.LEDGER_WRITER)]


def _has(chain: Chain, target: Contract, role: bytes, account: str) -> bool:
    return bool(chain.call(target.functions.hasRole(role, account)))


def test_admin_cannot_take_a_writer_role_or_give_it_to_a_key(worlds: Worlds) -> None:
    # issue 17 attack: the admin grants itself (or any key) a writer role and writes by hand
    w = worlds.here
    ch = w.chain
    for target, role in _targets(worlds):
        assert ch.call(target.functions.hasRole(b"\0" * 32, w.address(Staff.ADMIN)))  # the admin of each
        for who in (Staff.ADMIN, Staff.RELAYER):
            account = w.address(who)
            err = revert(ch.transact, target.functions.grantRole(role, account), Staff.ADMIN)
            assert err.error == "WriterNotContract" and err.rule == "R-EL-11"
            assert err.args_by_name["role"] == role and err.args_by_name["account"].lower() == account.lower()
            assert not _has(ch, target, role, account)
    # so the admin still cannot seat, blacklist or write an entry itself
    assert revert(ch.transact, w.jurisdiction.functions.seat(int(Office.SECRETARY), w.ids[0]), Staff.ADMIN).error == "AccessControlUnauthorizedAccount"
    assert revert(ch.transact, w.persons.functions.blacklist(w.ids[0], keccak(text="no case")), Staff.ADMIN).error == "AccessControlUnauthorizedAccount"
    assert revert(ch.transact, worlds.book.functions.append(w.ids[0], 1, 4, 60, keccak(text="no case")), Staff.ADMIN).error == "AccessControlUnauthorizedAccount"
    assert w.holder(Office.SECRETARY) is None and not ch.call(w.persons.functions.isBlacklisted(w.ids[0]))


def test_roles_of_people_and_bodies_are_granted_to_keys_as_before(worlds: Worlds) -> None:
    # the external roles (SPEC section 0), the secretariat and the registrar stay with people and bodies
    w = worlds.here
    ch, key = w.chain, w.address(Staff.RELAYER)
    for target, role in ((w.jurisdiction, Role.AUDITOR), (w.jurisdiction, Role.SECRETARIAT), (w.persons, Role.REGISTRAR)):
        ch.transact(target.functions.grantRole(role, key), Staff.ADMIN)
        assert _has(ch, target, role, key)


def test_a_contract_of_another_jurisdiction_or_registry_is_refused(worlds: Worlds) -> None:
    # a real zhili contract, but bound elsewhere: the other township's succession order and merit
    # ledger (their `jurisdiction()`, `persons()`, `book()` name the other township's contracts)
    here, there = worlds.here, worlds.there
    ch = here.chain
    cases = [
        (here.jurisdiction, Role.OFFICE_WRITER, there.merit.succession.address, there.jurisdiction.address),
        (here.jurisdiction, Role.SUCCESSION_WRITER, there.merit.ledger.address, there.jurisdiction.address),
        (here.persons, Role.RECORD_WRITER, there.merit.ledger.address, there.persons.address),
        (worlds.book, Role.LEDGER_WRITER, there.merit.ledger.address, there.merit.book.address),
        # the test-only hand seater of the other township, bound to its jurisdiction and registry, no book
        (here.jurisdiction, Role.OFFICE_WRITER, there.hand.address, there.jurisdiction.address),
        (here.persons, Role.RECORD_WRITER, there.hand.address, there.persons.address),
        (worlds.book, Role.LEDGER_WRITER, here.hand.address, ZERO),
        # a contract without the getter: refused cleanly, bound to nothing
        (here.jurisdiction, Role.POLL_CLIENT, worlds.book.address, ZERO),
        (here.persons, Role.RECORD_WRITER, here.jurisdiction.address, ZERO),
    ]
    for target, role, account, bound in cases:
        err = revert(ch.transact, target.functions.grantRole(role, account), Staff.ADMIN)
        assert err.error == "WriterNotBound" and err.rule == "R-EL-11", (role, account)
        assert err.args_by_name["role"] == role and err.args_by_name["account"].lower() == account.lower()
        assert err.args_by_name["boundTo"].lower() == bound.lower()
        assert not _has(ch, target, role, account)


def test_the_grants_of_a_deployment_go_through(worlds: Worlds) -> None:
    # what the deployment plan (and the domain clients it mirrors, tests/deploy/test_deploy.py WIRING)
    # grants: each writer role to a zhili contract bound here
    w = worlds.here
    ch, j, p, m, t = w.chain, w.jurisdiction, w.persons, w.merit, w.team.contract
    granted = [
        (j, Role.OFFICE_WRITER, t.address), (j, Role.POLL_CLIENT, t.address), (p, Role.RECORD_WRITER, t.address),
        (j, Role.OFFICE_WRITER, m.succession.address), (p, Role.RECORD_WRITER, m.succession.address),
        (j, Role.SUCCESSION_WRITER, m.ledger.address), (p, Role.RECORD_WRITER, m.ledger.address), (worlds.book, Role.LEDGER_WRITER, m.ledger.address),
    ]  # fmt: skip
    for target, role, account in granted:
        assert _has(ch, target, role, account), (role, account)
        (ev,) = [e for e in target.events.RoleGranted().get_logs(from_block=0) if e.args.role == role and e.args.account == account]
        assert ev.args.sender == w.address(Staff.ADMIN)
    # an election (and its term's grants) deployed after the plan: the same check lets it through
    e = w.election(term=2)
    assert _has(ch, j, Role.OFFICE_WRITER, e.contract.address) and _has(ch, p, Role.RECORD_WRITER, e.contract.address)
    # and the test kits' stand-in, bound here, once the admin grants it
    hand = HandSeater.deploy(ch, j, p, worlds.book, operator=Staff.RELAYER)
    for target, role in _targets(worlds):
        hand.grant(target, role, Staff.ADMIN)
        assert _has(ch, target, role, hand.address)
    hand.seat(Office.SECRETARY, w.ids[0])
    assert w.holder(Office.SECRETARY) == w.ids[0]
    assert revert(ch.transact, hand.contract.functions.seat(int(Office.CONGRESS), w.ids[1]), Staff.ADMIN).error == "NotOperator"
