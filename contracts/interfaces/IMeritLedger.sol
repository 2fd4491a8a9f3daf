// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EntryKind, ReporterClass, Award, Finding, AWARDS} from "../lib/MeritTypes.sol";
import {IPersonRegistry} from "./IPersonRegistry.sol";
import {IWorkCalendar} from "./IWorkCalendar.sol";
import {IMeritBook} from "./IMeritBook.sol";
import {ISuccession} from "./ISuccession.sol";

/// @title The surface of `MeritLedger`: its events, errors, types and external functions
interface IMeritLedger {
    /// @notice Where a report case stands (R-MR-2 ... R-MR-13).
    enum Stage {
        None,
        Filed,
        InReview, // reviewers assigned, sealing
        Reviewed, // both initial reviews open
        Rechecked, // big-data re-check anchored; a decision may be proposed
        Deliberating, // a proposal is being voted on
        Decided, // the committee adopted a decision
        Published, // appeal window running
        Appealed, // the upper committee must answer
        Final,
        Annulled, // overturned on appeal
        Escalated // the upper committee let the answer deadline pass: the committee two levels up answers
    }

    /// @notice Initial review conclusion of one reviewer (R-MR-10).
    enum Conclusion {
        Substantiated,
        Unsubstantiated
    }

    /// @notice Award points per `Award` and the other amounts of the profile (tenths).
    struct Table {
        uint16[AWARDS] awards; // 0 = not offered by this profile
        uint16 liabilityDirect; // R-MR-5: 10
        uint16 liabilityNext; // R-MR-5: 1
        uint16 clueRefund; // R-MR-5: 1
        uint16 silence; // R-MR-6: 5
        uint16 proceduralMax; // R-MR-12 [decision]: largest minor procedural sanction
        uint8 falseAccusationFactor; // R-MR-8: 2
        uint8 offsetApprovals; // R-MR-12: levels that approve an offset: 1 (county 2)
        uint8 reviewWorkingDays; // R-MR-10 [decision]: initial review deadline, then the reviewers may be replaced
    }

    /// @notice What the committee decides for a case.
    struct Decision {
        Finding finding;
        Award award; // granted to the reporter, None if none
        bytes32 reporter; // the reporter's person id, revealed only when needed (award, R-MR-8); else zero
        bytes32 reporterSalt; // opening of the report's commitment
        uint16 sanction; // Procedural: demerit points
        bytes32 directSupervisor; // R-MR-5, zero if none
        bytes32 nextSupervisor; // R-MR-5, zero if none
        bool directGaveClue; // R-MR-5 refund
        bool nextGaveClue;
        bytes32[] silent; // R-MR-6
        bytes32 findingHash; // the written finding
    }

    /// @notice A report case: the accused, the commitment and hashes of each step, the reviewers, the stage and the award.
    struct Case {
        bytes32 accused;
        bytes32 commitment;
        bytes32 evidenceHash;
        bytes32 decisionHash;
        bytes32 seal1;
        bytes32 seal2;
        address reviewer1;
        uint64 filedAt;
        Stage stage;
        ReporterClass class;
        Award claimed;
        uint8 round;
        address reviewer2;
        uint64 reviewedAt;
        uint8 yes;
        uint8 no;
        bool open1;
        bool open2;
        uint64 publishedAt;
        uint64 appealDeadline;
        uint64 answerDeadline;
        uint64 closedAt;
        uint64 reviewDeadline; // R-MR-10 [decision]: after it the committee may replace a defaulting reviewer
    }

    /// @notice A request to offset a procedural demerit entry (R-MR-12) and its approvals.
    struct OffsetRequest {
        bytes32 personId;
        bytes32 ref;
        uint256 entryId;
        int32 points;
        uint8 approvals;
        bool done;
        uint8 levels; // bit 0: upper committee approved, bit 1: the committee two levels up
    }

