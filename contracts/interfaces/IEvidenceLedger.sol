// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ICouncilDecisions} from "./ICouncilDecisions.sol";
import {Category, ProfileKind, CATEGORIES} from "../lib/ZhiliTypes.sol";

/// @title The surface of `EvidenceLedger`: its events, errors, types and external functions
interface IEvidenceLedger {
    /// @notice How a version came about (R-DOC-4).
    enum Kind {
        Original,
        Amendment,
        Supplement,
        Revocation
    }

    /// @notice Where a version stands (R-DOC-4). `Revoked` marks both the revocation notice and the
    /// version it revoked; earlier versions stay `Superseded`.
    enum Status {
        None,
        Current,
        Superseded,
        Revoked
    }

    /// @notice What the chain keeps of one version: one storage slot, packed as
    /// anchoredAt (bits 0-39) | algorithm (40-47) | kind (48-55) | status (56-63) | version (64-79) |
    /// seq (80-111) | category (112-119) | year (120-135) | signer (136-167) | motionId (168-231) |
    /// office (232-235) | originalSigner (236-255). Bits 80-135 are the packed trace key
    /// (year << 40 | category << 32 | seq); the last two are the trace's and kept by every version.
    struct Record {
        uint40 anchoredAt;
        uint8 algorithm; // 1 SHA-256, 2 SM3
        Kind kind;
        Status status;
        uint16 version; // 1 for the original
        uint16 year; // trace code: year of the original (China Standard Time)
        Category category; // trace code: category of the original
        uint32 seq; // trace code: sequence within (year, category)
        uint32 signer; // ledger-local signer number (see `signerAt`)
        uint64 motionId; // council motion this version executes, 0 if none
        uint8 office; // office (+1) the original's signer held when it was anchored; 0: none
        uint32 originalSigner; // ledger-local number of the original's signer
    }

    /// @notice What the signer signs and the submitter sends for one version.
    struct DocInput {
        bytes32 fingerprint; // hash of the file's bytes under `algorithm`
        uint8 algorithm; // 1 SHA-256, 2 SM3
        Category category; // originals: the trace category (= the motion's); versions: repeat it
        uint64 motionId; // 0: no motion (the motion's budget line and amount are read from the council)
        string title;
        bytes details; // canonical UTF-8 JSON: {"basis":[...],"budget":"...","recipients":[...],"summary":"..."}
    }

    /// @notice The access log of one records keeper (the auditor service's key), R-DOC-5.
    struct LogHead {
        bytes32 head;
        uint64 entries;
        uint40 anchoredAt;
    }

    /// @notice Per category, the role whose holders may sign new versions of any document of it (R-DOC-4).
    event VersionRolesSet(bytes32[CATEGORIES] roles);
    /// @notice `commitment` = keccak256(abi.encode(fingerprint, signer)) was committed: that signer may
    /// anchor that fingerprint from the next block on (anti-squatting, R-DOC-3).
    event Committed(bytes32 indexed commitment, address by);
    /// @notice `personId` signs its first document here and gets ledger-local number `number`.
    event SignerAdded(bytes32 indexed personId, uint32 number);
    /// @notice The first version of a document was anchored (R-DOC-2, R-DOC-3). `trace` packs
    /// year << 40 | category << 32 | seq; `record` is the stored slot (see `Record`); the signature
    /// (r, vs) over the EIP-712 `Document` is kept here so anyone can re-verify it.
    event DocumentAnchored(
        bytes32 indexed fingerprint,
        uint64 indexed trace,
        bytes32 indexed signer,
        uint256 record,
        string title,
        bytes details,
        bytes32 r,
        bytes32 vs
    );
    /// @notice A version was added after `previous` (R-DOC-4), which became `Revoked` if this is a
    /// revocation and `Superseded` otherwise.
    event VersionAdded(
        bytes32 indexed fingerprint,
        uint64 indexed trace,
        bytes32 indexed signer,
        bytes32 previous,
        uint256 record,
        string title,
        bytes details,
        string reason,
        bytes32 r,
        bytes32 vs
    );
    /// @notice The version `fingerprint` executes `motionId`; its decision as read from the council.
    event MotionLinked(bytes32 indexed fingerprint, uint256 indexed motionId, ICouncilDecisions.Decision decision);
    /// @notice County profile (R-WD-5): each core office's member, weight and position on the motion.
    event PositionsRecorded(
        bytes32 indexed fingerprint, uint256 indexed motionId, bytes32[5] members, uint16[5] weights, uint8[5] votes
    );
    /// @notice `keeper`'s hash-chained access log now has `entries` entries ending in `head` (R-DOC-5).
    event AccessLogAnchored(address indexed keeper, uint64 entries, bytes32 head, bytes32 previousHead);

