// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IMeritBook} from "../interfaces/IMeritBook.sol";
import {WriterAccess} from "../base/WriterAccess.sol";
import {Office, ALL_OFFICES} from "../lib/ZhiliTypes.sol";
import {Roles} from "../lib/Roles.sol";

/// @title Lifetime identities of one province (R-TL-1, R-MR-1, R-MR-9)
/// @notice A person is a stable id (a salted hash of an identity number, computed off chain; never an
/// address), bound at registration, for good, to a commitment to the person's real-world identity (one id
/// per identity, so a blacklisted person cannot come back under a new id: docs/threat-model.md), with a current signing key that the person rotates, or that the registrar and a second
/// body recover after a delay the person can object in (a lost key never stalls anything: elections
/// and ledgers refer to the id; and no single body can take over a person's key), the terms served per office (R-TL-1) and the
/// corruption blacklist (R-MR-9). One registry serves every jurisdiction of a province, so the
/// record follows a person across jurisdictions (R-MR-1).
contract PersonRegistry is WriterAccess, IPersonRegistry {
    bytes32 public constant REGISTRAR = Roles.REGISTRAR;
    bytes32 public constant RECORD_WRITER = Roles.RECORD_WRITER;
    bytes32 public constant RECOVERY_APPROVER = Roles.RECOVERY_APPROVER;
    uint64 public constant RECOVERY_DELAY = 7 days;

    struct Person {
        address key;
        bool blacklisted;
        uint8[ALL_OFFICES] terms;
    }

    mapping(bytes32 personId => Person) private _people;
    mapping(address key => bytes32 personId) private _byKey;
    /// @dev The identity commitment each person was registered with, and its inverse (never cleared: R-MR-1, R-MR-9).
    mapping(bytes32 personId => bytes32 identity) private _identityOf;
    mapping(bytes32 identity => bytes32 personId) private _byIdentity;
    /// @dev Where a person is elected or seated (one record per person, province-wide; R-EL-11, R-TL-1).
    mapping(bytes32 personId => Engagement) private _engaged;
    mapping(bytes32 personId => Recovery) private _recovery;
    address public meritBook;
    uint256 public personCount;

    /// @param admin account that grants REGISTRAR and RECORD_WRITER (the provincial organisation)
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @dev `RECORD_WRITER` (elections, succession, merit ledgers, team completion) is held only by contracts whose
    /// `persons()` is this registry.
    function _isWriterRole(bytes32 role) internal pure override returns (bool) {
        return role == Roles.RECORD_WRITER;
    }

    /// @dev A writer names this contract through its `persons()` getter.
    function _writerBinding() internal pure override returns (bytes4) {
        return bytes4(keccak256("persons()"));
    }

    function register(bytes32 personId, address key, bytes32 identity) external onlyRole(REGISTRAR) {
        if (personId == bytes32(0) || key == address(0) || identity == bytes32(0)) revert ZeroValue();
        if (_people[personId].key != address(0)) revert AlreadyRegistered(personId);
        if (_byKey[key] != bytes32(0)) revert KeyInUse(key, _byKey[key]);
        bytes32 holder = _byIdentity[identity];
        if (holder != bytes32(0)) {
            if (_people[holder].blacklisted) revert IdentityBlacklisted(identity, holder);
            revert IdentityInUse(identity, holder);
        }
        _people[personId].key = key;
        _byKey[key] = personId;
        _identityOf[personId] = identity;
        _byIdentity[identity] = personId;
        ++personCount;
        emit PersonRegistered(personId, key, identity);
    }

    function rotateKey(bytes32 personId, address newKey) external {
        if (msg.sender != _known(personId).key) revert NotOwnKey(personId, msg.sender);
        if (_recovery[personId].newKey != address(0)) {
            delete _recovery[personId]; // the key is not lost: a pending recovery is void
            emit RecoveryCancelled(personId, msg.sender);
        }
        _rotate(personId, newKey);
    }

    function requestRecovery(bytes32 personId, address newKey) external onlyRole(REGISTRAR) {
        _known(personId);
        _checkNewKey(newKey);
        uint64 readyAt = uint64(block.timestamp) + RECOVERY_DELAY;
        _recovery[personId] = Recovery(newKey, readyAt, false, msg.sender);
        emit RecoveryRequested(personId, newKey, readyAt, msg.sender);
    }

    function approveRecovery(bytes32 personId) external onlyRole(RECOVERY_APPROVER) {
        Recovery storage r = _pending(personId);
        if (msg.sender == r.requestedBy) revert RecoveryNeedsTwoBodies(personId, msg.sender);
        r.approved = true;
        emit RecoveryApproved(personId, msg.sender);
    }

    function completeRecovery(bytes32 personId) external {
        Recovery memory r = _pending(personId);
        if (!r.approved) revert RecoveryNotApproved(personId, r.requestedBy);
        if (block.timestamp < r.readyAt) revert RecoveryNotReady(personId, r.readyAt, block.timestamp);
        delete _recovery[personId];
        _rotate(personId, r.newKey);
    }

    function cancelRecovery(bytes32 personId) external {
        address key = _known(personId).key;
        _pending(personId);
        if (msg.sender != key && !hasRole(REGISTRAR, msg.sender)) revert NotOwnKey(personId, msg.sender);
        delete _recovery[personId];
        emit RecoveryCancelled(personId, msg.sender);
    }

    function recovery(bytes32 personId) external view returns (Recovery memory) {
        return _recovery[personId];
    }

    function declarePriorTerms(bytes32 personId, Office office, uint8 terms) external onlyRole(REGISTRAR) {
        Person storage p = _known(personId);
        uint8 current = p.terms[uint256(office)];
        if (terms < current) revert TermsCannotDecrease(personId, office, current, terms);
        p.terms[uint256(office)] = terms;
        emit TermRecorded(personId, office, terms, true);
    }

    function recordTerm(bytes32 personId, Office office) external onlyRole(RECORD_WRITER) {
        Person storage p = _known(personId);
        uint8 total = ++p.terms[uint256(office)];
        emit TermRecorded(personId, office, total, false);
    }

    function blacklist(bytes32 personId, bytes32 findingHash) external onlyRole(RECORD_WRITER) {
        Person storage p = _known(personId);
        p.blacklisted = true;
        emit Blacklisted(personId, findingHash);
    }

    function engage(bytes32 personId, address jurisdiction, bool seated) external onlyRole(RECORD_WRITER) {
        _known(personId);
        if (_elsewhere(personId, jurisdiction)) return; // the first jurisdiction keeps them
        _engaged[personId] = Engagement(jurisdiction, seated);
        emit Engaged(personId, jurisdiction, seated);
    }

    function release(bytes32 personId, address jurisdiction) external onlyRole(RECORD_WRITER) {
        if (_engaged[personId].jurisdiction != jurisdiction) return; // engaged elsewhere: not ours to clear
        delete _engaged[personId];
        emit Engaged(personId, address(0), false);
    }

    function bindMeritBook(address book) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (meritBook != address(0)) revert MeritBookAlreadyBound(meritBook);
        if (book == address(0)) revert ZeroValue();
        meritBook = book;
        emit MeritBookBound(book);
    }

    function hindrance(bytes32 personId, address jurisdiction, uint16 resignDemerit) external view returns (uint8) {
        if (_people[personId].blacklisted) return 1;
        if (meritBook != address(0) && IMeritBook(meritBook).totals(personId).demerit >= int64(uint64(resignDemerit))) {
            return 2;
        }
        if (_elsewhere(personId, jurisdiction)) return 3;
        return 0;
    }

    function engagement(bytes32 personId) external view returns (Engagement memory) {
        return _engaged[personId];
    }

    function isRegistered(bytes32 personId) external view returns (bool) {
        return _people[personId].key != address(0);
    }

    function identityOf(bytes32 personId) external view returns (bytes32) {
        return _identityOf[personId];
    }

    function personOfIdentity(bytes32 identity) external view returns (bytes32) {
        return _byIdentity[identity];
    }

    function keyOf(bytes32 personId) external view returns (address) {
        return _people[personId].key;
    }

    function personOf(address key) external view returns (bytes32) {
        return _byKey[key];
    }

    function termsServed(bytes32 personId, Office office) external view returns (uint8) {
        return _people[personId].terms[uint256(office)];
    }

    function isBlacklisted(bytes32 personId) external view returns (bool) {
        return _people[personId].blacklisted;
    }

    /// @dev Whether `personId` stands elected in another jurisdiction than `jurisdiction`, or is still seated there.
    function _elsewhere(bytes32 personId, address jurisdiction) private view returns (bool) {
        Engagement memory g = _engaged[personId];
        if (g.jurisdiction == address(0) || g.jurisdiction == jurisdiction) return false;
        if (!g.seated) return true;
        return IJurisdiction(g.jurisdiction).isSeated(personId);
    }

    function _rotate(bytes32 personId, address newKey) private {
        _checkNewKey(newKey);
        address old = _people[personId].key;
        delete _byKey[old];
        _byKey[newKey] = personId;
        _people[personId].key = newKey;
        emit KeyRotated(personId, old, newKey);
    }

    function _checkNewKey(address newKey) private view {
        if (newKey == address(0)) revert ZeroValue();
        if (_byKey[newKey] != bytes32(0)) revert KeyInUse(newKey, _byKey[newKey]);
    }

    function _pending(bytes32 personId) private view returns (Recovery storage r) {
        r = _recovery[personId];
        if (r.newKey == address(0)) revert NoRecovery(personId);
    }

    function _known(bytes32 personId) private view returns (Person storage p) {
        p = _people[personId];
        if (p.key == address(0)) revert UnknownPerson(personId);
    }
}