    /// @notice The award table and amounts set at deployment from the profile.
    event TableSet(Table table, uint8 committeeSize);
    /// @notice The merit committee now has `size` members.
    event CommitteeSizeSet(uint8 size);
    /// @notice A report was filed (R-MR-4): the reporter only as `commitment` =
    /// keccak256(abi.encode(personId, salt)); `identityBlob` hashes the encrypted identity kept off chain.
    event ReportFiled(
        uint256 indexed caseId,
        bytes32 indexed accused,
        ReporterClass class,
        Award claimed,
        bytes32 evidenceHash,
        bytes32 commitment,
        bytes32 identityBlob,
        uint64 at
    );
    /// @notice The two back-to-back reviewers of a case (R-MR-10), to open both conclusions by
    /// `reviewDeadline`; `reassigned`: they replace a pair that missed it (earlier seals and openings void).
    event ReviewersAssigned(
        uint256 indexed caseId, address reviewer1, address reviewer2, uint64 reviewDeadline, bool reassigned
    );
    /// @notice `reviewer` missed the review deadline (did not seal, or did not open once both were sealed):
    /// replaced, and never appointed to this case again (R-MR-10 [decision]).
    event ReviewerReplaced(uint256 indexed caseId, address reviewer);
    /// @notice A reviewer sealed a conclusion.
    event ReviewSealed(uint256 indexed caseId, address indexed reviewer, bytes32 seal);
    /// @notice A reviewer opened a conclusion (only possible once both were sealed).
    event ReviewOpened(uint256 indexed caseId, address indexed reviewer, Conclusion conclusion, bytes32 reportHash);
    /// @notice Both initial reviews are open (R-MR-10 step 1; R-MR-13 time to initial verification).
    event InitialReviewDone(uint256 indexed caseId, uint64 at);
    /// @notice The big-data re-check result is anchored (R-MR-10 step 2).
    event Rechecked(uint256 indexed caseId, bytes32 resultHash, bool consistent);
    /// @notice A decision is put to the committee's vote (R-MR-10 step 3).
    event DecisionProposed(
        uint256 indexed caseId, uint8 round, Decision decision, bytes32 decisionHash, address proposer
    );
    /// @notice A committee member voted.
    event Voted(uint256 indexed caseId, uint8 round, address indexed member, bool yes);
    /// @notice The committee adopted (or rejected) the proposal of `round`.
    event DecisionVoted(uint256 indexed caseId, uint8 round, bool adopted, uint8 yes, uint8 no);
    /// @notice The decision is published (R-MR-10 step 4); appeals until `appealDeadline` (R-MR-11).
    event Published(uint256 indexed caseId, bytes32 noticeHash, uint64 at, uint64 appealDeadline);
    /// @notice `appellant` appealed (R-MR-11); the upper committee answers by `answerDeadline`.
    event Appealed(
        uint256 indexed caseId, bytes32 indexed appellant, bytes32 groundsHash, uint64 at, uint64 answerDeadline
    );
    /// @notice The appeal was answered; `escalated` if by the committee two levels up (R-MR-11).
    event AppealDecided(uint256 indexed caseId, bool upheld, bytes32 answerHash, bool escalated);
    /// @notice The upper committee let the answer deadline pass: the appeal goes to the committee two
    /// levels up, which answers by `answerDeadline` (R-MR-11 [decision]).
    event AppealEscalated(uint256 indexed caseId, uint64 at, uint64 answerDeadline);
    /// @notice A removal award was not written: the accused no longer held an office here when the case
    /// became final (an earlier final case already rewarded that removal), R-MR-2 [decision].
    event AwardWithheld(uint256 indexed caseId, Award award, bytes32 accused);
    /// @notice The case is final (entries written) or annulled; `at` closes it (R-MR-13).
    event CaseClosed(uint256 indexed caseId, bool final_, uint64 at);
    /// @notice `personId`'s demerit reached the warning list (R-MR-7).
    event WarningListed(bytes32 indexed personId, int64 demerit);
    /// @notice `personId`'s demerit reached the resignation threshold: they leave office (R-MR-7).
    event MustResign(bytes32 indexed personId, int64 demerit);
    /// @notice `personId` asks to offset demerit entry `entryId` with merit (R-MR-12).
    event OffsetRequested(
        uint256 indexed requestId, bytes32 indexed personId, uint256 entryId, int32 points, bytes32 ref
    );
    /// @notice Body `level` (1: upper committee, 2: two levels up) approved; `done` once every level the
    /// profile requires approved and the offset is applied (R-MR-12).
    event OffsetApproved(uint256 indexed requestId, address approver, uint8 level, uint8 approvals, bool done);

