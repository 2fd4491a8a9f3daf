// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office, Category, CORE_OFFICES} from "../lib/ZhiliTypes.sol";
import {ICouncilDecisions} from "./ICouncilDecisions.sol";
import {IPersonRegistry} from "./IPersonRegistry.sol";
import {ICouncilMinutes} from "./ICouncilMinutes.sol";

/// @title The surface of `Council`: its events, errors, types and external functions
interface ICouncil is ICouncilDecisions {
    /// @notice What a motion decides.
    enum Kind {
        General, // any matter of its category
        Budget, // approves (adds to) an annual budget line; always `legislative` (R-WD-7)
        Spending, // spends from a budget line; cannot pass beyond what remains (R-WD-7)
        Nomination // weighted nomination vote of `TeamCompletion` (R-TC-1, R-TC-3): strategic or discipline row
    }

    /// @notice Stored status; `stage` derives the finer phase from the clock.
    enum Status {
        None,
        Proposed, // classification window, then waiting for the lead opinion
        Disputed, // classification dispute vote running (R-WD-3)
        Classified, // dispute settled; waiting for the lead opinion (R-WD-4)
        Voting, // lead opinion given: sealed votes, then reveals (R-WD-5)
        Passed,
        Rejected,
        Withdrawn
    }

    /// @notice Phase as seen now (status plus the clock), for clients.
    enum Phase {
        None,
        Classification,
        Dispute,
        AwaitingOpinion,
        Voting,
        Revealing,
        Counting, // reveal window over: anyone may close
        Passed,
        Rejected,
        Withdrawn
    }

    /// @notice A motion as stored: one word (the rest of the record is three more words).
    struct Motion {
        Kind kind;
        Category category;
        Status status;
        uint8 flags; // 1 back-filled, 2 over budget, 4 lead declined to give an opinion
        uint16 votes; // 2 bits per office: 0 none/unrevealed, 1 yes, 2 no, 3 abstain
        uint40 weights; // 8 bits per office: the snapshotted weight row (R-WD-1)
        uint16 roster; // members when voting opened (0: not yet)
        uint40 openedAt;
        uint24 classifyWindow;
        uint24 voteWindow;
        uint24 revealWindow;
        uint40 endsAt; // voting: end of the sealed vote (earlier once every member voted); decided: the decision time
    }

    /// @notice Windows of a motion as proposed: end of classification, vote and reveal lengths.
    struct Timing {
        uint40 classifyEnd;
        uint24 voteWindow;
        uint24 revealWindow;
    }

    /// @notice What the secretariat proposes.
    struct Proposal {
        Kind kind;
        Category category;
        bytes32 contentHash; // the motion's text
        bytes32[] basisRefs; // legal/policy basis, hash references (R-WD-7)
        bytes32 planId; // the plan it serves (R-WD-7)
        bytes32 budgetLine; // Budget and Spending: the line (R-WD-7)
        uint16 year; // Budget: the budget year of the line
        uint96 amount; // Budget: amount approved; Spending: amount spent
        uint24 classifyWindow; // seconds (R-WD-3)
        uint24 voteWindow; // seconds of sealed voting (R-WD-5)
        uint24 revealWindow; // seconds for reveals after the vote (R-WD-5)
    }

    /// @notice An annual budget line (R-WD-7).
    struct Line {
        uint32 index; // position + 1 in `lineIds`
        uint16 year;
        uint96 approved;
        uint96 spent;
    }

    /// @notice A classification dispute (R-WD-3).
    struct Dispute {
        Category alternative;
        uint40 endsAt;
        uint8 yesMask;
        uint8 noMask;
        uint40 weights; // the strategic row, 8 bits per office
        Office disputer;
    }

    /// @notice The profile's bounds on a motion's windows, in seconds (R-WD-3 … R-WD-5): the shortest
    /// classification, sealed-vote and reveal windows the secretariat may set, and how long the lead has
    /// to state the opinion once the category is final before anyone may open the vote without it.
    struct WindowLimits {
        uint24 classify;
        uint24 vote;
        uint24 reveal;
        uint24 opinion;
    }

    /// @notice The opening of a sealed vote.
    struct Opening {
        Office office;
        uint8 position; // 1 yes, 2 no, 3 abstain
        bytes32 salt;
    }

