// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office, Category, CORE_OFFICES, CATEGORIES} from "../lib/ZhiliTypes.sol";
import {Jurisdiction} from "../registry/Jurisdiction.sol";
import {PersonRegistry} from "../registry/PersonRegistry.sol";
import {ICouncilDecisions} from "../interfaces/ICouncilDecisions.sol";
import {CouncilMinutes} from "./CouncilMinutes.sol";
import {Roles} from "../lib/Roles.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";

/// @title Functional weighted council of one jurisdiction (R-WD-1 ... R-WD-8, R-TC-1 ... R-TC-3)
/// @notice Motions of one category (R-WD-1) with the category's weight row snapshotted at creation;
/// a classification window in which any member may dispute the category, decided by a `strategic`
/// vote needing more than half of that row (R-WD-3); the lead opinion of the member with the top
/// weight, anchored by hash, before voting opens (R-WD-4); sealed commit-reveal votes (R-WD-5); the
/// threshold (R-WD-2: yes weight >= 160); the first responsible person recorded for life when a motion
/// passes (R-WD-6); the four boundaries, with annual budget lines approved by `legislative` motions and
/// spending that cannot pass beyond what remains (R-WD-7); back-filled paper decisions (R-WD-8, signatures
/// checked by its `CouncilMinutes`); the weighted nomination votes of `TeamCompletion` (R-TC-1, R-TC-3).
/// @dev Members are the persons seated in the five core offices of the jurisdiction; a member acts
/// with their current key in the person registry. When voting opens, the holders are recorded as the
/// motion's roster: a seat vacant then, or taken by someone else since, has no vote on that motion
/// (R-TC-3); the holder is re-read from the jurisdiction at every act. Sealed votes live in a ring of
/// `RING` slots per office that later motions reuse, so a motion can be opened only when the motion
/// `RING` places earlier is out of its vote. Every state change emits an event.
contract Council is JurisdictionBound, ICouncilDecisions {
    // ------------------------------------------------------------------ types

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
        uint8 flags; // FLAG_BACKFILLED, FLAG_OVER_BUDGET
        uint16 votes; // 2 bits per office: 0 none/unrevealed, 1 yes, 2 no, 3 abstain
        uint40 weights; // 8 bits per office: the snapshotted weight row (R-WD-1)
        uint16 roster; // members when voting opened (0: not yet)
        uint40 openedAt;
        uint24 classifyWindow;
        uint24 voteWindow;
        uint24 revealWindow;
        uint40 endsAt; // voting: end of the sealed vote (earlier once every member voted); decided: the decision time
    }

    /// @notice The budget boundary of a Budget or Spending motion (R-WD-7).
    struct Money {
        uint96 amount;
        uint32 line; // index + 1 into the budget lines, 0 = none
    }

    /// @notice Windows of a motion as proposed: end of classification, vote and reveal lengths.
    struct Timing {
        uint40 classifyEnd;
        uint24 voteWindow;
        uint24 revealWindow;
    }

    struct Record {
        Motion m;
        bytes32 basisHash; // keccak256(abi.encode(basisRefs, planId)) (R-WD-7)
        Money money; // Budget and Spending only
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

    // ------------------------------------------------------------------ constants and state

    bytes32 public constant SECRETARIAT = Roles.SECRETARIAT;
    /// @notice Undecided weighted motions a council can have at once (sealed-vote ring size).
    uint256 public constant RING = 32;
    uint256 public constant MIN_WINDOW = 60;
    uint256 public constant MAX_WINDOW = 90 days;
    uint8 private constant FLAG_BACKFILLED = 1;
    uint8 private constant FLAG_OVER_BUDGET = 2;
    uint8 private constant YES = 1;
    uint8 private constant NO = 2;
    uint8 private constant ABSTAIN = 3;

    PersonRegistry public immutable persons;
    /// @notice Checks signed paper minutes and seal uses (R-WD-8); the only caller of `recordBackfill`.
    CouncilMinutes public immutable minuteBook;
    /// @notice Yes weight a motion needs (R-WD-2), from the jurisdiction's profile.
    uint16 public immutable threshold;
    /// @dev The profile's weight matrix, 8 bits per office, 40 bits per category (R-WD-1).
    uint256 private immutable _matrix;

    /// @notice Number of motions; ids run from 1 (0 means "no motion" to readers such as the evidence ledger).
    uint64 public motionCount;
    uint16 public rosterCount;

    mapping(uint256 id => Record) private _records;
    mapping(uint256 id => Dispute) private _disputes;
    /// @dev ring slot (id % RING, office) => (id + 1) << 192 | low 192 bits of the commitment
    mapping(uint256 key => uint256) private _sealed;
    mapping(uint256 roster => bytes32[CORE_OFFICES]) private _rosters;
    bytes32 private _rosterHash; // keccak256 of the latest roster
    mapping(bytes32 line => Line) private _lines;
    bytes32[] private _lineIds;

    // ------------------------------------------------------------------ events

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
    // ------------------------------------------------------------------ errors

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
    /// @notice A window (0 classification, 1 vote, 2 reveal) is out of bounds (seconds).
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

    // ------------------------------------------------------------------ construction

    /// @param jurisdiction_ the jurisdiction whose core offices sit in this council
    /// @param persons_ the province's person registry (members' current keys)
    constructor(Jurisdiction jurisdiction_, PersonRegistry persons_) JurisdictionBound(jurisdiction_) {
        persons = persons_;
        minuteBook = new CouncilMinutes(this, jurisdiction_, persons_);
        Jurisdiction.Params memory p = jurisdiction_.params();
        threshold = p.threshold;
        // the profile is fixed when the jurisdiction is deployed: copy its matrix once (R-WD-1)
        uint16[CORE_OFFICES][CATEGORIES] memory w = jurisdiction_.weights();
        uint256 matrix = 0;
        for (uint256 c = 0; c < CATEGORIES; ++c) {
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                if (w[c][o] > type(uint8).max) revert WeightTooLarge(Category(c), Office(o), w[c][o]);
                matrix |= uint256(w[c][o]) << (40 * c + 8 * o);
            }
        }
        _matrix = matrix;
    }

    // ------------------------------------------------------------------ proposing (secretariat)

    /// @notice Propose a motion (R-WD-1, R-WD-7). Secretariat only (`TeamCompletion` holds the role to
    /// propose its nominations, which use the `strategic` or `discipline` row, R-TC-1).
    /// @param p the proposal; its weight row is snapshotted from the profile now
    /// @return id the motion id
    function propose(Proposal calldata p) external returns (uint256 id) {
        _checkRole(SECRETARIAT);
        if (p.kind == Kind.Nomination && p.category != Category.Strategic && p.category != Category.Discipline) {
            revert NominationCategory(p.category);
        }
        id = _create(p, p.kind);
    }

    /// @notice Withdraw a motion before voting opens. Secretariat only.
    /// @param id the motion
    function withdraw(uint256 id) external {
        _checkRole(SECRETARIAT);
        Motion storage m = _motion(id);
        if (m.status != Status.Proposed && m.status != Status.Disputed && m.status != Status.Classified) {
            revert WrongStatus(id, m.status);
        }
        m.status = Status.Withdrawn;
        emit MotionWithdrawn(id);
    }

    // ------------------------------------------------------------------ classification (R-WD-3)

    /// @notice Dispute the category within the classification window, naming one alternative (R-WD-3).
    /// The disputing member's strategic weight counts for the alternative.
    /// @param id the motion
    /// @param office the caller's seat
    /// @param alternative the category proposed instead
    function dispute(uint256 id, Office office, Category alternative) external {
        Motion storage m = _motion(id);
        bytes32 pid = _member(office);
        if (m.status != Status.Proposed) revert WrongStatus(id, m.status);
        uint40 classifyEnd = m.openedAt + m.classifyWindow;
        if (block.timestamp >= classifyEnd) revert ClassificationClosed(id, classifyEnd);
        bool nomination = m.kind == Kind.Nomination;
        if (
            alternative == m.category || m.kind == Kind.Budget
                || (nomination && alternative != Category.Strategic && alternative != Category.Discipline)
        ) revert BadAlternative(m.category, alternative);
        uint40 endsAt = uint40(block.timestamp) + m.classifyWindow;
        uint40 row = _row(Category.Strategic);
        _disputes[id] = Dispute(alternative, endsAt, uint8(1 << uint8(office)), 0, row, office);
        m.status = Status.Disputed;
        emit CategoryDisputed(id, office, pid, alternative, endsAt);
        emit DisputeVoted(id, office, pid, true, _weightOf(row, uint8(office)));
        _settleIfDecided(id, m, false);
    }

    /// @notice Vote on a classification dispute with the `strategic` weight of one's seat (R-WD-3).
    /// @param id the motion
    /// @param office the caller's seat
    /// @param support true for the alternative
    function voteDispute(uint256 id, Office office, bool support) external {
        Motion storage m = _motion(id);
        bytes32 pid = _member(office);
        if (m.status != Status.Disputed) revert WrongStatus(id, m.status);
        Dispute storage d = _disputes[id];
        if (block.timestamp >= d.endsAt) revert DisputeTiming(id, d.endsAt);
        uint8 bit = uint8(1 << uint8(office));
        if ((d.yesMask | d.noMask) & bit != 0) revert AlreadyVotedOnDispute(id, office);
        if (support) d.yesMask |= bit;
        else d.noMask |= bit;
        emit DisputeVoted(id, office, pid, support, _weightOf(d.weights, uint8(office)));
        _settleIfDecided(id, m, false);
    }

    /// @notice Settle a dispute whose vote has ended (anyone): the alternative lost unless it had
    /// more than half of the strategic row (R-WD-3).
    /// @param id the motion
    function settleDispute(uint256 id) external {
        Motion storage m = _motion(id);
        if (m.status != Status.Disputed) revert WrongStatus(id, m.status);
        Dispute storage d = _disputes[id];
        if (block.timestamp < d.endsAt) revert DisputeTiming(id, d.endsAt);
        _settleIfDecided(id, m, true);
    }

    // ------------------------------------------------------------------ lead opinion (R-WD-4)

    /// @notice The lead (the seated member with the top weight of the category; precedence breaks a
    /// tie) states the reasoned opinion, anchored by hash; voting opens now (R-WD-4). The current
    /// holders become the motion's roster (R-TC-3).
    /// @param id the motion
    /// @param opinionHash hash of the written opinion
    function stateOpinion(uint256 id, bytes32 opinionHash) external {
        Motion storage m = _motion(id);
        (uint16 rosterId, bytes32[CORE_OFFICES] memory members) = _syncRoster();
        uint8 leadOffice = _lead(m.weights, members);
        if (persons.keyOf(members[leadOffice]) != msg.sender) revert NotLead(id, Office(leadOffice), msg.sender);
        if (m.status == Status.Proposed) {
            uint40 classifyEnd = m.openedAt + m.classifyWindow;
            if (block.timestamp < classifyEnd) revert ClassificationOpen(id, classifyEnd);
        } else if (m.status != Status.Classified) {
            revert WrongStatus(id, m.status);
        }
        if (opinionHash == bytes32(0)) revert EmptyOpinion();
        uint40 voteEnd = uint40(block.timestamp) + m.voteWindow;
        m.roster = rosterId;
        m.endsAt = voteEnd;
        m.status = Status.Voting;
        emit LeadOpinion(
            id, Office(leadOffice), members[leadOffice], opinionHash, rosterId, voteEnd, voteEnd + m.revealWindow
        );
    }

    // ------------------------------------------------------------------ sealed votes (R-WD-5)

    /// @notice Cast a sealed vote: `commitment = keccak256(abi.encode(council, id, personId, position, salt))`
    /// with position 1 yes, 2 no, 3 abstain (R-WD-5). Only the member seated in `office` since voting opened.
    /// @param id the motion
    /// @param office the caller's seat
    /// @param commitment the sealed vote
    function commit(uint256 id, Office office, bytes32 commitment) external {
        Motion storage m = _motion(id);
        if (m.status != Status.Voting) revert WrongStatus(id, m.status);
        if (block.timestamp >= m.endsAt) revert VotingClosed(id, m.endsAt);
        bytes32 pid = _rosterMember(id, m.roster, office);
        if (persons.keyOf(pid) != msg.sender) revert NotMember(office, msg.sender);
        uint256 key = _ringKey(id, office);
        if (_sealed[key] >> 192 == id + 1) revert AlreadyVoted(id, office);
        _sealed[key] = ((id + 1) << 192) | uint192(uint256(commitment));
        emit VoteSealed(id, office, commitment);
    }

    /// @notice Open one sealed vote (anyone holding the opening). Allowed after the voting window,
    /// or earlier once every member on the roster has voted (R-WD-5). The seat must still be held by
    /// the person who voted (R-TC-3).
    /// @param id the motion
    /// @param office the voter's seat
    /// @param position 1 yes, 2 no, 3 abstain
    /// @param salt the salt of the commitment
    function reveal(uint256 id, Office office, uint8 position, bytes32 salt) external {
        Motion storage m = _revealable(id);
        uint16 votes = _openVote(id, m, office, position, salt, m.votes);
        m.votes = votes;
    }

    /// @notice Open several sealed votes of one motion in one transaction (anyone holding the openings).
    /// @param id the motion
    /// @param openings the openings
    function revealMany(uint256 id, Opening[] calldata openings) external {
        Motion storage m = _revealable(id);
        uint16 votes = m.votes;
        for (uint256 i = 0; i < openings.length; ++i) {
            Opening calldata o = openings[i];
            votes = _openVote(id, m, o.office, o.position, o.salt, votes);
        }
        m.votes = votes;
    }

    /// @notice Decide the motion (anyone): after the reveal window, or once every sealed vote is open.
    /// Passes with yes weight >= threshold (R-WD-2); a spending passes only within what remains of its
    /// line (R-WD-7); on passing, the lead is recorded as first responsible person for life (R-WD-6).
    /// @param id the motion
    function close(uint256 id) external {
        Motion storage m = _motion(id);
        if (m.status != Status.Voting) revert WrongStatus(id, m.status);
        bytes32[CORE_OFFICES] memory members = _rosters[m.roster];
        uint40 revealEnd = m.endsAt + m.revealWindow;
        if (block.timestamp < revealEnd) {
            if (block.timestamp < m.endsAt) revert VotesStillSealed(id, m.endsAt);
            uint16 votes = m.votes;
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                if (members[o] == bytes32(0) || (votes >> (2 * o)) & 3 != 0) continue;
                if (_sealed[_ringKey(id, Office(o))] >> 192 == id + 1) revert RevealStillOpen(id, revealEnd);
            }
        }
        _decide(id, m, uint40(block.timestamp), members);
    }

    // ------------------------------------------------------------------ offline fallback (R-WD-8)

    /// @notice Record a back-filled paper decision (R-WD-8) whose signatures `minuteBook` has checked:
    /// decided at the real meeting time, flagged back-filled; the threshold and the budget boundary
    /// apply as online. Only `minuteBook` calls this.
    /// @param mins the minutes (General, Budget or Spending)
    /// @return id the motion id
    function recordBackfill(Minutes calldata mins) external returns (uint256 id) {
        if (msg.sender != address(minuteBook)) revert NotMinutes(msg.sender);
        if (mins.kind == Kind.Nomination) revert WrongKind(uint256(motionCount) + 1, mins.kind);
        if (mins.votes == 0 || mins.votes >> (2 * CORE_OFFICES) != 0) revert IncompleteMinutes();
        if (mins.basisRefs.length == 0 || mins.planId == bytes32(0)) revert MissingBasis();
        bytes32[CORE_OFFICES] memory members;
        (id, members) = _recordMinutes(mins);
        emit Backfilled(id, mins.meetingTime, mins.votes);
        _decide(id, _records[id].m, uint40(mins.meetingTime), members);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ICouncilDecisions
    function decision(uint256 id) external view returns (Decision memory d) {
        Record storage r = _records[id];
        Motion storage m = r.m;
        if (m.status == Status.None) revert UnknownMotion(id);
        if (m.status != Status.Passed && m.status != Status.Rejected) revert NotDecided(id, m.status);
        (uint16 yes,,) = _tally(m.votes, m.weights);
        d.category = uint8(m.category);
        d.passed = m.status == Status.Passed;
        d.backfilled = m.flags & FLAG_BACKFILLED != 0;
        d.yesWeight = yes;
        d.threshold = threshold;
        d.decidedAt = m.endsAt;
        if (d.passed) d.firstResponsible = _firstResponsible(m);
        d.budgetLine = r.money.line == 0 ? bytes32(0) : _lineIds[r.money.line - 1];
        d.amount = r.money.amount;
        d.basisHash = r.basisHash;
    }

    /// @inheritdoc ICouncilDecisions
    function positions(uint256 id)
        external
        view
        returns (
            bytes32[CORE_OFFICES] memory members,
            uint16[CORE_OFFICES] memory weights_,
            uint8[CORE_OFFICES] memory votes
        )
    {
        Motion storage m = _motion(id);
        if (m.roster != 0) members = _rosters[m.roster];
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            weights_[o] = _weightOf(m.weights, uint8(o));
            votes[o] = uint8((m.votes >> (2 * o)) & 3);
        }
    }

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
        )
    {
        Record storage r = _records[id];
        if (r.m.status == Status.None) revert UnknownMotion(id);
        m = r.m;
        basisHash = r.basisHash;
        line = r.money.line == 0 ? bytes32(0) : _lineIds[r.money.line - 1];
        amount = r.money.amount;
        if (m.status == Status.Passed || m.status == Status.Rejected) decidedAt = m.endsAt;
        if (m.status == Status.Passed) firstResponsible = _firstResponsible(r.m);
    }

    /// @notice The phase of a motion now (status plus the clock).
    function stage(uint256 id) external view returns (Phase) {
        Motion storage m = _motion(id);
        Status s = m.status;
        if (s == Status.Proposed) {
            return
                block.timestamp < uint256(m.openedAt) + m.classifyWindow ? Phase.Classification : Phase.AwaitingOpinion;
        }
        if (s == Status.Disputed) return Phase.Dispute;
        if (s == Status.Classified) return Phase.AwaitingOpinion;
        if (s == Status.Voting) {
            if (block.timestamp < m.endsAt) return Phase.Voting;
            return block.timestamp < uint256(m.endsAt) + m.revealWindow ? Phase.Revealing : Phase.Counting;
        }
        if (s == Status.Passed) return Phase.Passed;
        if (s == Status.Rejected) return Phase.Rejected;
        return Phase.Withdrawn;
    }

    /// @notice Weighted tally of the opened votes: yes, no and abstain weight (R-WD-2).
    function tally(uint256 id) external view returns (uint16 yes, uint16 no, uint16 abstain) {
        Motion storage m = _motion(id);
        return _tally(m.votes, m.weights);
    }

    /// @notice The office whose holder leads the motion now (R-WD-4), from its roster once voting opened.
    function lead(uint256 id) external view returns (Office) {
        Motion storage m = _motion(id);
        if (m.roster != 0) return Office(_lead(m.weights, _rosters[m.roster]));
        bytes32[6] memory h = jurisdiction.holders();
        return Office(_lead(m.weights, [h[0], h[1], h[2], h[3], h[4]]));
    }

    /// @notice Whether `office` cast a sealed vote on the motion, and whether it was opened.
    function sealedVote(uint256 id, Office office) external view returns (bool cast, bool opened) {
        Motion storage m = _motion(id);
        cast = _sealed[_ringKey(id, office)] >> 192 == id + 1 || (m.votes >> (2 * uint8(office))) & 3 != 0;
        opened = (m.votes >> (2 * uint8(office))) & 3 != 0;
    }

    /// @notice The classification dispute of a motion (R-WD-3).
    function disputeOf(uint256 id) external view returns (Dispute memory) {
        return _disputes[id];
    }

    /// @notice The members recorded as roster `roster` (zero = vacant seat).
    function roster(uint16 rosterId) external view returns (bytes32[CORE_OFFICES] memory) {
        return _rosters[rosterId];
    }

    /// @notice A budget line (R-WD-7): year, approved and spent amounts.
    function budgetLine(bytes32 line) external view returns (Line memory) {
        Line memory l = _lines[line];
        if (l.index == 0) revert UnknownBudgetLine(line);
        return l;
    }

    /// @notice All budget line ids in order of registration.
    function budgetLines() external view returns (bytes32[] memory) {
        return _lineIds;
    }

    // ------------------------------------------------------------------ internals: proposing

    function _create(Proposal calldata p, Kind kind) private returns (uint256 id) {
        id = uint256(motionCount) + 1;
        if (id > RING) {
            Motion storage prev = _records[id - RING].m;
            if (prev.status >= Status.Proposed && prev.status <= Status.Voting) {
                revert TooManyOpenMotions(id - RING);
            }
        }
        _window(0, p.classifyWindow);
        _window(1, p.voteWindow);
        _window(2, p.revealWindow);
        if (p.basisRefs.length == 0 || p.planId == bytes32(0)) revert MissingBasis();
        Money memory money = Money(0, _budgetCheck(kind, p.category, p.budgetLine, p.year, p.amount));
        motionCount = uint64(id);
        Record storage r = _records[id];
        // one store of the packed head (field order of `Motion`; the compiler would store it field by field)
        uint256 head = uint256(uint8(kind)) | (uint256(uint8(p.category)) << 8)
            | (uint256(uint8(Status.Proposed)) << 16) | (uint256(_row(p.category)) << 48) | (block.timestamp << 104)
            | (uint256(p.classifyWindow) << 144) | (uint256(p.voteWindow) << 168) | (uint256(p.revealWindow) << 192);
        assembly ("memory-safe") {
            sstore(r.slot, head)
        }
        r.basisHash = keccak256(abi.encode(p.basisRefs, p.planId));
        _emitProposed(id, kind, p);
        if (money.line != 0) {
            money.amount = p.amount;
            r.money = money;
            emit MotionBudget(id, p.budgetLine, p.amount);
        }
    }

    function _emitProposed(uint256 id, Kind kind, Proposal calldata p) private {
        Timing memory t = Timing(uint40(block.timestamp) + p.classifyWindow, p.voteWindow, p.revealWindow);
        emit MotionProposed(id, kind, p.category, p.contentHash, p.basisRefs, p.planId, t);
    }

    function _recordMinutes(Minutes calldata mins) private returns (uint256 id, bytes32[CORE_OFFICES] memory members) {
        uint32 line = _budgetCheck(mins.kind, mins.category, mins.budgetLine, mins.year, mins.amount);
        id = ++motionCount;
        Record storage r = _records[id];
        Motion storage m = r.m;
        m.kind = mins.kind;
        m.category = mins.category;
        m.status = Status.Voting;
        m.flags = FLAG_BACKFILLED;
        m.votes = mins.votes;
        m.weights = _row(mins.category);
        (m.roster, members) = _syncRoster();
        m.openedAt = uint40(block.timestamp);
        r.basisHash = keccak256(abi.encode(mins.basisRefs, mins.planId));
        emit MotionProposed(
            id, mins.kind, mins.category, mins.contentHash, mins.basisRefs, mins.planId, Timing(0, 0, 0)
        );
        if (line != 0) {
            r.money = Money(mins.amount, line);
            emit MotionBudget(id, mins.budgetLine, mins.amount);
        }
    }

    function _window(uint8 which, uint24 seconds_) private pure {
        if (seconds_ < MIN_WINDOW || seconds_ > MAX_WINDOW) {
            revert WindowOutOfBounds(which, seconds_, MIN_WINDOW, MAX_WINDOW);
        }
    }

    /// @dev Budget boundary at proposal (R-WD-7); returns the line index + 1 (0 for a General motion).
    function _budgetCheck(Kind kind, Category category, bytes32 lineId, uint16 year, uint96 amount)
        private
        returns (uint32)
    {
        if (kind == Kind.General || kind == Kind.Nomination) return 0;
        if (kind == Kind.Budget) {
            if (category != Category.Legislative) revert BudgetNotLegislative(category);
            if (lineId == bytes32(0) || year == 0 || amount == 0) revert BadBudget(lineId, year, amount);
            Line storage l = _lines[lineId];
            if (l.index == 0) {
                _lineIds.push(lineId);
                l.index = uint32(_lineIds.length);
                l.year = year;
                emit BudgetLineRegistered(lineId, year, l.index);
            } else if (l.year != year) {
                revert LineYearMismatch(lineId, l.year, year);
            }
            return l.index;
        }
        // Spending
        if (lineId == bytes32(0) || amount == 0) revert BadBudget(lineId, year, amount);
        Line storage s = _lines[lineId];
        if (s.index == 0) revert UnknownBudgetLine(lineId);
        uint256 remaining = uint256(s.approved) - s.spent;
        if (amount > remaining) revert OverBudget(lineId, amount, remaining);
        return s.index;
    }

    // ------------------------------------------------------------------ internals: members

    /// @dev The live holder of `office`, acting with their current key.
    function _member(Office office) private view returns (bytes32 pid) {
        if (uint8(office) >= CORE_OFFICES) revert NotCoreOffice(office);
        pid = jurisdiction.holder(office);
        if (pid == bytes32(0)) revert SeatVacant(office);
        if (persons.keyOf(pid) != msg.sender) revert NotMember(office, msg.sender);
    }

    /// @dev The roster member of `office`, who must still hold it (R-TC-3).
    function _rosterMember(uint256 id, uint16 rosterId, Office office) private view returns (bytes32 pid) {
        if (uint8(office) >= CORE_OFFICES) revert NotCoreOffice(office);
        bytes32 holder = jurisdiction.holder(office);
        if (holder == bytes32(0)) revert SeatVacant(office);
        pid = _rosters[rosterId][uint8(office)];
        if (pid != holder) revert NotOnRoster(id, office, holder);
    }

    /// @dev Record the current holders as a roster unless they equal the latest one (R-TC-3).
    function _syncRoster() private returns (uint16 id, bytes32[CORE_OFFICES] memory members) {
        bytes32[6] memory h = jurisdiction.holders();
        members = [h[0], h[1], h[2], h[3], h[4]];
        bytes32 hash = keccak256(abi.encode(members));
        id = rosterCount;
        if (id != 0 && hash == _rosterHash) return (id, members);
        if (hash == keccak256(abi.encode(new bytes32[](CORE_OFFICES)))) revert NoMembers();
        id += 1;
        rosterCount = id;
        _rosterHash = hash;
        _rosters[id] = members;
        emit RosterRecorded(id, members);
    }

    /// @dev The seated office with the top weight; precedence order breaks ties (R-WD-4, R-WD-6).
    function _lead(uint40 weights_, bytes32[CORE_OFFICES] memory members) private pure returns (uint8 best) {
        uint16 top = 0;
        bool found = false;
        for (uint8 o = 0; o < CORE_OFFICES; ++o) {
            if (members[o] == bytes32(0)) continue;
            uint16 w = _weightOf(weights_, o);
            if (!found || w > top) (best, top, found) = (o, w, true);
        }
        if (!found) revert NoMembers();
    }

    // ------------------------------------------------------------------ internals: disputes

    function _settleIfDecided(uint256 id, Motion storage m, bool timeUp) private {
        Dispute storage d = _disputes[id];
        uint16 total = 0;
        uint16 yes = 0;
        uint16 no = 0;
        for (uint8 o = 0; o < CORE_OFFICES; ++o) {
            uint16 w = _weightOf(d.weights, o);
            total += w;
            if (d.yesMask & (1 << o) != 0) yes += w;
            if (d.noMask & (1 << o) != 0) no += w;
        }
        // the alternative wins only with more than half of the strategic row total (R-WD-3)
        bool won = uint256(yes) * 2 > total;
        bool lost = uint256(total - no) * 2 <= total;
        if (!won && !lost && !timeUp) return;
        if (won) {
            m.category = d.alternative;
            m.weights = _row(d.alternative);
        }
        m.status = Status.Classified;
        emit DisputeSettled(id, won, m.category, yes, total);
    }

    // ------------------------------------------------------------------ internals: votes

    function _revealable(uint256 id) private returns (Motion storage m) {
        m = _motion(id);
        if (m.status != Status.Voting) revert WrongStatus(id, m.status);
        if (block.timestamp < m.endsAt) {
            // early unseal: every member on the roster has cast a sealed vote (R-WD-5)
            bytes32[CORE_OFFICES] storage members = _rosters[m.roster];
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                if (members[o] != bytes32(0) && _sealed[_ringKey(id, Office(o))] >> 192 != id + 1) {
                    revert VotesStillSealed(id, m.endsAt);
                }
            }
            m.endsAt = uint40(block.timestamp);
            emit VotesUnsealed(id, uint40(block.timestamp));
        }
        uint40 revealEnd = m.endsAt + m.revealWindow;
        if (block.timestamp >= revealEnd) revert RevealClosed(id, revealEnd);
    }

    function _openVote(uint256 id, Motion storage m, Office office, uint8 position, bytes32 salt, uint16 votes)
        private
        returns (uint16)
    {
        if (position == 0 || position > ABSTAIN) revert BadPosition(position);
        bytes32 pid = _rosterMember(id, m.roster, office);
        uint256 word = _sealed[_ringKey(id, office)];
        if (word >> 192 != id + 1) revert NotCommitted(id, office);
        uint256 shift = 2 * uint256(uint8(office));
        if ((votes >> shift) & 3 != 0) revert AlreadyRevealed(id, office);
        bytes32 c = keccak256(abi.encode(address(this), id, pid, position, salt));
        if (uint192(uint256(c)) != uint192(word)) revert RevealMismatch(id, office);
        emit VoteRevealed(id, office, position);
        return votes | uint16(uint256(position) << shift);
    }

    function _decide(uint256 id, Motion storage m, uint40 decidedAt, bytes32[CORE_OFFICES] memory members) private {
        (uint16 yes, uint16 no, uint16 abstain) = _tally(m.votes, m.weights);
        bool passed = yes >= threshold; // R-WD-2
        bool overBudget = false;
        Money memory money = _records[id].money;
        Line storage l = _lines[money.line == 0 ? bytes32(0) : _lineIds[money.line - 1]];
        if (passed && m.kind == Kind.Spending && uint256(l.approved) - l.spent < money.amount) {
            overBudget = true; // R-WD-7: cannot pass beyond what remains
            passed = false;
        }
        m.endsAt = decidedAt;
        bytes32 responsible = bytes32(0);
        if (passed) {
            responsible = members[_lead(m.weights, members)]; // R-WD-6, recorded with the roster for life
            m.status = Status.Passed;
        } else {
            m.status = Status.Rejected;
            if (overBudget) m.flags |= FLAG_OVER_BUDGET;
        }
        emit MotionDecided(id, passed, yes, no, abstain, responsible, overBudget);
        if (!passed || money.line == 0) return;
        bytes32 lineId = _lineIds[money.line - 1];
        if (m.kind == Kind.Budget) {
            l.approved += money.amount;
            emit BudgetApproved(lineId, id, money.amount, l.approved);
        } else {
            l.spent += money.amount;
            emit BudgetSpent(lineId, id, money.amount, l.spent);
        }
    }

    /// @dev R-WD-6: the lead of a passed motion's roster (rosters never change once recorded).
    function _firstResponsible(Motion storage m) private view returns (bytes32) {
        bytes32[CORE_OFFICES] memory members = _rosters[m.roster];
        return members[_lead(m.weights, members)];
    }

    // ------------------------------------------------------------------ internals: helpers

    function _motion(uint256 id) private view returns (Motion storage m) {
        m = _records[id].m;
        if (m.status == Status.None) revert UnknownMotion(id);
    }

    function _ringKey(uint256 id, Office office) private pure returns (uint256) {
        return ((id % RING) << 3) | uint8(office);
    }

    function _row(Category category) private view returns (uint40) {
        return uint40(_matrix >> (40 * uint256(uint8(category))));
    }

    function _weightOf(uint40 packed, uint8 office) private pure returns (uint16) {
        return uint16((packed >> (8 * office)) & 0xff);
    }

    function _tally(uint16 votes, uint40 weights_) private pure returns (uint16 yes, uint16 no, uint16 abstain) {
        for (uint8 o = 0; o < CORE_OFFICES; ++o) {
            uint256 v = (votes >> (2 * o)) & 3;
            uint16 w = _weightOf(weights_, o);
            if (v == YES) yes += w;
            else if (v == NO) no += w;
            else if (v == ABSTAIN) abstain += w;
        }
    }
}