    /// @notice This fingerprint is already anchored (a document, or a replayed signature).
    /// @custom:rule R-DOC-3
    error AlreadyAnchored(bytes32 fingerprint, uint256 trace, uint16 version);
    /// @notice The fingerprint is zero.
    /// @custom:rule R-DOC-3
    error EmptyFingerprint();
    /// @notice Unknown fingerprint algorithm (1 SHA-256, 2 SM3).
    /// @custom:rule R-DOC-3
    error UnknownAlgorithm(uint8 algorithm);
    /// @notice A document needs a title.
    /// @custom:rule R-DOC-2
    error EmptyTitle();
    /// @notice The signer is not a registered person.
    /// @custom:rule R-DOC-3
    error UnknownSigner(bytes32 signer);
    /// @notice No version with this fingerprint is anchored.
    /// @custom:rule none
    error UnknownDocument(bytes32 fingerprint);
    /// @notice Only the current version can be amended, supplemented or revoked (one current version).
    /// @custom:rule R-DOC-4
    error NotCurrent(bytes32 fingerprint, Status status);
    /// @notice The document was revoked; a revoked document cannot change any more.
    /// @custom:rule R-DOC-4
    error DocumentRevoked(bytes32 fingerprint);
    /// @notice A new version must be an amendment, supplement or revocation.
    /// @custom:rule R-DOC-4
    error NotAVersionKind(Kind kind);
    /// @notice A new version must state the reason for the change.
    /// @custom:rule R-DOC-4
    error EmptyReason();
    /// @notice A new version keeps its trace code's category.
    /// @custom:rule R-DOC-2
    error CategoryChanged(Category traceCategory, Category given);
    /// @notice This ledger has no council: no motion can be linked.
    /// @custom:rule R-DOC-2
    error NoCouncil(uint256 motionId);
    /// @notice The motion did not pass: no document can execute it.
    /// @custom:rule R-WD-2
    error MotionNotPassed(uint256 motionId, uint16 yesWeight, uint16 threshold);
    /// @notice An original executing a motion takes the motion's category.
    /// @custom:rule R-DOC-2
    error CategoryMismatch(uint256 motionId, uint8 motionCategory, Category given);
    /// @notice A fingerprint enters the ledger only for the signer who committed to it in an earlier
    /// block (`commit(commitment(fingerprint, signer))`): whoever copies it from a pending transaction
    /// has no such commitment (fingerprint squatting).
    /// @custom:rule R-DOC-3
    error NotCommitted(bytes32 fingerprint, bytes32 signer, uint256 committedAt, uint256 blockNumber);
    /// @notice Only the original's signer, the current holder of the office that signed the original,
    /// or a holder of the role the profile names for the category may add a version.
    /// @custom:rule R-DOC-4
    error NotAnswerable(bytes32 fingerprint, bytes32 signer, bytes32 originalSigner, uint8 office, bytes32 role);
    /// @notice A trace has at most 65,535 versions: the next would overflow the version number.
    /// @custom:rule R-DOC-4
    error VersionLimit(bytes32 fingerprint, uint16 version);
    /// @notice The ledger numbers at most 2^20 - 1 distinct signers.
    /// @custom:rule none
    error TooManySigners(uint256 number);
    /// @notice An access log anchor must extend the log (more entries, non-zero head).
    /// @custom:rule R-DOC-5
    error LogNotExtended(uint64 anchored, uint64 given);

