"""Audit (pipeline/audit.py): each rule fires on a report that breaks it and stays
silent on one that does not; a clean synthetic report raises nothing; on the
sample every finding's evidence is the text at its offsets."""
from __future__ import annotations

import io
import json
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout

import pytest

from pipeline import extract_paths
from pipeline.audit import RULES, audit, audit_stored, audit_text, rule_ids, stored_findings
from pipeline.cli import main
from pipeline.search import SearchFilters, search_findings
from pipeline.store import Store, StoredDocument
from pipeline.summary import SummaryRequest, report_sections

# A report whose figures all agree: budget = received = 50万元, spent 45万元 = 90%,
# quantified targets met with full marks or missed with a reason and a lower score,
# indicator scores 86 of 90 plus the budget-execution part (9 of 10) = 95.
CLEAN = """某市公路管理局

某市公路管理局2023年度农村公路养护经费项目支出绩效自评报告

一、项目基本情况

（一）项目概况

市财政局下达农村公路养护经费预算资金50万元，用于县乡道日常养护。

（二）项目绩效目标

到2023年底，完成县乡道日常养护120公里，养护路段优良率不低于85%。

二、绩效目标完成情况分析

（一）资金投入情况分析

1. 项目资金到位情况分析。当年预算资金50万元，到位50万元，资金到位率100%。

2. 项目资金执行情况分析。截至2023年12月31日支出45万元，预算执行率90%。

（二）绩效目标完成情况分析

\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t未完成原因及改进措施
\t产出指标\t数量指标\t养护县乡道里程\t≥120公里\t125公里\t30\t30\t
\t\t质量指标\t养护路段优良率\t≥85%\t88%\t20\t20\t
\t\t时效指标\t养护任务完成时间\t≤12个月\t11个月\t10\t10\t
\t\t成本指标\t每公里养护成本\t≤4200元\t3600元\t10\t10\t
\t效益指标\t社会效益指标\t群众出行投诉次数\t≤5次\t7次\t10\t6\t雨季路面损坏较多，投诉增加；下一年增加巡查频次。
\t满意度指标\t服务对象满意度指标\t沿线群众满意度\t≥90%\t93%\t10\t10\t
总分（预算执行率得分+绩效指标得分）\t\t\t\t\t100\t95

三、偏离绩效目标的原因和下一步改进措施

群众出行投诉次数未达到目标，原因是雨季路面损坏较多，下一步将增加巡查频次。

四、绩效自评结果拟应用和公开情况

自评得分95分，自评结果将按规定公开。

某市公路管理局

2024年2月20日
"""

# Two tables of one indicator set (targets, then scores), as the sample's 执法队 reports give them.
TWO_TABLES = ("二级指标\t三级指标\t年度指标值\t实际完成值\n"
              "数量指标\t养护县乡道里程\t≥120公里\t125公里\n"
              "质量指标\t养护路段优良率\t≥85%\t88%\n\n"
              "产出指标得分情况如下：\n\n"
              "二级指标\t三级指标\t实际完成值\t分值\t得分\t未完成原因及改进措施\n"
              "数量指标\t养护县乡道里程\t{actual}\t50\t50\t\n"
              "质量指标\t养护路段优良率\t88%\t40\t40\t\n")


def two_tables(actual: str) -> str:
    table = CLEAN[CLEAN.index("\t一级指标"):CLEAN.index("总分（")]
    return (CLEAN.replace(table, TWO_TABLES.format(actual=actual))
            .replace("100\t95", "100\t100").replace("自评得分95分", "自评得分100分"))


def edited(*edits: tuple[str, str], text: str = CLEAN) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def rules_of(text: str) -> list[str]:
    findings = audit_text(text, "t.txt")
    for f in findings:
        for e in f.evidence:
            assert text[e.start:e.end] == e.text
    return [f.rule for f in findings]


def test_clean_report_raises_nothing():
    assert audit_text(CLEAN, "clean.txt") == []


def test_every_rule_has_its_templates():
    assert set(rule_ids()) == set(RULES)


