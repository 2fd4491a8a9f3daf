"""Every number of the bundled profiles against the seed's own number (issue 20): the expected values
are written here from the seed texts (file and line cited), not taken from the client, the chain or
another profile, so a profile edit that changes a rule fails here. Points are written as the seed
writes them (6 分 → 6.0) and compared with the profile's tenths. Pure Python, no chain.

Seeds: 000 = 乡镇治理现代化方案 (township), 001 = 中国式治理现代化方案 (county), in ../shared/seeds/."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhili import profiles

POINTS = "points"  # the profile holds tenths of a point
# (profile, path in the YAML, the seed's number, unit, seed file:line, the seed's words)
SEED: list[tuple[str, str, Any, str | None, str, str]] = [
    ("township", "threshold", 160, None, "000:205", "160票阈值"),
    ("county", "threshold", 160, None, "001:119", "重大决策需获得总权重160票支持"),
    ("township", "weights.strategic", [100, 80, 60, 40, 20], None, "000:183", "书记100,纪委书记80,人大主席60,统战委员40,乡理20"),
    ("township", "weights.discipline", [80, 100, 60, 40, 20], None, "000:185", "书记80,纪委书记100,人大主席60,统战委员40,乡理20"),
    ("township", "weights.legislative", [80, 60, 100, 40, 20], None, "000:187", "书记80,纪委书记60,人大主席100,统战委员40,乡理20"),
    ("township", "weights.consultative", [80, 60, 40, 100, 20], None, "000:189", "书记80,纪委书记60,人大主席40,统战委员100,乡理20"),
    ("township", "weights.livelihood", [80, 60, 60, 40, 100], None, "000:193", "书记80,纪委书记60,人大主席60,统战委员40,乡理100"),
    ("township", "election.stage1_advance", 7, None, "000:39", "按得票总数取前7名"),
    ("township", "election.elected", 5, None, "000:53", "产生的5人班子"),
    ("township", "election.path_one_top_rank", 3, None, "000:61", "未能进入前三名"),
    ("township", "election.secretary_term_limit", 2, None, "000:331", "总任期累计不得超过两届"),
    ("township", "deadlines.oath_working_days", 3, None, "000:89", "选举结果公布后3个工作日内…完成宣誓"),
    ("county", "deadlines.oath_working_days", 5, None, "001:65", "选举结果公布后5个工作日内"),
    ("township", "deadlines.appeal_working_days", 7, None, "000:283", "结果公布后7个工作日内…提起书面申诉"),
    ("county", "deadlines.appeal_working_days", 7, None, "001:170", "结果公布后7个工作日内"),
    ("township", "deadlines.appeal_answer_working_days", 15, None, "000:283", "需在15个工作日内复核并作出答复"),
    ("township", "merit.awards.direct_superior_removed", Decimal("6"), POINTS, "000:249", "直接上级被成功查处并免职…奖励6分"),
    ("township", "merit.awards.key_clue_same_level_secretary", Decimal("6"), POINTS, "000:251", "提供关键线索…奖励6分"),
    ("township", "merit.awards.peer_investigated", Decimal("3"), POINTS, "000:253", "举报并推动查处同级同事…奖励 3分"),
    ("township", "merit.awards.other_department_removed", Decimal("1"), POINTS, "000:255", "跨部门人员…奖励 1分"),
    ("county", "merit.awards.section_level_case", Decimal("1"), POINTS, "001:157", "查处科级干部案件…加1分"),
    ("county", "merit.awards.deputy_division_case", Decimal("3"), POINTS, "001:157", "查处副处级干部案件…加3分"),
    ("county", "merit.citizen_awards.section_level", Decimal("4"), POINTS, "001:257", "基础分值:4分"),
    ("county", "merit.citizen_awards.division_level", Decimal("9"), POINTS, "001:260", "基础分值:9分"),
    ("county", "merit.citizen_awards.bureau_level", Decimal("16"), POINTS, "001:263", "基础分值:16分"),
    ("township", "merit.leadership_liability.direct_supervisor", Decimal("1"), POINTS, "000:267", "直接主管领导扣1分"),
    ("township", "merit.leadership_liability.next_level", Decimal("0.1"), POINTS, "000:267", "上一级领导扣0.1分"),
    ("township", "merit.leadership_liability.earlier_clue_refund", Decimal("0.1"), POINTS, "000:267", "加0.1分"),
    ("township", "merit.silence", Decimal("0.5"), POINTS, "000:269", "知情不报,查实后扣 0.5分"),
    ("township", "merit.warning_demerit", Decimal("4"), POINTS, "000:269", "扣满 4分,转入“履职警示名单”"),
    ("township", "merit.resign_demerit", Decimal("6"), POINTS, "000:269", "扣满 6分,引咎辞职"),
    ("county", "merit.silence", Decimal("0.5"), POINTS, "001:165", "知情不报,查实后扣0.5分"),
    ("county", "merit.warning_demerit", Decimal("4"), POINTS, "001:165", "扣满4分"),
    ("county", "merit.resign_demerit", Decimal("6"), POINTS, "001:165", "扣满6分,引咎辞职"),
    ("township", "merit.overtake_margin", Decimal("6"), POINTS, "000:277", "超越…前一名的成员达到6分以上"),
    ("county", "merit.overtake_margin", Decimal("6"), POINTS, "001:173", "达到6分以上"),
]


def _at(data: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        data = data[key]
    return data


@pytest.mark.parametrize(("profile", "path", "seed", "unit", "ref", "words"), SEED, ids=[f"{p}:{k}" for p, k, *_ in SEED])
def test_profile_number_is_the_seeds(profile: str, path: str, seed: Any, unit: str | None, ref: str, words: str) -> None:
    value = _at(profiles.load(profile).data, path)
    expected = int(seed * 10) if unit == POINTS else seed
    assert value == expected, f"{profile}.yaml {path} = {value}, the seed ({ref}: {words}) says {seed}{' points' if unit else ''}"
