// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Office} from "../lib/ZhiliTypes.sol";

/// @title The surface of `PersonRegistry`: its events, errors, types and external functions
interface IPersonRegistry is IAccessControl {
    /// @notice Where a person stands elected or seated, province-wide: `jurisdiction` (zero: nowhere) and
    /// whether seated there (else elected, not yet seated). Written by elections (RECORD_WRITER).
    struct Engagement {
        address jurisdiction;
        bool seated;
    }

    /// @notice A pending recovery of a lost key: the new key, when it may take effect, who asked, and
    /// whether the second body approved.
    struct Recovery {
        address newKey;
        uint64 readyAt;
        bool approved;
        address requestedBy;
    }

    /// @notice The registrar asked to replace the key of `personId` by `newKey`; it takes effect from
    /// `readyAt`, once approved, unless the person (still holding the old key) cancels it.
    event RecoveryRequested(bytes32 indexed personId, address newKey, uint64 readyAt, address requestedBy);
    /// @notice The second body approved the pending recovery of `personId`.
    event RecoveryApproved(bytes32 indexed personId, address approvedBy);
    /// @notice The pending recovery of `personId` was withdrawn (by the person's key or the registrar).
    event RecoveryCancelled(bytes32 indexed personId, address cancelledBy);
    /// @notice `personId` is now elected (`seated` false) or seated in `jurisdiction`; zero: released.
    event Engaged(bytes32 indexed personId, address indexed jurisdiction, bool seated);
    /// @notice The province's merit book was bound to this registry (once); elections read demerit totals there (R-MR-7).
    event MeritBookBound(address book);
    /// @notice `personId` was registered with signing key `key`, bound for good to the identity commitment
    /// `identity` (no other id can ever be registered with it).
    event PersonRegistered(bytes32 indexed personId, address indexed key, bytes32 indexed identity);
    /// @notice The signing key of `personId` changed.
    event KeyRotated(bytes32 indexed personId, address indexed oldKey, address indexed newKey);
    /// @notice `personId` has now served `total` terms in `office` (R-TL-1); `prior` marks terms
    /// declared for the time before the chain.
    event TermRecorded(bytes32 indexed personId, Office indexed office, uint8 total, bool prior);
    /// @notice `personId` is blacklisted for own corruption (R-MR-9), with the finding's hash.
    event Blacklisted(bytes32 indexed personId, bytes32 findingHash);

    /// @notice A person id of zero, a zero key, or a zero identity commitment.
    /// @custom:rule R-MR-1
    error ZeroValue();
    /// @notice The identity commitment is already bound to `personId`: one lifetime id per person, so the
    /// record follows them (a second id would start a clean ledger).
    /// @custom:rule R-MR-1
    error IdentityInUse(bytes32 identity, bytes32 personId);
    /// @notice The identity commitment belongs to `personId`, who is blacklisted: never eligible again,
    /// under any id (the attack of issue 17: re-registering a blacklisted person under a new id).
    /// @custom:rule R-MR-9
    error IdentityBlacklisted(bytes32 identity, bytes32 personId);
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

    /// @notice Only the person's own current key replaces it at once; anyone else goes through a recovery.
    /// @custom:rule R-MR-1
    error NotOwnKey(bytes32 personId, address caller);
    /// @notice No recovery is pending for the person.
    /// @custom:rule R-MR-1
    error NoRecovery(bytes32 personId);
    /// @notice A recovery needs the approval of a body other than the one that asked for it.
    /// @custom:rule R-MR-1
    error RecoveryNotApproved(bytes32 personId, address requestedBy);
    /// @notice The recovery's objection window is still open.
    /// @custom:rule R-MR-1
    error RecoveryNotReady(bytes32 personId, uint64 readyAt, uint256 now_);
    /// @notice The approver is the account that asked: two bodies must act.
    /// @custom:rule R-MR-1
    error RecoveryNeedsTwoBodies(bytes32 personId, address caller);

    /// @notice The merit book is already bound; the binding is permanent.
    /// @custom:rule R-MR-7
    error MeritBookAlreadyBound(address book);

