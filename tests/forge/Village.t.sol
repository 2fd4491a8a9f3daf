// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Jurisdiction} from "../../contracts/registry/Jurisdiction.sol";
import {PersonRegistry} from "../../contracts/registry/PersonRegistry.sol";
import {WorkCalendar} from "../../contracts/registry/WorkCalendar.sol";
import {ICreditFramework} from "../../contracts/interfaces/ICreditFramework.sol";
import {IVillageLedger} from "../../contracts/interfaces/IVillageLedger.sol";
import {IVillageQuarters} from "../../contracts/interfaces/IVillageQuarters.sol";
import {ICreditSupermarket} from "../../contracts/interfaces/ICreditSupermarket.sol";
import {CreditFramework} from "../../contracts/village/CreditFramework.sol";
import {VillageLedger} from "../../contracts/village/VillageLedger.sol";
import {VillageQuarters} from "../../contracts/village/VillageQuarters.sol";
import {CreditSupermarket} from "../../contracts/village/CreditSupermarket.sol";
import {Roles} from "../../contracts/lib/Roles.sol";
import {townshipParams, townshipWeights} from "./Jurisdiction.t.sol";
import {ZhiliTest} from "./utils/ZhiliTest.sol";

/// @dev Cheatcodes the village edges need beyond ZhiliTest's.
interface VmVillage {
    function warp(uint256 time) external;
    function addr(uint256 privateKey) external returns (address);
    function sign(uint256 privateKey, bytes32 digest) external returns (uint8 v, bytes32 r, bytes32 s);
}

