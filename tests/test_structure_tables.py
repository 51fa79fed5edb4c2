"""Indicator tables in every layout: case tables of small tables and the rows they give.

Each case is (id, table text, expected rows); an expected row lists only the fields
it checks. Tables are written as the converters write them: `\t` between cells for
PDF conversions, `|` for HTML/Word, plain spaces for flattened text.
"""
from __future__ import annotations

import pytest

from pipeline.structure import parse_indicators, parse_target

from casetable import read_table

T = "\t"


def rows(*lines: str) -> str:
    return "\n".join(lines) + "\n"


CASES = [
    (
        "tab: empty leading cells inherit level1/level2, shifted cells, total row",
        rows(
            f"{T}一级指标{T}二级指标{T}三级指标{T}年度指标值{T}实际完成值{T}分值{T}得分{T}未完成原因{T}",
            f"绩效指标{T}产出指标{T}数量指标{T}检查企业次数{T}≥15{T}19{T}6{T}6{T}{T}",
            f"{T}{T}{T}发布统计信息数量{T}≥12{T}12{T}6{T}5{T}{T}",
            f"{T}{T}成本指标{T}人均培训成本{T}≤450元{T}550{T}5{T}3{T}超支{T}",
            f"{T}{T}效益指标{T}社会效益指标{T}通邮率{T}≥100%{T}100%{T}5{T}5{T}",
            f"{T}{T}{T}{T}见报率{T}≥16%{T}16%{T}5{T}5{T}",
            f"维权事件发生{T}≤0{T}{T}{T}0{T}5{T}5{T}{T}{T}",
            f"满意 度指 标{T}服务 对象 满意 度指 标{T}综合满意度{T}≥97%{T}97.50%{T}4{T}4{T}",
            f"总分（预算执行率得分+绩效指标得分）{T}{T}{T}{T}{T}100分{T}100{T}",
        ),
        [
            dict(level1="产出指标", level2="数量指标", name="检查企业次数", target_op=">=", target=15,
                 target_unit=None, actual=19, weight=6, score=6, reason="", met=True),
            dict(level1="产出指标", level2="数量指标", name="发布统计信息数量", target=12, actual=12, score=5, met=True),
            dict(level1="产出指标", level2="成本指标", name="人均培训成本", target_op="<=", target=450,
                 target_unit="元", actual=550, actual_unit="元", reason="超支", met=False),
            dict(level1="效益指标", level2="社会效益指标", name="通邮率", target=100, target_unit="%", met=True),
            dict(level1="效益指标", level2="社会效益指标", name="见报率", target=16, actual=16, weight=5),
            dict(level1="效益指标", level2="社会效益指标", name="维权事件发生", target_op="<=", target=0,
                 actual=0, weight=5, score=5, met=True),
            dict(level1="满意度指标", level2="服务对象满意度指标", name="综合满意度", actual=97.5, met=True),
        ],
    ),
    (
        "tab: no level1 column, `指标 n:` prefixes, units in cells, text targets, a row broken over lines",
        rows(
            f"二级指标{T}三级指标{T}年度指标值{T}实际完成值",
            f"数量指标{T}指标 1: 系统维护套数{T}1 套{T}1 套",
            f"{T}指标 2: 开展执法业务培训{T}12 次{T}10 次",
            "",
            f"{T}指标 3: 监督检查覆盖率{T}100%{T}97%",
            f"时效指标{T}指标 1: 维护需求响应及时性{T}及时{T}及时",
            f"成本指标{T}指标 1: 系统运维年费{T}30 万{T}30 万",
            f"{T}指标 2: 培训考试人均成本{T}≤100 元{T}87 元",
            f"社会效益指标{T}指标 1: 开展安全监管执法、三项制度、",
            f"邮政市场监管检查次数{T}6 次{T}6 次",
            f"{T}指标 2: 信息安全事件发生数{T}0 次{T}0",
        ),
        [
            dict(level1=None, level2="数量指标", name="系统维护套数", target=1, target_unit="套", actual=1,
                 actual_unit="套", weight=None, score=None, met=True),
            dict(level2="数量指标", name="开展执法业务培训", target=12, actual=10, met=False),
            dict(level2="数量指标", name="监督检查覆盖率", target=100, target_unit="%", actual=97, met=False),
            dict(level2="时效指标", name="维护需求响应及时性", target_op=None, target="及时", actual="及时", met=None),
            dict(level2="成本指标", name="系统运维年费", target=30, target_unit="万", actual=30, met=True),
            dict(level2="成本指标", name="培训考试人均成本", target_op="<=", target=100, actual=87, met=True),
            dict(level2="社会效益指标", name="开展安全监管执法、三项制度、邮政市场监管检查次数", target=6, actual=6),
            dict(level2="社会效益指标", name="信息安全事件发生数", target=0, actual=0, actual_unit="次", met=True),
        ],
    ),
    (
        "tab: two tables for one indicator set (targets, then scores and reasons) merge",
        rows(
            f"一级指标{T}二级指标{T}三级指标{T}年度指标值{T}实际完成值",
            f"产出指标 (50分){T}数量指标{T}夜间执法装备配备数量{T}≥50{T}30",
            f"{T}成本指标{T}项目总支出{T}等于5万{T}等于5万",
            f"满意度指标 (10分){T}服务对象满意度指标{T}公众满意度提高{T}≥95{T}96%",
            "",
            "三、偏离绩效目标的原因和下一步改进措施",
            "",
            f"一级指标{T}二级指标{T}三级指标{T}分值{T}得分{T}未完成原因及改进措施",
            f"产出指标 (50分){T}数量指标{T}夜间执法装备配备数量{T}10{T}6{T}为节约成本，维修使用老旧设备。",
            f"{T}成本指标{T}项目总支出{T}15{T}15{T}",
            f"满意度指标 (10分){T}服务对象满意度指标{T}公众满意度提高{T}10{T}10{T}",
        ),
        [
            dict(level1="产出指标", level2="数量指标", name="夜间执法装备配备数量", target_op=">=", target=50,
                 actual=30, weight=10, score=6, reason="为节约成本，维修使用老旧设备。", met=False),
            dict(level1="产出指标", level2="成本指标", name="项目总支出", target_op="=", target=5, target_unit="万",
                 actual=5, actual_unit="万", weight=15, score=15, met=True),
            dict(level1="满意度指标", level2="服务对象满意度指标", name="公众满意度提高", target=95, target_unit=None,
                 actual=96, actual_unit="%", weight=10, score=10, met=True),
        ],
    ),
    (
        "pipe: HTML/Word conversion with separator row, levels repeated or left empty",
        rows(
            "| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因 |",
            "|---|---|---|---|---|---|---|---|",
            "| 产出指标 | 数量指标 | 改造农村公路里程 | ≥120公里 | 126公里 | 10 | 10 | |",
            "| | | 危桥改造座数 | 8座 | 6座 | 10 | 7.5 | 两座桥梁设计变更，顺延至次年 |",
            "| | 质量指标 | 交工验收合格率 | 100% | 100% | 10 | 10 | |",
            "| | 成本指标 | 每公里改造成本 | ≤80万元 | 76.5万元 | 10 | 10 | |",
            "| 效益指标 | 社会效益指标 | 群众出行条件 | 明显改善 | 明显改善 | 20 | 20 | |",
            "| 满意度指标 | 服务对象满意度指标 | 沿线群众满意度 | ≥90% | 93% | 10 | 10 | |",
            "| 合计 | | | | | 100 | 97.5 | |",
            "",
            "四、绩效自评结果拟应用和公开情况",
        ),
        [
            dict(level1="产出指标", level2="数量指标", name="改造农村公路里程", target_op=">=", target=120,
                 target_unit="公里", actual=126, actual_unit="公里", weight=10, score=10, met=True),
            dict(level1="产出指标", level2="数量指标", name="危桥改造座数", target=8, target_unit="座", actual=6,
                 score=7.5, reason="两座桥梁设计变更，顺延至次年", met=False),
            dict(level1="产出指标", level2="质量指标", name="交工验收合格率", target=100, met=True),
            dict(level1="产出指标", level2="成本指标", name="每公里改造成本", target_op="<=", target=80,
                 target_unit="万元", actual=76.5, met=True),
            dict(level1="效益指标", level2="社会效益指标", name="群众出行条件", target="明显改善", met=None),
            dict(level1="满意度指标", level2="服务对象满意度指标", name="沿线群众满意度", target=90, actual=93, met=True),
        ],
    ),
    (
        "pipe: 指标性质 and 度量单位 in their own columns, no 分值/得分",
        rows(
            "| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 实际完成值 |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            "| 产出指标 | 数量指标 | 培训人次 | ≥ | 500 | 人次 | 520 |",
            "| 产出指标 | 时效指标 | 完成时限 | ≤ | 12 | 月 | 11 |",
            "| 产出指标 | 成本指标 | 项目预算控制数 | ≤ | 30 | 万元 | 31.2 |",
            "| 效益指标 | 可持续影响指标 | 长效机制 | = | 1 | 套 | 1 |",
        ),
        [
            dict(level1="产出指标", level2="数量指标", name="培训人次", target_op=">=", target=500, target_unit="人次",
                 actual=520, actual_unit="人次", weight=None, score=None, met=True),
            dict(level2="时效指标", name="完成时限", target_op="<=", target=12, target_unit="月", actual=11, met=True),
            dict(level2="成本指标", name="项目预算控制数", target_op="<=", target=30, actual=31.2, met=False),
            dict(level1="效益指标", level2="可持续影响指标", name="长效机制", target_op="=", target=1, met=True),
        ],
    ),
    (
        "flattened: cells separated only by spaces, with 分值/得分 and a reason",
        rows(
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施",
            "产出指标 数量指标 新建充电桩数量 ≥ 20 个 22 个 10 10",
            "质量指标 设备验收合格率 100% 98% 10 9 个别设备返修 已督促整改",
            "时效指标 完成及时率 及时 及时 10 10",
            "效益指标 社会效益指标 新能源车辆出行便利度 有效提升 有效提升 20 20",
            "满意度指标 服务对象满意度指标 车主满意度 ≥95% 96% 10 10",
            "总分 100 98",
            "",
            "三、偏离绩效目标的原因和下一步改进措施",
        ),
        [
            dict(level1="产出指标", level2="数量指标", name="新建充电桩数量", target_op=">=", target=20, target_unit="个",
                 actual=22, weight=10, score=10, met=True),
            dict(level1="产出指标", level2="质量指标", name="设备验收合格率", target=100, actual=98, weight=10, score=9,
                 reason="个别设备返修 已督促整改", met=False),
            dict(level2="时效指标", name="完成及时率", target="及时", actual="及时", met=None),
            dict(level1="效益指标", level2="社会效益指标", name="新能源车辆出行便利度", target="有效提升", weight=20),
            dict(level1="满意度指标", name="车主满意度", target_op=">=", target=95, actual=96, met=True),
        ],
    ),
    (
        "flattened: no 分值/得分 columns",
        rows(
            "二级指标 三级指标 年度指标值 实际完成值",
            "数量指标 宣传活动次数 4次 5次",
            "质量指标 资料归档率 100% 100%",
        ),
        [
            dict(level1=None, level2="数量指标", name="宣传活动次数", target=4, target_unit="次", actual=5, met=True,
                 weight=None, score=None),
            dict(level2="质量指标", name="资料归档率", target=100, actual=100, met=True),
        ],
    ),
    (
        "pipe: 序号 column, merged cells omitted (rowspan) rather than left empty, an empty actual",
        rows(
            "| 序号 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因 |",
            "| :-: | :-- | :-- | :-- | --: | --: | --: | --: | :-- |",
            "| 1 | 产出指标 | 数量指标 | 客运站改造数量 | 3个 | 3个 | 20 | 20 | |",
            "| 2 | 质量指标 | 验收合格率 | 100% | 100% | 20 | 20 | |",
            "| 3 | 班线通达率 | ≥95% | 97% | 10 | 10 | |",
            "| 4 | 效益指标 | 社会效益指标 | 群众出行满意度 | ≥90% | | 10 | 0 | 未开展调查 |",
        ),
        [
            dict(level1="产出指标", level2="数量指标", name="客运站改造数量", target=3, target_unit="个", weight=20),
            dict(level1="产出指标", level2="质量指标", name="验收合格率", target=100, actual=100, weight=20, met=True),
            dict(level1="产出指标", level2="质量指标", name="班线通达率", target_op=">=", target=95, actual=97, score=10),
            dict(level1="效益指标", level2="社会效益指标", name="群众出行满意度", target=90, actual=None, weight=10,
                 score=0, reason="未开展调查", met=None),
        ],
    ),
    (
        "tab: 2021 template where 成本指标 is a first level with its own second levels",
        rows(
            f"一级指标{T}二级指标{T}三级指标{T}年度指标值{T}实际完成值{T}分值{T}得分",
            f"产出指标{T}数量指标{T}养护里程{T}≥300公里{T}310公里{T}20{T}20",
            f"成本指标{T}经济成本指标{T}每公里养护成本{T}≤1.2万元{T}1.1万元{T}10{T}10",
            f"{T}社会成本指标{T}对周边居民出行影响{T}影响较小{T}影响较小{T}10{T}10",
        ),
        [
            dict(level1="产出指标", level2="数量指标", name="养护里程", target=300, target_unit="公里", met=True),
            dict(level1="成本指标", level2="经济成本指标", name="每公里养护成本", target_op="<=", target=1.2,
                 target_unit="万元", actual=1.1, actual_unit="万元", met=True),
            dict(level1="成本指标", level2="社会成本指标", name="对周边居民出行影响", target="影响较小", met=None),
        ],
    ),
]