    /// @notice Runs the auditor service: anchors its access log (granted by the jurisdiction's admin).
    function RECORDS_KEEPER() external view returns (bytes32);
    /// @notice Fingerprint algorithm id of SHA-256.
    function SHA256() external view returns (uint8);
    /// @notice Fingerprint algorithm id of SM3.
    function SM3() external view returns (uint8);
    /// @notice The council whose decided motions documents execute (zero: none yet).
    function council() external view returns (ICouncilDecisions);
    /// @notice The jurisdiction's profile: the county records per-member positions (R-WD-5).
    function profileKind() external view returns (ProfileKind);
    /// @notice Commit to anchoring a fingerprint for a signer (anyone may submit; a repeated commitment
    /// keeps its first block). `anchor` and `newVersion` need it from an earlier block (R-DOC-3).
    /// @param commitmentHash `commitment(fingerprint, signer)`
    function commit(bytes32 commitmentHash) external;
    /// @notice Anchor the first version of a document; issues its trace code (R-DOC-2, R-DOC-3).
    /// Anyone may submit; the signature by `signer`'s current key is what authorises it, and a
    /// commitment to (fingerprint, signer) from an earlier block must exist (used up here).
    /// @param d the document's anchored elements
    /// @param signer lifetime person id of the signer
    /// @param r signature r (EIP-2098 compact form with `vs`)
    /// @param vs signature s with the parity bit of v
    function anchor(DocInput calldata d, bytes32 signer, bytes32 r, bytes32 vs) external;
    /// @notice Add a version (amendment, supplement or revocation) after the current `previous`
    /// (R-DOC-4): the new version keeps the trace code, gets the next version number and becomes
    /// current; `previous` becomes superseded (revoked, for a revocation). Nothing is erased. The signer
    /// must answer for the document: the original's signer, the current holder of the office that
    /// signed the original, or a holder of the category's `versionRole`; a commitment is needed as for
    /// `anchor`.
    /// @param previous fingerprint of the current version
    /// @param kind Amendment, Supplement or Revocation
    /// @param reason why the document changes (required)
    /// @param d the new version's elements (`category` = the trace's)
    /// @param signer lifetime person id of the signer
    /// @param r signature r
    /// @param vs signature s with the parity bit of v
    function newVersion(
        bytes32 previous,
        Kind kind,
        string calldata reason,
        DocInput calldata d,
        bytes32 signer,
        bytes32 r,
        bytes32 vs
    ) external;
    /// @notice Anchor the head of the caller's hash-chained access log (auditor service, R-DOC-5).
    /// @param head hash of the log's last entry
    /// @param entries number of entries the log now has (must grow)
    function anchorAccessLog(bytes32 head, uint64 entries) external;
    /// @notice The stored record of the version with `fingerprint` (status None if unknown).
    function record(bytes32 fingerprint) external view returns (Record memory);
    /// @notice Everything `zhili doc verify` shows: whether the fingerprint is anchored, its status,
    /// signer, time, trace code and version (R-DOC-1).
    /// @param fingerprint the file's fingerprint
    /// @return status None (not anchored), Current, Superseded or Revoked
    /// @return signer the signer's person id
    /// @return anchoredAt anchoring time
    /// @return code the trace code, e.g. "330110-001-2025-LI-0007"
    /// @return version the version number
    function verify(bytes32 fingerprint)
        external
        view
        returns (Status status, bytes32 signer, uint40 anchoredAt, string memory code, uint16 version);
    /// @notice The trace code of the version with `fingerprint` (empty if unknown).
    function traceCode(bytes32 fingerprint) external view returns (string memory);
    /// @notice The person who signed the version with `fingerprint` (zero if unknown).
    function signerOf(bytes32 fingerprint) external view returns (bytes32);
    /// @notice The person with ledger-local signer number `number` (zero if none).
    function signerAt(uint32 number) external view returns (bytes32);
    /// @notice The ledger-local signer number of `personId` (zero if they never signed here).
    function signerNumber(bytes32 personId) external view returns (uint32);
    /// @notice Counters: the year of the last original anchored, the sequence issued so far per
    /// category in that year, the number of signers and of documents (trace codes) issued.
    function counters()
        external
        view
        returns (uint16 year, uint32[CATEGORIES] memory seqs, uint32 signers, uint48 documents);
    /// @notice The role whose holders (by current key) may sign versions of `category`'s documents (zero: none).
    function versionRole(Category category) external view returns (bytes32);
    /// @notice The commitment `commit` takes for `signer` anchoring `fingerprint`.
    function commitment(bytes32 fingerprint, bytes32 signer) external pure returns (bytes32);
    /// @notice Block number of an unused commitment (zero: none).
    function committedAt(bytes32 commitmentHash) external view returns (uint256);
    /// @notice The anchored head of `keeper`'s access log (R-DOC-5).
    function accessLog(address keeper) external view returns (LogHead memory);
    /// @notice The EIP-712 digest a signer signs for a version (for clients and re-verification).
    /// @param d the version's elements
    /// @param kind Original for `anchor`, else the version kind
    /// @param previous zero for an original, else the current version's fingerprint
    /// @param signer the signer's person id
    /// @param reason the reason of a new version ("" for an original)
    function digest(DocInput calldata d, Kind kind, bytes32 previous, string calldata reason, bytes32 signer)
        external
        view
        returns (bytes32);
    /// @notice The EIP-712 domain separator of this ledger.
    function domainSeparator() external view returns (bytes32);
    /// @notice Calendar year (China Standard Time, UTC+8) of `timestamp`: the year of trace codes.
    function yearOf(uint256 timestamp) external pure returns (uint16);
}
