"""Sign-In with Ethereum (zhili.core.auth, EIP-4361 through `siwe`) without a chain: the message names
the server, the chain and the ledger; nonces are single-use and expire; a message not issued by this
server, a wrong signer or a lost role is refused; sessions expire and end; the client refuses to sign
a message naming another server, chain, ledger or address."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak

from zhili.core.auth import AuthError, LoginRefused, Realm, SiweAuth, check_before_signing, ledger_resource

LEDGER = "0x" + "ab" * 20
REALM = Realm("http://127.0.0.1:8645", 31337, LEDGER)
ALICE = Account.from_key(keccak(text="alice"))
MALLORY = Account.from_key(keccak(text="mallory"))


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


def sign(account, message: str) -> str:  # type: ignore[no-untyped-def]
    return str(account.sign_message(encode_defunct(text=message)).signature.to_0x_hex())


def auth(roles: set[str] | None = None, clock: Clock | None = None) -> SiweAuth:
    holders = {ALICE.address} if roles is None else roles
    return SiweAuth(REALM, lambda a: a in holders, role="AUDITOR", clock=clock or Clock())


def test_the_message_names_server_chain_and_ledger_and_logs_in_once() -> None:
    a = auth()
    ch = a.challenge(ALICE.address.lower())  # any case of an address; the message carries its checksum form
    msg = ch["message"]
    assert msg.startswith("http://127.0.0.1:8645 wants you to sign in with your Ethereum account:\n" + ALICE.address + "\n")
    for line in ("URI: http://127.0.0.1:8645", "Chain ID: 31337", f"Nonce: {ch['nonce']}", f"- {ledger_resource(LEDGER, 31337)}", "Expiration Time: "):
        assert line in msg
    m = check_before_signing(msg, address=ALICE.address, uri="http://127.0.0.1:8645", chain_id=31337, ledger=LEDGER)
    assert m.nonce == ch["nonce"]
    s = a.login(msg, sign(ALICE, msg))
    assert s.address == ALICE.address and a.session(s.token) == ALICE.address
    with pytest.raises(AuthError) as e:  # replay of the same signed message: the nonce is spent
        a.login(msg, sign(ALICE, msg))
    assert (e.value.status, e.value.reason) == (403, "unknown-nonce")


@pytest.mark.parametrize(
    ("uri", "chain_id", "ledger", "address", "why"),
    [
        ("http://127.0.0.1:9999", 31337, LEDGER, ALICE.address, "names the server http://127.0.0.1:8645"),
        ("https://127.0.0.1:8645", 31337, LEDGER, ALICE.address, "names the server http://"),
        ("http://127.0.0.1:8645", 1, LEDGER, ALICE.address, "names chain 31337, not 1"),
        ("http://127.0.0.1:8645", 31337, "0x" + "cd" * 20, ALICE.address, "does not name the ledger"),
        ("http://127.0.0.1:8645", 31337, LEDGER, MALLORY.address, f"is for {ALICE.address}"),
    ],
)
def test_the_client_refuses_to_sign_for_another_server_chain_ledger_or_address(uri: str, chain_id: int, ledger: str, address: str, why: str) -> None:
    msg = auth().challenge(ALICE.address)["message"]
    with pytest.raises(LoginRefused, match=why):
        check_before_signing(msg, address=address, uri=uri, chain_id=chain_id, ledger=ledger)


def test_the_client_refuses_garbage_and_expired_messages() -> None:
    with pytest.raises(LoginRefused, match="not an EIP-4361"):
        check_before_signing("sign this: transfer everything", address=ALICE.address, uri=REALM.uri, chain_id=31337, ledger=LEDGER)
    old = REALM.message(ALICE.address, "0123456789abcdef", 1_000_000_000, 1_000_000_300)  # 2001
    with pytest.raises(LoginRefused, match="expired"):
        check_before_signing(old, address=ALICE.address, uri=REALM.uri, chain_id=31337, ledger=LEDGER)


def test_the_server_refuses_messages_it_did_not_issue_wrong_signers_expiry_and_no_role() -> None:
    clock = Clock()
    a = auth(clock=clock)
    # a message for a live nonce, edited to name another server (a relay): not the one issued
    ch = a.challenge(ALICE.address)
    forged = ch["message"].replace("127.0.0.1:8645", "127.0.0.1:9999")
    with pytest.raises(AuthError) as e:
        a.login(forged, sign(ALICE, forged))
    assert e.value.reason == "not-issued"
    # the nonce was spent by that attempt: the genuine message no longer logs in
    with pytest.raises(AuthError, match="used"):
        a.login(ch["message"], sign(ALICE, ch["message"]))
    # signed by another key than the address in the message
    ch = a.challenge(ALICE.address)
    with pytest.raises(AuthError) as e:
        a.login(ch["message"], sign(MALLORY, ch["message"]))
    assert (e.value.status, e.value.reason) == (403, "bad-signature")
    ch = a.challenge(ALICE.address)
    with pytest.raises(AuthError) as e:
        a.login(ch["message"], "0x1234")
    assert e.value.reason == "bad-signature"
    # a challenge signed after it expired
    ch = a.challenge(ALICE.address)
    clock.t += 301
    with pytest.raises(AuthError) as e:
        a.login(ch["message"], sign(ALICE, ch["message"]))
    assert e.value.reason == "expired"
    # a valid login by a key without the role
    ch = a.challenge(MALLORY.address)
    with pytest.raises(AuthError) as e:
        a.login(ch["message"], sign(MALLORY, ch["message"]))
    assert (e.value.reason, e.value.address) == ("no-role", MALLORY.address) and "AUDITOR" in str(e.value)
    # not a SIWE message at all, not an address
    with pytest.raises(AuthError) as e:
        a.login("hello", "0x00")
    assert (e.value.status, e.value.reason) == (400, "malformed")
    with pytest.raises(AuthError) as e:
        a.challenge("0x123")
    assert e.value.status == 400


def test_sessions_expire_end_at_logout_and_at_once_when_the_role_goes() -> None:
    clock, holders = Clock(), {ALICE.address}
    a = SiweAuth(REALM, lambda x: x in holders, clock=clock, session_ttl=600)

    def login() -> str:
        ch = a.challenge(ALICE.address)
        return a.login(ch["message"], sign(ALICE, ch["message"])).token

    t = login()
    clock.t += 599
    assert a.session(t) == ALICE.address
    clock.t += 2
    with pytest.raises(AuthError) as e:
        a.session(t)
    assert (e.value.status, e.value.reason) == (401, "no-session")
    t = login()
    assert a.logout(t) and not a.logout(t)
    with pytest.raises(AuthError):
        a.session(t)
    t = login()
    holders.clear()  # the role revoked on chain
    with pytest.raises(AuthError) as e:
        a.session(t)
    assert (e.value.status, e.value.reason) == (403, "role-revoked")
    holders.add(ALICE.address)  # granted again: the old session stays ended
    with pytest.raises(AuthError) as e:
        a.session(t)
    assert e.value.reason == "no-session"
    with pytest.raises(AuthError):
        a.session(None)