@pytest.mark.parametrize("case_id, text, expected", CASES, ids=[c[0] for c in CASES])
def test_table_layouts(case_id: str, text: str, expected: list[dict]) -> None:
    records = [i.record() for i in parse_indicators(text, "case.txt", [])]
    names = [r["name"] for r in records]
    assert names == [e["name"] for e in expected], names
    for got, want in zip(records, expected):
        for key, value in want.items():
            assert got[key] == value, (want["name"], key, got[key], value)
        assert got["kind"] == "indicator"
        assert text[got["start"]:got["end"]].strip()


TARGETS = [
    ("≥15", (">=", 15, None)),
    ("≤0.6万元", ("<=", 0.6, "万元")),
    ("100%", (None, 100, "%")),
    ("等于5万", ("=", 5, "万")),
    ("≥100百分比", (">=", 100, "%")),
    ("≥ 95 %", (">=", 95, "%")),
    ("30 万", (None, 30, "万")),
    ("不低于90%", (">=", 90, "%")),
    ("95%以上", (">=", 95, "%")),
    ("3天以内", ("<=", 3, "天")),
    ("＞＝９８％", (">=", 98, "%")),
    ("≤12/10万", ("<=", 12, "/10万")),
    ("1200元/生·年", (None, 1200, "元/生·年")),
    ("≥ 12.5 km", (">=", 12.5, "km")),
    ("≥九十五%", (">=", 95, "%")),
    ("零增长", (None, "零增长", None)),
    ("—", (None, None, None)),
    ("及时", (None, "及时", None)),
    ("成效明显", (None, "成效明显", None)),
    ("12月下旬前完成", (None, "12月下旬前完成", None)),
    ("", (None, None, None)),
]


