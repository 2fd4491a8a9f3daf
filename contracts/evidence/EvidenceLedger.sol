// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IEvidenceLedger} from "../interfaces/IEvidenceLedger.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {CivilDate} from "../lib/CivilDate.sol";
import {Category, Office, ProfileKind, CATEGORIES} from "../lib/ZhiliTypes.sol";
import {ICouncilDecisions} from "../interfaces/ICouncilDecisions.sol";
import {Roles} from "../lib/Roles.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";
import {PersonSigned} from "../base/PersonSigned.sol";

/// @title Evidence ledger of one jurisdiction: signed, versioned decision documents (R-DOC-1 ... R-DOC-5)
/// @notice Anchors formal documents by content fingerprint. Each version carries a lifetime trace code
/// (`<jurisdiction code>-<year>-<category>-<sequence>`, R-DOC-2), the fingerprint and its algorithm
/// (SHA-256 or SM3), the signer (a lifetime person of the `PersonRegistry`, whose EIP-712 signature is
/// checked here against the person's current key and kept in the event so anyone can re-check it,
/// R-DOC-3), the anchoring time, and, when it executes a council motion, the motion's weighted result
/// and first responsible person read from the council (R-DOC-2). Amendment, supplement and revocation
/// add versions to the same trace code; exactly one version is current; nothing is erased (R-DOC-4).
/// Content stays off chain; the access log of the auditor service is anchored here (R-DOC-5).
/// @dev Gas: one new storage slot per version (the packed `Record`, keyed by fingerprint) plus one
/// packed counter slot. Title, summary, recipients, basis and reason live only in event data. Links
/// between versions are (trace, version): the contract keeps each trace code's versions a contiguous
/// chain 1..n in which only the last can be current, so a version's neighbours are the versions
/// v-1 and v+1 of the same trace; `VersionAdded` names the previous fingerprint explicitly.
/// Bits 232-255 of a record carry the trace's answerable parties for every version: the office the
/// original's signer held when it was anchored (+1; 0: none) and the original's signer number.
/// Every fingerprint enters through a commitment made in an earlier block (anti-squatting).
contract EvidenceLedger is JurisdictionBound, PersonSigned, IEvidenceLedger {
    bytes32 public constant RECORDS_KEEPER = Roles.RECORDS_KEEPER;
    uint8 public constant SHA256 = 1;
    uint8 public constant SM3 = 2;

    bytes32 private constant DOCUMENT_TYPEHASH = keccak256(
        "Document(bytes32 fingerprint,uint8 algorithm,uint8 category,uint64 motionId,string title,bytes details,uint8 kind,bytes32 previous,string reason,bytes32 signer)"
    );
    bytes32 private constant EMPTY_HASH = keccak256("");
    uint256 private constant STATUS_SHIFT = 56;
    uint256 private constant TRACE_SHIFT = 80;
    uint256 private constant OFFICE_SHIFT = 232;
    uint256 private constant ORIGINAL_SHIFT = 236;
    uint256 private constant MAX_SIGNERS = (1 << 20) - 1;

    ICouncilDecisions public immutable council;
    ProfileKind public immutable profileKind;

    mapping(bytes32 fingerprint => uint256 packedRecord) private _records;
    mapping(bytes32 personId => uint32) private _signerNumber;
    mapping(uint32 number => bytes32 personId) private _signerAt;
    mapping(address keeper => LogHead) private _logs;
    /// @dev packed: year (16) | seq per category (5 x 32) | signers (32) | documents (48)
    uint256 private _counters;
    /// @dev keccak256(abi.encode(fingerprint, signer)) => block number of its commitment.
    mapping(bytes32 commitment => uint256 blockNumber) private _commits;
    /// @dev per category, the role (held by the signer's key) that may add versions to any document.
    bytes32[CATEGORIES] private _versionRoles;

    /// @param jurisdiction_ the jurisdiction (roles, code, profile)
    /// @param persons_ the province's person registry (signers' keys)
    /// @param council_ the council whose motions documents execute; zero if none yet
    /// @param versionRoles_ per category, the role the profile names (`document_roles`) whose holders
    /// may also sign new versions of that category's documents; zero: none
    constructor(
        IJurisdiction jurisdiction_,
        IPersonRegistry persons_,
        ICouncilDecisions council_,
        bytes32[CATEGORIES] memory versionRoles_
    ) JurisdictionBound(jurisdiction_) PersonSigned("zhili EvidenceLedger", "1", persons_) {
        council = council_;
        profileKind = jurisdiction_.params().kind;
        _versionRoles = versionRoles_;
        emit VersionRolesSet(versionRoles_);
    }

    // ------------------------------------------------------------------ documents

    function commit(bytes32 commitmentHash) external {
        if (_commits[commitmentHash] != 0) return; // the earliest commitment stands; a copy changes nothing
        _commits[commitmentHash] = block.number;
        emit Committed(commitmentHash, msg.sender);
    }

    function anchor(DocInput calldata d, bytes32 signer, bytes32 r, bytes32 vs) external {
        _checkNew(d);
        uint256 answerable = _answerable(signer, _verifySigner(d, Kind.Original, bytes32(0), EMPTY_HASH, signer, r, vs));
        uint256 trace = _issueTrace(uint8(d.category));
        uint256 rec = block.timestamp | (uint256(d.algorithm) << 40) | (uint256(uint8(Status.Current)) << STATUS_SHIFT)
            | (uint256(1) << 64) | (trace << TRACE_SHIFT) | (uint256(_linkMotion(d, true)) << 168) | answerable;
        _useCommitment(d.fingerprint, signer);
        _records[d.fingerprint] = rec;
        emit DocumentAnchored(d.fingerprint, uint64(trace), signer, rec, d.title, d.details, r, vs);
    }

    function newVersion(
        bytes32 previous,
        Kind kind,
        string calldata reason,
        DocInput calldata d,
        bytes32 signer,
        bytes32 r,
        bytes32 vs
    ) external {
        if (kind == Kind.Original) revert NotAVersionKind(kind);
        if (bytes(reason).length == 0) revert EmptyReason();
        _checkNew(d);
        uint256 prev = _currentRecord(previous, d.category);
        uint256 signerNo = _verifySigner(d, kind, previous, keccak256(bytes(reason)), signer, r, vs);
        _checkAnswers(previous, prev, signer);
        _useCommitment(d.fingerprint, signer);
        bool revocation = kind == Kind.Revocation;
        _records[previous] = (prev & ~(uint256(0xff) << STATUS_SHIFT))
            | (uint256(uint8(revocation ? Status.Revoked : Status.Superseded)) << STATUS_SHIFT);
        uint256 rec = _nextRecord(prev, kind, d.algorithm, signerNo) | (uint256(_linkMotion(d, false)) << 168);
        _records[d.fingerprint] = rec;
        _emitVersion(d, previous, rec, reason, signer, r, vs);
    }

    // ------------------------------------------------------------------ access log (R-DOC-5)

    function anchorAccessLog(bytes32 head, uint64 entries) external onlyRole(RECORDS_KEEPER) {
        LogHead storage h = _logs[msg.sender];
        if (entries <= h.entries || head == bytes32(0)) revert LogNotExtended(h.entries, entries);
        emit AccessLogAnchored(msg.sender, entries, head, h.head);
        h.head = head;
        h.entries = entries;
        h.anchoredAt = uint40(block.timestamp);
    }

    // ------------------------------------------------------------------ views

    // Records pack block.timestamp in their low bits, so slither taints every comparison of their
    // enum fields (status, category) as a "strict equality on time"; none compares a time. See
    // docs/static-analysis.md.
    // slither-disable-start incorrect-equality

    function record(bytes32 fingerprint) external view returns (Record memory) {
        return _unpack(_records[fingerprint]);
    }

    function verify(bytes32 fingerprint)
        external
        view
        returns (Status status, bytes32 signer, uint40 anchoredAt, string memory code, uint16 version)
    {
        Record memory rec = _unpack(_records[fingerprint]);
        if (rec.status == Status.None) return (Status.None, bytes32(0), 0, "", 0);
        return (rec.status, _signerAt[rec.signer], rec.anchoredAt, _traceCode(rec), rec.version);
    }

    function traceCode(bytes32 fingerprint) external view returns (string memory) {
        Record memory rec = _unpack(_records[fingerprint]);
        return rec.status == Status.None ? "" : _traceCode(rec);
    }

    function signerOf(bytes32 fingerprint) external view returns (bytes32) {
        return _signerAt[uint32(_records[fingerprint] >> 136)];
    }

    function signerAt(uint32 number) external view returns (bytes32) {
        return _signerAt[number];
    }

    function signerNumber(bytes32 personId) external view returns (uint32) {
        return _signerNumber[personId];
    }

    function counters()
        external
        view
        returns (uint16 year, uint32[CATEGORIES] memory seqs, uint32 signers, uint48 documents)
    {
        uint256 c = _counters;
        year = uint16(c);
        for (uint256 i = 0; i < CATEGORIES; ++i) {
            seqs[i] = uint32(c >> (16 + 32 * i));
        }
        signers = uint32(c >> 176);
        documents = uint48(c >> 208);
    }

    function versionRole(Category category) external view returns (bytes32) {
        return _versionRoles[uint8(category)];
    }

    function commitment(bytes32 fingerprint, bytes32 signer) public pure returns (bytes32) {
        return keccak256(abi.encode(fingerprint, signer));
    }

    function committedAt(bytes32 commitmentHash) external view returns (uint256) {
        return _commits[commitmentHash];
    }

    function accessLog(address keeper) external view returns (LogHead memory) {
        return _logs[keeper];
    }

    function digest(DocInput calldata d, Kind kind, bytes32 previous, string calldata reason, bytes32 signer)
        external
        view
        returns (bytes32)
    {
        return _digest(d, kind, previous, keccak256(bytes(reason)), signer);
    }

    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function yearOf(uint256 timestamp) public pure returns (uint16) {
        return uint16(CivilDate.yearOf(CivilDate.cstDay(timestamp)));
    }

    // ------------------------------------------------------------------ internals

    function _checkNew(DocInput calldata d) private view {
        if (d.fingerprint == bytes32(0)) revert EmptyFingerprint();
        if (d.algorithm != SHA256 && d.algorithm != SM3) revert UnknownAlgorithm(d.algorithm);
        if (bytes(d.title).length == 0) revert EmptyTitle();
        uint256 existing = _records[d.fingerprint];
        if (existing != 0) {
            revert AlreadyAnchored(d.fingerprint, _traceKey(existing), uint16(existing >> 64));
        }
    }

    /// @dev The commitment to (`fingerprint`, `signer`) was made in an earlier block; it is used up.
    /// Checked last, so that a client can simulate a version, learn that only the commitment is
    /// missing, and commit without writing anything for a version that would be refused anyway.
    function _useCommitment(bytes32 fingerprint, bytes32 signer) private {
        bytes32 c = commitment(fingerprint, signer);
        uint256 at = _commits[c];
        if (at == 0 || at >= block.number) revert NotCommitted(fingerprint, signer, at, block.number);
        delete _commits[c];
    }

    /// @dev The original's signer fields: its signer number (bits 136 and 236) and the office (+1)
    /// the signer holds in the jurisdiction now, at anchoring (bits 232-235).
    function _answerable(bytes32 signer, uint256 signerNo) private view returns (uint256) {
        (bool seated, Office office) = jurisdiction.officeOf(signer);
        return (signerNo << 136) | ((seated ? uint256(office) + 1 : 0) << OFFICE_SHIFT) | (signerNo << ORIGINAL_SHIFT);
    }

    /// @dev `signer` answers for the document whose current version is `previous` (record `prev`):
    /// its original signer, the current holder of the office that signed the original, or a holder
    /// (by current key) of the role the profile names for its category.
    function _checkAnswers(bytes32 previous, uint256 prev, bytes32 signer) private view {
        bytes32 original = _signerAt[uint32(prev >> ORIGINAL_SHIFT)];
        if (signer == original) return;
        uint8 office = uint8((prev >> OFFICE_SHIFT) & 0xf);
        if (office != 0 && jurisdiction.holder(Office(office - 1)) == signer) return;
        bytes32 role = _versionRoles[uint8(prev >> 112)];
        if (role != bytes32(0) && jurisdiction.hasRole(role, persons.keyOf(signer))) return;
        revert NotAnswerable(previous, signer, original, office, role);
    }

    /// @dev The record of `previous`, which must be the current version of a trace of `category`.
    function _currentRecord(bytes32 previous, Category category) private view returns (uint256 prev) {
        prev = _records[previous];
        Status ps = Status(uint8(prev >> STATUS_SHIFT));
        if (ps == Status.None) revert UnknownDocument(previous);
        if (ps == Status.Revoked) revert DocumentRevoked(previous);
        if (ps != Status.Current) revert NotCurrent(previous, ps);
        if (uint8(category) != uint8(prev >> 112)) revert CategoryChanged(Category(uint8(prev >> 112)), category);
        uint16 version = uint16(prev >> 64);
        if (version == type(uint16).max) revert VersionLimit(previous, version);
    }

    /// @dev The record of the version after `prev` (same trace, next version number), without motion.
    function _nextRecord(uint256 prev, Kind kind, uint8 algorithm, uint256 signerNo) private view returns (uint256) {
        Status status = kind == Kind.Revocation ? Status.Revoked : Status.Current;
        return block.timestamp | (uint256(algorithm) << 40) | (uint256(uint8(kind)) << 48)
            | (uint256(uint8(status)) << STATUS_SHIFT) | ((uint256(uint16(prev >> 64)) + 1) << 64)
            | (prev & (((uint256(1) << 56) - 1) << TRACE_SHIFT)) | (signerNo << 136)
            | (prev & (((uint256(1) << 24) - 1) << OFFICE_SHIFT));
    }

    function _verifySigner(
        DocInput calldata d,
        Kind kind,
        bytes32 previous,
        bytes32 reasonHash,
        bytes32 signer,
        bytes32 r,
        bytes32 vs
    ) private returns (uint256 number) {
        address key = persons.keyOf(signer);
        if (key == address(0)) revert UnknownSigner(signer);
        _checkSignedBy(signer, key, _digest(d, kind, previous, reasonHash, signer), r, vs);
        number = _signerNumber[signer];
        if (number == 0) {
            uint256 c = _counters;
            number = uint32(c >> 176) + 1;
            if (number > MAX_SIGNERS) revert TooManySigners(number);
            _counters = (c & ~(uint256(type(uint32).max) << 176)) | (number << 176);
            _signerNumber[signer] = uint32(number);
            _signerAt[uint32(number)] = signer;
            emit SignerAdded(signer, uint32(number));
        }
    }

    function _digest(DocInput calldata d, Kind kind, bytes32 previous, bytes32 reasonHash, bytes32 signer)
        private
        view
        returns (bytes32)
    {
        bytes32[11] memory w;
        w[0] = DOCUMENT_TYPEHASH;
        w[1] = d.fingerprint;
        w[2] = bytes32(uint256(d.algorithm));
        w[3] = bytes32(uint256(uint8(d.category)));
        w[4] = bytes32(uint256(d.motionId));
        w[5] = keccak256(bytes(d.title));
        w[6] = keccak256(d.details);
        w[7] = bytes32(uint256(uint8(kind)));
        w[8] = previous;
        w[9] = reasonHash;
        w[10] = signer;
        bytes32 structHash;
        assembly ("memory-safe") {
            structHash := keccak256(w, 352)
        }
        return _hashTypedDataV4(structHash);
    }

    function _emitVersion(
        DocInput calldata d,
        bytes32 previous,
        uint256 rec,
        string calldata reason,
        bytes32 signer,
        bytes32 r,
        bytes32 vs
    ) private {
        emit VersionAdded(d.fingerprint, _traceKey(rec), signer, previous, rec, d.title, d.details, reason, r, vs);
    }

    /// @dev Issue the next trace key of `cat` in the current year (sequences reset when the year
    /// changes) and count the document.
    function _issueTrace(uint8 cat) private returns (uint256 trace) {
        uint256 c = _counters;
        uint16 year = yearOf(block.timestamp);
        if (uint16(c) != year) {
            c = ((c >> 176) << 176) | year; // keep signers and documents, clear the sequences
        }
        uint256 shift = 16 + 32 * uint256(cat);
        uint256 seq = uint32(c >> shift) + 1;
        c = (c & ~(uint256(type(uint32).max) << shift)) | (seq << shift);
        _counters = c + (uint256(1) << 208);
        trace = (uint256(year) << 40) | (uint256(cat) << 32) | seq;
    }

    function _traceKey(uint256 rec) private pure returns (uint64) {
        return uint64((rec >> TRACE_SHIFT) & ((uint256(1) << 56) - 1));
    }

    function _unpack(uint256 p) private pure returns (Record memory rec) {
        rec.anchoredAt = uint40(p);
        rec.algorithm = uint8(p >> 40);
        rec.kind = Kind(uint8(p >> 48));
        rec.status = Status(uint8(p >> STATUS_SHIFT));
        rec.version = uint16(p >> 64);
        rec.seq = uint32(p >> 80);
        rec.category = Category(uint8(p >> 112));
        rec.year = uint16(p >> 120);
        rec.signer = uint32(p >> 136);
        rec.motionId = uint64(p >> 168);
        rec.office = uint8((p >> OFFICE_SHIFT) & 0xf);
        rec.originalSigner = uint32(p >> ORIGINAL_SHIFT);
    }

    function _linkMotion(DocInput calldata d, bool original) private returns (uint64) {
        uint64 motionId = d.motionId;
        if (motionId == 0) return 0;
        if (address(council) == address(0)) revert NoCouncil(motionId);
        ICouncilDecisions.Decision memory dec = council.decision(motionId);
        if (!dec.passed) revert MotionNotPassed(motionId, dec.yesWeight, dec.threshold);
        if (original && dec.category != uint8(d.category)) revert CategoryMismatch(motionId, dec.category, d.category);
        emit MotionLinked(d.fingerprint, motionId, dec);
        if (profileKind == ProfileKind.County) {
            (bytes32[5] memory members, uint16[5] memory weights, uint8[5] memory votes) = council.positions(motionId);
            emit PositionsRecorded(d.fingerprint, motionId, members, weights, votes);
        }
        return motionId;
    }

    function _traceCode(Record memory rec) private view returns (string memory) {
        string memory seq = Strings.toString(rec.seq);
        uint256 len = bytes(seq).length;
        if (len < 4) seq = string.concat(len == 1 ? "000" : len == 2 ? "00" : "0", seq);
        return
            string.concat(
                jurisdiction.code(), "-", Strings.toString(rec.year), "-", _categoryCode(rec.category), "-", seq
            );
    }

    function _categoryCode(Category c) private pure returns (string memory) {
        if (c == Category.Strategic) return "ST";
        if (c == Category.Discipline) return "DI";
        if (c == Category.Legislative) return "LE";
        if (c == Category.Consultative) return "CO";
        return "LI";
    }
    // slither-disable-end incorrect-equality
}
