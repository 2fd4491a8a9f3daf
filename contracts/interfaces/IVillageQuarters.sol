// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title A village's quarters: publication, objections, rulings, finality, annual grades and their
/// consequences (R-VC-7, R-VC-8, R-VC-9)
/// @notice The surface of `VillageQuarters`. A quarter is `month / 3` (months from January 1970, CST);
/// a year's quarters are `(year - 1970) * 4 … + 3`. Points are tenths.
interface IVillageQuarters {
    /// @notice A quarter's publication. `state`: 0 open, 1 publishing (batches), 2 published (objection
    /// window running until `deadline`), 3 final. `count` persons are published (the village's
    /// participants when publication began), `done` so far; `council` is the council size the
    /// rulings' majority counts against; `open` objections not yet ruled. `lastCredit`/`lastIdx` are
    /// the last published rank key (credit net descending, then index ascending).
    struct Quarter {
        uint8 state;
        uint32 count;
        uint32 done;
        uint32 council;
        uint32 open;
        uint64 publishedAt;
        uint64 deadline;
        int64 lastCredit;
        uint32 lastIdx;
    }

    /// @notice An objection to person `subject`'s standing in `quarter` (optionally to one entry of it).
    /// `state`: 1 open, 2 upheld, 3 rejected.
    struct Objection {
        uint32 quarter;
        uint32 subject;
        uint32 objector;
        uint8 state;
        uint256 entry;
    }

    /// @notice Signed corrections of a person's quarter by upheld rulings, tenths per point kind.
    struct Adjustment {
        int32 party;
        int32 rep;
        int32 credit;
    }

    /// @notice A person's year: scores per point type (R-VC-4), member grades (1 优秀 … 4 不合格,
    /// 0 no red or yellow contract), stars (1..5, 0 no blue contract).
    struct Annual {
        int32 partyScore;
        int32 repScore;
        int32 villagerScore;
        uint8 partyGrade;
        uint8 repGrade;
        uint8 stars;
        bool graded;
    }

    /// @notice A failing representative's rectification (R-VC-9): `state` 1 due, 2 rectified, 3 seat lost.
    struct Rectification {
        uint64 deadline;
        uint8 state;
    }

    /// @notice Publication of `quarter` began: `count` persons, the council has `council` members.
    event PublicationStarted(uint32 indexed quarter, uint32 count, uint32 council, bytes32 publisher);
    /// @notice Person `idx`'s standing in `quarter` (R-VC-7): rank (1 = first) and points by kind:
    /// rewards and penalties of party duty, representative duty and resident credit.
    event Standing(uint32 indexed quarter, uint32 indexed idx, uint32 rank, uint32[6] points);
    /// @notice All standings of `quarter` are published; objections until `deadline` (R-VC-7).
    event QuarterPublished(uint32 indexed quarter, uint64 publishedAt, uint64 deadline);
    /// @notice `objector` objected to `subject`'s standing in `quarter` (entry 0: the standing as a whole).
    event Objected(
        uint256 indexed id, uint32 indexed quarter, uint32 subject, uint32 objector, uint256 entry, bytes32 grounds
    );
    /// @notice Council member `member` voted for a ruling on objection `id`; `votes` for that ruling so far.
    event RulingVoted(
        uint256 indexed id, uint32 indexed member, bool uphold, uint8 kind, int32 delta, bytes32 reason, uint32 votes
    );
    /// @notice The council ruled on objection `id` by majority (R-VC-7); if upheld, `delta` corrects
    /// point kind `kind` (0 party duty, 1 representative duty, 2 credit) of the subject's quarter.
    event ObjectionRuled(uint256 indexed id, bool upheld, uint8 kind, int32 delta, bytes32 reason);
    /// @notice `quarter` is final: it never changes again (R-VC-7).
    event QuarterFinal(uint32 indexed quarter);
    /// @notice Person `idx` was graded for `year` (R-VC-8).
    event Graded(uint16 indexed year, uint32 indexed idx, Annual annual);
    /// @notice Representative `idx` was graded 不合格 and must rectify by `deadline` (R-VC-9).
    event RectificationDue(uint16 indexed year, uint32 indexed idx, uint64 deadline);
    /// @notice The town confirmed the representative's rectification (R-VC-9).
    event Rectified(uint16 indexed year, uint32 indexed idx, bytes32 evidence);
    /// @notice The representative lost the seat; a by-election (补选) is due (R-VC-9).
    event SeatLost(uint16 indexed year, uint32 indexed idx, bytes32 person);
    /// @notice Party member `idx` graded 不合格 is referred to the branch (R-VC-9).
    event ReferredToBranch(uint16 indexed year, uint32 indexed idx);
    /// @notice Party member `helper` is assigned to help villager `idx` one to one (R-VC-9).
    event HelperAssigned(uint16 indexed year, uint32 indexed idx, uint32 helper);

