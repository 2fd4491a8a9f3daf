"""Sign-In with Ethereum (EIP-4361) for zhili's services that serve non-public data (the auditor
content service, the console's auditor pages), through the ``siwe`` library.

The server (:class:`SiweAuth`) issues a single-use nonce and the EIP-4361 message that names

- the server: ``domain`` (host:port) and ``uri`` (its base URL), from its configuration, never from a
  request's ``Host`` header (a relaying look-alike would make the real server name the look-alike);
- the chain: ``Chain ID``;
- the ledger: a resource ``ethereum:<EvidenceLedger address>@<chain id>`` (EIP-681 form);

and an expiry (5 minutes). A login verifies the signature with ``siwe`` and checks that the message
is exactly the one issued for that nonce (so domain, URI, chain, ledger and address are the server's
own), that it has not expired, and that the signer holds the role (``has_role``, read from the chain).
A session is a random token that expires (``session_ttl``) and can be ended (:meth:`SiweAuth.logout`);
the role is read from the chain again on **every** request (:meth:`SiweAuth.session`), so a revoked
role ends access at once.

The client (:func:`check_before_signing`) parses a message it is asked to sign and refuses unless it
names the server it is talking to, the chain and the ledger it expects, and its own address: a
look-alike server that relays a real server's login to an auditor gets no signature (the login-relay
attack of issue 19).
"""

from __future__ import annotations

import secrets
import sys
import threading
import time
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from eth_utils import is_address, to_checksum_address

from ..errors import InputError


def _load_siwe() -> Any:
    """Import ``siwe``. siwe 4.4 redefines the RFC 5234 core rules (ALPHA, DIGIT, HEXDIG, LF) in its
    own grammar, which abnf 2.9 refuses at import (declaresub/abnf#256); its definitions are the core
    rules themselves, so its ``rfc5234`` module is replaced by abnf's base rule class, which holds them."""
    try:
        import siwe
    except Exception:  # noqa: BLE001 - the grammar error above; anything else re-raises below
        for name in [m for m in sys.modules if m == "siwe" or m.startswith("siwe.")]:
            del sys.modules[name]
        import abnf.parser

        shim = types.ModuleType("siwe.grammars.rfc5234")
        shim.Rule = abnf.parser.Rule  # type: ignore[attr-defined]
        sys.modules["siwe.grammars.rfc5234"] = shim
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import siwe
    return siwe


siwe = _load_siwe()
SiweMessage = siwe.SiweMessage

NONCE_TTL = 300  # seconds to sign a challenge
SESSION_TTL = 3600  # seconds a session lasts
MAX_PENDING = 10_000  # outstanding challenges at most (a flood of challenge requests cannot fill memory)


class AuthError(InputError):
    """A refused login or request: ``status`` (400, 401, 403, 503) and ``reason`` (a short code for the
    access log: ``malformed``, ``unknown-nonce``, ``not-issued``, ``expired``, ``bad-signature``,
    ``no-role``, ``no-session``, ``role-revoked``, ``busy``)."""

    def __init__(self, status: int, reason: str, message: str, address: str = "") -> None:
        self.status, self.reason, self.address = status, reason, address
        super().__init__(message)


class LoginRefused(AuthError):
    """The client refuses to sign a message (it names another server, chain, ledger or address)."""

    def __init__(self, message: str) -> None:
        super().__init__(0, "refused-to-sign", message)


def ledger_resource(ledger: str, chain_id: int) -> str:
    """The resource naming a ledger in a SIWE message: ``ethereum:<address>@<chain id>`` (EIP-681)."""
    return f"ethereum:{to_checksum_address(ledger)}@{chain_id}"


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Realm:
    """What a SIWE message of this server names: its base URL (scheme, host, port), chain and ledger."""

    uri: str  # e.g. http://127.0.0.1:8645
    chain_id: int
    ledger: str
    statement: str = "Sign in to zhili to read non-public records (R-DOC-5); every query is logged."

    @property
    def domain(self) -> str:
        return urlsplit(self.uri).netloc

    @property
    def scheme(self) -> str:
        return urlsplit(self.uri).scheme

    def message(self, address: str, nonce: str, issued: float, expires: float) -> str:
        return str(
            SiweMessage(
                scheme=self.scheme, domain=self.domain, address=to_checksum_address(address), uri=self.uri, version="1", chain_id=self.chain_id,
                issued_at=_iso(issued), nonce=nonce, statement=self.statement, expiration_time=_iso(expires),
                resources=[ledger_resource(self.ledger, self.chain_id)],
            ).prepare_message()
        )  # fmt: skip


@dataclass
class Session:
    token: str
    address: str
    expires: float


