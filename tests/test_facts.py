"""Facts beyond one sentence: linear time, table regions, v2 mentions (ranges, 百分点),
summaries that add only like with like, entities across reports and their timelines."""
from __future__ import annotations

import hashlib
from decimal import Decimal
from types import SimpleNamespace

import pytest

from pipeline.entities import entity_of, project_key, road_code
from pipeline.extract import Analysis, analyse
from pipeline.knowledge import KnowledgeBase
from pipeline.link import link
from pipeline.recognize.mention import Mention
from pipeline.store import Store, StoredDocument
from pipeline.summary import SummaryRequest, distinct_figures, render_markdown, summarise, timeline, totals
from timing import assert_linear


def _report(text: str, doc: str, org: str, year: int, project: str | None = None) -> dict:
    return {"kind": "report", "doc": doc, "report": 0, "start": 0, "end": len(text), "title": "t", "org": org,
            "year": year, "project": project, "budget": None, "received": None, "spent": None,
            "execution_rate": None, "self_score": None, "signed": None, "sections": []}


def _facts(text: str, doc: str = "a.txt", org: str = "某局", year: int = 2023, project: str | None = None):
    return [f.record() for f in link(analyse(text), doc, [SimpleNamespace(**_report(text, doc, org, year, project))])]


def _stored(text: str, doc: str, org: str, year: int, project: str | None = None) -> StoredDocument:
    analysis = analyse(text)
    report = _report(text, doc, org, year, project)
    records = ([m.record(doc) for m in analysis.source_mentions()] + [report]
               + [f.record() for f in link(analysis, doc, [SimpleNamespace(**report)])])
    return StoredDocument(f"/data/{doc}", doc, hashlib.sha256(text.encode()).hexdigest(), "utf-8", text, records)


# --- linear time ------------------------------------------------------------------------


def test_a_line_without_stops_links_in_linear_time():
    # one "sentence" of thousands of figures: pairs of quantities per sentence would be quadratic
    assert_linear(lambda analysis: link(analysis, "long.txt"),
                  lambda n: analyse("东岭县交通运输局完成投资3.5亿元" * n), 900)  # 15 KB and 60 KB


def test_a_long_sentence_is_quoted_by_its_window():
    facts = _facts("东岭县交通运输局完成投资3.5亿元" * 200, project="交通建设")
    assert len(facts) == 200 and max(len(f["sentence"]) for f in facts) <= 700


# --- where facts come from --------------------------------------------------------------


def test_quantities_inside_table_regions_are_not_facts():
    text = "东岭县完成投资3.5亿元。\n危桥改造数量 3座 3座\n养护里程 46公里 43.5公里\n新建农村公路12公里。\n"
    table = (text.index("危桥"), text.index("新建"))
    analysis = analyse(text)
    inside = {f.mention.text for f in link(analysis, "t.txt", table_regions=[table])}
    everywhere = {f.mention.text for f in link(analysis, "t.txt")}
    assert "46公里" in everywhere and "46公里" not in inside
    assert {"3.5亿元", "12公里"} <= inside


def _with_mention(text: str, mention: Mention) -> Analysis:
    analysis = analyse(text)
    kept = [m for m in analysis.mentions if not (m.start < mention.end and mention.start < m.end)]
    return Analysis(analysis.norm, sorted(kept + [mention], key=lambda m: m.start), analysis.source)


def test_a_range_gives_a_fact_with_its_ends_and_no_value():
    text = "按照每个行政村改造通组道路3至5公里的标准实施。"
    at = text.index("3至5公里")
    mention = Mention("LENGTH", at, at + 5, "3至5公里", None, "km", None, {"low": Decimal(3), "high": Decimal(5)})
    facts = [f.record() for f in link(_with_mention(text, mention), "r.txt")]
    fact = next(f for f in facts if f["mention"] == [at, at + 5])
    assert fact["value"] is None and fact["low"] == 3 and fact["high"] == 5 and fact["unit"] == "km"


def test_percentage_points_are_a_change_never_added_to_percent():
    text = "经检测，全县农村公路优良中等路率达到86.4%，较上年提高3.1个百分点。"
    at = text.index("3.1个百分点")
    mention = Mention("PERCENT", at, at + 7, "3.1个百分点", Decimal("3.1"), "百分点")
    facts = {f["unit"]: f for f in (x.record() for x in link(_with_mention(text, mention), "p.txt"))}
    assert facts["百分点"]["scope"] == "change" and facts["%"]["scope"] == "period"
    assert facts["百分点"]["subject"] == facts["%"]["subject"] == "全县农村公路"


