// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Jurisdiction} from "../../contracts/registry/Jurisdiction.sol";
import {WorkCalendar} from "../../contracts/registry/WorkCalendar.sol";
import {PersonRegistry} from "../../contracts/registry/PersonRegistry.sol";
import {EvidenceLedger} from "../../contracts/evidence/EvidenceLedger.sol";
import {ICouncilDecisions} from "../../contracts/interfaces/ICouncilDecisions.sol";
import {Category} from "../../contracts/lib/ZhiliTypes.sol";
import {ZhiliTest} from "./utils/ZhiliTest.sol";
import {townshipParams, townshipWeights} from "./Jurisdiction.t.sol";
import {IEvidenceLedger} from "../../contracts/interfaces/IEvidenceLedger.sol";

/// @dev The signing cheatcodes this file needs (forge's `Vm` interface).
interface VmSign {
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function addr(uint256 privateKey) external pure returns (address);
    function roll(uint256 newHeight) external;
    function load(address target, bytes32 slot) external view returns (bytes32);
    function store(address target, bytes32 slot, bytes32 value) external;
}

/// @dev A council stand-in implementing the interface the ledger reads (R-DOC-2).
contract StubCouncil is ICouncilDecisions {
    mapping(uint256 => Decision) internal _d;
    mapping(uint256 => bool) internal _known;

    error NotDecided(uint256 motionId);

    function set(uint256 motionId, uint8 category, bool passed, uint16 yes, bytes32 first) external {
        _d[motionId] = Decision(category, passed, false, yes, 160, 1, first, bytes32("line"), 100, bytes32("basis"));
        _known[motionId] = true;
    }

    function decision(uint256 motionId) external view returns (Decision memory) {
        if (!_known[motionId]) revert NotDecided(motionId);
        return _d[motionId];
    }

    function positions(uint256) external pure returns (bytes32[5] memory, uint16[5] memory, uint8[5] memory) {}
}

