// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Shared types of zhili
/// @notice Enumerations used by every zhili contract. Their order is part of the ABI: the Python
/// client (`zhili.types`) and the profiles in `client/zhili/profiles/` use the same order.

/// @notice Offices of a jurisdiction, the five core offices in legal precedence order (R-OF-1),
/// then the appointed `DisciplineDeputy`, which matters only for succession (R-SU-1).
enum Office {
    Secretary,
    Discipline,
    Congress,
    Consultative,
    Administrator,
    DisciplineDeputy
}

/// @notice Motion categories of the functional weighted decision (R-WD-1).
enum Category {
    Strategic,
    Discipline,
    Legislative,
    Consultative,
    Livelihood
}

/// @notice Which of the two shipped profiles a jurisdiction runs (SPEC section 0).
enum ProfileKind {
    Township,
    County
}

/// @dev Number of core offices, the ones that hold a vote weight (R-WD-1).
uint256 constant CORE_OFFICES = 5;
/// @dev Number of offices including the appointed discipline deputy.
uint256 constant ALL_OFFICES = 6;
/// @dev Number of motion categories (R-WD-1).
uint256 constant CATEGORIES = 5;