/// @dev The edges of the village scheme (SPEC section 9): the assembly at exactly half and more
/// than half (R-VC-2), the objection window's last second and the first after (R-VC-7), a grade
/// threshold exactly met (R-VC-8), stock reaching zero (R-VC-10).
contract VillageEdgesTest is ZhiliTest {
    VmVillage internal constant hv = VmVillage(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    uint256 internal constant LOW_2026 = 0x3e7cf9f3e7cf9f3e7cf9f1e7cf9f3e7de0f3e7cf1f3e7cf9f7c01f9f3e7cf9f8;
    uint256 internal constant HIGH_2026 = 0x1e7cf9f3e7cf9f3e7cf9f701c7df;
    uint256 internal constant JAN5_2026 = 1767574800; // 2026-01-05 09:00 CST
    uint256 internal constant JUL15_2026 = 1784080800; // 2026-07-15 10:00 CST
    uint32 internal constant Q2_2026 = (2026 - 1970) * 4 + 1;
    uint256 internal constant N = 8; // 0 secretary, 1-4 representatives, 5-7 council (5 is the keeper too)

    CreditFramework internal framework;
    VillageLedger internal ledger;
    VillageQuarters internal quarters;
    CreditSupermarket internal market;
    PersonRegistry internal persons;
    bytes32[N] internal ids;
    address[N] internal keys;

    function setUp() public {
        hv.warp(JAN5_2026);
        WorkCalendar cal = new WorkCalendar(address(this));
        cal.grantRole(cal.CALENDAR_AUTHORITY(), address(this));
        cal.publish(2026, LOW_2026, HIGH_2026, keccak256("notice 2026"));
        Jurisdiction j =
            new Jurisdiction(address(this), cal, "371003-101", "town", townshipParams(160), townshipWeights());
        j.grantRole(Roles.VILLAGE_OFFICE, address(this));
        persons = new PersonRegistry(address(this));
        persons.grantRole(Roles.REGISTRAR, address(this));
        framework = new CreditFramework(
            "district",
            ICreditFramework.Framework({
                baseScore: 600,
                maxValue: 50,
                dutyPercent: 60,
                maxWindowDays: 15,
                memberGrades: [uint16(750), 620, 560],
                starGrades: [uint16(750), 680, 620, 560]
            })
        );
        ledger = new VillageLedger(j, persons, framework, "village");
        quarters = new VillageQuarters(ledger);
        market = new CreditSupermarket(quarters);
        ledger.setQuarters(address(quarters));
        ledger.setManual(ICreditFramework.Manual({declareDays: 5, objectionDays: 7, firstTeam: 1}));
        uint8[N] memory roles = [uint8(8), 2, 2, 2, 2, 4 | 16, 4, 4];
        for (uint256 i = 0; i < N; ++i) {
            keys[i] = hv.addr(i + 1);
            ids[i] = keccak256(abi.encode("person", i));
            persons.register(ids[i], keys[i], keccak256(abi.encode("identity", ids[i])));
            ledger.setMember(ids[i], roles[i], 0);
        }
        hv.warp(JAN5_2026 + 1 hours); // representatives were registered before the list is proposed
    }

    function _list() internal returns (uint16 version) {
        IVillageLedger.Criterion[] memory c = new IVillageLedger.Criterion[](2);
        c[0] = IVillageLedger.Criterion({value: 10, kinds: 4, category: 1, textHash: keccak256("P01")});
        c[1] = IVillageLedger.Criterion({value: 20, kinds: 4, category: 1, textHash: keccak256("N01")});
        vm.prank(keys[0]);
        version = ledger.proposeList(c, 1);
    }

    function _vote(uint16 version, uint256 who) internal {
        vm.prank(keys[who]);
        ledger.voteList(version, true);
    }

    /// @dev R-VC-2: of four registered representatives, two (exactly half) adopt nothing; three do.
    function test_assemblyExactlyHalfThenMoreThanHalf() public {
        uint16 version = _blockAhead();
        _vote(version, 1);
        _vote(version, 2);
        vm.assertEq(ledger.list(version).state, 1, "exactly half: still proposed");
        _vote(version, 3);
        vm.assertEq(ledger.list(version).state, 2, "more than half: adopted");
        vm.assertEq(ledger.list(version).effectiveFrom, Q2_2026, "in force from the next quarter");
    }

    /// @dev R-VC-7: an objection in the window's last second is heard; one second later it is refused.
    function test_objectionWindowLastSecondAndFirstAfter() public {
        uint16 version = _blockAhead();
        _vote(version, 1);
        _vote(version, 2);
        _vote(version, 3);
        hv.warp(JUL15_2026);
        uint32[] memory order = new uint32[](N);
        for (uint256 i = 0; i < N; ++i) {
            order[i] = uint32(i + 1);
        }
        vm.prank(keys[6]);
        quarters.publish(Q2_2026, order);
        uint64 deadline = quarters.quarterInfo(Q2_2026).deadline;
        hv.warp(deadline);
        vm.prank(keys[1]);
        quarters.object(Q2_2026, ids[2], 0, keccak256("grounds"));
        hv.warp(uint256(deadline) + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVillageQuarters.ObjectionWindowClosed.selector, Q2_2026, uint256(deadline) + 1, deadline
            )
        );
        vm.prank(keys[1]);
        quarters.object(Q2_2026, ids[2], 0, keccak256("grounds"));
    }

    /// @dev R-VC-8: a score exactly at a threshold earns its grade; a tenth below does not.
    function test_gradeThresholdExactlyMet() public view {
        vm.assertEq(framework.stars(620), 3, "62.0: three stars");
        vm.assertEq(framework.stars(619), 2, "61.9: two stars");
        vm.assertEq(framework.stars(750), 5, "75.0: five stars");
        vm.assertEq(framework.stars(-5), 1, "negative: one star");
        vm.assertEq(framework.memberGrade(560), 3, "56.0: basically qualified");
        vm.assertEq(framework.memberGrade(559), 4, "55.9: failing");
        vm.assertEq(framework.memberGrade(620), 2, "62.0: qualified");
    }

    /// @dev R-VC-10: the last unit is redeemed, then the stock is zero and the next redemption refused.
    function test_stockReachesZero() public {
        market.setItem(1, 0, keccak256("free soap"), true);
        market.restock(1, 1);
        _redeem(0);
        vm.assertEq(market.itemInfo(1).stock, 0, "stock zero");
        bytes memory a = _sig(2, 1);
        bytes memory b = _sig(6, 1);
        vm.expectRevert(
            abi.encodeWithSelector(ICreditSupermarket.InsufficientStock.selector, uint16(1), uint32(0), uint32(1))
        );
        market.redeem(ids[1], ids[5], 1, 1, 1, a, b);
    }

    /// @dev R-VC-10: a signed redemption never counts twice.
    function test_redemptionNeverTwice() public {
        market.setItem(1, 0, keccak256("free soap"), true);
        market.restock(1, 5);
        (bytes memory a, bytes memory b) = _redeem(0);
        vm.expectRevert(
            abi.encodeWithSelector(ICreditSupermarket.RedemptionReplayed.selector, ids[1], uint32(0), uint32(1))
        );
        market.redeem(ids[1], ids[5], 1, 1, 0, a, b);
    }

    function _redeem(uint32 nonce) internal returns (bytes memory a, bytes memory b) {
        a = _sig(2, nonce);
        b = _sig(6, nonce);
        market.redeem(ids[1], ids[5], 1, 1, nonce, a, b);
    }

    /// @dev Person 1 redeems one unit of item 1 at keeper 5; `pk` is the signer's private key.
    function _sig(uint256 pk, uint32 nonce) internal returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = hv.sign(pk, market.redemptionDigest(ids[1], ids[5], 1, 1, nonce));
        return abi.encodePacked(r, s, v);
    }

    /// @dev Proposes the list one block after the roll was recorded (`since` < the proposal's block).
    function _blockAhead() internal returns (uint16) {
        _roll();
        return _list();
    }

    function _roll() internal {
        VmRoll(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D).roll(block.number + 1);
    }
}

interface VmRoll {
    function roll(uint256 blockNumber) external;
}
