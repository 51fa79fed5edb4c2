"""Facts: a quantity linked to its subject and predicate, as case tables."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from casetable import read_table
from pipeline.extract import analyse
from pipeline.link import link

REPORT = SimpleNamespace(report=0, start=0, end=10**9, org="某市交通运输局", year=2024, project="农村公路养护工程经费")

# sentence, mention text, expected subject (contained either way), predicate (contained), road
CASES = [
    ("G569 武仙公路肃南段完成投资 12.53 亿元。", "12.53 亿元", "G569武仙公路肃南段", "完成投资", "G569"),
    ("国道318线雅安至康定段改造工程完成投资5.6亿元。", "5.6亿元", "国道318线雅安至康定段改造工程", "完成", "G318"),
    ("全面完成 280 公里自然村（组）通硬化路。", "280 公里", "自然村（组）通硬化路", "完成", None),
    ("全年改造危桥32座，新建农村客运站12个。", "32座", "危桥", "改造", None),
    ("全年改造危桥32座，新建农村客运站12个。", "12个", "农村客运站", "新建", None),
    ("实施养护维修工程 627 公里，投入日常养护资金 4230 万元。", "627 公里", "养护维修工程", "实施", None),
    ("实施养护维修工程 627 公里，投入日常养护资金 4230 万元。", "4230 万元", "日常养护资金", "投入", None),
    ("完成 3 座危桥改造及 61 公里乡镇通三级公路建设任务。", "3 座", "危桥改造", "完成", None),
    ("完成 3 座危桥改造及 61 公里乡镇通三级公路建设任务。", "61 公里", "乡镇", "完成", None),
    ("创建示范县 6 个、乡镇 15 个。", "15 个", "乡镇", "创建", None),
    ("当年预算资金 30 万元，到位 30 万元，资金到位率 100%。", "100%", "农村公路养护工程经费", "资金到位率", None),
    ("当年预算资金 50 万元。", "50 万元", "农村公路养护工程经费", "预算", None),
    ("其余5万元主要用于治超站日常支出。", "5万元", "治超站日常支出", "用于", None),
    ("S301 马场四场至三场段 34 公里列入省厅 2024 年建设计划。", "34 公里", "S301马场四场至三场段", "列入", "S301"),
    ("群众满意度达 98%。", "98%", "农村公路养护工程经费", "满意度", None),
    ("县道X205线改建工程全长18.6千米。", "18.6千米", "X205线改建工程", None, "X205"),
]

NO_FACT = [
    ("2023年度我局共有一个项目。", "一个"),
    ("重点围绕投入管理、产出、效果、满意度四个方面设计指标体系。", "四个"),
    # an indicator table whose cells lost their borders, and a cell on its own line
    ("指标名称计量单位指标性质年初指标值全年完成值村道日常养护里程公里定量指标2150公里2086公里108.5", "2086公里"),
    ("产出指标数量指标危桥改造数量3座3座88公路安全生命防护工程里程≥30公里32.6公里77", "32.6公里"),
    ("危桥改造数量 3座 3座 8 8 公路安全生命防护工程里程 ≥30公里 32.6公里 7 7", "32.6公里"),
    ("部门整体支出执行率|\n96.08%|", "96.08%"),
]


def _facts(sentence: str):
    return {f.mention.text: f for f in link(analyse(sentence), "case.txt", [REPORT])}


@pytest.mark.parametrize("sentence,quantity,subject,predicate,road", CASES, ids=[f"{c[1]}@{c[0][:12]}" for c in CASES])
def test_fact(sentence, quantity, subject, predicate, road):
    facts = _facts(sentence)
    assert quantity in facts, f"no fact for {quantity}: {list(facts)}"
    fact = facts[quantity]
    want = subject.replace("（", "(").replace("）", ")")
    got = fact.subject.replace("（", "(").replace("）", ")")
    assert want in got or got in want, fact.subject
    if predicate:
        assert fact.predicate and (predicate in fact.predicate or fact.predicate in predicate), fact.predicate
    assert fact.road == road
    assert fact.org == REPORT.org and fact.year == REPORT.year
    assert sentence[fact.mention.start:fact.mention.end] == quantity


@pytest.mark.parametrize("sentence,quantity", NO_FACT, ids=[c[1] for c in NO_FACT])
def test_no_fact(sentence, quantity):
    assert quantity not in _facts(sentence)


def test_a_table_row_read_by_structure_gives_no_fact():
    # the table reader's regions (structure.table_regions): an indicator row, not narrative
    text = "\t指标1:维修企业检查\t350 家\t338 家\n全年检查维修企业350家。"
    row = (0, text.index("\n"))
    facts = [f.mention.start for f in link(analyse(text), "case.txt", [REPORT], table_regions=[row])]
    assert facts == [text.rindex("350家")]


FACT_CASES = read_table("link_facts.tsv")


def _check_subject(want: str, got: str) -> bool:
    want, got = (x.replace("（", "(").replace("）", ")") for x in (want, got))
    shorter, longer = sorted((want, got), key=len)
    return shorter in longer and len(shorter) * 2 >= len(longer)


@pytest.mark.parametrize("case", FACT_CASES, ids=[f"{c['line']}:{c['quantity']}" for c in FACT_CASES])
def test_fact_case(case):
    analysis = analyse(case["sentence"])
    facts = {f.mention.text: f for f in link(analysis, "case.txt", [REPORT])}
    assert case["quantity"] in facts, f"{case['table']}:{case['line']}: no fact for {case['quantity']}: {list(facts)}"
    fact = facts[case["quantity"]]
    where = f"{case['table']}:{case['line']} {fact}"
    if case["subject"]:
        assert _check_subject(case["subject"], fact.subject), where
    if case["predicate"]:
        assert fact.predicate and (case["predicate"] in fact.predicate or fact.predicate in case["predicate"]), where
    for field in ("road", "basis", "scope"):
        if case[field]:
            assert getattr(fact, field) == (None if case[field] == "null" else case[field]), where
    if case["period"] == "=DATE":
        dates = [m.value for m in analysis.mentions if m.type == "DATE"]
        assert dates and fact.period == dates[-1], where
    elif case["period"]:
        assert fact.period == (None if case["period"] == "null" else case["period"]), where
    if case["part_of"] == "null":
        assert fact.part_of is None, where
    elif case["part_of"]:
        assert fact.part_of and case["sentence"][fact.part_of[0]:fact.part_of[1]] == case["part_of"], where