FIRES = [
    ("missed-full-score", edited(("7次\t10\t6\t", "7次\t10\t10\t"))),
    ("score-above-weight", edited(("93%\t10\t10", "93%\t10\t12"))),
    ("total-mismatch", edited(("100\t95\n", "100\t99\n"))),  # 99 > 86 + at most 10 for budget execution
    ("total-mismatch", edited(("自评得分95分", "自评得分99分"))),
    ("total-mismatch", edited(("总分（预算执行率得分+绩效指标得分）\t\t\t\t\t100\t95", "合计\t\t\t\t\t90\t95"),
                              ("自评得分95分", "自评得分86分"))),  # no budget part stated: 95 is not 86
    ("rate-contradicted", edited(("资金到位率100%", "资金到位率95%"))),
    ("rate-contradicted", edited(("预算执行率90%", "预算执行率100%"))),
    ("completion-before-year", edited(("截至2023年12月31日支出", "截至2022年12月31日支出"))),
    ("signed-before-year-end", edited(("2024年2月20日", "2023年11月20日"))),
    ("target-year-passed", edited(("到2023年底，完成", "到2022年底，完成"))),
    ("inconsistent-values", two_tables("118公里")),
    ("inconsistent-values", edited(("群众出行投诉次数未达到目标", "养护路段优良率为80%，群众出行投诉次数未达到目标"))),
    ("inconsistent-values", edited(("自评得分95分", "自评得分94分"))),  # the table's total says 95
    ("inconsistent-values", edited(("群众出行投诉次数未达到目标", "养护路段优良率由年初的88%提高到80%，群众出行投诉次数未达到目标"))),
    ("unmeasurable-target", edited(("≥85%\t88%", "成效明显\t达到88%"))),
    ("unmeasurable-target", edited(("≤12个月\t11个月", "按期\t11个月"))),
    ("target-equals-actual", edited(("≥85%\t88%", "符合规范\t符合规范"))),
    ("narrative-all-met", edited(("群众出行投诉次数未达到目标，", "各项指标均已完成，群众出行投诉次数"))),
]

SILENT = [
    ("missed-full-score", CLEAN),  # missed, but scored 6 of 10 with a reason
    ("score-above-weight", CLEAN),
    ("total-mismatch", edited(("总分（预算执行率得分+绩效指标得分）\t\t\t\t\t100\t95", "合计\t\t\t\t\t90\t86"),
                              ("自评得分95分", "自评得分86分"))),
    ("rate-contradicted", edited(("资金到位率100%", "资金到位率100.00%"))),
    ("completion-before-year", edited(("截至2023年12月31日支出", "2022年12月31日前已完成立项，截至2023年12月31日支出"))),
    ("signed-before-year-end", edited(("2024年2月20日", "2023年12月31日"))),
    ("target-year-passed", edited(("到2023年底，完成", "到2025年底，完成"))),
    ("inconsistent-values", two_tables("125公里")),
    ("inconsistent-values", edited(("群众出行投诉次数未达到目标", "养护路段优良率为88%，群众出行投诉次数未达到目标"))),
    # the value before a change is not the value stated
    ("inconsistent-values", edited(("群众出行投诉次数未达到目标", "养护路段优良率由年初的80%提高到88%，群众出行投诉次数未达到目标"))),
    ("unmeasurable-target", edited(("≥85%\t88%", "符合规范\t符合规范"))),  # qualitative, but a 质量指标 and not vague
    ("target-equals-actual", edited(("≥85%\t88%", "成效明显\t达到88%"))),
    ("narrative-all-met", edited(("群众出行投诉次数未达到目标，", "各项指标均已完成，群众出行投诉次数"),
                                 ("7次\t10\t6\t雨季路面损坏较多，投诉增加；下一年增加巡查频次。", "4次\t10\t10\t"))),
    ("narrative-all-met", edited(("群众出行投诉次数未达到目标，", "未全面完成，群众出行投诉次数"))),
]


