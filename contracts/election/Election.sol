// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IBallotBox} from "../interfaces/IBallotBox.sol";
import {IScrutiny} from "../interfaces/IScrutiny.sol";
import {IElection} from "../interfaces/IElection.sol";
import {ISuccession} from "../interfaces/ISuccession.sol";
import {IWorkCalendar} from "../interfaces/IWorkCalendar.sol";
import {Office, CORE_OFFICES, ProfileKind} from "../lib/ZhiliTypes.sol";
import {BallotBox} from "./BallotBox.sol";
import {Roles} from "../lib/Roles.sol";
import {Ranking} from "../lib/Ranking.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";

/// @title Linked two-stage election of one term (R-EL-1 ... R-EL-11, R-TL-1, R-TL-2)
/// @notice Vetting (R-EL-1), party pre-selection of the top 7 (R-EL-2), upper approval with
/// strike-and-replace (R-EL-3), congress final vote of the top 5 (R-EL-4), quorum (R-EL-5), runoffs
/// among exactly the tied candidates whenever a tie decides something (R-EL-6), secret ballots in
/// this election's `BallotBox` (R-EL-7), and the offices derived from the final ranking alone
/// (R-EL-8 ... R-EL-11), written into the jurisdiction and counted as terms served (R-TL-1).
/// @dev The state machine moves only through `finalizeRound` (anyone, after a poll's reveal window)
/// and the few human acts SPEC names: registration, vetting, upper strikes and approval, the
/// secretary's pick of the administrator. No function assigns an office by hand.
contract Election is JurisdictionBound, IElection {
    struct Poll {
        Purpose purpose;
        uint8 seats;
        uint8[] candidates; // candidate indices; bit i of a ballot = candidates[i]
    }

    bytes32 private constant TERM_END = keccak256("term_end");
    uint8 private constant NONE = type(uint8).max;
    uint8 private constant VACANT = type(uint8).max - 1; // nobody may hold the office (R-TL-1): left vacant (R-TC-3)
    uint256 public constant MAX_CANDIDATES = 250;

    IPersonRegistry public immutable persons;
    IBallotBox public immutable ballots;
    uint16 public immutable term;
    bytes32 public immutable incumbent;
    ISuccession public immutable succession;

    uint8 private immutable _maxNames1;
    uint8 private immutable _advance;
    uint8 private immutable _minCandidates;
    uint8 private immutable _electedCount;
    uint8 private immutable _termLimit;
    uint8 private immutable _topRank;
    uint8 private immutable _dimensions;
    uint8 private immutable _pickDays;
    bool private immutable _perOffice;
    IWorkCalendar private immutable _calendar;
    uint16 private immutable _resignDemerit;

    Phase public phase;
    Candidate[] private _candidates;
    mapping(bytes32 personId => uint256) private _indexPlusOne;

    mapping(Electorate => mapping(bytes32 voterId => bool)) private _onRoll;
    uint32[2] private _rollSize;
    bool[2] private _rollFrozen;

    mapping(uint256 round => Poll) private _polls;
    uint256 public currentRound;
    bool public pollPending;
    uint256 public stage1Round;
    uint256 public stage2Round;

    uint8[] private _finalists;
    uint8[] private _elected;
    uint8[CORE_OFFICES] private _office; // candidate index per office, NONE if undecided
    bool private _pathOneDone;
    uint64 public pickDeadline;

    modifier inPhase(Phase needed) {
        if (phase != needed) revert WrongPhase(phase, needed);
        _;
    }

    modifier noPoll() {
        if (pollPending) revert PollPending(currentRound);
        _;
    }

    /// @param jurisdiction_ the jurisdiction whose offices this election fills
    /// @param persons_ the province's person registry
    /// @param term_ the term number
    /// @dev The incumbent (R-EL-8) is read from the jurisdiction, never given: the last secretary seated
    /// there (or declared for the time before the chain), if the registry counts a secretary term for them.
    /// @param succession_ the jurisdiction's succession order (R-SU-1), zero if it keeps none
    /// @param scrutiny_ the scrutineers' contract the election's ballot box seals every round to (R-EL-13), zero
    /// for commit-reveal rounds
    constructor(
        IJurisdiction jurisdiction_,
        IPersonRegistry persons_,
        uint16 term_,
        ISuccession succession_,
        IScrutiny scrutiny_
    ) JurisdictionBound(jurisdiction_) {
        bytes32 incumbent_ = jurisdiction_.lastSecretary();
        if (incumbent_ != bytes32(0) && persons_.termsServed(incumbent_, Office.Secretary) == 0) incumbent_ = 0;
        persons = persons_;
        term = term_;
        incumbent = incumbent_;
        succession = succession_;
        IJurisdiction.Params memory p = jurisdiction_.params();
        _maxNames1 = p.stage1MaxNames;
        _advance = p.stage1Advance;
        _minCandidates = p.stage1MinCandidates;
        _electedCount = p.elected;
        _termLimit = p.secretaryTermLimit;
        _topRank = p.pathOneTopRank;
        _dimensions = p.vettingDimensions;
        _pickDays = p.oathWorkingDays;
        _perOffice = p.kind == ProfileKind.Township;
        _calendar = jurisdiction_.calendar();
        _resignDemerit = p.resignDemerit;
        ballots = new BallotBox(jurisdiction_, persons_, scrutiny_);
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            _office[o] = NONE;
        }
        emit ElectionCreated(address(jurisdiction_), address(persons_), address(ballots), term_, incumbent_);
    }

    // ------------------------------------------------------------------ registration (R-EL-1, R-EL-5)

    function addCandidates(bytes32[] calldata personIds)
        external
        onlyRole(Roles.ELECTION_AUTHORITY)
        inPhase(Phase.Registration)
    {
        uint256 total = _candidates.length + personIds.length;
        if (total > MAX_CANDIDATES) revert TooManyCandidates(total, MAX_CANDIDATES);
        for (uint256 i = 0; i < personIds.length; ++i) {
            bytes32 id = personIds[i];
            if (!persons.isRegistered(id)) revert IPersonRegistry.UnknownPerson(id);
            if (persons.isBlacklisted(id)) revert BlacklistedPerson(id);
            if (_indexPlusOne[id] != 0) revert DuplicateCandidate(id);
            _candidates.push(Candidate(id, Vetting.Pending, 0, false, false, false, bytes32(0)));
            _indexPlusOne[id] = _candidates.length;
            emit CandidateAdded(_candidates.length - 1, id);
        }
    }

    function vet(bytes32 personId, uint8 failedMask, bytes32 reportHash)
        external
        onlyRole(Roles.VETTING_BOARD)
        inPhase(Phase.Registration)
    {
        Candidate storage c = _candidates[_indexOf(personId)];
        if (c.vetting != Vetting.Pending) revert AlreadyVetted(personId);
        if (_dimensions < 8 && failedMask >> _dimensions != 0) revert InvalidVettingMask(failedMask, _dimensions);
        bool black = persons.isBlacklisted(personId);
        bool passed = failedMask == 0 && !black;
        c.vetting = passed ? Vetting.Passed : Vetting.Failed;
        c.failedMask = failedMask;
        c.reportHash = reportHash;
        emit CandidateVetted(personId, passed, failedMask, black, reportHash);
    }

    function registerVoters(Electorate electorate, bytes32[] calldata voterIds)
        external
        onlyRole(Roles.ELECTION_AUTHORITY)
    {
        if (_rollFrozen[uint256(electorate)]) revert RollFrozen(electorate);
        mapping(bytes32 => bool) storage onRoll_ = _onRoll[electorate];
        for (uint256 i = 0; i < voterIds.length; ++i) {
            bytes32 id = voterIds[i];
            if (!persons.isRegistered(id)) revert IPersonRegistry.UnknownPerson(id);
            if (persons.isBlacklisted(id)) revert BlacklistedPerson(id);
            if (onRoll_[id]) revert DuplicateVoter(id);
            onRoll_[id] = true;
        }
        _rollSize[uint256(electorate)] += uint32(voterIds.length);
        emit VotersRegistered(electorate, voterIds, _rollSize[uint256(electorate)]);
    }

    function beginStage1() external onlyRole(Roles.ELECTION_AUTHORITY) inPhase(Phase.Registration) {
        uint256 n = _candidates.length;
        uint8[] memory eligible = new uint8[](n);
        uint256 count;
        for (uint256 i = 0; i < n; ++i) {
            Candidate storage c = _candidates[i];
            if (c.vetting == Vetting.Pending) revert VettingIncomplete(c.personId);
            if (c.vetting == Vetting.Passed && persons.isBlacklisted(c.personId)) {
                c.vetting = Vetting.Failed; // blacklisted after vetting: fails automatically (R-EL-1)
                emit CandidateVetted(c.personId, false, c.failedMask, true, c.reportHash);
            }
            if (c.vetting == Vetting.Passed) eligible[count++] = uint8(i);
        }
        if (count < _minCandidates) revert NotContested(count, _minCandidates);
        assembly ("memory-safe") {
            mstore(eligible, count)
        }
        _setPhase(Phase.Stage1);
        stage1Round = _schedule(Purpose.Stage1, eligible, _advance, _maxNames1);
    }

    // ------------------------------------------------------------------ upper approval (R-EL-3)

    function strike(bytes32 personId, bytes32 reasonHash)
        external
        onlyRole(Roles.UPPER_COMMITTEE)
        inPhase(Phase.UpperApproval)
        noPoll
    {
        uint256 idx = _indexOf(personId);
        Candidate storage c = _candidates[idx];
        if (!c.finalist) revert NotFinalist(personId);
        uint256 available = _finalists.length - 1 + _pool(stage1Round).length;
        if (available <= _electedCount) revert StrikeLeavesTooFew(available, _electedCount + 1);
        c.finalist = false;
        c.struck = true;
        _remove(_finalists, uint8(idx));
        emit Struck(personId, reasonHash);
        _fillFinalists();
    }

    function approveList() external onlyRole(Roles.UPPER_COMMITTEE) inPhase(Phase.UpperApproval) noPoll {
        emit ListApproved(_ids(_finalists));
        _setPhase(Phase.Stage2);
        uint8 n = uint8(_finalists.length);
        stage2Round = _schedule(Purpose.Stage2, _finalists, _electedCount, n);
    }

    // ------------------------------------------------------------------ polls (anyone)

    /// @inheritdoc IElection
    /// @dev The only external calls go to this election's own BallotBox (created in the constructor,
    /// immutable, never calls back) and to the Jurisdiction and PersonRegistry, which are zhili
    /// contracts without callbacks; `pollPending` is cleared before the first call, so a re-entry
    /// would revert with NoPollPending. See docs/static-analysis.md.
    // slither-disable-next-line reentrancy-no-eth
    function finalizeRound() external {
        if (!pollPending) revert NoPollPending();
        uint256 round = currentRound;
        pollPending = false;
        (uint32[] memory votes, bool quorum) = ballots.finalize(round);
        Poll storage p = _polls[round];
        if (!quorum) {
            uint256 rerun = _schedule(p.purpose, p.candidates, p.seats, ballots.getRound(round).maxNames);
            if (round == stage1Round) stage1Round = rerun;
            if (round == stage2Round) stage2Round = rerun;
            emit PollVoid(round, rerun);
            return;
        }
        Purpose purpose = p.purpose;
        if (purpose == Purpose.Stage1) {
            _fillFinalists();
        } else if (purpose == Purpose.Stage2) {
            _electTop();
        } else {
            (uint8[] memory won, uint8[] memory tied, uint256 left) = Ranking.top(p.candidates, votes, p.seats);
            _applyRunoff(purpose, won, tied, left);
        }
    }

    // ------------------------------------------------------------------ administrator pick (R-EL-10)

    function pickAdministrator(bytes32 personId) external inPhase(Phase.AwaitingPick) {
        bytes32 sec = _candidates[_office[uint256(Office.Secretary)]].personId;
        if (msg.sender != persons.keyOf(sec)) revert NotSecretaryElect(msg.sender);
        if (block.timestamp > pickDeadline) revert PickDeadlinePassed(pickDeadline, block.timestamp);
        uint8[] memory rest = _free(Office.Administrator);
        uint256 idx = _indexPlusOne[personId];
        bool ok = false;
        for (uint256 i = 0; i < rest.length; ++i) {
            if (idx != 0 && rest[i] == idx - 1) ok = true;
        }
        if (!ok) revert NotPickable(personId);
        _assign(Office.Administrator, uint8(idx - 1), 0);
        _setPhase(Phase.Offices);
        _assignOffices();
    }

    function lapsePick() external inPhase(Phase.AwaitingPick) {
        if (block.timestamp <= pickDeadline) revert PickStillOpen(pickDeadline, block.timestamp);
        _setPhase(Phase.Offices);
        if (_decideOne(Purpose.Administrator, Office.Administrator, _free(Office.Administrator), 0)) {
            return;
        }
        _assignOffices();
    }

    // ------------------------------------------------------------------ views

    function candidateCount() external view returns (uint256) {
        return _candidates.length;
    }

    function candidate(uint256 index) external view returns (Candidate memory) {
        return _candidates[index];
    }

    function poll(uint256 round) external view returns (Purpose purpose, uint8 seats, uint8[] memory candidates) {
        Poll storage p = _polls[round];
        return (p.purpose, p.seats, p.candidates);
    }

    function pollCandidates(uint256 round) external view returns (bytes32[] memory) {
        return _ids(_polls[round].candidates);
    }

    function finalists() external view returns (bytes32[] memory) {
        return _ids(_finalists);
    }

    function elected() external view returns (bytes32[] memory) {
        return _ids(_elected);
    }

    function offices() external view returns (bytes32[5] memory out) {
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            if (_office[o] < VACANT) out[o] = _candidates[_office[o]].personId;
        }
    }

    function roll(Electorate electorate) external view returns (uint32 size, bool frozen) {
        return (_rollSize[uint256(electorate)], _rollFrozen[uint256(electorate)]);
    }

    function onRoll(Electorate electorate, bytes32 voterId) external view returns (bool) {
        return _onRoll[electorate][voterId];
    }

    function eligibleForSecretary(bytes32 personId) public view returns (bool) {
        return _mayHold(personId, Office.Secretary);
    }

    // ------------------------------------------------------------------ state machine

    /// @dev Fill the stage-1 list up to 7 from the stage-1 ranking (R-EL-2, R-EL-3).
    function _fillFinalists() private {
        uint256 need = _advance > _finalists.length ? _advance - _finalists.length : 0;
        if (need > 0) {
            uint8[] memory pool = _pool(stage1Round);
            if (pool.length > 0) {
                (uint8[] memory won, uint8[] memory tied, uint256 left) =
                    Ranking.top(pool, _votesOf(stage1Round, pool), need);
                _addFinalists(won);
                if (tied.length > 0) {
                    _schedule(Purpose.Stage1Runoff, tied, uint8(left), uint8(left));
                    return;
                }
            }
        }
        if (phase == Phase.Stage1) _setPhase(Phase.UpperApproval);
    }

    /// @dev Elect the top 5 of stage 2 (R-EL-4).
    // slither-disable-next-line reentrancy-no-eth
    function _electTop() private {
        uint256 need = _electedCount - _elected.length;
        if (need > 0) {
            uint8[] memory pool = new uint8[](_finalists.length);
            uint256 k = 0;
            for (uint256 i = 0; i < _finalists.length; ++i) {
                Candidate storage c = _candidates[_finalists[i]];
                if (!c.elected && c.vetting == Vetting.Passed) pool[k++] = _finalists[i];
            }
            assembly ("memory-safe") {
                mstore(pool, k)
            }
            (uint8[] memory won, uint8[] memory tied, uint256 left) =
                Ranking.top(pool, _votesOf(stage2Round, pool), need);
            for (uint256 i = 0; i < won.length; ++i) {
                _elect(won[i]);
            }
            if (won.length > 0) emit ElectedChanged(_ids(_elected));
            if (tied.length > 0) {
                _schedule(Purpose.Stage2Runoff, tied, uint8(left), uint8(left));
                return;
            }
        }
        if (_elected.length < _electedCount) return _void("too few eligible elected");
        _setPhase(Phase.Offices);
        _assignOffices();
    }

    /// @dev Apply a runoff result; a tied runoff is run again among exactly the still-tied (R-EL-6).
    // slither-disable-next-line reentrancy-no-eth
    function _applyRunoff(Purpose purpose, uint8[] memory won, uint8[] memory tied, uint256 left) private {
        if (purpose == Purpose.Stage1Runoff) {
            _addFinalists(won);
        } else if (purpose == Purpose.Stage2Runoff) {
            for (uint256 i = 0; i < won.length; ++i) {
                _elect(won[i]);
            }
            if (won.length > 0) emit ElectedChanged(_ids(_elected));
        } else if (purpose == Purpose.PathOne) {
            uint8 inc = uint8(_indexPlusOne[incumbent] - 1);
            if (_contains(won, inc)) {
                _assign(Office.Secretary, inc, 1);
                _pathOneDone = true;
                tied = new uint8[](0);
            } else if (!_contains(tied, inc)) {
                _pathOneDone = true; // outside the top 3: path 2 decides
                tied = new uint8[](0);
            }
        } else if (won.length == 1) {
            Office office = purpose == Purpose.Secretary
                ? Office.Secretary
                : purpose == Purpose.Discipline
                    ? Office.Discipline
                    : purpose == Purpose.Congress
                        ? Office.Congress
                        : purpose == Purpose.Administrator ? Office.Administrator : Office.Consultative;
            _assign(office, won[0], purpose == Purpose.Secretary ? 2 : 0);
        }
        if (tied.length > 0) {
            _schedule(purpose, tied, uint8(left), uint8(left));
            return;
        }
        if (purpose == Purpose.Stage1Runoff) _fillFinalists();
        else if (purpose == Purpose.Stage2Runoff) _electTop();
        else _assignOffices();
    }

    /// @dev Offices from the final ranking (R-EL-8 ... R-EL-10); opens a runoff where a tie decides.
    function _assignOffices() private {
        uint32[] memory v = _votesOf(stage2Round, _elected);
        if (_office[uint256(Office.Secretary)] == NONE) {
            if (!_pathOneDone) {
                _pathOneDone = true;
                uint256 inc = _indexPlusOne[incumbent];
                if (inc != 0 && _candidates[inc - 1].elected && eligibleForSecretary(incumbent)) {
                    (uint256 above, uint8[] memory group) = Ranking.standing(_elected, v, uint8(inc - 1));
                    if (above + group.length <= _topRank) {
                        _assign(Office.Secretary, uint8(inc - 1), 1); // R-EL-8
                    } else if (above < _topRank) {
                        _pathOneDone = false;
                        _schedule(Purpose.PathOne, group, uint8(_topRank - above), uint8(_topRank - above));
                        return;
                    }
                }
            }
            if (_office[uint256(Office.Secretary)] == NONE) {
                uint8[] memory eligible = _filterFor(_elected, Office.Secretary);
                if (eligible.length == 0) return _void("no eligible secretary");
                if (_decideOne(Purpose.Secretary, Office.Secretary, eligible, 2)) return; // R-EL-9
            }
        }
        if (_office[uint256(Office.Discipline)] == NONE) {
            if (_decideOne(Purpose.Discipline, Office.Discipline, _free(Office.Discipline), 0)) {
                return; // R-EL-10
            }
        }
        if (_office[uint256(Office.Administrator)] == NONE) {
            uint8[] memory rest = _free(Office.Administrator);
            if (rest.length == 0) {
                _vacant(Office.Administrator);
            } else {
                // the pick window: the oath period of the profile, in working days (R-EL-10, [decision])
                pickDeadline = _calendar.deadline(block.timestamp, _pickDays);
                emit AwaitingPick(_candidates[_office[uint256(Office.Secretary)]].personId, _ids(rest), pickDeadline);
                _setPhase(Phase.AwaitingPick);
                return;
            }
        }
        if (_office[uint256(Office.Congress)] == NONE) {
            if (_decideOne(Purpose.Congress, Office.Congress, _free(Office.Congress), 0)) {
                return; // R-EL-10
            }
        }
        if (_office[uint256(Office.Consultative)] == NONE) {
            if (_decideOne(Purpose.Consultative, Office.Consultative, _free(Office.Consultative), 0)) {
                return; // two left only if congress was barred to both (R-TL-1)
            }
        }
        _seat();
    }

    /// @dev Give `office` to the highest-ranked of `pool`, or open a runoff among the tied. True if a runoff opened.
    function _decideOne(Purpose purpose, Office office, uint8[] memory pool, uint8 path) private returns (bool) {
        if (pool.length == 0) {
            _vacant(office); // everyone left has held it twice (R-TL-1): vacant, R-TC-3 fills it
            return false;
        }
        (uint8[] memory won, uint8[] memory tied, uint256 left) = Ranking.top(pool, _votesOf(stage2Round, pool), 1);
        if (tied.length > 0) {
            _schedule(purpose, tied, uint8(left), uint8(left)); // left == 1: the tied compete for the one office
            return true;
        }
        _assign(office, won[0], path);
        return false;
    }

    /// @dev Write the five offices into the jurisdiction and count the terms (R-EL-11, R-TL-1), after
    /// checking every holder again at this moment: blacklist (R-MR-9), demerit at the resignation
    /// threshold (R-MR-7), elected or seated elsewhere, terms served including those gained since the
    /// assignment (R-TL-1). A person who fails leaves the five and the next in the stage-2 ranking
    /// enters; a term limit only bars the office. Either way the offices are derived again by the
    /// same rules (R-EL-8 ... R-EL-10), never by hand.
    // slither-disable-next-line reentrancy-no-eth
    function _seat() private {
        bool redo = false;
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            uint8 idx = _office[o];
            if (idx == VACANT) continue;
            bytes32 id = _candidates[idx].personId;
            uint8 why = persons.hindrance(id, address(jurisdiction), _resignDemerit);
            if (why == 0 && !_mayHold(id, Office(o))) why = 4;
            if (why == 0) continue;
            emit SeatingRefused(Office(o), id, why);
            redo = true;
            if (why < 4) {
                _candidates[idx].vetting = Vetting.Failed;
                _candidates[idx].elected = false;
                _remove(_elected, idx);
                persons.release(id, address(jurisdiction));
            }
        }
        if (redo) {
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                _office[o] = NONE;
            }
            _pathOneDone = false;
            emit ElectedChanged(_ids(_elected));
            _setPhase(Phase.Offices);
            _electTop();
            return;
        }
        bytes32[5] memory ids = [bytes32(0), bytes32(0), bytes32(0), bytes32(0), bytes32(0)];
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            if (jurisdiction.holder(Office(o)) != bytes32(0)) jurisdiction.vacate(Office(o), TERM_END);
        }
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            if (_office[o] == VACANT) continue;
            ids[o] = _candidates[_office[o]].personId;
            (bool seated, Office held) = jurisdiction.officeOf(ids[o]);
            if (seated) jurisdiction.vacate(held, TERM_END); // e.g. the discipline deputy elected
            jurisdiction.seat(Office(o), ids[o]);
            persons.recordTerm(ids[o], Office(o));
            persons.engage(ids[o], address(jurisdiction), true);
        }
        _setPhase(Phase.Completed);
        emit OfficesSeated(ids);
        if (address(succession) != address(0)) succession.officesSeated(); // R-SU-1
    }

    /// @dev Whether `id` may hold `office`: under the term limit for the secretary everywhere and for
    /// each core office in the township (R-TL-1); the secretary also never blacklisted (R-MR-9).
    function _mayHold(bytes32 id, Office office) private view returns (bool) {
        if (office == Office.Secretary && persons.isBlacklisted(id)) return false;
        return (office != Office.Secretary && !_perOffice) || persons.termsServed(id, office) < _termLimit;
    }

    /// @dev Candidate `i` enters the five; recorded province-wide (the registry keeps an earlier
    /// record of another jurisdiction, and this election then refuses them at seating).
    function _elect(uint8 i) private {
        _candidates[i].elected = true;
        _elected.push(i);
        persons.engage(_candidates[i].personId, address(jurisdiction), false);
    }

    function _vacant(Office office) private {
        _office[uint256(office)] = VACANT;
        emit OfficeAssigned(office, bytes32(0), 0);
    }

    function _void(bytes32 reason) private {
        for (uint256 i = 0; i < _elected.length; ++i) {
            persons.release(_candidates[_elected[i]].personId, address(jurisdiction));
        }
        _setPhase(Phase.Void);
        emit ElectionVoid(reason);
    }

    // ------------------------------------------------------------------ helpers

    function _schedule(Purpose purpose, uint8[] memory cands, uint8 seats, uint8 maxNames)
        private
        returns (uint256 round)
    {
        Electorate e = purpose == Purpose.Stage1 || purpose == Purpose.Stage1Runoff
            ? Electorate.Party
            : Electorate.Congress;
        uint32 size = _rollSize[uint256(e)];
        if (size == 0) revert EmptyRoll(e);
        _rollFrozen[uint256(e)] = true;
        round = ballots.createRound(uint8(e), uint8(cands.length), maxNames, size);
        Poll storage p = _polls[round];
        p.purpose = purpose;
        p.seats = seats;
        p.candidates = cands;
        currentRound = round;
        pollPending = true;
        emit PollScheduled(round, purpose, e, _ids(cands), seats, maxNames);
    }

    /// @dev Votes of each of `pool` in the stage poll `round` (by candidate index).
    function _votesOf(uint256 round, uint8[] memory pool) private view returns (uint32[] memory out) {
        uint32[] memory all = ballots.votes(round);
        uint8[] storage cands = _polls[round].candidates;
        out = new uint32[](pool.length);
        for (uint256 i = 0; i < pool.length; ++i) {
            for (uint256 j = 0; j < cands.length; ++j) {
                if (cands[j] == pool[i]) out[i] = all[j];
            }
        }
    }

    /// @dev Stage-1 candidates neither on the list nor struck.
    function _pool(uint256 round) private view returns (uint8[] memory pool) {
        uint8[] storage cands = _polls[round].candidates;
        pool = new uint8[](cands.length);
        uint256 k;
        for (uint256 i = 0; i < cands.length; ++i) {
            Candidate storage c = _candidates[cands[i]];
            if (!c.finalist && !c.struck) pool[k++] = cands[i];
        }
        assembly ("memory-safe") {
            mstore(pool, k)
        }
    }

    /// @dev Elected candidates with no office yet.
    function _unassigned() private view returns (uint8[] memory rest) {
        rest = new uint8[](_elected.length);
        uint256 k;
        for (uint256 i = 0; i < _elected.length; ++i) {
            bool taken;
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                if (_office[o] == _elected[i]) taken = true;
            }
            if (!taken) rest[k++] = _elected[i];
        }
        assembly ("memory-safe") {
            mstore(rest, k)
        }
    }

    /// @dev The elected without an office yet who may take `office`.
    function _free(Office office) private view returns (uint8[] memory) {
        return _filterFor(_unassigned(), office);
    }

    /// @dev Those of `pool` who may take `office`: for the secretary under the term limit and not
    /// blacklisted (R-TL-1, R-MR-9); in the township under the same limit for each core office (R-TL-1).
    function _filterFor(uint8[] memory pool, Office office) private view returns (uint8[] memory out) {
        out = new uint8[](pool.length);
        uint256 k;
        for (uint256 i = 0; i < pool.length; ++i) {
            bytes32 id = _candidates[pool[i]].personId;
            if (_mayHold(id, office)) out[k++] = pool[i];
        }
        assembly ("memory-safe") {
            mstore(out, k)
        }
    }

    function _addFinalists(uint8[] memory won) private {
        for (uint256 i = 0; i < won.length; ++i) {
            _candidates[won[i]].finalist = true;
            _finalists.push(won[i]);
        }
        if (won.length > 0) emit FinalistsChanged(_ids(_finalists));
    }

    function _assign(Office office, uint8 idx, uint8 path) private {
        _office[uint256(office)] = idx;
        emit OfficeAssigned(office, _candidates[idx].personId, path);
    }

    function _setPhase(Phase p) private {
        phase = p;
        emit PhaseChanged(p);
    }

    function _indexOf(bytes32 personId) private view returns (uint256) {
        uint256 i = _indexPlusOne[personId];
        if (i == 0) revert NotCandidate(personId);
        return i - 1;
    }

    function _ids(uint8[] memory idx) private view returns (bytes32[] memory out) {
        out = new bytes32[](idx.length);
        for (uint256 i = 0; i < idx.length; ++i) {
            out[i] = _candidates[idx[i]].personId;
        }
    }

    function _contains(uint8[] memory list, uint8 x) private pure returns (bool) {
        for (uint256 i = 0; i < list.length; ++i) {
            if (list[i] == x) return true;
        }
        return false;
    }

    function _remove(uint8[] storage list, uint8 x) private {
        for (uint256 i = 0; i < list.length; ++i) {
            if (list[i] == x) {
                list[i] = list[list.length - 1];
                list.pop();
                return;
            }
        }
    }
}