@dataclass
class SiweAuth:
    """Nonces, logins and sessions of one server (thread-safe; state in memory: a restart logs everyone out)."""

    realm: Realm
    has_role: Callable[[str], bool]  # read from the chain on every call
    role: str = "required"  # its name, in refusals
    nonce_ttl: float = NONCE_TTL
    session_ttl: float = SESSION_TTL
    clock: Callable[[], float] = time.time
    _pending: dict[str, tuple[str, str, float]] = field(default_factory=dict)  # nonce -> (address, message, expires)
    _sessions: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def challenge(self, address: str) -> dict[str, Any]:
        """A fresh nonce and the message ``address`` is to sign."""
        if not isinstance(address, str) or not is_address(address):
            raise AuthError(400, "malformed", f"{str(address)[:50]!r} is not an address")
        now = self.clock()
        nonce, expires = secrets.token_hex(16), now + self.nonce_ttl
        msg = self.realm.message(address, nonce, now, expires)
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                self._pending = {n: p for n, p in self._pending.items() if p[2] > now}
                if len(self._pending) >= MAX_PENDING:
                    raise AuthError(503, "busy", "too many outstanding challenges; try again shortly")
            self._pending[nonce] = (to_checksum_address(address), msg, expires)
        return {"nonce": nonce, "message": msg, "expires": int(expires)}

    def login(self, message: str, signature: str) -> Session:
        """Verify a signed message; a session for its signer if it is the message issued for its
        nonce, unexpired, signed by its address, and that address holds the role on chain."""
        try:
            m = SiweMessage.from_message(message)
        except Exception:  # noqa: BLE001 - pydantic/abnf errors: not a SIWE message
            raise AuthError(400, "malformed", "not an EIP-4361 message") from None
        with self._lock:
            issued = self._pending.pop(m.nonce, None)  # one use, whatever the outcome
        if issued is None:
            raise AuthError(403, "unknown-nonce", "unknown, used or expired nonce")
        address, text, expires = issued
        if message != text or m.address != address:
            raise AuthError(403, "not-issued", "the message is not the one this server issued for that nonce")
        r = self.realm
        if (m.domain, m.uri, m.chain_id, m.scheme) != (r.domain, r.uri, r.chain_id, r.scheme) or ledger_resource(r.ledger, r.chain_id) not in (m.resources or []):
            raise AuthError(403, "not-issued", "the message names another server, chain or ledger")  # unreachable unless the realm changed
        now = self.clock()
        if expires <= now:
            raise AuthError(403, "expired", "the challenge expired; ask for a new one")
        try:
            m.verify(signature, scheme=r.scheme, domain=r.domain, nonce=m.nonce, timestamp=datetime.fromtimestamp(now, timezone.utc))
        except siwe.VerificationError as exc:
            raise AuthError(403, "bad-signature", f"the signature does not verify ({type(exc).__name__})") from None
        except Exception:  # noqa: BLE001 - a malformed signature string
            raise AuthError(403, "bad-signature", "malformed signature") from None
        if not self.has_role(address):
            raise AuthError(403, "no-role", f"{address} does not hold the {self.role} role on chain", address)
        s = Session(secrets.token_urlsafe(32), address, now + self.session_ttl)
        with self._lock:
            self._sessions = {t: x for t, x in self._sessions.items() if x.expires > now}
            self._sessions[s.token] = s
        return s

    def session(self, token: str | None) -> str:
        """The address behind ``token``, its role read from the chain now (a revoked role ends the session)."""
        with self._lock:
            s = self._sessions.get(token or "")
        if s is None:
            raise AuthError(401, "no-session", "log in first")
        if s.expires <= self.clock():
            self.logout(s.token)
            raise AuthError(401, "no-session", "the session expired; log in again")
        if not self.has_role(s.address):
            self.logout(s.token)
            raise AuthError(403, "role-revoked", f"{s.address} no longer holds the {self.role} role on chain", s.address)
        return s.address

    def logout(self, token: str | None) -> bool:
        with self._lock:
            return self._sessions.pop(token or "", None) is not None


def check_before_signing(message: str, *, address: str, uri: str, chain_id: int, ledger: str) -> Any:
    """The client's check of a message it is asked to sign: it must be EIP-4361, for ``address``,
    name the server at ``uri`` (scheme, host and port) as its domain and URI, the chain ``chain_id``
    and the ledger ``ledger``, and not be expired. Raises :class:`LoginRefused`; returns the parsed message."""
    try:
        m = SiweMessage.from_message(message)
    except Exception:  # noqa: BLE001
        raise LoginRefused("not an EIP-4361 message: not signing") from None
    want = urlsplit(uri)
    problems = []
    if m.domain != want.netloc or (m.scheme or "https") != want.scheme:
        problems.append(f"it names the server {m.scheme}://{m.domain}, this is {want.scheme}://{want.netloc}")
    if urlsplit(str(m.uri)).netloc != want.netloc:
        problems.append(f"its URI {m.uri} is not on this server")
    if m.chain_id != chain_id:
        problems.append(f"it names chain {m.chain_id}, not {chain_id}")
    if ledger_resource(ledger, chain_id) not in (m.resources or []):
        problems.append(f"it does not name the ledger {to_checksum_address(ledger)}")
    if m.address != to_checksum_address(address):
        problems.append(f"it is for {m.address}, not {to_checksum_address(address)}")
    if m.expiration_time is not None and datetime.fromisoformat(str(m.expiration_time).replace("Z", "+00:00")).timestamp() <= time.time():
        problems.append("it has expired")
    if problems:
        raise LoginRefused("not signing this login: " + "; ".join(problems))
    return m
