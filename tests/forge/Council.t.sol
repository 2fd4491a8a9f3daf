// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Jurisdiction} from "../../contracts/registry/Jurisdiction.sol";
import {WorkCalendar} from "../../contracts/registry/WorkCalendar.sol";
import {PersonRegistry} from "../../contracts/registry/PersonRegistry.sol";
import {Council} from "../../contracts/council/Council.sol";
import {ICouncilDecisions} from "../../contracts/interfaces/ICouncilDecisions.sol";
import {Office, Category, CORE_OFFICES, CATEGORIES} from "../../contracts/lib/ZhiliTypes.sol";
import {townshipParams} from "./Jurisdiction.t.sol";
import {ZhiliTest} from "./utils/ZhiliTest.sol";
import {ICouncil} from "../../contracts/interfaces/ICouncil.sol";

/// @dev Cheatcodes this test needs beyond ZhiliTest's (same cheatcode address).
interface VmClock {
    function warp(uint256 newTimestamp) external;
}

/// @notice R-WD-2 threshold property: a motion passes exactly when the weight of the seated members who
/// voted yes and revealed is at least the threshold (160), for random weight rows, vacancies, votes
/// and non-reveals; vacant seats never vote (R-TC-3) and unrevealed votes never count (R-WD-5).
contract CouncilThresholdTest is ZhiliTest {
    VmClock internal constant clock = VmClock(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    bytes32 internal constant SECRETARIAT = keccak256("zhili.role.SECRETARIAT");
    bytes32 internal constant OFFICE_WRITER = keccak256("zhili.role.OFFICE_WRITER");
    /// @dev The jurisdiction of the last `_setUp` (`jurisdiction()`: what `Jurisdiction` checks of a writer).
    address public jurisdiction;
    bytes32 internal constant REGISTRAR = keccak256("zhili.role.REGISTRAR");

    function _key(uint256 o) internal pure returns (address) {
        return address(uint160(0xC0DE00 + o));
    }

    function _pid(uint256 o) internal pure returns (bytes32) {
        return keccak256(abi.encode("zhili.council.member", o));
    }

    function _setUp(uint8[CORE_OFFICES] memory row, uint8 seatedMask) internal returns (Council c) {
        uint16[CORE_OFFICES][CATEGORIES] memory w;
        for (uint256 k = 0; k < CATEGORIES; ++k) {
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                w[k][o] = row[o];
            }
        }
        Jurisdiction j = new Jurisdiction(
            address(this), new WorkCalendar(address(this)), "330110-001", "Testtown", townshipParams(160), w
        );
        j.grantRole(SECRETARIAT, address(this));
        jurisdiction = address(j); // this test seats as a writer bound to `j` (WriterAccess)
        j.grantRole(OFFICE_WRITER, address(this));
        PersonRegistry p = new PersonRegistry(address(this));
        p.grantRole(REGISTRAR, address(this));
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            p.register(_pid(o), _key(o), keccak256(abi.encode("identity", _pid(o))));
            if (seatedMask & (1 << o) != 0) j.seat(Office(o), _pid(o));
        }
        c = new Council(j, p, ICouncil.WindowLimits(60, 60, 60, 86_400));
    }

    function _propose(Council c, Category category) internal returns (uint256) {
        bytes32[] memory refs = new bytes32[](1);
        refs[0] = keccak256("basis");
        return c.propose(
            ICouncil.Proposal({
                kind: ICouncil.Kind.General,
                category: category,
                contentHash: keccak256("motion"),
                basisRefs: refs,
                planId: keccak256("plan"),
                budgetLine: bytes32(0),
                year: 0,
                amount: 0,
                classifyWindow: 60,
                voteWindow: 60,
                revealWindow: 60
            })
        );
    }

    function testFuzz_passesExactlyAtThresholdOfSeatedRevealedYes(
        uint8[CORE_OFFICES] memory row,
        uint8 seatedMask,
        uint8 categorySeed,
        uint16 votesSeed,
        uint8 revealMask
    ) public {
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            // weights 39/40, 59/60, ..., 139/140: each below 160, every row reaches it (R-WD-2), and sums
            // of two or three of them land exactly on 160 and on 159 in many runs (issue 20); 139 and 140
            // use the top bit of a packed weight
            uint256 x = bound(row[o], 0, 11);
            row[o] = uint8(40 + 20 * (x / 2) - (x % 2));
        }
        seatedMask = uint8(bound(seatedMask, 1, 31)); // at least one member seated
        _vote(row, seatedMask, categorySeed, votesSeed, revealMask);
    }

    /// @dev The threshold's edge itself, every run: 100 + 60 = 160 passes, 100 + 59 = 159 fails (R-WD-2).
    function test_passesAt160FailsAt159() public {
        uint8[CORE_OFFICES] memory row = [uint8(100), 59, 60, 40, 20];
        // 2 bits per office (1 yes, 2 no): secretary yes, discipline no, congress yes
        vm.assertEq(_vote(row, 31, 0, 1 | (2 << 2) | (1 << 4), 31), 160, "yes weight 160");
        // secretary yes, discipline yes, congress no
        vm.assertEq(_vote(row, 31, 0, 1 | (1 << 2) | (2 << 4), 31), 159, "yes weight 159");
    }

    /// @dev One motion voted as `votesSeed` says (2 bits per office), revealed per `revealMask`, closed
    /// and checked; returns the yes weight of the seated members who revealed yes.
    function _vote(
        uint8[CORE_OFFICES] memory row,
        uint8 seatedMask,
        uint8 categorySeed,
        uint16 votesSeed,
        uint8 revealMask
    ) internal returns (uint256 expectedYes) {
        Council c = _setUp(row, seatedMask);
        uint256 id = _propose(c, Category(categorySeed % CATEGORIES));
        clock.warp(block.timestamp + 60);
        Office lead = c.lead(id);
        vm.prank(_key(uint8(lead)));
        c.stateOpinion(id, keccak256("opinion"));

        uint8[CORE_OFFICES] memory cast;
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            uint8 position = uint8((votesSeed >> (2 * o)) & 3); // 0 = does not vote
            if (position == 0) continue;
            bytes32 pid = _pid(o);
            bytes32 commitment = keccak256(abi.encode(address(c), id, pid, position, bytes32(o)));
            vm.prank(_key(o));
            if (seatedMask & (1 << o) == 0) {
                // R-TC-3: a vacant seat cannot vote
                vm.expectRevert(abi.encodeWithSelector(ICouncil.SeatVacant.selector, Office(o)));
                c.commit(id, Office(o), commitment);
                continue;
            }
            c.commit(id, Office(o), commitment);
            cast[o] = position;
        }
        clock.warp(block.timestamp + 60);
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            if (cast[o] == 0 || revealMask & (1 << o) == 0) continue; // R-WD-5: never revealed
            c.reveal(id, Office(o), cast[o], bytes32(o));
            if (cast[o] == 1) expectedYes += row[o];
        }
        clock.warp(block.timestamp + 60);
        c.close(id);

        ICouncilDecisions.Decision memory d = c.decision(id);
        vm.assertEq(d.yesWeight, expectedYes, "yes weight = seated, revealed yes");
        vm.assertTrue(d.passed == (expectedYes >= 160), "passes exactly at the threshold");
        if (d.passed) {
            vm.assertTrue(d.yesWeight >= d.threshold, "a passed motion had the threshold");
            vm.assertEq(d.firstResponsible, _pid(uint8(lead)), "first responsible = the lead");
        } else {
            vm.assertEq(d.firstResponsible, bytes32(0), "no first responsible when it fails");
        }
        (bytes32[CORE_OFFICES] memory members,, uint8[CORE_OFFICES] memory votes) = c.positions(id);
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            if (seatedMask & (1 << o) == 0) {
                vm.assertEq(members[o], bytes32(0), "vacant seat on the roster");
                vm.assertEq(votes[o], 0, "vacant seat has no position");
            }
        }
    }
}
