// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Office} from "../lib/ZhiliTypes.sol";

/// @title The surface of `PersonRegistry`: its events, errors, types and external functions
interface IPersonRegistry is IAccessControl {
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

    /// @notice Registers persons, rotates keys, records terms served before the chain existed.
    function REGISTRAR() external view returns (bytes32);
    /// @notice zhili contracts that record terms (elections, succession) and the blacklist (merit ledger).
    function RECORD_WRITER() external view returns (bytes32);
    /// @notice Number of persons registered.
    function personCount() external view returns (uint256);
    /// @notice Register a person with their current signing key.
    /// @param personId salted hash of the identity number
    /// @param key the person's signing address
    function register(bytes32 personId, address key) external;
    /// @notice Replace a person's signing key (lost or compromised key).
    /// @param personId the person
    /// @param newKey the new signing address
    function rotateKey(bytes32 personId, address newKey) external;
    /// @notice Declare terms served in `office` before the chain existed (R-TL-1); only raises.
    /// @param personId the person
    /// @param office the office
    /// @param terms total terms served so far
    function declarePriorTerms(bytes32 personId, Office office, uint8 terms) external;
    /// @notice Count one more term served in `office` (called by elections and succession).
    /// @param personId the person
    /// @param office the office taken
    function recordTerm(bytes32 personId, Office office) external;
    /// @notice Blacklist a person for own corruption (R-MR-9): never eligible again.
    /// @param personId the person
    /// @param findingHash hash of the finding
    function blacklist(bytes32 personId, bytes32 findingHash) external;
    /// @notice Whether `personId` is registered.
    function isRegistered(bytes32 personId) external view returns (bool);
    /// @notice The current signing key of `personId` (zero if unknown).
    function keyOf(bytes32 personId) external view returns (address);
    /// @notice The person whose current key is `key` (zero if none).
    function personOf(address key) external view returns (bytes32);
    /// @notice Terms `personId` has served in `office` (R-TL-1).
    function termsServed(bytes32 personId, Office office) external view returns (uint8);
    /// @notice Whether `personId` is blacklisted (R-MR-9).
    function isBlacklisted(bytes32 personId) external view returns (bool);
}
