// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title The district's framework of the village credit scheme (R-VC-1)
/// @notice The district (区/县) fixes the base score, the largest value any single criterion may
/// carry, the duty/credit proportions of the combined point types, the grade scale and the longest
/// window a town may set. Towns' manuals and villages' lists are checked against it.
interface ICreditFramework {
    /// @notice The framework, in tenths of a point where a value is points.
    /// `memberGrades`: lowest annual score for 优秀, 合格, 基本合格 (below: 不合格), descending.
    /// `starGrades`: lowest annual score for five, four, three and two stars (below: one star), descending.
    struct Framework {
        uint16 baseScore;
        uint16 maxValue;
        uint8 dutyPercent;
        uint8 maxWindowDays;
        uint16[3] memberGrades;
        uint16[4] starGrades;
    }

    /// @notice The town's operation manual (R-VC-1): working days after a month's end to declare and
    /// verify, working days of the objection window (R-VC-7), and the team whose captain is on duty in
    /// January (R-VC-6, 1..3). (A failing representative's deadline is three calendar months, R-VC-9:
    /// not the town's to set.)
    struct Manual {
        uint8 declareDays;
        uint8 objectionDays;
        uint8 firstTeam;
    }

    /// @notice The framework was fixed by the district (`district` names it, e.g. its code).
    event FrameworkSet(string district, Framework framework);

    /// @notice The framework is inconsistent (zero value bound, proportions over 100, grades not descending).
    /// @custom:rule R-VC-1
    error FrameworkInvalid(uint256 field);
    /// @notice A criterion's value is zero or above the framework's largest value.
    /// @custom:rule R-VC-1
    error CriterionOutOfBounds(uint256 code, uint256 value, uint256 maxValue);
    /// @notice A manual's window is zero or longer than the framework allows, or its first team is not 1..3.
    /// @custom:rule R-VC-1
    error ManualOutOfBounds(uint256 field, uint256 value, uint256 bound);

    /// @notice The framework.
    function framework() external view returns (Framework memory);

    /// @notice Reverts with `CriterionOutOfBounds` unless `value` is within the framework.
    /// @param code the criterion's code (for the error)
    /// @param value its points (tenths)
    function checkCriterion(uint256 code, uint256 value) external view;

    /// @notice Reverts with `ManualOutOfBounds` unless `manual` is within the framework.
    /// @param manual the town's manual
    function checkManual(Manual calldata manual) external view;

    /// @notice The member grade (1 优秀 … 4 不合格) of an annual score (R-VC-8).
    /// @param score annual score, tenths
    function memberGrade(int256 score) external view returns (uint8);

    /// @notice The stars (1..5) of a villager's annual score (R-VC-8).
    /// @param score annual score, tenths
    function stars(int256 score) external view returns (uint8);
}