# --- summaries: like with like ------------------------------------------------------------

G569_2023 = "G569武仙公路肃南段完成投资12.53亿元。\n"
G569_2024 = "G569武仙公路肃南段完成投资6.8亿元，累计完成投资19.33亿元。\n"


def test_g569_totals_keep_actual_and_cumulative_apart():
    facts = _facts(G569_2023, "a.txt", "张掖市交通运输局", 2023) + _facts(G569_2024, "b.txt", "肃南县交通运输局", 2024)
    sums = {(t.basis, t.scope): t for t in totals(facts)}
    assert sums[("actual", "period")].value == Decimal("1933000000") and sums[("actual", "period")].count == 2
    assert all(t.value != Decimal("3866000000") for t in sums.values())
    rows = {(r["year"], r["column"]): r["value"] for r in timeline(facts)}
    assert rows == {(2023, "actual"): 1253000000, (2024, "actual"): 680000000, (2024, "cumulative"): 1933000000}


def test_a_part_is_never_added_to_its_total():
    facts = _facts("全年完成投资48亿元，其中干线改造工程完成31.2亿元。全年完成投资10亿元。", project="交通建设")
    assert [f["part_of"] is not None for f in facts] == [False, True, False]
    (total,) = [t for t in totals(facts) if t.unit == "元"]
    assert total.value == Decimal("5800000000") and total.count == 2


def test_a_figure_restated_by_the_same_org_and_year_counts_once():
    one = _facts("G569武仙公路肃南段完成投资6.8亿元。", "a.txt", "肃南县交通运输局", 2024)
    again = _facts("G569武仙公路肃南段完成投资6.8亿元。", "b.txt", "肃南县交通运输局", 2024)
    other_year = _facts("G569武仙公路肃南段完成投资6.8亿元。", "c.txt", "肃南县交通运输局", 2025)
    assert len(distinct_figures(one + again)) == 1
    assert len(distinct_figures(one + other_year)) == 2


def test_plans_and_actuals_do_not_add():
    facts = _facts("计划完成投资5亿元。全年完成投资4亿元。全年完成投资3亿元。", project="农村公路建设")
    bases = {f["basis"] for f in facts}
    assert bases == {"plan", "actual"}
    (total,) = totals(facts)
    assert (total.basis, total.value) == ("actual", Decimal("700000000"))


# --- entities and the store ---------------------------------------------------------------


@pytest.mark.parametrize("name,key,road", [
    ("G569武仙公路肃南段", "武仙公路肃南段", "G569"), ("G569 武仙公路肃南段", "武仙公路肃南段", "G569"),
    ("武仙公路肃南段", "武仙公路肃南段", None), ("國道319線東坪段", "东坪段", "G319"),
    ("县道X012线、X015线中修工程", "县道X012线、X015线中修工程", "X012"),
])
def test_project_names_fold(name, key, road):
    assert project_key(name) == key and road_code(name) == road


def test_a_bare_route_is_a_road_entity():
    assert entity_of("G569", "G569", False).kind == "road"
    assert entity_of("交通固定资产投资", None, False) is None


@pytest.fixture()
def kb(tmp_path):
    with Store(tmp_path / "kb.db") as store:
        store.put(_stored(G569_2023, "a.txt", "张掖市交通运输局", 2023))
        store.put(_stored(G569_2024, "b.txt", "肃南县交通运输局", 2024))
        store.put(_stored("武仙公路肃南段完成投资6.8亿元。\n", "c.txt", "肃南县交通运输局", 2024))
        store.put(_stored(G569_2024, "b.txt", "肃南县交通运输局", 2024))  # a re-run adds nothing
    base = KnowledgeBase(tmp_path / "kb.db")
    yield base
    base.close()


def test_one_entity_per_project_across_reports(kb):
    projects = kb.projects()
    (row,) = projects[projects["kind"] == "project"].to_dict("records")
    assert row["key"] == "武仙公路肃南段" and row["road"] == "G569" and row["reports"] == 3
    assert {"G569", "G569武仙公路肃南段", "武仙公路肃南段"} <= set(row["aliases"].split(" | "))


@pytest.mark.parametrize("name", ["G569", "g569", "武仙公路肃南段", "G569武仙公路肃南段"])
def test_timeline_by_any_name(kb, name):
    frame = kb.timeline(name)
    rows = {(r["year"], r["column"]): r["value"] for r in frame.to_dict("records")}
    assert rows == {(2023, "actual"): 1253000000, (2024, "actual"): 680000000, (2024, "cumulative"): 1933000000}
    assert frame["sentence"].str.contains("武仙公路肃南段").all()


