// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Shared types of the merit ledger and succession order (SPEC sections 5 and 6)
/// @notice Their order is part of the ABI: the Python client (`zhili.merit`) uses the same order.

/// @notice The two separate ledgers of a person (R-MR-1).
enum Ledger {
    Merit,
    Demerit
}

/// @notice Why an entry was written.
enum EntryKind {
    Award, // merit: a report's award (R-MR-2, R-MR-3, R-MR-4)
    FalseAccusation, // merit, negative: twice the claimed points (R-MR-8)
    ClueRefund, // merit: supervisor who had given key clues earlier (R-MR-5)
    LeadershipLiability, // demerit: a subordinate's serious corruption (R-MR-5)
    Silence, // demerit: knew of a peer's major corruption, did not report (R-MR-6)
    Procedural, // demerit: minor procedural sanction, the only kind that may be offset (R-MR-12)
    Corruption, // demerit, zero points: own corruption, blacklisted (R-MR-9)
    Offset // both ledgers, negative: an approved offset (R-MR-12)
}

/// @notice Who filed a report (R-MR-4): team and committee members, other cadres, citizens.
enum ReporterClass {
    CommitteeMember,
    Cadre,
    Citizen
}

/// @notice The award a report claims or is granted (R-MR-2 township, R-MR-3 county, R-MR-4 citizens).
/// A profile offers an award if its table gives it a non-zero number of points.
enum Award {
    None,
    DirectSuperiorRemoved, // 6.0
    KeyClueSameLevelSecretary, // 6.0, and R-SU-4
    PeerInvestigated, // township 3.0
    OtherDepartmentRemoved, // township 1.0
    SectionLevelCase, // county 1.0
    DeputyDivisionCase, // county 3.0
    CitizenSectionLevel, // 4 points
    CitizenDivisionLevel, // 9 points
    CitizenBureauLevel // 16 points
}

/// @notice What the merit committee found (R-MR-10).
enum Finding {
    Unfounded, // not substantiated, in good faith: no entries
    Malicious, // fabricated or malicious: the reporter pays (R-MR-8)
    Investigated, // substantiated, investigated
    Removed, // substantiated, the accused is removed from office (查处并免职)
    Corruption, // the accused's own serious corruption (R-MR-9, R-MR-5, R-MR-6)
    Procedural, // a minor procedural violation: a sanction in demerit points (R-MR-12)
    Dereliction // the discipline secretary's dereliction (失察, 压案不查, 选择性办案), R-SU-5
}

/// @dev Number of `Award` values.
uint256 constant AWARDS = 10;