    /// @notice A paper decision to back-fill (R-WD-8); every present member signs its EIP-712 digest
    /// (see `CouncilMinutes`).
    struct Minutes {
        Kind kind; // General, Budget or Spending
        Category category;
        bytes32 contentHash;
        bytes32[] basisRefs;
        bytes32 planId;
        bytes32 budgetLine;
        uint16 year;
        uint96 amount;
        bytes32 leadOpinion; // R-WD-4, as minuted
        uint64 meetingTime; // the real meeting time
        uint16 votes; // 2 bits per office as in `Motion.votes`; non-zero = present
        bytes32 minutesHash; // the signed written minutes
    }

    /// @notice A motion was proposed (R-WD-1, R-WD-7); its weight row is the profile's row of `category`.
    event MotionProposed(
        uint256 indexed id,
        Kind kind,
        Category category,
        bytes32 contentHash,
        bytes32[] basisRefs,
        bytes32 planId,
        Timing timing
    );
    /// @notice Budget or Spending motion `id` names `budgetLine` and `amount` (R-WD-7).
    event MotionBudget(uint256 indexed id, bytes32 indexed budgetLine, uint96 amount);
    /// @notice `budgetLine` of `year` is known to the council (approved amount still zero).
    event BudgetLineRegistered(bytes32 indexed budgetLine, uint16 year, uint32 index);
    /// @notice A member disputed the category (R-WD-3); the dispute vote runs until `endsAt`.
    event CategoryDisputed(uint256 indexed id, Office office, bytes32 personId, Category alternative, uint40 endsAt);
    /// @notice A member voted on the dispute (R-WD-3), with their strategic weight.
    event DisputeVoted(uint256 indexed id, Office office, bytes32 personId, bool support, uint16 weight);
    /// @notice The dispute was settled: `category` is now the motion's category (R-WD-3).
    event DisputeSettled(uint256 indexed id, bool alternativeWon, Category category, uint16 yesWeight, uint16 rowTotal);
    /// @notice The members when voting opened (R-TC-3: zero = vacant).
    event RosterRecorded(uint16 indexed roster, bytes32[CORE_OFFICES] members);
    /// @notice The lead stated the reasoned opinion (R-WD-4) and voting opened.
    event LeadOpinion(
        uint256 indexed id,
        Office office,
        bytes32 personId,
        bytes32 opinionHash,
        uint16 roster,
        uint40 voteEnd,
        uint40 revealEnd
    );
    /// @notice The lead stayed silent past the opinion deadline: voting opened with "lead declined to
    /// give an opinion" recorded (R-WD-4); the lead remains first responsible if the motion passes (R-WD-6).
    event LeadDeclined(
        uint256 indexed id, Office office, bytes32 personId, uint16 roster, uint40 voteEnd, uint40 revealEnd
    );
    /// @notice A sealed vote was cast (R-WD-5).
    event VoteSealed(uint256 indexed id, Office office, bytes32 commitment);
    /// @notice Every member voted before the window closed: reveals open now (R-WD-5).
    event VotesUnsealed(uint256 indexed id, uint40 at);
    /// @notice A sealed vote was opened (R-WD-5).
    event VoteRevealed(uint256 indexed id, Office office, uint8 position);
    /// @notice The motion was decided (R-WD-2); `firstResponsible` is recorded for life (R-WD-6).
    event MotionDecided(
        uint256 indexed id,
        bool passed,
        uint16 yesWeight,
        uint16 noWeight,
        uint16 abstainWeight,
        bytes32 firstResponsible,
        bool overBudget
    );
    /// @notice The secretariat withdrew a motion before voting opened.
    event MotionWithdrawn(uint256 indexed id);
    /// @notice A budget line's approved amount grew (R-WD-7).
    event BudgetApproved(bytes32 indexed budgetLine, uint256 indexed id, uint96 amount, uint96 approved);
    /// @notice Money was committed from a budget line (R-WD-7).
    event BudgetSpent(bytes32 indexed budgetLine, uint256 indexed id, uint96 amount, uint96 spent);
    /// @notice A paper decision of the meeting at `meetingTime` was back-filled with the members'
    /// positions `votes` (R-WD-8); the signatures are checked and kept by `minuteBook`.
    event Backfilled(uint256 indexed id, uint64 meetingTime, uint16 votes);