@pytest.mark.parametrize("rule,text", FIRES, ids=[f"{r}-{k}" for k, (r, _) in enumerate(FIRES)])
def test_rule_fires(rule, text):
    assert rule in rules_of(text)


@pytest.mark.parametrize("rule,text", SILENT, ids=[f"{r}-{k}" for k, (r, _) in enumerate(SILENT)])
def test_rule_stays_silent(rule, text):
    assert rule not in rules_of(text)


def test_two_tables_cite_both_rows():
    text = two_tables("118公里")
    (finding,) = [f for f in audit_text(text, "t.txt") if f.rule == "inconsistent-values"]
    assert [e.text for e in finding.evidence] == ["数量指标\t养护县乡道里程\t≥120公里\t125公里",
                                                  "数量指标\t养护县乡道里程\t118公里\t50\t50"]
    assert "125公里" in finding.zh and "118公里" in finding.en


def test_finding_record_and_explanations():
    (f,) = audit_text(edited(("7次\t10\t6\t", "7次\t10\t10\t")), "t.txt")
    record = f.record()
    assert record["kind"] == "finding" and record["severity"] == "error" and record["report"] == 0
    assert record["text"] == record["evidence"][0]["text"] and record["start"] < record["end"]
    assert "群众出行投诉次数" in f.zh and "群众出行投诉次数" in f.en and "full marks" in f.en


# ---------------------------------------------------------------- the sample

@pytest.fixture(scope="module")
def sample_result(sample_path):
    (result,) = extract_paths([sample_path])
    return result


@pytest.fixture(scope="module")
def sample_findings(sample_result):
    return audit(sample_result)


def test_sample_evidence_is_the_cited_text(sample_result, sample_findings, sample_text):
    assert sample_findings
    for f in sample_findings:
        assert f.evidence and f.zh and f.en and f.severity in ("error", "warning", "info")
        for e in f.evidence:
            assert 0 <= e.start < e.end <= len(sample_text)
            assert sample_text[e.start:e.end] == e.text
        report = sample_result.reports[f.report]
        assert report.start <= f.start < report.end


def test_sample_training_cost_scored_full(sample_findings):
    (f,) = [f for f in sample_findings if f.rule == "missed-full-score"]
    assert f.report == 2 and f.text.startswith("人均培训成本") and "≤450元" in f.text and "550" in f.text
    assert "≤450元" in f.zh and "550元" in f.zh and "5/5" in f.zh


def test_sample_completion_dated_2022(sample_findings):
    found = [f for f in sample_findings if f.rule == "completion-before-year"]
    assert sorted(f.report for f in found) == [3, 4]
    assert all(f.text.startswith("截止2022年12月31日") for f in found)


def test_sample_unmeasurable_targets(sample_findings):
    cited = Counter(f.text for f in sample_findings if f.rule == "unmeasurable-target")
    assert cited == {"成效明显": 2, "持续提升": 2, "及时": 3, "明显": 2, "巩固": 1, "按时完成": 1, "减少": 1, "提升": 1}
    by_construction = [f for f in sample_findings if f.rule == "target-equals-actual"]
    assert any("按时完成\t按时完成" in f.text for f in by_construction)


def test_sample_all_met_narratives(sample_findings):
    found = {f.report: f.text for f in sample_findings if f.rule == "narrative-all-met"}
    assert found == {2: "暂无偏差", 3: "全面完成", 4: "全面完成"}


def test_sample_counts(sample_findings):
    assert Counter(f.rule for f in sample_findings) == {
        "missed-full-score": 1, "completion-before-year": 2, "narrative-all-met": 3,
        "unmeasurable-target": 13, "target-equals-actual": 15,  # 15: 项目总支出 `等于5万` under `等于5万`
    }


# ---------------------------------------------------------------- store, search, summary, command

@pytest.fixture(scope="module")
def store(sample_result, tmp_path_factory):
    with Store(tmp_path_factory.mktemp("audit") / "kb.db") as s:
        s.put(StoredDocument.of(sample_result))
        yield s