    /// @notice Registers persons, asks for key recoveries, records terms served before the chain existed.
    function REGISTRAR() external view returns (bytes32);
    /// @notice zhili contracts that record terms (elections, succession) and the blacklist (merit ledger).
    function RECORD_WRITER() external view returns (bytes32);
    /// @notice Number of persons registered.
    function personCount() external view returns (uint256);
    /// @notice Register a person with their current signing key and their identity commitment, bound to
    /// the id for good; refused for an identity already bound to any id (`IdentityInUse`, or
    /// `IdentityBlacklisted` when its person is blacklisted).
    /// @param personId salted hash of the identity number
    /// @param key the person's signing address
    /// @param identity commitment to the person's real-world identity (docs/threat-model.md, "Person
    /// registry: identity": keccak256 of a domain tag, the province's identity key and the card number)
    function register(bytes32 personId, address key, bytes32 identity) external;
    /// @notice Approves a key recovery the registrar asked for (`zhili.role.RECOVERY_APPROVER`).
    function RECOVERY_APPROVER() external view returns (bytes32);
    /// @notice Seconds between a recovery request and the earliest moment it can take effect.
    function RECOVERY_DELAY() external view returns (uint64);
    /// @notice Replace a person's signing key with the current key itself (a key about to be retired or
    /// suspected compromised); the person's own key only (issue 17).
    /// @param personId the person
    /// @param newKey the new signing address
    function rotateKey(bytes32 personId, address newKey) external;
    /// @notice Ask to replace a lost key (registrar): takes effect after `RECOVERY_DELAY`, once a second
    /// body approved, unless the person's current key cancels it meanwhile. Replaces a pending request.
    /// @param personId the person
    /// @param newKey the new signing address
    function requestRecovery(bytes32 personId, address newKey) external;
    /// @notice Approve the pending recovery of `personId` (`RECOVERY_APPROVER`, not the account that asked).
    /// @param personId the person
    function approveRecovery(bytes32 personId) external;
    /// @notice Carry out an approved recovery whose delay is over (anyone).
    /// @param personId the person
    function completeRecovery(bytes32 personId) external;
    /// @notice Withdraw the pending recovery of `personId`: the person's current key (it is not lost), or the registrar.
    /// @param personId the person
    function cancelRecovery(bytes32 personId) external;
    /// @notice The pending recovery of `personId` (a zero `newKey`: none).
    function recovery(bytes32 personId) external view returns (Recovery memory);
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
    /// @notice Record that `personId` is elected (`seated` false) or seated in `jurisdiction` (elections);
    /// a no-op while they stand elected, or sit, in another jurisdiction (the first keeps them).
    /// @param personId the person
    /// @param jurisdiction the jurisdiction
    /// @param seated true once seated
    function engage(bytes32 personId, address jurisdiction, bool seated) external;
    /// @notice Clear `personId`'s record if it names `jurisdiction` (an election that dropped them or ended void).
    /// @param personId the person
    /// @param jurisdiction the jurisdiction releasing them
    function release(bytes32 personId, address jurisdiction) external;
    /// @notice Bind the province's merit book (once, admin): elections refuse persons whose demerit
    /// total reaches their profile's resignation threshold (R-MR-7).
    /// @param book the merit book
    function bindMeritBook(address book) external;
    /// @notice The province's merit book (zero until bound).
    function meritBook() external view returns (address);
    /// @notice Why `personId` may not be seated in `jurisdiction` now: 0 nothing, 1 blacklisted (R-MR-9),
    /// 2 demerit total at `resignDemerit` or above (R-MR-7, tenths), 3 elected in another jurisdiction or
    /// still seated there (read live from that jurisdiction).
    /// @param personId the person
    /// @param jurisdiction the jurisdiction about to seat them
    /// @param resignDemerit that jurisdiction's resignation threshold (tenths)
    function hindrance(bytes32 personId, address jurisdiction, uint16 resignDemerit) external view returns (uint8);
    /// @notice Where `personId` is elected or seated (R-EL-11, R-TL-1).
    function engagement(bytes32 personId) external view returns (Engagement memory);
    /// @notice Whether `personId` is registered.
    function isRegistered(bytes32 personId) external view returns (bool);
    /// @notice The identity commitment `personId` was registered with (zero if unknown).
    function identityOf(bytes32 personId) external view returns (bytes32);
    /// @notice The person bound to the identity commitment `identity` (zero if none).
    function personOfIdentity(bytes32 identity) external view returns (bytes32);
    /// @notice The current signing key of `personId` (zero if unknown).
    function keyOf(bytes32 personId) external view returns (address);
    /// @notice The person whose current key is `key` (zero if none).
    function personOf(address key) external view returns (bytes32);
    /// @notice Terms `personId` has served in `office` (R-TL-1).
    function termsServed(bytes32 personId, Office office) external view returns (uint8);
    /// @notice Whether `personId` is blacklisted (R-MR-9).
    function isBlacklisted(bytes32 personId) external view returns (bool);
}