    /// @notice The case is not at the step this act belongs to (review steps run in order).
    /// @custom:rule R-MR-10
    error WrongStage(uint256 caseId, Stage current, Stage needed);
    /// @notice A required hash (evidence, commitment, seal) is zero.
    /// @custom:rule R-MR-4
    error EmptyHash();
    /// @notice The profile does not offer this award (its table gives it no points).
    /// @custom:rule R-MR-2
    error AwardNotInProfile(Award award);
    /// @notice Citizen awards are for citizens' reports, the cadre tables for cadres' (R-MR-3, R-MR-4).
    /// @custom:rule R-MR-4
    error AwardNotForClass(Award award, ReporterClass class);
    /// @notice The two reviewers must be two distinct non-zero accounts, neither the accused's key.
    /// @custom:rule R-MR-10
    error InvalidReviewers(address reviewer1, address reviewer2);
    /// @notice The caller is not one of the case's reviewers.
    /// @custom:rule R-MR-10
    error NotReviewer(uint256 caseId, address caller);
    /// @notice This reviewer already sealed (or opened) a conclusion.
    /// @custom:rule R-MR-10
    error AlreadySealed(uint256 caseId, address reviewer);
    /// @notice Conclusions open only once both reviewers have sealed theirs (back to back).
    /// @custom:rule R-MR-10
    error ReviewsNotSealed(uint256 caseId, uint8 sealedCount);
    /// @notice The opening does not match the sealed conclusion.
    /// @custom:rule R-MR-10
    error SealMismatch(uint256 caseId, address reviewer);
    /// @notice This member already voted on this proposal.
    /// @custom:rule R-MR-10
    error AlreadyVoted(uint256 caseId, address member);
    /// @notice The committee size must be at least one.
    /// @custom:rule R-MR-10
    error InvalidCommitteeSize(uint256 size);
    /// @notice The reporter's opening does not match the report's commitment.
    /// @custom:rule R-MR-4
    error CommitmentMismatch(uint256 caseId, bytes32 reporter);
    /// @notice An award or a false-accusation penalty needs the reporter revealed.
    /// @custom:rule R-MR-8
    error ReporterNotRevealed(uint256 caseId);
    /// @notice The award is for a removal (免职) but the finding removes nobody.
    /// @custom:rule R-MR-2
    error AwardNeedsRemoval(Award award, Finding finding);
    /// @notice An award or party that this finding does not allow (no award when unfounded or malicious;
    /// liability and silence only with corruption, R-MR-5, R-MR-6).
    /// @custom:rule R-MR-5
    error NotAllowedWithFinding(Finding finding);
    /// @notice A procedural sanction must be 1..proceduralMax tenths; other findings carry none.
    /// @custom:rule R-MR-12
    error InvalidSanction(uint16 sanction, uint16 max);
    /// @notice A party is zero, the accused, or listed twice; or too many silent peers.
    /// @custom:rule R-MR-6
    error InvalidParty(bytes32 personId);
    /// @notice A dereliction finding concerns the discipline secretary (R-SU-5).
    /// @custom:rule R-SU-5
    error NotDisciplineSecretary(bytes32 accused, bytes32 holder);
    /// @notice The decision given is not the one adopted for this case.
    /// @custom:rule R-MR-10
    error DecisionMismatch(uint256 caseId);
    /// @notice The appeal window has closed.
    /// @custom:rule R-MR-11
    error AppealWindowClosed(uint256 caseId, uint64 deadline, uint64 now_);
    /// @notice The appeal window is still open: the case is not final yet.
    /// @custom:rule R-MR-11
    error AppealWindowOpen(uint256 caseId, uint64 deadline, uint64 now_);
    /// @notice The caller's key is not the appellant's (PersonRegistry).
    /// @custom:rule R-MR-11
    error NotPersonKey(address caller, bytes32 personId);
    /// @notice Only a person the decision affects may appeal.
    /// @custom:rule R-MR-11
    error NotAppealParty(uint256 caseId, bytes32 personId);
    /// @notice The offset request does not exist or is already applied.
    /// @custom:rule R-MR-12
    error OffsetClosed(uint256 requestId);
    /// @notice This upper committee member already approved.
    /// @custom:rule R-MR-12
    error AlreadyApproved(uint256 requestId, address approver);
    /// @notice This body already approved the offset: the next approval must come from the other level.
    /// @custom:rule R-MR-12
    error LevelAlreadyApproved(uint256 requestId, uint8 level);
    /// @notice The review deadline has not passed: the reviewers cannot be replaced yet.
    /// @custom:rule R-MR-10
    error ReviewDeadlineNotPassed(uint256 caseId, uint64 deadline, uint64 now_);
    /// @notice A reviewer who missed the review deadline cannot be appointed again to the case.
    /// @custom:rule R-MR-10
    error ReviewerDefaulted(uint256 caseId, address reviewer);
    /// @notice The answer deadline has passed: the appeal escalates, the late body no longer answers.
    /// @custom:rule R-MR-11
    error AnswerDeadlinePassed(uint256 caseId, uint64 deadline, uint64 now_);
    /// @notice The answer deadline has not passed: no escalation, and no finality, yet.
    /// @custom:rule R-MR-11
    error AnswerDeadlineNotPassed(uint256 caseId, uint64 deadline, uint64 now_);
    /// @notice A removal award needs the accused to hold an office in this jurisdiction.
    /// @custom:rule R-MR-2
    error AccusedHoldsNoOffice(bytes32 accused);
    /// @notice The award granted is worth more than the report claimed.
    /// @custom:rule R-MR-4
    error AwardAboveClaim(Award award, Award claimed);