@pytest.mark.parametrize("cell, expected", TARGETS, ids=[t[0] or "empty" for t in TARGETS])
def test_parse_target(cell: str, expected: tuple) -> None:
    op, value, unit = parse_target(cell)
    assert (op, float(value) if value is not None and not isinstance(value, str) else value, unit) == expected


def test_rows_inside_reports_are_assigned_to_their_report() -> None:
    text = rows(
        "甲市交通运输局2023年度农村公路养护项目支出绩效自评报告",
        "一、项目基本情况",
        f"二级指标{T}三级指标{T}年度指标值{T}实际完成值",
        f"数量指标{T}养护里程{T}100公里{T}100公里",
        "",
        "乙市交通运输局2023年度客运站运营补贴项目支出绩效自评报告",
        "一、项目基本情况",
        f"二级指标{T}三级指标{T}年度指标值{T}实际完成值",
        f"数量指标{T}补贴客运站数量{T}3个{T}3个",
    )
    from pipeline.structure import parse_reports

    reports = parse_reports(text, "two.txt")
    assert [r.project for r in reports] == ["农村公路养护", "客运站运营补贴"]
    inds = parse_indicators(text, "two.txt", reports)
    assert [(i.report, i.name) for i in inds] == [(0, "养护里程"), (1, "补贴客运站数量")]