contract EvidenceLedgerTest is ZhiliTest {
    VmSign internal constant vms = VmSign(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    uint256 internal constant PK = 0xA11CE5;
    bytes32 internal constant SIGNER = keccak256("signer person");
    uint256 internal constant PK2 = 0xB0B5;
    bytes32 internal constant SQUATTER = keccak256("squatter person");

    Jurisdiction internal j;
    PersonRegistry internal persons;
    StubCouncil internal council;
    EvidenceLedger internal ledger;

    function setUp() public {
        j = new Jurisdiction(
            address(this),
            new WorkCalendar(address(this)),
            "330110-001",
            "Testtown",
            townshipParams(160),
            townshipWeights()
        );
        persons = new PersonRegistry(address(this));
        persons.grantRole(persons.REGISTRAR(), address(this));
        persons.register(SIGNER, vms.addr(PK), keccak256("identity signer"));
        persons.register(SQUATTER, vms.addr(PK2), keccak256("identity squatter"));
        council = new StubCouncil();
        bytes32[5] memory noRoles;
        ledger = new EvidenceLedger(j, persons, council, noRoles);
    }

    function _doc(bytes32 fp, uint64 motion) internal pure returns (IEvidenceLedger.DocInput memory d) {
        d.fingerprint = fp;
        d.algorithm = 1;
        d.category = Category.Livelihood;
        d.motionId = motion;
        d.title = "decision";
        d.details = bytes('{"summary":"s"}');
    }

    function _sig(IEvidenceLedger.DocInput memory d, IEvidenceLedger.Kind kind, bytes32 prev, string memory reason)
        internal
        view
        returns (bytes32 r, bytes32 vs)
    {
        return _sigBy(PK, SIGNER, d, kind, prev, reason);
    }

    function _sigBy(
        uint256 pk,
        bytes32 signer,
        IEvidenceLedger.DocInput memory d,
        IEvidenceLedger.Kind kind,
        bytes32 prev,
        string memory reason
    ) internal view returns (bytes32 r, bytes32 vs) {
        bytes32 digest = this.digestOf(d, kind, prev, reason, signer);
        uint8 v;
        (v, r, vs) = vms.sign(pk, digest);
        vs = bytes32(uint256(vs) | (uint256(v - 27) << 255));
    }

    function digestOf(
        IEvidenceLedger.DocInput calldata d,
        IEvidenceLedger.Kind kind,
        bytes32 prev,
        string calldata reason,
        bytes32 signer
    ) external view returns (bytes32) {
        return ledger.digest(d, kind, prev, reason, signer);
    }

    /// @dev Commit to (fp, signer) and move to the next block, where it may be used.
    function _commit(bytes32 fp, bytes32 signer) internal {
        ledger.commit(ledger.commitment(fp, signer));
        vms.roll(block.number + 1);
    }

    function _anchor(bytes32 fp, uint64 motion) internal {
        IEvidenceLedger.DocInput memory d = _doc(fp, motion);
        _commit(fp, SIGNER);
        (bytes32 r, bytes32 vs) = _sig(d, IEvidenceLedger.Kind.Original, bytes32(0), "");
        ledger.anchor(d, SIGNER, r, vs);
    }

    /// R-DOC-2: the motion's decision is read from the council; a failed motion cannot be executed.
    function test_motionLinkReadsTheCouncil() public {
        council.set(1, uint8(Category.Livelihood), true, 200, SIGNER);
        council.set(2, uint8(Category.Livelihood), false, 120, bytes32(0));
        _anchor(keccak256("doc 1"), 1);
        vm.assertEq(uint256(ledger.record(keccak256("doc 1")).motionId), 1, "motion stored");
        IEvidenceLedger.DocInput memory d = _doc(keccak256("doc 2"), 2);
        (bytes32 r, bytes32 vs) = _sig(d, IEvidenceLedger.Kind.Original, bytes32(0), "");
        _commit(d.fingerprint, SIGNER);
        vm.expectRevert(
            abi.encodeWithSelector(IEvidenceLedger.MotionNotPassed.selector, uint256(2), uint16(120), uint16(160))
        );
        ledger.anchor(d, SIGNER, r, vs);
    }

    /// R-DOC-4: whatever order versions are attempted in, each trace has exactly one current
    /// version until it is revoked, and version numbers stay contiguous.
    function testFuzz_exactlyOneCurrentVersion(uint256 seed) public {
        bytes32[] memory fps = new bytes32[](9);
        fps[0] = keccak256(abi.encode(seed, "v1"));
        _anchor(fps[0], 0);
        uint256 count = 1;
        bool revoked;
        for (uint256 step = 1; step < 9; ++step) {
            uint256 pick = uint256(keccak256(abi.encode(seed, step))) % count;
            bytes32 prev = fps[pick];
            IEvidenceLedger.Kind kind = IEvidenceLedger.Kind(1 + uint256(keccak256(abi.encode(seed, "k", step))) % 3);
            IEvidenceLedger.DocInput memory d = _doc(keccak256(abi.encode(seed, step)), 0);
            (bytes32 r, bytes32 vs) = _sig(d, kind, prev, "reason");
            IEvidenceLedger.Status ps = ledger.record(prev).status;
            _commit(d.fingerprint, SIGNER);
            if (ps == IEvidenceLedger.Status.Current) {
                ledger.newVersion(prev, kind, "reason", d, SIGNER, r, vs);
                fps[count++] = d.fingerprint;
                if (kind == IEvidenceLedger.Kind.Revocation) revoked = true;
            } else {
                vm.expectRevert(
                    ps == IEvidenceLedger.Status.Revoked
                        ? abi.encodeWithSelector(IEvidenceLedger.DocumentRevoked.selector, prev)
                        : abi.encodeWithSelector(IEvidenceLedger.NotCurrent.selector, prev, ps)
                );
                ledger.newVersion(prev, kind, "reason", d, SIGNER, r, vs);
            }
            uint256 current;
            for (uint256 i = 0; i < count; ++i) {
                IEvidenceLedger.Record memory rec = ledger.record(fps[i]);
                vm.assertEq(rec.version, i + 1, "contiguous versions");
                vm.assertEq(rec.seq, 1, "same trace");
                if (rec.status == IEvidenceLedger.Status.Current) ++current;
            }
            vm.assertEq(current, revoked ? 0 : 1, "one current version");
        }
    }

    /// R-DOC-3: a signature over one fingerprint never anchors another.
    function testFuzz_signatureBindsTheFingerprint(bytes32 a, bytes32 b) public {
        vm.assume(a != b && a != bytes32(0) && b != bytes32(0));
        IEvidenceLedger.DocInput memory d = _doc(a, 0);
        (bytes32 r, bytes32 vs) = _sig(d, IEvidenceLedger.Kind.Original, bytes32(0), "");
        d.fingerprint = b;
        _commit(b, SIGNER);
        (bool ok,) = address(ledger).call(abi.encodeCall(EvidenceLedger.anchor, (d, SIGNER, r, vs)));
        vm.assertFalse(ok, "signature for another fingerprint");
    }

    /// R-DOC-3 (fingerprint squatting): a fingerprint enters only for the signer who committed to it in
    /// an earlier block. The real signer's commitment is used in the next block; a squatter who copies
    /// the fingerprint from the pending anchor has no commitment, and one made in the anchor's own
    /// block is refused there, so the real anchor lands first and the copy is `AlreadyAnchored`.
    function test_commitFirstDefeatsFingerprintSquatting() public {
        IEvidenceLedger.DocInput memory d = _doc(keccak256("the real decision"), 0);
        (bytes32 r, bytes32 vs) = _sig(d, IEvidenceLedger.Kind.Original, bytes32(0), "");
        uint256 n = block.number;
        ledger.commit(ledger.commitment(d.fingerprint, SIGNER));
        // the same block: refused (the commitment must come from an earlier block)
        vm.expectRevert(abi.encodeWithSelector(IEvidenceLedger.NotCommitted.selector, d.fingerprint, SIGNER, n, n));
        ledger.anchor(d, SIGNER, r, vs);
        vms.roll(n + 1);
        // the squatter signs the same fingerprint under their own name: no commitment of theirs
        (bytes32 r2, bytes32 vs2) = _sigBy(PK2, SQUATTER, d, IEvidenceLedger.Kind.Original, bytes32(0), "");
        vm.expectRevert(
            abi.encodeWithSelector(IEvidenceLedger.NotCommitted.selector, d.fingerprint, SQUATTER, 0, n + 1)
        );
        ledger.anchor(d, SQUATTER, r2, vs2);
        // nor with one made in the block of the real anchor
        ledger.commit(ledger.commitment(d.fingerprint, SQUATTER));
        vm.expectRevert(
            abi.encodeWithSelector(IEvidenceLedger.NotCommitted.selector, d.fingerprint, SQUATTER, n + 1, n + 1)
        );
        ledger.anchor(d, SQUATTER, r2, vs2);
        ledger.anchor(d, SIGNER, r, vs); // the real signer's anchor, one block after its commitment
        vm.assertEq(ledger.signerOf(d.fingerprint), SIGNER, "the real signer");
        vm.assertEq(ledger.committedAt(ledger.commitment(d.fingerprint, SIGNER)), 0, "commitment used up");
        vms.roll(n + 2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEvidenceLedger.AlreadyAnchored.selector, d.fingerprint, uint256(_traceOf(d.fingerprint)), uint16(1)
            )
        );
        ledger.anchor(d, SQUATTER, r2, vs2);
    }

    /// R-DOC-4: the 16-bit version number never carries into the trace sequence. With the record
    /// poked to version 65,534 the next version is 65,535 (the bound) and the one after is refused.
    function test_versionCounterRefusesOverflow() public {
        bytes32 v1 = keccak256("long-lived document");
        _anchor(v1, 0);
        bytes32 slot = _recordSlot(v1);
        uint256 rec = uint256(vms.load(address(ledger), slot));
        rec = (rec & ~(uint256(0xffff) << 64)) | (uint256(65534) << 64);
        vms.store(address(ledger), slot, bytes32(rec));
        bytes32 last = _version(v1, "version 65535");
        IEvidenceLedger.Record memory r = ledger.record(last);
        vm.assertEq(r.version, 65535, "the last version number");
        vm.assertEq(r.seq, 1, "same trace");
        IEvidenceLedger.DocInput memory d = _doc(keccak256("version 65536"), 0);
        (bytes32 rr, bytes32 vs) = _sig(d, IEvidenceLedger.Kind.Amendment, last, "reason");
        _commit(d.fingerprint, SIGNER);
        vm.expectRevert(abi.encodeWithSelector(IEvidenceLedger.VersionLimit.selector, last, uint16(65535)));
        ledger.newVersion(last, IEvidenceLedger.Kind.Amendment, "reason", d, SIGNER, rr, vs);
        vm.assertEq(uint256(ledger.record(last).status), uint256(IEvidenceLedger.Status.Current), "still current");
    }

    function _version(bytes32 prev, string memory text) internal returns (bytes32) {
        IEvidenceLedger.DocInput memory d = _doc(keccak256(bytes(text)), 0);
        (bytes32 r, bytes32 vs) = _sig(d, IEvidenceLedger.Kind.Amendment, prev, "reason");
        _commit(d.fingerprint, SIGNER);
        ledger.newVersion(prev, IEvidenceLedger.Kind.Amendment, "reason", d, SIGNER, r, vs);
        return d.fingerprint;
    }

    /// @dev The storage slot of `_records[fp]` (found, not assumed: the mapping's slot follows the layout).
    function _recordSlot(bytes32 fp) internal view returns (bytes32) {
        for (uint256 i = 0; i < 16; ++i) {
            bytes32 slot = keccak256(abi.encode(fp, i));
            if (vms.load(address(ledger), slot) != bytes32(0)) return slot;
        }
        revert("record slot not found");
    }

    function _traceOf(bytes32 fp) internal view returns (uint64) {
        IEvidenceLedger.Record memory r = ledger.record(fp);
        return (uint64(r.year) << 40) | (uint64(uint8(r.category)) << 32) | uint64(r.seq);
    }
}
