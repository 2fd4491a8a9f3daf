// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ICreditFramework} from "../interfaces/ICreditFramework.sol";
import {VillageTypes} from "../lib/VillageTypes.sol";

/// @title The district's framework of the village credit scheme (R-VC-1)
/// @notice One per district, fixed at deployment and never changed: every town manual and village
/// list of the district is checked against it, and grades are read from its scale (R-VC-8).
contract CreditFramework is ICreditFramework {
    Framework private _framework;

    /// @param district the district's name or code (recorded in the event)
    /// @param f the framework
    constructor(string memory district, Framework memory f) {
        if (f.maxValue == 0) revert FrameworkInvalid(1);
        if (f.dutyPercent > 100) revert FrameworkInvalid(2);
        if (f.maxWindowDays == 0) revert FrameworkInvalid(3);
        if (!(f.memberGrades[0] >= f.memberGrades[1] && f.memberGrades[1] >= f.memberGrades[2])) {
            revert FrameworkInvalid(4);
        }
        for (uint256 i = 1; i < 4; ++i) {
            if (f.starGrades[i - 1] < f.starGrades[i]) revert FrameworkInvalid(5);
        }
        _framework = f;
        emit FrameworkSet(district, f);
    }

    function framework() external view returns (Framework memory) {
        return _framework;
    }

    function checkCriterion(uint256 code, uint256 value) external view {
        uint256 maxValue = _framework.maxValue;
        if (value == 0 || value > maxValue) revert CriterionOutOfBounds(code, value, maxValue);
    }

    function checkManual(Manual calldata manual) external view {
        uint256 bound = _framework.maxWindowDays;
        if (manual.declareDays == 0 || manual.declareDays > bound) {
            revert ManualOutOfBounds(0, manual.declareDays, bound);
        }
        if (manual.objectionDays == 0 || manual.objectionDays > bound) {
            revert ManualOutOfBounds(1, manual.objectionDays, bound);
        }
        if (manual.firstTeam == 0 || manual.firstTeam > 3) revert ManualOutOfBounds(2, manual.firstTeam, 3);
    }

    function memberGrade(int256 score) external view returns (uint8) {
        return VillageTypes.memberGrade(_framework.memberGrades, score);
    }

    function stars(int256 score) external view returns (uint8) {
        return VillageTypes.stars(_framework.starGrades, score);
    }
}