def _expected(value: str):
    if value == "None":
        return None
    if value in ("True", "False"):
        return value == "True"
    try:
        return float(value)
    except ValueError:
        return value


@pytest.mark.parametrize("case", read_table("structure_indicators.tsv"), ids=lambda c: c["id"])
def test_issue_layouts_case_table(case: dict) -> None:
    records = [i.record() for i in parse_indicators(case["text"], "case.txt", [])]
    assert len(records) == int(case["rows"]), [r["name"] for r in records]
    for record, row in zip(records, case["expect"].split(";")):
        for pair in row.split(","):
            key, _, value = pair.partition("=")
            got, want = record[key], _expected(value)
            assert (got == want if not isinstance(want, float) else got is not None and float(got) == want), \
                (case["line"], key, got, want)


def test_table_regions_cover_grid_rows_not_the_form_narrative(corpus_dir):
    """The regions the linker reads as table cells: indicator rows (their reason cells too)
    and money-grid rows, in every layout; a form's free-text cells stay narrative."""
    from pipeline import process_text

    def covered(text, regions, phrase):
        k = text.index(phrase)
        return any(s <= k < e for s, e in regions)

    cases = {
        "nanling_road_upgrade_selfeval_table_2023.txt": (
            ["年度资金总额 1,850.00", "43.5公里 10 8 X012线石门至麻岭段2.5公里", "总分 100 95.5"],
            ["完成县乡道提档升级改造46公里", "主要绩效 2023年", "存在问题 一是"]),
        "qinglan_road_maintenance_selfeval_glued_2023.txt": (
            ["年度资金总额586.00", "其中：财政拨款586.00", "≥18000平方米21350平方米"],
            ["对全县县乡道1260公里", "2023年年初预算586.00万元"]),
        "xiping_agri_dept_selfeval_2023.txt": (
            ["96.08% |", "96.97% |", "≥2.6万亩\n"],
            ["完成高标准农田建设2.6万亩；", "建成高标准农田2.6万亩；"]),
        "yunxi_transport_perf_targets_2024.txt": (["≥842.5公里"], ["对全县县道96.4公里", "养护里程依据2023年底"]),
    }
    for name, (inside, outside) in cases.items():
        text = (corpus_dir / name).read_text(encoding="utf-8")
        regions = process_text(text, name, ("report",)).table_regions
        assert all(e > s for s, e in regions) and regions == sorted(regions)
        assert all(covered(text, regions, p) for p in inside), (name, [p for p in inside if not covered(text, regions, p)])
        assert not any(covered(text, regions, p) for p in outside), (name, [p for p in outside if covered(text, regions, p)])


def test_cells_are_quoted_as_written_in_traditional_script():
    """Read in Simplified, quoted as written: names, levels, units, text values and reasons."""
    from pipeline.script import simplified

    written = ("一級指標 二級指標 三級指標 年度指標值 實際完成值 分值 得分 偏差原因\n"
               "產出指標 數量指標 指標 1: 橋梁加固數量 ≥3座 2座 10 8 資金撥付滯後 下年續建\n"
               "效益指標 社會效益指標 通行條件 明顯改善 明顯改善 10 10\n")
    (first, second) = parse_indicators(simplified(written), "t.txt", [], written=written)
    assert (first.level1, first.level2, first.name) == ("產出指標", "數量指標", "橋梁加固數量")
    assert (first.target, first.target_unit, first.actual_unit, first.met) == (3, "座", "座", False)
    assert first.reason == "資金撥付滯後 下年續建"
    assert (second.target, second.actual) == ("明顯改善", "明顯改善")