    /// @notice Most silent peers one finding may name (R-MR-6).
    function MAX_SILENT() external view returns (uint256);
    /// @notice The province's person registry.
    function persons() external view returns (IPersonRegistry);
    /// @notice The working-day calendar the appeal and answer windows are computed from (SPEC section 8).
    function calendar() external view returns (IWorkCalendar);
    /// @notice The province's merit book this ledger writes.
    function book() external view returns (IMeritBook);
    /// @notice The jurisdiction's succession order (R-SU-4 trigger, R-MR-7 effects).
    function succession() external view returns (ISuccession);
    /// @notice Members of the merit committee (holders of MERIT_COMMITTEE); a decision needs more than half.
    function committeeSize() external view returns (uint8);
    /// @notice Number of cases filed; case ids are 1..caseCount.
    function caseCount() external view returns (uint256);
    /// @notice Number of offset requests; ids are 1..offsetCount.
    function offsetCount() external view returns (uint256);
    /// @notice Set the number of merit committee members (keep it equal to the MERIT_COMMITTEE holders).
    /// Only the jurisdiction's admin.
    /// @param size number of members
    function setCommitteeSize(uint8 size) external;
    /// @notice File a report. Anyone may send it (e.g. an intake desk relaying it), so the sender says
    /// nothing about the reporter; the reporter is only `commitment`.
    /// @param accused the person reported
    /// @param class the reporter's class (committee member, other cadre, citizen)
    /// @param claimed the award the report claims (None for none)
    /// @param evidenceHash hash of the evidence package
    /// @param commitment keccak256(abi.encode(reporterPersonId, salt))
    /// @param identityBlob hash of the encrypted identity file (SM2/SM4) kept off chain
    /// @return caseId the new case
    function fileReport(
        bytes32 accused,
        ReporterClass class,
        Award claimed,
        bytes32 evidenceHash,
        bytes32 commitment,
        bytes32 identityBlob
    ) external returns (uint256 caseId);
    /// @notice Step 1: assign the two back-to-back reviewers.
    /// @param caseId the case
    /// @param reviewer1 first reviewer
    /// @param reviewer2 second reviewer
    function assignReviewers(uint256 caseId, address reviewer1, address reviewer2) external;
    /// @notice Step 1, after the review deadline passed with a conclusion missing: the committee replaces the
    /// pair. A reviewer who missed it (did not seal, or did not open once both were sealed) cannot serve
    /// again; earlier seals and openings are void and a new review deadline runs.
    /// @param caseId the case
    /// @param reviewer1 first reviewer
    /// @param reviewer2 second reviewer
    function reassignReviewers(uint256 caseId, address reviewer1, address reviewer2) external;
    /// @notice Step 1: a reviewer seals their conclusion:
    /// keccak256(abi.encode(ledger, caseId, reviewer, conclusion, reportHash, salt)).
    /// @param caseId the case
    /// @param seal the sealed conclusion
    function sealReview(uint256 caseId, bytes32 seal) external;
    /// @notice Step 1: a reviewer opens their conclusion, once both are sealed.
    /// @param caseId the case
    /// @param conclusion the conclusion
    /// @param reportHash hash of the reviewer's written review
    /// @param salt the seal's salt
    function openReview(uint256 caseId, Conclusion conclusion, bytes32 reportHash, bytes32 salt) external;
    /// @notice Step 2: anchor the big-data re-check result.
    /// @param caseId the case
    /// @param resultHash hash of the re-check report
    /// @param consistent whether the re-check agrees with the initial reviews
    function anchorRecheck(uint256 caseId, bytes32 resultHash, bool consistent) external;
    /// @notice Step 3: put a decision to the committee's vote. The contract checks it against the
    /// profile's tables and the report; the points follow from the table, never from the caller.
    /// @param caseId the case
    /// @param d the decision
    function propose(uint256 caseId, Decision calldata d) external;
    /// @notice Step 3: a committee member votes on the current proposal. More than half of the
    /// committee adopts it; half or more against rejects it (a new proposal may follow).
    /// @param caseId the case
    /// @param yes for or against
    function vote(uint256 caseId, bool yes) external;
    /// @notice Step 4: publish the adopted decision (R-MR-10). The appeal window (R-MR-11) closes at the
    /// end of the 7th working day after the day of publication, computed here from the calendar.
    /// @param caseId the case
    /// @param noticeHash hash of the published notice
    function publish(uint256 caseId, bytes32 noticeHash) external;
    /// @notice Appeal a published decision within the window, signed with the appellant's own key.
    /// @param caseId the case
    /// @param d the published decision
    /// @param appellant the appellant's person id (a person the decision affects)
    /// @param salt the report commitment's salt if the appellant is the unrevealed reporter, else zero
    /// @param groundsHash hash of the written appeal (the upper committee answers by the end of the
    /// 15th working day after the appeal's day, computed here from the calendar)
    function appeal(uint256 caseId, Decision calldata d, bytes32 appellant, bytes32 salt, bytes32 groundsHash) external;
    /// @notice The upper committee answers an appeal by its answer deadline (an escalated appeal: the
    /// committee two levels up, by the new deadline): upheld makes the case final, otherwise it is annulled.
    /// @param caseId the case
    /// @param d the published decision
    /// @param upheld whether the decision stands
    /// @param answerHash hash of the written answer
    function decideAppeal(uint256 caseId, Decision calldata d, bool upheld, bytes32 answerHash) external;
    /// @notice After the answer deadline, anyone escalates an unanswered appeal to the committee two
    /// levels up, which answers within the same number of working days (R-MR-11 [decision]).
    /// @param caseId the case
    function escalateAppeal(uint256 caseId) external;
    /// @notice Make a published case final once its appeal window has passed without appeal, or an
    /// escalated appeal once the second answer deadline passed unanswered (the decision stands). Anyone.
    /// @param caseId the case
    /// @param d the published decision
    function finalize(uint256 caseId, Decision calldata d) external;
    /// @notice Ask to offset one's own minor procedural sanction with merit; signed with one's key. Only in
    /// the ledger that wrote the entry (the book refuses others).
    /// @param entryId the demerit entry in the book
    /// @param personId its person (the caller)
    /// @param kind its kind
    /// @param points its points
    /// @param ref its case reference
    /// @return requestId the request
    function requestOffset(uint256 entryId, bytes32 personId, EntryKind kind, int32 points, bytes32 ref)
        external
        returns (uint256 requestId);
    /// @notice One body approves an offset: UPPER_COMMITTEE (level 1) or, where the profile needs two
    /// levels (county), HIGHER_COMMITTEE (level 2); each level once. With every level it is applied at
    /// once and the succession order takes one pass (R-SU-3). Only in the ledger that wrote the entry.
    /// @param requestId the request
    function approveOffset(uint256 requestId) external;
    /// @notice The award table and amounts of this jurisdiction's profile.
    function table() external view returns (Table memory);
    /// @notice A case's stored state.
    function caseOf(uint256 caseId) external view returns (Case memory);
    /// @notice An offset request.
    function offsetRequest(uint256 requestId) external view returns (OffsetRequest memory);
    /// @notice Whether `personId` is on the warning list (demerit >= 4.0) and must resign (>= 6.0), R-MR-7.
    function status(bytes32 personId) external view returns (bool warning, bool mustResign);
    /// @notice Hash a decision as `propose` stores it.
    function hashDecision(Decision calldata d) external pure returns (bytes32);
}