    /// @notice A profile weight does not fit the council's 8-bit weight snapshot.
    /// @custom:rule R-WD-1
    error WeightTooLarge(Category category, Office office, uint256 weight);
    /// @notice No such motion.
    /// @custom:rule none
    error UnknownMotion(uint256 id);
    /// @notice The step does not belong to the motion's current status (the procedure boundary).
    /// @custom:rule R-WD-7
    error WrongStatus(uint256 id, Status status);
    /// @notice Nominations are weighted with the `strategic` row (or `discipline` for the discipline commission).
    /// @custom:rule R-TC-1
    error NominationCategory(Category category);
    /// @notice The step does not apply to this kind of motion.
    /// @custom:rule R-WD-7
    error WrongKind(uint256 id, Kind kind);
    /// @notice A window (0 classification, 1 vote, 2 reveal, 3 opinion deadline) is out of bounds (seconds):
    /// below the profile's minimum or above `MAX_WINDOW`.
    /// @custom:rule R-WD-5
    error WindowOutOfBounds(uint8 which, uint256 given, uint256 min, uint256 max);
    /// @notice A motion must state its basis (at least one reference) and the plan it serves.
    /// @custom:rule R-WD-7
    error MissingBasis();
    /// @notice Budgets are `legislative` motions.
    /// @custom:rule R-WD-7
    error BudgetNotLegislative(Category category);
    /// @notice A budget needs a line id, a year and a positive amount; a spending a line and a positive amount.
    /// @custom:rule R-WD-7
    error BadBudget(bytes32 budgetLine, uint16 year, uint256 amount);
    /// @notice The line exists for another year.
    /// @custom:rule R-WD-7
    error LineYearMismatch(bytes32 budgetLine, uint16 year, uint16 given);
    /// @notice No budget line with this id has been proposed.
    /// @custom:rule none
    error UnknownBudgetLine(bytes32 budgetLine);
    /// @notice The amount exceeds what remains of the approved annual budget of the line.
    /// @custom:rule R-WD-7
    error OverBudget(bytes32 budgetLine, uint256 amount, uint256 remaining);
    /// @notice The motion `RING` places earlier is still undecided: decide or withdraw it first.
    /// @custom:rule none
    error TooManyOpenMotions(uint256 undecided);
    /// @notice Not a core office (only the five core offices sit in the council and carry weight).
    /// @custom:rule R-WD-1
    error NotCoreOffice(Office office);
    /// @notice The seat is vacant: an empty seat cannot vote or sign.
    /// @custom:rule R-TC-3
    error SeatVacant(Office office);
    /// @notice The caller is not the current key of the member holding the office.
    /// @custom:rule R-WD-2
    error NotMember(Office office, address caller);
    /// @notice The holder was not seated in that office when voting opened: no vote on this motion.
    /// @custom:rule R-TC-3
    error NotOnRoster(uint256 id, Office office, bytes32 personId);
    /// @notice The classification window has closed.
    /// @custom:rule R-WD-3
    error ClassificationClosed(uint256 id, uint40 closedAt);
    /// @notice The classification window is still open (the category is not final).
    /// @custom:rule R-WD-4
    error ClassificationOpen(uint256 id, uint40 endsAt);
    /// @notice The alternative must differ from the category (and suit the kind of motion).
    /// @custom:rule R-WD-3
    error BadAlternative(Category category, Category alternative);
    /// @notice The dispute vote has ended (settle it) or has not ended yet.
    /// @custom:rule R-WD-3
    error DisputeTiming(uint256 id, uint40 endsAt);
    /// @notice This office already voted on the dispute.
    /// @custom:rule R-WD-3
    error AlreadyVotedOnDispute(uint256 id, Office office);
    /// @notice Only the member with the top weight of the category (the lead) states the opinion.
    /// @custom:rule R-WD-4
    error NotLead(uint256 id, Office lead, address caller);
    /// @notice The opinion hash is empty.
    /// @custom:rule R-WD-4
    error EmptyOpinion();
    /// @notice No core office is held: nobody can lead or vote.
    /// @custom:rule R-TC-3
    error NoMembers();
    /// @notice The voting window has closed.
    /// @custom:rule R-WD-5
    error VotingClosed(uint256 id, uint40 voteEnd);
    /// @notice This office already cast its sealed vote.
    /// @custom:rule R-WD-5
    error AlreadyVoted(uint256 id, Office office);
    /// @notice Votes stay sealed until every member has voted or the window closes.
    /// @custom:rule R-WD-5
    error VotesStillSealed(uint256 id, uint40 voteEnd);
    /// @notice The reveal window has closed.
    /// @custom:rule R-WD-5
    error RevealClosed(uint256 id, uint40 revealEnd);
    /// @notice This office cast no sealed vote on the motion.
    /// @custom:rule R-WD-5
    error NotCommitted(uint256 id, Office office);
    /// @notice The opening does not match the sealed vote.
    /// @custom:rule R-WD-5
    error RevealMismatch(uint256 id, Office office);
    /// @notice A position is 1 (yes), 2 (no) or 3 (abstain).
    /// @custom:rule R-WD-5
    error BadPosition(uint8 position);
    /// @notice This vote was already opened.
    /// @custom:rule R-WD-5
    error AlreadyRevealed(uint256 id, Office office);
    /// @notice Reveals are still possible: close after the reveal window or once every sealed vote is open.
    /// @custom:rule R-WD-5
    error RevealStillOpen(uint256 id, uint40 revealEnd);
    /// @notice The motion is not decided.
    /// @custom:rule R-WD-6
    error NotDecided(uint256 id, Status status);
    /// @notice Only the council's minutes contract back-fills paper decisions.
    /// @custom:rule R-WD-8
    error NotMinutes(address caller);
    /// @notice The minutes lack the lead opinion (R-WD-4), name nobody present, or a position outside 1..3.
    /// @custom:rule R-WD-8
    error IncompleteMinutes();
    /// @notice The lead may still state the opinion until `deadline`; only then may anyone open the vote without it.
    /// @custom:rule R-WD-4
    error OpinionPending(uint256 id, uint40 deadline);
    /// @notice Paper minutes need more than half of the seated members present and signing.
    /// @custom:rule R-WD-8
    error NoQuorum(uint256 present, uint256 seated);
    /// @notice A passing paper decision needs the lead's own signature (no lead opinion the lead never gave).
    /// @custom:rule R-WD-8
    error LeadAbsent(Office lead);

