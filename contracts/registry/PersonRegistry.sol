// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Office, ALL_OFFICES} from "../lib/ZhiliTypes.sol";
import {Roles} from "../lib/Roles.sol";

/// @title Lifetime identities of one province (R-TL-1, R-MR-1, R-MR-9)
/// @notice A person is a stable id (a salted hash of an identity number, computed off chain; never an
/// address), with a current signing key that a registrar can rotate (a lost key never stalls
/// anything: elections and ledgers refer to the id), the terms served per office (R-TL-1) and the
/// corruption blacklist (R-MR-9). One registry serves every jurisdiction of a province, so the
/// record follows a person across jurisdictions (R-MR-1).
contract PersonRegistry is AccessControl {
    /// @notice Registers persons, rotates keys, records terms served before the chain existed.
    bytes32 public constant REGISTRAR = Roles.REGISTRAR;
    /// @notice zhili contracts that record terms (elections, succession) and the blacklist (merit ledger).
    bytes32 public constant RECORD_WRITER = Roles.RECORD_WRITER;

    struct Person {
        address key;
        bool blacklisted;
        uint8[ALL_OFFICES] terms;
    }

    mapping(bytes32 personId => Person) private _people;
    mapping(address key => bytes32 personId) private _byKey;
    uint256 public personCount;

    /// @notice `personId` was registered with signing key `key`.
    event PersonRegistered(bytes32 indexed personId, address indexed key);
    /// @notice The signing key of `personId` changed.
    event KeyRotated(bytes32 indexed personId, address indexed oldKey, address indexed newKey);
    /// @notice `personId` has now served `total` terms in `office` (R-TL-1); `prior` marks terms
    /// declared for the time before the chain.
    event TermRecorded(bytes32 indexed personId, Office indexed office, uint8 total, bool prior);
    /// @notice `personId` is blacklisted for own corruption (R-MR-9), with the finding's hash.
    event Blacklisted(bytes32 indexed personId, bytes32 findingHash);

    /// @notice A person id of zero, or a zero key.
    /// @custom:rule R-MR-1
    error ZeroValue();
    /// @notice The person id is already registered.
    /// @custom:rule R-MR-1
    error AlreadyRegistered(bytes32 personId);
    /// @notice The person id is not registered.
    /// @custom:rule none
    error UnknownPerson(bytes32 personId);
    /// @notice The key already belongs to a person.
    /// @custom:rule R-MR-1
    error KeyInUse(address key, bytes32 personId);
    /// @notice Prior terms can only be raised, never lowered (the record only grows).
    /// @custom:rule R-TL-1
    error TermsCannotDecrease(bytes32 personId, Office office, uint8 current, uint8 given);

    /// @param admin account that grants REGISTRAR and RECORD_WRITER (the provincial organisation)
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Register a person with their current signing key.
    /// @param personId salted hash of the identity number
    /// @param key the person's signing address
    function register(bytes32 personId, address key) external onlyRole(REGISTRAR) {
        if (personId == bytes32(0) || key == address(0)) revert ZeroValue();
        if (_people[personId].key != address(0)) revert AlreadyRegistered(personId);
        if (_byKey[key] != bytes32(0)) revert KeyInUse(key, _byKey[key]);
        _people[personId].key = key;
        _byKey[key] = personId;
        ++personCount;
        emit PersonRegistered(personId, key);
    }

    /// @notice Replace a person's signing key (lost or compromised key).
    /// @param personId the person
    /// @param newKey the new signing address
    function rotateKey(bytes32 personId, address newKey) external onlyRole(REGISTRAR) {
        if (newKey == address(0)) revert ZeroValue();
        address old = _known(personId).key;
        if (_byKey[newKey] != bytes32(0)) revert KeyInUse(newKey, _byKey[newKey]);
        delete _byKey[old];
        _byKey[newKey] = personId;
        _people[personId].key = newKey;
        emit KeyRotated(personId, old, newKey);
    }

    /// @notice Declare terms served in `office` before the chain existed (R-TL-1); only raises.
    /// @param personId the person
    /// @param office the office
    /// @param terms total terms served so far
    function declarePriorTerms(bytes32 personId, Office office, uint8 terms) external onlyRole(REGISTRAR) {
        Person storage p = _known(personId);
        uint8 current = p.terms[uint256(office)];
        if (terms < current) revert TermsCannotDecrease(personId, office, current, terms);
        p.terms[uint256(office)] = terms;
        emit TermRecorded(personId, office, terms, true);
    }

    /// @notice Count one more term served in `office` (called by elections and succession).
    /// @param personId the person
    /// @param office the office taken
    function recordTerm(bytes32 personId, Office office) external onlyRole(RECORD_WRITER) {
        Person storage p = _known(personId);
        uint8 total = ++p.terms[uint256(office)];
        emit TermRecorded(personId, office, total, false);
    }

    /// @notice Blacklist a person for own corruption (R-MR-9): never eligible again.
    /// @param personId the person
    /// @param findingHash hash of the finding
    function blacklist(bytes32 personId, bytes32 findingHash) external onlyRole(RECORD_WRITER) {
        Person storage p = _known(personId);
        p.blacklisted = true;
        emit Blacklisted(personId, findingHash);
    }

    /// @notice Whether `personId` is registered.
    function isRegistered(bytes32 personId) external view returns (bool) {
        return _people[personId].key != address(0);
    }

    /// @notice The current signing key of `personId` (zero if unknown).
    function keyOf(bytes32 personId) external view returns (address) {
        return _people[personId].key;
    }

    /// @notice The person whose current key is `key` (zero if none).
    function personOf(address key) external view returns (bytes32) {
        return _byKey[key];
    }

    /// @notice Terms `personId` has served in `office` (R-TL-1).
    function termsServed(bytes32 personId, Office office) external view returns (uint8) {
        return _people[personId].terms[uint256(office)];
    }

    /// @notice Whether `personId` is blacklisted (R-MR-9).
    function isBlacklisted(bytes32 personId) external view returns (bool) {
        return _people[personId].blacklisted;
    }

    function _known(bytes32 personId) private view returns (Person storage p) {
        p = _people[personId];
        if (p.key == address(0)) revert UnknownPerson(personId);
    }
}