def test_summary_of_the_road_adds_like_with_like(kb):
    with Store(kb.store.path) as store:
        text = render_markdown("G569", summarise(store, SummaryRequest(road="G569")))
    assert "合计 完成投资: 19.33 亿元（2 项）" in text
    assert "38.66" not in text and "累计: 累计完成投资 19.33 亿元" in text


def test_stored_facts_keep_the_v2_fields(kb):
    facts = kb.facts()
    assert {"basis", "scope", "period", "part_of_start", "low", "high", "hedge", "entity_id"} <= set(facts.columns)
    assert set(facts["scope"]) == {"period", "cumulative"}


def test_a_route_named_in_the_clause_finds_its_figures(tmp_path):
    text = "全年完成县道X018线、乡道Y211线等预防性养护56.3公里。\n"
    (fact,) = _facts(text)
    assert fact["road"] is None and fact["roads"] == ["X018", "Y211"]  # two routes: the subject has none
    with Store(tmp_path / "kb.db") as store:
        store.put(_stored(text, "a.txt", "某局", 2023))
        markdown = render_markdown("Y211", summarise(store, SummaryRequest(road="Y211")))
    assert "56.3 km" in markdown and "预防性养护" in markdown


# --- issue 14, second pass --------------------------------------------------------------


def test_a_restated_figure_with_and_without_its_period_counts_once():
    text = "上半年，全县完成交通投资5.6亿元。\n全县完成交通投资5.6亿元，其中公路4.1亿元。\n下半年，全县完成交通投资5.6亿元。"
    facts = [f for f in _facts(text, year=2024) if f["value"] == 560000000]
    assert [f["period"] for f in facts] == ["2024-01/2024-06", None, "2024-07/2024-12"]
    kept = distinct_figures(facts)
    assert [f["period"] for f in kept] == ["2024-01/2024-06", "2024-07/2024-12"]  # two halves are two figures


def test_projects_of_two_places_are_two_entities():
    text = "全年完成投资980万元。"
    keys = {f["entity"] for org in ("河口县交通运输局", "柳城县交通运输局")
            for f in _facts(text, org=org, project="农村公路养护工程")}
    assert keys == {"河口县农村公路养护工程", "柳城县农村公路养护工程"}
    on_a_route = {entity_of("G569武仙公路肃南段", "G569", True, place).key for place in ("张掖市", "肃南县")}
    assert on_a_route == {"武仙公路肃南段"}  # a route names the project wherever it is reported


def test_a_single_project_report_resolves_its_references():
    from pipeline.document import process_text

    text = ("S305青石至白河段改建工程2023年度建设情况报告\n\nS305青石至白河段改建工程全长42公里。\n"
            "2023年，该项目完成投资3.2亿元。\n2024年，项目计划完成投资4亿元，实际完成投资4.3亿元。\n")
    facts = {f["mention"][0]: f for f in process_text(text, "p.txt").records(("fact",)) if f["kind"] == "fact"}
    by_text = {text[s:f["mention"][1]]: f for s, f in facts.items()}
    for figure, basis in (("3.2亿元", "actual"), ("4亿元", "plan"), ("4.3亿元", "actual")):
        fact = by_text[figure]
        assert (fact["subject"], fact["road"], fact["basis"]) == ("S305青石至白河段改建工程", "S305", basis), fact


def test_a_news_header_does_not_run_into_its_first_sentence():
    from pipeline.document import process_text

    text = ("某州上半年交通投资同比增长9.6%\n来源：某州交通运输局　　发布时间：2024-07-15\n"
            "上半年，全州完成交通固定资产投资87.4亿元，同比增长9.6%。\n")
    facts = [f for f in process_text(text, "n.txt").records(("fact",)) if f["kind"] == "fact"]
    assert facts and all(f["year"] == 2024 for f in facts)
    assert all(f["period"] in (None, "2024-01/2024-06") for f in facts)
    first = next(f for f in facts if f["value"] == 8740000000)
    assert first["sentence"].startswith("上半年") and first["period"] == "2024-01/2024-06"


def test_a_figure_with_nothing_else_named_is_about_the_body_the_clause_opens_with():
    # no project in the report, nothing named but the organisation: its figure still gives a fact
    (fact,) = _facts("西河县住房和城乡建设局2024年完成投资3.6亿元。", org="西河县住房和城乡建设局", year=2024)
    assert (fact["subject"], fact["value"], fact["predicate"]) == ("西河县住房和城乡建设局", 360000000, "完成投资")