    /// @notice Proposes council motions (`zhili.role.SECRETARIAT`).
    function SECRETARIAT() external view returns (bytes32);
    /// @notice Undecided weighted motions a council can have at once (sealed-vote ring size).
    function RING() external view returns (uint256);
    /// @notice Longest window a motion may have, in seconds.
    function MAX_WINDOW() external view returns (uint256);
    /// @notice The profile's shortest windows and the lead's opinion deadline, in seconds (fixed at deployment).
    function limits() external view returns (WindowLimits memory);
    /// @notice The province's person registry (members' current keys).
    function persons() external view returns (IPersonRegistry);
    /// @notice Checks signed paper minutes and seal uses (R-WD-8); the only caller of `recordBackfill`.
    function minuteBook() external view returns (ICouncilMinutes);
    /// @notice Yes weight a motion needs (R-WD-2), from the jurisdiction's profile.
    function threshold() external view returns (uint16);
    /// @notice Number of motions; ids run from 1 (0 means "no motion" to readers such as the evidence ledger).
    function motionCount() external view returns (uint64);
    /// @notice Number of rosters recorded (one per motion whose vote opened).
    function rosterCount() external view returns (uint16);
    /// @notice Propose a motion (R-WD-1, R-WD-7). Secretariat only (`TeamCompletion` holds the role to
    /// propose its nominations, which use the `strategic` or `discipline` row, R-TC-1).
    /// @param p the proposal; its weight row is snapshotted from the profile now
    /// @return id the motion id
    function propose(Proposal calldata p) external returns (uint256 id);
    /// @notice Withdraw a motion before voting opens. Secretariat only.
    /// @param id the motion
    function withdraw(uint256 id) external;
    /// @notice Dispute the category within the classification window, naming one alternative (R-WD-3).
    /// The disputing member's strategic weight counts for the alternative.
    /// @param id the motion
    /// @param office the caller's seat
    /// @param alternative the category proposed instead
    function dispute(uint256 id, Office office, Category alternative) external;
    /// @notice Vote on a classification dispute with the `strategic` weight of one's seat (R-WD-3).
    /// @param id the motion
    /// @param office the caller's seat
    /// @param support true for the alternative
    function voteDispute(uint256 id, Office office, bool support) external;
    /// @notice Settle a dispute whose vote has ended (anyone): the alternative lost unless it had
    /// more than half of the strategic row (R-WD-3).
    /// @param id the motion
    function settleDispute(uint256 id) external;
    /// @notice The lead (the seated member with the top weight of the category; precedence breaks a
    /// tie) states the reasoned opinion, anchored by hash; voting opens now (R-WD-4). The current
    /// holders become the motion's roster (R-TC-3).
    /// @param id the motion
    /// @param opinionHash hash of the written opinion
    function stateOpinion(uint256 id, bytes32 opinionHash) external;
    /// @notice Open the vote without the lead's opinion (anyone), once the lead stayed silent for the
    /// profile's opinion window after the category became final (classification window over, or the
    /// dispute's vote window over). "Lead declined to give an opinion" is recorded (`LeadDeclined`, the
    /// motion's `leadDeclined` flag); the current holders become the roster (R-WD-4, R-TC-3).
    /// @param id the motion
    function openWithoutOpinion(uint256 id) external;
    /// @notice Cast a sealed vote: `commitment = keccak256(abi.encode(council, id, personId, position, salt))`
    /// with position 1 yes, 2 no, 3 abstain (R-WD-5). Only the member seated in `office` since voting opened.
    /// @param id the motion
    /// @param office the caller's seat
    /// @param commitment the sealed vote
    function commit(uint256 id, Office office, bytes32 commitment) external;
    /// @notice Open one sealed vote (anyone holding the opening). Allowed after the voting window,
    /// or earlier once every member on the roster has voted (R-WD-5). The seat must still be held by
    /// the person who voted (R-TC-3).
    /// @param id the motion
    /// @param office the voter's seat
    /// @param position 1 yes, 2 no, 3 abstain
    /// @param salt the salt of the commitment
    function reveal(uint256 id, Office office, uint8 position, bytes32 salt) external;
    /// @notice Open several sealed votes of one motion in one transaction (anyone holding the openings).
    /// @param id the motion
    /// @param openings the openings
    function revealMany(uint256 id, Opening[] calldata openings) external;
    /// @notice Decide the motion (anyone): after the reveal window, or once every sealed vote is open.
    /// Passes with yes weight >= threshold (R-WD-2); a spending passes only within what remains of its
    /// line (R-WD-7); on passing, the lead is recorded as first responsible person for life (R-WD-6).
    /// @param id the motion
    function close(uint256 id) external;
    /// @notice Record a back-filled paper decision (R-WD-8) whose outage and signatures `minuteBook` has
    /// checked: decided at the real meeting time, flagged back-filled; more than half of the seated
    /// members present, the lead present if it passes, the sealed-vote ring honoured like a proposal;
    /// the threshold and the budget boundary apply as online. Only `minuteBook` calls this.
    /// @param mins the minutes (General, Budget or Spending)
    /// @return id the motion id
    function recordBackfill(Minutes calldata mins) external returns (uint256 id);
    /// @notice A motion's stored state, its basis hash, budget line and amount, decision time and
    /// first responsible person.
    function motion(uint256 id)
        external
        view
        returns (
            Motion memory m,
            bytes32 basisHash,
            bytes32 line,
            uint96 amount,
            uint40 decidedAt,
            bytes32 firstResponsible
        );
    /// @notice The phase of a motion now (status plus the clock).
    function stage(uint256 id) external view returns (Phase);
    /// @notice Weighted tally of the opened votes: yes, no and abstain weight (R-WD-2).
    function tally(uint256 id) external view returns (uint16 yes, uint16 no, uint16 abstain);
    /// @notice The office whose holder leads the motion now (R-WD-4), from its roster once voting opened.
    function lead(uint256 id) external view returns (Office);
    /// @notice Whether `office` cast a sealed vote on the motion, and whether it was opened.
    function sealedVote(uint256 id, Office office) external view returns (bool cast, bool opened);
    /// @notice The classification dispute of a motion (R-WD-3).
    function disputeOf(uint256 id) external view returns (Dispute memory);
    /// @notice The members recorded as roster `roster` (zero = vacant seat).
    function roster(uint16 rosterId) external view returns (bytes32[CORE_OFFICES] memory);
    /// @notice A budget line (R-WD-7): year, approved and spent amounts.
    function budgetLine(bytes32 line) external view returns (Line memory);
    /// @notice All budget line ids in order of registration.
    function budgetLines() external view returns (bytes32[] memory);
}
