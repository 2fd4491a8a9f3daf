// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title The roles of zhili, each declared once
/// @notice Every `zhili.role.*` id used by a zhili contract. A role is granted on the `Jurisdiction`
/// (external roles of SPEC section 0 and `OFFICE_WRITER`), on the `PersonRegistry` (`REGISTRAR`,
/// `RECORD_WRITER`), on the `MeritBook` (`LEDGER_WRITER`) or on the `WorkCalendar`
/// (`CALENDAR_AUTHORITY`). Contracts that already expose a role getter in their ABI keep it, defined
/// from the constant here; the Python client derives the same ids as `keccak("zhili.role.<NAME>")`.
/// @dev Internal constants only: the library has no code and no artifact.
library Roles {
    // ---- jurisdiction (AccessControl of `Jurisdiction`)
    /// @dev Runs elections and registers delegates and deputies.
    bytes32 internal constant ELECTION_AUTHORITY = keccak256("zhili.role.ELECTION_AUTHORITY");
    /// @dev Joint qualification review board (资格审查联席会议), R-EL-1.
    bytes32 internal constant VETTING_BOARD = keccak256("zhili.role.VETTING_BOARD");
    /// @dev Upper party committee (上级党委): approves the stage-1 list (R-EL-3) and offsets (R-MR-12).
    bytes32 internal constant UPPER_COMMITTEE = keccak256("zhili.role.UPPER_COMMITTEE");
    /// @dev The committee two levels up (county: province; township: city): the second offset approval
    /// where the profile needs two levels (R-MR-12) and the answer to an escalated appeal (R-MR-11).
    bytes32 internal constant HIGHER_COMMITTEE = keccak256("zhili.role.HIGHER_COMMITTEE");
    /// @dev Merit review committee (功勋积分审定委员会), R-MR-10.
    bytes32 internal constant MERIT_COMMITTEE = keccak256("zhili.role.MERIT_COMMITTEE");
    /// @dev Organisation department (组织部): rules on handover disputes (R-DOC-9).
    bytes32 internal constant ORG_DEPARTMENT = keccak256("zhili.role.ORG_DEPARTMENT");
    /// @dev Supervises oaths (R-DOC-6).
    bytes32 internal constant OATH_SUPERVISOR = keccak256("zhili.role.OATH_SUPERVISOR");
    /// @dev Upper discipline commission, inspection teams, same-level congress, audit (R-DOC-5).
    bytes32 internal constant AUDITOR = keccak256("zhili.role.AUDITOR");
    /// @dev Held only by zhili contracts that decide offices (election, succession), R-EL-11.
    bytes32 internal constant OFFICE_WRITER = keccak256("zhili.role.OFFICE_WRITER");
    /// @dev Held only by zhili contracts that run their own polls in an election's `BallotBox` (the
    /// congress confirmations of `TeamCompletion`, R-TC-1 … R-TC-3): may create a round there and
    /// finalize the rounds it created, nothing else.
    bytes32 internal constant POLL_CLIENT = keccak256("zhili.role.POLL_CLIENT");
    /// @dev The council secretariat (Council, TeamCompletion).
    bytes32 internal constant SECRETARIAT = keccak256("zhili.role.SECRETARIAT");
    /// @dev Runs the auditor service: anchors its access log in the evidence ledger (R-DOC-5).
    bytes32 internal constant RECORDS_KEEPER = keccak256("zhili.role.RECORDS_KEEPER");
    /// @dev The contract that applies final merit findings to the succession order.
    bytes32 internal constant SUCCESSION_WRITER = keccak256("zhili.role.SUCCESSION_WRITER");

    // ---- person registry
    /// @dev Registers persons, rotates keys, records terms served before the chain existed.
    bytes32 internal constant REGISTRAR = keccak256("zhili.role.REGISTRAR");
    /// @dev zhili contracts that record terms (elections, succession) and the blacklist (merit ledger).
    bytes32 internal constant RECORD_WRITER = keccak256("zhili.role.RECORD_WRITER");
    /// @dev A second body (not the registrar) that approves the recovery of a lost key: with the
    /// registrar's request and a delay the person can object in, it replaces a key (issue 17).
    bytes32 internal constant RECOVERY_APPROVER = keccak256("zhili.role.RECOVERY_APPROVER");

    // ---- merit book
    /// @dev Held by each jurisdiction's `MeritLedger`: appends final entries and applies offsets.
    bytes32 internal constant LEDGER_WRITER = keccak256("zhili.role.LEDGER_WRITER");

    // ---- work calendar
    /// @dev Transcribes the State Council's notice into the working-day calendar (SPEC §8).
    bytes32 internal constant CALENDAR_AUTHORITY = keccak256("zhili.role.CALENDAR_AUTHORITY");

    // ---- village credit scheme (jurisdiction: the township the village belongs to)
    /// @dev The town's office for the village scheme (镇街): manual, roll of village functions,
    /// supermarket catalogue, rectification (R-VC-1, R-VC-9, R-VC-10).
    bytes32 internal constant VILLAGE_OFFICE = keccak256("zhili.role.VILLAGE_OFFICE");
}
