// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {ICouncilMinutes} from "../interfaces/ICouncilMinutes.sol";
import {ICouncil} from "../interfaces/ICouncil.sol";
import {Office, Category, CORE_OFFICES} from "../lib/ZhiliTypes.sol";
import {ICouncilDecisions} from "../interfaces/ICouncilDecisions.sol";
import {CouncilMinutes} from "./CouncilMinutes.sol";
import {Roles} from "../lib/Roles.sol";
import {WeightedVote} from "../lib/WeightedVote.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";

/// @title Functional weighted council of one jurisdiction (R-WD-1 ... R-WD-8, R-TC-1 ... R-TC-3)
/// @notice Motions of one category (R-WD-1) with the category's weight row snapshotted at creation;
/// a classification window in which any member may dispute the category, decided by a `strategic`
/// vote needing more than half of that row (R-WD-3); the lead opinion of the member with the top
/// weight, anchored by hash, before voting opens (R-WD-4) — or, once the lead stayed silent past the
/// profile's deadline, the vote opened by anyone with "lead declined" recorded; windows no shorter than
/// the profile's minimums; sealed commit-reveal votes (R-WD-5); the
/// threshold (R-WD-2: yes weight >= 160); the first responsible person recorded for life when a motion
/// passes (R-WD-6); the four boundaries, with annual budget lines approved by `legislative` motions and
/// spending that cannot pass beyond what remains (R-WD-7); back-filled paper decisions (R-WD-8, outage and
/// signatures checked by its `CouncilMinutes`; a quorum of the seated, the lead present when it passes,
/// the ring honoured here); the weighted nomination votes of `TeamCompletion` (R-TC-1, R-TC-3).
/// @dev Members are the persons seated in the five core offices of the jurisdiction; a member acts
/// with their current key in the person registry. When voting opens, the holders are recorded as the
/// motion's roster: a seat vacant then, or taken by someone else since, has no vote on that motion
/// (R-TC-3); the holder is re-read from the jurisdiction at every act. Sealed votes live in a ring of
/// `RING` slots per office that later motions reuse, so a motion can be opened only when the motion
/// `RING` places earlier is out of its vote. Every state change emits an event.
contract Council is JurisdictionBound, ICouncil {
    // ------------------------------------------------------------------ types

    /// @notice The budget boundary of a Budget or Spending motion (R-WD-7).
    struct Money {
        uint96 amount;
        uint32 line; // index + 1 into the budget lines, 0 = none
    }

    struct Record {
        Motion m;
        bytes32 basisHash; // keccak256(abi.encode(basisRefs, planId)) (R-WD-7)
        Money money; // Budget and Spending only
    }

    // ------------------------------------------------------------------ constants and state

    bytes32 public constant SECRETARIAT = Roles.SECRETARIAT;
    uint256 public constant RING = 32;
    uint256 public constant MAX_WINDOW = 90 days;
    uint8 private constant FLAG_BACKFILLED = 1;
    uint8 private constant FLAG_OVER_BUDGET = 2;
    uint8 private constant FLAG_LEAD_DECLINED = 4;

    IPersonRegistry public immutable persons;
    ICouncilMinutes public immutable minuteBook;
    uint16 public immutable threshold;
    /// @dev The profile's weight matrix, 8 bits per office, 40 bits per category (R-WD-1).
    uint256 private immutable _matrix;
    /// @dev The profile's window limits (`WindowLimits`), 24 bits each: classify, vote, reveal, opinion.
    uint96 private immutable _limits;

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

    // ------------------------------------------------------------------ construction

    /// @param jurisdiction_ the jurisdiction whose core offices sit in this council
    /// @param persons_ the province's person registry (members' current keys)
    /// @param limits_ the profile's shortest windows and the lead's opinion deadline (seconds, each 1 … `MAX_WINDOW`)
    constructor(IJurisdiction jurisdiction_, IPersonRegistry persons_, WindowLimits memory limits_)
        JurisdictionBound(jurisdiction_)
    {
        uint24[4] memory l = [limits_.classify, limits_.vote, limits_.reveal, limits_.opinion];
        uint96 packed = 0;
        for (uint256 i = 0; i < 4; ++i) {
            if (l[i] == 0 || l[i] > MAX_WINDOW) revert WindowOutOfBounds(uint8(i), l[i], 1, MAX_WINDOW);
            packed |= uint96(l[i]) << uint8(24 * i); // i < 4: the shift is below 96
        }
        _limits = packed;
        persons = persons_;
        minuteBook = new CouncilMinutes(this, jurisdiction_, persons_);
        IJurisdiction.Params memory p = jurisdiction_.params();
        threshold = p.threshold;
        // the profile is fixed when the jurisdiction is deployed: copy its matrix once (R-WD-1)
        _matrix = WeightedVote.pack(jurisdiction_.weights());
    }

    // ------------------------------------------------------------------ proposing (secretariat)

    function propose(Proposal calldata p) external returns (uint256 id) {
        _checkRole(SECRETARIAT);
        if (p.kind == Kind.Nomination && p.category != Category.Strategic && p.category != Category.Discipline) {
            revert NominationCategory(p.category);
        }
        id = _create(p, p.kind);
    }

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
        emit DisputeVoted(id, office, pid, true, WeightedVote.weightOf(row, uint8(office)));
        _settleIfDecided(id, m, false);
    }

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
        emit DisputeVoted(id, office, pid, support, WeightedVote.weightOf(d.weights, uint8(office)));
        _settleIfDecided(id, m, false);
    }

    function settleDispute(uint256 id) external {
        Motion storage m = _motion(id);
        if (m.status != Status.Disputed) revert WrongStatus(id, m.status);
        Dispute storage d = _disputes[id];
        if (block.timestamp < d.endsAt) revert DisputeTiming(id, d.endsAt);
        _settleIfDecided(id, m, true);
    }

    // ------------------------------------------------------------------ lead opinion (R-WD-4)

    function stateOpinion(uint256 id, bytes32 opinionHash) external {
        Motion storage m = _motion(id);
        (uint16 rosterId, bytes32[CORE_OFFICES] memory members) = _syncRoster();
        uint8 leadOffice = WeightedVote.lead(m.weights, members);
        if (persons.keyOf(members[leadOffice]) != msg.sender) revert NotLead(id, Office(leadOffice), msg.sender);
        _categoryFinal(id, m);
        if (opinionHash == bytes32(0)) revert EmptyOpinion();
        uint40 voteEnd = _openVoting(m, rosterId);
        emit LeadOpinion(
            id, Office(leadOffice), members[leadOffice], opinionHash, rosterId, voteEnd, voteEnd + m.revealWindow
        );
    }

    function openWithoutOpinion(uint256 id) external {
        Motion storage m = _motion(id);
        uint40 deadline = _categoryFinal(id, m) + _limit(3);
        if (block.timestamp < deadline) revert OpinionPending(id, deadline);
        (uint16 rosterId, bytes32[CORE_OFFICES] memory members) = _syncRoster();
        uint8 leadOffice = WeightedVote.lead(m.weights, members);
        m.flags |= FLAG_LEAD_DECLINED;
        uint40 voteEnd = _openVoting(m, rosterId);
        emit LeadDeclined(id, Office(leadOffice), members[leadOffice], rosterId, voteEnd, voteEnd + m.revealWindow);
    }

    /// @dev When the category became final (R-WD-3): the classification window's end, or the end of the
    /// dispute's vote window (the latest it could settle). Reverts unless the motion awaits its opinion.
    function _categoryFinal(uint256 id, Motion storage m) private view returns (uint40 at) {
        if (m.status == Status.Proposed) {
            at = m.openedAt + m.classifyWindow;
            if (block.timestamp < at) revert ClassificationOpen(id, at);
        } else if (m.status == Status.Classified) {
            at = _disputes[id].endsAt;
        } else {
            revert WrongStatus(id, m.status);
        }
    }

    function _openVoting(Motion storage m, uint16 rosterId) private returns (uint40 voteEnd) {
        voteEnd = uint40(block.timestamp) + m.voteWindow;
        m.roster = rosterId;
        m.endsAt = voteEnd;
        m.status = Status.Voting;
    }

    // ------------------------------------------------------------------ sealed votes (R-WD-5)

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

    function reveal(uint256 id, Office office, uint8 position, bytes32 salt) external {
        Motion storage m = _revealable(id);
        uint16 votes = _openVote(id, m, office, position, salt, m.votes);
        m.votes = votes;
    }

    function revealMany(uint256 id, Opening[] calldata openings) external {
        Motion storage m = _revealable(id);
        uint16 votes = m.votes;
        for (uint256 i = 0; i < openings.length; ++i) {
            Opening calldata o = openings[i];
            votes = _openVote(id, m, o.office, o.position, o.salt, votes);
        }
        m.votes = votes;
    }

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
        uint16 yes = WeightedVote.yesWeight(m.votes, m.weights);
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
            weights_[o] = WeightedVote.weightOf(m.weights, uint8(o));
            votes[o] = uint8((m.votes >> (2 * o)) & 3);
        }
    }

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

    function limits() external view returns (WindowLimits memory) {
        return WindowLimits(_limit(0), _limit(1), _limit(2), _limit(3));
    }

    function tally(uint256 id) external view returns (uint16 yes, uint16 no, uint16 abstain) {
        Motion storage m = _motion(id);
        return WeightedVote.tally(m.votes, m.weights);
    }

    function lead(uint256 id) external view returns (Office) {
        Motion storage m = _motion(id);
        if (m.roster != 0) return Office(WeightedVote.lead(m.weights, _rosters[m.roster]));
        bytes32[6] memory h = jurisdiction.holders();
        return Office(WeightedVote.lead(m.weights, [h[0], h[1], h[2], h[3], h[4]]));
    }

    function sealedVote(uint256 id, Office office) external view returns (bool cast, bool opened) {
        Motion storage m = _motion(id);
        cast = _sealed[_ringKey(id, office)] >> 192 == id + 1 || (m.votes >> (2 * uint8(office))) & 3 != 0;
        opened = (m.votes >> (2 * uint8(office))) & 3 != 0;
    }

    function disputeOf(uint256 id) external view returns (Dispute memory) {
        return _disputes[id];
    }

    function roster(uint16 rosterId) external view returns (bytes32[CORE_OFFICES] memory) {
        return _rosters[rosterId];
    }

    function budgetLine(bytes32 line) external view returns (Line memory) {
        Line memory l = _lines[line];
        if (l.index == 0) revert UnknownBudgetLine(line);
        return l;
    }

    function budgetLines() external view returns (bytes32[] memory) {
        return _lineIds;
    }

    // ------------------------------------------------------------------ internals: proposing

    function _create(Proposal calldata p, Kind kind) private returns (uint256 id) {
        id = _nextId();
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

    /// @dev The next motion id, once the motion `RING` places earlier no longer holds its ring slot.
    function _nextId() private view returns (uint256 id) {
        id = uint256(motionCount) + 1;
        if (id > RING) {
            Motion storage prev = _records[id - RING].m;
            if (prev.status >= Status.Proposed && prev.status <= Status.Voting) {
                revert TooManyOpenMotions(id - RING);
            }
        }
    }

    function _emitProposed(uint256 id, Kind kind, Proposal calldata p) private {
        Timing memory t = Timing(uint40(block.timestamp) + p.classifyWindow, p.voteWindow, p.revealWindow);
        emit MotionProposed(id, kind, p.category, p.contentHash, p.basisRefs, p.planId, t);
    }

    function _recordMinutes(Minutes calldata mins) private returns (uint256 id, bytes32[CORE_OFFICES] memory members) {
        id = _nextId(); // the ring holds for paper decisions too: no two open motions share a slot
        uint32 line = _budgetCheck(mins.kind, mins.category, mins.budgetLine, mins.year, mins.amount);
        motionCount = uint64(id);
        Record storage r = _records[id];
        Motion storage m = r.m;
        m.kind = mins.kind;
        m.category = mins.category;
        m.status = Status.Voting;
        m.flags = FLAG_BACKFILLED;
        m.votes = mins.votes;
        m.weights = _row(mins.category);
        (m.roster, members) = _syncRoster();
        _backfillQuorum(mins.votes, m.weights, members);
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

    /// @dev R-WD-8: more than half of the seated members present (and so signing); a passing decision
    /// carries the lead's own signature, so an absent member is never its first responsible person.
    function _backfillQuorum(uint16 votes, uint40 weights, bytes32[CORE_OFFICES] memory members) private view {
        uint256 present = 0;
        uint256 seated = 0;
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            if (members[o] != bytes32(0)) ++seated;
            if ((votes >> (2 * o)) & 3 != 0) ++present;
        }
        if (present * 2 <= seated) revert NoQuorum(present, seated);
        if (WeightedVote.yesWeight(votes, weights) >= threshold) {
            uint8 leadOffice = WeightedVote.lead(weights, members);
            if ((votes >> (2 * leadOffice)) & 3 == 0) revert LeadAbsent(Office(leadOffice));
        }
    }

    function _limit(uint256 which) private view returns (uint24) {
        return uint24(_limits >> (24 * which));
    }

    function _window(uint8 which, uint24 seconds_) private view {
        uint24 min = _limit(which);
        if (seconds_ < min || seconds_ > MAX_WINDOW) revert WindowOutOfBounds(which, seconds_, min, MAX_WINDOW);
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

    // ------------------------------------------------------------------ internals: disputes

    function _settleIfDecided(uint256 id, Motion storage m, bool timeUp) private {
        Dispute storage d = _disputes[id];
        uint16 total = 0;
        uint16 yes = 0;
        uint16 no = 0;
        for (uint8 o = 0; o < CORE_OFFICES; ++o) {
            uint16 w = WeightedVote.weightOf(d.weights, o);
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
        if (position == 0 || position > WeightedVote.ABSTAIN) revert BadPosition(position);
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
        (uint16 yes, uint16 no, uint16 abstain) = WeightedVote.tally(m.votes, m.weights);
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
            responsible = members[WeightedVote.lead(m.weights, members)]; // R-WD-6, recorded with the roster for life
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
        return members[WeightedVote.lead(m.weights, members)];
    }

    // ------------------------------------------------------------------ internals: helpers

    function _motion(uint256 id) private view returns (Motion storage m) {
        m = _records[id].m;
        if (m.status == Status.None) revert UnknownMotion(id);
    }

    function _row(Category category) private view returns (uint40) {
        return WeightedVote.row(_matrix, category);
    }

    function _ringKey(uint256 id, Office office) private pure returns (uint256) {
        return ((id % RING) << 3) | uint8(office);
    }
}