    /// @notice The quarter is not in the state this step needs.
    /// @custom:rule none
    error QuarterState(uint32 quarter, uint8 state);
    /// @notice No such objection.
    /// @custom:rule none
    error UnknownObjection(uint256 id);
    /// @notice A ruling's kind is 0..2, an upheld ruling corrects something and a rejection corrects nothing.
    /// @custom:rule none
    error RulingShape(bool uphold, uint8 kind, int32 delta);
    /// @notice The quarter has not ended, or one of its months' declaration windows is still open
    /// (`until`: the end of the quarter or that window's close).
    /// @custom:rule R-VC-7
    error QuarterNotOver(uint32 quarter, uint64 until);
    /// @notice Standings are published in rank order (credit net descending, then index ascending),
    /// each person once, and only persons of the village.
    /// @custom:rule R-VC-7
    error RankOrder(uint32 quarter, uint32 idx, int64 credit);
    /// @notice The objection window is over (or the quarter is not published).
    /// @custom:rule R-VC-7
    error ObjectionWindowClosed(uint32 quarter, uint256 time, uint64 deadline);
    /// @notice The entry objected to is not one of the subject's in that quarter.
    /// @custom:rule R-VC-7
    error EntryNotInStanding(uint256 entry, uint32 subject, uint32 quarter);
    /// @notice A council member does not rule on an objection about their own standing.
    /// @custom:rule R-VC-7
    error OwnStanding(uint256 id, uint32 member);
    /// @notice This council member already voted on this objection.
    /// @custom:rule R-VC-7
    error AlreadyRuled(uint256 id, uint32 member);
    /// @notice The objection is ruled already.
    /// @custom:rule R-VC-7
    error ObjectionClosed(uint256 id, uint8 state);
    /// @notice A quarter is final only after its objection window and once every objection is ruled.
    /// @custom:rule R-VC-7
    error NotYetFinal(uint32 quarter, uint64 deadline, uint32 open);
    /// @notice The year's four quarters must be final before grading.
    /// @custom:rule R-VC-8
    error YearNotFinal(uint16 year, uint32 quarter);
    /// @notice The person is already graded for this year.
    /// @custom:rule R-VC-8
    error AlreadyGraded(uint16 year, uint32 idx);
    /// @notice No rectification of this representative is due (or it is settled).
    /// @custom:rule R-VC-9
    error NoRectificationDue(uint16 year, bytes32 person, uint8 state);
    /// @notice The rectification deadline has passed (confirm) or not yet passed (seat loss).
    /// @custom:rule R-VC-9
    error RectificationDeadline(uint16 year, bytes32 person, uint256 time, uint64 deadline);
    /// @notice One-to-one help is for one-star villagers, by a party member, once a year.
    /// @custom:rule R-VC-9
    error HelpNotAllowed(uint16 year, bytes32 villager, bytes32 helper);

    /// @notice Publish standings of a quarter, in rank order, in one or more batches (R-VC-7). Only
    /// a credit council member; the first batch freezes the quarter's points in the ledger.
    /// @param quarter the quarter (ended, its declaration windows closed: the last month's from the manual if nobody opened it)
    /// @param idx village indexes in rank order
    function publish(uint32 quarter, uint32[] calldata idx) external;

    /// @notice Object to a person's standing (or one entry of it) within the window (R-VC-7). Any villager.
    /// @param quarter the published quarter
    /// @param subject the person objected about
    /// @param entry a declaration or negative item id of theirs in that quarter, or 0
    /// @param grounds fingerprint of the written grounds
    /// @return id the objection's id
    function object(uint32 quarter, bytes32 subject, uint256 entry, bytes32 grounds) external returns (uint256 id);

    /// @notice A council member votes for a ruling on an objection; more than half of the council
    /// decides it (R-VC-7). Never on one's own standing.
    /// @param id the objection
    /// @param uphold whether it is upheld
    /// @param kind the point kind corrected (0 party duty, 1 representative duty, 2 credit)
    /// @param delta the correction, tenths (non-zero if upheld, zero if rejected)
    /// @param reason fingerprint of the written reasons
    function rule(uint256 id, bool uphold, uint8 kind, int32 delta, bytes32 reason) external;

    /// @notice Make a quarter final once its window is over and every objection is ruled. Anyone.
    /// @param quarter the quarter
    function finalize(uint32 quarter) external;

    /// @notice Grade persons for a year whose four quarters are final (R-VC-8), and start the
    /// consequences (R-VC-9): a representative graded 不合格 must rectify by 24:00 CST of the same day
    /// three calendar months on (the month's last day if it has none). Anyone: the grades follow from the chain.
    /// @param year the year
    /// @param idx village indexes
    function grade(uint16 year, uint32[] calldata idx) external;

    /// @notice The town confirms a failing representative's rectification before the deadline (R-VC-9).
    /// @param year the graded year
    /// @param person the representative
    /// @param evidence fingerprint of the rectification's record
    function confirmRectified(uint16 year, bytes32 person, bytes32 evidence) external;

    /// @notice After the deadline without rectification the representative loses the seat and a
    /// by-election is due (R-VC-9). Anyone.
    /// @param year the graded year
    /// @param person the representative
    function loseSeat(uint16 year, bytes32 person) external;

    /// @notice The village secretary assigns a party member to help a one-star villager (R-VC-9).
    /// @param year the graded year
    /// @param villager the one-star villager
    /// @param helper a party member
    function assignHelper(uint16 year, bytes32 villager, bytes32 helper) external;
}
