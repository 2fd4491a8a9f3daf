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
        persons.register(SIGNER, vms.addr(PK));
        council = new StubCouncil();
        ledger = new EvidenceLedger(j, persons, council);
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
        (uint8 v, bytes32 r_, bytes32 s) = vms.sign(PK, this.digestOf(d, kind, prev, reason));
        r = r_;
        vs = bytes32(uint256(s) | (uint256(v - 27) << 255));
    }

    function digestOf(
        IEvidenceLedger.DocInput calldata d,
        IEvidenceLedger.Kind kind,
        bytes32 prev,
        string calldata reason
    ) external view returns (bytes32) {
        return ledger.digest(d, kind, prev, reason, SIGNER);
    }

    function _anchor(bytes32 fp, uint64 motion) internal {
        IEvidenceLedger.DocInput memory d = _doc(fp, motion);
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
        (bool ok,) = address(ledger).call(abi.encodeCall(EvidenceLedger.anchor, (d, SIGNER, r, vs)));
        vm.assertFalse(ok, "signature for another fingerprint");
    }
}