def test_ingest_stores_the_findings(store, sample_findings, sample_result):
    assert stored_findings(store) == sample_findings
    assert stored_findings(store, doc=sample_result.doc_id, report=2) == [f for f in sample_findings if f.report == 2]
    store.put(StoredDocument.of(sample_result))  # replaced, not doubled, index included
    assert store.conn.execute("SELECT count(*) FROM findings_fts").fetchone()[0] == len(sample_findings)


def test_audit_stored_reruns_the_rules(store, sample_findings, sample_result):
    assert audit_stored(store, sample_result.doc_id) == sample_findings


def test_findings_are_searchable_as_plain_text(store):
    rows = search_findings(store, "人均培训成本")
    assert rows and rows[0]["rule"] == "missed-full-score"
    assert search_findings(store, '" OR * NEAR(') == []  # query syntax is text, never an error
    dated = search_findings(store, "", SearchFilters(type="completion-before-year"))
    assert [r["report"] for r in dated] == [3, 4]


def test_summary_lists_the_report_findings(store, sample_result):
    (section,) = report_sections(store, SummaryRequest(report=f"{sample_result.doc_id}#2"))
    lines = [line for line in section.lines if line.startswith("审计发现")]
    assert len(lines) == 10 and "missed-full-score" in lines[0] and "人均培训成本" in lines[0]


def run(*argv) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue()


def test_cli_audit_files_and_store(tmp_path, sample_path, sample_findings):
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    assert run("audit", clean, "--format", "json") == (0, "")
    code, out = run("audit", sample_path, "--format", "json")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and records == [f.record() for f in sample_findings]
    code, out = run("audit", sample_path, "--format", "md", "--rules", "missed-full-score")
    assert code == 0 and "人均培训成本" in out and "full marks" in out and out.count("**error**") == 1
    db = tmp_path / "kb.db"
    assert run("ingest", sample_path, "--db", db)[0] == 0
    code, out = run("audit", "--db", db)
    assert code == 0 and len(out.splitlines()) == len(sample_findings) and "completion-before-year" in out
    code, out = run("search", "截止2022年12月31日", "--findings", "--db", db, "--format", "json")
    assert code == 0 and {json.loads(line)["rule"] for line in out.splitlines()} >= {"completion-before-year"}
    assert run("audit")[0] == 1  # neither files nor a store


def test_odd_cells_and_text_never_raise():
    odd = edited(("93%\t10\t10", "93%\tNaN\tInfinity"), ("预算资金50万元，到位50万元", "预算资金0万元，到位0万元"))
    rules_of(odd)
    for text in ("", "自评报告", "截止2022年\n", "\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n总分\t\t\t\t\t1e999\tnan\n"):
        rules_of(text)


def test_bridge_self_evaluation_planted_problems(corpus_dir):
    """The planted problems of the bridge-safety self-evaluation (issue 13): a completion
    date before the year, an actual copied from its target, a text target, a total that does not add up."""
    from pipeline.audit import audit_text

    path = corpus_dir / "xiping_bridge_safety_selfeval_2023.txt"
    findings = audit_text(path.read_text(encoding="utf-8"), path.name)
    rules = {(f.rule, f.text.split("\t")[0] if f.text else "") for f in findings}
    assert any(r == "completion-before-year" and "2022年12月28日" in t for r, t in rules), findings
    copied = [f for f in findings if f.rule == "target-equals-actual"]
    assert any("工程交工验收合格率" in f.zh for f in copied) and any("安全防护水平" in f.zh for f in copied), copied
    assert any(f.rule == "unmeasurable-target" and "成效明显" in f.zh for f in findings), findings
    assert any(f.rule == "total-mismatch" and "96.8" in f.zh for f in findings), findings


def test_glued_table_missed_target_with_full_score():
    from pipeline.audit import audit_text

    text = ("某局2023年度某项目项目支出绩效自评表\n"
            "指标名称计量单位指标性质年初指标值全年完成值指标权重(分)指标得分(分)\n"
            "检查次数次定量指标24次15次44\n")
    findings = audit_text(text, "glued.txt")
    assert [f.rule for f in findings if f.rule == "missed-full-score"] == ["missed-full-score"], findings


def test_one_function_gives_every_record_findings_included(sample_path):
    """process_text takes a document to all its records, findings too; the store keeps what it is given."""
    import inspect

    import pipeline.store
    from pipeline.document import STORED_KINDS, process_text

    text = sample_path.read_text(encoding="utf-8")
    result = process_text(text, sample_path.name, STORED_KINDS)
    assert result.findings == audit(result, text) and result.findings
    kinds = Counter(r["kind"] for r in result.records(STORED_KINDS))
    assert kinds["finding"] == len(result.findings) and kinds["indicator"] == 56
    assert "audit" not in inspect.getsource(pipeline.store.StoredDocument.of)


# The national template scores budget execution (10 points) outside the indicator table:
# in the money row's 分值/得分 columns, in a 预算执行率 label row, or in a line of its own.
MONEY_ROW_TEMPLATE = """项目支出绩效自评表
（2023年度）
项目名称 乡镇污水管网维护
实施单位 某县住房和城乡建设局
项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分
年度资金总额 200.00 240.00 232.80 10 97.00% 9.7
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
产出指标 数量指标 维护管网长度 ≥60公里 62公里 40 40
质量指标 管网完好率 ≥95% 93% 30 27
满意度指标 服务对象满意度指标 居民满意度 ≥90% 91% 20 20
总分 100 96.7
"""
LABEL_LINE_TEMPLATE = """某县疾控中心2023年度免疫规划项目支出绩效自评表
一级指标\t二级指标\t三级指标\t指标值\t实际完成值\t权重\t自评得分
产出指标\t数量指标\t免疫接种人次\t≥5000人次\t5230人次\t50\t50
效益指标\t社会效益指标\t传染病发病率下降\t≥5%\t4%\t40\t36
预算执行率得分：8.5分
自评总分\t\t\t\t\t100\t94.5
"""
# no budget part given: the weights (90) leave the 10 points of the full score
WEIGHTS_LEAVE_TEMPLATE = """某县水务局2023年度河道保洁项目支出绩效自评报告
一级指标\t二级指标\t三级指标\t指标值\t实际完成值\t分值\t得分
产出指标\t数量指标\t保洁河道长度\t≥80公里\t82公里\t50\t50
效益指标\t生态效益指标\t水质达标率\t≥90%\t88%\t40\t35
本项目自评得分为：91分。
"""
# a 评分表 whose indicator is named 预算执行率: an indicator, not the budget part
SCORING_TABLE = """某县财政局关于某某补助资金绩效评价报告
一级指标 二级指标 三级指标 分值 得分
项目过程 资金管理 资金到位率 50 50
项目过程 资金管理 预算执行率 50 45
合计 100 95
"""


@pytest.mark.parametrize("text, edits, fires", [
    (MONEY_ROW_TEMPLATE, (), False),  # 87 + 9.7 = 96.7; 90 + 10 = 100
    (MONEY_ROW_TEMPLATE, (("总分 100 96.7", "总分 100 97.7"),), True),
    (MONEY_ROW_TEMPLATE, (("总分 100 96.7", "总分 100 87"),), True),  # the budget part is given: not left out
    (LABEL_LINE_TEMPLATE, (), False),  # 86 + 8.5 = 94.5
    (LABEL_LINE_TEMPLATE, (("100\t94.5", "100\t96"),), True),
    (WEIGHTS_LEAVE_TEMPLATE, (), False),  # 85 and up to 10 for budget execution
    (WEIGHTS_LEAVE_TEMPLATE, (("自评得分为：91分", "自评得分为：97分"),), True),
    (WEIGHTS_LEAVE_TEMPLATE, (("\t50\t50\n", "\t60\t50\n"),), True),  # weights 100: nothing left, 91 is not 85
    (SCORING_TABLE, (), False),
])
def test_total_counts_the_budget_execution_part(text, edits, fires):
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    assert ("total-mismatch" in rules_of(text)) is fires, audit_text(text, "t.txt")
